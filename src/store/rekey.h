/* What a key rotation walks (rekey/rekey.h): every place a value sealed with the keyring is
 * kept, in pages by id, and the writes that put a value re-sealed under the new version back.
 * The writes belong to the caller's transaction. */
#ifndef NRM_STORE_REKEY_H
#define NRM_STORE_REKEY_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* Up to `limit` ids after `after` of `what`: "cases" ([{id}]), "register_entries" ([{id,
 * register}]) or "drafts" ([{id, user_id, form, key}]), in id order. */
int store_rekey_page(struct store *s, const char *what, int64_t after, int limit, json_t **out);
/* The sealed texts about a person kept beside cases and register entries, in pages:
 * what = "event" (case_events.reason), "referral_reason", "referral_note" (referrals) or
 * "register_event" (register_events.reason); rows {id, code (the case's or the entry's),
 * text}, id order, only rows that hold a text. */
int store_rekey_texts(struct store *s, const char *what, int64_t after, int limit, json_t **out);
/* Puts text (re-sealed) back into row id of `what` (as store_rekey_texts). */
int store_rekey_text_put(struct store *s, const char *what, int64_t id, const char *text);
/* The reasons for reading that sessions keep: [{session, case_id, code, reason}]. */
int store_rekey_reads(struct store *s, json_t **out);
int store_rekey_read_put(struct store *s, const char *session, int64_t case_id, const char *reason);
/* The sealed draft of row id back (its updated_at is left as it was). */
int store_rekey_draft_put(struct store *s, int64_t id, const void *sealed, size_t n);

#endif
