/* SPDX-License-Identifier: MIT */
/* A small process-wide cache of GET answers: public ones (slots, services, channels,
 * ...) and a user's own reads (their lessons, contracts, loyalty; the desk's lists),
 * keyed by the user
 * that can never serve data older than the last committed write: every entry is
 * tagged with the data generation it was computed at, and the generation moves on
 * after every COMMIT of this process (hm_db_commit) and whenever a worker's
 * connection sees another process's commit. Entries also carry the instant until
 * which their content holds (a slot that starts drops out of /slots). */
#ifndef HARREMAN_RESPONSE_CACHE_H
#define HARREMAN_RESPONSE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/http.h"

/* Bounds: at most this many answers and this many body bytes in all (POST /ask
 * keeps one answer per language and question: a few hundred live at once). */
#define HM_CACHE_MAX_ENTRIES 512
#define HM_CACHE_MAX_BYTES ((size_t)2 * 1024 * 1024)
#define HM_CACHE_MAX_KEY 512

/* The current data generation (read it BEFORE computing an answer to store). */
uint64_t hm_cache_generation(void);

/* Moves the generation on: every stored answer is stale from now on. */
void hm_cache_invalidate(void);

/* Writes the cache key of req (role class, path and decoded query arguments; with
 * per_user, the caller's user id too: a private answer is only ever served to the
 * user it was computed for) into key; false when it does not fit (such a request is
 * simply not cached). */
bool hm_cache_key(const struct hm_request *req, bool per_user, char *key, size_t size);

/* On a hit, fills reply with a copy of the stored 200 answer and returns true. */
bool hm_cache_get(const char *key, int64_t now, struct hm_reply *reply);

/* The same for a part of an answer kept on its own (POST /ask's next free slot,
 * shared by the questions naming its subject): not counted in hm_cache_counts,
 * which counts answers. */
bool hm_cache_get_part(const char *key, int64_t now, struct hm_reply *reply);

/* Stores reply's encoded body (reply->body, status 200, no extra headers) under key,
 * computed at generation; holds while now < valid_until. Copies what it keeps. */
void hm_cache_put(const char *key, uint64_t generation, int64_t valid_until,
		  const struct hm_reply *reply);

/* Answers looked up (hm_cache_get) and found or not, since the start (GET
 * /metrics). */
void hm_cache_counts(uint64_t *hit, uint64_t *miss);

/* Frees the entries that can never be answered again (an older generation, or
 * expired at now): the idle housekeeping gives their memory back. */
void hm_cache_drop_stale(int64_t now);

/* Empties the cache and frees its memory (tests; shutdown). */
void hm_cache_clear(void);

#endif
