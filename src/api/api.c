/* The route table and the middleware every request passes: a database connection from the
 * pool, the session (cookie), the CSRF check, then the resource handler. */
#include "api/api.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"
#include "org/org.h"
#include "secure/perm.h"
#include "store/db.h"
#include "user/user.h"

#define PUB RULE_PUBLIC
#define ANY RULE_SIGNED_IN

static const struct http_route routes[] = {
	{"GET", "/healthz", api_health, PUB, 0},
	{"GET", "/metrics", api_metrics, PUB, 0},
	{"GET", "/api/v1/openapi.json", api_openapi, PUB, 0},
	{"POST", "/api/v1/session", api_session_create, PUB, 0},
	{"GET", "/api/v1/session", api_session_get, ANY, 0},
	{"DELETE", "/api/v1/session", api_session_delete, ANY, 0},
	{"PATCH", "/api/v1/me", api_me_update, ANY, 0},
	{"POST", "/api/v1/me/password", api_me_password, ANY, 0},
	{"POST", "/api/v1/session/code", api_session_code, ANY, 0},
	{"POST", "/api/v1/me/totp", api_totp_begin, ANY, 0},
	{"GET", "/api/v1/me/totp/qr.svg", api_totp_qr, ANY, 0},
	{"POST", "/api/v1/me/totp/confirm", api_totp_confirm, ANY, 0},
	{"POST", "/api/v1/me/calendar", api_feed_create, ANY, 0},
	{"DELETE", "/api/v1/me/calendar", api_feed_delete, ANY, 0},
	{"GET", "/api/v1/calendar/{file}", api_feed, RULE_PUBLIC, 0},
	{"GET", "/api/v1/labels", api_labels, ANY, 0},

	{"GET", "/api/v1/counties", api_counties, ANY, 0},
	{"GET", "/api/v1/counties/{slug}", api_county, ANY, 0},
	{"GET", "/api/v1/municipalities", api_municipalities, ANY, 0},
	{"GET", "/api/v1/institution-types", api_institution_types, ANY, 0},
	{"GET", "/api/v1/institutions", api_institutions, ANY, 0},
	{"POST", "/api/v1/institutions", api_institution_create, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/bodies", api_bodies, ANY, 0},
	{"POST", "/api/v1/bodies", api_body_create, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/bodies/{id}", api_body_show, ANY, 0},
	{"POST", "/api/v1/bodies/{id}/seats", api_seat_create, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/bodies/{id}/guests", api_guests, ANY, 0},
	{"POST", "/api/v1/bodies/{id}/guests", api_guest_create, RULE_ORG_EDIT, 0},
	{"PATCH", "/api/v1/guests/{id}", api_guest_update, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/seats/overview", api_seats_overview, ANY, 0},
	{"GET", "/api/v1/seats/{id}", api_seat, ANY, 0},
	{"POST", "/api/v1/seats/{id}/nominations", api_nomination_create, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/nominations/overdue", api_nominations_overdue, ANY, 0},
	{"PATCH", "/api/v1/nominations/{id}", api_nomination_update, RULE_ORG_EDIT, 0},
	{"DELETE", "/api/v1/nominations/{id}", api_nomination_delete, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/persons", api_persons, ANY, 0},
	{"GET", "/api/v1/persons/{id}", api_person, ANY, 0},
	{"PATCH", "/api/v1/persons/{id}", api_person_update, RULE_ORG_EDIT, 0},

	{"GET", "/api/v1/agreements", api_agreements, ANY, 0},
	{"POST", "/api/v1/agreements", api_agreement_create, RULE_AGREEMENT_EDIT, 0},
	{"GET", "/api/v1/agreements/{id}", api_agreement, ANY, 0},
	{"PATCH", "/api/v1/agreements/{id}", api_agreement_update, RULE_AGREEMENT_EDIT, 0},
	{"PUT", "/api/v1/agreements/{id}/document", api_agreement_document_put, RULE_AGREEMENT_EDIT, 10 * 1024 * 1024},
	{"GET", "/api/v1/agreements/{id}/document", api_agreement_document_get, ANY, 0},

	{"GET", "/api/v1/forms/case", api_case_form, ANY, 0},
	{"POST", "/api/v1/cases", api_case_create, RULE_CASE_WORK, 256 * 1024},
	{"GET", "/api/v1/cases", api_cases, RULE_CASES_READ, 0},
	{"POST", "/api/v1/cases/search", api_case_search, RULE_PERSONAL, 0},
	{"GET", "/api/v1/cases/{code}", api_case, RULE_CASES_READ, 0},
	{"PATCH", "/api/v1/cases/{code}", api_case_update, RULE_CASE_WORK, 256 * 1024},
	{"POST", "/api/v1/cases/{code}/personal", api_case_personal, RULE_PERSONAL, 0},
	{"POST", "/api/v1/cases/{code}/print", api_case_print, RULE_CASES_READ, 0},
	{"POST", "/api/v1/cases/{code}/transitions", api_case_transition, RULE_CASE_WORK, 256 * 1024},
	{"GET", "/api/v1/cases/{code}/events", api_case_events, RULE_CASES_READ, 0},
	{"POST", "/api/v1/cases/{code}/referrals", api_case_refer, RULE_CASE_WORK, 0},
	{"POST", "/api/v1/cases/{code}/dedup", api_case_dedup, RULE_AUTHORITY, 0},
	{"GET", "/api/v1/referrals", api_referrals, RULE_CASE_WORK, 0},
	{"POST", "/api/v1/referrals/{id}/accept", api_referral_accept, RULE_CASE_WORK, 0},
	{"POST", "/api/v1/referrals/{id}/decline", api_referral_decline, RULE_CASE_WORK, 0},
	{"GET", "/api/v1/duplicates", api_duplicates, RULE_AUTHORITY, 0},
	{"POST", "/api/v1/duplicates/{id}/merge", api_duplicate_merge, RULE_AUTHORITY, 0},
	{"POST", "/api/v1/duplicates/{id}/dismiss", api_duplicate_dismiss, RULE_AUTHORITY, 0},
	{"POST", "/api/v1/bodies/{id}/meetings", api_meeting_create, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/bodies/{id}/meetings", api_meetings, ANY, 0},
	{"GET", "/api/v1/meetings/{id}", api_meeting, ANY, 0},
	{"PATCH", "/api/v1/meetings/{id}", api_meeting_update, RULE_ORG_EDIT, 0},
	{"POST", "/api/v1/meetings/{id}/cancel", api_meeting_cancel, RULE_ORG_EDIT, 0},
	{"PUT", "/api/v1/meetings/{id}/agenda", api_meeting_agenda, RULE_ORG_EDIT, 256 * 1024},
	{"PUT", "/api/v1/meetings/{id}/attendance", api_meeting_attendance, RULE_ORG_EDIT, 0},
	{"POST", "/api/v1/meetings/{id}/decisions", api_meeting_decide, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/meetings/{id}/minutes", api_meeting_minutes, ANY, 0},
	{"PUT", "/api/v1/meetings/{id}/minutes", api_meeting_minutes_set, RULE_ORG_EDIT, 512 * 1024},
	{"POST", "/api/v1/meetings/{id}/minutes/approve", api_meeting_minutes_approve, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/meetings/{id}/ics", api_meeting_ics, ANY, 0},
	{"POST", "/api/v1/meetings/{id}/notice", api_meeting_notice, RULE_ORG_EDIT, 0},
	{"POST", "/api/v1/meetings/{id}/materials", api_material_add, RULE_ORG_EDIT, 10 * 1024 * 1024},
	{"GET", "/api/v1/meetings/{id}/materials/{doc}", api_material_get, ANY, 0},
	{"PUT", "/api/v1/correspondence/{id}/document", api_letter_file_put, RULE_ORG_EDIT, 10 * 1024 * 1024},
	{"GET", "/api/v1/correspondence/{id}/document", api_letter_file_get, ANY, 0},
	{"GET", "/api/v1/bodies/{id}/documents", api_body_documents, ANY, 0},
	{"POST", "/api/v1/bodies/{id}/documents", api_body_document_create, RULE_ORG_EDIT, 0},
	{"PUT", "/api/v1/body-documents/{id}/file", api_body_document_file_put, RULE_ORG_EDIT, 10 * 1024 * 1024},
	{"GET", "/api/v1/body-documents/{id}/file", api_body_document_file_get, ANY, 0},
	{"GET", "/api/v1/bodies/{id}/correspondence", api_letters, ANY, 0},
	{"POST", "/api/v1/bodies/{id}/correspondence", api_letter_create, RULE_ORG_EDIT, 0},
	{"GET", "/api/v1/notifications", api_notifications, ANY, 0},
	{"POST", "/api/v1/notifications/{id}/read", api_notification_read, ANY, 0},
	{"POST", "/api/v1/notifications/read-all", api_notifications_read_all, ANY, 0},
	{"GET", "/api/v1/home", api_home, ANY, 0},
	{"GET", "/api/v1/drafts", api_drafts, ANY, 0},
	{"GET", "/api/v1/drafts/{form}/{key}", api_draft_get, ANY, 0},
	{"PUT", "/api/v1/drafts/{form}/{key}", api_draft_put, ANY, 256 * 1024},
	{"DELETE", "/api/v1/drafts/{form}/{key}", api_draft_delete, ANY, 0},
	{"GET", "/api/v1/bodies/{id}/compliance", api_body_compliance, ANY, 0},
	{"GET", "/api/v1/compliance/meetings", api_compliance_matrix, ANY, 0},
	{"GET", "/api/v1/scorecard", api_scorecard, ANY, 0},
	{"GET", "/api/v1/scorecard/xlsx", api_scorecard_xlsx, ANY, 0},
	{"GET", "/api/v1/scorecard/pdf", api_scorecard_pdf, ANY, 0},
	{"GET", "/api/v1/scorecard/csv", api_scorecard_csv, ANY, 0},
	{"GET", "/api/v1/scorecard/seats-overdue", api_scorecard_seats_overdue, ANY, 0},
	{"GET", "/api/v1/scorecard/agreements-missing", api_scorecard_agreements_missing, ANY, 0},
	{"GET", "/api/v1/tasks", api_tasks, ANY, 0},
	{"GET", "/api/v1/tasks/{id}", api_task, ANY, 0},
	{"POST", "/api/v1/tasks/{id}/status", api_task_move, ANY, 0},

	{"GET", "/api/v1/registers", api_registers, ANY, 0},
	{"GET", "/api/v1/registers/{name}", api_register, ANY, 0},
	{"GET", "/api/v1/registers/{name}/entries", api_register_entries, ANY, 0},
	{"POST", "/api/v1/registers/{name}/entries", api_register_entry_create, ANY, 256 * 1024},
	{"GET", "/api/v1/registers/{name}/export", api_register_export, ANY, 0},
	{"GET", "/api/v1/registers/{name}/entries/{code}", api_register_entry, ANY, 0},
	{"PATCH", "/api/v1/registers/{name}/entries/{code}", api_register_entry_update, ANY, 256 * 1024},
	{"POST", "/api/v1/registers/{name}/entries/{code}/personal", api_register_entry_personal, ANY, 0},
	{"POST", "/api/v1/registers/{name}/entries/{code}/case", api_register_entry_case, RULE_CASE_WORK, 256 * 1024},
	{"GET", "/api/v1/trainings/{code}/certificate", api_training_certificate, ANY, 0},
	{"GET", "/api/v1/persons/{id}/trainings", api_person_trainings, ANY, 0},
	{"GET", "/api/v1/bodies/{id}/training", api_body_training, ANY, 0},
	{"GET", "/api/v1/prevention/figures", api_prevention_figures, ANY, 0},

	{"GET", "/api/v1/report-types", api_report_types, ANY, 0},
	{"GET", "/api/v1/reports", api_reports, ANY, 0},
	{"POST", "/api/v1/reports", api_report_create, ANY, 0},
	{"GET", "/api/v1/reports/{id}", api_report, ANY, 0},
	{"PATCH", "/api/v1/reports/{id}", api_report_write, ANY, 512 * 1024},
	{"GET", "/api/v1/reports/{id}/pdf", api_report_pdf, ANY, 0},
	{"GET", "/api/v1/reports/{id}/csv", api_report_csv, ANY, 0},
	{"GET", "/api/v1/reports/{id}/xlsx", api_report_xlsx, ANY, 0},
	{"POST", "/api/v1/reports/{id}/submit", api_report_submit, ANY, 0},
	{"POST", "/api/v1/reports/{id}/approval", api_report_approve, ANY, 0},
	{"POST", "/api/v1/reports/{id}/answer", api_report_answer, ANY, 0},
	{"GET", "/api/v1/reports/{id}/versions", api_report_versions, ANY, 0},
	{"GET", "/api/v1/reports/{id}/versions/{version}", api_report_version, ANY, 0},

	{"GET", "/api/v1/stats", api_stats, RULE_FIGURES, 0},
	{"GET", "/api/v1/stats/catalogue", api_stats_catalogue, RULE_FIGURES, 0},
	{"GET", "/api/v1/stats/figures", api_stats_figures, RULE_FIGURES, 0},
	{"GET", "/api/v1/stats/revisions", api_stats_revisions, RULE_AUTHORITY, 0},
	{"GET", "/api/v1/stats/tables/{name}", api_stats_table, RULE_FIGURES, 0},

	{"GET", "/api/v1/users", api_users, RULE_USERS, 0},
	{"POST", "/api/v1/users", api_user_create, RULE_USERS, 0},
	{"GET", "/api/v1/users/{id}", api_user, ANY, 0},
	{"PATCH", "/api/v1/users/{id}", api_user_update, RULE_USERS, 0},
	{"POST", "/api/v1/users/{id}/totp-reset", api_user_totp_reset, RULE_USERS, 0},
	{"GET", "/api/v1/tokens", api_tokens, RULE_USERS, 0},
	{"POST", "/api/v1/tokens", api_token_create, RULE_USERS, 0},
	{"POST", "/api/v1/tokens/{id}/revoke", api_token_revoke, RULE_USERS, 0},
	{"GET", "/api/v1/audit", api_audit, RULE_AUDIT, 0},
	{"GET", "/api/v1/audit/export", api_audit_export, RULE_AUDIT, 0},
	{"POST", "/api/v1/audit/search", api_audit_search, RULE_OVERSIGHT, 0},
	{"GET", "/api/v1/audit/patterns", api_audit_patterns, RULE_OVERSIGHT, 0},
	{"GET", "/api/v1/audit/reads", api_audit_reads, RULE_OVERSIGHT, 0},
};

static struct api_config config;

/* Their time goes to Argon2id (bounded in secure/password.c), not to the queue of handlers. */
static const http_handler_fn apart[] = {api_session_create, api_me_password, api_user_create, api_user_update};

/* Database connections, lent to one request at a time. With a thread per HTTP connection a
 * connection per thread would open (and parse the schema) for every new client and hold three
 * files per idle client; the pool holds as many as requests ever ran at once, and keeps at most
 * POOL_KEEP of them idle. */
#define POOL_KEEP 32
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static struct store *pool[POOL_KEEP];
static int pool_n;

const struct api_config *api_config(void)
{
	return &config;
}

static struct store *pool_take(void)
{
	struct store *s = NULL;
	pthread_mutex_lock(&pool_mu);
	if (pool_n)
		s = pool[--pool_n];
	pthread_mutex_unlock(&pool_mu);
	if (s)
		return s;
	struct nrm_err err = {0};
	if (store_open(config.db_path, &s, &err) != 0) {
		http_log("error", "cannot open database", "detail", err.msg, NULL);
		return NULL;
	}
	return s;
}

static void pool_give(struct store *s)
{
	if (!s)
		return;
	if (store_in_tx(s))
		store_rollback(s);
	pthread_mutex_lock(&pool_mu);
	if (pool_n < POOL_KEEP) {
		pool[pool_n++] = s;
		s = NULL;
	}
	pthread_mutex_unlock(&pool_mu);
	store_close(s);
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
	case NRM_ELOCKED: return 429;
	case NRM_EBUSY: return 503;
	default: return 500;
	}
}

void api_error(struct http_resp *resp, int rc, const struct nrm_err *err)
{
	struct nrm_err e = {0};
	/* A record filled for another code (an earlier, recovered failure) does not describe rc. */
	if (err && err->msg[0] && err->code == rc)
		e = *err;
	else
		nrm_fail(&e, rc, nrm_key_of_code(rc), NULL, NULL);
	if (status_of(rc) == 500)
		http_log("error", "internal error", "detail", e.msg, NULL);
	/* Two keys keep the code they always had, which clients test for. */
	const char *code = e.key == KEY_session_expired || e.key == KEY_reason_required ? nrm_key_name(e.key)
											: nrm_err_name(rc);
	http_reply_error(resp, status_of(rc), code, &e);
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

void api_reply_items_by(struct http_resp *resp, int rc, const struct nrm_err *err, json_t **items, int limit,
			const char *cursor, bool hide)
{
	if (rc) {
		api_error(resp, rc, err);
		return;
	}
	json_t *next = json_null();
	size_t n = json_array_size(*items);
	if (limit > 0 && n == (size_t)limit) {
		char cur[24];
		next = json_string(nrm_num(cur, (long long)j_int(json_array_get(*items, n - 1), cursor)));
	}
	size_t i;
	json_t *it;
	if (hide)
		json_array_foreach(*items, i, it)
			json_object_del(it, cursor);
	http_reply_json(resp, 200, json_pack("{s:o, s:o}", "items", *items, "next", next));
	*items = NULL;
}

void api_reply_items(struct http_resp *resp, int rc, const struct nrm_err *err, json_t **items, int limit)
{
	api_reply_items_by(resp, rc, err, items, limit, "id", false);
}

/* A refusal the dispatcher answers itself. */
static void refuse(struct http_resp *resp, int rc, enum nrm_key key)
{
	struct nrm_err e = {0};
	nrm_fail(&e, rc, key, NULL, NULL);
	api_error(resp, rc, &e);
}

/* The routes a session that is only a first step may use: awaiting its second factor, only
 * the step that gives it (and logging out); awaiting enrolment, what enrolling needs (the
 * session, labels, the language, the enrolment itself). KEY_COUNT when the route is open to
 * the session, otherwise the key of the refusal. */
static enum nrm_key stage_refuses(const char *stage, const struct http_req *req)
{
	static const struct {
		const char *stage, *method, *pattern;
	} open[] = {
		{"code", "POST", "/api/v1/session/code"}, {"code", "DELETE", "/api/v1/session"},
		{"enrol", "GET", "/api/v1/session"},	  {"enrol", "DELETE", "/api/v1/session"},
		{"enrol", "GET", "/api/v1/labels"},	  {"enrol", "PATCH", "/api/v1/me"},
		{"enrol", "POST", "/api/v1/me/totp"},	  {"enrol", "GET", "/api/v1/me/totp/qr.svg"},
		{"enrol", "POST", "/api/v1/me/totp/confirm"},
	};
	if (strcmp(stage, "full") == 0)
		return KEY_COUNT;
	for (size_t i = 0; i < sizeof open / sizeof *open; i++)
		if (strcmp(open[i].stage, stage) == 0 && strcmp(open[i].method, req->method) == 0 &&
		    strcmp(open[i].pattern, req->route->pattern) == 0)
			return KEY_COUNT;
	return strcmp(stage, "code") == 0 ? KEY_totp_code_awaited : KEY_totp_enrol_first;
}

/* A person's own routes — the session and one's account (/api/v1/me and below) — which an API
 * token does not reach. */
static bool person_only(const char *pattern)
{
	return strcmp(pattern, "/api/v1/session") == 0 || strncmp(pattern, "/api/v1/session/", 16) == 0 ||
	       strcmp(pattern, "/api/v1/me") == 0 || strncmp(pattern, "/api/v1/me/", 11) == 0;
}

static void dispatch(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx c = {0};
	bool reading = false;
	const struct api_config *cfg = api_config();
	c.nrm = (struct nrm_ctx){.db = pool_take(), .me = &c.me, .today = clock_today(), .form = cfg->form,
				 .keys = cfg->keys, .labels = cfg->labels, .stats = cfg->stats, .match = cfg->match,
				 .mail_from = cfg->mail_from};
	req->ctx = &c;
	if (!c.nrm.db) {
		refuse(resp, NRM_EIO, KEY_database_unavailable);
		goto done;
	}
	/* A read's statements share one snapshot, and one shared lock of the file instead of one
	 * each (store_read_begin; a write the handler begins ends it first). */
	reading = (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) &&
		  store_read_begin(c.nrm.db) == 0;
	enum perm_rule rule = (enum perm_rule)req->route->rule;
	if (rule != RULE_PUBLIC) {
		struct nrm_err err = {0};
		/* The page's own polls say so, and do not keep an idle session alive. */
		const char *bg = http_header(req, "X-NRM-Background"), *bearer = http_header(req, "Authorization");
		struct session_seen seen;
		/* Another system's token (token_check): no cookie, so no cross-site request to guard
		 * against; none of a person's own routes (the session, one's account). */
		bool client = bearer && strncasecmp(bearer, "Bearer ", 7) == 0;
		if (client ? token_check(&c.nrm, bearer + 7, &seen, &err) != 0
			   : session_check(&c.nrm, http_cookie(req, "nrm_session"), bg && strcmp(bg, "1") == 0, &seen,
					   &err) != 0) {
			api_error(resp, NRM_EAUTH, &err);
			goto done;
		}
		if (client && person_only(req->route->pattern)) {
			refuse(resp, NRM_EFORBIDDEN, KEY_route_forbidden);
			goto done;
		}
		c.me = seen.me;
		memcpy(c.token_hash, seen.hash, sizeof c.token_hash);
		memcpy(c.csrf, seen.csrf, sizeof c.csrf);
		c.idle_left = seen.idle_left;
		memcpy(c.stage, seen.stage, sizeof c.stage);
		c.nrm.session = c.token_hash;
		req->user_id = c.me.id;
		bool safe = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
		const char *token = http_header(req, "X-CSRF-Token");
		if (!safe && !client && (!token || !secure_streq(token, c.csrf))) {
			struct nrm_err e = {0};
			nrm_fail(&e, NRM_EFORBIDDEN, KEY_csrf, NULL, NULL);
			http_reply_error(resp, 403, "csrf", &e);
			goto done;
		}
		/* A first step of a login reaches only what completes it. */
		enum nrm_key not_yet = stage_refuses(c.stage, req);
		if (not_yet != KEY_COUNT) {
			refuse(resp, not_yet == KEY_totp_code_awaited ? NRM_EAUTH : NRM_EFORBIDDEN, not_yet);
			goto done;
		}
		if (!perm_rule_allows(rule, c.me.role)) {
			refuse(resp, NRM_EFORBIDDEN, KEY_route_forbidden);
			goto done;
		}
	}
	req->route->fn(req, resp);
done:
	if (reading)
		store_read_end(c.nrm.db);
	pool_give(c.nrm.db); /* an open transaction is rolled back */
	req->ctx = NULL;
}

/* Before reading a body: a request to a route that needs a session and carries neither a
 * session cookie nor an API token is refused at once. Either is checked in dispatch. */
static int admit(struct http_req *req, struct http_resp *resp)
{
	if (req->route->rule == RULE_PUBLIC)
		return 0;
	const char *tok = http_cookie(req, "nrm_session"), *bearer = http_header(req, "Authorization");
	if ((tok && *tok) || (bearer && strncasecmp(bearer, "Bearer ", 7) == 0))
		return 0;
	refuse(resp, NRM_EAUTH, KEY_unauthorized);
	return -1;
}

const struct http_route *api_routes(size_t *n)
{
	*n = sizeof routes / sizeof *routes;
	return routes;
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
		.limits = cfg->limits,
		.tls_cert = cfg->tls_cert,
		.tls_key = cfg->tls_key,
		.apart = apart,
		.napart = sizeof apart / sizeof *apart,
	};
	return http_server_start(&hc, srv, bound);
}

/* ---- shared helpers ---- */

int api_body(struct http_req *req, struct http_resp *resp, json_t **out)
{
	/* Only JSON: a cross-site HTML form cannot send it, so no login CSRF through text/plain. */
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncmp(ct, "application/json", 16) != 0) {
		struct nrm_err e = {0};
		nrm_fail(&e, NRM_EINVAL, KEY_unsupported_media_type, NULL, NULL);
		http_reply_error(resp, 415, "unsupported_media_type", &e);
		return -1;
	}
	json_error_t je;
	json_t *j = req->body.len ? json_loadb(req->body.p, req->body.len, JSON_REJECT_DUPLICATES, &je) : NULL;
	if (!j || !json_is_object(j)) {
		struct nrm_err e = {0};
		nrm_fail(&e, NRM_EINVAL, j || !req->body.len ? KEY_body_not_object : KEY_invalid_json, NULL, NULL);
		http_reply_error(resp, 400, !req->body.len ? "invalid" : "invalid_json", &e);
		json_decref(j);
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
		refuse(resp, NRM_ENOTFOUND, KEY_not_found);
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

int api_page_parse(const char *after, const char *limit, int64_t *after_out, int *limit_out, struct nrm_err *err)
{
	long long av = 0, lv = 100;
	if (after && parse_uint(after, INT64_MAX, &av))
		return nrm_fail(err, NRM_EINVAL, KEY_bad_cursor, "after", NULL);
	if (limit && (parse_uint(limit, 500, &lv) || lv < 1))
		return nrm_fail(err, NRM_EINVAL, KEY_bad_limit, "limit", "max", "500", NULL);
	*after_out = av;
	*limit_out = (int)lv;
	return 0;
}

int api_page(struct http_req *req, struct http_resp *resp, int64_t *after, int *limit)
{
	struct nrm_err e = {0};
	int rc = api_page_parse(http_query(req, "after"), http_query(req, "limit"), after, limit, &e);
	if (rc)
		api_error(resp, rc, &e);
	return rc ? -1 : 0;
}

int api_query_county(struct http_req *req, struct http_resp *resp, int64_t *county)
{
	struct nrm_err e = {0};
	int rc = org_county_id(api_nrm(req), http_query(req, "county"), "county", county, &e);
	if (rc)
		api_error(resp, rc, &e);
	return rc;
}

void api_call_id(struct http_req *req, struct http_resp *resp, api_op_id op, int status)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = op(api_nrm(req), id, &out, &err);
	api_reply(resp, rc, &err, status, &out);
}

void api_reply_file(struct http_resp *resp, int rc, const struct nrm_err *err, struct buf *b, char *name,
		    const char *format)
{
	if (rc) {
		buf_free(b);
		free(name);
		api_error(resp, rc, err);
		return;
	}
	char disposition[240];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
	free(name);
	size_t len = b->len;
	http_reply_bytes(resp, 200,
			 strcmp(format, "xlsx") == 0  ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			 : strcmp(format, "pdf") == 0 ? "application/pdf"
						      : "text/csv; charset=utf-8",
			 buf_take(b), len);
	http_add_header(resp, "Content-Disposition", disposition);
}

void api_call_all(struct http_req *req, struct http_resp *resp, api_op_all op)
{
	struct nrm_err err = {0};
	json_t *out = NULL;
	int rc = op(api_nrm(req), &out, &err);
	api_reply_items(resp, rc, &err, &out, 0);
}

void api_call_in(struct http_req *req, struct http_resp *resp, api_op_in op, int status)
{
	struct nrm_err err = {0};
	json_t *in, *out = NULL;
	if (api_body(req, resp, &in))
		return;
	int rc = op(api_nrm(req), in, &out, &err);
	api_reply(resp, rc, &err, status, &out);
	json_decref(in);
}

void api_call_id_in(struct http_req *req, struct http_resp *resp, api_op_id_in op, int status)
{
	struct nrm_err err = {0};
	json_t *in, *out = NULL;
	int64_t id;
	if (api_path_id(req, resp, 0, &id) || api_body(req, resp, &in))
		return;
	int rc = op(api_nrm(req), id, in, &out, &err);
	api_reply(resp, rc, &err, status, &out);
	json_decref(in);
}
