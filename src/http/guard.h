/* Inside the HTTP layer only: who the client is (the trusted-proxy rule), the per-client
 * limits (connections, requests at once, a token bucket of requests per second) and the
 * watchdog that cuts connections past their deadline. server.c drives it from
 * libmicrohttpd's callbacks. */
#ifndef NRM_HTTP_GUARD_H
#define NRM_HTTP_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "http/http.h"

#define GUARD_ADDR_LEN 46 /* INET6_ADDRSTRLEN */

struct guard;
struct guard_conn; /* one per TCP connection, libmicrohttpd's socket context */

/* Makes the guard for limits (copied; the proxy list is parsed here: NRM_EINVAL when it is
 * not valid). *out is owned by the caller (guard_free). The watchdog thread starts here. */
int guard_new(const struct http_limits *limits, struct guard **out);
void guard_free(struct guard *g);

/* The socket address as text; IPv4-mapped IPv6 addresses written as IPv4. */
void guard_addr_text(const struct sockaddr *sa, char out[GUARD_ADDR_LEN]);

/* At accept: whether a new connection from sa is admitted (a peer that is not a trusted
 * proxy may hold limits->max_conns connections at once). */
bool guard_accept(struct guard *g, const struct sockaddr *sa);
/* A connection opened (fd its socket) / closed. opened returns NULL when out of memory (the
 * connection is then closed); closed frees it. */
struct guard_conn *guard_opened(struct guard *g, const struct sockaddr *sa, int fd);
void guard_closed(struct guard *g, struct guard_conn *c);

/* The client of a request on c whose X-Forwarded-For values (every header of that name, in
 * order, joined with ",") are xff (NULL when none): the peer itself unless the peer is a
 * trusted proxy, then the right-most address of xff that is not a trusted proxy. */
void guard_client(const struct guard *g, const struct guard_conn *c, const char *xff, char out[GUARD_ADDR_LEN]);

/* A request's head has arrived, from client: counts it against the client's limits. Returns
 * 0 to go on (then guard_request_done must follow), or the seconds the client should wait
 * (429 with Retry-After). */
int guard_request_begin(struct guard *g, const char *client);
void guard_request_done(struct guard *g, const char *client);

/* The connection's deadline: the phases of a request. body_bytes is what the body may still
 * carry (its Content-Length, or the route's limit); out_bytes the size of the answer. */
void guard_phase_body(struct guard *g, struct guard_conn *c, size_t body_bytes);
void guard_phase_handler(struct guard *g, struct guard_conn *c);
void guard_phase_reply(struct guard *g, struct guard_conn *c, size_t out_bytes);
/* Between requests of a kept-alive connection: the next head must arrive whole in time. */
void guard_phase_idle(struct guard *g, struct guard_conn *c);

/* Whether the proxy list "ADDR[,ADDR/BITS...]" is valid. */
bool guard_list_valid(const char *list);

#endif
