/* core/form: the case form and workflow of data/forms/ — validation, required-when rules,
 * every transition rule, screening and age. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"
#include "fixture.h"

static struct form *form;
static json_t *workflow;

#define load fixture_load

static void setup(void)
{
	json_t *f = load("data/forms/case.json");
	workflow = load("data/forms/workflow.json");
	json_t *lists = fixture_codelists();
	struct nrm_err err = {0};
	cr_assert_eq(form_load(f, workflow, lists, &form, &err), 0, "%s", err.msg);
	json_decref(f);
	json_decref(lists);
}

static void teardown(void)
{
	form_free(form);
	json_decref(workflow);
}

TestSuite(form, .init = setup, .fini = teardown);

/* A case that has everything every stage asks for. */
static json_t *full_case(bool child)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:[s], s:[s], s:[s], s:s, s:i, s:[s],"
			 " s:[{s:s, s:b, s:s}], s:s, s:s, s:i, s:s, s:s, s:[s], s:s, s:s, s:[s], s:s, s:s, s:s, s:s,"
			 " s:s, s:[{s:s}], s:s, s:s, s:s, s:b, s:i}",
			 "vic_TraffickingStatus", "PossibleVictimOfTrafficking", "prs_FirstName", "A", "prs_SecondName", "B",
			 "prs_Gender", "Feminine", "al_identification_date", "2026-10-01", "al_identifying_institution", 1,
			 "al_identification_method", "police", "al_county", "fier", "al_indicators_a", "A01",
			 "al_indicators_b", "B01", "al_indicators_c", "C01", "cas_OutgoingReferralDate", "2026-10-02",
			 "cas_ReferredOrganisation", 2, "prs_Citizenship", "AL", "al_consents", "al_consent_purpose",
			 "assistance", "con_Consent", 1, "al_consent_date", "2026-10-02", "al_child_protection_worker", "W",
			 "al_best_interest_assessment_date", "2026-10-03", "al_authority_meeting", 1, "al_formal_decision",
			 "identified_victim", "al_formal_decision_date", "2026-10-05", "vic_TypeOfExploitation", "ForcedBegging",
			 "al_trafficking_scope", "internal", "al_assistance_start_date", "2026-10-06", "al_immediate_services",
			 "medical", "al_protection_setting", "community", "al_protection_start_date", "2026-10-07",
			 "al_return_country", "AL", "al_return_risk_assessment_date", "2026-10-08", "al_reintegration_plan_date",
			 "2026-10-09", "al_reintegration_plan", "al_plan_area", "education", "spl_PlannedEndDate", "2027-10-09",
			 "al_closure_reason", "reintegrated", "al_closure_date", "2026-11-01", "al_is_child", child,
			 "al_estimated_age", child ? 15 : 30);
}

static bool listed(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

Test(form, every_pair_of_stages_follows_the_workflow)
{
	json_t *data = full_case(false), *from, *to;
	size_t i, j;
	json_array_foreach(json_object_get(workflow, "stages"), i, from) {
		const char *f = json_string_value(json_object_get(from, "code"));
		json_array_foreach(json_object_get(workflow, "stages"), j, to) {
			const char *t = json_string_value(json_object_get(to, "code"));
			struct nrm_err err = {0};
			int rc = form_check_transition(form, f, t, "reintegration", ROLE_AUTHORITY_SECRETARIAT, data, false, &err);
			bool allowed = listed(json_object_get(from, "next"), t);
			if (strcmp(f, "closed") == 0)
				allowed = strcmp(t, "referral") == 0 || strcmp(t, "reintegration") == 0;
			cr_expect_eq(rc == 0, allowed, "%s → %s: %s", f, t, err.msg);
			if (!allowed)
				cr_expect_eq(rc, NRM_ECONFLICT, "%s → %s", f, t);
		}
	}
	json_decref(data);
}

Test(form, only_the_authority_identifies_formally)
{
	json_t *data = full_case(false);
	struct nrm_err err = {0};
	for (int r = 0; r < ROLE_COUNT; r++) {
		int rc = form_check_transition(form, "referral", "formal_identification", NULL, (enum role)r, data, false, &err);
		cr_expect_eq(rc == 0, role_is_authority((enum role)r), "%s", role_name((enum role)r));
	}
	cr_expect_eq(form_check_transition(form, "initial_identification", "referral", NULL, ROLE_MINISTRY_MONITOR, data,
					   false, &err),
		     NRM_EFORBIDDEN);
	json_decref(data);
}

Test(form, each_stage_names_what_is_missing_to_enter_it)
{
	json_t *st;
	size_t i, j;
	json_array_foreach(json_object_get(workflow, "stages"), i, st) {
		json_t *req;
		json_array_foreach(json_object_get(st, "requires"), j, req) {
			json_t *data = full_case(false);
			json_object_del(data, json_string_value(req));
			struct nrm_err err = {0};
			const char *to = json_string_value(json_object_get(st, "code"));
			/* Find a stage that may move here. */
			json_t *from;
			size_t k;
			const char *src = NULL;
			json_array_foreach(json_object_get(workflow, "stages"), k, from)
				if (!src && listed(json_object_get(from, "next"), to) &&
				    strcmp(json_string_value(json_object_get(from, "code")), "closed") != 0)
					src = json_string_value(json_object_get(from, "code"));
			if (!src) {
				json_decref(data);
				continue;
			}
			int rc = form_check_transition(form, src, to, NULL, ROLE_AUTHORITY_CHAIR, data, false, &err);
			cr_expect_eq(rc, NRM_EINVAL, "%s without %s", to, json_string_value(req));
			cr_expect_str_eq(err.field, json_string_value(req));
			json_decref(data);
		}
	}
}

Test(form, children_need_a_protection_worker_and_best_interest_assessment)
{
	json_t *data = full_case(true);
	json_object_del(data, "al_child_protection_worker");
	struct nrm_err err = {0};
	cr_expect_eq(form_check_transition(form, "initial_identification", "referral", NULL, ROLE_CASEWORKER, data, true, &err),
		     NRM_EINVAL);
	cr_expect_str_eq(err.field, "al_child_protection_worker");
	json_object_set_new(data, "al_is_child", json_false());
	cr_expect_eq(form_check_transition(form, "initial_identification", "referral", NULL, ROLE_CASEWORKER, data, false, &err),
		     0, "an adult does not: %s", err.msg);
	json_decref(data);
}

Test(form, validation_checks_types_codes_and_ranges)
{
	struct nrm_err err = {0};
	json_t *ok = json_pack("{s:s, s:[s, s], s:i, s:b, s:n}", "prs_Gender", "Feminine", "prs_Citizenship", "AL", "XK",
			       "al_estimated_age", 16, "al_unaccompanied", 1, "al_narrative");
	cr_expect_eq(form_validate(form, ok, &err), 0, "%s", err.msg);
	json_decref(ok);
	struct {
		const char *json, *field;
	} bad[] = {
		{"{\"prs_Gender\": \"Robot\"}", "prs_Gender"},
		{"{\"prs_Citizenship\": \"AL\"}", "prs_Citizenship"},
		{"{\"prs_Citizenship\": [\"AL\", \"AL\"]}", "prs_Citizenship"},
		{"{\"al_estimated_age\": 300}", "al_estimated_age"},
		{"{\"al_estimated_age\": \"16\"}", "al_estimated_age"},
		{"{\"prs_Birthdate\": \"2010-02-30\"}", "prs_Birthdate"},
		{"{\"al_unaccompanied\": \"yes\"}", "al_unaccompanied"},
		{"{\"al_documents\": [{\"al_document_colour\": \"red\"}]}", "al_documents.0.al_document_colour"},
		{"{\"al_documents\": {}}", "al_documents"},
		{"{\"al_document_number\": \"X\"}", "al_document_number"},
		{"{\"nonsense\": 1}", "nonsense"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *j = json_loads(bad[i].json, 0, NULL);
		cr_assert_not_null(j);
		cr_expect_eq(form_validate(form, j, &err), NRM_EINVAL, "%s", bad[i].json);
		cr_expect_str_eq(err.field, bad[i].field, "%s", bad[i].json);
		json_decref(j);
	}
}

Test(form, required_when_rules_and_stage_timing)
{
	struct nrm_err err = {0};
	json_t *data = full_case(false);
	json_object_set_new(data, "vic_TypeOfExploitation", json_pack("[s]", "Other"));
	cr_expect_eq(form_check_required(form, data, "initial_identification", &err), NRM_EINVAL);
	cr_expect_str_eq(err.field, "al_exploitation_other");
	json_object_set_new(data, "al_exploitation_other", json_string("x"));
	cr_expect_eq(form_check_required(form, data, "initial_identification", &err), 0, "%s", err.msg);
	json_object_set_new(data, "al_closure_reason", json_string("duplicate"));
	cr_expect_eq(form_check_required(form, data, "protection", &err), 0, "closure fields are not yet required");
	cr_expect_eq(form_check_required(form, data, "closed", &err), NRM_EINVAL);
	cr_expect_str_eq(err.field, "al_duplicate_of");
	json_decref(data);
}

Test(form, personal_flags_follow_the_data)
{
	cr_expect(form_is_personal(form, "prs_FirstName"));
	cr_expect(form_is_personal(form, "al_narrative"));
	cr_expect(form_is_personal(form, "al_document_number"), "sub-fields of a personal group are personal");
	cr_expect(!form_is_personal(form, "prs_Gender"));
	cr_expect(!form_is_personal(form, "al_county"));
}

Test(form, screening_suggests_but_does_not_decide)
{
	json_t *d = json_pack("{s:[s], s:[s]}", "al_indicators_a", "A01", "al_indicators_c", "C01");
	json_t *adult = form_screening(form, d, false), *child = form_screening(form, d, true);
	cr_expect(json_is_false(json_object_get(adult, "meets")));
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(adult, "missing"), 0)), "B");
	cr_expect(json_is_true(json_object_get(child, "meets")), "a child needs A and C only");
	json_decref(adult);
	json_decref(child);
	json_decref(d);
}

Test(form, ages_in_whole_years)
{
	int32_t b, on;
	date_parse("2008-10-02", &b);
	date_parse("2026-10-01", &on);
	cr_expect_eq(form_age_years(b, on), 17, "one day before the 18th birthday");
	date_parse("2026-10-02", &on);
	cr_expect_eq(form_age_years(b, on), 18);
}

/* ---- bindings: what the code relies on is marked in the data ---- */

/* Loads a changed copy of the shipped form; returns form_load's result. */
static int load_changed(void (*change)(json_t *form, json_t *wf), struct nrm_err *err)
{
	json_t *f = load("data/forms/case.json"), *wf = json_deep_copy(workflow);
	json_t *lists = json_deep_copy(form_codelists(form));
	change(f, wf);
	struct form *x = NULL;
	int rc = form_load(f, wf, lists, &x, err);
	form_free(x);
	json_decref(f);
	json_decref(wf);
	json_decref(lists);
	return rc;
}

/* The definition of field `name` in a form document. */
static json_t *field_in(json_t *f, const char *name)
{
	size_t i, j;
	json_t *s, *fd;
	json_array_foreach(json_object_get(f, "sections"), i, s)
		json_array_foreach(json_object_get(s, "fields"), j, fd)
			if (strcmp(json_string_value(json_object_get(fd, "name")), name) == 0)
				return fd;
	return NULL;
}

static void drop_birth_binding(json_t *f, json_t *wf)
{
	(void)wf;
	json_object_del(field_in(f, form_bound(form, FB_BIRTH_DATE)), "binding");
}

static void names_in_clear(json_t *f, json_t *wf)
{
	(void)wf;
	json_object_set_new(field_in(f, form_bound(form, FB_FIRST_NAME)), "personal", json_false());
}

static void status_bound_to_text(json_t *f, json_t *wf)
{
	(void)wf;
	json_object_del(field_in(f, form_bound(form, FB_STATUS)), "binding");
	json_object_set_new(field_in(f, form_bound(form, FB_FIRST_NAME)), "binding", json_string("status"));
}

static void no_final_stage(json_t *f, json_t *wf)
{
	(void)f;
	json_object_del(wf, "final");
}

static void decision_to_unknown_status(json_t *f, json_t *wf)
{
	(void)f;
	json_object_set_new(json_object_get(json_object_get(wf, "decision"), "outcomes"), "identified_victim",
			    json_string("Victimish"));
}

Test(form, a_form_without_a_binding_the_code_needs_is_refused_at_load)
{
	struct nrm_err err = {0};
	cr_expect_eq(load_changed(drop_birth_binding, &err), NRM_EINVAL);
	cr_expect_str_eq(nrm_key_name(err.key), "form_binding");
	cr_expect_not_null(strstr(err.msg, "birth_date"), "%s", err.msg);
	cr_expect_eq(load_changed(names_in_clear, &err), NRM_EINVAL, "names must be encrypted");
	cr_expect_not_null(strstr(err.msg, "personal"), "%s", err.msg);
	cr_expect_eq(load_changed(status_bound_to_text, &err), NRM_EINVAL);
	cr_expect_eq(load_changed(no_final_stage, &err), NRM_EINVAL);
	cr_expect_eq(load_changed(decision_to_unknown_status, &err), NRM_EINVAL);
}

Test(form, the_workflow_names_its_special_stages)
{
	cr_expect_str_eq(form_initial_stage(form), json_string_value(json_object_get(workflow, "initial")));
	cr_expect_str_eq(form_closed_stage(form), json_string_value(json_object_get(workflow, "final")));
	const char *decision = form_decision_stage(form);
	cr_expect(form_stage_exists(form, decision));
	cr_expect_str_eq(form_decided_status(form, "identified_victim"), "ActualVictimOfTrafficking");
	cr_expect_null(form_decided_status(form, "no_such_decision"));
	cr_expect_str_eq(form_undecided_status(form), "PossibleVictimOfTrafficking");
}

/* ---- no case field and no stage is named in C ---- */

/* Appends the string literals of a C file (comments and character constants skipped). */
static void literals(const char *path, json_t *out)
{
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "%s", path);
	int c, prev = 0;
	char lit[256];
	size_t n = 0;
	enum { CODE, STR, CHR, LINE, BLOCK } st = CODE;
	while ((c = fgetc(fp)) != EOF) {
		switch (st) {
		case CODE:
			if (c == '"')
				st = STR, n = 0;
			else if (c == '\'')
				st = CHR;
			else if (prev == '/' && c == '/')
				st = LINE;
			else if (prev == '/' && c == '*')
				st = BLOCK, c = 0;
			break;
		case STR:
			if (c == '\\') {
				c = fgetc(fp);
				if (n < sizeof lit - 1)
					lit[n++] = (char)c;
				c = 0;
			} else if (c == '"') {
				lit[n] = '\0';
				json_array_append_new(out, json_string(lit));
				st = CODE;
			} else if (n < sizeof lit - 1) {
				lit[n++] = (char)c;
			}
			break;
		case CHR:
			if (c == '\\')
				fgetc(fp), c = 0;
			else if (c == '\'')
				st = CODE;
			break;
		case LINE:
			if (c == '\n')
				st = CODE;
			break;
		case BLOCK:
			if (prev == '*' && c == '/')
				st = CODE, c = 0;
			break;
		}
		prev = c;
	}
	fclose(fp);
}

static void scan_dir(const char *dir, json_t *names, json_t *found)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		char path[600];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		size_t n = strlen(e->d_name);
		if (e->d_type == DT_DIR) {
			scan_dir(path, names, found);
			continue;
		}
		if (n < 3 || (strcmp(e->d_name + n - 2, ".c") != 0 && strcmp(e->d_name + n - 2, ".h") != 0 &&
			      strcmp(e->d_name + n - 4, ".def") != 0))
			continue;
		json_t *lits = json_array(), *l;
		size_t i;
		literals(path, lits);
		json_array_foreach(lits, i, l) {
			const char *s = json_string_value(l);
			static const char *const htcds[] = {"prs_", "vic_", "cas_", "con_", "spl_"};
			bool hit = json_object_get(names, s) != NULL;
			for (size_t k = 0; k < 5; k++)
				hit |= strncmp(s, htcds[k], 4) == 0 && s[4];
			if (hit)
				json_array_append_new(found, json_pack("s+++", path, ": \"", s, "\""));
		}
		json_decref(lits);
	}
	closedir(d);
}

static void collect_names(json_t *fields, json_t *names)
{
	size_t i;
	json_t *fd;
	json_array_foreach(fields, i, fd) {
		json_object_set_new(names, json_string_value(json_object_get(fd, "name")), json_true());
		collect_names(json_object_get(fd, "fields"), names);
	}
}

Test(form, no_case_field_and_no_stage_is_named_in_the_c_code)
{
	json_t *f = load("data/forms/case.json"), *names = json_object(), *found = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(f, "sections"), i, x)
		collect_names(json_object_get(x, "fields"), names);
	json_array_foreach(json_object_get(workflow, "stages"), i, x)
		json_object_set_new(names, json_string_value(json_object_get(x, "code")), json_true());
	scan_dir("src", names, found);
	char *list = json_dumps(found, JSON_INDENT(1));
	cr_expect_eq(json_array_size(found), 0, "the code names fields or stages the data should bind:\n%s", list);
	free(list);
	json_decref(found);
	json_decref(names);
	json_decref(f);
}

Test(form, every_register_of_data_registers_loads_as_a_form_without_bindings)
{
	json_t *lists = fixture_codelists();
	DIR *d = opendir("data/registers");
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		char path[300];
		snprintf(path, sizeof path, "data/registers/%s", e->d_name);
		json_t *doc = load(path);
		struct form *f = NULL;
		struct nrm_err err = {0};
		cr_expect_eq(form_load_plain(doc, lists, e->d_name, &f, &err), 0, "%s: %s", path, err.msg);
		/* A register's form validates as the case form does, and checks what is required. */
		json_t *none = json_object();
		cr_expect_neq(form_check_required(f, none, NULL, &err), 0, "%s requires something", path);
		json_decref(none);
		form_free(f);
		json_decref(doc);
		n++;
	}
	closedir(d);
	cr_expect_eq(n, 7);
	/* A binding means something to the case code only: refused in a register. */
	json_t *bad = json_pack("{s:[{s:s, s:[{s:s, s:s, s:s, s:s, s:{s:s, s:s}}]}]}", "sections", "id", "x", "fields",
				"name", "sex", "type", "code", "codelist", "genders", "binding", "sex", "label", "sq", "Gjinia",
				"en", "Sex");
	struct form *f = NULL;
	struct nrm_err err = {0};
	cr_expect_neq(form_load_plain(bad, lists, "bad.json", &f, &err), 0);
	cr_expect_not_null(strstr(err.msg, "may not be bound"), "%s", err.msg);
	form_free(f);
	json_decref(bad);
	json_decref(lists);
}
