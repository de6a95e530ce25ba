/* The audit trail table. Rows are chained by hash (computed in secure/audit.c). */
#ifndef NRM_STORE_AUDIT_H
#define NRM_STORE_AUDIT_H

#include "store/db.h"

/* The room for a stored chain value: "m<version>:" and 64 hex digits (or, from before keyed
 * chaining, 64 hex digits). */
#define AUDIT_HASH_LEN 80
/* The newest row's id and chain value; 0 and "" for an empty trail. */
int store_audit_head(struct store *s, int64_t *id, char out[AUDIT_HASH_LEN]);
/* How many rows the trail has. */
int store_audit_count(struct store *s, int64_t *n);
/* Inserts row `id` (the head's id + 1: ids follow each other, so a removed row leaves a gap);
 * user <= 0 is stored as NULL (the command line). */
int store_audit_insert(struct store *s, int64_t id, const char *ts, int64_t user, const char *username,
		       const char *action, const char *entity, const char *entity_id, const char *before,
		       const char *after, const char *reason, const char *prev_hash, const char *hash);
/* Up to `limit` rows after row `after`, in id order, each {id, ts, user_id (integer or null),
 * username, action, entity, entity_id, before_text, after_text, reason, prev_hash, hash,
 * typed (0 when a column holds a value of a type nrm never writes there, e.g. a blob)}. */
int store_audit_page(struct store *s, int64_t after, int limit, json_t **out);
/* Rewrites the chain values of row id (re-keying, key rotation); nothing else of a row. */
int store_audit_rechain(struct store *s, int64_t id, const char *prev_hash, const char *hash);
/* What a page of the trail is narrowed to; NULL members do not narrow it. */
struct audit_filter {
	const char *username;
	const char *entity, *entity_id;
	const char *actions;       /* a JSON array of action names, as text */
	const char *since, *until; /* UTC stamps: since <= ts < until */
};
/* A page of the rows that match f, newest first (keyset: id < before; 0 = from the newest):
 * {id, ts, user, username, action, entity, entity_id, before, after, reason}. */
int store_audit_filter(struct store *s, const struct audit_filter *f, int64_t before, int limit, json_t **out);
/* The rows of `actions` (JSON array text) since `since` (a UTC stamp), oldest first, with
 * what the auditor's patterns weigh: {id, ts, user, username, action, entity, entity_id,
 * after, reason, role, user_county, user_institution, case_county, case_holder} (the case's
 * when the row is about one, the user's as the account is now). */
int store_audit_since(struct store *s, const char *actions, const char *since, json_t **out);
/* The newest `limit` rows of `actions` (JSON array text), newest first. */
int store_audit_latest(struct store *s, const char *actions, int limit, json_t **out);
/* The rows of `actions` about case `code`, newest first, at most `limit`, with the user's
 * name and role: {id, ts, user, username, name, role, action, after, reason}. */
int store_audit_of_case(struct store *s, const char *code, const char *actions, int limit, json_t **out);
/* The auditor's rules (data/oversight/rules.json as stored by case_form_store); NRM_ENOTFOUND
 * when the database holds none. */
int store_audit_rules(struct store *s, json_t **out);
/* Every row in id order, for verification; rows carry before/after as raw text. */
int store_audit_all(struct store *s, json_t **out);

#endif
