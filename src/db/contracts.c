// SPDX-License-Identifier: MIT
// Contracts in the database (include/harreman/db_contracts.h): every SQL statement
// of the contracts resource and of the loyalty discount around it (tiers, the
// report, a client's count). Each write owns its whole transaction, audit row and
// messages included, and ends in hm_db_end.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_contracts.h"
#include "harreman/db_invoices.h"
#include "harreman/db_waitlists.h"
#include "harreman/limits.h"
#include "harreman/loyalty.h"
#include "harreman/outbox.h"
#include "harreman/db_gifts.h"
#include "harreman/db_json.h"
#include "harreman/db_referrals.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* The contracts not cancelled of every client of client ?1's family: one row,
 * kept by triggers (sql/0005 per client, sql/0010 per family). */
#define FAMILY_COUNT_SQL                                                                      \
	"SELECT coalesce((SELECT f.active_contracts FROM clients c JOIN families f ON f.id =" \
	" c.family_id WHERE c.id = ?1), 0)"

/* ---- making and listing -------------------------------------------------- */

enum hm_err hm_db_contracts_create(struct hm_db *db, const struct hm_new_contract *c,
				   const struct hm_actor *who, json_t **out)
{
	struct hm_new_contract made = *c;
	int64_t id = 0;
	made.created_by = who->user_id;
	made.now = who->now;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_contracts_insert(db, &made, who->request_id, &id);
	if (err == HM_OK)
		err = hm_db_contracts_json(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_contracts_list(struct hm_db *db, int64_t client_id, int64_t after, int limit,
				 json_t **items, int64_t *next_after)
{
	/* One statement per shape: "?2 = 0 OR client_id = ?2" would keep SQLite from
	 * using the client's index and walk every contract. */
	static const char all_sql[] = "SELECT id FROM contracts WHERE id > ?1 AND ?2 = 0"
				      " ORDER BY id LIMIT ?3";
	static const char client_sql[] = "SELECT id FROM contracts WHERE client_id = ?2"
					 " AND id > ?1 ORDER BY id LIMIT ?3";
	const char *sql = client_id ? client_sql : all_sql;
	enum hm_err err = HM_ERR_INTERNAL;
	int64_t ids[HM_PAGE_BUF];
	int count = 0, rc;
	if (limit > HM_PAGE_MAX)
		limit = HM_PAGE_MAX;
	json_t *list = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!list || !stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, client_id);
	sqlite3_bind_int(stmt, 3, limit + 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count <= limit)
		ids[count++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	stmt = NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = hm_db_fail(db, "list contracts");
		goto out;
	}
	for (int i = 0; i < count && i < limit; i++) {
		json_t *contract = NULL;
		if ((err = hm_db_contracts_json(db, ids[i], &contract)) != HM_OK)
			goto out;
		err = HM_ERR_INTERNAL;
		if (json_array_append_new(list, contract) != 0)
			goto out;
	}
	*next_after = count > limit ? ids[limit - 1] : 0;
	*items = list;
	list = NULL;
	err = HM_OK;
out:
	hm_db_done(stmt);
	json_decref(list);
	return err;
}

/* ---- cancelling ----------------------------------------------------------- */

/* Whether contract id is cancelled already, or HM_ERR_NOT_FOUND. */
static enum hm_err contract_cancelled(struct hm_db *db, int64_t id, bool *cancelled)
{
	static const char sql[] = "SELECT status = 'cancelled' FROM contracts WHERE id = ?1";
	int64_t value = 0;
	enum hm_err err = hm_db_int_by_id(db, sql, id, &value, "contract status");
	if (err == HM_OK)
		*cancelled = value != 0;
	return err;
}

/* The booked lessons of contract id that start after now: those a cancellation
 * takes with it (at most max, a subscription's sessions). */
static enum hm_err future_lessons(struct hm_db *db, int64_t id, int64_t now, int64_t *ids,
				  size_t max, size_t *n)
{
	static const char sql[] =
		"SELECT id FROM lessons WHERE contract_id = ?1"
		" AND status = 'booked' AND starts_at > ?2 ORDER BY starts_at, id";
	int rc;
	*n = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "future lessons");
}

/* Cancels a contract and frees the slots of its lessons still to come. */
static enum hm_err cancel_contract(struct hm_db *db, int64_t id, int64_t now)
{
	static const char contract_sql[] =
		"UPDATE contracts SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1"
		" AND status = 'active'";
	static const char lessons_sql[] =
		"UPDATE lessons SET status = 'cancelled', cancelled_at = ?2 WHERE contract_id = ?1"
		" AND status = 'booked' AND starts_at > ?2";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *contract = hm_db_stmt(db, contract_sql);
	sqlite3_stmt *lessons = hm_db_stmt(db, lessons_sql);
	if (!contract || !lessons)
		goto out;
	sqlite3_bind_int64(contract, 1, id);
	sqlite3_bind_int64(contract, 2, now);
	sqlite3_bind_int64(lessons, 1, id);
	sqlite3_bind_int64(lessons, 2, now);
	if (sqlite3_step(contract) != SQLITE_DONE || sqlite3_step(lessons) != SQLITE_DONE) {
		err = hm_db_fail(db, "cancel contract");
		goto out;
	}
	err = HM_OK;
out:
	hm_db_done(contract);
	hm_db_done(lessons);
	return err;
}

/* Issues the rectifying invoice of contract id, just cancelled with n_future of its
 * lessons: its unused sessions are those never booked plus those. */
static enum hm_err refund_contract(struct hm_db *db, int64_t id, int n_future, int64_t now)
{
	static const char sql[] =
		"SELECT sessions_total - sessions_used FROM contracts WHERE id = ?1";
	int64_t unbooked = 0;
	enum hm_err err = hm_db_int_by_id(db, sql, id, &unbooked, "unused sessions");
	if (err == HM_OK)
		err = hm_db_invoices_rectify_contract(db, id, (int)unbooked + n_future, now);
	return err;
}

enum hm_err hm_db_contracts_cancel(struct hm_db *db, int64_t id, const struct hm_actor *who,
				   const struct hm_outbox_env *env, json_t **out, const char **why)
{
	int64_t lessons[HM_MAX_SESSIONS];
	size_t n_lessons = 0;
	bool cancelled = false;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = contract_cancelled(db, id, &cancelled);
	if (err == HM_OK && cancelled) {
		*why = "The contract is already cancelled.";
		err = HM_ERR_CONFLICT;
	}
	if (err == HM_OK)
		err = future_lessons(db, id, who->now, lessons, HM_MAX_SESSIONS, &n_lessons);
	if (err == HM_OK)
		err = cancel_contract(db, id, who->now);
	/* The rectifying invoice of what is refunded: the sessions not used, the
	 * lessons still to come (cancelled with it) included. */
	if (err == HM_OK)
		err = refund_contract(db, id, (int)n_lessons, who->now);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "contract.cancel", "contract", id, NULL,
				      who->request_id, who->now);
	/* The lessons it took with it: one message for all of them. */
	if (err == HM_OK && n_lessons)
		err = hm_outbox_lessons_cancelled(db, env, lessons, n_lessons, who->now);
	/* Group seats freed: offered to the first in each line. */
	if (err == HM_OK && n_lessons)
		err = hm_db_waitlists_seats_freed(db, env, lessons, n_lessons, who);
	if (err == HM_OK)
		err = hm_db_contracts_json(db, id, out);
	return hm_db_end(db, err);
}

/* ---- quotes and the loyalty discount ------------------------------------- */

enum hm_err hm_db_contracts_quote(struct hm_db *db, int64_t client_id, const struct hm_service *svc,
				  int sessions, json_t **out)
{
	struct hm_contract_terms terms = {0};
	enum hm_err err = hm_db_contracts_terms(db, client_id, svc, sessions, &terms);
	if (err != HM_OK)
		return err;
	json_t *gift = hm_db_gifts_json(db, terms.gift_id);
	json_t *discounts = hm_db_referrals_discounts_json(
		terms.percent - terms.partner_percent - terms.referral_percent,
		terms.partner_percent, terms.referral_percent);
	if (!gift || !discounts) {
		json_decref(gift);
		json_decref(discounts);
		return HM_ERR_INTERNAL;
	}
	*out = gift ? json_pack("{s:i, s:I, s:i, s:I, s:I, s:o, s:o}", "ordinal", terms.ordinal,
				"list_price_cents", (json_int_t)terms.list_cents,
				"discount_percent", terms.percent, "discount_cents",
				(json_int_t)terms.discount_cents, "price_cents",
				(json_int_t)terms.price_cents, "gift", gift, "discounts", discounts)
		    : NULL;
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_contracts_count(struct hm_db *db, int64_t client_id, int64_t *count)
{
	static const char sql[] = FAMILY_COUNT_SQL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	enum hm_err err = HM_OK;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	else
		err = hm_db_fail(db, "count contracts");
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_contracts_tiers_put(struct hm_db *db, const struct hm_tier *tiers, size_t n,
				      json_t *detail, const struct hm_actor *who)
{
	static const char clear_sql[] = "DELETE FROM discount_tiers";
	static const char add_sql[] =
		"INSERT INTO discount_tiers (from_ordinal, percent) VALUES (?1, ?2)";
	sqlite3_stmt *clear = NULL;
	enum hm_err err = hm_db_begin_stmt(db, clear_sql, &clear);
	if (err == HM_OK && sqlite3_step(clear) != SQLITE_DONE)
		err = hm_db_fail(db, "clear tiers");
	hm_db_done(clear);
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		sqlite3_stmt *add = hm_db_stmt(db, add_sql);
		if (!add)
			err = HM_ERR_INTERNAL;
		if (err == HM_OK) {
			sqlite3_bind_int(add, 1, tiers[i].from_ordinal);
			sqlite3_bind_int(add, 2, tiers[i].percent);
			if (sqlite3_step(add) != SQLITE_DONE)
				err = hm_db_fail(db, "add tier");
		}
		hm_db_done(add);
	}
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "tiers.put", "discount_tiers", 0, detail,
				      who->request_id, who->now);
	return hm_db_end(db, err);
}

void hm_db_contracts_loyalty_free(struct hm_loyalty_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].full_name);
	free(rows);
}

enum hm_err hm_db_contracts_loyalty_rows(struct hm_db *db, int64_t after, int limit,
					 struct hm_loyalty_row **rows, size_t *n)
{
	static const char sql[] =
		"SELECT c.id, c.full_name, f.active_contracts, sum(k.discount_cents),"
		" max(k.created_at), c.family_id"
		" FROM contracts k JOIN clients c ON c.id = k.client_id"
		" JOIN families f ON f.id = c.family_id"
		" WHERE k.status <> 'cancelled' AND c.id > ?1 GROUP BY c.id ORDER BY c.id LIMIT ?2";
	struct hm_loyalty_row *list = NULL;
	size_t count = 0, alloc = 0;
	enum hm_err err = HM_OK;
	int rc;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, (int64_t)limit + 1);
	while (err == HM_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == alloc) {
			size_t more = alloc ? alloc * 2 : 64;
			struct hm_loyalty_row *grown = realloc(list, more * sizeof *list);
			if (!grown) {
				err = HM_ERR_INTERNAL;
				break;
			}
			list = grown;
			alloc = more;
		}
		struct hm_loyalty_row *row = &list[count];
		row->client_id = sqlite3_column_int64(stmt, 0);
		row->full_name = hm_db_column_strdup(stmt, 1);
		row->contracts = sqlite3_column_int(stmt, 2);
		row->discount_cents = sqlite3_column_int64(stmt, 3);
		row->last_contract_at = sqlite3_column_int64(stmt, 4);
		row->family_id = sqlite3_column_int64(stmt, 5);
		if (!row->full_name)
			err = HM_ERR_INTERNAL;
		else
			count++;
	}
	if (err == HM_OK && rc != SQLITE_DONE)
		err = hm_db_fail(db, "loyalty report");
	hm_db_done(stmt);
	if (err != HM_OK) {
		hm_db_contracts_loyalty_free(list, count);
		return err;
	}
	*rows = list;
	*n = count;
	return HM_OK;
}

/* ---- shared with the other resources (once src/db/crm.c) ---- */

enum hm_err hm_db_contracts_tiers(struct hm_db *db, struct hm_tier *tiers, size_t *n)
{
	static const char sql[] =
		"SELECT from_ordinal, percent FROM discount_tiers ORDER BY from_ordinal";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	*n = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < HM_MAX_TIERS) {
		tiers[*n].from_ordinal = sqlite3_column_int(stmt, 0);
		tiers[*n].percent = sqlite3_column_int(stmt, 1);
		(*n)++;
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read tiers");
}

/* The loyalty stage of a client with this many contracts not cancelled, as GET
 * /me/loyalty answers it: {contracts, current_percent, next: {ordinal, percent} or
 * null at the cap}. NULL when out of memory. */
json_t *hm_db_contracts_loyalty_json(const struct hm_tier *tiers, size_t n, int contracts)
{
	const struct hm_tier *next = hm_loyalty_next(tiers, n, contracts);
	return json_pack("{s:i, s:i, s:o}", "contracts", contracts, "current_percent",
			 hm_loyalty_percent(tiers, n, contracts), "next",
			 next ? json_pack("{s:i, s:i}", "ordinal", next->from_ordinal, "percent",
					  next->percent)
			      : json_null());
}

enum hm_err hm_db_contracts_terms(struct hm_db *db, int64_t client_id, const struct hm_service *svc,
				  int sessions, struct hm_contract_terms *out)
{
	static const char count_sql[] = FAMILY_COUNT_SQL;
	/* The gift with the most stock, ties by lowest id; none when all are out. (Not
	 * "ORDER BY stock DESC, id LIMIT 1": that sorts in a temporary b-tree, built
	 * anew for every contract.) */
	static const char gift_sql[] =
		"SELECT id FROM gifts WHERE stock > 0 AND stock = (SELECT max(stock) FROM gifts)"
		" ORDER BY id LIMIT 1";
	struct hm_tier tiers[HM_MAX_TIERS];
	struct hm_price price;
	size_t n_tiers = 0;
	enum hm_err err;
	sqlite3_stmt *count = hm_db_stmt(db, count_sql);
	sqlite3_stmt *gift = hm_db_stmt(db, gift_sql);
	if (!count || !gift)
		return HM_ERR_INTERNAL;
	if ((err = hm_db_contracts_tiers(db, tiers, &n_tiers)) != HM_OK)
		return err;
	sqlite3_bind_int64(count, 1, client_id);
	int rc = sqlite3_step(count);
	int64_t existing = rc == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
	hm_db_done(count);
	if (rc != SQLITE_ROW)
		return hm_db_fail(db, "count contracts");
	rc = sqlite3_step(gift);
	out->gift_id = rc == SQLITE_ROW ? sqlite3_column_int64(gift, 0) : 0;
	hm_db_done(gift);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "pick gift");

	out->ordinal = (int)existing + 1;
	out->percent = hm_loyalty_percent(tiers, n_tiers, out->ordinal);
	/* The partner's and the referral reward's share, under the cap (sql/0011). */
	if ((err = hm_db_referrals_terms(db, client_id, tiers, n_tiers, out)) != HM_OK)
		return err;
	if (!hm_loyalty_price(svc->price_cents, sessions, out->percent, &price))
		return HM_ERR_INTERNAL;
	out->list_cents = price.list_cents;
	out->discount_cents = price.discount_cents;
	out->price_cents = price.price_cents;
	return HM_OK;
}

enum hm_err hm_db_contracts_insert(struct hm_db *db, const struct hm_new_contract *c,
				   const char *request_id, int64_t *contract_id)
{
	static const char insert_sql[] =
		"INSERT INTO contracts (client_id, service_id, kind, sessions_total, sessions_used,"
		" ordinal, list_price_cents, discount_percent, discount_cents, price_cents, gift_id,"
		" channel, created_at, created_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	/* stock > 0 in the WHERE: the CHECK (stock >= 0) is the backstop, not the rule. */
	static const char stock_sql[] =
		"UPDATE gifts SET stock = stock - 1 WHERE id = ?1 AND stock > 0";
	struct hm_contract_terms terms = {0};
	enum hm_err err = hm_db_contracts_terms(db, c->client_id, c->service, c->sessions, &terms);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stock = hm_db_stmt(db, stock_sql);
	sqlite3_stmt *insert = hm_db_stmt(db, insert_sql);
	if (!stock || !insert)
		return HM_ERR_INTERNAL;
	if (terms.gift_id) {
		sqlite3_bind_int64(stock, 1, terms.gift_id);
		int rc = sqlite3_step(stock);
		bool taken = rc == SQLITE_DONE && sqlite3_changes(hm_db_handle(db)) == 1;
		hm_db_done(stock);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "take gift");
		if (!taken)
			terms.gift_id = 0;
	}
	sqlite3_bind_int64(insert, 1, c->client_id);
	sqlite3_bind_int64(insert, 2, c->service->id);
	sqlite3_bind_text(insert, 3, c->subscription ? "subscription" : "one_off", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(insert, 4, c->sessions);
	sqlite3_bind_int(insert, 5, c->sessions_used);
	sqlite3_bind_int(insert, 6, terms.ordinal);
	sqlite3_bind_int64(insert, 7, terms.list_cents);
	sqlite3_bind_int(insert, 8, terms.percent);
	sqlite3_bind_int64(insert, 9, terms.discount_cents);
	sqlite3_bind_int64(insert, 10, terms.price_cents);
	if (terms.gift_id)
		sqlite3_bind_int64(insert, 11, terms.gift_id);
	sqlite3_bind_text(insert, 12, c->channel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(insert, 13, c->now);
	if (c->created_by)
		sqlite3_bind_int64(insert, 14, c->created_by);
	int rc = sqlite3_step(insert);
	hm_db_done(insert);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert contract");
	*contract_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	if ((err = hm_db_referrals_apply(db, *contract_id, &terms)) != HM_OK)
		return err;
	/* Its invoice, in the same transaction (issue 14). */
	struct hm_invoice_contract invoice = {
		.contract_id = *contract_id,
		.client_id = c->client_id,
		.service_id = c->service->id,
		.gift_id = terms.gift_id,
		.sessions = c->sessions,
		.unit_cents = c->service->price_cents,
		.discount_cents = terms.discount_cents,
		.price_cents = terms.price_cents,
		.now = c->now,
	};
	err = hm_db_invoices_issue_contract(db, &invoice, NULL);
	if (err != HM_OK)
		return err;
	json_t *detail = json_pack("{s:I, s:i, s:i, s:I}", "client_id", (json_int_t)c->client_id,
				   "ordinal", terms.ordinal, "discount_percent", terms.percent,
				   "price_cents", (json_int_t)terms.price_cents);
	err = detail ? hm_audit_record(db, c->created_by, "contract.create", "contract",
				       *contract_id, detail, request_id, c->now)
		     : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

enum hm_err hm_db_contracts_json(struct hm_db *db, int64_t contract_id, json_t **out)
{
	static const char sql[] =
		"SELECT id, client_id, service_id, kind, sessions_total, sessions_used, ordinal,"
		" list_price_cents, discount_percent, discount_cents, price_cents, gift_id, channel,"
		" status, created_at, cancelled_at FROM contracts WHERE id = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, contract_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		int64_t gift_id = sqlite3_column_int64(stmt, 11);
		*out = json_pack(
			"{s:I, s:I, s:I, s:s, s:i, s:i, s:i, s:I, s:i, s:I, s:I, s:n, s:s, s:s,"
			" s:o, s:o}",
			"id", (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			(json_int_t)sqlite3_column_int64(stmt, 1), "service_id",
			(json_int_t)sqlite3_column_int64(stmt, 2), "kind",
			(const char *)sqlite3_column_text(stmt, 3), "sessions_total",
			sqlite3_column_int(stmt, 4), "sessions_used", sqlite3_column_int(stmt, 5),
			"ordinal", sqlite3_column_int(stmt, 6), "list_price_cents",
			(json_int_t)sqlite3_column_int64(stmt, 7), "discount_percent",
			sqlite3_column_int(stmt, 8), "discount_cents",
			(json_int_t)sqlite3_column_int64(stmt, 9), "price_cents",
			(json_int_t)sqlite3_column_int64(stmt, 10), "gift", "channel",
			(const char *)sqlite3_column_text(stmt, 12), "status",
			(const char *)sqlite3_column_text(stmt, 13), "created_at",
			hm_db_json_time(stmt, 14), "cancelled_at", hm_db_json_time(stmt, 15));
		hm_db_done(stmt);
		if (!*out)
			return HM_ERR_INTERNAL;
		/* The gift is read after the statement is handed back (it is another one). */
		json_t *gift = hm_db_gifts_json(db, gift_id);
		if (!gift || json_object_set_new(*out, "gift", gift) != 0 ||
		    hm_db_referrals_contract_json(db, contract_id, *out) != HM_OK) {
			json_decref(*out);
			*out = NULL;
			return HM_ERR_INTERNAL;
		}
		return HM_OK;
	}
	if (rc != SQLITE_DONE)
		err = hm_db_fail(db, "read contract");
	hm_db_done(stmt);
	return err;
}

/* ---- the admin's loyalty review ------------------------------------------- */

/* Clients per tier reached: tiers[0..n) and the "no discount yet" bucket into
 * *rows as JSON. */
static enum hm_err review_tiers(struct hm_db *db, json_t *rows)
{
	static const char sql[] =
		"SELECT f.active_contracts, count(DISTINCT c.id) FROM contracts k"
		" JOIN clients c ON c.id = k.client_id JOIN families f ON f.id = c.family_id"
		" WHERE k.status <> 'cancelled' GROUP BY f.active_contracts";
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0;
	long long clients[HM_MAX_TIERS + 1] = {0}; /* [0]: below the first tier */
	enum hm_err err = hm_db_contracts_tiers(db, tiers, &n);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, sql) : NULL;
	if (!stmt)
		return err == HM_OK ? HM_ERR_INTERNAL : err;
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int contracts = sqlite3_column_int(stmt, 0);
		size_t bucket = 0;
		for (size_t i = 0; i < n; i++)
			if (contracts >= tiers[i].from_ordinal)
				bucket = i + 1;
		clients[bucket] += sqlite3_column_int64(stmt, 1);
	}
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "review tiers");
	for (size_t i = 0; i <= n; i++)
		if (json_array_append_new(
			    rows,
			    json_pack("{s:o, s:i, s:I}", "from_ordinal",
				      i ? json_integer(tiers[i - 1].from_ordinal) : json_null(),
				      "percent", i ? tiers[i - 1].percent : 0, "clients",
				      (json_int_t)clients[i])) != 0)
			return HM_ERR_INTERNAL;
	return HM_OK;
}

/* Contracts not cancelled made in each local month of year: how many, how many
 * with a discount, and the discount given, into *months (twelve) and *total. */
static enum hm_err review_months(struct hm_db *db, int year, json_t *months, int64_t *total)
{
	static const char sql[] = "SELECT created_at, discount_cents FROM contracts"
				  " WHERE status <> 'cancelled' AND created_at >= ?1"
				  " AND created_at < ?2";
	int64_t cents[12] = {0}, count[12] = {0}, discounted[12] = {0};
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	int64_t from, to;
	hm_local_year_bounds(year, &from, &to);
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int month = hm_local_month_in_year(sqlite3_column_int64(stmt, 0), year);
		if (month < 0)
			continue;
		int64_t discount = sqlite3_column_int64(stmt, 1);
		cents[month] += discount;
		count[month]++;
		discounted[month] += discount > 0;
	}
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "review months");
	*total = 0;
	for (int i = 0; i < 12; i++) {
		char month[8];
		snprintf(month, sizeof month, "%04d-%02d", year, i + 1);
		*total += cents[i];
		if (json_array_append_new(months,
					  json_pack("{s:s, s:I, s:I, s:I}", "month", month,
						    "contracts", (json_int_t)count[i], "discounted",
						    (json_int_t)discounted[i], "discount_cents",
						    (json_int_t)cents[i])) != 0)
			return HM_ERR_INTERNAL;
	}
	return HM_OK;
}

static json_t *review_gift_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:i, s:I, s:I}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "name",
			 (const char *)sqlite3_column_text(stmt, 1), "stock",
			 sqlite3_column_int(stmt, 2), "handed_out",
			 (json_int_t)sqlite3_column_int64(stmt, 3), "handed_out_year",
			 (json_int_t)sqlite3_column_int64(stmt, 4));
}

enum hm_err hm_db_contracts_loyalty_review(struct hm_db *db, int year, json_t **out)
{
	static const char gifts_sql[] =
		"SELECT g.id, g.name, g.stock, count(k.id),"
		" coalesce(sum(k.created_at >= ?1 AND k.created_at < ?2), 0)"
		" FROM gifts g LEFT JOIN contracts k ON k.gift_id = g.id GROUP BY g.id ORDER BY g.id";
	json_t *tiers = json_array(), *months = json_array(), *gifts = NULL;
	int64_t total = 0;
	enum hm_err err = tiers && months ? review_tiers(db, tiers) : HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = review_months(db, year, months, &total);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, gifts_sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (stmt) {
		int64_t from, to;
		hm_local_year_bounds(year, &from, &to);
		sqlite3_bind_int64(stmt, 1, from);
		sqlite3_bind_int64(stmt, 2, to);
		err = hm_db_rows(db, stmt, review_gift_row, &gifts, "review gifts");
	}
	*out = err == HM_OK ? json_pack("{s:i, s:O, s:O, s:I, s:o}", "year", year, "tiers", tiers,
					"months", months, "discount_cents", (json_int_t)total,
					"gifts", gifts)
			    : NULL;
	if (err == HM_OK && !*out)
		err = HM_ERR_INTERNAL;
	if (err != HM_OK)
		json_decref(gifts);
	json_decref(tiers);
	json_decref(months);
	return err;
}
