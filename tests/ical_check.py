#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks an iCalendar feed on standard input for the API tests.

Reads the bytes as served, checks what RFC 5545 asks of the octets (CRLF line
ends, lines of at most 75 octets, folds that never split a UTF-8 character, UTC
times), then parses it with a real iCalendar parser (python3-icalendar) and prints
one JSON object: {"ok": bool, "errors": [...], "name": ..., "events": [{uid,
dtstart, dtend, dtstamp, status, summary, sequence}]}. Exit status 0 when ok.
"""
import json
import re
import sys


def main():
    data = sys.stdin.buffer.read()
    errors = []
    if not data.endswith(b"\r\n"):
        errors.append("the feed does not end with CRLF")
    if re.search(rb"(?<!\r)\n", data) or re.search(rb"\r(?!\n)", data):
        errors.append("a line ends with something other than CRLF")
    lines = data.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, line in enumerate(lines, 1):
        if len(line) > 75:
            errors.append("line %d has %d octets" % (number, len(line)))
        try:
            line.decode("utf-8")  # a fold inside a character leaves halves on two lines
        except UnicodeDecodeError:
            errors.append("line %d is not UTF-8 by itself (a split character?)" % number)
    unfolded = re.sub(rb"\r\n[ \t]", b"", data)
    for prop in (b"DTSTART", b"DTEND", b"DTSTAMP", b"CREATED", b"LAST-MODIFIED"):
        for match in re.finditer(rb"^" + prop + rb"[;:]([^\r\n]*)", unfolded, re.M):
            if not re.fullmatch(rb"\d{8}T\d{6}Z", match.group(1).split(b":")[-1]):
                errors.append("%s is not a UTC time: %r" % (prop.decode(), match.group(1)))
    result = {"ok": False, "errors": errors, "events": [], "name": None}
    try:
        import icalendar
    except ImportError:
        errors.append("python3-icalendar is not installed (scripts/deps test)")
        print(json.dumps(result))
        return 1
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as err:  # the parser's own verdict
        errors.append("icalendar cannot parse it: %s" % err)
        print(json.dumps(result))
        return 1
    if cal.name != "VCALENDAR":
        errors.append("the top component is %s" % cal.name)
    for prop in ("VERSION", "PRODID"):
        if prop not in cal:
            errors.append("VCALENDAR has no %s" % prop)
    if str(cal.get("VERSION")) != "2.0":
        errors.append("VERSION is not 2.0")
    name = cal.get("X-WR-CALNAME")
    result["name"] = str(name) if name is not None else None
    for event in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART"):
            if prop not in event:
                errors.append("a VEVENT has no %s" % prop)

        def when(prop):
            value = event.get(prop)
            if value is None:
                return None
            dt = value.dt
            if getattr(dt, "tzinfo", None) is None or dt.utcoffset().total_seconds() != 0:
                errors.append("%s of %s is not UTC" % (prop, event.get("UID")))
            return dt.strftime("%Y-%m-%dT%H:%M:%SZ")

        result["events"].append({
            "uid": str(event.get("UID")),
            "dtstart": when("DTSTART"),
            "dtend": when("DTEND"),
            "dtstamp": when("DTSTAMP"),
            "status": str(event.get("STATUS")) if event.get("STATUS") else None,
            "summary": str(event.get("SUMMARY")) if event.get("SUMMARY") else None,
            "description": str(event.get("DESCRIPTION")) if event.get("DESCRIPTION") else None,
            "sequence": int(event.get("SEQUENCE")) if event.get("SEQUENCE") is not None else None,
        })
    result["ok"] = not errors
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
