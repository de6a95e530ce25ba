/* Approximate matching of persons across agencies without their names (issue 16,
 * docs/matching.md): names folded so that Albanian, Italian and Greek spellings of the same
 * sounds agree (Xhuljeta / Giulietta / Τζουλιέτα), cut into bigrams and encoded as Bloom
 * filters under keys of their own (Schnell, Bachteler and Reiher 2009); birth dates as keyed
 * tags of the date and of the date with day and month swapped; blocked by sex and birth year.
 * Two encodings give a score (Dice coefficient of the names, agreement of the births) and the
 * fields that agreed; the rules say when a pair is a candidate for the Authority's queue.
 * Everything here is pure computation on the definitions of data/match/rules.json; nothing
 * is stored or logged. A loaded definition is read-only and shared by threads. */
#ifndef NRM_MATCH_MATCH_H
#define NRM_MATCH_MATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define MATCH_BITS_MAX 2048
#define MATCH_HASHES_MAX 32
#define MATCH_TAG 8 /* bytes of a birth-date tag and of a block key */

struct match_def;

/* Builds the definitions from the document of data/match/rules.json (errors name the file
 * and the rule). Keeps no reference to doc. *out is freed with match_def_free. */
int match_def_load(const json_t *doc, struct match_def **out, struct nrm_err *err);
void match_def_free(struct match_def *d);
/* The bits of each name's filter (a multiple of 64). */
unsigned match_bits(const struct match_def *d);

/* The blocking group of a sex code (rules' "blocking"): its group, or "" — unknown, compared
 * with every group — for a code the rules do not name and for NULL. Borrowed from d. */
const char *match_sex_group(const struct match_def *d, const char *code);
/* The i-th group (from 0), each once; NULL past the last. */
const char *match_sex_groups(const struct match_def *d, size_t i);

/* The folded form of a name: words folded (rules' "fold"), separated by one space; "" when
 * nothing is left. *out is malloc'd. NRM_EINVAL: not valid UTF-8. */
int match_fold(const struct match_def *d, const char *name, char **out);

/* The keys of one key version: one per field (a key per field is a salt per field: the same
 * bigram sets other bits in a first name than in a surname) and one for the blocks. Secret. */
struct match_keys {
	unsigned char first[32], last[32], birth[32], block[32];
};

/* What is known of a person's birth: a date (YYYY-MM-DD), or only a year estimated from an age
 * (date NULL), or nothing (year 0). */
struct match_birth {
	const char *date;
	int year;
};

/* An encoding as stored: the two filters, the birth tags, and what was known. Fixed size for
 * a definition (match_enc_size). */
struct match_enc {
	uint64_t first[MATCH_BITS_MAX / 64], last[MATCH_BITS_MAX / 64];
	unsigned char birth[MATCH_TAG], swapped[MATCH_TAG];
	bool has_first, has_last, has_date;
	unsigned set[2]; /* the bits each filter sets (first, last) */
};

/* Encodes a person: names (either may be NULL), birth. */
int match_encode(const struct match_def *d, const struct match_keys *k, const char *first, const char *last,
		 const struct match_birth *b, struct match_enc *out);
/* The stored form of an encoding (its bytes into out, room for match_enc_size) and back. */
size_t match_enc_size(const struct match_def *d);
/* The bits each name filter of a stored encoding (made under d: match_enc_size bytes) sets,
 * {first, last}: what match_candidate can pass a pair over by without reading the filters. */
void match_enc_set(const struct match_def *d, const unsigned char *b, unsigned out[2]);
void match_enc_pack(const struct match_def *d, const struct match_enc *e, unsigned char *out);
int match_enc_unpack(const struct match_def *d, const unsigned char *in, size_t n, struct match_enc *out);

/* The block of a person: a keyed tag of sex (its group, match_sex_group: "" when unknown) and
 * birth year. A search reads the blocks of its own group and of the unknown one (unknown:
 * of every group), each for the year and the years either side. */
void match_block(const struct match_keys *k, const char *sex, int year, unsigned char out[MATCH_TAG]);

/* How two encodings compare: names' Dice coefficients, the births' agreement, the score (the
 * first rule's: every field weighed), whether any rule makes it a candidate, and which fields
 * agreed. year_apart: how far apart the two blocks' years are (0 or 1). */
struct match_score {
	double first, last, birth, score;
	bool candidate;
	bool agreed_first, agreed_last, agreed_birth;
	const char *birth_how; /* "same", "swapped", "year", "near_year" or NULL */
};
void match_compare(const struct match_def *d, const struct match_enc *a, const struct match_enc *b, int year_apart,
		   struct match_score *out);

/* match_compare of a and a stored encoding (packed, n bytes) as a search needs it: true, and
 * *out the same score match_compare gives, when the pair is a candidate; false, without
 * touching *out, when it is not or b was made under other definitions. Stops as soon as no
 * rule can be reached however alike the rest (births both known that differ: most of a
 * block; then, given b_set (match_enc_set of b; NULL: not known), filters whose sizes differ
 * too much; then the first names), so that a block is passed over without comparing most filters. */
bool match_candidate(const struct match_def *d, const struct match_enc *a, const unsigned char *b, size_t n,
		     const unsigned *b_set, int year_apart, struct match_score *out);

/* For a search through many encodings without a birth date (or of a without one), whose births
 * then agree by the year alone (year_apart 0 or 1): the bits each stored filter must set,
 * lo[i] to hi[i] (first, last; match_enc_set), for the pair to be a candidate at all. A
 * necessary condition only — match_candidate decides — but most of a block fails it. */
void match_range(const struct match_def *d, const struct match_enc *a, int year_apart, unsigned lo[2], unsigned hi[2]);
/* Whether some rule can make a pair a candidate on names alone, their births disagreeing (not
 * with the rules as shipped): then a search cannot pass over births both known that differ. */
bool match_names_suffice(const struct match_def *d);

/* The names of the fields that agreed, as a new JSON array ("first_name", "last_name", "birth"). */
json_t *match_agreed(const struct match_score *s);

#endif
