/* Periodic reports drafted from the data (Order 94 §1.6e, §3.1, §3.3; Instruction 132 §§10, 11):
 * report types as data, a KRAT's quarterly draft whose figures come from the statistics and the
 * registers, the narrative its secretariat writes, who drafts and who reads, and the files it
 * leaves as (PDF read back by pdftotext, XLSX by openpyxl). Approval, freezing, signing and
 * delivery come next (issue 12). */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define TODAY "2026-11-20"
#define MARKER "Zanavera"

static struct server srv;
static struct client sec, police;
static long long table, police_inst;

static void setup(void)
{
	server_start(&srv);
	server_restart(&srv, TODAY);
	client_init(&sec, &srv);
	client_login(&sec, "fier.secretariat", "demo");
	client_init(&police, &srv);
	client_login(&police, "fier.caseworker", "demo");
	table = body_id(&sec, "technical_table", "fier");
	police_inst = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
}
static void teardown(void)
{
	client_free(&sec);
	client_free(&police);
	server_stop(&srv);
}
TestSuite(reports, .init = setup, .fini = teardown, .timeout = 180);

/* The cell of the row labelled `row` (Albanian) in the table titled `title` of a report's
 * section: a number, -2 for a hidden one, -1 when there is none. */
static long long cell(json_t *report, const char *section, const char *title, const char *row)
{
	size_t i, j, k;
	json_t *s, *t, *r;
	json_array_foreach(jpath(report, "sections"), i, s) {
		if (strcmp(jstr(s, "id"), section) != 0)
			continue;
		json_array_foreach(json_object_get(s, "tables"), j, t) {
			if (strcmp(jstr(t, "title.sq"), title) != 0)
				continue;
			json_array_foreach(json_object_get(t, "rows"), k, r) {
				const char *lab = json_string_value(json_object_get(json_array_get(r, 0), "sq"));
				if (lab && strcmp(lab, row) == 0) {
					json_t *v = json_array_get(r, 1);
					return json_is_string(v) ? -2 : (long long)json_integer_value(v);
				}
			}
		}
	}
	return -1;
}

/* Fier's work of the third quarter of 2026 in its registers: an activity with 46 women and girls
 * and 55 men and boys, a workshop of 4 hours, and three people at risk (one with a name). */
static void seed(void)
{
	char json[2048];
	snprintf(json, sizeof json,
		 "{\"fields\":{\"title\":\"Takim në shkollë\",\"activity\":\"school_session\",\"day\":\"2026-07-15\","
		 "\"county\":\"fier\",\"municipality\":\"fier\",\"organiser\":%lld,\"audience\":[\"pupils\"],"
		 "\"reach\":[{\"sex\":\"female\",\"age_group\":\"14_17\",\"count\":46},{\"sex\":\"male\",\"age_group\":\"14_17\","
		 "\"count\":55}]}}",
		 police_inst);
	struct reply r = client_must(&sec, "POST", "/api/v1/registers/awareness/entries", json, 201);
	reply_free(&r);
	r = client_must(&sec, "POST", "/api/v1/registers/trainings/entries",
		 "{\"fields\":{\"title\":\"Mbrojtja e të dhënave\",\"kind\":\"workshop\",\"topics\":[\"data_protection\"],"
		 "\"organiser\":\"prefecture\",\"county\":\"fier\",\"start\":\"2026-08-01\",\"end\":\"2026-08-01\",\"hours\":4}}",
		 201);
	reply_free(&r);
	for (int i = 0; i < 3; i++) {
		snprintf(json, sizeof json,
			 "{\"fields\":{\"subject\":\"person\",\"child\":true,\"found_on\":\"2026-08-%02d\",\"found_by\":%lld,"
			 "\"county\":\"fier\",\"municipality\":\"patos\",\"risk_factors\":[\"school_dropout\"],\"status\":\"open\","
			 "\"first_name\":\"" MARKER "\"}}",
			 10 + i, table);
		r = client_must(&police, "POST", "/api/v1/registers/at_risk/entries", json, 201);
		reply_free(&r);
	}
}

Test(reports, a_krat_secretariat_drafts_its_quarterly_report_from_the_live_data)
{
	seed();
	struct reply r = client_must(&sec, "GET", "/api/v1/report-types", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 4, "the Table's and the KRAT's three");
	reply_free(&r);
	r = client_must(&police, "GET", "/api/v1/report-types", NULL, 200);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0, "a case worker reads no reports");
	reply_free(&r);
	const char *body = "{\"type\":\"krat-quarterly\",\"scope\":\"fier\",\"period\":\"2026Q3\"}";
	r = client_must(&sec, "POST", "/api/v1/reports", body, 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	/* One report per type, body and period; the issuer's secretariat only; the type's period. */
	client_refused(&sec, "POST", "/api/v1/reports", body, 409, "report_exists", NULL);
	struct client tirane = client_as(&srv, "tirane.secretariat"), krat = client_as(&srv, "fier.krat"), monitor = client_as(&srv, "ministry.monitor");
	client_refused(&tirane, "POST", "/api/v1/reports", body, 403, "report_by_secretariat", NULL);
	client_refused(&krat, "POST", "/api/v1/reports", body, 403, "report_by_secretariat", NULL);
	client_refused(&sec, "POST", "/api/v1/reports", "{\"type\":\"krat-quarterly\",\"scope\":\"fier\",\"period\":\"2026-09\"}",
		     400, "report_period_kind", "period");
	client_refused(&sec, "POST", "/api/v1/reports", "{\"type\":\"krat-monthly\",\"scope\":\"fier\",\"period\":\"2026Q3\"}", 400,
		     "unknown_report_type", "type");
	client_refused(&sec, "POST", "/api/v1/reports", "{\"type\":\"krat-quarterly\",\"scope\":\"atlantis\",\"period\":\"2026Q3\"}",
		     400, "unknown_county", "scope");
	client_refused(&sec, "POST", "/api/v1/reports", "{\"type\":\"table-meeting\",\"scope\":\"fier\",\"period\":\"2026-08-03\"}",
		     400, "report_meeting", "period");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM reports"), 1);
	/* The draft: heading, due date, and the figures as they leave for the Ministry. */
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "issuer.name"), "Komiteti Rajonal Antitrafikim — Fier");
	cr_expect_str_eq(jstr(r.json, "due"), "2026-10-15", "15 days after the quarter");
	cr_expect_str_eq(jstr(r.json, "status"), "draft");
	cr_expect(json_is_true(jpath(r.json, "can_edit")));
	cr_expect_eq(cell(r.json, "prevention", "Veprimtaritë e ndërgjegjësimit", "Pjesëmarrës sipas gjinisë"), 101);
	cr_expect_eq(cell(r.json, "prevention", "Veprimtaritë e ndërgjegjësimit", "   Femra"), 46);
	cr_expect_eq(cell(r.json, "prevention", "Trajnimet dhe shkëmbimet e përvojës", "Orë trajnimi"), 4);
	cr_expect_eq(cell(r.json, "prevention", "Persona në rrezik", "Regjistruar në periudhë"), -2,
		     "three people at risk: hidden from the Ministry's audience");
	cr_expect_eq(cell(r.json, "cases", "Identifikuar", "Gjithsej"), 0);
	cr_expect_null(strstr(r.body, MARKER));
	long long version = jint(r.json, "version");
	reply_free(&r);
	/* The narrative, as the secretariat types it. */
	char json[512];
	snprintf(json, sizeof json,
		 "{\"version\":%lld,\"sections\":{\"summary\":\"KRAT-i u mblodh një herë; Tryeza dy herë.\","
		 "\"recommendations\":\"Më shumë trajnime për punonjësit socialë.\"}}",
		 version);
	r = client_must(&sec, "PATCH", path, json, 200);
	cr_expect_str_eq(jstr(r.json, "sections.0.text"), "KRAT-i u mblodh një herë; Tryeza dy herë.");
	reply_free(&r);
	client_refused(&sec, "PATCH", path, json, 409, "stale", "version");
	snprintf(json, sizeof json, "{\"version\":%lld,\"sections\":{\"cases\":\"x\"}}", version + 1);
	client_refused(&sec, "PATCH", path, json, 400, "report_section", "sections.cases");
	snprintf(json, sizeof json, "{\"version\":%lld,\"sections\":{\"summary\":\"x\"}}", version + 1);
	client_refused(&krat, "PATCH", path, json, 403, "report_by_secretariat", NULL);
	/* The county's members read the draft; another county and the Ministry do not, yet. */
	r = client_must(&krat, "GET", path, NULL, 200);
	cr_expect(json_is_false(jpath(r.json, "can_edit")));
	reply_free(&r);
	client_refused(&tirane, "GET", path, NULL, 404, "no_such_report", NULL);
	client_refused(&monitor, "GET", path, NULL, 404, "no_such_report", NULL);
	r = client_must(&tirane, "GET", "/api/v1/reports", NULL, 200);
	cr_expect_null(jpath(r.json, "items.0"));
	reply_free(&r);
	r = client_must(&krat, "GET", "/api/v1/reports", NULL, 200);
	cr_expect_eq(jint(r.json, "items.0.id"), id);
	cr_expect_null(jpath(r.json, "items.0.narrative"));
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE entity = 'report'"), 2, "drafted and written");
	client_free(&tirane);
	client_free(&krat);
	client_free(&monitor);
}

Test(reports, a_report_leaves_as_csv_xlsx_and_from_the_console_with_its_figures_and_nothing_personal)
{
	seed();
	struct reply r = client_must(&sec, "POST", "/api/v1/reports", "{\"type\":\"krat-quarterly\",\"scope\":\"fier\",\"period\":\"2026Q3\"}",
			      201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	char path[120];
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	r = client_must(&sec, "PATCH", path, "{\"version\":1,\"sections\":{\"findings\":\"Mungon strehimi për djemtë.\"}}", 200);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/csv", id);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_not_null(strstr(r.body, "REPUBLIKA E SHQIPËRISË"));
	cr_expect_not_null(strstr(r.body, "Mungon strehimi për djemtë."));
	cr_expect_not_null(strstr(r.body, "Pjesëmarrës sipas gjinisë,101"));
	cr_expect_null(strstr(r.body, MARKER));
	cr_expect_not_null(strstr(r.headers, "filename=\"krat-quarterly-fier-2026Q3.csv\""));
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/xlsx?lang=en", id);
	r = client_must(&sec, "GET", path, NULL, 200);
	char xlsx[320], cmd[1200];
	snprintf(xlsx, sizeof xlsx, "%s/r.xlsx", srv.dir);
	reply_save(&r, xlsx);
	reply_free(&r);
	/* An independent reader finds the heading, and the participants as a number. */
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c \"import openpyxl,sys; wb = openpyxl.load_workbook(sys.argv[1]);"
		 " assert wb.sheetnames[0] == 'Report', wb.sheetnames;"
		 " assert wb['Report']['A2'].value == 'REPUBLIC OF ALBANIA', wb['Report']['A2'].value;"
		 " rows = [[c.value for c in r] for ws in wb.worksheets[1:] for r in ws.iter_rows()];"
		 " hit = [r for r in rows if r[0] == 'Participants by sex'];"
		 " assert hit and hit[0][1] == 101 and isinstance(hit[0][1], int), hit\" %s",
		 xlsx);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
	/* The PDF, as pdftotext reads it: the heading, the numbered tables with their figures, the
	 * marking and the page numbers; nothing personal. */
	snprintf(path, sizeof path, "/api/v1/reports/%lld/pdf", id);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_not_null(strstr(r.headers, "application/pdf"));
	cr_expect_eq(memcmp(r.body, "%PDF-", 5), 0);
	char pdf[320], txt[320];
	snprintf(pdf, sizeof pdf, "%s/r.pdf", srv.dir);
	snprintf(txt, sizeof txt, "%s/r.txt", srv.dir);
	reply_save(&r, pdf);
	reply_free(&r);
	snprintf(cmd, sizeof cmd, "pdftotext -layout %s %s", pdf, txt);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	char *text = file_read(txt, NULL);
	cr_assert_not_null(text);
	cr_expect_not_null(strstr(text, "REPUBLIKA E SHQIPËRISË"));
	cr_expect_not_null(strstr(text, "Komiteti Rajonal Antitrafikim — Fier"));
	cr_expect_not_null(strstr(text, "KONFIDENCIALE"));
	cr_expect_not_null(strstr(text, "Mungon strehimi për djemtë."));
	cr_expect_not_null(strstr(text, "Tabela 1. Identifikuar"));
	cr_expect_not_null(strstr(text, "Faqe 1 nga"));
	const char *reach = strstr(text, "Pjesëmarrës sipas gjinisë");
	cr_expect(reach && strstr(reach, "101"), "the participants, 101");
	cr_expect_null(strstr(text, MARKER));
	free(text);
	/* The console builds the stored report, with what was written in it. */
	char out[320], err[512];
	snprintf(out, sizeof out, "%s/q.csv", srv.dir);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "build", "--db", srv.db, "--type", "krat-quarterly", "--county",
			     "fier", "--period", "2026Q3", "--format", "csv", "--out", out, NULL),
		     0, "%s", err);
	char *csv = file_read(out, NULL);
	cr_assert_not_null(csv);
	cr_expect_not_null(strstr(csv, "Mungon strehimi për djemtë."));
	cr_expect_not_null(strstr(csv, "Orë trajnimi,4"));
	free(csv);
	/* A type without a stored report is drafted on the spot: the KRATs' year, nationally. */
	snprintf(out, sizeof out, "%s/m.csv", srv.dir);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "build", "--db", srv.db, "--type", "ministry-krat-annual",
			     "--period", "2025", "--out", out, NULL),
		     0, "%s", err);
	csv = file_read(out, NULL);
	cr_assert_not_null(csv);
	cr_expect_not_null(strstr(csv, "Performanca e KRAT-eve"));
	cr_expect_not_null(strstr(csv, "Fier,"));
	free(csv);
	snprintf(out, sizeof out, "%s/q.pdf", srv.dir);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "build", "--db", srv.db, "--type", "krat-quarterly", "--county",
			     "fier", "--period", "2026Q3", "--format", "pdf", "--out", out, NULL),
		     0, "%s", err);
	char *made = file_read(out, NULL);
	cr_expect(made && memcmp(made, "%PDF-", 5) == 0, "a PDF");
	free(made);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "build", "--db", srv.db, "--type", "krat-quarterly", "--county",
			     "fier", "--period", "2026Q3", "--format", "odt", NULL),
		     2);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "build", "--db", srv.db, "--type", "krat-quarterly", "--county",
			     "fier", "--period", "2026", NULL),
		     2);
	cr_expect_not_null(strstr(err, "quarter"), "%s", err);
}

/* A meeting of body held on day with every seat present; its id. */
static long long held_meeting(long long body, const char *day)
{
	char path[80], json[160];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", body);
	snprintf(json, sizeof json, "{\"date\":\"%s\",\"time\":\"10:00\"}", day);
	struct reply r = client_must(&sec, "POST", path, json, 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/meetings/%lld", id);
	r = client_must(&sec, "GET", path, NULL, 200);
	json_t *list = json_array(), *s;
	size_t i;
	json_array_foreach(jpath(r.json, "attendance"), i, s)
		if (json_is_object(json_object_get(s, "member")) || jstr(s, "member"))
			json_array_append_new(list, json_pack("{s:I, s:s}", "seat", (json_int_t)jint(s, "seat"), "status", "present"));
	reply_free(&r);
	json_t *doc = json_pack("{s:o}", "seats", list);
	char *body_json = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	snprintf(path, sizeof path, "/api/v1/meetings/%lld/attendance", id);
	r = client_must(&sec, "PUT", path, body_json, 200);
	free(body_json);
	reply_free(&r);
	return id;
}

Test(reports, a_krat_report_is_approved_in_its_meeting_signed_delivered_answered_and_corrected_with_its_changes)
{
	seed();
	long long krat = body_id(&sec, "krat", "fier");
	struct reply r = client_must(&sec, "POST", "/api/v1/reports",
				     "{\"type\":\"krat-quarterly\",\"scope\":\"fier\",\"period\":\"2026Q3\"}", 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	char path[160], json[400];
	snprintf(path, sizeof path, "/api/v1/reports/%lld/submit", id);
	r = client_must(&sec, "POST", path, "{}", 200);
	cr_expect_eq(jint(r.json, "version"), 1);
	cr_expect_eq(strlen(jstr(r.json, "hash")), 64, "a SHA-256");
	cr_expect_str_eq(jstr(r.json, "status"), "submitted", "a KRAT's report waits for its meeting");
	reply_free(&r);
	/* Not yet the Ministry's to read; approved in a KRAT meeting held after the submission only. */
	struct client monitor = client_as(&srv, "ministry.monitor");
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	client_refused(&monitor, "GET", path, NULL, 404, "no_such_report", NULL);
	long long before = held_meeting(krat, "2026-11-02"), meeting = held_meeting(krat, "2026-11-20");
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect(json_is_true(jpath(r.json, "can_approve")) && json_is_false(jpath(r.json, "can_answer")));
	cr_expect_eq(jint(r.json, "pending.version"), 1);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/approval", id);
	snprintf(json, sizeof json, "{\"version\":1,\"meeting\":%lld}", before);
	client_refused(&sec, "POST", path, json, 400, "report_meeting_approval", "meeting");
	snprintf(json, sizeof json, "{\"version\":2,\"meeting\":%lld}", meeting);
	client_refused(&sec, "POST", path, json, 409, "stale", "version");
	snprintf(json, sizeof json, "{\"version\":1,\"meeting\":%lld,\"votes\":{\"for\":9,\"against\":0,\"abstain\":1}}", meeting);
	r = client_must(&sec, "POST", path, json, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "delivered");
	reply_free(&r);
	/* The decision stands in the meeting; the version is signed. */
	char mpath[80];
	snprintf(mpath, sizeof mpath, "/api/v1/meetings/%lld", meeting);
	r = client_must(&sec, "GET", mpath, NULL, 200);
	cr_expect_not_null(strstr(r.body, "Miratohet Raporti tremujor"), "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/versions/1", id);
	r = client_must(&monitor, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "format"), "nrm-report/1");
	char file[320], tampered[320], err[512];
	snprintf(file, sizeof file, "%s/v1.json", srv.dir);
	snprintf(tampered, sizeof tampered, "%s/v1-tampered.json", srv.dir);
	file_write(file, r.body);
	/* A figure changed in the file breaks it. */
	char *bad = strdup(r.body), *at = strstr(bad, "[{\"en\":\"Participants by sex\"");
	cr_assert_not_null(at, "%s", r.body);
	at = strstr(at, "101");
	cr_assert_not_null(at);
	memcpy(at, "111", 3);
	file_write(tampered, bad);
	free(bad);
	reply_free(&r);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", file, "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", tampered, "--db", srv.db, NULL), 1);
	cr_expect_not_null(strstr(err, "does not match its signature"), "%s", err);
	/* What the Ministry downloads is the version approved, with its signature block. */
	snprintf(path, sizeof path, "/api/v1/reports/%lld/pdf", id);
	r = client_must(&monitor, "GET", path, NULL, 200);
	char pdf[320], txt[320], cmd[800];
	snprintf(pdf, sizeof pdf, "%s/a.pdf", srv.dir);
	snprintf(txt, sizeof txt, "%s/a.txt", srv.dir);
	reply_save(&r, pdf);
	reply_free(&r);
	snprintf(cmd, sizeof cmd, "pdftotext %s %s", pdf, txt);
	cr_assert_eq(system(cmd), 0);
	char *text = file_read(txt, NULL);
	cr_assert_not_null(text);
	cr_expect_not_null(strstr(text, "Miratimi dhe nënshkrimi"));
	cr_expect_not_null(strstr(text, "SHA-256"));
	cr_expect_not_null(strstr(text, "Versioni 1"));
	free(text);
	/* The PDF is the very file delivered: it verifies byte for byte, and a changed byte does not. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", pdf, "--db", srv.db, NULL), 0, "%s", err);
	size_t plen;
	char *bytes = file_read(pdf, &plen);
	cr_assert(bytes && plen > 100);
	bytes[plen / 2] ^= 1;
	r = (struct reply){.body = bytes, .len = plen};
	reply_save(&r, pdf);
	free(bytes);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", pdf, "--db", srv.db, NULL), 1);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", pdf, NULL), 2, "a PDF needs its database");
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	r = client_must(&monitor, "GET", path, NULL, 200);
	cr_expect(json_is_true(jpath(r.json, "can_answer")) && json_is_false(jpath(r.json, "can_submit")));
	cr_expect_str_eq(jstr(r.json, "due"), "2026-10-15");
	cr_expect(strncmp(jstr(r.json, "delivered_at"), "2026-11-20", 10) == 0, "delivered late: %s", r.body);
	reply_free(&r);
	/* The Ministry reads it now and returns it with a comment. */
	snprintf(path, sizeof path, "/api/v1/reports/%lld/answer", id);
	client_refused(&monitor, "POST", path, "{\"version\":1,\"answer\":\"returned\"}", 400, "required", "comment");
	client_refused(&sec, "POST", path, "{\"version\":1,\"answer\":\"acknowledged\"}", 403, "report_by_recipient", NULL);
	r = client_must(&monitor, "POST", path,
			"{\"version\":1,\"answer\":\"returned\",\"comment\":\"Shtoni trajnimet e Tryezës.\"}", 200);
	cr_expect_str_eq(jstr(r.json, "status"), "returned");
	long long nv = jint(r.json, "version");
	reply_free(&r);
	/* The county's secretariat hears it came back, with the Ministry's comment. */
	r = client_must(&sec, "GET", "/api/v1/notifications?unread=1", NULL, 200);
	bool back = false;
	json_t *x;
	size_t k;
	json_array_foreach(jpath(r.json, "items"), k, x)
		back |= strcmp(jstr(x, "kind"), "report_returned") == 0 && jint(x, "entity_id") == id &&
			strcmp(jstr(x, "params.comment"), "Shtoni trajnimet e Tryezës.") == 0;
	cr_expect(back, "%s", r.body);
	reply_free(&r);
	/* The correction: a new figure, the narrative, a reason, and the table of what changed. */
	snprintf(json, sizeof json,
		 "{\"fields\":{\"title\":\"Takim me prindërit\",\"activity\":\"community_meeting\",\"day\":\"2026-09-20\","
		 "\"county\":\"fier\",\"municipality\":\"fier\",\"organiser\":%lld,\"audience\":[\"parents\"],"
		 "\"reach\":[{\"sex\":\"female\",\"age_group\":\"25_64\",\"count\":10}]}}",
		 police_inst);
	r = client_must(&sec, "POST", "/api/v1/registers/awareness/entries", json, 201);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	snprintf(json, sizeof json, "{\"version\":%lld,\"sections\":{\"summary\":\"U shtua takimi me prindërit.\"}}", nv);
	r = client_must(&sec, "PATCH", path, json, 200);
	cr_expect_str_eq(jstr(r.json, "status"), "draft");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/submit", id);
	client_refused(&sec, "POST", path, "{}", 400, "required", "reason");
	r = client_must(&sec, "POST", path, "{\"reason\":\"Mungonte një veprimtari e shtatorit.\"}", 200);
	cr_expect_eq(jint(r.json, "version"), 2);
	bool found = false;
	size_t i;
	json_t *ch;
	json_array_foreach(jpath(r.json, "changes"), i, ch)
		if (strcmp(jstr(ch, "row"), "Pjesëmarrës sipas gjinisë") == 0) {
			found = true;
			cr_expect_eq(jint(ch, "old"), 101);
			cr_expect_eq(jint(ch, "new"), 111);
		}
	cr_expect(found, "the participants changed: %s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/approval", id);
	snprintf(json, sizeof json, "{\"version\":2,\"meeting\":%lld}", meeting);
	r = client_must(&sec, "POST", path, json, 200);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/versions", id);
	r = client_must(&monitor, "GET", path, NULL, 200);
	cr_expect_eq(jint(r.json, "items.0.version"), 2);
	cr_expect_str_eq(jstr(r.json, "items.0.reason"), "Mungonte një veprimtari e shtatorit.");
	cr_expect_str_eq(jstr(r.json, "items.1.answer"), "returned");
	cr_expect_str_eq(jstr(r.json, "items.1.status"), "approved", "the earlier version stays readable");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/answer", id);
	r = client_must(&monitor, "POST", path, "{\"version\":2,\"answer\":\"acknowledged\"}", 200);
	cr_expect_str_eq(jstr(r.json, "status"), "acknowledged");
	reply_free(&r);
	/* The first version still verifies. */
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "report", "verify", file, "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit WHERE entity = 'report' AND action IN ('submit', 'approve', 'answer')"),
		     6);
	client_free(&monitor);
}

Test(reports, a_tables_report_is_sent_by_its_secretariat_and_acknowledged_for_the_krat)
{
	held_meeting(table, "2026-11-18");
	struct reply r = client_must(&sec, "POST", "/api/v1/reports",
				     "{\"type\":\"table-meeting\",\"scope\":\"fier\",\"period\":\"2026-11-18\"}", 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	char path[120];
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "due"), "2026-12-03");
	cr_expect_str_eq(jstr(r.json, "sections.1.tables.0.rows.0.0"), "2026-11-18", "its meeting");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/submit", id);
	r = client_must(&sec, "POST", path, "{}", 200);
	cr_expect_str_eq(jstr(r.json, "status"), "delivered", "sent, it is delivered to the KRAT at once");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/approval", id);
	client_refused(&sec, "POST", path, "{\"version\":1,\"meeting\":1}", 400, "report_approval_rule", "meeting");
	struct client tirane = client_as(&srv, "tirane.secretariat"), monitor = client_as(&srv, "ministry.monitor");
	snprintf(path, sizeof path, "/api/v1/reports/%lld/answer", id);
	client_refused(&tirane, "POST", path, "{\"version\":1,\"answer\":\"acknowledged\"}", 404, "no_such_report", NULL);
	client_refused(&monitor, "POST", path, "{\"version\":1,\"answer\":\"acknowledged\"}", 404, "no_such_report", NULL);
	r = client_must(&sec, "POST", path, "{\"version\":1,\"answer\":\"acknowledged\"}", 200);
	cr_expect_str_eq(jstr(r.json, "status"), "acknowledged");
	reply_free(&r);
	client_free(&tirane);
	client_free(&monitor);
}

Test(reports, the_authoritys_monthly_report_is_approved_by_every_seated_member_and_an_edit_clears_the_approvals)
{
	struct client asec = client_as(&srv, "authority.secretariat"), admin = client_as(&srv, "admin");
	struct reply r = client_must(&asec, "POST", "/api/v1/reports",
				     "{\"type\":\"authority-monthly\",\"scope\":\"national\",\"period\":\"2026-10\"}", 201);
	long long id = jint(r.json, "id");
	reply_free(&r);
	char path[120], json[400];
	snprintf(path, sizeof path, "/api/v1/reports/%lld/submit", id);
	r = client_must(&asec, "POST", path, "{}", 200);
	cr_expect_str_eq(jstr(r.json, "status"), "submitted");
	reply_free(&r);
	/* The members seated in the Authority hear that it waits for them; its secretariat, who sent it, not. */
	char sql[300];
	static const char *const told[] = {"authority.chair", "authority.member", "authority.secretariat"};
	for (int k = 0; k < 3; k++) {
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'report_to_approve'"
			 " AND n.entity = 'report' AND n.entity_id = %lld AND u.username = '%s'",
			 id, told[k]);
		cr_expect_eq(db_int(&srv, sql), k < 2 ? 1 : 0, "%s", told[k]);
	}
	/* Accounts for the members of the other seats, each linked to the person in its seat. */
	long long authority = body_id(&asec, "authority", NULL);
	snprintf(path, sizeof path, "/api/v1/bodies/%lld", authority);
	r = client_must(&asec, "GET", path, NULL, 200);
	long long persons[20];
	int n = 0;
	size_t i;
	json_t *seat;
	json_array_foreach(jpath(r.json, "seats"), i, seat) {
		json_t *m = json_object_get(seat, "member");
		if (json_is_object(m) && n < 20)
			persons[n++] = (long long)json_integer_value(json_object_get(m, "person"));
	}
	reply_free(&r);
	cr_assert_eq(n, 13, "the Authority's 13 seats are held in the demo");
	char user[32];
	for (int k = 2; k < n; k++) {
		snprintf(json, sizeof json,
			 "{\"username\":\"seat.%d\",\"name\":\"Anëtar %d\",\"role\":\"authority_member\",\"person\":%lld,"
			 "\"password\":\"Nje-fjalekalim-i-gjate-2026\"}",
			 k, k, persons[k]);
		r = client_must(&admin, "POST", "/api/v1/users", json, 201);
		reply_free(&r);
	}
	client_refused(&admin, "POST", "/api/v1/users",
		       "{\"username\":\"seat.x\",\"name\":\"X\",\"role\":\"authority_member\",\"person\":999999,"
		       "\"password\":\"Nje-fjalekalim-i-gjate-2026\"}",
		       400, "unknown_person", "person");
	/* The chair approves; seat b asks for changes; the secretariat is no member. */
	struct client chair = client_as(&srv, "authority.chair"), member = client_as(&srv, "authority.member");
	snprintf(path, sizeof path, "/api/v1/reports/%lld/approval", id);
	r = client_must(&chair, "POST", path, "{\"version\":1,\"decision\":\"approve\"}", 200);
	cr_expect_eq(jint(r.json, "approved"), 1);
	cr_expect_eq(jint(r.json, "filled"), 13);
	reply_free(&r);
	client_refused(&member, "POST", path, "{\"version\":1,\"decision\":\"changes\"}", 400, "required", "comment");
	r = client_must(&member, "POST", path,
			"{\"version\":1,\"decision\":\"changes\",\"comment\":\"Shtoni rastet e referuara nga jashtë.\"}", 200);
	reply_free(&r);
	client_refused(&asec, "POST", path, "{\"version\":1,\"decision\":\"approve\"}", 403, "report_by_member", NULL);
	snprintf(path, sizeof path, "/api/v1/reports/%lld", id);
	r = client_must(&asec, "GET", path, NULL, 200);
	cr_expect_eq(jint(r.json, "approval.approved"), 1);
	cr_expect_str_eq(jstr(r.json, "approval.votes.1.comment"), "Shtoni rastet e referuara nga jashtë.");
	long long nv = jint(r.json, "version");
	reply_free(&r);
	/* The secretariat changes it: a new version, the approvals start again. */
	snprintf(json, sizeof json, "{\"version\":%lld,\"sections\":{\"summary\":\"U shtuan rastet nga jashtë.\"}}", nv);
	r = client_must(&asec, "PATCH", path, json, 200);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/submit", id);
	r = client_must(&asec, "POST", path, "{}", 200);
	cr_expect_eq(jint(r.json, "version"), 2);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/approval", id);
	client_refused(&chair, "POST", path, "{\"version\":1,\"decision\":\"approve\"}", 409, "stale", "version");
	/* Every seat approves version 2; the last approval signs and delivers it. */
	r = client_must(&chair, "POST", path, "{\"version\":2,\"decision\":\"approve\"}", 200);
	reply_free(&r);
	r = client_must(&member, "POST", path, "{\"version\":2,\"decision\":\"approve\"}", 200);
	reply_free(&r);
	for (int k = 2; k < n; k++) {
		snprintf(user, sizeof user, "seat.%d", k);
		struct client m;
		client_init(&m, &srv);
		client_login(&m, user, "Nje-fjalekalim-i-gjate-2026");
		r = client_must(&m, "POST", path, "{\"version\":2,\"decision\":\"approve\"}", 200);
		cr_expect_str_eq(jstr(r.json, "status"), k == n - 1 ? "delivered" : "submitted");
		cr_expect_eq(jint(r.json, "approved"), k + 1);
		reply_free(&r);
		client_free(&m);
	}
	snprintf(path, sizeof path, "/api/v1/reports/%lld/versions", id);
	r = client_must(&asec, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "items.0.status"), "approved");
	cr_expect_not_null(jstr(r.json, "items.0.signature"));
	cr_expect_str_eq(jstr(r.json, "items.1.status"), "superseded");
	reply_free(&r);
	client_free(&asec);
	client_free(&admin);
	client_free(&chair);
	client_free(&member);
}
