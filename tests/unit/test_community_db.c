// SPDX-License-Identifier: MIT
// The community schema on :memory: with sql/ applied: the database itself refuses
// a registration beyond an event's capacity or once it has started, refuses to
// lower capacity below the registrations taken, never moves a registration, and
// keeps a contribution's review consistent with its status. These hold whatever
// the C code above them does. Then the db functions of src/db/ for events,
// channels, inquiries and contributions: each write is all or nothing, with its
// audit row (and outbox message), and turns what the database refuses into the
// error the handlers answer.
#include <string.h>

#include "check.h"
#include "harreman/db.h"
#include "harreman/db_channels.h"
#include "harreman/db_contributions.h"
#include "harreman/db_events.h"
#include "harreman/db_inquiries.h"
#include "harreman/outbox.h"

static const struct hm_outbox_env events_env = {"Europe/Madrid", "test.example", NULL};

static struct hm_db *fresh_db(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	return db;
}

/* Runs sql; returns the SQLite result code and copies the error message. */
static int run(struct hm_db *db, const char *sql, char *message, size_t size)
{
	sqlite3 *h = hm_db_handle(db);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (message)
		snprintf(message, size, "%s", rc == SQLITE_OK ? "" : sqlite3_errmsg(h));
	return rc == SQLITE_OK ? rc : sqlite3_extended_errcode(h);
}

static long long scalar(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Three clients and an event of capacity 2 starting at t = 1000. */
static void seed(struct hm_db *db)
{
	CHECK_INT(run(db,
		      "INSERT INTO clients (id, full_name, created_at, updated_at) VALUES"
		      " (1, 'Ane', 0, 0), (2, 'Irati', 0, 0), (3, 'Unai', 0, 0);"
		      "INSERT INTO events (id, title, kind, starts_at, ends_at, capacity,"
		      " description, created_at, updated_at) VALUES"
		      " (1, 'Tailerra', 'workshop', 1000, 2000, 2, 'd', 0, 0);",
		      NULL, 0),
		  SQLITE_OK);
}

static void test_capacity_is_never_exceeded(void)
{
	char why[128];
	struct hm_db *db = fresh_db();
	seed(db);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 1, 10)", why, sizeof why),
		  SQLITE_OK);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 2, 10)", why, sizeof why),
		  SQLITE_OK);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 3, 10)", why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "full");
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations"), 2);
	/* One statement inserting many rows is checked row by row too. */
	CHECK_INT(run(db, "DELETE FROM event_registrations", NULL, 0), SQLITE_OK);
	CHECK_INT(run(db, "INSERT INTO event_registrations SELECT 1, id, 10 FROM clients", why,
		      sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "full");
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations"), 0);
	/* The same student twice is the primary key's business. */
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 1, 10)", NULL, 0), SQLITE_OK);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 1, 11)", NULL, 0),
		  SQLITE_CONSTRAINT_PRIMARYKEY);
	hm_db_close(db);
}

static void test_registration_closes_when_the_event_starts(void)
{
	char why[128];
	struct hm_db *db = fresh_db();
	seed(db);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 1, 999)", why, sizeof why),
		  SQLITE_OK);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 2, 1000)", why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "started");
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 3, 5000)", why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations"), 1);
	hm_db_close(db);
}

static void test_capacity_cannot_drop_below_registrations(void)
{
	char why[128];
	struct hm_db *db = fresh_db();
	seed(db);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 1, 10), (1, 2, 10)", NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db, "UPDATE events SET capacity = 1 WHERE id = 1", why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "below_registrations");
	CHECK_INT(scalar(db, "SELECT capacity FROM events WHERE id = 1"), 2);
	/* Down to exactly the registrations, or up, is fine. */
	CHECK_INT(run(db, "UPDATE events SET capacity = 2, title = 'x' WHERE id = 1", NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db, "UPDATE events SET capacity = 40 WHERE id = 1", NULL, 0), SQLITE_OK);
	/* And a withdrawal makes room for a lower capacity. */
	CHECK_INT(run(db, "DELETE FROM event_registrations WHERE client_id = 2", NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db, "UPDATE events SET capacity = 1 WHERE id = 1", NULL, 0), SQLITE_OK);
	/* The schema's bounds: 1..1000 and an end after the start. */
	CHECK_INT(run(db, "UPDATE events SET capacity = 1001 WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	CHECK_INT(run(db, "UPDATE events SET ends_at = starts_at WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	CHECK_INT(run(db, "UPDATE events SET kind = 'party' WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	hm_db_close(db);
}

static void test_registrations_are_not_moved(void)
{
	char why[128];
	struct hm_db *db = fresh_db();
	seed(db);
	CHECK_INT(run(db,
		      "INSERT INTO events (id, title, kind, starts_at, ends_at, capacity,"
		      " description, created_at, updated_at) VALUES (2, 'Hitzaldia', 'talk',"
		      " 1000, 2000, 1, 'd', 0, 0);"
		      "INSERT INTO event_registrations VALUES (2, 1, 10), (1, 2, 10)",
		      NULL, 0),
		  SQLITE_OK);
	/* Moving client 2 into the full talk would dodge its capacity. */
	CHECK_INT(run(db, "UPDATE event_registrations SET event_id = 2 WHERE client_id = 2", why,
		      sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations WHERE event_id = 2"), 1);
	hm_db_close(db);
}

static void test_contribution_review_matches_status(void)
{
	struct hm_db *db = fresh_db();
	seed(db);
	CHECK_INT(run(db,
		      "INSERT INTO contributions (id, client_id, kind, title, body,"
		      " credit_name, submitted_at) VALUES (1, 1, 'method', 't', 'b', 'Ane', 5)",
		      NULL, 0),
		  SQLITE_OK);
	CHECK_INT(scalar(db, "SELECT status = 'submitted' FROM contributions WHERE id = 1"), 1);
	/* Approved without a review time, or submitted with one: refused. */
	CHECK_INT(run(db, "UPDATE contributions SET status = 'approved' WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	CHECK_INT(run(db, "UPDATE contributions SET reviewed_at = 9 WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	CHECK_INT(run(db,
		      "UPDATE contributions SET status = 'approved', reviewed_at = 9"
		      " WHERE id = 1",
		      NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db, "UPDATE contributions SET kind = 'poem' WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	/* Contributions belong to an existing client. */
	CHECK_INT(run(db,
		      "INSERT INTO contributions (client_id, kind, title, body, credit_name,"
		      " submitted_at) VALUES (99, 'method', 't', 'b', 'X', 5)",
		      NULL, 0),
		  SQLITE_CONSTRAINT_FOREIGNKEY);
	hm_db_close(db);
}

/* A staff member, user 7, to answer and review (answered_by and reviewed_by are
 * users). */
static void add_staff(struct hm_db *db)
{
	CHECK_INT(run(db,
		      "INSERT INTO users (id, email, password_hash, full_name, role,"
		      " created_at, updated_at) VALUES (7, 'miren@example.com', 'x', 'Miren',"
		      " 'staff', 0, 0)",
		      NULL, 0),
		  SQLITE_OK);
}

static long long audit_rows(struct hm_db *db, const char *action)
{
	sqlite3_stmt *stmt = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(hm_db_handle(db), "SELECT count(*) FROM audit_log WHERE action = ?1",
			       -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(stmt, 1, action, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void test_db_register_and_withdraw(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {0, "t", 10};
	json_t *out = NULL;
	bool created = false;
	seed(db);
	CHECK_INT(hm_db_events_register(db, 1, 1, &who, &out, &created), HM_OK);
	CHECK(created);
	CHECK(json_is_true(json_object_get(out, "is_registered")));
	CHECK_INT(json_integer_value(json_object_get(out, "places_left")), 1);
	json_decref(out);
	/* Again: nothing changes, no second audit row. */
	CHECK_INT(hm_db_events_register(db, 1, 1, &who, &out, &created), HM_OK);
	CHECK(!created);
	json_decref(out);
	CHECK_INT(hm_db_events_register(db, 1, 2, &who, &out, &created), HM_OK);
	json_decref(out);
	/* The third place does not exist: the trigger's "full", nothing written. */
	CHECK_INT(hm_db_events_register(db, 1, 3, &who, &out, &created), HM_ERR_FULL);
	CHECK(out == NULL);
	CHECK(!created);
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations"), 2);
	CHECK_INT(audit_rows(db, "event.register"), 2);
	CHECK_INT(hm_db_events_register(db, 9, 3, &who, &out, &created), HM_ERR_NOT_FOUND);
	/* Withdrawing makes room; withdrawing again is no change. */
	CHECK_INT(hm_db_events_withdraw(db, 1, 2, &who, &events_env), HM_OK);
	CHECK_INT(hm_db_events_withdraw(db, 1, 2, &who, &events_env), HM_OK);
	CHECK_INT(audit_rows(db, "event.withdraw"), 1);
	/* Once it started, neither a registration nor a withdrawal. */
	who.now = 1000;
	CHECK_INT(hm_db_events_register(db, 1, 3, &who, &out, &created), HM_ERR_CONFLICT);
	CHECK_INT(hm_db_events_withdraw(db, 1, 1, &who, &events_env), HM_ERR_CONFLICT);
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations"), 1);
	hm_db_close(db);
}

static void test_db_event_update(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {0, "t", 10};
	json_t *out = NULL;
	int registered = -1;
	seed(db);
	CHECK_INT(run(db, "INSERT INTO event_registrations VALUES (1, 1, 5), (1, 2, 5)", NULL, 0),
		  SQLITE_OK);
	struct hm_event_input lower = {.has_capacity = true, .capacity = 1};
	CHECK_INT(hm_db_events_update(db, 1, &lower, NULL, &who, &events_env, &out, &registered),
		  HM_ERR_CONFLICT);
	CHECK_INT(registered, 2);
	CHECK(out == NULL);
	CHECK_INT(scalar(db, "SELECT capacity FROM events WHERE id = 1"), 2);
	/* Nothing to change: not even updated_at, and no audit row. */
	struct hm_event_input none = {0};
	CHECK_INT(hm_db_events_update(db, 1, &none, NULL, &who, &events_env, &out, &registered),
		  HM_OK);
	json_decref(out);
	CHECK_INT(scalar(db, "SELECT updated_at FROM events WHERE id = 1"), 0);
	CHECK_INT(audit_rows(db, "event.update"), 0);
	struct hm_event_input title = {.title = "Berria", .clear_subject = true};
	CHECK_INT(hm_db_events_update(db, 1, &title, NULL, &who, &events_env, &out, &registered),
		  HM_OK);
	CHECK_STR(json_string_value(json_object_get(out, "title")), "Berria");
	json_decref(out);
	CHECK_INT(scalar(db, "SELECT updated_at FROM events WHERE id = 1"), 10);
	CHECK_INT(audit_rows(db, "event.update"), 1);
	CHECK_INT(hm_db_events_update(db, 9, &title, NULL, &who, &events_env, &out, &registered),
		  HM_ERR_NOT_FOUND);
	hm_db_close(db);
}

static void test_db_channel_hours_replaced(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {0, "t", 10};
	struct hm_channel c;
	static const struct hm_weekly_window w[] = {{6, 600, 720}, {2, 540, 1440}};
	struct hm_channel_change ch = {.label = "Deitu",
				       .set_response_hours = true,
				       .response_hours = 0,
				       .set_hours = true,
				       .hours = w,
				       .n_hours = 2};
	CHECK_INT(hm_db_channels_update(db, 3, &ch, NULL, &who, &c), HM_OK);
	CHECK_STR(json_string_value(json_object_get(c.json, "label")), "Deitu");
	CHECK(json_is_null(json_object_get(c.json, "response_hours")));
	/* Read back in weekday order, "24:00" included. */
	CHECK_INT(c.n_hours, 2);
	CHECK_INT(c.hours[0].weekday, 2);
	CHECK_INT(c.hours[0].end_min, 1440);
	CHECK_STR(json_string_value(json_object_get(
			  json_array_get(json_object_get(c.json, "hours"), 0), "closes")),
		  "24:00");
	hm_db_channel_release(&c);
	CHECK_INT(audit_rows(db, "channel.update"), 1);
	CHECK_INT(hm_db_channels_update(db, 99, &ch, NULL, &who, &c), HM_ERR_NOT_FOUND);
	hm_db_channel_release(&c);
	CHECK_INT(audit_rows(db, "channel.update"), 1);
	struct hm_channel *all = NULL;
	size_t n = 0;
	CHECK_INT(hm_db_channels_list(db, &all, &n), HM_OK);
	CHECK_INT(n, 3);
	CHECK_INT(all[0].n_hours, 10); /* the phone line's seeded hours */
	hm_db_channels_free(all, n);
	hm_db_close(db);
}

static void test_db_inquiry_create_and_answer(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {0, "t", 1000};
	const struct hm_outbox_env env = {"Europe/Madrid", "localhost", NULL};
	const struct hm_inquiry_input in = {.channel = "email",
					    .full_name = "Ane",
					    .email = "ane@example.com",
					    .subject = "Kaixo",
					    .message = "Zer moduz?",
					    .remote_addr = "192.0.2.1"};
	json_t *out = NULL;
	CHECK_INT(hm_db_inquiries_create(db, &in, &env, &who, &out), HM_OK);
	json_int_t id = json_integer_value(json_object_get(out, "id"));
	CHECK(json_is_string(json_object_get(out, "due_at"))); /* the e-mail promises 48 h */
	json_decref(out);
	/* The row, its rate-limit hit, its audit row and its acknowledgement: together. */
	CHECK_INT(scalar(db, "SELECT due_at - received_at FROM inquiries"), 48 * 3600);
	CHECK_INT(scalar(db, "SELECT count(*) FROM rate_events"), 1);
	CHECK_INT(audit_rows(db, "inquiry.create"), 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox"), 1);
	/* Past its due it is overdue, first in the queue. */
	CHECK_INT(hm_db_inquiries_get(db, id, 1000 + 49 * 3600, &out), HM_OK);
	CHECK_STR(json_string_value(json_object_get(out, "status")), "overdue");
	json_decref(out);
	add_staff(db);
	who.user_id = 7;
	who.now = 2000;
	CHECK_INT(hm_db_inquiries_answer(db, id, "Ondo!", &env, &who, &out), HM_OK);
	CHECK(json_is_true(json_object_get(out, "on_time")));
	json_decref(out);
	CHECK_INT(hm_db_inquiries_answer(db, id, "Berriz", &env, &who, &out), HM_ERR_CONFLICT);
	CHECK(out == NULL);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox"), 2);
	CHECK_INT(audit_rows(db, "inquiry.answer"), 1);
	hm_db_close(db);
}

static void test_db_contribution_visibility(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {7, "t", 10};
	const struct hm_contribution_input in = {.kind = "method", .title = "T", .body = "B"};
	const struct hm_contribution_viewer other = {2, false}, staff = {0, true};
	json_t *out = NULL, *items = NULL;
	int64_t next = -1;
	seed(db);
	add_staff(db);
	CHECK_INT(hm_db_contributions_create(db, 1, &in, &who, &out), HM_OK);
	CHECK_STR(json_string_value(json_object_get(out, "credit_name")), "Ane");
	CHECK(json_is_true(json_object_get(out, "own")));
	CHECK(json_object_get(out, "client_id") == NULL);
	json_decref(out);
	/* Not approved: another student sees nothing, staff see it with its client. */
	CHECK_INT(hm_db_contributions_list(db, &other, NULL, false, 50, 0, &items, &next), HM_OK);
	CHECK_INT(json_array_size(items), 0);
	json_decref(items);
	CHECK_INT(hm_db_contributions_review(db, 1, "approved", "Ederra", &who, &out), HM_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "client_id")), 1);
	json_decref(out);
	CHECK_INT(hm_db_contributions_list(db, &other, "approved", false, 50, 0, &items, &next),
		  HM_OK);
	CHECK_INT(json_array_size(items), 1);
	CHECK(json_object_get(json_array_get(items, 0), "review_comment") == NULL);
	json_decref(items);
	CHECK_INT(hm_db_contributions_review(db, 9, "approved", "x", &who, &out), HM_ERR_NOT_FOUND);
	CHECK_INT(hm_db_contributions_get(db, 1, &staff, &out), HM_OK);
	json_decref(out);
	CHECK_INT(audit_rows(db, "contribution.review"), 1);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_capacity_is_never_exceeded);
	RUN(test_registration_closes_when_the_event_starts);
	RUN(test_capacity_cannot_drop_below_registrations);
	RUN(test_registrations_are_not_moved);
	RUN(test_contribution_review_matches_status);
	RUN(test_db_register_and_withdraw);
	RUN(test_db_event_update);
	RUN(test_db_channel_hours_replaced);
	RUN(test_db_inquiry_create_and_answer);
	RUN(test_db_contribution_visibility);
	return CHECK_EXIT();
}
