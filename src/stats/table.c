/* Tables of figures — a standard table of data/stats/tables.json, or a two-way table of any
 * two dimensions — for a period and the whole country or one county, and for an audience.
 *
 * For the Authority a table is counted as it is. For everyone else it is one slice of a
 * release: the same table for every county and the whole country, for every quarter, half
 * and the year of the period that has ended, with every relation an outsider knows between
 * those figures (a total is the sum of its parts, the country the sum of its counties, a
 * half the sum of its quarters). The release is protected as a whole (stats/sdc.h), so the
 * slices anyone can ask for never show a pattern that, put beside another, gives a hidden
 * figure away. */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/date.h"
#include "core/form.h"
#include "core/input.h"
#include "core/statdef.h"
#include "stats/internal.h"
#include "stats/sdc.h"
#include "store/stats.h"

struct block {
	json_t *def; /* borrowed */
	struct sdim rows;
	json_t *codes; /* the row codes shown, in order (new) */
	struct sdim of, expand;
	json_t *of_def, *expand_def; /* borrowed */
	json_t *expand_codes;        /* new */
	bool cols;                   /* its rows are broken down by the columns (else: totals only) */
};

struct spec {
	json_t *def; /* the table's definition: name, label, about (borrowed or owned via own) */
	json_t *own;
	struct scount what;
	struct sdim cols;
	json_t *ccodes; /* column codes shown, without the total (new) */
	bool ctotal;
	struct block *b;
	size_t nb;
};

/* The figures of one period: a grid per block, per "of" row and per expansion. */
struct pgrids {
	json_t **g; /* 3 per block: rows, of, expand (NULL when none) */
};

struct build {
	struct nrm_ctx *c;
	struct spec *sp;
	struct period *periods;
	size_t np;
	json_t *areas; /* "" for the whole country, then county slugs */
	struct pgrids *grids;
	struct sdc *sdc;
	json_t *cells; /* "pi|area|row|col" → cell index */
	json_t *shown; /* the same keys → the figure, or -1 when hidden (a release) */
	int scope;     /* the part being protected: every row (-2), the totals (-1), one block */
	json_t *fixed; /* the totals as released, fixed for the blocks' parts (borrowed) */
};

static bool dynamic(const struct sdim *d)
{
	const char *from = json_string_value(json_object_get(d->def, "from"));
	return d->name && from && (strcmp(from, "status") == 0 || strcmp(from, "stage") == 0);
}

static void spec_free(struct spec *sp)
{
	for (size_t i = 0; i < sp->nb; i++) {
		json_decref(sp->b[i].codes);
		json_decref(sp->b[i].expand_codes);
	}
	free(sp->b);
	json_decref(sp->ccodes);
	json_decref(sp->own);
}

/* ---- the specification ---- */

static int spec_standard(struct nrm_ctx *c, json_t *t, struct spec *sp)
{
	json_t *cols = json_object_get(t, "columns"), *blocks = json_object_get(t, "blocks");
	sp->def = t;
	sp->what.measure = j_str(t, "measure");
	sp->cols = stats_dim(c, j_str(cols, "dim"), sp->what.measure);
	sp->ctotal = json_is_true(json_object_get(cols, "total")) || !sp->cols.name;
	json_t *cv = json_object_get(cols, "values");
	sp->ccodes = json_is_array(cv) ? json_deep_copy(cv) : NULL;
	/* Columns that list statuses count only persons of those statuses. */
	if (sp->cols.name && strcmp(j_str(sp->cols.def, "from"), "status") == 0 && sp->ccodes)
		sp->what.status_in = sp->ccodes;
	if (json_is_array(json_object_get(t, "status")))
		sp->what.status_in = json_object_get(t, "status");
	sp->nb = json_array_size(blocks);
	sp->b = calloc(sp->nb ? sp->nb : 1, sizeof *sp->b);
	if (!sp->b)
		return NRM_ENOMEM;
	size_t i;
	json_t *bd;
	json_array_foreach(blocks, i, bd) {
		struct block *b = &sp->b[i];
		b->def = bd;
		b->cols = sp->cols.name != NULL;
		b->rows = stats_dim(c, j_str(bd, "dim"), sp->what.measure);
		b->of_def = json_array_get(json_object_get(bd, "of"), 0);
		if (b->of_def)
			b->of = stats_dim(c, j_str(b->of_def, "dim"), sp->what.measure);
		b->expand_def = json_object_get(bd, "expand");
		if (b->expand_def)
			b->expand = stats_dim(c, j_str(b->expand_def, "dim"), sp->what.measure);
	}
	return 0;
}

static bool same(json_t *a, json_t *b)
{
	return (!a && !b) || json_equal(a, b);
}

/* The block of sp over the same dimension as bd (with the same "of which" and expanded
 * rows), or -1. */
static int same_block(struct spec *sp, json_t *bd)
{
	for (size_t i = 0; i < sp->nb; i++) {
		json_t *d = sp->b[i].def;
		if (strcmp(j_str(d, "dim"), j_str(bd, "dim")) == 0 && same(json_object_get(d, "of"), json_object_get(bd, "of")) &&
		    same(json_object_get(d, "expand"), json_object_get(bd, "expand")))
			return (int)i;
	}
	return -1;
}

/* Every standard table that counts the same persons as t, as one: what leaves the Authority
 * from any of them is protected together, so a figure they share is hidden in all or none. */
static int spec_union(struct nrm_ctx *c, json_t *t, struct spec *sp)
{
	/* In the order of tables.json, whichever table is asked for: the same release for all. */
	int rc = 0;
	bool first = true;
	size_t i, j;
	json_t *o, *bd;
	json_array_foreach(statdef_tables(c->stats), i, o) {
		if (rc || strcmp(j_str(o, "measure"), j_str(t, "measure")) != 0 ||
		    !same(json_object_get(o, "status"), json_object_get(t, "status")))
			continue;
		if (first) {
			rc = spec_standard(c, o, sp);
			first = false;
			continue;
		}
		struct spec other = {0};
		if ((rc = spec_standard(c, o, &other)))
			break;
		if (other.cols.name && !sp->cols.name) {
			sp->cols = other.cols;
			sp->ccodes = json_incref(other.ccodes);
		}
		json_array_foreach(json_object_get(o, "blocks"), j, bd) {
			int at = same_block(sp, bd);
			if (at >= 0) {
				sp->b[at].cols |= other.b[j].cols;
				continue;
			}
			struct block *nb = realloc(sp->b, (sp->nb + 1) * sizeof *nb);
			if (!nb) {
				rc = NRM_ENOMEM;
				break;
			}
			sp->b = nb;
			sp->b[sp->nb] = other.b[j];
			sp->b[sp->nb].codes = sp->b[sp->nb].expand_codes = NULL;
			sp->nb++;
		}
		spec_free(&other);
	}
	return rc;
}

static int spec_twoway(struct nrm_ctx *c, const char *measure, const char *rows, const char *cols, struct spec *sp,
		       struct nrm_err *err)
{
	if (!statdef_has_fact(c->stats, measure) && strcmp(measure, "open") != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_measure, "measure", NULL);
	if (rows && *rows && !stats_dim(c, rows, measure).name)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_dimension, "rows", NULL);
	if (cols && *cols && !stats_dim(c, cols, measure).name)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_dimension, "cols", NULL);
	if (rows && cols && *rows && strcmp(rows, cols) == 0)
		return nrm_fail(err, NRM_EINVAL, KEY_same_dimension, "cols", NULL);
	sp->own = json_pack("{s:s, s:{s:s, s:s}}", "name", "twoway", "label", "sq", "Tabelë me dy hyrje", "en", "Two-way table");
	sp->def = sp->own;
	sp->what.measure = measure;
	sp->cols = stats_dim(c, cols && *cols ? cols : NULL, measure);
	sp->ctotal = true;
	sp->nb = 1;
	sp->b = calloc(1, sizeof *sp->b);
	if (!sp->b)
		return NRM_ENOMEM;
	sp->b[0].rows = stats_dim(c, rows && *rows ? rows : NULL, measure);
	return 0;
}

/* ---- counting ---- */

static int count_period(struct build *bd, size_t pi)
{
	struct spec *sp = bd->sp;
	json_t **g = bd->grids[pi].g;
	size_t n = 0, cap = 3 * sp->nb + 1;
	size_t *at = calloc(cap, sizeof *at);
	const struct sdim **a = calloc(cap, sizeof *a), **b = calloc(cap, sizeof *b);
	json_t **got = calloc(cap, sizeof *got);
	int rc = at && a && b && got ? 0 : NRM_ENOMEM;
	for (size_t i = 0; !rc && i < sp->nb; i++) {
		struct block *bl = &sp->b[i];
		const struct sdim *dims[3] = {&bl->rows, bl->of.name ? &bl->of : NULL, bl->expand.name ? &bl->expand : NULL};
		for (size_t k = 0; k < 3; k++)
			if (dims[k]) {
				at[n] = 3 * i + k;
				a[n] = dims[k];
				b[n++] = &sp->cols;
			}
	}
	if (!rc)
		rc = stats_grids(bd->c, &bd->periods[pi], &sp->what, n, a, b, got);
	for (size_t i = 0; !rc && i < n; i++)
		g[at[i]] = got[i];
	free(at);
	free(a);
	free(b);
	free(got);
	return rc;
}

/* The codes a block shows: those it lists, then any other value the data hold (so the rows
 * of a one-value-per-person dimension always add up to the total). */
/* Where a value comes in its dimension's own order: the order of its values, of its code
 * list, or of the workflow's stages; "unknown" last. */
static size_t rank(struct nrm_ctx *c, const struct sdim *d, const char *v)
{
	json_t *order = json_object_get(d->def, "values"), *x;
	const char *list = json_string_value(json_object_get(d->def, "codelist"));
	if (!order && list)
		order = json_object_get(json_object_get(form_codelists(c->form), list), "items");
	if (!order && json_object_get(d->def, "group"))
		order = json_object_get(form_workflow(c->form), "stages");
	size_t i;
	json_array_foreach(order, i, x)
		if (strcmp(j_str(x, "code"), v) == 0)
			return i;
	return strcmp(v, "unknown") == 0 ? (size_t)-1 : (size_t)-2;
}

/* The codes a block shows: those it lists, then any other value the data hold in the
 * dimension's order (so the rows of a one-value-per-person dimension always add up). */
static json_t *codes_of(struct build *bd, const struct sdim *d, json_t *listed, size_t grid, int position)
{
	json_t *out = json_is_array(listed) ? json_deep_copy(listed) : json_array(), *more = json_array(), *v;
	if (json_is_string(listed) && strcmp(json_string_value(listed), "all") == 0) {
		json_decref(out);
		out = stats_counties(bd->c);
	}
	size_t i;
	for (size_t pi = 0; pi < bd->np; pi++) {
		json_t *present = stats_grid_values(bd->grids[pi].g[grid], position);
		json_array_foreach(present, i, v)
			if (!j_has(out, json_string_value(v)) && !j_has(more, json_string_value(v)))
				json_array_append(more, v);
		json_decref(present);
	}
	/* Few values: an insertion sort by rank. */
	json_array_foreach(more, i, v) {
		/* The values added so far are the last i of out, in order. */
		size_t at = json_array_size(out), r = rank(bd->c, d, json_string_value(v));
		size_t start = json_array_size(out) - i;
		for (size_t j = start; j < json_array_size(out); j++)
			if (rank(bd->c, d, json_string_value(json_array_get(out, j))) > r) {
				at = j;
				break;
			}
		json_array_insert(out, at, v);
	}
	json_decref(more);
	return out;
}

static void resolve_codes(struct build *bd)
{
	struct spec *sp = bd->sp;
	for (size_t i = 0; i < sp->nb; i++) {
		struct block *b = &sp->b[i];
		if (b->rows.name)
			b->codes = codes_of(bd, &b->rows, json_object_get(b->def, "values"), 3 * i, 0);
		if (b->expand.name) {
			json_t *all = codes_of(bd, &b->expand, NULL, 3 * i + 2, 0), *v, *keep = json_array();
			size_t j;
			json_array_foreach(all, j, v)
				if (!j_has(json_object_get(b->expand_def, "except"), json_string_value(v)))
					json_array_append(keep, v);
			json_decref(all);
			b->expand_codes = keep;
		}
	}
	if (sp->cols.name && !sp->ccodes)
		sp->ccodes = codes_of(bd, &sp->cols, NULL, 0, 1);
	if (!sp->ccodes)
		sp->ccodes = json_array();
}

/* ---- the cells of the release ---- */

/* Row keys: "*" the total, "b<i>:<code>" a block's row, "o<i>" its "of which" row,
 * "x<i>:<code>" an expanded row. */
static long value_of(struct build *bd, size_t pi, const char *area, const char *row, const char *col)
{
	json_t **g = bd->grids[pi].g;
	if (strcmp(row, "*") == 0)
		return stats_grid_get(g[0], area, "*", col);
	size_t i = strtoul(row + 1, NULL, 10);
	const char *code = strchr(row, ':') ? strchr(row, ':') + 1 : "";
	switch (row[0]) {
	case 'b': return stats_grid_get(g[3 * i], area, code, col);
	case 'o': {
		json_t *v = json_array_get(json_object_get(bd->sp->b[i].of_def, "values"), 0);
		return stats_grid_get(g[3 * i + 1], area, json_string_value(v), col);
	}
	case 'x': return stats_grid_get(g[3 * i + 2], area, code, col);
	}
	return 0;
}

static int cell(struct build *bd, size_t pi, const char *area, const char *row, const char *col)
{
	char key[400];
	snprintf(key, sizeof key, "%zu|%s|%s|%s", pi, area, row, col);
	json_t *have = json_object_get(bd->cells, key);
	if (have)
		return (int)json_integer_value(have);
	int id = sdc_cell(bd->sdc, value_of(bd, pi, area, row, col));
	if (id >= 0)
		json_object_set_new(bd->cells, key, json_integer(id));
	/* Every table's total row is released once, for all: a block takes it as it is. */
	if (id >= 0 && bd->fixed && strcmp(row, "*") == 0)
		sdc_lock(bd->sdc, id, json_integer_value(json_object_get(bd->fixed, key)) < 0);
	return id;
}

/* Every row key of the table, in display order within each block: [{key, block, level}]. */
static json_t *row_keys(struct spec *sp)
{
	json_t *out = json_array(), *v;
	size_t j;
	char key[300];
	for (size_t i = 0; i < sp->nb; i++) {
		struct block *b = &sp->b[i];
		json_array_foreach(b->codes, j, v) {
			snprintf(key, sizeof key, "b%zu:%s", i, json_string_value(v));
			json_array_append_new(out, json_pack("{s:s, s:I, s:i, s:s}", "key", key, "block", (json_int_t)i, "level", 0,
							     "code", json_string_value(v)));
			if (b->of.name && strcmp(json_string_value(v), j_str(b->of_def, "within")) == 0) {
				snprintf(key, sizeof key, "o%zu:", i);
				json_array_append_new(out, json_pack("{s:s, s:I, s:i, s:s}", "key", key, "block", (json_int_t)i, "level",
								     1, "code", j_str(b->of_def, "code")));
			}
			if (b->expand.name && strcmp(json_string_value(v), j_str(b->expand_def, "within")) == 0) {
				size_t x;
				json_t *e;
				json_array_foreach(b->expand_codes, x, e) {
					snprintf(key, sizeof key, "x%zu:%s", i, json_string_value(e));
					json_array_append_new(out, json_pack("{s:s, s:I, s:i, s:s}", "key", key, "block", (json_int_t)i,
									     "level", 1, "code", json_string_value(e)));
				}
			}
		}
		json_array_append_new(out, json_pack("{s:s, s:I, s:i, s:s}", "key", "*", "block", (json_int_t)i, "level", 0, "code",
						     "total"));
	}
	return out;
}

static json_t *col_keys(struct spec *sp)
{
	json_t *out = json_deep_copy(sp->ccodes);
	json_array_append_new(out, json_string("*"));
	return out;
}

/* Whether a row of the release has a figure in column col: the total column always; the
 * others for rows of blocks broken down by the columns (and the total row when any is). */
static bool has_col(struct spec *sp, json_t *row, const char *col)
{
	if (strcmp(col, "*") == 0)
		return true;
	if (strcmp(j_str(row, "key"), "*") == 0) {
		for (size_t i = 0; i < sp->nb; i++)
			if (sp->b[i].cols)
				return true;
		return false;
	}
	return sp->b[j_int(row, "block")].cols;
}

/* Adds total = Σ parts, or part ≤ total for each part when a person may be in several. */
static int relate(struct build *bd, int total, const int *parts, size_t n, bool additive)
{
	if (additive)
		return sdc_sum(bd->sdc, total, parts, n);
	for (size_t i = 0; i < n; i++)
		if (sdc_at_most(bd->sdc, parts[i], total))
			return -1;
	return 0;
}

/* The relations within one period and area. */
static int relate_table(struct build *bd, size_t pi, const char *area, json_t *rows, json_t *cols)
{
	struct spec *sp = bd->sp;
	size_t nc = json_array_size(cols), nr = json_array_size(rows), i, j;
	int *parts = malloc((nr + nc + 1) * sizeof *parts);
	if (!parts)
		return -1;
	int rc = 0;
	json_t *r, *col;
	/* Along each row: the columns add up to the total column. */
	if (sp->cols.name) {
		bool seen_total = false;
		json_array_foreach(rows, i, r) {
			const char *key = j_str(r, "key");
			if (strcmp(key, "*") == 0) {
				if (seen_total)
					continue;
				seen_total = true;
			}
			if (!has_col(sp, r, json_string_value(json_array_get(cols, 0))))
				continue;
			size_t n = 0;
			for (j = 0; j + 1 < nc; j++)
				parts[n++] = cell(bd, pi, area, key, json_string_value(json_array_get(cols, j)));
			if ((rc = relate(bd, cell(bd, pi, area, key, "*"), parts, n, !sp->cols.multi)))
				goto done;
		}
	}
	/* Down each column of a block: its rows add up to the total; an "of which" row or an
	 * expanded row is at most the row it belongs to. */
	for (size_t b = 0; b < sp->nb; b++) {
		struct block *bl = &sp->b[b];
		if (bd->scope == -1 || (bd->scope >= 0 && (size_t)bd->scope != b))
			continue;
		json_array_foreach(cols, j, col) {
			const char *cc = json_string_value(col);
			size_t n = 0;
			char within[300];
			if (strcmp(cc, "*") != 0 && !bl->cols)
				continue;
			json_array_foreach(rows, i, r) {
				if ((size_t)j_int(r, "block") != b || strcmp(j_str(r, "key"), "*") == 0)
					continue;
				const char *key = j_str(r, "key");
				if (key[0] == 'b') {
					parts[n++] = cell(bd, pi, area, key, cc);
					continue;
				}
				const char *in = key[0] == 'o' ? j_str(bl->of_def, "within") : j_str(bl->expand_def, "within");
				snprintf(within, sizeof within, "b%zu:%s", b, in);
				if ((rc = sdc_at_most(bd->sdc, cell(bd, pi, area, key, cc), cell(bd, pi, area, within, cc))))
					goto done;
			}
			if (bl->rows.name && (rc = relate(bd, cell(bd, pi, area, "*", cc), parts, n, !bl->rows.multi)))
				goto done;
		}
	}
done:
	free(parts);
	return rc;
}

/* A county's row of a table by county is the county's own total. */
static int relate_county_rows(struct build *bd, size_t pi, json_t *rows, json_t *cols)
{
	size_t i, j;
	json_t *r, *col;
	json_array_foreach(rows, i, r) {
		struct block *bl = &bd->sp->b[j_int(r, "block")];
		const char *key = j_str(r, "key");
		if (key[0] != 'b' || !bl->rows.name || strcmp(bl->rows.name, "county") != 0)
			continue;
		const char *county = j_str(r, "code");
		if (!j_has(bd->areas, county))
			continue;
		json_array_foreach(cols, j, col) {
			if (!has_col(bd->sp, r, json_string_value(col)))
				continue;
			int whole = cell(bd, pi, county, "*", json_string_value(col));
			if (sdc_sum(bd->sdc, cell(bd, pi, "", key, json_string_value(col)), &whole, 1))
				return -1;
		}
	}
	return 0;
}

/* Whether a row's figures over consecutive periods add up (else each is at most its whole). */
static bool row_adds_up(struct spec *sp, const char *key)
{
	if (strcmp(key, "*") == 0)
		return true;
	struct block *b = &sp->b[strtoul(key + 1, NULL, 10)];
	const struct sdim *d = key[0] == 'b' ? &b->rows : key[0] == 'o' ? &b->of : &b->expand;
	return !dynamic(d);
}

static int relate_periods(struct build *bd, json_t *rows, json_t *cols)
{
	struct spec *sp = bd->sp;
	bool once = statdef_fact_once(bd->c->stats, sp->what.measure);
	bool open = strcmp(sp->what.measure, "open") == 0;
	if (open)
		return 0;
	for (size_t w = 0; w < bd->np; w++) {
		const struct period *whole = &bd->periods[w];
		int parts_i[4];
		size_t n = 0;
		for (size_t p = 0; p < bd->np; p++) {
			const struct period *part = &bd->periods[p];
			bool child = (whole->kind == PERIOD_YEAR && part->kind == PERIOD_HALF) ||
				     (whole->kind == PERIOD_HALF && part->kind == PERIOD_QUARTER);
			if (child && part->first >= whole->first && part->last <= whole->last)
				parts_i[n++] = (int)p;
		}
		if (n != 2)
			continue;
		size_t a, i, j;
		json_t *area, *r, *col;
		json_array_foreach(bd->areas, a, area) {
			json_array_foreach(rows, i, r) {
				const char *key = j_str(r, "key");
				json_array_foreach(cols, j, col) {
					const char *cc = json_string_value(col);
					if (!has_col(sp, r, cc))
						continue;
					bool add = once && row_adds_up(sp, key) && (strcmp(cc, "*") == 0 || !dynamic(&sp->cols));
					bool bound = row_adds_up(sp, key) && (strcmp(cc, "*") == 0 || !dynamic(&sp->cols));
					int total = cell(bd, w, json_string_value(area), key, cc), parts[2];
					for (size_t q = 0; q < 2; q++)
						parts[q] = cell(bd, (size_t)parts_i[q], json_string_value(area), key, cc);
					if ((add && sdc_sum(bd->sdc, total, parts, 2)) ||
					    (!add && bound && (sdc_at_most(bd->sdc, parts[0], total) || sdc_at_most(bd->sdc, parts[1], total))))
						return -1;
				}
			}
		}
	}
	return 0;
}

/* The rows of the part being protected: the total row, and the rows of its block. */
static json_t *scoped_rows(struct build *bd)
{
	json_t *all = row_keys(bd->sp), *out = json_array(), *r;
	size_t i;
	bool total = false;
	json_array_foreach(all, i, r) {
		bool is_total = strcmp(j_str(r, "key"), "*") == 0;
		if (bd->scope == -2 || (is_total && !total) || (!is_total && bd->scope >= 0 && j_int(r, "block") == bd->scope))
			json_array_append(out, r);
		total |= is_total && (bd->scope == -1 || (bd->scope >= 0 && j_int(r, "block") == bd->scope));
	}
	json_decref(all);
	return out;
}

static int build_release(struct build *bd, int k)
{
	json_t *rows = scoped_rows(bd), *cols = col_keys(bd->sp), *area, *r, *col;
	int rc = 0;
	size_t a, i, j, n = json_array_size(bd->areas);
	int *parts = malloc((n + 1) * sizeof *parts);
	if (!parts) {
		rc = NRM_ENOMEM;
		goto done;
	}
	for (size_t pi = 0; pi < bd->np; pi++) {
		json_array_foreach(bd->areas, a, area)
			if ((rc = relate_table(bd, pi, json_string_value(area), rows, cols)))
				goto done;
		if (n > 1) {
			/* The whole country is the sum of its counties. */
			json_array_foreach(rows, i, r) {
				json_array_foreach(cols, j, col) {
					size_t m = 0;
					if (!has_col(bd->sp, r, json_string_value(col)))
						continue;
					for (a = 1; a < n; a++)
						parts[m++] = cell(bd, pi, json_string_value(json_array_get(bd->areas, a)), j_str(r, "key"),
								  json_string_value(col));
					if ((rc = sdc_sum(bd->sdc, cell(bd, pi, "", j_str(r, "key"), json_string_value(col)), parts, m)))
						goto done;
				}
			}
			if ((rc = relate_county_rows(bd, pi, rows, cols)))
				goto done;
		}
	}
	if ((rc = relate_periods(bd, rows, cols)) || (rc = sdc_protect(bd->sdc, k)))
		goto done;
done:
	if (rc < 0)
		rc = NRM_ENOMEM;
	free(parts);
	json_decref(rows);
	json_decref(cols);
	return rc;
}

/* ---- the table as released ---- */

static json_t *label_total(void)
{
	return json_pack("{s:s, s:s}", "sq", "Gjithsej", "en", "Total");
}

/* A figure as released: for the Authority as counted; for anyone else as the release
 * shows it (-1: hidden; a figure the release does not hold is hidden too). */
static long shown(struct build *bd, size_t pi, const char *area, const char *row, const char *col, int k)
{
	if (k <= 1)
		return value_of(bd, pi, area, row, col);
	char key[400];
	snprintf(key, sizeof key, "%zu|%s|%s|%s", pi, area, row, col);
	json_t *v = json_object_get(bd->shown, key);
	return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

/* The release as figures by key, once protected. */
static json_t *released(struct build *bd)
{
	json_t *out = json_object(), *id;
	const char *key;
	json_object_foreach(bd->cells, key, id) {
		int c = (int)json_integer_value(id);
		json_object_set_new(out, key, json_integer(sdc_hidden(bd->sdc, c) ? -1 : sdc_value(bd->sdc, c)));
	}
	return out;
}

/* The table `view` as released: its blocks and columns, read from the release bd (which
 * may hold more tables than this one). */
static json_t *present(struct build *bd, struct spec *view, size_t pi, const char *area, int k)
{
	struct spec *sp = bd->sp;
	json_t *cols = json_array(), *blocks = json_array(), *rows = row_keys(sp), *v, *r;
	size_t i, j, nview = view->ccodes ? json_array_size(view->ccodes) : 0;
	json_array_foreach(view->ccodes, i, v)
		json_array_append_new(cols, json_pack("{s:O, s:o}", "code", v, "label",
						      stats_value_label(bd->c, &view->cols, json_string_value(v))));
	if (view->ctotal)
		json_array_append_new(cols, json_pack("{s:s, s:o}", "code", "total", "label", label_total()));
	size_t hidden = 0;
	for (size_t vb = 0; vb < view->nb; vb++) {
		int found = view == sp ? (int)vb : same_block(sp, view->b[vb].def);
		assert(found >= 0);
		size_t b = (size_t)found;
		struct block *bl = &sp->b[b];
		json_t *out_rows = json_array();
		json_array_foreach(rows, i, r) {
			if ((size_t)j_int(r, "block") != b)
				continue;
			const char *key = j_str(r, "key"), *code = j_str(r, "code");
			if (strcmp(key, "*") == 0 && bl->rows.name && !json_is_true(json_object_get(bl->def, "total")) && bl->def)
				continue;
			json_t *label = strcmp(key, "*") == 0 ? label_total()
					: key[0] == 'o'     ? json_incref(json_object_get(bl->of_def, "label"))
					: key[0] == 'x'     ? stats_value_label(bd->c, &bl->expand, code)
							    : stats_value_label(bd->c, &bl->rows, code);
			json_t *cells = json_array();
			size_t ncols = nview + (view->ctotal ? 1 : 0);
			for (j = 0; j < ncols; j++) {
				const char *cc = j < nview ? json_string_value(json_array_get(view->ccodes, j)) : "*";
				long n = shown(bd, pi, area, key, cc, k);
				if (n < 0) {
					json_array_append_new(cells, json_string("c"));
					hidden++;
				} else {
					json_array_append_new(cells, json_integer(n));
				}
			}
			json_array_append_new(out_rows, json_pack("{s:s, s:o, s:i, s:o}", "code", code, "label", label, "level",
								  (int)j_int(r, "level"), "cells", cells));
		}
		json_t *blk = json_pack("{s:s?, s:O*, s:O*, s:b, s:o}", "dim", bl->rows.name, "label",
					json_object_get(bl->def, "label"), "note", json_object_get(bl->def, "note"), "multi",
					bl->rows.multi, "rows", out_rows);
		if (bl->rows.multi && !json_object_get(blk, "note"))
			json_object_set_new(blk, "note", json_pack("{s:s, s:s}", "sq",
								   "Një person me disa vlera numërohet te secila.", "en",
								   "A person with several values is counted under each."));
		json_array_append_new(blocks, blk);
	}
	json_decref(rows);
	return json_pack("{s:o, s:o, s:I}", "columns", cols, "blocks", blocks, "hidden", (json_int_t)hidden);
}

/* ---- the operation ---- */

/* The key of a release: what it counts, over which year, for which threshold, as of which
 * day, and a digest of the counts it protects (every grid of every period and area): a
 * change to a case that changes none of them — one registered today, for last year's
 * release — finds the release protected already. */
static unsigned char cell_keys[2][crypto_shorthash_KEYBYTES];
static pthread_once_t cell_keys_once = PTHREAD_ONCE_INIT;

static void cell_keys_init(void)
{
	randombytes_buf(cell_keys, sizeof cell_keys);
}

/* What a grid holds, whatever order its cells were made in (counted, or read from the kept
 * ones): its number of cells and, under two keys of this process, the sum of a keyed hash of
 * each cell (its key and count) — without writing it out sorted. */
static int grid_digest(json_t *grid, crypto_generichash_state *h)
{
	uint64_t sum[3] = {json_object_size(grid), 0, 0};
	const char *ck;
	json_t *v;
	json_object_foreach(grid, ck, v) {
		unsigned char small[256], out[crypto_shorthash_BYTES];
		size_t n = strlen(ck);
		int64_t count = json_integer_value(v);
		/* Keys are a few dozen bytes (query.c SEP); a longer one is hashed whole all the same. */
		unsigned char *cell = n + sizeof count <= sizeof small ? small : malloc(n + sizeof count);
		if (!cell)
			return NRM_ENOMEM;
		memcpy(cell, ck, n);
		memcpy(cell + n, &count, sizeof count);
		for (int i = 0; i < 2; i++) {
			uint64_t x;
			crypto_shorthash(out, cell, n + sizeof count, cell_keys[i]);
			memcpy(&x, out, sizeof x);
			sum[1 + i] += x;
		}
		if (cell != small)
			free(cell);
	}
	crypto_generichash_update(h, (const unsigned char *)sum, sizeof sum);
	return 0;
}

static int release_key(struct build *bd, int year, int k, char *key, size_t cap)
{
	struct spec *sp = bd->sp;
	crypto_generichash_state h;
	unsigned char digest[16];
	char hex[2 * sizeof digest + 1];
	pthread_once(&cell_keys_once, cell_keys_init);
	crypto_generichash_init(&h, NULL, 0, sizeof digest);
	for (size_t pi = 0; pi < bd->np; pi++)
		for (size_t j = 0; j < 3 * sp->nb; j++) {
			unsigned char present = bd->grids[pi].g[j] != NULL;
			crypto_generichash_update(&h, &present, 1);
			if (present && grid_digest(bd->grids[pi].g[j], &h))
				return NRM_ENOMEM;
		}
	crypto_generichash_final(&h, digest, sizeof digest);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	json_t *shape = json_array();
	for (size_t i = 0; i < sp->nb; i++)
		json_array_append_new(shape, json_pack("{s:s?, s:b, s:O*, s:O*}", "dim", sp->b[i].rows.name, "cols", sp->b[i].cols,
						       "of", json_object_get(sp->b[i].def, "of"), "expand",
						       json_object_get(sp->b[i].def, "expand")));
	char *a = json_dumps(shape, JSON_COMPACT | JSON_SORT_KEYS);
	char *b = sp->what.status_in ? json_dumps(sp->what.status_in, JSON_COMPACT) : NULL;
	snprintf(key, cap, "%s|%s|%s|%s|%d|%d|%d|%s", sp->what.measure, b ? b : "", a ? a : "",
		 sp->cols.name ? sp->cols.name : "", year, k, (int)bd->c->today, hex);
	free(a);
	free(b);
	json_decref(shape);
	return 0;
}

/* Counts the figures, and for an audience outside the Authority protects the release (or
 * takes it from the cache, where one protected for the same counts waits). */
static int compute(struct build *bd, int k, int year)
{
	struct spec *sp = bd->sp;
	char key[2048];
	json_t *hit = NULL;
	int rc = 0;
	for (size_t pi = 0; !rc && pi < bd->np; pi++) {
		if (!(bd->grids[pi].g = calloc(3 * sp->nb, sizeof(json_t *))))
			rc = NRM_ENOMEM;
		else
			rc = count_period(bd, pi);
	}
	if (rc)
		return rc;
	resolve_codes(bd);
	if (k <= 1)
		return 0;
	if ((rc = release_key(bd, year, k, key, sizeof key)))
		return rc;
	if ((hit = stats_cache_get(key))) {
		bd->shown = json_incref(json_object_get(hit, "shown"));
		json_decref(hit);
		return 0;
	}
	/* The totals first, then each block with them fixed: the same total row in every table
	 * the release holds, and parts small enough to solve. */
	json_t *all = json_object();
	for (int scope = -1; !rc && scope < (int)sp->nb; scope++) {
		json_decref(bd->cells);
		sdc_free(bd->sdc);
		bd->cells = json_object();
		bd->sdc = sdc_new();
		bd->scope = scope;
		bd->fixed = scope >= 0 ? all : NULL;
		if (!bd->sdc)
			rc = NRM_ENOMEM;
		else if (!(rc = build_release(bd, k))) {
			json_t *part = released(bd), *v;
			const char *pk;
			json_object_foreach(part, pk, v)
				if (scope == -1 || !strstr(pk, "|*|"))
					json_object_set(all, pk, v);
			json_decref(part);
		}
	}
	bd->fixed = NULL;
	if (rc) {
		json_decref(all);
		return rc;
	}
	bd->shown = all;
	json_t *entry = json_pack("{s:O}", "shown", bd->shown);
	stats_cache_put(key, entry);
	json_decref(entry);
	return 0;
}

static int table_for(struct nrm_ctx *c, struct spec *sp, struct spec *view, const struct period *p,
		     const struct saudience *au, const char *county, json_t **out)
{
	struct build bd = {.c = c, .sp = sp, .cells = json_object(), .sdc = sdc_new()};
	struct period release[7];
	size_t want = 0;
	int rc = 0, y, m, d;
	date_to_ymd(p->first, &y, &m, &d);
	if (au->k > 1) {
		bd.np = stats_release_periods(c, y, release);
		bd.periods = release;
		for (want = 0; want < bd.np && strcmp(release[want].name, p->name) != 0; want++)
			;
		bd.areas = stats_counties(c);
		json_array_insert_new(bd.areas, 0, json_string(""));
	} else {
		release[0] = *p;
		bd.periods = release;
		bd.np = 1;
		bd.areas = json_pack("[s]", county ? county : "");
	}
	assert(want < bd.np);
	bd.grids = calloc(bd.np, sizeof *bd.grids);
	if (!bd.grids || !bd.sdc) {
		rc = NRM_ENOMEM;
		goto done;
	}
	if ((rc = compute(&bd, au->k, y)))
		goto done;
	json_t *t = present(&bd, view, want, county ? county : "", au->k);
	char first[DATE_LEN], last[DATE_LEN];
	date_format(p->first, first);
	date_format(p->last, last);
	json_object_set(t, "table", json_object_get(view->def, "name"));
	json_object_set(t, "label", json_object_get(view->def, "label"));
	if (json_object_get(view->def, "about"))
		json_object_set(t, "about", json_object_get(view->def, "about"));
	json_t *about = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:i, s:s, s:s?, s:s?}", "period", p->name, "first", first, "last",
				  last, "county", county, "audience", au->name, "k", au->k, "measure", sp->what.measure, "rows",
				  view->b[0].rows.name, "cols", view->cols.name);
	json_object_update(t, about);
	json_decref(about);
	json_object_set_new(t, "symbol", json_string("c"));
	*out = t;
done:
	if (bd.grids)
		for (size_t pi = 0; pi < bd.np; pi++) {
			for (size_t g = 0; bd.grids[pi].g && g < 3 * sp->nb; g++)
				json_decref(bd.grids[pi].g[g]);
			free(bd.grids[pi].g);
		}
	free(bd.grids);
	sdc_free(bd.sdc);
	json_decref(bd.cells);
	json_decref(bd.shown);
	json_decref(bd.areas);
	return rc;
}

static int table(struct nrm_ctx *c, const char *name, const char *period, const char *county, const char *audience,
		 json_t **out, struct nrm_err *err)
{
	json_t *t = statdef_table(c->stats, name);
	if (!t)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_unknown_table, "name", NULL);
	struct period p;
	struct saudience au;
	int rc;
	if ((rc = period_parse(period, "period", &p, err)) || (rc = stats_audience(c, audience, county, &p, &au, err)))
		return rc;
	char what[200], key[360];
	snprintf(what, sizeof what, "table|%s|%s|%s|%s", name, p.name, au.county ? au.county : "", au.name);
	bool keep = stats_result_key(c, what, key, sizeof key) == 0;
	json_t *hit = keep ? stats_cache_get(key) : NULL;
	if (hit) {
		*out = hit;
		return 0;
	}
	struct spec sp = {0}, view = {0};
	if (!(rc = spec_standard(c, t, &view)) && !(rc = au.k > 1 ? spec_union(c, t, &sp) : spec_standard(c, t, &sp)))
		rc = table_for(c, &sp, &view, &p, &au, au.county, out);
	spec_free(&sp);
	spec_free(&view);
	if (!rc && keep)
		stats_cache_put(key, *out);
	return rc;
}

int stats_table(struct nrm_ctx *c, const char *name, const char *period, const char *county, const char *audience,
		json_t **out, struct nrm_err *err)
{
	int rc = stats_gate_enter(err);
	if (rc)
		return rc;
	rc = table(c, name, period, county, audience, out, err);
	stats_gate_leave();
	return rc;
}

int stats_count(struct nrm_ctx *c, const struct stats_query *q, bool released, json_t **out, struct nrm_err *err)
{
	struct period p;
	struct saudience au;
	struct spec sp = {0};
	int rc;
	if ((rc = period_parse(q->period, "period", &p, err)) ||
	    (rc = spec_twoway(c, q->measure && *q->measure ? q->measure : "identified", q->rows, q->cols, &sp, err)) ||
	    (rc = stats_audience(c, q->audience, q->county, &p, &au, err)))
		goto done;
	/* Tables of any two dimensions, each protected on its own, could be set side by side
	 * to undo each other's protection: they stay within the Authority. */
	if (au.k > 1 && !released) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_twoway, "rows", NULL);
		goto done;
	}
	rc = table_for(c, &sp, &sp, &p, &au, au.county, out);
done:
	spec_free(&sp);
	return rc;
}

int stats_twoway(struct nrm_ctx *c, const struct stats_query *q, json_t **out, struct nrm_err *err)
{
	int rc = stats_gate_enter(err);
	if (rc)
		return rc;
	rc = stats_count(c, q, false, out, err);
	stats_gate_leave();
	return rc;
}
