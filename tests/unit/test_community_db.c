// SPDX-License-Identifier: MIT
// The community schema on :memory: with sql/ applied: the database itself refuses
// a registration beyond an event's capacity or once it has started, refuses to
// lower capacity below the registrations taken, never moves a registration, and
// keeps a contribution's review consistent with its status. These hold whatever
// the C code above them does.
#include <string.h>

#include "check.h"
#include "harreman/db.h"

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
	CHECK_INT(run(db, "INSERT INTO events (id, title, kind, starts_at, ends_at, capacity,"
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
	CHECK_INT(run(db, "INSERT INTO contributions (id, client_id, kind, title, body,"
			  " credit_name, submitted_at) VALUES (1, 1, 'method', 't', 'b', 'Ane', 5)",
		      NULL, 0),
		  SQLITE_OK);
	CHECK_INT(scalar(db, "SELECT status = 'submitted' FROM contributions WHERE id = 1"), 1);
	/* Approved without a review time, or submitted with one: refused. */
	CHECK_INT(run(db, "UPDATE contributions SET status = 'approved' WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	CHECK_INT(run(db, "UPDATE contributions SET reviewed_at = 9 WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	CHECK_INT(run(db, "UPDATE contributions SET status = 'approved', reviewed_at = 9"
			  " WHERE id = 1", NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db, "UPDATE contributions SET kind = 'poem' WHERE id = 1", NULL, 0),
		  SQLITE_CONSTRAINT_CHECK);
	/* Contributions belong to an existing client. */
	CHECK_INT(run(db, "INSERT INTO contributions (client_id, kind, title, body, credit_name,"
			  " submitted_at) VALUES (99, 'method', 't', 'b', 'X', 5)", NULL, 0),
		  SQLITE_CONSTRAINT_FOREIGNKEY);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_capacity_is_never_exceeded);
	RUN(test_registration_closes_when_the_event_starts);
	RUN(test_capacity_cannot_drop_below_registrations);
	RUN(test_registrations_are_not_moved);
	RUN(test_contribution_review_matches_status);
	return CHECK_EXIT();
}
