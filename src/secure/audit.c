/* Hash-chained audit rows: hash = BLAKE2b-256(prev_hash, and every column, separated). */
#include "secure/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "secure/perm.h"
#include "store/audit.h"

static void feed(crypto_generichash_state *st, const char *v)
{
	static const unsigned char sep = 0x1f;
	if (v)
		crypto_generichash_update(st, (const unsigned char *)v, strlen(v));
	crypto_generichash_update(st, &sep, 1);
}

static void chain_hash(const char *const fields[10], char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	for (int i = 0; i < 10; i++)
		feed(&st, fields[i]);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int secure_audit(struct store *s, const struct principal *p, const char *action, const char *entity,
		 const char *entity_id, json_t *before, json_t *after, const char *reason)
{
	char prev[65], hash[65], ts[21], user[24];
	int rc = store_audit_last_hash(s, prev);
	if (rc)
		return rc;
	clock_stamp(ts);
	int64_t uid = p ? p->id : 0;
	snprintf(user, sizeof user, "%lld", (long long)uid);
	const char *username = p ? p->username : "cli";
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	const char *fields[10] = {prev, ts, user, username, action, entity, entity_id, b, a, reason};
	chain_hash(fields, hash);
	rc = store_audit_insert(s, ts, uid, username, action, entity, entity_id, b, a, reason, prev, hash);
	free(b);
	free(a);
	return rc;
}

int secure_audit_id(struct store *s, const struct principal *p, const char *action, const char *entity,
		    int64_t entity_id, json_t *before, json_t *after, const char *reason)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)entity_id);
	return secure_audit(s, p, action, entity, id, before, after, reason);
}

static const char *str(json_t *row, const char *k)
{
	return json_string_value(json_object_get(row, k));
}

int secure_audit_verify(struct store *s, int64_t *rows, int64_t *bad_id)
{
	json_t *all;
	int rc = store_audit_all(s, &all);
	if (rc)
		return rc;
	char prev[65] = "", hash[65], user[24];
	size_t i;
	json_t *row;
	json_array_foreach(all, i, row) {
		json_t *u = json_object_get(row, "user_id");
		snprintf(user, sizeof user, "%lld", (long long)(json_is_integer(u) ? json_integer_value(u) : 0));
		const char *fields[10] = {prev, str(row, "ts"), user, str(row, "username"), str(row, "action"),
					  str(row, "entity"), str(row, "entity_id"), str(row, "before_text"),
					  str(row, "after_text"), str(row, "reason")};
		chain_hash(fields, hash);
		const char *stored_prev = str(row, "prev_hash"), *stored = str(row, "hash");
		if (!stored_prev || !stored || strcmp(stored_prev, prev) != 0 || strcmp(stored, hash) != 0) {
			*bad_id = json_integer_value(json_object_get(row, "id"));
			json_decref(all);
			return NRM_ECONFLICT;
		}
		snprintf(prev, sizeof prev, "%s", stored);
	}
	*rows = (int64_t)json_array_size(all);
	json_decref(all);
	return 0;
}
