// SPDX-License-Identifier: MIT
// The group-commit writer (include/harreman/writer.h): a queue of jobs under a
// mutex, and one thread that takes everything queued as one batch -- BEGIN, each
// job in its savepoint, COMMIT -- then reports every job of the batch done. A
// batch is whatever arrived while the previous one ran, so under load the fsync
// is shared by many writes and when idle a write waits for nobody.
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include "harreman/log.h"
#include "harreman/metrics.h"
#include "harreman/writer.h"
#include "harreman/banned.h"

struct hm_writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t queued; /* a job was queued, or stop was asked */
	struct hm_write_job *head, *tail;
	bool stop;
	struct hm_db *db;
	hm_writer_hook_fn *after_commit;
	void *hook_ctx;
};

/* Marks the jobs from first up to (not including) end as lost. */
static void mark_lost(struct hm_write_job *first, const struct hm_write_job *end)
{
	for (struct hm_write_job *job = first; job != end; job = job->next)
		job->lost = true;
}

static void run_batch(struct hm_writer *w, struct hm_write_job *jobs)
{
	struct hm_write_job *first = jobs; /* the first job of the open transaction */
	size_t n = 0;
	bool open = hm_db_batch_begin(w->db) == HM_OK;
	for (struct hm_write_job *job = jobs; job; job = job->next) {
		n++;
		if (!open) {
			job->lost = true;
			continue;
		}
		job->run(job, w->db);
		if (!hm_db_batch_alive(w->db)) {
			/* SQLite rolled the whole transaction back: this job's error took
			 * the batch's earlier work with it. Start again after it. */
			hm_log_error("database: a write batch was rolled back; its %s",
				     "jobs are reported lost");
			mark_lost(first, job->next);
			(void)hm_db_batch_commit(w->db);
			first = job->next;
			open = hm_db_batch_begin(w->db) == HM_OK;
		}
	}
	if (open && hm_db_batch_commit(w->db) != HM_OK)
		mark_lost(first, NULL);
	hm_metrics_write_batch(n);
	if (w->after_commit)
		w->after_commit(w->hook_ctx);
	for (struct hm_write_job *job = jobs, *next; job; job = next) {
		next = job->next; /* done may free the job */
		job->done(job, !job->lost);
	}
}

static void *run(void *arg)
{
	struct hm_writer *w = arg;
	prctl(PR_SET_NAME, "hm-writer", 0, 0, 0); /* for top -H and perf */
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->queued, &w->lock);
		if (!w->head)
			break; /* stop, and nothing left */
		struct hm_write_job *batch = w->head;
		w->head = w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		run_batch(w, batch);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct hm_writer *hm_writer_start(struct hm_db *db, hm_writer_hook_fn *after_commit, void *hook_ctx,
				  const char **why)
{
	struct hm_writer *w = calloc(1, sizeof *w);
	if (!w) {
		*why = "out of memory";
		return NULL;
	}
	w->db = db;
	w->after_commit = after_commit;
	w->hook_ctx = hook_ctx;
	bool lock_ready = false, cond_ready = false;
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		goto fail;
	lock_ready = true;
	if (pthread_cond_init(&w->queued, NULL) != 0)
		goto fail;
	cond_ready = true;
	if (pthread_create(&w->thread, NULL, run, w) != 0)
		goto fail;
	return w;
fail:
	if (cond_ready)
		pthread_cond_destroy(&w->queued);
	if (lock_ready)
		pthread_mutex_destroy(&w->lock);
	free(w);
	*why = "cannot start the writer thread";
	return NULL;
}

void hm_writer_submit(struct hm_writer *w, struct hm_write_job *job)
{
	job->next = NULL;
	job->lost = false;
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	pthread_cond_signal(&w->queued);
	pthread_mutex_unlock(&w->lock);
}

void hm_writer_stop(struct hm_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->queued);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->queued);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
