/* Accounts as an attacker tries them: the second factor (enrolment with the server's QR code,
 * a two-step login, a code good once, recovery codes good once, the administrator's audited
 * reset, the demo users' exemption and its boundary), failed logins that slow down without
 * locking the owner out, the notice of failed attempts, and the password policy. Other
 * addresses are other loopback addresses (127.0.0.N) the client binds to. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "secure/totp.h"

static struct server srv;
static void setup(void)
{
	server_start(&srv);
	cr_assert_eq(secure_totp_init(), 0);
}
static void teardown(void) { server_stop(&srv); }
TestSuite(accounts, .init = setup, .fini = teardown, .timeout = 120);

#define PW "a-correct-horse-battery"

/* A client whose requests come from 127.0.0.`n`. */
static void client_from(struct client *c, int n)
{
	char ip[32];
	client_init(c, &srv);
	snprintf(ip, sizeof ip, "127.0.0.%d", n);
	curl_easy_setopt(c->curl, CURLOPT_INTERFACE, ip);
}

static struct reply login(struct client *c, const char *user, const char *pw)
{
	char body[300];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
	struct reply r = client_req(c, "POST", "/api/v1/session", body);
	if (r.status == 200)
		snprintf(c->csrf, sizeof c->csrf, "%s", jstr(r.json, "csrf"));
	return r;
}

static long login_status(struct client *c, const char *user, const char *pw)
{
	struct reply r = login(c, user, pw);
	long s = r.status;
	reply_free(&r);
	return s;
}

/* Sends a second-factor code (or a recovery code) in the session awaiting it. */
static struct reply second(struct client *c, const char *member, const char *code)
{
	char body[100];
	snprintf(body, sizeof body, "{\"%s\":\"%s\"}", member, code);
	struct reply r = client_req(c, "POST", "/api/v1/session/code", body);
	if (r.status == 200)
		snprintf(c->csrf, sizeof c->csrf, "%s", jstr(r.json, "csrf"));
	return r;
}

static void code_at(const char *secret, time_t t, char out[TOTP_DIGITS + 1])
{
	cr_assert_eq(secure_totp_code(secret, t, out), 0);
}

/* Adds a case worker with `nrm user add`, as an administrator does on a real database. */
static void add_caseworker(const char *username)
{
	char err[1000];
	cr_assert_eq(nrm_run(PW "\n", err, sizeof err, "user", "add", "--db", srv.db, "--username", username, "--role",
			     "caseworker", "--institution", "2", NULL),
		     0, "%s", err);
}

/* Logs c in as a new user (enrol stage), enrols, and keeps the secret and the recovery codes. */
static void enrol(struct client *c, const char *username, char secret[64], json_t **codes)
{
	struct reply r = login(c, username, PW);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_assert_str_eq(jstr(r.json, "stage"), "enrol");
	reply_free(&r);
	r = client_must(c, "POST", "/api/v1/me/totp", "{}", 201);
	snprintf(secret, 64, "%s", jstr(r.json, "secret"));
	reply_free(&r);
	char code[8], body[40];
	code_at(secret, time(NULL), code);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
	r = client_must(c, "POST", "/api/v1/me/totp/confirm", body, 200);
	*codes = json_incref(jpath(r.json, "recovery_codes"));
	reply_free(&r);
}

Test(accounts, a_demo_user_is_exempt_but_a_caseworker_added_to_the_demo_database_must_enrol_first)
{
	struct client demo, c;
	client_init(&demo, &srv);
	struct reply r = login(&demo, "fier.caseworker", "demo");
	cr_assert_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "stage"), "full", "the demo users log in with the demo password alone");
	cr_expect(json_is_true(jpath(r.json, "user.totp_exempt")));
	reply_free(&r);
	char *log = file_read(srv.log, NULL);
	cr_expect_not_null(log && strstr(log, "demo database: demo users log in without a second factor"),
			   "the server says so at start");
	free(log);

	add_caseworker("new.caseworker");
	client_init(&c, &srv);
	r = login(&c, "new.caseworker", PW);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "stage"), "enrol", "a user added with nrm user add is not exempt");
	cr_expect(json_is_true(jpath(r.json, "user.totp_required")));
	reply_free(&r);
	client_refused(&c, "GET", "/api/v1/cases", NULL, 403, "totp_enrol_first", NULL);
	client_refused(&c, "GET", "/api/v1/counties", NULL, 403, "totp_enrol_first", NULL);
	r = client_must(&c, "GET", "/api/v1/session", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "stage"), "enrol");
	reply_free(&r);
	client_free(&c);
	client_free(&demo);
}

Test(accounts, enrolment_draws_the_qr_code_and_login_then_takes_two_steps_with_a_code_good_once)
{
	struct client c;
	client_init(&c, &srv);
	add_caseworker("two.steps");
	struct reply r = login(&c, "two.steps", PW);
	cr_assert_eq(r.status, 200);
	reply_free(&r);
	client_refused(&c, "POST", "/api/v1/me/totp/confirm", "{\"code\":\"123456\"}", 409, "totp_not_started", NULL);
	r = client_must(&c, "POST", "/api/v1/me/totp", "{}", 201);
	char secret[64];
	snprintf(secret, sizeof secret, "%s", jstr(r.json, "secret"));
	cr_expect_eq(strlen(secret), 32u);
	cr_expect_not_null(strstr(jstr(r.json, "uri"), "otpauth://totp/nrm:two.steps?secret="));
	reply_free(&r);
	r = client_get(&c, "/api/v1/me/totp/qr.svg");
	cr_assert_eq(r.status, 200);
	cr_expect_not_null(strstr(r.headers, "Content-Type: image/svg+xml"));
	cr_expect_not_null(strstr(r.headers, "Cache-Control: no-store"));
	cr_expect_not_null(strstr(r.body, "<svg"));
	cr_expect_not_null(strstr(r.body, "<path fill=\"#000\" d=\"M4 4h1v1h-1z"), "drawn by the server: a finder pattern");
	reply_free(&r);

	char code[8], body[60];
	code_at(secret, time(NULL) + 600, code);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
	client_refused(&c, "POST", "/api/v1/me/totp/confirm", body, 400, "totp_code_wrong", "code");
	code_at(secret, time(NULL), code);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
	r = client_must(&c, "POST", "/api/v1/me/totp/confirm", body, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "recovery_codes")), 10u);
	reply_free(&r);
	r = client_must(&c, "GET", "/api/v1/counties", NULL, 200);
	reply_free(&r);
	client_refused(&c, "POST", "/api/v1/me/totp", "{}", 409, "totp_enrolled", NULL);

	/* The secret is sealed at rest and never in the log. */
	char sql[300];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM users WHERE username = 'two.steps' AND totp_secret LIKE 'enc1:%%'"
		 " AND instr(totp_secret, '%s') = 0 AND totp_pending IS NULL",
		 secret);
	cr_expect_eq(db_int(&srv, sql), 1);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'totp_enrol' AND username = 'two.steps'"), 1);
	char *log = file_read(srv.log, NULL);
	cr_expect_null(log ? strstr(log, secret) : NULL);
	free(log);

	/* Two steps: the password opens nothing but the second step. */
	struct client d;
	client_init(&d, &srv);
	r = login(&d, "two.steps", PW);
	cr_assert_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "stage"), "code");
	cr_expect_null(jpath(r.json, "user"), "nothing of the account before the code");
	reply_free(&r);
	client_refused(&d, "GET", "/api/v1/counties", NULL, 401, "totp_code_awaited", NULL);
	char wrong[8];
	code_at(secret, time(NULL) + 600, wrong);
	r = second(&d, "code", wrong);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "error.key"), "totp_code_wrong");
	reply_free(&r);
	char next[8];
	code_at(secret, time(NULL) + TOTP_STEP, next);
	r = second(&d, "code", next);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "stage"), "full");
	cr_expect_str_eq(jstr(r.json, "user.username"), "two.steps");
	reply_free(&r);
	r = client_must(&d, "GET", "/api/v1/counties", NULL, 200);
	reply_free(&r);

	/* The same code again (seen on a shoulder, or replayed) is refused. */
	struct client e;
	client_init(&e, &srv);
	r = login(&e, "two.steps", PW);
	reply_free(&r);
	r = second(&e, "code", next);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "error.key"), "totp_code_used");
	reply_free(&r);
	client_free(&e);
	client_free(&d);
	client_free(&c);
}

Test(accounts, a_recovery_code_logs_in_once)
{
	struct client c, d;
	char secret[64];
	json_t *codes;
	add_caseworker("recovers");
	client_init(&c, &srv);
	enrol(&c, "recovers", secret, &codes);
	const char *first = json_string_value(json_array_get(codes, 0));
	client_init(&d, &srv);
	struct reply r = login(&d, "recovers", PW);
	reply_free(&r);
	char upper[32];
	snprintf(upper, sizeof upper, "%s", first);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	r = second(&d, "recovery_code", upper);
	cr_assert_eq(r.status, 200, "typed in capitals, it is the same code: %s", r.body);
	cr_expect_eq(jint(r.json, "user.recovery_codes_left"), 9);
	reply_free(&r);
	client_free(&d);
	client_init(&d, &srv);
	r = login(&d, "recovers", PW);
	reply_free(&r);
	r = second(&d, "recovery_code", first);
	cr_expect_eq(r.status, 401, "used once already");
	cr_expect_str_eq(jstr(r.json, "error.key"), "recovery_code_wrong");
	cr_expect_str_eq(jstr(r.json, "error.field"), "recovery_code");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM recovery_codes WHERE used_at IS NULL AND user_id ="
				  " (SELECT id FROM users WHERE username = 'recovers')"),
		     9);
	json_decref(codes);
	client_free(&d);
	client_free(&c);
}

Test(accounts, a_second_factor_and_its_recovery_codes_survive_a_key_rotation)
{
	struct client c, d;
	char secret[64], err[2000];
	json_t *codes;
	add_caseworker("rotated.keys");
	client_init(&c, &srv);
	enrol(&c, "rotated.keys", secret, &codes);
	const char *sql = "SELECT count(*) FROM users WHERE username = 'rotated.keys' AND totp_secret IS NOT NULL"
			  " AND totp_secret = (SELECT totp_secret FROM users WHERE username = 'rotated.keys')";
	cr_assert_eq(db_int(&srv, sql), 1);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "key", "rotate", "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'key_rotate_batch'"
				  " AND json_extract(after_json, '$.what') = 'second_factors'"),
		     1, "the secret was sealed again under the new key");

	client_init(&d, &srv);
	struct reply r = login(&d, "rotated.keys", PW);
	cr_assert_str_eq(jstr(r.json, "stage"), "code");
	reply_free(&r);
	char code[8];
	code_at(secret, time(NULL) + TOTP_STEP, code);
	r = second(&d, "code", code);
	cr_expect_eq(r.status, 200, "the app's code still works: %s", r.body);
	reply_free(&r);
	client_free(&d);

	client_init(&d, &srv);
	r = login(&d, "rotated.keys", PW);
	reply_free(&r);
	r = second(&d, "recovery_code", json_string_value(json_array_get(codes, 0)));
	cr_expect_eq(r.status, 200, "a recovery code printed before the rotation still works: %s", r.body);
	reply_free(&r);
	json_decref(codes);
	client_free(&d);
	client_free(&c);
}

Test(accounts, wrong_codes_end_the_first_step_after_five)
{
	struct client c, d;
	char secret[64], wrong[8];
	json_t *codes;
	add_caseworker("guessed");
	client_init(&c, &srv);
	enrol(&c, "guessed", secret, &codes);
	json_decref(codes);
	client_init(&d, &srv);
	struct reply r = login(&d, "guessed", PW);
	reply_free(&r);
	code_at(secret, time(NULL) + 900, wrong);
	for (int i = 1; i <= 5; i++) {
		r = second(&d, "code", wrong);
		cr_expect_eq(r.status, 401);
		cr_expect_str_eq(jstr(r.json, "error.key"), i < 5 ? "totp_code_wrong" : "totp_tries");
		reply_free(&r);
	}
	client_refused(&d, "POST", "/api/v1/session/code", "{\"code\":\"000000\"}", 401, "unauthorized", NULL);
	client_free(&d);
	client_free(&c);
}

Test(accounts, the_administrator_resets_a_second_factor_and_the_reset_is_audited)
{
	struct client c, admin, other;
	char secret[64], err[1000];
	json_t *codes;
	add_caseworker("lost.phone");
	client_init(&c, &srv);
	enrol(&c, "lost.phone", secret, &codes);
	json_decref(codes);
	long long id = db_int(&srv, "SELECT id FROM users WHERE username = 'lost.phone'");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/users/%lld/totp-reset", id);
	other = client_as(&srv, "fier.secretariat");
	client_refused(&other, "POST", path, "{}", 403, "route_forbidden", NULL);
	admin = client_as(&srv, "admin");
	struct reply r = client_must(&admin, "POST", path, "{}", 200);
	cr_expect(json_is_false(jpath(r.json, "totp")));
	reply_free(&r);
	r = client_get(&c, "/api/v1/session");
	cr_expect_eq(r.status, 401, "the reset ends the account's sessions");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'totp_reset' AND username = 'admin'"), 1);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id"
				  " WHERE u.username = 'lost.phone'"),
		     0);
	r = login(&c, "lost.phone", PW);
	cr_expect_str_eq(jstr(r.json, "stage"), "enrol", "a new second factor at the next login");
	reply_free(&r);
	/* The same at the console. */
	enrol(&c, "lost.phone", secret, &codes);
	json_decref(codes);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "totp-reset", "--db", srv.db, "--username", "lost.phone", NULL),
		     0, "%s", err);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'totp_reset' AND username = 'cli'"), 1);
	cr_expect_eq(db_int(&srv, "SELECT totp_secret IS NULL FROM users WHERE username = 'lost.phone'"), 1);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "totp-reset", "--db", srv.db, "--username", "nobody", NULL), 2);
	client_free(&admin);
	client_free(&other);
	client_free(&c);
}

Test(accounts, a_strangers_failures_slow_the_stranger_not_the_owner_at_another_address)
{
	struct client stranger, owner, unknown;
	client_from(&stranger, 2);
	for (int i = 0; i < 3; i++)
		cr_expect_eq(login_status(&stranger, "fier.krat", "guess"), 401);
	struct reply r = login(&stranger, "fier.krat", "demo");
	cr_expect_eq(r.status, 429, "even the right password waits: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "login_slowed");
	cr_expect_not_null(strstr(r.headers, "Retry-After: "));
	cr_expect_gt(atoi(jstr(r.json, "error.params.seconds")), 0);
	reply_free(&r);
	client_from(&owner, 1);
	cr_expect_eq(login_status(&owner, "fier.krat", "demo"), 200, "the owner, elsewhere, is not locked out");
	/* A name that is no account is slowed alike: the slowdown tells no one which names exist. */
	client_from(&unknown, 3);
	for (int i = 0; i < 3; i++)
		cr_expect_eq(login_status(&unknown, "no.such.user", "guess"), 401);
	cr_expect_eq(login_status(&unknown, "no.such.user", "guess"), 429);
	client_free(&unknown);
	client_free(&owner);
	client_free(&stranger);
}

Test(accounts, failures_from_many_addresses_slow_the_account_but_not_the_owners_known_browser)
{
	struct client owner, stranger, fresh;
	client_from(&owner, 1);
	cr_expect_eq(login_status(&owner, "fier.table", "demo"), 200, "a login that leaves a known-device cookie");
	/* Ten failures from four addresses, none of them slowed on its own (three each at most). */
	for (int a = 2; a <= 5; a++) {
		client_from(&stranger, a);
		for (int i = 0; i < (a < 5 ? 3 : 1); i++)
			cr_expect_eq(login_status(&stranger, "fier.table", "guess"), 401);
		client_free(&stranger);
	}
	client_from(&fresh, 6);
	struct reply r = login(&fresh, "fier.table", "demo");
	cr_expect_eq(r.status, 429, "the account is slowed for a browser it does not know: %s", r.body);
	cr_expect_not_null(strstr(r.headers, "Retry-After: "));
	cr_expect_leq(atoi(jstr(r.json, "error.params.seconds")), 60, "the account's own wait stays short");
	reply_free(&r);
	cr_expect_eq(login_status(&owner, "fier.table", "demo"), 200, "the browser that logged in before is not slowed");
	client_free(&fresh);
	client_free(&owner);
}

Test(accounts, one_address_trying_many_names_is_slowed_and_the_wait_ends_with_time)
{
	struct client c;
	client_from(&c, 7);
	static const char *const names[] = {"berat.krat", "diber.krat", "durres.krat", "elbasan.krat", "a.b",
					    "korce.krat", "kukes.krat", "lezhe.krat", "c.d",	     "vlore.krat"};
	for (int i = 0; i < 10; i++)
		cr_expect_eq(login_status(&c, names[i], "guess"), 401, "%s", names[i]);
	struct reply r = login(&c, "shkoder.krat", "demo");
	cr_expect_eq(r.status, 429, "the address itself waits: %s", r.body);
	reply_free(&r);
	/* An hour later (the server's clock, not a sleep) the address may try again. */
	char later[32];
	time_t t = time(NULL) + 3600;
	strftime(later, sizeof later, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	server_restart(&srv, later);
	client_free(&c);
	client_from(&c, 7);
	cr_expect_eq(login_status(&c, "shkoder.krat", "demo"), 200);
	client_free(&c);
}

Test(accounts, the_user_is_told_of_failed_attempts_at_the_next_login)
{
	struct client stranger, owner;
	client_from(&stranger, 9);
	cr_expect_eq(login_status(&stranger, "gjirokaster.table", "guess-1"), 401);
	cr_expect_eq(login_status(&stranger, "gjirokaster.table", "guess-2"), 401);
	client_from(&owner, 1);
	struct reply r = login(&owner, "gjirokaster.table", "demo");
	cr_assert_eq(r.status, 200);
	cr_expect_eq(jint(r.json, "failed_logins.count"), 2);
	cr_expect_str_eq(jstr(r.json, "failed_logins.items.0.addr"), "127.0.0.9");
	cr_expect_str_eq(jstr(r.json, "failed_logins.items.0.kind"), "password");
	cr_expect_eq(strlen(jstr(r.json, "failed_logins.items.0.at")), 20u, "an ISO time in UTC");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'login_failed' AND username = 'gjirokaster.table'"
				  " AND after_json LIKE '%127.0.0.9%'"),
		     2, "the auditor sees them too");
	r = login(&owner, "gjirokaster.table", "demo");
	cr_expect_eq(jint(r.json, "failed_logins.count"), 0, "told once");
	reply_free(&r);
	client_free(&owner);
	client_free(&stranger);
}

Test(accounts, a_new_password_must_be_long_uncommon_and_not_the_username)
{
	struct client c = client_as(&srv, "berat.table");
	static const struct {
		const char *pw, *key;
	} bad[] = {
		{"eleven-char", "password_short"},
		{"Password2024!!", "password_weak"},
		{"qwertyuiop123", "password_weak"},
		{"my-berat.table-pw", "password_has_username"},
	};
	char body[200];
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		snprintf(body, sizeof body, "{\"current\":\"demo\",\"new\":\"%s\"}", bad[i].pw);
		client_refused(&c, "POST", "/api/v1/me/password", body, 400, bad[i].key, "new");
	}
	struct client admin = client_as(&srv, "admin");
	client_refused(&admin, "POST", "/api/v1/users",
		       "{\"username\":\"weak.one\",\"name\":\"W\",\"role\":\"ministry_monitor\",\"password\":\"iloveyou2025\"}",
		       400, "password_weak", "password");
	char err[1000];
	cr_expect_eq(nrm_run("letmein12345\n", err, sizeof err, "user", "passwd", "--db", srv.db, "--username", "berat.krat",
			     NULL),
		     2);
	cr_expect_not_null(strstr(err, "commonly used"), "%s", err);
	struct reply r = client_must(&c, "POST", "/api/v1/me/password", "{\"current\":\"demo\",\"new\":\"" PW "\"}", 200);
	reply_free(&r);
	client_free(&admin);
	client_free(&c);
}

/* A login through a trusted proxy (nginx in production): the address is the client's own that
 * the proxy forwards, so one client's failures slow that client, not everyone behind the proxy. */
static long login_via_proxy(const char *client, const char *user, const char *pw)
{
	struct client c;
	char xff[80], body[200];
	client_init(&c, &srv);
	snprintf(xff, sizeof xff, "X-Forwarded-For: %s", client);
	const char *const headers[] = {"Content-Type: application/json", xff, NULL};
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
	struct reply r = client_raw(&c, "POST", "/api/v1/session", body, strlen(body), headers);
	long s = r.status;
	reply_free(&r);
	client_free(&c);
	return s;
}

Test(accounts, behind_a_trusted_proxy_the_slowdown_counts_each_clients_own_address)
{
	static const char *const opts[] = {"--trusted-proxy", "127.0.0.1", NULL};
	server_stop(&srv);
	server_start_with(&srv, opts);
	for (int i = 0; i < 3; i++)
		cr_expect_eq(login_via_proxy("198.51.100.7", "elbasan.krat", "guess"), 401);
	cr_expect_eq(login_via_proxy("198.51.100.7", "elbasan.krat", "demo"), 429, "the guessing client waits");
	cr_expect_eq(login_via_proxy("198.51.100.8", "elbasan.krat", "demo"), 200,
		     "another client behind the same proxy does not");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM login_failures WHERE addr = '198.51.100.7'"), 3);
}
