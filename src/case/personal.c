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

/* Characters (not bytes) of UTF-8 text, leading and trailing spaces aside. */
static size_t text_length(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = 0, trail = 0;
	for (; *s; s++) {
		if (((unsigned char)*s & 0xC0) == 0x80)
			continue;
		bool space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		trail = space ? trail + 1 : 0;
		n++;
	}
	return n - trail;
}

int case_reading_policy(struct nrm_ctx *c, json_t **out)
{
	json_t *doc = NULL;
	int rc = case_stored_doc(c->db, "codes:read_purpose", &doc);
	if (rc)
		return rc;
	*out = json_pack("{s:O, s:O}", "purposes", json_object_get(doc, "items"), "min_length",
			 json_object_get(doc, "min_text"));
	json_decref(doc);
	return *out ? 0 : NRM_EINVAL;
}

int case_reading_reason(struct nrm_ctx *c, json_t *in, char **out, struct nrm_err *err)
{
	const char *purpose = NULL, *text = NULL;
	json_t *doc = NULL, *item;
	size_t i;
	int rc;
	*out = NULL;
	if ((rc = in_str(in, "purpose", false, 40, &purpose, err)) || (rc = in_str(in, "reason", false, 500, &text, err)))
		return rc;
	if (!purpose && (!text || !*text))
		return 0; /* none given: the one of this session stands, if any */
	if ((rc = case_stored_doc(c->db, "codes:read_purpose", &doc)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, NRM_EIO, KEY_stats_missing, NULL, NULL) : rc;
	bool known = !purpose;
	json_array_foreach(json_object_get(doc, "items"), i, item)
		known |= purpose && strcmp(j_str(item, "code"), purpose) == 0;
	json_int_t min = json_integer_value(json_object_get(doc, "min_text"));
	char n[24];
	if (!known)
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_code, "purpose", "list", "read_purpose", NULL);
	else if (!text || !*text)
		rc = nrm_fail(err, NRM_EINVAL, KEY_reason_required, "reason", NULL);
	else if (text_length(text) < (size_t)min)
		rc = nrm_fail(err, NRM_EINVAL, KEY_reason_too_short, "reason", "min", nrm_num(n, (long long)min), NULL);
	json_decref(doc);
	if (rc)
		return rc;
	size_t len = strlen(text) + 48;
	if (!(*out = malloc(len)))
		return NRM_ENOMEM;
	snprintf(*out, len, "%s%s%s", purpose ? purpose : "", purpose ? ": " : "", text);
	return 0;
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
	if (given && text_length(reason) > 560) { /* case_reading_reason's "purpose: " and 500 characters */
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
	/* Looked for once after each upgrade: every reason this nrm writes is sealed, and the
	 * look reads every event and referral. */
	if (store_done(c->db, "reasons_sealed")) {
		*count = 0;
		return 0;
	}
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
	    (rc = store_done_mark(c->db, "reasons_sealed")) || (rc = store_commit(c->db)))
		goto done;
	*count = n;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(after);
	json_decref(rows);
	return rc;
}

int case_personal_read(struct nrm_ctx *c, const char *code, json_t *in, json_t **out, struct nrm_err *err)
{
	json_t *row = NULL;
	enum case_access a;
	char *reason = NULL;
	/* Who may not read is told so before anything about their reason. */
	int rc = case_load(c, code, &row, &a, err);
	json_decref(row);
	if (!rc && a < CASE_REFERRAL)
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_personal_forbidden, NULL, NULL);
	if (!rc && in && !(rc = case_reading_reason(c, in, &reason, err)))
		rc = case_personal(c, code, reason, out, err);
	else if (!rc)
		rc = case_personal(c, code, NULL, out, err);
	free(reason);
	return rc;
}

int case_print(struct nrm_ctx *c, const char *code, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"personal", NULL};
	json_t *row = NULL, *what = NULL;
	enum case_access a;
	char *sealed = NULL, stamp[21];
	int personal = 0;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_bool(in, "personal", &personal, err)) ||
	    (rc = case_load(c, code, &row, &a, err)))
		return rc;
	/* Personal data is printed only by who has read it in this session, with its reason. */
	if (personal == 1 && a < CASE_REFERRAL)
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_personal_forbidden, NULL, NULL);
	else if (personal == 1 && (!c->session || store_personal_read_get(c->db, c->session, j_int(row, "id"), &sealed)))
		rc = nrm_fail(err, NRM_EINVAL, KEY_reason_required, "reason", NULL);
	if (rc)
		goto done;
	clock_stamp(stamp);
	what = json_pack("{s:b}", "personal", personal == 1);
	if ((rc = store_begin(c->db)) || (rc = secure_audit(c->db, c->me, "print", "case", code, NULL, what, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", code, "printed_by", c->me->name, "username", c->me->username,
			 "printed_at", stamp, "personal", personal == 1);
done:
	if (rc)
		store_rollback(c->db);
	free(sealed);
	json_decref(what);
	json_decref(row);
	return rc;
}
