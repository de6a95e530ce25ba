/* core/period: the periods figures are counted over. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/date.h"
#include "core/err.h"
#include "core/period.h"

static void expect_span(const char *s, const char *first, const char *last, const char *name)
{
	struct period p;
	struct nrm_err err = {0};
	cr_assert_eq(period_parse(s, "period", &p, &err), 0, "%s: %s", s, err.msg);
	char a[DATE_LEN], b[DATE_LEN];
	date_format(p.first, a);
	date_format(p.last, b);
	cr_expect_str_eq(a, first, "%s", s);
	cr_expect_str_eq(b, last, "%s", s);
	cr_expect_str_eq(p.name, name, "%s", s);
}

Test(period, months_quarters_halves_years_and_ranges_have_their_days)
{
	expect_span("2024-02", "2024-02-01", "2024-02-29", "2024-02");
	expect_span("2025Q3", "2025-07-01", "2025-09-30", "2025Q3");
	expect_span("2025Q4", "2025-10-01", "2025-12-31", "2025Q4");
	expect_span("2025H1", "2025-01-01", "2025-06-30", "2025H1");
	expect_span("2025H2", "2025-07-01", "2025-12-31", "2025H2");
	expect_span("2025", "2025-01-01", "2025-12-31", "2025");
	expect_span("2025-01-15..2025-03-31", "2025-01-15", "2025-03-31", "2025-01-15..2025-03-31");
}

Test(period, anything_else_is_refused_with_the_field_named)
{
	static const char *const bad[] = {"", "25", "2025Q5", "2025Q0", "2025H3", "2025-13", "2025-00", "2025-1",
					  "Q3-2025", "1899", "2025-03-31..2025-01-01", "2025-02-30..2025-03-01", "2025q3"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct period p = {.first = 42};
		struct nrm_err err = {0};
		cr_expect_eq(period_parse(bad[i], "period", &p, &err), NRM_EINVAL, "%s", bad[i]);
		cr_expect_str_eq(err.field, "period", "%s", bad[i]);
		cr_expect_eq(p.first, 42, "%s: the out-parameter is written only on success", bad[i]);
	}
	struct nrm_err err = {0};
	struct period p;
	cr_expect_eq(period_parse(NULL, "period", &p, &err), NRM_EINVAL);
	cr_expect_eq(err.key, KEY_period_format);
}

Test(period, the_previous_period_is_the_one_just_before)
{
	struct period p, q;
	struct nrm_err err = {0};
	static const char *const pairs[][2] = {{"2025Q1", "2024Q4"}, {"2025Q3", "2025Q2"}, {"2025H1", "2024H2"},
					       {"2025H2", "2025H1"}, {"2025-01", "2024-12"}, {"2025", "2024"},
					       {"2025-01-11..2025-01-20", "2025-01-01..2025-01-10"}};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		cr_assert_eq(period_parse(pairs[i][0], "period", &p, &err), 0);
		q = period_previous(&p);
		cr_expect_str_eq(q.name, pairs[i][1]);
		cr_expect_eq(q.last, p.first - 1, "%s ends the day before %s starts", q.name, p.name);
	}
}

Test(period, a_period_has_ended_the_day_after_its_last)
{
	struct period p;
	struct nrm_err err = {0};
	cr_assert_eq(period_parse("2025Q3", "period", &p, &err), 0);
	int32_t d;
	date_parse("2025-09-30", &d);
	cr_expect_not(period_ended(&p, d), "not on its last day");
	cr_expect(period_ended(&p, d + 1));
	cr_expect(period_is_calendar(&p));
	cr_assert_eq(period_parse("2025-01-01..2025-01-31", "period", &p, &err), 0);
	cr_expect_not(period_is_calendar(&p));
}
