// SPDX-License-Identifier: MIT
// The in-memory rate table (include/harreman/rate_memory.h): max calls per window,
// then refusals with the seconds left, a fresh window after it; buckets and keys
// apart; a flood of other keys never makes the table forget a key at its limit
// (the bound evicts the keys with fewest calls); threads count exactly.
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harreman/limits.h"
#include "harreman/rate_memory.h"

static void test_window(void)
{
	int64_t retry = 0;
	hm_rate_memory_clear();
	for (int i = 0; i < 30; i++)
		CHECK(hm_rate_memory_hit("ask", "10.0.0.1", 1000 + i, 3600, 30, &retry));
	CHECK(!hm_rate_memory_hit("ask", "10.0.0.1", 1100, 3600, 30, &retry));
	CHECK_INT(retry, 3500); /* the window began with the first call, at 1000 */
	CHECK(!hm_rate_memory_hit("ask", "10.0.0.1", 4599, 3600, 30, &retry));
	CHECK_INT(retry, 1);
	/* Refusals were not counted: the next window has all its calls. */
	for (int i = 0; i < 30; i++)
		CHECK(hm_rate_memory_hit("ask", "10.0.0.1", 4600, 3600, 30, &retry));
	CHECK(!hm_rate_memory_hit("ask", "10.0.0.1", 4600, 3600, 30, &retry));
	CHECK_INT(retry, 3600);
	/* Another key, another bucket: counted apart. */
	CHECK(hm_rate_memory_hit("ask", "10.0.0.2", 4600, 3600, 30, &retry));
	CHECK(hm_rate_memory_hit("other", "10.0.0.1", 4600, 3600, 30, &retry));
	/* No calls allowed at all: refused, nothing kept. */
	CHECK(!hm_rate_memory_hit("none", "10.0.0.3", 4600, 60, 0, &retry));
	CHECK(retry >= 1);
}

static void test_bounded_keeps_the_limited(void)
{
	int64_t retry = 0;
	char addr[32];
	hm_rate_memory_clear();
	for (int i = 0; i < 5; i++)
		CHECK(hm_rate_memory_hit("ask", "192.0.2.1", 100, 3600, 5, &retry));
	/* Ten times more other addresses than the table holds, once each. */
	int allowed = 0;
	int n = 10 * HM_RATE_MEMORY_SETS * HM_RATE_MEMORY_WAYS;
	for (int i = 0; i < n; i++) {
		snprintf(addr, sizeof addr, "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255,
			 i & 255);
		allowed += hm_rate_memory_hit("ask", addr, 200, 3600, 5, &retry);
	}
	CHECK_INT(allowed, n);
	CHECK(!hm_rate_memory_hit("ask", "192.0.2.1", 300, 3600, 5, &retry));
	CHECK_INT(retry, 3400);
	/* Once its window is over it counts afresh. */
	CHECK(hm_rate_memory_hit("ask", "192.0.2.1", 3700, 3600, 5, &retry));
}

#define THREADS 4
#define CALLS 20000
#define MAX_CALLS (THREADS * CALLS / 2)

static void *hammer(void *arg)
{
	int *allowed = arg;
	int64_t retry = 0;
	for (int i = 0; i < CALLS; i++)
		*allowed += hm_rate_memory_hit("ask", "198.51.100.7", 50, 3600, MAX_CALLS, &retry);
	return NULL;
}

static void test_threads_count_exactly(void)
{
	pthread_t t[THREADS];
	int allowed[THREADS] = {0}, total = 0;
	hm_rate_memory_clear();
	for (int i = 0; i < THREADS; i++)
		CHECK_INT(pthread_create(&t[i], NULL, hammer, &allowed[i]), 0);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total += allowed[i];
	}
	CHECK_INT(total, MAX_CALLS);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(test_window);
	RUN(test_bounded_keeps_the_limited);
	RUN(test_threads_count_exactly);
	return CHECK_EXIT();
}
