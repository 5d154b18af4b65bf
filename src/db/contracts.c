// SPDX-License-Identifier: MIT
// Contracts in the database (include/harreman/db_contracts.h): every SQL statement
// of the contracts resource and of the loyalty discount around it (tiers, the
// report, a client's count). Each write owns its whole transaction, audit row and
// messages included, and ends in hm_db_end.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_contracts.h"
#include "harreman/limits.h"
#include "harreman/loyalty.h"
#include "harreman/outbox.h"
#include "harreman/banned.h"

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
	err = hm_crm_contract_create(db, &made, who->request_id, &id);
	if (err == HM_OK)
		err = hm_crm_contract_json(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_contracts_list(struct hm_db *db, int64_t client_id, int64_t after, int limit,
				 json_t **items, int64_t *next_after)
{
	static const char sql[] = "SELECT id FROM contracts WHERE id > ?1 AND (?2 = 0 OR"
				  " client_id = ?2) ORDER BY id LIMIT ?3";
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
		if ((err = hm_crm_contract_json(db, ids[i], &contract)) != HM_OK)
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
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*cancelled = sqlite3_column_int(stmt, 0) != 0;
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "contract status");
}

/* The booked lessons of contract id that start after now: those a cancellation
 * takes with it (at most max, a subscription's sessions). */
static enum hm_err future_lessons(struct hm_db *db, int64_t id, int64_t now, int64_t *ids,
				  size_t max, size_t *n)
{
	static const char sql[] = "SELECT id FROM lessons WHERE contract_id = ?1"
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

enum hm_err hm_db_contracts_cancel(struct hm_db *db, int64_t id, const struct hm_actor *who,
				   const struct hm_outbox_env *env, json_t **out,
				   const char **why)
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
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "contract.cancel", "contract", id, NULL,
				      who->request_id, who->now);
	/* The lessons it took with it: one message for all of them. */
	if (err == HM_OK && n_lessons)
		err = hm_outbox_lessons_cancelled(db, env, lessons, n_lessons, who->now);
	if (err == HM_OK)
		err = hm_crm_contract_json(db, id, out);
	return hm_db_end(db, err);
}

/* ---- quotes and the loyalty discount ------------------------------------- */

enum hm_err hm_db_contracts_quote(struct hm_db *db, int64_t client_id,
				  const struct hm_service *svc, int sessions, json_t **out)
{
	struct hm_contract_terms terms;
	enum hm_err err = hm_crm_contract_terms(db, client_id, svc, sessions, &terms);
	if (err != HM_OK)
		return err;
	json_t *gift = hm_crm_gift_json(db, terms.gift_id);
	*out = gift ? json_pack("{s:i, s:I, s:i, s:I, s:I, s:o}", "ordinal", terms.ordinal,
				"list_price_cents", (json_int_t)terms.list_cents,
				"discount_percent", terms.percent, "discount_cents",
				(json_int_t)terms.discount_cents, "price_cents",
				(json_int_t)terms.price_cents, "gift", gift)
		    : NULL;
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_contracts_count(struct hm_db *db, int64_t client_id, int64_t *count)
{
	static const char sql[] =
		"SELECT coalesce((SELECT active_contracts FROM clients WHERE id = ?1), 0)";
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
		"SELECT c.id, c.full_name, count(*), sum(k.discount_cents), max(k.created_at)"
		" FROM contracts k JOIN clients c ON c.id = k.client_id"
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
