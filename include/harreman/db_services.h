/* SPDX-License-Identifier: MIT */
/* Services in the database: the catalogue's list, one service's object, and the
 * create and update writes with their audit rows. (The struct hm_service that the
 * booking code reads is crm.h's hm_db_services_read.) Every function borrows the
 * connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_SERVICES_H
#define HARREMAN_DB_SERVICES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* One page of service objects {id, name, subject, level, kind, duration_min,
 * price_cents, capacity, active, description, translations} (the base fields in
 * Basque, translations as stored: the caller picks a language) with id > after, at most limit; only the active
 * ones when only_active. *items (caller owns) and *next_after as hm_db_page. */
enum hm_err hm_db_services_list(struct hm_db *db, bool only_active, int64_t after, int limit,
				json_t **items, int64_t *next_after);

/* The service object of id into *out (caller owns); HM_ERR_NOT_FOUND when none. */
enum hm_err hm_db_services_get(struct hm_db *db, int64_t id, json_t **out);

/* The fields of a service write, checked by the caller. Text fields are borrowed
 * and NULL when not sent; the numbers count only when their _present flag is set.
 * kind is "private", "group" or "workshop". */
struct hm_service_input {
	const char *name, *subject, *level, *kind, *description;
	json_t *translations; /* borrowed, checked ({es, en}); NULL: not sent */
	int64_t duration_min, price_cents, capacity;
	bool active;
	bool duration_present, price_present, capacity_present, active_present;
};

/* Creates a service from in (name, subject, kind, duration and price required;
 * level, description "" and translations {} by default, capacity 1 by default, a private service always capacity 1, active
 * unless active_present says otherwise) and audits it ("service.create", detail
 * borrowed), in one transaction. *out (caller owns) is the new service. */
enum hm_err hm_db_services_create(struct hm_db *db, const struct hm_service_input *in,
				  json_t *detail, const struct hm_actor *who, json_t **out);

/* Changes the fields of service id that in carries and audits it
 * ("service.update", detail borrowed; not audited when detail is empty), in one
 * transaction. *out (caller owns) is the service after the write;
 * HM_ERR_NOT_FOUND when there is no service id. */
enum hm_err hm_db_services_update(struct hm_db *db, int64_t id, const struct hm_service_input *in,
				  json_t *detail, const struct hm_actor *who, json_t **out);

struct hm_service {
	int64_t id;
	char kind[16]; /* "private", "group", "workshop" */
	char subject[64];
	int duration_min;
	int64_t price_cents;
	int capacity;
	bool active;
};

/* Reads service id: HM_OK, HM_ERR_NOT_FOUND or HM_ERR_INTERNAL. */
enum hm_err hm_db_services_read(struct hm_db *db, int64_t id, struct hm_service *out);

#endif
