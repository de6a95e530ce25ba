/* Harness: the iCalendar writer (meeting/ics.c) on any events — what a meeting's fields (typed
 * by users: summary, place, link, agenda text) become in the .ics of a meeting and in the
 * personal feed. The input is JSON: {"calname": S, "events": [EVENT...]} or just the array.
 * Besides the sanitizers, every document written is checked as a calendar client would read
 * it: CRLF line ends only (no bare CR or LF that could start a property of the attacker's
 * choosing), lines of at most 75 octets, each of valid UTF-8 (folding never splits a
 * character), every unfolded line a property nrm writes (no injected ATTENDEE, ORGANIZER,
 * VALARM...), BEGIN and END balanced, and TEXT values with ',' ';' '\' escaped and no control
 * character but a tab (§3.3.11). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "meeting/ics.h"

static const char *const names[] = {
	"BEGIN",   "END",	   "VERSION", "PRODID", "CALSCALE",    "METHOD",   "X-WR-CALNAME", "X-WR-TIMEZONE",
	"TZID",	   "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "DTSTART",     "RRULE",    "UID",	     "SEQUENCE",
	"DTSTAMP", "LAST-MODIFIED", "DTEND",  "SUMMARY", "LOCATION",   "URL",	   "DESCRIPTION",  "STATUS",
	"TRANSP",  "CLASS",	   NULL};
static const char *const texts[] = {"X-WR-CALNAME", "UID", "SUMMARY", "LOCATION", "DESCRIPTION", NULL};

static bool utf8_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (!k || i + k > n)
			return false;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xC0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

static bool one_of(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(*list, s, n) == 0)
			return true;
	return false;
}

/* A logical (unfolded) line: NAME[;PARAMS]:VALUE, a known NAME, a TEXT value well escaped. */
static void check_line(const char *l, size_t n, int *depth)
{
	size_t name = strcspn(l, ";:");
	if (name >= n || !one_of(l, name, names))
		abort();
	const char *colon = memchr(l, ':', n);
	if (!colon)
		abort();
	const char *v = colon + 1;
	size_t vn = n - (size_t)(v - l);
	if (one_of(l, name, texts)) {
		for (size_t i = 0; i < vn; i++) {
			if (v[i] == '\\') {
				if (i + 1 >= vn || !strchr("\\;,nN", v[i + 1]))
					abort();
				i++;
			} else if (v[i] == ';' || v[i] == ',' || ((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f) {
				/* A tab is a TSAFE-CHAR (RFC 5545 §3.3.11: WSP); no other control character is. */
				abort();
			}
		}
	}
	if (name == 5 && memcmp(l, "BEGIN", 5) == 0)
		++*depth;
	if (name == 3 && memcmp(l, "END", 3) == 0 && --*depth < 0)
		abort();
}

static void check(const char *doc)
{
	size_t len = strlen(doc);
	if (len < 2 || memcmp(doc + len - 2, "\r\n", 2) != 0)
		abort();
	char *logical = malloc(len + 1);
	if (!logical)
		abort();
	size_t ln = 0;
	int depth = 0;
	for (const char *p = doc; *p;) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			abort();
		size_t n = (size_t)(eol - p);
		if (n > 75 || memchr(p, '\r', n) || memchr(p, '\n', n) || !utf8_ok((const unsigned char *)p, n))
			abort();
		if (*p == ' ') { /* a fold: continues the logical line */
			if (!ln)
				abort();
			memcpy(logical + ln, p + 1, n - 1);
			ln += n - 1;
		} else {
			if (ln)
				check_line(logical, ln, &depth);
			memcpy(logical, p, n);
			ln = n;
		}
		p = eol + 2;
	}
	if (ln)
		check_line(logical, ln, &depth);
	if (depth != 0)
		abort();
	free(logical);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *in = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &je);
	if (!in)
		return 0;
	json_t *events = json_is_array(in) ? in : json_object_get(in, "events");
	const char *calname = json_is_object(in) ? json_string_value(json_object_get(in, "calname")) : NULL;
	char *doc = NULL;
	if (json_is_array(events) && meeting_ics(events, calname ? calname : "Mbledhjet", &doc) == 0) {
		check(doc);
		free(doc);
	} else if (doc) {
		abort(); /* *out written on failure */
	}
	json_decref(in);
	return 0;
}
