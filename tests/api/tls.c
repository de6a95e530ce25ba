/* HTTPS served by nrm itself (--tls-cert, --tls-key): a certificate made for the test and
 * pinned by the client; the session cookie is Secure and browsers are told to keep to HTTPS. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct server srv;
static char dir[64], cert[128], key[128];

static void make_cert(void)
{
	snprintf(dir, sizeof dir, "/tmp/nrm-tls-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	char cmd[600];
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout %s -out %s "
		 "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null",
		 key, cert);
	cr_assert_eq(system(cmd), 0, "openssl could not make a certificate");
}

static void setup(void)
{
	make_cert();
	const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
	server_start_with(&srv, args);
}

static void teardown(void)
{
	server_stop(&srv);
	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("cannot remove %s", dir);
}
TestSuite(tls, .init = setup, .fini = teardown, .timeout = 60);

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

/* A request to the server at scheme://127.0.0.1:PORT, trusting ca (NULL: the system's store
 * only). Its curl result; status and headers when it got an answer. */
static CURLcode fetch(const char *scheme, const char *ca, const char *path, const char *body, long *status,
		      char **headers)
{
	CURL *cu = curl_easy_init();
	char url[200];
	snprintf(url, sizeof url, "%s://127.0.0.1:%d%s", scheme, srv.port, path);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 30L);
	if (ca)
		curl_easy_setopt(cu, CURLOPT_CAINFO, ca);
	struct curl_slist *hl = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
	if (body)
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, drop);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, keep_header);
	curl_easy_setopt(cu, CURLOPT_HEADERDATA, headers);
	CURLcode rc = curl_easy_perform(cu);
	*status = 0;
	if (rc == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(cu);
	return rc;
}

Test(tls, over_tls_the_session_cookie_is_secure_and_browsers_are_told_to_keep_to_https)
{
	long status;
	char *h = NULL;
	cr_assert_eq(fetch("https", cert, "/api/v1/session", "{\"username\":\"fier.caseworker\",\"password\":\"demo\"}",
			   &status, &h),
		     CURLE_OK);
	cr_expect_eq(status, 200);
	const char *cookie = strstr(h, "Set-Cookie: nrm_session=");
	cr_assert_not_null(cookie, "%s", h);
	char line[400];
	snprintf(line, sizeof line, "%.*s", (int)strcspn(cookie, "\r\n"), cookie);
	cr_expect_not_null(strstr(line, "; Secure"), "%s", line);
	cr_expect_not_null(strstr(line, "HttpOnly"), "%s", line);
	cr_expect_not_null(strstr(h, "\r\nStrict-Transport-Security: max-age=31536000"), "%s", h);
	free(h);
}

Test(tls, a_client_that_does_not_trust_the_certificate_and_plain_http_get_nothing)
{
	long status;
	char *h = NULL;
	/* Not in the system's store: a man in the middle's certificate looks the same. */
	cr_expect_eq(fetch("https", NULL, "/healthz", NULL, &status, &h), CURLE_PEER_FAILED_VERIFICATION);
	free(h);
	h = NULL;
	cr_expect_neq(fetch("http", NULL, "/healthz", NULL, &status, &h), CURLE_OK);
	cr_expect_eq(status, 0);
	free(h);
}

Test(tls, the_server_does_not_start_without_both_readable_pem_files)
{
	char err[512];
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", srv.db, "--tls-cert", cert, NULL), 2);
	cr_expect_not_null(strstr(err, "--tls-key"), "%s", err);
	cr_expect_eq(nrm_run(NULL, err, sizeof err, "serve", "--db", srv.db, "--tls-cert", cert, "--tls-key", srv.db, NULL), 2);
	cr_expect_not_null(strstr(err, "PEM"), "%s", err);
	/* A certificate with a key that is not its own. */
	char other[160], cmd[400];
	snprintf(other, sizeof other, "%s/other.pem", dir);
	snprintf(cmd, sizeof cmd, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out %s 2>/dev/null",
		 other);
	cr_assert_eq(system(cmd), 0);
	cr_expect_neq(nrm_run(NULL, err, sizeof err, "serve", "--db", srv.db, "--listen", "127.0.0.1:0", "--tls-cert", cert,
			      "--tls-key", other, NULL),
		      0);
}
