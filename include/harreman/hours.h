/* SPDX-License-Identifier: MIT */
/* Weekly hours in local wall-clock time of the business time zone (the process's
 * TZ, set at start-up): is a channel open at an instant, and when does that change
 * next. Also "HH:MM" parsing and local-date helpers shared with the slot rules.
 * Windows include their start and exclude their end. Pure apart from libc's
 * reading of the system tz database. */
#ifndef HARREMAN_HOURS_H
#define HARREMAN_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hm_weekly_window {
	int weekday;   /* ISO: 1 = Monday ... 7 = Sunday */
	int start_min; /* minutes after local midnight, 0..1439 */
	int end_min;   /* 1..1440, > start_min */
};

/* Parses "HH:MM" (00:00..23:59, or "24:00" when allow_24 for an end) into minutes. */
bool hm_hhmm_parse(const char *text, bool allow_24, int *minutes);

/* Formats minutes as "HH:MM" into out (6 bytes). */
void hm_hhmm_format(int minutes, char out[6]);

/* The local calendar day (days since 1970-01-01) and ISO weekday of instant t.
 * t must have a local time (every instant hm_time_parse accepts has one). */
void hm_local_day(int64_t t, int64_t *day, int *weekday);

/* The instant of local wall-clock time minutes on local day. A time that does not
 * exist (the spring-forward gap) is moved on by the gap's length (02:30 becomes
 * 03:30 summer time); a time that happens twice (autumn) means its first
 * occurrence. */
int64_t hm_local_instant(int64_t day, int minutes);

/* The instants local year begins and the next one begins (midnight, 1 January). */
void hm_local_year_bounds(int year, int64_t *from, int64_t *to);

/* The local month (0..11) of instant t when it falls in local year, else -1. */
int hm_local_month_in_year(int64_t t, int year);

/* True when local day lasts exactly 24 hours (no daylight-saving change). */
bool hm_local_day_is_plain(int64_t day);

/* The ISO weekday (1 = Monday) of a day number. */
int hm_day_weekday(int64_t day);

/* The local wall-clock minute (0..1439) of instant t. */
int hm_local_minute(int64_t t);

/* Parses a local date "YYYY-MM-DD" into days since 1970-01-01. */
bool hm_date_parse(const char *text, int64_t *day);

/* Open at t? *next_change is the next instant the state flips, or 0 when it never
 * does (no windows: always open; windows every day all day: never closes).
 * Returns false, with *next_change 0 and *open_now meaningless, when there is no
 * answer: memory for the window edges ran out, or t (or an edge) has no local
 * time libc can represent. The caller answers 500 then, never "never changes". */
bool hm_hours_state(const struct hm_weekly_window *windows, size_t n, int64_t t, bool *open_now,
		    int64_t *next_change);

/* True when no two windows of one weekday overlap (touching is fine). */
bool hm_windows_disjoint(const struct hm_weekly_window *windows, size_t n);

#endif
