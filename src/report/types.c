/* Types of report as data, what a report covers, and who drafts and reads it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "report/internal.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/report.h"

void report_type_free(struct report_type *t)
{
	json_decref(t->doc);
	*t = (struct report_type){0};
}

/* Whether s is one of the NULL-terminated list. */
static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

int report_type_check(json_t *doc, struct nrm_err *err)
{
	static const char *const issuers[] = {"technical_table", "krat", "authority", "ministry", NULL};
	static const char *const scopes[] = {"county", "national", NULL};
	static const char *const periods[] = {"meeting", "month", "quarter", "half", "year", NULL};
	static const char *const tos[] = {"krat", "ministry", "director", "government", NULL};
	static const char *const approvals[] = {"meeting", "sent", "all_members", NULL};
	char file[96];
	snprintf(file, sizeof file, "reports/%.64s.json", j_str(doc, "type"));
	json_t *due = json_object_get(doc, "due_days"), *sections = json_object_get(doc, "sections");
	/* A due day is at most a year after the period: the day number plus it stays a date. */
	if (!*j_str(doc, "type") || !one_of(j_str(doc, "issuer"), issuers) || !one_of(j_str(doc, "scope"), scopes) ||
	    !one_of(j_str(doc, "period"), periods) || !one_of(j_str(doc, "to"), tos) ||
	    !one_of(j_str(doc, "approval"), approvals) || !*j_str(doc, "audience") || !json_is_integer(due) ||
	    json_integer_value(due) < 0 || json_integer_value(due) > 366 || (sections && !json_is_array(sections)))
		return nrm_fail_file(err, NRM_EINVAL, file,
				     "type, issuer, scope, period, to, approval and audience must be as data/reports/README.md"
				     " says, due_days a number of days from 0 to 366, sections a list");
	return 0;
}

int report_types_check(struct store *s, struct nrm_err *err)
{
	json_t *docs, *r;
	int rc = store_report_types(s, &docs);
	if (rc)
		return rc;
	size_t i;
	json_array_foreach(docs, i, r)
		if (!rc)
			rc = report_type_check(json_object_get(r, "doc"), err);
	json_decref(docs);
	return rc;
}

int report_type_pick(json_t *docs, const char *name, const char *field, struct report_type *t, struct nrm_err *err)
{
	json_t *r, *doc = NULL;
	char want[80];
	snprintf(want, sizeof want, "report:%s", name ? name : "");
	size_t i;
	json_array_foreach(docs, i, r)
		if (name && strlen(name) < 48 && strcmp(j_str(r, "name"), want) == 0)
			doc = json_incref(json_object_get(r, "doc"));
	if (!doc)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_report_type, field, NULL);
	int rc = report_type_check(doc, err);
	if (rc) {
		json_decref(doc);
		return rc;
	}
	*t = (struct report_type){.doc = doc, .name = j_str(doc, "type"), .issuer = j_str(doc, "issuer"),
				  .scope = j_str(doc, "scope"), .period = j_str(doc, "period"),
				  .audience = j_str(doc, "audience"),
				  .due_days = (int)json_integer_value(json_object_get(doc, "due_days"))};
	return 0;
}

int report_type_load(struct nrm_ctx *c, const char *name, const char *field, struct report_type *t,
		     struct nrm_err *err)
{
	json_t *docs;
	int rc = store_report_types(c->db, &docs);
	if (rc)
		return rc;
	rc = report_type_pick(docs, name, field, t, err);
	json_decref(docs);
	return rc;
}

static const struct {
	const char *name;
	enum period_kind kind;
} kinds[] = {{"month", PERIOD_MONTH}, {"quarter", PERIOD_QUARTER}, {"half", PERIOD_HALF}, {"year", PERIOD_YEAR}};

/* The held meeting of body on day, or 0. */
static int64_t held_on(struct nrm_ctx *c, int64_t body, const char *day)
{
	json_t *ms, *m;
	int64_t id = 0;
	size_t i;
	if (store_meetings(c->db, body, &ms) != 0)
		return 0;
	json_array_foreach(ms, i, m)
		if (strcmp(j_str(m, "date"), day) == 0 && strcmp(j_str(m, "status"), "held") == 0)
			id = j_int(m, "id");
	json_decref(ms);
	return id;
}

int report_scope_of(struct nrm_ctx *c, const struct report_type *t, const char *scope, const char *period,
		    struct report_scope *out, struct nrm_err *err)
{
	struct report_scope s = {0};
	bool national = strcmp(t->scope, "national") == 0;
	if (national && scope && *scope && strcmp(scope, "national") != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, "scope", "allowed", "national", NULL);
	if (!national) {
		if (!scope || !*scope || store_county_id(c->db, scope, &s.county) != 0)
			return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "scope", NULL);
		snprintf(s.county_slug, sizeof s.county_slug, "%s", scope);
	}
	/* The Ministry issues its own report; every other issuer is a body. */
	if (strcmp(t->issuer, "ministry") != 0 && store_body_find(c->db, t->issuer, s.county, &s.body) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "scope", NULL);
	if (strcmp(t->period, "meeting") == 0) {
		int32_t day;
		int rc = date_field(period ? period : "", "period", &day, err);
		if (rc)
			return rc;
		date_format(day, s.first);
		if (!(s.meeting = held_on(c, s.body, s.first)))
			return nrm_fail(err, NRM_EINVAL, KEY_report_meeting, "period", NULL);
		s.p = (struct period){.kind = PERIOD_RANGE, .first = day, .last = day};
		snprintf(s.p.name, sizeof s.p.name, "%s..%s", s.first, s.first);
	} else {
		int rc = period_parse(period ? period : "", "period", &s.p, err);
		if (rc)
			return rc;
		bool ok = false;
		for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
			ok |= strcmp(kinds[i].name, t->period) == 0 && kinds[i].kind == s.p.kind;
		if (!ok)
			return nrm_fail(err, NRM_EINVAL, KEY_report_period_kind, "period", "kind", t->period, NULL);
	}
	snprintf(s.period, sizeof s.period, "%s", s.meeting ? s.first : s.p.name);
	date_format(s.p.first, s.first);
	date_format(s.p.last, s.last);
	date_format(s.p.last + t->due_days, s.due);
	*out = s;
	return 0;
}

bool report_may_draft(struct nrm_ctx *c, const struct report_type *t, const struct report_scope *s)
{
	const struct principal *p = c->me;
	if (strcmp(t->issuer, "authority") == 0)
		return p->role == ROLE_AUTHORITY_SECRETARIAT;
	if (strcmp(t->issuer, "ministry") == 0)
		return p->role == ROLE_MINISTRY_MONITOR;
	return p->role == ROLE_COUNTY_SECRETARIAT && p->county_id && p->county_id == s->county;
}

bool report_may_read(struct nrm_ctx *c, const struct report_type *t, int64_t county, const char *status)
{
	const struct principal *p = c->me;
	bool out = strcmp(status, "delivered") == 0 || strcmp(status, "acknowledged") == 0 || strcmp(status, "returned") == 0;
	if (strcmp(t->issuer, "authority") == 0)
		return role_is_authority(p->role) || (out && p->role == ROLE_MINISTRY_MONITOR);
	if (strcmp(t->issuer, "ministry") == 0)
		return p->role == ROLE_MINISTRY_MONITOR;
	/* A county's reports: its own bodies; the Ministry once one is delivered to it. */
	if (role_scope(p->role) == SCOPE_COUNTY)
		return p->county_id == county;
	return p->role == ROLE_MINISTRY_MONITOR && strcmp(t->issuer, "krat") == 0 && out;
}

bool report_receives(struct nrm_ctx *c, const struct report_type *t, const char *county)
{
	const struct principal *p = c->me;
	const char *to = j_str(t->doc, "to");
	/* The KRAT receives its Table's reports (its secretariat answers); the Ministry's monitor the
	 * KRATs' reports and, for the General Director and the Deputy Minister, the Authority's. */
	/* The Ministry's own report goes to the Minister and the Government, outside nrm: delivered
	 * is sent, and nobody here acknowledges it (its author least of all). */
	if (strcmp(to, "government") == 0)
		return false;
	if (strcmp(to, "krat") == 0) {
		int64_t cid = 0;
		return p->role == ROLE_COUNTY_SECRETARIAT && county && store_county_id(c->db, county, &cid) == 0 &&
		       cid == p->county_id;
	}
	return p->role == ROLE_MINISTRY_MONITOR;
}
