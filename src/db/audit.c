// SPDX-License-Identifier: MIT
// The audit log table (include/harreman/audit.h).
#include <stdlib.h>

#include "harreman/audit.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

enum hm_err hm_audit_record(struct hm_db *db, int64_t actor_id, const char *action,
			    const char *entity, int64_t entity_id, json_t *detail,
			    const char *request_id, int64_t now)
{
	static const char sql[] =
		"INSERT INTO audit_log (at, actor_id, action, entity, entity_id, detail, request_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt || (detail && !text))
		goto out;
	sqlite3_bind_int64(stmt, 1, now);
	if (actor_id > 0)
		sqlite3_bind_int64(stmt, 2, actor_id);
	sqlite3_bind_text(stmt, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, entity, -1, SQLITE_STATIC);
	if (entity_id > 0)
		sqlite3_bind_int64(stmt, 5, entity_id);
	hm_db_bind_text_or_null(stmt, 6, text);
	hm_db_bind_text_or_null(stmt, 7, request_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		err = hm_db_fail(db, "audit");
		goto out;
	}
	err = HM_OK;
out:
	hm_db_done(stmt);
	free(text);
	return err;
}

static json_t *audit_from_row(sqlite3_stmt *stmt)
{
	char at[HM_RFC3339_LEN];
	hm_time_format(sqlite3_column_int64(stmt, 1), at);
	const char *detail_text = (const char *)sqlite3_column_text(stmt, 7);
	json_t *detail = detail_text ? json_loads(detail_text, 0, NULL) : NULL;
	const unsigned char *email = sqlite3_column_text(stmt, 3);
	const unsigned char *request_id = sqlite3_column_text(stmt, 8);
	const unsigned char *actor_name = sqlite3_column_text(stmt, 9);
	const unsigned char *entity_name = sqlite3_column_text(stmt, 10);
	return json_pack(
		"{s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
		(json_int_t)sqlite3_column_int64(stmt, 0), "at", at, "actor_id",
		sqlite3_column_type(stmt, 2) == SQLITE_NULL
			? json_null()
			: json_integer(sqlite3_column_int64(stmt, 2)),
		"actor_email", email ? json_string((const char *)email) : json_null(), "actor_name",
		actor_name ? json_string((const char *)actor_name) : json_null(), "action",
		(const char *)sqlite3_column_text(stmt, 4), "entity",
		(const char *)sqlite3_column_text(stmt, 5), "entity_id",
		sqlite3_column_type(stmt, 6) == SQLITE_NULL
			? json_null()
			: json_integer(sqlite3_column_int64(stmt, 6)),
		"entity_name", entity_name ? json_string((const char *)entity_name) : json_null(),
		"detail", detail ? detail : json_null(), "request_id",
		request_id ? json_string((const char *)request_id) : json_null());
}

/* The columns of an entry: the actor's e-mail and name, and the name of the record
 * it is about, for the kinds of records that have one. */
#define AUDIT_COLUMNS                                                                \
	"SELECT a.id, a.at, a.actor_id, u.email, a.action, a.entity, a.entity_id,"   \
	" a.detail, a.request_id, u.full_name, CASE a.entity"                        \
	" WHEN 'user' THEN (SELECT full_name FROM users WHERE id = a.entity_id)"     \
	" WHEN 'tutor' THEN (SELECT full_name FROM users WHERE id = a.entity_id)"    \
	" WHEN 'client' THEN (SELECT full_name FROM clients WHERE id = a.entity_id)" \
	" WHEN 'service' THEN (SELECT name FROM services WHERE id = a.entity_id)"    \
	" WHEN 'event' THEN (SELECT title FROM events WHERE id = a.entity_id)"       \
	" WHEN 'gift' THEN (SELECT name FROM gifts WHERE id = a.entity_id)"          \
	" WHEN 'partner' THEN (SELECT name FROM partners WHERE id = a.entity_id)"    \
	" END FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"

enum hm_err hm_audit_list(struct hm_db *db, int64_t after, int limit, bool newest_first,
			  json_t **items, int64_t *next_after)
{
	static const char oldest[] = AUDIT_COLUMNS " WHERE a.id > ?1 ORDER BY a.id LIMIT ?2";
	static const char newest[] = AUDIT_COLUMNS
		" WHERE ?1 = 0 OR a.id < ?1 ORDER BY a.id DESC LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, newest_first ? newest : oldest);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	return hm_db_page(db, stmt, limit, audit_from_row, items, next_after);
}
