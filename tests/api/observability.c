/* What an operator's monitoring sees (issue 17, point 4): every answer carries a request id that
 * its JSON log line holds too; GET /metrics, read by Prometheus' own parser, counts requests by
 * route and status with their latency, the database's time, sessions, failed logins, e-mail and
 * the newest backup's age — from this machine only, and never a path or a name; GET /healthz
 * answers 503 when the database's disk runs low. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MARKER "Qyzmarkeri"

static struct server srv;

static void stop(void)
{
	server_stop(&srv);
}
TestSuite(observability, .fini = stop, .timeout = 120);

/* The value of a header in raw response headers (into out), or false. */
static bool header(const struct reply *r, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	for (const char *p = r->headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(out, cap, "%.*s", (int)len, v);
			return true;
		}
	}
	return false;
}

/* GET /metrics as Prometheus reads it: every sample {"name{labels}": value}; asserts it parses. */
static json_t *scrape(struct client *c)
{
	struct reply r = client_get(c, "/metrics");
	cr_assert_eq(r.status, 200, "%s", r.body);
	char ctype[120], path[400], cmd[600];
	cr_assert(header(&r, "Content-Type", ctype, sizeof ctype));
	cr_expect_not_null(strstr(ctype, "text/plain"), "%s", ctype);
	cr_expect_not_null(strstr(ctype, "version=0.0.4"), "%s", ctype);
	cr_expect_null(strstr(r.body, MARKER), "no path, no name");
	snprintf(path, sizeof path, "%s/metrics.txt", srv.dir);
	file_write(path, r.body);
	reply_free(&r);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/tools/prom_check.py '%s' 2>&1", path);
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f);
	char out[1 << 17];
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	int st = pclose(f);
	cr_assert_eq(st, 0, "prom_check: %s", out);
	json_error_t je;
	json_t *all = json_loads(out, 0, &je);
	cr_assert_not_null(all, "%s: %s", je.text, out);
	return all;
}

static double sample(json_t *all, const char *key)
{
	json_t *v = json_object_get(all, key);
	return v ? json_number_value(v) : -1e9;
}

Test(observability, every_answer_carries_a_request_id_that_its_log_line_holds)
{
	server_start(&srv);
	struct client c = client_as(&srv, "fier.caseworker");
	char ids[3][40];
	const char *paths[] = {"/healthz", "/api/v1/cases?limit=1", "/api/v1/cases/FR-2099-" MARKER};
	for (int i = 0; i < 3; i++) {
		struct reply r = client_get(&c, "%s", paths[i]);
		cr_assert(header(&r, "X-Request-Id", ids[i], sizeof ids[i]), "%s: %s", paths[i], r.headers);
		cr_expect_eq(strlen(ids[i]), 16, "%s", ids[i]);
		for (const char *p = ids[i]; *p; p++)
			cr_expect(isxdigit((unsigned char)*p), "%s", ids[i]);
		reply_free(&r);
	}
	cr_expect_str_neq(ids[0], ids[1]);
	cr_expect_str_neq(ids[1], ids[2]);
	/* The log: one JSON object a line; each request's line holds its id, and the route's pattern,
	 * never the path asked for. */
	char *log = file_read(srv.log, NULL);
	cr_assert_not_null(log);
	int found = 0;
	for (char *save = NULL, *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);
		cr_expect_not_null(o, "a log line that is not JSON: %s", line);
		const char *id = json_string_value(json_object_get(o, "request_id"));
		for (int i = 0; id && i < 3; i++)
			if (strcmp(id, ids[i]) == 0) {
				found++;
				if (i == 2)
					cr_expect_str_eq(jstr(o, "route"), "/api/v1/cases/{code}");
			}
		json_decref(o);
	}
	cr_expect_eq(found, 3, "each request's id in its log line");
	free(log);
	log = file_read(srv.log, NULL);
	cr_expect_null(strstr(log, MARKER), "the path asked for is not logged");
	free(log);
	client_free(&c);
}

Test(observability, metrics_count_requests_latency_sessions_failed_logins_and_the_newest_backup)
{
	server_start(&srv);
	struct client c = client_as(&srv, "fier.caseworker"), bad;
	client_init(&bad, &srv);
	for (int i = 0; i < 3; i++) {
		struct reply r = client_get(&c, "/api/v1/cases/FR-2099-%s%d", MARKER, i);
		cr_expect_eq(r.status, 404);
		reply_free(&r);
	}
	struct reply r = client_req(&bad, "POST", "/api/v1/session", "{\"username\":\"fier.caseworker\",\"password\":\"wrong-password-1\"}");
	cr_expect_eq(r.status, 401, "%s", r.body);
	reply_free(&r);
	json_t *m = scrape(&c);
	cr_expect_eq(sample(m, "nrm_http_requests_total{method=GET,route=/api/v1/cases/{code},status=404}"), 3);
	cr_expect_eq(sample(m, "nrm_http_request_duration_seconds_count{method=GET,route=/api/v1/cases/{code}}"), 3);
	cr_expect_gt(sample(m, "nrm_http_request_duration_seconds_sum{method=GET,route=/api/v1/cases/{code}}"), 0);
	cr_expect_eq(sample(m, "nrm_http_requests_total{method=POST,route=/api/v1/session,status=401}"), 1);
	cr_expect_geq(sample(m, "nrm_sessions_open{}"), 1);
	cr_expect_eq(sample(m, "nrm_login_failures_last_hour{step=password}"), 1);
	cr_expect_eq(sample(m, "nrm_mail_outbox{status=failed}"), 0);
	cr_expect_gt(sample(m, "nrm_db_seconds_total{}"), 0);
	cr_expect_gt(sample(m, "nrm_db_statements_total{}"), 0);
	cr_expect_gt(sample(m, "nrm_disk_free_bytes{}"), 0);
	cr_expect_eq(sample(m, "nrm_backup_age_seconds{}"), -1, "no backup yet");
	json_decref(m);
	/* A backup: its age is seconds. */
	char err[4096];
	cr_assert_eq(nrm_run(NULL, err, sizeof err, "backup", "--db", srv.db, NULL), 0, "%s", err);
	m = scrape(&c);
	double age = sample(m, "nrm_backup_age_seconds{}");
	cr_expect(age >= 0 && age < 120, "%f", age);
	/* The scrapes count too. */
	cr_expect_geq(sample(m, "nrm_http_requests_total{method=GET,route=/metrics,status=200}"), 1);
	json_decref(m);
	client_free(&bad);
	client_free(&c);
}

Test(observability, metrics_are_not_served_to_another_machine)
{
	const char *args[] = {"--trusted-proxy", "127.0.0.1", NULL};
	server_start_with(&srv, args);
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_get(&c, "/metrics");
	cr_expect_eq(r.status, 200, "from this machine");
	reply_free(&r);
	/* Through a proxy, even one on this machine saying the client is local: not served. */
	const char *const local[] = {"X-Forwarded-For: 127.0.0.1", NULL};
	r = client_raw(&c, "GET", "/metrics", NULL, 0, local);
	cr_expect_eq(r.status, 404, "through a proxy: %s", r.body);
	reply_free(&r);
	/* Through the trusted proxy, for a client elsewhere: the route does not exist. */
	const char *const xff[] = {"X-Forwarded-For: 10.9.8.7", NULL};
	r = client_raw(&c, "GET", "/metrics", NULL, 0, xff);
	cr_expect_eq(r.status, 404, "%s", r.body);
	cr_expect_null(strstr(r.body, "nrm_http"), "%s", r.body);
	reply_free(&r);
	client_free(&c);
}

Test(observability, health_answers_503_when_the_database_disk_runs_low)
{
	server_start(&srv);
	struct client c;
	client_init(&c, &srv);
	struct reply r = client_get(&c, "/healthz");
	cr_expect_eq(r.status, 200, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "ok");
	cr_expect_str_eq(jstr(r.json, "database"), "ok");
	cr_expect_gt(jint(r.json, "disk.free_bytes"), 0);
	cr_expect_eq(jint(r.json, "disk.min_free_bytes"), 256LL * 1024 * 1024);
	reply_free(&r);
	client_free(&c);
	server_stop(&srv);
	/* More free space asked for than any disk here has (a petabyte). */
	const char *args[] = {"--min-free-space", "1000000000", NULL};
	server_start_with(&srv, args);
	client_init(&c, &srv);
	r = client_get(&c, "/healthz");
	cr_expect_eq(r.status, 503, "%s", r.body);
	cr_expect_str_eq(jstr(r.json, "status"), "low_disk");
	cr_expect_str_eq(jstr(r.json, "disk.status"), "low");
	reply_free(&r);
	client_free(&c);
	char err[4096];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", "/nonexistent.db", "--min-free-space", "lots", NULL), 2);
	cr_expect_not_null(strstr(err, "--min-free-space"), "%s", err);
}
