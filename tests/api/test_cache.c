// SPDX-License-Identifier: MIT
// Reads are cached (response_cache.h: public ones, and a user's own, keyed by the
// user), and a read after a committed write
// never shows the old data: each public list is read until it must be cached, then
// changed through the API (or by another process's SQL), and the
// very next read — on fresh connections, so both worker threads answer — shows the
// change. Runs on the demo business.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

static struct test_server server;
static struct api_client anon, student, staff, admin;

#define READS 6 /* per check: enough fresh connections to reach both workers */

/* GET path anonymously READS times; true when every answer is 200 and contains
 * (or, with want false, lacks) needle. */
static bool reads_show(const char *path, const char *needle, bool want)
{
	bool all = true;
	for (int i = 0; i < READS; i++) {
		struct http_response r;
		api_call(&anon, "GET", path, NULL, &r);
		bool has = r.body && strstr(r.body, needle) != NULL;
		if (r.status != 200 || has != want) {
			fprintf(stderr, "GET %s (read %d): status %d, %s \"%s\"\n", path, i,
				r.status, want ? "missing" : "still has", needle);
			all = false;
		}
		http_response_free(&r);
	}
	return all;
}

static void test_slots_follow_bookings_and_cancellations(void)
{
	struct http_response r;
	int64_t today;
	int weekday;
	char from[16], to[16], path[256], body[256], needle[64];
	hm_local_day(hm_time_now(), &today, &weekday);
	api_day_text(today + 2, from);
	api_day_text(today + 8, to);

	api_call(&anon, "GET", "/api/v1/services", NULL, &r);
	json_t *services = http_json(&r, "items");
	json_int_t service_id = 0;
	for (size_t i = 0; i < json_array_size(services) && !service_id; i++) {
		json_t *s = json_array_get(services, i);
		if (json_integer_value(json_object_get(s, "capacity")) == 1)
			service_id = json_integer_value(json_object_get(s, "id"));
	}
	http_response_free(&r);
	CHECK(service_id > 0);

	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&from=%s&to=%s",
		 (long long)service_id, from, to);
	api_call(&anon, "GET", path, NULL, &r);
	json_t *first = json_array_get(http_json(&r, "items"), 0);
	CHECK(first != NULL);
	if (!first) {
		http_response_free(&r);
		return;
	}
	json_int_t tutor_id = json_integer_value(json_object_get(first, "tutor_id"));
	char starts[HM_RFC3339_LEN];
	snprintf(starts, sizeof starts, "%s", json_str(first, "starts_at"));
	http_response_free(&r);
	snprintf(needle, sizeof needle, "\"tutor_id\":%lld,\"starts_at\":\"%s\"",
		 (long long)tutor_id, starts);
	CHECK(reads_show(path, needle, true));

	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service_id, (long long)tutor_id, starts);
	api_call(&student, "POST", "/api/v1/lessons", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t lesson_id = json_integer_value(http_json(&r, "id"));
	http_response_free(&r);
	CHECK(reads_show(path, needle, false));

	char cancel[96];
	snprintf(cancel, sizeof cancel, "/api/v1/lessons/%lld/cancel", (long long)lesson_id);
	CHECK_INT(api_status(&student, "POST", cancel, NULL), 200);
	CHECK(reads_show(path, needle, true));
}

static void test_services_tiers_gifts_channels_follow_writes(void)
{
	struct http_response r;
	api_call(&anon, "GET", "/api/v1/services", NULL, &r);
	json_t *svc = json_array_get(http_json(&r, "items"), 0);
	json_int_t service_id = json_integer_value(json_object_get(svc, "id"));
	http_response_free(&r);
	CHECK(reads_show("/api/v1/services", "\"price_cents\":12345", false));
	char path[96];
	snprintf(path, sizeof path, "/api/v1/services/%lld", (long long)service_id);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"price_cents\":12345}"), 200);
	CHECK(reads_show("/api/v1/services", "\"price_cents\":12345", true));

	CHECK(reads_show("/api/v1/discount-tiers", "\"percent\":7", false));
	CHECK_INT(
		api_status(
			&admin, "PUT", "/api/v1/discount-tiers",
			"{\"items\":[{\"from_ordinal\":3,\"percent\":7},"
			"{\"from_ordinal\":4,\"percent\":10},{\"from_ordinal\":5,\"percent\":15}]}"),
		200);
	CHECK(reads_show("/api/v1/discount-tiers", "\"percent\":7", true));

	api_call(&anon, "GET", "/api/v1/gifts", NULL, &r);
	json_int_t gift_id = json_integer_value(
		json_object_get(json_array_get(http_json(&r, "items"), 0), "id"));
	http_response_free(&r);
	CHECK(reads_show("/api/v1/gifts", "Proba-oparia", false));
	snprintf(path, sizeof path, "/api/v1/gifts/%lld", (long long)gift_id);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"name\":\"Proba-oparia\"}"), 200);
	CHECK(reads_show("/api/v1/gifts", "Proba-oparia", true));

	api_call(&anon, "GET", "/api/v1/channels", NULL, &r);
	json_int_t channel_id = json_integer_value(
		json_object_get(json_array_get(http_json(&r, "items"), 0), "id"));
	http_response_free(&r);
	CHECK(reads_show("/api/v1/channels", "Harreman proba-lerroa", false));
	snprintf(path, sizeof path, "/api/v1/channels/%lld", (long long)channel_id);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"label\":\"Harreman proba-lerroa\"}"), 200);
	CHECK(reads_show("/api/v1/channels", "Harreman proba-lerroa", true));
}

/* An operator's own SQL (here: this test process's connection) changes a service. */
static void test_another_process_writing_is_seen(void)
{
	CHECK(reads_show("/api/v1/services", "Kanpotik aldatua", false));
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(server.db, &db) == SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	CHECK(sqlite3_exec(db,
			   "UPDATE services SET name = 'Kanpotik aldatua' WHERE id ="
			   " (SELECT min(id) FROM services WHERE active = 1)",
			   NULL, NULL, NULL) == SQLITE_OK);
	CHECK_INT(sqlite3_changes(db), 1);
	sqlite3_close(db);
	CHECK(reads_show("/api/v1/services", "Kanpotik aldatua", true));
}

/* c's GET path READS times; true when every answer is 200 and contains (or, with
 * want false, lacks) needle. */
static bool own_reads_show(struct api_client *c, const char *path, const char *needle, bool want)
{
	bool all = true;
	for (int i = 0; i < READS; i++) {
		struct http_response r;
		api_call(c, "GET", path, NULL, &r);
		bool has = r.body && strstr(r.body, needle) != NULL;
		if (r.status != 200 || has != want) {
			fprintf(stderr, "GET %s (read %d): status %d, %s \"%s\"\n", path, i,
				r.status, want ? "missing" : "still has", needle);
			all = false;
		}
		http_response_free(&r);
	}
	return all;
}

/* A user's own reads are cached per user: another student, reading the same URL
 * right after, gets its own answer; and the user's next read after a write of
 * theirs shows it. */
static void test_private_reads_are_per_user_and_follow_writes(void)
{
	struct api_client ane;
	struct http_response r;
	api_client_init(&ane, server.port);
	CHECK_INT(api_login(&ane, DEMO_STUDENT), 200);
	api_call(&ane, "GET", "/api/v1/me/client", NULL, &r);
	char ane_client[48];
	snprintf(ane_client, sizeof ane_client, "\"client_id\":%lld,",
		 (long long)json_integer_value(json_object_get(r.json, "id")));
	http_response_free(&r);
	/* Ane's contracts, cached; the other student's list is its own. */
	CHECK(own_reads_show(&ane, "/api/v1/me/contracts", ane_client, true));
	CHECK(own_reads_show(&student, "/api/v1/me/contracts", ane_client, false));
	api_call(&student, "GET", "/api/v1/me/loyalty", NULL, &r);
	long long before = (long long)json_integer_value(json_object_get(r.json, "contracts"));
	http_response_free(&r);
	char count[48];
	snprintf(count, sizeof count, "\"contracts\":%lld,", before);
	CHECK(own_reads_show(&student, "/api/v1/me/loyalty", count, true));
	CHECK(own_reads_show(&ane, "/api/v1/me/lessons", ane_client, true));
	CHECK(own_reads_show(&student, "/api/v1/me/lessons", ane_client, false));
	/* The student buys: the very next reads show it. */
	api_call(&anon, "GET", "/api/v1/services", NULL, &r);
	long long service = (long long)json_integer_value(
		json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id"));
	http_response_free(&r);
	char body[96];
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\"}", service);
	CHECK_INT(api_status(&student, "POST", "/api/v1/me/contracts", body), 201);
	snprintf(count, sizeof count, "\"contracts\":%lld,", before + 1);
	CHECK(own_reads_show(&student, "/api/v1/me/loyalty", count, true));
}

int main(void)
{
	static const char *const args[] = {"--demo", NULL};
	if (!ts_start(&server, args))
		return 1;
	api_client_init(&anon, server.port);
	api_client_init(&staff, server.port);
	api_client_init(&admin, server.port);
	api_client_init(&student, server.port);
	CHECK_INT(api_login(&staff, DEMO_STAFF), 200);
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	CHECK_INT(api_register(&student, "cache@example.com", "pasahitz-luze-bat-2026",
			       "Katxe Ikaslea"),
		  201);
	RUN(test_slots_follow_bookings_and_cancellations);
	RUN(test_services_tiers_gifts_channels_follow_writes);
	RUN(test_another_process_writing_is_seen);
	RUN(test_private_reads_are_per_user_and_follow_writes);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
