/* The kept figures: units and their cells. */
#include "store/figunit.h"

#include "store/internal.h"

int store_fig_units(struct store *s, json_t **out)
{
	return store_rows(s, out, "SELECT id, defs, measure, first, last, status_in, a, b FROM fig_units ORDER BY id", "");
}

int store_fig_any(struct store *s, bool *out)
{
	int64_t n = 0;
	int rc = store_int(s, &n, "SELECT EXISTS (SELECT 1 FROM fig_units)", "");
	if (!rc)
		*out = n != 0;
	return rc;
}

int store_fig_unit_find(struct store *s, const char *key, int64_t *id)
{
	return store_int(s, id, "SELECT id FROM fig_units WHERE key = ?1", "t", key);
}

int store_fig_unit_count(struct store *s, int64_t *n)
{
	return store_int(s, n, "SELECT count(*) FROM fig_units", "");
}

int store_fig_unit_add(struct store *s, const char *key, const char *defs, const char *measure, const char *first,
		       const char *last, const char *status_in, const char *a, const char *b, json_t *grid, int64_t *id)
{
	STORE_WRITES(s);
	int64_t unit = 0;
	int rc = store_insert(s, &unit,
			      "INSERT INTO fig_units(key, defs, measure, first, last, status_in, a, b, made_at)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			      "ttttttttS", key, defs, measure, first, last, status_in, a, b);
	const char *k;
	json_t *v;
	json_object_foreach(grid, k, v) {
		if (rc)
			break;
		if (json_integer_value(v))
			rc = store_exec(s, "INSERT INTO fig_cells(unit, key, n) VALUES (?1, ?2, ?3)", "iti", unit, k,
					(int64_t)json_integer_value(v));
	}
	if (!rc)
		*id = unit;
	return rc;
}

static int cell_row(void *grid, sqlite3_stmt *st)
{
	return json_object_set_new(grid, (const char *)sqlite3_column_text(st, 0), json_integer(sqlite3_column_int64(st, 1)))
		       ? NRM_ENOMEM
		       : 0;
}

int store_fig_cells(struct store *s, int64_t unit, json_t **out)
{
	json_t *grid = json_object();
	int rc = grid ? store_each(s, cell_row, grid, "SELECT key, n FROM fig_cells WHERE unit = ?1", "i", unit) : NRM_ENOMEM;
	if (rc) {
		json_decref(grid);
		return rc;
	}
	*out = grid;
	return 0;
}

int store_fig_cell_add(struct store *s, int64_t unit, const char *key, int64_t delta)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "INSERT INTO fig_cells(unit, key, n) VALUES (?1, ?2, ?3)"
			    " ON CONFLICT(unit, key) DO UPDATE SET n = n + excluded.n",
			    "iti", unit, key, delta);
	return rc ? rc : store_exec(s, "DELETE FROM fig_cells WHERE unit = ?1 AND key = ?2 AND n = 0", "it", unit, key);
}

int store_fig_unit_drop(struct store *s, int64_t unit)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM fig_cells WHERE unit = ?1", "i", unit);
	return rc ? rc : store_exec(s, "DELETE FROM fig_units WHERE id = ?1", "i", unit);
}

int store_fig_clear(struct store *s)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM fig_cells", "");
	if (!rc)
		rc = store_exec(s, "DELETE FROM fig_units", "");
	return rc ? rc : store_exec(s, "UPDATE fig_epoch SET n = n + 1", "");
}

int store_fig_generation(struct store *s, int64_t *event, int64_t *epoch)
{
	int64_t e = 0, n = 0;
	int rc = store_int(s, &e, "SELECT coalesce(max(id), 0) FROM case_events", "");
	if (!rc)
		rc = store_int(s, &n, "SELECT n FROM fig_epoch", "");
	if (!rc) {
		*event = e;
		*epoch = n;
	}
	return rc;
}
