/* The JSON API under /api/v1: the route table (each route names its permission rule),
 * authentication and CSRF, per-thread database connections, and the helpers every resource
 * file of api/ shares. A handler parses the request, calls one domain operation, replies. */
#ifndef NRM_API_API_H
#define NRM_API_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"
#include "core/role.h"
#include "http/http.h"
#include "secure/token.h"

struct form;
struct crypt_keys;
struct labels;

struct api_config {
	const char *db_path;
	const struct form *form;       /* the case form, loaded at start */
	const struct labels *labels;   /* sq/en labels, loaded at start */
	const struct statdef *stats;   /* what the figures count, loaded at start */
	const struct match_def *match; /* approximate matching, loaded at start; NULL: off */
	const struct crypt_keys *keys; /* personal-data keys from FILE.key */
	const char *web_dir;           /* static UI files, or NULL */
	int secure_cookies;            /* add "Secure" to the session cookie (behind TLS) */
	const char *mail_from;         /* the sender of e-mail, or NULL when no SMTP server is set */
	struct http_limits limits;     /* per client, and the deadlines of slow requests */
	const char *tls_cert, *tls_key; /* PEM texts: HTTPS; NULL: plain HTTP */
	int64_t min_free_bytes;         /* /healthz: less free on the database's disk is a fault */
	const json_t *contract;         /* data/api/schemas.json: each route's request and replies */
};

/* Starts the server. *srv is owned by the caller (http_server_stop); *port is the bound port. */
int api_start(const struct api_config *cfg, const char *host, int port, struct http_server **srv, int *bound);

/* Per-request state, reachable through req->ctx inside handlers. */
struct api_ctx {
	struct nrm_ctx nrm; /* what the domain operations get */
	struct principal me;
	char token_hash[TOKEN_HASH_LEN];
	char csrf[TOKEN_LEN];
	int64_t idle_left; /* seconds before the session's idle timeout */
	char stage[8];     /* "full", or a first step: "code" (second factor awaited), "enrol" */
};

/* The domain context of the request. */
static inline struct nrm_ctx *api_nrm(struct http_req *req)
{
	return &((struct api_ctx *)req->ctx)->nrm;
}

const struct api_config *api_config(void);

/* Answers with the error's HTTP status and the contract's error shape. */
void api_error(struct http_resp *resp, int rc, const struct nrm_err *err);
/* Ends a handler: on rc == 0 answers *row with status (and takes it: *row becomes NULL),
 * otherwise the error. An open transaction is rolled back by the dispatcher. */
void api_reply(struct http_resp *resp, int rc, const struct nrm_err *err, int status, json_t **row);
/* Ends a handler that answers a file: on rc == 0 the bytes of *b (taken) as `format` ("csv",
 * "xlsx", "pdf") with a Content-Disposition naming `name` (freed); otherwise the error. */
void api_reply_file(struct http_resp *resp, int rc, const struct nrm_err *err, struct buf *b, char *name,
		    const char *format);
/* Ends a handler that answers a collection: {"items": *items, "next": cursor|null}. With a
 * limit > 0 the page is keyset-paginated: `next` is the last item's "id" when the page is
 * full. Takes *items. */
void api_reply_items(struct http_resp *resp, int rc, const struct nrm_err *err, json_t **items, int limit);
/* The same with the cursor taken from the last item's `cursor` key (hidden from the items when
 * hide): a list in another order than its ids'. */
void api_reply_items_by(struct http_resp *resp, int rc, const struct nrm_err *err, json_t **items, int limit,
			const char *cursor, bool hide);

/* The common shapes of a handler: parse the path id and/or the JSON body, call one domain
 * operation, answer its result with `status`. */
typedef int (*api_op_id)(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
typedef int (*api_op_all)(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
typedef int (*api_op_in)(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
typedef int (*api_op_id_in)(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
void api_call_id(struct http_req *req, struct http_resp *resp, api_op_id op, int status);
/* A whole collection, unpaginated: {"items": [...], "next": null}. */
void api_call_all(struct http_req *req, struct http_resp *resp, api_op_all op);
void api_call_in(struct http_req *req, struct http_resp *resp, api_op_in op, int status);
void api_call_id_in(struct http_req *req, struct http_resp *resp, api_op_id_in op, int status);

/* Parses the body as a JSON object; on failure answers 400/415 and returns non-zero.
 * *out is a new reference. */
int api_body(struct http_req *req, struct http_resp *resp, json_t **out);
/* Path parameter i as a positive id; on failure answers 404 and returns non-zero. */
int api_path_id(struct http_req *req, struct http_resp *resp, size_t i, int64_t *id);
/* ?after=&limit= for keyset pagination (limit 1..500, default 100). */
int api_page(struct http_req *req, struct http_resp *resp, int64_t *after, int *limit);
/* The same on the two values as given (NULL when absent): bad_cursor (after) or bad_limit
 * (limit); the out-parameters are written only on success. */
int api_page_parse(const char *after, const char *limit, int64_t *after_out, int *limit_out, struct nrm_err *err);
/* The route table (static; *n its length), for what inspects it (the fuzz harness of paths). */
const struct http_route *api_routes(size_t *n);
/* The county named by ?county=SLUG (0 when absent); answers 400 on an unknown slug. */
int api_query_county(struct http_req *req, struct http_resp *resp, int64_t *county);

/* Resource handlers (one file each). */
void api_health(struct http_req *, struct http_resp *);
void api_metrics(struct http_req *, struct http_resp *);
void api_tokens(struct http_req *, struct http_resp *);
void api_token_create(struct http_req *, struct http_resp *);
void api_token_revoke(struct http_req *, struct http_resp *);
void api_openapi(struct http_req *, struct http_resp *);
void api_labels(struct http_req *, struct http_resp *);
void api_session_create(struct http_req *, struct http_resp *);
void api_session_get(struct http_req *, struct http_resp *);
void api_session_delete(struct http_req *, struct http_resp *);
void api_me_update(struct http_req *, struct http_resp *);
void api_me_password(struct http_req *, struct http_resp *);
void api_session_code(struct http_req *, struct http_resp *);
void api_totp_begin(struct http_req *, struct http_resp *);
void api_totp_qr(struct http_req *, struct http_resp *);
void api_totp_confirm(struct http_req *, struct http_resp *);
void api_user_totp_reset(struct http_req *, struct http_resp *);

void api_counties(struct http_req *, struct http_resp *);
void api_county(struct http_req *, struct http_resp *);
void api_municipalities(struct http_req *, struct http_resp *);
void api_institution_types(struct http_req *, struct http_resp *);
void api_institutions(struct http_req *, struct http_resp *);
void api_institution_create(struct http_req *, struct http_resp *);
void api_bodies(struct http_req *, struct http_resp *);
void api_body_show(struct http_req *, struct http_resp *);
void api_body_create(struct http_req *, struct http_resp *);
void api_seat_create(struct http_req *, struct http_resp *);
void api_seat(struct http_req *, struct http_resp *);
void api_nomination_create(struct http_req *, struct http_resp *);
void api_nomination_update(struct http_req *, struct http_resp *);
void api_nomination_delete(struct http_req *, struct http_resp *);
void api_nominations_overdue(struct http_req *, struct http_resp *);
void api_seats_overview(struct http_req *, struct http_resp *);
void api_persons(struct http_req *, struct http_resp *);
void api_person(struct http_req *, struct http_resp *);
void api_person_update(struct http_req *, struct http_resp *);
void api_guests(struct http_req *, struct http_resp *);
void api_guest_create(struct http_req *, struct http_resp *);
void api_guest_update(struct http_req *, struct http_resp *);

void api_meetings(struct http_req *, struct http_resp *);
void api_meeting(struct http_req *, struct http_resp *);
void api_meeting_create(struct http_req *, struct http_resp *);
void api_meeting_update(struct http_req *, struct http_resp *);
void api_meeting_cancel(struct http_req *, struct http_resp *);
void api_meeting_agenda(struct http_req *, struct http_resp *);
void api_meeting_attendance(struct http_req *, struct http_resp *);
void api_meeting_decide(struct http_req *, struct http_resp *);
void api_meeting_minutes(struct http_req *, struct http_resp *);
void api_meeting_minutes_set(struct http_req *, struct http_resp *);
void api_meeting_minutes_approve(struct http_req *, struct http_resp *);
void api_meeting_ics(struct http_req *, struct http_resp *);
void api_body_compliance(struct http_req *, struct http_resp *);
void api_tasks(struct http_req *, struct http_resp *);
void api_task(struct http_req *, struct http_resp *);
void api_task_move(struct http_req *, struct http_resp *);
void api_meeting_notice(struct http_req *, struct http_resp *);
void api_letters(struct http_req *, struct http_resp *);
void api_letter_create(struct http_req *, struct http_resp *);
void api_notifications(struct http_req *, struct http_resp *);
void api_notification_read(struct http_req *, struct http_resp *);
void api_notifications_read_all(struct http_req *, struct http_resp *);
void api_home(struct http_req *, struct http_resp *);
void api_case_print(struct http_req *, struct http_resp *);
void api_drafts(struct http_req *, struct http_resp *);
void api_draft_get(struct http_req *, struct http_resp *);
void api_draft_put(struct http_req *, struct http_resp *);
void api_draft_delete(struct http_req *, struct http_resp *);
void api_feed_create(struct http_req *, struct http_resp *);
void api_feed_delete(struct http_req *, struct http_resp *);
void api_feed(struct http_req *, struct http_resp *);
void api_compliance_matrix(struct http_req *, struct http_resp *);
void api_material_add(struct http_req *, struct http_resp *);
void api_material_get(struct http_req *, struct http_resp *);
void api_letter_file_put(struct http_req *, struct http_resp *);
void api_letter_file_get(struct http_req *, struct http_resp *);
void api_body_documents(struct http_req *, struct http_resp *);
void api_body_document_create(struct http_req *, struct http_resp *);
void api_body_document_file_put(struct http_req *, struct http_resp *);
void api_body_document_file_get(struct http_req *, struct http_resp *);

void api_agreements(struct http_req *, struct http_resp *);
void api_agreement(struct http_req *, struct http_resp *);
void api_agreement_create(struct http_req *, struct http_resp *);
void api_agreement_update(struct http_req *, struct http_resp *);
void api_agreement_document_put(struct http_req *, struct http_resp *);
void api_agreement_document_get(struct http_req *, struct http_resp *);

void api_case_form(struct http_req *, struct http_resp *);
void api_case_create(struct http_req *, struct http_resp *);
void api_cases(struct http_req *, struct http_resp *);
void api_case(struct http_req *, struct http_resp *);
void api_case_personal(struct http_req *, struct http_resp *);
void api_case_update(struct http_req *, struct http_resp *);
void api_case_transition(struct http_req *, struct http_resp *);
void api_case_events(struct http_req *, struct http_resp *);
void api_case_refer(struct http_req *, struct http_resp *);
void api_referrals(struct http_req *, struct http_resp *);
void api_referral_accept(struct http_req *, struct http_resp *);
void api_referral_decline(struct http_req *, struct http_resp *);
void api_case_search(struct http_req *, struct http_resp *);
void api_case_dedup(struct http_req *, struct http_resp *);
void api_duplicates(struct http_req *, struct http_resp *);
void api_duplicate_merge(struct http_req *, struct http_resp *);
void api_duplicate_dismiss(struct http_req *, struct http_resp *);
void api_stats(struct http_req *, struct http_resp *);
void api_stats_catalogue(struct http_req *, struct http_resp *);
void api_stats_figures(struct http_req *, struct http_resp *);
void api_stats_revisions(struct http_req *, struct http_resp *);
void api_stats_table(struct http_req *, struct http_resp *);

void api_users(struct http_req *, struct http_resp *);
void api_user(struct http_req *, struct http_resp *);
void api_user_create(struct http_req *, struct http_resp *);
void api_user_update(struct http_req *, struct http_resp *);

/* The audit trail and the data-protection officer's tools (api/oversight.c). */
void api_audit(struct http_req *, struct http_resp *);
void api_audit_export(struct http_req *, struct http_resp *);
void api_audit_search(struct http_req *, struct http_resp *);
void api_audit_patterns(struct http_req *, struct http_resp *);
void api_audit_reads(struct http_req *, struct http_resp *);

/* Registers of prevention and cooperation (api/registers.c). */
void api_registers(struct http_req *, struct http_resp *);
void api_register(struct http_req *, struct http_resp *);
void api_register_entries(struct http_req *, struct http_resp *);
void api_register_export(struct http_req *, struct http_resp *);
void api_register_entry(struct http_req *, struct http_resp *);
void api_register_entry_create(struct http_req *, struct http_resp *);
void api_register_entry_update(struct http_req *, struct http_resp *);
void api_register_entry_personal(struct http_req *, struct http_resp *);
void api_register_entry_case(struct http_req *, struct http_resp *);
void api_prevention_figures(struct http_req *, struct http_resp *);
void api_person_trainings(struct http_req *, struct http_resp *);
void api_body_training(struct http_req *, struct http_resp *);
void api_training_certificate(struct http_req *, struct http_resp *);

/* Periodic reports (api/reports.c). */
void api_report_types(struct http_req *, struct http_resp *);
void api_reports(struct http_req *, struct http_resp *);
void api_report_create(struct http_req *, struct http_resp *);
void api_report(struct http_req *, struct http_resp *);
void api_report_write(struct http_req *, struct http_resp *);
void api_report_pdf(struct http_req *, struct http_resp *);
void api_report_csv(struct http_req *, struct http_resp *);
void api_report_xlsx(struct http_req *, struct http_resp *);
void api_report_submit(struct http_req *, struct http_resp *);
void api_report_approve(struct http_req *, struct http_resp *);
void api_report_answer(struct http_req *, struct http_resp *);
void api_report_versions(struct http_req *, struct http_resp *);
void api_report_version(struct http_req *, struct http_resp *);

/* The KRAT scorecard and the Ministry's national lists (api/monitor.c). */
void api_scorecard(struct http_req *, struct http_resp *);
void api_scorecard_xlsx(struct http_req *, struct http_resp *);
void api_scorecard_pdf(struct http_req *, struct http_resp *);
void api_scorecard_csv(struct http_req *, struct http_resp *);
void api_scorecard_seats_overdue(struct http_req *, struct http_resp *);
void api_scorecard_agreements_missing(struct http_req *, struct http_resp *);

#endif
