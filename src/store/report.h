/* Periodic reports in SQL (schema 8): one row per type, issuing body and period, with the
 * narrative its secretariat writes. Writers assert the caller's transaction (db.h); json_t **
 * outputs are new references, written only on success. */
#ifndef NRM_STORE_REPORT_H
#define NRM_STORE_REPORT_H

#include <stdbool.h>

#include "store/db.h"

/* The report types as stored by `nrm init` / `nrm forms load`: [{"name": "report:TYPE", "doc"}]. */
int store_report_types(struct store *s, json_t **out);

struct report_row {
	const char *type, *period, *first_day, *last_day, *due;
	int64_t body, county, meeting, created_by; /* body, county, meeting: 0 for none */
};
/* NRM_ECONFLICT when the body has a report of that type for the period already. */
int store_report_add(struct store *s, const struct report_row *r, int64_t *id);
/* {"id", "type", "body_id", "body_kind", "body_name_sq", "body_name_en", "county_id", "county",
 * "county_name_sq", "county_name_en", "period", "first_day", "last_day", "due", "meeting_id", "status",
 * "narrative" (object), "version", "created_at", "updated_at", "delivered_at" (its first delivery, or
 * null)}; NRM_ENOTFOUND. */
int store_report_get(struct store *s, int64_t id, json_t **out);
/* The report of a type, body and period, or NRM_ENOTFOUND. */
int store_report_find(struct store *s, const char *type, int64_t body, const char *period, json_t **out);
/* Reports of county (0: any; -1: national ones only) and type (NULL: any), newest period first, as
 * store_report_get gives them, keyset by id (after: 0 from the start). */
int store_reports(struct store *s, int64_t county, const char *type, int64_t after, int limit, json_t **out);
/* Replaces the narrative, the report becoming a draft again; NRM_ECONFLICT when `version` is not
 * the stored one. */
int store_report_narrative(struct store *s, int64_t id, int64_t version, const char *narrative_json);

/* Sets a report's state (draft, submitted, approved, delivered, acknowledged, returned). */
int store_report_status(struct store *s, int64_t id, const char *status);
/* A frozen version: the next number is the report's count of versions + 1 (*version). */
int store_report_version_add(struct store *s, int64_t report, const char *content_json, const char *hash,
			     const char *reason, const char *changes_json, int64_t by, int64_t *version);
/* Versions of a report, newest first: [{"version", "hash", "reason", "changes", "submitted_at", "status",
 * "approved_at", "signature", "delivered_at", "answer", "answered_at", "answer_comment"}] — with
 * "content" when `content` is set. */
int store_report_versions(struct store *s, int64_t report, bool content, json_t **out);
/* Marks every submitted version of the report superseded. */
int store_report_supersede(struct store *s, int64_t report);
int store_report_version_approve(struct store *s, int64_t report, int64_t version, const char *signature);
int store_report_version_answer(struct store *s, int64_t report, int64_t version, const char *answer, int64_t by,
				const char *comment);

/* An approval, or a request for changes, of a version by the member in a seat. */
int store_report_approval_add(struct store *s, int64_t report, int64_t version, int64_t seat, int64_t user,
			      const char *username, const char *decision, const char *comment);
/* The approvals of a version, oldest first: [{"seat", "username", "decision", "comment", "ts"}]. */
int store_report_approvals(struct store *s, int64_t report, int64_t version, json_t **out);

/* Keeps the PDF of an approved version as delivered, with its SHA-256 and signature. */
int store_report_version_pdf(struct store *s, int64_t report, int64_t version, const void *pdf, size_t len,
			     const char *hash, const char *signature);
/* The delivered PDF of a version (*pdf malloc'd), or NRM_ENOTFOUND. */
int store_report_pdf(struct store *s, int64_t report, int64_t version, void **pdf, size_t *len);
/* The version whose delivered PDF has this SHA-256: {"report", "version", "pdf_signature"}, or NRM_ENOTFOUND. */
int store_report_pdf_find(struct store *s, const char *hash, json_t **out);

#endif
