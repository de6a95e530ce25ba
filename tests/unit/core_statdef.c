/* core/statdef: what the figures' definitions (data/stats/) say of their dimensions, as the
 * rest of nrm relies on it. */
#include <criterion/criterion.h>

#include "core/form.h"
#include "core/statdef.h"
#include "fixture.h"
#include "store/case.h"

static struct form *form;
static struct statdef *stats;

static void setup(void)
{
	json_t *f = fixture_load("data/forms/case.json"), *workflow = fixture_load("data/forms/workflow.json");
	json_t *lists = fixture_codelists();
	struct nrm_err err = {0};
	cr_assert_eq(form_load(f, workflow, lists, &form, &err), 0, "%s", err.msg);
	json_t *facts = fixture_load("data/stats/facts.json"), *dims = fixture_load("data/stats/dimensions.json"),
	       *tables = fixture_load("data/stats/tables.json");
	cr_assert_eq(statdef_load(facts, dims, tables, form, &stats, &err), 0, "%s", err.msg);
	json_decref(facts);
	json_decref(dims);
	json_decref(tables);
	json_decref(f);
	json_decref(workflow);
	json_decref(lists);
}

static void teardown(void)
{
	statdef_free(stats);
	form_free(form);
}

TestSuite(statdef, .init = setup, .fini = teardown);

/* The list filter on the form of exploitation reads the dimension the schema indexes
 * (store/case.h STORE_CODES_DIM): it must hold the field's codes as they are. */
Test(statdef, the_indexed_dimension_holds_the_codes_of_the_exploitation_field)
{
	cr_expect(statdef_dim_is_codes(stats, STORE_CODES_DIM, "exploitation"));
	json_t *data = json_pack("{s:[s, s]}", form_bound_named(form, "exploitation"), "ForcedBegging", "al_StreetBegging");
	struct statdef_case k = {.age = 30};
	json_t *dims = statdef_dims(stats, data, &k), *v = json_object_get(dims, STORE_CODES_DIM);
	cr_assert_eq(json_array_size(v), 2);
	cr_expect_str_eq(json_string_value(json_array_get(v, 0)), "ForcedBegging");
	cr_expect_str_eq(json_string_value(json_array_get(v, 1)), "al_StreetBegging");
	json_decref(dims);
	json_decref(data);
	/* Lifted to the top level, mapped, or under one form only: not the codes. */
	cr_expect_not(statdef_dim_is_codes(stats, "exploitation", "exploitation"));
	cr_expect_not(statdef_dim_is_codes(stats, "exploitation_national", "exploitation"));
	cr_expect_not(statdef_dim_is_codes(stats, "sex_exploitation_type", "exploitation"));
	cr_expect_not(statdef_dim_is_codes(stats, STORE_CODES_DIM, "citizenship"));
	cr_expect_not(statdef_dim_is_codes(stats, "no_such_dimension", "exploitation"));
}
