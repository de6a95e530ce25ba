/* libmicrohttpd glue: collects each request (with a per-route body limit), matches it
 * against the route table, hands it to the dispatcher, serves static files, logs access. */
#include "http/http.h"

#include <ctype.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "http/guard.h"
#include "http/metrics.h"

/* Handlers running at once are limited to a few per core, and the others wait their turn in
 * order of arrival. A hundred handlers at once on two cores would each run slowly and, worse,
 * the one holding the database's writer lock would get a hundredth of a core while every other
 * writer waits for it; a few at a time finish sooner, in turn. A waiter sleeps on its own
 * condition, handed the place directly (no stampede of wake-ups). */
struct waiter {
	pthread_cond_t cv;
	int granted;
	struct waiter *next;
};

struct turns {
	pthread_mutex_t mu;
	unsigned active, max;
	struct waiter *head, *tail;
};

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	struct guard *guard;
	struct turns turns;
};

static void turn_take(struct turns *t)
{
	pthread_mutex_lock(&t->mu);
	if (t->active < t->max && !t->head) {
		t->active++;
		pthread_mutex_unlock(&t->mu);
		return;
	}
	struct waiter w = {.granted = 0};
	pthread_cond_init(&w.cv, NULL);
	if (t->tail)
		t->tail->next = &w;
	else
		t->head = &w;
	t->tail = &w;
	while (!w.granted)
		pthread_cond_wait(&w.cv, &t->mu);
	pthread_mutex_unlock(&t->mu);
	pthread_cond_destroy(&w.cv);
}

static void turn_give(struct turns *t)
{
	pthread_mutex_lock(&t->mu);
	struct waiter *w = t->head;
	if (w) {
		/* The place passes to the first in line; active stays as it is. */
		t->head = w->next;
		if (!t->head)
			t->tail = NULL;
		w->granted = 1;
		pthread_cond_signal(&w->cv);
	} else {
		t->active--;
	}
	pthread_mutex_unlock(&t->mu);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void http_log(const char *level, const char *msg, ...)
{
	char ts[21];
	clock_stamp(ts);
	json_t *o = json_pack("{s:s, s:s, s:s}", "ts", ts, "level", level, "msg", msg);
	va_list ap;
	va_start(ap, msg);
	const char *k;
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		json_object_set_new(o, k, json_string(v ? v : ""));
	}
	va_end(ap);
	char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (line) {
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	json_decref(o);
}

/* Matches path against pattern segment by segment; captures {x} segments into req. */
static int match(const char *pattern, const char *path, struct http_req *req)
{
	const char *p = pattern, *u = path;
	size_t n = 0;
	char *caps[HTTP_MAX_PARAMS];
	while (*p && *u) {
		if (*p != '/' || *u != '/')
			goto no;
		p++, u++;
		const char *pe = strchr(p, '/'), *ue = strchr(u, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), ul = ue ? (size_t)(ue - u) : strlen(u);
		if (pl > 1 && p[0] == '{') {
			if (ul == 0 || n == HTTP_MAX_PARAMS)
				goto no;
			caps[n++] = strndup(u, ul);
		} else if (pl != ul || strncmp(p, u, pl) != 0) {
			goto no;
		}
		p += pl, u += ul;
	}
	if (*p || *u)
		goto no;
	if (req) {
		for (size_t i = 0; i < n; i++)
			req->params[i] = caps[i];
		req->nparams = n;
	} else {
		for (size_t i = 0; i < n; i++)
			free(caps[i]);
	}
	return 1;
no:
	for (size_t i = 0; i < n; i++)
		free(caps[i]);
	return 0;
}

const struct http_route *http_route_find(const struct http_route *routes, size_t nroutes, const char *method,
					 const char *path, struct http_req *req, struct buf *allow)
{
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	for (size_t i = 0; i < nroutes; i++) {
		const struct http_route *r = &routes[i];
		if (strcmp(r->method, m) != 0) {
			if (allow && match(r->pattern, path, NULL))
				buf_printf(allow, "%s%s", allow->len ? ", " : "", r->method);
			continue;
		}
		if (match(r->pattern, path, req))
			return r;
	}
	return NULL;
}

const char *http_param(const struct http_req *req, size_t i)
{
	return i < req->nparams ? req->params[i] : NULL;
}

const char *http_query(const struct http_req *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_client_addr(const struct http_req *req)
{
	return req->client;
}

int http_proxy_list_valid(const char *list)
{
	return guard_list_valid(list);
}

int http_tls_supported(void)
{
	return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES;
}

void http_reply_bytes(struct http_resp *resp, int status, const char *ctype, char *data, size_t len)
{
	free(resp->body);
	resp->status = status;
	resp->ctype = ctype;
	resp->body = data;
	resp->len = len;
}

void http_reply_json(struct http_resp *resp, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(body);
	if (!s) {
		http_reply_key(resp, 500, "internal", KEY_internal);
		return;
	}
	http_reply_bytes(resp, status, "application/json; charset=utf-8", s, strlen(s));
}

void http_reply_error(struct http_resp *resp, int status, const char *code, const struct nrm_err *e)
{
	json_t *params = json_object();
	for (int i = 0; i < e->nparams; i++)
		json_object_set_new(params, e->params[i].name, json_string(e->params[i].value));
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:s}", "code", code, "key", nrm_key_name(e->key), "field",
			      e->field[0] ? json_string(e->field) : json_null(), "params", params, "message", e->msg);
	json_t *wrap = o ? json_pack("{s:o}", "error", o) : NULL;
	char *s = wrap ? json_dumps(wrap, JSON_COMPACT) : NULL;
	json_decref(wrap);
	if (!s) /* a value that is not valid UTF-8: still answer in the contract's shape */
		s = strdup("{\"error\":{\"code\":\"internal\",\"key\":\"internal\",\"field\":null,\"params\":{},"
			   "\"message\":\"internal error\"}}");
	free(resp->body);
	resp->status = status;
	resp->ctype = "application/json; charset=utf-8";
	resp->body = s;
	resp->len = s ? strlen(s) : 0;
}

void http_reply_key(struct http_resp *resp, int status, const char *code, enum nrm_key key)
{
	struct nrm_err e = {0};
	nrm_fail(&e, NRM_EIO, key, NULL, NULL);
	http_reply_error(resp, status, code, &e);
}

void http_add_header(struct http_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == HTTP_MAX_HEADERS)
		return;
	resp->hnames[resp->nheaders] = name;
	resp->hvalues[resp->nheaders] = strdup(value);
	resp->nheaders++;
}

static const char *mime_of(const char *path)
{
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
		{".png", "image/png"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof map / sizeof *map; i++)
		if (strcmp(dot, map[i][0]) == 0)
			return map[i][1];
	return "application/octet-stream";
}

static int read_file(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NRM_ENOTFOUND;
	struct stat st;
	int rc = NRM_ENOTFOUND;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 16 * 1024 * 1024)
		goto done;
	char *p = malloc((size_t)st.st_size + 1);
	if (!p) {
		rc = NRM_ENOMEM;
		goto done;
	}
	ssize_t got = read(fd, p, (size_t)st.st_size);
	if (got != st.st_size) {
		free(p);
		rc = NRM_EIO;
		goto done;
	}
	*data = p;
	*len = (size_t)got;
	rc = 0;
done:
	close(fd);
	return rc;
}

/* Static files under cfg->static_dir; a path without an extension falls back to index.html
 * so the UI's own routes survive a reload. */
static void serve_static(const struct http_config *cfg, const char *path, struct http_resp *resp)
{
	if (!cfg->static_dir || path[0] != '/' || strstr(path, "..") || strstr(path, "//") ||
	    strncmp(path, "/api/", 5) == 0) {
		http_reply_key(resp, 404, "not_found", KEY_not_found);
		return;
	}
	const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
	char full[1024];
	snprintf(full, sizeof full, "%s%s", cfg->static_dir, rel);
	char *data;
	size_t len;
	const char *last = strrchr(rel, '/');
	if (read_file(full, &data, &len) != 0) {
		if (strchr(last, '.')) {
			http_reply_key(resp, 404, "not_found", KEY_not_found);
			return;
		}
		snprintf(full, sizeof full, "%s/index.html", cfg->static_dir);
		rel = "/index.html";
		if (read_file(full, &data, &len) != 0) {
			http_reply_key(resp, 404, "not_found", KEY_not_found);
			return;
		}
	}
	http_reply_bytes(resp, 200, mime_of(rel), data, len);
	http_add_header(resp, "Cache-Control", "no-cache");
}

static enum MHD_Result send_resp(const struct http_server *srv, struct MHD_Connection *conn, struct http_resp *resp)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
	resp->body = NULL;
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", resp->ctype);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'");
	int has_cache = 0;
	for (int i = 0; i < resp->nheaders; i++) {
		MHD_add_response_header(r, resp->hnames[i], resp->hvalues[i]);
		has_cache |= strcmp(resp->hnames[i], "Cache-Control") == 0;
	}
	if (!has_cache)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	/* Served over TLS, the browser is told to use nothing else for a year. */
	if (srv->cfg.tls_cert)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void resp_clear(struct http_resp *resp)
{
	free(resp->body);
	for (int i = 0; i < resp->nheaders; i++)
		free(resp->hvalues[i]);
}

static void access_log(struct http_req *req, int status)
{
	char st[8], ms[32], uid[24];
	snprintf(st, sizeof st, "%d", status);
	snprintf(ms, sizeof ms, "%.1f", now_ms() - req->started);
	snprintf(uid, sizeof uid, "%lld", (long long)req->user_id);
	/* The route's pattern, never the path itself nor a query string: a careless client may put
	 * a person's name in either. Other requests are the UI's files and pages. */
	http_log("info", "request", "method", req->method, "route", req->route ? req->route->pattern : "(static)", "status",
		 st, "ms", ms, "user", uid, "client", req->client, "request_id", req->id, NULL);
}

/* A request's id: 64 random bits as hex. The client's own X-Request-Id is not taken: a careless
 * client could put a name in it, and it goes into the log. */
static void request_id(struct http_req *req)
{
	unsigned char r[8] = {0};
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		static _Atomic unsigned long long seq;
		unsigned long long n = ++seq;
		memcpy(r, &n, sizeof r);
	}
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(req->id + 2 * i, 3, "%02x", r[i]);
}

static enum MHD_Result finish(const struct http_server *srv, struct MHD_Connection *conn, struct http_req *req,
			       struct http_resp *resp)
{
	if (!resp->body)
		http_reply_key(resp, 500, "internal", KEY_internal);
	http_add_header(resp, "X-Request-Id", req->id);
	access_log(req, resp->status);
	http_metrics_count(req->route ? (size_t)(req->route - srv->cfg.routes) : srv->cfg.nroutes, resp->status,
			   (now_ms() - req->started) / 1e3);
	guard_phase_reply(srv->guard, req->conn_guard, resp->len);
	enum MHD_Result r = send_resp(srv, conn, resp);
	resp_clear(resp);
	return r;
}

/* Every X-Forwarded-For header of the request, in order, joined with ",". */
static enum MHD_Result gather_xff(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct buf *b = cls;
	if (value && strcasecmp(key, "X-Forwarded-For") == 0 && b->len < 4096)
		buf_printf(b, "%s%s", b->len ? "," : "", value);
	return MHD_YES;
}

struct framing {
	int lengths, chunked;
	char first[32];
	bool differ;
};

static enum MHD_Result gather_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct framing *f = cls;
	if (strcasecmp(key, "Transfer-Encoding") == 0)
		f->chunked++;
	if (strcasecmp(key, "Content-Length") == 0 && value) {
		if (f->lengths++ == 0)
			snprintf(f->first, sizeof f->first, "%s", value);
		else if (strcmp(f->first, value) != 0)
			f->differ = true;
	}
	return MHD_YES;
}

/* A request that gives its length in two ways (Content-Length beside Transfer-Encoding, or two
 * lengths that differ) could be read one way here and another by a proxy in front: RFC 9112
 * (6.3) says to refuse it and close the connection, so nothing after it is read as a request. */
static bool ambiguous_framing(struct MHD_Connection *conn)
{
	struct framing f = {0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, gather_framing, &f);
	return (f.chunked && f.lengths) || f.differ;
}

/* Names the client, and counts the request against its limits: 0 to go on, or the refusal
 * (429 with Retry-After) in resp. */
static int count_client(struct http_server *srv, struct MHD_Connection *conn, struct http_req *req,
			struct http_resp *resp)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	req->conn_guard = ci ? ci->socket_context : NULL;
	struct buf xff = {0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, gather_xff, &xff);
	guard_client(srv->guard, req->conn_guard, xff.len ? xff.p : NULL, req->client);
	buf_free(&xff);
	int wait = guard_request_begin(srv->guard, req->client);
	if (!wait) {
		req->counted = 1;
		return 0;
	}
	char secs[16];
	snprintf(secs, sizeof secs, "%d", wait);
	struct nrm_err e = {0};
	nrm_fail(&e, NRM_EBUSY, KEY_too_many_requests, NULL, "seconds", secs, NULL);
	http_reply_error(resp, 429, "too_many_requests", &e);
	http_add_header(resp, "Retry-After", secs);
	return -1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	struct http_resp resp = {.status = 500};

	if (!req) {
		req = calloc(1, sizeof *req);
		if (!req)
			return MHD_NO;
		req->conn = conn;
		req->method = method;
		req->path = url;
		req->started = now_ms();
		request_id(req);
		*con_cls = req;
		req->route = http_route_find(srv->cfg.routes, srv->cfg.nroutes, method, url, req, NULL);
		if (count_client(srv, conn, req, &resp) != 0)
			return finish(srv, conn, req, &resp);
		if (ambiguous_framing(conn)) {
			http_reply_key(&resp, 400, "ambiguous_length", KEY_ambiguous_length);
			http_add_header(&resp, "Connection", "close");
			return finish(srv, conn, req, &resp);
		}
		if (req->route && srv->cfg.admit && srv->cfg.admit(req, &resp) != 0)
			return finish(srv, conn, req, &resp);
		size_t max = req->route && req->route->max_body ? req->route->max_body : HTTP_DEFAULT_MAX_BODY;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : max;
		if (declared > max) {
			http_reply_key(&resp, 413, "too_large", KEY_too_large);
			return finish(srv, conn, req, &resp);
		}
		/* The body is given time for what it declares (at most the route's limit). */
		guard_phase_body(srv->guard, req->conn_guard, (size_t)declared);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t max = req->route && req->route->max_body ? req->route->max_body : HTTP_DEFAULT_MAX_BODY;
		if (!req->too_big && req->body.len + *upload_size <= max) {
			if (buf_append(&req->body, upload, *upload_size))
				req->too_big = 1;
		} else {
			req->too_big = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	guard_phase_handler(srv->guard, req->conn_guard);
	if (req->too_big) {
		http_reply_key(&resp, 413, "too_large", KEY_too_large);
	} else if (req->route) {
		bool apart = false;
		for (size_t i = 0; i < srv->cfg.napart; i++)
			apart |= srv->cfg.apart[i] == req->route->fn;
		if (!apart)
			turn_take(&srv->turns);
		srv->cfg.dispatch(req, &resp);
		if (!apart)
			turn_give(&srv->turns);
	} else {
		struct buf allow = {0};
		http_route_find(srv->cfg.routes, srv->cfg.nroutes, method, url, NULL, &allow);
		if (allow.len) {
			http_reply_key(&resp, 405, "method_not_allowed", KEY_method_not_allowed);
			http_add_header(&resp, "Allow", allow.p);
		} else if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
			serve_static(&srv->cfg, url, &resp);
		} else {
			http_reply_key(&resp, 404, "not_found", KEY_not_found);
		}
		buf_free(&allow);
	}
	return finish(srv, conn, req, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc)
{
	(void)conn, (void)tc;
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	if (!req)
		return;
	if (req->counted)
		guard_request_done(srv->guard, req->client);
	guard_phase_idle(srv->guard, req->conn_guard);
	for (size_t i = 0; i < req->nparams; i++)
		free(req->params[i]);
	buf_free(&req->body);
	free(req);
	*con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	http_log("warn", "http", "detail", msg, NULL);
}

size_t http_unescape(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
			char hex[3] = {r[1], r[2], 0};
			long v = strtol(hex, NULL, 16);
			if (v != 0) {
				*w++ = (char)v;
				r += 2;
				continue;
			}
		}
		*w++ = *r;
	}
	*w = 0;
	return (size_t)(w - s);
}

static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return http_unescape(s);
}

/* Each connection gets its deadline from its start (libmicrohttpd's socket context); it is
 * reported closed before its socket is closed (see http/guard.c). */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ad = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context = fd ? guard_opened(srv->guard, ad ? ad->client_addr : NULL, fd->connect_fd) : NULL;
	} else {
		guard_closed(srv->guard, *socket_context);
		*socket_context = NULL;
	}
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)addrlen;
	struct http_server *srv = cls;
	if (guard_accept(srv->guard, addr))
		return MHD_YES;
	char peer[GUARD_ADDR_LEN];
	guard_addr_text(addr, peer);
	http_log("warn", "connection refused: too many from one address", "peer", peer, NULL);
	return MHD_NO;
}

int http_server_start(const struct http_config *cfg, struct http_server **out, int *port)
{
	if (http_metrics_init(cfg->nroutes))
		return NRM_ENOMEM;
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, cfg->host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		return NRM_EINVAL;
	}
	if (cfg->tls_cert && !http_tls_supported())
		return NRM_EINVAL;
	struct http_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NRM_ENOMEM;
	srv->cfg = *cfg;
	int rc = guard_new(&cfg->limits, &srv->guard);
	if (rc) {
		free(srv);
		return rc;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	srv->turns.max = cfg->limits.max_active ? cfg->limits.max_active : (unsigned)(cores > 0 ? cores : 1) * 2 + 2;
	pthread_mutex_init(&srv->turns.mu, NULL);
	/* A thread per connection: a handler may block (a login's Argon2id, a PDF, waiting for the
	 * database's writer) without holding up any other connection, as it would in a pool of
	 * event loops. What a thread costs is bounded by the deadlines, the per-address
	 * connection limit (which does not apply to a trusted proxy: behind it are all users) and
	 * the total below. libmicrohttpd's idle timeout stays as a last resort only. */
	struct MHD_OptionItem opts[16] = {
		{MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_error, NULL},
		{MHD_OPTION_SOCK_ADDR, 0, &ss},
		{MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
		{MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv},
		{MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL},
		{MHD_OPTION_CONNECTION_LIMIT, 1000, NULL},
		{MHD_OPTION_CONNECTION_TIMEOUT, 120, NULL},
		{MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
	};
	int n = 8;
	if (cfg->tls_cert) {
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)cfg->tls_cert};
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)cfg->tls_key};
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
						    (void *)(uintptr_t)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"};
	}
	opts[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	srv->d = MHD_start_daemon(flags, (uint16_t)cfg->port, on_accept, srv, on_request, srv, MHD_OPTION_ARRAY, opts,
				  MHD_OPTION_END);
	if (!srv->d) {
		guard_free(srv->guard);
		pthread_mutex_destroy(&srv->turns.mu);
		free(srv);
		return NRM_EIO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : cfg->port;
	*out = srv;
	return 0;
}

void http_server_stop(struct http_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->d);
	guard_free(srv->guard);
	pthread_mutex_destroy(&srv->turns.mu);
	free(srv);
}
