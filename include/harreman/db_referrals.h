/* SPDX-License-Identifier: MIT */
/* Third parties in the database (API.md v2, "Third parties: referrals and
 * partners"): what a family's partner and referral rewards add to a contract's
 * discount and how a contract records it, a family's referral code and counts, the
 * admin's referral policy, and the code a registration names. The tables and the
 * triggers that earn and withdraw rewards are sql/0011_referrals.sql's. Every
 * function borrows the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_REFERRALS_H
#define HARREMAN_DB_REFERRALS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

struct hm_contract_terms;
struct hm_tier;

/* Completes terms whose percent is the loyalty tier's: the family's partner (when
 * active) and its oldest unused reward, combined by hm_discount_combine under the
 * cap of tiers[0..n); terms->percent becomes the total. Reads only. */
enum hm_err hm_db_referrals_terms(struct hm_db *db, int64_t client_id, const struct hm_tier *tiers,
				  size_t n, struct hm_contract_terms *terms);

/* Records terms' parts on contract_id just made, inside the caller's transaction:
 * the partner's and the reward's percents, the reward used (even where the cap
 * absorbed it), and the reward's second gift while any is in stock. */
enum hm_err hm_db_referrals_apply(struct hm_db *db, int64_t contract_id,
				  const struct hm_contract_terms *terms);

/* [{source, percent}] for the parts (sources at 0 left out), or NULL. */
json_t *hm_db_referrals_discounts_json(int loyalty, int partner, int referral);

/* Adds "discounts" and "reward_gift" of contract_id to its object. */
enum hm_err hm_db_referrals_contract_json(struct hm_db *db, int64_t contract_id, json_t *contract);

/* GET /me/referral for user_id's family: {code, url, referred, rewarded}.
 * HM_ERR_NOT_FOUND without a client record. */
enum hm_err hm_db_referrals_mine(struct hm_db *db, int64_t user_id, json_t **out);

/* The referral policy {reward_percent, gift}. */
enum hm_err hm_db_referrals_policy(struct hm_db *db, json_t **out);

/* Replaces the policy (checked by the caller), audited ("referral_policy.put"). */
enum hm_err hm_db_referrals_policy_put(struct hm_db *db, int percent, bool gift,
				       const struct hm_actor *who, json_t **out);

/* Whether code names an active partner or a family (a registration's ref). */
enum hm_err hm_db_referrals_code_known(struct hm_db *db, const char *code, bool *known);

/* Inside the caller's transaction: user_id's new family is referred by the family
 * whose code is code, or belongs to the active partner whose code it is.
 * HM_ERR_VALIDATION_FAILED when code names neither. */
enum hm_err hm_db_referrals_link(struct hm_db *db, int64_t user_id, const char *code);

/* The reports (API.md v2, "Third parties"): one page (id > after, at most limit)
 * of rows per referring family {family_id, code, full_name (its oldest member),
 * families, contracts, revenue_cents, discount_cents, rewards_used}, or per
 * partner {partner_id, name, kind, code, active, families, contracts,
 * revenue_cents, discount_cents}; counts and sums over the contracts not
 * cancelled of the families brought (a referrer's discount adds the cents its
 * used rewards took off its own contracts). *items (caller owns), *next_after as
 * hm_db_page. */
enum hm_err hm_db_referrals_report(struct hm_db *db, int64_t after, int limit, json_t **items,
				   int64_t *next_after);
enum hm_err hm_db_referrals_partners_report(struct hm_db *db, int64_t after, int limit,
					    json_t **items, int64_t *next_after);

/* Inside a merge's transaction (src/db/families.c): family from's references move
 * to family to before from goes, and a reward between the two that is not used
 * yet is withdrawn at now (a family never earns from one it becomes part of). */
enum hm_err hm_db_referrals_merge(struct hm_db *db, int64_t from, int64_t to, int64_t now);

#endif
