/* The agenda: items in order, each with a presenter and references (cases by code only, tasks,
 * earlier meetings, materials), and the items nrm proposes: the approval of the previous
 * minutes, the follow-up of open tasks and, for the Authority, the cases awaiting its formal
 * identification (O94 §1.6b, §1.7b; I132 §§5, 9). */
#include "meeting/internal.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/form.h"
#include "core/fsm.h"
#include "core/input.h"
#include "core/labels.h"
#include "secure/audit.h"
#include "store/case.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/task.h"

#define MAX_ITEMS 60
#define MAX_REFS 100

static json_t *item(struct nrm_ctx *c, const char *kind, json_t *refs)
{
	return json_pack("{s:s, s:s, s:o}", "kind", kind, "title", labels_get(c->labels, "agenda_kind", kind, "sq"), "refs",
			 refs);
}

int meeting_agenda_proposed(struct nrm_ctx *c, json_t *body, const char *date, const char *hour, int64_t exclude,
			    json_t **out)
{
	json_t *items = json_array(), *rows = NULL, *r;
	int64_t prev;
	size_t i;
	char when[32];
	snprintf(when, sizeof when, "%s %s", date, hour ? hour : "");
	int rc = store_meeting_unapproved_before(c->db, j_int(body, "id"), when, exclude, &prev);
	if (rc == 0)
		json_array_append_new(items, item(c, "minutes_approval", json_pack("{s:[I]}", "meetings", (json_int_t)prev)));
	else if (rc != NRM_ENOTFOUND)
		goto done;
	struct store_task_query q = {.meeting_before_body = j_int(body, "id"), .meeting_before = date};
	if ((rc = store_tasks(c->db, &q, &rows)))
		goto done;
	if (json_array_size(rows)) {
		json_t *ids = json_array();
		json_array_foreach(rows, i, r)
			json_array_append_new(ids, json_integer(j_int(r, "id")));
		json_array_append_new(items, item(c, "tasks_review", json_pack("{s:o}", "tasks", ids)));
	}
	json_decref(rows);
	rows = NULL;
	/* The Authority decides the cases waiting for its formal identification (I132 §5): not
	 * yet decided, in a stage from which the decision stage is reached. */
	const char *stage = c->form ? form_decision_stage(c->form) : NULL;
	if (stage && strcmp(j_str(body, "kind"), "authority") == 0) {
		struct case_filter f = {.scope = CASES_ALL, .status = form_undecided_status(c->form), .child = -1,
				      .list_fields = "[]"}; /* codes and stages only */
		if ((rc = store_cases(c->db, &f, 0, 500, &rows)))
			goto done;
		json_t *codes = json_array();
		json_array_foreach(rows, i, r) {
			json_t *st = fsm_state(form_fsm(c->form), j_str(r, "stage"));
			if (j_has(json_object_get(st, "next"), stage) && strcmp(j_str(r, "stage"), form_closed_stage(c->form)) != 0 &&
			    json_array_size(codes) < MAX_REFS)
				json_array_append_new(codes, json_string(j_str(r, "code")));
		}
		if (json_array_size(codes))
			json_array_append_new(items, item(c, "cases_review", json_pack("{s:o}", "cases", codes)));
		else
			json_decref(codes);
		json_decref(rows);
		rows = NULL;
		/* Referrals nobody has answered for longer than the body's rule allows. */
		json_t *rules = meeting_rules(c, body);
		int64_t days = j_int(rules, "referrals_unanswered_days");
		json_decref(rules);
		if (days > 0) {
			char before[21];
			date_utc_stamp(clock_now() - (time_t)days * 86400, before);
			if ((rc = store_unanswered_referrals(c->db, before, MAX_REFS, &rows)))
				goto done;
			if (json_array_size(rows)) {
				json_t *late = json_array();
				json_array_foreach(rows, i, r)
					json_array_append_new(late, json_string(j_str(r, "code")));
				json_array_append_new(items, item(c, "referrals_review", json_pack("{s:o}", "cases", late)));
			}
		}
	}
	rc = 0;
done:
	json_decref(rows);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

/* A list of references of one kind, checked one by one. */
static int refs_of(struct nrm_ctx *c, json_t *body, json_t *list, const char *kind, const char *field, json_t *into,
		   struct nrm_err *err)
{
	char f[128];
	if (!json_is_array(list) || json_array_size(list) > MAX_REFS) {
		snprintf(f, sizeof f, "%s.%s", field, kind);
		return nrm_fail(err, NRM_EINVAL, KEY_not_list, f, "max", "100", NULL);
	}
	json_t *out = json_array(), *v, *row = NULL;
	size_t i;
	int rc = 0;
	int64_t bid = j_int(body, "id"), county = j_int(body, "county_id");
	json_array_foreach(list, i, v) {
		snprintf(f, sizeof f, "%s.%s.%zu", field, kind, i);
		if (strcmp(kind, "cases") == 0) {
			if (!json_is_string(v))
				rc = nrm_fail(err, NRM_EINVAL, KEY_not_string, f, NULL);
			else if (store_case_get(c->db, json_string_value(v), 0, &row) != 0)
				rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_case_ref, f, "code", json_string_value(v), NULL);
			/* A county's bodies discuss the cases of their county (O94 §1.6b); another county's
			 * case is "no case" to them, so the answer does not tell whether it exists. */
			else if (county && j_int(row, "county_id") != county)
				rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_case_ref, f, "code", json_string_value(v), NULL);
			else
				json_array_append_new(out, json_string(j_str(row, "code")));
		} else if (!json_is_integer(v)) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_not_an_id, f, NULL);
		} else {
			int64_t id = json_integer_value(v);
			int found;
			if (strcmp(kind, "tasks") == 0)
				found = store_task_get(c->db, id, &row) == 0 && j_int(row, "body") == bid;
			else if (strcmp(kind, "meetings") == 0)
				found = store_meeting_get(c->db, id, &row) == 0 && j_int(row, "body") == bid;
			else
				found = store_body_document(c->db, bid, id) == 0;
			if (!found)
				rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_ref, f, "kind", kind, NULL);
			else
				json_array_append_new(out, json_integer(id));
		}
		json_decref(row);
		row = NULL;
		if (rc)
			break;
	}
	if (rc) {
		json_decref(out);
		return rc;
	}
	if (json_array_size(out))
		json_object_set_new(into, kind, out);
	else
		json_decref(out);
	return 0;
}

int meeting_agenda_check(struct nrm_ctx *c, json_t *body, json_t *in, const char *key, json_t **out,
			 struct nrm_err *err)
{
	static const char *const fields[] = {"title", "presenter", "refs", NULL};
	static const char *const kinds[] = {"cases", "tasks", "meetings", "documents", NULL};
	json_t *list = json_object_get(in, key), *items = json_array(), *it;
	size_t i;
	int rc = 0;
	if (list && !json_is_null(list) && (!json_is_array(list) || json_array_size(list) > MAX_ITEMS))
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_list, key, "max", "60", NULL);
	json_array_foreach(json_is_array(list) ? list : NULL, i, it) {
		if (rc)
			break;
		char f[48];
		const char *title, *presenter;
		snprintf(f, sizeof f, "%s.%zu", key, i);
		if (!json_is_object(it)) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_not_object, f, NULL);
			break;
		}
		if ((rc = in_only(it, fields, err)) || (rc = in_line(it, "title", true, 500, &title, err)) ||
		    (rc = in_line(it, "presenter", false, 200, &presenter, err))) {
			nrm_err_nest(err, f);
			break;
		}
		json_t *refs = json_object_get(it, "refs"), *checked = json_object();
		if (refs && !json_is_null(refs) && !json_is_object(refs)) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_not_object, "refs", NULL);
			nrm_err_nest(err, f);
		}
		snprintf(f, sizeof f, "%s.%zu.refs", key, i);
		if (!rc && (rc = in_only(refs, kinds, err)))
			nrm_err_nest(err, f);
		for (const char *const *k = kinds; !rc && *k; k++)
			if (json_object_get(refs, *k))
				rc = refs_of(c, body, json_object_get(refs, *k), *k, f, checked, err);
		if (rc) {
			json_decref(checked);
			break;
		}
		json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:o}", "kind", "item", "title", title, "presenter",
						       presenter, "refs", checked));
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

int meeting_agenda_set(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"items", NULL};
	json_t *m = NULL, *body = NULL, *items = NULL, *before = NULL, *decisions = NULL;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)))
		goto done;
	if (strcmp(j_str(m, "status"), "cancelled") == 0) {
		rc = meeting_require(m, "scheduled", err);
		goto done;
	}
	if (strcmp(j_str(m, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_minutes_frozen, "items", NULL);
		goto done;
	}
	if ((rc = store_decisions(c->db, id, &decisions)))
		goto done;
	if (json_array_size(decisions)) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_agenda_has_decisions, "items", NULL);
		goto done;
	}
	if ((rc = store_body_get(c->db, j_int(m, "body"), &body)) ||
	    (rc = meeting_agenda_check(c, body, in, "items", &items, err)) || (rc = store_agenda(c->db, id, &before)))
		goto done;
	/* The items nrm proposed keep their place ahead of the secretariat's own. */
	json_t *kept = json_array(), *it;
	size_t i;
	json_array_foreach(before, i, it)
		if (strcmp(j_str(it, "kind"), "item") != 0)
			json_array_append(kept, it);
	json_array_extend(kept, items);
	json_decref(items);
	items = kept;
	if ((rc = store_begin(c->db)) || (rc = store_agenda_replace(c->db, id, items)) ||
	    (rc = meeting_log(c, id, "agenda", before, items, NULL)) || (rc = store_commit(c->db)))
		goto done;
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(body);
	json_decref(items);
	json_decref(before);
	json_decref(decisions);
	return rc;
}
