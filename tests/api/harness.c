/* The API test harness: server process, HTTP client, JSON path helpers. */
#define _GNU_SOURCE
#include "harness.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "secure/totp.h"

const char *nrm_bin(void)
{
	const char *b = getenv("NRM_BIN");
	return b && *b ? b : "build/nrm";
}

char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0, got;
	char *b = malloc(cap);
	while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			b = realloc(b, cap *= 2);
	}
	fclose(f);
	b[n] = '\0';
	if (len)
		*len = n;
	return b;
}

void file_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0, "%s", path);
}

void smtp_sink_start(struct smtp_sink *k)
{
	memset(k, 0, sizeof *k);
	snprintf(k->dir, sizeof k->dir, "/tmp/nrm-smtp-XXXXXX");
	cr_assert_not_null(mkdtemp(k->dir));
	k->pid = fork();
	if (k->pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		execl("/usr/bin/python3", "python3", "tests/tools/smtp_sink.py", k->dir, (char *)NULL);
		_exit(127);
	}
	char path[300];
	snprintf(path, sizeof path, "%s/port", k->dir);
	for (int i = 0; i < 1000 && !k->port; i++) {
		char *t = file_read(path, NULL);
		if (t)
			k->port = atoi(t);
		free(t);
		if (!k->port) {
			int st;
			cr_assert_eq(waitpid(k->pid, &st, WNOHANG), 0, "the SMTP sink exited early (python3-aiosmtpd?)");
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	cr_assert(k->port > 0, "the SMTP sink did not report its port");
}

int smtp_sink_wait(struct smtp_sink *k, int n)
{
	int have = 0;
	for (int i = 0; i < 3000; i++) {
		char path[300];
		snprintf(path, sizeof path, "%s/%d.json", k->dir, have + 1);
		if (access(path, F_OK) == 0) {
			have++;
			continue;
		}
		if (have >= n)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return have;
}

json_t *smtp_sink_message(struct smtp_sink *k, int i)
{
	char path[300];
	snprintf(path, sizeof path, "%s/%d.json", k->dir, i);
	return json_load_file(path, 0, NULL);
}

void smtp_sink_stop(struct smtp_sink *k)
{
	if (k->pid > 0) {
		kill(k->pid, SIGTERM);
		waitpid(k->pid, NULL, 0);
	}
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", k->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", k->dir);
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = NULL;
	int rc = -1;
	if (!in)
		return -1;
	out = fopen(to, "wb");
	if (out) {
		char b[65536];
		size_t n;
		rc = 0;
		while ((n = fread(b, 1, sizeof b, in)) > 0)
			if (fwrite(b, 1, n, out) != n)
				rc = -1;
		fclose(out);
		chmod(to, 0600);
	}
	fclose(in);
	return rc;
}

/* Reads what a temporary file received into buf (cap bytes with the NUL). */
static void take(int fd, char *buf, size_t cap)
{
	if (!buf || !cap)
		return;
	lseek(fd, 0, SEEK_SET);
	ssize_t got = read(fd, buf, cap - 1);
	buf[got > 0 ? got : 0] = '\0';
}

/* Runs nrm with its standard input, output and error in temporary files (mkstemp templates);
 * -1 when they cannot be made or the child cannot be started. */
static int run_nrm(const char *input, char *out, size_t outcap, char *err, size_t errcap, const char *arg, va_list ap)
{
	const char *argv[32] = {nrm_bin()};
	int n = 1;
	for (const char *a = arg; a && n < 31; a = va_arg(ap, const char *))
		argv[n++] = a;
	argv[n] = NULL;
	char path[3][32] = {"/tmp/nrm-test-in-XXXXXX", "/tmp/nrm-test-out-XXXXXX", "/tmp/nrm-test-err-XXXXXX"};
	int fd[3] = {-1, -1, -1}, st = 0, rc = -1;
	for (int k = 0; k < 3; k++)
		if ((fd[k] = mkstemp(path[k])) < 0)
			goto done;
	if (input && write(fd[0], input, strlen(input)) < 0)
		goto done;
	lseek(fd[0], 0, SEEK_SET);
	pid_t pid = fork();
	if (pid < 0)
		goto done;
	if (pid == 0) {
		for (int k = 0; k < 3; k++)
			dup2(fd[k], k);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	take(fd[1], out, outcap);
	take(fd[2], err, errcap);
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
done:
	for (int k = 0; k < 3; k++)
		if (fd[k] >= 0) {
			close(fd[k]);
			unlink(path[k]);
		}
	return rc;
}

int nrm_run(const char *input, char *err, size_t errcap, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int rc = run_nrm(input, NULL, 0, err, errcap, arg, ap);
	va_end(ap);
	return rc;
}

int nrm_run_out(char *out, size_t outcap, char *err, size_t errcap, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int rc = run_nrm(NULL, out, outcap, err, errcap, arg, ap);
	va_end(ap);
	return rc;
}

static void run(struct server *s, const char *now);

void server_start(struct server *s)
{
	/* A functional suite sends thousands of requests from one address within seconds (every
	 * route as every role), as no person does: the request rate per client as shipped would
	 * answer 429. The avail, proxy and accounts suites test the limits themselves. */
	static const char *const functional[] = {"--client-rate", "100000", "--client-burst", "100000", NULL};
	server_start_with(s, functional);
}

void server_start_with(struct server *s, const char *const *args)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; args && args[i] && i < 23; i++)
		s->args[i] = args[i];
	snprintf(s->dir, sizeof s->dir, "/tmp/nrm-api-XXXXXX");
	cr_assert_not_null(mkdtemp(s->dir));
	snprintf(s->db, sizeof s->db, "%s/nrm.db", s->dir);
	snprintf(s->log, sizeof s->log, "%s/serve.log", s->dir);
	const char *tmpl = getenv("NRM_TEST_TEMPLATE");
	char key[320], tkey[600];
	snprintf(key, sizeof key, "%s.key", s->db);
	if (tmpl && *tmpl) {
		snprintf(tkey, sizeof tkey, "%s.key", tmpl);
		cr_assert_eq(copy_file(tmpl, s->db), 0, "cannot copy the template database");
		cr_assert_eq(copy_file(tkey, key), 0, "cannot copy the template key");
	} else {
		cr_assert_eq(nrm_run(NULL, NULL, 0, "init", "--db", s->db, "--demo", "--no-demo-cases", NULL), 0);
	}
	run(s, NULL);
}

/* Starts `nrm serve` on s->db (its clock at `now` when given) and waits for its port. */
static void run(struct server *s, const char *now)
{
	s->port = 0;
	/* A log of an earlier run must not be read for this one's port. */
	unlink(s->log);
	s->pid = fork();
	if (s->pid == 0) {
		int fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		if (now)
			setenv("NRM_NOW", now, 1);
		const char *argv[40] = {nrm_bin(), "serve", "--db", s->db, "--listen", "127.0.0.1:0"};
		int n = 6;
		if (s->smtp[0]) {
			argv[n++] = "--smtp";
			argv[n++] = s->smtp;
			argv[n++] = "--mail-from";
			argv[n++] = "nrm@demo.example";
		}
		for (int i = 0; s->args[i]; i++)
			argv[n++] = s->args[i];
		argv[n] = NULL;
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !s->port; i++) {
		FILE *f = fopen(s->log, "r");
		char line[1024];
		while (f && fgets(line, sizeof line, f)) {
			/* http:// or https:// */
			char *p = strstr(line, "://127.0.0.1:");
			if (p && strstr(line, "listening on "))
				s->port = atoi(p + strlen("://127.0.0.1:"));
		}
		if (f)
			fclose(f);
		if (!s->port) {
			int st;
			cr_assert_eq(waitpid(s->pid, &st, WNOHANG), 0, "nrm serve exited early");
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	cr_assert(s->port > 0, "nrm serve did not report its port");
}

/* Stops the process (asserting a clean exit), keeping the folder. */
static void halt(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		int st = 0;
		waitpid(s->pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			/* Criterion does not count failures in a suite's .fini, so say it in a way
			 * tests/run.sh counts, with what the server printed (sanitizer reports). */
			fprintf(stderr, "NRM-FAIL: nrm serve did not exit cleanly (status %d); its log:\n", st);
			FILE *f = fopen(s->log, "r");
			char line[1024];
			while (f && fgets(line, sizeof line, f))
				if (!strstr(line, "\"msg\":\"request\""))
					fputs(line, stderr);
			if (f)
				fclose(f);
		}
		s->pid = 0;
	}
}

void server_restart(struct server *s, const char *now)
{
	halt(s);
	run(s, now);
}

void server_stop(struct server *s)
{
	halt(s);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		cr_log_warn("cannot remove %s", s->dir);
}

void client_init(struct client *c, const struct server *s)
{
	memset(c, 0, sizeof *c);
	c->curl = curl_easy_init();
	c->port = s->port;
	snprintf(c->jar, sizeof c->jar, "%s/cookies-%p", s->dir, (void *)c);
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 60L);
}

void client_free(struct client *c)
{
	curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t add = size * n;
	char *nb = realloc(r->body, r->len + add + 1);
	if (!nb)
		return 0;
	memcpy(nb + r->len, p, add);
	r->len += add;
	nb[r->len] = '\0';
	r->body = nb;
	return add;
}

static size_t collect_header(char *p, size_t size, size_t n, void *ud)
{
	char **h = ud;
	size_t old = *h ? strlen(*h) : 0, add = size * n;
	char *nh = realloc(*h, old + add + 1);
	if (!nh)
		return 0;
	memcpy(nh + old, p, add);
	nh[old + add] = '\0';
	*h = nh;
	return add;
}

static struct reply perform(struct client *c, const char *method, const char *path, const void *body, size_t len,
			    const char *const *headers, CURLcode *out);

struct reply client_raw(struct client *c, const char *method, const char *path, const void *body, size_t len,
			const char *const *headers)
{
	CURLcode rc;
	struct reply r = perform(c, method, path, body, len, headers, &rc);
	cr_assert_eq(rc, CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	return r;
}

struct reply client_try(struct client *c, const char *method, const char *path, const char *body)
{
	static const char *const json[] = {"Content-Type: application/json", NULL};
	CURLcode rc;
	return perform(c, method, path, body, body ? strlen(body) : 0, body ? json : NULL, &rc);
}

void client_share(struct client *to, const struct client *from)
{
	struct curl_slist *cookies = NULL;
	curl_easy_getinfo(from->curl, CURLINFO_COOKIELIST, &cookies);
	for (struct curl_slist *c = cookies; c; c = c->next)
		curl_easy_setopt(to->curl, CURLOPT_COOKIELIST, c->data);
	curl_slist_free_all(cookies);
	snprintf(to->csrf, sizeof to->csrf, "%s", from->csrf);
}

/* With NRM_TEST_EXCHANGES naming a folder, every exchange is appended to a file of it as one
 * JSON line — method, path, status, content type, the request's and the reply's JSON — for
 * tests/ui/contract.test.mjs to check against the OpenAPI document's schemas (tests/run.sh). */
static void record(const char *method, const char *path, const void *body, size_t len, const struct reply *r)
{
	const char *dir = getenv("NRM_TEST_EXCHANGES");
	if (!dir || !*dir)
		return;
	char type[128] = "", file[512];
	for (const char *h = r->headers; h && (h = strcasestr(h, "\ncontent-type:")); h++) {
		h += 14;
		h += strspn(h, " ");
		snprintf(type, sizeof type, "%.*s", (int)strcspn(h, ";\r\n"), h);
	}
	json_t *q = body && len ? json_loadb(body, len, 0, NULL) : NULL;
	json_t *line = json_pack("{s:s, s:s, s:i, s:s, s:o*, s:O*, s:i}", "method", method, "path", path, "status",
				 (int)r->status, "type", type, "request", q, "reply", r->json, "length", (int)r->len);
	char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
	snprintf(file, sizeof file, "%s/%d.jsonl", dir, (int)getpid());
	/* One write of the whole line to a file opened for appending: threads of one test (the
	 * crash suite's writers) do not interleave their lines. */
	int fd = text ? open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600) : -1;
	if (fd >= 0) {
		size_t n = strlen(text);
		text[n] = '\n';
		if (write(fd, text, n + 1) != (ssize_t)(n + 1))
			fprintf(stderr, "NRM_TEST_EXCHANGES: a line was not written to %s\n", file);
		text[n] = '\0';
		close(fd);
	}
	free(text);
	json_decref(line);
}

static struct reply perform(struct client *c, const char *method, const char *path, const void *body, size_t len,
			    const char *const *headers, CURLcode *out)
{
	struct reply r = {0};
	char url[1024], h[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", c->port, path);
	CURL *cu = c->curl;
	curl_easy_setopt(cu, CURLOPT_URL, url);
	/* Reset the handle to a plain GET first: a previous POST would otherwise leave curl
	 * reading a body from stdin. */
	curl_easy_setopt(cu, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(cu, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	if (body) {
		curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, method);
	struct curl_slist *hl = NULL;
	/* curl honours the first Expect header of the list: the default "no Expect" only when the
	 * caller asks for none, or a test's "Expect: 100-continue" would be sent without curl waiting
	 * for the answer, and its body would race the server's early refusal. */
	int expect = 0;
	for (const char *const *x = headers; x && *x; x++)
		expect |= strncasecmp(*x, "Expect:", 7) == 0;
	if (!expect)
		hl = curl_slist_append(hl, "Expect:");
	if (c->csrf[0]) {
		snprintf(h, sizeof h, "X-CSRF-Token: %s", c->csrf);
		hl = curl_slist_append(hl, h);
	}
	for (const char *const *x = headers; x && *x; x++)
		hl = curl_slist_append(hl, *x);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	/* A request sent with "Expect: 100-continue" waits for the server's answer before its body;
	 * curl's default of one second is short on a loaded machine. */
	curl_easy_setopt(cu, CURLOPT_EXPECT_100_TIMEOUT_MS, 10000L);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, collect_header);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, &r.headers);
	CURLcode rc = curl_easy_perform(cu);
	curl_slist_free_all(hl);
	*out = rc;
	if (rc != CURLE_OK)
		return r; /* status 0: no answer */
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &r.status);
	if (r.body)
		r.json = json_loadb(r.body, r.len, 0, NULL);
	record(method, path, body, len, &r);
	return r;
}

struct reply client_req(struct client *c, const char *method, const char *path, const char *body)
{
	static const char *const json[] = {"Content-Type: application/json", NULL};
	return client_raw(c, method, path, body, body ? strlen(body) : 0, body ? json : NULL);
}

struct reply client_get(struct client *c, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return client_req(c, "GET", path, NULL);
}

void client_login(struct client *c, const char *user, const char *password)
{
	char body[300];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
	struct reply r = client_req(c, "POST", "/api/v1/session", body);
	cr_assert_eq(r.status, 200, "login as %s: %ld %s", user, r.status, r.body);
	snprintf(c->csrf, sizeof c->csrf, "%s", jstr(r.json, "csrf"));
	bool enrol = jstr(r.json, "stage") && strcmp(jstr(r.json, "stage"), "enrol") == 0;
	reply_free(&r);
	if (enrol)
		client_enrol(c, NULL);
}

void client_enrol(struct client *c, char *secret)
{
	char code[TOTP_DIGITS + 1], body[40];
	cr_assert_eq(secure_totp_init(), 0);
	struct reply r = client_must(c, "POST", "/api/v1/me/totp", "{}", 201);
	/* The server's clock, which a test may have set (NRM_NOW). */
	cr_assert_eq(secure_totp_code(jstr(r.json, "secret"), (time_t)jint(r.json, "time"), code), 0);
	if (secret)
		snprintf(secret, 64, "%s", jstr(r.json, "secret"));
	reply_free(&r);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
	r = client_must(c, "POST", "/api/v1/me/totp/confirm", body, 200);
	reply_free(&r);
}

void reply_free(struct reply *r)
{
	json_decref(r->json);
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof *r);
}

json_t *jpath(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ".", &save); tok && j; tok = strtok_r(NULL, ".", &save)) {
		if (json_is_array(j))
			j = json_array_get(j, (size_t)atoi(tok));
		else
			j = json_object_get(j, tok);
	}
	return j;
}

const char *jstr(json_t *j, const char *path)
{
	const char *s = json_string_value(jpath(j, path));
	return s ? s : "";
}

long long jint(json_t *j, const char *path)
{
	json_t *v = jpath(j, path);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

long long db_int(const struct server *s, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

char *db_string(const struct server *s, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = strdup(sqlite3_column_type(st, 0) == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

long long body_id(struct client *c, const char *kind, const char *county)
{
	struct reply r = county ? client_get(c, "/api/v1/bodies?kind=%s&county=%s", kind, county)
				: client_get(c, "/api/v1/bodies?kind=%s", kind);
	long long id = jint(r.json, "items.0.id");
	reply_free(&r);
	return id;
}

long long seat_with(struct client *c, const char *kind, const char *county, const char *status)
{
	long long b = body_id(c, kind, county), id = -1;
	struct reply r = client_get(c, "/api/v1/bodies/%lld", b);
	size_t i;
	json_t *s;
	json_array_foreach(jpath(r.json, "seats"), i, s) {
		if (strcmp(jstr(s, "status"), status) == 0) {
			id = jint(s, "id");
			break;
		}
	}
	reply_free(&r);
	return id;
}

struct client client_as(const struct server *s, const char *user)
{
	struct client c;
	client_init(&c, s);
	client_login(&c, user, "demo");
	return c;
}

struct reply client_must(struct client *c, const char *method, const char *path, const char *json, long status)
{
	struct reply r = client_req(c, method, path, json);
	cr_assert_eq(r.status, status, "%s %s: %ld %s", method, path, r.status, r.body);
	return r;
}

void client_refused(struct client *c, const char *method, const char *path, const char *json, long status,
		    const char *key, const char *field)
{
	struct reply r = client_req(c, method, path, json);
	cr_expect_eq(r.status, status, "%s %s: %ld %s", method, path, r.status, r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), key, "%s", r.body);
	if (field)
		cr_expect_str_eq(jstr(r.json, "error.field"), field, "%s", r.body);
	reply_free(&r);
}

void reply_save(const struct reply *r, const char *path)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(r->body, 1, r->len, f), r->len);
	cr_assert_eq(fclose(f), 0);
}
