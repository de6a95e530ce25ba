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

enum { DATE_OK, DATE_FORMAT, DATE_NO_DAY, DATE_RANGE };

static int check(const char *s, int32_t *days)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return DATE_FORMAT;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return DATE_FORMAT;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return DATE_FORMAT;
	if (d > month_days(y, m))
		return DATE_NO_DAY;
	if (y < 1900 || y > 2200)
		return DATE_RANGE;
	*days = date_from_ymd(y, m, d);
	return DATE_OK;
}

int date_parse(const char *s, int32_t *days)
{
	return check(s, days) == DATE_OK ? 0 : NRM_EINVAL;
}

int date_field(const char *s, const char *field, int32_t *days, struct nrm_err *err)
{
	switch (check(s, days)) {
	case DATE_OK: return 0;
	case DATE_NO_DAY: return nrm_fail(err, NRM_EINVAL, KEY_date_nonexistent, field, NULL);
	case DATE_RANGE: return nrm_fail(err, NRM_EINVAL, KEY_out_of_range, field, NULL);
	default: return nrm_fail(err, NRM_EINVAL, KEY_date_format, field, NULL);
	}
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

int date_stamp_parse(const char *s, time_t *t)
{
	char day[DATE_LEN];
	int32_t d;
	if (!s || strlen(s) < 10)
		return NRM_EINVAL;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != 0)
		return NRM_EINVAL;
	int64_t secs = 0;
	if (s[10]) {
		const char *x = s + 10;
		if (strlen(x) != 10 || x[0] != 'T' || x[3] != ':' || x[6] != ':' || x[9] != 'Z')
			return NRM_EINVAL;
		for (int i = 1; i < 9; i++)
			if (i != 3 && i != 6 && (x[i] < '0' || x[i] > '9'))
				return NRM_EINVAL;
		int h = (x[1] - '0') * 10 + (x[2] - '0'), m = (x[4] - '0') * 10 + (x[5] - '0');
		int sec = (x[7] - '0') * 10 + (x[8] - '0');
		if (h > 23 || m > 59 || sec > 59)
			return NRM_EINVAL;
		secs = h * 3600 + m * 60 + sec;
	}
	*t = (time_t)((int64_t)d * 86400 + secs);
	return 0;
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
