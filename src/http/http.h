/* The HTTP server (libmicrohttpd, one thread per connection), its route table, and the
 * request / response helpers handlers use. Knows nothing of the domain. Who the client is,
 * the per-client limits and the deadlines of slow requests are http/guard.c's. */
#ifndef NRM_HTTP_HTTP_H
#define NRM_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_DEFAULT_MAX_BODY (64 * 1024)
#define HTTP_DEFAULT_HEADER_MS 10000  /* a request's head must arrive whole within it */
#define HTTP_DEFAULT_BODY_RATE 32768  /* bytes per second a body (and an answer) is given */
#define HTTP_ADDR_LEN 46

struct http_req;
struct http_resp;
typedef void (*http_handler_fn)(struct http_req *req, struct http_resp *resp);

/* One row of the route table. `pattern` segments written {name} match any one segment and
 * are passed to the handler in order (http_param). `rule` is the API layer's business (its
 * permission rule). */
struct http_route {
	const char *method;
	const char *pattern;
	http_handler_fn fn;
	unsigned rule;
	size_t max_body; /* 0 = HTTP_DEFAULT_MAX_BODY */
};

struct http_req {
	void *conn; /* struct MHD_Connection * */
	const char *method;
	const char *path;
	const struct http_route *route;
	char *params[HTTP_MAX_PARAMS];
	size_t nparams;
	struct buf body;
	int too_big;
	int64_t user_id; /* for the access log; set by the API layer */
	void *ctx;       /* the API layer's per-request state */
	double started;
	char id[17];                /* the request's id: random hex, in its log line and X-Request-Id */
	char client[HTTP_ADDR_LEN]; /* see http_client_addr */
	void *conn_guard;           /* the connection's deadline (http/guard.c) */
	int counted;                /* counted against the client's limits */
};

#define HTTP_MAX_HEADERS 8

struct http_resp {
	int status;
	const char *ctype;
	char *body; /* owned */
	size_t len;
	const char *hnames[HTTP_MAX_HEADERS];
	char *hvalues[HTTP_MAX_HEADERS]; /* owned */
	int nheaders;
};

/* Called for every request that matched a route; it calls req->route->fn or answers itself. */
typedef void (*http_dispatch_fn)(struct http_req *req, struct http_resp *resp);
/* Called when a matched request's headers have arrived, before its body is read: returns 0 to
 * go on, or fills resp to answer at once (so no body is buffered for a request refused anyway). */
typedef int (*http_admit_fn)(struct http_req *req, struct http_resp *resp);

/* What one client may do, and how long a request may take. The client is the socket's peer,
 * or, when that peer is one of trusted_proxies, the address it says in X-Forwarded-For. */
struct http_limits {
	const char *trusted_proxies; /* "ADDR[,ADDR/BITS...]", or NULL: none */
	double rate;                 /* requests per second per client (a token bucket); 0 = no limit */
	double burst;                /* the bucket's size */
	unsigned max_requests;       /* requests in progress per client; 0 = no limit */
	unsigned max_conns;          /* connections per peer that is not a trusted proxy; 0 = no limit */
	unsigned header_ms;          /* 0 = HTTP_DEFAULT_HEADER_MS */
	unsigned body_rate;          /* 0 = HTTP_DEFAULT_BODY_RATE */
	unsigned max_active;         /* handlers running at once, the rest wait in turn; 0 = 2 per core + 2 */
};

struct http_config {
	const char *host; /* numeric IPv4 or IPv6 address */
	int port;         /* 0 = an ephemeral port */
	const struct http_route *routes;
	size_t nroutes;
	http_dispatch_fn dispatch;
	http_admit_fn admit; /* may be NULL */
	const char *static_dir; /* files served for GET outside the routes; NULL = none */
	struct http_limits limits;
	const char *tls_cert; /* PEM text of the certificate (chain) and its key: HTTPS; NULL = HTTP */
	const char *tls_key;
	/* Handlers that run apart from the queue of handlers (http_limits.max_active): they spend
	 * most of their time in work bounded elsewhere (Argon2id, a few at once), which must not
	 * hold the places of the quick requests behind them. */
	const http_handler_fn *apart;
	size_t napart;
};

struct http_server;

/* Starts serving in background threads. On success *out is owned by the caller
 * (http_server_stop) and *port holds the bound port. */
int http_server_start(const struct http_config *cfg, struct http_server **out, int *port);
void http_server_stop(struct http_server *srv);

/* Finds the route for method and path (HEAD as GET) among routes[0..nroutes); on a match
 * with req given, its {name} segments are captured into req->params (strdup'd, freed by the
 * server with the request). Writes into allow (when not NULL) the methods of the routes that
 * have this path, so a wrong method gets 405 rather than 404. NULL when none matches. */
const struct http_route *http_route_find(const struct http_route *routes, size_t nroutes, const char *method,
					 const char *path, struct http_req *req, struct buf *allow);
/* Percent-decodes s in place as libmicrohttpd does for the path and the query, but leaves
 * "%00" as it is: a NUL would cut the text short, so that "CODE%00x" read as "CODE". Returns
 * the new length. */
size_t http_unescape(char *s);

/* Request accessors: values are owned by the request, valid during the handler. */
const char *http_param(const struct http_req *req, size_t i);
const char *http_query(const struct http_req *req, const char *key);
const char *http_header(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);
/* The client's address as text (IPv4 dotted, IPv6 canonical): the socket's peer, or, when the
 * peer is a trusted proxy (http_limits.trusted_proxies), the right-most address of
 * X-Forwarded-For that is not one. What per-client limits, the access log and the login
 * throttle count by. Valid during the request. */
const char *http_client_addr(const struct http_req *req);
/* Whether "ADDR[,ADDR/BITS...]" is a valid list of trusted proxies. */
int http_proxy_list_valid(const char *list);
/* Whether this libmicrohttpd can serve HTTPS. */
int http_tls_supported(void);

/* Response helpers. http_reply_json steals the reference to body. */
void http_reply_json(struct http_resp *resp, int status, json_t *body);
/* {"error": {"code", "key", "field", "params", "message"}}: code names the kind of failure,
 * the rest comes from e (its key, field, parameters and English message). */
void http_reply_error(struct http_resp *resp, int status, const char *code, const struct nrm_err *e);
/* The same for a failure the HTTP layer itself finds: key and code from the key alone. */
void http_reply_key(struct http_resp *resp, int status, const char *code, enum nrm_key key);
/* Takes ownership of data (malloc'd). */
void http_reply_bytes(struct http_resp *resp, int status, const char *ctype, char *data, size_t len);
void http_add_header(struct http_resp *resp, const char *name, const char *value);

/* One JSON log line on stderr: level, msg, then key/value string pairs ending with NULL. */
void http_log(const char *level, const char *msg, ...);

#endif
