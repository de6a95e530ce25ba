/* store/case: lists of cases at any size. Every scope and filter gives the same pages, cursor
 * after cursor, as the one query lists were before (kept here as the reference), and no list
 * reads the cases or the referrals by a full scan, whichever way its filters are read. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/case.h"
#include "store/db.h"
#include "store/work.h"

static char dir[64], path[128];
static struct store *db;

/* 6000 cases in three counties, held and created by each county's institution or by an NGO
 * (20), some referred to the NGO (pending, accepted, declined; a few twice), some merged.
 * Stages "a"/"b" and status "P" match thousands (their filters walk id order), stage "rare",
 * status "N" and the NGO's cases fewer than a probe's 2000 (they drive through their index). */
static const char *const fill =
	"INSERT INTO counties(id, slug, iso, name_sq, name_en, case_prefix) VALUES (1, 'fier', 'AL-04', 'Fier', 'Fier', 'FR'),"
	" (2, 'tirane', 'AL-11', 'Tiranë', 'Tirana', 'TR'), (3, 'vlore', 'AL-12', 'Vlorë', 'Vlora', 'VL');"
	"INSERT INTO institution_types(code, level, name_sq, name_en) VALUES ('t', 'county', 'T', 'T');"
	"INSERT INTO institutions(id, type, county_id, name) VALUES (10, 't', 1, 'Fier'), (11, 't', 2, 'Tirana'),"
	" (12, 't', 3, 'Vlora'), (20, 't', 2, 'NGO \"Shpresa\" \\ ' || char(9, 10, 1) || 'ë'), (99, 't', 1, 'Nobody');"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
	" INSERT INTO cases(id, code, county_id, year, seq, stage, status, is_child, identified_on, holder_id, creator_id,"
	" data_json, created_at, updated_at)"
	" SELECT i, (CASE i % 3 WHEN 0 THEN 'FR' WHEN 1 THEN 'TR' ELSE 'VL' END) || '-' || (2016 + i % 10) || '-'"
	"  || printf('%05d', i), 1 + i % 3, 2016 + i % 10, i,"
	"  CASE WHEN i % 1000 = 0 THEN 'rare' WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, CASE WHEN i % 4 = 0 THEN 'N' ELSE 'P' END,"
	"  i % 3 = 1, printf('%d-%02d-%02d', 2016 + i % 10, 1 + i % 12, 1 + i % 28),"
	"  CASE WHEN i % 7 = 0 THEN 20 ELSE 10 + i % 3 END, CASE WHEN i % 11 = 0 THEN 20 ELSE 10 + i % 3 END,"
	"  json_object('x_exploitation', CASE WHEN i % 997 = 0 THEN json_array() WHEN i % 500 = 0 THEN"
	"  json_array('Sexual', 'Rare') ELSE json_array(CASE i % 3 WHEN 0 THEN 'Forced' ELSE 'Sexual' END) END, 'x_child',"
	"  json(CASE WHEN i % 3 = 1 THEN 'true' ELSE 'false' END), 'x_age', i % 60, 'x_note', 'n' || i,"
	"  'x_score', 1.5),"
	"  '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;"
	"UPDATE cases SET merged_into = id - 1 WHERE id % 50 = 0;"
	/* The figures' dimension of the codes, as stats writes it: "unknown" for none. */
	"INSERT INTO case_dims(case_id, dim, value) SELECT c.id, '" STORE_CODES_DIM "', e.value FROM cases c,"
	" json_each(c.data_json, '$.x_exploitation') e;"
	"INSERT INTO case_dims(case_id, dim, value) SELECT id, '" STORE_CODES_DIM "', 'unknown' FROM cases"
	" WHERE json_array_length(data_json, '$.x_exploitation') = 0;"
	"INSERT INTO referrals(case_id, from_institution, to_institution, reason, status)"
	" SELECT id, holder_id, 20, 'r', CASE id % 3 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted' ELSE 'declined' END"
	" FROM cases WHERE id % 5 = 0;"
	"INSERT INTO referrals(case_id, from_institution, to_institution, reason, status)"
	" SELECT id, holder_id, 20, 'r', 'accepted' FROM cases WHERE id % 15 = 0;"
	"INSERT INTO referrals(case_id, from_institution, to_institution, reason, status)"
	" SELECT id, holder_id, 10, 'r', 'pending' FROM cases WHERE id % 13 = 0;";

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	struct nrm_err err = {0};
	cr_assert_eq(store_create(path, &db, &err), 0, "%s", err.msg);
	cr_assert_eq(store_begin(db), 0);
	cr_assert_eq(store_exec(db, "PRAGMA foreign_keys = OFF", ""), 0);
	char *rest = strdup(fill), *stmt = rest, *semi;
	while ((semi = strstr(stmt, ";"))) {
		/* one statement at a time: store_exec runs the first only */
		*semi = '\0';
		cr_assert_eq(store_exec(db, stmt, ""), 0, "%s", stmt);
		stmt = semi + 1;
	}
	free(rest);
	cr_assert_eq(store_commit(db), 0);
}

static void teardown(void)
{
	store_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
TestSuite(store_cases, .init = setup, .fini = teardown, .timeout = 300);

/* The list query as it was before lists read through indexes: one statement for every scope
 * and filter, every case row read in id order. */
static int reference(const struct case_filter *f, int64_t before, int limit, json_t **out)
{
	return store_rows(
		db, out,
		"SELECT c.id, c.code, k.slug AS county, c.county_id, c.stage, c.closed_from, c.status,"
		" c.is_child AS is_child_bool, c.sex, c.age_band, c.identified_on, c.holder_id AS holder,"
		" h.name AS holder_name, c.creator_id AS creator, r.name AS creator_name, c.data_json AS fields_json,"
		" c.version, m.code AS merged_into, c.created_at, c.updated_at FROM cases c"
		" JOIN counties k ON k.id = c.county_id JOIN institutions h ON h.id = c.holder_id"
		" JOIN institutions r ON r.id = c.creator_id LEFT JOIN cases m ON m.id = c.merged_into"
		" WHERE (?1 = 0 OR (?1 = 1 AND c.county_id = ?2) OR (?1 = 2 AND (c.holder_id = ?2 OR c.creator_id = ?2"
		" OR EXISTS (SELECT 1 FROM referrals x WHERE x.case_id = c.id AND x.to_institution = ?2"
		" AND x.status <> 'declined'))))"
		" AND (?3 IS NULL OR substr(c.code, 1, length(?3)) = ?3) AND (?4 IS NULL OR c.stage = ?4)"
		" AND (?5 IS NULL OR c.status = ?5) AND (?6 IS NULL OR c.identified_on >= ?6)"
		" AND (?7 IS NULL OR c.identified_on <= ?7) AND (?8 IS NULL OR EXISTS (SELECT 1 FROM"
		" json_each(c.data_json, '$.\"' || ?15 || '\"') e WHERE e.value = ?8))"
		" AND (?9 = 0 OR c.county_id = ?9) AND (?10 = 0 OR c.holder_id = ?10)"
		" AND (?11 < 0 OR c.is_child = ?11) AND (?12 = 1 OR c.merged_into IS NULL)"
		" AND (?13 = 0 OR c.id < ?13) ORDER BY c.id DESC LIMIT ?14",
		"iittttttiiiiiit", (int64_t)f->scope, f->scope_id, f->code, f->stage, f->status, f->from, f->to,
		f->exploitation, f->county, f->institution, (int64_t)f->child, (int64_t)f->include_merged, before,
		(int64_t)limit, f->exploitation_field);
}

/* The reference's rows with only the named fields, as lists showed them. */
static void keep_only(json_t *rows, json_t *names)
{
	size_t i, j;
	json_t *r, *n;
	json_array_foreach(rows, i, r) {
		json_t *fields = json_object_get(r, "fields"), *keep = json_object();
		json_array_foreach(names, j, n) {
			json_t *v = json_object_get(fields, json_string_value(n));
			if (v)
				json_object_set(keep, json_string_value(n), v);
		}
		json_object_set_new(r, "fields", keep);
	}
}

struct scope {
	enum case_scope scope;
	int64_t id;
};

static const struct scope scopes[] = {
	{CASES_ALL, 0}, {CASES_COUNTY, 1}, {CASES_INSTITUTION, 10}, {CASES_INSTITUTION, 20}, {CASES_INSTITUTION, 99},
};

/* Filters matching everything, thousands, few, one and nothing; alone and together. */
static struct case_filter filters(size_t i)
{
	struct case_filter f = {.child = -1, .exploitation_field = "x_exploitation", .exploitation_dim = true};
	switch (i) {
	case 0: break;
	case 1: f.stage = "a"; break;
	case 2: f.stage = "rare"; break;
	case 3: f.stage = "none"; break;
	case 4: f.status = "N"; break;
	case 5: f.stage = "b", f.status = "N"; break;
	case 6: f.code = "FR-"; break;
	case 7: f.code = "FR-2019-"; break;
	case 8: f.code = "ZZ"; break;
	case 9: f.code = "TR-2017-00001"; break;
	case 10: f.from = "2016-01-01"; break;
	case 11: f.from = "2020-03-01", f.to = "2020-03-31"; break;
	case 12: f.from = "2030-01-01"; break;
	case 13: f.to = "2016-06-30", f.stage = "a"; break;
	case 14: f.exploitation = "Forced"; break;
	case 15: f.exploitation = "Nothing"; break;
	case 16: f.county = 2; break;
	case 17: f.institution = 20; break;
	case 18: f.child = 1; break;
	case 19: f.child = 0, f.stage = "b", f.county = 3; break;
	case 20: f.include_merged = 1; break;
	case 21: f.include_merged = 1, f.code = "VL-", f.status = "P"; break;
	case 22: f.stage = "rare", f.institution = 10, f.child = 0; break;
	case 23: f.code = "\xff\xff"; break;
	/* A rare form, through the dimension's index or (its dimension not of the codes) not. */
	case 24: f.exploitation = "Rare"; break;
	case 25: f.exploitation = "Rare", f.exploitation_dim = false; break;
	case 26: f.exploitation = "Rare", f.stage = "a", f.county = 1; break;
	case 27: f.exploitation = "unknown"; break;
	default: cr_assert_fail("no filter %zu", i);
	}
	return f;
}
#define FILTERS 28

static void walk(const struct scope *sc, struct case_filter f, int limit, int max_pages, const char *list)
{
	f.scope = sc->scope;
	f.scope_id = sc->id;
	json_t *names = list ? json_loads(list, 0, NULL) : NULL;
	int64_t before = 0;
	for (int page = 0; page < max_pages; page++) {
		json_t *want, *got;
		f.list_fields = NULL;
		cr_assert_eq(reference(&f, before, limit, &want), 0);
		f.list_fields = list;
		cr_assert_eq(store_cases(db, &f, before, limit, &got), 0);
		if (names)
			keep_only(want, names);
		if (!json_equal(want, got)) {
			char *a = json_dumps(want, JSON_COMPACT), *b = json_dumps(got, JSON_COMPACT);
			cr_assert_fail("scope %d/%lld, page %d below %lld, limit %d: want %.300s got %.300s", (int)sc->scope,
				       (long long)sc->id, page, (long long)before, limit, a, b);
		}
		size_t n = json_array_size(got);
		/* The same page as the JSON text the API sends: the same objects, county_id aside. */
		struct buf text = {0};
		size_t tn = 99;
		int64_t last = -1;
		cr_assert_eq(buf_puts(&text, "["), 0);
		cr_assert_eq(store_cases_json(db, &f, before, limit, &text, &tn, &last), 0);
		cr_assert_eq(buf_puts(&text, "]"), 0);
		json_t *parsed = json_loads(text.p, 0, NULL), *row;
		size_t k;
		json_array_foreach(got, k, row)
			json_object_del(row, "county_id");
		cr_assert(json_equal(parsed, got), "scope %d/%lld, page %d: the JSON text differs: %.300s", (int)sc->scope,
			  (long long)sc->id, page, text.p);
		cr_expect_eq(tn, n);
		cr_expect_eq(last, n ? json_integer_value(json_object_get(json_array_get(got, n - 1), "id")) : 0);
		json_decref(parsed);
		buf_free(&text);
		if (n)
			before = json_integer_value(json_object_get(json_array_get(got, n - 1), "id"));
		json_decref(want);
		json_decref(got);
		if (n < (size_t)limit)
			break;
	}
	json_decref(names);
}

Test(store_cases, every_scope_and_filter_pages_as_before_to_the_last_page)
{
	for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
		for (size_t i = 0; i < FILTERS; i++)
			walk(&scopes[s], filters(i), 500, 1000, NULL);
}

Test(store_cases, short_pages_follow_the_cursor_without_gaps_or_repeats)
{
	for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
		for (size_t i = 0; i < FILTERS; i++)
			walk(&scopes[s], filters(i), 7, 25, NULL);
}

Test(store_cases, a_list_carries_only_the_fields_it_names_with_their_types)
{
	static const char *const list = "[\"x_exploitation\", \"x_child\", \"x_score\", \"x_absent\"]";
	for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
		for (size_t i = 0; i < FILTERS; i += 3)
			walk(&scopes[s], filters(i), 50, 3, list);
}

/* A step of a plan that reads a whole table of cases or referrals. */
static bool full_scan(const char *step)
{
	static const char *const aliases[] = {"c", "x", "m", "cases", "referrals"};
	if (strncmp(step, "SCAN ", 5) != 0)
		return false;
	for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++) {
		size_t n = strlen(aliases[i]);
		if (strncmp(step + 5, aliases[i], n) == 0 && (step[5 + n] == '\0' || step[5 + n] == ' '))
			return true;
	}
	return false;
}

/* The filters that match 2000 cases or more (or none at all and nothing else): their lists
 * walk in id order. */
static bool dense(size_t i)
{
	return i == 0 || i == 1 || i == 10 || i == 16 || i == 18 || i == 20;
}

Test(store_cases, no_list_scans_the_cases_or_referrals_whatever_its_scope_and_filters)
{
	for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
		for (size_t i = 0; i < FILTERS; i++)
			for (int deep = 0; deep < 2; deep++) {
				struct case_filter f = filters(i);
				f.scope = scopes[s].scope;
				f.scope_id = scopes[s].id;
				f.list_fields = "[\"x_child\"]";
				json_t *plan;
				cr_assert_eq(store_cases_plan(db, &f, deep ? 1234 : 0, 50, &plan), 0);
				size_t j;
				json_t *step;
				int sorts = 0;
				json_array_foreach(plan, j, step) {
					cr_expect(!full_scan(json_string_value(step)), "scope %d/%lld filter %zu: %s",
						  (int)scopes[s].scope, (long long)scopes[s].id, i, json_string_value(step));
					sorts += strcmp(json_string_value(step), "USE TEMP B-TREE FOR ORDER BY") == 0;
				}
				/* Filters that match thousands walk id order: the only sorts are of a page's
				 * ids and of its rows, never of the cases walked. */
				if (dense(i))
					cr_expect_leq(sorts, 2, "scope %d/%lld filter %zu sorts what it walks",
						      (int)scopes[s].scope, (long long)scopes[s].id, i);
				json_decref(plan);
			}
}

Test(store_cases, the_plan_check_sees_a_full_scan)
{
	json_t *plan;
	cr_assert_eq(store_rows(db, &plan, "EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE c.sex IS NULL", ""), 0);
	cr_expect(full_scan(json_string_value(json_object_get(json_array_get(plan, 0), "detail"))));
	json_decref(plan);
}

/* The home page's queues of open cases: a page of each open stage read apart and merged give
 * the same page, in the same order, with the same count, as sorting every open case — the
 * count stopping one past STORE_WORK_COUNT_MAX (the fixture's undecided queue is longer). */
Test(store_cases, a_queue_of_open_cases_is_the_page_of_all_open_cases_sorted)
{
	json_t *stages = json_pack("[s, s]", "a", "rare"); /* "b" plays the final stage */
	static const char *const want_sql[] = {
		"SELECT c.code, c.stage, c.is_child AS is_child_bool, c.identified_on, k.slug AS county,"
		" min(count(*) OVER (), 1001) AS total FROM cases c JOIN counties k ON k.id = c.county_id WHERE c.status = 'P'"
		" AND c.stage IN ('a', 'rare') AND c.merged_into IS NULL ORDER BY c.identified_on, c.id LIMIT ?1",
		"SELECT code, stage, is_child AS is_child_bool, updated_at, min(count(*) OVER (), 1001) AS total FROM cases"
		" WHERE holder_id = 20 AND stage IN ('a', 'rare') AND merged_into IS NULL ORDER BY updated_at, id LIMIT ?1"};
	for (int limit = 1; limit <= 40; limit += 13)
		for (int q = 0; q < 2; q++) {
			json_t *want, *got;
			cr_assert_eq(store_rows(db, &want, want_sql[q], "i", (int64_t)limit), 0);
			cr_assert_eq(q ? store_work_cases_held(db, 20, stages, limit, &got)
				       : store_work_undecided(db, "P", stages, limit, &got),
				     0);
			cr_expect(json_array_size(want) > 0);
			if (q == 0)
				cr_expect_eq(json_integer_value(json_object_get(json_array_get(got, 0), "total")),
					     STORE_WORK_COUNT_MAX + 1, "the count stops there (the SQL above says 1001)");
			if (!json_equal(want, got)) {
				char *a = json_dumps(want, JSON_COMPACT), *b = json_dumps(got, JSON_COMPACT);
				cr_expect_fail("queue %d, limit %d: want %.400s got %.400s", q, limit, a, b);
				free(a);
				free(b);
			}
			json_decref(want);
			json_decref(got);
		}
	json_decref(stages);
}

/* One case's kept list fields (cases.list_json), parsed. */
static json_t *kept(int64_t id)
{
	json_t *row;
	cr_assert_eq(store_row(db, &row, "SELECT list_json AS fields_json FROM cases WHERE id = ?1", "i", id), 0);
	json_t *fields = json_incref(json_object_get(row, "fields"));
	json_decref(row);
	return fields;
}

static void expect_fields(json_t *got, const char *want)
{
	json_t *w = json_loads(want, 0, NULL);
	cr_assert_not_null(w);
	char *g = got ? json_dumps(got, JSON_COMPACT) : NULL;
	cr_expect(got && json_equal(got, w), "want %s got %s", want, g ? g : "NULL");
	free(g);
	json_decref(w);
}

/* A list row's fields are kept with the case as it is written (schema 21) and read from there
 * while the names they were made from are the list's; any other list still gets its fields. */
Test(store_cases, a_list_reads_the_fields_kept_with_each_case_while_they_follow_its_names)
{
	static const char *const list = "[\"x_exploitation\", \"x_child\", \"x_score\", \"x_absent\"]";
	static const char *const other = "[\"x_note\"]";
	int64_t n = -1;
	cr_expect(!store_cases_list_current(db, list), "nothing is kept before the first refresh");
	cr_assert_eq(store_begin(db), 0);
	cr_assert_eq(store_cases_list_refresh(db, list, &n), 0);
	cr_assert_eq(store_commit(db), 0);
	cr_expect_eq(n, 6000);
	cr_expect(store_cases_list_current(db, list));
	cr_expect(!store_cases_list_current(db, other));
	for (size_t s = 0; s < sizeof scopes / sizeof *scopes; s++)
		for (size_t i = 0; i < FILTERS; i += 3) {
			walk(&scopes[s], filters(i), 50, 3, list);
			walk(&scopes[s], filters(i), 50, 2, other);
		}
	/* What is read is the kept column, for the names it was made from only. */
	cr_assert_eq(store_exec(db, "UPDATE cases SET list_json = '{\"planted\":1}' WHERE id = 5999", ""), 0);
	struct case_filter f = {.scope = CASES_ALL, .child = -1, .list_fields = list};
	json_t *got;
	cr_assert_eq(store_cases(db, &f, 6000, 1, &got), 0);
	expect_fields(json_object_get(json_array_get(got, 0), "fields"), "{\"planted\":1}");
	json_decref(got);
	f.list_fields = other;
	cr_assert_eq(store_cases(db, &f, 6000, 1, &got), 0);
	expect_fields(json_object_get(json_array_get(got, 0), "fields"), "{\"x_note\":\"n5999\"}");
	json_decref(got);
	/* A case written after the refresh keeps the fields of the names kept, and an update anew. */
	struct case_row r = {.code = "FR-2030-00001", .stage = "a", .status = "P", .identified_on = "2030-01-01",
			     .data_json = "{\"x_child\":true,\"x_note\":\"z\",\"x_score\":2}", .county = 1, .year = 2030,
			     .seq = 1, .holder = 10, .creator = 10};
	int64_t id = 0;
	cr_assert_eq(store_begin(db), 0);
	cr_assert_eq(store_case_add(db, &r, &id), 0);
	cr_assert_eq(store_commit(db), 0);
	json_t *k = kept(id);
	expect_fields(k, "{\"x_child\":true,\"x_score\":2}");
	json_decref(k);
	r.data_json = "{\"x_exploitation\":[\"Forced\"],\"x_child\":false}";
	cr_assert_eq(store_begin(db), 0);
	cr_assert_eq(store_case_update(db, id, 1, &r), 0);
	cr_assert_eq(store_commit(db), 0);
	k = kept(id);
	expect_fields(k, "{\"x_exploitation\":[\"Forced\"],\"x_child\":false}");
	json_decref(k);
	/* Other names refreshed: every case made anew from them. */
	cr_assert_eq(store_begin(db), 0);
	cr_assert_eq(store_cases_list_refresh(db, other, &n), 0);
	cr_assert_eq(store_commit(db), 0);
	cr_expect_eq(n, 6001);
	k = kept(5999);
	expect_fields(k, "{\"x_note\":\"n5999\"}");
	json_decref(k);
}
