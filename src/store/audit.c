/* SQL of the audit trail. */
#include "store/audit.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>

int store_audit_last_hash(struct store *s, char out[65])
{
	char *h = NULL;
	int rc = store_text(s, &h, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", "");
	if (rc == NRM_ENOTFOUND) {
		out[0] = '\0';
		return 0;
	}
	if (rc)
		return rc;
	snprintf(out, 65, "%s", h);
	free(h);
	return 0;
}

int store_audit_insert(struct store *s, const char *ts, int64_t user, const char *username, const char *action,
		       const char *entity, const char *entity_id, const char *before, const char *after,
		       const char *reason, const char *prev_hash, const char *hash)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO audit(ts, user_id, username, action, entity, entity_id, before_json, after_json,"
			  " reason, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			  "tIttttttttt", ts, user, username, action, entity, entity_id, before, after, reason, prev_hash,
			  hash);
}

int store_audit_list(struct store *s, const char *entity, const char *entity_id, int64_t before, int limit,
		     json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, ts, user_id AS user, username, action, entity, entity_id, before_json, after_json,"
			  " reason FROM audit WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)"
			  " AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4",
			  "ttii", entity, entity_id, before, (int64_t)limit);
}

int store_audit_all(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, ts, user_id, username, action, entity, entity_id, before_json AS before_text,"
			  " after_json AS after_text, reason, prev_hash, hash FROM audit ORDER BY id",
			  "");
}
