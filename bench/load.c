/* bench/load: a load generator for `nrm serve` (see bench/README.md).
 *
 *   load --port P [--clients N] [--seconds S] [--label NAME] [--pace R]
 *        [--attack N] [--attack-from spread|single]
 *
 * N clients, each a thread with its own keep-alive connection and its own loopback source
 * address (127.0.1.1, 127.0.1.2, ...: as N machines), share two logged-in sessions and run a
 * mix of real routes for S seconds: half are case workers (case list, case page, home, new
 * case), half county secretaries (meeting page, body page, tasks, update of their own
 * meeting). Each client sends its next request as soon as it has the answer, or, with
 * --pace R, R requests a second (as people at work would, if faster). With --attack, N more connections meanwhile trickle a request a byte a second
 * (half their heads, half their bodies), from one address each (spread) or all from one.
 * Prints one tab-separated line:
 *   label clients seconds requests req/s errors resets p50_ms p99_ms max_ms writes attack cut
 * errors: answers other than the expected 2xx; resets: connections the server broke or
 * refused (curl could not send, receive or got nothing). */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port = 8080, nclients = 100, seconds = 120, nattack = 0, pace = 0;
static bool attack_single = false;
static const char *label = "mixed";
static atomic_bool stop;
static atomic_long cut_total, attack_opened;

struct session {
	char cookie[200], csrf[128];
	long long institution, body;
};
static struct session caseworker, secretary;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct buf {
	char *p;
	size_t len;
};

static size_t keep(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t add = size * n;
	char *nb = realloc(b->p, b->len + add + 1);
	if (!nb)
		return 0;
	memcpy(nb + b->len, p, add);
	b->len += add;
	nb[b->len] = '\0';
	b->p = nb;
	return add;
}

struct client {
	int n;
	CURL *cu;
	struct session *s;
	bool secretary;
	long long meeting, meeting_version;
	json_t *codes; /* case codes seen in the list */
	double *lat;
	size_t nlat, cap;
	long errors, resets, writes;
	unsigned seed;
};

/* One request; its status (0 when the connection failed), the answer's JSON in *out when
 * out is given. Latency and failures are counted. */
static long call(struct client *c, const char *method, const char *path, const char *body, json_t **out)
{
	char url[300], h1[240], h2[160];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	struct buf b = {0};
	curl_easy_setopt(c->cu, CURLOPT_URL, url);
	curl_easy_setopt(c->cu, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->cu, CURLOPT_HTTPGET, 1L);
	if (body)
		curl_easy_setopt(c->cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->cu, CURLOPT_CUSTOMREQUEST, method);
	struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
	hl = curl_slist_append(hl, "Content-Type: application/json");
	snprintf(h1, sizeof h1, "Cookie: nrm_session=%s", c->s->cookie);
	hl = curl_slist_append(hl, h1);
	snprintf(h2, sizeof h2, "X-CSRF-Token: %s", c->s->csrf);
	hl = curl_slist_append(hl, h2);
	curl_easy_setopt(c->cu, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c->cu, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c->cu, CURLOPT_WRITEDATA, &b);
	double t0 = now_ms();
	CURLcode rc = curl_easy_perform(c->cu);
	double ms = now_ms() - t0;
	curl_slist_free_all(hl);
	long status = 0;
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c->cu, CURLINFO_RESPONSE_CODE, &status);
	} else if (!atomic_load(&stop)) {
		c->resets++;
		fprintf(stderr, "load: client %d %s %s: %s\n", c->n, method, path, curl_easy_strerror(rc));
	}
	if (rc == CURLE_OK && (status < 200 || status >= 300)) {
		c->errors++;
		if (c->errors <= 3)
			fprintf(stderr, "load: client %d %s %s: %ld %.200s\n", c->n, method, path, status, b.p ? b.p : "");
	}
	if (c->nlat == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->lat = realloc(c->lat, c->cap * sizeof *c->lat);
	}
	if (c->lat)
		c->lat[c->nlat++] = ms;
	if (out)
		*out = status >= 200 && status < 300 && b.p ? json_loads(b.p, 0, NULL) : NULL;
	free(b.p);
	return status;
}

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void case_worker_step(struct client *c)
{
	unsigned r = next_rand(&c->seed) % 100;
	char path[200];
	json_t *j = NULL;
	if (r < 35 || json_array_size(c->codes) == 0) {
		call(c, "GET", "/api/v1/cases?limit=50", NULL, &j);
		json_t *items = json_object_get(j, "items");
		if (json_array_size(items)) {
			json_array_clear(c->codes);
			size_t i;
			json_t *it;
			json_array_foreach(items, i, it)
			{
				if (i < 50 && json_is_string(json_object_get(it, "code")))
					json_array_append(c->codes, json_object_get(it, "code"));
			}
		}
	} else if (r < 70) {
		json_t *code = json_array_get(c->codes, next_rand(&c->seed) % json_array_size(c->codes));
		snprintf(path, sizeof path, "/api/v1/cases/%s", json_string_value(code));
		call(c, "GET", path, NULL, NULL);
	} else if (r < 85) {
		call(c, "GET", "/api/v1/home", NULL, NULL);
	} else {
		char body[1400];
		snprintf(body, sizeof body,
			 "{\"fields\":{\"prs_FirstName\":\"Bench\",\"prs_SecondName\":\"Load\",\"prs_Gender\":\"Feminine\","
			 "\"prs_Birthdate\":\"2001-03-04\",\"al_identification_date\":\"2026-10-01\","
			 "\"al_identifying_institution\":%lld,\"al_identification_method\":\"police\",\"al_county\":\"fier\","
			 "\"al_municipality\":\"patos\",\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],"
			 "\"vic_TypeOfExploitation\":[\"ForcedBegging\"]}}",
			 c->s->institution);
		call(c, "POST", "/api/v1/cases", body, NULL);
		c->writes++;
	}
	json_decref(j);
}

static void secretary_step(struct client *c)
{
	char path[200], body[300];
	json_t *j = NULL;
	if (!c->meeting) {
		snprintf(path, sizeof path, "/api/v1/bodies/%lld/meetings", c->s->body);
		snprintf(body, sizeof body, "{\"date\":\"2027-06-%02d\",\"time\":\"10:00\",\"title\":\"Bench %d\"}",
			 1 + c->n % 28, c->n);
		call(c, "POST", path, body, &j);
		c->writes++;
		c->meeting = json_integer_value(json_object_get(j, "id"));
		c->meeting_version = json_integer_value(json_object_get(j, "version"));
		json_decref(j);
		return;
	}
	unsigned r = next_rand(&c->seed) % 100;
	if (r < 40) {
		snprintf(path, sizeof path, "/api/v1/meetings/%lld", c->meeting);
		call(c, "GET", path, NULL, &j);
		if (j)
			c->meeting_version = json_integer_value(json_object_get(j, "version"));
	} else if (r < 60) {
		snprintf(path, sizeof path, "/api/v1/bodies/%lld", c->s->body);
		call(c, "GET", path, NULL, NULL);
	} else if (r < 80) {
		snprintf(path, sizeof path, "/api/v1/tasks?body=%lld", c->s->body);
		call(c, "GET", path, NULL, NULL);
	} else {
		snprintf(path, sizeof path, "/api/v1/meetings/%lld", c->meeting);
		snprintf(body, sizeof body, "{\"version\":%lld,\"location\":\"Salla %u\"}", c->meeting_version,
			 next_rand(&c->seed) % 1000);
		call(c, "PATCH", path, body, &j);
		c->writes++;
		if (j)
			c->meeting_version = json_integer_value(json_object_get(j, "version"));
	}
	json_decref(j);
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	c->cu = curl_easy_init();
	char iface[64];
	snprintf(iface, sizeof iface, "host!127.0.%d.%d", 1 + c->n / 250, 1 + c->n % 250);
	curl_easy_setopt(c->cu, CURLOPT_INTERFACE, iface);
	curl_easy_setopt(c->cu, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c->cu, CURLOPT_NOSIGNAL, 1L);
	c->codes = json_array();
	double next = now_ms() + (double)(c->n % 10) * 100.0 / (pace ? pace : 1);
	while (!atomic_load(&stop)) {
		if (pace) {
			double wait = next - now_ms();
			if (wait > 0) {
				struct timespec w = {(time_t)(wait / 1e3), (long)((wait - (double)(long)(wait / 1e3) * 1e3) * 1e6)};
				nanosleep(&w, NULL);
			}
			next += 1e3 / pace;
		}
		if (c->secretary)
			secretary_step(c);
		else
			case_worker_step(c);
	}
	json_decref(c->codes);
	curl_easy_cleanup(c->cu);
	return NULL;
}

/* ---- the slow attack ---- */

struct slot {
	int fd;
	size_t sent;
	bool body;
	char src[32];
};

static int open_slot(struct slot *s)
{
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	s->sent = 0;
	if (s->fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, s->src, &a.sin_addr);
	if (bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto fail;
	a.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(s->fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto fail;
	atomic_fetch_add(&attack_opened, 1);
	if (s->body) {
		/* The head at once, then the body a byte at a time. */
		const char *head = "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				   "Content-Length: 60000\r\n\r\n";
		if (send(s->fd, head, strlen(head), MSG_NOSIGNAL) < 0)
			goto fail;
	}
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return -1;
}

static void *attack_main(void *arg)
{
	(void)arg;
	struct slot *slots = calloc((size_t)nattack, sizeof *slots);
	const char *head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
	for (int i = 0; i < nattack; i++) {
		slots[i].body = i % 2 == 1;
		if (attack_single)
			snprintf(slots[i].src, sizeof slots[i].src, "127.0.9.1");
		else
			snprintf(slots[i].src, sizeof slots[i].src, "127.0.%d.%d", 10 + i / 250, 1 + i % 250);
		open_slot(&slots[i]);
	}
	while (!atomic_load(&stop)) {
		for (int i = 0; i < nattack && !atomic_load(&stop); i++) {
			struct slot *s = &slots[i];
			if (s->fd < 0) {
				open_slot(s);
				continue;
			}
			char ch = s->body ? ' ' : (s->sent < strlen(head) ? head[s->sent] : 'a');
			bool gone = send(s->fd, &ch, 1, MSG_NOSIGNAL) != 1;
			struct pollfd p = {.fd = s->fd, .events = POLLIN};
			if (!gone && poll(&p, 1, 0) > 0) {
				char b[256];
				gone = recv(s->fd, b, sizeof b, MSG_DONTWAIT) <= 0;
			}
			if (gone) {
				close(s->fd);
				atomic_fetch_add(&cut_total, 1);
				open_slot(s);
			} else {
				s->sent++;
			}
		}
		/* A byte a second on every connection: far inside any idle timeout. */
		for (int k = 0; k < 10 && !atomic_load(&stop); k++) {
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	for (int i = 0; i < nattack; i++)
		if (slots[i].fd >= 0)
			close(slots[i].fd);
	free(slots);
	return NULL;
}

/* ---- setup ---- */

static int login(const char *user, struct session *s)
{
	CURL *cu = curl_easy_init();
	char url[200];
	struct buf b = {0}, h = {0};
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/session", port);
	char body[200];
	const char *pw = getenv("BENCH_PASSWORD");
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw ? pw : "demo");
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, keep);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, &h);
	CURLcode rc = curl_easy_perform(cu);
	curl_slist_free_all(hl);
	curl_easy_cleanup(cu);
	json_t *j = rc == CURLE_OK && b.p ? json_loads(b.p, 0, NULL) : NULL;
	const char *csrf = json_string_value(json_object_get(j, "csrf"));
	const char *c = h.p ? strstr(h.p, "nrm_session=") : NULL;
	int ok = csrf && c;
	if (ok) {
		snprintf(s->csrf, sizeof s->csrf, "%s", csrf);
		snprintf(s->cookie, sizeof s->cookie, "%.*s", (int)strcspn(c + 12, ";\r\n"), c + 12);
		s->institution = json_integer_value(json_object_get(json_object_get(j, "user"), "institution"));
	} else {
		fprintf(stderr, "load: cannot log in as %s\n", user);
	}
	json_decref(j);
	free(b.p);
	free(h.p);
	return ok ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int arg_int(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 || v > 100000 ? -1 : (int)v;
}

int main(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (strcmp(k, "--port") == 0)
			port = arg_int(v);
		else if (strcmp(k, "--clients") == 0)
			nclients = arg_int(v);
		else if (strcmp(k, "--seconds") == 0)
			seconds = arg_int(v);
		else if (strcmp(k, "--attack") == 0)
			nattack = arg_int(v);
		else if (strcmp(k, "--attack-from") == 0)
			attack_single = strcmp(v, "single") == 0;
		else if (strcmp(k, "--pace") == 0)
			pace = arg_int(v);
		else if (strcmp(k, "--label") == 0)
			label = v;
		else {
			fprintf(stderr, "load: unknown option %s\n", k);
			return 2;
		}
	}
	if (port <= 0 || nclients < 1 || seconds < 1 || nattack < 0 || pace < 0) {
		fprintf(stderr, "load: bad option value\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (login("fier.caseworker", &caseworker) || login("fier.secretariat", &secretary))
		return 1;
	/* The secretariat's KRAT, from its list of bodies. */
	struct client probe = {.n = 9999, .s = &secretary};
	probe.cu = curl_easy_init();
	json_t *j = NULL;
	call(&probe, "GET", "/api/v1/bodies?kind=krat&county=fier", NULL, &j);
	secretary.body = json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
	json_decref(j);
	curl_easy_cleanup(probe.cu);
	free(probe.lat);
	if (!secretary.body) {
		fprintf(stderr, "load: no KRAT body for fier\n");
		return 1;
	}

	struct client *cs = calloc((size_t)nclients, sizeof *cs);
	pthread_t *ts = calloc((size_t)nclients, sizeof *ts), at;
	if (nattack) {
		pthread_create(&at, NULL, attack_main, NULL);
		/* The attack first takes its connections. */
		struct timespec w = {2, 0};
		nanosleep(&w, NULL);
	}
	double t0 = now_ms();
	for (int i = 0; i < nclients; i++) {
		cs[i] = (struct client){.n = i, .secretary = i % 2 == 1, .seed = (unsigned)i * 7919u + 1};
		cs[i].s = cs[i].secretary ? &secretary : &caseworker;
		pthread_create(&ts[i], NULL, client_main, &cs[i]);
	}
	for (int s = 0; s < seconds * 10; s++) {
		struct timespec w = {0, 100 * 1000 * 1000};
		nanosleep(&w, NULL);
	}
	atomic_store(&stop, true);
	size_t total = 0;
	long errors = 0, resets = 0, writes = 0;
	for (int i = 0; i < nclients; i++) {
		pthread_join(ts[i], NULL);
		total += cs[i].nlat;
		errors += cs[i].errors;
		resets += cs[i].resets;
		writes += cs[i].writes;
	}
	double elapsed = (now_ms() - t0) / 1e3;
	if (nattack)
		pthread_join(at, NULL);
	double *all = malloc((total ? total : 1) * sizeof *all);
	size_t k = 0;
	for (int i = 0; i < nclients; i++) {
		if (cs[i].nlat)
			memcpy(all + k, cs[i].lat, cs[i].nlat * sizeof *all);
		k += cs[i].nlat;
		free(cs[i].lat);
	}
	qsort(all, total, sizeof *all, cmp);
	double p50 = total ? all[total / 2] : 0, p99 = total ? all[(size_t)((double)total * 0.99)] : 0,
	       max = total ? all[total - 1] : 0;
	printf("%s\t%d\t%.0f\t%zu\t%.0f\t%ld\t%ld\t%.1f\t%.1f\t%.1f\t%ld\t%d\t%ld\n", label, nclients, elapsed, total,
	       (double)total / elapsed, errors, resets, p50, p99, max, writes, nattack, atomic_load(&cut_total));
	free(all);
	free(cs);
	free(ts);
	curl_global_cleanup();
	return 0;
}
