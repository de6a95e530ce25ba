/* Permission rules. Kept as small predicates so the API and the UI's capability list agree. */
#include "secure/perm.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

int secure_principal_of(json_t *user, struct principal *p)
{
	int role = role_parse(json_string_value(json_object_get(user, "role")));
	if (role < 0)
		return NRM_EINVAL;
	const char *s;
	memset(p, 0, sizeof *p);
	p->id = json_integer_value(json_object_get(user, "id"));
	snprintf(p->username, sizeof p->username, "%s", (s = json_string_value(json_object_get(user, "username"))) ? s : "");
	snprintf(p->name, sizeof p->name, "%s", (s = json_string_value(json_object_get(user, "name"))) ? s : p->username);
	snprintf(p->lang, sizeof p->lang, "%s", (s = json_string_value(json_object_get(user, "lang"))) ? s : "sq");
	p->role = (enum role)role;
	p->county_id = json_integer_value(json_object_get(user, "county_id"));
	if (!p->county_id)
		p->county_id = json_integer_value(json_object_get(user, "institution_county_id"));
	p->institution_id = json_integer_value(json_object_get(user, "institution"));
	p->person_id = json_integer_value(json_object_get(user, "person"));
	return 0;
}

#define R(x) (1u << (x))
#define AUTHORITY (R(ROLE_AUTHORITY_CHAIR) | R(ROLE_AUTHORITY_MEMBER) | R(ROLE_AUTHORITY_SECRETARIAT))
#define COUNTY (R(ROLE_COUNTY_SECRETARIAT) | R(ROLE_KRAT_MEMBER) | R(ROLE_TABLE_MEMBER))
#define EVERYONE ((1u << ROLE_COUNT) - 1)

static const struct {
	const char *name;
	unsigned roles;
} rules[RULE_COUNT] = {
	[RULE_PUBLIC] = {"public", EVERYONE},
	[RULE_SIGNED_IN] = {"signed_in", EVERYONE},
	[RULE_ORG_EDIT] = {"org_edit", R(ROLE_ADMIN) | R(ROLE_AUTHORITY_SECRETARIAT) | R(ROLE_COUNTY_SECRETARIAT)},
	[RULE_AGREEMENT_EDIT] = {"agreement_edit", R(ROLE_ADMIN) | R(ROLE_COUNTY_SECRETARIAT)},
	[RULE_CASES_READ] = {"cases_read", AUTHORITY | COUNTY | R(ROLE_CASEWORKER)},
	[RULE_CASE_WORK] = {"case_work", AUTHORITY | R(ROLE_CASEWORKER)},
	[RULE_PERSONAL] = {"personal", AUTHORITY | R(ROLE_CASEWORKER)},
	[RULE_AUTHORITY] = {"authority", AUTHORITY},
	[RULE_FIGURES] = {"figures", EVERYONE & ~(R(ROLE_CASEWORKER) | R(ROLE_DPO))},
	[RULE_USERS] = {"users", R(ROLE_ADMIN)},
	[RULE_AUDIT] = {"audit", R(ROLE_ADMIN) | R(ROLE_DPO)},
	[RULE_OVERSIGHT] = {"oversight", R(ROLE_DPO)},
};

const char *perm_rule_name(enum perm_rule r)
{
	return (unsigned)r < RULE_COUNT ? rules[r].name : "";
}

bool perm_rule_allows(enum perm_rule rule, enum role r)
{
	return (unsigned)rule < RULE_COUNT && (unsigned)r < ROLE_COUNT && (rules[rule].roles & R(r));
}

static bool own_county(const struct principal *p, int64_t county)
{
	return county > 0 && p->county_id == county;
}

bool perm_org_edit(const struct principal *p, int64_t county)
{
	switch (p->role) {
	case ROLE_ADMIN:
		return true;
	case ROLE_AUTHORITY_SECRETARIAT:
		return county == 0;
	case ROLE_COUNTY_SECRETARIAT:
		return own_county(p, county);
	default:
		return false;
	}
}

bool perm_agreement_read(const struct principal *p, int64_t county)
{
	if (role_scope(p->role) == SCOPE_NATIONAL)
		return true;
	return own_county(p, county);
}

bool perm_agreement_edit(const struct principal *p, int64_t county)
{
	return p->role == ROLE_ADMIN || (p->role == ROLE_COUNTY_SECRETARIAT && own_county(p, county));
}

bool perm_needs_second_factor(enum role r)
{
	return perm_rule_allows(RULE_PERSONAL, r) || perm_rule_allows(RULE_OVERSIGHT, r) || perm_rule_allows(RULE_USERS, r);
}

bool perm_users_manage(const struct principal *p)
{
	return p->role == ROLE_ADMIN;
}

bool perm_audit_read(const struct principal *p)
{
	return p->role == ROLE_DPO || p->role == ROLE_ADMIN;
}

bool perm_oversight(const struct principal *p)
{
	return p->role == ROLE_DPO;
}

bool perm_institution_edit(const struct principal *p, int64_t county)
{
	return perm_org_edit(p, county);
}
