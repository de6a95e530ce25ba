/* SQL of the National Database. */
#include "store/case.h"
#include "store/internal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_form_put(struct store *s, const char *name, const char *json)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO forms(name, json, loaded_at) VALUES (?1, ?2, ?3) ON CONFLICT(name) DO UPDATE SET json = ?2,"
			  " loaded_at = ?3",
			  "ttN", name, json);
}

int store_forms(struct store *s, json_t **out)
{
	return store_rows(s, out, "SELECT name, json AS doc_json FROM forms ORDER BY name", "");
}

int store_form_get(struct store *s, const char *name, json_t **out)
{
	json_t *row;
	int rc = store_row(s, &row, "SELECT json AS doc_json FROM forms WHERE name = ?1", "t", name);
	if (rc)
		return rc;
	json_t *doc = json_object_get(row, "doc");
	if (doc)
		*out = json_incref(doc);
	json_decref(row);
	return doc ? 0 : NRM_ENOTFOUND;
}

int store_case_next_seq(struct store *s, const char *prefix, int64_t *seq)
{
	STORE_WRITES(s); /* the number is taken for a case added in the same transaction */
	int rc = store_exec(s,
			    "INSERT INTO case_seqs(prefix, last) VALUES (?1, 1)"
			    " ON CONFLICT(prefix) DO UPDATE SET last = last + 1",
			    "t", prefix);
	return rc ? rc : store_int(s, seq, "SELECT last FROM case_seqs WHERE prefix = ?1", "t", prefix);
}

/* A list row's fields: those of `data` (JSON text of a case's fields) named in `names` (a JSON
 * array of names), as an object. json_each gives a JSON boolean as 1 or 0: turned back. */
#define LIST_OF(data, names)                                                                                           \
	"(SELECT json_group_object(e.key, CASE e.type WHEN 'true' THEN json('true') WHEN 'false' THEN json('false')"   \
	" ELSE e.value END) FROM json_each(" data ") e WHERE e.key IN (SELECT value FROM json_each(" names ")))"
/* The names the column cases.list_json was made with (store_cases_list_refresh); none before the
 * first refresh, and the column is then NULL. */
#define LIST_STAMP "(SELECT value FROM settings WHERE key = 'list:fields')"
#define LIST_KEPT(data) "(CASE WHEN " LIST_STAMP " IS NULL THEN NULL ELSE " LIST_OF(data, LIST_STAMP) " END)"

int store_case_add(struct store *s, const struct case_row *c, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO cases(code, county_id, year, seq, stage, closed_from, status, is_child, sex, age_band,"
			    " identified_on, holder_id, creator_id, data_json, created_at, updated_at, age, list_json) VALUES (?1,"
			    " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, " LIST_KEPT("?14") ")",
			    "tiiittti" "tttiitNi", c->code, c->county, c->year, c->seq, c->stage, c->closed_from, c->status,
			    (int64_t)c->is_child, c->sex, c->age_band, c->identified_on, c->holder, c->creator, c->data_json,
			    (int64_t)c->age);
}

int store_case_update(struct store *s, int64_t id, int64_t version, const struct case_row *c)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE cases SET county_id = ?3, stage = ?4, closed_from = ?5, status = ?6, is_child = ?7,"
			    " sex = ?8, age_band = ?9, identified_on = ?10, data_json = ?11, list_json = " LIST_KEPT("?11") ","
			    " version = version + 1, updated_at = ?12, age = ?13 WHERE id = ?1 AND version = ?2",
			    "iiitttittttNi", id, version, c->county, c->stage, c->closed_from, c->status, (int64_t)c->is_child,
			    c->sex, c->age_band, c->identified_on, c->data_json, (int64_t)c->age);
	if (!rc && store_changes(s) == 0)
		return NRM_ECONFLICT;
	return rc;
}

int store_case_hand_over(struct store *s, int64_t id, int64_t from, int64_t to)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE cases SET holder_id = ?3, version = version + 1, updated_at = ?4"
			    " WHERE id = ?1 AND holder_id = ?2 AND merged_into IS NULL",
			    "iiiN", id, from, to);
	if (!rc && store_changes(s) == 0)
		return NRM_ECONFLICT;
	return rc;
}

bool store_cases_list_current(struct store *s, const char *names)
{
	int64_t n = 0;
	return store_int(s, &n, "SELECT count(*) FROM settings WHERE key = 'list:fields' AND value = ?1", "t", names) == 0 &&
	       n > 0;
}

int store_cases_list_refresh(struct store *s, const char *names, int64_t *count)
{
	STORE_WRITES(s);
	int rc = store_exec(s, "INSERT OR REPLACE INTO settings(key, value) VALUES ('list:fields', ?1)", "t", names);
	if (!rc)
		rc = store_exec(s, "UPDATE cases SET list_json = " LIST_OF("data_json", "?1"), "t", names);
	if (!rc)
		*count = store_changes(s);
	return rc;
}

int store_case_set_merged(struct store *s, int64_t id, int64_t into)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE cases SET merged_into = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
			  "iiN", id, into);
}

#define CASE_COLS \
	"SELECT c.id, c.code, k.slug AS county, c.county_id, c.stage, c.closed_from, c.status, c.is_child AS is_child_bool," \
	" c.sex, c.age_band, c.identified_on, c.holder_id AS holder, h.name AS holder_name, c.creator_id AS creator," \
	" r.name AS creator_name, c.data_json AS fields_json, c.version, m.code AS merged_into, c.created_at, c.updated_at" \
	" FROM cases c JOIN counties k ON k.id = c.county_id JOIN institutions h ON h.id = c.holder_id" \
	" JOIN institutions r ON r.id = c.creator_id LEFT JOIN cases m ON m.id = c.merged_into"

int store_case_get(struct store *s, const char *code, int64_t id, json_t **out)
{
	if (code)
		return store_row(s, out, CASE_COLS " WHERE c.code = ?1", "t", code);
	return store_row(s, out, CASE_COLS " WHERE c.id = ?1", "i", id);
}

#define VISIBLE_TO_INSTITUTION(n) \
	"(c.holder_id = ?" n " OR c.creator_id = ?" n " OR EXISTS (SELECT 1 FROM referrals x WHERE x.case_id = c.id" \
	" AND x.to_institution = ?" n " AND x.status <> 'declined'))"

/* A list's SQL, written into a fixed buffer; an overflow is an error (the buffer holds the
 * longest list, every filter set, several times over). */
struct sql {
	char text[6144];
	size_t len;
	bool over;
};

static void put(struct sql *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof q->text - q->len;
	int n = vsnprintf(q->text + q->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		q->over = true;
	else
		q->len += (size_t)n;
}

/* Parameters of every list query (each binds all of them, in this order). */
#define P_SCOPE "?1"
#define P_CODE "?2"
#define P_CODE_END "?3"
#define P_STAGE "?4"
#define P_STATUS "?5"
#define P_FROM "?6"
#define P_TO "?7"
#define P_EXPLOIT "?8"
#define P_EXPLOIT_FIELD "?9"
#define P_COUNTY "?10"
#define P_HOLDER "?11"
#define P_CHILD "?12"
#define P_LIST "?13"
#define P_BEFORE "?14"
#define P_LIMIT "?15"

/* Which filters may be read through their column's index. A plus sign before a column keeps
 * SQLite from using its index: a filter that matches many rows must not drive the query (the
 * keyset order does, and meets its matches soon). Equalities read through an index come in id
 * order (the rowid ends every index), ranges do not. */
enum { ANY_INDEX = 0, NO_RANGE = 1, NO_EQUAL = 2, NO_INDEX = NO_RANGE | NO_EQUAL, STAGE_INDEX = 4 };

static void where_filters(struct sql *q, const struct case_filter *f, const char *code_end, int mode)
{
	const char *r = mode & NO_RANGE ? "+" : "", *e = mode & NO_EQUAL ? "+" : "";
	const char *es = mode & STAGE_INDEX ? "" : e;
	if (f->code) {
		put(q, " AND %sc.code >= " P_CODE, r);
		if (code_end)
			put(q, " AND %sc.code < " P_CODE_END, r);
	}
	if (f->stage)
		put(q, " AND %sc.stage = " P_STAGE, es);
	if (f->status)
		put(q, " AND %sc.status = " P_STATUS, e);
	if (f->from)
		put(q, " AND %sc.identified_on >= " P_FROM, r);
	if (f->to)
		put(q, " AND %sc.identified_on <= " P_TO, r);
	if (f->exploitation)
		put(q, " AND EXISTS (SELECT 1 FROM json_each(c.data_json, '$.\"' || " P_EXPLOIT_FIELD " || '\"') e"
		       " WHERE e.value = " P_EXPLOIT ")");
	if (f->county)
		put(q, " AND %sc.county_id = " P_COUNTY, e);
	if (f->institution)
		put(q, " AND %sc.holder_id = " P_HOLDER, e);
	if (f->child >= 0)
		put(q, " AND c.is_child = " P_CHILD);
	if (!f->include_merged)
		put(q, " AND c.merged_into IS NULL");
}

/* The first string after every string that starts with `p` (the end of their range, in
 * SQLite's byte order): its last byte below 0xff raised by one, what follows it dropped. 0
 * when there is none. */
static int prefix_end(const char *p, char *out, size_t cap)
{
	size_t n = strlen(p);
	if (n >= cap)
		return 0;
	memcpy(out, p, n + 1);
	while (n > 0 && (unsigned char)out[n - 1] == 0xff)
		n--;
	if (n == 0)
		return 0;
	out[n - 1] = (char)((unsigned char)out[n - 1] + 1);
	out[n] = '\0';
	return 1;
}

/* A filter read through its own index visits at most PROBE_CAP rows before it counts as one
 * that matches many. Below that, the page is made of those rows (bounded work, however few of
 * them the user may see); at or above it, the list walks its keyset order instead. */
#define PROBE_CAP 2000
#define COUNTED(w) "SELECT count(*) FROM (SELECT 1 FROM cases c WHERE " w " LIMIT 2000)"

/* Not an index of cases: the cases with a code of the form of exploitation (schema 20). */
#define BY_CODES "case_dims_exploitation"

/* The index of the filter that matches fewest rows, when fewer than PROBE_CAP; NULL when none
 * does (or no filter has an index). Each probe reads at most PROBE_CAP index entries. */
static int selective_index(struct store *s, const struct case_filter *f, const char *code_end, const char **index)
{
	const char *from = f->from ? f->from : f->to;
	struct {
		const char *index, *sql, *fmt, *a, *b;
		int64_t n;
	} all[] = {
		{f->code ? "sqlite_autoindex_cases_1" : NULL,
		 code_end ? COUNTED("c.code >= ?1 AND c.code < ?2") : COUNTED("c.code >= ?1"), code_end ? "tt" : "t",
		 f->code, code_end, 0},
		{f->from || f->to ? "cases_identified" : NULL,
		 f->from && f->to ? COUNTED("c.identified_on >= ?1 AND c.identified_on <= ?2")
		 : f->from	  ? COUNTED("c.identified_on >= ?1")
				  : COUNTED("c.identified_on <= ?1"),
		 f->from && f->to ? "tt" : "t", from, f->to, 0},
		{f->stage ? "cases_stage" : NULL, COUNTED("c.stage = ?1"), "t", f->stage, NULL, 0},
		{f->status ? "cases_status" : NULL, COUNTED("c.status = ?1"), "t", f->status, NULL, 0},
		/* each of the two may match thousands and both together none */
		{f->status && f->stage ? "cases_status_stage" : NULL, COUNTED("c.status = ?1 AND c.stage = ?2"), "tt",
		 f->status, f->stage, 0},
		{f->county ? "cases_county_id" : NULL, COUNTED("c.county_id = ?1"), "i", NULL, NULL, f->county},
		{f->institution ? "cases_holder" : NULL, COUNTED("c.holder_id = ?1"), "i", NULL, NULL, f->institution},
		{f->exploitation && f->exploitation_dim ? BY_CODES : NULL,
		 "SELECT count(*) FROM (SELECT 1 FROM case_dims WHERE dim = '" STORE_CODES_DIM "' AND value = ?1 LIMIT 2000)",
		 "t", f->exploitation, NULL, 0},
	};
	int64_t best = PROBE_CAP;
	*index = NULL;
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		int64_t n = 0;
		int rc;
		if (!all[i].index)
			continue;
		if (all[i].fmt[0] == 'i')
			rc = store_int(s, &n, all[i].sql, "i", all[i].n);
		else
			rc = store_int(s, &n, all[i].sql, all[i].fmt, all[i].a, all[i].b);
		if (rc)
			return rc;
		if (n < best) {
			best = n;
			*index = all[i].index;
		}
	}
	return 0;
}

/* The list's columns. A list shows the fields its form marks "list" (P_LIST, a JSON array of
 * their names): kept, made when the case was written, in cases.list_json while the names it was
 * made with are the list's (LIST_STAMP, a constant of the statement: read once); else SQLite
 * picks them out of the stored JSON, which is then neither parsed whole nor cut down per row
 * (at several times the cost: json_each per row). Every field when there is no such list. */
static void fields_column(struct sql *q, const struct case_filter *f)
{
	if (f->list_fields)
		put(q, "CASE WHEN " P_LIST " = " LIST_STAMP " THEN coalesce(c.list_json, " LIST_OF("c.data_json", P_LIST)
		       ") ELSE " LIST_OF("c.data_json", P_LIST) " END");
	else
		put(q, "c.data_json");
}

static void columns(struct sql *q, const struct case_filter *f, bool as_json)
{
	if (as_json) {
		/* The columns of text_keys, in its order. */
		put(q, "SELECT c.id, c.code, k.slug, c.stage, c.closed_from, c.status, c.is_child, c.sex, c.age_band,"
		       " c.identified_on, c.holder_id, h.name, c.creator_id, r.name, ");
		fields_column(q, f);
		put(q, ", c.version, m.code, c.created_at, c.updated_at");
		return;
	}
	put(q, "SELECT c.id, c.code, k.slug AS county, c.county_id, c.stage, c.closed_from, c.status,"
	       " c.is_child AS is_child_bool, c.sex, c.age_band, c.identified_on, c.holder_id AS holder,"
	       " h.name AS holder_name, c.creator_id AS creator, r.name AS creator_name, ");
	fields_column(q, f);
	put(q, " AS fields_json, c.version, m.code AS merged_into, c.created_at, c.updated_at");
}

static void scope_where(struct sql *q, const struct case_filter *f)
{
	if (f->scope == CASES_COUNTY)
		put(q, " AND c.county_id = " P_SCOPE);
	else if (f->scope == CASES_INSTITUTION)
		put(q, " AND " VISIBLE_TO_INSTITUTION("1"));
}

/* The page's ids, newest first below the cursor, read one of three ways:
 *  - a filter that matches few rows (selective_index): through that filter's index (for a
 *    form of exploitation, the index of the figures' dimension of its codes), the scope and
 *    the other filters checked on those few rows, then sorted;
 *  - all cases, or a county's: in id order (the rowid, or the county's index); an equality
 *    filter on an indexed column may drive it instead (its index is in id order too);
 *  - an institution's: the union of three walks in id order, each at most a page long: the
 *    cases it holds, those it created (with a stage filter: of that stage, through (key,
 *    stage)), and those referred to it and not declined. */
static void page_ids(struct sql *q, const struct case_filter *f, const char *code_end, const char *index)
{
	if (index && strcmp(index, BY_CODES) == 0) {
		/* The few cases with the code, newest first through the dimension's index; the field
		 * itself still checked (where_filters), so that "unknown" matches nothing. */
		put(q, "SELECT c.id FROM case_dims x INDEXED BY " BY_CODES " JOIN cases c ON c.id = x.case_id"
		       " WHERE x.dim = '" STORE_CODES_DIM "' AND x.value = " P_EXPLOIT " AND x.case_id < " P_BEFORE);
		scope_where(q, f);
		where_filters(q, f, code_end, NO_INDEX);
		put(q, " ORDER BY x.case_id DESC LIMIT " P_LIMIT);
	} else if (index) {
		put(q, "SELECT c.id FROM cases c INDEXED BY %s WHERE c.id < " P_BEFORE, index);
		scope_where(q, f);
		where_filters(q, f, code_end, ANY_INDEX);
		put(q, " ORDER BY c.id DESC LIMIT " P_LIMIT);
	} else if (f->scope != CASES_INSTITUTION) {
		put(q, "SELECT c.id FROM cases c WHERE c.id < " P_BEFORE);
		scope_where(q, f);
		where_filters(q, f, code_end, NO_RANGE);
		put(q, " ORDER BY c.id DESC LIMIT " P_LIMIT);
	} else {
		static const char *const own[] = {"holder_id", "creator_id"}, *const by_stage[] = {"cases_holder_by_stage",
												     "cases_creator_by_stage"};
		for (int i = 0; i < 2; i++) {
			/* With a stage, (key, stage) walks only that stage's cases, still in id order. */
			put(q, "SELECT id FROM (SELECT c.id FROM cases c");
			if (f->stage)
				put(q, " INDEXED BY %s", by_stage[i]);
			put(q, " WHERE c.%s = " P_SCOPE " AND c.id < " P_BEFORE, own[i]);
			where_filters(q, f, code_end, f->stage ? NO_INDEX | STAGE_INDEX : NO_INDEX);
			put(q, " ORDER BY c.id DESC LIMIT " P_LIMIT ") UNION ");
		}
		put(q, "SELECT id FROM (SELECT DISTINCT x.case_id AS id FROM referrals x JOIN cases c ON c.id = x.case_id"
		       " WHERE x.to_institution = " P_SCOPE " AND x.status <> 'declined' AND x.case_id < " P_BEFORE);
		where_filters(q, f, code_end, NO_INDEX);
		put(q, " ORDER BY x.case_id DESC LIMIT " P_LIMIT ")");
	}
}

/* The list's SQL into q (a filter's probes run first: they choose how the list is read). */
static int cases_sql(struct store *s, const struct case_filter *f, const char *code_end, bool as_json, struct sql *q)
{
	const char *index = NULL;
	int rc = selective_index(s, f, code_end, &index);
	if (rc)
		return rc;
	columns(q, f, as_json);
	put(q, " FROM (SELECT id FROM (");
	page_ids(q, f, code_end, index);
	put(q, ") ORDER BY id DESC LIMIT " P_LIMIT ") p JOIN cases c ON c.id = p.id JOIN counties k ON k.id = c.county_id"
	       " JOIN institutions h ON h.id = c.holder_id JOIN institutions r ON r.id = c.creator_id"
	       " LEFT JOIN cases m ON m.id = c.merged_into ORDER BY c.id DESC");
	return q->over ? NRM_EIO : 0;
}

/* Where a page of rows as JSON text goes. */
struct page_text {
	struct buf *out;
	size_t n;
	int64_t last;
};

/* A row of a page as text: the keys of store_cases' rows but county_id, in the order of the
 * columns (columns(), as_json), each written by its kind: 'i' a number, 's' a string or null,
 * 'b' a boolean, 'j' JSON text as it is (the fields, made by SQLite or stored as it made them).
 * Written here rather than by SQLite's json_object, which escaped every byte of a row one by one:
 * half a list page's time. */
static const struct {
	const char *key;
	char kind;
} text_keys[] = {
	{"{\"id\":", 'i'},	       {",\"code\":", 's'},	{",\"county\":", 's'},	  {",\"stage\":", 's'},
	{",\"closed_from\":", 's'},  {",\"status\":", 's'},	{",\"is_child\":", 'b'},	  {",\"sex\":", 's'},
	{",\"age_band\":", 's'},     {",\"identified_on\":", 's'}, {",\"holder\":", 'i'},	  {",\"holder_name\":", 's'},
	{",\"creator\":", 'i'},      {",\"creator_name\":", 's'}, {",\"fields\":", 'j'},	  {",\"version\":", 'i'},
	{",\"merged_into\":", 's'},  {",\"created_at\":", 's'},	{",\"updated_at\":", 's'},
};

static int page_row(void *arg, sqlite3_stmt *st)
{
	struct page_text *p = arg;
	struct buf *b = p->out;
	if (p->n && buf_append(b, ",", 1))
		return NRM_ENOMEM;
	int rc = 0;
	for (int i = 0; !rc && i < (int)(sizeof text_keys / sizeof *text_keys); i++) {
		if ((rc = buf_puts(b, text_keys[i].key)))
			break;
		const char *t = (const char *)sqlite3_column_text(st, i);
		size_t n = (size_t)sqlite3_column_bytes(st, i);
		if (!t && text_keys[i].kind != 'b')
			rc = buf_append(b, "null", 4);
		else if (text_keys[i].kind == 's')
			rc = buf_json_string(b, t, n);
		else if (text_keys[i].kind == 'b')
			rc = buf_puts(b, sqlite3_column_int(st, i) ? "true" : "false");
		else
			rc = buf_append(b, t, n);
	}
	if (rc || (rc = buf_append(b, "}", 1)))
		return rc;
	p->n++;
	p->last = sqlite3_column_int64(st, 0);
	return 0;
}

/* The page as rows (out) or, with text, as JSON text. */
static int cases_run(struct store *s, const struct case_filter *f, int64_t before, int limit, bool plan,
		     struct page_text *text, json_t **out)
{
	char end[128];
	const char *code_end = f->code && prefix_end(f->code, end, sizeof end) ? end : NULL;
	struct sql q = {.len = 0};
	if (plan)
		put(&q, "EXPLAIN QUERY PLAN ");
	int rc = cases_sql(s, f, code_end, text != NULL, &q);
	if (rc)
		return rc;
#define CASES_ARGS                                                                                                     \
	"itttttttt" "iiitii", f->scope_id, f->code, code_end, f->stage, f->status, f->from, f->to, f->exploitation,        \
	    f->exploitation_field, f->county, f->institution, (int64_t)f->child, f->list_fields,                           \
	    before > 0 ? before : INT64_MAX, (int64_t)limit
	if (text)
		return store_each(s, page_row, text, q.text, CASES_ARGS);
	return store_rows(s, out, q.text, CASES_ARGS);
#undef CASES_ARGS
}

int store_cases(struct store *s, const struct case_filter *f, int64_t before, int limit, json_t **out)
{
	return cases_run(s, f, before, limit, false, NULL, out);
}

int store_cases_json(struct store *s, const struct case_filter *f, int64_t before, int limit, struct buf *out,
		     size_t *n, int64_t *last)
{
	struct page_text t = {.out = out};
	int rc = cases_run(s, f, before, limit, false, &t, NULL);
	if (!rc) {
		*n = t.n;
		*last = t.last;
	}
	return rc;
}

int store_cases_plan(struct store *s, const struct case_filter *f, int64_t before, int limit, json_t **out)
{
	json_t *rows;
	int rc = cases_run(s, f, before, limit, true, NULL, &rows);
	if (rc)
		return rc;
	json_t *steps = json_array(), *r;
	size_t i;
	json_array_foreach(rows, i, r)
		json_array_append(steps, json_object_get(r, "detail"));
	json_decref(rows);
	*out = steps;
	return 0;
}

int store_case_institution_access(struct store *s, int64_t case_id, int64_t institution, int *yes)
{
	int64_t n = 0;
	int rc = store_int(s, &n, "SELECT count(*) FROM cases c WHERE c.id = ?1 AND " VISIBLE_TO_INSTITUTION("2"), "ii",
			   case_id, institution);
	if (!rc)
		*yes = n > 0;
	return rc;
}

int store_personal_put(struct store *s, int64_t case_id, const char *field, const void *blob, size_t len)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO case_personal(case_id, field, value) VALUES (?1, ?2, ?3)"
			  " ON CONFLICT(case_id, field) DO UPDATE SET value = ?3",
			  "itb", case_id, field, blob, len);
}

int store_personal_delete(struct store *s, int64_t case_id, const char *field)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM case_personal WHERE case_id = ?1 AND field = ?2", "it", case_id, field);
}

int store_personal_each(struct store *s, int64_t case_id, store_blob_fn fn, void *ctx)
{
	return store_blobs(s, "SELECT field, value FROM case_personal WHERE case_id = ?1 ORDER BY field", case_id, fn, ctx);
}

int store_personal_names(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out, "SELECT field FROM case_personal WHERE case_id = ?1 ORDER BY field", "i", case_id);
}

int store_blind_clear(struct store *s, int64_t case_id)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM case_blind WHERE case_id = ?1", "i", case_id);
}

int store_blind_add(struct store *s, int64_t case_id, const char *kind, const char *hash, int64_t version)
{
	STORE_WRITES(s);
	return store_exec(s, "INSERT OR IGNORE INTO case_blind(case_id, kind, hash, v) VALUES (?1, ?2, nrm_unhex(?3), ?4)", "itti",
			  case_id, kind, hash, version);
}

int store_blind_stale(struct store *s, int64_t version, int64_t *n)
{
	/* No index on v: only a key rotation asks, and it reads every case anyway. */
	return store_int(s, n, "SELECT count(*) FROM (SELECT 1 FROM case_blind WHERE v <> ?1 LIMIT 1)", "i", version);
}

int store_blind_drop_except(struct store *s, int64_t version)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM case_blind WHERE v <> ?1", "i", version);
}

int store_blind_matches(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out,
			  "SELECT DISTINCT o.case_id AS id, c.code, a.kind FROM case_blind a"
			  " JOIN case_blind o ON o.hash = a.hash AND o.kind = a.kind AND o.case_id <> a.case_id"
			  " JOIN cases c ON c.id = o.case_id WHERE a.case_id = ?1 AND a.kind IN ('name_dob', 'document')"
			  " AND c.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM duplicates d WHERE d.status = 'dismissed'"
			  "  AND d.case_a = min(a.case_id, o.case_id) AND d.case_b = max(a.case_id, o.case_id)"
			  "  AND NOT " STORE_DUP_CHANGED ")"
			  " ORDER BY o.case_id",
			  "i", case_id);
}

int store_blind_find(struct store *s, const char *hashes, json_t **out)
{
	return store_rows(s, out,
			  "SELECT DISTINCT c.id, c.code FROM case_blind b JOIN cases c ON c.id = b.case_id"
			  " WHERE b.hash IN (SELECT nrm_unhex(value) FROM json_each(?1)) ORDER BY c.id DESC LIMIT 100",
			  "t", hashes);
}

int store_event_add(struct store *s, int64_t case_id, int64_t user, const char *username, int64_t institution,
		    const char *action, const char *from, const char *to, const char *changes_json, const char *reason,
		    const char *was_json)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO case_events(case_id, ts, user_id, username, institution_id, action, from_stage, to_stage,"
			  " changes_json, reason, was_json) VALUES (?1, ?11, ?2, ?3, ?4, ?5,"
			  " ?6, ?7, ?8, ?9, ?10)",
			  "iItIt" "tttttN", case_id, user, username, institution, action, from, to, changes_json, reason,
			  was_json);
}

int store_event_was(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out, "SELECT id, was_json AS was_json FROM case_events WHERE case_id = ?1 ORDER BY id", "i",
			  case_id);
}

int store_events(struct store *s, int64_t case_id, json_t **out)
{
	return store_rows(s, out,
			  "SELECT e.id, e.ts, e.username AS user, e.institution_id, i.name AS institution, e.action, e.from_stage,"
			  " e.to_stage,"
			  " e.changes_json AS changes_json, e.reason FROM case_events e"
			  " LEFT JOIN institutions i ON i.id = e.institution_id WHERE e.case_id = ?1 ORDER BY e.id",
			  "i", case_id);
}

int store_referral_add(struct store *s, int64_t case_id, int64_t from, int64_t holder, int64_t to,
		       const char *service, const char *reason, const char *fields_json, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO referrals(case_id, from_institution, holder_id, to_institution, service, reason,"
			    " fields_json, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			    "iiiitttIN", case_id, from, holder, to, service, reason, fields_json, by);
}

#define REFERRAL_COLS \
	"SELECT r.id, c.code AS case_code, r.case_id, r.from_institution, f.name AS from_name, r.to_institution," \
	" t.name AS to_name, coalesce(r.holder_id, r.from_institution) AS holder_id, r.service, r.reason," \
	" r.fields_json AS fields_json, r.status, r.created_at, r.responded_at, r.response_note" \
	" FROM referrals r JOIN cases c ON c.id = r.case_id" \
	" JOIN institutions f ON f.id = r.from_institution JOIN institutions t ON t.id = r.to_institution"

int store_referral_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, REFERRAL_COLS " WHERE r.id = ?1", "i", id);
}

int store_referral_pending(struct store *s, int64_t case_id, int64_t to, const char *service, int64_t *yes)
{
	return store_int(s, yes,
			 "SELECT count(*) FROM referrals WHERE case_id = ?1 AND to_institution = ?2 AND status = 'pending'"
			 " AND service IS ?3",
			 "iit", case_id, to, service);
}

int store_referrals(struct store *s, char dir, int64_t id, const char *status, json_t **out)
{
	const char *col = dir == 'i' ? "r.to_institution" : dir == 'o' ? "r.from_institution" : "r.case_id";
	char sql[2048];
	int n = snprintf(sql, sizeof sql, REFERRAL_COLS " WHERE %s = ?1 AND (?2 IS NULL OR r.status = ?2) ORDER BY r.id DESC LIMIT 500",
			 col);
	if (n < 0 || (size_t)n >= sizeof sql)
		return NRM_EIO;
	return store_rows(s, out, sql, "it", id, status);
}

int store_referral_respond(struct store *s, int64_t id, const char *status, int64_t by, const char *note)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE referrals SET status = ?2, responded_by = ?3, response_note = ?4,"
			    " responded_at = ?5 WHERE id = ?1 AND status = 'pending'",
			    "itItN", id, status, by, note);
	if (!rc && store_changes(s) == 0)
		return NRM_ECONFLICT;
	return rc;
}

int store_referred_fields(struct store *s, int64_t case_id, int64_t institution, json_t **out)
{
	return store_rows(s, out,
			  "SELECT DISTINCT f.value AS field FROM referrals r, json_each(r.fields_json) f"
			  " WHERE r.case_id = ?1 AND r.to_institution = ?2 AND r.status <> 'declined'",
			  "ii", case_id, institution);
}

int store_duplicate_add(struct store *s, int64_t a, int64_t b, const char *reason)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "INSERT OR IGNORE INTO duplicates(case_a, case_b, reason, created_at) VALUES (min(?1, ?2), max(?1, ?2),"
			    " ?3, ?4)",
			    "iitN", a, b, reason);
	if (!rc)
		rc = store_exec(s,
				"UPDATE duplicates AS d SET status = 'open', resolved_at = NULL, resolved_by = NULL"
				" WHERE d.case_a = min(?1, ?2) AND d.case_b = max(?1, ?2) AND d.status = 'dismissed'"
				" AND " STORE_DUP_CHANGED,
				"ii", a, b);
	return rc;
}

#define DUPLICATE_SIDE(x) \
	"json_object('code', " x ".code, 'county', (SELECT slug FROM counties WHERE id = " x ".county_id), 'stage', " x \
	".stage, 'identified_on', " x ".identified_on, 'holder_name', (SELECT name FROM institutions WHERE id = " x \
	".holder_id))"
/* A pair's rank in the queue: the best score first (an exact match counts as 1), then the
 * oldest; one integer, so that pages follow it as a cursor (the score to 1/10000). */
#define DUPLICATE_RANK "((10000 - CAST(round(coalesce(s.score, 1.0) * 10000) AS INTEGER)) * 1099511627776 + d.id)"
#define DUPLICATE_COLS \
	"SELECT d.id, d.case_a, d.case_b, a.code AS code_a, b.code AS code_b, d.reason, d.status, d.created_at," \
	" d.resolved_at, json_array(" DUPLICATE_SIDE("a") ", " DUPLICATE_SIDE("b") ") AS details_json," \
	" round(s.score, 4) AS score, s.agreed AS agreed_json, " DUPLICATE_RANK " AS rank" \
	" FROM duplicates d JOIN cases a ON a.id = d.case_a JOIN cases b ON b.id = d.case_b" \
	" LEFT JOIN duplicate_scores s ON s.duplicate_id = d.id"

int store_duplicates(struct store *s, const char *status, int64_t after, int limit, json_t **out)
{
	/* An open pair one of whose cases was merged since (into a third) is no longer a question. */
	return store_rows(s, out,
			  DUPLICATE_COLS " WHERE (?1 IS NULL OR d.status = ?1) AND " DUPLICATE_RANK " > ?2"
			  " AND (d.status <> 'open' OR (a.merged_into IS NULL AND b.merged_into IS NULL)) ORDER BY rank LIMIT ?3",
			  "tii", status, after, (int64_t)limit);
}

int store_duplicate_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, DUPLICATE_COLS " WHERE d.id = ?1", "i", id);
}

int store_duplicate_resolve(struct store *s, int64_t id, const char *status, int64_t by)
{
	STORE_WRITES(s);
	int rc = store_exec(s,
			    "UPDATE duplicates AS d SET status = ?2, resolved_by = ?3, resolved_at = ?4,"
			    " rev_a = (SELECT rev FROM case_identity WHERE case_id = d.case_a),"
			    " rev_b = (SELECT rev FROM case_identity WHERE case_id = d.case_b) WHERE id = ?1 AND status = 'open'",
			    "itIN", id, status, by);
	if (!rc && store_changes(s) == 0)
		return NRM_ECONFLICT;
	return rc;
}

int store_clear_reasons(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT 'event' AS what, e.id, c.code, e.reason AS text FROM case_events e JOIN cases c ON c.id = e.case_id"
			  " WHERE e.reason IS NOT NULL AND e.reason NOT LIKE 'enc1:%'"
			  " UNION ALL SELECT 'referral_reason', r.id, c.code, r.reason FROM referrals r JOIN cases c ON c.id = r.case_id"
			  " WHERE r.reason NOT LIKE 'enc1:%'"
			  " UNION ALL SELECT 'referral_note', r.id, c.code, r.response_note FROM referrals r JOIN cases c ON c.id = r.case_id"
			  " WHERE r.response_note IS NOT NULL AND r.response_note NOT LIKE 'enc1:%'",
			  "");
}

int store_reason_replace(struct store *s, const char *what, int64_t id, const char *sealed)
{
	STORE_WRITES(s);
	const char *sql = strcmp(what, "event") == 0	      ? "UPDATE case_events SET reason = ?2 WHERE id = ?1"
			  : strcmp(what, "referral_reason") == 0 ? "UPDATE referrals SET reason = ?2 WHERE id = ?1"
							  : "UPDATE referrals SET response_note = ?2 WHERE id = ?1";
	return store_exec(s, sql, "it", id, sealed);
}

int store_personal_reads_drop_clear(struct store *s)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM personal_reads WHERE reason NOT LIKE 'enc1:%'", "");
}

int store_personal_read_get(struct store *s, const char *session, int64_t case_id, char **reason)
{
	return store_text(s, reason, "SELECT reason FROM personal_reads WHERE session = ?1 AND case_id = ?2", "ti", session,
			  case_id);
}

int store_personal_read_put(struct store *s, const char *session, int64_t case_id, const char *reason, int64_t ts)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO personal_reads(session, case_id, reason, ts) VALUES (?1, ?2, ?3, ?4)"
			  " ON CONFLICT(session, case_id) DO UPDATE SET reason = ?3, ts = ?4",
			  "titi", session, case_id, reason, ts);
}
