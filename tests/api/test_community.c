// SPDX-License-Identifier: MIT
// Community, co-creation and tailored suggestions (API.md, "Community, co-creation,
// tailored suggestions"): staff create and change events, with every bad field
// named; the public list is upcoming by default, by local days on request, in time
// order page by page; students register and withdraw, twice is harmless, a full or
// started event refuses, capacity cannot drop below the registrations; twenty
// students racing for the last places never overfill an event. Contributions go
// from submitted to reviewed; nobody but the author and staff sees one that is not
// approved; bodies come back as the plain text they were. Suggestions follow a
// student's own subscription, dedicated tutor, events and lessons, and stop when
// their reason goes. The demo business shows all of it. The server runs on the
// real clock: instants are computed from now in Europe/Madrid.
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

static struct test_server server;
/* Eight worker threads whatever the machine: the race needs requests that really
 * run at once (one thread per CPU would serialise them on a small box). */
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "8", NULL};

#define PW "community-test-password"
#define N_RACERS 20

struct student {
	struct api_client c;
	json_int_t user_id, client_id;
	char name[64];
};

static struct api_client admin, staff, anon;
static struct student st[4]; /* st[1], st[2]: registrations and contributions; st[3]: suggestions */
static struct student racers[N_RACERS];
static json_int_t tutor_id, svc_maths;
static int64_t today;

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

static bool make_student(struct student *s, const char *email, const char *name, const char *ip)
{
	struct http_response r;
	api_client_at(&s->c, server.port, ip);
	snprintf(s->name, sizeof s->name, "%s", name);
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

/* An event body: title, kind, subject (NULL: none), local day/minute, minutes
 * long, capacity. */
static void event_body(char *out, size_t size, const char *title, const char *kind,
		       const char *subject, int64_t day, int minute, int minutes, int capacity)
{
	char starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN], subj[64] = "";
	local_at(day, minute, starts);
	hm_time_format(hm_local_instant(day, minute) + 60 * (int64_t)minutes, ends);
	if (subject)
		snprintf(subj, sizeof subj, "\"subject\":\"%s\",", subject);
	snprintf(out, size,
		 "{\"title\":\"%s\",\"kind\":\"%s\",%s\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		 "\"capacity\":%d,\"description\":\"Ongi etorri.\\nBigarren lerroa.\"}",
		 title, kind, subj, starts, ends, capacity);
}

static json_int_t make_event(const char *title, const char *kind, const char *subject, int64_t day,
			     int minute, int capacity)
{
	char body[1024];
	event_body(body, sizeof body, title, kind, subject, day, minute, 90, capacity);
	return post_id(&staff, "/api/v1/events", body, 201);
}

/* The event with id as GET /events?from=&to= (day range) shows it to c (a copy). */
static json_t *event_seen(struct api_client *c, json_int_t id)
{
	char path[160], from[16], to[16];
	struct http_response r;
	json_t *found = NULL, *item;
	size_t i;
	date_text(today - 30, from);
	date_text(today + 300, to);
	snprintf(path, sizeof path, "/api/v1/events?from=%s&to=%s&limit=200", from, to);
	api_call(c, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "id") == id)
		found = json_deep_copy(item);
	http_response_free(&r);
	return found;
}

static json_int_t registered_count(json_int_t id)
{
	json_t *e = event_seen(&anon, id);
	json_int_t n = e ? ival(e, "registered_count") : -1;
	json_decref(e);
	return n;
}

static int registration(struct api_client *c, const char *method, json_int_t event,
			struct http_response *r)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/events/%lld/registration", (long long)event);
	api_call(c, method, path, strcmp(method, "POST") == 0 ? "{}" : NULL, r);
	return r->status;
}

static int registration_status(struct api_client *c, const char *method, json_int_t event)
{
	struct http_response r;
	int status = registration(c, method, event, &r);
	http_response_free(&r);
	return status;
}

/* Runs one statement on the server's database (time travel for started events). */
static bool db_exec(const char *sql, int64_t a, int64_t b)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	bool ok = sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_busy_timeout(db, 10000);
		ok = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK;
	}
	if (ok) {
		sqlite3_bind_int64(stmt, 1, a);
		sqlite3_bind_int64(stmt, 2, b);
		ok = sqlite3_step(stmt) == SQLITE_DONE;
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return ok;
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

/* Moves an event so that it started `ago` seconds ago (and lasts two hours). */
static bool start_event(json_int_t id, int64_t ago)
{
	return db_exec("UPDATE events SET starts_at = ?2, ends_at = ?2 + 7200 WHERE id = ?1", id,
		       hm_time_now() - ago);
}

/* How many audit entries carry action for entity id. */
static int audit_count(const char *action, json_int_t id)
{
	struct http_response r;
	json_int_t after = 0;
	int n = 0;
	for (int page = 0; page < 100; page++) {
		char path[96];
		size_t i;
		json_t *item;
		snprintf(path, sizeof path, "/api/v1/audit?limit=200&after=%lld", (long long)after);
		api_call(&admin, "GET", path, NULL, &r);
		json_array_foreach(http_json(&r, "items"), i,
				   item) if (json_str(item, "action") &&
					     strcmp(json_str(item, "action"), action) == 0 &&
					     ival(item, "entity_id") == id) n++;
		after = json_integer_value(http_json(&r, "next_after"));
		http_response_free(&r);
		if (!after)
			break;
	}
	return n;
}

/* ---- setup ------------------------------------------------------------------- */

static bool setup(void)
{
	struct http_response r;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);

	if (!ts_add_user(&server, "admin", "admin@community.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "mikel@community.test", "Mikel Tutor", PW))
		return false;
	api_client_at(&admin, server.port, "10.7.0.1");
	api_client_at(&staff, server.port, "10.7.0.2");
	api_client_at(&anon, server.port, "10.7.0.3");
	if (api_login(&admin, "admin@community.test", PW) != 200 ||
	    api_login(&staff, "mikel@community.test", PW) != 200)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);

	/* Mikel teaches maths, 08:00-20:00 on the five days after today (not today, so
	 * no slot starts while the test compares two counts). */
	int days[5];
	for (int k = 1; k <= 5; k++)
		days[k - 1] = (weekday + k - 1) % 7 + 1;
	if (!api_make_tutor(&staff, tutor_id, "maths", days, 5, "08:00", "20:00"))
		return false;
	svc_maths = post_id(&staff, "/api/v1/services",
			    "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
			    "\"duration_min\":60,\"price_cents\":3000}",
			    201);

	static const char *const names[] = {"", "Ane Etxeberria", "Irati Goikoetxea",
					    "Unai Arrieta"};
	for (int i = 1; i < 4; i++) {
		char email[64], ip[32];
		snprintf(email, sizeof email, "student%d@community.test", i);
		snprintf(ip, sizeof ip, "10.7.1.%d", i);
		if (!make_student(&st[i], email, names[i], ip))
			return false;
	}
	for (int i = 0; i < N_RACERS; i++) {
		char email[64], name[64], ip[32];
		snprintf(email, sizeof email, "racer%d@community.test", i);
		snprintf(name, sizeof name, "Racer %d", i);
		snprintf(ip, sizeof ip, "10.7.2.%d", i + 1);
		if (!make_student(&racers[i], email, name, ip))
			return false;
	}
	return svc_maths > 0 && tutor_id > 0;
}

/* ---- events: staff ----------------------------------------------------------- */

static void test_staff_creates_an_event(void)
{
	struct http_response r;
	char body[1024], starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	/* Input with a numeric offset; output in UTC with Z. */
	int64_t start = hm_local_instant(today + 10, 18 * 60);
	hm_time_format(start, starts);
	hm_time_format(start + 5400, ends);
	CHECK(api_call(
		&staff, "POST", "/api/v1/events",
		"{\"title\":\"Ekuazioen tailerra\",\"kind\":\"workshop\",\"subject\":\"maths\","
		"\"starts_at\":\"2099-01-01T10:00:00+01:00\",\"ends_at\":\"2099-01-01T11:00:00Z\","
		"\"capacity\":8,\"description\":\"x\"}",
		&r));
	CHECK_INT(r.status, 422); /* too far ahead */
	CHECK_STR(http_error_field(&r, "starts_at"), "is too far ahead: at most 400 days");
	http_response_free(&r);

	int64_t y;
	unsigned mo, d;
	int64_t local_day;
	int weekday;
	hm_local_day(start, &local_day, &weekday);
	hm_civil_from_days(local_day, &y, &mo, &d);
	int offset_h = (int)((hm_local_instant(local_day, 18 * 60) -
			      hm_days_from_civil(y, mo, d) * 86400 - 18 * 3600) /
			     -3600); /* +1 or +2 in Madrid */
	snprintf(body, sizeof body,
		 "{\"title\":\"Ekuazioen tailerra\",\"kind\":\"workshop\",\"subject\":\"algebra\","
		 "\"starts_at\":\"%04lld-%02u-%02uT18:00:00+%02d:00\",\"ends_at\":\"%s\","
		 "\"capacity\":8,\"description\":\"Ekuazioak taldeka.\\nEkarri kalkulagailua.\"}",
		 (long long)y, mo, d, offset_h, ends);
	CHECK(api_call(&staff, "POST", "/api/v1/events", body, &r));
	CHECK_INT(r.status, 201);
	CHECK(ival(r.json, "id") > 0);
	CHECK_STR(json_str(r.json, "title"), "Ekuazioen tailerra");
	CHECK_STR(json_str(r.json, "kind"), "workshop");
	CHECK_STR(json_str(r.json, "subject"), "algebra");
	CHECK_STR(json_str(r.json, "starts_at"), starts);
	CHECK_STR(json_str(r.json, "ends_at"), ends);
	CHECK_INT(ival(r.json, "capacity"), 8);
	CHECK_STR(json_str(r.json, "description"), "Ekuazioak taldeka.\nEkarri kalkulagailua.");
	CHECK_INT(ival(r.json, "registered_count"), 0);
	CHECK_INT(ival(r.json, "places_left"), 8);
	CHECK(json_is_null(http_json(&r, "is_registered")));
	CHECK(parse_at(json_str(r.json, "created_at")) > 0);
	json_int_t id = ival(r.json, "id");
	http_response_free(&r);
	CHECK_INT(audit_count("event.create", id), 1);

	/* Without a subject: null. Admins may create too. */
	event_body(body, sizeof body, "Hitzaldia", "talk", NULL, today + 11, 19 * 60, 60, 40);
	CHECK(api_call(&admin, "POST", "/api/v1/events", body, &r));
	CHECK_INT(r.status, 201);
	CHECK(json_is_null(http_json(&r, "subject")));
	http_response_free(&r);

	/* Students and anonymous callers may not. */
	CHECK_INT(api_status(&st[1].c, "POST", "/api/v1/events", body), 403);
	CHECK_INT(api_status(&anon, "POST", "/api/v1/events", body), 401);
}

/* POST /events with body: 422 naming field with a message containing want. */
static void check_event_422(const char *body, const char *field, const char *want)
{
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/events", body, &r);
	const char *msg = http_error_field(&r, field);
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(msg && strstr(msg, want));
	if (r.status != 422 || !msg || !strstr(msg, want))
		fprintf(stderr, "  body %s -> %d %s\n", body, r.status, r.body ? r.body : "");
	http_response_free(&r);
}

/* Copies tmpl into out with "@S" replaced by starts and "@E" by ends. */
static void fill(char *out, size_t size, const char *tmpl, const char *starts, const char *ends)
{
	size_t used = 0;
	while (*tmpl && used + HM_RFC3339_LEN < size) {
		if (tmpl[0] == '@' && (tmpl[1] == 'S' || tmpl[1] == 'E')) {
			const char *v = tmpl[1] == 'S' ? starts : ends;
			size_t len = strlen(v);
			memcpy(out + used, v, len);
			used += len;
			tmpl += 2;
		} else {
			out[used++] = *tmpl++;
		}
	}
	out[used] = '\0';
}

static void test_event_validation(void)
{
	char starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN], past[HM_RFC3339_LEN],
		week[HM_RFC3339_LEN], body[1400], long_title[260];
	local_at(today + 12, 10 * 60, starts);
	local_at(today + 12, 12 * 60, ends);
	local_at(today - 1, 10 * 60, past);
	hm_time_format(hm_local_instant(today + 12, 10 * 60) + 7 * 86400 + 60, week);
	long before = (long)db_scalar("SELECT count(*) FROM events WHERE ?1 = ?1", 0);
#define EV(fields) "{" fields "}"
	/* Each field wrong on its own, everything else right. */
	struct {
		const char *fmt, *field, *want;
	} cases[] = {
		{EV("\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\",\"capacity\":5,"
		    "\"description\":\"d\""),
		 "title", "is required"},
		{EV("\"title\":\"T\\u0001\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5,\"description\":\"d\""),
		 "title", "control characters"},
		{EV("\"title\":\"T\",\"kind\":\"party\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5,\"description\":\"d\""),
		 "kind", "workshop, talk, forum"},
		{EV("\"title\":\"T\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5,\"description\":\"d\""),
		 "kind", "is required"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"subject\":\"Maths\",\"starts_at\":\"@S\","
		    "\"ends_at\":\"@E\",\"capacity\":5,\"description\":\"d\""),
		 "subject", "subject key"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"subject\":7,\"starts_at\":\"@S\","
		    "\"ends_at\":\"@E\",\"capacity\":5,\"description\":\"d\""),
		 "subject", "subject key"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":0,\"description\":\"d\""),
		 "capacity", ""},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":1001,\"description\":\"d\""),
		 "capacity", ""},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":\"5\",\"description\":\"d\""),
		 "capacity", ""},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"description\":\"d\""),
		 "capacity", "is required"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5"),
		 "description", "is required"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5,\"description\":\" \\n \""),
		 "description", "empty"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5,\"description\":\"d\",\"places_left\":3"),
		 "places_left", "is read-only"},
		{EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"@S\",\"ends_at\":\"@E\","
		    "\"capacity\":5,\"description\":\"d\",\"room\":\"B\""),
		 "room", "unknown field"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fill(body, sizeof body, cases[i].fmt, starts, ends);
		check_event_422(body, cases[i].field, cases[i].want);
	}
	/* Times: not an instant, in the past, end before start, longer than a week. */
	snprintf(
		body, sizeof body,
		EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"tomorrow\",\"ends_at\":\"%s\","
		   "\"capacity\":5,\"description\":\"d\""),
		ends);
	check_event_422(body, "starts_at", "RFC 3339");
	snprintf(body, sizeof body,
		 EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		    "\"capacity\":5,\"description\":\"d\""),
		 past, ends);
	check_event_422(body, "starts_at", "in the future");
	snprintf(body, sizeof body,
		 EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		    "\"capacity\":5,\"description\":\"d\""),
		 ends, starts);
	check_event_422(body, "ends_at", "after starts_at");
	snprintf(body, sizeof body,
		 EV("\"title\":\"T\",\"kind\":\"talk\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		    "\"capacity\":5,\"description\":\"d\""),
		 starts, week);
	check_event_422(body, "ends_at", "7 days");
	/* A 201-character title. */
	memset(long_title, 'a', 201);
	long_title[201] = '\0';
	snprintf(body, sizeof body,
		 EV("\"title\":\"%s\",\"kind\":\"talk\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		    "\"capacity\":5,\"description\":\"d\""),
		 long_title, starts, ends);
	check_event_422(body, "title", "200 characters");
	/* Every field at once: each is named. */
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/events", "{\"kind\":1,\"capacity\":-1}", &r);
	CHECK_INT(r.status, 422);
	static const char *const all[] = {"title",   "kind",     "starts_at",
					  "ends_at", "capacity", "description"};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		CHECK(http_error_field(&r, all[i]) != NULL);
	http_response_free(&r);
#undef EV
	/* Nothing was created by any of them. */
	CHECK_INT(db_scalar("SELECT count(*) FROM events WHERE ?1 = ?1", 0), before);
	/* Not JSON, or not an object: 400. */
	CHECK_INT(api_status(&staff, "POST", "/api/v1/events", "[1]"), 400);
}

static void test_staff_changes_an_event(void)
{
	struct http_response r;
	char path[96], body[512], starts[HM_RFC3339_LEN];
	json_int_t id = make_event("Foroa", "forum", "maths", today + 14, 18 * 60, 3);
	snprintf(path, sizeof path, "/api/v1/events/%lld", (long long)id);

	/* An empty change changes nothing (not even updated_at) and leaves no audit
	 * entry. */
	CHECK(db_exec("UPDATE events SET updated_at = updated_at - ?2 WHERE id = ?1", id, 3600));
	json_t *made = event_seen(&anon, id);
	int64_t made_at = parse_at(json_str(made, "updated_at"));
	json_decref(made);
	CHECK(api_call(&staff, "PATCH", path, "{}", &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "title"), "Foroa");
	CHECK_INT(parse_at(json_str(r.json, "updated_at")), made_at);
	http_response_free(&r);
	CHECK_INT(audit_count("event.update", id), 0);

	/* Title, kind, subject cleared with null, capacity up, a later start. */
	local_at(today + 15, 17 * 60, starts);
	snprintf(body, sizeof body,
		 "{\"title\":\"Foroa: ikasteko ohiturak\",\"kind\":\"talk\",\"subject\":null,"
		 "\"capacity\":30,\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
		 starts, starts);
	CHECK(api_call(&staff, "PATCH", path, body, &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "ends_at"), "must be after starts_at");
	http_response_free(&r);
	char ends[HM_RFC3339_LEN];
	local_at(today + 15, 19 * 60, ends);
	snprintf(body, sizeof body,
		 "{\"title\":\"Foroa: ikasteko ohiturak\",\"kind\":\"talk\",\"subject\":null,"
		 "\"capacity\":30,\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
		 starts, ends);
	CHECK(api_call(&admin, "PATCH", path, body, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "title"), "Foroa: ikasteko ohiturak");
	CHECK_STR(json_str(r.json, "kind"), "talk");
	CHECK(json_is_null(http_json(&r, "subject")));
	CHECK_INT(ival(r.json, "capacity"), 30);
	CHECK_STR(json_str(r.json, "starts_at"), starts);
	CHECK_STR(json_str(r.json, "ends_at"), ends);
	CHECK_STR(json_str(r.json, "description"), "Ongi etorri.\nBigarren lerroa.");
	CHECK(parse_at(json_str(r.json, "updated_at")) > made_at);
	http_response_free(&r);
	CHECK_INT(audit_count("event.update", id), 1);

	/* Only ends_at: checked against the stored start. */
	char early[HM_RFC3339_LEN];
	local_at(today + 15, 16 * 60, early);
	snprintf(body, sizeof body, "{\"ends_at\":\"%s\"}", early);
	CHECK(api_call(&staff, "PATCH", path, body, &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "ends_at"), "must be after starts_at");
	http_response_free(&r);
	/* A start in the past, a read-only field, an unknown one. */
	char past[HM_RFC3339_LEN];
	local_at(today - 2, 10 * 60, past);
	snprintf(body, sizeof body, "{\"starts_at\":\"%s\"}", past);
	CHECK(api_call(&staff, "PATCH", path, body, &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "starts_at"), "must be in the future");
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"registered_count\":0,\"colour\":\"red\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "registered_count"), "is read-only");
	CHECK_STR(http_error_field(&r, "colour"), "unknown field");
	http_response_free(&r);

	/* 404 before 422: an unknown event with a bad body. */
	CHECK(api_call(&staff, "PATCH", "/api/v1/events/999999", "{\"capacity\":0}", &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&st[1].c, "PATCH", path, "{}"), 403);

	/* Capacity below the registrations: 409, and it stays. */
	CHECK_INT(registration_status(&st[1].c, "POST", id), 201);
	CHECK_INT(registration_status(&st[2].c, "POST", id), 201);
	CHECK(api_call(&staff, "PATCH", path, "{\"capacity\":1,\"title\":\"Ez\"}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	CHECK_INT(ival(http_json(&r, "error"), "registered_count"), 2);
	http_response_free(&r);
	json_t *e = event_seen(&anon, id);
	CHECK_INT(ival(e, "capacity"), 30);
	CHECK_STR(json_str(e, "title"), "Foroa: ikasteko ohiturak"); /* nothing changed */
	json_decref(e);
	/* Down to exactly the registrations: fine, and then it is full. */
	CHECK(api_call(&staff, "PATCH", path, "{\"capacity\":2}", &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "places_left"), 0);
	http_response_free(&r);
	CHECK_INT(registration_status(&st[3].c, "POST", id), 409);
	/* After a withdrawal it may go lower. */
	CHECK_INT(registration_status(&st[2].c, "DELETE", id), 204);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"capacity\":1}"), 200);
	CHECK_INT(registration_status(&st[1].c, "DELETE", id), 204);
}

/* ---- events: the public list ------------------------------------------------- */

static void test_event_list(void)
{
	struct http_response r;
	char path[160], from[16], to[16];
	size_t i;
	json_t *item;
	/* Made out of time order: ids do not follow starts_at. */
	json_int_t late = make_event("Berandu", "talk", NULL, today + 40, 18 * 60, 10);
	json_int_t soon = make_event("Laster", "talk", NULL, today + 1, 18 * 60, 10);
	json_int_t gone = make_event("Joana", "talk", NULL, today + 2, 18 * 60, 10);
	json_int_t now_on = make_event("Orain", "forum", NULL, today + 3, 18 * 60, 10);
	CHECK(start_event(gone, 3 * 86400)); /* started three days ago, ended */
	CHECK(start_event(now_on, 600));     /* under way: started ten minutes ago */

	/* Upcoming by default: what has not ended, in time order, pages included. */
	json_int_t seen[64];
	size_t n_seen = 0;
	json_int_t after = 0;
	int64_t last_start = 0;
	bool ordered = true;
	for (int page = 0; page < 64; page++) {
		snprintf(path, sizeof path, "/api/v1/events?limit=2&after=%lld", (long long)after);
		CHECK(api_call(&anon, "GET", path, NULL, &r));
		CHECK_INT(r.status, 200);
		CHECK(json_array_size(http_json(&r, "items")) <= 2);
		json_array_foreach(http_json(&r, "items"), i, item)
		{
			int64_t s = parse_at(json_str(item, "starts_at"));
			ordered = ordered && s >= last_start;
			last_start = s;
			CHECK(parse_at(json_str(item, "ends_at")) > hm_time_now());
			if (n_seen < 64)
				seen[n_seen++] = ival(item, "id");
		}
		after = json_integer_value(http_json(&r, "next_after"));
		http_response_free(&r);
		if (!after)
			break;
	}
	CHECK(ordered);
	bool has_late = false, has_soon = false, has_gone = false, has_now = false;
	for (size_t k = 0; k < n_seen; k++) {
		has_late = has_late || seen[k] == late;
		has_soon = has_soon || seen[k] == soon;
		has_gone = has_gone || seen[k] == gone;
		has_now = has_now || seen[k] == now_on;
	}
	CHECK(has_late && has_soon && has_now);
	CHECK(!has_gone);
	/* The one under way comes first (earliest start), before "soon". */
	CHECK(n_seen >= 2 && seen[0] == now_on && seen[1] == soon);

	/* Local days: the past one is there, the far one not. */
	date_text(today - 5, from);
	date_text(today + 2, to);
	snprintf(path, sizeof path, "/api/v1/events?from=%s&to=%s", from, to);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	has_gone = has_late = has_soon = false;
	json_array_foreach(http_json(&r, "items"), i, item)
	{
		has_gone = has_gone || ival(item, "id") == gone;
		has_late = has_late || ival(item, "id") == late;
		has_soon = has_soon || ival(item, "id") == soon;
	}
	CHECK(has_gone && has_soon && !has_late);
	http_response_free(&r);
	/* A range of one day, that day only (both ends included). */
	date_text(today + 40, from);
	snprintf(path, sizeof path, "/api/v1/events?from=%s&to=%s", from, from);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK_INT(ival(json_array_get(http_json(&r, "items"), 0), "id"), late);
	http_response_free(&r);

	/* Bad queries. */
	CHECK(api_call(&anon, "GET", "/api/v1/events?from=yesterday", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "from") != NULL);
	http_response_free(&r);
	date_text(today, from);
	date_text(today - 1, to);
	snprintf(path, sizeof path, "/api/v1/events?from=%s&to=%s", from, to);
	CHECK(api_call(&anon, "GET", path, NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "to") != NULL);
	http_response_free(&r);
	date_text(today + 400, to);
	snprintf(path, sizeof path, "/api/v1/events?from=%s&to=%s", from, to);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 422);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/events?limit=0", NULL), 422);
	/* An after that names no event: an empty page, not an error. */
	CHECK(api_call(&anon, "GET", "/api/v1/events?after=987654", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
}

/* ---- events: registration ---------------------------------------------------- */

static void test_registration(void)
{
	struct http_response r;
	json_int_t id = make_event("Tailerra", "workshop", "maths", today + 6, 18 * 60, 2);

	/* Register: 201 with the event as the student sees it. */
	CHECK_INT(registration(&st[1].c, "POST", id, &r), 201);
	CHECK_INT(ival(r.json, "id"), id);
	CHECK(json_is_true(http_json(&r, "is_registered")));
	CHECK_INT(ival(r.json, "registered_count"), 1);
	CHECK_INT(ival(r.json, "places_left"), 1);
	http_response_free(&r);
	CHECK_INT(audit_count("event.register", id), 1);
	/* Again: 200, nothing changes, no second audit entry. */
	CHECK_INT(registration(&st[1].c, "POST", id, &r), 200);
	CHECK(json_is_true(http_json(&r, "is_registered")));
	CHECK_INT(ival(r.json, "registered_count"), 1);
	http_response_free(&r);
	CHECK_INT(audit_count("event.register", id), 1);
	/* An empty body is fine too; a body with fields is not. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/events/%lld/registration", (long long)id);
	CHECK_INT(api_status(&st[1].c, "POST", path, NULL), 200);
	CHECK(api_call(&st[1].c, "POST", path, "{\"seats\":2}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "seats"), "unknown field");
	http_response_free(&r);

	/* Who sees what: the student itself, another student, anonymous, staff. */
	json_t *e = event_seen(&st[1].c, id);
	CHECK(json_is_true(json_object_get(e, "is_registered")));
	json_decref(e);
	e = event_seen(&st[2].c, id);
	CHECK(json_is_false(json_object_get(e, "is_registered")));
	CHECK_INT(ival(e, "registered_count"), 1);
	json_decref(e);
	e = event_seen(&anon, id);
	CHECK(json_is_null(json_object_get(e, "is_registered")));
	json_decref(e);
	e = event_seen(&staff, id);
	CHECK(json_is_null(json_object_get(e, "is_registered")));
	json_decref(e);

	/* Full: the next student gets 409 full; the registered one still 200. */
	CHECK_INT(registration_status(&st[2].c, "POST", id), 201);
	CHECK_INT(registration(&st[3].c, "POST", id, &r), 409);
	CHECK_STR(http_error_code(&r), "full");
	http_response_free(&r);
	CHECK_INT(registration_status(&st[1].c, "POST", id), 200);
	CHECK_INT(registered_count(id), 2);

	/* Withdraw: 204; the place is free again; withdrawing again is 204 too. */
	CHECK_INT(registration_status(&st[1].c, "DELETE", id), 204);
	CHECK_INT(registered_count(id), 1);
	CHECK_INT(audit_count("event.withdraw", id), 1);
	CHECK_INT(registration_status(&st[1].c, "DELETE", id), 204);
	CHECK_INT(audit_count("event.withdraw", id), 1);
	CHECK_INT(registration_status(&st[3].c, "POST", id), 201);

	/* Unknown events, other roles. */
	CHECK_INT(registration_status(&st[1].c, "POST", 987654), 404);
	CHECK_INT(registration_status(&st[1].c, "DELETE", 987654), 404);
	CHECK(api_call(&st[1].c, "POST", "/api/v1/events/987654/registration", "{\"x\":1}", &r));
	CHECK_INT(r.status, 404); /* 404 before 422 */
	http_response_free(&r);
	CHECK_INT(registration_status(&staff, "POST", id), 403);
	CHECK_INT(registration_status(&anon, "POST", id), 401);

	/* Once the event has started: no registering, no withdrawing; a student who
	 * was not registered may still "withdraw" (nothing to do). */
	CHECK(start_event(id, 60));
	CHECK_INT(registration(&st[1].c, "POST", id, &r), 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK_INT(registration(&st[2].c, "DELETE", id, &r), 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK_INT(registration_status(&st[2].c, "POST", id), 200); /* registered: as it was */
	CHECK_INT(registration_status(&st[1].c, "DELETE", id), 204);
	CHECK_INT(registered_count(id), 2);
}

/* ---- events: the race for the last places ------------------------------------ */

static pthread_barrier_t race_barrier;
static json_int_t race_event;
static int race_status[N_RACERS];
static char race_code[N_RACERS][32];

static void *racer(void *arg)
{
	int i = (int)(intptr_t)arg;
	struct http_response r;
	pthread_barrier_wait(&race_barrier);
	registration(&racers[i].c, "POST", race_event, &r);
	race_status[i] = r.status;
	snprintf(race_code[i], sizeof race_code[i], "%s",
		 http_error_code(&r) ? http_error_code(&r) : "");
	http_response_free(&r);
	return NULL;
}

/* N_RACERS students register for race_event at the same moment; places_left of
 * them must get 201 and the rest 409 full. */
static void race(int places_left, int capacity)
{
	pthread_t threads[N_RACERS];
	CHECK_INT(pthread_barrier_init(&race_barrier, NULL, N_RACERS), 0);
	for (int i = 0; i < N_RACERS; i++)
		CHECK_INT(pthread_create(&threads[i], NULL, racer, (void *)(intptr_t)i), 0);
	for (int i = 0; i < N_RACERS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&race_barrier);

	int won = 0, full = 0;
	for (int i = 0; i < N_RACERS; i++) {
		if (race_status[i] == 201)
			won++;
		else if (race_status[i] == 409 && strcmp(race_code[i], "full") == 0)
			full++;
		else
			fprintf(stderr, "racer %d: %d %s\n", i, race_status[i], race_code[i]);
	}
	CHECK_INT(won, places_left);
	CHECK_INT(full, N_RACERS - places_left);
	/* The event holds exactly its capacity, in the API and in the database. */
	json_t *e = event_seen(&anon, race_event);
	CHECK_INT(ival(e, "registered_count"), capacity);
	CHECK_INT(ival(e, "places_left"), 0);
	json_decref(e);
	CHECK_INT(db_scalar("SELECT count(*) FROM event_registrations WHERE event_id = ?1",
			    race_event),
		  capacity);
	/* Each winner sees itself registered, each loser not. */
	int consistent = 0;
	for (int i = 0; i < N_RACERS; i++) {
		e = event_seen(&racers[i].c, race_event);
		consistent += json_is_true(json_object_get(e, "is_registered")) ==
			      (race_status[i] == 201);
		json_decref(e);
	}
	CHECK_INT(consistent, N_RACERS);
}

static void test_race_for_the_last_places(void)
{
	/* Five places, two taken: three left for twenty students. */
	race_event = make_event("Azken tokiak", "workshop", "maths", today + 8, 18 * 60, 5);
	CHECK_INT(registration_status(&st[1].c, "POST", race_event), 201);
	CHECK_INT(registration_status(&st[2].c, "POST", race_event), 201);
	race(3, 5);
	/* The last place of all: exactly one of twenty. */
	race_event = make_event("Azken tokia", "talk", NULL, today + 9, 18 * 60, 1);
	race(1, 1);
}

/* ---- contributions ----------------------------------------------------------- */

/* The contribution id in GET path as c (a copy), or NULL when not listed. */
static json_t *contribution_seen(struct api_client *c, const char *path, json_int_t id)
{
	struct http_response r;
	json_t *found = NULL, *item;
	size_t i;
	api_call(c, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "id") == id)
		found = json_deep_copy(item);
	http_response_free(&r);
	return found;
}

static bool listed(struct api_client *c, const char *path, json_int_t id)
{
	json_t *item = contribution_seen(c, path, id);
	json_decref(item);
	return item != NULL;
}

static int review(json_int_t id, const char *body, struct http_response *r)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/contributions/%lld/review", (long long)id);
	api_call(&staff, "POST", path, body, r);
	return r->status;
}

static void test_contribution_lifecycle(void)
{
	struct http_response r;
	static const char *const list = "/api/v1/contributions?limit=200";
	/* Plain text that looks like HTML comes back exactly as sent. */
	static const char html_body[] =
		"<script>alert('kaixo')</script>\n<b>Lodia</b> & \"komatxoak\"";
	json_t *req = json_pack("{s:s, s:s, s:s}", "kind", "blog_post", "title",
				"Nola ikasten dudan", "body", html_body);
	char *req_text = json_dumps(req, 0);
	json_decref(req);
	CHECK(api_call(&st[1].c, "POST", "/api/v1/contributions", req_text, &r));
	free(req_text);
	CHECK_INT(r.status, 201);
	json_int_t post = ival(r.json, "id");
	CHECK(post > 0);
	CHECK_STR(json_str(r.json, "kind"), "blog_post");
	CHECK_STR(json_str(r.json, "status"), "submitted");
	CHECK_STR(json_str(r.json, "body"), html_body);
	CHECK_STR(json_str(r.json, "credit_name"), st[1].name); /* the default */
	CHECK(json_is_true(http_json(&r, "own")));
	CHECK(json_is_null(http_json(&r, "review_comment")));
	CHECK(json_is_null(http_json(&r, "reviewed_at")));
	CHECK(parse_at(json_str(r.json, "submitted_at")) > 0);
	CHECK(!http_json(&r, "client_id")); /* the author's record is the staff's business */
	char type[128];
	CHECK(http_header(&r, "Content-Type", type, sizeof type) &&
	      strncmp(type, "application/json", 16) == 0);
	http_response_free(&r);
	CHECK_INT(audit_count("contribution.create", post), 1);

	/* A chosen credit name. */
	CHECK(api_call(
		&st[1].c, "POST", "/api/v1/contributions",
		"{\"kind\":\"method\",\"title\":\"Txartelak\",\"body\":\"Egunero hamar hitz.\","
		"\"credit_name\":\"Ane E.\"}",
		&r));
	CHECK_INT(r.status, 201);
	json_int_t method = ival(r.json, "id");
	CHECK_STR(json_str(r.json, "credit_name"), "Ane E.");
	http_response_free(&r);
	json_int_t other = post_id(&st[2].c, "/api/v1/contributions",
				   "{\"kind\":\"material\",\"title\":\"Ariketak\","
				   "\"body\":\"1. 2x = 4\"}",
				   201);

	/* Before review: the author and staff see them; nobody else does. */
	CHECK(listed(&st[1].c, list, post) && listed(&st[1].c, list, method));
	CHECK(!listed(&st[1].c, list, other));
	CHECK(!listed(&st[2].c, list, post) && !listed(&st[2].c, list, method));
	CHECK(listed(&st[2].c, list, other));
	CHECK(!listed(&anon, list, post) && !listed(&anon, list, other));
	json_t *seen = contribution_seen(&staff, "/api/v1/contributions?status=submitted&limit=200",
					 post);
	CHECK(seen != NULL);
	CHECK_INT(ival(seen, "client_id"), st[1].client_id);
	CHECK(json_is_false(json_object_get(seen, "own")));
	json_decref(seen);
	CHECK(listed(&admin, "/api/v1/contributions?status=submitted&limit=200", other));

	/* Review: approve one, reject one. */
	CHECK_INT(review(post, "{\"decision\":\"approved\",\"comment\":\"Eskerrik asko!\"}", &r),
		  200);
	CHECK_STR(json_str(r.json, "status"), "approved");
	CHECK_STR(json_str(r.json, "review_comment"), "Eskerrik asko!");
	CHECK(parse_at(json_str(r.json, "reviewed_at")) > 0);
	http_response_free(&r);
	CHECK_INT(audit_count("contribution.review", post), 1);
	CHECK_INT(review(method, "{\"decision\":\"rejected\",\"comment\":\"Laburregia.\"}", &r),
		  200);
	CHECK_STR(json_str(r.json, "status"), "rejected");
	http_response_free(&r);

	/* Published to everyone, without the comment or the author's record. */
	seen = contribution_seen(&anon, list, post);
	CHECK(seen != NULL);
	CHECK_STR(json_str(seen, "status"), "approved");
	CHECK_STR(json_str(seen, "body"), html_body);
	CHECK_STR(json_str(seen, "credit_name"), st[1].name);
	CHECK(!json_object_get(seen, "review_comment"));
	CHECK(!json_object_get(seen, "client_id"));
	CHECK(json_is_false(json_object_get(seen, "own")));
	json_decref(seen);
	CHECK(listed(&st[2].c, list, post));
	/* The rejected one: only its author (with the reason) and staff. */
	CHECK(!listed(&anon, list, method) && !listed(&st[2].c, list, method));
	seen = contribution_seen(&st[1].c, list, method);
	CHECK_STR(json_str(seen, "status"), "rejected");
	CHECK_STR(json_str(seen, "review_comment"), "Laburregia.");
	json_decref(seen);
	seen = contribution_seen(&st[1].c, list, post);
	CHECK_STR(json_str(seen, "review_comment"), "Eskerrik asko!");
	CHECK(json_is_true(json_object_get(seen, "own")));
	json_decref(seen);

	/* Filters: status and mine. */
	CHECK(listed(&staff, "/api/v1/contributions?status=rejected", method));
	CHECK(!listed(&staff, "/api/v1/contributions?status=rejected", post));
	CHECK(listed(&st[1].c, "/api/v1/contributions?status=rejected", method));
	CHECK(!listed(&st[2].c, "/api/v1/contributions?status=rejected", method));
	CHECK(listed(&st[2].c, "/api/v1/contributions?mine=true", other));
	CHECK(!listed(&st[2].c, "/api/v1/contributions?mine=true", post));
	CHECK(listed(&st[2].c, "/api/v1/contributions?mine=false", post));
	api_call(&anon, "GET", "/api/v1/contributions?mine=true", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
	api_call(&anon, "GET", "/api/v1/contributions?status=draft&mine=maybe", NULL, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "status") != NULL);
	CHECK(http_error_field(&r, "mine") != NULL);
	http_response_free(&r);
	/* Pages of one. */
	api_call(&staff, "GET", "/api/v1/contributions?limit=1", NULL, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	json_int_t next = json_integer_value(http_json(&r, "next_after"));
	CHECK(next > 0);
	http_response_free(&r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/contributions?limit=1&after=%lld", (long long)next);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK(ival(json_array_get(http_json(&r, "items"), 0), "id") > next);
	http_response_free(&r);

	/* Review again: the last review wins (taking a published one down). */
	CHECK_INT(review(post, "{\"decision\":\"rejected\",\"comment\":\"Kendu egin dugu.\"}", &r),
		  200);
	http_response_free(&r);
	CHECK(!listed(&anon, list, post));
	CHECK_INT(review(post, "{\"decision\":\"approved\",\"comment\":\"\"}", &r), 200);
	CHECK_STR(json_str(r.json, "review_comment"), "");
	http_response_free(&r);
	CHECK(listed(&anon, list, post));
	CHECK_INT(audit_count("contribution.review", post), 3);
}

static void check_contribution_422(const char *body, const char *field, const char *want)
{
	struct http_response r;
	api_call(&st[3].c, "POST", "/api/v1/contributions", body, &r);
	const char *msg = http_error_field(&r, field);
	CHECK_INT(r.status, 422);
	CHECK(msg && strstr(msg, want));
	if (r.status != 422 || !msg || !strstr(msg, want))
		fprintf(stderr, "  %.120s -> %d %s\n", body, r.status, r.body ? r.body : "");
	http_response_free(&r);
}

static void test_contribution_validation(void)
{
	struct http_response r;
	long before = (long)db_scalar("SELECT count(*) FROM contributions WHERE ?1 = ?1", 0);
	check_contribution_422("{\"title\":\"T\",\"body\":\"B\"}", "kind", "is required");
	check_contribution_422("{\"kind\":\"poem\",\"title\":\"T\",\"body\":\"B\"}", "kind",
			       "blog_post, material, method");
	check_contribution_422("{\"kind\":\"method\",\"body\":\"B\"}", "title", "is required");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"\",\"body\":\"B\"}", "title",
			       "empty");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"a\\nb\",\"body\":\"B\"}", "title",
			       "control characters");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\"}", "body", "is required");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":\"  \\n\\t \"}",
			       "body", "empty");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":\"a\\u0007b\"}",
			       "body", "control characters");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":[\"B\"]}", "body",
			       "string");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\","
			       "\"credit_name\":\"\"}",
			       "credit_name", "empty");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\","
			       "\"credit_name\":\"x\\ty\"}",
			       "credit_name", "control characters");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\","
			       "\"status\":\"approved\"}",
			       "status", "is read-only");
	check_contribution_422("{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\","
			       "\"html\":true}",
			       "html", "unknown field");

	/* The body limit: 50,000 characters (counted as characters, not bytes). */
	size_t n = 50000;
	char *big = malloc(n + 128);
	CHECK(big != NULL);
	if (big) {
		int head = snprintf(big, 128,
				    "{\"kind\":\"material\",\"title\":\"Luzea\",\"body\":\"");
		memset(big + head, 'a', n);
		snprintf(big + head + n, 64, "\"}");
		CHECK_INT(api_status(&st[3].c, "POST", "/api/v1/contributions", big), 201);
		memset(big + head, 'a', n + 1);
		snprintf(big + head + n + 1, 64, "\"}");
		check_contribution_422(big, "body", "too long");
		free(big);
	}
	/* 20,000 two-byte characters (40,000 bytes) are within the limit. */
	char *wide = malloc(40000 + 128);
	CHECK(wide != NULL);
	if (wide) {
		int head = snprintf(wide, 128,
				    "{\"kind\":\"material\",\"title\":\"Ñ\",\"body\":\"");
		for (int i = 0; i < 20000; i++)
			memcpy(wide + head + 2 * i, "\xc3\xb1", 2);
		snprintf(wide + head + 40000, 64, "\"}");
		CHECK_INT(api_status(&st[3].c, "POST", "/api/v1/contributions", wide), 201);
		free(wide);
	}
	/* Invalid UTF-8 is not JSON: 400 bad_json, nothing stored. */
	CHECK(api_call(&st[3].c, "POST", "/api/v1/contributions",
		       "{\"kind\":\"method\",\"title\":\"T\",\"body\":\"\xff\xfe\"}", &r));
	CHECK_INT(r.status, 400);
	CHECK_STR(http_error_code(&r), "bad_json");
	http_response_free(&r);
	CHECK_INT(db_scalar("SELECT count(*) FROM contributions WHERE ?1 = ?1", 0), before + 2);

	/* Only students contribute; only staff review. */
	CHECK_INT(api_status(&staff, "POST", "/api/v1/contributions",
			     "{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\"}"),
		  403);
	CHECK_INT(api_status(&anon, "POST", "/api/v1/contributions",
			     "{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\"}"),
		  401);
	json_int_t id = post_id(&st[3].c, "/api/v1/contributions",
				"{\"kind\":\"method\",\"title\":\"T\",\"body\":\"B\"}", 201);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/contributions/%lld/review", (long long)id);
	CHECK_INT(
		api_status(&st[3].c, "POST", path, "{\"decision\":\"approved\",\"comment\":\"\"}"),
		403);

	/* Review bodies: each field named; an unknown contribution is 404 first. */
	CHECK_INT(review(987654, "{\"decision\":\"maybe\"}", &r), 404);
	http_response_free(&r);
	CHECK_INT(review(id, "{\"decision\":\"maybe\"}", &r), 422);
	CHECK(http_error_field(&r, "decision") != NULL);
	CHECK_STR(http_error_field(&r, "comment"), "is required");
	http_response_free(&r);
	CHECK_INT(review(id, "{\"decision\":\"rejected\",\"comment\":\" \"}", &r), 422);
	CHECK_STR(http_error_field(&r, "comment"), "must say why the contribution is rejected");
	http_response_free(&r);
	CHECK_INT(review(id, "{\"decision\":\"approved\",\"comment\":null}", &r), 422);
	CHECK_STR(http_error_field(&r, "comment"), "is required");
	http_response_free(&r);
	CHECK_INT(review(id, "{\"decision\":\"approved\",\"comment\":\"\",\"status\":\"x\"}", &r),
		  422);
	CHECK_STR(http_error_field(&r, "status"), "unknown field");
	http_response_free(&r);
	/* None of those changed it. */
	json_t *seen = contribution_seen(&st[3].c, "/api/v1/contributions?mine=true&limit=200", id);
	CHECK_STR(json_str(seen, "status"), "submitted");
	json_decref(seen);
}

/* ---- suggestions ------------------------------------------------------------- */

/* GET /me/suggestions as c: the items (a new reference; NULL on failure). */
static json_t *suggestions(struct api_client *c)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me/suggestions", NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *items = json_incref(http_json(&r, "items"));
	/* Every item: kind, message_key "suggestion.<kind>", params an object. */
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		char key[64];
		snprintf(key, sizeof key, "suggestion.%s", json_str(item, "kind"));
		CHECK_STR(json_str(item, "message_key"), key);
		CHECK(json_is_object(json_object_get(item, "params")));
		CHECK_INT(json_object_size(item), 3);
	}
	http_response_free(&r);
	return items;
}

/* The params of the first item of kind (borrowed from items), or NULL. */
static json_t *params_of(json_t *items, const char *kind)
{
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) if (json_str(item, "kind") &&
					       strcmp(json_str(item, "kind"), kind) ==
						       0) return json_object_get(item, "params");
	return NULL;
}

static size_t count_kind(json_t *items, const char *kind)
{
	size_t i, n = 0;
	json_t *item;
	json_array_foreach(items, i, item)
		n += json_str(item, "kind") && strcmp(json_str(item, "kind"), kind) == 0;
	return n;
}

/* Mikel's free slots this week (today and six more days), as GET /slots says. */
static long tutor_slots_this_week(void)
{
	char path[160];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/slots?service_id=%lld&tutor_id=%lld",
		 (long long)svc_maths, (long long)tutor_id);
	api_call(&anon, "GET", path, NULL, &r);
	long n = r.status == 200 ? (long)json_array_size(http_json(&r, "items")) : -1;
	http_response_free(&r);
	return n;
}

static void test_suggestions_follow_the_students_data(void)
{
	struct student *s = &st[3];
	char path[128], body[512], at[HM_RFC3339_LEN];

	/* Nothing yet: a new student with no contracts, lessons or tutor. (It has
	 * contributions from the validation test; those suggest nothing.) */
	json_t *items = suggestions(&s->c);
	CHECK_INT(json_array_size(items), 0);
	json_decref(items);

	/* The office makes it a dedicated client of Mikel's, sells it a subscription
	 * of 8 and a one-off, and logs a lesson it had two days ago on the
	 * subscription. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)s->client_id);
	snprintf(body, sizeof body, "{\"assistance\":\"dedicated\",\"tutor_id\":%lld}",
		 (long long)tutor_id);
	CHECK_INT(api_status(&staff, "PATCH", path, body), 200);
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":8,"
		 "\"channel\":\"phone\"}",
		 (long long)s->client_id, (long long)svc_maths);
	json_int_t sub = post_id(&staff, "/api/v1/contracts", body, 201);
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\",\"sessions\":1,"
		 "\"channel\":\"in_person\"}",
		 (long long)s->client_id, (long long)svc_maths);
	CHECK(post_id(&staff, "/api/v1/contracts", body, 201) > 0);
	local_at(today - 2, 10 * 60, at);
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\","
		 "\"contract_id\":%lld,\"attendance\":\"attended\"}",
		 (long long)s->client_id, (long long)svc_maths, (long long)tutor_id, at,
		 (long long)sub);
	json_int_t walk_in = post_id(&staff, "/api/v1/lessons", body, 201);
	CHECK(walk_in > 0);
	int64_t lesson_end = hm_local_instant(today - 2, 10 * 60) + 3600;

	/* Events: maths in three days (yes), physics (not its subject), a full maths
	 * one (no), a maths one 45 days ahead (too far). */
	json_int_t maths = make_event("Zatikien tailerra", "workshop", "maths", today + 3, 17 * 60,
				      6);
	json_int_t physics = make_event("Fisika foroa", "forum", "physics", today + 2, 17 * 60, 6);
	json_int_t full = make_event("Tailer betea", "workshop", "maths", today + 2, 19 * 60, 1);
	json_int_t far = make_event("Urruneko tailerra", "workshop", "maths", today + 45, 17 * 60,
				    6);
	CHECK_INT(registration_status(&st[1].c, "POST", full), 201);
	CHECK(physics > 0 && far > 0);

	int64_t before = hm_time_now();
	long slots_before = tutor_slots_this_week();
	items = suggestions(&s->c);
	long slots_after = tutor_slots_this_week();
	int64_t after = hm_time_now();
	static const char *const order[] = {"next_discount", "sessions_left", "tutor_free_slots",
					    "upcoming_event", "book_next_lesson"};
	CHECK_INT(json_array_size(items), 5);
	for (size_t i = 0; i < 5 && i < json_array_size(items); i++)
		CHECK_STR(json_str(json_array_get(items, i), "kind"), order[i]);

	/* Two contracts: the third earns 5 %. */
	json_t *p = params_of(items, "next_discount");
	CHECK_INT(ival(p, "ordinal"), 3);
	CHECK_INT(ival(p, "percent"), 5);
	CHECK_INT(json_object_size(p), 2);
	/* 8 sessions, one used by the logged lesson. */
	p = params_of(items, "sessions_left");
	CHECK_INT(ival(p, "contract_id"), sub);
	CHECK_INT(ival(p, "service_id"), svc_maths);
	CHECK_STR(json_str(p, "service_name"), "Matematika");
	CHECK_INT(ival(p, "sessions_left"), 7);
	/* Mikel's free slots this week: what GET /slots lists. */
	p = params_of(items, "tutor_free_slots");
	CHECK_INT(ival(p, "tutor_id"), tutor_id);
	CHECK_STR(json_str(p, "tutor_name"), "Mikel Tutor");
	CHECK_INT(ival(p, "service_id"), svc_maths);
	CHECK_STR(json_str(p, "service_name"), "Matematika");
	CHECK(slots_before > 0);
	CHECK_INT(slots_before, slots_after);
	CHECK_INT(ival(p, "free_slots"), slots_before);
	int64_t first = parse_at(json_str(p, "first_starts_at"));
	CHECK(first > before);
	/* The upcoming maths event only. */
	CHECK_INT(count_kind(items, "upcoming_event"), 1);
	p = params_of(items, "upcoming_event");
	CHECK_INT(ival(p, "event_id"), maths);
	CHECK_STR(json_str(p, "title"), "Zatikien tailerra");
	CHECK_STR(json_str(p, "kind"), "workshop");
	CHECK_STR(json_str(p, "subject"), "maths");
	CHECK_INT(parse_at(json_str(p, "starts_at")), hm_local_instant(today + 3, 17 * 60));
	CHECK_INT(ival(p, "places_left"), 6);
	/* Nothing booked since the lesson two days ago. */
	p = params_of(items, "book_next_lesson");
	CHECK_INT(ival(p, "lesson_id"), walk_in);
	CHECK_INT(ival(p, "service_id"), svc_maths);
	CHECK_INT(ival(p, "tutor_id"), tutor_id);
	CHECK_STR(json_str(p, "last_lesson_at"), at);
	CHECK(ival(p, "days_since") >= (before - lesson_end) / 86400 &&
	      ival(p, "days_since") <= (after - lesson_end) / 86400);
	json_decref(items);

	/* It books the first free slot on its subscription: the nudge goes, a session
	 * and a slot are used. */
	char first_text[HM_RFC3339_LEN];
	hm_time_format(first, first_text);
	snprintf(
		body, sizeof body,
		"{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"contract_id\":%lld}",
		(long long)svc_maths, (long long)tutor_id, first_text, (long long)sub);
	CHECK(post_id(&s->c, "/api/v1/lessons", body, 201) > 0);
	/* It registers for the maths workshop: that suggestion goes too. */
	CHECK_INT(registration_status(&s->c, "POST", maths), 201);
	slots_before = tutor_slots_this_week();
	items = suggestions(&s->c);
	CHECK_INT(count_kind(items, "book_next_lesson"), 0);
	CHECK_INT(count_kind(items, "upcoming_event"), 0);
	CHECK_INT(ival(params_of(items, "sessions_left"), "sessions_left"), 6);
	CHECK_INT(ival(params_of(items, "tutor_free_slots"), "free_slots"), slots_before);
	CHECK_INT(ival(params_of(items, "next_discount"), "ordinal"), 3);
	json_decref(items);

	/* No longer a dedicated client: no tutor suggestion. A third contract: the
	 * fourth earns 10 %. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)s->client_id);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"assistance\":\"personal\"}"), 200);
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\",\"sessions\":1,"
		 "\"channel\":\"in_person\"}",
		 (long long)s->client_id, (long long)svc_maths);
	CHECK(post_id(&staff, "/api/v1/contracts", body, 201) > 0);
	items = suggestions(&s->c);
	CHECK_INT(count_kind(items, "tutor_free_slots"), 0);
	CHECK_INT(ival(params_of(items, "next_discount"), "ordinal"), 4);
	CHECK_INT(ival(params_of(items, "next_discount"), "percent"), 10);
	json_decref(items);

	/* The subscription cancelled: no sessions left to suggest. */
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)sub);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	items = suggestions(&s->c);
	CHECK_INT(count_kind(items, "sessions_left"), 0);
	json_decref(items);

	/* Students only. */
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/suggestions", NULL), 403);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/suggestions", NULL), 401);
}

/* ---- the demo business ------------------------------------------------------- */

static void test_demo_shows_the_community(void)
{
	struct test_server demo;
	static const char *const args[] = {"--demo", NULL};
	struct http_response r;
	CHECK(ts_start(&demo, args));
	if (!demo.port)
		return;
	struct api_client pub, ane, mikel;
	api_client_init(&pub, demo.port);
	api_client_init(&ane, demo.port);
	api_client_init(&mikel, demo.port);

	/* A workshop, a talk and a forum coming up, with people registered. */
	CHECK(api_call(&pub, "GET", "/api/v1/events", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK(json_array_size(items) >= 3);
	bool workshop = false, talk = false, forum = false;
	int with_people = 0;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		const char *kind = json_str(item, "kind");
		workshop = workshop || (kind && strcmp(kind, "workshop") == 0);
		talk = talk || (kind && strcmp(kind, "talk") == 0);
		forum = forum || (kind && strcmp(kind, "forum") == 0);
		with_people += ival(item, "registered_count") > 0;
		CHECK(parse_at(json_str(item, "starts_at")) > hm_time_now());
		/* Places left, or full with a waiting list (issue 17's demo workshop). */
		CHECK(ival(item, "places_left") > 0 || ival(item, "waitlist_count") > 0);
	}
	CHECK(workshop && talk && forum);
	CHECK(with_people >= 3);
	http_response_free(&r);

	/* Two published contributions for everyone, one waiting for the staff. */
	CHECK(api_call(&pub, "GET", "/api/v1/contributions", NULL, &r));
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 2);
	json_array_foreach(items, i, item)
	{
		CHECK_STR(json_str(item, "status"), "approved");
		CHECK(json_str(item, "credit_name") && *json_str(item, "credit_name"));
	}
	http_response_free(&r);
	CHECK_INT(api_login(&mikel, DEMO_STAFF), 200);
	CHECK(api_call(&mikel, "GET", "/api/v1/contributions?status=submitted", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	http_response_free(&r);

	/* Ane: her own published material with Mikel's comment, and suggestions: the
	 * 5 % of her third contract and the maths workshop she is not registered for. */
	CHECK_INT(api_login(&ane, DEMO_STUDENT), 200);
	CHECK(api_call(&ane, "GET", "/api/v1/contributions?mine=true", NULL, &r));
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 1);
	CHECK(json_str(json_array_get(items, 0), "review_comment") != NULL);
	http_response_free(&r);
	items = suggestions(&ane);
	CHECK_INT(ival(params_of(items, "next_discount"), "percent"), 5);
	CHECK_INT(count_kind(items, "sessions_left"), 1);
	json_t *p = params_of(items, "upcoming_event");
	CHECK(p && json_str(p, "subject") && strcmp(json_str(p, "subject"), "maths") == 0);
	json_decref(items);
	CHECK_INT(ts_stop(&demo), 0);
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
	RUN(test_staff_creates_an_event);
	RUN(test_event_validation);
	RUN(test_staff_changes_an_event);
	RUN(test_event_list);
	RUN(test_registration);
	RUN(test_race_for_the_last_places);
	RUN(test_contribution_lifecycle);
	RUN(test_contribution_validation);
	RUN(test_suggestions_follow_the_students_data);
	CHECK_INT(ts_stop(&server), 0);
	RUN(test_demo_shows_the_community);
	return CHECK_EXIT();
}
