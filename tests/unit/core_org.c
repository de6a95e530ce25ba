/* core/org: body kinds, seat composition of county bodies, nomination deadlines. */
#include <criterion/criterion.h>

#include "core/date.h"
#include "core/org.h"

/* The 13 institution types of Order 94 §1.2 in order, the last two once per municipality,
 * plus two that are not KRAT members. */
static const struct org_type types[] = {
	{0, false}, {1, false}, {2, false}, {3, false}, {4, false}, {5, false}, {6, false}, {7, false},
	{8, false}, {9, false}, {10, false}, {11, false}, {13, true}, {12, true}, {0, false},
};
#define NTYPES (sizeof types / sizeof *types)

Test(org, krat_members_are_11_county_seats_plus_2_per_municipality)
{
	/* municipalities per county: Berat 5, Dibër 4, Durrës 3, Elbasan 7, Fier 6, Gjirokastër 7,
	 * Korçë 6, Kukës 3, Lezhë 3, Shkodër 5, Tiranë 5, Vlorë 7 */
	static const size_t munis[] = {5, 4, 3, 7, 6, 7, 6, 3, 3, 5, 5, 7};
	size_t total = 0;
	for (size_t i = 0; i < 12; i++) {
		size_t n = org_compose_members(types, NTYPES, munis[i], NULL, 0);
		cr_expect_eq(n, 11 + 2 * munis[i]);
		total += n;
	}
	cr_expect_eq(total, 12 * 11 + 2 * 61);
}

Test(org, members_come_in_the_order_of_the_order)
{
	struct org_slot s[64];
	size_t n = org_compose_members(types, NTYPES, 6, s, 64);
	cr_assert_eq(n, 23);
	cr_expect_eq(s[0].type, 1u, "County Council first");
	cr_expect_eq(s[0].municipality, -1);
	cr_expect_eq(s[10].type, 11u, "State Intelligence Service 11th");
	for (int m = 0; m < 6; m++) {
		cr_expect_eq(s[11 + m].type, 13u, "municipal social services (§1.2 item 12)");
		cr_expect_eq(s[11 + m].municipality, m);
		cr_expect_eq(s[17 + m].type, 12u, "migration and diaspora (§1.2 item 13)");
	}
}

Test(org, composition_respects_the_callers_capacity)
{
	struct org_slot s[5];
	cr_expect_eq(org_compose_members(types, NTYPES, 6, s, 5), 23u, "reports the full count");
	cr_expect_eq(s[4].type, 5u);
}

Test(org, kinds_round_trip)
{
	for (int k = 0; k < ORG_KIND_COUNT; k++)
		cr_expect_eq(org_kind_parse(org_kind_name((enum org_kind)k)), k);
	cr_expect_eq(org_kind_parse("committee"), -1);
	cr_expect_eq(org_kind_parse(NULL), -1);
	cr_expect(org_kind_is_county(ORG_KRAT));
	cr_expect(org_kind_is_county(ORG_TECHNICAL_TABLE));
	cr_expect(org_kind_is_county(ORG_KRAT_SECRETARIAT));
	cr_expect(!org_kind_is_county(ORG_AUTHORITY));
	cr_expect(!org_kind_is_county(ORG_MUNICIPAL_GROUP));
}

Test(org, deadline_counts_from_establishment_or_from_the_vacancy)
{
	int32_t est, dl = -7, left;
	date_parse("2025-06-27", &est);
	cr_assert_eq(org_nomination_deadline(est, 15, 0, &dl), 0);
	char s[DATE_LEN];
	date_format(dl, s);
	cr_expect_str_eq(s, "2025-07-12");
	date_parse("2026-02-01", &left);
	org_nomination_deadline(est, 15, left, &dl);
	date_format(dl, s);
	cr_expect_str_eq(s, "2026-02-16");
	date_parse("2025-06-01", &left);
	org_nomination_deadline(est, 15, left, &dl);
	date_format(dl, s);
	cr_expect_str_eq(s, "2025-07-12", "a vacancy before establishment does not move the deadline");
	dl = 99;
	cr_expect_eq(org_nomination_deadline(est, 0, 0, &dl), -1, "bodies without a deadline");
	cr_expect_eq(dl, 99);
}

Test(org, seat_status)
{
	cr_expect_eq(org_seat_status(true, true, 100, 200), SEAT_FILLED);
	cr_expect_eq(org_seat_status(false, true, 100, 100), SEAT_VACANT, "the deadline day itself is still in time");
	cr_expect_eq(org_seat_status(false, true, 100, 101), SEAT_OVERDUE);
	cr_expect_eq(org_seat_status(false, false, 0, 10000), SEAT_VACANT);
	cr_expect_str_eq(org_seat_status_name(SEAT_OVERDUE), "overdue");
}
