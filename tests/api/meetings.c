/* Meetings that decide (Order 94 §1.4, §1.6, §1.7a-b, §2.2; Instruction 132 §§3, 7, 9): a
 * Technical Table's meeting scheduled with its agenda and guests, rescheduled and cancelled on
 * the calendar, its attendance and quorum, decisions that become tasks, minutes approved at
 * the next meeting, each body's compliance with its frequency, and who may see what. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define TODAY "2026-03-16"
#define MARKER "Zanafilla"

static struct server srv;
static struct client sec, cw;
static long long table, krat, authority, police;

static long long body_of(const char *kind, const char *county)
{
	char path[120];
	snprintf(path, sizeof path, "/api/v1/bodies?kind=%s%s%s", kind, county ? "&county=" : "", county ? county : "");
	struct reply r = client_req(&sec, "GET", path, NULL);
	long long id = jint(r.json, "items.0.id");
	reply_free(&r);
	cr_assert(id > 0, "%s", path);
	return id;
}

static void setup(void)
{
	server_start(&srv);
	server_restart(&srv, TODAY);
	client_init(&sec, &srv);
	client_login(&sec, "fier.secretariat", "demo");
	client_init(&cw, &srv);
	client_login(&cw, "fier.caseworker", "demo");
	table = body_of("technical_table", "fier");
	krat = body_of("krat", "fier");
	authority = body_of("authority", NULL);
	police = db_int(&srv, "SELECT institution_id FROM users WHERE username = 'fier.caseworker'");
}
static void teardown(void)
{
	client_free(&sec);
	client_free(&cw);
	server_stop(&srv);
}
TestSuite(meetings, .init = setup, .fini = teardown, .timeout = 180);

/* Schedules a meeting of body with the extra members of `more` (a JSON fragment); its id. */
static long long schedule(long long body, const char *date, const char *more)
{
	char path[64], json[4096];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", body);
	snprintf(json, sizeof json, "{\"date\":\"%s\",\"time\":\"10:00\",\"location\":\"Prefektura Fier, salla 2\"%s%s}",
		 date, more ? "," : "", more ? more : "");
	struct reply r = client_req(&sec, "POST", path, json);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "id");
	reply_free(&r);
	return id;
}

static struct reply call(struct client *c, const char *method, long long id, const char *tail, const char *body)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/meetings/%lld%s", id, tail);
	return client_req(c, method, path, body);
}

/* The seat ids of the body's meeting, in order. */
static long long seat(long long meeting, size_t i)
{
	struct reply r = call(&sec, "GET", meeting, "", NULL);
	long long id = jint(json_array_get(jpath(r.json, "attendance"), i), "seat");
	reply_free(&r);
	return id;
}

/* Every seat present, as client c: the meeting held with its quorum. */
static void all_present_as(struct client *c, long long meeting)
{
	struct reply r = call(c, "GET", meeting, "", NULL);
	json_t *list = json_array(), *s;
	size_t i;
	json_array_foreach(jpath(r.json, "attendance"), i, s)
		json_array_append_new(list, json_pack("{s:I, s:s}", "seat", (json_int_t)jint(s, "seat"), "status", "present"));
	reply_free(&r);
	json_t *doc = json_pack("{s:o}", "seats", list);
	char *body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	r = call(c, "PUT", meeting, "/attendance", body);
	free(body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_assert(json_is_true(jpath(r.json, "quorum.held")), "%s", r.body);
	reply_free(&r);
}

static void all_present(long long meeting)
{
	all_present_as(&sec, meeting);
}

/* The calendar entry of a meeting as python3-icalendar reads it (tests/tools/ics_check.py). */
static json_t *calendar(struct client *c, long long meeting)
{
	struct reply r = call(c, "GET", meeting, "/ics", NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_not_null(strstr(r.headers, "text/calendar"), "%s", r.headers);
	char path[400], cmd[600];
	snprintf(path, sizeof path, "%s/m%lld.ics", srv.dir, meeting);
	file_write(path, r.body);
	reply_free(&r);
	snprintf(cmd, sizeof cmd, "python3 tests/tools/ics_check.py '%s'", path);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	json_error_t je;
	json_t *out = json_loadf(p, 0, &je);
	cr_assert_eq(pclose(p), 0, "the calendar does not parse");
	cr_assert_not_null(out, "%s", je.text);
	return out;
}

Test(meetings, a_table_meeting_is_scheduled_with_agenda_guests_and_a_calendar_entry)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/guests", table);
	struct reply r = client_req(&sec, "POST", path,
				    "{\"name\":\"Arta Prokurori\",\"organisation\":\"Prokuroria e Rrethit Gjyqësor Fier\","
				    "\"reason\":\"rastet në hetim\",\"start\":\"2026-01-10\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long guest = jint(r.json, "id");
	reply_free(&r);
	char more[600];
	snprintf(more, sizeof more,
		 "\"end_time\":\"12:30\",\"title\":\"Mbledhja e tremujorit të parë\",\"agenda\":[{\"title\":\"Rastet në ndjekje\","
		 "\"presenter\":\"Policia\"},{\"title\":\"Fushata e marsit\"}],\"guests\":[{\"guest\":%lld},{\"name\":\"Drita "
		 "Komisionere\",\"organisation\":\"Komisioneri për Mbrojtjen nga Diskriminimi\"}]",
		 guest);
	long long m = schedule(table, "2026-03-26", more);
	r = call(&sec, "GET", m, "", NULL);
	cr_expect_str_eq(jstr(r.json, "status"), "scheduled");
	cr_expect_str_eq(jstr(r.json, "agenda.0.title"), "Rastet në ndjekje");
	cr_expect_str_eq(jstr(r.json, "agenda.0.presenter"), "Policia");
	cr_expect_eq(jint(r.json, "agenda.1.position"), 2);
	cr_expect_str_eq(jstr(r.json, "guests.0.organisation"), "Prokuroria e Rrethit Gjyqësor Fier");
	cr_expect_str_eq(jstr(r.json, "guests.1.name"), "Drita Komisionere");
	cr_expect(json_array_size(jpath(r.json, "attendance")) > 3, "every seat of the Table");
	cr_expect(json_is_true(jpath(r.json, "can_edit")));
	cr_expect_str_eq(jstr(r.json, "history.0.action"), "create");
	reply_free(&r);
	/* A guest not of this body, a bad time and a bad link are refused by name. */
	struct {
		const char *json, *field;
	} bad[] = {
		{"{\"date\":\"2026-04-01\",\"guests\":[{\"guest\":999999}]}", "guests.0"},
		{"{\"date\":\"2026-04-01\",\"time\":\"25:00\"}", "time"},
		{"{\"date\":\"2026-04-01\",\"time\":\"10:00\",\"end_time\":\"09:00\"}", "end_time"},
		{"{\"date\":\"2026-04-01\",\"link\":\"javascript:alert(1)\"}", "link"},
		{"{\"date\":\"2026-04-01\",\"agenda\":[{\"presenter\":\"X\"}]}", "agenda.0.title"},
		{"{\"date\":\"2026-04-01\",\"time\":\"+1:+2\"}", "time"},
		{"{\"date\":\"2026-04-01\",\"guests\":[{\"name\":\"P\"},{\"name\":\"X\",\"email\":\"bad\"}]}", "guests.1.email"},
		{"{\"date\":\"2026-04-01\",\"agenda\":[{\"title\":\"X\",\"refs\":{\"cases\":[\"FR-2026-9999\"]}}]}",
		 "agenda.0.refs.cases.0"},
	};
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", table);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = client_req(&sec, "POST", path, bad[i].json);
		cr_expect_eq(r.status, 400, "%s: %s", bad[i].json, r.body);
		cr_expect_str_eq(jstr(r.json, "error.field"), bad[i].field, "%s", r.body);
		reply_free(&r);
	}
	/* The body's list of meetings holds it. */
	r = client_get(&sec, "/api/v1/bodies/%lld/meetings", table);
	cr_expect_eq(r.status, 200, "%s", r.body);
	bool listed = false;
	size_t k;
	json_t *one;
	json_array_foreach(jpath(r.json, "items"), k, one)
		listed |= jint(one, "id") == m;
	cr_expect(listed, "meeting %lld is not in its body's list: %s", m, r.body);
	reply_free(&r);
	/* The calendar: 10:00 in Tirane in March (CET) is 09:00 UTC; the agenda in the description. */
	json_t *cal = calendar(&sec, m);
	json_t *ev = jpath(cal, "events.0");
	cr_expect_str_eq(jstr(ev, "start_utc"), "2026-03-26T09:00:00Z");
	cr_expect_str_eq(jstr(ev, "end_utc"), "2026-03-26T11:30:00Z");
	cr_expect_str_eq(jstr(ev, "status"), "CONFIRMED");
	cr_expect_eq(jint(ev, "sequence"), 0);
	cr_expect_not_null(strstr(jstr(ev, "summary"), "Mbledhja e tremujorit të parë"));
	cr_expect_not_null(strstr(jstr(ev, "description"), "Fushata e marsit"));
	json_decref(cal);
}

Test(meetings, rescheduling_and_cancelling_are_recorded_and_raise_the_calendar_sequence)
{
	long long m = schedule(table, "2026-03-26", NULL);
	json_t *cal = calendar(&sec, m);
	char uid[128];
	snprintf(uid, sizeof uid, "%s", jstr(cal, "events.0.uid"));
	json_decref(cal);
	struct reply r = call(&sec, "PATCH", m, "", "{\"version\":1,\"date\":\"2026-03-30\",\"time\":\"11:00\",\"reason\":\"Prefekti në mision\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "history.1.action"), "reschedule");
	cr_expect_str_eq(jstr(r.json, "history.1.reason"), "Prefekti në mision");
	cr_expect_str_eq(jstr(r.json, "history.1.before.date"), "2026-03-26");
	cr_expect_str_eq(jstr(r.json, "history.1.after.date"), "2026-03-30");
	reply_free(&r);
	r = call(&sec, "PATCH", m, "", "{\"version\":1,\"time\":\"12:00\"}");
	cr_expect_eq(r.status, 409, "a stale version: %s", r.body);
	reply_free(&r);
	cal = calendar(&sec, m);
	cr_expect_str_eq(jstr(cal, "events.0.uid"), uid, "the same event");
	cr_expect_eq(jint(cal, "events.0.sequence"), 1);
	cr_expect_str_eq(jstr(cal, "events.0.start_utc"), "2026-03-30T09:00:00Z", "11:00 CEST");
	json_decref(cal);
	r = call(&sec, "POST", m, "/cancel", "{}");
	cr_expect_eq(r.status, 400, "a reason is required");
	cr_expect_str_eq(jstr(r.json, "error.field"), "reason");
	reply_free(&r);
	r = call(&sec, "POST", m, "/cancel", "{\"reason\":\"Mungon kuorumi i paralajmëruar\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "cancelled");
	reply_free(&r);
	cal = calendar(&sec, m);
	cr_expect_str_eq(jstr(cal, "events.0.uid"), uid);
	cr_expect_str_eq(jstr(cal, "events.0.status"), "CANCELLED");
	cr_expect_eq(jint(cal, "events.0.sequence"), 2);
	json_decref(cal);
	r = call(&sec, "PATCH", m, "", "{\"version\":3,\"time\":\"12:00\"}");
	cr_expect_eq(r.status, 409, "a cancelled meeting does not move: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "meeting_state");
	reply_free(&r);
}

Test(meetings, attendance_gives_the_quorum_and_each_decision_records_it)
{
	long long m = schedule(table, "2026-03-10", NULL);
	struct reply r = call(&sec, "POST", m, "/decisions", "{\"text\":\"Vendim\"}");
	cr_expect_eq(r.status, 409, "decisions come after the attendance: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "attendance_first");
	reply_free(&r);
	long long future = schedule(table, "2026-03-27", NULL);
	char body[400];
	snprintf(body, sizeof body, "{\"seats\":[{\"seat\":%lld,\"status\":\"present\"}]}", seat(future, 0));
	r = call(&sec, "PUT", future, "/attendance", body);
	cr_expect_eq(r.status, 409, "not before the meeting's day: %s", r.body);
	reply_free(&r);
	snprintf(body, sizeof body, "{\"seats\":[{\"seat\":%lld,\"status\":\"represented\",\"substitute\":\"Ilir Zëvendësi\"}]}",
		 seat(m, 1));
	r = call(&sec, "PUT", m, "/attendance", body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "seats.0");
	cr_expect_str_eq(jstr(r.json, "error.key"), "substitute_required");
	reply_free(&r);
	snprintf(body, sizeof body,
		 "{\"seats\":[{\"seat\":%lld,\"status\":\"present\"},{\"seat\":%lld,\"status\":\"represented\","
		 "\"substitute\":\"Ilir Zëvendësi\",\"authorisation\":\"Autorizim nr. 45, 18.03.2026\"},"
		 "{\"seat\":%lld,\"status\":\"excused\"}]}",
		 seat(m, 0), seat(m, 1), seat(m, 2));
	r = call(&sec, "PUT", m, "/attendance", body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	long long members = jint(r.json, "quorum.members");
	cr_expect_str_eq(jstr(r.json, "status"), "held");
	cr_expect_eq(jint(r.json, "quorum.present"), 1);
	cr_expect_eq(jint(r.json, "quorum.represented"), 1);
	cr_expect(members > 3 && members < jint(r.json, "quorum.seats"), "the filled seats of the demo Table");
	cr_expect_eq(jint(r.json, "quorum.required"), members / 2 + 1, "more than half of %lld members", members);
	cr_expect(json_is_false(jpath(r.json, "quorum.held")));
	cr_expect_str_eq(jstr(r.json, "attendance.1.substitute"), "Ilir Zëvendësi");
	reply_free(&r);
	r = call(&sec, "POST", m, "/decisions", "{\"text\":\"Informacioni merret në dijeni.\",\"votes\":{\"for\":3,\"against\":0,\"abstain\":0}}");
	cr_expect_eq(r.status, 400, "three votes from two members: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "votes_exceed");
	reply_free(&r);
	r = call(&sec, "POST", m, "/decisions", "{\"text\":\"Informacioni merret në dijeni.\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_false(jpath(r.json, "quorum")), "taken without quorum, and it says so");
	cr_expect_eq(jint(r.json, "number"), 1);
	reply_free(&r);
	all_present(m);
	r = call(&sec, "POST", m, "/decisions", "{\"text\":\"Miratohet plani i punës.\",\"votes\":{\"for\":5,\"against\":1,\"abstain\":1}}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect(json_is_true(jpath(r.json, "quorum")));
	cr_expect_eq(jint(r.json, "number"), 2);
	reply_free(&r);
	r = call(&sec, "GET", m, "", NULL);
	cr_expect_eq(jint(r.json, "decisions.1.votes_for"), 5);
	cr_expect(json_is_false(jpath(r.json, "decisions.0.quorum")));
	cr_expect(json_is_true(jpath(r.json, "decisions.1.quorum")));
	reply_free(&r);
}

/* A held meeting with a decision giving the police of Fier a task due on `due`; the task's id. */
static long long decided_task(long long m, const char *due)
{
	all_present(m);
	char body[400];
	snprintf(body, sizeof body,
		 "{\"text\":\"Policia raporton për rastet e reja.\",\"tasks\":[{\"title\":\"Raport për rastet e reja në Patos\","
		 "\"institution\":%lld,\"due\":\"%s\"}]}",
		 police, due);
	struct reply r = call(&sec, "POST", m, "/decisions", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long id = jint(r.json, "tasks.0");
	reply_free(&r);
	return id;
}

static struct reply move(struct client *c, long long task, const char *json)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/tasks/%lld/status", task);
	return client_req(c, "POST", path, json);
}

Test(meetings, decisions_create_tasks_that_the_owner_follows_and_the_next_meeting_reviews)
{
	long long m = schedule(table, "2026-02-10", NULL);
	/* A person of another institution does not carry the police's task. */
	long long stranger = db_int(&srv, "SELECT id FROM persons WHERE institution_id IS NOT NULL AND institution_id <> "
					  "(SELECT institution_id FROM users WHERE username = 'fier.caseworker') LIMIT 1");
	all_present(m);
	char odd[400];
	snprintf(odd, sizeof odd,
		 "{\"text\":\"X\",\"tasks\":[{\"title\":\"Y\",\"institution\":%lld,\"person\":%lld,\"due\":\"2026-03-01\"}]}",
		 police, stranger);
	struct reply o = call(&sec, "POST", m, "/decisions", odd);
	cr_expect_eq(o.status, 400, "%s", o.body);
	cr_expect_str_eq(jstr(o.json, "error.field"), "tasks.0.person");
	reply_free(&o);
	long long t = decided_task(m, "2026-03-01");
	/* The police of Fier see it among their own tasks, overdue; the body lists it too. */
	struct reply r = client_req(&cw, "GET", "/api/v1/tasks?mine=1", NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1);
	cr_expect_eq(jint(r.json, "items.0.id"), t);
	cr_expect(json_is_true(jpath(r.json, "items.0.overdue")), "due 1 March, today is 16 March");
	reply_free(&r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/tasks?institution=%lld&status=overdue", police);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1, "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/tasks?body=%lld", table);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1, "%s", r.body);
	reply_free(&r);
	/* Each change carries a note; the owner may not cancel; a stale version is refused. */
	r = move(&cw, t, "{\"status\":\"in_progress\",\"version\":1}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "note");
	reply_free(&r);
	r = move(&cw, t, "{\"status\":\"in_progress\",\"note\":\"Po mblidhen të dhënat nga komisariatet.\",\"version\":1}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "in_progress");
	cr_expect_str_eq(jstr(r.json, "history.1.note"), "Po mblidhen të dhënat nga komisariatet.");
	cr_expect_str_eq(jstr(r.json, "history.1.user"), "fier.caseworker");
	cr_expect_eq(json_array_size(jpath(r.json, "next")), 2, "the owner may go back to open or finish it, not cancel");
	reply_free(&r);
	r = move(&cw, t, "{\"status\":\"cancelled\",\"note\":\"S'ka më nevojë\",\"version\":2}");
	cr_expect_eq(r.status, 403, "only the secretariat cancels: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "task_cancel_by_secretariat");
	cr_expect_str_eq(jstr(r.json, "error.field"), "status");
	reply_free(&r);
	r = move(&cw, t, "{\"status\":\"weird\",\"note\":\"x\",\"version\":2}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.key"), "task_status_unknown");
	reply_free(&r);
	r = move(&cw, t, "{\"status\":\"done\",\"note\":\"U dërgua.\",\"version\":1}");
	cr_expect_eq(r.status, 409, "a stale version: %s", r.body);
	reply_free(&r);
	struct client other;
	client_init(&other, &srv);
	client_login(&other, "vlore.caseworker", "demo");
	r = move(&other, t, "{\"status\":\"done\",\"note\":\"x\",\"version\":2}");
	cr_expect_eq(r.status, 403, "another institution: %s", r.body);
	reply_free(&r);
	client_free(&other);
	/* The next meeting's agenda opens with the previous minutes and the open tasks. */
	long long next = schedule(table, "2026-04-14", "\"agenda\":[{\"title\":\"Të ndryshme\"}]");
	r = call(&sec, "GET", next, "", NULL);
	cr_expect_str_eq(jstr(r.json, "agenda.0.kind"), "minutes_approval", "%s", r.body);
	cr_expect_eq(jint(r.json, "agenda.0.refs.meetings.0"), m);
	cr_expect_str_eq(jstr(r.json, "agenda.1.kind"), "tasks_review");
	cr_expect_eq(jint(r.json, "agenda.1.refs.tasks.0"), t);
	cr_expect_str_eq(jstr(r.json, "agenda.2.title"), "Të ndryshme");
	reply_free(&r);
}

Test(meetings, minutes_are_approved_at_the_next_meeting_and_then_frozen)
{
	long long m = schedule(table, "2026-02-10", "\"agenda\":[{\"title\":\"Rastet në ndjekje\"}]");
	all_present(m);
	struct reply r = call(&sec, "GET", m, "", NULL);
	long long item = jint(r.json, "agenda.0.id");
	reply_free(&r);
	char body[600];
	snprintf(body, sizeof body,
		 "{\"summary\":\"Mbledhja u hap nga kryetari.\",\"items\":[{\"item\":%lld,\"minutes\":\"U diskutuan dy raste.\"}]}",
		 item);
	r = call(&sec, "PUT", m, "/minutes", body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = call(&sec, "GET", m, "/minutes", NULL);
	cr_expect_str_eq(jstr(r.json, "status"), "draft");
	cr_expect_str_eq(jstr(r.json, "minutes.agenda.0.minutes"), "U diskutuan dy raste.");
	cr_expect_str_eq(jstr(r.json, "minutes.meeting.minutes_summary"), "Mbledhja u hap nga kryetari.");
	reply_free(&r);
	/* The Ministry's monitor reads minutes once approved, not drafts. */
	struct client mon;
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	r = call(&mon, "GET", m, "/minutes", NULL);
	cr_expect_eq(r.status, 403, "%s", r.body);
	reply_free(&r);
	r = call(&sec, "POST", m, "/minutes/approve", "{\"in\":0}");
	cr_expect_eq(r.status, 400, "no such meeting: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), "in");
	reply_free(&r);
	/* Not in a meeting of the same day and hour (nor an earlier one). */
	long long earlier = schedule(table, "2026-02-10", "\"kind\":\"extraordinary\"");
	all_present(earlier);
	snprintf(body, sizeof body, "{\"in\":%lld}", earlier);
	r = call(&sec, "POST", m, "/minutes/approve", body);
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "approve_in_later");
	reply_free(&r);
	long long next = schedule(table, "2026-03-12", NULL);
	snprintf(body, sizeof body, "{\"in\":%lld}", next);
	r = call(&sec, "POST", m, "/minutes/approve", body);
	cr_expect_eq(r.status, 409, "the next meeting has not been held yet: %s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "approve_in_later");
	reply_free(&r);
	all_present(next);
	snprintf(body, sizeof body, "{\"in\":%lld,\"amendments\":\"Në pikën 1 shtohet emri i institucionit.\"}", next);
	r = call(&sec, "POST", m, "/minutes/approve", body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "approved");
	cr_expect_eq(strlen(jstr(r.json, "sha256")), 64);
	cr_expect_str_eq(jstr(r.json, "minutes.amendments"), "Në pikën 1 shtohet emri i institucionit.");
	char hash[80];
	snprintf(hash, sizeof hash, "%s", jstr(r.json, "sha256"));
	reply_free(&r);
	/* Frozen: nothing changes them, and the hash stays what it was. */
	r = call(&sec, "PUT", m, "/minutes", "{\"summary\":\"Ndryshim i vonë\"}");
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "minutes_frozen");
	reply_free(&r);
	r = call(&sec, "POST", m, "/decisions", "{\"text\":\"Vonë\"}");
	cr_expect_eq(r.status, 409, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "minutes_frozen");
	reply_free(&r);
	r = call(&sec, "PUT", m, "/agenda", "{\"items\":[{\"title\":\"Shtuar pas miratimit\"}]}");
	cr_expect_eq(r.status, 409, "the agenda of frozen minutes stays: %s", r.body);
	reply_free(&r);
	r = call(&mon, "GET", m, "/minutes", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "sha256"), hash);
	reply_free(&r);
	/* The approving meeting records the approval as its decision, on the item nrm proposed. */
	r = call(&sec, "GET", next, "", NULL);
	cr_expect_str_eq(jstr(r.json, "agenda.0.kind"), "minutes_approval");
	cr_expect_eq(jint(r.json, "decisions.0.item"), jint(r.json, "agenda.0.id"));
	cr_expect_not_null(strstr(jstr(r.json, "decisions.0.text"), "10.02.2026"));
	reply_free(&r);
	client_free(&mon);
}

static json_t *compliance(long long body)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/compliance", body);
	struct reply r = client_req(&sec, "GET", path, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	json_t *j = json_incref(r.json);
	reply_free(&r);
	return j;
}

Test(meetings, compliance_follows_the_frequency_of_each_body)
{
	/* The Table meets every two months (O94 §1.6): due two months after its last meeting. */
	long long m = schedule(table, "2025-12-15", NULL);
	all_present(m);
	json_t *c = compliance(table);
	cr_expect_str_eq(jstr(c, "last_meeting"), "2025-12-15");
	cr_expect_str_eq(jstr(c, "next_due"), "2026-02-15");
	cr_expect(json_is_true(jpath(c, "overdue")), "16 March is past 15 February");
	json_decref(c);
	/* An extraordinary meeting is held in addition: it does not reset the clock. */
	long long x = schedule(table, "2026-03-02", "\"kind\":\"extraordinary\",\"title\":\"Rast urgjent\"");
	all_present(x);
	c = compliance(table);
	cr_expect_str_eq(jstr(c, "last_meeting"), "2025-12-15");
	cr_expect(json_is_true(jpath(c, "overdue")));
	json_decref(c);
	long long o = schedule(table, "2026-03-10", NULL);
	all_present(o);
	c = compliance(table);
	cr_expect_str_eq(jstr(c, "next_due"), "2026-05-10");
	cr_expect(json_is_false(jpath(c, "overdue")));
	json_decref(c);
	/* The nearest meeting scheduled from today on, whatever order they were scheduled in. */
	schedule(table, "2026-05-05", NULL);
	schedule(table, "2026-04-20", NULL);
	c = compliance(table);
	cr_expect_str_eq(jstr(c, "next_meeting"), "2026-04-20");
	json_decref(c);
	/* The Ministry's matrix: windows of two months from January, counted once ended and once
	 * the Table existed all along them (from July 2025). */
	struct client mon;
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	const char *years[] = {"2025", "2026"};
	long expect[2][3] = {{3, 1, 0}, {1, 0, 0}};
	for (int y = 0; y < 2; y++) {
		char q[80];
		snprintf(q, sizeof q, "/api/v1/compliance/meetings?year=%s", years[y]);
		struct reply mr = client_req(&mon, "GET", q, NULL);
		cr_assert_eq(mr.status, 200, "%s", mr.body);
		json_t *row = NULL, *it;
		size_t i;
		json_array_foreach(jpath(mr.json, "items"), i, it)
			if (jint(it, "body") == table)
				row = it;
		cr_assert_not_null(row);
		cr_expect_eq(jint(row, "required"), expect[y][0], "%s required", years[y]);
		cr_expect_eq(jint(row, "held"), expect[y][1], "%s held", years[y]);
		cr_expect_eq(jint(row, "on_time"), expect[y][2], "%s on time", years[y]);
		if (y == 1)
			cr_expect_eq(json_integer_value(json_array_get(jpath(row, "months"), 2)), 1, "March: one ordinary meeting");
		reply_free(&mr);
	}
	struct reply bad = client_req(&mon, "GET", "/api/v1/compliance/meetings?year=soon", NULL);
	cr_expect_eq(bad.status, 400);
	reply_free(&bad);
	client_free(&mon);
	/* A KRAT every three months (O94 §2.2); a cancelled meeting is not a meeting. */
	long long k = schedule(krat, "2026-01-20", NULL);
	struct reply r = call(&sec, "POST", k, "/cancel", "{\"reason\":\"Moti\"}");
	reply_free(&r);
	c = compliance(krat);
	cr_expect(json_is_null(jpath(c, "last_meeting")));
	cr_expect_str_eq(jstr(c, "next_due"), "2025-09-27", "three months from the KRATs' establishment");
	json_decref(c);
	/* The Authority at least once in every calendar month (I132 §7). */
	struct client as;
	client_init(&as, &srv);
	client_login(&as, "authority.secretariat", "demo");
	char path[80];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", authority);
	r = client_req(&as, "POST", path, "{\"date\":\"2026-02-03\",\"time\":\"10:00\",\"location\":\"Tiranë\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long am = jint(r.json, "id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/compliance", authority);
	r = client_req(&as, "GET", path, NULL);
	cr_expect(json_is_null(jpath(r.json, "last_meeting")), "a meeting counts once it is held: %s", r.body);
	reply_free(&r);
	all_present_as(&as, am);
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/compliance", authority);
	r = client_req(&as, "GET", path, NULL);
	cr_expect_str_eq(jstr(r.json, "last_meeting"), "2026-02-03", "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "next_due"), "2026-03-31", "by the end of the next month");
	cr_expect(json_is_false(jpath(r.json, "overdue")));
	cr_expect_str_eq(jstr(r.json, "basis"), "calendar_month");
	reply_free(&r);
	client_free(&as);
}

Test(meetings, each_role_sees_what_it_may_and_no_personal_data_leaves_in_agenda_minutes_or_calendar)
{
	/* A case of Fier whose victim carries a marker name, discussed by code. */
	char body[2048];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"" MARKER "\","
		 "\"prs_SecondName\":\"" MARKER "i\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"2010-05-05\","
		 "\"al_identification_date\":\"2026-03-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],\"vic_TypeOfExploitation\":[\"ForcedBegging\"]}}",
		 police);
	struct reply r = client_req(&cw, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	char code[32], more[300];
	snprintf(code, sizeof code, "%s", jstr(r.json, "code"));
	reply_free(&r);
	/* Vlorë's secretariat cannot tell whether a Fier case code exists. */
	struct client vs;
	client_init(&vs, &srv);
	client_login(&vs, "vlore.secretariat", "demo");
	char vpath[80], vbody[200];
	snprintf(vpath, sizeof vpath, "/api/v1/bodies/%lld/meetings", db_int(&srv, "SELECT id FROM bodies WHERE kind = 'krat'"
					 " AND county_id = (SELECT id FROM counties WHERE slug = 'vlore')"));
	snprintf(vbody, sizeof vbody, "{\"date\":\"2026-04-01\",\"agenda\":[{\"title\":\"X\",\"refs\":{\"cases\":[\"%s\"]}}]}", code);
	r = client_req(&vs, "POST", vpath, vbody);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "unknown_case_ref");
	reply_free(&r);
	client_free(&vs);
	snprintf(more, sizeof more, "\"agenda\":[{\"title\":\"Rasti në ndjekje\",\"refs\":{\"cases\":[\"%s\"]}}]", code);
	long long m = schedule(table, "2026-03-12", more);
	all_present(m);
	r = call(&sec, "POST", m, "/decisions", "{\"text\":\"Rasti referohet te shërbimi social.\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	reply_free(&r);
	r = call(&sec, "GET", m, "", NULL);
	cr_expect_str_eq(jstr(r.json, "agenda.0.refs.cases.0"), code, "the secretariat sees the code");
	cr_expect_null(strstr(r.body, MARKER), "no name in the meeting");
	reply_free(&r);
	r = call(&sec, "GET", m, "/ics", NULL);
	cr_expect_null(strstr(r.body, MARKER));
	cr_expect_null(strstr(r.body, code), "calendars carry no case reference");
	reply_free(&r);
	r = call(&sec, "GET", m, "/minutes", NULL);
	cr_expect_null(strstr(r.body, MARKER));
	reply_free(&r);
	/* Another county's secretariat and a case worker: 403; a KRAT member of Fier reads. */
	const char *who[] = {"vlore.secretariat", "fier.caseworker", "fier.krat", "ministry.monitor"};
	long expect[] = {403, 403, 200, 200};
	for (size_t i = 0; i < 4; i++) {
		struct client o;
		client_init(&o, &srv);
		client_login(&o, who[i], "demo");
		r = call(&o, "GET", m, "", NULL);
		cr_expect_eq(r.status, expect[i], "%s: %s", who[i], r.body);
		if (r.status == 200) {
			cr_expect(json_is_false(jpath(r.json, "can_edit")), "%s", who[i]);
			cr_expect_null(strstr(r.body, MARKER));
		}
		if (strcmp(who[i], "ministry.monitor") == 0) {
			cr_expect_null(strstr(r.body, code), "the monitor sees no case reference: %s", r.body);
			cr_expect_null(jpath(r.json, "history"), "nor the history, which holds agendas and minutes as they were");
			cr_expect(json_is_true(jpath(r.json, "minutes_hidden")));
			cr_expect_eq(json_array_size(jpath(r.json, "decisions")), 0, "nor decisions before the minutes are approved");
		}
		reply_free(&r);
		if (strcmp(who[i], "vlore.secretariat") == 0) {
			char path[64];
			snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", table);
			r = client_req(&o, "POST", path, "{\"date\":\"2026-04-01\"}");
			cr_expect_eq(r.status, 403, "%s", r.body);
			reply_free(&r);
		}
		client_free(&o);
	}
	/* Nothing of the name in the server's log either. */
	char *log = file_read(srv.log, NULL);
	cr_assert_not_null(log);
	cr_expect_null(strstr(log, MARKER));
	free(log);
}

Test(meetings, a_notice_is_numbered_in_the_register_and_reaches_everyone_inside_nrm_and_by_email)
{
	struct smtp_sink sink;
	smtp_sink_start(&sink);
	snprintf(srv.smtp, sizeof srv.smtp, "smtp://127.0.0.1:%d", sink.port);
	server_restart(&srv, TODAY);
	client_free(&sec);
	client_init(&sec, &srv);
	client_login(&sec, "fier.secretariat", "demo");
	long long m = schedule(table, "2026-03-26",
			       "\"agenda\":[{\"title\":\"Rastet në ndjekje\"}],\"guests\":[{\"name\":\"Arta Prokurori\","
			       "\"organisation\":\"Prokuroria Fier\",\"email\":\"arta.prokurori@demo.example\"}]");
	struct reply r = call(&sec, "POST", m, "/notice", "{}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "number"), "1/2026", "the first letter of the year");
	size_t emails = 0, apps = 0, i;
	json_t *n;
	json_array_foreach(jpath(r.json, "notices"), i, n) {
		emails += strcmp(jstr(n, "channel"), "email") == 0;
		apps += strcmp(jstr(n, "channel"), "app") == 0;
	}
	cr_expect(emails > 3, "the members with an address and the prosecutor: %zu", emails);
	cr_expect(apps >= 2, "the Table's users and the secretariat inside nrm: %zu", apps);
	reply_free(&r);
	/* Every e-mail arrives; each names the body, the day, the agenda and the register's number. */
	cr_assert_eq(smtp_sink_wait(&sink, (int)emails), (int)emails);
	bool prosecutor = false;
	for (int k = 1; k <= (int)emails; k++) {
		json_t *msg = smtp_sink_message(&sink, k);
		cr_assert_not_null(msg);
		const char *to = jstr(msg, "rcpt_tos.0");
		prosecutor |= strcmp(to, "arta.prokurori@demo.example") == 0;
		cr_expect_str_eq(jstr(msg, "mail_from"), "nrm@demo.example");
		cr_expect_not_null(strstr(jstr(msg, "subject"), "Njoftim për mbledhjen: Tryeza Teknike Antitrafikim — Fier, 26.03.2026"), "%s", jstr(msg, "subject"));
		cr_expect_not_null(strstr(jstr(msg, "text"), "Tryeza Teknike Antitrafikim — Fier"));
		cr_expect_not_null(strstr(jstr(msg, "text"), "26.03.2026, ora 10:00"));
		cr_expect_not_null(strstr(jstr(msg, "text"), "1. Rastet në ndjekje"));
		cr_expect_not_null(strstr(jstr(msg, "text"), "Nr. 1/2026"));
		cr_expect_str_eq(jstr(msg, "attachments.0.content_type"), "text/calendar");
		cr_expect_not_null(strstr(jstr(msg, "attachments.0.content"), "BEGIN:VEVENT"));
		json_decref(msg);
	}
	cr_expect(prosecutor, "the invited prosecutor was told");
	/* Sent, as the meeting's notices now say; the register holds the letter. */
	bool all_sent = false;
	for (int tries = 0; tries < 100 && !all_sent; tries++) {
		r = call(&sec, "GET", m, "", NULL);
		all_sent = true;
		json_array_foreach(jpath(r.json, "notices"), i, n)
			all_sent &= strcmp(jstr(n, "channel"), "email") != 0 || strcmp(jstr(n, "status"), "sent") == 0;
		reply_free(&r);
		if (!all_sent) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	cr_expect(all_sent);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/correspondence?q=njoftimi", table);
	r = client_req(&sec, "GET", path, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "items.0.reference"), "1/2026");
	cr_expect_str_eq(jstr(r.json, "items.0.direction"), "out");
	cr_expect_str_eq(jstr(r.json, "items.0.subject"), "Njoftimi i mbledhjes së datës 26.03.2026");
	cr_expect_eq(jint(r.json, "items.0.meeting"), m);
	reply_free(&r);
	/* An incoming letter takes the next number; the register is searchable. */
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/correspondence", table);
	r = client_req(&sec, "POST", path,
		       "{\"direction\":\"in\",\"day\":\"2026-03-13\",\"party\":\"Prokuroria Fier\",\"subject\":\"Kërkesë për informacion\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "reference"), "2/2026");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/correspondence?q=prokuroria", table);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1, "%s", r.body);
	reply_free(&r);
	/* A Table member finds the notice inside nrm and marks it read. */
	struct client tm;
	client_init(&tm, &srv);
	client_login(&tm, "fier.table", "demo");
	r = client_req(&tm, "GET", "/api/v1/notifications?unread=1", NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 1, "%s", r.body);
	cr_expect_eq(jint(r.json, "items.0.entity_id"), m);
	long long nid = jint(r.json, "items.0.id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/notifications/%lld/read", nid);
	r = client_req(&tm, "POST", path, "{}");
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_req(&tm, "GET", "/api/v1/notifications?unread=1", NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "items")), 0, "%s", r.body);
	reply_free(&r);
	client_free(&tm);
	/* Moving the meeting tells everyone again, under a new number. */
	r = call(&sec, "PATCH", m, "", "{\"version\":1,\"date\":\"2026-03-27\",\"reason\":\"Salla e zënë\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	cr_assert_eq(smtp_sink_wait(&sink, (int)emails * 2), (int)emails * 2);
	json_t *msg = smtp_sink_message(&sink, (int)emails * 2);
	cr_expect_not_null(strstr(jstr(msg, "subject"), "Ndryshim i mbledhjes"), "%s", jstr(msg, "subject"));
	cr_expect_not_null(strstr(jstr(msg, "text"), "27.03.2026"));
	cr_expect_not_null(strstr(jstr(msg, "text"), "Nr. 3/2026"));
	json_decref(msg);
	smtp_sink_stop(&sink);
}

/* A case of Fier ready for the Authority: registered and referred, not yet decided. */
static void referred_case(const char *first, char code[32])
{
	long long shelter = db_int(&srv, "SELECT id FROM institutions WHERE type = 'ngo_shelter' LIMIT 1");
	char body[2048];
	snprintf(body, sizeof body,
		 "{\"fields\":{\"vic_TraffickingStatus\":\"PossibleVictimOfTrafficking\",\"prs_FirstName\":\"%s\","
		 "\"prs_SecondName\":\"Provë\",\"prs_Gender\":\"Feminine\",\"prs_Birthdate\":\"1995-05-05\","
		 "\"al_identification_date\":\"2026-02-01\",\"al_identifying_institution\":%lld,"
		 "\"al_identification_method\":\"police\",\"al_county\":\"fier\",\"al_municipality\":\"patos\","
		 "\"al_indicators_a\":[\"A01\"],\"al_indicators_b\":[\"B01\"],\"al_indicators_c\":[\"C01\"],"
		 "\"vic_TypeOfExploitation\":[\"ForcedBegging\"]}}",
		 first, police);
	struct reply r = client_req(&cw, "POST", "/api/v1/cases", body);
	cr_assert_eq(r.status, 201, "%s", r.body);
	snprintf(code, 32, "%s", jstr(r.json, "code"));
	reply_free(&r);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/cases/%s/transitions", code);
	snprintf(body, sizeof body,
		 "{\"to\":\"referral\",\"version\":1,\"fields\":{\"cas_OutgoingReferralDate\":\"2026-02-03\","
		 "\"cas_ReferredOrganisation\":%lld,\"prs_Citizenship\":[\"AL\"],\"al_consents\":[{\"al_consent_purpose\":"
		 "\"assistance\",\"con_Consent\":true,\"al_consent_by\":\"self\",\"al_consent_date\":\"2026-02-03\"}]}}",
		 shelter);
	r = client_req(&cw, "POST", path, body);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
}

Test(meetings, the_authority_decides_two_cases_from_its_proposed_agenda_once_and_linked_both_ways)
{
	char a[32], b[32];
	referred_case("Provëza", a);
	referred_case("Provëta", b);
	/* A referral of case b nobody answers for four days. */
	long long shelter = db_int(&srv, "SELECT id FROM institutions WHERE type = 'ngo_shelter' LIMIT 1");
	char ref[200], rpath[80];
	snprintf(ref, sizeof ref, "{\"institution\":%lld,\"reason\":\"Strehim i sigurt\"}", shelter);
	snprintf(rpath, sizeof rpath, "/api/v1/cases/%s/referrals", b);
	struct reply rr = client_req(&cw, "POST", rpath, ref);
	cr_assert_eq(rr.status, 201, "%s", rr.body);
	reply_free(&rr);
	server_restart(&srv, "2026-03-20T09:00:00Z");
	client_free(&sec);
	client_init(&sec, &srv);
	client_login(&sec, "fier.secretariat", "demo");
	struct client as;
	client_init(&as, &srv);
	client_login(&as, "authority.secretariat", "demo");
	char path[96];
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", authority);
	struct reply r = client_req(&as, "POST", path, "{\"date\":\"2026-03-20\",\"time\":\"10:00\",\"location\":\"Tiranë\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long m = jint(r.json, "id");
	/* ... and the referrals left unanswered for more than three days. */
	json_t *late = NULL, *x;
	size_t n;
	json_array_foreach(jpath(r.json, "agenda"), n, x)
		if (strcmp(jstr(x, "kind"), "referrals_review") == 0)
			late = x;
	cr_assert_not_null(late, "%s", r.body);
	cr_expect_str_eq(jstr(late, "refs.cases.0"), b);
	/* The proposed agenda lists the cases awaiting formal identification. */
	json_t *item = NULL, *it;
	size_t i;
	json_array_foreach(jpath(r.json, "agenda"), i, it)
		if (strcmp(jstr(it, "kind"), "cases_review") == 0)
			item = it;
	cr_assert_not_null(item, "%s", r.body);
	bool has_a = false, has_b = false;
	json_array_foreach(jpath(item, "refs.cases"), i, it) {
		has_a |= strcmp(json_string_value(it), a) == 0;
		has_b |= strcmp(json_string_value(it), b) == 0;
	}
	cr_expect(has_a && has_b, "%s", r.body);
	long long cases_item = jint(item, "id");
	reply_free(&r);
	/* Held with everyone present; each case decided in the meeting. */
	r = call(&as, "GET", m, "", NULL);
	json_t *list = json_array(), *s;
	json_array_foreach(jpath(r.json, "attendance"), i, s)
		json_array_append_new(list, json_pack("{s:I, s:s}", "seat", (json_int_t)jint(s, "seat"), "status", "present"));
	reply_free(&r);
	json_t *doc = json_pack("{s:o}", "seats", list);
	char *att = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	r = call(&as, "PUT", m, "/attendance", att);
	free(att);
	cr_assert_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	const char *outcome[] = {"identified_victim", "not_identified"};
	const char *codes[] = {a, b};
	for (int k = 0; k < 2; k++) {
		char body[600];
		snprintf(body, sizeof body,
			 "{\"item\":%lld,\"votes\":{\"for\":13,\"against\":0,\"abstain\":0},\"case\":{\"code\":\"%s\",\"version\":2,"
			 "\"outcome\":\"%s\",\"fields\":{\"al_trafficking_scope\":\"internal\"}}}",
			 cases_item, codes[k], outcome[k]);
		r = call(&as, "POST", m, "/decisions", body);
		cr_assert_eq(r.status, 201, "%s", r.body);
		cr_expect_str_eq(jstr(r.json, "case.stage"), "formal_identification");
		reply_free(&r);
	}
	/* The case holds the decision, its day and the meeting; the meeting holds the case. */
	snprintf(path, sizeof path, "/api/v1/cases/%s", a);
	r = client_req(&as, "GET", path, NULL);
	cr_expect_str_eq(jstr(r.json, "fields.al_formal_decision"), "identified_victim", "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "fields.al_formal_decision_date"), "2026-03-20");
	cr_expect_eq(jint(r.json, "fields.al_authority_meeting"), m);
	cr_expect_str_eq(jstr(r.json, "fields.vic_TraffickingStatus"), "ActualVictimOfTrafficking");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/cases/%s", b);
	r = client_req(&as, "GET", path, NULL);
	cr_expect_str_eq(jstr(r.json, "fields.vic_TraffickingStatus"), "NotAVictimOfTrafficking", "%s", r.body);
	reply_free(&r);
	r = call(&as, "GET", m, "", NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "decisions")), 2);
	cr_expect_str_eq(jstr(r.json, "decisions.0.case_code"), a);
	cr_expect_null(strstr(jstr(r.json, "decisions.0.text"), a), "the text names no case: %s", jstr(r.json, "decisions.0.text"));
	cr_expect_eq(jint(r.json, "decisions.1.item"), cases_item);
	reply_free(&r);
	/* Decided once: the same decision again fails on the case's version, and nothing is half written. */
	char body[400];
	snprintf(body, sizeof body, "{\"case\":{\"code\":\"%s\",\"version\":2,\"outcome\":\"not_identified\"}}", a);
	r = call(&as, "POST", m, "/decisions", body);
	cr_expect_eq(r.status, 409, "%s", r.body);
	reply_free(&r);
	r = call(&as, "GET", m, "", NULL);
	cr_expect_eq(json_array_size(jpath(r.json, "decisions")), 2, "no decision without its case step");
	reply_free(&r);
	/* A Table cannot decide a case. */
	long long t = schedule(table, "2026-03-16", NULL);
	all_present(t);
	snprintf(body, sizeof body, "{\"case\":{\"code\":\"%s\",\"version\":3,\"outcome\":\"identified_victim\"}}", b);
	r = call(&sec, "POST", t, "/decisions", body);
	cr_expect_eq(r.status, 400, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), "meeting_not_authority");
	reply_free(&r);
	client_free(&as);
}

Test(meetings, each_user_has_a_personal_calendar_behind_a_secret_revocable_address)
{
	long long m = schedule(table, "2026-03-26", "\"title\":\"Tryeza e marsit\"");
	struct client tm, other;
	client_init(&tm, &srv);
	client_login(&tm, "fier.table", "demo");
	struct reply r = client_req(&tm, "POST", "/api/v1/me/calendar", "{}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	char feed[200];
	snprintf(feed, sizeof feed, "%s", jstr(r.json, "path"));
	reply_free(&r);
	/* Read without a session: the secret is the key. */
	client_init(&other, &srv);
	r = client_req(&other, "GET", feed, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	char path[400], cmd[600];
	snprintf(path, sizeof path, "%s/feed.ics", srv.dir);
	file_write(path, r.body);
	reply_free(&r);
	snprintf(cmd, sizeof cmd, "python3 tests/tools/ics_check.py '%s'", path);
	FILE *p = popen(cmd, "r");
	json_t *cal = json_loadf(p, 0, NULL);
	cr_assert_eq(pclose(p), 0);
	cr_assert_not_null(cal);
	bool found = false;
	size_t i;
	json_t *ev;
	json_array_foreach(jpath(cal, "events"), i, ev)
		found |= strstr(jstr(ev, "summary"), "Tryeza e marsit") != NULL;
	cr_expect(found, "the Table's meeting is in its member's calendar");
	json_decref(cal);
	(void)m;
	/* A Vlorë member's calendar does not hold it. */
	struct client v;
	client_init(&v, &srv);
	client_login(&v, "vlore.table", "demo");
	r = client_req(&v, "POST", "/api/v1/me/calendar", "{}");
	char vfeed[200];
	snprintf(vfeed, sizeof vfeed, "%s", jstr(r.json, "path"));
	reply_free(&r);
	r = client_req(&other, "GET", vfeed, NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_null(strstr(r.body, "Tryeza e marsit"));
	reply_free(&r);
	client_free(&v);
	/* A new address replaces the old one; revoking ends it. A wrong secret is not found. */
	r = client_req(&tm, "POST", "/api/v1/me/calendar", "{}");
	char feed2[200];
	snprintf(feed2, sizeof feed2, "%s", jstr(r.json, "path"));
	reply_free(&r);
	r = client_req(&other, "GET", feed, NULL);
	cr_expect_eq(r.status, 404, "the old address no longer works");
	reply_free(&r);
	r = client_req(&tm, "DELETE", "/api/v1/me/calendar", NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_req(&other, "GET", feed2, NULL);
	cr_expect_eq(r.status, 404);
	reply_free(&r);
	r = client_req(&other, "GET", "/api/v1/calendar/nothing.ics", NULL);
	cr_expect_eq(r.status, 404);
	reply_free(&r);
	client_free(&tm);
	client_free(&other);
}

Test(meetings, materials_letters_and_a_bodys_own_documents_are_checked_files_in_versions)
{
	long long m = schedule(table, "2026-03-10", NULL);
	char path[120];
	snprintf(path, sizeof path, "/api/v1/meetings/%lld/materials", m);
	static const char *const text[] = {"Content-Type: text/plain", "X-Filename: shenim.txt", NULL};
	static const char *const fake[] = {"Content-Type: application/pdf", "X-Filename: raport.pdf", NULL};
	static const char *const pdf[] = {"Content-Type: application/pdf", "X-Filename: raporti%20i%20policis%C3%AB.pdf", NULL};
	struct reply r = client_raw(&sec, "POST", path, "abc", 3, text);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "Content-Type");
	reply_free(&r);
	r = client_raw(&sec, "POST", path, "MZ\x90\x00", 4, fake);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.key"), "document_not_pdf");
	reply_free(&r);
	const char *body = "%PDF-1.4\n% raporti\n%%EOF\n";
	r = client_raw(&sec, "POST", path, body, strlen(body), pdf);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "materials.0.filename"), "raporti i policisë.pdf");
	long long doc = jint(r.json, "materials.0.id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/meetings/%lld/materials/%lld", m, doc);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.len, strlen(body));
	cr_expect_not_null(strstr(r.headers, "filename*=UTF-8''raporti%20i%20policis%C3%AB.pdf"), "%s", r.headers);
	reply_free(&r);
	struct client mon;
	client_init(&mon, &srv);
	client_login(&mon, "ministry.monitor", "demo");
	r = client_req(&mon, "GET", path, NULL);
	cr_expect_eq(r.status, 403, "materials may speak of cases");
	reply_free(&r);
	client_free(&mon);
	/* The Table's rules of procedure: due a month after Order 94 (27 June 2025), overdue until adopted. */
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/documents", table);
	r = client_req(&sec, "GET", path, NULL);
	cr_assert_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "required.0.kind"), "rules_of_procedure");
	cr_expect_str_eq(jstr(r.json, "required.0.due"), "2025-07-27");
	cr_expect(json_is_true(jpath(r.json, "required.0.overdue")));
	reply_free(&r);
	r = client_req(&sec, "POST", path, "{\"kind\":\"statute\",\"title\":\"X\"}");
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.field"), "kind");
	reply_free(&r);
	char json[200];
	snprintf(json, sizeof json, "{\"kind\":\"rules_of_procedure\",\"title\":\"Rregullorja e Tryezës\",\"adopted_in\":%lld}", m);
	r = client_req(&sec, "POST", path, json);
	cr_expect_eq(r.status, 400, "adopted only in a held meeting: %s", r.body);
	reply_free(&r);
	all_present(m);
	r = client_req(&sec, "POST", path, json);
	cr_assert_eq(r.status, 201, "%s", r.body);
	cr_expect_eq(jint(r.json, "version"), 1);
	cr_expect_str_eq(jstr(r.json, "adopted_on"), "2026-03-10");
	long long rules = jint(r.json, "id");
	reply_free(&r);
	r = client_req(&sec, "POST", path, json);
	cr_expect_eq(jint(r.json, "version"), 2, "a new version");
	reply_free(&r);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect(json_is_false(jpath(r.json, "required.0.overdue")));
	cr_expect_str_eq(jstr(r.json, "required.0.adopted_on"), "2026-03-10");
	cr_expect_eq(json_array_size(jpath(r.json, "documents")), 2);
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/body-documents/%lld/file", rules);
	r = client_raw(&sec, "PUT", path, body, strlen(body), pdf);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(r.status, 200);
	cr_expect_eq(r.len, strlen(body));
	reply_free(&r);
	/* A letter of the register carries its attachment. */
	snprintf(path, sizeof path, "/api/v1/bodies/%lld/correspondence", table);
	r = client_req(&sec, "POST", path,
		       "{\"direction\":\"in\",\"day\":\"2026-03-11\",\"party\":\"Policia Fier\",\"subject\":\"Raport mujor\"}");
	cr_assert_eq(r.status, 201, "%s", r.body);
	long long letter = jint(r.json, "id");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/correspondence/%lld/document", letter);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(r.status, 404, "nothing attached yet");
	reply_free(&r);
	r = client_raw(&sec, "PUT", path, body, strlen(body), pdf);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "document_name"), "raporti i policisë.pdf");
	reply_free(&r);
	r = client_req(&sec, "GET", path, NULL);
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_eq(r.len, strlen(body), "the attachment as it was sent");
	reply_free(&r);
	struct client v;
	client_init(&v, &srv);
	client_login(&v, "vlore.secretariat", "demo");
	r = client_req(&v, "GET", path, NULL);
	cr_expect_eq(r.status, 403, "another county's register");
	reply_free(&r);
	client_free(&v);
}

/* The unread notifications of kind `kind` about task `task` of a client. */
static long long told(struct client *c, const char *kind, long long task)
{
	struct reply r = client_req(c, "GET", "/api/v1/notifications?unread=1", NULL);
	long long n = 0;
	json_t *x;
	size_t i;
	json_array_foreach(jpath(r.json, "items"), i, x)
		n += strcmp(jstr(x, "kind"), kind) == 0 && jint(x, "entity_id") == task;
	reply_free(&r);
	return n;
}

Test(meetings, a_task_decided_is_told_to_its_institution_and_once_when_it_falls_overdue)
{
	long long m = schedule(table, "2026-03-10", NULL);
	long long t = decided_task(m, "2026-04-30");
	cr_expect_eq(told(&cw, "task_assigned", t), 1, "the police of Fier hear of their new task");
	cr_expect_eq(told(&sec, "task_assigned", t), 0, "who decided it knows");
	cr_expect_eq(told(&cw, "task_overdue", t), 0);
	/* Time passes: the sweep at the server's start tells of it, once, however often it runs. */
	for (int k = 0; k < 2; k++) {
		server_restart(&srv, k ? "2026-05-04" : "2026-05-03");
		client_free(&cw);
		client_free(&sec);
		cw = client_as(&srv, "fier.caseworker");
		sec = client_as(&srv, "fier.secretariat");
		cr_expect_eq(told(&cw, "task_overdue", t), 1, "round %d", k);
		cr_expect_eq(told(&sec, "task_overdue", t), 1, "the county's secretariat follows it: round %d", k);
	}
	/* Nomination deadlines come the same way to the secretariat. */
	cr_expect_gt(db_int(&srv, "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id"
				  " WHERE u.username = 'fier.secretariat' AND n.kind = 'nomination_due'"),
		     0);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM (SELECT user_id, dedup FROM notifications WHERE dedup IS NOT NULL"
				  " GROUP BY user_id, dedup HAVING count(*) > 1)"),
		     0);
	server_restart(&srv, TODAY);
	client_free(&cw);
	client_free(&sec);
	cw = client_as(&srv, "fier.caseworker");
	sec = client_as(&srv, "fier.secretariat");
}
