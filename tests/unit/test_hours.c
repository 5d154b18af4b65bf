// SPDX-License-Identifier: MIT
// Weekly hours in the business time zone (Europe/Madrid): "HH:MM" and date parsing,
// local days and weekdays, local wall-clock times across both 2026 daylight-saving
// changes, and the phone line's hours from the business plan (Monday to Friday
// 08:30-14:30 and 16:00-20:00): open or closed now, and when that changes next.
// Expected instants come from RFC 3339 text with the right offset.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

/* The instant of RFC 3339 text written in this file; a typo there stops the test. */
static int64_t at(const char *text)
{
	int64_t t = -1;
	if (!hm_time_parse(text, &t)) {
		fprintf(stderr, "bad instant in the test itself: \"%s\"\n", text);
		exit(2);
	}
	return t;
}

/* Days since 1970-01-01 of "YYYY-MM-DD", worked out through UTC midnight. */
static int64_t day_of(const char *date)
{
	char full[32];
	snprintf(full, sizeof full, "%sT00:00:00Z", date);
	return at(full) / 86400;
}

#define HHMM(h, m) ((h)*60 + (m)) /* minutes after local midnight */

static const struct hm_weekly_window phone[] = {
	{1, HHMM(8, 30), HHMM(14, 30)}, {1, HHMM(16, 0), HHMM(20, 0)},
	{2, HHMM(8, 30), HHMM(14, 30)}, {2, HHMM(16, 0), HHMM(20, 0)},
	{3, HHMM(8, 30), HHMM(14, 30)}, {3, HHMM(16, 0), HHMM(20, 0)},
	{4, HHMM(8, 30), HHMM(14, 30)}, {4, HHMM(16, 0), HHMM(20, 0)},
	{5, HHMM(8, 30), HHMM(14, 30)}, {5, HHMM(16, 0), HHMM(20, 0)},
};
static const size_t n_phone = sizeof phone / sizeof phone[0];

static void phone_at(const char *when, bool *open, int64_t *next)
{
	*open = false;
	*next = -1;
	CHECK(hm_hours_state(phone, n_phone, at(when), open, next));
}

static void test_hhmm_parse(void)
{
	int m = -1;
	CHECK(hm_hhmm_parse("08:30", false, &m));
	CHECK_INT(m, 510);
	CHECK(hm_hhmm_parse("00:00", false, &m));
	CHECK_INT(m, 0);
	CHECK(hm_hhmm_parse("23:59", false, &m));
	CHECK_INT(m, 1439);
	CHECK(hm_hhmm_parse("20:00", true, &m));
	CHECK_INT(m, 1200);
	/* "24:00" is an end of day, only where an end is expected. */
	m = -1;
	CHECK(hm_hhmm_parse("24:00", true, &m));
	CHECK_INT(m, 1440);
	CHECK(!hm_hhmm_parse("24:00", false, &m));
	CHECK(!hm_hhmm_parse("24:01", true, &m));
	static const char *const bad[] = {
		"8:30",  "08:60",  "25:00", "08-30", "",      "08:3",  "008:30", "08:300",
		" 8:30", "08:30 ", "ab:cd", "-1:00", "08.30", "99:99", "0830",
	};
	int accepted = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (hm_hhmm_parse(bad[i], true, &m)) {
			fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
			accepted++;
		}
	}
	CHECK_INT(accepted, 0);
	/* The code checks for NULL (hours.c), so a missing field is simply refused. */
	CHECK(!hm_hhmm_parse(NULL, true, &m));
}

static void test_hhmm_format_round_trips(void)
{
	char out[6];
	hm_hhmm_format(510, out);
	CHECK_STR(out, "08:30");
	hm_hhmm_format(0, out);
	CHECK_STR(out, "00:00");
	hm_hhmm_format(1439, out);
	CHECK_STR(out, "23:59");
	hm_hhmm_format(1440, out);
	CHECK_STR(out, "24:00");
	int mismatches = 0;
	for (int minutes = 0; minutes <= 1440; minutes++) {
		int back = -1;
		hm_hhmm_format(minutes, out);
		if (!hm_hhmm_parse(out, true, &back) || back != minutes)
			mismatches++;
	}
	CHECK_INT(mismatches, 0);
}

static void test_date_parse(void)
{
	int64_t day = -1;
	CHECK(hm_date_parse("2026-11-24", &day));
	CHECK_INT(day, day_of("2026-11-24"));
	CHECK(hm_date_parse("1970-01-01", &day));
	CHECK_INT(day, 0);
	CHECK(hm_date_parse("2028-02-29", &day)); /* a leap day */
	CHECK_INT(day, day_of("2028-02-29"));
	static const char *const bad[] = {
		"2026-02-30", "2026-02-29",  "2026-04-31",  "2026-13-01", "2026-00-10",
		"2026-11-00", "2026-11-24T", "24-11-2026",  "2026/11/24", "2026-11-2",
		"",           "20261124",    "2026-11-24 ", "2026-1-124",
	};
	int accepted = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (hm_date_parse(bad[i], &day)) {
			fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
			accepted++;
		}
	}
	CHECK_INT(accepted, 0);
	CHECK(!hm_date_parse(NULL, &day)); /* hours.c checks for NULL */
}

static void test_local_day_and_weekday(void)
{
	int64_t day = -1;
	int weekday = -1;
	hm_local_day(at("2026-11-23T12:00:00+01:00"), &day, &weekday);
	CHECK_INT(day, day_of("2026-11-23"));
	CHECK_INT(weekday, 1); /* Monday */
	hm_local_day(at("2026-11-29T12:00:00+01:00"), &day, &weekday);
	CHECK_INT(day, day_of("2026-11-29"));
	CHECK_INT(weekday, 7); /* Sunday */
	/* 23:30 UTC on Sunday 22 November is already 00:30 on Monday in Bilbao (UTC+1). */
	hm_local_day(at("2026-11-22T23:30:00Z"), &day, &weekday);
	CHECK_INT(day, day_of("2026-11-23"));
	CHECK_INT(weekday, 1);
	/* One minute earlier by local time it is still Sunday. */
	hm_local_day(at("2026-11-22T22:59:00Z"), &day, &weekday);
	CHECK_INT(day, day_of("2026-11-22"));
	CHECK_INT(weekday, 7);
	/* In summer (UTC+2), 22:30 UTC on Sunday 14 June is 00:30 on Monday 15 June. */
	hm_local_day(at("2026-06-14T22:30:00Z"), &day, &weekday);
	CHECK_INT(day, day_of("2026-06-15"));
	CHECK_INT(weekday, 1);
	hm_local_day(at("2026-06-14T21:59:00Z"), &day, &weekday);
	CHECK_INT(day, day_of("2026-06-14"));
	CHECK_INT(weekday, 7);
	/* Each weekday of one week. */
	static const char *const week[] = {"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26",
					   "2026-11-27", "2026-11-28", "2026-11-29"};
	for (int i = 0; i < 7; i++) {
		char text[32];
		snprintf(text, sizeof text, "%sT09:00:00+01:00", week[i]);
		hm_local_day(at(text), &day, &weekday);
		CHECK_INT(weekday, i + 1);
	}
}

static void test_local_instant_across_daylight_saving(void)
{
	/* Spring: clocks go forward on Sunday 29 March 2026. */
	CHECK_INT(hm_local_instant(day_of("2026-03-27"), HHMM(8, 30)), at("2026-03-27T07:30:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-03-29"), HHMM(8, 30)), at("2026-03-29T06:30:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-03-30"), HHMM(8, 30)), at("2026-03-30T06:30:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-03-29"), 0), at("2026-03-28T23:00:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-03-29"), HHMM(1, 59)), at("2026-03-29T00:59:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-03-29"), HHMM(3, 0)), at("2026-03-29T01:00:00Z"));
	/* 02:00 does not exist that day: it is the instant the gap ends, 03:00 CEST. */
	CHECK_INT(hm_local_instant(day_of("2026-03-29"), HHMM(2, 0)), at("2026-03-29T01:00:00Z"));
	/* 02:30 does not exist either; it must land after the gap (not before it). */
	int64_t gap = hm_local_instant(day_of("2026-03-29"), HHMM(2, 30));
	CHECK(gap >= at("2026-03-29T01:00:00Z") && gap < at("2026-03-29T02:00:00Z"));
	/* Autumn: clocks go back on Sunday 25 October 2026. */
	CHECK_INT(hm_local_instant(day_of("2026-10-23"), HHMM(8, 30)), at("2026-10-23T06:30:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-10-25"), HHMM(8, 30)), at("2026-10-25T07:30:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-10-26"), HHMM(8, 30)), at("2026-10-26T07:30:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-10-25"), HHMM(1, 0)), at("2026-10-24T23:00:00Z"));
	CHECK_INT(hm_local_instant(day_of("2026-10-25"), HHMM(3, 0)), at("2026-10-25T02:00:00Z"));
	/* "24:00" ends the day: the next local midnight. */
	CHECK_INT(hm_local_instant(day_of("2026-11-24"), 1440), at("2026-11-25T00:00:00+01:00"));
	CHECK_INT(hm_local_instant(day_of("2026-03-28"), 1440), at("2026-03-29T00:00:00+01:00"));
	CHECK_INT(hm_local_instant(day_of("2026-03-29"), 1440), at("2026-03-30T00:00:00+02:00"));
}

static void test_phone_hours_during_a_weekday(void)
{
	bool open;
	int64_t next;
	/* Monday 23 November 2026, winter time (UTC+1). */
	phone_at("2026-11-23T10:00:00+01:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-11-23T14:30:00+01:00"));
	/* The start of a window is included. */
	phone_at("2026-11-23T08:30:00+01:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-11-23T14:30:00+01:00"));
	phone_at("2026-11-23T08:29:59+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-11-23T08:30:00+01:00"));
	/* The end is excluded: at 14:30 sharp the line is closed until 16:00. */
	phone_at("2026-11-23T14:30:00+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-11-23T16:00:00+01:00"));
	phone_at("2026-11-23T14:29:59+01:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-11-23T14:30:00+01:00"));
	/* The lunch gap. */
	phone_at("2026-11-23T15:00:00+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-11-23T16:00:00+01:00"));
	phone_at("2026-11-23T16:00:00+01:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-11-23T20:00:00+01:00"));
	/* Evening: closed until Tuesday morning. */
	phone_at("2026-11-23T20:00:00+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-11-24T08:30:00+01:00"));
	/* Early morning, before opening. */
	phone_at("2026-11-24T03:00:00+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-11-24T08:30:00+01:00"));
	/* In summer (UTC+2) the same local hours hold. */
	phone_at("2026-06-15T10:00:00+02:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-06-15T14:30:00+02:00"));
}

static void test_phone_hours_over_the_weekend(void)
{
	bool open;
	int64_t next;
	/* Friday evening: closed until Monday 08:30. */
	phone_at("2026-11-27T21:00:00+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-11-30T08:30:00+01:00"));
	phone_at("2026-11-27T19:30:00+01:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-11-27T20:00:00+01:00"));
	phone_at("2026-11-28T12:00:00+01:00", &open, &next); /* Saturday */
	CHECK(!open);
	CHECK_INT(next, at("2026-11-30T08:30:00+01:00"));
	phone_at("2026-11-29T23:59:00+01:00", &open, &next); /* Sunday night */
	CHECK(!open);
	CHECK_INT(next, at("2026-11-30T08:30:00+01:00"));
	/* The weekend of the spring change: Monday 08:30 is CEST (UTC+2). */
	phone_at("2026-03-27T21:00:00+01:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-03-30T06:30:00Z"));
	phone_at("2026-03-30T10:00:00+02:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-03-30T12:30:00Z"));
	/* The weekend of the autumn change: Monday 08:30 is CET (UTC+1). */
	phone_at("2026-10-23T21:00:00+02:00", &open, &next);
	CHECK(!open);
	CHECK_INT(next, at("2026-10-26T07:30:00Z"));
	phone_at("2026-10-26T09:00:00+01:00", &open, &next);
	CHECK(open);
	CHECK_INT(next, at("2026-10-26T13:30:00Z"));
}

static void test_weekly_window_reopens_a_week_later(void)
{
	/* A line open only on Tuesdays 16:00-20:00. */
	static const struct hm_weekly_window tue[] = {{2, HHMM(16, 0), HHMM(20, 0)}};
	bool open = true;
	int64_t next = -1;
	CHECK(hm_hours_state(tue, 1, at("2026-11-24T20:00:00+01:00"), &open, &next));
	CHECK(!open);
	CHECK_INT(next, at("2026-12-01T16:00:00+01:00"));
	CHECK(hm_hours_state(tue, 1, at("2026-11-25T09:00:00+01:00"), &open, &next));
	CHECK(!open);
	CHECK_INT(next, at("2026-12-01T16:00:00+01:00"));
}

static void test_no_hours_means_always_open(void)
{
	bool open = false;
	int64_t next = -1;
	CHECK(hm_hours_state(phone, 0, at("2026-11-28T03:00:00+01:00"), &open, &next));
	CHECK(open);
	CHECK_INT(next, 0);
	CHECK(hm_hours_state(NULL, 0, at("2026-11-23T10:00:00+01:00"), &open, &next));
	CHECK(open);
	CHECK_INT(next, 0);
}

static void test_all_day_every_day_never_changes(void)
{
	struct hm_weekly_window all[7];
	for (int i = 0; i < 7; i++)
		all[i] = (struct hm_weekly_window){i + 1, 0, 1440};
	static const char *const whens[] = {
		"2026-11-23T10:00:00+01:00", "2026-11-29T23:59:59+01:00",
		"2026-11-30T00:00:00+01:00", "2026-03-28T23:30:00+01:00",
		"2026-10-24T23:30:00+02:00",
	};
	for (size_t i = 0; i < sizeof whens / sizeof whens[0]; i++) {
		bool open = false;
		int64_t next = -1;
		CHECK(hm_hours_state(all, 7, at(whens[i]), &open, &next));
		CHECK(open);
		CHECK_INT(next, 0);
	}
}

static void test_touching_windows_do_not_flip(void)
{
	static const struct hm_weekly_window w[] = {
		{1, HHMM(12, 0), HHMM(14, 0)}, /* listed out of order on purpose */
		{1, HHMM(10, 0), HHMM(12, 0)},
	};
	bool open = false;
	int64_t next = -1;
	CHECK(hm_hours_state(w, 2, at("2026-11-23T11:00:00+01:00"), &open, &next));
	CHECK(open);
	CHECK_INT(next, at("2026-11-23T14:00:00+01:00"));
	CHECK(hm_hours_state(w, 2, at("2026-11-23T12:00:00+01:00"), &open, &next));
	CHECK(open);
	CHECK_INT(next, at("2026-11-23T14:00:00+01:00"));
	CHECK(hm_hours_state(w, 2, at("2026-11-23T09:00:00+01:00"), &open, &next));
	CHECK(!open);
	CHECK_INT(next, at("2026-11-23T10:00:00+01:00"));
}

static void test_windows_disjoint(void)
{
	CHECK(hm_windows_disjoint(phone, n_phone));
	static const struct hm_weekly_window overlap[] = {{2, HHMM(16, 0), HHMM(20, 0)},
							  {2, HHMM(19, 0), HHMM(21, 0)}};
	CHECK(!hm_windows_disjoint(overlap, 2));
	static const struct hm_weekly_window inside[] = {{3, HHMM(10, 0), HHMM(14, 0)},
							 {3, HHMM(11, 0), HHMM(12, 0)}};
	CHECK(!hm_windows_disjoint(inside, 2));
	static const struct hm_weekly_window same[] = {{4, HHMM(10, 0), HHMM(14, 0)},
						       {4, HHMM(10, 0), HHMM(14, 0)}};
	CHECK(!hm_windows_disjoint(same, 2));
	static const struct hm_weekly_window touching[] = {{1, HHMM(10, 0), HHMM(12, 0)},
							   {1, HHMM(12, 0), HHMM(14, 0)}};
	CHECK(hm_windows_disjoint(touching, 2));
	static const struct hm_weekly_window other_days[] = {{1, HHMM(10, 0), HHMM(14, 0)},
							     {2, HHMM(10, 0), HHMM(14, 0)}};
	CHECK(hm_windows_disjoint(other_days, 2));
	/* An overlap hidden among other windows is still found. */
	static const struct hm_weekly_window mixed[] = {{1, HHMM(8, 0), HHMM(9, 0)},
							{2, HHMM(8, 0), HHMM(9, 0)},
							{5, HHMM(16, 0), HHMM(18, 0)},
							{1, HHMM(8, 59), HHMM(10, 0)}};
	CHECK(!hm_windows_disjoint(mixed, 4));
	CHECK(hm_windows_disjoint(mixed, 3));
	CHECK(hm_windows_disjoint(phone, 0));
}

/* An autumn time that happens twice is its first occurrence, whatever the
 * conversion before it was (mktime's own guess depends on the previous call). */
static void test_ambiguous_autumn_time_is_always_the_first(void)
{
	int64_t day = 0, first = 0;
	CHECK(hm_date_parse("2026-10-25", &day));
	CHECK(hm_time_parse("2026-10-25T02:30:00+02:00", &first));
	(void)hm_local_instant(day + 1, 10 * 60); /* winter time just before */
	CHECK_INT(hm_local_instant(day, 150), first);
	(void)hm_local_instant(day - 1, 10 * 60); /* summer time just before */
	CHECK_INT(hm_local_instant(day, 150), first);
}

/* No answer is not "never changes": an instant without a local time, or windows
 * whose edges cannot be held, make hm_hours_state fail so the caller answers 500. */
static void test_hours_state_without_an_answer_fails(void)
{
	bool open = false;
	int64_t next = -1;
	CHECK(!hm_hours_state(phone, n_phone, INT64_MAX, &open, &next));
	CHECK_INT(next, 0);
	next = -1;
	CHECK(!hm_hours_state(phone, SIZE_MAX / 2, at("2026-11-23T10:00:00+01:00"), &open, &next));
	CHECK_INT(next, 0);
	/* No windows needs no local time: always open, still an answer. */
	CHECK(hm_hours_state(phone, 0, INT64_MAX, &open, &next));
	CHECK(open);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	RUN(test_hhmm_parse);
	RUN(test_hhmm_format_round_trips);
	RUN(test_date_parse);
	RUN(test_local_day_and_weekday);
	RUN(test_local_instant_across_daylight_saving);
	RUN(test_phone_hours_during_a_weekday);
	RUN(test_phone_hours_over_the_weekend);
	RUN(test_weekly_window_reopens_a_week_later);
	RUN(test_no_hours_means_always_open);
	RUN(test_all_day_every_day_never_changes);
	RUN(test_touching_windows_do_not_flip);
	RUN(test_windows_disjoint);
	RUN(test_ambiguous_autumn_time_is_always_the_first);
	RUN(test_hours_state_without_an_answer_fails);
	return CHECK_EXIT();
}
