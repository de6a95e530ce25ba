/* A key rotation's walk over everything sealed with the keyring (secure/crypt.h): victims'
 * personal fields (cases, register entries), drafts of long forms, and the reasons and notes
 * written about a person (case events, referrals, register events, sessions' reasons for
 * reading), and the audit trail's MAC chain (secure_audit_rekey: its rows, reasons included,
 * are evidence and stay as written). Each batch is one short
 * transaction with its audit row, so `nrm serve` keeps serving between them: a value not yet
 * re-sealed opens under its old version, one re-sealed under the new (the server re-reads the
 * keyring when it changes). Every step is idempotent: a killed rotation resumes by running
 * again. json_t ** outputs are new references. */
#ifndef NRM_REKEY_REKEY_H
#define NRM_REKEY_REKEY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"
#include "secure/audit.h"

/* The steps of a pass, in order; NULL-terminated. */
extern const char *const rekey_steps[];

/* One batch of step `what` (rekey_steps): up to `limit` items after *after, each value sealed
 * under another version than the current one sealed again under it (cases are re-indexed
 * under every live version too). *after moves to the last item seen; *seen = items looked at
 * (0: the step is done), *changed = values sealed again. One transaction, audited
 * ("key_rotate_batch") when anything changed. */
int rekey_batch(struct nrm_ctx *c, const char *what, int64_t *after, int limit, int *seen, int *changed);
/* The reasons for reading that sessions keep, sealed again (one transaction). */
int rekey_reads(struct nrm_ctx *c, int *changed);
/* The audit trail checked and re-MACed under the current version (secure_audit_rekey), one
 * transaction. NRM_ECONFLICT with *r filled when it is not intact. */
int rekey_audit(struct nrm_ctx *c, struct audit_report *r);
/* Whether a rotation was retired but not finished (blind index hashes of another version are
 * left): then running again finishes it rather than starting another. */
int rekey_unfinished(struct nrm_ctx *c, bool *yes);
/* Drops the blind index hashes of versions other than the current one, and records the
 * rotation ("key_rotated" {version}) — one transaction. */
int rekey_finish(struct nrm_ctx *c);

#endif
