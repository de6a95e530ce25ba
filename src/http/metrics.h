/* Counters of what the server answered, for Prometheus (GET /metrics, api/metrics.c): requests
 * by route and status, and their latency by route. Lock-free: a request costs a few relaxed
 * atomic adds. One set per process (the server is one per process). */
#ifndef NRM_HTTP_METRICS_H
#define NRM_HTTP_METRICS_H

#include <stddef.h>

#include "core/buf.h"
#include "http/http.h"

/* Sizes the counters for a route table of n routes (and one more: the UI's files and pages).
 * 0, or NRM_ENOMEM. Called by http_server_start; again with the same n, it keeps the counts. */
int http_metrics_init(size_t n);
/* Counts one answer: route is the index in the route table (n: none matched), seconds the time
 * from the request's first byte to its answer. */
void http_metrics_count(size_t route, int status, double seconds);
/* Appends the counters in Prometheus' text format (version 0.0.4) to b, routes named by their
 * method and pattern — never a path, which may hold a name. Only routes asked for appear. */
void http_metrics_text(const struct http_route *routes, size_t n, struct buf *b);

#endif
