/* The facts, stages, dimensions and revisions of cases, and the counts over them. */
#include "store/stats.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "store/internal.h"

int store_facts_current(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, kind, code, day FROM case_facts WHERE case_id = ?1 AND current = 1 ORDER BY kind, code, day",
			  "i", case_id);
}

int store_facts_all(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out,
			  "SELECT kind, code, day, current AS current_bool FROM case_facts WHERE case_id = ?1"
			  " ORDER BY kind, day, id",
			  "i", case_id);
}

int store_fact_add(struct store *s, int64_t case_id, const char *kind, const char *code, const char *day, int64_t event)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT INTO case_facts(case_id, kind, code, day, event_id) VALUES (?1, ?2, ?3, ?4, ?5)", "ittti",
			  case_id, kind, code, day, event);
}

int store_fact_set(struct store *s, int64_t id, const char *code, const char *day, int64_t event)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE case_facts SET code = ?2, day = ?3, event_id = ?4 WHERE id = ?1", "itti", id, code, day,
			  event);
}

int store_fact_retire(struct store *s, int64_t id)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE case_facts SET current = 0 WHERE id = ?1", "i", id);
}

int store_fact_delete(struct store *s, int64_t id)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM case_facts WHERE id = ?1", "i", id);
}

int store_revision_add(struct store *s, int64_t case_id, const char *kind, const char *old_code, const char *old_day,
		       const char *new_code, const char *new_day, int64_t event)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO fact_revisions(case_id, kind, old_code, old_day, new_code, new_day, event_id, ts)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			  "itttttiN", case_id, kind, old_code, old_day, new_code, new_day, event);
}

int store_stages(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out, "SELECT id, stage, day FROM case_stages WHERE case_id = ?1 ORDER BY day, id", "i",
			  case_id);
}

int store_stage_add(struct store *s, int64_t case_id, const char *stage, const char *day, int64_t event)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT INTO case_stages(case_id, stage, day, event_id) VALUES (?1, ?2, ?3, ?4)", "itti", case_id,
			  stage, day, event);
}

int store_stage_redate(struct store *s, int64_t id, const char *day)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE case_stages SET day = ?2 WHERE id = ?1", "it", id, day);
}

int store_dims_replace(struct store *s, int64_t case_id, json_t *dims)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM case_dims WHERE case_id = ?1", "i", case_id);
	const char *dim;
	json_t *vals, *v;
	size_t i;
	json_object_foreach(dims, dim, vals) {
		json_array_foreach(vals, i, v) {
			if (rc)
				return rc;
			rc = store_exec(s, "INSERT OR IGNORE INTO case_dims(case_id, dim, value) VALUES (?1, ?2, ?3)", "itt",
					case_id, dim, json_string_value(v));
		}
	}
	return rc;
}

/* ---- counts ---- */

/* The value of dimension i of a count: a join (stored values) or a subquery. */
static int dim_expr(struct buf *sel, struct buf *joins, const struct store_dim *d, size_t i)
{
	size_t param = 6 + i;
	switch (d->from) {
	case SDIM_STORED:
		return buf_printf(joins, " JOIN case_dims d%zu ON d%zu.case_id = p.case_id AND d%zu.dim = ?%zu", i, i, i, param) ||
		       buf_printf(sel, "d%zu.value, ", i);
	case SDIM_LAST_FACT:
		return buf_printf(sel,
				  "(SELECT x.code FROM case_facts x WHERE x.case_id = p.case_id AND x.kind = ?%zu AND x.day <= ?3"
				  " ORDER BY x.day DESC, x.id DESC LIMIT 1), ",
				  param);
	case SDIM_FACT_CODE:
		return buf_puts(sel, "p.code, ");
	case SDIM_STAGE:
		return buf_printf(sel,
				  "(SELECT g.stage FROM case_stages g WHERE g.case_id = p.case_id AND g.day <= ?3"
				  " ORDER BY g.day DESC, g.id DESC LIMIT 1), ");
	}
	return NRM_EINVAL;
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (i > sqlite3_bind_parameter_count(st))
		return SQLITE_OK;
	return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int store_count(struct store *s, const struct store_count *q, json_t **out)
{
	assert(q->kind && q->last && q->ndims <= STORE_COUNT_DIMS);
	struct buf sql = {0}, sel = {0}, joins = {0};
	sqlite3_stmt *st = NULL;
	json_t *rows = json_array();
	int rc = 0;
	for (size_t i = 0; !rc && i < q->ndims; i++)
		rc = dim_expr(&sel, &joins, &q->dims[i], i);
	if (rc || buf_puts(&sel, "count(DISTINCT p.case_id)") ||
	    buf_printf(&sql,
		       "WITH p(case_id, code) AS (SELECT DISTINCT f.case_id, f.code FROM case_facts f JOIN cases c ON c.id = f.case_id"
		       " AND c.merged_into IS NULL WHERE f.kind = ?1 AND f.day <= ?3 AND f.day >= coalesce(?2, '')"
		       " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM case_dims k WHERE k.case_id = f.case_id AND k.dim = ?4"
		       " AND k.value = ?5))) SELECT %s FROM p%s",
		       sel.p, joins.p ? joins.p : "")) {
		rc = NRM_ENOMEM;
		goto done;
	}
	if (q->except_stage &&
	    buf_puts(&sql, " WHERE coalesce((SELECT g.stage FROM case_stages g WHERE g.case_id = p.case_id AND g.day <= ?3"
			   " ORDER BY g.day DESC, g.id DESC LIMIT 1), '') <> ?10")) {
		rc = NRM_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < q->ndims; i++)
		if (buf_printf(&sql, "%s%zu", i ? ", " : " GROUP BY ", i + 1)) {
			rc = NRM_ENOMEM;
			goto done;
		}
	if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
		rc = NRM_EIO;
		goto done;
	}
	const char *params[10] = {q->kind, q->first, q->last, q->county_dim, q->county};
	for (size_t i = 0; i < q->ndims; i++)
		params[5 + i] = q->dims[i].name ? q->dims[i].name : "";
	params[9] = q->except_stage;
	for (int i = 0; i < 10; i++)
		if (bind_text(st, i + 1, params[i]) != SQLITE_OK) {
			rc = NRM_EIO;
			goto done;
		}
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *v = json_array();
		for (int i = 0; i < (int)q->ndims; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			json_array_append_new(v, t ? json_string((const char *)t) : json_null());
		}
		json_array_append_new(rows, json_pack("{s:o, s:I}", "v", v, "n",
						      (json_int_t)sqlite3_column_int64(st, (int)q->ndims)));
	}
	if (r != SQLITE_DONE)
		rc = NRM_EIO;
done:
	sqlite3_finalize(st);
	buf_free(&sql);
	buf_free(&sel);
	buf_free(&joins);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return 0;
}

int store_count_pass(struct store *s, const struct store_pass *q, store_pass_fn fn, void *arg)
{
	assert(q->kind && q->last && q->dims && q->case_id >= 0);
	/* One row per person (its codes gathered), then its dimension values by the primary key:
	 * the person outer (CROSS JOIN), so that its rows come together. One person's pass reads
	 * its facts by the index by case. */
#define PASS_HEAD                                                                                                        \
	"WITH p(case_id, codes, status, stage) AS MATERIALIZED (SELECT f.case_id, json_group_array(DISTINCT f.code),"    \
	" (SELECT x.code FROM case_facts x WHERE x.case_id = f.case_id AND x.kind = ?4 AND x.day <= ?3"                  \
	"  ORDER BY x.day DESC, x.id DESC LIMIT 1),"                                                                     \
	" (SELECT g.stage FROM case_stages g WHERE g.case_id = f.case_id AND g.day <= ?3 ORDER BY g.day DESC, g.id DESC" \
	" LIMIT 1) AS stage_then FROM case_facts f JOIN cases c ON c.id = f.case_id AND c.merged_into IS NULL"           \
	" WHERE f.kind = ?1 AND f.day <= ?3 AND f.day >= coalesce(?2, '')"
#define PASS_TAIL                                                                                             \
	" GROUP BY f.case_id HAVING ?5 IS NULL OR coalesce(stage_then, '') <> ?5)"                            \
	" SELECT p.case_id, p.codes, p.status, p.stage, d.dim, d.value FROM p"                                \
	" CROSS JOIN (SELECT value AS name FROM json_each(?6)) n LEFT JOIN case_dims d ON d.case_id = p.case_id" \
	" AND d.dim = n.name"
	static const char all[] = PASS_HEAD PASS_TAIL;
	static const char one[] = PASS_HEAD " AND f.case_id = ?7" PASS_TAIL;
#undef PASS_HEAD
#undef PASS_TAIL
	sqlite3_stmt *st = NULL;
	if (store_stmt_acquire(s, q->case_id ? one : all, &st))
		return NRM_EIO;
	const char *params[6] = {q->kind, q->first, q->last, q->status_kind, q->except_stage, q->dims};
	int rc = 0, r;
	for (int i = 0; i < 6; i++)
		if (bind_text(st, i + 1, params[i]) != SQLITE_OK)
			rc = NRM_EIO;
	if (q->case_id && sqlite3_bind_int64(st, 7, q->case_id) != SQLITE_OK)
		rc = NRM_EIO;
	while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5));
	if (!rc && r != SQLITE_DONE)
		rc = NRM_EIO;
	store_stmt_release(s, st);
	return rc;
}

/* The referrals of a period (by their index by time), of live cases (the merged ones are few:
 * a list by their partial index), of one county's cases or all. */
#define REFERRALS_OF                                                                          \
	"r.created_at BETWEEN ?1 AND ?2 AND r.case_id NOT IN (SELECT id FROM cases WHERE merged_into IS NOT NULL)" \
	" AND (?3 = 0 OR r.case_id IN (SELECT id FROM cases WHERE county_id = ?3))"

/* The hours to the answers, ascending: summed, and the middle one or two of n kept. */
struct hours {
	int64_t i, n;
	double sum, lo, hi;
};

static int hour_row(void *arg, sqlite3_stmt *st)
{
	struct hours *h = arg;
	double v = sqlite3_column_double(st, 0);
	h->sum += v;
	if (h->i == (h->n - 1) / 2)
		h->lo = v;
	if (h->i == h->n / 2)
		h->hi = v;
	h->i++;
	return 0;
}

int store_referral_figures(struct store *s, const char *from, const char *to, int64_t county, json_t **out)
{
	json_t *row = NULL;
	/* The counts and the hours from one snapshot: as many hours as answers. */
	bool snapshot = !s->in_tx && store_read_begin(s) == 0;
	int rc = store_row(s, &row,
			   "SELECT count(*) AS made, count(r.responded_at) AS answered,"
			   " coalesce(sum(r.status = 'accepted'), 0) AS accepted, coalesce(sum(r.status = 'declined'), 0) AS declined,"
			   " coalesce(sum(r.status = 'pending'), 0) AS pending FROM referrals r WHERE " REFERRALS_OF,
			   "tti", from, to, county);
	/* The hours streamed in order (one sort in SQLite, nothing kept per row here). */
	struct hours h = {.n = rc ? 0 : (int64_t)json_integer_value(json_object_get(row, "answered"))};
	if (!rc)
		rc = store_each(s, hour_row, &h,
				"SELECT (julianday(r.responded_at) - julianday(r.created_at)) * 24.0 AS h FROM referrals r WHERE "
				REFERRALS_OF " AND r.responded_at IS NOT NULL ORDER BY h",
				"tti", from, to, county);
	if (snapshot)
		store_read_end(s);
	if (rc) {
		json_decref(row);
		return rc;
	}
	json_object_set_new(row, "hours_n", json_integer(h.i));
	json_object_set_new(row, "hours_sum", json_real(h.sum));
	json_object_set_new(row, "hours_median", json_real(h.i ? (h.lo + h.hi) / 2 : 0));
	*out = row;
	return 0;
}

int store_revisions(struct store *s, const char *first, const char *last, const char *since, json_t **out)
{
	return store_rows(s, out,
			  "SELECT c.code AS case_code, v.kind, v.old_code, v.old_day, v.new_code, v.new_day, v.ts,"
			  " e.username AS user, e.reason, c.county_id AS county FROM fact_revisions v JOIN cases c ON c.id = v.case_id"
			  " LEFT JOIN case_events e ON e.id = v.event_id"
			  " WHERE ((v.old_day BETWEEN ?1 AND ?2) OR (v.new_day BETWEEN ?1 AND ?2)) AND (?3 IS NULL OR v.ts >= ?3)"
			  " AND NOT EXISTS (SELECT 1 FROM case_events x WHERE x.case_id = v.case_id AND x.action = 'create'"
			  "  AND x.ts >= coalesce(?3, ''))"
			  " ORDER BY v.id",
			  "ttt", first, last, since);
}

int store_case_set_age(struct store *s, int64_t id, int age)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE cases SET age = ?2 WHERE id = ?1", "ii", id, (int64_t)age);
}

int store_cases_for_figures(struct store *s, json_t **out)
{
	return store_rows(s, out, "SELECT id, age, data_json AS fields_json FROM cases ORDER BY id", "");
}

int store_late_facts(struct store *s, const char *first, const char *last, const char *since, json_t **out)
{
	return store_rows(s, out,
			  "SELECT f.kind, count(DISTINCT f.case_id) AS n FROM case_facts f JOIN cases c ON c.id = f.case_id"
			  " AND c.merged_into IS NULL JOIN case_events e ON e.case_id = f.case_id AND e.action = 'create'"
			  " WHERE f.day BETWEEN ?1 AND ?2 AND e.ts >= ?3 GROUP BY f.kind",
			  "ttt", first, last, since);
}

int store_cases_unfigured(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT c.id FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_stages g WHERE g.case_id = c.id)"
			  " ORDER BY c.id",
			  "");
}

int store_stats_generation(struct store *s, int64_t *out)
{
	return store_int(s, out, "SELECT coalesce(max(id), 0) FROM case_events", "");
}

int store_event_last(struct store *s, int64_t case_id, int64_t *id)
{
	return store_int(s, id, "SELECT max(id) FROM case_events WHERE case_id = ?1 HAVING max(id) IS NOT NULL", "i",
			 case_id);
}

int store_institution_type(struct store *s, int64_t id, char **out)
{
	return store_text(s, out, "SELECT type FROM institutions WHERE id = ?1", "i", id);
}
