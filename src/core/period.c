/* Periods. */
#include "core/period.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A calendar period of `months` months from month m (1-based) of year y. */
static void span(struct period *p, enum period_kind k, int y, int m, int months)
{
	p->kind = k;
	p->first = date_from_ymd(y, m, 1);
	p->last = date_add_months(p->first, months) - 1;
	switch (k) {
	case PERIOD_MONTH: snprintf(p->name, sizeof p->name, "%04d-%02d", y, m); break;
	case PERIOD_QUARTER: snprintf(p->name, sizeof p->name, "%04dQ%d", y, (m - 1) / 3 + 1); break;
	case PERIOD_HALF: snprintf(p->name, sizeof p->name, "%04dH%d", y, (m - 1) / 6 + 1); break;
	default: snprintf(p->name, sizeof p->name, "%04d", y); break;
	}
}

int period_parse(const char *s, const char *field, struct period *out, struct nrm_err *err)
{
	size_t n = s ? strlen(s) : 0;
	int y = n >= 4 ? digits(s, 4) : -1, v;
	struct period p = {0};
	if (n == 22 && strncmp(s + 10, "..", 2) == 0) {
		char a[DATE_LEN], b[DATE_LEN];
		memcpy(a, s, 10);
		a[10] = '\0';
		memcpy(b, s + 12, 10);
		b[10] = '\0';
		int rc;
		if ((rc = date_field(a, field, &p.first, err)) || (rc = date_field(b, field, &p.last, err)))
			return rc;
		if (p.last < p.first)
			return nrm_fail(err, NRM_EINVAL, KEY_period_format, field, NULL);
		p.kind = PERIOD_RANGE;
		snprintf(p.name, sizeof p.name, "%s..%s", a, b);
	} else if (y < 1900 || y > 2200) {
		return nrm_fail(err, NRM_EINVAL, KEY_period_format, field, NULL);
	} else if (n == 4) {
		span(&p, PERIOD_YEAR, y, 1, 12);
	} else if (n == 6 && s[4] == 'Q' && (v = digits(s + 5, 1)) >= 1 && v <= 4) {
		span(&p, PERIOD_QUARTER, y, (v - 1) * 3 + 1, 3);
	} else if (n == 6 && s[4] == 'H' && (v = digits(s + 5, 1)) >= 1 && v <= 2) {
		span(&p, PERIOD_HALF, y, (v - 1) * 6 + 1, 6);
	} else if (n == 7 && s[4] == '-' && (v = digits(s + 5, 2)) >= 1 && v <= 12) {
		span(&p, PERIOD_MONTH, y, v, 1);
	} else {
		return nrm_fail(err, NRM_EINVAL, KEY_period_format, field, NULL);
	}
	*out = p;
	return 0;
}

struct period period_previous(const struct period *p)
{
	struct period q = *p;
	int y, m, d;
	date_to_ymd(p->first, &y, &m, &d);
	switch (p->kind) {
	case PERIOD_MONTH: span(&q, p->kind, m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1, 1); break;
	case PERIOD_QUARTER: span(&q, p->kind, m == 1 ? y - 1 : y, m == 1 ? 10 : m - 3, 3); break;
	case PERIOD_HALF: span(&q, p->kind, m == 1 ? y - 1 : y, m == 1 ? 7 : 1, 6); break;
	case PERIOD_YEAR: span(&q, p->kind, y - 1, 1, 12); break;
	case PERIOD_RANGE: {
		int32_t len = p->last - p->first + 1;
		char a[DATE_LEN], b[DATE_LEN];
		q.first = p->first - len;
		q.last = p->first - 1;
		date_format(q.first, a);
		date_format(q.last, b);
		snprintf(q.name, sizeof q.name, "%s..%s", a, b);
		break;
	}
	}
	return q;
}

bool period_ended(const struct period *p, int32_t today)
{
	return p->last < today;
}

bool period_is_calendar(const struct period *p)
{
	return p->kind != PERIOD_RANGE;
}
