/* The audit trail table. Rows are chained by hash (computed in secure/audit.c). */
#ifndef NRM_STORE_AUDIT_H
#define NRM_STORE_AUDIT_H

#include "store/db.h"

/* The newest row's hash, or "" for an empty trail; out has room for 65 bytes. */
int store_audit_last_hash(struct store *s, char out[65]);
int store_audit_insert(struct store *s, const char *ts, int64_t user, const char *username, const char *action,
		       const char *entity, const char *entity_id, const char *before, const char *after,
		       const char *reason, const char *prev_hash, const char *hash);
/* A page of rows, newest first (keyset: id < before; 0 = from the newest), optionally for one entity. */
int store_audit_list(struct store *s, const char *entity, const char *entity_id, int64_t before, int limit,
		     json_t **out);
/* Every row in id order, for verification; rows carry before/after as raw text. */
int store_audit_all(struct store *s, json_t **out);

#endif
