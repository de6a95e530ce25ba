/* Password hashing with Argon2id (libsodium) and the rules a new password must meet. */
#ifndef NRM_SECURE_PASSWORD_H
#define NRM_SECURE_PASSWORD_H

#include <sodium.h>

#include "core/err.h"

#define PASSWORD_HASH_LEN crypto_pwhash_STRBYTES
#define PASSWORD_MIN_LEN 8
#define PASSWORD_MAX_LEN 256

/* Must be called once before any other secure_* function. Returns 0 or NRM_EIO. */
int secure_init(void);
/* Hashes pw into out (NUL-terminated). Costs about 0.2 s by design; NRM_EBUSY when too many
 * hashes run at once. */
int secure_password_hash(const char *pw, char out[PASSWORD_HASH_LEN]);
/* 0 when pw matches hash, NRM_EAUTH otherwise (NRM_EBUSY: too many at once, try again). */
int secure_password_verify(const char *hash, const char *pw);
/* Checks the rules for a password chosen by a person (not the demo one); errors name field. */
int secure_password_acceptable(const char *pw, const char *field, struct nrm_err *err);

#endif
