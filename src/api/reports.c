// SPDX-License-Identifier: MIT
// The accountant's book and the admin's monthly figures (API.md, "Payments and
// SEPA direct debits"; issue 15, items 5-6): GET /reports/book.csv?year=&quarter=
// &book=invoices|payments&dialect=rfc4180|semicolon (admin) writes the quarter's
// issued invoices or payments as CSV (src/util/csv.c); GET /reports/monthly?year=
// (admin) gives what was invoiced and collected in each month, for the chart;
// GET /reports/loyalty/review?year= (admin) the loyalty review's charts' figures.
#include <stdio.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/csv.h"
#include "harreman/db_book.h"
#include "harreman/db_contracts.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

#define BOOK_CAP ((size_t)64 * 1024 * 1024)
#define YEAR_MIN 2000
#define YEAR_MAX 2999

/* ?year= (YEAR_MIN..YEAR_MAX) into *year; an error into *fields when bad or
 * missing. */
static void query_year(const struct hm_request *req, int *year, json_t **fields)
{
	const char *text = hm_query_get(req, "year");
	int y = 0;
	bool ok = text && strlen(text) == 4;
	for (size_t i = 0; ok && i < 4; i++) {
		ok = text[i] >= '0' && text[i] <= '9';
		y = y * 10 + (text[i] - '0');
	}
	if (!ok || y < YEAR_MIN || y > YEAR_MAX)
		hm_api_add_field(fields, "year", "must be a year from 2000 to 2999");
	*year = y;
}

/* The book's query, every bad parameter named at once. */
struct book_query {
	int year, quarter;
	bool payments;
	enum hm_csv_dialect dialect;
};

static bool read_book_or_reply(struct hm_request *req, struct hm_reply *reply, struct book_query *q)
{
	json_t *fields = NULL;
	const char *quarter = hm_query_get(req, "quarter");
	const char *book = hm_query_get(req, "book");
	const char *dialect = hm_query_get(req, "dialect");
	memset(q, 0, sizeof *q);
	query_year(req, &q->year, &fields);
	if (quarter && strlen(quarter) == 1 && quarter[0] >= '1' && quarter[0] <= '4')
		q->quarter = quarter[0] - '0';
	else
		hm_api_add_field(&fields, "quarter", "must be 1, 2, 3 or 4");
	if (book && strcmp(book, "payments") == 0)
		q->payments = true;
	else if (book && strcmp(book, "invoices") != 0)
		hm_api_add_field(&fields, "book", "must be invoices or payments");
	if (!dialect)
		q->dialect = HM_CSV_RFC4180;
	else if (!hm_csv_dialect_parse(dialect, &q->dialect))
		hm_api_add_field(&fields, "dialect", "must be rfc4180 or semicolon");
	if (fields) {
		hm_reply_invalid(reply, fields);
		return false;
	}
	return true;
}

/* One column of a book: its title, the item's key, and how the value is written. */
enum book_cell { CELL_TEXT, CELL_INT, CELL_CENTS };
struct book_column {
	const char *title;
	const char *key;
	enum book_cell cell;
};

static const struct book_column invoice_columns[] = {
	{"number", "number", CELL_TEXT},
	{"issued_on", "issued_on", CELL_TEXT},
	{"kind", "kind", CELL_TEXT},
	{"customer_name", "customer_name", CELL_TEXT},
	{"customer_tax_id", "customer_tax_id", CELL_TEXT},
	{"rectifies", "rectifies", CELL_TEXT},
	{"base", "base_cents", CELL_CENTS},
	{"vat_percent", "vat_percent", CELL_INT},
	{"vat", "vat_cents", CELL_CENTS},
	{"total", "total_cents", CELL_CENTS},
	{"paid", "paid_cents", CELL_CENTS},
	{"status", "status", CELL_TEXT},
	{NULL, NULL, CELL_TEXT},
};

static const struct book_column payment_columns[] = {
	{"id", "id", CELL_INT},
	{"paid_on", "paid_on", CELL_TEXT},
	{"method", "method", CELL_TEXT},
	{"client_id", "client_id", CELL_INT},
	{"client", "client_name", CELL_TEXT},
	{"amount", "amount_cents", CELL_CENTS},
	{"collected", "collected_cents", CELL_CENTS},
	{"settled", "settled_cents", CELL_CENTS},
	{"invoices", "invoices", CELL_TEXT},
	{NULL, NULL, CELL_TEXT},
};

/* The header row, then one row per item of items. */
static void book_csv(struct hm_csv *csv, const struct book_column *columns, json_t *items)
{
	for (const struct book_column *c = columns; c->title; c++)
		hm_csv_str(csv, c->title);
	hm_csv_end_row(csv);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		for (const struct book_column *c = columns; c->title; c++) {
			json_t *v = json_object_get(it, c->key);
			if (c->cell == CELL_TEXT)
				hm_csv_str(csv, json_string_value(v));
			else if (c->cell == CELL_INT)
				hm_csv_int(csv, json_integer_value(v));
			else
				hm_csv_cents(csv, json_integer_value(v));
		}
		hm_csv_end_row(csv);
	}
}

void hm_api_reports_book(struct hm_request *req, struct hm_reply *reply)
{
	struct book_query q;
	json_t *items = NULL;
	if (!read_book_or_reply(req, reply, &q))
		return;
	int64_t from = hm_days_from_civil(q.year, (unsigned)(3 * q.quarter - 2), 1);
	int64_t to = q.quarter == 4 ? hm_days_from_civil(q.year + 1, 1, 1)
				    : hm_days_from_civil(q.year, (unsigned)(3 * q.quarter + 1), 1);
	enum hm_err err = q.payments ? hm_db_book_payments(req->db, from, to, &items)
				     : hm_db_book_invoices(req->db, from, to, &items);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	struct hm_buf out;
	struct hm_csv csv;
	hm_buf_init(&out, BOOK_CAP);
	hm_csv_begin(&csv, &out, q.dialect);
	book_csv(&csv, q.payments ? payment_columns : invoice_columns, items);
	json_decref(items);
	size_t len = 0;
	char *body = csv.ok ? hm_buf_detach(&out, &len) : NULL;
	hm_buf_release(&out);
	if (!body) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	char disposition[96];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s-%04d-Q%d%s.csv\"",
		 q.payments ? "payments" : "invoices", q.year, q.quarter,
		 q.dialect == HM_CSV_SEMICOLON ? "-es" : "");
	hm_reply_raw_owned(reply, 200, "text/csv; charset=utf-8; header=present", body, len);
	hm_reply_header(reply, "Content-Disposition", disposition);
	hm_reply_header(reply, "Cache-Control", "private, no-store");
}

/* GET /reports/loyalty/review?year= (admin): the loyalty review's figures for
 * the admin's charts (src/db/contracts.c). */
void hm_api_loyalty_review(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL, *out = NULL;
	int year = 0;
	query_year(req, &year, &fields);
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	enum hm_err err = hm_db_contracts_loyalty_review(req->db, year, &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_reports_monthly(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL, *out = NULL;
	int year = 0;
	query_year(req, &year, &fields);
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	enum hm_err err = hm_db_book_monthly(req->db, year, &out);
	hm_api_reply_result(reply, err, 200, out);
}
