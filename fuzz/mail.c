/* Harness: composing an e-mail (mail/mail.c) from any sender, recipient, subject, text and
 * calendar attachment — the recipient's address and the subject come from what users typed.
 * The input holds the five strings separated by NUL bytes (a missing fifth: no attachment).
 * A message written is checked as a mail server would read it: CRLF line ends only, lines of
 * at most 998 octets (RFC 5322 §2.1.1), the header block made of exactly the headers nrm
 * writes, each once, with no control characters (no header injection through a line break),
 * and the MIME boundary only where nrm puts it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mail/mail.h"

static const char *const headers[] = {"From",	      "To",	       "Date",	      "Message-ID",
				      "Subject",      "MIME-Version", "Auto-Submitted", "Content-Type", NULL};

static void check(const char *msg, bool ics)
{
	size_t len = strlen(msg);
	const char *end = strstr(msg, "\r\n\r\n");
	if (!end || len < 2 || memcmp(msg + len - 2, "\r\n", 2) != 0)
		abort();
	int seen[8] = {0};
	char boundary[64] = "";
	int boundaries = 0;
	bool in_head = true;
	for (const char *p = msg; *p;) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			abort();
		size_t n = (size_t)(eol - p);
		if (n > 998 || memchr(p, '\r', n) || memchr(p, '\n', n))
			abort();
		if (in_head && n == 0) {
			in_head = false;
		} else if (in_head) {
			for (size_t i = 0; i < n; i++)
				if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
					abort();
			if (*p != ' ' && *p != '\t') {
				size_t k = 0;
				while (headers[k] && !(strlen(headers[k]) < n && memcmp(p, headers[k], strlen(headers[k])) == 0 &&
						       p[strlen(headers[k])] == ':'))
					k++;
				if (!headers[k] || seen[k]++)
					abort();
				const char *b = strstr(p, "boundary=\"");
				if (k == 7 && b && b < eol)
					snprintf(boundary, sizeof boundary, "--%.*s", (int)strcspn(b + 10, "\""), b + 10);
			}
		} else if (*boundary && strncmp(p, boundary, strlen(boundary)) == 0) {
			boundaries++;
		}
		p = eol + 2;
	}
	for (size_t k = 0; headers[k]; k++)
		if (seen[k] != 1)
			abort();
	if (boundaries != (ics ? 3 : 2))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	const char *part[5] = {NULL};
	size_t k = 0;
	for (size_t i = 0, start = 0; i <= size && k < 5; i++)
		if (i == size || s[i] == '\0') {
			part[k++] = s + start;
			start = i + 1;
		}
	if (k < 4) {
		free(s);
		return 0;
	}
	char *msg = NULL;
	if (mail_compose(part[0], part[1], part[2], part[3], part[4], &msg) == 0) {
		check(msg, part[4] != NULL);
		free(msg);
	} else if (msg) {
		abort();
	}
	free(s);
	return 0;
}
