/* Setting up a second factor (the user's own), and its reset by the administrator. The secret
 * is sealed at rest (crypt_seal_text, the account in the context, so a sealed secret copied to
 * another account does not open there) and never logged nor audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/input.h"
#include "render/qr.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "secure/totp.h"
#include "store/db.h"
#include "store/user.h"
#include "user/user.h"

static void uri_of(const struct principal *me, const char *b32, char *out, size_t n)
{
	/* The apps' defaults spelt out; the issuer names the system in the user's list of codes. */
	snprintf(out, n, "otpauth://totp/nrm:%s?secret=%s&issuer=nrm&algorithm=SHA1&digits=%d&period=%d", me->username,
		 b32, TOTP_DIGITS, TOTP_STEP);
}

/* The pending secret of the caller, opened into b32 (wiped by the caller). */
static int pending(struct nrm_ctx *c, char b32[TOTP_SECRET_B32], struct nrm_err *err)
{
	char *sealed = NULL;
	if (store_user_totp_pending(c->db, c->me->id, &sealed) != 0)
		return nrm_fail(err, NRM_ECONFLICT, KEY_totp_not_started, NULL, NULL);
	int rc = secure_totp_open(c->keys, "totp-pending", c->me->id, sealed, b32);
	free(sealed);
	return rc;
}

static int enrolled(struct nrm_ctx *c, bool *yes)
{
	json_t *auth;
	int rc = store_user_auth_id(c->db, c->me->id, &auth);
	if (rc)
		return rc;
	*yes = json_is_string(json_object_get(auth, "totp_secret"));
	json_decref(auth);
	return 0;
}

int totp_begin(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	char b32[TOTP_SECRET_B32], ctx[40], uri[256], *sealed = NULL;
	bool yes = false;
	int rc = enrolled(c, &yes);
	if (rc)
		return rc;
	if (yes)
		return nrm_fail(err, NRM_ECONFLICT, KEY_totp_enrolled, NULL, NULL);
	if ((rc = secure_totp_secret(b32)))
		return rc;
	secure_totp_context(ctx, "totp-pending", c->me->id);
	if ((rc = crypt_seal_text(c->keys, ctx, b32, &sealed)))
		goto done;
	if ((rc = store_begin(c->db)) || (rc = store_user_totp_pending_set(c->db, c->me->id, sealed)) ||
	    (rc = secure_audit_id(c->db, c->me, "totp_begin", "user", c->me->id, NULL, NULL, NULL)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		goto done;
	}
	uri_of(c->me, b32, uri, sizeof uri);
	/* The server's clock too: a phone whose clock is off makes codes the server refuses. */
	*out = json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "secret", b32, "uri", uri, "qr", "/api/v1/me/totp/qr.svg",
			 "digits", TOTP_DIGITS, "period", TOTP_STEP, "time", (json_int_t)clock_now());
done:
	sodium_memzero(b32, sizeof b32);
	sodium_memzero(uri, sizeof uri);
	free(sealed);
	return rc;
}

int totp_qr(struct nrm_ctx *c, struct buf *svg, struct nrm_err *err)
{
	char b32[TOTP_SECRET_B32], uri[256];
	int rc = pending(c, b32, err);
	if (rc)
		return rc;
	uri_of(c->me, b32, uri, sizeof uri);
	rc = render_qr_svg(uri, "otpauth", svg);
	sodium_memzero(b32, sizeof b32);
	sodium_memzero(uri, sizeof uri);
	return rc;
}

int totp_confirm(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"code", NULL};
	char b32[TOTP_SECRET_B32], ctx[40], *sealed = NULL;
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN], hashes[RECOVERY_CODES][65];
	const char *hp[RECOVERY_CODES];
	const char *code;
	int64_t step;
	int rc;
	if ((rc = in_only(in, fields, err)) || (rc = in_str(in, "code", true, 16, &code, err)) ||
	    (rc = pending(c, b32, err)))
		return rc;
	if (secure_totp_check(b32, clock_now(), code, &step) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_totp_code_wrong, "code", NULL);
		goto done;
	}
	for (int i = 0; i < RECOVERY_CODES; i++) {
		secure_recovery_code(codes[i]);
		if ((rc = secure_recovery_hash(c->keys, 0, codes[i], hashes[i])))
			goto done;
		hp[i] = hashes[i];
	}
	secure_totp_context(ctx, "totp", c->me->id);
	if ((rc = crypt_seal_text(c->keys, ctx, b32, &sealed)))
		goto done;
	/* A session that could only enrol becomes a full one: the second factor was just shown. */
	if ((rc = store_begin(c->db)) || (rc = store_user_totp_set(c->db, c->me->id, sealed, step)) ||
	    (rc = store_recovery_codes_set(c->db, c->me->id, hp, RECOVERY_CODES)) ||
	    (c->session && (rc = store_session_set_stage(c->db, c->session, "full"))) ||
	    (rc = secure_audit_id(c->db, c->me, "totp_enrol", "user", c->me->id, NULL, NULL, NULL)) ||
	    (rc = store_commit(c->db))) {
		store_rollback(c->db);
		goto done;
	}
	json_t *list = json_array();
	for (int i = 0; i < RECOVERY_CODES; i++)
		json_array_append_new(list, json_string(codes[i]));
	*out = json_pack("{s:b, s:o}", "enrolled", 1, "recovery_codes", list);
done:
	sodium_memzero(b32, sizeof b32);
	sodium_memzero(codes, sizeof codes);
	free(sealed);
	return rc;
}

int totp_reset(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *before = NULL;
	int rc;
	if (!perm_users_manage(c->me))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_users_admin_only, NULL, NULL);
	if ((rc = store_user_get(c->db, id, &before)))
		return rc;
	/* The audit row says that a second factor was reset, for whom and by whom; never the secret. */
	json_t *b = json_pack("{s:b}", "totp", json_is_true(json_object_get(before, "totp")));
	if ((rc = store_begin(c->db)) || (rc = store_user_totp_clear(c->db, id)) ||
	    (rc = store_sessions_delete_user(c->db, id)) ||
	    (rc = secure_audit_id(c->db, c->me, "totp_reset", "user", id, b, NULL, NULL)) || (rc = store_commit(c->db))) {
		store_rollback(c->db);
		goto done;
	}
	*out = json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "username", j_str(before, "username"), "totp", 0);
done:
	json_decref(b);
	json_decref(before);
	return rc;
}
