/* The one clock of nrm. Every "now" — timestamps written to the database, session expiry,
 * today's date in Tirane — comes from here, never from SQL's 'now' or a stray time(), so
 * tests and the demo data can set it. The clock runs: setting it fixes an offset from the
 * system's real time. Safe to read from any thread. */
#ifndef NRM_CORE_CLOCK_H
#define NRM_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Seconds since the epoch, UTC. */
time_t clock_now(void);
/* Makes clock_now() answer t now and run on from there. */
void clock_set(time_t t);
/* Back to the system's time. */
void clock_reset(void);
/* Sets the clock from an ISO 8601 UTC stamp "YYYY-MM-DDTHH:MM:SSZ" or a date "YYYY-MM-DD"
 * (midnight UTC). Returns 0, or NRM_EINVAL. */
int clock_set_iso(const char *iso);

/* "YYYY-MM-DDTHH:MM:SSZ" of clock_now(). */
void clock_stamp(char out[21]);
/* Today's civil date in Tirane, as a day number. */
int32_t clock_today(void);

#endif
