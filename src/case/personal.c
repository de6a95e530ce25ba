/* Personal data of a case: the encrypted fields, the reasons and notes written about the
 * person (sealed too), and reading them with a reason. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "core/clock.h"
#include "secure/audit.h"
#include "store/db.h"

struct decrypt_ctx {
	struct nrm_ctx *c;
	int64_t id;
	json_t *out;
};

static int decrypt_one(const char *field, const unsigned char *blob, size_t len, void *ud)
{
	struct decrypt_ctx *d = ud;
	json_t *v;
	int rc = crypt_open_json(d->c->keys, d->id, field, blob, len, &v);
	if (!rc)
		json_object_set_new(d->out, field, v);
	return rc;
}

int case_decrypt(struct nrm_ctx *c, int64_t id, json_t **out)
{
	struct decrypt_ctx d = {c, id, json_object()};
	int rc = store_personal_each(c->db, id, decrypt_one, &d);
	if (rc) {
		json_decref(d.out);
		return rc;
	}
	*out = d.out;
	return 0;
}

int case_write_personal(struct nrm_ctx *c, int64_t id, json_t *changed)
{
	const char *k;
	json_t *v;
	json_object_foreach(changed, k, v) {
		if (!form_is_personal(c->form, k))
			continue;
		int rc;
		if (!form_filled(v)) {
			rc = store_personal_delete(c->db, id, k);
		} else {
			unsigned char *ct;
			size_t n;
			if ((rc = crypt_seal_json(c->keys, id, k, v, &ct, &n)))
				return rc;
			rc = store_personal_put(c->db, id, k, ct, n);
			free(ct);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int case_seal(struct nrm_ctx *c, const char *code, const char *text, char **out)
{
	char ctx[64];
	if (!text || !*text) {
		*out = NULL;
		return 0;
	}
	crypt_reason_context(ctx, code);
	return crypt_seal_text(c->keys, ctx, text, out);
}

char *case_open(struct nrm_ctx *c, const char *code, const char *stored)
{
	char ctx[64], *pt = NULL;
	if (!stored)
		return NULL;
	crypt_reason_context(ctx, code);
	if (!crypt_is_sealed(stored) || crypt_open_text(c->keys, ctx, stored, &pt) != 0)
		return strdup("(unreadable)");
	return pt;
}

void case_open_each(struct nrm_ctx *c, json_t *rows, const char *key, const char *code, bool show)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_t *v = json_object_get(r, key);
		if (!json_is_string(v))
			continue;
		char *pt = show ? case_open(c, code ? code : j_str(r, "case_code"), json_string_value(v)) : NULL;
		json_object_set_new(r, key, json_string(pt ? pt : "(hidden)"));
		if (pt) {
			sodium_memzero(pt, strlen(pt));
			free(pt);
		}
	}
}

int case_personal(struct nrm_ctx *c, const char *code, const char *reason, json_t **out, struct nrm_err *err)
{
	json_t *row, *all = NULL, *allowed = NULL;
	enum case_access a;
	char *prior = NULL, *sealed = NULL;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	int64_t id = j_int(row, "id");
	bool given = reason && *reason;
	if (a < CASE_REFERRAL) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_personal_forbidden, NULL, NULL);
		goto done;
	}
	if (given && strlen(reason) > 500) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_too_long, "reason", "max", "500", NULL);
		goto done;
	}
	/* A reason once per case and session: the one given earlier in this session stands. */
	if (!given && c->session && store_personal_read_get(c->db, c->session, id, &sealed) == 0) {
		prior = case_open(c, code, sealed);
		free(sealed);
		sealed = NULL;
	}
	if (!given && !prior) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_reason_required, "reason", NULL);
		goto done;
	}
	if ((rc = case_decrypt(c, id, &all)))
		goto done;
	if (a == CASE_REFERRAL) {
		json_t *rf;
		if ((rc = store_referred_fields(c->db, id, c->me->institution_id, &rf)))
			goto done;
		allowed = json_object();
		size_t i;
		json_t *f;
		json_array_foreach(rf, i, f) {
			json_t *v = json_object_get(all, j_str(f, "field"));
			if (v)
				json_object_set(allowed, j_str(f, "field"), v);
		}
		json_decref(rf);
	} else {
		allowed = json_incref(all);
	}
	if ((rc = store_begin(c->db)) ||
	    (c->session && given &&
	     ((rc = case_seal(c, code, reason, &sealed)) ||
	      (rc = store_personal_read_put(c->db, c->session, id, sealed, (int64_t)clock_now())))) ||
	    (rc = case_audit(c, "read_personal", code, allowed, given ? reason : prior)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:s, s:O}", "code", code, "fields", allowed);
done:
	if (rc)
		store_rollback(c->db);
	free(sealed);
	free(prior);
	json_decref(allowed);
	json_decref(all);
	json_decref(row);
	return rc;
}

int case_seal_legacy(struct nrm_ctx *c, int *count, struct nrm_err *err)
{
	(void)err;
	json_t *rows = NULL, *after = NULL;
	int rc = store_clear_reasons(c->db, &rows), n = 0;
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	if ((rc = store_begin(c->db)))
		goto done;
	json_array_foreach(rows, i, r) {
		char *sealed = NULL;
		if ((rc = case_seal(c, j_str(r, "code"), j_str(r, "text"), &sealed)) ||
		    (rc = store_reason_replace(c->db, j_str(r, "what"), j_int(r, "id"), sealed))) {
			free(sealed);
			goto done;
		}
		free(sealed);
		n++;
	}
	after = json_pack("{s:i}", "sealed", n);
	if ((rc = store_personal_reads_drop_clear(c->db)) ||
	    (n && (rc = secure_audit(c->db, c->me, "seal_reasons", "database", NULL, NULL, after, NULL))) ||
	    (rc = store_commit(c->db)))
		goto done;
	*count = n;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(after);
	json_decref(rows);
	return rc;
}
