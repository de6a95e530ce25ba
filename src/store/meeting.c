/* SQL of meetings. */
#include "store/meeting.h"
#include "store/internal.h"

int store_meeting_add(struct store *s, int64_t body, const char *date, const char *kind, const char *title,
		      const char *location, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO meetings(body_id, date, kind, title, location, created_by, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "ittttIN", body, date, kind, title, location, by);
}

#define MEETING_COLS \
	"SELECT m.id, m.body_id AS body, b.kind AS body_kind, b.name_sq AS body_name, b.county_id, m.date, m.kind," \
	" m.title, m.location, m.created_at FROM meetings m JOIN bodies b ON b.id = m.body_id"

int store_meeting_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, MEETING_COLS " WHERE m.id = ?1", "i", id);
}

int store_meetings(struct store *s, int64_t body, json_t **out)
{
	return store_rows(s, out, MEETING_COLS " WHERE m.body_id = ?1 ORDER BY m.date DESC, m.id DESC", "i", body);
}
