/* User accounts and their sessions, shared by the API and the command line: creating and
 * changing accounts (the administrator; the console's operator), logging in and out, the
 * idle timeout, a user's own language and password. Each change is one transaction with its
 * audit row. json_t ** out-parameters receive new references, written only on success. */
#ifndef NRM_USER_USER_H
#define NRM_USER_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"
#include "secure/token.h"

#define SESSION_IDLE (30 * 60)      /* seconds without a request before a session ends */
#define SESSION_MAX_AGE (12 * 3600) /* seconds a session lasts at most */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_SECONDS (15 * 60)

/* The principal of the command line's operator: trusted as the administrator, id 0. */
void user_operator(struct principal *out);

/* A user as the API shows it, with what the UI may offer them ("can"); steals user. */
json_t *user_view(const struct principal *p, json_t *user);

/* Accounts of a county (0 = all), keyset by id: the administrator only. */
int user_list(struct nrm_ctx *c, int64_t county, int64_t after, int limit, json_t **out, struct nrm_err *err);
/* One account: the administrator's, or one's own. */
int user_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* The id of the account named username; unknown_user when there is none. */
int user_find(struct nrm_ctx *c, const char *username, int64_t *id, struct nrm_err *err);
/* {"username", "name", "role", "county"?, "institution"?, "person"?, "password"}: role, county and
 * institution must fit (county roles need a county, case workers an institution). */
int user_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
/* {"name"?, "role"?, "county"?, "institution"?, "person"? (the registry person the account belongs
 * to; null: none), "disabled"?, "password"?}: a changed role,
 * a new password or disabling ends the account's sessions. */
int user_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

/* A session begun by a login. */
struct session_new {
	char token[TOKEN_LEN]; /* the cookie's value, never stored */
	char csrf[TOKEN_LEN];
	json_t *user;          /* the user as user_view shows it (new reference) */
};
/* Checks the password (Argon2id) and opens a session. A locked account says so only to
 * someone who knows its password (*retry_after: seconds until it opens); otherwise
 * wrong_credentials, whether or not the username exists, at the same cost. */
int session_login(struct nrm_ctx *c, const char *username, const char *password, struct session_new *out,
		  int64_t *retry_after, struct nrm_err *err);
/* What session_check learns of a session. */
struct session_seen {
	struct principal me;
	char hash[TOKEN_HASH_LEN]; /* the token's hash */
	char csrf[TOKEN_LEN];
	int64_t idle_left;         /* seconds before the idle timeout ends it */
};
/* The session of a cookie token: fills *out and, unless `background` (a poll the page makes
 * by itself: the unread count, the home's counts), marks the session used, so that only what
 * the user does keeps it alive. NRM_EAUTH with key session_expired when it ended (idle, too
 * old, the account disabled), unauthorized when there is none. */
int session_check(struct nrm_ctx *c, const char *token, bool background, struct session_seen *out,
		  struct nrm_err *err);
/* Ends the caller's session (c->session) and forgets the reasons given in it. */
int session_logout(struct nrm_ctx *c, struct nrm_err *err);
/* {"lang"?: "sq" | "en", "email"?: an address or null}: the caller's language and the address
 * notifications are e-mailed to; *out is the user view. */
int session_set_own(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
/* {"current", "new"}: ends the caller's other sessions. */
int session_change_password(struct nrm_ctx *c, json_t *in, struct nrm_err *err);

/* Drafts of long forms, the caller's own: form and key are 1 to 64 of [a-z0-9_-]
 * (draft_name otherwise). draft_put {"data": {...}} → {form, key, updated_at}; draft_get →
 * {form, key, data, updated_at} or no_such_draft; a user keeps at most DRAFT_MAX; draft_delete → {deleted}; draft_list →
 * [{form, key, updated_at}], newest first. Drafts older than DRAFT_DAYS are forgotten. */
#define DRAFT_DAYS 30
#define DRAFT_MAX 50 /* drafts a user may keep at once (drafts_too_many beyond) */
int draft_put(struct nrm_ctx *c, const char *form, const char *key, json_t *in, json_t **out, struct nrm_err *err);
int draft_get(struct nrm_ctx *c, const char *form, const char *key, json_t **out, struct nrm_err *err);
int draft_delete(struct nrm_ctx *c, const char *form, const char *key, json_t **out, struct nrm_err *err);
int draft_list(struct nrm_ctx *c, json_t **out, struct nrm_err *err);

#endif
