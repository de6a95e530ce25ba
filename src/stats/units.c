/* The figures kept up to date (store/figunit.h): a change to a case changes each kept grid
 * by what the person counts for in it after the change less what it counted for before —
 * counted by the same pass that counts everyone (stats_person_grids), so that a kept grid is
 * always the grid counted afresh. Only the grids whose period holds a fact of the person that
 * they count (or, for the cases open at a period's end, its identification by then) are
 * counted: a change costs the kept grids it can touch, not all of them. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "case/case.h"
#include "core/form.h"
#include "core/statdef.h"
#include "core/input.h"
#include "stats/internal.h"
#include "stats/stats.h"
#include "store/figunit.h"
#include "store/stats.h"

static void digest_add(crypto_generichash_state *h, json_t *part)
{
	char *text = json_dumps(part, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	crypto_generichash_update(h, (const unsigned char *)(text ? text : ""), text ? strlen(text) + 1 : 1);
	free(text);
}

const char *stats_defs_digest(struct nrm_ctx *c)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static const void *form, *defs;
	static char hex[33];
	pthread_mutex_lock(&mu);
	if (form != (const void *)c->form || defs != (const void *)c->stats) {
		crypto_generichash_state h;
		unsigned char d[16];
		crypto_generichash_init(&h, NULL, 0, sizeof d);
		digest_add(&h, form_json(c->form));
		digest_add(&h, form_workflow(c->form));
		digest_add(&h, statdef_fact_list(c->stats));
		digest_add(&h, statdef_dimensions(c->stats));
		crypto_generichash_final(&h, d, sizeof d);
		sodium_bin2hex(hex, sizeof hex, d, sizeof d);
		form = c->form;
		defs = c->stats;
	}
	pthread_mutex_unlock(&mu);
	return hex;
}

/* The kept units this process can keep in line; those counted by other definitions (before a
 * `nrm forms load`, or by a process started before it) are forgotten. */
static int units_here(struct nrm_ctx *c, json_t **out)
{
	json_t *all = NULL, *mine = json_array(), *u;
	int rc = store_fig_units(c->db, &all);
	const char *defs = stats_defs_digest(c);
	size_t i;
	json_array_foreach(all, i, u) {
		if (rc)
			break;
		if (strcmp(j_str(u, "defs"), defs) == 0)
			json_array_append(mine, u);
		else
			rc = store_fig_unit_drop(c->db, j_int(u, "id"));
	}
	json_decref(all);
	if (rc) {
		json_decref(mine);
		return rc;
	}
	*out = mine;
	return 0;
}

/* What a person counted for before a change: the kept units then and its grid in each. */
struct held {
	json_t *units, *grids;
};

/* Whether the person with these facts may count in unit u. */
static bool may_count(json_t *facts, json_t *u)
{
	const char *measure = j_str(u, "measure"), *first = j_str(u, "first"), *last = j_str(u, "last");
	bool open = strcmp(measure, "open") == 0;
	size_t i;
	json_t *f;
	json_array_foreach(facts, i, f) {
		const char *day = j_str(f, "day");
		if (strcmp(j_str(f, "kind"), open ? "identified" : measure) == 0 && strcmp(day, last) <= 0 &&
		    (open || strcmp(day, first) >= 0))
			return true;
	}
	return false;
}

/* The units of one pass (the same measure, period and statuses) the person is counted in. */
static int count_group(struct nrm_ctx *c, int64_t id, json_t *units, json_t *grids)
{
	size_t n = json_array_size(units), i;
	json_t *u0 = json_array_get(units, 0), *status_in = NULL;
	const char *measure = j_str(u0, "measure"), *st = json_string_value(json_object_get(u0, "status_in"));
	if (st && !(status_in = json_loads(st, 0, NULL)))
		return NRM_EIO;
	struct sdim *dims = calloc(2 * n, sizeof *dims);
	const struct sdim **a = calloc(n, sizeof *a), **b = calloc(n, sizeof *b);
	json_t **out = calloc(n, sizeof *out);
	int rc = dims && a && b && out ? 0 : NRM_ENOMEM;
	json_t *u;
	json_array_foreach(units, i, u) {
		if (rc)
			break;
		dims[2 * i] = stats_dim(c, json_string_value(json_object_get(u, "a")), measure);
		dims[2 * i + 1] = stats_dim(c, json_string_value(json_object_get(u, "b")), measure);
		a[i] = &dims[2 * i];
		b[i] = &dims[2 * i + 1];
	}
	struct scount what = {.measure = measure, .status_in = status_in};
	if (!rc)
		rc = stats_person_grids(c, id, j_str(u0, "first"), j_str(u0, "last"), &what, n, a, b, out);
	json_array_foreach(units, i, u) {
		if (rc)
			break;
		char key[32];
		snprintf(key, sizeof key, "%lld", (long long)j_int(u, "id"));
		json_object_set_new(grids, key, out[i]);
	}
	free(dims);
	free(a);
	free(b);
	free(out);
	json_decref(status_in);
	return rc;
}

/* The grids of person id in each unit it may count in: {"unit id": grid}. */
static int person(struct nrm_ctx *c, int64_t id, json_t *units, json_t **out)
{
	json_t *facts = NULL, *groups = json_object(), *grids = json_object(), *u, *g;
	int rc = store_facts_all(c->db, id, &facts);
	size_t i;
	json_array_foreach(units, i, u) {
		if (rc || !may_count(facts, u))
			continue;
		json_t *k = json_pack("[O, O, O, O]", json_object_get(u, "measure"), json_object_get(u, "first"),
				      json_object_get(u, "last"), json_object_get(u, "status_in"));
		char *key = k ? json_dumps(k, JSON_COMPACT) : NULL;
		json_decref(k);
		if (!key) {
			rc = NRM_ENOMEM;
			continue;
		}
		json_t *list = json_object_get(groups, key);
		if (!list)
			json_object_set_new(groups, key, list = json_array());
		json_array_append(list, u);
		free(key);
	}
	const char *k;
	json_object_foreach(groups, k, g) {
		if (rc)
			break;
		rc = count_group(c, id, g, grids);
	}
	json_decref(facts);
	json_decref(groups);
	if (rc) {
		json_decref(grids);
		return rc;
	}
	*out = grids;
	return 0;
}

static int hold(struct nrm_ctx *c, int64_t id, void **out)
{
	bool any = false;
	int rc = store_fig_any(c->db, &any);
	if (rc || !any)
		return rc;
	struct held *h = calloc(1, sizeof *h);
	if (!h)
		return NRM_ENOMEM;
	if ((rc = units_here(c, &h->units)) || (rc = person(c, id, h->units, &h->grids))) {
		json_decref(h->units);
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

static void drop(void *p)
{
	struct held *h = p;
	if (!h)
		return;
	json_decref(h->units);
	json_decref(h->grids);
	free(h);
}

/* Changes the cells of unit `key` by after − before. */
static int change(struct store *s, const char *key, json_t *before, json_t *after)
{
	int64_t unit = strtoll(key, NULL, 10);
	const char *cell;
	json_t *v;
	int rc = 0;
	json_object_foreach(after, cell, v) {
		int64_t d = json_integer_value(v) - json_integer_value(json_object_get(before, cell));
		if (!rc && d)
			rc = store_fig_cell_add(s, unit, cell, d);
	}
	json_object_foreach(before, cell, v)
		if (!rc && !json_object_get(after, cell) && json_integer_value(v))
			rc = store_fig_cell_add(s, unit, cell, -json_integer_value(v));
	return rc;
}

static int apply(struct nrm_ctx *c, int64_t id, void *p)
{
	struct held *h = p;
	json_t *units = h ? json_incref(h->units) : NULL, *after = NULL, *empty = json_object();
	bool any = h != NULL;
	int rc = h ? 0 : store_fig_any(c->db, &any);
	if (!rc && any && !units)
		rc = units_here(c, &units);
	if (!rc && any)
		rc = person(c, id, units, &after);
	if (!rc && any) {
		size_t i;
		json_t *u;
		json_array_foreach(units, i, u) {
			char key[32];
			snprintf(key, sizeof key, "%lld", (long long)j_int(u, "id"));
			json_t *b = h ? json_object_get(h->grids, key) : NULL, *a = json_object_get(after, key);
			if ((a || b) && (rc = change(c->db, key, b ? b : empty, a ? a : empty)))
				break;
		}
	}
	json_decref(units);
	json_decref(after);
	json_decref(empty);
	drop(h);
	return rc;
}

static const struct case_watch watch = {hold, apply, drop};

void stats_units_watch(void)
{
	case_watch_set(&watch);
}
