/* SPDX-License-Identifier: MIT */
/* Bookable slots, as a pure function: a tutor's weekly availability windows become
 * slots that start at each window's start and step by the service's duration (whole
 * slots only, in the future only), minus the time the tutor already teaches; a
 * group session shows the seats left and disappears when full (unless the caller
 * asks for full sessions too, to offer their waiting lists). Local times keep
 * their wall-clock value across daylight-saving changes. */
#ifndef HARREMAN_SLOTS_H
#define HARREMAN_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/hours.h"

/* A lesson already on the tutor's calendar (booked, any service). */
struct hm_booked {
	int64_t starts, ends;
	int64_t service_id;
	int seats_taken; /* lessons booked in that session (1 for a private lesson) */
};

struct hm_slot_query {
	const struct hm_weekly_window *windows; /* the tutor's availability */
	size_t n_windows;
	int64_t service_id;
	int duration_min;
	int capacity;      /* 1 for private */
	bool shared;       /* group or workshop: several clients share one session */
	int64_t first_day; /* local days since the epoch, both ends included */
	int64_t last_day;
	int64_t now;                    /* slots starting at or before now are left out */
	const struct hm_booked *booked; /* the tutor's lessons in the range */
	size_t n_booked;
	bool include_full; /* also list full group sessions (seats_left 0), for waitlists */
};

struct hm_slot {
	int64_t starts, ends;
	int seats_left;
};

/* Writes up to max slots, in time order, into out; returns how many there are in
 * all (more than max means out was too small). */
size_t hm_slots_generate(const struct hm_slot_query *q, struct hm_slot *out, size_t max);

/* Finds the slot starting at starts on its own local day (q's day range and
 * include_full are not consulted): true and *slot when it has a seat left. */
bool hm_slots_find(const struct hm_slot_query *q, int64_t starts, struct hm_slot *slot);

#endif
