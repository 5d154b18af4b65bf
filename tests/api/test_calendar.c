// SPDX-License-Identifier: MIT
// Calendars (issue 7, item 5), read by a real iCalendar parser (python3-icalendar
// through tests/ical_check.py) after the octets were checked against RFC 5545:
// a student's lessons through its session and through its private feed URL
// (no login; the same URL every time and after a restart; rotating it makes the
// old URL 404), cancelled lessons as STATUS:CANCELLED, UTC times, stable UIDs and
// an unchanged feed while nothing changes; long non-ASCII names folded without
// splitting a character; a tutor's feed for staff; no other client's lesson in a
// feed; a deactivated student's feed gone; /calendar/ never served from web/;
// conditional GETs (ETag and Last-Modified; 304 with no body while nothing changed,
// a new ETag after a booking or a cancellation); an empty feed still a valid
// VCALENDAR with one component.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	CHECK_STR(http_header(&r, "Content-Type", type, sizeof type),
		  "text/calendar; charset=utf-8");
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
	json_array_foreach(json_object_get(verdict, "events"), i,
			   e) if (json_str(e, "uid") && strncmp(json_str(e, "uid"), prefix,
								strlen(prefix)) == 0) return e;
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

/* "Add to my calendar" after booking: one lesson as its own calendar file, the
 * same event (UID, times, status) as in the feed; another client's lesson 404. */
static void test_one_lesson(void)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/me/lessons/%lld/calendar.ics", (long long)lessons[0]);
	json_t *one = feed(&ane, path, NULL);
	json_t *all = feed(&ane, "/api/v1/me/calendar.ics", NULL);
	CHECK_INT(json_array_size(json_object_get(one, "events")), 1);
	json_t *e = event_of(one, lessons[0]), *same = event_of(all, lessons[0]);
	CHECK(e && same);
	CHECK_STR(json_str(e, "uid"), json_str(same, "uid"));
	CHECK_STR(json_str(e, "dtstart"), json_str(same, "dtstart"));
	CHECK_STR(json_str(e, "dtend"), json_str(same, "dtend"));
	CHECK_STR(json_str(e, "status"), "CONFIRMED");
	json_decref(one);
	json_decref(all);
	snprintf(path, sizeof path, "/api/v1/me/lessons/%lld/calendar.ics", (long long)lessons[1]);
	one = feed(&ane, path, NULL);
	CHECK_STR(json_str(event_of(one, lessons[1]), "status"), "CANCELLED");
	json_decref(one);
	snprintf(path, sizeof path, "/api/v1/me/lessons/%lld/calendar.ics", (long long)lessons[2]);
	CHECK_INT(api_status(&ane, "GET", path, NULL), 404); /* Unai's */
	CHECK_INT(api_status(&staff, "GET", path, NULL), 403);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
	CHECK_INT(api_status(&ane, "GET", "/api/v1/me/lessons/999999/calendar.ics", NULL), 404);
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
	CHECK_STR(json_str(event_of(mine, lessons[0]), "uid"),
		  json_str(event_of(v, lessons[0]), "uid"));
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

/* GETs path as c with the extra header lines extra ("" for none). */
static void get_with(struct api_client *c, const char *path, const char *extra,
		     struct http_response *r)
{
	char headers[1024], cookie[160] = "";
	if (c->cookie[0])
		snprintf(cookie, sizeof cookie, "Cookie: %s\r\n", c->cookie);
	snprintf(headers, sizeof headers, "%s%sX-Forwarded-For: %s\r\n", extra, cookie,
		 c->forwarded_for);
	http_request(c->port, "GET", path, headers, NULL, 0, r);
}

/* The status of GET path as c with extra header lines; the ETag into etag. */
static int conditional(struct api_client *c, const char *path, const char *extra, char etag[64],
		       char modified[64])
{
	struct http_response r;
	char buf[64];
	get_with(c, path, extra, &r);
	const char *tag = http_header(&r, "ETag", buf, sizeof buf);
	snprintf(etag, 64, "%s", tag ? tag : "");
	const char *lm = http_header(&r, "Last-Modified", buf, sizeof buf);
	if (modified)
		snprintf(modified, 64, "%s", lm ? lm : "");
	if (r.status == 304) {
		CHECK_INT(r.body_len, 0); /* no body, and no type for one */
		CHECK(http_header(&r, "Content-Type", buf, sizeof buf) == NULL);
	}
	int status = r.status;
	http_response_free(&r);
	return status;
}

static void test_conditional_get(void)
{
	static const char me[] = "/api/v1/me/calendar.ics";
	char etag[64], modified[64], again[64], lm[64], extra[256], tutor[96];
	char path[96];
	sleep(1); /* Last-Modified is only sent once the second of the last change is over */
	CHECK_INT(conditional(&ane, me, "", etag, modified), 200);
	CHECK(etag[0] == '"' && strlen(etag) == 34 && etag[33] == '"');
	CHECK(strlen(modified) == 29 && strcmp(modified + 25, " GMT") == 0);
	/* The same tag and date again while nothing changed. */
	CHECK_INT(conditional(&ane, me, "", again, lm), 200);
	CHECK_STR(again, etag);
	CHECK_STR(lm, modified);
	/* A repeated request with If-None-Match: 304 with the validators, no body. */
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
	CHECK_INT(conditional(&ane, me, extra, again, lm), 304);
	CHECK_STR(again, etag);
	CHECK_STR(lm, modified);
	/* The private URL serves the same bytes, so the same tag. */
	CHECK_INT(conditional(&anon, feed_url, extra, again, NULL), 304);
	/* A list, a weak form and "*" match too; another tag does not. */
	snprintf(extra, sizeof extra, "If-None-Match: \"x\", W/%s\r\n", etag);
	CHECK_INT(conditional(&ane, me, extra, again, NULL), 304);
	CHECK_INT(conditional(&ane, me, "If-None-Match: *\r\n", again, NULL), 304);
	CHECK_INT(conditional(&ane, me, "If-None-Match: \"x\"\r\n", again, NULL), 200);
	/* If-Modified-Since with the date given: 304; an earlier date or junk: 200. */
	snprintf(extra, sizeof extra, "If-Modified-Since: %s\r\n", modified);
	CHECK_INT(conditional(&ane, me, extra, again, NULL), 304);
	CHECK_INT(conditional(&ane, me, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n",
			      again, NULL),
		  200);
	CHECK_INT(conditional(&ane, me, "If-Modified-Since: yesterday\r\n", again, NULL), 200);
	/* If-None-Match decides when both are sent. */
	snprintf(extra, sizeof extra, "If-None-Match: \"x\"\r\nIf-Modified-Since: %s\r\n",
		 modified);
	CHECK_INT(conditional(&ane, me, extra, again, NULL), 200);
	/* The tutor's feed answers the same way. */
	snprintf(tutor, sizeof tutor, "/api/v1/tutors/%lld/calendar.ics", (long long)tutor_id);
	char tutor_tag[64];
	CHECK_INT(conditional(&staff, tutor, "", tutor_tag, NULL), 200);
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", tutor_tag);
	CHECK_INT(conditional(&staff, tutor, extra, again, NULL), 304);

	/* A booking: 200 with a new tag and a later date, for both conditions. */
	json_int_t booked = book(&ane, today() + 4, 9 * 60 + 30);
	CHECK(booked > 0);
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
	CHECK_INT(conditional(&ane, me, extra, again, NULL), 200);
	CHECK(again[0] && strcmp(again, etag) != 0);
	snprintf(extra, sizeof extra, "If-Modified-Since: %s\r\n", modified);
	CHECK_INT(conditional(&ane, me, extra, lm, NULL), 200);
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", tutor_tag);
	CHECK_INT(conditional(&staff, tutor, extra, lm, NULL), 200);
	/* A cancellation: again a new tag. */
	char booked_tag[64];
	snprintf(booked_tag, sizeof booked_tag, "%s", again);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)booked);
	CHECK_INT(api_status(&ane, "POST", path, NULL), 200);
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", booked_tag);
	CHECK_INT(conditional(&ane, me, extra, again, NULL), 200);
	CHECK(again[0] && strcmp(again, booked_tag) != 0 && strcmp(again, etag) != 0);
	json_t *v = feed(&ane, me, NULL);
	CHECK_STR(json_str(event_of(v, booked), "status"), "CANCELLED");
	json_decref(v);
}

/* A student without lessons: RFC 5545 wants a component in every VCALENDAR, so the
 * feed carries one that applications ignore, and still no event. */
static void test_empty_feed_is_valid(void)
{
	struct api_client maite;
	char *text = NULL, etag[64], extra[128];
	api_client_at(&maite, server.port, "10.6.0.6");
	CHECK_INT(api_register(&maite, "maite@cal.test", PW, "Maite Hutsik"), 201);
	json_t *v = feed(&maite, "/api/v1/me/calendar.ics", &text);
	CHECK_STR(json_str(v, "name"), "Harreman: Maite Hutsik");
	CHECK_INT(json_array_size(json_object_get(v, "events")), 0);
	json_decref(v);
	/* One component between the calendar's properties and its end. */
	const char *begin = text ? strstr(text, "\r\nBEGIN:") : NULL;
	CHECK(begin && strncmp(begin, "\r\nBEGIN:VCALENDAR", 17) != 0);
	const char *end = text ? strstr(text, "\r\nEND:VCALENDAR\r\n") : NULL;
	CHECK(begin && end && begin < end && strstr(begin, "\r\nEND:") < end);
	free(text);
	CHECK_INT(conditional(&maite, "/api/v1/me/calendar.ics", "", etag, NULL), 200);
	snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
	CHECK_INT(conditional(&maite, "/api/v1/me/calendar.ics", extra, etag, NULL), 304);
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
	RUN(test_one_lesson);
	RUN(test_private_url);
	RUN(test_rotation);
	RUN(test_url_survives_a_restart);
	RUN(test_tutor_feed);
	RUN(test_conditional_get);
	RUN(test_deactivated_student_loses_the_feed);
	RUN(test_empty_feed_is_valid);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
