/* SQL of the audit trail. */
#include "store/audit.h"
#include "store/internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"

int store_audit_head(struct store *s, int64_t *id, char out[AUDIT_HASH_LEN])
{
	json_t *row = NULL;
	int rc = store_row(s, &row, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", "");
	if (rc == NRM_ENOTFOUND) {
		*id = 0;
		out[0] = '\0';
		return 0;
	}
	if (rc)
		return rc;
	*id = json_integer_value(json_object_get(row, "id"));
	const char *h = json_string_value(json_object_get(row, "hash"));
	snprintf(out, AUDIT_HASH_LEN, "%s", h ? h : "");
	json_decref(row);
	return 0;
}

int store_audit_count(struct store *s, int64_t *n)
{
	return store_int(s, n, "SELECT count(*) FROM audit", "");
}

int store_audit_insert(struct store *s, int64_t id, const char *ts, int64_t user, const char *username,
		       const char *action, const char *entity, const char *entity_id, const char *before,
		       const char *after, const char *reason, const char *prev_hash, const char *hash)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO audit(id, ts, user_id, username, action, entity, entity_id, before_json, after_json,"
			  " reason, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			  "itIttttttttt", id, ts, user, username, action, entity, entity_id, before, after, reason, prev_hash,
			  hash);
}

int store_audit_page(struct store *s, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, ts, user_id, username, action, entity, entity_id, before_json AS before_text,"
			  " after_json AS after_text, reason, prev_hash, hash,"
			  " (typeof(ts) = 'text' AND typeof(user_id) IN ('integer', 'null')"
			  " AND typeof(username) IN ('text', 'null') AND typeof(action) IN ('text', 'null')"
			  " AND typeof(entity) IN ('text', 'null') AND typeof(entity_id) IN ('text', 'null')"
			  " AND typeof(before_json) IN ('text', 'null') AND typeof(after_json) IN ('text', 'null')"
			  " AND typeof(reason) IN ('text', 'null') AND typeof(prev_hash) IN ('text', 'null')"
			  " AND typeof(hash) IN ('text', 'null')) AS typed"
			  " FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
			  "ii", after, (int64_t)limit);
}

int store_audit_rechain(struct store *s, int64_t id, const char *prev_hash, const char *hash)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1", "itt", id, prev_hash, hash);
}

int store_audit_all(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, ts, user_id, username, action, entity, entity_id, before_json AS before_text,"
			  " after_json AS after_text, reason, prev_hash, hash FROM audit ORDER BY id",
			  "");
}

/* A condition on parameter n when the filter gives it, otherwise a test that is always true
 * (the parameter is still bound), so the planner sees only the conditions that narrow. */
static int cond(struct buf *b, bool given, const char *sql, int n)
{
	return given ? buf_printf(b, " AND %s", sql) : buf_printf(b, " AND ?%d IS NULL", n);
}

int store_audit_filter(struct store *s, const struct audit_filter *f, int64_t before, int limit, json_t **out)
{
	struct buf b = {0};
	int rc = buf_puts(&b, "SELECT id, ts, user_id AS user, username, action, entity, entity_id, before_json,"
			      " after_json, reason FROM audit WHERE 1");
	rc = rc || cond(&b, f->username, "username = ?1", 1);
	rc = rc || cond(&b, f->entity, "entity = ?2", 2);
	rc = rc || cond(&b, f->entity_id, "entity_id = ?3", 3);
	rc = rc || cond(&b, f->actions, "action IN (SELECT value FROM json_each(?4))", 4);
	rc = rc || cond(&b, f->since, "ts >= ?5", 5);
	rc = rc || cond(&b, f->until, "ts < ?6", 6);
	rc = rc || buf_puts(&b, before > 0 ? " AND id < ?7" : " AND ?7 = 0");
	rc = rc || buf_puts(&b, " ORDER BY id DESC LIMIT ?8");
	if (rc) {
		buf_free(&b);
		return NRM_ENOMEM;
	}
	rc = store_rows(s, out, b.p, "ttttttii", f->username, f->entity, f->entity_id, f->actions, f->since, f->until,
			    before, (int64_t)limit);
	buf_free(&b);
	return rc;
}

#define WEIGHED \
	"SELECT a.id, a.ts, a.user_id AS user, a.username, a.action, a.entity, a.entity_id, a.after_json, a.reason," \
	" u.role, coalesce(u.county_id, i.county_id) AS user_county, u.institution_id AS user_institution," \
	" c.county_id AS case_county, c.holder_id AS case_holder FROM audit a LEFT JOIN users u ON u.id = a.user_id" \
	" LEFT JOIN institutions i ON i.id = u.institution_id" \
	" LEFT JOIN cases c ON a.entity = 'case' AND c.code = a.entity_id"

int store_audit_since(struct store *s, const char *actions, const char *since, json_t **out)
{
	return store_rows(s, out, WEIGHED " WHERE a.action IN (SELECT value FROM json_each(?1)) AND a.ts >= ?2 ORDER BY a.id",
			  "tt", actions, since);
}

int store_audit_latest(struct store *s, const char *actions, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, ts, user_id AS user, username, action, entity, entity_id, after_json FROM audit"
			  " WHERE action IN (SELECT value FROM json_each(?1)) ORDER BY id DESC LIMIT ?2",
			  "ti", actions, (int64_t)limit);
}

int store_audit_of_case(struct store *s, const char *code, const char *actions, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT a.id, a.ts, a.user_id AS user, a.username, u.name, u.role, a.action, a.after_json, a.reason"
			  " FROM audit a LEFT JOIN users u ON u.id = a.user_id WHERE a.entity = 'case' AND a.entity_id = ?1"
			  " AND a.action IN (SELECT value FROM json_each(?2)) ORDER BY a.id DESC LIMIT ?3",
			  "tti", code, actions, (int64_t)limit);
}

int store_audit_rules(struct store *s, json_t **out)
{
	json_t *row;
	int rc = store_row(s, &row, "SELECT json AS doc_json FROM forms WHERE name = 'oversight:rules'", "");
	if (rc)
		return rc;
	*out = json_incref(json_object_get(row, "doc"));
	json_decref(row);
	return 0;
}
