/* Sessions: login, logout, CSRF, cookie attributes (the slowdown of failed logins and the
 * second factor: accounts.c), and that a slow login does not
 * hold up other requests. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static void setup(void) { server_start(&srv); }
static void teardown(void) { server_stop(&srv); }
TestSuite(session, .init = setup, .fini = teardown, .timeout = 120);

Test(session, health_needs_no_login)
{
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_get(&c, "/healthz");
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "ok");
	reply_free(&r);
	client_free(&c);
}

Test(session, the_openapi_document_lists_every_route)
{
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_get(&c, "/api/v1/openapi.json");
	cr_assert_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "openapi"), "3.0.3");
	cr_expect_not_null(jpath(jpath(r.json, "paths"), "/api/v1/cases/{code}"));
	cr_expect_not_null(jpath(jpath(jpath(r.json, "paths"), "/api/v1/seats/{id}/nominations"), "post"));
	reply_free(&r);
	client_free(&c);
}

Test(session, login_sets_a_strict_httponly_cookie_and_returns_csrf)
{
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_req(&c, "POST", "/api/v1/session", "{\"username\":\"fier.secretariat\",\"password\":\"demo\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect(strlen(jstr(r.json, "csrf")) >= 32);
	cr_expect_str_eq(jstr(r.json, "user.county"), "fier");
	cr_expect_str_eq(jstr(r.json, "user.role"), "county_secretariat");
	cr_expect_str_eq(jstr(r.json, "user.can.edit_county_org"), "fier");
	cr_expect_not_null(strstr(r.headers, "HttpOnly"));
	cr_expect_not_null(strstr(r.headers, "SameSite=Strict"));
	cr_expect_null(jpath(r.json, "user.password_hash"));
	reply_free(&r);
	client_free(&c);
}

Test(session, wrong_password_and_unknown_user_get_the_same_answer)
{
	struct client c;
	client_init(&c, &srv);
	struct reply a = client_req(&c, "POST", "/api/v1/session", "{\"username\":\"admin\",\"password\":\"nope\"}");
	struct reply b = client_req(&c, "POST", "/api/v1/session", "{\"username\":\"nobody\",\"password\":\"nope\"}");
	cr_expect_eq(a.status, 401);
	cr_expect_eq(b.status, 401);
	cr_expect_str_eq(jstr(a.json, "error.message"), jstr(b.json, "error.message"));
	reply_free(&a);
	reply_free(&b);
	client_free(&c);
}

Test(session, requests_without_a_session_are_refused)
{
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_get(&c, "/api/v1/counties");
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "error.code"), "unauthorized");
	reply_free(&r);
	client_free(&c);
}

Test(session, state_changes_need_the_csrf_token)
{
	struct client c;
	client_init(&c, &srv);
	client_login(&c, "fier.secretariat", "demo");
	char good[128];
	snprintf(good, sizeof good, "%s", c.csrf);
	snprintf(c.csrf, sizeof c.csrf, "forged");
	struct reply r = client_req(&c, "PATCH", "/api/v1/me", "{\"lang\":\"en\"}");
	cr_expect_eq(r.status, 403);
	cr_expect_str_eq(jstr(r.json, "error.code"), "csrf");
	reply_free(&r);
	c.csrf[0] = '\0';
	r = client_req(&c, "PATCH", "/api/v1/me", "{\"lang\":\"en\"}");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	snprintf(c.csrf, sizeof c.csrf, "%s", good);
	r = client_req(&c, "PATCH", "/api/v1/me", "{\"lang\":\"en\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "lang"), "en");
	reply_free(&r);
	r = client_get(&c, "/api/v1/session");
	cr_expect_str_eq(jstr(r.json, "user.lang"), "en", "the language is remembered");
	reply_free(&r);
	client_free(&c);
}

Test(session, logout_ends_the_session)
{
	struct client c;
	client_init(&c, &srv);
	client_login(&c, "fier.krat", "demo");
	struct reply r = client_req(&c, "DELETE", "/api/v1/session", NULL);
	cr_expect_eq(r.status, 200);
	reply_free(&r);
	r = client_get(&c, "/api/v1/counties");
	cr_expect_eq(r.status, 401);
	reply_free(&r);
	client_free(&c);
}

Test(session, a_forged_session_cookie_is_refused)
{
	struct client c;
	client_init(&c, &srv);
	static const char *const h[] = {"Cookie: nrm_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL};
	struct reply r = client_raw(&c, "GET", "/api/v1/counties", NULL, 0, h);
	cr_expect_eq(r.status, 401);
	cr_expect_str_eq(jstr(r.json, "error.code"), "session_expired");
	reply_free(&r);
	client_free(&c);
}

Test(session, password_change_checks_the_current_one)
{
	struct client c;
	client_init(&c, &srv);
	client_login(&c, "berat.table", "demo");
	struct client other;
	client_init(&other, &srv);
	client_login(&other, "berat.table", "demo");
	struct reply r = client_req(&c, "POST", "/api/v1/me/password", "{\"current\":\"wrong\",\"new\":\"a-long-password\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "current");
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/me/password", "{\"current\":\"demo\",\"new\":\"short\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "new", "the member of the request that is wrong");
	cr_expect_str_eq(jstr(r.json, "error.key"), "password_short");
	cr_expect_str_eq(jstr(r.json, "error.params.min"), "12");
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/me/password", "{\"current\":\"demo\",\"new\":\"a-long-password\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	struct client d;
	client_init(&d, &srv);
	client_login(&d, "berat.table", "a-long-password");
	client_free(&d);
	r = client_get(&c, "/api/v1/session");
	cr_expect_eq(r.status, 200, "the session that changed the password goes on");
	reply_free(&r);
	r = client_get(&other, "/api/v1/session");
	cr_expect_eq(r.status, 401, "other sessions end with the old password");
	reply_free(&r);
	client_free(&other);
	client_free(&c);
}

/* ---- a slow login must not stall other requests ---- */

static atomic_int login_done;

static void *slow_logins(void *arg)
{
	struct client c;
	client_init(&c, arg);
	for (int i = 0; i < 3; i++) {
		struct reply r = client_req(&c, "POST", "/api/v1/session",
					    "{\"username\":\"slow.secretariat\",\"password\":\"Vlore-lindje-2026\"}");
		reply_free(&r);
	}
	atomic_store(&login_done, 1);
	client_free(&c);
	return NULL;
}

Test(session, other_requests_are_answered_while_logins_hash)
{
	/* An account of its own: the demo users' published password is hashed cheaply. */
	struct client admin = client_as(&srv, "admin");
	struct reply made = client_must(&admin, "POST", "/api/v1/users",
		    "{\"username\":\"slow.secretariat\",\"name\":\"Drita Hoxha\",\"role\":\"county_secretariat\","
		    "\"county\":\"vlore\",\"password\":\"Vlore-lindje-2026\"}",
		    201);
	reply_free(&made);
	client_free(&admin);
	pthread_t t;
	atomic_store(&login_done, 0);
	pthread_create(&t, NULL, slow_logins, &srv);
	struct client c;
	client_init(&c, &srv);
	/* Three Argon2id logins in a row take well over half a second; ten health checks on
	 * another connection must all be answered before they end. */
	int answered = 0;
	for (int i = 0; i < 10; i++) {
		struct reply r = client_get(&c, "/healthz");
		answered += r.status == 200;
		reply_free(&r);
	}
	int still_hashing = !atomic_load(&login_done);
	pthread_join(t, NULL);
	cr_expect_eq(answered, 10);
	cr_expect(still_hashing, "health checks waited for the logins to finish");
	client_free(&c);
}
