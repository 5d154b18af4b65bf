/* SPDX-License-Identifier: MIT */
/* Sliding-window attempt counters kept in the database (so every worker thread and
 * a restart see the same counts): login failures per e-mail and per address, and
 * later public forms. */
#ifndef HARREMAN_RATELIMIT_H
#define HARREMAN_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"

/* The buckets, named once: the handlers check them, src/auth counts and clears them. */
#define HM_BUCKET_LOGIN_EMAIL "login_email"
#define HM_BUCKET_LOGIN_ADDR "login_addr"
#define HM_BUCKET_REGISTER_ADDR "register_addr"

/* One counter: bucket (a string with static storage) and key (borrowed). */
struct hm_ratelimit_key {
	const char *bucket;
	const char *key;
};

/* Decides whether (bucket, key) already has max events within the window ending at
 * now: *limited, and *retry_after seconds until one more is allowed (>= 1). */
enum hm_err hm_ratelimit_check(struct hm_db *db, const char *bucket, const char *key, int64_t now,
			       int64_t window, int max, bool *limited, int64_t *retry_after);

/* Records one event for (bucket, key) at now, and forgets events older than window.
 * A step: needs the caller's transaction. */
enum hm_err hm_ratelimit_hit(struct hm_db *db, const char *bucket, const char *key, int64_t now,
			     int64_t window);

/* Records one event at now for each of the n keys (hm_ratelimit_hit), all in one
 * transaction of its own: HM_OK, or the error with nothing recorded. */
enum hm_err hm_ratelimit_record(struct hm_db *db, const struct hm_ratelimit_key *keys, size_t n,
				int64_t now, int64_t window);

/* Forgets every event of (bucket, key). A step: needs the caller's transaction. */
enum hm_err hm_ratelimit_clear(struct hm_db *db, const char *bucket, const char *key);

#endif
