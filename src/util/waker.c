// SPDX-License-Identifier: MIT
// A background thread's wake-up and stop (include/harreman/waker.h): one mutex,
// one condition variable on the monotonic clock, and the flags they guard.
#include <time.h>

#include "harreman/waker.h"
#include "harreman/banned.h"

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool hm_waker_start(struct hm_waker *w, void *(*run)(void *), void *arg)
{
	pthread_condattr_t attr;
	w->woken = false;
	atomic_init(&w->pending, false);
	atomic_init(&w->stop, false);
	atomic_init(&w->stop_at_ms, 0);
	if (pthread_condattr_init(&attr) != 0)
		return false;
	bool ok = false;
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0)
		goto out;
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		goto out;
	if (pthread_cond_init(&w->cond, &attr) != 0) {
		pthread_mutex_destroy(&w->lock);
		goto out;
	}
	if (pthread_create(&w->thread, NULL, run, arg) != 0) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		goto out;
	}
	ok = true;
out:
	pthread_condattr_destroy(&attr);
	return ok;
}

void hm_waker_wake(struct hm_waker *w)
{
	if (atomic_exchange(&w->pending, true))
		return;
	pthread_mutex_lock(&w->lock);
	w->woken = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

bool hm_waker_stopping(struct hm_waker *w)
{
	return atomic_load(&w->stop);
}

int64_t hm_waker_stopping_for_ms(struct hm_waker *w)
{
	if (!atomic_load(&w->stop))
		return 0;
	return mono_ms() - atomic_load(&w->stop_at_ms);
}

void hm_waker_begin_pass(struct hm_waker *w)
{
	pthread_mutex_lock(&w->lock);
	w->woken = false;
	atomic_store(&w->pending, false);
	pthread_mutex_unlock(&w->lock);
}

bool hm_waker_sleep_ms(struct hm_waker *w, int64_t ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (ms > 0) {
		until.tv_sec += (time_t)(ms / 1000);
		until.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&w->lock);
	while (!w->woken && !atomic_load(&w->stop))
		if (pthread_cond_timedwait(&w->cond, &w->lock, &until) != 0)
			break;
	bool woken = w->woken;
	pthread_mutex_unlock(&w->lock);
	return woken;
}

void hm_waker_stop(struct hm_waker *w)
{
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stop_at_ms, mono_ms());
	atomic_store(&w->stop, true);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}
