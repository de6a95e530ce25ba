/* Calendar dates as day numbers (days since 1970-01-01), ISO 8601 text, and the civil
 * date and time in Europe/Tirane, computed without the C library's global time zone. */
#ifndef NRM_CORE_DATE_H
#define NRM_CORE_DATE_H

#include <stdint.h>
#include <time.h>

#include "core/err.h"

#define DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" (a real calendar day, years 1900..2200).
 * Returns 0 and writes *days, or NRM_EINVAL. */
int date_parse(const char *s, int32_t *days);
/* date_parse for a field of a request: on failure fills err naming field, with the key
 * date_format (not written YYYY-MM-DD), date_nonexistent (written so, but no such day:
 * 2026-02-31) or out_of_range (a year before 1900 or after 2200). */
int date_field(const char *s, const char *field, int32_t *days, struct nrm_err *err);
void date_format(int32_t days, char out[DATE_LEN]);

/* Adds calendar months, clamping the day to the month's end (31 Jan + 1 month = 28/29 Feb). */
int32_t date_add_months(int32_t days, int months);

/* Offset of Europe/Tirane from UTC at instant t, in seconds (CET +1h, CEST +2h under the EU rule). */
int date_tirane_offset(time_t t);
/* The civil date in Tirane at instant t. */
int32_t date_tirane_today(time_t t);
/* UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" of instant t. */
void date_utc_stamp(time_t t, char out[21]);
/* The instant of such a stamp (a date alone is its midnight UTC). Returns 0, or NRM_EINVAL. */
int date_stamp_parse(const char *s, time_t *t);

#endif
