// SPDX-License-Identifier: MIT
// The accountant's book and the monthly figures (include/harreman/db_book.h):
// reads of invoices (by their local issue date, issued_on) and payments (by the
// business's local day of paid_at: the span's bounds become instants here).
#include <stdio.h>
#include <string.h>

#include "harreman/db_book.h"
#include "harreman/db_json.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

static void day_text(int64_t day, char out[11])
{
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

static json_t *invoice_from_row(sqlite3_stmt *stmt)
{
	return json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:i, s:I, s:I, s:I, s:o}", "number",
		hm_db_json_text(stmt, 0), "issued_on", hm_db_json_text(stmt, 1), "kind",
		hm_db_json_text(stmt, 2), "customer_name", hm_db_json_text(stmt, 3),
		"customer_tax_id", hm_db_json_text(stmt, 4), "rectifies", hm_db_json_text(stmt, 5),
		"base_cents", (json_int_t)sqlite3_column_int64(stmt, 6), "vat_percent",
		sqlite3_column_int(stmt, 7), "vat_cents", (json_int_t)sqlite3_column_int64(stmt, 8),
		"total_cents", (json_int_t)sqlite3_column_int64(stmt, 9), "paid_cents",
		(json_int_t)sqlite3_column_int64(stmt, 10), "status", hm_db_json_text(stmt, 11));
}

enum hm_err hm_db_book_invoices(struct hm_db *db, int64_t from_day, int64_t to_day, json_t **items)
{
	static const char sql[] =
		"SELECT i.series || '-' || i.number, i.issued_on, i.kind, i.customer_name,"
		" i.customer_tax_id, (SELECT r.series || '-' || r.number FROM invoices r"
		" WHERE r.id = i.rectifies), i.base_cents, i.vat_percent, i.vat_cents,"
		" i.total_cents, i.paid_cents, i.status FROM invoices i"
		" WHERE i.issued_on >= ?1 AND i.issued_on < ?2 ORDER BY i.series, i.number LIMIT ?3";
	char from[11], to[11];
	day_text(from_day, from);
	day_text(to_day, to);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_text(stmt, 1, from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, to, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 3, HM_BOOK_ROWS_MAX);
	}
	return hm_db_rows(db, stmt, invoice_from_row, items, "book invoices");
}

static json_t *payment_from_row(sqlite3_stmt *stmt)
{
	int64_t paid_at = sqlite3_column_int64(stmt, 1), day;
	int weekday;
	char on[11];
	hm_local_day(paid_at, &day, &weekday);
	day_text(day, on);
	const char *invoices = (const char *)sqlite3_column_text(stmt, 7);
	return json_pack(
		"{s:I, s:o, s:s, s:o, s:I, s:o, s:I, s:I, s:I, s:s}", "id",
		(json_int_t)sqlite3_column_int64(stmt, 0), "paid_at", hm_db_json_time(stmt, 1),
		"paid_on", on, "method", hm_db_json_text(stmt, 2), "client_id",
		(json_int_t)sqlite3_column_int64(stmt, 3), "client_name", hm_db_json_text(stmt, 4),
		"amount_cents", (json_int_t)sqlite3_column_int64(stmt, 5), "settled_cents",
		(json_int_t)sqlite3_column_int64(stmt, 6), "collected_cents",
		(json_int_t)sqlite3_column_int64(stmt, 8), "invoices", invoices ? invoices : "");
}

/* A payment's columns for the book: collected = its amount less what returns took
 * back (their negative allocations). */
#define PAYMENT_BOOK_SQL                                                                        \
	"SELECT p.id, p.paid_at, p.method, p.client_id, c.full_name, p.amount_cents,"           \
	" (SELECT coalesce(sum(a.amount_cents), 0) FROM payment_allocations a"                  \
	"  WHERE a.payment_id = p.id),"                                                         \
	" (SELECT group_concat(n, ' ') FROM (SELECT DISTINCT i.series || '-' || i.number AS n"  \
	"  FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id"                   \
	"  WHERE a.payment_id = p.id AND a.amount_cents > 0 ORDER BY a.id)),"                   \
	" p.amount_cents + (SELECT coalesce(sum(a.amount_cents), 0) FROM payment_allocations a" \
	"  WHERE a.payment_id = p.id AND a.amount_cents < 0)"                                   \
	" FROM payments p JOIN clients c ON c.id = p.client_id"                                 \
	" WHERE p.paid_at >= ?1 AND p.paid_at < ?2"

enum hm_err hm_db_book_payments(struct hm_db *db, int64_t from_day, int64_t to_day, json_t **items)
{
	static const char sql[] = PAYMENT_BOOK_SQL " ORDER BY p.paid_at, p.id LIMIT ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, hm_local_instant(from_day, 0));
		sqlite3_bind_int64(stmt, 2, hm_local_instant(to_day, 0));
		sqlite3_bind_int(stmt, 3, HM_BOOK_ROWS_MAX);
	}
	return hm_db_rows(db, stmt, payment_from_row, items, "book payments");
}

/* The invoiced total of each month of year into invoiced[0..11]. */
static enum hm_err invoiced_by_month(struct hm_db *db, int year, int64_t invoiced[12])
{
	static const char sql[] =
		"SELECT CAST(substr(issued_on, 6, 2) AS INTEGER), sum(total_cents) FROM invoices"
		" WHERE issued_on >= ?1 AND issued_on < ?2 GROUP BY 1";
	char from[24], to[24];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-01-01", year + 1);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, to, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int month = sqlite3_column_int(stmt, 0);
		if (month >= 1 && month <= 12)
			invoiced[month - 1] = sqlite3_column_int64(stmt, 1);
	}
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "invoiced by month");
}

/* What was collected in each month of year (by each payment's local day). */
static enum hm_err collected_by_month(struct hm_db *db, int year, int64_t collected[12])
{
	static const char sql[] = PAYMENT_BOOK_SQL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	int64_t from, to;
	hm_local_year_bounds(year, &from, &to);
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int month = hm_local_month_in_year(sqlite3_column_int64(stmt, 1), year);
		if (month >= 0)
			collected[month] += sqlite3_column_int64(stmt, 8);
	}
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "collected by month");
}

enum hm_err hm_db_book_monthly(struct hm_db *db, int year, json_t **out)
{
	int64_t invoiced[12] = {0}, collected[12] = {0}, total_in = 0, total_col = 0;
	enum hm_err err = invoiced_by_month(db, year, invoiced);
	if (err == HM_OK)
		err = collected_by_month(db, year, collected);
	if (err != HM_OK)
		return err;
	json_t *months = json_array();
	for (int i = 0; months && i < 12; i++) {
		char month[8];
		snprintf(month, sizeof month, "%04d-%02d", year, i + 1);
		total_in += invoiced[i];
		total_col += collected[i];
		if (json_array_append_new(
			    months, json_pack("{s:s, s:I, s:I}", "month", month, "invoiced_cents",
					      (json_int_t)invoiced[i], "collected_cents",
					      (json_int_t)collected[i])) != 0) {
			json_decref(months);
			months = NULL;
		}
	}
	*out = months ? json_pack("{s:i, s:o, s:I, s:I}", "year", year, "months", months,
				  "invoiced_cents", (json_int_t)total_in, "collected_cents",
				  (json_int_t)total_col)
		      : NULL;
	return *out ? HM_OK : HM_ERR_INTERNAL;
}
