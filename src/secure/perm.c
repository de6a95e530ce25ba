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
	return 0;
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

bool perm_users_manage(const struct principal *p)
{
	return p->role == ROLE_ADMIN;
}

bool perm_audit_read(const struct principal *p)
{
	return p->role == ROLE_DPO || p->role == ROLE_ADMIN;
}

bool perm_institution_edit(const struct principal *p, int64_t county)
{
	return perm_org_edit(p, county);
}
