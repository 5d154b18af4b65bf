/* SPDX-License-Identifier: MIT */
/* The group-commit writer: one thread that runs the write jobs handed to it (the
 * handlers of write requests) on the shared writer connection, as many as are
 * waiting in one transaction, each in its own savepoint, and reports each job done
 * only after that transaction's COMMIT -- one fsync for the whole batch. While the
 * writer works, the request threads go on reading and parsing: a write never holds
 * up a thread that could be answering someone else (docs/performance.md). Knows
 * nothing of HTTP. */
#ifndef HARREMAN_WRITER_H
#define HARREMAN_WRITER_H

#include <stdbool.h>

#include "harreman/db.h"

struct hm_write_job {
	/* Runs in the writer thread, inside the batch's transaction on db: it may call
	 * hm_db_begin/commit/rollback, which work on its own savepoint there. */
	void (*run)(struct hm_write_job *job, struct hm_db *db);
	/* Called in the writer thread after the batch: durable is false when the batch
	 * could not be committed (everything the job wrote is gone). The writer does
	 * not touch the job after this call, so done may hand it to another thread. */
	void (*done)(struct hm_write_job *job, bool durable);
	void *ctx;                 /* the submitter's */
	struct hm_write_job *next; /* the writer's */
	bool lost;                 /* the writer's */
};

struct hm_writer;

/* Called by the writer thread after every batch, whatever became of it: committed,
 * rolled back, or never begun (the batch's BEGIN failed); always before any job
 * of the batch is reported done. E.g. to wake the outbox's sender: what a
 * committed batch queued is visible now, and after a failed batch the wake-up
 * only costs the sender one pass that finds nothing new. */
typedef void hm_writer_hook_fn(void *ctx);

/* Starts the thread. db is the shared writer connection (hm_db_share_writer),
 * borrowed until hm_writer_stop. NULL with *why when the thread cannot start. */
struct hm_writer *hm_writer_start(struct hm_db *db, hm_writer_hook_fn *after_commit, void *hook_ctx,
				  const char **why);

/* Queues job (borrowed until its done call). Safe from any thread. */
void hm_writer_submit(struct hm_writer *writer, struct hm_write_job *job);

/* Runs what is queued, stops and joins the thread, frees the writer. NULL is fine. */
void hm_writer_stop(struct hm_writer *writer);

#endif
