/* Finding the same person across agencies without clear text: blind indexes of the
 * normalised name + birth date and of document numbers, the Authority's queue of likely
 * duplicates, merging, and exact search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "secure/audit.h"
#include "store/db.h"
#include "store/match.h"

/* Under every live key version: during a rotation a case is found by either. */
static int add_hash(struct nrm_ctx *c, int64_t id, const char *kind, const char *const *parts, size_t n)
{
	char h[CRYPT_LIVE_MAX][65];
	uint32_t v[CRYPT_LIVE_MAX];
	size_t count = 0;
	if (crypt_blind_live(c->keys, kind, parts, n, h, v, &count) != 0)
		return 0; /* nothing to index */
	int rc = 0;
	for (size_t i = 0; !rc && i < count; i++)
		rc = store_blind_add(c->db, id, kind, h[i], v[i]);
	return rc;
}

int case_blind_query(struct nrm_ctx *c, const char *kind, const char *const *parts, size_t n, char **out)
{
	char h[CRYPT_LIVE_MAX][65];
	uint32_t v[CRYPT_LIVE_MAX];
	size_t count = 0;
	int rc = crypt_blind_live(c->keys, kind, parts, n, h, v, &count);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(a, json_string(h[i]));
	*out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return *out ? 0 : NRM_ENOMEM;
}

int case_reindex(struct nrm_ctx *c, int64_t id, json_t *data)
{
	const char *first = json_string_value(json_object_get(data, FIELD(c, FB_FIRST_NAME)));
	const char *last = json_string_value(json_object_get(data, FIELD(c, FB_LAST_NAME)));
	const char *birth = json_string_value(json_object_get(data, FIELD(c, FB_BIRTH_DATE)));
	int rc = store_blind_clear(c->db, id);
	if (!rc && first && last) {
		const char *name[] = {first, last}, *name_dob[] = {first, last, birth};
		rc = add_hash(c, id, "name", name, 2);
		if (!rc && birth)
			rc = add_hash(c, id, "name_dob", name_dob, 3);
	}
	const char *idn = json_string_value(json_object_get(data, FIELD(c, FB_IDENTITY_NUMBER)));
	if (!rc && idn)
		rc = add_hash(c, id, "document", &idn, 1);
	size_t i;
	json_t *doc;
	json_array_foreach(json_object_get(data, FIELD(c, FB_DOCUMENTS)), i, doc) {
		const char *num = json_string_value(json_object_get(doc, FIELD(c, FB_DOCUMENT_NUMBER)));
		if (!rc && num)
			rc = add_hash(c, id, "document", &num, 1);
	}
	return rc ? rc : case_similar_encode(c, id, data);
}

/* A value of the identity's as normalised text (a number as its digits), or null. */
static json_t *identity_part(const json_t *v)
{
	char *norm = NULL;
	if (json_is_string(v) && crypt_normalise(json_string_value(v), &norm) == 0) {
		json_t *s = json_string(norm);
		free(norm);
		return s ? s : json_null();
	}
	return json_is_integer(v) ? json_integer(json_integer_value(v)) : json_null();
}

int case_identity_of(struct nrm_ctx *c, json_t *data, char **out)
{
	static const enum form_bind single[] = {FB_FIRST_NAME, FB_LAST_NAME, FB_BIRTH_DATE, FB_SEX, FB_IDENTITY_NUMBER};
	json_t *all = json_array(), *doc;
	size_t i;
	for (i = 0; i < sizeof single / sizeof *single; i++)
		json_array_append_new(all, identity_part(json_object_get(data, FIELD(c, single[i]))));
	/* Without a birth date the year is the day of identification less the estimated age. */
	if (!json_is_string(json_object_get(data, FIELD(c, FB_BIRTH_DATE)))) {
		json_array_append_new(all, identity_part(json_object_get(data, FIELD(c, FB_ESTIMATED_AGE))));
		json_array_append_new(all, identity_part(json_object_get(data, FIELD(c, FB_IDENTIFICATION_DATE))));
	}
	json_array_foreach(json_object_get(data, FIELD(c, FB_DOCUMENTS)), i, doc)
		json_array_append_new(all, identity_part(json_object_get(doc, FIELD(c, FB_DOCUMENT_NUMBER))));
	char *text = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	if (!text)
		return NRM_ENOMEM;
	*out = text;
	return 0;
}

int case_index(struct nrm_ctx *c, int64_t id, json_t *data, enum case_index_why why, json_t **dups)
{
	size_t i;
	/* The approximate search reads the case's blocks (at a million cases, tens of thousands of
	 * encodings): run when the person's identity is new or changed, or the Authority asks,
	 * not for every change to the case. */
	int rc = case_reindex(c, id, data);
	if (!rc && why == INDEX_IDENTITY_CHANGED)
		rc = store_case_identity_changed(c->db, id);
	bool unchanged = why == INDEX_WRITTEN;
	json_t *matches = NULL, *codes = json_array(), *m;
	if (!rc)
		rc = store_blind_matches(c->db, id, &matches);
	json_array_foreach(matches, i, m) {
		if (!rc)
			rc = store_duplicate_add(c->db, id, j_int(m, "id"), j_str(m, "kind"));
		json_t *code = json_object_get(m, "code");
		size_t j;
		json_t *seen;
		bool dup = false;
		json_array_foreach(codes, j, seen)
			dup |= json_equal(seen, code);
		if (!dup)
			json_array_append(codes, code);
	}
	json_decref(matches);
	if (!rc && !unchanged)
		rc = case_similar_find(c, id, data, codes);
	if (rc) {
		json_decref(codes);
		return rc;
	}
	*dups = codes;
	return 0;
}

int case_search(struct nrm_ctx *c, json_t *q, json_t **out, struct nrm_err *err)
{
	const struct principal *p = c->me;
	if (!(role_is_authority(p->role) || p->role == ROLE_CASEWORKER))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_search_role, NULL, NULL);
	const char *first = json_string_value(json_object_get(q, "first_name"));
	const char *last = json_string_value(json_object_get(q, "last_name"));
	const char *birth = json_string_value(json_object_get(q, "birthdate"));
	const char *doc = json_string_value(json_object_get(q, "document"));
	char *h = NULL;
	int rc;
	if (doc) {
		rc = case_blind_query(c, "document", &doc, 1, &h);
	} else if (first && last) {
		const char *parts[] = {first, last, birth};
		rc = case_blind_query(c, birth ? "name_dob" : "name", parts, birth ? 3 : 2, &h);
	} else {
		return nrm_fail(err, NRM_EINVAL, KEY_search_terms, "first_name", NULL);
	}
	if (rc)
		return nrm_fail(err, NRM_EINVAL, KEY_search_empty, doc ? "document" : "first_name", NULL);
	json_t *rows, *items = json_array(), *r, *full;
	rc = store_blind_find(c->db, h, &rows);
	free(h);
	if (rc) {
		json_decref(items);
		return rc;
	}
	size_t i;
	json_array_foreach(rows, i, r) {
		if (store_case_get(c->db, NULL, j_int(r, "id"), &full) != 0)
			continue;
		/* Only cases the searcher may see: a search must not reveal others' cases. */
		if (case_access_of(c, full) != CASE_NONE)
			json_array_append_new(items, json_pack("{s:O, s:O, s:O, s:O}", "code", json_object_get(full, "code"),
							       "stage", json_object_get(full, "stage"), "county",
							       json_object_get(full, "county"), "merged_into",
							       json_object_get(full, "merged_into")));
		json_decref(full);
	}
	json_decref(rows);
	json_t *after = json_pack("{s:s}", "by", doc ? "document" : birth ? "name_dob" : "name");
	rc = store_begin(c->db);
	if (!rc)
		rc = secure_audit(c->db, c->me, "search_personal", "case", NULL, NULL, after, NULL);
	if (!rc)
		rc = store_commit(c->db);
	json_decref(after);
	if (rc) {
		store_rollback(c->db);
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

static bool authority(struct nrm_ctx *c, struct nrm_err *err)
{
	if (role_is_authority(c->me->role))
		return true;
	nrm_fail(err, NRM_EFORBIDDEN, KEY_duplicates_authority, NULL, NULL);
	return false;
}

int case_dedup(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err)
{
	json_t *row, *data = NULL, *dups = NULL;
	enum case_access a;
	if (!authority(c, err))
		return NRM_EFORBIDDEN;
	int rc = case_load(c, code, &row, &a, err);
	if (rc)
		return rc;
	/* A case merged into another is nobody's duplicate: compared again, it would be encoded
	 * again (the merge dropped its encodings) and find the case it was merged into. */
	if (*j_str(row, "merged_into")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_case_merged, NULL, "code", j_str(row, "merged_into"), NULL);
		goto done;
	}
	if ((rc = case_decrypt(c, j_int(row, "id"), &data)))
		goto done;
	json_object_update_missing(data, json_object_get(row, "fields"));
	if ((rc = store_begin(c->db)) || (rc = case_index(c, j_int(row, "id"), data, INDEX_RECHECK, &dups)) ||
	    (rc = secure_audit(c->db, c->me, "dedup", "case", code, NULL, NULL, NULL)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:s, s:O}", "code", code, "duplicates", dups);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(dups);
	json_decref(data);
	json_decref(row);
	return rc;
}

int case_duplicates(struct nrm_ctx *c, const char *status, int64_t after, int limit, json_t **out, struct nrm_err *err)
{
	if (!authority(c, err))
		return NRM_EFORBIDDEN;
	if (strcmp(status, "open") != 0 && strcmp(status, "merged") != 0 && strcmp(status, "dismissed") != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, "status", "allowed", "open, merged, dismissed", NULL);
	json_t *rows;
	int rc = store_duplicates(c->db, status, after, limit, &rows);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_object_set_new(r, "cases", json_pack("[O, O]", json_object_get(r, "code_a"), json_object_get(r, "code_b")));
		json_object_del(r, "case_a");
		json_object_del(r, "case_b");
	}
	*out = rows;
	return 0;
}

int case_duplicate_resolve(struct nrm_ctx *c, int64_t id, const char *keep, bool merge, json_t **out,
			   struct nrm_err *err)
{
	json_t *d = NULL, *gone = NULL, *kept = NULL, *ch = NULL;
	if (!authority(c, err))
		return NRM_EFORBIDDEN;
	int rc = store_duplicate_get(c->db, id, &d);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_pair, NULL, NULL) : rc;
	if (strcmp(j_str(d, "status"), "open") != 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_pair_resolved, NULL, "status", j_str(d, "status"), NULL);
		goto done;
	}
	const char *a = j_str(d, "code_a"), *b = j_str(d, "code_b");
	if (merge && (!keep || (strcmp(keep, a) != 0 && strcmp(keep, b) != 0))) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_keep_one_of, "keep", "a", a, "b", b, NULL);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = store_duplicate_resolve(c->db, id, merge ? "merged" : "dismissed", c->me->id)))
		goto done;
	if (merge) {
		const char *drop = strcmp(keep, a) == 0 ? b : a;
		if ((rc = store_case_get(c->db, keep, 0, &kept)) || (rc = store_case_get(c->db, drop, 0, &gone)))
			goto done;
		if (*j_str(gone, "merged_into") || *j_str(kept, "merged_into")) {
			rc = nrm_fail(err, NRM_ECONFLICT, KEY_already_merged, NULL, NULL);
			goto done;
		}
		ch = json_pack("{s:s}", "merged_into", keep);
		json_t *ch2 = json_pack("{s:s}", "merged_from", drop);
		/* The merged record's state changes (merged); the kept one's does not. */
		void *held = NULL;
		if (!(rc = case_figures_hold(c, j_int(gone, "id"), &held)) &&
		    !(rc = store_case_set_merged(c->db, j_int(gone, "id"), j_int(kept, "id"))) &&
		    !(rc = store_match_clear(c->db, j_int(gone, "id"))) &&
		    !(rc = case_event(c, j_int(gone, "id"), "merge", NULL, NULL, ch, gone, NULL)) &&
		    !(rc = case_figures_merged(c, j_int(gone, "id")))) {
			rc = case_figures_apply(c, j_int(gone, "id"), held);
			held = NULL;
		}
		case_figures_drop(held);
		if (!rc)
			rc = case_event(c, j_int(kept, "id"), "merge", NULL, NULL, ch2, NULL, NULL);
		json_decref(ch2);
		if (rc)
			goto done;
	}
	json_t *after = json_pack("{s:s, s:s, s:s?}", "a", a, "b", b, "keep", merge ? keep : NULL);
	rc = secure_audit_id(c->db, c->me, merge ? "merge" : "dismiss", "duplicate", id, NULL, after, NULL);
	json_decref(after);
	if (rc || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)id, "status", merge ? "merged" : "dismissed", "kept",
			 merge ? keep : NULL);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(ch);
	json_decref(kept);
	json_decref(gone);
	json_decref(d);
	return rc;
}
