// SPDX-License-Identifier: MIT
// Clients: staff keep the records (also of phone and walk-in clients who never
// log in), search them, and log the contact history; a student reads its own
// record and changes its profile fields. Data layer first, then the handlers.
#include <string.h>

#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/crm.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const assistances[] = {"personal", "dedicated", "self_service", NULL};
static const char *const paces[] = {"slow", "steady", "fast", NULL};
static const char *const channels[] = {"phone", "email", "web", "in_person", NULL};
static const char *const locales[] = {"eu", "es", "en", NULL};
static const char *const directions[] = {"in", "out", NULL};

/* ---- data layer ---------------------------------------------------------- */

/* Clients matching q (NULL: all) by name, e-mail, phone or guardian, id > after.
 * LIKE with ESCAPE so that % and _ in q are literal; both sides go through
 * hm_fold, so the match ignores case for every Latin letter, not only ASCII. */
static enum hm_err clients_search(struct hm_db *db, const char *q, int64_t after, int limit,
				  int64_t now, json_t **items, int64_t *next_after)
{
	static const char sql[] =
		"SELECT id FROM clients WHERE id > ?1 AND (?2 IS NULL OR"
		" hm_fold(full_name) LIKE hm_fold(?2) ESCAPE '\\'"
		" OR hm_fold(email) LIKE hm_fold(?2) ESCAPE '\\'"
		" OR phone LIKE ?2 ESCAPE '\\' OR hm_fold(guardian_name) LIKE hm_fold(?2) ESCAPE '\\')"
		" ORDER BY id LIMIT ?3";
	enum hm_err err = HM_ERR_INTERNAL;
	char pattern[2 * HM_MAX_NAME * 4 + 3];
	int64_t ids[201];
	int count = 0, rc;
	json_t *list = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!list || !stmt)
		goto out;
	if (q) {
		size_t used = 0;
		pattern[used++] = '%';
		for (const char *p = q; *p && used < sizeof pattern - 3; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				pattern[used++] = '\\';
			pattern[used++] = *p;
		}
		pattern[used++] = '%';
		pattern[used] = '\0';
	}
	sqlite3_bind_int64(stmt, 1, after);
	hm_db_bind_text_or_null(stmt, 2, q ? pattern : NULL);
	sqlite3_bind_int(stmt, 3, limit + 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count <= limit)
		ids[count++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	stmt = NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		hm_db_fail(db, "search clients");
		goto out;
	}
	for (int i = 0; i < count && i < limit; i++) {
		json_t *client = NULL;
		if (hm_crm_client_json(db, ids[i], now, &client) != HM_OK ||
		    json_array_append_new(list, client) != 0)
			goto out;
	}
	*next_after = count > limit ? ids[limit - 1] : 0;
	*items = list;
	list = NULL;
	err = HM_OK;
out:
	hm_db_done(stmt);
	json_decref(list);
	return err;
}

/* The fields of a client body, each NULL when absent (and cleared when sent null
 * where that is allowed). */
struct client_fields {
	const char *full_name, *phone, *notes, *level;
	char email[HM_MAX_EMAIL + 1];
	bool email_present, phone_present, notes_present, level_present;
	bool guardian_present;
	const char *guardian_name, *guardian_email, *guardian_phone;
	char guardian_email_buf[HM_MAX_EMAIL + 1];
	int assistance, pace, channel, locale;
	int64_t tutor_id;
	bool tutor_present, pace_present, channel_present;
};

/* Reads the fields allowed; staff get them all, a student only its profile ones. */
static void read_client(struct hm_validation *v, json_t *body, bool create, bool staff,
			struct client_fields *f)
{
	static const char *const staff_fields[] = {
		"full_name", "email", "phone", "guardian", "assistance", "tutor_id", "level",
		"pace", "preferred_channel", "locale", "notes", NULL};
	static const char *const student_fields[] = {"full_name", "phone", "guardian",
						     "preferred_channel", "locale", NULL};
	static const char *const read_only[] = {"id", "user_id", "relationship", "created_at",
						NULL};
	static const char *const student_read_only[] = {"id", "user_id", "relationship",
						      "created_at", "email", "assistance",
						      "tutor_id", "level", "pace", "notes", NULL};
	hm_validate_known(v, body, staff ? staff_fields : student_fields,
			  staff ? read_only : student_read_only);
	hm_validate_text(v, body, "full_name", create, HM_MAX_NAME, &f->full_name);
	json_t *email = json_object_get(body, "email");
	if (staff && json_is_null(email)) {
		f->email_present = true;
		f->email[0] = '\0';
	} else if (staff) {
		hm_validate_email(v, body, "email", false, f->email, &f->email_present);
	}
	hm_validate_text_or_empty(v, body, "phone", HM_MAX_PHONE, &f->phone, &f->phone_present);
	json_t *guardian = json_object_get(body, "guardian");
	if (guardian) {
		static const char *const guardian_fields[] = {"full_name", "email", "phone", NULL};
		f->guardian_present = true;
		if (!json_is_null(guardian) && !json_is_object(guardian)) {
			hm_validation_fail(v, "guardian", "must be {full_name, email, phone} or null");
		} else if (json_is_object(guardian)) {
			struct hm_validation g;
			bool p1 = false, p2 = false, gmail_present = false;
			hm_validation_init(&g);
			hm_validate_known(&g, guardian, guardian_fields, NULL);
			hm_validate_text_or_empty(&g, guardian, "full_name", HM_MAX_NAME,
						  &f->guardian_name, &p1);
			if (!json_is_null(json_object_get(guardian, "email")))
				hm_validate_email(&g, guardian, "email", false, f->guardian_email_buf,
						  &gmail_present);
			hm_validate_text_or_empty(&g, guardian, "phone", HM_MAX_PHONE,
						  &f->guardian_phone, &p2);
			f->guardian_email = gmail_present ? f->guardian_email_buf : NULL;
			if (!hm_validation_ok(&g))
				hm_validation_fail(v, "guardian",
						   "full_name (200), email (valid) and phone (40) only");
			hm_validation_release(&g);
		}
	}
	if (staff) {
		hm_validate_enum(v, body, "assistance", false, assistances, &f->assistance);
		json_t *tutor = json_object_get(body, "tutor_id");
		f->tutor_present = tutor != NULL;
		if (tutor && !json_is_null(tutor))
			hm_validate_int(v, body, "tutor_id", false, 1, INT64_MAX, &f->tutor_id, NULL);
		hm_validate_text_or_empty(v, body, "level", 40, &f->level, &f->level_present);
		f->pace_present = json_object_get(body, "pace") != NULL;
		if (!json_is_null(json_object_get(body, "pace")))
			hm_validate_enum(v, body, "pace", false, paces, &f->pace);
		hm_validate_text_or_empty(v, body, "notes", HM_MAX_TEXT, &f->notes,
					  &f->notes_present);
	}
	f->channel_present = json_object_get(body, "preferred_channel") != NULL;
	if (!json_is_null(json_object_get(body, "preferred_channel")))
		hm_validate_enum(v, body, "preferred_channel", false, channels, &f->channel);
	hm_validate_enum(v, body, "locale", false, locales, &f->locale);
}

/* Checks that a tutor_id names a tutor; reports it into v. */
static void check_tutor(struct hm_db *db, struct hm_validation *v, const struct client_fields *f)
{
	static const char sql[] = "SELECT 1 FROM tutors WHERE user_id = ?1";
	if (!f->tutor_present || !f->tutor_id || !hm_validation_ok(v))
		return;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt) {
		v->oom = true;
		return;
	}
	sqlite3_bind_int64(stmt, 1, f->tutor_id);
	if (sqlite3_step(stmt) != SQLITE_ROW)
		hm_validation_fail(v, "tutor_id", "no such tutor");
	hm_db_done(stmt);
}

static void bind_client(sqlite3_stmt *stmt, const struct client_fields *f, int64_t now)
{
	/* ?2.. are the values; ?20.. say whether a field was sent at all, so PATCH can
	 * tell "clear it" (null) from "leave it" (absent). */
	hm_db_bind_text_or_null(stmt, 2, f->full_name);
	hm_db_bind_text_or_null(stmt, 3, f->email_present && f->email[0] ? f->email : NULL);
	hm_db_bind_text_or_null(stmt, 4, f->phone);
	hm_db_bind_text_or_null(stmt, 5, f->guardian_name);
	hm_db_bind_text_or_null(stmt, 6, f->guardian_email);
	hm_db_bind_text_or_null(stmt, 7, f->guardian_phone);
	hm_db_bind_text_or_null(stmt, 8, f->assistance >= 0 ? assistances[f->assistance] : NULL);
	if (f->tutor_id)
		sqlite3_bind_int64(stmt, 9, f->tutor_id);
	hm_db_bind_text_or_null(stmt, 10, f->level);
	hm_db_bind_text_or_null(stmt, 11, f->pace >= 0 ? paces[f->pace] : NULL);
	hm_db_bind_text_or_null(stmt, 12, f->channel >= 0 ? channels[f->channel] : NULL);
	hm_db_bind_text_or_null(stmt, 13, f->locale >= 0 ? locales[f->locale] : NULL);
	hm_db_bind_text_or_null(stmt, 14, f->notes);
	sqlite3_bind_int64(stmt, 15, now);
	sqlite3_bind_int(stmt, 20, f->email_present);
	sqlite3_bind_int(stmt, 21, f->phone_present);
	sqlite3_bind_int(stmt, 22, f->guardian_present);
	sqlite3_bind_int(stmt, 23, f->tutor_present);
	sqlite3_bind_int(stmt, 24, f->level_present);
	sqlite3_bind_int(stmt, 25, f->pace_present);
	sqlite3_bind_int(stmt, 26, f->channel_present);
	sqlite3_bind_int(stmt, 27, f->notes_present);
}

static enum hm_err client_update(struct hm_db *db, int64_t id, const struct client_fields *f,
				 int64_t now)
{
	static const char sql[] =
		"UPDATE clients SET full_name = coalesce(?2, full_name),"
		" email = CASE WHEN ?20 THEN ?3 ELSE email END,"
		" phone = CASE WHEN ?21 THEN ?4 ELSE phone END,"
		" guardian_name = CASE WHEN ?22 THEN ?5 ELSE guardian_name END,"
		" guardian_email = CASE WHEN ?22 THEN ?6 ELSE guardian_email END,"
		" guardian_phone = CASE WHEN ?22 THEN ?7 ELSE guardian_phone END,"
		" assistance = coalesce(?8, assistance),"
		" tutor_id = CASE WHEN ?23 THEN ?9 ELSE tutor_id END,"
		" level = CASE WHEN ?24 THEN ?10 ELSE level END,"
		" pace = CASE WHEN ?25 THEN ?11 ELSE pace END,"
		" preferred_channel = CASE WHEN ?26 THEN ?12 ELSE preferred_channel END,"
		" locale = coalesce(?13, locale),"
		" notes = CASE WHEN ?27 THEN coalesce(?14, '') ELSE notes END,"
		" updated_at = ?15 WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	bind_client(stmt, f, now);
	int rc = sqlite3_step(stmt);
	bool changed = sqlite3_changes(hm_db_handle(db)) > 0;
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "update client");
	return changed ? HM_OK : HM_ERR_NOT_FOUND;
}

/* ---- handlers ------------------------------------------------------------ */

void hm_api_clients_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	const char *q = hm_query_get(req, "q");
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	if (q && (!*q || hm_utf8_chars(q) > HM_MAX_NAME)) {
		hm_reply_invalid(reply, json_pack("{s:s}", "q", "must be 1 to 200 characters"));
		return;
	}
	enum hm_err err = clients_search(req->db, q, after, limit, req->now, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_clients_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"INSERT INTO clients (full_name, email, phone, guardian_name, guardian_email,"
		" guardian_phone, assistance, tutor_id, level, pace, preferred_channel, locale, notes,"
		" created_at, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, 'personal'),"
		" ?9, ?10, ?11, ?12, coalesce(?13, 'eu'), coalesce(?14, ''), ?15, ?15)";
	struct hm_validation v;
	struct client_fields f;
	json_t *body = NULL;
	int64_t id = 0;

	memset(&f, 0, sizeof f);
	f.assistance = f.pace = f.channel = f.locale = -1;
	hm_validation_init(&v);
	read_client(&v, req->json, true, true, &f);
	check_tutor(req->db, &v, &f);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		bind_client(stmt, &f, req->now);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "insert client");
		id = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "client.create", "client", id,
				      NULL, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_crm_client_json(req->db, id, req->now, &body);
	hm_api_finish(req, reply, err, 201, body);
out:
	hm_validation_release(&v);
}

void hm_api_clients_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *body = NULL;
	enum hm_err err = hm_crm_client_json(req->db, req->path_ids[0], req->now, &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, body);
}

static void update_client(struct hm_request *req, struct hm_reply *reply, int64_t id, bool staff)
{
	struct hm_validation v;
	struct client_fields f;
	json_t *body = NULL;
	memset(&f, 0, sizeof f);
	f.assistance = f.pace = f.channel = f.locale = -1;
	hm_validation_init(&v);
	read_client(&v, req->json, false, staff, &f);
	check_tutor(req->db, &v, &f);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = client_update(req->db, id, &f, req->now);
	if (err == HM_OK && json_object_size(req->json) > 0)
		err = hm_audit_record(req->db, req->who.user_id, "client.update", "client", id,
				      NULL, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_crm_client_json(req->db, id, req->now, &body);
	hm_api_finish(req, reply, err, 200, body);
out:
	hm_validation_release(&v);
}

void hm_api_clients_update(struct hm_request *req, struct hm_reply *reply)
{
	bool exists = false;
	enum hm_err err = hm_crm_client_exists(req->db, req->path_ids[0], &exists);
	if (err != HM_OK || !exists) { /* 404 comes before 422 */
		hm_api_reply_err(reply, err != HM_OK ? err : HM_ERR_NOT_FOUND);
		return;
	}
	update_client(req, reply, req->path_ids[0], true);
}

void hm_api_me_client_get(struct hm_request *req, struct hm_reply *reply)
{
	int64_t id = 0;
	json_t *body = NULL;
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &id);
	if (err == HM_OK)
		err = hm_crm_client_json(req->db, id, req->now, &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, body);
}

void hm_api_me_client_update(struct hm_request *req, struct hm_reply *reply)
{
	int64_t id = 0;
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	update_client(req, reply, id, false);
}

void hm_api_interactions_list(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"SELECT i.id, i.channel, i.direction, i.summary, i.user_id, i.created_at"
		" FROM interactions i WHERE i.client_id = ?1 AND i.id > ?2 ORDER BY i.id LIMIT ?3";
	int limit, count = 0, rc;
	int64_t after, last = 0, id = req->path_ids[0];
	bool exists = false;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_crm_client_exists(req->db, id, &exists);
	if (err == HM_OK && !exists)
		err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	items = json_array();
	if (err == HM_OK && (!stmt || !items))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, after);
		sqlite3_bind_int(stmt, 3, limit + 1);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (++count > limit)
				break;
			last = sqlite3_column_int64(stmt, 0);
			char at[HM_RFC3339_LEN];
			hm_time_format(sqlite3_column_int64(stmt, 5), at);
			json_t *item = json_pack(
				"{s:I, s:I, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)last,
				"client_id", (json_int_t)id, "channel",
				(const char *)sqlite3_column_text(stmt, 1), "direction",
				(const char *)sqlite3_column_text(stmt, 2), "summary",
				(const char *)sqlite3_column_text(stmt, 3), "user_id",
				sqlite3_column_type(stmt, 4) == SQLITE_NULL
					? json_null() : json_integer(sqlite3_column_int64(stmt, 4)),
				"created_at", at);
			if (!item || json_array_append_new(items, item) != 0) {
				err = HM_ERR_INTERNAL;
				break;
			}
		}
		if (err == HM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
			err = hm_db_fail(req->db, "list interactions");
		hm_db_done(stmt);
	}
	if (err != HM_OK) {
		json_decref(items);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, count > limit ? last : 0);
}

void hm_api_interactions_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"channel", "direction", "summary", NULL};
	static const char sql[] =
		"INSERT INTO interactions (client_id, channel, direction, summary, user_id, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	struct hm_validation v;
	int channel = -1, direction = -1;
	const char *summary = NULL;
	int64_t id = req->path_ids[0], row = 0;
	bool exists = false;

	enum hm_err err = hm_crm_client_exists(req->db, id, &exists);
	if (err == HM_OK && !exists)
		err = HM_ERR_NOT_FOUND;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "channel", true, channels, &channel);
	hm_validate_enum(&v, req->json, "direction", true, directions, &direction);
	hm_validate_long_text(&v, req->json, "summary", true, HM_MAX_TEXT, &summary);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	sqlite3_stmt *stmt = NULL;
	err = hm_db_begin_stmt(req->db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, channels[channel], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, directions[direction], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, summary, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 5, req->who.user_id);
		sqlite3_bind_int64(stmt, 6, req->now);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							: hm_db_fail(req->db, "insert interaction");
		row = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "interaction.create", "client", id,
				      NULL, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	char at[HM_RFC3339_LEN];
	hm_time_format(req->now, at);
	hm_reply_json(reply, 201, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s}", "id",
					    (json_int_t)row, "client_id", (json_int_t)id, "channel",
					    channels[channel], "direction", directions[direction],
					    "summary", summary, "user_id",
					    (json_int_t)req->who.user_id, "created_at", at));
out:
	hm_validation_release(&v);
}
