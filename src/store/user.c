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
	" u.created_at, u.locked_until, u.person_id AS person, p.name AS person_name, u.email," \
	" u.totp_secret IS NOT NULL AS totp_bool, u.totp_exempt AS totp_exempt_bool," \
	" EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = u.id) AS api_client_bool"
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
		      int64_t expires, const char *stage)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen, expires_at, stage)"
			  " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
			  "titiit", token_hash, user, csrf, now, expires, stage);
}

int store_session_set_stage(struct store *s, const char *token_hash, const char *stage)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE sessions SET stage = ?2 WHERE token_hash = ?1", "tt", token_hash, stage);
}

int store_session_try(struct store *s, const char *token_hash, int64_t *tries)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE sessions SET tries = tries + 1 WHERE token_hash = ?1", "t", token_hash);
	return rc ? rc : store_int(s, tries, "SELECT tries FROM sessions WHERE token_hash = ?1", "t", token_hash);
}

#define AUTH_COLS \
	"SELECT id, password_hash, disabled, role, totp_secret, totp_step, totp_exempt, last_login_at FROM users"

int store_user_auth(struct store *s, const char *username, json_t **out)
{
	/* An API client's account (api_tokens) never logs in: to a login it does not exist. */
	return store_row(s, out, AUTH_COLS " WHERE username = ?1 AND id NOT IN (SELECT user_id FROM api_tokens)", "t",
			 username);
}

int store_user_auth_id(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, AUTH_COLS " WHERE id = ?1", "i", id);
}

int store_user_set_totp_exempt(struct store *s, int64_t id)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET totp_exempt = 1 WHERE id = ?1", "i", id);
}

int store_users_totp_exempt(struct store *s, int64_t *n)
{
	return store_int(s, n, "SELECT count(*) FROM users WHERE totp_exempt = 1 AND disabled = 0", "");
}

int store_user_totp_pending_set(struct store *s, int64_t id, const char *sealed)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET totp_pending = ?2 WHERE id = ?1", "it", id, sealed);
}

int store_user_totp_pending(struct store *s, int64_t id, char **out)
{
	return store_text(s, out, "SELECT totp_pending FROM users WHERE id = ?1 AND totp_pending IS NOT NULL", "i", id);
}

int store_user_totp_set(struct store *s, int64_t id, const char *sealed, int64_t step)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET totp_secret = ?2, totp_pending = NULL, totp_step = ?3 WHERE id = ?1",
			  "iti", id, sealed, step);
}

int store_user_totp_use(struct store *s, int64_t id, int64_t step)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE users SET totp_step = ?2 WHERE id = ?1 AND totp_step < ?2", "ii", id, step);
	return rc ? rc : store_changes(s) == 1 ? 0 : NRM_ECONFLICT;
}

int store_user_totp_clear(struct store *s, int64_t id)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_step = 0 WHERE id = ?1",
			    "i", id);
	return rc ? rc : store_exec(s, "DELETE FROM recovery_codes WHERE user_id = ?1", "i", id);
}

int store_recovery_codes_set(struct store *s, int64_t id, const char *const *hashes, size_t n)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM recovery_codes WHERE user_id = ?1", "i", id);
	for (size_t i = 0; !rc && i < n; i++)
		rc = store_exec(s, "INSERT INTO recovery_codes(user_id, hash) VALUES (?1, ?2)", "it", id, hashes[i]);
	return rc;
}

int store_recovery_code_use(struct store *s, int64_t id, const char *hash, int64_t now)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND hash = ?2 AND used_at IS NULL",
			    "iti", id, hash, now);
	return rc ? rc : store_changes(s) == 1 ? 0 : NRM_ENOTFOUND;
}

int store_recovery_codes_left(struct store *s, int64_t id, int64_t *n)
{
	return store_int(s, n, "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL", "i", id);
}

int store_user_set_last_login(struct store *s, int64_t id, int64_t now)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE users SET last_login_at = ?2 WHERE id = ?1", "ii", id, now);
}

int store_login_failure_add(struct store *s, const char *account, int64_t user, const char *addr, const char *kind,
			    int64_t now)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT INTO login_failures(account, user_id, addr, kind, ts) VALUES (?1, ?2, ?3, ?4, ?5)",
			  "tItti", account, user, addr, kind, now);
}

int store_login_failures_count(struct store *s, const char *account, const char *addr, int64_t since, int64_t *n,
			       int64_t *last)
{
	json_t *row;
	int rc = store_row(s, &row,
			   "SELECT count(*) AS n, coalesce(max(ts), 0) AS last FROM login_failures"
			   " WHERE (?1 IS NULL OR account = ?1) AND (?2 IS NULL OR addr = ?2) AND ts >= ?3",
			   "tti", account, addr, since);
	if (rc)
		return rc;
	*n = json_integer_value(json_object_get(row, "n"));
	*last = json_integer_value(json_object_get(row, "last"));
	json_decref(row);
	return 0;
}

int store_login_failures_of(struct store *s, int64_t user, int64_t since, int limit, json_t **out, int64_t *n)
{
	int rc = store_int(s, n, "SELECT count(*) FROM login_failures WHERE user_id = ?1 AND ts > ?2", "ii", user, since);
	return rc ? rc
		  : store_rows(s, out,
			       "SELECT ts, addr, kind FROM login_failures WHERE user_id = ?1 AND ts > ?2"
			       " ORDER BY ts DESC, id DESC LIMIT ?3",
			       "iii", user, since, (int64_t)limit);
}

int store_login_failures_purge(struct store *s, int64_t before)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM login_failures WHERE ts < ?1", "i", before);
}

int store_device_known(struct store *s, const char *token_hash, int64_t user)
{
	int64_t one;
	return store_int(s, &one, "SELECT 1 FROM known_devices WHERE token_hash = ?1 AND user_id = ?2", "ti", token_hash,
			 user);
}

int store_device_add(struct store *s, const char *token_hash, int64_t user, int64_t now)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO known_devices(token_hash, user_id, created_at, last_used) VALUES (?1, ?2, ?3, ?3)"
			  " ON CONFLICT(token_hash, user_id) DO UPDATE SET last_used = ?3",
			  "tii", token_hash, user, now);
}

int store_session_get(struct store *s, const char *token_hash, int64_t now, json_t **out)
{
	return store_row(s, out,
			 USER_FIELDS ", x.csrf, x.last_seen, x.expires_at, x.stage, x.tries" USER_FROM " JOIN sessions x ON x.user_id = u.id"
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

int store_token_add(struct store *s, int64_t user_id, const char *token_hash, const char *name, int64_t by,
		    int64_t expires_at, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO api_tokens(user_id, token_hash, name, created_by, created_at, expires_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?6, ?5)",
			    "ittiiN", user_id, token_hash, name, by, expires_at);
}

int store_token_by_hash(struct store *s, const char *token_hash, int64_t now, json_t **out)
{
	return store_row(s, out,
			 USER_FIELDS ", t.id AS token_id, t.name AS token_name, t.expires_at, t.last_used_at" USER_FROM
			 " JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = ?1 AND t.revoked_at IS NULL"
			 " AND t.expires_at > ?2 AND u.disabled = 0",
			 "ti", token_hash, now);
}

#define TOKEN_COLS \
	"SELECT t.id, t.name, t.user_id, u.username AS account, u.role, c.slug AS county, u.institution_id AS institution," \
	" i.name AS institution_name, t.created_at, b.username AS created_by, t.expires_at, t.last_used_at," \
	" t.revoked_at, r.username AS revoked_by FROM api_tokens t JOIN users u ON u.id = t.user_id" \
	" LEFT JOIN counties c ON c.id = u.county_id LEFT JOIN institutions i ON i.id = u.institution_id" \
	" JOIN users b ON b.id = t.created_by LEFT JOIN users r ON r.id = t.revoked_by"

int store_tokens(struct store *s, json_t **out)
{
	return store_rows(s, out, TOKEN_COLS " ORDER BY t.id DESC", "");
}

int store_token_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, TOKEN_COLS " WHERE t.id = ?1", "i", id);
}

int store_token_revoke(struct store *s, int64_t id, int64_t by)
{
	STORE_WRITES(s);
	int64_t n = 0;
	int rc = store_int(s, &n, "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = ?1", "i", id);
	if (rc)
		return rc;
	if (n)
		return NRM_ECONFLICT;
	rc = store_exec(s, "UPDATE api_tokens SET revoked_at = ?3, revoked_by = ?2 WHERE id = ?1", "iiN", id, by);
	/* The account is the token's alone: it goes with it. */
	if (!rc)
		rc = store_exec(s, "UPDATE users SET disabled = 1 WHERE id = (SELECT user_id FROM api_tokens WHERE id = ?1)",
				"i", id);
	return rc;
}

int store_token_used(struct store *s, int64_t id, int64_t now)
{
	int rc = store_begin(s);
	if (!rc)
		rc = store_exec(s, "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1", "ii", id, now);
	if (!rc)
		rc = store_commit(s);
	if (rc)
		store_rollback(s);
	return rc;
}
