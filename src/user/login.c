/* Logging in: the password, the slowdown after failed logins, the second factor, and the
 * notice of failed attempts at the next login.
 *
 * The slowdown (user.h) is checked before the password, so a request that must wait costs no
 * Argon2id hash and tells nothing of the password. It is keyed by a keyed hash of the name
 * typed, never by whether the account exists, so unknown and known names are slowed alike and
 * no typed text (a password typed in the wrong box) is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/input.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/password.h"
#include "secure/perm.h"
#include "secure/totp.h"
#include "store/db.h"
#include "store/user.h"
#include "user/user.h"

bool user_needs_totp(json_t *user)
{
	int r = role_parse(j_str(user, "role"));
	return r >= 0 && perm_needs_second_factor((enum role)r) && !j_int(user, "totp_exempt");
}

/* The keyed hash a failure is kept under: the name typed, lower-cased. */
static int account_key(struct nrm_ctx *c, const char *username, char out[65])
{
	char low[72];
	size_t n = strlen(username);
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = username[i] >= 'A' && username[i] <= 'Z' ? (char)(username[i] - 'A' + 'a') : username[i];
	low[n] = '\0';
	/* Under the first version's key, which a rotation keeps (retired), so the counts of the last
	 * minutes carry over a rotation. */
	unsigned char h[32], key[32];
	int rc = crypt_subkey(c->keys, 1, 1, "nrm-fail", key, NULL);
	if (rc == NRM_ENOTFOUND)
		rc = crypt_subkey(c->keys, 0, 1, "nrm-fail", key, NULL);
	if (rc) {
		/* Never left unwritten: a fixed text counts such failures together. */
		snprintf(out, 65, "%s", "unkeyed");
		return rc;
	}
	crypto_generichash(h, sizeof h, (const unsigned char *)low, n, key, sizeof key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

/* Seconds still to wait after n failures, the last at `last`, of which `free` cost nothing. */
static int64_t wait_of(int64_t n, int64_t last, int64_t now, int free, int64_t cap)
{
	if (n < free)
		return 0;
	int64_t shift = n - free, w = LOGIN_FIRST_WAIT;
	while (shift-- > 0 && w < cap)
		w *= 2;
	if (w > cap)
		w = cap;
	return last + w - now;
}

/* The longest wait the three keys ask for (0: none). A known device waives the account's. */
static int slowdown(struct nrm_ctx *c, const char *account, const char *addr, bool known, int64_t now, int64_t *wait)
{
	int64_t since = now - LOGIN_WINDOW, n, last, w;
	int rc;
	*wait = 0;
	if ((rc = store_login_failures_count(c->db, account, addr, since, &n, &last)))
		return rc;
	if ((w = wait_of(n, last, now, LOGIN_FREE_PAIR, LOGIN_MAX_WAIT)) > *wait)
		*wait = w;
	if ((rc = store_login_failures_count(c->db, NULL, addr, since, &n, &last)))
		return rc;
	if ((w = wait_of(n, last, now, LOGIN_FREE_ADDR, LOGIN_MAX_WAIT)) > *wait)
		*wait = w;
	if (!known) {
		if ((rc = store_login_failures_count(c->db, account, NULL, since, &n, &last)))
			return rc;
		if ((w = wait_of(n, last, now, LOGIN_FREE_ACCOUNT, LOGIN_ACCOUNT_MAX_WAIT)) > *wait)
			*wait = w;
	}
	return 0;
}

static int slowed(int64_t wait, int64_t *retry_after, struct nrm_err *err)
{
	char b[24];
	*retry_after = wait;
	return nrm_fail(err, NRM_ELOCKED, KEY_login_slowed, NULL, "seconds", nrm_num(b, wait), NULL);
}

/* A failure kept for the slowdown and the notice, and (for an account) an audit row: the
 * auditor's pattern of repeated failures. One of a name that is no account is not audited. */
static void failure(struct nrm_ctx *c, const char *account, int64_t id, const char *username, const char *addr,
		    const char *kind, int64_t now)
{
	struct principal p = {.id = id};
	snprintf(p.username, sizeof p.username, "%s", username);
	json_t *after = json_pack("{s:s, s:s}", "addr", addr, "kind", kind);
	if (store_begin(c->db) == 0 &&
	    (store_login_failure_add(c->db, account, id, addr, kind, now) ||
	     (id && secure_audit_id(c->db, &p, "login_failed", "user", id, NULL, after, NULL)) || store_commit(c->db)))
		store_rollback(c->db);
	json_decref(after);
}

/* Whether a device cookie is one nrm could have made (43 base64url characters): anything else
 * is neither looked up nor ever sent back in a header. */
static bool device_shaped(const char *device)
{
	return device && strlen(device) == TOKEN_LEN - 1 &&
	       strspn(device, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == TOKEN_LEN - 1;
}

static bool device_known(struct nrm_ctx *c, const char *device, int64_t id)
{
	if (!device_shaped(device))
		return false;
	char h[TOKEN_HASH_LEN];
	secure_token_hash(device, h);
	return store_device_known(c->db, h, id) == 0;
}

/* The failed logins since the account's last login, for the notice. */
static int failed_since(struct nrm_ctx *c, int64_t id, int64_t since, json_t **out)
{
	json_t *rows = NULL, *r;
	int64_t n = 0;
	size_t i;
	int rc = store_login_failures_of(c->db, id, since, 10, &rows, &n);
	if (rc)
		return rc;
	json_array_foreach(rows, i, r) {
		char at[24];
		time_t t = (time_t)j_int(r, "ts");
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(r, "at", json_string(at));
		json_object_del(r, "ts");
	}
	*out = json_pack("{s:I, s:o}", "count", (json_int_t)n, "items", rows);
	return 0;
}

/* Opens a session of `stage` for user `id` in the caller's transaction, with a new token and
 * CSRF token into s. A full session also marks the login, and (a browser) its device. */
static int open_session(struct nrm_ctx *c, int64_t id, const char *stage, const char *device, int64_t now,
			struct session_new *s)
{
	char th[TOKEN_HASH_LEN];
	int rc;
	secure_token(s->token);
	secure_token(s->csrf);
	secure_token_hash(s->token, th);
	s->stage = stage;
	s->device[0] = '\0';
	int64_t until = now + (strcmp(stage, "code") == 0 ? CODE_SECONDS : SESSION_MAX_AGE);
	if ((rc = store_sessions_purge(c->db, now)) || (rc = store_session_add(c->db, th, id, s->csrf, now, until, stage)))
		return rc;
	if (strcmp(stage, "code") == 0)
		return 0;
	/* The device cookie the browser already has is kept (it may know other accounts too). */
	if (device_shaped(device))
		snprintf(s->device, sizeof s->device, "%s", device);
	else
		secure_token(s->device);
	secure_token_hash(s->device, th);
	return store_device_add(c->db, th, id, now);
}

/* Ends a login that is complete (stage "full" or "enrol"): the notice of failures since the
 * last login, the last login moved to now, the audit row, the user as shown. In the caller's
 * transaction. */
static int finish(struct nrm_ctx *c, int64_t id, int64_t last_login, const char *addr, const char *how, int64_t now,
		  struct session_new *s, struct nrm_err *err)
{
	json_t *user = NULL, *after = NULL;
	struct principal p;
	int rc;
	if ((rc = failed_since(c, id, last_login, &s->failed)) || (rc = store_user_set_last_login(c->db, id, now)) ||
	    (rc = store_login_failures_purge(c->db, now - LOGIN_KEEP_DAYS * 86400)) ||
	    (rc = store_user_get(c->db, id, &user)))
		goto done;
	if (secure_principal_of(user, &p) != 0) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_account_no_role, NULL, NULL);
		goto done;
	}
	after = json_pack("{s:s, s:s, s:s}", "addr", addr, "stage", s->stage, "with", how);
	if ((rc = secure_audit_id(c->db, &p, "login", "user", id, NULL, after, NULL)))
		goto done;
	s->user = user_view(&p, user);
	user = NULL;
done:
	json_decref(user);
	json_decref(after);
	if (rc) {
		json_decref(s->failed);
		s->failed = NULL;
	}
	return rc;
}

int session_login(struct nrm_ctx *c, const struct login_try *t, struct session_new *out, int64_t *retry_after,
		  struct nrm_err *err)
{
	json_t *auth = NULL;
	char account[65];
	int64_t now = (int64_t)clock_now(), wait = 0;
	int rc = store_user_auth(c->db, t->username, &auth);
	if (rc && rc != NRM_ENOTFOUND)
		return rc;
	int64_t id = auth ? j_int(auth, "id") : 0;
	account_key(c, t->username, account);
	if ((rc = slowdown(c, account, t->addr, id && device_known(c, t->device, id), now, &wait)))
		goto done;
	if (wait > 0) {
		rc = slowed(wait, retry_after, err);
		goto done;
	}
	/* An unknown name costs a real check too, so timing does not tell which usernames exist. */
	int match;
	if (auth)
		match = secure_password_verify(j_str(auth, "password_hash"), t->password);
	else {
		char dummy[PASSWORD_HASH_LEN];
		match = secure_password_hash("not-a-user", dummy) == NRM_EBUSY ? NRM_EBUSY : NRM_EAUTH;
	}
	if (match == NRM_EBUSY) {
		rc = NRM_EBUSY;
		goto done;
	}
	if (match != 0) {
		failure(c, account, id, t->username, t->addr, "password", now);
		rc = nrm_fail(err, NRM_EAUTH, KEY_wrong_credentials, NULL, NULL);
		goto done;
	}
	if (j_int(auth, "disabled")) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_account_disabled, NULL, NULL);
		goto done;
	}
	struct session_new s = {0};
	bool enrolled = json_is_string(json_object_get(auth, "totp_secret"));
	const char *stage = enrolled ? "code" : user_needs_totp(auth) ? "enrol" : "full";
	if ((rc = store_begin(c->db)) || (rc = open_session(c, id, stage, t->device, now, &s)) ||
	    (!enrolled && (rc = finish(c, id, j_int(auth, "last_login_at"), t->addr, "password", now, &s, err))) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(s.user);
		json_decref(s.failed);
		goto done;
	}
	*out = s;
done:
	json_decref(auth);
	return rc;
}

/* A wrong code: counted in the session (its last try ends it) and as a failed login. */
static int wrong_code(struct nrm_ctx *c, int64_t id, const char *username, const char *addr, enum nrm_key key,
		      const char *field, bool record, int64_t now, struct nrm_err *err)
{
	char account[65];
	int64_t tries = 0;
	if (record) {
		account_key(c, username, account);
		failure(c, account, id, username, addr, "code", now);
	}
	if (store_begin(c->db) == 0 && (store_session_try(c->db, c->session, &tries) || store_commit(c->db)))
		store_rollback(c->db);
	if (tries >= CODE_MAX_TRIES) {
		if (store_begin(c->db) == 0 && (store_session_delete(c->db, c->session) || store_commit(c->db)))
			store_rollback(c->db);
		return nrm_fail(err, NRM_EAUTH, KEY_totp_tries, NULL, NULL);
	}
	return nrm_fail(err, NRM_EAUTH, key, field, NULL);
}

int session_second_factor(struct nrm_ctx *c, const char *addr, const char *device, json_t *in, struct session_new *out,
			  struct nrm_err *err)
{
	static const char *const fields[] = {"code", "recovery_code", NULL};
	json_t *auth = NULL;
	const char *code = NULL, *recovery = NULL;
	char b32[TOTP_SECRET_B32] = "";
	int64_t id = c->me->id, now = (int64_t)clock_now(), step = 0;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_str(in, "code", false, 16, &code, err)) ||
	    (rc = in_str(in, "recovery_code", false, 40, &recovery, err)))
		return rc;
	if (!code && !recovery)
		return nrm_fail(err, NRM_EINVAL, KEY_totp_code_missing, "code", NULL);
	if ((rc = store_user_auth_id(c->db, id, &auth)))
		return rc;
	const char *sealed = j_str(auth, "totp_secret");
	if (!sealed || !*sealed) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_totp_not_started, NULL, NULL);
		goto done;
	}
	char hash[65] = "";
	if (code) {
		if ((rc = secure_totp_open(c->keys, "totp", id, sealed, b32)))
			goto done;
		if (secure_totp_check(b32, (time_t)now, code, &step) != 0) {
			rc = wrong_code(c, id, c->me->username, addr, KEY_totp_code_wrong, "code", true, now, err);
			goto done;
		}
	}
	struct session_new s = {0};
	if ((rc = store_begin(c->db)))
		goto done;
	/* Spending the code is part of the one transaction, so two requests cannot both use it. */
	if (code) {
		rc = store_user_totp_use(c->db, id, step);
	} else {
		/* Codes given before a key rotation were hashed under an older version. */
		rc = NRM_ENOTFOUND;
		for (uint32_t v = crypt_key_version(c->keys); v >= 1 && rc == NRM_ENOTFOUND; v--)
			if (secure_recovery_hash(c->keys, v, recovery, hash) == 0)
				rc = store_recovery_code_use(c->db, id, hash, now);
	}
	if (rc == NRM_ECONFLICT || rc == NRM_ENOTFOUND) {
		store_rollback(c->db);
		rc = code ? wrong_code(c, id, c->me->username, addr, KEY_totp_code_used, "code", false, now, err)
			  : wrong_code(c, id, c->me->username, addr, KEY_recovery_code_wrong, "recovery_code", true, now, err);
		goto done;
	}
	if (rc || (rc = store_session_delete(c->db, c->session)) || (rc = open_session(c, id, "full", device, now, &s)) ||
	    (rc = finish(c, id, j_int(auth, "last_login_at"), addr, code ? "totp" : "recovery_code", now, &s, err)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		json_decref(s.user);
		json_decref(s.failed);
		goto done;
	}
	if (recovery) {
		int64_t left = 0;
		store_recovery_codes_left(c->db, id, &left);
		json_object_set_new(s.user, "recovery_codes_left", json_integer(left));
	}
	*out = s;
done:
	sodium_memzero(b32, sizeof b32);
	json_decref(auth);
	return rc;
}
