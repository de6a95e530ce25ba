/* SQL of meetings: the meeting, its changes, agenda, attendance, guests, materials, decisions. */
#include "store/meeting.h"
#include "store/internal.h"

#include <stdlib.h>

int store_meeting_add(struct store *s, int64_t body, const struct store_meeting *m, const char *uid, int64_t by,
		      int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO meetings(body_id, date, time, end_time, kind, title, location, link, uid, created_by,"
			    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
			    "itttttttt" "IN", body, m->date, m->time, m->end_time, m->kind, m->title, m->location, m->link, uid,
			    by);
}

int store_meeting_update(struct store *s, int64_t id, int64_t version, const struct store_meeting *m, int resequence)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE meetings SET date = ?2, time = ?3, end_time = ?4, kind = ?5, title = ?6, location = ?7,"
			    " link = ?8, sequence = sequence + ?9, version = version + 1, updated_at = ?10 WHERE id = ?1"
			    " AND version = ?11",
			    "ittttttti" "Ni", id, m->date, m->time, m->end_time, m->kind, m->title, m->location, m->link,
			    (int64_t)(resequence != 0), version);
	return rc ? rc : store_changes(s) ? 0 : NRM_ECONFLICT;
}

int store_meeting_set_status(struct store *s, int64_t id, const char *status, const char *reason)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE meetings SET status = ?2, cancel_reason = ?3, sequence = sequence + 1, version = version + 1,"
			  " updated_at = ?4 WHERE id = ?1",
			  "ittN", id, status, reason);
}

#define MEETING_COLS \
	"SELECT m.id, m.body_id AS body, b.kind AS body_kind, b.name_sq AS body_name, b.name_en AS body_name_en," \
	" b.county_id, c.slug AS county, m.date, m.time, m.end_time, m.kind, m.title, m.location, m.link, m.status," \
	" m.cancel_reason, m.uid, m.sequence, m.version, m.minutes_status, m.minutes_summary, m.minutes_hash," \
	" m.minutes_json, m.approved_in, m.amendments, m.created_at, m.updated_at" \
	" FROM meetings m JOIN bodies b ON b.id = m.body_id LEFT JOIN counties c ON c.id = b.county_id"

int store_meeting_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, MEETING_COLS " WHERE m.id = ?1", "i", id);
}

int store_meetings(struct store *s, int64_t body, json_t **out)
{
	return store_rows(s, out, MEETING_COLS " WHERE m.body_id = ?1 ORDER BY m.date DESC, m.time DESC, m.id DESC", "i",
			  body);
}

int store_meetings_between(struct store *s, int64_t county, const char *first, const char *last, json_t **out)
{
	return store_rows(s, out,
			  MEETING_COLS " WHERE (?1 < 0 OR (?1 = 0 AND b.county_id IS NULL) OR b.county_id = ?1)"
				       " AND (?2 IS NULL OR m.date >= ?2) AND (?3 IS NULL OR m.date <= ?3)"
				       " ORDER BY m.date, m.time, m.id",
			  "itt", county, first, last);
}

int store_meeting_days(struct store *s, int64_t body, const char *kind, const char *last, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, date, kind FROM meetings WHERE body_id = ?1 AND status = 'held'"
			  " AND (?2 IS NULL OR kind = ?2) AND date <= ?3 ORDER BY date, id",
			  "itt", body, kind, last);
}

int store_meeting_next_day(struct store *s, int64_t body, const char *from, char **out)
{
	return store_text(s, out,
			  "SELECT date FROM meetings WHERE body_id = ?1 AND status = 'scheduled' AND date >= ?2"
			  " ORDER BY date LIMIT 1",
			  "it", body, from);
}

int store_meeting_unapproved_before(struct store *s, int64_t body, const char *date, int64_t exclude, int64_t *id)
{
	return store_int(s, id,
			 "SELECT id FROM meetings WHERE body_id = ?1 AND status = 'held' AND minutes_status = 'draft'"
			 " AND date || ' ' || coalesce(time, '') < ?2 AND id <> ?3 ORDER BY date DESC, time DESC, id DESC LIMIT 1",
			 "iti", body, date, exclude);
}

int store_meeting_change_add(struct store *s, int64_t meeting, const char *action, json_t *before, json_t *after,
			     const char *reason, int64_t user, const char *username)
{
	STORE_WRITES(s);
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = store_exec(s,
			    "INSERT INTO meeting_changes(meeting_id, action, before_json, after_json, reason, user_id, username, ts)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			    "ittttItN", meeting, action, b, a, reason, user, username);
	free(b);
	free(a);
	return rc;
}

int store_meeting_changes(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, action, before_json, after_json, reason, username AS user, ts FROM meeting_changes"
			  " WHERE meeting_id = ?1 ORDER BY id",
			  "i", meeting);
}

int store_agenda_replace(struct store *s, int64_t meeting, json_t *items)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM agenda_items WHERE meeting_id = ?1", "i", meeting);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		if (rc)
			break;
		json_t *refs = json_object_get(it, "refs");
		char *r = json_is_object(refs) && json_object_size(refs) ? json_dumps(refs, JSON_COMPACT | JSON_SORT_KEYS)
									  : NULL;
		rc = store_exec(s,
				"INSERT INTO agenda_items(meeting_id, position, kind, title, presenter, refs_json)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
				"iitttt", meeting, (int64_t)(i + 1), json_string_value(json_object_get(it, "kind")),
				json_string_value(json_object_get(it, "title")),
				json_string_value(json_object_get(it, "presenter")), r);
		free(r);
	}
	return rc;
}

int store_agenda(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, position, kind, title, presenter, refs_json, minutes FROM agenda_items"
			  " WHERE meeting_id = ?1 ORDER BY position",
			  "i", meeting);
}

int store_agenda_set_minutes(struct store *s, int64_t item, const char *minutes)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE agenda_items SET minutes = ?2 WHERE id = ?1", "it", item, minutes);
}

int store_attendance_set(struct store *s, int64_t meeting, int64_t seat, const char *status, const char *member,
			 const char *substitute, const char *authorisation)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO meeting_attendance(meeting_id, seat_id, status, member, substitute, authorisation)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(meeting_id, seat_id) DO UPDATE SET status = ?3,"
			  " member = ?4, substitute = ?5, authorisation = ?6",
			  "iitttt", meeting, seat, status, member, substitute, authorisation);
}

int store_attendance(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT seat_id AS seat, status, member, substitute, authorisation FROM meeting_attendance"
			  " WHERE meeting_id = ?1",
			  "i", meeting);
}

int store_meeting_guest_add(struct store *s, int64_t meeting, int64_t guest, const char *name,
			    const char *organisation, const char *email, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO meeting_guests(meeting_id, guest_id, name, organisation, email) VALUES (?1, ?2, ?3, ?4, ?5)",
			    "iIttt", meeting, guest, name, organisation, email);
}

int store_meeting_guests(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, guest_id AS guest, name, organisation, email, attended AS attended_bool FROM meeting_guests"
			  " WHERE meeting_id = ?1 ORDER BY id",
			  "i", meeting);
}

int store_meeting_guest_attended(struct store *s, int64_t meeting, int64_t id, int attended)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "UPDATE meeting_guests SET attended = CASE WHEN ?3 < 0 THEN NULL ELSE ?3 END"
			       " WHERE id = ?2 AND meeting_id = ?1",
			    "iii", meeting, id, (int64_t)attended);
	return rc ? rc : store_changes(s) ? 0 : NRM_ENOTFOUND;
}

int store_meeting_document_add(struct store *s, int64_t meeting, int64_t document)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT INTO meeting_documents(meeting_id, document_id) VALUES (?1, ?2)", "ii", meeting,
			  document);
}

int store_meeting_documents(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT d.id, d.filename, d.mime, d.size, d.sha256, d.uploaded_at FROM meeting_documents x"
			  " JOIN documents d ON d.id = x.document_id WHERE x.meeting_id = ?1 ORDER BY d.id",
			  "i", meeting);
}

int store_meeting_document_of(struct store *s, int64_t meeting, int64_t document)
{
	int64_t n = 0;
	int rc = store_int(s, &n, "SELECT count(*) FROM meeting_documents WHERE meeting_id = ?1 AND document_id = ?2", "ii",
			   meeting, document);
	return rc ? rc : n ? 0 : NRM_ENOTFOUND;
}

int store_body_document(struct store *s, int64_t body, int64_t document)
{
	int64_t n = 0;
	int rc = store_int(s, &n,
			   "SELECT count(*) FROM meeting_documents x JOIN meetings m ON m.id = x.meeting_id"
			   " WHERE m.body_id = ?1 AND x.document_id = ?2",
			   "ii", body, document);
	return rc ? rc : n ? 0 : NRM_ENOTFOUND;
}

static int64_t opt(int v)
{
	return v < 0 ? -1 : v;
}

int store_decision_add(struct store *s, int64_t meeting, const struct store_decision *d, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO decisions(meeting_id, item_id, number, text, votes_for, votes_against, abstentions,"
			    " quorum, case_id, created_by, created_at) VALUES (?1, ?2,"
			    " (SELECT coalesce(max(number), 0) + 1 FROM decisions WHERE meeting_id = ?1), ?3,"
			    " CASE WHEN ?4 < 0 THEN NULL ELSE ?4 END, CASE WHEN ?5 < 0 THEN NULL ELSE ?5 END,"
			    " CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END, ?7, ?8, ?9, ?10)",
			    "iItiiiiIIN", meeting, d->item, d->text, opt(d->votes_for), opt(d->votes_against),
			    opt(d->abstentions), (int64_t)(d->quorum != 0), d->case_id, by);
}

int store_decisions(struct store *s, int64_t meeting, json_t **out)
{
	return store_rows(s, out,
			  "SELECT d.id, d.number, d.item_id AS item, d.text, d.votes_for, d.votes_against, d.abstentions,"
			  " d.quorum AS quorum_bool, c.code AS case_code, d.created_at FROM decisions d"
			  " LEFT JOIN cases c ON c.id = d.case_id WHERE d.meeting_id = ?1 ORDER BY d.number",
			  "i", meeting);
}

int store_minutes_freeze(struct store *s, int64_t meeting, json_t *minutes, const char *hash, int64_t approved_in,
			 const char *amendments)
{
	STORE_WRITES(s);
	char *m = json_dumps(minutes, JSON_COMPACT | JSON_SORT_KEYS);
	if (!m)
		return NRM_ENOMEM;
	int rc = store_exec(s,
			    "UPDATE meetings SET minutes_status = 'approved', minutes_json = ?2, minutes_hash = ?3,"
			    " approved_in = ?4, amendments = ?5, version = version + 1, updated_at = ?6 WHERE id = ?1",
			    "ittItN", meeting, m, hash, approved_in, amendments);
	free(m);
	return rc;
}

int store_minutes_summary_set(struct store *s, int64_t meeting, const char *summary)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE meetings SET minutes_summary = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
			  "itN", meeting, summary);
}

int store_feed_set(struct store *s, int64_t user, const char *hash)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO calendar_feeds(user_id, token_hash, created_at) VALUES (?1, ?2, ?3)"
			  " ON CONFLICT(user_id) DO UPDATE SET token_hash = ?2, created_at = ?3",
			  "itN", user, hash);
}

int store_feed_delete(struct store *s, int64_t user)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "DELETE FROM calendar_feeds WHERE user_id = ?1", "i", user);
	return rc ? rc : store_changes(s) ? 0 : NRM_ENOTFOUND;
}

int store_feed_user(struct store *s, const char *hash, int64_t *user)
{
	return store_int(s, user, "SELECT user_id FROM calendar_feeds WHERE token_hash = ?1", "t", hash);
}

int store_body_document_add(struct store *s, const struct store_body_document *d, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO body_documents(body_id, kind, title, version, adopted_in, adopted_on, created_by,"
			    " created_at) VALUES (?1, ?2, ?3, (SELECT coalesce(max(version), 0) + 1 FROM body_documents"
			    " WHERE body_id = ?1 AND kind = ?2), ?4, ?5, ?6, ?7)",
			    "ittItIN", d->body, d->kind, d->title, d->adopted_in, d->adopted_on, by);
}

#define BODY_DOC_COLS \
	"SELECT x.id, x.body_id AS body, b.county_id, x.kind, x.title, x.version, x.adopted_in, x.adopted_on," \
	" x.document_id AS document, d.filename AS document_name, x.created_at FROM body_documents x" \
	" JOIN bodies b ON b.id = x.body_id LEFT JOIN documents d ON d.id = x.document_id"

int store_body_document_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, BODY_DOC_COLS " WHERE x.id = ?1", "i", id);
}

int store_body_document_set_file(struct store *s, int64_t id, int64_t document)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE body_documents SET document_id = ?2 WHERE id = ?1", "ii", id, document);
}

int store_body_documents(struct store *s, int64_t body, json_t **out)
{
	return store_rows(s, out, BODY_DOC_COLS " WHERE x.body_id = ?1 ORDER BY x.kind, x.title, x.version DESC", "i", body);
}

int store_unanswered_referrals(struct store *s, const char *before, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT c.code, min(r.created_at) AS since FROM referrals r JOIN cases c ON c.id = r.case_id"
			  " AND c.merged_into IS NULL WHERE r.status = 'pending' AND r.created_at < ?1 GROUP BY c.id"
			  " ORDER BY since LIMIT ?2",
			  "ti", before, (int64_t)limit);
}
