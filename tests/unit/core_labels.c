/* core/labels: the sq/en labels of codes, stages, statuses, roles and bodies, read by the
 * server from the same data files the UI is given, so documents print Albanian. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "core/form.h"
#include "core/labels.h"
#include "fixture.h"

static struct form *form;
static struct labels *labels;
static json_t *docs[4];

static void setup(void)
{
	json_t *lists = fixture_codelists();
	json_object_set_new(lists, "counties", json_pack("{s:[{s:s, s:{s:s, s:s}}]}", "items", "code", "gjirokaster",
							 "label", "sq", "Gjirokastër", "en", "Gjirokastër"));
	docs[0] = fixture_load("data/forms/case.json");
	docs[1] = fixture_load("data/forms/workflow.json");
	docs[2] = fixture_load("data/labels.json");
	docs[3] = fixture_load("data/org/roles.json");
	struct nrm_err err = {0};
	cr_assert_eq(form_load(docs[0], docs[1], lists, &form, &err), 0, "%s", err.msg);
	json_decref(lists);
	cr_assert_eq(labels_build(docs[2], docs[3], form, &labels, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	labels_free(labels);
	form_free(form);
	for (size_t i = 0; i < 4; i++)
		json_decref(docs[i]);
}

TestSuite(labels, .init = setup, .fini = teardown);

Test(labels, codes_stages_statuses_roles_and_bodies_read_in_albanian_and_english)
{
	cr_expect_str_eq(labels_get(labels, "stage", "formal_identification", "sq"), "Identifikimi formal");
	cr_expect_str_eq(labels_get(labels, "stage", "formal_identification", "en"), "Formal identification");
	cr_expect_str_eq(labels_get(labels, "kind", "technical_table", "sq"), "Tryeza Teknike");
	cr_expect_str_eq(labels_get(labels, "seat_status", "overdue", "en"), "Nomination overdue");
	cr_expect_str_eq(labels_get(labels, "role", "krat_member", "sq"), "Anëtar i KRAT");
	cr_expect_str_eq(labels_get(labels, "referral_status", "declined", "sq"), "Refuzuar");
	cr_expect_str_eq(labels_get(labels, "counties", "gjirokaster", "sq"), "Gjirokastër");
	const char *vt = labels_get(labels, "trafficking_status", "ActualVictimOfTrafficking", "sq");
	cr_expect(strstr(vt, "ë") || strstr(vt, "Viktim"), "%s", vt);
}

Test(labels, an_unknown_code_prints_as_itself_and_any_language_but_english_is_albanian)
{
	cr_expect_str_eq(labels_get(labels, "kind", "no_such_kind", "sq"), "no_such_kind");
	cr_expect_str_eq(labels_get(labels, "no_such_group", "x", "en"), "x");
	cr_expect_str_eq(labels_get(labels, "kind", "krat", "fr"), labels_get(labels, "kind", "krat", "sq"));
}

Test(labels, every_label_the_ui_is_given_has_both_languages)
{
	const char *group, *code;
	json_t *g, *l;
	json_object_foreach(labels_json(labels), group, g)
		json_object_foreach(g, code, l) {
			cr_expect(json_is_string(json_object_get(l, "sq")) && json_string_length(json_object_get(l, "sq")),
				  "%s.%s has no sq label", group, code);
			cr_expect(json_is_string(json_object_get(l, "en")), "%s.%s has no en label", group, code);
		}
}

Test(labels, a_group_named_twice_is_refused)
{
	json_t *twice = json_pack("{s:{s:{s:{s:s, s:s}}}}", "groups", "stage", "x", "sq", "x", "en", "x");
	struct labels *l = NULL;
	struct nrm_err err = {0};
	cr_expect_eq(labels_build(twice, docs[3], form, &l, &err), NRM_EINVAL);
	labels_free(l);
	json_decref(twice);
}
