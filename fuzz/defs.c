/* Harness: the definitions nrm loads as data (data/, stored in the database by `nrm init` and
 * `nrm forms load`, read back at every start): the case form and its workflow, the labels, the
 * figures' facts, dimensions and tables, a register's form, and a report type. Byte 0 picks
 * the document, the rest replaces it (JSON text; what is not JSON is refused before storing,
 * as case_form_store refuses it). Then the loaders run as `nrm serve` runs them (form, labels,
 * figures), and for a register or a report type the operations that read the definition: the
 * register's list; for a report type, the list of types, a new report of that type (which
 * works out its period and due day from the type) and the drafting of its sections. All of it
 * inside one transaction rolled back at the end — but a new report, which is its own
 * transaction: the database is then restored — so every input meets the shipped data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/labels.h"
#include "core/statdef.h"
#include "fuzz.h"
#include "prevention/prevention.h"
#include "report/report.h"
#include "store/case.h"
#include "store/db.h"

static const char *const docs[] = {"form:case",	       "workflow:case", "labels",	     "stats:facts",
				   "stats:dimensions", "stats:tables",	"register:at_risk", "report:krat-quarterly"};
static int64_t report; /* a demo report of type krat-quarterly */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_init(false);
	fuzz_quiet();
	struct principal p;
	struct nrm_ctx c;
	struct nrm_err err = {0};
	json_t *list = NULL;
	fuzz_act("fier.secretariat", &p, &c);
	if (report_list(&c, "fier", "krat-quarterly", 0, 10, &list, &err) == 0 && json_array_size(list))
		report = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
	json_decref(list);
	return 0;
}

/* The loaders of a start of nrm serve (cli_db_open): form, then figures and labels on it. */
static void load_all(struct store *s)
{
	struct nrm_err err = {0};
	struct form *f = NULL;
	struct statdef *st = NULL;
	struct labels *l = NULL;
	if (case_form_load(s, &f, &err) == 0) {
		if (case_statdef_load(s, f, &st, &err) == 0) {
			/* A child's case as the figures see it: its facts and its dimensions. */
			json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:[s]}", form_bound(f, FB_STATUS),
						 "ActualVictimOfTrafficking", form_bound(f, FB_SEX), "Feminine",
						 form_bound(f, FB_IDENTIFICATION_DATE), "2025-03-04", form_bound(f, FB_COUNTY),
						 "fier", form_bound(f, FB_EXPLOITATION), "ForcedBegging",
						 form_bound(f, FB_CITIZENSHIP), "ALB");
			struct statdef_case k = {.age = 15, .child = true, .institution_type = "police"};
			json_decref(statdef_facts(st, data));
			json_decref(statdef_dims(st, data, &k));
			json_decref(data);
			statdef_free(st);
		}
		if (case_labels_load(s, f, &l, &err) == 0)
			labels_free(l);
		form_free(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t which = data[0] % (sizeof docs / sizeof *docs);
	json_error_t je;
	json_t *doc = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return 0;
	char *txt = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!txt)
		return 0;
	struct cli_db *d = fuzz_db();
	struct store *s = d->db;
	struct principal p;
	struct nrm_ctx c;
	struct nrm_err err = {0};
	json_t *out = NULL;
	if (store_begin(s) != 0 || store_form_put(s, docs[which], txt) != 0)
		abort();
	free(txt);
	if (which < 6) {
		load_all(s);
	} else if (which == 6) {
		fuzz_act("fier.secretariat", &p, &c);
		struct reg_filter f = {.limit = 20};
		if (reg_list(&c, "at_risk", &f, &out, &err) == 0)
			json_decref(out);
		out = NULL;
		if (reg_get(&c, "at_risk", "X", &out, &err) == 0)
			json_decref(out);
	} else {
		if (store_commit(s) != 0)
			abort();
		fuzz_act("fier.secretariat", &p, &c);
		if (report_types(&c, &out, &err) == 0)
			json_decref(out);
		out = NULL;
		if (report && report_get(&c, report, &out, &err) == 0)
			json_decref(out);
		out = NULL;
		json_t *in = json_pack("{s:s, s:s, s:s}", "type", "krat-quarterly", "scope", "fier", "period", "2025Q3");
		if (report_create(&c, in, &out, &err) == 0) {
			json_t *id = json_object_get(out, "id");
			json_t *got = NULL;
			if (report_get(&c, json_integer_value(id), &got, &err) == 0)
				json_decref(got);
			json_decref(out);
		}
		json_decref(in);
		fuzz_db_reset();
		return 0;
	}
	store_rollback(s);
	return 0;
}
