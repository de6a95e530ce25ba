/* The case registry's operations — create, read, update, move through the workflow, refer,
 * search, de-duplicate, merge, count — shared by the API and the command line. Each write is
 * one transaction with its case event and audit row; personal fields, and free text written
 * about the person (reasons, notes), are encrypted before they reach the store and decrypted
 * only for roles allowed to read them. json_t ** out-parameters receive new references,
 * written only on success. */
#ifndef NRM_CASE_CASE_H
#define NRM_CASE_CASE_H

#include <jansson.h>

#include "core/buf.h"
#include <stdbool.h>

#include "core/ctx.h"
#include "core/err.h"
#include "core/form.h"
#include "core/role.h"
#include "secure/crypt.h"
#include "store/case.h"

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
/* Stores data/forms, data/codes and the labels of data/labels.json and data/org/roles.json
 * in the database (init, `nrm forms load`). */
int case_form_store(struct store *s, const char *data_dir, struct nrm_err *err);
/* Builds the labels (core/labels.h) from what case_form_store stored and the form. */
int case_labels_load(struct store *s, const struct form *f, struct labels **out, struct nrm_err *err);

/* One document case_form_store stored ("htcds:fields"), a new reference; NRM_ENOTFOUND when
 * there is none. */
int case_stored_doc(struct store *s, const char *name, json_t **out);
/* Loads what the figures count (core/statdef.h) from what case_form_store stored; a
 * database that has none (before schema 5) gets them from `nrm forms load` (key
 * stats_missing). *out is freed with statdef_free. */
struct statdef;
int case_statdef_load(struct store *s, const struct form *f, struct statdef **out, struct nrm_err *err);

/* Seals the reasons and notes an nrm before schema 4 stored in clear (the audit trail's stay
 * as they are: rewriting them would break its chain); *count = how many. One transaction,
 * audited when there were any. Run by `nrm serve` and the CLI before they use a database;
 * looks only once after each upgrade of the schema (store_done). */
int case_seal_legacy(struct nrm_ctx *c, int *count, struct nrm_err *err);

/* Works out the figures' records (facts, stages, dimensions) of the cases an nrm before
 * schema 5 wrote, from their data and events; *count = how many. One transaction; run with
 * case_seal_legacy, and like it looks only once after each upgrade. */
int case_figures_backfill(struct nrm_ctx *c, int *count);

/* Loads the definitions of approximate matching that case_form_store stored (*out: freed
 * with match_def_free); NULL, and 0, for a database that has none yet (before schema 22, until
 * `nrm forms load`): approximate matching is then off. */
struct match_def;
int case_match_load(struct store *s, struct match_def **out, struct nrm_err *err);

/* Encodes every case for approximate matching (src/match/) when they were not all encoded
 * under the definitions loaded (a database before schema 22, or definitions changed by `nrm
 * forms load`): in batches of transactions of their own; then searches all of them at once
 * (case_similar_batch_run: each against the cases before it) in one transaction, which also
 * marks them encoded — interrupted before, the next open starts again. *count = the cases
 * encoded (0: they were up to date), *queued = the pairs open in the queue that were not
 * before. A pair dismissed stays so (no person changed: store_duplicate_similar). */
int case_similar_backfill(struct nrm_ctx *c, int64_t *count, int64_t *queued);
/* A batch of new cases (an import, the bench's generator) whose approximate search for
 * likely duplicates waits until all are written, then runs block by block: each block read
 * once for all the batch's cases in it, rather than the blocks of each case read again for
 * every one. Between begin and run, case_create writes each case's encodings but defers its
 * search (its reply lists only the exact duplicates). run searches for every case of the batch
 * what case_create would have, in the order they were written — each against the cases
 * written before it — queues the candidates, and sets *found (new, the caller's) to
 * {"ID": [codes of the cases it may be]} for the cases with open candidates, when the caller
 * may learn of them (the Authority: case_dup_view; {} for anyone else); it ends the
 * batch whatever it returns. Inside the caller's transaction. end drops a batch not run (an
 * error path); it does nothing when there is none. */
int case_similar_batch_begin(struct nrm_ctx *c);
int case_similar_batch_run(struct nrm_ctx *c, json_t **found);
void case_similar_batch_end(struct nrm_ctx *c);
/* Inside the caller's transaction, in a database without cases (init): the cases to come are
 * encoded as they are written under the definitions stored, nothing is left to encode. */
int case_similar_none_yet(struct store *s);

/* Keeps each case's list fields (store_cases_list_refresh) made from the fields form f marks
 * "list": makes them all anew when the form's list changed (or they were never made: a
 * database before schema 21); *count = the cases made anew (0: they were up to date). Inside
 * the caller's transaction, or one of its own. Run by case_form_store and at every open. */
int case_list_refresh(struct store *s, const struct form *f, int64_t *count);

/* Works out again the dimension values of every case (the definitions changed: `nrm forms
 * load`), inside the caller's transaction; *count = how many cases. */
int case_figures_redim(struct nrm_ctx *c, int *count);

/* The blind index hashes of a search (kind and parts as crypt_blind) under every live key
 * version, as a JSON array text for store_blind_find (*out malloc'd). NRM_EINVAL: nothing to
 * search for. */
int case_blind_query(struct nrm_ctx *c, const char *kind, const char *const *parts, size_t n, char **out);
/* Writes the blind indexes of case id again from its personal data (clear, as a JSON object)
 * under every live key version, inside the caller's transaction (a key rotation). */
int case_reindex(struct nrm_ctx *c, int64_t id, json_t *data);

/* Free text about the person of case `code`, sealed for storage (*out malloc'd; NULL for
 * NULL or "") and opened again (malloc'd). */
int case_seal(struct nrm_ctx *c, const char *code, const char *text, char **out);
char *case_open(struct nrm_ctx *c, const char *code, const char *stored);

/* May this role see case lists at all (false: aggregates only)? */
bool case_role_reads_cases(enum role r);

/* Creates a case from form fields; the holder is the caller's institution (or `institution`
 * for Authority roles without one). *out = {"id", "code"}, and for the Authority, who alone
 * learns of likely duplicates, "duplicates": [codes] and "likely_duplicate". Runs in its own
 * transaction, or joins the caller's when one is open (an import: all or nothing). */
int case_create(struct nrm_ctx *c, json_t *fields, int64_t institution, json_t **out, struct nrm_err *err);
/* The same for a record of earlier years in a later stage (`nrm import`'s al_stage column;
 * the Authority's roles only): the case must hold what its stage requires, and the stages
 * it passed through are dated by their date fields (data/forms/workflow.json). */
int case_create_at(struct nrm_ctx *c, json_t *fields, int64_t institution, const char *stage, json_t **out,
		   struct nrm_err *err);
/* The non-personal view of a case: fields, stage, holder, who may see it, screening, referrals. */
int case_get(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err);
/* The personal fields the caller may read, with the reason for reading (required once per
 * case and session). Audited with the reason, which is stored encrypted. */
int case_personal(struct nrm_ctx *c, const char *code, const char *reason, json_t **out, struct nrm_err *err);
/* The reason for reading personal data a request gives: {"purpose"? (a code of the list
 * read_purpose), "reason": a text of at least the list's min_text characters} → *out
 * "purpose: text", or the text alone without a purpose (malloc'd, free() it), or NULL when the request gives
 * neither (the reason given earlier in the session stands). Errors name purpose or reason. */
int case_reading_reason(struct nrm_ctx *c, json_t *in, char **out, struct nrm_err *err);
/* case_personal for a request {"purpose"?, "reason"?} (NULL: an empty one), its reason checked
 * by case_reading_reason once the caller is known to be allowed. */
int case_personal_read(struct nrm_ctx *c, const char *code, json_t *in, json_t **out, struct nrm_err *err);
/* {"personal": bool}: records (audit action "print") that the caller prints the case, with its
 * personal data only after reading them in this session (reason_required otherwise) →
 * {code, printed_by, username, printed_at, personal} for the printout's confidential mark. */
int case_print(struct nrm_ctx *c, const char *code, json_t *in, json_t **out, struct nrm_err *err);
/* {"purposes": [{"code", "label": {sq, en}}], "min_length"}: what case_reading_reason asks. */
int case_reading_policy(struct nrm_ctx *c, json_t **out);
/* Changes fields when `version` is current (stale when it is not). case_update and
 * case_transition run in their own transaction, or join the caller's when one is open (a
 * decision of the Authority's meeting is the case's formal identification step). */
int case_update(struct nrm_ctx *c, const char *code, int64_t version, json_t *fields, const char *reason,
		json_t **out, struct nrm_err *err);
/* Moves a case to stage `to`, with fields the stage needs. The formal decision (form
 * bindings) is recorded only this way, and it alone sets the status. */
int case_transition(struct nrm_ctx *c, const char *code, int64_t version, const char *to, json_t *fields,
		    const char *reason, json_t **out, struct nrm_err *err);
int case_events(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err);
/* The Authority's view of the non-personal state of case `code` after each of its events,
 * oldest first: [{"event_id", "state"}] (a new array), rebuilt from the state now and what
 * each event changed. */
int case_states(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err);
int case_list(struct nrm_ctx *c, struct case_filter *f, int64_t before, int limit, json_t **out, struct nrm_err *err);
/* The same page as JSON text, each case's object made by the store and appended to out,
 * separated by commas (what the API sends as it is); *n how many, *last the last one's id. */
int case_list_json(struct nrm_ctx *c, struct case_filter *f, int64_t before, int limit, struct buf *out, size_t *n,
		   int64_t *last, struct nrm_err *err);

/* A referral: to an institution, of the case itself (service NULL) or for one service, with
 * the reason (sealed) and the fields the receiver may see. With `advance`, a case referral of a
 * case in its first stage also moves the case to the referral stage in the same transaction:
 * its date today unless stage_fields gives it, the receiver as the referred organisation, the
 * rest of what that stage requires from stage_fields (borrowed; may be NULL). */
struct case_referral_in {
	int64_t to;
	const char *service, *reason;
	json_t *fields, *stage_fields;
	bool advance;
};
/* *out: the referral as the lists show it, with "case": {stage, version} after an advance.
 * The receiving institution's users are notified (notify/notify.h). */
int case_refer(struct nrm_ctx *c, const char *code, const struct case_referral_in *in, json_t **out,
	       struct nrm_err *err);
int case_referral_respond(struct nrm_ctx *c, int64_t id, bool accept, const char *note, json_t **out,
			  struct nrm_err *err);
/* Referrals to ('i') or from ('o') the caller's institution. */
int case_referrals(struct nrm_ctx *c, char dir, const char *status, json_t **out, struct nrm_err *err);

/* Exact search through blind indexes: by name (+ birth date) or by document number. */
int case_search(struct nrm_ctx *c, json_t *query, json_t **out, struct nrm_err *err);
/* Re-checks one case for likely duplicates (on demand); returns the codes found. */
int case_dedup(struct nrm_ctx *c, const char *code, json_t **out, struct nrm_err *err);
int case_duplicates(struct nrm_ctx *c, const char *status, int64_t after, int limit, json_t **out,
		    struct nrm_err *err);
/* Merges the duplicate pair: `keep` survives, the other is marked merged into it; both keep
 * their histories. Or dismisses the pair. */
int case_duplicate_resolve(struct nrm_ctx *c, int64_t id, const char *keep, bool merge, json_t **out,
			   struct nrm_err *err);

/* What else a change to the counted facts of a case keeps in line, in the case's own write
 * transaction: the figures kept up to date (src/stats/units.c registers itself once, when the
 * program starts). hold reads what the person counted for before the change (*held: NULL for
 * nothing, or the watcher's own, handed back to apply); apply counts it again after and
 * changes the kept figures by the difference, and owns held; drop frees a held that is not
 * applied (the change failed). Without a watcher, a change
 * forgets every kept figure instead (store_fig_clear): never wrong, only slower. */
struct case_watch {
	int (*hold)(struct nrm_ctx *c, int64_t case_id, void **held);
	int (*apply)(struct nrm_ctx *c, int64_t case_id, void *held);
	void (*drop)(void *held);
};
void case_watch_set(const struct case_watch *w);

/* The access the caller has to a case row from the store. */
enum case_access case_access_of(struct nrm_ctx *c, json_t *row);

#endif
