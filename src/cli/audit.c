/* `nrm audit verify`: checks the hash chain of the audit trail, so an altered or removed row
 * is found (DESIGN.md, data protection model). */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "secure/audit.h"

int cmd_audit(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "verify") != 0)
		return cli_error("audit", EXIT_USAGE, "expected: nrm audit verify [--db FILE]");
	const char *db = "nrm.db";
	const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
	int rc = cli_parse("audit verify", argc - 1, argv + 1, opts);
	if (rc)
		return CLI_EXIT(rc);
	struct nrm_err err = {0};
	struct store *s;
	if ((rc = store_open(db, &s, &err)))
		return cli_error("audit verify", cli_exit_of(rc), "%s", err.msg);
	int64_t rows = 0, bad = 0;
	rc = secure_audit_verify(s, &rows, &bad);
	store_close(s);
	if (rc == NRM_ECONFLICT)
		return cli_error("audit verify", EXIT_RUNTIME,
				 "the audit trail was altered: row %lld does not follow from the rows before it", (long long)bad);
	if (rc)
		return cli_error("audit verify", EXIT_RUNTIME, "cannot read the audit trail");
	printf("audit trail intact: %lld rows\n", (long long)rows);
	return EXIT_OK;
}
