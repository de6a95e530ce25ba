/* The National Database in SQL: cases (non-personal columns and the non-personal fields as
 * JSON), their encrypted personal fields, blind indexes, events, referrals, likely
 * duplicates, and the form definitions. json_t ** outputs are new references. */
#ifndef NRM_STORE_CASE_H
#define NRM_STORE_CASE_H

#include "core/buf.h"
#include "store/db.h"

/* Form definitions stored by init (case form, workflow, code lists). */
int store_form_put(struct store *s, const char *name, const char *json);
int store_forms(struct store *s, json_t **out);
/* One stored definition by name (its parsed JSON, a new reference), or NRM_ENOTFOUND. */
int store_form_get(struct store *s, const char *name, json_t **out);

struct case_row {
	const char *code, *stage, *closed_from, *status, *sex, *age_band, *identified_on, *data_json;
	int64_t county, year, seq, holder, creator;
	int is_child;
	int age; /* years at identification */
};

/* The next number of a case code after `prefix` ("FR-2025-"): one more than the last one
 * given, whatever county or year the cases given it hold now (a corrected county or date
 * keeps the code). */
int store_case_next_seq(struct store *s, const char *prefix, int64_t *seq);
int store_case_add(struct store *s, const struct case_row *c, int64_t *id);
/* Rewrites the case's columns when its version is `version` (then version + 1); NRM_ECONFLICT when stale. */
int store_case_update(struct store *s, int64_t id, int64_t version, const struct case_row *c);
/* Hands the case from `from` to `to`; NRM_ECONFLICT when `from` no longer holds it or it
 * was merged. */
int store_case_hand_over(struct store *s, int64_t id, int64_t from, int64_t to);
int store_case_set_merged(struct store *s, int64_t id, int64_t into);
/* A list row's fields are kept with each case (cases.list_json, schema 21), made as the case is
 * written from the names last given to store_cases_list_refresh. Whether those are `names`
 * (a JSON array of field names, as text): */
bool store_cases_list_current(struct store *s, const char *names);
/* Makes every case's kept list fields from `names` and keeps the names for the cases written
 * after; *count = the cases made anew. In a write transaction. */
int store_cases_list_refresh(struct store *s, const char *names, int64_t *count);
/* One case with its county slug and institution names; by code, or by id when code is NULL. */
int store_case_get(struct store *s, const char *code, int64_t id, json_t **out);

/* The dimension of the figures (case_dims) whose values have an index of their own (schema 20). */
#define STORE_CODES_DIM "exploitation_detail"

/* Which cases a list may show: all, one county's, or one institution's (created, held or
 * referred to it and not declined). */
enum case_scope { CASES_ALL, CASES_COUNTY, CASES_INSTITUTION };
struct case_filter {
	enum case_scope scope;
	int64_t scope_id;
	const char *code, *stage, *status, *from, *to, *exploitation;
	int64_t county, institution;
	int child; /* -1 any, 0 adults, 1 children */
	int include_merged;
	const char *exploitation_field; /* the field `exploitation` filters on */
	/* Whether the figures' dimension STORE_CODES_DIM holds exactly that field's codes for every
	 * case (statdef_dim_is_codes): the filter then finds its few cases through that dimension's
	 * index, each still checked against the field. */
	bool exploitation_dim;
	/* The fields a row carries, as a JSON array of names (text); NULL: every field. */
	const char *list_fields;
};
/* A page of cases, newest first (keyset: id < before; 0 = from the newest). Reads no more rows
 * than a page needs, or a bounded number: through the index of a filter that matches fewer than
 * a few thousand cases (or whose status and stage together do), else in id order through the
 * scope's indexes (schema 16). */
int store_cases(struct store *s, const struct case_filter *f, int64_t before, int limit, json_t **out);
/* The same page with each case as the JSON text of its object (the keys of store_cases' rows
 * but county_id), made by SQLite and appended to out, separated by commas: none is parsed.
 * *n = how many, *last = the id of the last one (0: none). */
int store_cases_json(struct store *s, const struct case_filter *f, int64_t before, int limit, struct buf *out,
		     size_t *n, int64_t *last);
/* How SQLite reads that page: the `detail` of each step of EXPLAIN QUERY PLAN, as a JSON array
 * of strings (a new reference), for the tests that keep lists off full scans. */
int store_cases_plan(struct store *s, const struct case_filter *f, int64_t before, int limit, json_t **out);
/* Whether the institution may see the case (creator, holder, or a referral not declined). */
int store_case_institution_access(struct store *s, int64_t case_id, int64_t institution, int *yes);

/* Personal fields: encrypted blobs by field name. */
int store_personal_put(struct store *s, int64_t case_id, const char *field, const void *blob, size_t len);
int store_personal_delete(struct store *s, int64_t case_id, const char *field);
int store_personal_each(struct store *s, int64_t case_id, store_blob_fn fn, void *ctx);
int store_personal_names(struct store *s, int64_t case_id, json_t **out);

/* Blind indexes: replaces every hash of a case; finds the other live cases with a hash. */
int store_blind_clear(struct store *s, int64_t case_id);
/* A blind index hash made under key `version` (a rotation indexes under both versions);
 * `hash` is hex text, stored as the bytes it spells. */
int store_blind_add(struct store *s, int64_t case_id, const char *kind, const char *hash, int64_t version);
/* Drops the blind index hashes of every version but `version` (the end of a key rotation). */
int store_blind_drop_except(struct store *s, int64_t version);
/* *n = 1 when some blind index hash was made under another version than `version`, else 0. */
int store_blind_stale(struct store *s, int64_t version, int64_t *n);
/* The cases sharing a name-and-birth or document index with case_id, not merged away and not
 * in a pair dismissed since neither identity changed: [{id, code, kind}]. */
int store_blind_matches(struct store *s, int64_t case_id, json_t **out);
/* The cases indexed under any of `hashes` (a JSON array of hex texts, as text), newest first,
 * at most 100. */
int store_blind_find(struct store *s, const char *hashes, json_t **out);

int store_event_add(struct store *s, int64_t case_id, int64_t user, const char *username, int64_t institution,
		    const char *action, const char *from, const char *to, const char *changes_json, const char *reason,
		    const char *was_json);
int store_events(struct store *s, int64_t case_id, json_t **out);
/* What each event of a case changed in its non-personal state, oldest first: [{"id", "was"}]. */
int store_event_was(struct store *s, int64_t case_id, json_t **out);

/* A referral from institution `from` (who sends it) of a case that `holder` holds. */
int store_referral_add(struct store *s, int64_t case_id, int64_t from, int64_t holder, int64_t to,
		       const char *service, const char *reason, const char *fields_json, int64_t by, int64_t *id);
int store_referral_get(struct store *s, int64_t id, json_t **out);
/* Whether a referral of the case to `to` for the same service (NULL: the case itself) awaits
 * its answer. */
int store_referral_pending(struct store *s, int64_t case_id, int64_t to, const char *service, int64_t *yes);
/* Referrals to (dir 'i') or from (dir 'o') an institution, or of a case (dir 'c'); status NULL = any. */
int store_referrals(struct store *s, char dir, int64_t id, const char *status, json_t **out);
int store_referral_respond(struct store *s, int64_t id, const char *status, int64_t by, const char *note);
/* Field names an institution may read through referrals of the case (accepted or pending). */
int store_referred_fields(struct store *s, int64_t case_id, int64_t institution, json_t **out);

/* A pair found by an exact index: new, it joins the queue; dismissed before one of its cases'
 * identities changed, it is opened again. */
int store_duplicate_add(struct store *s, int64_t a, int64_t b, const char *reason);
/* A page of pairs of a status in rank order (the best score first, exact matches as 1, then
 * the oldest), after the pair whose `rank` is `after` (0: from the first). */
int store_duplicates(struct store *s, const char *status, int64_t after, int limit, json_t **out);
int store_duplicate_get(struct store *s, int64_t id, json_t **out);
/* An open pair merged or dismissed; the identities of its cases as they are now are what a
 * dismissal holds against (store_duplicate_similar). */
int store_duplicate_resolve(struct store *s, int64_t id, const char *status, int64_t by);

/* Reasons and notes an nrm before schema 4 stored in clear: {"what" ("event" |
 * "referral_reason" | "referral_note"), "id", "code" (the case's), "text"}. */
int store_clear_reasons(struct store *s, json_t **out);
/* Puts the sealed text in the place a row of store_clear_reasons names. */
int store_reason_replace(struct store *s, const char *what, int64_t id, const char *sealed);
/* Forgets the reasons for reading that sessions stored in clear (they are asked again). */
int store_personal_reads_drop_clear(struct store *s);

int store_personal_read_get(struct store *s, const char *session, int64_t case_id, char **reason);
int store_personal_read_put(struct store *s, const char *session, int64_t case_id, const char *reason, int64_t ts);

#endif
