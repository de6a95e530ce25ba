/* meeting/ics: the meetings as an iCalendar feed, read back by a reader nrm did not write —
 * python3-icalendar, through tests/tools/ics_check.py, which also checks the folding, the
 * CRLFs and the escaping, and resolves the times with the file's own VTIMEZONE. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "meeting/ics.h"

#define CALNAME "Komiteti Rajonal, Tiranë"

/* A meeting at time on date (time NULL: all day), as the meetings of a body give it. */
static json_t *event(const char *uid, const char *date, const char *time)
{
	json_t *e = json_pack("{s:s, s:i, s:s, s:s, s:s?, s:n, s:s, s:n, s:n, s:n, s:s}", "uid", uid, "sequence", 0,
			      "status", "scheduled", "date", date, "time", time, "end_time", "summary",
			      "Mbledhja e Komitetit", "location", "link", "description", "stamp", "2026-01-10T08:30:00Z");
	cr_assert_not_null(e);
	return e;
}

static void set(json_t *e, const char *key, const char *value)
{
	json_object_set_new(e, key, value ? json_string(value) : json_null());
}

/* The calendar of events (a new reference taken), asserted to be written. */
static char *ics_of(json_t *events)
{
	char *out = NULL;
	int rc = meeting_ics(events, CALNAME, &out);
	json_decref(events);
	cr_assert_eq(rc, 0);
	cr_assert_not_null(out);
	return out;
}

/* What ics_check.py reads in ics; the test fails when it finds the file malformed. */
static json_t *read_back(const char *ics)
{
	char path[] = "/tmp/nrm-ics-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	size_t n = strlen(ics);
	cr_assert_eq(write(fd, ics, n), (ssize_t)n);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "python3 tests/tools/ics_check.py %s", path);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	json_error_t e;
	json_t *j = json_loadf(p, 0, &e);
	int status = pclose(p);
	unlink(path);
	cr_assert_eq(status, 0, "ics_check refused:\n%s", ics);
	cr_assert_not_null(j, "ics_check's output: %s", e.text);
	return j;
}

/* The one event of a calendar of one event, read back (a new reference). */
static json_t *one(json_t *e)
{
	char *ics = ics_of(json_pack("[o]", e));
	json_t *cal = read_back(ics);
	free(ics);
	json_t *events = json_object_get(cal, "events");
	cr_assert_eq(json_array_size(events), 1);
	json_t *ev = json_incref(json_array_get(events, 0));
	json_decref(cal);
	return ev;
}

static const char *str(json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

/* Characters, not bytes, of UTF-8 text. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

Test(ics, a_winter_meeting_at_ten_in_tirane_starts_at_nine_utc)
{
	json_t *e = event("meeting-1@nrm", "2026-01-15", "10:00");
	set(e, "link", "https://meet.example.al/nrm?room=komiteti,tirane;x=1");
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "start_utc"), "2026-01-15T09:00:00Z");
	cr_expect_str_eq(str(ev, "end_utc"), "2026-01-15T11:00:00Z", "two hours when no end is given");
	cr_expect_str_eq(str(ev, "start_local"), "2026-01-15T10:00:00");
	cr_expect(json_is_false(json_object_get(ev, "all_day")));
	cr_expect_str_eq(str(ev, "uid"), "meeting-1@nrm");
	cr_expect_eq(json_integer_value(json_object_get(ev, "sequence")), 0);
	cr_expect_str_eq(str(ev, "status"), "CONFIRMED");
	cr_expect_str_eq(str(ev, "summary"), "Mbledhja e Komitetit");
	cr_expect_str_eq(str(ev, "url"), "https://meet.example.al/nrm?room=komiteti,tirane;x=1", "a URI is not escaped");
	cr_expect(json_is_null(json_object_get(ev, "location")));
	cr_expect(json_is_null(json_object_get(ev, "description")));
	cr_expect_str_eq(str(ev, "stamp"), "2026-01-10T08:30:00Z");
	cr_expect_str_eq(str(ev, "class"), "CONFIDENTIAL");
	cr_expect_str_eq(str(ev, "transp"), "OPAQUE");
	json_decref(ev);
}

Test(ics, a_summer_meeting_at_ten_in_tirane_starts_at_eight_utc)
{
	json_t *e = event("meeting-2@nrm", "2026-07-15", "10:00");
	set(e, "end_time", "11:30");
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "start_utc"), "2026-07-15T08:00:00Z");
	cr_expect_str_eq(str(ev, "end_utc"), "2026-07-15T09:30:00Z");
	cr_expect_str_eq(str(ev, "start_local"), "2026-07-15T10:00:00");
	json_decref(ev);
}

Test(ics, times_are_written_in_tirane_and_stamps_in_utc)
{
	json_t *e = event("meeting-3@nrm", "2026-01-15", "10:00");
	set(e, "stamp", "2026-11-30T10:15:00Z");
	char *ics = ics_of(json_pack("[o]", e));
	cr_expect_not_null(strstr(ics, "\r\nDTSTART;TZID=Europe/Tirane:20260115T100000\r\n"));
	cr_expect_not_null(strstr(ics, "\r\nDTEND;TZID=Europe/Tirane:20260115T120000\r\n"));
	cr_expect_not_null(strstr(ics, "\r\nDTSTAMP:20261130T101500Z\r\n"));
	cr_expect_not_null(strstr(ics, "\r\nLAST-MODIFIED:20261130T101500Z\r\n"));
	free(ics);
}

Test(ics, the_calendar_names_itself_and_carries_the_tirane_time_zone)
{
	static const char head[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//nrm//Mekanizmi Kombetar i Referimit//SQ\r\n"
				   "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n";
	char *ics = ics_of(json_array());
	cr_expect_eq(strncmp(ics, head, sizeof head - 1), 0, "%s", ics);
	static const char *const lines[] = {"X-WR-TIMEZONE:Europe/Tirane", "TZID:Europe/Tirane",
					    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
					    "TZNAME:CET", "TZNAME:CEST", "END:VCALENDAR"};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		cr_expect_not_null(strstr(ics, lines[i]), "%s", lines[i]);
	json_t *cal = read_back(ics);
	cr_expect_str_eq(str(cal, "calname"), CALNAME);
	cr_expect_eq(json_array_size(json_object_get(cal, "tzids")), 1);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(cal, "tzids"), 0)), "Europe/Tirane");
	cr_expect_eq(json_array_size(json_object_get(cal, "events")), 0);
	json_decref(cal);
	free(ics);
}

Test(ics, the_same_events_give_the_same_bytes)
{
	char *a = ics_of(json_pack("[o]", event("meeting-4@nrm", "2026-05-04", "09:15")));
	char *b = ics_of(json_pack("[o]", event("meeting-4@nrm", "2026-05-04", "09:15")));
	cr_expect_str_eq(a, b, "a calendar client sees no change where there is none");
	free(a);
	free(b);
}

Test(ics, a_meeting_without_a_time_is_an_all_day_event)
{
	json_t *ev = one(event("meeting-5@nrm", "2026-12-31", NULL));
	cr_expect(json_is_true(json_object_get(ev, "all_day")));
	cr_expect_str_eq(str(ev, "start_utc"), "2026-12-31");
	cr_expect_str_eq(str(ev, "end_utc"), "2027-01-01", "DTEND is the next day, excluded");
	cr_expect_str_eq(str(ev, "start_local"), "2026-12-31");
	json_decref(ev);
	char *ics = ics_of(json_pack("[o]", event("meeting-5@nrm", "2028-02-28", NULL)));
	cr_expect_not_null(strstr(ics, "\r\nDTSTART;VALUE=DATE:20280228\r\nDTEND;VALUE=DATE:20280229\r\n"), "%s", ics);
	free(ics);
}

Test(ics, a_cancelled_meeting_keeps_its_uid_and_raises_its_sequence)
{
	json_t *e = event("meeting-6@nrm", "2026-02-10", "14:00");
	set(e, "status", "held");
	json_t *first = one(json_deep_copy(e));
	set(e, "status", "cancelled");
	json_object_set_new(e, "sequence", json_integer(1));
	set(e, "stamp", "2026-02-09T16:00:00Z");
	json_t *second = one(e);
	cr_expect_str_eq(str(first, "status"), "CONFIRMED", "a meeting held took place as planned");
	cr_expect_eq(json_integer_value(json_object_get(first, "sequence")), 0);
	cr_expect_str_eq(str(second, "status"), "CANCELLED");
	cr_expect_eq(json_integer_value(json_object_get(second, "sequence")), 1);
	cr_expect_str_eq(str(second, "uid"), str(first, "uid"));
	cr_expect_str_eq(str(second, "stamp"), "2026-02-09T16:00:00Z");
	json_decref(first);
	json_decref(second);
}

Test(ics, albanian_text_with_commas_semicolons_and_newlines_survives_folding)
{
	/* A backslash before "n", "," and ";" too: the escaping of the backslash must come first. */
	static const char piece[] = "Çështja e viktimës; ë, ç, Ë, Ç.\nDosja: C:\\new\\2026\\, nënë; ";
	struct {
		char s[2048];
		size_t n;
	} d = {.n = 0};
	while (chars(d.s) < 300) {
		const char *p = piece;
		/* One character at a time, so the text stops at exactly 300 characters. */
		while (*p && chars(d.s) < 300) {
			size_t k = 1;
			while (((unsigned char)p[k] & 0xC0) == 0x80)
				k++;
			memcpy(d.s + d.n, p, k);
			d.n += k;
			d.s[d.n] = '\0';
			p += k;
		}
	}
	cr_assert_eq(chars(d.s), 300);
	json_t *e = event("meeting-7@nrm", "2026-04-20", "09:00");
	set(e, "description", d.s);
	set(e, "summary", "Mbledhje e jashtëzakonshme, rasti «Ç»; Ë");
	set(e, "location", "Salla e Këshillit, Bashkia Tiranë; kati 2");
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "description"), d.s);
	cr_expect_str_eq(str(ev, "summary"), "Mbledhje e jashtëzakonshme, rasti «Ç»; Ë");
	cr_expect_str_eq(str(ev, "location"), "Salla e Këshillit, Bashkia Tiranë; kati 2");
	json_decref(ev);
}

Test(ics, long_lines_of_letters_are_folded_between_characters)
{
	/* Two-, three- and four-byte characters, so that every fold point falls where a cut
	 * inside a character would be easy; ics_check reads each physical line as UTF-8. */
	char summary[401] = "", location[601] = "", description[801] = "";
	for (int i = 0; i < 200; i++) {
		memcpy(summary + 2 * i, "ë", 2);
		memcpy(location + 3 * i, "€", 3);
		memcpy(description + 4 * i, "😀", 4);
	}
	json_t *e = event("meeting-8@nrm", "2026-04-21", "09:00");
	set(e, "summary", summary);
	set(e, "location", location);
	set(e, "description", description);
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "summary"), summary);
	cr_expect_str_eq(str(ev, "location"), location);
	cr_expect_str_eq(str(ev, "description"), description);
	json_decref(ev);
}

Test(ics, control_characters_are_dropped_and_line_breaks_kept)
{
	json_t *e = event("meeting-9@nrm", "2026-04-22", "09:00");
	set(e, "description", "a\x01" "b\tc\r\nd\re\x7f" "f\xc2\x85g");
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "description"), "ab\tc\nd\nefg", "CRLF and CR are line breaks; C0, DEL, C1 go");
	json_decref(ev);
}

Test(ics, a_meeting_ending_after_midnight_ends_on_the_next_day)
{
	/* The night before summer time begins (29 March 2026): 01:30 is still CET. */
	json_t *e = event("meeting-10@nrm", "2026-03-28", "22:00");
	set(e, "end_time", "01:30");
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "start_utc"), "2026-03-28T21:00:00Z");
	cr_expect_str_eq(str(ev, "end_utc"), "2026-03-29T00:30:00Z");
	json_decref(ev);
	/* Two hours from 23:30 on New Year's Eve run into the next year. */
	char *ics = ics_of(json_pack("[o]", event("meeting-11@nrm", "2026-12-31", "23:30")));
	cr_expect_not_null(strstr(ics, "\r\nDTEND;TZID=Europe/Tirane:20270101T013000\r\n"), "%s", ics);
	ev = read_back(ics);
	cr_expect_str_eq(str(json_array_get(json_object_get(ev, "events"), 0), "end_utc"), "2027-01-01T00:30:00Z");
	json_decref(ev);
	free(ics);
}

Test(ics, a_meeting_across_the_change_to_summer_time_lasts_an_hour_less)
{
	json_t *e = event("meeting-12@nrm", "2026-03-29", "01:00");
	set(e, "end_time", "04:00");
	json_t *ev = one(e);
	cr_expect_str_eq(str(ev, "start_utc"), "2026-03-29T00:00:00Z", "01:00 CET");
	cr_expect_str_eq(str(ev, "end_utc"), "2026-03-29T02:00:00Z", "04:00 CEST");
	json_decref(ev);
}

Test(ics, a_malformed_event_is_refused)
{
	static const char *const bad[][2] = {
		{"date", "2026-02-30"}, {"date", "2026-13-01"}, {"date", "15.01.2026"}, {"date", NULL},
		{"time", "24:00"}, {"time", "9:00"}, {"time", "10:60"}, {"time", "10h00"}, {"time", "10:00:00"},
		{"end_time", "23:60"}, {"end_time", "1130"}, {"link", "https://meet.example.al/\r\nATTENDEE:mailto:x@y"},
		{"link", "https://meet.example.al/\nx"}, {"link", "https://meet.example.al/ a"}, {"uid", ""},
		{"uid", "meeting\n1"}, {"uid", NULL}, {"status", "postponed"}, {"status", NULL},
		{"stamp", "2026-01-10"}, {"stamp", "2026-01-10T25:00:00Z"}, {"stamp", "2026-01-10 08:30:00"},
		{"stamp", NULL}, {"summary", NULL},
	};
	char sentinel[] = "untouched";
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *e = event("meeting-13@nrm", "2026-01-15", "10:00");
		set(e, bad[i][0], bad[i][1]);
		/* A good event first: nothing of it is handed out either. */
		json_t *events = json_pack("[oo]", event("meeting-14@nrm", "2026-01-14", "10:00"), e);
		char *out = sentinel;
		cr_expect_eq(meeting_ics(events, CALNAME, &out), NRM_EINVAL, "%s: %s", bad[i][0],
			     bad[i][1] ? bad[i][1] : "null");
		cr_expect_eq(out, sentinel, "%s: *out is written only on success", bad[i][0]);
		json_decref(events);
	}
	static const char *const others[] = {
		"{\"sequence\": -1}", "{\"sequence\": \"1\"}", "{\"sequence\": 2147483648}", "{\"sequence\": null}",
		"{\"time\": 10}", "{\"location\": 5}", "{\"description\": [\"a\"]}", "{\"time\": null, \"end_time\": \"12:00\"}",
		"{\"summary\": \"a\\u0000b\"}",
	};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		json_t *e = event("meeting-15@nrm", "2026-01-15", "10:00");
		json_t *change = json_loads(others[i], JSON_ALLOW_NUL, NULL);
		cr_assert_not_null(change, "%s", others[i]);
		json_object_update(e, change);
		json_decref(change);
		json_t *events = json_pack("[o]", e);
		char *out = sentinel;
		cr_expect_eq(meeting_ics(events, CALNAME, &out), NRM_EINVAL, "%s", others[i]);
		cr_expect_eq(out, sentinel, "%s", others[i]);
		json_decref(events);
	}
	char *out = sentinel;
	json_t *notlist = json_object();
	json_t *notobj = json_pack("[i]", 1);
	json_t *empty = json_array();
	cr_expect_eq(meeting_ics(notlist, CALNAME, &out), NRM_EINVAL, "not an array");
	cr_expect_eq(meeting_ics(notobj, CALNAME, &out), NRM_EINVAL, "an event not an object");
	cr_expect_eq(meeting_ics(NULL, CALNAME, &out), NRM_EINVAL);
	cr_expect_eq(meeting_ics(empty, NULL, &out), NRM_EINVAL, "no calendar name");
	cr_expect_eq(out, sentinel);
	json_decref(notlist);
	json_decref(notobj);
	json_decref(empty);
}
