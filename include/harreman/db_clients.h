/* SPDX-License-Identifier: MIT */
/* Clients in the database: search, the create and update writes with their audit
 * rows, and the contact history (interactions). The client object itself is
 * crm.h's hm_db_clients_json. Every function borrows the connection; JSON results
 * are owned by the caller. */
#ifndef HARREMAN_DB_CLIENTS_H
#define HARREMAN_DB_CLIENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* One page of client objects matching q (NULL: every client) by name, e-mail,
 * phone or guardian name, ignoring case for every Latin letter (% and _ in q are
 * literal), with id > after, at most limit. *items (caller owns) and *next_after as
 * hm_db_page. */
enum hm_err hm_db_clients_search(struct hm_db *db, const char *q, int64_t after, int limit,
				 int64_t now, json_t **items, int64_t *next_after);

/* The fields of a client write, checked by the caller; every pointer is borrowed.
 * A text or enum field is NULL when not sent (or sent null); the _present flags
 * tell "clear it" (present, NULL) from "leave it" (absent) where a field may be
 * cleared. assistance, pace, channel and locale are their API names. */
struct hm_client_input {
	const char *full_name, *email, *phone, *notes, *level;
	const char *guardian_name, *guardian_email, *guardian_phone;
	const char *assistance, *pace, *channel, *locale;
	const char *tax_id, *billing_address; /* for full invoices (issue 14) */
	int64_t tutor_id;                     /* 0: none */
	int64_t partner_id;                   /* the family's partner, 0: none (staff only) */
	bool email_present, phone_present, guardian_present, tutor_present, partner_present;
	bool level_present, pace_present, channel_present, notes_present;
	bool tax_id_present, billing_present;
};

/* Creates a client from in (assistance "personal", locale "eu" and notes "" by
 * default) and audits it ("client.create"), in one transaction; *out (caller owns)
 * is the new client object. HM_ERR_VALIDATION_FAILED when in->tutor_id names no
 * tutor (the one field a write can find bad: "tutor_id"). On any error nothing was
 * written. */
enum hm_err hm_db_clients_create(struct hm_db *db, const struct hm_client_input *in,
				 const struct hm_actor *who, json_t **out);

/* Changes the fields of client id that in carries and audits it ("client.update";
 * not when in carries nothing), in one transaction; *out (caller owns) is the
 * client object after the write. HM_ERR_NOT_FOUND when there is no client id,
 * HM_ERR_VALIDATION_FAILED as hm_db_clients_create. */
enum hm_err hm_db_clients_update(struct hm_db *db, int64_t id, const struct hm_client_input *in,
				 const struct hm_actor *who, json_t **out);

/* One page of client id's interactions {id, client_id, channel, direction,
 * summary, user_id, created_at}, oldest first, id > after, at most limit.
 * HM_ERR_NOT_FOUND when there is no client id. */
enum hm_err hm_db_clients_interactions_list(struct hm_db *db, int64_t id, int64_t after, int limit,
					    json_t **items, int64_t *next_after);

/* Logs a contact with client id (channel, direction and summary checked by the
 * caller, borrowed) by who, and audits it ("interaction.create"), in one
 * transaction; *out (caller owns) is the new interaction. HM_ERR_NOT_FOUND when
 * there is no client id. */
enum hm_err hm_db_clients_interaction_add(struct hm_db *db, int64_t id, const char *channel,
					  const char *direction, const char *summary,
					  const struct hm_actor *who, json_t **out);

/* The client record of a user (a student): HM_OK and *client_id, or NOT_FOUND. */
enum hm_err hm_db_clients_of_user(struct hm_db *db, int64_t user_id, int64_t *client_id);

/* Whether client id exists. */
enum hm_err hm_db_clients_exists(struct hm_db *db, int64_t client_id, bool *exists);

/* The client object (relationship derived at now). */
enum hm_err hm_db_clients_json(struct hm_db *db, int64_t client_id, int64_t now, json_t **out);

#endif
