/* Date arithmetic (Howard Hinnant's days-from-civil algorithm) and Tirane local time. */
#include "core/date.h"
#include "core/err.h"

#include <string.h>

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int dd = doy - (153 * mp + 2) / 5 + 1;
	int mm = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (mm <= 2);
	*m = mm;
	*d = dd;
}

static int month_days(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : n[m - 1];
}

int date_parse(const char *s, int32_t *days)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return NRM_EINVAL;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return NRM_EINVAL;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return NRM_EINVAL;
	*days = date_from_ymd(y, m, d);
	return 0;
}

/* Writes v as exactly n decimal digits. */
static void digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

void date_format(int32_t days, char out[DATE_LEN])
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	digits(out, y, 4);
	out[4] = '-';
	digits(out + 5, m, 2);
	out[7] = '-';
	digits(out + 8, d, 2);
	out[10] = '\0';
}

int32_t date_add_months(int32_t days, int months)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	int idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return date_from_ymd(y, m, d);
}

/* Seconds since the epoch of 01:00 UTC on the last Sunday of month m in year y. */
static int64_t last_sunday_0100(int y, int m)
{
	int32_t last = date_from_ymd(y, m, month_days(y, m));
	int wd = (int)((last + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
	if (wd < 0)
		wd += 7;
	return ((int64_t)(last - wd)) * 86400 + 3600;
}

int date_tirane_offset(time_t t)
{
	int64_t s = (int64_t)t;
	int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
	int y, m, d;
	date_to_ymd((int32_t)day, &y, &m, &d);
	return s >= last_sunday_0100(y, 3) && s < last_sunday_0100(y, 10) ? 7200 : 3600;
}

int32_t date_tirane_today(time_t t)
{
	int64_t s = (int64_t)t + date_tirane_offset(t);
	return (int32_t)(s >= 0 ? s / 86400 : (s - 86399) / 86400);
}

void date_utc_stamp(time_t t, char out[21])
{
	int64_t s = (int64_t)t;
	int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
	int64_t sec = s - day * 86400;
	int y, m, d;
	date_to_ymd((int32_t)day, &y, &m, &d);
	date_format(date_from_ymd(y, m, d), out);
	out[10] = 'T';
	digits(out + 11, (int)(sec / 3600), 2);
	out[13] = ':';
	digits(out + 14, (int)(sec / 60 % 60), 2);
	out[16] = ':';
	digits(out + 17, (int)(sec % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
}
