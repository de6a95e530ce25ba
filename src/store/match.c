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

int store_case_identity_changed(struct store *s, int64_t case_id)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO case_identity(case_id, rev) VALUES (?1, 1)"
			  " ON CONFLICT(case_id) DO UPDATE SET rev = rev + 1",
			  "i", case_id);
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

int store_duplicates_open(struct store *s, int64_t *n)
{
	return store_int(s, n,
			 "SELECT count(*) FROM duplicates d JOIN cases a ON a.id = d.case_a JOIN cases b ON b.id = d.case_b"
			 " WHERE d.status = 'open' AND a.merged_into IS NULL AND b.merged_into IS NULL",
			 "");
}

int store_duplicate_similar(struct store *s, int64_t a, int64_t b, double score, const char *agreed, bool *queued)
{
	STORE_WRITES(s);
	json_t *d = NULL;
	int rc = store_exec(s,
			    "INSERT OR IGNORE INTO duplicates(case_a, case_b, reason, created_at) VALUES (min(?1, ?2),"
			    " max(?1, ?2), 'similar', ?3)",
			    "iiN", a, b);
	if (!rc)
		rc = store_row(s, &d,
			       "SELECT d.id, d.status, " STORE_DUP_CHANGED " AS changed_bool FROM duplicates d"
			       " WHERE d.case_a = min(?1, ?2) AND d.case_b = max(?1, ?2)",
			       "ii", a, b);
	if (rc)
		return rc;
	int64_t id = json_integer_value(json_object_get(d, "id"));
	const char *status = json_string_value(json_object_get(d, "status"));
	bool open = status && strcmp(status, "open") == 0, dismissed = status && strcmp(status, "dismissed") == 0;
	bool reopen = dismissed && json_is_true(json_object_get(d, "changed"));
	json_decref(d);
	if (reopen)
		rc = store_exec(s,
				"UPDATE duplicates SET status = 'open', resolved_at = NULL, resolved_by = NULL WHERE id = ?1",
				"i", id);
	if (!rc && (open || dismissed))
		rc = store_exec(s,
				"INSERT INTO duplicate_scores(duplicate_id, score, agreed) VALUES (?1, ?2, ?3)"
				" ON CONFLICT(duplicate_id) DO UPDATE SET score = ?2, agreed = ?3",
				"idt", id, score, agreed);
	if (!rc)
		*queued = open || reopen;
	return rc;
}
