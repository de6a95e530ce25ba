/* The walk of a key rotation (rekey/rekey.h). */
#include "rekey/rekey.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/input.h"
#include "secure/crypt.h"
#include "secure/totp.h"
#include "store/match.h"
#include "store/case.h"
#include "store/draft.h"
#include "store/register.h"
#include "store/rekey.h"

const char *const rekey_steps[] = {"cases",	      "register_entries", "drafts",	   "event",
				   "referral_reason", "referral_note",	  "register_event", NULL};

/* The sealed values of one item, copied out of the store's statement before any write. */
struct sealed {
	char field[128];
	unsigned char *blob;
	size_t len;
};
struct sealed_list {
	struct sealed *v;
	size_t n, cap;
};

static int collect(const char *field, const unsigned char *blob, size_t len, void *ud)
{
	struct sealed_list *l = ud;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct sealed *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NRM_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	struct sealed *e = &l->v[l->n];
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	e->blob = malloc(len ? len : 1);
	if (!e->blob)
		return NRM_ENOMEM;
	memcpy(e->blob, blob, len);
	e->len = len;
	l->n++;
	return 0;
}

static void list_free(struct sealed_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].blob);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Opens one value sealed for (id, ad) and, when an older version sealed it, seals it again;
 * *put = the new ciphertext (malloc'd) or NULL; *value = the clear value when wanted. */
static int reseal(struct nrm_ctx *c, int64_t id, const char *ad, const struct sealed *e, unsigned char **put, size_t *n,
		  json_t **value)
{
	json_t *v = NULL;
	*put = NULL;
	uint32_t was = crypt_sealed_version(c->keys, id, ad, e->blob, e->len);
	if (!was)
		return NRM_EAUTH; /* not openable by any version: a fault to report, never to overwrite */
	int rc = crypt_open_json(c->keys, id, ad, e->blob, e->len, &v);
	if (!rc && was != crypt_key_version(c->keys))
		rc = crypt_seal_json(c->keys, id, ad, v, put, n);
	if (!rc && value)
		*value = v;
	else
		json_decref(v);
	return rc;
}

static int one_case(struct nrm_ctx *c, int64_t id, int *changed)
{
	struct sealed_list l = {0};
	json_t *data = json_object();
	int rc = store_personal_each(c->db, id, collect, &l);
	for (size_t i = 0; !rc && i < l.n; i++) {
		unsigned char *ct = NULL;
		size_t n = 0;
		json_t *v = NULL;
		if (!(rc = reseal(c, id, l.v[i].field, &l.v[i], &ct, &n, &v)) && ct) {
			rc = store_personal_put(c->db, id, l.v[i].field, ct, n);
			(*changed)++;
		}
		free(ct);
		if (v)
			json_object_set_new(data, l.v[i].field, v);
	}
	/* Indexed from the whole case, as when it is written: matching blocks by sex and reads the
	 * year from an estimated age and the day of identification, which are not personal fields. */
	json_t *row = NULL;
	if (!rc && !(rc = store_case_get(c->db, NULL, id, &row)))
		json_object_update_missing(data, json_object_get(row, "fields"));
	if (!rc)
		rc = case_reindex(c, id, data);
	/* A case merged into another keeps its exact indexes (a search still finds it) but no
	 * encodings: no other case is compared with it (case_dup_resolve). */
	const char *merged = json_string_value(json_object_get(row, "merged_into"));
	if (!rc && merged && *merged)
		rc = store_match_clear(c->db, id);
	json_decref(row);
	json_decref(data);
	list_free(&l);
	return rc;
}

/* Register fields are sealed for "<register>.<field>" (prevention/entry.c sealed_name). */
static int one_entry(struct nrm_ctx *c, int64_t id, const char *reg, int *changed)
{
	struct sealed_list l = {0};
	int rc = store_reg_personal_each(c->db, id, collect, &l);
	for (size_t i = 0; !rc && i < l.n; i++) {
		char ad[300];
		unsigned char *ct = NULL;
		size_t n = 0;
		snprintf(ad, sizeof ad, "%s.%s", reg, l.v[i].field);
		if (!(rc = reseal(c, id, ad, &l.v[i], &ct, &n, NULL)) && ct) {
			rc = store_reg_personal_put(c->db, id, l.v[i].field, ct, n);
			(*changed)++;
		}
		free(ct);
	}
	list_free(&l);
	return rc;
}

/* A draft is sealed for its user and "draft:<form>/<key>" (user/draft.c context). */
static int one_draft(struct nrm_ctx *c, json_t *row, int *changed)
{
	struct sealed_list l = {0};
	int64_t id = j_int(row, "id");
	int rc = store_draft_each(c->db, id, collect, &l);
	for (size_t i = 0; !rc && i < l.n; i++) {
		char ad[200];
		unsigned char *ct = NULL;
		size_t n = 0;
		snprintf(ad, sizeof ad, "draft:%s/%s", j_str(row, "form"), j_str(row, "key"));
		if (!(rc = reseal(c, j_int(row, "user_id"), ad, &l.v[i], &ct, &n, NULL)) && ct) {
			rc = store_rekey_draft_put(c->db, id, ct, n);
			(*changed)++;
		}
		free(ct);
	}
	list_free(&l);
	return rc;
}

/* A text sealed for context ctx, sealed again when an older version sealed it; *out malloc'd
 * or NULL. Texts an older nrm left in clear are not touched. */
static int reseal_in(struct nrm_ctx *c, const char *ctx, const char *text, char **out)
{
	char *clear = NULL;
	*out = NULL;
	if (!text || !crypt_is_sealed(text))
		return 0;
	uint32_t v = crypt_text_version(c->keys, ctx, text);
	if (!v)
		return NRM_EAUTH;
	if (v == crypt_key_version(c->keys))
		return 0;
	int rc = crypt_open_text(c->keys, ctx, text, &clear);
	if (!rc && clear)
		rc = crypt_seal_text(c->keys, ctx, clear, out);
	if (clear)
		sodium_memzero(clear, strlen(clear));
	free(clear);
	return rc;
}

/* The same for a reason about the person of case `code`. */
static int reseal_text(struct nrm_ctx *c, const char *code, const char *text, char **out)
{
	char ctx[64];
	crypt_reason_context(ctx, code);
	return reseal_in(c, ctx, text, out);
}

int rekey_batch(struct nrm_ctx *c, const char *what, int64_t *after, int limit, int *seen, int *changed)
{
	json_t *page = NULL, *row, *a = NULL;
	size_t i;
	int n = 0;
	bool texts = strcmp(what, "cases") != 0 && strcmp(what, "register_entries") != 0 && strcmp(what, "drafts") != 0;
	int rc = store_begin(c->db);
	if (!rc)
		rc = texts ? store_rekey_texts(c->db, what, *after, limit, &page)
			   : store_rekey_page(c->db, what, *after, limit, &page);
	int64_t last = *after;
	json_array_foreach(page, i, row) {
		if (rc)
			break;
		last = j_int(row, "id");
		if (strcmp(what, "cases") == 0) {
			rc = one_case(c, last, &n);
		} else if (strcmp(what, "register_entries") == 0) {
			rc = one_entry(c, last, j_str(row, "register"), &n);
		} else if (strcmp(what, "drafts") == 0) {
			rc = one_draft(c, row, &n);
		} else {
			char *put = NULL;
			if (!(rc = reseal_text(c, j_str(row, "code"), j_str(row, "text"), &put)) && put) {
				rc = store_rekey_text_put(c->db, what, last, put);
				n++;
			}
			free(put);
		}
	}
	if (!rc && n) {
		a = json_pack("{s:s, s:I, s:I, s:i, s:I}", "what", what, "from", (json_int_t)(*after + 1), "to",
			      (json_int_t)last, "resealed", n, "version", (json_int_t)crypt_key_version(c->keys));
		rc = secure_audit(c->db, c->me, "key_rotate_batch", "database", NULL, NULL, a, NULL);
	}
	if (!rc)
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
	} else {
		*seen = (int)json_array_size(page);
		*changed = n;
		*after = last;
	}
	json_decref(a);
	json_decref(page);
	return rc;
}

/* Ends a pass made in one transaction: its audit row when it sealed anything again (n), then
 * commit, or rollback on rc; *changed = n on success. Takes over rows. */
static int end_pass(struct nrm_ctx *c, int rc, const char *what, int n, json_t *rows, int *changed)
{
	json_t *a = NULL;
	if (!rc && n) {
		a = json_pack("{s:s, s:i, s:I}", "what", what, "resealed", n, "version",
			      (json_int_t)crypt_key_version(c->keys));
		rc = secure_audit(c->db, c->me, "key_rotate_batch", "database", NULL, NULL, a, NULL);
	}
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		store_rollback(c->db);
	else
		*changed = n;
	json_decref(a);
	json_decref(rows);
	return rc;
}

int rekey_reads(struct nrm_ctx *c, int *changed)
{
	json_t *rows = NULL, *row;
	size_t i;
	int n = 0;
	int rc = store_begin(c->db);
	if (!rc)
		rc = store_rekey_reads(c->db, &rows);
	json_array_foreach(rows, i, row) {
		char *put = NULL;
		if (rc)
			break;
		if (!(rc = reseal_text(c, j_str(row, "code"), j_str(row, "reason"), &put)) && put) {
			rc = store_rekey_read_put(c->db, j_str(row, "session"), j_int(row, "case_id"), put);
			n++;
		}
		free(put);
	}
	return end_pass(c, rc, "personal_reads", n, rows, changed);
}

int rekey_audit(struct nrm_ctx *c, struct audit_report *r)
{
	int rc = store_begin(c->db);
	if (!rc)
		rc = secure_audit_rekey(c->db, c->keys, r);
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		store_rollback(c->db);
	return rc;
}

int rekey_unfinished(struct nrm_ctx *c, bool *yes)
{
	int64_t n = 0;
	int rc = store_blind_stale(c->db, crypt_key_version(c->keys), &n);
	if (!rc)
		*yes = n > 0;
	return rc;
}

int rekey_finish(struct nrm_ctx *c)
{
	json_t *a = json_pack("{s:I}", "version", (json_int_t)crypt_key_version(c->keys));
	int rc = store_begin(c->db);
	if (!rc)
		rc = store_blind_drop_except(c->db, crypt_key_version(c->keys));
	if (!rc)
		rc = store_match_drop_except(c->db, crypt_key_version(c->keys));
	if (!rc)
		rc = secure_audit(c->db, c->me, "key_rotated", "database", NULL, NULL, a, NULL);
	if (!rc)
		rc = store_commit(c->db);
	if (rc)
		store_rollback(c->db);
	json_decref(a);
	return rc;
}

int rekey_second_factors(struct nrm_ctx *c, int *changed)
{
	static const char *const cols[][2] = {{"totp_secret", "totp"}, {"totp_pending", "totp-pending"}};
	json_t *rows = NULL, *row;
	size_t i;
	int n = 0;
	int rc = store_begin(c->db);
	if (!rc)
		rc = store_rekey_totp(c->db, &rows);
	json_array_foreach(rows, i, row) {
		for (size_t k = 0; k < 2 && !rc; k++) {
			char ctx[40], *put = NULL;
			secure_totp_context(ctx, cols[k][1], j_int(row, "id"));
			if (!(rc = reseal_in(c, ctx, j_str(row, cols[k][0]), &put)) && put) {
				rc = store_rekey_totp_put(c->db, j_int(row, "id"), cols[k][0], put);
				n++;
			}
			free(put);
		}
		if (rc)
			break;
	}
	return end_pass(c, rc, "second_factors", n, rows, changed);
}
