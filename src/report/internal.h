/* Shared by the files of src/report/ (not part of its interface). */
#ifndef NRM_REPORT_INTERNAL_H
#define NRM_REPORT_INTERNAL_H

#include <stdbool.h>

#include "core/input.h"
#include "core/period.h"
#include "report/report.h"

/* A type of report as data/reports/TYPE.json defines it. */
struct report_type {
	json_t *doc; /* owned */
	const char *name, *issuer, *scope, *period, *audience;
	int due_days;
};
/* Loads type `name` (unknown_report_type naming `field`); *t is released with report_type_free. */
int report_type_load(struct nrm_ctx *c, const char *name, const char *field, struct report_type *t,
		     struct nrm_err *err);
/* The same from the documents store_report_types read (borrowed): for a caller that looks up
 * the type of many reports, reading and parsing the documents once. */
int report_type_pick(json_t *docs, const char *name, const char *field, struct report_type *t, struct nrm_err *err);
void report_type_free(struct report_type *t);

/* What a report covers, worked out from its type, scope and period: the issuing body (0 for the
 * Ministry), its county (0: national), the days, the due day, the meeting (Table reports). */
struct report_scope {
	int64_t body, county, meeting;
	char county_slug[40];
	struct period p;
	char period[32], first[11], last[11], due[11];
};
int report_scope_of(struct nrm_ctx *c, const struct report_type *t, const char *scope, const char *period,
		    struct report_scope *out, struct nrm_err *err);
/* Whether the caller drafts reports of this type for this scope (its issuer's secretariat). */
bool report_may_draft(struct nrm_ctx *c, const struct report_type *t, const struct report_scope *s);
/* Whether the caller answers for the recipient of reports of the type (of county slug). */
bool report_receives(struct nrm_ctx *c, const struct report_type *t, const char *county);
/* Whether the caller reads a report of the type, county and status. */
bool report_may_read(struct nrm_ctx *c, const struct report_type *t, int64_t county, const char *status);

/* The sections of a report drafted from the live data (draft.c): a new array as report_get
 * describes. `narrative` holds the written sections by id. */
json_t *report_sections(struct nrm_ctx *c, const struct report_type *t, const struct report_scope *s, json_t *narrative);
/* Where the approval by every member of the issuing body stands on the version waiting for it:
 * {"version", "seats": [{"seat", "label", "person", "name", "decision"?}], "approved", "filled",
 * "votes": [{"seat", "username", "decision", "comment", "ts"}]} (a new reference), or NULL. */
json_t *report_approvals_of(struct nrm_ctx *c, int64_t id, int64_t body);
/* Adds to a report's view what the caller may do now: "can_submit", "can_approve", "can_answer",
 * and "pending": the latest version {version, status, answer?} or null. */
void report_can(struct nrm_ctx *c, const struct report_type *t, int64_t id, const char *county, json_t *view);
/* The latest approved version of a report: its frozen content with "signature": {"version",
 * "hash", "signature", "public_key", "approved_at", "reason"?} (a new reference), or NULL. */
json_t *report_frozen(struct nrm_ctx *c, int64_t id);
/* A report's content (report_get's shape) as PDF, XLSX or CSV (render.c), with its signature
 * block when it has one. */
int report_render(json_t *report, const char *format, const char *lang, struct buf *out, struct nrm_err *err);

#endif
