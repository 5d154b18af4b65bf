// SPDX-License-Identifier: MIT
// Inquiries (include/harreman/db_inquiries.h): the SQL of POST /inquiries, the
// staff's queue and answers. A row is read straight into its JSON object; its
// status (open, overdue, answered) and on_time depend on the reading instant,
// which every statement selects as its last column (?2) so one row function
// serves the single read and the keyset page. The rules of due and overdue are
// src/domain/sla.c's.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/buf.h"
#include "harreman/db_answers.h"
#include "harreman/db_channels.h"
#include "harreman/db_inquiries.h"
#include "harreman/language.h"
#include "harreman/limits.h"
#include "harreman/ratelimit.h"
#include "harreman/sla.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* The columns inquiry_from_row reads; ?2 is the reading instant. */
#define INQUIRY_COLUMNS                                                        \
	"id, channel, full_name, email, phone, subject, message, received_at," \
	" coalesce(due_at, 0), status, reply, answered_at, answered_by, ?2,"   \
	" coalesce(suggested_answers, '[]')"

static json_t *inquiry_from_row(sqlite3_stmt *stmt)
{
	char received[HM_RFC3339_LEN], due[HM_RFC3339_LEN], answered[HM_RFC3339_LEN];
	int64_t due_at = sqlite3_column_int64(stmt, 8);
	bool is_answered = sqlite3_column_type(stmt, 11) != SQLITE_NULL;
	int64_t answered_at = sqlite3_column_int64(stmt, 11);
	int64_t now = sqlite3_column_int64(stmt, 13);
	hm_time_format(sqlite3_column_int64(stmt, 7), received);
	hm_time_format(due_at, due);
	hm_time_format(answered_at, answered);
	const char *status = is_answered                          ? "answered"
			     : hm_sla_overdue(due_at, false, now) ? "overdue"
								  : "open";
	const unsigned char *email = sqlite3_column_text(stmt, 3);
	const unsigned char *phone = sqlite3_column_text(stmt, 4);
	const unsigned char *reply_text = sqlite3_column_text(stmt, 10);
	json_t *suggested = json_loads((const char *)sqlite3_column_text(stmt, 14), 0, NULL);
	if (!json_is_array(suggested)) {
		json_decref(suggested);
		suggested = json_array();
	}
	return json_pack(
		"{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
		(json_int_t)sqlite3_column_int64(stmt, 0), "channel",
		(const char *)sqlite3_column_text(stmt, 1), "full_name",
		(const char *)sqlite3_column_text(stmt, 2), "email",
		email ? json_string((const char *)email) : json_null(), "phone",
		phone ? json_string((const char *)phone) : json_null(), "subject",
		(const char *)sqlite3_column_text(stmt, 5), "message",
		(const char *)sqlite3_column_text(stmt, 6), "received_at", received, "due_at",
		due_at ? json_string(due) : json_null(), "status", status, "reply",
		reply_text ? json_string((const char *)reply_text) : json_null(), "answered_at",
		is_answered ? json_string(answered) : json_null(), "answered_by",
		sqlite3_column_type(stmt, 12) == SQLITE_NULL
			? json_null()
			: json_integer(sqlite3_column_int64(stmt, 12)),
		"on_time",
		is_answered ? json_boolean(hm_sla_on_time(due_at, answered_at)) : json_null(),
		"suggested_answers", suggested);
}

enum hm_err hm_db_inquiries_get(struct hm_db *db, int64_t id, int64_t now, json_t **out)
{
	static const char sql[] = "SELECT " INQUIRY_COLUMNS " FROM inquiries WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, now);
	}
	return hm_db_row(db, stmt, inquiry_from_row, out, "read inquiry");
}

enum hm_err hm_db_inquiries_list(struct hm_db *db, const char *status, int64_t now, int limit,
				 int64_t after, json_t **items, int64_t *next_after)
{
	/* The queue's order: overdue first, then by due time (or arrival). One statement
	 * per status, each reading only its rows through the (status, due_at) index: the
	 * open queue stays small while the answered history grows every year. */
#define INQUIRIES_SQL(where, filter)                                                             \
	"WITH q AS (SELECT *, CASE WHEN answered_at IS NULL AND due_at IS NOT NULL"              \
	"   AND due_at < ?2 THEN 0 ELSE 1 END AS rank,"                                          \
	"   coalesce(due_at, received_at) AS due_key FROM inquiries" where ")"                   \
	" SELECT " INQUIRY_COLUMNS " FROM q WHERE ?1 = ?1" filter                                \
	" AND (?3 = 0 OR (rank, due_key, id) > (SELECT rank, due_key, id FROM q WHERE id = ?3))" \
	" ORDER BY rank, due_key, id LIMIT ?4"
	static const char all_sql[] = INQUIRIES_SQL("", "");
	static const char open_sql[] = INQUIRIES_SQL(" WHERE status = 'open'", "");
	static const char overdue_sql[] = INQUIRIES_SQL(" WHERE status = 'open' AND due_at < ?2",
							" AND rank = 0");
	static const char answered_sql[] = INQUIRIES_SQL(" WHERE status = 'answered'", "");
#undef INQUIRIES_SQL
	const char *sql = !status || strcmp(status, "all") == 0 ? all_sql
			  : strcmp(status, "open") == 0         ? open_sql
			  : strcmp(status, "overdue") == 0      ? overdue_sql
								: answered_sql;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*items = NULL;
	*next_after = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, status ? status : "all", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, after);
	sqlite3_bind_int(stmt, 4, limit + 1);
	return hm_db_page(db, stmt, limit, inquiry_from_row, items, next_after);
}

/* ---- writes, each inside its transaction ----------------------------------- */

/* The answers suggested to in (its subject and message, in its locale or the one
 * they are written in) as a JSON array of ids into *out (caller owns). */
static enum hm_err suggest_answers(struct hm_db *db, const struct hm_inquiry_input *in,
				   json_t **out)
{
	int64_t ids[HM_ANSWERS_SUGGESTED];
	size_t n = 0;
	struct hm_buf text;
	hm_buf_init(&text, (size_t)(HM_MAX_NAME + HM_MAX_TEXT) * 4 + 2);
	*out = NULL;
	enum hm_err err = hm_buf_printf(&text, "%s\n%s", in->subject, in->message)
				  ? HM_OK
				  : HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = hm_db_answers_suggest(db, text.data,
					    in->locale ? hm_locale_from_name(in->locale)
						       : hm_lang_detect(text.data, text.len),
					    ids, &n);
	hm_buf_release(&text);
	if (err == HM_OK && !(*out = json_array()))
		err = HM_ERR_INTERNAL;
	for (size_t i = 0; err == HM_OK && i < n; i++)
		if (json_array_append_new(*out, json_integer(ids[i])) != 0)
			err = HM_ERR_INTERNAL;
	return err;
}

static enum hm_err insert_inquiry(struct hm_db *db, const struct hm_inquiry_input *in, int64_t now,
				  int64_t due, json_t *suggested, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO inquiries (channel, full_name, email, phone, subject, message,"
		" received_at, due_at, locale, suggested_answers)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	char *suggested_text = json_dumps(suggested, JSON_COMPACT);
	sqlite3_stmt *stmt = suggested_text ? hm_db_stmt(db, sql) : NULL;
	if (!stmt) {
		free(suggested_text);
		return HM_ERR_INTERNAL;
	}
	sqlite3_bind_text(stmt, 1, in->channel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, in->full_name, -1, SQLITE_TRANSIENT);
	hm_db_bind_text_or_null(stmt, 3, in->email);
	hm_db_bind_text_or_null(stmt, 4, in->phone);
	sqlite3_bind_text(stmt, 5, in->subject, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 6, in->message, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 7, now);
	if (due)
		sqlite3_bind_int64(stmt, 8, due);
	hm_db_bind_text_or_null(stmt, 9, in->locale);
	sqlite3_bind_text(stmt, 10, suggested_text, -1, free);
	enum hm_err err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							    : hm_db_fail(db, "insert inquiry");
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	hm_db_done(stmt);
	return err;
}

/* The answer to a POST: {id, status "open", received_at, due_at,
 * suggested_answers} (takes suggested). */
static enum hm_err receipt_json(int64_t id, int64_t received, int64_t due, json_t *suggested,
				json_t **out)
{
	char received_text[HM_RFC3339_LEN], due_text[HM_RFC3339_LEN];
	hm_time_format(received, received_text);
	hm_time_format(due, due_text);
	*out = json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)id, "status", "open",
			 "received_at", received_text, "due_at",
			 due ? json_string(due_text) : json_null(), "suggested_answers", suggested);
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_inquiries_create(struct hm_db *db, const struct hm_inquiry_input *in,
				   const struct hm_outbox_env *env, const struct hm_actor *who,
				   json_t **out)
{
	int hours = 0;
	int64_t id = 0, due = 0;
	json_t *suggested = NULL;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_channels_response_hours(db, in->channel, &hours);
	if (err == HM_OK)
		err = suggest_answers(db, in, &suggested);
	if (err == HM_OK) {
		due = hm_sla_due(who->now, hours);
		err = insert_inquiry(db, in, who->now, due, suggested, &id);
	}
	if (err == HM_OK)
		err = hm_ratelimit_hit(db, HM_INQUIRY_RATE_BUCKET, in->remote_addr, who->now,
				       HM_INQUIRY_RATE_WINDOW);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "inquiry.create", "inquiry", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_outbox_inquiry_received(db, env, id, who->now);
	if (err == HM_OK) {
		err = receipt_json(id, who->now, due, suggested, out);
		suggested = NULL;
	}
	json_decref(suggested);
	return hm_db_end(db, err);
}

static enum hm_err mark_answered(struct hm_db *db, int64_t id, const char *text,
				 const struct hm_actor *who)
{
	static const char sql[] =
		"UPDATE inquiries SET status = 'answered', reply = ?2, answered_at = ?3,"
		" answered_by = ?4 WHERE id = ?1 AND answered_at IS NULL";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, who->now);
	sqlite3_bind_int64(stmt, 4, who->user_id);
	enum hm_err err = HM_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		err = hm_db_fail(db, "answer inquiry");
	else if (sqlite3_changes(hm_db_handle(db)) == 0)
		err = HM_ERR_CONFLICT;
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_inquiries_answer(struct hm_db *db, int64_t id, const char *text,
				   const struct hm_outbox_env *env, const struct hm_actor *who,
				   json_t **out)
{
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = mark_answered(db, id, text, who);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "inquiry.answer", "inquiry", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_outbox_inquiry_answered(db, env, id, who->now);
	if (err == HM_OK)
		err = hm_db_inquiries_get(db, id, who->now, out);
	return hm_db_end(db, err);
}
