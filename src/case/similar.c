/* Approximate matching of persons in the case domain (src/match/, docs/matching.md): each
 * case's encodings kept under every live key version as it is written, and a case compared
 * with the cases of its blocks; the pairs the rules make candidates join the Authority's
 * queue of likely duplicates with their score and the fields that agreed. Nothing here is
 * logged: names and dates are read from the case's data in memory, encoded, and forgotten. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "match/match.h"
#include "store/match.h"

struct person {
	const char *first, *last, *sex;
	struct match_birth birth;
};

/* What matching reads of a case: names, sex, birth date or the year an age gives; false when
 * it cannot be blocked (no year) or holds no name. */
static bool person_of(struct nrm_ctx *c, json_t *data, struct person *p)
{
	memset(p, 0, sizeof *p);
	p->first = json_string_value(json_object_get(data, FIELD(c, FB_FIRST_NAME)));
	p->last = json_string_value(json_object_get(data, FIELD(c, FB_LAST_NAME)));
	/* Blocked by the sex's group: a code the rules do not group is unknown, compared with all. */
	p->sex = match_sex_group(c->match, json_string_value(json_object_get(data, FIELD(c, FB_SEX))));
	p->birth.date = json_string_value(json_object_get(data, FIELD(c, FB_BIRTH_DATE)));
	const char *identified = json_string_value(json_object_get(data, FIELD(c, FB_IDENTIFICATION_DATE)));
	json_t *age = json_object_get(data, FIELD(c, FB_ESTIMATED_AGE));
	if (p->birth.date && strlen(p->birth.date) >= 4)
		p->birth.year = (int)strtol(p->birth.date, NULL, 10);
	else if (json_is_integer(age) && identified)
		p->birth.year = (int)strtol(identified, NULL, 10) - (int)json_integer_value(age);
	return p->birth.year > 0 && ((p->first && *p->first) || (p->last && *p->last));
}

int similar_keys(struct nrm_ctx *c, uint32_t v, struct match_keys *k)
{
	unsigned char *parts[] = {k->first, k->last, k->birth, k->block};
	for (uint64_t i = 0; i < 4; i++)
		if (crypt_subkey(c->keys, v, i + 1, "nrm-mtch", parts[i], NULL))
			return NRM_ENOTFOUND;
	return 0;
}

uint32_t similar_version(struct nrm_ctx *c)
{
	uint32_t vers[CRYPT_LIVE_MAX];
	size_t n = crypt_live_versions(c->keys, vers);
	return n ? vers[n - 1] : crypt_key_version(c->keys); /* newest first */
}

int case_similar_encode(struct nrm_ctx *c, int64_t id, json_t *data)
{
	int rc = store_match_clear(c->db, id);
	struct person p;
	if (rc || !c->match || !person_of(c, data, &p))
		return rc;
	uint32_t vers[CRYPT_LIVE_MAX];
	size_t n = crypt_live_versions(c->keys, vers), size = match_enc_size(c->match);
	unsigned char *packed = malloc(size);
	if (!packed)
		return NRM_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		struct match_keys k;
		struct match_enc e;
		unsigned char block[MATCH_TAG];
		if (!(rc = similar_keys(c, vers[i], &k)) && !(rc = match_encode(c->match, &k, p.first, p.last, &p.birth, &e))) {
			match_block(&k, p.sex, p.birth.year, block);
			match_enc_pack(c->match, &e, packed);
			rc = store_match_put(c->db, id, vers[i], block, sizeof block, packed, size);
		}
		sodium_memzero(&k, sizeof k);
	}
	free(packed);
	return rc;
}

/* The digest of the definitions the encodings are made under. */
static int defs_digest(struct store *s, char out[65])
{
	json_t *doc = NULL;
	int rc = case_stored_doc(s, "match:rules", &doc);
	char *text = rc ? NULL : json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	if (!rc && !text)
		rc = NRM_ENOMEM;
	if (!rc)
		crypt_sha256_hex(text, strlen(text), out);
	free(text);
	return rc;
}

int case_similar_none_yet(struct store *s)
{
	json_t *ids = NULL;
	char digest[65];
	int rc = store_match_cases(s, 0, 1, &ids);
	if (!rc && json_array_size(ids) == 0 && !(rc = defs_digest(s, digest)))
		rc = store_match_encoded_mark(s, digest);
	json_decref(ids);
	return rc == NRM_ENOTFOUND ? 0 : rc;
}

#define BACKFILL_BATCH 500

/* The search of every case encoded by the backfill (as an import's: case_similar_batch_run),
 * and the mark that the cases are encoded under `digest`, in one transaction. */
static int search_all(struct nrm_ctx *c, const char *digest, int64_t *queued)
{
	json_t *found = NULL;
	int64_t before = 0, after = 0;
	int rc = store_begin(c->db);
	if (rc) {
		case_similar_batch_end(c);
		return rc;
	}
	if ((rc = store_duplicates_open(c->db, &before)))
		case_similar_batch_end(c);
	else if (!(rc = case_similar_batch_run(c, &found)) && !(rc = store_duplicates_open(c->db, &after)))
		rc = store_match_encoded_mark(c->db, digest);
	json_decref(found);
	if (rc || (rc = store_commit(c->db)))
		store_rollback(c->db);
	if (!rc)
		*queued = after - before;
	return rc;
}

int case_similar_backfill(struct nrm_ctx *c, int64_t *count, int64_t *queued)
{
	char digest[65];
	int64_t n = 0, after = 0;
	int rc = c->match ? defs_digest(c->db, digest) : 0;
	if (rc || !c->match || store_match_encoded(c->db, digest)) {
		if (!rc)
			*count = *queued = 0;
		return rc;
	}
	if ((rc = case_similar_batch_begin(c)))
		return rc;
	/* In batches, each its own transaction: the server's writers wait for one batch, not for
	 * all; an interruption starts again from the first case (encoding is idempotent). */
	for (;;) {
		json_t *ids = NULL, *r;
		if ((rc = store_match_cases(c->db, after, BACKFILL_BATCH, &ids)))
			break;
		size_t i, got = json_array_size(ids);
		if ((rc = store_begin(c->db))) {
			json_decref(ids);
			break;
		}
		json_array_foreach(ids, i, r) {
			int64_t id = j_int(r, "id");
			json_t *row = NULL, *data = NULL;
			if (!(rc = store_case_get(c->db, NULL, id, &row)) && !(rc = case_decrypt(c, id, &data))) {
				json_object_update_missing(data, json_object_get(row, "fields"));
				if (!(rc = case_similar_encode(c, id, data)))
					rc = case_similar_find(c, id, data, NULL); /* deferred to the batch */
			}
			json_decref(data);
			json_decref(row);
			if (rc)
				break;
			after = id;
			n++;
		}
		json_decref(ids);
		if (rc || (rc = store_commit(c->db))) {
			store_rollback(c->db);
			break;
		}
		if (got < BACKFILL_BATCH)
			break;
	}
	int64_t q = 0;
	if (rc)
		case_similar_batch_end(c);
	else
		rc = search_all(c, digest, &q);
	if (!rc) {
		*count = n;
		*queued = q;
	}
	return rc;
}

/* Whether candidate (a, ida) ranks below (b, idb): a lower score, or the same and a later case. */
static bool weaker(const struct match_score *a, int64_t ida, const struct match_score *b, int64_t idb)
{
	return a->score < b->score || (a->score == b->score && ida > idb);
}

/* The best first, as weaker orders them. */
static int by_rank(const void *x, const void *y)
{
	const struct similar_found *a = x, *b = y;
	return weaker(&a->s, a->id, &b->s, b->id) ? 1 : weaker(&b->s, b->id, &a->s, a->id) ? -1 : 0;
}

int similar_offer(void *arg, int64_t case_id, const unsigned char *enc, size_t n)
{
	struct similar_search *q = arg;
	struct match_score s;
	/* Encoded under other definitions: encoded again when next written. */
	if (!match_candidate(q->def, &q->mine, enc, n, q->set, q->apart, &s))
		return 0;
	/* Kept among the best SIMILAR_MAX by score, then by the older case (the lower id): which are
	 * kept does not depend on the order they are offered in (a batch offers a block in another
	 * order than a search of one case). The weakest by that order is replaced. */
	size_t at = q->n;
	if (q->n == SIMILAR_MAX) {
		at = 0;
		for (size_t i = 1; i < q->n; i++)
			if (weaker(&q->best[i].s, q->best[i].id, &q->best[at].s, q->best[at].id))
				at = i;
		if (!weaker(&q->best[at].s, q->best[at].id, &s, case_id))
			return 0;
	} else {
		q->n++;
	}
	q->best[at].id = case_id;
	q->best[at].s = s;
	return 0;
}

json_t *similar_sexes(struct nrm_ctx *c, const char *group)
{
	json_t *all = json_pack("[s]", "");
	if (!c->match)
		return all; /* matching off: nothing is searched */
	if (group && *group) {
		json_array_append_new(all, json_string(group));
		return all;
	}
	const char *g;
	for (size_t i = 0; (g = match_sex_groups(c->match, i)); i++)
		json_array_append_new(all, json_string(g));
	return all;
}

int similar_queue(struct nrm_ctx *c, const struct similar_search *q, json_t *codes)
{
	int rc = 0;
	/* In rank order, so that the queue and the codes come out the same however they were found. */
	struct similar_found best[SIMILAR_MAX];
	memcpy(best, q->best, q->n * sizeof *best);
	qsort(best, q->n, sizeof *best, by_rank);
	for (size_t j = 0; !rc && j < q->n; j++) {
		json_t *agreed = match_agreed(&best[j].s), *row = NULL;
		char *text = json_dumps(agreed, JSON_COMPACT);
		bool queued = false;
		rc = text ? store_duplicate_similar(c->db, q->id, best[j].id, best[j].s.score, text, &queued)
			  : NRM_ENOMEM;
		if (!rc && queued && !(rc = store_case_get(c->db, NULL, best[j].id, &row))) {
			json_t *code = json_object_get(row, "code");
			bool known = false;
			size_t m;
			json_t *x;
			json_array_foreach(codes, m, x)
				known |= json_equal(x, code);
			if (!known)
				json_array_append(codes, code);
		}
		json_decref(row);
		free(text);
		json_decref(agreed);
	}
	return rc;
}

int case_similar_find(struct nrm_ctx *c, int64_t id, json_t *data, json_t *codes)
{
	struct person p;
	if (!c->match || !person_of(c, data, &p))
		return 0;
	if (c->similar) /* a batch: searched with the others at its end */
		return similar_defer(c->similar, id, p.sex, p.birth.year);
	uint32_t v = similar_version(c);
	struct match_keys k;
	size_t size = match_enc_size(c->match);
	struct similar_search *q = calloc(1, sizeof *q);
	unsigned char *packed = malloc(size);
	json_t *sexes = similar_sexes(c, p.sex);
	int rc = q && packed ? similar_keys(c, v, &k) : NRM_ENOMEM;
	if (!rc)
		rc = match_encode(c->match, &k, p.first, p.last, &p.birth, &q->mine);
	if (rc)
		goto done;
	match_enc_pack(c->match, &q->mine, packed);
	q->def = c->match;
	q->id = id;
	q->mine_packed = packed;
	q->size = size;
	size_t i;
	json_t *sex;
	json_array_foreach(sexes, i, sex)
		for (int dy = -1; !rc && dy <= 1; dy++) {
			unsigned char block[MATCH_TAG];
			match_block(&k, json_string_value(sex), p.birth.year + dy, block);
			q->apart = dy < 0 ? -dy : dy;
			rc = store_match_block(c->db, block, sizeof block, v, id, similar_offer, q);
		}
	if (!rc)
		rc = similar_queue(c, q, codes);
done:
	sodium_memzero(&k, sizeof k);
	if (q)
		sodium_memzero(&q->mine, sizeof q->mine);
	json_decref(sexes);
	free(packed);
	free(q);
	return rc;
}
