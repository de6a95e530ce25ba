/* The KRAT scorecard (Order 94 §3.2–3.3; issue 13): a county's year worked out by hand — Berat,
 * untouched by the demo, is given seats, meetings with their attendance, tasks, reports,
 * agreements and a training through the API with the clock set to each day — and the
 * scorecard of 2026H1 must say exactly what the hand says. Then who may read it, the national
 * lists, the files (XLSX read back by openpyxl, PDF by pdftotext), and the Ministry's annual
 * report drafting its figures from it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;

static void setup(void)
{
	server_start(&srv);
}
static void teardown(void)
{
	server_stop(&srv);
}
TestSuite(monitor, .init = setup, .fini = teardown, .timeout = 240);

/* ---- building Berat's half-year ---- */

static long long krat, table;
static long long ks[5], ts[3]; /* the KRAT's and the Table's seats that get members */
static long long tasks[6];
static long long seats_total;   /* the seats of Berat's KRAT, Table and secretariat */
static long long deadline_seats; /* of them, the KRAT's and the Table's: the secretariat's have no deadline */

static void seats_of(struct client *c, long long body, long long *out, int n)
{
	struct reply r = client_get(c, "/api/v1/bodies/%lld", body);
	for (int i = 0; i < n; i++) {
		char p[40];
		snprintf(p, sizeof p, "seats.%d.id", i);
		out[i] = jint(r.json, p);
	}
	seats_total += (long long)json_array_size(jpath(r.json, "seats"));
	reply_free(&r);
}

static long long nominate(struct client *c, long long seat, const char *name, const char *start)
{
	char path[80], json[200];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", seat);
	snprintf(json, sizeof json, "{\"name\":\"%s\",\"start\":\"%s\"}", name, start);
	struct reply r = client_must(c, "POST", path, json, 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	return id;
}

/* A meeting of body on day, of kind, with the attendance given as JSON seat entries. */
static long long meeting(struct client *c, long long body, const char *day, const char *kind, const char *seats)
{
	char path[80], json[1024];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", body);
	snprintf(json, sizeof json, "{\"date\":\"%s\",\"time\":\"10:00\",\"kind\":\"%s\"}", day, kind);
	struct reply r = client_must(c, "POST", path, json, 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/meetings/%lld/attendance", id);
	snprintf(json, sizeof json, "{\"seats\":[%s]}", seats);
	r = client_must(c, "PUT", path, json, 200);
	reply_free(&r);
	return id;
}

static void move(struct client *c, long long task, const char *status)
{
	char path[80], json[160];
	snprintf(path, sizeof path, "/api/v1/tasks/%lld", task);
	struct reply r = client_must(c, "GET", path, NULL, 200);
	long long version = jint(r.json, "version");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/status", task);
	snprintf(json, sizeof json, "{\"status\":\"%s\",\"note\":\"Ndjekur nga sekretariati.\",\"version\":%lld}", status,
		 version);
	r = client_must(c, "POST", path, json, 200);
	reply_free(&r);
}

/* A Table's report on its meeting of `day`, sent (so delivered) today. */
static void table_report(struct client *c, const char *day)
{
	char json[160], path[80];
	snprintf(json, sizeof json, "{\"type\":\"table-meeting\",\"scope\":\"berat\",\"period\":\"%s\"}", day);
	struct reply r = client_must(c, "POST", "/api/v1/reports", json, 201);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/submit", jint(r.json, "id"));
	reply_free(&r);
	r = client_must(c, "POST", path, "{}", 200);
	cr_expect_str_eq(jstr(r.json, "status"), "delivered");
	reply_free(&r);
}

static void post(struct client *c, const char *path, const char *json)
{
	struct reply r = client_must(c, "POST", path, json, 201);
	reply_free(&r);
}

static char att[512];
static const char *present(long long seat, const char *status)
{
	static char one[5][160];
	static int k;
	k = (k + 1) % 5;
	if (strcmp(status, "represented") == 0)
		snprintf(one[k], sizeof one[k],
			 "{\"seat\":%lld,\"status\":\"represented\",\"substitute\":\"Zëvendës (test)\",\"authorisation\":\"Nr. 1\"}",
			 seat);
	else
		snprintf(one[k], sizeof one[k], "{\"seat\":%lld,\"status\":\"%s\"}", seat, status);
	return one[k];
}

static const char *sheet(const char *a, const char *b, const char *c3, const char *d, const char *e)
{
	snprintf(att, sizeof att, "%s%s%s%s%s%s%s%s%s", a, b ? "," : "", b ? b : "", c3 ? "," : "", c3 ? c3 : "", d ? "," : "",
		 d ? d : "", e ? "," : "", e ? e : "");
	return att;
}

/* Berat, by hand (the KRAT and its Table were established on 2025-06-27; a seat's deadline is
 * 15 days later, 2025-07-12, or 15 days after its last member left):
 *
 * seats — KRAT seats 0-3 from 2025-07-10, seat 4 from 2026-02-01 (204 days late); Table seat 0
 *   from 2025-07-01 to 2026-01-31, then another member from 2026-03-02 (deadline 2026-02-16:
 *   14 days late), seat 1 from 2026-04-05 (267 days late), seat 2 from 2025-07-05. On 2026-06-30
 *   8 seats are filled, every other seat of the two vacant past its deadline (the secretariat's
 *   seats have none: vacant, not overdue); 3 nominations began in the
 *   half-year, all late: median 204 days.
 * meetings — windows ending in 2026H1: the KRAT's Q1 and Q2, the Table's Jan-Feb, Mar-Apr and
 *   May-Jun: 5 required. The KRAT met on 2025-12-15, 2026-02-10 (on time: within 3 months of
 *   2025-12-15), 2026-04-10 (extraordinary: not counted for the frequency) and 2026-06-20 (late:
 *   more than 3 months after 2026-02-10); the Table on 2026-01-20 (late: its first meeting, more
 *   than 2 months after its founding) and 2026-05-15 (late): 4 held, 1 on time, 80%. Five
 *   meetings held in the half-year; quorum (more than half of the members of the day): 02-10
 *   3 of 5 yes, 04-10 2 of 5 no, 06-20 5 of 5 yes, Table 01-20 2 of 2 yes, 05-15 1 of 3 no → 3.
 *   Attendance 3+2+5+2+1 = 13 of 5+5+5+2+3 = 20 → 65%.
 * tasks — decided on 2026-02-10: due 03-01 done 02-25 (on time), due 03-10 done 03-20 (10 days
 *   late), due 05-31 open (71 days late on 2026-08-10), due 06-15 in progress (56 days late), due
 *   06-10 cancelled (not counted), due 07-15 (after the half-year): 4 due, 2 done, 2 overdue,
 *   median of 10, 71, 56 = 56.
 * reports — due in the half-year: the KRAT's 2025Q4, 2025H2 and 2025 (due 2026-01-15), 2026Q1
 *   (04-15); the Table's on 01-20 (due 02-04, sent 02-01: on time) and on 05-15 (due 05-30, sent
 *   06-25: late): 6 due, 1 on time, 1 late, 4 missing.
 * agreements on 2026-06-30 — a prosecution office's until 2026-08-31 (expiring within 90 days),
 *   an NGO's without end, one ended 2025-12-31: 2 in force, 1 expiring, with a prosecution office.
 * prevention — one training of 6 hours with two KRAT members, one awareness activity. */
static void seed(void)
{
	server_restart(&srv, "2026-02-01");
	struct client sec = client_as(&srv, "berat.secretariat");
	krat = body_id(&sec, "krat", "berat");
	table = body_id(&sec, "technical_table", "berat");
	seats_total = 0;
	seats_of(&sec, krat, ks, 5);
	seats_of(&sec, table, ts, 3);
	deadline_seats = seats_total;
	long long sc[1];
	seats_of(&sec, body_id(&sec, "krat_secretariat", "berat"), sc, 0);
	nominate(&sec, ks[0], "Anëtar Një (test)", "2025-07-10");
	nominate(&sec, ks[1], "Anëtar Dy (test)", "2025-07-10");
	nominate(&sec, ks[2], "Anëtar Tre (test)", "2025-07-10");
	nominate(&sec, ks[3], "Anëtar Katër (test)", "2025-07-10");
	nominate(&sec, ks[4], "Anëtar Pesë (test)", "2026-02-01");
	long long first = nominate(&sec, ts[0], "Anëtar Gjashtë (test)", "2025-07-01");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/nominations/%lld", first);
	struct reply r = client_must(&sec, "PATCH", path, "{\"end\":\"2026-01-31\"}", 200);
	reply_free(&r);
	nominate(&sec, ts[0], "Anëtar Shtatë (test)", "2026-03-02");
	nominate(&sec, ts[1], "Anëtar Tetë (test)", "2026-04-05");
	nominate(&sec, ts[2], "Anëtar Nëntë (test)", "2025-07-05");

	meeting(&sec, krat, "2025-12-15", "ordinary",
		sheet(present(ks[0], "present"), present(ks[1], "present"), present(ks[2], "present"),
		      present(ks[3], "present"), NULL));
	meeting(&sec, table, "2026-01-20", "ordinary",
		sheet(present(ts[0], "present"), present(ts[2], "present"), NULL, NULL, NULL));
	table_report(&sec, "2026-01-20");
	client_free(&sec);

	server_restart(&srv, "2026-02-25");
	sec = client_as(&srv, "berat.secretariat");
	long long m = meeting(&sec, krat, "2026-02-10", "ordinary",
			      sheet(present(ks[0], "present"), present(ks[1], "present"), present(ks[2], "represented"),
				    present(ks[3], "absent"), present(ks[4], "excused")));
	long long inst = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'berat.caseworker'");
	char json[1500];
	snprintf(json, sizeof json,
		 "{\"text\":\"Detyrat e tremujorit.\",\"tasks\":["
		 "{\"title\":\"T1\",\"institution\":%lld,\"due\":\"2026-03-01\"},"
		 "{\"title\":\"T2\",\"institution\":%lld,\"due\":\"2026-03-10\"},"
		 "{\"title\":\"T3\",\"institution\":%lld,\"due\":\"2026-05-31\"},"
		 "{\"title\":\"T4\",\"institution\":%lld,\"due\":\"2026-06-15\"},"
		 "{\"title\":\"T5\",\"institution\":%lld,\"due\":\"2026-06-10\"},"
		 "{\"title\":\"T6\",\"institution\":%lld,\"due\":\"2026-07-15\"}]}",
		 inst, inst, inst, inst, inst, inst);
	snprintf(path, sizeof path, "/api/v1/meetings/%lld/decisions", m);
	r = client_must(&sec, "POST", path, json, 201);
	for (int i = 0; i < 6; i++) {
		char p[20];
		snprintf(p, sizeof p, "tasks.%d", i);
		tasks[i] = jint(r.json, p);
	}
	reply_free(&r);
	move(&sec, tasks[0], "done");
	client_free(&sec);

	server_restart(&srv, "2026-03-20");
	sec = client_as(&srv, "berat.secretariat");
	move(&sec, tasks[1], "done");
	client_free(&sec);

	server_restart(&srv, "2026-06-25");
	sec = client_as(&srv, "berat.secretariat");
	meeting(&sec, krat, "2026-04-10", "extraordinary",
		sheet(present(ks[0], "present"), present(ks[1], "present"), present(ks[2], "absent"),
		      present(ks[3], "absent"), present(ks[4], "absent")));
	meeting(&sec, krat, "2026-06-20", "ordinary",
		sheet(present(ks[0], "present"), present(ks[1], "present"), present(ks[2], "present"),
		      present(ks[3], "present"), present(ks[4], "present")));
	meeting(&sec, table, "2026-05-15", "ordinary",
		sheet(present(ts[0], "present"), present(ts[1], "absent"), present(ts[2], "absent"), NULL, NULL));
	table_report(&sec, "2026-05-15");
	move(&sec, tasks[3], "in_progress");
	move(&sec, tasks[4], "cancelled");
	post(&sec, "/api/v1/agreements",
	     "{\"county\":\"berat\",\"counterpart_kind\":\"prosecution_first\",\"counterpart\":\"Prokuroria Berat\","
	     "\"title\":\"Memorandum\",\"signed\":\"2025-09-01\",\"valid_until\":\"2026-08-31\"}");
	post(&sec, "/api/v1/agreements",
	     "{\"county\":\"berat\",\"counterpart_kind\":\"ngo_nrm\",\"counterpart\":\"OJF (test)\","
	     "\"title\":\"Protokoll\",\"signed\":\"2026-01-10\"}");
	post(&sec, "/api/v1/agreements",
	     "{\"county\":\"berat\",\"counterpart_kind\":\"ngo_other\",\"counterpart\":\"OJF e vjetër (test)\","
	     "\"title\":\"Protokoll i vjetër\",\"signed\":\"2024-01-01\",\"valid_until\":\"2025-12-31\"}");
	/* Two KRAT members trained; who they are is the registry's business, not the scorecard's. */
	r = client_get(&sec, "/api/v1/bodies/%lld", krat);
	long long p0 = jint(r.json, "seats.0.member.person"), p1 = jint(r.json, "seats.1.member.person");
	reply_free(&r);
	snprintf(json, sizeof json,
		 "{\"fields\":{\"title\":\"Identifikimi\",\"kind\":\"training\",\"topics\":[\"identification\"],"
		 "\"county\":\"berat\",\"organiser\":\"prefecture\",\"start\":\"2026-03-05\",\"end\":\"2026-03-06\",\"hours\":6,"
		 "\"participants\":[{\"person\":%lld,\"body\":%lld,\"sex\":\"female\"},{\"person\":%lld,\"body\":%lld,"
		 "\"sex\":\"male\"}]}}",
		 p0, krat, p1, krat);
	post(&sec, "/api/v1/registers/trainings/entries", json);
	snprintf(json, sizeof json,
		 "{\"fields\":{\"title\":\"Takim në shkollë\",\"activity\":\"school_session\",\"day\":\"2026-04-22\","
		 "\"county\":\"berat\",\"municipality\":\"berat\",\"organiser\":%lld,\"audience\":[\"pupils\"]}}",
		 inst);
	post(&sec, "/api/v1/registers/awareness/entries", json);
	client_free(&sec);
	server_restart(&srv, "2026-08-10");
}

/* The row of county slug in a scorecard ("national": the national row's values). */
static json_t *values(json_t *sc, const char *county)
{
	if (strcmp(county, "national") == 0)
		return jpath(sc, "national.values");
	size_t i;
	json_t *r;
	json_array_foreach(jpath(sc, "rows"), i, r)
		if (strcmp(jstr(r, "county"), county) == 0)
			return json_object_get(r, "values");
	return NULL;
}

static void expect(json_t *v, const char *id, long long want)
{
	json_t *x = json_object_get(v, id);
	cr_expect(json_is_integer(x), "%s is a number", id);
	cr_expect_eq(json_integer_value(x), want, "%s: %lld, not %lld", id, (long long)json_integer_value(x), want);
}

Test(monitor, berats_half_year_counted_by_hand_is_what_the_scorecard_says)
{
	seed();
	struct client monitor = client_as(&srv, "ministry.monitor");
	struct reply r = client_must(&monitor, "GET", "/api/v1/scorecard?period=2026H1", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "period"), "2026H1");
	cr_expect_str_eq(jstr(r.json, "as_of"), "2026-06-30", "seats and agreements at the half-year's end");
	cr_expect_eq(json_array_size(jpath(r.json, "rows")), 12, "one row per county");
	cr_expect_str_eq(jstr(r.json, "indicators.0.id"), "meetings_required", "the indicators in their file's order");
	cr_expect_str_eq(jstr(r.json, "indicators.0.label.sq"), "Mbledhje të detyruara");
	json_t *b = values(r.json, "berat");
	cr_assert_not_null(b);
	expect(b, "meetings_required", 5);
	expect(b, "meetings_held", 4);
	expect(b, "meetings_on_time", 1);
	expect(b, "meetings_compliance", 80);
	expect(b, "meetings_all", 5);
	expect(b, "quorum_reached", 3);
	expect(b, "attendance_rate", 65);
	expect(b, "tasks_due", 4);
	expect(b, "tasks_done", 2);
	expect(b, "tasks_overdue", 2);
	expect(b, "tasks_days_late", 56);
	expect(b, "reports_due", 6);
	expect(b, "reports_on_time", 1);
	expect(b, "reports_late", 1);
	expect(b, "reports_missing", 4);
	expect(b, "seats", seats_total);
	expect(b, "seats_filled", 8);
	expect(b, "seats_overdue", deadline_seats - 8);
	expect(b, "nominations", 3);
	expect(b, "nominations_late", 3);
	expect(b, "nomination_days_late", 204);
	expect(b, "agreements_in_force", 2);
	expect(b, "agreements_expiring", 1);
	expect(b, "prosecution_agreement", 1);
	expect(b, "trainings", 1);
	expect(b, "training_hours", 6);
	expect(b, "members_trained", 2);
	expect(b, "awareness_activities", 1);
	expect(b, "campaigns", 0);
	/* Vlorë did nothing: required meetings all missed, nothing to take a median of. */
	json_t *v = values(r.json, "vlore");
	expect(v, "meetings_required", 5);
	expect(v, "meetings_held", 0);
	expect(v, "meetings_compliance", 0);
	cr_expect(json_is_null(json_object_get(v, "attendance_rate")), "no meeting, no attendance rate");
	cr_expect(json_is_null(json_object_get(v, "tasks_days_late")), "no late task, no median");
	expect(v, "prosecution_agreement", 0);
	/* Nationally: every county's five windows; the only nominations of the half-year; Berat
	 * and the demo's Fier, Durrës and Tirana with a prosecution office (Korçë's ended in April). */
	json_t *n = values(r.json, "national");
	cr_assert_not_null(n);
	expect(n, "meetings_required", 60);
	expect(n, "nominations", 3);
	expect(n, "nomination_days_late", 204);
	expect(n, "prosecution_agreement", 4);
	/* By institution type: every nomination counted once, under its seat's type. */
	long long noms = 0, late = 0;
	size_t i;
	json_t *t;
	json_array_foreach(jpath(r.json, "by_institution_type.rows"), i, t) {
		noms += jint(t, "values.nominations");
		late += jint(t, "values.nominations_late");
	}
	cr_expect_eq(noms, 3);
	cr_expect_eq(late, 3);
	reply_free(&r);
	/* A quarter: the KRAT's Q1 window and the Table's Jan-Feb one; the February meeting on time. */
	r = client_must(&monitor, "GET", "/api/v1/scorecard?period=2026Q1&county=berat", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "rows")), 1);
	b = values(r.json, "berat");
	expect(b, "meetings_required", 2);
	expect(b, "meetings_held", 2);
	expect(b, "meetings_on_time", 1);
	expect(b, "tasks_due", 2);
	expect(b, "tasks_days_late", 10);
	expect(b, "reports_due", 4);
	expect(b, "reports_on_time", 1);
	cr_expect(json_is_null(jpath(r.json, "national")), "one county asked: no national row");
	reply_free(&r);
	client_refused(&monitor, "GET", "/api/v1/scorecard?period=2026Q5", NULL, 400, "period_format", "period");
	client_refused(&monitor, "GET", "/api/v1/scorecard?period=2026&county=atlantis", NULL, 400, "unknown_county", "county");
	client_free(&monitor);
}

Test(monitor, a_county_sees_its_own_row_and_others_see_nothing)
{
	seed();
	struct client sec = client_as(&srv, "berat.secretariat"), krat_member = client_as(&srv, "berat.krat");
	struct reply r = client_must(&sec, "GET", "/api/v1/scorecard?period=2026H1", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "rows")), 1);
	cr_expect_str_eq(jstr(r.json, "rows.0.county"), "berat");
	cr_expect_str_eq(jstr(r.json, "county"), "berat");
	cr_expect(json_is_null(jpath(r.json, "national")), "no national row for a county");
	expect(values(r.json, "berat"), "meetings_held", 4);
	reply_free(&r);
	r = client_must(&krat_member, "GET", "/api/v1/scorecard?period=2026H1&county=berat", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "rows")), 1);
	reply_free(&r);
	client_refused(&sec, "GET", "/api/v1/scorecard?period=2026H1&county=fier", NULL, 403, "scorecard_own_county",
		       "county");
	client_refused(&sec, "GET", "/api/v1/scorecard/xlsx?period=2026H1&county=fier", NULL, 403, "scorecard_own_county",
		       "county");
	r = client_must(&sec, "GET", "/api/v1/scorecard/seats-overdue", NULL, 200);
	size_t i, j;
	json_t *g, *s;
	json_array_foreach(jpath(r.json, "groups"), i, g) json_array_foreach(json_object_get(g, "items"), j, s)
		cr_expect_str_eq(jstr(s, "county"), "berat", "only its own seats");
	reply_free(&r);
	const char *refused[] = {"tirane.ngo", "fier.caseworker", "admin", "dpo"};
	for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
		struct client other = client_as(&srv, refused[k]);
		client_refused(&other, "GET", "/api/v1/scorecard?period=2026H1", NULL, 403, "scorecard_role", NULL);
		client_refused(&other, "GET", "/api/v1/scorecard/pdf?period=2026H1", NULL, 403, "scorecard_role", NULL);
		client_refused(&other, "GET", "/api/v1/scorecard/seats-overdue", NULL, 403, "scorecard_role", NULL);
		client_refused(&other, "GET", "/api/v1/scorecard/agreements-missing", NULL, 403, "scorecard_role", NULL);
		client_free(&other);
	}
	struct client chair = client_as(&srv, "authority.chair");
	r = client_must(&chair, "GET", "/api/v1/scorecard?period=2026H1", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "rows")), 12, "the Authority reads every county");
	reply_free(&r);
	client_free(&chair);
	client_free(&sec);
	client_free(&krat_member);
}

Test(monitor, the_ministry_lists_every_overdue_seat_by_institution_type_and_the_counties_without_a_prosecutor)
{
	seed();
	struct client monitor = client_as(&srv, "ministry.monitor");
	struct reply r = client_must(&monitor, "GET", "/api/v1/scorecard/seats-overdue", NULL, 200);
	long long total = jint(r.json, "total"), sum = 0;
	cr_expect_eq(total, db_int(&srv, "SELECT count(*) FROM seats s JOIN bodies b ON b.id = s.body_id"
					" WHERE b.county_id IS NOT NULL AND b.nomination_days > 0 AND NOT EXISTS (SELECT 1 FROM nominations n"
					" WHERE n.seat_id = s.id AND n.start <= '2026-08-10'"
					" AND (n.end IS NULL OR n.end >= '2026-08-10'))"),
		     "every vacant seat of the county bodies with a deadline is past it by now");
	size_t i, j;
	json_t *g, *s;
	json_array_foreach(jpath(r.json, "groups"), i, g) {
		long long prev = 1 << 30;
		cr_expect_eq(jint(g, "seats"), (long long)json_array_size(json_object_get(g, "items")));
		sum += jint(g, "seats");
		json_array_foreach(json_object_get(g, "items"), j, s) {
			cr_expect_str_eq(jstr(s, "institution_type"), jstr(g, "type"), "grouped by the type that nominates");
			cr_expect(jint(s, "days_overdue") <= prev, "the most overdue first");
			prev = jint(s, "days_overdue");
			cr_expect(json_object_get(s, "member") == NULL, "a vacant seat names nobody");
		}
	}
	cr_expect_eq(sum, total);
	reply_free(&r);
	/* Berat's memorandum holds on 2026-08-10; the demo's Fier, Durrës and Tirana have one too:
	 * eight counties lack one. */
	r = client_must(&monitor, "GET", "/api/v1/scorecard/agreements-missing", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 8);
	json_array_foreach(jpath(r.json, "items"), i, s) {
		cr_expect_str_neq(jstr(s, "county"), "berat");
		cr_expect_str_neq(jstr(s, "county"), "fier");
		if (strcmp(jstr(s, "county"), "korce") == 0)
			cr_expect_str_eq(jstr(s, "last_until"), "2026-04-30", "Korçë's memorandum ended");
	}
	reply_free(&r);
	client_free(&monitor);
	/* Once it ends, Berat is on the list, with the day it ended; its NGO protocol still counts. */
	server_restart(&srv, "2026-09-05");
	monitor = client_as(&srv, "ministry.monitor");
	r = client_must(&monitor, "GET", "/api/v1/scorecard/agreements-missing", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 9);
	cr_expect_str_eq(jstr(r.json, "items.0.county"), "berat");
	cr_expect_str_eq(jstr(r.json, "items.0.last_until"), "2026-08-31");
	cr_expect_eq(jint(r.json, "items.0.agreements_in_force"), 1);
	reply_free(&r);
	client_free(&monitor);
}

Test(monitor, the_scorecard_leaves_as_xlsx_and_pdf_with_the_same_figures)
{
	seed();
	struct client monitor = client_as(&srv, "ministry.monitor");
	struct reply r = client_must(&monitor, "GET", "/api/v1/scorecard/xlsx?period=2026H1&lang=en", NULL, 200);
	cr_expect_not_null(strstr(r.headers, "spreadsheetml"));
	cr_expect_not_null(strstr(r.headers, "filename=\"krat-scorecard-2026H1.xlsx\""), "%s", r.headers);
	char xlsx[320], cmd[2048];
	snprintf(xlsx, sizeof xlsx, "%s/s.xlsx", srv.dir);
	reply_save(&r, xlsx);
	reply_free(&r);
	/* Read back by an independent reader: Berat's row (the first county) and the national one. */
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c \"import openpyxl,sys; wb = openpyxl.load_workbook(sys.argv[1]);"
		 " assert wb.sheetnames == ['Scorecard', 'By institution type', 'Definitions'], wb.sheetnames;"
		 " ws = wb['Scorecard']; head = [c.value for c in ws[1]]; row = [c.value for c in ws[2]];"
		 " last = [c.value for c in ws[ws.max_row]];"
		 " assert head[:5] == ['County', 'Meetings required', 'Meetings held', 'Meetings on time', 'Meeting compliance'], head;"
		 " assert row[:8] == ['Berat', 5, 4, 1, 80, 5, 3, 65], row;"
		 " assert row[head.index('Median days late')] == 56, row;"
		 " assert row[head.index('Agreement with a prosecution office')] == 'yes', row;"
		 " assert isinstance(row[1], int);"
		 " assert ws.max_row == 14 and last[0] == 'National' and last[1] == 60, last;"
		 " d = wb['Definitions']; assert d.cell(2, 1).value == 'meetings_required'\" %s",
		 xlsx);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
	r = client_must(&monitor, "GET", "/api/v1/scorecard/pdf?period=2026H1", NULL, 200);
	cr_expect_not_null(strstr(r.headers, "application/pdf"));
	char pdf[320], txt[320];
	snprintf(pdf, sizeof pdf, "%s/s.pdf", srv.dir);
	snprintf(txt, sizeof txt, "%s/s.txt", srv.dir);
	reply_save(&r, pdf);
	reply_free(&r);
	snprintf(cmd, sizeof cmd, "pdftotext -layout %s %s", pdf, txt);
	cr_assert_eq(system(cmd), 0);
	char *text = file_read(txt, NULL);
	cr_assert_not_null(text);
	cr_expect_not_null(strstr(text, "Tabela e performancës së KRAT-eve"), "the title");
	cr_expect_not_null(strstr(text, "Përmbushja e mbledhjeve sipas qarkut"), "compliance drawn per county");
	cr_expect_not_null(strstr(text, "Berat"));
	cr_expect_not_null(strstr(text, "Kombëtare"), "the national row");
	cr_expect_not_null(strstr(text, "Përkufizimet"), "the definitions");
	cr_expect_null(strstr(text, "Anëtar Një"), "no member's name in the scorecard");
	free(text);
	r = client_must(&monitor, "GET", "/api/v1/scorecard/csv?period=2026H1", NULL, 200);
	cr_expect_not_null(strstr(r.body, "Berat,5,4,1,80,5,3,65,4,2,2,56,6,1,1,4"), "%.400s", r.body);
	reply_free(&r);
	/* The console writes the same file. */
	char out[320], err[512];
	snprintf(out, sizeof out, "%s/c.csv", srv.dir);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "scorecard", "--db", srv.db, "--period", "2026H1", "--format", "csv",
			     "--out", out, NULL),
		     0, "%s", err);
	char *csv = file_read(out, NULL);
	cr_expect(csv && strstr(csv, "Berat,5,4,1,80,5,3,65"), "%s", csv ? csv : "(none)");
	free(csv);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "scorecard", "--db", srv.db, "--period", "2026H1", "--format", "ods",
			     "--out", out, NULL),
		     2);
	client_free(&monitor);
}

Test(monitor, the_ministrys_annual_report_drafts_each_krats_performance_from_the_scorecard)
{
	seed();
	struct client monitor = client_as(&srv, "ministry.monitor");
	struct reply r = client_must(&monitor, "POST", "/api/v1/reports",
				     "{\"type\":\"ministry-krat-annual\",\"scope\":\"national\",\"period\":\"2026\"}", 201);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/reports/%lld", jint(r.json, "id"));
	reply_free(&r);
	r = client_must(&monitor, "GET", path, NULL, 200);
	struct reply s = client_must(&monitor, "GET", "/api/v1/scorecard?period=2026", NULL, 200);
	json_t *sec = NULL, *x;
	size_t i;
	json_array_foreach(jpath(r.json, "sections"), i, x)
		if (strcmp(jstr(x, "id"), "performance") == 0)
			sec = x;
	cr_assert_not_null(sec);
	/* Its first table is the meetings group: the columns are the scorecard's labels, Berat's row
	 * (the first county) its figures. */
	json_t *t = jpath(sec, "tables.0");
	cr_expect_str_eq(jstr(t, "title.en"), "The KRATs' performance — Meetings");
	cr_expect_str_eq(jstr(t, "columns.1.sq"), jstr(s.json, "indicators.0.label.sq"));
	cr_expect_str_eq(jstr(t, "rows.0.0.sq"), "Berat");
	cr_expect_eq(jint(t, "rows.0.1"), jint(s.json, "rows.0.values.meetings_required"));
	cr_expect_eq(jint(t, "rows.0.2"), jint(s.json, "rows.0.values.meetings_held"));
	cr_expect_eq(jint(t, "rows.0.2"), 4, "the windows ended by 2026-08-10: the KRAT met in both quarters, the Table in two of three");
	cr_expect_str_eq(jstr(t, "rows.12.0.sq"), "Kombëtare", "and the national row");
	cr_expect_eq(json_array_size(json_object_get(sec, "tables")), json_array_size(jpath(s.json, "groups")),
		     "a table per group of indicators");
	reply_free(&r);
	reply_free(&s);
	/* Sent, it goes to the Government, outside nrm: its author is not asked to acknowledge it. */
	r = client_must(&monitor, "POST", strcat(path, "/submit"), "{}", 200);
	reply_free(&r);
	path[strlen(path) - strlen("/submit")] = '\0';
	r = client_must(&monitor, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "delivered", "%s", r.body);
	cr_expect(json_is_false(jpath(r.json, "can_answer")), "the Ministry acknowledged its own report: %s", r.body);
	reply_free(&r);
	r = client_must(&monitor, "POST", strcat(path, "/answer"), "{\"version\":1,\"answer\":\"acknowledged\"}", 403);
	reply_free(&r);
	client_free(&monitor);
}
