#!/usr/bin/python3
"""Reads an iCalendar file as a calendar client would and prints what it found as JSON.

    python3 tests/tools/ics_check.py FILE

Used by tests/unit/meeting_ics.c to check src/meeting/ics.c against a reader it did not
write: Debian's python3-icalendar (4.0.3 on bookworm). Prints one JSON object

    {"calname", "tzids": [...], "events": [{"uid", "sequence", "status", "summary",
     "location", "url", "description", "start_utc", "end_utc", "all_day", "start_local",
     "stamp", "class", "transp"}]}

(times in ISO 8601: UTC instants for timed events, the dates for all-day ones; absent
properties are null) and exits 0; exits 1 naming every problem on stderr when the file is
not well formed: a physical line over 75 octets, a line not ended by CRLF, a bare LF or
CR, a line that is not UTF-8 by itself (a fold inside a character), a parse error, a
TZID without a VTIMEZONE in the file, or a TEXT value that is not escaped as RFC 5545
§3.3.11 says.

What python3-icalendar 4.0.3 does not do, and this script does itself:
- It does not resolve a TZID through the file's VTIMEZONE when pytz knows the name (as
  it knows Europe/Tirane): it uses pytz's own zone. So the times are resolved here with
  the file's VTIMEZONE (Timezone.to_tz()), and checked against zoneinfo's Europe/Tirane
  and against what icalendar returned; any disagreement is a problem. (icalendar takes
  the second of a wall time that occurs twice, at the autumn change; RFC 5545 §3.3.5, this
  script and zoneinfo the first.)
- It unescapes TEXT twice (Contentline.parts(), then vText.from_ical) and turns "%2C",
  "%3A", "%3B", "%5C" into ",", ":", ";", "\\": a text holding a backslash before "n", ","
  or ";" does not come back as written. So TEXT values are unescaped here from the raw
  content lines, strictly; icalendar's values are compared where its bugs cannot bite.
- A malformed property inside a VEVENT does not fail the parse (Event.ignore_exceptions):
  it is only recorded in the component's .errors, which are checked here.
"""
import json
import os
import re
import sys
from datetime import date, datetime, timezone

SYSTEM_PYTHON = "/usr/bin/python3"

try:
    import pytz
    from icalendar import Calendar
except ImportError:
    # A python3 first on PATH (pyenv, a virtualenv) does not see Debian's dist-packages:
    # run again with the system's, once.
    if (
        not os.environ.get("ICS_CHECK_REEXEC")
        and os.path.exists(SYSTEM_PYTHON)
        and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
    ):
        os.environ["ICS_CHECK_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    sys.exit("ics_check: python3-icalendar is not installed (apt-get install python3-icalendar)")

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # Python < 3.9
    ZoneInfo = None

MAX_OCTETS = 75
TEXT_PROPS = ("UID", "SUMMARY", "LOCATION", "DESCRIPTION")


class Problem(Exception):
    pass


def physical_lines(data):
    """Problems of the physical lines (RFC 5545 §3.1)."""
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    lines = data.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for n, line in enumerate(lines, 1):
        if b"\n" in line:
            problems.append(f"line {n}: bare LF")
        if b"\r" in line:
            problems.append(f"line {n}: bare CR")
        if len(line) > MAX_OCTETS:
            problems.append(f"line {n}: {len(line)} octets, more than {MAX_OCTETS}")
        if not line:
            problems.append(f"line {n}: empty")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(f"line {n}: not UTF-8 by itself (folded inside a character?): {e}")
    return problems


def content_lines(text):
    """The unfolded content lines as (name, raw value, params text), in order."""
    out = []
    for line in re.sub(r"\r\n[ \t]", "", text).split("\r\n"):
        if not line:
            continue
        quoted = False
        split = None
        for i, ch in enumerate(line):
            if ch == '"':
                quoted = not quoted
            elif ch == ":" and not quoted:
                split = i
                break
        if split is None:
            raise Problem(f"content line without a value: {line[:60]!r}")
        head, value = line[:split], line[split + 1 :]
        name = re.split(r"[;]", head, 1)[0].upper()
        out.append((name, value))
    return out


def raw_events(text):
    """Per VEVENT in order, the raw (escaped) values of its properties; and the calendar's."""
    events, cal, current, depth = [], {}, None, []
    for name, value in content_lines(text):
        if name == "BEGIN":
            depth.append(value.upper())
            if value.upper() == "VEVENT":
                current = {}
        elif name == "END":
            if not depth or depth.pop() != value.upper():
                raise Problem(f"END:{value} does not close the open component")
            if value.upper() == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            current.setdefault(name, value)
        elif depth == ["VCALENDAR"]:
            cal.setdefault(name, value)
    if depth:
        raise Problem(f"unclosed components: {depth}")
    return cal, events


def unescape(raw, prop):
    """A TEXT value as RFC 5545 §3.3.11 reads it; anything else escaped is a problem."""
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        if c == "\\":
            if i + 1 == len(raw):
                raise Problem(f"{prop}: a lone backslash at the end")
            n = raw[i + 1]
            if n in "nN":
                out.append("\n")
            elif n in "\\;,":
                out.append(n)
            else:
                raise Problem(f"{prop}: invalid escape \\{n}")
            i += 2
            continue
        if c in ";,":
            raise Problem(f"{prop}: unescaped {c!r}")
        if (ord(c) < 0x20 and c != "\t") or 0x7F <= ord(c) <= 0x9F:
            raise Problem(f"{prop}: control character U+{ord(c):04X}")
        out.append(c)
        i += 1
    return "".join(out)


def icalendar_can_read(raw):
    """Whether python3-icalendar 4.0.3's double unescaping gives back the text (see above)."""
    return "\\\\" not in raw and not re.search(r"%(2C|3A|3B|5C)", raw, re.I)


def text(component, raw, prop):
    if prop not in raw:
        if component.get(prop) is not None:
            raise Problem(f"{prop}: icalendar found it, the raw lines did not")
        return None
    value = unescape(raw[prop], prop)
    if icalendar_can_read(raw[prop]) and str(component.get(prop)) != value:
        raise Problem(f"{prop}: icalendar read {str(component.get(prop))!r}, RFC 5545 gives {value!r}")
    return value


def localize(tz, wall):
    """(the UTC instant of wall time in tz, whether it occurs twice) as RFC 5545 §3.3.5 says:
    a time that occurs twice is the first (summer time), a time in the gap of the spring
    change is read with the offset before the gap (zoneinfo's fold=0 does the same)."""
    try:
        return tz.localize(wall, is_dst=None).astimezone(timezone.utc), False
    except pytz.AmbiguousTimeError:
        return tz.localize(wall, is_dst=True).astimezone(timezone.utc), True
    except pytz.NonExistentTimeError:
        return tz.localize(wall, is_dst=False).astimezone(timezone.utc), False


def when(component, prop, zones):
    """(start or end in UTC or the date, the local wall time, all day) of DTSTART/DTEND."""
    p = component.get(prop)
    if p is None:
        raise Problem(f"{prop} missing")
    value = component.decoded(prop)
    tzid = p.params.get("TZID")
    if isinstance(value, datetime):
        if p.params.get("VALUE", "DATE-TIME").upper() != "DATE-TIME":
            raise Problem(f"{prop}: VALUE={p.params.get('VALUE')} with a date-time")
        if tzid:
            if tzid not in zones:
                raise Problem(f"{prop}: TZID {tzid} has no VTIMEZONE in the file")
            wall = value.replace(tzinfo=None)
            by_file, ambiguous = localize(zones[tzid], wall)
            # icalendar (pytz, is_dst=False) takes the second of a time that occurs twice.
            checks = {"icalendar": value.astimezone(timezone.utc) if value.tzinfo and not ambiguous else None}
            if ZoneInfo:
                try:
                    checks["zoneinfo"] = wall.replace(tzinfo=ZoneInfo(tzid)).astimezone(timezone.utc)
                except ZoneInfoNotFoundError:
                    pass
            for who, t in checks.items():
                if t is not None and t != by_file:
                    raise Problem(f"{prop} {wall}: the file's VTIMEZONE gives {by_file}, {who} {t}")
            return by_file, wall, False
        if value.tzinfo is None:
            raise Problem(f"{prop}: floating time (neither UTC nor a TZID)")
        return value.astimezone(timezone.utc), None, False
    if isinstance(value, date):
        if p.params.get("VALUE", "").upper() != "DATE":
            raise Problem(f"{prop}: a date without VALUE=DATE")
        return value, value, True
    raise Problem(f"{prop}: unexpected value {value!r}")


def iso(t):
    if isinstance(t, datetime) and t.tzinfo is not None:
        return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return t.isoformat() if t is not None else None


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    problems = physical_lines(data)
    if problems:
        raise Problem("\n".join(problems))
    try:
        cal = Calendar.from_ical(data)
    except Exception as e:  # icalendar raises ValueError, KeyError, ... on bad input
        raise Problem(f"python3-icalendar cannot parse it: {type(e).__name__}: {e}")
    if cal.name != "VCALENDAR":
        raise Problem(f"the top component is {cal.name}, not VCALENDAR")
    for c in cal.walk():
        if c.errors:
            raise Problem(f"{c.name}: icalendar skipped what it could not read: {c.errors}")
    for prop in ("VERSION", "PRODID"):
        if cal.get(prop) is None:
            raise Problem(f"VCALENDAR: {prop} missing")
    raw_cal, raw = raw_events(data.decode("utf-8"))
    zones, tzids = {}, []
    for tz in cal.walk("VTIMEZONE"):
        tzids.append(str(tz["TZID"]))
        try:
            zones[str(tz["TZID"])] = tz.to_tz()
        except Exception as e:
            raise Problem(f"VTIMEZONE {tz.get('TZID')}: {type(e).__name__}: {e}")
    vevents = cal.walk("VEVENT")
    if len(vevents) != len(raw):
        raise Problem(f"icalendar found {len(vevents)} VEVENTs, the raw lines {len(raw)}")
    events = []
    for ev, r in zip(vevents, raw):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if ev.get(prop) is None:
                raise Problem(f"VEVENT: {prop} missing")
        start, start_local, all_day = when(ev, "DTSTART", zones)
        end, _, end_all_day = when(ev, "DTEND", zones)
        if end_all_day != all_day or not end > start:
            raise Problem(f"VEVENT {ev.get('UID')}: DTEND {end} does not follow DTSTART {start}")
        stamp = ev.decoded("DTSTAMP")
        if not isinstance(stamp, datetime) or stamp.utcoffset() is None or stamp.utcoffset().total_seconds():
            raise Problem(f"VEVENT {ev.get('UID')}: DTSTAMP is not in UTC")
        events.append(
            {
                "uid": text(ev, r, "UID"),
                "sequence": int(ev.decoded("SEQUENCE")) if ev.get("SEQUENCE") is not None else None,
                "status": str(ev["STATUS"]) if ev.get("STATUS") is not None else None,
                "summary": text(ev, r, "SUMMARY"),
                "location": text(ev, r, "LOCATION"),
                "url": r.get("URL"),
                "description": text(ev, r, "DESCRIPTION"),
                "start_utc": iso(start),
                "end_utc": iso(end),
                "all_day": all_day,
                "start_local": iso(start_local),
                "stamp": iso(stamp),
                "class": str(ev["CLASS"]) if ev.get("CLASS") is not None else None,
                "transp": str(ev["TRANSP"]) if ev.get("TRANSP") is not None else None,
            }
        )
    calname = unescape(raw_cal["X-WR-CALNAME"], "X-WR-CALNAME") if "X-WR-CALNAME" in raw_cal else None
    return {"calname": calname, "tzids": tzids, "events": events}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: ics_check.py FILE")
    try:
        result = check(sys.argv[1])
    except (Problem, OSError, UnicodeDecodeError) as e:
        print(f"ics_check: {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
