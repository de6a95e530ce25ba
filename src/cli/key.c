/* `nrm key rotate`: a new version of the keyring, every sealed value re-encrypted under it. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_key(int argc, char **argv)
{
	if (cli_wants_help(argc, argv))
		return cli_help("key");
	return cli_error("key", EXIT_USAGE, "expected: nrm key rotate [--db FILE] [--batch N]");
}
