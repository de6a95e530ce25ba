/* Argon2id password hashing. */
#include "secure/password.h"

#include <stdatomic.h>
#include <string.h>

/* Each hash takes 64 MiB for 0.2 s: at most this many at once, so a flood of logins cannot
 * exhaust the server's memory; the rest are told to try again (503). */
#define MAX_HASHING 4
static atomic_int hashing;

static int enter(void)
{
	if (atomic_fetch_add(&hashing, 1) >= MAX_HASHING) {
		atomic_fetch_sub(&hashing, 1);
		return NRM_EBUSY;
	}
	return 0;
}

static void leave(void)
{
	atomic_fetch_sub(&hashing, 1);
}

int secure_init(void)
{
	return sodium_init() < 0 ? NRM_EIO : 0;
}

int secure_password_hash(const char *pw, char out[PASSWORD_HASH_LEN])
{
	/* 6 passes over 64 MiB: about 0.2 s on an office PC, far too slow to guess at. */
	if (enter())
		return NRM_EBUSY;
	int rc = crypto_pwhash_str(out, pw, strlen(pw), 6, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 ? NRM_ENOMEM : 0;
	leave();
	return rc;
}

int secure_password_verify(const char *hash, const char *pw)
{
	if (enter())
		return NRM_EBUSY;
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : NRM_EAUTH;
	leave();
	return rc;
}

int secure_password_acceptable(const char *pw, const char *field, struct nrm_err *err)
{
	size_t n = strlen(pw);
	char b[24];
	if (n < PASSWORD_MIN_LEN)
		return nrm_fail(err, NRM_EINVAL, KEY_password_short, field, "min", nrm_num(b, PASSWORD_MIN_LEN), NULL);
	if (n > PASSWORD_MAX_LEN)
		return nrm_fail(err, NRM_EINVAL, KEY_password_long, field, "max", nrm_num(b, PASSWORD_MAX_LEN), NULL);
	return 0;
}
