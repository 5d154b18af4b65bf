/* SPDX-License-Identifier: MIT */
/* Instants as RFC 3339 text: output always UTC with `Z`, input with `Z` or a numeric
 * offset. Instants are int64 seconds since the Unix epoch throughout Harreman. */
#ifndef HARREMAN_TIMEFMT_H
#define HARREMAN_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HM_RFC3339_LEN 21 /* "2026-11-24T15:00:00Z" plus the NUL */

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out (HM_RFC3339_LEN bytes). */
void hm_time_format(int64_t t, char out[HM_RFC3339_LEN]);

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; fractions are dropped.
 * Returns false for anything else, including impossible dates. */
bool hm_time_parse(const char *text, int64_t *out);

/* Seconds since the epoch, now. */
int64_t hm_time_now(void);

/* Days since 1970-01-01 for a proleptic Gregorian date (no validation). */
int64_t hm_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The date of a day number (the inverse of hm_days_from_civil). */
void hm_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
