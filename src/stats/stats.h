/* The figures of the National Database (Order 94 §3.1, §4; Instruction 132 §§5, 10, 11):
 * persons counted by the day things happened, for a period — a month, quarter, half-year,
 * year or a range of days — by any two dimensions (data/stats/dimensions.json) or as the
 * standard tables (data/stats/tables.json), with disclosure control for every audience
 * outside the Responsible Authority. json_t ** out-parameters receive new references,
 * written only on success. */
#ifndef NRM_STATS_STATS_H
#define NRM_STATS_STATS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/err.h"

/* A two-way table (the Responsible Authority's own; refused for any other audience): persons with a fact of `measure` (default "identified"; "open" for the
 * cases open at the period's end) in `period`, by `rows` and `cols` (dimension names, either
 * may be NULL), in one county or the whole country, for an audience ("authority",
 * "government", "public"; NULL: the caller's own). */
struct stats_query {
	const char *period, *rows, *cols, *county, *measure, *audience;
};
int stats_twoway(struct nrm_ctx *c, const struct stats_query *q, json_t **out, struct nrm_err *err);

/* A standard table by name. The shape of both:
 * {"table", "label", "period", "first", "last", "county", "audience", "k", "measure",
 *  "columns": [{"code", "label"}], "blocks": [{"dim", "label", "note", "multi",
 *  "rows": [{"code", "label", "level", "cells": [count or "c"]}]}], "hidden", "symbol"}.
 * Labels are {"sq", "en"}; "c" marks a hidden figure. */
int stats_table(struct nrm_ctx *c, const char *name, const char *period, const char *county, const char *audience,
		json_t **out, struct nrm_err *err);

/* The figures of a period: {"period", ..., "flows": [a table per fact: persons, by code],
 * "open": a table of the cases open at the period's end by stage, "referrals": {"made",
 * "answered", "accepted", "declined", "pending", "hours_median", "hours_mean"}}. */
int stats_figures(struct nrm_ctx *c, const char *period, const char *county, const char *audience, json_t **out,
		  struct nrm_err *err);

/* What can be asked: {"dimensions": [{"name", "label", "multi"}], "measures": [{"kind",
 * "label"}], "tables": [{"name", "label", "about"}], "audiences": {...}, "legend"}. */
int stats_catalogue(struct nrm_ctx *c, json_t **out, struct nrm_err *err);

/* The revisions of a period's figures recorded after it ended (the Authority's): for each
 * fact, the figure now and before the revisions, and each revision with the case, the old
 * and new day and code, when, who and why. */
int stats_revisions(struct nrm_ctx *c, const char *period, json_t **out, struct nrm_err *err);

/* A table as CSV (RFC 4180, UTF-8) in lang ("sq" or "en"): a title line, the column
 * labels, one line per row, the legend. */
int stats_table_csv(const json_t *table, const char *lang, struct buf *out);

/* Keeps the figures kept up to date in line with every change to a case from now on
 * (stats/units.c): called once when a program that changes cases starts. */
void stats_units_watch(void);

/* Counts and keeps, before anyone asks, the figures of the periods around c->today — of each
 * kind (month, quarter, half, year) the one running and the one just ended: the figures of
 * each period and every standard table, for the Authority and, for the quarters, halves and
 * years that have ended, for every audience outside it. What is kept already is read, not
 * counted again. c->me speaks for the Authority. go_on (may be NULL) is asked before each
 * product; false stops. Returns how many products were answered. */
int stats_ahead(struct nrm_ctx *c, bool (*go_on)(void *), void *arg);

/* What the symbol of a hidden figure means. */
#define STATS_LEGEND_SQ "c: shifër e fshehur për të mbrojtur personat (më pak se k persona, ose shifër nga e cila mund të nxirrej një e tillë)"
#define STATS_LEGEND_EN "c: figure hidden to protect the persons (fewer than k persons, or a figure one could be worked out from)"

#endif
