/* The demo database of the harnesses (fuzz/fuzz.h). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"

static char dir[64], tmpl[4096], work[4096];
static unsigned char *image; /* the demo database's bytes, restored by fuzz_db_reset */
static size_t image_len;
static struct cli_db db;
static bool opened;

static void die(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

static void slurp(const char *path, unsigned char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		die("cannot read the demo database");
	long n = ftell(f);
	rewind(f);
	unsigned char *p = malloc((size_t)n + 1);
	if (!p || n < 0 || fread(p, 1, (size_t)n, f) != (size_t)n)
		die("cannot read the demo database");
	fclose(f);
	*out = p;
	*len = (size_t)n;
}

static void spill(const char *path, const unsigned char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die("cannot write the working database");
}

static void reopen(void)
{
	char side[4200];
	/* A WAL or journal left by the previous connection would be replayed onto the fresh copy. */
	snprintf(side, sizeof side, "%s-wal", work);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", work);
	unlink(side);
	spill(work, image, image_len);
	if (cli_db_open("fuzz", work, &db) != 0)
		die("cannot open the working database");
	opened = true;
}

void fuzz_quiet(void)
{
	FILE *null = fopen("/dev/null", "w");
	if (!null)
		die("cannot open /dev/null");
	/* libFuzzer keeps the FILE it was given at start, the sanitizers write to fd 2: both stay. */
	stdout = null;
	stderr = null;
}

static void cleanup(void)
{
	char path[4200];
	static const char *const files[] = {"work.db", "work.db.key", "work.db-wal", "work.db-shm", "new.db", "new.db.key", NULL};
	if (opened)
		cli_db_close(&db);
	for (const char *const *f = files; *f; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
}

/* The demo database is made once (under ASan `nrm init --demo` takes a while) and kept in
 * build/fuzz/, where every later harness process, and each job of libFuzzer's fork mode, finds it. */
static void make_template(bool cases)
{
	snprintf(tmpl, sizeof tmpl, "build/fuzz/demo%s.db", cases ? "-cases" : "");
	char key[4200], fresh[4200], fresh_key[4200];
	snprintf(key, sizeof key, "%s.key", tmpl);
	struct stat st;
	if (stat(tmpl, &st) == 0 && stat(key, &st) == 0)
		return;
	snprintf(fresh, sizeof fresh, "%s/new.db", dir);
	snprintf(fresh_key, sizeof fresh_key, "%s.key", fresh);
	char *argv[] = {"--db", fresh, "--demo", "--no-demo-cases", NULL};
	FILE *out = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = cmd_init(cases ? 3 : 4, argv);
	fclose(stdout);
	stdout = out;
	if (rc != 0)
		die("nrm init --demo failed (run from the repository's root, where data/ is)");
	/* The key first: a template is only taken when its key is there too. */
	if (rename(fresh_key, key) != 0 || rename(fresh, tmpl) != 0)
		die("cannot keep the demo database in build/fuzz/");
}

void fuzz_db_init(bool cases)
{
	if (opened)
		return;
	setenv("NRM_NOW", "2025-11-20T09:00:00Z", 1);
	/* Inside build/: a process that dies of a crash (no atexit) leaves its copy where make clean goes. */
	snprintf(dir, sizeof dir, "build/fuzz/work-XXXXXX");
	if (!mkdtemp(dir))
		die("cannot make a temporary folder");
	atexit(cleanup);
	make_template(cases);
	snprintf(work, sizeof work, "%s/work.db", dir);
	slurp(tmpl, &image, &image_len);
	char key[4200], wkey[4200];
	snprintf(key, sizeof key, "%s.key", tmpl);
	snprintf(wkey, sizeof wkey, "%s.key", work);
	unsigned char *k;
	size_t kn;
	slurp(key, &k, &kn);
	spill(wkey, k, kn);
	chmod(wkey, 0600);
	free(k);
	reopen();
}

const char *fuzz_db_path(void)
{
	return work;
}

struct cli_db *fuzz_db(void)
{
	return &db;
}

void fuzz_db_reset(void)
{
	if (opened)
		cli_db_close(&db);
	opened = false;
	reopen();
}

void fuzz_act(const char *as, struct principal *p, struct nrm_ctx *c)
{
	if (demo_acting(db.db, as, clock_today(), db.form, db.labels, p, c) != 0)
		die("no such demo user");
	c->keys = &db.keys;
	c->stats = db.stats;
}

char *fuzz_strndup(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}
