/* SPDX-License-Identifier: MIT */
/* Branded gifts in the database: the list (with stock for admins, in_stock for
 * everyone else), one gift, and writing one (each write one transaction with its
 * audit row). All functions borrow the connection; JSON results are owned by the
 * caller. */
#ifndef HARREMAN_DB_GIFTS_H
#define HARREMAN_DB_GIFTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* Every gift, by id: *items {id, key, name} with stock when show_stock, else
 * in_stock (caller owns). */
enum hm_err hm_db_gifts_list(struct hm_db *db, bool show_stock, json_t **items);

/* Gift id with its stock: *out (caller owns; out may be NULL to ask whether it
 * exists). HM_ERR_NOT_FOUND when there is none. */
enum hm_err hm_db_gifts_get(struct hm_db *db, int64_t id, json_t **out);

/* What a write sets (borrowed): key only when creating; name NULL and
 * stock_present false leave the gift's as they are. */
struct hm_gift_input {
	const char *key, *name;
	int64_t stock;
	bool stock_present;
	json_t *detail; /* the audit row's detail, may be NULL */
};

/* Creates a gift; *out the gift (caller owns). HM_ERR_CONFLICT: the key exists. */
enum hm_err hm_db_gifts_create(struct hm_db *db, const struct hm_gift_input *in,
			       const struct hm_actor *who, json_t **out);

/* Changes gift id; *out the gift (caller owns). HM_ERR_NOT_FOUND. */
enum hm_err hm_db_gifts_update(struct hm_db *db, int64_t id, const struct hm_gift_input *in,
			       const struct hm_actor *who, json_t **out);

/* The gift object {id, key, name} of gift_id, or JSON null for 0 (or a gift that
 * no longer exists). NULL on a database error or out of memory: never "no gift". */
json_t *hm_db_gifts_json(struct hm_db *db, int64_t gift_id);

#endif
