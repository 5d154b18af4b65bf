// SPDX-License-Identifier: MIT
// Waitlists (API.md, "Waitlists") through the real server: every route, as each
// role, with each error it answers. A full event's line gives a freed place to the
// first in line at once, with an e-mail in the student's language; twenty students
// racing for that freed place (a withdrawal and twenty registrations at the same
// moment) end with exactly one of them registered, the first in line. A full group
// session's line offers a freed seat, which nobody else can book while it is held;
// accepting books it with a contract as POST /lessons does; giving it up passes it
// on at once, and an offer left to expire passes on within a minute (the sender's
// sweep). The demo business has a full workshop with a line.
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

static struct test_server server;
/* Eight worker threads whatever the machine: the race needs requests that really
 * run at once. */
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "8", NULL};

#define PW "waitlist-test-password"
#define N_RACERS 20

struct student {
	struct api_client c;
	json_int_t client_id;
};

static struct api_client staff, admin, anon;
static struct student st[6];
static struct student racers[N_RACERS + 1]; /* racers[N_RACERS]: the one who withdraws */
static json_int_t tutor_id, svc_group, svc_private;
static int64_t today;

/* ---- helpers ---------------------------------------------------------------- */

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static long long db_scalar(const char *sql, int64_t a)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	long long v = -1;
	if (sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(stmt, 1, a);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				v = sqlite3_column_int64(stmt, 0);
		}
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static bool db_exec(const char *sql, int64_t a, int64_t b)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	bool ok = false;
	if (sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(stmt, 1, a);
			sqlite3_bind_int64(stmt, 2, b);
			ok = sqlite3_step(stmt) == SQLITE_DONE;
		}
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return ok;
}

static bool make_student(struct student *s, const char *email, const char *ip)
{
	struct http_response r;
	api_client_at(&s->c, server.port, ip);
	if (api_register(&s->c, email, PW, "Ikasle Bat") != 201)
		return false;
	api_call(&s->c, "GET", "/api/v1/me", NULL, &r);
	s->client_id = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	return s->client_id > 0;
}

/* api_call, answering the status. */
static int call(struct api_client *c, const char *method, const char *path, const char *body,
		struct http_response *r)
{
	api_call(c, method, path, body, r);
	return r->status;
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

static json_int_t make_event(const char *title, int64_t day, int capacity)
{
	char body[512], starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(day, 18 * 60), starts);
	hm_time_format(hm_local_instant(day, 20 * 60), ends);
	snprintf(body, sizeof body,
		 "{\"title\":\"%s\",\"kind\":\"workshop\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		 "\"capacity\":%d,\"description\":\"d\"}",
		 title, starts, ends, capacity);
	return post_id(&staff, "/api/v1/events", body, 201);
}

/* method on /events/{id}/<what> as c; the response in r. */
static int event_call(struct api_client *c, const char *method, json_int_t event, const char *what,
		      const char *body, struct http_response *r)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/events/%lld/%s", (long long)event, what);
	api_call(c, method, path, body, r);
	return r->status;
}

static int event_status(struct api_client *c, const char *method, json_int_t event,
			const char *what)
{
	struct http_response r;
	int status = event_call(c, method, event, what, strcmp(method, "POST") == 0 ? "{}" : NULL,
				&r);
	http_response_free(&r);
	return status;
}

/* The event as GET /events shows it to c (a copy). */
static json_t *event_seen(struct api_client *c, json_int_t id)
{
	struct http_response r;
	json_t *found = NULL, *item;
	size_t i;
	api_call(c, "GET", "/api/v1/events?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "id") == id)
		found = json_deep_copy(item);
	http_response_free(&r);
	return found;
}

/* The group session body at local day and minute. */
static void session_body(char *out, size_t size, json_int_t service, int64_t day, int minute)
{
	char at[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(day, minute), at);
	snprintf(out, size, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service, (long long)tutor_id, at);
}

/* c's entries of GET /me/waitlist (a copy). */
static json_t *mine(struct api_client *c)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me/waitlist", NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *items = json_deep_copy(http_json(&r, "items"));
	http_response_free(&r);
	return items;
}

static bool setup(void)
{
	struct http_response r;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	if (!ts_add_user(&server, "admin", "admin@waitlist.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "mikel@waitlist.test", "Mikel Tutor", PW))
		return false;
	api_client_at(&admin, server.port, "10.8.0.1");
	api_client_at(&staff, server.port, "10.8.0.2");
	api_client_at(&anon, server.port, "10.8.0.3");
	if (api_login(&admin, "admin@waitlist.test", PW) != 200 ||
	    api_login(&staff, "mikel@waitlist.test", PW) != 200)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	if (!api_make_tutor(&staff, tutor_id, "maths", NULL, 0, "08:00", "20:00"))
		return false;
	svc_group = post_id(
		&staff, "/api/v1/services",
		"{\"name\":\"Matematika taldean\",\"subject\":\"maths\",\"kind\":\"group\","
		"\"duration_min\":60,\"price_cents\":1500,\"capacity\":2}",
		201);
	svc_private = post_id(&staff, "/api/v1/services",
			      "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
			      "\"duration_min\":60,\"price_cents\":3000}",
			      201);
	for (int i = 0; i < 6; i++) {
		char email[64], ip[32];
		snprintf(email, sizeof email, "student%d@waitlist.test", i);
		snprintf(ip, sizeof ip, "10.8.1.%d", i + 1);
		if (!make_student(&st[i], email, ip))
			return false;
	}
	/* Student 2 writes Spanish. */
	if (api_status(&st[2].c, "PATCH", "/api/v1/me/client", "{\"locale\":\"es\"}") != 200)
		return false;
	for (int i = 0; i <= N_RACERS; i++) {
		char email[64], ip[32];
		snprintf(email, sizeof email, "racer%d@waitlist.test", i);
		snprintf(ip, sizeof ip, "10.8.2.%d", i + 1);
		if (!make_student(&racers[i], email, ip))
			return false;
	}
	return svc_group > 0 && svc_private > 0 && tutor_id > 0;
}

/* ---- events ------------------------------------------------------------------ */

static void test_event_line(void)
{
	struct http_response r;
	json_int_t ev = make_event("Zatikien tailerra", today + 6, 1);
	CHECK(ev > 0);
	/* Places left: no line, register instead. */
	CHECK_INT(event_call(&st[1].c, "POST", ev, "waitlist", "{}", &r), 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK_INT(event_status(&st[0].c, "POST", ev, "registration"), 201);
	/* Full now. Registered students, staff and strangers may not join. */
	CHECK_INT(event_status(&st[0].c, "POST", ev, "waitlist"), 409);
	CHECK_INT(event_status(&staff, "POST", ev, "waitlist"), 403);
	CHECK_INT(event_status(&anon, "POST", ev, "waitlist"), 401);
	CHECK_INT(event_status(&st[1].c, "POST", 999999, "waitlist"), 404);
	CHECK_INT(event_call(&st[1].c, "POST", ev, "waitlist", "{\"position\":1}", &r), 422);
	CHECK(http_error_field(&r, "position") != NULL);
	http_response_free(&r);
	/* Students 1 and 2 line up: positions 1 and 2; twice is a conflict. */
	CHECK_INT(event_call(&st[1].c, "POST", ev, "waitlist", NULL, &r), 201);
	CHECK_INT(ival(r.json, "position"), 1);
	CHECK_STR(json_str(r.json, "kind"), "event");
	http_response_free(&r);
	CHECK_INT(event_call(&st[2].c, "POST", ev, "waitlist", "{}", &r), 201);
	CHECK_INT(ival(r.json, "position"), 2);
	http_response_free(&r);
	CHECK_INT(event_status(&st[2].c, "POST", ev, "waitlist"), 409);
	json_t *e = event_seen(&st[2].c, ev);
	CHECK_INT(ival(e, "waitlist_count"), 2);
	CHECK_INT(ival(e, "waitlist_position"), 2);
	json_decref(e);
	e = event_seen(&anon, ev);
	CHECK(json_is_null(json_object_get(e, "waitlist_position")));
	json_decref(e);
	/* Student 1 leaves the line (twice is harmless): student 2 is first. */
	CHECK_INT(event_status(&st[1].c, "DELETE", ev, "waitlist"), 204);
	CHECK_INT(event_status(&st[1].c, "DELETE", ev, "waitlist"), 204);
	CHECK_INT(event_status(&staff, "DELETE", ev, "waitlist"), 403);
	CHECK_INT(event_status(&st[1].c, "DELETE", 999999, "waitlist"), 404);
	json_t *items = mine(&st[2].c);
	CHECK_INT(json_array_size(items), 1);
	CHECK_INT(ival(json_array_get(items, 0), "position"), 1);
	CHECK_INT(ival(json_array_get(items, 0), "event_id"), ev);
	json_decref(items);
	/* Student 0 withdraws: student 2 has the place at once, told in Spanish. */
	CHECK_INT(event_status(&st[0].c, "DELETE", ev, "registration"), 204);
	e = event_seen(&st[2].c, ev);
	CHECK(json_is_true(json_object_get(e, "is_registered")));
	CHECK_INT(ival(e, "waitlist_count"), 0);
	CHECK_INT(ival(e, "places_left"), 0);
	json_decref(e);
	CHECK_INT(db_scalar("SELECT count(*) FROM outbox WHERE kind = 'waitlist_registered'"
			    " AND client_id = ?1 AND locale = 'es'",
			    st[2].client_id),
		  1);
	items = mine(&st[2].c);
	CHECK_INT(json_array_size(items), 0);
	json_decref(items);
	/* Staff raise the capacity: student 1, back in line, gets the new place. */
	CHECK_INT(event_status(&st[1].c, "POST", ev, "waitlist"), 201);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/events/%lld", (long long)ev);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"capacity\":2}"), 200);
	e = event_seen(&st[1].c, ev);
	CHECK(json_is_true(json_object_get(e, "is_registered")));
	json_decref(e);
	/* The line's count is the server's to say. */
	CHECK_INT(call(&staff, "PATCH", path, "{\"waitlist_count\":0}", &r), 422);
	CHECK_STR(http_error_field(&r, "waitlist_count"), "is read-only");
	http_response_free(&r);
}

/* ---- the race for one freed place ------------------------------------------------- */

static pthread_barrier_t barrier;
static json_int_t race_event;
static int race_status[N_RACERS + 1];

static void *racer(void *arg)
{
	int i = (int)(intptr_t)arg;
	pthread_barrier_wait(&barrier);
	race_status[i] = i == N_RACERS
				 ? event_status(&racers[i].c, "DELETE", race_event, "registration")
				 : event_status(&racers[i].c, "POST", race_event, "registration");
	return NULL;
}

static void test_race_for_a_freed_place(void)
{
	race_event = make_event("Azken tokia", today + 7, 1);
	CHECK_INT(event_status(&racers[N_RACERS].c, "POST", race_event, "registration"), 201);
	/* Twenty in line; then the place frees while all twenty try to register. */
	for (int i = 0; i < N_RACERS; i++)
		CHECK_INT(event_status(&racers[i].c, "POST", race_event, "waitlist"), 201);
	pthread_t threads[N_RACERS + 1];
	CHECK_INT(pthread_barrier_init(&barrier, NULL, N_RACERS + 1), 0);
	for (int i = 0; i <= N_RACERS; i++)
		CHECK_INT(pthread_create(&threads[i], NULL, racer, (void *)(intptr_t)i), 0);
	for (int i = 0; i <= N_RACERS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);
	CHECK_INT(race_status[N_RACERS], 204);
	/* Nobody got a place by registering: the freed one went to the first in
	 * line (who may have seen 409 full before, or 200 registered already). */
	int created = 0, full = 0;
	for (int i = 0; i < N_RACERS; i++) {
		created += race_status[i] == 201;
		full += race_status[i] == 409;
	}
	CHECK_INT(created, 0);
	CHECK(full >= N_RACERS - 1);
	CHECK_INT(db_scalar("SELECT count(*) FROM event_registrations WHERE event_id = ?1",
			    race_event),
		  1);
	CHECK_INT(db_scalar("SELECT client_id FROM event_registrations WHERE event_id = ?1",
			    race_event),
		  racers[0].client_id);
	CHECK_INT(db_scalar("SELECT count(*) FROM event_waitlist WHERE event_id = ?1", race_event),
		  N_RACERS - 1);
	CHECK_INT(db_scalar("SELECT count(*) FROM outbox WHERE kind = 'waitlist_registered'"
			    " AND client_id = ?1",
			    racers[0].client_id),
		  1);
	fprintf(stderr, "race: %d racers, 1 place freed, %d answered 409 full, 1 promoted\n",
		N_RACERS, full);
}

/* ---- group sessions ------------------------------------------------------------- */

/* GET /slots leaves the full session at local day and minute out; with ?full=true it
 * lists it with no seat left (the page offers its waiting list); ?full=yes is 422. */
static void check_full_session_listed(int64_t day, int minute)
{
	struct http_response r;
	char path[160], at[HM_RFC3339_LEN];
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	hm_time_format(hm_local_instant(day, minute), at);
	for (int full = 0; full <= 1; full++) {
		snprintf(
			path, sizeof path,
			"/api/v1/slots?service_id=%lld&from=%04lld-%02u-%02u&to=%04lld-%02u-%02u%s",
			(long long)svc_group, (long long)y, m, d, (long long)y, m, d,
			full ? "&full=true" : "");
		CHECK_INT(call(&anon, "GET", path, NULL, &r), 200);
		json_t *items = http_json(&r, "items");
		json_int_t seats = -1;
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *slot = json_array_get(items, i);
			if (strcmp(json_string_value(json_object_get(slot, "starts_at")), at) == 0)
				seats = ival(slot, "seats_left");
		}
		CHECK_INT(seats, full ? 0 : -1);
		CHECK(json_array_size(items) > 0); /* the other sessions of the day */
		http_response_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&full=yes", (long long)svc_group);
	CHECK_INT(call(&anon, "GET", path, NULL, &r), 422);
	CHECK(http_error_field(&r, "full") != NULL);
	http_response_free(&r);
}

static void test_slot_line(void)
{
	struct http_response r;
	char body[256], other[256], path[96];
	int64_t day = today + 5;
	session_body(body, sizeof body, svc_group, day, 10 * 60);
	session_body(other, sizeof other, svc_group, day, 12 * 60);
	/* Not full yet: 409; students 0 and 3 fill it. */
	CHECK_INT(call(&st[1].c, "POST", "/api/v1/waitlist", body, &r), 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	json_int_t lesson0 = post_id(&st[0].c, "/api/v1/lessons", body, 201);
	CHECK(post_id(&st[3].c, "/api/v1/lessons", body, 201) > 0);
	check_full_session_listed(day, 10 * 60);
	/* Booked already: 409; staff 403; anonymous 401; bad bodies 422. */
	CHECK_INT(api_status(&st[0].c, "POST", "/api/v1/waitlist", body), 409);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/waitlist", body), 403);
	CHECK_INT(api_status(&anon, "POST", "/api/v1/waitlist", body), 401);
	char bad[256];
	session_body(bad, sizeof bad, svc_private, day, 10 * 60);
	CHECK_INT(call(&st[1].c, "POST", "/api/v1/waitlist", bad, &r), 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);
	session_body(bad, sizeof bad, svc_group, day, 10 * 60 + 17);
	CHECK_INT(call(&st[1].c, "POST", "/api/v1/waitlist", bad, &r), 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	session_body(bad, sizeof bad, svc_group, today - 1, 10 * 60);
	CHECK_INT(call(&st[1].c, "POST", "/api/v1/waitlist", bad, &r), 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	CHECK_INT(call(&st[1].c, "POST", "/api/v1/waitlist", "{\"tutor_id\":\"x\"}", &r), 422);
	CHECK(http_error_field(&r, "service_id") && http_error_field(&r, "tutor_id") &&
	      http_error_field(&r, "starts_at"));
	http_response_free(&r);
	CHECK_INT(api_status(&st[1].c, "POST", "/api/v1/waitlist", other), 409); /* not full */
	/* Students 1 and 2 line up. */
	CHECK_INT(call(&st[1].c, "POST", "/api/v1/waitlist", body, &r), 201);
	json_int_t e1 = ival(r.json, "id");
	CHECK_INT(ival(r.json, "position"), 1);
	CHECK_STR(json_str(r.json, "state"), "waiting");
	http_response_free(&r);
	CHECK_INT(call(&st[2].c, "POST", "/api/v1/waitlist", body, &r), 201);
	json_int_t e2 = ival(r.json, "id");
	CHECK_INT(ival(r.json, "position"), 2);
	http_response_free(&r);
	CHECK_INT(api_status(&st[2].c, "POST", "/api/v1/waitlist", body), 409); /* twice */
	/* No offer yet: accepting is a conflict; another's entry is not found. */
	snprintf(path, sizeof path, "/api/v1/waitlist/%lld/accept", (long long)e1);
	CHECK_INT(api_status(&st[1].c, "POST", path, "{}"), 409);
	CHECK_INT(api_status(&st[2].c, "POST", path, "{}"), 404);
	CHECK_INT(api_status(&staff, "POST", path, "{}"), 403);
	CHECK_INT(api_status(&st[1].c, "POST", path, "{\"x\":1}"), 422);
	/* Student 0 cancels: student 1 is offered the seat for 12 hours. */
	char cancel[96];
	snprintf(cancel, sizeof cancel, "/api/v1/lessons/%lld/cancel", (long long)lesson0);
	CHECK_INT(api_status(&st[0].c, "POST", cancel, "{}"), 200);
	json_t *items = mine(&st[1].c);
	json_t *offer = json_array_get(items, 0);
	CHECK_STR(json_str(offer, "kind"), "slot");
	CHECK_STR(json_str(offer, "state"), "offered");
	CHECK(json_is_null(json_object_get(offer, "position")));
	int64_t expires = 0;
	CHECK(hm_time_parse(json_str(offer, "offer_expires_at"), &expires));
	CHECK(expires > hm_time_now() + 12 * 3600 - 120 && expires <= hm_time_now() + 12 * 3600);
	json_decref(items);
	items = mine(&st[2].c);
	CHECK_INT(ival(json_array_get(items, 0), "position"), 1);
	json_decref(items);
	CHECK_INT(db_scalar("SELECT count(*) FROM outbox WHERE kind = 'waitlist_offer'"
			    " AND client_id = ?1",
			    st[1].client_id),
		  1);
	/* The held seat is taken for everyone else: booking it is 409 full. */
	CHECK_INT(call(&st[4].c, "POST", "/api/v1/lessons", body, &r), 409);
	CHECK_STR(http_error_code(&r), "full");
	http_response_free(&r);
	/* Student 1 accepts: a lesson with its contract, as POST /lessons books. */
	CHECK_INT(call(&st[1].c, "POST", path, NULL, &r), 201);
	CHECK_STR(json_str(r.json, "status"), "booked");
	CHECK_INT(ival(r.json, "service_id"), svc_group);
	CHECK(json_is_object(json_object_get(r.json, "contract")));
	http_response_free(&r);
	CHECK_INT(api_status(&st[1].c, "POST", path, "{}"), 404); /* gone */
	/* Student 2 leaves; again: not found. */
	snprintf(path, sizeof path, "/api/v1/waitlist/%lld", (long long)e2);
	CHECK_INT(api_status(&st[1].c, "DELETE", path, NULL), 404);
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 403);
	CHECK_INT(api_status(&st[2].c, "DELETE", path, NULL), 204);
	CHECK_INT(api_status(&st[2].c, "DELETE", path, NULL), 404);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/waitlist", NULL), 401);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/waitlist", NULL), 403);
}

/* An offer given up passes on at once; one left to expire passes on within a
 * minute, by the sender thread's sweep. */
static void test_offer_passes_on(void)
{
	struct http_response r;
	char body[256], path[96];
	session_body(body, sizeof body, svc_group, today + 6, 9 * 60);
	json_int_t lesson = post_id(&st[0].c, "/api/v1/lessons", body, 201);
	CHECK(post_id(&st[5].c, "/api/v1/lessons", body, 201) > 0);
	json_int_t e[3];
	for (int i = 0; i < 3; i++) {
		CHECK_INT(call(&st[i + 1].c, "POST", "/api/v1/waitlist", body, &r), 201);
		e[i] = ival(r.json, "id");
		http_response_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)lesson);
	CHECK_INT(api_status(&st[0].c, "POST", path, "{}"), 200);
	/* Student 1 gives the offer up: student 2 has it now. */
	snprintf(path, sizeof path, "/api/v1/waitlist/%lld", (long long)e[0]);
	CHECK_INT(api_status(&st[1].c, "DELETE", path, NULL), 204);
	json_t *items = mine(&st[2].c);
	CHECK_STR(json_str(json_array_get(items, 0), "state"), "offered");
	json_decref(items);
	/* Student 2's offer runs out (its deadline moved into the past): within a
	 * minute the sweep passes it to student 3, and student 2's accept is 409. */
	CHECK(db_exec("UPDATE slot_waitlist SET offer_expires_at = ?2 WHERE id = ?1", e[1],
		      hm_time_now() - 1));
	snprintf(path, sizeof path, "/api/v1/waitlist/%lld/accept", (long long)e[1]);
	CHECK_INT(call(&st[2].c, "POST", path, "{}", &r), 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	bool passed = false;
	time_t give_up = time(NULL) + 75;
	while (!passed && time(NULL) < give_up) {
		passed = db_scalar("SELECT count(*) FROM slot_waitlist WHERE id = ?1"
				   " AND state = 'offered'",
				   e[2]) == 1;
		if (!passed)
			sleep(1);
	}
	CHECK(passed);
	CHECK_INT(db_scalar("SELECT count(*) FROM slot_waitlist WHERE id = ?1 AND state ="
			    " 'expired'",
			    e[1]),
		  1);
	CHECK_INT(api_status(&st[2].c, "POST", path, "{}"), 409);
	items = mine(&st[2].c);
	CHECK_INT(json_array_size(items), 0);
	json_decref(items);
	snprintf(path, sizeof path, "/api/v1/waitlist/%lld/accept", (long long)e[2]);
	CHECK_INT(api_status(&st[3].c, "POST", path, "{}"), 201);
	CHECK_INT(db_scalar("SELECT count(*) FROM lessons WHERE starts_at = (SELECT starts_at"
			    " FROM slot_waitlist WHERE id = ?1) AND status = 'booked'",
			    e[1]),
		  2);
}

/* ---- the demo ------------------------------------------------------------------------ */

static void test_demo_has_a_full_workshop_with_a_line(void)
{
	static const char *const demo[] = {"--demo", NULL};
	struct test_server d;
	struct api_client c;
	struct http_response r;
	json_t *item;
	size_t i;
	int with_line = 0;
	CHECK(ts_start(&d, demo));
	api_client_init(&c, d.port);
	api_call(&c, "GET", "/api/v1/events?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "waitlist_count") > 0 &&
								ival(item, "places_left") == 0)
		with_line++;
	http_response_free(&r);
	CHECK(with_line >= 1);
	CHECK_INT(api_login(&c, DEMO_STUDENT), 200);
	api_call(&c, "GET", "/api/v1/me/waitlist", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(json_array_size(http_json(&r, "items")) >= 1);
	http_response_free(&r);
	CHECK_INT(ts_stop(&d), 0);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, serve_args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_event_line);
	RUN(test_race_for_a_freed_place);
	RUN(test_slot_line);
	RUN(test_offer_passes_on);
	CHECK_INT(ts_stop(&server), 0);
	RUN(test_demo_has_a_full_workshop_with_a_line);
	return CHECK_EXIT();
}
