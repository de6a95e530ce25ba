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

/* What a login needs of an account: id, password_hash, disabled, role, totp_secret (sealed or
 * null), totp_step, totp_exempt, last_login_at. NRM_ENOTFOUND when there is none. */
int store_user_auth(struct store *s, const char *username, json_t **out);
int store_user_auth_id(struct store *s, int64_t id, json_t **out);
/* Marks a demo user as needing no second factor (nrm init --demo only). */
int store_user_set_totp_exempt(struct store *s, int64_t id);
/* How many accounts are so marked (the serve banner). */
int store_users_totp_exempt(struct store *s, int64_t *n);
/* The sealed secret shown for enrolment and not yet confirmed (NULL: none); *out malloc'd. */
int store_user_totp_pending_set(struct store *s, int64_t id, const char *sealed);
int store_user_totp_pending(struct store *s, int64_t id, char **out);
/* The confirmed secret replaces any other, the pending one is dropped, `step` counts as used. */
int store_user_totp_set(struct store *s, int64_t id, const char *sealed, int64_t step);
/* Records `step` as used; NRM_ECONFLICT when it (or a later one) was used already. */
int store_user_totp_use(struct store *s, int64_t id, int64_t step);
/* Forgets the second factor and its recovery codes (the administrator's reset). */
int store_user_totp_clear(struct store *s, int64_t id);
/* Replaces the account's recovery codes by these keyed hashes. */
int store_recovery_codes_set(struct store *s, int64_t id, const char *const *hashes, size_t n);
/* Spends one unused recovery code; NRM_ENOTFOUND when there is no such unused code. */
int store_recovery_code_use(struct store *s, int64_t id, const char *hash, int64_t now);
int store_recovery_codes_left(struct store *s, int64_t id, int64_t *n);
int store_user_set_last_login(struct store *s, int64_t id, int64_t now);

/* Failed logins: account is a keyed hash of the name typed (so unknown names count alike and
 * no typed text is stored), user the account when there is one, addr the client's address,
 * kind "password" or "code". */
int store_login_failure_add(struct store *s, const char *account, int64_t user, const char *addr, const char *kind,
			    int64_t now);
/* How many failures since `since` match account (NULL: any) and addr (NULL: any), and when
 * the last was (0: none). */
int store_login_failures_count(struct store *s, const char *account, const char *addr, int64_t since, int64_t *n,
			       int64_t *last);
/* The account's failures since `since`, newest first, at most `limit`: [{ts, addr, kind}]; and the count. */
int store_login_failures_of(struct store *s, int64_t user, int64_t since, int limit, json_t **out, int64_t *n);
/* Forgets failures older than `before`. */
int store_login_failures_purge(struct store *s, int64_t before);
/* A browser that logged in as user before (token_hash of its device cookie). */
int store_device_known(struct store *s, const char *token_hash, int64_t user);
int store_device_add(struct store *s, const char *token_hash, int64_t user, int64_t now);

/* A session; stage "full", or a first step: "code" (the second factor awaited) or "enrol"
 * (may only enrol a second factor). */
int store_session_add(struct store *s, const char *token_hash, int64_t user, const char *csrf, int64_t now,
		      int64_t expires, const char *stage);
int store_session_set_stage(struct store *s, const char *token_hash, const char *stage);
/* Counts a wrong code in a session awaiting one; *tries is the new count. */
int store_session_try(struct store *s, const char *token_hash, int64_t *tries);
/* The session's user (public fields) plus "csrf", "last_seen", "stage" and "tries"; NRM_ENOTFOUND when absent,
 * expired, or the user is disabled. */
int store_session_get(struct store *s, const char *token_hash, int64_t now, json_t **out);
int store_session_touch(struct store *s, const char *token_hash, int64_t now);

/* API tokens (schema 26): each the key of one API client account (users.id = user_id), stored
 * by its hash. store_token_add writes a new one; store_token_by_hash finds a live one (not
 * revoked, not expired at now, its account enabled) with the account's fields (as
 * store_user_get) and the token's id, name and expires_at; store_tokens lists them all, newest
 * first, never with a hash; store_token_revoke ends one (NRM_ENOTFOUND when there is none,
 * NRM_ECONFLICT when it was revoked already); store_token_used notes its last use (at most
 * once a minute: its own transaction). */
int store_token_add(struct store *s, int64_t user_id, const char *token_hash, const char *name, int64_t by,
		    int64_t expires_at, int64_t *id);
int store_token_by_hash(struct store *s, const char *token_hash, int64_t now, json_t **out);
int store_tokens(struct store *s, json_t **out);
int store_token_get(struct store *s, int64_t id, json_t **out);
int store_token_revoke(struct store *s, int64_t id, int64_t by);
int store_token_used(struct store *s, int64_t id, int64_t now);
int store_session_delete(struct store *s, const char *token_hash);
int store_sessions_delete_user(struct store *s, int64_t user);
/* Ends every session of the user but `keep` (a password change logs out other devices). */
int store_sessions_delete_other(struct store *s, int64_t user, const char *keep);
/* Removes expired sessions and the personal-data reasons given in them. */
int store_sessions_purge(struct store *s, int64_t now);

#endif
