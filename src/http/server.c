/* libmicrohttpd glue: collects each request (with a per-route body limit), matches it
 * against the route table, hands it to the dispatcher, serves static files, logs access. */
#include "http/http.h"

#include <ctype.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
};

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

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct http_resp *resp)
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
		 st, "ms", ms, "user", uid, NULL);
}

static enum MHD_Result finish(struct MHD_Connection *conn, struct http_req *req, struct http_resp *resp)
{
	if (!resp->body)
		http_reply_key(resp, 500, "internal", KEY_internal);
	access_log(req, resp->status);
	enum MHD_Result r = send_resp(conn, resp);
	resp_clear(resp);
	return r;
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
		*con_cls = req;
		req->route = http_route_find(srv->cfg.routes, srv->cfg.nroutes, method, url, req, NULL);
		if (req->route && srv->cfg.admit && srv->cfg.admit(req, &resp) != 0)
			return finish(conn, req, &resp);
		size_t max = req->route && req->route->max_body ? req->route->max_body : HTTP_DEFAULT_MAX_BODY;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > max) {
			http_reply_key(&resp, 413, "too_large", KEY_too_large);
			return finish(conn, req, &resp);
		}
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
	if (req->too_big) {
		http_reply_key(&resp, 413, "too_large", KEY_too_large);
	} else if (req->route) {
		srv->cfg.dispatch(req, &resp);
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
	return finish(conn, req, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode tc)
{
	(void)cls, (void)conn, (void)tc;
	struct http_req *req = *con_cls;
	if (!req)
		return;
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


int http_server_start(const struct http_config *cfg, struct http_server **out, int *port)
{
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
	struct http_server *srv = calloc(1, sizeof *srv);
	if (!srv)
		return NRM_ENOMEM;
	srv->cfg = *cfg;
	srv->d = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, srv,
				  MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
				  MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
				  MHD_OPTION_END);
	if (!srv->d) {
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
	free(srv);
}
