/* SQL of a key rotation's walk. */
#include "store/rekey.h"
#include "store/internal.h"

#include <string.h>

int store_rekey_page(struct store *s, const char *what, int64_t after, int limit, json_t **out)
{
	const char *sql = strcmp(what, "cases") == 0 ? "SELECT id FROM cases WHERE id > ?1 ORDER BY id LIMIT ?2"
			  : strcmp(what, "register_entries") == 0
				  ? "SELECT id, register FROM register_entries WHERE id > ?1 ORDER BY id LIMIT ?2"
			  : strcmp(what, "drafts") == 0
				  ? "SELECT id, user_id, form, key FROM drafts WHERE id > ?1 ORDER BY id LIMIT ?2"
				  : NULL;
	return sql ? store_rows(s, out, sql, "ii", after, (int64_t)limit) : NRM_EINVAL;
}

static const char *texts_sql(const char *what)
{
	if (strcmp(what, "event") == 0)
		return "SELECT e.id, c.code, e.reason AS text FROM case_events e JOIN cases c ON c.id = e.case_id"
		       " WHERE e.id > ?1 AND e.reason IS NOT NULL ORDER BY e.id LIMIT ?2";
	if (strcmp(what, "referral_reason") == 0)
		return "SELECT r.id, c.code, r.reason AS text FROM referrals r JOIN cases c ON c.id = r.case_id"
		       " WHERE r.id > ?1 ORDER BY r.id LIMIT ?2";
	if (strcmp(what, "referral_note") == 0)
		return "SELECT r.id, c.code, r.response_note AS text FROM referrals r JOIN cases c ON c.id = r.case_id"
		       " WHERE r.id > ?1 AND r.response_note IS NOT NULL ORDER BY r.id LIMIT ?2";
	if (strcmp(what, "register_event") == 0)
		return "SELECT e.id, r.code, e.reason AS text FROM register_events e JOIN register_entries r ON r.id = e.entry_id"
		       " WHERE e.id > ?1 AND e.reason IS NOT NULL ORDER BY e.id LIMIT ?2";
	return NULL;
}

int store_rekey_texts(struct store *s, const char *what, int64_t after, int limit, json_t **out)
{
	const char *sql = texts_sql(what);
	return sql ? store_rows(s, out, sql, "ii", after, (int64_t)limit) : NRM_EINVAL;
}

int store_rekey_text_put(struct store *s, const char *what, int64_t id, const char *text)
{
	STORE_WRITES(s);
	const char *sql = strcmp(what, "event") == 0		? "UPDATE case_events SET reason = ?2 WHERE id = ?1"
			  : strcmp(what, "referral_reason") == 0 ? "UPDATE referrals SET reason = ?2 WHERE id = ?1"
			  : strcmp(what, "referral_note") == 0	? "UPDATE referrals SET response_note = ?2 WHERE id = ?1"
			  : strcmp(what, "register_event") == 0	? "UPDATE register_events SET reason = ?2 WHERE id = ?1"
								: NULL;
	return sql ? store_exec(s, sql, "it", id, text) : NRM_EINVAL;
}

int store_rekey_reads(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT p.session, p.case_id, c.code, p.reason FROM personal_reads p JOIN cases c ON c.id = p.case_id",
			  "");
}

int store_rekey_read_put(struct store *s, const char *session, int64_t case_id, const char *reason)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE personal_reads SET reason = ?3 WHERE session = ?1 AND case_id = ?2", "tit", session,
			  case_id, reason);
}

int store_rekey_draft_put(struct store *s, int64_t id, const void *sealed, size_t n)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE drafts SET sealed = ?2 WHERE id = ?1", "ib", id, sealed, n);
}
