/* Crash safety (issue 14, point 7): `nrm serve` killed with SIGKILL at random moments while
 * four clients write cases, meetings with their agendas and reports, restarted, and killed
 * again. Afterwards every write a client saw acknowledged is there and whole, nothing is half
 * written (no case without its event and audit row, no meeting without its agenda...), SQLite's
 * integrity check passes after every kill, and `nrm audit verify` passes.
 *
 * The kill moments come from a seed printed at the start ("crash seed N"); NRM_CRASH_SEED=N
 * replays them. Bounded: ROUNDS kills, each up to 0.7 s after the restarted server first
 * acknowledged a write. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define ROUNDS 4
#define MAX_ITEMS 4096

static struct server srv;
static atomic_int port, gen, stop, unanswered, acks;
static long long table, police;

static void setup(void)
{
	server_start(&srv);
	atomic_store(&port, srv.port);
	struct client c = client_as(&srv, "fier.secretariat");
	table = body_id(&c, "technical_table", "fier");
	client_free(&c);
	police = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
}
static void teardown(void)
{
	server_stop(&srv);
}
TestSuite(crash, .init = setup, .fini = teardown, .timeout = 240);

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* One writer: a logged-in client that follows the server through its restarts. */
struct writer {
	const char *user;
	struct client c;
	int id;
	int other; /* answers neither 2xx, nor 503 busy, nor none: should stay 0 */
	char last[600];
};

static void login(struct writer *w)
{
	char body[200];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"demo\"}", w->user);
	for (;;) {
		int g = atomic_load(&gen);
		w->c.port = atomic_load(&port);
		struct reply r = client_try(&w->c, "POST", "/api/v1/session", body);
		if (r.status == 200)
			snprintf(w->c.csrf, sizeof w->c.csrf, "%s", jstr(r.json, "csrf"));
		long st = r.status;
		reply_free(&r);
		if (st == 200 || atomic_load(&stop))
			return;
		while (atomic_load(&gen) == g && !atomic_load(&stop))
			pause_ms(5);
	}
}

/* Sends one request. The answer's status, or 0 when none came (the server was killed before
 * or while answering: the write may or may not have been made); then waits for the restart. */
static long ask(struct writer *w, const char *method, const char *path, const char *body, json_t **json, long allow)
{
	for (;;) {
		int g = atomic_load(&gen);
		w->c.port = atomic_load(&port);
		struct reply r = client_try(&w->c, method, path, body);
		long st = r.status;
		if (st == 401) {
			reply_free(&r);
			login(w);
			continue;
		}
		if (json)
			*json = json_incref(r.json);
		if (st >= 200 && st < 300 && strcmp(method, "GET") != 0)
			atomic_fetch_add(&acks, 1);
		if (st != 0 && (st < 200 || st >= 300) && st != 503 && st != allow) {
			w->other++;
			snprintf(w->last, sizeof w->last, "%s %s: %ld %.400s", method, path, st, r.body ? r.body : "");
		}
		reply_free(&r);
		if (st == 0)
			atomic_fetch_add(&unanswered, 1);
		if (st == 0)
			while (atomic_load(&gen) == g && !atomic_load(&stop))
				pause_ms(5);
		return st;
	}
}

/* Cases: each acknowledged one remembered with the personal values it was given. */
struct acase {
	char code[32], first[48], doc[24];
};
static struct acase cases[2][MAX_ITEMS];
static atomic_int ncases[2];

static void *write_cases(void *arg)
{
	struct writer *w = arg;
	for (int n = 0; !atomic_load(&stop) && ncases[w->id] < MAX_ITEMS; n++) {
		struct acase *a = &cases[w->id][ncases[w->id]];
		char body[2048];
		snprintf(a->first, sizeof a->first, "Krashi%c%d", 'A' + w->id, n);
		snprintf(a->doc, sizeof a->doc, "KR%d%07d", w->id, n);
		snprintf(body, sizeof body,
			 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
			 "\"prs_SecondName\":\"Rrëzimi\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2008-02-%02d\","
			 "\"al_identification_date\":\"2026-10-01\",\"al_identifying_institution\":%lld,"
			 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
			 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedBegging\"],"
			 "\"al_documents\":[{\"al_document_type\":\"passport\",\"al_document_number\":\"%s\"}],"
			 "\"al_narrative\":\"Rrëfimi %s, i plotë.\"}}",
			 a->first, 1 + n % 28, police, a->doc, a->first);
		json_t *j = NULL;
		if (ask(w, "POST", "/api/v1/cases", body, &j, 0) == 201 && *jstr(j, "code")) {
			snprintf(a->code, sizeof a->code, "%s", jstr(j, "code"));
			ncases[w->id]++;
		}
		json_decref(j);
	}
	return NULL;
}

/* Meetings and their agendas: the agenda last acknowledged, and one sent after it whose answer
 * never came (either may be the one stored). */
struct ameeting {
	long long id;
	int acked;     /* the agenda version last acknowledged: titles "Krash <n> v<version> a|b" */
	unsigned pend; /* the versions sent since, whose answer never came (bit v) */
	int n;
};
static struct ameeting meetings[MAX_ITEMS];
static atomic_int nmeetings;

static void agenda_json(char *out, size_t cap, int n, int version)
{
	snprintf(out, cap, "[{\"title\":\"Krash %d v%d a\",\"presenter\":\"Policia\"},{\"title\":\"Krash %d v%d b\"}]", n,
		 version, n, version);
}

static void *write_meetings(void *arg)
{
	struct writer *w = arg;
	char path[96], body[1024], agenda[400];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", table);
	for (int n = 0; !atomic_load(&stop) && nmeetings < MAX_ITEMS; n++) {
		agenda_json(agenda, sizeof agenda, n, 0);
		snprintf(body, sizeof body,
			 "{\"date\":\"2027-%02d-%02d\",\"time\":\"10:00\",\"location\":\"Prefektura Fier\",\"title\":\"Krash %d\","
			 "\"agenda\":%s}",
			 1 + n % 12, 1 + n % 28, n, agenda);
		json_t *j = NULL;
		long st = ask(w, "POST", path, body, &j, 0);
		long long id = st == 201 ? jint(j, "id") : -1;
		json_decref(j);
		if (id <= 0)
			continue;
		struct ameeting *m = &meetings[nmeetings];
		*m = (struct ameeting){.id = id, .n = n};
		nmeetings++;
		char apath[96];
		snprintf(apath, sizeof apath, "/api/v1/meetings/%lld/agenda", id);
		for (int v = 1; v <= 2 && !atomic_load(&stop); v++) {
			agenda_json(agenda, sizeof agenda, n, v);
			snprintf(body, sizeof body, "{\"items\":%s}", agenda);
			st = ask(w, "PUT", apath, body, NULL, 0);
			if (st == 200)
				m->acked = v, m->pend = 0;
			else if (st == 0)
				m->pend |= 1u << v;
		}
	}
	return NULL;
}

/* Reports of Fier's KRAT, one per quarter, and the summary written in each. */
struct areport {
	long long id;
	int acked;          /* the summary last acknowledged: "Përmbledhja <n> v<k>"; 0 = none */
	unsigned long long pend; /* the summaries sent since, whose answer never came (bit k) */
	int n, version;
};
static struct areport reports[64];
static atomic_int nreports;

static void *write_reports(void *arg)
{
	struct writer *w = arg;
	char body[600], path[64];
	int unsure = 0; /* the last creation had no answer */
	for (int n = 0; !atomic_load(&stop); n++) {
		if (nreports < 32 && n % 3 == 0) {
			snprintf(body, sizeof body, "{\"type\":\"krat-quarterly\",\"scope\":\"fier\",\"period\":\"%dQ%d\"}",
				 2018 + nreports / 4, 1 + nreports % 4);
			json_t *j = NULL;
			long st = ask(w, "POST", "/api/v1/reports", body, &j, unsure ? 409 : 0);
			/* Made or not, an unanswered creation is told by the next attempt: 201, or 409
			 * naming the report made then (not acknowledged, so not checked for its summary). */
			long long id = st == 201 ? jint(j, "id")
					: st == 409 && strcmp(jstr(j, "error.key"), "report_exists") == 0
						? strtoll(jstr(j, "error.params.id"), NULL, 10)
						: -1;
			if (id > 0) {
				reports[nreports] = (struct areport){.id = id, .n = nreports, .version = 1};
				nreports++;
			}
			unsure = st == 0;
			json_decref(j);
			continue;
		}
		if (!nreports)
			continue;
		struct areport *r = &reports[n % nreports];
		int k = r->acked + 1;
		while (k < 64 && (r->pend >> k))
			k++;
		if (k >= 63)
			continue;
		snprintf(path, sizeof path, "/api/v1/reports/%lld", r->id);
		if (r->pend) {
			/* The version after an unanswered write is read back first. */
			json_t *j = NULL;
			if (ask(w, "GET", path, NULL, &j, 0) != 200) {
				json_decref(j);
				continue;
			}
			r->version = (int)jint(j, "version");
			json_decref(j);
		}
		snprintf(body, sizeof body, "{\"version\":%d,\"sections\":{\"summary\":\"Përmbledhja %d v%d\"}}", r->version,
			 r->n, k);
		json_t *j = NULL;
		long st = ask(w, "PATCH", path, body, &j, 0);
		if (st == 200)
			r->acked = k, r->pend = 0, r->version = (int)jint(j, "version");
		else if (st == 0)
			r->pend |= 1ull << k;
		json_decref(j);
	}
	return NULL;
}

/* The first column of the first row of sql on the database file, as text (malloc'd). */
static char *db_text(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_open_v2(srv.db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			v = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static void expect_integrity(const char *when)
{
	char *ok = db_text("PRAGMA integrity_check");
	cr_expect_str_eq(ok ? ok : "(no answer)", "ok", "PRAGMA integrity_check %s", when);
	free(ok);
}

/* The titles of the secretariat's own items of a meeting's agenda, joined by "|". */
static void agenda_titles(json_t *meeting, char *out, size_t cap)
{
	size_t i, o = 0;
	json_t *it;
	out[0] = '\0';
	json_array_foreach(jpath(meeting, "agenda"), i, it) {
		if (strcmp(jstr(it, "kind"), "item") != 0 && *jstr(it, "kind"))
			continue;
		int n = snprintf(out + o, cap - o, "%s%s", o ? "|" : "", jstr(it, "title"));
		if (n < 0 || (size_t)n >= cap - o)
			break;
		o += (size_t)n;
	}
}

static const char *section_text(json_t *report, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach(jpath(report, "sections"), i, s)
		if (strcmp(jstr(s, "id"), id) == 0)
			return jstr(s, "text");
	return "";
}

Test(crash, acknowledged_writes_survive_kills_of_the_server_and_nothing_is_half_written)
{
	const char *env = getenv("NRM_CRASH_SEED");
	unsigned seed = env && *env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL) ^ (unsigned)getpid();
	fprintf(stderr, "crash seed %u (NRM_CRASH_SEED=%u replays the kill moments)\n", seed, seed);
	cr_log_info("crash seed %u", seed);
	struct writer w[4] = {{.user = "fier.caseworker", .id = 0},
			      {.user = "fier.caseworker", .id = 1},
			      {.user = "fier.secretariat", .id = 2},
			      {.user = "fier.secretariat", .id = 3}};
	void *(*fn[4])(void *) = {write_cases, write_cases, write_meetings, write_reports};
	pthread_t t[4];
	/* Logged in before the first kill (a login takes a while by design; sessions outlive a
	 * restart), two sessions shared by the four connections. */
	client_init(&w[0].c, &srv);
	client_login(&w[0].c, w[0].user, "demo");
	client_init(&w[2].c, &srv);
	client_login(&w[2].c, w[2].user, "demo");
	client_init(&w[1].c, &srv);
	client_share(&w[1].c, &w[0].c);
	client_init(&w[3].c, &srv);
	client_share(&w[3].c, &w[2].c);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, fn[i], &w[i]), 0);
	/* Each kind written once before the first kill, so each is checked whatever the moments. */
	for (int i = 0; i < 6000 && !(ncases[0] && nmeetings && nreports); i++)
		pause_ms(10);
	cr_assert(ncases[0] && nmeetings && nreports, "the writers made no case, meeting or report in a minute");
	for (int round = 0; round < ROUNDS; round++) {
		/* Killed at a random moment once the restarted server acknowledged a write. */
		int a0 = atomic_load(&acks);
		for (int i = 0; i < 3000 && atomic_load(&acks) == a0; i++)
			pause_ms(10);
		cr_assert_neq(atomic_load(&acks), a0, "no write acknowledged after restart %d", round);
		pause_ms((long)(rand_r(&seed) % 700));
		cr_assert_eq(kill(srv.pid, SIGKILL), 0);
		waitpid(srv.pid, NULL, 0);
		srv.pid = 0;
		char when[64];
		snprintf(when, sizeof when, "after kill %d", round + 1);
		expect_integrity(when);
		server_restart(&srv, NULL); /* the server was killed: only starts it again */
		atomic_store(&port, srv.port);
		atomic_fetch_add(&gen, 1);
	}
	/* Writing goes on after the last restart until a write is acknowledged, then stops. */
	int a0 = atomic_load(&acks);
	for (int i = 0; i < 3000 && atomic_load(&acks) == a0; i++)
		pause_ms(10);
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++) {
		cr_expect_eq(w[i].other, 0, "%s had %d unexpected answers, the last: %s", w[i].user, w[i].other, w[i].last);
		client_free(&w[i].c);
	}
	fprintf(stderr, "crash: %d kills; acknowledged %d cases, %d meetings, %d reports (%d writes); %d requests unanswered\n",
		ROUNDS, ncases[0] + ncases[1], (int)nmeetings, (int)nreports, (int)acks, (int)unanswered);
	cr_expect_neq(atomic_load(&acks), a0, "writes go on after the last restart");
	cr_expect(unanswered > 0, "the kills fell while the clients were writing");

	/* Every acknowledged case is there with every value it was given. */
	struct client cw = client_as(&srv, "fier.caseworker"), sec = client_as(&srv, "fier.secretariat");
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < ncases[k]; i++) {
			struct acase *a = &cases[k][i];
			char path[96];
			snprintf(path, sizeof path, "/api/v1/cases/%s/personal", a->code);
			struct reply r = client_req(&cw, "POST", path, "{\"reason\":\"kontroll pas rrëzimit\"}");
			cr_expect_eq(r.status, 200, "case %s acknowledged, then: %ld", a->code, r.status);
			cr_expect_str_eq(jstr(r.json, "fields.prs_FirstName"), a->first, "%s", a->code);
			cr_expect_str_eq(jstr(r.json, "fields.prs_SecondName"), "Rrëzimi", "%s", a->code);
			cr_expect_str_eq(jstr(r.json, "fields.al_documents.0.al_document_number"), a->doc, "%s", a->code);
			char narrative[96];
			snprintf(narrative, sizeof narrative, "Rrëfimi %s, i plotë.", a->first);
			cr_expect_str_eq(jstr(r.json, "fields.al_narrative"), narrative, "%s", a->code);
			reply_free(&r);
			r = client_get(&cw, "/api/v1/cases/%s", a->code);
			cr_expect_str_eq(jstr(r.json, "stage"), "initial_identification", "%s", a->code);
			cr_expect_str_eq(jstr(r.json, "fields.al_municipality"), "patos", "%s: %s", a->code, r.body);
			reply_free(&r);
		}
	/* Every acknowledged meeting, with the agenda last acknowledged (or one sent after it whose
	 * answer never came). */
	for (int i = 0; i < nmeetings; i++) {
		struct ameeting *m = &meetings[i];
		struct reply r = client_get(&sec, "/api/v1/meetings/%lld", m->id);
		cr_expect_eq(r.status, 200, "meeting %lld", m->id);
		char have[400], want[400];
		agenda_titles(r.json, have, sizeof have);
		int ok = 0;
		for (int v = 0; v < 3 && !ok; v++) {
			snprintf(want, sizeof want, "Krash %d v%d a|Krash %d v%d b", m->n, v, m->n, v);
			ok = (v == m->acked || (m->pend >> v & 1)) && strcmp(have, want) == 0;
		}
		cr_expect(ok, "meeting %lld: agenda %s, acknowledged version %d, unanswered since %#x", m->id, have, m->acked,
			  m->pend);
		reply_free(&r);
	}
	/* Every acknowledged report, with the summary last acknowledged (or one sent after it whose
	 * answer never came). */
	for (int i = 0; i < nreports; i++) {
		struct areport *p = &reports[i];
		struct reply r = client_get(&sec, "/api/v1/reports/%lld", p->id);
		cr_expect_eq(r.status, 200, "report %lld", p->id);
		char want[80];
		const char *have = section_text(r.json, "summary");
		int ok = !p->acked && !*have;
		for (int k = 1; k < 64 && !ok; k++) {
			snprintf(want, sizeof want, "Përmbledhja %d v%d", p->n, k);
			ok = (k == p->acked || (p->pend >> k & 1)) && strcmp(have, want) == 0;
		}
		cr_expect(ok, "report %lld: summary '%s', acknowledged version %d, unanswered since %#llx", p->id, have,
			  p->acked, p->pend);
		reply_free(&r);
	}
	client_free(&cw);
	client_free(&sec);

	/* Nothing half written: each row with what its transaction wrote beside it. */
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e"
				  " WHERE e.case_id = c.id AND e.action = 'create')"),
		     0, "a case without its creation event");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM audit a"
				  " WHERE a.entity = 'case' AND a.entity_id = c.code AND a.action = 'create')"),
		     0, "a case without its audit row");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_stages s"
				  " WHERE s.case_id = c.id)"),
		     0, "a case without the stage its figures count");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit a WHERE a.entity = 'case' AND a.action = 'create'"
				  " AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.code = a.entity_id)"),
		     0, "an audit row of a case that is not there");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM meetings m WHERE m.title LIKE 'Krash %' AND (NOT EXISTS"
				  " (SELECT 1 FROM agenda_items i WHERE i.meeting_id = m.id) OR NOT EXISTS (SELECT 1 FROM audit a"
				  " WHERE a.entity = 'meeting' AND a.entity_id = CAST(m.id AS TEXT) AND a.action = 'create'))"),
		     0, "a meeting without its agenda or its audit row");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM meetings m WHERE m.title LIKE 'Krash %' AND"
				  " (SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id AND i.kind = 'item') <> 2"),
		     0, "an agenda half replaced");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM audit a"
				  " WHERE a.entity = 'report' AND a.entity_id = CAST(r.id AS TEXT) AND a.action = 'create')"),
		     0, "a report without its audit row");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM pragma_foreign_key_check"), 0, "rows pointing nowhere");
	expect_integrity("at the end");
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "audit", "verify", "--db", srv.db, NULL), 0, "nrm audit verify: %s", err);
}
