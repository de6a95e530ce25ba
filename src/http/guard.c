/* Who the client is, how much it may ask, and how long a request may take (http/guard.h).
 *
 * Deadlines. libmicrohttpd's own timeout is an idle timer: each byte that arrives resets it,
 * so a client trickling one byte every few seconds holds a connection (and, with a thread per
 * connection, a thread) for ever. Every connection here carries an absolute deadline instead,
 * set at each phase of a request: its head must arrive whole within header_ms of the
 * connection's start (or of the previous answer on a kept-alive connection); its body within
 * header_ms plus its size at body_rate; the answer must be taken within the same allowance for
 * its size; while the handler runs there is none. A watchdog thread looks every 100 ms and
 * shuts down (shutdown(2), not close) the socket of a connection past its deadline: the
 * connection's own thread then sees the end of the stream and libmicrohttpd closes it as
 * usual. The socket stays valid while it is in the list: libmicrohttpd reports a connection
 * closed (guard_closed, which takes it out under the same lock) before it closes the socket,
 * so the watchdog never shuts down a number the system has given to another connection. */
#include "http/guard.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"

#define MAX_PROXIES 32
#define BUCKETS 4096
#define MAX_CLIENTS 50000 /* past it, idle clients are forgotten */

struct net {
	int family;
	unsigned char a[16];
	unsigned bits;
};

struct client {
	struct client *next;
	char addr[GUARD_ADDR_LEN];
	double tokens, at; /* the bucket and when it was last filled (ms) */
	unsigned active;   /* requests in progress */
	unsigned conns;    /* connections from this socket address */
};

struct guard_conn {
	struct guard_conn *prev, *next;
	int fd;
	bool cut;
	double deadline; /* ms on the monotonic clock; 0 = none */
	const char *phase; /* what it was waiting for: "head", "body", "reply", "idle" */
	char peer[GUARD_ADDR_LEN];
	bool trusted; /* the peer is a trusted proxy */
};

struct guard {
	struct http_limits lim;
	struct net proxies[MAX_PROXIES];
	int nproxies;
	pthread_mutex_t mu;
	struct client *table[BUCKETS];
	size_t nclients;
	struct guard_conn *conns;
	pthread_t watchdog;
	pthread_cond_t wake;
	bool stop;
	unsigned long cut_total;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* "ADDR" or "ADDR/BITS" into n; -1 when it is neither. */
static int parse_net(const char *s, size_t len, struct net *n)
{
	char text[64];
	if (len == 0 || len >= sizeof text)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	char *slash = strchr(text, '/');
	long bits = -1;
	if (slash) {
		char *end;
		*slash = '\0';
		bits = strtol(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end)
			return -1;
	}
	memset(n, 0, sizeof *n);
	if (inet_pton(AF_INET, text, n->a) == 1) {
		n->family = AF_INET;
		if (bits > 32)
			return -1;
		n->bits = bits < 0 ? 32 : (unsigned)bits;
	} else if (inet_pton(AF_INET6, text, n->a) == 1) {
		n->family = AF_INET6;
		if (bits > 128)
			return -1;
		n->bits = bits < 0 ? 128 : (unsigned)bits;
	} else {
		return -1;
	}
	return 0;
}

static int parse_list(const char *list, struct net *out, int *count)
{
	int n = 0;
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		size_t l = len;
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
			l--;
		if (n == MAX_PROXIES || parse_net(p, l, &out[n]))
			return -1;
		n++;
		p += len;
		if (*p == ',')
			p++;
	}
	*count = n;
	return 0;
}

bool guard_list_valid(const char *list)
{
	struct net tmp[MAX_PROXIES];
	int n;
	return parse_list(list, tmp, &n) == 0 && n > 0;
}

static bool in_net(const struct net *n, int family, const unsigned char *a)
{
	if (n->family != family)
		return false;
	unsigned full = n->bits / 8, rest = n->bits % 8;
	if (memcmp(n->a, a, full) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (n->a[full] & mask) == (a[full] & mask);
}

/* Whether text is an address of a trusted proxy; *valid says whether it is an address. */
static bool trusted_text(const struct guard *g, const char *text, bool *valid)
{
	unsigned char a[16];
	int family = AF_INET;
	*valid = true;
	if (inet_pton(AF_INET, text, a) != 1) {
		family = AF_INET6;
		if (inet_pton(AF_INET6, text, a) != 1) {
			*valid = false;
			return false;
		}
	}
	for (int i = 0; i < g->nproxies; i++)
		if (in_net(&g->proxies[i], family, a))
			return true;
	return false;
}

void guard_addr_text(const struct sockaddr *sa, char out[GUARD_ADDR_LEN])
{
	snprintf(out, GUARD_ADDR_LEN, "unknown");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, GUARD_ADDR_LEN);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a))
			inet_ntop(AF_INET, &a->s6_addr[12], out, GUARD_ADDR_LEN);
		else
			inet_ntop(AF_INET6, a, out, GUARD_ADDR_LEN);
	}
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % BUCKETS;
}

/* Forgets the clients that hold nothing and whose bucket is full again. Under g->mu. */
static void prune(struct guard *g, double now)
{
	for (size_t b = 0; b < BUCKETS; b++) {
		struct client **pp = &g->table[b];
		while (*pp) {
			struct client *c = *pp;
			bool full = g->lim.rate <= 0 || c->tokens + (now - c->at) / 1e3 * g->lim.rate >= g->lim.burst;
			if (!c->active && !c->conns && full) {
				*pp = c->next;
				free(c);
				g->nclients--;
			} else {
				pp = &c->next;
			}
		}
	}
}

/* The client named addr, made when new; NULL when out of memory. Under g->mu. */
static struct client *client_of(struct guard *g, const char *addr, double now)
{
	unsigned h = hash(addr);
	for (struct client *c = g->table[h]; c; c = c->next)
		if (strcmp(c->addr, addr) == 0)
			return c;
	if (g->nclients >= MAX_CLIENTS)
		prune(g, now);
	struct client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	snprintf(c->addr, sizeof c->addr, "%s", addr);
	c->tokens = g->lim.burst;
	c->at = now;
	c->next = g->table[h];
	g->table[h] = c;
	g->nclients++;
	return c;
}

static void *watchdog(void *arg)
{
	struct guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_sec++, ts.tv_nsec -= 1000000000L;
		pthread_cond_timedwait(&g->wake, &g->mu, &ts);
		double now = now_ms();
		for (struct guard_conn *c = g->conns; c; c = c->next) {
			if (c->cut || c->deadline == 0 || now < c->deadline)
				continue;
			/* The peer's address only: the request's path may carry anything. An idle kept-alive
			 * connection closed is routine, a slow head, body or reading of the answer is not.
			 * Said before it is done, so whoever sees the connection end can find the line. */
			http_log(strcmp(c->phase, "idle") == 0 ? "info" : "warn", "connection past its deadline cut", "peer",
				 c->peer, "phase", c->phase, NULL);
			shutdown(c->fd, SHUT_RDWR);
			c->cut = true;
			g->cut_total++;
		}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

int guard_new(const struct http_limits *limits, struct guard **out)
{
	struct guard *g = calloc(1, sizeof *g);
	if (!g)
		return NRM_ENOMEM;
	g->lim = *limits;
	if (limits->trusted_proxies && parse_list(limits->trusted_proxies, g->proxies, &g->nproxies)) {
		free(g);
		return NRM_EINVAL;
	}
	g->lim.trusted_proxies = NULL; /* parsed: the text is not kept */
	if (!g->lim.header_ms)
		g->lim.header_ms = HTTP_DEFAULT_HEADER_MS;
	if (!g->lim.body_rate)
		g->lim.body_rate = HTTP_DEFAULT_BODY_RATE;
	if (g->lim.rate > 0 && g->lim.burst < 1)
		g->lim.burst = 1;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->wake, NULL);
	if (pthread_create(&g->watchdog, NULL, watchdog, g) != 0) {
		pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->mu);
		free(g);
		return NRM_EIO;
	}
	*out = g;
	return 0;
}

void guard_free(struct guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->watchdog, NULL);
	for (size_t b = 0; b < BUCKETS; b++)
		while (g->table[b]) {
			struct client *c = g->table[b];
			g->table[b] = c->next;
			free(c);
		}
	while (g->conns) {
		struct guard_conn *c = g->conns;
		g->conns = c->next;
		free(c);
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

bool guard_accept(struct guard *g, const struct sockaddr *sa)
{
	char addr[GUARD_ADDR_LEN];
	guard_addr_text(sa, addr);
	bool valid;
	if (!g->lim.max_conns || trusted_text(g, addr, &valid))
		return true;
	pthread_mutex_lock(&g->mu);
	unsigned h = hash(addr), have = 0;
	for (struct client *c = g->table[h]; c; c = c->next)
		if (strcmp(c->addr, addr) == 0)
			have = c->conns;
	pthread_mutex_unlock(&g->mu);
	return have < g->lim.max_conns;
}

struct guard_conn *guard_opened(struct guard *g, const struct sockaddr *sa, int fd)
{
	struct guard_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->fd = fd;
	guard_addr_text(sa, c->peer);
	bool valid;
	c->trusted = trusted_text(g, c->peer, &valid);
	pthread_mutex_lock(&g->mu);
	double now = now_ms();
	struct client *cl = client_of(g, c->peer, now);
	if (!cl) {
		pthread_mutex_unlock(&g->mu);
		free(c);
		return NULL;
	}
	cl->conns++;
	c->deadline = now + g->lim.header_ms;
	c->phase = "head";
	c->next = g->conns;
	if (g->conns)
		g->conns->prev = c;
	g->conns = c;
	pthread_mutex_unlock(&g->mu);
	return c;
}

void guard_closed(struct guard *g, struct guard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		g->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	struct client *cl = client_of(g, c->peer, now_ms());
	if (cl && cl->conns)
		cl->conns--;
	pthread_mutex_unlock(&g->mu);
	free(c);
}

void guard_client(const struct guard *g, const struct guard_conn *c, const char *xff, char out[GUARD_ADDR_LEN])
{
	snprintf(out, GUARD_ADDR_LEN, "%s", c ? c->peer : "unknown");
	if (!c || !c->trusted || !xff)
		return;
	/* From the right: each address a trusted proxy wrote is believed, up to the first one
	 * that is not a trusted proxy (the client as the last trusted proxy saw it). What lies
	 * left of it came from the client and proves nothing. */
	size_t end = strlen(xff);
	while (end > 0) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		size_t a = start, b = end;
		while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
			a++;
		while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
			b--;
		char text[GUARD_ADDR_LEN];
		if (b - a >= sizeof text)
			return; /* not an address: the last trusted hop is the client */
		memcpy(text, xff + a, b - a);
		text[b - a] = '\0';
		bool valid;
		bool trusted = trusted_text(g, text, &valid);
		if (!valid)
			return;
		/* Written back in the canonical form, as the socket address is. */
		struct sockaddr_storage ss;
		memset(&ss, 0, sizeof ss);
		struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
		if (inet_pton(AF_INET, text, &v4->sin_addr) == 1)
			v4->sin_family = AF_INET;
		else if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1)
			v6->sin6_family = AF_INET6;
		guard_addr_text((struct sockaddr *)&ss, out);
		if (!trusted)
			return;
		end = start > 0 ? start - 1 : 0;
	}
}

int guard_request_begin(struct guard *g, const char *client)
{
	int wait = 0;
	pthread_mutex_lock(&g->mu);
	double now = now_ms();
	struct client *c = client_of(g, client, now);
	if (!c) {
		wait = 1;
		goto done;
	}
	if (g->lim.max_requests && c->active >= g->lim.max_requests) {
		wait = 1;
		goto done;
	}
	if (g->lim.rate > 0) {
		c->tokens += (now - c->at) / 1e3 * g->lim.rate;
		if (c->tokens > g->lim.burst)
			c->tokens = g->lim.burst;
		c->at = now;
		if (c->tokens < 1) {
			wait = (int)ceil((1 - c->tokens) / g->lim.rate);
			if (wait < 1)
				wait = 1;
			goto done;
		}
		c->tokens -= 1;
	}
	c->active++;
done:
	pthread_mutex_unlock(&g->mu);
	return wait;
}

void guard_request_done(struct guard *g, const char *client)
{
	pthread_mutex_lock(&g->mu);
	struct client *c = client_of(g, client, now_ms());
	if (c && c->active)
		c->active--;
	pthread_mutex_unlock(&g->mu);
}

static void set_deadline(struct guard *g, struct guard_conn *c, double ms, const char *phase)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->mu);
	c->deadline = ms > 0 ? now_ms() + ms : 0;
	c->phase = phase;
	pthread_mutex_unlock(&g->mu);
}

void guard_phase_body(struct guard *g, struct guard_conn *c, size_t body_bytes)
{
	set_deadline(g, c, g->lim.header_ms + (double)body_bytes * 1e3 / g->lim.body_rate, "body");
}

void guard_phase_handler(struct guard *g, struct guard_conn *c)
{
	set_deadline(g, c, 0, "handler");
}

void guard_phase_reply(struct guard *g, struct guard_conn *c, size_t out_bytes)
{
	set_deadline(g, c, g->lim.header_ms + (double)out_bytes * 1e3 / g->lim.body_rate, "reply");
}

void guard_phase_idle(struct guard *g, struct guard_conn *c)
{
	set_deadline(g, c, g->lim.header_ms, "idle");
}
