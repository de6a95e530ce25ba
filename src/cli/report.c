/* `nrm report build --type T [--county SLUG] --period P --format pdf|xlsx|csv --out FILE`: a
 * periodic report at the server's console, drafted from the live data as its issuing body's
 * secretariat sees it (the stored report of that type, scope and period, with what was written
 * in it, when there is one). With --as USERNAME it is what that user may draft. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "report/report.h"
#include "secure/crypt.h"
#include "store/org.h"
#include "store/report.h"

/* The console as the secretariat of the type's issuer in county (0: national). */
static int console_of(struct cli_cases *cc, struct principal *p, const char *type, int64_t county)
{
	memset(p, 0, sizeof *p);
	snprintf(p->username, sizeof p->username, "cli");
	p->role = ROLE_ADMIN;
	cc->ctx = (struct nrm_ctx){.db = cc->d.db, .form = cc->d.form, .labels = cc->d.labels, .stats = cc->d.stats,
				   .keys = &cc->d.keys, .me = p, .today = clock_today()};
	json_t *types, *t;
	if (store_report_types(cc->d.db, &types))
		return cli_error("report build", EXIT_RUNTIME, "cannot read the types of report");
	const char *issuer = NULL;
	char want[80];
	snprintf(want, sizeof want, "report:%s", type);
	size_t i;
	json_array_foreach(types, i, t)
		if (strcmp(j_str(t, "name"), want) == 0)
			issuer = j_str(json_object_get(t, "doc"), "issuer");
	p->role = !issuer ? ROLE_ADMIN
		  : strcmp(issuer, "authority") == 0 ? ROLE_AUTHORITY_SECRETARIAT
		  : strcmp(issuer, "ministry") == 0  ? ROLE_MINISTRY_MONITOR
						     : ROLE_COUNTY_SECRETARIAT;
	p->county_id = p->role == ROLE_COUNTY_SECRETARIAT ? county : 0;
	json_decref(types);
	return 0;
}

static int build(int argc, char **argv)
{
	const char *db = "nrm.db", *type = NULL, *county = NULL, *period = NULL, *format = "csv", *lang = "sq", *as = NULL,
		   *out = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL},	  {"type", &type, NULL},     {"county", &county, NULL},
				       {"period", &period, NULL}, {"format", &format, NULL}, {"lang", &lang, NULL},
				       {"as", &as, NULL},	  {"out", &out, NULL},	     {NULL, NULL, NULL}};
	int rc = cli_parse("report build", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!type || !period)
		return cli_error("report build", EXIT_USAGE, "--type T and --period P are required (see nrm report --help)");
	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0)
		return cli_error("report build", EXIT_USAGE, "--format must be pdf, xlsx or csv");
	if (strcmp(format, "csv") != 0 && !out)
		return cli_error("report build", EXIT_USAGE, "--out FILE is required for %s", format);
	struct cli_cases cc;
	struct principal console;
	if (as) {
		if ((rc = cli_cases_open("report build", db, as, &cc)))
			return rc;
	} else {
		memset(&cc, 0, sizeof cc);
		if ((rc = cli_db_open("report build", db, &cc.d)))
			return rc;
		int64_t cid = 0;
		if (county && store_county_id(cc.d.db, county, &cid) != 0) {
			cli_db_close(&cc.d);
			return cli_error("report build", EXIT_USAGE, "--county: unknown county %s", county);
		}
		if ((rc = console_of(&cc, &console, type, cid))) {
			cli_db_close(&cc.d);
			return rc;
		}
	}
	struct nrm_err err = {0};
	struct buf b = {0};
	if ((rc = report_build(&cc.ctx, type, county ? county : "national", period, format, lang, &b, &err)))
		rc = cli_fail("report build", &err);
	else
		rc = cli_write_out("report build", out, b.p ? b.p : "", b.len);
	buf_free(&b);
	cli_db_close(&cc.d);
	return rc;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n))
			break;
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

/* A delivered PDF is checked against the database that delivered it: its bytes' SHA-256 and
 * the signature kept with them. */
static int verify_pdf(const char *path, const char *db, const char *bytes, size_t len)
{
	if (!db)
		return cli_error("report verify", EXIT_USAGE, "%s: a PDF is checked against the database that delivered it (--db FILE)",
				 path);
	struct cli_db d;
	int rc = cli_db_open("report verify", db, &d);
	if (rc)
		return rc;
	struct principal console = {.role = ROLE_ADMIN};
	struct nrm_ctx c = {.db = d.db, .keys = &d.keys, .me = &console, .form = d.form, .labels = d.labels,
			    .stats = d.stats, .today = clock_today()};
	struct nrm_err err = {0};
	json_t *ok = NULL;
	if ((rc = report_verify_pdf(&c, bytes, len, &ok, &err)))
		rc = cli_error("report verify", EXIT_RUNTIME, "%s: %s", path, err.msg);
	else
		printf("verified: report %lld, version %lld, the PDF as delivered (SHA-256 %s), signed by this installation\n",
		       (long long)j_int(ok, "report"), (long long)j_int(ok, "version"), j_str(ok, "hash"));
	json_decref(ok);
	cli_db_close(&d);
	return rc;
}

/* `nrm report verify FILE [--db FILE]`: an approved version as GET /reports/{id}/versions/{n}
 * gives it: its content's SHA-256 and its signature, by this installation's key with --db,
 * else by the key the file names. */
static int verify(int argc, char **argv)
{
	if (argc < 1 || argv[0][0] == '-')
		return cli_error("report verify", EXIT_USAGE, "expected: nrm report verify FILE [--db FILE]");
	const char *path = argv[0], *db = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("report verify", argc - 1, argv + 1, opts);
	if (rc)
		return CLI_EXIT(rc);
	size_t len = 0;
	char *bytes = read_all(path, &len);
	if (bytes && len > 5 && memcmp(bytes, "%PDF-", 5) == 0) {
		rc = verify_pdf(path, db, bytes, len);
		free(bytes);
		return rc;
	}
	free(bytes);
	json_error_t je;
	json_t *file = json_load_file(path, 0, &je), *ok = NULL;
	if (!file)
		return cli_error("report verify", EXIT_USAGE, "%s: not a report file (%s)", path, je.text);
	struct nrm_err err = {0};
	char pub[64] = "";
	if (db) {
		struct crypt_keys keys;
		char key[4096];
		snprintf(key, sizeof key, "%s.key", db);
		if (crypt_load_keys(key, &keys, &err)) {
			json_decref(file);
			return cli_fail("report verify", &err);
		}
		/* The file's key counts when it is a version of this installation's keyring (reports
		 * approved before a key rotation name the version that signed them). */
		const char *named = json_string_value(json_object_get(file, "public_key"));
		if (named && crypt_public_known(&keys, named))
			snprintf(pub, sizeof pub, "%s", named);
		else
			crypt_sign_public(&keys, pub);
		crypt_keys_wipe(&keys);
	}
	if ((rc = report_verify(file, db ? pub : NULL, &ok, &err))) {
		rc = cli_error("report verify", EXIT_RUNTIME, "%s: %s", path, err.msg);
	} else {
		printf("verified: report %lld, version %lld, SHA-256 %s, signed by %s%s\n", (long long)j_int(ok, "report"),
		       (long long)j_int(ok, "version"), j_str(ok, "hash"), j_str(ok, "public_key"),
		       db ? " (this installation)" : " (the key the file names)");
	}
	json_decref(ok);
	json_decref(file);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "build") == 0)
		return build(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return verify(argc - 1, argv + 1);
	return cli_error("report", EXIT_USAGE,
			 "expected: nrm report build --type T [--county SLUG] --period P --format pdf|xlsx|csv --out FILE");
}
