/* The database: opening (WAL, foreign keys, migrations), transactions, and the small
 * query helpers every store module builds on. The only layer that speaks SQL. */
#ifndef NRM_STORE_DB_H
#define NRM_STORE_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* A connection to the database; opaque outside src/store/. One per thread. */
struct store;

/* Opens an existing database and upgrades its schema. A database written by a newer nrm is
 * refused (NRM_EVERSION). On success *out is owned by the caller (store_close). */
int store_open(const char *path, struct store **out, struct nrm_err *err);
/* Creates a new database file; refuses an existing one (NRM_EEXIST). */
int store_create(const char *path, struct store **out, struct nrm_err *err);
void store_close(struct store *s);
/* The database file's absolute path (owned by the connection; "" for a database in memory). */
const char *store_path(struct store *s);
int store_schema_version(struct store *s);
/* The time SQLite spent running statements on every connection of this process since it
 * started, in nanoseconds, and how many statements ran (for the metrics). */
void store_db_time(uint64_t *ns, uint64_t *statements);
/* The figures of the metrics the database holds: {"sessions": open sessions, "login_failures":
 * {"password": n, "code": n} (of the last hour), "mail": {"queued": n,
 * "failed": n}}. *out is a new reference. */
int store_metrics(struct store *s, json_t **out);

/* Copies the whole database into the file at dest with SQLite's online backup API, in one
 * step: one read transaction, so the copy is a consistent snapshot while other connections
 * (a running nrm serve) keep writing. dest must be empty or absent; it is written with the
 * permissions of an existing file, so the caller makes it private first. */
int store_backup_to(struct store *s, const char *dest, struct nrm_err *err);
/* Runs PRAGMA integrity_check on the database file at path without upgrading it: 0 when it
 * answers "ok"; otherwise NRM_ECONFLICT with SQLite's first complaint in detail (at most cap
 * bytes; table and index names, never values). */
int store_integrity(const char *path, char *detail, size_t cap);
/* Moves the write-ahead log into the database file and empties it (wal_checkpoint TRUNCATE),
 * so the file alone holds every committed write. NRM_EBUSY when a reader kept it from
 * finishing. */
int store_checkpoint(struct store *s);

/* Sizes this connection's page cache for one long write transaction (an import of many
 * rows): its pages stay in memory, up to `mb` megabytes, instead of being spilled to the
 * write-ahead log before the commit and read back. */
int store_bulk(struct store *s, int mb);

/* Every write runs between store_begin (BEGIN IMMEDIATE) and store_commit or store_rollback.
 * The store functions that write assert that the caller's transaction is open. */
int store_begin(struct store *s);
int store_commit(struct store *s);
/* Safe to call when no transaction is open. */
void store_rollback(struct store *s);
bool store_in_tx(const struct store *s);
/* A read transaction: the reads until the matching store_read_end see one snapshot of the
 * database (a table read from several statements adds up), and the file's shared lock is
 * taken once for all of them rather than once per statement. Calls nest; inside a write
 * transaction they do nothing (it is a snapshot already). A write begun meanwhile
 * (store_begin) ends the snapshot first, and a store_read_begin after that write opens a
 * new one. */
int store_read_begin(struct store *s);
void store_read_end(struct store *s);

/* One-time work on what an older nrm left (reasons sealed, cases figured): whether `what`
 * was done since the database's last upgrade, and marking it done (inside the caller's
 * transaction). Every upgrade forgets them, so that the work looks again. */
bool store_done(struct store *s, const char *what);
int store_done_mark(struct store *s, const char *what);

/* Bind formats for the helpers below, one letter per `?N`:
 *   i  int64_t        (0 is bound as the integer 0)
 *   I  int64_t        (0 or less is bound as NULL: optional references)
 *   t  const char *   (NULL is bound as NULL)
 *   b  const void *, size_t  (a blob)
 *   d  double
 *   N  (no argument) the clock's now as "YYYY-MM-DDTHH:MM:SSZ" (core/clock.h)
 *   S  (no argument) the clock's now in seconds since the epoch
 * Timestamps always come from the clock this way, never from SQL's 'now'.
 */

/* Runs a statement that returns no rows. Returns 0, or a negative code; constraint
 * violations give NRM_ECONFLICT. */
int store_exec(struct store *s, const char *sql, const char *fmt, ...);
/* Runs an INSERT and writes the new row's id to *id on success. */
int store_insert(struct store *s, int64_t *id, const char *sql, const char *fmt, ...);
/* Rows as a JSON array of objects keyed by column name; a column whose name ends in
 * "_json" is parsed as JSON and stored under the name without the suffix, and one ending
 * in "_bool" becomes true/false. *out is a new reference. */
int store_rows(struct store *s, json_t **out, const char *sql, const char *fmt, ...);
/* The first row as an object, or NRM_ENOTFOUND. */
int store_row(struct store *s, json_t **out, const char *sql, const char *fmt, ...);
/* The first column of the first row as an integer, or NRM_ENOTFOUND. */
int store_int(struct store *s, int64_t *out, const char *sql, const char *fmt, ...);
/* The first column of the first row as text; *out is malloc'd, free() it. */
int store_text(struct store *s, char **out, const char *sql, const char *fmt, ...);
int store_changes(struct store *s);
/* Calls fn for each row (name, blob) of sql, a query of two columns with the id as ?1; stops
 * at fn's first non-zero answer and returns it. */
typedef int (*store_blob_fn)(const char *field, const unsigned char *blob, size_t len, void *ctx);
int store_blobs(struct store *s, const char *sql, int64_t id, store_blob_fn fn, void *ctx);

#endif
