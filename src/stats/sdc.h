/* Statistical disclosure control of a set of linked count tables, as statistics offices do
 * it (docs/statistics.md): every figure is a cell; the linear relations an outsider knows
 * between them (a total is the sum of its parts, a part is at most its whole) are relations;
 * cells from 1 to k−1 are hidden (primary suppression) and further cells are hidden until no
 * hidden cell can be worked out — its attacker's interval, the least and greatest value it
 * can take given every published cell and relation, is at least k wide for a primary cell
 * and not a single value for any (secondary suppression, checked by linear programming).
 * Single-threaded per object; objects are independent (GLPK keeps its state per thread). */
#ifndef NRM_STATS_SDC_H
#define NRM_STATS_SDC_H

#include <stdbool.h>
#include <stddef.h>

struct sdc;

/* A new system; NULL when out of memory. */
struct sdc *sdc_new(void);
void sdc_free(struct sdc *s);

/* Adds a cell with its true value (≥ 0); returns its index, or -1 when out of memory. */
int sdc_cell(struct sdc *s, long value);
size_t sdc_cells(const struct sdc *s);
long sdc_value(const struct sdc *s, int cell);
/* total = the sum of the n parts. Returns 0, or -1 when out of memory. */
int sdc_sum(struct sdc *s, int total, const int *parts, size_t n);
/* part ≤ whole. */
int sdc_at_most(struct sdc *s, int part, int whole);

/* Hides cells: those from 1 to k−1, and as many more as protection needs (k ≥ 2; k ≤ 1
 * hides nothing). Deterministic: the same system gives the same pattern. Returns 0, or -1
 * when out of memory. */
int sdc_protect(struct sdc *s, int k);
/* Fixes a cell as protected elsewhere (a total every table shares): hidden or shown as
 * given, and never hidden to protect another. Before sdc_protect. */
void sdc_lock(struct sdc *s, int cell, bool hidden);
bool sdc_hidden(const struct sdc *s, int cell);
/* Whether the cell was hidden for being small (rather than to protect another). */
bool sdc_primary(const struct sdc *s, int cell);
/* How many cells are hidden. */
size_t sdc_hidden_count(const struct sdc *s);

#endif
