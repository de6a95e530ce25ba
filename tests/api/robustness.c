/* Bad requests get a clean 4xx in the contract's error shape, and nothing is written. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static struct client c;
static char seat_path[64];
static long long seat;
static void setup(void)
{
	server_start(&srv);
	client_init(&c, &srv);
	client_login(&c, "fier.secretariat", "demo");
	seat = seat_with(&c, "krat", "fier", "overdue");
	cr_assert(seat > 0);
	snprintf(seat_path, sizeof seat_path, "/api/v1/seats/%lld/nominations", seat);
}

static long long seat_nominations(void)
{
	char sql[100];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM nominations WHERE seat_id = %lld", seat);
	return db_int(&srv, sql);
}
static void teardown(void)
{
	client_free(&c);
	server_stop(&srv);
}
TestSuite(robustness, .init = setup, .fini = teardown, .timeout = 120);

static void expect_error(struct reply *r, long status, const char *code)
{
	cr_expect_eq(r->status, status, "status %ld, body %s", r->status, r->body);
	cr_expect_str_eq(jstr(r->json, "error.code"), code, "body %s", r->body);
	cr_expect(json_is_string(jpath(r->json, "error.message")));
	cr_expect_not_null(jpath(r->json, "error.field"));
	/* Every error in the contract's shape, with a stable key (core/errors.def) and parameters. */
	cr_expect(json_is_string(jpath(r->json, "error.key")) && strlen(jstr(r->json, "error.key")) > 0, "body %s", r->body);
	cr_expect(json_is_object(jpath(r->json, "error.params")), "body %s", r->body);
	reply_free(r);
}

Test(robustness, unknown_routes_and_methods)
{
	struct reply r = client_get(&c, "/api/v1/nothing-here");
	expect_error(&r, 404, "not_found");
	r = client_req(&c, "DELETE", "/api/v1/counties", NULL);
	cr_expect_not_null(strstr(r.headers, "Allow: GET"));
	expect_error(&r, 405, "method_not_allowed");
	r = client_get(&c, "/api/v1/bodies/abc");
	expect_error(&r, 404, "not_found");
	r = client_get(&c, "/api/v1/bodies/999999");
	expect_error(&r, 404, "not_found");
}

Test(robustness, malformed_and_mistyped_json)
{
	long long before = db_int(&srv, "SELECT count(*) FROM audit");
	struct reply r = client_req(&c, "POST", seat_path, "{\"name\": ");
	expect_error(&r, 400, "invalid_json");
	r = client_req(&c, "POST", seat_path, "[1,2,3]");
	expect_error(&r, 400, "invalid_json");
	r = client_req(&c, "POST", seat_path, "{\"name\": 42, \"start\": \"2026-01-01\"}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "name");
	expect_error(&r, 400, "invalid");
	r = client_req(&c, "POST", seat_path, "{\"name\": \"A B\", \"start\": \"01.02.2026\"}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "start");
	expect_error(&r, 400, "invalid");
	r = client_req(&c, "POST", seat_path, "{\"name\": \"A B\", \"start\": \"2026-02-30\"}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "start");
	expect_error(&r, 400, "invalid");
	r = client_req(&c, "POST", seat_path, "{\"name\": \"A B\", \"start\": \"2026-01-01\", \"x\": 1}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "x");
	expect_error(&r, 400, "invalid");
	r = client_req(&c, "POST", seat_path,
		       "{\"name\": \"A B\", \"start\": \"2026-01-01\", \"start\": \"2026-01-02\"}");
	expect_error(&r, 400, "invalid_json");
	r = client_req(&c, "POST", seat_path, "{\"name\": \"A B\", \"start\": \"2026-03-01\", \"end\": \"2026-02-01\"}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "end");
	expect_error(&r, 400, "invalid");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit"), before, "a refused request wrote an audit row");
	cr_expect_eq(seat_nominations(), 0, "a refused request wrote");
}

Test(robustness, oversized_bodies_are_refused)
{
	size_t n = 200 * 1024;
	char *big = malloc(n + 64);
	memset(big, 'a', n);
	memcpy(big, "{\"name\": \"", 10);
	strcpy(big + n, "\", \"start\": \"2026-01-01\"}");
	struct reply r = client_req(&c, "POST", seat_path, big);
	expect_error(&r, 413, "too_large");
	free(big);
	cr_expect_eq(seat_nominations(), 0);
}

Test(robustness, static_paths_cannot_escape_the_web_folder)
{
	curl_easy_setopt(c.curl, CURLOPT_PATH_AS_IS, 1L);
	static const char *const paths[] = {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
					    "/css/../../../../etc/passwd"};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct reply r = client_req(&c, "GET", paths[i], NULL);
		cr_expect(!r.body || !strstr(r.body, "root:"), "%s escaped", paths[i]);
		reply_free(&r);
	}
	curl_easy_setopt(c.curl, CURLOPT_PATH_AS_IS, 0L);
}

Test(robustness, a_request_target_without_a_slash_does_not_crash_the_server)
{
	curl_easy_setopt(c.curl, CURLOPT_REQUEST_TARGET, "x");
	struct reply r = client_req(&c, "GET", "/", NULL);
	cr_expect_eq(r.status, 404);
	reply_free(&r);
	curl_easy_setopt(c.curl, CURLOPT_REQUEST_TARGET, NULL);
	r = client_get(&c, "/healthz");
	cr_expect_eq(r.status, 200, "the server is still up");
	reply_free(&r);
}

Test(robustness, a_large_body_without_a_session_is_refused_before_it_is_read)
{
	struct client anon;
	client_init(&anon, &srv);
	size_t n = 200 * 1024;
	char *big = calloc(1, n);
	/* Expect: 100-continue lets the server answer before the body is sent; without it the
	 * answer races the upload and curl may report the send as failed instead. */
	static const char *const h[] = {"Content-Type: application/pdf", "X-Filename: a.pdf", "Expect: 100-continue", NULL};
	struct reply r = client_raw(&anon, "PUT", "/api/v1/agreements/1/document", big, n, h);
	cr_expect_eq(r.status, 401);
	reply_free(&r);
	free(big);
	client_free(&anon);
}

Test(robustness, bodies_must_be_json)
{
	static const char *const plain[] = {"Content-Type: text/plain", NULL};
	const char *body = "{\"username\":\"admin\",\"password\":\"demo\"}";
	struct reply r = client_raw(&c, "POST", "/api/v1/session", body, strlen(body), plain);
	cr_expect_eq(r.status, 415, "a cross-site form cannot log someone in");
	reply_free(&r);
}

Test(robustness, a_field_cut_inside_a_utf8_character_still_gets_a_clean_error)
{
	char body[400];
	/* an unknown field name of 70 'ë' (2 bytes each): the error names it, cut safely */
	size_t n = 0;
	n += (size_t)snprintf(body, sizeof body, "{\"");
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(body + n, sizeof body - n, "\u00eb");
	snprintf(body + n, sizeof body - n, "\": 1}");
	struct reply r = client_req(&c, "POST", seat_path, body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.code"), "invalid");
	reply_free(&r);
}

Test(robustness, bad_pagination_parameters)
{
	struct reply r = client_get(&c, "/api/v1/institutions?limit=0");
	cr_expect_str_eq(jstr(r.json, "error.field"), "limit");
	expect_error(&r, 400, "invalid");
	r = client_get(&c, "/api/v1/institutions?after=-5");
	cr_expect_str_eq(jstr(r.json, "error.field"), "after");
	expect_error(&r, 400, "invalid");
	r = client_get(&c, "/api/v1/municipalities?county=atlantis");
	cr_expect_str_eq(jstr(r.json, "error.field"), "county");
	expect_error(&r, 400, "invalid");
}

Test(robustness, responses_carry_security_headers)
{
	struct reply r = client_get(&c, "/api/v1/counties");
	cr_expect_not_null(strstr(r.headers, "X-Content-Type-Options: nosniff"));
	cr_expect_not_null(strstr(r.headers, "Content-Security-Policy:"));
	cr_expect_not_null(strstr(r.headers, "Cache-Control: no-store"));
	reply_free(&r);
}

Test(robustness, query_parameters_are_checked_not_guessed)
{
	struct client cw;
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
	struct reply r = client_get(&cw, "/api/v1/cases?child=maybe");
	expect_error(&r, 400, "invalid");
	r = client_get(&cw, "/api/v1/cases?institution=abc");
	expect_error(&r, 400, "invalid");
	r = client_get(&cw, "/api/v1/referrals?status=bogus");
	expect_error(&r, 400, "invalid");
	r = client_get(&cw, "/api/v1/cases?child=true");
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	client_free(&cw);
}

Test(robustness, a_name_is_one_line)
{
	struct reply r = client_req(&c, "POST", "/api/v1/institutions",
				    "{\"type\":\"ngo_shelter\",\"county\":\"fier\",\"name\":\"\\tTabbed\"}");
	expect_error(&r, 400, "invalid");
	r = client_req(&c, "POST", "/api/v1/institutions", "{\"type\":\"ngo_shelter\",\"county\":\"fier\",\"name\":\"A\\r-B\"}");
	cr_expect_str_eq(jstr(r.json, "error.key"), "control_characters");
	expect_error(&r, 400, "invalid");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM institutions WHERE name LIKE '%Tabbed%' OR name LIKE 'A%-B'"), 0);
}
