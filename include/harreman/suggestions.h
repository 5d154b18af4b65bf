/* SPDX-License-Identifier: MIT */
/* Tailored suggestions for one student, as pure functions: the caller reads the
 * student's own data into a struct hm_suggest_input (loyalty, subscriptions, its
 * dedicated tutor's free slots, upcoming events, its lessons) and gets back a list
 * of suggestions, each a stable kind with the numbers it needs. No I/O, no clock:
 * `now` comes in. Every rule and when it must not fire is listed below and pinned
 * by tests/unit/test_suggestions.c. */
#ifndef HARREMAN_SUGGESTIONS_H
#define HARREMAN_SUGGESTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/loyalty.h"

#define HM_SUGGEST_MAX_SUBSCRIPTIONS 8 /* subscriptions looked at */
#define HM_SUGGEST_MAX_SUBJECTS 16     /* subjects of the student looked at */
#define HM_SUGGEST_MAX_EVENTS 32       /* candidate events looked at */
#define HM_SUGGEST_SUBJECT_LEN 48      /* subject keys are 1..40 characters */
#define HM_SUGGEST_EVENTS_SHOWN 3      /* upcoming events suggested at most */
#define HM_SUGGEST_EVENT_DAYS 30       /* events starting within this many days */
#define HM_SUGGEST_WEEK_DAYS 7         /* "this week": today and the six days after */
#define HM_SUGGEST_MAX (1 + HM_SUGGEST_MAX_SUBSCRIPTIONS + 1 + HM_SUGGEST_EVENTS_SHOWN + 1 + 1)

/* The rules, in the order their suggestions are listed. */
enum hm_suggestion_kind {
	/* The student's next contract earns a loyalty discount: fires when the tier
	 * of ordinal contracts + 1 is above 0 % (at the cap too). Not when it is 0 %. */
	HM_SUGGEST_NEXT_DISCOUNT,
	/* One per active subscription with sessions left to book (total - used > 0).
	 * Not for one-off contracts, cancelled ones, or when every session is used. */
	HM_SUGGEST_SESSIONS_LEFT,
	/* The student's own tutor has free slots this week: fires when the student's
	 * assistance is dedicated, a tutor is assigned, a service to book with that
	 * tutor is known and free_slots > 0. */
	HM_SUGGEST_TUTOR_FREE_SLOTS,
	/* One per upcoming event in one of the student's subjects, soonest first, at
	 * most HM_SUGGEST_EVENTS_SHOWN: starts after now and within
	 * HM_SUGGEST_EVENT_DAYS, has a subject the student has, has places left, and
	 * the student is not registered. Events without a subject never fire. */
	HM_SUGGEST_UPCOMING_EVENT,
	/* No lesson booked since the last one: the student had a booked lesson that
	 * has ended, and no booked lesson that has not ended yet. Not for a student
	 * who never had a lesson, nor one with a lesson to come (or under way). */
	HM_SUGGEST_BOOK_NEXT_LESSON,
	/* Share the family's referral link (API.md v2, "Third parties"): fires once the
	 * student's family has completed a subscription (every session of one used)
	 * and has brought no family yet. */
	HM_SUGGEST_SHARE_LINK,
	HM_SUGGEST_KIND_COUNT
};

struct hm_suggest_subscription {
	int64_t contract_id;
	bool subscription; /* false: a one-off contract */
	bool active;       /* false: cancelled */
	int sessions_total, sessions_used;
};

struct hm_suggest_event {
	int64_t id;
	int64_t starts_at;
	char subject[HM_SUGGEST_SUBJECT_LEN]; /* "" when the event has no subject */
	int places_left;
	bool registered; /* the student is registered for it */
};

struct hm_suggest_input {
	int64_t now;

	/* Loyalty: the tiers (sorted, as hm_loyalty_percent wants) and the student's
	 * contracts that are not cancelled. tiers is borrowed. */
	const struct hm_tier *tiers;
	size_t n_tiers;
	int contracts;

	struct hm_suggest_subscription subscriptions[HM_SUGGEST_MAX_SUBSCRIPTIONS];
	size_t n_subscriptions;

	/* The student's own tutor, and its free slots this week (today and the next
	 * HM_SUGGEST_WEEK_DAYS - 1 days) for tutor_service_id, counted by the caller
	 * with the slot rules. */
	bool dedicated;
	int64_t tutor_id;         /* 0: none assigned */
	int64_t tutor_service_id; /* 0: no service to book with that tutor */
	int free_slots;

	/* The subjects of the student's services and lessons, and candidate events in
	 * time order. */
	char subjects[HM_SUGGEST_MAX_SUBJECTS][HM_SUGGEST_SUBJECT_LEN];
	size_t n_subjects;
	struct hm_suggest_event events[HM_SUGGEST_MAX_EVENTS];
	size_t n_events;

	/* Lessons (booked, not cancelled): the end of the latest one that has ended,
	 * and the start of the earliest one that has not ended; 0 when there is none. */
	int64_t last_lesson_ends;
	int64_t next_lesson_starts;

	/* The family: whether it has completed a subscription, and the families it
	 * brought with its referral code. */
	bool family_subscription_done;
	int families_referred;
};

/* One suggestion; which numbers mean something depends on kind. */
struct hm_suggestion {
	enum hm_suggestion_kind kind;
	size_t index;       /* SESSIONS_LEFT: in->subscriptions[index];
			       UPCOMING_EVENT: in->events[index] */
	int ordinal;        /* NEXT_DISCOUNT: the next contract's ordinal */
	int percent;        /* NEXT_DISCOUNT: the percent it earns */
	int sessions_left;  /* SESSIONS_LEFT */
	int64_t days_since; /* BOOK_NEXT_LESSON: whole days since the last lesson ended */
};

/* Applies every rule to in, writing at most max suggestions into out in the order
 * of enum hm_suggestion_kind; returns how many it wrote. */
size_t hm_suggestions_make(const struct hm_suggest_input *in, struct hm_suggestion *out,
			   size_t max);

/* The stable name of a kind ("next_discount") and its message key
 * ("suggestion.next_discount"); static strings. */
const char *hm_suggestion_kind_name(enum hm_suggestion_kind kind);
const char *hm_suggestion_message_key(enum hm_suggestion_kind kind);

#endif
