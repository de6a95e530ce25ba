/* The rest of what the KRATs do (Order 94 §1.6c–d, §2.1a–ç, §5): people at risk with their
 * personal data protected as a case's, the one who becomes a possible victim turning into a
 * case, awareness campaigns and activities, training with each member's history and
 * certificate, cross-border work, emergency plans and their activation in an extraordinary
 * meeting — each register defined as data — and the figures a KRAT's quarterly report takes
 * from them. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define TODAY "2026-11-20"
#define MARKER "Zanamira"

static struct server srv;
static struct client police, sec;
static long long table, krat, police_inst;

static void setup(void)
{
	server_start(&srv);
	server_restart(&srv, TODAY);
	client_init(&police, &srv);
	client_login(&police, "fier.caseworker", "demo");
	client_init(&sec, &srv);
	client_login(&sec, "fier.secretariat", "demo");
	table = body_id(&sec, "technical_table", "fier");
	krat = body_id(&sec, "krat", "fier");
	police_inst = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
}
static void teardown(void)
{
	client_free(&police);
	client_free(&sec);
	server_stop(&srv);
}
TestSuite(prevention, .init = setup, .fini = teardown, .timeout = 180);

/* A child at risk in Fier recorded by the police, found by the Technical Table on `day`. */
static void at_risk(const char *day, const char *extra, char code[40])
{
	char json[2048];
	snprintf(json, sizeof json,
		 "{\"fields\":{\"subject\":\"person\",\"child\":true,\"found_on\":\"%s\",\"found_by\":%lld,\"county\":\"fier\","
		 "\"municipality\":\"lushnje\",\"risk_factors\":[\"school_dropout\",\"street_situation\"],\"status\":\"open\","
		 "\"first_name\":\"" MARKER "\",\"last_name\":\"" MARKER "j\",\"birth_date\":\"2013-02-03\",\"sex\":\"Feminine\","
		 "\"situation\":\"Lyp pranë tregut me " MARKER "n.\",\"actions\":[{\"action\":\"school_reintegration\","
		 "\"decided_by\":%lld,\"decided_on\":\"%s\",\"institution\":%lld,\"state\":\"ongoing\"}]%s}}",
		 day, table, table, day, police_inst, extra ? extra : "");
	struct reply r = client_must(&police, "POST", "/api/v1/registers/at_risk/entries", json, 201);
	snprintf(code, 40, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

static bool file_has(const char *path, const char *needle)
{
	size_t n;
	char *buf = file_read(path, &n);
	bool found = buf && memmem(buf, n, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

Test(prevention, a_child_at_risk_is_recorded_with_her_personal_data_sealed_and_seen_by_the_holder_only)
{
	char code[40], path[160];
	at_risk("2026-10-05", NULL, code);
	cr_expect_str_eq(code, "RR-FR-2026-0001");
	/* Sealed at rest, and in no log. */
	char wal[320];
	snprintf(wal, sizeof wal, "%s-wal", srv.db);
	cr_expect(!file_has(srv.db, MARKER) && !file_has(wal, MARKER), "the name is not in the database in clear");
	snprintf(path, sizeof path, "/api/v1/registers/at_risk/entries/%s", code);
	struct reply r = client_must(&police, "GET", path, NULL, 200);
	cr_expect_null(strstr(r.body, MARKER), "an entry's page holds no personal value");
	cr_expect(json_is_true(jpath(r.json, "can_read_personal")));
	cr_expect_str_eq(jstr(r.json, "personal_fields.0"), "birth_date");
	cr_expect_eq(jint(r.json, "fields.actions.0.decided_by"), table);
	reply_free(&r);
	/* The holder reads them with a reason, audited; the reason is sealed too. */
	char ppath[200];
	snprintf(ppath, sizeof ppath, "%s/personal", path);
	client_refused(&police, "POST", ppath, "{}", 400, "reason_required", "reason");
	r = client_must(&police, "POST", ppath, "{\"reason\":\"Ndjekja e planit të mbrojtjes\"}", 200);
	cr_expect_str_eq(jstr(r.json, "fields.first_name"), MARKER);
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'read_personal' AND entity = 'register_entry'"
				  " AND entity_id = 'RR-FR-2026-0001' AND reason LIKE 'enc1:%'"),
		     1);
	/* The county's bodies see the entry, not the person; another county sees nothing. */
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_null(strstr(r.body, MARKER));
	cr_expect(json_is_false(jpath(r.json, "can_read_personal")) && json_is_false(jpath(r.json, "can_edit")));
	cr_expect_null(jpath(r.json, "history"), "who changed the entry when is for its holder");
	cr_expect_null(jpath(r.json, "updated_at"));
	reply_free(&r);
	client_refused(&sec, "POST", ppath, "{\"reason\":\"x\"}", 403, "entry_by_holder", NULL);
	client_refused(&sec, "PATCH", path, "{\"version\":1,\"fields\":{\"status\":\"closed\"}}", 403, "entry_by_holder", NULL);
	struct client krat_member = client_as(&srv, "fier.krat"), tirane = client_as(&srv, "tirane.secretariat"),
		      monitor = client_as(&srv, "ministry.monitor"), admin = client_as(&srv, "admin");
	r = client_must(&krat_member, "GET", "/api/v1/registers/at_risk", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "name"), "at_risk", "the register's definition: %s", r.body);
	reply_free(&r);
	r = client_must(&krat_member, "GET", "/api/v1/registers/at_risk/entries", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), code);
	cr_expect(json_is_false(jpath(r.json, "items.0.became_case")));
	reply_free(&r);
	client_refused(&tirane, "GET", path, NULL, 404, "no_such_entry", NULL);
	char nul[200];
	snprintf(nul, sizeof nul, "%s%%00x", path);
	client_refused(&police, "GET", nul, NULL, 404, "no_such_entry", NULL); /* not cut short at the NUL */
	r = client_must(&tirane, "GET", "/api/v1/registers/at_risk/entries", NULL, 200);
	cr_expect_null(jpath(r.json, "items.0"), "Tirana's list holds none of Fier's");
	reply_free(&r);
	client_refused(&tirane, "GET", "/api/v1/registers/at_risk/entries?county=fier", NULL, 403, "register_own_county", "county");
	/* The Ministry and the administrator: no entries of people at risk at all. */
	client_refused(&monitor, "GET", "/api/v1/registers/at_risk/entries", NULL, 403, "register_read_role", NULL);
	client_refused(&monitor, "GET", path, NULL, 404, "no_such_entry", NULL);
	r = client_must(&admin, "GET", "/api/v1/registers", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0);
	reply_free(&r);
	/* Another case worker of the county (an NGO's) sees none of the police's entries. */
	struct client ngo = client_as(&srv, "tirane.ngo");
	client_refused(&ngo, "GET", path, NULL, 404, "no_such_entry", NULL);
	/* A change by the holder is recorded with its reason, which only the holder reads back. */
	r = client_must(&police, "PATCH", path,
		 "{\"version\":1,\"fields\":{\"follow_up\":\"Shkon rregullisht në shkollë.\",\"status\":\"closed\"},"
		 "\"reason\":\"Rishikimi tremujor\"}",
		 200);
	cr_expect_str_eq(jstr(r.json, "fields.status"), "closed");
	cr_expect_str_eq(jstr(r.json, "history.1.changed.0"), "follow_up");
	cr_expect_str_eq(jstr(r.json, "history.1.reason"), "Rishikimi tremujor");
	reply_free(&r);
	client_refused(&police, "PATCH", path, "{\"version\":1,\"fields\":{\"status\":\"open\"}}", 409, "stale", "version");
	cr_expect(!file_has(srv.log, MARKER), "no name in the server's log");
	/* The data-protection officer reads why the personal data were read. */
	struct client dpo = client_as(&srv, "dpo");
	r = client_must(&dpo, "GET", "/api/v1/audit?entity=register_entry", NULL, 200);
	cr_expect_not_null(strstr(r.body, "Ndjekja e planit të mbrojtjes"), "%s", r.body);
	reply_free(&r);
	client_free(&dpo);
	client_free(&krat_member);
	client_free(&tirane);
	client_free(&monitor);
	client_free(&admin);
	client_free(&ngo);
}

/* Posts an at-risk entry of Fier's police: `status`, the county and municipality, the body
 * that found the person, and `more` (a JSON fragment); expects the error. */
static void refused(const char *status, const char *county, const char *muni, long long found_by, const char *more,
		    long code, const char *key, const char *field)
{
	char json[1024];
	snprintf(json, sizeof json,
		 "{\"fields\":{\"subject\":\"person\",\"child\":true,\"found_on\":\"2026-10-05\",\"status\":\"%s\","
		 "\"first_name\":\"A\",\"found_by\":%lld,\"county\":\"%s\",\"municipality\":\"%s\"%s%s}}",
		 status, found_by, county, muni, more ? "," : "", more ? more : "");
	client_refused(&police, "POST", "/api/v1/registers/at_risk/entries", json, code, key, field);
}

Test(prevention, a_wrong_entry_names_its_field_and_writes_nothing)
{
	const char *reg = "/api/v1/registers/at_risk/entries", *debt = "\"risk_factors\":[\"debt\"]";
	long long vlore_table = body_id(&sec, "technical_table", "vlore");
	refused("open", "fier", "lushnje", table, NULL, 400, "required", "risk_factors");
	refused("open", "fier", "lushnje", table, "\"risk_factors\":[\"no_such_factor\"]", 400, "bad_code_in_list",
		"risk_factors");
	refused("open", "fier", "vlore", table, debt, 400, "municipality_county", "municipality");
	refused("open", "fier", "lushnje", 999999, debt, 400, "unknown_reference", "found_by");
	refused("open", "fier", "lushnje", vlore_table, debt, 400, "unknown_reference", "found_by"); /* no oracle */
	refused("open", "fier", "lushnje", krat, debt, 400, "reference_body_kind", "found_by");
	refused("became_case", "fier", "lushnje", table, debt, 400, "entry_status_by_case", "status");
	char tomorrow[200];
	snprintf(tomorrow, sizeof tomorrow, "%s,\"situation\":\"Kontroll\\u0007\"", debt);
	refused("open", "fier", "lushnje", table, tomorrow, 400, "control_characters", "situation");
	char future[512];
	snprintf(future, sizeof future,
		 "{\"fields\":{\"subject\":\"group\",\"group_size\":3,\"child\":true,\"found_on\":\"2026-11-21\","
		 "\"status\":\"open\",\"found_by\":%lld,\"county\":\"fier\",\"municipality\":\"fier\","
		 "\"risk_factors\":[\"debt\"]}}",
		 table);
	client_refused(&police, "POST", reg, future, 400, "date_in_future", "found_on");
	refused("open", "vlore", "vlore", vlore_table, debt, 403, "register_own_county", "county");
	char action[300];
	snprintf(action, sizeof action,
		 "%s,\"actions\":[{\"action\":\"legal_aid\",\"decided_by\":%lld,\"decided_on\":\"2026-10-06\","
		 "\"state\":\"planned\"}]",
		 debt, table);
	refused("open", "fier", "lushnje", table, action, 400, "required", "actions.0.institution");
	client_refused(&police, "POST", reg, "{\"fields\":{\"nickname\":\"x\"}}", 400, "unknown_field", "nickname");
	client_refused(&police, "POST", reg, "{\"fields\":[]}", 400, "not_object", "fields");
	client_refused(&police, "POST", "/api/v1/registers/no_such/entries", "{\"fields\":{}}", 404, "no_such_register",
		     "register");
	/* The secretariat does not record people at risk; the police do not record trainings. */
	client_refused(&sec, "POST", reg, "{\"fields\":{}}", 403, "register_write_role", NULL);
	client_refused(&police, "POST", "/api/v1/registers/trainings/entries", "{\"fields\":{}}", 403, "register_write_role",
		     NULL);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM register_entries"), 0, "nothing was written");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM register_seq"), 0);
}

Test(prevention, a_person_at_risk_who_becomes_a_possible_victim_turns_into_a_case_keeping_the_link)
{
	char code[40], path[200];
	at_risk("2026-09-12", NULL, code);
	snprintf(path, sizeof path, "/api/v1/registers/at_risk/entries/%s/case", code);
	const char *fields = "\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"al_identification_date\":\"2026-11-02\","
			     "\"al_identification_method\":\"police\",\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],"
			     "\"vic_TypeOfExploitation\":[\"ForcedBegging\"]";
	char json[1024];
	snprintf(json, sizeof json, "{\"fields\":{%s,\"al_identifying_institution\":%lld}}", fields, police_inst);
	client_refused(&police, "POST", path, json, 400, "reason_required", "reason");
	client_refused(&police, "POST", path, "{\"reason\":\"Shenja shfrytëzimi\",\"fields\":{}}", 400, "required", NULL);
	client_refused(&sec, "POST", path, "{\"reason\":\"x\"}", 403, "route_forbidden", NULL);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases"), 0, "a refused conversion makes no case");
	snprintf(json, sizeof json, "{\"reason\":\"Shenja shfrytëzimi\",\"fields\":{%s,\"al_identifying_institution\":%lld}}",
		 fields, police_inst);
	struct reply r = client_must(&police, "POST", path, json, 201);
	char case_code[32], cpath[80];
	snprintf(case_code, sizeof case_code, "%s", jstr(r.json, "code"));
	cr_expect_str_eq(jstr(r.json, "entry"), code);
	reply_free(&r);
	/* The case took the person from the entry and says where it came from. */
	snprintf(cpath, sizeof cpath, "/api/v1/cases/%s", case_code);
	r = client_must(&police, "GET", cpath, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "from_register.code"), code);
	cr_expect_str_eq(jstr(r.json, "fields.al_municipality"), "lushnje");
	cr_expect_str_eq(jstr(r.json, "fields.prs_Gender"), "Feminine");
	cr_expect(json_is_true(jpath(r.json, "is_child")), "born 2013: a child");
	reply_free(&r);
	snprintf(cpath, sizeof cpath, "/api/v1/cases/%s/personal", case_code);
	r = client_must(&police, "POST", cpath, "{\"reason\":\"Hapja e dosjes se rastit\"}", 200);
	cr_expect_str_eq(jstr(r.json, "fields.prs_FirstName"), MARKER);
	cr_expect_str_eq(jstr(r.json, "fields.prs_Birthdate"), "2013-02-03");
	reply_free(&r);
	/* The entry keeps its history, says what became of it and is kept as it was. */
	snprintf(path, sizeof path, "/api/v1/registers/at_risk/entries/%s", code);
	r = client_must(&police, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "case_code"), case_code);
	cr_expect_str_eq(jstr(r.json, "fields.status"), "became_case");
	cr_expect_str_eq(jstr(r.json, "history.1.action"), "to_case");
	cr_expect_str_eq(jstr(r.json, "history.1.reason"), "Shenja shfrytëzimi");
	cr_expect(json_is_false(jpath(r.json, "can_edit")));
	long long version = jint(r.json, "version");
	reply_free(&r);
	snprintf(json, sizeof json, "{\"version\":%lld,\"fields\":{\"status\":\"open\"}}", version);
	client_refused(&police, "PATCH", path, json, 409, "entry_became_case", NULL);
	snprintf(path, sizeof path, "/api/v1/registers/at_risk/entries/%s/case", code);
	client_refused(&police, "POST", path, "{\"reason\":\"x\",\"fields\":{}}", 409, "entry_became_case", NULL);
	/* Others learn only that it became a case, not which. */
	snprintf(path, sizeof path, "/api/v1/registers/at_risk/entries/%s", code);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect(json_is_true(jpath(r.json, "became_case")));
	cr_expect_null(jpath(r.json, "case_code"));
	char quoted[40];
	snprintf(quoted, sizeof quoted, "\"%s\"", case_code);
	cr_expect_null(strstr(r.body, quoted), "the case's code is not in the answer");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'to_case' AND entity = 'register_entry'"), 1);
}

/* The persons in the held seats of a body: up to n of them into out; how many. */
static int members(struct client *c, long long body, long long out[], int n)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld", body);
	struct reply r = client_must(c, "GET", path, NULL, 200);
	int k = 0;
	size_t i;
	json_t *s;
	json_array_foreach(jpath(r.json, "seats"), i, s) {
		json_t *m = json_object_get(s, "member");
		if (json_is_object(m) && k < n)
			out[k++] = (long long)json_integer_value(json_object_get(m, "person"));
	}
	reply_free(&r);
	return k;
}

Test(prevention, a_training_s_participants_appear_in_each_member_s_history_and_the_untrained_are_listed)
{
	long long m[20];
	int held = members(&sec, krat, m, 20);
	cr_assert(held >= 3, "the demo KRAT has members");
	struct client monitor = client_as(&srv, "ministry.monitor");
	char json[2048];
	snprintf(json, sizeof json,
		 "{\"fields\":{\"title\":\"Identifikimi i viktimave\",\"kind\":\"training\",\"topics\":[\"identification\"],"
		 "\"organiser\":\"ministry_interior\",\"start\":\"2026-09-10\",\"end\":\"2026-09-11\",\"hours\":12,"
		 "\"participants\":[{\"person\":%lld,\"body\":%lld,\"sex\":\"female\",\"certificate\":true},"
		 "{\"name\":\"Punonjëse sociale e Lushnjës\",\"institution\":%lld,\"sex\":\"female\"}]}}",
		 m[0], krat, police_inst);
	struct reply r = client_must(&monitor, "POST", "/api/v1/registers/trainings/entries", json, 201);
	char national[40];
	snprintf(national, sizeof national, "%s", jstr(r.json, "code"));
	cr_expect_str_eq(national, "TR-AL-2026-0001", "a national training");
	reply_free(&r);
	snprintf(json, sizeof json,
		 "{\"fields\":{\"title\":\"Mbrojtja e të dhënave\",\"kind\":\"workshop\",\"topics\":[\"data_protection\"],"
		 "\"organiser\":\"prefecture\",\"county\":\"fier\",\"start\":\"2026-10-01\",\"end\":\"2026-10-01\",\"hours\":4,"
		 "\"participants\":[{\"person\":%lld,\"sex\":\"female\"},{\"person\":%lld,\"sex\":\"male\"}]}}",
		 m[0], m[1]);
	r = client_must(&sec, "POST", "/api/v1/registers/trainings/entries", json, 201);
	cr_expect_str_eq(jstr(r.json, "code"), "TR-FR-2026-0001");
	reply_free(&r);
	/* Another county's secretariat records nothing for Fier; a participant must be someone. */
	struct client tirane = client_as(&srv, "tirane.secretariat");
	client_refused(&tirane, "POST", "/api/v1/registers/trainings/entries", json + 0, 403, "register_own_county", "county");
	client_refused(&sec, "POST", "/api/v1/registers/trainings/entries",
		     "{\"fields\":{\"title\":\"T\",\"kind\":\"training\",\"topics\":[\"other\"],\"organiser\":\"other\","
		     "\"county\":\"fier\",\"start\":\"2026-10-01\",\"end\":\"2026-10-01\",\"hours\":2,"
		     "\"participants\":[{\"sex\":\"male\"}]}}",
		     400, "required", "participants.0.name");
	client_refused(&sec, "POST", "/api/v1/registers/trainings/entries",
		     "{\"fields\":{\"title\":\"T\",\"kind\":\"training\",\"topics\":[\"other\"],\"organiser\":\"other\","
		     "\"county\":\"fier\",\"start\":\"2026-10-02\",\"end\":\"2026-10-01\",\"hours\":2}}",
		     400, "date_before", "end");
	/* Each member's history, from whichever register entry named them. */
	char path[120];
	struct client kmember = client_as(&srv, "fier.krat");
	snprintf(path, sizeof path, "/api/v1/persons/%lld/trainings", m[0]);
	r = client_must(&kmember, "GET", path, NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 2);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), national);
	cr_expect_eq(jint(r.json, "items.0.hours"), 12);
	cr_expect(json_is_true(jpath(r.json, "items.0.certificate")));
	cr_expect_str_eq(jstr(r.json, "items.1.code"), "TR-FR-2026-0001");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/training", krat);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "members")), (size_t)held);
	cr_expect_not_null(jstr(r.json, "name"), "the body's name");
	cr_expect_not_null(jstr(r.json, "members.0.label"), "each seat's label");
	cr_expect_eq(json_array_size(jpath(r.json, "never_trained")), (size_t)held - 2, "all but two never trained");
	cr_expect_eq(jint(r.json, "members.0.trainings"), 2);
	cr_expect_eq(jint(r.json, "members.0.hours"), 16);
	cr_expect_str_eq(jstr(r.json, "members.0.last"), "2026-10-01");
	size_t i;
	json_t *x;
	json_array_foreach(jpath(r.json, "never_trained"), i, x)
		cr_expect(jint(x, "person") != m[0] && jint(x, "person") != m[1]);
	reply_free(&r);
	/* The certificate of a participant; none for someone who was not there. */
	snprintf(path, sizeof path, "/api/v1/trainings/%s/certificate?participant=0", national);
	r = client_must(&kmember, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "number"), "TR-AL-2026-0001/1");
	cr_expect_eq(jint(r.json, "hours"), 12);
	cr_expect_str_eq(jstr(r.json, "start"), "2026-09-10");
	cr_expect_not_null(jstr(r.json, "name"));
	cr_expect_not_null(jstr(r.json, "institution"), "a registered person's institution");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/trainings/%s/certificate?participant=1", national);
	client_refused(&kmember, "GET", path, NULL, 400, "no_certificate", "participant");
	snprintf(path, sizeof path, "/api/v1/trainings/%s/certificate?participant=7", national);
	client_refused(&kmember, "GET", path, NULL, 400, "no_such_participant", "participant");
	client_free(&monitor);
	client_free(&tirane);
	client_free(&kmember);
}

/* Records an entry of reg as c; its code into code (may be NULL). */
static void record(struct client *c, const char *reg, const char *fields, char *code)
{
	char path[80], json[4096];
	snprintf(path, sizeof path, "/api/v1/registers/%s/entries", reg);
	snprintf(json, sizeof json, "{\"fields\":{%s}}", fields);
	struct reply r = client_must(c, "POST", path, json, 201);
	if (code)
		snprintf(code, 40, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

/* The value of figure id of register reg in a /prevention/figures answer (-2: hidden "c",
 * -1: absent), or of its row `row` when given. */
static long long figure(json_t *f, const char *reg, const char *id, const char *row)
{
	size_t i, j, k;
	json_t *b, *x, *y;
	json_array_foreach(jpath(f, "registers"), i, b) {
		if (strcmp(jstr(b, "register"), reg) != 0)
			continue;
		json_array_foreach(json_object_get(b, "figures"), j, x) {
			if (strcmp(jstr(x, "id"), id) != 0)
				continue;
			json_t *v = json_object_get(x, "value");
			if (row) {
				v = NULL;
				json_array_foreach(json_object_get(x, "rows"), k, y)
					if (strcmp(jstr(y, "code"), row) == 0)
						v = json_object_get(y, "value");
			}
			return json_is_string(v) ? -2 : v ? (long long)json_integer_value(v) : -1;
		}
	}
	return -1;
}

Test(prevention, the_krat_quarterly_figures_count_the_county_s_prevention_work_and_protect_people_at_risk)
{
	char code[40], fields[2048];
	/* People at risk: three in the third quarter (two children), one in the fourth. */
	at_risk("2026-07-10", NULL, code);
	at_risk("2026-08-20", NULL, code);
	snprintf(fields, sizeof fields,
		 "\"subject\":\"group\",\"group_size\":4,\"child\":false,\"found_on\":\"2026-09-30\",\"found_by\":%lld,"
		 "\"county\":\"fier\",\"municipality\":\"patos\",\"risk_factors\":[\"seasonal_work_offer\"],\"status\":\"open\"",
		 table);
	record(&police, "at_risk", fields, NULL);
	at_risk("2026-10-01", NULL, code);
	/* A campaign of the Ministry, and Fier's activities: two in the quarter, one after. */
	struct client monitor = client_as(&srv, "ministry.monitor");
	char campaign[40];
	record(&monitor, "campaigns",
	       "\"title\":\"Vera pa rrezik\",\"organiser\":\"ministry_interior\",\"start\":\"2026-07-01\",\"end\":\"2026-09-30\"",
	       campaign);
	long long campaign_id = db_int(&srv, "SELECT id FROM register_entries WHERE register = 'campaigns'");
	snprintf(fields, sizeof fields,
		 "\"title\":\"Takim në shkollë\",\"activity\":\"school_session\",\"campaign\":%lld,\"day\":\"2026-07-15\","
		 "\"county\":\"fier\",\"municipality\":\"fier\",\"organiser\":%lld,\"audience\":[\"pupils\",\"parents\"],"
		 "\"reach\":[{\"sex\":\"female\",\"age_group\":\"14_17\",\"count\":40},{\"sex\":\"male\",\"age_group\":\"14_17\","
		 "\"count\":35},{\"sex\":\"female\",\"age_group\":\"25_64\",\"count\":6}]",
		 campaign_id, police_inst);
	record(&sec, "awareness", fields, NULL);
	snprintf(fields, sizeof fields,
		 "\"title\":\"Punë në terren\",\"activity\":\"outreach\",\"day\":\"2026-09-29\",\"end_day\":\"2026-10-02\","
		 "\"county\":\"fier\",\"municipality\":\"divjake\",\"organiser\":%lld,\"audience\":[\"seasonal_workers\"],"
		 "\"reach\":[{\"sex\":\"male\",\"age_group\":\"25_64\",\"count\":20}]",
		 police_inst);
	record(&sec, "awareness", fields, NULL);
	snprintf(fields, sizeof fields,
		 "\"title\":\"Pas tremujorit\",\"activity\":\"info_day\",\"day\":\"2026-10-20\",\"county\":\"fier\","
		 "\"municipality\":\"fier\",\"organiser\":%lld,\"audience\":[\"pupils\"],"
		 "\"reach\":[{\"sex\":\"female\",\"age_group\":\"14_17\",\"count\":100}]",
		 police_inst);
	record(&sec, "awareness", fields, NULL);
	/* Tirana's activity in the same campaign: the campaign groups both. */
	struct client tirane = client_as(&srv, "tirane.secretariat");
	snprintf(fields, sizeof fields,
		 "\"title\":\"Tiranë\",\"activity\":\"media\",\"campaign\":%lld,\"day\":\"2026-08-01\",\"county\":\"tirane\","
		 "\"municipality\":\"tirane\",\"organiser\":%lld,\"audience\":[\"general_public\"],"
		 "\"reach\":[{\"sex\":\"unknown\",\"age_group\":\"25_64\",\"count\":500}]",
		 campaign_id, police_inst);
	record(&tirane, "awareness", fields, NULL);
	char path[160];
	snprintf(path, sizeof path, "/api/v1/registers/campaigns/entries/%s", campaign);
	struct reply r = client_must(&monitor, "GET", path, NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "children")), 2, "the Ministry sees the campaign's activities everywhere");
	reply_free(&r);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "children")), 1, "Fier sees its own");
	cr_expect_str_eq(jstr(r.json, "children.0.code"), "ND-FR-2026-0001");
	reply_free(&r);
	/* Cross-border work, an emergency plan (one per county) and its activation in an
	 * extraordinary meeting of the KRAT. */
	record(&sec, "crossborder",
	       "\"kind\":\"joint_action\",\"subject\":\"Kontrolle në bujqësi\",\"country\":\"GR\",\"counterpart\":\"police\","
	       "\"counterpart_name\":\"Policia e Janinës\",\"county\":\"fier\",\"day\":\"2026-08-12\"",
	       NULL);
	snprintf(fields, sizeof fields,
		 "\"title\":\"Plani i emergjencës\",\"county\":\"fier\",\"adopted_on\":\"2026-01-10\",\"review_by\":\"2026-08-31\","
		 "\"contacts\":[{\"contact_role\":\"Koordinatori\",\"contact_institution\":%lld}],"
		 "\"steps\":[{\"step\":\"Thirret KRAT-i\",\"step_institution\":%lld,\"within_hours\":6}]",
		 police_inst, police_inst);
	char plan[40];
	record(&sec, "emergency_plans", fields, plan);
	snprintf(path, sizeof path, "{\"fields\":{%s}}", "\"title\":\"x\"");
	char json[4096];
	snprintf(json, sizeof json, "{\"fields\":{%s}}", fields);
	client_refused(&sec, "POST", "/api/v1/registers/emergency_plans/entries", json, 409, "entry_one_per_county", "county");
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", krat);
	r = client_must(&sec, "POST", path, "{\"date\":\"2026-09-03\",\"time\":\"18:00\",\"kind\":\"extraordinary\",\"title\":\"Emergjenca\"}",
		 201);
	long long extraordinary = jint(r.json, "id");
	reply_free(&r);
	r = client_must(&sec, "POST", path, "{\"date\":\"2026-09-04\",\"time\":\"10:00\"}", 201);
	long long ordinary = jint(r.json, "id");
	reply_free(&r);
	long long plan_id = db_int(&srv, "SELECT id FROM register_entries WHERE register = 'emergency_plans'");
	snprintf(json, sizeof json,
		 "{\"fields\":{\"kind\":\"group_return\",\"county\":\"fier\",\"plan\":%lld,\"activated_on\":\"2026-09-02\","
		 "\"meeting\":%lld,\"persons\":12}}",
		 plan_id, ordinary);
	client_refused(&sec, "POST", "/api/v1/registers/emergency_activations/entries", json, 400, "reference_kind", "meeting");
	/* The Table's extraordinary meeting is not the KRAT's; one two months on is not the activation's. */
	char tpath[80];
	snprintf(tpath, sizeof tpath, "/api/v1/bodies/%lld/meetings", table);
	r = client_must(&sec, "POST", tpath, "{\"date\":\"2026-09-03\",\"time\":\"19:00\",\"kind\":\"extraordinary\"}", 201);
	snprintf(json, sizeof json,
		 "{\"fields\":{\"kind\":\"group_return\",\"county\":\"fier\",\"plan\":%lld,\"activated_on\":\"2026-09-02\","
		 "\"meeting\":%lld}}",
		 plan_id, jint(r.json, "id"));
	reply_free(&r);
	client_refused(&sec, "POST", "/api/v1/registers/emergency_activations/entries", json, 400, "reference_kind", "meeting");
	r = client_must(&sec, "POST", path, "{\"date\":\"2026-11-10\",\"time\":\"18:00\",\"kind\":\"extraordinary\"}", 201);
	snprintf(json, sizeof json,
		 "{\"fields\":{\"kind\":\"group_return\",\"county\":\"fier\",\"plan\":%lld,\"activated_on\":\"2026-09-02\","
		 "\"meeting\":%lld}}",
		 plan_id, jint(r.json, "id"));
	reply_free(&r);
	client_refused(&sec, "POST", "/api/v1/registers/emergency_activations/entries", json, 400, "reference_meeting_day",
		     "meeting");
	snprintf(fields, sizeof fields,
		 "\"kind\":\"group_return\",\"county\":\"fier\",\"plan\":%lld,\"activated_on\":\"2026-09-02\",\"meeting\":%lld,"
		 "\"persons\":12,\"closed_on\":\"2026-09-09\"",
		 plan_id, extraordinary);
	record(&sec, "emergency_activations", fields, NULL);
	/* The figures of the third quarter, as the county's report takes them, computed by hand. */
	r = client_must(&sec, "GET", "/api/v1/prevention/figures?period=2026Q3", NULL, 200);
	json_t *f = r.json;
	cr_expect_str_eq(jstr(f, "county"), "fier");
	cr_expect_eq(figure(f, "at_risk", "found", NULL), 3);
	cr_expect_eq(figure(f, "at_risk", "children", NULL), 2);
	cr_expect_eq(figure(f, "at_risk", "by_subject", "person"), 2);
	cr_expect_eq(figure(f, "at_risk", "by_subject", "group"), 1);
	cr_expect_eq(figure(f, "at_risk", "by_factor", "street_situation"), 2);
	cr_expect_eq(figure(f, "at_risk", "actions", NULL), 2, "two actions decided in the quarter");
	cr_expect_eq(figure(f, "awareness", "activities", NULL), 2, "one on 20 October is the next quarter's");
	cr_expect_eq(figure(f, "awareness", "reach", "female"), 46);
	cr_expect_eq(figure(f, "awareness", "reach", "male"), 55);
	cr_expect_eq(figure(f, "awareness", "reach", NULL), 101);
	cr_expect_eq(figure(f, "awareness", "reach_age", "14_17"), 75);
	cr_expect_eq(figure(f, "awareness", "by_audience", "pupils"), 1);
	cr_expect_eq(figure(f, "campaigns", "campaigns", NULL), 0, "the Ministry's campaign is national");
	cr_expect_eq(figure(f, "crossborder", "by_country", "GR"), 1);
	cr_expect_eq(figure(f, "emergency_plans", "plans", NULL), 1);
	cr_expect_eq(figure(f, "emergency_plans", "review_overdue", NULL), 1, "its review fell due on 31 August");
	cr_expect_eq(figure(f, "emergency_activations", "activations", NULL), 1);
	reply_free(&r);
	r = client_must(&sec, "GET", "/api/v1/prevention/figures?period=2026Q4", NULL, 200);
	cr_expect_eq(figure(r.json, "awareness", "activities", NULL), 1, "the outreach counts in the quarter it began");
	cr_expect_eq(figure(r.json, "at_risk", "found", NULL), 1);
	reply_free(&r);
	/* The Ministry reads Fier's figures with the people at risk protected. */
	r = client_must(&monitor, "GET", "/api/v1/prevention/figures?period=2026Q3&county=fier", NULL, 200);
	cr_expect_eq(figure(r.json, "at_risk", "found", NULL), -2, "3 people: hidden");
	cr_expect_eq(figure(r.json, "at_risk", "by_subject", "person"), -2);
	cr_expect_eq(figure(r.json, "awareness", "reach", NULL), 101, "activities are not about people at risk");
	cr_expect_null(strstr(r.body, MARKER));
	reply_free(&r);
	r = client_must(&monitor, "GET", "/api/v1/prevention/figures?period=2026-09&county=fier", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "registers.0.withheld"), "stats_period_kind", "no month of people at risk leaves");
	reply_free(&r);
	client_refused(&tirane, "GET", "/api/v1/prevention/figures?period=2026Q3&county=fier", NULL, 403, "stats_own_county",
		     "county");
	client_refused(&police, "GET", "/api/v1/prevention/figures?period=2026Q3", NULL, 403, "stats_role", NULL);
	client_free(&monitor);
	client_free(&tirane);
}

Test(prevention, a_register_leaves_as_csv_and_xlsx_without_personal_data)
{
	char code[40];
	at_risk("2026-08-20", NULL, code);
	char fields[1024];
	snprintf(fields, sizeof fields,
		 "\"title\":\"Takim në shkollë\",\"activity\":\"school_session\",\"day\":\"2026-07-15\","
		 "\"county\":\"fier\",\"municipality\":\"fier\",\"organiser\":%lld,\"audience\":[\"pupils\"],"
		 "\"reach\":[{\"sex\":\"female\",\"age_group\":\"14_17\",\"count\":40}]",
		 police_inst);
	record(&sec, "awareness", fields, NULL);
	snprintf(fields, sizeof fields,
		 "\"title\":\"=HYPERLINK(\\\"http://x.example\\\",\\\"Kliko\\\"),z\",\"activity\":\"info_day\","
		 "\"day\":\"2026-07-16\",\"county\":\"fier\",\"municipality\":\"fier\",\"organiser\":%lld,"
		 "\"audience\":[\"pupils\"]",
		 police_inst);
	record(&sec, "awareness", fields, NULL);
	/* A formula-like title is defused inside its quotes: every row keeps its columns. */
	struct reply r = client_must(&sec, "GET", "/api/v1/registers/awareness/export?format=csv", NULL, 200);
	char csvpath[320], check[700];
	snprintf(csvpath, sizeof csvpath, "%s/a.csv", srv.dir);
	file_write(csvpath, r.body);
	cr_expect_not_null(strstr(r.body, "\"'=HYPERLINK(\"\"http://x.example\"\""), "%s", r.body);
	reply_free(&r);
	snprintf(check, sizeof check,
		 "/usr/bin/python3 -c \"import csv,sys; rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig')));"
		 " assert len(rows) == 3 and len({len(x) for x in rows}) == 1, rows\" %s",
		 csvpath);
	cr_expect_eq(system(check), 0, "%s", check);
	r = client_must(&police, "GET", "/api/v1/registers/at_risk/export?format=csv", NULL, 200);
	cr_expect_not_null(strstr(r.body, code));
	cr_expect_not_null(strstr(r.body, "Fëmijë në situatë rruge"), "codes by their label");
	cr_expect_null(strstr(r.body, MARKER), "not even the holder exports the person");
	cr_expect_not_null(strstr(r.headers, "attachment; filename=\"at_risk.csv\""));
	reply_free(&r);
	r = client_must(&sec, "GET", "/api/v1/registers/awareness/export?format=xlsx&period=2026Q3&lang=en", NULL, 200);
	cr_expect_not_null(strstr(r.headers, "spreadsheetml"));
	char xlsx[320], cmd[1024];
	snprintf(xlsx, sizeof xlsx, "%s/a.xlsx", srv.dir);
	reply_save(&r, xlsx);
	reply_free(&r);
	/* An independent reader: the sheets, and numbers stored as numbers. */
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c \"import openpyxl,sys; wb = openpyxl.load_workbook(sys.argv[1]);"
		 " ws = wb['Participants']; row = [c.value for c in ws[2]];"
		 " assert wb.sheetnames[0] == 'Awareness activities', wb.sheetnames;"
		 " assert row == ['ND-FR-2026-0001', 'Female', '14–17', 40], row;"
		 " assert isinstance(row[3], int)\" %s",
		 xlsx);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
	client_refused(&sec, "GET", "/api/v1/registers/awareness/export?format=pdf", NULL, 400, "export_format", "format");
	/* The console: as the Ministry by default (not people at risk), or as a user. */
	char file[320], err[512];
	snprintf(file, sizeof file, "%s/b.xlsx", srv.dir);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "registers", "export", "awareness", "--db", srv.db, "--format", "xlsx",
			     "--out", file, NULL),
		     0, "%s", err);
	cr_expect(file_has(file, "xl/worksheets/sheet2.xml"), "a sheet per repeating group");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "registers", "export", "at_risk", "--db", srv.db, NULL), 1);
	cr_expect_not_null(strstr(err, "does not read this register"), "%s", err);
	snprintf(file, sizeof file, "%s/c.csv", srv.dir);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "registers", "export", "at_risk", "--db", srv.db, "--as",
			     "fier.secretariat", "--out", file, NULL),
		     0, "%s", err);
	cr_expect(file_has(file, code) && !file_has(file, MARKER));
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "registers", "export", "awareness", "--db", srv.db, "--format", "ods",
			     NULL),
		     2);
}

/* "found" of people at risk for the county (NULL: the country) and period, as the Ministry
 * gets it: -2 when hidden. */
static long long found_for(struct client *monitor, const char *county, const char *period)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/prevention/figures?period=%s%s%s", period, county ? "&county=" : "",
		 county ? county : "");
	struct reply r = client_must(monitor, "GET", path, NULL, 200);
	long long v = figure(r.json, "at_risk", "found", NULL);
	reply_free(&r);
	return v;
}

Test(prevention, the_ministry_cannot_work_out_a_hidden_count_of_people_at_risk_from_the_periods_and_counties_it_may_ask)
{
	char code[40];
	/* Fier: six people in the first quarter of 2025, two in the third; Tirana: seven in the third. */
	const char *fier_days[] = {"2025-01-10", "2025-01-20", "2025-02-03", "2025-02-14", "2025-03-01", "2025-03-21",
				   "2025-08-05", "2025-09-09"};
	for (size_t i = 0; i < sizeof fier_days / sizeof *fier_days; i++)
		at_risk(fier_days[i], NULL, code);
	struct client tpolice = client_as(&srv, "tirane.caseworker"), monitor = client_as(&srv, "ministry.monitor");
	long long ttable = body_id(&sec, "technical_table", "tirane");
	for (int i = 0; i < 7; i++) {
		char json[1024];
		snprintf(json, sizeof json,
			 "{\"fields\":{\"subject\":\"family\",\"child\":false,\"found_on\":\"2025-07-%02d\",\"found_by\":%lld,"
			 "\"county\":\"tirane\",\"municipality\":\"kamez\",\"risk_factors\":[\"extreme_poverty\"],"
			 "\"status\":\"open\",\"first_name\":\"Familja\"}}",
			 i + 1, ttable);
		struct reply r = client_must(&tpolice, "POST", "/api/v1/registers/at_risk/entries", json, 201);
		reply_free(&r);
	}
	/* And one family in Fier's first quarter. */
	char fam[1024];
	snprintf(fam, sizeof fam,
		 "\"subject\":\"family\",\"child\":false,\"found_on\":\"2025-02-20\",\"found_by\":%lld,\"county\":\"fier\","
		 "\"municipality\":\"patos\",\"risk_factors\":[\"debt\"],\"status\":\"open\"",
		 table);
	record(&police, "at_risk", fam, NULL);
	cr_expect_eq(found_for(&monitor, "fier", "2025Q1"), 7);
	cr_expect_eq(found_for(&monitor, "fier", "2025Q2"), 0);
	cr_expect_eq(found_for(&monitor, "fier", "2025Q3"), -2, "two people: hidden");
	cr_expect_eq(found_for(&monitor, "fier", "2025Q4"), 0);
	cr_expect_eq(found_for(&monitor, "fier", "2025H1"), 7);
	cr_expect_eq(found_for(&monitor, "fier", "2025H2"), -2);
	cr_expect_eq(found_for(&monitor, "fier", "2025"), -2, "9 less the quarters shown would give the third quarter's 2");
	cr_expect_eq(found_for(&monitor, "tirane", "2025Q3"), 7);
	cr_expect_eq(found_for(&monitor, NULL, "2025Q3"), -2, "9 less Tirana's 7 would give Fier's 2");
	cr_expect_eq(found_for(&monitor, NULL, "2025"), -2);
	cr_expect_eq(found_for(&monitor, NULL, "2025H1"), 7, "nothing hidden within it");
	/* Fier's first quarter: 6 people and 1 family of 7 shown; the family hidden, and the
	 * people with it, or 7 less 6 would give it back. */
	struct reply r = client_must(&monitor, "GET", "/api/v1/prevention/figures?period=2025Q1&county=fier", NULL, 200);
	long long person = figure(r.json, "at_risk", "by_subject", "person"),
		  family = figure(r.json, "at_risk", "by_subject", "family");
	cr_expect_eq(figure(r.json, "at_risk", "by_subject", NULL), 7);
	cr_expect(person == -2 && family == -2, "person %lld, family %lld", person, family);
	cr_expect_eq(figure(r.json, "at_risk", "children", NULL), -2, "7 less 6 children would give the one adult");
	reply_free(&r);
	/* The county's own bodies, who read the entries, get them as counted. */
	r = client_must(&sec, "GET", "/api/v1/prevention/figures?period=2025Q3", NULL, 200);
	cr_expect_eq(figure(r.json, "at_risk", "found", NULL), 2);
	reply_free(&r);
	client_free(&tpolice);
	client_free(&monitor);
}
