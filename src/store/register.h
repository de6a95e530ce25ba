/* The registers of prevention and cooperation in SQL (schema 7): entries with their
 * non-personal fields as JSON, their personal fields encrypted apart, the references they
 * make, their history and code sequences. Writers assert the caller's transaction (db.h).
 * json_t ** outputs are new references, written only on success. */
#ifndef NRM_STORE_REGISTER_H
#define NRM_STORE_REGISTER_H

#include "store/db.h"

/* The registers' definitions as stored by `nrm init` / `nrm forms load`:
 * [{"name": "register:NAME", "doc"}], by name. */
int store_register_docs(struct store *s, json_t **out);

/* What an entry's row holds besides its history. Days are "YYYY-MM-DD" or NULL. */
struct reg_row {
	const char *reg, *code;
	int64_t county, holder, parent, meeting, case_id; /* 0: none */
	const char *first_day, *last_day;
	const char *data_json; /* the non-personal fields */
	int64_t created_by;
};
/* The next number of a register's codes in a county (0: national) and year. */
int store_reg_next_seq(struct store *s, const char *reg, int64_t county, int year, int64_t *seq);
int store_reg_add(struct store *s, const struct reg_row *r, int64_t *id);
/* Replaces what r holds (not the code, register or creator); NRM_ECONFLICT when `version` is
 * not the stored one. */
int store_reg_update(struct store *s, int64_t id, int64_t version, const struct reg_row *r);
/* Links an entry to the case it became. */
int store_reg_set_case(struct store *s, int64_t id, int64_t case_id);
/* One entry by code (register `reg`) or by id: {"id", "register", "code", "county_id", "county",
 * "county_name_sq", "holder", "holder_name", "first_day", "last_day", "parent_id", "parent_code",
 * "meeting_id", "case_id", "case_code", "fields" (the JSON), "version", "created_at", "updated_at"};
 * NRM_ENOTFOUND. */
int store_reg_get(struct store *s, const char *reg, const char *code, json_t **out);
int store_reg_get_id(struct store *s, int64_t id, json_t **out);
/* The entry a case came from, or NRM_ENOTFOUND: {"register", "code", "holder"}. */
int store_reg_of_case(struct store *s, int64_t case_id, json_t **out);

/* Which entries a list reads: a register; county > 0 one county, 0 any, -1 national ones
 * only; `with_national` adds national entries to one county's; holder > 0 only that
 * institution's; days (NULL: open) the entries overlapping [first, last]; parent > 0 the
 * children of one entry; keyset by id (after), at most limit (0: no limit). */
struct reg_query {
	const char *reg;
	int64_t county, holder, parent, after;
	bool with_national;
	const char *first, *last;
	int limit;
};
/* Rows as store_reg_get gives them, by id. */
int store_reg_list(struct store *s, const struct reg_query *q, json_t **out);

int store_reg_personal_put(struct store *s, int64_t id, const char *field, const void *blob, size_t len);
int store_reg_personal_delete(struct store *s, int64_t id, const char *field);
int store_reg_personal_each(struct store *s, int64_t id, store_blob_fn fn, void *ctx);
/* The names of the personal fields an entry holds: ["field", ...]. */
int store_reg_personal_names(struct store *s, int64_t id, json_t **out);

/* Replaces the references an entry makes: refs = [{"kind", "id", "field"}]. */
int store_reg_refs_replace(struct store *s, int64_t id, json_t *refs);
/* The entries of register `reg` that refer to (kind, ref_id), with their rows as
 * store_reg_get gives them, by first day. */
int store_reg_referring(struct store *s, const char *reg, const char *kind, int64_t ref_id, json_t **out);

/* What a reference points to, or NRM_ENOTFOUND: {"id", "county_id", "kind"?, "status"?,
 * "name"?} — kind "institution", "body", "person", "meeting" (with the body's county, its
 * kind and status), "task" (with its body's county). */
int store_reg_ref_target(struct store *s, const char *kind, int64_t id, json_t **out);

int store_reg_event_add(struct store *s, int64_t id, const char *action, const char *changed_json, const char *reason,
			int64_t user_id, const char *username);
/* [{"id", "action", "changed", "reason", "username", "ts"}], oldest first. */
int store_reg_events(struct store *s, int64_t id, json_t **out);

#endif
