/* Released tables and counted grids kept for the next request that asks the same while
 * nothing has changed: protecting a release solves linear programs over every county and
 * period of a year, and a year's counts read every fact of the year — the same for everyone
 * who asks. Keyed by what was asked and the day, and by what the entry was made from: the
 * counts a release protects (stats/table.c release_key), the latest case event for the
 * counts of a range of days. Shared by the server's threads; each entry is a copy of its
 * own, and each caller gets a copy to change. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/internal.h"
#include "store/figunit.h"

#define SLOTS 256

/* Each value is a copy no caller holds: a caller gets a copy of its own to change. */
static struct {
	char *key;
	json_t *value;
	unsigned long used;
} slot[SLOTS];
static unsigned long tick;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

json_t *stats_cache_get(const char *key)
{
	json_t *out = NULL;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < SLOTS; i++)
		if (slot[i].key && strcmp(slot[i].key, key) == 0) {
			slot[i].used = ++tick;
			out = json_deep_copy(slot[i].value);
			break;
		}
	pthread_mutex_unlock(&lock);
	return out;
}

void stats_cache_put(const char *key, json_t *value)
{
	char *k = strdup(key);
	json_t *copy = json_deep_copy(value);
	if (!k || !copy) {
		free(k);
		json_decref(copy);
		return;
	}
	pthread_mutex_lock(&lock);
	int victim = 0;
	for (int i = 0; i < SLOTS; i++) {
		if (!slot[i].key) {
			victim = i;
			break;
		}
		if (slot[i].used < slot[victim].used)
			victim = i;
	}
	free(slot[victim].key);
	json_decref(slot[victim].value);
	slot[victim].key = k;
	slot[victim].value = copy;
	slot[victim].used = ++tick;
	pthread_mutex_unlock(&lock);
}

int stats_result_key(struct nrm_ctx *c, const char *what, char *key, size_t cap)
{
	/* The tests' reference counts everything afresh: nothing kept is read. */
	if (getenv("NRM_STATS_RECOUNT"))
		return NRM_ENOTFOUND;
	int64_t event = 0, epoch = 0;
	int rc = store_fig_generation(c->db, &event, &epoch);
	if (rc)
		return rc;
	int n = snprintf(key, cap, "result|%s|%d|%lld|%lld|%s", what, (int)c->today, (long long)event, (long long)epoch,
			 stats_defs_digest(c));
	return n < 0 || (size_t)n >= cap ? NRM_EINVAL : 0;
}
