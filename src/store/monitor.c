/* The scorecard's own reads (store/monitor.h). */
#include "store/monitor.h"

int store_monitor_definition(struct store *s, json_t **out)
{
	return store_row(s, out, "SELECT json AS doc_json FROM forms WHERE name = 'monitor:scorecard'", "");
}

int store_monitor_tasks(struct store *s, int64_t county, const char *first, const char *last, json_t **out)
{
	return store_rows(s, out,
			  "SELECT t.id, b.county_id, b.kind AS body_kind, t.status, t.due,"
			  " (SELECT substr(min(e.ts), 1, 10) FROM task_events e WHERE e.task_id = t.id AND e.status = 'done')"
			  " AS done_on"
			  " FROM tasks t JOIN bodies b ON b.id = t.body_id"
			  " WHERE b.county_id IS NOT NULL AND (?1 = 0 OR b.county_id = ?1) AND t.due >= ?2 AND t.due <= ?3"
			  " AND t.status <> 'cancelled' ORDER BY t.id",
			  "itt", county, first, last);
}

int store_monitor_nominations(struct store *s, int64_t county, const char *first, const char *last, json_t **out)
{
	return store_rows(s, out,
			  "SELECT n.id, b.county_id, b.kind AS body_kind, b.established, b.nomination_days,"
			  " i.type AS institution_type, n.start,"
			  " (SELECT max(p.end) FROM nominations p WHERE p.seat_id = n.seat_id AND p.id <> n.id"
			  " AND p.start < n.start) AS prev_end"
			  " FROM nominations n JOIN seats st ON st.id = n.seat_id JOIN bodies b ON b.id = st.body_id"
			  " LEFT JOIN institutions i ON i.id = st.institution_id"
			  " WHERE b.county_id IS NOT NULL AND (?1 = 0 OR b.county_id = ?1) AND n.start >= ?2 AND n.start <= ?3"
			  " ORDER BY n.id",
			  "itt", county, first, last);
}

int store_monitor_reports(struct store *s, int64_t county, json_t **out)
{
	return store_rows(s, out,
			  "SELECT r.county_id, r.type, r.period, r.due,"
			  " (SELECT substr(min(v.delivered_at), 1, 10) FROM report_versions v WHERE v.report_id = r.id)"
			  " AS delivered_on"
			  " FROM reports r WHERE r.county_id IS NOT NULL AND (?1 = 0 OR r.county_id = ?1) ORDER BY r.id",
			  "i", county);
}
