// SPDX-License-Identifier: MIT
// Contact channels and their weekly hours (include/harreman/db_channels.h): the
// SQL of GET and PATCH /channels. A channel's row is read straight into its JSON
// object, its hours both into that object's "hours" list and into the domain's
// windows, so src/api can ask src/domain/hours.c whether it is open without a
// second read. Hours are stored as "HH:MM" text; a row that does not parse is
// skipped rather than failing the whole list.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_channels.h"
#include "harreman/banned.h"

void hm_db_channel_release(struct hm_channel *c)
{
	json_decref(c->json);
	c->json = NULL;
	c->n_hours = 0;
}

void hm_db_channels_free(struct hm_channel *channels, size_t n)
{
	for (size_t i = 0; channels && i < n; i++)
		hm_db_channel_release(&channels[i]);
	free(channels);
}

static json_t *channel_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "kind",
			 (const char *)sqlite3_column_text(stmt, 1), "label",
			 (const char *)sqlite3_column_text(stmt, 2), "value",
			 (const char *)sqlite3_column_text(stmt, 3), "response_hours",
			 sqlite3_column_type(stmt, 4) == SQLITE_NULL
				 ? json_null()
				 : json_integer(sqlite3_column_int64(stmt, 4)));
}

/* Reads the hours of channel c (its JSON holds the id) into c->hours and into its
 * JSON's "hours" list. */
static enum hm_err read_hours(struct hm_db *db, struct hm_channel *c)
{
	static const char sql[] = "SELECT weekday, opens, closes FROM channel_hours"
				  " WHERE channel_id = ?1 ORDER BY weekday, opens";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	c->n_hours = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, json_integer_value(json_object_get(c->json, "id")));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && c->n_hours < HM_CHANNEL_MAX_HOURS) {
		struct hm_weekly_window w = {.weekday = sqlite3_column_int(stmt, 0)};
		if (hm_hhmm_parse((const char *)sqlite3_column_text(stmt, 1), false,
				  &w.start_min) &&
		    hm_hhmm_parse((const char *)sqlite3_column_text(stmt, 2), true, &w.end_min))
			c->hours[c->n_hours++] = w;
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "channel hours");
	json_t *hours = json_array();
	for (size_t k = 0; hours && k < c->n_hours; k++) {
		char opens[6], closes[6];
		hm_hhmm_format(c->hours[k].start_min, opens);
		hm_hhmm_format(c->hours[k].end_min, closes);
		if (json_array_append_new(hours, json_pack("{s:i, s:s, s:s}", "weekday",
							   c->hours[k].weekday, "opens", opens,
							   "closes", closes)) != 0) {
			json_decref(hours);
			hours = NULL;
		}
	}
	return json_object_set_new(c->json, "hours", hours) == 0 ? HM_OK : HM_ERR_INTERNAL;
}

/* The channels (all, or the one with id when id > 0), by id, with their hours. */
static enum hm_err read_channels(struct hm_db *db, int64_t id, struct hm_channel **out,
				 size_t *n_out)
{
	static const char sql[] = "SELECT id, kind, label, value, response_hours FROM channels"
				  " WHERE (?1 = 0 OR id = ?1) ORDER BY id";
	enum hm_err err = HM_ERR_INTERNAL;
	struct hm_channel *list = NULL;
	size_t n = 0, cap = 0;
	int rc = SQLITE_ERROR;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			size_t grown = cap ? cap * 2 : 8;
			struct hm_channel *more = realloc(list, grown * sizeof *more);
			if (!more)
				goto out;
			list = more;
			cap = grown;
		}
		memset(&list[n], 0, sizeof list[n]);
		list[n].json = channel_from_row(stmt);
		if (!list[n++].json)
			goto out;
	}
	hm_db_done(stmt);
	stmt = NULL;
	if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "list channels");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((err = read_hours(db, &list[i])) != HM_OK)
			goto out;
	*out = list;
	*n_out = n;
	list = NULL;
	n = 0;
	err = HM_OK;
out:
	hm_db_done(stmt);
	hm_db_channels_free(list, n);
	return err;
}

enum hm_err hm_db_channels_list(struct hm_db *db, struct hm_channel **channels, size_t *n)
{
	*channels = NULL;
	*n = 0;
	return read_channels(db, 0, channels, n);
}

enum hm_err hm_db_channels_get(struct hm_db *db, int64_t id, struct hm_channel *out)
{
	struct hm_channel *list = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	enum hm_err err = id > 0 ? read_channels(db, id, &list, &n) : HM_OK;
	if (err == HM_OK && n == 0)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK) {
		*out = list[0];
		list[0].json = NULL;
	}
	hm_db_channels_free(list, n);
	return err;
}

/* ---- the PATCH, inside its transaction ------------------------------------- */

static enum hm_err update_row(struct hm_db *db, int64_t id, const struct hm_channel_change *ch)
{
	static const char sql[] =
		"UPDATE channels SET label = coalesce(?2, label), value = coalesce(?3, value),"
		" response_hours = CASE WHEN ?5 THEN ?4 ELSE response_hours END WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	hm_db_bind_text_or_null(stmt, 2, ch->label);
	hm_db_bind_text_or_null(stmt, 3, ch->value);
	if (ch->set_response_hours && ch->response_hours)
		sqlite3_bind_int64(stmt, 4, ch->response_hours);
	sqlite3_bind_int(stmt, 5, ch->set_response_hours);
	enum hm_err err = HM_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		err = hm_db_fail(db, "update channel");
	else if (sqlite3_changes(hm_db_handle(db)) == 0)
		err = HM_ERR_NOT_FOUND;
	hm_db_done(stmt);
	return err;
}

static enum hm_err replace_hours(struct hm_db *db, int64_t id, const struct hm_weekly_window *w,
				 size_t n)
{
	static const char clear_sql[] = "DELETE FROM channel_hours WHERE channel_id = ?1";
	static const char add_sql[] =
		"INSERT INTO channel_hours (channel_id, weekday, opens, closes)"
		" VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *stmt = hm_db_stmt(db, clear_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	enum hm_err err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(db, "clear hours");
	hm_db_done(stmt);
	stmt = err == HM_OK ? hm_db_stmt(db, add_sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		char opens[6], closes[6];
		hm_hhmm_format(w[i].start_min, opens);
		hm_hhmm_format(w[i].end_min, closes);
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int(stmt, 2, w[i].weekday);
		sqlite3_bind_text(stmt, 3, opens, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, closes, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			err = hm_db_fail(db, "add hours");
		sqlite3_reset(stmt);
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_channels_update(struct hm_db *db, int64_t id, const struct hm_channel_change *ch,
				  json_t *detail, const struct hm_actor *who,
				  struct hm_channel *out)
{
	memset(out, 0, sizeof *out);
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = update_row(db, id, ch);
	if (err == HM_OK && ch->set_hours)
		err = replace_hours(db, id, ch->hours, ch->n_hours);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "channel.update", "channel", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_channels_get(db, id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_channels_response_hours(struct hm_db *db, const char *kind, int *hours)
{
	static const char sql[] = "SELECT coalesce(response_hours, 0) FROM channels WHERE kind = ?1"
				  " ORDER BY id LIMIT 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*hours = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*hours = sqlite3_column_int(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "response hours");
}
