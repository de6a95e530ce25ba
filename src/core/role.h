/* The roles of nrm users and the scope each one works in (DESIGN.md, data protection model). */
#ifndef NRM_CORE_ROLE_H
#define NRM_CORE_ROLE_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_ADMIN,                 /* system administrator: users and server, no personal data */
	ROLE_AUTHORITY_CHAIR,
	ROLE_AUTHORITY_MEMBER,
	ROLE_AUTHORITY_SECRETARIAT,
	ROLE_MINISTRY_MONITOR,      /* Ministry of Interior anti-trafficking structure: aggregates */
	ROLE_DPO,                   /* auditor / data-protection officer */
	ROLE_COUNTY_SECRETARIAT,    /* KRAT technical secretariat of one county */
	ROLE_KRAT_MEMBER,
	ROLE_TABLE_MEMBER,
	ROLE_CASEWORKER,            /* front-line staff of one institution */
	ROLE_COUNT
};

enum role_scope { SCOPE_NATIONAL, SCOPE_COUNTY, SCOPE_INSTITUTION };

/* The person acting: a logged-in user, or the operator at the command line (id 0). */
struct principal {
	int64_t id;
	char username[64];
	char name[128];
	enum role role;
	int64_t county_id;      /* 0 when national */
	int64_t institution_id; /* 0 when none */
	int64_t person_id;      /* the person of the registry this account belongs to; 0 when none */
	char lang[4];
};

const char *role_name(enum role r);
/* Returns the role, or -1 when s names none. */
int role_parse(const char *s);
enum role_scope role_scope(enum role r);
/* Members and secretariat of the Responsible Authority. */
bool role_is_authority(enum role r);

#endif
