/* The command line of the outside contract: help, version, init, serve's refusals, user. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case/case.h"
#include "cli/cli.h"
#include "harness.h"
#include "store/schema.h"

/* Undoes schema 25 (what a dismissal is held against), for a database made to look older. */
#define BEFORE_25_CORE \
	"DROP TABLE case_identity; ALTER TABLE duplicates DROP COLUMN rev_a; ALTER TABLE duplicates DROP COLUMN rev_b;"
#define BEFORE_25 BEFORE_25_CORE " ALTER TABLE duplicate_scores ADD COLUMN seen BLOB;"

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

/* Found by fuzz/defs.c: a report type due 2^31 - 1 days after its period overflowed the day
 * number when a report of it was made (fuzz/corpus/defs/crash-report-due-days-overflow). */
Test(cli, forms_load_refuses_report_and_upload_types_the_code_cannot_use)
{
	char err[4096], data[128], cmd[700];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 0);
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(cmd, sizeof cmd, "cp -r data %s && sed -i 's/\"due_days\": 15/\"due_days\": 2147483647/' %s/reports/krat-quarterly.json",
		 data, data);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, "--data", data, NULL), 2);
	cr_expect_not_null(strstr(err, "reports/krat-quarterly.json"), "%s", err);
	cr_expect_not_null(strstr(err, "due_days"), "%s", err);
	snprintf(cmd, sizeof cmd,
		 "cp data/reports/krat-quarterly.json %s/reports/ && sed -i 's/\"check\": \"png\"/\"check\": \"gif\"/' %s/uploads/types.json",
		 data, data);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, "--data", data, NULL), 2);
	cr_expect_not_null(strstr(err, "uploads/types.json"), "%s", err);
	snprintf(cmd, sizeof cmd, "cp data/uploads/types.json %s/uploads/", data);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, "--data", data, NULL), 0, "%s", err);
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

/* Runs a shell command; its exit status, and its stdout + stderr into out. */
static int sh(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(cli, every_subcommand_answers_help_with_its_own_usage)
{
	static const char *const cmds[][3] = {
		{"init", "--help", NULL},	   {"serve", "--help", NULL},	       {"user", "--help", NULL},
		{"user", "add", "--help"},	   {"user", "list", "--help"},	       {"user", "disable", "--help"},
		{"user", "passwd", "--help"},	   {"import", "--help", NULL},	       {"import", "cases", "--help"},
		{"export", "--help", NULL},	   {"export", "cases", "--help"},      {"forms", "--help", NULL},
		{"forms", "load", "--help"},	   {"audit", "--help", NULL},	       {"audit", "verify", "--help"},
		{"init", "-h", NULL},		   {"backup", "--help", NULL},	       {"restore", "--help", NULL},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		char cmd[300], out[4096];
		snprintf(cmd, sizeof cmd, "%s %s %s %s 2>&1", nrm_bin(), cmds[i][0], cmds[i][1], cmds[i][2] ? cmds[i][2] : "");
		cr_expect_eq(sh(cmd, out, sizeof out), 0, "%s exits 0: %s", cmd, out);
		char want[64];
		snprintf(want, sizeof want, "nrm %s", cmds[i][0]);
		cr_expect_not_null(strstr(out, want), "%s prints the usage of %s: %s", cmd, cmds[i][0], out);
		cr_expect(lines(out) < 12, "%s prints its own usage, not everything: %s", cmd, out);
	}
}

Test(cli, init_never_touches_an_existing_key_or_database)
{
	char err[4096], key[160];
	snprintf(key, sizeof key, "%s.key", db);
	FILE *f = fopen(key, "w");
	fputs("a key that must survive", f);
	fclose(f);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 2);
	cr_expect_not_null(strstr(err, "already exists"), "%s", err);
	cr_expect_neq(access(db, F_OK), 0, "no database without its key");
	char back[64] = "";
	f = fopen(key, "r");
	cr_expect_not_null(fgets(back, sizeof back, f));
	fclose(f);
	cr_expect_str_eq(back, "a key that must survive");
	/* The other way round: a database already there keeps its place, and no key is left behind. */
	unlink(key);
	f = fopen(db, "w");
	fputs("not a database", f);
	fclose(f);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, NULL), 2);
	cr_expect_neq(access(key, F_OK), 0, "the key made for it is removed again");
	struct stat st;
	cr_expect_eq(stat(db, &st), 0);
	cr_expect_eq(st.st_size, (off_t)strlen("not a database"));
}

Test(cli, the_clock_can_be_set_for_tests_and_demonstrations)
{
	char cmd[400], out[4096];
	snprintf(cmd, sizeof cmd, "NRM_NOW=2025-09-01T10:00:00Z %s init --db %s 2>&1", nrm_bin(), db);
	cr_assert_eq(sh(cmd, out, sizeof out), 0, "%s", out);
	sqlite3 *h;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_prepare_v2(h, "SELECT ts FROM audit WHERE action = 'init'", -1, &st, NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_expect_eq(strncmp((const char *)sqlite3_column_text(st, 0), "2025-09-01T10:00:0", 18), 0, "%s",
		     sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	snprintf(cmd, sizeof cmd, "NRM_NOW=tomorrow %s --version 2>&1; NRM_NOW=someday %s init --db %s.x 2>&1", nrm_bin(),
		 nrm_bin(), db);
	cr_expect_eq(sh(cmd, out, sizeof out), 2, "%s", out);
	cr_expect_not_null(strstr(out, "NRM_NOW"), "%s", out);
}

Test(cli, a_banned_function_does_not_compile)
{
	char cmd[600], out[4096];
	snprintf(cmd, sizeof cmd,
		 "printf '#include <string.h>\\nvoid f(char *d, const char *s) { strcpy(d, s); }\\n' > %s/b.c && "
		 "cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -include src/core/banned.h -c %s/b.c -o %s/b.o 2>&1",
		 dir, dir, dir);
	cr_expect_neq(sh(cmd, out, sizeof out), 0, "strcpy compiled");
	cr_expect_not_null(strstr(out, "sorry_strcpy_is_a_banned_function"), "%s", out);
	snprintf(cmd, sizeof cmd,
		 "printf '#include <stdio.h>\\nvoid f(char *d, const char *s) { snprintf(d, 8, \"%%%%s\", s); }\\n' > %s/g.c && "
		 "cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -include src/core/banned.h -c %s/g.c -o %s/g.o 2>&1",
		 dir, dir, dir);
	cr_expect_eq(sh(cmd, out, sizeof out), 0, "snprintf is fine: %s", out);
}

Test(cli, the_build_names_a_missing_package_instead_of_failing_obscurely)
{
	char out[4096];
	cr_expect_neq(sh("make -s check-pkgs PKGS='jansson nrm-no-such-package' 2>&1", out, sizeof out), 0);
	cr_expect_not_null(strstr(out, "missing development packages: nrm-no-such-package"), "%s", out);
	cr_expect_eq(sh("make -s check-pkgs 2>&1", out, sizeof out), 0, "%s", out);
}

/* The first value of a query on the database (text), or "" . */
static void db_text(const char *sql, char *out, size_t cap)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	out[0] = '\0';
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, cap, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void db_exec(const char *sql)
{
	sqlite3 *h;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* What the Authority reads of case `code` through the domain, in-process (opening db runs its
 * migrations): the state after each event (case_states), the timeline (case_events) and the
 * case (case_get), as one JSON text (malloc'd). */
static char *case_view(const char *code)
{
	struct cli_cases cc;
	cr_assert_eq(cli_cases_open("test", db, "authority.secretariat", &cc), 0);
	json_t *states = NULL, *events = NULL, *one = NULL;
	struct nrm_err e = {0};
	int rc = case_states(&cc.ctx, code, &states, &e);
	if (!rc)
		rc = case_events(&cc.ctx, code, &events, &e);
	if (!rc)
		rc = case_get(&cc.ctx, code, &one, &e);
	cli_cases_close(&cc);
	cr_assert_eq(rc, 0, "%s", e.msg);
	json_t *all = json_pack("{s:o, s:o, s:o}", "states", states, "events", events, "case", one);
	char *text = json_dumps(all, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(all);
	return text;
}

/* The codes of the cases a search as `user` finds (case_search of q, a JSON text). */
static char *search_codes(const char *user, const char *q)
{
	struct cli_cases cc;
	cr_assert_eq(cli_cases_open("test", db, user, &cc), 0);
	json_t *query = json_loads(q, 0, NULL), *out = NULL;
	struct nrm_err e = {0};
	int rc = case_search(&cc.ctx, query, &out, &e);
	cli_cases_close(&cc);
	json_decref(query);
	cr_assert_eq(rc, 0, "%s", e.msg);
	char *text = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(out);
	return text;
}

/* Stores the events of every case as an nrm before schema 16 did: the whole state after each
 * event in state_json (the states rebuilt by case_states), a creation's changes with their
 * values (as case_events shows them). */
static void events_as_before(void)
{
	struct cli_cases cc;
	cr_assert_eq(cli_cases_open("test", db, "authority.secretariat", &cc), 0);
	sqlite3 *h;
	sqlite3_stmt *codes, *put, *created;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT code FROM cases ORDER BY id", -1, &codes, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "UPDATE case_events SET was_json = ?1 WHERE id = ?2", -1, &put, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "UPDATE case_events SET changes_json = ?1 WHERE id = ?2 AND action = 'create'", -1,
				       &created, NULL),
		     SQLITE_OK);
	while (sqlite3_step(codes) == SQLITE_ROW) {
		json_t *states = NULL, *events = NULL, *st;
		struct nrm_err e = {0};
		const char *code = (const char *)sqlite3_column_text(codes, 0);
		cr_assert_eq(case_events(&cc.ctx, code, &events, &e), 0, "%s", e.msg);
		json_t *first = json_array_get(events, 0);
		sqlite3_bind_text(created, 1, json_dumps(json_object_get(first, "changes"), JSON_COMPACT), -1, free);
		sqlite3_bind_int64(created, 2, jint(first, "id"));
		cr_assert_eq(sqlite3_step(created), SQLITE_DONE);
		sqlite3_reset(created);
		json_decref(events);
		cr_assert_eq(case_states(&cc.ctx, code, &states, &e), 0, "%s", e.msg);
		size_t i;
		json_array_foreach(states, i, st) {
			char *text = json_dumps(json_object_get(st, "state"), JSON_COMPACT | JSON_SORT_KEYS);
			sqlite3_bind_text(put, 1, text, -1, free);
			sqlite3_bind_int64(put, 2, jint(st, "event_id"));
			cr_assert_eq(sqlite3_step(put), SQLITE_DONE);
			sqlite3_reset(put);
		}
		json_decref(states);
	}
	sqlite3_finalize(codes);
	sqlite3_finalize(put);
	sqlite3_finalize(created);
	cr_assert_eq(sqlite3_exec(h, "ALTER TABLE case_events RENAME COLUMN was_json TO state_json", NULL, NULL, NULL),
		     SQLITE_OK);
	sqlite3_close(h);
	cli_cases_close(&cc);
}

Test(cli, events_and_hashes_stored_whole_by_an_older_nrm_read_back_the_same_after_the_upgrade)
{
	char err[4096], csv[200], text[700];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", "--no-demo-cases", NULL), 0, "%s", err);
	snprintf(csv, sizeof csv, "%s/three.csv", dir);
	file_write(csv, "prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,al_estimated_age,al_identification_date,"
			"al_identifying_institution,al_identification_method,al_county,al_municipality,al_indicators_a,"
			"al_indicators_c,vic_TypeOfExploitation,al_documents\n"
			"Ana,Lika,Feminine,,30,2026-10-01,1,police,fier,patos,A01,C01,ForcedBegging,\n"
			"Besa,Gjoni,Feminine,2001-02-03,,2026-10-02,1,police,fier,fier,A01,C01,ForcedLabour,"
			"\"[{\"\"al_document_type\"\":\"\"passport\"\",\"\"al_document_number\"\":\"\"BG-77\"\"}]\"\n"
			"Dea,Noka,Feminine,2010-05-06,,2026-10-03,1,police,fier,,A01,C01,ForcedBegging,\n");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 0,
		     "%s", err);
	/* Later events that change the state: an age that makes a child of her, a municipality
	 * taken away (a null), another form of exploitation. */
	struct cli_cases cc;
	cr_assert_eq(cli_cases_open("test", db, "fier.caseworker", &cc), 0);
	const char *const edits[] = {"{\"al_estimated_age\":15}", "{\"al_municipality\":null}",
				     "{\"vic_TypeOfExploitation\":[\"Prostitution\",\"ForcedBegging\"]}"};
	for (long long v = 1; v <= 3; v++) {
		json_t *fields = json_loads(edits[v - 1], 0, NULL), *out = NULL;
		struct nrm_err e = {0};
		cr_assert_eq(case_update(&cc.ctx, "FR-2026-0001", v, fields, "ndryshim", &out, &e), 0, "%s", e.msg);
		json_decref(fields);
		json_decref(out);
	}
	cli_cases_close(&cc);
	db_text("SELECT count(*) FROM case_events WHERE was_json <> '{}'", text, sizeof text);
	cr_expect_str_eq(text, "3", "each edit records what it changed; a creation nothing");
	db_text("SELECT changes_json FROM case_events WHERE action = 'create' AND case_id = 1", text, sizeof text);
	cr_expect_eq(text[0], '[', "a creation keeps the names of its personal fields: %s", text);
	cr_expect_not_null(strstr(text, "prs_FirstName"), "%s", text);
	cr_expect_null(strstr(text, "al_county"), "the public fields are the case's: %s", text);
	/* The timeline still shows what the creation set, as it was then, and each edit's values. */
	cr_assert_eq(cli_cases_open("test", db, "authority.secretariat", &cc), 0);
	json_t *events = NULL;
	struct nrm_err e = {0};
	cr_assert_eq(case_events(&cc.ctx, "FR-2026-0001", &events, &e), 0, "%s", e.msg);
	cli_cases_close(&cc);
	cr_expect_eq(jint(events, "0.changes.al_estimated_age"), 30);
	cr_expect_str_eq(jstr(events, "0.changes.al_municipality"), "patos");
	cr_expect_str_eq(jstr(events, "0.changes.vic_TypeOfExploitation.0"), "ForcedBegging");
	cr_expect_eq(json_array_size(jpath(events, "0.changes.vic_TypeOfExploitation")), 1);
	cr_expect_str_eq(jstr(events, "0.changes.prs_FirstName"), "(personal)");
	cr_expect(json_is_false(jpath(events, "0.changes.al_is_child")));
	cr_expect_eq(jint(events, "1.changes.al_estimated_age"), 15);
	cr_expect(json_is_null(jpath(events, "2.changes.al_municipality")));
	cr_expect_str_eq(jstr(events, "3.changes.vic_TypeOfExploitation.0"), "Prostitution");
	cr_expect_eq(json_array_size(events), 4);
	json_decref(events);
	char *view[3], *found[2];
	const char *const codes[] = {"FR-2026-0001", "FR-2026-0002", "FR-2026-0003"};
	for (int i = 0; i < 3; i++)
		view[i] = case_view(codes[i]);
	found[0] = search_codes("fier.caseworker", "{\"document\":\"BG-77\"}");
	found[1] = search_codes("fier.caseworker", "{\"first_name\":\"Besa\",\"last_name\":\"Gjoni\",\"birthdate\":\"2001-02-03\"}");
	cr_expect_not_null(strstr(found[0], "FR-2026-0002"), "%s", found[0]);
	cr_expect_not_null(strstr(found[1], "FR-2026-0002"), "%s", found[1]);
	/* The database as the nrm before schema 16 wrote it: whole states, hashes as hex text, an
	 * index by key version. */
	events_as_before();
	snprintf(text, sizeof text,
		 "UPDATE case_blind SET hash = lower(hex(hash)); CREATE INDEX case_blind_v ON case_blind(v);"
		 " DROP TABLE fig_cells; DROP TABLE fig_units; DROP TABLE fig_epoch; DROP TABLE case_seqs;"
		 " ALTER TABLE cases DROP COLUMN list_json; " BEFORE_25 " PRAGMA user_version = %d;",
		 16);
	db_exec(text);
	db_text("SELECT count(*) FROM case_events WHERE json_extract(state_json, '$.county') IS NULL", text, sizeof text);
	cr_assert_str_eq(text, "0", "every event holds the whole state, as before");
	/* Opened by this nrm: upgraded, and everything reads back the same. */
	for (int i = 0; i < 3; i++) {
		char *again = case_view(codes[i]);
		cr_expect_str_eq(again, view[i]);
		free(again);
		free(view[i]);
	}
	char want[8];
	snprintf(want, sizeof want, "%d", STORE_SCHEMA_VERSION);
	db_text("PRAGMA user_version", text, sizeof text);
	cr_expect_str_eq(text, want);
	db_text("SELECT count(*) FROM case_events WHERE was_json <> '{}'", text, sizeof text);
	cr_expect_str_eq(text, "3", "only the edits keep a change of the state");
	db_text("SELECT count(*) FROM case_blind WHERE typeof(hash) <> 'blob' OR length(hash) <> 32", text, sizeof text);
	cr_expect_str_eq(text, "0");
	char *again = search_codes("fier.caseworker", "{\"document\":\"BG-77\"}");
	cr_expect_str_eq(again, found[0]);
	free(again);
	again = search_codes("fier.caseworker", "{\"first_name\":\"Besa\",\"last_name\":\"Gjoni\",\"birthdate\":\"2001-02-03\"}");
	cr_expect_str_eq(again, found[1]);
	free(again);
	free(found[0]);
	free(found[1]);
}

Test(cli, a_database_of_an_older_nrm_is_brought_up_to_date)
{
	char err[4096], cmd[4800], csv[200], text[200];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", "--no-demo-cases", NULL), 0, "%s", err);
	snprintf(csv, sizeof csv, "%s/one.csv", dir);
	file_write(csv, "prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,"
			"al_identifying_institution,al_identification_method,al_county,al_indicators_a,al_indicators_c\n"
			"Ana,Lika,Feminine,30,2026-10-01,1,police,fier,A01,C01\n");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 0,
		     "%s", err);
	char hash[200];
	db_text("SELECT group_concat(kind || ':' || lower(hex(hash)), ',') FROM (SELECT kind, hash FROM case_blind"
		" WHERE case_id = 1 ORDER BY kind)",
		hash, sizeof hash);
	cr_assert_gt(strlen(hash), 64);
	events_as_before();
	/* What schema 3 left: a referral event with part of the state, reasons in clear, a pending
	 * referral the Authority sent, and a form without bindings. */
	snprintf(cmd, sizeof cmd,
		 "grep -v '\"binding\"' data/forms/case.json > %s/old-case.json && sqlite3 %s \""
		 "INSERT INTO case_events(case_id, ts, username, action, changes_json, reason, state_json) VALUES"
		 " (1, '2026-10-02T08:00:00Z', 'fier.caseworker', 'referral', '{}', 'ARSYE-E-VJETER', '{\\\"stage\\\":\\\"initial_identification\\\"}');"
		 "INSERT INTO referrals(case_id, from_institution, to_institution, reason, created_at, holder_id) VALUES"
		 " (1, 3, 2, 'SHENIM-I-VJETER', '2026-10-02T08:00:00Z', NULL);"
		 "ALTER TABLE referrals DROP COLUMN holder_id;"
		 "DROP TABLE case_facts; DROP TABLE case_stages; DROP TABLE case_dims; DROP TABLE fact_revisions;"
		 "ALTER TABLE cases DROP COLUMN age; ALTER TABLE cases DROP COLUMN list_json; DELETE FROM forms WHERE name LIKE 'stats:%%' OR name = 'htcds:fields';"
		 "ALTER TABLE users DROP COLUMN person_id; ALTER TABLE users DROP COLUMN email; DROP TABLE drafts;"
		 "ALTER TABLE users DROP COLUMN totp_secret; ALTER TABLE users DROP COLUMN totp_pending;"
		 "ALTER TABLE users DROP COLUMN totp_step; ALTER TABLE users DROP COLUMN totp_exempt;"
		 "ALTER TABLE users DROP COLUMN last_login_at; ALTER TABLE sessions DROP COLUMN stage;"
		 "ALTER TABLE sessions DROP COLUMN tries; DROP TABLE recovery_codes; DROP TABLE login_failures;"
		 "DROP TABLE known_devices;"
		 "DROP TABLE report_approvals; DROP TABLE report_versions; DROP TABLE reports;"
		 "DROP TABLE register_events; DROP TABLE register_refs; DROP TABLE register_personal;"
		 "DROP TABLE register_seq; DROP TABLE register_entries;"
		 "DROP TABLE task_events; DROP TABLE tasks; DROP TABLE decisions; DROP TABLE meeting_documents;"
		 "DROP TABLE mail_outbox; DROP TABLE notices; DROP TABLE meeting_guests; DROP TABLE meeting_attendance;"
		 "DROP TABLE agenda_items; DROP TABLE meeting_changes; DROP TABLE correspondence; DROP TABLE notifications;"
		 "DROP TABLE calendar_feeds; DROP TABLE body_documents; DROP INDEX meetings_uid;"
		 "ALTER TABLE meetings DROP COLUMN time; ALTER TABLE meetings DROP COLUMN end_time;"
		 "ALTER TABLE meetings DROP COLUMN link; ALTER TABLE meetings DROP COLUMN status;"
		 "ALTER TABLE meetings DROP COLUMN cancel_reason; ALTER TABLE meetings DROP COLUMN uid;"
		 "ALTER TABLE meetings DROP COLUMN sequence; ALTER TABLE meetings DROP COLUMN version;"
		 "ALTER TABLE meetings DROP COLUMN updated_at; ALTER TABLE meetings DROP COLUMN minutes_status;"
		 "ALTER TABLE meetings DROP COLUMN minutes_summary; ALTER TABLE meetings DROP COLUMN minutes_hash;"
		 "ALTER TABLE meetings DROP COLUMN minutes_json; ALTER TABLE meetings DROP COLUMN approved_in;"
		 "ALTER TABLE meetings DROP COLUMN amendments;"
		 "UPDATE case_blind SET hash = lower(hex(hash)); ALTER TABLE case_blind DROP COLUMN v;"
		 "DROP TABLE fig_cells; DROP TABLE fig_units; DROP TABLE fig_epoch; DROP TABLE case_seqs;"
		 "DROP TABLE case_match; DROP TABLE duplicate_scores; DELETE FROM settings WHERE key = 'match:encoded';"
		 BEFORE_25_CORE
		 "DELETE FROM forms WHERE name = 'match:rules';"
		 "PRAGMA user_version = 3;"
		 "UPDATE forms SET json = readfile('%s/old-case.json') WHERE name = 'form:case';\"",
		 dir, db, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	/* The old form is refused, with what to do. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", NULL), 2);
	cr_expect_not_null(strstr(err, "nrm forms load"), "%s", err);
	db_text("PRAGMA user_version", text, sizeof text);
	char want[8];
	snprintf(want, sizeof want, "%d", STORE_SCHEMA_VERSION);
	cr_expect_str_eq(text, want, "the schema itself was upgraded");
	db_text("SELECT group_concat(kind || ':' || lower(hex(hash)), ',') FROM (SELECT kind, hash FROM case_blind"
		" WHERE case_id = 1 ORDER BY kind)",
		text, sizeof text);
	cr_expect_str_eq(text, hash, "blind index hashes stored as hex text are the same hashes, as bytes");
	db_text("SELECT count(*) FROM case_blind WHERE typeof(hash) <> 'blob' OR length(hash) <> 32", text, sizeof text);
	cr_expect_str_eq(text, "0");
	db_text("SELECT holder_id = (SELECT holder_id FROM cases WHERE id = 1) FROM referrals WHERE reason = 'SHENIM-I-VJETER'",
		text, sizeof text);
	cr_expect_str_eq(text, "1", "a pending referral hands the case over from its holder");
	db_text("SELECT was_json FROM case_events WHERE action = 'referral'", text, sizeof text);
	cr_expect_str_eq(text, "{}", "the partial state was completed from the event before it: it changed nothing");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, NULL), 0, "%s", err);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", NULL), 0,
		     "%s", err);
	cr_expect_not_null(strstr(err, "sealed 2 reasons"), "%s", err);
	cr_expect_not_null(strstr(err, "worked out the dated facts of 1 cases"), "%s", err);
	cr_expect_not_null(strstr(err, "encoded 1 cases for approximate matching"), "%s", err);
	db_text("SELECT count(*) FROM case_match WHERE case_id = 1", text, sizeof text);
	cr_expect_str_eq(text, "1", "the case an older nrm stored is encoded, under the one key version");
	/* (made by forms load above, with the form) */
	db_text("SELECT list_json FROM cases WHERE id = 1", text, sizeof text);
	cr_expect_str_eq(text, "{\"al_identification_method\":\"police\"}");
	db_text("SELECT day FROM case_facts WHERE kind = 'identified' AND case_id = 1", text, sizeof text);
	cr_expect_str_eq(text, "2026-10-01", "a case an older nrm stored is counted on the day it was identified");
	db_text("SELECT age FROM cases WHERE id = 1", text, sizeof text);
	cr_expect_str_eq(text, "30");
	db_text("SELECT count(*) FROM case_events WHERE reason LIKE '%VJETER%'", text, sizeof text);
	cr_expect_str_eq(text, "0");
	db_text("SELECT count(*) FROM referrals WHERE reason LIKE '%VJETER%'", text, sizeof text);
	cr_expect_str_eq(text, "0");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 0, "%s", err);
	/* Looked for once after an upgrade (each look reads every event, referral and case): a
	 * reason in clear now is not looked for again ... */
	db_text("SELECT count(*) FROM settings WHERE key IN ('done:reasons_sealed', 'done:cases_figured')", text, sizeof text);
	cr_expect_str_eq(text, "2");
	snprintf(cmd, sizeof cmd, "sqlite3 %s \"UPDATE referrals SET response_note = 'SHENIM-PAS-KONTROLLIT'\"", db);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", NULL), 0,
		     "%s", err);
	cr_expect_null(strstr(err, "sealed"), "%s", err);
	/* ... until the next upgrade (the last migration again, as a newer nrm would run its own). */
	snprintf(cmd, sizeof cmd, "sqlite3 %s \"PRAGMA user_version = %d\"", db, STORE_SCHEMA_VERSION - 1);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", NULL), 0,
		     "%s", err);
	cr_expect_not_null(strstr(err, "sealed 1 reasons"), "%s", err);
	db_text("SELECT count(*) FROM referrals WHERE response_note LIKE '%PAS-KONTROLLIT%'", text, sizeof text);
	cr_expect_str_eq(text, "0");
}

/* Schema 23: matching blocks by sex group. A database whose definitions have none gains the
 * groups as shipped, and its cases are encoded again under them at the next open. */
Test(cli, a_database_made_before_sexes_were_grouped_gains_the_groups_and_encodes_its_cases_again)
{
	char err[4096], cmd[700], text[200];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", NULL), 0, "%s", err);
	snprintf(cmd, sizeof cmd,
		 "sqlite3 %s \"UPDATE forms SET json = json_remove(json, '$.blocking') WHERE name = 'match:rules';"
		 " " BEFORE_25 " PRAGMA user_version = 22;\"",
		 db);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", NULL), 0,
		     "%s", err);
	cr_expect_not_null(strstr(err, "encoded"), "every case encoded again: %s", err);
	db_text("SELECT json_extract(json, '$.blocking.sex.Feminine') || json_extract(json, '$.blocking.sex.Masculine')"
		" FROM forms WHERE name = 'match:rules'",
		text, sizeof text);
	cr_expect_str_eq(text, "FM");
	cr_expect_eq(get_version(), STORE_SCHEMA_VERSION);
	/* Once: the next open finds every case encoded under the definitions it holds. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", NULL), 0,
		     "%s", err);
	cr_expect_null(strstr(err, "encoded"), "%s", err);
}

/* The fields a list shows are kept with each case: a form whose list changed makes them anew
 * for every case, in the same transaction as the form. */
Test(cli, forms_load_with_another_list_keeps_the_new_list_of_every_case)
{
	char err[4096], data[128], cmd[700], text[200];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", NULL), 0, "%s", err);
	db_text("SELECT count(*) FROM cases WHERE list_json IS NULL", text, sizeof text);
	cr_expect_str_eq(text, "0", "the demo's cases keep their list fields");
	db_text("SELECT count(*) FROM cases WHERE list_json ->> 'al_trafficking_scope' IS NOT NULL", text, sizeof text);
	cr_expect_neq(atoi(text), 0);
	db_text("SELECT count(*) FROM cases WHERE (list_json ->> 'al_trafficking_scope') IS NOT"
		" (data_json ->> 'al_trafficking_scope') OR (list_json -> 'vic_TypeOfExploitation') IS NOT"
		" (data_json -> 'vic_TypeOfExploitation')",
		text, sizeof text);
	cr_expect_str_eq(text, "0", "each case's list fields are its own");
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(cmd, sizeof cmd,
		 "cp -r data %s && sed -i '/\"codelist\": \"trafficking_scope\"/,/\"list\": true/ s/\"list\": true/\"list\": false/'"
		 " %s/forms/case.json",
		 data, data);
	cr_assert_eq(system(cmd), 0);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", db, "--data", data, NULL), 0, "%s", err);
	db_text("SELECT count(*) FROM cases WHERE list_json ->> 'al_trafficking_scope' IS NOT NULL", text, sizeof text);
	cr_expect_str_eq(text, "0", "the field left the list of every case");
	db_text("SELECT count(*) FROM cases WHERE (list_json -> 'vic_TypeOfExploitation') IS NOT"
		" (data_json -> 'vic_TypeOfExploitation')",
		text, sizeof text);
	cr_expect_str_eq(text, "0");
	db_text("SELECT value FROM settings WHERE key = 'list:fields'", text, sizeof text);
	cr_expect_str_eq(text, "[\"al_identification_method\",\"vic_TypeOfExploitation\"]");
	/* Nothing to make anew at the next open. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "user", "list", "--db", db, NULL), 0, "%s", err);
	cr_expect_null(strstr(err, "kept the fields"), "%s", err);
}

Test(cli, the_demo_holds_cases_meetings_tasks_and_letters_of_past_months_and_their_figures)
{
	char err[4096], text[200], out[300];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "init", "--db", db, "--demo", NULL), 0, "%s", err);
	db_text("SELECT count(*) FROM cases", text, sizeof text);
	cr_expect_str_eq(text, "63", "62 cases and one person at risk who became a case");
	/* One girl registered twice, as Xhuljeta and as Giulietta: a pair for the Authority's queue. */
	db_text("SELECT count(*) FROM duplicates d JOIN duplicate_scores s ON s.duplicate_id = d.id JOIN cases a ON"
		" a.id = d.case_a JOIN cases b ON b.id = d.case_b WHERE d.reason = 'similar' AND d.status = 'open' AND"
		" s.agreed LIKE '%birth%' AND a.county_id <> b.county_id",
		text, sizeof text);
	cr_expect_neq(atoi(text), 0, "the demo's likely duplicate found by approximate matching");
	db_text("SELECT count(DISTINCT stage) FROM cases", text, sizeof text);
	cr_expect_str_eq(text, "4", "registered, referred, decided, closed");
	db_text("SELECT count(DISTINCT status) FROM cases", text, sizeof text);
	cr_expect_str_eq(text, "3", "victims, potential victims, and persons found not to be");
	db_text("SELECT count(DISTINCT substr(identified_on, 1, 4)) > 1 FROM cases", text, sizeof text);
	cr_expect_str_eq(text, "1", "over more than one year");
	db_text("SELECT count(*) FROM case_personal WHERE instr(value, '(demo)') > 0", text, sizeof text);
	cr_expect_str_eq(text, "0", "names are stored sealed");
	/* The bodies' work of the last months: held, noticed, decided, followed up, approved. */
	db_text("SELECT count(DISTINCT status) FROM meetings", text, sizeof text);
	cr_expect_str_eq(text, "3", "meetings scheduled, held and cancelled");
	db_text("SELECT count(*) > 0 FROM meetings WHERE minutes_status = 'approved' AND length(minutes_hash) = 64", text,
		sizeof text);
	cr_expect_str_eq(text, "1", "minutes approved at the next meeting");
	db_text("SELECT count(DISTINCT status) FROM tasks", text, sizeof text);
	cr_expect_str_eq(text, "3", "tasks open, in progress and done");
	db_text("SELECT count(*) > 0 FROM tasks WHERE status = 'open' AND due < date('now')", text, sizeof text);
	cr_expect_str_eq(text, "1", "an overdue task");
	db_text("SELECT count(DISTINCT direction) FROM correspondence", text, sizeof text);
	cr_expect_str_eq(text, "2", "letters in and out");
	db_text("SELECT count(*) FROM body_documents WHERE adopted_in IS NOT NULL", text, sizeof text);
	cr_expect_str_eq(text, "1", "rules of procedure adopted in a meeting");
	/* The registers of prevention and cooperation: every one holds entries, people at risk sealed. */
	db_text("SELECT count(DISTINCT register) FROM register_entries", text, sizeof text);
	cr_expect_str_eq(text, "7", "every register");
	db_text("SELECT count(*) FROM register_personal WHERE instr(value, '(demo)') > 0", text, sizeof text);
	cr_expect_str_eq(text, "0", "names of people at risk are stored sealed");
	db_text("SELECT count(*) FROM register_entries e JOIN cases c ON c.id = e.case_id", text, sizeof text);
	cr_expect_str_eq(text, "1", "a person at risk became a case");
	db_text("SELECT count(*) > 1 FROM register_refs WHERE kind = 'person'", text, sizeof text);
	cr_expect_str_eq(text, "1", "members trained");
	db_text("SELECT count(*) FROM register_entries e JOIN meetings m ON m.id = e.meeting_id WHERE m.kind = 'extraordinary'",
		text, sizeof text);
	cr_expect_str_eq(text, "1", "an emergency activation with its extraordinary meeting");
	/* Reports: a Table's sent to its KRAT, a KRAT's waiting for its meeting, the Authority's half approved. */
	db_text("SELECT group_concat(status, ',') FROM (SELECT status FROM reports ORDER BY id)", text, sizeof text);
	cr_expect_str_eq(text, "delivered,submitted,submitted");
	db_text("SELECT count(*) FROM report_approvals WHERE decision = 'approve'", text, sizeof text);
	cr_expect_str_eq(text, "1");
	/* Last year's national table has figures. */
	char year[16];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(year, sizeof year, "%d", tm.tm_year + 1900 - 1);
	snprintf(out, sizeof out, "%s.csv", db);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "stats", "table", "by_county", "--period", year, "--db", db, "--audience",
			     "authority", "--out", out, NULL),
		     0, "%s", err);
	char *csv = file_read(out, NULL);
	cr_assert_not_null(csv);
	cr_expect_null(strstr(csv, "Gjithsej,0,0,0"), "%s", csv);
	free(csv);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 0, "%s", err);
}
