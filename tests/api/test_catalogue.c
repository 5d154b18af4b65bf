// SPDX-License-Identifier: MIT
// The catalogue (API.md, "Catalogue: tutors, services, availability, slots"): tutor
// profiles, weekly availability, services, and the public slots computed from them,
// including what booking a lesson does to the slots, group seats, and the rule that
// past times are never offered. No --demo: every user, tutor and service is made
// here, and every date is computed from the real clock in Europe/Madrid.
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

static const char *const trusted_args[] = {"--trusted-proxy", "127.0.0.1", NULL};

#define PASSWORD "pasahitz-luze-bat-2026"

static struct api_client admin, staff, staff2, anon;
static struct api_client st[4]; /* students */
static json_int_t admin_id, staff_id, staff2_id, staff3_id, staff4_id, staff5_id;
static json_int_t student_user_id;

/* Services made by test_services and used by the slot tests. */
static json_int_t svc_p60, svc_p90, svc_g60, svc_hist, svc_chem, svc_inactive;

static int64_t today, next_tuesday; /* local days */
static int today_weekday;

/* ---- helpers ---------------------------------------------------------------- */

/* The RFC 3339 (UTC) text of local wall-clock time minute on local day. */
static void local_text(int64_t day, int minute, char out[HM_RFC3339_LEN])
{
	hm_time_format(hm_local_instant(day, minute), out);
}

static json_int_t me_user_id(struct api_client *c)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me", NULL, &r);
	json_int_t id = json_int(http_json(&r, "user"), "id");
	http_response_free(&r);
	return id;
}

static json_int_t login_as(struct api_client *c, const char *xff, const char *email)
{
	api_client_at(c, server.port, xff);
	CHECK_INT(api_login(c, email, PASSWORD), 200);
	return me_user_id(c);
}

/* GET /slots for service (and tutor when non-zero) over local days [from, to]. */
static void get_slots(json_int_t service, json_int_t tutor, int64_t from, int64_t to,
		      struct http_response *r)
{
	char path[256], a[16], b[16];
	api_day_text(from, a);
	api_day_text(to, b);
	if (tutor)
		snprintf(path, sizeof path,
			 "/api/v1/slots?service_id=%lld&from=%s&to=%s&tutor_id=%lld",
			 (long long)service, a, b, (long long)tutor);
	else
		snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
			 (long long)service, a, b);
	api_call(&anon, "GET", path, NULL, r);
}

/* seats_left of the slot of tutor at starts_at in items, or -1 when absent. */
static int slot_seats(json_t *items, json_int_t tutor, const char *starts_at)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (json_int(it, "tutor_id") == tutor && json_str(it, "starts_at") &&
		    strcmp(json_str(it, "starts_at"), starts_at) == 0)
			return (int)json_int(it, "seats_left");
	}
	return -1;
}

/* How many items of tutor there are. */
static size_t count_of(json_t *items, json_int_t tutor)
{
	size_t i, n = 0;
	json_t *it;
	json_array_foreach(items, i, it) n += json_int(it, "tutor_id") == tutor;
	return n;
}

/* Does a list answer hold an item with that id? */
static json_t *find_id(json_t *items, json_int_t id)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) if (json_int(it, "id") == id) return it;
	return NULL;
}

static json_int_t create_service(const char *body)
{
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/services", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t id = r.status == 201 ? json_int(r.json, "id") : 0;
	http_response_free(&r);
	return id;
}

static int book(struct api_client *c, json_int_t service, json_int_t tutor, const char *at,
		struct http_response *r)
{
	char body[256];
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service, (long long)tutor, at);
	api_call(c, "POST", "/api/v1/lessons", body, r);
	return r->status;
}

static void put_tutor(struct api_client *c, json_int_t id, const char *body, int expect)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)id);
	CHECK_INT(api_status(c, "PUT", path, body), expect);
}

static void put_windows(struct api_client *c, json_int_t id, const char *body, int expect)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/tutors/%lld/availability", (long long)id);
	CHECK_INT(api_status(c, "PUT", path, body), expect);
}

/* ---- tutors ------------------------------------------------------------------ */

static void test_setup_users(void)
{
	api_client_init(&anon, server.port);
	admin_id = login_as(&admin, "10.1.0.1", "amaia@cat.test");
	staff_id = login_as(&staff, "10.1.0.2", "iker@cat.test");
	staff2_id = login_as(&staff2, "10.1.0.3", "leire@cat.test");
	struct api_client tmp;
	staff3_id = login_as(&tmp, "10.1.0.4", "jon@cat.test");
	staff4_id = login_as(&tmp, "10.1.0.5", "maite@cat.test");
	staff5_id = login_as(&tmp, "10.1.0.6", "unai@cat.test");
	CHECK(admin_id > 0 && staff_id > 0 && staff2_id > 0 && staff3_id > 0 && staff4_id > 0 &&
	      staff5_id > 0);
	CHECK(staff_id < staff2_id);
	static const char *const names[] = {"Ane Ikaslea", "Bea Ikaslea", "Carlos Ikaslea",
					    "Dani Ikaslea"};
	for (int i = 0; i < 4; i++) {
		char xff[32], email[64];
		snprintf(xff, sizeof xff, "10.1.1.%d", i + 1);
		snprintf(email, sizeof email, "student%d@cat.test", i + 1);
		api_client_at(&st[i], server.port, xff);
		CHECK_INT(api_register(&st[i], email, PASSWORD, names[i]), 201);
	}
	student_user_id = me_user_id(&st[0]);
	CHECK(student_user_id > 0);
}

static void test_tutors_put_and_list(void)
{
	struct http_response r;
	char path[64];

	/* Nobody is a tutor yet; the list is public. */
	CHECK(api_call(&anon, "GET", "/api/v1/tutors", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);

	/* Staff make a staff user a tutor: 200 with the tutor, subjects sorted. */
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)staff_id);
	CHECK(api_call(&staff, "PUT", path,
		       "{\"subjects\":[\"physics\",\"maths\"],\"bio\":\"Fisikaria, 10 urte.\"}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_int(r.json, "id"), staff_id);
	CHECK_STR(json_str(r.json, "full_name"), "Iker Irakaslea");
	CHECK_STR(json_str(r.json, "bio"), "Fisikaria, 10 urte.");
	CHECK_INT(json_array_size(http_json(&r, "subjects")), 2);
	CHECK_STR(json_string_value(json_array_get(http_json(&r, "subjects"), 0)), "maths");
	CHECK_STR(json_string_value(json_array_get(http_json(&r, "subjects"), 1)), "physics");
	http_response_free(&r);

	/* An admin may do it too; another staff user for another tutor. */
	put_tutor(&admin, staff2_id, "{\"subjects\":[\"maths\"],\"bio\":\"Matematikaria.\"}", 200);
	/* Replacing: history and maths, then history alone. */
	put_tutor(&staff, staff3_id, "{\"subjects\":[\"maths\",\"history\"],\"bio\":\"\"}", 200);
	put_tutor(&staff, staff3_id, "{\"subjects\":[\"history\"],\"bio\":\"Historialaria.\"}",
		  200);
	put_tutor(&staff, staff4_id, "{\"subjects\":[\"chemistry\"],\"bio\":\"Kimikaria.\"}", 200);

	/* Who may not. */
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)staff5_id);
	CHECK(api_call(&st[0], "PUT", path, "{\"subjects\":[\"maths\"],\"bio\":\"x\"}", &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK(api_call(&anon, "PUT", path, "{\"subjects\":[\"maths\"],\"bio\":\"x\"}", &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);

	/* A student user cannot be a tutor; an unknown user is not found. */
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)student_user_id);
	CHECK(api_call(&staff, "PUT", path, "{\"subjects\":[\"maths\"],\"bio\":\"x\"}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK(api_call(&staff, "PUT", "/api/v1/tutors/999999",
		       "{\"subjects\":[\"maths\"],\"bio\":\"x\"}", &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	/* API.md's order of checks puts existence (404) before the body (422), as
	 * PATCH /services/{id} and PUT /tutors/{id}/availability do. */
	CHECK(api_call(&staff, "PUT", "/api/v1/tutors/999999", "{\"subjects\":\"maths\"}", &r));
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "PUT", "/api/v1/tutors/999999/availability",
			     "{\"windows\":\"all day\"}"),
		  404);
	CHECK_INT(api_status(&staff, "PATCH", "/api/v1/services/999999", "{\"price_cents\":-1}"),
		  404);
	/* and the role (403) before the body. */
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)staff5_id);
	CHECK_INT(api_status(&st[0], "PUT", path, "{\"subjects\":\"maths\"}"), 403);

	/* Bad bodies: 422 naming the field, and nothing changes. */
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)staff_id);
	static const char *const bad_subjects[] = {
		"{\"subjects\":\"maths\",\"bio\":\"x\"}",
		"{\"subjects\":[\"Maths\"],\"bio\":\"x\"}",
		"{\"subjects\":[\"maths\",7],\"bio\":\"x\"}",
		"{\"bio\":\"x\"}",
		"{\"subjects\":[\"s1\",\"s2\",\"s3\",\"s4\",\"s5\",\"s6\",\"s7\",\"s8\",\"s9\",\"s10\","
		"\"s11\",\"s12\",\"s13\",\"s14\",\"s15\",\"s16\",\"s17\",\"s18\",\"s19\",\"s20\","
		"\"s21\"],\"bio\":\"x\"}",
	};
	for (size_t i = 0; i < sizeof bad_subjects / sizeof bad_subjects[0]; i++) {
		CHECK(api_call(&staff, "PUT", path, bad_subjects[i], &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		CHECK(http_error_field(&r, "subjects") != NULL);
		if (r.status != 422 || !http_error_field(&r, "subjects"))
			fprintf(stderr, "  body %s -> %d %s\n", bad_subjects[i], r.status, r.body);
		http_response_free(&r);
	}
	CHECK(api_call(&staff, "PUT", path,
		       "{\"subjects\":[\"maths\"],\"bio\":\"x\",\"colour\":\"red\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "colour") != NULL);
	http_response_free(&r);
	/* Twenty subjects are fine (on a user who is not used later, then reset). */
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)staff5_id);
	CHECK(api_call(&staff, "PUT", path,
		       "{\"subjects\":[\"s01\",\"s02\",\"s03\",\"s04\",\"s05\",\"s06\",\"s07\","
		       "\"s08\",\"s09\",\"s10\",\"s11\",\"s12\",\"s13\",\"s14\",\"s15\",\"s16\","
		       "\"s17\",\"s18\",\"s19\",\"s20\"],\"bio\":\"x\"}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "subjects")), 20);
	http_response_free(&r);

	/* The public list: every tutor, with its own sorted subjects; no student. */
	CHECK(api_call(&anon, "GET", "/api/v1/tutors", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 5);
	json_t *t1 = find_id(items, staff_id), *t2 = find_id(items, staff2_id);
	json_t *t3 = find_id(items, staff3_id);
	CHECK(t1 && t2 && t3);
	CHECK(!find_id(items, student_user_id));
	CHECK(!find_id(items, admin_id));
	CHECK_STR(json_str(t1, "full_name"), "Iker Irakaslea");
	CHECK_STR(json_str(t1, "bio"), "Fisikaria, 10 urte."); /* the failed PUTs changed nothing */
	CHECK_INT(json_array_size(json_object_get(t1, "subjects")), 2);
	CHECK_STR(json_string_value(json_array_get(json_object_get(t1, "subjects"), 0)), "maths");
	CHECK_STR(json_string_value(json_array_get(json_object_get(t1, "subjects"), 1)), "physics");
	CHECK_STR(json_str(t2, "full_name"), "Leire Irakaslea");
	CHECK_STR(json_str(t2, "bio"), "Matematikaria.");
	CHECK_INT(json_array_size(json_object_get(t3, "subjects")), 1);
	CHECK_STR(json_string_value(json_array_get(json_object_get(t3, "subjects"), 0)), "history");
	CHECK_STR(json_str(t3, "bio"), "Historialaria.");
	http_response_free(&r);
	/* A student reads it too. */
	CHECK_INT(api_status(&st[0], "GET", "/api/v1/tutors", NULL), 200);
}

/* ---- availability ------------------------------------------------------------ */

static void test_availability(void)
{
	struct http_response r;
	char path[80];
	snprintf(path, sizeof path, "/api/v1/tutors/%lld/availability", (long long)staff_id);

	/* Public read; a new tutor has no windows. */
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_array(http_json(&r, "windows")));
	CHECK_INT(json_array_size(http_json(&r, "windows")), 0);
	http_response_free(&r);

	/* Not a tutor: a student user, an unknown id. */
	char other[80];
	snprintf(other, sizeof other, "/api/v1/tutors/%lld/availability",
		 (long long)student_user_id);
	CHECK(api_call(&anon, "GET", other, NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/tutors/999999/availability", NULL), 404);
	snprintf(other, sizeof other, "/api/v1/tutors/%lld/availability", (long long)admin_id);
	CHECK_INT(api_status(&anon, "GET", other, NULL), 404);
	CHECK_INT(
		api_status(
			&staff, "PUT", other,
			"{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"20:00\"}]}"),
		404);

	/* PUT sets the windows and answers with them. */
	CHECK(api_call(&staff, "PUT", path,
		       "{\"windows\":[{\"weekday\":1,\"starts\":\"09:00\",\"ends\":\"12:00\"},"
		       "{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"20:00\"}]}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "windows")), 2);
	http_response_free(&r);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "windows")), 2);
	json_t *w0 = json_array_get(http_json(&r, "windows"), 0);
	json_t *w1 = json_array_get(http_json(&r, "windows"), 1);
	CHECK_INT(json_int(w0, "weekday"), 1);
	CHECK_STR(json_str(w0, "starts"), "09:00");
	CHECK_STR(json_str(w0, "ends"), "12:00");
	CHECK_INT(json_int(w1, "weekday"), 2);
	CHECK_STR(json_str(w1, "starts"), "16:00");
	CHECK_STR(json_str(w1, "ends"), "20:00");
	http_response_free(&r);

	/* PUT replaces, it does not add. */
	put_windows(&staff, staff_id,
		    "{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"20:00\"}]}", 200);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "windows")), 1);
	CHECK_INT(json_int(json_array_get(http_json(&r, "windows"), 0), "weekday"), 2);
	http_response_free(&r);

	/* Overlapping windows of one weekday: 422 on windows, nothing changes. */
	CHECK(api_call(&staff, "PUT", path,
		       "{\"windows\":[{\"weekday\":3,\"starts\":\"16:00\",\"ends\":\"18:00\"},"
		       "{\"weekday\":3,\"starts\":\"17:00\",\"ends\":\"19:00\"}]}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(http_error_field(&r, "windows") != NULL);
	http_response_free(&r);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "windows")), 1);
	http_response_free(&r);

	/* The same hours on different weekdays do not overlap; touching windows are fine. */
	CHECK(api_call(&staff, "PUT", path,
		       "{\"windows\":[{\"weekday\":3,\"starts\":\"16:00\",\"ends\":\"18:00\"},"
		       "{\"weekday\":3,\"starts\":\"18:00\",\"ends\":\"20:00\"},"
		       "{\"weekday\":4,\"starts\":\"17:00\",\"ends\":\"19:00\"}]}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "windows")), 3);
	http_response_free(&r);

	/* Bad windows: 422 on "windows[i]", the index of the bad one. */
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"windows\":[{\"weekday\":0,\"starts\":\"16:00\",\"ends\":\"20:00\"}]}",
		 "windows[0]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"09:00\",\"ends\":\"10:00\"},"
		 "{\"weekday\":8,\"starts\":\"16:00\",\"ends\":\"20:00\"}]}",
		 "windows[1]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"25:00\",\"ends\":\"26:00\"}]}",
		 "windows[0]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"25:00\"}]}",
		 "windows[0]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"09:00\",\"ends\":\"10:00\"},"
		 "{\"weekday\":2,\"starts\":\"20:00\",\"ends\":\"16:00\"}]}",
		 "windows[1]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"16:00\"}]}",
		 "windows[0]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"4pm\",\"ends\":\"20:00\"}]}",
		 "windows[0]"},
		{"{\"windows\":[{\"weekday\":\"2\",\"starts\":\"16:00\",\"ends\":\"20:00\"}]}",
		 "windows[0]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\"}]}", "windows[0]"},
		{"{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"20:00\",\"room\":1}]}",
		 "windows[0]"},
		{"{\"windows\":{\"weekday\":2}}", "windows"},
		{"{}", "windows"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(api_call(&staff, "PUT", path, bad[i].body, &r));
		CHECK_INT(r.status, 422);
		CHECK(http_error_field(&r, bad[i].field) != NULL);
		if (r.status != 422 || !http_error_field(&r, bad[i].field))
			fprintf(stderr, "  body %s -> %d %s\n", bad[i].body, r.status, r.body);
		http_response_free(&r);
	}
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "windows")), 3); /* unchanged */
	http_response_free(&r);

	/* Who may write. */
	static const char body[] =
		"{\"windows\":[{\"weekday\":6,\"starts\":\"10:00\",\"ends\":\"12:00\"}]}";
	CHECK(api_call(&st[0], "PUT", path, body, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "PUT", path, body), 401);

	/* The windows the slot tests use: Tuesday 16:00-20:00 for the three
	 * tutors; the chemistry tutor all day every day. */
	static const char tuesday[] =
		"{\"windows\":[{\"weekday\":2,\"starts\":\"16:00\",\"ends\":\"20:00\"}]}";
	put_windows(&staff, staff_id, tuesday, 200);
	put_windows(&staff2, staff2_id, tuesday, 200);
	put_windows(&admin, staff3_id, tuesday, 200);
	CHECK(api_call(&staff, "PUT", "/api/v1/tutors/0/availability", tuesday, &r));
	CHECK(r.status == 404 || r.status == 422);
	http_response_free(&r);
	char all_week[512];
	int n = snprintf(all_week, sizeof all_week, "{\"windows\":[");
	for (int d = 1; d <= 7; d++)
		n += snprintf(all_week + n, sizeof all_week - (size_t)n,
			      "%s{\"weekday\":%d,\"starts\":\"00:00\",\"ends\":\"24:00\"}",
			      d > 1 ? "," : "", d);
	snprintf(all_week + n, sizeof all_week - (size_t)n, "]}");
	put_windows(&staff, staff4_id, all_week, 200);
	snprintf(other, sizeof other, "/api/v1/tutors/%lld/availability", (long long)staff4_id);
	CHECK(api_call(&anon, "GET", other, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "windows")), 7);
	CHECK_STR(json_str(json_array_get(http_json(&r, "windows"), 0), "ends"), "24:00");
	http_response_free(&r);
}

/* ---- services ---------------------------------------------------------------- */

static void test_services(void)
{
	struct http_response r;

	CHECK(api_call(&staff, "POST", "/api/v1/services",
		       "{\"name\":\"Matematika, banakakoa\",\"subject\":\"maths\",\"level\":\"B1\","
		       "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3500}",
		       &r));
	CHECK_INT(r.status, 201);
	svc_p60 = json_int(r.json, "id");
	CHECK(svc_p60 > 0);
	CHECK_STR(json_str(r.json, "name"), "Matematika, banakakoa");
	CHECK_STR(json_str(r.json, "subject"), "maths");
	CHECK_STR(json_str(r.json, "level"), "B1");
	CHECK_STR(json_str(r.json, "kind"), "private");
	CHECK_INT(json_int(r.json, "duration_min"), 60);
	CHECK_INT(json_int(r.json, "price_cents"), 3500);
	CHECK_INT(json_int(r.json, "capacity"), 1);
	CHECK(json_is_true(http_json(&r, "active")));
	http_response_free(&r);

	CHECK(api_call(
		&admin, "POST", "/api/v1/services",
		"{\"name\":\"Matematika taldean\",\"subject\":\"maths\",\"level\":\"B1\","
		"\"kind\":\"group\",\"duration_min\":60,\"price_cents\":1800,\"capacity\":3}",
		&r));
	CHECK_INT(r.status, 201);
	svc_g60 = json_int(r.json, "id");
	CHECK_STR(json_str(r.json, "kind"), "group");
	CHECK_INT(json_int(r.json, "capacity"), 3);
	http_response_free(&r);

	svc_p90 = create_service("{\"name\":\"Matematika luzea\",\"subject\":\"maths\","
				 "\"kind\":\"private\",\"duration_min\":90,\"price_cents\":5000,"
				 "\"capacity\":1}");
	svc_hist = create_service("{\"name\":\"Historia\",\"subject\":\"history\","
				  "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3000}");
	svc_chem = create_service("{\"name\":\"Kimika\",\"subject\":\"chemistry\","
				  "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3000}");
	svc_inactive = create_service(
		"{\"name\":\"Latina (zaharra)\",\"subject\":\"maths\","
		"\"kind\":\"private\",\"duration_min\":60,\"price_cents\":100}");

	/* Bad services: 422 on the field, nothing made. */
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":60,"
		 "\"price_cents\":100,\"capacity\":3}",
		 "capacity"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"group\",\"duration_min\":60,"
		 "\"price_cents\":100}",
		 "capacity"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"workshop\",\"duration_min\":60,"
		 "\"price_cents\":100}",
		 "capacity"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":60,"
		 "\"price_cents\":-1}",
		 "price_cents"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":4,"
		 "\"price_cents\":100}",
		 "duration_min"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":601,"
		 "\"price_cents\":100}",
		 "duration_min"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"lecture\",\"duration_min\":60,"
		 "\"price_cents\":100}",
		 "kind"},
		{"{\"name\":\"X\",\"subject\":\"Maths\",\"kind\":\"private\",\"duration_min\":60,"
		 "\"price_cents\":100}",
		 "subject"},
		{"{\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":60,"
		 "\"price_cents\":100}",
		 "name"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":60,"
		 "\"price_cents\":100,\"room\":\"B\"}",
		 "room"},
		{"{\"id\":5,\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"private\","
		 "\"duration_min\":60,\"price_cents\":100}",
		 "id"},
		{"{\"name\":\"X\",\"subject\":\"maths\",\"kind\":\"group\",\"duration_min\":60,"
		 "\"price_cents\":100,\"capacity\":0}",
		 "capacity"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(api_call(&staff, "POST", "/api/v1/services", bad[i].body, &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		CHECK(http_error_field(&r, bad[i].field) != NULL);
		if (r.status != 422 || !http_error_field(&r, bad[i].field))
			fprintf(stderr, "  body %s -> %d %s\n", bad[i].body, r.status, r.body);
		http_response_free(&r);
	}
	/* Durations 5 and 600 are the limits, both allowed. */
	json_int_t five = create_service(
		"{\"name\":\"Galdera azkarra\",\"subject\":\"misc\","
		"\"kind\":\"private\",\"duration_min\":5,\"price_cents\":0}");
	json_int_t long_one = create_service("{\"name\":\"Eguneko ikastaroa\",\"subject\":\"misc\","
					     "\"kind\":\"workshop\",\"duration_min\":600,"
					     "\"price_cents\":10000,\"capacity\":20}");
	CHECK(five > 0 && long_one > 0);

	/* Who may write. */
	static const char ok_body[] =
		"{\"name\":\"Y\",\"subject\":\"maths\",\"kind\":\"private\",\"duration_min\":60,"
		"\"price_cents\":100}";
	CHECK(api_call(&st[0], "POST", "/api/v1/services", ok_body, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "POST", "/api/v1/services", ok_body), 401);

	/* PATCH changes what it names and keeps the rest. */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/services/%lld", (long long)svc_p60);
	CHECK(api_call(&staff, "PATCH", path, "{\"price_cents\":3600,\"level\":\"B2\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_int(r.json, "id"), svc_p60);
	CHECK_INT(json_int(r.json, "price_cents"), 3600);
	CHECK_STR(json_str(r.json, "level"), "B2");
	CHECK_STR(json_str(r.json, "name"), "Matematika, banakakoa");
	CHECK_STR(json_str(r.json, "subject"), "maths");
	CHECK_STR(json_str(r.json, "kind"), "private");
	CHECK_INT(json_int(r.json, "duration_min"), 60);
	CHECK_INT(json_int(r.json, "capacity"), 1);
	CHECK(json_is_true(http_json(&r, "active")));
	http_response_free(&r);
	/* ... and it sticks: the public list shows it. */
	CHECK(api_call(&anon, "GET", "/api/v1/services", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *p60 = find_id(http_json(&r, "items"), svc_p60);
	CHECK(p60 != NULL);
	CHECK_INT(json_int(p60, "price_cents"), 3600);
	CHECK_STR(json_str(p60, "level"), "B2");
	CHECK_STR(json_str(p60, "name"), "Matematika, banakakoa");
	http_response_free(&r);

	/* A private service keeps capacity 1; bad values are refused. */
	CHECK(api_call(&staff, "PATCH", path, "{\"capacity\":3}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "capacity") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"duration_min\":601}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "duration_min") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"kind\":\"lecture\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "kind") != NULL);
	http_response_free(&r);
	CHECK(api_call(&anon, "GET", "/api/v1/services", NULL, &r));
	p60 = find_id(http_json(&r, "items"), svc_p60);
	CHECK(p60 && json_int(p60, "capacity") == 1 && json_int(p60, "duration_min") == 60);
	http_response_free(&r);

	CHECK(api_call(&staff, "PATCH", "/api/v1/services/999999", "{\"price_cents\":1}", &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&st[0], "PATCH", path, "{\"price_cents\":1}"), 403);
	CHECK_INT(api_status(&anon, "PATCH", path, "{\"price_cents\":1}"), 401);

	/* Inactive services: hidden from the public and students, listed for staff. */
	snprintf(path, sizeof path, "/api/v1/services/%lld", (long long)svc_inactive);
	CHECK(api_call(&staff, "PATCH", path, "{\"active\":false}", &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_false(http_json(&r, "active")));
	CHECK_STR(json_str(r.json, "name"), "Latina (zaharra)");
	http_response_free(&r);
	struct api_client *readers[] = {&anon, &st[0], &staff, &admin};
	for (size_t i = 0; i < 4; i++) {
		CHECK(api_call(readers[i], "GET", "/api/v1/services", NULL, &r));
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items");
		CHECK(find_id(items, svc_p60) != NULL);
		CHECK(find_id(items, svc_g60) != NULL);
		json_t *old = find_id(items, svc_inactive);
		if (i < 2) {
			CHECK(old == NULL);
		} else {
			CHECK(old != NULL);
			CHECK(old && json_is_false(json_object_get(old, "active")));
		}
		http_response_free(&r);
	}
}

/* ---- slots ---------------------------------------------------------------------- */

static void test_slots_validation(void)
{
	struct http_response r;
	char path[256], a[16], b[16];
	api_day_text(next_tuesday, a);

	CHECK(api_call(&anon, "GET", "/api/v1/slots", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);

	snprintf(path, sizeof path, "/api/v1/slots?from=%s&to=%s", a, a);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);

	snprintf(path, sizeof path, "/api/v1/slots?service_id=999999&from=%s&to=%s", a, a);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);

	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
		 (long long)svc_inactive, a, a);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);

	snprintf(path, sizeof path, "/api/v1/slots?service_id=abc&from=%s&to=%s", a, a);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);

	/* 32 days is over the limit; 31 is fine. */
	api_day_text(today + 31, b);
	char t[16];
	api_day_text(today, t);
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
		 (long long)svc_p60, t, b);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "to") != NULL);
	http_response_free(&r);
	api_day_text(today + 30, b);
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
		 (long long)svc_p60, t, b);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	/* Four or five Tuesdays, two maths tutors, four slots each (today's may be past). */
	size_t n = json_array_size(http_json(&r, "items"));
	CHECK(n >= 3 * 8 && n <= 5 * 8);
	http_response_free(&r);

	/* to before from. */
	api_day_text(next_tuesday - 1, b);
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
		 (long long)svc_p60, a, b);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "to") != NULL);
	http_response_free(&r);

	/* Bad dates. */
	static const char *const bad_dates[] = {"2031-02-30", "2031-13-01", "tomorrow", "2031-1-5",
						"2031-01-05T10:00:00Z"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
			 (long long)svc_p60, bad_dates[i], a);
		CHECK(api_call(&anon, "GET", path, NULL, &r));
		CHECK_INT(r.status, 422);
		CHECK(http_error_field(&r, "from") != NULL);
		http_response_free(&r);
		snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
			 (long long)svc_p60, a, bad_dates[i]);
		CHECK(api_call(&anon, "GET", path, NULL, &r));
		CHECK_INT(r.status, 422);
		CHECK(http_error_field(&r, "to") != NULL);
		http_response_free(&r);
	}
}

static void test_slots_grid(void)
{
	struct http_response r;
	char at[4][HM_RFC3339_LEN], end[4][HM_RFC3339_LEN];
	for (int h = 0; h < 4; h++) {
		local_text(next_tuesday, (16 + h) * 60, at[h]);
		local_text(next_tuesday, (17 + h) * 60, end[h]);
	}

	/* 60-minute private maths: 16, 17, 18, 19 local for both maths tutors, sorted by
	 * time then tutor, so the tutors alternate with the lower id first. */
	get_slots(svc_p60, 0, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 8);
	for (size_t i = 0; i < json_array_size(items) && i < 8; i++) {
		json_t *it = json_array_get(items, i);
		CHECK_INT(json_int(it, "tutor_id"), i % 2 == 0 ? staff_id : staff2_id);
		CHECK_STR(json_str(it, "starts_at"), at[i / 2]);
		CHECK_STR(json_str(it, "ends_at"), end[i / 2]);
		CHECK_INT(json_int(it, "seats_left"), 1);
	}
	CHECK_INT(count_of(items, staff3_id), 0); /* history only: not a maths tutor */
	CHECK_INT(count_of(items, staff4_id), 0);
	http_response_free(&r);

	/* The same Tuesday within a longer range: the same 8 items for that day, in
	 * order across days. */
	get_slots(svc_p60, 0, next_tuesday - 1, next_tuesday + 1, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 8);
	http_response_free(&r);
	get_slots(svc_p60, 0, next_tuesday, next_tuesday + 7, &r);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 16);
	bool sorted = true;
	for (size_t i = 1; i < json_array_size(items); i++) {
		json_t *p = json_array_get(items, i - 1), *q = json_array_get(items, i);
		int c = strcmp(json_str(p, "starts_at"), json_str(q, "starts_at"));
		if (c > 0 || (c == 0 && json_int(p, "tutor_id") >= json_int(q, "tutor_id")))
			sorted = false;
	}
	CHECK(sorted);
	http_response_free(&r);

	/* ?tutor_id= filters. */
	get_slots(svc_p60, staff2_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 4);
	CHECK_INT(count_of(items, staff2_id), 4);
	CHECK_STR(json_str(json_array_get(items, 0), "starts_at"), at[0]);
	CHECK_STR(json_str(json_array_get(items, 3), "starts_at"), at[3]);
	http_response_free(&r);

	/* A tutor who does not teach the subject has no slots, window or not. */
	get_slots(svc_p60, staff3_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
	get_slots(svc_hist, 0, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 4);
	CHECK_INT(count_of(http_json(&r, "items"), staff3_id), 4);
	http_response_free(&r);

	/* 90 minutes in a 4-hour window: 16:00 and 17:30 only (19:00 would end at
	 * 20:30, past the window). */
	char half[HM_RFC3339_LEN], half_end[HM_RFC3339_LEN];
	local_text(next_tuesday, 17 * 60 + 30, half);
	local_text(next_tuesday, 19 * 60, half_end);
	get_slots(svc_p90, staff_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 2);
	CHECK_STR(json_str(json_array_get(items, 0), "starts_at"), at[0]);
	CHECK_STR(json_str(json_array_get(items, 0), "ends_at"), half);
	CHECK_STR(json_str(json_array_get(items, 1), "starts_at"), half);
	CHECK_STR(json_str(json_array_get(items, 1), "ends_at"), half_end);
	http_response_free(&r);
	get_slots(svc_p90, 0, next_tuesday, next_tuesday, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 4);
	http_response_free(&r);

	/* A group service shows its capacity as seats. */
	get_slots(svc_g60, 0, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 8);
	CHECK_INT(slot_seats(items, staff_id, at[0]), 3);
	CHECK_INT(slot_seats(items, staff2_id, at[3]), 3);
	http_response_free(&r);

	/* No windows on the other days of that week for the maths tutors. */
	get_slots(svc_p60, 0, next_tuesday + 1, next_tuesday + 5, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
}

static void test_slots_after_booking(void)
{
	struct http_response r;
	char at[4][HM_RFC3339_LEN], half[HM_RFC3339_LEN];
	for (int h = 0; h < 4; h++)
		local_text(next_tuesday, (16 + h) * 60, at[h]);
	local_text(next_tuesday, 17 * 60 + 30, half);

	/* A student books tutor 1 at 17:00 for the 60-minute private class. */
	CHECK_INT(book(&st[0], svc_p60, staff_id, at[1], &r), 201);
	CHECK_STR(json_str(r.json, "starts_at"), at[1]);
	CHECK_STR(json_str(r.json, "status"), "booked");
	http_response_free(&r);

	/* That slot is gone for tutor 1, the other tutor keeps it. */
	get_slots(svc_p60, 0, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 7);
	CHECK_INT(slot_seats(items, staff_id, at[1]), -1);
	CHECK_INT(slot_seats(items, staff2_id, at[1]), 1);
	CHECK_INT(slot_seats(items, staff_id, at[0]), 1);
	CHECK_INT(slot_seats(items, staff_id, at[2]), 1);
	http_response_free(&r);

	/* A tutor teaches one lesson at a time, whatever the service: the 90-minute
	 * slots 16:00-17:30 and 17:30-19:00 both overlap 17:00-18:00, and the group
	 * session at 17:00 is gone too. */
	get_slots(svc_p90, staff_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
	get_slots(svc_p90, staff2_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	http_response_free(&r);
	get_slots(svc_g60, staff_id, next_tuesday, next_tuesday, &r);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 3);
	CHECK_INT(slot_seats(items, staff_id, at[1]), -1);
	CHECK_INT(slot_seats(items, staff_id, at[0]), 3);
	http_response_free(&r);

	/* Someone else cannot have it. */
	CHECK_INT(book(&st[1], svc_p60, staff_id, at[1], &r), 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);
	CHECK_INT(book(&st[1], svc_p90, staff_id, half, &r), 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);
}

static void test_group_seats(void)
{
	struct http_response r;
	char at[HM_RFC3339_LEN];
	local_text(next_tuesday, 19 * 60, at);

	get_slots(svc_g60, staff2_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(slot_seats(http_json(&r, "items"), staff2_id, at), 3);
	http_response_free(&r);
	json_int_t first_seat = 0;
	for (int i = 0; i < 3; i++) {
		CHECK_INT(book(&st[i], svc_g60, staff2_id, at, &r), 201);
		if (i == 0)
			first_seat = json_int(r.json, "id");
		http_response_free(&r);
		get_slots(svc_g60, 0, next_tuesday, next_tuesday, &r);
		CHECK_INT(r.status, 200);
		/* 2, 1, then gone (-1) when full. */
		CHECK_INT(slot_seats(http_json(&r, "items"), staff2_id, at), i < 2 ? 2 - i : -1);
		/* The other tutor's session at that time is untouched. */
		CHECK_INT(slot_seats(http_json(&r, "items"), staff_id, at), 3);
		http_response_free(&r);
		/* The tutor is teaching then: no private class at 19:00 either. */
		get_slots(svc_p60, staff2_id, next_tuesday, next_tuesday, &r);
		CHECK_INT(slot_seats(http_json(&r, "items"), staff2_id, at), -1);
		CHECK_INT(json_array_size(http_json(&r, "items")), 3);
		http_response_free(&r);
	}
	/* A fourth student finds it full. */
	CHECK_INT(book(&st[3], svc_g60, staff2_id, at, &r), 409);
	CHECK_STR(http_error_code(&r), "full");
	http_response_free(&r);
	/* A private booking on top of the group session is refused. */
	CHECK_INT(book(&st[3], svc_p60, staff2_id, at, &r), 409);
	CHECK_STR(http_error_code(&r), "slot_taken");
	http_response_free(&r);

	/* A seat given back (staff cancel the first student's lesson) is offered again,
	 * and taken again. */
	char path[80];
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)first_seat);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	get_slots(svc_g60, staff2_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(slot_seats(http_json(&r, "items"), staff2_id, at), 1);
	http_response_free(&r);
	CHECK_INT(book(&st[3], svc_g60, staff2_id, at, &r), 201);
	http_response_free(&r);
	get_slots(svc_g60, staff2_id, next_tuesday, next_tuesday, &r);
	CHECK_INT(slot_seats(http_json(&r, "items"), staff2_id, at), -1);
	http_response_free(&r);
}

static void test_no_past_slots(void)
{
	struct http_response r;
	char first[HM_RFC3339_LEN], now_text[HM_RFC3339_LEN];
	local_text(today, 0, first);

	/* The chemistry tutor is available all day, every day, with a 60-minute class:
	 * today only the hours still to start are offered. */
	int64_t before = hm_time_now();
	get_slots(svc_chem, 0, today, today, &r);
	int64_t after = hm_time_now();
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	hm_time_format(before, now_text);
	size_t i;
	json_t *it;
	bool all_future = true;
	json_array_foreach(items, i, it)
	{
		const char *s = json_str(it, "starts_at");
		if (!s || strcmp(s, now_text) <= 0)
			all_future = false;
	}
	CHECK(all_future);
	CHECK_INT(slot_seats(items, staff4_id, first), -1); /* today 00:00 is past */
	/* Exactly the whole hours that start after now. */
	size_t expect_before = 0, expect_after = 0;
	for (int m = 0; m + 60 <= 24 * 60; m += 60) {
		int64_t s = hm_local_instant(today, m);
		int64_t day;
		int wd;
		hm_local_day(s, &day, &wd);
		if (day != today || hm_local_minute(s) != m)
			continue; /* a daylight-saving change: not counted here */
		expect_before += s > before;
		expect_after += s > after;
	}
	if (expect_before == expect_after)
		CHECK_INT(json_array_size(items), expect_before);
	http_response_free(&r);

	/* Tomorrow has all 24 (unless the clocks change). */
	get_slots(svc_chem, staff4_id, today + 1, today + 1, &r);
	CHECK_INT(r.status, 200);
	size_t n = json_array_size(http_json(&r, "items"));
	CHECK(n >= 23 && n <= 25);
	http_response_free(&r);

	/* Yesterday: nothing at all. */
	get_slots(svc_chem, staff4_id, today - 1, today - 1, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
}

/* The local day (after today) whose noon has another UTC offset than the day
 * before's: the day of the next daylight-saving change, or 0 when none comes. */
static int64_t next_offset_change(void)
{
	long prev = 0;
	for (int64_t d = today; d < today + 400; d++) {
		time_t t = (time_t)hm_local_instant(d, 12 * 60);
		struct tm tm;
		localtime_r(&t, &tm);
		if (d > today && tm.tm_gmtoff != prev)
			return d;
		prev = tm.tm_gmtoff;
	}
	return 0;
}

static void local_clock(const char *instant, int64_t *day, int *hour, int *minute)
{
	int64_t t = 0;
	int wd;
	hm_time_parse(instant ? instant : "", &t);
	hm_local_day(t, day, &wd);
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	*hour = tm.tm_hour;
	*minute = tm.tm_min;
}

static void test_slots_across_dst(void)
{
	struct http_response r;
	int64_t change = next_offset_change();
	if (!change) {
		fprintf(stderr, "  no daylight-saving change ahead: skipped\n");
		return;
	}
	time_t before_noon = (time_t)hm_local_instant(change - 1, 12 * 60);
	time_t after_noon = (time_t)hm_local_instant(change, 12 * 60);
	struct tm b, a;
	localtime_r(&before_noon, &b);
	localtime_r(&after_noon, &a);
	bool spring = a.tm_gmtoff > b.tm_gmtoff;
	int64_t wd_day;
	int wd;
	hm_local_day((int64_t)after_noon, &wd_day, &wd);
	int64_t tue_before = change - (wd - 2 + 7) % 7;
	int64_t tue_after = change + ((2 - wd + 7) % 7 ? (2 - wd + 7) % 7 : 7);

	/* Tuesday 16:00-20:00 stays 16:00-20:00 local on both sides of the change. */
	if (tue_before > today) {
		get_slots(svc_hist, staff3_id, tue_before, tue_after, &r);
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items");
		CHECK_INT(json_array_size(items), 8);
		for (size_t i = 0; i < json_array_size(items) && i < 8; i++) {
			int64_t day;
			int hour, minute;
			local_clock(json_str(json_array_get(items, i), "starts_at"), &day, &hour,
				    &minute);
			CHECK_INT(day, i < 4 ? tue_before : tue_after);
			CHECK_INT(hour, 16 + (int)(i % 4));
			CHECK_INT(minute, 0);
		}
		/* ... which is another UTC time. */
		CHECK(json_array_size(items) == 8 &&
		      strcmp(json_str(json_array_get(items, 0), "starts_at") + 10,
			     json_str(json_array_get(items, 4), "starts_at") + 10) != 0);
		http_response_free(&r);
	}

	/* An all-day window on the day of the change: one slot per wall-clock hour
	 * that exists, never twice the same instant. */
	get_slots(svc_chem, staff4_id, change, change, &r);
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), spring ? 23 : 24);
	bool hours_seen[24] = {false}, once = true;
	for (size_t i = 0; i < json_array_size(items); i++) {
		int64_t day;
		int hour, minute;
		local_clock(json_str(json_array_get(items, i), "starts_at"), &day, &hour, &minute);
		if (day != change || minute != 0 || hours_seen[hour])
			once = false;
		else
			hours_seen[hour] = true;
		if (i > 0 && strcmp(json_str(json_array_get(items, i - 1), "starts_at"),
				    json_str(json_array_get(items, i), "starts_at")) >= 0)
			once = false;
	}
	CHECK(once);
	http_response_free(&r);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	hm_local_day(hm_time_now(), &today, &today_weekday);
	next_tuesday = today - (today_weekday - 1) + 7 + 1;

	if (!ts_start(&server, trusted_args))
		return 1;
	if (!ts_add_user(&server, "admin", "amaia@cat.test", "Amaia Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "iker@cat.test", "Iker Irakaslea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "leire@cat.test", "Leire Irakaslea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "jon@cat.test", "Jon Historialaria", PASSWORD) ||
	    !ts_add_user(&server, "staff", "maite@cat.test", "Maite Kimikaria", PASSWORD) ||
	    !ts_add_user(&server, "staff", "unai@cat.test", "Unai Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(test_setup_users);
	RUN(test_tutors_put_and_list);
	RUN(test_availability);
	RUN(test_services);
	RUN(test_slots_validation);
	RUN(test_slots_grid);
	RUN(test_slots_after_booking);
	RUN(test_group_seats);
	RUN(test_no_past_slots);
	RUN(test_slots_across_dst);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
