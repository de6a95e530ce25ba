/* `nrm scorecard --period P [--county SLUG] --format csv|xlsx|pdf [--out FILE] [--lang sq|en]
 * [--as USERNAME]`: the KRAT scorecard at the server's console, as the Ministry's monitor reads
 * it (every county and the national row), or as the user named. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "monitor/monitor.h"

int cmd_scorecard(int argc, char **argv)
{
	const char *db = "nrm.db", *county = NULL, *period = NULL, *format = "csv", *lang = "sq", *as = NULL, *out = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL},	  {"county", &county, NULL}, {"period", &period, NULL},
				       {"format", &format, NULL}, {"lang", &lang, NULL},     {"as", &as, NULL},
				       {"out", &out, NULL},	  {NULL, NULL, NULL}};
	int rc = cli_parse("scorecard", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!period)
		return cli_error("scorecard", EXIT_USAGE, "--period P is required (2025, 2025H2, 2025Q3, 2025-09)");
	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0)
		return cli_error("scorecard", EXIT_USAGE, "--format must be csv, xlsx or pdf");
	if (strcmp(format, "csv") != 0 && !out)
		return cli_error("scorecard", EXIT_USAGE, "--out FILE is required for %s", format);
	struct cli_cases cc;
	struct principal console = {.role = ROLE_MINISTRY_MONITOR};
	snprintf(console.username, sizeof console.username, "cli");
	if (as) {
		if ((rc = cli_cases_open("scorecard", db, as, &cc)))
			return rc;
	} else {
		memset(&cc, 0, sizeof cc);
		if ((rc = cli_db_open("scorecard", db, &cc.d)))
			return rc;
		cc.ctx = (struct nrm_ctx){.db = cc.d.db, .form = cc.d.form, .labels = cc.d.labels, .stats = cc.d.stats,
					  .keys = &cc.d.keys, .me = &console, .today = clock_today()};
	}
	struct nrm_err err = {0};
	struct buf b = {0};
	char *name = NULL;
	if ((rc = monitor_scorecard_file(&cc.ctx, period, county, format, lang, &b, &name, &err)))
		rc = cli_fail("scorecard", &err);
	else
		rc = cli_write_out("scorecard", out, b.p ? b.p : "", b.len);
	free(name);
	buf_free(&b);
	cli_db_close(&cc.d);
	return rc;
}
