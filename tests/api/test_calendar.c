// SPDX-License-Identifier: MIT
// Calendars (issue 7, item 5), read by a real iCalendar parser (python3-icalendar
// through tests/ical_check.py) after the octets were checked against RFC 5545:
// a student's lessons through its session and through its private feed URL
// (no login; the same URL every time and after a restart; rotating it makes the
// old URL 404), cancelled lessons as STATUS:CANCELLED, UTC times, stable UIDs and
// an unchanged feed while nothing changes; long non-ASCII names folded without
// splitting a character; a tutor's feed for staff; no other client's lesson in a
// feed; a deactivated student's feed gone; /calendar/ never served from web/.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "mailsink.h"

#define PW "calendar-test-password"
/* Commas, a semicolon, a backslash and accents, long enough to be folded. */
#define SERVICE "Matemáticas, álgebra; repaso \\ intensivo — grupo reducido de bachillerato"

static struct test_server server;
static const char *const args[] = {"--trusted-proxy", "127.0.0.1", NULL};
static struct api_client admin, staff, ane, unai, anon;
static json_int_t tutor_id, service_id, ane_user;
static json_int_t lessons[3];
static char feed_url[128];

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static int64_t today(void)
{
	int64_t day;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	return day;
}

static json_int_t book(struct api_client *c, int64_t day, int minute)
{
	char at[HM_RFC3339_LEN], body[256];
	struct http_response r;
	hm_time_format(hm_local_instant(day, minute), at);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service_id, (long long)tutor_id, at);
	api_call(c, "POST", "/api/v1/lessons", body, &r);
	json_int_t id = r.status == 201 ? ival(r.json, "id") : 0;
	if (r.status != 201)
		fprintf(stderr, "booking -> %d %s\n", r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

/* GETs path as c and checks the answer is a valid calendar; returns the checker's
 * verdict (caller owns) and the raw text in *text (caller frees) when asked. */
static json_t *feed(struct api_client *c, const char *path, char **text)
{
	struct http_response r;
	char type[128];
	api_call(c, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(http_header(&r, "Content-Type", type, sizeof type), "text/calendar; charset=utf-8");
	json_t *verdict = r.status == 200 ? ical_check(r.body, r.body_len) : NULL;
	CHECK(verdict != NULL);
	CHECK(json_is_true(json_object_get(verdict, "ok")));
	if (verdict && !json_is_true(json_object_get(verdict, "ok"))) {
		char *dump = json_dumps(json_object_get(verdict, "errors"), 0);
		fprintf(stderr, "%s: %s\n", path, dump);
		free(dump);
	}
	if (text)
		*text = r.body ? strdup(r.body) : NULL;
	http_response_free(&r);
	return verdict;
}

/* The event whose UID names lesson id, or NULL. */
static json_t *event_of(json_t *verdict, json_int_t id)
{
	char prefix[48];
	size_t i;
	json_t *e;
	snprintf(prefix, sizeof prefix, "lesson-%lld-", (long long)id);
	json_array_foreach(json_object_get(verdict, "events"), i, e)
		if (json_str(e, "uid") && strncmp(json_str(e, "uid"), prefix, strlen(prefix)) == 0)
			return e;
	return NULL;
}

static bool setup(void)
{
	char path[128];
	struct http_response r;
	if (!ts_add_user(&server, "admin", "admin@cal.test", "Cal Admin", PW) ||
	    !ts_add_user(&server, "staff", "amaia@cal.test", "Amaia Irakaslea", PW))
		return false;
	api_client_at(&admin, server.port, "10.6.0.1");
	api_client_at(&staff, server.port, "10.6.0.2");
	api_client_at(&ane, server.port, "10.6.0.3");
	api_client_at(&unai, server.port, "10.6.0.4");
	api_client_at(&anon, server.port, "10.6.0.5");
	if (api_login(&admin, "admin@cal.test", PW) != 200 ||
	    api_login(&staff, "amaia@cal.test", PW) != 200 ||
	    api_register(&ane, "ane@cal.test", PW, "Ane Ikaslea") != 201 ||
	    api_register(&unai, "unai@cal.test", PW, "Unai Besterik") != 201)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	api_call(&ane, "GET", "/api/v1/me", NULL, &r);
	ane_user = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	if (!api_make_tutor(&staff, tutor_id, "maths", NULL, 0, "08:00", "22:00"))
		return false;
	json_t *svc = json_pack("{s:s, s:s, s:s, s:i, s:i}", "name", SERVICE, "subject", "maths",
				"kind", "private", "duration_min", 90, "price_cents", 4000);
	char *text = json_dumps(svc, 0);
	api_call(&staff, "POST", "/api/v1/services", text, &r);
	service_id = r.status == 201 ? ival(r.json, "id") : 0;
	http_response_free(&r);
	free(text);
	json_decref(svc);
	lessons[0] = book(&ane, today() + 2, 9 * 60 + 30); /* slots every 90 min from 08:00 */
	lessons[1] = book(&ane, today() + 3, 17 * 60);
	lessons[2] = book(&unai, today() + 2, 12 * 60 + 30);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)lessons[1]);
	return service_id > 0 && lessons[0] && lessons[1] && lessons[2] &&
	       api_status(&ane, "POST", path, NULL) == 200;
}

static void test_session_feed(void)
{
	char *first = NULL, *second = NULL;
	json_t *v = feed(&ane, "/api/v1/me/calendar.ics", &first);
	CHECK_STR(json_str(v, "name"), "Harreman: Ane Ikaslea");
	CHECK_INT(json_array_size(json_object_get(v, "events")), 2);
	json_t *booked = event_of(v, lessons[0]), *cancelled = event_of(v, lessons[1]);
	CHECK(booked && cancelled);
	CHECK(event_of(v, lessons[2]) == NULL); /* Unai's */
	char at[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(today() + 2, 9 * 60 + 30), at);
	CHECK_STR(json_str(booked, "dtstart"), at);
	hm_time_format(hm_local_instant(today() + 2, 11 * 60), at);
	CHECK_STR(json_str(booked, "dtend"), at);
	CHECK_STR(json_str(booked, "status"), "CONFIRMED");
	CHECK_STR(json_str(cancelled, "status"), "CANCELLED");
	CHECK(ival(cancelled, "sequence") > ival(booked, "sequence"));
	/* TEXT escaping undone by the parser gives the names back exactly. */
	CHECK_STR(json_str(booked, "summary"), SERVICE ", Amaia Irakaslea");
	CHECK(json_str(booked, "dtstamp") != NULL);
	/* The long summary was folded, and the checker found every line whole. */
	CHECK(first && strstr(first, "\r\n ") != NULL);
	CHECK(first && strstr(first, "\\,") && strstr(first, "\\;") && strstr(first, "\\\\"));
	/* Nothing changed: the same bytes, so UIDs and DTSTAMPs are stable. */
	json_decref(feed(&ane, "/api/v1/me/calendar.ics", &second));
	CHECK(first && second && strcmp(first, second) == 0);
	free(first);
	free(second);
	json_decref(v);
	/* Only students have one; others are told so by the access rules. */
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/calendar.ics", NULL), 403);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/calendar.ics", NULL), 401);
}

static void test_private_url(void)
{
	struct http_response r;
	api_call(&ane, "GET", "/api/v1/me/calendar", NULL, &r);
	CHECK_INT(r.status, 200);
	const char *url = json_str(r.json, "url");
	CHECK(url && strncmp(url, "/calendar/", 10) == 0 && strlen(url) == 10 + 43 + 4 &&
	      strcmp(url + strlen(url) - 4, ".ics") == 0);
	snprintf(feed_url, sizeof feed_url, "%s", url ? url : "");
	http_response_free(&r);
	/* The same URL when asked again. */
	api_call(&ane, "GET", "/api/v1/me/calendar", NULL, &r);
	CHECK_STR(json_str(r.json, "url"), feed_url);
	http_response_free(&r);
	/* No login needed, and the same lessons as the session's feed. */
	char *by_session = NULL, *by_url = NULL;
	json_decref(feed(&ane, "/api/v1/me/calendar.ics", &by_session));
	json_t *v = feed(&anon, feed_url, &by_url);
	CHECK(by_session && by_url && strcmp(by_session, by_url) == 0);
	CHECK(event_of(v, lessons[0]) != NULL);
	json_decref(v);
	free(by_session);
	free(by_url);
	/* HEAD works; the token is never logged or shown elsewhere. */
	CHECK_INT(api_status(&anon, "HEAD", feed_url, NULL), 200);
	/* Unai's URL is another one, with Unai's lessons only. */
	api_call(&unai, "GET", "/api/v1/me/calendar", NULL, &r);
	const char *other = json_str(r.json, "url");
	CHECK(other && strcmp(other, feed_url) != 0);
	v = other ? feed(&anon, other, NULL) : NULL;
	CHECK(event_of(v, lessons[2]) != NULL);
	CHECK(event_of(v, lessons[0]) == NULL);
	json_decref(v);
	http_response_free(&r);
	/* A changed character, a wrong length, another shape: 404 (JSON, not a page). */
	char bad[128];
	snprintf(bad, sizeof bad, "%s", feed_url);
	bad[12] = bad[12] == 'A' ? 'B' : 'A';
	api_call(&anon, "GET", bad, NULL, &r);
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "GET", "/calendar/abc.ics", NULL), 404);
	CHECK_INT(api_status(&anon, "GET", "/calendar/", NULL), 404);
	api_call(&anon, "GET", "/calendar/index.html", NULL, &r);
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "POST", feed_url, NULL), 405);
}

static void test_rotation(void)
{
	struct http_response r;
	char old[128];
	snprintf(old, sizeof old, "%s", feed_url);
	api_call(&ane, "POST", "/api/v1/me/calendar/rotate", NULL, &r);
	CHECK_INT(r.status, 200);
	const char *fresh = json_str(r.json, "url");
	CHECK(fresh && strcmp(fresh, old) != 0 && strlen(fresh) == strlen(old));
	snprintf(feed_url, sizeof feed_url, "%s", fresh ? fresh : "");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "GET", old, NULL), 404);
	json_decref(feed(&anon, feed_url, NULL));
	api_call(&ane, "GET", "/api/v1/me/calendar", NULL, &r);
	CHECK_STR(json_str(r.json, "url"), feed_url);
	http_response_free(&r);
	/* A body with anything in it is refused, changing nothing. */
	CHECK_INT(api_status(&ane, "POST", "/api/v1/me/calendar/rotate", "{\"token\":\"x\"}"), 422);
	CHECK_INT(api_status(&anon, "GET", feed_url, NULL), 200);
	/* Audited, without the token. */
	api_call(&admin, "GET", "/api/v1/audit?limit=200", NULL, &r);
	CHECK(r.body && strstr(r.body, "\"calendar.rotate\"") != NULL);
	CHECK(r.body && strstr(r.body, feed_url + 10) == NULL);
	http_response_free(&r);
}

static void test_url_survives_a_restart(void)
{
	CHECK_INT(ts_kill(&server), 9);
	CHECK(ts_restart(&server, args));
	api_client_at(&ane, server.port, "10.6.0.3");
	api_client_at(&anon, server.port, "10.6.0.5");
	api_client_at(&staff, server.port, "10.6.0.2");
	api_client_at(&admin, server.port, "10.6.0.1");
	CHECK_INT(api_login(&ane, "ane@cal.test", PW), 200);
	CHECK_INT(api_login(&staff, "amaia@cal.test", PW), 200);
	CHECK_INT(api_login(&admin, "admin@cal.test", PW), 200);
	struct http_response r;
	api_call(&ane, "GET", "/api/v1/me/calendar", NULL, &r);
	CHECK_STR(json_str(r.json, "url"), feed_url);
	http_response_free(&r);
	json_decref(feed(&anon, feed_url, NULL));
	/* The database holds no usable token: only its hash. */
	char path[256];
	snprintf(path, sizeof path, "%s.secret", server.db);
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	if (f) {
		unsigned char key[64];
		CHECK_INT(fread(key, 1, sizeof key, f), 32);
		fclose(f);
	}
}

static void test_tutor_feed(void)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/tutors/%lld/calendar.ics", (long long)tutor_id);
	json_t *v = feed(&staff, path, NULL);
	CHECK_INT(json_array_size(json_object_get(v, "events")), 3);
	json_t *e = event_of(v, lessons[2]);
	CHECK_STR(json_str(e, "summary"), SERVICE ", Unai Besterik");
	CHECK_STR(json_str(event_of(v, lessons[1]), "status"), "CANCELLED");
	CHECK_STR(json_str(v, "name"), "Harreman: Amaia Irakaslea");
	/* The same lesson has the same UID in the tutor's and the student's feeds. */
	json_t *mine = feed(&ane, "/api/v1/me/calendar.ics", NULL);
	CHECK_STR(json_str(event_of(mine, lessons[0]), "uid"), json_str(event_of(v, lessons[0]), "uid"));
	json_decref(mine);
	json_decref(v);
	json_decref(feed(&admin, path, NULL));
	CHECK_INT(api_status(&ane, "GET", path, NULL), 403);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/tutors/987654/calendar.ics", NULL), 404);
	/* An admin user that is no tutor. */
	struct http_response r;
	api_call(&admin, "GET", "/api/v1/me", NULL, &r);
	snprintf(path, sizeof path, "/api/v1/tutors/%lld/calendar.ics",
		 (long long)ival(http_json(&r, "user"), "id"));
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", path, NULL), 404);
}

static void test_deactivated_student_loses_the_feed(void)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)ane_user);
	CHECK_INT(api_status(&anon, "GET", feed_url, NULL), 200);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"active\":false}"), 200);
	CHECK_INT(api_status(&anon, "GET", feed_url, NULL), 404);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"active\":true}"), 200);
	CHECK_INT(api_status(&anon, "GET", feed_url, NULL), 200);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_session_feed);
	RUN(test_private_url);
	RUN(test_rotation);
	RUN(test_url_survives_a_restart);
	RUN(test_tutor_feed);
	RUN(test_deactivated_student_loses_the_feed);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
