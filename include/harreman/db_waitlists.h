/* SPDX-License-Identifier: MIT */
/* Waitlists in the database (tables event_waitlist and slot_waitlist): students
 * join the line of a full event or a full group session and leave it; a freed
 * event place goes to the first in line at once, in the transaction that freed it;
 * a freed group seat is offered to the first in line for HM_WAITLIST_OFFER_HOURS,
 * accepted as a booking (hm_db_lessons_book_within), or passed on when given up or
 * not taken in time (the sweep). Every write runs under the write lock, which is
 * what makes each freed place go to exactly one student; the triggers of
 * sql/0008_waitlists.sql refuse a line that is not needed and count a held offer
 * as a taken seat. All functions borrow the connection; JSON results are owned by
 * the caller. */
#ifndef HARREMAN_DB_WAITLISTS_H
#define HARREMAN_DB_WAITLISTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"

struct hm_outbox_env;

/* ---- inside the caller's transaction (the write that freed a place) -------- */

/* While event_id has places left, has not started at now and has a line:
 * registers the first in line, takes it out of the line, audits
 * "event.register" (detail {client_id, from_waitlist: true}) and queues its
 * e-mail. *promoted (may be NULL) counts them. */
enum hm_err hm_db_waitlists_fill_event(struct hm_db *db, const struct hm_outbox_env *env,
				       int64_t event_id, const struct hm_actor *who, int *promoted);

/* For each of the n lessons (just cancelled) of a group session still to come:
 * while the session has a seat free (booked lessons and held offers counted), the
 * first waiting student gets an offer until min(now + 12 h, the start), audited
 * "waitlist.offer", with its e-mail. */
enum hm_err hm_db_waitlists_seats_freed(struct hm_db *db, const struct hm_outbox_env *env,
					const int64_t *lesson_ids, size_t n,
					const struct hm_actor *who);

/* A group session (struct hm_session_key below) that a moved lesson left: while it
 * is to come and has a free seat, the first waiting student gets an offer, as in
 * hm_db_waitlists_seats_freed. Nothing for a private service's time. */
struct hm_session_key;
enum hm_err hm_db_waitlists_session_freed(struct hm_db *db, const struct hm_outbox_env *env,
					  const struct hm_session_key *k,
					  const struct hm_actor *who);

/* ---- each its own transaction ------------------------------------------------ */

/* Puts client_id in the line of event id; *out {kind: "event", event_id, position}.
 * HM_ERR_NOT_FOUND; HM_ERR_CONFLICT (*why says which: started, registered, places
 * left, in line already); HM_ERR_INTERNAL. */
enum hm_err hm_db_waitlists_join_event(struct hm_db *db, int64_t id, int64_t client_id,
				       const struct hm_actor *who, json_t **out, const char **why);

/* Takes client_id out of event id's line (HM_OK too when it was not in it).
 * HM_ERR_NOT_FOUND for no such event. */
enum hm_err hm_db_waitlists_leave_event(struct hm_db *db, int64_t id, int64_t client_id,
					const struct hm_actor *who);

/* A group session: its tutor, service and start. */
struct hm_session_key {
	int64_t tutor_id, service_id, starts_at;
};

/* Puts client_id in the line of session k (the caller checked that k is a group
 * session on the tutor's grid, to come); *out the entry as GET /me/waitlist shows
 * it. HM_ERR_CONFLICT (*why: booked in it, in line already, a seat is free);
 * HM_ERR_INTERNAL. */
enum hm_err hm_db_waitlists_join_slot(struct hm_db *db, const struct hm_session_key *k,
				      int64_t client_id, const struct hm_actor *who, json_t **out,
				      const char **why);

/* Accepts the offer of entry id for client_id (another's: HM_ERR_NOT_FOUND): the
 * offer is taken out and the seat booked as POST /lessons would (a one-off
 * contract with its discount and gift, the confirmation), in one transaction;
 * *out the lesson. HM_ERR_CONFLICT when the entry holds no offer or it expired
 * (who->now at or after offer_expires_at; *why says which); the booking's errors
 * (HM_ERR_CLIENT_BUSY, ...) with the offer left as it was. */
enum hm_err hm_db_waitlists_accept(struct hm_db *db, int64_t id, int64_t client_id,
				   const struct hm_actor *who, const struct hm_outbox_env *env,
				   json_t **out, const char **why);

/* Takes entry id of client_id out of its line (HM_ERR_NOT_FOUND for another's);
 * an offer given up passes to the next in line in the same transaction. */
enum hm_err hm_db_waitlists_leave(struct hm_db *db, int64_t id, int64_t client_id,
				  const struct hm_actor *who, const struct hm_outbox_env *env);

/* Passes on every offer expired at now (offer_expires_at <= now): it becomes
 * `expired` and the seat goes to the next in line, in one transaction. *passed:
 * how many expired; *next_expiry: the earliest offer still standing (0: none). */
enum hm_err hm_db_waitlists_sweep(struct hm_db *db, const struct hm_outbox_env *env, int64_t now,
				  int *passed, int64_t *next_expiry);

/* The lines client_id is in for what is still to come at now, both kinds, by
 * start: [{kind: "event", id, event_id, title, starts_at, position,
 * offer_expires_at: null} | {kind: "slot", id, service_id, tutor_id, starts_at,
 * state, position (null for an offer), offer_expires_at}] into *items. */
enum hm_err hm_db_waitlists_mine(struct hm_db *db, int64_t client_id, int64_t now, json_t **items);

#endif
