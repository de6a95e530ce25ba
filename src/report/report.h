/* Periodic reports (Order 94 §1.6e, §3.1, §3.3; Instruction 132 §§10, 11): each type is data
 * (data/reports/TYPE.json) — who issues it, the period it covers, when it is due, its audience
 * (the disclosure threshold of its figures), to whom it goes, how it is approved, and its
 * sections. A report is drafted from the live data — figures from the statistics engine and the
 * registers, meetings, tasks, seats and agreements from theirs — and the narrative sections its
 * secretariat writes. Shared by the API and the command line; each change is one transaction
 * with its audit row. json_t ** out-parameters receive new references, written only on success. */
#ifndef NRM_REPORT_REPORT_H
#define NRM_REPORT_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"

/* The types of report: [{"type", "label", "issuer", "scope", "period", "due_days", "audience", "to",
 * "approval", "basis", "sections": [{"id", "kind", "label", "help"?}], "can_create"}]. */
int report_types(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
/* Checks a report type's definition (data/reports/NAME.json) for what the code relies on: known
 * issuer, scope, period, recipient and approval, an audience, due_days from 0 to 366, sections a
 * list. data_file naming the file otherwise. Every use of a type checks it; so does nrm forms load. */
int report_type_check(json_t *doc, struct nrm_err *err);
/* report_type_check of every stored type (nrm init and nrm forms load, before they commit). */
int report_types_check(struct store *s, struct nrm_err *err);
/* {"type", "scope" (a county slug, or "national"), "period"} → {"id"}: a new draft. The period is
 * written as the type covers it: "2025Q3", "2025H2", "2025", "2025-09", or for a Technical
 * Table's report the day of its meeting ("2025-09-12"). */
int report_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
/* The reports the caller reads (county slug or NULL; type or NULL), keyset by id. */
int report_list(struct nrm_ctx *c, const char *county, const char *type, int64_t after, int limit, json_t **out,
		struct nrm_err *err);
/* The reports waiting on the caller, by due day (cheap: nothing is drafted): what "approve" —
 * versions the caller approves or follows (report_can's rule); "due" — reports the caller
 * drafts, not yet delivered, due within `days`; "received" — delivered to the caller's side,
 * not yet answered. Items {id, type, label {sq, en}, period, due, status, version,
 * delivered_at, late}. */
int report_queue(struct nrm_ctx *c, const char *what, int days, json_t **out, struct nrm_err *err);
/* A report with its content drafted now: {"id", "type", "label", "issuer" {...}, "county", "period",
 * "first", "last", "due", "status", "version", "audience", "k", "can_edit", "sections": [{"id",
 * "kind", "label", "help"?, "text"? (written sections), "tables"?: [{"title", "columns", "rows"}],
 * "withheld"? (an error key)}]}. A table's columns are {sq, en} labels; a row is [label, cell...]
 * with a label {sq, en} and cells numbers, text or "c" (hidden). */
int report_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* {"version", "sections": {"id": "text", ...}}: saves what the secretariat wrote (the sections
 * given); 409 stale on an old version → the report. */
int report_write(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* The report as a file: "csv" (UTF-8 with BOM: each section, its text, its numbered tables) or
 * "xlsx" (a first sheet with the heading and the written sections, a sheet per numbered table,
 * numbers as numbers), in lang. *name is malloc'd (a file name). */
int report_file(struct nrm_ctx *c, int64_t id, const char *format, const char *lang, struct buf *out, char **name,
		struct nrm_err *err);
/* The same for `nrm report build`: the stored report of that type, scope and period when there
 * is one, else a draft made now and not kept. */
int report_build(struct nrm_ctx *c, const char *type, const char *scope, const char *period, const char *format,
		 const char *lang, struct buf *out, struct nrm_err *err);

/* {"reason"?}: freezes the report as drafted now as its next version (canonical JSON and its
 * SHA-256); a report its secretariat sends (`sent`) is approved, signed and delivered at once.
 * After an approval, a new version is a correction: the reason is required and the figures
 * that changed are listed → {"version", "hash", "status", "changes"?}. */
int report_submit(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* {"version", "meeting", "votes"?}: a report approved by its body in a meeting (`meeting`): the
 * decision is recorded in that held meeting of the issuing body, on or after the submission,
 * and the version is approved, signed and delivered, in one transaction. */
int report_approve(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* The versions of a report, newest first (without their content). */
int report_versions(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* An approved version as a file anyone can verify: {"format": "nrm-report/1", "report", "version",
 * "content", "hash", "signature", "public_key", "signed", "approved_at", "reason"?}. */
int report_version_file(struct nrm_ctx *c, int64_t id, int64_t version, json_t **out, struct nrm_err *err);
/* Checks such a file: its content's hash and the signature (by public_key, or the file's own
 * when NULL); NRM_EAUTH (report_not_signed, naming what failed) otherwise. */
int report_verify(json_t *file, const char *public_key, json_t **out, struct nrm_err *err);
/* {"version", "answer": "acknowledged"|"returned", "comment" (required to return)}: the
 * recipient's answer to a delivered version → the report. */
int report_answer(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

/* The PDF of a report's latest approved version, as it was delivered (*pdf malloc'd), or
 * NRM_ENOTFOUND. */
int report_delivered_pdf(struct nrm_ctx *c, int64_t id, void **pdf, size_t *len);
/* Checks a delivered PDF byte for byte: its SHA-256 is that of a version's PDF, signed by this
 * installation's key → {"report", "version", "hash", "public_key"}; report_not_signed otherwise. */
int report_verify_pdf(struct nrm_ctx *c, const void *pdf, size_t len, json_t **out, struct nrm_err *err);

#endif
