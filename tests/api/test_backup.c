// SPDX-License-Identifier: MIT
// Backup and restore under write load (issue 5, item 6). Four students book
// lessons without pause (each booking also makes a one-off contract) while
// `harreman backup OUT --db PATH` copies the live database. The copy must pass
// integrity_check and foreign_key_check, hold every booking answered 201 before
// the backup began, hold nothing half-written (each lesson with its contract, each
// one-off contract made by a booking with its lesson) and nothing the server does
// not have. Then the copy is restored as operations.md says (copied to a new
// database path, no -wal or -shm beside it) and served: it answers, a student logs
// in and finds the bookings the copy holds, and books another one.
//
// A 48 MiB ballast table, written before the load starts, makes the copy take long
// enough that bookings are committed while it runs; the test checks that some were.
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define PW "backup-test-password"
#define N_TUTORS 4
#define N_STUDENTS 4
#define DURATION_MIN 30
#define FIRST_MINUTE (8 * 60)
#define SLOTS_PER_DAY 28 /* 08:00-22:00 */
#define BALLAST_ROWS 12288
#define BALLAST_BYTES 4000
#define MAX_BOOKINGS 20000

static struct test_server server;
static json_int_t tutors[N_TUTORS], service_id;
static int64_t first_day;

struct booking {
	json_int_t lesson_id;
	int student;
	double acked_at; /* seconds, monotonic, when the 201 arrived */
};

static struct booking bookings[MAX_BOOKINGS];
static atomic_int n_bookings;
static atomic_int stop_load;
static atomic_long failures; /* answers other than 201 */

struct student {
	struct api_client c;
	json_int_t client_id;
	int index;
	unsigned next; /* its next slot: see slot_body */
};
static struct student students[N_STUDENTS];

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static json_int_t post_id(struct api_client *c, const char *path, const char *body, int expect)
{
	struct http_response r;
	api_call(c, "POST", path, body, &r);
	json_int_t id = r.status == expect ? ival(r.json, "id") : 0;
	if (r.status != expect)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

/* ---- setup ------------------------------------------------------------------- */

static bool add_ballast(void)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	bool ok = false;
	char *blob = calloc(1, BALLAST_BYTES);
	if (!blob || sqlite3_open(server.db, &h) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(h, 10000);
	if (sqlite3_exec(h, "CREATE TABLE test_ballast (b BLOB); BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(h, "INSERT INTO test_ballast VALUES (?1)", -1, &st, NULL) !=
		    SQLITE_OK)
		goto out;
	for (int i = 0; i < BALLAST_ROWS; i++) {
		blob[i % BALLAST_BYTES] = (char)i;
		sqlite3_bind_blob(st, 1, blob, BALLAST_BYTES, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
	}
	ok = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	free(blob);
	return ok;
}

static bool setup(void)
{
	struct api_client admin, staff;
	struct http_response r;
	char email[64], body[1024];
	int weekday;
	hm_local_day(hm_time_now(), &first_day, &weekday);
	first_day += 2;

	if (!ts_add_user(&server, "admin", "admin@backup.test", "Ane Admin", PW) ||
	    !ts_add_user(&server, "staff", "office@backup.test", "Oihane Office", PW))
		return false;
	api_client_at(&admin, server.port, "10.7.0.1");
	api_client_at(&staff, server.port, "10.7.0.2");
	if (api_login(&admin, "admin@backup.test", PW) != 200 ||
	    api_login(&staff, "office@backup.test", PW) != 200)
		return false;
	for (int t = 0; t < N_TUTORS; t++) {
		snprintf(email, sizeof email, "tutor%d@backup.test", t);
		if (!ts_add_user(&server, "staff", email, "Tutor", PW))
			return false;
		api_call(&admin, "GET", "/api/v1/users?limit=200", NULL, &r);
		size_t i;
		json_t *u;
		json_array_foreach(http_json(&r, "items"), i,
				   u) if (json_str(u, "email") &&
					  strcmp(json_str(u, "email"), email) == 0)
			tutors[t] = ival(u, "id");
		http_response_free(&r);
		if (!tutors[t] ||
		    !api_make_tutor(&staff, tutors[t], "maths", NULL, 0, "08:00", "22:00"))
			return false;
	}
	snprintf(body, sizeof body,
		 "{\"name\":\"Maths, half an hour\",\"subject\":\"maths\",\"kind\":\"private\","
		 "\"duration_min\":%d,\"price_cents\":1500}",
		 DURATION_MIN);
	if (!(service_id = post_id(&staff, "/api/v1/services", body, 201)))
		return false;
	for (int i = 0; i < N_STUDENTS; i++) {
		char name[32], ip[32];
		snprintf(email, sizeof email, "student%d@backup.test", i);
		snprintf(name, sizeof name, "Student %d", i);
		snprintf(ip, sizeof ip, "10.7.1.%d", i + 1);
		students[i].index = i;
		api_client_at(&students[i].c, server.port, ip);
		if (api_register(&students[i].c, email, PW, name) != 201)
			return false;
		api_call(&students[i].c, "GET", "/api/v1/me", NULL, &r);
		students[i].client_id = ival(http_json(&r, "client"), "id");
		http_response_free(&r);
		if (!students[i].client_id)
			return false;
	}
	return add_ballast();
}

/* ---- the load ------------------------------------------------------------------ */

/* Slot k: tutors interleaved, then half-hours of a day, then days. Student i books
 * the slots of tutor i in turn (k = next * N_TUTORS + i): each slot is booked once,
 * and a student is never in two lessons at once (API.md: client_busy), so every
 * booking should be answered 201. */
_Static_assert(N_STUDENTS == N_TUTORS, "one tutor per student");
static void slot_body(unsigned k, char *body, size_t size)
{
	char at[HM_RFC3339_LEN];
	json_int_t tutor = tutors[k % N_TUTORS];
	unsigned rest = k / N_TUTORS;
	int64_t day = first_day + rest / SLOTS_PER_DAY;
	int minute = FIRST_MINUTE + (int)(rest % SLOTS_PER_DAY) * DURATION_MIN;
	hm_time_format(hm_local_instant(day, minute), at);
	snprintf(body, size, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service_id, (long long)tutor, at);
}

static void *book_loop(void *arg)
{
	struct student *s = arg;
	char body[256];
	while (!atomic_load(&stop_load)) {
		unsigned k = s->next++ * N_TUTORS + (unsigned)s->index;
		if (k >= (unsigned)N_TUTORS * SLOTS_PER_DAY * 360)
			break; /* stay inside the booking horizon */
		slot_body(k, body, sizeof body);
		struct http_response r;
		api_call(&s->c, "POST", "/api/v1/lessons", body, &r);
		double at = now_s();
		if (r.status == 201) {
			int i = atomic_fetch_add(&n_bookings, 1);
			if (i < MAX_BOOKINGS)
				bookings[i] = (struct booking){ival(r.json, "id"), s->index, at};
		} else {
			atomic_fetch_add(&failures, 1);
			fprintf(stderr, "  booking %s -> %d %s\n", body, r.status,
				r.body ? r.body : "");
		}
		http_response_free(&r);
	}
	return NULL;
}

static void pause_s(double seconds)
{
	struct timespec t = {.tv_sec = (time_t)seconds,
			     .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
	nanosleep(&t, NULL);
}

/* ---- looking at the copy ------------------------------------------------------------ */

static long long one_value(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void one_text(sqlite3 *h, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st = NULL;
	snprintf(out, size, "(none)");
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static bool has_booked_lesson(sqlite3 *h, json_int_t id)
{
	sqlite3_stmt *st = NULL;
	bool found = false;
	if (sqlite3_prepare_v2(h, "SELECT status FROM lessons WHERE id = ?1", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		found = sqlite3_step(st) == SQLITE_ROW &&
			strcmp((const char *)sqlite3_column_text(st, 0), "booked") == 0;
	}
	sqlite3_finalize(st);
	return found;
}

static int by_lesson_id(const void *a, const void *b)
{
	json_int_t x = ((const struct booking *)a)->lesson_id;
	json_int_t y = ((const struct booking *)b)->lesson_id;
	return (x > y) - (x < y);
}

/* ---- the test ----------------------------------------------------------------------- */

static void test_backup_under_load_and_restore(void)
{
	char out_path[256], restored[256];
	snprintf(out_path, sizeof out_path, "%s/backup.db", server.dir);

	pthread_t threads[N_STUDENTS];
	for (int i = 0; i < N_STUDENTS; i++)
		pthread_create(&threads[i], NULL, book_loop, &students[i]);
	pause_s(1.0);

	const char *args[] = {"backup", out_path, "--db", server.db, NULL};
	char *output = NULL;
	int before_count = atomic_load(&n_bookings);
	double began = now_s();
	int status = run_cli(args, NULL, NULL, &output);
	double ended = now_s();
	int during_count = atomic_load(&n_bookings);
	pause_s(0.5);
	atomic_store(&stop_load, 1);
	for (int i = 0; i < N_STUDENTS; i++)
		pthread_join(threads[i], NULL);
	int total = atomic_load(&n_bookings);
	if (total > MAX_BOOKINGS)
		total = MAX_BOOKINGS;

	CHECK_INT(status, 0);
	if (status != 0)
		fprintf(stderr, "  backup said: %s\n", output ? output : "");
	free(output);
	CHECK_INT(atomic_load(&failures), 0);
	struct stat st;
	CHECK(stat(out_path, &st) == 0 && (st.st_mode & 0777) == 0600);

	/* What was acknowledged when. */
	int acked_before = 0, acked_during = 0;
	for (int i = 0; i < total; i++) {
		acked_before += bookings[i].acked_at < began;
		acked_during += bookings[i].acked_at >= began && bookings[i].acked_at <= ended;
	}
	fprintf(stderr,
		"  %d bookings in all: %d acknowledged before the backup began, %d during its "
		"%.0f ms, the rest after\n",
		total, acked_before, acked_during, (ended - began) * 1e3);
	CHECK(acked_before >= 20);
	CHECK(acked_during >= 1); /* the copy really ran under the load */
	CHECK(before_count <= during_count);

	sqlite3 *h = NULL;
	CHECK(sqlite3_open_v2(out_path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	char text[256];
	one_text(h, "PRAGMA integrity_check", text, sizeof text);
	CHECK_STR(text, "ok");
	CHECK_INT(one_value(h, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	one_text(h, "PRAGMA journal_mode", text, sizeof text);
	fprintf(stderr, "  the copy: integrity_check ok, journal_mode %s\n", text);
	int missing = 0;
	for (int i = 0; i < total; i++)
		if (bookings[i].acked_at < began && !has_booked_lesson(h, bookings[i].lesson_id)) {
			if (missing++ < 5)
				fprintf(stderr,
					"  lesson %lld answered 201 before the backup is not in it\n",
					(long long)bookings[i].lesson_id);
		}
	CHECK_INT(missing, 0);
	/* Nothing half-written: every lesson with its one-off contract and back. */
	long long lessons = one_value(h, "SELECT count(*) FROM lessons");
	CHECK(lessons >= acked_before);
	CHECK(lessons <= total);
	CHECK_INT(one_value(h, "SELECT count(*) FROM lessons l JOIN contracts c ON c.id = "
			       "l.contract_id AND c.kind = 'one_off' AND c.sessions_used = 1"),
		  lessons);
	CHECK_INT(one_value(h, "SELECT count(*) FROM contracts c WHERE NOT EXISTS (SELECT 1 FROM "
			       "lessons l WHERE l.contract_id = c.id)"),
		  0);
	/* Nothing the server does not have: the copy's lessons are among the 201s. */
	qsort(bookings, (size_t)total, sizeof bookings[0], by_lesson_id);
	sqlite3_stmt *q = NULL;
	int strangers = 0;
	if (sqlite3_prepare_v2(h, "SELECT id FROM lessons", -1, &q, NULL) == SQLITE_OK)
		while (sqlite3_step(q) == SQLITE_ROW) {
			struct booking key = {.lesson_id = sqlite3_column_int64(q, 0)};
			strangers += !bsearch(&key, bookings, (size_t)total, sizeof key,
					      by_lesson_id);
		}
	sqlite3_finalize(q);
	CHECK_INT(strangers, 0);
	long long copy_lessons_of_0 = -1;
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM lessons WHERE client_id = %lld",
		 (long long)students[0].client_id);
	copy_lessons_of_0 = one_value(h, sql);
	sqlite3_close(h);

	/* Restore: the copy at a new database path, nothing beside it, served. */
	struct test_server again;
	char dir[] = "/tmp/harreman-restore-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	snprintf(restored, sizeof restored, "%s/harreman.db", dir);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", out_path, restored);
	CHECK(system(cmd) == 0);
	const char *serve_args[] = {"--db", restored, "--trusted-proxy", "127.0.0.1", NULL};
	CHECK(ts_start(&again, serve_args));
	struct http_response r;
	CHECK(http_request(again.port, "GET", "/healthz", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	struct api_client c;
	api_client_at(&c, again.port, "10.7.2.1");
	CHECK_INT(api_login(&c, "student0@backup.test", PW), 200);
	CHECK(api_call(&c, "GET", "/api/v1/me/lessons?limit=200", NULL, &r));
	CHECK_INT(r.status, 200);
	size_t listed = json_array_size(http_json(&r, "items"));
	json_t *next = http_json(&r, "next_after");
	long long pages_more = json_is_integer(next);
	http_response_free(&r);
	if (!pages_more)
		CHECK_INT(listed, copy_lessons_of_0);
	else
		CHECK(copy_lessons_of_0 > 200);
	/* And it takes new bookings: the next free slot. */
	char body[256];
	slot_body((students[0].next + 8) * N_TUTORS, body, sizeof body);
	json_int_t new_id = post_id(&c, "/api/v1/lessons", body, 201);
	CHECK(new_id > 0);
	CHECK_INT(ts_stop(&again), 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* Regression (issue 19, item 5): a backup killed at any moment leaves no file
 * under the final name but a complete one, and the next run is not refused. The
 * 48 MiB ballast makes the copy take long enough for kills to land mid-copy. */
static void test_killed_backup_leaves_no_corrupt_file(void)
{
	int completed = 0, interrupted = 0;
	for (int round = 0; round < 6; round++) {
		char out_path[256], cmd[640];
		snprintf(out_path, sizeof out_path, "%s/killed-%d.db", server.dir, round);
		pid_t pid = fork();
		if (pid == 0) {
			execl(ts_binary(), ts_binary(), "backup", out_path, "--db", server.db,
			      (char *)NULL);
			_exit(127);
		}
		CHECK(pid > 0);
		pause_s(0.01 + 0.03 * round); /* from before the copy starts to near its end */
		kill(pid, SIGKILL);
		int status = 0;
		waitpid(pid, &status, 0);
		struct stat st;
		if (stat(out_path, &st) == 0) {
			/* It finished before the kill: a whole, verified copy. */
			sqlite3 *db = NULL;
			sqlite3_stmt *stmt = NULL;
			CHECK(sqlite3_open_v2(out_path, &db, SQLITE_OPEN_READONLY, NULL) ==
			      SQLITE_OK);
			CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) ==
			      SQLITE_OK);
			CHECK(sqlite3_step(stmt) == SQLITE_ROW);
			CHECK_STR((const char *)sqlite3_column_text(stmt, 0), "ok");
			sqlite3_finalize(stmt);
			sqlite3_close(db);
			completed++;
		} else {
			/* Killed mid-way: the next run to the same name works. */
			const char *args[] = {"backup", out_path, "--db", server.db, NULL};
			char *output = NULL;
			CHECK_INT(run_cli(args, NULL, NULL, &output), 0);
			free(output);
			CHECK(stat(out_path, &st) == 0);
			interrupted++;
		}
		snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'.partial-*", out_path, out_path);
		CHECK(system(cmd) == 0);
	}
	fprintf(stderr, "  killed backups: %d interrupted mid-way, %d had finished\n", interrupted,
		completed);
	CHECK(interrupted > 0);
}

int main(void)
{
	static const char *const args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "4", NULL};
	double t0 = now_s();
	setenv("TZ", "Europe/Madrid", 1); /* the server's zone, for local slot times */
	tzset();
	if (!ts_start(&server, args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_backup_under_load_and_restore);
	RUN(test_killed_backup_leaves_no_corrupt_file);
	CHECK_INT(ts_stop(&server), 0);
	fprintf(stderr, "test_backup: %.1f s\n", now_s() - t0);
	return CHECK_EXIT();
}
