/* Agreements (Order 94 §1.3) and their signed documents. */
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
TestSuite(agreements, .init = setup, .fini = teardown, .timeout = 120);

static long long create(void)
{
	struct reply r = client_req(&c, "POST", "/api/v1/agreements",
				    "{\"county\":\"fier\",\"counterpart_kind\":\"prosecution_appeal\","
				    "\"counterpart\":\"Prokuroria pranë Gjykatës së Apelit Vlorë\",\"title\":\"Memorandum\","
				    "\"signed\":\"2025-11-03\",\"valid_until\":\"2027-11-02\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	cr_expect_eq(jint(r.json, "version"), 1);
	reply_free(&r);
	return id;
}

Test(agreements, create_read_and_list)
{
	long long id = create();
	struct reply r = client_get(&c, "/api/v1/agreements/%lld", id);
	cr_expect_eq(r.status, 200);
	cr_expect_str_eq(jstr(r.json, "counterpart_kind"), "prosecution_appeal");
	cr_expect(json_is_null(jpath(r.json, "document")));
	cr_expect(json_is_true(jpath(r.json, "can_edit")));
	reply_free(&r);
	r = client_get(&c, "/api/v1/agreements?county=fier");
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 3, "two demo agreements and the new one");
	reply_free(&r);
}

Test(agreements, bad_fields_are_named)
{
	struct reply r = client_req(&c, "POST", "/api/v1/agreements",
				    "{\"county\":\"fier\",\"counterpart_kind\":\"church\",\"counterpart\":\"X\",\"title\":\"T\",\"signed\":\"2025-01-01\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "counterpart_kind");
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/agreements",
		       "{\"county\":\"fier\",\"counterpart_kind\":\"ngo_other\",\"counterpart\":\"X\",\"title\":\"T\",\"signed\":\"2025-01-01\",\"valid_until\":\"2024-01-01\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "valid_until");
	reply_free(&r);
	r = client_req(&c, "POST", "/api/v1/agreements", "{\"county\":\"fier\",\"counterpart_kind\":\"ngo_other\",\"title\":\"T\",\"signed\":\"2025-01-01\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "counterpart");
	reply_free(&r);
}

Test(agreements, stale_versions_are_refused)
{
	long long id = create();
	char path[64];
	snprintf(path, sizeof path, "/api/v1/agreements/%lld", id);
	struct reply r = client_req(&c, "PATCH", path, "{\"version\":1,\"title\":\"Memorandum (rishikuar)\"}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(jint(r.json, "version"), 2);
	reply_free(&r);
	r = client_req(&c, "PATCH", path, "{\"version\":1,\"title\":\"Lost update\"}");
	cr_expect_eq(r.status, 409);
	cr_expect_str_eq(jstr(r.json, "error.field"), "version");
	reply_free(&r);
	r = client_get(&c, "/api/v1/agreements/%lld", id);
	cr_expect_str_eq(jstr(r.json, "title"), "Memorandum (rishikuar)");
	reply_free(&r);
}

Test(agreements, the_signed_document_uploads_and_downloads_intact)
{
	long long id = create();
	char path[80];
	snprintf(path, sizeof path, "/api/v1/agreements/%lld/document", id);
	static const char pdf[] = "%PDF-1.4\n% test document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
	static const char *const h[] = {"Content-Type: application/pdf", "X-Filename: memorandum%20Fier.pdf", NULL};
	struct reply r = client_raw(&c, "PUT", path, pdf, sizeof pdf - 1, h);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "document.filename"), "memorandum Fier.pdf");
	cr_expect_eq(jint(r.json, "document.size"), (long long)(sizeof pdf - 1));
	reply_free(&r);
	r = client_get(&c, "%s", path);
	cr_expect_eq(r.status, 200);
	cr_assert_eq(r.len, sizeof pdf - 1);
	cr_expect_eq(memcmp(r.body, pdf, r.len), 0);
	cr_expect_not_null(strstr(r.headers, "Content-Type: application/pdf"));
	cr_expect_not_null(strstr(r.headers, "attachment; filename*=UTF-8''memorandum%20Fier.pdf"));
	reply_free(&r);
	static const char *const fake[] = {"Content-Type: application/pdf", "X-Filename: x.pdf", NULL};
	r = client_raw(&c, "PUT", path, "not a pdf", 9, fake);
	cr_expect_eq(r.status, 400);
	reply_free(&r);
	static const char *const exe[] = {"Content-Type: application/x-msdownload", "X-Filename: x.exe", NULL};
	r = client_raw(&c, "PUT", path, "MZ", 2, exe);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "Content-Type");
	reply_free(&r);
}

Test(agreements, other_counties_neither_see_nor_change_them)
{
	long long id = create();
	struct client v;
	client_init(&v, &srv);
	client_login(&v, "vlore.secretariat", "demo");
	struct reply r = client_get(&v, "/api/v1/agreements/%lld", id);
	cr_expect_eq(r.status, 404);
	reply_free(&r);
	r = client_get(&v, "/api/v1/agreements?county=fier");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	r = client_req(&v, "POST", "/api/v1/agreements",
		       "{\"county\":\"fier\",\"counterpart_kind\":\"ngo_other\",\"counterpart\":\"X\",\"title\":\"T\",\"signed\":\"2025-01-01\"}");
	cr_expect_eq(r.status, 403);
	reply_free(&r);
	client_free(&v);
	struct client m;
	client_init(&m, &srv);
	client_login(&m, "ministry.monitor", "demo");
	r = client_get(&m, "/api/v1/agreements/%lld", id);
	cr_expect_eq(r.status, 200, "the Ministry monitors all counties");
	cr_expect(json_is_false(jpath(r.json, "can_edit")));
	reply_free(&r);
	client_free(&m);
}
