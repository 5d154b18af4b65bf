/* SPDX-License-Identifier: MIT */
/* Families in the database (API.md v2, "Families"): which client a student account
 * may act for, its family's members, a child added by the account, and the staff's
 * merge and leave. The families table and its counters are sql/0010_families.sql's;
 * every function borrows the connection, JSON results are owned by the caller. */
#ifndef HARREMAN_DB_FAMILIES_H
#define HARREMAN_DB_FAMILIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* The learner user_id's route acts for: asked (a client of the account's family),
 * or the account's own client record when asked is 0. HM_OK and *client_id, or
 * HM_ERR_NOT_FOUND (no client record, no such client, another family's). */
enum hm_err hm_db_families_learner(struct hm_db *db, int64_t user_id, int64_t asked,
				   int64_t *client_id);

/* Whether clients a and b are in one family (a client is in its own). */
enum hm_err hm_db_families_same(struct hm_db *db, int64_t a, int64_t b, bool *same);

/* The client objects of user_id's family, oldest first (relationship at now), into
 * *items (caller owns). HM_ERR_NOT_FOUND when the user has no client record. */
enum hm_err hm_db_families_members(struct hm_db *db, int64_t user_id, int64_t now, json_t **items);

/* A child of user_id's family: full_name, level (NULL: none) and locale (NULL: the
 * account's), checked by the caller and borrowed. */
struct hm_child {
	const char *full_name, *level, *locale;
};

/* Adds c to user_id's family, without a login, its guardian the account holder,
 * and audits it ("client.create"), in one transaction; *out (caller owns) is the
 * new client object. HM_ERR_NOT_FOUND when the user has no client record,
 * HM_ERR_CONFLICT when its family has HM_FAMILY_MAX clients already. */
enum hm_err hm_db_families_add_child(struct hm_db *db, int64_t user_id, const struct hm_child *c,
				     const struct hm_actor *who, json_t **out);

/* Merges the families of the n clients into one (the lowest family id among them;
 * the others' every member joins it and the emptied families go), and audits it
 * ("family.merge"), in one transaction; contracts are not touched. *out (caller
 * owns) as hm_db_families_get. HM_ERR_VALIDATION_FAILED and *missing when a client
 * does not exist, HM_ERR_CONFLICT when the family would have more than
 * HM_FAMILY_MAX clients. */
enum hm_err hm_db_families_merge(struct hm_db *db, const int64_t *client_ids, size_t n,
				 const struct hm_actor *who, json_t **out, int64_t *missing);

/* Family id: {id, client_ids, contracts} (contracts: its members' contracts not
 * cancelled). HM_ERR_NOT_FOUND when there is none. */
enum hm_err hm_db_families_get(struct hm_db *db, int64_t id, json_t **out);

/* Client client_id leaves family id and becomes a family of one (nothing to do when
 * it is one already), audited ("family.leave"), in one transaction; contracts are
 * not touched. HM_ERR_NOT_FOUND when the client is not in that family. */
enum hm_err hm_db_families_leave(struct hm_db *db, int64_t id, int64_t client_id,
				 const struct hm_actor *who);

#endif
