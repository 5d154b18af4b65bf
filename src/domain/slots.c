// SPDX-License-Identifier: MIT
// Bookable slots from weekly availability (include/harreman/slots.h). Pure but for
// local-time conversion through hours.c.
#include <string.h>

#include "harreman/slots.h"
#include "harreman/banned.h"

#define MAX_WINDOWS_PER_DAY 48

/* The windows of one weekday, sorted by start (they do not overlap). */
static size_t windows_of(const struct hm_slot_query *q, int weekday,
			 struct hm_weekly_window out[MAX_WINDOWS_PER_DAY])
{
	size_t n = 0;
	for (size_t i = 0; i < q->n_windows && n < MAX_WINDOWS_PER_DAY; i++) {
		if (q->windows[i].weekday != weekday)
			continue;
		size_t j = n++;
		while (j > 0 && out[j - 1].start_min > q->windows[i].start_min) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = q->windows[i];
	}
	return n;
}

/* False for a wall-clock time skipped by the spring-forward change (02:00-02:59 on
 * that night): libc moves it an hour on, onto another slot's time. */
static bool local_time_exists(int64_t t, int64_t day, int minute)
{
	int64_t back_day;
	int weekday;
	hm_local_day(t, &back_day, &weekday);
	return back_day == day && hm_local_minute(t) == minute;
}

/* Seats left in the session [starts, ends) (0: full), or -1 when the tutor teaches
 * something else then. */
static int seats_left(const struct hm_slot_query *q, int64_t starts, int64_t ends)
{
	int seats = q->capacity;
	for (size_t i = 0; i < q->n_booked; i++) {
		const struct hm_booked *b = &q->booked[i];
		if (b->starts >= ends || b->ends <= starts)
			continue;
		if (q->shared && b->service_id == q->service_id && b->starts == starts)
			seats -= b->seats_taken;
		else
			return -1; /* a tutor teaches one lesson at a time */
	}
	return seats > 0 ? seats : 0;
}

/* Calls visit for every bookable slot of q in time order until it returns false. */
typedef bool slot_visit_fn(const struct hm_slot *slot, void *ctx);

static void walk_slots(const struct hm_slot_query *q, slot_visit_fn *visit, void *ctx)
{
	struct hm_weekly_window day_windows[MAX_WINDOWS_PER_DAY];
	if (q->duration_min <= 0)
		return;
	for (int64_t day = q->first_day; day <= q->last_day; day++) {
		size_t n = windows_of(q, hm_day_weekday(day), day_windows);
		/* Only on a clock-change day can a wall-clock time be missing. */
		bool plain = hm_local_day_is_plain(day);
		for (size_t w = 0; w < n; w++) {
			/* "Whole slots" is judged on real instants: on the spring-forward
			 * night a 01:00-04:00 window holds two hours, not three. */
			int64_t window_end = hm_local_instant(day, day_windows[w].end_min);
			for (int m = day_windows[w].start_min;
			     m + q->duration_min <= day_windows[w].end_min; m += q->duration_min) {
				int64_t starts = hm_local_instant(day, m);
				int64_t ends = starts + (int64_t)q->duration_min * 60;
				if (starts <= q->now || ends > window_end ||
				    (!plain && !local_time_exists(starts, day, m)))
					continue;
				int seats = seats_left(q, starts, ends);
				if (seats < 0 || (seats == 0 && !(q->include_full && q->shared)))
					continue;
				struct hm_slot slot = {starts, ends, seats};
				if (!visit(&slot, ctx))
					return;
			}
		}
	}
}

struct generated {
	struct hm_slot *out;
	size_t max, total;
};

static bool store_slot(const struct hm_slot *slot, void *ctx)
{
	struct generated *g = ctx;
	if (g->total < g->max)
		g->out[g->total] = *slot;
	g->total++;
	return true;
}

size_t hm_slots_generate(const struct hm_slot_query *q, struct hm_slot *out, size_t max)
{
	struct generated g = {out, max, 0};
	walk_slots(q, store_slot, &g);
	return g.total;
}

struct wanted {
	int64_t starts;
	struct hm_slot *slot;
	bool found;
};

static bool match_slot(const struct hm_slot *slot, void *ctx)
{
	struct wanted *w = ctx;
	if (slot->starts == w->starts) {
		*w->slot = *slot;
		w->found = true;
	}
	return !w->found && slot->starts < w->starts; /* time order: past it, stop */
}

/* Walks the day's slots themselves, with no buffer: whatever hm_slots_generate lists
 * for a day is found, however many slots the day holds (a 5-minute service over 24
 * hours has 288). */
bool hm_slots_find(const struct hm_slot_query *q, int64_t starts, struct hm_slot *slot)
{
	struct hm_slot_query one_day = *q;
	struct wanted w = {starts, slot, false};
	one_day.include_full = false;
	int weekday;
	hm_local_day(starts, &one_day.first_day, &weekday);
	one_day.last_day = one_day.first_day;
	walk_slots(&one_day, match_slot, &w);
	return w.found;
}
