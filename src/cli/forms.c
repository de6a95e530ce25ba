/* `nrm forms load`: replaces the case form, workflow and code lists in a database with those
 * of a data folder — the standard operating procedures are being revised, and a changed
 * stage or code list must reach a running system without code. The new form is checked
 * before anything is written; the server picks it up at its next start. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "report/report.h"
#include "core/clock.h"
#include "core/labels.h"
#include "core/statdef.h"
#include "user/user.h"
#include "secure/audit.h"

/* The dimensions of every case follow the definitions just loaded. */
static int redim(struct store *s, const struct form *f, const struct statdef *stats, int *cases)
{
	struct principal op;
	user_operator(&op);
	struct nrm_ctx ctx = {.db = s, .me = &op, .today = clock_today(), .form = f, .stats = stats};
	return case_figures_redim(&ctx, cases);
}

int cmd_forms(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "load") != 0)
		return cli_error("forms", EXIT_USAGE, "expected: nrm forms load [--db FILE] [--data DIR]");
	const char *db = "nrm.db", *data = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"data", &data, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("forms load", argc - 1, argv + 1, opts);
	if (rc)
		return CLI_EXIT(rc);
	char *dir = cli_resource_dir(data, "data");
	if (!dir)
		return cli_error("forms load", EXIT_USAGE, "reference data folder %s not found (use --data DIR)",
				 data ? data : "data");
	struct nrm_err err = {0};
	struct store *s = NULL;
	struct form *f = NULL;
	struct labels *labels = NULL;
	struct statdef *stats = NULL;
	int cases = 0;
	if ((rc = cli_key_check("forms load", db))) {
		free(dir);
		return rc;
	}
	if ((rc = store_open(db, &s, &err)))
		goto fail;
	/* Everything is checked, as the server will load it, before the transaction commits. */
	if ((rc = store_begin(s)) || (rc = case_form_store(s, dir, &err)) || (rc = report_types_check(s, &err)) ||
	    (rc = case_form_load(s, &f, &err)) ||
	    (rc = case_labels_load(s, f, &labels, &err)) || (rc = case_statdef_load(s, f, &stats, &err)) ||
	    (rc = redim(s, f, stats, &cases)) || (rc = secure_audit(s, NULL, "update", "forms", NULL, NULL, NULL, "nrm forms load")) || (rc = store_commit(s)))
		goto fail;
	labels_free(labels);
	statdef_free(stats);
	form_free(f);
	store_close(s);
	free(dir);
	printf("loaded the case form, workflow, code lists, labels and the figures' definitions into %s (%d cases"
	       " counted anew); restart nrm serve to use them\n",
	       db, cases);
	return EXIT_OK;
fail:
	labels_free(labels);
	statdef_free(stats);
	form_free(f);
	if (s) {
		store_rollback(s);
		store_close(s);
	}
	free(dir);
	if (!err.msg[0])
		nrm_fail(&err, rc, nrm_key_of_code(rc), NULL, NULL);
	return cli_fail("forms load", &err);
}
