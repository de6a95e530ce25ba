/* The backup file of `nrm backup` / `nrm restore`: the database encrypted and signed, so a
 * stolen backup shows nothing and an altered, truncated or foreign one is refused before
 * anything is replaced. The file, in order:
 *
 *   "NRMBACKUP1\n"
 *   the header: one line of compact JSON with sorted keys, no personal data —
 *     format (1), created (UTC stamp), key_version, signer (Ed25519 public key, base64),
 *     bytes (of the database), chunk (bytes per part), and what the caller adds (the audit
 *     anchor, the schema version, the nrm version);
 *   a libsodium secretstream (XChaCha20-Poly1305) of the database in parts of `chunk` bytes
 *     under crypt_backup_key(key_version), the header line as associated data of the first
 *     part, the last part tagged final (so a cut at a part boundary is seen too);
 *   the Ed25519 signature (86 characters of base64) of "nrm-backup-1:" and the BLAKE2b-512
 *     (hex) of every byte before it, by the key file's signing key of that version.
 *
 * The length of the whole file follows from the header, so truncation is named as such. */
#ifndef NRM_SECURE_BACKUP_H
#define NRM_SECURE_BACKUP_H

#include <jansson.h>

#include "core/err.h"
#include "secure/crypt.h"

/* Writes the backup of the database file at `clear` to `out`, with the members of meta
 * (borrowed; may be NULL) added to the header. The file is written as out.part (mode 0600)
 * and linked to its name only when complete; an existing out is never replaced
 * (NRM_EEXIST). The clear file is only read. */
int secure_backup_seal(const struct crypt_keys *k, const char *clear, const json_t *meta, const char *out,
		       struct nrm_err *err);

/* Verifies the backup at `in` against the key file (its version, its signer, the signature of
 * every byte, every part's tag, the final part) and only then decrypts it into the existing,
 * private file `clear` (truncated first; left empty when decryption fails). *header (a new
 * reference) is the backup's header on success. Each refusal has its own key: backup_format,
 * backup_truncated, backup_too_long, backup_key_version, backup_foreign_key,
 * backup_signature, backup_chunk. */
int secure_backup_open(const struct crypt_keys *k, const char *in, const char *clear, json_t **header,
		       struct nrm_err *err);

#endif
