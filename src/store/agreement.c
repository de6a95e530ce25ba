/* SQL of agreements and documents. */
#include "store/agreement.h"
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

int store_agreement_add(struct store *s, const struct agreement *a, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO agreements(county_id, counterpart_kind, counterpart, title, signed, valid_from,"
			    " valid_until, note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
			    "itttttttN", a->county, a->counterpart_kind, a->counterpart, a->title, a->signed_on,
			    a->valid_from, a->valid_until, a->note);
}

int store_agreement_update(struct store *s, int64_t id, int64_t version, const struct agreement *a)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE agreements SET counterpart_kind = ?3, counterpart = ?4, title = ?5, signed = ?6,"
			    " valid_from = ?7, valid_until = ?8, note = ?9, version = version + 1,"
			    " updated_at = ?10 WHERE id = ?1 AND version = ?2",
			    "iitttttttN", id, version, a->counterpart_kind, a->counterpart, a->title, a->signed_on,
			    a->valid_from, a->valid_until, a->note);
	if (!rc && store_changes(s) == 0)
		return NRM_ECONFLICT;
	return rc;
}

#define AGREEMENT_COLS \
	"SELECT a.id, c.slug AS county, a.county_id, a.counterpart_kind, a.counterpart, a.title, a.signed," \
	" a.valid_from, a.valid_until, a.note, a.version, a.created_at, a.updated_at," \
	" CASE WHEN d.id IS NULL THEN NULL ELSE json_object('filename', d.filename, 'mime', d.mime," \
	" 'size', d.size, 'sha256', d.sha256, 'uploaded_at', d.uploaded_at) END AS document_json" \
	" FROM agreements a JOIN counties c ON c.id = a.county_id LEFT JOIN documents d ON d.id = a.document_id"

int store_agreement_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, AGREEMENT_COLS " WHERE a.id = ?1", "i", id);
}

int store_agreements(struct store *s, int64_t county, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out, AGREEMENT_COLS " WHERE (?1 = 0 OR a.county_id = ?1) AND a.id > ?2 ORDER BY a.id LIMIT ?3",
			  "iii", county, after, (int64_t)limit);
}

int store_agreement_set_document(struct store *s, int64_t id, int64_t document)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE agreements SET document_id = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
			  "iiN", id, document);
}

int store_agreement_document_id(struct store *s, int64_t id, int64_t *document)
{
	return store_int(s, document, "SELECT document_id FROM agreements WHERE id = ?1", "i", id);
}

int store_document_add(struct store *s, const char *filename, const char *mime, const void *data, size_t size,
		       const char *sha256, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO documents(filename, mime, size, sha256, data, uploaded_by, uploaded_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "ttitbIN", filename, mime, (int64_t)size, sha256, data, size, by);
}

int store_document_get(struct store *s, int64_t id, void **data, size_t *size, json_t **meta)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT filename, mime, sha256, data FROM documents WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return NRM_EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = NRM_ENOTFOUND, r = sqlite3_step(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		rc = NRM_EIO;
	if (r == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 3);
		void *p = malloc(n ? n : 1);
		if (!p) {
			rc = NRM_ENOMEM;
			goto done;
		}
		if (n)
			memcpy(p, sqlite3_column_blob(st, 3), n);
		*meta = json_pack("{s:s, s:s, s:s}", "filename", (const char *)sqlite3_column_text(st, 0), "mime",
				  (const char *)sqlite3_column_text(st, 1), "sha256",
				  (const char *)sqlite3_column_text(st, 2));
		*data = p;
		*size = n;
		rc = 0;
	}
done:
	sqlite3_finalize(st);
	return rc;
}
