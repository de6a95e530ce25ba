/* SQL of the correspondence register, notices, notifications and the e-mail outbox. */
#include "store/notice.h"
#include "store/internal.h"

#include <stdlib.h>

int store_letter_add(struct store *s, const struct store_letter *l, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO correspondence(body_id, year, number, direction, day, party, subject, meeting_id,"
			    " created_by, created_at) VALUES (?1, CAST(substr(?3, 1, 4) AS INTEGER),"
			    " (SELECT coalesce(max(number), 0) + 1 FROM correspondence WHERE body_id = ?1"
			    "  AND year = CAST(substr(?3, 1, 4) AS INTEGER)), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			    "itttt" "IIN", l->body, l->direction, l->day, l->party, l->subject, l->meeting, by);
}

#define LETTER_COLS \
	"SELECT l.id, l.body_id AS body, b.county_id, l.year, l.number, l.number || '/' || l.year AS reference," \
	" l.direction, l.day, l.party, l.subject, l.meeting_id AS meeting, l.document_id AS document," \
	" d.filename AS document_name, l.created_at FROM correspondence l JOIN bodies b ON b.id = l.body_id" \
	" LEFT JOIN documents d ON d.id = l.document_id"

int store_letter_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, LETTER_COLS " WHERE l.id = ?1", "i", id);
}

int store_letter_set_document(struct store *s, int64_t id, int64_t document)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE correspondence SET document_id = ?2 WHERE id = ?1", "ii", id, document);
}

int store_letters(struct store *s, int64_t body, const char *q, int year, json_t **out)
{
	return store_rows(s, out,
			  LETTER_COLS " WHERE l.body_id = ?1 AND (?2 IS NULL OR instr(lower(l.party), lower(?2)) > 0"
				      " OR instr(lower(l.subject), lower(?2)) > 0) AND (?3 = 0 OR l.year = ?3)"
				      " ORDER BY l.year DESC, l.number DESC",
			  "iti", body, q, (int64_t)year);
}

int store_notice_add(struct store *s, const struct store_notice *n, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO notices(meeting_id, correspondence_id, kind, recipient, seat_id, guest_id, user_id,"
			    " channel, address, status, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			    "iIttIIItttN", n->meeting, n->letter, n->kind, n->recipient, n->seat, n->guest, n->user, n->channel,
			    n->address, n->status);
}

int store_notices(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT n.id, n.kind, n.recipient, n.channel, n.status, n.sent_at,"
			  " l.number || '/' || l.year AS reference FROM notices n"
			  " LEFT JOIN correspondence l ON l.id = n.correspondence_id WHERE n.meeting_id = ?1 ORDER BY n.id",
			  "i", meeting);
}

int store_notice_set_status(struct store *s, int64_t id, const char *status)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE notices SET status = ?2 WHERE id = ?1", "it", id, status);
}

int store_notification_add(struct store *s, int64_t user, const char *kind, const char *entity, int64_t entity_id,
			   json_t *params, const char *dedup, int64_t *id)
{
	STORE_WRITES(s);
	char *p = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = store_exec(s,
			    "INSERT INTO notifications(user_id, kind, entity, entity_id, params_json, created_at, dedup)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
			    "ittItNt", user, kind, entity, entity_id, p, dedup);
	free(p);
	if (rc)
		return rc;
	if (!store_changes(s)) {
		*id = 0;
		return 0;
	}
	return store_int(s, id, "SELECT last_insert_rowid()", "");
}

int store_notifications(struct store *s, int64_t user, int unread, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, kind, entity, entity_id, params_json, created_at, read_at FROM notifications"
			  " WHERE user_id = ?1 AND (?2 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?3",
			  "iii", user, (int64_t)unread, (int64_t)limit);
}

int store_notification_read(struct store *s, int64_t user, int64_t id)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE notifications SET read_at = coalesce(read_at, ?3) WHERE id = ?2 AND user_id = ?1",
			    "iiN", user, id);
	return rc ? rc : store_changes(s) ? 0 : NRM_ENOTFOUND;
}

int store_notifications_read_all(struct store *s, int64_t user, int *n)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL", "iN", user);
	if (!rc)
		*n = store_changes(s);
	return rc;
}

int store_notifications_unread(struct store *s, int64_t user, int64_t *n)
{
	return store_int(s, n, "SELECT count(*) FROM notifications WHERE user_id = ?1 AND read_at IS NULL", "i", user);
}

int store_users_of_institution(struct store *s, int64_t institution, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, username, email, lang FROM users WHERE disabled = 0 AND institution_id = ?1 ORDER BY id",
			  "i", institution);
}

int store_users_of_person(struct store *s, int64_t person, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, username, email, lang FROM users WHERE disabled = 0 AND person_id = ?1 ORDER BY id", "i",
			  person);
}

int store_users_of_roles(struct store *s, json_t *roles, int64_t county, json_t **out)
{
	char *r = json_dumps(roles, JSON_COMPACT);
	if (!r)
		return NRM_ENOMEM;
	int rc = store_rows(s, out,
			    "SELECT u.id, u.username, u.email, u.lang FROM users u LEFT JOIN institutions i ON i.id = u.institution_id"
			    " WHERE u.disabled = 0 AND u.role IN (SELECT value FROM json_each(?1))"
			    " AND ((?2 = 0 AND coalesce(u.county_id, i.county_id) IS NULL)"
			    "  OR coalesce(u.county_id, i.county_id) = ?2) ORDER BY u.id",
			    "ti", r, county);
	free(r);
	return rc;
}

int store_mail_queue(struct store *s, int64_t notice, int64_t notification, const char *to, const char *subject,
		     const char *message, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO mail_outbox(notice_id, notification_id, recipient, subject, message, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			    "IItttN", notice, notification, to, subject, message);
}

int store_mail_pending(struct store *s, int attempts, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, notice_id AS notice, recipient, message FROM mail_outbox WHERE status = 'queued'"
			  " AND attempts < ?1 ORDER BY id LIMIT ?2",
			  "ii", (int64_t)attempts, (int64_t)limit);
}

int store_mail_attempt(struct store *s, int64_t id, int sent, const char *error, int max_attempts)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?3,"
			    " status = CASE WHEN ?2 THEN 'sent' WHEN attempts + 1 >= ?4 THEN 'failed' ELSE 'queued' END,"
			    " sent_at = CASE WHEN ?2 THEN ?5 END WHERE id = ?1",
			    "iitiN", id, (int64_t)(sent != 0), error, (int64_t)max_attempts);
	if (rc)
		return rc;
	/* The notice follows its message. */
	return store_exec(s,
			  "UPDATE notices SET status = (SELECT status FROM mail_outbox WHERE id = ?1)"
			  " WHERE id = (SELECT notice_id FROM mail_outbox WHERE id = ?1)",
			  "i", id);
}
