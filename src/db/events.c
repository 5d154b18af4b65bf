// SPDX-License-Identifier: MIT
// Community events and registrations (include/harreman/db_events.h): the SQL of
// /events. A row is read straight into its JSON object; which viewer is looking
// (is_registered) is bound as ?1 of every statement that reads one. Registrations
// are never counted here: the triggers of sql/0003_community.sql refuse the one
// beyond capacity ('full') and any made once the event started, under the write
// lock, and insert_registration turns their refusal into an error.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_json.h"
#include "harreman/db_events.h"
#include "harreman/db_waitlists.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* The columns event_from_row reads. ?1 is the viewer's client id when the viewer
 * is a student, 0 otherwise (is_registered is then NULL). */
#define EVENT_COLUMNS                                                                     \
	"e.id, e.title, e.kind, e.subject, e.starts_at, e.ends_at, e.capacity,"           \
	" e.description,"                                                                 \
	" (SELECT count(*) FROM event_registrations r WHERE r.event_id = e.id),"          \
	" CASE WHEN ?1 = 0 THEN NULL ELSE EXISTS (SELECT 1 FROM event_registrations r"    \
	"   WHERE r.event_id = e.id AND r.client_id = ?1) END,"                           \
	" e.created_at, e.updated_at,"                                                    \
	" (SELECT count(*) FROM event_waitlist w WHERE w.event_id = e.id),"               \
	" CASE WHEN ?1 = 0 THEN NULL ELSE (SELECT (SELECT count(*) FROM event_waitlist o" \
	"   WHERE o.event_id = w.event_id AND o.id <= w.id) FROM event_waitlist w"        \
	"   WHERE w.event_id = e.id AND w.client_id = ?1) END, e.translations"

static json_t *event_from_row(sqlite3_stmt *stmt)
{
	char starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN], created[HM_RFC3339_LEN],
		updated[HM_RFC3339_LEN];
	int capacity = sqlite3_column_int(stmt, 6);
	int registered = sqlite3_column_int(stmt, 8);
	const unsigned char *subject = sqlite3_column_text(stmt, 3);
	hm_time_format(sqlite3_column_int64(stmt, 4), starts);
	hm_time_format(sqlite3_column_int64(stmt, 5), ends);
	hm_time_format(sqlite3_column_int64(stmt, 10), created);
	hm_time_format(sqlite3_column_int64(stmt, 11), updated);
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:i, s:s, s:i, s:i, s:o, s:s, s:s, s:i,"
			 " s:o, s:o}",
			 "id", (json_int_t)sqlite3_column_int64(stmt, 0), "title",
			 (const char *)sqlite3_column_text(stmt, 1), "kind",
			 (const char *)sqlite3_column_text(stmt, 2), "subject",
			 subject ? json_string((const char *)subject) : json_null(), "starts_at",
			 starts, "ends_at", ends, "capacity", capacity, "description",
			 (const char *)sqlite3_column_text(stmt, 7), "registered_count", registered,
			 "places_left", capacity > registered ? capacity - registered : 0,
			 "is_registered",
			 sqlite3_column_type(stmt, 9) == SQLITE_NULL
				 ? json_null()
				 : json_boolean(sqlite3_column_int(stmt, 9)),
			 "created_at", created, "updated_at", updated, "waitlist_count",
			 sqlite3_column_int(stmt, 12), "waitlist_position",
			 hm_db_json_int(stmt, 13), "translations", hm_db_json_object(stmt, 14));
}

/* One event as viewer_client (0: not a student) sees it. */
static enum hm_err event_json(struct hm_db *db, int64_t id, int64_t viewer_client, json_t **out)
{
	static const char sql[] = "SELECT " EVENT_COLUMNS " FROM events e WHERE e.id = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, viewer_client);
		sqlite3_bind_int64(stmt, 2, id);
	}
	return hm_db_row(db, stmt, event_from_row, out, "read event");
}

enum hm_err hm_db_events_state(struct hm_db *db, int64_t id, int64_t client_id,
			       struct hm_event_state *out)
{
	static const char sql[] =
		"SELECT e.starts_at, e.ends_at, e.capacity,"
		" (SELECT count(*) FROM event_registrations r WHERE r.event_id = e.id),"
		" EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id"
		"   AND r.client_id = ?2) FROM events e WHERE e.id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	memset(out, 0, sizeof *out);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->starts_at = sqlite3_column_int64(stmt, 0);
		out->ends_at = sqlite3_column_int64(stmt, 1);
		out->capacity = sqlite3_column_int(stmt, 2);
		out->registered = sqlite3_column_int(stmt, 3);
		out->is_registered = sqlite3_column_int(stmt, 4) != 0;
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read event state");
}

enum hm_err hm_db_events_list(struct hm_db *db, const struct hm_event_range *range,
			      int64_t viewer_client, int limit, int64_t after, json_t **items,
			      int64_t *next_after)
{
	/* One statement for the upcoming list and a range of days; either way the
	 * starts_at index bounds the scan. */
	static const char sql[] =
		"SELECT " EVENT_COLUMNS " FROM events e"
		" WHERE e.starts_at >= ?2 AND e.starts_at < ?3 AND e.ends_at > ?4"
		" AND (?5 = 0 OR (e.starts_at, e.id) > (SELECT starts_at, id FROM events"
		"   WHERE id = ?5))"
		" ORDER BY e.starts_at, e.id LIMIT ?6";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*items = NULL;
	*next_after = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, viewer_client);
	sqlite3_bind_int64(stmt, 2, range->starts_from);
	sqlite3_bind_int64(stmt, 3, range->starts_before);
	sqlite3_bind_int64(stmt, 4, range->ends_after);
	sqlite3_bind_int64(stmt, 5, after);
	sqlite3_bind_int(stmt, 6, limit + 1);
	return hm_db_page(db, stmt, limit, event_from_row, items, next_after);
}

/* ---- staff writes, each inside its transaction ------------------------------ */

static enum hm_err insert_event(struct hm_db *db, const struct hm_event_input *in,
				const struct hm_actor *who, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO events (title, kind, subject, starts_at, ends_at, capacity,"
		" description, created_at, created_by, updated_at, translations)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8, coalesce(?10, '{}'))";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, in->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, in->kind, -1, SQLITE_TRANSIENT);
	hm_db_bind_text_or_null(stmt, 3, in->subject);
	sqlite3_bind_int64(stmt, 4, in->starts_at);
	sqlite3_bind_int64(stmt, 5, in->ends_at);
	sqlite3_bind_int64(stmt, 6, in->capacity);
	sqlite3_bind_text(stmt, 7, in->description, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 8, who->now);
	sqlite3_bind_int64(stmt, 9, who->user_id);
	char *translations = in->translations ? hm_db_json_dump(in->translations) : NULL;
	hm_db_bind_text_or_null(stmt, 10, translations);
	enum hm_err err = in->translations && !translations   ? HM_ERR_INTERNAL
			  : sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							      : hm_db_fail(db, "insert event");
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	hm_db_done(stmt);
	free(translations);
	return err;
}

enum hm_err hm_db_events_create(struct hm_db *db, const struct hm_event_input *in, json_t *detail,
				const struct hm_actor *who, json_t **out)
{
	int64_t id = 0;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = insert_event(db, in, who, &id);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "event.create", "event", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = event_json(db, id, 0, out);
	return hm_db_end(db, err);
}

static bool input_changes(const struct hm_event_input *in)
{
	return in->title || in->kind || in->subject || in->clear_subject || in->description ||
	       in->has_starts || in->has_ends || in->has_capacity || in->translations;
}

static enum hm_err update_event(struct hm_db *db, int64_t id, const struct hm_event_input *in,
				int64_t now)
{
	static const char sql[] =
		"UPDATE events SET title = coalesce(?2, title), kind = coalesce(?3, kind),"
		" subject = CASE WHEN ?4 THEN NULL ELSE coalesce(?5, subject) END,"
		" starts_at = coalesce(?6, starts_at), ends_at = coalesce(?7, ends_at),"
		" capacity = coalesce(?8, capacity), description = coalesce(?9, description),"
		" updated_at = ?10, translations = coalesce(?11, translations) WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	hm_db_bind_text_or_null(stmt, 2, in->title);
	hm_db_bind_text_or_null(stmt, 3, in->kind);
	sqlite3_bind_int(stmt, 4, in->clear_subject);
	hm_db_bind_text_or_null(stmt, 5, in->subject);
	if (in->has_starts)
		sqlite3_bind_int64(stmt, 6, in->starts_at);
	if (in->has_ends)
		sqlite3_bind_int64(stmt, 7, in->ends_at);
	if (in->has_capacity)
		sqlite3_bind_int64(stmt, 8, in->capacity);
	hm_db_bind_text_or_null(stmt, 9, in->description);
	sqlite3_bind_int64(stmt, 10, now);
	char *translations = in->translations ? hm_db_json_dump(in->translations) : NULL;
	hm_db_bind_text_or_null(stmt, 11, translations);
	int rc = in->translations && !translations ? SQLITE_NOMEM : sqlite3_step(stmt);
	hm_db_done(stmt);
	free(translations);
	/* events_capacity_floor only fires if the caller's check was wrong. */
	return rc == SQLITE_DONE                 ? HM_OK
	       : rc == SQLITE_CONSTRAINT_TRIGGER ? HM_ERR_CONFLICT
						 : hm_db_fail(db, "update event");
}

enum hm_err hm_db_events_update(struct hm_db *db, int64_t id, const struct hm_event_input *in,
				json_t *detail, const struct hm_actor *who,
				const struct hm_outbox_env *env, json_t **out, int *registered)
{
	struct hm_event_state cur;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	/* Read under the write lock: registrations may have come in since the caller
	 * looked. */
	err = hm_db_events_state(db, id, 0, &cur);
	*registered = cur.registered;
	if (err == HM_OK && in->has_capacity && in->capacity < cur.registered)
		err = HM_ERR_CONFLICT;
	if (err == HM_OK && input_changes(in)) {
		err = update_event(db, id, in, who->now);
		if (err == HM_OK)
			err = hm_audit_record(db, who->user_id, "event.update", "event", id, detail,
					      who->request_id, who->now);
	}
	/* A capacity raised frees places: the line fills them in this transaction. */
	if (err == HM_OK && in->has_capacity && in->capacity > cur.capacity)
		err = hm_db_waitlists_fill_event(db, env, id, who, NULL);
	if (err == HM_OK)
		err = event_json(db, id, 0, out);
	return hm_db_end(db, err);
}

/* ---- students' writes -------------------------------------------------------- */

static enum hm_err insert_registration(struct hm_db *db, int64_t event_id, int64_t client_id,
				       int64_t now)
{
	static const char sql[] =
		"INSERT INTO event_registrations (event_id, client_id, created_at) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, event_id);
	sqlite3_bind_int64(stmt, 2, client_id);
	sqlite3_bind_int64(stmt, 3, now);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	if (rc == SQLITE_CONSTRAINT_TRIGGER)
		err = strcmp(sqlite3_errmsg(hm_db_handle(db)), "full") == 0 ? HM_ERR_FULL
									    : HM_ERR_CONFLICT;
	else if (rc != SQLITE_DONE)
		err = hm_db_fail(db, "insert registration");
	hm_db_done(stmt);
	return err;
}

static enum hm_err delete_registration(struct hm_db *db, int64_t event_id, int64_t client_id)
{
	static const char sql[] =
		"DELETE FROM event_registrations WHERE event_id = ?1 AND client_id = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, event_id);
	sqlite3_bind_int64(stmt, 2, client_id);
	enum hm_err err = sqlite3_step(stmt) == SQLITE_DONE
				  ? HM_OK
				  : hm_db_fail(db, "withdraw registration");
	hm_db_done(stmt);
	return err;
}

/* The audit row of a registration or withdrawal: the event, and the client in its
 * detail. */
static enum hm_err audit_registration(struct hm_db *db, const char *action, int64_t event_id,
				      int64_t client_id, const struct hm_actor *who)
{
	json_t *detail = json_pack("{s:I}", "client_id", (json_int_t)client_id);
	enum hm_err err = detail ? hm_audit_record(db, who->user_id, action, "event", event_id,
						   detail, who->request_id, who->now)
				 : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

enum hm_err hm_db_events_register(struct hm_db *db, int64_t id, int64_t client_id,
				  const struct hm_actor *who, json_t **out, bool *created)
{
	struct hm_event_state ev;
	*out = NULL;
	*created = false;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_events_state(db, id, client_id, &ev);
	if (err == HM_OK && !ev.is_registered) {
		/* Started: the trigger would refuse it too, but say so without trying. */
		err = ev.starts_at <= who->now ? HM_ERR_CONFLICT
					       : insert_registration(db, id, client_id, who->now);
		if (err == HM_OK)
			err = audit_registration(db, "event.register", id, client_id, who);
		*created = err == HM_OK;
	}
	if (err == HM_OK)
		err = event_json(db, id, client_id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_events_withdraw(struct hm_db *db, int64_t id, int64_t client_id,
				  const struct hm_actor *who, const struct hm_outbox_env *env)
{
	struct hm_event_state ev;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_events_state(db, id, client_id, &ev);
	if (err == HM_OK && ev.is_registered) {
		err = ev.starts_at <= who->now ? HM_ERR_CONFLICT
					       : delete_registration(db, id, client_id);
		if (err == HM_OK)
			err = audit_registration(db, "event.withdraw", id, client_id, who);
		/* The place freed goes to the first in line before anyone else can see
		 * it free: this transaction holds the write lock. */
		if (err == HM_OK)
			err = hm_db_waitlists_fill_event(db, env, id, who, NULL);
	}
	return hm_db_end(db, err);
}
