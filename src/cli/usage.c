/* The usage of nrm and of each subcommand: what `nrm --help` and `nrm CMD --help` print. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *cmd, *text;
} usages[] = {
	{"init", "nrm init [--db FILE] [--demo [--no-demo-cases]] [--demo-password PW] [--data DIR]\n"
		 "  Creates FILE (default ./nrm.db), its key FILE.key (mode 0600) and the reference data.\n"
		 "  --demo adds demo users and lived-in demo data (cases of past years, meetings, tasks and\n"
		 "  letters included, unless --no-demo-cases); refuses an existing FILE or key.\n"},
	{"serve", "nrm serve [--db FILE] [--listen HOST:PORT] [--web DIR] [--secure-cookies]\n"
		  "          [--smtp smtp://HOST:PORT --mail-from ADDRESS] [--tls-cert FILE --tls-key FILE]\n"
		  "          [--trusted-proxy ADDR[,ADDR/BITS...]] [--header-timeout SECONDS] [--client-rate N]\n"
		  "          [--client-burst N] [--client-requests N] [--client-connections N] [--min-free-space MB]\n"
		  "  Serves the API under /api/v1 and the web UI (default 127.0.0.1:8080) until SIGINT or SIGTERM.\n"
		  "  --smtp: meeting notices also by e-mail from ADDRESS. --tls-cert/--tls-key: HTTPS (PEM files).\n"
		  "  --trusted-proxy: from these peers the client is the right-most other address of X-Forwarded-For.\n"
		  "  Per client: requests a second (100), bursts (500), at once (16), connections (64), past them 429;\n"
		  "  a request's head within SECONDS (10), its body within that + 1 s per 32 KB (docs/deploy.md).\n"
		  "  GET /healthz answers 503 below MB free on the database's disk (256); GET /metrics, from this\n"
		  "  machine only, is for Prometheus (docs/operations.md). A demo database says so at start.\n"},
	{"user", "nrm user add     [--db FILE] --username U --role ROLE [--county SLUG] [--institution ID] [--name NAME]\n"
		 "nrm user list    [--db FILE]\n"
		 "nrm user disable [--db FILE] --username U\n"
		 "nrm user passwd  [--db FILE] --username U\n"
		 "nrm user totp-reset [--db FILE] --username U\n"
		 "  Account management at the server's console; passwords are read from standard input.\n"},
	{"user add", "nrm user add [--db FILE] --username U --role ROLE [--county SLUG] [--institution ID] [--name NAME]\n"
		     "  Adds an account; the password is read from standard input.\n"},
	{"user list", "nrm user list [--db FILE]\n  Lists the accounts.\n"},
	{"user disable", "nrm user disable [--db FILE] --username U\n  Disables an account and ends its sessions.\n"},
	{"user passwd", "nrm user passwd [--db FILE] --username U\n"
			"  Sets a new password, read from standard input, and ends the account's sessions. A password\n"
			"  has at least 12 characters, does not contain the username and is not a commonly used one\n"
			"  (data/passwords/weak.txt); the demo password of `nrm init --demo-password` is not checked.\n"},
	{"user totp-reset", "nrm user totp-reset [--db FILE] --username U\n"
			    "  Forgets the account's second factor (authenticator app) and its recovery codes, and ends\n"
			    "  its sessions; audited. The user sets up a new one at the next login.\n"},
	{"import", "nrm import cases FILE.csv --as USERNAME [--db FILE] [--institution ID] [--dry-run]\n"
		   "  Registers the cases of a spreadsheet (CSV, UTF-8; row 1 names the form's fields), all rows or\n"
		   "  none; --dry-run lists every error by row and column and writes nothing.\n"},
	{"export", "nrm export cases --as USERNAME [--db FILE] [--format csv|htcds] [--out FILE]\n"
		   "                 [--personal --reason TEXT|- | --deidentified]\n"
		   "  The cases the user may see, as CSV or HTCDS JSON; --personal adds personal data (Authority and\n"
		   "  case holders only; every read audited; --reason - reads the reason from standard input);\n"
		   "  --deidentified is the research extract.\n"},
	{"stats", "nrm stats table NAME --period P [--county SLUG] [--format csv|json] [--lang sq|en]\n"
		  "                [--audience government|public|authority] [--as USERNAME] [--db FILE] [--out FILE]\n"
		  "  A standard table of figures (national_annual, eurostat, by_county; see data/stats/tables.json)\n"
		  "  for a period: 2025, 2025H2, 2025Q3, 2025-09 or 2025-01-01..2025-03-31. Counted for the government\n"
		  "  audience unless --audience says otherwise; --as USERNAME gives what that user sees.\n"
		  "nrm stats ahead [--db FILE]\n"
		  "  Counts and keeps the figures and standard tables of the periods around today (of each kind the\n"
		  "  one running and the one just ended), as nrm serve does after every midnight: after a forms load\n"
		  "  or a large import on a big database, the first to ask for a period then reads it at once.\n"},
	{"registers", "nrm registers list [--db FILE] [--as USERNAME]\n"
		      "nrm registers export NAME [--format csv|xlsx] [--out FILE] [--county SLUG] [--period P]\n"
		      "                     [--lang sq|en] [--as USERNAME] [--db FILE]\n"
		      "  The registers of prevention and cooperation (people at risk, campaigns, awareness, trainings,\n"
		      "  cross-border work, emergency plans and activations; data/registers/). export writes a register's\n"
		      "  entries as CSV or XLSX (one sheet per repeating group) without personal data. Without --as the\n"
		      "  console reads as the Ministry's monitor (every county; not the register of people at risk);\n"
		      "  --as USERNAME gives what that user sees.\n"},
	{"report", "nrm report build --type T [--county SLUG] --period P [--format pdf|xlsx|csv] [--out FILE]\n"
		   "                 [--lang sq|en] [--as USERNAME] [--db FILE]\n"
		   "  A periodic report (krat-quarterly, krat-semiannual, krat-annual, table-meeting, authority-monthly,\n"
		   "  ministry-krat-annual; data/reports/) drafted from the live data: the stored report of that type,\n"
		   "  county and period with what its secretariat wrote, or a draft made now. P: 2025Q3, 2025H2, 2025,\n"
		   "  2025-09, or the day of a Technical Table's meeting. Without --as, as the issuer's secretariat.\n"
		   "nrm report verify FILE [--db FILE]\n"
		   "  Checks an approved report's file (GET /api/v1/reports/ID/versions/N): the SHA-256 of its content and\n"
		   "  its Ed25519 signature, by this installation's key with --db, else by the key the file names.\n"},
	{"scorecard", "nrm scorecard --period P [--county SLUG] [--format csv|xlsx|pdf] [--out FILE] [--lang sq|en]\n"
		      "              [--as USERNAME] [--db FILE]\n"
		      "  The KRAT scorecard (data/monitor/scorecard.json) for a period (2025, 2025H2, 2025Q3, 2025-09 or a\n"
		      "  range of days): each county's meetings held against required, quorum, attendance, tasks, reports\n"
		      "  on time, seats and nominations, agreements, training and prevention, with the national row.\n"
		      "  Without --as, as the Ministry's monitor; --as USERNAME gives what that user may read.\n"},
	{"forms", "nrm forms load [--db FILE] [--data DIR]\n"
		  "  Reloads the case form, workflow, code lists and labels from DIR (default: the shipped data/);\n"
		  "  a restarted nrm serve uses them.\n"},
	{"audit", "nrm audit verify [--db FILE] [--anchor FILE | --no-anchor]\n"
		  "  Checks the keyed MAC chain of the audit trail and names the first altered, inserted or removed row\n"
		  "  (exit 1); against a signed anchor of its head (default: the newest in FILE.backups/) it also finds\n"
		  "  the removal of the newest rows and a chain re-computed by someone holding the key.\n"
		  "nrm audit anchor [--db FILE] [--dir DIR]\n"
		  "  Writes a signed anchor of the trail's head (rows, last id, MAC, time) to DIR (default FILE.backups/);\n"
		  "  nrm serve writes one at start and daily, nrm key rotate after a rotation.\n"},
	{"key", "nrm key rotate [--db FILE] [--batch N]\n"
		"  Adds a new version to the keyring FILE.key and re-encrypts every personal field, sealed reason and\n"
		"  draft under it, re-indexes names and documents and re-MACs the audit trail (after checking it), in\n"
		"  short transactions while nrm serve keeps serving. Killed, it resumes when run again. Old versions\n"
		"  stay in the keyring, retired: they open older backups and verify reports approved before.\n"},
	{"backup", "nrm backup [--db FILE] [--out FILE | --dir DIR]\n"
		   "  Copies the database with SQLite's online backup (nrm serve keeps serving), encrypted with a key\n"
		   "  derived from FILE.key and signed (Ed25519), with the audit trail's anchor inside and beside it\n"
		   "  (audit-anchor-TIME.json). Default: FILE.backups/nrm-TIME.backup, the folder made mode 0700, the\n"
		   "  file 0600. For cron or a systemd timer: exit 0, the file named on standard output and the\n"
		   "  anchor's log line on standard error; otherwise one line saying why, nothing left behind.\n"},
	{"restore", "nrm restore BACKUP [--db FILE] [--force]\n"
		    "  Verifies BACKUP with the key file FILE.key (its signature, every encrypted part, SQLite's\n"
		    "  integrity check, the audit chain up to its anchor) and only then puts it in place of FILE in one\n"
		    "  rename. An existing FILE is replaced only with --force; refused while nrm serve runs on FILE.\n"},
};

const char *cli_usage(const char *cmd)
{
	/* "audit verify" and "forms load" have the usage of their command. */
	size_t whole = strlen(cmd), first = strcspn(cmd, " ");
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof usages / sizeof *usages; i++) {
			size_t n = pass ? first : whole;
			if (strlen(usages[i].cmd) == n && strncmp(usages[i].cmd, cmd, n) == 0)
				return usages[i].text;
		}
	return NULL;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

int cli_help(const char *cmd)
{
	const char *u = cli_usage(cmd);
	fputs(u ? u : "see nrm --help\n", stdout);
	return EXIT_OK;
}
