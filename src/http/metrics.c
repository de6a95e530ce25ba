/* Request counters and latency histograms (http/metrics.h). */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* The statuses nrm answers with, each a counter of its own; any other is counted as "other". */
static const int statuses[] = {200, 201, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof *statuses)
/* Upper bounds of the latency buckets, seconds (Prometheus' defaults, and 1 ms below them). */
static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBOUND (sizeof bounds / sizeof *bounds)

struct route_count {
	_Atomic uint64_t status[NSTATUS + 1]; /* the last: other statuses */
	_Atomic uint64_t bucket[NBOUND + 1];  /* not cumulative; the last: above every bound */
	_Atomic uint64_t micros;              /* the sum of the latencies */
	_Atomic uint64_t count;
};

static struct route_count *counts;
static size_t ncounts;

int http_metrics_init(size_t n)
{
	if (counts && ncounts == n + 1)
		return 0;
	struct route_count *c = calloc(n + 1, sizeof *c);
	if (!c)
		return NRM_ENOMEM;
	free(counts);
	counts = c;
	ncounts = n + 1;
	return 0;
}

void http_metrics_count(size_t route, int status, double seconds)
{
	if (!counts)
		return;
	struct route_count *c = &counts[route < ncounts ? route : ncounts - 1];
	size_t s = 0, b = 0;
	while (s < NSTATUS && statuses[s] != status)
		s++;
	while (b < NBOUND && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&c->status[s], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->micros, seconds > 0 ? (uint64_t)(seconds * 1e6) : 0, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->count, 1, memory_order_relaxed);
}

/* The labels of route i: method and pattern (a pattern holds no quote, backslash or newline:
 * they are the route table's own strings). */
static void labels(const struct http_route *routes, size_t n, size_t i, char *out, size_t cap)
{
	if (i < n)
		snprintf(out, cap, "method=\"%s\",route=\"%s\"", routes[i].method, routes[i].pattern);
	else
		snprintf(out, cap, "method=\"GET\",route=\"(static)\"");
}

void http_metrics_text(const struct http_route *routes, size_t n, struct buf *b)
{
	char l[300];
	buf_printf(b, "# HELP nrm_http_requests_total Requests answered, by route and HTTP status.\n"
		      "# TYPE nrm_http_requests_total counter\n");
	for (size_t i = 0; counts && i < ncounts; i++) {
		if (!atomic_load_explicit(&counts[i].count, memory_order_relaxed))
			continue;
		labels(routes, n, i, l, sizeof l);
		for (size_t s = 0; s <= NSTATUS; s++) {
			uint64_t v = atomic_load_explicit(&counts[i].status[s], memory_order_relaxed);
			if (!v)
				continue;
			if (s < NSTATUS)
				buf_printf(b, "nrm_http_requests_total{%s,status=\"%d\"} %llu\n", l, statuses[s],
					   (unsigned long long)v);
			else
				buf_printf(b, "nrm_http_requests_total{%s,status=\"other\"} %llu\n", l, (unsigned long long)v);
		}
	}
	buf_printf(b, "# HELP nrm_http_request_duration_seconds Time from a request's first byte to its answer, by route.\n"
		      "# TYPE nrm_http_request_duration_seconds histogram\n");
	for (size_t i = 0; counts && i < ncounts; i++) {
		uint64_t count = atomic_load_explicit(&counts[i].count, memory_order_relaxed);
		if (!count)
			continue;
		labels(routes, n, i, l, sizeof l);
		/* Read racily against new requests: the buckets' total is what the count says. */
		uint64_t sum = 0;
		for (size_t k = 0; k <= NBOUND; k++) {
			sum += atomic_load_explicit(&counts[i].bucket[k], memory_order_relaxed);
			if (k < NBOUND)
				buf_printf(b, "nrm_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", l, bounds[k],
					   (unsigned long long)sum);
		}
		buf_printf(b, "nrm_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", l, (unsigned long long)sum);
		buf_printf(b, "nrm_http_request_duration_seconds_sum{%s} %.6f\n", l,
			   (double)atomic_load_explicit(&counts[i].micros, memory_order_relaxed) / 1e6);
		buf_printf(b, "nrm_http_request_duration_seconds_count{%s} %llu\n", l, (unsigned long long)sum);
	}
}
