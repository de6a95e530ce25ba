/* The case registry's contracts: every event records what it did to the case's non-personal
 * state, from which the state after any event is rebuilt; no operation moves a figure it did
 * not change; the formal decision alone sets the
 * status; a referral the Authority sends can be accepted; nobody but the Authority learns of
 * other cases; reasons and notes are stored sealed; errors carry a stable key. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "cli/cli.h"
#include "harness.h"

static struct server srv;
static struct client cw, sec, ngo; /* fier.caseworker, authority.secretariat, tirane.ngo */

static void setup(void)
{
	server_start(&srv);
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	client_init(&ngo, &srv);
	client_login(&ngo, "tirane.ngo", "demo");
}

static void teardown(void)
{
	client_free(&ngo);
	client_free(&sec);
	client_free(&cw);
	server_stop(&srv);
}

TestSuite(case_rules, .init = setup, .fini = teardown, .timeout = 180);

static long long institution_of(struct client *c)
{
	struct reply r = client_get(c, "/api/v1/session");
	long long id = jint(r.json, "user.institution");
	reply_free(&r);
	return id;
}

/* The fields of a case: a girl of 14 (on 2026-10-01) in Fier, forced begging; extra is
 * spliced in (",\"k\":v" or ""). */
static void case_fields(char *out, size_t cap, const char *first, const char *doc, const char *extra)
{
	snprintf(out, cap,
		 "{\"fields\":{\"prs_FirstName\":\"%s\",\"prs_SecondName\":\"Dervishi\",\"prs_Gender\":\"Feminine\","
		 "\"prs_Birthdate\":\"2012-03-04\",\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedBegging\"],"
		 "\"al_documents\":[{\"al_document_type\":\"passport\",\"al_document_number\":\"%s\"}]%s}}",
		 first, institution_of(&cw), doc, extra);
}

static void create(struct client *c, const char *first, const char *doc, char code[32])
{
	char body[2048];
	case_fields(body, sizeof body, first, doc, "");
	struct reply r = client_req(c, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(code, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

static long long version(const char *code)
{
	struct reply r = client_get(&sec, "/api/v1/cases/%s", code);
	long long v = jint(r.json, "version");
	reply_free(&r);
	return v;
}

/* The figures of every dimension over all time, as the Authority sees them: {"persons": n,
 * "by_DIM": {value: n}} from one two-way table per dimension. */
static json_t *figures(void)
{
	static const char *const dims[][2] = {{"stage", "by_stage"},	 {"status", "by_status"}, {"sex", "by_sex"},
					      {"age_band", "by_age_band"}, {"county", "by_county"},  {"exploitation", "by_exploitation"},
					      {"child", "children"}};
	json_t *f = json_object();
	for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
		struct reply r = client_get(&sec, "/api/v1/stats?period=2000-01-01..2030-12-31&rows=%s", dims[d][0]);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_t *by = json_object(), *row;
		size_t i;
		json_array_foreach(jpath(r.json, "blocks.0.rows"), i, row) {
			json_t *n = jpath(row, "cells.0");
			if (strcmp(jstr(row, "code"), "total") == 0)
				json_object_set(f, "persons", n);
			else if (json_integer_value(n) > 0)
				json_object_set(by, jstr(row, "code"), n);
		}
		json_object_set_new(f, dims[d][1], by);
		reply_free(&r);
	}
	return f;
}

/* Every dimension of after equals before, but those named in `changed` (NULL-ended), which
 * must differ. */
static void same_but(json_t *before, json_t *after, const char *op, const char *const *changed)
{
	const char *dim;
	json_t *v;
	json_object_foreach(before, dim, v) {
		bool may = false;
		for (const char *const *c = changed; *c; c++)
			may |= strcmp(*c, dim) == 0;
		char *a = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY),
		     *b = json_dumps(json_object_get(after, dim), JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
		if (may)
			cr_expect_str_neq(a, b, "%s should have changed %s", op, dim);
		else
			cr_expect_str_eq(a, b, "%s changed %s, which it did not touch", op, dim);
		free(a);
		free(b);
	}
}

static json_t *step(json_t *before, const char *op, const char *const *changed)
{
	json_t *after = figures();
	same_but(before, after, op, changed);
	json_decref(before);
	return after;
}

static struct reply post(struct client *c, const char *body, const char *fmt, const char *code)
{
	char path[160];
	snprintf(path, sizeof path, fmt, code);
	return client_req(c, "POST", path, body);
}

static long long refer(struct client *by, const char *code, long long to, const char *service)
{
	char body[300];
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"ka nevojë për strehim\"%s%s%s}", to,
		 service ? ",\"service\":\"" : "", service ? service : "", service ? "\"" : "");
	struct reply r = post(by, body, "/api/v1/cases/%s/referrals", code);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	reply_free(&r);
	return id;
}

/* The id of the open pair of likely duplicates of cases x and y in the Authority's queue, or 0. */
static long long pair_of(const char *x, const char *y)
{
	struct reply r = client_get(&sec, "/api/v1/duplicates");
	long long id = 0;
	size_t i;
	json_t *d;
	json_array_foreach(jpath(r.json, "items"), i, d) {
		const char *p = jstr(d, "cases.0"), *q = jstr(d, "cases.1");
		if ((strcmp(p, x) == 0 && strcmp(q, y) == 0) || (strcmp(p, y) == 0 && strcmp(q, x) == 0))
			id = jint(d, "id");
	}
	reply_free(&r);
	return id;
}

/* The states of case `code` after each of its events as the Authority rebuilds them
 * (case_states), read over a connection of the test's own to the server's database. */
static json_t *states(const char *code)
{
	struct cli_cases cc;
	cr_assert_eq(cli_cases_open("test", srv.db, "authority.secretariat", &cc), 0);
	json_t *out = NULL;
	struct nrm_err err = {0};
	int rc = case_states(&cc.ctx, code, &out, &err);
	cli_cases_close(&cc);
	cr_assert_eq(rc, 0, "%s", err.msg);
	return out;
}

/* Remembers in `seen` (event id → state) the state of case `code` right after its latest
 * event: the state of the stored case itself, before any later event could be undone. */
static void snap(json_t *seen, const char *code)
{
	json_t *s = states(code), *last = json_array_get(s, json_array_size(s) - 1);
	char id[24];
	snprintf(id, sizeof id, "%lld", jint(last, "event_id"));
	json_object_set(seen, id, json_object_get(last, "state"));
	json_decref(s);
}

static long long meeting(void)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", body_id(&sec, "authority", NULL));
	struct reply r = client_req(&sec, "POST", path, "{\"date\":\"2026-10-10\",\"kind\":\"ordinary\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	reply_free(&r);
	return id;
}

Test(case_rules, no_operation_moves_a_figure_it_did_not_change)
{
	static const char *const nothing[] = {NULL};
	static const char *const everything[] = {"persons", "by_stage", "by_status", "by_sex", "by_age_band",
						 "by_county", "by_exploitation", "children", NULL};
	char a[32], b[32], body[2048];
	json_t *f = figures(), *seen = json_object();
	create(&cw, "Rudina", "RD-1", a);
	f = step(f, "create", everything);
	snap(seen, a);

	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_identifying_officer\":\"Insp. Kodra\"}}", version(a));
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s", a);
	struct reply r = client_req(&cw, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "an edit of no dimension", nothing);
	snap(seen, a);

	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"vic_TypeOfExploitation\":[\"Prostitution\"]}}", version(a));
	r = client_req(&cw, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "an edit of the exploitation", (const char *const[]){"by_exploitation", NULL});
	snap(seen, a);

	/* A service referral to the shelter, declined; then the case itself, accepted. */
	long long shelter = institution_of(&ngo);
	long long r1 = refer(&cw, a, shelter, "accommodation");
	f = step(f, "refer", nothing);
	snap(seen, a);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/decline", r1);
	r = client_req(&ngo, "POST", path, "{\"note\":\"nuk kemi vend\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "decline", nothing);
	snap(seen, a);
	long long r2 = refer(&cw, a, shelter, NULL);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", r2);
	r = client_req(&ngo, "POST", path, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "accept (the case changes hands)", nothing);
	snap(seen, a);

	/* The shelter, now its holder, moves it to referral: only the stage moves. */
	char tr[1400];
	snprintf(tr, sizeof tr,
		 "{\"to\":\"referral\",\"version\":%lld,\"fields\":{\"cas_OutgoingReferralDate\":\"2026-10-02\","
		 "\"cas_ReferredOrganisation\":%lld,\"prs_Citizenship\":[\"AL\"],\"al_consents\":[{\"al_consent_purpose\":"
		 "\"assistance\",\"con_Consent\":true,\"al_consent_by\":\"parent\",\"al_consent_date\":\"2026-10-02\"}],"
		 "\"al_child_protection_worker\":\"NJMF Patos\",\"al_best_interest_assessment_date\":\"2026-10-03\"}}",
		 version(a), shelter);
	r = post(&ngo, tr, "/api/v1/cases/%s/transitions", a);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "a transition", (const char *const[]){"by_stage", NULL});
	snap(seen, a);

	/* The Authority's decision: stage and status. */
	snprintf(tr, sizeof tr,
		 "{\"to\":\"formal_identification\",\"version\":%lld,\"fields\":{\"al_authority_meeting\":%lld,"
		 "\"al_formal_decision\":\"identified_victim\",\"al_formal_decision_date\":\"2026-10-10\","
		 "\"al_trafficking_scope\":\"internal\"}}",
		 version(a), meeting());
	r = post(&sec, tr, "/api/v1/cases/%s/transitions", a);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "the formal decision", (const char *const[]){"by_stage", "by_status", NULL});
	snap(seen, a);

	/* The same girl registered again by the police: a duplicate; dismissed, then merged. */
	create(&cw, "Rudina", "RD-1", b);
	f = step(f, "create", everything);
	snap(seen, b);
	long long pair = pair_of(a, b);
	cr_assert(pair > 0);
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/dismiss", pair);
	r = client_req(&sec, "POST", path, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	f = step(f, "dismiss", nothing);
	char c3[32];
	create(&cw, "Rudina", "RD-2", c3);
	f = step(f, "create", everything);
	snap(seen, c3);
	json_t *before_merge = json_deep_copy(f);
	long long fresh = pair_of(a, c3);
	cr_assert(fresh > 0);
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/merge", fresh);
	snprintf(body, sizeof body, "{\"keep\":\"%s\"}", a);
	r = client_req(&sec, "POST", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snap(seen, a);
	snap(seen, c3);
	/* Merging takes the merged record out of every figure: exactly what its creation put in. */
	json_t *after = figures();
	cr_expect_eq(jint(after, "persons"), jint(before_merge, "persons") - 1);
	cr_expect_eq(jint(after, "by_stage.initial_identification"), jint(before_merge, "by_stage.initial_identification") - 1);
	cr_expect_eq(jint(after, "by_county.fier"), jint(before_merge, "by_county.fier") - 1);
	cr_expect_eq(jint(after, "children.child"), jint(before_merge, "children.child") - 1);
	cr_expect_eq(jint(after, "by_status.ActualVictimOfTrafficking"), jint(before_merge, "by_status.ActualVictimOfTrafficking"));
	json_decref(after);
	json_decref(before_merge);
	json_decref(f);
	/* Events store only what they changed (a creation nothing), yet the state after every
	 * event, rebuilt from the state now backwards, is the state the case had right then. */
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM case_events WHERE action = 'create' AND was_json <> '{}'"), 0);
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM case_events WHERE was_json LIKE '%holder%'"), 0,
		     "the hand-over is recorded as the holder it changed");
	size_t matched = 0;
	const char *const codes[] = {a, b, c3};
	for (size_t k = 0; k < 3; k++) {
		json_t *all = states(codes[k]), *e;
		size_t i;
		json_array_foreach(all, i, e) {
			json_t *st = json_object_get(e, "state");
			char id[24];
			snprintf(id, sizeof id, "%lld", jint(e, "event_id"));
			for (const char *key = "county\0sex\0status\0age_band\0is_child\0stage\0holder\0"; *key; key += strlen(key) + 1)
				cr_expect_not_null(json_object_get(st, key), "%s after event %s has %s", codes[k], id, key);
			json_t *then = json_object_get(seen, id);
			if (then) {
				char *x = json_dumps(then, JSON_SORT_KEYS), *y = json_dumps(st, JSON_SORT_KEYS);
				cr_expect_str_eq(y, x, "%s after event %s", codes[k], id);
				free(x);
				free(y);
				matched++;
			}
		}
		json_decref(all);
	}
	cr_expect_eq(matched, json_object_size(seen), "every state seen is rebuilt");
	/* The creation keeps only names, yet the timeline shows what it set, as it was then. */
	struct reply ev = client_get(&sec, "/api/v1/cases/%s/events", a);
	cr_expect_str_eq(jstr(ev.json, "items.0.action"), "create");
	cr_expect_str_eq(jstr(ev.json, "items.0.changes.vic_TypeOfExploitation.0"), "ForcedBegging");
	cr_expect_eq(json_array_size(jpath(ev.json, "items.0.changes.vic_TypeOfExploitation")), 1);
	cr_expect_str_eq(jstr(ev.json, "items.0.changes.al_municipality"), "patos");
	cr_expect_str_eq(jstr(ev.json, "items.0.changes.prs_FirstName"), "(personal)");
	cr_expect_null(jpath(ev.json, "items.0.changes.al_identifying_officer"), "set by a later edit");
	cr_expect_null(jpath(ev.json, "items.0.changes.cas_OutgoingReferralDate"), "set by a later transition");
	cr_expect_str_eq(jstr(ev.json, "items.2.changes.vic_TypeOfExploitation.0"), "Prostitution");
	reply_free(&ev);
	cr_expect_geq(matched, 12);
	json_decref(seen);
}

Test(case_rules, only_the_formal_decision_makes_someone_a_victim_or_not)
{
	char body[2048], code[32];
	case_fields(body, sizeof body, "Flutura", "FL-1", ",\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\"");
	/* The Authority registering a case names its institution. */
	char with[2100];
	snprintf(with, sizeof with, "{\"institution\":%lld,%s", institution_of(&cw), body + 1);
	struct reply r = client_req(&sec, "POST", "/api/v1/cases", with);
	cr_expect_eq(r.status, 403, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "status_by_decision_only");
	cr_expect_str_eq(jstr(r.json, "error.field"), "vic_TraffickingStatus");
	reply_free(&r);
	case_fields(body, sizeof body, "Flutura", "FL-1", ",\"vic_TraffickingStatus\":\"NotAVictimOfTrafficking\"");
	snprintf(with, sizeof with, "{\"institution\":%lld,%s", institution_of(&cw), body + 1);
	r = client_req(&sec, "POST", "/api/v1/cases", with);
	cr_expect_eq(r.status, 403, "%s", r.body);
	reply_free(&r);
	/* Nor by recording a decision on a case that was never in the decision stage. */
	case_fields(body, sizeof body, "Flutura", "FL-1", ",\"al_formal_decision\":\"identified_victim\"");
	snprintf(with, sizeof with, "{\"institution\":%lld,%s", institution_of(&cw), body + 1);
	r = client_req(&sec, "POST", "/api/v1/cases", with);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "decision_by_transition");
	reply_free(&r);
	create(&cw, "Flutura", "FL-1", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_formal_decision\":\"not_identified\"}}", version(code));
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	r = client_req(&sec, "PATCH", path, body);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "decision_by_transition");
	reply_free(&r);
	r = client_get(&sec, "/api/v1/cases/%s", code);
	cr_expect_str_eq(jstr(r.json, "status"), "PossibleVictimOfTrafficking");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases WHERE status <> 'PossibleVictimOfTrafficking'"), 0);
}

Test(case_rules, a_referral_sent_by_the_authority_can_be_accepted)
{
	char code[32];
	create(&cw, "Lindita", "LI-1", code);
	long long id = refer(&sec, code, institution_of(&ngo), NULL);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", id);
	struct reply r = client_req(&ngo, "POST", path, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "accepted");
	reply_free(&r);
	r = client_get(&ngo, "/api/v1/cases/%s", code);
	cr_expect_eq(jint(r.json, "holder"), institution_of(&ngo), "the shelter holds the case now");
	cr_expect_str_eq(jstr(r.json, "your_access"), "full");
	reply_free(&r);
	/* A referral of a case that has changed hands since it was sent is refused, not half-applied. */
	struct client vl;
	client_init(&vl, &srv);
	client_login(&vl, "vlore.caseworker", "demo");
	long long stale = refer(&sec, code, institution_of(&cw), NULL);
	long long moved = refer(&ngo, code, institution_of(&vl), NULL);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", moved);
	r = client_req(&vl, "POST", path, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", stale);
	r = client_req(&cw, "POST", path, NULL);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "holder_changed");
	reply_free(&r);
	char q[200];
	snprintf(q, sizeof q, "SELECT count(*) FROM referrals WHERE id = %lld AND status = 'pending'", stale);
	cr_expect_eq(db_int(&srv, q), 1, "the refused answer left the referral as it was");
	client_free(&vl);
}

Test(case_rules, a_case_workers_answer_does_not_depend_on_other_cases)
{
	char body[2048];
	case_fields(body, sizeof body, "Blerta", "BL-77", "");
	struct reply first = client_req(&cw, "POST", "/api/v1/cases", body);
	cr_assert_eq(first.status, 201, "%s", first.body);
	/* The same person again (a likely duplicate), and someone else entirely. */
	struct reply again = client_req(&cw, "POST", "/api/v1/cases", body);
	case_fields(body, sizeof body, "Arjola", "AR-99", "");
	struct reply other = client_req(&cw, "POST", "/api/v1/cases", body);
	cr_assert_eq(again.status, 201);
	cr_assert_eq(other.status, 201);
	const char *k;
	json_t *v;
	json_object_foreach(again.json, k, v)
		cr_expect_not_null(json_object_get(other.json, k), "the duplicate's answer has %s, the other's not", k);
	json_object_foreach(other.json, k, v)
		cr_expect_not_null(json_object_get(again.json, k), "the other's answer has %s, the duplicate's not", k);
	cr_expect_eq(json_object_size(again.json), 2, "only id and code: %s", again.body);
	/* The Authority's queue has the pair. */
	struct reply q = client_get(&sec, "/api/v1/duplicates");
	cr_expect(json_array_size(jpath(q.json, "items")) >= 1);
	reply_free(&q);
	reply_free(&first);
	reply_free(&again);
	reply_free(&other);
}

Test(case_rules, reasons_and_notes_are_stored_sealed)
{
	char code[32], path[80], body[300];
	create(&cw, "Majlinda", "MA-5", code);
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body,
		 "{\"version\":%lld,\"reason\":\"SEKRET-ARSYE-1 babai e kërcënon\",\"fields\":{\"al_identifying_officer\":\"X\"}}",
		 version(code));
	struct reply r = client_req(&cw, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	long long ref = refer(&cw, code, institution_of(&ngo), "accommodation");
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/decline", ref);
	r = client_req(&ngo, "POST", path, "{\"note\":\"SEKRET-SHENIM-2 nuk ka vend\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	r = client_req(&cw, "POST", path, "{\"reason\":\"SEKRET-ARSYE-3 plani\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	/* In the database: sealed, everywhere. */
	cr_expect_eq(db_int(&srv, "SELECT (SELECT count(*) FROM case_events WHERE reason LIKE '%SEKRET%')"
				  " + (SELECT count(*) FROM referrals WHERE reason LIKE '%strehim%' OR response_note LIKE '%SEKRET%')"
				  " + (SELECT count(*) FROM personal_reads WHERE reason LIKE '%SEKRET%')"
				  " + (SELECT count(*) FROM audit WHERE coalesce(reason, '') || coalesce(after_json, '') LIKE '%SEKRET%')"),
		     0);
	cr_expect(db_int(&srv, "SELECT count(*) FROM case_events WHERE reason LIKE 'enc1:%'") >= 1);
	/* To those who may read them: in clear. */
	r = client_get(&cw, "/api/v1/cases/%s/events", code);
	cr_expect_not_null(strstr(r.body, "SEKRET-ARSYE-1"), "%s", r.body);
	reply_free(&r);
	r = client_get(&cw, "/api/v1/referrals?direction=out");
	cr_expect_not_null(strstr(r.body, "SEKRET-SHENIM-2"));
	cr_expect_not_null(strstr(r.body, "ka nevojë për strehim"));
	reply_free(&r);
	/* A county member sees that there was a reason, not what it said. */
	struct client k;
	client_init(&k, &srv);
	client_login(&k, "fier.krat", "demo");
	r = client_get(&k, "/api/v1/cases/%s/events", code);
	cr_expect_null(strstr(r.body, "SEKRET"), "%s", r.body);
	reply_free(&r);
	client_free(&k);
}

Test(case_rules, errors_carry_a_stable_key_parameters_and_the_field)
{
	struct reply r = client_req(&cw, "POST", "/api/v1/cases", "{\"fields\":{\"prs_Birthdate\":\"2026-02-31\"}}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.code"), "invalid");
	cr_expect_str_eq(jstr(r.json, "error.key"), "date_nonexistent");
	cr_expect_str_eq(jstr(r.json, "error.field"), "prs_Birthdate");
	cr_expect(json_is_object(jpath(r.json, "error.params")));
	cr_expect_not_null(strstr(jstr(r.json, "error.message"), "does not exist"));
	reply_free(&r);
	r = client_req(&cw, "POST", "/api/v1/cases", "{\"fields\":{\"al_narrative\":7}}");
	cr_expect_str_eq(jstr(r.json, "error.key"), "not_text");
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases/XX-0000-0000");
	cr_expect_eq(r.status, 404);
	cr_expect_str_eq(jstr(r.json, "error.key"), "no_such_case");
	cr_expect(json_is_null(jpath(r.json, "error.field")));
	reply_free(&r);
}

Test(case_rules, a_merged_case_is_neither_referred_nor_handed_over)
{
	char a[32], b[32], path[80], body[200];
	create(&cw, "Mimoza", "MI-1", a);
	create(&cw, "Mimoza", "MI-1", b);
	long long ref = refer(&cw, b, institution_of(&ngo), NULL);
	long long pair = pair_of(a, b);
	cr_assert(pair > 0);
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/merge", pair);
	snprintf(body, sizeof body, "{\"keep\":\"%s\"}", a);
	struct reply r = client_req(&sec, "POST", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"x\",\"fields\":[\"prs_FirstName\"]}", institution_of(&ngo));
	r = post(&sec, body, "/api/v1/cases/%s/referrals", b);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "case_merged");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", ref);
	r = client_req(&ngo, "POST", path, NULL);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "case_merged");
	reply_free(&r);
}

Test(case_rules, a_decision_is_changed_only_where_it_is_taken_and_stays_complete)
{
	char code[32], path[80], body[1400];
	create(&cw, "Vjollca", "VJ-1", code);
	snprintf(body, sizeof body,
		 "{\"to\":\"referral\",\"version\":%lld,\"fields\":{\"cas_OutgoingReferralDate\":\"2026-10-02\","
		 "\"cas_ReferredOrganisation\":%lld,\"prs_Citizenship\":[\"AL\"],\"al_consents\":[{\"al_consent_purpose\":"
		 "\"assistance\",\"con_Consent\":true,\"al_consent_by\":\"parent\",\"al_consent_date\":\"2026-10-02\"}],"
		 "\"al_child_protection_worker\":\"NJMF Patos\",\"al_best_interest_assessment_date\":\"2026-10-03\"}}",
		 version(code), institution_of(&cw));
	struct reply r = post(&cw, body, "/api/v1/cases/%s/transitions", code);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(body, sizeof body,
		 "{\"to\":\"formal_identification\",\"version\":%lld,\"fields\":{\"al_authority_meeting\":%lld,"
		 "\"al_formal_decision\":\"identified_victim\",\"al_formal_decision_date\":\"2026-10-10\","
		 "\"al_trafficking_scope\":\"internal\"}}",
		 version(code), meeting());
	r = post(&sec, body, "/api/v1/cases/%s/transitions", code);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	/* The decision keeps the meeting that took it and its date. */
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_authority_meeting\":null,\"al_formal_decision_date\":null}}",
		 version(code));
	r = client_req(&sec, "PATCH", path, body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "needed_for_stage");
	reply_free(&r);
	/* Once the case has moved on, the decision is not edited. */
	snprintf(body, sizeof body, "{\"to\":\"immediate_assistance\",\"version\":%lld,\"fields\":{\"al_assistance_start_date\":"
		 "\"2026-10-11\",\"al_immediate_services\":[\"medical\"]}}", version(code));
	r = post(&cw, body, "/api/v1/cases/%s/transitions", code);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_formal_decision\":\"not_identified\"}}", version(code));
	r = client_req(&sec, "PATCH", path, body);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "decision_by_transition");
	reply_free(&r);
	r = client_get(&sec, "/api/v1/cases/%s", code);
	cr_expect_str_eq(jstr(r.json, "status"), "ActualVictimOfTrafficking");
	reply_free(&r);
}

Test(case_rules, a_new_case_holds_what_its_first_stage_requires)
{
	char body[2048];
	case_fields(body, sizeof body, "Entela", "EN-1", "");
	/* Without indicator C: the first stage requires it. */
	char *c = strstr(body, ",\"al_indicators_c\":[\"C01\"]");
	cr_assert_not_null(c);
	memmove(c, c + strlen(",\"al_indicators_c\":[\"C01\"]"), strlen(c + strlen(",\"al_indicators_c\":[\"C01\"]")) + 1);
	struct reply r = client_req(&cw, "POST", "/api/v1/cases", body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "al_indicators_c");
	reply_free(&r);
}

Test(case_rules, a_request_with_a_member_nobody_knows_is_refused)
{
	char body[2100], fields[2048], code[32];
	case_fields(fields, sizeof fields, "Xhina", "XH-1", "");
	snprintf(body, sizeof body, "{\"instituton\":5,%s", fields + 1);
	struct reply r = client_req(&sec, "POST", "/api/v1/cases", body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "unknown_field");
	cr_expect_str_eq(jstr(r.json, "error.field"), "instituton");
	reply_free(&r);
	create(&cw, "Xhina", "XH-1", code);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"reasn\":\"typo\",\"fields\":{\"al_identifying_officer\":\"Y\"}}",
		 version(code));
	r = client_req(&cw, "PATCH", path, body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "reasn");
	reply_free(&r);
}

Test(case_rules, a_pending_referral_is_not_sent_twice)
{
	char code[32], body[300];
	create(&cw, "Rezarta", "RZ-1", code);
	refer(&cw, code, institution_of(&ngo), NULL);
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"sërish\"}", institution_of(&ngo));
	struct reply r = post(&cw, body, "/api/v1/cases/%s/referrals", code);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "referral_pending");
	reply_free(&r);
	refer(&cw, code, institution_of(&ngo), "accommodation"); /* a service is another question */
}

Test(case_rules, a_referred_institution_reads_no_reasons_and_only_fields_it_was_granted)
{
	char code[32], path[80], body[300];
	create(&cw, "Sonila", "SO-1", code);
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"reason\":\"SEKRET-NGA-POLICIA\",\"fields\":{\"al_identifying_officer\":\"Z\"}}",
		 version(code));
	struct reply r = client_req(&cw, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	/* Declined first (names granted), then referred again for the sex only. */
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"x\",\"service\":\"accommodation\",\"fields\":[\"prs_FirstName\"]}",
		 institution_of(&ngo));
	r = post(&cw, body, "/api/v1/cases/%s/referrals", code);
	long long first = jint(r.json, "id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/decline", first);
	r = client_req(&ngo, "POST", path, "{\"note\":\"jo\"}");
	reply_free(&r);
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"x\",\"service\":\"legal\",\"fields\":[\"prs_Gender\"]}",
		 institution_of(&ngo));
	r = post(&cw, body, "/api/v1/cases/%s/referrals", code);
	cr_assert_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	r = client_get(&ngo, "/api/v1/cases/%s/events", code);
	cr_expect_null(strstr(r.body, "SEKRET"), "%s", r.body);
	reply_free(&r);
	r = client_get(&ngo, "/api/v1/cases/%s", code);
	cr_expect_str_eq(jstr(r.json, "your_access"), "referred");
	cr_expect_eq(json_array_size(jpath(r.json, "personal_fields")), 0, "a declined referral grants nothing: %s", r.body);
	reply_free(&r);
}

Test(case_rules, a_dismissed_pair_is_not_raised_again_and_a_merged_away_one_leaves_the_queue)
{
	char a[32], b[32], c3[32], path[80], body[200];
	create(&cw, "Dhurata", "DH-9", a);
	create(&cw, "Dhurata", "DH-9", b);
	long long ab = pair_of(a, b);
	cr_assert(ab > 0);
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/dismiss", ab);
	struct reply r = client_req(&sec, "POST", path, NULL);
	reply_free(&r);
	/* The Authority edits b: a is no longer offered as its duplicate. */
	snprintf(path, sizeof path, "/api/v1/cases/%s", b);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_identifying_officer\":\"Q\"}}", version(b));
	r = client_req(&sec, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(jpath(r.json, "duplicates")), 0, "%s", r.body);
	reply_free(&r);
	/* A third record of her: pairs with a and with b; merging it into a closes the question of b's pair. */
	create(&cw, "Dhurata", "DH-9", c3);
	long long ac = pair_of(a, c3), bc = pair_of(b, c3);
	cr_assert(ac > 0 && bc > 0);
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/merge", ac);
	snprintf(body, sizeof body, "{\"keep\":\"%s\"}", a);
	r = client_req(&sec, "POST", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	cr_expect_eq(pair_of(b, c3), 0, "a pair of a merged-away record is no longer a question");
}

/* nrm's clock starts at NRM_NOW and runs on: an import that takes more than a second (under
 * the sanitizers) stamps later seconds. The stamps of that morning count as one. */
static void same_morning(json_t *j)
{
	const char *k;
	size_t i;
	json_t *v;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			const char *t = json_string_value(v);
			if (t && strlen(t) == 20 && strncmp(t, "2026-11-30T10:", 14) == 0)
				json_object_set_new(j, k, json_string("2026-11-30T10:00:00Z"));
			else
				same_morning(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			same_morning(v);
	}
}

/* tests/api/files/import-cases.csv imported on 2026-11-30 by fier.caseworker reads back through
 * the API exactly as it did before events kept only their changes and hashes their bytes:
 * import-cases.before16.json holds what the nrm of schema 15 answered (each case page and
 * timeline as the Authority's secretariat sees them, and the figures by exploitation). */
Test(case_rules, an_imported_file_reads_back_as_the_nrm_before_schema_16_answered)
{
	char err[4096];
	const char *now = "2026-11-30T10:00:00Z";
	server_restart(&srv, now);
	struct client as = client_as(&srv, "authority.secretariat");
	setenv("NRM_NOW", now, 1);
	int rc = nrm_run(NULL, err, sizeof err, "import", "cases", "tests/api/files/import-cases.csv", "--db", srv.db, "--as",
			 "fier.caseworker", NULL);
	unsetenv("NRM_NOW");
	cr_assert_eq(rc, 0, "%s", err);
	json_error_t je;
	json_t *want = json_load_file("tests/api/files/import-cases.before16.json", 0, &je), *got = json_object();
	cr_assert_not_null(want, "%s", je.text);
	const char *code;
	json_t *v;
	json_object_foreach(want, code, v) {
		if (strcmp(code, "stats") == 0)
			continue;
		struct reply c = client_get(&as, "/api/v1/cases/%s", code), e = client_get(&as, "/api/v1/cases/%s/events", code);
		json_object_set_new(got, code, json_pack("{s:O, s:O}", "case", c.json, "events", e.json));
		reply_free(&c);
		reply_free(&e);
	}
	struct reply st = client_get(&as, "/api/v1/stats?period=2000-01-01..2030-12-31&rows=exploitation");
	json_object_set(got, "stats", st.json);
	reply_free(&st);
	same_morning(got);
	char *w = json_dumps(want, JSON_SORT_KEYS | JSON_INDENT(1)), *g = json_dumps(got, JSON_SORT_KEYS | JSON_INDENT(1));
	cr_expect_str_eq(g, w);
	free(w);
	free(g);
	json_decref(want);
	json_decref(got);
	client_free(&as);
}
