/* SPDX-License-Identifier: MIT */
/* Lessons in the database: booking (a single lesson, a weekly series, a walk-in)
 * with its contract or sessions, audit row and confirmation in one transaction;
 * cancelling and logging; the reads behind the lists and the client-busy check.
 * All functions borrow the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_LESSONS_H
#define HARREMAN_DB_LESSONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* For each of the n starts, whether client_id already has a booked lesson with
 * another tutor than tutor_id that overlaps [starts[i], starts[i] + duration_min)
 * (API.md: a client is never in two lessons at once; an overlap with the same tutor
 * is slot_taken). busy has room for n. HM_OK or HM_ERR_INTERNAL. */
enum hm_err hm_db_lessons_client_busy(struct hm_db *db, int64_t client_id, int64_t tutor_id,
				      const int64_t *starts, int n, int duration_min,
				      bool *busy);

#endif
