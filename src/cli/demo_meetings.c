/* Demo meetings for `nrm init --demo` (data/demo/meetings.json): the bodies' work of the last
 * months — notices, agendas, attendance, decisions, tasks, minutes, letters, a body's rules —
 * made through the same operations (src/meeting/) a secretariat uses, as the demo secretariat
 * named in each entry, so every meetings screen shows something on first start. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"
#include "core/labels.h"
#include "meeting/meeting.h"
#include "secure/perm.h"
#include "store/org.h"
#include "store/user.h"

struct run {
	struct store *s;
	const struct form *form;
	const struct labels *labels;
	int32_t today;
	struct nrm_err *err;
};



/* An institution named in the file: "@caseworker" (the county's demo case worker's), "@ngo"
 * (tirane.ngo's) or "@TYPE" (of that type in the county). */
static int institution(const struct run *r, const char *ref, int64_t county, const char *slug, int64_t *id)
{
	char user[80];
	json_t *u;
	if (strcmp(ref, "@caseworker") == 0 || strcmp(ref, "@ngo") == 0) {
		snprintf(user, sizeof user, "%s", strcmp(ref, "@ngo") == 0 ? "tirane.ngo" : "");
		if (!user[0])
			snprintf(user, sizeof user, "%s.caseworker", slug);
		int rc = store_user_by_name(r->s, user, &u);
		if (rc)
			return rc;
		*id = j_int(u, "institution");
		json_decref(u);
		return *id ? 0 : NRM_ENOTFOUND;
	}
	return ref[0] == '@' ? store_institution_find(r->s, ref + 1, county, 0, id) : NRM_EINVAL;
}


/* The attendance of the meeting: every member present but the seats named absent, excused or
 * represented (by seat code); vacant seats are left unrecorded. */
static json_t *attendance(json_t *meeting, json_t *spec)
{
	json_t *seats = json_array(), *s;
	size_t i;
	json_array_foreach(json_object_get(meeting, "attendance"), i, s) {
		const char *code = j_str(s, "code");
		if (!*j_str(s, "member"))
			continue;
		json_t *rep = json_object_get(json_object_get(spec, "represented"), code);
		const char *status = j_has(json_object_get(spec, "absent"), code)    ? "absent"
				     : j_has(json_object_get(spec, "excused"), code) ? "excused"
				     : rep					     ? "represented"
										     : "present";
		json_array_append_new(seats, json_pack("{s:I, s:s, s:s?, s:s?}", "seat", (json_int_t)j_int(s, "seat"), "status",
						       status, "substitute", rep ? j_str(rep, "substitute") : NULL,
						       "authorisation", rep ? j_str(rep, "authorisation") : NULL));
	}
	return json_pack("{s:o}", "seats", seats);
}

static int decisions(const struct run *r, struct nrm_ctx *c, int64_t id, json_t *list, int64_t county, const char *slug)
{
	size_t i, j, k;
	json_t *d, *t, *mv;
	int rc = 0;
	json_array_foreach(list, i, d) {
		json_t *in = json_pack("{s:s, s:O*}", "text", j_str(d, "text"), "votes", json_object_get(d, "votes"));
		json_t *tasks = json_array(), *out = NULL;
		json_array_foreach(json_object_get(d, "tasks"), j, t) {
			int64_t inst;
			char due[DATE_LEN];
			if ((rc = institution(r, j_str(t, "institution"), county, slug, &inst)) || !demo_day(r->today, j_str(t, "due"), due)) {
				rc = rc ? rc : NRM_EINVAL;
				break;
			}
			json_array_append_new(tasks, json_pack("{s:s, s:I, s:s}", "title", j_str(t, "title"), "institution",
							       (json_int_t)inst, "due", due));
		}
		json_object_set_new(in, "tasks", tasks);
		if (!rc)
			rc = meeting_decide(c, id, in, &out, r->err);
		json_decref(in);
		/* Each task's later life: its moves, with their notes. */
		json_array_foreach(json_object_get(d, "tasks"), j, t) {
			int64_t version = 1, tid = json_integer_value(json_array_get(json_object_get(out, "tasks"), j));
			json_array_foreach(json_object_get(t, "moves"), k, mv) {
				json_t *step = json_pack("{s:s, s:s, s:I}", "status", j_str(mv, "status"), "note",
							 j_str(mv, "note"), "version", (json_int_t)version++),
				       *res = NULL;
				if (!rc)
					rc = meeting_task_move(c, tid, step, &res, r->err);
				json_decref(step);
				json_decref(res);
			}
		}
		json_decref(out);
		if (rc)
			break;
	}
	return rc;
}

/* Minutes: the summary and each item's text, in the agenda's order after nrm's own items. */
static int minutes(const struct run *r, struct nrm_ctx *c, int64_t id, json_t *m, json_t *spec)
{
	if (!spec)
		return 0;
	json_t *items = json_array(), *it, *res = NULL;
	size_t i, n = 0;
	json_array_foreach(json_object_get(m, "agenda"), i, it)
		if (strcmp(j_str(it, "kind"), "item") == 0 && n < json_array_size(json_object_get(spec, "items")))
			json_array_append_new(items, json_pack("{s:I, s:s}", "item", (json_int_t)j_int(it, "id"), "minutes",
							       json_string_value(json_array_get(json_object_get(spec, "items"), n++))));
	json_t *in = json_pack("{s:s, s:o}", "summary", j_str(spec, "summary"), "items", items);
	int rc = meeting_minutes_set(c, id, in, &res, r->err);
	json_decref(in);
	json_decref(res);
	return rc;
}

static int one(const struct run *r, json_t *e, json_t *last_held)
{
	struct principal p;
	struct nrm_ctx c;
	json_t *in = NULL, *m = NULL, *res = NULL;
	int64_t county = 0, body = 0, id = 0;
	const char *slug = j_str(e, "county"), *date;
	int rc;
	if ((rc = demo_acting(r->s, j_str(e, "as"), r->today, r->form, r->labels, &p, &c)) || (*slug && (rc = store_county_id(r->s, slug, &county))) ||
	    (rc = store_body_find(r->s, j_str(e, "body"), county, &body)))
		goto done;
	static const char *const keep[] = {"date", "time", "location", "link", "agenda", "guests", "title", "kind", NULL};
	json_t *picked = j_pick(e, keep);
	in = demo_dated(r->today, picked);
	json_decref(picked);
	date = j_str(in, "date");
	if ((rc = meeting_create(&c, body, in, &m, r->err)))
		goto done;
	id = j_int(m, "id");
	if (json_is_true(json_object_get(e, "notice"))) {
		json_t *none = json_object();
		rc = meeting_notice(&c, id, none, &res, r->err);
		json_decref(none);
		if (rc)
			goto done;
	}
	json_decref(res);
	res = NULL;
	if (*j_str(e, "cancel")) {
		json_t *why = json_pack("{s:s}", "reason", j_str(e, "cancel"));
		rc = meeting_cancel(&c, id, why, &res, r->err);
		json_decref(why);
		goto done;
	}
	json_t *spec = json_object_get(e, "attendance");
	int32_t day;
	if (!spec || date_parse(date, &day) != 0 || day > r->today)
		goto done;
	json_t *att = attendance(m, spec);
	rc = meeting_attendance_set(&c, id, att, &res, r->err);
	json_decref(att);
	if (rc || (rc = decisions(r, &c, id, json_object_get(e, "decisions"), county, slug)) ||
	    (rc = minutes(r, &c, id, m, json_object_get(e, "minutes"))))
		goto done;
	/* The previous meeting's minutes, approved in this one. */
	json_t *prev = json_object_get(last_held, j_str(e, "county"));
	prev = json_object_get(prev, j_str(e, "body"));
	if (json_is_true(json_object_get(e, "approve_previous")) && prev) {
		json_t *ap = json_pack("{s:I}", "in", (json_int_t)id), *out = NULL;
		rc = meeting_minutes_approve(&c, json_integer_value(prev), ap, &out, r->err);
		json_decref(ap);
		json_decref(out);
		if (rc)
			goto done;
	}
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(e, "documents"), i, d) {
		json_t *doc = json_pack("{s:s, s:s, s:I}", "kind", j_str(d, "kind"), "title", j_str(d, "title"), "adopted_in",
					(json_int_t)id),
		       *out = NULL;
		rc = meeting_body_document_create(&c, body, doc, &out, r->err);
		json_decref(doc);
		json_decref(out);
		if (rc)
			goto done;
	}
	json_t *per = json_object_get(last_held, j_str(e, "county"));
	if (!per)
		json_object_set_new(last_held, j_str(e, "county"), per = json_object());
	json_object_set_new(per, j_str(e, "body"), json_integer(id));
done:
	json_decref(in);
	json_decref(m);
	json_decref(res);
	return rc;
}

static int letter(const struct run *r, json_t *e)
{
	struct principal p;
	struct nrm_ctx c;
	int64_t county = 0, body = 0;
	json_t *out = NULL, *in = NULL;
	int rc;
	if ((rc = demo_acting(r->s, j_str(e, "as"), r->today, r->form, r->labels, &p, &c)) || (rc = store_county_id(r->s, j_str(e, "county"), &county)) ||
	    (rc = store_body_find(r->s, j_str(e, "body"), county, &body)))
		return rc;
	static const char *const keep[] = {"direction", "day", "party", "subject", NULL};
	json_t *picked = j_pick(e, keep);
	in = demo_dated(r->today, picked);
	json_decref(picked);
	rc = meeting_letter_create(&c, body, in, &out, r->err);
	json_decref(in);
	json_decref(out);
	return rc;
}

int demo_meetings(struct store *s, const char *data_dir, struct nrm_err *err)
{
	struct form *form = NULL;
	struct labels *labels = NULL;
	json_t *doc = NULL, *e, *last_held = json_object();
	size_t i;
	int rc;
	if ((rc = cli_load_json(data_dir, "demo/meetings.json", &doc, err)) || (rc = case_form_load(s, &form, err)) ||
	    (rc = case_labels_load(s, form, &labels, err)))
		goto done;
	struct run r = {.s = s, .form = form, .labels = labels, .today = clock_today(), .err = err};
	json_array_foreach(json_object_get(doc, "meetings"), i, e)
		if ((rc = one(&r, e, last_held))) {
			if (!err->msg[0])
				nrm_fail_file(err, rc, "demo/meetings.json", "meeting %zu: %s", i + 1, nrm_err_name(rc));
			goto done;
		}
	json_array_foreach(json_object_get(doc, "letters"), i, e)
		if ((rc = letter(&r, e))) {
			if (!err->msg[0])
				nrm_fail_file(err, rc, "demo/meetings.json", "letter %zu: %s", i + 1, nrm_err_name(rc));
			goto done;
		}
done:
	json_decref(doc);
	json_decref(last_held);
	labels_free(labels);
	form_free(form);
	return rc;
}
