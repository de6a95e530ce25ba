/* Role names and scopes. */
#include "core/role.h"

#include <string.h>

static const char *const names[ROLE_COUNT] = {
	"admin", "authority_chair", "authority_member", "authority_secretariat", "ministry_monitor",
	"dpo", "county_secretariat", "krat_member", "table_member", "caseworker",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? names[r] : "";
}

int role_parse(const char *s)
{
	for (int i = 0; s && i < ROLE_COUNT; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

enum role_scope role_scope(enum role r)
{
	switch (r) {
	case ROLE_COUNTY_SECRETARIAT:
	case ROLE_KRAT_MEMBER:
	case ROLE_TABLE_MEMBER:
		return SCOPE_COUNTY;
	case ROLE_CASEWORKER:
		return SCOPE_INSTITUTION;
	default:
		return SCOPE_NATIONAL;
	}
}

bool role_is_authority(enum role r)
{
	return r == ROLE_AUTHORITY_CHAIR || r == ROLE_AUTHORITY_MEMBER || r == ROLE_AUTHORITY_SECRETARIAT;
}
