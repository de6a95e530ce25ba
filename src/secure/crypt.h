/* Protection of victims' personal data at rest: per-field authenticated encryption
 * (XChaCha20-Poly1305, the case id and field name as associated data) and keyed blind
 * indexes (BLAKE2b) of normalised names and document numbers for exact search and
 * de-duplication without clear text in the database. Keys come from FILE.key. */
#ifndef NRM_SECURE_CRYPT_H
#define NRM_SECURE_CRYPT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct crypt_keys {
	unsigned char enc[32];   /* field encryption */
	unsigned char blind[32]; /* blind indexes */
	unsigned char sign[32];  /* the seed of the Ed25519 key that signs approved reports */
};

/* Reads the 32-byte master key at path and derives the sub-keys. Refuses a key file of the
 * wrong size or readable by group or others. */
int crypt_load_keys(const char *path, struct crypt_keys *out, struct nrm_err *err);
void crypt_keys_wipe(struct crypt_keys *k);

/* Encrypts n bytes for (case_id, field). *out (malloc'd, free() it) = nonce || ciphertext || tag. */
int crypt_seal(const struct crypt_keys *k, int64_t case_id, const char *field, const void *pt, size_t n,
	       unsigned char **out, size_t *outlen);
/* Decrypts what crypt_seal made for the same (case_id, field); *pt is malloc'd and NUL-terminated.
 * NRM_EAUTH when the data was altered, moved to another case or field, or the key is wrong. */
int crypt_open(const struct crypt_keys *k, int64_t case_id, const char *field, const unsigned char *ct, size_t n,
	       char **pt, size_t *ptlen);

/* A JSON value (a field's value) sealed as crypt_seal does, and opened back into a new
 * reference; the clear text is wiped from memory on the way. */
int crypt_seal_json(const struct crypt_keys *k, int64_t id, const char *field, const json_t *v, unsigned char **out,
		    size_t *outlen);
int crypt_open_json(const struct crypt_keys *k, int64_t id, const char *field, const unsigned char *ct, size_t n,
		    json_t **out);

/* Free text written about a person outside the form (a reason for reading, editing or
 * referring, a note): stored as "enc1:" + base64 of nonce, ciphertext and tag, with
 * `context` as associated data, so it opens only where it was written (crypt_reason_context).
 * *out is malloc'd (free() it). */
int crypt_seal_text(const struct crypt_keys *k, const char *context, const char *text, char **out);
/* Opens what crypt_seal_text made for the same context into *out (malloc'd). NULL gives NULL.
 * NRM_EAUTH when it was altered, moved or sealed elsewhere. */
int crypt_open_text(const struct crypt_keys *k, const char *context, const char *stored, char **out);
/* Whether stored text is sealed (starts "enc1:"). */
int crypt_is_sealed(const char *stored);
/* The context of reasons and notes about the person of case `code` (events, referrals, reads
 * of personal data, the audit rows of the case), or of a reason about no one case (NULL). */
void crypt_reason_context(char out[64], const char *code);

/* Signs msg with the key of `k` (Ed25519): *sig is base64 (URL-safe, no padding), malloc'd. */
int crypt_sign(const struct crypt_keys *k, const char *msg, char **sig);
/* The public key of that signature as base64 into out (a buffer of 64 bytes). */
void crypt_sign_public(const struct crypt_keys *k, char out[64]);
/* 0 when sig (base64) is a signature of msg by public key pub (base64); NRM_EAUTH otherwise. */
int crypt_verify(const char *pub, const char *msg, const char *sig);
/* The SHA-256 of n bytes as 64 hex digits. */
void crypt_sha256_hex(const void *data, size_t n, char out[65]);

/* Keys of backups (nrm backup / nrm restore). A backup records the key version it was made
 * with, so that one made before a key rotation stays restorable: these two functions are the
 * only place that maps a version to keys. Today the key file holds one key, version 1; the
 * keyring of `nrm key rotate` adapts them (older versions looked up in the ring). */
/* The version of the key that new backups are made with. */
int crypt_key_version(const struct crypt_keys *k);
/* The key that encrypts backups made with key version `version` (BLAKE2b key derivation from
 * that version's field key, context "nrm-bkup", so it never equals a key used elsewhere), and
 * the Ed25519 public key (base64 as crypt_sign_public) their signature must verify with.
 * NRM_ENOTFOUND when the key file holds no such version. key is secret: wipe it after use. */
int crypt_backup_key(const struct crypt_keys *k, int version, unsigned char key[32], char pub[64]);

/* Normalises text for matching: Unicode compatibility decomposition, case folding, marks
 * stripped (Ë→e, Ç→c), anything but letters and digits dropped, words joined by one space.
 * *out is malloc'd; empty when nothing is left. */
int crypt_normalise(const char *in, char **out);
/* Keyed hash (hex) of `kind` and the normalised parts; parts that normalise to nothing make
 * the result NRM_EINVAL (nothing to index). For kind "document" spaces are dropped too. */
int crypt_blind(const struct crypt_keys *k, const char *kind, const char *const *parts, size_t n, char out[65]);

#endif
