// SPDX-License-Identifier: MIT
// Weekly hours in the business time zone (include/harreman/hours.h). Local times
// go through libc (localtime_r, mktime with tm_isdst = -1), so the system tz
// database decides daylight saving; everything else is arithmetic.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

bool hm_hhmm_parse(const char *text, bool allow_24, int *minutes)
{
	if (!text || strlen(text) != 5 || text[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (text[i] < '0' || text[i] > '9'))
			return false;
	int h = (text[0] - '0') * 10 + (text[1] - '0');
	int m = (text[3] - '0') * 10 + (text[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
		return false;
	*minutes = h * 60 + m;
	return true;
}

void hm_hhmm_format(int minutes, char out[6])
{
	if (minutes < 0 || minutes > 1440)
		minutes = 0;
	out[0] = (char)('0' + minutes / 600);
	out[1] = (char)('0' + minutes / 60 % 10);
	out[2] = ':';
	out[3] = (char)('0' + minutes % 60 / 10);
	out[4] = (char)('0' + minutes % 10);
	out[5] = '\0';
}

static int weekday_of_day(int64_t day)
{
	/* 1970-01-01 was a Thursday (ISO 4). */
	return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

/* localtime_r of t, false when t has no local time libc can represent (its year
 * does not fit struct tm). */
static bool local_tm(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	if ((int64_t)tt != t || !localtime_r(&tt, tm)) {
		memset(tm, 0, sizeof *tm);
		return false;
	}
	return true;
}

/* The local day, weekday and wall-clock minute of t (minute may be NULL); false
 * when t has none (see local_tm). */
static bool local_day(int64_t t, int64_t *day, int *weekday, int *minute)
{
	struct tm tm;
	bool ok = local_tm(t, &tm);
	*day = hm_days_from_civil((int64_t)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
				  (unsigned)tm.tm_mday);
	*weekday = weekday_of_day(*day);
	if (minute)
		*minute = tm.tm_hour * 60 + tm.tm_min;
	return ok;
}

void hm_local_day(int64_t t, int64_t *day, int *weekday)
{
	(void)local_day(t, day, weekday, NULL);
}

void hm_local_year_bounds(int year, int64_t *from, int64_t *to)
{
	*from = hm_local_instant(hm_days_from_civil(year, 1, 1), 0);
	*to = hm_local_instant(hm_days_from_civil(year + 1, 1, 1), 0);
}

int hm_local_month_in_year(int64_t t, int year)
{
	int64_t day, y;
	unsigned m, d;
	int weekday;
	hm_local_day(t, &day, &weekday);
	hm_civil_from_days(day, &y, &m, &d);
	return y == year && m >= 1 && m <= 12 ? (int)m - 1 : -1;
}

int hm_local_minute(int64_t t)
{
	struct tm tm;
	(void)local_tm(t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}

static int64_t local_instant_slow(int64_t day, int minutes)
{
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	/* Try summer time first, then standard time, keeping the one that reads back
	 * as the same wall-clock time: an autumn time that happens twice is then
	 * always its first occurrence (mktime's own guess with tm_isdst = -1 depends
	 * on the previous conversion). A time in the spring gap matches neither. */
	for (int isdst = 1; isdst >= 0; isdst--) {
		struct tm probe = tm, back;
		probe.tm_isdst = isdst;
		time_t t = mktime(&probe);
		if (t != (time_t)-1 && localtime_r(&t, &back) && back.tm_isdst == isdst &&
		    back.tm_hour == tm.tm_hour % 24 && back.tm_min == tm.tm_min &&
		    back.tm_mday == probe.tm_mday)
			return (int64_t)t;
	}
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* Midnights of recently asked days, per thread: on a day that lasts exactly 24
 * hours (every day but the two of a daylight-saving change) a local time is its
 * midnight plus minutes, without libc's time-zone lock. A few weeks of days fit, so
 * a week of slots for many tutors asks libc once per day, not once per tutor-day.
 * The business time zone is set once at start-up, so entries never go stale. */
#define DAY_CACHE_SIZE 64

struct day_entry {
	int64_t day;
	int64_t midnight;
	int64_t next_midnight;
};

static _Thread_local struct day_entry day_cache[DAY_CACHE_SIZE];
static _Thread_local bool day_cache_used[DAY_CACHE_SIZE];

static const struct day_entry *day_entry(int64_t day)
{
	size_t i = (size_t)((uint64_t)day % DAY_CACHE_SIZE);
	struct day_entry *e = &day_cache[i];
	if (!day_cache_used[i] || e->day != day) {
		e->midnight = local_instant_slow(day, 0);
		e->next_midnight = local_instant_slow(day + 1, 0);
		e->day = day;
		day_cache_used[i] = true;
	}
	return e;
}

int64_t hm_local_instant(int64_t day, int minutes)
{
	const struct day_entry *e = day_entry(day);
	if (minutes >= 0 && minutes <= 1440 && e->next_midnight - e->midnight == 86400)
		return e->midnight + (int64_t)minutes * 60;
	return local_instant_slow(day, minutes);
}

bool hm_local_day_is_plain(int64_t day)
{
	const struct day_entry *e = day_entry(day);
	return e->next_midnight - e->midnight == 86400;
}

int hm_day_weekday(int64_t day)
{
	return weekday_of_day(day);
}

bool hm_date_parse(const char *text, int64_t *day)
{
	char full[32];
	int64_t t;
	if (!text || strlen(text) != 10)
		return false;
	snprintf(full, sizeof full, "%sT00:00:00Z", text);
	if (!hm_time_parse(full, &t))
		return false;
	*day = t / 86400;
	return true;
}

/* Whether some window holds t, into *open; false when t has no local time. */
static bool open_at(const struct hm_weekly_window *w, size_t n, int64_t t, bool *open)
{
	int64_t day;
	int weekday, minute;
	*open = false;
	if (!local_day(t, &day, &weekday, &minute))
		return false;
	for (size_t i = 0; i < n && !*open; i++)
		*open = w[i].weekday == weekday && w[i].start_min <= minute &&
			minute < w[i].end_min;
	return true;
}

static int compare_instants(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

bool hm_hours_state(const struct hm_weekly_window *w, size_t n, int64_t t, bool *open_now,
		    int64_t *next_change)
{
	*next_change = 0;
	*open_now = true;
	if (n == 0)
		return true;

	/* Every window boundary of the coming eight days, in time order; the first at
	 * which the state differs is the next change (touching windows do not flip).
	 * Without room for them, or without a local time for t, there is no answer:
	 * "never changes" would be a lie the caller cannot tell from the truth. */
	int64_t day = 0;
	int weekday = 0;
	size_t count = 0, per_window = (size_t)2 * 9; /* two edges on each of 9 days */
	int64_t *edges = n <= SIZE_MAX / (per_window * sizeof *edges)
				 ? malloc(n * per_window * sizeof *edges)
				 : NULL;
	bool ok = edges && open_at(w, n, t, open_now) && local_day(t, &day, &weekday, NULL);
	for (int64_t d = day; ok && d <= day + 8; d++) {
		for (size_t i = 0; i < n; i++) {
			if (w[i].weekday != weekday_of_day(d))
				continue;
			int64_t a = hm_local_instant(d, w[i].start_min);
			int64_t b = hm_local_instant(d, w[i].end_min);
			if (a > t)
				edges[count++] = a;
			if (b > t)
				edges[count++] = b;
		}
	}
	if (ok)
		qsort(edges, count, sizeof *edges, compare_instants);
	for (size_t i = 0; ok && i < count; i++) {
		bool open_then = false;
		ok = open_at(w, n, edges[i], &open_then);
		if (ok && open_then != *open_now) {
			*next_change = edges[i];
			break;
		}
	}
	free(edges);
	if (!ok)
		*next_change = 0;
	return ok;
}

bool hm_windows_disjoint(const struct hm_weekly_window *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (w[i].weekday == w[j].weekday && w[i].start_min < w[j].end_min &&
			    w[j].start_min < w[i].end_min)
				return false;
	return true;
}
