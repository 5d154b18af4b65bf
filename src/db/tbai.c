// SPDX-License-Identifier: MIT
// TicketBAI signing in the database (include/harreman/db_tbai.h): the read of the
// lowest pending invoice with its business, the invoice it rectifies and its
// predecessor in the chain, and the one transaction that stores its signed file.
// The order itself is sql/0013_tbai.sql's trigger; the UPDATE checks it too, so a
// conflict changes nothing instead of failing the transaction.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_tbai.h"
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

enum hm_err hm_db_tbai_next_pending(struct hm_db *db, struct hm_db_tbai_pending *out)
{
	/* All invoices below the lowest pending one are signed (the chain trigger), so
	 * its predecessor is the invoice with the next lower id. */
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
		" WHERE i.id = (SELECT min(id) FROM invoices WHERE tbai_status = 'pending')";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
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

enum hm_err hm_db_tbai_store_signed(struct hm_db *db, const struct hm_db_tbai_signed *s)
{
	static const char sql[] =
		"UPDATE invoices SET tbai_status = 'signed', tbai_xml = ?2, tbai_signature = ?3,"
		" tbai_id = ?4, tbai_qr_url = ?5, signed_at = ?6"
		" WHERE id = ?1 AND tbai_status = 'pending'"
		" AND coalesce((SELECT max(id) FROM invoices WHERE id < ?1), 0) = ?7"
		" AND NOT EXISTS (SELECT 1 FROM invoices WHERE id < ?1 AND tbai_status = 'pending')";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, s->id);
		sqlite3_bind_text(stmt, 2, s->xml, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, s->signature, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, s->tbai_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, s->qr_url, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, s->signed_at);
		sqlite3_bind_int64(stmt, 7, s->prev_id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "store signed invoice");
		else if (sqlite3_changes(hm_db_handle(db)) != 1)
			err = HM_ERR_CONFLICT;
	}
	hm_db_done(stmt);
	if (err == HM_OK) {
		json_t *detail = json_pack("{s:s, s:I}", "tbai_id", s->tbai_id, "previous",
					   (json_int_t)s->prev_id);
		err = detail ? hm_audit_record(db, 0, "invoice.signed", "invoice", s->id, detail,
					       NULL, s->signed_at)
			     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	return hm_db_end(db, err);
}
