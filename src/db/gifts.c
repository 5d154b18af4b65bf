// SPDX-License-Identifier: MIT
// Branded gifts in the database (include/harreman/db_gifts.h): the list, one gift,
// and their writes, each one transaction with its audit row. Which contract gets
// a gift is decided in hm_db_contracts_insert.
#include <stdlib.h>

#include "harreman/audit.h"
#include "harreman/db_gifts.h"
#include "harreman/banned.h"

/* A gift with its stock (the last column says whether to show it) or whether it is
 * in stock. */
static json_t *gift_from_row(sqlite3_stmt *stmt)
{
	int64_t stock = sqlite3_column_int64(stmt, 3);
	json_t *gift = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0),
				 "key", (const char *)sqlite3_column_text(stmt, 1), "name",
				 (const char *)sqlite3_column_text(stmt, 2));
	if (gift && sqlite3_column_int(stmt, 4))
		json_object_set_new(gift, "stock", json_integer(stock));
	else if (gift)
		json_object_set_new(gift, "in_stock", json_boolean(stock > 0));
	return gift;
}

/* Gifts with id (0: all), by id, into a new array. */
static enum hm_err gifts_json(struct hm_db *db, int64_t id, bool show_stock, json_t **items)
{
	static const char sql[] = "SELECT id, key, name, stock, ?2 FROM gifts"
				  " WHERE (?1 = 0 OR id = ?1) ORDER BY id";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int(stmt, 2, show_stock);
	}
	return hm_db_rows(db, stmt, gift_from_row, items, "list gifts");
}

enum hm_err hm_db_gifts_list(struct hm_db *db, bool show_stock, json_t **items)
{
	return gifts_json(db, 0, show_stock, items);
}

enum hm_err hm_db_gifts_get(struct hm_db *db, int64_t id, json_t **out)
{
	json_t *items = NULL;
	enum hm_err err = id > 0 ? gifts_json(db, id, true, &items) : HM_ERR_NOT_FOUND;
	if (err == HM_OK && json_array_size(items) == 0)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK && out)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return err;
}

/* Runs the write of a gift (create: id is 0 and becomes the new one's), audits it
 * and reads it back, in one transaction. */
static enum hm_err write_gift(struct hm_db *db, int64_t id, const struct hm_gift_input *in,
			      const struct hm_actor *who, json_t **out)
{
	static const char insert_sql[] = "INSERT INTO gifts (key, name, stock) VALUES (?1, ?2, ?3)";
	static const char update_sql[] = "UPDATE gifts SET name = coalesce(?2, name),"
					 " stock = coalesce(?3, stock) WHERE id = ?1";
	bool create = id == 0;
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin_stmt(db, create ? insert_sql : update_sql, &stmt);
	if (err == HM_OK) {
		if (create) {
			sqlite3_bind_text(stmt, 1, in->key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, in->name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 3, in->stock);
		} else {
			sqlite3_bind_int64(stmt, 1, id);
			hm_db_bind_text_or_null(stmt, 2, in->name);
			if (in->stock_present)
				sqlite3_bind_int64(stmt, 3, in->stock);
		}
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_CONSTRAINT_UNIQUE)
			err = HM_ERR_CONFLICT;
		else if (rc != SQLITE_DONE)
			err = hm_db_fail(db, "write gift");
		else if (create)
			id = sqlite3_last_insert_rowid(hm_db_handle(db));
		else if (sqlite3_changes(hm_db_handle(db)) == 0)
			err = HM_ERR_NOT_FOUND;
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, create ? "gift.create" : "gift.update",
				      "gift", id, in->detail, who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_gifts_get(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_gifts_create(struct hm_db *db, const struct hm_gift_input *in,
			       const struct hm_actor *who, json_t **out)
{
	return write_gift(db, 0, in, who, out);
}

enum hm_err hm_db_gifts_update(struct hm_db *db, int64_t id, const struct hm_gift_input *in,
			       const struct hm_actor *who, json_t **out)
{
	return id > 0 ? write_gift(db, id, in, who, out) : HM_ERR_NOT_FOUND;
}

/* ---- shared with the other resources (once src/db/crm.c) ---- */

json_t *hm_db_gifts_json(struct hm_db *db, int64_t gift_id)
{
	static const char sql[] = "SELECT id, key, name FROM gifts WHERE id = ?1";
	json_t *gift = NULL;
	if (gift_id <= 0)
		return json_null();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return NULL;
	sqlite3_bind_int64(stmt, 1, gift_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		gift = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0),
				 "key", (const char *)sqlite3_column_text(stmt, 1), "name",
				 (const char *)sqlite3_column_text(stmt, 2));
	else if (rc == SQLITE_DONE)
		gift = json_null(); /* deleted since: the contract keeps no gift to show */
	else
		(void)hm_db_fail(db, "read gift"); /* an error is not "no gift": NULL */
	hm_db_done(stmt);
	return gift;
}
