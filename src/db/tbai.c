// SPDX-License-Identifier: MIT
// TicketBAI signing in the database (include/harreman/db_tbai.h): the read of the
// lowest pending invoice with its business, the invoice it rectifies and its
// predecessor in the chain, and the one transaction that stores its signed file.
// The order itself is sql/0013_tbai.sql's trigger; the UPDATE checks it too, so a
// conflict changes nothing instead of failing the transaction. Sending: the next
// signed invoice to send, each answer kept (tbai_submissions), retry and the list.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_invoices.h"
#include "harreman/db_json.h"
#include "harreman/db_tbai.h"
#include "harreman/limits.h"
#include "harreman/banned.h"

void hm_db_tbai_pending_free(struct hm_db_tbai_pending *p)
{
	char *texts[] = {p->series,
			 p->issued_on,
			 p->kind,
			 p->customer_name,
			 p->customer_tax_id,
			 p->customer_address,
			 p->lines,
			 p->rectified_series,
			 p->rectified_issued_on,
			 p->legal_name,
			 p->nif,
			 p->address,
			 p->postcode,
			 p->territory,
			 p->prev_series,
			 p->prev_issued_on,
			 p->prev_signature};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		free(texts[i]);
	memset(p, 0, sizeof *p);
}

/* Every owned text of one row of next_pending's query; false when one that must be
 * there is missing or out of memory. */
static bool pending_from_row(sqlite3_stmt *stmt, struct hm_db_tbai_pending *p)
{
	p->id = sqlite3_column_int64(stmt, 0);
	p->series = hm_db_column_strdup(stmt, 1);
	p->number = sqlite3_column_int64(stmt, 2);
	p->issued_at = sqlite3_column_int64(stmt, 3);
	p->issued_on = hm_db_column_strdup(stmt, 4);
	p->kind = hm_db_column_strdup(stmt, 5);
	p->customer_name = hm_db_column_strdup(stmt, 6);
	p->customer_tax_id = hm_db_column_strdup(stmt, 7);
	p->customer_address = hm_db_column_strdup(stmt, 8);
	p->lines = hm_db_column_strdup(stmt, 9);
	p->base_cents = sqlite3_column_int64(stmt, 10);
	p->vat_percent = sqlite3_column_int(stmt, 11);
	p->vat_cents = sqlite3_column_int64(stmt, 12);
	p->total_cents = sqlite3_column_int64(stmt, 13);
	p->rectified_series = hm_db_column_strdup(stmt, 14);
	p->rectified_number = sqlite3_column_int64(stmt, 15);
	p->rectified_issued_on = hm_db_column_strdup(stmt, 16);
	p->legal_name = hm_db_column_strdup(stmt, 17);
	p->nif = hm_db_column_strdup(stmt, 18);
	p->address = hm_db_column_strdup(stmt, 19);
	p->postcode = hm_db_column_strdup(stmt, 20);
	p->territory = hm_db_column_strdup(stmt, 21);
	p->prev_id = sqlite3_column_int64(stmt, 22);
	p->prev_series = hm_db_column_strdup(stmt, 23);
	p->prev_number = sqlite3_column_int64(stmt, 24);
	p->prev_issued_on = hm_db_column_strdup(stmt, 25);
	p->prev_signature = hm_db_column_strdup(stmt, 26);
	return p->series && p->issued_on && p->kind && p->customer_name && p->lines &&
	       p->legal_name && p->nif && p->territory &&
	       (!p->prev_id || (p->prev_series && p->prev_issued_on && p->prev_signature));
}

enum hm_err hm_db_tbai_next_pending(struct hm_db *db, int64_t after, struct hm_db_tbai_pending *out)
{
	/* All invoices below the lowest pending one are signed (the chain trigger), so
	 * its predecessor is the invoice with the next lower id (signed, or after: the
	 * caller's, signed and not stored yet). */
	static const char sql[] =
		"SELECT i.id, i.series, i.number, i.issued_at, i.issued_on, i.kind,"
		" i.customer_name, i.customer_tax_id, i.customer_address, i.lines, i.base_cents,"
		" i.vat_percent, i.vat_cents, i.total_cents, r.series, r.number, r.issued_on,"
		" b.legal_name, b.nif, b.address, b.postcode, b.territory,"
		" p.id, p.series, p.number, p.issued_on, p.tbai_signature"
		" FROM invoices i JOIN business b ON b.id = 1 AND b.is_set = 1"
		" AND b.nif IS NOT NULL AND b.territory IS NOT NULL"
		" LEFT JOIN invoices r ON r.id = i.rectifies"
		" LEFT JOIN invoices p ON p.id = (SELECT max(id) FROM invoices WHERE id < i.id)"
		" WHERE i.id = (SELECT min(id) FROM invoices WHERE tbai_status = 'pending'"
		" AND id > ?1)";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	enum hm_err err = HM_ERR_NOT_FOUND;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		err = pending_from_row(stmt, out) ? HM_OK : HM_ERR_INTERNAL;
	else if (rc != SQLITE_DONE)
		err = hm_db_fail(db, "read pending invoice");
	hm_db_done(stmt);
	if (err != HM_OK)
		hm_db_tbai_pending_free(out);
	return err;
}

enum hm_err hm_db_tbai_store_signed(struct hm_db *db, const struct hm_db_tbai_signed *s, size_t n)
{
	static const char sql[] =
		"UPDATE invoices SET tbai_status = 'signed', tbai_xml = ?2, tbai_signature = ?3,"
		" tbai_id = ?4, tbai_qr_url = ?5, signed_at = ?6"
		" WHERE id = ?1 AND tbai_status = 'pending'"
		" AND coalesce((SELECT max(id) FROM invoices WHERE id < ?1), 0) = ?7"
		" AND NOT EXISTS (SELECT 1 FROM invoices WHERE id < ?1 AND tbai_status = 'pending')";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	/* In order: each one's predecessor is signed by the time it is stored. */
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		sqlite3_bind_int64(stmt, 1, s[i].id);
		sqlite3_bind_text(stmt, 2, s[i].xml, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, s[i].signature, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, s[i].tbai_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, s[i].qr_url, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, s[i].signed_at);
		sqlite3_bind_int64(stmt, 7, s[i].prev_id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "store signed invoice");
		else if (sqlite3_changes(hm_db_handle(db)) != 1)
			err = HM_ERR_CONFLICT;
		hm_db_done(stmt);
	}
	return hm_db_end(db, err);
}

/* ---- sending ---------------------------------------------------------------------- */

enum hm_err hm_db_tbai_next_to_send(struct hm_db *db, int64_t *id, char **xml, int *attempts)
{
	static const char sql[] =
		"SELECT i.id, i.tbai_xml, (SELECT count(*) FROM tbai_submissions s"
		" WHERE s.invoice_id = i.id) FROM invoices i"
		" WHERE i.tbai_status = 'signed' ORDER BY i.id LIMIT 1";
	*xml = NULL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	enum hm_err err = HM_ERR_NOT_FOUND;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(stmt, 0);
		*xml = hm_db_column_strdup(stmt, 1);
		*attempts = sqlite3_column_int(stmt, 2);
		err = *xml ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read invoice to send");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_tbai_record(struct hm_db *db, const struct hm_db_tbai_answer *a)
{
	static const char insert[] =
		"INSERT INTO tbai_submissions (invoice_id, attempt, sent_at, http_status, estado,"
		" codes, body, error) VALUES (?1, (SELECT count(*) + 1 FROM tbai_submissions"
		" WHERE invoice_id = ?1), ?2, ?3, ?4, ?5, substr(?6, 1, 2000), ?7)";
	static const char update[] = "UPDATE invoices SET tbai_status = ?2, tbai_error = ?3"
				     " WHERE id = ?1 AND tbai_status = 'signed'";
	const char *status = !a->estado                     ? NULL
			     : strcmp(a->estado, "00") == 0 ? "accepted"
							    : "rejected";
	if (!status && a->http_status >= 200 && a->http_status < 300)
		status = "sent"; /* answered, without a state we can read */
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, insert, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, a->invoice_id);
		sqlite3_bind_int64(stmt, 2, a->sent_at);
		sqlite3_bind_int(stmt, 3, a->http_status);
		hm_db_bind_text_or_null(stmt, 4, a->estado);
		hm_db_bind_text_or_null(stmt, 5, a->codes);
		hm_db_bind_text_or_null(stmt, 6, a->body);
		hm_db_bind_text_or_null(stmt, 7, a->error);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "record submission");
	}
	hm_db_done(stmt);
	if (err == HM_OK && status) {
		stmt = hm_db_stmt(db, update);
		if (!stmt)
			err = HM_ERR_INTERNAL;
		if (stmt) {
			sqlite3_bind_int64(stmt, 1, a->invoice_id);
			sqlite3_bind_text(stmt, 2, status, -1, SQLITE_STATIC);
			hm_db_bind_text_or_null(stmt, 3,
						strcmp(status, "rejected") == 0 ? a->codes : NULL);
			if (sqlite3_step(stmt) != SQLITE_DONE)
				err = hm_db_fail(db, "invoice sent");
		}
		hm_db_done(stmt);
	}
	return hm_db_end(db, err);
}

enum hm_err hm_db_tbai_retry(struct hm_db *db, int64_t id, const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"UPDATE invoices SET tbai_status = 'signed', tbai_error = NULL"
		" WHERE id = ?1 AND tbai_status IN ('signed', 'sent', 'accepted', 'rejected')";
	static const char exists[] = "SELECT 1 FROM invoices WHERE id = ?1";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "retry submission");
		else if (sqlite3_changes(hm_db_handle(db)) == 0)
			err = HM_ERR_CONFLICT;
	}
	hm_db_done(stmt);
	if (err == HM_ERR_CONFLICT) { /* pending, or no such invoice */
		stmt = hm_db_stmt(db, exists);
		if (stmt) {
			sqlite3_bind_int64(stmt, 1, id);
			if (sqlite3_step(stmt) != SQLITE_ROW)
				err = HM_ERR_NOT_FOUND;
		}
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "invoice.tbai_retry", "invoice", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_invoices_get(db, id, 0, out);
	return hm_db_end(db, err);
}

static json_t *submission_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:I, s:i, s:o, s:i, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "invoice_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "attempt",
			 sqlite3_column_int(stmt, 2), "sent_at", hm_db_json_time(stmt, 3),
			 "http_status", sqlite3_column_int(stmt, 4), "estado",
			 hm_db_json_text(stmt, 5), "codes", hm_db_json_text(stmt, 6), "body",
			 hm_db_json_text(stmt, 7), "error", hm_db_json_text(stmt, 8));
}

enum hm_err hm_db_tbai_submissions(struct hm_db *db, int64_t after, int limit, json_t **items,
				   int64_t *next_after)
{
	static const char sql[] =
		"SELECT id, invoice_id, attempt, sent_at, http_status, estado, codes, body, error"
		" FROM tbai_submissions WHERE id > ?1 ORDER BY id LIMIT ?2";
	if (limit > HM_PAGE_MAX)
		limit = HM_PAGE_MAX;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	return hm_db_page(db, stmt, limit, submission_from_row, items, next_after);
}
