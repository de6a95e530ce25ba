/* Helpers shared by the files of src/case/ (not part of its interface). */
#ifndef NRM_CASE_INTERNAL_H
#define NRM_CASE_INTERNAL_H

#include "case/case.h"
#include "core/input.h"
#include "match/match.h"

/* The field bound to b (core/form.h). */
#define FIELD(c, b) form_bound((c)->form, (b))

/* Loads a case by code if the caller may see it (no_such_case otherwise). */
int case_load(struct nrm_ctx *c, const char *code, json_t **row, enum case_access *access, struct nrm_err *err);
/* Whether the caller may change the case: the Authority, or the institution holding it. */
bool case_may_edit(struct nrm_ctx *c, json_t *row);

/* The decrypted personal fields of a case as an object. */
int case_decrypt(struct nrm_ctx *c, int64_t id, json_t **out);
/* Writes the personal fields of `changed` (null removes one), encrypted for this case. */
int case_write_personal(struct nrm_ctx *c, int64_t id, json_t *changed);
/* Replaces the sealed text under key in each object of rows by its clear text (show) or by
 * "(hidden)"; the case is `code`, or each row's "case_code" when code is NULL. */
void case_open_each(struct nrm_ctx *c, json_t *rows, const char *key, const char *code, bool show);

/* Referrals as their parties see them: hours to the answer counted, reason and note opened. */
void case_referrals_present(struct nrm_ctx *c, json_t *refs);

/* Checks the whole data of a case and fills the columns of r (county, sex, status, child,
 * age band, identification day) from it; sets the derived "is child" field in data.
 * *county_row = the county (new reference). */
int case_derive(struct nrm_ctx *c, json_t *data, struct case_row *r, json_t **county_row, struct nrm_err *err);
/* The age in years at identification from the whole data (birth date, else the estimated
 * age), or -1 when the data do not say. */
int case_age(struct nrm_ctx *c, json_t *data);
/* The figures' records of a case (case/facts.c), inside the caller's transaction and after
 * the case's event: a new case with the stages it passed through (case_history); a changed one (entered: the stage it moved to, or
 * NULL); one merged into another (its facts leave the counts: revisions). `data` is the
 * whole data, `age` the age at identification. */
int case_figures_create(struct nrm_ctx *c, int64_t id, json_t *data, int age, json_t *history);
/* The stages a new case in `stage` passed through, as its dates tell: [{"stage", "day"}] from
 * the initial stage (its identification day) to `stage`, by day (a new array, NULL when out
 * of memory). */
json_t *case_history(struct nrm_ctx *c, json_t *data, const char *stage);
int case_figures_change(struct nrm_ctx *c, int64_t id, json_t *data, int age, const char *entered);
int case_figures_merged(struct nrm_ctx *c, int64_t id);
/* The watcher's hold and apply (case_watch), around a change made outside case_figures_*: a
 * merge. */
int case_figures_hold(struct nrm_ctx *c, int64_t id, void **held);
int case_figures_apply(struct nrm_ctx *c, int64_t id, void *held);
void case_figures_drop(void *held);
/* The non-personal part of data, as stored with the case and shown to every reader. */
json_t *case_public_part(struct nrm_ctx *c, json_t *data);
/* The non-personal state of a stored case (a row of store_case_get): every dimension figures
 * are counted by, named by binding rather than by field — the one place a state is made. A
 * new object, NULL when out of memory. */
json_t *case_state(struct nrm_ctx *c, json_t *row);
/* Records an event of case id, after the write it records: what changed (names, with values
 * only for non-personal fields; a creation: the names of the personal ones only) and, given `before` (the stored
 * case as store_case_get read it before the write), the values that what changed had before
 * it: {"state": keys of the non-personal state (case_state), "fields": public fields (null:
 * not set)}; `before` NULL: the event changed neither, or made the case ({}). Only changes are
 * stored: the state or fields after any event are those now with the later events undone
 * (case_states, case_events_complete). Inside the caller's transaction; the reason is sealed. */
int case_event(struct nrm_ctx *c, int64_t id, const char *action, const char *from, const char *to, json_t *changed,
	       json_t *before, const char *reason);
/* Completes the timeline `events` (store_events of the case `row`, oldest first) in place: a
 * creation recorded by the names of its personal fields gets the public fields it set (the
 * fields now with every later event undone), in the form's order. */
int case_events_complete(struct nrm_ctx *c, json_t *row, json_t *events);
/* Audits a change to a case by code and the names of the fields it touched — never values;
 * the reason, free text about the person, is sealed. */
int case_audit(struct nrm_ctx *c, const char *action, const char *code, json_t *changed, const char *reason);
/* Why a case is indexed: just created; written with what identifies the person unchanged
 * (case_identity_of: not searched again); written with it changed (searched, and the pairs
 * dismissed before come back when found: store_case_identity_changed); or re-checked by the
 * Authority (searched). */
enum case_index_why { INDEX_CREATED, INDEX_WRITTEN, INDEX_IDENTITY_CHANGED, INDEX_RECHECK };
/* What identifies the person of a case to the search for duplicates — names, birth date, sex,
 * estimated age and the day of identification it counts from, identity and document numbers —
 * normalised as the blind indexes are (capitals and marks aside), as one text to compare the
 * case before and after a write in memory: never kept, logged or shown. *out malloc'd. */
int case_identity_of(struct nrm_ctx *c, json_t *data, char **out);
/* Rebuilds the blind indexes of a case from its whole data and records likely duplicates;
 * *dups = the codes of the other cases it matches. Inside the caller's transaction. */
int case_index(struct nrm_ctx *c, int64_t id, json_t *data, enum case_index_why why, json_t **dups);
/* Approximate matching (similar.c): the case's encodings written again under every live key
 * version from its whole data (none when it has no name or no birth year); and the case
 * compared with the cases of its blocks under the current version, the candidates queued and
 * the codes of those now open appended to codes. Inside the caller's transaction. */
int case_similar_encode(struct nrm_ctx *c, int64_t id, json_t *data);
int case_similar_find(struct nrm_ctx *c, int64_t id, json_t *data, json_t *codes);
/* What similar.c and similar_bulk.c share: one case's search through the encodings of its
 * blocks (the case's own encoding `mine`, packed in mine_packed, size bytes, borrowed), keeping
 * the SIMILAR_MAX best candidates. */
#define SIMILAR_MAX 20 /* the best kept per case: a common name born the same year can be many */
struct similar_search {
	const struct match_def *def;
	int64_t id;
	struct match_enc mine;
	const unsigned char *mine_packed;
	size_t size;
	int apart; /* how many years the block searched is from the case's */
	const unsigned *set; /* match_enc_set of the encoding offered, when known; else NULL */
	struct similar_found {
		int64_t id;
		struct match_score s;
	} best[SIMILAR_MAX];
	size_t n;
};
/* The match keys of key version v (secret: the caller wipes them). */
int similar_keys(struct nrm_ctx *c, uint32_t v, struct match_keys *k);
/* The key version searches read the encodings of: the oldest live one. Every case is encoded
 * under every live version, and during a rotation a case not yet re-encoded only under the
 * old one (the rotation retires it before it drops its encodings): searching under the
 * current version would pass over those cases. */
uint32_t similar_version(struct nrm_ctx *c);
/* The sex groups (match_sex_group) the blocks of a case of this group (NULL or "": unknown)
 * are read under: the unknown one, and the case's own or, unknown, every group (a new array). */
json_t *similar_sexes(struct nrm_ctx *c, const char *group);
/* Weighs one stored encoding against the search's (a store_match_fn; arg the search). */
int similar_offer(void *arg, int64_t case_id, const unsigned char *enc, size_t n);
/* The search's candidates into the Authority's queue (store_duplicate_similar), and the codes of
 * those now open appended to codes (once each). */
int similar_queue(struct nrm_ctx *c, const struct similar_search *q, json_t *codes);
/* Remembers a case of a batch (its sex group, birth year) for its search at the batch's end
 * (similar_bulk.c). */
int similar_defer(struct case_similar_batch *b, int64_t id, const char *group, int year);

/* Adds what the caller may learn of likely duplicates to a reply: the codes and a flag for
 * the Authority, nothing for anyone else (whose answer must not depend on other cases). */
void case_dup_view(struct nrm_ctx *c, json_t *out, json_t *dups);

#endif
