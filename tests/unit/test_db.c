// SPDX-License-Identifier: MIT
// The database layer on :memory: with sql/ applied: migrations and the business
// plan's seeds, the contract counts kept by triggers, a client never in two lessons
// at once (sql/0006), the statement cache, group commit's savepoints, rate-limit
// windows, accounts.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/accounts.h"
#include "harreman/db.h"
#include "harreman/db_lessons.h"
#include "harreman/migrations.h"
#include "harreman/ratelimit.h"

static struct hm_db *fresh_db(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	return db;
}

static int64_t scalar(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void test_migrations_set_the_version_and_are_idempotent(void)
{
	const char *why = NULL;
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_schema_version(db), hm_migration_count);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK); /* again: nothing to do */
	CHECK_INT(scalar(db, "SELECT count(*) FROM discount_tiers"), 3);
	CHECK_INT(scalar(db, "PRAGMA foreign_keys"), 1);
	hm_db_close(db);
}

static void test_a_newer_database_is_refused(void)
{
	const char *why = NULL;
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_exec(db, "PRAGMA user_version = 999"), HM_OK);
	CHECK_INT(hm_db_migrate(db, &why), HM_ERR_CONFLICT);
	CHECK(why && strstr(why, "newer harreman"));
	hm_db_close(db);
}

static void test_business_plan_defaults_are_seeded(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(scalar(db, "SELECT percent FROM discount_tiers WHERE from_ordinal = 3"), 5);
	CHECK_INT(scalar(db, "SELECT percent FROM discount_tiers WHERE from_ordinal = 4"), 10);
	CHECK_INT(scalar(db, "SELECT percent FROM discount_tiers WHERE from_ordinal = 5"), 15);
	CHECK_INT(scalar(db, "SELECT count(*) FROM gifts WHERE key IN ('pen', 'calendar',"
			     " 'car_air_freshener') AND stock = 0"),
		  3);
	/* Phone: Monday to Friday, 08:30-14:30 and 16:00-20:00; nothing at weekends. */
	CHECK_INT(scalar(db, "SELECT count(*) FROM channel_hours h JOIN channels c ON"
			     " c.id = h.channel_id WHERE c.kind = 'phone'"),
		  10);
	CHECK_INT(scalar(db, "SELECT count(*) FROM channel_hours h JOIN channels c ON"
			     " c.id = h.channel_id WHERE c.kind = 'phone' AND weekday BETWEEN 1"
			     " AND 5 AND ((opens = '08:30' AND closes = '14:30') OR"
			     " (opens = '16:00' AND closes = '20:00'))"),
		  10);
	CHECK_INT(scalar(db, "SELECT response_hours FROM channels WHERE kind = 'email'"), 48);
	CHECK_INT(scalar(db, "SELECT response_hours FROM channels WHERE kind = 'web'"), 48);
	CHECK_INT(scalar(db, "SELECT count(*) FROM channel_hours h JOIN channels c ON"
			     " c.id = h.channel_id WHERE c.kind IN ('email', 'web')"),
		  0);
	/* Stock can never go below zero. */
	CHECK(hm_db_exec(db, "UPDATE gifts SET stock = -1 WHERE key = 'pen'") != HM_OK);
	hm_db_close(db);
}

static void test_statement_cache_reuses_by_sql_address(void)
{
	static const char sql_a[] = "SELECT 1";
	static const char sql_b[] = "SELECT 2";
	struct hm_db *db = fresh_db();
	sqlite3_stmt *a1 = hm_db_stmt(db, sql_a);
	hm_db_done(a1);
	sqlite3_stmt *b = hm_db_stmt(db, sql_b);
	hm_db_done(b);
	sqlite3_stmt *a2 = hm_db_stmt(db, sql_a);
	CHECK(a1 != NULL && a1 == a2 && a1 != b);
	CHECK_INT(sqlite3_step(a2), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(a2, 0), 1);
	hm_db_done(a2);
	/* Many distinct statements: the cache grows and keeps them all right. */
	static char texts[300][32];
	for (int i = 0; i < 300; i++) {
		snprintf(texts[i], sizeof texts[i], "SELECT %d", i);
		sqlite3_stmt *s = hm_db_stmt(db, texts[i]);
		CHECK(s != NULL);
		hm_db_done(s);
	}
	for (int i = 0; i < 300; i += 37) {
		sqlite3_stmt *s = hm_db_stmt(db, texts[i]);
		CHECK_INT(sqlite3_step(s), SQLITE_ROW);
		CHECK_INT(sqlite3_column_int(s, 0), i);
		hm_db_done(s);
	}
	CHECK(hm_db_stmt(db, "SELECT * FROM no_such_table") == NULL);
	hm_db_close(db);
}

static void test_transactions_roll_back(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "UPDATE gifts SET stock = 7"), HM_OK);
	hm_db_rollback(db);
	CHECK_INT(scalar(db, "SELECT sum(stock) FROM gifts"), 0);
	hm_db_rollback(db); /* no transaction open: harmless */
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "UPDATE gifts SET stock = 2"), HM_OK);
	CHECK_INT(hm_db_commit(db), HM_OK);
	CHECK_INT(scalar(db, "SELECT sum(stock) FROM gifts"), 6);
	hm_db_close(db);
}

/* A contract for client 1 (status as given). */
#define CONTRACT_SQL(status)                                                                 \
	"INSERT INTO contracts (client_id, service_id, kind, sessions_total, ordinal,"       \
	" list_price_cents, discount_percent, discount_cents, price_cents, channel, status," \
	" created_at) VALUES (1, 1, 'one_off', 1, 1, 100, 0, 0, 100, 'web', '" status "', 0)"
#define SEED_SQL                                                                               \
	"INSERT INTO clients (id, full_name, created_at, updated_at) VALUES (1, 'Ane', 0, 0)," \
	" (2, 'Unai', 0, 0);"                                                                  \
	"INSERT INTO services (id, name, subject, kind, duration_min, price_cents, capacity,"  \
	" created_at) VALUES (1, 'Mate', 'maths', 'private', 60, 100, 1, 0)"
#define ACTIVE_SQL(client) "SELECT active_contracts FROM clients WHERE id = " client

static void test_active_contracts_are_counted_by_triggers(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("cancelled")), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("1")), 2);
	CHECK_INT(hm_db_exec(db, "UPDATE contracts SET status = 'cancelled' WHERE id = 1"), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("1")), 1);
	CHECK_INT(hm_db_exec(db, "UPDATE contracts SET sessions_used = 1 WHERE id = 2"), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("1")), 1); /* other columns: no change */
	CHECK_INT(hm_db_exec(db, "UPDATE contracts SET client_id = 2 WHERE id = 2"), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("1")), 0);
	CHECK_INT(scalar(db, ACTIVE_SQL("2")), 1);
	CHECK_INT(hm_db_exec(db, "UPDATE contracts SET status = 'active' WHERE id = 3"), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("1")), 1);
	CHECK_INT(hm_db_exec(db, "DELETE FROM contracts WHERE id = 2"), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("2")), 0);
	hm_db_close(db);
}

static void test_active_contracts_are_counted_on_upgrade(void)
{
	/* A database made before the count existed (schema version 4) with contracts:
	 * the migration counts them. */
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	for (int i = 0; i < 4; i++)
		CHECK_INT(hm_db_exec(db, hm_migrations[i].sql), HM_OK);
	CHECK_INT(hm_db_exec(db, "PRAGMA user_version = 4"), HM_OK);
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("cancelled")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("active")), HM_OK);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	CHECK_INT(scalar(db, ACTIVE_SQL("1")), 2);
	CHECK_INT(scalar(db, ACTIVE_SQL("2")), 0);
	hm_db_close(db);
}

/* Two tutors (users 10 and 11) for the lesson triggers, on top of SEED_SQL. */
#define TUTORS_SQL                                                                        \
	"INSERT INTO users (id, email, password_hash, full_name, role, created_at,"       \
	" updated_at) VALUES (10, 'a@t', 'x', 'A', 'staff', 0, 0), (11, 'b@t', 'x', 'B'," \
	" 'staff', 0, 0);"                                                                \
	"INSERT INTO tutors (user_id, updated_at) VALUES (10, 0), (11, 0)"
/* A booked lesson of client, tutor, [starts, ends). */
static enum hm_err add_lesson(struct hm_db *db, int client, int tutor, int starts, int ends)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "INSERT INTO lessons (client_id, tutor_id, service_id, starts_at, ends_at,"
		 " created_at) VALUES (%d, %d, 1, %d, %d, 0)",
		 client, tutor, starts, ends);
	return hm_db_exec(db, sql);
}

/* sql/0012: a lesson moved (an UPDATE of its time) into a group session counts
 * the session's seats and held offers, as a new booking does; its own seat never
 * counts against it. */
static void test_a_moved_lesson_fits_its_new_session(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, TUTORS_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO clients (id, full_name, created_at, updated_at)"
				 " VALUES (3, 'Miren', 0, 0);"
				 "INSERT INTO services (id, name, subject, kind, duration_min,"
				 " price_cents, capacity, created_at) VALUES (2, 'Taldea', 'maths',"
				 " 'group', 60, 100, 2, 0)"),
		  HM_OK);
	static const char group_sql[] =
		"INSERT INTO lessons (client_id, tutor_id, service_id, starts_at, ends_at,"
		" created_at) VALUES (1, 10, 2, 3600, 7200, 0), (2, 10, 2, 3600, 7200, 0),"
		" (3, 10, 2, 10800, 14400, 0)";
	CHECK_INT(hm_db_exec(db, group_sql), HM_OK);
	/* The session at 3600 is full: lesson 3 cannot move into it. */
	CHECK_INT(
		hm_db_exec(db, "UPDATE lessons SET starts_at = 3600, ends_at = 7200 WHERE id = 3"),
		HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "full");
	/* Lesson 2 moves away and back: its own seat is no obstacle. */
	CHECK_INT(hm_db_exec(db,
			     "UPDATE lessons SET starts_at = 18000, ends_at = 21600 WHERE id = 2"),
		  HM_OK);
	CHECK_INT(
		hm_db_exec(db, "UPDATE lessons SET starts_at = 3600, ends_at = 7200 WHERE id = 2"),
		HM_OK);
	CHECK_INT(hm_db_exec(db,
			     "UPDATE lessons SET starts_at = 18000, ends_at = 21600 WHERE id = 2"),
		  HM_OK);
	/* A held offer takes the freed seat: lesson 3 still cannot come in. */
	CHECK_INT(hm_db_exec(db, "INSERT INTO slot_waitlist (client_id, service_id, tutor_id,"
				 " starts_at, state, offer_expires_at, created_at)"
				 " VALUES (2, 2, 10, 3600, 'offered', 3000, 0)"),
		  HM_OK);
	CHECK_INT(
		hm_db_exec(db, "UPDATE lessons SET starts_at = 3600, ends_at = 7200 WHERE id = 3"),
		HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "full");
	/* Nor can a lesson move onto the time an offer holds in another session. */
	CHECK_INT(
		hm_db_exec(db, "UPDATE lessons SET starts_at = 5400, ends_at = 9000 WHERE id = 3"),
		HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "slot_taken");
	hm_db_close(db);
}

static void test_a_client_is_never_in_two_lessons(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, TUTORS_SQL), HM_OK);
	CHECK_INT(add_lesson(db, 1, 10, 3600, 7200), HM_OK);
	/* Another tutor, overlapping: the trigger refuses with client_busy. */
	CHECK_INT(add_lesson(db, 1, 11, 5400, 9000), HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "client_busy");
	CHECK_INT(add_lesson(db, 1, 11, 0, 3601), HM_ERR_INTERNAL);
	CHECK_INT(add_lesson(db, 1, 11, 3600, 7200), HM_ERR_INTERNAL);
	/* The same tutor is the tutor trigger's: slot_taken. */
	CHECK_INT(add_lesson(db, 1, 10, 5400, 9000), HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "slot_taken");
	/* Back to back, another client, or a cancelled lesson: fine. */
	CHECK_INT(add_lesson(db, 1, 11, 7200, 9000), HM_OK);
	CHECK_INT(add_lesson(db, 2, 11, 7200, 9000), HM_ERR_INTERNAL); /* tutor 11 is busy */
	CHECK_INT(add_lesson(db, 2, 11, 9000, 10800), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM lessons"), 3);
	CHECK_INT(hm_db_exec(db, "UPDATE lessons SET status = 'cancelled' WHERE id = 1"), HM_OK);
	CHECK_INT(add_lesson(db, 1, 11, 3600, 5400), HM_OK);
	/* Booking the cancelled one again, or moving a lesson onto another: refused. */
	CHECK_INT(hm_db_exec(db, "UPDATE lessons SET status = 'booked' WHERE id = 1"),
		  HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "client_busy");
	CHECK_INT(add_lesson(db, 1, 10, 10800, 12600), HM_OK);
	CHECK_INT(
		hm_db_exec(db, "UPDATE lessons SET starts_at = 8000, ends_at = 9500 WHERE id = 5"),
		HM_ERR_INTERNAL);
	CHECK_STR(sqlite3_errmsg(hm_db_handle(db)), "client_busy");

	/* The pre-check asks the same question (client 1: tutor 11 at 3600-5400 and
	 * 7200-9000, tutor 10 at 10800-12600). */
	const int64_t starts[3] = {3000, 5400, 10800};
	bool busy[3] = {false, true, true};
	CHECK_INT(hm_db_lessons_client_busy(db, 1, 10, 0, starts, 3, 30, busy), HM_OK);
	CHECK(busy[0] && !busy[1] && !busy[2]);
	CHECK_INT(hm_db_lessons_client_busy(db, 1, 11, 0, starts, 3, 30, busy), HM_OK);
	CHECK(!busy[0] && !busy[1] && busy[2]);
	/* A lesson being moved (4: tutor 11 at 3600-5400) is not in its own way. */
	CHECK_INT(hm_db_lessons_client_busy(db, 1, 10, 4, starts, 3, 30, busy), HM_OK);
	CHECK(!busy[0] && !busy[1] && !busy[2]);
	hm_db_close(db);
}

static void test_client_busy_migrates_over_existing_overlaps(void)
{
	/* A database from before the rule (schema version 5) where a client is in two
	 * lessons at once: the migration succeeds and keeps both. */
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	for (int i = 0; i < 5; i++)
		CHECK_INT(hm_db_exec(db, hm_migrations[i].sql), HM_OK);
	CHECK_INT(hm_db_exec(db, "PRAGMA user_version = 5"), HM_OK);
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, TUTORS_SQL), HM_OK);
	CHECK_INT(add_lesson(db, 1, 10, 3600, 7200), HM_OK);
	CHECK_INT(add_lesson(db, 1, 11, 3600, 7200), HM_OK);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	CHECK_INT(hm_db_schema_version(db), hm_migration_count);
	CHECK_INT(scalar(db, "SELECT count(*) FROM lessons WHERE status = 'booked'"), 2);
	/* Only new writes are guarded; cancelling one of the two is one of them. */
	CHECK_INT(add_lesson(db, 1, 11, 5400, 9000), HM_ERR_INTERNAL);
	CHECK_INT(hm_db_exec(db, "UPDATE lessons SET status = 'cancelled' WHERE id = 2"), HM_OK);
	hm_db_close(db);
}

static void test_a_batch_keeps_each_handlers_work_apart(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(hm_db_exec(db, "CREATE TABLE t (v INTEGER)"), HM_OK);
	CHECK_INT(hm_db_batch_begin(db), HM_OK);
	/* One handler commits, the next rolls back, a third leaves its work open (the
	 * dispatcher's rollback ends it), a fourth commits. */
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO t VALUES (1)"), HM_OK);
	CHECK_INT(hm_db_commit(db), HM_OK);
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO t VALUES (2)"), HM_OK);
	hm_db_rollback(db);
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO t VALUES (3)"), HM_OK);
	hm_db_rollback(db);
	hm_db_rollback(db); /* nothing open: harmless, the batch goes on */
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO t VALUES (4)"), HM_OK);
	CHECK_INT(scalar(db, "SELECT sum(v) FROM t"), 5); /* the batch sees its own work */
	CHECK_INT(hm_db_commit(db), HM_OK);
	CHECK(hm_db_batch_alive(db));
	CHECK_INT(hm_db_commit(db), HM_ERR_INTERNAL); /* no savepoint open */
	CHECK(hm_db_batch_alive(db));
	CHECK_INT(hm_db_batch_commit(db), HM_OK);
	CHECK(!hm_db_batch_alive(db));
	CHECK_INT(scalar(db, "SELECT group_concat(v, '') FROM t"), 14); /* 1 and 4 */
	/* After the batch, transactions are plain ones again. */
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO t VALUES (5)"), HM_OK);
	hm_db_rollback(db);
	CHECK_INT(scalar(db, "SELECT count(*) FROM t"), 2);
	/* A batch SQLite rolled back by itself is seen as such and commits nothing. */
	CHECK_INT(hm_db_batch_begin(db), HM_OK);
	CHECK_INT(hm_db_exec(db, "INSERT INTO t VALUES (6)"), HM_OK);
	CHECK_INT(hm_db_exec(db, "ROLLBACK"), HM_OK);
	CHECK(!hm_db_batch_alive(db));
	CHECK(hm_db_batch_commit(db) != HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM t"), 2);
	hm_db_close(db);
}

static void test_rate_limit_window(void)
{
	struct hm_db *db = fresh_db();
	bool limited = true;
	int64_t retry = 0;
	const int64_t t0 = 1800000000, window = 900;
	for (int i = 0; i < 5; i++) {
		CHECK_INT(hm_ratelimit_check(db, "login_email", "a@b.c", t0 + i, window, 5,
					     &limited, &retry),
			  HM_OK);
		CHECK(!limited);
		CHECK_INT(hm_ratelimit_hit(db, "login_email", "a@b.c", t0 + i, window), HM_OK);
	}
	CHECK_INT(hm_ratelimit_check(db, "login_email", "a@b.c", t0 + 10, window, 5, &limited,
				     &retry),
		  HM_OK);
	CHECK(limited);
	CHECK_INT(retry, t0 + window - (t0 + 10)); /* until the first failure ages out */
	/* Another key and another bucket are not affected. */
	CHECK_INT(hm_ratelimit_check(db, "login_email", "x@b.c", t0 + 10, window, 5, &limited,
				     &retry),
		  HM_OK);
	CHECK(!limited);
	CHECK_INT(
		hm_ratelimit_check(db, "login_addr", "a@b.c", t0 + 10, window, 5, &limited, &retry),
		HM_OK);
	CHECK(!limited);
	/* Once the first event is older than the window, one more attempt is allowed. */
	CHECK_INT(hm_ratelimit_check(db, "login_email", "a@b.c", t0 + window, window, 5, &limited,
				     &retry),
		  HM_OK);
	CHECK(!limited);
	CHECK_INT(hm_ratelimit_clear(db, "login_email", "a@b.c"), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM rate_events"), 0);
	hm_db_close(db);
}

static void test_accounts(void)
{
	struct hm_db *db = fresh_db();
	int64_t student = 0, admin = 0, dup = 0;
	CHECK_INT(hm_accounts_create(db, "ane@example.com", "$argon2id$fake", "Ane",
				     HM_ROLE_STUDENT, "es", 1000, &student),
		  HM_OK);
	CHECK_INT(hm_accounts_create(db, "boss@example.com", "$argon2id$fake", "Boss",
				     HM_ROLE_ADMIN, NULL, 1000, &admin),
		  HM_OK);
	CHECK_INT(hm_accounts_create(db, "ane@example.com", "h", "Other", HM_ROLE_STAFF, NULL, 1000,
				     &dup),
		  HM_ERR_EMAIL_TAKEN);

	json_t *client = NULL;
	CHECK_INT(hm_accounts_client_json_by_user(db, student, &client), HM_OK);
	CHECK_STR(json_string_value(json_object_get(client, "locale")), "es");
	CHECK_STR(json_string_value(json_object_get(client, "relationship")), "one_off");
	CHECK_INT(json_integer_value(json_object_get(client, "user_id")), student);
	json_decref(client);
	CHECK_INT(hm_accounts_client_json_by_user(db, admin, &client), HM_OK);
	CHECK(json_is_null(client));
	json_decref(client);

	json_t *user = NULL;
	CHECK_INT(hm_accounts_user_json(db, admin, &user), HM_OK);
	CHECK_STR(json_string_value(json_object_get(user, "role")), "admin");
	CHECK(json_object_get(user, "password_hash") == NULL);
	json_decref(user);
	CHECK_INT(hm_accounts_user_json(db, 999, &user), HM_ERR_NOT_FOUND);

	/* The last admin can be neither demoted nor deactivated. */
	bool off = false;
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_accounts_update(db, admin, HM_ROLE_STAFF, NULL, NULL, 2000), HM_ERR_CONFLICT);
	hm_db_rollback(db);
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_accounts_update(db, admin, HM_ROLE_NONE, NULL, &off, 2000), HM_ERR_CONFLICT);
	hm_db_rollback(db);
	CHECK_INT(scalar(db, "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1"), 1);

	/* Becoming a student brings a client record with it. */
	int64_t staff = 0;
	CHECK_INT(hm_accounts_create(db, "tutor@example.com", "h", "Tutor", HM_ROLE_STAFF, NULL,
				     1000, &staff),
		  HM_OK);
	CHECK_INT(hm_accounts_update(db, staff, HM_ROLE_STUDENT, "Tutor Bi", NULL, 2000), HM_OK);
	CHECK_INT(hm_accounts_client_json_by_user(db, staff, &client), HM_OK);
	CHECK(json_is_object(client));
	json_decref(client);
	CHECK_INT(hm_accounts_update(db, 12345, HM_ROLE_NONE, "x", NULL, 2000), HM_ERR_NOT_FOUND);

	json_t *items = NULL;
	int64_t next = -1;
	CHECK_INT(hm_accounts_list(db, 0, 2, &items, &next), HM_OK);
	CHECK_INT(json_array_size(items), 2);
	CHECK_INT(next, admin);
	json_decref(items);
	CHECK_INT(hm_accounts_list(db, admin, 2, &items, &next), HM_OK);
	CHECK_INT(json_array_size(items), 1);
	CHECK_INT(next, 0);
	json_decref(items);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_migrations_set_the_version_and_are_idempotent);
	RUN(test_a_newer_database_is_refused);
	RUN(test_business_plan_defaults_are_seeded);
	RUN(test_statement_cache_reuses_by_sql_address);
	RUN(test_transactions_roll_back);
	RUN(test_active_contracts_are_counted_by_triggers);
	RUN(test_active_contracts_are_counted_on_upgrade);
	RUN(test_a_client_is_never_in_two_lessons);
	RUN(test_client_busy_migrates_over_existing_overlaps);
	RUN(test_a_moved_lesson_fits_its_new_session);
	RUN(test_a_batch_keeps_each_handlers_work_apart);
	RUN(test_rate_limit_window);
	RUN(test_accounts);
	return CHECK_EXIT();
}
