/* Logging in and out, the current user, labels and the health check. */
#include "api/api.h"

#include <stdio.h>

#include "core/input.h"
#include "core/labels.h"
#include "store/db.h"
#include "user/user.h"

void api_health(struct http_req *req, struct http_resp *resp)
{
	int v = store_schema_version(api_nrm(req)->db);
	if (v < 0) {
		struct nrm_err e = {0};
		api_error(resp, nrm_fail(&e, NRM_EIO, KEY_database_unavailable, NULL, NULL), &e);
		return;
	}
	http_reply_json(resp, 200, json_pack("{s:s, s:s, s:i}", "status", "ok", "version", NRM_VERSION, "schema", v));
}

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

void api_session_create(struct http_req *req, struct http_resp *resp)
{
	static const char *const fields[] = {"username", "password", NULL};
	struct nrm_err err = {0};
	struct session_new s;
	json_t *in;
	const char *username, *password;
	int64_t retry = 0;
	if (api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "username", true, 64, &username, &err)) ||
	    (rc = in_str(in, "password", true, 256, &password, &err)) ||
	    (rc = session_login(api_nrm(req), username, password, &s, &retry, &err))) {
		api_error(resp, rc, &err);
		if (retry > 0) {
			char r[24];
			http_add_header(resp, "Retry-After", nrm_num(r, retry));
		}
	} else {
		req->user_id = j_int(s.user, "id");
		set_cookie(resp, s.token, SESSION_MAX_AGE);
		http_reply_json(resp, 200, json_pack("{s:s, s:o}", "csrf", s.csrf, "user", s.user));
	}
	json_decref(in);
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
	http_reply_json(resp, 200, json_pack("{s:s, s:o, s:I, s:I}", "csrf", a->csrf, "user", user_view(&a->me, user),
					     "idle_seconds", (json_int_t)SESSION_IDLE, "idle_left",
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
