// SPDX-License-Identifier: MIT
// Partners (include/harreman/db_partners.h): the partners table of
// sql/0011_referrals.sql, listed, created and changed (each write one transaction
// with its audit row). Which families belong to one is families.partner_id.
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_json.h"
#include "harreman/db_partners.h"
#include "harreman/limits.h"
#include "harreman/banned.h"

#define PARTNER_COLUMNS                                                                   \
	"SELECT id, name, kind, code, discount_percent, contact_email, active,"           \
	" (SELECT count(*) FROM families f WHERE f.partner_id = partners.id), created_at" \
	" FROM partners"

static json_t *partner_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:o, s:b, s:i, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "name",
			 (const char *)sqlite3_column_text(stmt, 1), "kind",
			 (const char *)sqlite3_column_text(stmt, 2), "code",
			 (const char *)sqlite3_column_text(stmt, 3), "discount_percent",
			 sqlite3_column_int(stmt, 4), "contact_email", hm_db_json_text(stmt, 5),
			 "active", sqlite3_column_int(stmt, 6) != 0, "families",
			 sqlite3_column_int(stmt, 7), "created_at", hm_db_json_time(stmt, 8));
}

enum hm_err hm_db_partners_list(struct hm_db *db, int64_t after, int limit, json_t **items,
				int64_t *next_after)
{
	static const char sql[] = PARTNER_COLUMNS " WHERE id > ?1 ORDER BY id LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	return hm_db_page(db, stmt, limit, partner_from_row, items, next_after);
}

static enum hm_err partner_json(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = PARTNER_COLUMNS " WHERE id = ?1";
	return hm_db_row_by_id(db, sql, id, partner_from_row, out, "read partner");
}

/* Runs a bound write: HM_ERR_CONFLICT for a taken code, HM_ERR_NOT_FOUND when it
 * changed nothing. */
static enum hm_err partner_write(struct hm_db *db, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);
	bool changed = sqlite3_changes(hm_db_handle(db)) > 0;
	int ext = sqlite3_extended_errcode(hm_db_handle(db));
	const char *msg = sqlite3_errmsg(hm_db_handle(db));
	bool taken = rc != SQLITE_DONE &&
		     (ext == SQLITE_CONSTRAINT_UNIQUE || (msg && strcmp(msg, "code_taken") == 0));
	hm_db_done(stmt);
	if (taken)
		return HM_ERR_CONFLICT;
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, what);
	return changed ? HM_OK : HM_ERR_NOT_FOUND;
}

static void bind_partner(sqlite3_stmt *stmt, const struct hm_partner_input *in, int64_t now)
{
	hm_db_bind_text_or_null(stmt, 2, in->name);
	hm_db_bind_text_or_null(stmt, 3, in->kind);
	hm_db_bind_text_or_null(stmt, 4, in->code);
	if (in->discount_percent >= 0)
		sqlite3_bind_int(stmt, 5, in->discount_percent);
	hm_db_bind_text_or_null(stmt, 6, in->contact_email);
	if (in->active >= 0)
		sqlite3_bind_int(stmt, 7, in->active);
	sqlite3_bind_int64(stmt, 8, now);
	sqlite3_bind_int(stmt, 9, in->contact_present);
}

enum hm_err hm_db_partners_create(struct hm_db *db, const struct hm_partner_input *in,
				  const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"INSERT INTO partners (name, kind, code, discount_percent, contact_email, active,"
		" created_at, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, coalesce(?7, 1), ?8, ?8)";
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		bind_partner(stmt, in, who->now);
		err = partner_write(db, stmt, "insert partner");
	} else {
		hm_db_done(stmt);
	}
	if (err == HM_OK) {
		id = sqlite3_last_insert_rowid(hm_db_handle(db));
		err = hm_audit_record(db, who->user_id, "partner.create", "partner", id, NULL,
				      who->request_id, who->now);
	}
	if (err == HM_OK)
		err = partner_json(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_partners_update(struct hm_db *db, int64_t id, const struct hm_partner_input *in,
				  const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"UPDATE partners SET name = coalesce(?2, name), kind = coalesce(?3, kind),"
		" code = coalesce(?4, code), discount_percent = coalesce(?5, discount_percent),"
		" contact_email = CASE WHEN ?9 THEN ?6 ELSE contact_email END,"
		" active = coalesce(?7, active), updated_at = ?8 WHERE id = ?1";
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		bind_partner(stmt, in, who->now);
		err = partner_write(db, stmt, "update partner");
	} else {
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "partner.update", "partner", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = partner_json(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_partners_exists(struct hm_db *db, int64_t id, bool *exists)
{
	static const char sql[] = "SELECT 1 FROM partners WHERE id = ?1";
	return hm_db_exists_by_id(db, sql, id, exists, "partner exists");
}
