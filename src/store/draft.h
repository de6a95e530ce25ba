/* The drafts of long forms a user is typing, kept sealed (secure/crypt.h) so that nothing
 * typed is lost when a session ends. Writing functions need the caller's transaction. */
#ifndef NRM_STORE_DRAFT_H
#define NRM_STORE_DRAFT_H

#include "store/db.h"

/* Creates or replaces the user's draft of (form, key); `now` is its time. */
int store_draft_put(struct store *s, int64_t user, const char *form, const char *key, const void *sealed, size_t n,
		    const char *now);
/* The id of the user's draft of (form, key), or NRM_ENOTFOUND. */
int store_draft_id(struct store *s, int64_t user, const char *form, const char *key, int64_t *id);
/* Calls fn once with (updated_at, sealed bytes) of draft id. */
int store_draft_each(struct store *s, int64_t id, store_blob_fn fn, void *ctx);
/* Removes the user's draft of (form, key); *gone: whether there was one. */
int store_draft_delete(struct store *s, int64_t user, const char *form, const char *key, int *gone);
/* The user's drafts {form, key, updated_at}, newest first (no contents). *out: new reference. */
int store_drafts(struct store *s, int64_t user, json_t **out);
int store_drafts_count(struct store *s, int64_t user, int64_t *n);
/* Removes every draft last saved before `before` (an ISO time). */
int store_drafts_purge(struct store *s, const char *before);

#endif
