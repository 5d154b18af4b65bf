/* SPDX-License-Identifier: MIT */
/* One background thread with its wake-up and stop: the outbox sender, the
 * TicketBAI signer and the TicketBAI sender each embed a struct hm_waker. The
 * thread's loop calls hm_waker_begin_pass at the top of each pass and
 * hm_waker_sleep_ms at its end; a wake-up sent during the pass is kept, so the
 * sleep that follows returns at once. Wake-ups are coalesced: while one is on
 * its way, another costs one atomic exchange (a burst of bookings would
 * otherwise cost a lock and a futex call each). */
#ifndef HARREMAN_WAKER_H
#define HARREMAN_WAKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct hm_waker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC */
	bool woken;          /* under lock: a wake-up since the pass began */
	atomic_bool pending; /* a wake-up was sent and its pass has not begun */
	atomic_bool stop;
	atomic_llong stop_at_ms; /* monotonic, when the stop was asked */
};

/* Initialises w and starts run(arg) on its thread; false (and nothing left to
 * undo) when the thread could not be made. */
bool hm_waker_start(struct hm_waker *w, void *(*run)(void *), void *arg);

/* Asks the thread for a pass soon; safe from any thread. */
void hm_waker_wake(struct hm_waker *w);

/* True once hm_waker_stop was called. */
bool hm_waker_stopping(struct hm_waker *w);

/* Milliseconds since the stop was asked (0 while running). */
int64_t hm_waker_stopping_for_ms(struct hm_waker *w);

/* Called by the thread as a pass begins: forgets the wake-ups that asked for it. */
void hm_waker_begin_pass(struct hm_waker *w);

/* Called by the thread: waits until a wake-up, the stop, or ms have passed.
 * True when woken. */
bool hm_waker_sleep_ms(struct hm_waker *w, int64_t ms);

/* Asks the thread to stop, waits for it, and frees what hm_waker_start made. */
void hm_waker_stop(struct hm_waker *w);

#endif
