/* nrm: the information system of Albania's National Referral Mechanism against trafficking
 * in human beings. This file dispatches to the subcommands. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "secure/password.h"
#include "secure/totp.h"
#include "stats/stats.h"

static const char usage[] =
	"nrm " NRM_VERSION " — National Referral Mechanism information system\n"
	"\n"
	"Usage:\n"
	"  nrm init  [--db FILE] [--demo [--no-demo-cases]] [--demo-password PW] [--data DIR]\n"
	"            create FILE (default ./nrm.db), its key FILE.key and the reference data\n"
	"  nrm serve [--db FILE] [--listen HOST:PORT] [--web DIR] [--secure-cookies]\n"
	"            [--tls-cert FILE --tls-key FILE] [--trusted-proxy ADDR,...] [limits: nrm serve --help]\n"
	"            serve the API and the web UI (default 127.0.0.1:8080)\n"
	"  nrm user add     [--db FILE] --username U --role ROLE [--county SLUG] [--institution ID] [--name NAME]\n"
	"  nrm user list    [--db FILE]\n"
	"  nrm user disable [--db FILE] --username U\n"
	"  nrm user passwd  [--db FILE] --username U\n"
	"            passwords are read from standard input: at least 12 characters, not containing the\n"
	"            username, not a commonly used one (data/passwords/weak.txt)\n"
	"  nrm user totp-reset [--db FILE] --username U\n"
	"            forget the account's second factor and recovery codes (audited); the user sets up a\n"
	"            new one at the next login. Roles that read personal data (the Authority, case workers,\n"
	"            the data-protection officer) and the administrator log in with a one-time code;\n"
	"            the demo users of `nrm init --demo` are exempt, which `nrm serve` says at start\n"
	"  nrm import cases FILE.csv --as USERNAME [--db FILE] [--institution ID] [--dry-run]\n"
	"            register the cases of a spreadsheet (CSV, UTF-8; row 1 names the form's fields);\n"
	"            all rows or none; --dry-run lists every error by row and column\n"
	"  nrm export cases --as USERNAME [--db FILE] [--format csv|htcds] [--out FILE]\n"
	"                   [--personal --reason TEXT | --deidentified]\n"
	"            the cases the user may see, as CSV or HTCDS JSON; --personal adds personal data\n"
	"            (Authority and case holders only; every read audited); --deidentified for research\n"
	"  nrm stats table NAME --period P [--county SLUG] [--format csv|json] [--lang sq|en]\n"
	"                  [--audience government|public|authority] [--as USERNAME] [--db FILE] [--out FILE]\n"
	"            a standard table of figures for a period (2025, 2025H2, 2025Q3, 2025-09)\n"
	"  nrm stats ahead [--db FILE]\n"
	"            count and keep the figures of the periods around today (nrm serve: after midnight)\n"
	"  nrm registers list [--db FILE] [--as USERNAME]\n"
	"  nrm registers export NAME [--format csv|xlsx] [--out FILE] [--county SLUG] [--period P]\n"
	"                       [--lang sq|en] [--as USERNAME] [--db FILE]\n"
	"            the registers of prevention and cooperation; an export holds no personal data\n"
	"  nrm report build --type T [--county SLUG] --period P [--format pdf|xlsx|csv] [--out FILE]\n"
	"                   [--lang sq|en] [--as USERNAME] [--db FILE]\n"
	"            a periodic report drafted from the live data (types: data/reports/)\n"
	"  nrm report verify FILE [--db FILE]\n"
	"            check an approved report's file (GET /api/v1/reports/ID/versions/N): content and signature\n"
	"  nrm scorecard --period P [--county SLUG] [--format csv|xlsx|pdf] [--out FILE] [--lang sq|en]\n"
	"                [--as USERNAME] [--db FILE]\n"
	"            the KRAT scorecard: each county's meetings, tasks, reports, seats, agreements, training\n"
	"  nrm forms load [--db FILE] [--data DIR]\n"
	"            reload the case form, workflow and code lists from DIR (default: the shipped data/)\n"
	"  nrm audit verify [--db FILE] [--anchor FILE | --no-anchor]\n"
	"            check the keyed chain of the audit trail against its newest signed anchor (exit 1 naming\n"
	"            the first altered, inserted or removed row, or the newest rows removed)\n"
	"  nrm audit anchor [--db FILE] [--dir DIR]\n"
	"            write a signed anchor of the trail's head (default into FILE.backups/)\n"
	"  nrm key rotate [--db FILE] [--batch N]\n"
	"            new key version; re-encrypt every personal field while nrm serve keeps serving (resumable)\n"
	"  nrm backup  [--db FILE] [--out FILE | --dir DIR]\n"
	"            an encrypted, signed backup with the audit anchor, made while the server serves\n"
	"            (default folder FILE.backups/, mode 0700; run it from cron or a systemd timer)\n"
	"  nrm restore BACKUP [--db FILE] [--force]\n"
	"            verify a backup (signature, every part, integrity, audit trail), then replace FILE;\n"
	"            the key file FILE.key must be in place; refused while nrm serve runs on FILE\n"
	"  nrm --help | -h | --version\n"
	"\n"
	"Roles: admin, authority_chair, authority_member, authority_secretariat, ministry_monitor, dpo,\n"
	"       county_secretariat, krat_member, table_member, caseworker\n"
	"Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	/* SQLite frees the pages of a statement's temporary b-trees (DISTINCT, ORDER BY) when the
	 * statement ends; with glibc's 128 KB default the heap was given back to the kernel and
	 * taken again for every such statement (a third of an import's time went to brk and TLB
	 * flushes). Up to 1 MB free at the top of each arena is kept instead. */
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	stats_units_watch();
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("nrm %s\n", NRM_VERSION);
		return EXIT_OK;
	}
	/* `nrm CMD --help` for a command with subcommands, before it checks them. */
	if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) && cli_usage(cmd))
		return cli_help(cmd);
	/* The clock may be set for tests and demonstrations (core/clock.h). */
	const char *now = getenv("NRM_NOW");
	if (now && *now && clock_set_iso(now) != 0) {
		fprintf(stderr, "nrm: NRM_NOW must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n");
		return EXIT_USAGE;
	}
	if (secure_init() != 0 || secure_totp_init() != 0) {
		fprintf(stderr, "nrm: cannot initialise libsodium or liboath\n");
		return EXIT_RUNTIME;
	}
	/* The known-weak passwords every new password is checked against (shipped in data/). */
	char *data = cli_resource_dir(NULL, "data");
	if (data) {
		char path[4096];
		size_t n;
		snprintf(path, sizeof path, "%s/passwords/weak.txt", data);
		secure_password_list_load(path, &n, NULL);
		free(data);
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 2, argv + 2);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 2, argv + 2);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc - 2, argv + 2);
	if (strcmp(cmd, "forms") == 0)
		return cmd_forms(argc - 2, argv + 2);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc - 2, argv + 2);
	if (strcmp(cmd, "key") == 0)
		return cmd_key(argc - 2, argv + 2);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc - 2, argv + 2);
	if (strcmp(cmd, "export") == 0)
		return cmd_export(argc - 2, argv + 2);
	if (strcmp(cmd, "stats") == 0)
		return cmd_stats(argc - 2, argv + 2);
	if (strcmp(cmd, "registers") == 0)
		return cmd_registers(argc - 2, argv + 2);
	if (strcmp(cmd, "report") == 0)
		return cmd_report(argc - 2, argv + 2);
	if (strcmp(cmd, "scorecard") == 0)
		return cmd_scorecard(argc - 2, argv + 2);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc - 2, argv + 2);
	if (strcmp(cmd, "restore") == 0)
		return cmd_restore(argc - 2, argv + 2);
	fprintf(stderr, "nrm: unknown command %s (see nrm --help)\n", cmd);
	return EXIT_USAGE;
}
