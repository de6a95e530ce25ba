/* Meetings as iCalendar (RFC 5545): reading the events, escaping, folding. */
#include "meeting/ics.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"

#define ICS_TZID "Europe/Tirane"
/* RFC 5545 §3.1: a line SHOULD NOT be longer than 75 octets, not counting its CRLF. */
#define ICS_LINE 75
/* A meeting without an end time is given two hours: a calendar needs an end to block time. */
#define ICS_DEFAULT_MINUTES 120

/* The document, and the content line being built: a line is made whole first and folded
 * as it is added, because only the whole line tells where its 75-octet boundaries fall. */
struct ics {
	struct buf doc;
	struct buf line;
};

/* One event, read and checked. Strings are borrowed from the JSON input. */
struct ics_event {
	const char *uid, *status, *summary, *location, *link, *description;
	json_int_t sequence;
	int32_t day;
	int start, end; /* minutes after midnight in Tirane; -1 when not given */
	char stamp[17]; /* YYYYMMDDTHHMMSSZ */
};

/* Adds the line built so far to the document, folded (CRLF and one space, which counts
 * towards the next line's 75 octets) before a character that would not fit: never between
 * the bytes of one UTF-8 character, which a reader could not put back together. */
static int ics_end_line(struct ics *w)
{
	const unsigned char *s = (const unsigned char *)w->line.p;
	size_t n = w->line.len, col = 0, i = 0;
	int rc;
	while (i < n) {
		/* A character: a byte and the continuation bytes (10xxxxxx) after it. The limit of
		 * four keeps even malformed UTF-8 within the line length. */
		size_t j = i + 1;
		while (j < n && j - i < 4 && (s[j] & 0xC0) == 0x80)
			j++;
		if (col + (j - i) > ICS_LINE) {
			if ((rc = buf_append(&w->doc, "\r\n ", 3)))
				return rc;
			col = 1;
		}
		if ((rc = buf_append(&w->doc, s + i, j - i)))
			return rc;
		col += j - i;
		i = j;
	}
	w->line.len = 0;
	return buf_append(&w->doc, "\r\n", 2);
}

/* Appends text escaped as a TEXT value (§3.3.11). A newline (LF, CRLF or a lone CR, as
 * browsers and old files write it) becomes \n; other control characters, C0, DEL and C1,
 * have no place in TEXT and are dropped. TAB is allowed (WSP) and kept. */
static int ics_escape(struct buf *b, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	int rc = 0;
	for (size_t i = 0; s[i] && !rc; i++) {
		unsigned char c = s[i];
		if (c == '\\' || c == ';' || c == ',') {
			char e[2] = {'\\', (char)c};
			rc = buf_append(b, e, 2);
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && s[i + 1] == '\n')
				i++;
			rc = buf_append(b, "\\n", 2);
		} else if (c == 0xC2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
			i++; /* U+0080..U+009F */
		} else if ((c < 0x20 && c != '\t') || c == 0x7F) {
			continue;
		} else {
			rc = buf_append(b, &c, 1);
		}
	}
	return rc;
}

/* name:value, the value written as is. */
static int ics_put(struct ics *w, const char *name, const char *value)
{
	int rc;
	if ((rc = buf_puts(&w->line, name)) || (rc = buf_append(&w->line, ":", 1)) || (rc = buf_puts(&w->line, value)))
		return rc;
	return ics_end_line(w);
}

/* name:text, the text escaped; when optional, left out if nothing is left of the text
 * (NULL, or only control characters). */
static int ics_put_text(struct ics *w, const char *name, const char *text, bool optional)
{
	int rc;
	if (optional && !text)
		return 0;
	if ((rc = buf_puts(&w->line, name)) || (rc = buf_append(&w->line, ":", 1)))
		return rc;
	size_t head = w->line.len;
	if ((rc = ics_escape(&w->line, text)))
		return rc;
	if (optional && w->line.len == head) {
		w->line.len = 0;
		return 0;
	}
	return ics_end_line(w);
}

static int ics_put_lines(struct ics *w, const char *const *lines)
{
	int rc = 0;
	for (; *lines && !rc; lines++)
		if (!(rc = buf_puts(&w->line, *lines)))
			rc = ics_end_line(w);
	return rc;
}

/* Control characters: C0, DEL and C1 (U+0080..U+009F); a space too when space_too. */
static bool ics_has_control(const char *s, bool space_too)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7F || (space_too && *p == ' ') || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return true;
	return false;
}

/* The string of v, or NULL when v is not a string or holds a NUL, which a C string would
 * silently cut short. */
static const char *ics_str(json_t *v)
{
	const char *s = json_string_value(v);
	return s && strlen(s) == json_string_length(v) ? s : NULL;
}

/* An optional string member: absent, null or empty give NULL. */
static int ics_opt_str(json_t *ev, const char *key, const char **out)
{
	json_t *v = json_object_get(ev, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	const char *s = ics_str(v);
	if (!s)
		return NRM_EINVAL;
	*out = *s ? s : NULL;
	return 0;
}

/* An optional "HH:MM" member, 00:00..23:59, as minutes after midnight (-1 when absent). */
static int ics_opt_time(json_t *ev, const char *key, int *minutes)
{
	json_t *v = json_object_get(ev, key);
	*minutes = -1;
	if (!v || json_is_null(v))
		return 0;
	const char *s = ics_str(v);
	if (!s || strlen(s) != 5 || s[2] != ':')
		return NRM_EINVAL;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return NRM_EINVAL;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return NRM_EINVAL;
	*minutes = h * 60 + m;
	return 0;
}

static int ics_event_read(json_t *ev, struct ics_event *e)
{
	if (!json_is_object(ev))
		return NRM_EINVAL;
	json_t *seq = json_object_get(ev, "sequence");
	const char *stamp = ics_str(json_object_get(ev, "stamp"));
	time_t t;
	e->uid = ics_str(json_object_get(ev, "uid"));
	e->status = ics_str(json_object_get(ev, "status"));
	e->summary = ics_str(json_object_get(ev, "summary"));
	if (!e->uid || !*e->uid || ics_has_control(e->uid, false) || !json_is_integer(seq) ||
	    json_integer_value(seq) < 0 || json_integer_value(seq) > INT32_MAX || !e->status ||
	    (strcmp(e->status, "scheduled") != 0 && strcmp(e->status, "held") != 0 &&
	     strcmp(e->status, "cancelled") != 0) ||
	    !e->summary || date_parse(ics_str(json_object_get(ev, "date")), &e->day) ||
	    ics_opt_time(ev, "time", &e->start) || ics_opt_time(ev, "end_time", &e->end) ||
	    ics_opt_str(ev, "location", &e->location) || ics_opt_str(ev, "link", &e->link) ||
	    ics_opt_str(ev, "description", &e->description))
		return NRM_EINVAL;
	/* An end without a start cannot be placed; a link goes out unescaped (URI, not TEXT),
	 * so a line break in it would end the line and let it write properties of its own. */
	if ((e->start < 0 && e->end >= 0) || (e->link && ics_has_control(e->link, true)))
		return NRM_EINVAL;
	/* date_stamp_parse also takes a bare date; the stamp must be the full instant. */
	if (!stamp || strlen(stamp) != 20 || date_stamp_parse(stamp, &t))
		return NRM_EINVAL;
	e->sequence = json_integer_value(seq);
	char iso[21];
	date_utc_stamp(t, iso);
	size_t k = 0;
	for (const char *p = iso; *p; p++)
		if (*p != '-' && *p != ':')
			e->stamp[k++] = *p;
	e->stamp[k] = '\0';
	return 0;
}

/* YYYYMMDD of day, and YYYYMMDDTHHMMSS of minutes after its midnight (which may run into
 * the following days). */
static void ics_date(int32_t day, char out[20])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(out, 20, "%04d%02d%02d", y, m, d);
}

static void ics_local(int32_t day, int minutes, char out[20])
{
	ics_date(day + minutes / 1440, out);
	minutes %= 1440;
	snprintf(out + 8, 12, "T%02d%02d00", minutes / 60, minutes % 60);
}

static int ics_event_write(struct ics *w, const struct ics_event *e)
{
	char seq[24], start[20], end[20];
	int rc;
	snprintf(seq, sizeof seq, "%lld", (long long)e->sequence);
	if (e->start < 0) {
		/* All day: DTEND is exclusive, the next day (§3.6.1). */
		ics_date(e->day, start);
		ics_date(e->day + 1, end);
	} else {
		int until = e->end < 0 ? e->start + ICS_DEFAULT_MINUTES : e->end;
		/* An end not after the start is on the next day: a meeting past midnight. */
		if (until <= e->start)
			until += 1440;
		ics_local(e->day, e->start, start);
		ics_local(e->day, until, end);
	}
	const char *dtstart = e->start < 0 ? "DTSTART;VALUE=DATE" : "DTSTART;TZID=" ICS_TZID;
	const char *dtend = e->start < 0 ? "DTEND;VALUE=DATE" : "DTEND;TZID=" ICS_TZID;
	if ((rc = ics_put(w, "BEGIN", "VEVENT")) || (rc = ics_put_text(w, "UID", e->uid, false)) ||
	    (rc = ics_put(w, "SEQUENCE", seq)) || (rc = ics_put(w, "DTSTAMP", e->stamp)) ||
	    (rc = ics_put(w, "LAST-MODIFIED", e->stamp)) || (rc = ics_put(w, dtstart, start)) ||
	    (rc = ics_put(w, dtend, end)) || (rc = ics_put_text(w, "SUMMARY", e->summary, false)) ||
	    (rc = ics_put_text(w, "LOCATION", e->location, true)) || (e->link && (rc = ics_put(w, "URL", e->link))) ||
	    (rc = ics_put_text(w, "DESCRIPTION", e->description, true)) ||
	    (rc = ics_put(w, "STATUS", strcmp(e->status, "cancelled") == 0 ? "CANCELLED" : "CONFIRMED")))
		return rc;
	static const char *const tail[] = {"TRANSP:OPAQUE", "CLASS:CONFIDENTIAL", "END:VEVENT", NULL};
	return ics_put_lines(w, tail);
}

int meeting_ics(json_t *events, const char *calname, char **out)
{
	static const char *const head[] = {
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//nrm//Mekanizmi Kombetar i Referimit//SQ",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		NULL,
	};
	/* Albania keeps the EU rule: the change is at 01:00 UTC on the last Sunday of March and
	 * of October. The DTSTARTs are the first such Sundays of 1970 in local time, as clients
	 * write them, so that DTSTART is itself an occurrence of its RRULE. */
	static const char *const zone[] = {
		"X-WR-TIMEZONE:" ICS_TZID,
		"BEGIN:VTIMEZONE",
		"TZID:" ICS_TZID,
		"BEGIN:STANDARD",
		"TZOFFSETFROM:+0200",
		"TZOFFSETTO:+0100",
		"TZNAME:CET",
		"DTSTART:19701025T030000",
		"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		"END:STANDARD",
		"BEGIN:DAYLIGHT",
		"TZOFFSETFROM:+0100",
		"TZOFFSETTO:+0200",
		"TZNAME:CEST",
		"DTSTART:19700329T020000",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		"END:DAYLIGHT",
		"END:VTIMEZONE",
		NULL,
	};
	struct ics w = {0};
	char *s;
	size_t i;
	json_t *ev;
	int rc = NRM_EINVAL;
	if (!json_is_array(events) || !calname || !out)
		goto done;
	if ((rc = ics_put_lines(&w, head)) || (rc = ics_put_text(&w, "X-WR-CALNAME", calname, false)) ||
	    (rc = ics_put_lines(&w, zone)))
		goto done;
	json_array_foreach(events, i, ev) {
		struct ics_event e;
		if ((rc = ics_event_read(ev, &e)) || (rc = ics_event_write(&w, &e)))
			goto done;
	}
	if ((rc = ics_put(&w, "END", "VCALENDAR")))
		goto done;
	if (!(s = buf_take(&w.doc))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	*out = s;
	rc = 0;
done:
	buf_free(&w.doc);
	buf_free(&w.line);
	return rc;
}
