/* Figures by period (issue 9): a crafted set of historical records, imported through
 * `nrm import` with the stages they reached, whose tables are worked out by hand below;
 * the status as of a period's end; stocks and flows; revisions; who sees what; the CLI; the
 * HTCDS export; and an attacker who solves the linear constraints of a whole release. */
#include <criterion/criterion.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static struct server srv;
static struct client sec, mon, fs;
static long long police_fier, police_vlore, police_tirane, shelter;

/* Today, for the server: 2025 and 2026Q1 have ended, 2026Q2 has not. */
#define TODAY "2026-06-15T10:00:00Z"

static long long meeting_on(const char *date)
{
	char path[80], body[120];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", body_id(&sec, "authority", NULL));
	snprintf(body, sizeof body, "{\"date\":\"%s\",\"kind\":\"ordinary\"}", date);
	struct reply r = client_req(&sec, "POST", path, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	reply_free(&r);
	return id;
}

static void import(const char *csv, const char *as)
{
	char path[400], err[4096], inst[24];
	snprintf(inst, sizeof inst, "%lld", police_fier);
	snprintf(path, sizeof path, "%s/in.csv", srv.dir);
	file_write(path, csv);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", path, "--db", srv.db, "--as", as, "--institution",
			     inst, NULL),
		     0, "%s", err);
}

/* The nine persons: who, when, what happened (see the expected tables in the tests). */
static void crafted(void)
{
	long long m1 = meeting_on("2025-03-20"), m2 = meeting_on("2025-10-10"), m3 = meeting_on("2025-12-28"),
		  m4 = meeting_on("2026-02-01");
	char csv[6000];
	snprintf(csv, sizeof csv,
		 "prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,al_identifying_institution,"
		 "al_identification_method,al_county,al_indicators_a,al_indicators_c,vic_TypeOfExploitation,prs_Citizenship,"
		 "al_stage,al_authority_meeting,al_formal_decision,al_formal_decision_date,al_trafficking_scope,"
		 "al_closure_reason,al_closure_date\n"
		 /* P1: a woman, decided a victim in March, closed in September. */
		 "Provë,Një,Feminine,30,2025-02-10,%lld,police,fier,A01,C01,SexualExploitation,AL,closed,%lld,"
		 "identified_victim,2025-03-20,internal,reintegrated,2025-09-01\n"
		 /* P2: a girl, begging. */
		 "Provë,Dy,Feminine,16,2025-05-05,%lld,police,fier,A01,C01,ForcedBegging;al_StreetBegging,AL,,,,,,,\n"
		 /* P3: a boy, agricultural labour. */
		 "Provë,Tre,Masculine,14,2025-07-07,%lld,police,vlore,A01,C01,A_AgricultureForestryAndFishing,AL,,,,,,,\n"
		 /* P4: a man from Kosovo found by a mobile unit, labour and sexual exploitation, a victim. */
		 "Provë,Katër,Masculine,40,2025-08-08,%lld,proactive_mobile_unit,tirane,A01,C01,ForcedLabour;SexualExploitation,"
		 "XK,formal_identification,%lld,identified_victim,2025-10-10,transnational,,\n"
		 /* P5: a woman with Albanian and Italian citizenship, prostitution. */
		 "Provë,Pesë,Feminine,22,2025-11-11,%lld,police,tirane,A01,C01,Prostitution,AL;IT,,,,,,,\n"
		 /* P6: a woman found not to be a victim. */
		 "Provë,Gjashtë,Feminine,25,2025-12-20,%lld,police,tirane,A01,C01,al_Theft,AL,formal_identification,%lld,"
		 "not_identified,2025-12-28,internal,,\n"
		 /* P7: identified in 2024. */
		 "Provë,Shtatë,Feminine,17,2024-12-30,%lld,police,fier,A01,C01,SexualExploitation,AL,,,,,,,\n"
		 /* P8: a man identified in March 2025, decided a victim only in February 2026. */
		 "Provë,Tetë,Masculine,35,2025-03-03,%lld,police,vlore,A01,C01,ForcedMarriage,AL,formal_identification,%lld,"
		 "identified_victim,2026-02-01,internal,,\n"
		 /* P9: a girl found by the shelter. */
		 "Provë,Nëntë,Feminine,9,2025-04-04,%lld,ngo,fier,A01,C01,ForcedBegging,AL,,,,,,,\n",
		 police_fier, m1, police_fier, police_vlore, police_tirane, m2, police_tirane, police_tirane, m3, police_fier,
		 police_vlore, m4, shelter);
	import(csv, "authority.secretariat");
}

static void setup(void)
{
	server_start(&srv);
	server_restart(&srv, TODAY);
	police_fier = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
	police_vlore = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'vlore.caseworker'");
	police_tirane = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'tirane.caseworker'");
	shelter = db_int(&srv, "SELECT id FROM institutions WHERE type = 'ngo_shelter' LIMIT 1");
	cr_assert(police_fier > 0 && police_vlore > 0 && police_tirane > 0 && shelter > 0);
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	client_init(&fs, &srv);
	client_login(&fs, "fier.secretariat", "demo");
}

static void teardown(void)
{
	client_free(&sec);
	client_free(&mon);
	client_free(&fs);
	server_stop(&srv);
}

TestSuite(stats, .init = setup, .fini = teardown, .timeout = 600);

/* A cell of a table: the row `row` of the block over `dim` (NULL: the first block), column
 * `col` ("total" for the total). -1 for a hidden figure, -2 when there is no such cell. */
static long cell_of(json_t *t, const char *dim, const char *row, const char *col)
{
	size_t i, j, b;
	json_t *c, *blk, *r;
	long at = -1;
	json_array_foreach(jpath(t, "columns"), i, c)
		if (strcmp(jstr(c, "code"), col) == 0)
			at = (long)i;
	if (at < 0)
		return -2;
	json_array_foreach(jpath(t, "blocks"), b, blk) {
		const char *d = jstr(blk, "dim");
		if (dim && (!d || strcmp(d, dim) != 0))
			continue;
		json_array_foreach(jpath(blk, "rows"), j, r)
			if (strcmp(jstr(r, "code"), row) == 0) {
				json_t *v = json_array_get(jpath(r, "cells"), (size_t)at);
				return json_is_integer(v) ? (long)json_integer_value(v) : json_is_string(v) ? -1 : -2;
			}
		if (dim)
			break;
	}
	return -2;
}

static json_t *fetch(struct client *c, const char *path)
{
	struct reply r = client_get(c, "%s", path);
	cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
	json_t *j = json_incref(r.json);
	reply_free(&r);
	return j;
}

/* Expect a row of three figures: VT, VMT, total. */
static void vt_vmt(json_t *t, const char *dim, const char *row, long vt, long vmt, long total)
{
	cr_expect_eq(cell_of(t, dim, row, "ActualVictimOfTrafficking"), vt, "%s %s VT", dim, row);
	cr_expect_eq(cell_of(t, dim, row, "PossibleVictimOfTrafficking"), vmt, "%s %s VMT", dim, row);
	cr_expect_eq(cell_of(t, dim, row, "total"), total, "%s %s total", dim, row);
}

Test(stats, the_national_table_of_a_year_of_imported_records_is_right_in_every_cell)
{
	crafted();
	json_t *t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025");
	/* Identified in 2025 and a victim or a potential victim at its end: P1 P2 P3 P4 P5 P8 P9
	 * (P6 was found not to be a victim, P7 was identified in 2024). P8's decision came in 2026. */
	vt_vmt(t, "sex_age", "women", 1, 1, 2);
	vt_vmt(t, "sex_age", "men", 1, 1, 2);
	vt_vmt(t, "sex_age", "girls", 0, 2, 2);
	vt_vmt(t, "sex_age", "boys", 0, 1, 1);
	vt_vmt(t, "sex_age", "other", 0, 0, 0);
	vt_vmt(t, "sex_age", "total", 2, 5, 7);
	/* Forms: P4 counts under labour and under sexual exploitation; begging within labour. */
	vt_vmt(t, "exploitation_national", "sexual", 2, 1, 3);
	vt_vmt(t, "exploitation_national", "labour", 1, 3, 4);
	vt_vmt(t, "exploitation_national", "begging", 0, 2, 2);
	vt_vmt(t, "exploitation_national", "criminality", 0, 0, 0);
	vt_vmt(t, "exploitation_national", "other", 0, 1, 1);
	vt_vmt(t, "exploitation_national", "total", 2, 5, 7);
	/* Citizenship: P5 is Albanian and Italian. */
	vt_vmt(t, "citizenship_group", "albanian", 1, 5, 6);
	vt_vmt(t, "citizenship_group", "foreign", 1, 1, 2);
	vt_vmt(t, "citizenship_group", "IT", 0, 1, 1);
	vt_vmt(t, "citizenship_group", "XK", 1, 0, 1);
	vt_vmt(t, "identified_by_group", "state", 1, 4, 5);
	vt_vmt(t, "identified_by_group", "ngo", 0, 1, 1);
	vt_vmt(t, "identified_by_group", "mobile_unit", 1, 0, 1);
	vt_vmt(t, "identified_by", "police", 1, 4, 5);
	vt_vmt(t, "identified_by", "ngo", 0, 1, 1);
	vt_vmt(t, "identified_by", "mobile_unit", 1, 0, 1);
	vt_vmt(t, "identified_by", "consulate", 0, 0, 0);
	cr_expect_eq(jint(t, "hidden"), 0, "the Authority sees every figure");
	cr_expect_str_eq(jstr(t, "audience"), "authority");
	json_decref(t);

	t = fetch(&sec, "/api/v1/stats/tables/eurostat?period=2025");
	cr_expect_eq(cell_of(t, "sex", "Feminine", "total"), 4);
	cr_expect_eq(cell_of(t, "sex", "Masculine", "total"), 3);
	cr_expect_eq(cell_of(t, "child", "child", "total"), 3);
	cr_expect_eq(cell_of(t, "child", "adult", "total"), 4);
	cr_expect_eq(cell_of(t, "age_group", "0-11", "total"), 1);
	cr_expect_eq(cell_of(t, "age_group", "12-17", "total"), 2);
	cr_expect_eq(cell_of(t, "age_group", "18-24", "total"), 1);
	cr_expect_eq(cell_of(t, "age_group", "25-34", "total"), 1);
	cr_expect_eq(cell_of(t, "age_group", "35-44", "total"), 2);
	cr_expect_eq(cell_of(t, "citizenship_eu", "reporting", "total"), 6);
	cr_expect_eq(cell_of(t, "citizenship_eu", "eu", "total"), 1);
	cr_expect_eq(cell_of(t, "citizenship_eu", "non_eu", "total"), 1);
	cr_expect_eq(cell_of(t, "exploitation_eurostat", "sexual", "total"), 3);
	cr_expect_eq(cell_of(t, "exploitation_eurostat", "labour", "total"), 4);
	cr_expect_eq(cell_of(t, "exploitation_eurostat", "criminal", "total"), 0);
	cr_expect_eq(cell_of(t, "exploitation_eurostat", "other", "total"), 1);
	cr_expect_eq(cell_of(t, "sex", "total", "total"), 7);
	json_decref(t);

	t = fetch(&sec, "/api/v1/stats/tables/by_county?period=2025");
	vt_vmt(t, "county", "fier", 1, 2, 3);
	vt_vmt(t, "county", "vlore", 0, 2, 2);
	vt_vmt(t, "county", "tirane", 1, 1, 2);
	vt_vmt(t, "county", "berat", 0, 0, 0);
	vt_vmt(t, "county", "total", 2, 5, 7);
	json_decref(t);

	/* One county: Fier's own persons. */
	t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025&county=fier");
	vt_vmt(t, "sex_age", "women", 1, 0, 1);
	vt_vmt(t, "sex_age", "girls", 0, 2, 2);
	vt_vmt(t, "sex_age", "total", 1, 2, 3);
	json_decref(t);
}

Test(stats, a_status_is_counted_as_it_stood_at_the_end_of_the_period)
{
	crafted();
	/* The first quarter: P1 (decided on 20 March) and P8 (undecided until 2026). */
	json_t *t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025Q1");
	vt_vmt(t, "sex_age", "total", 1, 1, 2);
	json_decref(t);
	/* Up to the day before the decision, P1 was a potential victim. */
	t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025-01-01..2025-03-19");
	vt_vmt(t, "sex_age", "total", 0, 2, 2);
	json_decref(t);
	/* A year counts its own persons: 2024 has P7 only, whatever day it was recorded. */
	t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2024");
	vt_vmt(t, "sex_age", "girls", 0, 1, 1);
	vt_vmt(t, "sex_age", "total", 0, 1, 1);
	json_decref(t);
	/* Two-way: persons identified in 2025 by status at its end, all statuses. */
	t = fetch(&sec, "/api/v1/stats?period=2025&rows=sex_age&cols=status");
	cr_expect_eq(cell_of(t, NULL, "women", "NotAVictimOfTrafficking"), 1, "P6");
	cr_expect_eq(cell_of(t, NULL, "women", "total"), 3);
	cr_expect_eq(cell_of(t, NULL, "total", "total"), 8);
	/* Rows in the dimension's own order. */
	cr_expect_str_eq(jstr(t, "blocks.0.rows.0.code"), "women");
	cr_expect_str_eq(jstr(t, "blocks.0.rows.1.code"), "men");
	json_decref(t);
}

Test(stats, flows_and_stocks_of_a_period)
{
	crafted();
	json_t *f = fetch(&sec, "/api/v1/stats/figures?period=2025");
	size_t i;
	json_t *flow;
	int seen = 0;
	json_array_foreach(jpath(f, "flows"), i, flow) {
		const char *m = jstr(flow, "measure");
		if (strcmp(m, "identified") == 0) {
			cr_expect_eq(cell_of(flow, NULL, "total", "total"), 7, "victims and potential victims");
			seen++;
		} else if (strcmp(m, "decided") == 0) {
			cr_expect_eq(cell_of(flow, NULL, "identified_victim", "total"), 2, "P1 and P4; P8's came in 2026");
			cr_expect_eq(cell_of(flow, NULL, "not_identified", "total"), 1);
			cr_expect_eq(cell_of(flow, NULL, "total", "total"), 3);
			seen++;
		} else if (strcmp(m, "closed") == 0) {
			cr_expect_eq(cell_of(flow, NULL, "reintegrated", "total"), 1);
			seen++;
		}
	}
	cr_expect_eq(seen, 3);
	/* Open at the end of 2025: all but P1, closed in September; P4 and P6 decided, P8 not yet. */
	json_t *open = jpath(f, "open");
	cr_expect_eq(cell_of(open, NULL, "initial_identification", "total"), 6);
	cr_expect_eq(cell_of(open, NULL, "formal_identification", "total"), 2);
	cr_expect_eq(cell_of(open, NULL, "closed", "total"), -2, "a closed case is not open");
	cr_expect_eq(cell_of(open, NULL, "total", "total"), 8);
	json_decref(f);
	/* Open at the end of March 2026: P8's decision has come. */
	f = fetch(&sec, "/api/v1/stats/figures?period=2026Q1");
	cr_expect_eq(cell_of(jpath(f, "open"), NULL, "formal_identification", "total"), 3);
	json_decref(f);
}

Test(stats, a_correction_after_the_year_is_a_revision_with_who_and_why)
{
	/* Recorded in August 2025, when it happened: a boy identified in Vlorë on 7 July. */
	server_restart(&srv, "2025-08-01T10:00:00Z");
	struct client cw;
	client_init(&cw, &srv);
	client_login(&cw, "vlore.caseworker", "demo");
	char body[1200];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"prs_FirstName\":\"Provë\",\"prs_SecondName\":\"Tre\",\"prs_Gender\":\"Masculine\","
		 "\"al_estimated_age\":14,\"al_identification_date\":\"2025-07-07\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"vlore\",\"al_indicators_a\":[\"A01\"],"
		 "\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedLabour\"]}}",
		 police_vlore);
	struct reply r = client_req(&cw, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char code[32];
	snprintf(code, sizeof code, "%s", jstr(r.json, "code"));
	reply_free(&r);
	client_free(&cw);
	/* Corrected in June 2026, once 2025 had been reported: it happened in January 2026. */
	server_restart(&srv, TODAY);
	client_free(&sec);
	client_free(&mon);
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	r = client_get(&sec, "/api/v1/cases/%s", code);
	long long version = jint(r.json, "version");
	reply_free(&r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body,
		 "{\"version\":%lld,\"fields\":{\"al_identification_date\":\"2026-01-05\"},\"reason\":\"data e gabuar ne regjister\"}",
		 version);
	r = client_req(&sec, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	json_t *t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025");
	vt_vmt(t, "sex_age", "boys", 0, 0, 0);
	json_decref(t);
	json_t *v = fetch(&sec, "/api/v1/stats/revisions?period=2025");
	json_t *fact = NULL, *it;
	size_t i;
	json_array_foreach(jpath(v, "facts"), i, it)
		if (strcmp(jstr(it, "kind"), "identified") == 0)
			fact = it;
	cr_assert_not_null(fact, "%s", json_dumps(v, 0));
	cr_expect_eq(jint(fact, "now"), 0);
	cr_expect_eq(jint(fact, "before"), 1, "as 2025 was reported");
	cr_expect_eq(jint(fact, "registered_late"), 0);
	cr_expect_str_eq(jstr(fact, "revisions.0.case_code"), code);
	cr_expect_str_eq(jstr(fact, "revisions.0.old_day"), "2025-07-07");
	cr_expect_str_eq(jstr(fact, "revisions.0.new_day"), "2026-01-05");
	cr_expect_str_eq(jstr(fact, "revisions.0.user"), "authority.secretariat");
	cr_expect_str_eq(jstr(fact, "revisions.0.reason"), "data e gabuar ne regjister");
	json_decref(v);
	/* The quarter the fact moved into had ended too: its figure grows by one. */
	v = fetch(&sec, "/api/v1/stats/revisions?period=2026Q1");
	cr_expect_eq(jint(v, "facts.0.now"), 1, "%s", json_dumps(v, 0));
	cr_expect_eq(jint(v, "facts.0.before"), 0);
	json_decref(v);
	/* Records of a past year registered now are listed as late, not as revisions. */
	crafted();
	v = fetch(&sec, "/api/v1/stats/revisions?period=2025");
	json_array_foreach(jpath(v, "facts"), i, it)
		if (strcmp(jstr(it, "kind"), "identified") == 0)
			cr_expect_eq(jint(it, "registered_late"), 8, "P1-P6, P8, P9");
	json_decref(v);
	r = client_get(&mon, "/api/v1/stats/revisions?period=2025");
	cr_expect_eq(r.status, 403, "who corrected which case is the Authority's");
	reply_free(&r);
}

/* Every number a response shows for a table: none from 1 to k-1. */
static void no_small_figures(json_t *t, int k)
{
	size_t b, i, j;
	json_t *blk, *row, *c;
	json_array_foreach(jpath(t, "blocks"), b, blk)
		json_array_foreach(jpath(blk, "rows"), i, row)
			json_array_foreach(jpath(row, "cells"), j, c) {
				if (json_is_string(c))
					cr_expect_str_eq(json_string_value(c), "c", "one symbol for a hidden figure");
				else
					cr_expect(json_integer_value(c) == 0 || json_integer_value(c) >= k, "%s %s: %lld shown",
						  jstr(blk, "dim"), jstr(row, "code"), (long long)json_integer_value(c));
			}
}

Test(stats, figures_that_leave_the_authority_are_protected_and_for_ended_periods_only)
{
	crafted();
	json_t *t = fetch(&mon, "/api/v1/stats/tables/national_annual?period=2025");
	cr_expect_str_eq(jstr(t, "audience"), "government");
	cr_expect_eq(jint(t, "k"), 5);
	cr_expect_gt(jint(t, "hidden"), 0);
	no_small_figures(t, 5);
	json_decref(t);
	t = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025&audience=public");
	cr_expect_eq(jint(t, "k"), 11);
	no_small_figures(t, 11);
	json_decref(t);
	static const struct {
		const char *path;
		long status;
		const char *key;
	} refused[] = {
		{"/api/v1/stats/tables/national_annual?period=2025-03", 403, "stats_period_kind"},
		{"/api/v1/stats/tables/national_annual?period=2025-01-01..2025-12-31", 403, "stats_period_kind"},
		{"/api/v1/stats/tables/national_annual?period=2026Q2", 403, "stats_period_open"},
		{"/api/v1/stats/tables/national_annual?period=2026", 403, "stats_period_open"},
		{"/api/v1/stats/tables/national_annual?period=2025&audience=authority", 403, "stats_audience"},
		{"/api/v1/stats?period=2025&rows=sex", 403, "stats_twoway"},
		{"/api/v1/stats/tables/national_annual?period=2025Q5", 400, "period_format"},
		{"/api/v1/stats/tables/nope?period=2025", 404, "unknown_table"},
		{"/api/v1/stats/tables/by_county?period=2025&county=atlantis", 400, "unknown_county"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		struct reply r = client_get(&mon, "%s", refused[i].path);
		cr_expect_eq(r.status, refused[i].status, "%s: %s", refused[i].path, r.body);
		cr_expect_str_eq(jstr(r.json, "error.key"), refused[i].key, "%s", refused[i].path);
		reply_free(&r);
	}
	/* The Authority itself asks anything, and gets errors named by field. */
	struct reply r = client_get(&sec, "/api/v1/stats?period=2026Q2&rows=sex&cols=sex");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.key"), "same_dimension");
	cr_expect_str_eq(jstr(r.json, "error.field"), "cols");
	reply_free(&r);
	r = client_get(&sec, "/api/v1/stats?period=2026Q2&rows=shoe_size");
	cr_expect_str_eq(jstr(r.json, "error.key"), "unknown_dimension");
	cr_expect_str_eq(jstr(r.json, "error.field"), "rows");
	reply_free(&r);
	r = client_get(&sec, "/api/v1/stats?period=2026Q2&rows=sex");
	cr_expect_eq(r.status, 200, "the Authority sees a period that has not ended");
	reply_free(&r);
	/* A county's secretariat: its own county, whatever it asks. */
	t = fetch(&fs, "/api/v1/stats/tables/by_county?period=2025");
	cr_expect_str_eq(jstr(t, "county"), "fier");
	json_decref(t);
	r = client_get(&fs, "/api/v1/stats/tables/by_county?period=2025&county=vlore");
	cr_expect_eq(r.status, 403);
	cr_expect_str_eq(jstr(r.json, "error.key"), "stats_own_county");
	reply_free(&r);
	/* Case workers and the data-protection officer see no figures. */
	struct client cw;
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
	r = client_get(&cw, "/api/v1/stats/tables/by_county?period=2025");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&cw);
}

Test(stats, a_figure_shared_by_two_tables_is_hidden_in_both_or_neither)
{
	crafted();
	static const char *const periods[] = {"2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025H1", "2025H2", "2025"};
	static const char *const counties[] = {"fier", "vlore", "tirane", "berat"};
	for (size_t p = 0; p < 7; p++) {
		char path[160];
		snprintf(path, sizeof path, "/api/v1/stats/tables/by_county?period=%s", periods[p]);
		json_t *byc = fetch(&mon, path);
		for (size_t k = 0; k < 4; k++) {
			snprintf(path, sizeof path, "/api/v1/stats/tables/national_annual?period=%s&county=%s", periods[p], counties[k]);
			json_t *nat = fetch(&mon, path);
			snprintf(path, sizeof path, "/api/v1/stats/tables/eurostat?period=%s&county=%s", periods[p], counties[k]);
			json_t *eu = fetch(&mon, path);
			static const char *const cols[] = {"ActualVictimOfTrafficking", "PossibleVictimOfTrafficking", "total"};
			for (size_t c = 0; c < 3; c++)
				cr_expect_eq(cell_of(nat, "sex_age", "total", cols[c]), cell_of(byc, "county", counties[k], cols[c]),
					     "%s %s %s", periods[p], counties[k], cols[c]);
			cr_expect_eq(cell_of(eu, "sex", "total", "total"), cell_of(byc, "county", counties[k], "total"), "%s %s",
				     periods[p], counties[k]);
			json_decref(nat);
			json_decref(eu);
		}
		json_decref(byc);
	}
	/* The period's figures show the same total as the standard tables. */
	json_t *f = fetch(&mon, "/api/v1/stats/figures?period=2025Q2&county=fier");
	json_t *byc = fetch(&mon, "/api/v1/stats/tables/by_county?period=2025Q2");
	cr_expect_eq(cell_of(jpath(f, "flows.0"), NULL, "total", "total"), cell_of(byc, "county", "fier", "total"));
	json_decref(f);
	json_decref(byc);
}

Test(stats, the_command_line_prints_the_same_table_as_csv_or_json)
{
	crafted();
	char out[400], err[4096];
	snprintf(out, sizeof out, "%s/t.json", srv.dir);
	setenv("NRM_NOW", TODAY, 1);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "stats", "table", "national_annual", "--period", "2025", "--db", srv.db,
			     "--format", "json", "--audience", "authority", "--out", out, NULL),
		     0, "%s", err);
	json_error_t je;
	json_t *cli = json_load_file(out, 0, &je), *api = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025");
	cr_assert_not_null(cli, "%s", je.text);
	cr_expect(json_equal(jpath(cli, "blocks"), jpath(api, "blocks")), "the same figures");
	json_decref(cli);
	json_decref(api);
	snprintf(out, sizeof out, "%s/t.csv", srv.dir);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "stats", "table", "national_annual", "--period", "2025", "--db", srv.db,
			     "--audience", "authority", "--out", out, NULL),
		     0, "%s", err);
	char *text = file_read(out, NULL);
	cr_assert_not_null(text);
	cr_expect_not_null(strstr(text, "Gra,1,1,2\r\n"), "%s", text);
	cr_expect_not_null(strstr(text, "Burra,1,1,2\r\n"), "%s", text);
	cr_expect_not_null(strstr(text, "  prej të cilave lypje,0,2,2\r\n"), "%s", text);
	/* Without --audience the console counts for the government: small figures hidden. */
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "stats", "table", "national_annual", "--period", "2025", "--db", srv.db,
			     "--out", out, "--lang", "en", NULL),
		     0, "%s", err);
	free(text);
	text = file_read(out, NULL);
	cr_assert_not_null(text);
	cr_expect_not_null(strstr(text, "Women,c,c,c\r\n"), "%s", text);
	cr_expect_not_null(strstr(text, "c: figure hidden"), "the legend: %s", text);
	free(text);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "stats", "table", "national_annual", "--period", "2025-13", "--db", srv.db,
			     NULL),
		     2, "a bad period is a usage error");
	cr_expect_not_null(strstr(err, "period"), "%s", err);
	unsetenv("NRM_NOW");
}

/* Every value of an HTCDS field is one of that field's values in the standard. */
Test(stats, the_htcds_export_writes_only_htcds_values)
{
	crafted();
	char out[400], err[4096];
	snprintf(out, sizeof out, "%s/h.json", srv.dir);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", srv.db, "--as", "authority.secretariat",
			     "--format", "htcds", "--out", out, NULL),
		     0, "%s", err);
	json_error_t je;
	json_t *cases = json_load_file(out, 0, &je), *ref = json_load_file("data/htcds/fields.json", 0, &je);
	cr_assert_not_null(cases);
	cr_assert_not_null(ref, "%s", je.text);
	size_t i, j;
	json_t *c, *v;
	const char *k;
	int industries = 0, sex_types = 0;
	json_array_foreach(cases, i, c) {
		json_object_foreach(c, k, v) {
			json_t *list = jpath(jpath(ref, "lists"), k);
			if (!list)
				continue;
			json_t *vals = json_is_array(v) ? json_incref(v) : json_pack("[O]", v), *x;
			json_array_foreach(vals, j, x) {
				bool found = false;
				size_t m;
				json_t *y;
				json_array_foreach(list, m, y)
					found |= json_equal(x, y);
				cr_expect(found, "%s: %s is not an HTCDS value", k, json_string_value(x));
			}
			json_decref(vals);
		}
		industries += jpath(c, "vic_ForcedLabourIndustry") != NULL;
		sex_types += jpath(c, "vic_TypeOfSexExploitation") != NULL;
		const char *expl = json_dumps(jpath(c, "vic_TypeOfExploitation"), JSON_ENCODE_ANY);
		cr_expect_null(strstr(expl, "A_Agriculture"), "a labour industry is not a form of exploitation");
		free((void *)expl);
	}
	cr_expect_eq(industries, 1, "P3's agriculture");
	cr_expect_eq(sex_types, 1, "P5's prostitution");
	json_decref(cases);
	json_decref(ref);
}

/* ---- the attacker ---- */

/* A deterministic crowd: n persons identified in 2025 across the counties, mostly in a few. */
static void crowd(int n)
{
	static const char *const counties[] = {"berat", "diber", "durres", "elbasan", "fier", "gjirokaster",
					       "korce", "kukes", "lezhe", "shkoder", "tirane", "vlore"};
	static const int weight[] = {2, 1, 6, 4, 8, 1, 3, 1, 2, 4, 20, 6};
	static const char *const sexes[] = {"Feminine", "Feminine", "Feminine", "Masculine", "Masculine"};
	static const int ages[] = {9, 13, 15, 16, 17, 19, 22, 25, 30, 40};
	size_t cap = (size_t)n * 220 + 400, len = 0;
	char *csv = malloc(cap);
	len += (size_t)snprintf(csv, cap,
				"prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,"
				"al_identifying_institution,al_identification_method,al_county,al_indicators_a,al_indicators_c,"
				"vic_TypeOfExploitation,prs_Citizenship\n");
	unsigned long x = 20250101;
	for (int i = 0; i < n; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		int w = (int)((x >> 33) % 58), c = 0;
		while (w >= weight[c])
			w -= weight[c++];
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		int month = (int)((x >> 33) % 12) + 1, day = (int)((x >> 40) % 28) + 1;
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		len += (size_t)snprintf(csv + len, cap - len, "Turmë,%d,%s,%d,2025-%02d-%02d,%lld,police,%s,A01,C01,%s,AL\n", i,
					sexes[(x >> 33) % 5], ages[(x >> 36) % 10], month, day, police_fier, counties[c],
					(x >> 45) % 3 ? "SexualExploitation" : "ForcedLabour");
	}
	import(csv, "authority.secretariat");
	free(csv);
}

/* The attacker's model of a release: every figure of national_annual's sex-and-age block and
 * of by_county for the seven periods of 2025, the whole country and each county; what is
 * published is known, what is hidden is a variable ≥ 0; and all they know ties them: the
 * columns add up, the rows add up, the counties add up to the country, a county's row of
 * by_county is its own total, and the quarters add up to the halves and the year (for the
 * total column: a status is as of each period's end). */
#define NP 7
#define NA 13
#define NR 6
#define NC 3
static const char *const periods[NP] = {"2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025H1", "2025H2", "2025"};
static const char *const rows[NR] = {"women", "men", "girls", "boys", "other", "total"};
static const char *const cols[NC] = {"ActualVictimOfTrafficking", "PossibleVictimOfTrafficking", "total"};
static const char *const areas[NA] = {"", "berat", "diber", "durres", "elbasan", "fier", "gjirokaster",
				      "korce", "kukes", "lezhe", "shkoder", "tirane", "vlore"};
static long shown[NP][NA][NR][NC], truth[NP][NA][NR][NC];

static int var(int p, int a, int r, int c)
{
	return ((p * NA + a) * NR + r) * NC + c + 1;
}

/* Adds Σ coef·x = 0 over the given cells, with published ones moved to the right. */
static void relation(glp_prob *lp, const int *cells, const double *coef, int n)
{
	int ind[64];
	double val[64], rhs = 0;
	int len = 0;
	for (int i = 0; i < n; i++) {
		int v = cells[i] - 1, c = v % NC, r = (v / NC) % NR, a = (v / NC / NR) % NA, p = v / NC / NR / NA;
		if (shown[p][a][r][c] >= 0)
			rhs -= coef[i] * (double)shown[p][a][r][c];
		else {
			ind[++len] = cells[i];
			val[len] = coef[i];
		}
	}
	int row = glp_add_rows(lp, 1);
	glp_set_row_bnds(lp, row, GLP_FX, rhs, rhs);
	glp_set_mat_row(lp, row, len, ind, val);
}

static void fetch_release(struct client *as, long out[NP][NA][NR][NC])
{
	for (int p = 0; p < NP; p++)
		for (int a = 0; a < NA; a++) {
			char path[200];
			snprintf(path, sizeof path, "/api/v1/stats/tables/national_annual?period=%s%s%s", periods[p],
				 a ? "&county=" : "", areas[a]);
			json_t *t = fetch(as, path);
			for (int r = 0; r < NR; r++)
				for (int c = 0; c < NC; c++)
					out[p][a][r][c] = cell_of(t, "sex_age", rows[r], cols[c]);
			json_decref(t);
		}
}

Test(stats, an_attacker_who_solves_the_whole_release_finds_no_hidden_figure)
{
	crowd(140);
	fetch_release(&mon, shown);
	fetch_release(&sec, truth);
	glp_prob *lp = glp_create_prob();
	glp_add_cols(lp, NP * NA * NR * NC);
	for (int i = 1; i <= NP * NA * NR * NC; i++)
		glp_set_col_bnds(lp, i, GLP_LO, 0, 0);
	int cells[16];
	double coef[16];
	for (int p = 0; p < NP; p++)
		for (int a = 0; a < NA; a++) {
			for (int r = 0; r < NR; r++) {
				cells[0] = var(p, a, r, 2), coef[0] = 1;
				cells[1] = var(p, a, r, 0), coef[1] = -1;
				cells[2] = var(p, a, r, 1), coef[2] = -1;
				relation(lp, cells, coef, 3);
			}
			for (int c = 0; c < NC; c++) {
				cells[0] = var(p, a, NR - 1, c), coef[0] = 1;
				for (int r = 0; r < NR - 1; r++)
					cells[r + 1] = var(p, a, r, c), coef[r + 1] = -1;
				relation(lp, cells, coef, NR);
			}
		}
	for (int p = 0; p < NP; p++)
		for (int r = 0; r < NR; r++)
			for (int c = 0; c < NC; c++) {
				cells[0] = var(p, 0, r, c), coef[0] = 1;
				for (int a = 1; a < NA; a++)
					cells[a] = var(p, a, r, c), coef[a] = -1;
				relation(lp, cells, coef, NA);
			}
	static const int halves[3][3] = {{4, 0, 1}, {5, 2, 3}, {6, 4, 5}};
	for (int h = 0; h < 3; h++)
		for (int a = 0; a < NA; a++)
			for (int r = 0; r < NR; r++) {
				cells[0] = var(halves[h][0], a, r, 2), coef[0] = 1;
				cells[1] = var(halves[h][1], a, r, 2), coef[1] = -1;
				cells[2] = var(halves[h][2], a, r, 2), coef[2] = -1;
				relation(lp, cells, coef, 3);
			}
	/* by_county's rows are the counties' totals: nothing new to know beyond the above. */
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	int hidden = 0, small = 0;
	for (int p = 0; p < NP; p++)
		for (int a = 0; a < NA; a++)
			for (int r = 0; r < NR; r++)
				for (int c = 0; c < NC; c++) {
					if (shown[p][a][r][c] != -1)
						continue;
					hidden++;
					int j = var(p, a, r, c);
					double lo = 0, hi = INFINITY;
					glp_set_obj_coef(lp, j, 1);
					glp_set_obj_dir(lp, GLP_MIN);
					cr_assert_eq(glp_simplex(lp, &parm), 0);
					cr_assert_eq(glp_get_status(lp), GLP_OPT, "the published figures agree with each other");
					lo = glp_get_obj_val(lp);
					glp_set_obj_dir(lp, GLP_MAX);
					cr_assert_eq(glp_simplex(lp, &parm), 0);
					if (glp_get_status(lp) == GLP_OPT)
						hi = glp_get_obj_val(lp);
					glp_set_obj_coef(lp, j, 0);
					long v = truth[p][a][r][c];
					cr_expect(v >= lo - 1e-6 && v <= hi + 1e-6, "the truth lies within what is published");
					double top = floor(hi + 1e-6), bottom = ceil(lo - 1e-6);
					cr_expect_gt(top - bottom, 0, "%s %s %s %s (%ld) is determined", periods[p], areas[a], rows[r],
						     cols[c], v);
					if (v < 5) {
						small++;
						cr_expect_geq(top, 5, "%s %s %s %s (%ld) is known to be below 5: [%g, %g]", periods[p],
							      areas[a], rows[r], cols[c], v, lo, hi);
					}
					if (v >= 1 && v < 5)
						cr_expect_geq(top - bottom, 5, "%s %s %s %s (%ld) narrowed to [%g, %g]", periods[p],
							      areas[a], rows[r], cols[c], v, lo, hi);
				}
	cr_expect_gt(hidden, 50, "a release with much to hide");
	cr_expect_gt(small, 20);
	glp_delete_prob(lp);
}

/* The figures are counted in one pass over a period's persons; NRM_STATS_RECOUNT counts
 * every grouping on its own, as before that pass: both give the same tables, cell for cell
 * and hidden cell for hidden cell, for every standard table, audience, period and area, and
 * the same figures of a period and two-way tables. */
static char *cli_table(const char *name, const char *period, const char *audience, const char *county)
{
	char out[400], err[4096];
	snprintf(out, sizeof out, "%s/pass.json", srv.dir);
	const char *args[] = {"stats", "table", name, "--period", period, "--db", srv.db, "--format", "json", "--audience",
			      audience, "--out", out, *county ? "--county" : NULL, county, NULL};
	cr_assert_eq(nrm_run(NULL, err, sizeof err, args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7],
			     args[8], args[9], args[10], args[11], args[12], args[13], args[14], NULL),
		     0, "%s %s %s %s: %s", name, period, audience, county, err);
	char *text = file_read(out, NULL);
	cr_assert_not_null(text);
	return text;
}

static json_t *api_figures(void)
{
	static const char *const paths[] = {
		"/api/v1/stats/figures?period=2025", "/api/v1/stats/figures?period=2025Q4", "/api/v1/stats/figures?period=2026-02",
		"/api/v1/stats/figures?period=2025&county=fier", "/api/v1/stats?period=2025&rows=stage&cols=status",
		"/api/v1/stats?period=2025&rows=exploitation&cols=sex_age", "/api/v1/stats?period=2025&measure=closed&rows=code",
		"/api/v1/stats?period=2025H2&measure=open&rows=county&cols=stage",
		/* P1 was open at the end of June, closed now: the stock is by the stage then. */
		"/api/v1/stats/figures?period=2025Q2", "/api/v1/stats?period=2025-06&measure=open&rows=stage"};
	json_t *all = json_object();
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		json_object_set_new(all, paths[i], fetch(&sec, paths[i]));
	json_t *fig = fetch(&mon, "/api/v1/stats/figures?period=2025");
	json_object_set_new(all, "monitor", fig);
	return all;
}

/* The clients again, after a restart (the server's port may change). */
static void relogin(void)
{
	client_free(&sec);
	client_free(&mon);
	client_free(&fs);
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	client_init(&fs, &srv);
	client_login(&fs, "fier.secretariat", "demo");
}

Test(stats, one_pass_over_the_persons_gives_the_same_tables_as_counting_each_grouping)
{
	crafted();
	crowd(80);
	/* Each standard table for the Authority, and each release outside it (a release holds every
	 * period of the year and every county: one period and area of it shows it all, so each
	 * release is asked once — protecting one is the slow part of this test). */
	static const char *const asked[][4] = {
		{"national_annual", "2025", "authority", ""},	{"national_annual", "2025Q3", "authority", "fier"},
		{"national_annual", "2024", "authority", ""},	{"eurostat", "2025H2", "authority", ""},
		{"by_county", "2025", "authority", ""},		{"national_annual", "2025Q3", "government", "fier"},
		{"eurostat", "2025", "public", ""},		{"by_county", "2025H2", "government", ""}};
	setenv("NRM_NOW", TODAY, 1);
	int compared = 0;
	for (size_t i = 0; i < sizeof asked / sizeof *asked; i++) {
		unsetenv("NRM_STATS_RECOUNT");
		char *pass = cli_table(asked[i][0], asked[i][1], asked[i][2], asked[i][3]);
		setenv("NRM_STATS_RECOUNT", "1", 1);
		char *full = cli_table(asked[i][0], asked[i][1], asked[i][2], asked[i][3]);
		unsetenv("NRM_STATS_RECOUNT");
		cr_expect_str_eq(pass, full, "%s %s %s %s", asked[i][0], asked[i][1], asked[i][2], asked[i][3]);
		if (strstr(pass, "\"c\""))
			compared++;
		free(pass);
		free(full);
	}
	cr_expect_gt(compared, 0, "some releases hide figures");
	unsetenv("NRM_NOW");
	json_t *pass = api_figures();
	setenv("NRM_STATS_RECOUNT", "1", 1);
	server_restart(&srv, TODAY);
	unsetenv("NRM_STATS_RECOUNT");
	relogin();
	json_t *full = api_figures();
	const char *path;
	json_t *v;
	json_object_foreach(pass, path, v) {
		char *x = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT), *y = json_dumps(json_object_get(full, path), JSON_SORT_KEYS | JSON_COMPACT);
		cr_expect_str_eq(x, y, "%s", path);
		free(x);
		free(y);
	}
	json_decref(pass);
	json_decref(full);
	server_restart(&srv, TODAY);
	relogin();
}

/* A case the Authority registers, identified on `day` in `county`; *code its code. */
static void registered(const char *first, const char *day, const char *county, char code[32])
{
	char body[1500];
	snprintf(body, sizeof body,
		 "{\"institution\":%lld,\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\","
		 "\"prs_FirstName\":\"%s\",\"prs_SecondName\":\"Mbajtur\",\"prs_Gender\":\"Feminine\","
		 "\"prs_Birthdate\":\"2001-02-03\",\"al_identification_date\":\"%s\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"%s\",\"al_indicators_a\":[\"A01\"],"
		 "\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"SexualExploitation\"]}}",
		 db_int(&srv, "SELECT institution_id FROM users WHERE username = 'authority.secretariat'"), first, day,
		 police_fier, county);
	struct reply r = client_req(&sec, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(code, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

static void changed(const char *code, const char *fields, const char *to)
{
	struct reply r = client_get(&sec, "/api/v1/cases/%s", code);
	long long version = jint(r.json, "version");
	reply_free(&r);
	char path[80], body[1200];
	if (to) {
		snprintf(path, sizeof path, "/api/v1/cases/%s/transitions", code);
		snprintf(body, sizeof body, "{\"to\":\"%s\",\"version\":%lld,\"fields\":%s}", to, version, fields);
		r = client_req(&sec, "POST", path, body);
	} else {
		snprintf(path, sizeof path, "/api/v1/cases/%s", code);
		snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":%s,\"reason\":\"korrigjim\"}", version, fields);
		r = client_req(&sec, "PATCH", path, body);
	}
	cr_assert_eq(r.status, 200, "%s %s: %s", code, to ? to : "PATCH", r.body);
	reply_free(&r);
}

static void expect_same(json_t *kept, json_t *fresh)
{
	const char *path;
	json_t *v;
	json_object_foreach(kept, path, v) {
		char *x = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT),
		     *y = json_dumps(json_object_get(fresh, path), JSON_SORT_KEYS | JSON_COMPACT);
		cr_expect_str_eq(x, y, "%s", path);
		free(x);
		free(y);
	}
}

/* The server keeps a whole table while nothing changes (stats_result_key): after each change
 * it answers what a process of its own counts now. */
static void answers_as_counted_now(const char *step)
{
	json_t *api = fetch(&sec, "/api/v1/stats/tables/national_annual?period=2025&audience=government");
	char *text = cli_table("national_annual", "2025", "government", "");
	json_t *now = json_loads(text, 0, NULL);
	cr_assert_not_null(now);
	cr_expect(json_equal(api, now), "after %s: the server still answers the table as it was", step);
	json_decref(api);
	json_decref(now);
	free(text);
}

Test(stats, kept_figures_are_what_a_fresh_count_gives_after_every_kind_of_change)
{
	crafted();
	crowd(30);
	/* Kept when first counted: the figures, tables and two-way tables of ended and current
	 * periods; asked again, they are read, not kept twice. */
	json_decref(api_figures());
	free(cli_table("national_annual", "2025", "authority", ""));
	long long units = db_int(&srv, "SELECT count(*) FROM fig_units");
	cr_assert_gt(units, 10);
	json_t *before = api_figures();
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM fig_units"), units, "read from the kept figures");
	/* Every kind of change: a case of a past month registered now; its duplicate; a
	 * correction that moves it to another month, county and form of exploitation; a
	 * closure dated in the past; the merge of the pair; late records imported. */
	char a[32], b[32];
	answers_as_counted_now("nothing");
	registered("Ana", "2025-05-05", "fier", a);
	answers_as_counted_now("a registration");
	registered("ANA", "2026-05-05", "tirane", b);
	changed(a, "{\"al_identification_date\":\"2025-11-20\",\"al_county\":\"vlore\","
		   "\"vic_TypeOfExploitation\":[\"ForcedLabour\",\"ForcedBegging\"],\"prs_Gender\":\"Masculine\"}",
		NULL);
	answers_as_counted_now("a correction");
	changed(a, "{\"al_closure_reason\":\"reintegrated\",\"al_closure_date\":\"2025-12-10\"}", "closed");
	answers_as_counted_now("a closure");
	struct reply r = client_get(&sec, "/api/v1/duplicates");
	cr_assert_eq(r.status, 200, "%s", r.body);
	long long pair = 0;
	size_t i;
	json_t *d;
	json_array_foreach(jpath(r.json, "items"), i, d)
		if (strcmp(jstr(d, "cases.0"), b) == 0 || strcmp(jstr(d, "cases.1"), b) == 0)
			pair = jint(d, "id");
	reply_free(&r);
	cr_assert_gt(pair, 0, "the pair is in the queue");
	char path[80], keep[64];
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/merge", pair);
	snprintf(keep, sizeof keep, "{\"keep\":\"%s\"}", a);
	r = client_req(&sec, "POST", path, keep);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	answers_as_counted_now("a merge");
	import("prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,al_identifying_institution,"
	       "al_identification_method,al_county,al_indicators_a,al_indicators_c,vic_TypeOfExploitation,prs_Citizenship\n"
	       "Vonë,Një,Masculine,15,2025-02-14,1,police,korce,A01,C01,ForcedLabour,AL\n"
	       "Vonë,Dy,Feminine,33,2025-12-31,1,police,fier,A01,C01,Prostitution,XK\n",
	       "authority.secretariat");
	answers_as_counted_now("an import");
	json_t *kept = api_figures();
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM fig_units"), units, "the same figures kept, changed in place");
	char *pass = cli_table("national_annual", "2025", "authority", "");
	setenv("NRM_STATS_RECOUNT", "1", 1);
	char *full = cli_table("national_annual", "2025", "authority", "");
	server_restart(&srv, TODAY);
	unsetenv("NRM_STATS_RECOUNT");
	relogin();
	json_t *fresh = api_figures();
	cr_expect_str_eq(pass, full);
	expect_same(kept, fresh);
	char *x = json_dumps(before, JSON_SORT_KEYS), *y = json_dumps(kept, JSON_SORT_KEYS);
	cr_expect_str_neq(x, y, "the changes changed the figures");
	free(x);
	free(y);
	free(pass);
	free(full);
	json_decref(before);
	json_decref(kept);
	json_decref(fresh);
	server_restart(&srv, TODAY);
	relogin();
	/* Kept under other definitions (a server started before a `nrm forms load`): the next
	 * change forgets them rather than changing them by its own, and they are counted afresh. */
	char cmd[700], c3[32];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"UPDATE fig_units SET defs = 'other'\"", srv.db);
	cr_assert_eq(system(cmd), 0);
	registered("Lira", "2025-03-03", "berat", c3);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM fig_units"), 0);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM fig_cells"), 0);
	json_decref(api_figures());
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM fig_units WHERE defs <> 'other'"), units);
}

/* The referrals of a period: made, answered and how; the hours to each answer, their median
 * (of an even number: the mean of the middle two) and mean. */
Test(stats, the_referrals_of_a_month_tell_how_long_their_answers_took)
{
	static const char *const answered_at[] = {"2026-03-02T10:00:00Z", "2026-03-02T14:00:00Z", "2026-03-03T14:00:00Z",
						  "2026-03-04T10:00:00Z"};
	server_restart(&srv, "2026-03-02T08:00:00Z");
	struct client cw = client_as(&srv, "fier.caseworker"), ngo = client_as(&srv, "tirane.ngo");
	long long to = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'tirane.ngo'");
	long long ids[5];
	for (int i = 0; i < 5; i++) {
		char body[1200], path[80];
		snprintf(body, sizeof body,
			 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"Orë\","
			 "\"prs_SecondName\":\"Nr%d\",\"prs_Gender\":\"Feminine\",\"al_estimated_age\":30,"
			 "\"al_identification_date\":\"2026-03-01\",\"al_identifying_institution\":%lld,"
			 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_indicators_a\":[\"A01\"],"
			 "\"al_indicators_c\":[\"C01\"]}}",
			 i, police_fier);
		struct reply r = client_req(&cw, "POST", "/api/v1/cases", body);
		cr_assert_eq(r.status, 201, "%s", r.body);
		snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", jstr(r.json, "code"));
		reply_free(&r);
		snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"strehim\"}", to);
		r = client_req(&cw, "POST", path, body);
		cr_assert_eq(r.status, 201, "%s", r.body);
		ids[i] = jint(r.json, "id");
		reply_free(&r);
	}
	client_free(&cw);
	client_free(&ngo);
	/* Answered 2, 6, 30 and 50 hours later (the third declined); the fifth waits. */
	for (int i = 0; i < 4; i++) {
		server_restart(&srv, answered_at[i]);
		ngo = client_as(&srv, "tirane.ngo");
		char path[80];
		snprintf(path, sizeof path, "/api/v1/referrals/%lld/%s", ids[i], i == 2 ? "decline" : "accept");
		struct reply r = client_req(&ngo, "POST", path, i == 2 ? "{\"note\":\"pa vend\"}" : NULL);
		cr_assert_eq(r.status, 200, "%s", r.body);
		reply_free(&r);
		client_free(&ngo);
	}
	server_restart(&srv, TODAY);
	relogin();
	json_t *f = fetch(&sec, "/api/v1/stats/figures?period=2026-03");
	cr_expect_eq(jint(f, "referrals.made"), 5, "%s", json_dumps(jpath(f, "referrals"), 0));
	cr_expect_eq(jint(f, "referrals.answered"), 4);
	cr_expect_eq(jint(f, "referrals.accepted"), 3);
	cr_expect_eq(jint(f, "referrals.declined"), 1);
	cr_expect_eq(jint(f, "referrals.pending"), 1);
	cr_expect_float_eq(json_number_value(jpath(f, "referrals.hours_median")), 18.0, 1e-9);
	cr_expect_float_eq(json_number_value(jpath(f, "referrals.hours_mean")), 22.0, 1e-9);
	json_decref(f);
	f = fetch(&sec, "/api/v1/stats/figures?period=2026-02");
	cr_expect_eq(jint(f, "referrals.made"), 0);
	cr_expect(json_is_null(jpath(f, "referrals.hours_median")), "none answered: no median");
	json_decref(f);
}

/* Waits (up to two minutes: sanitized builds are slow) for the server's log to say the
 * periods around the new day were counted; returns how many products it answered. */
static long counted_ahead(void)
{
	for (int i = 0; i < 1200; i++) {
		char *log = file_read(srv.log, NULL);
		const char *at = log ? strstr(log, "counted ahead") : NULL;
		const char *n = at ? strstr(at, "\"products\":") : NULL;
		long v = n ? atol(n + strlen("\"products\":")) : -1;
		free(log);
		if (v >= 0)
			return v;
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	cr_assert_fail("the server did not count ahead after midnight");
	return -1;
}

/* After midnight the server counts the figures of the periods around the new day, so the
 * first to ask for the month, quarter, half or year just ended reads them at once; the
 * console does the same on demand. */
Test(stats, the_periods_around_a_new_day_are_counted_before_anyone_asks)
{
	crafted();
	crowd(20);
	cr_assert_eq(db_int(&srv, "SELECT count(*) FROM fig_units"), 0, "nobody has asked yet");
	/* 23:59:57 in Tirane (CEST) on the last day of June. */
	server_restart(&srv, "2026-06-30T21:59:57Z");
	relogin();
	/* Of each kind the period running and the one just ended, each with its figures and every
	 * standard table; for audiences outside the Authority the three that ended. */
	json_t *cat = fetch(&sec, "/api/v1/stats/catalogue");
	long per = 1 + (long)json_array_size(jpath(cat, "tables")), outside = (long)json_object_size(jpath(cat, "audiences")) - 1;
	json_decref(cat);
	cr_expect_eq(counted_ahead(), 8 * per + 3 * outside * per);
	long long units = db_int(&srv, "SELECT count(*) FROM fig_units");
	cr_assert_gt(units, 0);
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM fig_units WHERE first = '2026-04-01' AND last = '2026-06-30'"), 0,
		     "the quarter just ended");
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM fig_units WHERE first = '2026-07-01' AND last = '2026-07-31'"), 0,
		     "the month just begun");
	/* Asked now, they are read: nothing more is kept. */
	static const char *const asked[] = {"/api/v1/stats/figures?period=2026Q2", "/api/v1/stats/figures?period=2026-06",
					    "/api/v1/stats/figures?period=2026H1&county=fier", "/api/v1/stats/figures?period=2025",
					    "/api/v1/stats/tables/national_annual?period=2026H1",
					    "/api/v1/stats/tables/eurostat?period=2026"};
	for (size_t i = 0; i < sizeof asked / sizeof *asked; i++)
		json_decref(fetch(&sec, asked[i]));
	json_decref(fetch(&mon, "/api/v1/stats/tables/by_county?period=2026Q2"));
	json_decref(fetch(&fs, "/api/v1/stats/figures?period=2026Q2"));
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM fig_units"), units, "read from what was counted ahead");
	/* The console, a month later: the new month's periods join them. */
	char err[2048];
	setenv("NRM_NOW", "2026-08-02T08:00:00Z", 1);
	int rc = nrm_run(NULL, err, sizeof err, "stats", "ahead", "--db", srv.db, NULL);
	unsetenv("NRM_NOW");
	cr_assert_eq(rc, 0, "%s", err);
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM fig_units WHERE first = '2026-08-01' AND last = '2026-08-31'"), 0);
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM fig_units"), units);
}
