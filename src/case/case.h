/* The case registry's operations — create, read, update, move through the workflow, refer,
 * search, de-duplicate, merge, count — shared by the API and the command line. Each write is
 * one transaction with its case event and audit row; personal fields are encrypted before
 * they reach the store and decrypted only for roles allowed to read them. */
#ifndef NRM_CASE_CASE_H
#define NRM_CASE_CASE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "core/form.h"
#include "core/role.h"
#include "secure/crypt.h"
#include "store/case.h"

struct case_ctx {
	struct store *db;
	const struct form *form;
	const struct crypt_keys *keys;
	const struct principal *me;
	const char *session; /* token hash of the session, for "reason once per case and session" */
	int32_t today;
};

/* How much of a case someone sees. */
enum case_access {
	CASE_NONE,     /* not at all (404) */
	CASE_CODE,     /* code and non-personal fields */
	CASE_REFERRAL, /* + the personal fields named in referrals to their institution */
	CASE_FULL,     /* + all personal fields (each read with a reason, audited) */
};

/* Loads the case form, workflow and code lists stored in the database (plus counties and
 * municipalities from the registry). *out is freed with form_free. */
int case_form_load(struct store *s, struct form **out, struct nrm_err *err);
/* Stores data/forms and data/codes in the database (init). */
int case_form_store(struct store *s, const char *data_dir, struct nrm_err *err);

/* May this role see case lists at all (false: aggregates only)? */
bool case_role_reads_cases(enum role r);

/* Creates a case from form fields; the holder is the caller's institution (or `institution`
 * for Authority roles without one). *out = {"id", "code", "duplicates": [codes]}. Runs in
 * its own transaction, or joins the caller's when one is open (an import: all or nothing). */
int case_create(struct case_ctx *c, json_t *fields, int64_t institution, json_t **out, struct nrm_err *err);
/* The non-personal view of a case: fields, stage, holder, who may see it, screening, referrals. */
int case_get(struct case_ctx *c, const char *code, json_t **out, struct nrm_err *err);
/* The personal fields the caller may read, with the reason for reading (required once per
 * case and session). Audited. */
int case_personal(struct case_ctx *c, const char *code, const char *reason, json_t **out, struct nrm_err *err);
/* Changes fields when `version` is current (NRM_ECONFLICT when stale). */
int case_update(struct case_ctx *c, const char *code, int64_t version, json_t *fields, const char *reason,
		json_t **out, struct nrm_err *err);
/* Moves a case to stage `to`, with fields the stage needs. */
int case_transition(struct case_ctx *c, const char *code, int64_t version, const char *to, json_t *fields,
		    const char *reason, json_t **out, struct nrm_err *err);
int case_events(struct case_ctx *c, const char *code, json_t **out, struct nrm_err *err);
int case_list(struct case_ctx *c, struct case_filter *f, int64_t before, int limit, json_t **out, struct nrm_err *err);

int case_refer(struct case_ctx *c, const char *code, int64_t to, const char *service, const char *reason,
	       json_t *fields, json_t **out, struct nrm_err *err);
int case_referral_respond(struct case_ctx *c, int64_t id, bool accept, const char *note, json_t **out,
			  struct nrm_err *err);
/* Referrals to ('i') or from ('o') the caller's institution. */
int case_referrals(struct case_ctx *c, char dir, const char *status, json_t **out, struct nrm_err *err);

/* Exact search through blind indexes: by name (+ birth date) or by document number. */
int case_search(struct case_ctx *c, json_t *query, json_t **out, struct nrm_err *err);
/* Re-checks one case for likely duplicates (on demand); returns the codes found. */
int case_dedup(struct case_ctx *c, const char *code, json_t **out, struct nrm_err *err);
int case_duplicates(struct case_ctx *c, const char *status, int64_t after, int limit, json_t **out,
		    struct nrm_err *err);
/* Merges the duplicate pair: `keep` survives, the other is marked merged into it; both keep
 * their histories. Or dismisses the pair. */
int case_duplicate_resolve(struct case_ctx *c, int64_t id, const char *keep, bool merge, json_t **out,
			   struct nrm_err *err);

/* Counts of persons (merged records counted once) by stage, status, sex, child, county and
 * form of exploitation, as of the end of day `as_of` ("YYYY-MM-DD"). Cells under 5 are
 * suppressed for roles outside the Authority. */
int case_stats(struct case_ctx *c, const char *as_of, const char *county, json_t **out, struct nrm_err *err);

/* The access the caller has to a case row from the store. */
enum case_access case_access_of(struct case_ctx *c, json_t *row);

#endif
