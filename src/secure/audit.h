/* Writing and verifying the audit trail. Each write belongs to the caller's open transaction,
 * so the change and its audit row commit or fail together.
 *
 * The chain: row n stores prev_hash = row n-1's chain value and hash = "m<v>:" + hex of a
 * keyed BLAKE2b-256 (the audit MAC sub-key of key version v, derived from the key file and
 * never stored in the database) over row n's id, prev_hash and every column, each given as a
 * NULL marker or its length and bytes (so NULL and "" differ, and no value can run into the
 * next). Without the key file a chain cannot be re-computed; a removed row leaves a gap in the
 * ids. The newest rows removed, or a chain re-computed by someone who holds the key, are found
 * against an anchor: the head of the chain (rows, last id, chain value, time) signed with the
 * keyring's Ed25519 key and written outside the database (FILE.backups/, and the log). */
#ifndef NRM_SECURE_AUDIT_H
#define NRM_SECURE_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "core/role.h"
#include "secure/crypt.h"
#include "store/db.h"

/* Appends one row: who (p; NULL = the command line), what (action on entity/entity_id), the
 * state before and after (JSON, may be NULL; borrowed, not stolen) and an optional reason.
 * The MAC key is the keyring beside the database (its path + ".key"), read once per process
 * and re-read when it changes (a rotation). */
int secure_audit(struct store *s, const struct principal *p, const char *action, const char *entity,
		 const char *entity_id, json_t *before, json_t *after, const char *reason);
/* Same, with the entity id given as a number. */
int secure_audit_id(struct store *s, const struct principal *p, const char *action, const char *entity,
		    int64_t entity_id, json_t *before, json_t *after, const char *reason);

/* What a check of the trail found. */
enum audit_problem {
	AUDIT_OK,
	AUDIT_ALTERED,      /* row bad_id does not carry its MAC: altered, or forged without the key */
	AUDIT_INSERTED,     /* row bad_id was put in: the rows around it chain past it */
	AUDIT_REMOVED,      /* rows gap_from..gap_to are missing before row bad_id */
	AUDIT_UNKEYED,      /* row bad_id carries an unkeyed hash (an old nrm's, or re-computed without the key) */
	AUDIT_UNKNOWN_KEY,  /* row bad_id is MACed under a key version the keyring does not hold */
	AUDIT_OLD_KEY,      /* row bad_id is MACed under a version older than the row before it */
	AUDIT_TRUNCATED,    /* the newest rows are gone: the anchor counts more rows, or a later id */
	AUDIT_HEAD_DIFFERS, /* the row the anchor names is not the row it signed: the chain was re-computed */
	AUDIT_ANCHOR_BAD,   /* the anchor is not signed by a key of this keyring, or malformed */
};
struct audit_report {
	enum audit_problem problem;
	int64_t rows, last_id; /* the trail as found (rows counted up to the problem) */
	int64_t bad_id, gap_from, gap_to;
	int64_t anchor_rows, anchor_last_id; /* with an anchor: what it counted */
	char head[80];                       /* the chain value of the last row */
};
/* Checks the whole chain under the keyring k and, when anchor is not NULL, against it (its
 * signature first). 0 with r->problem set (AUDIT_OK or the first problem found), or an error
 * reading the database. */
int secure_audit_check(struct store *s, const struct crypt_keys *k, const json_t *anchor, struct audit_report *r);
/* The check without an anchor, under the keyring beside the database: 0 when intact;
 * otherwise NRM_ECONFLICT and *bad_id = the first row that does not follow (or the row after
 * removed ones). */
int secure_audit_verify(struct store *s, int64_t *rows, int64_t *bad_id);

/* Brings a trail written before keyed chaining (schema 15) under the key, in the caller's
 * transaction: checks the old unkeyed chain, MACs every row under the current key version, and
 * records it in a row "audit_keyed" {rows, old_chain: "intact" | "broken", first_bad}. Does
 * nothing (*done = 0) when the trail starts keyed (only its first row is read: unkeyed rows
 * elsewhere are tampering for secure_audit_check to report). Refused (NRM_ECONFLICT) when
 * `anchored` (anchors exist: a keyed trail was there, so unkeyed rows are a tamper to report,
 * not to launder). */
int secure_audit_upgrade(struct store *s, const struct crypt_keys *k, int anchored, int *done);
/* Re-MACs every row under the current key version (key rotation), in the caller's transaction,
 * after checking the chain under the versions it was written with; records a row
 * "audit_rekeyed" {rows, version}. Only the chain values change: the reasons in the trail stay
 * sealed under the version that sealed them (kept, retired, in the keyring), so an anchor made
 * before the rotation is still checked exactly, under its version. NRM_ECONFLICT with r filled
 * when the chain is not intact. */
int secure_audit_rekey(struct store *s, const struct crypt_keys *k, struct audit_report *r);

/* A new anchor of the trail's head: {"rows": N, "last_id": ID, "head": "<chain value of the
 * last row, m<v>:hex>", "ts": "<ISO UTC>", "key": "<Ed25519 public key, base64>", "signature":
 * "<Ed25519 over the canonical text of the other fields>"}. *out is a new reference. */
int secure_audit_anchor(struct store *s, const struct crypt_keys *k, json_t **out);
/* Writes a new anchor to DIR/audit-anchor-<ts>.json (DIR made 0700 when missing, the file
 * 0600, written whole then renamed) and a log line "audit_anchor" with rows, last id and
 * head on stderr. */
int secure_audit_anchor_write(struct store *s, const struct crypt_keys *k, const char *dir, struct nrm_err *err);
/* 0 when anchor is well-formed and signed by a version of keyring k; NRM_EAUTH otherwise. */
int secure_audit_anchor_check(const struct crypt_keys *k, const json_t *anchor);
/* The default anchor directory of database path: path + ".backups" into out. */
void secure_audit_anchor_dir(const char *db_path, char *out, size_t cap);
/* The path of the newest anchor in dir into out (names sort by time); NRM_ENOTFOUND when
 * there is none. */
int secure_audit_anchor_newest(const char *dir, char *out, size_t cap);

#endif
