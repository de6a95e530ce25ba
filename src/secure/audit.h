/* Writing and verifying the hash-chained audit trail. Each write belongs to the caller's
 * open transaction, so the change and its audit row commit or fail together. */
#ifndef NRM_SECURE_AUDIT_H
#define NRM_SECURE_AUDIT_H

#include <jansson.h>

#include "core/role.h"
#include "secure/crypt.h"
#include "store/db.h"

/* Appends one row: who (p; NULL = the command line), what (action on entity/entity_id), the
 * state before and after (JSON, may be NULL; borrowed, not stolen) and an optional reason. */
int secure_audit(struct store *s, const struct principal *p, const char *action, const char *entity,
		 const char *entity_id, json_t *before, json_t *after, const char *reason);
/* Same, with the entity id given as a number. */
int secure_audit_id(struct store *s, const struct principal *p, const char *action, const char *entity,
		    int64_t entity_id, json_t *before, json_t *after, const char *reason);
/* Checks the chain: 0 when intact; otherwise NRM_ECONFLICT and *bad_id = the first row that
 * does not match (or the row after a removed one). */
int secure_audit_verify(struct store *s, int64_t *rows, int64_t *bad_id);

#endif
