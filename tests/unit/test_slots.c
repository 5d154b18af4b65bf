// SPDX-License-Identifier: MIT
// Bookable slots: a tutor's weekly windows step by the service's duration (whole
// slots, future only), minus the time the tutor already teaches (whatever the
// service); group sessions show the seats left and vanish when full; local times
// keep their wall-clock value across daylight saving. Expected instants come from
// RFC 3339 text with the right offset (Europe/Madrid).
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harreman/hours.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"

#define HHMM(h, m) ((h)*60 + (m)) /* minutes after local midnight */
#define MAX_OUT 256

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

/* A tutor available on Tuesdays 16:00-20:00. */
static const struct hm_weekly_window tuesday[] = {{2, HHMM(16, 0), HHMM(20, 0)}};

/* A private 60-minute service over the week of Monday 23 November 2026, asked about
 * at the start of the month. */
static struct hm_slot_query week_query(int duration_min)
{
	struct hm_slot_query q;
	memset(&q, 0, sizeof q);
	q.windows = tuesday;
	q.n_windows = 1;
	q.service_id = 1;
	q.duration_min = duration_min;
	q.capacity = 1;
	q.shared = false;
	q.first_day = day_of("2026-11-23");
	q.last_day = day_of("2026-11-29");
	q.now = at("2026-11-01T00:00:00Z");
	return q;
}

/* A group service (capacity 4) on the same Tuesday window. */
static struct hm_slot_query group_query(void)
{
	struct hm_slot_query q = week_query(60);
	q.service_id = 2;
	q.capacity = 4;
	q.shared = true;
	return q;
}

static void print_slots(const char *label, const struct hm_slot *s, size_t n)
{
	fprintf(stderr, "  %s (%zu):", label, n);
	for (size_t i = 0; i < n; i++) {
		char a[HM_RFC3339_LEN], b[HM_RFC3339_LEN];
		hm_time_format(s[i].starts, a);
		hm_time_format(s[i].ends, b);
		fprintf(stderr, " [%s..%s seats %d]", a, b, s[i].seats_left);
	}
	fprintf(stderr, "\n");
}

/* True when q gives exactly the slots starting at want[] (RFC 3339), each lasting
 * the service's duration, with seats[] left (1 each when seats is NULL), in order.
 * Prints what it got otherwise. */
static bool slots_are(const struct hm_slot_query *q, const char *const want[], size_t n_want,
		      const int seats[])
{
	struct hm_slot out[MAX_OUT];
	size_t n = hm_slots_generate(q, out, MAX_OUT);
	bool ok = n == n_want;
	for (size_t i = 0; ok && i < n; i++) {
		int64_t starts = at(want[i]);
		if (out[i].starts != starts ||
		    out[i].ends != starts + (int64_t)q->duration_min * 60 ||
		    out[i].seats_left != (seats ? seats[i] : 1))
			ok = false;
	}
	if (!ok) {
		print_slots("got", out, n < MAX_OUT ? n : MAX_OUT);
		fprintf(stderr, "  wanted (%zu):", n_want);
		for (size_t i = 0; i < n_want; i++)
			fprintf(stderr, " %s/%d", want[i], seats ? seats[i] : 1);
		fprintf(stderr, "\n");
	}
	return ok;
}

static void test_a_week_gives_the_tuesday_slots(void)
{
	struct hm_slot_query q = week_query(60);
	static const char *const want[] = {"2026-11-24T16:00:00+01:00", "2026-11-24T17:00:00+01:00",
					   "2026-11-24T18:00:00+01:00",
					   "2026-11-24T19:00:00+01:00"};
	CHECK(slots_are(&q, want, 4, NULL));
	/* Only the Tuesday: a range without one has no slots. */
	q.first_day = day_of("2026-11-25");
	q.last_day = day_of("2026-11-30");
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 0);
	/* Both ends of the range are included. */
	q.first_day = q.last_day = day_of("2026-11-24");
	CHECK(slots_are(&q, want, 4, NULL));
	/* Two weeks give two Tuesdays. */
	q.first_day = day_of("2026-11-23");
	q.last_day = day_of("2026-12-01");
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 8);
	/* A range that ends before it starts is empty. */
	q.first_day = day_of("2026-11-29");
	q.last_day = day_of("2026-11-23");
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 0);
}

static void test_whole_slots_only(void)
{
	struct hm_slot_query q = week_query(90);
	static const char *const ninety[] = {"2026-11-24T16:00:00+01:00",
					     "2026-11-24T17:30:00+01:00"};
	CHECK(slots_are(&q, ninety, 2, NULL)); /* 19:00 would end at 20:30 */
	q = week_query(120);
	static const char *const two_hours[] = {"2026-11-24T16:00:00+01:00",
						"2026-11-24T18:00:00+01:00"};
	CHECK(slots_are(&q, two_hours, 2, NULL));
	q = week_query(240);
	static const char *const whole[] = {"2026-11-24T16:00:00+01:00"};
	CHECK(slots_are(&q, whole, 1, NULL));
	q = week_query(241);
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 0);
	q = week_query(0);
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 0);
}

static void test_windows_in_any_order_give_slots_in_time_order(void)
{
	static const struct hm_weekly_window w[] = {
		{4, HHMM(10, 0), HHMM(11, 0)},
		{2, HHMM(18, 0), HHMM(20, 0)},
		{2, HHMM(10, 0), HHMM(12, 0)},
	};
	struct hm_slot_query q = week_query(60);
	q.windows = w;
	q.n_windows = 3;
	static const char *const want[] = {"2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00",
					   "2026-11-24T18:00:00+01:00", "2026-11-24T19:00:00+01:00",
					   "2026-11-26T10:00:00+01:00"};
	CHECK(slots_are(&q, want, 5, NULL));
}

static void test_future_slots_only(void)
{
	struct hm_slot_query q = week_query(60);
	static const char *const later[] = {"2026-11-24T18:00:00+01:00",
					    "2026-11-24T19:00:00+01:00"};
	q.now = at("2026-11-24T17:30:00+01:00");
	CHECK(slots_are(&q, later, 2, NULL));
	/* A slot starting right now is gone too. */
	q.now = at("2026-11-24T17:00:00+01:00");
	CHECK(slots_are(&q, later, 2, NULL));
	static const char *const three[] = {"2026-11-24T17:00:00+01:00",
					    "2026-11-24T18:00:00+01:00",
					    "2026-11-24T19:00:00+01:00"};
	q.now = at("2026-11-24T16:59:59+01:00");
	CHECK(slots_are(&q, three, 3, NULL));
	q.now = at("2026-11-24T19:00:00+01:00");
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 0);
}

static void test_booked_lessons_take_their_time(void)
{
	struct hm_slot_query q = week_query(60);
	/* The same service at 17:00. */
	const struct hm_booked same = {at("2026-11-24T17:00:00+01:00"),
				       at("2026-11-24T18:00:00+01:00"), 1, 1};
	q.booked = &same;
	q.n_booked = 1;
	static const char *const without_17[] = {"2026-11-24T16:00:00+01:00",
						 "2026-11-24T18:00:00+01:00",
						 "2026-11-24T19:00:00+01:00"};
	CHECK(slots_are(&q, without_17, 3, NULL));
	/* Another service at 17:30-18:30 blocks both slots it overlaps. */
	const struct hm_booked other = {at("2026-11-24T17:30:00+01:00"),
					at("2026-11-24T18:30:00+01:00"), 9, 1};
	q.booked = &other;
	static const char *const without_17_18[] = {"2026-11-24T16:00:00+01:00",
						    "2026-11-24T19:00:00+01:00"};
	CHECK(slots_are(&q, without_17_18, 2, NULL));
	/* A lesson that ends as a slot starts does not block it. */
	const struct hm_booked before = {at("2026-11-24T15:00:00+01:00"),
					 at("2026-11-24T16:00:00+01:00"), 9, 1};
	q.booked = &before;
	static const char *const all[] = {"2026-11-24T16:00:00+01:00", "2026-11-24T17:00:00+01:00",
					  "2026-11-24T18:00:00+01:00", "2026-11-24T19:00:00+01:00"};
	CHECK(slots_are(&q, all, 4, NULL));
	/* A lesson on another day does not block Tuesday. */
	const struct hm_booked wednesday = {at("2026-11-25T17:00:00+01:00"),
					    at("2026-11-25T18:00:00+01:00"), 1, 1};
	q.booked = &wednesday;
	CHECK(slots_are(&q, all, 4, NULL));
}

static void test_group_sessions_show_seats_left(void)
{
	struct hm_slot_query q = group_query();
	static const char *const all[] = {"2026-11-24T16:00:00+01:00", "2026-11-24T17:00:00+01:00",
					  "2026-11-24T18:00:00+01:00", "2026-11-24T19:00:00+01:00"};
	static const int empty[] = {4, 4, 4, 4};
	CHECK(slots_are(&q, all, 4, empty));
	struct hm_booked three = {at("2026-11-24T18:00:00+01:00"), at("2026-11-24T19:00:00+01:00"),
				  2, 3};
	q.booked = &three;
	q.n_booked = 1;
	static const int one_left[] = {4, 4, 1, 4};
	CHECK(slots_are(&q, all, 4, one_left));
	/* Full: the 18:00 session disappears. */
	three.seats_taken = 4;
	static const char *const without_18[] = {"2026-11-24T16:00:00+01:00",
						 "2026-11-24T17:00:00+01:00",
						 "2026-11-24T19:00:00+01:00"};
	static const int four[] = {4, 4, 4};
	CHECK(slots_are(&q, without_18, 3, four));
	three.seats_taken = 5; /* overbooked by staff: still gone, never negative */
	CHECK(slots_are(&q, without_18, 3, four));
	/* Another service overlapping a group session takes the tutor away from it. */
	const struct hm_booked other = {at("2026-11-24T16:30:00+01:00"),
					at("2026-11-24T17:30:00+01:00"), 9, 1};
	q.booked = &other;
	static const char *const late[] = {"2026-11-24T18:00:00+01:00",
					   "2026-11-24T19:00:00+01:00"};
	static const int late_seats[] = {4, 4};
	CHECK(slots_are(&q, late, 2, late_seats));
	/* A private lesson of another service at exactly 18:00 is not a seat in the group
	 * session: the tutor is busy, the session is gone. */
	const struct hm_booked private_18 = {at("2026-11-24T18:00:00+01:00"),
					     at("2026-11-24T19:00:00+01:00"), 1, 1};
	q.booked = &private_18;
	static const int four_left[] = {4, 4, 4};
	CHECK(slots_are(&q, without_18, 3, four_left));
}

/* Asked for full sessions too (a waiting list's page), a full group session is listed
 * with 0 seats; a session the tutor is busy for, or a full private slot, is not; and
 * hm_slots_find never returns a full one, whatever the query asked. */
static void test_full_sessions_listed_when_asked(void)
{
	struct hm_slot_query q = group_query();
	static const char *const all[] = {"2026-11-24T16:00:00+01:00", "2026-11-24T17:00:00+01:00",
					  "2026-11-24T18:00:00+01:00", "2026-11-24T19:00:00+01:00"};
	struct hm_booked booked[] = {
		{at("2026-11-24T18:00:00+01:00"), at("2026-11-24T19:00:00+01:00"), 2, 4},
		{at("2026-11-24T16:30:00+01:00"), at("2026-11-24T17:30:00+01:00"), 9, 1}};
	q.booked = booked;
	q.n_booked = 2;
	q.include_full = true;
	const char *const listed[] = {all[2], all[3]};
	static const int seats[] = {0, 4};
	CHECK(slots_are(&q, listed, 2, seats));
	struct hm_slot found;
	CHECK(!hm_slots_find(&q, at(all[2]), &found));
	CHECK(hm_slots_find(&q, at(all[3]), &found) && found.seats_left == 4);

	struct hm_slot_query p = week_query(60);
	struct hm_booked taken = {at("2026-11-24T16:00:00+01:00"), at("2026-11-24T17:00:00+01:00"),
				  1, 1};
	p.booked = &taken;
	p.n_booked = 1;
	p.include_full = true;
	const char *const private_left[] = {all[1], all[2], all[3]};
	static const int one[] = {1, 1, 1};
	CHECK(slots_are(&p, private_left, 3, one));
}

static void test_local_time_kept_across_daylight_saving(void)
{
	static const struct hm_weekly_window sunday[] = {{7, HHMM(10, 0), HHMM(12, 0)}};
	struct hm_slot_query q = week_query(60);
	q.windows = sunday;
	/* Spring: Sunday 29 March 2026 is on summer time (UTC+2) from 03:00. */
	q.first_day = q.last_day = day_of("2026-03-29");
	q.now = at("2026-03-01T00:00:00Z");
	static const char *const spring[] = {"2026-03-29T08:00:00Z", "2026-03-29T09:00:00Z"};
	CHECK(slots_are(&q, spring, 2, NULL));
	/* Autumn: Sunday 25 October 2026 is back on winter time (UTC+1) from 03:00. */
	q.first_day = q.last_day = day_of("2026-10-25");
	q.now = at("2026-10-01T00:00:00Z");
	static const char *const autumn[] = {"2026-10-25T09:00:00Z", "2026-10-25T10:00:00Z"};
	CHECK(slots_are(&q, autumn, 2, NULL));
	/* A range over the spring change: 10:00 local every Sunday. */
	q.first_day = day_of("2026-03-22");
	q.last_day = day_of("2026-04-05");
	q.now = at("2026-03-01T00:00:00Z");
	static const char *const three_sundays[] = {
		"2026-03-22T10:00:00+01:00", "2026-03-22T11:00:00+01:00",
		"2026-03-29T10:00:00+02:00", "2026-03-29T11:00:00+02:00",
		"2026-04-05T10:00:00+02:00", "2026-04-05T11:00:00+02:00"};
	CHECK(slots_are(&q, three_sundays, 6, NULL));
}

/* Slots a user can trust: strictly time-ordered (so no start twice), each lasting
 * exactly the duration, none overlapping the next, and all inside the tutor's window
 * [from, until). */
static bool slots_sane(const struct hm_slot *s, size_t n, int duration_min, int64_t from,
		       int64_t until)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		if (s[i].ends - s[i].starts != (int64_t)duration_min * 60)
			ok = false;
		if (s[i].starts < from || s[i].ends > until)
			ok = false;
		if (i > 0 && (s[i].starts <= s[i - 1].starts || s[i].starts < s[i - 1].ends))
			ok = false;
	}
	if (!ok)
		print_slots("not sane", s, n);
	return ok;
}

static void test_window_across_the_spring_gap(void)
{
	/* Sunday 29 March 2026 01:00-04:00 local: 02:00-03:00 does not exist that night,
	 * so the window is two real hours, 00:00Z-02:00Z. */
	static const struct hm_weekly_window night[] = {{7, HHMM(1, 0), HHMM(4, 0)}};
	struct hm_slot_query q = week_query(60);
	q.windows = night;
	q.first_day = q.last_day = day_of("2026-03-29");
	q.now = at("2026-03-01T00:00:00Z");
	struct hm_slot out[MAX_OUT];
	size_t n = hm_slots_generate(&q, out, MAX_OUT);
	CHECK(slots_sane(out, n < MAX_OUT ? n : MAX_OUT, 60, at("2026-03-29T01:00:00+01:00"),
			 at("2026-03-29T04:00:00+02:00")));
	/* 01:00 CET and 03:00 CEST are real and free: both are offered, once each. */
	int at_1 = 0, at_3 = 0;
	for (size_t i = 0; i < n && i < MAX_OUT; i++) {
		at_1 += out[i].starts == at("2026-03-29T01:00:00+01:00");
		at_3 += out[i].starts == at("2026-03-29T03:00:00+02:00");
	}
	CHECK_INT(at_1, 1);
	CHECK_INT(at_3, 1);
	CHECK_INT(n, 2);

	/* A window 01:30-03:30 is 01:30-02:00 CET plus 03:00-03:30 CEST: one real hour,
	 * 00:30Z-01:30Z. One 60-minute slot fits; none may end after 03:30 CEST. */
	static const struct hm_weekly_window half[] = {{7, HHMM(1, 30), HHMM(3, 30)}};
	q.windows = half;
	n = hm_slots_generate(&q, out, MAX_OUT);
	CHECK(slots_sane(out, n < MAX_OUT ? n : MAX_OUT, 60, at("2026-03-29T01:30:00+01:00"),
			 at("2026-03-29T03:30:00+02:00")));
}

static void test_window_across_the_autumn_repeat(void)
{
	/* Sunday 25 October 2026 01:00-04:00 local: 02:00-03:00 happens twice. */
	static const struct hm_weekly_window night[] = {{7, HHMM(1, 0), HHMM(4, 0)}};
	struct hm_slot_query q = week_query(60);
	q.windows = night;
	q.first_day = q.last_day = day_of("2026-10-25");
	q.now = at("2026-10-01T00:00:00Z");
	struct hm_slot out[MAX_OUT];
	size_t n = hm_slots_generate(&q, out, MAX_OUT);
	CHECK(slots_sane(out, n < MAX_OUT ? n : MAX_OUT, 60, at("2026-10-25T01:00:00+02:00"),
			 at("2026-10-25T04:00:00+01:00")));
	int at_1 = 0, at_3 = 0;
	for (size_t i = 0; i < n && i < MAX_OUT; i++) {
		at_1 += out[i].starts == at("2026-10-25T01:00:00+02:00");
		at_3 += out[i].starts == at("2026-10-25T03:00:00+01:00");
	}
	CHECK_INT(at_1, 1);
	CHECK_INT(at_3, 1);
}

static void test_find_an_open_slot(void)
{
	struct hm_slot_query q = week_query(60);
	struct hm_slot s;
	memset(&s, 0, sizeof s);
	CHECK(hm_slots_find(&q, at("2026-11-24T17:00:00+01:00"), &s));
	CHECK_INT(s.starts, at("2026-11-24T17:00:00+01:00"));
	CHECK_INT(s.ends, at("2026-11-24T18:00:00+01:00"));
	CHECK_INT(s.seats_left, 1);
	CHECK(hm_slots_find(&q, at("2026-11-24T19:00:00+01:00"), &s));
	/* Not a slot start: between two slots, after the window, another weekday. */
	CHECK(!hm_slots_find(&q, at("2026-11-24T16:30:00+01:00"), &s));
	CHECK(!hm_slots_find(&q, at("2026-11-24T17:00:01+01:00"), &s));
	CHECK(!hm_slots_find(&q, at("2026-11-24T20:00:00+01:00"), &s));
	CHECK(!hm_slots_find(&q, at("2026-11-25T16:00:00+01:00"), &s));
	/* A past slot. */
	q.now = at("2026-11-24T18:30:00+01:00");
	CHECK(!hm_slots_find(&q, at("2026-11-24T17:00:00+01:00"), &s));
	CHECK(!hm_slots_find(&q, at("2026-11-24T18:00:00+01:00"), &s));
	CHECK(hm_slots_find(&q, at("2026-11-24T19:00:00+01:00"), &s));
	/* A taken slot. */
	q = week_query(60);
	const struct hm_booked taken = {at("2026-11-24T17:00:00+01:00"),
					at("2026-11-24T18:00:00+01:00"), 1, 1};
	q.booked = &taken;
	q.n_booked = 1;
	CHECK(!hm_slots_find(&q, at("2026-11-24T17:00:00+01:00"), &s));
	CHECK(hm_slots_find(&q, at("2026-11-24T18:00:00+01:00"), &s));
}

static void test_find_a_group_session(void)
{
	struct hm_slot_query q = group_query();
	struct hm_booked three = {at("2026-11-24T18:00:00+01:00"), at("2026-11-24T19:00:00+01:00"),
				  2, 3};
	q.booked = &three;
	q.n_booked = 1;
	struct hm_slot s;
	memset(&s, 0, sizeof s);
	CHECK(hm_slots_find(&q, at("2026-11-24T18:00:00+01:00"), &s));
	CHECK_INT(s.seats_left, 1);
	CHECK(hm_slots_find(&q, at("2026-11-24T16:00:00+01:00"), &s));
	CHECK_INT(s.seats_left, 4);
	three.seats_taken = 4;
	CHECK(!hm_slots_find(&q, at("2026-11-24T18:00:00+01:00"), &s));
}

static void test_find_keeps_local_time_across_daylight_saving(void)
{
	static const struct hm_weekly_window sunday[] = {{7, HHMM(10, 0), HHMM(12, 0)}};
	struct hm_slot_query q = week_query(60);
	q.windows = sunday;
	q.first_day = day_of("2026-03-16");
	q.last_day = day_of("2026-04-05");
	q.now = at("2026-03-01T00:00:00Z");
	struct hm_slot s;
	CHECK(hm_slots_find(&q, at("2026-03-29T10:00:00+02:00"), &s));
	CHECK_INT(s.ends, at("2026-03-29T11:00:00+02:00"));
	/* 10:00 by winter time would be 11:00 CEST: the second slot, not the first. */
	CHECK(hm_slots_find(&q, at("2026-03-29T10:00:00+01:00"), &s));
	CHECK_INT(s.starts, at("2026-03-29T11:00:00+02:00"));
	/* 10:00 UTC is 12:00 CEST, the end of the window. */
	CHECK(!hm_slots_find(&q, at("2026-03-29T10:00:00Z"), &s));
	CHECK(!hm_slots_find(&q, at("2026-03-29T09:00:00+02:00"), &s));
	/* The Sunday before, still winter time. */
	CHECK(hm_slots_find(&q, at("2026-03-22T10:00:00+01:00"), &s));
	CHECK(!hm_slots_find(&q, at("2026-03-22T10:00:00+02:00"), &s));
}

static void test_out_too_small(void)
{
	struct hm_slot_query q = week_query(60);
	struct hm_slot out[4];
	const struct hm_slot sentinel = {-7, -7, -7};
	for (size_t i = 0; i < 4; i++)
		out[i] = sentinel;
	CHECK_INT(hm_slots_generate(&q, out, 2), 4);
	CHECK_INT(out[0].starts, at("2026-11-24T16:00:00+01:00"));
	CHECK_INT(out[1].starts, at("2026-11-24T17:00:00+01:00"));
	CHECK_INT(out[2].starts, -7);
	CHECK_INT(out[2].seats_left, -7);
	CHECK_INT(out[3].starts, -7);
	/* max 0: only the count, nothing written. */
	CHECK_INT(hm_slots_generate(&q, NULL, 0), 4);
	CHECK_INT(hm_slots_generate(&q, out, 4), 4);
	CHECK_INT(out[3].starts, at("2026-11-24T19:00:00+01:00"));
}

/* Regression (issue 19, item 2): what the slots list shows is bookable, always. A
 * tutor free all day and services of 5 to 600 minutes, on a plain day and on both
 * daylight-saving days: every listed slot is found (the 193rd of a 5-minute day
 * was not), and an instant between two slots is not. */
static void test_every_listed_slot_is_found(void)
{
	static const struct hm_weekly_window all_day[] = {
		{1, 0, HHMM(24, 0)}, {2, 0, HHMM(24, 0)}, {3, 0, HHMM(24, 0)}, {4, 0, HHMM(24, 0)},
		{5, 0, HHMM(24, 0)}, {6, 0, HHMM(24, 0)}, {7, 0, HHMM(24, 0)}};
	static const char *const days[] = {"2026-11-24", "2026-03-29", "2026-10-25"};
	static struct hm_slot out[400];
	size_t checked = 0;
	for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
		for (int minutes = 5; minutes <= 600; minutes += 5) {
			struct hm_slot_query q = week_query(minutes);
			q.windows = all_day;
			q.n_windows = 7;
			q.first_day = q.last_day = day_of(days[d]);
			q.now = at("2026-01-01T00:00:00Z");
			size_t n = hm_slots_generate(&q, out, sizeof out / sizeof out[0]);
			CHECK(n <= sizeof out / sizeof out[0]);
			CHECK(n >= 2);
			for (size_t i = 0; i < n; i++) {
				struct hm_slot slot;
				if (!hm_slots_find(&q, out[i].starts, &slot)) {
					CHECK(!"a listed slot is not found");
					fprintf(stderr, "  %d-minute slot %zu of %zu on %s\n",
						minutes, i + 1, n, days[d]);
					break;
				}
				CHECK(slot.ends == out[i].ends);
				checked++;
			}
			struct hm_slot none;
			CHECK(!hm_slots_find(&q, out[0].starts + 60, &none));
		}
	}
	CHECK(checked > 4000);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	RUN(test_a_week_gives_the_tuesday_slots);
	RUN(test_whole_slots_only);
	RUN(test_windows_in_any_order_give_slots_in_time_order);
	RUN(test_future_slots_only);
	RUN(test_booked_lessons_take_their_time);
	RUN(test_group_sessions_show_seats_left);
	RUN(test_full_sessions_listed_when_asked);
	RUN(test_local_time_kept_across_daylight_saving);
	RUN(test_window_across_the_spring_gap);
	RUN(test_window_across_the_autumn_repeat);
	RUN(test_find_an_open_slot);
	RUN(test_find_a_group_session);
	RUN(test_find_keeps_local_time_across_daylight_saving);
	RUN(test_out_too_small);
	RUN(test_every_listed_slot_is_found);
	return CHECK_EXIT();
}
