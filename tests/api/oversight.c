/* The data-protection officer's tools over HTTP: a planted person found by name and by
 * document through the keyed hashes, with who read her data, the fields and the reasons; the
 * trail filtered and exported; the patterns of the trail; who may use what. The planted name
 * must appear in no audit row, no line of the server's log and no URL. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MARKER "Markerina"
#define SURNAME "Vërtetëshkronja"
#define DOCUMENT "MRK4455661"
/* A Tuesday, 10:00 in Tirane: inside working hours, and years after the demo's own rows. */
#define MORNING "2030-03-12T09:00:00Z"
#define DAY "2030-03-12"

static struct server srv;
static void setup(void)
{
	server_start(&srv);
	server_restart(&srv, MORNING);
}
static void teardown(void)
{
	server_stop(&srv);
}
TestSuite(oversight, .init = setup, .fini = teardown, .timeout = 240);

static long long my_institution(struct client *c)
{
	struct reply r = client_get(c, "/api/v1/session");
	long long id = jint(r.json, "user.institution");
	reply_free(&r);
	return id;
}

/* A case of Fier for a person, registered by c (a case worker of Fier); its code into out. */
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
		 "\"al_documents\":[{\"al_document_type\":\"passport\",\"al_document_number\":\"%s\"}]}}",
		 first, last, birth, my_institution(c), doc);
	struct reply r = client_must(c, "POST", "/api/v1/cases", body, 201);
	snprintf(out, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

/* Reads the personal data of a case with a reason. */
static void read_personal(struct client *c, const char *code, const char *reason)
{
	char path[80], body[600];
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	snprintf(body, sizeof body, "{\"reason\":\"%s\"}", reason);
	struct reply r = client_must(c, "POST", path, body, 200);
	reply_free(&r);
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

/* The item of `pattern` naming `user` in a list of patterns, or NULL. */
static json_t *pattern_of(json_t *items, const char *pattern, const char *user)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (strcmp(jstr(it, "pattern"), pattern) == 0 && strcmp(jstr(it, "user"), user) == 0)
			return it;
	return NULL;
}

/* Whether a read of the list names user. */
static int read_by(json_t *reads, const char *user)
{
	size_t i;
	json_t *r;
	json_array_foreach(reads, i, r)
		if (strcmp(jstr(r, "username"), user) == 0)
			return 1;
	return 0;
}

Test(oversight, the_officer_finds_a_planted_person_and_who_read_her_data_with_the_fields_and_reasons)
{
	struct client cw = client_as(&srv, "fier.caseworker"), member = client_as(&srv, "authority.member");
	struct client dpo = client_as(&srv, "dpo"), admin = client_as(&srv, "admin");
	char code[32], other[32];
	create_case(&cw, MARKER, SURNAME, "1990-04-02", DOCUMENT, code);
	create_case(&cw, "Elira", "Kodheli", "1991-05-03", "EK1234567", other);
	read_personal(&cw, code, "Vleresimi i nevojave per strehim");
	read_personal(&member, code, "Shqyrtimi per identifikimin formal");
	read_personal(&cw, other, "Plani individual i asistences");

	/* By name: the case, its non-personal facts, and who read it. */
	struct reply r = client_must(&dpo, "POST", "/api/v1/audit/search",
				     "{\"first_name\":\"" MARKER "\",\"last_name\":\"" SURNAME "\"}", 200);
	cr_assert_eq(jint(r.json, "count"), 1, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), code);
	cr_expect_str_eq(jstr(r.json, "items.0.county"), "fier");
	cr_expect_str_eq(jstr(r.json, "items.0.identified_on"), "2026-10-01");
	cr_expect_str_eq(jstr(r.json, "items.0.stage"), "initial_identification");
	cr_expect_not_null(jpath(r.json, "items.0.holder_name"));
	cr_expect_eq(jint(r.json, "items.0.reads_count"), 2);
	cr_expect(read_by(jpath(r.json, "items.0.reads"), "fier.caseworker"), "%s", r.body);
	cr_expect(read_by(jpath(r.json, "items.0.reads"), "authority.member"), "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.reads.0.action"), "read_personal");
	cr_expect_not_null(strstr(r.body, "\"prs_FirstName\""), "the fields read are named");
	cr_expect_null(strstr(r.body, MARKER), "the answer holds no name");
	cr_expect_null(jpath(r.json, "items.0.fields"), "no field of the case itself");
	reply_free(&r);
	/* Written otherwise (case, accents, spaces), with the birth date, and by document. */
	r = client_must(&dpo, "POST", "/api/v1/audit/search",
			"{\"first_name\":\"MARKERINA\",\"last_name\":\"vertetëshkronja\",\"birthdate\":\"1990-04-02\"}", 200);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), code, "%s", r.body);
	reply_free(&r);
	r = client_must(&dpo, "POST", "/api/v1/audit/search",
			"{\"first_name\":\"" MARKER "\",\"last_name\":\"" SURNAME "\",\"birthdate\":\"1990-04-03\"}", 200);
	cr_expect_eq(jint(r.json, "count"), 0, "another birth date is another person");
	reply_free(&r);
	r = client_must(&dpo, "POST", "/api/v1/audit/search", "{\"document\":\"mrk 4455-661\"}", 200);
	cr_expect_str_eq(jstr(r.json, "items.0.code"), code, "%s", r.body);
	reply_free(&r);
	client_refused(&dpo, "POST", "/api/v1/audit/search", "{\"first_name\":\"" MARKER "\"}", 400, "search_terms",
		       "last_name");
	client_refused(&dpo, "POST", "/api/v1/audit/search", "{\"document\":\"x\",\"county\":\"fier\"}", 400, "unknown_field",
		       "county");
	/* Each search is audited: the fact and the count, never the terms. */
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'search_personal' AND username = 'dpo'"), 4);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'search_personal' AND username = 'dpo'"
				  " AND json_extract(after_json, '$.results') = 1 AND json_extract(after_json, '$.by') = 'document'"),
		     1);

	/* The trail of the case: the fields read and the reasons, opened for the officer. */
	long long views = db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'read_reasons'");
	r = client_get(&dpo, "/api/v1/audit?case=%s&action=read_personal", code);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 2, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.username"), "authority.member");
	cr_expect_str_eq(jstr(r.json, "items.0.reason"), "Shqyrtimi per identifikimin formal");
	cr_expect_str_eq(jstr(r.json, "items.0.case"), code);
	cr_expect_str_eq(jstr(r.json, "items.1.reason"), "Vleresimi i nevojave per strehim");
	cr_expect_not_null(strstr(r.body, "\"prs_Birthdate\""), "%s", r.body);
	cr_expect(json_is_true(jpath(r.json, "items.0.reason_sealed")));
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'read_reasons'"), views + 1,
		     "viewing the reasons is audited once per request");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'read_reasons' AND username = 'dpo'"
				  " AND json_extract(after_json, '$.reasons') = 2 AND reason IS NULL"),
		     1);
	/* The administrator sees the trail, not the reasons. */
	r = client_get(&admin, "/api/v1/audit?case=%s&action=read_personal", code);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 2);
	cr_expect(json_is_null(jpath(r.json, "items.0.reason")), "%s", r.body);
	cr_expect(json_is_true(jpath(r.json, "items.0.reason_sealed")));
	cr_expect_null(strstr(r.body, "Shqyrtimi"));
	reply_free(&r);

	/* Filters: by user and action, by dates, and one that matches nothing. */
	r = client_get(&dpo, "/api/v1/audit?user=authority.member&action=read_personal&from=" DAY "&to=" DAY);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.entity_id"), code);
	reply_free(&r);
	r = client_get(&dpo, "/api/v1/audit?user=fier.caseworker&action=read_personal,create");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 4, "two reads, two cases created: %s", r.body);
	reply_free(&r);
	r = client_get(&dpo, "/api/v1/audit?user=fier.caseworker&action=read_personal&limit=1");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect_str_eq(jstr(r.json, "items.0.entity_id"), other);
	char next[32];
	snprintf(next, sizeof next, "%s", jstr(r.json, "next"));
	reply_free(&r);
	r = client_get(&dpo, "/api/v1/audit?user=fier.caseworker&action=read_personal&limit=1&after=%s", next);
	cr_expect_str_eq(jstr(r.json, "items.0.entity_id"), code, "the next page: %s", r.body);
	reply_free(&r);
	r = client_get(&dpo, "/api/v1/audit?case=%s&from=2030-03-13", code);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0, "%s", r.body);
	reply_free(&r);
	r = client_get(&dpo, "/api/v1/audit?case=%s&to=2030-03-11", code);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0, "%s", r.body);
	reply_free(&r);
	client_refused(&dpo, "GET", "/api/v1/audit?from=2030-03-12&to=2030-03-11", NULL, 400, "date_before", "to");
	client_refused(&dpo, "GET", "/api/v1/audit?from=12.03.2030", NULL, 400, "date_format", "from");
	client_refused(&dpo, "GET", "/api/v1/audit?action=DROP%20TABLE", NULL, 400, "invalid", "action");

	/* The export: CSV read back, XLSX read by an independent reader; audited. */
	char path[400], cmd[1200];
	snprintf(path, sizeof path, "/api/v1/audit/export?format=csv&lang=en&case=%s&action=read_personal", code);
	r = client_must(&dpo, "GET", path, NULL, 200);
	cr_expect_not_null(strstr(r.headers, "text/csv"));
	cr_expect_not_null(strstr(r.body, "Shqyrtimi per identifikimin formal"), "%s", r.body);
	cr_expect_not_null(strstr(r.body, "authority.member"));
	cr_expect_not_null(strstr(r.body, code));
	cr_expect_not_null(strstr(r.body, "Reason"), "column labels in English: %s", r.body);
	cr_expect_not_null(strstr(r.body, ",\"al_documents, prs_Birthdate, prs_FirstName, prs_SecondName\","),
			   "the fields read: %s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/audit/export?format=xlsx&lang=sq&case=%s&action=read_personal", code);
	r = client_must(&dpo, "GET", path, NULL, 200);
	cr_expect_not_null(strstr(r.headers, "spreadsheetml"));
	char xlsx[320];
	snprintf(xlsx, sizeof xlsx, "%s/trail.xlsx", srv.dir);
	reply_save(&r, xlsx);
	reply_free(&r);
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c \"import openpyxl,sys; ws = openpyxl.load_workbook(sys.argv[1]).active;"
		 " rows = [[c.value for c in r] for r in ws.iter_rows()];"
		 " assert rows[0][-1] == 'Arsyeja', rows[0]; assert len(rows) == 3, rows;"
		 " assert rows[1][4] == 'read_personal' and rows[1][6] == sys.argv[2], rows[1];"
		 " assert rows[1][-1] == 'Shqyrtimi per identifikimin formal', rows[1];"
		 " assert isinstance(rows[1][0], int), rows[1]\" '%s' '%s'",
		 xlsx, code);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'audit'"
				  " AND json_extract(after_json, '$.rows') = 2"),
		     2);
	client_refused(&dpo, "GET", "/api/v1/audit/export?format=pdf", NULL, 400, "export_format", "format");
	/* The administrator's export leaves the reasons out. */
	snprintf(path, sizeof path, "/api/v1/audit/export?format=csv&case=%s", code);
	r = client_must(&admin, "GET", path, NULL, 200);
	cr_expect_not_null(strstr(r.body, "authority.member"));
	cr_expect_null(strstr(r.body, "Shqyrtimi"), "%s", r.body);
	reply_free(&r);

	/* The planted person is nowhere in clear: no audit row, no log line (the URLs included). */
	const char *needles[] = {MARKER, SURNAME, DOCUMENT, "1990-04-02"};
	for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
		char sql[400];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM audit WHERE instr(coalesce(before_json, '') || coalesce(after_json, '')"
			 " || coalesce(reason, '') || coalesce(entity_id, ''), '%s') > 0",
			 needles[i]);
		cr_expect_eq(db_int(&srv, sql), 0, "%s in an audit row", needles[i]);
		cr_expect(!file_has(srv.log, needles[i]), "%s in the server's log", needles[i]);
	}
	cr_expect(file_has(srv.log, "/api/v1/audit/search"), "the log is the request log (the test would see a name)");
	/* The chain still holds. */
	char err[512];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", srv.db, NULL), 0, "%s", err);
	client_free(&cw);
	client_free(&member);
	client_free(&dpo);
	client_free(&admin);
}

Test(oversight, one_user_reading_twelve_cases_in_a_day_is_flagged_and_a_normal_user_is_not)
{
	struct client cw = client_as(&srv, "fier.caseworker"), chair = client_as(&srv, "authority.chair");
	struct client dpo = client_as(&srv, "dpo");
	char codes[12][32];
	for (int i = 0; i < 12; i++) {
		char first[32], doc[32], reason[80];
		snprintf(first, sizeof first, "Modeli%c", 'A' + i);
		snprintf(doc, sizeof doc, "PT%07d", i);
		create_case(&cw, first, "Provues", "1995-01-01", doc, codes[i]);
		snprintf(reason, sizeof reason, "Ndjekja e planit te rastit numer %d", i + 1);
		read_personal(&cw, codes[i], reason);
	}
	read_personal(&chair, codes[0], "Shqyrtimi per identifikimin formal");
	read_personal(&chair, codes[1], "Shqyrtimi per identifikimin formal");
	struct reply r = client_must(&dpo, "GET", "/api/v1/audit/patterns", NULL, 200);
	json_t *many = pattern_of(jpath(r.json, "items"), "many_cases", "fier.caseworker");
	cr_assert_not_null(many, "%s", r.body);
	cr_expect_eq(jint(many, "count"), 12);
	cr_expect_str_eq(jstr(many, "date"), DAY);
	cr_expect_str_eq(jstr(many, "title"), "fier.caseworker");
	cr_expect_str_eq(jstr(many, "note"), "many_cases");
	cr_expect_eq(jint(many, "days"), 0);
	cr_expect(json_is_null(jpath(many, "flag")), "12 is below the urgent mark (20)");
	cr_expect_str_eq(jstr(many, "href"), "/audit?user=fier.caseworker&from=" DAY "&to=" DAY "&action=read_personal");
	cr_expect_null(pattern_of(jpath(r.json, "items"), "many_cases", "authority.chair"), "%s", r.body);
	cr_expect_null(pattern_of(jpath(r.json, "items"), "outside_scope", "authority.chair"), "two reads are usual work");
	cr_expect_null(pattern_of(jpath(r.json, "items"), "out_of_hours", "fier.caseworker"), "10:00 on a Tuesday");
	cr_expect_null(pattern_of(jpath(r.json, "items"), "same_reason", "fier.caseworker"), "the reasons differ");
	cr_expect_null(strstr(r.body, "Modeli"), "no name in a pattern");
	reply_free(&r);
	/* The latest reads, newest first, as home items. */
	r = client_must(&dpo, "GET", "/api/v1/audit/reads?limit=3", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 3, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.title"), "authority.chair");
	cr_expect_str_eq(jstr(r.json, "items.0.note"), "read_personal");
	cr_expect_str_eq(jstr(r.json, "items.0.case"), codes[1]);
	cr_expect_str_eq(jstr(r.json, "items.0.date"), DAY);
	char want[80];
	snprintf(want, sizeof want, "/audit?case=%s", codes[1]);
	cr_expect_str_eq(jstr(r.json, "items.0.href"), want);
	cr_expect_str_eq(jstr(r.json, "items.2.title"), "fier.caseworker");
	reply_free(&r);
	client_refused(&dpo, "GET", "/api/v1/audit/patterns?days=0", NULL, 400, "out_of_range", "days");
	client_refused(&dpo, "GET", "/api/v1/audit/reads?limit=500", NULL, 400, "out_of_range", "limit");
	client_free(&cw);
	client_free(&chair);
	client_free(&dpo);
}

Test(oversight, reads_after_hours_repeated_or_short_reasons_and_failed_logins_are_flagged)
{
	/* 21:30 in Tirane on a Tuesday. */
	server_restart(&srv, "2030-03-12T20:30:00Z");
	struct client cw = client_as(&srv, "vlore.caseworker"), dpo = client_as(&srv, "dpo");
	char code[32];
	for (int i = 0; i < 8; i++) {
		char first[32], doc[32];
		snprintf(first, sizeof first, "Vona%c", 'A' + i);
		snprintf(doc, sizeof doc, "VN%07d", i);
		create_case(&cw, first, "Provuese", "1996-02-02", doc, code);
		read_personal(&cw, code, i % 2 ? "kontroll rasti" : "Kontroll rasti");
	}
	/* From five addresses: one address would be slowed down after three (accounts.c). */
	for (int i = 0; i < 5; i++) {
		struct client bad;
		char ip[24];
		client_init(&bad, &srv);
		snprintf(ip, sizeof ip, "127.0.0.%d", 2 + i);
		curl_easy_setopt(bad.curl, CURLOPT_INTERFACE, ip);
		struct reply r = client_req(&bad, "POST", "/api/v1/session",
					    "{\"username\":\"tirane.table\",\"password\":\"not-the-password\"}");
		cr_expect_eq(r.status, 401);
		reply_free(&r);
		client_free(&bad);
	}
	struct reply r = client_must(&dpo, "GET", "/api/v1/audit/patterns?days=7", NULL, 200);
	json_t *items = jpath(r.json, "items"), *it;
	cr_assert_not_null(it = pattern_of(items, "out_of_hours", "vlore.caseworker"), "%s", r.body);
	cr_expect_eq(jint(it, "count"), 8);
	cr_assert_not_null(it = pattern_of(items, "same_reason", "vlore.caseworker"), "%s", r.body);
	cr_expect_eq(jint(it, "count"), 8, "the same words, whatever the case and punctuation");
	cr_assert_not_null(it = pattern_of(items, "short_reasons", "vlore.caseworker"), "%s", r.body);
	cr_expect_eq(jint(it, "count"), 8);
	cr_assert_not_null(it = pattern_of(items, "failed_logins", "tirane.table"), "%s", r.body);
	cr_expect_eq(jint(it, "count"), 5);
	cr_expect_str_eq(jstr(it, "href"), "/audit?user=tirane.table&from=" DAY "&to=" DAY "&action=login_failed");
	cr_expect_null(pattern_of(items, "many_cases", "vlore.caseworker"), "8 cases are fewer than 10");
	cr_expect_null(strstr(r.body, "ontroll"), "no reason in a pattern");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'login_failed' AND username = 'tirane.table'"), 5);
	client_free(&cw);
	client_free(&dpo);
}

Test(oversight, the_person_search_reasons_and_patterns_are_the_officers_alone)
{
	struct client admin = client_as(&srv, "admin"), chair = client_as(&srv, "authority.chair");
	struct client cw = client_as(&srv, "fier.caseworker"), monitor = client_as(&srv, "ministry.monitor");
	const char *search = "{\"document\":\"" DOCUMENT "\"}";
	client_refused(&admin, "POST", "/api/v1/audit/search", search, 403, "route_forbidden", NULL);
	client_refused(&chair, "POST", "/api/v1/audit/search", search, 403, "route_forbidden", NULL);
	client_refused(&admin, "GET", "/api/v1/audit/patterns", NULL, 403, "route_forbidden", NULL);
	client_refused(&admin, "GET", "/api/v1/audit/reads", NULL, 403, "route_forbidden", NULL);
	client_refused(&cw, "GET", "/api/v1/audit", NULL, 403, "route_forbidden", NULL);
	client_refused(&cw, "GET", "/api/v1/audit/export?format=csv", NULL, 403, "route_forbidden", NULL);
	client_refused(&monitor, "GET", "/api/v1/audit/export?format=csv", NULL, 403, "route_forbidden", NULL);
	client_refused(&chair, "GET", "/api/v1/audit/patterns", NULL, 403, "route_forbidden", NULL);
	/* The administrator keeps the trail and its export. */
	struct reply r = client_must(&admin, "GET", "/api/v1/audit?action=login&limit=5", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "items.0.action"), "login");
	reply_free(&r);
	r = client_must(&admin, "GET", "/api/v1/audit/export?format=csv&action=login", NULL, 200);
	reply_free(&r);
	client_free(&admin);
	client_free(&chair);
	client_free(&cw);
	client_free(&monitor);
}
