// SPDX-License-Identifier: MIT
// Payments and balances in the database (include/harreman/db_payments.h): a
// payment, its allocations over the client's invoices (src/domain/sepa.c decides
// how a payment without an invoice spreads, oldest first; the allocation trigger of
// sql/0014_payments.sql moves paid_cents and status, and the invoices' bounds
// trigger refuses overpaying), the payment lists and a client's balance.
#include <stdlib.h>

#include "harreman/audit.h"
#include "harreman/db_clients.h"
#include "harreman/db_json.h"
#include "harreman/db_payments.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/sepa.h"
#include "harreman/banned.h"

/* The most unpaid invoices one payment spreads over. */
#define ALLOCATE_MAX 500

#define PAYMENT_COLUMNS                                                     \
	"p.id, p.client_id, p.method, p.amount_cents, p.paid_at,"           \
	" (SELECT json_group_array(json_object('invoice_id', a.invoice_id," \
	" 'amount_cents', a.amount_cents)) FROM payment_allocations a"      \
	" WHERE a.payment_id = p.id)"

enum hm_err hm_db_payments_client_found(struct hm_db *db, int64_t client_id)
{
	bool exists = false;
	enum hm_err err = hm_db_clients_exists(db, client_id, &exists);
	if (err == HM_OK && !exists)
		err = HM_ERR_NOT_FOUND;
	return err;
}

static json_t *payment_from_row(sqlite3_stmt *stmt)
{
	const char *text = (const char *)sqlite3_column_text(stmt, 5);
	json_t *allocations = text ? json_loads(text, 0, NULL) : json_array();
	if (!allocations)
		return NULL;
	return json_pack("{s:I, s:I, s:s, s:I, s:o, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "method",
			 (const char *)sqlite3_column_text(stmt, 2), "amount_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 3), "paid_at",
			 hm_db_json_time(stmt, 4), "allocations", allocations);
}

/* The client's invoices with something due, oldest first (one, when invoice_id):
 * ids[] and due[] (at most ALLOCATE_MAX), *n. */
/* "is a client of ?1's family": a family pays as one (API.md v2, "Families"). */
#define IN_FAMILY_OF_1                                        \
	" IN (SELECT m.id FROM clients m WHERE m.family_id =" \
	" (SELECT o.family_id FROM clients o WHERE o.id = ?1))"

static enum hm_err read_dues(struct hm_db *db, int64_t client_id, int64_t invoice_id, int64_t *ids,
			     int64_t *due, size_t *n)
{
	static const char sql[] =
		"SELECT id, total_cents - paid_cents FROM invoices WHERE client_id" IN_FAMILY_OF_1
		" AND total_cents > paid_cents AND (?2 = 0 OR id = ?2) AND NOT EXISTS (SELECT 1"
		" FROM direct_debit_items d JOIN direct_debit_runs r ON r.id = d.run_id"
		" WHERE d.invoice_id = invoices.id AND r.status = 'open'"
		" AND d.returned_reason IS NULL)"
		" ORDER BY issued_at, id LIMIT ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, invoice_id);
	sqlite3_bind_int(stmt, 3, ALLOCATE_MAX);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ids[*n] = sqlite3_column_int64(stmt, 0);
		due[*n] = sqlite3_column_int64(stmt, 1);
		(*n)++;
	}
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read dues");
}

/* Whether invoice_id is client_id's: HM_OK, HM_ERR_NOT_FOUND, or
 * HM_ERR_IN_DIRECT_DEBIT when an open run holds it (sql/0015's trigger says so
 * too: the run will collect it). */
static enum hm_err check_invoice(struct hm_db *db, int64_t client_id, int64_t invoice_id)
{
	static const char sql[] = "SELECT client_id FROM invoices WHERE id = ?1";
	static const char held_sql[] =
		"SELECT count(*) FROM direct_debit_items d JOIN direct_debit_runs r"
		" ON r.id = d.run_id WHERE d.invoice_id = ?1 AND r.status = 'open'"
		" AND d.returned_reason IS NULL";
	int64_t owner = 0, held = 0;
	enum hm_err err = hm_db_int_by_id(db, sql, invoice_id, &owner, "invoice owner");
	if (err == HM_OK && owner != client_id)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK)
		err = hm_db_int_by_id(db, held_sql, invoice_id, &held, "invoice held");
	if (err == HM_OK && held)
		err = HM_ERR_IN_DIRECT_DEBIT;
	return err;
}

enum hm_err hm_db_payments_insert(struct hm_db *db, const struct hm_payment_input *in,
				  const struct hm_actor *who, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO payments (client_id, method, amount_cents, paid_at,"
		" created_at, created_by, direct_debit_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, in->client_id);
	sqlite3_bind_text(stmt, 2, in->method, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, in->amount_cents);
	sqlite3_bind_int64(stmt, 4, in->paid_at ? in->paid_at : who->now);
	sqlite3_bind_int64(stmt, 5, who->now);
	if (who->user_id)
		sqlite3_bind_int64(stmt, 6, who->user_id);
	if (in->direct_debit_id)
		sqlite3_bind_int64(stmt, 7, in->direct_debit_id);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert payment");
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	return HM_OK;
}

enum hm_err hm_db_payments_allocate(struct hm_db *db, int64_t payment_id, int64_t invoice_id,
				    int64_t amount_cents)
{
	static const char sql[] = "INSERT INTO payment_allocations (payment_id, invoice_id,"
				  " amount_cents) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, payment_id);
	sqlite3_bind_int64(stmt, 2, invoice_id);
	sqlite3_bind_int64(stmt, 3, amount_cents);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "allocate payment");
}

static enum hm_err read_payment(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT " PAYMENT_COLUMNS " FROM payments p WHERE p.id = ?1";
	return hm_db_row_by_id(db, sql, id, payment_from_row, out, "read payment");
}

/* Spreads in over the client's dues and writes the payment: HM_ERR_VALIDATION_FAILED
 * when it is more than is due. */
static enum hm_err write_payment(struct hm_db *db, const struct hm_payment_input *in,
				 const struct hm_actor *who, int64_t *id)
{
	int64_t *ids = calloc(ALLOCATE_MAX, sizeof *ids);
	int64_t *due = calloc(ALLOCATE_MAX, sizeof *due);
	int64_t *applied = calloc(ALLOCATE_MAX, sizeof *applied);
	size_t n = 0;
	enum hm_err err = ids && due && applied ? HM_OK : HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = read_dues(db, in->client_id, in->invoice_id, ids, due, &n);
	if (err == HM_OK && !hm_payment_allocate(due, n, in->amount_cents, applied))
		err = HM_ERR_VALIDATION_FAILED;
	if (err == HM_OK)
		err = hm_db_payments_insert(db, in, who, id);
	for (size_t i = 0; err == HM_OK && i < n; i++)
		if (applied[i] > 0)
			err = hm_db_payments_allocate(db, *id, ids[i], applied[i]);
	free(ids);
	free(due);
	free(applied);
	return err;
}

enum hm_err hm_db_payments_create(struct hm_db *db, const struct hm_payment_input *in,
				  const struct hm_actor *who, const struct hm_outbox_env *env,
				  json_t **out)
{
	int64_t id = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_payments_client_found(db, in->client_id);
	if (err == HM_OK && in->invoice_id)
		err = check_invoice(db, in->client_id, in->invoice_id);
	if (err == HM_OK)
		err = write_payment(db, in, who, &id);
	if (err == HM_OK)
		err = hm_outbox_payment_receipt(db, env, id, who->now);
	if (err == HM_OK) {
		json_t *detail = json_pack("{s:I, s:s, s:I}", "client_id",
					   (json_int_t)in->client_id, "method", in->method,
					   "amount_cents", (json_int_t)in->amount_cents);
		err = hm_audit_record(db, who->user_id, "payment.create", "payment", id, detail,
				      who->request_id, who->now);
		json_decref(detail);
	}
	if (err == HM_OK)
		err = read_payment(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_payments_list(struct hm_db *db, int64_t client_id, int64_t after, int limit,
				json_t **items, int64_t *next_after)
{
	static const char sql[] = "SELECT " PAYMENT_COLUMNS " FROM payments p WHERE p.id > ?1"
				  " AND (?2 = 0 OR p.client_id = ?2) ORDER BY p.id LIMIT ?3";
	if (limit > HM_PAGE_MAX)
		limit = HM_PAGE_MAX;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, client_id);
	sqlite3_bind_int(stmt, 3, limit + 1);
	return hm_db_page(db, stmt, limit, payment_from_row, items, next_after);
}

static json_t *balance_from_row(sqlite3_stmt *stmt)
{
	const char *text = (const char *)sqlite3_column_text(stmt, 2);
	json_t *overdue = text ? json_loads(text, 0, NULL) : json_array();
	if (!overdue)
		return NULL;
	int64_t invoiced = sqlite3_column_int64(stmt, 0), paid = sqlite3_column_int64(stmt, 1);
	return json_pack("{s:I, s:I, s:I, s:o}", "invoiced_cents", (json_int_t)invoiced,
			 "paid_cents", (json_int_t)paid, "due_cents", (json_int_t)(invoiced - paid),
			 "overdue", overdue);
}

enum hm_err hm_db_payments_balance(struct hm_db *db, int64_t client_id, int64_t now, json_t **out)
{
	/* Rectifying invoices (negative totals) count as credit in invoiced_cents. */
	static const char sql[] =
		"SELECT coalesce(sum(total_cents), 0), coalesce(sum(paid_cents), 0),"
		" (SELECT json_group_array(id) FROM (SELECT id FROM invoices WHERE client_id" IN_FAMILY_OF_1
		"  AND total_cents > paid_cents AND issued_at <= ?2 - ?3 * 86400"
		" ORDER BY id)) FROM invoices WHERE client_id" IN_FAMILY_OF_1;
	enum hm_err err = hm_db_payments_client_found(db, client_id);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, client_id);
		sqlite3_bind_int64(stmt, 2, now);
		sqlite3_bind_int(stmt, 3, HM_OVERDUE_DAYS);
	}
	return hm_db_row(db, stmt, balance_from_row, out, "read balance");
}
