/* `nrm backup` and `nrm restore` (issue 14, point 8): a backup made while the server serves
 * writes, restored elsewhere with the key file, gives back every case with its personal
 * fields; the file shows nothing in clear and is private; an altered, truncated, foreign or
 * reassembled backup is refused by name with nothing replaced; no restore under a running
 * server. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MARKER "Vjollcëza"
#define MARKER2 "Prenkaj"

static struct server srv;
static struct client cw; /* fier.caseworker */
static char codes[3][32];
static json_t *personal[3]; /* the personal fields of each case as read before any backup */

static struct reply read_personal(struct client *c, const char *code)
{
	char path[160];
	snprintf(path, sizeof path, "/api/v1/cases/%s/personal", code);
	return client_req(c, "POST", path, "{\"reason\":\"kontroll i kopjes rezervë\"}");
}

static long long institution(struct client *c)
{
	struct reply r = client_get(c, "/api/v1/session");
	long long id = jint(r.json, "user.institution");
	reply_free(&r);
	return id;
}

static void case_body(char *out, size_t cap, const char *first, const char *doc, long long inst)
{
	snprintf(out, cap,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
		 "\"prs_SecondName\":\"" MARKER2 "\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2009-03-04\","
		 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedBegging\"],"
		 "\"al_documents\":[{\"al_document_type\":\"passport\",\"al_document_number\":\"%s\"}],"
		 "\"al_narrative\":\"Rrëfim i plotë, me ë dhe ç.\"}}",
		 first, inst, doc);
}

static void setup(void)
{
	server_start(&srv);
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
}

/* Three cases with the marker's name, and their personal fields as the API reads them. */
static void seed_cases(void)
{
	long long inst = institution(&cw);
	static const char *const names[3] = {MARKER, MARKER " Ana", "Ëlira"};
	for (int i = 0; i < 3; i++) {
		char body[2048], doc[32];
		snprintf(doc, sizeof doc, "VB%07d", 4242 + i);
		case_body(body, sizeof body, names[i], doc, inst);
		struct reply r = client_must(&cw, "POST", "/api/v1/cases", body, 201);
		snprintf(codes[i], sizeof codes[i], "%s", jstr(r.json, "code"));
		reply_free(&r);
		r = read_personal(&cw, codes[i]);
		cr_assert_eq(r.status, 200, "%s", r.body);
		personal[i] = json_incref(jpath(r.json, "fields"));
		reply_free(&r);
	}
}
static void teardown(void)
{
	for (int i = 0; i < 3; i++)
		json_decref(personal[i]);
	client_free(&cw);
	server_stop(&srv);
}
TestSuite(backup, .init = setup, .fini = teardown, .timeout = 180);

/* A new private folder for a restored database, with the installation's key file in it (as
 * an operator puts it back first); *db its database's path. */
static void restore_dir(char dir[64], char db[128])
{
	snprintf(dir, 64, "/tmp/nrm-restored-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, 128, "%s/nrm.db", dir);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "cp -p '%s.key' '%s.key'", srv.db, db);
	cr_assert_eq(system(cmd), 0);
}

static void remove_dir(const char *dir)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/* Makes a backup of the test server's database into `out`; asserts success. */
static void backup_to(const char *out)
{
	char err[4096];
	int rc = nrm_run(NULL, err, sizeof err, "backup", "--db", srv.db, "--out", out, NULL);
	cr_assert_eq(rc, 0, "nrm backup: %d %s", rc, err);
}

static int file_has(const char *path, const char *needle)
{
	size_t n;
	char *b = file_read(path, &n);
	int found = b && memmem(b, n, needle, strlen(needle)) != NULL;
	free(b);
	return found;
}

/* The names of dir's entries that begin with prefix, counted. */
static int entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

Test(backup, a_backup_shows_nothing_in_clear_and_restored_elsewhere_after_a_key_rotation_gives_back_every_personal_field)
{
	char out[400], dir[64], db[128], err[4096];
	seed_cases();
	snprintf(out, sizeof out, "%s/round.backup", srv.dir);
	backup_to(out);
	for (int i = 0; i < 3; i++)
		cr_expect(!file_has(out, codes[i]), "the backup shows case code %s: not encrypted as a whole", codes[i]);
	cr_expect(!file_has(out, MARKER), "the backup holds the name in clear");
	cr_expect(!file_has(out, MARKER2), "the backup holds the surname in clear");
	cr_expect(!file_has(out, "VB0004242"), "the backup holds the document number in clear");
	cr_expect(!file_has(out, "SQLite format 3"), "the backup is a database in clear");
	/* The key is rotated after the backup (nrm key rotate, the server serving): the backup
	 * records key version 1, which the rotated keyring keeps, retired. */
	int rc = nrm_run(NULL, err, sizeof err, "key", "rotate", "--db", srv.db, NULL);
	cr_assert_eq(rc, 0, "nrm key rotate: %d %s", rc, err);
	restore_dir(dir, db);
	char keyring[400], *ring;
	snprintf(keyring, sizeof keyring, "%s.key", db);
	ring = file_read(keyring, NULL);
	cr_assert(ring && strncmp(ring, "nrm keyring", 11) == 0 && strstr(ring, "\n2 "), "the keyring restored holds version 2");
	free(ring);
	rc = nrm_run(NULL, err, sizeof err, "restore", out, "--db", db, NULL);
	cr_assert_eq(rc, 0, "nrm restore: %d %s", rc, err);
	cr_expect(file_has(db, codes[0]), "the restored database holds the codes: the search above would see clear text");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 0, "%s", err);
	/* A server on the restored database answers with the same personal fields. */
	struct server back = {0};
	snprintf(back.dir, sizeof back.dir, "%s", dir);
	snprintf(back.db, sizeof back.db, "%s", db);
	snprintf(back.log, sizeof back.log, "%s/serve.log", dir);
	server_restart(&back, NULL);
	struct client c = client_as(&back, "fier.caseworker");
	for (int i = 0; i < 3; i++) {
		struct reply r = read_personal(&c, codes[i]);
		cr_expect_eq(r.status, 200, "%s: %s", codes[i], r.body);
		cr_expect(json_equal(jpath(r.json, "fields"), personal[i]), "%s: the personal fields differ: %s", codes[i],
			  r.body);
		reply_free(&r);
	}
	cr_expect_str_eq(jstr(personal[0], "prs_FirstName"), MARKER, "the fields compared are the real ones");
	client_free(&c);
	cr_expect_eq(db_int(&back, "SELECT count(*) FROM audit WHERE action = 'restore' AND entity = 'database'"), 1,
		     "the restore is in the restored trail");
	server_stop(&back); /* removes dir */
}

/* A writer registering cases over HTTP until told to stop. */
struct writer {
	const struct server *s;
	atomic_int stop;
	atomic_int acked, failed;
	long long inst;
};

static void *write_cases(void *arg)
{
	struct writer *w = arg;
	struct client c;
	client_init(&c, w->s);
	client_share(&c, &cw);
	char body[2048];
	struct reply r;
	while (!atomic_load(&w->stop)) {
		case_body(body, sizeof body, "Shkrues", "WR0000001", w->inst);
		r = client_try(&c, "POST", "/api/v1/cases", body);
		if (r.status == 201)
			w->acked++;
		else
			w->failed++;
		reply_free(&r);
	}
	client_free(&c);
	return NULL;
}

Test(backup, backups_are_made_while_the_server_serves_writes)
{
	struct writer w = {.s = &srv, .inst = institution(&cw)};
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, write_cases, &w), 0);
	/* Writes under way before the first backup starts. */
	while (w.acked < 3 && !w.failed) {
		struct reply r = client_get(&cw, "/healthz");
		reply_free(&r);
	}
	char out[400], err[4096];
	int made = 0, before = 0, rc = 0;
	for (int i = 0; i < 2; i++) {
		before = w.acked;
		snprintf(out, sizeof out, "%s/busy-%d.backup", srv.dir, i);
		if ((rc = nrm_run(NULL, err, sizeof err, "backup", "--db", srv.db, "--out", out, NULL)) == 0)
			made++;
	}
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	cr_expect_eq(made, 2, "every backup made while cases were written: %d %s", rc, err);
	cr_expect_eq(w.failed, 0, "no write failed during the backups (%d acknowledged)", w.acked);
	cr_expect(w.acked > before, "writes went on during the backups (%d)", w.acked);
	/* The last backup holds every case acknowledged before it began. */
	char dir[64], db[128];
	restore_dir(dir, db);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "restore", out, "--db", db, NULL), 0, "%s", err);
	struct server view = {0};
	snprintf(view.db, sizeof view.db, "%s", db);
	long long n = db_int(&view, "SELECT count(*) FROM cases WHERE code LIKE 'FR-%'");
	cr_expect(n >= before, "the backup holds the %d cases acknowledged before it (%lld)", before, n);
	remove_dir(dir);
}

/* The whole file as bytes, and a copy of it written with a change. */
static char *slurp(const char *path, size_t *n)
{
	char *b = file_read(path, n);
	cr_assert_not_null(b, "%s", path);
	return b;
}

static void spill(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(b, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
}

/* The restore of `bad` onto db (an existing database, with --force) is refused with a message
 * holding `says`, and db is byte for byte what it was. */
static void refused(const char *bad, const char *db, const char *says)
{
	size_t n0, n1;
	char *before = slurp(db, &n0), err[4096];
	int rc = nrm_run(NULL, err, sizeof err, "restore", bad, "--db", db, "--force", NULL);
	cr_expect_neq(rc, 0, "%s was restored", bad);
	cr_expect_not_null(strstr(err, says), "the refusal of %s names what failed (%s): %s", bad, says, err);
	char *after = slurp(db, &n1);
	cr_expect(n0 == n1 && memcmp(before, after, n0) == 0, "%s: the database was changed", bad);
	free(before);
	free(after);
}

Test(backup, an_altered_truncated_foreign_or_reassembled_backup_is_refused_and_nothing_is_replaced_nor_under_a_server)
{
	char a[400], b[400], bad[400], dir[64], db[128], err[4096];
	snprintf(a, sizeof a, "%s/a.backup", srv.dir);
	snprintf(b, sizeof b, "%s/b.backup", srv.dir);
	snprintf(bad, sizeof bad, "%s/bad.backup", srv.dir);
	backup_to(a);
	backup_to(b);
	/* The database a bad backup would replace: a good restore of a. */
	restore_dir(dir, db);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "restore", a, "--db", db, NULL), 0, "%s", err);
	size_t n, nb;
	char *bytes = slurp(a, &n);

	/* One byte flipped in the encrypted database. */
	bytes[n / 2] ^= 0x20;
	spill(bad, bytes, n);
	refused(bad, db, "altered");
	bytes[n / 2] ^= 0x20;
	/* One flipped in the header, where the size is announced. */
	char *size = memmem(bytes, 2000, "\"bytes\":", 8);
	cr_assert_not_null(size);
	size[8] = size[8] == '9' ? '1' : (char)(size[8] + 1);
	spill(bad, bytes, n);
	refused(bad, db, "bytes");
	free(bytes);
	bytes = slurp(a, &n);
	/* Cut short, within the signature. */
	spill(bad, bytes, n - 10);
	refused(bad, db, "truncated");
	/* The header of a on the rest of b: both signed, but not together. */
	char *other = slurp(b, &nb);
	char *ha = memchr(bytes + 11, '\n', n - 11), *hb = memchr(other + 11, '\n', nb - 11);
	size_t la = (size_t)(ha - bytes) + 1, lb = (size_t)(hb - other) + 1;
	char *mix = malloc(la + nb - lb);
	memcpy(mix, bytes, la);
	memcpy(mix + la, other + lb, nb - lb);
	spill(bad, mix, la + nb - lb);
	refused(bad, db, nb - lb == n - la ? "altered" : "bytes");
	free(mix);
	free(other);
	free(bytes);
	/* A backup of another installation, made with its own key file. */
	char foreign[400], fdb[400];
	snprintf(fdb, sizeof fdb, "%s/other.db", dir);
	snprintf(foreign, sizeof foreign, "%s/other.backup", dir);
	char cmd[1600];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && head -c 32 /dev/urandom > '%s.key' && chmod 600 '%s.key'", db, fdb, fdb, fdb);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "backup", "--db", fdb, "--out", foreign, NULL), 0, "%s", err);
	refused(foreign, db, "another key file");
	/* Not a backup at all: the database itself. */
	refused(srv.db, db, "not an nrm backup");
	cr_expect_eq(entries(dir, ".nrm-restore-"), 0, "no decrypted copy is left behind");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", db, NULL), 0, "%s", err);
	/* A good backup is still refused where it would replace an existing database without
	 * --force, or the database of a running server. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "restore", a, "--db", db, NULL), 2);
	cr_expect_not_null(strstr(err, "--force"), "%s", err);
	int rc = nrm_run(NULL, err, sizeof err, "restore", a, "--db", srv.db, "--force", NULL);
	cr_expect_neq(rc, 0);
	cr_expect_not_null(strstr(err, "running nrm serve"), "%s", err);
	struct reply r = client_must(&cw, "GET", "/healthz", NULL, 200);
	reply_free(&r);
	cr_expect_eq(entries(srv.dir, ".nrm-restore-"), 0);
	remove_dir(dir);
}

Test(backup, backups_are_private_files_in_a_private_folder_with_the_anchor_beside)
{
	char err[4096], folder[400], stale[600];
	snprintf(folder, sizeof folder, "%s.backups", srv.db);
	/* A copy in clear left by a backup killed with SIGKILL (its process is gone): removed by
	 * the next backup. */
	pid_t gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	mkdir(folder, 0700);
	snprintf(stale, sizeof stale, "%s/.nrm-clear-%ld-AbCdEf", folder, (long)gone);
	file_write(stale, "left by a killed backup");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "backup", "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_neq(access(stale, F_OK), 0, "the stale copy is removed");
	struct stat st;
	cr_assert_eq(stat(folder, &st), 0, "the default folder is FILE.backups beside the database");
	cr_expect_eq(st.st_mode & 0777, 0700);
	DIR *d = opendir(folder);
	struct dirent *e;
	int files = 0, anchors = 0, backup_anchor = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		char p[800];
		snprintf(p, sizeof p, "%s/%s", folder, e->d_name);
		cr_assert_eq(stat(p, &st), 0);
		cr_expect_eq(st.st_mode & 0777, 0600, "%s is private", e->d_name);
		files += strncmp(e->d_name, "nrm-", 4) == 0 && strstr(e->d_name, ".backup") != NULL;
		if (strncmp(e->d_name, "audit-anchor-", 13) == 0) {
			anchors++;
			json_t *an = json_load_file(p, 0, NULL);
			cr_expect(jint(an, "rows") > 0 && *jstr(an, "head") && *jstr(an, "signature"),
				  "the anchor names rows, head and signature");
			/* The server's anchor at start, and the backup's: the trail up to its own row. */
			backup_anchor |= jint(an, "rows") == db_int(&srv, "SELECT count(*) FROM audit WHERE id <= (SELECT"
									  " max(id) FROM audit WHERE action = 'backup')");
			json_decref(an);
		}
	}
	if (d)
		closedir(d);
	cr_expect_eq(files, 1, "one backup file");
	cr_expect(anchors >= 1 && backup_anchor, "the backup's anchor is beside it (%d anchors)", anchors);
	cr_expect_eq(entries(folder, ".nrm-"), 0, "no copy in clear is left behind");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE action = 'backup' AND entity = 'database'") > 0, 1,
		     "the backup is in the audit trail");
}
