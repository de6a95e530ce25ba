/* The figures kept up to date (schema 18): a unit is one grid of counts asked for a calendar
 * period (what is counted, the period, the dimensions it is broken down by), its cells the
 * counts by key. A unit is made the first time its grid is counted and then kept in line with
 * the cases in each case's own write transaction (src/stats/units.c), so a year's figures are
 * read, not counted again. json_t ** outputs are new references. */
#ifndef NRM_STORE_FIGUNIT_H
#define NRM_STORE_FIGUNIT_H

#include "store/db.h"

/* Every unit: [{"id", "defs", "measure", "first", "last", "status_in", "a", "b"}] (text or
 * null); defs: the digest of the definitions it was counted by. */
int store_fig_units(struct store *s, json_t **out);
/* Whether any unit is kept (a write needs no more work when none is). */
int store_fig_any(struct store *s, bool *out);
/* The id of the unit of `key`, or NRM_ENOTFOUND. */
int store_fig_unit_find(struct store *s, const char *key, int64_t *id);
/* How many units are kept. */
int store_fig_unit_count(struct store *s, int64_t *n);
/* A new unit with its cells (grid: {"key": n}). */
int store_fig_unit_add(struct store *s, const char *key, const char *defs, const char *measure, const char *first,
		       const char *last, const char *status_in, const char *a, const char *b, json_t *grid, int64_t *id);
/* Forgets one unit (counted by definitions other than the writer's: it cannot be kept in line). */
int store_fig_unit_drop(struct store *s, int64_t unit);
/* The cells of a unit as a grid {"key": n} (keys with n = 0 left out). */
int store_fig_cells(struct store *s, int64_t unit, json_t **out);
/* Adds delta to a cell (made when absent, gone when it reaches 0). */
int store_fig_cell_add(struct store *s, int64_t unit, const char *key, int64_t delta);
/* Forgets every unit: what a change to many cases at once does (dimensions worked out again,
 * cases of an older nrm figured), so the next count is made afresh. */
int store_fig_clear(struct store *s);
/* What a unit counted outside a write transaction must still match before it is kept: the
 * latest case event and the number of times every unit was forgotten. */
int store_fig_generation(struct store *s, int64_t *event, int64_t *epoch);

#endif
