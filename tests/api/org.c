/* The organisation registry over HTTP: reference data, seats and their status, nominations,
 * replacement, overdue lists, guests, municipal groups, and who may edit what. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static struct client c;
static void setup(void)
{
	server_start(&srv);
	client_init(&c, &srv);
	client_login(&c, "fier.secretariat", "demo");
}
static void teardown(void)
{
	client_free(&c);
	server_stop(&srv);
}
TestSuite(org, .init = setup, .fini = teardown, .timeout = 120);

static json_t *seat_in(json_t *body, long long id)
{
	size_t i;
	json_t *s;
	json_array_foreach(jpath(body, "seats"), i, s)
		if (jint(s, "id") == id)
			return s;
	return NULL;
}

Test(org, twelve_counties_with_iso_codes_and_61_municipalities)
{
	struct reply r = client_get(&c, "/api/v1/counties");
	cr_assert_eq(r.status, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 12);
	cr_expect(json_is_null(jpath(r.json, "next")));
	int fier = 0;
	size_t i;
	json_t *k;
	json_array_foreach(jpath(r.json, "items"), i, k) {
		cr_expect(strlen(jstr(k, "slug")) > 0 && strncmp(jstr(k, "iso"), "AL-", 3) == 0 && strlen(jstr(k, "name")) > 0);
		if (strcmp(jstr(k, "slug"), "fier") == 0)
			fier = strcmp(jstr(k, "iso"), "AL-04") == 0;
	}
	cr_expect(fier, "Fier is AL-04");
	reply_free(&r);
	r = client_get(&c, "/api/v1/municipalities");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 61);
	reply_free(&r);
	r = client_get(&c, "/api/v1/municipalities?county=fier");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 6);
	reply_free(&r);
}

Test(org, every_county_has_its_krat_table_and_three_person_secretariat)
{
	struct reply r = client_get(&c, "/api/v1/bodies?kind=krat");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 12);
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies?kind=krat_secretariat");
	size_t i;
	json_t *b;
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 12);
	json_array_foreach(jpath(r.json, "items"), i, b)
		cr_expect_eq(jint(b, "seat_count"), 3);
	reply_free(&r);
	/* Fier has 6 municipalities: chair + 11 county institutions + 2 × 6 municipal seats. */
	r = client_get(&c, "/api/v1/bodies?county=fier&kind=krat");
	cr_expect_eq(jint(r.json, "items.0.seat_count"), 24);
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies?county=kukes&kind=technical_table");
	cr_expect_eq(jint(r.json, "items.0.seat_count"), 18);
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies?kind=bogus");
	cr_expect_eq(r.status, 400);
	reply_free(&r);
}

Test(org, the_authority_has_13_seats_a_to_m_with_a_chair)
{
	long long id = body_id(&c, "authority", NULL);
	struct reply r = client_get(&c, "/api/v1/bodies/%lld", id);
	cr_assert_eq(r.status, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "seats")), 13);
	cr_expect_str_eq(jstr(r.json, "seats.0.code"), "a");
	cr_expect_str_eq(jstr(r.json, "seats.0.role"), "chair");
	cr_expect_str_eq(jstr(r.json, "seats.12.code"), "m");
	cr_expect_eq(jint(r.json, "summary.filled"), 13, "the demo fills the Authority");
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies?kind=authority_secretariat");
	cr_expect_eq(jint(r.json, "items.0.seat_count"), 2);
	reply_free(&r);
}

Test(org, krat_chair_is_the_prefect_and_table_chair_the_secretary_general)
{
	struct reply r = client_get(&c, "/api/v1/bodies/%lld", body_id(&c, "krat", "fier"));
	cr_expect_str_eq(jstr(r.json, "seats.0.role"), "chair");
	cr_expect_not_null(strstr(jstr(r.json, "seats.0.label"), "Prefekt"));
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies/%lld", body_id(&c, "technical_table", "fier"));
	cr_expect_not_null(strstr(jstr(r.json, "seats.0.label"), "Sekretari i Përgjithshëm"));
	reply_free(&r);
}

Test(org, vacant_seats_past_the_15_day_deadline_are_overdue)
{
	long long id = seat_with(&c, "krat", "fier", "overdue");
	cr_assert(id > 0);
	struct reply r = client_get(&c, "/api/v1/bodies/%lld", body_id(&c, "krat", "fier"));
	json_t *s = seat_in(r.json, id);
	cr_expect_str_eq(jstr(s, "deadline"), "2025-07-12", "27.6.2025 + 15 days");
	cr_expect(json_is_null(jpath(s, "member")));
	cr_expect(jint(s, "days_overdue") > 0);
	reply_free(&r);
	r = client_get(&c, "/api/v1/nominations/overdue?county=fier");
	int found = 0;
	size_t i;
	json_t *o;
	json_array_foreach(jpath(r.json, "items"), i, o) {
		found |= jint(o, "seat") == id;
		cr_expect_str_eq(jstr(o, "county"), "fier");
	}
	cr_expect(found);
	reply_free(&r);
	r = client_get(&c, "/api/v1/nominations/overdue");
	cr_expect(json_array_size(jpath(r.json, "items")) > 100, "nationally many seats are still to be nominated");
	reply_free(&r);
}

Test(org, nominating_fills_a_seat_and_takes_it_off_the_overdue_list)
{
	long long id = seat_with(&c, "krat", "fier", "overdue");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
	struct reply r = client_req(&c, "POST", path,
				    "{\"name\":\"Blerta Lika\",\"position\":\"Specialiste\",\"email\":\"b.lika@example.al\","
				    "\"start\":\"2025-08-01\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_null(jpath(r.json, "replaced")));
	long long person = jint(r.json, "person");
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies/%lld", body_id(&c, "krat", "fier"));
	json_t *s = seat_in(r.json, id);
	cr_expect_str_eq(jstr(s, "status"), "filled");
	cr_expect_str_eq(jstr(s, "member.name"), "Blerta Lika");
	reply_free(&r);
	r = client_get(&c, "/api/v1/nominations/overdue?county=fier");
	size_t i;
	json_t *o;
	json_array_foreach(jpath(r.json, "items"), i, o)
		cr_expect_neq(jint(o, "seat"), id);
	reply_free(&r);
	/* Audited in the same transaction. */
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE entity = 'nomination' AND action = 'create' AND after_json LIKE '%%Blerta Lika%%'");
	cr_expect_eq(db_int(&srv, sql), 1);
	/* The same person can hold a seat in another body. */
	long long t = seat_with(&c, "technical_table", "fier", "overdue");
	char body[120];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", t);
	snprintf(body, sizeof body, "{\"person\": %lld, \"start\": \"2025-08-01\"}", person);
	r = client_req(&c, "POST", path, body);
	cr_expect_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	r = client_get(&c, "/api/v1/persons/%lld", person);
	cr_expect_eq(json_array_size(jpath(r.json, "memberships")), 2);
	reply_free(&r);
}

Test(org, a_new_nomination_replaces_the_current_member_in_one_step)
{
	long long id = seat_with(&c, "krat", "fier", "filled");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
	struct reply r = client_req(&c, "POST", path, "{\"name\":\"Ardit Noka\",\"start\":\"2026-03-01\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "replaced.end"), "2026-02-28");
	reply_free(&r);
	r = client_get(&c, "/api/v1/seats/%lld", id);
	cr_expect_str_eq(jstr(r.json, "status"), "filled", "a seat reads as in its body");
	cr_expect_str_eq(jstr(r.json, "member.name"), "Ardit Noka");
	cr_expect_eq(json_array_size(jpath(r.json, "nominations")), 2);
	cr_expect_str_eq(jstr(r.json, "nominations.0.name"), "Ardit Noka");
	cr_expect_str_eq(jstr(r.json, "nominations.1.end"), "2026-02-28");
	reply_free(&r);
	/* A second nomination from the same day clashes. */
	r = client_req(&c, "POST", path, "{\"name\":\"Someone Else\",\"start\":\"2026-03-01\"}");
	cr_expect_eq(r.status, 409);
	cr_expect_str_eq(jstr(r.json, "error.field"), "start");
	reply_free(&r);
}

Test(org, ending_a_membership_leaves_the_seat_vacant_with_a_new_deadline)
{
	long long id = seat_with(&c, "krat", "fier", "filled");
	struct reply r = client_get(&c, "/api/v1/seats/%lld", id);
	long long nom = jint(r.json, "nominations.0.id");
	reply_free(&r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/nominations/%lld", nom);
	r = client_req(&c, "PATCH", path, "{\"end\":\"2026-01-31\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies/%lld", body_id(&c, "krat", "fier"));
	json_t *s = seat_in(r.json, id);
	cr_expect_str_eq(jstr(s, "status"), "overdue");
	cr_expect_str_eq(jstr(s, "deadline"), "2026-02-16", "15 days from the first vacant day, 1.2.2026");
	reply_free(&r);
	r = client_req(&c, "PATCH", path, "{\"end\":\"2020-01-01\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "end");
	reply_free(&r);
}

Test(org, a_county_secretariat_edits_only_its_own_county)
{
	struct client v;
	client_init(&v, &srv);
	client_login(&v, "vlore.secretariat", "demo");
	long long fier_seat = seat_with(&v, "krat", "fier", "overdue");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", fier_seat);
	struct reply r = client_req(&v, "POST", path, "{\"name\":\"Intruder\",\"start\":\"2026-01-01\"}");
	cr_expect_eq(r.status, 403, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.code"), "forbidden");
	reply_free(&r);
	char sql[120];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM nominations WHERE seat_id = %lld", fier_seat);
	cr_expect_eq(db_int(&srv, sql), 0);
	r = client_get(&v, "/api/v1/bodies/%lld", body_id(&v, "krat", "fier"));
	cr_expect(json_is_false(jpath(r.json, "can_edit")));
	reply_free(&r);
	long long vlore_seat = seat_with(&v, "krat", "vlore", "overdue");
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", vlore_seat);
	r = client_req(&v, "POST", path, "{\"name\":\"Rightful Member\",\"start\":\"2026-01-01\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	/* Nor may it touch the Authority. */
	long long auth_seat = seat_with(&v, "authority", NULL, "filled");
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", auth_seat);
	r = client_req(&v, "POST", path, "{\"name\":\"Intruder\",\"start\":\"2026-01-01\"}");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&v);
}

Test(org, members_and_case_workers_read_but_do_not_edit)
{
	static const char *const users[] = {"fier.krat", "fier.table", "fier.caseworker", "ministry.monitor", "dpo"};
	for (size_t i = 0; i < sizeof users / sizeof *users; i++) {
		struct client u;
		client_init(&u, &srv);
		client_login(&u, users[i], "demo");
		long long id = seat_with(&u, "krat", "fier", "overdue");
		cr_expect(id > 0, "%s can read", users[i]);
		char path[80];
		snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
		struct reply r = client_req(&u, "POST", path, "{\"name\":\"X Y\",\"start\":\"2026-01-01\"}");
		cr_expect_eq(r.status, 403, "%s may not nominate", users[i]);
		reply_free(&r);
		client_free(&u);
	}
}

Test(org, the_authority_secretariat_edits_national_bodies)
{
	struct client a;
	client_init(&a, &srv);
	client_login(&a, "authority.secretariat", "demo");
	long long id = seat_with(&a, "authority", NULL, "filled");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
	struct reply r = client_req(&a, "POST", path, "{\"name\":\"New Chair\",\"start\":\"2026-06-01\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	client_free(&a);
}

Test(org, guests_are_recorded_per_body_not_as_seats)
{
	long long b = body_id(&c, "technical_table", "fier");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/guests", b);
	struct reply r = client_req(&c, "POST", path,
				    "{\"name\":\"Prokuroria Fier\",\"organisation\":\"Prokuroria\",\"reason\":\"rasti FR-2025-0007\","
				    "\"start\":\"2026-02-01\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	long long gid = jint(r.json, "id");
	reply_free(&r);
	r = client_get(&c, "/api/v1/bodies/%lld", b);
	cr_expect_eq(json_array_size(jpath(r.json, "guests")), 1);
	cr_expect_eq(jint(r.json, "seat_count"), 24, "a guest is not a seat");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/guests/%lld", gid);
	r = client_req(&c, "PATCH", path, "{\"end\":\"2026-02-01\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
}

Test(org, a_county_secretariat_sets_up_municipal_groups)
{
	struct reply r = client_req(&c, "POST", "/api/v1/bodies", "{\"kind\":\"municipal_group\",\"municipality\":\"patos\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long g = jint(r.json, "id");
	cr_expect_str_eq(jstr(r.json, "county"), "fier");
	reply_free(&r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/seats", g);
	r = client_req(&c, "POST", path, "{\"label\":\"Njësia e mbrojtjes së fëmijës, Patos\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/bodies", "{\"kind\":\"municipal_group\",\"municipality\":\"vlore\"}");
	cr_expect_eq(r.status, 403, "not in Fier");
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/bodies", "{\"kind\":\"krat\",\"municipality\":\"patos\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "kind");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/seats", body_id(&c, "krat", "fier"));
	r = client_req(&c, "POST", path, "{\"label\":\"Extra\"}");
	cr_expect_eq(r.status, 409, "the KRAT's seats are fixed by law");
	reply_free(&r);
}

Test(org, seat_overview_counts_every_county)
{
	struct reply r = client_get(&c, "/api/v1/seats/overview");
	cr_assert_eq(r.status, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 12);
	cr_expect_eq(jint(r.json, "national.seats"), 15);
	long long total = jint(r.json, "total.seats");
	cr_expect_eq(total, db_int(&srv, "SELECT count(*) FROM seats"));
	cr_expect_eq(jint(r.json, "total.filled") + jint(r.json, "total.vacant"), total);
	reply_free(&r);
}

Test(org, persons_are_paginated_by_keyset)
{
	struct reply r = client_get(&c, "/api/v1/persons?limit=5");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 5);
	cr_assert(json_is_string(jpath(r.json, "next")));
	char next[32];
	snprintf(next, sizeof next, "%s", jstr(r.json, "next"));
	long long last = jint(r.json, "items.4.id");
	reply_free(&r);
	r = client_get(&c, "/api/v1/persons?limit=5&after=%s", next);
	cr_expect(jint(r.json, "items.0.id") > last);
	reply_free(&r);
	r = client_get(&c, "/api/v1/persons?q=%s", "%C3%87ELA"); /* "ÇELA" finds "Çela" and "Cela" alike */
	size_t n = json_array_size(jpath(r.json, "items"));
	cr_expect(n >= 1, "%s", r.body);
	reply_free(&r);
	r = client_get(&c, "/api/v1/persons?q=cela");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), n, "diacritics do not matter");
	reply_free(&r);
	r = client_get(&c, "/api/v1/persons?q=zzzz-nobody");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0);
	cr_expect(json_is_null(jpath(r.json, "next")));
	reply_free(&r);
}

Test(org, nobody_sits_on_a_body_before_it_was_established)
{
	long long id = seat_with(&c, "krat", "fier", "overdue");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
	struct reply r = client_req(&c, "POST", path, "{\"name\":\"Dorina Hasa\",\"start\":\"2025-06-26\"}");
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "date_before_body");
	cr_expect_str_eq(jstr(r.json, "error.field"), "start");
	cr_expect_str_eq(jstr(r.json, "error.params.established"), "2025-06-27");
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM persons WHERE name = 'Dorina Hasa'"), 0, "nothing half written");
	r = client_req(&c, "POST", path, "{\"name\":\"Dorina Hasa\",\"start\":\"2025-06-27\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
}

Test(org, a_date_that_does_not_exist_is_called_so)
{
	long long id = seat_with(&c, "krat", "fier", "overdue");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
	struct reply r = client_req(&c, "POST", path, "{\"name\":\"Dorina Hasa\",\"start\":\"2026-02-31\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.key"), "date_nonexistent");
	cr_expect_str_eq(jstr(r.json, "error.message"), "start: this date does not exist");
	reply_free(&r);
	r = client_req(&c, "POST", path, "{\"name\":\"Dorina Hasa\",\"start\":\"31.02.2026\"}");
	cr_expect_str_eq(jstr(r.json, "error.key"), "date_format");
	reply_free(&r);
}

Test(org, a_nomination_from_a_later_day_leaves_the_seat_vacant_until_that_day)
{
	long long id = seat_with(&c, "krat", "fier", "overdue");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", id);
	struct reply r = client_req(&c, "POST", path, "{\"name\":\"Genta Muka\",\"start\":\"2099-03-01\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	r = client_get(&c, "/api/v1/seats/%lld", id);
	cr_expect_str_eq(jstr(r.json, "status"), "overdue", "nominated, but nobody sits there yet: %s", r.body);
	cr_expect(json_is_null(jpath(r.json, "member")));
	cr_expect_str_eq(jstr(r.json, "upcoming.name"), "Genta Muka");
	cr_expect_str_eq(jstr(r.json, "upcoming.start"), "2099-03-01");
	reply_free(&r);
	r = client_get(&c, "/api/v1/nominations/overdue?county=fier");
	int listed = 0;
	size_t i;
	json_t *o;
	json_array_foreach(jpath(r.json, "items"), i, o)
		listed |= jint(o, "seat") == id;
	cr_expect(listed, "still on the overdue list");
	reply_free(&r);
	/* On that day the member sits. */
	client_free(&c);
	server_restart(&srv, "2099-03-01T08:00:00Z");
	client_init(&c, &srv);
	client_login(&c, "fier.secretariat", "demo");
	r = client_get(&c, "/api/v1/seats/%lld", id);
	cr_expect_str_eq(jstr(r.json, "status"), "filled", "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "member.name"), "Genta Muka");
	reply_free(&r);
}

Test(org, no_guest_is_invited_before_the_body_existed)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/guests", body_id(&c, "krat", "fier"));
	struct reply r = client_req(&c, "POST", path, "{\"name\":\"Prokuroria Fier\",\"start\":\"2020-01-01\"}");
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "date_before_body");
	reply_free(&r);
}

/* The registry's smaller operations, each answering with what it did (their reply schemas are
 * held to the OpenAPI document by tests/ui/contract.test.mjs). */
Test(org, a_secretariat_adds_an_institution_corrects_a_person_and_withdraws_a_nomination_made_in_error)
{
	struct reply r = client_req(&c, "POST", "/api/v1/institutions",
				    "{\"type\":\"ngo\",\"name\":\"Qendra Shpresa Fier\",\"county\":\"fier\",\"municipality\":\"fier\"}");
	cr_expect_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "name"), "Qendra Shpresa Fier");
	reply_free(&r);
	r = client_get(&c, "/api/v1/counties/fier");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "slug"), "fier");
	reply_free(&r);
	long long b = body_id(&c, "technical_table", "fier");
	r = client_get(&c, "/api/v1/bodies/%lld/guests", b);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect(json_is_array(jpath(r.json, "items")), "%s", r.body);
	reply_free(&r);
	long long seat = seat_with(&c, "technical_table", "fier", "overdue");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/seats/%lld/nominations", seat);
	r = client_req(&c, "POST", path, "{\"name\":\"Arta Gjoni\",\"start\":\"2026-09-01\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long nom = jint(r.json, "id"), person = jint(r.json, "person");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/persons/%lld", person);
	r = client_req(&c, "PATCH", path, "{\"name\":\"Arta Gjoni-Hoxha\",\"phone\":\"+355 69 000 0000\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "name"), "Arta Gjoni-Hoxha");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/nominations/%lld", nom);
	r = client_req(&c, "DELETE", path, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_get(&c, "/api/v1/seats/%lld", seat);
	cr_expect_str_eq(jstr(r.json, "status"), "overdue", "the seat is vacant again: %s", r.body);
	reply_free(&r);
}
