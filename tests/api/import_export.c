/* `nrm import cases` and `nrm export cases` at the command line: a dry run lists every error
 * by row and column and writes nothing, a real import is all or nothing, exports show
 * personal data only to roles allowed and with a reason (audited), and the research extract
 * is de-identified. */
#include <criterion/criterion.h>
#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char dir[64], db[128], csv[128], out[128];
static long long inst; /* the institution of fier.caseworker */

static long long count(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long n = -1;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-ie-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/nrm.db", dir);
	snprintf(csv, sizeof csv, "%s/in.csv", dir);
	snprintf(out, sizeof out, "%s/out.txt", dir);
	const char *tmpl = getenv("NRM_TEST_TEMPLATE");
	if (tmpl && *tmpl) {
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "cp '%s' '%s' && cp '%s.key' '%s.key'", tmpl, db, tmpl, db);
		cr_assert_eq(system(cmd), 0);
	} else {
		cr_assert_eq(nrm_run(NULL, NULL, 0, "init", "--db", db, "--demo", "--no-demo-cases", NULL), 0);
	}
	inst = count("SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
	cr_assert_gt(inst, 0);
}
static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(import_export, .init = setup, .fini = teardown, .timeout = 120);

static const char header[] =
	"vic_TraffickingStatus,prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,al_estimated_age,"
	"al_identification_date,al_identifying_institution,al_identification_method,al_county,al_municipality,"
	"al_indicators_a,al_indicators_c,vic_TypeOfExploitation,al_documents,al_interpreter_needed,al_narrative\n";

/* A valid row for a person: birth may be empty when age is given. */
static void row(char *buf, size_t cap, const char *first, const char *last, const char *gender, const char *birth,
		const char *age, const char *ident, const char *county, const char *muni)
{
	size_t n = strlen(buf);
	snprintf(buf + n, cap - n,
		 "PossibleVictimOfTrafficking,%s,%s,%s,%s,%s,%s,%lld,police,%s,%s,A01;A02,C01,ForcedBegging;al_StreetBegging,"
		 "\"[{\"\"al_document_type\"\":\"\"passport\"\",\"\"al_document_number\"\":\"\"%s%s\"\"}]\",po,"
		 "\"E gjetur, duke lypur\npranë tregut.\"\n",
		 first, last, gender, birth, age, ident, inst, county, muni, first, last);
}

static void write_csv(const char *text)
{
	file_write(csv, text);
}

static char *slurp(const char *path)
{
	char *b = file_read(path, NULL);
	cr_assert_not_null(b, "%s", path);
	return b;
}

static void import_three(void)
{
	char text[8192], err[8192];
	snprintf(text, sizeof text, "%s", header);
	row(text, sizeof text, "Blerina", "Kola", "Feminine", "02.05.2011", "", "2026-10-01", "fier", "patos");
	row(text, sizeof text, "Arben", "Hoxha", "Masculine", "", "30", "15.09.2026", "fier", "");
	row(text, sizeof text, "Drita", "Marku", "Feminine", "1999-12-31", "", "2026-08-03", "fier", "fier");
	write_csv(text);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 0,
		     "%s", err);
	cr_assert_eq(count("SELECT count(*) FROM cases"), 3);
}

Test(import_export, a_dry_run_lists_every_error_by_row_and_column_and_writes_nothing)
{
	char text[8192], err[8192];
	snprintf(text, sizeof text, "%s", header);
	row(text, sizeof text, "Blerina", "Kola", "Robot", "31.02.2011", "", "2026-10-01", "fier", "patos"); /* row 2 */
	row(text, sizeof text, "Arben", "Hoxha", "Masculine", "", "thirty", "2026-09-15", "fier", "");	    /* row 3 */
	row(text, sizeof text, "Drita", "Marku", "Feminine", "1999-12-31", "", "2026-08-03", "tirana", "");	    /* row 4 */
	row(text, sizeof text, "Gent", "Leka", "Masculine", "", "", "2026-08-03", "fier", "");		    /* row 5 */
	row(text, sizeof text, "Ilir", "Doda", "Masculine", "", "40", "2026-08-03", "fier", "");		    /* row 6: valid */
	write_csv(text);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker",
			     "--dry-run", NULL),
		     2);
	cr_expect_not_null(strstr(err, "row 2, column prs_Gender:"), "%s", err);
	cr_expect_not_null(strstr(err, "row 2, column prs_Birthdate:"), "%s", err);
	cr_expect_not_null(strstr(err, "row 3, column al_estimated_age:"), "%s", err);
	cr_expect_not_null(strstr(err, "row 4, column al_county:"), "%s", err);
	cr_expect_not_null(strstr(err, "row 5, column al_estimated_age:"), "%s", err);
	cr_expect_null(strstr(err, "row 6"), "%s", err);
	cr_expect_not_null(strstr(err, "5 errors in 4 rows"), "%s", err);
	/* Messages name fields, never the victims' data in the cells. */
	cr_expect_null(strstr(err, "Blerina"), "%s", err);
	cr_expect_null(strstr(err, "Robot"), "%s", err);
	cr_expect_null(strstr(err, "thirty"), "%s", err);
	cr_expect_null(strstr(err, "tirana"), "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 0);
	cr_expect_eq(count("SELECT count(*) FROM case_personal"), 0);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE entity IN ('case', 'cases')"), 0);
}

Test(import_export, the_header_names_fields_of_the_form)
{
	char err[4096];
	write_csv("prs_Gender,Emri,prs_Gender\nFeminine,x,Feminine\n");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 2);
	cr_expect_not_null(strstr(err, "row 1, column Emri:"), "%s", err);
	cr_expect_not_null(strstr(err, "row 1, column prs_Gender: the column appears twice"), "%s", err);
	write_csv("");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 2);
	write_csv("prs_Gender\n\"unterminated\n");
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 2);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 0);
}

Test(import_export, a_good_csv_imports_every_row)
{
	char text[8192], err[8192];
	snprintf(text, sizeof text, "%s", header);
	row(text, sizeof text, "Blerina", "Kola", "Feminine", "02.05.2011", "", "2026-10-01", "fier", "patos");
	write_csv(text);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker",
			     "--dry-run", NULL),
		     0, "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 0, "a dry run writes nothing");
	import_three();
	cr_expect_eq(count("SELECT count(*) FROM cases WHERE holder_id = creator_id AND holder_id = "
			   "(SELECT institution_id FROM users WHERE username = 'fier.caseworker')"),
		     3);
	cr_expect_eq(count("SELECT count(*) FROM cases WHERE is_child = 1 AND identified_on = '2026-10-01'"), 1,
		     "DD.MM.YYYY birth date converted: a child");
	cr_expect_eq(count("SELECT count(*) FROM cases WHERE identified_on = '2026-09-15'"), 1, "DD.MM.YYYY converted");
	cr_expect_eq(count("SELECT count(*) FROM cases WHERE json_extract(data_json, '$.al_interpreter_needed') = 1"), 3);
	cr_expect_eq(count("SELECT count(*) FROM cases WHERE json_array_length(data_json, '$.al_indicators_a') = 2"), 3);
	cr_expect_eq(count("SELECT count(*) FROM case_personal WHERE field = 'al_documents'"), 3);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'case'"), 3);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'import' AND username = 'fier.caseworker'"), 1);
	/* Names are stored encrypted only. */
	cr_expect_eq(count("SELECT count(*) FROM cases WHERE data_json LIKE '%Blerina%'"), 0);
}

/* A database whose matching definitions were never loaded (before schema 22, until `nrm forms
 * load`): matching is off, and an import still imports. */
Test(import_export, an_import_where_matching_is_off_imports_every_row_and_searches_nothing)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "sqlite3 %s \"DELETE FROM forms WHERE name = 'match:rules'\"", db);
	cr_assert_eq(system(cmd), 0);
	import_three();
	cr_expect_eq(count("SELECT count(*) FROM case_match"), 0);
}

Test(import_export, one_bad_row_imports_nothing)
{
	char text[8192], err[8192];
	snprintf(text, sizeof text, "%s", header);
	row(text, sizeof text, "Blerina", "Kola", "Feminine", "2011-05-02", "", "2026-10-01", "fier", "patos");
	row(text, sizeof text, "Arben", "Hoxha", "Masculine", "", "30", "2026-09-15", "fier", "vlore"); /* not in Fier */
	row(text, sizeof text, "Drita", "Marku", "Feminine", "1999-12-31", "", "2026-08-03", "fier", "fier");
	write_csv(text);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 2);
	cr_expect_not_null(strstr(err, "row 3, column al_municipality:"), "%s", err);
	cr_expect_not_null(strstr(err, "nothing was imported"), "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 0, "the rows before the bad one are rolled back too");
	cr_expect_eq(count("SELECT count(*) FROM case_personal"), 0);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE entity IN ('case', 'cases')"), 0);
}

Test(import_export, only_roles_that_register_cases_may_import)
{
	char text[8192], err[4096];
	snprintf(text, sizeof text, "%s", header);
	row(text, sizeof text, "Blerina", "Kola", "Feminine", "2011-05-02", "", "2026-10-01", "fier", "patos");
	write_csv(text);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.krat", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "nobody", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "authority.member", NULL), 2,
		     "the Authority names the institution registering the cases");
	cr_expect_not_null(strstr(err, "--institution"), "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 0);
	char id[32];
	snprintf(id, sizeof id, "%lld", inst);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "authority.member",
			     "--institution", id, NULL),
		     0, "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 1);
}

Test(import_export, a_csv_export_by_the_secretariat_has_the_codes_and_no_personal_data)
{
	import_three();
	char err[4096];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat",
			     "--format", "csv", "--out", out, NULL),
		     0, "%s", err);
	char *t = slurp(out);
	static const char cols[] = "\"code\",\"stage\",\"county\",\"holder\",";
	cr_expect_eq(strncmp(t, cols, strlen(cols)), 0, "%.80s", t);
	cr_expect_not_null(strstr(t, "FR-2026-0001"));
	cr_expect_not_null(strstr(t, "FR-2026-0002"));
	cr_expect_not_null(strstr(t, "FR-2026-0003"));
	cr_expect_not_null(strstr(t, "ForcedBegging;al_StreetBegging"));
	cr_expect_null(strstr(t, "Blerina"));
	cr_expect_null(strstr(t, "Hoxha"));
	cr_expect_null(strstr(t, "prs_FirstName"));
	cr_expect_null(strstr(t, "2011-05-02"));
	cr_expect_null(strstr(t, "tregut"));
	free(t);
	struct stat st;
	cr_expect_eq(stat(out, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'export' AND username = 'authority.secretariat'"
			   " AND json_extract(after_json, '$.count') = 3 AND json_extract(after_json, '$.personal') = 0"),
		     1);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'read_personal'"), 0);
}

Test(import_export, a_personal_export_needs_a_reason_and_audits_every_read)
{
	import_three();
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat",
			     "--personal", "--out", out, NULL),
		     2);
	cr_expect_not_null(strstr(err, "--reason"), "%s", err);
	cr_expect_neq(access(out, F_OK), 0);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action IN ('export', 'read_personal')"), 0);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat",
			     "--personal", "--reason", "Raporti mujor i Autoritetit", "--out", out, NULL),
		     0, "%s", err);
	char *t = slurp(out);
	cr_expect_not_null(strstr(t, "\"prs_FirstName\""));
	cr_expect_not_null(strstr(t, "\"Blerina\",\"Kola\""), "%s", t);
	cr_expect_not_null(strstr(t, "Hoxha"));
	cr_expect_not_null(strstr(t, "2011-05-02"));
	cr_expect_not_null(strstr(t, "tregut"));
	free(t);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'read_personal' AND entity = 'case'"
			   " AND reason LIKE 'enc1:%' AND username = 'authority.secretariat'"),
		     3);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'export' AND json_extract(after_json, '$.personal') = 1"
			   " AND reason LIKE 'enc1:%'"),
		     1);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE reason LIKE '%Raporti%'"), 0, "the reason is stored sealed");
	/* The names never reach the audit trail. */
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE coalesce(after_json, '') LIKE '%Blerina%'"), 0);
}

Test(import_export, a_county_role_cannot_export_personal_data)
{
	import_three();
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "fier.krat", "--personal",
			     "--reason", "curiosity", "--out", out, NULL),
		     2);
	cr_expect_neq(access(out, F_OK), 0, "no file");
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action IN ('export', 'read_personal')"), 0);
	/* Codes and non-personal data of its county, yes. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "fier.krat", "--out", out, NULL), 0,
		     "%s", err);
	char *t = slurp(out);
	cr_expect_not_null(strstr(t, "FR-2026-0001"));
	cr_expect_null(strstr(t, "Blerina"));
	free(t);
	/* Another county's KRAT sees none of Fier's cases. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "vlore.krat", "--out", out, NULL), 0);
	t = slurp(out);
	cr_expect_null(strstr(t, "FR-2026"));
	free(t);
	/* Aggregates-only roles export nothing. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "ministry.monitor", "--out", out, NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "admin", "--out", out, NULL), 2);
}

Test(import_export, the_research_extract_is_deidentified)
{
	import_three();
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.chair", "--deidentified",
			     "--personal", "--reason", "x", "--out", out, NULL),
		     2, "never with personal data");
	regex_t day;
	cr_assert_eq(regcomp(&day, "[0-9]{4}-[0-9]{2}-[0-9]{2}", REG_EXTENDED | REG_NOSUB), 0);
	static const char *const formats[] = {"csv", "htcds"};
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.chair",
				     "--deidentified", "--format", formats[i], "--out", out, NULL),
			     0, "%s", err);
		char *t = slurp(out);
		cr_expect_null(strstr(t, "FR-"), "%s: no case code", formats[i]);
		cr_expect_null(strstr(t, "Blerina"), "%s", formats[i]);
		cr_expect_null(strstr(t, "Hoxha"), "%s", formats[i]);
		cr_expect_null(strstr(t, "BlerinaKola"), "%s", formats[i]);
		cr_expect_null(strstr(t, "tregut"), "%s", formats[i]);
		cr_expect_null(strstr(t, "patos"), "%s: no municipality", formats[i]);
		cr_expect_null(strstr(t, "holder"), "%s: no holder", formats[i]);
		cr_expect_null(strstr(t, "al_estimated_age"), "%s: no age", formats[i]);
		cr_expect_neq(regexec(&day, t, 0, NULL, 0), 0, "%s: no day-precision date: %s", formats[i], t);
		cr_expect_not_null(strstr(t, "2026-10"), "%s: months stay", formats[i]);
		cr_expect_not_null(strstr(t, "15-17"), "%s: the age band stays", formats[i]);
		free(t);
	}
	regfree(&day);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'export' AND json_extract(after_json, '$.deidentified') = 1"),
		     2);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'read_personal'"), 0);
}

Test(import_export, the_htcds_export_uses_htcds_names_and_codes)
{
	import_three();
	char err[4096];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "fier.caseworker", "--format",
			     "htcds", "--personal", "--reason", "transfer to the shelter", "--out", out, NULL),
		     0, "%s", err);
	json_error_t je;
	json_t *j = json_load_file(out, 0, &je);
	cr_assert_not_null(j, "%s", je.text);
	cr_assert_eq(json_array_size(j), 3);
	json_t *first = json_array_get(j, 0);
	cr_expect_str_eq(jstr(first, "caseId"), "FR-2026-0001");
	cr_expect_str_eq(jstr(first, "prs_FirstName"), "Blerina");
	cr_expect_str_eq(jstr(first, "prs_Gender"), "Feminine");
	cr_expect_str_eq(jstr(first, "al.al_county"), "fier");
	cr_expect_str_eq(jstr(first, "al.al_stage"), "initial_identification");
	cr_expect_null(json_object_get(first, "al_county"), "al_ fields live under \"al\"");
	json_t *ex = json_object_get(first, "vic_TypeOfExploitation");
	cr_expect_eq(json_array_size(ex), 1, "al_StreetBegging maps to its HTCDS parent ForcedBegging");
	cr_expect_str_eq(json_string_value(json_array_get(ex, 0)), "ForcedBegging");
	json_decref(j);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'read_personal' AND username = 'fier.caseworker'"), 3);
}

Test(import_export, bad_export_usage_is_refused)
{
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.chair", "--format", "xml", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--format", "csv", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.chair", "--reason", "x", NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "export", "things", "--db", db, NULL), 2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "things", NULL), 2);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'export'"), 0);
}

Test(import_export, every_csv_cell_that_a_spreadsheet_would_run_is_disarmed)
{
	import_three();
	sqlite3 *h;
	cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
	char sql[300];
	snprintf(sql, sizeof sql, "UPDATE institutions SET name = '=HYPERLINK(\"http://x\",\"Kliko\")' WHERE id = %lld", inst);
	cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	/* A non-personal text field typed with a tab, and one with a carriage return, in front. */
	char text[4096], err[4096];
	snprintf(text, sizeof text,
		 "vic_TraffickingStatus,prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,"
		 "al_identifying_institution,al_identification_method,al_county,al_indicators_a,al_indicators_c,"
		 "al_identifying_officer\n"
		 "PossibleVictimOfTrafficking,Ana,Lika,Feminine,30,2026-10-01,%lld,police,fier,A01,C01,\"\t=1+2\"\n"
		 "PossibleVictimOfTrafficking,Eva,Lika,Feminine,31,2026-10-01,%lld,police,fier,A01,C01,\"\r@SUM(A1)\"\n",
		 inst, inst);
	write_csv(text);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", NULL), 0,
		     "%s", err);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat",
			     "--format", "csv", "--out", out, NULL),
		     0, "%s", err);
	char *t = slurp(out);
	cr_expect_not_null(strstr(t, "\"'=HYPERLINK("), "an institution's name is guarded too");
	cr_expect_null(strstr(t, "\"=HYPERLINK("));
	cr_expect_not_null(strstr(t, "\"'\t=1+2\""), "a cell starting with a tab");
	cr_expect_not_null(strstr(t, "\"'\r@SUM(A1)\""), "a cell starting with a carriage return");
	/* Every cell: nothing starts with = + - @ TAB or CR but numbers. */
	regex_t re;
	cr_assert_eq(regcomp(&re, "(^|,)\"[=+@\t\r]", REG_EXTENDED | REG_NEWLINE), 0);
	cr_expect_neq(regexec(&re, t, 0, NULL, 0), 0, "an unguarded cell: %s", t);
	regfree(&re);
	free(t);
}

Test(import_export, a_row_the_case_rules_refuse_is_an_error_of_that_row)
{
	char text[4096], err[4096];
	snprintf(text, sizeof text,
		 "vic_TraffickingStatus,prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,"
		 "al_identifying_institution,al_identification_method,al_county,al_indicators_a,al_indicators_c\n"
		 "PossibleVictimOfTrafficking,Ana,Lika,Feminine,30,2026-10-01,%lld,police,fier,A01,C01\n"
		 "ActualVictimOfTrafficking,Eva,Lika,Feminine,31,2026-10-01,%lld,police,fier,A01,C01\n",
		 inst, inst);
	write_csv(text);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "import", "cases", csv, "--db", db, "--as", "fier.caseworker", "--dry-run",
			     NULL),
		     2, "%s", err);
	cr_expect_not_null(strstr(err, "row 3, column vic_TraffickingStatus"), "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM cases"), 0);
}

Test(import_export, the_reason_for_a_personal_export_may_come_from_standard_input)
{
	import_three();
	char err[4096];
	cr_assert_eq(nrm_run("Raporti vjetor\n", err, sizeof err, "export", "cases", "--db", db, "--as",
			     "authority.secretariat", "--personal", "--reason", "-", "--out", out, NULL),
		     0, "%s", err);
	cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'read_personal' AND reason LIKE 'enc1:%'"), 3);
	cr_expect_eq(nrm_run("", err, sizeof err, "export", "cases", "--db", db, "--as", "authority.secretariat", "--personal",
			     "--reason", "-", "--out", out, NULL),
		     2, "no reason on standard input");
}
