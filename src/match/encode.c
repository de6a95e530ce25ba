/* Encodings of a person (Bloom filters of the folded names' bigrams, keyed tags of the birth
 * date) and how two of them compare. */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "match/internal.h"

/* The bits a filter sets (b as bytes). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
static unsigned ones(unsigned words, const unsigned char *b)
{
	unsigned n = 0;
	for (unsigned i = 0; i < words; i++) {
		uint64_t x;
		memcpy(&x, b + 8 * i, sizeof x);
		n += (unsigned)__builtin_popcountll(x);
	}
	return n;
}

/* Sets the bits of every bigram of the folded name (each word's ends marked with '_'). Each
 * bigram's bits are positions drawn from one keyed BLAKE2b of it: independent of each other
 * and, without the key, of the bigram (no double hashing, whose structure helps an attacker). */
static void filter(const struct match_def *d, const unsigned char key[32], const char *folded, uint64_t *bits)
{
	memset(bits, 0, d->bits / 8);
	const char *p = folded;
	while (*p) {
		size_t n = strcspn(p, " ");
		for (size_t i = 0; n && i <= n; i++) {
			unsigned char gram[2] = {(unsigned char)(i == 0 ? '_' : p[i - 1]), (unsigned char)(i == n ? '_' : p[i])};
			unsigned char h[2 * MATCH_HASHES_MAX];
			crypto_generichash(h, sizeof h, gram, sizeof gram, key, 32);
			for (unsigned k = 0; k < d->hashes; k++) {
				unsigned pos = ((unsigned)h[2 * k] << 8 | h[2 * k + 1]) % d->bits;
				bits[pos / 64] |= UINT64_C(1) << (pos % 64);
			}
		}
		p += n + (p[n] == ' ');
	}
}

static bool name(const struct match_def *d, const unsigned char key[32], const char *raw, uint64_t *bits, int *rc)
{
	char *folded = NULL;
	memset(bits, 0, d->bits / 8);
	if (!raw || !*raw)
		return false;
	if ((*rc = match_fold(d, raw, &folded)))
		return false;
	bool any = *folded != '\0';
	if (any)
		filter(d, key, folded, bits);
	free(folded);
	return any;
}

static void tag(const unsigned char key[32], const char *text, unsigned char out[MATCH_TAG])
{
	crypto_generichash(out, MATCH_TAG, (const unsigned char *)text, strlen(text), key, 32);
}

int match_encode(const struct match_def *d, const struct match_keys *k, const char *first, const char *last,
		 const struct match_birth *b, struct match_enc *out)
{
	struct match_enc e;
	memset(&e, 0, sizeof e);
	int rc = 0;
	e.has_first = name(d, k->first, first, e.first, &rc);
	if (!rc)
		e.has_last = name(d, k->last, last, e.last, &rc);
	if (rc)
		return rc;
	e.set[0] = ones(d->bits / 64, (const unsigned char *)e.first);
	e.set[1] = ones(d->bits / 64, (const unsigned char *)e.last);
	int32_t day;
	if (b && b->date && date_parse(b->date, &day) == 0) {
		int y, m, dd;
		char text[48];
		date_to_ymd(day, &y, &m, &dd);
		snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, dd);
		tag(k->birth, text, e.birth);
		/* Day and month swapped, where that is a date and not the same one. */
		if (dd <= 12 && dd != m) {
			snprintf(text, sizeof text, "%04d-%02d-%02d", y, dd, m);
			tag(k->birth, text, e.swapped);
		}
		e.has_date = true;
	}
	*out = e;
	return 0;
}

size_t match_enc_size(const struct match_def *d)
{
	return 1 + 2 * (size_t)d->bits / 8 + 2 * MATCH_TAG;
}

void match_enc_pack(const struct match_def *d, const struct match_enc *e, unsigned char *out)
{
	size_t w = d->bits / 8;
	out[0] = (unsigned char)(e->has_first | e->has_last << 1 | e->has_date << 2);
	memcpy(out + 1, e->first, w);
	memcpy(out + 1 + w, e->last, w);
	memcpy(out + 1 + 2 * w, e->birth, MATCH_TAG);
	memcpy(out + 1 + 2 * w + MATCH_TAG, e->swapped, MATCH_TAG);
}

int match_enc_unpack(const struct match_def *d, const unsigned char *in, size_t n, struct match_enc *out)
{
	size_t w = d->bits / 8;
	if (n != match_enc_size(d) || in[0] > 7)
		return NRM_EINVAL; /* made under other definitions */
	memset(out, 0, sizeof *out);
	out->has_first = in[0] & 1;
	out->has_last = in[0] >> 1 & 1;
	out->has_date = in[0] >> 2 & 1;
	memcpy(out->first, in + 1, w);
	memcpy(out->last, in + 1 + w, w);
	memcpy(out->birth, in + 1 + 2 * w, MATCH_TAG);
	memcpy(out->swapped, in + 1 + 2 * w + MATCH_TAG, MATCH_TAG);
	match_enc_set(d, in, out->set);
	return 0;
}

void match_block(const struct match_keys *k, const char *sex, int year, unsigned char out[MATCH_TAG])
{
	char text[64];
	snprintf(text, sizeof text, "%s|%d", sex ? sex : "", year);
	tag(k->block, text, out);
}

/* The Dice coefficient of two filters (b as bytes: a stored encoding is read in place): twice
 * the bits they share over the bits they set. Built for the popcount instruction where the
 * processor has it (every x86-64 since 2008): a search runs this over whole blocks. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
static double dice(unsigned words, const uint64_t *a, const unsigned char *b)
{
	unsigned both = 0, na = 0, nb = 0;
	for (unsigned i = 0; i < words; i++) {
		uint64_t x;
		memcpy(&x, b + 8 * i, sizeof x);
		both += (unsigned)__builtin_popcountll(a[i] & x);
		na += (unsigned)__builtin_popcountll(a[i]);
		nb += (unsigned)__builtin_popcountll(x);
	}
	return na + nb ? 2.0 * both / (na + nb) : 0;
}

void match_enc_set(const struct match_def *d, const unsigned char *b, unsigned out[2])
{
	out[0] = ones(d->bits / 64, b + 1);
	out[1] = ones(d->bits / 64, b + 1 + d->bits / 8);
}

static bool zero(const unsigned char t[MATCH_TAG])
{
	for (int i = 0; i < MATCH_TAG; i++)
		if (t[i])
			return false;
	return true;
}

/* How two births agree (the tags of b as stored), and in what way. */
static double births(const struct match_def *d, const struct match_enc *a, bool b_date, const unsigned char *b_birth,
		     const unsigned char *b_swapped, int year_apart, const char **how)
{
	*how = NULL;
	if (a->has_date && b_date) {
		if (memcmp(a->birth, b_birth, MATCH_TAG) == 0)
			return *how = "same", d->birth_same;
		if ((!zero(b_swapped) && memcmp(a->birth, b_swapped, MATCH_TAG) == 0) ||
		    (!zero(a->swapped) && memcmp(a->swapped, b_birth, MATCH_TAG) == 0))
			return *how = "swapped", d->birth_swapped;
		return 0;
	}
	if (year_apart == 0)
		return *how = "year", d->birth_year;
	if (year_apart == 1)
		return *how = "near_year", d->birth_near;
	return 0;
}

/* Whether any rule reaches its threshold with these parts. */
static bool reaches(const struct match_def *d, double first, double last, double birth)
{
	for (size_t r = 0; r < d->nrules; r++) {
		const struct match_rule *m = &d->rules[r];
		if (m->w[0] * first + m->w[1] * last + m->w[2] * birth >= m->threshold)
			return true;
	}
	return false;
}

/* The score (the first rule's: every field weighed, so that a pair found by a narrower rule —
 * a surname changed at marriage — ranks by how alike it is whole), whether any rule makes
 * the pair a candidate, and which fields agreed. */
static void settle(const struct match_def *d, struct match_score *s)
{
	const struct match_rule *m = &d->rules[0];
	s->score = m->w[0] * s->first + m->w[1] * s->last + m->w[2] * s->birth;
	s->candidate = reaches(d, s->first, s->last, s->birth);
	s->agreed_first = s->first >= d->agree;
	s->agreed_last = s->last >= d->agree;
	s->agreed_birth = s->birth >= d->agree;
}

void match_compare(const struct match_def *d, const struct match_enc *a, const struct match_enc *b, int year_apart,
		   struct match_score *out)
{
	unsigned words = d->bits / 64;
	struct match_score s = {0};
	s.first = a->has_first && b->has_first ? dice(words, a->first, (const unsigned char *)b->first) : 0;
	s.last = a->has_last && b->has_last ? dice(words, a->last, (const unsigned char *)b->last) : 0;
	s.birth = births(d, a, b->has_date, b->birth, b->swapped, year_apart, &s.birth_how);
	settle(d, &s);
	*out = s;
}

/* The largest Dice coefficient two filters setting na and nb bits can have: all the fewer shared. */
static double dice_bound(bool both, unsigned na, unsigned nb)
{
	return both && na + nb ? 2.0 * (na < nb ? na : nb) / (na + nb) : 0;
}

bool match_candidate(const struct match_def *d, const struct match_enc *a, const unsigned char *b, size_t n,
		     const unsigned *b_set, int year_apart, struct match_score *out)
{
	size_t w = d->bits / 8;
	if (n != match_enc_size(d) || b[0] > 7)
		return false; /* made under other definitions */
	struct match_score s = {0};
	s.birth = births(d, a, b[0] >> 2 & 1, b + 1 + 2 * w, b + 1 + 2 * w + MATCH_TAG, year_apart, &s.birth_how);
	/* The parts in turn, each time asking whether the rest, however alike, could still make a
	 * candidate (a weighted sum never grows when a part shrinks, so no candidate is passed
	 * over): most of a block stops at the births, most of the rest at the first names. */
	if (!reaches(d, 1, 1, s.birth))
		return false;
	/* The bits the filters set bound how alike they can be (the same division: the bound is
	 * never below the coefficient), without reading them. */
	if (b_set && !reaches(d, dice_bound(a->has_first && b[0] & 1, a->set[0], b_set[0]),
			      dice_bound(a->has_last && b[0] >> 1 & 1, a->set[1], b_set[1]), s.birth))
		return false;
	s.first = a->has_first && b[0] & 1 ? dice(d->bits / 64, a->first, b + 1) : 0;
	if (!reaches(d, s.first, 1, s.birth))
		return false;
	s.last = a->has_last && b[0] >> 1 & 1 ? dice(d->bits / 64, a->last, b + 1 + w) : 0;
	settle(d, &s);
	if (!s.candidate)
		return false;
	*out = s;
	return true;
}

/* The bits a filter must set to reach a Dice coefficient of t with one setting n: between
 * n t / (2 - t) and n (2 - t) / t, widened by one bit each way against rounding. */
static void span(unsigned n, double t, bool mine, unsigned *lo, unsigned *hi)
{
	/* A rule met exactly at its threshold can leave t a rounding above 0 or 1: such a t is
	 * taken as 0 or 1, never as beyond reach (match_candidate sums the same parts directly). */
	if (t <= 1e-9) {
		*lo = 0, *hi = UINT_MAX;
	} else if (!mine || t > 1 + 1e-9) {
		*lo = UINT_MAX, *hi = 0; /* no name, or beyond reach: nothing */
	} else {
		t = t > 1 ? 1 : t;
		double a = n * t / (2 - t) - 1, b = n * (2 - t) / t + 1;
		*lo = a > 0 ? (unsigned)a : 0;
		*hi = b < (double)UINT_MAX ? (unsigned)b : UINT_MAX;
	}
}

bool match_names_suffice(const struct match_def *d)
{
	return reaches(d, 1, 1, 0);
}

void match_range(const struct match_def *d, const struct match_enc *a, int year_apart, unsigned lo[2], unsigned hi[2])
{
	double birth = year_apart == 0 ? d->birth_year : year_apart == 1 ? d->birth_near : 0;
	/* The least each name must agree by under some rule within reach, the other agreeing fully. */
	double need[2] = {2, 2};
	for (size_t r = 0; r < d->nrules; r++) {
		const struct match_rule *m = &d->rules[r];
		if (m->w[0] + m->w[1] + m->w[2] * birth < m->threshold)
			continue;
		for (int f = 0; f < 2; f++) {
			double v = m->w[f] > 0 ? (m->threshold - m->w[1 - f] - m->w[2] * birth) / m->w[f] : 0;
			if (v < need[f])
				need[f] = v;
		}
	}
	span(a->set[0], need[0], a->has_first, &lo[0], &hi[0]);
	span(a->set[1], need[1], a->has_last, &lo[1], &hi[1]);
}

json_t *match_agreed(const struct match_score *s)
{
	json_t *a = json_array();
	if (s->agreed_first)
		json_array_append_new(a, json_string("first_name"));
	if (s->agreed_last)
		json_array_append_new(a, json_string("last_name"));
	if (s->agreed_birth)
		json_array_append_new(a, json_string("birth"));
	return a;
}
