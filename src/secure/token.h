/* Random tokens for sessions and CSRF, and the one-way hash under which a session is stored. */
#ifndef NRM_SECURE_TOKEN_H
#define NRM_SECURE_TOKEN_H

#define TOKEN_LEN 44      /* base64url of 32 random bytes, with NUL */
#define TOKEN_HASH_LEN 65 /* hex of a 32-byte BLAKE2b digest, with NUL */

void secure_token(char out[TOKEN_LEN]);
/* Hex BLAKE2b-256 of s: sessions are stored by this, so a leaked database holds no live token. */
void secure_token_hash(const char *s, char out[TOKEN_HASH_LEN]);
/* Constant-time comparison of two NUL-terminated strings. */
int secure_streq(const char *a, const char *b);

#endif
