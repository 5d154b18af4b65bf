// SPDX-License-Identifier: MIT
// The outbox's delivery rules (src/domain/delivery.c): the wait before each retry
// doubles from the base and stops at six hours; a 5xx reply is permanent, other
// failures are retried until the attempts run out; a message found half-sent after
// a crash is sent again only if its data had not begun to go out.
#include <string.h>

#include "check.h"
#include "harreman/delivery.h"

static void test_backoff_doubles_and_is_capped(void)
{
	CHECK_INT(hm_delivery_backoff(60, 1), 60);
	CHECK_INT(hm_delivery_backoff(60, 2), 120);
	CHECK_INT(hm_delivery_backoff(60, 3), 240);
	CHECK_INT(hm_delivery_backoff(60, 9), 60 * 256);
	CHECK_INT(hm_delivery_backoff(60, 10), HM_DELIVERY_MAX_DELAY);
	CHECK_INT(hm_delivery_backoff(60, 1000), HM_DELIVERY_MAX_DELAY);
	CHECK_INT(hm_delivery_backoff(1, 1), 1);
	CHECK_INT(hm_delivery_backoff(1, 4), 8);
	/* Never zero or negative, never more than the cap. */
	CHECK_INT(hm_delivery_backoff(0, 1), 1);
	CHECK_INT(hm_delivery_backoff(-5, 3), 4);
	CHECK_INT(hm_delivery_backoff(100000, 1), HM_DELIVERY_MAX_DELAY);
	CHECK_INT(hm_delivery_backoff(60, 0), 60);
	int64_t last = 0;
	for (int n = 1; n <= 40; n++) {
		int64_t d = hm_delivery_backoff(7, n);
		CHECK(d >= last && d <= HM_DELIVERY_MAX_DELAY);
		last = d;
	}
}

static void test_verdicts(void)
{
	CHECK_INT(hm_delivery_judge(true, 250, 1, 10), HM_DELIVERY_SENT);
	/* Accepted is accepted, whatever attempt it was. */
	CHECK_INT(hm_delivery_judge(true, 250, 10, 10), HM_DELIVERY_SENT);
	/* No connection, a timeout, a 4xx: later. */
	CHECK_INT(hm_delivery_judge(false, 0, 1, 10), HM_DELIVERY_RETRY);
	CHECK_INT(hm_delivery_judge(false, 421, 3, 10), HM_DELIVERY_RETRY);
	CHECK_INT(hm_delivery_judge(false, 451, 9, 10), HM_DELIVERY_RETRY);
	/* ... until the attempts run out. */
	CHECK_INT(hm_delivery_judge(false, 451, 10, 10), HM_DELIVERY_FAILED);
	CHECK_INT(hm_delivery_judge(false, 0, 11, 10), HM_DELIVERY_FAILED);
	/* A 5xx reply is permanent at once. */
	CHECK_INT(hm_delivery_judge(false, 550, 1, 10), HM_DELIVERY_FAILED);
	CHECK_INT(hm_delivery_judge(false, 554, 1, 10), HM_DELIVERY_FAILED);
	CHECK_INT(hm_delivery_judge(false, 500, 1, 10), HM_DELIVERY_FAILED);
}

static void test_recovery_after_a_crash(void)
{
	CHECK_STR(hm_delivery_recover(false), "queued");
	CHECK_STR(hm_delivery_recover(true), "unknown");
}

int main(void)
{
	RUN(test_backoff_doubles_and_is_capped);
	RUN(test_verdicts);
	RUN(test_recovery_after_a_crash);
	return CHECK_EXIT();
}
