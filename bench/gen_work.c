/* bench/gen: the bodies' work that goes with the cases, through the meeting and report
 * operations as the demo's secretariats: meetings of the county bodies with their agenda,
 * attendance and decisions, the tasks decided and their moves, and the Authority's monthly
 * reports submitted and approved. In proportion to the run: a bigger country has busier
 * bodies. The county bodies meet from the day their members were nominated (the demo's:
 * mid-2025), so only those the demo filled meet. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"
#include "meeting/meeting.h"
#include "report/report.h"
#include "secure/perm.h"
#include "store/org.h"
#include "store/user.h"

struct work {
	struct cli_cases *cc;
	const struct gen_world *w;
	struct nrm_err *err;
	int64_t meetings, tasks, reports;
};

/* The context of demo user `name` on day `day` (its clock set to that day, hh:mm). */
static int as(struct work *k, const char *name, int32_t day, int minutes, struct principal *p, struct nrm_ctx *c)
{
	json_t *u = NULL;
	int rc = store_user_by_name(k->cc->db, name, &u);
	if (!rc)
		rc = secure_principal_of(u, p);
	json_decref(u);
	*c = k->cc->ctx;
	c->me = p;
	clock_set((time_t)gen_time_of(day, minutes));
	return rc;
}

/* Every member present but about one in ten absent or excused. */
static json_t *attendance(json_t *meeting, struct gen_rng *r)
{
	json_t *seats = json_array(), *s;
	size_t i;
	json_array_foreach(json_object_get(meeting, "attendance"), i, s) {
		if (!*j_str(s, "member"))
			continue;
		uint32_t x = gen_below(r, 100);
		json_array_append_new(seats, json_pack("{s:I, s:s}", "seat", (json_int_t)j_int(s, "seat"), "status",
						       x < 6 ? "absent" : x < 11 ? "excused" : "present"));
	}
	return json_pack("{s:o}", "seats", seats);
}

static const char *const decided[] = {
	"Policia dhe shërbimi social përgatisin një informacion të përbashkët për rastet e periudhës.",
	"Organizohet një fushatë ndërgjegjësimi në shkollat e qarkut.",
	"Njësia e lëvizshme kryen kontrolle në zonat me rrezik të lartë.",
	"Bashkitë raportojnë për shërbimet e ofruara viktimave të riintegruara.",
};

/* One meeting of a county body: created, attended, two decisions with a task each, and the
 * tasks' moves as far as their due days have passed. */
static int meeting(struct work *k, const char *county, int64_t body, const struct gen_county *co, int32_t day, int n)
{
	struct gen_rng r = gen_rng_of(k->w->seed, 'M', (uint64_t)body * 100000u + (uint64_t)n);
	struct principal p;
	struct nrm_ctx c;
	char secretariat[64], date[DATE_LEN], due[DATE_LEN];
	json_t *in = NULL, *m = NULL, *att = NULL, *res = NULL;
	snprintf(secretariat, sizeof secretariat, "%s.secretariat", county);
	date_format(day, date);
	int rc = as(k, secretariat, day - 14, 9 * 60, &p, &c);
	if (rc)
		return rc;
	in = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "date", date, "time", "10:00", "kind", "ordinary",
		       "location", "Prefektura e Qarkut, salla e mbledhjeve", "agenda", "title", "Rastet e identifikuara në periudhë",
		       "presenter", "Drejtoria Vendore e Policisë", "title", "Ndjekja e planit të veprimit", "presenter",
		       "Sekretariati teknik");
	if ((rc = meeting_create(&c, body, in, &m, k->err)))
		goto done;
	int64_t id = j_int(m, "id");
	k->meetings++;
	clock_set((time_t)gen_time_of(day, 12 * 60));
	att = attendance(m, &r);
	if (!json_array_size(json_object_get(att, "seats")) || (rc = meeting_attendance_set(&c, id, att, &res, k->err)))
		goto done;
	int present = 0;
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(att, "seats"), i, s)
		present += strcmp(j_str(s, "status"), "present") == 0;
	for (int d = 0; d < 2 && !rc; d++) {
		int64_t inst = gen_chance(&r, 0.5) ? co->police : co->social;
		int32_t due_day = day + 30 + (int32_t)gen_below(&r, 60);
		date_format(due_day, due);
		int abstain = present > 1 ? (int)gen_below(&r, 2) : 0;
		json_t *dec = json_pack("{s:s, s:{s:i, s:i, s:i}, s:[{s:s, s:I, s:s}]}", "text", decided[gen_below(&r, 4)], "votes",
					"for", present - abstain, "against", 0, "abstain", abstain, "tasks",
					"title", "Zbatimi i vendimit", "institution", (json_int_t)inst, "due", due),
		       *out = NULL;
		rc = meeting_decide(&c, id, dec, &out, k->err);
		json_decref(dec);
		int64_t task = rc ? 0 : json_integer_value(json_array_get(json_object_get(out, "tasks"), 0));
		json_decref(out);
		if (rc)
			break;
		k->tasks++;
		/* The secretariat moves it along as the work is reported, if its day has come. */
		static const char *const moves[][2] = {{"in_progress", "Puna ka filluar."}, {"done", "U krye sipas vendimit."}};
		for (int st = 0; st < 2 && !rc; st++) {
			int32_t when = day + 10 + st * 25;
			if (when > k->w->last || (st == 1 && gen_chance(&r, 0.2)))
				break;
			clock_set((time_t)gen_time_of(when, 11 * 60));
			json_t *mv = json_pack("{s:s, s:s, s:i}", "status", moves[st][0], "note", moves[st][1], "version", st + 1),
			       *o = NULL;
			rc = meeting_task_move(&c, task, mv, &o, k->err);
			json_decref(mv);
			json_decref(o);
		}
	}
done:
	json_decref(in);
	json_decref(m);
	json_decref(att);
	json_decref(res);
	return rc;
}

/* The Authority's monthly report for the month before `day`: drafted and submitted that day
 * by its secretariat, approved by its chair and a member the day after. */
static int monthly(struct work *k, int32_t day)
{
	struct principal p;
	struct nrm_ctx c;
	char period[16];
	int y, mo, d;
	date_to_ymd(date_add_months(day, -1), &y, &mo, &d);
	snprintf(period, sizeof period, "%04d-%02d", y, mo);
	int rc = as(k, "authority.secretariat", day, 10 * 60, &p, &c);
	json_t *in = json_pack("{s:s, s:s, s:s}", "type", "authority-monthly", "scope", "national", "period", period), *out = NULL,
	       *got = NULL;
	c.today = day;
	if (rc || (rc = report_create(&c, in, &out, k->err)))
		goto done;
	int64_t id = j_int(out, "id");
	json_t *none = json_object();
	rc = report_submit(&c, id, none, &got, k->err);
	json_decref(none);
	k->reports += !rc;
	static const char *const approvers[] = {"authority.chair", "authority.member"};
	for (size_t i = 0; i < 2 && !rc; i++) {
		json_t *a = json_pack("{s:i, s:s}", "version", 1, "decision", "approve"), *res = NULL;
		if (!(rc = as(k, approvers[i], day + 1, (10 + (int)i) * 60, &p, &c)))
			rc = report_approve(&c, id, a, &res, k->err);
		json_decref(a);
		json_decref(res);
	}
done:
	json_decref(in);
	json_decref(out);
	json_decref(got);
	return rc;
}

/* The county bodies the demo gave members (cli/demo.c), from the day they were nominated. */
static const struct {
	const char *kind, *county;
	int y, m, d;
} bodies[] = {
	{"krat", "durres", 2025, 9, 1}, {"krat", "fier", 2025, 9, 1},		 {"krat", "tirane", 2025, 9, 1},
	{"krat", "vlore", 2025, 9, 1},	{"technical_table", "fier", 2025, 9, 1}, {"technical_table", "korce", 2025, 9, 1},
};

int gen_work(struct cli_cases *cc, const struct gen_world *w, int64_t *meetings, int64_t *tasks, int64_t *reports,
	     struct nrm_err *err)
{
	struct work k = {.cc = cc, .w = w, .err = err, .meetings = (int64_t)w->nmeetings};
	int rc = 0;
	/* Meetings per body: 2 at 10k cases, 20 at 100k, 200 at a million. */
	int per = (int)(w->n / 5000);
	per = per < 2 ? 2 : per > 200 ? 200 : per;
	for (size_t b = 0; b < sizeof bodies / sizeof *bodies && !rc; b++) {
		int64_t county = 0, body = 0;
		const struct gen_county *co = NULL;
		for (size_t i = 0; i < GEN_COUNTIES; i++)
			if (strcmp(w->county[i].slug, bodies[b].county) == 0)
				co = &w->county[i];
		int32_t from = date_from_ymd(bodies[b].y, bodies[b].m, bodies[b].d), to = w->last - 7;
		if (!co || from < w->first || from >= to)
			continue;
		if ((rc = store_county_id(cc->db, bodies[b].county, &county)) ||
		    (rc = store_body_find(cc->db, bodies[b].kind, county, &body)))
			break;
		for (int n = 0; n < per && !rc; n++)
			rc = meeting(&k, bodies[b].county, body, co, from + (int32_t)((int64_t)(to - from) * n / per), n);
	}
	/* The Authority's reports of the last months (each drafts the figures of all the cases). */
	int months = (int)(w->n / 50000);
	months = months < 1 ? 1 : months > 6 ? 6 : months;
	for (int i = months; i >= 1 && !rc; i--) {
		int32_t day = date_add_months(w->last, -i + 1) - 20;
		if (day > w->first)
			rc = monthly(&k, day);
	}
	gen_clock_now();
	*meetings = k.meetings;
	*tasks = k.tasks;
	*reports = k.reports;
	return rc;
}
