/* User administration and the audit trail. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static struct client admin;
static void setup(void)
{
	server_start(&srv);
	client_init(&admin, &srv);
	client_login(&admin, "admin", "demo");
}
static void teardown(void)
{
	client_free(&admin);
	server_stop(&srv);
}
TestSuite(users, .init = setup, .fini = teardown, .timeout = 120);

Test(users, the_demo_users_of_the_contract_exist)
{
	struct reply r = client_get(&admin, "/api/v1/users?limit=500");
	cr_assert_eq(r.status, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 6 + 12 * 4 + 1);
	reply_free(&r);
}

Test(users, only_the_administrator_manages_users)
{
	struct client c;
	client_init(&c, &srv);
	client_login(&c, "authority.chair", "demo");
	struct reply r = client_get(&c, "/api/v1/users");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/users",
		       "{\"username\":\"x\",\"name\":\"X\",\"role\":\"admin\",\"password\":\"long-enough-1\"}");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&c);
}

Test(users, create_and_log_in_then_disable)
{
	struct reply r = client_req(&admin, "POST", "/api/v1/users",
				    "{\"username\":\"fier.secretariat2\",\"name\":\"Albana Rama\",\"role\":\"county_secretariat\","
				    "\"county\":\"fier\",\"password\":\"long-enough-1\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	reply_free(&r);
	struct client u;
	client_init(&u, &srv);
	client_login(&u, "fier.secretariat2", "long-enough-1");
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", id);
	r = client_req(&admin, "PATCH", path, "{\"disabled\":true}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&u, "/api/v1/counties");
	cr_expect_eq(r.status, 401, "disabling ends the sessions at once");
	reply_free(&r);
	r = client_req(&u, "POST", "/api/v1/session", "{\"username\":\"fier.secretariat2\",\"password\":\"long-enough-1\"}");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&u);
}

Test(users, scope_must_fit_the_role)
{
	struct reply r = client_req(&admin, "POST", "/api/v1/users",
				    "{\"username\":\"a1\",\"name\":\"A\",\"role\":\"krat_member\",\"password\":\"long-enough-1\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "county");
	reply_free(&r);
	r = client_req(&admin, "POST", "/api/v1/users",
		       "{\"username\":\"a2\",\"name\":\"A\",\"role\":\"caseworker\",\"county\":\"fier\",\"password\":\"long-enough-1\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "institution");
	reply_free(&r);
	r = client_req(&admin, "POST", "/api/v1/users",
		       "{\"username\":\"a3\",\"name\":\"A\",\"role\":\"wizard\",\"password\":\"long-enough-1\"}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "role");
	reply_free(&r);
	r = client_req(&admin, "POST", "/api/v1/users",
		       "{\"username\":\"admin\",\"name\":\"A\",\"role\":\"dpo\",\"password\":\"long-enough-1\"}");
	cr_expect_eq(r.status, 409);
	cr_expect_str_eq(jstr(r.json, "error.field"), "username");
	reply_free(&r);
	r = client_req(&admin, "POST", "/api/v1/users", "{\"username\":\"a4\",\"name\":\"A\",\"role\":\"dpo\",\"password\":\"short\"}");
	cr_expect_str_eq(jstr(r.json, "error.field"), "password");
	reply_free(&r);
}

Test(users, every_change_is_audited_and_the_auditor_reads_it)
{
	struct reply r = client_req(&admin, "POST", "/api/v1/users",
				    "{\"username\":\"audited\",\"name\":\"A\",\"role\":\"dpo\",\"password\":\"long-enough-1\"}");
	cr_assert_eq(r.status, 201);
	reply_free(&r);
	struct client d;
	client_init(&d, &srv);
	client_login(&d, "dpo", "demo");
	r = client_get(&d, "/api/v1/audit?entity=user&limit=5");
	cr_assert_eq(r.status, 200, "%s", r.body);
	int found = 0;
	size_t i;
	json_t *a;
	json_array_foreach(jpath(r.json, "items"), i, a)
		found |= strcmp(jstr(a, "action"), "create") == 0 && strcmp(jstr(a, "after.username"), "audited") == 0 &&
			 strcmp(jstr(a, "username"), "admin") == 0;
	cr_expect(found, "%s", r.body);
	reply_free(&r);
	client_free(&d);
	struct client k;
	client_init(&k, &srv);
	client_login(&k, "fier.caseworker", "demo");
	r = client_get(&k, "/api/v1/audit");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&k);
	/* The hash chain links every row to the one before. */
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id - 1 WHERE a.prev_hash <> b.hash"), 0);
}
