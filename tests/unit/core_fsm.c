/* core/fsm: state machines as data — the moves they allow, to whom, with what filled in,
 * and leaving the final state; tried on a task-like machine, not only the case workflow. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/fsm.h"

static struct fsm *m;
static json_t *def;

static void setup(void)
{
	json_error_t je;
	def = json_loads("{\"initial\": \"open\", \"final\": \"done\", \"reopen\": \"open\", \"states\": ["
			 "{\"code\": \"open\", \"next\": [\"in_progress\", \"cancelled\"], \"roles\": [\"caseworker\"]},"
			 "{\"code\": \"in_progress\", \"next\": [\"done\", \"cancelled\"], \"roles\": [\"caseworker\"],"
			 " \"requires\": [\"owner\"]},"
			 "{\"code\": \"done\", \"next\": [\"open\", \"in_progress\", \"cancelled\"], \"roles\": [\"caseworker\"],"
			 " \"requires\": [\"note\"], \"requires_if\": {\"child\": [\"guardian\"]}},"
			 "{\"code\": \"cancelled\", \"next\": [], \"roles\": [\"county_secretariat\"]}]}",
			 0, &je);
	cr_assert_not_null(def, "%s", je.text);
	struct nrm_err err = {0};
	cr_assert_eq(fsm_load(def, "task.json", &m, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	fsm_free(m);
	json_decref(def);
}

TestSuite(fsm, .init = setup, .fini = teardown);

static bool filled(const char *field, void *ctx)
{
	return strstr(ctx, field) != NULL;
}

static int try(const char *from, const char *to, const char *previous, const char *role, const char *have,
	       bool child, struct nrm_err *err)
{
	static const char *const c[] = {"child", NULL};
	struct fsm_move mv = {.from = from, .to = to, .previous = previous, .role = role, .conds = child ? c : NULL,
			      .filled = filled, .ctx = (void *)have};
	return fsm_check(m, &mv, err);
}

Test(fsm, states_keep_their_order_and_names)
{
	cr_expect_str_eq(fsm_initial(m), "open");
	cr_expect_str_eq(fsm_final(m), "done");
	cr_expect_str_eq(fsm_reopen(m), "open");
	cr_expect_eq(fsm_index(m, "in_progress"), 1);
	cr_expect_eq(fsm_index(m, "nowhere"), -1);
	cr_expect(fsm_has(m, "cancelled"));
	cr_expect(fsm_role_enters(m, "cancelled", "county_secretariat"));
	cr_expect(!fsm_role_enters(m, "cancelled", "caseworker"));
}

Test(fsm, a_move_needs_an_edge_the_role_and_the_fields)
{
	struct nrm_err err = {0};
	cr_expect_eq(try("open", "in_progress", NULL, "caseworker", "owner", false, &err), 0, "%s", err.msg);
	cr_expect_eq(try("open", "done", NULL, "caseworker", "note", false, &err), NRM_ECONFLICT);
	cr_expect_str_eq(nrm_key_name(err.key), "bad_transition");
	cr_expect_eq(try("open", "cancelled", NULL, "caseworker", "", false, &err), NRM_EFORBIDDEN);
	cr_expect_str_eq(nrm_key_name(err.key), "stage_role");
	cr_expect_eq(try("open", "in_progress", NULL, "caseworker", "", false, &err), NRM_EINVAL);
	cr_expect_str_eq(err.field, "owner");
	cr_expect_str_eq(nrm_key_name(err.key), "needed_for_stage");
	cr_expect_eq(try("open", "nowhere", NULL, "caseworker", "", false, &err), NRM_EINVAL);
	cr_expect_str_eq(nrm_key_name(err.key), "unknown_stage");
}

Test(fsm, conditions_add_requirements)
{
	struct nrm_err err = {0};
	cr_expect_eq(try("in_progress", "done", NULL, "caseworker", "note", false, &err), 0, "%s", err.msg);
	cr_expect_eq(try("in_progress", "done", NULL, "caseworker", "note", true, &err), NRM_EINVAL);
	cr_expect_str_eq(err.field, "guardian");
	cr_expect_eq(try("in_progress", "done", NULL, "caseworker", "note guardian", true, &err), 0);
}

Test(fsm, the_final_state_is_left_only_to_where_it_came_from_or_to_reopen)
{
	struct nrm_err err = {0};
	cr_expect_eq(try("done", "in_progress", "in_progress", "caseworker", "owner", false, &err), 0, "%s", err.msg);
	cr_expect_eq(try("done", "open", "in_progress", "caseworker", "", false, &err), 0, "reopening");
	cr_expect_eq(try("done", "in_progress", "open", "caseworker", "owner", false, &err), NRM_ECONFLICT);
	cr_expect_str_eq(nrm_key_name(err.key), "reopen");
}

Test(fsm, a_definition_that_does_not_hold_together_is_refused)
{
	const char *bad[] = {
		"{\"initial\": \"x\", \"states\": [{\"code\": \"a\", \"next\": []}]}",
		"{\"initial\": \"a\", \"states\": [{\"code\": \"a\", \"next\": [\"b\"]}]}",
		"{\"initial\": \"a\", \"states\": [{\"code\": \"a\"}, {\"code\": \"a\"}]}",
		"{\"initial\": \"a\", \"final\": \"z\", \"states\": [{\"code\": \"a\"}]}",
		"{\"initial\": \"a\", \"states\": []}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *d = json_loads(bad[i], 0, NULL);
		struct fsm *x = NULL;
		struct nrm_err err = {0};
		cr_expect_eq(fsm_load(d, "bad.json", &x, &err), NRM_EINVAL, "%s", bad[i]);
		cr_expect_str_eq(nrm_key_name(err.key), "data_file");
		fsm_free(x);
		json_decref(d);
	}
}
