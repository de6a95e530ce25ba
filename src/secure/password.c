/* Argon2id password hashing. */
#include "secure/password.h"

#include <string.h>

int secure_init(void)
{
	return sodium_init() < 0 ? NRM_EIO : 0;
}

int secure_password_hash(const char *pw, char out[PASSWORD_HASH_LEN])
{
	/* 3 passes over 64 MiB: about 0.2 s on an office PC, far too slow to guess at. */
	if (crypto_pwhash_str(out, pw, strlen(pw), 3, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return NRM_ENOMEM;
	return 0;
}

int secure_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : NRM_EAUTH;
}

int secure_password_acceptable(const char *pw, struct nrm_err *err)
{
	size_t n = strlen(pw);
	if (n < PASSWORD_MIN_LEN)
		return nrm_fail(err, NRM_EINVAL, "password", "password must have at least %d characters",
				PASSWORD_MIN_LEN);
	if (n > 256)
		return nrm_fail(err, NRM_EINVAL, "password", "password is longer than 256 characters");
	return 0;
}
