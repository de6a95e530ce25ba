/* The bodies' meetings as an iCalendar feed (RFC 5545), for the calendars of the members.
 *
 * One VCALENDAR with METHOD:PUBLISH, one VTIMEZONE for Europe/Tirane (the EU rule: CEST
 * from the last Sunday of March, CET from the last Sunday of October) and a VEVENT per
 * meeting. Times are written as wall-clock times in Tirane with TZID=Europe/Tirane, so a
 * meeting at 10:00 stays at 10:00 across a change of summer time; the stamps are UTC.
 * Every event is CLASS:CONFIDENTIAL: the meetings of the referral mechanism discuss cases.
 * The writer does no I/O and reads no clock: "stamp" says when an event last changed, so
 * the same events always give the same bytes (a calendar client sees no false update).
 *
 * A change to a meeting is published with the same "uid" and a higher "sequence"; a
 * meeting called off is published once more with status "cancelled", not left out, so the
 * clients remove it (RFC 5546 §3.2.5). */
#ifndef NRM_MEETING_ICS_H
#define NRM_MEETING_ICS_H

#include <jansson.h>

#include "core/err.h"

/* events: a JSON array of objects, each
 *   {"uid": S, "sequence": N, "status": "scheduled"|"held"|"cancelled",
 *    "date": "YYYY-MM-DD", "time": "HH:MM"|null, "end_time": "HH:MM"|null,
 *    "summary": S, "location": S|null, "link": S|null, "description": S|null,
 *    "stamp": "YYYY-MM-DDTHH:MM:SSZ" (when the event last changed, UTC)}
 * calname: the calendar's name (X-WR-CALNAME).
 * Writes a VCALENDAR (CRLF line ends) to *out (malloc'd, caller frees) and returns 0;
 * NRM_EINVAL (core/err.h) for a malformed event, NRM_ENOMEM on allocation failure; *out only written on success.
 *
 * In detail: "time" null (or absent) makes an all-day event, which then has no "end_time";
 * "end_time" null means two hours after "time", and an "end_time" not after "time" means
 * the next day (a meeting running past midnight). "date" is a real day of 1900..2200,
 * times are 00:00..23:59, "uid" is non-empty without control characters, "sequence" is an
 * integer 0..2147483647. Text (uid, summary, location, description, calname) is escaped as
 * RFC 5545 §3.3.11 says — a newline becomes \n, other control characters are dropped. The
 * link is a URI, written as is, so it must not contain a control character or a space.
 * A location, link or description that is empty (or only control characters) is left out;
 * other members of an event are ignored. Lines are folded at 75 octets, never inside a
 * UTF-8 character. */
int meeting_ics(json_t *events, const char *calname, char **out);

#endif
