/* A bound on the figures computed at once: counting a period reads every fact of it and
 * protecting a release solves linear programs, each a core's work and its own memory, so
 * more at once than the machine has cores only slows everyone and, unbounded, could exhaust
 * memory. A computation waits its turn for a while, then the caller gets "busy" (503) and
 * tries again. Nested calls (the figures of a period ask for a standard table) pass through
 * on their thread's turn. */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "stats/internal.h"

#define WAIT_SECONDS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;
static int running, limit;
static _Thread_local int depth;

static int limit_of(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int stats_gate_enter(struct nrm_err *err)
{
	if (depth++ > 0)
		return 0;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_SECONDS;
	int rc = 0;
	pthread_mutex_lock(&lock);
	if (!limit)
		limit = limit_of();
	while (running >= limit && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&freed, &lock, &until);
	bool in = running < limit;
	if (in)
		running++;
	pthread_mutex_unlock(&lock);
	if (in)
		return 0;
	depth--;
	return nrm_fail(err, NRM_EBUSY, KEY_busy, NULL, NULL);
}

void stats_gate_leave(void)
{
	if (--depth > 0)
		return;
	pthread_mutex_lock(&lock);
	running--;
	pthread_cond_signal(&freed);
	pthread_mutex_unlock(&lock);
}
