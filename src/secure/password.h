/* Password hashing with Argon2id (libsodium) and the rules a new password must meet. */
#ifndef NRM_SECURE_PASSWORD_H
#define NRM_SECURE_PASSWORD_H

#include <sodium.h>

#include "core/err.h"

#define PASSWORD_HASH_LEN crypto_pwhash_STRBYTES
#define PASSWORD_MIN_LEN 12
#define PASSWORD_MAX_LEN 256

/* Must be called once before any other secure_* function. Returns 0 or NRM_EIO. */
int secure_init(void);
/* Hashes pw into out (NUL-terminated). Costs about 0.2 s by design (a second of a core on a
 * slow one), spent on the hashing threads at a lower priority while the caller waits;
 * NRM_EBUSY when too many hashes wait already (password.c says how many). Thread-safe. */
int secure_password_hash(const char *pw, char out[PASSWORD_HASH_LEN]);
/* The demo accounts' published password (README, `nrm init --demo`). */
#define SECURE_DEMO_PASSWORD "demo"
/* Hashes the demo accounts' password: the published SECURE_DEMO_PASSWORD at libsodium's
 * minimum cost — a slow hash defends a secret, and everyone knows this one, while every demo
 * login (the demos, the tests) would pay 0.3 s of CPU for nothing; any other password (a
 * chosen `--demo-password`) at the full cost of secure_password_hash. */
int secure_password_hash_demo(const char *pw, char out[PASSWORD_HASH_LEN]);
/* 0 when pw matches hash, NRM_EAUTH otherwise (NRM_EBUSY: too many at once, try again).
 * Runs on the hashing threads, as secure_password_hash. */
int secure_password_verify(const char *hash, const char *pw);
/* Loads the list of passwords too common to accept (data/passwords/weak.txt: one a line,
 * '#' comments), replacing any loaded before; call before serving (the list is then read by
 * every thread). *n is how many were loaded. NRM_EIO when the file cannot be read. */
int secure_password_list_load(const char *path, size_t *n, struct nrm_err *err);
/* How many known-weak passwords are loaded (0: the list was not found). */
size_t secure_password_list_size(void);
/* Checks the rules for a password chosen by a person (never the demo one, a choice of
 * `nrm init --demo-password`): at least PASSWORD_MIN_LEN characters, not containing the
 * account's username (may be NULL), not a known-weak password give or take digits and
 * symbols around it, not one character repeated. Errors name field. */
int secure_password_acceptable(const char *pw, const char *username, const char *field, struct nrm_err *err);

#endif
