/* SPDX-License-Identifier: MIT */
/* The delivery rules of the outbox, as pure functions: how long to wait before the
 * next attempt (exponential backoff, capped), what an attempt's outcome means
 * (sent, try again, give up), and what a message found half-sent after a crash
 * becomes (sent again only when its data had certainly not begun to go out). */
#ifndef HARREMAN_DELIVERY_H
#define HARREMAN_DELIVERY_H

#include <stdbool.h>
#include <stdint.h>

#define HM_DELIVERY_MAX_ATTEMPTS 10
#define HM_DELIVERY_MAX_DELAY ((int64_t)6 * 3600)

/* Seconds to wait after the attempts-th failed attempt (1, 2, ...): base,
 * 2 × base, 4 × base, ..., never more than HM_DELIVERY_MAX_DELAY; at least 1. */
int64_t hm_delivery_backoff(int64_t base, int attempts);

enum hm_delivery_verdict {
	HM_DELIVERY_SENT,
	HM_DELIVERY_RETRY,  /* a transient failure: later, after the backoff */
	HM_DELIVERY_FAILED, /* permanent, or out of attempts: an admin may retry by hand */
};

/* The verdict on an attempt: ok is the relay's acceptance; smtp_code is the last
 * SMTP reply (0 when there was none: no connection, a timeout); attempts counts
 * this one. A 5xx reply is permanent; anything else is tried again until
 * max_attempts attempts were made. */
enum hm_delivery_verdict hm_delivery_judge(bool ok, int smtp_code, int attempts, int max_attempts);

/* The state of a message found in `sending` when the sender starts (the process
 * died while delivering it): "queued" when the DATA phase had not begun (the relay
 * cannot have accepted it, so sending it again is safe), else "unknown" (it may
 * have arrived: never resent without an admin's retry). */
const char *hm_delivery_recover(bool data_started);

#endif
