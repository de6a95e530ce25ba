/* SQL of approximate matching. */
#include "store/match.h"
#include "store/internal.h"

#include <string.h>

int store_match_clear(struct store *s, int64_t case_id)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM case_match WHERE case_id = ?1", "i", case_id);
}

int store_match_put(struct store *s, int64_t case_id, int64_t version, const void *block, size_t block_n,
		    const void *enc, size_t enc_n)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT OR REPLACE INTO case_match(block, case_id, v, enc) VALUES (?1, ?2, ?3, ?4)", "biib", block,
			  block_n, case_id, version, enc, enc_n);
}

struct each {
	store_match_fn fn;
	void *arg;
};

static int row(void *arg, sqlite3_stmt *st)
{
	struct each *e = arg;
	return e->fn(e->arg, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
}

int store_match_block(struct store *s, const void *block, size_t block_n, int64_t version, int64_t case_id,
		      store_match_fn fn, void *arg)
{
	struct each e = {.fn = fn, .arg = arg};
	/* The block's rows are one range of the table's key (block, case_id, v). */
	/* Only live cases are encoded (a merge drops the merged one's): no lookup of each case. */
	return store_each(s, row, &e, "SELECT case_id, enc FROM case_match WHERE block = ?1 AND v = ?2 AND case_id <> ?3",
			  "bii", block, block_n, version, case_id);
}

int store_match_of(struct store *s, int64_t case_id, int64_t version, char **out)
{
	return store_text(s, out, "SELECT hex(block) || hex(enc) FROM case_match WHERE case_id = ?1 AND v = ?2", "ii",
			  case_id, version);
}

int store_match_cases(struct store *s, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out, "SELECT id FROM cases WHERE id > ?1 AND merged_into IS NULL ORDER BY id LIMIT ?2", "ii",
			  after, (int64_t)limit);
}

bool store_match_encoded(struct store *s, const char *digest)
{
	int64_t n = 0;
	return store_int(s, &n, "SELECT count(*) FROM settings WHERE key = 'match:encoded' AND value = ?1", "t", digest) ==
		       0 &&
	       n > 0;
}

int store_match_encoded_mark(struct store *s, const char *digest)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT OR REPLACE INTO settings(key, value) VALUES ('match:encoded', ?1)", "t", digest);
}

int store_match_drop_except(struct store *s, int64_t version)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM case_match WHERE v <> ?1", "i", version);
}

int store_duplicate_similar(struct store *s, int64_t a, int64_t b, double score, const char *agreed,
			    const void *seen, size_t seen_n, bool *queued)
{
	STORE_WRITES(s);
	int64_t id = 0;
	json_t *d = NULL;
	int rc = store_exec(s,
			    "INSERT OR IGNORE INTO duplicates(case_a, case_b, reason, created_at) VALUES (min(?1, ?2),"
			    " max(?1, ?2), 'similar', ?3)",
			    "iiN", a, b);
	if (!rc)
		rc = store_row(s, &d,
			       "SELECT d.id, d.status, s.seen IS NULL AS unseen_bool, s.seen IS NOT NULL AND s.seen = ?3 AS"
			       " same_bool FROM duplicates d LEFT JOIN duplicate_scores s ON s.duplicate_id = d.id"
			       " WHERE d.case_a = min(?1, ?2) AND d.case_b = max(?1, ?2)",
			       "iib", a, b, seen, seen_n);
	if (rc)
		return rc;
	id = json_integer_value(json_object_get(d, "id"));
	const char *status = json_string_value(json_object_get(d, "status"));
	bool open = status && strcmp(status, "open") == 0, dismissed = status && strcmp(status, "dismissed") == 0;
	bool unseen = json_is_true(json_object_get(d, "unseen")), same = json_is_true(json_object_get(d, "same"));
	json_decref(d);
	/* Dismissed with these very encodings (or before they were kept: taken as these): it stays so. */
	if (dismissed && !same && !unseen)
		rc = store_exec(s,
				"UPDATE duplicates SET status = 'open', resolved_at = NULL, resolved_by = NULL WHERE id = ?1",
				"i", id);
	bool now_open = open || (dismissed && !same && !unseen);
	if (!rc && (now_open || dismissed))
		rc = store_exec(s,
				"INSERT INTO duplicate_scores(duplicate_id, score, agreed, seen) VALUES (?1, ?2, ?3, ?4)"
				" ON CONFLICT(duplicate_id) DO UPDATE SET score = ?2, agreed = ?3, seen = ?4",
				"idtb", id, score, agreed, seen, seen_n);
	if (!rc)
		*queued = now_open;
	return rc;
}
