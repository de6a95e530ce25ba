/* The JSON API under /api/v1: the route table, authentication and CSRF, per-thread database
 * connections, and the helpers every resource file of api/ shares. */
#ifndef NRM_API_API_H
#define NRM_API_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/role.h"
#include "http/http.h"
#include "store/db.h"

struct form;
struct crypt_keys;

struct api_config {
	const char *db_path;
	const struct form *form;        /* the case form, loaded at start */
	const struct crypt_keys *keys;  /* personal-data keys from FILE.key */
	const char *web_dir;  /* static UI files, or NULL */
	int secure_cookies;   /* add "Secure" to the session cookie (behind TLS) */
};

/* Starts the server. *srv is owned by the caller (http_server_stop); *port is the bound port. */
int api_start(const struct api_config *cfg, const char *host, int port, struct http_server **srv, int *bound);

/* Route flags. */
#define API_PUBLIC 1u /* no session needed */

/* Per-request state, reachable as req->ctx inside handlers. */
struct api_ctx {
	struct store *db;
	bool authed;
	struct principal me;
	char token_hash[65];
	char csrf[64];
	int32_t today; /* day number of today's date in Tirane */
};

static inline struct api_ctx *api_ctx(struct http_req *req)
{
	return req->ctx;
}

const struct api_config *api_config(void);

/* Answers with the error's HTTP status and the contract's error shape. */
void api_error(struct http_resp *resp, int rc, const struct nrm_err *err);
/* Ends a handler: on rc == 0 answers *row with status (and takes it: *row becomes NULL),
 * otherwise the error. An open transaction is rolled back by the dispatcher. */
void api_reply(struct http_resp *resp, int rc, const struct nrm_err *err, int status, json_t **row);
/* Shorthand for api_error with a fresh message. */
void api_fail(struct http_resp *resp, int rc, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Parses the body as a JSON object; on failure answers 400 and returns non-zero.
 * *out is a new reference. */
int api_body(struct http_req *req, struct http_resp *resp, json_t **out);
/* Path parameter i as a positive id; on failure answers 404 and returns non-zero. */
int api_path_id(struct http_req *req, struct http_resp *resp, size_t i, int64_t *id);
/* ?after=&limit= for keyset pagination (limit 1..500, default 100). */
int api_page(struct http_req *req, struct http_resp *resp, int64_t *after, int *limit);
/* Answers {"items": items, "next": cursor|null}; `next` is the last item's "id" when the
 * page is full. Steals items. */
void api_reply_page(struct http_resp *resp, json_t *items, int limit);
/* Answers {"items": items, "next": null} for short, unpaginated collections. Steals items. */
void api_reply_items(struct http_resp *resp, json_t *items);
/* The county named by ?county=SLUG (0 when absent); answers 400 on an unknown slug. */
int api_query_county(struct http_req *req, struct http_resp *resp, int64_t *county);

/* Input helpers: read obj[key], check type and bounds, fill err naming the field. Absent or
 * null optional values give NULL / 0 / false. */
int in_only(json_t *obj, const char *const *allowed, struct nrm_err *err);
int in_str(json_t *obj, const char *key, bool required, size_t max, const char **out, struct nrm_err *err);
int in_date(json_t *obj, const char *key, bool required, const char **out, int32_t *days, struct nrm_err *err);
int in_int(json_t *obj, const char *key, bool required, int64_t *out, struct nrm_err *err);
int in_bool(json_t *obj, const char *key, int *out, struct nrm_err *err);
/* A string that must be one of the NULL-terminated `allowed`. */
int in_enum(json_t *obj, const char *key, bool required, const char *const *allowed, const char **out,
	    struct nrm_err *err);
bool in_has(json_t *obj, const char *key);

/* Copies `keys` (NULL-terminated) from src into a new object; a convenience for audit rows. */
json_t *api_pick(json_t *src, const char *const *keys);
int64_t api_int(json_t *obj, const char *key);
const char *api_str(json_t *obj, const char *key);

/* Seats with member, status, deadline (as GET /bodies/{id} shows them) of a body and/or a
 * county (0 = any); national bodies only when `national`. *out is a new reference. */
int api_seats_load(struct api_ctx *c, int64_t body, int64_t county, int national, json_t **out);
/* Loads body `id` into *body (new reference) when the caller may edit it; otherwise fills err
 * (not found / forbidden) and returns its code. */
int api_body_editable(struct api_ctx *c, int64_t id, json_t **body, struct nrm_err *err);

/* Resource handlers (one file each). */
void api_health(struct http_req *, struct http_resp *);
void api_openapi(struct http_req *, struct http_resp *);
void api_session_create(struct http_req *, struct http_resp *);
void api_session_get(struct http_req *, struct http_resp *);
void api_session_delete(struct http_req *, struct http_resp *);
void api_me_update(struct http_req *, struct http_resp *);
void api_me_password(struct http_req *, struct http_resp *);
json_t *api_user_view(const struct principal *p, json_t *user);

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
void api_case_stats(struct http_req *, struct http_resp *);
void api_meeting_create(struct http_req *, struct http_resp *);
void api_meeting(struct http_req *, struct http_resp *);
void api_meetings(struct http_req *, struct http_resp *);

void api_users(struct http_req *, struct http_resp *);
void api_user(struct http_req *, struct http_resp *);
void api_user_create(struct http_req *, struct http_resp *);
void api_user_update(struct http_req *, struct http_resp *);
void api_audit(struct http_req *, struct http_resp *);

#endif
