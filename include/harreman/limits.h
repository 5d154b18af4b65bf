/* SPDX-License-Identifier: MIT */
/* Every limit that two places must agree on, named once: C code includes this
 * header, SQL that needs one gets it bound as a parameter, and the pages read
 * them from GET /api/v1/limits (never a copy in JavaScript). A limit that only
 * one function uses stays next to that function. */
#ifndef HARREMAN_LIMITS_H
#define HARREMAN_LIMITS_H

/* Lists: ?limit= default and cap (API.md "Conventions"). A page read holds at most
 * HM_PAGE_MAX rows plus one to know whether another page follows. */
#define HM_PAGE_DEFAULT 50
#define HM_PAGE_MAX 200
#define HM_PAGE_BUF (HM_PAGE_MAX + 1)

/* Subject keys: 1..HM_SUBJECT_MAX characters of a-z, 0-9, '-', '_'. */
#define HM_SUBJECT_MAX 40

/* Discount tiers in the list PUT /discount-tiers takes: at most HM_MAX_TIERS, each
 * from contract HM_TIER_ORDINAL_MIN on, at HM_TIER_PERCENT_MIN..HM_TIER_PERCENT_MAX
 * percent (the admin page checks the same numbers, read from GET /limits). */
#define HM_MAX_TIERS 20
#define HM_TIER_ORDINAL_MIN 2
#define HM_TIER_PERCENT_MIN 1
#define HM_TIER_PERCENT_MAX 100

/* Bookings: a weekly series books HM_REPEAT_WEEKS_MIN..HM_REPEAT_WEEKS_MAX weeks;
 * a lesson starts at most HM_BOOKING_HORIZON_DAYS ahead; a walk-in is logged at
 * most HM_WALK_IN_PAST_DAYS after it started; a student cancels while at least
 * HM_CANCEL_NOTICE_HOURS remain. */
#define HM_REPEAT_WEEKS_MIN 2
#define HM_REPEAT_WEEKS_MAX 52
#define HM_BOOKING_HORIZON_DAYS 400
#define HM_WALK_IN_PAST_DAYS 366
#define HM_CANCEL_NOTICE_HOURS 24

/* Waitlists: a freed group seat is held for the first in line this long (never
 * past the session's start); an offer not taken passes on within
 * HM_WAITLIST_SWEEP_SECONDS of its deadline. */
#define HM_WAITLIST_OFFER_HOURS 12
#define HM_WAITLIST_SWEEP_SECONDS 60

/* Days one GET /slots may span (?from= .. ?to=), and its default. */
#define HM_SLOTS_DEFAULT_DAYS 7
#define HM_SLOTS_MAX_DAYS 31
/* Slots of one tutor computed at once (GET /slots, a student's suggestions). */
#define HM_SLOTS_GENERATE_MAX 4096

/* A contract's sessions (a subscription of at most this many). */
#define HM_MAX_SESSIONS 200

/* Families: at most this many clients in one (a child added beyond it is refused,
 * a merge names at most this many clients). */
#define HM_FAMILY_MAX 50

/* A referral or partner code (registration's ref, a partner's code): 3..40. */
#define HM_MIN_REF_CODE 3
#define HM_MAX_REF_CODE 40

/* A referral reward: at most this many percent (API.md v2, "Third parties"). */
#define HM_MAX_REFERRAL_PERCENT 15

/* Text fields (API.md "Conventions"). */
#define HM_MAX_NAME 200
#define HM_MAX_EMAIL 254
#define HM_MAX_PHONE 40
#define HM_MAX_LEVEL 40 /* a client's or a service's level, "B1" */
#define HM_MAX_TEXT 10000
#define HM_MAX_LONG_TEXT 50000

/* Payments: an invoice not paid HM_OVERDUE_DAYS after issue is overdue; a
 * direct debit's collection date is at least HM_COLLECTION_LEAD_DAYS TARGET2
 * business days ahead. */
#define HM_OVERDUE_DAYS 30
#define HM_COLLECTION_LEAD_DAYS 2

/* POST /ask: at most HM_ASK_PER_WINDOW calls per client address in a window of
 * HM_ASK_WINDOW_SECONDS from its first call, counted in memory (rate_memory.h). */
#define HM_ASK_PER_WINDOW 30
#define HM_ASK_WINDOW_SECONDS 3600

/* The in-memory rate table (rate_memory.h): HM_RATE_MEMORY_SETS sets of
 * HM_RATE_MEMORY_WAYS addresses, so it never holds more than their product
 * (4,096 addresses, 96 KiB), under HM_RATE_MEMORY_LOCKS locks. */
#define HM_RATE_MEMORY_SETS 512
#define HM_RATE_MEMORY_WAYS 8
#define HM_RATE_MEMORY_LOCKS 64

#endif
