/* SPDX-License-Identifier: MIT */
/* Contracts in the database: making and cancelling them (each one transaction,
 * audit row and messages included), lists, quotes, the discount tiers, a client's
 * count of contracts and the rows of the loyalty report. Ordinal, discount and gift
 * of a new contract are decided by hm_db_contracts_insert inside the transaction.
 * All functions borrow the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_CONTRACTS_H
#define HARREMAN_DB_CONTRACTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/db_services.h"

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
	int percent; /* the total: loyalty (percent - partner - referral) + partner + referral */
	int64_t gift_id;
	/* Third parties (src/db/referrals.c): the shares after the cap, the family's
	 * oldest unused reward (0: none; used even when the cap absorbed it) and
	 * whether it brings a second gift. */
	int partner_percent, referral_percent;
	int64_t reward_id;
	bool reward_gift;
};

struct hm_outbox_env;
struct hm_tier;

/* Makes contract c (its created_by and now are taken from who) in one transaction;
 * *out: the contract (caller owns). HM_ERR_INTERNAL on failure. */
enum hm_err hm_db_contracts_create(struct hm_db *db, const struct hm_new_contract *c,
				   const struct hm_actor *who, json_t **out);

/* One page of contracts of client_id (0: all), id > after, by id: *items (caller
 * owns) and *next_after (0 on the last page). limit is at most HM_PAGE_MAX. */
enum hm_err hm_db_contracts_list(struct hm_db *db, int64_t client_id, int64_t after, int limit,
				 json_t **items, int64_t *next_after);

/* Cancels contract id in one transaction with the lessons it still had to come
 * (their client is told in one message), audited; *out: the contract (caller
 * owns). HM_ERR_NOT_FOUND, HM_ERR_CONFLICT (cancelled already; *why, static text,
 * says so), HM_ERR_INTERNAL. */
enum hm_err hm_db_contracts_cancel(struct hm_db *db, int64_t id, const struct hm_actor *who,
				   const struct hm_outbox_env *env, json_t **out, const char **why);

/* What a new contract of svc with sessions sessions would cost client_id now (its
 * ordinal counts the family's contracts):
 * *out {ordinal, list_price_cents, discount_percent, discount_cents, price_cents,
 * gift} (caller owns). Writes nothing. */
enum hm_err hm_db_contracts_quote(struct hm_db *db, int64_t client_id, const struct hm_service *svc,
				  int sessions, json_t **out);

/* The number of contracts not cancelled of client_id's family (0 for none). */
enum hm_err hm_db_contracts_count(struct hm_db *db, int64_t client_id, int64_t *count);

/* Replaces the discount tiers with tiers[0..n) in one transaction, audited with
 * detail (borrowed, may be NULL). */
enum hm_err hm_db_contracts_tiers_put(struct hm_db *db, const struct hm_tier *tiers, size_t n,
				      json_t *detail, const struct hm_actor *who);

/* One row of the loyalty report: a client with contracts that are not cancelled. */
struct hm_loyalty_row {
	int64_t client_id, family_id;
	char *full_name; /* owned by the rows (hm_db_contracts_loyalty_free) */
	int contracts;   /* the family's contracts not cancelled */
	int64_t discount_cents, last_contract_at; /* the client's own */
};

/* The report's rows for clients with id > after, by id, at most limit + 1 (the
 * extra one says a next page exists): *rows (free with
 * hm_db_contracts_loyalty_free) and *n. */
enum hm_err hm_db_contracts_loyalty_rows(struct hm_db *db, int64_t after, int limit,
					 struct hm_loyalty_row **rows, size_t *n);
void hm_db_contracts_loyalty_free(struct hm_loyalty_row *rows, size_t n);

/* The admin's loyalty review of year (issue 13), for charts read at a glance:
 * *out {year, tiers: [{from_ordinal (null: before the first tier), percent,
 * clients}] (clients with a contract not cancelled, by the tier their family's
 * contracts reach), months: [{month: "YYYY-MM", contracts, discounted,
 * discount_cents}] (twelve; contracts not cancelled made that local month),
 * discount_cents (the year's), gifts: [{id, name, stock, handed_out,
 * handed_out_year}] (every contract that got the gift, cancelled ones too: the
 * gift was handed over)}. Caller owns *out. */
enum hm_err hm_db_contracts_loyalty_review(struct hm_db *db, int year, json_t **out);

/* The current discount tiers, sorted (at most HM_MAX_TIERS). */
struct hm_tier;
enum hm_err hm_db_contracts_tiers(struct hm_db *db, struct hm_tier *tiers, size_t *n);

enum hm_err hm_db_contracts_terms(struct hm_db *db, int64_t client_id, const struct hm_service *svc,
				  int sessions, struct hm_contract_terms *out);

/* Makes the contract inside the caller's transaction (ordinal, discount and gift
 * stock are read and written under the same write lock) and audits it. */
enum hm_err hm_db_contracts_insert(struct hm_db *db, const struct hm_new_contract *c,
				   const char *request_id, int64_t *contract_id);

/* The contract object. HM_ERR_NOT_FOUND when there is none. */
enum hm_err hm_db_contracts_json(struct hm_db *db, int64_t contract_id, json_t **out);

/* The loyalty stage of a client with this many contracts not cancelled, as GET
 * /me/loyalty answers it: {contracts, current_percent, next: {ordinal, percent} or
 * null at the cap}. A new object (caller owns); NULL when out of memory. */
struct hm_tier;
json_t *hm_db_contracts_loyalty_json(const struct hm_tier *tiers, size_t n, int contracts);

#endif
