// SPDX-License-Identifier: MIT
// Waitlists (include/harreman/db_waitlists.h): every SQL statement of the event and
// group-session lines. A freed place is handed on inside the transaction that
// freed it (a withdrawal, a capacity raised, a cancellation, an offer given up or
// expired), and every such transaction holds SQLite's write lock from its first
// read (BEGIN IMMEDIATE, or the writer's batch): no other write can see the place
// free in between, so it goes to exactly one student however many race. The
// triggers of sql/0008_waitlists.sql have the last word on who may join a line and
// count a held offer as a taken seat.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_events.h"
#include "harreman/db_json.h"
#include "harreman/db_lessons.h"
#include "harreman/db_services.h"
#include "harreman/db_waitlists.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

#define OFFER_SECONDS ((int64_t)HM_WAITLIST_OFFER_HOURS * 3600)
#define MINE_MAX 200 /* entries GET /me/waitlist shows of each kind */

/* Steps a bound statement that returns no row; gives it back. */
static enum hm_err run(struct hm_db *db, sqlite3_stmt *stmt, const char *what)
{
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, what);
}

/* The audit row of a waitlist change: entity, id, and the client in its detail. */
static enum hm_err audit(struct hm_db *db, const char *action, const char *entity, int64_t id,
			 int64_t client_id, bool from_waitlist, const struct hm_actor *who)
{
	json_t *detail = from_waitlist ? json_pack("{s:I, s:b}", "client_id", (json_int_t)client_id,
						   "from_waitlist", 1)
				       : json_pack("{s:I}", "client_id", (json_int_t)client_id);
	enum hm_err err = detail ? hm_audit_record(db, who->user_id, action, entity, id, detail,
						   who->request_id, who->now)
				 : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

/* ---- events ------------------------------------------------------------------ */

/* The first in event_id's line: *row_id and *client_id, or 0 when nobody. */
static enum hm_err first_in_event_line(struct hm_db *db, int64_t event_id, int64_t *row_id,
				       int64_t *client_id)
{
	static const char sql[] = "SELECT id, client_id FROM event_waitlist WHERE event_id = ?1"
				  " ORDER BY id LIMIT 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*row_id = *client_id = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, event_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*row_id = sqlite3_column_int64(stmt, 0);
		*client_id = sqlite3_column_int64(stmt, 1);
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read event line");
}

/* Moves line row row_id into the event's registrations. The capacity trigger of
 * sql/0003 still has the last word. */
static enum hm_err promote(struct hm_db *db, int64_t row_id, int64_t now)
{
	static const char insert_sql[] =
		"INSERT INTO event_registrations (event_id, client_id, created_at)"
		" SELECT event_id, client_id, ?2 FROM event_waitlist WHERE id = ?1";
	static const char delete_sql[] = "DELETE FROM event_waitlist WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, insert_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, row_id);
	sqlite3_bind_int64(stmt, 2, now);
	enum hm_err err = run(db, stmt, "register from the line");
	if (err == HM_OK && (stmt = hm_db_stmt(db, delete_sql)) != NULL)
		sqlite3_bind_int64(stmt, 1, row_id);
	return err == HM_OK ? run(db, stmt, "leave the event line") : err;
}

enum hm_err hm_db_waitlists_fill_event(struct hm_db *db, const struct hm_outbox_env *env,
				       int64_t event_id, const struct hm_actor *who, int *promoted)
{
	/* Students who got a place some other way (a place freed by an erasure, taken
	 * by registering) leave the line first. */
	static const char seated_sql[] =
		"DELETE FROM event_waitlist WHERE event_id = ?1 AND client_id IN"
		" (SELECT client_id FROM event_registrations WHERE event_id = ?1)";
	sqlite3_stmt *stmt = hm_db_stmt(db, seated_sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, event_id);
	enum hm_err err = run(db, stmt, "tidy the event line");
	if (promoted)
		*promoted = 0;
	while (err == HM_OK) {
		struct hm_event_state ev;
		int64_t row_id = 0, client_id = 0;
		err = hm_db_events_state(db, event_id, 0, &ev);
		if (err != HM_OK || ev.starts_at <= who->now || ev.registered >= ev.capacity)
			break;
		err = first_in_event_line(db, event_id, &row_id, &client_id);
		if (err != HM_OK || !row_id)
			break;
		err = promote(db, row_id, who->now);
		if (err == HM_OK)
			err = audit(db, "event.register", "event", event_id, client_id, true, who);
		if (err == HM_OK)
			err = hm_outbox_waitlist_registered(db, env, event_id, client_id, who->now);
		if (err != HM_OK)
			break;
		if (promoted)
			(*promoted)++;
	}
	return err;
}

/* client_id's place in event_id's line (0: not in it). */
static enum hm_err event_position(struct hm_db *db, int64_t event_id, int64_t client_id,
				  int64_t *position)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM event_waitlist o WHERE o.event_id = w.event_id"
		"   AND o.id <= w.id) FROM event_waitlist w WHERE w.event_id = ?1"
		" AND w.client_id = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*position = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, event_id);
	sqlite3_bind_int64(stmt, 2, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*position = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "event position");
}

/* Inserts the line row; the trigger refuses a registered student or an event with
 * places left. */
static enum hm_err insert_event_entry(struct hm_db *db, int64_t event_id, int64_t client_id,
				      int64_t now, int64_t *row_id, const char **why)
{
	static const char sql[] =
		"INSERT INTO event_waitlist (event_id, client_id, created_at) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, event_id);
	sqlite3_bind_int64(stmt, 2, client_id);
	sqlite3_bind_int64(stmt, 3, now);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	if (rc == SQLITE_CONSTRAINT_TRIGGER) {
		err = HM_ERR_CONFLICT;
		*why = strcmp(sqlite3_errmsg(hm_db_handle(db)), "registered") == 0
			       ? "You are registered for this event already."
			       : "The event has places left: register instead.";
	} else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		err = HM_ERR_CONFLICT;
		*why = "You are in this event's waiting list already.";
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "join event line");
	} else {
		*row_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_waitlists_join_event(struct hm_db *db, int64_t id, int64_t client_id,
				       const struct hm_actor *who, json_t **out, const char **why)
{
	struct hm_event_state ev;
	int64_t row_id = 0, position = 0;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_events_state(db, id, client_id, &ev);
	if (err == HM_OK && ev.starts_at <= who->now) {
		*why = "The event has started.";
		err = HM_ERR_CONFLICT;
	}
	if (err == HM_OK)
		err = insert_event_entry(db, id, client_id, who->now, &row_id, why);
	if (err == HM_OK)
		err = audit(db, "waitlist.join", "event", id, client_id, false, who);
	if (err == HM_OK)
		err = event_position(db, id, client_id, &position);
	if (err == HM_OK &&
	    !(*out = json_pack("{s:s, s:I, s:I, s:I, s:n}", "kind", "event", "id",
			       (json_int_t)row_id, "event_id", (json_int_t)id, "position",
			       (json_int_t)position, "offer_expires_at")))
		err = HM_ERR_INTERNAL;
	err = hm_db_end(db, err);
	if (err != HM_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

enum hm_err hm_db_waitlists_leave_event(struct hm_db *db, int64_t id, int64_t client_id,
					const struct hm_actor *who)
{
	static const char sql[] =
		"DELETE FROM event_waitlist WHERE event_id = ?1 AND client_id = ?2";
	struct hm_event_state ev;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_events_state(db, id, client_id, &ev);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, sql) : NULL;
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, client_id);
	}
	if (err == HM_OK)
		err = run(db, stmt, "leave event line");
	if (err == HM_OK && sqlite3_changes(hm_db_handle(db)) > 0)
		err = audit(db, "waitlist.leave", "event", id, client_id, false, who);
	return hm_db_end(db, err);
}

/* ---- group sessions -------------------------------------------------------------- */

/* The entry JSON of GET /me/waitlist for a slot row; position counts the waiting
 * rows of the session up to this one (null for an offer). */
#define SLOT_COLUMNS                                                                      \
	"w.id, w.service_id, w.tutor_id, w.starts_at, w.state, w.offer_expires_at,"       \
	" CASE WHEN w.state = 'waiting' THEN (SELECT count(*) FROM slot_waitlist o"       \
	"   WHERE o.tutor_id = w.tutor_id AND o.service_id = w.service_id"                \
	"   AND o.starts_at = w.starts_at AND o.state = 'waiting' AND o.id <= w.id) END," \
	" s.name"

static json_t *slot_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:o, s:s, s:o, s:o, s:s}", "kind", "slot", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "service_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "tutor_id",
			 (json_int_t)sqlite3_column_int64(stmt, 2), "starts_at",
			 hm_db_json_time(stmt, 3), "state",
			 (const char *)sqlite3_column_text(stmt, 4), "offer_expires_at",
			 hm_db_json_time(stmt, 5), "position", hm_db_json_int(stmt, 6), "title",
			 (const char *)sqlite3_column_text(stmt, 7));
}

static enum hm_err slot_json(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = "SELECT " SLOT_COLUMNS " FROM slot_waitlist w"
				  " JOIN services s ON s.id = w.service_id WHERE w.id = ?1";
	return hm_db_row_by_id(db, sql, id, slot_from_row, out, "read waitlist entry");
}

/* What deciding on an entry needs. */
struct entry {
	int64_t id, client_id, deadline;
	struct hm_session_key k;
	char state[16];
};

static enum hm_err read_entry(struct hm_db *db, int64_t id, struct entry *e)
{
	static const char sql[] = "SELECT id, client_id, tutor_id, service_id, starts_at, state,"
				  " coalesce(offer_expires_at, 0) FROM slot_waitlist WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	memset(e, 0, sizeof *e);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		e->id = sqlite3_column_int64(stmt, 0);
		e->client_id = sqlite3_column_int64(stmt, 1);
		e->k.tutor_id = sqlite3_column_int64(stmt, 2);
		e->k.service_id = sqlite3_column_int64(stmt, 3);
		e->k.starts_at = sqlite3_column_int64(stmt, 4);
		const unsigned char *state = sqlite3_column_text(stmt, 5);
		snprintf(e->state, sizeof e->state, "%s", state ? (const char *)state : "");
		e->deadline = sqlite3_column_int64(stmt, 6);
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read waitlist entry");
}

/* Seats of session k not taken by a booked lesson or a held offer. */
static enum hm_err seats_free(struct hm_db *db, const struct hm_session_key *k, int *free_seats)
{
	static const char sql[] =
		"SELECT s.capacity - (SELECT count(*) FROM lessons l WHERE l.tutor_id = ?1"
		"   AND l.service_id = ?2 AND l.starts_at = ?3 AND l.status = 'booked')"
		" - (SELECT count(*) FROM slot_waitlist w WHERE w.tutor_id = ?1"
		"   AND w.service_id = ?2 AND w.starts_at = ?3 AND w.state = 'offered')"
		" FROM services s WHERE s.id = ?2 AND s.kind <> 'private'";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*free_seats = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, k->tutor_id);
	sqlite3_bind_int64(stmt, 2, k->service_id);
	sqlite3_bind_int64(stmt, 3, k->starts_at);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*free_seats = sqlite3_column_int(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "count seats");
}

/* While session k (still to come) has a free seat, offers it to the first waiting
 * student. Waiting students who have a seat in it already (booked by staff) leave
 * the line first. */
static enum hm_err offer_seats(struct hm_db *db, const struct hm_outbox_env *env,
			       const struct hm_session_key *k, const struct hm_actor *who)
{
	static const char seated_sql[] =
		"DELETE FROM slot_waitlist WHERE tutor_id = ?1 AND service_id = ?2"
		" AND starts_at = ?3 AND state = 'waiting' AND client_id IN (SELECT client_id"
		"   FROM lessons WHERE tutor_id = ?1 AND service_id = ?2 AND starts_at = ?3"
		"   AND status = 'booked')";
	static const char first_sql[] =
		"SELECT id, client_id FROM slot_waitlist WHERE tutor_id = ?1 AND service_id = ?2"
		" AND starts_at = ?3 AND state = 'waiting' ORDER BY id LIMIT 1";
	static const char offer_sql[] =
		"UPDATE slot_waitlist SET state = 'offered', offer_expires_at = ?2 WHERE id = ?1";
	if (k->starts_at <= who->now)
		return HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(db, seated_sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, k->tutor_id);
		sqlite3_bind_int64(stmt, 2, k->service_id);
		sqlite3_bind_int64(stmt, 3, k->starts_at);
	}
	enum hm_err err = run(db, stmt, "tidy the line");
	for (;;) {
		int free_seats = 0;
		int64_t id = 0, client_id = 0;
		if (err == HM_OK)
			err = seats_free(db, k, &free_seats);
		if (err != HM_OK || free_seats <= 0)
			break;
		if (!(stmt = hm_db_stmt(db, first_sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, k->tutor_id);
		sqlite3_bind_int64(stmt, 2, k->service_id);
		sqlite3_bind_int64(stmt, 3, k->starts_at);
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			id = sqlite3_column_int64(stmt, 0);
			client_id = sqlite3_column_int64(stmt, 1);
		}
		hm_db_done(stmt);
		if (rc != SQLITE_ROW) {
			err = rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read the line");
			break;
		}
		int64_t until = who->now + OFFER_SECONDS;
		if (until > k->starts_at)
			until = k->starts_at;
		if (!(stmt = hm_db_stmt(db, offer_sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, until);
		err = run(db, stmt, "offer a seat");
		if (err == HM_OK)
			err = audit(db, "waitlist.offer", "waitlist", id, client_id, false, who);
		if (err == HM_OK)
			err = hm_outbox_waitlist_offer(db, env, id, who->now);
	}
	return err;
}

enum hm_err hm_db_waitlists_session_freed(struct hm_db *db, const struct hm_outbox_env *env,
					  const struct hm_session_key *k,
					  const struct hm_actor *who)
{
	return offer_seats(db, env, k, who);
}

enum hm_err hm_db_waitlists_seats_freed(struct hm_db *db, const struct hm_outbox_env *env,
					const int64_t *lesson_ids, size_t n,
					const struct hm_actor *who)
{
	static const char sql[] =
		"SELECT l.tutor_id, l.service_id, l.starts_at FROM lessons l"
		" JOIN services s ON s.id = l.service_id WHERE l.id = ?1 AND s.kind <> 'private'";
	enum hm_err err = HM_OK;
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		struct hm_session_key k = {0};
		sqlite3_stmt *stmt = hm_db_stmt(db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, lesson_ids[i]);
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			k = (struct hm_session_key){sqlite3_column_int64(stmt, 0),
						    sqlite3_column_int64(stmt, 1),
						    sqlite3_column_int64(stmt, 2)};
		hm_db_done(stmt);
		if (rc == SQLITE_ROW)
			err = offer_seats(db, env, &k, who);
		else if (rc != SQLITE_DONE)
			err = hm_db_fail(db, "read a freed seat");
	}
	return err;
}

/* Inserts the waiting row; the trigger refuses a booked student or a free seat,
 * the unique index a second entry. */
static enum hm_err insert_slot_entry(struct hm_db *db, const struct hm_session_key *k,
				     int64_t client_id, int64_t now, int64_t *id, const char **why)
{
	static const char sql[] =
		"INSERT INTO slot_waitlist (client_id, service_id, tutor_id, starts_at, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, k->service_id);
	sqlite3_bind_int64(stmt, 3, k->tutor_id);
	sqlite3_bind_int64(stmt, 4, k->starts_at);
	sqlite3_bind_int64(stmt, 5, now);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	if (rc == SQLITE_CONSTRAINT_TRIGGER) {
		err = HM_ERR_CONFLICT;
		*why = strcmp(sqlite3_errmsg(hm_db_handle(db)), "booked") == 0
			       ? "You have a seat in this session already."
			       : "The session has a seat free: book it instead.";
	} else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		err = HM_ERR_CONFLICT;
		*why = "You are in this session's waiting list already.";
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "join session line");
	} else {
		*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_waitlists_join_slot(struct hm_db *db, const struct hm_session_key *k,
				      int64_t client_id, const struct hm_actor *who, json_t **out,
				      const char **why)
{
	int64_t id = 0;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = insert_slot_entry(db, k, client_id, who->now, &id, why);
	if (err == HM_OK)
		err = audit(db, "waitlist.join", "waitlist", id, client_id, false, who);
	if (err == HM_OK)
		err = slot_json(db, id, out);
	err = hm_db_end(db, err);
	if (err != HM_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

static enum hm_err delete_entry(struct hm_db *db, int64_t id)
{
	static const char sql[] = "DELETE FROM slot_waitlist WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, id);
	return run(db, stmt, "delete waitlist entry");
}

/* Entry id of client_id (another's is not found). */
static enum hm_err own_entry(struct hm_db *db, int64_t id, int64_t client_id, struct entry *e)
{
	enum hm_err err = read_entry(db, id, e);
	return err == HM_OK && e->client_id != client_id ? HM_ERR_NOT_FOUND : err;
}

enum hm_err hm_db_waitlists_accept(struct hm_db *db, int64_t id, int64_t client_id,
				   const struct hm_actor *who, const struct hm_outbox_env *env,
				   json_t **out, const char **why)
{
	struct entry e;
	struct hm_service svc;
	json_t *items = NULL;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = own_entry(db, id, client_id, &e);
	if (err == HM_OK && strcmp(e.state, "offered") != 0) {
		*why = strcmp(e.state, "expired") == 0
			       ? "The offer expired and passed to the next in line."
			       : "There is no offer for this entry yet: you are in line.";
		err = HM_ERR_CONFLICT;
	} else if (err == HM_OK && who->now >= e.deadline) {
		*why = "The offer expired and passes to the next in line.";
		err = HM_ERR_CONFLICT;
	}
	if (err == HM_OK)
		err = hm_db_services_read(db, e.k.service_id, &svc);
	/* The held seat is let go and taken in the same transaction: the triggers
	 * count it once. */
	if (err == HM_OK)
		err = delete_entry(db, e.id);
	if (err == HM_OK) {
		struct hm_booking b = {
			.client_id = client_id,
			.tutor_id = e.k.tutor_id,
			.service = &svc,
			.starts = &e.k.starts_at,
			.n = 1,
			.channel = "web",
		};
		err = hm_db_lessons_book_within(db, &b, who, env, &items);
	}
	if (err == HM_OK)
		err = audit(db, "waitlist.accept", "waitlist", e.id, client_id, false, who);
	if (err == HM_OK && !(*out = json_incref(json_array_get(items, 0))))
		err = HM_ERR_INTERNAL;
	json_decref(items);
	err = hm_db_end(db, err);
	if (err != HM_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

enum hm_err hm_db_waitlists_leave(struct hm_db *db, int64_t id, int64_t client_id,
				  const struct hm_actor *who, const struct hm_outbox_env *env)
{
	struct entry e;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = own_entry(db, id, client_id, &e);
	if (err == HM_OK)
		err = delete_entry(db, e.id);
	if (err == HM_OK)
		err = audit(db, "waitlist.leave", "waitlist", e.id, client_id, false, who);
	/* An offer given up is a seat freed: the next in line hears of it now. */
	if (err == HM_OK && strcmp(e.state, "offered") == 0)
		err = offer_seats(db, env, &e.k, who);
	return hm_db_end(db, err);
}

/* The earliest standing offer's deadline into *next (0: none). */
static enum hm_err next_deadline(struct hm_db *db, int64_t *next)
{
	static const char sql[] =
		"SELECT coalesce(min(offer_expires_at), 0) FROM slot_waitlist WHERE state = 'offered'";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*next = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*next = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW ? HM_OK : hm_db_fail(db, "next offer deadline");
}

enum hm_err hm_db_waitlists_sweep(struct hm_db *db, const struct hm_outbox_env *env, int64_t now,
				  int *passed, int64_t *next_expiry)
{
	static const char due_sql[] =
		"SELECT id FROM slot_waitlist WHERE state = 'offered' AND offer_expires_at <= ?1"
		" ORDER BY offer_expires_at, id LIMIT 1";
	static const char expire_sql[] = "UPDATE slot_waitlist SET state = 'expired' WHERE id = ?1";
	const struct hm_actor who = {0, NULL, now};
	*passed = 0;
	*next_expiry = 0;
	/* A read first: most minutes no offer is due, and the write lock is left
	 * alone. */
	enum hm_err err = next_deadline(db, next_expiry);
	if (err != HM_OK || *next_expiry == 0 || *next_expiry > now)
		return err;
	err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	/* One at a time: each expiry may offer the seat again, to an offer that is
	 * never already due (it ends after now). */
	for (;;) {
		struct entry e;
		int64_t id = 0;
		sqlite3_stmt *stmt = hm_db_stmt(db, due_sql);
		if (!stmt) {
			err = HM_ERR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(stmt, 1, now);
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			id = sqlite3_column_int64(stmt, 0);
		hm_db_done(stmt);
		if (rc != SQLITE_ROW) {
			err = rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read expired offers");
			break;
		}
		err = read_entry(db, id, &e);
		if (err == HM_OK && (stmt = hm_db_stmt(db, expire_sql)) != NULL)
			sqlite3_bind_int64(stmt, 1, id);
		if (err == HM_OK)
			err = run(db, stmt, "expire an offer");
		if (err == HM_OK)
			err = audit(db, "waitlist.expire", "waitlist", id, e.client_id, false,
				    &who);
		if (err == HM_OK)
			err = offer_seats(db, env, &e.k, &who);
		if (err != HM_OK)
			break;
		(*passed)++;
	}
	if (err == HM_OK)
		err = next_deadline(db, next_expiry);
	return hm_db_end(db, err);
}

/* ---- reading ------------------------------------------------------------------ */

static json_t *event_entry_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:s, s:I, s:I, s:s, s:o, s:I, s:n}", "kind", "event", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "event_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "title",
			 (const char *)sqlite3_column_text(stmt, 2), "starts_at",
			 hm_db_json_time(stmt, 3), "position",
			 (json_int_t)sqlite3_column_int64(stmt, 4), "offer_expires_at");
}

/* starts_at of an entry: RFC 3339 in UTC with Z, which sorts as text. */
static const char *start_of(json_t *entry)
{
	const char *at = json_string_value(json_object_get(entry, "starts_at"));
	return at ? at : "";
}

/* events and slots (each by start) merged by start into *items (takes neither). */
static enum hm_err merge(json_t *events, json_t *slots, json_t **items)
{
	size_t i = 0, j = 0, ne = json_array_size(events), ns = json_array_size(slots);
	json_t *all = json_array();
	enum hm_err err = all ? HM_OK : HM_ERR_INTERNAL;
	while (err == HM_OK && (i < ne || j < ns)) {
		json_t *a = i < ne ? json_array_get(events, i) : NULL;
		json_t *b = j < ns ? json_array_get(slots, j) : NULL;
		bool event_first = !b || (a && strcmp(start_of(a), start_of(b)) <= 0);
		if (json_array_append(all, event_first ? a : b) != 0)
			err = HM_ERR_INTERNAL;
		if (event_first)
			i++;
		else
			j++;
	}
	if (err == HM_OK)
		*items = all;
	else
		json_decref(all);
	return err;
}

enum hm_err hm_db_waitlists_mine(struct hm_db *db, int64_t client_id, int64_t now, json_t **items)
{
	static const char events_sql[] =
		"SELECT w.id, w.event_id, e.title, e.starts_at, (SELECT count(*) FROM event_waitlist o"
		"   WHERE o.event_id = w.event_id AND o.id <= w.id)"
		" FROM event_waitlist w JOIN events e ON e.id = w.event_id"
		" WHERE w.client_id = ?1 AND e.starts_at > ?2 ORDER BY e.starts_at, w.id LIMIT ?3";
	static const char slots_sql[] =
		"SELECT " SLOT_COLUMNS
		" FROM slot_waitlist w JOIN services s ON s.id = w.service_id"
		" WHERE w.client_id = ?1 AND w.starts_at > ?2 AND w.state IN ('waiting', 'offered')"
		" ORDER BY w.starts_at, w.id LIMIT ?3";
	json_t *events = NULL, *slots = NULL;
	*items = NULL;
	sqlite3_stmt *stmt = hm_db_stmt(db, events_sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, client_id);
		sqlite3_bind_int64(stmt, 2, now);
		sqlite3_bind_int(stmt, 3, MINE_MAX);
	}
	enum hm_err err = hm_db_rows(db, stmt, event_entry_from_row, &events, "read event lines");
	if (err == HM_OK && (stmt = hm_db_stmt(db, slots_sql)) != NULL) {
		sqlite3_bind_int64(stmt, 1, client_id);
		sqlite3_bind_int64(stmt, 2, now);
		sqlite3_bind_int(stmt, 3, MINE_MAX);
	}
	if (err == HM_OK)
		err = hm_db_rows(db, stmt, slot_from_row, &slots, "read session lines");
	if (err == HM_OK)
		err = merge(events, slots, items);
	json_decref(events);
	json_decref(slots);
	return err;
}
