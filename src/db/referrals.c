// SPDX-License-Identifier: MIT
// Referrals and partners in the database (include/harreman/db_referrals.h): the
// partner's and the referral reward's share of a contract's discount (decided by
// hm_discount_combine, recorded on the contract), a family's code and counts, the
// referral policy, and the code a registration names. Rewards are earned and
// withdrawn by the triggers of sql/0011_referrals.sql.
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_contracts.h"
#include "harreman/db_gifts.h"
#include "harreman/db_json.h"
#include "harreman/db_referrals.h"
#include "harreman/discounts.h"
#include "harreman/loyalty.h"
#include "harreman/banned.h"

/* ---- a contract's discount --------------------------------------------------- */

enum hm_err hm_db_referrals_terms(struct hm_db *db, int64_t client_id, const struct hm_tier *tiers,
				  size_t n, struct hm_contract_terms *terms)
{
	/* The family's partner, and its oldest reward neither used nor withdrawn. */
	static const char sql[] =
		"SELECT coalesce(p.discount_percent, 0), coalesce(p.active, 0),"
		" coalesce(r.id, 0), coalesce(r.percent, 0), coalesce(r.gift, 0)"
		" FROM clients c JOIN families f ON f.id = c.family_id"
		" LEFT JOIN partners p ON p.id = f.partner_id"
		" LEFT JOIN referral_rewards r ON r.id = (SELECT id FROM referral_rewards"
		"   WHERE family_id = f.id AND used_contract_id IS NULL AND withdrawn_at IS NULL"
		"   ORDER BY id LIMIT 1)"
		" WHERE c.id = ?1";
	int partner = 0, reward = 0;
	bool active = false;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		partner = sqlite3_column_int(stmt, 0);
		active = sqlite3_column_int(stmt, 1) != 0;
		terms->reward_id = sqlite3_column_int64(stmt, 2);
		reward = sqlite3_column_int(stmt, 3);
		terms->reward_gift = sqlite3_column_int(stmt, 4) != 0;
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "third-party terms");
	struct hm_discount_parts parts = hm_discount_combine(terms->percent, partner, active,
							     reward, n ? tiers[n - 1].percent : 0);
	terms->percent = parts.total;
	terms->partner_percent = parts.partner;
	terms->referral_percent = parts.referral;
	return HM_OK;
}

/* Takes one gift from stock for a reward (the most stock, ties by lowest id):
 * *gift_id 0 when none is left. */
static enum hm_err take_reward_gift(struct hm_db *db, int64_t *gift_id)
{
	static const char pick_sql[] =
		"SELECT id FROM gifts WHERE stock > 0 AND stock = (SELECT max(stock) FROM gifts)"
		" ORDER BY id LIMIT 1";
	static const char take_sql[] =
		"UPDATE gifts SET stock = stock - 1 WHERE id = ?1 AND stock > 0";
	*gift_id = 0;
	sqlite3_stmt *pick = hm_db_stmt(db, pick_sql);
	if (!pick)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(pick);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(pick, 0) : 0;
	hm_db_done(pick);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "pick reward gift");
	if (!id)
		return HM_OK;
	sqlite3_stmt *take = hm_db_stmt(db, take_sql);
	if (!take)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(take, 1, id);
	rc = sqlite3_step(take);
	bool taken = rc == SQLITE_DONE && sqlite3_changes(hm_db_handle(db)) == 1;
	hm_db_done(take);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "take reward gift");
	*gift_id = taken ? id : 0;
	return HM_OK;
}

enum hm_err hm_db_referrals_apply(struct hm_db *db, int64_t contract_id,
				  const struct hm_contract_terms *terms)
{
	static const char parts_sql[] =
		"UPDATE contracts SET partner_percent = ?2, referral_percent = ?3,"
		" reward_gift_id = nullif(?4, 0) WHERE id = ?1";
	static const char use_sql[] =
		"UPDATE referral_rewards SET used_contract_id = ?2 WHERE id = ?1"
		" AND used_contract_id IS NULL AND withdrawn_at IS NULL";
	int64_t gift_id = 0;
	enum hm_err err = HM_OK;
	if (!terms->partner_percent && !terms->referral_percent && !terms->reward_id)
		return HM_OK;
	if (terms->reward_id && terms->reward_gift)
		err = take_reward_gift(db, &gift_id);
	sqlite3_stmt *parts = err == HM_OK ? hm_db_stmt(db, parts_sql) : NULL;
	if (err == HM_OK && !parts)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(parts, 1, contract_id);
		sqlite3_bind_int(parts, 2, terms->partner_percent);
		sqlite3_bind_int(parts, 3, terms->referral_percent);
		sqlite3_bind_int64(parts, 4, gift_id);
		if (sqlite3_step(parts) != SQLITE_DONE)
			err = hm_db_fail(db, "contract discount parts");
	}
	hm_db_done(parts);
	if (err != HM_OK || !terms->reward_id)
		return err;
	sqlite3_stmt *use = hm_db_stmt(db, use_sql);
	if (!use)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(use, 1, terms->reward_id);
	sqlite3_bind_int64(use, 2, contract_id);
	int rc = sqlite3_step(use);
	hm_db_done(use);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "use reward");
}

json_t *hm_db_referrals_discounts_json(int loyalty, int partner, int referral)
{
	const struct {
		const char *source;
		int percent;
	} parts[] = {{"loyalty", loyalty}, {"partner", partner}, {"referral", referral}};
	json_t *list = json_array();
	for (size_t i = 0; list && i < sizeof parts / sizeof parts[0]; i++) {
		if (parts[i].percent <= 0)
			continue;
		if (json_array_append_new(list, json_pack("{s:s, s:i}", "source", parts[i].source,
							  "percent", parts[i].percent)) != 0) {
			json_decref(list);
			list = NULL;
		}
	}
	return list;
}

enum hm_err hm_db_referrals_contract_json(struct hm_db *db, int64_t contract_id, json_t *contract)
{
	static const char sql[] =
		"SELECT discount_percent, partner_percent, referral_percent, coalesce(reward_gift_id, 0)"
		" FROM contracts WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, contract_id);
	int rc = sqlite3_step(stmt);
	int total = 0, partner = 0, referral = 0;
	int64_t gift_id = 0;
	if (rc == SQLITE_ROW) {
		total = sqlite3_column_int(stmt, 0);
		partner = sqlite3_column_int(stmt, 1);
		referral = sqlite3_column_int(stmt, 2);
		gift_id = sqlite3_column_int64(stmt, 3);
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "contract parts");
	json_t *discounts = hm_db_referrals_discounts_json(total - partner - referral, partner,
							   referral);
	json_t *gift = gift_id ? hm_db_gifts_json(db, gift_id) : json_null();
	if (!discounts || !gift || json_object_set_new(contract, "discounts", discounts) != 0 ||
	    json_object_set_new(contract, "reward_gift", gift) != 0)
		return HM_ERR_INTERNAL;
	return HM_OK;
}

/* ---- a family's code, the policy, registration -------------------------------- */

enum hm_err hm_db_referrals_mine(struct hm_db *db, int64_t user_id, json_t **out)
{
	static const char sql[] =
		"SELECT f.referral_code,"
		" (SELECT count(*) FROM families o WHERE o.referred_by = f.id),"
		" (SELECT count(DISTINCT referred_family_id) FROM referral_rewards r"
		"   WHERE r.family_id = f.id AND r.withdrawn_at IS NULL)"
		" FROM clients me JOIN families f ON f.id = me.family_id WHERE me.user_id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_ERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(stmt, 0);
		json_t *url = json_sprintf("/?ref=%s", code ? code : "");
		*out = url ? json_pack("{s:s, s:o, s:i, s:i}", "code", code ? code : "", "url", url,
				       "referred", sqlite3_column_int(stmt, 1), "rewarded",
				       sqlite3_column_int(stmt, 2))
			   : NULL;
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "my referral");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_referrals_policy(struct hm_db *db, json_t **out)
{
	static const char sql[] = "SELECT reward_percent, gift FROM referral_policy WHERE id = 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	*out = rc == SQLITE_ROW
		       ? json_pack("{s:i, s:b}", "reward_percent", sqlite3_column_int(stmt, 0),
				   "gift", sqlite3_column_int(stmt, 1) != 0)
		       : NULL;
	hm_db_done(stmt);
	if (rc != SQLITE_ROW)
		return hm_db_fail(db, "referral policy");
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_referrals_policy_put(struct hm_db *db, int percent, bool gift,
				       const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"UPDATE referral_policy SET reward_percent = ?1, gift = ?2, updated_at = ?3"
		" WHERE id = 1";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int(stmt, 1, percent);
		sqlite3_bind_int(stmt, 2, gift);
		sqlite3_bind_int64(stmt, 3, who->now);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "put referral policy");
	}
	hm_db_done(stmt);
	if (err == HM_OK)
		err = hm_db_referrals_policy(db, out);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "referral_policy.put", "referral_policy", 1,
				      *out, who->request_id, who->now);
	return hm_db_end(db, err);
}

enum hm_err hm_db_referrals_code_known(struct hm_db *db, const char *code, bool *known)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM families WHERE referral_code = ?1 COLLATE NOCASE)"
		" OR EXISTS (SELECT 1 FROM partners WHERE code = ?1 AND active = 1)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	*known = rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) != 0;
	hm_db_done(stmt);
	return rc == SQLITE_ROW ? HM_OK : hm_db_fail(db, "code known");
}

enum hm_err hm_db_referrals_link(struct hm_db *db, int64_t user_id, const char *code)
{
	/* A family's code, else an active partner's: one of the two updates changes the
	 * new family, or the code is unknown. */
	static const char family_sql[] =
		"UPDATE families SET referred_by = (SELECT id FROM families"
		"   WHERE referral_code = ?2 COLLATE NOCASE)"
		" WHERE id = (SELECT family_id FROM clients WHERE user_id = ?1)"
		" AND EXISTS (SELECT 1 FROM families WHERE referral_code = ?2 COLLATE NOCASE"
		"   AND id <> (SELECT family_id FROM clients WHERE user_id = ?1))";
	static const char partner_sql[] =
		"UPDATE families SET partner_id = (SELECT id FROM partners WHERE code = ?2 AND active = 1)"
		" WHERE id = (SELECT family_id FROM clients WHERE user_id = ?1)"
		" AND EXISTS (SELECT 1 FROM partners WHERE code = ?2 AND active = 1)";
	const char *const steps[] = {family_sql, partner_sql};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, steps[i]);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, user_id);
		sqlite3_bind_text(stmt, 2, code, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(stmt);
		bool changed = sqlite3_changes(hm_db_handle(db)) == 1;
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "link code");
		if (changed)
			return HM_OK;
	}
	return HM_ERR_VALIDATION_FAILED;
}

enum hm_err hm_db_referrals_merge(struct hm_db *db, int64_t from, int64_t to, int64_t now)
{
	static const char *const steps[] = {
		/* Between the two: not to be earned any more. */
		"UPDATE referral_rewards SET withdrawn_at = ?3 WHERE used_contract_id IS NULL"
		" AND withdrawn_at IS NULL AND ((family_id = ?1 AND referred_family_id = ?2)"
		" OR (family_id = ?2 AND referred_family_id = ?1))",
		"UPDATE referral_rewards SET family_id = ?2 WHERE family_id = ?1",
		"UPDATE referral_rewards SET referred_family_id = ?2 WHERE referred_family_id = ?1",
		"UPDATE families SET referred_by = NULL WHERE id = ?2 AND referred_by = ?1",
		"UPDATE families SET referred_by = ?2 WHERE referred_by = ?1 AND id <> ?2",
		/* The joined family keeps its own partner and referrer, else takes from's. */
		"UPDATE families SET partner_id = coalesce(partner_id, (SELECT partner_id FROM"
		" families WHERE id = ?1)), referred_by = coalesce(referred_by, (SELECT nullif("
		"referred_by, ?2) FROM families WHERE id = ?1)) WHERE id = ?2",
		"UPDATE families SET referred_by = NULL WHERE id = ?1",
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, steps[i]);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, from);
		sqlite3_bind_int64(stmt, 2, to);
		if (sqlite3_bind_parameter_count(stmt) >= 3)
			sqlite3_bind_int64(stmt, 3, now);
		int rc = sqlite3_step(stmt);
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "merge referrals");
	}
	return HM_OK;
}

/* ---- reports ----------------------------------------------------------------------- */

/* The contracts not cancelled of the families that WHERE selects ("b" the family). */
#define BROUGHT(what, where)                                                     \
	"(SELECT " what " FROM contracts k JOIN clients c ON c.id = k.client_id" \
	" JOIN families b ON b.id = c.family_id WHERE k.status <> 'cancelled' AND " where ")"

static json_t *referral_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:o, s:i, s:i, s:I, s:I, s:i}", "family_id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "code",
			 (const char *)sqlite3_column_text(stmt, 1), "full_name",
			 hm_db_json_text(stmt, 2), "families", sqlite3_column_int(stmt, 3),
			 "contracts", sqlite3_column_int(stmt, 4), "revenue_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 5), "discount_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 6), "rewards_used",
			 sqlite3_column_int(stmt, 7));
}

enum hm_err hm_db_referrals_report(struct hm_db *db, int64_t after, int limit, json_t **items,
				   int64_t *next_after)
{
	/* A used reward's cents: its share of the contract's list price, half up. */
	static const char sql[] =
		"SELECT f.id, f.referral_code,"
		" (SELECT full_name FROM clients WHERE family_id = f.id ORDER BY id LIMIT 1),"
		" (SELECT count(*) FROM families o WHERE o.referred_by = f.id)," BROUGHT("count(*)", "b.referred_by = f.id") "," BROUGHT(
			"coalesce(sum(k.price_cents), 0)",
			"b.referred_by = f.id") "," BROUGHT("coalesce(sum(k.discount_cents), 0)",
							    "b.referred_by = f.id") " + (SELECT coalesce(sum((u.list_price_cents * u.referral_percent + 50) / 100), 0)"
										    "   FROM referral_rewards r JOIN contracts u ON u.id = r.used_contract_id"
										    "   WHERE r.family_id = f.id AND u.status <> 'cancelled'),"
										    " (SELECT count(*) FROM referral_rewards r WHERE r.family_id = f.id"
										    "   AND r.used_contract_id IS NOT NULL)"
										    " FROM families f WHERE f.id > ?1"
										    " AND EXISTS (SELECT 1 FROM families o WHERE o.referred_by = f.id)"
										    " ORDER BY f.id LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	return hm_db_page(db, stmt, limit, referral_row, items, next_after);
}

static json_t *partner_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:i, s:i, s:I, s:I}", "partner_id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "name",
			 (const char *)sqlite3_column_text(stmt, 1), "kind",
			 (const char *)sqlite3_column_text(stmt, 2), "code",
			 (const char *)sqlite3_column_text(stmt, 3), "active",
			 sqlite3_column_int(stmt, 4) != 0, "families", sqlite3_column_int(stmt, 5),
			 "contracts", sqlite3_column_int(stmt, 6), "revenue_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 7), "discount_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 8));
}

enum hm_err hm_db_referrals_partners_report(struct hm_db *db, int64_t after, int limit,
					    json_t **items, int64_t *next_after)
{
	static const char sql[] =
		"SELECT p.id, p.name, p.kind, p.code, p.active,"
		" (SELECT count(*) FROM families o WHERE o.partner_id = p.id)," BROUGHT("count(*)", "b.partner_id = p.id") "," BROUGHT(
			"coalesce(sum(k.price_cents), 0)",
			"b.partner_id = p.id") "," BROUGHT("coalesce(sum(k.discount_cents), 0)",
							   "b.partner_id = p.id") " FROM partners p WHERE p.id > ?1 ORDER BY p.id LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	return hm_db_page(db, stmt, limit, partner_row, items, next_after);
}
