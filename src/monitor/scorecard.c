/* The KRAT scorecard: for each county, what its KRAT, Technical Table and technical
 * secretariat did in a period, counted from the same records the other screens show — the
 * meeting windows of src/meeting/ (as the national matrix counts them), the quorum and
 * attendance as the attendance sheet counts them, the tasks and their history, the reports owed
 * by data/reports/ and their first delivery, the seats as src/org/ decides filled or overdue,
 * the agreements, and the registers' own figures (src/prevention/). Each county's raw counts
 * are gathered in one object; the indicators of data/monitor/scorecard.json are worked out of
 * it, and the national row out of the counties' counts added up (medians over every item). */
#include "monitor/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "core/org.h"
#include "core/period.h"
#include "meeting/meeting.h"
#include "org/org.h"
#include "prevention/prevention.h"
#include "store/agreement.h"
#include "store/meeting.h"
#include "store/monitor.h"
#include "store/org.h"
#include "store/report.h"

const char *monitor_text(json_t *label, const char *lang)
{
	const char *s = json_string_value(json_object_get(label, lang));
	return s ? s : "";
}

int monitor_scope(struct nrm_ctx *c, const char *county, int64_t *cid, bool *national, struct nrm_err *err)
{
	const struct principal *me = c->me;
	bool nat = me->role == ROLE_MINISTRY_MONITOR || role_is_authority(me->role);
	bool local = me->role == ROLE_COUNTY_SECRETARIAT || me->role == ROLE_KRAT_MEMBER || me->role == ROLE_TABLE_MEMBER;
	if (!nat && !(local && me->county_id))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_scorecard_role, NULL, NULL);
	int64_t id = 0;
	if (county && *county && store_county_id(c->db, county, &id) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	if (local) {
		if (id && id != me->county_id)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_scorecard_own_county, "county", NULL);
		id = me->county_id;
	}
	*cid = id;
	*national = nat && !id;
	return 0;
}

/* ---- counting ---- */

static void bump(json_t *acc, const char *key, json_int_t n)
{
	json_object_set_new(acc, key, json_integer(json_integer_value(json_object_get(acc, key)) + n));
}

static void push(json_t *acc, const char *key, json_int_t v)
{
	json_t *a = json_object_get(acc, key);
	if (!a) {
		a = json_array();
		json_object_set_new(acc, key, a);
	}
	json_array_append_new(a, json_integer(v));
}

/* Adds the counts of `from` to `to`: numbers summed, lists joined. */
static void merge(json_t *to, json_t *from)
{
	const char *k;
	json_t *v;
	json_object_foreach(from, k, v) {
		if (json_is_integer(v))
			bump(to, k, json_integer_value(v));
		else if (json_is_array(v)) {
			size_t i;
			json_t *x;
			json_array_foreach(v, i, x)
				push(to, k, json_integer_value(x));
		}
	}
}

static int cmp_int(const void *a, const void *b)
{
	json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
	return (x > y) - (x < y);
}

/* The median of a list of whole days (the mean of the middle two for an even count), or null. */
static json_t *median(json_t *list)
{
	size_t n = json_array_size(list);
	if (!n)
		return json_null();
	json_int_t *v = malloc(n * sizeof *v);
	if (!v)
		return json_null();
	for (size_t i = 0; i < n; i++)
		v[i] = json_integer_value(json_array_get(list, i));
	qsort(v, n, sizeof *v, cmp_int);
	json_int_t twice = n % 2 ? 2 * v[n / 2] : v[n / 2 - 1] + v[n / 2];
	free(v);
	return twice % 2 ? json_real((double)twice / 2) : json_integer(twice / 2);
}

/* a / b as a whole percentage (half up), or null when b is 0. */
static json_t *percent(json_int_t a, json_int_t b)
{
	return b > 0 ? json_integer((json_int_t)floor(100.0 * (double)a / (double)b + 0.5)) : json_null();
}

/* The indicators' values out of the raw counts. */
static json_t *values_of(json_t *defs, json_t *acc)
{
	json_t *out = json_object(), *d;
	size_t i;
	json_array_foreach(defs, i, d) {
		const char *id = j_str(d, "id"), *unit = j_str(d, "unit");
		json_t *ratio = json_object_get(d, "ratio"), *v;
		if (json_array_size(ratio) == 2)
			v = percent(j_int(acc, json_string_value(json_array_get(ratio, 0))),
				    j_int(acc, json_string_value(json_array_get(ratio, 1))));
		else if (strcmp(unit, "days") == 0)
			v = median(json_object_get(acc, id));
		else
			v = json_integer(j_int(acc, id));
		json_object_set_new(out, id, v);
	}
	return out;
}

static bool listed(json_t *kinds, const char *kind)
{
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k)
		if (strcmp(json_string_value(k), kind) == 0)
			return true;
	return false;
}

/* The accumulator of an institution type (borrowed). */
static json_t *of_type(json_t *types, const char *type)
{
	const char *t = type && *type ? type : "other";
	json_t *a = json_object_get(types, t);
	if (!a) {
		a = json_object();
		json_object_set_new(types, t, a);
	}
	return a;
}

/* What one county does with its time: it is handed over to each step below. */
struct county_run {
	struct nrm_ctx *c;
	const struct period *p;
	json_t *def;   /* the scorecard's definitions */
	int64_t id;    /* the county */
	const char *slug;
	int32_t as_of; /* seats and agreements are counted on this day */
	json_t *acc;   /* the county's counts */
	json_t *types; /* counts by institution type, over every county run */
};

static int meetings(struct county_run *r)
{
	json_t *kinds = json_object_get(r->def, "bodies"), *k;
	char first[DATE_LEN], last[DATE_LEN];
	date_format(r->p->first, first);
	date_format(r->p->last < r->c->today ? r->p->last : r->c->today, last);
	size_t i;
	int rc = 0;
	json_array_foreach(kinds, i, k) {
		int64_t bid;
		json_t *body = NULL, *sum = NULL;
		if (store_body_find(r->c->db, json_string_value(k), r->id, &bid) != 0)
			continue;
		int required, held, on_time;
		if ((rc = store_body_get(r->c->db, bid, &body)) ||
		    (rc = meeting_windows(r->c, body, r->p->first, r->p->last, &required, &held, &on_time)) ||
		    (rc = meeting_attendance_summary(r->c, bid, first, last, &sum))) {
			json_decref(body);
			return rc;
		}
		bump(r->acc, "meetings_required", required);
		bump(r->acc, "meetings_held", held);
		bump(r->acc, "meetings_on_time", on_time);
		bump(r->acc, "meetings_all", j_int(sum, "held"));
		bump(r->acc, "quorum_reached", j_int(sum, "quorate"));
		const char *type;
		json_t *t;
		json_object_foreach(json_object_get(sum, "by_type"), type, t) {
			bump(r->acc, "expected", j_int(t, "expected"));
			bump(r->acc, "attended", j_int(t, "attended"));
			bump(of_type(r->types, type), "expected", j_int(t, "expected"));
			bump(of_type(r->types, type), "attended", j_int(t, "attended"));
		}
		json_decref(body);
		json_decref(sum);
	}
	return rc;
}

/* Tasks due in the period by a day that has passed: done (or not yet), and how late. */
static int tasks(struct county_run *r)
{
	int32_t upto = r->p->last < r->c->today - 1 ? r->p->last : r->c->today - 1;
	if (upto < r->p->first)
		return 0;
	char first[DATE_LEN], last[DATE_LEN];
	date_format(r->p->first, first);
	date_format(upto, last);
	json_t *rows, *t;
	int rc = store_monitor_tasks(r->c->db, r->id, first, last, &rows);
	if (rc)
		return rc;
	size_t i;
	json_array_foreach(rows, i, t) {
		int32_t due, done = 0;
		if (date_parse(j_str(t, "due"), &due) != 0)
			continue;
		bump(r->acc, "tasks_due", 1);
		if (strcmp(j_str(t, "status"), "done") == 0) {
			bump(r->acc, "tasks_done", 1);
			if (date_parse(j_str(t, "done_on"), &done) == 0 && done > due)
				push(r->acc, "tasks_days_late", done - due);
		} else {
			bump(r->acc, "tasks_overdue", 1);
			push(r->acc, "tasks_days_late", r->c->today - due);
		}
	}
	json_decref(rows);
	return 0;
}

/* One report owed, due on `due`: counted when that day falls in the period and has passed, or
 * once the report is delivered (then on time) before it; on time when first delivered by then. */
static void owed(struct county_run *r, json_t *delivered, const char *type, const char *period, int32_t due)
{
	if (due < r->p->first || due > r->p->last)
		return;
	size_t i;
	json_t *d;
	int32_t day;
	json_array_foreach(delivered, i, d)
		if (strcmp(j_str(d, "type"), type) == 0 && strcmp(j_str(d, "period"), period) == 0 &&
		    date_parse(j_str(d, "delivered_on"), &day) == 0) {
			bump(r->acc, "reports_due", 1);
			bump(r->acc, day <= due ? "reports_on_time" : "reports_late", 1);
			return;
		}
	if (due >= r->c->today)
		return;
	bump(r->acc, "reports_due", 1);
	bump(r->acc, "reports_missing", 1);
}

/* The reports the county's bodies owe (data/reports/ types of county scope): one per calendar
 * period of its kind that the issuing body lived into, one per held meeting for a Table. */
static int reports(struct county_run *r)
{
	static const struct {
		const char *kind;
		int count;
		char form;
	} kinds[] = {{"month", 12, 'M'}, {"quarter", 4, 'Q'}, {"half", 2, 'H'}, {"year", 1, 'Y'}};
	json_t *types = NULL, *delivered = NULL, *t;
	int rc;
	if ((rc = store_report_types(r->c->db, &types)) || (rc = store_monitor_reports(r->c->db, r->id, &delivered)))
		goto done;
	size_t i;
	json_array_foreach(types, i, t) {
		json_t *doc = json_object_get(t, "doc");
		const char *type = j_str(doc, "type"), *per = j_str(doc, "period");
		int due_days = (int)j_int(doc, "due_days");
		int64_t bid;
		json_t *body = NULL;
		int32_t est = 0;
		if (strcmp(j_str(doc, "scope"), "county") != 0 || store_body_find(r->c->db, j_str(doc, "issuer"), r->id, &bid) != 0)
			continue;
		if ((rc = store_body_get(r->c->db, bid, &body)))
			goto done;
		date_parse(j_str(body, "established"), &est);
		json_decref(body);
		if (strcmp(per, "meeting") == 0) {
			json_t *days = NULL, *m;
			char upto[DATE_LEN];
			date_format(r->p->last, upto);
			if ((rc = store_meeting_days(r->c->db, bid, NULL, upto, &days)))
				goto done;
			size_t j;
			json_array_foreach(days, j, m) {
				int32_t d;
				if (date_parse(j_str(m, "date"), &d) == 0)
					owed(r, delivered, type, j_str(m, "date"), d + due_days);
			}
			json_decref(days);
			continue;
		}
		int y0, y1, mm, dd;
		/* A period's report falls due after it: those of the year before may fall in this one. */
		date_to_ymd(r->p->first - due_days, &y0, &mm, &dd);
		date_to_ymd(r->p->last, &y1, &mm, &dd);
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
			if (strcmp(kinds[k].kind, per) != 0)
				continue;
			for (int y = y0; y <= y1; y++)
				for (int n = 1; n <= kinds[k].count; n++) {
					char name[16];
					struct period q;
					struct nrm_err ignored = {0};
					if (kinds[k].form == 'M')
						snprintf(name, sizeof name, "%04d-%02d", y, n);
					else if (kinds[k].form == 'Y')
						snprintf(name, sizeof name, "%04d", y);
					else
						snprintf(name, sizeof name, "%04d%c%d", y, kinds[k].form, n);
					if (period_parse(name, "period", &q, &ignored) != 0 || (est && q.last < est))
						continue;
					owed(r, delivered, type, q.name, q.last + due_days);
				}
		}
	}
done:
	json_decref(types);
	json_decref(delivered);
	return rc;
}

/* The seats on the day of counting, and the nominations that began in the period with how late
 * each came after its seat's deadline. */
static int seats(struct county_run *r)
{
	json_t *kinds = json_object_get(r->def, "seat_bodies"), *rows = NULL, *s;
	struct nrm_ctx at = *r->c;
	at.today = r->as_of;
	struct nrm_err ignored = {0};
	int rc = org_seats(&at, 0, r->id, &rows, &ignored);
	if (rc)
		return rc;
	size_t i;
	json_array_foreach(rows, i, s) {
		if (!listed(kinds, j_str(s, "body_kind")))
			continue;
		const char *st = j_str(s, "status");
		json_t *t = of_type(r->types, j_str(s, "institution_type"));
		bump(r->acc, "seats", 1);
		bump(t, "seats", 1);
		if (strcmp(st, "filled") == 0 || strcmp(st, "overdue") == 0) {
			const char *k = strcmp(st, "filled") == 0 ? "seats_filled" : "seats_overdue";
			bump(r->acc, k, 1);
			bump(t, k, 1);
		}
	}
	json_decref(rows);
	char first[DATE_LEN], last[DATE_LEN];
	date_format(r->p->first, first);
	date_format(r->as_of, last);
	if ((rc = store_monitor_nominations(r->c->db, r->id, first, last, &rows)))
		return rc;
	json_array_foreach(rows, i, s) {
		if (!listed(kinds, j_str(s, "body_kind")))
			continue;
		int32_t est = 0, start, vacated = 0, deadline;
		date_parse(j_str(s, "established"), &est);
		if (date_parse(j_str(s, "start"), &start) != 0)
			continue;
		if (date_parse(j_str(s, "prev_end"), &vacated) == 0)
			vacated += 1;
		json_t *t = of_type(r->types, j_str(s, "institution_type"));
		bump(r->acc, "nominations", 1);
		bump(t, "nominations", 1);
		if (est && org_nomination_deadline(est, (int)j_int(s, "nomination_days"), vacated, &deadline) == 0 &&
		    start > deadline) {
			bump(r->acc, "nominations_late", 1);
			bump(t, "nominations_late", 1);
			push(r->acc, "nomination_days_late", start - deadline);
			push(t, "nomination_days_late", start - deadline);
		}
	}
	json_decref(rows);
	return 0;
}

/* The county's agreements in force on the day of counting, those ending within the definitions'
 * expiring_days after it, and whether one is with a prosecution office. */
static int agreements(struct county_run *r)
{
	json_t *list, *a;
	int rc = store_agreements(r->c->db, r->id, 0, 100000, &list);
	if (rc)
		return rc;
	char day[DATE_LEN], soon[DATE_LEN];
	date_format(r->as_of, day);
	date_format(r->as_of + (int32_t)j_int(r->def, "expiring_days"), soon);
	bool prosecution = false;
	size_t i;
	json_array_foreach(list, i, a) {
		const char *from = *j_str(a, "valid_from") ? j_str(a, "valid_from") : j_str(a, "signed"),
			   *until = j_str(a, "valid_until");
		if (strcmp(from, day) > 0 || (*until && strcmp(until, day) < 0))
			continue;
		bump(r->acc, "agreements_in_force", 1);
		if (*until && strcmp(until, soon) <= 0)
			bump(r->acc, "agreements_expiring", 1);
		prosecution |= strncmp(j_str(a, "counterpart_kind"), "prosecution", 11) == 0;
	}
	bump(r->acc, "prosecution_agreement", prosecution);
	json_decref(list);
	return 0;
}

/* A figure of the registers' figures (register, figure id), when it is a number. */
static json_int_t figure(json_t *f, const char *reg, const char *id)
{
	size_t i, j;
	json_t *b, *x;
	json_array_foreach(json_object_get(f, "registers"), i, b) {
		if (strcmp(j_str(b, "register"), reg) != 0)
			continue;
		json_array_foreach(json_object_get(b, "figures"), j, x)
			if (strcmp(j_str(x, "id"), id) == 0)
				return json_is_integer(json_object_get(x, "value")) ? json_integer_value(json_object_get(x, "value")) : 0;
	}
	return 0;
}

/* What the registers of training, awareness and campaigns count for the county (never the
 * register of people at risk). */
static int prevention(struct county_run *r, struct nrm_err *err)
{
	json_t *f;
	int rc = reg_figures(r->c, r->slug, r->p->name, NULL, &f, err);
	if (rc)
		return rc;
	bump(r->acc, "trainings", figure(f, "trainings", "trainings"));
	bump(r->acc, "training_hours", figure(f, "trainings", "hours"));
	bump(r->acc, "members_trained", figure(f, "trainings", "members_trained"));
	bump(r->acc, "awareness_activities", figure(f, "awareness", "activities"));
	bump(r->acc, "campaigns", figure(f, "campaigns", "campaigns"));
	json_decref(f);
	return 0;
}

static json_t *type_values(json_t *acc)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:o}", "seats", (json_int_t)j_int(acc, "seats"),
			 "seats_filled", (json_int_t)j_int(acc, "seats_filled"), "seats_overdue",
			 (json_int_t)j_int(acc, "seats_overdue"), "nominations", (json_int_t)j_int(acc, "nominations"),
			 "nominations_late", (json_int_t)j_int(acc, "nominations_late"), "nomination_days_late",
			 median(json_object_get(acc, "nomination_days_late")), "expected", (json_int_t)j_int(acc, "expected"),
			 "attended", (json_int_t)j_int(acc, "attended"), "attendance_rate",
			 percent(j_int(acc, "attended"), j_int(acc, "expected")));
}

/* The rows by institution type, in the registry's order of the types. */
static json_t *by_type(struct nrm_ctx *c, json_t *def, json_t *types)
{
	json_t *rows = json_array(), *known = NULL, *t;
	size_t i;
	if (store_institution_types(c->db, &known) == 0)
		json_array_foreach(known, i, t) {
			json_t *acc = json_object_get(types, j_str(t, "code"));
			if (!acc)
				continue;
			json_array_append_new(rows, json_pack("{s:s, s:{s:s, s:s}, s:o}", "type", j_str(t, "code"), "label", "sq",
							      j_str(t, "name_sq"), "en", j_str(t, "name_en"), "values",
							      type_values(acc)));
		}
	json_decref(known);
	json_t *other = json_object_get(types, "other");
	if (other)
		json_array_append_new(rows, json_pack("{s:s, s:{s:s, s:s}, s:o}", "type", "other", "label", "sq",
						      "Pa institucion", "en", "No institution", "values", type_values(other)));
	return json_pack("{s:O, s:o}", "columns", json_object_get(def, "by_institution_type"), "rows", rows);
}

int monitor_scorecard(struct nrm_ctx *c, const char *period, const char *county, json_t **out, struct nrm_err *err)
{
	int64_t cid;
	bool national;
	int rc = monitor_scope(c, county, &cid, &national, err);
	if (rc)
		return rc;
	char year[8];
	int y, m, d;
	date_to_ymd(c->today, &y, &m, &d);
	snprintf(year, sizeof year, "%04d", y);
	struct period p;
	if ((rc = period_parse(period && *period ? period : year, "period", &p, err)))
		return rc;
	json_t *doc = NULL, *counties = NULL, *rows = json_array(), *total = json_object(), *types = json_object(), *k;
	if ((rc = store_monitor_definition(c->db, &doc)) || (rc = store_counties(c->db, &counties))) {
		if (rc == NRM_ENOTFOUND)
			rc = nrm_fail(err, NRM_EIO, KEY_scorecard_missing, NULL, NULL);
		goto done;
	}
	json_t *def = json_object_get(doc, "doc"), *indicators = json_object_get(def, "indicators");
	int32_t as_of = p.last < c->today ? p.last : c->today;
	size_t i;
	json_array_foreach(counties, i, k) {
		if (cid && j_int(k, "id") != cid)
			continue;
		struct county_run r = {.c = c, .p = &p, .def = def, .id = j_int(k, "id"), .slug = j_str(k, "slug"),
				       .as_of = as_of, .acc = json_object(), .types = types};
		if ((rc = meetings(&r)) || (rc = tasks(&r)) || (rc = reports(&r)) || (rc = seats(&r)) ||
		    (rc = agreements(&r)) || (rc = prevention(&r, err))) {
			json_decref(r.acc);
			goto done;
		}
		merge(total, r.acc);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o}", "county", j_str(k, "slug"), "name",
						      j_str(k, "name_sq"), "name_en", j_str(k, "name_en"), "values",
						      values_of(indicators, r.acc)));
		json_decref(r.acc);
	}
	char first[DATE_LEN], last[DATE_LEN], asof[DATE_LEN];
	date_format(p.first, first);
	date_format(p.last, last);
	date_format(as_of, asof);
	json_t *county_row = json_array_size(rows) == 1 && cid ? json_array_get(rows, 0) : NULL;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:O?, s:O, s:O, s:o, s:o, s:o}", "period", p.name, "first", first, "last",
			 last, "as_of", asof, "county", county_row ? json_object_get(county_row, "county") : NULL, "groups",
			 json_object_get(def, "groups"), "indicators", indicators, "rows", rows, "national",
			 national ? json_pack("{s:o}", "values", values_of(indicators, total)) : json_null(),
			 "by_institution_type", by_type(c, def, types));
	rows = NULL;
done:
	json_decref(doc);
	json_decref(counties);
	json_decref(rows);
	json_decref(total);
	json_decref(types);
	return rc;
}
