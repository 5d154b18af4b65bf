// SPDX-License-Identifier: MIT
// The iCalendar writer (src/util/ical.c): content lines end in CRLF and are folded
// at 75 octets, a fold never splits a UTF-8 character and unfolding gives the line
// back; TEXT values escape backslash, semicolon, comma and line breaks and drop
// other control characters; times are UTC; an event carries what RFC 5545 asks;
// a calendar without events gets the one x-comp placeholder, every time still UTC.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/ical.h"
#include "harreman/timefmt.h"

/* Checks the physical lines of text: CRLF only, at most 75 octets, each valid
 * UTF-8 by itself, continuation lines start with one space. */
static void check_lines(const char *text)
{
	const char *p = text;
	while (*p) {
		const char *end = strstr(p, "\r\n");
		CHECK(end != NULL);
		if (!end)
			return;
		size_t len = (size_t)(end - p);
		CHECK(len <= 75);
		CHECK(memchr(p, '\n', len) == NULL && memchr(p, '\r', len) == NULL);
		/* Valid UTF-8 on its own: no sequence cut at either end. */
		const unsigned char *u = (const unsigned char *)p;
		CHECK(len == 0 || (u[0] & 0xC0) != 0x80);
		for (size_t i = 0; i < len;) {
			size_t need = u[i] < 0x80             ? 1
				      : (u[i] & 0xE0) == 0xC0 ? 2
				      : (u[i] & 0xF0) == 0xE0 ? 3
							      : 4;
			CHECK(i + need <= len);
			i += need;
		}
		p = end + 2;
	}
}

/* Removes the folds (CRLF followed by a space). */
static char *unfold(const char *text)
{
	char *out = malloc(strlen(text) + 1);
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}

static char *text_line(const char *name, const char *value)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 20);
	CHECK(hm_ical_text(&b, name, value));
	return hm_buf_detach(&b, NULL);
}

static void test_times_are_utc(void)
{
	char t[HM_ICAL_TIME_LEN];
	int64_t at = 0;
	CHECK(hm_time_parse("2026-11-24T16:00:00+01:00", &at));
	hm_ical_time(at, t);
	CHECK_STR(t, "20261124T150000Z");
	hm_ical_time(0, t);
	CHECK_STR(t, "19700101T000000Z");
}

static void test_short_lines_are_not_folded(void)
{
	char *line = text_line("SUMMARY", "Maths");
	CHECK_STR(line, "SUMMARY:Maths\r\n");
	free(line);
	struct hm_buf b;
	hm_buf_init(&b, 1024);
	/* Exactly 75 octets: one line. */
	char value[80];
	memset(value, 'x', 75 - 8);
	value[75 - 8] = '\0';
	CHECK(hm_ical_line(&b, "SUMMARY", value));
	CHECK_INT(b.len, 75 + 2);
	CHECK(strstr(b.data, "\r\n ") == NULL);
	hm_buf_release(&b);
	/* 76: folded. */
	hm_buf_init(&b, 1024);
	memset(value, 'x', 76 - 8);
	value[76 - 8] = '\0';
	CHECK(hm_ical_line(&b, "SUMMARY", value));
	CHECK(strstr(b.data, "\r\n x\r\n") != NULL);
	check_lines(b.data);
	hm_buf_release(&b);
}

static void test_folding_never_splits_characters(void)
{
	static const char *const chars[] = {"a", "ñ", "€", "😀"};
	for (size_t c = 0; c < 4; c++) {
		for (int n = 60; n < 200; n += 7) {
			char value[1024] = "";
			for (int k = 0; k < n; k++)
				snprintf(value + strlen(value), sizeof value - strlen(value), "%s",
					 chars[c]);
			char *line = text_line("DESCRIPTION", value);
			check_lines(line);
			char *back = unfold(line);
			char expect[1100];
			snprintf(expect, sizeof expect, "DESCRIPTION:%s\r\n", value);
			CHECK_STR(back, expect);
			free(back);
			free(line);
		}
	}
}

static void test_text_escaping(void)
{
	char *line = text_line("SUMMARY", "Maths, one to one; a\\b");
	CHECK_STR(line, "SUMMARY:Maths\\, one to one\\; a\\\\b\r\n");
	free(line);
	line = text_line("DESCRIPTION", "line one\nline two\r\nline three\rfour");
	CHECK_STR(line, "DESCRIPTION:line one\\nline two\\nline three\\nfour\r\n");
	free(line);
	/* Other control characters go; a tab stays (TEXT allows HTAB). */
	line = text_line("SUMMARY", "a\x01"
				    "b\tc\x7f"
				    "d");
	CHECK_STR(line, "SUMMARY:ab\tcd\r\n");
	free(line);
	/* An escape is never split by a fold either: unfolding restores it. */
	char value[200] = "";
	for (int k = 0; k < 40; k++)
		snprintf(value + strlen(value), sizeof value - strlen(value), ",;");
	line = text_line("SUMMARY", value);
	check_lines(line);
	char *back = unfold(line);
	CHECK(strstr(back, "\\,\\;\\,\\;") != NULL);
	free(back);
	free(line);
}

static void test_calendar_and_event(void)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_ical_begin(&b, "-//Harreman//Harreman 0.1.0//EU", "Harreman: Ane"));
	struct hm_ical_event e = {
		.uid = "lesson-42-0123456789abcdef@harreman",
		.dtstamp = 1795442313,
		.created = 1795400000,
		.starts = 1795536000,
		.ends = 1795539600,
		.summary = "Matemáticas, Mikel",
		.cancelled = false,
	};
	CHECK(hm_ical_event(&b, &e));
	e.cancelled = true;
	e.sequence = 1;
	CHECK(hm_ical_event(&b, &e));
	CHECK(hm_ical_end(&b));
	const char *text = b.data;
	check_lines(text);
	CHECK(strncmp(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
	CHECK(strstr(text, "\r\nX-WR-CALNAME:Harreman: Ane\r\n") != NULL);
	CHECK(strstr(text, "\r\nBEGIN:VEVENT\r\nUID:lesson-42-0123456789abcdef@harreman\r\n") !=
	      NULL);
	CHECK(strstr(text, "\r\nDTSTAMP:20261123T135833Z\r\n") != NULL);
	CHECK(strstr(text, "\r\nDTSTART:20261124T160000Z\r\n") != NULL);
	CHECK(strstr(text, "\r\nDTEND:20261124T170000Z\r\n") != NULL);
	CHECK(strstr(text, "\r\nSTATUS:CONFIRMED\r\n") != NULL);
	CHECK(strstr(text, "\r\nSTATUS:CANCELLED\r\n") != NULL);
	CHECK(strstr(text, "\r\nSEQUENCE:1\r\n") != NULL);
	CHECK(strstr(text, "\r\nSUMMARY:Matemáticas\\, Mikel\r\n") != NULL);
	CHECK(strcmp(text + b.len - 15, "END:VCALENDAR\r\n") == 0);
	/* Without created, no CREATED line. */
	hm_buf_release(&b);
	hm_buf_init(&b, 1 << 16);
	e.created = 0;
	CHECK(hm_ical_event(&b, &e));
	CHECK(strstr(b.data, "CREATED") == NULL);
	hm_buf_release(&b);
}

static void test_empty_calendar_has_a_component(void)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_ical_begin(&b, "-//Harreman//Harreman 0.1.0//EU", "Harreman: Maite"));
	CHECK(hm_ical_placeholder(&b));
	CHECK(hm_ical_end(&b));
	const char *text = b.data;
	check_lines(text);
	/* An x-comp (RFC 5545 §3.6) with a content line in it, before the end. */
	const char *begin = strstr(text, "\r\nBEGIN:X-HARREMAN-EMPTY\r\n");
	const char *end = strstr(text, "\r\nEND:X-HARREMAN-EMPTY\r\nEND:VCALENDAR\r\n");
	CHECK(begin != NULL && end != NULL && begin < end);
	CHECK(begin && end && strstr(begin + 2, "\r\n") < end); /* one line at least */
	/* No time at all, so none that is not UTC. */
	CHECK(strstr(text, "DTSTART") == NULL && strstr(text, "TZID") == NULL);
	hm_buf_release(&b);
}

int main(void)
{
	RUN(test_times_are_utc);
	RUN(test_short_lines_are_not_folded);
	RUN(test_folding_never_splits_characters);
	RUN(test_text_escaping);
	RUN(test_calendar_and_event);
	RUN(test_empty_calendar_has_a_component);
	return CHECK_EXIT();
}
