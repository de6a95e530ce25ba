/* Availability under load and abuse: who the client is (a forwarded address only from a
 * trusted proxy), per-client limits, the deadline of a slow request, and writers that wait
 * for the database rather than fail. Clients come from different loopback addresses
 * (127.0.0.N), as different machines would. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* 127.0.0.2 plays the reverse proxy. The rate is low so a test sees the limit with a few
 * requests; the head of a request must arrive within a second. */
static const char *const opts[] = {"--trusted-proxy",	 "127.0.0.2",  "--client-rate", "1", "--client-burst", "5",
				   "--client-connections", "4", "--header-timeout", "1", NULL};
static struct server srv;

static void setup(void)
{
	server_start_with(&srv, opts);
}

static void teardown(void)
{
	server_stop(&srv);
}
TestSuite(avail, .init = setup, .fini = teardown, .timeout = 120);

static size_t keep(char *p, size_t size, size_t n, void *ud)
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

/* One request from the loopback address src, with X-Forwarded-For xff (NULL: none), the
 * session cookie and CSRF token when given, a JSON body when given. */
static struct reply request_from(const char *src, const char *xff, const char *method, const char *path,
				 const char *session, const char *csrf, const char *body)
{
	struct reply r = {0};
	CURL *cu = curl_easy_init();
	char url[256], iface[64], h1[200], h2[200];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
	snprintf(iface, sizeof iface, "host!%s", src);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_INTERFACE, iface);
	curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 60L);
	struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
	if (xff) {
		snprintf(h1, sizeof h1, "X-Forwarded-For: %s", xff);
		hl = curl_slist_append(hl, h1);
	}
	if (csrf) {
		snprintf(h2, sizeof h2, "X-CSRF-Token: %s", csrf);
		hl = curl_slist_append(hl, h2);
	}
	if (body) {
		hl = curl_slist_append(hl, "Content-Type: application/json");
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	}
	if (session) {
		char cookie[200];
		snprintf(cookie, sizeof cookie, "nrm_session=%s", session);
		curl_easy_setopt(cu, CURLOPT_COOKIE, cookie);
	}
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, keep_header);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, &r.headers);
	CURLcode rc = curl_easy_perform(cu);
	curl_slist_free_all(hl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_cleanup(cu);
	if (r.body)
		r.json = json_loadb(r.body, r.len, 0, NULL);
	return r;
}

static long status_from(const char *src, const char *xff)
{
	struct reply r = request_from(src, xff, "GET", "/healthz", NULL, NULL, NULL);
	long st = r.status;
	reply_free(&r);
	return st;
}

/* How many of n requests from src (each with X-Forwarded-For xff_i when xff_fmt is given)
 * were refused with 429. */
static int refused_of(const char *src, const char *xff_fmt, int n)
{
	int refused = 0;
	for (int i = 0; i < n; i++) {
		char xff[64];
		if (xff_fmt)
			snprintf(xff, sizeof xff, xff_fmt, i);
		long st = status_from(src, xff_fmt ? xff : NULL);
		cr_assert(st == 200 || st == 429, "status %ld", st);
		refused += st == 429;
	}
	return refused;
}

static int log_has(const char *text)
{
	char *log = file_read(srv.log, NULL);
	int has = log && strstr(log, text) != NULL;
	free(log);
	return has;
}

Test(avail, a_forwarded_address_counts_only_when_a_trusted_proxy_sends_it)
{
	/* Twelve requests through the proxy, each for another client: none of them is over its
	 * limit (a burst of 5), so none is refused. */
	cr_expect_eq(refused_of("127.0.0.2", "10.1.0.%d", 12), 0);
	/* The same twelve headers from a peer that is not a trusted proxy are its own lie: they
	 * all count against that peer, which runs out after five (at one more a second). */
	cr_expect_gt(refused_of("127.0.0.3", "10.2.0.%d", 12), 0);
	/* Through the proxy, only the right-most address that is not the proxy's counts: what the
	 * client itself wrote to the left of it is not believed. */
	cr_expect_eq(status_from("127.0.0.2", "6.6.6.6, 10.3.0.7"), 200);
	cr_expect(log_has("\"client\":\"10.3.0.7\""));
	cr_expect(log_has("\"client\":\"10.1.0.11\""));
	cr_expect(log_has("\"client\":\"127.0.0.3\""));
	cr_expect(!log_has("6.6.6.6"));
	cr_expect(!log_has("\"client\":\"10.2.0."));
	/* The proxy's own address lists: a chain of trusted proxies is walked through. */
	cr_expect_eq(status_from("127.0.0.2", "10.3.0.8, 127.0.0.2"), 200);
	cr_expect(log_has("\"client\":\"10.3.0.8\""));
}

Test(avail, a_client_over_its_rate_is_told_to_wait)
{
	struct reply r = {0};
	int i = 0;
	for (; i < 30; i++) {
		r = request_from("127.0.0.4", NULL, "GET", "/api/v1/counties", NULL, NULL, NULL);
		if (r.status == 429)
			break;
		cr_assert_eq(r.status, 401, "%ld %s", r.status, r.body);
		reply_free(&r);
	}
	cr_assert_eq(r.status, 429, "never refused");
	cr_expect_geq(i, 5, "refused within its burst");
	cr_expect_str_eq(jstr(r.json, "error.code"), "too_many_requests");
	cr_expect_str_eq(jstr(r.json, "error.key"), "too_many_requests");
	cr_expect(strtol(jstr(r.json, "error.params.seconds"), NULL, 10) >= 1);
	cr_expect_not_null(strstr(r.headers, "\r\nRetry-After: "), "%s", r.headers);
	/* Plain HTTP: no promise of HTTPS (that is for --tls-cert, or the TLS proxy, to make). */
	cr_expect_null(strstr(r.headers, "Strict-Transport-Security"), "%s", r.headers);
	reply_free(&r);
	/* Another client is not held up by it. */
	cr_expect_eq(status_from("127.0.0.14", NULL), 200);
}

/* A TCP connection from the loopback address src to the server. */
static int connect_from(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, src, &a.sin_addr);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0, "bind %s: %s", src, strerror(errno));
	a.sin_port = htons((uint16_t)srv.port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* Sends text a byte every 250 ms (four times within any idle timeout); returns how many bytes
 * went before the server closed the connection (the whole length when it never did). */
static size_t trickle(int fd, const char *text)
{
	size_t n = strlen(text), i = 0;
	for (; i < n; i++) {
		if (send(fd, text + i, 1, MSG_NOSIGNAL) != 1)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 250) > 0) {
			char b[512];
			ssize_t got = recv(fd, b, sizeof b, 0);
			if (got <= 0)
				break;
		}
	}
	return i;
}

Test(avail, a_request_trickling_its_head_is_cut_at_the_deadline)
{
	/* 80 bytes at four a second would take 20 s: the head must be whole within 1 s. */
	const char *head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
	int fd = connect_from("127.0.0.5");
	size_t sent = trickle(fd, head);
	close(fd);
	cr_expect_lt(sent, strlen(head), "the whole head went through");
	cr_expect(log_has("\"msg\":\"connection past its deadline cut\",\"peer\":\"127.0.0.5\",\"phase\":\"head\""));
	cr_expect_eq(status_from("127.0.0.5", NULL), 200);
}

Test(avail, a_request_trickling_its_body_is_cut_at_the_deadline)
{
	/* The head at once; then a body of 200 bytes, which is given 1 s plus its size's worth. */
	const char *head = "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
			   "Content-Length: 200\r\n\r\n";
	char body[201];
	memset(body, ' ', 200);
	body[200] = '\0';
	int fd = connect_from("127.0.0.6");
	cr_assert_eq(send(fd, head, strlen(head), MSG_NOSIGNAL), (ssize_t)strlen(head));
	size_t sent = trickle(fd, body);
	close(fd);
	cr_expect_lt(sent, 200, "the whole body went through");
	cr_expect(log_has("\"msg\":\"connection past its deadline cut\",\"peer\":\"127.0.0.6\",\"phase\":\"body\""));
}

Test(avail, connections_from_one_address_are_limited_but_not_from_a_trusted_proxy)
{
	int fds[4];
	const char *get = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	char b[2048];
	for (int i = 0; i < 4; i++) {
		fds[i] = connect_from("127.0.0.7");
		/* An answer shows the server has the connection. */
		cr_assert_eq(send(fds[i], get, strlen(get), MSG_NOSIGNAL), (ssize_t)strlen(get));
		cr_assert_gt(recv(fds[i], b, sizeof b, 0), 0);
	}
	/* The fifth is closed unanswered. */
	int fifth = connect_from("127.0.0.7");
	send(fifth, get, strlen(get), MSG_NOSIGNAL);
	struct pollfd p = {.fd = fifth, .events = POLLIN};
	cr_expect_gt(poll(&p, 1, 5000), 0);
	cr_expect_leq(recv(fifth, b, sizeof b, 0), 0, "the fifth connection was answered");
	close(fifth);
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	/* A trusted proxy carries many users: it may hold more. */
	int many[8];
	for (int i = 0; i < 8; i++) {
		many[i] = connect_from("127.0.0.2");
		char req[200];
		snprintf(req, sizeof req, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 10.4.0.%d\r\n\r\n", i);
		cr_assert_eq(send(many[i], req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
		ssize_t got = recv(many[i], b, sizeof b - 1, 0);
		cr_assert_gt(got, 0, "connection %d through the proxy refused", i);
		b[got] = '\0';
		cr_expect_not_null(strstr(b, "200 OK"), "%s", b);
	}
	for (int i = 0; i < 8; i++)
		close(many[i]);
}

/* Twenty writers at once. */
struct writer {
	int n;
	const char *session, *csrf;
	long long institution;
	int created, failed;
	long last_status;
};

static void *write_cases(void *arg)
{
	struct writer *w = arg;
	char xff[32], body[1400];
	snprintf(xff, sizeof xff, "10.5.0.%d", w->n);
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof body,
			 "{\"fields\":{\"prs_FirstName\":\"Writer\",\"prs_SecondName\":\"Concurrent\",\"prs_Gender\":\"Feminine\","
			 "\"prs_Birthdate\":\"2001-03-04\",\"al_identification_date\":\"2026-10-01\","
			 "\"al_identifying_institution\":%lld,\"al_identification_method\":\"police\",\"al_county\":\"fier\","
			 "\"al_municipality\":\"patos\",\"al_indicators_a\":[\"A01\"],\"al_indicators_c\":[\"C01\"],"
			 "\"vic_TypeOfExploitation\":[\"ForcedBegging\"],\"al_documents\":[{\"al_document_type\":\"passport\","
			 "\"al_document_number\":\"W%02d%d\"}]}}",
			 w->institution, w->n, i);
		struct reply r = request_from("127.0.0.2", xff, "POST", "/api/v1/cases", w->session, w->csrf, body);
		if (r.status == 201)
			w->created++;
		else
			w->failed++, w->last_status = r.status;
		reply_free(&r);
	}
	return NULL;
}

Test(avail, twenty_writers_at_once_all_succeed)
{
	struct reply r = request_from("127.0.0.2", "10.5.1.1", "POST", "/api/v1/session", NULL, NULL,
				      "{\"username\":\"fier.caseworker\",\"password\":\"demo\"}");
	cr_assert_eq(r.status, 200, "%s", r.body);
	char csrf[128], session[160] = "";
	snprintf(csrf, sizeof csrf, "%s", jstr(r.json, "csrf"));
	const char *c = strstr(r.headers, "nrm_session=");
	cr_assert_not_null(c);
	snprintf(session, sizeof session, "%.*s", (int)strcspn(c + 12, ";\r\n"), c + 12);
	reply_free(&r);
	r = request_from("127.0.0.2", "10.5.1.1", "GET", "/api/v1/session", session, NULL, NULL);
	long long institution = jint(r.json, "user.institution");
	reply_free(&r);
	long long before = db_int(&srv, "SELECT count(*) FROM cases");
	struct writer w[20];
	pthread_t t[20];
	for (int i = 0; i < 20; i++) {
		w[i] = (struct writer){.n = i, .session = session, .csrf = csrf, .institution = institution};
		cr_assert_eq(pthread_create(&t[i], NULL, write_cases, &w[i]), 0);
	}
	int created = 0;
	for (int i = 0; i < 20; i++) {
		pthread_join(t[i], NULL);
		created += w[i].created;
		cr_expect_eq(w[i].failed, 0, "writer %d: %d failed, the last with %ld", i, w[i].failed, w[i].last_status);
	}
	cr_expect_eq(created, 60);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM cases") - before, 60);
}

/* Everything the server answers on one connection after sending `text` (until it closes it, or
 * 3 s pass). */
static void exchange(int fd, const char *text, char *out, size_t cap)
{
	cr_assert_eq(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
	size_t n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (n + 1 < cap && poll(&p, 1, 3000) > 0) {
		ssize_t got = recv(fd, out + n, cap - 1 - n, 0);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	out[n] = '\0';
}

Test(avail, a_request_that_gives_its_length_two_ways_is_refused_and_nothing_after_it_is_read)
{
	/* Chunked with a Content-Length as well: a proxy that believes the length would pass on the
	 * "GET /healthz" as the body; a server that reads chunks would take it as a second request. */
	const char *smuggle = "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
			      "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
			      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	char got[8192];
	int fd = connect_from("127.0.0.21");
	exchange(fd, smuggle, got, sizeof got);
	close(fd);
	cr_expect(strncmp(got, "HTTP/1.1 400", 12) == 0, "%s", got);
	cr_expect_not_null(strstr(got, "\"key\":\"ambiguous_length\""), "%s", got);
	cr_expect_null(strstr(got + 1, "HTTP/1.1 "), "a second answer, to what followed: %s", got);
	/* Two lengths that differ. */
	fd = connect_from("127.0.0.21");
	exchange(fd, "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
		     "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
		 got, sizeof got);
	close(fd);
	cr_expect(strncmp(got, "HTTP/1.1 400", 12) == 0, "%s", got);
	cr_expect_not_null(strstr(got, "\"key\":\"ambiguous_length\""), "%s", got);
	/* One length, said once, as ever. */
	fd = connect_from("127.0.0.21");
	exchange(fd, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", got, sizeof got);
	close(fd);
	cr_expect(strncmp(got, "HTTP/1.1 200", 12) == 0, "%s", got);
}
