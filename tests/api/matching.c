/* Approximate matching over HTTP (issue 16, docs/matching.md): the same girl registered in
 * Fier and by a shelter that copied an Italian police record reaches the Authority's queue,
 * ranked with its score and what agreed; nobody else learns of it; a dismissed pair comes
 * back only when a name or birth date changes; a surname changed at marriage is found; a key
 * rotation keeps matching; no name reaches the log or the database in clear. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "secure/crypt.h"

#define MARKER "Hoxhamarkeri"

static struct server srv;
static struct client cw, ngo, sec; /* fier.caseworker, tirane.ngo, authority.secretariat */

static void setup(void)
{
	server_start(&srv);
	cw = client_as(&srv, "fier.caseworker");
	ngo = client_as(&srv, "tirane.ngo");
	sec = client_as(&srv, "authority.secretariat");
}
static void teardown(void)
{
	client_free(&cw);
	client_free(&ngo);
	client_free(&sec);
	server_stop(&srv);
}
TestSuite(matching, .init = setup, .fini = teardown, .timeout = 180);

static long long institution_of(struct client *c)
{
	struct reply r = client_get(c, "/api/v1/session");
	long long id = jint(r.json, "user.institution");
	reply_free(&r);
	return id;
}

/* A case the client registers (birth: a date, or NULL and an age); its code into out. The
 * reply must say nothing of other cases to anyone but the Authority. */
static void registered(struct client *c, const char *first, const char *last, const char *sex, const char *birth,
		       int age, char out[32])
{
	char body[1600], when[80];
	if (birth)
		snprintf(when, sizeof when, "\"prs_Birthdate\":\"%s\"", birth);
	else
		snprintf(when, sizeof when, "\"al_estimated_age\":%d", age);
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
		 "\"prs_SecondName\":\"%s\",\"prs_Gender\":\"%s\",%s,\"al_identification_date\":\"2026-10-01\","
		 "\"al_identifying_institution\":%lld,\"al_identification_method\":\"police\",\"al_county\":\"fier\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"]}}",
		 first, last, sex, when, institution_of(c));
	struct reply r = client_must(c, "POST", "/api/v1/cases", body, 201);
	snprintf(out, 32, "%s", jstr(r.json, "code"));
	cr_expect_null(jpath(r.json, "duplicates"), "%s", r.body);
	cr_expect_null(jpath(r.json, "likely_duplicate"), "%s", r.body);
	reply_free(&r);
}

/* The open pair of cases a and b in the Authority's queue (a new reference), or NULL. */
static json_t *pair_of(const char *a, const char *b)
{
	struct reply r = client_must(&sec, "GET", "/api/v1/duplicates?status=open", NULL, 200);
	json_t *d, *found = NULL;
	size_t i;
	json_array_foreach(jpath(r.json, "items"), i, d) {
		const char *x = jstr(d, "cases.0"), *y = jstr(d, "cases.1");
		if ((strcmp(x, a) == 0 && strcmp(y, b) == 0) || (strcmp(x, b) == 0 && strcmp(y, a) == 0))
			found = json_incref(d);
	}
	reply_free(&r);
	return found;
}

static bool agreed(json_t *d, const char *field)
{
	size_t i;
	json_t *f;
	json_array_foreach(jpath(d, "agreed"), i, f)
		if (strcmp(json_string_value(f), field) == 0)
			return true;
	return false;
}

static void patch(struct client *c, const char *code, const char *fields)
{
	struct reply r = client_get(c, "/api/v1/cases/%s", code);
	long long version = jint(r.json, "version");
	reply_free(&r);
	char path[80], body[600];
	snprintf(path, sizeof path, "/api/v1/cases/%s", code);
	snprintf(body, sizeof body, "{\"version\":%lld,\"fields\":%s,\"reason\":\"korrigjim\"}", version, fields);
	r = client_must(c, "PATCH", path, body, 200);
	cr_expect_null(jpath(r.json, "duplicates"), "%s", r.body);
	reply_free(&r);
}

Test(matching, the_same_girl_spelt_another_way_reaches_the_authority_ranked_with_what_agreed)
{
	char a[32], b[32], c[32], d[32];
	registered(&cw, "Xhuljeta", MARKER, "Feminine", "2003-05-14", 0, a);
	registered(&ngo, "Julieta", MARKER, "Feminine", "2003-05-14", 0, b);
	/* An exact pair too (same name and date): ranked above, as a score of 1. */
	registered(&cw, "Drita", "Kola", "Feminine", "2001-01-01", 0, c);
	registered(&ngo, "Drita", "Kola", "Feminine", "2001-01-01", 0, d);
	json_t *p = pair_of(a, b);
	cr_assert_not_null(p, "Xhuljeta and Julieta, of one surname and born the same day, are a candidate");
	cr_expect_str_eq(jstr(p, "reason"), "similar");
	double score = json_number_value(jpath(p, "score"));
	cr_expect(score >= 0.8 && score < 1.0, "score %f", score);
	cr_expect(agreed(p, "last_name") && agreed(p, "birth") && !agreed(p, "first_name"));
	cr_expect_null(jpath(p, "rank"), "the cursor stays inside");
	json_decref(p);
	struct reply r = client_must(&sec, "GET", "/api/v1/duplicates?status=open", NULL, 200);
	cr_expect_str_eq(jstr(r.json, "items.0.reason"), "name_dob", "the exact pair first: %s", r.body);
	reply_free(&r);
	/* One a page: the cursor follows the rank. */
	r = client_must(&sec, "GET", "/api/v1/duplicates?status=open&limit=1", NULL, 200);
	char next[40], path[120];
	snprintf(next, sizeof next, "%s", jstr(r.json, "next"));
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/duplicates?status=open&limit=1&after=%s", next);
	r = client_must(&sec, "GET", path, NULL, 200);
	cr_expect_str_eq(jstr(r.json, "items.0.reason"), "similar", "%s", r.body);
	reply_free(&r);
	/* Nobody else learns that the candidate exists. */
	client_refused(&cw, "GET", "/api/v1/duplicates", NULL, 403, "route_forbidden", NULL);
	client_refused(&ngo, "GET", "/api/v1/duplicates", NULL, 403, "route_forbidden", NULL);
	/* Not a name in the log, nor in the database in clear. */
	char *log = file_read(srv.log, NULL);
	cr_assert_not_null(log);
	cr_expect_null(strstr(log, MARKER));
	free(log);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM case_match WHERE instr(enc, '" MARKER "') OR instr(enc, 'Juljet')"), 0);
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM duplicate_scores"), 0);
}

/* Dismisses the open pair of cases a and b as the Authority (asserts that it is open). */
static void dismissed(const char *a, const char *b)
{
	json_t *p = pair_of(a, b);
	cr_assert_not_null(p, "%s and %s are a candidate", a, b);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/dismiss", jint(p, "id"));
	json_decref(p);
	struct reply r = client_must(&sec, "POST", path, "{}", 200);
	reply_free(&r);
}

Test(matching, a_dismissed_pair_comes_back_only_when_a_name_or_birth_date_changes)
{
	char a[32], b[32];
	registered(&cw, "Gjergj", "Shehu", "Masculine", "1998-07-02", 0, a);
	registered(&ngo, "Giergi", "Sceu", "Masculine", "1998-07-02", 0, b);
	dismissed(a, b);
	/* A change to something else, and the case compared again: still dismissed. */
	patch(&ngo, b, "{\"al_identification_method\":\"ngo\"}");
	cr_expect_null(pair_of(a, b), "dismissed, the encodings the same");
	/* The surname retyped in capitals: the same name once normalised, still dismissed. */
	patch(&ngo, b, "{\"prs_SecondName\":\"SCEU\"}");
	cr_expect_null(pair_of(a, b), "SCEU is Sceu");
	/* The birth date corrected (day and month had been swapped): a new question. */
	patch(&ngo, b, "{\"prs_Birthdate\":\"1998-02-07\"}");
	json_t *p = pair_of(a, b);
	cr_expect_not_null(p, "a birth date changed: the pair is asked again");
	json_decref(p);
	/* Dismissed again; the surname written as at home — Sceu and Shehu encode alike, but a name
	 * changed: the Authority decides again on what the agencies now record. */
	dismissed(a, b);
	cr_expect_null(pair_of(a, b));
	patch(&ngo, b, "{\"prs_SecondName\":\"Shehu\"}");
	p = pair_of(a, b);
	cr_expect_not_null(p, "a surname changed: asked again");
	json_decref(p);
}

/* The status of the pair of cases a and b ("open", "dismissed", ...; "none": no such pair). */
static void status_of(const char *a, const char *b, char *out, size_t cap)
{
	char sql[400];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce((SELECT d.status FROM duplicates d JOIN cases x ON x.id = d.case_a JOIN cases y ON"
		 " y.id = d.case_b WHERE (x.code = '%s' AND y.code = '%s') OR (x.code = '%s' AND y.code = '%s')), 'none')",
		 a, b, b, a);
	char *t = db_string(&srv, sql);
	cr_assert_not_null(t);
	snprintf(out, cap, "%s", t);
	free(t);
}


static void relogin(void)
{
	client_free(&cw);
	client_free(&ngo);
	client_free(&sec);
	cw = client_as(&srv, "fier.caseworker");
	ngo = client_as(&srv, "tirane.ngo");
	sec = client_as(&srv, "authority.secretariat");
}

/* A copy of the shipped data/ in the server's folder, the first rule's threshold `threshold`. */
static void rules_with_threshold(char *dir, size_t cap, const char *threshold)
{
	char cmd[2400];
	snprintf(dir, cap, "%s/data", srv.dir);
	snprintf(cmd, sizeof cmd,
		 "cp -r data %s && sed -i 's/\"threshold\": 0.80/\"threshold\": %s/' %s/match/rules.json"
		 " && grep -q '\"threshold\": %s' %s/match/rules.json",
		 dir, threshold, dir, threshold, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* A key rotation and new definitions re-encode every case, and a start after new definitions
 * compares every case again: none of it is a change to a person, so what the Authority
 * dismissed stays dismissed (exact pairs too); a name corrected afterwards brings it back. */
Test(matching, a_dismissal_outlives_a_key_rotation_and_new_definitions_until_a_person_changes)
{
	char a[32], b[32], c[32], d[32], st[32], err[4096], data[400];
	registered(&cw, "Gjergj", "Shehu", "Masculine", "1998-07-02", 0, a);
	registered(&ngo, "Giergi", "Sceu", "Masculine", "1998-07-02", 0, b);
	registered(&cw, "Drita", "Kola", "Feminine", "2001-01-01", 0, c);
	registered(&ngo, "Drita", "Kola", "Feminine", "2001-01-01", 0, d);
	/* A dismissal takes nothing: a merge's body sent to it is refused, and nothing changes. */
	json_t *p = pair_of(a, b);
	cr_assert_not_null(p);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/dismiss", jint(p, "id"));
	json_decref(p);
	char keep[80];
	snprintf(keep, sizeof keep, "{\"keep\":\"%s\"}", a);
	client_refused(&sec, "POST", path, keep, 400, "unknown_field", "keep");
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "open");
	dismissed(a, b);
	dismissed(c, d);
	long long open = db_int(&srv, "SELECT count(*) FROM duplicates WHERE status = 'open'");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "key", "rotate", "--db", srv.db, NULL), 0, "%s", err);
	snprintf(path, sizeof path, "/api/v1/cases/%s/dedup", b);
	struct reply r = client_must(&sec, "POST", path, "{}", 200);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/cases/%s/dedup", d);
	r = client_must(&sec, "POST", path, "{}", 200);
	reply_free(&r);
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "dismissed", "compared again under the new key");
	status_of(c, d, st, sizeof st);
	cr_expect_str_eq(st, "dismissed", "the exact pair under the new key");
	/* New definitions: the next start encodes and compares every case. */
	rules_with_threshold(data, sizeof data, "0.78");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "forms", "load", "--db", srv.db, "--data", data, NULL), 0, "%s", err);
	/* Any command re-encodes under them; the server still encodes under the old ones until it
	 * restarts: a write of something else is no change to the person either way. */
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "stats", "ahead", "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_not_null(strstr(err, "compared them"), "%s", err);
	patch(&ngo, b, "{\"al_identification_method\":\"ngo\"}");
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "dismissed", "a write of something else, by a server of the old definitions");
	server_restart(&srv, NULL);
	relogin();
	patch(&ngo, b, "{\"al_identification_method\":\"police\"}");
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "dismissed", "compared under new definitions");
	status_of(c, d, st, sizeof st);
	cr_expect_str_eq(st, "dismissed");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM duplicates WHERE status = 'open'"), open);
	/* A person changes: the name corrected; the same birth date and a surname that folds alike. */
	patch(&ngo, b, "{\"prs_FirstName\":\"Gjergji\"}");
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "open", "a name changed: asked again");
	/* The exact pair: a document number added to one is a change to that person. */
	patch(&ngo, d, "{\"prs_IdentityNumber\":\"J01234567A\"}");
	status_of(c, d, st, sizeof st);
	cr_expect_str_eq(st, "open", "an identity changed: asked again");
}

/* A rotation under way: the key file holds a new version and no case is re-encoded yet (what
 * `nrm key rotate` leaves when it is stopped just after starting). A case registered meanwhile
 * is compared with the cases not yet re-encoded, and a name changed meanwhile brings back a
 * pair dismissed before; both hold when the rotation then ends. */
Test(matching, a_rotation_under_way_hides_no_case_from_matching_and_loses_no_change_to_a_person)
{
	char a[32], b[32], c[32], d[32], st[32], key[400], err[4096];
	registered(&cw, "Klodiana", MARKER, "Feminine", "1993-03-03", 0, a);
	registered(&cw, "Arjola", "Dibra", "Feminine", "1997-09-09", 0, c);
	registered(&ngo, "Arjolla", "Dibra", "Feminine", "1997-09-09", 0, d);
	dismissed(c, d);
	cr_assert_eq(sodium_init() >= 0, true);
	struct crypt_keys k;
	struct nrm_err e = {0};
	snprintf(key, sizeof key, "%s.key", srv.db);
	cr_assert_eq(crypt_load_keys(key, &k, &e), 0, "%d", e.code);
	cr_assert_eq(crypt_keys_rotate_begin(&k, &e), 0, "%d", e.code);
	crypt_keys_wipe(&k);
	registered(&ngo, "Klodjana", MARKER, "Feminine", "1993-03-03", 0, b);
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "open", "compared with a case not yet re-encoded");
	patch(&ngo, d, "{\"prs_FirstName\":\"Ariola\"}");
	status_of(c, d, st, sizeof st);
	cr_expect_str_eq(st, "open", "a name changed during the rotation");
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "key", "rotate", "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_eq(db_int(&srv, "SELECT count(DISTINCT v) FROM case_match"), 1);
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "open");
	status_of(c, d, st, sizeof st);
	cr_expect_str_eq(st, "open");
}

/* Cases registered before approximate matching existed (or before the definitions now loaded)
 * are compared with each other when a start first encodes them — not only when each is next
 * written. */
Test(matching, pairs_among_cases_encoded_at_a_start_are_found_at_that_start)
{
	char a[32], b[32], st[32], cmd[900];
	registered(&cw, "Xhuljeta", MARKER, "Feminine", "2003-05-14", 0, a);
	registered(&ngo, "Giulietta", MARKER, "Feminine", "2003-05-14", 0, b);
	status_of(a, b, st, sizeof st);
	cr_assert_str_eq(st, "open");
	/* As a database of before schema 22 holds them: no encodings, no similar pairs. */
	snprintf(cmd, sizeof cmd,
		 "sqlite3 -cmd '.timeout 5000' %s \"DELETE FROM duplicate_scores; DELETE FROM duplicates WHERE reason ="
		 " 'similar'; DELETE FROM case_match; DELETE FROM settings WHERE key = 'match:encoded';\"",
		 srv.db);
	cr_assert_eq(system(cmd), 0);
	status_of(a, b, st, sizeof st);
	cr_assert_str_eq(st, "none");
	server_restart(&srv, NULL);
	relogin();
	status_of(a, b, st, sizeof st);
	cr_expect_str_eq(st, "open", "found at the start that encoded them");
	json_t *p = pair_of(a, b);
	cr_expect(p && json_number_value(jpath(p, "score")) > 0.9, "with its score");
	json_decref(p);
	char *log = file_read(srv.log, NULL);
	cr_assert_not_null(log);
	cr_expect_null(strstr(log, MARKER));
	cr_expect_not_null(strstr(log, "new pairs of likely duplicates"), "%s", log);
	free(log);
}

Test(matching, a_surname_changed_at_marriage_and_an_estimated_age_are_considered)
{
	char a[32], b[32], c[32], d[32];
	registered(&cw, "Anila", "Muça", "Feminine", "1995-04-10", 0, a);
	registered(&ngo, "Anila", "Berisha", "Feminine", "1995-04-10", 0, b);
	json_t *p = pair_of(a, b);
	cr_expect_not_null(p, "the first name and the birth date agree");
	cr_expect(p && !agreed(p, "last_name"));
	double score = p ? json_number_value(jpath(p, "score")) : 0;
	cr_expect(score > 0.6 && score < 0.8, "ranked by how alike the pair is whole, not 100%%: %f", score);
	json_decref(p);
	/* The police estimated her age (31 on 2026-10-01: born 1995); a year either side is looked at. */
	registered(&cw, "Rozafa", "Leka", "Feminine", NULL, 22, c);
	registered(&ngo, "Rozafa", "Leka", "Feminine", "2004-06-01", 0, d);
	p = pair_of(c, d);
	cr_expect_not_null(p, "an age estimated, the same names");
	json_decref(p);
	/* Another sex, or ten years apart: never compared. */
	char e[32], f[32];
	registered(&cw, "Artan", "Lika", "Masculine", "1999-04-04", 0, e);
	registered(&ngo, "Artan", "Lika", "Feminine", "1989-04-04", 0, f);
	cr_expect_null(pair_of(e, f));
}

Test(matching, a_sex_one_agency_left_unspecified_is_compared_with_every_sex)
{
	char a[32], b[32], c[32], d[32];
	registered(&cw, "Mimoza", "Dervishi", "NonSpecifiedUnknown", "2000-02-02", 0, a);
	registered(&ngo, "Mimoza", "Dervishi", "Feminine", "2000-02-02", 0, b);
	json_t *p = pair_of(a, b);
	cr_expect_not_null(p, "not specified by the police, a woman at the shelter");
	json_decref(p);
	registered(&cw, "Mimoza", "Dervishaj", "Masculine", "2000-02-02", 0, c);
	registered(&ngo, "Mimoza", "Dervishaj", "TransgenderFeminine", "2000-02-02", 0, d);
	p = pair_of(c, d);
	cr_expect_not_null(p, "recorded as a man by one agency, as a transgender woman by another");
	json_decref(p);
}

Test(matching, a_key_rotation_encodes_every_case_again_and_matching_goes_on)
{
	char a[32], b[32], c[32], d[32], e[32], err[4096];
	registered(&cw, "Vjollca", "Zeneli", "Feminine", "1994-08-21", 0, a);
	/* Her age estimated: the year comes from the day of identification, not a personal field. */
	registered(&cw, "Shpresa", "Gjini", "Feminine", NULL, 30, c);
	/* A pair merged: the one merged away is compared with nobody, before or after. */
	registered(&cw, "Besa", "Marku", "Feminine", "1990-03-03", 0, d);
	registered(&ngo, "Besa", "Marku", "Feminine", "1990-03-03", 0, e);
	char g[32];
	registered(&cw, "Besa", "Marku", "Feminine", "1990-03-03", 0, g);
	json_t *p = pair_of(d, e);
	cr_assert_not_null(p);
	char path[80], body[80];
	snprintf(path, sizeof path, "/api/v1/duplicates/%lld/merge", jint(p, "id"));
	snprintf(body, sizeof body, "{\"keep\":\"%s\"}", d);
	json_decref(p);
	struct reply r = client_must(&sec, "POST", path, body, 200);
	reply_free(&r);
	/* The pair of the merged case and the third is no longer a question: not in the queue, and
	 * not counted on the Authority's home page either. */
	struct reply q = client_must(&sec, "GET", "/api/v1/duplicates?status=open", NULL, 200);
	struct reply h = client_must(&sec, "GET", "/api/v1/home?counts=1", NULL, 200);
	long long home = -1;
	json_t *x;
	size_t i;
	json_array_foreach(jpath(h.json, "queues"), i, x)
		if (strcmp(jstr(x, "key"), "duplicates") == 0)
			home = jint(x, "count");
	cr_expect_eq(home, (long long)json_array_size(jpath(q.json, "items")), "%s", h.body);
	cr_expect_eq(json_array_size(jpath(q.json, "items")), 1, "d and g: %s", q.body);
	reply_free(&q);
	reply_free(&h);
	/* Re-checked, a merged case would be encoded again and find the case it was merged into. */
	char dedup[80];
	snprintf(dedup, sizeof dedup, "/api/v1/cases/%s/dedup", e);
	client_refused(&sec, "POST", dedup, "{}", 409, "case_merged", NULL);
	const char *which = "SELECT group_concat(case_id, ',') FROM (SELECT case_id FROM case_match ORDER BY case_id)";
	char *encoded = db_string(&srv, which);
	cr_assert_not_null(encoded);
	long long before = db_int(&srv, "SELECT count(*) FROM case_match");
	cr_assert_gt(before, 0);
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "key", "rotate", "--db", srv.db, NULL), 0, "%s", err);
	cr_expect_eq(db_int(&srv, "SELECT count(DISTINCT v) FROM case_match"), 1, "the old version's encodings dropped");
	char *now = db_string(&srv, which);
	cr_expect_str_eq(now, encoded, "the same cases encoded under the new key: the estimated age's, not the merged one's");
	free(now);
	free(encoded);
	cr_expect_eq(db_int(&srv, "SELECT min(v) FROM case_match"), 2);
	registered(&ngo, "Viollca", "Zenelli", "Feminine", "1994-08-21", 0, b);
	p = pair_of(a, b);
	cr_expect_not_null(p, "found under the new key");
	json_decref(p);
	/* In the blocks of her sex and year: a shelter's record of her, born in 1996, finds her. */
	char f[32];
	registered(&ngo, "Shpresa", "Gjini", "Feminine", "1996-02-02", 0, f);
	p = pair_of(c, f);
	cr_expect_not_null(p, "an estimated age encoded under the new key");
	json_decref(p);
}

/* The evaluation set's records (tests/data/match_eval.json) in order, a then b of each pair;
 * one in seven of unknown sex, so that every kind of block is searched. */
static json_t *eval_records(void)
{
	json_error_t e;
	json_t *doc = json_load_file("tests/data/match_eval.json", 0, &e), *p, *all = json_array();
	cr_assert_not_null(doc, "%s", e.text);
	size_t i;
	json_array_foreach(json_object_get(doc, "pairs"), i, p) {
		json_t *a = json_deep_copy(json_object_get(p, "a")), *b = json_deep_copy(json_object_get(p, "b"));
		if (i % 7 == 3)
			json_object_set_new(b, "sex", json_string("NonSpecifiedUnknown"));
		json_array_append_new(all, a);
		json_array_append_new(all, b);
	}
	json_decref(doc);
	/* And more candidates of one case than it keeps (20), all alike: 22 women of one name born
	 * on different days of 1990 (births both known that differ: none a candidate of another),
	 * then one of that name whose age was estimated — each of the 22 scores the same with her. */
	for (int k = 0; k < 22; k++) {
		char date[16];
		snprintf(date, sizeof date, "1990-%02d-%02d", 1 + k % 12, 1 + k);
		json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:s}", "first", "Ana", "last", "Tiebreak", "sex", "Feminine",
						     "date", date));
	}
	json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:i}", "first", "Ana", "last", "Tiebreak", "sex", "Feminine",
					     "year", 1990));
	return all;
}

/* The queue of a database as text: one line per pair, by the cases' codes, with its reason,
 * score and what agreed. */
static char *queue_of(const struct server *s)
{
	char *text = db_string(s, "SELECT group_concat(line, char(10)) FROM (SELECT a.code || ' ' || b.code || ' ' || d.reason"
				" || ' ' || coalesce(printf('%.12f', x.score), '-') || ' ' || coalesce(x.agreed, '-') AS line"
				" FROM duplicates d JOIN cases a ON a.id = d.case_a JOIN cases b ON b.id = d.case_b"
				" LEFT JOIN duplicate_scores x ON x.duplicate_id = d.id ORDER BY line)");
	cr_assert_not_null(text);
	return text;
}

/* Rows from..to of the records as a CSV `nrm import cases` reads. */
static void records_csv(const char *path, json_t *recs, size_t from, size_t to, long long inst)
{
	size_t cap = 1 << 17, n = 0;
	char *text = malloc(cap);
	n += (size_t)snprintf(text, cap,
			      "vic_TraffickingStatus,prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,al_estimated_age,"
			      "al_identification_date,al_identifying_institution,al_identification_method,al_county,"
			      "al_indicators_a,al_indicators_c\n");
	for (size_t i = from; i < to; i++) {
		json_t *r = json_array_get(recs, i);
		const char *date = json_string_value(json_object_get(r, "date"));
		char age[24] = "";
		if (!date)
			snprintf(age, sizeof age, "%lld", 2026 - jint(r, "year"));
		n += (size_t)snprintf(text + n, cap - n, "PossibleVictimOfTrafficking,%s,%s,%s,%s,%s,2026-10-01,%lld,police,fier,A01,C01\n",
				      jstr(r, "first"), jstr(r, "last"), jstr(r, "sex"), date ? date : "", age, inst);
		cr_assert_lt(n, cap);
	}
	file_write(path, text);
	free(text);
}

Test(matching, an_import_finds_at_once_every_pair_that_registering_each_row_alone_finds)
{
	/* One by one over HTTP: each case searched as it is written. */
	json_t *recs = eval_records();
	size_t n = json_array_size(recs), i;
	json_t *r;
	json_array_foreach(recs, i, r) {
		char code[32];
		const char *date = json_string_value(json_object_get(r, "date"));
		registered(&cw, jstr(r, "first"), jstr(r, "last"), jstr(r, "sex"), date, date ? 0 : (int)(2026 - jint(r, "year")),
			   code);
	}
	char *one_by_one = queue_of(&srv);
	/* The same rows imported into another database: the first 40 as cases already stored,
	 * the rest in one import, searched together once all are written. */
	struct server other;
	server_start(&other);
	char csv[400], out[32768], err[4096];
	long long inst = institution_of(&cw);
	snprintf(csv, sizeof csv, "%s/first.csv", other.dir);
	records_csv(csv, recs, 0, 40, inst);
	cr_assert_eq(nrm_run_out(out, sizeof out, err, sizeof err, "import", "cases", csv, "--db", other.db, "--as",
				 "fier.caseworker", NULL),
		     0, "%s", err);
	cr_expect_null(strstr(out, "may be the same person"), "only the Authority learns of candidates: %s", out);
	cr_expect_gt(db_int(&other, "SELECT count(*) FROM duplicates"), 5, "though they are queued");
	long long last_stored = db_int(&other, "SELECT max(id) FROM cases");
	snprintf(csv, sizeof csv, "%s/rest.csv", other.dir);
	records_csv(csv, recs, 40, n, inst);
	char id[24];
	snprintf(id, sizeof id, "%lld", inst);
	/* A dry run tells the pairs within the file by row, and writes nothing. */
	cr_assert_eq(nrm_run_out(out, sizeof out, err, sizeof err, "import", "cases", csv, "--db", other.db, "--as",
				 "authority.secretariat", "--institution", id, "--dry-run", NULL),
		     0, "%s", err);
	cr_expect_not_null(strstr(out, "may be the same person as row "), "%s", out);
	cr_expect_eq(db_int(&other, "SELECT max(id) FROM cases"), last_stored);
	cr_assert_eq(nrm_run_out(out, sizeof out, err, sizeof err, "import", "cases", csv, "--db", other.db, "--as",
				 "authority.secretariat", "--institution", id, NULL),
		     0, "%s", err);
	char *at_once = queue_of(&other);
	cr_expect_str_eq(at_once, one_by_one, "the same pairs, scores and agreements");
	/* Of the 22 alike, the 20 oldest kept, however the search met them. */
	cr_expect_eq(db_int(&other, "SELECT count(*) FROM duplicates WHERE case_b = (SELECT max(id) FROM cases)"), 20);
	cr_expect_gt(db_int(&other, "SELECT count(*) FROM duplicate_scores"), 20, "the set's pairs are found");
	/* The Authority is told each pair once, under the row of its later case. */
	size_t told = 0;
	for (const char *p = out; (p = strstr(p, "may be the same person as")); p++)
		told++;
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM duplicates WHERE case_b > %lld", last_stored);
	cr_expect_eq((long long)told, db_int(&other, sql), "%zu told, %lld pairs: %s", told, db_int(&other, sql), out);
	cr_expect_null(strstr(out, MARKER));
	free(one_by_one);
	free(at_once);
	server_stop(&other);
	json_decref(recs);
}
