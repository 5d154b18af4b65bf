/* SPDX-License-Identifier: MIT */
/* Inquiries (table inquiries): a public one taken in with its promised answer time,
 * its acknowledgement e-mail and its count against the sender's address; the
 * staff's queue (overdue first); an answer, marked on time or late, with its
 * e-mail. Every write is one transaction with its audit row and outbox message.
 * All functions borrow the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_INQUIRIES_H
#define HARREMAN_DB_INQUIRIES_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/outbox.h"

/* The rate-limit bucket (ratelimit.h) an inquiry counts in, per client address,
 * and the window its counts are kept for. */
#define HM_INQUIRY_RATE_BUCKET "inquiry_addr"
#define HM_INQUIRY_RATE_WINDOW ((int64_t)60 * 60)

/* A new inquiry; every string is borrowed and already valid. */
struct hm_inquiry_input {
	const char *channel; /* "email", "web", "phone" */
	const char *full_name;
	const char *email; /* NULL: none */
	const char *phone; /* NULL: none */
	const char *subject;
	const char *message;
	const char *locale;      /* NULL: none given */
	const char *remote_addr; /* the sender's address, counted in HM_INQUIRY_RATE_BUCKET */
};

/* Takes in inquiry `in` at who->now, in one transaction: its due instant from the
 * response hours of the first channel of its kind (sla.h), the rate-limit hit,
 * the audit row "inquiry.create" and the acknowledgement in the outbox (env
 * borrowed). *out gets {id, status, received_at, due_at}. HM_ERR_INTERNAL; on any
 * error nothing was written. */
enum hm_err hm_db_inquiries_create(struct hm_db *db, const struct hm_inquiry_input *in,
				   const struct hm_outbox_env *env, const struct hm_actor *who,
				   json_t **out);

/* Inquiry id as seen at now (its status open / overdue / answered depends on it).
 * HM_ERR_NOT_FOUND, HM_ERR_INTERNAL. */
enum hm_err hm_db_inquiries_get(struct hm_db *db, int64_t id, int64_t now, json_t **out);

/* The staff's queue at now: overdue first (oldest due first), then the rest by due
 * instant, then by id; `after` continues from that inquiry's place in this order.
 * status is "open", "overdue", "answered" or NULL for all (borrowed). *items
 * (caller owns) and *next_after (0 on the last page). */
enum hm_err hm_db_inquiries_list(struct hm_db *db, const char *status, int64_t now, int limit,
				 int64_t after, json_t **items, int64_t *next_after);

/* Answers inquiry id with text (borrowed) by who, in one transaction with the audit
 * row "inquiry.answer" and the answer in the outbox (env borrowed); *out gets the
 * inquiry afterwards. HM_ERR_CONFLICT when it was answered already (or is gone),
 * HM_ERR_INTERNAL; on any error nothing was written. */
enum hm_err hm_db_inquiries_answer(struct hm_db *db, int64_t id, const char *text,
				   const struct hm_outbox_env *env, const struct hm_actor *who,
				   json_t **out);

#endif
