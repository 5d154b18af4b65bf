/* SPDX-License-Identifier: MIT */
/* The outbox: e-mail waiting to be sent, in the same database as everything else.
 * Events queue their message inside the caller's write transaction (a booking that
 * rolls back leaves no confirmation behind); the sender thread claims one message
 * at a time in a committed transaction before it talks SMTP and records every
 * attempt in the delivery log; admins list and read messages and send a failed
 * or unknown one again. All functions borrow the connection; JSON results are
 * owned by the caller. */
#ifndef HARREMAN_OUTBOX_H
#define HARREMAN_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/delivery.h"
#include "harreman/messages.h"

struct hm_config;

/* What rendering and queueing need from the configuration (borrowed strings). */
struct hm_outbox_env {
	const char *zone;       /* the business time zone, named in lesson messages */
	const char *domain;     /* the right-hand side of Message-IDs */
	const char *public_url; /* the booking page's address, for links ("https://...") */
};

/* The environment for cfg: its time zone and the domain of --smtp-from
 * ("localhost" without one). */
void hm_outbox_env_of(const struct hm_config *cfg, struct hm_outbox_env *env);

/* ---- queueing: inside the caller's transaction ---------------------------- */

/* One confirmation for the lessons of one booking (a weekly series is one
 * message listing every week), to the client's e-mail (else the guardian's), in
 * the client's language. Nothing is queued when the client has no address. */
enum hm_err hm_outbox_lessons_booked(struct hm_db *db, const struct hm_outbox_env *env,
				     const int64_t *lesson_ids, size_t n, int64_t now);

/* What a booking's confirmation says of its client, service and tutor, read before
 * the write (on a request's own thread) so that the writer thread need not: every
 * string owned, released with hm_outbox_booking_mail_release. */
struct hm_booking_mail {
	char *service, *tutor, *name;
	char *to; /* the client's e-mail, else the guardian's; NULL: none */
	enum hm_locale locale;
};

/* Reads *out for client_id booking service_id with tutor_id: HM_OK,
 * HM_ERR_NOT_FOUND, HM_ERR_INTERNAL (then *out holds nothing to release). */
enum hm_err hm_outbox_booking_mail_read(struct hm_db *db, int64_t client_id, int64_t service_id,
					int64_t tutor_id, struct hm_booking_mail *out);
void hm_outbox_booking_mail_release(struct hm_booking_mail *mail);

/* hm_outbox_lessons_booked from what is known: mail (read before), the lessons'
 * ids and starts (n of each), of client_id. Only their contract is read. */
enum hm_err hm_outbox_lessons_booked_as(struct hm_db *db, const struct hm_outbox_env *env,
					const struct hm_booking_mail *mail, int64_t client_id,
					const int64_t *lesson_ids, const int64_t *starts, size_t n,
					int64_t now);

/* The cancellation of lessons of one client (one lesson, or those a cancelled
 * contract took with it) as one message; their reminders still waiting are
 * cancelled. */
enum hm_err hm_outbox_lessons_cancelled(struct hm_db *db, const struct hm_outbox_env *env,
					const int64_t *lesson_ids, size_t n, int64_t now);

/* The acknowledgement of an inquiry, to its e-mail (nothing without one), in its
 * locale, else that of a client with that e-mail, else Basque. */
enum hm_err hm_outbox_inquiry_received(struct hm_db *db, const struct hm_outbox_env *env,
				       int64_t inquiry_id, int64_t now);

/* The answer to an inquiry, quoting what was asked. */
enum hm_err hm_outbox_inquiry_answered(struct hm_db *db, const struct hm_outbox_env *env,
				       int64_t inquiry_id, int64_t now);

/* "You have a place": client_id, first in event_id's line, was registered when a
 * place came free (to the client's e-mail, else the guardian's; nothing without
 * one). */
enum hm_err hm_outbox_waitlist_registered(struct hm_db *db, const struct hm_outbox_env *env,
					  int64_t event_id, int64_t client_id, int64_t now);

/* The offer of a freed group seat held for the slot_waitlist row id, saying the
 * session and until when it is held. */
enum hm_err hm_outbox_waitlist_offer(struct hm_db *db, const struct hm_outbox_env *env,
				     int64_t waitlist_id, int64_t now);

/* A receipt for payment_id to its client: the amount, the day and what it settled
 * (one per payment: the unique index outbox_one_receipt). */
enum hm_err hm_outbox_payment_receipt(struct hm_db *db, const struct hm_outbox_env *env,
				      int64_t payment_id, int64_t now);

/* The pre-notification of direct-debit run run_id: one message to the holder of
 * each mandate it collects under, with the amount, the collection date, the
 * mandate reference, the creditor identifier and the invoices. */
enum hm_err hm_outbox_debit_notices(struct hm_db *db, const struct hm_outbox_env *env,
				    int64_t run_id, int64_t now);

/* ---- the scheduler and the sender: each call is its own transaction ---------- */

#define HM_REMINDER_AHEAD ((int64_t)24 * 3600)

/* Queues "your lesson is in 24 hours" for every booked lesson that starts within
 * HM_REMINDER_AHEAD of now, was booked at least HM_REMINDER_AHEAD before its start
 * (a later booking's confirmation already says it), has an address and has no
 * reminder yet (the unique index outbox_one_reminder is the last word). *queued:
 * how many; *next_due: when the next lesson enters the window (0: none known). */
enum hm_err hm_outbox_queue_reminders(struct hm_db *db, const struct hm_outbox_env *env,
				      int64_t now, int *queued, int64_t *next_due);

/* Queues, in its own transaction, the reminder of every invoice unpaid
 * HM_OVERDUE_DAYS after issue that has none yet (once per invoice, ever: the unique
 * index outbox_one_overdue), to its client's address, leaving out erased clients
 * and invoices an open direct-debit run is collecting; at most a batch per call.
 * *queued: how many. */
enum hm_err hm_outbox_queue_overdue(struct hm_db *db, const struct hm_outbox_env *env, int64_t now,
				    int *queued);

/* Messages a dead process left in `sending`: back to `queued` when their data had
 * not begun to go out, to `unknown` otherwise; their open delivery-log rows are
 * closed as `interrupted` or `unknown`. */
enum hm_err hm_outbox_recover(struct hm_db *db, int64_t now, int *requeued, int *unknown);

/* A claimed message (strings owned; release with hm_outbox_msg_release). */
struct hm_outbox_msg {
	int64_t id;
	int attempts;   /* counting this one */
	int64_t log_id; /* this attempt's delivery-log row */
	int64_t created_at;
	char *to, *subject, *body, *message_id;
};
void hm_outbox_msg_release(struct hm_outbox_msg *msg);

/* Claims the queued message that is due first (next_attempt_at <= now): state
 * `sending`, one more attempt, a delivery-log row, committed before it returns.
 * HM_ERR_NOT_FOUND when none is due; *next_due then is the earliest
 * next_attempt_at of the queued ones (0: none). */
enum hm_err hm_outbox_claim(struct hm_db *db, int64_t now, struct hm_outbox_msg *msg,
			    int64_t *next_due);

/* Records, committed, that the DATA phase of msg's attempt has begun. */
enum hm_err hm_outbox_data_started(struct hm_db *db, const struct hm_outbox_msg *msg);

/* Ends msg's attempt: sent, retry at retry_at, or failed; smtp_code (0: none) and
 * error (NULL when sent) go into the log. Committed. */
enum hm_err hm_outbox_finish(struct hm_db *db, const struct hm_outbox_msg *msg,
			     enum hm_delivery_verdict verdict, int smtp_code, const char *error,
			     int64_t retry_at, int64_t now);

/* Gives back an attempt that was stopped before its DATA phase (the server is
 * stopping): `queued` again, due now, the log row closed as `interrupted`. */
enum hm_err hm_outbox_interrupted(struct hm_db *db, const struct hm_outbox_msg *msg, int64_t now);

/* Ends an attempt that was cut off after its DATA phase began and before the
 * relay answered it (a timeout, a dropped connection, the server stopping):
 * `unknown`, as after a crash. */
enum hm_err hm_outbox_unknown(struct hm_db *db, const struct hm_outbox_msg *msg, int64_t now);

/* ---- the admin's view ---------------------------------------------------------- */

/* The states a message can be in; NULL-terminated. */
extern const char *const hm_outbox_states[];

/* Messages with id > after (of state, unless NULL), by id, at most limit: *items
 * (caller owns) and *next_after (0 on the last page). */
enum hm_err hm_outbox_list(struct hm_db *db, const char *state, int64_t after, int limit,
			   json_t **items, int64_t *next_after);

/* One message with its body and its delivery log. HM_ERR_NOT_FOUND. */
enum hm_err hm_outbox_get(struct hm_db *db, int64_t id, json_t **out);

/* Puts a `failed` or `unknown` message back in the queue, due now (the admin
 * decided it should go, again). HM_ERR_NOT_FOUND, or HM_ERR_CONFLICT in any other
 * state. */
enum hm_err hm_outbox_retry(struct hm_db *db, int64_t id, int64_t now);

/* Puts the failed or unknown message id back in the queue (hm_outbox_retry) and
 * writes the audit row "outbox.retry" by who, in one transaction; *out gets the
 * message as hm_outbox_get shows it (caller owns *out whatever the result: NULL
 * unless the transaction got that far). HM_ERR_NOT_FOUND, HM_ERR_CONFLICT (any
 * other state) or HM_ERR_INTERNAL with nothing written. */
enum hm_err hm_outbox_retry_audited(struct hm_db *db, int64_t id, const struct hm_actor *who,
				    json_t **out);

#endif
