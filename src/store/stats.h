/* What the figures are counted from: the dated facts of each case, the stages it entered and
 * when, the values of its dimensions, and the revisions of facts (schema 5). Written in the
 * case's own write transaction; read by counts over their indexes. json_t ** outputs are new
 * references. */
#ifndef NRM_STORE_STATS_H
#define NRM_STORE_STATS_H

#include "store/db.h"

/* The facts of a case that mirror its data now (current = 1): [{"id", "kind", "code", "day"}],
 * by kind, code and day. */
int store_facts_current(struct store *s, int64_t case_id, json_t **out);
/* Every fact of a case, past ones too: [{"kind", "code", "day", "current_bool"}]. */
int store_facts_all(struct store *s, int64_t case_id, json_t **out);
int store_fact_add(struct store *s, int64_t case_id, const char *kind, const char *code, const char *day, int64_t event);
/* Corrects a fact in place (its day or code was wrong). */
int store_fact_set(struct store *s, int64_t id, const char *code, const char *day, int64_t event);
/* Keeps a fact as something that happened before the case's data moved on (a case closed
 * again, decided again): it no longer mirrors the data but still counts for its day. */
int store_fact_retire(struct store *s, int64_t id);
int store_fact_delete(struct store *s, int64_t id);
/* A correction of a counted fact: NULL old (new) values for a fact added (removed). */
int store_revision_add(struct store *s, int64_t case_id, const char *kind, const char *old_code, const char *old_day,
		       const char *new_code, const char *new_day, int64_t event);

/* The stages a case entered, each with its day: [{"id", "stage", "day"}] oldest first. */
int store_stages(struct store *s, int64_t case_id, json_t **out);
int store_stage_add(struct store *s, int64_t case_id, const char *stage, const char *day, int64_t event);
int store_stage_redate(struct store *s, int64_t id, const char *day);

/* Replaces the dimension values of a case: dims is {"dim": ["value", ...]}. */
int store_dims_replace(struct store *s, int64_t case_id, json_t *dims);

/* What a count reads a dimension from: the stored values (a dimension of case_dims), the
 * code of the latest fact of a kind by the period's last day, the stage entered last by
 * that day, or the code of the facts counted themselves (the reasons of the closures). */
enum store_dim_from { SDIM_STORED, SDIM_LAST_FACT, SDIM_STAGE, SDIM_FACT_CODE };
struct store_dim {
	enum store_dim_from from;
	const char *name; /* the dimension (SDIM_STORED) or the fact kind (SDIM_LAST_FACT) */
};
#define STORE_COUNT_DIMS 4
/* Persons (distinct live cases, merged ones left out) with a fact of `kind` dated from
 * `first` to `last` (days, included) — or, with first NULL, the stock: persons identified
 * (kind) by `last` whose stage by then is not `except_stage` — counted by the values of up
 * to STORE_COUNT_DIMS dimensions, optionally within one county (a value of the stored
 * dimension `county_dim`). *out = [{"v": [value or null, ...], "n"}]. */
struct store_count {
	const char *kind, *first, *last, *except_stage;
	const char *county_dim, *county;
	struct store_dim dims[STORE_COUNT_DIMS];
	size_t ndims;
};
int store_count(struct store *s, const struct store_count *q, json_t **out);

/* The same persons as store_count, read in one pass instead of one count per grouping: for
 * each person, fn gets its case id, the codes of its facts counted (a JSON array text, nulls
 * included), its status (the code of its latest fact of `status_kind` by `last`; NULL when
 * none or no status_kind), its stage by `last` (NULL: none), and one of its values of the
 * stored dimensions `dims` (a JSON array text of names) — called once per value, the rows of
 * one person together (dim and value NULL once for a person without any). A non-zero return
 * from fn stops the pass and is returned. With case_id, the pass reads that one person by the
 * index by case (a change to it keeps the kept figures in line: store/figunit.h). */
struct store_pass {
	const char *kind, *first, *last, *except_stage, *status_kind, *dims;
	int64_t case_id; /* only this person (0: every one) */
};
typedef int (*store_pass_fn)(void *arg, int64_t case_id, const char *codes, const char *status, const char *stage,
			     const char *dim, const char *value);
int store_count_pass(struct store *s, const struct store_pass *q, store_pass_fn fn, void *arg);

/* Referrals made within nrm from `from` to `to` (UTC timestamps, included), optionally of
 * the cases of one county: {"made", "answered", "accepted", "declined", "pending", "hours_n",
 * "hours_sum", "hours_median"}: the hours to each answer of a referral made then, how many,
 * their sum (added in ascending order) and their median (0 when none). */
int store_referral_figures(struct store *s, const char *from, const char *to, int64_t county, json_t **out);

/* Revisions touching days from first to last, recorded from `since` (a UTC timestamp; NULL:
 * any time) to cases registered before it: [{"case_code", "kind", "old_code", "old_day", "new_code", "new_day", "ts",
 * "user", "reason" (sealed), "county"}], oldest first. */
int store_revisions(struct store *s, const char *first, const char *last, const char *since, json_t **out);

/* The age at identification of a case written before schema 5. */
int store_case_set_age(struct store *s, int64_t id, int age);
/* Every case with what its dimensions are worked out from: [{"id", "age", "fields"}]. */
int store_cases_for_figures(struct store *s, json_t **out);
/* Cases registered from `since` whose facts of each kind fall from first to last:
 * [{"kind", "n"}]. */
int store_late_facts(struct store *s, const char *first, const char *last, const char *since, json_t **out);
/* Live or merged cases with no stage recorded (written before schema 5): [{"id"}]. */
int store_cases_unfigured(struct store *s, json_t **out);
/* The id of the latest event of any case: it changes whenever a fact may have. */
int store_stats_generation(struct store *s, int64_t *out);
/* The id of the latest event of a case. */
int store_event_last(struct store *s, int64_t case_id, int64_t *id);
/* The type of an institution, or NRM_ENOTFOUND; *out malloc'd. */
int store_institution_type(struct store *s, int64_t id, char **out);

#endif
