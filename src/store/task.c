/* SQL of tasks. */
#include "store/task.h"
#include "store/internal.h"

int store_task_add(struct store *s, const struct store_task *t, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO tasks(body_id, meeting_id, decision_id, title, institution_id, person_id, due,"
			    " created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
			    "iIItiItIN", t->body, t->meeting, t->decision, t->title, t->institution, t->person, t->due, by);
}

#define TASK_COLS \
	"SELECT t.id, t.body_id AS body, b.kind AS body_kind, b.name_sq AS body_name, b.name_en AS body_name_en," \
	" b.county_id, c.slug AS county, t.meeting_id AS meeting, m.date AS meeting_date, m.minutes_status AS meeting_minutes," \
	" t.decision_id AS decision," \
	" d.number AS decision_number, t.title, t.institution_id AS institution, i.name AS institution_name," \
	" i.name_en AS institution_name_en, t.person_id AS person, p.name AS person_name, t.due, t.status, t.version," \
	" t.created_at, t.updated_at FROM tasks t JOIN bodies b ON b.id = t.body_id" \
	" LEFT JOIN counties c ON c.id = b.county_id LEFT JOIN meetings m ON m.id = t.meeting_id" \
	" LEFT JOIN decisions d ON d.id = t.decision_id JOIN institutions i ON i.id = t.institution_id" \
	" LEFT JOIN persons p ON p.id = t.person_id"

int store_task_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, TASK_COLS " WHERE t.id = ?1", "i", id);
}

int store_tasks(struct store *s, const struct store_task_query *q, json_t **out)
{
	return store_rows(s, out,
			  TASK_COLS " WHERE (?1 = 0 OR t.body_id = ?1) AND (?2 = 0 OR t.institution_id = ?2)"
				    " AND (?3 = 0 OR (?3 < 0 AND b.county_id IS NULL) OR b.county_id = ?3)"
				    " AND (?4 IS NULL OR t.status = ?4)"
				    " AND (?5 IS NULL OR (t.status IN ('open', 'in_progress') AND t.due < ?5))"
				    " AND (?7 IS NULL OR (t.body_id = ?6 AND t.status IN ('open', 'in_progress')"
				    "  AND m.date < ?7))"
				    " ORDER BY t.due, t.id",
			  "iiittit", q->body, q->institution, q->county, q->status, q->due_before, q->meeting_before_body,
			  q->meeting_before);
}

int store_task_set_status(struct store *s, int64_t id, const char *status, int64_t version)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE tasks SET status = ?2, version = version + 1, updated_at = ?4 WHERE id = ?1 AND version = ?3",
			    "itiN", id, status, version);
	return rc ? rc : store_changes(s) ? 0 : NRM_ECONFLICT;
}

int store_task_event_add(struct store *s, int64_t task, const char *status, const char *note, int64_t user,
			 const char *username)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO task_events(task_id, status, note, user_id, username, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			  "ittItN", task, status, note, user, username);
}

int store_task_events(struct store *s, int64_t task, json_t **out)
{
	return store_rows(s, out,
			  "SELECT id, status, note, username AS user, ts FROM task_events WHERE task_id = ?1 ORDER BY id", "i",
			  task);
}
