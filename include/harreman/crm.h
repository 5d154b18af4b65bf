/* SPDX-License-Identifier: MIT */
/* What the CRM resources share: reading a service, a client and a tutor's
 * calendar; making a contract (ordinal, loyalty discount and gift decided inside
 * the caller's write transaction); the JSON of contracts, lessons and clients. All
 * functions borrow the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_CRM_H
#define HARREMAN_CRM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/slots.h"

struct hm_service {
	int64_t id;
	char kind[16];       /* "private", "group", "workshop" */
	char subject[64];
	int duration_min;
	int64_t price_cents;
	int capacity;
	bool active;
};

/* Reads service id: HM_OK, HM_ERR_NOT_FOUND or HM_ERR_INTERNAL. */
enum hm_err hm_crm_service(struct hm_db *db, int64_t id, struct hm_service *out);

/* Does tutor_id (a tutor profile of an active staff or admin user) teach subject? */
enum hm_err hm_crm_tutor_teaches(struct hm_db *db, int64_t tutor_id, const char *subject,
				 bool *teaches);

/* The client record of a user (a student): HM_OK and *client_id, or NOT_FOUND. */
enum hm_err hm_crm_client_of_user(struct hm_db *db, int64_t user_id, int64_t *client_id);

/* Whether client id exists. */
enum hm_err hm_crm_client_exists(struct hm_db *db, int64_t client_id, bool *exists);

/* A tutor's slot query for service over local days [first_day, last_day]: windows
 * and booked lessons are read into storage the caller frees with
 * hm_crm_slot_query_release. */
enum hm_err hm_crm_slot_query(struct hm_db *db, int64_t tutor_id, const struct hm_service *svc,
			      int64_t first_day, int64_t last_day, int64_t now,
			      struct hm_slot_query *q);
void hm_crm_slot_query_release(struct hm_slot_query *q);

/* A contract to make. */
struct hm_new_contract {
	int64_t client_id;
	const struct hm_service *service;
	bool subscription;
	int sessions;
	int sessions_used;   /* used at once (lessons booked with it) */
	const char *channel; /* "web", "phone", "email", "in_person" */
	int64_t created_by;  /* user id, 0 for none */
	int64_t now;
};

/* The loyalty figures a new contract for client_id would get now: ordinal, price,
 * and the gift that would go with it (0 when none is in stock). */
struct hm_contract_terms {
	int ordinal;
	int64_t list_cents, discount_cents, price_cents;
	int percent;
	int64_t gift_id;
};
enum hm_err hm_crm_contract_terms(struct hm_db *db, int64_t client_id,
				  const struct hm_service *svc, int sessions,
				  struct hm_contract_terms *out);

/* Makes the contract inside the caller's transaction (ordinal, discount and gift
 * stock are read and written under the same write lock) and audits it. */
enum hm_err hm_crm_contract_create(struct hm_db *db, const struct hm_new_contract *c,
				   const char *request_id, int64_t *contract_id);

/* The gift object {id, key, name} of gift_id, or JSON null for 0 (or a gift that
 * no longer exists). NULL on a database error or out of memory: never "no gift". */
json_t *hm_crm_gift_json(struct hm_db *db, int64_t gift_id);

/* The contract object. HM_ERR_NOT_FOUND when there is none. */
enum hm_err hm_crm_contract_json(struct hm_db *db, int64_t contract_id, json_t **out);

/* The lesson object, with its contract embedded. */
enum hm_err hm_crm_lesson_json(struct hm_db *db, int64_t lesson_id, json_t **out);

/* The client object (relationship derived at now). */
enum hm_err hm_crm_client_json(struct hm_db *db, int64_t client_id, int64_t now, json_t **out);

/* The current discount tiers, sorted (at most HM_MAX_TIERS). */
struct hm_tier;
enum hm_err hm_crm_tiers(struct hm_db *db, struct hm_tier *tiers, size_t *n);

#endif
