/* bench/gen: adds N generated cases to a database made by `nrm init --demo --no-demo-cases`,
 * through nrm's own domain operations (case_create_at, case_refer, case_referral_respond,
 * case_duplicate_resolve, the meeting and report operations), so every derived row — sealed
 * personal fields, blind indexes, events, dated facts, stages, dimensions, notifications,
 * audit rows — is what production writes; or writes them as a CSV for `nrm import cases`.
 * bench/README.md, "Generator", tells what it makes and how fast. */
#include "gen.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case/case.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"
#include "secure/password.h"
#include "secure/perm.h"
#include "stats/stats.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/user.h"

#define BATCH 10000

/* The run's own clock: NRM_NOW when given (pinned), else the system's. What the generator
 * records on a past day sets the clock to that day and back here. */
static time_t pinned;

void gen_clock_now(void)
{
	if (pinned)
		clock_set(pinned);
	else
		gen_clock_now();
}

static const char usage[] =
	"usage: gen --db FILE --cases N [--seed S] [--years 2016-2026] [--data DIR]\n"
	"       gen --csv FILE --cases N [--seed S] [--years 2016-2026] [--data DIR]\n"
	"  --db   adds N cases (and the referrals, merges, meetings, tasks and reports that go with\n"
	"         them) to FILE, made by `nrm init --demo --no-demo-cases`; prints one JSON line\n"
	"  --csv  writes N rows for `nrm import cases` instead (FILE - for standard output)\n"
	"  the same seed, N, years and day (NRM_NOW) give the same cases\n";

struct opts {
	const char *db, *csv, *data;
	int64_t cases;
	uint64_t seed;
	int y0, y1;
};

static int parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.seed = 1, .y0 = 2016, .y1 = 2026};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			exit(0);
		}
		if (!v)
			return -1;
		i++;
		errno = 0;
		if (strcmp(a, "--db") == 0)
			o->db = v;
		else if (strcmp(a, "--csv") == 0)
			o->csv = v;
		else if (strcmp(a, "--data") == 0)
			o->data = v;
		else if (strcmp(a, "--cases") == 0)
			o->cases = strtoll(v, &end, 10);
		else if (strcmp(a, "--seed") == 0)
			o->seed = strtoull(v, &end, 10);
		else if (strcmp(a, "--years") == 0) {
			if (sscanf(v, "%d-%d", &o->y0, &o->y1) != 2 || o->y0 < 1990 || o->y1 < o->y0 || o->y1 > 2100)
				return -1;
		} else
			return -1;
		if (end && (*end || errno))
			return -1;
	}
	return (!o->db == !o->csv) || o->cases < 1 ? -1 : 0;
}

/* The window of identification days: the years asked for, up to today. */
static int window(struct gen_world *w, const struct opts *o, int32_t today)
{
	w->first = date_from_ymd(o->y0, 1, 1);
	w->last = date_from_ymd(o->y1, 12, 31);
	if (w->last > today)
		w->last = today;
	return w->last >= w->first ? 0 : -1;
}

/* ---- the database ---- */

struct run {
	struct cli_cases cc;
	struct gen_world w;
	struct principal *acting; /* one per institution id (index), made when first needed */
	int64_t nacting;
	int64_t first_id; /* the id of the run's first case */
	int64_t referrals, merged, dismissed;
	struct nrm_err err;
};

/* The case worker who acts for institution inst: the demo's where there is one, else an
 * account made for the run (gen.i<ID>, disabled: nobody logs in with it). */
static int acting(struct run *r, int64_t inst, struct principal **out)
{
	if (inst <= 0)
		return NRM_EINVAL;
	if (inst >= r->nacting) {
		int64_t n = inst + 64;
		struct principal *a = realloc(r->acting, (size_t)n * sizeof *a);
		if (!a)
			return NRM_ENOMEM;
		memset(a + r->nacting, 0, (size_t)(n - r->nacting) * sizeof *a);
		r->acting = a;
		r->nacting = n;
	}
	struct principal *p = &r->acting[inst];
	if (p->id) {
		*out = p;
		return 0;
	}
	struct store *s = r->cc.db;
	json_t *inst_row = NULL, *u = NULL;
	char name[64];
	int rc = store_institution_get(s, inst, &inst_row);
	if (rc)
		return rc;
	int64_t county = j_int(inst_row, "county_id");
	const char *slug = j_str(inst_row, "county");
	if (inst == r->w.ngo)
		snprintf(name, sizeof name, "tirane.ngo");
	else if (*slug && strcmp(j_str(inst_row, "type"), "local_police") == 0)
		snprintf(name, sizeof name, "%s.caseworker", slug);
	else
		snprintf(name, sizeof name, "gen.i%lld", (long long)inst);
	if (store_user_by_name(s, name, &u) != 0) {
		int64_t id;
		/* No password can match "!": the account exists to have answered referrals. */
		if ((rc = store_user_add(s, name, "Punonjës rastesh (gjeneruar)", "caseworker", county, inst, "!", &id)) ||
		    (rc = store_user_set_disabled(s, id, 1)) || (rc = store_user_by_name(s, name, &u)))
			goto done;
	}
	rc = secure_principal_of(u, p);
	*out = p;
done:
	json_decref(u);
	json_decref(inst_row);
	return rc;
}

/* The Authority meets every other Tuesday; the meetings before today were held. */
static int authority_meetings(struct run *r)
{
	struct store *s = r->cc.db;
	int64_t body;
	int rc = store_body_find(s, "authority", 0, &body);
	if (rc)
		return rc;
	int32_t d = r->w.first;
	while ((d + 3) % 7 != 5) /* 1970-01-01 was a Thursday: day 5 is a Tuesday */
		d++;
	size_t cap = (size_t)(r->w.last - d) / 14 + 2;
	if (!(r->w.meetings = calloc(cap, sizeof *r->w.meetings)))
		return NRM_ENOMEM;
	if ((rc = store_begin(s)))
		return rc;
	for (; d <= r->w.last && !rc; d += 14) {
		char day[DATE_LEN], uid[80];
		date_format(d, day);
		snprintf(uid, sizeof uid, "gen-%llu-authority-%s@nrm", (unsigned long long)r->w.seed, day);
		struct store_meeting m = {.date = day, .time = "10:00", .kind = "ordinary", .title = "Mbledhje e rregullt",
					  .location = "Tiranë, Ministria e Brendshme"};
		int64_t id;
		clock_set((time_t)gen_time_of(d - 10, 9 * 60));
		if (!(rc = store_meeting_add(s, body, &m, uid, r->cc.me.id, &id)) &&
		    !(rc = store_meeting_set_status(s, id, "held", NULL)))
			r->w.meetings[r->w.nmeetings++] = (struct gen_meeting){d, id};
	}
	gen_clock_now();
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* What the referral and merge passes need of a case made in the batch. */
struct made {
	char code[32];
	int64_t holder, refer_to;
	int32_t refer_day, answer_day;
	char answer;
};

static int refer(struct run *r, const struct made *m)
{
	struct principal *by, *to;
	json_t *out = NULL;
	int rc;
	if ((rc = acting(r, m->holder, &by)) || (rc = acting(r, m->refer_to, &to)))
		return rc;
	struct nrm_ctx c = r->cc.ctx;
	c.me = by;
	json_t *fields = json_pack("[s, s, s]", "prs_FirstName", "prs_SecondName", "prs_MobilePhone");
	struct case_referral_in in = {.to = m->refer_to, .reason = "Referim për strehim dhe ndihmë të menjëhershme.",
				      .fields = fields};
	clock_set((time_t)gen_time_of(m->refer_day, 11 * 60));
	rc = case_refer(&c, m->code, &in, &out, &r->err);
	json_decref(fields);
	if (!rc && m->answer != 'p') {
		int64_t id = j_int(out, "id");
		json_decref(out);
		out = NULL;
		c.me = to;
		clock_set((time_t)gen_time_of(m->answer_day, 15 * 60));
		rc = case_referral_respond(&c, id, m->answer == 'a', m->answer == 'a' ? NULL : "Nuk ka kapacitete të lira.", &out,
					   &r->err);
	}
	json_decref(out);
	r->referrals += !rc;
	return rc;
}

/* The Authority works through its queue of likely duplicates: of the pairs that are one
 * person (as the generator made them), most merged into the older case, some dismissed; the
 * others (names alike by chance) dismissed; a few of each left open. The queue is read from
 * its head each time (it is ranked by score, not by age); `open` counts the pairs left open,
 * which are read again and passed over. */
static int resolve(struct run *r, int64_t *open)
{
	json_t *pairs = NULL, *p;
	int64_t after = 0, left = 0;
	int rc;
	do {
		if ((rc = store_duplicates(r->cc.db, "open", after, 500, &pairs)))
			return rc;
		size_t i;
		json_array_foreach(pairs, i, p) {
			int64_t id = j_int(p, "id"), a = j_int(p, "case_a"), b = j_int(p, "case_b");
			after = j_int(p, "rank");
			struct gen_rng g = gen_rng_of(r->w.seed, 'D', (uint64_t)(a > b ? a : b));
			uint32_t x = gen_below(&g, 100);
			if (x >= 92) {
				left++;
				continue;
			}
			bool same = gen_case_person(&r->w, a - r->first_id) == gen_case_person(&r->w, b - r->first_id);
			json_t *out = NULL;
			int64_t newer = (a > b ? a : b) - r->first_id;
			int32_t day = r->w.first + (int32_t)((int64_t)(r->w.last - r->w.first + 1) * newer / r->w.n) + 2;
			clock_set((time_t)gen_time_of(day < r->w.last ? day : r->w.last, 12 * 60));
			bool merge = same && x < 82;
			rc = case_duplicate_resolve(&r->cc.ctx, id, a < b ? j_str(p, "code_a") : j_str(p, "code_b"), merge, &out,
						    &r->err);
			json_decref(out);
			if (rc == NRM_ECONFLICT) /* one of them was merged into a third meanwhile */
				rc = 0;
			else if (!rc)
				*(merge ? &r->merged : &r->dismissed) += 1;
			if (rc)
				break;
		}
		size_t n = json_array_size(pairs);
		json_decref(pairs);
		if (rc || n < 500)
			break;
	} while (1);
	if (!rc)
		*open = left;
	return rc;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A count for the summary line: a read; every write goes through nrm's operations. */
static int count(struct store *s, const char *table, int64_t *n)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return store_int(s, n, sql, "");
}

static int run_db(const struct opts *o)
{
	struct run r = {.w = {.seed = o->seed, .n = o->cases}};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = cli_cases_open("gen", o->db, "authority.secretariat", &r.cc);
	if (rc)
		return rc;
	struct made *made = calloc(BATCH, sizeof *made);
	int64_t events0 = 0, events = 0, pairs_open = 0, meetings = 0, tasks = 0, reports = 0;
	/* A page cache of 256 MB for this connection (SQLite's default is 2 MB): the indexes a new
	 * case is written into (blind hashes, facts, dimensions) are read at random places, and
	 * at a million cases they outgrow a small cache long before the tables do. */
	if (!made || (rc = store_exec(r.cc.db, "PRAGMA cache_size = -262144", "")) || (rc = gen_world_load(r.cc.db, &r.w)) || window(&r.w, o, r.cc.ctx.today) ||
	    (rc = count(r.cc.db, "case_events", &events0)) || (rc = authority_meetings(&r)))
		goto done;
	double phase[4] = {0, 0, 0, 0}, t = cpu_seconds(); /* CPU of cases, referrals, merges, the bodies' work */
	for (int64_t b = 0; b < o->cases && !rc; b += BATCH) {
		int64_t n = o->cases - b < BATCH ? o->cases - b : BATCH;
		/* Each batch's approximate search runs once its cases are written, as an import's does. */
		if ((rc = store_begin(r.cc.db)) || (rc = case_similar_batch_begin(&r.cc.ctx)))
			break;
		for (int64_t k = 0; k < n && !rc; k++) {
			struct gen_case g;
			json_t *out = NULL;
			gen_case_make(&r.w, b + k, &g);
			clock_set((time_t)gen_time_of(g.ident, 9 * 60 + (int)((b + k) % 480)));
			rc = case_create_at(&r.cc.ctx, g.fields, g.holder, g.stage, &out, &r.err);
			if (!rc) {
				struct made *m = &made[k];
				*m = (struct made){.holder = g.holder, .refer_to = g.refer_to, .refer_day = g.refer_day,
						   .answer_day = g.answer_day, .answer = g.answer};
				snprintf(m->code, sizeof m->code, "%s", j_str(out, "code"));
				if (b + k == 0)
					r.first_id = j_int(out, "id");
			} else {
				fprintf(stderr, "gen: case %lld (stage %s): %s [%s]\n", (long long)(b + k), g.stage, r.err.msg, r.err.field);
			}
			json_decref(out);
			gen_case_free(&g);
		}
		json_t *found = NULL;
		if (!rc)
			rc = case_similar_batch_run(&r.cc.ctx, &found);
		case_similar_batch_end(&r.cc.ctx);
		json_decref(found);
		/* The accounts made for referrals (acting) are made in this transaction too. */
		for (int64_t k = 0; k < n && !rc; k++)
			if (made[k].refer_to) {
				struct principal *p;
				if ((rc = acting(&r, made[k].holder, &p)) == 0)
					rc = acting(&r, made[k].refer_to, &p);
			}
		if (rc) {
			store_rollback(r.cc.db);
			break;
		}
		if ((rc = store_commit(r.cc.db)))
			break;
		phase[0] += cpu_seconds() - t, t = cpu_seconds();
		for (int64_t k = 0; k < n && !rc; k++)
			if (made[k].refer_to && (rc = refer(&r, &made[k])))
				fprintf(stderr, "gen: referral of case %lld: %s\n", (long long)(b + k), r.err.msg);
		phase[1] += cpu_seconds() - t, t = cpu_seconds();
		if (!rc)
			rc = resolve(&r, &pairs_open);
		phase[2] += cpu_seconds() - t, t = cpu_seconds();
		gen_clock_now();
		/* CPU time beside the wall's: on a shared machine the wall says little. */
		fprintf(stderr, "gen: %lld cases, %.1f s, cpu %.1f s\n", (long long)(b + n), seconds_since(&t0), cpu_seconds());
	}
	gen_clock_now();
	if (!rc)
		rc = gen_work(&r.cc, &r.w, &meetings, &tasks, &reports, &r.err);
	phase[3] = cpu_seconds() - t;
	fprintf(stderr, "gen: cpu s: cases %.1f, referrals %.1f, merges %.1f, meetings and reports %.1f\n", phase[0], phase[1],
		phase[2], phase[3]);
	if (!rc)
		rc = count(r.cc.db, "case_events", &events);
	if (!rc)
		printf("{\"cases\":%lld,\"events\":%lld,\"referrals\":%lld,\"merged\":%lld,\"meetings\":%lld,\"tasks\":%lld,"
		       "\"reports\":%lld,\"seconds\":%.1f}\n",
		       (long long)o->cases, (long long)(events - events0), (long long)r.referrals, (long long)r.merged,
		       (long long)meetings, (long long)tasks, (long long)reports, seconds_since(&t0));
done:
	if (rc && r.err.msg[0])
		fprintf(stderr, "gen: %s\n", r.err.msg);
	else if (rc)
		fprintf(stderr, "gen: failed (%s)\n", nrm_err_name(rc));
	free(made);
	free(r.acting);
	gen_world_free(&r.w);
	cli_cases_close(&r.cc);
	return rc ? 1 : 0;
}

/* ---- the CSV ---- */

/* A cell as `nrm import cases` reads it (cli/import.c): codes joined by ';', groups as JSON. */
static void cell(FILE *fp, json_t *v)
{
	char *s = NULL;
	const char *txt = "";
	char num[32];
	if (json_is_string(v)) {
		txt = json_string_value(v);
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		txt = num;
	} else if (json_is_boolean(v)) {
		txt = json_is_true(v) ? "true" : "false";
	} else if (json_is_array(v) && json_is_string(json_array_get(v, 0))) {
		size_t i, len = 0;
		json_t *x;
		json_array_foreach(v, i, x)
			len += strlen(json_string_value(x)) + 1;
		if ((s = malloc(len + 1))) {
			size_t at = 0;
			json_array_foreach(v, i, x) {
				size_t n = strlen(json_string_value(x));
				if (i)
					s[at++] = ';';
				memcpy(s + at, json_string_value(x), n);
				at += n;
			}
			s[at] = '\0';
			txt = s;
		}
	} else if (v) {
		txt = s = json_dumps(v, JSON_COMPACT);
	}
	if (txt && strpbrk(txt, ",\"\n\r")) {
		fputc('"', fp);
		for (const char *p = txt; *p; p++) {
			if (*p == '"')
				fputc('"', fp);
			fputc(*p, fp);
		}
		fputc('"', fp);
	} else if (txt) {
		fputs(txt, fp);
	}
	free(s);
}

static const char *const columns[] = {
	"al_stage", "prs_FirstName", "prs_SecondName", "prs_Gender", "prs_Birthdate", "al_estimated_age",
	"al_identification_date", "al_identifying_institution", "al_identification_method", "al_identification_country",
	"al_county", "al_municipality", "prs_Citizenship", "vic_TypeOfExploitation", "al_exploitation_other",
	"al_trafficking_scope", "al_indicators_a", "al_indicators_b", "al_indicators_c", "prs_IdentityNumber",
	"al_documents", "al_father_name", "prs_MobilePhone", "al_current_address", "al_narrative",
	"cas_OutgoingReferralDate", "cas_ReferredOrganisation", "al_consents", "al_child_protection_worker",
	"al_best_interest_assessment_date", "al_assistance_start_date", "al_immediate_services", "al_protection_setting",
	"al_protection_start_date", "al_shelter", "al_return_country", "al_return_risk_assessment_date",
	"al_reintegration_plan_date", "al_reintegration_plan", "spl_PlannedEndDate", "al_closure_reason", "al_closure_date",
	NULL};

static int run_csv(const struct opts *o)
{
	/* The registry's ids, from a database made as `nrm init --demo --no-demo-cases` makes one
	 * (the same data give the same ids; the demo adds the Tirana NGO's shelter), in a
	 * temporary file. */
	char tmp[] = "/tmp/nrm-gen-XXXXXX", path[64];
	struct nrm_err err = {0};
	struct store *s = NULL;
	struct gen_world w = {.seed = o->seed, .n = o->cases};
	char *dir = cli_resource_dir(o->data, "data");
	if (!dir && !o->data) {
		/* build/bench/gen: the data/ two folders up, as build/nrm finds it one up. */
		char exe[PATH_MAX - 16];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
		if (slash) {
			char up[PATH_MAX];
			*slash = '\0';
			snprintf(up, sizeof up, "%s/../../data", exe);
			dir = cli_resource_dir(up, "data");
		}
	}
	FILE *fp = NULL;
	int rc = 1;
	if (!dir || !mkdtemp(tmp)) {
		fprintf(stderr, "gen: no data folder or no temporary folder\n");
		free(dir);
		return 1;
	}
	snprintf(path, sizeof path, "%s/ref.db", tmp);
	char *init[] = {"--db", path, "--demo", "--no-demo-cases", "--data", dir, NULL};
	/* init says what it made on standard output, which may be the CSV's: hushed. */
	fflush(stdout);
	int out = dup(1), null = open("/dev/null", O_WRONLY);
	if (out < 0 || null < 0 || dup2(null, 1) < 0) {
		fprintf(stderr, "gen: cannot redirect standard output\n");
		goto done;
	}
	int made = cmd_init(6, init);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	close(null);
	if (made != 0 || store_open(path, &s, &err) || gen_world_load(s, &w) || window(&w, o, clock_today())) {
		fprintf(stderr, "gen: cannot load the registry: %s\n", err.msg);
		goto done;
	}
	fp = strcmp(o->csv, "-") == 0 ? stdout : fopen(o->csv, "w");
	if (!fp) {
		fprintf(stderr, "gen: cannot write %s\n", o->csv);
		goto done;
	}
	for (size_t k = 0; columns[k]; k++)
		fprintf(fp, "%s%s", k ? "," : "", columns[k]);
	fputc('\n', fp);
	for (int64_t i = 0; i < o->cases; i++) {
		struct gen_case g;
		gen_case_make(&w, i, &g);
		fputs(g.stage, fp);
		for (size_t k = 1; columns[k]; k++) {
			fputc(',', fp);
			cell(fp, json_object_get(g.fields, columns[k]));
		}
		fputc('\n', fp);
		gen_case_free(&g);
	}
	rc = fp == stdout ? fflush(fp) != 0 : fclose(fp) != 0;
	if (rc)
		fprintf(stderr, "gen: cannot write %s\n", o->csv);
done:
	store_close(s);
	char f[80];
	static const char *const parts[] = {"ref.db", "ref.db-wal", "ref.db-shm", "ref.db.key"};
	for (size_t k = 0; k < 4; k++) {
		snprintf(f, sizeof f, "%s/%s", tmp, parts[k]);
		unlink(f);
	}
	rmdir(tmp);
	free(dir);
	gen_world_free(&w);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	stats_units_watch();
	if (parse(argc, argv, &o)) {
		fputs(usage, stderr);
		return 2;
	}
	const char *now = getenv("NRM_NOW");
	if (now && *now) {
		if (clock_set_iso(now) != 0) {
			fprintf(stderr, "gen: NRM_NOW must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n");
			return 2;
		}
		pinned = clock_now();
	}
	/* SQLite frees the temporary b-tree of every DISTINCT or ORDER BY (the duplicate check of
	 * each new case has one), and glibc then gives the top of the heap back to the kernel
	 * and takes it again at the next case: a tenth of the run was brk and TLB flushes. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	if (secure_init() != 0) {
		fprintf(stderr, "gen: cannot initialise libsodium\n");
		return 1;
	}
	return o.csv ? run_csv(&o) : run_db(&o);
}
