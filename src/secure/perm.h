/* Who may do what, where: the permission rules of DESIGN.md's roles × scope, enforced by the
 * server whatever the UI shows. county = 0 means a national body or record. */
#ifndef NRM_SECURE_PERM_H
#define NRM_SECURE_PERM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/role.h"

/* The rule each API route names (src/api/api.c): which roles may call it at all. Finer
 * checks of scope (which county, which case) are the domains' business. */
enum perm_rule {
	RULE_PUBLIC,         /* no session needed */
	RULE_SIGNED_IN,      /* every role */
	RULE_ORG_EDIT,       /* organise bodies, seats, members, guests, meetings: admin, secretariats */
	RULE_AGREEMENT_EDIT, /* record a county's agreements: admin, county secretariat */
	RULE_CASES_READ,     /* read cases (by code, non-personal): the Authority, county bodies, case workers */
	RULE_CASE_WORK,      /* register, change, move and refer cases, answer referrals: the Authority, case workers */
	RULE_PERSONAL,       /* read or search victims' personal data: the Authority, case workers */
	RULE_AUTHORITY,      /* likely duplicates: the Authority */
	RULE_FIGURES,        /* figures: all but case workers and the auditor */
	RULE_USERS,          /* user accounts: admin */
	RULE_AUDIT,          /* the audit trail: auditor, admin */
	RULE_OVERSIGHT,      /* search persons, reasons for reading, patterns of the trail: the auditor */
	RULE_COUNT
};

/* The rule's name ("cases_read"), as the OpenAPI document and the tests show it. */
const char *perm_rule_name(enum perm_rule r);
/* Whether role r may call a route of this rule (RULE_PUBLIC: everyone). */
bool perm_rule_allows(enum perm_rule rule, enum role r);

/* Fills *out from a user row of the store (id, username, name, role, county_id or the county
 * of its institution, institution, lang). Returns 0, or NRM_EINVAL for an unknown role. */
int secure_principal_of(json_t *user, struct principal *out);

/* Edit bodies, seats, nominations and guests of a body in `county`. */
bool perm_org_edit(const struct principal *p, int64_t county);
/* Read / edit the agreements of a county. */
bool perm_agreement_read(const struct principal *p, int64_t county);
bool perm_agreement_edit(const struct principal *p, int64_t county);
/* Whether role r must log in with a second factor: it reads victims' personal data
 * (RULE_PERSONAL), the auditor's searches and the reasons given for reading (RULE_OVERSIGHT), or
 * can give itself either (RULE_USERS: the administrator creates accounts and resets factors). */
bool perm_needs_second_factor(enum role r);
/* Manage user accounts. */
bool perm_users_manage(const struct principal *p);
/* Read the audit trail. */
bool perm_audit_read(const struct principal *p);
/* The auditor's own tools: search persons, read the reasons given for reading personal
 * data, the patterns of the trail. */
bool perm_oversight(const struct principal *p);
/* Create or rename institutions in a county (0 = national ones). */
bool perm_institution_edit(const struct principal *p, int64_t county);

#endif
