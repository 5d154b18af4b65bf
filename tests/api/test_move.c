// SPDX-License-Identifier: MIT
// Moving a lesson (API.md v2, "Rescheduling"): POST /lessons/{id}/move keeps the
// lesson's id and contract and puts it at a new open slot, freeing the old one at
// once (slots, the calendar feed and its ETag see it); a taken slot is 409
// slot_taken, a time the client is busy 409 client_busy, a start off the grid 422;
// another student's lesson is 404; a student moves only while 24 hours remain
// (409 too_late_to_cancel), staff always; a cancelled or past lesson is 409
// conflict; two students moving into one slot at once: exactly one wins. The
// server runs on the real clock in Europe/Madrid.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define PW "move-test-password"

static struct test_server server;
/* Several workers: the two racing moves really run at once. */
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "8", NULL};

static struct api_client admin, staff;
static json_int_t tutor_a, tutor_b, svc_private, svc_group;
static int64_t today;

struct student {
	struct api_client c;
	json_int_t client_id;
};
#define N_STUDENTS 7
static struct student st[N_STUDENTS];

static json_int_t l1, l1_contract; /* st[1], tutor A, day 2 */

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static void local_at(int64_t day, int minute, char out[HM_RFC3339_LEN])
{
	hm_time_format(hm_local_instant(day, minute), out);
}

static void date_text(int64_t day, char out[16])
{
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

static json_int_t find_user(const char *email)
{
	struct http_response r;
	json_int_t id = 0;
	size_t i;
	json_t *u;
	api_call(&admin, "GET", "/api/v1/users?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, u)
	{
		if (json_str(u, "email") && strcmp(json_str(u, "email"), email) == 0)
			id = ival(u, "id");
	}
	http_response_free(&r);
	return id;
}

/* POST /lessons for c at day, minute (local) with tutor; returns the lesson id
 * (0 when not 201). */
static json_int_t book(struct api_client *c, json_int_t tutor, int64_t day, int minute,
		       const char *extra)
{
	char at[HM_RFC3339_LEN], body[512];
	struct http_response r;
	local_at(day, minute, at);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"%s}",
		 (long long)svc_private, (long long)tutor, at, extra ? extra : "");
	api_call(c, "POST", "/api/v1/lessons", body, &r);
	json_int_t id = r.status == 201 ? ival(r.json, "id") : 0;
	if (r.status != 201)
		fprintf(stderr, "book -> %d %s\n", r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

/* POST /lessons/{id}/move as c to at (tutor 0: not named). */
static void move(struct api_client *c, json_int_t id, const char *at, json_int_t tutor,
		 struct http_response *r)
{
	char path[96], body[256];
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/move", (long long)id);
	if (tutor)
		snprintf(body, sizeof body, "{\"starts_at\":\"%s\",\"tutor_id\":%lld}", at,
			 (long long)tutor);
	else
		snprintf(body, sizeof body, "{\"starts_at\":\"%s\"}", at);
	api_call(c, "POST", path, body, r);
}

/* Moves and returns the status; *code gets the error code ("" on success). */
static int move_status(struct api_client *c, json_int_t id, int64_t day, int minute,
		       json_int_t tutor, char code[32])
{
	char at[HM_RFC3339_LEN];
	struct http_response r;
	local_at(day, minute, at);
	move(c, id, at, tutor, &r);
	int status = r.status;
	snprintf(code, 32, "%s",
		 status == 200 ? "" : (http_error_code(&r) ? http_error_code(&r) : "?"));
	http_response_free(&r);
	return status;
}

static bool slot_open(json_int_t tutor, int64_t day, int minute)
{
	char path[256], from[16], at[HM_RFC3339_LEN];
	struct http_response r;
	size_t i;
	json_t *item;
	bool found = false;
	date_text(day, from);
	local_at(day, minute, at);
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&tutor_id=%lld&from=%s&to=%s",
		 (long long)svc_private, (long long)tutor, from, from);
	api_call(&staff, "GET", path, NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item)
	{
		if (json_str(item, "starts_at") && strcmp(json_str(item, "starts_at"), at) == 0)
			found = true;
	}
	http_response_free(&r);
	return found;
}

static bool setup(void)
{
	char body[1024], path[128];
	struct http_response r;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	if (!ts_add_user(&server, "admin", "admin@move.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "tutor.a@move.test", "Amaia Maths", PW) ||
	    !ts_add_user(&server, "staff", "tutor.b@move.test", "Beñat Maths", PW))
		return false;
	api_client_at(&admin, server.port, "10.6.0.1");
	api_client_at(&staff, server.port, "10.6.0.2");
	if (api_login(&admin, "admin@move.test", PW) != 200 ||
	    api_login(&staff, "tutor.a@move.test", PW) != 200)
		return false;
	tutor_a = find_user("tutor.a@move.test");
	tutor_b = find_user("tutor.b@move.test");
	json_int_t tutors[] = {tutor_a, tutor_b};
	for (int t = 0; t < 2; t++) {
		snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)tutors[t]);
		if (api_status(&staff, "PUT", path, "{\"subjects\":[\"maths\"],\"bio\":\"\"}") !=
		    200)
			return false;
		/* Tutor A 08:00-22:00, tutor B all day, every day. */
		size_t used = (size_t)snprintf(body, sizeof body, "{\"windows\":[");
		for (int d = 1; d <= 7; d++)
			used += (size_t)snprintf(
				body + used, sizeof body - used,
				"%s{\"weekday\":%d,\"starts\":\"%s\",\"ends\":\"%s\"}",
				d > 1 ? "," : "", d, t ? "00:00" : "08:00", t ? "24:00" : "22:00");
		snprintf(body + used, sizeof body - used, "]}");
		snprintf(path, sizeof path, "/api/v1/tutors/%lld/availability",
			 (long long)tutors[t]);
		if (api_status(&staff, "PUT", path, body) != 200)
			return false;
	}
	api_call(&staff, "POST", "/api/v1/services",
		 "{\"name\":\"Maths, one to one\",\"subject\":\"maths\",\"kind\":\"private\","
		 "\"duration_min\":60,\"price_cents\":3000}",
		 &r);
	svc_private = ival(r.json, "id");
	http_response_free(&r);
	api_call(&staff, "POST", "/api/v1/services",
		 "{\"name\":\"Maths in a pair\",\"subject\":\"maths\",\"kind\":\"group\","
		 "\"duration_min\":60,\"price_cents\":1500,\"capacity\":2}",
		 &r);
	svc_group = ival(r.json, "id");
	http_response_free(&r);
	for (int i = 1; i < N_STUDENTS; i++) {
		char email[64], name[64], ip[32];
		snprintf(email, sizeof email, "student%d@move.test", i);
		snprintf(name, sizeof name, "Student %d", i);
		snprintf(ip, sizeof ip, "10.6.1.%d", i);
		api_client_at(&st[i].c, server.port, ip);
		if (api_register(&st[i].c, email, PW, name) != 201)
			return false;
		api_call(&st[i].c, "GET", "/api/v1/me", NULL, &r);
		st[i].client_id = ival(http_json(&r, "client"), "id");
		http_response_free(&r);
	}
	return tutor_a && tutor_b && svc_private && svc_group;
}

static void test_move_ok(void)
{
	struct http_response r;
	char at[HM_RFC3339_LEN], etag1[128] = "", etag2[128] = "";
	l1 = book(&st[1].c, tutor_a, today + 2, 10 * 60, NULL);
	CHECK(l1 > 0);
	CHECK(!slot_open(tutor_a, today + 2, 10 * 60));
	CHECK(api_call(&st[1].c, "GET", "/api/v1/me/calendar.ics", NULL, &r));
	CHECK_INT(r.status, 200);
	http_header(&r, "ETag", etag1, sizeof etag1);
	http_response_free(&r);

	local_at(today + 2, 12 * 60, at);
	move(&st[1].c, l1, at, 0, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "id"), l1);
	CHECK_STR(json_str(r.json, "starts_at"), at);
	CHECK_STR(json_str(r.json, "status"), "booked");
	CHECK_INT(ival(r.json, "tutor_id"), tutor_a);
	l1_contract = ival(r.json, "contract_id");
	CHECK(l1_contract > 0);
	CHECK_INT(ival(json_object_get(r.json, "contract"), "sessions_used"), 1);
	http_response_free(&r);
	/* The old time is free at once, the new one taken. */
	CHECK(slot_open(tutor_a, today + 2, 10 * 60));
	CHECK(!slot_open(tutor_a, today + 2, 12 * 60));
	CHECK(api_call(&st[1].c, "GET", "/api/v1/me/lessons", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	http_response_free(&r);
	CHECK(api_call(&st[1].c, "GET", "/api/v1/me/contracts", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	http_response_free(&r);
	/* The feed moved with it: new ETag, a new revision of the event. */
	CHECK(api_call(&st[1].c, "GET", "/api/v1/me/calendar.ics", NULL, &r));
	CHECK_INT(r.status, 200);
	http_header(&r, "ETag", etag2, sizeof etag2);
	CHECK(etag1[0] && etag2[0] && strcmp(etag1, etag2) != 0);
	CHECK(r.body && strstr(r.body, "SEQUENCE:1"));
	http_response_free(&r);
	/* Audited. */
	CHECK(api_call(&admin, "GET", "/api/v1/audit?limit=200", NULL, &r));
	CHECK(r.body && strstr(r.body, "\"lesson.move\""));
	http_response_free(&r);

	/* To another tutor, and back to the first slot (its own old time is no obstacle:
	 * 12:00 again, overlapping nothing but itself). */
	char code[32];
	CHECK_INT(move_status(&st[1].c, l1, today + 2, 12 * 60, tutor_b, code), 200);
	CHECK(slot_open(tutor_a, today + 2, 12 * 60));
	CHECK(!slot_open(tutor_b, today + 2, 12 * 60));
	CHECK_INT(move_status(&st[1].c, l1, today + 2, 12 * 60, tutor_a, code), 200);
}

static void test_move_refused(void)
{
	char code[32], at[HM_RFC3339_LEN];
	struct http_response r;
	json_int_t l2 = book(&st[2].c, tutor_a, today + 2, 15 * 60, NULL);
	CHECK(l2 > 0);
	/* Taken by another student. */
	CHECK_INT(move_status(&st[1].c, l1, today + 2, 15 * 60, 0, code), 409);
	CHECK_STR(code, "slot_taken");
	/* The client is busy: st[1] has a lesson with tutor B at day 3, 10:00. */
	CHECK(book(&st[1].c, tutor_b, today + 3, 10 * 60, NULL) > 0);
	CHECK_INT(move_status(&st[1].c, l1, today + 3, 10 * 60, 0, code), 409);
	CHECK_STR(code, "client_busy");
	/* Staff too. */
	CHECK_INT(move_status(&staff, l1, today + 3, 10 * 60, 0, code), 409);
	CHECK_STR(code, "client_busy");
	/* Off the grid, in the past, unknown fields, a tutor who does not teach it. */
	CHECK_INT(move_status(&st[1].c, l1, today + 2, 12 * 60 + 30, 0, code), 422);
	CHECK_INT(move_status(&st[1].c, l1, today - 1, 12 * 60, 0, code), 422);
	local_at(today + 2, 13 * 60, at);
	char body[256], path[96];
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/move", (long long)l1);
	snprintf(body, sizeof body, "{\"starts_at\":\"%s\",\"service_id\":1}", at);
	api_call(&st[1].c, "POST", path, body, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);
	api_call(&st[1].c, "POST", path, "{}", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	CHECK_INT(move_status(&st[1].c, l1, today + 2, 13 * 60, 999999, code), 422);
	/* Another student's lesson: not found; nobody's: not found. */
	CHECK_INT(move_status(&st[2].c, l1, today + 2, 13 * 60, 0, code), 404);
	CHECK_STR(code, "not_found");
	CHECK_INT(move_status(&staff, 999999, today + 2, 13 * 60, 0, code), 404);
	/* Nothing of that changed the lesson. */
	snprintf(path, sizeof path, "/api/v1/lessons/%lld", (long long)l1);
	api_call(&st[1].c, "GET", path, NULL, &r);
	local_at(today + 2, 12 * 60, at);
	CHECK_STR(json_str(r.json, "starts_at"), at);
	http_response_free(&r);
	/* A cancelled lesson stays cancelled. */
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)l2);
	CHECK_INT(api_status(&st[2].c, "POST", path, NULL), 200);
	CHECK_INT(move_status(&st[2].c, l2, today + 2, 16 * 60, 0, code), 409);
	CHECK_STR(code, "conflict");
	CHECK_INT(move_status(&staff, l2, today + 2, 16 * 60, 0, code), 409);
	/* A lesson that is over (a walk-in logged by staff). */
	char walk[256];
	local_at(today - 1, 10 * 60, at);
	snprintf(walk, sizeof walk,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld,"
		 "\"attendance\":\"attended\"}",
		 (long long)svc_private, (long long)tutor_a, at, (long long)st[2].client_id);
	api_call(&staff, "POST", "/api/v1/lessons", walk, &r);
	CHECK_INT(r.status, 201);
	json_int_t past = ival(r.json, "id");
	http_response_free(&r);
	CHECK_INT(move_status(&staff, past, today + 4, 10 * 60, 0, code), 409);
	CHECK_STR(code, "conflict");
}

/* The first slot of tutor B more than an hour ahead (within the next hours). */
static int64_t soon_start(void)
{
	int64_t now = hm_time_now();
	return (now / 3600 + 2) * 3600; /* B's grid is every hour from midnight */
}

static void test_24_hours(void)
{
	char code[32], at[HM_RFC3339_LEN], body[256];
	struct http_response r;
	int64_t soon = soon_start();
	hm_time_format(soon, at);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)svc_private, (long long)tutor_b, at);
	api_call(&st[3].c, "POST", "/api/v1/lessons", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t id = ival(r.json, "id");
	http_response_free(&r);
	/* The student may not, whatever the new time; staff may. */
	CHECK_INT(move_status(&st[3].c, id, today + 5, 10 * 60, 0, code), 409);
	CHECK_STR(code, "too_late_to_cancel");
	CHECK_INT(move_status(&staff, id, today + 5, 10 * 60, 0, code), 200);
	/* Now more than 24 hours ahead: the student may again. */
	CHECK_INT(move_status(&st[3].c, id, today + 5, 11 * 60, 0, code), 200);
}

/* A seat a move leaves in a full group session is offered to the first in line. */
static void test_waitlist_offer(void)
{
	char at[HM_RFC3339_LEN], body[256], code[32];
	struct http_response r;
	json_int_t seat[2];
	local_at(today + 7, 10 * 60, at);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)svc_group, (long long)tutor_a, at);
	for (int i = 0; i < 2; i++) {
		api_call(&st[2 + i].c, "POST", "/api/v1/lessons", body, &r);
		CHECK_INT(r.status, 201);
		seat[i] = ival(r.json, "id");
		http_response_free(&r);
	}
	api_call(&st[6].c, "POST", "/api/v1/waitlist", body, &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	/* Into the full session: full. */
	json_int_t other = book(&st[6].c, tutor_a, today + 7, 14 * 60, NULL);
	CHECK(other > 0);
	api_call(&st[6].c, "GET", "/api/v1/me/waitlist", NULL, &r);
	CHECK(json_is_null(
		json_object_get(json_array_get(http_json(&r, "items"), 0), "offer_expires_at")));
	http_response_free(&r);
	/* A private lesson cannot join a group session by moving (its service stays). */
	CHECK_INT(move_status(&st[6].c, other, today + 7, 10 * 60, 0, code), 409);
	CHECK_STR(code, "slot_taken");
	CHECK_INT(move_status(&st[2].c, seat[0], today + 7, 16 * 60, 0, code), 200);
	api_call(&st[6].c, "GET", "/api/v1/me/waitlist", NULL, &r);
	json_t *entry = json_array_get(http_json(&r, "items"), 0);
	CHECK(entry && json_str(entry, "offer_expires_at") != NULL);
	CHECK_STR(json_str(entry, "state"), "offered");
	http_response_free(&r);
	/* The offered seat is held: the other student cannot move back into it. */
	CHECK_INT(move_status(&st[2].c, seat[0], today + 7, 10 * 60, 0, code), 409);
	CHECK_STR(code, "full");
}

/* ---- two moves into one slot at once ------------------------------------------- */

struct racer {
	struct student *s;
	json_int_t lesson;
	int status;
	char code[32];
};
static pthread_barrier_t barrier;

static void *race(void *arg)
{
	struct racer *x = arg;
	pthread_barrier_wait(&barrier);
	x->status = move_status(&x->s->c, x->lesson, today + 6, 18 * 60, 0, x->code);
	return NULL;
}

static void test_race(void)
{
	for (int round = 0; round < 3; round++) {
		struct racer x[2] = {{.s = &st[4]}, {.s = &st[5]}};
		pthread_t threads[2];
		x[0].lesson = book(&st[4].c, tutor_a, today + 6, (9 + 2 * round) * 60, NULL);
		x[1].lesson = book(&st[5].c, tutor_a, today + 6, (10 + 2 * round) * 60, NULL);
		CHECK(x[0].lesson > 0 && x[1].lesson > 0);
		pthread_barrier_init(&barrier, NULL, 2);
		for (int i = 0; i < 2; i++)
			pthread_create(&threads[i], NULL, race, &x[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(threads[i], NULL);
		pthread_barrier_destroy(&barrier);
		int wins = (x[0].status == 200) + (x[1].status == 200);
		CHECK_INT(wins, 1);
		for (int i = 0; i < 2; i++)
			if (x[i].status != 200) {
				CHECK_INT(x[i].status, 409);
				CHECK_STR(x[i].code, "slot_taken");
			}
		/* One lesson at 18:00; the loser's stays where it was. */
		char from[16], path[160], at[HM_RFC3339_LEN];
		struct http_response r;
		size_t i;
		json_t *l;
		int at_six = 0;
		date_text(today + 6, from);
		local_at(today + 6, 18 * 60, at);
		snprintf(path, sizeof path, "/api/v1/lessons?from=%s&to=%s&tutor_id=%lld", from,
			 from, (long long)tutor_a);
		api_call(&staff, "GET", path, NULL, &r);
		json_array_foreach(http_json(&r, "items"), i, l)
		{
			if (strcmp(json_str(l, "status"), "booked") == 0 &&
			    strcmp(json_str(l, "starts_at"), at) == 0)
				at_six++;
		}
		http_response_free(&r);
		CHECK_INT(at_six, 1);
		/* Free 18:00 again for the next round. */
		json_int_t winner = x[0].status == 200 ? x[0].lesson : x[1].lesson;
		snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)winner);
		CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	}
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
	RUN(test_move_ok);
	RUN(test_move_refused);
	RUN(test_24_hours);
	RUN(test_waitlist_offer);
	RUN(test_race);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
