/* Field encryption and blind indexes with libsodium; normalisation with utf8proc. */
#include "secure/crypt.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES

int crypt_load_keys(const char *path, struct crypt_keys *out, struct nrm_err *err)
{
	unsigned char master[32];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_key_unreadable, "key", "path", path, NULL);
	int rc = 0;
	if (fstat(fd, &st) != 0 || st.st_size != 32)
		rc = nrm_fail(err, NRM_EINVAL, KEY_key_size, "key", "path", path, NULL);
	else if (st.st_mode & 077)
		rc = nrm_fail(err, NRM_EINVAL, KEY_key_mode, "key", "path", path, NULL);
	else if (read(fd, master, sizeof master) != (ssize_t)sizeof master)
		rc = nrm_fail(err, NRM_EIO, KEY_key_unreadable, "key", "path", path, NULL);
	close(fd);
	if (rc)
		return rc;
	crypto_kdf_derive_from_key(out->enc, sizeof out->enc, 1, "nrm-case", master);
	crypto_kdf_derive_from_key(out->blind, sizeof out->blind, 2, "nrm-case", master);
	crypto_kdf_derive_from_key(out->sign, sizeof out->sign, 3, "nrm-case", master);
	sodium_memzero(master, sizeof master);
	return 0;
}

void crypt_keys_wipe(struct crypt_keys *k)
{
	sodium_memzero(k, sizeof *k);
}

/* Associated data "case:<id>:<field>": a ciphertext is valid only where it was written. */
static size_t ad_of(char *ad, size_t cap, int64_t case_id, const char *field)
{
	int n = snprintf(ad, cap, "case:%lld:%s", (long long)case_id, field);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

int crypt_seal(const struct crypt_keys *k, int64_t case_id, const char *field, const void *pt, size_t n,
	       unsigned char **out, size_t *outlen)
{
	char ad[160];
	size_t adl = ad_of(ad, sizeof ad, case_id, field);
	unsigned char *buf = malloc(NONCE + n + TAG);
	if (!buf)
		return NRM_ENOMEM;
	randombytes_buf(buf, NONCE);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(buf + NONCE, &clen, pt, n, (const unsigned char *)ad, adl, NULL, buf,
						   k->enc);
	*out = buf;
	*outlen = NONCE + (size_t)clen;
	return 0;
}

int crypt_open(const struct crypt_keys *k, int64_t case_id, const char *field, const unsigned char *ct, size_t n,
	       char **pt, size_t *ptlen)
{
	if (n < NONCE + TAG)
		return NRM_EAUTH;
	char ad[160];
	size_t adl = ad_of(ad, sizeof ad, case_id, field);
	unsigned char *buf = malloc(n - NONCE - TAG + 1);
	if (!buf)
		return NRM_ENOMEM;
	unsigned long long plen = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(buf, &plen, NULL, ct + NONCE, n - NONCE, (const unsigned char *)ad,
						       adl, ct, k->enc) != 0) {
		free(buf);
		return NRM_EAUTH;
	}
	buf[plen] = '\0';
	*pt = (char *)buf;
	*ptlen = (size_t)plen;
	return 0;
}

#define TEXT_PREFIX "enc1:"

void crypt_reason_context(char out[64], const char *code)
{
	if (code)
		snprintf(out, 64, "reason:%s", code);
	else
		snprintf(out, 64, "reason");
}

int crypt_is_sealed(const char *stored)
{
	return stored && strncmp(stored, TEXT_PREFIX, sizeof TEXT_PREFIX - 1) == 0;
}

int crypt_seal_text(const struct crypt_keys *k, const char *context, const char *text, char **out)
{
	unsigned char *ct;
	size_t n;
	char field[96];
	snprintf(field, sizeof field, "text:%s", context);
	int rc = crypt_seal(k, 0, field, text, strlen(text), &ct, &n);
	if (rc)
		return rc;
	size_t cap = sizeof TEXT_PREFIX - 1 + sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = malloc(cap);
	if (!s) {
		free(ct);
		return NRM_ENOMEM;
	}
	memcpy(s, TEXT_PREFIX, sizeof TEXT_PREFIX - 1);
	sodium_bin2base64(s + sizeof TEXT_PREFIX - 1, cap - (sizeof TEXT_PREFIX - 1), ct, n,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(ct);
	*out = s;
	return 0;
}

int crypt_open_text(const struct crypt_keys *k, const char *context, const char *stored, char **out)
{
	if (!stored) {
		*out = NULL;
		return 0;
	}
	size_t len = strlen(stored), pl = sizeof TEXT_PREFIX - 1;
	if (len < pl || memcmp(stored, TEXT_PREFIX, pl) != 0)
		return NRM_EAUTH;
	unsigned char *bin = malloc(len);
	size_t n = 0;
	if (!bin)
		return NRM_ENOMEM;
	if (sodium_base642bin(bin, len, stored + pl, len - pl, NULL, &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
		free(bin);
		return NRM_EAUTH;
	}
	char field[96], *pt;
	size_t ptlen;
	snprintf(field, sizeof field, "text:%s", context);
	int rc = crypt_open(k, 0, field, bin, n, &pt, &ptlen);
	free(bin);
	if (!rc)
		*out = pt;
	return rc;
}

int crypt_normalise(const char *in, char **out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in, 0, &mapped,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
						  UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
	if (n < 0)
		return NRM_EINVAL;
	char *res = malloc((size_t)n + 1);
	if (!res) {
		free(mapped);
		return NRM_ENOMEM;
	}
	size_t o = 0;
	int space = 0;
	utf8proc_ssize_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(mapped + i, n - i, &cp);
		if (len <= 0)
			break;
		utf8proc_category_t cat = utf8proc_category(cp);
		int keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			   (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		if (keep) {
			if (space && o)
				res[o++] = ' ';
			space = 0;
			memcpy(res + o, mapped + i, (size_t)len);
			o += (size_t)len;
		} else {
			space = 1;
		}
		i += len;
	}
	res[o] = '\0';
	free(mapped);
	*out = res;
	return 0;
}

int crypt_blind(const struct crypt_keys *k, const char *kind, const char *const *parts, size_t n, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	static const unsigned char sep = 0x1f;
	crypto_generichash_init(&st, k->blind, sizeof k->blind, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind));
	for (size_t i = 0; i < n; i++) {
		char *norm;
		if (!parts[i] || crypt_normalise(parts[i], &norm) != 0)
			return NRM_EINVAL;
		if (strcmp(kind, "document") == 0) {
			/* "AB 123-45" and "ab12345" are the same document number. */
			size_t o = 0;
			for (size_t j = 0; norm[j]; j++)
				if (norm[j] != ' ')
					norm[o++] = norm[j];
			norm[o] = '\0';
		}
		size_t len = strlen(norm);
		if (len)
			crypto_generichash_update(&st, &sep, 1), crypto_generichash_update(&st, (unsigned char *)norm, len);
		free(norm);
		if (!len)
			return NRM_EINVAL;
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

int crypt_seal_json(const struct crypt_keys *k, int64_t id, const char *field, const json_t *v, unsigned char **out,
		    size_t *outlen)
{
	char *txt = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!txt)
		return NRM_ENOMEM;
	size_t n = strlen(txt);
	int rc = crypt_seal(k, id, field, txt, n, out, outlen);
	sodium_memzero(txt, n);
	free(txt);
	return rc;
}

int crypt_open_json(const struct crypt_keys *k, int64_t id, const char *field, const unsigned char *ct, size_t n,
		    json_t **out)
{
	char *pt;
	size_t len;
	int rc = crypt_open(k, id, field, ct, n, &pt, &len);
	if (rc)
		return rc;
	json_t *v = json_loadb(pt, len, JSON_DECODE_ANY, NULL);
	sodium_memzero(pt, len);
	free(pt);
	if (!v)
		return NRM_EIO;
	*out = v;
	return 0;
}

static void keypair(const struct crypt_keys *k, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
		    unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	crypto_sign_seed_keypair(pk, sk, k->sign);
}

int crypt_sign(const struct crypt_keys *k, const char *msg, char **sig)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], s[crypto_sign_BYTES];
	keypair(k, pk, sk);
	crypto_sign_detached(s, NULL, (const unsigned char *)msg, strlen(msg), sk);
	sodium_memzero(sk, sizeof sk);
	size_t cap = sodium_base64_ENCODED_LEN(sizeof s, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(cap);
	if (!out)
		return NRM_ENOMEM;
	sodium_bin2base64(out, cap, s, sizeof s, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*sig = out;
	return 0;
}

void crypt_sign_public(const struct crypt_keys *k, char out[64])
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	keypair(k, pk, sk);
	sodium_memzero(sk, sizeof sk);
	sodium_bin2base64(out, 64, pk, sizeof pk, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int crypt_verify(const char *pub, const char *msg, const char *sig)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], s[crypto_sign_BYTES];
	size_t pn, sn;
	if (!pub || !sig || !msg ||
	    sodium_base642bin(pk, sizeof pk, pub, strlen(pub), NULL, &pn, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    pn != sizeof pk ||
	    sodium_base642bin(s, sizeof s, sig, strlen(sig), NULL, &sn, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    sn != sizeof s)
		return NRM_EAUTH;
	return crypto_sign_verify_detached(s, (const unsigned char *)msg, strlen(msg), pk) == 0 ? 0 : NRM_EAUTH;
}

void crypt_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int crypt_key_version(const struct crypt_keys *k)
{
	(void)k;
	return 1;
}

int crypt_backup_key(const struct crypt_keys *k, int version, unsigned char key[32], char pub[64])
{
	if (version != crypt_key_version(k))
		return NRM_ENOTFOUND;
	crypto_kdf_derive_from_key(key, 32, 1, "nrm-bkup", k->enc);
	crypt_sign_public(k, pub);
	return 0;
}
