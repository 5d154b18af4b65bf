// SPDX-License-Identifier: MIT
// Invoices in the database (include/harreman/db_invoices.h): the business row,
// issuing an invoice inside a contract's transaction and a rectifying one inside a
// cancellation's, and the reads of the invoice routes (an invoice's JSON is built
// here, beside the SQL that reads it). Numbers, immutability and the write-once
// TicketBAI columns are sql/0009_invoices.sql's triggers; the amounts are
// src/domain/invoice.c's.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_invoices.h"
#include "harreman/db_json.h"
#include "harreman/hours.h"
#include "harreman/invoice.h"
#include "harreman/limits.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* ---- the business ---------------------------------------------------------- */

static json_t *business_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:i, s:o, s:o}", "legal_name",
			 hm_db_json_text(stmt, 0), "nif", hm_db_json_text(stmt, 1), "address",
			 hm_db_json_text(stmt, 2), "postcode", hm_db_json_text(stmt, 3), "city",
			 hm_db_json_text(stmt, 4), "territory", hm_db_json_text(stmt, 5),
			 "invoice_series", (const char *)sqlite3_column_text(stmt, 6), "vat_exempt",
			 sqlite3_column_int(stmt, 7), "vat_percent", sqlite3_column_int(stmt, 8),
			 "creditor_id", hm_db_json_text(stmt, 9), "creditor_iban",
			 hm_db_json_text(stmt, 10));
}

enum hm_err hm_db_business_get(struct hm_db *db, json_t **out)
{
	static const char sql[] =
		"SELECT legal_name, nif, address, postcode, city, territory, invoice_series,"
		" vat_exempt, vat_percent, creditor_id, creditor_iban FROM business WHERE id = ?1";
	return hm_db_row_by_id(db, sql, 1, business_from_row, out, "read business");
}

enum hm_err hm_db_business_put(struct hm_db *db, const struct hm_business_input *in,
			       const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"UPDATE business SET legal_name = ?1, nif = ?2, address = ?3, postcode = ?4,"
		" city = ?5, territory = ?6, invoice_series = ?7, vat_exempt = ?8,"
		" vat_percent = ?9, creditor_id = ?10, is_set = 1, updated_at = ?11,"
		" creditor_iban = ?12 WHERE id = 1";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		const char *texts[] = {in->legal_name,    in->nif,  in->address,
				       in->postcode,      in->city, in->territory,
				       in->invoice_series};
		for (int i = 0; i < 7; i++)
			sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 8, in->vat_exempt);
		sqlite3_bind_int(stmt, 9, in->vat_percent);
		hm_db_bind_text_or_null(stmt, 10, in->creditor_id);
		hm_db_bind_text_or_null(stmt, 12, in->creditor_iban);
		sqlite3_bind_int64(stmt, 11, who->now);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "put business");
	}
	hm_db_done(stmt);
	if (err == HM_OK) {
		json_t *detail = json_pack("{s:s, s:s, s:s, s:b, s:i}", "nif", in->nif, "territory",
					   in->territory, "invoice_series", in->invoice_series,
					   "vat_exempt", in->vat_exempt, "vat_percent",
					   in->vat_percent);
		err = detail ? hm_audit_record(db, who->user_id, "business.put", "business", 1,
					       detail, who->request_id, who->now)
			     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	if (err == HM_OK)
		err = hm_db_business_get(db, out);
	return hm_db_end(db, err);
}

/* ---- issuing ------------------------------------------------------------------ */

/* An invoice to insert: texts borrowed. */
struct new_invoice {
	const char *series, *kind, *customer_name, *customer_tax_id, *customer_address;
	int64_t client_id, contract_id, rectifies; /* 0: none */
	const char *lines;                         /* JSON array text */
	int64_t total_cents;
	int vat_percent;
	int64_t now;
};

#define DATE_LEN 16 /* "YYYY-MM-DD" and room */

/* The business's local date of t, "YYYY-MM-DD". */
static void local_date(int64_t t, char out[DATE_LEN])
{
	int64_t day = 0, y = 0;
	unsigned m = 0, d = 0;
	int weekday = 0;
	hm_local_day(t, &day, &weekday);
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(out, DATE_LEN, "%04d-%02u-%02u", (int)(y % 10000), m % 100, d % 100);
}

static enum hm_err insert_invoice(struct hm_db *db, const struct new_invoice *n,
				  int64_t *invoice_id)
{
	/* The number: the largest of the series + 1, read under the write lock through
	 * UNIQUE (series, number); the trigger invoices_number_next checks it again. */
	static const char sql[] =
		"INSERT INTO invoices (series, number, issued_at, issued_on, kind, client_id,"
		" contract_id, rectifies, customer_name, customer_tax_id, customer_address, lines,"
		" base_cents, vat_percent, vat_cents, total_cents) VALUES (?1,"
		" (SELECT coalesce(max(number), 0) + 1 FROM invoices WHERE series = ?1),"
		" ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
	char day[DATE_LEN];
	int64_t base = 0, vat = 0;
	hm_invoice_vat_split(n->total_cents, n->vat_percent, &base, &vat);
	local_date(n->now, day);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	/* Every text outlives the step (the caller's row or buffers): bound static. */
	sqlite3_bind_text(stmt, 1, n->series, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, n->now);
	sqlite3_bind_text(stmt, 3, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, n->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, n->client_id);
	if (n->contract_id)
		sqlite3_bind_int64(stmt, 6, n->contract_id);
	if (n->rectifies)
		sqlite3_bind_int64(stmt, 7, n->rectifies);
	sqlite3_bind_text(stmt, 8, n->customer_name, -1, SQLITE_STATIC);
	hm_db_bind_text_or_null(stmt, 9, n->customer_tax_id);
	hm_db_bind_text_or_null(stmt, 10, n->customer_address);
	sqlite3_bind_text(stmt, 11, n->lines, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 12, base);
	sqlite3_bind_int(stmt, 13, n->vat_percent);
	sqlite3_bind_int64(stmt, 14, vat);
	sqlite3_bind_int64(stmt, 15, n->total_cents);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert invoice");
	if (invoice_id)
		*invoice_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	return HM_OK;
}

/* A JSON string of text (NULL: "") at out[*len..cap), escaped; false when it does
 * not fit. Names are checked text already; escaping keeps any byte safe anyway. */
static bool json_text(char *out, size_t cap, size_t *len, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = *len;
	if (n >= cap)
		return false;
	out[n++] = '"';
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
		if (n + 6 >= cap)
			return false;
		if (*p == '"' || *p == '\\') {
			out[n++] = '\\';
			out[n++] = (char)*p;
		} else if (*p < 0x20) {
			memcpy(out + n, "\\u00", 4);
			out[n + 4] = hex[*p >> 4];
			out[n + 5] = hex[*p & 15];
			n += 6;
		} else {
			out[n++] = (char)*p;
		}
	}
	if (n + 1 >= cap)
		return false;
	out[n++] = '"';
	out[n] = '\0';
	*len = n;
	return true;
}

/* Appends one line {description, quantity, unit_price_cents, discount_cents,
 * amount_cents} to the JSON array text at out (a leading comma after the first);
 * false when it does not fit. */
static bool add_line(char *out, size_t cap, size_t *len, const char *description, int64_t quantity,
		     int64_t unit, int64_t discount, int64_t amount)
{
	int n = snprintf(out + *len, cap - *len, "%s{\"description\":", *len > 1 ? "," : "");
	if (n < 0 || (size_t)n >= cap - *len)
		return false;
	*len += (size_t)n;
	if (!json_text(out, cap, len, description))
		return false;
	n = snprintf(out + *len, cap - *len,
		     ",\"quantity\":%lld,\"unit_price_cents\":%lld,\"discount_cents\":%lld,"
		     "\"amount_cents\":%lld}",
		     (long long)quantity, (long long)unit, (long long)discount, (long long)amount);
	if (n < 0 || (size_t)n >= cap - *len)
		return false;
	*len += (size_t)n;
	return true;
}

/* Closes the array text; false when it does not fit. */
static bool end_lines(char *out, size_t cap, size_t *len)
{
	if (*len + 2 > cap)
		return false;
	out[(*len)++] = ']';
	out[*len] = '\0';
	return true;
}

/* Room for the lines of one invoice: two names of at most HM_MAX_NAME characters
 * (4 bytes each, 6 when escaped) and the figures. */
#define LINES_MAX (2 * 6 * 4 * HM_MAX_NAME + 512)

enum hm_err hm_db_invoices_issue_contract(struct hm_db *db, const struct hm_invoice_contract *c,
					  int64_t *invoice_id)
{
	/* The client as the invoice names it, the settings and the lines' names, in
	 * one read; its texts are bound straight into the INSERT while it is open
	 * (two statements of one connection, no copies: this runs in every booking). */
	static const char sql[] =
		"SELECT c.full_name, c.tax_id, c.billing_address, b.invoice_series,"
		" b.vat_exempt, b.vat_percent, (SELECT name FROM services WHERE id = ?2),"
		" (SELECT name FROM gifts WHERE id = ?3)"
		" FROM clients c, business b WHERE c.id = ?1 AND b.id = 1";
	char lines[LINES_MAX] = "[";
	size_t len = 1;
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, c->client_id);
	sqlite3_bind_int64(stmt, 2, c->service_id);
	sqlite3_bind_int64(stmt, 3, c->gift_id);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "invoice terms");
		goto out;
	}
	const char *name = (const char *)sqlite3_column_text(stmt, 0);
	const char *tax_id = (const char *)sqlite3_column_text(stmt, 1);
	const char *address = (const char *)sqlite3_column_text(stmt, 2);
	const char *series = (const char *)sqlite3_column_text(stmt, 3);
	int vat_percent = sqlite3_column_int(stmt, 4) ? 0 : sqlite3_column_int(stmt, 5);
	const char *service = (const char *)sqlite3_column_text(stmt, 6);
	const char *gift = (const char *)sqlite3_column_text(stmt, 7);
	if (!name || !series ||
	    !add_line(lines, sizeof lines, &len, service, c->sessions, c->unit_cents,
		      c->discount_cents, c->price_cents) ||
	    (c->gift_id && !add_line(lines, sizeof lines, &len, gift, 1, 0, 0, 0)) ||
	    !end_lines(lines, sizeof lines, &len))
		goto out;
	bool full = tax_id && address;
	struct new_invoice n = {
		.series = series,
		.kind = full ? "full" : "simplified",
		.customer_name = name,
		.customer_tax_id = full ? tax_id : NULL,
		.customer_address = full ? address : NULL,
		.client_id = c->client_id,
		.contract_id = c->contract_id,
		.lines = lines,
		.total_cents = c->price_cents,
		.vat_percent = vat_percent,
		.now = c->now,
	};
	err = insert_invoice(db, &n, invoice_id);
out:
	hm_db_done(stmt); /* after the INSERT: its texts were bound from this row */
	return err;
}

/* The original invoice of a contract, as a rectifying one needs it. */
struct original {
	int64_t id, client_id;
	char *series, *name, *tax_id, *address, *description;
	int vat_percent, sessions;
	bool one_off;
	int64_t list_cents, discount_cents, unit_cents;
};

static void original_free(struct original *o)
{
	free(o->series);
	free(o->name);
	free(o->tax_id);
	free(o->address);
	free(o->description);
}

static enum hm_err read_original(struct hm_db *db, int64_t contract_id, struct original *o)
{
	static const char sql[] =
		"SELECT i.id, i.client_id, i.series, i.customer_name, i.customer_tax_id,"
		" i.customer_address, i.vat_percent, k.kind = 'one_off', k.sessions_total,"
		" k.list_price_cents, k.discount_cents, i.lines ->> '$[0].description',"
		" i.lines ->> '$[0].unit_price_cents'"
		" FROM contracts k JOIN invoices i ON i.client_id = k.client_id AND i.contract_id = k.id"
		" WHERE k.id = ?1 AND i.kind <> 'rectifying'"
		" AND NOT EXISTS (SELECT 1 FROM invoices r WHERE r.rectifies = i.id)"
		" ORDER BY i.id LIMIT 1";
	memset(o, 0, sizeof *o);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, contract_id);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_ERR_NOT_FOUND;
	if (rc == SQLITE_ROW) {
		o->id = sqlite3_column_int64(stmt, 0);
		o->client_id = sqlite3_column_int64(stmt, 1);
		o->series = hm_db_column_strdup(stmt, 2);
		o->name = hm_db_column_strdup(stmt, 3);
		o->tax_id = hm_db_column_strdup(stmt, 4);
		o->address = hm_db_column_strdup(stmt, 5);
		o->vat_percent = sqlite3_column_int(stmt, 6);
		o->one_off = sqlite3_column_int(stmt, 7) != 0;
		o->sessions = sqlite3_column_int(stmt, 8);
		o->list_cents = sqlite3_column_int64(stmt, 9);
		o->discount_cents = sqlite3_column_int64(stmt, 10);
		o->description = hm_db_column_strdup(stmt, 11);
		o->unit_cents = sqlite3_column_int64(stmt, 12);
		err = o->series && o->name ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read invoice of contract");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_invoices_rectify_contract(struct hm_db *db, int64_t contract_id, int unused,
					    int64_t now)
{
	struct original o;
	struct hm_refund refund;
	char series[HM_INVOICE_SERIES_MAX + 3];
	enum hm_err err = read_original(db, contract_id, &o);
	if (err == HM_ERR_NOT_FOUND) /* made before invoices existed, or rectified */
		return HM_OK;
	if (err != HM_OK)
		goto out;
	if (o.one_off)
		unused = o.sessions;
	err = HM_ERR_INTERNAL;
	if (!hm_invoice_refund(o.list_cents, o.discount_cents, o.sessions, unused, &refund))
		goto out;
	err = HM_OK;
	if (refund.list_cents == 0 && refund.amount_cents == 0)
		goto out; /* nothing refunded: no invoice */
	err = HM_ERR_INTERNAL;
	if (snprintf(series, sizeof series, "%sR", o.series) >= (int)sizeof series)
		goto out;
	char lines[LINES_MAX] = "[";
	size_t len = 1;
	if (!add_line(lines, sizeof lines, &len, o.description, -(int64_t)unused, o.unit_cents,
		      -refund.discount_cents, -refund.amount_cents) ||
	    !end_lines(lines, sizeof lines, &len))
		goto out;
	struct new_invoice n = {
		.series = series,
		.kind = "rectifying",
		.customer_name = o.name,
		.customer_tax_id = o.tax_id,
		.customer_address = o.address,
		.client_id = o.client_id,
		.contract_id = contract_id,
		.rectifies = o.id,
		.lines = lines,
		.total_cents = -refund.amount_cents,
		.vat_percent = o.vat_percent,
		.now = now,
	};
	err = insert_invoice(db, &n, NULL);
out:
	original_free(&o);
	return err;
}

/* ---- reads ------------------------------------------------------------------- */

#define INVOICE_COLUMNS                                                                   \
	"i.id, i.series, i.number, i.issued_at, i.kind, i.client_id, i.contract_id,"      \
	" i.rectifies, i.lines, i.base_cents, i.vat_percent, i.vat_cents, i.total_cents," \
	" i.paid_cents, i.status, i.tbai_id, i.tbai_qr_url, i.tbai_status, i.tbai_error"
#define INVOICE_N_COLUMNS 19

static json_t *invoice_from_row(sqlite3_stmt *stmt)
{
	const char *text = (const char *)sqlite3_column_text(stmt, 8);
	json_t *lines = text ? json_loads(text, 0, NULL) : NULL;
	if (!lines)
		return NULL;
	return json_pack(
		"{s:I, s:s, s:I, s:o, s:s, s:I, s:o, s:o, s:o, s:I, s:i, s:I, s:I, s:I, s:s,"
		" s:{s:o, s:o, s:s, s:o}}",
		"id", (json_int_t)sqlite3_column_int64(stmt, 0), "series",
		(const char *)sqlite3_column_text(stmt, 1), "number",
		(json_int_t)sqlite3_column_int64(stmt, 2), "issued_at", hm_db_json_time(stmt, 3),
		"kind", (const char *)sqlite3_column_text(stmt, 4), "client_id",
		(json_int_t)sqlite3_column_int64(stmt, 5), "contract_id", hm_db_json_int(stmt, 6),
		"rectifies", hm_db_json_int(stmt, 7), "lines", lines, "base_cents",
		(json_int_t)sqlite3_column_int64(stmt, 9), "vat_percent",
		sqlite3_column_int(stmt, 10), "vat_cents",
		(json_int_t)sqlite3_column_int64(stmt, 11), "total_cents",
		(json_int_t)sqlite3_column_int64(stmt, 12), "paid_cents",
		(json_int_t)sqlite3_column_int64(stmt, 13), "status",
		(const char *)sqlite3_column_text(stmt, 14), "tbai", "id",
		hm_db_json_text(stmt, 15), "qr_url", hm_db_json_text(stmt, 16), "status",
		(const char *)sqlite3_column_text(stmt, 17), "error", hm_db_json_text(stmt, 18));
}

/* The cached statement of sql with ?1 = invoice id and ?2 = client_id (0: any
 * client), or NULL. */
static sqlite3_stmt *invoice_stmt(struct hm_db *db, const char *sql, int64_t id, int64_t client_id)
{
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, client_id);
	}
	return stmt;
}

/* "i.client_id is one of ?2's family" (API.md v2: a student sees the family's invoices). */
#define IN_FAMILY_OF_2                                        \
	" IN (SELECT m.id FROM clients m WHERE m.family_id =" \
	" (SELECT o.family_id FROM clients o WHERE o.id = ?2))"

enum hm_err hm_db_invoices_get(struct hm_db *db, int64_t id, int64_t client_id, json_t **out)
{
	static const char sql[] = "SELECT " INVOICE_COLUMNS " FROM invoices i WHERE i.id = ?1"
				  " AND (?2 = 0 OR i.client_id" IN_FAMILY_OF_2 ")";
	return hm_db_row(db, invoice_stmt(db, sql, id, client_id), invoice_from_row, out,
			 "read invoice");
}

/* One page of the invoices sql selects (?1 after, ?2 a client, ?3..?4 days). */
static enum hm_err invoices_page(struct hm_db *db, const char *sql, int64_t client_id,
				 const char *from, const char *to, int64_t after, int limit,
				 json_t **items, int64_t *next_after)
{
	if (limit > HM_PAGE_MAX)
		limit = HM_PAGE_MAX;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, client_id);
	hm_db_bind_text_or_null(stmt, 3, from);
	hm_db_bind_text_or_null(stmt, 4, to);
	sqlite3_bind_int(stmt, 5, limit + 1);
	return hm_db_page(db, stmt, limit, invoice_from_row, items, next_after);
}

#define INVOICES_SQL(who)                                                     \
	"SELECT " INVOICE_COLUMNS " FROM invoices i WHERE i.id > ?1 AND " who \
	" AND (?3 IS NULL OR i.issued_on >= ?3)"                              \
	" AND (?4 IS NULL OR i.issued_on <= ?4) ORDER BY i.id LIMIT ?5"

enum hm_err hm_db_invoices_list(struct hm_db *db, int64_t client_id, const char *from,
				const char *to, int64_t after, int limit, json_t **items,
				int64_t *next_after)
{
	static const char sql[] = INVOICES_SQL("(?2 = 0 OR i.client_id = ?2)");
	return invoices_page(db, sql, client_id, from, to, after, limit, items, next_after);
}

enum hm_err hm_db_invoices_list_family(struct hm_db *db, int64_t client_id, const char *from,
				       const char *to, int64_t after, int limit, json_t **items,
				       int64_t *next_after)
{
	static const char sql[] = INVOICES_SQL("i.client_id" IN_FAMILY_OF_2);
	return invoices_page(db, sql, client_id, from, to, after, limit, items, next_after);
}

enum hm_err hm_db_invoices_xml(struct hm_db *db, int64_t id, int64_t client_id, char **xml)
{
	static const char sql[] = "SELECT tbai_status = 'pending', tbai_xml FROM invoices"
				  " WHERE id = ?1 AND (?2 = 0 OR client_id" IN_FAMILY_OF_2 ")";
	sqlite3_stmt *stmt = invoice_stmt(db, sql, id, client_id);
	if (!stmt)
		return HM_ERR_INTERNAL;
	enum hm_err err = HM_ERR_NOT_FOUND;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		bool pending = sqlite3_column_int(stmt, 0) != 0 ||
			       sqlite3_column_type(stmt, 1) == SQLITE_NULL;
		*xml = pending ? NULL : hm_db_column_strdup(stmt, 1);
		err = pending ? HM_ERR_CONFLICT : *xml ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read invoice xml");
	}
	hm_db_done(stmt);
	return err;
}

static json_t *print_from_row(sqlite3_stmt *stmt)
{
	const int k = INVOICE_N_COLUMNS;
	json_t *invoice = invoice_from_row(stmt);
	json_t *business = json_null();
	if (sqlite3_column_int(stmt, k + 11))
		business = json_pack(
			"{s:o, s:o, s:o, s:o, s:o}", "legal_name", hm_db_json_text(stmt, k + 6),
			"nif", hm_db_json_text(stmt, k + 7), "address",
			hm_db_json_text(stmt, k + 8), "postcode", hm_db_json_text(stmt, k + 9),
			"city", hm_db_json_text(stmt, k + 10));
	if (!invoice || !business) {
		json_decref(invoice);
		json_decref(business);
		return NULL;
	}
	return json_pack("{s:o, s:s, s:{s:s, s:o, s:o}, s:o, s:s, s:o}", "invoice", invoice,
			 "issued_on", (const char *)sqlite3_column_text(stmt, k), "customer",
			 "name", (const char *)sqlite3_column_text(stmt, k + 1), "tax_id",
			 hm_db_json_text(stmt, k + 2), "address", hm_db_json_text(stmt, k + 3),
			 "rectifies_number", hm_db_json_text(stmt, k + 4), "locale",
			 (const char *)sqlite3_column_text(stmt, k + 5), "business", business);
}

enum hm_err hm_db_invoices_print(struct hm_db *db, int64_t id, int64_t client_id, json_t **out)
{
	static const char sql[] =
		"SELECT " INVOICE_COLUMNS ", i.issued_on, i.customer_name, i.customer_tax_id,"
		" i.customer_address, (SELECT r.series || '-' || r.number FROM invoices r"
		"  WHERE r.id = i.rectifies), c.locale, b.legal_name, b.nif, b.address,"
		" b.postcode, b.city, b.is_set"
		" FROM invoices i JOIN clients c ON c.id = i.client_id, business b"
		" WHERE i.id = ?1 AND (?2 = 0 OR i.client_id" IN_FAMILY_OF_2 ") AND b.id = 1";
	return hm_db_row(db, invoice_stmt(db, sql, id, client_id), print_from_row, out,
			 "read invoice to print");
}
