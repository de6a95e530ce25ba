/* Session and CSRF tokens. */
#include "secure/token.h"

#include <sodium.h>
#include <string.h>

void secure_token(char out[TOKEN_LEN])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, TOKEN_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void secure_token_hash(const char *s, char out[TOKEN_HASH_LEN])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, TOKEN_HASH_LEN, h, sizeof h);
}

int secure_streq(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}
