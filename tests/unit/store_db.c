/* store/db: creation, migrations, version refusal, transactions, query helpers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <signal.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "store/db.h"
#include "store/org.h"
#include "store/schema.h"

static char dir[64], path[128];
static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
}
static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(store, .init = setup, .fini = teardown);

Test(store, create_applies_every_migration_and_refuses_an_existing_file)
{
	struct store *s;
	struct nrm_err err = {0};
	cr_assert_eq(store_create(path, &s, &err), 0, "%s", err.msg);
	cr_expect_eq(store_schema_version(s), STORE_SCHEMA_VERSION);
	char *mode = NULL;
	cr_assert_eq(store_text(s, &mode, "PRAGMA journal_mode", ""), 0);
	cr_expect_str_eq(mode, "wal");
	free(mode);
	int64_t fk = 0;
	store_int(s, &fk, "PRAGMA foreign_keys", "");
	cr_expect_eq(fk, 1);
	store_close(s);
	cr_expect_eq(store_create(path, &s, &err), NRM_EEXIST);
	cr_expect_str_eq(err.field, "db");
}

Test(store, open_refuses_a_missing_file_and_a_newer_schema)
{
	struct store *s;
	struct nrm_err err = {0};
	cr_expect_eq(store_open(path, &s, &err), NRM_ENOTFOUND);
	cr_expect_neq(access(path, F_OK), 0, "open must not create");
	cr_assert_eq(store_create(path, &s, &err), 0);
	store_exec(s, "PRAGMA user_version = 999", "");
	store_close(s);
	cr_expect_eq(store_open(path, &s, &err), NRM_EVERSION);
	cr_expect_not_null(strstr(err.msg, "newer"));
}

Test(store, a_rolled_back_transaction_leaves_nothing)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	int64_t id, n = -1;
	cr_assert_eq(store_begin(s), 0);
	cr_assert_eq(store_county_add(s, "fier", "AL-04", "FR", "Fier", "Fier", &id), 0);
	store_rollback(s);
	store_int(s, &n, "SELECT count(*) FROM counties", "");
	cr_expect_eq(n, 0);
	cr_assert_eq(store_begin(s), 0);
	cr_assert_eq(store_county_add(s, "fier", "AL-04", "FR", "Fier", "Fier", &id), 0);
	cr_assert_eq(store_commit(s), 0);
	store_int(s, &n, "SELECT count(*) FROM counties", "");
	cr_expect_eq(n, 1);
	store_close(s);
}

Test(store, constraint_violations_are_conflicts)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	int64_t id;
	cr_assert_eq(store_begin(s), 0);
	cr_assert_eq(store_county_add(s, "fier", "AL-04", "FR", "Fier", "Fier", &id), 0);
	cr_expect_eq(store_county_add(s, "fier", "AL-99", "XX", "X", "X", &id), NRM_ECONFLICT);
	cr_expect_eq(store_municipality_add(s, 999, "x", "X", &id), NRM_ECONFLICT, "foreign keys are enforced");
	store_rollback(s);
	store_close(s);
}

Test(store, rows_become_json_with_typed_suffixes)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	json_t *row;
	cr_assert_eq(store_row(s, &row, "SELECT 1 AS n, 'x' AS t, NULL AS z, 1 AS on_bool, '{\"a\":[1]}' AS doc_json", ""), 0);
	cr_expect_eq(json_integer_value(json_object_get(row, "n")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(row, "t")), "x");
	cr_expect(json_is_null(json_object_get(row, "z")));
	cr_expect(json_is_true(json_object_get(row, "on")));
	cr_expect_eq(json_integer_value(json_array_get(json_object_get(json_object_get(row, "doc"), "a"), 0)), 1);
	json_decref(row);
	cr_expect_eq(store_row(s, &row, "SELECT 1 WHERE 0", ""), NRM_ENOTFOUND);
	json_t *rows;
	cr_assert_eq(store_rows(s, &rows, "SELECT ?1 AS a, ?2 AS b, ?3 AS c", "tIi", "v", (int64_t)0, (int64_t)0), 0);
	cr_expect(json_is_null(json_object_get(json_array_get(rows, 0), "b")), "I binds 0 as NULL");
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(rows, 0), "c")), 0);
	json_decref(rows);
	store_close(s);
}

Test(store, a_write_outside_a_transaction_is_a_programming_error, .signal = SIGABRT)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	int64_t id;
	store_county_add(s, "fier", "AL-04", "FR", "Fier", "Fier", &id); /* asserts: no transaction is open */
}

Test(store, a_new_database_is_private_and_made_only_once)
{
	struct store *s;
	struct nrm_err err = {0};
	cr_assert_eq(store_create(path, &s, &err), 0, "%s", err.msg);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 077, 0, "readable by its owner only");
	store_close(s);
	cr_expect_eq(store_create(path, &s, &err), NRM_EEXIST);
	cr_expect_str_eq(nrm_key_name(err.key), "file_exists");
}

Test(store, timestamps_come_from_the_clock_not_from_sql)
{
	struct store *s;
	cr_assert_eq(store_create(path, &s, NULL), 0);
	clock_set_iso("2024-02-29T23:59:30Z");
	char *now = NULL;
	int64_t secs = 0;
	cr_assert_eq(store_text(s, &now, "SELECT ?1", "N"), 0);
	cr_expect_str_eq(now, "2024-02-29T23:59:30Z");
	cr_assert_eq(store_int(s, &secs, "SELECT ?1", "S"), 0);
	cr_expect(secs >= 1709251170 && secs < 1709251170 + 60, "%lld", (long long)secs);
	free(now);
	clock_reset();
	store_close(s);
}

/* ---- the statement cache ---- */

struct nested {
	struct store *s;
	int rows, inner;
};

static int each_row(const char *field, const unsigned char *blob, size_t len, void *ctx)
{
	(void)blob;
	(void)len;
	struct nested *n = ctx;
	n->rows++;
	/* The same statement again while the outer one is still stepping: a second one is made. */
	int64_t c = 0;
	if (store_int(n->s, &c, "SELECT count(*) FROM t WHERE name = ?1", "t", field) == 0)
		n->inner += (int)c;
	return 0;
}

Test(store, cached_statements_give_fresh_answers_nest_and_hold_no_read_lock)
{
	struct store *s, *other;
	struct nrm_err err = {0};
	cr_assert_eq(store_create(path, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(store_exec(s, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, data BLOB)", ""), 0);
	const char *count = "SELECT count(*) FROM t WHERE name = ?1";
	for (int i = 0; i < 3; i++) {
		int64_t c = -1, id;
		cr_assert_eq(store_int(s, &c, count, "t", "a"), 0);
		cr_expect_eq(c, i, "the cached statement counts what was added since");
		cr_assert_eq(store_begin(s), 0);
		cr_assert_eq(store_insert(s, &id, "INSERT INTO t(name, data) VALUES (?1, ?2)", "tb", "a", "x", (size_t)1), 0);
		cr_assert_eq(store_commit(s), 0);
	}
	/* Bindings do not leak from one call into the next: NULL stays NULL. */
	int64_t c = -1;
	cr_assert_eq(store_int(s, &c, "SELECT count(*) FROM t WHERE name IS ?1", "t", NULL), 0);
	cr_expect_eq(c, 0);
	struct nested n = {.s = s};
	cr_assert_eq(store_blobs(s, "SELECT name, data FROM t WHERE id >= ?1", 1, each_row, &n), 0);
	cr_expect_eq(n.rows, 3);
	cr_expect_eq(n.inner, 9);
	/* A statement read to its first row only (store_int) must not keep a read transaction
	 * open: another connection can still move the whole log into the file. */
	cr_assert_eq(store_int(s, &c, "SELECT id FROM t ORDER BY id", ""), 0);
	cr_assert_eq(store_open(path, &other, &err), 0, "%s", err.msg);
	cr_assert_eq(store_begin(other), 0);
	int64_t id;
	cr_assert_eq(store_insert(other, &id, "INSERT INTO t(name) VALUES (?1)", "t", "b"), 0);
	cr_assert_eq(store_commit(other), 0);
	cr_expect_eq(store_checkpoint(other), 0, "a cached statement held a read lock");
	cr_assert_eq(store_int(s, &c, "SELECT count(*) FROM t", ""), 0);
	cr_expect_eq(c, 4, "the first connection sees the other's write");
	store_close(other);
	store_close(s);
}

/* A read transaction: one snapshot (from its first read) until its outermost end, nested
 * calls inside it; a write begun meanwhile ends it first (and sees the newest rows); a read
 * begun after that write opens a new snapshot. */
Test(store, a_read_sees_one_snapshot_until_it_ends_or_a_write_begins)
{
	struct store *a, *b;
	struct nrm_err err = {0};
	cr_assert_eq(store_create(path, &a, &err), 0, "%s", err.msg);
	cr_assert_eq(store_open(path, &b, &err), 0, "%s", err.msg);
	cr_assert_eq(store_exec(a, "CREATE TABLE t(x INTEGER)", ""), 0);
	int64_t n = -1;
	cr_assert_eq(store_read_begin(a), 0);
	cr_assert_eq(store_int(a, &n, "SELECT count(*) FROM t", ""), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(store_exec(b, "INSERT INTO t(x) VALUES (1)", ""), 0);
	cr_assert_eq(store_read_begin(a), 0);
	store_read_end(a);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	cr_expect_eq(n, 0, "the snapshot holds after a nested read ends");
	/* A write ends the snapshot. */
	cr_assert_eq(store_begin(a), 0);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	cr_expect_eq(n, 1, "a write sees the newest rows");
	cr_assert_eq(store_exec(a, "INSERT INTO t(x) VALUES (2)", ""), 0);
	cr_assert_eq(store_read_begin(a), 0); /* inside a write: nothing to do */
	store_read_end(a);
	cr_assert_eq(store_commit(a), 0);
	/* A read after the write, still inside the outer one: a new snapshot. */
	cr_assert_eq(store_read_begin(a), 0);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	cr_expect_eq(n, 2);
	cr_assert_eq(store_exec(b, "INSERT INTO t(x) VALUES (3)", ""), 0);
	store_read_end(a);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	cr_expect_eq(n, 2, "still the outer read's snapshot");
	store_read_end(a);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	cr_expect_eq(n, 3, "no transaction is left open");
	/* A write still open when the read ends (an error path, rolled back after): nothing is
	 * left open for the connection's next user. */
	cr_assert_eq(store_read_begin(a), 0);
	cr_assert_eq(store_begin(a), 0);
	store_read_end(a);
	store_rollback(a);
	cr_assert_eq(store_read_begin(a), 0);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	store_read_end(a);
	cr_assert_eq(store_exec(b, "INSERT INTO t(x) VALUES (4)", ""), 0);
	store_int(a, &n, "SELECT count(*) FROM t", "");
	cr_expect_eq(n, 4, "no snapshot is left behind");
	store_close(b);
	store_close(a);
}
