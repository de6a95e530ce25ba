/* Every route × every role against the expected table of tests/api/permissions.txt: a route
 * answers 403 route_forbidden exactly to the roles its rule does not admit. A route missing
 * from the table, a row for a route that no longer exists, or a role the table does not
 * name, fails until the table says what it may do. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_ROUTES 200
#define MAX_ROLES 16

struct row {
	char method[8], path[96];
	char may[MAX_ROLES]; /* 'y' or '-' per role */
};

static struct server srv;
static char roles[MAX_ROLES][32];
static int nroles;
static struct row rows[MAX_ROUTES];
static int nrows;

/* The demo user of each role (county roles: Fier's). */
static const char *user_of(const char *role)
{
	static const char *const map[][2] = {
		{"admin", "admin"},
		{"authority_chair", "authority.chair"},
		{"authority_member", "authority.member"},
		{"authority_secretariat", "authority.secretariat"},
		{"ministry_monitor", "ministry.monitor"},
		{"dpo", "dpo"},
		{"county_secretariat", "fier.secretariat"},
		{"krat_member", "fier.krat"},
		{"table_member", "fier.table"},
		{"caseworker", "fier.caseworker"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(map[i][0], role) == 0)
			return map[i][1];
	return NULL;
}

static void load_table(void)
{
	FILE *f = fopen("tests/api/permissions.txt", "r");
	cr_assert_not_null(f, "tests/api/permissions.txt");
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *save, *tok = strtok_r(line, " \t\n", &save);
		if (strcmp(tok, "roles") == 0) {
			while ((tok = strtok_r(NULL, " \t\n", &save)) && nroles < MAX_ROLES)
				snprintf(roles[nroles++], sizeof roles[0], "%s", tok);
			continue;
		}
		cr_assert(nrows < MAX_ROUTES);
		struct row *r = &rows[nrows++];
		snprintf(r->method, sizeof r->method, "%s", tok);
		tok = strtok_r(NULL, " \t\n", &save);
		cr_assert_not_null(tok);
		snprintf(r->path, sizeof r->path, "%s", tok);
		int k = 0;
		while ((tok = strtok_r(NULL, " \t\n", &save)) && k < MAX_ROLES)
			r->may[k++] = tok[0];
		cr_assert_eq(k, nroles, "%s %s: one mark per role", r->method, r->path);
	}
	fclose(f);
}

static void setup(void)
{
	load_table();
	server_start(&srv);
}

static void teardown(void)
{
	server_stop(&srv);
}

TestSuite(permissions, .init = setup, .fini = teardown, .timeout = 300);

static json_t *openapi(void)
{
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_get(&c, "/api/v1/openapi.json");
	cr_assert_eq(r.status, 200);
	json_t *doc = json_incref(r.json);
	reply_free(&r);
	client_free(&c);
	return doc;
}

static struct row *find(const char *method, const char *path)
{
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i].method, method) == 0 && strcmp(rows[i].path, path) == 0)
			return &rows[i];
	return NULL;
}

Test(permissions, the_table_names_every_route_and_every_role)
{
	json_t *doc = openapi(), *all = jpath(doc, "x-nrm-roles");
	cr_expect_eq(json_array_size(all), (size_t)nroles, "the server has %zu roles, the table %d", json_array_size(all),
		     nroles);
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v)
		cr_expect(i < (size_t)nroles && strcmp(json_string_value(v), roles[i]) == 0,
			  "role %s is not in the table's header (in this place)", json_string_value(v));
	const char *path, *m;
	json_t *item, *op;
	int seen = 0;
	json_object_foreach(jpath(doc, "paths"), path, item)
		json_object_foreach(item, m, op) {
			char method[8];
			size_t n = 0;
			for (; m[n] && n < sizeof method - 1; n++)
				method[n] = (char)(m[n] & ~0x20);
			method[n] = '\0';
			struct row *r = find(method, path);
			cr_expect_not_null(r, "%s %s (rule %s) is not in tests/api/permissions.txt", method, path,
					   jstr(op, "x-nrm-rule"));
			cr_expect(json_is_string(jpath(op, "x-nrm-rule")), "%s %s names no rule", method, path);
			seen += r != NULL;
		}
	cr_expect_eq(seen, nrows, "the table has rows for routes that no longer exist");
	json_decref(doc);
}

/* A path of the route with its parameters filled by values that name nothing. */
static void concrete(const char *pattern, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = pattern; *p && o + 16 < cap;) {
		if (*p != '{') {
			out[o++] = *p++;
			continue;
		}
		const char *end = strchr(p, '}');
		const char *v = strncmp(p, "{code}", 6) == 0 ? "XX-9999-9999" : strncmp(p, "{slug}", 6) == 0 ? "nowhere" : "999999";
		o += (size_t)snprintf(out + o, cap - o, "%s", v);
		p = end + 1;
	}
	out[o] = '\0';
}

Test(permissions, every_route_answers_every_role_as_the_table_says)
{
	for (int k = 0; k < nroles; k++) {
		const char *user = user_of(roles[k]);
		cr_assert_not_null(user, "no demo user for the role %s: add one to this test", roles[k]);
		struct client c;
		client_init(&c, &srv);
		client_login(&c, user, "demo");
		/* Logging out last, so the session lasts through the others. */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < nrows; i++) {
				struct row *r = &rows[i];
				bool logout = strcmp(r->method, "DELETE") == 0 && strcmp(r->path, "/api/v1/session") == 0;
				if (logout != (pass == 1))
					continue;
				char path[160];
				concrete(r->path, path, sizeof path);
				bool read = strcmp(r->method, "GET") == 0;
				struct reply rep = client_req(&c, r->method, path, read ? NULL : "{}");
				bool refused = rep.status == 403 && strcmp(jstr(rep.json, "error.key"), "route_forbidden") == 0;
				if (r->may[k] == 'y')
					cr_expect(!refused, "%s %s should admit %s: %ld %s", r->method, r->path, roles[k],
						  rep.status, rep.body);
				else
					cr_expect(refused, "%s %s should refuse %s with route_forbidden: %ld %s", r->method,
						  r->path, roles[k], rep.status, rep.body);
				cr_expect_neq(rep.status, 500, "%s %s as %s: %s", r->method, r->path, roles[k], rep.body);
				reply_free(&rep);
			}
		client_free(&c);
	}
}

Test(permissions, the_openapi_document_says_which_roles_each_route_admits)
{
	json_t *doc = openapi();
	for (int i = 0; i < nrows; i++) {
		char m[8];
		size_t n = 0;
		for (; rows[i].method[n]; n++)
			m[n] = (char)(rows[i].method[n] | 0x20);
		m[n] = '\0';
		json_t *op = json_object_get(json_object_get(jpath(doc, "paths"), rows[i].path), m);
		if (!op || strcmp(jstr(op, "x-nrm-rule"), "public") == 0)
			continue;
		for (int k = 0; k < nroles; k++) {
			bool listed = false;
			size_t j;
			json_t *v;
			json_array_foreach(json_object_get(op, "x-nrm-roles"), j, v)
				listed |= strcmp(json_string_value(v), roles[k]) == 0;
			cr_expect_eq(listed, rows[i].may[k] == 'y', "%s %s, %s", rows[i].method, rows[i].path, roles[k]);
		}
	}
	json_decref(doc);
}
