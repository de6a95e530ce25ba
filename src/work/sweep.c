/* What the passing of time brings (work/work.h work_sweep), and the thread of `nrm serve` that
 * looks for it. Each notification has a dedup key naming its occasion (a task's id, a seat's
 * deadline), so a sweep repeated every few minutes, or after a restart, tells nobody twice. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "case/case.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"
#include "meeting/meeting.h"
#include "notify/notify.h"
#include "org/org.h"
#include "secure/audit.h"
#include "stats/stats.h"
#include "store/db.h"
#include "store/task.h"
#include "user/user.h"
#include "work/work.h"

static int overdue_tasks(struct nrm_ctx *c, const char *today, int *n)
{
	json_t *tasks = NULL, *t;
	size_t i;
	char key[64];
	struct store_task_query q = {.due_before = today};
	int rc = store_tasks(c->db, &q, &tasks);
	json_array_foreach(tasks, i, t) {
		if (rc)
			break;
		snprintf(key, sizeof key, "task_overdue:%lld", (long long)j_int(t, "id"));
		rc = meeting_task_announce(c, j_int(t, "id"), "task_overdue", key);
		(*n)++;
	}
	json_decref(tasks);
	return rc;
}

/* Vacant seats whose nomination deadline is near or past: the secretariat that follows the
 * body's nominations hears of it once per deadline. */
static int nominations_due(struct nrm_ctx *c, int warn_days, int *n)
{
	static const char *const county_sec[] = {"county_secretariat", NULL};
	static const char *const national_sec[] = {"authority_secretariat", NULL};
	json_t *seats = NULL, *s;
	size_t i;
	char key[80], until[DATE_LEN];
	struct nrm_err ignored = {0};
	date_format(c->today + warn_days, until);
	int rc = org_seats(c, 0, 0, &seats, &ignored);
	json_array_foreach(seats, i, s) {
		const char *st = j_str(s, "status"), *deadline = j_str(s, "deadline");
		if (rc)
			break;
		if ((strcmp(st, "vacant") != 0 && strcmp(st, "overdue") != 0) || !*deadline || strcmp(deadline, until) > 0)
			continue;
		snprintf(key, sizeof key, "nomination_due:%lld:%s", (long long)j_int(s, "id"), deadline);
		json_t *params = json_pack("{s:s, s:s?, s:s, s:s?, s:s}", "seat", j_str(s, "label"), "seat_en",
					   json_string_value(json_object_get(s, "label_en")), "body", j_str(s, "body_name_sq"),
					   "body_en", json_string_value(json_object_get(s, "body_name_en")), "deadline", deadline);
		struct notify_msg m = {.kind = "nomination_due", .entity = "seat", .entity_id = j_int(s, "id"),
				       .params = params, .dedup = key};
		int64_t county = j_int(s, "county_id");
		rc = notify_roles(c, county ? county_sec : national_sec, county, &m);
		json_decref(params);
		(*n)++;
	}
	json_decref(seats);
	return rc;
}

int work_sweep(struct nrm_ctx *c, int *count, struct nrm_err *err)
{
	json_t *doc = NULL;
	char today[DATE_LEN];
	int n = 0, warn = 7;
	(void)err;
	date_format(c->today, today);
	if (case_stored_doc(c->db, "work:home", &doc) == 0) {
		json_t *v = json_object_get(json_object_get(doc, "limits"), "nomination_warn_days");
		if (json_is_integer(v))
			warn = (int)json_integer_value(v);
		json_decref(doc);
	}
	int rc = store_begin(c->db);
	if (!rc && !(rc = overdue_tasks(c, today, &n)) && !(rc = nominations_due(c, warn, &n)))
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
		return rc;
	}
	*count = n;
	return 0;
}

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int running, started, every, first_done;
	const char *db_path;
	struct nrm_ctx base;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static bool still_running(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&w.lock);
	bool r = w.running;
	pthread_mutex_unlock(&w.lock);
	return r;
}

/* The figures of the periods around the new day, counted before anyone asks (stats_ahead):
 * after midnight a month, maybe a quarter or a year, has ended, and the first to ask for it
 * would otherwise wait while every person of it is counted. */
static void count_ahead(struct nrm_ctx *c)
{
	struct principal authority = *c->me;
	authority.role = ROLE_AUTHORITY_SECRETARIAT;
	struct nrm_ctx a = *c;
	a.me = &authority;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int n = stats_ahead(&a, still_running, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr,
		"{\"level\":\"info\",\"msg\":\"the figures of the periods around today counted ahead\",\"products\":%d,"
		"\"ms\":%lld}\n",
		n, (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
}

/* Seconds from now to a second past the next midnight in Tirane. */
static long to_midnight(void)
{
	time_t now = clock_now();
	long local = (long)((now + date_tirane_offset(now)) % 86400);
	return 86400 - local + 1;
}

static void *run(void *arg)
{
	(void)arg;
	struct store *s = NULL;
	struct principal op;
	user_operator(&op);
	/* What this thread does can wait: the requests being served go first. */
	errno = 0;
	id_t self = (id_t)syscall(SYS_gettid);
	int nice = getpriority(PRIO_PROCESS, self);
	(void)setpriority(PRIO_PROCESS, self, errno ? 10 : nice + 10 > 19 ? 19 : nice + 10);
	/* `nrm serve` wrote one at start. */
	struct timespec started;
	clock_gettime(CLOCK_MONOTONIC, &started);
	time_t anchored_at = started.tv_sec;
	int32_t counted_on = clock_today();
	pthread_mutex_lock(&w.lock);
	while (w.running) {
		pthread_mutex_unlock(&w.lock);
		struct nrm_err err = {0};
		if (!s && store_open(w.db_path, &s, &err) != 0)
			s = NULL;
		if (s) {
			struct nrm_ctx c = w.base;
			int n;
			c.db = s;
			c.me = &op;
			c.today = clock_today();
			if (work_sweep(&c, &n, &err) != 0)
				fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"the sweep for due notifications failed\"}\n");
			/* The head of the audit trail, signed, outside the database: daily (nrm serve wrote one at start). */
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (c.keys && now.tv_sec - anchored_at >= 86400) {
				char dir[4200];
				secure_audit_anchor_dir(w.db_path, dir, sizeof dir);
				if (secure_audit_anchor_write(s, c.keys, dir, &err) == 0)
					anchored_at = now.tv_sec;
				else
					fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"cannot write the audit anchor\"}\n");
			}
			if (c.today != counted_on && c.stats) {
				count_ahead(&c);
				counted_on = c.today;
			}
		}
		pthread_mutex_lock(&w.lock);
		if (!w.first_done) {
			w.first_done = 1;
			pthread_cond_broadcast(&w.wake);
		}
		if (!w.running)
			break;
		long wait = to_midnight();
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += wait < w.every ? wait : w.every;
		pthread_cond_timedwait(&w.wake, &w.lock, &until);
	}
	pthread_mutex_unlock(&w.lock);
	store_close(s);
	return NULL;
}

int work_sweeper_start(const char *db_path, const struct nrm_ctx *base, int every)
{
	pthread_mutex_lock(&w.lock);
	w.db_path = db_path;
	w.base = *base;
	w.every = every > 0 ? every : 600;
	w.running = 1;
	w.first_done = 0;
	int rc = pthread_create(&w.thread, NULL, run, NULL);
	w.started = rc == 0;
	if (rc)
		w.running = 0;
	while (w.started && !w.first_done)
		pthread_cond_wait(&w.wake, &w.lock);
	pthread_mutex_unlock(&w.lock);
	return rc ? NRM_EIO : 0;
}

void work_sweeper_stop(void)
{
	pthread_mutex_lock(&w.lock);
	int started = w.started;
	w.running = 0;
	w.started = 0;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
	if (started)
		pthread_join(w.thread, NULL);
}
