/* What the files of src/store/ share and nothing else sees: the connection itself. */
#ifndef NRM_STORE_INTERNAL_H
#define NRM_STORE_INTERNAL_H

#include <assert.h>
#include <sqlite3.h>

#include "store/db.h"

struct store_gate;

/* Prepared statements kept by SQL text (db.c): compiling one costs more than running most. */
#define STORE_STMT_CACHE 512
struct store_stmt {
	char *sql;
	sqlite3_stmt *st;
	int busy; /* handed out and not yet released (a caller iterating while it queries again) */
};

/* A prepared statement for sql from the connection's cache (or a new one), handed back with
 * store_stmt_release — never finalized by the caller. */
struct store;
int store_stmt_acquire(struct store *s, const char *sql, sqlite3_stmt **out);
void store_stmt_release(struct store *s, sqlite3_stmt *st);

/* Calls fn for each row of sql (bound as the helpers of db.h bind); stops at fn's first
 * non-zero answer and returns it. */
typedef int (*store_row_fn)(void *arg, sqlite3_stmt *st);
int store_each(struct store *s, store_row_fn fn, void *arg, const char *sql, const char *fmt, ...);

struct store {
	sqlite3 *db;
	struct store_stmt cache[STORE_STMT_CACHE];
	int in_tx;
	int reads; /* store_read_begin calls not yet ended */
	struct store_gate *gate; /* the writers' queue of this database file (db.c) */
	int gate_held;
};

/* A store function that writes runs inside the caller's transaction (one transaction per
 * change, with its audit row): checked in every build that keeps asserts. */
#define STORE_WRITES(s) assert(store_in_tx(s))
/* Whether a pair of duplicates `d` was dismissed before one of its cases' identities last
 * changed (schema 25: case_identity, duplicates.rev_a/rev_b): such a pair is asked again. */
#define STORE_DUP_CHANGED                                                                         \
	"(coalesce((SELECT rev FROM case_identity WHERE case_id = d.case_a), 0) > coalesce(d.rev_a, 0)" \
	" OR coalesce((SELECT rev FROM case_identity WHERE case_id = d.case_b), 0) > coalesce(d.rev_b, 0))"

#endif
