/* Composing messages, sending one over SMTP, and the thread that empties the outbox. */
#include "mail/mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/db.h"
#include "store/notice.h"

#define MAX_ATTEMPTS 5

/* base64 of s in lines of at most 76 characters (RFC 2045), each ending in CRLF. */
static int base64_lines(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t at = 0; at < n || at == 0; at += 57) {
		size_t part = n - at < 57 ? n - at : 57;
		char line[80];
		sodium_bin2base64(line, sizeof line, (const unsigned char *)s + at, part, sodium_base64_VARIANT_ORIGINAL);
		if (buf_printf(b, "%s\r\n", line))
			return NRM_ENOMEM;
		if (n == 0)
			break;
	}
	return 0;
}

/* A header value that may hold UTF-8: an RFC 2047 encoded word per piece. */
static int encoded_words(struct buf *b, const char *s)
{
	size_t n = strlen(s), at = 0;
	while (at < n) {
		/* 45 bytes make 60 base64 characters: every encoded word stays under 76. Never split
		 * a UTF-8 character. */
		size_t part = n - at < 45 ? n - at : 45;
		while (part > 1 && at + part < n && ((unsigned char)s[at + part] & 0xC0) == 0x80)
			part--;
		char word[80];
		sodium_bin2base64(word, sizeof word, (const unsigned char *)s + at, part, sodium_base64_VARIANT_ORIGINAL);
		if (buf_printf(b, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", word))
			return NRM_ENOMEM;
		at += part;
	}
	return 0;
}

/* An address fit for a header and the SMTP envelope: not empty, at most 254 octets (RFC 5321
 * §4.5.3.1.3 less the brackets), no control character (a line break would start a header of
 * the sender's choosing; others are refused by mail servers or shown as garbage), no angle
 * brackets (it is written between them). */
static bool one_line(const char *s)
{
	if (!s || !*s || strlen(s) > 254 || strpbrk(s, "<>"))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

int mail_compose(const char *from, const char *to, const char *subject, const char *text, const char *ics,
		 char **out)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (!one_line(from) || !one_line(to))
		return NRM_EINVAL;
	time_t now = clock_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	unsigned char r[12];
	char id[25];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(id, sizeof id, r, sizeof r);
	struct buf b = {0};
	int rc = buf_printf(&b,
			    "From: nrm <%s>\r\nTo: <%s>\r\nDate: %s, %02d %s %d %02d:%02d:%02d +0000\r\n"
			    "Message-ID: <%s@nrm>\r\nSubject: ",
			    from, to, days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
			    tm.tm_min, tm.tm_sec, id);
	if (!rc)
		rc = encoded_words(&b, subject);
	if (!rc)
		rc = buf_printf(&b,
				"\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
				"Content-Type: multipart/mixed; boundary=\"nrm-%s\"\r\n\r\n"
				"--nrm-%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
				id, id);
	if (!rc)
		rc = base64_lines(&b, text);
	if (!rc && ics)
		rc = buf_printf(&b,
				"--nrm-%s\r\nContent-Type: text/calendar; charset=UTF-8; method=PUBLISH; name=\"mbledhja.ics\"\r\n"
				"Content-Disposition: attachment; filename=\"mbledhja.ics\"\r\n"
				"Content-Transfer-Encoding: base64\r\n\r\n",
				id) ||
		     base64_lines(&b, ics);
	if (!rc)
		rc = buf_printf(&b, "--nrm-%s--\r\n", id);
	if (rc) {
		buf_free(&b);
		return NRM_ENOMEM;
	}
	*out = buf_take(&b);
	return 0;
}

struct reading {
	const char *p;
	size_t left;
};

static size_t feed(char *dst, size_t size, size_t n, void *arg)
{
	struct reading *r = arg;
	size_t k = size * n < r->left ? size * n : r->left;
	memcpy(dst, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

int mail_send(const char *url, const char *from, const char *to, const char *message, char *errbuf, size_t errcap)
{
	char f[320], t[320], cerr[CURL_ERROR_SIZE] = "";
	snprintf(f, sizeof f, "<%s>", from);
	snprintf(t, sizeof t, "<%s>", to);
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = curl_slist_append(NULL, t);
	if (!h || !rcpt) {
		curl_easy_cleanup(h);
		curl_slist_free_all(rcpt);
		snprintf(errbuf, errcap, "out of memory");
		return NRM_EIO;
	}
	struct reading r = {message, strlen(message)};
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, f);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	CURLcode cc = curl_easy_perform(h);
	if (cc != CURLE_OK)
		snprintf(errbuf, errcap, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return cc == CURLE_OK ? 0 : NRM_EIO;
}

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int running, started, poked;
	struct mail_config cfg;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Sends what the outbox holds; 0 when it is empty (or the database cannot be read). */
static size_t deliver(struct store *s)
{
	json_t *rows = NULL, *m;
	size_t i, done = 0;
	if (store_mail_pending(s, MAX_ATTEMPTS, 20, &rows))
		return 0;
	json_array_foreach(rows, i, m) {
		char error[300] = "";
		const char *to = json_string_value(json_object_get(m, "recipient"));
		int sent = mail_send(w.cfg.url, w.cfg.from, to ? to : "", json_string_value(json_object_get(m, "message")),
				     error, sizeof error) == 0;
		if (store_begin(s) == 0) {
			if (store_mail_attempt(s, json_integer_value(json_object_get(m, "id")), sent, sent ? NULL : error,
					       MAX_ATTEMPTS) == 0)
				store_commit(s);
			else
				store_rollback(s);
		}
		done += (size_t)sent;
	}
	json_decref(rows);
	return done;
}

static void *run(void *arg)
{
	(void)arg;
	struct store *s = NULL;
	struct nrm_err err = {0};
	pthread_mutex_lock(&w.lock);
	while (w.running) {
		pthread_mutex_unlock(&w.lock);
		if (!s && store_open(w.cfg.db_path, &s, &err) != 0)
			s = NULL;
		if (s)
			deliver(s);
		pthread_mutex_lock(&w.lock);
		if (!w.running)
			break;
		if (!w.poked) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 2;
			pthread_cond_timedwait(&w.wake, &w.lock, &until);
		}
		w.poked = 0;
	}
	pthread_mutex_unlock(&w.lock);
	store_close(s);
	return NULL;
}

int mail_worker_start(const struct mail_config *cfg)
{
	pthread_mutex_lock(&w.lock);
	w.cfg = *cfg;
	w.running = 1;
	int rc = pthread_create(&w.thread, NULL, run, NULL);
	w.started = rc == 0;
	if (rc)
		w.running = 0;
	pthread_mutex_unlock(&w.lock);
	return rc ? NRM_EIO : 0;
}

void mail_worker_wake(void)
{
	pthread_mutex_lock(&w.lock);
	w.poked = 1;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
}

void mail_worker_stop(void)
{
	pthread_mutex_lock(&w.lock);
	int started = w.started;
	w.running = 0;
	w.started = 0;
	pthread_cond_signal(&w.wake);
	pthread_mutex_unlock(&w.lock);
	if (started)
		pthread_join(w.thread, NULL);
}
