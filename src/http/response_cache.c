// SPDX-License-Identifier: MIT
// The public-answer cache (include/harreman/response_cache.h): a fixed table of
// entries under one mutex, each holding a private copy of an encoded body. A
// lookup copies the body out, so no entry is ever shared with a reply in flight.
// Replacement takes the least recently used entry; the byte bound evicts more. A
// lookup compares the keys' 64-bit hashes (one small array) before any key.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/response_cache.h"
#include "harreman/banned.h"

struct cache_entry {
	char *key; /* owned, with body */
	uint64_t generation;
	int64_t valid_until;
	uint64_t last_used;
	const char *content_type; /* static */
	char *body;               /* owned; NULL for a free entry */
	size_t body_len;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry entries[HM_CACHE_MAX_ENTRIES];
static uint64_t key_hashes[HM_CACHE_MAX_ENTRIES]; /* of entries[i].key while it is held */
static _Atomic uint64_t hits, misses;
static size_t bytes_held;
static uint64_t use_clock;
static _Atomic uint64_t data_generation = 1;

uint64_t hm_cache_generation(void)
{
	return atomic_load(&data_generation);
}

void hm_cache_invalidate(void)
{
	atomic_fetch_add(&data_generation, 1);
}

bool hm_cache_key(const struct hm_request *req, bool per_user, char *key, size_t size)
{
	/* Lengths before each part keep "a=b&c" and "a=b%26c" apart. */
	int n = snprintf(key, size, "%d|%lld|%zu:%s", (int)req->who.role,
			 per_user ? (long long)req->who.user_id : 0LL, strlen(req->path),
			 req->path);
	if (n < 0 || (size_t)n >= size)
		return false;
	size_t used = (size_t)n;
	for (size_t i = 0; i < req->n_query; i++) {
		const char *value = req->query[i].value;
		n = snprintf(key + used, size - used, "|%zu:%s=%zd:%s", strlen(req->query[i].key),
			     req->query[i].key, value ? (ssize_t)strlen(value) : (ssize_t)-1,
			     value ? value : "");
		if (n < 0 || (size_t)n >= size - used)
			return false;
		used += (size_t)n;
	}
	return true;
}

/* FNV-1a of key. */
static uint64_t hash_of(const char *key)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3u;
	return h;
}

void hm_cache_counts(uint64_t *hit, uint64_t *miss)
{
	*hit = atomic_load(&hits);
	*miss = atomic_load(&misses);
}

static void entry_free(struct cache_entry *e)
{
	if (!e->body)
		return;
	bytes_held -= e->body_len;
	free(e->body);
	free(e->key);
	e->body = NULL;
	e->body_len = 0;
	e->key = NULL;
}

static struct cache_entry *find(const char *key, uint64_t hash)
{
	for (size_t i = 0; i < HM_CACHE_MAX_ENTRIES; i++)
		if (key_hashes[i] == hash && entries[i].body && strcmp(entries[i].key, key) == 0)
			return &entries[i];
	return NULL;
}

/* hm_cache_get and hm_cache_get_part: counted says whether the lookup counts. */
static bool lookup(const char *key, int64_t now, struct hm_reply *reply, bool counted)
{
	bool hit = false;
	char *copy = NULL;
	size_t len = 0;
	const char *type = NULL;
	uint64_t generation = hm_cache_generation(), hash = hash_of(key);

	pthread_mutex_lock(&cache_lock);
	struct cache_entry *e = find(key, hash);
	if (e && (e->generation != generation || now >= e->valid_until)) {
		entry_free(e);
		e = NULL;
	}
	if (e) {
		copy = malloc(e->body_len);
		if (copy) {
			memcpy(copy, e->body, e->body_len);
			len = e->body_len;
			type = e->content_type;
			e->last_used = ++use_clock;
			hit = true;
		}
	}
	pthread_mutex_unlock(&cache_lock);

	if (counted)
		atomic_fetch_add_explicit(hit ? &hits : &misses, 1, memory_order_relaxed);
	if (hit)
		hm_reply_raw_owned(reply, 200, type, copy, len);
	return hit;
}

bool hm_cache_get(const char *key, int64_t now, struct hm_reply *reply)
{
	return lookup(key, now, reply, true);
}

bool hm_cache_get_part(const char *key, int64_t now, struct hm_reply *reply)
{
	return lookup(key, now, reply, false);
}

/* Makes room for len more bytes and returns a free entry (cache_lock held). */
static struct cache_entry *make_room(size_t len)
{
	for (;;) {
		struct cache_entry *free_slot = NULL, *oldest = NULL;
		for (size_t i = 0; i < HM_CACHE_MAX_ENTRIES; i++) {
			struct cache_entry *e = &entries[i];
			if (!e->body) {
				if (!free_slot)
					free_slot = e;
			} else if (!oldest || e->last_used < oldest->last_used) {
				oldest = e;
			}
		}
		if (free_slot && bytes_held + len <= HM_CACHE_MAX_BYTES)
			return free_slot;
		if (!oldest)
			return NULL;
		entry_free(oldest);
	}
}

void hm_cache_put(const char *key, uint64_t generation, int64_t valid_until,
		  const struct hm_reply *reply)
{
	if (reply->status != 200 || !reply->body || reply->json || reply->n_headers > 0 ||
	    reply->body_len == 0 || reply->body_len > HM_CACHE_MAX_BYTES / 4 ||
	    strlen(key) >= HM_CACHE_MAX_KEY || generation != hm_cache_generation())
		return;
	char *copy = malloc(reply->body_len), *key_copy = strdup(key);
	if (!copy || !key_copy) {
		free(copy);
		free(key_copy);
		return;
	}
	memcpy(copy, reply->body, reply->body_len);
	uint64_t hash = hash_of(key);

	pthread_mutex_lock(&cache_lock);
	struct cache_entry *e = find(key, hash);
	if (e)
		entry_free(e);
	e = make_room(reply->body_len);
	if (e) {
		e->key = key_copy;
		key_hashes[e - entries] = hash;
		e->generation = generation;
		e->valid_until = valid_until;
		e->last_used = ++use_clock;
		e->content_type = reply->content_type;
		e->body = copy;
		e->body_len = reply->body_len;
		bytes_held += e->body_len;
		copy = NULL;
		key_copy = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
	free(copy);
	free(key_copy);
}

void hm_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < HM_CACHE_MAX_ENTRIES; i++)
		entry_free(&entries[i]);
	pthread_mutex_unlock(&cache_lock);
}

void hm_cache_drop_stale(int64_t now)
{
	uint64_t generation = hm_cache_generation();
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < HM_CACHE_MAX_ENTRIES; i++)
		if (entries[i].body &&
		    (entries[i].generation != generation || now >= entries[i].valid_until))
			entry_free(&entries[i]);
	pthread_mutex_unlock(&cache_lock);
}
