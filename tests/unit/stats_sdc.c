/* stats/sdc: primary and secondary suppression, checked against an attacker who tries every
 * whole-number table agreeing with what is published (feasible here: small tables). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "stats/sdc.h"

/* A table r × c with its row totals, column totals and grand total, from v (r*c values):
 * cells [i*(c+1)+j] for the interior and row totals, then the last row of column totals. */
struct grid {
	struct sdc *s;
	int r, c, id[8][8];
	long v[8][8];
};

static void grid_make(struct grid *g, int r, int c, const long *v)
{
	g->s = sdc_new();
	g->r = r;
	g->c = c;
	for (int i = 0; i <= r; i++)
		for (int j = 0; j <= c; j++) {
			long x = 0;
			for (int a = 0; a < (i == r ? r : 1); a++)
				for (int b = 0; b < (j == c ? c : 1); b++)
					x += v[(i == r ? a : i) * c + (j == c ? b : j)];
			g->v[i][j] = x;
			g->id[i][j] = sdc_cell(g->s, x);
		}
	int parts[8];
	for (int i = 0; i <= r; i++) {
		for (int j = 0; j < c; j++)
			parts[j] = g->id[i][j];
		sdc_sum(g->s, g->id[i][c], parts, (size_t)c);
	}
	for (int j = 0; j <= c; j++) {
		for (int i = 0; i < r; i++)
			parts[i] = g->id[i][j];
		sdc_sum(g->s, g->id[r][j], parts, (size_t)r);
	}
}

/* The attacker: every interior table with the published cells and all sums right (rows
 * checked as they are completed, so the search stays small); the least and greatest value
 * each hidden cell takes. A hidden cell is tried up to what its published totals allow,
 * or the grand total and k more when none is published. */
static long lo_[8][8], hi_[8][8];
static long cur[8][8];

static long sum_of(struct grid *g, int i, int j)
{
	long x = 0;
	for (int a = 0; a < (i == g->r ? g->r : 1); a++)
		for (int b = 0; b < (j == g->c ? g->c : 1); b++)
			x += cur[i == g->r ? a : i][j == g->c ? b : j];
	return x;
}

static void try_cell(struct grid *g, int pos, int k)
{
	if (pos > 0 && pos % g->c == 0) {
		int i = pos / g->c - 1;
		if (!sdc_hidden(g->s, g->id[i][g->c]) && sum_of(g, i, g->c) != g->v[i][g->c])
			return;
	}
	if (pos == g->r * g->c) {
		for (int i = 0; i <= g->r; i++)
			for (int j = 0; j <= g->c; j++)
				if (!sdc_hidden(g->s, g->id[i][j]) && sum_of(g, i, j) != g->v[i][j])
					return;
		for (int i = 0; i <= g->r; i++)
			for (int j = 0; j <= g->c; j++) {
				long x = sum_of(g, i, j);
				if (x < lo_[i][j])
					lo_[i][j] = x;
				if (x > hi_[i][j])
					hi_[i][j] = x;
			}
		return;
	}
	int i = pos / g->c, j = pos % g->c;
	if (!sdc_hidden(g->s, g->id[i][j])) {
		cur[i][j] = g->v[i][j];
		try_cell(g, pos + 1, k);
		return;
	}
	long top = g->v[g->r][g->c] + k;
	if (!sdc_hidden(g->s, g->id[i][g->c]) && g->v[i][g->c] < top)
		top = g->v[i][g->c];
	if (!sdc_hidden(g->s, g->id[g->r][j]) && g->v[g->r][j] < top)
		top = g->v[g->r][j];
	long used = 0;
	for (int b = 0; b < j; b++)
		used += cur[i][b];
	for (long x = 0; x <= top; x++) {
		if (!sdc_hidden(g->s, g->id[i][g->c]) && used + x > g->v[i][g->c])
			break;
		cur[i][j] = x;
		try_cell(g, pos + 1, k);
	}
}

static void attack(struct grid *g, int k)
{
	for (int i = 0; i <= g->r; i++)
		for (int j = 0; j <= g->c; j++) {
			lo_[i][j] = 1 << 30;
			hi_[i][j] = -1;
		}
	try_cell(g, 0, k);
	for (int i = 0; i <= g->r; i++)
		for (int j = 0; j <= g->c; j++) {
			if (!sdc_hidden(g->s, g->id[i][j]))
				continue;
			long v = g->v[i][j], width = hi_[i][j] - lo_[i][j];
			cr_expect_gt(width, 0, "cell %d,%d (%ld) is determined", i, j, v);
			if (v >= 1 && v < k)
				cr_expect_geq(width, k, "cell %d,%d (%ld) is narrowed to [%ld, %ld]", i, j, v, lo_[i][j], hi_[i][j]);
			if (v < k)
				cr_expect_geq(hi_[i][j], k, "cell %d,%d (%ld) is known to be below k", i, j, v);
		}
}

Test(sdc, small_counts_are_hidden_and_nothing_else_when_nothing_gives_them_away)
{
	struct grid g;
	/* No margins at all: each figure stands alone. */
	g.s = sdc_new();
	int a = sdc_cell(g.s, 3), b = sdc_cell(g.s, 0), c = sdc_cell(g.s, 7), d = sdc_cell(g.s, 5);
	cr_assert_eq(sdc_protect(g.s, 5), 0);
	cr_expect(sdc_hidden(g.s, a) && sdc_primary(g.s, a));
	cr_expect_not(sdc_hidden(g.s, b), "zero is released");
	cr_expect_not(sdc_hidden(g.s, c));
	cr_expect_not(sdc_hidden(g.s, d), "k itself is released");
	sdc_free(g.s);
}

Test(sdc, one_hidden_cell_in_a_row_with_its_total_is_never_left_alone)
{
	struct grid g;
	static const long v[] = {3, 20, 14, 12, 30, 9};
	grid_make(&g, 2, 3, v);
	cr_assert_eq(sdc_protect(g.s, 5), 0);
	cr_expect(sdc_hidden(g.s, g.id[0][0]));
	cr_expect_geq(sdc_hidden_count(g.s), 4, "a hidden cell needs partners in its row and its column");
	attack(&g, 5);
	sdc_free(g.s);
}

Test(sdc, a_table_of_small_counts_leaves_the_attacker_in_doubt_everywhere)
{
	static const long tables[][9] = {
		{1, 2, 6, 8, 1, 0, 12, 5, 2},
		{4, 0, 0, 0, 4, 0, 0, 0, 9},
		{2, 9, 11, 7, 1, 15, 6, 20, 3},
		{0, 0, 1, 0, 0, 0, 0, 0, 0},
	};
	for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
		struct grid g;
		grid_make(&g, 3, 3, tables[t]);
		cr_assert_eq(sdc_protect(g.s, 5), 0);
		attack(&g, 5);
		sdc_free(g.s);
	}
}

Test(sdc, the_same_figures_give_the_same_pattern)
{
	static const long v[] = {1, 2, 6, 8, 1, 0, 12, 5, 2};
	struct grid a, b;
	grid_make(&a, 3, 3, v);
	grid_make(&b, 3, 3, v);
	sdc_protect(a.s, 5);
	sdc_protect(b.s, 5);
	for (size_t i = 0; i < sdc_cells(a.s); i++)
		cr_expect_eq(sdc_hidden(a.s, (int)i), sdc_hidden(b.s, (int)i));
	sdc_free(a.s);
	sdc_free(b.s);
}

Test(sdc, k_of_one_or_less_hides_nothing)
{
	static const long v[] = {1, 2, 3, 4};
	struct grid g;
	grid_make(&g, 2, 2, v);
	cr_assert_eq(sdc_protect(g.s, 0), 0);
	cr_expect_eq(sdc_hidden_count(g.s), 0);
	sdc_free(g.s);
}
