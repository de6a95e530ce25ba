/* `nrm backup` and `nrm restore`: an encrypted, signed copy of the database with its audit
 * anchor (secure/backup.h), made while the server keeps serving, and a restore that verifies
 * everything before it replaces anything.
 *
 * The copy in clear that both pass through (SQLite's online backup writes to a file; a
 * restore decrypts to one before checking it) is a private file (0600) named
 * .nrm-clear-PID-XXXXXX or .nrm-restore-PID-XXXXXX in the backup's or the database's folder:
 * removed on every path, on SIGINT, SIGTERM and SIGHUP too, and — after a SIGKILL or a power
 * cut — by the next backup or restore, which removes those whose process is gone. Even that
 * copy holds personal data only sealed per field (DESIGN.md). */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "secure/audit.h"
#include "secure/backup.h"

/* The temporary file and its SQLite companions, for removal from a signal handler too. */
#define SIDES 4
static char tmp_paths[SIDES][4200];

static void tmp_remove(void)
{
	for (int i = 0; i < SIDES; i++)
		if (tmp_paths[i][0])
			unlink(tmp_paths[i]);
}

static void on_signal(int sig)
{
	tmp_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Removes the temporary files of kind `kind` in dir left by a process that is gone. */
static void sweep_stale(const char *dir, const char *kind)
{
	char prefix[32];
	int pl = snprintf(prefix, sizeof prefix, ".nrm-%s-", kind);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, (size_t)pl) != 0)
			continue;
		long pid = strtol(e->d_name + pl, NULL, 10);
		if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
			char p[4200];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	if (d)
		closedir(d);
}

/* A new private empty file in dir for the copy in clear; its path in tmp_paths[0]. */
static int tmp_make(const char *dir, const char *kind, struct nrm_err *err)
{
	static const char *const sides[SIDES] = {"", "-wal", "-shm", "-journal"};
	sweep_stale(dir, kind);
	char p[4200];
	snprintf(p, sizeof p, "%s/.nrm-%s-%ld-XXXXXX", dir, kind, (long)getpid());
	int fd = mkstemp(p); /* 0600 */
	if (fd < 0)
		return nrm_fail(err, NRM_EIO, KEY_cannot_write, "out", "path", dir, NULL);
	close(fd);
	for (int i = 0; i < SIDES; i++)
		snprintf(tmp_paths[i], sizeof tmp_paths[i], "%s%s", p, sides[i]);
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

/* The folder of path (".", when it names none). */
static void dir_of(const char *path, char out[4096])
{
	snprintf(out, 4096, "%s", path);
	char *slash = strrchr(out, '/');
	if (!slash)
		snprintf(out, 4096, ".");
	else if (slash == out)
		out[1] = '\0';
	else
		*slash = '\0';
}

/* "2026-11-30T12:34:56Z" → "20261130T123456Z", for file names. */
static void compact_stamp(const char *stamp, char out[17])
{
	size_t o = 0;
	for (const char *c = stamp; *c && o < 16; c++)
		if (*c != '-' && *c != ':')
			out[o++] = *c;
	out[o] = '\0';
}

/* The restored trail is whole under the keyring (its keyed chain) and reaches the anchor taken
 * with the copy, signed by this installation (secure_audit_check): rows removed from its end
 * or a chain re-computed are found too. */
static int anchor_check(struct store *s, const struct crypt_keys *k, const json_t *anchor, const char *file,
			struct nrm_err *err)
{
	struct audit_report r;
	char a[24];
	if (!json_is_object(anchor))
		return nrm_fail(err, NRM_EINVAL, KEY_backup_format, "file", "path", file, "problem", "it holds no audit anchor", NULL);
	int rc = secure_audit_check(s, k, anchor, &r);
	if (rc)
		return nrm_fail(err, NRM_EIO, KEY_storage, NULL, "what", "audit trail", "detail", "cannot be read", NULL);
	switch (r.problem) {
	case AUDIT_OK: return 0;
	case AUDIT_TRUNCATED:
	case AUDIT_HEAD_DIFFERS:
	case AUDIT_ANCHOR_BAD:
		return nrm_fail(err, NRM_ECONFLICT, KEY_backup_anchor, "file", "path", file, "rows",
				nrm_num(a, json_integer_value(json_object_get(anchor, "rows"))), NULL);
	default: return nrm_fail(err, NRM_ECONFLICT, KEY_backup_audit, "file", "path", file, "row", nrm_num(a, r.bad_id), NULL);
	}
}

/* One audited row about the database as a whole ("backup", "restore"), its own transaction. */
static int audit_db(struct store *s, const char *action, json_t *after)
{
	int rc = store_begin(s);
	if (!rc && !(rc = secure_audit(s, NULL, action, "database", NULL, NULL, after, NULL)))
		rc = store_commit(s);
	if (rc)
		store_rollback(s);
	return rc;
}

int cmd_backup(int argc, char **argv)
{
	const char *db = "nrm.db", *out = NULL, *dirarg = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"out", &out, NULL}, {"dir", &dirarg, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("backup", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (out && dirarg)
		return cli_error("backup", EXIT_USAGE, "give --out FILE or --dir DIR, not both");
	struct nrm_err err = {0};
	struct crypt_keys keys;
	struct store *s = NULL, *copy = NULL;
	json_t *anchor = NULL, *meta = NULL;
	char dir[4096], key[4200], stamp[21], cstamp[17], file[4200], line[200];
	snprintf(key, sizeof key, "%s.key", db);
	clock_stamp(stamp);
	compact_stamp(stamp, cstamp);
	if (out)
		dir_of(out, dir);
	else if (dirarg)
		snprintf(dir, sizeof dir, "%s", dirarg);
	else
		snprintf(dir, sizeof dir, "%s.backups", db);
	if (out)
		snprintf(file, sizeof file, "%s", out);
	else {
		/* A second backup in the same second gets -2, -3...: names still sort by time. The
		 * file itself is never replaced (secure_backup_seal), should another take the name. */
		struct stat st;
		snprintf(file, sizeof file, "%s/nrm-%s.backup", dir, cstamp);
		for (int i = 2; i < 100 && stat(file, &st) == 0; i++)
			snprintf(file, sizeof file, "%s/nrm-%s-%02d.backup", dir, cstamp, i);
	}
	if ((rc = crypt_load_keys(key, &keys, &err)))
		return cli_fail("backup", &err);
	if ((rc = store_open(db, &s, &err))) {
		rc = cli_fail("backup", &err);
		goto done;
	}
	/* The backups' folder is the installation's: private, made so if new. */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = cli_error("backup", EXIT_RUNTIME, "cannot create the folder %s", dir);
		goto done;
	}
	if ((rc = tmp_make(dir, "clear", &err))) {
		rc = cli_fail("backup", &err);
		goto done;
	}
	/* The row saying a backup was made is in the backup itself. */
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	json_t *what = json_pack("{s:s}", "file", base);
	rc = audit_db(s, "backup", what);
	json_decref(what);
	if (rc) {
		rc = cli_error("backup", EXIT_RUNTIME, "cannot record the backup in the audit trail");
		goto done;
	}
	if ((rc = store_backup_to(s, tmp_paths[0], &err)) || (rc = store_open(tmp_paths[0], &copy, &err))) {
		rc = cli_fail("backup", &err);
		goto done;
	}
	/* The anchor of the copy itself: the trail the backup holds, as it was at that moment,
	 * inside the backup's header and beside it (a file and a log line). */
	if ((rc = secure_audit_anchor(copy, &keys, &anchor))) {
		rc = cli_error("backup", EXIT_RUNTIME, "cannot read the audit trail");
		goto done;
	}
	meta = json_pack("{s:O, s:i, s:s}", "anchor", anchor, "schema", store_schema_version(copy), "nrm", NRM_VERSION);
	if (!meta || (rc = secure_backup_seal(&keys, tmp_paths[0], meta, file, &err)) ||
	    (rc = secure_audit_anchor_write(copy, &keys, dir, &err))) {
		rc = meta ? cli_fail("backup", &err) : cli_error("backup", EXIT_RUNTIME, "out of memory");
		goto done;
	}
	snprintf(line, sizeof line, "audit trail of %lld rows, head %.16s",
		 (long long)json_integer_value(json_object_get(anchor, "rows")),
		 json_string_value(json_object_get(anchor, "head")));
	printf("backup written: %s (%s)\n", file, line);
	rc = EXIT_OK;
done:
	store_close(copy);
	store_close(s);
	tmp_remove();
	json_decref(anchor);
	json_decref(meta);
	crypt_keys_wipe(&keys);
	return rc;
}

/* Takes the lock nrm serve holds shared for as long as it runs (cli/serve.c): exclusive, not
 * waiting. fd stays open while the lock is needed; -1 when the database does not exist. */
static int lock_db(const char *db, int *fd, struct nrm_err *err)
{
	*fd = open(db, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT ? 0 : nrm_fail(err, NRM_EIO, KEY_db_open, "db", "path", db, "detail", "cannot be read", NULL);
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
		return nrm_fail(err, NRM_ECONFLICT, KEY_db_in_use, "db", "path", db, NULL);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	const char *db = "nrm.db", *file = NULL;
	bool force = false;
	if (argc > 0 && argv[0][0] != '-')
		file = argv[0], argc--, argv++;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"force", NULL, &force}, {NULL, NULL, NULL}};
	int rc = cli_parse("restore", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!file)
		return cli_error("restore", EXIT_USAGE, "expected: nrm restore FILE [--db FILE] [--force]");
	struct nrm_err err = {0};
	struct crypt_keys keys;
	struct store *s = NULL;
	json_t *header = NULL;
	int lock = -1;
	char dir[4096], key[4200], side[4200];
	snprintf(key, sizeof key, "%s.key", db);
	dir_of(db, dir);
	/* The key file comes back first (it is kept apart from the backups): the backup is
	 * verified and decrypted with it. */
	if ((rc = crypt_load_keys(key, &keys, &err)))
		return cli_fail("restore", &err);
	if ((rc = lock_db(db, &lock, &err))) {
		rc = cli_fail("restore", &err);
		goto done;
	}
	if (lock >= 0 && !force) {
		nrm_fail(&err, NRM_EEXIST, KEY_restore_exists, "db", "path", db, NULL);
		rc = cli_fail("restore", &err);
		goto done;
	}
	if ((rc = tmp_make(dir, "restore", &err)) || (rc = secure_backup_open(&keys, file, tmp_paths[0], &header, &err))) {
		rc = cli_fail("restore", &err);
		goto done;
	}
	char detail[200];
	if ((rc = store_integrity(tmp_paths[0], detail, sizeof detail))) {
		nrm_fail(&err, NRM_ECONFLICT, KEY_backup_integrity, "file", "path", file, "detail", detail, NULL);
		rc = cli_fail("restore", &err);
		goto done;
	}
	json_t *anchor = json_object_get(header, "anchor");
	if ((rc = store_open(tmp_paths[0], &s, &err)) || (rc = anchor_check(s, &keys, anchor, file, &err))) {
		rc = cli_fail("restore", &err);
		goto done;
	}
	if (store_checkpoint(s)) {
		rc = cli_error("restore", EXIT_RUNTIME, "cannot write the restored copy whole");
		goto done;
	}
	store_close(s);
	s = NULL;
	/* The old database's log must not meet the new file: its commits are moved into the old
	 * file (or, when it cannot even be opened — the reason to restore — dropped with it), then
	 * the new file takes the name in one rename. A server cannot start meanwhile: it would
	 * need the shared lock this process holds exclusively. */
	if (lock >= 0) {
		struct store *old = NULL;
		if (store_open(db, &old, &err) == 0) {
			store_checkpoint(old);
			store_close(old);
		}
		snprintf(side, sizeof side, "%s-wal", db);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", db);
		unlink(side);
	}
	if (rename(tmp_paths[0], db) != 0) {
		rc = cli_error("restore", EXIT_RUNTIME, "cannot replace %s", db);
		goto done;
	}
	tmp_paths[0][0] = '\0';
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	/* The restored trail says so itself, after the rows the anchor vouches for, and a new
	 * anchor of it becomes the newest beside the database: the anchors of the trail before the
	 * restore stay there, the record of what the restore went back from. (Written under the
	 * restored name, where the audit finds its key file.) */
	char anchors[4200];
	secure_audit_anchor_dir(db, anchors, sizeof anchors);
	json_t *what = json_pack("{s:s, s:O}", "backup_created", json_string_value(json_object_get(header, "created")),
				 "anchor_rows", json_object_get(anchor, "rows"));
	if ((rc = store_open(db, &s, &err)) || (rc = audit_db(s, "restore", what)) ||
	    (rc = secure_audit_anchor_write(s, &keys, anchors, &err))) {
		json_decref(what);
		rc = cli_error("restore", EXIT_RUNTIME, "%s was restored, but the restore could not be recorded in its audit trail",
			       db);
		goto done;
	}
	json_decref(what);
	printf("restored %s from %s (made %s; audit trail of %lld rows verified)\n", db, file,
	       json_string_value(json_object_get(header, "created")),
	       (long long)json_integer_value(json_object_get(anchor, "rows")));
	rc = EXIT_OK;
done:
	store_close(s);
	tmp_remove();
	if (lock >= 0)
		close(lock);
	json_decref(header);
	crypt_keys_wipe(&keys);
	return rc;
}
