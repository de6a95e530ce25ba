/* The encodings of approximate matching (schema 22, src/match/): per case and key version a
 * block tag (sex and birth year, keyed) and the encoding of its names and birth; and the
 * scores of the pairs they make candidates in the Authority's queue of likely duplicates. */
#ifndef NRM_STORE_MATCH_H
#define NRM_STORE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

int store_match_clear(struct store *s, int64_t case_id);
int store_match_put(struct store *s, int64_t case_id, int64_t version, const void *block, size_t block_n,
		    const void *enc, size_t enc_n);
/* Calls fn for every case but case_id encoded under version in block (a merged case has no
 * encodings: the merge clears them): its id and encoding (borrowed for the call). Stops at fn's
 * first non-zero answer, returned. */
typedef int (*store_match_fn)(void *arg, int64_t case_id, const unsigned char *enc, size_t n);
int store_match_block(struct store *s, const void *block, size_t block_n, int64_t version, int64_t case_id,
		      store_match_fn fn, void *arg);
/* Notes that a case's identity changed (case_identity_of: names, birth, sex or documents written
 * otherwise): the pairs dismissed before are asked again when found again. Not for a change of
 * key or of matching's definitions, which changes no person. */
int store_case_identity_changed(struct store *s, int64_t case_id);
/* The cases not merged into another after id `after`, in id order, at most limit: [{id}]. */
int store_match_cases(struct store *s, int64_t after, int limit, json_t **out);
/* Whether the cases' encodings were all made under the definitions whose digest is `digest`;
 * and remembering that they were. */
bool store_match_encoded(struct store *s, const char *digest);
int store_match_encoded_mark(struct store *s, const char *digest);
/* Every encoding under another version than `version` dropped (a key rotation's end). */
int store_match_drop_except(struct store *s, int64_t version);

/* A pair approximate matching found (a < b or b < a: stored in order) with its score and the
 * fields that agreed (JSON array text). A new pair joins the queue (open); an open one takes
 * the new score; a dismissed one is opened again only when the identity of one of its cases
 * changed since (store_case_identity_changed), and keeps its status otherwise — a new key or
 * new definitions of matching do not bring it back; a merged one is left as it is. *queued:
 * the pair is open now. */
/* How many pairs the queue holds open (neither case merged into a third since). */
int store_duplicates_open(struct store *s, int64_t *n);
int store_duplicate_similar(struct store *s, int64_t a, int64_t b, double score, const char *agreed, bool *queued);

#endif
