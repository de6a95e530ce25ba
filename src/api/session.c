/* Logging in and out, the current user, labels and the health check. */
#include "api/api.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/input.h"
#include "core/labels.h"
#include "store/db.h"
#include "user/user.h"

void api_labels(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	http_reply_json(resp, 200, json_incref(labels_json(api_config()->labels)));
	http_add_header(resp, "Cache-Control", "private, max-age=300");
}

static void set_cookie(struct http_resp *resp, const char *token, int max_age)
{
	char c[256];
	snprintf(c, sizeof c, "nrm_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token, max_age,
		 api_config()->secure_cookies ? "; Secure" : "");
	http_add_header(resp, "Set-Cookie", c);
}

/* The client's address for the slowdown of failed logins: the socket's peer, or the address a
 * trusted proxy forwards (http_client_addr); copied, as the domain keeps it past the request. */
static const char *client_addr(struct http_req *req, char buf[64])
{
	snprintf(buf, 64, "%s", http_client_addr(req));
	return buf;
}

/* Answers a login step that succeeded: the session cookie, and for a session that is more than
 * a first step the known-device cookie (sent back only to the login routes), the user and the
 * failed logins since the last one. */
static void reply_login(struct http_req *req, struct http_resp *resp, struct session_new *s)
{
	bool code = strcmp(s->stage, "code") == 0;
	set_cookie(resp, s->token, code ? CODE_SECONDS : SESSION_MAX_AGE);
	if (code) {
		http_reply_json(resp, 200, json_pack("{s:s, s:s, s:s}", "csrf", s->csrf, "stage", s->stage, "second_factor",
						     "totp"));
		return;
	}
	if (s->device[0]) {
		char c[256];
		snprintf(c, sizeof c, "nrm_device=%s; Path=/api/v1/session; HttpOnly; SameSite=Strict; Max-Age=%d%s",
			 s->device, DEVICE_DAYS * 86400, api_config()->secure_cookies ? "; Secure" : "");
		http_add_header(resp, "Set-Cookie", c);
	}
	req->user_id = j_int(s->user, "id");
	http_reply_json(resp, 200, json_pack("{s:s, s:s, s:o, s:o}", "csrf", s->csrf, "stage", s->stage, "user", s->user,
					     "failed_logins", s->failed ? s->failed : json_null()));
}

void api_session_create(struct http_req *req, struct http_resp *resp)
{
	static const char *const fields[] = {"username", "password", NULL};
	struct nrm_err err = {0};
	struct session_new s;
	struct login_try t = {0};
	char addr[64];
	json_t *in;
	int64_t retry = 0;
	if (api_body(req, resp, &in))
		return;
	t.addr = client_addr(req, addr);
	t.device = http_cookie(req, "nrm_device");
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "username", true, 64, &t.username, &err)) ||
	    (rc = in_str(in, "password", true, 256, &t.password, &err)) ||
	    (rc = session_login(api_nrm(req), &t, &s, &retry, &err))) {
		api_error(resp, rc, &err);
		if (retry > 0) {
			char r[24];
			http_add_header(resp, "Retry-After", nrm_num(r, retry));
		}
	} else
		reply_login(req, resp, &s);
	json_decref(in);
}

void api_session_code(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct session_new s;
	char addr[64];
	json_t *in;
	if (strcmp(((struct api_ctx *)req->ctx)->stage, "code") != 0) {
		nrm_fail(&err, NRM_ECONFLICT, KEY_conflict, NULL, NULL);
		api_error(resp, NRM_ECONFLICT, &err);
		return;
	}
	if (api_body(req, resp, &in))
		return;
	int rc = session_second_factor(api_nrm(req), client_addr(req, addr), http_cookie(req, "nrm_device"), in, &s, &err);
	if (rc) {
		api_error(resp, rc, &err);
		if (err.key == KEY_totp_tries)
			set_cookie(resp, "", 0);
	} else
		reply_login(req, resp, &s);
	json_decref(in);
}

static int totp_begin_op(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	(void)in;
	return totp_begin(c, out, err);
}

void api_totp_begin(struct http_req *r, struct http_resp *p) { api_call_in(r, p, totp_begin_op, 201); }
void api_totp_confirm(struct http_req *r, struct http_resp *p) { api_call_in(r, p, totp_confirm, 200); }
void api_user_totp_reset(struct http_req *r, struct http_resp *p) { api_call_id(r, p, totp_reset, 200); }

void api_totp_qr(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	struct buf svg = {0};
	int rc = totp_qr(api_nrm(req), &svg, &err);
	if (rc) {
		buf_free(&svg);
		api_error(resp, rc, &err);
		return;
	}
	size_t n = svg.len;
	http_reply_bytes(resp, 200, "image/svg+xml", buf_take(&svg), n);
	/* The image holds the secret: never kept by a cache. */
	http_add_header(resp, "Cache-Control", "no-store");
}

void api_session_get(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *a = req->ctx;
	struct nrm_err err = {0};
	json_t *user;
	int rc = user_get(&a->nrm, a->me.id, &user, &err);
	if (rc) {
		api_error(resp, rc, &err);
		return;
	}
	http_reply_json(resp, 200, json_pack("{s:s, s:s, s:o, s:I, s:I}", "csrf", a->csrf, "stage", a->stage, "user",
					     user_view(&a->me, user), "idle_seconds", (json_int_t)SESSION_IDLE, "idle_left",
					     (json_int_t)a->idle_left));
}

void api_session_delete(struct http_req *req, struct http_resp *resp)
{
	struct nrm_err err = {0};
	int rc = session_logout(api_nrm(req), &err);
	if (!rc)
		set_cookie(resp, "", 0);
	json_t *out = json_pack("{s:b}", "ok", 1);
	api_reply(resp, rc, &err, 200, &out);
	json_decref(out);
}

static int change_password(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	int rc = session_change_password(c, in, err);
	if (!rc)
		*out = json_pack("{s:b}", "ok", 1);
	return rc;
}

void api_me_update(struct http_req *r, struct http_resp *p) { api_call_in(r, p, session_set_own, 200); }
void api_me_password(struct http_req *r, struct http_resp *p) { api_call_in(r, p, change_password, 200); }
