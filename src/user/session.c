/* The session behind each request, logging out, and what users change of their own account
 * (logging in is user/login.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "secure/audit.h"
#include "secure/password.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/user.h"
#include "user/user.h"

int session_check(struct nrm_ctx *c, const char *token, bool background, struct session_seen *out,
		  struct nrm_err *err)
{
	char th[TOKEN_HASH_LEN];
	json_t *row;
	if (!token || !*token || strlen(token) >= 128)
		return nrm_fail(err, NRM_EAUTH, KEY_unauthorized, NULL, NULL);
	secure_token_hash(token, th);
	int64_t now = (int64_t)clock_now();
	if (store_session_get(c->db, th, now, &row) != 0)
		return nrm_fail(err, NRM_EAUTH, KEY_session_expired, NULL, NULL);
	int64_t last = j_int(row, "last_seen");
	if (last + SESSION_IDLE < now) {
		json_decref(row);
		if (store_begin(c->db) == 0 && (store_session_delete(c->db, th) || store_commit(c->db)))
			store_rollback(c->db);
		return nrm_fail(err, NRM_EAUTH, KEY_session_expired, NULL, NULL);
	}
	struct principal p;
	int rc = secure_principal_of(row, &p);
	/* Touched at most once a minute: one statement, its own transaction. */
	if (!rc && !background && now - last >= 60 && store_session_touch(c->db, th, now) == 0)
		last = now;
	if (!rc) {
		out->me = p;
		memcpy(out->hash, th, TOKEN_HASH_LEN);
		snprintf(out->csrf, TOKEN_LEN, "%s", j_str(row, "csrf"));
		snprintf(out->stage, sizeof out->stage, "%s", j_str(row, "stage"));
		int64_t left = last + SESSION_IDLE - now, age_left = j_int(row, "expires_at") - now;
		out->idle_left = left < age_left ? left : age_left;
	}
	json_decref(row);
	return rc ? nrm_fail(err, NRM_EAUTH, KEY_unauthorized, NULL, NULL) : 0;
}

int session_logout(struct nrm_ctx *c, struct nrm_err *err)
{
	(void)err;
	int rc;
	if ((rc = store_begin(c->db)) || (rc = store_session_delete(c->db, c->session)) ||
	    (rc = secure_audit_id(c->db, c->me, "logout", "user", c->me->id, NULL, NULL, NULL)) ||
	    (rc = store_commit(c->db)))
		store_rollback(c->db);
	return rc;
}

int session_set_own(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"lang", "email", NULL};
	static const char *const langs[] = {"sq", "en", NULL};
	json_t *user = NULL, *before = NULL, *after = NULL;
	const char *lang = NULL, *email = NULL;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_enum(in, "lang", false, langs, &lang, err)) ||
	    (rc = in_email(in, "email", &email, err)))
		return rc;
	if ((rc = store_begin(c->db)) || (rc = store_user_get(c->db, c->me->id, &before)) ||
	    (lang && (rc = store_user_set_lang(c->db, c->me->id, lang))) ||
	    (in_has(in, "email") && (rc = store_user_set_email(c->db, c->me->id, email))) ||
	    (rc = store_user_get(c->db, c->me->id, &user)))
		goto done;
	static const char *const shown[] = {"lang", "email", NULL};
	json_t *b = j_pick(before, shown);
	after = j_pick(user, shown);
	rc = secure_audit_id(c->db, c->me, "update", "user", c->me->id, b, after, NULL);
	json_decref(b);
	if (rc || (rc = store_commit(c->db)))
		goto done;
	*out = user_view(c->me, user);
	user = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(user);
	json_decref(before);
	json_decref(after);
	return rc;
}

int session_change_password(struct nrm_ctx *c, json_t *in, struct nrm_err *err)
{
	static const char *const fields[] = {"current", "new", NULL};
	char *hash = NULL, newhash[PASSWORD_HASH_LEN];
	const char *cur, *pw;
	int64_t id, locked;
	int disabled, rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_str(in, "current", true, PASSWORD_MAX_LEN, &cur, err)) ||
	    (rc = in_str(in, "new", true, PASSWORD_MAX_LEN, &pw, err)) ||
	    (rc = secure_password_acceptable(pw, c->me->username, "new", err)) ||
	    (rc = store_user_secret(c->db, c->me->username, &id, &hash, &disabled, &locked)))
		return rc;
	rc = secure_password_verify(hash, cur);
	free(hash);
	if (rc == NRM_EBUSY)
		return rc;
	if (rc)
		return nrm_fail(err, NRM_EINVAL, KEY_wrong_current_password, "current", NULL);
	if ((rc = secure_password_hash(pw, newhash)) || (rc = store_begin(c->db)))
		return rc;
	if ((rc = store_user_set_password(c->db, id, newhash)) ||
	    (rc = store_sessions_delete_other(c->db, id, c->session ? c->session : "")) ||
	    (rc = secure_audit_id(c->db, c->me, "password", "user", id, NULL, NULL, NULL)) || (rc = store_commit(c->db)))
		store_rollback(c->db);
	return rc;
}
