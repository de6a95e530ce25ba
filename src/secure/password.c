/* Argon2id password hashing. */
#include "secure/password.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Argon2id runs on a few threads of its own, one per core but one (at least one, at most
 * MAX_WORKERS), at a lower priority than the threads answering requests: a hash takes 64 MiB
 * and about a second of a core here, and a storm of logins must not take the cores from the
 * readers — one core is never hashing, and on the others, 10 nice steps lower, a hash gets
 * about a tenth of a core that a reader wants, and all of an idle one. On a 2-core server one
 * hash runs at a time: 64 MiB at most, where two took the peak memory past 200 MB (issue 15);
 * a login waits for the ones before it instead. The caller waits for its hash. At most
 * QUEUE_PER_WORKER hashes per worker wait or run at once; past that the caller is told to try
 * again (NRM_EBUSY → 503), so memory stays bounded (only the running ones hold their 64 MiB)
 * and nobody waits for ever. */
#define MAX_WORKERS 4
#define QUEUE_PER_WORKER 8
#define HASH_NICE 10 /* added to the process's own nice value, up to 19 */

struct job {
	const char *pw;
	const char *hash; /* to verify against; NULL: make a new hash into out */
	char *out;
	int rc;
	bool done;
	struct job *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t ready, finished;
	struct job *head, *tail;
	unsigned admitted, workers;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER, .finished = PTHREAD_COND_INITIALIZER};
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static int run(const struct job *j)
{
	if (j->hash)
		return crypto_pwhash_str_verify(j->hash, j->pw, strlen(j->pw)) == 0 ? 0 : NRM_EAUTH;
	/* 6 passes over 64 MiB: about 0.2 s on an office PC, far too slow to guess at. */
	return crypto_pwhash_str(j->out, j->pw, strlen(j->pw), 6, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 ? NRM_ENOMEM
													    : 0;
}

static void *worker(void *arg)
{
	(void)arg;
	/* On Linux the nice value is each thread's own: this lowers this thread only, relative to
	 * the server's (itself maybe started with nice). Should it fail, hashes still run, at the
	 * readers' priority. */
	id_t self = (id_t)syscall(SYS_gettid);
	errno = 0;
	int base = getpriority(PRIO_PROCESS, self);
	if (errno)
		base = 0;
	(void)setpriority(PRIO_PROCESS, self, base + HASH_NICE > 19 ? 19 : base + HASH_NICE);
	pthread_mutex_lock(&pool.mu);
	for (;;) {
		while (!pool.head)
			pthread_cond_wait(&pool.ready, &pool.mu);
		struct job *j = pool.head;
		pool.head = j->next;
		if (!pool.head)
			pool.tail = NULL;
		pthread_mutex_unlock(&pool.mu);
		int rc = run(j);
		pthread_mutex_lock(&pool.mu);
		j->rc = rc;
		j->done = true;
		pthread_cond_broadcast(&pool.finished);
	}
	return NULL;
}

static void pool_start(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned want = cores <= 2 ? 1 : cores - 1 > MAX_WORKERS ? MAX_WORKERS : (unsigned)cores - 1;
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0)
		return;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (unsigned i = 0; i < want; i++) {
		pthread_t t;
		if (pthread_create(&t, &attr, worker, NULL) != 0)
			break;
		pool.workers++;
	}
	pthread_attr_destroy(&attr);
}

/* Hands j to the workers and waits for its result. */
static int submit(struct job *j)
{
	pthread_once(&pool_once, pool_start);
	pthread_mutex_lock(&pool.mu);
	if (pool.workers == 0 || pool.admitted >= pool.workers * QUEUE_PER_WORKER) {
		pthread_mutex_unlock(&pool.mu);
		return NRM_EBUSY;
	}
	pool.admitted++;
	if (pool.tail)
		pool.tail->next = j;
	else
		pool.head = j;
	pool.tail = j;
	pthread_cond_signal(&pool.ready);
	while (!j->done)
		pthread_cond_wait(&pool.finished, &pool.mu);
	pool.admitted--;
	pthread_mutex_unlock(&pool.mu);
	return j->rc;
}

int secure_init(void)
{
	return sodium_init() < 0 ? NRM_EIO : 0;
}

int secure_password_hash(const char *pw, char out[PASSWORD_HASH_LEN])
{
	struct job j = {.pw = pw, .out = out};
	return submit(&j);
}

int secure_password_hash_demo(const char *pw, char out[PASSWORD_HASH_LEN])
{
	if (strcmp(pw, SECURE_DEMO_PASSWORD) != 0)
		return secure_password_hash(pw, out);
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) != 0
		       ? NRM_ENOMEM
		       : 0;
}

int secure_password_verify(const char *hash, const char *pw)
{
	struct job j = {.pw = pw, .hash = hash};
	return submit(&j);
}

/* The known-weak passwords, sorted, for bsearch; loaded once before serving. */
static char **weak;
static size_t nweak;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void weak_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int secure_password_list_load(const char *path, size_t *n, struct nrm_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return nrm_fail_file(err, NRM_EIO, path, "cannot be read");
	char line[512], **list = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;
	while (!rc && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 4096;
			char **grown = realloc(list, cap * sizeof *list);
			if (!grown) {
				rc = NRM_ENOMEM;
				break;
			}
			list = grown;
		}
		if (!(list[count] = strdup(line)))
			rc = NRM_ENOMEM;
		else
			count++;
	}
	fclose(f);
	if (rc) {
		weak_free(list, count);
		return nrm_fail(err, rc, nrm_key_of_code(rc), NULL, NULL);
	}
	qsort(list, count, sizeof *list, cmp);
	weak_free(weak, nweak);
	weak = list;
	nweak = count;
	*n = count;
	return 0;
}

size_t secure_password_list_size(void)
{
	return nweak;
}

static bool listed(const char *s)
{
	return nweak && bsearch(&s, weak, nweak, sizeof *weak, cmp) != NULL;
}

static bool edge(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch > ' ' && ch < '0') || (ch > '9' && ch < 'A') || (ch > 'Z' && ch < 'a') ||
	       (ch > 'z' && ch <= '~') || ch == ' ';
}

/* Lower-cases pw (ASCII letters) into out, then whether it, or it without the digits and
 * symbols around it ("Password2024!" → "password"), is on the list. */
static bool is_weak(const char *pw)
{
	char low[PASSWORD_MAX_LEN + 1];
	size_t n = strlen(pw), k;
	for (k = 0; k < n; k++)
		low[k] = pw[k] >= 'A' && pw[k] <= 'Z' ? (char)(pw[k] - 'A' + 'a') : pw[k];
	low[n] = '\0';
	bool same = true;
	for (k = 1; k < n; k++)
		same = same && low[k] == low[0];
	if (same || listed(low))
		return true;
	char *b = low, *e = low + n;
	while (b < e && edge(*b))
		b++;
	while (e > b && edge(e[-1]))
		e--;
	*e = '\0';
	return b == e || listed(b);
}

/* Whether pw contains name, ignoring the case of ASCII letters. */
static bool contains(const char *pw, const char *name)
{
	size_t m = strlen(name);
	if (m < 3)
		return false;
	for (const char *p = pw; *p; p++) {
		size_t k = 0;
		while (k < m && p[k]) {
			char a = p[k], b = name[k];
			if (a >= 'A' && a <= 'Z')
				a = (char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (char)(b - 'A' + 'a');
			if (a != b)
				break;
			k++;
		}
		if (k == m)
			return true;
	}
	return false;
}

int secure_password_acceptable(const char *pw, const char *username, const char *field, struct nrm_err *err)
{
	size_t n = strlen(pw);
	char b[24];
	if (n < PASSWORD_MIN_LEN)
		return nrm_fail(err, NRM_EINVAL, KEY_password_short, field, "min", nrm_num(b, PASSWORD_MIN_LEN), NULL);
	if (n > PASSWORD_MAX_LEN)
		return nrm_fail(err, NRM_EINVAL, KEY_password_long, field, "max", nrm_num(b, PASSWORD_MAX_LEN), NULL);
	if (username && contains(pw, username))
		return nrm_fail(err, NRM_EINVAL, KEY_password_has_username, field, NULL);
	if (is_weak(pw))
		return nrm_fail(err, NRM_EINVAL, KEY_password_weak, field, NULL);
	return 0;
}
