// SPDX-License-Identifier: MIT
// Lessons (API.md, "Lessons: booking and logging"): a student books an open slot
// and gets a one-off contract made on the spot; taken, off-grid, past and foreign
// requests are refused; subscriptions spend sessions; weekly series are all or
// nothing at the same local time; group sessions fill up; twenty students racing
// for one slot leave exactly one lesson and no stray contracts; staff book for
// clients; cancelling frees the slot, drops or gives back the contract, and keeps
// the 24-hour rule for students; reading is private; staff log attendance and
// walk-ins. The server runs on the real clock: every instant is computed from now
// in Europe/Madrid.
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

static struct test_server server;
/* Eight worker threads whatever the machine: the race below needs requests that
 * really run at once (one thread per CPU would serialise them on a small box). */
static const char *const trusted_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "8", NULL};

#define PW "lesson-test-password"

static struct api_client admin, staff;
static json_int_t tutor_a, tutor_b, tutor_c;
static json_int_t svc_private, svc_group, svc_chess;
static json_int_t phone_client; /* a client made by staff, who never logs in */
static int64_t today;           /* the local day of the start of the run */

struct student {
	struct api_client c;
	json_int_t user_id, client_id;
};

#define N_STUDENTS 10
#define N_RACERS 20
static struct student st[N_STUDENTS]; /* st[1]..st[9] */
static struct student racers[N_RACERS];

/* Lessons kept from one test for the next. */
static json_int_t s1_lesson, s1_contract;             /* st[1], day 2 at 10:00 */
static json_int_t s3_lesson_10, s3_lesson_11, s3_sub; /* st[3], day 3, a subscription */
static json_int_t s5_first_lesson;                    /* st[5]'s series, day 4 */
static json_int_t soon_lesson;                        /* st[2], starts within 24 hours */

/* ---- helpers ---------------------------------------------------------------- */

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

static int64_t parse_at(const char *text)
{
	int64_t t = 0;
	if (!text || !hm_time_parse(text, &t))
		return -1;
	return t;
}

static json_int_t find_user(const char *email)
{
	struct http_response r;
	json_int_t id = 0;
	size_t i;
	json_t *u;
	api_call(&admin, "GET", "/api/v1/users?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i,
			   u) if (json_str(u, "email") && strcmp(json_str(u, "email"), email) == 0)
		id = ival(u, "id");
	http_response_free(&r);
	return id;
}

static bool make_student(struct student *s, const char *email, const char *name, const char *ip)
{
	struct http_response r;
	api_client_at(&s->c, server.port, ip);
	if (api_register(&s->c, email, PW, name) != 201)
		return false;
	api_call(&s->c, "GET", "/api/v1/me", NULL, &r);
	s->user_id = ival(http_json(&r, "user"), "id");
	s->client_id = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	return s->user_id > 0 && s->client_id > 0;
}

/* POSTs body to path as c, expecting `expect`; returns the new id (0 otherwise). */
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

/* POST /lessons {service_id, tutor_id, starts_at (day, minute local)} plus extra
 * (",\"key\":value..." or ""), as c. */
static void book(struct api_client *c, json_int_t service, json_int_t tutor, int64_t day,
		 int minute, const char *extra, struct http_response *r)
{
	char at[HM_RFC3339_LEN], body[512];
	local_at(day, minute, at);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"%s}",
		 (long long)service, (long long)tutor, at, extra ? extra : "");
	api_call(c, "POST", "/api/v1/lessons", body, r);
}

/* The number of items a GET answers (-1 when not 200). */
static long count_items(struct api_client *c, const char *path)
{
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	long n = r.status == 200 ? (long)json_array_size(http_json(&r, "items")) : -1;
	http_response_free(&r);
	return n;
}

/* A copy of the student's contract id from GET /me/contracts (NULL: none). */
static json_t *my_contract(struct api_client *c, json_int_t id)
{
	struct http_response r;
	json_t *found = NULL, *item;
	size_t i;
	api_call(c, "GET", "/api/v1/me/contracts?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "id") == id)
		found = json_deep_copy(item);
	http_response_free(&r);
	return found;
}

static json_int_t loyalty_contracts(struct api_client *c)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me/loyalty", NULL, &r);
	json_int_t n = r.status == 200 ? ival(r.json, "contracts") : -1;
	http_response_free(&r);
	return n;
}

/* Is there an open slot of service/tutor at instant `at`? */
static bool slot_open(json_int_t service, json_int_t tutor, int64_t day, const char *at)
{
	char path[256], from[16];
	struct http_response r;
	size_t i;
	json_t *item;
	bool found = false;
	date_text(day, from);
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&tutor_id=%lld&from=%s&to=%s",
		 (long long)service, (long long)tutor, from, from);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_array_foreach(http_json(&r, "items"), i,
			   item) if (json_str(item, "starts_at") &&
				     strcmp(json_str(item, "starts_at"), at) == 0) found = true;
	http_response_free(&r);
	return found;
}

/* Staff's GET /lessons for local days [first, last] with extra query. */
static void staff_lessons(int64_t first, int64_t last, const char *extra, struct http_response *r)
{
	char path[256], from[16], to[16];
	date_text(first, from);
	date_text(last, to);
	snprintf(path, sizeof path, "/api/v1/lessons?from=%s&to=%s&limit=200%s", from, to,
		 extra ? extra : "");
	api_call(&staff, "GET", path, NULL, r);
}

/* Are the items' starts_at in time order? */
static bool in_time_order(json_t *items)
{
	size_t i;
	json_t *item;
	int64_t prev = 0;
	json_array_foreach(items, i, item)
	{
		int64_t t = parse_at(json_str(item, "starts_at"));
		if (t < prev)
			return false;
		prev = t;
	}
	return true;
}

/* ---- setup ------------------------------------------------------------------ */

static bool setup(void)
{
	char body[1024], path[128];
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);

	if (!ts_add_user(&server, "admin", "admin@lessons.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "office@lessons.test", "Olatz Office", PW) ||
	    !ts_add_user(&server, "staff", "tutor.a@lessons.test", "Amaia Maths", PW) ||
	    !ts_add_user(&server, "staff", "tutor.b@lessons.test", "Beñat Chess", PW) ||
	    !ts_add_user(&server, "staff", "tutor.c@lessons.test", "Koldo History", PW))
		return false;
	api_client_at(&admin, server.port, "10.1.0.1");
	api_client_at(&staff, server.port, "10.1.0.2");
	if (api_login(&admin, "admin@lessons.test", PW) != 200 ||
	    api_login(&staff, "office@lessons.test", PW) != 200)
		return false;
	tutor_a = find_user("tutor.a@lessons.test");
	tutor_b = find_user("tutor.b@lessons.test");
	tutor_c = find_user("tutor.c@lessons.test");
	if (!tutor_a || !tutor_b || !tutor_c)
		return false;

	static const char *const subjects[] = {"maths", "chess", "history"};
	json_int_t tutors[] = {tutor_a, tutor_b, tutor_c};
	for (int t = 0; t < 3; t++) {
		snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)tutors[t]);
		snprintf(body, sizeof body, "{\"subjects\":[\"%s\"],\"bio\":\"\"}", subjects[t]);
		if (api_status(&staff, "PUT", path, body) != 200)
			return false;
		/* Every day of the week; tutor B all day long (30-minute grid). */
		size_t used = (size_t)snprintf(body, sizeof body, "{\"windows\":[");
		for (int d = 1; d <= 7; d++)
			used += (size_t)snprintf(
				body + used, sizeof body - used,
				"%s{\"weekday\":%d,\"starts\":\"%s\",\"ends\":\"%s\"}",
				d > 1 ? "," : "", d, t == 1 ? "00:00" : "08:00",
				t == 1 ? "24:00" : "22:00");
		snprintf(body + used, sizeof body - used, "]}");
		snprintf(path, sizeof path, "/api/v1/tutors/%lld/availability",
			 (long long)tutors[t]);
		if (api_status(&staff, "PUT", path, body) != 200)
			return false;
	}
	svc_private = post_id(
		&staff, "/api/v1/services",
		"{\"name\":\"Maths, one to one\",\"subject\":\"maths\",\"kind\":\"private\","
		"\"duration_min\":60,\"price_cents\":3000}",
		201);
	svc_group = post_id(
		&staff, "/api/v1/services",
		"{\"name\":\"Maths in a small group\",\"subject\":\"maths\",\"kind\":\"group\","
		"\"duration_min\":60,\"price_cents\":1500,\"capacity\":2}",
		201);
	svc_chess = post_id(
		&staff, "/api/v1/services",
		"{\"name\":\"Chess, half an hour\",\"subject\":\"chess\",\"kind\":\"private\","
		"\"duration_min\":30,\"price_cents\":2000}",
		201);
	phone_client = post_id(&staff, "/api/v1/clients",
			       "{\"full_name\":\"Josune Telefono\",\"phone\":\"+34 600 111 222\"}",
			       201);
	if (!svc_private || !svc_group || !svc_chess || !phone_client)
		return false;

	for (int i = 1; i < N_STUDENTS; i++) {
		char email[64], name[64], ip[32];
		snprintf(email, sizeof email, "student%d@lessons.test", i);
		snprintf(name, sizeof name, "Student %d", i);
		snprintf(ip, sizeof ip, "10.1.1.%d", i);
		if (!make_student(&st[i], email, name, ip))
			return false;
	}
	for (int i = 0; i < N_RACERS; i++) {
		char email[64], name[64], ip[32];
		snprintf(email, sizeof email, "racer%d@lessons.test", i);
		snprintf(name, sizeof name, "Racer %d", i);
		snprintf(ip, sizeof ip, "10.1.2.%d", i + 1);
		if (!make_student(&racers[i], email, name, ip))
			return false;
	}
	return true;
}

/* ---- booking ----------------------------------------------------------------- */

static void test_student_books_a_slot(void)
{
	struct http_response r;
	char at[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	local_at(today + 2, 600, at);
	hm_time_format(hm_local_instant(today + 2, 600) + 3600, ends);
	CHECK(slot_open(svc_private, tutor_a, today + 2, at));

	book(&st[1].c, svc_private, tutor_a, today + 2, 600, "", &r);
	CHECK_INT(r.status, 201);
	s1_lesson = ival(r.json, "id");
	CHECK(s1_lesson > 0);
	CHECK_INT(ival(r.json, "client_id"), st[1].client_id);
	CHECK_INT(ival(r.json, "tutor_id"), tutor_a);
	CHECK_INT(ival(r.json, "service_id"), svc_private);
	CHECK_STR(json_str(r.json, "starts_at"), at);
	CHECK_STR(json_str(r.json, "ends_at"), ends);
	CHECK_STR(json_str(r.json, "status"), "booked");
	CHECK(json_object_get(r.json, "attendance") && json_is_null(http_json(&r, "attendance")));
	json_t *k = http_json(&r, "contract");
	s1_contract = ival(r.json, "contract_id");
	CHECK(s1_contract > 0);
	CHECK(json_is_object(k));
	CHECK_INT(ival(k, "id"), s1_contract);
	CHECK_INT(ival(k, "client_id"), st[1].client_id);
	CHECK_INT(ival(k, "service_id"), svc_private);
	CHECK_STR(json_str(k, "kind"), "one_off");
	CHECK_INT(ival(k, "sessions_total"), 1);
	CHECK_INT(ival(k, "sessions_used"), 1);
	CHECK_INT(ival(k, "ordinal"), 1);
	CHECK(json_is_integer(json_object_get(k, "discount_percent")));
	CHECK_INT(ival(k, "discount_percent"), 0);
	CHECK_INT(ival(k, "list_price_cents"), 3000);
	CHECK_INT(ival(k, "price_cents"), 3000);
	CHECK(json_object_get(k, "gift") &&
	      json_is_null(json_object_get(k, "gift"))); /* no stock */
	CHECK_STR(json_str(k, "channel"), "web");
	CHECK_STR(json_str(k, "status"), "active");
	http_response_free(&r);

	/* The slot is gone from /slots; the contract is the student's. */
	CHECK(!slot_open(svc_private, tutor_a, today + 2, at));
	json_t *mine = my_contract(&st[1].c, s1_contract);
	CHECK(mine != NULL);
	CHECK_STR(json_str(mine, "status"), "active");
	json_decref(mine);
	CHECK_INT(loyalty_contracts(&st[1].c), 1);

	/* Someone else, the same slot: 409, and no contract left behind. */
	CHECK_INT(count_items(&st[2].c, "/api/v1/me/contracts"), 0);
	book(&st[2].c, svc_private, tutor_a, today + 2, 600, "", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);
	CHECK_INT(count_items(&st[2].c, "/api/v1/me/contracts"), 0);
	CHECK_INT(count_items(&st[2].c, "/api/v1/me/lessons"), 0);
	CHECK_INT(loyalty_contracts(&st[2].c), 0);
	/* Nor can the same student have it twice. */
	book(&st[1].c, svc_private, tutor_a, today + 2, 600, "", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);
}

static void test_booking_validation(void)
{
	struct http_response r;
	char body[512], at[HM_RFC3339_LEN];

	/* Not a slot start: half past, on an hourly grid. */
	book(&st[2].c, svc_private, tutor_a, today + 2, 11 * 60 + 30, "", &r);
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	/* Outside the tutor's hours (08:00-22:00). */
	book(&st[2].c, svc_private, tutor_a, today + 2, 6 * 60, "", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	book(&st[2].c, svc_private, tutor_a, today + 2, 21 * 60 + 30, "", &r); /* 21:30 + 1 h */
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	/* In the past: yesterday at 10:00 was a slot of the grid. */
	book(&st[2].c, svc_private, tutor_a, today - 1, 600, "", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);
	/* Not an instant at all. */
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"next tuesday\"}",
		 (long long)svc_private, (long long)tutor_a);
	CHECK(api_call(&st[2].c, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);

	/* A tutor who does not teach maths, at a time in his hours. */
	book(&st[2].c, svc_private, tutor_c, today + 2, 11 * 60, "", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tutor_id") != NULL);
	http_response_free(&r);
	/* A user who is no tutor at all (the office). */
	book(&st[2].c, svc_private, find_user("office@lessons.test"), today + 2, 11 * 60, "", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tutor_id") != NULL);
	http_response_free(&r);
	/* An unknown service. */
	book(&st[2].c, 999999, tutor_a, today + 2, 11 * 60, "", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);
	/* A student books for a client of its own family only (API.md v2, "Families"):
	 * another family's client is not found, and the channel is not its to choose. */
	char extra[64];
	snprintf(extra, sizeof extra, ",\"client_id\":%lld", (long long)st[3].client_id);
	book(&st[2].c, svc_private, tutor_a, today + 2, 11 * 60, extra, &r);
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	book(&st[2].c, svc_private, tutor_a, today + 2, 11 * 60, ",\"client_id\":\"x\"", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "client_id") != NULL);
	http_response_free(&r);
	book(&st[2].c, svc_private, tutor_a, today + 2, 11 * 60, ",\"channel\":\"phone\"", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "channel") != NULL);
	http_response_free(&r);
	/* Missing fields. */
	local_at(today + 2, 11 * 60, at);
	snprintf(body, sizeof body, "{\"tutor_id\":%lld,\"starts_at\":\"%s\"}", (long long)tutor_a,
		 at);
	CHECK(api_call(&st[2].c, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);

	/* None of that booked anything or made a contract; 11:00 is still open. */
	CHECK_INT(count_items(&st[2].c, "/api/v1/me/lessons"), 0);
	CHECK_INT(count_items(&st[2].c, "/api/v1/me/contracts"), 0);
	CHECK(slot_open(svc_private, tutor_a, today + 2, at));

	/* Anonymous: 401. */
	struct api_client anon;
	api_client_at(&anon, server.port, "10.1.9.9");
	book(&anon, svc_private, tutor_a, today + 2, 11 * 60, "", &r);
	CHECK_INT(r.status, 401);
	http_response_free(&r);
}

static void test_group_fills_up(void)
{
	struct http_response r;
	char at[HM_RFC3339_LEN];
	local_at(today + 2, 15 * 60, at);
	book(&st[1].c, svc_group, tutor_a, today + 2, 15 * 60, "", &r);
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(r.json, "starts_at"), at);
	http_response_free(&r);
	book(&st[2].c, svc_group, tutor_a, today + 2, 15 * 60, "", &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(ival(r.json, "client_id"), st[2].client_id);
	http_response_free(&r);
	book(&st[4].c, svc_group, tutor_a, today + 2, 15 * 60, "", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "full");
	http_response_free(&r);
	CHECK_INT(count_items(&st[4].c, "/api/v1/me/contracts"), 0);
	CHECK(!slot_open(svc_group, tutor_a, today + 2, at));
	/* The tutor is busy then for a private lesson too. */
	book(&st[4].c, svc_private, tutor_a, today + 2, 15 * 60, "", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);
	CHECK_INT(count_items(&st[4].c, "/api/v1/me/contracts"), 0);
}

static void test_subscription_sessions(void)
{
	struct http_response r;
	char extra[64], body[256];
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":2}",
		 (long long)svc_private);
	s3_sub = post_id(&st[3].c, "/api/v1/me/contracts", body, 201);
	CHECK(s3_sub > 0);
	snprintf(extra, sizeof extra, ",\"contract_id\":%lld", (long long)s3_sub);

	/* The later one first, so that time order differs from booking order. */
	book(&st[3].c, svc_private, tutor_a, today + 3, 11 * 60, extra, &r);
	CHECK_INT(r.status, 201);
	s3_lesson_11 = ival(r.json, "id");
	CHECK_INT(ival(r.json, "contract_id"), s3_sub);
	CHECK_STR(json_str(http_json(&r, "contract"), "kind"), "subscription");
	CHECK_INT(ival(http_json(&r, "contract"), "sessions_total"), 2);
	CHECK_INT(ival(http_json(&r, "contract"), "sessions_used"), 1);
	http_response_free(&r);
	book(&st[3].c, svc_private, tutor_a, today + 3, 10 * 60, extra, &r);
	CHECK_INT(r.status, 201);
	s3_lesson_10 = ival(r.json, "id");
	CHECK_INT(ival(r.json, "contract_id"), s3_sub);
	CHECK_INT(ival(http_json(&r, "contract"), "sessions_used"), 2);
	http_response_free(&r);
	/* None left. */
	book(&st[3].c, svc_private, tutor_a, today + 3, 12 * 60, extra, &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "no_sessions_left");
	http_response_free(&r);
	/* No contract was made instead: still one (the subscription). */
	CHECK_INT(count_items(&st[3].c, "/api/v1/me/contracts"), 1);
	CHECK_INT(count_items(&st[3].c, "/api/v1/me/lessons"), 2);
	json_t *k = my_contract(&st[3].c, s3_sub);
	CHECK_INT(ival(k, "sessions_used"), 2);
	json_decref(k);

	/* Another student's contract is never usable, not even with sessions left. */
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":4}",
		 (long long)svc_private);
	json_int_t other = post_id(&st[8].c, "/api/v1/me/contracts", body, 201);
	CHECK(other > 0);
	snprintf(extra, sizeof extra, ",\"contract_id\":%lld", (long long)other);
	book(&st[4].c, svc_private, tutor_a, today + 3, 13 * 60, extra, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "contract_id") != NULL);
	http_response_free(&r);
	k = my_contract(&st[8].c, other);
	CHECK_INT(ival(k, "sessions_used"), 0);
	json_decref(k);
	CHECK_INT(count_items(&st[4].c, "/api/v1/me/lessons"), 0);
	CHECK_INT(count_items(&st[4].c, "/api/v1/me/contracts"), 0);
	/* A contract that does not exist: the same answer. */
	book(&st[4].c, svc_private, tutor_a, today + 3, 13 * 60, ",\"contract_id\":999999", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "contract_id") != NULL);
	http_response_free(&r);
	/* Cancel st[8]'s spare contract so later tests start from a clean slate. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)other);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	/* A cancelled contract is not usable either, not even by its owner. */
	book(&st[8].c, svc_private, tutor_a, today + 3, 13 * 60, extra, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "contract_id") != NULL);
	http_response_free(&r);
	/* Nor is a subscription for another service. */
	snprintf(extra, sizeof extra, ",\"contract_id\":%lld", (long long)s3_sub);
	book(&st[3].c, svc_group, tutor_a, today + 3, 13 * 60, extra, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "contract_id") != NULL);
	http_response_free(&r);
	CHECK_INT(count_items(&st[8].c, "/api/v1/me/lessons"), 0);
	CHECK_INT(count_items(&st[3].c, "/api/v1/me/lessons"), 2);
}

/* ---- weekly series ----------------------------------------------------------- */

static void test_weekly_series(void)
{
	struct http_response r;
	book(&st[5].c, svc_private, tutor_a, today + 4, 600, ",\"repeat_weeks\":3", &r);
	CHECK_INT(r.status, 201);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 3);
	json_int_t contract = 0;
	for (size_t i = 0; i < json_array_size(items) && i < 3; i++) {
		json_t *l = json_array_get(items, i);
		char at[HM_RFC3339_LEN];
		local_at(today + 4 + 7 * (int64_t)i, 600, at);
		CHECK_STR(json_str(l, "starts_at"), at);
		int64_t t = parse_at(json_str(l, "starts_at"));
		int64_t day;
		int weekday;
		hm_local_day(t, &day, &weekday);
		CHECK_INT(day, today + 4 + 7 * (int64_t)i);
		CHECK_INT(hm_local_minute(t), 600); /* 10:00 local every week */
		CHECK_INT(ival(l, "client_id"), st[5].client_id);
		CHECK_STR(json_str(l, "status"), "booked");
		if (i == 0) {
			contract = ival(l, "contract_id");
			s5_first_lesson = ival(l, "id");
		}
		CHECK(contract > 0);
		CHECK_INT(ival(l, "contract_id"), contract);
		json_t *k = json_object_get(l, "contract");
		CHECK_STR(json_str(k, "kind"), "subscription");
		CHECK_INT(ival(k, "sessions_total"), 3);
		CHECK_INT(ival(k, "sessions_used"), 3);
		CHECK_INT(ival(k, "list_price_cents"), 9000);
		CHECK_STR(json_str(k, "channel"), "web");
	}
	http_response_free(&r);
	/* One contract for the three; three lessons. */
	CHECK_INT(count_items(&st[5].c, "/api/v1/me/contracts"), 1);
	CHECK_INT(count_items(&st[5].c, "/api/v1/me/lessons"), 3);

	/* A series with one week taken by someone else: 409 listing that week, and
	 * nothing booked. */
	char taken[HM_RFC3339_LEN];
	local_at(today + 12, 600, taken);
	book(&st[6].c, svc_private, tutor_a, today + 12, 600, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	book(&st[7].c, svc_private, tutor_a, today + 5, 600, ",\"repeat_weeks\":3", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	json_t *conflicts = json_object_get(http_json(&r, "error"), "conflicts");
	CHECK(json_is_array(conflicts));
	CHECK_INT(json_array_size(conflicts), 1);
	CHECK_STR(json_string_value(json_array_get(conflicts, 0)), taken);
	http_response_free(&r);
	CHECK_INT(count_items(&st[7].c, "/api/v1/me/lessons"), 0);
	CHECK_INT(count_items(&st[7].c, "/api/v1/me/contracts"), 0);
	char w1[HM_RFC3339_LEN], w3[HM_RFC3339_LEN];
	local_at(today + 5, 600, w1);
	local_at(today + 19, 600, w3);
	CHECK(slot_open(svc_private, tutor_a, today + 5, w1));
	CHECK(slot_open(svc_private, tutor_a, today + 19, w3));
	staff_lessons(today + 5, today + 5, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);

	/* 2..52 weeks only. */
	book(&st[7].c, svc_private, tutor_a, today + 6, 600, ",\"repeat_weeks\":1", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "repeat_weeks") != NULL);
	http_response_free(&r);
	book(&st[7].c, svc_private, tutor_a, today + 6, 600, ",\"repeat_weeks\":53", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "repeat_weeks") != NULL);
	http_response_free(&r);
	book(&st[7].c, svc_private, tutor_a, today + 6, 600, ",\"repeat_weeks\":\"3\"", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "repeat_weeks") != NULL);
	http_response_free(&r);
	CHECK_INT(count_items(&st[7].c, "/api/v1/me/lessons"), 0);
	CHECK_INT(count_items(&st[7].c, "/api/v1/me/contracts"), 0);

	/* A series on a subscription with too few sessions. */
	char body[256], extra[96];
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":2}",
		 (long long)svc_private);
	json_int_t small = post_id(&st[9].c, "/api/v1/me/contracts", body, 201);
	CHECK(small > 0);
	snprintf(extra, sizeof extra, ",\"contract_id\":%lld,\"repeat_weeks\":3", (long long)small);
	book(&st[9].c, svc_private, tutor_a, today + 6, 600, extra, &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "no_sessions_left");
	http_response_free(&r);
	json_t *k = my_contract(&st[9].c, small);
	CHECK_INT(ival(k, "sessions_used"), 0);
	json_decref(k);
	CHECK_INT(count_items(&st[9].c, "/api/v1/me/lessons"), 0);
	/* With enough sessions it uses them. */
	snprintf(extra, sizeof extra, ",\"contract_id\":%lld,\"repeat_weeks\":2", (long long)small);
	book(&st[9].c, svc_private, tutor_a, today + 6, 600, extra, &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	CHECK_INT(ival(json_object_get(json_array_get(http_json(&r, "items"), 1), "contract"),
		       "sessions_used"),
		  2);
	http_response_free(&r);
	CHECK_INT(count_items(&st[9].c, "/api/v1/me/contracts"), 1);
}

/* The next local day, at least `from`, whose length is not 24 hours: a
 * daylight-saving change (a Sunday in Europe/Madrid). 0 when none within 400 days. */
static int64_t next_dst_day(int64_t from)
{
	for (int64_t d = from; d < from + 400; d++)
		if (hm_local_instant(d + 1, 0) - hm_local_instant(d, 0) != 86400)
			return d;
	return 0;
}

static void test_series_keeps_local_time_across_dst(void)
{
	struct http_response r;
	int64_t change = next_dst_day(today + 9);
	CHECK(change > 0);
	if (!change)
		return;
	char expect[HM_RFC3339_LEN];

	/* Starting the week before the change: 17:00 both weeks. */
	book(&st[9].c, svc_private, tutor_a, change - 7, 17 * 60, ",\"repeat_weeks\":2", &r);
	CHECK_INT(r.status, 201);
	local_at(change, 17 * 60, expect);
	CHECK_STR(json_str(json_array_get(http_json(&r, "items"), 1), "starts_at"), expect);
	http_response_free(&r);

	/* Starting on the day of the change itself: 18:00 that day and the next week. */
	book(&st[9].c, svc_private, tutor_a, change, 18 * 60, ",\"repeat_weeks\":2", &r);
	CHECK_INT(r.status, 201);
	json_t *items = http_json(&r, "items");
	local_at(change, 18 * 60, expect);
	CHECK_STR(json_str(json_array_get(items, 0), "starts_at"), expect);
	local_at(change + 7, 18 * 60, expect);
	CHECK_STR(json_str(json_array_get(items, 1), "starts_at"), expect);
	CHECK_INT(hm_local_minute(parse_at(json_str(json_array_get(items, 1), "starts_at"))),
		  18 * 60);
	http_response_free(&r);
}

/* ---- the race ---------------------------------------------------------------- */

static pthread_barrier_t race_barrier;
static char race_body[256];
static int race_status[N_RACERS];
static char race_code[N_RACERS][32];
static json_int_t race_lesson[N_RACERS];

static void *racer(void *arg)
{
	int i = (int)(intptr_t)arg;
	struct http_response r;
	pthread_barrier_wait(&race_barrier);
	api_call(&racers[i].c, "POST", "/api/v1/lessons", race_body, &r);
	race_status[i] = r.status;
	snprintf(race_code[i], sizeof race_code[i], "%s",
		 http_error_code(&r) ? http_error_code(&r) : "");
	race_lesson[i] = r.status == 201 ? ival(r.json, "id") : 0;
	http_response_free(&r);
	return NULL;
}

static void test_race_for_one_slot(void)
{
	char at[HM_RFC3339_LEN];
	pthread_t threads[N_RACERS];
	local_at(today + 7, 600, at);
	snprintf(race_body, sizeof race_body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)svc_private, (long long)tutor_a, at);
	CHECK(slot_open(svc_private, tutor_a, today + 7, at));
	CHECK_INT(pthread_barrier_init(&race_barrier, NULL, N_RACERS), 0);
	for (int i = 0; i < N_RACERS; i++)
		CHECK_INT(pthread_create(&threads[i], NULL, racer, (void *)(intptr_t)i), 0);
	for (int i = 0; i < N_RACERS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&race_barrier);

	int won = 0, lost = 0, winner = -1;
	for (int i = 0; i < N_RACERS; i++) {
		if (race_status[i] == 201) {
			won++;
			winner = i;
		} else if (race_status[i] == 409 && strcmp(race_code[i], "slot_taken") == 0) {
			lost++;
		} else {
			fprintf(stderr, "racer %d: %d %s\n", i, race_status[i], race_code[i]);
		}
	}
	CHECK_INT(won, 1);
	CHECK_INT(lost, N_RACERS - 1);

	/* Exactly one booked lesson then, the winner's. */
	struct http_response r;
	size_t i;
	json_t *l;
	int booked = 0;
	json_int_t owner = 0;
	staff_lessons(today + 7, today + 7, NULL, &r);
	CHECK_INT(r.status, 200);
	json_array_foreach(http_json(&r, "items"), i, l)
	{
		if (json_str(l, "starts_at") && strcmp(json_str(l, "starts_at"), at) == 0 &&
		    json_str(l, "status") && strcmp(json_str(l, "status"), "booked") == 0) {
			booked++;
			owner = ival(l, "client_id");
		}
	}
	http_response_free(&r);
	CHECK_INT(booked, 1);
	if (winner >= 0) {
		CHECK_INT(owner, racers[winner].client_id);
		CHECK_INT(count_items(&racers[winner].c, "/api/v1/me/contracts"), 1);
		CHECK_INT(count_items(&racers[winner].c, "/api/v1/me/lessons"), 1);
	}
	/* The losers keep nothing. */
	int clean = 0;
	for (int k = 0; k < N_RACERS; k++)
		if (k != winner && count_items(&racers[k].c, "/api/v1/me/contracts") == 0 &&
		    count_items(&racers[k].c, "/api/v1/me/lessons") == 0)
			clean++;
	CHECK_INT(clean, N_RACERS - 1);
	CHECK(!slot_open(svc_private, tutor_a, today + 7, at));
}

/* ---- a series' weeks before confirming (POST /lessons/check) ------------------- */

/* The status POST /lessons/check answers for week i of a 5-week series of st on day
 * D at 17:00 (NULL when the answer is not 200). */
static void check_series(struct api_client *c, int64_t day, const char *extra,
			 struct http_response *r)
{
	char at[HM_RFC3339_LEN], body[512];
	local_at(day, 17 * 60, at);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"%s}",
		 (long long)svc_private, (long long)tutor_a, at, extra);
	api_call(c, "POST", "/api/v1/lessons/check", body, r);
}

static void test_series_check(void)
{
	struct student miren, jon;
	struct http_response r;
	const int64_t d = today + 60;
	CHECK(make_student(&miren, "miren@series.lessons.test", "Miren Series", "10.1.4.1"));
	CHECK(make_student(&jon, "jon@series.lessons.test", "Jon Series", "10.1.4.2"));
	/* Week 1 taken by Jon; week 2 Miren's own lesson with the same tutor; week 3
	 * her lesson with another tutor; weeks 0 and 4 free. */
	book(&jon.c, svc_private, tutor_a, d + 7, 17 * 60, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	book(&miren.c, svc_private, tutor_a, d + 14, 17 * 60, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	book(&miren.c, svc_chess, tutor_b, d + 21, 17 * 60 + 30, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);

	check_series(&miren.c, d, ",\"repeat_weeks\":5", &r);
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	const char *want[] = {"free", "slot_taken", "client_busy", "client_busy", "free"};
	CHECK_INT(json_array_size(items), 5);
	for (size_t i = 0; i < 5 && i < json_array_size(items); i++) {
		char at[HM_RFC3339_LEN];
		local_at(d + 7 * (int64_t)i, 17 * 60, at);
		CHECK_STR(json_str(json_array_get(items, i), "starts_at"), at);
		CHECK_STR(json_str(json_array_get(items, i), "status"), want[i]);
	}
	CHECK_INT(ival(r.json, "free"), 2);
	http_response_free(&r);
	/* Nothing was booked by asking. */
	CHECK_INT(count_items(&miren.c, "/api/v1/me/lessons"), 2);
	CHECK_INT(count_items(&miren.c, "/api/v1/me/contracts"), 2);
	/* Jon sees his own week as his, Miren's weeks as taken. */
	check_series(&jon.c, d, ",\"repeat_weeks\":3", &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(json_array_get(http_json(&r, "items"), 1), "status"), "client_busy");
	CHECK_STR(json_str(json_array_get(http_json(&r, "items"), 2), "status"), "slot_taken");
	http_response_free(&r);
	/* Bad bodies: the same 422 as a booking. */
	check_series(&miren.c, d, ",\"repeat_weeks\":53", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "repeat_weeks") != NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&miren.c, "GET", "/api/v1/lessons/check", NULL), 405);

	/* "Book only the free weeks": skip_weeks leaves weeks 1-3 out; one
	 * subscription of 2 sessions, and {items} as for any series. */
	book(&miren.c, svc_private, tutor_a, d, 17 * 60,
	     ",\"repeat_weeks\":5,\"skip_weeks\":[1,2,3]", &r);
	CHECK_INT(r.status, 201);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 2);
	char w4[HM_RFC3339_LEN];
	local_at(d + 28, 17 * 60, w4);
	CHECK_STR(json_str(json_array_get(items, 1), "starts_at"), w4);
	json_t *k = json_object_get(json_array_get(items, 0), "contract");
	CHECK_STR(json_str(k, "kind"), "subscription");
	CHECK_INT(ival(k, "sessions_total"), 2);
	http_response_free(&r);
	CHECK_INT(count_items(&miren.c, "/api/v1/me/lessons"), 4);
	/* skip_weeks: only with repeat_weeks, weeks of the series, one week kept. */
	const char *bad[] = {
		",\"skip_weeks\":[1]",
		",\"repeat_weeks\":3,\"skip_weeks\":[3]",
		",\"repeat_weeks\":3,\"skip_weeks\":[1,1]",
		",\"repeat_weeks\":2,\"skip_weeks\":[0,1]",
		",\"repeat_weeks\":2,\"skip_weeks\":\"1\"",
		",\"repeat_weeks\":60,\"skip_weeks\":[55]", /* a bad series too */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		book(&miren.c, svc_private, tutor_a, d + 35, 17 * 60, bad[i], &r);
		CHECK_INT(r.status, 422);
		CHECK(http_error_field(&r, "skip_weeks") != NULL);
		http_response_free(&r);
	}
	CHECK_INT(count_items(&miren.c, "/api/v1/me/lessons"), 4);
}

/* ---- a client is never in two lessons at once ---------------------------------- */

static struct student busy_st[2];

static void test_client_busy(void)
{
	struct http_response r;
	char at[HM_RFC3339_LEN];
	CHECK(make_student(&busy_st[0], "ane@busy.lessons.test", "Ane Busy", "10.1.3.1"));

	/* Ane books tutor A on day 30 at 17:00, then tutor B at 17:30 the same day: the
	 * tutor is free, Ane is not. Nothing is written. */
	book(&busy_st[0].c, svc_private, tutor_a, today + 30, 17 * 60, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	book(&busy_st[0].c, svc_chess, tutor_b, today + 30, 17 * 60 + 30, "", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "client_busy");
	CHECK(json_object_get(http_json(&r, "error"), "conflicts") == NULL);
	http_response_free(&r);
	/* At the very same time too, and from staff for her. */
	char extra[96];
	snprintf(extra, sizeof extra, ",\"client_id\":%lld", (long long)busy_st[0].client_id);
	book(&staff, svc_chess, tutor_b, today + 30, 17 * 60, extra, &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "client_busy");
	http_response_free(&r);
	CHECK_INT(count_items(&busy_st[0].c, "/api/v1/me/contracts"), 1);
	CHECK_INT(count_items(&busy_st[0].c, "/api/v1/me/lessons"), 1);
	local_at(today + 30, 17 * 60 + 30, at);
	CHECK(slot_open(svc_chess, tutor_b, today + 30, at));
	/* Right after the lesson is fine. */
	book(&busy_st[0].c, svc_chess, tutor_b, today + 30, 18 * 60, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);

	/* A series with one week overlapping: 409 client_busy naming that week, nothing
	 * booked. */
	book(&busy_st[0].c, svc_chess, tutor_b, today + 23, 17 * 60, ",\"repeat_weeks\":3", &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "client_busy");
	json_t *conflicts = json_object_get(http_json(&r, "error"), "conflicts");
	CHECK(json_is_array(conflicts));
	CHECK_INT(json_array_size(conflicts), 1);
	local_at(today + 30, 17 * 60, at);
	CHECK_STR(json_string_value(json_array_get(conflicts, 0)), at);
	http_response_free(&r);
	CHECK_INT(count_items(&busy_st[0].c, "/api/v1/me/contracts"), 2);
	CHECK_INT(count_items(&busy_st[0].c, "/api/v1/me/lessons"), 2);

	/* A walk-in at a time the client had a lesson with another tutor. */
	CHECK(make_student(&busy_st[1], "unai@busy.lessons.test", "Unai Busy", "10.1.3.2"));
	snprintf(extra, sizeof extra, ",\"client_id\":%lld", (long long)busy_st[1].client_id);
	char walk[160];
	snprintf(walk, sizeof walk, "%s,\"attendance\":\"attended\"", extra);
	book(&staff, svc_private, tutor_a, today - 3, 9 * 60, walk, &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	book(&staff, svc_chess, tutor_b, today - 3, 9 * 60 + 30, walk, &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "client_busy");
	http_response_free(&r);
	/* Cancelled lessons do not count. */
	book(&busy_st[1].c, svc_private, tutor_a, today + 31, 12 * 60, "", &r);
	CHECK_INT(r.status, 201);
	json_int_t id = ival(r.json, "id");
	http_response_free(&r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)id);
	CHECK_INT(api_status(&busy_st[1].c, "POST", path, NULL), 200);
	book(&busy_st[1].c, svc_chess, tutor_b, today + 31, 12 * 60, "", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
}

/* The same student books two tutors at the same hour from two connections at
 * once: exactly one 201, the other 409 client_busy, and no stray contract. */
static pthread_barrier_t busy_barrier;
struct busy_racer {
	struct api_client c;
	char body[256];
	int status;
	char code[32];
};

static void *busy_racer(void *arg)
{
	struct busy_racer *b = arg;
	struct http_response r;
	pthread_barrier_wait(&busy_barrier);
	api_call(&b->c, "POST", "/api/v1/lessons", b->body, &r);
	b->status = r.status;
	snprintf(b->code, sizeof b->code, "%s", http_error_code(&r) ? http_error_code(&r) : "");
	http_response_free(&r);
	return NULL;
}

static void test_race_client_busy(void)
{
	struct student s;
	struct busy_racer rc[2];
	CHECK(make_student(&s, "racer@busy.lessons.test", "Racer Busy", "10.1.3.3"));
	for (int k = 0; k < 2; k++) {
		api_client_at(&rc[k].c, server.port, "10.1.3.3");
		CHECK_INT(api_login(&rc[k].c, "racer@busy.lessons.test", PW), 200);
	}
	const json_int_t svcs[2] = {svc_private, svc_chess}, tutors[2] = {tutor_a, tutor_b};
	const int rounds = 6;
	for (int round = 0; round < rounds; round++) {
		char at[HM_RFC3339_LEN];
		pthread_t threads[2];
		local_at(today + 33, (9 + round) * 60, at);
		for (int k = 0; k < 2; k++)
			snprintf(rc[k].body, sizeof rc[k].body,
				 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
				 (long long)svcs[k], (long long)tutors[k], at);
		CHECK_INT(pthread_barrier_init(&busy_barrier, NULL, 2), 0);
		for (int k = 0; k < 2; k++)
			CHECK_INT(pthread_create(&threads[k], NULL, busy_racer, &rc[k]), 0);
		for (int k = 0; k < 2; k++)
			pthread_join(threads[k], NULL);
		pthread_barrier_destroy(&busy_barrier);
		int won = 0, busy = 0;
		for (int k = 0; k < 2; k++) {
			if (rc[k].status == 201)
				won++;
			else if (rc[k].status == 409 && strcmp(rc[k].code, "client_busy") == 0)
				busy++;
			else
				fprintf(stderr, "round %d racer %d: %d %s\n", round, k,
					rc[k].status, rc[k].code);
		}
		CHECK_INT(won, 1);
		CHECK_INT(busy, 1);
	}
	/* One lesson and one contract per round, nothing more. */
	CHECK_INT(count_items(&rc[0].c, "/api/v1/me/lessons"), rounds);
	CHECK_INT(count_items(&rc[0].c, "/api/v1/me/contracts"), rounds);
}

/* ---- staff booking ----------------------------------------------------------- */

static void test_staff_books_for_a_client(void)
{
	struct http_response r;
	char extra[128];
	snprintf(extra, sizeof extra, ",\"client_id\":%lld", (long long)phone_client);
	book(&staff, svc_private, tutor_a, today + 8, 600, extra, &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(ival(r.json, "client_id"), phone_client);
	CHECK_INT(ival(http_json(&r, "contract"), "client_id"), phone_client);
	CHECK_STR(json_str(http_json(&r, "contract"), "kind"), "one_off");
	CHECK_STR(json_str(http_json(&r, "contract"), "channel"), "in_person");
	CHECK_INT(ival(http_json(&r, "contract"), "ordinal"), 1);
	http_response_free(&r);

	snprintf(extra, sizeof extra, ",\"client_id\":%lld,\"channel\":\"phone\"",
		 (long long)phone_client);
	book(&staff, svc_private, tutor_a, today + 8, 11 * 60, extra, &r);
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(http_json(&r, "contract"), "channel"), "phone");
	CHECK_INT(ival(http_json(&r, "contract"), "ordinal"), 2);
	http_response_free(&r);

	/* For a registered student too. */
	snprintf(extra, sizeof extra, ",\"client_id\":%lld,\"channel\":\"email\"",
		 (long long)st[6].client_id);
	book(&staff, svc_private, tutor_a, today + 8, 12 * 60, extra, &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(ival(r.json, "client_id"), st[6].client_id);
	CHECK_STR(json_str(http_json(&r, "contract"), "channel"), "email");
	http_response_free(&r);

	/* client_id is required from staff, and must exist. */
	book(&staff, svc_private, tutor_a, today + 8, 13 * 60, "", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "client_id") != NULL);
	http_response_free(&r);
	book(&staff, svc_private, tutor_a, today + 8, 13 * 60, ",\"client_id\":999999", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "client_id") != NULL);
	http_response_free(&r);
	snprintf(extra, sizeof extra, ",\"client_id\":%lld,\"channel\":\"fax\"",
		 (long long)phone_client);
	book(&staff, svc_private, tutor_a, today + 8, 13 * 60, extra, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "channel") != NULL);
	http_response_free(&r);
	staff_lessons(today + 8, today + 8, NULL, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 3);
	http_response_free(&r);
}

/* ---- cancelling ---------------------------------------------------------------- */

static void lesson_path(char *out, size_t size, json_int_t id, const char *tail)
{
	snprintf(out, size, "/api/v1/lessons/%lld%s", (long long)id, tail);
}

static void test_cancel(void)
{
	struct http_response r;
	char path[96], at[HM_RFC3339_LEN];
	local_at(today + 2, 600, at);

	/* Another student cannot, and cannot tell it exists. */
	lesson_path(path, sizeof path, s1_lesson, "/cancel");
	CHECK(api_call(&st[2].c, "POST", path, NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);

	CHECK_INT(loyalty_contracts(&st[1].c), 2); /* the lesson's and the group's */
	CHECK(!slot_open(svc_private, tutor_a, today + 2, at));
	CHECK(api_call(&st[1].c, "POST", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "id"), s1_lesson);
	CHECK_STR(json_str(r.json, "status"), "cancelled");
	http_response_free(&r);
	/* Free again; the one-off made with it went with it. */
	CHECK(slot_open(svc_private, tutor_a, today + 2, at));
	json_t *k = my_contract(&st[1].c, s1_contract);
	CHECK(k != NULL);
	CHECK_STR(json_str(k, "status"), "cancelled");
	json_decref(k);
	CHECK_INT(loyalty_contracts(&st[1].c), 1);
	lesson_path(path, sizeof path, s1_lesson, "");
	CHECK(api_call(&st[1].c, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "status"), "cancelled");
	http_response_free(&r);

	/* Twice: 409. */
	lesson_path(path, sizeof path, s1_lesson, "/cancel");
	CHECK(api_call(&st[1].c, "POST", path, NULL, &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", path, NULL, &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);

	/* A subscription gets its session back, and stays active. */
	lesson_path(path, sizeof path, s3_lesson_10, "/cancel");
	CHECK(api_call(&st[3].c, "POST", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "status"), "cancelled");
	http_response_free(&r);
	k = my_contract(&st[3].c, s3_sub);
	CHECK_INT(ival(k, "sessions_used"), 1);
	CHECK_STR(json_str(k, "status"), "active");
	json_decref(k);
	/* ...and can be used again. */
	char extra[64];
	snprintf(extra, sizeof extra, ",\"contract_id\":%lld", (long long)s3_sub);
	book(&st[3].c, svc_private, tutor_a, today + 3, 14 * 60, extra, &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(ival(http_json(&r, "contract"), "sessions_used"), 2);
	json_int_t again = ival(r.json, "id");
	http_response_free(&r);
	lesson_path(path, sizeof path, again, "/cancel");
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200); /* staff may cancel too */
	k = my_contract(&st[3].c, s3_sub);
	CHECK_INT(ival(k, "sessions_used"), 1);
	json_decref(k);

	/* Unknown lesson. */
	CHECK_INT(api_status(&staff, "POST", "/api/v1/lessons/999999/cancel", NULL), 404);
}

static void test_24_hour_rule(void)
{
	struct http_response r;
	char path[256], from[16], to[16];
	int64_t now = hm_time_now();
	date_text(today, from);
	date_text(today + 1, to);
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&tutor_id=%lld&from=%s&to=%s",
		 (long long)svc_chess, (long long)tutor_b, from, to);
	CHECK(api_call(&st[2].c, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	char soon[HM_RFC3339_LEN] = "";
	size_t i;
	json_t *slot;
	json_array_foreach(http_json(&r, "items"), i, slot)
	{
		int64_t t = parse_at(json_str(slot, "starts_at"));
		if (t > now + 3600) {
			snprintf(soon, sizeof soon, "%s", json_str(slot, "starts_at"));
			break;
		}
	}
	http_response_free(&r);
	CHECK(soon[0] != '\0');
	CHECK(parse_at(soon) - now < 3 * 3600);

	char body[256];
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)svc_chess, (long long)tutor_b, soon);
	CHECK(api_call(&st[2].c, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 201);
	soon_lesson = ival(r.json, "id");
	CHECK(soon_lesson > 0);
	CHECK_STR(json_str(r.json, "starts_at"), soon);
	CHECK_INT(parse_at(json_str(r.json, "ends_at")), parse_at(soon) + 30 * 60);
	CHECK_STR(json_str(r.json, "status"), "booked");
	CHECK_INT(ival(r.json, "client_id"), st[2].client_id);
	CHECK(parse_at(json_str(r.json, "starts_at")) - hm_time_now() < 24 * 3600);
	http_response_free(&r);
}

static void test_24_hour_rule_cancel(void)
{
	struct http_response r;
	char path[96];
	lesson_path(path, sizeof path, soon_lesson, "/cancel");
	CHECK(api_call(&st[2].c, "POST", path, NULL, &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "too_late_to_cancel");
	http_response_free(&r);
	lesson_path(path, sizeof path, soon_lesson, "");
	CHECK(api_call(&st[2].c, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "status"), "booked");
	http_response_free(&r);

	/* Logging before it starts: 409, and nothing logged. */
	lesson_path(path, sizeof path, soon_lesson, "/log");
	CHECK(api_call(&staff, "POST", path, "{\"attendance\":\"attended\",\"notes\":\"early\"}",
		       &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	lesson_path(path, sizeof path, s5_first_lesson, "/log");
	CHECK(api_call(&staff, "POST", path, "{\"attendance\":\"no_show\"}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	lesson_path(path, sizeof path, soon_lesson, "");
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK(json_is_null(http_json(&r, "attendance")));
	http_response_free(&r);

	/* Staff may always cancel. */
	lesson_path(path, sizeof path, soon_lesson, "/cancel");
	CHECK(api_call(&staff, "POST", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "status"), "cancelled");
	http_response_free(&r);
}

/* ---- reading ------------------------------------------------------------------- */

static void test_reading_lessons(void)
{
	struct http_response r;
	char path[128], extra[96];

	/* Another student's lesson is not there for a student; it is for staff. */
	lesson_path(path, sizeof path, s3_lesson_11, "");
	CHECK(api_call(&st[2].c, "GET", path, NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	CHECK(r.body && !strstr(r.body, "starts_at"));
	http_response_free(&r);
	CHECK(api_call(&st[3].c, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "id"), s3_lesson_11);
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "client_id"), st[3].client_id);
	CHECK_INT(ival(http_json(&r, "contract"), "id"), s3_sub);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/lessons/999999", NULL), 404);
	CHECK_INT(api_status(&st[3].c, "GET", "/api/v1/lessons/999999", NULL), 404);

	/* /me/lessons: only its own, in time order (booked 11:00 before 10:00). */
	CHECK(api_call(&st[3].c, "GET", "/api/v1/me/lessons", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 3); /* 10:00 (cancelled), 11:00, 14:00 (cancelled) */
	CHECK_INT(ival(json_array_get(items, 0), "id"), s3_lesson_10);
	CHECK_INT(ival(json_array_get(items, 1), "id"), s3_lesson_11);
	CHECK(in_time_order(items));
	size_t i;
	json_t *l;
	bool own = true;
	json_array_foreach(items, i, l) own = own && ival(l, "client_id") == st[3].client_id;
	CHECK(own);
	CHECK(json_object_get(r.json, "next_after") != NULL);
	http_response_free(&r);
	CHECK(api_call(&st[3].c, "GET", "/api/v1/me/lessons?limit=1", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK_INT(ival(json_array_get(http_json(&r, "items"), 0), "id"), s3_lesson_10);
	CHECK_INT(json_integer_value(http_json(&r, "next_after")), s3_lesson_10);
	http_response_free(&r);
	/* Following next_after walks the same list, in the same (time) order. */
	char whole[256] = "", walked[256] = "";
	size_t used = 0;
	CHECK(api_call(&st[3].c, "GET", "/api/v1/me/lessons", NULL, &r));
	json_array_foreach(http_json(&r, "items"), i, l) used += (size_t)snprintf(
		whole + used, sizeof whole - used, "%lld,", (long long)ival(l, "id"));
	http_response_free(&r);
	used = 0;
	json_int_t after = 0;
	for (int page = 0; page < 10; page++) {
		snprintf(path, sizeof path, "/api/v1/me/lessons?limit=1&after=%lld",
			 (long long)after);
		CHECK(api_call(&st[3].c, "GET", path, NULL, &r));
		json_array_foreach(http_json(&r, "items"), i, l) used += (size_t)snprintf(
			walked + used, sizeof walked - used, "%lld,", (long long)ival(l, "id"));
		json_t *next = http_json(&r, "next_after");
		after = json_is_integer(next) ? json_integer_value(next) : 0;
		http_response_free(&r);
		if (!after)
			break;
	}
	CHECK_STR(walked, whole);

	/* Staff's list: days 2-3, tutor A: 10:00 (cancelled) and two group seats on day
	 * 2; 10:00, 11:00 and 14:00 on day 3. */
	snprintf(extra, sizeof extra, "&tutor_id=%lld", (long long)tutor_a);
	staff_lessons(today + 2, today + 3, extra, &r);
	CHECK_INT(r.status, 200);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 6);
	CHECK(in_time_order(items));
	bool in_range = true, right_tutor = true;
	int64_t lo = hm_local_instant(today + 2, 0), hi = hm_local_instant(today + 4, 0);
	json_array_foreach(items, i, l)
	{
		int64_t t = parse_at(json_str(l, "starts_at"));
		in_range = in_range && t >= lo && t < hi;
		right_tutor = right_tutor && ival(l, "tutor_id") == tutor_a;
	}
	CHECK(in_range);
	CHECK(right_tutor);
	CHECK_INT(ival(json_array_get(items, 0), "id"), s1_lesson);
	http_response_free(&r);
	/* One day only. */
	staff_lessons(today + 3, today + 3, extra, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 3);
	http_response_free(&r);
	/* By client. */
	snprintf(extra, sizeof extra, "&client_id=%lld", (long long)st[1].client_id);
	staff_lessons(today + 2, today + 3, extra, &r);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 2);
	own = true;
	json_array_foreach(items, i, l) own = own && ival(l, "client_id") == st[1].client_id;
	CHECK(own);
	CHECK(in_time_order(items));
	http_response_free(&r);
	/* By client and tutor together. */
	snprintf(extra, sizeof extra, "&client_id=%lld&tutor_id=%lld", (long long)st[2].client_id,
		 (long long)tutor_b);
	staff_lessons(today, today + 1, extra, &r);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 1);
	CHECK_INT(ival(json_array_get(items, 0), "id"), soon_lesson);
	http_response_free(&r);
	/* Tutor B has nothing on days 2-3. */
	snprintf(extra, sizeof extra, "&tutor_id=%lld", (long long)tutor_b);
	staff_lessons(today + 2, today + 3, extra, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
	/* Bad filters. */
	CHECK(api_call(&staff, "GET", "/api/v1/lessons?tutor_id=abc", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tutor_id") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", "/api/v1/lessons?from=2026-13-01", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "from") != NULL);
	http_response_free(&r);

	/* Students do not list everyone's lessons; anonymous users nothing at all. */
	CHECK(api_call(&st[3].c, "GET", "/api/v1/lessons", NULL, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	struct api_client anon;
	api_client_at(&anon, server.port, "10.1.9.8");
	CHECK_INT(api_status(&anon, "GET", "/api/v1/lessons", NULL), 401);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/lessons", NULL), 401);
	lesson_path(path, sizeof path, s3_lesson_11, "");
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
}

/* ---- logging and walk-ins ------------------------------------------------------ */

static void test_walk_in_and_log(void)
{
	struct http_response r;
	char body[768], at[HM_RFC3339_LEN], path[96];
	int64_t now = hm_time_now();
	int64_t t0 = now - now % 60 - 2 * 3600 - 7 * 60; /* about two hours ago, at :x7 */
	if (hm_local_minute(t0) % 30 == 0)
		t0 -= 13 * 60;
	hm_time_format(t0, at);

	/* Pace "quick" is no pace. */
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld,"
		 "\"attendance\":\"attended\",\"notes\":\"Worked on fractions.\",\"level\":\"B2\","
		 "\"pace\":\"quick\"}",
		 (long long)svc_private, (long long)tutor_a, at, (long long)phone_client);
	CHECK(api_call(&staff, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "pace") != NULL);
	http_response_free(&r);

	/* A walk-in, two hours ago, off the grid. */
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld,"
		 "\"attendance\":\"attended\",\"notes\":\"Worked on fractions.\",\"level\":\"B2\","
		 "\"pace\":\"fast\"}",
		 (long long)svc_private, (long long)tutor_a, at, (long long)phone_client);
	CHECK(api_call(&staff, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 201);
	json_int_t walk_in = ival(r.json, "id");
	CHECK(walk_in > 0);
	CHECK_STR(json_str(r.json, "starts_at"), at);
	CHECK_STR(json_str(r.json, "attendance"), "attended");
	CHECK_INT(ival(r.json, "client_id"), phone_client);
	CHECK_STR(json_str(http_json(&r, "contract"), "kind"), "one_off");
	http_response_free(&r);
	char cpath[64];
	snprintf(cpath, sizeof cpath, "/api/v1/clients/%lld", (long long)phone_client);
	CHECK(api_call(&staff, "GET", cpath, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "level"), "B2");
	CHECK_STR(json_str(r.json, "pace"), "fast");
	http_response_free(&r);

	/* Logged again: no-show, with other notes and pace. */
	lesson_path(path, sizeof path, walk_in, "/log");
	CHECK(api_call(&staff, "POST", path,
		       "{\"attendance\":\"no_show\",\"notes\":\"Did not come after all.\","
		       "\"pace\":\"steady\"}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "attendance"), "no_show");
	CHECK_INT(ival(r.json, "id"), walk_in);
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", cpath, NULL, &r));
	CHECK_STR(json_str(r.json, "level"), "B2"); /* not sent: kept */
	CHECK_STR(json_str(r.json, "pace"), "steady");
	http_response_free(&r);
	lesson_path(path, sizeof path, walk_in, "");
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "attendance"), "no_show");
	http_response_free(&r);

	/* Bad logs. */
	lesson_path(path, sizeof path, walk_in, "/log");
	CHECK(api_call(&staff, "POST", path, "{\"attendance\":\"attended\",\"pace\":\"quick\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "pace") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", path, "{\"attendance\":\"late\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "attendance") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", path, "{\"notes\":\"no attendance\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "attendance") != NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/lessons/999999/log",
			     "{\"attendance\":\"attended\"}"),
		  404);
	CHECK(api_call(&staff, "GET", cpath, NULL, &r));
	CHECK_STR(json_str(r.json, "pace"), "steady");
	http_response_free(&r);

	/* Students do not log, not even their own lessons. */
	CHECK(api_call(&st[2].c, "POST", path, "{\"attendance\":\"attended\"}", &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	lesson_path(path, sizeof path, s3_lesson_11, "/log");
	CHECK(api_call(&st[3].c, "POST", path, "{\"attendance\":\"attended\"}", &r));
	CHECK_INT(r.status, 403);
	http_response_free(&r);

	/* A walk-in in the future is no walk-in. */
	char later[HM_RFC3339_LEN];
	hm_time_format(now + 3 * 3600 + 7 * 60, later);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld,"
		 "\"attendance\":\"attended\"}",
		 (long long)svc_private, (long long)tutor_a, later, (long long)phone_client);
	CHECK(api_call(&staff, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "starts_at") != NULL);
	http_response_free(&r);

	/* Half an hour into the walk-in, the tutor was busy. */
	char overlap[HM_RFC3339_LEN];
	hm_time_format(t0 + 30 * 60, overlap);
	json_int_t contracts_before = 0;
	snprintf(path, sizeof path, "/api/v1/contracts?client_id=%lld&limit=200",
		 (long long)st[6].client_id);
	contracts_before = count_items(&staff, path);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld,"
		 "\"attendance\":\"attended\"}",
		 (long long)svc_private, (long long)tutor_a, overlap, (long long)st[6].client_id);
	CHECK(api_call(&staff, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);
	CHECK_INT(count_items(&staff, path), contracts_before);
	/* Another tutor was free then. */
	hm_time_format(t0 + 30 * 60, overlap);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld,"
		 "\"attendance\":\"no_show\"}",
		 (long long)svc_chess, (long long)tutor_b, overlap, (long long)st[6].client_id);
	CHECK(api_call(&staff, "POST", "/api/v1/lessons", body, &r));
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(r.json, "attendance"), "no_show");
	http_response_free(&r);
	CHECK_INT(count_items(&staff, path), contracts_before + 1);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, trusted_args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_student_books_a_slot);
	RUN(test_booking_validation);
	RUN(test_group_fills_up);
	RUN(test_subscription_sessions);
	RUN(test_weekly_series);
	RUN(test_series_keeps_local_time_across_dst);
	RUN(test_race_for_one_slot);
	RUN(test_client_busy);
	RUN(test_series_check);
	RUN(test_race_client_busy);
	RUN(test_staff_books_for_a_client);
	RUN(test_cancel);
	RUN(test_24_hour_rule);
	RUN(test_24_hour_rule_cancel);
	RUN(test_reading_lessons);
	RUN(test_walk_in_and_log);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
