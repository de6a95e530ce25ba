/* The second factor: time-based one-time passwords (RFC 6238 through liboath: HMAC-SHA1,
 * 6 digits, 30-second steps, the authenticator apps' defaults) and single-use recovery codes.
 * Secrets are handled in base32 here and stored only sealed (crypt_seal_text) by the caller;
 * none of these functions logs anything. */
#ifndef NRM_SECURE_TOTP_H
#define NRM_SECURE_TOTP_H

#include <stdint.h>
#include <time.h>

#include "core/err.h"
#include "secure/crypt.h"

#define TOTP_SECRET_B32 40 /* 20 random bytes in base32 (32 characters), with NUL */
#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define RECOVERY_CODES 10
#define RECOVERY_CODE_LEN 12 /* "xxxxx-xxxxx" with NUL: about 49 random bits */

/* Must be called once before the others (liboath's own initialisation). 0 or NRM_EIO. */
int secure_totp_init(void);
/* A new random secret. */
int secure_totp_secret(char out[TOTP_SECRET_B32]);
/* Checks a 6-digit code against the secret at time `now`, one step either side for clocks
 * that drift; on success *step is the time step (now / 30) the code belongs to, which the
 * caller records so the same code is not accepted twice. NRM_EAUTH when it does not match. */
int secure_totp_check(const char *b32, time_t now, const char *code, int64_t *step);
/* The code of a secret at time `now` (tests and the command line's checks). */
int secure_totp_code(const char *b32, time_t now, char out[TOTP_DIGITS + 1]);
/* The context a second-factor secret of account `id` is sealed for (crypt_seal_text): kind
 * "totp" (set up) or "totp-pending" (awaiting its first code), so a sealed secret copied to
 * another account, or from pending to set up, does not open. */
void secure_totp_context(char out[40], const char *kind, int64_t id);
/* Opens a secret sealed for (kind, id) into b32, the only copy of the clear text (the caller
 * wipes it). NRM_EAUTH when it does not open. */
int secure_totp_open(const struct crypt_keys *k, const char *kind, int64_t id, const char *sealed,
		     char b32[TOTP_SECRET_B32]);
/* A new recovery code, lower-case letters and digits without look-alikes, "xxxxx-xxxxx". */
void secure_recovery_code(char out[RECOVERY_CODE_LEN]);
/* The keyed hash (64 hex digits) a recovery code is stored under, with the key of keyring
 * version `version` (0: the current one). A key rotation cannot hash again codes it never sees
 * in clear, so a code given at login is looked for under every version the keyring still holds,
 * newest first. NRM_ENOTFOUND when the keyring has no such version. */
int secure_recovery_hash(const struct crypt_keys *k, uint32_t version, const char *code, char out[65]);

#endif
