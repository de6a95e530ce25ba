/* Registers of prevention and cooperation: the SQL. */
#include "store/register.h"

#include <string.h>

#include "store/internal.h"

int store_register_docs(struct store *s, json_t **out)
{
	return store_rows(s, out, "SELECT name, json AS doc_json FROM forms WHERE name LIKE 'register:%' ORDER BY name", "");
}

int store_reg_next_seq(struct store *s, const char *reg, int64_t county, int year, int64_t *seq)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "INSERT INTO register_seq(register, county_id, year, seq) VALUES (?1, ?2, ?3, 1)"
			    " ON CONFLICT(register, county_id, year) DO UPDATE SET seq = seq + 1",
			    "tii", reg, county, (int64_t)year);
	return rc ? rc
		  : store_int(s, seq, "SELECT seq FROM register_seq WHERE register = ?1 AND county_id = ?2 AND year = ?3",
			      "tii", reg, county, (int64_t)year);
}

int store_reg_add(struct store *s, const struct reg_row *r, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO register_entries(register, code, county_id, holder, first_day, last_day, parent_id,"
			    " meeting_id, case_id, data_json, created_by, created_at, updated_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
			    "ttIIttIIItIN", r->reg, r->code, r->county, r->holder, r->first_day, r->last_day, r->parent,
			    r->meeting, r->case_id, r->data_json, r->created_by);
}

int store_reg_update(struct store *s, int64_t id, int64_t version, const struct reg_row *r)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE register_entries SET county_id = ?3, holder = ?4, first_day = ?5, last_day = ?6,"
			    " parent_id = ?7, meeting_id = ?8, data_json = ?9, version = version + 1, updated_at = ?10"
			    " WHERE id = ?1 AND version = ?2",
			    "iiIIttIItN", id, version, r->county, r->holder, r->first_day, r->last_day, r->parent, r->meeting,
			    r->data_json);
	return rc ? rc : store_changes(s) == 1 ? 0 : NRM_ECONFLICT;
}

int store_reg_set_case(struct store *s, int64_t id, int64_t case_id)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE register_entries SET case_id = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
			  "iiN", id, case_id);
}

#define ENTRY_COLUMNS                                                                                               \
	"SELECT e.id, e.register, e.code, e.county_id, k.slug AS county, k.name_sq AS county_name_sq,"               \
	" k.name_en AS county_name_en, e.holder, i.name AS holder_name, e.first_day, e.last_day, e.parent_id,"        \
	" p.code AS parent_code, e.meeting_id, e.case_id, c.code AS case_code, e.data_json AS fields_json,"           \
	" e.version, e.created_at, e.updated_at"                                                                    \
	" FROM register_entries e LEFT JOIN counties k ON k.id = e.county_id"                                        \
	" LEFT JOIN institutions i ON i.id = e.holder LEFT JOIN register_entries p ON p.id = e.parent_id"           \
	" LEFT JOIN cases c ON c.id = e.case_id "

int store_reg_get(struct store *s, const char *reg, const char *code, json_t **out)
{
	return store_row(s, out, ENTRY_COLUMNS "WHERE e.register = ?1 AND e.code = ?2", "tt", reg, code);
}

int store_reg_get_id(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, ENTRY_COLUMNS "WHERE e.id = ?1", "i", id);
}

int store_reg_of_case(struct store *s, int64_t case_id, json_t **out)
{
	return store_row(s, out, "SELECT register, code, holder FROM register_entries WHERE case_id = ?1", "i", case_id);
}

int store_reg_list(struct store *s, const struct reg_query *q, json_t **out)
{
	return store_rows(s, out,
			  ENTRY_COLUMNS
			  "WHERE e.register = ?1 AND (?2 = 0 OR (?2 = -1 AND e.county_id IS NULL) OR e.county_id = ?2"
			  " OR (?3 AND e.county_id IS NULL)) AND (?4 = 0 OR e.holder = ?4) AND (?5 = 0 OR e.parent_id = ?5)"
			  " AND (?6 IS NULL OR coalesce(e.last_day, e.first_day) >= ?6) AND (?7 IS NULL OR e.first_day <= ?7)"
			  " AND e.id > ?8 ORDER BY e.id LIMIT CASE WHEN ?9 > 0 THEN ?9 ELSE -1 END",
			  "tiiiittii", q->reg, q->county, (int64_t)q->with_national, q->holder, q->parent, q->first, q->last,
			  q->after, (int64_t)q->limit);
}

int store_reg_personal_put(struct store *s, int64_t id, const char *field, const void *blob, size_t len)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO register_personal(entry_id, field, value) VALUES (?1, ?2, ?3)"
			  " ON CONFLICT(entry_id, field) DO UPDATE SET value = excluded.value",
			  "itb", id, field, blob, len);
}

int store_reg_personal_delete(struct store *s, int64_t id, const char *field)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM register_personal WHERE entry_id = ?1 AND field = ?2", "it", id, field);
}

int store_reg_personal_each(struct store *s, int64_t id, store_blob_fn fn, void *ctx)
{
	return store_blobs(s, "SELECT field, value FROM register_personal WHERE entry_id = ?1 ORDER BY field", id, fn, ctx);
}

int store_reg_personal_names(struct store *s, int64_t id, json_t **out)
{
	json_t *rows, *names = json_array(), *r;
	int rc = store_rows(s, &rows, "SELECT field FROM register_personal WHERE entry_id = ?1 ORDER BY field", "i", id);
	if (rc) {
		json_decref(names);
		return rc;
	}
	size_t i;
	json_array_foreach(rows, i, r)
		json_array_append(names, json_object_get(r, "field"));
	json_decref(rows);
	*out = names;
	return 0;
}

int store_reg_refs_replace(struct store *s, int64_t id, json_t *refs)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM register_refs WHERE entry_id = ?1", "i", id);
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r) {
		if (rc)
			break;
		rc = store_exec(s, "INSERT INTO register_refs(entry_id, kind, ref_id, field) VALUES (?1, ?2, ?3, ?4)", "itit",
				id, json_string_value(json_object_get(r, "kind")),
				(int64_t)json_integer_value(json_object_get(r, "id")),
				json_string_value(json_object_get(r, "field")));
	}
	return rc;
}

int store_reg_referring(struct store *s, const char *reg, const char *kind, int64_t ref_id, json_t **out)
{
	return store_rows(s, out,
			  ENTRY_COLUMNS "WHERE e.register = ?1 AND e.id IN (SELECT entry_id FROM register_refs"
			  " WHERE kind = ?2 AND ref_id = ?3) ORDER BY e.first_day, e.id",
			  "tti", reg, kind, ref_id);
}

int store_reg_ref_target(struct store *s, const char *kind, int64_t id, json_t **out)
{
	static const struct {
		const char *kind, *sql;
	} q[] = {
		{"institution", "SELECT id, county_id, type AS kind, name FROM institutions WHERE id = ?1"},
		{"body", "SELECT id, county_id, kind, name_sq AS name FROM bodies WHERE id = ?1"},
		{"person", "SELECT p.id, i.county_id, p.name FROM persons p LEFT JOIN institutions i ON i.id = p.institution_id"
			   " WHERE p.id = ?1"},
		{"meeting", "SELECT m.id, b.county_id, m.kind, m.status, m.date AS name, b.kind AS body_kind FROM meetings m"
			    " JOIN bodies b ON b.id = m.body_id WHERE m.id = ?1"},
		{"task", "SELECT t.id, b.county_id, t.status, t.title AS name FROM tasks t JOIN bodies b ON b.id = t.body_id"
			 " WHERE t.id = ?1"},
	};
	for (size_t i = 0; i < sizeof q / sizeof *q; i++)
		if (strcmp(q[i].kind, kind) == 0)
			return store_row(s, out, q[i].sql, "i", id);
	return NRM_ENOTFOUND;
}

int store_reg_event_add(struct store *s, int64_t id, const char *action, const char *changed_json, const char *reason,
			int64_t user_id, const char *username)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO register_events(entry_id, action, changed_json, reason, user_id, username, ts)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			  "itttItN", id, action, changed_json, reason, user_id, username);
}

int store_reg_events(struct store *s, int64_t id, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, action, changed_json AS changed_json, reason, username, ts FROM register_events"
			  " WHERE entry_id = ?1 ORDER BY id",
			  "i", id);
}
