// SPDX-License-Identifier: MIT
// SEPA mandates in the database (include/harreman/db_payments.h): create with the
// next reference, revoke, list. The full IBAN is stored and read only by the
// direct-debit file and the admin's export; every JSON made here carries it
// masked (src/domain/sepa.c), and audit rows name the reference only.
#include "harreman/audit.h"
#include "harreman/db_json.h"
#include "harreman/db_payments.h"
#include "harreman/sepa.h"
#include "harreman/banned.h"

#define MANDATE_COLUMNS "id, client_id, reference, iban, holder_name, signed_on, status"

static json_t *mandate_from_row(sqlite3_stmt *stmt)
{
	char masked[HM_IBAN_MASKED_MAX + 1];
	hm_iban_mask((const char *)sqlite3_column_text(stmt, 3), masked);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "reference",
			 (const char *)sqlite3_column_text(stmt, 2), "iban_masked", masked,
			 "holder_name", (const char *)sqlite3_column_text(stmt, 4), "signed_on",
			 (const char *)sqlite3_column_text(stmt, 5), "status",
			 (const char *)sqlite3_column_text(stmt, 6));
}

static enum hm_err read_mandate(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT " MANDATE_COLUMNS " FROM mandates WHERE id = ?1";
	return hm_db_row_by_id(db, sql, id, mandate_from_row, out, "read mandate");
}

static enum hm_err audit_mandate(struct hm_db *db, const char *action, int64_t id,
				 const struct hm_actor *who, json_t *mandate)
{
	json_t *detail = json_pack("{s:O, s:O}", "reference", json_object_get(mandate, "reference"),
				   "client_id", json_object_get(mandate, "client_id"));
	enum hm_err err = hm_audit_record(db, who->user_id, action, "mandate", id, detail,
					  who->request_id, who->now);
	json_decref(detail);
	return err;
}

/* The reference: "HRM-<client>-<next mandate id>", unique under the write lock. */
static enum hm_err insert_mandate(struct hm_db *db, int64_t client_id,
				  const struct hm_mandate_input *in, int64_t now, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO mandates (client_id, reference, iban, holder_name, signed_on,"
		" created_at) SELECT ?1,"
		" 'HRM-' || ?1 || '-' || (SELECT coalesce(max(id), 0) + 1 FROM mandates),"
		" ?2, ?3, ?4, ?5"
		" WHERE NOT EXISTS (SELECT 1 FROM mandates WHERE client_id = ?1 AND status = 'active')";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_text(stmt, 2, in->iban, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, in->holder_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, in->signed_on, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 5, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert mandate");
	if (sqlite3_changes(hm_db_handle(db)) == 0)
		return HM_ERR_CONFLICT; /* an active mandate already */
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	return HM_OK;
}

enum hm_err hm_db_mandates_create(struct hm_db *db, int64_t client_id,
				  const struct hm_mandate_input *in, const struct hm_actor *who,
				  json_t **out)
{
	int64_t id = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_payments_client_found(db, client_id);
	if (err == HM_OK)
		err = insert_mandate(db, client_id, in, who->now, &id);
	if (err == HM_OK)
		err = read_mandate(db, id, out);
	if (err == HM_OK)
		err = audit_mandate(db, "mandate.create", id, who, *out);
	if (err != HM_OK && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return hm_db_end(db, err);
}

enum hm_err hm_db_mandates_revoke(struct hm_db *db, int64_t id, const struct hm_actor *who,
				  json_t **out)
{
	static const char sql[] = "UPDATE mandates SET status = 'revoked', revoked_at = ?2"
				  " WHERE id = ?1 AND status = 'active'";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, who->now);
		int rc = sqlite3_step(stmt);
		hm_db_done(stmt);
		if (rc != SQLITE_DONE)
			err = hm_db_fail(db, "revoke mandate");
	}
	bool changed = err == HM_OK && sqlite3_changes(hm_db_handle(db)) > 0;
	if (err == HM_OK)
		err = read_mandate(db, id, out); /* HM_ERR_NOT_FOUND: no such mandate */
	if (err == HM_OK && !changed)
		err = HM_ERR_CONFLICT;
	if (err == HM_OK)
		err = audit_mandate(db, "mandate.revoke", id, who, *out);
	if (err != HM_OK && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return hm_db_end(db, err);
}

enum hm_err hm_db_mandates_list(struct hm_db *db, int64_t client_id, json_t **items)
{
	static const char sql[] = "SELECT " MANDATE_COLUMNS " FROM mandates WHERE client_id = ?1"
				  " ORDER BY id";
	enum hm_err err = hm_db_payments_client_found(db, client_id);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, client_id);
	return hm_db_rows(db, stmt, mandate_from_row, items, "list mandates");
}
