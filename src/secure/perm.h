/* Who may do what, where: the permission rules of DESIGN.md's roles × scope, enforced by the
 * server whatever the UI shows. county = 0 means a national body or record. */
#ifndef NRM_SECURE_PERM_H
#define NRM_SECURE_PERM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/role.h"

/* Fills *out from a user row of the store (id, username, name, role, county_id or the county
 * of its institution, institution, lang). Returns 0, or NRM_EINVAL for an unknown role. */
int secure_principal_of(json_t *user, struct principal *out);

/* Edit bodies, seats, nominations and guests of a body in `county`. */
bool perm_org_edit(const struct principal *p, int64_t county);
/* Read / edit the agreements of a county. */
bool perm_agreement_read(const struct principal *p, int64_t county);
bool perm_agreement_edit(const struct principal *p, int64_t county);
/* Manage user accounts. */
bool perm_users_manage(const struct principal *p);
/* Read the audit trail. */
bool perm_audit_read(const struct principal *p);
/* Create or rename institutions in a county (0 = national ones). */
bool perm_institution_edit(const struct principal *p, int64_t county);

#endif
