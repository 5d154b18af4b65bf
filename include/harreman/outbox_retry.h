/* SPDX-License-Identifier: MIT */
/* An admin's retry of an outbox message as one transaction: the message back in
 * the queue and the audit row that says who asked. Kept apart from outbox.h (the
 * table and the sender's steps) only until it can move into src/db/outbox.c. */
#ifndef HARREMAN_OUTBOX_RETRY_H
#define HARREMAN_OUTBOX_RETRY_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"

/* Puts the failed or unknown message id back in the queue (hm_outbox_retry) and
 * writes the audit row "outbox.retry" by who, in one transaction; *out gets the
 * message as hm_outbox_get shows it (caller owns *out whatever the result: NULL
 * unless the transaction got that far). HM_ERR_NOT_FOUND, HM_ERR_CONFLICT (any
 * other state) or HM_ERR_INTERNAL with nothing written. */
enum hm_err hm_outbox_retry_audited(struct hm_db *db, int64_t id, const struct hm_actor *who,
				    json_t **out);

#endif
