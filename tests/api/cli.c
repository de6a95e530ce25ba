/* The command line of the outside contract: help, version, init, serve's refusals, user. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char dir[64], db[128];
static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-cli-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/nrm.db", dir);
}
static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(cli, .init = setup, .fini = teardown, .timeout = 120);

static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(cli, help_and_version)
{
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "--help", NULL), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "--version", NULL), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "frobnicate", NULL), 2);
	cr_expect_eq(lines(err), 1, "one line: %s", err);
}

Test(cli, unknown_flags_are_refused_and_nothing_is_written)
{
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--colour", NULL), 2);
	cr_expect_eq(lines(err), 1, "%s", err);
	cr_expect_not_null(strstr(err, "--colour"));
	cr_expect_neq(access(db, F_OK), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", db, "--port", "1", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", NULL), 2);
}

Test(cli, init_creates_the_database_and_a_private_key_and_refuses_to_overwrite)
{
	char err[4096], key[160];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 0, "%s", err);
	snprintf(key, sizeof key, "%s.key", db);
	struct stat st;
	cr_assert_eq(stat(key, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	cr_expect_eq(st.st_size, 32);
	struct stat before;
	stat(db, &before);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", NULL), 2);
	cr_expect_eq(lines(err), 1, "%s", err);
	cr_expect_not_null(strstr(err, "already exists"));
	struct stat after;
	stat(db, &after);
	cr_expect_eq(before.st_size, after.st_size);
	cr_expect_eq(before.st_mtime, after.st_mtime);
}

Test(cli, init_with_missing_reference_data_writes_nothing)
{
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--data", "/nonexistent", NULL), 2);
	cr_expect_eq(lines(err), 1, "%s", err);
	cr_expect_neq(access(db, F_OK), 0);
	/* A data folder with a broken file: the database is removed again. */
	char bad[128], cmd[600];
	snprintf(bad, sizeof bad, "%s/data", dir);
	snprintf(cmd, sizeof cmd, "mkdir -p %s/org && cp data/org/*.json %s/org/ && echo '{' > %s/org/bodies.json", bad, bad, bad);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--data", bad, NULL), 2);
	cr_expect_not_null(strstr(err, "bodies.json"), "%s", err);
	cr_expect_neq(access(db, F_OK), 0);
}

Test(cli, serve_refuses_a_missing_database)
{
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", db, NULL), 2);
	cr_expect_eq(lines(err), 1, "%s", err);
	cr_expect_not_null(strstr(err, "does not exist"));
	cr_expect_neq(access(db, F_OK), 0, "serve must not create a database");
}

static void set_version(int v)
{
	sqlite3 *h;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static int get_version(void)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	int v = -1;
	sqlite3_open(db, &h);
	sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

Test(cli, a_database_from_a_newer_nrm_is_refused)
{
	char err[4096];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 0);
	set_version(99);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", db, "--listen", "127.0.0.1:0", NULL), 2);
	cr_expect_not_null(strstr(err, "newer"), "%s", err);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "list", "--db", db, NULL), 2);
	cr_expect_eq(get_version(), 99, "left untouched");
}

Test(cli, an_older_database_is_upgraded_on_open)
{
	char err[4096];
	set_version(0); /* an empty database file, as from before the first migration */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "list", "--db", db, NULL), 0, "%s", err);
	cr_expect_gt(get_version(), 0);
}

Test(cli, forms_load_replaces_the_form_or_changes_nothing)
{
	char err[4096], data[128], cmd[700];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 0);
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(cmd, sizeof cmd,
		 "cp -r data %s && sed -i 's/\"Qëllimi\"/\"Qëllimi i pëlqimit\"/' %s/forms/case.json", data, data);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, "--data", data, NULL), 0, "%s", err);
	sqlite3 *h;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_prepare_v2(h, "SELECT instr(json, 'Qëllimi i pëlqimit') > 0 FROM forms WHERE name = 'form:case'", -1, &st, NULL);
	cr_expect_eq(sqlite3_step(st), SQLITE_ROW);
	cr_expect_eq(sqlite3_column_int(st, 0), 1, "the new label is stored");
	sqlite3_finalize(st);
	sqlite3_close(h);
	/* A form naming a code list that does not exist is refused whole. */
	snprintf(cmd, sizeof cmd, "sed -i 's/\"codelist\": \"genders\"/\"codelist\": \"nope\"/' %s/forms/case.json", data);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, "--data", data, NULL), 2);
	cr_expect_not_null(strstr(err, "nope"), "%s", err);
}

Test(cli, audit_verify_finds_an_altered_row)
{
	char err[4096];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", NULL), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 0, "%s", err);
	sqlite3 *h;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "UPDATE audit SET username = 'mallory' WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 1);
	cr_expect_not_null(strstr(err, "row 1"), "%s", err);
}

Test(cli, user_add_list_disable_passwd)
{
	char err[4096];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 0);
	cr_expect_eq(nrm_run("correct-horse\n", err, sizeof err, "user", "add", "--db", db, "--username", "ana",
			     "--role", "county_secretariat", "--county", "fier", NULL), 0, "%s", err);
	cr_expect_eq(nrm_run("correct-horse\n", err, sizeof err, "user", "add", "--db", db, "--username", "ana",
			     "--role", "dpo", NULL), 2, "duplicate");
	cr_expect_eq(nrm_run("correct-horse\n", err, sizeof err, "user", "add", "--db", db, "--username", "b",
			     "--role", "krat_member", NULL), 2, "a county role needs --county");
	cr_expect_eq(nrm_run("short\n", err, sizeof err, "user", "add", "--db", db, "--username", "c", "--role", "dpo", NULL), 2);
	cr_expect_eq(nrm_run("correct-horse\n", err, sizeof err, "user", "add", "--db", db, "--username", "d", "--role",
			     "wizard", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "list", "--db", db, NULL), 0);
	cr_expect_eq(nrm_run("another-secret\n", err, sizeof err, "user", "passwd", "--db", db, "--username", "ana", NULL), 0, "%s", err);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "disable", "--db", db, "--username", "ana", NULL), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "disable", "--db", db, "--username", "nobody", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "frob", "--db", db, NULL), 2);
}
