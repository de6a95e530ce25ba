/* Periodic reports: the SQL. */
#include "store/report.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int store_report_types(struct store *s, json_t **out)
{
	return store_rows(s, out, "SELECT name, json AS doc_json FROM forms WHERE name LIKE 'report:%' ORDER BY name", "");
}

int store_report_add(struct store *s, const struct report_row *r, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO reports(type, body_id, county_id, period, first_day, last_day, due, meeting_id,"
			    " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
			    "tIIttttIIN", r->type, r->body, r->county, r->period, r->first_day, r->last_day, r->due, r->meeting,
			    r->created_by);
}

#define REPORT_COLUMNS                                                                                            \
	"SELECT r.id, r.type, r.body_id, b.kind AS body_kind, b.name_sq AS body_name_sq, b.name_en AS body_name_en," \
	" r.county_id, k.slug AS county, k.name_sq AS county_name_sq, k.name_en AS county_name_en, r.period,"        \
	" r.first_day, r.last_day, r.due, r.meeting_id, r.status, r.narrative_json AS narrative_json, r.version,"   \
	" r.created_at, r.updated_at,"                                                                              \
	" (SELECT min(v.delivered_at) FROM report_versions v WHERE v.report_id = r.id) AS delivered_at"             \
	" FROM reports r LEFT JOIN bodies b ON b.id = r.body_id"                                                    \
	" LEFT JOIN counties k ON k.id = r.county_id "

int store_report_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, REPORT_COLUMNS "WHERE r.id = ?1", "i", id);
}

int store_report_find(struct store *s, const char *type, int64_t body, const char *period, json_t **out)
{
	return store_row(s, out, REPORT_COLUMNS "WHERE r.type = ?1 AND coalesce(r.body_id, 0) = ?2 AND r.period = ?3", "tit",
			 type, body, period);
}

int store_reports(struct store *s, int64_t county, const char *type, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out,
			  REPORT_COLUMNS "WHERE (?1 = 0 OR (?1 = -1 AND r.county_id IS NULL) OR r.county_id = ?1)"
			  " AND (?2 IS NULL OR r.type = ?2) AND r.id > ?3 ORDER BY r.id LIMIT CASE WHEN ?4 > 0 THEN ?4 ELSE -1 END",
			  "itii", county, type, after, (int64_t)limit);
}

int store_report_narrative(struct store *s, int64_t id, int64_t version, const char *narrative_json)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE reports SET narrative_json = ?3, version = version + 1, status = 'draft', updated_at = ?4"
			    " WHERE id = ?1 AND version = ?2",
			    "iitN", id, version, narrative_json);
	return rc ? rc : store_changes(s) == 1 ? 0 : NRM_ECONFLICT;
}

int store_report_status(struct store *s, int64_t id, const char *status)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE reports SET status = ?2, updated_at = ?3 WHERE id = ?1", "itN", id, status);
}

int store_report_version_add(struct store *s, int64_t report, const char *content_json, const char *hash,
			     const char *reason, const char *changes_json, int64_t by, int64_t *version)
{
	STORE_WRITES(s);
	int64_t n, id;
	int rc = store_int(s, &n, "SELECT count(*) + 1 FROM report_versions WHERE report_id = ?1", "i", report);
	if (!rc)
		rc = store_insert(s, &id,
				  "INSERT INTO report_versions(report_id, version, content_json, hash, reason, changes_json,"
				  " submitted_by, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				  "iittttIN", report, n, content_json, hash, reason, changes_json, by);
	if (!rc)
		*version = n;
	return rc;
}

int store_report_versions(struct store *s, int64_t report, bool content, json_t **out)
{
	return store_rows(s, out,
			  "SELECT version, hash, reason, changes_json AS changes_json, submitted_at, status, approved_at,"
			  " signature, delivered_at, answer, answered_at, answer_comment,"
			  " CASE WHEN ?2 THEN content_json END AS content_json FROM report_versions WHERE report_id = ?1"
			  " ORDER BY version DESC",
			  "ii", report, (int64_t)content);
}

int store_report_supersede(struct store *s, int64_t report)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE report_versions SET status = 'superseded' WHERE report_id = ?1 AND status = 'submitted'",
			  "i", report);
}

int store_report_version_approve(struct store *s, int64_t report, int64_t version, const char *signature)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE report_versions SET status = 'approved', approved_at = ?3, signature = ?4, delivered_at = ?3"
			  " WHERE report_id = ?1 AND version = ?2",
			  "iiNt", report, version, signature);
}

int store_report_version_answer(struct store *s, int64_t report, int64_t version, const char *answer, int64_t by,
				const char *comment)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE report_versions SET answer = ?3, answered_by = ?4, answered_at = ?5, answer_comment = ?6"
			  " WHERE report_id = ?1 AND version = ?2",
			  "iitINt", report, version, answer, by, comment);
}

int store_report_approval_add(struct store *s, int64_t report, int64_t version, int64_t seat, int64_t user,
			      const char *username, const char *decision, const char *comment)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO report_approvals(report_id, version, seat_id, user_id, username, decision, comment, ts)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			  "iiIItttN", report, version, seat, user, username, decision, comment);
}

int store_report_approvals(struct store *s, int64_t report, int64_t version, json_t **out)
{
	return store_rows(s, out,
			  "SELECT seat_id AS seat, username, decision, comment, ts FROM report_approvals"
			  " WHERE report_id = ?1 AND version = ?2 ORDER BY id",
			  "ii", report, version);
}

int store_report_version_pdf(struct store *s, int64_t report, int64_t version, const void *pdf, size_t len,
			     const char *hash, const char *signature)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE report_versions SET pdf = ?3, pdf_hash = ?4, pdf_signature = ?5 WHERE report_id = ?1"
			  " AND version = ?2",
			  "iibtt", report, version, pdf, len, hash, signature);
}

int store_report_pdf(struct store *s, int64_t report, int64_t version, void **pdf, size_t *len)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT pdf FROM report_versions WHERE report_id = ?1 AND version = ?2 AND pdf IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return NRM_EIO;
	sqlite3_bind_int64(st, 1, report);
	sqlite3_bind_int64(st, 2, version);
	int rc = NRM_ENOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		void *copy = malloc(n ? n : 1);
		if (!copy) {
			rc = NRM_ENOMEM;
		} else {
			memcpy(copy, sqlite3_column_blob(st, 0), n);
			*pdf = copy;
			*len = n;
			rc = 0;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int store_report_pdf_find(struct store *s, const char *hash, json_t **out)
{
	return store_row(s, out,
			 "SELECT report_id AS report, version, pdf_signature FROM report_versions WHERE pdf_hash = ?1", "t", hash);
}
