/* Whether a body meets as often as the acts require (I132 §7: the Authority at least once a
 * calendar month; O94 §2.2: a KRAT at least once in three months; O94 §1.6: a Technical Table
 * every two months): its last ordinary meeting, the day the next one is due, and whether it
 * is overdue, from the rules of data/org/bodies.json. */
#include "meeting/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "store/meeting.h"
#include "store/org.h"

static int32_t month_end(int32_t day, int months)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return date_add_months(date_from_ymd(y, m, 1), months + 1) - 1;
}

int meeting_compliance(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *body = NULL, *rules = NULL, *days = NULL, *m;
	char *next = NULL;
	char today[DATE_LEN], due[DATE_LEN];
	int rc = store_body_get(c->db, id, &body);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	if (meeting_access_of(c, body) == MA_NONE) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, NULL, NULL);
		goto done;
	}
	date_format(c->today, today);
	rules = meeting_rules(c, body);
	if ((rc = store_meeting_days(c->db, id, "ordinary", today, &days)))
		goto done;
	/* The next meeting already scheduled, if any. */
	if ((rc = store_meeting_next_day(c->db, id, today, &next)) == NRM_ENOTFOUND)
		rc = 0;
	if (rc)
		goto done;
	json_t *last = json_array_get(days, json_array_size(days) - 1);
	const char *last_day = json_array_size(days) ? j_str(last, "date") : NULL;
	size_t i;
	int every = (int)json_integer_value(json_object_get(rules, "every_months"));
	const char *est = *j_str(body, "established") ? j_str(body, "established") : NULL;
	int32_t base = 0;
	bool have_base = (last_day && date_parse(last_day, &base) == 0) || (est && date_parse(est, &base) == 0);
	bool due_known = every > 0 && have_base;
	if (due_known) {
		/* Calendar months: a meeting in every month (from the one after the last meeting, or
		 * the month the body was established); otherwise within `every` months of the last. */
		bool calendar = strcmp(j_str(rules, "basis"), "calendar_month") == 0;
		int32_t d = calendar ? month_end(base, last_day ? every : every - 1) : date_add_months(base, every);
		date_format(d, due);
	}
	int held_year = 0;
	json_array_foreach(days, i, m) {
		int32_t d;
		held_year += date_parse(j_str(m, "date"), &d) == 0 && d > date_add_months(c->today, -12);
	}
	*out = json_pack("{s:I, s:s, s:O?, s:O?, s:s?, s:s?, s:o, s:s?, s:i}", "body", (json_int_t)id, "kind",
			 j_str(body, "kind"), "every_months", json_object_get(rules, "every_months"), "basis",
			 json_object_get(rules, "basis"), "last_meeting", last_day, "next_due", due_known ? due : NULL,
			 "overdue", json_boolean(due_known && strcmp(today, due) > 0), "next_meeting", next,
			 "held_last_12_months", held_year);
done:
	json_decref(body);
	json_decref(rules);
	json_decref(days);
	free(next);
	return rc;
}
