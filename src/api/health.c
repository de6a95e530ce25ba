/* What an operator's monitoring reads: GET /healthz (the database answers, its disk has room)
 * and GET /metrics (Prometheus' text format: requests, latency, database time, sessions,
 * failed logins, e-mail, the newest backup's age). Neither says anything of a person. */
#include "api/api.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "core/clock.h"
#include "http/metrics.h"
#include "secure/audit.h"
#include "store/db.h"

/* The folder of the database file (where its journal and backups' disk is). */
static void folder_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == path)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/* Bytes free to an unprivileged writer on the database's disk, or -1. */
static long long disk_free(void)
{
	char dir[4096];
	struct statvfs v;
	folder_of(api_config()->db_path, dir, sizeof dir);
	if (statvfs(dir, &v) != 0)
		return -1;
	return (long long)v.f_bavail * (long long)v.f_frsize;
}

void api_health(struct http_req *req, struct http_resp *resp)
{
	int v = store_schema_version(api_nrm(req)->db);
	if (v < 0) {
		struct nrm_err e = {0};
		api_error(resp, nrm_fail(&e, NRM_EIO, KEY_database_unavailable, NULL, NULL), &e);
		return;
	}
	/* A full disk stops every write (SQLite cannot grow its journal): told before it happens. */
	long long free_bytes = disk_free(), min = (long long)api_config()->min_free_bytes;
	bool low = free_bytes >= 0 && free_bytes < min;
	http_reply_json(resp, low ? 503 : 200,
			json_pack("{s:s, s:s, s:i, s:s, s:{s:s, s:I, s:I}}", "status", low ? "low_disk" : "ok", "version",
				  NRM_VERSION, "schema", v, "database", "ok", "disk", "status", low ? "low" : "ok",
				  "free_bytes", (json_int_t)free_bytes, "min_free_bytes", (json_int_t)min));
}

/* Seconds since the newest backup (nrm-*.backup) beside the database was written; -1: none. */
static long long backup_age(void)
{
	char dir[4200];
	secure_audit_anchor_dir(api_config()->db_path, dir, sizeof dir);
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	long long newest = -1;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, "nrm-", 4) != 0 || n < 11 || strcmp(e->d_name + n - 7, ".backup") != 0)
			continue;
		char path[4500];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && (long long)st.st_mtime > newest)
			newest = (long long)st.st_mtime;
	}
	closedir(d);
	return newest < 0 ? -1 : (long long)clock_now() - newest;
}

/* A client on this machine, asking directly: a request that came through a proxy (it carries
 * X-Forwarded-For, trusted or not) is not — a proxy on this machine makes every client look
 * local when nrm was not told to trust it. */
static bool from_this_machine(const struct http_req *req)
{
	return (strncmp(req->client, "127.", 4) == 0 || strcmp(req->client, "::1") == 0) &&
	       !http_header(req, "X-Forwarded-For");
}

static void gauge(struct buf *b, const char *name, const char *help, const char *type, const char *labels, double v)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s%s %.17g\n", name, help, name, type, name, labels, v);
}

/* A gauge with one label: a sample per key of values (an object of integers). */
static void labelled(struct buf *b, const char *name, const char *help, const char *label, json_t *values,
		     const char *const *keys)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	for (size_t i = 0; keys[i]; i++)
		buf_printf(b, "%s{%s=\"%s\"} %lld\n", name, label, keys[i],
			   (long long)json_integer_value(json_object_get(values, keys[i])));
}

void api_metrics(struct http_req *req, struct http_resp *resp)
{
	/* For the monitoring on this machine (or reached through a local proxy's tunnel): counts of
	 * use are nobody else's business. Elsewhere the route does not exist. */
	if (!from_this_machine(req)) {
		http_reply_key(resp, 404, "not_found", KEY_not_found);
		return;
	}
	json_t *m = NULL;
	if (store_metrics(api_nrm(req)->db, &m)) {
		struct nrm_err e = {0};
		api_error(resp, nrm_fail(&e, NRM_EIO, KEY_database_unavailable, NULL, NULL), &e);
		return;
	}
	struct buf b = {0};
	size_t n;
	const struct http_route *routes = api_routes(&n);
	http_metrics_text(routes, n, &b);
	uint64_t ns, statements;
	store_db_time(&ns, &statements);
	gauge(&b, "nrm_db_seconds_total", "Time SQLite spent running statements, every connection.", "counter", "",
	      (double)ns / 1e9);
	gauge(&b, "nrm_db_statements_total", "Statements SQLite ran, every connection.", "counter", "", (double)statements);
	gauge(&b, "nrm_sessions_open", "Sessions not yet expired.", "gauge", "",
	      (double)json_integer_value(json_object_get(m, "sessions")));
	json_t *lf = json_object_get(m, "login_failures"), *mail = json_object_get(m, "mail");
	static const char *const steps[] = {"password", "code", NULL}, *const statuses[] = {"queued", "failed", NULL};
	labelled(&b, "nrm_login_failures_last_hour", "Failed logins in the last hour, by step.", "step", lf, steps);
	labelled(&b, "nrm_mail_outbox", "E-mail notices waiting to be sent, and those given up on.", "status", mail,
		 statuses);
	gauge(&b, "nrm_backup_age_seconds", "Seconds since the newest backup beside the database (-1: none).", "gauge", "",
	      (double)backup_age());
	gauge(&b, "nrm_disk_free_bytes", "Bytes free on the database's disk.", "gauge", "", (double)disk_free());
	json_decref(m);
	size_t len = b.len;
	http_reply_bytes(resp, 200, "text/plain; version=0.0.4; charset=utf-8", buf_take(&b), len);
}
