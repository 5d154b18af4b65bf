// SPDX-License-Identifier: MIT
// A race lost to an overlapping booking is 409 slot_taken (issue 19, item 3; API.md:
// a slot someone else got first, or an overlap with the tutor's lessons). Twenty
// students, each on a connection and thread of its own, race for slots of one tutor
// that all overlap one another: half ask for a 15-minute lesson, half for a
// 5-minute one at the same start or at a start inside the 15 minutes. Exactly one
// wins (201), every other gets 409 slot_taken, never 422 "not an open slot"; the
// tutor then has one lesson there. Rounds spread over the day, late slots (past
// the 192nd 5-minute slot of an all-day tutor) included. A start off the grid, or
// in the past, stays 422. The server runs on the real clock in Europe/Madrid.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define PW "race-test-password"
#define N_RACERS 20

static struct test_server server;
/* Eight workers whatever the machine: the racers' requests really run at once. */
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "8", NULL};

struct racer {
	struct api_client c;
	json_int_t client_id;
	char body[256];
	int status;
	char code[32];
};

static struct api_client staff;
static struct racer racers[N_RACERS];
static json_int_t tutor_id, svc_5, svc_15;
static int64_t today;
static pthread_barrier_t barrier;

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static void date_text(int64_t day, char out[16])
{
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

static json_int_t post_id(const char *path, const char *body)
{
	struct http_response r;
	api_call(&staff, "POST", path, body, &r);
	json_int_t id = r.status == 201 ? ival(r.json, "id") : 0;
	if (r.status != 201)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

static bool setup(void)
{
	struct http_response r;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	if (!ts_add_user(&server, "staff", "tutor@race.test", "Ainhoa Tutor", PW))
		return false;
	api_client_at(&staff, server.port, "10.3.0.1");
	if (api_login(&staff, "tutor@race.test", PW) != 200)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	/* All day, every day: 288 five-minute slots a day. */
	if (!tutor_id || !api_make_tutor(&staff, tutor_id, "maths", NULL, 0, "00:00", "24:00"))
		return false;
	svc_5 = post_id("/api/v1/services",
			"{\"name\":\"A quick question\",\"subject\":\"maths\",\"kind\":\"private\","
			"\"duration_min\":5,\"price_cents\":300}");
	svc_15 = post_id("/api/v1/services",
			 "{\"name\":\"A short lesson\",\"subject\":\"maths\",\"kind\":\"private\","
			 "\"duration_min\":15,\"price_cents\":800}");
	if (!svc_5 || !svc_15)
		return false;
	for (int i = 0; i < N_RACERS; i++) {
		char email[64], ip[32];
		snprintf(email, sizeof email, "racer%d@race.test", i);
		snprintf(ip, sizeof ip, "10.3.1.%d", i + 1);
		api_client_at(&racers[i].c, server.port, ip);
		if (api_register(&racers[i].c, email, PW, "Race Student") != 201)
			return false;
		api_call(&racers[i].c, "GET", "/api/v1/me", NULL, &r);
		racers[i].client_id = ival(http_json(&r, "client"), "id");
		http_response_free(&r);
		if (!racers[i].client_id)
			return false;
	}
	return true;
}

static void *race(void *arg)
{
	struct racer *me = arg;
	struct http_response r;
	pthread_barrier_wait(&barrier);
	api_call(&me->c, "POST", "/api/v1/lessons", me->body, &r);
	me->status = r.status;
	snprintf(me->code, sizeof me->code, "%s", http_error_code(&r) ? http_error_code(&r) : "");
	http_response_free(&r);
	return NULL;
}

/* The tutor's booked lessons on day that start in [from, to). */
static int booked_between(int64_t day, int64_t from, int64_t to)
{
	char path[256], date[16];
	struct http_response r;
	size_t i;
	json_t *l;
	int n = 0;
	date_text(day, date);
	snprintf(path, sizeof path, "/api/v1/lessons?tutor_id=%lld&from=%s&to=%s&limit=200",
		 (long long)tutor_id, date, date);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_array_foreach(http_json(&r, "items"), i, l)
	{
		int64_t t = 0;
		const char *status = json_str(l, "status");
		if (hm_time_parse(json_str(l, "starts_at"), &t) && t >= from && t < to && status &&
		    strcmp(status, "booked") == 0)
			n++;
	}
	http_response_free(&r);
	return n;
}

/* One round on day: racers 0-9 want the 15-minute slot at minute, racers 10-19
 * the 5-minute slot offset minutes later (0, 5 or 10: all inside the 15). */
static void round_at(int64_t day, int minute, int offset)
{
	char at15[HM_RFC3339_LEN], at5[HM_RFC3339_LEN];
	pthread_t threads[N_RACERS];
	hm_time_format(hm_local_instant(day, minute), at15);
	hm_time_format(hm_local_instant(day, minute + offset), at5);
	for (int i = 0; i < N_RACERS; i++) {
		bool long_one = i < N_RACERS / 2;
		snprintf(racers[i].body, sizeof racers[i].body,
			 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
			 (long long)(long_one ? svc_15 : svc_5), (long long)tutor_id,
			 long_one ? at15 : at5);
		racers[i].status = 0;
	}
	CHECK_INT(pthread_barrier_init(&barrier, NULL, N_RACERS), 0);
	for (int i = 0; i < N_RACERS; i++)
		CHECK_INT(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
	for (int i = 0; i < N_RACERS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);

	int won = 0, taken = 0;
	for (int i = 0; i < N_RACERS; i++) {
		if (racers[i].status == 201) {
			won++;
		} else if (racers[i].status == 409 && strcmp(racers[i].code, "slot_taken") == 0) {
			taken++;
		} else {
			fprintf(stderr, "  %02d:%02d+%d racer %d (%s): %d %s\n", minute / 60,
				minute % 60, offset, i, i < N_RACERS / 2 ? "15 min" : "5 min",
				racers[i].status, racers[i].code);
		}
	}
	CHECK_INT(won, 1);
	CHECK_INT(taken, N_RACERS - 1);
	int64_t t0 = hm_local_instant(day, minute);
	CHECK_INT(booked_between(day, t0, t0 + 15 * 60), 1);
}

static void test_overlapping_races(void)
{
	/* Late slots first (past the 192nd five-minute slot: 16:00), then others. */
	static const struct {
		int day, minute, offset;
	} rounds[] = {
		{2, 20 * 60, 5},      {2, 23 * 60 + 45, 10}, {3, 16 * 60 + 15, 0}, {3, 10 * 60, 5},
		{4, 8 * 60 + 30, 10}, {4, 18 * 60, 0},       {5, 21 * 60 + 30, 5}, {5, 0, 10},
	};
	for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++)
		round_at(today + rounds[i].day, rounds[i].minute, rounds[i].offset);
}

/* What is not a slot at all is still 422: off the grid, or in the past. */
static void test_not_a_slot_is_still_422(void)
{
	struct http_response r;
	char at[HM_RFC3339_LEN], body[256];
	int64_t off_grid = hm_local_instant(today + 6, 10 * 60 + 2);
	int64_t past = hm_local_instant(today - 1, 10 * 60);
	int64_t starts[] = {off_grid, past};
	for (int i = 0; i < 2; i++) {
		hm_time_format(starts[i], at);
		snprintf(body, sizeof body,
			 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
			 (long long)svc_5, (long long)tutor_id, at);
		api_call(&racers[0].c, "POST", "/api/v1/lessons", body, &r);
		CHECK_INT(r.status, 422);
		CHECK(http_error_field(&r, "starts_at") != NULL);
		http_response_free(&r);
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
	RUN(test_overlapping_races);
	RUN(test_not_a_slot_is_still_422);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
