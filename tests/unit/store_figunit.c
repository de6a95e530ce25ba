/* store/figunit: kept grids, their cells changed by differences, forgotten all at once. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/figunit.h"

static char dir[64], path[128];
static struct store *s;

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	struct nrm_err err = {0};
	cr_assert_eq(store_create(path, &s, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	store_close(s);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(store_figunit, .init = setup, .fini = teardown);

Test(store_figunit, a_cell_grows_shrinks_and_goes_at_zero_and_forgetting_all_counts_as_a_new_epoch)
{
	int64_t unit = 0, found = 0, event = -1, epoch = -1, n = -1;
	bool any = true;
	cr_assert_eq(store_fig_any(s, &any), 0);
	cr_expect(!any);
	json_t *grid = json_pack("{s:i, s:i, s:i}", "\x1F*\x1F*", 3, "fier\x1F*\x1F*", 2, "vlore\x1F*\x1F*", 0);
	cr_assert_eq(store_begin(s), 0);
	cr_assert_eq(store_fig_unit_add(s, "[\"grid\",1]", "defs", "identified", "2025-01-01", "2025-12-31", NULL, "county", NULL,
					grid, &unit),
		     0);
	cr_assert_eq(store_fig_cell_add(s, unit, "fier\x1F*\x1F*", -2), 0);
	cr_assert_eq(store_fig_cell_add(s, unit, "berat\x1F*\x1F*", 1), 0);
	cr_assert_eq(store_fig_cell_add(s, unit, "\x1F*\x1F*", 1), 0);
	cr_assert_eq(store_commit(s), 0);
	json_decref(grid);
	cr_assert_eq(store_fig_unit_find(s, "[\"grid\",1]", &found), 0);
	cr_expect_eq(found, unit);
	cr_expect_eq(store_fig_unit_find(s, "[\"grid\",2]", &found), NRM_ENOTFOUND);
	cr_assert_eq(store_fig_cells(s, unit, &grid), 0);
	char *text = json_dumps(grid, JSON_SORT_KEYS | JSON_COMPACT);
	cr_expect_eq(json_object_size(grid), 2, "%s: a cell at zero is no row, and none is kept at zero", text);
	cr_expect_eq(json_integer_value(json_object_get(grid, "\x1F*\x1F*")), 4);
	cr_expect_eq(json_integer_value(json_object_get(grid, "berat\x1F*\x1F*")), 1);
	free(text);
	json_decref(grid);
	cr_assert_eq(store_fig_generation(s, &event, &epoch), 0);
	cr_expect_eq(epoch, 0);
	cr_assert_eq(store_begin(s), 0);
	cr_assert_eq(store_fig_clear(s), 0);
	cr_assert_eq(store_commit(s), 0);
	cr_assert_eq(store_fig_unit_count(s, &n), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(store_fig_generation(s, &event, &epoch), 0);
	cr_expect_eq(epoch, 1, "a count made before the clear is not kept after it");
}
