// SPDX-License-Identifier: MIT
// Waitlists on :memory: with sql/ applied, on a clock the test controls (the `now`
// every db function takes): the triggers refuse a line that is not needed and
// count a held offer as a taken seat; a freed event place goes to the first in
// line in the transaction that freed it, with its e-mail in the student's
// language; a freed group seat is offered for 12 hours, accepted as a booking,
// given up or passed on by the sweep; and an offer accepted at the second it
// expires, in either order against the sweep, ends with one student holding the
// seat and never two.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harreman/db.h"
#include "harreman/db_events.h"
#include "harreman/db_lessons.h"
#include "harreman/db_waitlists.h"
#include "harreman/outbox.h"

#define T 2000000         /* the session's and the event's start */
#define N 1000000         /* "now" when the test begins */
#define OFFER (12 * 3600) /* HM_WAITLIST_OFFER_HOURS */

static const struct hm_outbox_env env = {"Europe/Madrid", "test.example", NULL};

static struct hm_db *open_db(const char *path)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(path);
	CHECK(db != NULL);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	return db;
}

static struct hm_db *fresh_db(void)
{
	return open_db(":memory:");
}

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

/* Tutor 10; a group service 1 of two seats and a private service 2; clients 1..5
 * (3 writes Spanish, 4 English); clients 1 and 2 booked in the session at T
 * (lessons 1 and 2); an event 1 of one place at T, client 1 registered. */
static void seed(struct hm_db *db)
{
	CHECK_INT(
		run(db,
		    "INSERT INTO users (id, email, password_hash, full_name, role, created_at,"
		    " updated_at) VALUES (10, 'mikel@example.com', 'x', 'Mikel', 'staff', 0, 0);"
		    "INSERT INTO tutors (user_id, updated_at) VALUES (10, 0);"
		    "INSERT INTO services (id, name, subject, kind, duration_min, price_cents,"
		    " capacity, created_at) VALUES (1, 'Matematika taldean', 'maths', 'group',"
		    " 60, 1500, 2, 0), (2, 'Matematika', 'maths', 'private', 60, 3000, 1, 0);"
		    "INSERT INTO clients (id, full_name, email, locale, created_at, updated_at)"
		    " VALUES (1, 'Ane', 'ane@example.com', 'eu', 0, 0),"
		    " (2, 'Irati', 'irati@example.com', 'eu', 0, 0),"
		    " (3, 'Lucía', 'lucia@example.com', 'es', 0, 0),"
		    " (4, 'Kate', 'kate@example.com', 'en', 0, 0),"
		    " (5, 'Unai', 'unai@example.com', 'eu', 0, 0);"
		    "INSERT INTO lessons (id, client_id, tutor_id, service_id, starts_at, ends_at,"
		    " created_at) VALUES (1, 1, 10, 1, 2000000, 2003600, 0),"
		    " (2, 2, 10, 1, 2000000, 2003600, 0);"
		    "INSERT INTO events (id, title, kind, starts_at, ends_at, capacity,"
		    " description, created_at, updated_at) VALUES"
		    " (1, 'Zatikien tailerra', 'workshop', 2000000, 2007200, 1, 'd', 0, 0);"
		    "INSERT INTO event_registrations VALUES (1, 1, 0);",
		    NULL, 0),
		SQLITE_OK);
}

static const struct hm_session_key session = {10, 1, T};

static long long join_slot(struct hm_db *db, int64_t client, int64_t now)
{
	struct hm_actor who = {0, "t", now};
	json_t *out = NULL;
	const char *why = NULL;
	long long id = -1;
	if (hm_db_waitlists_join_slot(db, &session, client, &who, &out, &why) == HM_OK)
		id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static enum hm_err accept(struct hm_db *db, long long id, int64_t client, int64_t now)
{
	struct hm_actor who = {0, "t", now};
	json_t *out = NULL;
	const char *why = NULL;
	enum hm_err err = hm_db_waitlists_accept(db, id, client, &who, &env, &out, &why);
	CHECK(err == HM_OK ? out != NULL : out == NULL);
	json_decref(out);
	return err;
}

static int sweep(struct hm_db *db, int64_t now)
{
	int passed = -1;
	int64_t next = 0;
	CHECK_INT(hm_db_waitlists_sweep(db, &env, now, &passed, &next), HM_OK);
	return passed;
}

/* Seats of the session: booked lessons plus held offers. */
static long long seats_taken(struct hm_db *db)
{
	return scalar(db, "SELECT (SELECT count(*) FROM lessons WHERE service_id = 1"
			  " AND starts_at = 2000000 AND status = 'booked') + (SELECT count(*)"
			  " FROM slot_waitlist WHERE state = 'offered')");
}

static void cancel_lesson(struct hm_db *db, int64_t lesson, int64_t now)
{
	struct hm_actor who = {0, "t", now};
	json_t *out = NULL;
	const char *why = NULL;
	CHECK_INT(hm_db_lessons_cancel(db, lesson, 0, 0, &who, &env, &out, &why), HM_OK);
	json_decref(out);
}

static void test_triggers(void)
{
	char why[128];
	struct hm_db *db = fresh_db();
	seed(db);
	/* The event is full: a line for client 2, not for client 1 (registered). */
	CHECK_INT(run(db,
		      "INSERT INTO event_waitlist (event_id, client_id, created_at)"
		      " VALUES (1, 1, 0)",
		      why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "registered");
	CHECK_INT(run(db,
		      "INSERT INTO event_waitlist (event_id, client_id, created_at)"
		      " VALUES (1, 2, 0)",
		      why, sizeof why),
		  SQLITE_OK);
	CHECK_INT(run(db,
		      "UPDATE events SET capacity = 5 WHERE id = 1; INSERT INTO event_waitlist"
		      " (event_id, client_id, created_at) VALUES (1, 3, 0)",
		      why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "not_full");
	/* The session is full: client 1 has a seat, client 3 may wait, once. */
	CHECK_INT(run(db,
		      "INSERT INTO slot_waitlist (client_id, service_id, tutor_id, starts_at,"
		      " created_at) VALUES (1, 1, 10, 2000000, 0)",
		      why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "booked");
	CHECK(join_slot(db, 3, N) > 0);
	CHECK(join_slot(db, 3, N) < 0);
	/* A held offer is a seat: with lesson 2 cancelled and client 3 offered, client
	 * 5 cannot book it, nor the tutor give a private lesson then. */
	cancel_lesson(db, 2, N);
	CHECK_INT(scalar(db, "SELECT count(*) FROM slot_waitlist WHERE state = 'offered'"), 1);
	CHECK_INT(run(db,
		      "INSERT INTO lessons (client_id, tutor_id, service_id, starts_at, ends_at,"
		      " created_at) VALUES (5, 10, 1, 2000000, 2003600, 0)",
		      why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "full");
	CHECK_INT(run(db,
		      "DELETE FROM lessons WHERE id = 1; INSERT INTO lessons (client_id,"
		      " tutor_id, service_id, starts_at, ends_at, created_at) VALUES (5, 10, 2,"
		      " 2001800, 2005400, 0)",
		      why, sizeof why),
		  SQLITE_CONSTRAINT_TRIGGER);
	CHECK_STR(why, "slot_taken");
	/* Not full any more (a seat free besides the offer): no line to join. */
	CHECK(join_slot(db, 4, N) < 0);
	hm_db_close(db);
}

static void test_event_place_goes_to_the_first_in_line(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {0, "t", N};
	json_t *out = NULL;
	const char *why = NULL;
	seed(db);
	/* Clients 3 then 4 join the full event's line. */
	CHECK_INT(hm_db_waitlists_join_event(db, 1, 3, &who, &out, &why), HM_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "position")), 1);
	json_decref(out);
	CHECK_INT(hm_db_waitlists_join_event(db, 1, 4, &who, &out, &why), HM_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "position")), 2);
	json_decref(out);
	CHECK_INT(hm_db_waitlists_join_event(db, 1, 4, &who, &out, &why), HM_ERR_CONFLICT);
	CHECK(out == NULL && why != NULL);
	CHECK_INT(hm_db_waitlists_join_event(db, 1, 1, &who, &out, &why), HM_ERR_CONFLICT);
	CHECK_INT(hm_db_waitlists_join_event(db, 9, 1, &who, &out, &why), HM_ERR_NOT_FOUND);
	/* Client 1 withdraws: client 3 has the place in that same transaction. */
	CHECK_INT(hm_db_events_withdraw(db, 1, 1, &who, &env), HM_OK);
	CHECK_INT(scalar(db, "SELECT group_concat(client_id) FROM event_registrations"), 3);
	CHECK_INT(scalar(db, "SELECT client_id FROM event_waitlist"), 4);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'waitlist_registered'"
			     " AND client_id = 3 AND locale = 'es'"
			     " AND subject = 'Tienes plaza: Zatikien tailerra'"),
		  1);
	/* Client 4 is first now: GET /me/waitlist says so. */
	json_t *items = NULL;
	CHECK_INT(hm_db_waitlists_mine(db, 4, N, &items), HM_OK);
	CHECK_INT(json_array_size(items), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "kind")), "event");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(items, 0), "position")), 1);
	json_decref(items);
	/* Capacity raised: the line fills the new place. */
	struct hm_event_input more = {.has_capacity = true, .capacity = 3};
	int registered = 0;
	CHECK_INT(hm_db_events_update(db, 1, &more, NULL, &who, &env, &out, &registered), HM_OK);
	CHECK_INT(json_integer_value(json_object_get(out, "registered_count")), 2);
	CHECK_INT(json_integer_value(json_object_get(out, "waitlist_count")), 0);
	json_decref(out);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'waitlist_registered'"), 2);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'event.register'"), 2);
	/* A student in line who got a place some other way is taken out of the line
	 * when the next place frees, not registered twice. */
	CHECK_INT(
		run(db,
		    "INSERT INTO event_registrations VALUES (1, 2, 0);"
		    " INSERT INTO event_waitlist (event_id, client_id, created_at) VALUES (1, 5, 0);"
		    " INSERT INTO event_waitlist (event_id, client_id, created_at) VALUES (1, 1, 0);"
		    " UPDATE events SET capacity = 4 WHERE id = 1;"
		    " INSERT INTO event_registrations VALUES (1, 5, 0)",
		    NULL, 0),
		SQLITE_OK);
	CHECK_INT(hm_db_events_withdraw(db, 1, 2, &who, &env), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_waitlist"), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM event_registrations WHERE client_id = 1"), 1);
	/* Leaving a line is harmless twice. */
	CHECK_INT(hm_db_waitlists_leave_event(db, 1, 5, &who), HM_OK);
	hm_db_close(db);
}

static void test_offer_accepted_as_a_booking(void)
{
	struct hm_db *db = fresh_db();
	seed(db);
	long long a = join_slot(db, 3, N), b = join_slot(db, 4, N);
	CHECK(a > 0 && b > a);
	CHECK_INT(accept(db, a, 3, N), HM_ERR_CONFLICT); /* in line, no offer yet */
	cancel_lesson(db, 1, N + 10);
	/* Client 3 holds the seat for 12 hours, told in Spanish. */
	CHECK_INT(scalar(db, "SELECT offer_expires_at FROM slot_waitlist WHERE client_id = 3"),
		  N + 10 + OFFER);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'waitlist_offer'"
			     " AND client_id = 3 AND locale = 'es'"),
		  1);
	CHECK_INT(seats_taken(db), 2);
	CHECK_INT(accept(db, a, 4, N + 20), HM_ERR_NOT_FOUND); /* another's entry */
	CHECK_INT(accept(db, a, 3, N + 20), HM_OK);
	/* Booked as POST /lessons books: a one-off contract, a confirmation. */
	CHECK_INT(scalar(db, "SELECT count(*) FROM lessons l JOIN contracts k ON k.id ="
			     " l.contract_id WHERE l.client_id = 3 AND l.status = 'booked'"
			     " AND l.made_contract = 1 AND k.kind = 'one_off'"),
		  1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'lesson_booked'"
			     " AND client_id = 3"),
		  1);
	CHECK_INT(seats_taken(db), 2);
	CHECK_INT(scalar(db, "SELECT count(*) FROM slot_waitlist WHERE client_id = 3"), 0);
	/* Client 4 gives up its place in line; nobody is offered anything. */
	struct hm_actor who = {0, "t", N + 30};
	CHECK_INT(hm_db_waitlists_leave(db, b, 3, &who, &env), HM_ERR_NOT_FOUND);
	CHECK_INT(hm_db_waitlists_leave(db, b, 4, &who, &env), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM slot_waitlist"), 0);
	hm_db_close(db);
}

static void test_offer_given_up_passes_on_at_once(void)
{
	struct hm_db *db = fresh_db();
	seed(db);
	long long a = join_slot(db, 3, N), b = join_slot(db, 4, N);
	cancel_lesson(db, 2, N);
	struct hm_actor who = {0, "t", N + 100};
	CHECK_INT(hm_db_waitlists_leave(db, a, 3, &who, &env), HM_OK);
	CHECK_INT(scalar(db, "SELECT offer_expires_at FROM slot_waitlist WHERE state = 'offered'"
			     " AND client_id = 4"),
		  N + 100 + OFFER);
	CHECK_INT(seats_taken(db), 2);
	/* Given up again with nobody left in line: the seat is simply free. */
	CHECK_INT(hm_db_waitlists_leave(db, b, 4, &who, &env), HM_OK);
	CHECK(join_slot(db, 5, N) < 0); /* a seat is free: book it */
	/* An offer made an hour before the start ends at the start. */
	CHECK(join_slot(db, 4, N) < 0);
	CHECK_INT(run(db, "UPDATE lessons SET status = 'booked' WHERE id = 2", NULL, 0), SQLITE_OK);
	long long c = join_slot(db, 5, N);
	CHECK(c > 0);
	cancel_lesson(db, 2, T - 3600);
	CHECK_INT(scalar(db, "SELECT offer_expires_at FROM slot_waitlist WHERE client_id = 5"), T);
	hm_db_close(db);
}

/* The race at the deadline, both orders. The sweep and the accept each run under
 * the write lock, so they are serialised; whichever goes first decides, and the
 * other sees its result. */
static void test_accept_at_the_second_it_expires(void)
{
	/* The sweep first, at the deadline: the offer passes to client 4; client 3's
	 * accept in that same second is refused. */
	struct hm_db *db = fresh_db();
	seed(db);
	long long a = join_slot(db, 3, N), b = join_slot(db, 4, N);
	cancel_lesson(db, 1, N);
	const int64_t deadline = N + OFFER;
	CHECK_INT(sweep(db, deadline - 1), 0); /* not yet */
	CHECK_INT(sweep(db, deadline), 1);
	CHECK_INT(accept(db, a, 3, deadline), HM_ERR_CONFLICT);
	CHECK_INT(accept(db, b, 4, deadline), HM_OK);
	CHECK_INT(seats_taken(db), 2);
	CHECK_INT(scalar(db, "SELECT count(*) FROM lessons WHERE client_id IN (3, 4)"
			     " AND status = 'booked'"),
		  1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM outbox WHERE kind = 'waitlist_offer'"), 2);
	hm_db_close(db);

	/* The accept first, at the deadline: refused (an offer ends at its deadline);
	 * the sweep in the same second passes it on. One student, client 4, gets it. */
	db = fresh_db();
	seed(db);
	a = join_slot(db, 3, N);
	b = join_slot(db, 4, N);
	cancel_lesson(db, 1, N);
	CHECK_INT(accept(db, a, 3, deadline), HM_ERR_CONFLICT);
	CHECK_INT(sweep(db, deadline), 1);
	CHECK_INT(accept(db, a, 3, deadline), HM_ERR_CONFLICT);
	CHECK_INT(scalar(db, "SELECT count(*) FROM slot_waitlist WHERE client_id = 4"
			     " AND state = 'offered'"),
		  1);
	CHECK_INT(seats_taken(db), 2);
	hm_db_close(db);

	/* The accept one second before the deadline, then the sweep at it: client 3
	 * has the seat, the sweep finds nothing, client 4 waits on. */
	db = fresh_db();
	seed(db);
	a = join_slot(db, 3, N);
	b = join_slot(db, 4, N);
	cancel_lesson(db, 1, N);
	CHECK_INT(accept(db, a, 3, deadline - 1), HM_OK);
	CHECK_INT(sweep(db, deadline), 0);
	CHECK_INT(accept(db, b, 4, deadline), HM_ERR_CONFLICT);
	CHECK_INT(scalar(db, "SELECT count(*) FROM slot_waitlist WHERE client_id = 4"
			     " AND state = 'waiting'"),
		  1);
	CHECK_INT(seats_taken(db), 2);
	CHECK_INT(scalar(db, "SELECT count(*) FROM lessons WHERE client_id IN (3, 4)"
			     " AND status = 'booked'"),
		  1);
	hm_db_close(db);
}

/* The same race on two connections in two threads, released together: an accept
 * (the second before the deadline in even rounds, the deadline itself in odd ones)
 * against the sweep at the deadline. */
struct racer {
	const char *path;
	bool sweeps;
	int64_t now;
	enum hm_err err;
	int passed;
};

static pthread_barrier_t gate;

static void *race_one(void *arg)
{
	struct racer *r = arg;
	struct hm_db *db = hm_db_open(r->path);
	pthread_barrier_wait(&gate);
	if (!db) {
		r->err = HM_ERR_INTERNAL;
		return NULL;
	}
	if (r->sweeps) {
		int64_t next = 0;
		r->err = hm_db_waitlists_sweep(db, &env, r->now, &r->passed, &next);
	} else {
		struct hm_actor who = {0, "t", r->now};
		json_t *out = NULL;
		const char *why = NULL;
		r->err = hm_db_waitlists_accept(db, 1, 3, &who, &env, &out, &why);
		json_decref(out);
	}
	hm_db_close(db);
	return NULL;
}

static void test_accept_racing_the_sweep_on_two_threads(void)
{
	char dir[] = "/tmp/hm-waitlist-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	int accepted = 0, passed_on = 0;
	const int64_t deadline = N + OFFER;
	for (int round = 0; round < 20; round++) {
		char path[96];
		snprintf(path, sizeof path, "%s/round%d.db", dir, round);
		struct hm_db *db = open_db(path);
		seed(db);
		CHECK_INT(join_slot(db, 3, N), 1);
		CHECK(join_slot(db, 4, N) > 0);
		cancel_lesson(db, 1, N);
		hm_db_close(db);
		struct racer acc = {path, false, deadline - (round % 2 == 0), HM_OK, 0};
		struct racer swp = {path, true, deadline, HM_OK, 0};
		pthread_t a, b;
		CHECK_INT(pthread_barrier_init(&gate, NULL, 2), 0);
		CHECK_INT(pthread_create(&a, NULL, race_one, &acc), 0);
		CHECK_INT(pthread_create(&b, NULL, race_one, &swp), 0);
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		pthread_barrier_destroy(&gate);
		CHECK(acc.err == HM_OK || acc.err == HM_ERR_CONFLICT);
		CHECK_INT(swp.err, HM_OK);
		db = open_db(path);
		long long booked3 = scalar(db, "SELECT count(*) FROM lessons WHERE client_id = 3"
					       " AND status = 'booked'");
		long long offered4 = scalar(db, "SELECT count(*) FROM slot_waitlist WHERE"
						" client_id = 4 AND state = 'offered'");
		/* One student holds the freed seat: client 3's lesson or client 4's offer. */
		CHECK_INT(booked3 + offered4, 1);
		CHECK_INT(booked3, acc.err == HM_OK);
		CHECK_INT(swp.passed, acc.err == HM_OK ? 0 : 1);
		CHECK_INT(seats_taken(db), 2);
		if (round % 2 == 1)
			CHECK_INT(acc.err, HM_ERR_CONFLICT); /* at the deadline: expired */
		accepted += booked3 == 1;
		passed_on += offered4 == 1;
		hm_db_close(db);
		static const char *const suffixes[] = {"", "-wal", "-shm"};
		for (size_t k = 0; k < 3; k++) {
			char file[112];
			snprintf(file, sizeof file, "%s%s", path, suffixes[k]);
			unlink(file);
		}
	}
	fprintf(stderr, "20 rounds: %d accepted before the sweep, %d passed on, 0 given twice\n",
		accepted, passed_on);
	CHECK_INT(accepted + passed_on, 20);
	rmdir(dir);
}

static void test_mine_lists_both_kinds(void)
{
	struct hm_db *db = fresh_db();
	struct hm_actor who = {0, "t", N};
	json_t *out = NULL, *items = NULL;
	const char *why = NULL;
	seed(db);
	CHECK_INT(hm_db_waitlists_join_event(db, 1, 3, &who, &out, &why), HM_OK);
	json_decref(out);
	CHECK(join_slot(db, 4, N) > 0);
	CHECK(join_slot(db, 3, N) > 0);
	cancel_lesson(db, 1, N);
	CHECK_INT(hm_db_waitlists_mine(db, 3, N, &items), HM_OK);
	CHECK_INT(json_array_size(items), 2);
	json_t *slot = NULL, *event = NULL, *item;
	size_t i;
	json_array_foreach(items, i, item)
	{
		if (strcmp(json_string_value(json_object_get(item, "kind")), "slot") == 0)
			slot = item;
		else
			event = item;
	}
	CHECK(slot && event);
	CHECK_INT(json_integer_value(json_object_get(slot, "position")), 1);
	CHECK_STR(json_string_value(json_object_get(slot, "state")), "waiting");
	CHECK(json_is_null(json_object_get(slot, "offer_expires_at")));
	CHECK_INT(json_integer_value(json_object_get(event, "position")), 1);
	json_decref(items);
	CHECK_INT(hm_db_waitlists_mine(db, 4, N, &items), HM_OK);
	CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "state")), "offered");
	CHECK(json_is_null(json_object_get(json_array_get(items, 0), "position")));
	CHECK(json_is_string(json_object_get(json_array_get(items, 0), "offer_expires_at")));
	json_decref(items);
	/* Once the session has started, nothing is listed. */
	CHECK_INT(hm_db_waitlists_mine(db, 4, T, &items), HM_OK);
	CHECK_INT(json_array_size(items), 0);
	json_decref(items);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_triggers);
	RUN(test_event_place_goes_to_the_first_in_line);
	RUN(test_offer_accepted_as_a_booking);
	RUN(test_offer_given_up_passes_on_at_once);
	RUN(test_accept_at_the_second_it_expires);
	RUN(test_accept_racing_the_sweep_on_two_threads);
	RUN(test_mine_lists_both_kinds);
	return CHECK_EXIT();
}
