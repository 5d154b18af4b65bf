// SPDX-License-Identifier: MIT
// The outbox's delivery rules (include/harreman/delivery.h): backoff, verdicts and
// crash recovery, kept apart from the thread and libcurl so they can be tested.
#include "harreman/delivery.h"
#include "harreman/banned.h"

int64_t hm_delivery_backoff(int64_t base, int attempts)
{
	if (base < 1)
		base = 1;
	if (base > HM_DELIVERY_MAX_DELAY)
		return HM_DELIVERY_MAX_DELAY;
	int64_t delay = base;
	for (int i = 1; i < attempts && delay < HM_DELIVERY_MAX_DELAY; i++)
		delay *= 2;
	return delay < HM_DELIVERY_MAX_DELAY ? delay : HM_DELIVERY_MAX_DELAY;
}

enum hm_delivery_verdict hm_delivery_judge(bool ok, int smtp_code, int attempts, int max_attempts)
{
	if (ok)
		return HM_DELIVERY_SENT;
	if (smtp_code >= 500 && smtp_code <= 599)
		return HM_DELIVERY_FAILED;
	return attempts >= max_attempts ? HM_DELIVERY_FAILED : HM_DELIVERY_RETRY;
}

const char *hm_delivery_recover(bool data_started)
{
	return data_started ? "unknown" : "queued";
}
