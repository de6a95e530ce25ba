/* The reports waiting on the caller (report/report.h report_queue): to approve, to deliver, to
 * answer. Read from the reports' rows and versions only: nothing is drafted, so the home page
 * may ask often. */
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "report/internal.h"
#include "report/report.h"
#include "store/report.h"
#include "store/work.h"

/* The latest version of a report {version, status, answer, ...}, a new reference, or NULL. */
static json_t *newest(struct nrm_ctx *c, int64_t id)
{
	json_t *all;
	if (store_report_versions(c->db, id, false, &all) != 0)
		return NULL;
	json_t *v = json_incref(json_array_get(all, 0));
	json_decref(all);
	return v;
}

/* Whether the caller is to approve version v: a member seated in the issuing body who has not
 * decided on it yet (all_members); for a report approved in a meeting, its members and the
 * secretariat that puts it there. The Authority's secretariat follows every approval. */
static bool approves(struct nrm_ctx *c, const struct report_type *t, json_t *r)
{
	const char *rule = j_str(t->doc, "approval");
	struct report_scope s = {.body = j_int(r, "body_id"), .county = j_int(r, "county_id")};
	if (strcmp(rule, "sent") == 0)
		return false;
	if (report_may_draft(c, t, &s))
		return true;
	/* Approved in a meeting: the body's members, by their role in its county. */
	const char *kind = j_str(r, "body_kind");
	if (strcmp(rule, "meeting") == 0 && c->me->county_id && c->me->county_id == s.county &&
	    ((c->me->role == ROLE_KRAT_MEMBER && strcmp(kind, "krat") == 0) ||
	     (c->me->role == ROLE_TABLE_MEMBER && strcmp(kind, "technical_table") == 0)))
		return true;
	json_t *st = report_approvals_of(c, j_int(r, "id"), s.body), *seat;
	size_t i;
	bool mine = false;
	json_array_foreach(json_object_get(st, "seats"), i, seat)
		mine |= c->me->person_id && j_int(seat, "person") == c->me->person_id &&
			(strcmp(rule, "meeting") == 0 || !*j_str(seat, "decision"));
	json_decref(st);
	return mine;
}

int report_queue(struct nrm_ctx *c, const char *what, int days, json_t **out, struct nrm_err *err)
{
	json_t *rows = NULL, *r, *items = json_array();
	char today[DATE_LEN], until[DATE_LEN];
	date_format(c->today, today);
	date_format(c->today + days, until);
	size_t i;
	json_t *types = NULL; /* read once: a queue looks at every report not yet acknowledged */
	int rc = store_work_reports(c->db, 0, &rows);
	if (!rc)
		rc = store_report_types(c->db, &types);
	json_array_foreach(rows, i, r) {
		if (rc)
			break;
		struct report_type t = {0};
		struct nrm_err ignored = {0};
		if (report_type_pick(types, j_str(r, "type"), "type", &t, &ignored) != 0)
			continue;
		struct report_scope s = {.body = j_int(r, "body_id"), .county = j_int(r, "county_id")};
		const char *st = j_str(r, "status");
		json_t *v = newest(c, j_int(r, "id"));
		bool take = false, delivered = *j_str(r, "delivered_at") != 0;
		if (strcmp(what, "approve") == 0)
			take = v && strcmp(j_str(v, "status"), "submitted") == 0 && approves(c, &t, r);
		else if (strcmp(what, "due") == 0)
			take = !delivered && report_may_draft(c, &t, &s) && strcmp(j_str(r, "due"), until) <= 0;
		else if (strcmp(what, "received") == 0)
			take = strcmp(st, "delivered") == 0 && v && !*j_str(v, "answer") &&
			       report_receives(c, &t, j_str(r, "county"));
		if (take)
			json_array_append_new(items,
					      json_pack("{s:O, s:s, s:O?, s:O, s:O, s:O, s:O?, s:O?, s:b}", "id",
							json_object_get(r, "id"), "type", t.name, "label",
							json_object_get(t.doc, "label"), "period", json_object_get(r, "period"),
							"due", json_object_get(r, "due"), "status", json_object_get(r, "status"),
							"version", v ? json_object_get(v, "version") : NULL, "delivered_at",
							json_object_get(r, "delivered_at"), "late",
							!delivered && strcmp(j_str(r, "due"), today) < 0));
		json_decref(v);
		report_type_free(&t);
	}
	json_decref(rows);
	json_decref(types);
	if (rc) {
		json_decref(items);
		return rc;
	}
	(void)err;
	*out = items;
	return 0;
}
