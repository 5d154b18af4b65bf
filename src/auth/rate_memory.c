// SPDX-License-Identifier: MIT
// In-memory fixed-window counters (include/harreman/rate_memory.h): a static
// set-associative table of (hash, window end, calls), no allocation at all. A
// key is known by its 64-bit keyed hash alone; two keys sharing one would share
// a count, which SipHash's random key makes as unlikely as guessing it.
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "harreman/limits.h"
#include "harreman/rate_memory.h"
#include "harreman/banned.h"

struct rate_entry {
	uint64_t hash;      /* of bucket and key; the entry is free when calls == 0 */
	int64_t window_end; /* the window's end: calls count until then */
	uint32_t calls;
};

static struct rate_entry table[HM_RATE_MEMORY_SETS][HM_RATE_MEMORY_WAYS];
static pthread_mutex_t locks[HM_RATE_MEMORY_LOCKS];
static unsigned char hash_key[crypto_shorthash_KEYBYTES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	randombytes_buf(hash_key, sizeof hash_key);
	for (size_t i = 0; i < HM_RATE_MEMORY_LOCKS; i++)
		pthread_mutex_init(&locks[i], NULL);
}

/* SipHash of bucket, a zero byte and key. */
static uint64_t key_hash(const char *bucket, const char *key)
{
	unsigned char in[256], out[crypto_shorthash_BYTES];
	size_t lb = strlen(bucket), lk = strlen(key);
	if (lb + 1 + lk > sizeof in) /* longer than any address: cut, still keyed */
		lk = sizeof in - lb - 1;
	memcpy(in, bucket, lb);
	in[lb] = '\0';
	memcpy(in + lb + 1, key, lk);
	crypto_shorthash(out, in, lb + 1 + lk, hash_key);
	uint64_t h;
	memcpy(&h, out, sizeof h);
	return h;
}

/* The entry of hash in set, or the one it replaces (set's lock held). */
static struct rate_entry *entry_for(struct rate_entry set[HM_RATE_MEMORY_WAYS], uint64_t hash,
				    int64_t now)
{
	struct rate_entry *victim = &set[0];
	for (size_t i = 0; i < HM_RATE_MEMORY_WAYS; i++) {
		struct rate_entry *e = &set[i];
		if (e->calls > 0 && e->hash == hash)
			return e;
		bool e_over = e->calls == 0 || now >= e->window_end;
		bool v_over = victim->calls == 0 || now >= victim->window_end;
		if ((e_over && !v_over) ||
		    (e_over == v_over && !e_over &&
		     (e->calls < victim->calls ||
		      (e->calls == victim->calls && e->window_end < victim->window_end))))
			victim = e;
	}
	*victim = (struct rate_entry){.hash = hash};
	return victim;
}

bool hm_rate_memory_hit(const char *bucket, const char *key, int64_t now, int64_t window, int max,
			int64_t *retry_after)
{
	pthread_once(&once, init_once);
	uint64_t hash = key_hash(bucket, key);
	size_t set = (size_t)(hash % HM_RATE_MEMORY_SETS);
	pthread_mutex_t *lock = &locks[set % HM_RATE_MEMORY_LOCKS];
	bool ok;

	pthread_mutex_lock(lock);
	struct rate_entry *e = entry_for(table[set], hash, now);
	if (e->calls == 0 || now >= e->window_end) {
		e->calls = 0;
		e->window_end = now + window;
	}
	ok = max > 0 && e->calls < (uint32_t)max;
	if (ok)
		e->calls++;
	else
		*retry_after = e->window_end - now > 0 ? e->window_end - now : 1;
	if (e->calls == 0) /* refused before any call counted: nothing to keep */
		e->hash = 0;
	pthread_mutex_unlock(lock);
	return ok;
}

void hm_rate_memory_clear(void)
{
	pthread_once(&once, init_once);
	for (size_t s = 0; s < HM_RATE_MEMORY_SETS; s++) {
		pthread_mutex_t *lock = &locks[s % HM_RATE_MEMORY_LOCKS];
		pthread_mutex_lock(lock);
		memset(table[s], 0, sizeof table[s]);
		pthread_mutex_unlock(lock);
	}
}
