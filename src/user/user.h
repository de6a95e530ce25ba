/* User accounts and their sessions, shared by the API and the command line: creating and
 * changing accounts (the administrator; the console's operator), logging in and out, the
 * idle timeout, a user's own language and password. Each change is one transaction with its
 * audit row. json_t ** out-parameters receive new references, written only on success. */
#ifndef NRM_USER_USER_H
#define NRM_USER_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"
#include "secure/token.h"

#define SESSION_IDLE (30 * 60)      /* seconds without a request before a session ends */
#define SESSION_MAX_AGE (12 * 3600) /* seconds a session lasts at most */
/* Failed logins slow down, they never lock (user/login.c): each failure is kept with the
 * account typed (a keyed hash of the name) and the client's address; after a few failures the
 * next attempt must wait, a wait that doubles with each further failure inside the window. Three
 * keys: the account from one address, the address for any account, and the account from any
 * address; the last is waived for a browser that logged in to the account before (its
 * known-device cookie), so a stranger's failures never keep the owner out. */
#define LOGIN_WINDOW (15 * 60)  /* failures older than this are not counted for the slowdown */
#define LOGIN_FREE_PAIR 3       /* failures of one account from one address before a wait */
#define LOGIN_FREE_ADDR 10      /* failures from one address, whatever the account */
#define LOGIN_FREE_ACCOUNT 10   /* failures of one account from anywhere (known devices exempt) */
#define LOGIN_FIRST_WAIT 5      /* seconds of the first wait, doubled for each further failure */
#define LOGIN_MAX_WAIT (15 * 60)
#define LOGIN_ACCOUNT_MAX_WAIT 60 /* the account's own wait stays short: its owner may be the one waiting */
#define LOGIN_KEEP_DAYS 90      /* failures are kept this long for the notice and the auditor */
#define CODE_SECONDS (5 * 60)   /* a password accepted waits this long for its second factor */
#define CODE_MAX_TRIES 5        /* wrong codes before the password must be given again */
#define DEVICE_DAYS 180         /* a known-device cookie lasts this long */

/* The principal of the command line's operator: trusted as the administrator, id 0. */
void user_operator(struct principal *out);

/* A user as the API shows it, with what the UI may offer them ("can"); steals user. */
json_t *user_view(const struct principal *p, json_t *user);

/* NRM_EFORBIDDEN users_admin_only unless the caller manages accounts. */
int user_need_admin(struct nrm_ctx *c, struct nrm_err *err);
/* Whether role, county (a slug, or NULL) and institution (0: none) fit — county roles need a
 * county, case workers an institution (whose county they take), national roles neither — and
 * the county's id (0: none) into *county. */
int user_scope_check(struct nrm_ctx *c, const char *role, const char *cslug, int64_t inst, int64_t *county,
		     struct nrm_err *err);

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

/* A login attempt: what was typed, the client's address, the known-device cookie (or NULL). */
struct login_try {
	const char *username;
	const char *password;
	const char *addr;
	const char *device;
};
/* A session begun by a login. */
struct session_new {
	char token[TOKEN_LEN];  /* the cookie's value, never stored */
	char csrf[TOKEN_LEN];
	char device[TOKEN_LEN]; /* a known-device cookie to set ("" when none) */
	const char *stage;      /* "full"; "code": the second factor awaited; "enrol": may only enrol one */
	json_t *user;           /* the user as user_view shows it (new reference); NULL for "code" */
	json_t *failed;         /* {"count", "items": [{"at", "addr", "kind"}]}: failed logins since the
				 * last login, told at a full login (new reference); NULL otherwise */
};
/* Checks the password (Argon2id) and opens a session: a full one, or for an account with a
 * second factor a first step ("code", CODE_SECONDS), or for an account whose role needs one
 * and that has none yet an "enrol" session (demo users are exempt). Too many recent failures
 * give NRM_ELOCKED (login_slowed, *retry_after: seconds to wait) before the password is even
 * checked; otherwise wrong_credentials, whether or not the username exists, at the same cost.
 * *out's references are the caller's. */
int session_login(struct nrm_ctx *c, const struct login_try *t, struct session_new *out, int64_t *retry_after,
		  struct nrm_err *err);
/* The second step: {"code": "123456"} or {"recovery_code": "xxxxx-xxxxx"} in the session
 * awaiting it (c->session); on success that session ends and a full one begins (*out as
 * session_login's). A wrong code counts as a failed login; CODE_MAX_TRIES end the first step. */
int session_second_factor(struct nrm_ctx *c, const char *addr, const char *device, json_t *in, struct session_new *out,
			  struct nrm_err *err);
/* What session_check learns of a session. */
struct session_seen {
	struct principal me;
	char hash[TOKEN_HASH_LEN]; /* the token's hash */
	char csrf[TOKEN_LEN];
	char stage[8];             /* "full", "code" or "enrol" */
	int64_t idle_left;         /* seconds before the idle timeout ends it */
};
/* The session of a cookie token: fills *out and, unless `background` (a poll the page makes
 * by itself: the unread count, the home's counts), marks the session used, so that only what
 * the user does keeps it alive. NRM_EAUTH with key session_expired when it ended (idle, too
 * old, the account disabled), unauthorized when there is none. */
int session_check(struct nrm_ctx *c, const char *token, bool background, struct session_seen *out,
		  struct nrm_err *err);
/* API tokens (token.c): {"client" (the account becomes "api.CLIENT"), "name", "role" (not
 * admin), "county"?, "institution"?, "days"? (1..366; 90)} → the token's row and, this once,
 * "token"; the list (never a token or its hash); a revocation (409 token_revoked when it was).
 * The administrator only. token_check: the principal of a request bearing the token (stage
 * "full", no CSRF token), NRM_EAUTH unauthorized when it is unknown, revoked, expired or its
 * account disabled. */
int token_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
int token_list(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
int token_revoke(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
int token_check(struct nrm_ctx *c, const char *token, struct session_seen *out, struct nrm_err *err);

/* Ends the caller's session (c->session) and forgets the reasons given in it. */
int session_logout(struct nrm_ctx *c, struct nrm_err *err);
/* {"lang"?: "sq" | "en", "email"?: an address or null}: the caller's language and the address
 * notifications are e-mailed to; *out is the user view. */
int session_set_own(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
/* {"current", "new"}: ends the caller's other sessions. */
int session_change_password(struct nrm_ctx *c, json_t *in, struct nrm_err *err);

/* The second factor of the caller's own account (user/totp.c).
 * totp_begin → {"secret" (base32, to type in by hand), "uri" (otpauth://), "qr" (the route of
 * its QR code), "digits", "period", "time" (the server's clock, seconds since 1970)}: a new secret awaiting confirmation (totp_enrolled when one is set up);
 * totp_qr: that secret's QR code as SVG into *svg;
 * totp_confirm {"code"} → {"recovery_codes": [RECOVERY_CODES codes, shown this once]}: the
 * secret is set up, a session that could only enrol becomes a full one;
 * totp_reset (the administrator, of account id): the second factor and recovery codes are
 * forgotten and the account's sessions end; the user enrols again at the next login. */
int totp_begin(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
int totp_qr(struct nrm_ctx *c, struct buf *svg, struct nrm_err *err);
int totp_confirm(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
int totp_reset(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* Whether the account needs a second factor: its role reads personal data or can grant itself
 * that (secure/perm.h), and it is not a demo user. */
bool user_needs_totp(json_t *user);

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
