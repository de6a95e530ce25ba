/* The clock: the system's time plus an offset that tests and the demo may set. */
#include "core/clock.h"

#include <stdatomic.h>

#include "core/date.h"
#include "core/err.h"

static _Atomic int64_t offset;

time_t clock_now(void)
{
	return time(NULL) + (time_t)atomic_load(&offset);
}

void clock_set(time_t t)
{
	atomic_store(&offset, (int64_t)(t - time(NULL)));
}

void clock_reset(void)
{
	atomic_store(&offset, 0);
}

int clock_set_iso(const char *iso)
{
	time_t t;
	if (date_stamp_parse(iso, &t) != 0)
		return NRM_EINVAL;
	clock_set(t);
	return 0;
}

void clock_stamp(char out[21])
{
	date_utc_stamp(clock_now(), out);
}

int32_t clock_today(void)
{
	return date_tirane_today(clock_now());
}
