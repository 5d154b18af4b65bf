/* SPDX-License-Identifier: MIT */
/* Fixed-window call counters per (bucket, key) kept in memory, not in the
 * database: for a public route whose every call must be counted but must not cost
 * a durable write (POST /ask). A window starts at a key's first call and lasts
 * window seconds; within it at most max calls are let through.
 *
 * Bounded: HM_RATE_MEMORY_SETS sets of HM_RATE_MEMORY_WAYS entries (limits.h). A
 * key's set is chosen by a keyed hash (SipHash with a random key per process, so
 * nobody can aim addresses at someone else's set); a key new to a full set takes
 * the place of an entry whose window is over, else of the one with the fewest
 * calls, so the keys close to their limit are the last ones forgotten. A restart
 * forgets every count (docs/decisions.md says why that is acceptable). Thread
 * safe: one lock per group of sets (HM_RATE_MEMORY_LOCKS), held for a few dozen
 * instructions. */
#ifndef HARREMAN_RATE_MEMORY_H
#define HARREMAN_RATE_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

/* Counts one call of key (borrowed) in bucket (a static string) at now, unless key
 * already made max calls in its current window: true (counted), or false with
 * *retry_after the seconds until its window ends (>= 1), nothing counted.
 * Needs sodium_init() to have run. */
bool hm_rate_memory_hit(const char *bucket, const char *key, int64_t now, int64_t window, int max,
			int64_t *retry_after);

/* Forgets every count (tests). */
void hm_rate_memory_clear(void);

#endif
