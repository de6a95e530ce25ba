/* SQL of users and sessions. */
#include "store/user.h"
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

int store_user_add(struct store *s, const char *username, const char *name, const char *role, int64_t county,
		   int64_t institution, const char *password_hash, int64_t *id)
{
	STORE_WRITES(s);
	int rc = store_insert(s, id,
			      "INSERT INTO users(username, name, role, county_id, institution_id, password_hash, created_at,"
			      " password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
			      "tttIItN", username, name, role, county, institution, password_hash);
	return rc == NRM_ECONFLICT ? NRM_EEXIST : rc;
}

#define USER_FIELDS \
	"SELECT u.id, u.username, u.name, u.role, c.slug AS county, u.county_id, u.institution_id AS institution," \
	" i.name AS institution_name, i.name_en AS institution_name_en, i.county_id AS institution_county_id, u.lang, u.disabled AS disabled_bool," \
	" u.created_at, u.locked_until, u.person_id AS person, p.name AS person_name, u.email"
#define USER_FROM \
	" FROM users u LEFT JOIN counties c ON c.id = u.county_id LEFT JOIN institutions i ON i.id = u.institution_id" \
	" LEFT JOIN persons p ON p.id = u.person_id"
#define USER_COLS USER_FIELDS USER_FROM

int store_user_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, USER_COLS " WHERE u.id = ?1", "i", id);
}

int store_user_by_name(struct store *s, const char *username, json_t **out)
{
	return store_row(s, out, USER_COLS " WHERE u.username = ?1", "t", username);
}

int store_users(struct store *s, int64_t county, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out, USER_COLS " WHERE (?1 = 0 OR u.county_id = ?1) AND u.id > ?2 ORDER BY u.id LIMIT ?3",
			  "iii", county, after, (int64_t)limit);
}

int store_user_secret(struct store *s, const char *username, int64_t *id, char **hash, int *disabled,
		      int64_t *locked_until)
{
	json_t *row;
	int rc = store_row(s, &row, "SELECT id, password_hash, disabled, locked_until FROM users WHERE username = ?1",
			   "t", username);
	if (rc)
		return rc;
	char *h = strdup(json_string_value(json_object_get(row, "password_hash")));
	if (!h) {
		json_decref(row);
		return NRM_ENOMEM;
	}
	*id = json_integer_value(json_object_get(row, "id"));
	*disabled = (int)json_integer_value(json_object_get(row, "disabled"));
	*locked_until = json_integer_value(json_object_get(row, "locked_until"));
	*hash = h;
	json_decref(row);
	return 0;
}

int store_user_login_failed(struct store *s, int64_t id, int max_failures, int64_t lock_until)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE users SET failed_logins = failed_logins + 1,"
			  " locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,"
			  " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END"
			  " WHERE id = ?1",
			  "iii", id, (int64_t)max_failures, lock_until);
}

int store_user_login_ok(struct store *s, int64_t id)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1", "i", id);
}

int store_user_set_password(struct store *s, int64_t id, const char *hash)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE users SET password_hash = ?2, password_changed_at = ?3,"
			  " failed_logins = 0, locked_until = 0 WHERE id = ?1",
			  "itN", id, hash);
}

int store_user_set_disabled(struct store *s, int64_t id, int disabled)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET disabled = ?2 WHERE id = ?1", "ii", id, (int64_t)disabled);
}

int store_user_set_lang(struct store *s, int64_t id, const char *lang)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET lang = ?2 WHERE id = ?1", "it", id, lang);
}

int store_user_update(struct store *s, int64_t id, const char *name, const char *role, int64_t county,
		      int64_t institution)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET name = ?2, role = ?3, county_id = ?4, institution_id = ?5 WHERE id = ?1",
			  "ittII", id, name, role, county, institution);
}

int store_session_add(struct store *s, const char *token_hash, int64_t user, const char *csrf, int64_t now,
		      int64_t expires)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen, expires_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
			  "titii", token_hash, user, csrf, now, expires);
}

int store_session_get(struct store *s, const char *token_hash, int64_t now, json_t **out)
{
	return store_row(s, out,
			 USER_FIELDS ", x.csrf, x.last_seen, x.expires_at" USER_FROM " JOIN sessions x ON x.user_id = u.id"
			 " WHERE x.token_hash = ?1 AND x.expires_at > ?2"
			 " AND u.disabled = 0",
			 "ti", token_hash, now);
}

int store_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	/* Its own transaction, so it waits its turn with the other writers (db.c). */
	int rc = store_begin(s);
	if (rc)
		return rc;
	if ((rc = store_exec(s, "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1", "ti", token_hash, now)) ||
	    (rc = store_commit(s)))
		store_rollback(s);
	return rc;
}

int store_session_delete(struct store *s, const char *token_hash)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM sessions WHERE token_hash = ?1", "t", token_hash);
	if (!rc)
		rc = store_exec(s, "DELETE FROM personal_reads WHERE session = ?1", "t", token_hash);
	return rc;
}

int store_sessions_delete_other(struct store *s, int64_t user, const char *keep)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2", "it", user, keep);
}

int store_sessions_purge(struct store *s, int64_t now)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM sessions WHERE expires_at <= ?1", "i", now);
	if (!rc)
		rc = store_exec(s, "DELETE FROM personal_reads WHERE session NOT IN (SELECT token_hash FROM sessions)", "");
	return rc;
}

int store_sessions_delete_user(struct store *s, int64_t user)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM sessions WHERE user_id = ?1", "i", user);
}

int store_user_set_person(struct store *s, int64_t id, int64_t person)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET person_id = ?2 WHERE id = ?1", "iI", id, person);
}

int store_user_set_email(struct store *s, int64_t id, const char *email)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET email = ?2 WHERE id = ?1", "it", id, email);
}
