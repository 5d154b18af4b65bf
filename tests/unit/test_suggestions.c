// SPDX-License-Identifier: MIT
// Tailored suggestions: each rule fires when the student's data says so and stays
// quiet otherwise: the next contract's loyalty discount (business plan tiers),
// sessions left on active subscriptions only, the own dedicated tutor's free slots
// this week, upcoming events in the student's subjects (soonest first, a few, not
// full, not registered, not past, not too far) and the nudge to book when nothing
// is booked since the last lesson. Also the stable kinds and message keys.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/suggestions.h"
#include "harreman/timefmt.h"

static const struct hm_tier plan[] = {{3, 5}, {4, 10}, {5, 15}};
#define DAY ((int64_t)86400)

static int64_t at(const char *text)
{
	int64_t t = -1;
	if (!hm_time_parse(text, &t)) {
		fprintf(stderr, "bad instant in the test itself: \"%s\"\n", text);
		exit(2);
	}
	return t;
}

/* A student for whom no rule fires: one contract (the next earns 0 %), nothing
 * else. Each test switches one thing on. */
static void quiet(struct hm_suggest_input *in)
{
	memset(in, 0, sizeof *in);
	in->now = at("2026-11-24T15:00:00Z");
	in->tiers = plan;
	in->n_tiers = sizeof plan / sizeof plan[0];
	in->contracts = 1;
}

struct result {
	struct hm_suggestion items[HM_SUGGEST_MAX];
	size_t n;
};

static void make(const struct hm_suggest_input *in, struct result *r)
{
	r->n = hm_suggestions_make(in, r->items, HM_SUGGEST_MAX);
}

static size_t count_kind(const struct result *r, enum hm_suggestion_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->items[i].kind == kind;
	return n;
}

static const struct hm_suggestion *first_of(const struct result *r, enum hm_suggestion_kind kind)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].kind == kind)
			return &r->items[i];
	return NULL;
}

static void test_a_quiet_student_gets_nothing(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	make(&in, &r);
	CHECK_INT(r.n, 0);
	/* A brand-new student, no contracts at all: nothing either. */
	in.contracts = 0;
	make(&in, &r);
	CHECK_INT(r.n, 0);
}

static void test_next_discount_follows_the_tiers(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	/* Two contracts: the third earns 5 %. */
	in.contracts = 2;
	make(&in, &r);
	CHECK_INT(r.n, 1);
	const struct hm_suggestion *s = first_of(&r, HM_SUGGEST_NEXT_DISCOUNT);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->ordinal, 3);
		CHECK_INT(s->percent, 5);
	}
	in.contracts = 3;
	make(&in, &r);
	s = first_of(&r, HM_SUGGEST_NEXT_DISCOUNT);
	CHECK(s && s->ordinal == 4 && s->percent == 10);
	/* At the cap the next contract still earns 15 %: worth saying. */
	in.contracts = 9;
	make(&in, &r);
	s = first_of(&r, HM_SUGGEST_NEXT_DISCOUNT);
	CHECK(s && s->ordinal == 10 && s->percent == 15);
	/* Not when the next contract earns nothing: 0 or 1 contracts so far. */
	for (int c = 0; c <= 1; c++) {
		in.contracts = c;
		make(&in, &r);
		CHECK_INT(count_kind(&r, HM_SUGGEST_NEXT_DISCOUNT), 0);
	}
	/* Nor without tiers (an admin removed every discount). */
	in.contracts = 5;
	in.n_tiers = 0;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_NEXT_DISCOUNT), 0);
	/* Tiers changed by the admin are followed: 2nd contract 20 %. */
	static const struct hm_tier generous[] = {{2, 20}};
	in.tiers = generous;
	in.n_tiers = 1;
	in.contracts = 1;
	make(&in, &r);
	s = first_of(&r, HM_SUGGEST_NEXT_DISCOUNT);
	CHECK(s && s->ordinal == 2 && s->percent == 20);
}

static void test_sessions_left_only_on_active_subscriptions(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	in.subscriptions[0] = (struct hm_suggest_subscription){11, true, true, 8, 5};
	in.subscriptions[1] = (struct hm_suggest_subscription){12, true, true, 10,
							       10}; /* used up */
	in.subscriptions[2] = (struct hm_suggest_subscription){13, true, false, 8,
							       1}; /* cancelled */
	in.subscriptions[3] = (struct hm_suggest_subscription){14, false, true, 1, 0}; /* one-off */
	in.subscriptions[4] = (struct hm_suggest_subscription){15, true, true, 4, 0};
	in.n_subscriptions = 5;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_SESSIONS_LEFT), 2);
	CHECK_INT(r.n, 2);
	CHECK_INT(r.items[0].kind, HM_SUGGEST_SESSIONS_LEFT);
	CHECK_INT(r.items[0].index, 0);
	CHECK_INT(r.items[0].sessions_left, 3);
	CHECK_INT(r.items[1].index, 4);
	CHECK_INT(r.items[1].sessions_left, 4);
	/* Over-used data (more used than bought) never gives a negative count. */
	in.subscriptions[0].sessions_used = 9;
	in.n_subscriptions = 1;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_SESSIONS_LEFT), 0);
}

static void test_own_tutor_free_slots(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	in.dedicated = true;
	in.tutor_id = 3;
	in.tutor_service_id = 1;
	in.free_slots = 12;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_TUTOR_FREE_SLOTS), 1);
	CHECK_INT(r.n, 1);
	/* Each missing piece keeps it quiet. */
	in.free_slots = 0; /* a full week */
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_TUTOR_FREE_SLOTS), 0);
	in.free_slots = 12;
	in.dedicated = false; /* personal or self-service assistance */
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_TUTOR_FREE_SLOTS), 0);
	in.dedicated = true;
	in.tutor_id = 0; /* dedicated, but no tutor assigned yet */
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_TUTOR_FREE_SLOTS), 0);
	in.tutor_id = 3;
	in.tutor_service_id = 0; /* the tutor teaches nothing bookable */
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_TUTOR_FREE_SLOTS), 0);
}

static void add_event(struct hm_suggest_input *in, int64_t id, int64_t starts_at,
		      const char *subject, int places_left, bool registered)
{
	struct hm_suggest_event *e = &in->events[in->n_events++];
	e->id = id;
	e->starts_at = starts_at;
	snprintf(e->subject, sizeof e->subject, "%s", subject);
	e->places_left = places_left;
	e->registered = registered;
}

static void test_upcoming_events_in_the_students_subjects(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	snprintf(in.subjects[0], sizeof in.subjects[0], "maths");
	snprintf(in.subjects[1], sizeof in.subjects[1], "english");
	in.n_subjects = 2;
	add_event(&in, 1, in.now - 3600, "maths", 5, false);     /* started */
	add_event(&in, 2, in.now + DAY, "physics", 5, false);    /* not its subject */
	add_event(&in, 3, in.now + 2 * DAY, "maths", 0, false);  /* full */
	add_event(&in, 4, in.now + 3 * DAY, "english", 5, true); /* registered already */
	add_event(&in, 5, in.now + 4 * DAY, "", 5, false);       /* no subject */
	add_event(&in, 6, in.now + 5 * DAY, "maths", 1, false);  /* yes */
	add_event(&in, 7, in.now + 31 * DAY, "maths", 5, false); /* too far ahead */
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_UPCOMING_EVENT), 1);
	const struct hm_suggestion *s = first_of(&r, HM_SUGGEST_UPCOMING_EVENT);
	CHECK(s && s->index == 5 && in.events[s->index].id == 6);

	/* Exactly at now is not upcoming; exactly at the 30-day horizon still is. */
	in.n_events = 0;
	add_event(&in, 8, in.now, "maths", 5, false);
	add_event(&in, 9, in.now + HM_SUGGEST_EVENT_DAYS * DAY, "english", 5, false);
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_UPCOMING_EVENT), 1);
	s = first_of(&r, HM_SUGGEST_UPCOMING_EVENT);
	CHECK(s && in.events[s->index].id == 9);

	/* At most three, the soonest (the input is in time order). */
	in.n_events = 0;
	for (int i = 0; i < 6; i++)
		add_event(&in, 20 + i, in.now + (i + 1) * DAY, i % 2 ? "english" : "maths", 3,
			  false);
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_UPCOMING_EVENT), HM_SUGGEST_EVENTS_SHOWN);
	size_t k = 0;
	for (size_t i = 0; i < r.n; i++)
		if (r.items[i].kind == HM_SUGGEST_UPCOMING_EVENT)
			CHECK_INT(in.events[r.items[i].index].id, 20 + (int64_t)k++);

	/* A student without subjects (no services or lessons yet) gets none. */
	in.n_subjects = 0;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_UPCOMING_EVENT), 0);
	/* A subject that only starts like one of the student's does not count. */
	snprintf(in.subjects[0], sizeof in.subjects[0], "math");
	in.n_subjects = 1;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_UPCOMING_EVENT), 0);
}

static void test_book_next_lesson(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	/* The last lesson ended ten days and an hour ago; nothing booked since. */
	in.last_lesson_ends = in.now - 10 * DAY - 3600;
	make(&in, &r);
	const struct hm_suggestion *s = first_of(&r, HM_SUGGEST_BOOK_NEXT_LESSON);
	CHECK(s != NULL);
	CHECK_INT(r.n, 1);
	if (s)
		CHECK_INT(s->days_since, 10);
	/* Just ended: fires, 0 days. */
	in.last_lesson_ends = in.now;
	make(&in, &r);
	s = first_of(&r, HM_SUGGEST_BOOK_NEXT_LESSON);
	CHECK(s && s->days_since == 0);
	/* A lesson booked (coming, or under way) keeps it quiet. */
	in.last_lesson_ends = in.now - 10 * DAY;
	in.next_lesson_starts = in.now + 2 * DAY;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_BOOK_NEXT_LESSON), 0);
	in.next_lesson_starts = in.now - 600;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_BOOK_NEXT_LESSON), 0);
	/* Never had a lesson: nothing to follow up (booking is the page's job). */
	in.last_lesson_ends = 0;
	in.next_lesson_starts = 0;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_BOOK_NEXT_LESSON), 0);
	/* A first lesson booked but not taken yet: nothing either. */
	in.next_lesson_starts = in.now + DAY;
	make(&in, &r);
	CHECK_INT(r.n, 0);
}

static void test_share_link(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	/* A family that completed a subscription and brought nobody: share. */
	in.family_subscription_done = true;
	make(&in, &r);
	CHECK_INT(r.n, 1);
	CHECK_INT(count_kind(&r, HM_SUGGEST_SHARE_LINK), 1);
	/* It brought a family already: quiet. */
	in.families_referred = 1;
	make(&in, &r);
	CHECK_INT(count_kind(&r, HM_SUGGEST_SHARE_LINK), 0);
	/* No subscription completed: quiet. */
	in.families_referred = 0;
	in.family_subscription_done = false;
	make(&in, &r);
	CHECK_INT(r.n, 0);
}

static void test_everything_at_once_in_rule_order(void)
{
	struct hm_suggest_input in;
	struct result r;
	quiet(&in);
	in.contracts = 2;
	in.subscriptions[0] = (struct hm_suggest_subscription){40, true, true, 8, 2};
	in.n_subscriptions = 1;
	in.dedicated = true;
	in.tutor_id = 2;
	in.tutor_service_id = 1;
	in.free_slots = 4;
	snprintf(in.subjects[0], sizeof in.subjects[0], "maths");
	in.n_subjects = 1;
	add_event(&in, 7, in.now + 3 * DAY, "maths", 10, false);
	in.last_lesson_ends = in.now - 8 * DAY;
	in.family_subscription_done = true;
	make(&in, &r);
	CHECK_INT(r.n, 6);
	static const enum hm_suggestion_kind order[] = {
		HM_SUGGEST_NEXT_DISCOUNT,  HM_SUGGEST_SESSIONS_LEFT,    HM_SUGGEST_TUTOR_FREE_SLOTS,
		HM_SUGGEST_UPCOMING_EVENT, HM_SUGGEST_BOOK_NEXT_LESSON, HM_SUGGEST_SHARE_LINK};
	for (size_t i = 0; i < r.n && i < 6; i++)
		CHECK_INT(r.items[i].kind, order[i]);
	/* A short output buffer gets the first ones, never more. */
	struct hm_suggestion two[2];
	CHECK_INT(hm_suggestions_make(&in, two, 2), 2);
	CHECK_INT(two[0].kind, HM_SUGGEST_NEXT_DISCOUNT);
	CHECK_INT(two[1].kind, HM_SUGGEST_SESSIONS_LEFT);
	CHECK_INT(hm_suggestions_make(&in, two, 0), 0);
}

static void test_kinds_and_message_keys_are_stable(void)
{
	static const char *const names[] = {"next_discount",    "sessions_left",
					    "tutor_free_slots", "upcoming_event",
					    "book_next_lesson", "share_link"};
	CHECK_INT(HM_SUGGEST_KIND_COUNT, 6);
	for (int k = 0; k < HM_SUGGEST_KIND_COUNT; k++) {
		char key[64];
		snprintf(key, sizeof key, "suggestion.%s", names[k]);
		CHECK_STR(hm_suggestion_kind_name((enum hm_suggestion_kind)k), names[k]);
		CHECK_STR(hm_suggestion_message_key((enum hm_suggestion_kind)k), key);
	}
	CHECK_STR(hm_suggestion_kind_name(HM_SUGGEST_KIND_COUNT), "");
	CHECK_STR(hm_suggestion_message_key((enum hm_suggestion_kind)99), "");
}

int main(void)
{
	RUN(test_a_quiet_student_gets_nothing);
	RUN(test_next_discount_follows_the_tiers);
	RUN(test_sessions_left_only_on_active_subscriptions);
	RUN(test_own_tutor_free_slots);
	RUN(test_upcoming_events_in_the_students_subjects);
	RUN(test_book_next_lesson);
	RUN(test_share_link);
	RUN(test_everything_at_once_in_rule_order);
	RUN(test_kinds_and_message_keys_are_stable);
	return CHECK_EXIT();
}
