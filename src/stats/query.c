/* Counts of persons over the facts' indexes, by county and up to two dimensions. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"
#include "core/input.h"
#include "core/labels.h"
#include "core/statdef.h"
#include "stats/internal.h"
#include "store/org.h"
#include "store/figunit.h"
#include "store/stats.h"

#define SEP "\x1F"

struct sdim stats_dim(struct nrm_ctx *c, const char *name, const char *measure)
{
	if (name && strcmp(name, "code") == 0) {
		json_t *def = statdef_fact_dim(c->stats, measure);
		return (struct sdim){def ? name : NULL, def, true};
	}
	json_t *def = statdef_dimension(c->stats, name);
	return (struct sdim){def ? name : NULL, def, def && statdef_dim_multi(c->stats, name)};
}

static const char *from_of(const struct sdim *d)
{
	return json_string_value(json_object_get(d->def, "from"));
}

/* How the store reads a dimension. */
static struct store_dim store_dim_of(struct nrm_ctx *c, const struct sdim *d)
{
	const char *from = from_of(d);
	if (from && strcmp(from, "status") == 0)
		return (struct store_dim){SDIM_LAST_FACT, statdef_decision_fact(c->stats)};
	if (from && strcmp(from, "stage") == 0)
		return (struct store_dim){SDIM_STAGE, "stage"};
	if (from && strcmp(from, "fact_code") == 0)
		return (struct store_dim){SDIM_FACT_CODE, "code"};
	return (struct store_dim){SDIM_STORED, d->name};
}

/* A value as the store gave it, as the dimension names it. */
static const char *value_of(struct nrm_ctx *c, const struct sdim *d, json_t *raw)
{
	const char *from = from_of(d), *v = json_string_value(raw);
	if (from && strcmp(from, "status") == 0) {
		const char *decided = v ? form_decided_status(c->form, v) : NULL;
		return decided ? decided : form_undecided_status(c->form);
	}
	return v ? v : "unknown";
}

static bool is_status(const struct sdim *d)
{
	return d && d->name && from_of(d) && strcmp(from_of(d), "status") == 0;
}

static void add(json_t *grid, const char *county, const char *a, const char *b, long n)
{
	char key[300];
	snprintf(key, sizeof key, "%s" SEP "%s" SEP "%s", county, a, b);
	json_object_set_new(grid, key, json_integer(json_integer_value(json_object_get(grid, key)) + n));
}

/* One grouping: by county, and by a and/or b when `with_a` / `with_b`. */
static int grouping(struct nrm_ctx *c, struct store_count *q, const struct scount *what, const struct sdim *a,
		    const struct sdim *b, bool with_a, bool with_b, json_t *grid)
{
	struct sdim status = stats_dim(c, "status", NULL);
	const struct sdim *filter_on = NULL;
	q->ndims = 1;
	int ia = -1, ib = -1, is = -1;
	if (with_a) {
		ia = (int)q->ndims;
		q->dims[q->ndims++] = store_dim_of(c, a);
	}
	if (with_b) {
		ib = (int)q->ndims;
		q->dims[q->ndims++] = store_dim_of(c, b);
	}
	if (what->status_in) {
		if (with_a && is_status(a))
			is = ia, filter_on = a;
		else if (with_b && is_status(b))
			is = ib, filter_on = b;
		else {
			is = (int)q->ndims;
			q->dims[q->ndims++] = store_dim_of(c, &status);
			filter_on = &status;
		}
	}
	json_t *rows;
	int rc = store_count(c->db, q, &rows);
	if (rc)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_t *v = json_object_get(r, "v");
		if (is >= 0 && !j_has(what->status_in, value_of(c, filter_on, json_array_get(v, (size_t)is))))
			continue;
		const char *county = json_string_value(json_array_get(v, 0));
		const char *av = ia >= 0 ? value_of(c, a, json_array_get(v, (size_t)ia)) : "*";
		const char *bv = ib >= 0 ? value_of(c, b, json_array_get(v, (size_t)ib)) : "*";
		long n = (long)j_int(r, "n");
		add(grid, county ? county : "unknown", av, bv, n);
		add(grid, "", av, bv, n);
	}
	json_decref(rows);
	return 0;
}

/* Whether every person counted has exactly one value of d, so that a margin over d is the sum
 * of its cells (otherwise the margin counts distinct persons with a query of its own). */
static bool summable(struct nrm_ctx *c, const struct sdim *d)
{
	return d && d->name && !d->multi && store_dim_of(c, d).from != SDIM_FACT_CODE &&
	       !json_object_get(d->def, "only_under");
}

/* Adds into the margin over position `over` (1 = a, 2 = b) every cell with a value there whose
 * other position is a margin ("*") or not, as `other_margin` says. */
static void fold(json_t *grid, int over, bool other_margin)
{
	json_t *sums = json_object(), *v;
	const char *key;
	json_object_foreach(grid, key, v) {
		char part[3][100];
		const char *at = key;
		for (int i = 0; i < 3; i++) {
			const char *end = strchr(at, SEP[0]);
			size_t n = end ? (size_t)(end - at) : strlen(at);
			snprintf(part[i], sizeof part[i], "%.*s", (int)n, at);
			at = end ? end + 1 : at + n;
		}
		if (strcmp(part[over], "*") == 0 || (strcmp(part[3 - over], "*") == 0) != other_margin)
			continue;
		snprintf(part[over], sizeof part[over], "*");
		add(sums, part[0], part[1], part[2], (long)json_integer_value(v));
	}
	json_object_foreach(sums, key, v)
		json_object_set(grid, key, v);
	json_decref(sums);
}

/* The key of a grid: what was asked, with the definitions of its dimensions and the digest of
 * all the definitions counting reads (a `nrm forms load` may change them), and, for the cache
 * (`gen`), the latest case event; NULL without one. */
static char *grid_key(struct nrm_ctx *c, const char *first, const char *last, const struct scount *what,
		      const struct sdim *a, const struct sdim *b, bool gen)
{
	int64_t event = -1;
	if (gen && store_stats_generation(c->db, &event))
		return NULL;
	json_t *k = json_pack("[s, s, s, s, O?, s?, O?, s?, O?, I, s]", "grid", what->measure, first, last, what->status_in,
			      a ? a->name : NULL, a ? a->def : NULL, b ? b->name : NULL, b ? b->def : NULL, (json_int_t)event,
			      stats_defs_digest(c));
	char *key = k ? json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(k);
	return key;
}

/* The groupings a grid is counted by, and the margins summed from its cells instead: as
 * margins are summed where they may be, counted where they must. */
struct greq {
	const struct sdim *a, *b;
	bool ha, hb, sa, sb;
	struct store_dim da, db;
	json_t *grid;
	char *key;
};

static void greq_init(struct nrm_ctx *c, struct greq *g, const struct sdim *a, const struct sdim *b)
{
	g->a = a;
	g->b = b;
	g->ha = a && a->name;
	g->hb = b && b->name;
	g->sa = g->ha && summable(c, a);
	g->sb = g->hb && summable(c, b);
	if (g->ha)
		g->da = store_dim_of(c, a);
	if (g->hb)
		g->db = store_dim_of(c, b);
}

/* The margins of a grid whose groupings are counted, in the order they depend on each other. */
static void fold_margins(struct greq *g)
{
	if (g->ha && g->sb)
		fold(g->grid, 2, false);
	if (g->hb && g->sa)
		fold(g->grid, 1, false);
	if (g->sa)
		fold(g->grid, 1, true);
	else if (g->sb)
		fold(g->grid, 2, true);
}

/* The full recount: one count per grouping (the reference the single pass is tested against). */
static int recount(struct nrm_ctx *c, const struct scount *what, struct store_count *q, struct greq *g)
{
	int rc = g->ha && g->hb ? grouping(c, q, what, g->a, g->b, true, true, g->grid) : 0;
	if (!rc && g->ha && !g->sb)
		rc = grouping(c, q, what, g->a, g->b, true, false, g->grid);
	if (!rc && g->hb && !g->sa)
		rc = grouping(c, q, what, g->a, g->b, false, true, g->grid);
	if (!rc && !g->sa && !g->sb)
		rc = grouping(c, q, what, g->a, g->b, false, false, g->grid);
	if (!rc)
		fold_margins(g);
	return rc;
}

/* ---- the single pass ---- */

/* One person as the pass reads it, and what is counted from it. */
struct pass {
	struct nrm_ctx *c;
	const struct scount *what;
	struct sdim status;
	struct greq **g;
	size_t ng;
	int64_t id; /* the person being read (0: none yet) */
	json_t *codes, *status_raw, *stage_raw, *vals; /* its codes, status, stage, {dim: [values]} */
	json_t *one_null;
};

static void bump(json_t *grid, const char *county, const char *a, const char *b)
{
	char key[300];
	snprintf(key, sizeof key, "%s" SEP "%s" SEP "%s", county, a, b);
	json_t *v = json_object_get(grid, key);
	if (v)
		json_integer_set(v, json_integer_value(v) + 1);
	else
		json_object_set_new(grid, key, json_integer(1));
}

/* The raw values of a dimension of the person (an array, borrowed). */
static json_t *raw_values(struct pass *ps, const struct store_dim *d, json_t *single)
{
	switch (d->from) {
	case SDIM_STORED: return json_object_get(ps->vals, d->name);
	case SDIM_FACT_CODE: return ps->codes;
	case SDIM_LAST_FACT: json_array_set(single, 0, ps->status_raw); return single;
	case SDIM_STAGE: json_array_set(single, 0, ps->stage_raw); return single;
	}
	return NULL;
}

/* Adds the person to one grouping of a grid: once per combination of its values (as a count
 * of distinct persons grouped by the values read does). */
static void count_in(struct pass *ps, struct greq *g, bool wa, bool wb, json_t *counties)
{
	json_t *sa = json_pack("[n]"), *sb = json_pack("[n]");
	json_t *av = wa ? raw_values(ps, &g->da, sa) : ps->one_null, *bv = wb ? raw_values(ps, &g->db, sb) : ps->one_null;
	size_t i, j, k;
	json_t *cv, *x, *y;
	json_array_foreach(counties, k, cv)
		json_array_foreach(av, i, x)
			json_array_foreach(bv, j, y) {
				const char *a = wa ? value_of(ps->c, g->a, x) : "*", *b = wb ? value_of(ps->c, g->b, y) : "*";
				bump(g->grid, json_string_value(cv), a, b);
				bump(g->grid, "", a, b);
			}
	json_decref(sa);
	json_decref(sb);
}

static void person_done(struct pass *ps)
{
	json_t *counties = json_object_get(ps->vals, "county");
	if (!ps->id || json_array_size(counties) == 0)
		return;
	if (ps->what->status_in && !j_has(ps->what->status_in, value_of(ps->c, &ps->status, ps->status_raw)))
		return;
	for (size_t i = 0; i < ps->ng; i++) {
		struct greq *g = ps->g[i];
		if (g->ha && g->hb)
			count_in(ps, g, true, true, counties);
		if (g->ha && !g->sb)
			count_in(ps, g, true, false, counties);
		if (g->hb && !g->sa)
			count_in(ps, g, false, true, counties);
		if (!g->sa && !g->sb)
			count_in(ps, g, false, false, counties);
	}
}

static json_t *text_or_null(const char *v)
{
	return v ? json_string(v) : json_null();
}

static int pass_row(void *arg, int64_t id, const char *codes, const char *status, const char *stage, const char *dim,
		    const char *value)
{
	struct pass *ps = arg;
	if (id != ps->id) {
		person_done(ps);
		json_decref(ps->codes);
		json_decref(ps->status_raw);
		json_decref(ps->stage_raw);
		json_object_clear(ps->vals);
		ps->id = id;
		ps->codes = codes ? json_loads(codes, JSON_DECODE_ANY, NULL) : NULL;
		if (!json_is_array(ps->codes)) {
			json_decref(ps->codes);
			ps->codes = json_array();
		}
		ps->status_raw = text_or_null(status);
		ps->stage_raw = text_or_null(stage);
	}
	if (dim && value) {
		json_t *list = json_object_get(ps->vals, dim);
		if (!list)
			json_object_set_new(ps->vals, dim, list = json_array());
		json_array_append_new(list, json_string(value));
	}
	return 0;
}

/* Counts the grids g[0..n) of one period from one pass over its persons. */
static int count_pass(struct nrm_ctx *c, const struct store_count *q, const struct scount *what, struct greq **g,
		      size_t n, int64_t case_id)
{
	json_t *dims = json_pack("[s]", "county");
	for (size_t i = 0; i < n; i++) {
		const struct store_dim *d[2] = {g[i]->ha ? &g[i]->da : NULL, g[i]->hb ? &g[i]->db : NULL};
		for (int k = 0; k < 2; k++)
			if (d[k] && d[k]->from == SDIM_STORED && !j_has(dims, d[k]->name))
				json_array_append_new(dims, json_string(d[k]->name));
	}
	char *names = json_dumps(dims, JSON_COMPACT);
	struct pass ps = {.c = c, .what = what, .status = stats_dim(c, "status", NULL), .g = g, .ng = n,
			  .vals = json_object(), .one_null = json_pack("[n]")};
	struct store_pass sp = {.kind = q->kind, .first = q->first, .last = q->last, .except_stage = q->except_stage,
				.status_kind = statdef_decision_fact(c->stats), .dims = names, .case_id = case_id};
	int rc = names ? store_count_pass(c->db, &sp, pass_row, &ps) : NRM_ENOMEM;
	if (!rc)
		person_done(&ps);
	json_decref(ps.codes);
	json_decref(ps.status_raw);
	json_decref(ps.stage_raw);
	json_decref(ps.vals);
	json_decref(ps.one_null);
	json_decref(dims);
	free(names);
	for (size_t i = 0; !rc && i < n; i++)
		fold_margins(g[i]);
	return rc;
}

/* The count of one period, as the store is asked it. */
static struct store_count period_count(struct nrm_ctx *c, const char *first, const char *last, const struct scount *what)
{
	bool open = strcmp(what->measure, "open") == 0;
	struct store_count q = {.kind = open ? "identified" : what->measure,
				.first = open ? NULL : first,
				.last = last,
				.except_stage = open ? form_closed_stage(c->form) : NULL};
	q.dims[0] = (struct store_dim){SDIM_STORED, "county"};
	return q;
}

int stats_person_grids(struct nrm_ctx *c, int64_t case_id, const char *first, const char *last,
		       const struct scount *what, size_t n, const struct sdim *const *a, const struct sdim *const *b,
		       json_t **out)
{
	assert(case_id > 0);
	struct store_count q = period_count(c, first, last, what);
	struct greq *g = calloc(n ? n : 1, sizeof *g);
	struct greq **all = calloc(n ? n : 1, sizeof *all);
	int rc = g && all ? 0 : NRM_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		greq_init(c, &g[i], a[i], b[i]);
		g[i].grid = json_object();
		all[i] = &g[i];
	}
	if (!rc)
		rc = count_pass(c, &q, what, all, n, case_id);
	for (size_t i = 0; g && i < n; i++) {
		if (rc)
			json_decref(g[i].grid);
		else
			out[i] = g[i].grid;
	}
	free(g);
	free(all);
	return rc;
}

char *stats_unit_key(struct nrm_ctx *c, const char *first, const char *last, const struct scount *what,
		     const struct sdim *a, const struct sdim *b)
{
	return grid_key(c, first, last, what, a, b, false);
}

/* Keeps the grids just counted as units (store/figunit.h), kept in line from now on: at once
 * inside the caller's transaction; otherwise in a transaction of their own, only when no case
 * changed since they were counted (event, epoch) — counting them again there would hold every
 * writer back for as long as a count takes. Not keeping them is no failure: the figures
 * counted stand, and the next request tries again (a case changed meanwhile, a writer held
 * the database, another request kept them first, STATS_UNITS_MAX are kept already). */
static int keep(struct nrm_ctx *c, const struct store_count *q, const struct scount *what, struct greq **g, size_t n,
		int64_t event, int64_t epoch)
{
	int64_t count = 0, e = 0, x = 0;
	bool own = !store_in_tx(c->db);
	if (own && store_begin(c->db))
		return 0;
	int rc = store_fig_unit_count(c->db, &count);
	bool skip = !rc && count + (int64_t)n > STATS_UNITS_MAX;
	if (!rc && !skip && own && !(rc = store_fig_generation(c->db, &e, &x)))
		skip = e != event || x != epoch;
	char *status_in = what->status_in ? json_dumps(what->status_in, JSON_COMPACT) : NULL;
	for (size_t i = 0; !rc && !skip && i < n; i++) {
		int64_t id;
		rc = g[i]->key ? store_fig_unit_add(c->db, g[i]->key, stats_defs_digest(c), what->measure,
						    q->first ? q->first : "", q->last, status_in,
						    g[i]->ha ? g[i]->a->name : NULL, g[i]->hb ? g[i]->b->name : NULL,
						    g[i]->grid, &id)
			       : NRM_ENOMEM;
	}
	free(status_in);
	if (!own)
		return rc;
	if (rc || skip || store_commit(c->db))
		store_rollback(c->db);
	return 0;
}

int stats_grids(struct nrm_ctx *c, const struct period *p, const struct scount *what, size_t n,
		const struct sdim *const *a, const struct sdim *const *b, json_t **out)
{
	char first[DATE_LEN], last[DATE_LEN];
	date_format(p->first, first);
	date_format(p->last, last);
	struct store_count q = period_count(c, first, last, what);
	/* NRM_STATS_RECOUNT: each grouping counted on its own, as the tests' reference, and
	 * nothing kept read or made. A calendar period's grids are kept (stats/units.c). */
	bool full = getenv("NRM_STATS_RECOUNT") != NULL, kept = !full && period_is_calendar(p);
	struct greq *g = calloc(n ? n : 1, sizeof *g);
	struct greq **miss = calloc(n ? n : 1, sizeof *miss);
	size_t nmiss = 0;
	int64_t event = 0, epoch = 0;
	int rc = g && miss ? 0 : NRM_ENOMEM;
	bool snapshot = !rc && kept && !store_in_tx(c->db) && !(rc = store_read_begin(c->db));
	if (!rc && kept)
		rc = store_fig_generation(c->db, &event, &epoch);
	for (size_t i = 0; !rc && i < n; i++) {
		greq_init(c, &g[i], a[i], b[i]);
		if (kept) {
			g[i].key = stats_unit_key(c, first, last, what, a[i], b[i]);
			int64_t unit = 0;
			if (g[i].key && store_fig_unit_find(c->db, g[i].key, &unit) == 0 &&
			    (rc = store_fig_cells(c->db, unit, &g[i].grid)))
				break;
		} else {
			g[i].key = grid_key(c, first, last, what, a[i], b[i], true);
			g[i].grid = g[i].key ? stats_cache_get(g[i].key) : NULL;
		}
		if (!g[i].grid) {
			g[i].grid = json_object();
			miss[nmiss++] = &g[i];
		}
	}
	if (!rc && nmiss)
		for (size_t i = 0; full && !rc && i < nmiss; i++)
			rc = recount(c, what, &q, miss[i]);
	if (!rc && nmiss && !full)
		rc = count_pass(c, &q, what, miss, nmiss, 0);
	if (snapshot)
		store_read_end(c->db);
	if (!rc && nmiss && kept)
		rc = keep(c, &q, what, miss, nmiss, event, epoch);
	for (size_t i = 0; g && i < n; i++) {
		if (!rc && !kept && g[i].key)
			stats_cache_put(g[i].key, g[i].grid);
		if (rc)
			json_decref(g[i].grid);
		else
			out[i] = g[i].grid;
		free(g[i].key);
	}
	free(g);
	free(miss);
	return rc;
}

long stats_grid_get(json_t *grid, const char *county, const char *a, const char *b)
{
	char key[300];
	snprintf(key, sizeof key, "%s" SEP "%s" SEP "%s", county, a, b);
	return (long)json_integer_value(json_object_get(grid, key));
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(json_string_value(*(json_t *const *)x), json_string_value(*(json_t *const *)y));
}

json_t *stats_grid_values(json_t *grid, int position)
{
	json_t *seen = json_object(), *v;
	const char *key;
	json_object_foreach(grid, key, v) {
		const char *p = strchr(key, '\x1F') + 1;
		if (position == 1)
			p = strchr(p, '\x1F') + 1;
		size_t n = strcspn(p, SEP);
		if (n == 1 && *p == '*')
			continue;
		char val[256];
		snprintf(val, sizeof val, "%.*s", (int)n, p);
		json_object_set_new(seen, val, json_true());
	}
	size_t n = json_object_size(seen), i = 0;
	json_t **items = calloc(n ? n : 1, sizeof *items), *out = json_array();
	json_object_foreach(seen, key, v)
		items[i++] = json_string(key);
	if (items)
		qsort(items, n, sizeof *items, cmp_str);
	for (i = 0; items && i < n; i++)
		json_array_append_new(out, items[i]);
	free(items);
	json_decref(seen);
	return out;
}

json_t *stats_value_label(struct nrm_ctx *c, const struct sdim *d, const char *value)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d->def, "values"), i, v)
		if (strcmp(j_str(v, "code"), value) == 0)
			return json_incref(json_object_get(v, "label"));
	if (strcmp(value, "unknown") == 0)
		return json_pack("{s:s, s:s}", "sq", "E panjohur", "en", "Unknown");
	const char *group = json_string_value(json_object_get(d->def, "codelist"));
	if (!group)
		group = json_string_value(json_object_get(d->def, "group"));
	return json_pack("{s:s, s:s}", "sq", labels_get(c->labels, group ? group : "", value, "sq"), "en",
			 labels_get(c->labels, group ? group : "", value, "en"));
}

json_t *stats_counties(struct nrm_ctx *c)
{
	json_t *rows = NULL, *out = json_array(), *r;
	size_t i;
	if (store_counties(c->db, &rows) == 0)
		json_array_foreach(rows, i, r)
			json_array_append(out, json_object_get(r, "slug"));
	json_decref(rows);
	return out;
}
