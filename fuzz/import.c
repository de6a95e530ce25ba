/* Harness: `nrm import cases` on a CSV file (cli/import.c: libcsv, the header, every cell's
 * conversion by the field's type, each row checked as case_create checks it, all in one
 * transaction). A dry run, so nothing is ever committed and every input meets the same demo
 * database (with its cases, so the likely duplicates are looked for too). Byte 0's low bit
 * picks the user: a case worker, or the Authority's secretariat, who may also give al_stage
 * (records of earlier years in a later stage); the rest is the file. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "store/db.h"

static struct cli_cases worker, authority;
static char inst[32];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_init(true);
	fuzz_quiet();
	/* Both read the working copy, which this harness never writes. */
	if (cli_cases_open("fuzz", fuzz_db_path(), "tirane.caseworker", &worker) ||
	    cli_cases_open("fuzz", fuzz_db_path(), "authority.secretariat", &authority))
		abort();
	snprintf(inst, sizeof inst, "%lld", (long long)worker.me.institution_id);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0; /* fmemopen refuses an empty buffer; an empty file is a test of tests/api/import_export.c */
	FILE *fp = fmemopen((void *)(data + 1), size - 1, "rb");
	if (!fp)
		return 0;
	struct cli_cases *cc = data[0] & 1 ? &authority : &worker;
	cli_import_run(cc, fp, "fuzz.csv", cc == &authority ? inst : NULL, true);
	fclose(fp);
	if (store_in_tx(cc->db))
		abort(); /* the import left its transaction open */
	return 0;
}
