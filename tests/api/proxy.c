/* nrm behind nginx, set up as docs/deploy.md says: nginx ends TLS and adds the client's
 * address to X-Forwarded-For; nrm trusts that header from nginx only, so the client's address
 * passes through and each client has its own limits. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static const char *const opts[] = {"--trusted-proxy", "127.0.0.1", "--client-rate", "1", "--client-burst", "5",
				   "--secure-cookies", NULL};
static struct server srv;
static pid_t nginx;
static int port;
static char cert[400], key[400];

/* A port free at the moment (nginx is told a number; the small race is the test's). */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t len = sizeof a;
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	return ntohs(a.sin_port);
}

static void setup(void)
{
	server_start_with(&srv, opts);
	char dir[320], conf[400], cmd[1200];
	snprintf(dir, sizeof dir, "%s/nginx", srv.dir);
	snprintf(cmd, sizeof cmd, "mkdir -p %s/logs %s/tmp", dir, dir);
	cr_assert_eq(system(cmd), 0);
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout %s -out %s "
		 "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null",
		 key, cert);
	cr_assert_eq(system(cmd), 0, "openssl could not make a certificate");
	port = free_port();
	snprintf(conf, sizeof conf, "%s/nginx.conf", dir);
	char text[4096];
	/* The proxy's part of docs/deploy.md, on loopback ports and in the test's folder. */
	snprintf(text, sizeof text,
		 "pid %s/nginx.pid;\n"
		 "error_log %s/logs/error.log;\n"
		 "events { worker_connections 256; }\n"
		 "http {\n"
		 "  access_log off;\n"
		 "  client_body_temp_path %s/tmp/body; proxy_temp_path %s/tmp/proxy;\n"
		 "  fastcgi_temp_path %s/tmp/fcgi; uwsgi_temp_path %s/tmp/uwsgi; scgi_temp_path %s/tmp/scgi;\n"
		 "  upstream nrm { server 127.0.0.1:%d; keepalive 16; }\n"
		 "  server {\n"
		 "    listen 127.0.0.1:%d ssl;\n"
		 "    ssl_certificate %s; ssl_certificate_key %s;\n"
		 "    ssl_protocols TLSv1.2 TLSv1.3;\n"
		 "    add_header Strict-Transport-Security \"max-age=31536000\" always;\n"
		 "    client_header_timeout 10s; client_body_timeout 10s; send_timeout 30s; keepalive_timeout 30s;\n"
		 "    client_max_body_size 11m;\n"
		 "    location / {\n"
		 "      proxy_pass http://nrm;\n"
		 "      proxy_http_version 1.1;\n"
		 "      proxy_set_header Connection \"\";\n"
		 "      proxy_set_header Host $host;\n"
		 "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
		 "      proxy_set_header X-Forwarded-Proto $scheme;\n"
		 "      proxy_request_buffering on;\n"
		 "      proxy_connect_timeout 5s; proxy_send_timeout 60s; proxy_read_timeout 120s;\n"
		 "    }\n"
		 "  }\n"
		 "}\n",
		 dir, dir, dir, dir, dir, dir, dir, srv.port, port, cert, key);
	file_write(conf, text);
	char elog[400];
	snprintf(elog, sizeof elog, "%s/logs/error.log", dir);
	nginx = fork();
	if (nginx == 0) {
		execl("/usr/sbin/nginx", "nginx", "-p", dir, "-c", conf, "-e", elog, "-g", "daemon off; master_process off;",
		      (char *)NULL);
		_exit(127);
	}
	/* Ready when it answers. */
	for (int i = 0; i < 500; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
		inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
		int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
		close(fd);
		if (ok)
			return;
		int st;
		cr_assert_eq(waitpid(nginx, &st, WNOHANG), 0, "nginx exited early (see %s)", elog);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	cr_assert_fail("nginx did not start");
}

static void teardown(void)
{
	if (nginx > 0) {
		kill(nginx, SIGTERM);
		waitpid(nginx, NULL, 0);
	}
	server_stop(&srv);
}
TestSuite(proxy, .init = setup, .fini = teardown, .timeout = 60);

static size_t keep_header(char *p, size_t size, size_t n, void *ud)
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

static size_t drop(char *p, size_t size, size_t n, void *ud)
{
	(void)p, (void)ud;
	return size * n;
}

/* A request through nginx from the loopback address src (with its own X-Forwarded-For when
 * xff is given); the status, and the headers when wanted. */
static long via_nginx(const char *src, const char *xff, const char *path, const char *body, char **headers)
{
	CURL *cu = curl_easy_init();
	char url[200], iface[64], h[120];
	snprintf(url, sizeof url, "https://127.0.0.1:%d%s", port, path);
	snprintf(iface, sizeof iface, "host!%s", src);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_INTERFACE, iface);
	curl_easy_setopt(cu, CURLOPT_CAINFO, cert);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 30L);
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
	if (xff) {
		snprintf(h, sizeof h, "X-Forwarded-For: %s", xff);
		hl = curl_slist_append(hl, h);
	}
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	if (body)
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, drop);
	char *mine = NULL;
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, keep_header);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, headers ? headers : &mine);
	long status = 0;
	CURLcode rc = curl_easy_perform(cu);
	cr_assert_eq(rc, CURLE_OK, "%s", curl_easy_strerror(rc));
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(cu);
	free(mine);
	return status;
}

static int log_has(const char *text)
{
	char *log = file_read(srv.log, NULL);
	int has = log && strstr(log, text) != NULL;
	free(log);
	return has;
}

Test(proxy, behind_nginx_the_client_address_passes_through_and_limits_apply_per_client)
{
	int refused = 0;
	char *h = NULL;
	for (int i = 0; i < 12; i++) {
		char *hh = NULL;
		long st = via_nginx("127.0.0.8", NULL, "/healthz", NULL, &hh);
		cr_assert(st == 200 || st == 429, "status %ld", st);
		if (st == 429 && !h)
			h = hh;
		else
			free(hh);
		refused += st == 429;
	}
	cr_expect_gt(refused, 0, "one client was never limited");
	cr_assert_not_null(h);
	cr_expect_not_null(strstr(h, "\r\nRetry-After: "), "%s", h);
	free(h);
	/* Another client behind the same proxy is not. */
	cr_expect_eq(via_nginx("127.0.0.9", NULL, "/healthz", NULL, NULL), 200);
	cr_expect(log_has("\"client\":\"127.0.0.8\""));
	cr_expect(log_has("\"client\":\"127.0.0.9\""));
	/* A client's own X-Forwarded-For is kept left of the address nginx saw, and not believed. */
	cr_expect_eq(via_nginx("127.0.0.10", "6.6.6.6", "/healthz", NULL, NULL), 200);
	cr_expect(log_has("\"client\":\"127.0.0.10\""));
	cr_expect(!log_has("6.6.6.6"));
}

Test(proxy, behind_nginx_the_session_cookie_is_secure_and_https_is_kept_to)
{
	char *h = NULL;
	cr_assert_eq(via_nginx("127.0.0.11", NULL, "/api/v1/session", "{\"username\":\"fier.caseworker\",\"password\":\"demo\"}",
			       &h),
		     200);
	const char *cookie = strstr(h, "Set-Cookie: nrm_session=");
	cr_assert_not_null(cookie, "%s", h);
	char line[400];
	snprintf(line, sizeof line, "%.*s", (int)strcspn(cookie, "\r\n"), cookie);
	cr_expect_not_null(strstr(line, "; Secure"), "%s", line);
	cr_expect_not_null(strstr(h, "\r\nStrict-Transport-Security: max-age=31536000"), "%s", h);
	free(h);
}
