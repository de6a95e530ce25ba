/* What the files of src/stats/ share. */
#ifndef NRM_STATS_INTERNAL_H
#define NRM_STATS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>

#include "core/ctx.h"
#include "core/err.h"
#include "core/period.h"
#include "stats/stats.h"

/* How a count reads one dimension (NULL name: not broken down). */
struct sdim {
	const char *name; /* as in dimensions.json */
	json_t *def;      /* its definition (borrowed) */
	bool multi;       /* a person may have several values */
};
/* Resolves a dimension by name — "code" is the code of the facts of `measure` counted — with
 * a NULL name and def when there is none. */
struct sdim stats_dim(struct nrm_ctx *c, const char *name, const char *measure);

/* What is counted: persons with a fact of `measure` in the period ("open": persons whose case
 * is open at the period's end), optionally only those whose status by the period's end is
 * one of `status_in` (an array of codes). */
struct scount {
	const char *measure;
	json_t *status_in;
};

/* Counts of persons by county and two dimensions over one period, all counties at once:
 * *out = {"county\x1Fa\x1Fb": n} with "" for the whole country and "*" for "any value"
 * (a margin, counted as distinct persons). `a` and `b` may have no name (only margins).
 * n grids at once, out[i] over a[i] and b[i], from one pass over the period's persons (or,
 * with NRM_STATS_RECOUNT set, one count per grouping: the reference the tests compare). */
int stats_grids(struct nrm_ctx *c, const struct period *p, const struct scount *what, size_t n,
		const struct sdim *const *a, const struct sdim *const *b, json_t **out);
/* The grids of one person (case_id) over a period from first to last, as stats_grids counts
 * them for everyone: out[i] new objects, empty when the person is not counted. */
int stats_person_grids(struct nrm_ctx *c, int64_t case_id, const char *first, const char *last,
		       const struct scount *what, size_t n, const struct sdim *const *a, const struct sdim *const *b,
		       json_t **out);
/* The key a grid of a calendar period is kept by (store/figunit.h): a new string, NULL when
 * out of memory. */
char *stats_unit_key(struct nrm_ctx *c, const char *first, const char *last, const struct scount *what,
		     const struct sdim *a, const struct sdim *b);
/* A digest of every definition counting reads (the case form with its workflow, the facts and
 * dimensions of the figures): a grid kept under other definitions is neither read nor kept in
 * line, but forgotten. The definitions of this process (computed once; a static string). */
const char *stats_defs_digest(struct nrm_ctx *c);
/* How many grids are kept at most: each one is work for every change to a case it counts. */
#define STATS_UNITS_MAX 4000

/* The count of a grid's cell (0 when absent). */
long stats_grid_get(json_t *grid, const char *county, const char *a, const char *b);
/* The values of dimension position (0: a, 1: b) present in a grid, sorted (a new array). */
json_t *stats_grid_values(json_t *grid, int position);

/* The sq/en label of a dimension's value: {"sq", "en"} (a new reference). */
json_t *stats_value_label(struct nrm_ctx *c, const struct sdim *d, const char *value);
/* The counties' slugs in the registry's order (a new array). */
json_t *stats_counties(struct nrm_ctx *c);

/* Who sees what: the audience of the caller and its threshold (0 for the Authority), the one
 * county a county role is held to (NULL: any), and whether the period may be shown. */
struct saudience {
	const char *name; /* "authority", "government", "public" */
	int k;
	const char *county; /* the county asked for or the caller is held to (in county_buf), or NULL */
	char county_buf[64];
};
int stats_audience(struct nrm_ctx *c, const char *asked, const char *county, const struct period *p,
		   struct saudience *out, struct nrm_err *err);

/* A two-way table (stats_twoway) — for an audience outside the Authority only when
 * `released` (a table of what the figures of a period release, one measure at a time). */
int stats_count(struct nrm_ctx *c, const struct stats_query *q, bool released, json_t **out, struct nrm_err *err);

/* The calendar periods released outside the Authority in the year of p that have ended by
 * today: quarters, halves and the year (new array of struct period values via
 * stats_release_periods). *n = how many (at most 7). */
size_t stats_release_periods(struct nrm_ctx *c, int year, struct period out[7]);

/* Takes a turn among the figures computed at once (stats/gate.c), or fails with NRM_EBUSY
 * after a while; every successful enter is followed by one leave. */
int stats_gate_enter(struct nrm_err *err);
void stats_gate_leave(void);

/* Released tables and counted grids by key (stats/cache.c): a new reference, or NULL; and
 * keeping a copy. */
json_t *stats_cache_get(const char *key);
void stats_cache_put(const char *key, json_t *value);
/* The key of a whole result (figures, a named table) made from the cases as they stand: `what`
 * was asked (its parts, the audience and county already resolved), on which day (running
 * periods grow, periods end), from which data — the latest case event (every change to a case,
 * its referrals and merges writes one) and the epoch of the kept figures (bumped when they
 * are forgotten) — and under which definitions. Written into key (cap bytes); NRM_ENOTFOUND
 * when results are not to be kept (NRM_STATS_RECOUNT). */
int stats_result_key(struct nrm_ctx *c, const char *what, char *key, size_t cap);

#endif
