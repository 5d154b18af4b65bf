// SPDX-License-Identifier: MIT
// Direct-debit runs in the database (include/harreman/db_direct_debits.h): making a
// run (the candidates read first, then written item by item: the trigger of
// sql/0014_payments.sql refuses an invoice another open run holds, so two admins
// racing never collect one invoice twice), the data of its pain.008 file,
// settling (a direct_debit payment per collection) and returns (the allocation
// undone by a negative one).
#include <stdlib.h>

#include "harreman/audit.h"
#include "harreman/db_direct_debits.h"
#include "harreman/db_json.h"
#include "harreman/db_payments.h"
#include "harreman/outbox.h"
#include "harreman/sepa.h"
#include "harreman/banned.h"

#define RUN_COLUMNS                                                                        \
	"r.id, r.collection_date, r.status,"                                               \
	" (SELECT json_group_array(json_object('invoice_id', d.invoice_id, 'client_id',"   \
	"  d.client_id, 'mandate_reference', m.reference, 'amount_cents', d.amount_cents," \
	"  'sequence', d.sequence, 'returned_reason', d.returned_reason))"                 \
	"  FROM direct_debit_items d JOIN mandates m ON m.id = d.mandate_id"               \
	"  WHERE d.run_id = r.id ORDER BY d.invoice_id)"

static json_t *run_from_row(sqlite3_stmt *stmt)
{
	const char *text = (const char *)sqlite3_column_text(stmt, 3);
	json_t *items = text ? json_loads(text, 0, NULL) : json_array();
	if (!items)
		return NULL;
	json_int_t count = 0, total = 0;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		if (json_is_null(json_object_get(item, "returned_reason"))) {
			count++;
			total += json_integer_value(json_object_get(item, "amount_cents"));
		}
	}
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "collection_date",
			 (const char *)sqlite3_column_text(stmt, 1), "status",
			 (const char *)sqlite3_column_text(stmt, 2), "count", count, "total_cents",
			 total, "items", items);
}

static enum hm_err read_run(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM direct_debit_runs r WHERE r.id = ?1";
	return hm_db_row_by_id(db, sql, id, run_from_row, out, "read direct debit");
}

static enum hm_err audit_run(struct hm_db *db, const char *action, int64_t id,
			     const struct hm_actor *who, json_t *detail)
{
	enum hm_err err = hm_audit_record(db, who->user_id, action, "direct_debit", id, detail,
					  who->request_id, who->now);
	json_decref(detail);
	return err;
}

static json_t *candidate_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:b}", "invoice_id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "mandate_id",
			 (json_int_t)sqlite3_column_int64(stmt, 2), "amount_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 3), "collected",
			 sqlite3_column_int(stmt, 4));
}

/* Every invoice with something due of a client with an active mandate that no open
 * run holds; collected: whether its mandate has a settled, unreturned collection. */
static enum hm_err read_candidates(struct hm_db *db, json_t **items)
{
	static const char sql[] =
		"SELECT i.id, i.client_id, m.id, i.total_cents - i.paid_cents,"
		" EXISTS (SELECT 1 FROM direct_debit_items d JOIN direct_debit_runs r"
		"  ON r.id = d.run_id WHERE d.mandate_id = m.id AND r.status = 'settled'"
		"  AND d.returned_reason IS NULL)"
		/* The family's active mandate (the oldest, when two members signed one). */
		" FROM invoices i JOIN clients ic ON ic.id = i.client_id JOIN mandates m"
		"  ON m.id = (SELECT m2.id FROM mandates m2 JOIN clients c2 ON c2.id = m2.client_id"
		"  WHERE c2.family_id = ic.family_id AND m2.status = 'active' ORDER BY m2.id LIMIT 1)"
		" WHERE i.total_cents > i.paid_cents AND NOT EXISTS (SELECT 1"
		"  FROM direct_debit_items d JOIN direct_debit_runs r ON r.id = d.run_id"
		"  WHERE d.invoice_id = i.id AND r.status = 'open' AND d.returned_reason IS NULL)"
		" ORDER BY i.client_id, i.issued_at, i.id";
	return hm_db_rows(db, hm_db_stmt(db, sql), candidate_from_row, items,
			  "direct debit candidates");
}

static enum hm_err insert_item(struct hm_db *db, int64_t run, json_t *c)
{
	static const char sql[] =
		"INSERT INTO direct_debit_items (run_id, invoice_id, client_id, mandate_id,"
		" amount_cents, sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, run);
	sqlite3_bind_int64(stmt, 2, json_integer_value(json_object_get(c, "invoice_id")));
	sqlite3_bind_int64(stmt, 3, json_integer_value(json_object_get(c, "client_id")));
	sqlite3_bind_int64(stmt, 4, json_integer_value(json_object_get(c, "mandate_id")));
	sqlite3_bind_int64(stmt, 5, json_integer_value(json_object_get(c, "amount_cents")));
	sqlite3_bind_text(stmt, 6, hm_sepa_sequence(json_is_true(json_object_get(c, "collected"))),
			  -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "insert direct debit item");
}

static enum hm_err insert_run(struct hm_db *db, const char *date, const struct hm_actor *who,
			      int64_t *id)
{
	static const char sql[] = "INSERT INTO direct_debit_runs (collection_date, created_at,"
				  " created_by) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, who->now);
	if (who->user_id)
		sqlite3_bind_int64(stmt, 3, who->user_id);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert direct debit");
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	return HM_OK;
}

enum hm_err hm_db_direct_debits_create(struct hm_db *db, const char *collection_date,
				       const struct hm_actor *who, const struct hm_outbox_env *env,
				       json_t **out)
{
	json_t *candidates = NULL;
	int64_t id = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = read_candidates(db, &candidates);
	if (err == HM_OK && json_array_size(candidates) == 0)
		err = HM_ERR_CONFLICT;
	if (err == HM_OK)
		err = insert_run(db, collection_date, who, &id);
	for (size_t i = 0; err == HM_OK && i < json_array_size(candidates); i++)
		err = insert_item(db, id, json_array_get(candidates, i));
	json_decref(candidates);
	if (err == HM_OK)
		err = hm_outbox_debit_notices(db, env, id, who->now);
	if (err == HM_OK)
		err = read_run(db, id, out);
	if (err == HM_OK)
		err = audit_run(db, "direct_debit.create", id, who,
				json_pack("{s:s, s:O, s:O}", "collection_date", collection_date,
					  "count", json_object_get(*out, "count"), "total_cents",
					  json_object_get(*out, "total_cents")));
	if (err != HM_OK && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return hm_db_end(db, err);
}

enum hm_err hm_db_direct_debits_list(struct hm_db *db, int limit, json_t **items)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM direct_debit_runs r"
				  " ORDER BY r.id DESC LIMIT ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int(stmt, 1, limit);
	return hm_db_rows(db, stmt, run_from_row, items, "list direct debits");
}

static json_t *file_from_row(sqlite3_stmt *stmt)
{
	const char *text = (const char *)sqlite3_column_text(stmt, 7);
	json_t *items = text ? json_loads(text, 0, NULL) : json_array();
	if (!items)
		return NULL;
	return json_pack("{s:I, s:I, s:s, s:{s:o, s:o, s:o, s:o}, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "created_at_unix",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "collection_date",
			 (const char *)sqlite3_column_text(stmt, 2), "business", "legal_name",
			 hm_db_json_text(stmt, 3), "nif", hm_db_json_text(stmt, 4), "creditor_id",
			 hm_db_json_text(stmt, 5), "creditor_iban", hm_db_json_text(stmt, 6),
			 "items", items);
}

enum hm_err hm_db_direct_debits_file(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] =
		"SELECT r.id, r.created_at, r.collection_date, b.legal_name, b.nif,"
		" b.creditor_id, b.creditor_iban,"
		" (SELECT json_group_array(json_object('invoice_id', d.invoice_id,"
		"  'invoice_number', i.series || '-' || i.number, 'amount_cents', d.amount_cents,"
		"  'sequence', d.sequence, 'reference', m.reference, 'signed_on', m.signed_on,"
		"  'iban', m.iban, 'holder_name', m.holder_name))"
		"  FROM direct_debit_items d JOIN mandates m ON m.id = d.mandate_id"
		"  JOIN invoices i ON i.id = d.invoice_id"
		"  WHERE d.run_id = r.id AND d.returned_reason IS NULL ORDER BY d.invoice_id)"
		" FROM direct_debit_runs r JOIN business b ON b.id = 1 WHERE r.id = ?1";
	return hm_db_row_by_id(db, sql, id, file_from_row, out, "direct debit file");
}

/* The run's status: HM_OK and *open, or HM_ERR_NOT_FOUND. */
static enum hm_err run_open(struct hm_db *db, int64_t id, bool *open)
{
	static const char sql[] = "SELECT status = 'open' FROM direct_debit_runs WHERE id = ?1";
	int64_t v = 0;
	enum hm_err err = hm_db_int_by_id(db, sql, id, &v, "direct debit status");
	*open = v != 0;
	return err;
}

static json_t *collection_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "invoice_id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "amount_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 2), "due_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 3));
}

/* One payment per collection of run id not returned, settling at most what is due. */
static enum hm_err record_payments(struct hm_db *db, int64_t id, const struct hm_actor *who,
				   const struct hm_outbox_env *env)
{
	static const char sql[] =
		"SELECT d.invoice_id, d.client_id, d.amount_cents, i.total_cents - i.paid_cents"
		" FROM direct_debit_items d JOIN invoices i ON i.id = d.invoice_id"
		" WHERE d.run_id = ?1 AND d.returned_reason IS NULL ORDER BY d.invoice_id";
	json_t *rows = NULL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, id);
	enum hm_err err = hm_db_rows(db, stmt, collection_from_row, &rows, "direct debit items");
	for (size_t i = 0; err == HM_OK && i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		int64_t amount = json_integer_value(json_object_get(row, "amount_cents"));
		int64_t due = json_integer_value(json_object_get(row, "due_cents"));
		struct hm_payment_input p = {
			.client_id = json_integer_value(json_object_get(row, "client_id")),
			.amount_cents = amount,
			.method = "direct_debit",
			.direct_debit_id = id,
		};
		int64_t payment = 0;
		err = hm_db_payments_insert(db, &p, who, &payment);
		if (err == HM_OK && due > 0)
			err = hm_db_payments_allocate(
				db, payment, json_integer_value(json_object_get(row, "invoice_id")),
				amount < due ? amount : due);
		if (err == HM_OK)
			err = hm_outbox_payment_receipt(db, env, payment, who->now);
	}
	json_decref(rows);
	return err;
}

static enum hm_err mark_settled(struct hm_db *db, int64_t id, int64_t now)
{
	static const char sql[] = "UPDATE direct_debit_runs SET status = 'settled', settled_at = ?2"
				  " WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "settle direct debit");
}

enum hm_err hm_db_direct_debits_settle(struct hm_db *db, int64_t id, const struct hm_actor *who,
				       const struct hm_outbox_env *env, json_t **out)
{
	bool open = false;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = run_open(db, id, &open);
	if (err == HM_OK && !open)
		err = HM_ERR_CONFLICT;
	if (err == HM_OK)
		err = record_payments(db, id, who, env);
	if (err == HM_OK)
		err = mark_settled(db, id, who->now);
	if (err == HM_OK)
		err = read_run(db, id, out);
	if (err == HM_OK)
		err = audit_run(db, "direct_debit.settle", id, who,
				json_pack("{s:O, s:O}", "count", json_object_get(*out, "count"),
					  "total_cents", json_object_get(*out, "total_cents")));
	if (err != HM_OK && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return hm_db_end(db, err);
}

/* Marks the item returned: HM_ERR_VALIDATION_FAILED when the run has no such
 * invoice, HM_ERR_CONFLICT when returned already. */
static enum hm_err mark_returned(struct hm_db *db, int64_t id,
				 const struct hm_direct_debit_return *r)
{
	static const char sql[] =
		"UPDATE direct_debit_items SET returned_reason = ?3"
		" WHERE run_id = ?1 AND invoice_id = ?2 AND returned_reason IS NULL";
	static const char exists[] = "SELECT 1 FROM direct_debit_items"
				     " WHERE run_id = ?1 AND invoice_id = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, r->invoice_id);
	sqlite3_bind_text(stmt, 3, r->reason, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "return direct debit");
	if (sqlite3_changes(hm_db_handle(db)) > 0)
		return HM_OK;
	stmt = hm_db_stmt(db, exists);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, r->invoice_id);
	rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_ERR_CONFLICT;
	return rc == SQLITE_DONE ? HM_ERR_VALIDATION_FAILED : hm_db_fail(db, "direct debit item");
}

/* On a settled run: undoes what the collection's payment settled on the invoice. */
static enum hm_err undo_allocation(struct hm_db *db, int64_t id, int64_t invoice_id)
{
	static const char sql[] =
		"SELECT a.payment_id, sum(a.amount_cents) FROM payment_allocations a"
		" JOIN payments p ON p.id = a.payment_id"
		" WHERE p.direct_debit_id = ?1 AND a.invoice_id = ?2 GROUP BY a.payment_id";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, invoice_id);
	int64_t payment = 0, settled = 0;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		payment = sqlite3_column_int64(stmt, 0);
		settled = sqlite3_column_int64(stmt, 1);
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "direct debit payment");
	if (payment == 0 || settled <= 0)
		return HM_OK;
	return hm_db_payments_allocate(db, payment, invoice_id, -settled);
}

enum hm_err hm_db_direct_debits_return(struct hm_db *db, int64_t id,
				       const struct hm_direct_debit_return *returns, size_t n,
				       const struct hm_actor *who, json_t **out)
{
	bool open = false;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = run_open(db, id, &open);
	json_t *detail = json_array();
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		err = mark_returned(db, id, &returns[i]);
		if (err == HM_OK && !open)
			err = undo_allocation(db, id, returns[i].invoice_id);
		json_array_append_new(detail, json_pack("{s:I, s:s}", "invoice_id",
							(json_int_t)returns[i].invoice_id, "reason",
							returns[i].reason));
	}
	if (err == HM_OK)
		err = read_run(db, id, out);
	if (err == HM_OK)
		err = audit_run(db, "direct_debit.return", id, who,
				json_pack("{s:o}", "items", json_incref(detail)));
	json_decref(detail);
	if (err != HM_OK && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return hm_db_end(db, err);
}
