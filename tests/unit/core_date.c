/* core/date: calendar arithmetic and Tirane local time. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/clock.h"
#include "core/date.h"
#include "core/err.h"

Test(date, parses_and_formats_round_trip)
{
	int32_t d;
	cr_assert_eq(date_parse("2025-06-27", &d), 0);
	char out[DATE_LEN];
	date_format(d, out);
	cr_expect_str_eq(out, "2025-06-27");
	cr_expect_eq(date_from_ymd(1970, 1, 1), 0);
	cr_expect_eq(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2, "2000 is a leap year");
	cr_expect_eq(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28), 1, "1900 is not");
}

Test(date, refuses_what_is_not_a_calendar_day)
{
	int32_t d = 42;
	static const char *const bad[] = {"2025-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "27.06.2025",
					  "2025-6-27", "2025-06-27T00:00", "", "abcd-ef-gh", "1899-12-31"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_expect_eq(date_parse(bad[i], &d), NRM_EINVAL, "%s", bad[i]);
	cr_expect_eq(d, 42, "the out-parameter is written only on success");
	cr_expect_eq(date_parse("2024-02-29", &d), 0);
	cr_expect_eq(date_parse(NULL, &d), NRM_EINVAL);
}

Test(date, the_15_day_deadline_of_order_94)
{
	int32_t d;
	date_parse("2025-06-27", &d);
	char out[DATE_LEN];
	date_format(d + 15, out);
	cr_expect_str_eq(out, "2025-07-12");
}

Test(date, adds_months_clamping_to_the_month_end)
{
	int32_t d;
	char out[DATE_LEN];
	date_parse("2025-01-31", &d);
	date_format(date_add_months(d, 1), out);
	cr_expect_str_eq(out, "2025-02-28");
	date_parse("2024-01-31", &d);
	date_format(date_add_months(d, 1), out);
	cr_expect_str_eq(out, "2024-02-29");
	date_parse("2025-11-15", &d);
	date_format(date_add_months(d, 3), out);
	cr_expect_str_eq(out, "2026-02-15");
	date_format(date_add_months(d, -12), out);
	cr_expect_str_eq(out, "2024-11-15");
}

/* Seconds since the epoch of a UTC date and time. */
static time_t utc(int y, int m, int d, int hh, int mm)
{
	return (time_t)date_from_ymd(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

Test(date, tirane_follows_central_european_summer_time)
{
	cr_expect_eq(date_tirane_offset(utc(2025, 1, 15, 12, 0)), 3600);
	cr_expect_eq(date_tirane_offset(utc(2025, 7, 15, 12, 0)), 7200);
	/* 2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC. */
	cr_expect_eq(date_tirane_offset(utc(2025, 3, 30, 0, 59)), 3600);
	cr_expect_eq(date_tirane_offset(utc(2025, 3, 30, 1, 0)), 7200);
	cr_expect_eq(date_tirane_offset(utc(2025, 10, 26, 0, 59)), 7200);
	cr_expect_eq(date_tirane_offset(utc(2025, 10, 26, 1, 0)), 3600);
}

Test(date, tirane_today_changes_at_local_midnight)
{
	int32_t d;
	date_parse("2025-07-01", &d);
	cr_expect_eq(date_tirane_today(utc(2025, 6, 30, 22, 30)), d, "00:30 in Tirane (CEST)");
	cr_expect_eq(date_tirane_today(utc(2025, 6, 30, 21, 30)), d - 1);
	date_parse("2025-12-01", &d);
	cr_expect_eq(date_tirane_today(utc(2025, 11, 30, 23, 30)), d, "00:30 in Tirane (CET)");
}

Test(date, utc_stamps)
{
	char s[21];
	date_utc_stamp(utc(2025, 6, 27, 9, 5) + 7, s);
	cr_expect_str_eq(s, "2025-06-27T09:05:07Z");
}

Test(date, a_date_that_does_not_exist_is_told_apart_from_a_badly_written_one)
{
	struct nrm_err err = {0};
	int32_t d;
	cr_expect_eq(date_field("2026-02-31", "start", &d, &err), NRM_EINVAL);
	cr_expect_str_eq(nrm_key_name(err.key), "date_nonexistent");
	cr_expect_str_eq(err.field, "start");
	cr_expect_eq(date_field("2025-02-29", "start", &d, &err), NRM_EINVAL, "2025 is not a leap year");
	cr_expect_str_eq(nrm_key_name(err.key), "date_nonexistent");
	cr_expect_eq(date_field("31.02.2026", "start", &d, &err), NRM_EINVAL);
	cr_expect_str_eq(nrm_key_name(err.key), "date_format");
	cr_expect_eq(date_field("2026-13-01", "start", &d, &err), NRM_EINVAL);
	cr_expect_str_eq(nrm_key_name(err.key), "date_format");
	cr_expect_eq(date_field("1850-01-01", "start", &d, &err), NRM_EINVAL);
	cr_expect_str_eq(nrm_key_name(err.key), "out_of_range");
	cr_expect_eq(date_field("2024-02-29", "start", &d, &err), 0);
	cr_expect_eq(d, date_from_ymd(2024, 2, 29));
}

Test(date, the_clock_can_be_set_and_runs_on)
{
	cr_assert_eq(clock_set_iso("2025-03-30T00:30:00Z"), 0);
	time_t t = clock_now();
	cr_expect(t >= 1743294600 && t < 1743294600 + 5, "%lld", (long long)t);
	cr_expect_eq(clock_today(), date_from_ymd(2025, 3, 30), "01:30 in Tirane");
	char s[21];
	clock_stamp(s);
	cr_expect_eq(strncmp(s, "2025-03-30T00:30:0", 18), 0, "%s", s);
	cr_assert_eq(clock_set_iso("2025-12-31"), 0);
	cr_expect_eq(clock_today(), date_from_ymd(2025, 12, 31));
	cr_expect_eq(clock_set_iso("2025-12-31T25:00:00Z"), NRM_EINVAL);
	cr_expect_eq(clock_set_iso("yesterday"), NRM_EINVAL);
	clock_reset();
	cr_expect(clock_now() - time(NULL) < 2);
	time_t back;
	cr_expect_eq(date_stamp_parse("2025-03-30T00:30:00Z", &back), 0);
	cr_expect_eq(back, 1743294600);
}
