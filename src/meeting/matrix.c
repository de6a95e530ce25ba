/* The national matrix of meetings (O94 §3.2-3.3): for every body with a required frequency,
 * the ordinary meetings of each month of a year, how many the frequency required in the windows
 * that have ended (every_months long, from January), how many of those windows had a meeting,
 * and how many had one on time — no later than every_months after the meeting before it. */
#include "meeting/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "store/meeting.h"
#include "store/org.h"

/* One body's row for the year. */
static int row_of(struct nrm_ctx *c, json_t *b, int year, json_t **out)
{
	json_t *rules = meeting_rules(c, b), *days = NULL;
	int every = (int)json_integer_value(json_object_get(rules, "every_months"));
	char last[DATE_LEN];
	date_format(date_from_ymd(year, 12, 31), last);
	int rc = store_meeting_days(c->db, j_int(b, "id"), "ordinary", last, &days);
	if (rc) {
		json_decref(rules);
		return rc;
	}
	int per_month[12] = {0}, required = 0, held = 0, on_time = 0;
	int32_t first_day = date_from_ymd(year, 1, 1), prev = -1, est = 0;
	if (*j_str(b, "established"))
		date_parse(j_str(b, "established"), &est);
	size_t i;
	json_t *m;
	/* Window w covers months [w*every, (w+1)*every): met when it holds a meeting, on time when
	 * that meeting came within `every` months of the one before (or of the body's founding). */
	bool met[12] = {false}, timely[12] = {false};
	json_array_foreach(days, i, m) {
		int32_t d;
		if (date_parse(j_str(m, "date"), &d) != 0 || d > c->today)
			continue;
		int y, mo, dd;
		date_to_ymd(d, &y, &mo, &dd);
		if (d >= first_day && y == year && every > 0) {
			per_month[mo - 1]++;
			int w = (mo - 1) / every;
			met[w] = true;
			int32_t base = prev >= 0 ? prev : est;
			timely[w] |= d <= date_add_months(base, every);
		}
		prev = d;
	}
	json_t *months = json_array();
	for (int k = 0; k < 12; k++)
		json_array_append_new(months, json_integer(per_month[k]));
	for (int w = 0; every > 0 && w * every < 12; w++) {
		int end_month = (w + 1) * every;
		int32_t window_end = date_add_months(first_day, end_month) - 1;
		int32_t window_start = date_add_months(first_day, w * every);
		/* A window counts once it has ended, and only when the body existed all along it. */
		if (window_end >= c->today || (est && window_start < est))
			continue;
		required++;
		held += met[w];
		on_time += met[w] && timely[w];
	}
	*out = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:O?, s:O?, s:o, s:i, s:i, s:i}", "body", (json_int_t)j_int(b, "id"),
			 "kind", j_str(b, "kind"), "county", *j_str(b, "county") ? j_str(b, "county") : NULL, "name",
			 j_str(b, "name_sq"), "name_en", j_str(b, "name_en"), "every_months",
			 json_object_get(rules, "every_months"), "basis", json_object_get(rules, "basis"), "months", months,
			 "required", required, "held", held, "on_time", on_time);
	json_decref(rules);
	json_decref(days);
	return 0;
}

int meeting_compliance_matrix(struct nrm_ctx *c, const char *year, json_t **out, struct nrm_err *err)
{
	char *end = NULL;
	int cy, cm, cd;
	date_to_ymd(c->today, &cy, &cm, &cd);
	/* Without a year, this one. */
	long y = year && *year ? strtol(year, &end, 10) : cy;
	if (year && *year && (*end || y < 2000 || y > 2200))
		return nrm_fail(err, NRM_EINVAL, KEY_out_of_range, "year", NULL);
	json_t *bodies = NULL, *rows = json_array(), *b, *row;
	size_t i;
	int rc = store_bodies(c->db, NULL, 0, &bodies);
	json_array_foreach(bodies, i, b) {
		if (rc)
			break;
		if (j_int(b, "meeting_every_months") <= 0 || meeting_access_of(c, b) == MA_NONE)
			continue;
		if (!(rc = row_of(c, b, (int)y, &row)))
			json_array_append_new(rows, row);
	}
	json_decref(bodies);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return 0;
}
