/* Periods the figures are counted over: a month ("2025-09"), a quarter ("2025Q3"), a half
 * ("2025H2"), a year ("2025"), or days from one to another ("2025-01-01..2025-03-31"). */
#ifndef NRM_CORE_PERIOD_H
#define NRM_CORE_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

enum period_kind { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_HALF, PERIOD_YEAR, PERIOD_RANGE };

struct period {
	enum period_kind kind;
	int32_t first, last; /* day numbers, both included */
	char name[32];       /* as written canonically: "2025Q3" */
};

/* Parses s; on failure fills err naming `field` (key period_format, or date_* for a range). */
int period_parse(const char *s, const char *field, struct period *out, struct nrm_err *err);
/* The calendar period of the same kind just before p (a range: the same number of days). */
struct period period_previous(const struct period *p);
/* Whether the period is over on day `today` (its last day is before it). */
bool period_ended(const struct period *p, int32_t today);
/* Whether p is a calendar period (not a range of days). */
bool period_is_calendar(const struct period *p);

#endif
