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

/* The key file FILE.key is a keyring: versions of a 32-byte master key, from which each
 * version derives its sub-keys (field encryption, blind indexes, the Ed25519 seed that signs
 * approved reports and audit anchors, the MAC of the audit chain). The newest version seals;
 * every version kept opens what it sealed and its public key still verifies what it signed.
 * A version is "live" until a rotation away from it has finished (blind indexes are written
 * and searched under every live version), "retired" after (kept only to open old backups and
 * verify old signatures). File format, text, mode 0600:
 *     nrm keyring
 *     1 <64 hex digits> retired
 *     2 <64 hex digits>
 * A file of exactly 32 raw bytes (what nrm wrote before keyrings) is version 1, live. */
#define CRYPT_MAX_VERSIONS 64
#define CRYPT_LIVE_MAX 4 /* live versions at once: the current one and those a rotation leaves */

struct crypt_version {
	uint32_t version;
	_Atomic int retired;
	unsigned char master[32]; /* kept to write the keyring back (rotation) */
	unsigned char enc[32];    /* field encryption */
	unsigned char blind[32];  /* blind indexes */
	unsigned char sign[32];   /* the seed of the Ed25519 key that signs reports and anchors */
	unsigned char mac[32];    /* the MAC of the audit chain */
};

/* A loaded keyring. Versions are only ever appended (published by `n`), so readers need no
 * lock; a reload that finds the file changed (a rotation in another process) appends the new
 * versions and moves `current` under a lock of its own. */
struct crypt_keys {
	char path[1024];              /* the file, re-read when it changes; "" for keys made in memory */
	_Atomic unsigned n;           /* versions in v[] */
	_Atomic unsigned current;     /* index in v[] of the version that seals */
	long long stamp[4];           /* the file's device, inode, size and mtime (ns) when read */
	struct crypt_version v[CRYPT_MAX_VERSIONS];
};

/* Reads the keyring at path and derives the sub-keys. Refuses a file that is not a regular
 * file owned by the user running nrm with mode 0600 or stricter (KEY_key_owner, KEY_key_mode),
 * and one that is neither 32 raw bytes nor a well-formed keyring (KEY_key_size). */
int crypt_load_keys(const char *path, struct crypt_keys *out, struct nrm_err *err);
/* One version (1) made from a master key in memory (tests, derived tools). */
void crypt_keys_from_master(const unsigned char master[32], struct crypt_keys *out);
void crypt_keys_wipe(struct crypt_keys *k);
/* Re-reads the keyring when its file changed since it was read (a rotation by another
 * process); a file that cannot be read now leaves the keys as they were. Thread-safe. */
void crypt_keys_refresh(const struct crypt_keys *k);
/* The version that seals now. */
uint32_t crypt_key_version(const struct crypt_keys *k);
/* The number of live versions other than the current one: > 0 while a rotation is unfinished. */
int crypt_keys_rotating(const struct crypt_keys *k);
/* Starts a rotation: appends a new random version, live and current, and writes the keyring
 * back (a new file renamed over the old one, fsync'd). When a rotation is unfinished
 * (crypt_keys_rotating), does nothing: running `nrm key rotate` again resumes it. */
int crypt_keys_rotate_begin(struct crypt_keys *k, struct nrm_err *err);
/* Ends it: every version but the current one is marked retired, and the keyring written back. */
int crypt_keys_retire(struct crypt_keys *k, struct nrm_err *err);
/* The version that sealed a value of crypt_seal (values from before keyrings: 1); 0 when no
 * version of the keyring opens it. */
uint32_t crypt_sealed_version(const struct crypt_keys *k, int64_t case_id, const char *field, const unsigned char *ct,
			      size_t n);
/* The same for a text of crypt_seal_text. */
uint32_t crypt_text_version(const struct crypt_keys *k, const char *context, const char *stored);
/* A 32-byte sub-key of the master key of `version` (0: the current one, whose number goes into
 * *used when not NULL), derived with libsodium's KDF for (id, ctx: 8 characters); ids 1-4 of
 * "nrm-case" are taken (enc, blind, sign, mac). For keys of other purposes (a backup's) that
 * must record the version they were made with. NRM_ENOTFOUND when there is no such version. */
int crypt_subkey(const struct crypt_keys *k, uint32_t version, uint64_t id, const char ctx[8], unsigned char out[32],
		 uint32_t *used);
/* The audit MAC key of `version` into out; NRM_ENOTFOUND when the keyring has no such version. */
int crypt_mac_key(const struct crypt_keys *k, uint32_t version, unsigned char out[32]);

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

/* Signs msg with the current version's key (Ed25519): *sig is base64 (URL-safe, no padding),
 * malloc'd. */
int crypt_sign(const struct crypt_keys *k, const char *msg, char **sig);
/* The public key of that signature as base64 into out (a buffer of 64 bytes). */
void crypt_sign_public(const struct crypt_keys *k, char out[64]);
/* 0 when sig is a signature of msg by the public key of any version of the keyring, current
 * or retired (so reports approved before a rotation still verify); the key that verified it
 * into pub (may be NULL). NRM_EAUTH otherwise. */
int crypt_verify_any(const struct crypt_keys *k, const char *msg, const char *sig, char pub[64]);
/* Whether pub (base64) is the public key of a version of the keyring. */
int crypt_public_known(const struct crypt_keys *k, const char *pub);
/* 0 when sig (base64) is a signature of msg by public key pub (base64); NRM_EAUTH otherwise. */
int crypt_verify(const char *pub, const char *msg, const char *sig);
/* The SHA-256 of n bytes as 64 hex digits. */
void crypt_sha256_hex(const void *data, size_t n, char out[65]);

/* Keys of backups (nrm backup / nrm restore). A backup records the key version it was made
 * with (crypt_key_version: the current one), so that one made before a key rotation stays
 * restorable while the keyring keeps that version: this function is the only place that maps a
 * backup's version to its keys. The key that encrypts backups of `version` (crypt_subkey of
 * that version, id 1 of context "nrm-bkup", so it never equals a key used elsewhere), and that
 * version's Ed25519 public key (base64 as crypt_sign_public), which
 * their signature must verify with. NRM_ENOTFOUND when the keyring holds no such version.
 * key is secret: wipe it after use. */
int crypt_backup_key(const struct crypt_keys *k, uint32_t version, unsigned char key[32], char pub[64]);

/* Normalises text for matching: Unicode compatibility decomposition, case folding, marks
 * stripped (Ë→e, Ç→c), anything but letters and digits dropped, words joined by one space.
 * *out is malloc'd; empty when nothing is left. */
int crypt_normalise(const char *in, char **out);
/* Keyed hash (hex) of `kind` and the normalised parts under the current version; parts that
 * normalise to nothing make the result NRM_EINVAL (nothing to index). For kind "document"
 * spaces are dropped too. */
int crypt_blind(const struct crypt_keys *k, const char *kind, const char *const *parts, size_t n, char out[65]);
/* The same under every live version (during a rotation the index holds both, so search and
 * de-duplication keep finding a person whose case is not yet re-indexed): *count hashes into
 * out (room for CRYPT_LIVE_MAX), their versions into vers. */
int crypt_blind_live(const struct crypt_keys *k, const char *kind, const char *const *parts, size_t n,
		     char out[][65], uint32_t *vers, size_t *count);
/* The live versions, the newest first (the current one among them): how many, into vers. */
size_t crypt_live_versions(const struct crypt_keys *k, uint32_t vers[CRYPT_LIVE_MAX]);

#endif
