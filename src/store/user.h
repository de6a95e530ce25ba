/* Users and their sessions in the database. json_t ** outputs are new references. */
#ifndef NRM_STORE_USER_H
#define NRM_STORE_USER_H

#include "store/db.h"

int store_user_add(struct store *s, const char *username, const char *name, const char *role, int64_t county,
		   int64_t institution, const char *password_hash, int64_t *id);
/* Public fields (no password hash) of one user / a page of users (keyset by id). */
int store_user_get(struct store *s, int64_t id, json_t **out);
int store_user_by_name(struct store *s, const char *username, json_t **out);
int store_users(struct store *s, int64_t county, int64_t after, int limit, json_t **out);
/* The stored hash and lock state, for login. *hash is malloc'd. */
int store_user_secret(struct store *s, const char *username, int64_t *id, char **hash, int *disabled,
		      int64_t *locked_until);
int store_user_login_failed(struct store *s, int64_t id, int max_failures, int64_t lock_until);
int store_user_login_ok(struct store *s, int64_t id);
int store_user_set_password(struct store *s, int64_t id, const char *hash);
int store_user_set_disabled(struct store *s, int64_t id, int disabled);
int store_user_set_lang(struct store *s, int64_t id, const char *lang);
int store_user_update(struct store *s, int64_t id, const char *name, const char *role, int64_t county,
		      int64_t institution);
/* Links an account to the person it belongs to (0: none). */
int store_user_set_person(struct store *s, int64_t id, int64_t person);
/* The address notifications are e-mailed to (NULL: none). */
int store_user_set_email(struct store *s, int64_t id, const char *email);

int store_session_add(struct store *s, const char *token_hash, int64_t user, const char *csrf, int64_t now,
		      int64_t expires);
/* The session's user (public fields) plus "csrf" and "last_seen"; NRM_ENOTFOUND when absent,
 * expired, or the user is disabled. */
int store_session_get(struct store *s, const char *token_hash, int64_t now, json_t **out);
int store_session_touch(struct store *s, const char *token_hash, int64_t now);
int store_session_delete(struct store *s, const char *token_hash);
int store_sessions_delete_user(struct store *s, int64_t user);
/* Ends every session of the user but `keep` (a password change logs out other devices). */
int store_sessions_delete_other(struct store *s, int64_t user, const char *keep);
/* Removes expired sessions and the personal-data reasons given in them. */
int store_sessions_purge(struct store *s, int64_t now);

#endif
