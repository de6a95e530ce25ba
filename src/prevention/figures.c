/* What the registers count for a county and a period, as the KRAT's periodic reports and
 * the Ministry's scorecard show it. Each register's "figures" say what: entries (optionally
 * those where a field holds a value), by a code field, a sum of a number, rows of a repeating
 * group (dated by one of their own fields), distinct values. Counts of people at risk are
 * disclosure-controlled as the statistics are (statistics.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/period.h"
#include "core/statdef.h"
#include "prevention/internal.h"
#include "stats/stats.h"
#include "store/org.h"

#define SYMBOL "c"

/* The group and sub-field of "group.sub", or the field itself (sub = NULL). */
static void split(const char *path, char group[64], const char **sub)
{
	const char *dot = strchr(path, '.');
	snprintf(group, 64, "%.*s", dot ? (int)(dot - path) : 63, path);
	*sub = dot ? dot + 1 : NULL;
}

static bool holds(json_t *where, json_t *f, const char *last)
{
	if (!where)
		return true;
	json_t *v = json_object_get(f, j_str(where, "field"));
	if (json_is_true(json_object_get(where, "before_end")))
		return json_is_string(v) && strcmp(json_string_value(v), last) < 0;
	return json_equal(v, json_object_get(where, "equals"));
}

static void add(json_t *cells, json_t *code, json_int_t n)
{
	const char *k = json_is_string(code) ? json_string_value(code) : NULL;
	if (!k)
		return;
	json_object_set_new(cells, k, json_integer(json_integer_value(json_object_get(cells, k)) + n));
}

/* The code field a breakdown is by: its definition (borrowed). */
static json_t *by_field(const struct reg_def *d, const char *by)
{
	char group[64];
	const char *sub;
	split(by, group, &sub);
	json_t *fd = form_field(d->form, group);
	return sub ? form_field(d->form, sub) : fd;
}

static json_t *count(struct nrm_ctx *c, const struct reg_def *d, json_t *fig, json_t *entries, const char *first,
		     const char *last)
{
	const char *by = json_string_value(json_object_get(fig, "by")), *sum = json_string_value(json_object_get(fig, "sum")),
		   *rows = json_string_value(json_object_get(fig, "rows")),
		   *distinct = json_string_value(json_object_get(fig, "distinct")),
		   *dated = json_string_value(json_object_get(fig, "dated"));
	json_t *where = json_object_get(fig, "where"), *cells = json_object(), *seen = json_object(), *e;
	json_int_t total = 0;
	char group[64] = "";
	const char *sub = NULL, *bysub = NULL, *datesub = NULL, *sumsub = NULL;
	if (rows)
		snprintf(group, sizeof group, "%s", rows);
	if (sum && strchr(sum, '.'))
		split(sum, group, &sumsub);
	if (distinct)
		split(distinct, group, &sub);
	if (by && strchr(by, '.')) {
		char g2[64];
		split(by, g2, &bysub);
	}
	if (dated) {
		char g3[64];
		split(dated, g3, &datesub);
	}
	size_t i, j;
	json_array_foreach(entries, i, e) {
		json_t *f = json_object_get(e, "fields"), *r;
		if (!holds(where, f, last))
			continue;
		if (!d->stock && !dated) {
			/* An entry counts in the period it began in — once, so that quarters add up to the
			 * year; rows dated themselves count by their own day. */
			const char *a = j_str(e, "first_day");
			if (strcmp(a, first) < 0 || strcmp(a, last) > 0)
				continue;
		}
		if (*group) {
			json_array_foreach(json_object_get(f, group), j, r) {
				if (datesub) {
					const char *day = j_str(r, datesub);
					if (strcmp(day, first) < 0 || strcmp(day, last) > 0)
						continue;
				}
				if (distinct) {
					json_t *v = json_object_get(r, sub);
					char key[40];
					if (json_is_integer(v)) {
						snprintf(key, sizeof key, "%lld", (long long)json_integer_value(v));
						json_object_set_new(seen, key, json_true());
					}
					continue;
				}
				json_int_t n = sumsub ? json_integer_value(json_object_get(r, sumsub)) : 1;
				if (bysub)
					add(cells, json_object_get(r, bysub), n);
				total += n;
			}
			continue;
		}
		json_int_t n = sum ? json_integer_value(json_object_get(f, sum)) : 1;
		json_t *v = by ? json_object_get(f, by) : NULL, *x;
		if (json_is_array(v))
			json_array_foreach(v, j, x) add(cells, x, n);
		else if (v)
			add(cells, v, n);
		total += n;
	}
	if (distinct)
		total = (json_int_t)json_object_size(seen);
	json_decref(seen);
	json_t *out = json_pack("{s:O, s:O, s:I}", "id", json_object_get(fig, "id"), "label", json_object_get(fig, "label"),
				"value", total);
	if (by) {
		json_t *fd = by_field(d, by), *list = json_array(), *item;
		const char *cl = j_str(fd, "codelist");
		json_array_foreach(json_object_get(json_object_get(form_codelists(c->form), cl), "items"), i, item) {
			json_t *n = json_object_get(cells, j_str(item, "code"));
			if (n)
				json_array_append_new(list, json_pack("{s:O, s:O, s:O}", "code", json_object_get(item, "code"),
								      "label", json_object_get(item, "label"), "value", n));
		}
		json_object_set_new(out, "rows", list);
		json_object_set_new(out, "multi", json_boolean(strcmp(j_str(fd, "type"), "codes") == 0));
	}
	json_decref(cells);
	return out;
}

static bool small(json_t *v, int k)
{
	json_int_t n = json_integer_value(v);
	return json_is_integer(v) && n > 0 && n < k;
}

/* Whether a cell of x is a better one to hide with others than best: one of at least k
 * first, then the smallest. */
static bool better(json_int_t x, json_t *best, int k)
{
	if (!best)
		return true;
	json_int_t b = json_integer_value(json_object_get(best, "value"));
	return (x >= k) != (b >= k) ? x >= k : x < b;
}

static void hide(json_t *o)
{
	json_object_set_new(o, "value", json_string(SYMBOL));
}

static bool hidden(json_t *o)
{
	return json_is_string(json_object_get(o, "value"));
}

/* Primary suppression of 1..k-1; then, in a breakdown of one value per entry whose total is
 * shown, more cells until the hidden ones hold k or more together — so none of them can be
 * worked out from the total, nor narrowed below k (statistics.md) — the smallest of at least
 * k first, else the smallest with entries, else the total. */
static void protect(json_t *fig, int k)
{
	if (small(json_object_get(fig, "value"), k))
		hide(fig);
	json_t *rows = json_object_get(fig, "rows"), *r;
	size_t i;
	json_array_foreach(rows, i, r)
		if (small(json_object_get(r, "value"), k))
			hide(r);
	if (json_is_true(json_object_get(fig, "multi")) || hidden(fig))
		return;
	for (;;) {
		size_t n = 0;
		json_int_t rest = 0;
		json_t *best = NULL;
		json_array_foreach(rows, i, r) {
			if (hidden(r)) {
				n++;
				continue;
			}
			json_int_t x = json_integer_value(json_object_get(r, "value"));
			rest += x;
			if (x > 0 && better(x, best, k))
				best = r;
		}
		/* What the hidden cells hold together is the total less the rest: known. */
		if (!n || (n > 1 && json_integer_value(json_object_get(fig, "value")) - rest >= k))
			return;
		if (!best) {
			hide(fig);
			return;
		}
		hide(best);
	}
}

/* A figure of the entries where a field holds a value (the children among those found) beside
 * the figure of all of them gives the rest (the adults) by difference: hidden when that rest
 * would be a count from 1 to k-1. */
static void protect_rest(const struct reg_def *d, json_t *figs, int k)
{
	json_t *all = NULL, *f, *def;
	size_t i, j;
	json_array_foreach(json_object_get(d->doc, "figures"), i, def) {
		bool plain = true;
		static const char *const keys[] = {"where", "by", "sum", "rows", "distinct", "dated"};
		for (size_t n = 0; n < sizeof keys / sizeof *keys; n++)
			plain &= !json_object_get(def, keys[n]);
		if (plain && !all)
			json_array_foreach(figs, j, f) if (json_equal(json_object_get(f, "id"), json_object_get(def, "id"))) all = f;
	}
	if (!all || hidden(all))
		return;
	json_int_t total = json_integer_value(json_object_get(all, "value"));
	json_array_foreach(json_object_get(d->doc, "figures"), i, def) {
		if (!json_object_get(def, "where") || json_object_get(def, "by") || json_object_get(def, "sum") ||
		    json_object_get(def, "rows"))
			continue;
		json_array_foreach(figs, j, f) {
			if (!json_equal(json_object_get(f, "id"), json_object_get(def, "id")) || hidden(f))
				continue;
			json_int_t rest = total - json_integer_value(json_object_get(f, "value"));
			if (rest > 0 && rest < k)
				hide(f);
		}
	}
}

/* Hides in an aggregate (a county's half-year, the country's quarter) every cell hidden in
 * one of its parts, so that no difference of released figures gives a hidden one back. */
static void propagate(json_t *agg, json_t *part)
{
	size_t i, j, k;
	json_t *a, *b, *ra, *rb;
	json_array_foreach(agg, i, a) {
		json_array_foreach(part, j, b) {
			if (!json_equal(json_object_get(a, "id"), json_object_get(b, "id")))
				continue;
			if (hidden(b))
				hide(a);
			json_array_foreach(json_object_get(b, "rows"), k, rb) {
				if (!hidden(rb))
					continue;
				size_t m;
				json_array_foreach(json_object_get(a, "rows"), m, ra)
					if (json_equal(json_object_get(ra, "code"), json_object_get(rb, "code")))
						hide(ra);
			}
		}
	}
}

/* The figures of d for county cid (0: every county) over [first, last], as counted. */
static int counted(struct nrm_ctx *c, const struct reg_def *d, int64_t cid, const char *first, const char *last,
		   json_t **out)
{
	struct reg_query q = {.reg = d->name, .county = cid, .last = last};
	json_t *entries, *fig;
	int rc = store_reg_list(c->db, &q, &entries);
	if (rc)
		return rc;
	json_t *list = json_array();
	size_t j;
	json_array_foreach(json_object_get(d->doc, "figures"), j, fig)
		json_array_append_new(list, count(c, d, fig, entries, first, last));
	json_decref(entries);
	*out = list;
	return 0;
}

/* The figures of a protected register for county cid (0: the country) and a calendar period
 * p, as released with threshold k: every county's quarters within p are protected first
 * (the parts the Ministry may ask for one by one), then each aggregate hides what any of its
 * parts hid, and is protected itself. */
static int released(struct nrm_ctx *c, const struct reg_def *d, int64_t cid, const struct period *p, int k,
		    json_t **out)
{
	char first[DATE_LEN], last[DATE_LEN];
	date_format(p->first, first);
	date_format(p->last, last);
	json_t *agg, *counties = NULL, *crow;
	int rc = counted(c, d, cid, first, last, &agg);
	if (rc)
		return rc;
	if (!cid && (rc = store_counties(c->db, &counties))) {
		json_decref(agg);
		return rc;
	}
	bool whole = cid && p->kind == PERIOD_QUARTER;
	size_t i, n = cid ? 1 : json_array_size(counties);
	for (i = 0; !whole && !rc && i < n; i++) {
		crow = counties ? json_array_get(counties, i) : NULL;
		int64_t part_county = crow ? j_int(crow, "id") : cid;
		/* The quarters within p: its first day's quarter to its last day's. */
		for (int32_t day = p->first; !rc && day <= p->last;) {
			int y, m, dd;
			date_to_ymd(day, &y, &m, &dd);
			char qname[16];
			snprintf(qname, sizeof qname, "%dQ%d", y, (m - 1) / 3 + 1);
			struct period q;
			struct nrm_err ignored = {0};
			json_t *part;
			if (period_parse(qname, "period", &q, &ignored))
				break;
			char qf[DATE_LEN], ql[DATE_LEN];
			date_format(q.first, qf);
			date_format(q.last, ql);
			if ((rc = counted(c, d, part_county, qf, ql, &part)))
				break;
			json_t *fig;
			size_t j;
			json_array_foreach(part, j, fig)
				protect(fig, k);
			protect_rest(d, part, k);
			propagate(agg, part);
			json_decref(part);
			day = q.last + 1;
		}
	}
	json_decref(counties);
	if (rc) {
		json_decref(agg);
		return rc;
	}
	json_t *fig;
	json_array_foreach(agg, i, fig)
		protect(fig, k);
	protect_rest(d, agg, k);
	*out = agg;
	return 0;
}

int reg_figures(struct nrm_ctx *c, const char *county, const char *period, const char *audience, json_t **out,
		struct nrm_err *err)
{
	const struct principal *me = c->me;
	if (me->role == ROLE_ADMIN || me->role == ROLE_DPO || me->role == ROLE_CASEWORKER)
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_role, NULL, NULL);
	struct period p;
	int rc = period_parse(period ? period : "", "period", &p, err);
	if (rc)
		return rc;
	int k_asked = 0;
	if (audience && *audience) {
		k_asked = statdef_k(c->stats, audience);
		if (k_asked < 0)
			return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, "audience", "allowed", "government, public", NULL);
		if (!role_is_authority(me->role) && k_asked < statdef_k(c->stats, "government"))
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_audience, "audience", NULL);
	}
	int64_t cid = 0;
	json_t *crow = NULL;
	if (county && *county && store_county_id(c->db, county, &cid) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	if (role_scope(me->role) == SCOPE_COUNTY) {
		if (cid && cid != me->county_id)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_own_county, "county", NULL);
		cid = me->county_id;
	}
	if (cid && (rc = store_county_get(c->db, cid, &crow)))
		return rc;
	struct reg_def **defs;
	size_t n;
	if ((rc = reg_defs_all(c, &defs, &n, err))) {
		json_decref(crow);
		return rc;
	}
	char first[DATE_LEN], last[DATE_LEN];
	date_format(p.first, first);
	date_format(p.last, last);
	int k_out = 0;
	json_t *regs = json_array();
	for (size_t i = 0; !rc && i < n; i++) {
		struct reg_def *d = defs[i];
		json_t *figs = json_object_get(d->doc, "figures");
		if (!json_array_size(figs))
			continue;
		/* Who reads the entries learns nothing from their counts; anyone else gets them protected. */
		bool protected_ = json_is_true(json_object_get(d->doc, "protect"));
		int k = !protected_ ? 0 : k_asked ? k_asked : (reg_role_reads(c, d) && role_scope(me->role) == SCOPE_COUNTY) ? 0
											       : statdef_k(c->stats, "government");
		json_t *block = json_pack("{s:s, s:O, s:b}", "register", d->name, "label", json_object_get(d->doc, "label"),
					  "protected", k > 0);
		if (k > 1 && (!period_is_calendar(&p) || p.kind == PERIOD_MONTH || !period_ended(&p, c->today))) {
			json_object_set_new(block, "withheld",
					    json_string(!period_ended(&p, c->today) && period_is_calendar(&p) && p.kind != PERIOD_MONTH
								? "stats_period_open" : "stats_period_kind"));
			json_array_append_new(regs, block);
			continue;
		}
		if (k > k_out)
			k_out = k;
		json_t *list;
		if ((rc = k > 1 ? released(c, d, cid, &p, k, &list) : counted(c, d, cid, first, last, &list))) {
			json_decref(block);
			break;
		}
		json_object_set_new(block, "figures", list);
		json_array_append_new(regs, block);
	}
	reg_defs_free(defs, n);
	if (rc) {
		json_decref(regs);
		json_decref(crow);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:O?, s:i, s:o, s:s, s:{s:s, s:s}}", "period", p.name, "first", first, "last", last,
			 "county", crow ? json_object_get(crow, "slug") : NULL, "k", k_out, "registers", regs, "symbol",
			 SYMBOL, "legend", "sq", STATS_LEGEND_SQ, "en", STATS_LEGEND_EN);
	json_decref(crow);
	return 0;
}
