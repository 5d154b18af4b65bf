/* SPDX-License-Identifier: MIT */
/* Community events and their registrations (tables events and
 * event_registrations): the list and one event as a viewer sees it, staff
 * creating and changing events, students registering and withdrawing. The
 * database's triggers keep registrations within capacity and closed once an event
 * starts; these functions turn what they refuse into errors. Every write is one
 * transaction with its audit row. All functions borrow the connection; JSON
 * results are owned by the caller. */
#ifndef HARREMAN_DB_EVENTS_H
#define HARREMAN_DB_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

struct hm_outbox_env;

/* The fields of a create or an update, already valid; strings are borrowed. For an
 * update, NULL strings and false flags leave that field as it is. */
struct hm_event_input {
	const char *title, *kind, *subject, *description;
	json_t *translations; /* {es, en} checked, borrowed; NULL: not sent ({} on create) */
	bool clear_subject;   /* update: subject becomes null */
	bool has_starts, has_ends, has_capacity;
	int64_t starts_at, ends_at, capacity;
};

/* What deciding on an event needs: its times, capacity and registrations, and
 * whether the client asked about is registered. */
struct hm_event_state {
	int64_t starts_at, ends_at;
	int capacity, registered;
	bool is_registered;
};

/* Event id's state for client_id (0: nobody). HM_ERR_NOT_FOUND, HM_ERR_INTERNAL. */
enum hm_err hm_db_events_state(struct hm_db *db, int64_t id, int64_t client_id,
			       struct hm_event_state *out);

/* The events that start in [starts_from, starts_before) and end after ends_after,
 * by start then id, continuing after event `after` (0: from the first): at most
 * limit in *items (caller owns), *next_after the last id when more follow, else
 * 0. viewer_client is the student looking (0: not a student; is_registered is
 * then null). */
struct hm_event_range {
	int64_t starts_from, starts_before, ends_after;
};
enum hm_err hm_db_events_list(struct hm_db *db, const struct hm_event_range *range,
			      int64_t viewer_client, int limit, int64_t after, json_t **items,
			      int64_t *next_after);

/* Creates the event in (every field but subject given) by who and audits
 * "event.create" with detail (borrowed, may be NULL), in one transaction; *out gets
 * the event. HM_ERR_INTERNAL; on any error nothing was written. */
enum hm_err hm_db_events_create(struct hm_db *db, const struct hm_event_input *in, json_t *detail,
				const struct hm_actor *who, json_t **out);

/* Changes event id as in says (nothing at all, not even updated_at, when in
 * changes no field) and audits "event.update" with detail, in one transaction;
 * *out gets the event; a capacity raised registers the first in line for each
 * place it adds (hm_db_waitlists_fill_event, e-mails rendered with env).
 * HM_ERR_NOT_FOUND; HM_ERR_CONFLICT when the new capacity is
 * below the registrations taken (*registered then holds how many, read under the
 * write lock); HM_ERR_INTERNAL. On any error nothing was written. */
enum hm_err hm_db_events_update(struct hm_db *db, int64_t id, const struct hm_event_input *in,
				json_t *detail, const struct hm_actor *who,
				const struct hm_outbox_env *env, json_t **out, int *registered);

/* Registers client_id for event id and audits "event.register", in one
 * transaction; *out gets the event as the client sees it. *created is false when
 * the client was registered already (nothing written, still HM_OK).
 * HM_ERR_NOT_FOUND; HM_ERR_FULL; HM_ERR_CONFLICT once the event has started;
 * HM_ERR_INTERNAL. The capacity is the database's to enforce: nothing is counted
 * here. */
enum hm_err hm_db_events_register(struct hm_db *db, int64_t id, int64_t client_id,
				  const struct hm_actor *who, json_t **out, bool *created);

/* Withdraws client_id from event id and audits "event.withdraw", in one
 * transaction, in which the place freed goes to the first in line
 * (hm_db_waitlists_fill_event); HM_OK too when the client was not registered
 * (nothing written).
 * HM_ERR_NOT_FOUND; HM_ERR_CONFLICT once the event has started; HM_ERR_INTERNAL. */
enum hm_err hm_db_events_withdraw(struct hm_db *db, int64_t id, int64_t client_id,
				  const struct hm_actor *who, const struct hm_outbox_env *env);

#endif
