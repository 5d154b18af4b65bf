// SPDX-License-Identifier: MIT
// Contact channels (with their opening hours, open now and the next change) and
// inquiries: public ones with the promised answer time, the staff's queue (overdue
// first) and answers marked on time or late. Data layer first, then the handlers.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/audit.h"
#include "harreman/hours.h"
#include "harreman/outbox.h"
#include "harreman/ratelimit.h"
#include "harreman/sender.h"
#include "harreman/sla.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define MAX_HOURS 28
#define INQUIRIES_PER_HOUR 10

static const char *const inquiry_channels[] = {"email", "web", "phone", NULL};
static const char *const statuses[] = {"open", "overdue", "answered", NULL};
static const char *const locales[] = {"eu", "es", "en", NULL};

/* ---- data layer: channels ------------------------------------------------ */

static enum hm_err channel_hours(struct hm_db *db, int64_t id, struct hm_weekly_window *w,
				 size_t *n)
{
	static const char sql[] = "SELECT weekday, opens, closes FROM channel_hours"
				  " WHERE channel_id = ?1 ORDER BY weekday, opens";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	*n = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < MAX_HOURS) {
		struct hm_weekly_window win = {.weekday = sqlite3_column_int(stmt, 0)};
		if (hm_hhmm_parse((const char *)sqlite3_column_text(stmt, 1), false, &win.start_min) &&
		    hm_hhmm_parse((const char *)sqlite3_column_text(stmt, 2), true, &win.end_min))
			w[(*n)++] = win;
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "channel hours");
}

/* Channels (all, or just id) as seen at instant `at`. */
/* The channels (all, or one when id > 0) as seen at `at`; *earliest_change, when
 * given, gets the first instant at which any channel opens or closes (INT64_MAX when
 * none ever does). */
static enum hm_err channels_json(struct hm_db *db, int64_t id, int64_t at, json_t **items,
				 int64_t *earliest_change)
{
	static const char sql[] = "SELECT id, kind, label, value, response_hours FROM channels"
				  " WHERE (?1 = 0 OR id = ?1) ORDER BY id";
	enum hm_err err = HM_ERR_INTERNAL;
	json_t *list = json_array();
	int64_t ids[32];
	json_t *rows[32];
	size_t n = 0;
	int rc;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!list || !stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < 32) {
		ids[n] = sqlite3_column_int64(stmt, 0);
		rows[n] = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)ids[n], "kind",
				    (const char *)sqlite3_column_text(stmt, 1), "label",
				    (const char *)sqlite3_column_text(stmt, 2), "value",
				    (const char *)sqlite3_column_text(stmt, 3), "response_hours",
				    sqlite3_column_type(stmt, 4) == SQLITE_NULL
					    ? json_null() : json_integer(sqlite3_column_int64(stmt, 4)));
		if (!rows[n] || json_array_append_new(list, rows[n]) != 0)
			goto out;
		n++;
	}
	hm_db_done(stmt);
	stmt = NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		hm_db_fail(db, "list channels");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct hm_weekly_window w[MAX_HOURS];
		size_t nw = 0;
		bool open_now = false;
		int64_t next = 0;
		if ((err = channel_hours(db, ids[i], w, &nw)) != HM_OK)
			goto out;
		err = HM_ERR_INTERNAL;
		hm_hours_state(w, nw, at, &open_now, &next);
		if (earliest_change && next && next < *earliest_change)
			*earliest_change = next;
		json_t *hours = json_array();
		for (size_t k = 0; hours && k < nw; k++) {
			char opens[6], closes[6];
			hm_hhmm_format(w[k].start_min, opens);
			hm_hhmm_format(w[k].end_min, closes);
			json_array_append_new(hours, json_pack("{s:i, s:s, s:s}", "weekday", w[k].weekday,
							       "opens", opens, "closes", closes));
		}
		char next_text[HM_RFC3339_LEN];
		hm_time_format(next, next_text);
		if (!hours || json_object_set_new(rows[i], "hours", hours) != 0 ||
		    json_object_set_new(rows[i], "open_now", json_boolean(open_now)) != 0 ||
		    json_object_set_new(rows[i], "next_change_at",
					next ? json_string(next_text) : json_null()) != 0)
			goto out;
	}
	*items = list;
	list = NULL;
	err = HM_OK;
out:
	hm_db_done(stmt);
	json_decref(list);
	return err;
}

/* ---- data layer: inquiries ----------------------------------------------- */

static json_t *inquiry_from_row(sqlite3_stmt *stmt, int64_t now)
{
	char received[HM_RFC3339_LEN], due[HM_RFC3339_LEN], answered[HM_RFC3339_LEN];
	int64_t due_at = sqlite3_column_int64(stmt, 8);
	bool is_answered = sqlite3_column_type(stmt, 11) != SQLITE_NULL;
	int64_t answered_at = sqlite3_column_int64(stmt, 11);
	hm_time_format(sqlite3_column_int64(stmt, 7), received);
	hm_time_format(due_at, due);
	hm_time_format(answered_at, answered);
	const char *status = is_answered ? "answered"
			     : hm_sla_overdue(due_at, false, now) ? "overdue" : "open";
	const unsigned char *email = sqlite3_column_text(stmt, 3);
	const unsigned char *phone = sqlite3_column_text(stmt, 4);
	const unsigned char *reply_text = sqlite3_column_text(stmt, 10);
	return json_pack(
		"{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)sqlite3_column_int64(stmt, 0),
		"channel", (const char *)sqlite3_column_text(stmt, 1),
		"full_name", (const char *)sqlite3_column_text(stmt, 2),
		"email", email ? json_string((const char *)email) : json_null(),
		"phone", phone ? json_string((const char *)phone) : json_null(),
		"subject", (const char *)sqlite3_column_text(stmt, 5),
		"message", (const char *)sqlite3_column_text(stmt, 6),
		"received_at", received,
		"due_at", due_at ? json_string(due) : json_null(),
		"status", status,
		"reply", reply_text ? json_string((const char *)reply_text) : json_null(),
		"answered_at", is_answered ? json_string(answered) : json_null(),
		"answered_by", sqlite3_column_type(stmt, 12) == SQLITE_NULL
				       ? json_null() : json_integer(sqlite3_column_int64(stmt, 12)),
		"on_time", is_answered ? json_boolean(hm_sla_on_time(due_at, answered_at))
				       : json_null());
}

#define INQUIRY_COLUMNS                                                                \
	"id, channel, full_name, email, phone, subject, message, received_at,"         \
	" coalesce(due_at, 0), status, reply, answered_at, answered_by"

static enum hm_err inquiry_json(struct hm_db *db, int64_t id, int64_t now, json_t **out)
{
	static const char sql[] = "SELECT " INQUIRY_COLUMNS " FROM inquiries WHERE id = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = inquiry_from_row(stmt, now);
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read inquiry");
	}
	hm_db_done(stmt);
	return err;
}

/* ---- handlers: channels -------------------------------------------------- */

void hm_api_channels_list(struct hm_request *req, struct hm_reply *reply)
{
	const char *at_text = hm_query_get(req, "at");
	int64_t at = req->now;
	json_t *items = NULL;
	if (at_text && !hm_time_parse(at_text, &at)) {
		hm_reply_invalid(reply, json_pack("{s:s}", "at", "must be an RFC 3339 instant"));
		return;
	}
	int64_t earliest_change = INT64_MAX;
	enum hm_err err = channels_json(req->db, 0, at, &items, &earliest_change);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
	/* open_now and next_change_at hold until the first change; a fixed ?at= forever. */
	reply->cache_until = at_text ? INT64_MAX : earliest_change;
}

void hm_api_channels_update(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"label", "value", "response_hours", "hours", NULL};
	static const char *const read_only[] = {"id", "kind", "open_now", "next_change_at", NULL};
	static const char update_sql[] =
		"UPDATE channels SET label = coalesce(?2, label), value = coalesce(?3, value),"
		" response_hours = CASE WHEN ?5 THEN ?4 ELSE response_hours END WHERE id = ?1";
	static const char clear_sql[] = "DELETE FROM channel_hours WHERE channel_id = ?1";
	static const char add_sql[] =
		"INSERT INTO channel_hours (channel_id, weekday, opens, closes) VALUES (?1, ?2, ?3, ?4)";
	struct hm_validation v;
	struct hm_weekly_window w[MAX_HOURS];
	size_t n = 0;
	const char *label = NULL, *value = NULL;
	int64_t hours_value = 0, id = req->path_ids[0];
	bool response_present = false;
	json_t *hours = json_object_get(req->json, "hours"), *items = NULL;

	hm_validation_init(&v);
	enum hm_err err = channels_json(req->db, id, req->now, &items, NULL); /* 404 before 422 */
	if (err == HM_OK && json_array_size(items) == 0)
		err = HM_ERR_NOT_FOUND;
	json_decref(items);
	items = NULL;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_text(&v, req->json, "label", false, HM_MAX_NAME, &label);
	hm_validate_text(&v, req->json, "value", false, HM_MAX_NAME, &value);
	if (json_is_null(json_object_get(req->json, "response_hours")))
		response_present = true;
	else
		hm_validate_int(&v, req->json, "response_hours", false, 1, (int64_t)24 * 30, &hours_value,
				&response_present);
	if (hours && (!json_is_array(hours) || json_array_size(hours) > MAX_HOURS)) {
		hm_validation_fail(&v, "hours", "must be a list of at most 28 {weekday, opens, closes}");
	} else if (hours) {
		size_t i;
		json_t *h;
		json_array_foreach(hours, i, h) {
			json_t *weekday = json_object_get(h, "weekday");
			struct hm_weekly_window win = {0};
			if (!json_is_object(h) || json_object_size(h) != 3 || !json_is_integer(weekday) ||
			    json_integer_value(weekday) < 1 || json_integer_value(weekday) > 7 ||
			    !hm_hhmm_parse(json_string_value(json_object_get(h, "opens")), false,
					   &win.start_min) ||
			    !hm_hhmm_parse(json_string_value(json_object_get(h, "closes")), true,
					   &win.end_min) ||
			    win.end_min <= win.start_min) {
				hm_validation_fail(&v, "hours",
						   "each entry is {weekday 1-7, opens HH:MM, closes HH:MM}"
						   " with closes after opens");
				break;
			}
			win.weekday = (int)json_integer_value(weekday);
			w[n++] = win;
		}
		if (hm_validation_ok(&v) && !hm_windows_disjoint(w, n))
			hm_validation_fail(&v, "hours", "hours of one weekday must not overlap");
	}
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	err = hm_db_begin(req->db);
	sqlite3_stmt *update = err == HM_OK ? hm_db_stmt(req->db, update_sql) : NULL;
	sqlite3_stmt *clear = err == HM_OK ? hm_db_stmt(req->db, clear_sql) : NULL;
	sqlite3_stmt *add = err == HM_OK ? hm_db_stmt(req->db, add_sql) : NULL;
	if (err == HM_OK && (!update || !clear || !add))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(update, 1, id);
		hm_db_bind_text_or_null(update, 2, label);
		hm_db_bind_text_or_null(update, 3, value);
		if (response_present && hours_value)
			sqlite3_bind_int64(update, 4, hours_value);
		sqlite3_bind_int(update, 5, response_present);
		int rc = sqlite3_step(update);
		if (rc != SQLITE_DONE)
			err = hm_db_fail(req->db, "update channel");
		else if (sqlite3_changes(hm_db_handle(req->db)) == 0)
			err = HM_ERR_NOT_FOUND;
		hm_db_done(update);
	}
	if (err == HM_OK && hours) {
		sqlite3_bind_int64(clear, 1, id);
		if (sqlite3_step(clear) != SQLITE_DONE)
			err = hm_db_fail(req->db, "clear hours");
		for (size_t i = 0; err == HM_OK && i < n; i++) {
			char opens[6], closes[6];
			hm_hhmm_format(w[i].start_min, opens);
			hm_hhmm_format(w[i].end_min, closes);
			sqlite3_bind_int64(add, 1, id);
			sqlite3_bind_int(add, 2, w[i].weekday);
			sqlite3_bind_text(add, 3, opens, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(add, 4, closes, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(add) != SQLITE_DONE)
				err = hm_db_fail(req->db, "add hours");
			sqlite3_reset(add);
		}
	}
	hm_db_done(clear);
	hm_db_done(add);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "channel.update", "channel", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = channels_json(req->db, id, req->now, &items, NULL);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_reply_json(reply, 200, json_incref(json_array_get(items, 0)));
out:
	json_decref(items);
	hm_validation_release(&v);
}

/* ---- handlers: inquiries ------------------------------------------------- */

/* The response hours promised on the first channel of that kind (0: none). */
static enum hm_err response_hours_of(struct hm_db *db, const char *kind, int *hours)
{
	static const char sql[] = "SELECT coalesce(response_hours, 0) FROM channels WHERE kind = ?1"
				  " ORDER BY id LIMIT 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	*hours = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "response hours");
}

void hm_api_inquiries_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"channel", "full_name", "email", "phone", "subject",
					      "message", "locale", NULL};
	static const char sql[] =
		"INSERT INTO inquiries (channel, full_name, email, phone, subject, message,"
		" received_at, due_at, locale) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct hm_validation v;
	struct hm_outbox_env env;
	int channel = -1, hours = 0, locale = -1;
	char email[HM_MAX_EMAIL + 1] = "";
	bool email_present = false, phone_present = false, limited = false;
	const char *full_name = NULL, *phone = NULL, *subject = NULL, *message = NULL;
	int64_t retry = 0, id = 0;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "channel", true, inquiry_channels, &channel);
	hm_validate_text(&v, req->json, "full_name", true, HM_MAX_NAME, &full_name);
	hm_validate_email(&v, req->json, "email", false, email, &email_present);
	hm_validate_text_or_empty(&v, req->json, "phone", HM_MAX_PHONE, &phone, &phone_present);
	hm_validate_text(&v, req->json, "subject", true, HM_MAX_NAME, &subject);
	hm_validate_long_text(&v, req->json, "message", true, HM_MAX_TEXT, &message);
	hm_validate_enum(&v, req->json, "locale", false, locales, &locale);
	if (phone && !*phone)
		phone = NULL;
	if (!email_present && !phone && !json_object_get(v.fields, "email"))
		hm_validation_fail(&v, "email", "an e-mail address or a phone number is required");
	enum hm_err err = hm_ratelimit_check(req->db, "inquiry_addr", req->remote_addr, req->now,
					     3600, INQUIRIES_PER_HOUR, &limited, &retry);
	if (err == HM_OK && limited) {
		char text[24];
		snprintf(text, sizeof text, "%lld", (long long)retry);
		hm_reply_header(reply, "Retry-After", text);
		hm_reply_error(reply, HM_ERR_RATE_LIMITED, "Too many inquiries; try again later.");
		goto out;
	}
	if (err == HM_OK && !hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (err == HM_OK)
		err = response_hours_of(req->db, inquiry_channels[channel], &hours);
	int64_t due = hm_sla_due(req->now, hours);
	if (err == HM_OK)
		err = hm_db_begin(req->db);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_text(stmt, 1, inquiry_channels[channel], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, full_name, -1, SQLITE_TRANSIENT);
		hm_db_bind_text_or_null(stmt, 3, email_present ? email : NULL);
		hm_db_bind_text_or_null(stmt, 4, phone);
		sqlite3_bind_text(stmt, 5, subject, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 6, message, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 7, req->now);
		if (due)
			sqlite3_bind_int64(stmt, 8, due);
		hm_db_bind_text_or_null(stmt, 9, locale >= 0 ? locales[locale] : NULL);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "insert inquiry");
		id = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_ratelimit_hit(req->db, "inquiry_addr", req->remote_addr, req->now, 3600);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "inquiry.create", "inquiry", id, NULL,
				      req->request_id, req->now);
	hm_outbox_env_of(&req->app->cfg, &env);
	if (err == HM_OK)
		err = hm_outbox_inquiry_received(req->db, &env, id, req->now);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_sender_wake(req->app->sender);
	char received[HM_RFC3339_LEN], due_text[HM_RFC3339_LEN];
	hm_time_format(req->now, received);
	hm_time_format(due, due_text);
	hm_reply_json(reply, 201, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "status",
					    "open", "received_at", received, "due_at",
					    due ? json_string(due_text) : json_null()));
out:
	hm_validation_release(&v);
}

void hm_api_inquiries_list(struct hm_request *req, struct hm_reply *reply)
{
	/* Overdue first (oldest due first), then the rest by due, then by id; the page
	 * after `after` continues from that inquiry's place in this order. */
	static const char sql[] =
		"WITH q AS (SELECT *, CASE WHEN answered_at IS NULL AND due_at IS NOT NULL"
		"   AND due_at < ?2 THEN 0 ELSE 1 END AS rank,"
		"   coalesce(due_at, received_at) AS due_key FROM inquiries)"
		" SELECT " INQUIRY_COLUMNS " FROM q WHERE"
		" (?1 = 'all' OR (?1 = 'answered' AND answered_at IS NOT NULL)"
		"  OR (?1 = 'open' AND answered_at IS NULL)"
		"  OR (?1 = 'overdue' AND rank = 0))"
		" AND (?3 = 0 OR (rank, due_key, id) > (SELECT rank, due_key, id FROM q WHERE id = ?3))"
		" ORDER BY rank, due_key, id LIMIT ?4";
	const char *status = hm_query_get(req, "status");
	int limit, count = 0, rc;
	int64_t after, last = 0;
	bool known = !status;
	for (int i = 0; status && statuses[i]; i++)
		known = known || strcmp(status, statuses[i]) == 0;
	if (!known) {
		hm_reply_invalid(reply, json_pack("{s:s}", "status",
						  "must be one of: open, overdue, answered"));
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	json_t *items = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(req->db, sql);
	enum hm_err err = items && stmt ? HM_OK : HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_text(stmt, 1, status ? status : "all", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, req->now);
		sqlite3_bind_int64(stmt, 3, after);
		sqlite3_bind_int(stmt, 4, limit + 1);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if (++count > limit)
				break;
			last = sqlite3_column_int64(stmt, 0);
			json_t *item = inquiry_from_row(stmt, req->now);
			if (!item || json_array_append_new(items, item) != 0) {
				err = HM_ERR_INTERNAL;
				break;
			}
		}
		if (err == HM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
			err = hm_db_fail(req->db, "list inquiries");
	}
	hm_db_done(stmt);
	if (err != HM_OK) {
		json_decref(items);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, count > limit ? last : 0);
}

void hm_api_inquiries_answer(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"reply", NULL};
	static const char sql[] =
		"UPDATE inquiries SET status = 'answered', reply = ?2, answered_at = ?3,"
		" answered_by = ?4 WHERE id = ?1 AND answered_at IS NULL";
	struct hm_validation v;
	const char *text = NULL;
	int64_t id = req->path_ids[0];
	json_t *body = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_long_text(&v, req->json, "reply", true, HM_MAX_TEXT, &text);
	enum hm_err err = inquiry_json(req->db, id, req->now, &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	json_decref(body);
	body = NULL;
	sqlite3_stmt *stmt = NULL;
	err = hm_db_begin_stmt(req->db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 3, req->now);
		sqlite3_bind_int64(stmt, 4, req->who.user_id);
		int rc = sqlite3_step(stmt);
		if (rc != SQLITE_DONE)
			err = hm_db_fail(req->db, "answer inquiry");
		else if (sqlite3_changes(hm_db_handle(req->db)) == 0)
			err = HM_ERR_CONFLICT;
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "inquiry.answer", "inquiry", id, NULL,
				      req->request_id, req->now);
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	if (err == HM_OK)
		err = hm_outbox_inquiry_answered(req->db, &env, id, req->now);
	if (err == HM_OK)
		err = inquiry_json(req->db, id, req->now, &body);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		json_decref(body);
		body = NULL;
		if (err == HM_ERR_CONFLICT)
			hm_reply_error(reply, err, "The inquiry has been answered already.");
		else
			hm_api_reply_err(reply, err);
		goto out;
	}
	hm_sender_wake(req->app->sender);
	hm_reply_json(reply, 200, body);
	body = NULL;
out:
	json_decref(body);
	hm_validation_release(&v);
}
