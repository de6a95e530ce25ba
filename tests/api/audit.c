/* The audit trail nobody can quietly rewrite, and keys that can be rotated (issue 14, points 1
 * and 8): every tamper an attacker with the sqlite3 shell would make to a copy of the database
 * is named by `nrm audit verify`; a key rotation runs while `nrm serve` answers, is resumed after
 * a kill, and leaves every reading, search and signature as it was; a key file others can read
 * is refused. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "secure/crypt.h"

static char dir[64];
static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-audit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(sodium_init() < 0, 0);
}
static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(audit, .init = setup, .fini = teardown, .timeout = 240);

static void shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void shell(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* A database of its own made from the suite's template (or `nrm init --demo`, with demo cases
 * when `cases`), with its key; the path into db. */
static void database(const char *name, bool cases, char *db, size_t cap)
{
	const char *tmpl = getenv("NRM_TEST_TEMPLATE");
	snprintf(db, cap, "%s/%s.db", dir, name);
	if (tmpl && *tmpl && !cases)
		shell("cp -p '%s' '%s' && cp -p '%s.key' '%s.key'", tmpl, db, tmpl, db);
	else
		cr_assert_eq(nrm_run(NULL, NULL, 0, "init", "--db", db, "--demo", cases ? NULL : "--no-demo-cases", NULL), 0);
}

static long long scalar(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* `nrm audit verify --db db [extra]`: its exit status, its stderr into err. */
static int verify(const char *db, const char *extra, char *err, size_t cap)
{
	return extra ? nrm_run(NULL, err, cap, "audit", "verify", "--db", db, extra, NULL)
		     : nrm_run(NULL, err, cap, "audit", "verify", "--db", db, NULL);
}

/* A copy of base (database, key, anchors) named name, tampered with by the sqlite3 shell. */
static void tampered(const char *base, const char *name, const char *sql, char *db, size_t cap)
{
	snprintf(db, cap, "%s/%s.db", dir, name);
	shell("cp -p '%s' '%s' && cp -p '%s.key' '%s.key' && cp -rp '%s.backups' '%s.backups'", base, db, base, db, base, db);
	if (sql)
		shell("sqlite3 '%s' \"%s\"", db, sql);
}

/* One value of the chain's MAC input, as secure/audit.h documents it. */
static void put(crypto_generichash_state *st, const char *v)
{
	unsigned char tag = v ? 1 : 0, len[8];
	crypto_generichash_update(st, &tag, 1);
	if (!v)
		return;
	unsigned long long n = strlen(v);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update(st, len, 8);
	crypto_generichash_update(st, (const unsigned char *)v, (size_t)n);
}

enum chain { UNKEYED, KEYED };
/* Writes to script the SQL that re-computes the whole chain of db: with the unkeyed hash of
 * the old nrm, or keyed by `key` as nrm does (a wrong key, or the right one stolen). */
static void rechain_script(const char *db, enum chain how, const unsigned char key[32], const char *script)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	FILE *out = fopen(script, "w");
	cr_assert_not_null(out);
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h,
					"SELECT id, ts, user_id, username, action, entity, entity_id, before_json, after_json,"
					" reason FROM audit ORDER BY id",
					-1, &st, NULL),
		     SQLITE_OK);
	char prev[80] = "";
	fputs("BEGIN;\n", out);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *v[10];
		for (int i = 0; i < 10; i++)
			v[i] = (const char *)sqlite3_column_text(st, i);
		unsigned char m[32];
		char hex[65], next[80];
		crypto_generichash_state g;
		if (how == UNKEYED) {
			static const unsigned char sep = 0x1f;
			const char *order[10] = {prev, v[1], v[2] ? v[2] : "0", v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
			crypto_generichash_init(&g, NULL, 0, 32);
			for (int i = 0; i < 10; i++) {
				if (order[i])
					crypto_generichash_update(&g, (const unsigned char *)order[i], strlen(order[i]));
				crypto_generichash_update(&g, &sep, 1);
			}
			crypto_generichash_final(&g, m, 32);
			sodium_bin2hex(next, sizeof next, m, 32);
		} else {
			crypto_generichash_init(&g, key, 32, 32);
			crypto_generichash_update(&g, (const unsigned char *)"nrm-audit/1", 11);
			put(&g, v[0]);
			put(&g, prev);
			for (int i = 1; i < 10; i++)
				put(&g, v[i]);
			crypto_generichash_final(&g, m, 32);
			sodium_bin2hex(hex, sizeof hex, m, 32);
			snprintf(next, sizeof next, "m1:%s", hex);
		}
		fprintf(out, "UPDATE audit SET prev_hash = '%s', hash = '%s' WHERE id = %s;\n", prev, next, v[0]);
		snprintf(prev, sizeof prev, "%s", next);
	}
	fputs("COMMIT;\n", out);
	sqlite3_finalize(st);
	sqlite3_close(h);
	fclose(out);
}

/* n more cases imported into db, so a rotation's output is larger than the pipe it writes to
 * (see rotate_start) before it is through the cases. */
static void more_cases(const char *db, int n)
{
	char csv[300], err[4096];
	snprintf(csv, sizeof csv, "%s/more.csv", dir);
	FILE *f = fopen(csv, "w");
	cr_assert_not_null(f);
	fputs("prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,al_identifying_institution,"
	      "al_identification_method,al_county,al_indicators_a,al_indicators_c\n",
	      f);
	for (int i = 0; i < n; i++)
		fprintf(f, "Emri%d,Mbiemri%d,Feminine,30,2026-10-01,1,police,fier,A01,C01\n", i, i);
	fclose(f);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 0,
		     "%s", err);
}

Test(audit, every_tamper_made_with_the_sqlite3_shell_is_named_and_an_untouched_copy_passes)
{
	char base[200], db[200], err[4096], anchor[300];
	database("base", false, base, sizeof base);
	more_cases(base, 20);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "audit", "anchor", "--db", base, NULL), 0, "%s", err);
	cr_expect_not_null(strstr(err, "\"msg\":\"audit_anchor\""), "the anchor is logged too: %s", err);
	long long rows = scalar(base, "SELECT count(*) FROM audit"), nul = scalar(base, "SELECT min(id) FROM audit WHERE reason IS NULL AND id > 3");
	cr_assert_gt(rows, 10);

	tampered(base, "untouched", NULL, db, sizeof db);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 0, "an untouched copy passes: %s", err);

	char sql[600], want[200];
	tampered(base, "altered", "UPDATE audit SET username = 'mallory' WHERE id = 5", db, sizeof db);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1);
	cr_expect_not_null(strstr(err, "row 5 does not carry its MAC"), "%s", err);

	snprintf(sql, sizeof sql, "UPDATE audit SET reason = '' WHERE id = %lld", nul);
	tampered(base, "null_to_empty", sql, db, sizeof db);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1, "NULL and '' differ");
	snprintf(want, sizeof want, "row %lld does not carry its MAC", nul);
	cr_expect_not_null(strstr(err, want), "%s", err);

	/* Room made in the middle, and a row put in it that chains to the one before. */
	tampered(base, "inserted",
		 "UPDATE audit SET id = id + 100000 WHERE id > 10; UPDATE audit SET id = id - 99999 WHERE id > 100000;"
		 " INSERT INTO audit(id, ts, username, action, entity, prev_hash, hash)"
		 " SELECT 11, ts, 'mallory', 'login', 'session', hash, 'm1:' || lower(hex(randomblob(32))) FROM audit WHERE id = 10",
		 db, sizeof db);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1);
	cr_expect_not_null(strstr(err, "row 11 was inserted"), "%s", err);

	tampered(base, "middle_removed", "DELETE FROM audit WHERE id = 8", db, sizeof db);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1);
	cr_expect_not_null(strstr(err, "rows 8 to 8 were removed"), "%s", err);

	snprintf(sql, sizeof sql, "DELETE FROM audit WHERE id > %lld", rows - 3);
	tampered(base, "newest_removed", sql, db, sizeof db);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1, "the anchor counts the rows");
	snprintf(want, sizeof want, "counts %lld rows up to row %lld; the trail has %lld rows", rows, rows, rows - 3);
	cr_expect_not_null(strstr(err, "the newest rows of the audit trail were removed"), "%s", err);
	cr_expect_not_null(strstr(err, want), "%s", err);
	cr_expect_eq(verify(db, "--no-anchor", err, sizeof err), 0, "without an anchor a shortened chain is still a chain");

	/* The whole chain re-computed: with the old unkeyed hash, with a wrong key, and with the
	 * right key (someone who stole the key file) after altering a row. */
	char script[300];
	snprintf(script, sizeof script, "%s/rechain.sql", dir);
	tampered(base, "unkeyed", "UPDATE audit SET username = 'mallory' WHERE id = 5", db, sizeof db);
	rechain_script(db, UNKEYED, NULL, script);
	shell("sqlite3 '%s' < '%s'", db, script);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1);
	cr_expect_not_null(strstr(err, "row 1 carries an unkeyed hash"), "%s", err);

	unsigned char wrong[32];
	randombytes_buf(wrong, sizeof wrong);
	tampered(base, "wrong_key", "UPDATE audit SET username = 'mallory' WHERE id = 5", db, sizeof db);
	rechain_script(db, KEYED, wrong, script);
	shell("sqlite3 '%s' < '%s'", db, script);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1);
	cr_expect_not_null(strstr(err, "row 1 does not carry its MAC"), "%s", err);

	static struct crypt_keys k;
	unsigned char right[32];
	char keyfile[300];
	snprintf(keyfile, sizeof keyfile, "%s.key", base);
	struct nrm_err e = {0};
	cr_assert_eq(crypt_load_keys(keyfile, &k, &e), 0, "%s", e.msg);
	cr_assert_eq(crypt_mac_key(&k, 1, right), 0);
	tampered(base, "stolen_key", "UPDATE audit SET username = 'mallory' WHERE id = 5", db, sizeof db);
	rechain_script(db, KEYED, right, script);
	shell("sqlite3 '%s' < '%s'", db, script);
	cr_expect_eq(verify(db, "--no-anchor", err, sizeof err), 0, "with the key, a chain can be re-computed");
	cr_expect_eq(verify(db, NULL, err, sizeof err), 1, "but not past the anchor");
	snprintf(want, sizeof want, "rows up to row %lld are not the rows the anchor", rows);
	cr_expect_not_null(strstr(err, "the audit trail was re-computed"), "%s", err);
	cr_expect_not_null(strstr(err, want), "%s", err);

	/* A forged anchor is refused: one altered, and one signed by another installation. */
	tampered(base, "forged", NULL, db, sizeof db);
	snprintf(sql, sizeof sql, "%s/forged.json", dir);
	shell("sed 's/\"rows\": %lld/\"rows\": %lld/' %s.backups/audit-anchor-*.json > '%s'", rows, rows - 3, base, sql);
	cr_expect_eq(verify(db, "--anchor", err, sizeof err), 2, "--anchor needs its file");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, "--anchor", sql, NULL), 1);
	cr_expect_not_null(strstr(err, "is not signed by a key of this installation"), "%s", err);
	char other[200];
	database("other", false, other, sizeof other);
	shell("rm -rf '%s.backups' && head -c 32 /dev/urandom > '%s.key'", other, other);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "audit", "anchor", "--db", other, NULL), 0, "%s", err);
	shell("ls %s.backups/audit-anchor-*.json | head -1 > %s/other-anchor", other, dir);
	snprintf(anchor, sizeof anchor, "%s/other-anchor", dir);
	char *name = file_read(anchor, NULL);
	cr_assert_not_null(name);
	name[strcspn(name, "\n")] = '\0';
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, "--anchor", name, NULL), 1);
	cr_expect_not_null(strstr(err, "is not signed by a key of this installation"), "%s", err);
	free(name);
	crypt_keys_wipe(&k);
}

Test(audit, a_trail_of_an_older_nrm_is_brought_under_the_key_once_and_says_so)
{
	char db[200], err[4096], script[300];
	database("old", false, db, sizeof db);
	shell("rm -rf '%s.backups'", db);
	snprintf(script, sizeof script, "%s/old.sql", dir);
	rechain_script(db, UNKEYED, NULL, script);
	shell("sqlite3 '%s' < '%s'", db, script);
	long long rows = scalar(db, "SELECT count(*) FROM audit");
	cr_expect_eq(verify(db, NULL, err, sizeof err), 0, "%s", err);
	cr_expect_not_null(strstr(err, "is now chained under the key"), "%s", err);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM audit WHERE hash LIKE 'm1:%'"), rows + 1);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM audit WHERE action = 'audit_keyed'"
				" AND json_extract(after_json, '$.old_chain') = 'intact'"),
		     1);
	cr_expect_eq(verify(db, NULL, err, sizeof err), 0, "%s", err);
	cr_expect_null(strstr(err, "chained under the key"), "once: %s", err);
}

/* Starts `nrm key rotate --db db --batch N` with its standard output into a pipe of one page
 * read unbuffered, so it is never more than a page of output (about 95 batches) ahead of the
 * lines the test has read: it waits at a batch boundary until the test reads on. */
static pid_t rotate_start(const char *db, const char *batch, FILE **out)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	fcntl(fds[1], F_SETPIPE_SZ, 4096);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2);
		close(fds[0]);
		execl(nrm_bin(), nrm_bin(), "key", "rotate", "--db", db, "--batch", batch, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*out = fdopen(fds[0], "r");
	/* Unbuffered: the test reads no further ahead than the lines it asks for. */
	setvbuf(*out, NULL, _IONBF, 0);
	return pid;
}

static int finish(pid_t pid, FILE *out)
{
	char line[512];
	while (fgets(line, sizeof line, out))
		;
	fclose(out);
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Values sealed under version v (the header "nk", 2 bytes of version) in case_personal. */
static long long sealed_under(const char *db, int v)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_personal WHERE substr(value, 1, 4) = X'6E6B00%02X'", v);
	return scalar(db, sql);
}

static void create_case(struct client *c, const char *first, const char *last, char out[32])
{
	struct reply me = client_get(c, "/api/v1/session");
	char body[2048];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
		 "\"prs_SecondName\":\"%s\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2001-02-03\","
		 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedBegging\"],"
		 "\"al_narrative\":\"E gjetur pranë tregut.\"}}",
		 first, last, jint(me.json, "user.institution"));
	reply_free(&me);
	struct reply r = client_req(c, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(out, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
}

/* The personal fields of case code as the server answers them (compact JSON text, malloc'd). */
static char *personal(struct client *c, const char *code)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	struct reply r = client_req(c, "POST", path, "{\"reason\":\"ndjekja e rastit\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	char *s = json_dumps(jpath(r.json, "fields"), JSON_COMPACT | JSON_SORT_KEYS);
	reply_free(&r);
	return s;
}

static bool found(struct client *c, const char *first, const char *last, const char *code)
{
	char body[200];
	snprintf(body, sizeof body, "{\"first_name\":\"%s\",\"last_name\":\"%s\"}", first, last);
	struct reply r = client_req(c, "POST", "/api/v1/cases/search", body);
	bool yes = r.status == 200 && jstr(r.json, "items.0.code") && strcmp(jstr(r.json, "items.0.code"), code) == 0;
	reply_free(&r);
	return yes;
}

/* Reads and searches while the rotation waits at a batch boundary (every `every` lines of its
 * output): the case reads back as `before`, is found by name; *both counts the reads made while
 * values of both versions were stored. The case `during` is written at the first such read. */
static void read_along(struct client *cw, const char *db, FILE *out, int every, int stop_after, const char *code,
		       const char *before, int *both, char during[32])
{
	char line[512];
	int lines = 0;
	while ((stop_after == 0 || lines < stop_after) && fgets(line, sizeof line, out)) {
		if (lines++ % every)
			continue;
		if (sealed_under(db, 1) > 0 && sealed_under(db, 2) > 0)
			(*both)++;
		char *now = personal(cw, code);
		cr_expect_str_eq(now, before, "read back identical during the rotation");
		free(now);
		cr_expect(found(cw, "Lindita", "Marku", code), "found by name during the rotation");
		if (!during[0] && *both)
			create_case(cw, "Vjollca", "Dervishi", during);
	}
}

Test(audit, a_key_rotation_killed_and_resumed_while_the_server_answers_leaves_every_reading_search_and_signature_as_it_was)
{
	char tmpl[200], err[4096], report[300], code[32], during[32] = "";
	/* The full demo (cases, register entries, sealed reasons, an approved and signed report),
	 * and more cases so that the rotation's output outgrows its pipe (rotate_start). */
	database("demo", true, tmpl, sizeof tmpl);
	more_cases(tmpl, 80);
	setenv("NRM_TEST_TEMPLATE", tmpl, 1);
	struct server srv;
	server_start(&srv);
	char *log = file_read(srv.log, NULL), cmd[800];
	cr_expect(log && strstr(log, "\"msg\":\"audit_anchor\""), "nrm serve anchors the trail at start, and logs it");
	free(log);
	snprintf(cmd, sizeof cmd, "ls '%s.backups'/audit-anchor-*.json >/dev/null", srv.db);
	cr_expect_eq(system(cmd), 0, "into FILE.backups/");
	struct client cw = client_as(&srv, "fier.caseworker");
	create_case(&cw, "Lindita", "Marku", code);
	char *before = personal(&cw, code);
	cr_assert(found(&cw, "lindita", "MARKU", code));
	struct client sec = client_as(&srv, "fier.secretariat");
	struct reply r = client_get(&sec, "/api/v1/reports/1/versions/1");
	cr_assert_eq(r.status, 200, "%s", r.body);
	snprintf(report, sizeof report, "%s/report-1.json", dir);
	reply_save(&r, report);
	reply_free(&r);
	long long all = sealed_under(srv.db, 1);
	cr_assert_gt(all, 0);

	/* Killed mid-way: everything committed so far is whole, and the server reads both versions. */
	FILE *out;
	int both = 0;
	pid_t pid = rotate_start(srv.db, "1", &out);
	read_along(&cw, srv.db, out, 10, 21, code, before, &both, during);
	kill(pid, SIGKILL);
	cr_expect_eq(finish(pid, out), 128 + SIGKILL, "it cannot have finished: its output outgrows the unread pipe");
	long long done = sealed_under(srv.db, 2);
	cr_expect_gt(done, 0, "some values were sealed again before the kill");
	cr_expect_lt(sealed_under(srv.db, 2), scalar(srv.db, "SELECT count(*) FROM case_personal"), "not all");
	cr_expect_eq(verify(srv.db, NULL, err, sizeof err), 0, "every batch committed whole, with its audit row: %s", err);
	char *now = personal(&cw, code);
	cr_expect_str_eq(now, before, "read back identical after the kill");
	free(now);

	/* Run again: it resumes, and the server keeps answering. */
	pid = rotate_start(srv.db, "5", &out);
	char first[512];
	cr_assert_not_null(fgets(first, sizeof first, out));
	cr_expect_not_null(strstr(first, "resuming the rotation to key version 2"), "%s", first);
	read_along(&cw, srv.db, out, 10, 0, code, before, &both, during);
	cr_assert_eq(finish(pid, out), 0);
	cr_expect_gt(both, 0, "reads were answered while values of both versions were stored");
	cr_expect_eq(sealed_under(srv.db, 1), 0, "nothing is left under the old version");
	cr_expect_eq(sealed_under(srv.db, 2), scalar(srv.db, "SELECT count(*) FROM case_personal"),
		     "every value, and those of the case written meanwhile, under the new");
	char *after = personal(&cw, code);
	cr_expect_str_eq(after, before, "read back identical after the rotation");
	free(after);
	free(before);
	cr_expect(found(&cw, "LINDITA", "marku", code), "a search by name still finds it");
	cr_expect(during[0] && found(&cw, "Vjollca", "Dervishi", during), "and the case written during the rotation");
	cr_expect_eq(scalar(srv.db, "SELECT count(*) FROM case_blind WHERE v <> 2"), 0, "the old blind indexes are gone");
	cr_expect_eq(verify(srv.db, NULL, err, sizeof err), 0, "%s", err);
	cr_expect_eq(scalar(srv.db, "SELECT count(*) FROM audit WHERE hash NOT LIKE 'm2:%'"), 0, "the trail is MACed anew");
	snprintf(cmd, sizeof cmd, "grep -l '\"head\": \"m1:' '%s.backups'/audit-anchor-*.json | head -1 > '%s/first-anchor'",
		 srv.db, dir);
	cr_assert_eq(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s/first-anchor", dir);
	char *first_anchor = file_read(cmd, NULL);
	cr_assert_not_null(first_anchor);
	first_anchor[strcspn(first_anchor, "\n")] = '\0';
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", srv.db, "--anchor", first_anchor, NULL), 0,
		     "the anchor nrm serve signed before the rotation is still checked, under the old version: %s", err);
	free(first_anchor);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", report, "--db", srv.db, NULL), 0,
		     "a report approved before the rotation still verifies: %s", err);
	char key[320], *ring;
	snprintf(key, sizeof key, "%s.key", srv.db);
	ring = file_read(key, NULL);
	cr_assert_not_null(ring);
	cr_expect_eq(strncmp(ring, "nrm keyring\n1 ", 14), 0, "the old version is kept");
	cr_expect_not_null(strstr(ring, " retired\n2 "), "retired");
	sodium_memzero(ring, strlen(ring));
	free(ring);
	client_free(&sec);
	client_free(&cw);
	server_stop(&srv);
}

Test(audit, a_key_file_others_can_read_or_another_user_owns_is_refused_at_start)
{
	char db[200], key[300], err[4096];
	database("perms", false, db, sizeof db);
	snprintf(key, sizeof key, "%s.key", db);
	chmod(key, 0640);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", db, "--listen", "127.0.0.1:0", NULL), 2);
	cr_expect_not_null(strstr(err, "must be readable by its owner only (chmod 600)"), "%s", err);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "key", "rotate", "--db", db, NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 2);
	cr_expect_eq(nrm_run("pw-long-enough\n", err, sizeof err, "user", "add", "--db", db, "--username", "x", "--role",
			     "dpo", NULL),
		     2);
	cr_expect_not_null(strstr(err, "chmod 600"), "%s", err);
	chmod(key, 0600);
	if (geteuid() == 0) {
		cr_assert_eq(chown(key, 65534, 65534), 0);
		cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", db, "--listen", "127.0.0.1:0", NULL), 2);
		cr_expect_not_null(strstr(err, "must be a file owned by the user running nrm"), "%s", err);
		cr_assert_eq(chown(key, 0, 0), 0);
	}
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 0, "%s", err);
}
