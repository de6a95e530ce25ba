/* `nrm audit verify` and `nrm audit anchor`: the keyed chain of the audit trail checked row by
 * row and against a signed anchor of its head (secure/audit.h), so an altered, inserted or
 * removed row, the removal of the newest rows and a re-computed chain are found. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "secure/audit.h"

static int open_with_keys(const char *cmd, const char *db, struct store **s, struct crypt_keys *k)
{
	struct nrm_err err = {0};
	char key[4096];
	snprintf(key, sizeof key, "%s.key", db);
	int rc = store_open(db, s, &err);
	if (!rc && (rc = crypt_load_keys(key, k, &err))) {
		store_close(*s);
		*s = NULL;
	}
	return rc ? cli_fail(cmd, &err) : 0;
}

/* A trail an nrm before schema 15 wrote is brought under the key on the first open with the
 * key file, unless anchors exist: then unkeyed rows are a tamper, reported by verify. */
int cli_audit_upgrade(const char *cmd, struct store *s, const struct crypt_keys *k, const char *db)
{
	char dir[4200], newest[4400];
	secure_audit_anchor_dir(db, dir, sizeof dir);
	int anchored = secure_audit_anchor_newest(dir, newest, sizeof newest) == 0, done = 0;
	int rc = store_begin(s);
	if (!rc)
		rc = secure_audit_upgrade(s, k, anchored, &done);
	if (!rc)
		rc = store_commit(s);
	if (rc) {
		store_rollback(s);
		if (rc == NRM_ECONFLICT) {
			fprintf(stderr, "nrm %s: the audit trail holds rows with unkeyed hashes although anchors of a keyed"
					" trail exist; run nrm audit verify --db %s\n",
				cmd, db);
			return 0;
		}
		return cli_error(cmd, EXIT_RUNTIME, "cannot bring the audit trail under the key");
	}
	if (done)
		fprintf(stderr, "nrm %s: the audit trail an older nrm wrote is now chained under the key%s\n", cmd,
			done == 2 ? " (its old unkeyed chain was already broken: see the row audit_keyed)" : "");
	return 0;
}

static void say(const struct audit_report *r, const json_t *anchor, const char *anchor_path)
{
	const char *ts = anchor ? json_string_value(json_object_get(anchor, "ts")) : "";
	switch (r->problem) {
	case AUDIT_OK: break;
	case AUDIT_ALTERED:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was altered: row %lld does not carry its MAC (changed, or written without the key)",
			  (long long)r->bad_id);
		break;
	case AUDIT_INSERTED:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was altered: row %lld was inserted (the rows around it chain past it)",
			  (long long)r->bad_id);
		break;
	case AUDIT_REMOVED:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was altered: rows %lld to %lld were removed (row %lld follows a row that is gone)",
			  (long long)r->gap_from, (long long)r->gap_to, (long long)r->bad_id);
		break;
	case AUDIT_UNKEYED:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was altered: row %lld carries an unkeyed hash (a chain re-computed without the key)",
			  (long long)r->bad_id);
		break;
	case AUDIT_UNKNOWN_KEY:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was altered: row %lld is MACed under a key version this keyring does not hold",
			  (long long)r->bad_id);
		break;
	case AUDIT_OLD_KEY:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was altered: row %lld is MACed under an older key version than the row before it",
			  (long long)r->bad_id);
		break;
	case AUDIT_TRUNCATED:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the newest rows of the audit trail were removed: the anchor of %s counts %lld rows up to row %lld;"
			  " the trail has %lld rows up to row %lld",
			  ts, (long long)r->anchor_rows, (long long)r->anchor_last_id, (long long)r->rows,
			  (long long)r->last_id);
		break;
	case AUDIT_HEAD_DIFFERS:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the audit trail was re-computed: rows up to row %lld are not the rows the anchor of %s signed",
			  (long long)r->bad_id, ts);
		break;
	case AUDIT_ANCHOR_BAD:
		cli_error("audit verify", EXIT_RUNTIME,
			  "the anchor %s is not signed by a key of this installation (forged or altered); nothing was checked",
			  anchor_path);
		break;
	}
}

static int verify(int argc, char **argv)
{
	const char *db = "nrm.db", *anchor_path = NULL;
	bool none = false;
	const struct cli_opt opts[] = {
		{"db", &db, NULL}, {"anchor", &anchor_path, NULL}, {"no-anchor", NULL, &none}, {NULL, NULL, NULL}};
	int rc = cli_parse("audit verify", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (none && anchor_path)
		return cli_error("audit verify", EXIT_USAGE, "--anchor and --no-anchor exclude each other");
	struct store *s = NULL;
	struct crypt_keys k;
	if ((rc = open_with_keys("audit verify", db, &s, &k)))
		return rc;
	char dir[4200], found[4400];
	json_t *anchor = NULL;
	json_error_t je;
	if (!none && !anchor_path) {
		/* The default: the newest anchor beside the backups. */
		secure_audit_anchor_dir(db, dir, sizeof dir);
		if (secure_audit_anchor_newest(dir, found, sizeof found) == 0)
			anchor_path = found;
		else
			printf("no anchor in %s: the removal of the newest rows cannot be detected without one"
			       " (nrm audit anchor writes one)\n",
			       dir);
	}
	if (anchor_path && !(anchor = json_load_file(anchor_path, 0, &je))) {
		rc = cli_error("audit verify", EXIT_USAGE, "%s: not an anchor (%s)", anchor_path, je.text);
		goto done;
	}
	if ((rc = cli_audit_upgrade("audit verify", s, &k, db)))
		goto done;
	struct audit_report r;
	if ((rc = secure_audit_check(s, &k, anchor, &r))) {
		rc = cli_error("audit verify", EXIT_RUNTIME, "cannot read the audit trail");
		goto done;
	}
	if (r.problem) {
		say(&r, anchor, anchor_path);
		rc = EXIT_RUNTIME;
		goto done;
	}
	printf("audit trail intact: %lld rows, up to row %lld\n", (long long)r.rows, (long long)r.last_id);
	if (anchor)
		printf("checked against the anchor %s of %s: %lld rows up to row %lld, signed by this installation\n",
		       anchor_path, json_string_value(json_object_get(anchor, "ts")), (long long)r.anchor_rows,
		       (long long)r.anchor_last_id);
	rc = EXIT_OK;
done:
	json_decref(anchor);
	crypt_keys_wipe(&k);
	store_close(s);
	return rc;
}

static int anchor(int argc, char **argv)
{
	const char *db = "nrm.db", *dir = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"dir", &dir, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("audit anchor", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	struct store *s = NULL;
	struct crypt_keys k;
	if ((rc = open_with_keys("audit anchor", db, &s, &k)))
		return rc;
	char def[4200];
	secure_audit_anchor_dir(db, def, sizeof def);
	struct nrm_err err = {0};
	if ((rc = cli_audit_upgrade("audit anchor", s, &k, db)) == 0 &&
	    secure_audit_anchor_write(s, &k, dir ? dir : def, &err) != 0)
		rc = cli_fail("audit anchor", &err);
	crypt_keys_wipe(&k);
	store_close(s);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return verify(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "anchor") == 0)
		return anchor(argc - 1, argv + 1);
	if (cli_wants_help(argc, argv))
		return cli_help("audit");
	return cli_error("audit", EXIT_USAGE,
			 "expected: nrm audit verify [--db FILE] [--anchor FILE | --no-anchor] or nrm audit anchor [--db FILE] [--dir DIR]");
}
