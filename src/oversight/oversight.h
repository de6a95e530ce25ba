/* The data-protection officer's tools over the audit trail: the trail narrowed by user, case,
 * action and dates, with the fields read and (for the officer alone) the reasons given;
 * its export; a search of the persons' cases through the keyed hashes the case registry
 * keeps, with who read each case; and the officer's queues — the latest reads of personal
 * data and the unusual patterns of data/oversight/rules.json. What the officer views of
 * reasons, searches and exports is itself audited; the audit rows are never rewritten.
 * json_t ** out-parameters receive new references, written only on success. */
#ifndef NRM_OVERSIGHT_OVERSIGHT_H
#define NRM_OVERSIGHT_OVERSIGHT_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"

/* What the trail is narrowed to, as the request gives it (NULL or "": not narrowed): a
 * username; a case by its code, or any record by entity and entity_id; one action or several
 * separated by commas; the days from and to (YYYY-MM-DD, Europe/Tirane, both included). */
struct oversight_filter {
	const char *user, *case_code, *entity, *entity_id, *action, *from, *to;
};

/* A page of the trail, newest first (keyset: id < before; 0 = from the newest): rows
 * {id, ts, user, username, action, entity, entity_id, case (code|null), before, after,
 * fields ([names] read or changed | null), reason, reason_sealed}. The auditor and the
 * administrator (audit_readers_only); the reasons people wrote about a person (sealed) are
 * opened for the data-protection officer only — the administrator gets reason null and
 * reason_sealed true — and the officer's viewing of them is one audit row per page
 * ("read_reasons", with the filter and the number of reasons, never their text). */
int oversight_trail(struct nrm_ctx *c, const struct oversight_filter *f, int64_t before, int limit, json_t **out,
		    struct nrm_err *err);
/* The whole filtered trail as a file, `format` "csv" or "xlsx" (export_format), in `lang`
 * ("sq"|"en"; NULL: the user's), at most the rules' max_rows (audit_export_too_large).
 * Reasons as oversight_trail shows them to the caller. Audited ("export" of "audit", with the
 * filter, format and row count). *out is filled, *name (malloc'd) is the file's name. */
int oversight_export(struct nrm_ctx *c, const struct oversight_filter *f, const char *format, const char *lang,
		     struct buf *out, char **name, struct nrm_err *err);

/* The data-protection officer's search of every case about a person, by `query`
 * {first_name, last_name, birthdate?} or {document}, through the keyed hashes (never by
 * opening cases): {items: [{code, county (slug), stage, status, holder, holder_name,
 * identified_on, merged_into, reads: [{ts, username, name, role, action, fields}],
 * reads_count}], count}. Audited ("search_personal" with how it searched and the number of
 * results; never the terms). */
int oversight_search(struct nrm_ctx *c, json_t *query, json_t **out, struct nrm_err *err);

/* The officer's home queue `personal_reads`: the latest `limit` (1..100) reads of personal
 * data, newest first, as home items {title (username), href (the trail of that record),
 * date, days, flag (null), note (the action), case (code|null), ts}. */
int oversight_recent_reads(struct nrm_ctx *c, int limit, json_t **out, struct nrm_err *err);
/* The officer's home queue `patterns` over the last `days` days (0: the rules' window;
 * 1..366): home items {title (username), href (the trail narrowed to it), date, days, flag
 * ("urgent"|null), note (the pattern), pattern, user, count[, usual]}, newest first; each
 * names a user and a count, never a person's data. The rules: data/oversight/rules.json
 * (oversight_rules_missing when the database holds none). */
int oversight_patterns(struct nrm_ctx *c, int days, json_t **out, struct nrm_err *err);

#endif
