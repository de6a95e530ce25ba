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

/* The month a day falls in, counted from year 0 (windows of every_months from January line up
 * across years, since every frequency divides 12). */
static int month_no(int32_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return y * 12 + m - 1;
}

static int32_t month_start(int n)
{
	return date_from_ymd(n / 12, n % 12 + 1, 1);
}

/* Over the held ordinary meetings `days` (oldest first), the windows of a body's frequency that
 * end from first to last: window w covers months [w*every, (w+1)*every); it counts once it has
 * ended, and only when the body existed all along it; it is met when it holds a meeting, on
 * time when that meeting came within `every` months of the one before (or of the founding). */
static void windows(struct nrm_ctx *c, json_t *b, int every, json_t *days, int32_t first, int32_t last, int *required,
		    int *held, int *on_time)
{
	*required = *held = *on_time = 0;
	if (every <= 0 || last < first)
		return;
	int32_t est = 0, prev = -1;
	if (*j_str(b, "established"))
		date_parse(j_str(b, "established"), &est);
	int w0 = month_no(first) / every, w1 = month_no(last) / every, n = w1 - w0 + 1;
	bool *met = calloc((size_t)n, sizeof *met), *timely = calloc((size_t)n, sizeof *timely);
	if (!met || !timely) {
		free(met);
		free(timely);
		return;
	}
	size_t i;
	json_t *m;
	json_array_foreach(days, i, m) {
		int32_t d;
		if (date_parse(j_str(m, "date"), &d) != 0 || d > c->today)
			continue;
		int w = month_no(d) / every;
		if (w >= w0 && w <= w1) {
			met[w - w0] = true;
			timely[w - w0] |= d <= date_add_months(prev >= 0 ? prev : est, every);
		}
		prev = d;
	}
	for (int w = w0; w <= w1; w++) {
		int32_t start = month_start(w * every), end = month_start((w + 1) * every) - 1;
		if (end < first || end > last || end >= c->today || (est && start < est))
			continue;
		(*required)++;
		*held += met[w - w0];
		*on_time += met[w - w0] && timely[w - w0];
	}
	free(met);
	free(timely);
}

int meeting_windows(struct nrm_ctx *c, json_t *body, int32_t first, int32_t last, int *required, int *held,
		    int *on_time)
{
	json_t *rules = meeting_rules(c, body), *days = NULL;
	int every = (int)json_integer_value(json_object_get(rules, "every_months"));
	char upto[DATE_LEN];
	date_format(last, upto);
	int rc = store_meeting_days(c->db, j_int(body, "id"), "ordinary", upto, &days);
	if (!rc)
		windows(c, body, every, days, first, last, required, held, on_time);
	json_decref(rules);
	json_decref(days);
	return rc;
}

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
	int per_month[12] = {0}, required, held, on_time;
	int32_t first_day = date_from_ymd(year, 1, 1);
	size_t i;
	json_t *m;
	json_array_foreach(days, i, m) {
		int32_t d;
		int y, mo, dd;
		if (date_parse(j_str(m, "date"), &d) != 0 || d > c->today || d < first_day)
			continue;
		date_to_ymd(d, &y, &mo, &dd);
		per_month[mo - 1] += y == year && every > 0;
	}
	windows(c, b, every, days, first_day, date_from_ymd(year, 12, 31), &required, &held, &on_time);
	json_t *months = json_array();
	for (int k = 0; k < 12; k++)
		json_array_append_new(months, json_integer(per_month[k]));
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
