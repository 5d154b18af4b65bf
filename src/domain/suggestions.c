// SPDX-License-Identifier: MIT
// Tailored suggestions as pure rules (include/harreman/suggestions.h): the loyalty
// discount of the next contract, sessions left on subscriptions, the own tutor's
// free slots this week, upcoming events in the student's subjects, and a nudge to
// book when nothing is booked since the last lesson, and to share the family's
// referral link once it completed a subscription. Input in, list out; no I/O.
#include <string.h>

#include "harreman/suggestions.h"
#include "harreman/banned.h"

static const char *const kind_names[HM_SUGGEST_KIND_COUNT] = {
	[HM_SUGGEST_NEXT_DISCOUNT] = "next_discount",
	[HM_SUGGEST_SESSIONS_LEFT] = "sessions_left",
	[HM_SUGGEST_TUTOR_FREE_SLOTS] = "tutor_free_slots",
	[HM_SUGGEST_UPCOMING_EVENT] = "upcoming_event",
	[HM_SUGGEST_BOOK_NEXT_LESSON] = "book_next_lesson",
	[HM_SUGGEST_SHARE_LINK] = "share_link",
};

static const char *const message_keys[HM_SUGGEST_KIND_COUNT] = {
	[HM_SUGGEST_NEXT_DISCOUNT] = "suggestion.next_discount",
	[HM_SUGGEST_SESSIONS_LEFT] = "suggestion.sessions_left",
	[HM_SUGGEST_TUTOR_FREE_SLOTS] = "suggestion.tutor_free_slots",
	[HM_SUGGEST_UPCOMING_EVENT] = "suggestion.upcoming_event",
	[HM_SUGGEST_BOOK_NEXT_LESSON] = "suggestion.book_next_lesson",
	[HM_SUGGEST_SHARE_LINK] = "suggestion.share_link",
};

const char *hm_suggestion_kind_name(enum hm_suggestion_kind kind)
{
	return (unsigned)kind < HM_SUGGEST_KIND_COUNT ? kind_names[kind] : "";
}

const char *hm_suggestion_message_key(enum hm_suggestion_kind kind)
{
	return (unsigned)kind < HM_SUGGEST_KIND_COUNT ? message_keys[kind] : "";
}

/* Appends s when there is room; the list simply stops at max. */
static void add(struct hm_suggestion *out, size_t max, size_t *n, struct hm_suggestion s)
{
	if (*n < max)
		out[(*n)++] = s;
}

static bool has_subject(const struct hm_suggest_input *in, const char *subject)
{
	if (!subject[0])
		return false;
	size_t n = in->n_subjects < HM_SUGGEST_MAX_SUBJECTS ? in->n_subjects
							    : HM_SUGGEST_MAX_SUBJECTS;
	for (size_t i = 0; i < n; i++)
		if (strncmp(in->subjects[i], subject, HM_SUGGEST_SUBJECT_LEN) == 0)
			return true;
	return false;
}

size_t hm_suggestions_make(const struct hm_suggest_input *in, struct hm_suggestion *out, size_t max)
{
	size_t n = 0;

	/* The next contract's discount: the tier of its ordinal, when above zero. */
	if (in->contracts >= 0) {
		int ordinal = in->contracts + 1;
		int percent = hm_loyalty_percent(in->tiers, in->n_tiers, ordinal);
		if (percent > 0)
			add(out, max, &n,
			    (struct hm_suggestion){.kind = HM_SUGGEST_NEXT_DISCOUNT,
						   .ordinal = ordinal,
						   .percent = percent});
	}

	/* Sessions left to book on each active subscription. */
	size_t n_subs = in->n_subscriptions < HM_SUGGEST_MAX_SUBSCRIPTIONS
				? in->n_subscriptions
				: HM_SUGGEST_MAX_SUBSCRIPTIONS;
	for (size_t i = 0; i < n_subs; i++) {
		const struct hm_suggest_subscription *s = &in->subscriptions[i];
		int left = s->sessions_total - s->sessions_used;
		if (s->subscription && s->active && left > 0)
			add(out, max, &n,
			    (struct hm_suggestion){.kind = HM_SUGGEST_SESSIONS_LEFT,
						   .index = i,
						   .sessions_left = left});
	}

	/* The student's own tutor has room this week. */
	if (in->dedicated && in->tutor_id > 0 && in->tutor_service_id > 0 && in->free_slots > 0)
		add(out, max, &n, (struct hm_suggestion){.kind = HM_SUGGEST_TUTOR_FREE_SLOTS});

	/* Upcoming events in the student's subjects, soonest first, a few. */
	size_t n_events = in->n_events < HM_SUGGEST_MAX_EVENTS ? in->n_events
							       : HM_SUGGEST_MAX_EVENTS;
	int64_t horizon = in->now + (int64_t)HM_SUGGEST_EVENT_DAYS * 86400;
	int shown = 0;
	for (size_t i = 0; i < n_events && shown < HM_SUGGEST_EVENTS_SHOWN; i++) {
		const struct hm_suggest_event *e = &in->events[i];
		if (e->starts_at <= in->now || e->starts_at > horizon || e->places_left <= 0 ||
		    e->registered || !has_subject(in, e->subject))
			continue;
		add(out, max, &n,
		    (struct hm_suggestion){.kind = HM_SUGGEST_UPCOMING_EVENT, .index = i});
		shown++;
	}

	/* Nothing booked since the last lesson: a nudge to book the next one. */
	if (in->last_lesson_ends > 0 && in->last_lesson_ends <= in->now &&
	    in->next_lesson_starts == 0)
		add(out, max, &n,
		    (struct hm_suggestion){.kind = HM_SUGGEST_BOOK_NEXT_LESSON,
					   .days_since = (in->now - in->last_lesson_ends) / 86400});

	/* A family that completed a subscription and brought nobody yet: share. */
	if (in->family_subscription_done && in->families_referred == 0)
		add(out, max, &n, (struct hm_suggestion){.kind = HM_SUGGEST_SHARE_LINK});
	return n;
}
