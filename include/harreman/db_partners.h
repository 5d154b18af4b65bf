/* SPDX-License-Identifier: MIT */
/* Partner organisations in the database (API.md v2, "Third parties"): schools,
 * ikastolas, companies, associations and town halls whose members' families get
 * the partner's discount. The table is sql/0011_referrals.sql's. Every function
 * borrows the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_PARTNERS_H
#define HARREMAN_DB_PARTNERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* A partner write's fields, checked by the caller and borrowed; NULL or -1: not
 * sent (a PATCH leaves it). contact_present tells "clear it" from "leave it". */
struct hm_partner_input {
	const char *name, *kind, *code, *contact_email;
	int discount_percent, active; /* -1: not sent */
	bool contact_present;
};

/* One page of partners {id, name, kind, code, discount_percent, contact_email,
 * active, families, created_at} with id > after, by id. */
enum hm_err hm_db_partners_list(struct hm_db *db, int64_t after, int limit, json_t **items,
				int64_t *next_after);

/* Creates a partner (every field but contact_email given), audited; *out the
 * partner. HM_ERR_CONFLICT when the code is taken (by a partner or a family). */
enum hm_err hm_db_partners_create(struct hm_db *db, const struct hm_partner_input *in,
				  const struct hm_actor *who, json_t **out);

/* Changes what in carries, audited; *out the partner. HM_ERR_NOT_FOUND,
 * HM_ERR_CONFLICT as create. */
enum hm_err hm_db_partners_update(struct hm_db *db, int64_t id, const struct hm_partner_input *in,
				  const struct hm_actor *who, json_t **out);

/* Whether partner id exists. */
enum hm_err hm_db_partners_exists(struct hm_db *db, int64_t id, bool *exists);

#endif
