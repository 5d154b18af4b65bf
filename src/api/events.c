// SPDX-License-Identifier: MIT
// Community events (workshops, talks, forums): the public list (upcoming by
// default, or local days ?from=&to=), staff creating and changing them, and
// students registering and withdrawing. The database's triggers keep registrations
// within capacity and closed once an event starts, even when students race for
// the last places. Data layer first, then the handlers.
#include <string.h>

#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/crm.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define EVENT_MAX_LENGTH ((int64_t)7 * 86400) /* an event lasts at most a week */
#define EVENT_HORIZON ((int64_t)400 * 86400)  /* and is planned at most 400 days ahead */
#define EVENT_MAX_CAPACITY 1000

static const char *const event_kinds[] = {"workshop", "talk", "forum", NULL};

/* ---- data layer ---------------------------------------------------------- */

/* The columns event_from_row reads. ?1 is the viewer's client id when the viewer
 * is a student, 0 otherwise (is_registered is then NULL). */
#define EVENT_COLUMNS                                                                     \
	"e.id, e.title, e.kind, e.subject, e.starts_at, e.ends_at, e.capacity,"           \
	" e.description,"                                                                 \
	" (SELECT count(*) FROM event_registrations r WHERE r.event_id = e.id),"          \
	" CASE WHEN ?1 = 0 THEN NULL ELSE EXISTS (SELECT 1 FROM event_registrations r"    \
	"   WHERE r.event_id = e.id AND r.client_id = ?1) END,"                           \
	" e.created_at, e.updated_at"

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
	return json_pack(
		"{s:I, s:s, s:s, s:o, s:s, s:s, s:i, s:s, s:i, s:i, s:o, s:s, s:s}",
		"id", (json_int_t)sqlite3_column_int64(stmt, 0),
		"title", (const char *)sqlite3_column_text(stmt, 1),
		"kind", (const char *)sqlite3_column_text(stmt, 2),
		"subject", subject ? json_string((const char *)subject) : json_null(),
		"starts_at", starts,
		"ends_at", ends,
		"capacity", capacity,
		"description", (const char *)sqlite3_column_text(stmt, 7),
		"registered_count", registered,
		"places_left", capacity > registered ? capacity - registered : 0,
		"is_registered", sqlite3_column_type(stmt, 9) == SQLITE_NULL
					 ? json_null() : json_boolean(sqlite3_column_int(stmt, 9)),
		"created_at", created,
		"updated_at", updated);
}

/* One event as viewer_client (0: not a student) sees it. */
static enum hm_err event_json(struct hm_db *db, int64_t id, int64_t viewer_client, json_t **out)
{
	static const char sql[] = "SELECT " EVENT_COLUMNS " FROM events e WHERE e.id = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	enum hm_err err = HM_ERR_NOT_FOUND;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, viewer_client);
	sqlite3_bind_int64(stmt, 2, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = event_from_row(stmt);
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read event");
	}
	hm_db_done(stmt);
	return err;
}

/* What the handlers need to decide: times, capacity, registrations. */
struct event_row {
	int64_t id, starts_at, ends_at;
	int capacity, registered;
	bool is_registered; /* client_id given to event_row is registered */
};

static enum hm_err event_row(struct hm_db *db, int64_t id, int64_t client_id,
			     struct event_row *out)
{
	static const char sql[] =
		"SELECT e.id, e.starts_at, e.ends_at, e.capacity,"
		" (SELECT count(*) FROM event_registrations r WHERE r.event_id = e.id),"
		" EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id"
		"   AND r.client_id = ?2) FROM events e WHERE e.id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->starts_at = sqlite3_column_int64(stmt, 1);
		out->ends_at = sqlite3_column_int64(stmt, 2);
		out->capacity = sqlite3_column_int(stmt, 3);
		out->registered = sqlite3_column_int(stmt, 4);
		out->is_registered = sqlite3_column_int(stmt, 5) != 0;
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read event row");
}

/* The caller's client id when a student (404 without a record), else 0. */
static enum hm_err viewer_client(struct hm_request *req, int64_t *client_id)
{
	*client_id = 0;
	if (req->who.role != HM_ROLE_STUDENT)
		return HM_OK;
	return hm_crm_client_of_user(req->db, req->who.user_id, client_id);
}

/* ---- validation ---------------------------------------------------------- */

struct event_fields {
	const char *title, *subject, *description;
	int kind;
	int64_t starts, ends, capacity;
	bool starts_present, ends_present, capacity_present, subject_null;
};

/* An instant field: RFC 3339. */
static void validate_instant(struct hm_validation *v, json_t *body, const char *field,
			     bool required, int64_t *out, bool *present)
{
	const char *text = NULL;
	hm_validate_text(v, body, field, required, 40, &text);
	if (!text)
		return;
	if (!hm_time_parse(text, out))
		hm_validation_fail(v, field, "must be an RFC 3339 instant");
	else
		*present = true;
}

/* Checks an event body; for a create every field but subject is required. For an
 * update, cur holds the event as it is (its times complete what is not sent). */
static void validate_event(struct hm_validation *v, json_t *body, const struct event_row *cur,
			   int64_t now, struct event_fields *f)
{
	static const char *const allowed[] = {"title", "kind", "subject", "starts_at", "ends_at",
					      "capacity", "description", NULL};
	static const char *const read_only[] = {"id", "registered_count", "places_left",
						"is_registered", "created_at", "updated_at", NULL};
	bool create = cur == NULL;
	hm_validate_known(v, body, allowed, read_only);
	hm_validate_text(v, body, "title", create, HM_MAX_NAME, &f->title);
	hm_validate_enum(v, body, "kind", create, event_kinds, &f->kind);
	f->subject_null = !create && json_is_null(json_object_get(body, "subject"));
	hm_validate_subject(v, body, "subject", false, &f->subject);
	validate_instant(v, body, "starts_at", create, &f->starts, &f->starts_present);
	validate_instant(v, body, "ends_at", create, &f->ends, &f->ends_present);
	hm_validate_int(v, body, "capacity", create, 1, EVENT_MAX_CAPACITY, &f->capacity,
			&f->capacity_present);
	hm_validate_long_text(v, body, "description", create, HM_MAX_TEXT, &f->description);

	if (f->starts_present && f->starts <= now)
		hm_validation_fail(v, "starts_at", "must be in the future");
	else if (f->starts_present && f->starts > now + EVENT_HORIZON)
		hm_validation_fail(v, "starts_at", "is too far ahead: at most 400 days");
	/* The times as they will be; complain about the field that was sent. */
	if ((create && (!f->starts_present || !f->ends_present)) ||
	    (!f->starts_present && !f->ends_present))
		return;
	int64_t starts = f->starts_present ? f->starts : cur->starts_at;
	int64_t ends = f->ends_present ? f->ends : cur->ends_at;
	const char *field = f->ends_present ? "ends_at" : "starts_at";
	if (ends <= starts)
		hm_validation_fail(v, field, "must be after starts_at");
	else if (ends - starts > EVENT_MAX_LENGTH)
		hm_validation_fail(v, field, "an event lasts at most 7 days");
}

/* ---- handlers: reading --------------------------------------------------- */

void hm_api_events_list(struct hm_request *req, struct hm_reply *reply)
{
	/* One statement for both shapes: upcoming is starts_at in [now - 7 days, ∞)
	 * with ends_at > now, a range is starts_at in [from, to + 1 day) with any end;
	 * either way the starts_at index bounds the scan. */
	static const char sql[] =
		"SELECT " EVENT_COLUMNS " FROM events e"
		" WHERE e.starts_at >= ?2 AND e.starts_at < ?3 AND e.ends_at > ?4"
		" AND (?5 = 0 OR (e.starts_at, e.id) > (SELECT starts_at, id FROM events"
		"   WHERE id = ?5))"
		" ORDER BY e.starts_at, e.id LIMIT ?6";
	json_t *fields = NULL, *items = NULL;
	int64_t first = 0, last = 0, client = 0, after, next = 0;
	int limit;
	bool range = hm_query_get(req, "from") || hm_query_get(req, "to");
	if (range)
		hm_api_query_days(req, 31, 366, &first, &last, &fields);
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = viewer_client(req, &client);
	if (err == HM_ERR_NOT_FOUND)
		err = HM_OK; /* a student without a record still sees the public list */
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, client);
		sqlite3_bind_int64(stmt, 2, range ? hm_local_instant(first, 0)
						  : req->now - EVENT_MAX_LENGTH);
		sqlite3_bind_int64(stmt, 3, range ? hm_local_instant(last + 1, 0) : INT64_MAX);
		sqlite3_bind_int64(stmt, 4, range ? INT64_MIN : req->now);
		sqlite3_bind_int64(stmt, 5, after);
		sqlite3_bind_int(stmt, 6, limit + 1);
		err = hm_db_page(req->db, stmt, limit, event_from_row, &items, &next);
	}
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

/* ---- handlers: staff ----------------------------------------------------- */

void hm_api_events_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"INSERT INTO events (title, kind, subject, starts_at, ends_at, capacity,"
		" description, created_at, created_by, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8)";
	struct hm_validation v;
	struct event_fields f = {.kind = -1};
	json_t *body = NULL;
	int64_t id = 0;

	hm_validation_init(&v);
	validate_event(&v, req->json, NULL, req->now, &f);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_text(stmt, 1, f.title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, event_kinds[f.kind], -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 3, f.subject);
		sqlite3_bind_int64(stmt, 4, f.starts);
		sqlite3_bind_int64(stmt, 5, f.ends);
		sqlite3_bind_int64(stmt, 6, f.capacity);
		sqlite3_bind_text(stmt, 7, f.description, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 8, req->now);
		sqlite3_bind_int64(stmt, 9, req->who.user_id);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "insert event");
		id = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "event.create", "event", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = event_json(req->db, id, 0, &body);
	hm_api_finish(req, reply, err, 201, body);
out:
	hm_validation_release(&v);
}

void hm_api_events_update(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"UPDATE events SET title = coalesce(?2, title), kind = coalesce(?3, kind),"
		" subject = CASE WHEN ?4 THEN NULL ELSE coalesce(?5, subject) END,"
		" starts_at = coalesce(?6, starts_at), ends_at = coalesce(?7, ends_at),"
		" capacity = coalesce(?8, capacity), description = coalesce(?9, description),"
		" updated_at = ?10 WHERE id = ?1";
	struct hm_validation v;
	struct event_fields f = {.kind = -1};
	struct event_row cur;
	int64_t id = req->path_ids[0];
	json_t *body = NULL;

	hm_validation_init(&v);
	enum hm_err err = event_row(req->db, id, 0, &cur); /* 404 before 422 */
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	validate_event(&v, req->json, &cur, req->now, &f);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	err = hm_db_begin(req->db);
	/* Read again under the write lock: registrations may have come in since. */
	if (err == HM_OK)
		err = event_row(req->db, id, 0, &cur);
	if (err == HM_OK && f.capacity_present && f.capacity < cur.registered) {
		hm_db_rollback(req->db);
		hm_reply_error(reply, HM_ERR_CONFLICT,
			       "More students are registered than that capacity; it cannot go"
			       " below registered_count.");
		json_object_set_new(json_object_get(reply->json, "error"), "registered_count",
				    json_integer(cur.registered));
		goto out;
	}
	/* {} changes nothing, not even updated_at. */
	bool changes = json_object_size(req->json) > 0;
	sqlite3_stmt *stmt = err == HM_OK && changes ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && changes && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK && changes) {
		sqlite3_bind_int64(stmt, 1, id);
		hm_db_bind_text_or_null(stmt, 2, f.title);
		hm_db_bind_text_or_null(stmt, 3, f.kind >= 0 ? event_kinds[f.kind] : NULL);
		sqlite3_bind_int(stmt, 4, f.subject_null);
		hm_db_bind_text_or_null(stmt, 5, f.subject);
		if (f.starts_present)
			sqlite3_bind_int64(stmt, 6, f.starts);
		if (f.ends_present)
			sqlite3_bind_int64(stmt, 7, f.ends);
		if (f.capacity_present)
			sqlite3_bind_int64(stmt, 8, f.capacity);
		hm_db_bind_text_or_null(stmt, 9, f.description);
		sqlite3_bind_int64(stmt, 10, req->now);
		int rc = sqlite3_step(stmt);
		/* The capacity trigger only fires if the check above was wrong. */
		err = rc == SQLITE_DONE ? HM_OK
		      : rc == SQLITE_CONSTRAINT_TRIGGER ? HM_ERR_CONFLICT
		      : hm_db_fail(req->db, "update event");
		hm_db_done(stmt);
	}
	if (err == HM_OK && changes)
		err = hm_audit_record(req->db, req->who.user_id, "event.update", "event", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = event_json(req->db, id, 0, &body);
	hm_api_finish(req, reply, err, 200, body);
out:
	hm_validation_release(&v);
}

/* ---- handlers: registration ---------------------------------------------- */

/* An action body: empty, or an object without fields. Answers 422 itself. */
static bool empty_action_body(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const none[] = {NULL};
	struct hm_validation v;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, none, NULL);
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

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

void hm_api_events_register(struct hm_request *req, struct hm_reply *reply)
{
	struct event_row ev;
	int64_t client = 0, id = req->path_ids[0];
	int status = 201;
	json_t *body = NULL;
	enum hm_err err = viewer_client(req, &client);
	if (err == HM_OK)
		err = event_row(req->db, id, client, &ev); /* 404 before 422 */
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	if (!empty_action_body(req, reply))
		return;
	err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = event_row(req->db, id, client, &ev);
	if (err == HM_OK && ev.is_registered) {
		status = 200; /* registered already: nothing changes */
	} else if (err == HM_OK && ev.starts_at <= req->now) {
		err = HM_ERR_CONFLICT; /* the trigger would refuse it too */
	} else if (err == HM_OK) {
		/* No count here: the trigger decides, under the write lock. */
		err = insert_registration(req->db, id, client, req->now);
		json_t *detail = err == HM_OK ? json_pack("{s:I}", "client_id", (json_int_t)client)
					      : NULL;
		if (err == HM_OK)
			err = detail ? hm_audit_record(req->db, req->who.user_id, "event.register",
						       "event", id, detail, req->request_id, req->now)
				     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	if (err == HM_ERR_FULL || err == HM_ERR_CONFLICT) {
		hm_db_rollback(req->db);
		hm_reply_error(reply, err, err == HM_ERR_FULL
			       ? "The event is full." : "The event has started; registration is closed.");
		return;
	}
	if (err == HM_OK)
		err = event_json(req->db, id, client, &body);
	hm_api_finish(req, reply, err, status, body);
}

void hm_api_events_withdraw(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"DELETE FROM event_registrations WHERE event_id = ?1 AND client_id = ?2";
	struct event_row ev;
	int64_t client = 0, id = req->path_ids[0];
	enum hm_err err = viewer_client(req, &client);
	if (err == HM_OK)
		err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = event_row(req->db, id, client, &ev);
	if (err == HM_OK && !ev.is_registered) {
		hm_db_rollback(req->db); /* not registered: nothing to withdraw, same answer */
		hm_reply_no_content(reply);
		return;
	}
	if (err == HM_OK && ev.starts_at <= req->now) {
		hm_db_rollback(req->db);
		hm_reply_error(reply, HM_ERR_CONFLICT,
			       "The event has started; registrations no longer change.");
		return;
	}
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, client);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							: hm_db_fail(req->db, "withdraw registration");
		hm_db_done(stmt);
	}
	if (err == HM_OK) {
		json_t *detail = json_pack("{s:I}", "client_id", (json_int_t)client);
		err = detail ? hm_audit_record(req->db, req->who.user_id, "event.withdraw", "event",
					       id, detail, req->request_id, req->now)
			     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_no_content(reply);
}
