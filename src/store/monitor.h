/* What the KRAT scorecard (src/monitor/) reads that no other store function gives: the
 * scorecard's definitions, the tasks due in a period with the day each was done, the
 * nominations that began in a period with the vacancy before each, and the county reports with
 * their first delivery. Read-only. json_t ** outputs are new references, written only on success. */
#ifndef NRM_STORE_MONITOR_H
#define NRM_STORE_MONITOR_H

#include "store/db.h"

/* data/monitor/scorecard.json as `nrm init` / `nrm forms load` stored it; NRM_ENOTFOUND when absent. */
int store_monitor_definition(struct store *s, json_t **out);
/* Tasks of county bodies (county 0: every county) due from `first` to `last` and not cancelled:
 * [{"id", "county_id", "body_kind", "status", "due", "done_on" (the day it was first marked done,
 * UTC, or null)}]. */
int store_monitor_tasks(struct store *s, int64_t county, const char *first, const char *last, json_t **out);
/* Nominations to seats of county bodies (county 0: every county) starting from `first` to
 * `last`: [{"id", "county_id", "body_kind", "established", "nomination_days", "institution_type",
 * "start", "prev_end" (the latest end of the seat's earlier memberships, or null)}]. */
int store_monitor_nominations(struct store *s, int64_t county, const char *first, const char *last, json_t **out);
/* Reports of county bodies (county 0: every county): [{"county_id", "type", "period", "due",
 * "delivered_on" (the day of its first delivery, UTC, or null)}]. */
int store_monitor_reports(struct store *s, int64_t county, json_t **out);

#endif
