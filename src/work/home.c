/* The home page of each role (work/work.h): the queues data/work/home.json lists for the role,
 * each worked out here from the domains' own rules (who sees which case, task, report, seat),
 * most urgent first. Cases appear by their code only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case/case.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/form.h"
#include "core/input.h"
#include "meeting/meeting.h"
#include "org/org.h"
#include "oversight/oversight.h"
#include "report/report.h"
#include "store/task.h"
#include "store/work.h"
#include "user/user.h"
#include "work/work.h"

struct home {
	struct nrm_ctx *c;
	json_t *limits; /* borrowed from the definition */
	bool counts;
	int limit;      /* items per queue */
	char today[DATE_LEN];
};

static int limit_of(struct home *h, const char *name, int fallback)
{
	json_t *v = json_object_get(h->limits, name);
	return json_is_integer(v) ? (int)json_integer_value(v) : fallback;
}

/* An item of a queue: `date` may be a day or a time (its day counts); days = today − date. */
static json_t *item(struct home *h, const char *title, const char *href, const char *date, const char *flag,
		    const char *note, const char *sub)
{
	char day[DATE_LEN] = "";
	int32_t d;
	time_t at;
	json_t *days = json_null();
	if (date && strlen(date) > 10 && date_stamp_parse(date, &at) == 0) {
		/* A moment (UTC) is dated by its day in Tirane, as today is: a referral made at
		 * 00:30 there is today's, not yesterday's. */
		date_format(date_tirane_today(at), day);
		days = json_integer(h->c->today - date_tirane_today(at));
	} else if (date && strlen(date) >= 10) {
		memcpy(day, date, 10);
		day[10] = '\0';
		if (date_parse(day, &d) == 0)
			days = json_integer(h->c->today - d);
	}
	return json_pack("{s:s, s:s, s:s?, s:o, s:s?, s:s?, s:s?}", "title", title, "href", href, "date", *day ? day : NULL,
			 "days", days, "flag", flag, "note", note, "sub", sub && *sub ? sub : NULL);
}

/* Appends items until the page is full; the queue's count is set by the caller. */
static void add(struct home *h, json_t *q, json_t *it)
{
	json_t *items = json_object_get(q, "items");
	if (!h->counts && json_array_size(items) < (size_t)h->limit)
		json_array_append_new(items, it);
	else
		json_decref(it);
}

static void count(json_t *q, json_int_t n)
{
	/* A queue counted only so far says so: "more" than its count. */
	bool more = n > STORE_WORK_COUNT_MAX;
	json_object_set_new(q, "count", json_integer(more ? STORE_WORK_COUNT_MAX : n));
	if (more)
		json_object_set_new(q, "more", json_true());
}

/* The count of a store_work_* page: each row carries the total. */
static json_int_t total(json_t *rows)
{
	return (json_int_t)j_int(json_array_get(rows, 0), "total");
}

static void href_case(char *out, size_t n, const char *code)
{
	snprintf(out, n, "/cases/%s", code);
}

static int q_referrals(struct home *h, json_t *q, char dir)
{
	json_t *rows = NULL, *r;
	size_t i;
	char href[80];
	if (!h->c->me->institution_id)
		return 0;
	int rc = store_work_referrals(h->c->db, dir, h->c->me->institution_id, h->limit, &rows);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r) {
		href_case(href, sizeof href, j_str(r, "code"));
		add(h, q, item(h, j_str(r, "code"), href, j_str(r, "created_at"),
			       json_is_true(json_object_get(r, "is_child")) ? "urgent" : NULL,
			       *j_str(r, "service") ? "service" : "case", j_str(r, dir == 'i' ? "from_name" : "to_name")));
	}
	count(q, total(rows));
	json_decref(rows);
	return 0;
}

static int q_referrals_in(struct home *h, json_t *q) { return q_referrals(h, q, 'i'); }
static int q_referrals_out(struct home *h, json_t *q) { return q_referrals(h, q, 'o'); }

/* Cases as items: dated by `date`, overdue past `late` days, else urgent for a child. */
static void cases_into(struct home *h, json_t *q, json_t *rows, const char *date, int late, const char *sub)
{
	json_t *r;
	size_t i;
	char href[80];
	json_array_foreach(rows, i, r) {
		href_case(href, sizeof href, j_str(r, "code"));
		json_t *it = item(h, j_str(r, "code"), href, j_str(r, date), NULL, j_str(r, "stage"), sub ? j_str(r, sub) : NULL);
		const char *flag = j_int(it, "days") > late ? "overdue"
				   : json_is_true(json_object_get(r, "is_child")) ? "urgent" : NULL;
		json_object_set_new(it, "flag", flag ? json_string(flag) : json_null());
		add(h, q, it);
	}
	count(q, total(rows));
}

/* The codes of the workflow's stages but the final one (a new array). */
static json_t *open_stages(struct home *h)
{
	json_t *out = json_array(), *st;
	size_t i;
	const char *final = form_closed_stage(h->c->form);
	json_array_foreach(json_object_get(form_workflow(h->c->form), "stages"), i, st)
		if (strcmp(j_str(st, "code"), final) != 0)
			json_array_append(out, json_object_get(st, "code"));
	return out;
}

/* Open cases the institution holds, the longest untouched first. */
static int q_cases_next(struct home *h, json_t *q)
{
	json_t *rows = NULL;
	if (!h->c->me->institution_id)
		return 0;
	json_t *open = open_stages(h);
	int rc = open ? store_work_cases_held(h->c->db, h->c->me->institution_id, open, h->limit, &rows) : NRM_ENOMEM;
	json_decref(open);
	if (!rc)
		cases_into(h, q, rows, "updated_at", limit_of(h, "case_idle_days", 30), NULL);
	json_decref(rows);
	return rc;
}

/* Cases still awaiting the Authority's formal decision, the earliest identified first. */
static int q_awaiting_decision(struct home *h, json_t *q)
{
	json_t *rows = NULL;
	json_t *open = open_stages(h);
	int rc = open ? store_work_undecided(h->c->db, form_undecided_status(h->c->form), open, h->limit, &rows) : NRM_ENOMEM;
	json_decref(open);
	if (!rc)
		cases_into(h, q, rows, "identified_on", limit_of(h, "decision_days", 30), "county");
	json_decref(rows);
	return rc;
}

static int q_duplicates(struct home *h, json_t *q)
{
	json_t *rows = NULL, *r;
	size_t i;
	char title[80];
	int rc = store_work_duplicates(h->c->db, h->limit, &rows);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r) {
		snprintf(title, sizeof title, "%s · %s", j_str(r, "code_a"), j_str(r, "code_b"));
		add(h, q, item(h, title, "/duplicates", j_str(r, "created_at"), NULL, NULL, NULL));
	}
	count(q, total(rows));
	json_decref(rows);
	return 0;
}

/* Tasks, the overdue first (their list comes by due day). */
static void tasks_into(struct home *h, json_t *q, json_t *tasks, bool overdue_only)
{
	json_t *t;
	size_t i;
	char href[40];
	json_int_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(tasks, i, t) {
			const char *st = j_str(t, "status");
			bool open = strcmp(st, "open") == 0 || strcmp(st, "in_progress") == 0;
			bool late = json_is_true(json_object_get(t, "overdue"));
			if (!open || late != (pass == 0) || (overdue_only && !late))
				continue;
			snprintf(href, sizeof href, "/tasks/%lld", (long long)j_int(t, "id"));
			add(h, q, item(h, j_str(t, "title"), href, j_str(t, "due"), late ? "overdue" : NULL, st,
				       j_str(t, "institution_name")));
			n++;
		}
	count(q, n);
}

static int q_tasks_mine(struct home *h, json_t *q)
{
	json_t *tasks = NULL;
	struct nrm_err ignored = {0};
	int rc = meeting_tasks(h->c, 0, 0, 1, NULL, &tasks, &ignored);
	if (!rc)
		tasks_into(h, q, tasks, false);
	json_decref(tasks);
	return rc;
}

/* The body the caller's role sits in: the Authority, or their county's KRAT or Table. */
static const char *own_body_kind(const struct principal *p)
{
	if (role_is_authority(p->role))
		return "authority";
	if (p->role == ROLE_KRAT_MEMBER || p->role == ROLE_COUNTY_SECRETARIAT)
		return "krat";
	if (p->role == ROLE_TABLE_MEMBER)
		return "technical_table";
	return NULL;
}

static int q_tasks_body(struct home *h, json_t *q)
{
	const char *kind = own_body_kind(h->c->me);
	json_t *bodies = NULL, *tasks = NULL;
	struct nrm_err ignored = {0};
	if (!kind)
		return 0;
	int rc = org_bodies(h->c, kind, h->c->me->county_id, &bodies, &ignored);
	int64_t body = j_int(json_array_get(bodies, 0), "id");
	if (!rc && body && (rc = meeting_tasks(h->c, body, 0, 0, NULL, &tasks, &ignored)) == 0)
		tasks_into(h, q, tasks, false);
	json_decref(bodies);
	json_decref(tasks);
	return rc == NRM_EFORBIDDEN ? 0 : rc;
}

/* Every open task of the county's bodies past its due day. */
static int q_tasks_overdue(struct home *h, json_t *q)
{
	json_t *tasks = NULL, *t;
	size_t i;
	if (!h->c->me->county_id)
		return 0;
	struct store_task_query tq = {.county = h->c->me->county_id, .due_before = h->today};
	int rc = store_tasks(h->c->db, &tq, &tasks);
	if (rc)
		return rc;
	json_array_foreach(tasks, i, t)
		json_object_set_new(t, "overdue", json_true());
	tasks_into(h, q, tasks, true);
	json_decref(tasks);
	return 0;
}

static int reports(struct home *h, json_t *q, const char *what, int days)
{
	json_t *items = NULL, *r;
	size_t i;
	char href[40], title[160], title_en[160];
	struct nrm_err ignored = {0};
	int rc = report_queue(h->c, what, days, &items, &ignored);
	if (rc)
		return rc;
	json_array_foreach(items, i, r) {
		json_t *label = json_object_get(r, "label");
		snprintf(href, sizeof href, "/reports/%lld", (long long)j_int(r, "id"));
		snprintf(title, sizeof title, "%s %s", j_str(label, "sq"), j_str(r, "period"));
		snprintf(title_en, sizeof title_en, "%s %s", j_str(label, "en"), j_str(r, "period"));
		bool received = strcmp(what, "received") == 0;
		json_t *it = item(h, title, href, j_str(r, received ? "delivered_at" : "due"),
				  json_is_true(json_object_get(r, "late")) ? "overdue" : NULL, j_str(r, "status"), NULL);
		json_object_set_new(it, "title_en", json_string(title_en));
		add(h, q, it);
	}
	count(q, (json_int_t)json_array_size(items));
	json_decref(items);
	return 0;
}

static int q_reports_to_approve(struct home *h, json_t *q) { return reports(h, q, "approve", 0); }
static int q_reports_received(struct home *h, json_t *q) { return reports(h, q, "received", 0); }
static int q_reports_due(struct home *h, json_t *q)
{
	return reports(h, q, "due", limit_of(h, "reports_due_days", 30));
}

static int q_seats_overdue(struct home *h, json_t *q)
{
	json_t *seats = NULL, *s;
	size_t i;
	char href[40];
	struct nrm_err ignored = {0};
	int rc = org_nominations_overdue(h->c, h->c->me->county_id, &seats, &ignored);
	if (rc)
		return rc;
	json_array_foreach(seats, i, s) {
		snprintf(href, sizeof href, "/seats/%lld", (long long)j_int(s, "id"));
		json_t *it = item(h, j_str(s, "label"), href, j_str(s, "deadline"), "overdue", j_str(s, "role"),
				  j_str(s, "body_name_sq"));
		if (*j_str(s, "label_en"))
			json_object_set_new(it, "title_en", json_string(j_str(s, "label_en")));
		add(h, q, it);
	}
	count(q, (json_int_t)json_array_size(seats));
	json_decref(seats);
	return 0;
}

/* Bodies of the caller's scope whose next required meeting is overdue or near. */
static int q_meetings_due(struct home *h, json_t *q)
{
	json_t *bodies = NULL, *b, *comp;
	size_t i;
	char href[60], until[DATE_LEN];
	struct nrm_err ignored = {0};
	date_format(h->c->today + limit_of(h, "meetings_due_days", 14), until);
	const struct principal *p = h->c->me;
	const char *kind = p->role == ROLE_COUNTY_SECRETARIAT ? NULL : own_body_kind(p);
	if (!kind && p->role != ROLE_COUNTY_SECRETARIAT)
		return 0;
	int rc = org_bodies(h->c, kind, p->county_id, &bodies, &ignored);
	if (rc)
		return rc;
	json_int_t n = 0;
	json_array_foreach(bodies, i, b) {
		if (!p->county_id && *j_str(b, "county"))
			continue;
		if (meeting_compliance(h->c, j_int(b, "id"), &comp, &ignored) != 0)
			continue;
		const char *due = j_str(comp, "next_due");
		bool late = json_is_true(json_object_get(comp, "overdue"));
		if (*due && (late || strcmp(due, until) <= 0)) {
			snprintf(href, sizeof href, "/bodies/%lld/meetings", (long long)j_int(b, "id"));
			json_t *it = item(h, j_str(b, "name"), href, due, late ? "overdue" : NULL, j_str(b, "kind"), NULL);
			json_object_set_new(it, "title_en", json_string(j_str(b, "name_en")));
			add(h, q, it);
			n++;
		}
		json_decref(comp);
	}
	count(q, n);
	json_decref(bodies);
	return 0;
}

static int q_agreements_expiring(struct home *h, json_t *q)
{
	json_t *rows = NULL, *r;
	size_t i;
	char href[40], until[DATE_LEN];
	if (!h->c->me->county_id)
		return 0;
	date_format(h->c->today + limit_of(h, "agreements_expiring_days", 60), until);
	int rc = store_work_agreements_ending(h->c->db, h->c->me->county_id, until, h->limit, &rows);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r) {
		snprintf(href, sizeof href, "/agreements/%lld", (long long)j_int(r, "id"));
		bool ended = strcmp(j_str(r, "valid_until"), h->today) < 0;
		add(h, q, item(h, j_str(r, "title"), href, j_str(r, "valid_until"), ended ? "overdue" : NULL,
			       ended ? "expired" : "expiring", j_str(r, "counterpart")));
	}
	count(q, total(rows));
	json_decref(rows);
	return 0;
}

/* Counties where something is behind: a body's required meeting overdue, a nomination
 * overdue, a report past its due day and not delivered. Every reason is listed in "notes". */
static int q_counties_behind(struct home *h, json_t *q)
{
	json_t *counties = NULL, *k, *bodies, *b, *comp, *over = NULL, *reps = NULL;
	size_t i, j;
	char href[60];
	struct nrm_err ignored = {0};
	int rc = org_counties(h->c, &counties, &ignored);
	if (!rc)
		rc = org_seats_overview(h->c, &over, &ignored);
	json_int_t n = 0;
	json_array_foreach(counties, i, k) {
		if (rc)
			break;
		int64_t cid = j_int(k, "id");
		json_t *notes = json_array();
		if (org_bodies(h->c, NULL, cid, &bodies, &ignored) == 0) {
			bool late = false;
			json_array_foreach(bodies, j, b) {
				if (!late && meeting_compliance(h->c, j_int(b, "id"), &comp, &ignored) == 0) {
					late = json_is_true(json_object_get(comp, "overdue"));
					json_decref(comp);
				}
			}
			if (late)
				json_array_append_new(notes, json_string("meetings"));
			json_decref(bodies);
		}
		json_array_foreach(json_object_get(over, "items"), j, b)
			if (strcmp(j_str(b, "county"), j_str(k, "slug")) == 0 && j_int(b, "overdue") > 0)
				json_array_append_new(notes, json_string("seats"));
		if ((rc = store_work_reports(h->c->db, cid, &reps)))
			break;
		bool late = false;
		json_array_foreach(reps, j, b)
			late |= !*j_str(b, "delivered_at") && strcmp(j_str(b, "due"), h->today) < 0;
		json_decref(reps);
		reps = NULL;
		if (late)
			json_array_append_new(notes, json_string("reports"));
		if (json_array_size(notes)) {
			snprintf(href, sizeof href, "/counties/%s", j_str(k, "slug"));
			json_t *it = item(h, j_str(k, "name"), href, NULL, "overdue",
					  json_string_value(json_array_get(notes, 0)), NULL);
			json_object_set_new(it, "title_en", json_string(j_str(k, "name_en")));
			json_object_set(it, "notes", notes);
			add(h, q, it);
			n++;
		}
		json_decref(notes);
	}
	count(q, n);
	json_decref(counties);
	json_decref(over);
	return rc;
}

static int q_accounts_locked(struct home *h, json_t *q)
{
	json_t *rows = NULL, *r;
	size_t i;
	char href[40], when[32];
	/* Accounts under attack: failed logins enough to slow them for browsers they do not know. */
	int rc = store_work_locked(h->c->db, (int64_t)clock_now() - LOGIN_WINDOW, LOGIN_FREE_ACCOUNT, h->limit, &rows);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r) {
		time_t t = (time_t)j_int(r, "last_failure");
		date_format(date_tirane_today(t), when);
		snprintf(href, sizeof href, "/users/%lld", (long long)j_int(r, "id"));
		add(h, q, item(h, j_str(r, "username"), href, when, "overdue", NULL, NULL));
	}
	count(q, total(rows));
	json_decref(rows);
	return 0;
}

/* The auditor's: what oversight/ finds, as home items already. */
static void items_into(struct home *h, json_t *q, json_t *items)
{
	json_t *it;
	size_t i;
	json_array_foreach(items, i, it)
		add(h, q, json_incref(it));
	count(q, (json_int_t)json_array_size(items));
}

static int q_personal_reads(struct home *h, json_t *q)
{
	json_t *items = NULL;
	struct nrm_err ignored = {0};
	int rc = oversight_recent_reads(h->c, h->limit, &items, &ignored);
	if (!rc)
		items_into(h, q, items);
	json_decref(items);
	return rc;
}

static int q_patterns(struct home *h, json_t *q)
{
	json_t *items = NULL;
	struct nrm_err ignored = {0};
	int rc = oversight_patterns(h->c, limit_of(h, "pattern_days", 7), &items, &ignored);
	if (!rc)
		items_into(h, q, items);
	json_decref(items);
	return rc;
}

typedef int (*queue_fn)(struct home *h, json_t *q);
static const struct {
	const char *key, *href;
	queue_fn fn;
} queues[] = {
	{"referrals_in", "/referrals", q_referrals_in},
	{"referrals_out", "/referrals?direction=out", q_referrals_out},
	{"cases_next", "/cases", q_cases_next},
	{"tasks_mine", "/tasks", q_tasks_mine},
	{"awaiting_decision", "/cases?status=PossibleVictimOfTrafficking", q_awaiting_decision},
	{"duplicates", "/duplicates", q_duplicates},
	{"reports_to_approve", "/reports", q_reports_to_approve},
	{"reports_due", "/reports", q_reports_due},
	{"reports_received", "/reports", q_reports_received},
	{"tasks_body", "/tasks", q_tasks_body},
	{"tasks_overdue", "/tasks", q_tasks_overdue},
	{"seats_overdue", "/overview", q_seats_overdue},
	{"meetings_due", "/meetings", q_meetings_due},
	{"agreements_expiring", "/agreements", q_agreements_expiring},
	{"counties_behind", "/counties", q_counties_behind},
	{"accounts_locked", "/users", q_accounts_locked},
	{"patterns", "/audit/patterns", q_patterns},
	{"personal_reads", "/audit?action=read_personal", q_personal_reads},
};

/* The next meeting of the body the caller sits in (or, for a county secretariat, of any of its
 * county's bodies). */
static json_t *next_meeting(struct home *h)
{
	const struct principal *p = h->c->me;
	const char *kind = own_body_kind(p);
	json_t *kinds, *row = NULL;
	if (!kind)
		return json_null();
	kinds = p->role == ROLE_COUNTY_SECRETARIAT ? json_pack("[s, s, s]", "krat", "technical_table", "municipal_group")
						   : json_pack("[s]", kind);
	if (store_work_next_meeting(h->c->db, kinds, p->county_id, h->today, &row) != 0)
		row = json_null();
	json_decref(kinds);
	return row;
}

int work_home(struct nrm_ctx *c, bool counts_only, json_t **out, struct nrm_err *err)
{
	json_t *doc = NULL, *list, *result = json_array(), *key;
	struct home h = {.c = c, .counts = counts_only};
	size_t i;
	int rc = case_stored_doc(c->db, "work:home", &doc);
	if (rc) {
		json_decref(result);
		return rc == NRM_ENOTFOUND ? nrm_fail(err, NRM_EIO, KEY_stats_missing, NULL, NULL) : rc;
	}
	h.limits = json_object_get(doc, "limits");
	h.limit = limit_of(&h, "items", 8);
	date_format(c->today, h.today);
	list = json_object_get(json_object_get(doc, "roles"), role_name(c->me->role));
	json_array_foreach(list, i, key) {
		for (size_t k = 0; k < sizeof queues / sizeof *queues; k++) {
			if (strcmp(queues[k].key, json_string_value(key)) != 0)
				continue;
			json_t *q = json_pack("{s:s, s:i, s:s}", "key", queues[k].key, "count", 0, "href", queues[k].href);
			if (!counts_only)
				json_object_set_new(q, "items", json_array());
			if ((rc = queues[k].fn(&h, q))) {
				json_decref(q);
				goto done;
			}
			json_array_append_new(result, q);
		}
	}
	*out = json_pack("{s:s, s:O, s:o}", "role", role_name(c->me->role), "queues", result, "next_meeting",
			 next_meeting(&h));
done:
	json_decref(result);
	json_decref(doc);
	return rc;
}
