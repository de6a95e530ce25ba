/* Decisions of a held meeting, each with whether quorum held when it was taken and, when voted,
 * the votes; and the tasks a decision gives (O94 §1.7b). */
#include "meeting/internal.h"

#include <stdio.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "core/form.h"
#include "core/input.h"
#include "core/labels.h"
#include "store/case.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/task.h"

static int votes_of(json_t *in, int members, struct store_decision *d, struct nrm_err *err)
{
	static const char *const fields[] = {"for", "against", "abstain", NULL};
	json_t *v = json_object_get(in, "votes");
	d->votes_for = d->votes_against = d->abstentions = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "votes", NULL);
	int64_t n[3];
	int rc = in_only(v, fields, err);
	for (int i = 0; !rc && i < 3; i++)
		if (!(rc = in_int(v, fields[i], true, &n[i], err)) && (n[i] < 0 || n[i] > 1000))
			rc = nrm_fail(err, NRM_EINVAL, KEY_out_of_range, fields[i], NULL);
	if (rc)
		return nrm_err_nest(err, "votes");
	if (n[0] + n[1] + n[2] > members) {
		char votes[24], mem[24];
		snprintf(votes, sizeof votes, "%lld", (long long)(n[0] + n[1] + n[2]));
		snprintf(mem, sizeof mem, "%d", members);
		return nrm_fail(err, NRM_EINVAL, KEY_votes_exceed, "votes", "votes", votes, "members", mem, NULL);
	}
	d->votes_for = (int)n[0];
	d->votes_against = (int)n[1];
	d->abstentions = (int)n[2];
	return 0;
}

/* Checks the tasks a decision gives: owner institution (and person), due not before the meeting. */
static int tasks_of(struct nrm_ctx *c, json_t *m, json_t *list, struct nrm_err *err)
{
	static const char *const fields[] = {"title", "institution", "person", "due", NULL};
	if (list && (!json_is_array(list) || json_array_size(list) > 50))
		return nrm_fail(err, NRM_EINVAL, KEY_not_list, "tasks", "max", "50", NULL);
	size_t i;
	json_t *t, *row = NULL;
	json_array_foreach(list, i, t) {
		char f[48];
		const char *title, *due;
		int64_t inst, person;
		int rc;
		snprintf(f, sizeof f, "tasks.%zu", i);
		if (!json_is_object(t))
			return nrm_fail(err, NRM_EINVAL, KEY_not_object, f, NULL);
		if ((rc = in_only(t, fields, err)) || (rc = in_line(t, "title", true, 500, &title, err)) ||
		    (rc = in_int(t, "institution", true, &inst, err)) || (rc = in_int(t, "person", false, &person, err)) ||
		    (rc = in_date(t, "due", true, &due, NULL, err)))
			return nrm_err_nest(err, f);
		snprintf(f, sizeof f, "tasks.%zu.institution", i);
		if (store_institution_get(c->db, inst, &row) != 0)
			return nrm_fail(err, NRM_EINVAL, KEY_unknown_institution, f, NULL);
		json_decref(row);
		snprintf(f, sizeof f, "tasks.%zu.person", i);
		/* The person who carries the task works for the institution that owns it. */
		if (person) {
			json_t *p = NULL;
			bool of_it = store_person_get(c->db, person, &p) == 0 && j_int(p, "institution") == inst;
			json_decref(p);
			if (!of_it)
				return nrm_fail(err, NRM_EINVAL, KEY_unknown_ref, f, "kind", "person", NULL);
		}
		snprintf(f, sizeof f, "tasks.%zu.due", i);
		if (strcmp(due, j_str(m, "date")) < 0)
			return nrm_fail(err, NRM_EINVAL, KEY_date_before, f, "other", "date", NULL);
	}
	return 0;
}

/* The Authority's formal identification of a case, taken in its meeting (I132 §5): the case's
 * step into the decision stage (or the correction of a decision it holds) with the meeting, its
 * day and the outcome — recorded once, in the meeting's transaction, and linked both ways. */
static int decide_case(struct nrm_ctx *c, json_t *m, json_t *spec, json_t **res, int64_t *case_id, char *text,
		       size_t cap, struct nrm_err *err)
{
	static const char *const fields[] = {"code", "version", "outcome", "fields", "reason", NULL};
	const char *code, *outcome, *reason;
	int64_t version;
	json_t *row = NULL, *extra = json_object_get(spec, "fields"), *set = NULL;
	int rc;
	if (strcmp(j_str(m, "body_kind"), "authority") != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_meeting_not_authority, "case", NULL);
	if (!json_is_object(spec))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "case", NULL);
	if ((rc = in_only(spec, fields, err)) || (rc = in_str(spec, "code", true, 40, &code, err)) ||
	    (rc = in_int(spec, "version", true, &version, err)) || (rc = in_str(spec, "outcome", true, 60, &outcome, err)) ||
	    (rc = in_str(spec, "reason", false, 1000, &reason, err)))
		return nrm_err_nest(err, "case");
	if (!form_decided_status(c->form, outcome))
		return nrm_fail(err, NRM_EINVAL, KEY_not_code, "case.outcome", "list", form_bound(c->form, FB_DECISION), NULL);
	if (extra && !json_is_object(extra))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "case.fields", NULL);
	if (store_case_get(c->db, code, 0, &row) != 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_case, "case.code", NULL);
	set = extra ? json_deep_copy(extra) : json_object();
	json_object_set_new(set, form_bound(c->form, FB_DECISION), json_string(outcome));
	json_object_set_new(set, form_bound(c->form, FB_DECISION_DATE), json_string(j_str(m, "date")));
	json_object_set_new(set, form_bound(c->form, FB_DECISION_MEETING), json_integer(j_int(m, "id")));
	const char *stage = form_decision_stage(c->form);
	rc = strcmp(j_str(row, "stage"), stage) == 0 ? case_update(c, code, version, set, reason, res, err)
						     : case_transition(c, code, version, stage, set, reason, res, err);
	if (!rc) {
		*case_id = j_int(row, "id");
		/* The text names the outcome, not the case: the decision's case link is its own member,
		 * which readers outside the Authority do not get. */
		const char *list = j_str(form_field(c->form, form_bound(c->form, FB_DECISION)), "codelist");
		snprintf(text, cap, "Identifikimi formal: %s.", labels_get(c->labels, list, outcome, "sq"));
	}
	json_decref(row);
	json_decref(set);
	return rc;
}

int meeting_decide(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"text", "item", "votes", "tasks", "case", NULL};
	json_t *m = NULL, *seats = NULL, *quorum = NULL, *agenda = NULL, *ids = json_array(), *t, *row = NULL,
	       *decided = NULL, *spec = json_object_get(in, "case");
	char text[400] = "";
	struct store_decision d = {0};
	int64_t item, did;
	size_t i;
	bool own_tx = false;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)))
		goto done;
	if (strcmp(j_str(m, "status"), "held") != 0) {
		rc = strcmp(j_str(m, "status"), "scheduled") == 0
			     ? nrm_fail(err, NRM_ECONFLICT, KEY_attendance_first, NULL, NULL)
			     : meeting_require(m, "held", err);
		goto done;
	}
	if (strcmp(j_str(m, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_minutes_frozen, NULL, NULL);
		goto done;
	}
	if ((rc = in_str(in, "text", spec == NULL, 5000, &d.text, err)) || (rc = in_int(in, "item", false, &item, err)) ||
	    (rc = meeting_seats(c, m, &seats, &quorum)) ||
	    (rc = votes_of(in, (int)(j_int(quorum, "present") + j_int(quorum, "represented")), &d, err)) ||
	    (rc = tasks_of(c, m, json_object_get(in, "tasks"), err)) || (rc = store_agenda(c->db, id, &agenda)))
		goto done;
	if (item) {
		json_t *it;
		bool found = false;
		json_array_foreach(agenda, i, it)
			found |= j_int(it, "id") == item;
		if (!found) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_item, "item", NULL);
			goto done;
		}
	}
	d.item = item;
	d.quorum = json_is_true(json_object_get(quorum, "held"));
	/* A report approved in the meeting records its decision in the report's transaction. */
	own_tx = !store_in_tx(c->db);
	if (own_tx && (rc = store_begin(c->db)))
		goto done;
	if (spec && (rc = decide_case(c, m, spec, &decided, &d.case_id, text, sizeof text, err)))
		goto done;
	if (!d.text)
		d.text = text;
	if ((rc = store_decision_add(c->db, id, &d, c->me->id, &did)))
		goto done;
	json_array_foreach(json_object_get(in, "tasks"), i, t) {
		struct store_task st = {.body = j_int(m, "body"), .meeting = id, .decision = did,
					.title = j_str(t, "title"), .due = j_str(t, "due"),
					.institution = j_int(t, "institution"), .person = j_int(t, "person")};
		int64_t tid;
		if ((rc = store_task_add(c->db, &st, c->me->id, &tid)) ||
		    (rc = store_task_event_add(c->db, tid, "open", NULL, c->me->id, c->me->username)) ||
		    (rc = meeting_task_announce(c, tid, "task_assigned", NULL)))
			goto done;
		json_array_append_new(ids, json_integer(tid));
	}
	row = json_pack("{s:I, s:s, s:b, s:O}", "decision", (json_int_t)did, "text", d.text, "quorum", d.quorum, "tasks",
			ids);
	if ((rc = meeting_log(c, id, "decide", NULL, row, NULL)) || (own_tx && (rc = store_commit(c->db))))
		goto done;
	json_t *all;
	int64_t number = 0;
	if (store_decisions(c->db, id, &all) == 0) {
		json_array_foreach(all, i, t)
			if (j_int(t, "id") == did)
				number = j_int(t, "number");
		json_decref(all);
	}
	*out = json_pack("{s:I, s:I, s:b, s:O, s:O?}", "id", (json_int_t)did, "number", (json_int_t)number, "quorum",
			 d.quorum, "tasks", ids, "case", decided);
done:
	if (rc && own_tx)
		store_rollback(c->db);
	json_decref(m);
	json_decref(seats);
	json_decref(quorum);
	json_decref(agenda);
	json_decref(ids);
	json_decref(row);
	json_decref(decided);
	return rc;
}
