/* Harness: request paths and query strings. The input is "METHOD PATH?QUERY" as text (a
 * method other than GET, HEAD, POST, PUT, PATCH, DELETE is read as GET). The path is
 * percent-decoded as the server decodes it and matched against the real route table (with the
 * list of allowed methods for a 405); path parameters are read as the handlers read them. The
 * query is split and decoded, and its values go where the handlers send them: pagination,
 * county slug, period, dates and the filters of the case list, the figures (two-way table,
 * standard table, a period's figures), the registers' and reports' lists and the compliance
 * matrix — all read-only, acting as the Authority's secretariat on the demo database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "case/case.h"
#include "core/date.h"
#include "core/period.h"
#include "fuzz.h"
#include "meeting/meeting.h"
#include "org/org.h"
#include "prevention/prevention.h"
#include "report/report.h"
#include "stats/stats.h"
#include "store/case.h"

#define MAXQ 16

struct query {
	char *key[MAXQ], *val[MAXQ];
	size_t n;
};

static const char *q_get(const struct query *q, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->key[i], key) == 0)
			return q->val[i];
	return NULL;
}

/* Splits s (modified) at & and =, and decodes each part; later copies of a key are ignored
 * by q_get, as libmicrohttpd's lookup answers the first. */
static void q_parse(char *s, struct query *q)
{
	q->n = 0;
	for (char *tok; (tok = strsep(&s, "&")) && q->n < MAXQ;) {
		if (!*tok)
			continue;
		char *eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		for (char *p = eq; p && *p; p++)
			if (*p == '+')
				*p = ' ';
		http_unescape(tok);
		if (eq)
			http_unescape(eq);
		q->key[q->n] = tok;
		q->val[q->n++] = eq ? eq : "";
	}
}

static struct principal me;
static struct nrm_ctx ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_init(false);
	fuzz_quiet();
	fuzz_act("authority.secretariat", &me, &ctx);
	return 0;
}

static void drop(json_t *j)
{
	json_decref(j);
}

/* What the handler of route r does with the query and parameters, minus the reply. */
static void use(const struct http_route *r, const struct http_req *req, const struct query *q)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t after, county = 0;
	int limit;
	const char *p = r->pattern;
	if (api_page_parse(q_get(q, "after"), q_get(q, "limit"), &after, &limit, &err) != 0)
		return;
	if (org_county_id(&ctx, q_get(q, "county"), "county", &county, &err) != 0)
		county = 0;
	const char *period = q_get(q, "period");
	if (period) {
		struct period pd;
		period_parse(period, "period", &pd, &err);
	}
	if (strcmp(p, "/api/v1/cases") == 0) {
		struct case_filter f = {.child = -1, .county = county, .code = q_get(q, "code"), .stage = q_get(q, "stage"),
					.status = q_get(q, "status"), .from = q_get(q, "from"), .to = q_get(q, "to"),
					.exploitation = q_get(q, "exploitation")};
		int32_t d;
		if ((f.from && date_field(f.from, "from", &d, &err)) || (f.to && date_field(f.to, "to", &d, &err)))
			return;
		if (case_list(&ctx, &f, after, limit, &out, &err) == 0)
			drop(out);
	} else if (strcmp(p, "/api/v1/stats") == 0) {
		struct stats_query sq = {.period = period, .rows = q_get(q, "rows"), .cols = q_get(q, "cols"),
					 .county = q_get(q, "county"), .measure = q_get(q, "measure"),
					 .audience = q_get(q, "audience")};
		if (stats_twoway(&ctx, &sq, &out, &err) == 0)
			drop(out);
	} else if (strcmp(p, "/api/v1/stats/tables/{name}") == 0) {
		if (stats_table(&ctx, req->params[0], period, q_get(q, "county"), q_get(q, "audience"), &out, &err) == 0) {
			struct buf b = {0};
			const char *lang = q_get(q, "lang");
			stats_table_csv(out, lang && strcmp(lang, "en") == 0 ? "en" : "sq", &b);
			buf_free(&b);
			drop(out);
		}
	} else if (strcmp(p, "/api/v1/stats/figures") == 0) {
		if (stats_figures(&ctx, period, q_get(q, "county"), q_get(q, "audience"), &out, &err) == 0)
			drop(out);
	} else if (strcmp(p, "/api/v1/registers/{name}/entries") == 0) {
		struct reg_filter f = {.county = q_get(q, "county"), .period = period, .parent = q_get(q, "parent"),
				       .after = after, .limit = limit};
		if (reg_list(&ctx, req->params[0], &f, &out, &err) == 0)
			drop(out);
	} else if (strcmp(p, "/api/v1/reports") == 0) {
		if (report_list(&ctx, q_get(q, "county"), q_get(q, "type"), after, limit, &out, &err) == 0)
			drop(out);
	} else if (strcmp(p, "/api/v1/compliance/meetings") == 0) {
		if (meeting_compliance_matrix(&ctx, q_get(q, "year"), &out, &err) == 0)
			drop(out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", NULL};
	if (size > 4096 || memchr(data, 0, size))
		return 0; /* a URL holds no NUL: libmicrohttpd hands over C strings */
	char *s = fuzz_strndup(data, size);
	char *sp = strchr(s, ' ');
	const char *method = "GET";
	char *url = s;
	if (sp) {
		*sp = '\0';
		for (const char *const *m = methods; *m; m++)
			if (strcmp(*m, s) == 0)
				method = *m;
		url = sp + 1;
	}
	char *qs = strchr(url, '?');
	if (qs)
		*qs++ = '\0';
	http_unescape(url);
	size_t n;
	const struct http_route *routes = api_routes(&n);
	struct http_req req = {0};
	struct buf allow = {0};
	const struct http_route *r = http_route_find(routes, n, method, url, &req, &allow);
	if (!r && allow.len == 0 && http_route_find(routes, n, "GET", url, NULL, NULL))
		abort(); /* a path of a GET route must be allowed for GET */
	buf_free(&allow);
	if (r) {
		if (req.nparams > HTTP_MAX_PARAMS)
			abort();
		struct query q;
		q_parse(qs ? qs : (char[]){""}, &q);
		if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
			use(r, &req, &q);
		for (size_t i = 0; i < req.nparams; i++)
			free(req.params[i]);
	}
	free(s);
	return 0;
}
