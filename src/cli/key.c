/* `nrm key rotate`: a new version of the keyring FILE.key, and every value sealed with it
 * sealed again under the new version, in short transactions while `nrm serve` keeps serving
 * (rekey/rekey.h). The order makes every interruption resumable: the keyring is written first
 * (the new version current, the old one still live), then the passes (each batch committed),
 * then the audit trail checked and re-MACed, then the old versions retired, then the blind
 * index hashes of the old versions dropped and a new anchor written. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "rekey/rekey.h"
#include "secure/audit.h"
#include "user/user.h"

/* The trail must be intact before its rows are MACed again under a new key. */
static int check_trail(const char *db, struct store *s, const struct crypt_keys *k)
{
	char dir[4200], path[4400];
	json_t *anchor = NULL;
	struct audit_report r;
	secure_audit_anchor_dir(db, dir, sizeof dir);
	if (secure_audit_anchor_newest(dir, path, sizeof path) == 0)
		anchor = json_load_file(path, 0, NULL);
	int rc = secure_audit_check(s, k, anchor, &r);
	json_decref(anchor);
	if (rc)
		return cli_error("key rotate", EXIT_RUNTIME, "cannot read the audit trail");
	if (r.problem)
		return cli_error("key rotate", EXIT_RUNTIME,
				 "the audit trail is not intact (nrm audit verify --db %s says where); a rotation would"
				 " MAC it again over the damage, so nothing was changed",
				 db);
	return 0;
}

/* Passes over everything sealed until one re-seals nothing (the server may have sealed a value
 * under the old version just before it saw the new keyring). */
static int passes(struct nrm_ctx *c, int batch, long long *total)
{
	for (int pass = 0; pass < 5; pass++) {
		long long n = 0;
		for (int i = 0; rekey_steps[i]; i++) {
			int64_t after = 0;
			int seen = 1, changed = 0;
			while (seen) {
				int rc = rekey_batch(c, rekey_steps[i], &after, batch, &seen, &changed);
				if (rc)
					return cli_error("key rotate", EXIT_RUNTIME,
							 "cannot seal the %s after %lld again (%s); run nrm key rotate again to resume",
							 rekey_steps[i], (long long)after, nrm_key_name(nrm_key_of_code(rc)));
				if (seen)
					printf("key rotate: %s up to %lld: %d sealed again\n", rekey_steps[i], (long long)after,
					       changed);
				fflush(stdout);
				n += changed;
			}
		}
		int reads = 0;
		if (rekey_reads(c, &reads))
			return cli_error("key rotate", EXIT_RUNTIME, "cannot seal the reasons for reading again");
		n += reads;
		int factors = 0;
		if (rekey_second_factors(c, &factors))
			return cli_error("key rotate", EXIT_RUNTIME, "cannot seal the second factors' secrets again");
		n += factors;
		*total += n;
		if (pass > 0 && n == 0)
			return 0;
	}
	return 0;
}

static int rotate(int argc, char **argv)
{
	const char *db = "nrm.db", *batch_s = "100";
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"batch", &batch_s, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("key rotate", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	char *end;
	long batch = strtol(batch_s, &end, 10);
	if (*end || batch < 1 || batch > 10000)
		return cli_error("key rotate", EXIT_USAGE, "--batch must be a number from 1 to 10000");
	struct cli_db d;
	if ((rc = cli_db_open("key rotate", db, &d)))
		return rc;
	struct principal op;
	user_operator(&op);
	struct nrm_ctx c = {.db = d.db, .me = &op, .today = clock_today(), .form = d.form, .keys = &d.keys,
			    .labels = d.labels, .stats = d.stats, .match = d.match};
	struct nrm_err err = {0};
	struct audit_report r;
	long long total = 0;
	bool unfinished = false;
	if ((rc = check_trail(db, d.db, &d.keys)))
		goto done;
	uint32_t from = crypt_key_version(&d.keys);
	if (!crypt_keys_rotating(&d.keys) && rekey_unfinished(&c, &unfinished) == 0 && unfinished) {
		printf("key rotate: finishing the rotation to key version %u\n", (unsigned)from);
		goto finish;
	}
	bool resuming = crypt_keys_rotating(&d.keys) > 0;
	if ((rc = crypt_keys_rotate_begin(&d.keys, &err))) {
		rc = cli_fail("key rotate", &err);
		goto done;
	}
	if (resuming)
		printf("key rotate: resuming the rotation to key version %u\n", (unsigned)crypt_key_version(&d.keys));
	else
		printf("key rotate: key version %u made (was %u); sealing everything again under it\n",
		       (unsigned)crypt_key_version(&d.keys), (unsigned)from);
	fflush(stdout);
	if ((rc = passes(&c, (int)batch, &total)))
		goto done;
	if ((rc = rekey_audit(&c, &r))) {
		rc = cli_error("key rotate", EXIT_RUNTIME,
			       rc == NRM_ECONFLICT ? "the audit trail is not intact (see nrm audit verify); the old key version"
						     " stays live until it is resolved"
						   : "cannot MAC the audit trail again");
		goto done;
	}
	if ((rc = crypt_keys_retire(&d.keys, &err))) {
		rc = cli_fail("key rotate", &err);
		goto done;
	}
finish:
	if (rekey_finish(&c)) {
		rc = cli_error("key rotate", EXIT_RUNTIME, "cannot drop the blind indexes of the retired versions");
		goto done;
	}
	char dir[4200];
	secure_audit_anchor_dir(db, dir, sizeof dir);
	if (secure_audit_anchor_write(d.db, &d.keys, dir, &err)) {
		rc = cli_fail("key rotate", &err);
		goto done;
	}
	printf("key rotated to version %u: %lld values sealed again, the audit trail MACed again; older versions are"
	       " retired (kept to open older backups and verify reports approved before)\n",
	       (unsigned)crypt_key_version(&d.keys), total);
	rc = EXIT_OK;
done:
	cli_db_close(&d);
	return rc;
}

int cmd_key(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "rotate") == 0)
		return rotate(argc - 1, argv + 1);
	if (cli_wants_help(argc, argv))
		return cli_help("key");
	return cli_error("key", EXIT_USAGE, "expected: nrm key rotate [--db FILE] [--batch N]");
}
