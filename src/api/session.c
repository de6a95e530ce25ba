/* Logging in and out, the current user, and the health check. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "secure/audit.h"
#include "secure/password.h"
#include "secure/perm.h"
#include "secure/token.h"
#include "store/org.h"
#include "store/user.h"

#define SESSION_MAX_AGE (12 * 3600)
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_SECONDS (15 * 60)

void api_health(struct http_req *req, struct http_resp *resp)
{
	int v = store_schema_version(api_ctx(req)->db);
	if (v < 0) {
		api_fail(resp, NRM_EIO, NULL, "database unavailable");
		return;
	}
	http_reply_json(resp, 200, json_pack("{s:s, s:s, s:i}", "status", "ok", "version", NRM_VERSION, "schema", v));
}

/* The user as the API shows it, with what the UI may offer ("can"); steals user. */
json_t *api_user_view(const struct principal *p, json_t *user)
{
	json_t *can = json_object();
	json_object_set_new(can, "manage_users", json_boolean(perm_users_manage(p)));
	json_object_set_new(can, "read_audit", json_boolean(perm_audit_read(p)));
	json_object_set_new(can, "edit_national_org", json_boolean(perm_org_edit(p, 0)));
	json_t *edit = json_null();
	if (p->role == ROLE_ADMIN)
		edit = json_string("*");
	else if (p->role == ROLE_COUNTY_SECRETARIAT && json_is_string(json_object_get(user, "county")))
		edit = json_incref(json_object_get(user, "county"));
	json_object_set_new(can, "edit_county_org", edit);
	json_object_del(user, "county_id");
	json_object_del(user, "institution_county_id");
	json_object_set_new(user, "can", can);
	return user;
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
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	json_t *in = NULL, *user = NULL;
	char *hash = NULL;
	const char *username, *password;
	int64_t retry = 0;
	static const char *const fields[] = {"username", "password", NULL};
	if (api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "username", true, 64, &username, &err)) ||
	    (rc = in_str(in, "password", true, 256, &password, &err)))
		goto fail;

	int64_t id = 0, locked_until = 0, now = (int64_t)time(NULL);
	int disabled = 0;
	rc = store_user_secret(c->db, username, &id, &hash, &disabled, &locked_until);
	if (rc == NRM_ENOTFOUND) {
		/* Same cost as a real check, so timing does not tell which usernames exist. */
		char dummy[PASSWORD_HASH_LEN];
		rc = secure_password_hash("not-a-user", dummy) == NRM_EBUSY
			     ? NRM_EBUSY
			     : nrm_fail(&err, NRM_EAUTH, NULL, "wrong username or password");
		goto fail;
	}
	if (rc)
		goto fail;
	int match = secure_password_verify(hash, password);
	if (match == NRM_EBUSY) {
		rc = NRM_EBUSY;
		goto fail;
	}
	/* A locked account says so only to someone who knows its password: the lock reveals
	 * neither which usernames exist nor that someone is guessing. */
	if (locked_until > now && match == 0) {
		retry = locked_until - now;
		rc = nrm_fail(&err, NRM_ELOCKED, NULL,
			      "account locked after %d failed logins; try again in %lld minutes or ask the administrator",
			      LOGIN_MAX_FAILURES, (long long)((locked_until - now + 59) / 60));
		goto fail;
	}
	if (locked_until > now) {
		rc = nrm_fail(&err, NRM_EAUTH, NULL, "wrong username or password");
		goto fail;
	}
	if (match != 0) {
		if (store_begin(c->db) == 0) {
			store_user_login_failed(c->db, id, LOGIN_MAX_FAILURES, now + LOGIN_LOCK_SECONDS);
			store_commit(c->db);
		}
		rc = nrm_fail(&err, NRM_EAUTH, NULL, "wrong username or password");
		goto fail;
	}
	if (disabled) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "this account is disabled; ask the administrator");
		goto fail;
	}

	char token[TOKEN_LEN], csrf[TOKEN_LEN], th[TOKEN_HASH_LEN];
	secure_token(token);
	secure_token(csrf);
	secure_token_hash(token, th);
	if ((rc = store_begin(c->db)))
		goto fail;
	if ((rc = store_sessions_purge(c->db, now)) || (rc = store_session_add(c->db, th, id, csrf, now, now + SESSION_MAX_AGE)) ||
	    (rc = store_user_login_ok(c->db, id)) || (rc = store_user_get(c->db, id, &user)))
		goto fail;
	struct principal p;
	if (secure_principal_of(user, &p) != 0) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "this account has no valid role; ask the administrator");
		goto fail;
	}
	if ((rc = secure_audit_id(c->db, &p, "login", "user", id, NULL, NULL, NULL)) || (rc = store_commit(c->db)))
		goto fail;
	req->user_id = id;
	set_cookie(resp, token, SESSION_MAX_AGE);
	http_reply_json(resp, 200, json_pack("{s:s, s:o}", "csrf", csrf, "user", api_user_view(&p, user)));
	user = NULL;
	goto done;
fail:
	store_rollback(c->db);
	api_error(resp, rc, &err);
	if (retry > 0) {
		char s[24];
		snprintf(s, sizeof s, "%lld", (long long)retry);
		http_add_header(resp, "Retry-After", s);
	}
done:
	free(hash);
	json_decref(user);
	json_decref(in);
}

void api_session_get(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	json_t *user;
	int rc = store_user_get(c->db, c->me.id, &user);
	if (rc) {
		api_error(resp, rc, NULL);
		return;
	}
	http_reply_json(resp, 200, json_pack("{s:s, s:o}", "csrf", c->csrf, "user", api_user_view(&c->me, user)));
}

void api_session_delete(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int rc = store_begin(c->db);
	if (!rc && !(rc = store_session_delete(c->db, c->token_hash)) &&
	    !(rc = secure_audit_id(c->db, &c->me, "logout", "user", c->me.id, NULL, NULL, NULL)))
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
		api_error(resp, rc, NULL);
		return;
	}
	set_cookie(resp, "", 0);
	http_reply_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

void api_me_update(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"lang", NULL};
	static const char *const langs[] = {"sq", "en", NULL};
	json_t *in, *user = NULL;
	const char *lang;
	if (api_body(req, resp, &in))
		return;
	int rc;
	json_t *after = NULL;
	if ((rc = in_only(in, fields, &err)) || (rc = in_enum(in, "lang", true, langs, &lang, &err)) ||
	    (rc = store_begin(c->db)))
		goto fail;
	after = json_pack("{s:s}", "lang", lang);
	if ((rc = store_user_set_lang(c->db, c->me.id, lang)) ||
	    (rc = secure_audit_id(c->db, &c->me, "update", "user", c->me.id, NULL, after, NULL)) ||
	    (rc = store_user_get(c->db, c->me.id, &user)) || (rc = store_commit(c->db)))
		goto fail;
	http_reply_json(resp, 200, api_user_view(&c->me, user));
	json_decref(after);
	json_decref(in);
	return;
fail:
	store_rollback(c->db);
	api_error(resp, rc, &err);
	json_decref(after);
	json_decref(in);
}

void api_me_password(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"current", "new", NULL};
	json_t *in;
	char *hash = NULL;
	const char *cur, *pw;
	if (api_body(req, resp, &in))
		return;
	int64_t id, locked;
	int disabled, rc;
	char newhash[PASSWORD_HASH_LEN];
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "current", true, 256, &cur, &err)) ||
	    (rc = in_str(in, "new", true, 256, &pw, &err)) || (rc = secure_password_acceptable(pw, &err)))
		goto fail;
	if ((rc = store_user_secret(c->db, c->me.username, &id, &hash, &disabled, &locked)))
		goto fail;
	if (secure_password_verify(hash, cur) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "current", "the current password is wrong");
		goto fail;
	}
	if ((rc = secure_password_hash(pw, newhash)) || (rc = store_begin(c->db)))
		goto fail;
	if ((rc = store_user_set_password(c->db, id, newhash)) ||
	    (rc = store_sessions_delete_other(c->db, id, c->token_hash)) ||
	    (rc = secure_audit_id(c->db, &c->me, "password", "user", id, NULL, NULL, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
	http_reply_json(resp, 200, json_pack("{s:b}", "ok", 1));
	goto done;
fail:
	store_rollback(c->db);
	api_error(resp, rc, &err);
done:
	free(hash);
	json_decref(in);
}
