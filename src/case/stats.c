/* Figures of the National Database as of any day, computed from the case events: persons,
 * not records (merged duplicates count once), with small cells suppressed for those outside
 * the Authority. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case/internal.h"
#include "core/date.h"
#include "store/org.h"

#define SMALL_CELL 5

static void bump(json_t *obj, const char *key)
{
	if (!key || !*key)
		key = "unknown";
	json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + 1));
}

/* Replaces counts of 1..4 by "<5", and when a dimension then has exactly one suppressed
 * cell, also its smallest other cell, so the hidden one cannot be worked out from the total. */
static void suppress(json_t *dim)
{
	const char *k, *hidden = NULL, *smallest = NULL;
	json_t *v;
	int n = 0;
	json_int_t min = 0;
	json_object_foreach(dim, k, v) {
		json_int_t x = json_integer_value(v);
		if (x > 0 && x < SMALL_CELL) {
			n++;
			hidden = k;
		} else if (x >= SMALL_CELL && (!smallest || x < min)) {
			smallest = k;
			min = x;
		}
	}
	(void)hidden;
	json_t *copy = json_deep_copy(dim);
	json_object_foreach(copy, k, v) {
		json_int_t x = json_integer_value(v);
		if ((x > 0 && x < SMALL_CELL) || (n == 1 && smallest && strcmp(k, smallest) == 0))
			json_object_set_new(dim, k, json_string("<5"));
	}
	json_decref(copy);
}

int case_stats(struct nrm_ctx *c, const char *as_of, const char *county, json_t **out, struct nrm_err *err)
{
	int32_t day;
	if (!as_of || date_parse(as_of, &day) != 0)
		return date_field(as_of, "as_of", &day, err);
	int64_t cid = 0;
	if (county && *county && store_county_id(c->db, county, &cid) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	const struct principal *p = c->me;
	if (role_scope(p->role) == SCOPE_COUNTY) {
		if (cid && cid != p->county_id)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_own_county, "county", NULL);
		cid = p->county_id;
	} else if (p->role == ROLE_CASEWORKER || p->role == ROLE_DPO) {
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_stats_role, NULL, NULL);
	}
	/* The end of that day in Tirane, as the UTC timestamps of the events. */
	time_t midnight = (time_t)(day + 1) * 86400;
	char end[21];
	date_utc_stamp(midnight - date_tirane_offset(midnight - 12 * 3600) - 1, end);
	json_t *rows;
	int rc = store_case_states_asof(c->db, end, &rows);
	if (rc)
		return rc;
	json_t *by_stage = json_object(), *by_status = json_object(), *by_sex = json_object(), *by_age = json_object(),
	       *by_county = json_object(), *by_expl = json_object(), *child = json_object();
	json_t *counties;
	if ((rc = store_counties(c->db, &counties))) {
		json_decref(rows);
		return rc;
	}
	int persons = 0;
	size_t i, j;
	json_t *r, *k;
	json_array_foreach(rows, i, r) {
		json_t *st = json_object_get(r, "state");
		if (json_is_true(json_object_get(st, "merged")))
			continue;
		int64_t sc = j_int(st, "county");
		if (cid && sc != cid)
			continue;
		persons++;
		bump(by_stage, j_str(st, "stage"));
		bump(by_status, j_str(st, "status"));
		bump(by_sex, j_str(st, "sex"));
		bump(by_age, j_str(st, "age_band"));
		bump(child, json_is_true(json_object_get(st, "is_child")) ? "child" : "adult");
		json_array_foreach(counties, j, k)
			if (j_int(k, "id") == sc)
				bump(by_county, j_str(k, "slug"));
		json_t *e;
		json_array_foreach(json_object_get(st, "exploitation"), j, e)
			bump(by_expl, json_string_value(e));
	}
	json_decref(rows);
	json_decref(counties);
	bool suppressed = !role_is_authority(p->role);
	json_t *dims[] = {by_stage, by_status, by_sex, by_age, by_county, by_expl, child};
	if (suppressed)
		for (size_t d = 0; d < sizeof dims / sizeof *dims; d++)
			suppress(dims[d]);
	json_t *total = suppressed && persons > 0 && persons < SMALL_CELL ? json_string("<5") : json_integer(persons);
	*out = json_pack("{s:s, s:s?, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "as_of", as_of, "county",
			 county && *county ? county : NULL, "persons", total, "by_stage", by_stage, "by_status", by_status,
			 "by_sex", by_sex, "by_age_band", by_age, "by_county", by_county, "by_exploitation", by_expl,
			 "children", child, "small_cells_suppressed", suppressed);
	return 0;
}
