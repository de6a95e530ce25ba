/* API tokens for other systems (issue 17, point 3): the administrator makes one for a client,
 * scoped to a role and its county or institution, with an expiry; it is shown once, kept only
 * as its hash, audited, revocable; a request bearing it acts with exactly that scope, without a
 * session or CSRF token, and reaches none of a person's own routes. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static struct client admin;

static void setup(void)
{
	server_start(&srv);
	admin = client_as(&srv, "admin");
}
static void teardown(void)
{
	client_free(&admin);
	server_stop(&srv);
}
TestSuite(tokens, .init = setup, .fini = teardown, .timeout = 120);

/* A request bearing token (no cookie, no CSRF header). */
static struct reply bearing(const char *token, const char *method, const char *path, const char *body)
{
	struct client c;
	client_init(&c, &srv);
	char auth[200];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	const char *const h[] = {auth, "Content-Type: application/json", NULL};
	struct reply r = client_raw(&c, method, path, body, body ? strlen(body) : 0, h);
	client_free(&c);
	return r;
}

/* The status of a login with a password. */
static long login_status(const char *username, const char *password)
{
	struct client c;
	char body[200];
	client_init(&c, &srv);
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
	struct reply r = client_req(&c, "POST", "/api/v1/session", body);
	long status = r.status;
	reply_free(&r);
	client_free(&c);
	return status;
}

/* A new token for a Fier police system (a case worker of Fier's police); its id into *id. */
static char *fier_police_token(const char *client, const char *days, long long *id)
{
	char body[400];
	long long inst = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
	snprintf(body, sizeof body,
		 "{\"client\":\"%s\",\"name\":\"Sistemi i Policisë Fier\",\"role\":\"caseworker\",\"institution\":%lld%s%s}",
		 client, inst, days ? ",\"days\":" : "", days ? days : "");
	struct reply r = client_must(&admin, "POST", "/api/v1/tokens", body, 201);
	const char *t = jstr(r.json, "token");
	cr_assert_not_null(t, "%s", r.body);
	cr_expect_eq(strncmp(t, "nrm_", 4), 0);
	char account[80];
	snprintf(account, sizeof account, "api.%s", client);
	cr_expect_str_eq(jstr(r.json, "account"), account);
	cr_expect_str_eq(jstr(r.json, "role"), "caseworker");
	char *token = strdup(t);
	*id = jint(r.json, "id");
	reply_free(&r);
	return token;
}

Test(tokens, a_token_acts_with_its_scope_and_is_shown_once)
{
	long long id;
	char *token = fier_police_token("fier-police", NULL, &id);
	/* Never shown again, nor kept: the list has no token, the database only its hash. */
	struct reply r = client_must(&admin, "GET", "/api/v1/tokens", NULL, 200);
	cr_expect_null(strstr(r.body, token), "the list shows no token");
	cr_expect_null(strstr(r.body, "token_hash"));
	cr_expect_str_eq(jstr(r.json, "items.0.name"), "Sistemi i Policisë Fier");
	cr_expect_gt(jint(r.json, "items.0.expires_at"), 0);
	reply_free(&r);
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM api_tokens WHERE token_hash = '%s' OR instr(token_hash, '%s')",
		 token, token + 4);
	cr_expect_eq(db_int(&srv, sql), 0);
	/* It registers a case for its institution, with no session and no CSRF token. */
	long long inst = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
	char body[900];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"Tokena\","
		 "\"prs_SecondName\":\"Sistemi\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2004-04-04\","
		 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_indicators_a\":[\"A01\"],"
		 "\"al_indicators_c\":[\"C01\"]}}",
		 inst);
	r = bearing(token, "POST", "/api/v1/cases", body);
	cr_expect_eq(r.status, 201, "%s", r.body);
	char code[32];
	snprintf(code, sizeof code, "%s", jstr(r.json, "code") ? jstr(r.json, "code") : "");
	reply_free(&r);
	/* What its role may not do, it may not do: the users, the audit trail. */
	r = bearing(token, "GET", "/api/v1/users", NULL);
	cr_expect_eq(r.status, 403, "%s", r.body);
	reply_free(&r);
	/* A person's own routes are not a system's. */
	r = bearing(token, "GET", "/api/v1/session", NULL);
	cr_expect_eq(r.status, 403, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "route_forbidden");
	reply_free(&r);
	r = bearing(token, "POST", "/api/v1/me/password", "{\"current\":\"x\",\"password\":\"y\"}");
	cr_expect_eq(r.status, 403, "%s", r.body);
	reply_free(&r);
	/* ... but the routes that only begin alike are its: the meetings. */
	r = bearing(token, "GET", "/api/v1/meetings/1", NULL);
	cr_expect_neq(r.status, 403, "%s", r.body);
	cr_expect_neq(r.status, 401, "%s", r.body);
	reply_free(&r);
	/* Its writes are audited as its account; the trail never holds the token. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE username = 'api.fier-police' AND entity_id = '%s'", code);
	cr_expect_gt(db_int(&srv, sql), 0);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'api_token'"), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE instr(coalesce(after_json, '') || coalesce(before_json, ''), '%s')",
		 token + 4);
	cr_expect_eq(db_int(&srv, sql), 0);
	char *log = file_read(srv.log, NULL);
	cr_expect_null(strstr(log, token + 4), "not in the log");
	free(log);
	/* The account cannot log in with a password. */
	cr_expect_eq(login_status("api.fier-police", "!api-client"), 401);
	free(token);
}

Test(tokens, a_revoked_an_expired_or_a_forged_token_opens_nothing)
{
	long long id, id2;
	char *token = fier_police_token("fier-police", NULL, &id);
	struct reply r = bearing(token, "GET", "/api/v1/cases?limit=1", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/tokens/%lld/revoke", id);
	r = client_must(&admin, "POST", path, "{}", 200);
	cr_expect_str_eq(jstr(r.json, "revoked_by"), "admin");
	reply_free(&r);
	client_refused(&admin, "POST", path, "{}", 409, "token_revoked", NULL);
	r = bearing(token, "GET", "/api/v1/cases?limit=1", NULL);
	cr_expect_eq(r.status, 401, "revoked: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "unauthorized");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT disabled FROM users WHERE username = 'api.fier-police'"), 1);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'revoke' AND entity = 'api_token'"), 1);
	/* A day's token, a day and a minute later. */
	char *day = fier_police_token("fier-police-2", "1", &id2);
	r = bearing(day, "GET", "/api/v1/cases?limit=1", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	server_restart(&srv, "2027-06-01");
	client_free(&admin);
	admin = client_as(&srv, "admin");
	r = bearing(day, "GET", "/api/v1/cases?limit=1", NULL);
	cr_expect_eq(r.status, 401, "expired: %s", r.body);
	reply_free(&r);
	/* Forged: one character changed, or no prefix. */
	day[10] = day[10] == 'A' ? 'B' : 'A';
	r = bearing(day, "GET", "/api/v1/cases?limit=1", NULL);
	cr_expect_eq(r.status, 401);
	reply_free(&r);
	r = bearing(day + 4, "GET", "/api/v1/cases?limit=1", NULL);
	cr_expect_eq(r.status, 401);
	reply_free(&r);
	free(day);
	free(token);
}

/* The account is the token's: the administrator's ordinary edit of accounts cannot raise its
 * role, give it a password, or enable it again after a revocation. */
Test(tokens, the_account_of_a_token_changes_only_through_the_token)
{
	long long id;
	char *token = fier_police_token("fier-police", NULL, &id);
	long long uid = db_int(&srv, "SELECT id FROM users WHERE username = 'api.fier-police'");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/users/%lld", uid);
	struct reply r = client_must(&admin, "GET", path, NULL, 200);
	cr_expect(json_is_true(jpath(r.json, "api_client")), "%s", r.body);
	reply_free(&r);
	client_refused(&admin, "PATCH", path, "{\"role\":\"admin\",\"institution\":null}", 400, "api_client_account", "role");
	client_refused(&admin, "PATCH", path, "{\"password\":\"a-long-enough-password-1\"}", 400, "api_client_account",
		       "password");
	r = client_must(&admin, "PATCH", path, "{\"name\":\"Sistemi i Policisë Fier (TIMS)\"}", 200);
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM users WHERE username = 'api.fier-police' AND role = 'caseworker'"), 1);
	/* Audited on the account too: made, and (below) disabled with its token. */
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE entity = 'user' AND entity_id = '%lld'", uid);
	cr_expect_eq(db_int(&srv, sql), 2, "created, renamed");
	snprintf(path, sizeof path, "/api/v1/tokens/%lld/revoke", id);
	r = client_must(&admin, "POST", path, "{}", 200);
	reply_free(&r);
	cr_expect_eq(db_int(&srv, sql), 3, "and disabled");
	snprintf(path, sizeof path, "/api/v1/users/%lld", uid);
	client_refused(&admin, "PATCH", path, "{\"disabled\":false}", 400, "api_client_account", "disabled");
	/* To a login the account does not exist. */
	cr_expect_eq(login_status("api.fier-police", "!api-client"), 401);
	free(token);
}

Test(tokens, only_the_administrator_makes_tokens_and_bad_requests_name_the_field)
{
	struct client cw = client_as(&srv, "fier.caseworker");
	client_refused(&cw, "POST", "/api/v1/tokens", "{\"client\":\"x\",\"name\":\"X\",\"role\":\"caseworker\"}", 403,
		       "route_forbidden", NULL);
	client_refused(&cw, "GET", "/api/v1/tokens", NULL, 403, "route_forbidden", NULL);
	client_free(&cw);
	client_refused(&admin, "POST", "/api/v1/tokens", "{\"client\":\"x\",\"name\":\"X\",\"role\":\"admin\"}", 400,
		       "not_one_of", "role");
	client_refused(&admin, "POST", "/api/v1/tokens", "{\"client\":\"Big Name\",\"name\":\"X\",\"role\":\"ministry_monitor\"}",
		       400, "username_chars", "client");
	client_refused(&admin, "POST", "/api/v1/tokens", "{\"client\":\"x\",\"name\":\"X\",\"role\":\"ministry_monitor\",\"days\":400}",
		       400, "out_of_range", "days");
	client_refused(&admin, "POST", "/api/v1/tokens", "{\"client\":\"x\",\"name\":\"X\",\"role\":\"county_secretariat\"}", 400,
		       "role_needs_county", "county");
	client_refused(&admin, "POST", "/api/v1/tokens", "{\"client\":\"x\",\"name\":\"X\",\"role\":\"caseworker\",\"secret\":1}", 400,
		       "unknown_field", "secret");
	/* Nothing half written. */
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM api_tokens"), 0);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM users WHERE username LIKE 'api.%'"), 0);
	/* The same client twice: the account exists. */
	struct reply r = client_must(&admin, "POST", "/api/v1/tokens",
				     "{\"client\":\"monitor\",\"name\":\"Paneli\",\"role\":\"ministry_monitor\"}", 201);
	reply_free(&r);
	client_refused(&admin, "POST", "/api/v1/tokens", "{\"client\":\"monitor\",\"name\":\"Paneli\",\"role\":\"ministry_monitor\"}",
		       409, "username_taken", "client");
	client_refused(&admin, "POST", "/api/v1/tokens/999/revoke", "{}", 404, "not_found", NULL);
}
