/* The National Database over HTTP: a child case walked from identification to closure, the
 * workflow's rules, the access matrix, personal data with a reason, concurrency, encryption
 * at rest, duplicates and figures. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static struct client cw; /* fier.caseworker */
static void setup(void)
{
	server_start(&srv);
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
}
static void teardown(void)
{
	client_free(&cw);
	server_stop(&srv);
}
TestSuite(cases, .init = setup, .fini = teardown, .timeout = 180);

static long long my_institution(struct client *c)
{
	struct reply r = client_get(c, "/api/v1/session");
	long long id = jint(r.json, "user.institution");
	reply_free(&r);
	return id;
}

/* Creates a case for a person; birth gives a child when recent. Returns the code in out. */
static void create_case(struct client *c, const char *first, const char *last, const char *birth, const char *doc,
			char out[32])
{
	char body[2048];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
		 "\"prs_SecondName\":\"%s\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"%s\","
		 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedBegging\"],"
		 "\"al_documents\":[{\"al_document_type\":\"%s\",\"al_document_number\":\"%s\"}],"
		 "\"al_narrative\":\"E gjetur duke lypur pranë tregut.\"}}",
		 first, last, birth, my_institution(c), "passport", doc);
	struct reply r = client_req(c, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(out, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

static long long version_of(struct client *c, const char *code)
{
	struct reply r = client_get(c, "/api/v1/cases/%s", code);
	long long v = jint(r.json, "version");
	reply_free(&r);
	return v;
}

/* Asks for the personal data of a case, with a reason (NULL: none, relying on an earlier one). */
static struct reply personal(struct client *c, const char *code, const char *reason)
{
	char path[80], body[600];
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	if (reason)
		snprintf(body, sizeof body, "{\"reason\":\"%s\"}", reason);
	else
		snprintf(body, sizeof body, "{}");
	return client_req(c, "POST", path, body);
}

static struct reply move(struct client *c, const char *code, const char *to, const char *fields)
{
	char path[80], body[4096];
	snprintf(path, sizeof path, "/api/v1/cases/%s/transitions", code);
	snprintf(body, sizeof body, "{\"to\":\"%s\",\"version\":%lld%s%s}", to, version_of(c, code), fields ? ",\"fields\":" : "",
		 fields ? fields : "");
	return client_req(c, "POST", path, body);
}

Test(cases, the_form_definition_is_served_with_code_lists)
{
	struct reply r = client_get(&cw, "/api/v1/forms/case");
	cr_assert_eq(r.status, 200);
	cr_expect(json_array_size(jpath(r.json, "form.sections")) > 5);
	cr_expect_eq(json_array_size(jpath(r.json, "codelists.counties.items")), 12);
	cr_expect(json_array_size(jpath(r.json, "codelists.countries.items")) > 200);
	cr_expect_str_eq(jstr(r.json, "workflow.initial"), "initial_identification");
	reply_free(&r);
}

Test(cases, a_new_case_gets_a_pseudonymous_code_and_shows_no_personal_data)
{
	char code[32];
	create_case(&cw, "Blerina", "Kola", "2011-05-02", "BK1234567", code);
	cr_expect_str_eq(code, "FR-2026-0001");
	struct reply r = client_get(&cw, "/api/v1/cases/%s", code);
	cr_assert_eq(r.status, 200);
	cr_expect(json_is_true(jpath(r.json, "is_child")), "15 at identification");
	cr_expect_str_eq(jstr(r.json, "stage"), "initial_identification");
	cr_expect_str_eq(jstr(r.json, "age_band"), "15-17");
	cr_expect(json_is_true(jpath(r.json, "screening.meets")), "a child needs A and C");
	cr_expect_null(strstr(r.body, "Blerina"));
	cr_expect_null(strstr(r.body, "BK1234567"));
	cr_expect_null(strstr(r.body, "2011-05-02"));
	cr_expect_null(strstr(r.body, "tregut"));
	cr_expect(json_array_size(jpath(r.json, "personal_fields")) >= 4);
	reply_free(&r);
}

Test(cases, bad_case_input_is_refused_by_field)
{
	struct reply r = client_req(&cw, "POST", "/api/v1/cases", "{\"fields\":{\"prs_Gender\":\"Robot\"}}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "prs_Gender");
	reply_free(&r);
	r = client_req(&cw, "POST", "/api/v1/cases", "{\"fields\":{\"prs_ShoeSize\":42}}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "prs_ShoeSize");
	reply_free(&r);
	r = client_req(&cw, "POST", "/api/v1/cases",
		       "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"A\","
		       "\"prs_SecondName\":\"B\",\"prs_Gender\":\"Feminine\",\"al_identification_date\":\"2026-10-01\","
		       "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_identifying_institution\":1}}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "al_estimated_age", "%s", r.body);
	cr_expect_null(strstr(r.body, "\"A\""), "no value is echoed");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases"), 0);
}

Test(cases, personal_data_needs_a_reason_once_per_case_and_session_and_is_audited)
{
	char code[32];
	create_case(&cw, "Drita", "Hoxha", "2012-01-01", "DH0000001", code);
	struct reply r = personal(&cw, code, NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.code"), "reason_required");
	cr_expect_str_eq(jstr(r.json, "error.key"), "reason_required");
	reply_free(&r);
	r = personal(&cw, code, "plan i asistences");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "fields.prs_FirstName"), "Drita");
	cr_expect_str_eq(jstr(r.json, "fields.al_documents.0.al_document_number"), "DH0000001");
	reply_free(&r);
	r = personal(&cw, code, NULL);
	cr_expect_eq(r.status, 200, "the reason is asked once per case and session");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'read_personal' AND reason LIKE 'enc1:%'"), 2);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE after_json LIKE '%Drita%' OR before_json LIKE '%Drita%'"), 0,
		     "the audit names fields, never values");
	/* The auditor reads the reason; the database holds it only sealed. */
	struct client dpo;
	client_init(&dpo, &srv);
	client_login(&dpo, "dpo", "demo");
	r = client_get(&dpo, "/api/v1/audit?entity=case&entity_id=%s", code);
	cr_expect_str_eq(jstr(r.json, "items.0.action"), "read_personal");
	cr_expect_str_eq(jstr(r.json, "items.0.reason"), "plan i asistences");
	reply_free(&r);
	client_free(&dpo);
	cr_expect_eq(db_int(&srv, "SELECT (SELECT count(*) FROM audit WHERE reason LIKE '%asistence%')"
				  " + (SELECT count(*) FROM personal_reads WHERE reason LIKE '%asistence%')"),
		     0);
	struct client other;
	client_init(&other, &srv);
	client_login(&other, "fier.caseworker", "demo");
	r = personal(&other, code, NULL);
	cr_expect_eq(r.status, 400, "a new session asks again");
	reply_free(&r);
	client_free(&other);
	/* The reason never travels in a URL: there is no way to send it there. */
	char path[128];
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal?reason=x", code);
	r = client_get(&cw, "%s", path);
	cr_expect_eq(r.status, 405, "%s", r.body);
	reply_free(&r);
}

Test(cases, a_child_case_walks_from_identification_to_closure)
{
	char code[32];
	create_case(&cw, "Elona", "Meta", "2012-03-04", "EM7654321", code);
	/* Referral needs the referral data, citizenship, consents; a child also a protection worker. */
	struct reply r = move(&cw, code, "referral", NULL);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "cas_OutgoingReferralDate");
	reply_free(&r);
	char f[1024];
	snprintf(f, sizeof f,
		 "{\"cas_OutgoingReferralDate\":\"2026-10-02\",\"cas_ReferredOrganisation\":%lld,\"prs_Citizenship\":[\"AL\"],"
		 "\"al_consents\":[{\"al_consent_purpose\":\"assistance\",\"con_Consent\":true,\"al_consent_by\":\"parent\","
		 "\"al_consent_date\":\"2026-10-02\"}]}",
		 my_institution(&cw));
	r = move(&cw, code, "referral", f);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "al_child_protection_worker", "%s", r.body);
	reply_free(&r);
	char f2[1200];
	snprintf(f2, sizeof f2, "%.*s,\"al_child_protection_worker\":\"Njësia e Mbrojtjes së Fëmijës, Patos\","
		 "\"al_best_interest_assessment_date\":\"2026-10-03\"}", (int)strlen(f) - 1, f);
	r = move(&cw, code, "referral", f2);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	/* Only the Authority decides; recorded against one of its meetings. */
	r = move(&cw, code, "formal_identification", "{\"al_formal_decision\":\"identified_victim\"}");
	cr_expect_eq(r.status, 403, "%s", r.body);
	reply_free(&r);
	struct client sec, chair;
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	client_init(&chair, &srv);
	client_login(&chair, "authority.chair", "demo");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", body_id(&sec, "authority", NULL));
	r = client_req(&sec, "POST", path, "{\"date\":\"2026-10-10\",\"kind\":\"ordinary\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long meeting = jint(r.json, "id");
	reply_free(&r);
	snprintf(f, sizeof f,
		 "{\"al_authority_meeting\":%lld,\"al_formal_decision\":\"identified_victim\",\"al_formal_decision_date\":\"2026-10-10\","
		 "\"al_trafficking_scope\":\"internal\"}", meeting);
	r = move(&chair, code, "formal_identification", f);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases/%s", code);
	cr_expect_str_eq(jstr(r.json, "status"), "ActualVictimOfTrafficking", "the decision sets the status");
	reply_free(&r);
	r = move(&cw, code, "immediate_assistance",
		 "{\"al_assistance_start_date\":\"2026-10-11\",\"al_immediate_services\":[\"medical\",\"psychological\"]}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = move(&cw, code, "protection",
		 "{\"al_protection_setting\":\"shelter\",\"al_shelter\":\"child_centre\",\"al_protection_start_date\":\"2026-10-12\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = move(&cw, code, "reintegration",
		 "{\"al_reintegration_plan_date\":\"2026-10-20\",\"spl_PlannedEndDate\":\"2027-10-20\","
		 "\"al_reintegration_plan\":[{\"al_plan_area\":\"education\",\"al_plan_status\":\"planned\"}]}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = move(&cw, code, "assisted_return", "{\"al_return_country\":\"AL\",\"al_return_risk_assessment_date\":\"2026-10-21\"}");
	cr_expect_eq(r.status, 409, "reintegration does not go back to return");
	reply_free(&r);
	r = move(&cw, code, "closed", "{\"al_closure_reason\":\"reintegrated\",\"al_closure_date\":\"2026-11-01\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	/* Reopening goes back to where it was, or to referral — not anywhere. */
	r = move(&cw, code, "protection", NULL);
	cr_expect_eq(r.status, 409, "%s", r.body);
	reply_free(&r);
	r = move(&cw, code, "reintegration", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	/* The timeline holds every step, with who and when. */
	r = client_get(&cw, "/api/v1/cases/%s/events", code);
	size_t n = json_array_size(jpath(r.json, "items"));
	cr_expect_eq(n, 8, "create + 7 transitions, got %zu", n);
	cr_expect_str_eq(jstr(r.json, "items.0.action"), "create");
	cr_expect_str_eq(jstr(r.json, "items.2.user"), "authority.chair");
	cr_expect_str_eq(jstr(r.json, "items.2.to_stage"), "formal_identification");
	cr_expect_null(strstr(r.body, "Elona"), "events carry no personal values");
	reply_free(&r);
	client_free(&sec);
	client_free(&chair);
}

Test(cases, only_the_authority_records_decisions_even_by_editing)
{
	char code[32], path[80], body[300];
	create_case(&cw, "Teuta", "Zeneli", "2001-02-03", "TZ1", code);
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_formal_decision\":\"identified_victim\"}}",
		 version_of(&cw, code));
	struct reply r = client_req(&cw, "PATCH", path, body);
	cr_expect_eq(r.status, 403, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "al_formal_decision");
	reply_free(&r);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"vic_TraffickingStatus\":\"ActualVictimOfTrafficking\"}}",
		 version_of(&cw, code));
	r = client_req(&cw, "PATCH", path, body);
	cr_expect_eq(r.status, 403, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "vic_TraffickingStatus");
	reply_free(&r);
}

Test(cases, referrals_are_answered_by_the_receiving_case_workers_once_and_in_order)
{
	char code[32], path[128], body[300];
	create_case(&cw, "Lule", "Marku", "1999-09-09", "LM1", code);
	struct client ngo, vl, mon;
	client_init(&ngo, &srv);
	client_login(&ngo, "tirane.ngo", "demo");
	client_init(&vl, &srv);
	client_login(&vl, "vlore.caseworker", "demo");
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	long long to[3] = {my_institution(&ngo), my_institution(&vl), my_institution(&mon)}, refs[3];
	snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code);
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"marrja e rastit\"}", to[i]);
		struct reply r = client_req(&cw, "POST", path, body);
		cr_assert_eq(r.status, 201, "%s", r.body);
		refs[i] = jint(r.json, "id");
		reply_free(&r);
	}
	struct reply r = client_get(&mon, "/api/v1/referrals");
	cr_expect_eq(r.status, 403, "the Ministry monitor sees figures only");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", refs[2]);
	r = client_req(&mon, "POST", path, NULL);
	cr_expect_eq(r.status, 403, "the route is not the Ministry monitor's");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", refs[0]);
	r = client_req(&ngo, "POST", path, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&ngo, "/api/v1/cases/%s", code);
	cr_expect_eq(jint(r.json, "holder"), to[0], "accepting a case referral hands the case over");
	reply_free(&r);
	/* The other receiver's referral is now stale: it cannot take the case from the shelter. */
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", refs[1]);
	r = client_req(&vl, "POST", path, NULL);
	cr_expect_eq(r.status, 409, "%s", r.body);
	reply_free(&r);
	r = client_get(&ngo, "/api/v1/cases/%s", code);
	cr_expect_eq(jint(r.json, "holder"), to[0]);
	reply_free(&r);
	client_free(&mon);
	client_free(&vl);
	client_free(&ngo);
}

Test(cases, a_stale_version_is_refused_so_no_update_is_lost)
{
	char code[32], path[80], body[200];
	create_case(&cw, "Mira", "Leka", "2000-01-01", "ML1", code);
	long long v = version_of(&cw, code);
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_identifying_officer\":\"Inspektor A\"}}", v);
	struct reply r = client_req(&cw, "PATCH", path, body);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":{\"al_identifying_officer\":\"Inspektor B\"}}", v);
	r = client_req(&cw, "PATCH", path, body);
	cr_expect_eq(r.status, 409);
	cr_expect_str_eq(jstr(r.json, "error.field"), "version");
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases/%s", code);
	cr_expect_str_eq(jstr(r.json, "fields.al_identifying_officer"), "Inspektor A");
	reply_free(&r);
}

Test(cases, a_case_moved_to_another_county_keeps_its_code_and_the_next_case_gets_a_new_one)
{
	char a[32], b[32], c[32], path[80], body[400];
	create_case(&cw, "Nora", "Gjoka", "2000-01-01", "NG1", a);
	create_case(&cw, "Dea", "Gjoka", "2001-01-01", "DG1", b);
	/* Found in fact in Durrës (the Authority corrects it): the code it was given stays its code. */
	struct client sec;
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	snprintf(path, sizeof path, "/api/v1/cases/%s", b);
	snprintf(body, sizeof body,
		 "{\"version\":%lld,\"fields\":{\"al_county\":\"durres\",\"al_municipality\":\"durres\"},"
		 "\"reason\":\"qarku i sakte\"}",
		 version_of(&sec, b));
	struct reply r = client_req(&sec, "PATCH", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&sec, "/api/v1/cases/%s", b);
	cr_expect_str_eq(jstr(r.json, "fields.al_county"), "durres", "%s", r.body);
	reply_free(&r);
	client_free(&sec);
	/* The next case of Fier that year is given a number no case had (it was given b's again,
	 * and could not be saved). */
	create_case(&cw, "Ema", "Gjoka", "2002-01-01", "EG1", c);
	cr_expect_str_neq(c, b);
	cr_expect_eq(strncmp(c, b, strlen(b) - 4), 0, "%s after %s", c, b);
	cr_expect_gt(strcmp(c, b), 0, "%s after %s", c, b);
}

/* The status a user gets for GET path, or for POST path {"reason": "test"} when post. */
static long access_status(const char *user, const char *path, bool post)
{
	struct client c;
	client_init(&c, &srv);
	client_login(&c, user, "demo");
	struct reply r = post ? client_req(&c, "POST", path, "{\"reason\":\"test i aksesit\"}") : client_get(&c, "%s", path);
	long s = r.status;
	reply_free(&r);
	client_free(&c);
	return s;
}

Test(cases, the_access_matrix)
{
	char code[32], view[80], pers[120];
	create_case(&cw, "Anisa", "Gjoka", "2009-09-09", "AG42", code);
	snprintf(view, sizeof view, "/api/v1/cases/%s", code);
	snprintf(pers, sizeof pers, "/api/v1/cases/%s/personal", code);
	struct {
		const char *user;
		long view, personal, list;
	} m[] = {
		{"fier.caseworker", 200, 200, 200},       {"vlore.caseworker", 404, 404, 200},
		{"tirane.ngo", 404, 404, 200},            {"fier.secretariat", 200, 403, 200},
		{"fier.krat", 200, 403, 200},             {"fier.table", 200, 403, 200},
		{"vlore.krat", 404, 403, 200},            {"authority.chair", 200, 200, 200},
		{"authority.member", 200, 200, 200},      {"authority.secretariat", 200, 200, 200},
		{"ministry.monitor", 403, 403, 403},      {"admin", 403, 403, 403},
		{"dpo", 403, 403, 403},
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
		cr_expect_eq(access_status(m[i].user, view, false), m[i].view, "%s view", m[i].user);
		cr_expect_eq(access_status(m[i].user, pers, true), m[i].personal, "%s personal", m[i].user);
		cr_expect_eq(access_status(m[i].user, "/api/v1/cases", false), m[i].list, "%s list", m[i].user);
	}
	cr_expect_eq(access_status("ministry.monitor", "/api/v1/stats/tables/by_county?period=2025", false), 200,
		     "the Ministry sees aggregates");
	/* County members see their county's cases by code in lists, without personal fields. */
	struct client k;
	client_init(&k, &srv);
	client_login(&k, "fier.krat", "demo");
	struct reply r = client_get(&k, "/api/v1/cases");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect_null(strstr(r.body, "Anisa"));
	reply_free(&r);
	client_free(&k);
}

Test(cases, a_referral_shows_the_receiver_only_the_fields_it_needs)
{
	char code[32], path[128], body[300];
	create_case(&cw, "Sara", "Prifti", "2010-02-02", "SP555", code);
	struct client ngo;
	client_init(&ngo, &srv);
	client_login(&ngo, "tirane.ngo", "demo");
	long long shelter = my_institution(&ngo);
	snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code);
	snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"strehim\",\"fields\":[\"prs_FirstName\",\"prs_SecondName\"],"
		 "\"service\":\"accommodation\"}", shelter);
	struct reply r = client_req(&cw, "POST", path, body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long ref = jint(r.json, "id");
	reply_free(&r);
	r = client_get(&ngo, "/api/v1/referrals?direction=in");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect_str_eq(jstr(r.json, "items.0.status"), "pending");
	reply_free(&r);
	r = personal(&ngo, code, "pranimi ne strehez");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "fields.prs_FirstName"), "Sara");
	cr_expect_null(jpath(r.json, "fields.al_documents"), "not among the referred fields");
	cr_expect_null(jpath(r.json, "fields.al_narrative"));
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", ref);
	r = client_req(&ngo, "POST", path, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "accepted");
	reply_free(&r);
	r = client_req(&ngo, "POST", path, NULL);
	cr_expect_eq(r.status, 409, "answered once");
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases/%s", code);
	int listed = 0;
	size_t i;
	json_t *a;
	json_array_foreach(jpath(r.json, "access.institutions"), i, a)
		listed |= jint(a, "id") == shelter;
	cr_expect(listed, "the case shows who may see it");
	reply_free(&r);
	client_free(&ngo);
}

static int file_has(const char *path, const char *needle)
{
	size_t got;
	char *buf = file_read(path, &got);
	if (!buf)
		return 0;
	int found = memmem(buf, got, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

Test(cases, personal_data_is_encrypted_at_rest_in_the_db_its_wal_and_a_backup)
{
	char code[32], wal[400], backup[400], cmd[1000];
	create_case(&cw, "Xhuljeta", "Ndreu", "2008-08-08", "ZZ9988776", code);
	snprintf(wal, sizeof wal, "%s-wal", srv.db);
	snprintf(backup, sizeof backup, "%s/backup.db", srv.dir);
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\"", srv.db, backup);
	cr_assert_eq(system(cmd), 0);
	const char *files[] = {srv.db, wal, backup};
	for (size_t i = 0; i < 3; i++) {
		cr_expect(!file_has(files[i], "Xhuljeta"), "%s holds the name in clear", files[i]);
		cr_expect(!file_has(files[i], "Ndreu"), "%s holds the surname in clear", files[i]);
		cr_expect(!file_has(files[i], "ZZ9988776"), "%s holds the document number in clear", files[i]);
		cr_expect(!file_has(files[i], "2008-08-08"), "%s holds the birth date in clear", files[i]);
	}
	cr_expect(file_has(backup, code), "the backup does hold the case (the test would see clear text)");
	/* A careless client that puts a name in a path or a query string does not put it in the log. */
	struct reply r = client_get(&cw, "/api/v1/cases/Xhuljeta%%20Ndreu?q=ZZ9988776");
	reply_free(&r);
	r = client_get(&cw, "/cases/Xhuljeta-Ndreu");
	reply_free(&r);
	char log[1200];
	snprintf(log, sizeof log, "%s", srv.log);
	cr_expect(!file_has(log, "Xhuljeta") && !file_has(log, "ZZ9988776") && !file_has(log, "Ndreu"),
		  "the server log holds personal data");
	cr_expect(file_has(log, "/api/v1/cases/{code}"), "requests are logged by their route");
}

Test(cases, likely_duplicates_across_agencies_match_despite_diacritics_and_case)
{
	char a[32], b[32], c[32];
	create_case(&cw, "Ëngjëll", "Çela", "2010-04-01", "AA111", a);
	struct client sec;
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	char body[1500];
	snprintf(body, sizeof body,
		 "{\"institution\":%lld,\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"ENGJELL\","
		 "\"prs_SecondName\":\"cela\",\"prs_Gender\":\"Masculine\",\"prs_Birthdate\":\"2010-04-01\","
		 "\"al_identification_date\":\"2026-10-05\",\"al_identifying_institution\":1,\"al_identification_method\":\"ngo\","
		 "\"al_county\":\"tirane\",\"al_indicators_a\":[\"A02\"],\"al_indicators_c\":[\"C02\"]}}",
		 my_institution(&sec));
	struct reply r = client_req(&sec, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(b, sizeof b, "%s", jstr(r.json, "code"));
	cr_expect_str_eq(jstr(r.json, "duplicates.0"), a, "flagged on create");
	reply_free(&r);
	/* A case worker learns nothing of other cases; the pair still reaches the Authority's queue. */
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"Other\","
		 "\"prs_SecondName\":\"Person\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2001-01-01\","
		 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_indicators_a\":[\"A01\"],"
		 "\"al_indicators_b\":[\"B01\"],\"al_indicators_c\":[\"C01\"],"
		 "\"al_documents\":[{\"al_document_type\":\"passport\",\"al_document_number\":\"aa-111\"}]}}",
		 my_institution(&cw));
	r = client_req(&cw, "POST", "/api/v1/cases", body); /* same document number, other spelling */
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(c, sizeof c, "%s", jstr(r.json, "code"));
	cr_expect_null(jpath(r.json, "likely_duplicate"), "a case worker learns nothing of other cases: %s", r.body);
	cr_expect_null(jpath(r.json, "duplicates"), "%s", r.body);
	reply_free(&r);
	r = client_get(&sec, "/api/v1/duplicates");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 2, "%s", r.body);
	long long pair = -1;
	size_t i;
	json_t *d;
	json_array_foreach(jpath(r.json, "items"), i, d)
		if (strcmp(jstr(d, "cases.1"), b) == 0 || strcmp(jstr(d, "cases.0"), b) == 0)
			pair = jint(d, "id");
	reply_free(&r);
	cr_assert(pair > 0);
	r = client_get(&cw, "/api/v1/duplicates");
	cr_expect_eq(r.status, 403, "the queue is the Authority's");
	reply_free(&r);
	/* Persons, not records: before the merge three, after it two. */
	r = client_get(&sec, "/api/v1/stats?period=2000-01-01..2030-12-31");
	cr_expect_eq(jint(r.json, "blocks.0.rows.0.cells.0"), 3);
	reply_free(&r);
	char path[80], keep[64];
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/merge", pair);
	snprintf(keep, sizeof keep, "{\"keep\":\"%s\"}", a);
	r = client_req(&sec, "POST", path, keep);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&sec, "/api/v1/stats?period=2000-01-01..2030-12-31");
	cr_expect_eq(jint(r.json, "blocks.0.rows.0.cells.0"), 2);
	reply_free(&r);
	r = client_get(&sec, "/api/v1/cases/%s/events", b);
	cr_expect_str_eq(jstr(r.json, "items.0.action"), "create", "both histories are kept");
	cr_expect_str_eq(jstr(r.json, "items.1.action"), "merge");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'merge'"), 1);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM case_match m JOIN cases c ON c.id = m.case_id WHERE c.merged_into IS NOT NULL"), 0,
		     "a merged case is no longer compared with new ones");
	client_free(&sec);
}

Test(cases, exact_search_by_name_or_document_for_allowed_roles_only)
{
	char code[32];
	create_case(&cw, "Rezarta", "Basha", "2007-07-07", "RB-2007", code);
	struct client sec;
	client_init(&sec, &srv);
	client_login(&sec, "authority.member", "demo");
	struct reply r = client_req(&sec, "POST", "/api/v1/cases/search", "{\"first_name\":\"rezarta\",\"last_name\":\"BASHA\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), code);
	reply_free(&r);
	r = client_req(&sec, "POST", "/api/v1/cases/search", "{\"document\":\"rb 2007\"}");
	cr_expect_str_eq(jstr(r.json, "items.0.code"), code);
	reply_free(&r);
	r = client_req(&sec, "POST", "/api/v1/cases/search", "{\"first_name\":\"Rez\",\"last_name\":\"Basha\"}");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0, "exact, not partial");
	reply_free(&r);
	client_free(&sec);
	struct client k;
	client_init(&k, &srv);
	client_login(&k, "fier.krat", "demo");
	r = client_req(&k, "POST", "/api/v1/cases/search", "{\"first_name\":\"Rezarta\",\"last_name\":\"Basha\"}");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&k);
}

Test(cases, lists_filter_by_stage_child_exploitation_and_dates)
{
	char a[32], b[32];
	create_case(&cw, "Child", "One", "2015-01-01", "C1", a);
	create_case(&cw, "Adult", "Two", "1990-01-01", "C2", b);
	struct reply r = client_get(&cw, "/api/v1/cases?child=true");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), a);
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases?exploitation=ForcedBegging&stage=initial_identification&from=2026-09-01&to=2026-12-31");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 2);
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases?limit=1");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect(json_is_string(jpath(r.json, "next")));
	reply_free(&r);
	r = client_get(&cw, "/api/v1/cases?stage=limbo");
	cr_expect_eq(r.status, 400);
	reply_free(&r);
}

/* The codes of every page of a list, following its cursor, newest first; n of them. */
static int list_codes(struct client *c, const char *query, char codes[][32], int max)
{
	char next[32] = "";
	int n = 0;
	for (int page = 0; page < 50; page++) {
		struct reply r = client_get(c, "/api/v1/cases?limit=1%s%s%s", query, *next ? "&after=" : "", next);
		cr_assert_eq(r.status, 200, "%s", r.body);
		json_t *items = jpath(r.json, "items"), *x;
		size_t i;
		cr_expect_leq(json_array_size(items), 1);
		json_array_foreach(items, i, x) {
			cr_assert_lt(n, max);
			snprintf(codes[n++], 32, "%s", jstr(x, "code"));
		}
		json_t *cur = jpath(r.json, "next");
		snprintf(next, sizeof next, "%s", json_is_string(cur) ? json_string_value(cur) : "");
		reply_free(&r);
		if (!*next)
			break;
	}
	return n;
}

Test(cases, an_institution_pages_through_what_it_holds_created_or_was_referred_and_nothing_else)
{
	char code[4][32], own[32], path[128], body[200], got[10][32];
	struct client ngo;
	client_init(&ngo, &srv);
	client_login(&ngo, "tirane.ngo", "demo");
	long long shelter = my_institution(&ngo), refs[3];
	for (int i = 0; i < 4; i++)
		create_case(&cw, "Drita", "Hoxha", "1998-02-02", i == 0 ? "DH0" : i == 1 ? "DH1" : i == 2 ? "DH2" : "DH3", code[i]);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "/api/v1/cases/%s/referrals", code[i]);
		snprintf(body, sizeof body, "{\"institution\":%lld,\"reason\":\"strehim\"}", shelter);
		struct reply r = client_req(&cw, "POST", path, body);
		cr_assert_eq(r.status, 201, "%s", r.body);
		refs[i] = jint(r.json, "id");
		reply_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/accept", refs[0]);
	struct reply r = client_req(&ngo, "POST", path, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/referrals/%lld/decline", refs[2]);
	r = client_req(&ngo, "POST", path, "{\"note\":\"nuk kemi vend\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	create_case(&ngo, "Besa", "Leka", "1997-03-03", "BL1", own);
	/* Held (accepted), referred and waiting, created: newest first, one page at a time; not
	 * the case it declined nor the one never referred to it. */
	int n = list_codes(&ngo, "", got, 10);
	cr_expect_eq(n, 3);
	cr_expect_str_eq(got[0], own);
	cr_expect_str_eq(got[1], code[1]);
	cr_expect_str_eq(got[2], code[0]);
	n = list_codes(&ngo, "&stage=initial_identification", got, 10);
	cr_expect_eq(n, 3, "a filter every one of them matches keeps them all");
	n = list_codes(&ngo, "&code=ZZ", got, 10);
	cr_expect_eq(n, 0);
	/* The case worker who created all four still lists them all, the one handed over too. */
	n = list_codes(&cw, "", got, 10);
	cr_expect_eq(n, 4);
	for (int i = 0; i < 4 && n == 4; i++)
		cr_expect_str_eq(got[i], code[3 - i]);
	client_free(&ngo);
}

Test(cases, figures_count_a_case_on_the_day_it_was_identified_not_the_day_it_was_recorded)
{
	char code[32];
	create_case(&cw, "Past", "Case", "2012-01-01", "PC1", code);
	struct client sec;
	client_init(&sec, &srv);
	client_login(&sec, "authority.secretariat", "demo");
	/* Recorded today, identified on the form's identification date. */
	struct reply r = client_get(&cw, "/api/v1/cases/%s", code);
	char ident[16];
	snprintf(ident, sizeof ident, "%s", jstr(r.json, "fields.al_identification_date"));
	reply_free(&r);
	char period[40];
	snprintf(period, sizeof period, "%.4s", ident);
	r = client_get(&sec, "/api/v1/stats?period=%s&rows=child", period);
	cr_expect_eq(jint(r.json, "blocks.0.rows.0.cells.0"), 1, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "blocks.0.rows.0.code"), "child");
	reply_free(&r);
	r = client_get(&sec, "/api/v1/stats?period=2020-01-01..%d-12-31&rows=stage", atoi(period) - 1);
	cr_expect_eq(json_array_size(jpath(r.json, "blocks.0.rows")), 1, "only the total: nothing identified before");
	cr_expect_eq(jint(r.json, "blocks.0.rows.0.cells.0"), 0);
	reply_free(&r);
	client_free(&sec);
}
