/* Tasks: who sees them (the body's readers, and the institution that owns one), listing them by
 * body, institution or for oneself, and moving one along data/meetings/tasks.json with a note. */
#include "meeting/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "core/fsm.h"
#include "core/input.h"
#include "notify/notify.h"
#include "secure/audit.h"
#include "store/org.h"
#include "store/task.h"

static bool owner(struct nrm_ctx *c, json_t *t)
{
	return c->me->institution_id > 0 && c->me->institution_id == j_int(t, "institution");
}

/* Whether the caller sees the task: its owner, and whoever reads its body's meetings — the
 * Ministry's monitor only once the minutes that record it are approved. */
static bool visible(struct nrm_ctx *c, json_t *t)
{
	if (owner(c, t))
		return true;
	enum meeting_access a = meeting_access_of(c, t);
	return a != MA_NONE && (a != MA_MONITOR || strcmp(j_str(t, "meeting_minutes"), "approved") == 0);
}

/* A task row as it is shown: overdue worked out, no internal county id. */
static void present(struct nrm_ctx *c, json_t *t)
{
	char today[DATE_LEN];
	date_format(c->today, today);
	const char *st = j_str(t, "status");
	bool open = strcmp(st, "open") == 0 || strcmp(st, "in_progress") == 0;
	json_object_set_new(t, "overdue", json_boolean(open && strcmp(j_str(t, "due"), today) < 0));
	json_object_del(t, "county_id");
	json_object_del(t, "meeting_minutes");
}

int meeting_tasks(struct nrm_ctx *c, int64_t body, int64_t institution, int mine, const char *status, json_t **out,
		  struct nrm_err *err)
{
	static const char *const states[] = {"open", "in_progress", "done", "cancelled", "overdue", NULL};
	char today[DATE_LEN];
	json_t *rows = NULL, *b = NULL, *t;
	size_t i;
	int rc = 0;
	if (status) {
		json_t *probe = json_pack("{s:s}", "status", status);
		const char *ok;
		rc = in_enum(probe, "status", false, states, &ok, err);
		json_decref(probe);
		if (rc)
			return rc;
	}
	if (mine)
		institution = c->me->institution_id;
	if (!body && !institution && !mine)
		return nrm_fail(err, NRM_EINVAL, KEY_required, "body", NULL);
	if (mine && !institution) {
		*out = json_array();
		return 0;
	}
	if (body) {
		if ((rc = store_body_get(c->db, body, &b)))
			return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, "body", NULL) : rc;
		enum meeting_access a = meeting_access_of(c, b);
		json_decref(b);
		if (a == MA_NONE)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, "body", NULL);
	}
	date_format(c->today, today);
	bool overdue = status && strcmp(status, "overdue") == 0;
	struct store_task_query q = {.body = body, .institution = institution, .status = overdue ? NULL : status,
				     .due_before = overdue ? today : NULL};
	if ((rc = store_tasks(c->db, &q, &rows)))
		return rc;
	json_t *shown = json_array();
	json_array_foreach(rows, i, t) {
		/* An institution's list holds only what the caller may see: tasks of the bodies they
		 * read, and every task of their own institution. */
		if (!visible(c, t))
			continue;
		present(c, t);
		json_array_append(shown, t);
	}
	json_decref(rows);
	*out = shown;
	return 0;
}

static int task_load(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *t;
	int rc = store_task_get(c->db, id, &t);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_task, NULL, NULL) : rc;
	if (!visible(c, t)) {
		json_decref(t);
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, NULL, NULL);
	}
	*out = t;
	return 0;
}

/* The part the caller plays for the task in data/meetings/tasks.json, or NULL. */
static const char *part(struct nrm_ctx *c, json_t *t)
{
	if (meeting_access_of(c, t) == MA_EDIT)
		return "secretariat";
	return owner(c, t) ? "owner" : NULL;
}

/* The states the caller may move the task to now (a new array). */
static json_t *next_states(struct nrm_ctx *c, json_t *t, const char *p)
{
	json_t *def = NULL, *next = json_array(), *v;
	struct fsm *m = NULL;
	struct nrm_err ignored = {0};
	size_t i;
	if (p && case_stored_doc(c->db, "workflow:task", &def) == 0 && fsm_load(def, "tasks.json", &m, &ignored) == 0)
		json_array_foreach(json_object_get(fsm_state(m, j_str(t, "status")), "next"), i, v)
			if (fsm_role_enters(m, json_string_value(v), p))
				json_array_append(next, v);
	fsm_free(m);
	json_decref(def);
	return next;
}

int meeting_task_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *t, *events;
	int rc = task_load(c, id, &t, err);
	if (rc)
		return rc;
	const char *p = part(c, t);
	if ((rc = store_task_events(c->db, id, &events))) {
		json_decref(t);
		return rc;
	}
	json_object_set_new(t, "next", next_states(c, t, p));
	present(c, t);
	json_object_set_new(t, "history", events);
	json_object_set_new(t, "can_change", json_boolean(p != NULL));
	*out = t;
	return 0;
}

int meeting_task_move(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"status", "note", "version", NULL};
	json_t *t = NULL, *def = NULL, *after = NULL;
	struct fsm *m = NULL;
	const char *status, *note;
	int64_t version;
	int rc;
	if ((rc = task_load(c, id, &t, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_str(in, "status", true, 20, &status, err)) || (rc = in_str(in, "note", true, 2000, &note, err)) ||
	    (rc = in_int(in, "version", true, &version, err)))
		goto done;
	const char *p = part(c, t);
	if (!p) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_task_forbidden, NULL, NULL);
		goto done;
	}
	if ((rc = case_stored_doc(c->db, "workflow:task", &def)) || (rc = fsm_load(def, "tasks.json", &m, err)))
		goto done;
	/* The task's own words for what the machine refuses, on the member that was sent. */
	const char *from = j_str(t, "status");
	if (!fsm_has(m, status))
		rc = nrm_fail(err, NRM_EINVAL, KEY_task_status_unknown, "status", NULL);
	else if (!j_has(json_object_get(fsm_state(m, from), "next"), status))
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_task_transition, "status", "from", from, "to", status, NULL);
	else if (!fsm_role_enters(m, status, p))
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_task_cancel_by_secretariat, "status", NULL);
	if (rc)
		goto done;
	if ((rc = store_begin(c->db)))
		goto done;
	rc = store_task_set_status(c->db, id, status, version);
	if (rc == NRM_ECONFLICT) {
		rc = nrm_fail(err, rc, KEY_stale, "version", NULL);
		goto done;
	}
	if (rc || (rc = store_task_event_add(c->db, id, status, note, c->me->id, c->me->username)) ||
	    (rc = store_task_get(c->db, id, &after)) ||
	    (rc = secure_audit_id(c->db, c->me, "move", "task", id, t, after, NULL)) || (rc = store_commit(c->db)))
		goto done;
	rc = meeting_task_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	fsm_free(m);
	json_decref(def);
	json_decref(t);
	json_decref(after);
	return rc;
}

int meeting_task_announce(struct nrm_ctx *c, int64_t id, const char *kind, const char *dedup)
{
	static const char *const county_sec[] = {"county_secretariat", NULL};
	static const char *const national_sec[] = {"authority_secretariat", NULL};
	json_t *t = NULL, *params = NULL;
	int rc = store_task_get(c->db, id, &t);
	if (rc)
		return rc;
	params = json_pack("{s:s, s:s, s:s, s:s}", "title", j_str(t, "title"), "due", j_str(t, "due"), "body",
			   j_str(t, "body_name"), "institution", j_str(t, "institution_name"));
	struct notify_msg m = {.kind = kind, .entity = "task", .entity_id = id, .params = params, .dedup = dedup};
	int64_t county = j_int(t, "county_id");
	if (!(rc = notify_institution(c, j_int(t, "institution"), &m)) && !(rc = notify_person(c, j_int(t, "person"), &m)) &&
	    strcmp(kind, "task_overdue") == 0)
		rc = notify_roles(c, county ? county_sec : national_sec, county, &m);
	json_decref(params);
	json_decref(t);
	return rc;
}
