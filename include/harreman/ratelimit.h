/* SPDX-License-Identifier: MIT */
/* Sliding-window attempt counters kept in the database (so every worker thread and
 * a restart see the same counts): login failures per e-mail and per address, and
 * later public forms. */
#ifndef HARREMAN_RATELIMIT_H
#define HARREMAN_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* Decides whether (bucket, key) already has max events within the window ending at
 * now: *limited, and *retry_after seconds until one more is allowed (>= 1). */
enum hm_err hm_ratelimit_check(struct hm_db *db, const char *bucket, const char *key,
			       int64_t now, int64_t window, int max, bool *limited,
			       int64_t *retry_after);

/* Records one event for (bucket, key) at now, and forgets events older than window. */
enum hm_err hm_ratelimit_hit(struct hm_db *db, const char *bucket, const char *key, int64_t now,
			     int64_t window);

/* Forgets every event of (bucket, key). */
enum hm_err hm_ratelimit_clear(struct hm_db *db, const char *bucket, const char *key);

#endif
