// SPDX-License-Identifier: MIT
// The iCalendar writer (include/harreman/ical.h). Every line goes through
// put_folded(), the one place that knows the 75-octet rule.
#include <stdio.h>
#include <string.h>

#include "harreman/ical.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

#define FOLD_AT 75 /* octets per line, not counting CRLF; a continuation's space counts */
#define LINE_CAP ((size_t)256 * 1024) /* one unfolded content line at most */

void hm_ical_time(int64_t t, char out[HM_ICAL_TIME_LEN])
{
	char rfc[HM_RFC3339_LEN];
	hm_time_format(t, rfc); /* "2026-11-24T15:00:00Z" */
	char text[32];
	snprintf(text, sizeof text, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", rfc, rfc + 5, rfc + 8, rfc + 11,
		 rfc + 14, rfc + 17);
	memcpy(out, text, HM_ICAL_TIME_LEN - 1);
	out[HM_ICAL_TIME_LEN - 1] = '\0';
}

/* Appends line[0..len) folded, then CRLF. A fold never falls inside a UTF-8
 * sequence: it moves back to the start of the character. */
static bool put_folded(struct hm_buf *out, const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line;
	size_t done = 0, room = FOLD_AT;
	while (len - done > room) {
		size_t cut = done + room;
		while (cut > done && (p[cut] & 0xC0) == 0x80)
			cut--;
		if (cut == done)
			cut = done + room; /* not UTF-8 at all: cut anyway */
		if (!hm_buf_append(out, line + done, cut - done) || !hm_buf_append(out, "\r\n ", 3))
			return false;
		done = cut;
		room = FOLD_AT - 1;
	}
	return hm_buf_append(out, line + done, len - done) && hm_buf_append(out, "\r\n", 2);
}

bool hm_ical_line(struct hm_buf *out, const char *name, const char *value)
{
	struct hm_buf line;
	hm_buf_init(&line, LINE_CAP);
	bool ok = hm_buf_printf(&line, "%s:%s", name, value ? value : "") &&
		  put_folded(out, line.data, line.len);
	hm_buf_release(&line);
	return ok;
}

bool hm_ical_text(struct hm_buf *out, const char *name, const char *text)
{
	struct hm_buf line;
	hm_buf_init(&line, LINE_CAP);
	bool ok = hm_buf_printf(&line, "%s:", name);
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); ok && *p; p++) {
		switch (*p) {
		case '\\': ok = hm_buf_append(&line, "\\\\", 2); break;
		case ';': ok = hm_buf_append(&line, "\\;", 2); break;
		case ',': ok = hm_buf_append(&line, "\\,", 2); break;
		case '\n': ok = hm_buf_append(&line, "\\n", 2); break;
		case '\r':
			if (p[1] != '\n')
				ok = hm_buf_append(&line, "\\n", 2);
			break;
		default:
			/* TEXT allows HTAB but no other control character. */
			if ((*p >= 0x20 && *p != 0x7f) || *p == '\t')
				ok = hm_buf_append(&line, p, 1);
			break;
		}
	}
	ok = ok && put_folded(out, line.data, line.len);
	hm_buf_release(&line);
	return ok;
}

bool hm_ical_begin(struct hm_buf *out, const char *prodid, const char *name)
{
	return hm_ical_line(out, "BEGIN", "VCALENDAR") && hm_ical_line(out, "VERSION", "2.0") &&
	       hm_ical_line(out, "PRODID", prodid) && hm_ical_line(out, "CALSCALE", "GREGORIAN") &&
	       hm_ical_text(out, "NAME", name) && hm_ical_text(out, "X-WR-CALNAME", name) &&
	       hm_ical_line(out, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
}

bool hm_ical_event(struct hm_buf *out, const struct hm_ical_event *e)
{
	char stamp[HM_ICAL_TIME_LEN], created[HM_ICAL_TIME_LEN], start[HM_ICAL_TIME_LEN],
		end[HM_ICAL_TIME_LEN], seq[24];
	hm_ical_time(e->dtstamp, stamp);
	hm_ical_time(e->created, created);
	hm_ical_time(e->starts, start);
	hm_ical_time(e->ends, end);
	snprintf(seq, sizeof seq, "%d", e->sequence);
	return hm_ical_line(out, "BEGIN", "VEVENT") && hm_ical_text(out, "UID", e->uid) &&
	       hm_ical_line(out, "DTSTAMP", stamp) &&
	       (!e->created || hm_ical_line(out, "CREATED", created)) &&
	       hm_ical_line(out, "LAST-MODIFIED", stamp) && hm_ical_line(out, "DTSTART", start) &&
	       hm_ical_line(out, "DTEND", end) && hm_ical_line(out, "SEQUENCE", seq) &&
	       hm_ical_line(out, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED") &&
	       (!e->summary || hm_ical_text(out, "SUMMARY", e->summary)) &&
	       (!e->description || hm_ical_text(out, "DESCRIPTION", e->description)) &&
	       hm_ical_line(out, "TRANSP", e->cancelled ? "TRANSPARENT" : "OPAQUE") &&
	       hm_ical_line(out, "END", "VEVENT");
}

bool hm_ical_placeholder(struct hm_buf *out)
{
	return hm_ical_line(out, "BEGIN", "X-HARREMAN-EMPTY") &&
	       hm_ical_text(out, "COMMENT", "No lessons in this calendar.") &&
	       hm_ical_line(out, "END", "X-HARREMAN-EMPTY");
}

bool hm_ical_end(struct hm_buf *out)
{
	return hm_ical_line(out, "END", "VCALENDAR");
}
