/* The HTTP server (libmicrohttpd, one thread per connection), its route table, and the
 * request / response helpers handlers use. Knows nothing of the domain. */
#ifndef NRM_HTTP_HTTP_H
#define NRM_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_DEFAULT_MAX_BODY (64 * 1024)

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

struct http_config {
	const char *host; /* numeric IPv4 or IPv6 address */
	int port;         /* 0 = an ephemeral port */
	const struct http_route *routes;
	size_t nroutes;
	http_dispatch_fn dispatch;
	http_admit_fn admit; /* may be NULL */
	const char *static_dir; /* files served for GET outside the routes; NULL = none */
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
