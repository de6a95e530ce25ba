/* Opening the database, migrations, transactions and the generic query helpers. */
#include "store/internal.h"
#include "store/schema.h"

#include <assert.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"

static int sqlerr(struct store *s, struct nrm_err *err, const char *what)
{
	return nrm_fail(err, NRM_EIO, KEY_storage, NULL, "what", what, "detail", sqlite3_errmsg(s->db), NULL);
}

/* How long a write waits for the database before it gives up with NRM_EBUSY (503). */
#define WRITE_WAIT_MS 10000

/* Writers wait their turn here rather than in SQLite. SQLite lets one writer in at a time and
 * makes the others poll (its busy handler sleeps 1, 2, 5 ... 100 ms between tries), so under
 * many concurrent writers an unlucky one keeps missing its turn until its timeout and fails
 * with "busy". The connections of one process to one database file share this mutex instead:
 * a waiting writer sleeps until the lock is free, for up to WRITE_WAIT_MS; SQLite's own busy
 * timeout is left for writers of other processes (the CLI) and for single-statement writes. */
struct store_gate {
	struct store_gate *next;
	char *path;
	int refs;
	pthread_mutex_t mu;
};

static pthread_mutex_t gates_mu = PTHREAD_MUTEX_INITIALIZER;
static struct store_gate *gates;

static struct store_gate *gate_get(const char *path)
{
	if (!path || !*path)
		return NULL; /* an in-memory database has no other writer */
	pthread_mutex_lock(&gates_mu);
	struct store_gate *g = gates;
	while (g && strcmp(g->path, path) != 0)
		g = g->next;
	if (!g && (g = calloc(1, sizeof *g)) != NULL) {
		g->path = strdup(path);
		if (!g->path) {
			free(g);
			g = NULL;
		} else {
			pthread_mutex_init(&g->mu, NULL);
			g->next = gates;
			gates = g;
		}
	}
	if (g)
		g->refs++;
	pthread_mutex_unlock(&gates_mu);
	return g;
}

static void gate_put(struct store_gate *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&gates_mu);
	if (--g->refs == 0) {
		struct store_gate **pp = &gates;
		while (*pp != g)
			pp = &(*pp)->next;
		*pp = g->next;
		pthread_mutex_destroy(&g->mu);
		free(g->path);
		free(g);
	}
	pthread_mutex_unlock(&gates_mu);
}

static int gate_enter(struct store *s)
{
	if (!s->gate)
		return 0;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WRITE_WAIT_MS / 1000;
	if (pthread_mutex_timedlock(&s->gate->mu, &ts) != 0)
		return NRM_EBUSY;
	s->gate_held = 1;
	return 0;
}

static void gate_leave(struct store *s)
{
	if (s->gate_held) {
		s->gate_held = 0;
		pthread_mutex_unlock(&s->gate->mu);
	}
}

/* nrm_unhex(x): the bytes a text of hex digits spells, as a BLOB (what SQLite 3.41 calls
 * unhex, which the SQLite of Debian 12 lacks). Anything else — a BLOB already, text that is
 * not an even number of hex digits, NULL — comes back as it was, so a migration converting
 * hex text never loses a value. */
static int hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

static void sql_unhex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *t = sqlite3_value_type(argv[0]) == SQLITE_TEXT ? sqlite3_value_text(argv[0]) : NULL;
	int n = t ? sqlite3_value_bytes(argv[0]) : 0;
	unsigned char out[256];
	bool ok = t && n > 0 && n % 2 == 0 && (size_t)n / 2 <= sizeof out;
	for (int i = 0; ok && i < n; i += 2) {
		int hi = hexval(t[i]), lo = hexval(t[i + 1]);
		ok = hi >= 0 && lo >= 0;
		out[i / 2] = (unsigned char)(hi << 4 | (lo & 0xf));
	}
	if (ok)
		sqlite3_result_blob(ctx, out, n / 2, SQLITE_TRANSIENT);
	else
		sqlite3_result_value(ctx, argv[0]);
}

static int configure(struct store *s, struct nrm_err *err)
{
	sqlite3_busy_timeout(s->db, WRITE_WAIT_MS);
	if (sqlite3_create_function(s->db, "nrm_unhex", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				    sql_unhex, NULL, NULL) != SQLITE_OK)
		return sqlerr(s, err, "configure database");
	sqlite3_extended_result_codes(s->db, 1);
	const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			      "PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;";
	if (sqlite3_exec(s->db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(s, err, "configure database");
	return 0;
}

int store_schema_version(struct store *s)
{
	int64_t v = 0;
	if (store_int(s, &v, "PRAGMA user_version", ""))
		return -1;
	return (int)v;
}

/* Applies every migration newer than the file's user_version, each in its own transaction. */
static int migrate(struct store *s, struct nrm_err *err)
{
	int have = store_schema_version(s);
	if (have < 0)
		return sqlerr(s, err, "read schema version");
	char h[24], w[24];
	if (have > STORE_SCHEMA_VERSION)
		return nrm_fail(err, NRM_EVERSION, KEY_db_version, NULL, "have", nrm_num(h, have), "supported",
				nrm_num(w, STORE_SCHEMA_VERSION), NULL);
	for (int v = have + 1; v <= STORE_SCHEMA_VERSION; v++) {
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v);
		if (store_begin(s))
			return sqlerr(s, err, "begin migration");
		if (sqlite3_exec(s->db, schema_migrations[v - 1], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, "DELETE FROM settings WHERE key LIKE 'done:%'", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			int rc = sqlerr(s, err, "migration");
			store_rollback(s);
			return rc;
		}
		if (store_commit(s))
			return sqlerr(s, err, "commit migration");
	}
	return 0;
}

/* Before SQLite's first use: no count of the memory it allocates. Counting takes one mutex
 * shared by every connection for each allocation, and the server's threads queued on it
 * (nothing in nrm reads the count). Refused harmlessly when SQLite was already in use. */
static void sqlite_setup(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static _Atomic uint64_t db_ns, db_statements;

/* SQLITE_TRACE_PROFILE: each statement's time when it ends, added up (relaxed: a gauge). */
static int profile(unsigned type, void *ctx, void *stmt, void *ns)
{
	(void)ctx, (void)stmt;
	if (type == SQLITE_TRACE_PROFILE) {
		atomic_fetch_add_explicit(&db_ns, (uint64_t)*(sqlite3_int64 *)ns, memory_order_relaxed);
		atomic_fetch_add_explicit(&db_statements, 1, memory_order_relaxed);
	}
	return 0;
}

void store_db_time(uint64_t *ns, uint64_t *statements)
{
	*ns = atomic_load_explicit(&db_ns, memory_order_relaxed);
	*statements = atomic_load_explicit(&db_statements, memory_order_relaxed);
}

int store_metrics(struct store *s, json_t **out)
{
	return store_row(s, out,
			 "SELECT (SELECT count(*) FROM sessions WHERE expires_at > ?1) AS sessions,"
			 " json_object('password', (SELECT count(*) FROM login_failures WHERE kind = 'password' AND ts > ?1 - 3600),"
			 "  'code', (SELECT count(*) FROM login_failures WHERE kind = 'code' AND ts > ?1 - 3600)) AS login_failures_json,"
			 " json_object('queued', (SELECT count(*) FROM mail_outbox WHERE status = 'queued'),"
			 "  'failed', (SELECT count(*) FROM mail_outbox WHERE status = 'failed')) AS mail_json",
			 "S");
}

static int open_db(const char *path, int flags, struct store **out, struct nrm_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		return nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
	int rc, r = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (r == SQLITE_CANTOPEN && !(flags & SQLITE_OPEN_CREATE)) {
		rc = nrm_fail(err, NRM_ENOTFOUND, KEY_db_missing, "db", "path", path, NULL);
		goto fail;
	}
	if (r != SQLITE_OK) {
		rc = nrm_fail(err, NRM_EIO, KEY_db_open, "db", "path", path, "detail",
			      s->db ? sqlite3_errmsg(s->db) : "out of memory", NULL);
		goto fail;
	}
	s->gate = gate_get(sqlite3_db_filename(s->db, "main"));
	sqlite3_trace_v2(s->db, SQLITE_TRACE_PROFILE, profile, NULL);
	if ((rc = configure(s, err)) || (rc = migrate(s, err)))
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

int store_open(const char *path, struct store **out, struct nrm_err *err)
{
	/* Without SQLITE_OPEN_CREATE a missing file fails the open itself: no check-then-open. */
	return open_db(path, SQLITE_OPEN_READWRITE, out, err);
}

int store_create(const char *path, struct store **out, struct nrm_err *err)
{
	/* The file is made here, exclusively and private, so an existing one is never opened. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? nrm_fail(err, NRM_EEXIST, KEY_file_exists, "db", "path", path, NULL)
				       : nrm_fail(err, NRM_EIO, KEY_cannot_write, "db", "path", path, NULL);
	close(fd);
	mode_t old = umask(077); /* the -wal and -shm files too */
	int rc = open_db(path, SQLITE_OPEN_READWRITE, out, err);
	umask(old);
	return rc;
}

const char *store_path(struct store *s)
{
	const char *p = sqlite3_db_filename(s->db, "main");
	return p ? p : "";
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		assert(!s->cache[i].busy);
		sqlite3_finalize(s->cache[i].st);
		free(s->cache[i].sql);
	}
	sqlite3_close_v2(s->db);
	gate_put(s->gate);
	free(s);
}

int store_backup_to(struct store *s, const char *dest, struct nrm_err *err)
{
	sqlite3 *d = NULL;
	int r = sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (r != SQLITE_OK) {
		int rc = nrm_fail(err, NRM_EIO, KEY_db_open, "out", "path", dest, "detail",
				  d ? sqlite3_errmsg(d) : "out of memory", NULL);
		sqlite3_close_v2(d);
		return rc;
	}
	sqlite3_busy_timeout(d, 5000);
	sqlite3_backup *b = sqlite3_backup_init(d, "main", s->db, "main");
	if (!b) {
		int rc = nrm_fail(err, NRM_EIO, KEY_storage, NULL, "what", "backup", "detail", sqlite3_errmsg(d), NULL);
		sqlite3_close_v2(d);
		return rc;
	}
	/* -1: every page in one step, inside one read transaction of the source. In WAL mode the
	 * server's writers go on meanwhile; stepping in parts would restart on each of their
	 * commits. BUSY only when another connection holds a write lock on the source's very
	 * first read (busy_timeout covers it); retried a few times. */
	for (int tries = 0; tries < 20; tries++) {
		r = sqlite3_backup_step(b, -1);
		if (r != SQLITE_BUSY && r != SQLITE_LOCKED)
			break;
		sqlite3_sleep(100);
	}
	sqlite3_backup_finish(b);
	int rc = 0;
	if (r != SQLITE_DONE)
		rc = nrm_fail(err, NRM_EIO, KEY_storage, NULL, "what", "backup", "detail", sqlite3_errstr(r), NULL);
	if (sqlite3_close_v2(d) != SQLITE_OK && !rc)
		rc = nrm_fail(err, NRM_EIO, KEY_cannot_write, "out", "path", dest, NULL);
	return rc;
}

int store_integrity(const char *path, char *detail, size_t cap)
{
	sqlite3 *d = NULL;
	sqlite3_stmt *st = NULL;
	int rc = NRM_EIO;
	snprintf(detail, cap, "cannot open the database");
	if (sqlite3_open_v2(path, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto done;
	snprintf(detail, cap, "cannot run the check");
	if (sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		goto done;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		snprintf(detail, cap, "%s", first ? first : "");
		rc = first && strcmp(first, "ok") == 0 ? 0 : NRM_ECONFLICT;
	} else {
		/* A file that is not a database at all fails here ("file is not a database"). */
		snprintf(detail, cap, "%s", sqlite3_errmsg(d));
		rc = NRM_ECONFLICT;
	}
done:
	sqlite3_finalize(st);
	sqlite3_close_v2(d);
	return rc;
}

int store_checkpoint(struct store *s)
{
	int logged = 0, moved = 0;
	int r = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &logged, &moved);
	if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
		return NRM_EBUSY;
	return r == SQLITE_OK ? 0 : NRM_EIO;
}

int store_bulk(struct store *s, int mb)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", mb > 0 ? mb * 1024 : 2000);
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : NRM_EIO;
}

/* BEGIN, COMMIT and the like through the statement cache: sqlite3_exec compiles them on every
 * call, and every GET begins and ends a read (a twentieth of a case page). An SQLite code. */
static int tx(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	if (store_stmt_acquire(s, sql, &st))
		return SQLITE_ERROR;
	int r = sqlite3_step(st);
	store_stmt_release(s, st);
	return r == SQLITE_DONE ? SQLITE_OK : r;
}

int store_begin(struct store *s)
{
	bool outer = s->in_tx; /* SQLite refuses a nested BEGIN; the gate stays as it is */
	/* A read transaction open (store_read_begin) ends here: a write needs the newest
	 * snapshot, and SQLite cannot turn a reader into a writer once another wrote. */
	if (!outer && !sqlite3_get_autocommit(s->db) && tx(s, "COMMIT") != SQLITE_OK)
		return NRM_EIO;
	if (!outer && gate_enter(s))
		return NRM_EBUSY;
	int r = tx(s, "BEGIN IMMEDIATE");
	if (r != SQLITE_OK) {
		if (!outer)
			gate_leave(s);
		return r == SQLITE_BUSY || r == SQLITE_LOCKED ? NRM_EBUSY : NRM_EIO;
	}
	s->in_tx = 1;
	return 0;
}

int store_commit(struct store *s)
{
	if (tx(s, "COMMIT") != SQLITE_OK) {
		store_rollback(s);
		return NRM_EIO;
	}
	s->in_tx = 0;
	gate_leave(s);
	return 0;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	gate_leave(s);
}

int store_read_begin(struct store *s)
{
	/* Counted inside a write too, so that every end matches its begin whatever happened
	 * between them (a write begun, committed, or left to the caller's rollback). */
	if (!s->in_tx && sqlite3_get_autocommit(s->db) && tx(s, "BEGIN") != SQLITE_OK)
		return NRM_EIO;
	s->reads++;
	return 0;
}

void store_read_end(struct store *s)
{
	assert(s->reads > 0);
	if (--s->reads == 0 && !s->in_tx && !sqlite3_get_autocommit(s->db))
		tx(s, "COMMIT");
}

bool store_done(struct store *s, const char *what)
{
	int64_t n = 0;
	return store_int(s, &n, "SELECT count(*) FROM settings WHERE key = 'done:' || ?1", "t", what) == 0 && n > 0;
}

int store_done_mark(struct store *s, const char *what)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT OR REPLACE INTO settings(key, value) VALUES ('done:' || ?1, ?2)", "tN", what);
}

bool store_in_tx(const struct store *s)
{
	return s->in_tx != 0;
}

/* One JSON log line; SQLite's messages name tables and columns, never bound values. */
static void log_sql(const char *msg, const char *detail)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "level", "error", "msg", msg, "error", detail ? detail : "");
	char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (line)
		fprintf(stderr, "%s\n", line);
	free(line);
	json_decref(o);
}

static uint32_t sql_hash(const char *sql)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* A statement for sql (internal.h): the cached one when its slot holds this text and nobody uses it,
 * otherwise a new one, kept in the slot when the slot is free to take it. Hand it back with
 * store_stmt_release() — never sqlite3_finalize — so the cached one is reset (a statement left stepped
 * would hold its read transaction open) and can serve the next call. */
int store_stmt_acquire(struct store *s, const char *sql, sqlite3_stmt **out)
{
	struct store_stmt *slot = &s->cache[sql_hash(sql) % STORE_STMT_CACHE];
	if (slot->st && !slot->busy && strcmp(slot->sql, sql) == 0) {
		slot->busy = 1;
		*out = slot->st;
		return 0;
	}
	bool keep = !slot->busy;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL) != SQLITE_OK) {
		log_sql("sql prepare failed", sqlite3_errmsg(s->db));
		return NRM_EIO;
	}
	char *copy = keep ? strdup(sql) : NULL;
	if (copy) {
		sqlite3_finalize(slot->st);
		free(slot->sql);
		slot->sql = copy;
		slot->st = st;
		slot->busy = 1;
	}
	*out = st;
	return 0;
}

void store_stmt_release(struct store *s, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

static int prepare(struct store *s, sqlite3_stmt **st, const char *sql, const char *fmt, va_list ap)
{
	if (store_stmt_acquire(s, sql, st))
		return NRM_EIO;
	int i = 1;
	char now[21];
	for (const char *f = fmt; *f; f++, i++) {
		int rc;
		switch (*f) {
		case 'N':
			clock_stamp(now);
			rc = sqlite3_bind_text(*st, i, now, -1, SQLITE_TRANSIENT);
			break;
		case 'S': rc = sqlite3_bind_int64(*st, i, (sqlite3_int64)clock_now()); break;
		case 'i': rc = sqlite3_bind_int64(*st, i, va_arg(ap, int64_t)); break;
		case 'd': rc = sqlite3_bind_double(*st, i, va_arg(ap, double)); break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			rc = v > 0 ? sqlite3_bind_int64(*st, i, v) : sqlite3_bind_null(*st, i);
			break;
		}
		case 't': {
			const char *v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(*st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(*st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = sqlite3_bind_blob64(*st, i, p, n, SQLITE_TRANSIENT);
			break;
		}
		default: rc = SQLITE_MISUSE;
		}
		if (rc != SQLITE_OK) {
			store_stmt_release(s, *st);
			*st = NULL;
			return NRM_EIO;
		}
	}
	return 0;
}

static int step_error(struct store *s, int rc)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return NRM_ECONFLICT;
	if ((rc & 0xff) == SQLITE_BUSY)
		return NRM_EBUSY;
	log_sql("sql step failed", sqlite3_errmsg(s->db));
	return NRM_EIO;
}

static int vexec(struct store *s, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st;
	int rc = prepare(s, &st, sql, fmt, ap);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		;
	rc = r == SQLITE_DONE ? 0 : step_error(s, r);
	store_stmt_release(s, st);
	return rc;
}

int store_exec(struct store *s, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vexec(s, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int store_insert(struct store *s, int64_t *id, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vexec(s, sql, fmt, ap);
	va_end(ap);
	if (!rc)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

static json_t *column_json(sqlite3_stmt *st, int c, const char *name)
{
	switch (sqlite3_column_type(st, c)) {
	case SQLITE_INTEGER: {
		sqlite3_int64 v = sqlite3_column_int64(st, c);
		return ends_with(name, "_bool") ? json_boolean(v) : json_integer(v);
	}
	case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, c));
	case SQLITE_TEXT: {
		const char *t = (const char *)sqlite3_column_text(st, c);
		if (ends_with(name, "_json")) {
			json_t *j = json_loads(t, JSON_DECODE_ANY, NULL);
			return j ? j : json_null();
		}
		return json_stringn(t, (size_t)sqlite3_column_bytes(st, c));
	}
	case SQLITE_BLOB: return json_null();
	default: return json_null();
	}
}

static int collect(struct store *s, json_t **out, int first_only, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st;
	int rc = prepare(s, &st, sql, fmt, ap);
	if (rc)
		return rc;
	json_t *arr = json_array();
	int ncol = sqlite3_column_count(st), r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();
		for (int c = 0; c < ncol; c++) {
			const char *name = sqlite3_column_name(st, c);
			char key[128];
			snprintf(key, sizeof key, "%s", name);
			if (ends_with(key, "_json"))
				key[strlen(key) - 5] = '\0';
			else if (ends_with(key, "_bool"))
				key[strlen(key) - 5] = '\0';
			json_object_set_new(row, key, column_json(st, c, name));
		}
		json_array_append_new(arr, row);
		if (first_only)
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		rc = step_error(s, r);
		json_decref(arr);
	} else {
		*out = arr;
	}
	store_stmt_release(s, st);
	return rc;
}

int store_each(struct store *s, store_row_fn fn, void *arg, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = prepare(s, &st, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(arg, st)))
			break;
	if (!rc && r != SQLITE_DONE)
		rc = step_error(s, r);
	store_stmt_release(s, st);
	return rc;
}

int store_rows(struct store *s, json_t **out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = collect(s, out, 0, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int store_row(struct store *s, json_t **out, const char *sql, const char *fmt, ...)
{
	json_t *arr;
	va_list ap;
	va_start(ap, fmt);
	int rc = collect(s, &arr, 1, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return NRM_ENOTFOUND;
	}
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return 0;
}

static int first_value(struct store *s, sqlite3_stmt **st, const char *sql, const char *fmt, va_list ap)
{
	int rc = prepare(s, st, sql, fmt, ap);
	if (rc)
		return rc;
	int r = sqlite3_step(*st);
	if (r == SQLITE_ROW)
		return 0;
	rc = r == SQLITE_DONE ? NRM_ENOTFOUND : step_error(s, r);
	store_stmt_release(s, *st);
	*st = NULL;
	return rc;
}

int store_int(struct store *s, int64_t *out, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = first_value(s, &st, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = NRM_ENOTFOUND;
	else
		*out = sqlite3_column_int64(st, 0);
	store_stmt_release(s, st);
	return rc;
}

int store_text(struct store *s, char **out, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	va_start(ap, fmt);
	int rc = first_value(s, &st, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	const unsigned char *t = sqlite3_column_text(st, 0);
	if (!t) {
		rc = NRM_ENOTFOUND;
	} else {
		char *copy = strdup((const char *)t);
		if (!copy)
			rc = NRM_ENOMEM;
		else
			*out = copy;
	}
	store_stmt_release(s, st);
	return rc;
}

int store_changes(struct store *s)
{
	return sqlite3_changes(s->db);
}

int store_blobs(struct store *s, const char *sql, int64_t id, store_blob_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	if (store_stmt_acquire(s, sql, &st))
		return NRM_EIO;
	sqlite3_bind_int64(st, 1, id);
	int rc = 0, r = SQLITE_DONE;
	while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(st, 1),
			(size_t)sqlite3_column_bytes(st, 1), ctx);
	if (!rc && r != SQLITE_DONE)
		rc = NRM_EIO;
	store_stmt_release(s, st);
	return rc;
}
