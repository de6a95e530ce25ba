/* `nrm init`: a new database with its key file and the reference data, all or nothing. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/case.h"
#include "report/report.h"
#include "secure/audit.h"
#include "secure/password.h"

static void remove_db(const char *db)
{
	char p[4096];
	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
}

/* Writes 32 random bytes to path, mode 0600, refusing an existing file (O_EXCL: no
 * check-then-open). */
static int write_key(const char *path, struct nrm_err *err)
{
	unsigned char key[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? nrm_fail(err, NRM_EEXIST, KEY_file_exists, "key", "path", path, NULL)
				       : nrm_fail(err, NRM_EIO, KEY_cannot_write, "key", "path", path, NULL);
	randombytes_buf(key, sizeof key);
	int rc = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0 ? 0 : NRM_EIO;
	close(fd);
	sodium_memzero(key, sizeof key);
	if (rc) {
		unlink(path);
		return nrm_fail(err, rc, KEY_cannot_write, "key", "path", path, NULL);
	}
	return 0;
}

int cmd_init(int argc, char **argv)
{
	const char *db = "nrm.db", *pw = SECURE_DEMO_PASSWORD, *data = NULL;
	bool demo = false, no_cases = false;
	const struct cli_opt opts[] = {{"db", &db, NULL},	      {"demo", NULL, &demo},	{"demo-password", &pw, NULL},
				       {"no-demo-cases", NULL, &no_cases}, {"data", &data, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("init", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!*pw)
		return cli_error("init", EXIT_USAGE, "--demo-password must not be empty");
	char *dir = cli_resource_dir(data, "data");
	if (!dir)
		return cli_error("init", EXIT_USAGE, "reference data folder %s not found (use --data DIR)",
				 data ? data : "data");
	char key[4096];
	snprintf(key, sizeof key, "%s.key", db);
	struct nrm_err err = {0};
	struct store *s = NULL;
	bool made_key = false, made_db = false;
	/* The key first: an existing one is never overwritten, and a database never exists
	 * without its key. Both are made exclusively. */
	if ((rc = write_key(key, &err)))
		goto fail;
	made_key = true;
	if ((rc = store_create(db, &s, &err)))
		goto fail;
	made_db = true;
	if ((rc = store_begin(s)) || (rc = refdata_load(s, dir, &err)) || (rc = case_form_store(s, dir, &err)) ||
	    (rc = report_types_check(s, &err)) ||
	    (demo && ((rc = demo_load(s, pw, &err)) || (!no_cases && (rc = demo_cases(s, dir, key, &err))))) ||
	    (rc = secure_audit(s, NULL, "init", "database", NULL, NULL, NULL, demo ? "with demo data" : NULL)) ||
	    (rc = store_commit(s)))
		goto fail;
	/* The meetings run through the operations a secretariat uses, each its own transaction;
	 * should one fail, the whole new database goes (fail:). */
	if (demo && !no_cases && ((rc = demo_meetings(s, dir, &err)) || (rc = demo_registers(s, dir, key, &err)) ||
				  (rc = demo_reports(s, dir, key, &err)) || (rc = demo_case_reads(s, dir, key, &err))))
		goto fail;
	store_close(s);
	free(dir);
	printf("created %s and its key %s%s\n", db, key, demo ? " with demo data" : "");
	return EXIT_OK;
fail:
	if (s) {
		store_rollback(s);
		store_close(s);
	}
	if (made_db)
		remove_db(db);
	if (made_key)
		unlink(key);
	free(dir);
	if (!err.msg[0])
		nrm_fail(&err, rc, nrm_key_of_code(rc), NULL, NULL);
	return cli_fail("init", &err);
}
