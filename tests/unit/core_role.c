/* core/role and secure/perm: who may do what, where. */
#include <criterion/criterion.h>

#include "core/role.h"
#include "secure/perm.h"

static struct principal as(enum role r, int64_t county)
{
	struct principal p = {.id = 1, .role = r, .county_id = county};
	return p;
}

Test(role, names_round_trip_and_scopes)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		cr_expect_eq(role_parse(role_name((enum role)r)), r);
	cr_expect_eq(role_parse("root"), -1);
	cr_expect_eq(role_scope(ROLE_COUNTY_SECRETARIAT), SCOPE_COUNTY);
	cr_expect_eq(role_scope(ROLE_CASEWORKER), SCOPE_INSTITUTION);
	cr_expect_eq(role_scope(ROLE_MINISTRY_MONITOR), SCOPE_NATIONAL);
}

Test(perm, a_county_secretariat_edits_its_own_county_only)
{
	struct principal fier = as(ROLE_COUNTY_SECRETARIAT, 4);
	cr_expect(perm_org_edit(&fier, 4));
	cr_expect(!perm_org_edit(&fier, 12));
	cr_expect(!perm_org_edit(&fier, 0), "not the national bodies");
	cr_expect(perm_agreement_edit(&fier, 4));
	cr_expect(!perm_agreement_edit(&fier, 12));
	cr_expect(!perm_agreement_read(&fier, 12));
}

Test(perm, the_matrix_of_org_editing)
{
	struct {
		enum role r;
		bool national, own, other;
	} rows[] = {
		{ROLE_ADMIN, true, true, true},
		{ROLE_AUTHORITY_CHAIR, false, false, false},
		{ROLE_AUTHORITY_MEMBER, false, false, false},
		{ROLE_AUTHORITY_SECRETARIAT, true, false, false},
		{ROLE_MINISTRY_MONITOR, false, false, false},
		{ROLE_DPO, false, false, false},
		{ROLE_COUNTY_SECRETARIAT, false, true, false},
		{ROLE_KRAT_MEMBER, false, false, false},
		{ROLE_TABLE_MEMBER, false, false, false},
		{ROLE_CASEWORKER, false, false, false},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct principal p = as(rows[i].r, role_scope(rows[i].r) == SCOPE_NATIONAL ? 0 : 4);
		cr_expect_eq(perm_org_edit(&p, 0), rows[i].national, "%s national", role_name(rows[i].r));
		cr_expect_eq(perm_org_edit(&p, 4), rows[i].own, "%s own county", role_name(rows[i].r));
		cr_expect_eq(perm_org_edit(&p, 12), rows[i].other, "%s other county", role_name(rows[i].r));
	}
}

Test(perm, users_and_audit)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct principal p = as((enum role)r, 0);
		cr_expect_eq(perm_users_manage(&p), r == ROLE_ADMIN);
		cr_expect_eq(perm_audit_read(&p), r == ROLE_ADMIN || r == ROLE_DPO);
	}
}
