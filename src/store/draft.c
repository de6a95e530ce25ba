/* Drafts of long forms (store/draft.h). */
#include "store/draft.h"
#include "store/internal.h"

int store_draft_put(struct store *s, int64_t user, const char *form, const char *key, const void *sealed, size_t n,
		    const char *now)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO drafts(user_id, form, key, sealed, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
			  " ON CONFLICT(user_id, form, key) DO UPDATE SET sealed = excluded.sealed,"
			  " updated_at = excluded.updated_at",
			  "ittbt", user, form, key, sealed, n, now);
}

int store_draft_id(struct store *s, int64_t user, const char *form, const char *key, int64_t *id)
{
	return store_int(s, id, "SELECT id FROM drafts WHERE user_id = ?1 AND form = ?2 AND key = ?3", "itt", user, form,
			 key);
}

int store_draft_each(struct store *s, int64_t id, store_blob_fn fn, void *ctx)
{
	return store_blobs(s, "SELECT updated_at, sealed FROM drafts WHERE id = ?1", id, fn, ctx);
}

int store_draft_delete(struct store *s, int64_t user, const char *form, const char *key, int *gone)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM drafts WHERE user_id = ?1 AND form = ?2 AND key = ?3", "itt", user, form, key);
	if (!rc)
		*gone = store_changes(s) > 0;
	return rc;
}

int store_drafts(struct store *s, int64_t user, json_t **out)
{
	return store_rows(s, out,
			  "SELECT form, key, updated_at FROM drafts WHERE user_id = ?1 ORDER BY updated_at DESC, id DESC",
			  "i", user);
}

int store_drafts_purge(struct store *s, const char *before)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM drafts WHERE updated_at < ?1", "t", before);
}

int store_drafts_count(struct store *s, int64_t user, int64_t *n)
{
	return store_int(s, n, "SELECT count(*) FROM drafts WHERE user_id = ?1", "i", user);
}
