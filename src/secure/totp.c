/* TOTP codes with liboath; recovery codes from libsodium's random generator. */
#include "secure/totp.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int secure_totp_init(void)
{
	return oath_init() == OATH_OK ? 0 : NRM_EIO;
}

int secure_totp_secret(char out[TOTP_SECRET_B32])
{
	unsigned char raw[20];
	char *b32 = NULL;
	size_t n = 0;
	randombytes_buf(raw, sizeof raw);
	int rc = oath_base32_encode((const char *)raw, sizeof raw, &b32, &n) == OATH_OK && n < TOTP_SECRET_B32 ? 0 : NRM_EIO;
	sodium_memzero(raw, sizeof raw);
	if (!rc) {
		memcpy(out, b32, n);
		out[n] = '\0';
	}
	if (b32) {
		sodium_memzero(b32, n);
		free(b32);
	}
	return rc;
}

/* The raw secret of its base32 text; *raw malloc'd (wiped and freed by the caller). */
static int decode(const char *b32, char **raw, size_t *n)
{
	*raw = NULL;
	return oath_base32_decode(b32, strlen(b32), raw, n) == OATH_OK ? 0 : NRM_EINVAL;
}

static void wipe(char *raw, size_t n)
{
	if (raw) {
		sodium_memzero(raw, n);
		free(raw);
	}
}

int secure_totp_check(const char *b32, time_t now, const char *code, int64_t *step)
{
	if (!code || strlen(code) != TOTP_DIGITS || strspn(code, "0123456789") != TOTP_DIGITS)
		return NRM_EAUTH;
	char *raw;
	size_t n;
	int rc = decode(b32, &raw, &n);
	if (rc)
		return rc;
	int pos = 0;
	uint64_t counter = 0;
	int r = oath_totp_validate4(raw, n, now, TOTP_STEP, 0, 1, &pos, &counter, 0, code);
	wipe(raw, n);
	if (r < 0)
		return NRM_EAUTH;
	*step = (int64_t)counter;
	return 0;
}

int secure_totp_code(const char *b32, time_t now, char out[TOTP_DIGITS + 1])
{
	char *raw;
	size_t n;
	int rc = decode(b32, &raw, &n);
	if (rc)
		return rc;
	rc = oath_totp_generate(raw, n, now, TOTP_STEP, 0, TOTP_DIGITS, out) == OATH_OK ? 0 : NRM_EIO;
	wipe(raw, n);
	return rc;
}

void secure_recovery_code(char out[RECOVERY_CODE_LEN])
{
	/* 31 symbols (ten of them: about 49 bits) without 0/o, 1/l/i: read off paper and typed back. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	for (int i = 0; i < RECOVERY_CODE_LEN - 1; i++)
		out[i] = i == 5 ? '-' : alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
	out[RECOVERY_CODE_LEN - 1] = '\0';
}

int secure_recovery_hash(const struct crypt_keys *k, uint32_t version, const char *code, char out[65])
{
	/* As typed back from paper: capitals, spaces and dashes do not matter. */
	char norm[64];
	size_t n = 0;
	for (const char *p = code; *p && n < sizeof norm - 1; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			norm[n++] = *p;
		else if (*p >= 'A' && *p <= 'Z')
			norm[n++] = (char)(*p - 'A' + 'a');
	unsigned char key[32], h[32];
	int rc = crypt_subkey(k, version, 1, "nrm-rcvy", key, NULL);
	if (rc)
		return rc;
	crypto_generichash(h, sizeof h, (const unsigned char *)norm, n, key, sizeof key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

void secure_totp_context(char out[40], const char *kind, int64_t id)
{
	snprintf(out, 40, "%s:%lld", kind, (long long)id);
}

int secure_totp_open(const struct crypt_keys *k, const char *kind, int64_t id, const char *sealed,
		     char b32[TOTP_SECRET_B32])
{
	char ctx[40], *pt = NULL;
	secure_totp_context(ctx, kind, id);
	int rc = crypt_open_text(k, ctx, sealed, &pt);
	if (rc)
		return rc;
	if (!pt)
		return NRM_EAUTH;
	snprintf(b32, TOTP_SECRET_B32, "%s", pt);
	sodium_memzero(pt, strlen(pt));
	free(pt);
	return 0;
}
