/* API tokens (user/user.h, token_*): another system's key to the API. The administrator makes
 * one for a client: an account of its own, "api.CLIENT", with a role and its county or
 * institution like a person's, no password (it cannot log in), and the token, answered once and
 * kept only as its hash, with an expiry. Revoking the token ends it and disables the account.
 * A request with the token acts as that account, with exactly its access; every step audited,
 * never the token itself. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/db.h"
#include "store/user.h"
#include "user/user.h"

#define TOKEN_PREFIX "nrm_"
#define TOKEN_DAYS_DEFAULT 90
#define TOKEN_DAYS_MAX 366
/* Not an Argon2id string: no password verifies against it. */
#define NO_PASSWORD "!api-client"

int token_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"client", "name", "role", "county", "institution", "days", NULL};
	const char *client, *name, *role, *cslug;
	int64_t inst = 0, county = 0, days = TOKEN_DAYS_DEFAULT, uid = 0, id = 0;
	int rc;
	if ((rc = user_need_admin(c, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_line(in, "client", true, 48, &client, err)) || (rc = in_line(in, "name", true, 200, &name, err)) ||
	    (rc = in_str(in, "role", true, 40, &role, err)) || (rc = in_str(in, "county", false, 40, &cslug, err)) ||
	    (rc = in_int(in, "institution", false, &inst, err)) ||
	    (json_object_get(in, "days") && (rc = in_int(in, "days", true, &days, err))))
		return rc;
	for (const char *p = client; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return nrm_fail(err, NRM_EINVAL, KEY_username_chars, "client", NULL);
	if (days < 1 || days > TOKEN_DAYS_MAX)
		return nrm_fail(err, NRM_EINVAL, KEY_out_of_range, "days", NULL);
	/* Another system never administers accounts. */
	if (strcmp(role, "admin") == 0)
		return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, "role", "allowed",
				"authority_chair, authority_member, authority_secretariat, ministry_monitor, dpo, "
				"county_secretariat, krat_member, table_member, caseworker",
				NULL);
	if ((rc = user_scope_check(c, role, cslug, inst, &county, err)))
		return rc;
	char username[64], token[sizeof TOKEN_PREFIX + TOKEN_LEN], raw[TOKEN_LEN], hash[TOKEN_HASH_LEN];
	snprintf(username, sizeof username, "api.%s", client);
	secure_token(raw);
	snprintf(token, sizeof token, TOKEN_PREFIX "%s", raw);
	secure_token_hash(token, hash);
	int64_t expires = (int64_t)clock_now() + days * 86400;
	json_t *row = NULL, *audit = NULL;
	if ((rc = store_begin(c->db)))
		return rc;
	rc = store_user_add(c->db, username, name, role, county, inst, NO_PASSWORD, &uid);
	if (rc == NRM_EEXIST)
		nrm_fail(err, rc, KEY_username_taken, "client", NULL);
	if (!rc)
		rc = store_token_add(c->db, uid, hash, name, c->me->id, expires, &id);
	if (!rc)
		rc = store_token_get(c->db, id, &row);
	/* What the trail keeps: the token's id, account, scope and expiry — never the token. */
	if (!rc && !(audit = json_deep_copy(row)))
		rc = NRM_ENOMEM;
	if (!rc)
		rc = secure_audit_id(c->db, c->me, "create", "api_token", id, NULL, audit, NULL);
	/* The account's own history shows it too. */
	json_t *account = NULL;
	if (!rc && !(rc = store_user_get(c->db, uid, &account)))
		rc = secure_audit_id(c->db, c->me, "create", "user", uid, NULL, account, NULL);
	json_decref(account);
	if (!rc)
		rc = store_commit(c->db);
	json_decref(audit);
	if (rc) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	json_object_set_new(row, "token", json_string(token));
	*out = row;
	return 0;
}

int token_list(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	int rc = user_need_admin(c, err);
	return rc ? rc : store_tokens(c->db, out);
}

int token_revoke(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *row = NULL;
	int rc = user_need_admin(c, err);
	if (rc)
		return rc;
	if ((rc = store_begin(c->db)))
		return rc;
	rc = store_token_revoke(c->db, id, c->me->id);
	if (rc == NRM_ENOTFOUND)
		nrm_fail(err, rc, KEY_not_found, NULL, NULL);
	else if (rc == NRM_ECONFLICT)
		nrm_fail(err, rc, KEY_token_revoked, NULL, NULL);
	if (!rc)
		rc = store_token_get(c->db, id, &row);
	if (!rc)
		rc = secure_audit_id(c->db, c->me, "revoke", "api_token", id, NULL, NULL, NULL);
	json_t *off = json_pack("{s:b}", "disabled", 1), *on = json_pack("{s:b}", "disabled", 0);
	if (!rc)
		rc = secure_audit_id(c->db, c->me, "update", "user", j_int(row, "user_id"), on, off, NULL);
	json_decref(off);
	json_decref(on);
	if (!rc)
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
		json_decref(row);
		return rc;
	}
	*out = row;
	return 0;
}

int token_check(struct nrm_ctx *c, const char *token, struct session_seen *out, struct nrm_err *err)
{
	char hash[TOKEN_HASH_LEN];
	json_t *row = NULL;
	int64_t now = (int64_t)clock_now();
	/* One answer for a token unknown, revoked, expired or of a disabled account. */
	if (!token || strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 || strlen(token) >= 128)
		return nrm_fail(err, NRM_EAUTH, KEY_unauthorized, NULL, NULL);
	secure_token_hash(token, hash);
	if (store_token_by_hash(c->db, hash, now, &row) != 0)
		return nrm_fail(err, NRM_EAUTH, KEY_unauthorized, NULL, NULL);
	struct principal p;
	int rc = secure_principal_of(row, &p);
	/* Its last use, to the minute: its own transaction, as a session's (store_session_touch). */
	json_t *last = json_object_get(row, "last_used_at");
	if (!rc && (!json_is_integer(last) || now - json_integer_value(last) >= 60))
		store_token_used(c->db, j_int(row, "token_id"), now);
	json_decref(row);
	if (rc)
		return nrm_fail(err, NRM_EAUTH, KEY_unauthorized, NULL, NULL);
	memset(out, 0, sizeof *out);
	out->me = p;
	memcpy(out->hash, hash, sizeof hash);
	snprintf(out->stage, sizeof out->stage, "full");
	out->idle_left = SESSION_IDLE;
	return 0;
}
