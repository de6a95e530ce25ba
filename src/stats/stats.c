/* Who sees which figures, the figures of a period, what can be asked, and the revisions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/date.h"
#include "core/form.h"
#include "core/input.h"
#include "core/statdef.h"
#include "stats/internal.h"
#include "stats/sdc.h"
#include "store/org.h"
#include "store/stats.h"

int stats_audience(struct nrm_ctx *c, const char *asked, const char *county, const struct period *p,
		   struct saudience *out, struct nrm_err *err)
{
	const struct principal *me = c->me;
	if (me->role == ROLE_CASEWORKER || me->role == ROLE_DPO)
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_role, NULL, NULL);
	bool authority = role_is_authority(me->role);
	const char *name = asked && *asked ? asked : authority ? "authority" : "government";
	int k = statdef_k(c->stats, name);
	if (k < 0)
		return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, "audience", "allowed", "authority, government, public", NULL);
	if (!authority && k < statdef_k(c->stats, "government"))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_audience, "audience", NULL);
	int64_t cid = 0;
	if (county && *county && store_county_id(c->db, county, &cid) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	out->county = NULL;
	if (role_scope(me->role) == SCOPE_COUNTY) {
		json_t *row = NULL;
		if ((cid && cid != me->county_id) || store_county_get(c->db, me->county_id, &row) != 0)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_own_county, "county", NULL);
		snprintf(out->county_buf, sizeof out->county_buf, "%s", j_str(row, "slug"));
		json_decref(row);
		out->county = out->county_buf;
	} else if (cid) {
		snprintf(out->county_buf, sizeof out->county_buf, "%s", county);
		out->county = out->county_buf;
	}
	/* What leaves the Authority: whole quarters, halves and years that have ended. */
	if (k > 1) {
		if (!period_is_calendar(p) || p->kind == PERIOD_MONTH)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_period_kind, "period", NULL);
		if (!period_ended(p, c->today))
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_period_open, "period", "last", p->name, NULL);
	}
	out->name = name;
	out->k = k;
	return 0;
}

size_t stats_release_periods(struct nrm_ctx *c, int year, struct period out[7])
{
	static const char *const forms[] = {"%dQ1", "%dQ2", "%dQ3", "%dQ4", "%dH1", "%dH2", "%d"};
	size_t n = 0;
	for (size_t i = 0; i < 7; i++) {
		char name[16];
		struct nrm_err err = {0};
		snprintf(name, sizeof name, forms[i], year);
		if (period_parse(name, "period", &out[n], &err) == 0 && period_ended(&out[n], c->today))
			n++;
	}
	return n;
}

/* ---- the figures of a period ---- */

/* The end of a day in Tirane as a UTC timestamp (the stamps the referrals carry). */
static void day_end(int32_t day, char out[21])
{
	time_t midnight = (time_t)(day + 1) * 86400;
	date_utc_stamp(midnight - date_tirane_offset(midnight - 12 * 3600) - 1, out);
}

static void day_start(int32_t day, char out[21])
{
	time_t midnight = (time_t)day * 86400;
	date_utc_stamp(midnight - date_tirane_offset(midnight + 12 * 3600), out);
}

/* Referrals within nrm: counts of referrals, not of persons; for an audience outside the
 * Authority small counts are hidden as in a table, and the times to answer only shown over
 * at least k answers. */
static int referral_figures(struct nrm_ctx *c, const struct period *p, const struct saudience *au, json_t **out)
{
	char from[21], to[21];
	day_start(p->first, from);
	day_end(p->last, to);
	int64_t cid = 0;
	if (au->county)
		store_county_id(c->db, au->county, &cid);
	json_t *r;
	int rc = store_referral_figures(c->db, from, to, cid, &r);
	if (rc)
		return rc;
	static const char *const keys[] = {"made", "accepted", "declined", "pending", "answered"};
	struct sdc *s = sdc_new();
	int id[5];
	for (int i = 0; s && i < 5; i++)
		id[i] = sdc_cell(s, (long)j_int(r, keys[i]));
	if (!s || sdc_sum(s, id[0], id + 1, 3) || sdc_sum(s, id[4], id + 1, 2) || sdc_protect(s, au->k)) {
		sdc_free(s);
		json_decref(r);
		return NRM_ENOMEM;
	}
	json_t *o = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(o, keys[i], sdc_hidden(s, id[i]) ? json_string("c") : json_integer(j_int(r, keys[i])));
	long n = (long)j_int(r, "hours_n");
	bool show = n > 0 && (au->k <= 1 || n >= au->k);
	double sum = json_number_value(json_object_get(r, "hours_sum")),
	       mid = json_number_value(json_object_get(r, "hours_median"));
	json_object_set_new(o, "hours_median", show ? json_real(round(mid * 10) / 10) : json_null());
	json_object_set_new(o, "hours_mean", show ? json_real(round(sum / (double)n * 10) / 10) : json_null());
	sdc_free(s);
	json_decref(r);
	*out = o;
	return 0;
}

/* Persons with a fact of `kind` in the period as the standard tables count them, when one
 * does (the same figure, hidden or shown alike): a one-cell table, or NULL. */
static int standard_total(struct nrm_ctx *c, const char *kind, const char *period, const struct saudience *au,
			  json_t **out, struct nrm_err *err)
{
	size_t i, j, r;
	json_t *t = NULL, *x, *std = NULL, *blk, *row;
	*out = NULL;
	json_array_foreach(statdef_tables(c->stats), i, x)
		if (!t && strcmp(j_str(x, "measure"), kind) == 0)
			t = x;
	if (!t)
		return 0;
	int rc = stats_table(c, j_str(t, "name"), period, au->county, au->name, &std, err);
	if (rc)
		return rc;
	json_array_foreach(json_object_get(std, "blocks"), j, blk)
		json_array_foreach(json_object_get(blk, "rows"), r, row)
			if (!*out && strcmp(j_str(row, "code"), "total") == 0) {
				json_t *cells = json_object_get(row, "cells");
				json_t *total = json_array_get(cells, json_array_size(cells) - 1);
				*out = json_pack("{s:[{s:s, s:{s:s, s:s}}], s:[{s:n, s:b, s:[{s:s, s:{s:s, s:s}, s:i, s:[O]}]}],"
						 " s:I, s:O, s:s, s:s}",
						 "columns", "code", "total", "label", "sq", "Gjithsej", "en", "Total", "blocks", "dim",
						 "multi", 0, "rows", "code", "total", "label", "sq", "Gjithsej", "en", "Total", "level", 0,
						 "cells", total, "hidden", (json_int_t)json_is_string(total), "status",
						 json_object_get(t, "status"), "table", "total", "symbol", "c");
				static const char *const keep[] = {"period", "first", "last", "county", "audience", "k", "measure"};
				for (size_t m = 0; m < sizeof keep / sizeof *keep; m++)
					json_object_set(*out, keep[m], json_object_get(std, keep[m]));
			}
	json_decref(std);
	return 0;
}

static int figures(struct nrm_ctx *c, const char *period, const char *county, const char *audience, json_t **out,
		   struct nrm_err *err)
{
	struct period p;
	struct saudience au;
	int rc;
	if ((rc = period_parse(period, "period", &p, err)) || (rc = stats_audience(c, audience, county, &p, &au, err)))
		return rc;
	/* The same figures for everyone who asks the same while nothing changed: a report draft
	 * or the figures page read again are a copy. */
	char what[160], key[320];
	snprintf(what, sizeof what, "figures|%s|%s|%s", p.name, au.county ? au.county : "", au.name);
	bool keep = stats_result_key(c, what, key, sizeof key) == 0;
	json_t *hit = keep ? stats_cache_get(key) : NULL;
	if (hit) {
		*out = hit;
		return 0;
	}
	json_t *flows = json_array(), *t = NULL, *refs = NULL;
	size_t i;
	json_t *fact;
	json_array_foreach(statdef_fact_list(c->stats), i, fact) {
		const char *kind = j_str(fact, "kind");
		struct stats_query q = {.period = period, .measure = kind, .county = au.county, .audience = au.name,
					.rows = statdef_fact_dim(c->stats, kind) ? "code" : NULL};
		if ((rc = standard_total(c, kind, period, &au, &t, err)) || (!t && (rc = stats_count(c, &q, true, &t, err))))
			goto fail;
		json_object_set(t, "label", json_object_get(fact, "label"));
		json_array_append_new(flows, t);
	}
	struct stats_query open = {.period = period, .measure = "open", .rows = "stage", .county = au.county,
				   .audience = au.name};
	if ((rc = stats_count(c, &open, true, &t, err)))
		goto fail;
	json_object_set_new(t, "label", json_pack("{s:s, s:s}", "sq", "Raste të hapura në fund të periudhës", "en",
						  "Cases open at the period's end"));
	if ((rc = referral_figures(c, &p, &au, &refs))) {
		json_decref(t);
		goto fail;
	}
	char first[DATE_LEN], last[DATE_LEN];
	date_format(p.first, first);
	date_format(p.last, last);
	*out = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:i, s:o, s:o, s:o, s:s}", "period", p.name, "first", first, "last", last,
			 "county", au.county, "audience", au.name, "k", au.k, "flows", flows, "open", t, "referrals", refs,
			 "symbol", "c");
	if (keep)
		stats_cache_put(key, *out);
	return 0;
fail:
	json_decref(flows);
	return rc;
}

int stats_figures(struct nrm_ctx *c, const char *period, const char *county, const char *audience, json_t **out,
		  struct nrm_err *err)
{
	int rc = stats_gate_enter(err);
	if (rc)
		return rc;
	rc = figures(c, period, county, audience, out, err);
	stats_gate_leave();
	return rc;
}

/* ---- what can be asked ---- */

int stats_catalogue(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	(void)err;
	json_t *dims = json_array(), *measures = json_array(), *tables = json_array(), *d;
	size_t i;
	json_array_foreach(statdef_dimensions(c->stats), i, d)
		json_array_append_new(dims, json_pack("{s:O, s:O, s:b, s:O?}", "name", json_object_get(d, "name"), "label",
						      json_object_get(d, "label"), "multi",
						      statdef_dim_multi(c->stats, j_str(d, "name")), "about",
						      json_object_get(d, "about")));
	json_array_foreach(statdef_fact_list(c->stats), i, d)
		json_array_append_new(measures, json_pack("{s:O, s:O, s:b}", "kind", json_object_get(d, "kind"), "label",
							  json_object_get(d, "label"), "codes",
							  statdef_fact_dim(c->stats, j_str(d, "kind")) != NULL));
	json_array_append_new(measures, json_pack("{s:s, s:{s:s, s:s}, s:b}", "kind", "open", "label", "sq",
						  "Raste të hapura në fund", "en", "Open at the end", "codes", 0));
	json_array_foreach(statdef_tables(c->stats), i, d)
		json_array_append_new(tables, json_pack("{s:O, s:O, s:O?}", "name", json_object_get(d, "name"), "label",
							json_object_get(d, "label"), "about", json_object_get(d, "about")));
	*out = json_pack("{s:o, s:o, s:o, s:O, s:s, s:{s:s, s:s}}", "dimensions", dims, "measures", measures, "tables", tables,
			 "audiences", statdef_audiences(c->stats), "symbol", "c", "legend", "sq", STATS_LEGEND_SQ, "en",
			 STATS_LEGEND_EN);
	return 0;
}

/* ---- revisions ---- */

static bool within(const char *day, const char *first, const char *last)
{
	return day && strcmp(day, first) >= 0 && strcmp(day, last) <= 0;
}

static int revisions(struct nrm_ctx *c, const char *period, json_t **out, struct nrm_err *err)
{
	if (!role_is_authority(c->me->role))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_role, NULL, NULL);
	struct period p;
	int rc = period_parse(period, "period", &p, err);
	if (rc)
		return rc;
	char first[DATE_LEN], last[DATE_LEN], since[21];
	date_format(p.first, first);
	date_format(p.last, last);
	day_end(p.last, since);
	json_t *rows = NULL, *late = NULL, *facts = json_array();
	if ((rc = store_revisions(c->db, first, last, since, &rows)) ||
	    (rc = store_late_facts(c->db, first, last, since, &late)))
		goto done;
	size_t i, j;
	json_t *fact, *r;
	json_array_foreach(statdef_fact_list(c->stats), i, fact) {
		const char *kind = j_str(fact, "kind");
		json_t *list = json_array();
		long effect = 0;
		json_array_foreach(rows, j, r) {
			if (strcmp(j_str(r, "kind"), kind) != 0)
				continue;
			effect += (long)within(json_string_value(json_object_get(r, "new_day")), first, last) -
				  (long)within(json_string_value(json_object_get(r, "old_day")), first, last);
			char *why = case_open(c, j_str(r, "case_code"), json_string_value(json_object_get(r, "reason")));
			json_t *item = json_deep_copy(r);
			json_object_del(item, "county");
			json_object_set_new(item, "reason", why ? json_string(why) : json_null());
			free(why);
			json_array_append_new(list, item);
		}
		long registered = 0;
		json_array_foreach(late, j, r)
			if (strcmp(j_str(r, "kind"), kind) == 0)
				registered = (long)j_int(r, "n");
		if (json_array_size(list) == 0 && registered == 0) {
			json_decref(list);
			continue;
		}
		/* Persons now: the figure as it stands, and as it stood before these revisions. */
		struct stats_query q = {.period = period, .measure = kind};
		json_t *t;
		if ((rc = stats_count(c, &q, false, &t, err))) {
			json_decref(list);
			goto done;
		}
		json_t *cells = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "blocks"), 0),
										 "rows"), 0), "cells");
		long now = (long)json_integer_value(json_array_get(cells, json_array_size(cells) - 1));
		json_decref(t);
		json_array_append_new(facts, json_pack("{s:s, s:O, s:I, s:I, s:I, s:o}", "kind", kind, "label",
						       json_object_get(fact, "label"), "now", (json_int_t)now, "before",
						       (json_int_t)(now - registered - effect), "registered_late",
						       (json_int_t)registered, "revisions", list));
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:O}", "period", p.name, "first", first, "last", last, "since", since, "facts",
			 facts);
done:
	json_decref(facts);
	json_decref(late);
	json_decref(rows);
	return rc;
}

int stats_revisions(struct nrm_ctx *c, const char *period, json_t **out, struct nrm_err *err)
{
	int rc = stats_gate_enter(err);
	if (rc)
		return rc;
	rc = revisions(c, period, out, err);
	stats_gate_leave();
	return rc;
}
