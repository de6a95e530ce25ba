/* Primary and secondary suppression with an attacker's audit (GLPK's simplex). */
#include "stats/sdc.h"

#include <assert.h>
#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct rel {
	int le;      /* 0: m[0] = m[1] + ... ; 1: m[0] ≤ m[1] */
	int *m;
	size_t n;
};

struct sdc {
	long *value;
	unsigned char *hidden, *primary, *locked;
	size_t n, cap;
	struct rel *rel;
	size_t nrel, relcap;
	/* cell → the relations it is in (built by sdc_protect) */
	size_t *first, *count;
	int *idx;
};

struct sdc *sdc_new(void)
{
	return calloc(1, sizeof(struct sdc));
}

void sdc_free(struct sdc *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrel; i++)
		free(s->rel[i].m);
	free(s->rel);
	free(s->value);
	free(s->hidden);
	free(s->primary);
	free(s->locked);
	free(s->first);
	free(s->count);
	free(s->idx);
	free(s);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

int sdc_cell(struct sdc *s, long value)
{
	assert(value >= 0);
	size_t cap = s->cap;
	if (grow((void **)&s->value, &cap, s->n + 1, sizeof *s->value))
		return -1;
	size_t c2 = s->cap, c3 = s->cap, c4 = s->cap;
	if (grow((void **)&s->hidden, &c2, s->n + 1, 1) || grow((void **)&s->primary, &c3, s->n + 1, 1) ||
	    grow((void **)&s->locked, &c4, s->n + 1, 1))
		return -1;
	s->cap = cap;
	s->value[s->n] = value;
	s->hidden[s->n] = s->primary[s->n] = s->locked[s->n] = 0;
	return (int)s->n++;
}

size_t sdc_cells(const struct sdc *s)
{
	return s->n;
}

long sdc_value(const struct sdc *s, int cell)
{
	return s->value[cell];
}

static int add_rel(struct sdc *s, int le, int head, const int *rest, size_t n)
{
	if (grow((void **)&s->rel, &s->relcap, s->nrel + 1, sizeof *s->rel))
		return -1;
	int *m = malloc((n + 1) * sizeof *m);
	if (!m)
		return -1;
	m[0] = head;
	memcpy(m + 1, rest, n * sizeof *m);
	s->rel[s->nrel++] = (struct rel){le, m, n + 1};
	return 0;
}

int sdc_sum(struct sdc *s, int total, const int *parts, size_t n)
{
	return add_rel(s, 0, total, parts, n);
}

int sdc_at_most(struct sdc *s, int part, int whole)
{
	return add_rel(s, 1, part, &whole, 1);
}

void sdc_lock(struct sdc *s, int cell, bool hidden)
{
	s->locked[cell] = 1;
	s->hidden[cell] = hidden;
}

bool sdc_hidden(const struct sdc *s, int cell)
{
	return s->hidden[cell] != 0;
}

bool sdc_primary(const struct sdc *s, int cell)
{
	return s->primary[cell] != 0;
}

size_t sdc_hidden_count(const struct sdc *s)
{
	size_t h = 0;
	for (size_t i = 0; i < s->n; i++)
		h += s->hidden[i];
	return h;
}

/* cell → relations, as one array in CSR form. */
static int index_relations(struct sdc *s)
{
	s->first = calloc(s->n + 1, sizeof *s->first);
	s->count = calloc(s->n + 1, sizeof *s->count);
	size_t total = 0;
	for (size_t r = 0; r < s->nrel; r++)
		total += s->rel[r].n;
	s->idx = malloc((total + 1) * sizeof *s->idx);
	if (!s->first || !s->count || !s->idx)
		return -1;
	for (size_t r = 0; r < s->nrel; r++)
		for (size_t i = 0; i < s->rel[r].n; i++)
			s->count[s->rel[r].m[i]]++;
	size_t at = 0;
	for (size_t c = 0; c < s->n; c++) {
		s->first[c] = at;
		at += s->count[c];
		s->count[c] = 0;
	}
	for (size_t r = 0; r < s->nrel; r++)
		for (size_t i = 0; i < s->rel[r].n; i++) {
			int c = s->rel[r].m[i];
			s->idx[s->first[c] + s->count[c]++] = (int)r;
		}
	return 0;
}

/* Zero is released (a count of nobody tells about nobody), so it is never hidden to
 * protect another cell: only cells with persons are candidates. */
static bool candidate(const struct sdc *s, int c)
{
	return !s->hidden[c] && !s->locked[c] && s->value[c] > 0;
}

/* Which of the published cells to hide beside a cell that needs protection: one with at least
 * k persons (it gives room to move), the smallest such; else the largest; zeros last. */
static bool better(const struct sdc *s, int k, int cand, int best)
{
	if (best < 0)
		return true;
	long a = s->value[cand], b = s->value[best];
	bool ak = a >= k, bk = b >= k;
	if (ak != bk)
		return ak;
	if (a != b)
		return ak ? a < b : a > b;
	return cand < best;
}

/* Equations with exactly one hidden member give it away: hide a second one. */
static int singletons(struct sdc *s, int k)
{
	bool changed = true;
	while (changed) {
		changed = false;
		for (size_t r = 0; r < s->nrel; r++) {
			const struct rel *e = &s->rel[r];
			if (e->le)
				continue;
			size_t hid = 0;
			for (size_t i = 0; i < e->n; i++)
				hid += s->hidden[e->m[i]];
			if (hid != 1)
				continue;
			int best = -1;
			/* Parts before the total: hiding a total hides a figure more people read. */
			for (size_t i = 1; i < e->n; i++)
				if (candidate(s, e->m[i]) && better(s, k, e->m[i], best))
					best = e->m[i];
			if (best < 0 && candidate(s, e->m[0]))
				best = e->m[0];
			if (best >= 0) {
				s->hidden[best] = 1;
				changed = true;
			}
		}
	}
	return 0;
}

/* ---- the audit: each hidden cell's interval over its connected part ---- */

static int find(int *parent, int x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* How far above its value a hidden cell must be able to go for the attacker to be left in
 * doubt: by k for a cell below k (its interval then spans k values), by 1 for any other. */
static double lift(const struct sdc *s, int k, int c)
{
	return s->value[c] < k ? (double)k : 1.0;
}


/* The relations of a component as the rows of an LP over its hidden cells (columns 1..nc,
 * col_of[cell]); published cells move to the right-hand side. */
static int component_lp(struct sdc *s, glp_prob *lp, const int *comp, size_t nc, const int *col_of,
			unsigned char *seen_rel)
{
	size_t maxn = 1, nrels = 0, relcap = 0;
	int *rels = NULL, rc = 0;
	for (size_t r = 0; r < s->nrel; r++)
		if (s->rel[r].n > maxn)
			maxn = s->rel[r].n;
	int *ind = malloc((maxn + 1) * sizeof *ind);
	double *val = malloc((maxn + 1) * sizeof *val);
	if (!ind || !val) {
		rc = -1;
		goto done;
	}
	glp_add_cols(lp, (int)nc);
	for (size_t j = 0; j < nc; j++)
		glp_set_col_bnds(lp, (int)j + 1, GLP_LO, 0.0, 0.0);
	for (size_t j = 0; j < nc; j++) {
		int c = comp[j];
		for (size_t t = 0; t < s->count[c]; t++) {
			int r = s->idx[s->first[c] + t];
			if (seen_rel[r])
				continue;
			seen_rel[r] = 1;
			if (grow((void **)&rels, &relcap, nrels + 1, sizeof *rels)) {
				rc = -1;
				goto done;
			}
			rels[nrels++] = r;
		}
	}
	if (nrels)
		glp_add_rows(lp, (int)nrels);
	for (size_t q = 0; q < nrels; q++) {
		const struct rel *e = &s->rel[rels[q]];
		double rhs = 0;
		int len = 0;
		for (size_t i = 0; i < e->n; i++) {
			int c = e->m[i];
			double coef = i == 0 ? 1.0 : -1.0;
			if (!s->hidden[c]) {
				rhs -= coef * (double)s->value[c];
				continue;
			}
			int col = col_of[c], at = 0;
			for (int x = 1; x <= len; x++)
				if (ind[x] == col)
					at = x;
			if (at) {
				val[at] += coef;
			} else {
				ind[++len] = col;
				val[len] = coef;
			}
		}
		glp_set_row_bnds(lp, (int)q + 1, e->le ? GLP_UP : GLP_FX, rhs, rhs);
		glp_set_mat_row(lp, (int)q + 1, len, ind, val);
	}
done:
	for (size_t q = 0; q < nrels; q++)
		seen_rel[rels[q]] = 0;
	free(rels);
	free(ind);
	free(val);
	return rc;
}

/* Solves lp as set: 1 with *val at an optimum, 0 when unbounded, -1 when the solver could
 * not tell (then nothing is concluded from it). A basis spoiled by removed rows is rebuilt. */
static int solve(glp_prob *lp, const glp_smcp *parm, double *val)
{
	int r = glp_simplex(lp, parm);
	if (r == GLP_EBADB || r == GLP_ESING || r == GLP_ECOND) {
		glp_std_basis(lp);
		r = glp_simplex(lp, parm);
	}
	if (r != 0)
		return -1;
	switch (glp_get_status(lp)) {
	case GLP_OPT: *val = glp_get_obj_val(lp); return 1;
	case GLP_UNBND: return 0;
	default: return -1;
	}
}

/* Every table an LP finds agrees with all that is published: each cell of the component it
 * has far enough above its value (or, for a cell of k or more, below it) is protected. */
static void harvest(const struct sdc *s, glp_prob *lp, int k, const int *comp, size_t nc, unsigned char *ok)
{
	for (size_t j = 0; j < nc; j++) {
		int c = comp[j];
		if (ok[c])
			continue;
		double x = glp_get_col_prim(lp, (int)j + 1), v = (double)s->value[c];
		if (x >= v + lift(s, k, c) - 1e-6 || (v >= k && x <= v - 1 + 1e-6))
			ok[c] = 1;
	}
}

/* Whether the attacker's interval of column j leaves the cell protected: it can be `lift`
 * above its value (then it spans that many values), or, solved exactly, the interval is wide
 * enough. */
static bool exact_ok(struct sdc *s, glp_prob *lp, const glp_smcp *parm, int k, int c, int j, const int *comp, size_t nc,
		     unsigned char *ok)
{
	double lo = 0, hi = 0, v = (double)s->value[c];
	glp_set_obj_coef(lp, j, 1.0);
	glp_set_obj_dir(lp, GLP_MAX);
	int up = solve(lp, parm, &hi);
	if (up == 1)
		harvest(s, lp, k, comp, nc, ok);
	bool good = up == 0 || (up == 1 && hi >= v + lift(s, k, c) - 1e-6);
	if (!good && up == 1 && v >= 1) {
		glp_set_obj_dir(lp, GLP_MIN);
		if (solve(lp, parm, &lo) == 1) {
			harvest(s, lp, k, comp, nc, ok);
			/* The attacker knows the counts are whole numbers. */
			double top = floor(hi + 1e-6), bottom = ceil(lo - 1e-6);
			good = v < k ? top - bottom >= k : top - bottom >= 1;
		}
	}
	glp_set_obj_coef(lp, j, 0.0);
	return good;
}

/* Lifts a group of cells at once: is there a table agreeing with everything published in
 * which each of them is `lift` above its value? Then each is protected (the attacker cannot
 * tell the true table from that one). When there is none, each half is tried, down to
 * single cells, which are left to the exact check. */
static int lift_group(struct sdc *s, glp_prob *lp, const glp_smcp *parm, int k, const int *comp, size_t nc,
		      const int *group, size_t n, unsigned char *ok)
{
	size_t open = 0;
	for (size_t i = 0; i < n; i++)
		open += !ok[comp[group[i]]];
	if (open == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = comp[group[i]];
		if (!ok[c])
			glp_set_col_bnds(lp, group[i] + 1, GLP_LO, (double)s->value[c] + lift(s, k, c), 0.0);
	}
	double any;
	int feasible = solve(lp, parm, &any);
	if (feasible >= 0)
		harvest(s, lp, k, comp, nc, ok);
	for (size_t i = 0; i < n; i++)
		glp_set_col_bnds(lp, group[i] + 1, GLP_LO, 0.0, 0.0);
	if (feasible >= 0 || n == 1)
		return 0;
	int rc = lift_group(s, lp, parm, k, comp, nc, group, n / 2, ok);
	return rc ? rc : lift_group(s, lp, parm, k, comp, nc, group + n / 2, n - n / 2, ok);
}

/* Checks the hidden cells of one component (comp[0..nc)) not yet known to be protected,
 * marking in fail[] those that are not. First in groups of cells that share no relation (so
 * they do not compete for the same room), then one by one, exactly. */
static int audit_component(struct sdc *s, int k, const int *comp, size_t nc, int *col_of, unsigned char *fail,
			   unsigned char *seen_rel, unsigned char *ok)
{
	glp_prob *lp = glp_create_prob();
	int *group = malloc((nc + 1) * sizeof *group), rc = 0;
	unsigned char *mark = calloc(s->nrel + 1, 1), *placed = calloc(nc + 1, 1);
	glp_smcp parm, dual;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	/* Lifting changes bounds between solves: the dual simplex takes it from there; the exact
	 * checks change the objective: the primal does. */
	dual = parm;
	dual.meth = GLP_DUALP;
	if (!group || !mark || !placed) {
		rc = -1;
		goto out;
	}
	for (size_t j = 0; j < nc; j++)
		col_of[comp[j]] = (int)j + 1;
	if ((rc = component_lp(s, lp, comp, nc, col_of, seen_rel)))
		goto out;
	for (size_t j = 0; j < nc; j++)
		placed[j] = ok[comp[j]];
	for (;;) {
		size_t n = 0;
		for (size_t j = 0; j < nc; j++) {
			int c = comp[j];
			bool free_ = !placed[j];
			for (size_t t = 0; free_ && t < s->count[c]; t++)
				free_ = !mark[s->idx[s->first[c] + t]];
			if (!free_)
				continue;
			for (size_t t = 0; t < s->count[c]; t++)
				mark[s->idx[s->first[c] + t]] = 1;
			placed[j] = 1;
			group[n++] = (int)j;
		}
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			int c = comp[group[i]];
			for (size_t t = 0; t < s->count[c]; t++)
				mark[s->idx[s->first[c] + t]] = 0;
		}
		if ((rc = lift_group(s, lp, &dual, k, comp, nc, group, n, ok)))
			goto out;
	}
	for (size_t j = 0; j < nc; j++) {
		int c = comp[j];
		if (ok[c])
			continue;
		if (ok[c])
			continue;
		if (exact_ok(s, lp, &parm, k, c, (int)j + 1, comp, nc, ok))
			ok[c] = 1;
		else
			fail[c] = 1;
	}
out:
	for (size_t j = 0; j < nc; j++)
		col_of[comp[j]] = 0;
	free(group);
	free(mark);
	free(placed);
	glp_delete_prob(lp);
	return rc;
}

/* One audit of the hidden cells not yet known to be protected (ok[]); fail[c] = 1 for each
 * that is not. A cell once protected stays so: hiding more only widens what a table may be.
 * Returns how many failed, or -1. */
static long audit(struct sdc *s, int k, unsigned char *fail, unsigned char *ok)
{
	int *parent = malloc(s->n * sizeof *parent), *col_of = calloc(s->n, sizeof *col_of);
	int *order = malloc(s->n * sizeof *order);
	size_t *start = calloc(s->n + 1, sizeof *start), *fill = calloc(s->n + 1, sizeof *fill);
	unsigned char *seen_rel = calloc(s->nrel + 1, 1), *unchecked = calloc(s->n + 1, 1);
	long failed = -1;
	if (!parent || !col_of || !order || !start || !fill || !seen_rel || !unchecked)
		goto done;
	for (size_t c = 0; c < s->n; c++)
		parent[c] = (int)c;
	for (size_t r = 0; r < s->nrel; r++) {
		int first = -1;
		for (size_t i = 0; i < s->rel[r].n; i++) {
			int c = s->rel[r].m[i];
			if (!s->hidden[c])
				continue;
			if (first < 0)
				first = c;
			else
				parent[find(parent, c)] = find(parent, first);
		}
	}
	/* Cells grouped by component (counting sort); only components with unchecked cells. */
	for (size_t c = 0; c < s->n; c++)
		if (s->hidden[c] && !ok[c])
			unchecked[find(parent, (int)c)] = 1;
	for (size_t c = 0; c < s->n; c++)
		if (s->hidden[c])
			start[find(parent, (int)c) + 1]++;
	for (size_t c = 0; c < s->n; c++)
		start[c + 1] += start[c];
	for (size_t c = 0; c < s->n; c++)
		if (s->hidden[c]) {
			size_t root = (size_t)find(parent, (int)c);
			order[start[root] + fill[root]++] = (int)c;
		}
	memset(fail, 0, s->n);
	failed = 0;
	for (size_t root = 0; root < s->n; root++) {
		size_t nc = start[root + 1] - start[root];
		if (nc == 0 || !unchecked[root])
			continue;
		if (audit_component(s, k, order + start[root], nc, col_of, fail, seen_rel, ok)) {
			failed = -1;
			goto done;
		}
	}
	for (size_t c = 0; c < s->n; c++)
		failed += fail[c];
done:
	free(parent);
	free(col_of);
	free(order);
	free(start);
	free(fill);
	free(seen_rel);
	free(unchecked);
	return failed;
}

/* A published cell to hide for the unprotected cell c: from its own relations, else from
 * the relations of the hidden cells it shares one with. -1 when there is none. */
static int partner(const struct sdc *s, int k, int c)
{
	int best = -1;
	for (size_t t = 0; t < s->count[c]; t++) {
		const struct rel *e = &s->rel[s->idx[s->first[c] + t]];
		for (size_t i = 0; i < e->n; i++)
			if (candidate(s, e->m[i]) && better(s, k, e->m[i], best))
				best = e->m[i];
	}
	if (best >= 0)
		return best;
	for (size_t t = 0; t < s->count[c]; t++) {
		const struct rel *e = &s->rel[s->idx[s->first[c] + t]];
		for (size_t i = 0; i < e->n; i++) {
			int h = e->m[i];
			for (size_t u = 0; u < s->count[h]; u++) {
				const struct rel *g = &s->rel[s->idx[s->first[h] + u]];
				for (size_t x = 0; x < g->n; x++)
					if (candidate(s, g->m[x]) && better(s, k, g->m[x], best))
						best = g->m[x];
			}
		}
	}
	if (best >= 0)
		return best;
	/* Last resort: any published cell in a relation with a hidden one. */
	for (size_t r = 0; r < s->nrel; r++) {
		const struct rel *e = &s->rel[r];
		bool touches = false;
		for (size_t i = 0; i < e->n; i++)
			touches |= s->hidden[e->m[i]] != 0;
		for (size_t i = 0; touches && i < e->n; i++)
			if (candidate(s, e->m[i]) && better(s, k, e->m[i], best))
				best = e->m[i];
	}
	return best;
}

int sdc_protect(struct sdc *s, int k)
{
	if (k <= 1)
		return 0;
	for (size_t c = 0; c < s->n; c++)
		if (!s->locked[c] && s->value[c] >= 1 && s->value[c] < k)
			s->hidden[c] = s->primary[c] = 1;
	if (index_relations(s) || singletons(s, k))
		return -1;
	unsigned char *fail = malloc(s->n + 1), *ok = calloc(s->n + 1, 1);
	if (!fail || !ok) {
		free(fail);
		free(ok);
		return -1;
	}
	int rc = 0;
	for (;;) {
		long failed = audit(s, k, fail, ok);
		if (failed < 0) {
			rc = -1;
			break;
		}
		if (failed == 0)
			break;
		size_t added = 0;
		for (size_t c = 0; c < s->n; c++) {
			if (!fail[c])
				continue;
			int p = partner(s, k, (int)c);
			if (p >= 0 && !s->hidden[p]) {
				s->hidden[p] = 1;
				added++;
			}
		}
		if (added == 0)
			break; /* every cell near the unprotected ones is hidden already */
		if (singletons(s, k)) {
			rc = -1;
			break;
		}
	}
	free(fail);
	free(ok);
	/* GLPK keeps an environment per thread until told otherwise; the server's threads end
	 * with their connections, so each protection leaves none behind. */
	glp_free_env();
	return rc;
}
