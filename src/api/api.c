/* The route table and the middleware every request passes: a database connection of the
 * serving thread, the session (cookie), the CSRF check, then the resource handler. */
#include "api/api.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "secure/perm.h"
#include "secure/token.h"
#include "store/org.h"
#include "store/user.h"

#define SESSION_IDLE (30 * 60)

static const struct http_route routes[] = {
	{"GET", "/healthz", api_health, API_PUBLIC, 0},
	{"GET", "/api/v1/openapi.json", api_openapi, API_PUBLIC, 0},
	{"POST", "/api/v1/session", api_session_create, API_PUBLIC, 0},
	{"GET", "/api/v1/session", api_session_get, 0, 0},
	{"DELETE", "/api/v1/session", api_session_delete, 0, 0},
	{"PATCH", "/api/v1/me", api_me_update, 0, 0},
	{"POST", "/api/v1/me/password", api_me_password, 0, 0},

	{"GET", "/api/v1/counties", api_counties, 0, 0},
	{"GET", "/api/v1/counties/{slug}", api_county, 0, 0},
	{"GET", "/api/v1/municipalities", api_municipalities, 0, 0},
	{"GET", "/api/v1/institution-types", api_institution_types, 0, 0},
	{"GET", "/api/v1/institutions", api_institutions, 0, 0},
	{"POST", "/api/v1/institutions", api_institution_create, 0, 0},
	{"GET", "/api/v1/bodies", api_bodies, 0, 0},
	{"POST", "/api/v1/bodies", api_body_create, 0, 0},
	{"GET", "/api/v1/bodies/{id}", api_body_show, 0, 0},
	{"POST", "/api/v1/bodies/{id}/seats", api_seat_create, 0, 0},
	{"GET", "/api/v1/bodies/{id}/guests", api_guests, 0, 0},
	{"POST", "/api/v1/bodies/{id}/guests", api_guest_create, 0, 0},
	{"PATCH", "/api/v1/guests/{id}", api_guest_update, 0, 0},
	{"GET", "/api/v1/seats/overview", api_seats_overview, 0, 0},
	{"GET", "/api/v1/seats/{id}", api_seat, 0, 0},
	{"POST", "/api/v1/seats/{id}/nominations", api_nomination_create, 0, 0},
	{"GET", "/api/v1/nominations/overdue", api_nominations_overdue, 0, 0},
	{"PATCH", "/api/v1/nominations/{id}", api_nomination_update, 0, 0},
	{"DELETE", "/api/v1/nominations/{id}", api_nomination_delete, 0, 0},
	{"GET", "/api/v1/persons", api_persons, 0, 0},
	{"GET", "/api/v1/persons/{id}", api_person, 0, 0},
	{"PATCH", "/api/v1/persons/{id}", api_person_update, 0, 0},

	{"GET", "/api/v1/agreements", api_agreements, 0, 0},
	{"POST", "/api/v1/agreements", api_agreement_create, 0, 0},
	{"GET", "/api/v1/agreements/{id}", api_agreement, 0, 0},
	{"PATCH", "/api/v1/agreements/{id}", api_agreement_update, 0, 0},
	{"PUT", "/api/v1/agreements/{id}/document", api_agreement_document_put, 0, 10 * 1024 * 1024},
	{"GET", "/api/v1/agreements/{id}/document", api_agreement_document_get, 0, 0},

	{"GET", "/api/v1/forms/case", api_case_form, 0, 0},
	{"POST", "/api/v1/cases", api_case_create, 0, 256 * 1024},
	{"GET", "/api/v1/cases", api_cases, 0, 0},
	{"GET", "/api/v1/cases/stats", api_case_stats, 0, 0},
	{"POST", "/api/v1/cases/search", api_case_search, 0, 0},
	{"GET", "/api/v1/cases/{code}", api_case, 0, 0},
	{"PATCH", "/api/v1/cases/{code}", api_case_update, 0, 256 * 1024},
	{"GET", "/api/v1/cases/{code}/personal", api_case_personal, 0, 0},
	{"POST", "/api/v1/cases/{code}/transitions", api_case_transition, 0, 256 * 1024},
	{"GET", "/api/v1/cases/{code}/events", api_case_events, 0, 0},
	{"POST", "/api/v1/cases/{code}/referrals", api_case_refer, 0, 0},
	{"POST", "/api/v1/cases/{code}/dedup", api_case_dedup, 0, 0},
	{"GET", "/api/v1/referrals", api_referrals, 0, 0},
	{"POST", "/api/v1/referrals/{id}/accept", api_referral_accept, 0, 0},
	{"POST", "/api/v1/referrals/{id}/decline", api_referral_decline, 0, 0},
	{"GET", "/api/v1/duplicates", api_duplicates, 0, 0},
	{"POST", "/api/v1/duplicates/{id}/merge", api_duplicate_merge, 0, 0},
	{"POST", "/api/v1/duplicates/{id}/dismiss", api_duplicate_dismiss, 0, 0},
	{"POST", "/api/v1/bodies/{id}/meetings", api_meeting_create, 0, 0},
	{"GET", "/api/v1/bodies/{id}/meetings", api_meetings, 0, 0},
	{"GET", "/api/v1/meetings/{id}", api_meeting, 0, 0},

	{"GET", "/api/v1/users", api_users, 0, 0},
	{"POST", "/api/v1/users", api_user_create, 0, 0},
	{"GET", "/api/v1/users/{id}", api_user, 0, 0},
	{"PATCH", "/api/v1/users/{id}", api_user_update, 0, 0},
	{"GET", "/api/v1/audit", api_audit, 0, 0},
};

static struct api_config config;
static pthread_key_t db_key;
static pthread_once_t db_once = PTHREAD_ONCE_INIT;

const struct api_config *api_config(void)
{
	return &config;
}

static void close_db(void *p)
{
	store_close(p);
}

static void make_key(void)
{
	pthread_key_create(&db_key, close_db);
}

/* One connection per serving thread, opened on first use and closed when the thread ends. */
static struct store *thread_db(void)
{
	pthread_once(&db_once, make_key);
	struct store *s = pthread_getspecific(db_key);
	if (s)
		return s;
	struct nrm_err err = {0};
	if (store_open(config.db_path, &s, &err) != 0) {
		http_log("error", "cannot open database", "detail", err.msg, NULL);
		return NULL;
	}
	pthread_setspecific(db_key, s);
	return s;
}

static int status_of(int rc)
{
	switch (rc) {
	case NRM_EINVAL: return 400;
	case NRM_EAUTH: return 401;
	case NRM_EFORBIDDEN: return 403;
	case NRM_ENOTFOUND: return 404;
	case NRM_ECONFLICT: case NRM_EEXIST: return 409;
	case NRM_ETOOBIG: return 413;
	case NRM_ELOCKED: return 423;
	case NRM_EBUSY: return 503;
	default: return 500;
	}
}

void api_error(struct http_resp *resp, int rc, const struct nrm_err *err)
{
	const char *msg = err && err->msg[0] ? err->msg : NULL;
	if (!msg) {
		switch (rc) {
		case NRM_ENOTFOUND: msg = "not found"; break;
		case NRM_EFORBIDDEN: msg = "your role does not allow this"; break;
		case NRM_ECONFLICT: msg = "the record was changed meanwhile or clashes with another; reload and try again"; break;
		case NRM_EEXIST: msg = "it exists already"; break;
		case NRM_EAUTH: msg = "log in first"; break;
		case NRM_EBUSY: msg = "the server is busy; try again in a moment"; break;
		default: msg = "internal error"; break;
		}
	}
	if (status_of(rc) == 500)
		http_log("error", "internal error", "detail", msg, NULL);
	http_reply_error(resp, status_of(rc), nrm_err_name(rc), err ? err->field : NULL, msg);
	if (rc == NRM_EBUSY)
		http_add_header(resp, "Retry-After", "1");
}

void api_reply(struct http_resp *resp, int rc, const struct nrm_err *err, int status, json_t **row)
{
	if (rc) {
		api_error(resp, rc, err);
		return;
	}
	http_reply_json(resp, status, *row);
	*row = NULL;
}

void api_fail(struct http_resp *resp, int rc, const char *field, const char *fmt, ...)
{
	struct nrm_err err = {.code = rc};
	snprintf(err.field, sizeof err.field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof err.msg, fmt, ap);
	va_end(ap);
	api_error(resp, rc, &err);
}

/* Reads the session cookie into ctx; 0 when there is a live session. */
static int load_session(struct http_req *req, struct api_ctx *c, int *expired)
{
	const char *tok = http_cookie(req, "nrm_session");
	*expired = 0;
	if (!tok || strlen(tok) >= 128)
		return NRM_EAUTH;
	secure_token_hash(tok, c->token_hash);
	int64_t now = (int64_t)time(NULL);
	json_t *row;
	if (store_session_get(c->db, c->token_hash, now, &row) != 0) {
		*expired = 1;
		return NRM_EAUTH;
	}
	int64_t last = api_int(row, "last_seen");
	if (last + SESSION_IDLE < now) {
		json_decref(row);
		store_session_delete(c->db, c->token_hash);
		*expired = 1;
		return NRM_EAUTH;
	}
	if (now - last >= 60)
		store_session_touch(c->db, c->token_hash, now);
	c->authed = secure_principal_of(row, &c->me) == 0;
	snprintf(c->csrf, sizeof c->csrf, "%s", api_str(row, "csrf"));
	json_decref(row);
	return c->authed ? 0 : NRM_EAUTH;
}

static void dispatch(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx c = {0};
	c.today = date_tirane_today(time(NULL));
	req->ctx = &c;
	c.db = thread_db();
	if (!c.db) {
		api_fail(resp, NRM_EIO, NULL, "database unavailable");
		return;
	}
	if (!(req->route->flags & API_PUBLIC)) {
		int expired;
		if (load_session(req, &c, &expired) != 0) {
			if (expired)
				http_reply_error(resp, 401, "session_expired", NULL, "your session has expired; log in again");
			else
				api_fail(resp, NRM_EAUTH, NULL, "log in first");
			return;
		}
		req->user_id = c.me.id;
		bool safe = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
		const char *token = http_header(req, "X-CSRF-Token");
		if (!safe && (!token || !secure_streq(token, c.csrf))) {
			http_reply_error(resp, 403, "csrf", NULL, "missing or wrong X-CSRF-Token header; reload the page");
			return;
		}
	}
	req->route->fn(req, resp);
	if (c.db->in_tx)
		store_rollback(c.db);
	req->ctx = NULL;
}

/* An OpenAPI 3 outline made from the route table itself, so it cannot drift from it. */
void api_openapi(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	json_t *paths = json_object();
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
		const struct http_route *r = &routes[i];
		json_t *item = json_object_get(paths, r->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		char method[8];
		size_t n = 0;
		for (; r->method[n] && n < sizeof method - 1; n++)
			method[n] = (char)(r->method[n] | 0x20);
		method[n] = '\0';
		json_t *op = json_pack("{s:{s:{s:s}, s:{s:s}}}", "responses", "200", "description", "success", "default",
				       "description", "error: {\"error\": {code, message, field}}");
		if (r->flags & API_PUBLIC)
			json_object_set_new(op, "security", json_array());
		json_object_set_new(item, method, op);
	}
	http_reply_json(resp, 200,
			json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}}}, s:[{s:[]}]}", "openapi", "3.0.3",
				  "info", "title", "nrm API", "version", NRM_VERSION, "description",
				  "National Referral Mechanism information system; see docs/api.md", "paths", paths,
				  "components", "securitySchemes", "session", "type", "apiKey", "in", "cookie", "name",
				  "nrm_session", "security", "session"));
}

/* Before reading a body: a request to a route that needs a session and carries no session
 * cookie is refused at once. The session itself is checked in dispatch. */
static int admit(struct http_req *req, struct http_resp *resp)
{
	if (req->route->flags & API_PUBLIC)
		return 0;
	const char *tok = http_cookie(req, "nrm_session");
	if (tok && *tok)
		return 0;
	api_fail(resp, NRM_EAUTH, NULL, "log in first");
	return -1;
}

int api_start(const struct api_config *cfg, const char *host, int port, struct http_server **srv, int *bound)
{
	config = *cfg;
	struct http_config hc = {
		.host = host,
		.port = port,
		.routes = routes,
		.nroutes = sizeof routes / sizeof *routes,
		.dispatch = dispatch,
		.admit = admit,
		.static_dir = cfg->web_dir,
	};
	return http_server_start(&hc, srv, bound);
}

/* ---- shared helpers ---- */

int64_t api_int(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

const char *api_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

int api_body(struct http_req *req, struct http_resp *resp, json_t **out)
{
	json_error_t je;
	/* Only JSON: a cross-site HTML form cannot send it, so no login CSRF through text/plain. */
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncmp(ct, "application/json", 16) != 0) {
		http_reply_error(resp, 415, "unsupported_media_type", NULL, "send the request body as application/json");
		return -1;
	}
	if (!req->body.len) {
		api_fail(resp, NRM_EINVAL, NULL, "request body must be a JSON object");
		return -1;
	}
	json_t *j = json_loadb(req->body.p, req->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		http_reply_error(resp, 400, "invalid_json", NULL,
				 j ? "request body must be a JSON object" : "request body is not valid JSON");
		return -1;
	}
	*out = j;
	return 0;
}

int api_path_id(struct http_req *req, struct http_resp *resp, size_t i, int64_t *id)
{
	const char *s = http_param(req, i);
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0) {
		api_fail(resp, NRM_ENOTFOUND, NULL, "not found");
		return -1;
	}
	*id = v;
	return 0;
}

static int parse_uint(const char *s, long long max, long long *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int api_page(struct http_req *req, struct http_resp *resp, int64_t *after, int *limit)
{
	const char *a = http_query(req, "after"), *l = http_query(req, "limit");
	long long av = 0, lv = 100;
	if (a && parse_uint(a, INT64_MAX, &av)) {
		api_fail(resp, NRM_EINVAL, "after", "after must be a cursor from a previous page");
		return -1;
	}
	if (l && (parse_uint(l, 500, &lv) || lv < 1)) {
		api_fail(resp, NRM_EINVAL, "limit", "limit must be a number from 1 to 500");
		return -1;
	}
	*after = av;
	*limit = (int)lv;
	return 0;
}

void api_reply_page(struct http_resp *resp, json_t *items, int limit)
{
	json_t *next = json_null();
	size_t n = json_array_size(items);
	if (limit > 0 && n == (size_t)limit) {
		char cur[24];
		snprintf(cur, sizeof cur, "%lld", (long long)api_int(json_array_get(items, n - 1), "id"));
		next = json_string(cur);
	}
	http_reply_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

void api_reply_items(struct http_resp *resp, json_t *items)
{
	http_reply_json(resp, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

int api_query_county(struct http_req *req, struct http_resp *resp, int64_t *county)
{
	const char *slug = http_query(req, "county");
	*county = 0;
	if (!slug || !*slug)
		return 0;
	if (store_county_id(api_ctx(req)->db, slug, county) != 0) {
		api_fail(resp, NRM_EINVAL, "county", "unknown county; use one of the 12 county slugs, e.g. fier");
		return -1;
	}
	return 0;
}

json_t *api_pick(json_t *src, const char *const *keys)
{
	json_t *o = json_object();
	for (; *keys; keys++) {
		json_t *v = json_object_get(src, *keys);
		if (v)
			json_object_set(o, *keys, v);
	}
	return o;
}
