/* The Ministry's national lists: every seat whose nomination is overdue, grouped by the type of
 * institution that must nominate; the counties without an agreement in force with a
 * prosecution office (Order 94 §1.3). */
#include "monitor/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "org/org.h"
#include "store/agreement.h"
#include "store/org.h"

static int by_days(const void *a, const void *b)
{
	json_int_t x = j_int(*(json_t *const *)a, "days_overdue"), y = j_int(*(json_t *const *)b, "days_overdue");
	return (x < y) - (x > y);
}

int monitor_seats_overdue(struct nrm_ctx *c, const char *county, json_t **out, struct nrm_err *err)
{
	int64_t cid;
	bool national;
	int rc = monitor_scope(c, county, &cid, &national, err);
	if (rc)
		return rc;
	json_t *seats = NULL, *types = NULL, *groups = json_array(), *t, *s;
	if ((rc = org_nominations_overdue(c, cid, &seats, err)) || (rc = store_institution_types(c->db, &types))) {
		json_decref(seats);
		json_decref(groups);
		return rc;
	}
	/* Only seats of county bodies: the scorecard is about the KRATs. */
	size_t i, j, n = 0;
	json_array_append_new(types, json_pack("{s:s, s:s, s:s}", "code", "", "name_sq", "Pa institucion", "name_en",
					       "No institution"));
	json_array_foreach(types, i, t) {
		const char *code = j_str(t, "code");
		size_t count = 0;
		json_t **items = malloc((json_array_size(seats) + 1) * sizeof *items);
		if (!items) {
			rc = NRM_ENOMEM;
			break;
		}
		json_array_foreach(seats, j, s)
			if (*j_str(s, "county") && strcmp(j_str(s, "institution_type"), code) == 0)
				items[count++] = s;
		if (count) {
			qsort(items, count, sizeof *items, by_days);
			json_t *list = json_array();
			for (size_t k = 0; k < count; k++)
				json_array_append(list, items[k]);
			json_array_append_new(groups, json_pack("{s:s, s:{s:s, s:s}, s:i, s:o}", "type", *code ? code : "other",
								"label", "sq", j_str(t, "name_sq"), "en", j_str(t, "name_en"),
								"seats", (int)count, "items", list));
			n += count;
		}
		free(items);
	}
	json_decref(seats);
	json_decref(types);
	if (rc) {
		json_decref(groups);
		return rc;
	}
	*out = json_pack("{s:o, s:i}", "groups", groups, "total", (int)n);
	return 0;
}

int monitor_agreements_missing(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	int64_t cid;
	bool national;
	int rc = monitor_scope(c, NULL, &cid, &national, err);
	if (rc)
		return rc;
	json_t *counties = NULL, *list = NULL, *items = json_array(), *k, *a;
	if ((rc = store_counties(c->db, &counties)) || (rc = store_agreements(c->db, cid, 0, 100000, &list))) {
		json_decref(counties);
		json_decref(items);
		return rc;
	}
	char today[DATE_LEN];
	date_format(c->today, today);
	size_t i, j;
	json_array_foreach(counties, i, k) {
		if (cid && j_int(k, "id") != cid)
			continue;
		bool prosecution = false;
		int others = 0;
		const char *last_until = NULL;
		json_array_foreach(list, j, a) {
			if (j_int(a, "county_id") != j_int(k, "id"))
				continue;
			const char *from = *j_str(a, "valid_from") ? j_str(a, "valid_from") : j_str(a, "signed"),
				   *until = j_str(a, "valid_until");
			bool with_prosecution = strncmp(j_str(a, "counterpart_kind"), "prosecution", 11) == 0;
			bool in_force = strcmp(from, today) <= 0 && (!*until || strcmp(until, today) >= 0);
			if (in_force) {
				prosecution |= with_prosecution;
				others += !with_prosecution;
			} else if (with_prosecution && *until && strcmp(until, today) < 0 &&
				   (!last_until || strcmp(until, last_until) > 0)) {
				last_until = until;
			}
		}
		if (!prosecution)
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:i, s:s?}", "county", j_str(k, "slug"), "name",
							       j_str(k, "name_sq"), "name_en", j_str(k, "name_en"),
							       "agreements_in_force", others, "last_until", last_until));
	}
	json_decref(counties);
	json_decref(list);
	*out = items;
	return 0;
}
