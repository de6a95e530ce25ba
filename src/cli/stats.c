/* `nrm stats table NAME --period P [--county SLUG] --format csv|json`: a standard table of
 * figures at the server's console, for reports and spreadsheets. Without --as it is counted
 * for the government audience (disclosure-controlled, as everything that leaves the
 * Responsible Authority); the console, trusted as for `nrm user`, may ask --audience
 * authority for the figures as they are. With --as USERNAME it is exactly what that user
 * gets from GET /api/v1/stats/tables/NAME. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "stats/stats.h"

static int table(int argc, char **argv)
{
	if (argc < 1 || argv[0][0] == '-')
		return cli_error("stats table", EXIT_USAGE, "expected: nrm stats table NAME --period P (see nrm stats --help)");
	const char *name = argv[0], *db = "nrm.db", *period = NULL, *county = NULL, *format = "csv", *lang = "sq",
		   *audience = NULL, *as = NULL, *out = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL},	      {"period", &period, NULL}, {"county", &county, NULL},
				       {"format", &format, NULL},     {"lang", &lang, NULL},	 {"audience", &audience, NULL},
				       {"as", &as, NULL},	      {"out", &out, NULL},	 {NULL, NULL, NULL}};
	int rc = cli_parse("stats table", argc - 1, argv + 1, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!period)
		return cli_error("stats table", EXIT_USAGE, "--period P is required (2025, 2025H2, 2025Q3, 2025-09)");
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return cli_error("stats table", EXIT_USAGE, "--format must be csv or json");
	if (strcmp(lang, "sq") != 0 && strcmp(lang, "en") != 0)
		return cli_error("stats table", EXIT_USAGE, "--lang must be sq or en");
	struct cli_cases cc;
	struct principal console;
	if (as) {
		if ((rc = cli_cases_open("stats table", db, as, &cc)))
			return rc;
	} else {
		memset(&cc, 0, sizeof cc);
		if ((rc = cli_db_open("stats table", db, &cc.d)))
			return rc;
		/* The console speaks for the Authority; what it prints leaves it unless asked otherwise. */
		memset(&console, 0, sizeof console);
		snprintf(console.username, sizeof console.username, "cli");
		console.role = ROLE_AUTHORITY_SECRETARIAT;
		cc.ctx = (struct nrm_ctx){.db = cc.d.db, .form = cc.d.form, .labels = cc.d.labels, .stats = cc.d.stats,
					  .keys = &cc.d.keys, .me = &console, .today = clock_today()};
		if (!audience)
			audience = "government";
	}
	struct nrm_err err = {0};
	json_t *t = NULL;
	struct buf b = {0};
	if ((rc = stats_table(&cc.ctx, name, period, county, audience, &t, &err))) {
		rc = cli_fail("stats table", &err);
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		char *s = json_dumps(t, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		rc = s ? buf_puts(&b, s) || buf_puts(&b, "\n") : NRM_ENOMEM;
		free(s);
	} else {
		rc = stats_table_csv(t, lang, &b);
	}
	rc = rc ? cli_error("stats table", EXIT_RUNTIME, "out of memory") : cli_write_out("stats table", out, b.p ? b.p : "", b.len);
done:
	buf_free(&b);
	json_decref(t);
	cli_db_close(&cc.d);
	return rc;
}

/* `nrm stats ahead`: what `nrm serve` does after every midnight, at the console — after a
 * `nrm forms load` or a large import on a big database, so that the next morning's first
 * request does not count a whole period. */
static int ahead(int argc, char **argv)
{
	const char *db = "nrm.db";
	const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("stats ahead", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	struct cli_db d;
	if ((rc = cli_db_open("stats ahead", db, &d)))
		return rc;
	struct principal console;
	memset(&console, 0, sizeof console);
	snprintf(console.username, sizeof console.username, "cli");
	console.role = ROLE_AUTHORITY_SECRETARIAT;
	struct nrm_ctx c = {.db = d.db, .form = d.form, .labels = d.labels, .stats = d.stats, .keys = &d.keys,
			    .me = &console, .today = clock_today()};
	int n = stats_ahead(&c, NULL, NULL);
	printf("%d figures and tables of the periods around today counted or read, and kept\n", n);
	cli_db_close(&d);
	return EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "table") == 0)
		return table(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "ahead") == 0)
		return ahead(argc - 1, argv + 1);
	return cli_error("stats", EXIT_USAGE,
			 "expected: nrm stats table NAME --period P [--county SLUG] --format csv|json, or nrm stats ahead");
}
