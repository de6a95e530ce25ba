/* `nrm registers list` and `nrm registers export NAME --format csv|xlsx --out FILE
 * [--county SLUG] [--period P] [--lang sq|en] [--as USERNAME]`: the registers of prevention
 * and cooperation at the server's console. Without --as the console reads as the Ministry's
 * monitor does (every county, the non-personal registers); with --as USERNAME it is exactly
 * what that user gets from GET /api/v1/registers/NAME/export. Personal fields never leave. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/input.h"
#include "prevention/prevention.h"

/* The context of --as, or of the console. */
static int open_as(const char *cmd, const char *db, const char *as, struct cli_cases *cc, struct principal *console)
{
	if (as)
		return cli_cases_open(cmd, db, as, cc);
	memset(cc, 0, sizeof *cc);
	int rc = cli_db_open(cmd, db, &cc->d);
	if (rc)
		return rc;
	memset(console, 0, sizeof *console);
	snprintf(console->username, sizeof console->username, "cli");
	console->role = ROLE_MINISTRY_MONITOR;
	cc->ctx = (struct nrm_ctx){.db = cc->d.db, .form = cc->d.form, .labels = cc->d.labels, .stats = cc->d.stats,
				   .keys = &cc->d.keys, .me = console, .today = clock_today()};
	return 0;
}

static int list(int argc, char **argv)
{
	const char *db = "nrm.db", *as = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"as", &as, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("registers list", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	struct cli_cases cc;
	struct principal console;
	if ((rc = open_as("registers list", db, as, &cc, &console)))
		return rc;
	struct nrm_err err = {0};
	json_t *all = NULL, *r;
	if ((rc = reg_catalogue(&cc.ctx, &all, &err)))
		rc = cli_fail("registers list", &err);
	size_t i;
	json_array_foreach(all, i, r)
		printf("%-24s %s\n", j_str(r, "name"), json_string_value(json_object_get(json_object_get(r, "label"), "sq")));
	json_decref(all);
	cli_db_close(&cc.d);
	return rc;
}

static int export(int argc, char **argv)
{
	if (argc < 1 || argv[0][0] == '-')
		return cli_error("registers export", EXIT_USAGE,
				 "expected: nrm registers export NAME --format csv|xlsx --out FILE (see nrm registers --help)");
	const char *name = argv[0], *db = "nrm.db", *period = NULL, *county = NULL, *format = "csv", *lang = "sq",
		   *as = NULL, *out = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL},	   {"period", &period, NULL}, {"county", &county, NULL},
				       {"format", &format, NULL}, {"lang", &lang, NULL},	  {"as", &as, NULL},
				       {"out", &out, NULL},	   {NULL, NULL, NULL}};
	int rc = cli_parse("registers export", argc - 1, argv + 1, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
		return cli_error("registers export", EXIT_USAGE, "--format must be csv or xlsx");
	if (strcmp(format, "xlsx") == 0 && !out)
		return cli_error("registers export", EXIT_USAGE, "--out FILE is required for xlsx");
	if (strcmp(lang, "sq") != 0 && strcmp(lang, "en") != 0)
		return cli_error("registers export", EXIT_USAGE, "--lang must be sq or en");
	struct cli_cases cc;
	struct principal console;
	if ((rc = open_as("registers export", db, as, &cc, &console)))
		return rc;
	struct nrm_err err = {0};
	struct reg_filter f = {.county = county, .period = period};
	struct buf b = {0};
	char *file = NULL;
	if ((rc = reg_export(&cc.ctx, name, &f, format, lang, &b, &file, &err)))
		rc = cli_fail("registers export", &err);
	else
		rc = cli_write_out("registers export", out, b.p ? b.p : "", b.len);
	free(file);
	buf_free(&b);
	cli_db_close(&cc.d);
	return rc;
}

int cmd_registers(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return list(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "export") == 0)
		return export(argc - 1, argv + 1);
	return cli_error("registers", EXIT_USAGE,
			 "expected: nrm registers list, or nrm registers export NAME --format csv|xlsx --out FILE");
}
