/* Counts of persons over the facts' indexes, by county and up to two dimensions. */
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

/* The cache key of a grid: what was asked, with the definitions of its dimensions (a
 * `nrm forms load` may change them) and the latest case event; NULL without one. */
static char *grid_key(struct nrm_ctx *c, const char *first, const char *last, const struct scount *what,
		      const struct sdim *a, const struct sdim *b)
{
	int64_t gen;
	if (store_stats_generation(c->db, &gen))
		return NULL;
	json_t *k = json_pack("[s, s, s, s, O?, s?, O?, s?, O?, I]", "grid", what->measure, first, last, what->status_in,
			      a ? a->name : NULL, a ? a->def : NULL, b ? b->name : NULL, b ? b->def : NULL, (json_int_t)gen);
	char *key = k ? json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(k);
	return key;
}

int stats_grid(struct nrm_ctx *c, const struct period *p, const struct scount *what, const struct sdim *a,
	       const struct sdim *b, json_t **out)
{
	char first[DATE_LEN], last[DATE_LEN];
	date_format(p->first, first);
	date_format(p->last, last);
	char *key = grid_key(c, first, last, what, a, b);
	json_t *grid = key ? stats_cache_get(key) : NULL;
	if (grid) {
		free(key);
		*out = grid;
		return 0;
	}
	bool open = strcmp(what->measure, "open") == 0;
	struct store_count q = {.kind = open ? "identified" : what->measure,
				.first = open ? NULL : first,
				.last = last,
				.except_stage = open ? form_closed_stage(c->form) : NULL};
	q.dims[0] = (struct store_dim){SDIM_STORED, "county"};
	grid = json_object();
	bool ha = a && a->name, hb = b && b->name, sa = ha && summable(c, a), sb = hb && summable(c, b);
	/* The cells, then each margin summed where it may be, counted where it must. */
	int rc = ha && hb ? grouping(c, &q, what, a, b, true, true, grid) : 0;
	if (!rc && ha) {
		if (sb)
			fold(grid, 2, false);
		else
			rc = grouping(c, &q, what, a, b, true, false, grid);
	}
	if (!rc && hb) {
		if (sa)
			fold(grid, 1, false);
		else
			rc = grouping(c, &q, what, a, b, false, true, grid);
	}
	if (!rc) {
		if (sa)
			fold(grid, 1, true);
		else if (sb)
			fold(grid, 2, true);
		else
			rc = grouping(c, &q, what, a, b, false, false, grid);
	}
	if (rc) {
		free(key);
		json_decref(grid);
		return rc;
	}
	if (key)
		stats_cache_put(key, grid);
	free(key);
	*out = grid;
	return 0;
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
