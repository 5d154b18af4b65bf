/* SPDX-License-Identifier: MIT */
/* An iCalendar writer (RFC 5545), as pure functions: content lines end in CRLF and
 * are folded at 75 octets without splitting a UTF-8 character, TEXT values are
 * escaped, every time is UTC ("20261124T150000Z"). Enough for a read-only feed of
 * events; no parsing. */
#ifndef HARREMAN_ICAL_H
#define HARREMAN_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/buf.h"

#define HM_ICAL_TIME_LEN 17 /* "20261124T150000Z" and the NUL */

/* One VEVENT. Strings are borrowed UTF-8; NULL leaves the property out. */
struct hm_ical_event {
	const char *uid; /* stable: the same event always has the same UID */
	int64_t dtstamp; /* when the event's information last changed */
	int64_t created; /* 0: left out */
	int64_t starts, ends;
	const char *summary;
	const char *description;
	bool cancelled; /* STATUS:CANCELLED, else STATUS:CONFIRMED */
	int sequence;   /* revision: 0, then higher after each change */
};

/* Writes t as a UTC DATE-TIME ("YYYYMMDDTHHMMSSZ"). */
void hm_ical_time(int64_t t, char out[HM_ICAL_TIME_LEN]);

/* Appends one content line "name:value" (value written as given), folded. */
bool hm_ical_line(struct hm_buf *out, const char *name, const char *value);

/* Appends "name:text" with text escaped as a TEXT value (backslash, ";", ","
 * and line breaks; other control characters dropped), folded. */
bool hm_ical_text(struct hm_buf *out, const char *name, const char *text);

/* BEGIN:VCALENDAR with VERSION, PRODID, CALSCALE, the calendar's name (NAME and
 * X-WR-CALNAME) and a refresh interval of an hour. No METHOD: so DTSTAMP means "last
 * revised", which keeps a feed's bytes stable while nothing changes. */
bool hm_ical_begin(struct hm_buf *out, const char *prodid, const char *name);

/* One VEVENT. */
bool hm_ical_event(struct hm_buf *out, const struct hm_ical_event *e);

/* A component that stands in for events when a calendar has none: RFC 5545 §3.4
 * asks every VCALENDAR for at least one component, and an x-comp is the one every
 * application must ignore (§3.6), so an empty feed stays valid and shows nothing.
 * (A VTIMEZONE would do too, but its local-time DTSTART breaks the rule that every
 * time in a feed is UTC.) */
bool hm_ical_placeholder(struct hm_buf *out);

/* END:VCALENDAR. */
bool hm_ical_end(struct hm_buf *out);

#endif
