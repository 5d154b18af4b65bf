/* SPDX-License-Identifier: MIT */
/* The TicketBAI signer thread that `serve` starts when a certificate is configured:
 * it signs pending invoices strictly in id order, each chained to the one before,
 * off the request threads and at a low CPU priority (nice 10), and stores them in
 * batches of up to 32, one transaction each (src/db/tbai.c) run by the
 * group-commit writer (app->writer, which must be started before the worker and
 * stopped after it; without one, on its own connection). It sleeps on a condition
 * variable; the writer's commit hook
 * wakes it, and it looks again at least every HM_TBAI_POLL_MS anyway. Nothing is
 * signed while /business is unset: invoices wait, pending, and are signed in order
 * later. docs/decisions.md, "TicketBAI signing". */
#ifndef HARREMAN_TBAI_WORKER_H
#define HARREMAN_TBAI_WORKER_H

#include <stdbool.h>

#include "harreman/app.h"
#include "harreman/tbai.h"

#define HM_TBAI_POLL_MS 2000 /* the longest sleep between two looks */

struct hm_tbai_worker;

/* Starts the thread for app (its database path and the cfg's territory overrides
 * are read; app must outlive the worker). The worker takes signer (closed by
 * hm_tbai_worker_stop, or here on failure). NULL with *why on failure. */
struct hm_tbai_worker *hm_tbai_worker_start(struct hm_app *app, struct hm_tbai_signer *signer,
					    const char **why);

/* Wakes the thread: invoices may have been committed. NULL is fine. */
void hm_tbai_worker_wake(struct hm_tbai_worker *w);

/* Stops the thread after the batch it is signing (its signatures are stored), joins it, closes
 * the signer and frees w. NULL is fine. */
void hm_tbai_worker_stop(struct hm_tbai_worker *w);

#endif
