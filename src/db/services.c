// SPDX-License-Identifier: MIT
// Services (include/harreman/db_services.h): the services table as the catalogue
// shows it, with its Basque description and its translations (sql/0012). Owns
// the service object's JSON (read straight from its row), the
// paged list, and the create and update writes, each one transaction with its
// audit row.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_json.h"
#include "harreman/db_services.h"
#include "harreman/banned.h"

static json_t *service_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:I, s:i, s:b, s:s, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "name",
			 (const char *)sqlite3_column_text(stmt, 1), "subject",
			 (const char *)sqlite3_column_text(stmt, 2), "level",
			 (const char *)sqlite3_column_text(stmt, 3), "kind",
			 (const char *)sqlite3_column_text(stmt, 4), "duration_min",
			 sqlite3_column_int(stmt, 5), "price_cents",
			 (json_int_t)sqlite3_column_int64(stmt, 6), "capacity",
			 sqlite3_column_int(stmt, 7), "active", sqlite3_column_int(stmt, 8) != 0,
			 "description", (const char *)sqlite3_column_text(stmt, 9), "translations",
			 hm_db_json_object(stmt, 10));
}

/* Services with id > after (all when id is 0, else just that one). */
static enum hm_err services_page(struct hm_db *db, int64_t id, bool only_active, int64_t after,
				 int limit, json_t **items, int64_t *next_after)
{
	static const char sql[] =
		"SELECT id, name, subject, level, kind, duration_min, price_cents, capacity, active,"
		" description, translations FROM services WHERE id > ?1 AND (?2 = 0 OR id = ?2) AND (?3 = 0 OR active = 1)"
		" ORDER BY id LIMIT ?4";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, id);
	sqlite3_bind_int(stmt, 3, only_active);
	sqlite3_bind_int(stmt, 4, limit + 1);
	return hm_db_page(db, stmt, limit, service_from_row, items, next_after);
}

enum hm_err hm_db_services_list(struct hm_db *db, bool only_active, int64_t after, int limit,
				json_t **items, int64_t *next_after)
{
	return services_page(db, 0, only_active, after, limit, items, next_after);
}

enum hm_err hm_db_services_get(struct hm_db *db, int64_t id, json_t **out)
{
	json_t *items = NULL;
	int64_t next = 0;
	enum hm_err err = services_page(db, id, false, 0, 1, &items, &next);
	if (err == HM_OK && json_array_size(items) == 0)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return err;
}

/* Binds in to ?2..?11 as both statements below number them (?11: translations,
 * the JSON text, borrowed until the statement is done). */
static void bind_service(sqlite3_stmt *stmt, const struct hm_service_input *in,
			 const char *translations)
{
	hm_db_bind_text_or_null(stmt, 10, in->description);
	hm_db_bind_text_or_null(stmt, 11, translations);
	hm_db_bind_text_or_null(stmt, 2, in->name);
	hm_db_bind_text_or_null(stmt, 3, in->subject);
	hm_db_bind_text_or_null(stmt, 4, in->level);
	hm_db_bind_text_or_null(stmt, 5, in->kind);
	if (in->duration_present)
		sqlite3_bind_int64(stmt, 6, in->duration_min);
	if (in->price_present)
		sqlite3_bind_int64(stmt, 7, in->price_cents);
	if (in->capacity_present)
		sqlite3_bind_int64(stmt, 8, in->capacity);
	if (in->active_present)
		sqlite3_bind_int(stmt, 9, in->active);
}

enum hm_err hm_db_services_create(struct hm_db *db, const struct hm_service_input *in,
				  json_t *detail, const struct hm_actor *who, json_t **out)
{
	/* A private service seats one; level "" and active unless sent. */
	static const char sql[] =
		"INSERT INTO services (name, subject, level, kind, duration_min, price_cents,"
		" capacity, active, description, translations, created_at) VALUES (?2, ?3,"
		" coalesce(?4, ''), ?5, ?6, ?7, CASE WHEN ?5 = 'private' THEN 1 ELSE ?8 END,"
		" coalesce(?9, 1), coalesce(?10, ''), coalesce(?11, '{}'), ?1)";
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;
	char *translations = in->translations ? hm_db_json_dump(in->translations) : NULL;
	if (in->translations && !translations)
		return HM_ERR_INTERNAL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, who->now);
		bind_service(stmt, in, translations);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(db, "insert service");
		id = sqlite3_last_insert_rowid(hm_db_handle(db));
		hm_db_done(stmt);
	}
	free(translations);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "service.create", "service", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_services_get(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_services_update(struct hm_db *db, int64_t id, const struct hm_service_input *in,
				  json_t *detail, const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"UPDATE services SET name = coalesce(?2, name), subject = coalesce(?3, subject),"
		" level = coalesce(?4, level), kind = coalesce(?5, kind),"
		" duration_min = coalesce(?6, duration_min), price_cents = coalesce(?7, price_cents),"
		" capacity = coalesce(?8, capacity), active = coalesce(?9, active),"
		" description = coalesce(?10, description),"
		" translations = coalesce(?11, translations) WHERE id = ?1";
	sqlite3_stmt *stmt = NULL;
	char *translations = in->translations ? hm_db_json_dump(in->translations) : NULL;
	if (in->translations && !translations)
		return HM_ERR_INTERNAL;
	enum hm_err err = hm_db_begin_stmt(db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		bind_service(stmt, in, translations);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(db, "update service");
		hm_db_done(stmt);
	}
	free(translations);
	if (err == HM_OK && json_object_size(detail) > 0)
		err = hm_audit_record(db, who->user_id, "service.update", "service", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_services_get(db, id, out);
	return hm_db_end(db, err);
}

/* ---- shared with the other resources (once src/db/crm.c) ---- */

/* Copies a text column into out (cut to size - 1 bytes). */
static void copy_text(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	size_t len = text ? strlen((const char *)text) : 0;
	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(out, text, len);
	out[len] = '\0';
}

enum hm_err hm_db_services_read(struct hm_db *db, int64_t id, struct hm_service *out)
{
	static const char sql[] =
		"SELECT id, kind, subject, duration_min, price_cents, capacity, active"
		" FROM services WHERE id = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		copy_text(stmt, 1, out->kind, sizeof out->kind);
		copy_text(stmt, 2, out->subject, sizeof out->subject);
		out->duration_min = sqlite3_column_int(stmt, 3);
		out->price_cents = sqlite3_column_int64(stmt, 4);
		out->capacity = sqlite3_column_int(stmt, 5);
		out->active = sqlite3_column_int(stmt, 6) != 0;
		err = HM_OK;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read service");
	}
	hm_db_done(stmt);
	return err;
}
