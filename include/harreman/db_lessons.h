/* SPDX-License-Identifier: MIT */
/* Lessons in the database: booking (a single lesson, a weekly series, a walk-in)
 * with its contract or sessions, audit row and confirmation in one transaction;
 * cancelling and logging, each one transaction; the reads behind the lists, one
 * lesson and the client-busy check. All functions borrow the connection; JSON
 * results are owned by the caller. A write that fails has written nothing. */
#ifndef HARREMAN_DB_LESSONS_H
#define HARREMAN_DB_LESSONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

struct hm_service;
struct hm_outbox_env;
struct hm_booking_mail;

/* For each of the n starts, whether client_id already has a booked lesson with
 * another tutor than tutor_id that overlaps [starts[i], starts[i] + duration_min)
 * (API.md: a client is never in two lessons at once; an overlap with the same tutor
 * is slot_taken), lesson except_id (one being moved; 0: none) left out. busy has
 * room for n. HM_OK or HM_ERR_INTERNAL. */
enum hm_err hm_db_lessons_client_busy(struct hm_db *db, int64_t client_id, int64_t tutor_id,
				      int64_t except_id, const int64_t *starts, int n,
				      int duration_min, bool *busy);

/* A booking to write (every pointer borrowed for the call). */
struct hm_booking {
	int64_t client_id, tutor_id;
	int64_t contract_id; /* a contract of the client to use; 0: make one */
	const struct hm_service *service;
	const int64_t *starts; /* n starts, the first one the earliest */
	int n;
	const char *channel;                /* of the lessons and of a contract made here */
	const char *attendance;             /* a walk-in, logged at once; NULL: booked ahead */
	const char *notes, *level, *pace;   /* a walk-in's log; NULL: none, unchanged */
	const struct hm_booking_mail *mail; /* the confirmation's names, read before
					     * the write; NULL: read in it */
};

/* Books b for who, top to bottom in one transaction: makes a contract for the
 * lessons (a one-off, or a subscription of n sessions) or uses n sessions of
 * b->contract_id, inserts the lessons, updates a walk-in's client level and pace,
 * audits and queues the confirmation (not for a walk-in); ids[0..b->n) are the new
 * lessons (read them with hm_db_lessons_json_list once committed: not under the
 * write lock). Errors: HM_ERR_SLOT_TAKEN, HM_ERR_FULL, HM_ERR_CLIENT_BUSY (the
 * triggers refused a start), HM_ERR_NO_SESSIONS_LEFT, HM_ERR_VALIDATION_FAILED
 * (contract_id is no active contract of this client for this service),
 * HM_ERR_INTERNAL. */
enum hm_err hm_db_lessons_book(struct hm_db *db, const struct hm_booking *b,
			       const struct hm_actor *who, const struct hm_outbox_env *env,
			       int64_t *ids);

/* The lesson objects of ids[0..n) as a JSON array (*items, caller owns). */
enum hm_err hm_db_lessons_json_list(struct hm_db *db, const int64_t *ids, int n, json_t **items);

/* hm_db_lessons_book inside the caller's transaction (a waitlist offer accepted):
 * the same steps and errors, the lessons read into *items (an array, caller owns),
 * without BEGIN or COMMIT; on an error the caller rolls back. */
enum hm_err hm_db_lessons_book_within(struct hm_db *db, const struct hm_booking *b,
				      const struct hm_actor *who, const struct hm_outbox_env *env,
				      json_t **items);

/* One page of lessons in [from, to) (any_time: no bound), of client_id and tutor_id
 * when non-zero, in time order after the lesson `after`: *items (caller owns) and
 * *next_after (0 on the last page). limit is at most HM_PAGE_MAX. */
struct hm_lesson_filter {
	int64_t client_id, tutor_id;
	int64_t from, to;
	bool any_time;
};
enum hm_err hm_db_lessons_list(struct hm_db *db, const struct hm_lesson_filter *f, int limit,
			       int64_t after, json_t **items, int64_t *next_after);

/* The lesson object of id, with its contract embedded; when client_id is non-zero
 * only that client's (HM_ERR_NOT_FOUND for another's). */
enum hm_err hm_db_lessons_get(struct hm_db *db, int64_t id, int64_t client_id, json_t **out);

/* Cancels lesson id in one transaction: a one-off contract made with it goes too,
 * a subscription gets its session back; audits; tells the client when the lesson
 * is still to come; a group seat freed is offered to the first in its line
 * (hm_db_waitlists_seats_freed). client_id non-zero: only that client's lesson, and only while
 * notice seconds remain before it starts. *out: the lesson (caller owns). Errors:
 * HM_ERR_NOT_FOUND, HM_ERR_CONFLICT (cancelled already), HM_ERR_TOO_LATE_TO_CANCEL,
 * HM_ERR_INTERNAL; *why (static text, may stay NULL) explains a 409. */
enum hm_err hm_db_lessons_cancel(struct hm_db *db, int64_t id, int64_t client_id, int64_t notice,
				 const struct hm_actor *who, const struct hm_outbox_env *env,
				 json_t **out, const char **why);

/* A move of a lesson to a new time (every field the caller's). */
struct hm_lesson_move {
	int64_t id;
	int64_t client_id; /* non-zero: only this client's lesson, and only while notice
			    * seconds remain before its current start (a student) */
	int64_t notice;
	int64_t tutor_id;  /* the lesson's tutor at its new time */
	int64_t starts_at; /* the new start */
	int duration_min;  /* of the lesson's service */
};

/* Moves lesson m->id in one transaction (API.md v2, "Rescheduling"): the same
 * lesson and contract at its new tutor and time, moved_at and moves recorded,
 * audited "lesson.move", a confirmation of the new time queued, and the group seat
 * it leaves offered to the first in that session's line. The triggers refuse a
 * taken time (the caller checked the new start is an open slot). *out: the lesson
 * (caller owns). Errors: HM_ERR_NOT_FOUND (also another client's),
 * HM_ERR_CONFLICT (cancelled, started), HM_ERR_TOO_LATE_TO_CANCEL,
 * HM_ERR_SLOT_TAKEN, HM_ERR_FULL, HM_ERR_CLIENT_BUSY, HM_ERR_INTERNAL; *why
 * (static text, may stay NULL) explains a refusal of the lesson's state. */
enum hm_err hm_db_lessons_move(struct hm_db *db, const struct hm_lesson_move *m,
			       const struct hm_actor *who, const struct hm_outbox_env *env,
			       json_t **out, const char **why);

/* The attendance log of a lesson that started. */
struct hm_lesson_log {
	const char *attendance;   /* "attended" or "no_show" */
	const char *notes;        /* NULL: unchanged */
	const char *level, *pace; /* the client's; NULL: unchanged */
	json_t *detail;           /* the audit row's detail (borrowed, may be NULL) */
};

/* Logs lesson id in one transaction (the lesson, its client's level and pace, the
 * audit row); *out: the lesson (caller owns). Errors: HM_ERR_NOT_FOUND,
 * HM_ERR_CONFLICT (cancelled, or not started yet; *why says which),
 * HM_ERR_INTERNAL. */
enum hm_err hm_db_lessons_log(struct hm_db *db, int64_t id, const struct hm_lesson_log *log,
			      const struct hm_actor *who, json_t **out, const char **why);

/* The lesson object, with its contract embedded. */
enum hm_err hm_db_lessons_json(struct hm_db *db, int64_t lesson_id, json_t **out);

#endif
