/* A user's working day over HTTP: the home page's queues per role, notifications inside nrm and
 * by e-mail (never with a victim's data), the refer action that also moves the case, reasons
 * for reading chosen from a list, printing audited, drafts kept sealed, and the idle timeout
 * that only the user's own requests hold off. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MARKER "Vjollcabardhe"

static struct server srv;
static struct client cw, ngo; /* fier.caseworker, tirane.ngo */

static void setup(void)
{
	server_start(&srv);
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
	client_init(&ngo, &srv);
	client_login(&ngo, "tirane.ngo", "demo");
}
static void teardown(void)
{
	client_free(&cw);
	client_free(&ngo);
	server_stop(&srv);
}
TestSuite(workday, .init = setup, .fini = teardown, .timeout = 180);

static long long institution_of(struct client *c)
{
	struct reply r = client_get(c, "/api/v1/session");
	long long id = jint(r.json, "user.institution");
	reply_free(&r);
	return id;
}

/* A child's case (born 2012) with the marker as her first name; its code into out. */
static void child_case(struct client *c, char out[32])
{
	char body[2048];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
		 "\"prs_SecondName\":\"Kodra\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2012-04-05\","
		 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"]}}",
		 MARKER, institution_of(c));
	struct reply r = client_must(c, "POST", "/api/v1/cases", body, 201);
	snprintf(out, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

/* The queue `key` of the caller's home page (a new reference), or NULL. */
static json_t *queue(struct client *c, const char *key)
{
	struct reply r = client_must(c, "GET", "/api/v1/home", NULL, 200);
	json_t *q, *found = NULL;
	size_t i;
	json_array_foreach(jpath(r.json, "queues"), i, q)
		if (strcmp(jstr(q, "key"), key) == 0)
			found = json_incref(q);
	reply_free(&r);
	return found;
}

static long long unread(struct client *c, const char *kind)
{
	struct reply r = client_must(c, "GET", "/api/v1/notifications?unread=1", NULL, 200);
	long long n = 0;
	json_t *x;
	size_t i;
	json_array_foreach(jpath(r.json, "items"), i, x)
		n += strcmp(jstr(x, "kind"), kind) == 0;
	reply_free(&r);
	return n;
}

Test(workday, a_childs_referral_reaches_the_shelter_urgently_and_its_answer_the_sender)
{
	struct smtp_sink sink;
	smtp_sink_start(&sink);
	snprintf(srv.smtp, sizeof srv.smtp, "smtp://127.0.0.1:%d", sink.port);
	server_restart(&srv, NULL);
	client_free(&cw);
	client_free(&ngo);
	cw = client_as(&srv, "fier.caseworker");
	ngo = client_as(&srv, "tirane.ngo");
	/* The shelter's case worker gives an address for notifications. */
	struct reply r = client_must(&ngo, "PATCH", "/api/v1/me", "{\"email\":\"streheza@demo.example\"}", 200);
	cr_expect_str_eq(jstr(r.json, "email"), "streheza@demo.example");
	reply_free(&r);
	client_refused(&ngo, "PATCH", "/api/v1/me", "{\"email\":\"not an address\"}", 400, "email_invalid", "email");

	char code[32], path[96], body[400];
	child_case(&cw, code);
	long long shelter = institution_of(&ngo);
	snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code);
	snprintf(body, sizeof body,
		 "{\"institution\":%lld,\"reason\":\"Strehim i menjëhershëm\",\"fields\":[\"prs_FirstName\"],\"advance\":true,"
		 "\"stage_fields\":{\"prs_Citizenship\":[\"AL\"],\"al_child_protection_worker\":\"Punonjësja e NJMF Patos\",\"al_best_interest_assessment_date\":\"2026-10-02\","
		 "\"al_consents\":[{\"al_consent_purpose\":\"shelter\",\"con_Consent\":true,\"al_consent_by\":\"legal_guardian\","
		 "\"al_consent_date\":\"2026-10-01\"}]}}",
		 shelter);
	r = client_must(&cw, "POST", path, body, 201);
	cr_expect_str_eq(jstr(r.json, "case.stage"), "referral", "the one refer action moved the case too");
	long long ref = jint(r.json, "id");
	reply_free(&r);

	/* The shelter notices it: a notification, and the first item of its home's queue, urgent. */
	cr_expect_eq(unread(&ngo, "referral_new"), 1);
	json_t *q = queue(&ngo, "referrals_in");
	cr_assert_not_null(q);
	cr_expect_eq(jint(q, "count"), 1);
	cr_expect_str_eq(jstr(q, "items.0.title"), code);
	cr_expect_str_eq(jstr(q, "items.0.flag"), "urgent", "a child's referral is urgent");
	cr_expect_eq(jint(q, "items.0.days"), 0);
	json_decref(q);
	r = client_must(&ngo, "GET", "/api/v1/home?counts=1", NULL, 200);
	cr_expect_null(jpath(r.json, "queues.0.items"), "counts only");
	cr_expect_eq(jint(r.json, "queues.0.count"), 1);
	reply_free(&r);
	r = client_must(&ngo, "GET", "/api/v1/notifications?unread=1", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "items.0.params.code"), code);
	cr_expect(json_is_true(jpath(r.json, "items.0.params.urgent")));
	cr_expect_null(strstr(r.body, MARKER), "no name in a notification");
	reply_free(&r);

	/* It answers; the sender hears of it. */
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", ref);
	r = client_must(&ngo, "POST", path, "{}", 200);
	reply_free(&r);
	cr_expect_eq(unread(&cw, "referral_answered"), 1);
	cr_expect_eq(unread(&ngo, "referral_answered"), 0, "nobody hears of their own act");
	q = queue(&ngo, "referrals_in");
	cr_expect_eq(jint(q, "count"), 0, "answered: no longer waiting");
	json_decref(q);
	r = client_must(&cw, "POST", "/api/v1/notifications/read-all", "{}", 200);
	cr_expect_geq(jint(r.json, "read"), 1);
	reply_free(&r);
	cr_expect_eq(unread(&cw, "referral_answered"), 0);

	/* The e-mail says only that something waits in nrm: no code, no name. */
	cr_assert_eq(smtp_sink_wait(&sink, 1), 1);
	json_t *msg = smtp_sink_message(&sink, 1);
	cr_assert_not_null(msg);
	cr_expect_str_eq(jstr(msg, "rcpt_tos.0"), "streheza@demo.example");
	cr_expect_not_null(strstr(jstr(msg, "subject"), "referim"), "%s", jstr(msg, "subject"));
	char *all = json_dumps(msg, 0);
	cr_expect_null(strstr(all, MARKER));
	cr_expect_null(strstr(all, code), "not even the case's code");
	free(all);
	json_decref(msg);
	smtp_sink_stop(&sink);
	char *log = file_read(srv.log, NULL);
	cr_assert_not_null(log);
	cr_expect_null(strstr(log, MARKER));
	free(log);
}

Test(workday, a_refer_that_moves_the_case_asks_what_the_referral_stage_needs_and_writes_nothing_without_it)
{
	char code[32], path[96], body[300];
	child_case(&cw, code);
	struct reply r = client_get(&cw, "/api/v1/cases/%s", code);
	json_t *needs = jpath(r.json, "referral_needs");
	cr_assert(json_is_array(needs), "%s", r.body);
	char *n = json_dumps(needs, 0);
	cr_expect_not_null(strstr(n, "prs_Citizenship"), "%s", n);
	cr_expect_not_null(strstr(n, "al_child_protection_worker"), "a child's case needs its worker: %s", n);
	cr_expect_null(strstr(n, "cas_OutgoingReferralDate"), "filled by the refer action itself");
	free(n);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code);
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"Strehim\",\"advance\":true}", institution_of(&ngo));
	r = client_req(&cw, "POST", path, body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "prs_Citizenship", "%s", r.body);
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases/%s", code);
	cr_expect_str_eq(jstr(r.json, "stage"), "initial_identification");
	cr_expect_eq(json_array_size(jpath(r.json, "referrals")), 0, "no referral either");
	reply_free(&r);
	cr_expect_eq(unread(&ngo, "referral_new"), 0, "nobody was told");
}

Test(workday, a_reason_for_reading_is_a_purpose_and_a_text_long_enough_and_printing_is_audited)
{
	char code[32], path[96];
	child_case(&cw, code);
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	client_refused(&cw, "POST", path, "{\"purpose\":\"case_work\",\"reason\":\"plan\"}", 400, "reason_too_short", "reason");
	client_refused(&cw, "POST", path, "{\"purpose\":\"curiosity\",\"reason\":\"Hartimi i planit individual\"}", 400,
		       "not_code", "purpose");
	struct reply r = client_must(&cw, "GET", "/api/v1/forms/case", NULL, 200);
	cr_expect_eq(jint(r.json, "reading.min_length"), 10);
	cr_expect_str_eq(jstr(r.json, "reading.purposes.0.code"), "case_work");
	reply_free(&r);
	/* Printing the personal data needs them read first. */
	char print[96];
	snprintf(print, sizeof print, "/api/v1/cases/%s/print", code);
	client_refused(&cw, "POST", print, "{\"personal\":true}", 400, "reason_required", "reason");
	r = client_must(&cw, "POST", path, "{\"purpose\":\"case_work\",\"reason\":\"Hartimi i planit individual\"}", 200);
	cr_expect_str_eq(jstr(r.json, "fields.prs_FirstName"), MARKER);
	reply_free(&r);
	r = client_must(&cw, "POST", path, "{}", 200);
	reply_free(&r);
	r = client_must(&cw, "POST", print, "{\"personal\":true}", 200);
	cr_expect_str_eq(jstr(r.json, "username"), "fier.caseworker");
	cr_expect_not_null(strstr(jstr(r.json, "printed_at"), "T"));
	reply_free(&r);
	char sql[300];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit WHERE action = 'print' AND entity_id = '%s' AND after_json LIKE '%%\"personal\":true%%'",
		 code);
	cr_expect_eq(db_int(&srv, sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action = 'read_personal' AND entity_id = '%s'", code);
	cr_expect_eq(db_int(&srv, sql), 2);
	/* The auditor sees the purpose with the reason. */
	struct client dpo = client_as(&srv, "dpo");
	r = client_get(&dpo, "/api/v1/audit?entity=case&entity_id=%s", code);
	char *body = r.body;
	cr_expect_not_null(strstr(body, "case_work: Hartimi i planit individual"), "%s", body);
	reply_free(&r);
	client_free(&dpo);
	/* Who may not read is told so first, whatever the reason. */
	struct client krat = client_as(&srv, "fier.krat");
	client_refused(&krat, "POST", path, "{\"reason\":\"x\"}", 403, "route_forbidden", NULL);
	client_free(&krat);
}

Test(workday, a_draft_is_sealed_kept_for_its_author_alone_and_survives_a_new_session)
{
	char body[300];
	snprintf(body, sizeof body, "{\"data\":{\"prs_FirstName\":\"%s\",\"al_county\":\"fier\"}}", MARKER);
	struct reply r = client_must(&cw, "PUT", "/api/v1/drafts/case/new", body, 200);
	cr_expect_str_eq(jstr(r.json, "form"), "case");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM drafts"), 1);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM drafts WHERE instr(sealed, '" MARKER "') > 0"), 0,
		     "sealed in the database");
	/* Someone else has no such draft; bad names and bodies are refused. */
	client_refused(&ngo, "GET", "/api/v1/drafts/case/new", NULL, 404, "no_such_draft", NULL);
	client_refused(&cw, "PUT", "/api/v1/drafts/Case/new", body, 400, "draft_name", "form");
	client_refused(&cw, "PUT", "/api/v1/drafts/case/a.b", body, 400, "draft_name", "key");
	client_refused(&cw, "PUT", "/api/v1/drafts/case/new", "{\"data\":[1]}", 400, "not_object", "data");
	client_refused(&cw, "PUT", "/api/v1/drafts/case/new", "{\"data\":{},\"x\":1}", 400, "unknown_field", "x");
	/* A new session finds it. */
	client_free(&cw);
	cw = client_as(&srv, "fier.caseworker");
	r = client_must(&cw, "GET", "/api/v1/drafts", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect_str_eq(jstr(r.json, "items.0.key"), "new");
	cr_expect_null(strstr(r.body, MARKER), "the list holds no contents");
	reply_free(&r);
	r = client_must(&cw, "GET", "/api/v1/drafts/case/new", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "data.prs_FirstName"), MARKER);
	reply_free(&r);
	r = client_must(&cw, "DELETE", "/api/v1/drafts/case/new", NULL, 200);
	cr_expect(json_is_true(jpath(r.json, "deleted")));
	reply_free(&r);
	client_refused(&cw, "GET", "/api/v1/drafts/case/new", NULL, 404, "no_such_draft", NULL);
	/* Drafts left a month are forgotten at the next save of anyone's. */
	r = client_must(&ngo, "PUT", "/api/v1/drafts/register-at_risk/new", "{\"data\":{\"a\":1}}", 200);
	reply_free(&r);
	server_restart(&srv, "2027-02-01");
	client_free(&cw);
	cw = client_as(&srv, "fier.caseworker");
	r = client_must(&cw, "PUT", "/api/v1/drafts/case/new", "{\"data\":{}}", 200);
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM drafts"), 1, "the shelter's old draft is gone");
}

Test(workday, only_what_the_user_does_keeps_an_idle_session_alive)
{
	struct reply r = client_must(&cw, "GET", "/api/v1/session", NULL, 200);
	cr_expect_eq(jint(r.json, "idle_seconds"), 1800);
	cr_expect_geq(jint(r.json, "idle_left"), 1740);
	reply_free(&r);
	/* 25 minutes pass (the session last used 25 minutes ago). */
	char cmd[700];
	snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE sessions SET last_seen = last_seen - 1500\"", srv.db);
	cr_assert_eq(system(cmd), 0);
	static const char *const bg[] = {"X-NRM-Background: 1", NULL};
	r = client_raw(&cw, "GET", "/api/v1/session", NULL, 0, bg);
	cr_expect_eq(r.status, 200);
	cr_expect_leq(jint(r.json, "idle_left"), 300, "a poll does not extend it: %lld", jint(r.json, "idle_left"));
	reply_free(&r);
	r = client_raw(&cw, "GET", "/api/v1/home?counts=1", NULL, 0, bg);
	cr_expect_eq(r.status, 200);
	reply_free(&r);
	r = client_must(&cw, "GET", "/api/v1/session", NULL, 200);
	cr_expect_geq(jint(r.json, "idle_left"), 1740, "staying signed in does");
	reply_free(&r);
	/* Left alone past the timeout, even polling, the session ends. */
	snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE sessions SET last_seen = last_seen - 1900\"", srv.db);
	cr_assert_eq(system(cmd), 0);
	r = client_raw(&cw, "GET", "/api/v1/notifications?unread=1", NULL, 0, bg);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "error.key"), "session_expired");
	reply_free(&r);
}

Test(workday, each_role_finds_its_queues_at_home)
{
	static const struct {
		const char *user, *keys;
	} roles[] = {
		{"fier.caseworker", "referrals_in cases_next referrals_out tasks_mine"},
		{"authority.member", "reports_to_approve awaiting_decision duplicates tasks_body"},
		{"authority.secretariat", "awaiting_decision duplicates reports_to_approve reports_due tasks_body meetings_due"},
		{"fier.secretariat", "seats_overdue meetings_due tasks_overdue reports_due agreements_expiring"},
		{"fier.krat", "reports_to_approve tasks_body meetings_due"},
		{"ministry.monitor", "reports_received counties_behind"},
		{"admin", "accounts_locked"},
		{"dpo", "patterns personal_reads"},
	};
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
		struct client c = client_as(&srv, roles[i].user);
		struct reply r = client_must(&c, "GET", "/api/v1/home", NULL, 200);
		char keys[300] = "";
		json_t *q;
		size_t k;
		json_array_foreach(jpath(r.json, "queues"), k, q) {
			if (*keys)
				strcat(keys, " ");
			strcat(keys, jstr(q, "key"));
			cr_expect(json_array_size(json_object_get(q, "items")) <= 8);
			cr_expect_geq(jint(q, "count"), (long long)json_array_size(json_object_get(q, "items")));
		}
		cr_expect_str_eq(keys, roles[i].keys, "%s", roles[i].user);
		reply_free(&r);
		client_free(&c);
	}
	/* Every item has a title in Albanian. */
	static const char *const each[] = {"fier.secretariat", "authority.secretariat", "ministry.monitor", "fier.caseworker"};
	for (size_t i = 0; i < sizeof each / sizeof *each; i++) {
		struct client c = client_as(&srv, each[i]);
		struct reply r = client_must(&c, "GET", "/api/v1/home", NULL, 200);
		json_t *q, *it;
		size_t k, j;
		json_array_foreach(jpath(r.json, "queues"), k, q)
			json_array_foreach(json_object_get(q, "items"), j, it)
				cr_expect(*jstr(it, "title"), "%s %s item %zu has no title", each[i], jstr(q, "key"), j);
		reply_free(&r);
		client_free(&c);
	}
	/* The Fier secretariat's overdue tasks and the Authority's decisions waiting, as the data say. */
	struct client sec = client_as(&srv, "fier.secretariat");
	json_t *q = queue(&sec, "tasks_overdue");
	long long late = db_int(&srv, "SELECT count(*) FROM tasks t JOIN bodies b ON b.id = t.body_id JOIN counties c ON"
				      " c.id = b.county_id WHERE c.slug = 'fier' AND t.status IN ('open','in_progress')"
				      " AND t.due < date('now')");
	cr_expect_eq(jint(q, "count"), late);
	json_decref(q);
	client_free(&sec);
	struct client au = client_as(&srv, "authority.member");
	q = queue(&au, "awaiting_decision");
	cr_expect_eq(jint(q, "count"), db_int(&srv, "SELECT count(*) FROM cases WHERE status = 'PossibleVictimOfTrafficking'"
						    " AND stage <> 'closed' AND merged_into IS NULL"));
	/* The earliest identified first, whatever its stage (each stage's page is read apart). */
	char sql[400];
	static const char open_undecided[] = "FROM cases WHERE status = 'PossibleVictimOfTrafficking' AND stage <> 'closed'"
					     " AND merged_into IS NULL";
	snprintf(sql, sizeof sql, "SELECT count(*) %s AND identified_on < '%.10s'", open_undecided, jstr(q, "items.0.date"));
	if (jint(q, "count") > 0)
		cr_expect_eq(db_int(&srv, sql), 0, "%s", jstr(q, "items.0.date"));
	json_decref(q);
	client_free(&au);
}

Test(workday, a_referral_names_a_known_service_advances_only_a_first_stage_case_and_waits_alone)
{
	char code[32], path[96], body[400];
	child_case(&cw, code);
	long long shelter = institution_of(&ngo);
	snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code);
	/* A service is a code of the list: free text could carry a name. */
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"Strehim i sigurt\",\"service\":\"" MARKER " 2001\"}",
		 shelter);
	client_refused(&cw, "POST", path, body, 400, "not_code", "service");
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"Strehim i sigurt\",\"service\":\"accommodation\","
		 "\"advance\":true}", shelter);
	client_refused(&cw, "POST", path, body, 400, "advance_case_only", "advance");
	/* The referral's day is not one to come. */
	snprintf(body, sizeof body,
		 "{\"institution\":%lld,\"reason\":\"Strehim i sigurt\",\"advance\":true,\"stage_fields\":{"
		 "\"cas_OutgoingReferralDate\":\"2099-01-01\",\"prs_Citizenship\":[\"AL\"],"
		 "\"al_child_protection_worker\":\"NJMF Patos\",\"al_best_interest_assessment_date\":\"2026-10-02\","
		 "\"al_consents\":[{\"al_consent_purpose\":\"shelter\",\"con_Consent\":true,\"al_consent_by\":\"legal_guardian\","
		 "\"al_consent_date\":\"2026-10-01\"}]}}",
		 shelter);
	client_refused(&cw, "POST", path, body, 400, "date_in_future", "cas_OutgoingReferralDate");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE after_json LIKE '%" MARKER "%'"), 0);
	/* Two sent at once: one waits, the other is told so. */
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"Mbështetje psikologjike\",\"service\":\"psychological\"}",
		 shelter);
	struct reply a = client_req(&cw, "POST", path, body);
	struct reply b = client_req(&cw, "POST", path, body);
	cr_expect_eq(a.status, 201, "%s", a.body);
	cr_expect_eq(b.status, 409, "%s", b.body);
	reply_free(&a);
	reply_free(&b);
	/* A case already referred is moved by its own next step, not by a referral. */
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.code = '%s'", code);
	cr_expect_eq(db_int(&srv, sql), 1);
}

Test(workday, a_user_keeps_a_bounded_number_of_drafts)
{
	char path[80];
	for (int i = 0; i < 50; i++) {
		snprintf(path, sizeof path, "/api/v1/drafts/case/k%d", i);
		struct reply r = client_must(&cw, "PUT", path, "{\"data\":{}}", 200);
		reply_free(&r);
	}
	client_refused(&cw, "PUT", "/api/v1/drafts/case/one-more", "{\"data\":{}}", 409, "drafts_too_many", NULL);
	struct reply r = client_must(&cw, "PUT", "/api/v1/drafts/case/k7", "{\"data\":{\"a\":1}}", 200);
	reply_free(&r);
	r = client_must(&cw, "DELETE", "/api/v1/drafts/case/k7", NULL, 200);
	reply_free(&r);
	r = client_must(&cw, "PUT", "/api/v1/drafts/case/one-more", "{\"data\":{}}", 200);
	reply_free(&r);
}

/* A queue is counted only so far: past STORE_WORK_COUNT_MAX (1000) the home page says "more"
 * than its count instead of reading every case to count them — here, 1,001 records of earlier
 * years imported at once, all awaiting the Authority's decision. */
Test(workday, a_queue_longer_than_a_thousand_says_more_instead_of_counting_on)
{
	struct client sec = client_as(&srv, "authority.secretariat");
	json_t *q = queue(&sec, "awaiting_decision");
	long long before = q ? jint(q, "count") : 0;
	cr_expect(!q || !json_is_true(jpath(q, "more")));
	json_decref(q);
	cr_assert_lt(before, 1000);
	size_t cap = 200 + 1001 * 120;
	char *csv = malloc(cap), path[400], err[4096], inst[24];
	cr_assert_not_null(csv);
	size_t n = (size_t)snprintf(csv, cap, "prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,"
				       "al_identifying_institution,al_identification_method,al_county,al_indicators_a,"
				       "al_indicators_c,vic_TypeOfExploitation,prs_Citizenship\n");
	long long police = institution_of(&cw);
	for (int i = 0; i < 1001; i++)
		n += (size_t)snprintf(csv + n, cap - n, "Radhë,Nr%d,Feminine,30,2025-%02d-%02d,%lld,police,fier,A01,C01,ForcedLabour,AL\n",
				      i, 1 + i % 12, 1 + i % 28, police);
	snprintf(path, sizeof path, "%s/many.csv", srv.dir);
	file_write(path, csv);
	free(csv);
	snprintf(inst, sizeof inst, "%lld", police);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", path, "--db", srv.db, "--as", "authority.secretariat",
			     "--institution", inst, NULL),
		     0, "%s", err);
	q = queue(&sec, "awaiting_decision");
	cr_assert_not_null(q);
	cr_expect_eq(jint(q, "count"), 1000);
	cr_expect(json_is_true(jpath(q, "more")), "a longer queue says there are more");
	cr_expect_gt(json_array_size(jpath(q, "items")), 0);
	json_decref(q);
	client_free(&sec);
}

/* Found by the clock (a run between 23:00 and 24:00 UTC): an item dated by a moment is dated by
 * its day in Tirane. A referral made at 00:30 there (23:30 UTC the day before) has waited no
 * day, and the case worker's home does not say "a day ago". */
Test(workday, a_referral_made_just_after_midnight_in_tirane_has_waited_no_day)
{
	server_restart(&srv, "2026-11-30T23:30:00Z"); /* Tirane: 1 December, 00:30 */
	client_free(&cw);
	client_free(&ngo);
	cw = client_as(&srv, "fier.caseworker");
	ngo = client_as(&srv, "tirane.ngo");
	char code[32], path[96], body[300];
	child_case(&cw, code);
	snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code);
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"Mbështetje psikologjike\",\"service\":\"psychological\"}",
		 institution_of(&ngo));
	struct reply r = client_must(&cw, "POST", path, body, 201);
	reply_free(&r);
	json_t *q = queue(&ngo, "referrals_in");
	cr_assert_not_null(q);
	cr_assert_eq(jint(q, "count"), 1);
	cr_expect_str_eq(jstr(q, "items.0.title"), code);
	cr_expect_str_eq(jstr(q, "items.0.date"), "2026-12-01", "the day in Tirane, not in UTC");
	cr_expect_eq(jint(q, "items.0.days"), 0);
	json_decref(q);
}
