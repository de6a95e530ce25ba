/* The queues of a user's working day (store/work.h). */
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "store/internal.h"
#include "store/work.h"

/* Each queue reads only what waits: through an index whose key ends where the waiting rows
 * part from the done ones (a referral's status; a case's stage, the final one skipped as two
 * ranges on either side of it), so a queue costs what it holds, not every case ever closed. */
int store_work_referrals(struct store *s, char dir, int64_t institution, int limit, json_t **out)
{
	/* A page through the pending referrals' own index (schema 24), and a count that stops at
	 * STORE_WORK_COUNT_MAX + 1 (a window over all of them read every one: hundreds for a
	 * county's police at a million cases). */
	const char *col = dir == 'i' ? "to_institution" : "from_institution";
	char sql[1400];
	int n = snprintf(sql, sizeof sql,
			 "SELECT r.id, c.code, c.is_child AS is_child_bool, r.service, f.name AS from_name, t.name AS to_name,"
			 " r.created_at, (SELECT count(*) FROM (SELECT 1 FROM referrals x INDEXED BY referrals_%s_pending"
			 " JOIN cases y ON y.id = x.case_id WHERE x.%s = ?1 AND x.status = 'pending' AND y.merged_into IS NULL"
			 " LIMIT %d)) AS total FROM referrals r INDEXED BY referrals_%s_pending JOIN cases c ON c.id = r.case_id"
			 " JOIN institutions f ON f.id = r.from_institution JOIN institutions t ON t.id = r.to_institution"
			 " WHERE r.%s = ?1 AND r.status = 'pending' AND c.merged_into IS NULL ORDER BY r.created_at, r.id LIMIT ?2",
			 dir == 'i' ? "to" : "from", col, STORE_WORK_COUNT_MAX + 1, dir == 'i' ? "to" : "from", col);
	if (n < 0 || (size_t)n >= sizeof sql)
		return NRM_EIO;
	return store_rows(s, out, sql, "ii", institution, (int64_t)limit);
}

/* A queue of open cases: those whose `key` column holds ?1, in one of the open `stages` (the
 * form's codes, quoted here), not merged; the oldest by `date` first. Read through the index
 * on (key, stage, date): a page of each stage, merged by date — what waits, not every case
 * ever closed. The count reads the same index, each case's row for whether it was merged,
 * and stops after STORE_WORK_COUNT_MAX + 1: at most that many reads, however many cases were
 * merged (a NOT IN over the merged ones read them all, 2% of a million); it rides on each row
 * as "total". `cols` are columns of cases c; `outer` the
 * select around the pages (x), `tail` what follows them. */
struct queue {
	const char *index, *key, *date, *cols, *outer, *tail;
};

static int open_queue(struct store *s, const struct queue *q, json_t *stages, const char *key_text, int64_t key_id,
		      int limit, json_t **out)
{
	struct buf items = {0}, count = {0};
	json_t *st, *rows = NULL, *r;
	size_t i;
	int64_t total = 0;
	int rc = buf_printf(&items, "%s FROM (", q->outer) ||
		 buf_printf(&count, "SELECT count(*) FROM (SELECT 1 FROM cases c INDEXED BY %s WHERE c.%s = ?1 AND c.stage IN (",
			    q->index, q->key)
		 ? NRM_ENOMEM : 0;
	json_array_foreach(stages, i, st) {
		char *lit = sqlite3_mprintf("%Q", json_string_value(st));
		if (!rc && (!lit || (i && (buf_puts(&items, " UNION ALL ") || buf_puts(&count, ", "))) ||
			    buf_printf(&items,
				       "SELECT * FROM (SELECT c.id, c.%s, %s FROM cases c INDEXED BY %s WHERE c.%s = ?1"
				       " AND c.stage = %s AND c.merged_into IS NULL ORDER BY c.%s, c.id LIMIT ?2)",
				       q->date, q->cols, q->index, q->key, lit, q->date) ||
			    buf_puts(&count, lit)))
			rc = NRM_ENOMEM;
		sqlite3_free(lit);
	}
	if (!rc && (buf_printf(&items, ") x%s ORDER BY x.%s, x.id LIMIT ?2", q->tail, q->date) ||
		    buf_printf(&count, ") AND c.merged_into IS NULL LIMIT %d)", STORE_WORK_COUNT_MAX + 1)))
		rc = NRM_ENOMEM;
	if (!rc && json_array_size(stages) == 0)
		rows = json_array();
	else if (!rc)
		rc = key_text ? store_rows(s, &rows, items.p, "ti", key_text, (int64_t)limit)
			      : store_rows(s, &rows, items.p, "ii", key_id, (int64_t)limit);
	if (!rc && json_array_size(rows))
		rc = key_text ? store_int(s, &total, count.p, "t", key_text) : store_int(s, &total, count.p, "i", key_id);
	buf_free(&items);
	buf_free(&count);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	json_array_foreach(rows, i, r)
		json_object_set_new(r, "total", json_integer(total));
	*out = rows;
	return 0;
}

int store_work_cases_held(struct store *s, int64_t institution, json_t *stages, int limit, json_t **out)
{
	static const struct queue q = {"cases_holder_stage", "holder_id", "updated_at", "c.code, c.stage, c.is_child",
				       "SELECT x.code, x.stage, x.is_child AS is_child_bool, x.updated_at", ""};
	return open_queue(s, &q, stages, NULL, institution, limit, out);
}

int store_work_undecided(struct store *s, const char *undecided, json_t *stages, int limit, json_t **out)
{
	static const struct queue q = {
		"cases_status_stage", "status", "identified_on", "c.code, c.stage, c.is_child, c.county_id",
		"SELECT x.code, x.stage, x.is_child AS is_child_bool, x.identified_on, k.slug AS county",
		" JOIN counties k ON k.id = x.county_id"};
	return open_queue(s, &q, stages, undecided, 0, limit, out);
}

int store_work_duplicates(struct store *s, int limit, json_t **out)
{
	/* A page through (status, created_at), and a count that stops (not a window over all). An
	 * open pair one of whose cases was merged since (into a third) is no longer a question, as
	 * in the queue itself (store_duplicates). */
	return store_rows(s, out,
			  "SELECT d.id, a.code AS code_a, b.code AS code_b, d.created_at, (SELECT count(*) FROM (SELECT 1"
			  " FROM duplicates x JOIN cases xa ON xa.id = x.case_a JOIN cases xb ON xb.id = x.case_b"
			  " WHERE x.status = 'open' AND xa.merged_into IS NULL AND xb.merged_into IS NULL LIMIT ?2)) AS total"
			  " FROM duplicates d JOIN cases a ON a.id = d.case_a JOIN cases b ON b.id = d.case_b"
			  " WHERE d.status = 'open' AND a.merged_into IS NULL AND b.merged_into IS NULL"
			  " ORDER BY d.created_at, d.id LIMIT ?1",
			  "ii", (int64_t)limit, (int64_t)STORE_WORK_COUNT_MAX + 1);
}

int store_work_reports(struct store *s, int64_t county, json_t **out)
{
	return store_rows(s, out,
			  "SELECT r.id, r.type, r.body_id, b.kind AS body_kind, k.slug AS county, r.county_id, r.period, r.due, r.status,"
			  " (SELECT min(v.delivered_at) FROM report_versions v WHERE v.report_id = r.id) AS delivered_at"
			  " FROM reports r LEFT JOIN counties k ON k.id = r.county_id LEFT JOIN bodies b ON b.id = r.body_id"
			  " WHERE r.status NOT IN ('acknowledged') AND (?1 = 0 OR (?1 < 0 AND r.county_id IS NULL)"
			  " OR r.county_id = ?1) ORDER BY r.due, r.id",
			  "i", county);
}

int store_work_agreements_ending(struct store *s, int64_t county, const char *until, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT a.id, a.title, a.counterpart, a.valid_until, count(*) OVER () AS total FROM agreements a"
			  " WHERE a.county_id = ?1 AND a.valid_until IS NOT NULL AND a.valid_until < ?2"
			  " AND NOT EXISTS (SELECT 1 FROM agreements n WHERE n.county_id = a.county_id"
			  "  AND n.counterpart = a.counterpart AND n.id <> a.id"
			  "  AND (n.valid_until IS NULL OR n.valid_until > a.valid_until))"
			  " ORDER BY a.valid_until, a.id LIMIT ?3",
			  "iti", county, until, (int64_t)limit);
}

int store_work_locked(struct store *s, int64_t since, int64_t min, int limit, json_t **out)
{
	return store_rows(s, out,
			  "SELECT u.id, u.username, max(f.ts) AS last_failure, count(*) AS failures,"
			  " count(*) OVER () AS total FROM login_failures f JOIN users u ON u.id = f.user_id"
			  " WHERE f.ts >= ?1 AND u.disabled = 0 GROUP BY u.id HAVING count(*) >= ?2"
			  " ORDER BY last_failure DESC LIMIT ?3",
			  "iii", since, min, (int64_t)limit);
}

int store_work_next_meeting(struct store *s, json_t *kinds, int64_t county, const char *today, json_t **out)
{
	char *k = json_dumps(kinds, JSON_COMPACT);
	if (!k)
		return NRM_ENOMEM;
	int rc = store_row(s, out,
			   "SELECT m.id, m.body_id AS body, b.name_sq AS body_name, b.name_en AS body_name_en, m.date, m.time"
			   " FROM meetings m JOIN bodies b ON b.id = m.body_id"
			   " WHERE b.kind IN (SELECT value FROM json_each(?1)) AND coalesce(b.county_id, 0) = ?2"
			   " AND m.date >= ?3 AND m.status = 'scheduled' ORDER BY m.date, m.time, m.id",
			   "tit", k, county, today);
	free(k);
	return rc;
}
