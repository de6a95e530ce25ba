/* The approximate search of many new cases at once (case/case.h, case_similar_batch_*): an
 * import of a million rows searched case by case reads the blocks of every row again — tens
 * of thousands of encodings each at that size, hours in all. Here the batch's cases are
 * grouped by their own block (sex, birth year); each group reads the blocks it searches once,
 * keeps in memory those the next group searches too, and within a block compares a case
 * with a birth date only with the encodings of the same date (or with day and month swapped)
 * and those without one: the only ones the rules can make candidates (match/match.h). Every
 * case is compared with the cases written before it, as case_create would have. */
#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/internal.h"
#include "store/match.h"

struct pending {
	int64_t id;
	int year;
	unsigned sex; /* its sex group: an index in the batch's sexes; 0: unknown */
};

struct case_similar_batch {
	struct pending *rows;
	size_t n, cap;
	json_t *sexes;  /* sex groups (match_sex_group): "" (unknown), then every group */
	size_t listed;  /* how many of them a case of unknown sex reads: all */
};

int case_similar_batch_begin(struct nrm_ctx *c)
{
	assert(!c->similar);
	struct case_similar_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NRM_ENOMEM;
	b->sexes = similar_sexes(c, NULL);
	b->listed = json_array_size(b->sexes);
	c->similar = b;
	return 0;
}

static void batch_free(struct case_similar_batch *b)
{
	if (!b)
		return;
	json_decref(b->sexes);
	free(b->rows);
	free(b);
}

void case_similar_batch_end(struct nrm_ctx *c)
{
	batch_free(c->similar);
	c->similar = NULL;
}

int similar_defer(struct case_similar_batch *b, int64_t id, const char *group, int year)
{
	size_t at = 0;
	if (group && *group) {
		for (size_t i = 1; !at && i < json_array_size(b->sexes); i++)
			if (strcmp(json_string_value(json_array_get(b->sexes, i)), group) == 0)
				at = i;
		if (!at) {
			at = json_array_size(b->sexes);
			if (json_array_append_new(b->sexes, json_string(group)))
				return NRM_ENOMEM;
		}
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		struct pending *p = realloc(b->rows, cap * sizeof *p);
		if (!p)
			return NRM_ENOMEM;
		b->rows = p;
		b->cap = cap;
	}
	b->rows[b->n++] = (struct pending){.id = id, .year = year, .sex = (unsigned)at};
	return 0;
}

/* ---- blocks in memory ---- */

struct member {
	int64_t id;
	size_t at;                       /* of its encoding in the block's enc */
	unsigned char birth[MATCH_TAG];  /* its birth tag (zero: no date) */
	unsigned set[2];                 /* match_enc_set */
};

struct block {
	const struct match_def *def;
	unsigned char tag[MATCH_TAG];
	size_t size;             /* of one encoding */
	struct member *all;      /* by id */
	size_t n, cap;
	unsigned char *enc;      /* n encodings of size bytes */
	struct member *dated;    /* those with a birth date, by birth tag then id */
	struct member *undated;  /* the others (a year estimated from an age), by id */
	size_t ndated, nundated;
	bool wanted;
};

static void block_free(struct block *k)
{
	if (!k)
		return;
	free(k->all);
	free(k->enc);
	free(k->dated);
	free(k->undated);
	free(k);
}

static int collect(void *arg, int64_t case_id, const unsigned char *enc, size_t n)
{
	struct block *k = arg;
	if (n != k->size)
		return 0; /* made under other definitions: encoded again when next written */
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 64;
		struct member *m = realloc(k->all, cap * sizeof *m);
		unsigned char *e = m ? realloc(k->enc, cap * k->size) : NULL;
		if (m)
			k->all = m;
		if (!e)
			return NRM_ENOMEM;
		k->enc = e;
		k->cap = cap;
	}
	memcpy(k->enc + k->n * k->size, enc, n);
	k->all[k->n] = (struct member){.id = case_id, .at = k->n * k->size};
	/* match_enc_pack's layout: flags, the two filters, the birth tag, the swapped one. */
	memcpy(k->all[k->n].birth, enc + n - 2 * MATCH_TAG, MATCH_TAG);
	match_enc_set(k->def, enc, k->all[k->n].set);
	k->n++;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct member *)a)->id, y = ((const struct member *)b)->id;
	return (x > y) - (x < y);
}

static int by_birth(const void *a, const void *b)
{
	int d = memcmp(((const struct member *)a)->birth, ((const struct member *)b)->birth, MATCH_TAG);
	return d ? d : by_id(a, b);
}

static int block_load(struct nrm_ctx *c, uint32_t v, const unsigned char tag[MATCH_TAG], struct block **out)
{
	struct block *k = calloc(1, sizeof *k);
	if (!k)
		return NRM_ENOMEM;
	memcpy(k->tag, tag, MATCH_TAG);
	k->def = c->match;
	k->size = match_enc_size(c->match);
	k->wanted = true;
	int rc = store_match_block(c->db, tag, MATCH_TAG, v, 0, collect, k);
	if (!rc && k->n) {
		qsort(k->all, k->n, sizeof *k->all, by_id);
		k->dated = malloc(k->n * sizeof *k->dated);
		k->undated = malloc(k->n * sizeof *k->undated);
		if (!k->dated || !k->undated)
			rc = NRM_ENOMEM;
	}
	for (size_t i = 0; !rc && i < k->n; i++) {
		if (k->enc[k->all[i].at] >> 2 & 1)
			k->dated[k->ndated++] = k->all[i];
		else
			k->undated[k->nundated++] = k->all[i];
	}
	if (!rc && k->ndated)
		qsort(k->dated, k->ndated, sizeof *k->dated, by_birth);
	if (rc) {
		block_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

static void offer(struct similar_search *q, const struct member *m, const struct block *k)
{
	q->set = m->set;
	similar_offer(q, m->id, k->enc + m->at, k->size);
}

/* The first of the dated members whose birth tag is t (ndated when none). */
static size_t first_born(const struct block *k, const unsigned char *t)
{
	size_t lo = 0, hi = k->ndated;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(k->dated[mid].birth, t, MATCH_TAG) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void offer_born(struct similar_search *q, const struct block *k, const unsigned char *t)
{
	for (size_t i = first_born(k, t); i < k->ndated && memcmp(k->dated[i].birth, t, MATCH_TAG) == 0 && k->dated[i].id < q->id;
	     i++)
		offer(q, &k->dated[i], k);
}

/* Every member of m written before the case whose filters set as many bits as lo..hi allow
 * (match_range); `by_id`: m is in id order, so the first written after the case ends the walk. */
static void offer_all(struct similar_search *q, const struct member *m, size_t n, bool by_id, const unsigned lo[2],
		      const unsigned hi[2], const struct block *k)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].id >= q->id) {
			if (by_id)
				break;
			continue;
		}
		if (m[i].set[0] >= lo[0] && m[i].set[0] <= hi[0] && m[i].set[1] >= lo[1] && m[i].set[1] <= hi[1])
			offer(q, &m[i], k);
	}
}

static bool blank(const unsigned char t[MATCH_TAG])
{
	for (size_t i = 0; i < MATCH_TAG; i++)
		if (t[i])
			return false;
	return true;
}

/* The search of one case in one block `apart` years from its own: the members the rules can
 * make candidates of, those written before it. */
static void search_block(struct similar_search *q, const struct block *k, int apart)
{
	q->apart = apart;
	/* A pair of which one has no birth date agrees on the year alone: most of a block cannot
	 * have names alike enough, and the sizes of their filters tell. */
	unsigned lo[2], hi[2], all_lo[2] = {0, 0}, all_hi[2] = {UINT_MAX, UINT_MAX};
	match_range(q->def, &q->mine, apart, lo, hi);
	if (q->mine.has_date && match_names_suffice(q->def)) {
		/* Rules that need no birth: every dated member may be one, whatever its date. */
		offer_all(q, k->dated, k->ndated, false, all_lo, all_hi, k);
	} else if (q->mine.has_date) {
		/* Births both known: only the same date, or day and month swapped, can agree — and
		 * only in the case's own year. */
		if (apart == 0) {
			offer_born(q, k, q->mine.birth);
			if (!blank(q->mine.swapped))
				offer_born(q, k, q->mine.swapped);
		}
	} else {
		offer_all(q, k->dated, k->ndated, false, lo, hi, k);
	}
	offer_all(q, k->undated, k->nundated, true, lo, hi, k);
}

/* ---- the run ---- */

static int by_block(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->sex != y->sex)
		return x->sex < y->sex ? -1 : 1;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

struct cache {
	struct block **b;
	size_t n, cap;
};

/* The block of tag, read unless the cache holds it; marked wanted. */
static int cached(struct nrm_ctx *c, uint32_t v, struct cache *ca, const unsigned char tag[MATCH_TAG], struct block **out)
{
	for (size_t i = 0; i < ca->n; i++)
		if (memcmp(ca->b[i]->tag, tag, MATCH_TAG) == 0) {
			ca->b[i]->wanted = true;
			*out = ca->b[i];
			return 0;
		}
	if (ca->n == ca->cap) {
		size_t cap = ca->cap ? 2 * ca->cap : 16;
		struct block **p = realloc(ca->b, cap * sizeof *p);
		if (!p)
			return NRM_ENOMEM;
		ca->b = p;
		ca->cap = cap;
	}
	int rc = block_load(c, v, tag, &ca->b[ca->n]);
	if (!rc)
		*out = ca->b[ca->n++];
	return rc;
}

/* Drops the blocks the group just searched did not want, and clears the marks for the next. */
static void cache_trim(struct cache *ca)
{
	size_t kept = 0;
	for (size_t i = 0; i < ca->n; i++) {
		if (ca->b[i]->wanted) {
			ca->b[i]->wanted = false;
			ca->b[kept++] = ca->b[i];
		} else {
			block_free(ca->b[i]);
		}
	}
	ca->n = kept;
}

/* The blocks one group of cases (of one sex group and birth year) searches: its sex group's
 * (or, unknown, every one's) and the unknown one's, each for the year and the years either side. */
#define GROUP_BLOCKS_MAX 96
struct wanted {
	struct block *k;
	int apart;
};

/* Up to CHUNK cases of a group are compared at a time, on every core (the blocks are read
 * only), then their candidates queued in order on the caller's thread (the store's). */
#define CHUNK 1024
#define THREADS_MAX 8

struct part {
	struct similar_search *qs; /* the chunk's searches, set up */
	size_t n, from, step;
	struct wanted *w;
	size_t nw;
};

static void *compare_part(void *arg)
{
	struct part *p = arg;
	for (size_t i = p->from; i < p->n; i += p->step)
		if (p->qs[i].id) /* 0: nothing to search with */
			for (size_t b = 0; b < p->nw; b++)
				search_block(&p->qs[i], p->w[b].k, p->w[b].apart);
	return NULL;
}

static size_t threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > THREADS_MAX ? THREADS_MAX : (size_t)n;
}

/* Compares the chunk's cases on every core: this thread and threads()-1 more, each taking
 * every threads()-th case; on a thread that cannot start, this one does its share. */
static void compare_chunk(struct similar_search *qs, size_t n, struct wanted *w, size_t nw)
{
	size_t t = threads();
	if (t > n)
		t = n ? n : 1;
	struct part parts[THREADS_MAX];
	pthread_t tid[THREADS_MAX];
	bool started[THREADS_MAX] = {false};
	for (size_t i = 0; i < t; i++) {
		parts[i] = (struct part){.qs = qs, .n = n, .from = i, .step = t, .w = w, .nw = nw};
		started[i] = i > 0 && pthread_create(&tid[i], NULL, compare_part, &parts[i]) == 0;
	}
	compare_part(&parts[0]);
	for (size_t i = 1; i < t; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			compare_part(&parts[i]);
	}
}

static int group_search(struct nrm_ctx *c, struct case_similar_batch *b, uint32_t v, const struct match_keys *keys,
			struct cache *ca, const struct pending *rows, size_t n, struct similar_search *qs, json_t *found)
{
	struct wanted w[GROUP_BLOCKS_MAX];
	size_t nw = 0;
	struct block *home = NULL;
	unsigned sexes[GROUP_BLOCKS_MAX / 3];
	size_t ns = 0;
	if (rows[0].sex == 0)
		for (size_t i = 0; i < b->listed && ns < GROUP_BLOCKS_MAX / 3; i++)
			sexes[ns++] = (unsigned)i;
	else
		sexes[ns++] = 0, sexes[ns++] = rows[0].sex;
	int rc = 0;
	for (size_t s = 0; !rc && s < ns; s++)
		for (int dy = -1; !rc && dy <= 1; dy++) {
			unsigned char tag[MATCH_TAG];
			match_block(keys, json_string_value(json_array_get(b->sexes, sexes[s])), rows[0].year + dy, tag);
			if (!(rc = cached(c, v, ca, tag, &w[nw].k))) {
				w[nw].apart = dy < 0 ? -dy : dy;
				if (dy == 0 && sexes[s] == rows[0].sex)
					home = w[nw].k;
				nw++;
			}
		}
	cache_trim(ca);
	size_t size = match_enc_size(c->match);
	for (size_t at = 0; !rc && at < n; at += CHUNK) {
		size_t m = n - at < CHUNK ? n - at : CHUNK;
		for (size_t r = 0; r < m; r++) {
			/* Each case's own encoding, in its own block. */
			struct similar_search *q = &qs[r];
			struct member key = {.id = rows[at + r].id};
			const struct member *me = home && home->n ? bsearch(&key, home->all, home->n, sizeof key, by_id) : NULL;
			*q = (struct similar_search){.def = c->match, .size = size};
			if (me && !match_enc_unpack(c->match, home->enc + me->at, size, &q->mine)) {
				q->id = key.id;
				q->mine_packed = home->enc + me->at;
			}
		}
		compare_chunk(qs, m, w, nw);
		for (size_t r = 0; !rc && r < m; r++) {
			if (!qs[r].id)
				continue;
			json_t *codes = json_array();
			if (!codes)
				rc = NRM_ENOMEM;
			/* Only the Authority learns that a candidate exists (case_dup_view). */
			if (!rc && !(rc = similar_queue(c, &qs[r], codes)) && json_array_size(codes) &&
			    role_is_authority(c->me->role)) {
				char id[24];
				snprintf(id, sizeof id, "%lld", (long long)qs[r].id);
				rc = json_object_set(found, id, codes) ? NRM_ENOMEM : 0;
			}
			json_decref(codes);
		}
	}
	for (size_t r = 0; r < CHUNK && r < n; r++)
		sodium_memzero(&qs[r].mine, sizeof qs[r].mine);
	return rc;
}

int case_similar_batch_run(struct nrm_ctx *c, json_t **found)
{
	struct case_similar_batch *b = c->similar;
	assert(b);
	c->similar = NULL;
	json_t *all = json_object();
	struct similar_search *q = calloc(CHUNK, sizeof *q);
	struct cache ca = {0};
	struct match_keys keys;
	uint32_t v = similar_version(c);
	int rc = all && q ? similar_keys(c, v, &keys) : NRM_ENOMEM;
	if (rc || !c->match)
		goto done;
	qsort(b->rows, b->n, sizeof *b->rows, by_block);
	for (size_t i = 0, j; !rc && i < b->n; i = j) {
		for (j = i + 1; j < b->n && b->rows[j].sex == b->rows[i].sex && b->rows[j].year == b->rows[i].year; j++)
			;
		rc = group_search(c, b, v, &keys, &ca, b->rows + i, j - i, q, all);
	}
done:
	sodium_memzero(&keys, sizeof keys);
	free(q);
	for (size_t i = 0; i < ca.n; i++)
		block_free(ca.b[i]);
	free(ca.b);
	batch_free(b);
	if (!rc)
		*found = all;
	else
		json_decref(all);
	return rc;
}
