/* Shared by the files of src/monitor/ (not part of its interface). */
#ifndef NRM_MONITOR_INTERNAL_H
#define NRM_MONITOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/monitor.h"

/* Whether the caller reads the scorecard of county slug (NULL or "": every county it reads):
 * *county gets the county's id, 0 for every county (national roles only); *national whether
 * the caller reads the national row. scorecard_role / scorecard_own_county (403), or
 * unknown_county (400) naming "county". */
int monitor_scope(struct nrm_ctx *c, const char *county, int64_t *cid, bool *national, struct nrm_err *err);

#endif
