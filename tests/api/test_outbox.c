// SPDX-License-Identifier: MIT
// Reminders and notifications that are really sent (issue 7, item 4), against a
// real SMTP server on 127.0.0.1 (tests/smtp_sink.py): a booking's confirmation
// arrives in the student's language (Spanish after PATCH /me/client {"locale":
// "es"}, Basque by default) as a well-formed message (RFC 2047 subject,
// quoted-printable UTF-8 body, the outbox row's Message-ID) within moments of the
// booking, so the sender was woken, not polling; cancellations, inquiry
// acknowledgements and answers arrive; a booking that fails queues nothing; the
// "lesson in 24 hours" reminder goes once per lesson; a relay that refuses a
// recipient fails the message at once, one that is down gets retries with
// doubling waits and delivery once it is up; and a server killed with SIGKILL while
// it talks to the relay, or stopped with SIGTERM, never sends a message twice:
// what had not reached the DATA phase is sent again after the restart, what may
// have arrived is left `unknown` until an admin retries it. Without --smtp-url
// the outbox still fills and GET /api/v1/outbox shows it, page by page.
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "mailsink.h"

#define PW "outbox-test-password"
#define FROM "noreply@harreman.test"
#define SERVICE "Matemáticas, clase particular"
#define WAIT_MS 15000

static struct test_server server;
static struct mail_sink sink;
static char url_arg[64];
static const char *serve_args[] = {"--trusted-proxy", "127.0.0.1",   "--smtp-url",
				   url_arg,           "--smtp-from", FROM,
				   "--smtp-backoff",  "1",           NULL};

static struct api_client admin, staff, lucia, ane, bounce;
static json_int_t tutor_id, service_id, ane_client;

/* ---- helpers ------------------------------------------------------------------ */

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void pause_ms(int ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
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

/* Books the tutor's service at local (day, minute) as c (staff add client_id). */
static json_int_t book(struct api_client *c, int64_t day, int minute, json_int_t client_id,
		       int expect)
{
	char at[HM_RFC3339_LEN], body[256], extra[48] = "";
	hm_time_format(hm_local_instant(day, minute), at);
	if (client_id)
		snprintf(extra, sizeof extra, ",\"client_id\":%lld", (long long)client_id);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"%s}",
		 (long long)service_id, (long long)tutor_id, at, extra);
	return post_id(c, "/api/v1/lessons", body, expect);
}

static int64_t today(void)
{
	int64_t day;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	return day;
}

/* The outbox rows (all pages), as admin. Caller owns. */
static json_t *outbox_all(const char *query)
{
	json_t *all = json_array();
	json_int_t after = 0;
	for (int page = 0; page < 100; page++) {
		char path[160];
		struct http_response r;
		snprintf(path, sizeof path, "/api/v1/outbox?limit=200&after=%lld%s%s",
			 (long long)after, query ? "&" : "", query ? query : "");
		api_call(&admin, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		json_array_extend(all, http_json(&r, "items"));
		after = ival(r.json, "next_after");
		http_response_free(&r);
		if (!after)
			break;
	}
	return all;
}

/* The newest outbox row of kind for lesson_id or inquiry_id (a copy), or NULL. */
static json_t *outbox_row(const char *kind, const char *key, json_int_t id)
{
	json_t *all = outbox_all(NULL), *found = NULL, *item;
	size_t i;
	json_array_foreach(all, i,
			   item) if (!strcmp(json_str(item, "kind"), kind) && ival(item, key) == id)
	{
		json_decref(found);
		found = json_deep_copy(item);
	}
	json_decref(all);
	return found;
}

/* GET /outbox/{id} (caller owns the JSON). */
static json_t *outbox_get(json_int_t id)
{
	char path[64];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/outbox/%lld", (long long)id);
	api_call(&admin, "GET", path, NULL, &r);
	json_t *msg = r.status == 200 ? json_incref(r.json) : NULL;
	http_response_free(&r);
	return msg;
}

/* Polls GET /outbox/{id} (the API is the readiness signal here: there is no event
 * to wait on) until its state is state and it has at least attempts attempts. */
static json_t *outbox_wait(json_int_t id, const char *state, int attempts, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		json_t *msg = outbox_get(id);
		if (msg && !strcmp(json_str(msg, "state"), state) &&
		    ival(msg, "attempts") >= attempts)
			return msg;
		if (now_ms() > deadline) {
			fprintf(stderr, "message %lld never became %s/%d: %s\n", (long long)id,
				state, attempts, msg ? json_dumps(msg, 0) : "(none)");
			return msg;
		}
		json_decref(msg);
		pause_ms(50);
	}
}

static int64_t parse_at(const char *text)
{
	int64_t t = 0;
	return text && hm_time_parse(text, &t) ? t : -1;
}

/* Runs sql on the database file directly (the server may be running). */
static bool db_exec(const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	bool ok = sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_busy_timeout(db, 10000);
		ok = sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK;
	}
	if (!ok)
		fprintf(stderr, "db_exec: %s\n", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	sqlite3_close(db);
	return ok;
}

/* A phone-only inquiry: writes no message, but wakes the sender. */
static void nudge_sender(void)
{
	static int n;
	char address[32];
	struct api_client anon;
	snprintf(address, sizeof address, "10.7.7.%d", ++n);
	api_client_at(&anon, server.port, address);
	CHECK_INT(
		api_status(&anon, "POST", "/api/v1/inquiries",
			   "{\"channel\":\"phone\",\"full_name\":\"Nudge\",\"phone\":\"600000000\","
			   "\"subject\":\"Call me\",\"message\":\"Please\"}"),
		201);
}

/* Asks for an acknowledgement to be sent to email; returns the outbox row id. */
static json_int_t queue_ack(const char *email, const char *subject)
{
	struct api_client anon;
	struct http_response r;
	char body[256];
	static int n;
	char address[32];
	snprintf(address, sizeof address, "10.7.2.%d", ++n); /* under the per-address limit */
	api_client_at(&anon, server.port, address);
	snprintf(body, sizeof body,
		 "{\"channel\":\"web\",\"full_name\":\"Crash Test\",\"email\":\"%s\","
		 "\"subject\":\"%s\",\"message\":\"Hello\"}",
		 email, subject);
	api_call(&anon, "POST", "/api/v1/inquiries", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t inquiry = ival(r.json, "id");
	http_response_free(&r);
	json_t *row = outbox_row("inquiry_received", "inquiry_id", inquiry);
	json_int_t id = ival(row, "id");
	json_decref(row);
	return id;
}

/* Queues an acknowledgement and waits until it has arrived: everything the sender
 * had to do before it (a pass of the scheduler included) is done. */
static void ack_and_wait(const char *email)
{
	queue_ack(email, "Sync");
	CHECK(sink_wait(&sink, "message", "rcpt_to", email, WAIT_MS) != NULL);
}

static bool setup_business(void)
{
	struct http_response r;
	if (!ts_add_user(&server, "admin", "admin@outbox.test", "Ane Admin", PW) ||
	    !ts_add_user(&server, "staff", "mikel@outbox.test", "Mikel Agirre", PW))
		return false;
	api_client_at(&admin, server.port, "10.7.0.1");
	api_client_at(&staff, server.port, "10.7.0.2");
	api_client_at(&lucia, server.port, "10.7.0.3");
	api_client_at(&ane, server.port, "10.7.0.4");
	api_client_at(&bounce, server.port, "10.7.0.5");
	if (api_login(&admin, "admin@outbox.test", PW) != 200 ||
	    api_login(&staff, "mikel@outbox.test", PW) != 200 ||
	    api_register(&lucia, "lucia@example.com", PW, "Lucía Pérez") != 201 ||
	    api_register(&ane, "ane@example.com", PW, "Ane Etxeberria") != 201 ||
	    api_register(&bounce, "bounce@example.com", PW, "Bounce Back") != 201)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	api_call(&ane, "GET", "/api/v1/me", NULL, &r);
	ane_client = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	if (!api_make_tutor(&staff, tutor_id, "maths", NULL, 0, "08:00", "22:00"))
		return false;
	service_id = post_id(&staff, "/api/v1/services",
			     "{\"name\":\"" SERVICE "\",\"subject\":\"maths\",\"kind\":\"private\","
			     "\"duration_min\":60,\"price_cents\":3000}",
			     201);
	return service_id > 0 && tutor_id > 0 && ane_client > 0;
}

/* ---- a running relay ---------------------------------------------------------- */

static void test_confirmation_in_the_students_language(void)
{
	static const char *const es_days[] = {"lunes",   "martes", "miércoles", "jueves",
					      "viernes", "sábado", "domingo"};
	struct http_response r;
	CHECK_INT(api_status(&lucia, "PATCH", "/api/v1/me/client", "{\"locale\":\"es\"}"), 200);
	int64_t day = today() + 3;
	int64_t started = now_ms();
	json_int_t lesson = book(&lucia, day, 10 * 60, 0, 201);
	CHECK(lesson > 0);
	json_t *mail = sink_wait(&sink, "message", "rcpt_to", "lucia@example.com", WAIT_MS);
	CHECK(mail != NULL);
	if (!mail)
		return;
	/* Woken by the booking, not found by a periodic scan (the tick is minutes). */
	CHECK(now_ms() - started < 5000);
	CHECK_STR(json_str(mail, "subject"), "Clase reservada: " SERVICE);
	const char *body = json_str(mail, "body");
	char when[96];
	snprintf(when, sizeof when, "%s, ", es_days[hm_day_weekday(day) - 1]);
	CHECK(body && strstr(body, "Hola, Lucía Pérez:") != NULL);
	CHECK(body && strstr(body, "Tu clase está reservada.") != NULL);
	CHECK(body && strstr(body, SERVICE ", con Mikel Agirre:") != NULL);
	CHECK(body && strstr(body, when) != NULL);
	CHECK(body && strstr(body, ", 10:00") != NULL);
	CHECK(body && strstr(body, "(hora de España peninsular)") != NULL);
	/* Issue 13, item 10: the price of the contract made with it (her first: no
	 * discount), and no zone code. */
	const char *price = body ? strstr(body, "Precio: 30,00 €") : NULL;
	CHECK(price != NULL);
	CHECK(price && (price[strlen("Precio: 30,00 €")] == '\r' ||
			price[strlen("Precio: 30,00 €")] == '\n'));
	CHECK(body && strstr(body, "Europe/Madrid") == NULL);
	/* The message itself: MIME, RFC 2047, quoted-printable, CRLF, short lines. */
	const char *raw = json_str(mail, "raw");
	CHECK(raw && strstr(raw, "\r\nSubject: =?UTF-8?B?") != NULL);
	CHECK(raw && strstr(raw, "\r\nContent-Type: text/plain; charset=UTF-8\r\n") != NULL);
	CHECK(raw && strstr(raw, "\r\nContent-Transfer-Encoding: quoted-printable\r\n") != NULL);
	CHECK(raw && strncmp(raw, "Date: ", 6) == 0);
	CHECK(json_is_true(json_object_get(mail, "raw_is_ascii")));
	CHECK(json_is_false(json_object_get(mail, "bare_lf")));
	CHECK(ival(mail, "max_line") <= 78);
	CHECK_INT(json_array_size(json_object_get(mail, "defects")), 0);
	CHECK_STR(json_str(mail, "charset"), "utf-8");
	CHECK_STR(json_str(mail, "mime_version"), "1.0");
	CHECK_STR(json_str(mail, "from"), FROM);
	CHECK_STR(json_str(mail, "mail_from"), FROM);
	CHECK_STR(json_str(mail, "to"), "lucia@example.com");
	/* The Message-ID is the outbox row's, and the row says sent. */
	json_t *row = outbox_row("lesson_booked", "lesson_id", lesson);
	CHECK(row != NULL);
	CHECK_STR(json_str(row, "message_id"), json_str(mail, "message_id"));
	CHECK_STR(json_str(row, "locale"), "es");
	json_t *sent = outbox_wait(ival(row, "id"), "sent", 1, WAIT_MS);
	CHECK_STR(json_str(sent, "state"), "sent");
	CHECK_INT(ival(sent, "attempts"), 1);
	CHECK(json_str(sent, "sent_at") != NULL);
	json_t *log = json_object_get(sent, "log");
	CHECK_INT(json_array_size(log), 1);
	CHECK_STR(json_str(json_array_get(log, 0), "outcome"), "sent");
	CHECK_INT(ival(json_array_get(log, 0), "smtp_code"), 250);
	json_decref(sent);
	json_decref(row);

	/* A client who never chose a language gets Basque. */
	CHECK(book(&ane, day, 12 * 60, 0, 201) > 0);
	mail = sink_wait(&sink, "message", "rcpt_to", "ane@example.com", WAIT_MS);
	CHECK(mail != NULL);
	CHECK_STR(json_str(mail, "subject"), "Eskola erreserbatuta: " SERVICE);
	CHECK(mail && strstr(json_str(mail, "body"), "Kaixo, Ane Etxeberria:") != NULL);
	CHECK(mail && strstr(json_str(mail, "body"), "Mikel Agirre irakaslearekin") != NULL);
	/* Issue 13, item 10: the link to her lessons, at the server's address (no
	 * --public-url here: http://LISTEN-ADDR:PORT), in the mail and its outbox row. */
	char link[128];
	snprintf(link, sizeof link,
		 "Zure eskolak ikusi, aldatu edo ezeztatzeko: http://127.0.0.1:%u/#lessons",
		 (unsigned)server.port);
	CHECK(mail && strstr(json_str(mail, "body"), link) != NULL);
	json_t *ane_row = outbox_row("lesson_booked", "client_id", ane_client);
	json_t *ane_msg = ane_row ? outbox_get(ival(ane_row, "id")) : NULL;
	CHECK(ane_msg && json_str(ane_msg, "body") && strstr(json_str(ane_msg, "body"), link));
	json_decref(ane_msg);
	json_decref(ane_row);

	/* Staff booking for a client by phone: the client is told too. */
	api_call(&lucia, "GET", "/api/v1/me", NULL, &r);
	json_int_t lucia_client = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	size_t before = sink_count(&sink, "message", "rcpt_to", "lucia@example.com");
	CHECK(book(&staff, day, 14 * 60, lucia_client, 201) > 0);
	json_t *second = NULL;
	int64_t deadline = now_ms() + WAIT_MS;
	while (!second && now_ms() < deadline) {
		sink_read(&sink, 200);
		if (sink_count(&sink, "message", "rcpt_to", "lucia@example.com") > before)
			second = json_array_get(sink.events, json_array_size(sink.events) - 1);
	}
	CHECK(second != NULL);
}

static void test_cancellation_arrives(void)
{
	char path[96];
	json_int_t lesson = book(&lucia, today() + 4, 11 * 60, 0, 201);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)lesson);
	CHECK_INT(api_status(&lucia, "POST", path, NULL), 200);
	json_t *mail = sink_wait(&sink, "message", "subject", "Clase cancelada: " SERVICE, WAIT_MS);
	CHECK(mail != NULL);
	CHECK(mail && strstr(json_str(mail, "body"), "Se ha cancelado esta clase:") != NULL);
	CHECK(mail && strstr(json_str(mail, "body"), ", 11:00") != NULL);
	json_t *row = outbox_row("lesson_cancelled", "lesson_id", lesson);
	CHECK(row != NULL);
	json_decref(row);

	/* Cancelling a subscription's contract cancels its future lessons: one message
	 * listing them. */
	char body[256];
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":3}",
		 (long long)service_id);
	json_int_t contract = post_id(&ane, "/api/v1/me/contracts", body, 201);
	char at1[HM_RFC3339_LEN], at2[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(today() + 5, 9 * 60), at1);
	hm_time_format(hm_local_instant(today() + 6, 9 * 60), at2);
	snprintf(
		body, sizeof body,
		"{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"contract_id\":%lld}",
		(long long)service_id, (long long)tutor_id, at1, (long long)contract);
	CHECK(post_id(&ane, "/api/v1/lessons", body, 201) > 0);
	snprintf(
		body, sizeof body,
		"{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"contract_id\":%lld}",
		(long long)service_id, (long long)tutor_id, at2, (long long)contract);
	CHECK(post_id(&ane, "/api/v1/lessons", body, 201) > 0);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)contract);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	mail = sink_wait(&sink, "message", "body", "Eskola hauek ezeztatu dira", WAIT_MS);
	CHECK(mail != NULL);
	CHECK(mail && strstr(json_str(mail, "body"), ", 09:00") != NULL);
	CHECK_STR(json_str(mail, "to"), "ane@example.com");
}

static void test_inquiry_messages(void)
{
	struct api_client anon;
	struct http_response r;
	char path[96];
	api_client_at(&anon, server.port, "10.7.1.1");
	/* A stranger writing in English. */
	api_call(&anon, "POST", "/api/v1/inquiries",
		 "{\"channel\":\"web\",\"full_name\":\"Jane Doe\",\"email\":\"jane@example.org\","
		 "\"subject\":\"Group prices\",\"message\":\"How much is a group lesson?\","
		 "\"locale\":\"en\"}",
		 &r);
	CHECK_INT(r.status, 201);
	json_int_t inquiry = ival(r.json, "id");
	http_response_free(&r);
	json_t *mail = sink_wait(&sink, "message", "rcpt_to", "jane@example.org", WAIT_MS);
	CHECK(mail != NULL);
	CHECK_STR(json_str(mail, "subject"), "We have received your message: Group prices");
	CHECK(mail && strstr(json_str(mail, "body"), "will answer within 48 hours") != NULL);
	CHECK(mail && strstr(json_str(mail, "body"), "> How much is a group lesson?") != NULL);
	/* The answer. */
	snprintf(path, sizeof path, "/api/v1/inquiries/%lld/answer", (long long)inquiry);
	CHECK_INT(api_status(&staff, "POST", path,
			     "{\"reply\":\"Twenty euros an hour.\\nSee you soon!\"}"),
		  200);
	mail = sink_wait(&sink, "message", "subject", "Re: Group prices", WAIT_MS);
	CHECK(mail != NULL);
	CHECK_STR(json_str(mail, "to"), "jane@example.org");
	CHECK(mail && strstr(json_str(mail, "body"), "Twenty euros an hour.") != NULL);
	json_t *row = outbox_row("inquiry_answered", "inquiry_id", inquiry);
	CHECK_STR(json_str(row, "locale"), "en");
	json_decref(row);

	/* A client writing without a language gets its client record's (Spanish). */
	api_call(&anon, "POST", "/api/v1/inquiries",
		 "{\"channel\":\"email\",\"full_name\":\"Lucía\",\"email\":\"Lucia@Example.com\","
		 "\"subject\":\"Horario\",\"message\":\"¿Abrís en agosto?\"}",
		 &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	mail = sink_wait(&sink, "message", "subject", "Hemos recibido tu mensaje: Horario",
			 WAIT_MS);
	CHECK(mail != NULL);

	/* A phone inquiry has nobody to write to: nothing is queued for it. */
	api_call(&anon, "POST", "/api/v1/inquiries",
		 "{\"channel\":\"phone\",\"full_name\":\"Phone Only\",\"phone\":\"+34 600 1\","
		 "\"subject\":\"Call\",\"message\":\"Call me\"}",
		 &r);
	CHECK_INT(r.status, 201);
	json_int_t phone = ival(r.json, "id");
	http_response_free(&r);
	row = outbox_row("inquiry_received", "inquiry_id", phone);
	CHECK(row == NULL);
	json_decref(row);
}

static void test_failed_booking_queues_nothing(void)
{
	/* Lucía's 10:00 on day + 3 is taken: 409, and no message for Ane. */
	json_t *before = outbox_all(NULL);
	CHECK(book(&ane, today() + 3, 10 * 60, 0, 409) == 0);
	/* Not a slot at all: 422. */
	CHECK(book(&ane, today() + 3, 10 * 60 + 17, 0, 422) == 0);
	json_t *after = outbox_all(NULL);
	CHECK_INT(json_array_size(after), json_array_size(before));
	json_decref(before);
	json_decref(after);
}

static void test_reminder_once_per_lesson(void)
{
	/* The first slot that starts within the next 24 hours (and not too soon). */
	int64_t now = hm_time_now(), day = today();
	int minute = -1;
	for (int64_t d = day; d <= day + 1 && minute < 0; d++)
		for (int h = 8; h < 22 && minute < 0; h++) {
			int64_t at = hm_local_instant(d, h * 60);
			if (at > now + 2 * 3600 && at < now + 22 * 3600) {
				day = d;
				minute = h * 60;
			}
		}
	CHECK(minute >= 0);
	json_int_t lesson = book(&ane, day, minute, 0, 201);
	CHECK(lesson > 0);
	/* Booked less than 24 hours ahead: the confirmation says it all, no reminder
	 * (looked at after a pass of the scheduler that came after the booking). */
	ack_and_wait("sync1@example.com");
	json_t *row = outbox_row("lesson_reminder", "lesson_id", lesson);
	CHECK(row == NULL);
	json_decref(row);
	/* As if it had been booked two days ago: now the reminder is due. */
	char sql[512];
	snprintf(sql, sizeof sql,
		 "UPDATE lessons SET created_at = created_at - 172800 WHERE id = %lld",
		 (long long)lesson);
	CHECK(db_exec(sql));
	nudge_sender();
	json_t *mail = sink_wait(&sink, "message", "subject", "Oroigarria: " SERVICE, WAIT_MS);
	CHECK(mail != NULL);
	CHECK(mail && strstr(json_str(mail, "body"), "24 ordu baino gutxiagoan") != NULL);
	/* More passes of the scheduler queue nothing more for it. */
	nudge_sender();
	ack_and_wait("sync2@example.com");
	nudge_sender();
	ack_and_wait("sync3@example.com");
	json_t *all = outbox_all(NULL), *item;
	size_t i, reminders = 0;
	json_array_foreach(all, i, item) if (!strcmp(json_str(item, "kind"), "lesson_reminder") &&
					     ival(item, "lesson_id") == lesson) reminders++;
	CHECK_INT(reminders, 1);
	json_decref(all);
	/* And the database itself refuses a second one. */
	snprintf(sql, sizeof sql,
		 "INSERT INTO outbox (kind, lesson_id, locale, to_addr, subject, body, message_id,"
		 " next_attempt_at, created_at, updated_at) VALUES ('lesson_reminder', %lld, 'eu',"
		 " 'x@example.com', 's', 'b', '<dup@test>', 0, 0, 0)",
		 (long long)lesson);
	CHECK(!db_exec(sql));
	CHECK_INT(sink_count(&sink, "message", "subject", "Oroigarria"), 1);
}

static void test_outbox_api(void)
{
	struct http_response r;
	/* Keyset pages of one: every row once, in id order. */
	json_t *all = outbox_all("state=sent");
	CHECK(json_array_size(all) >= 5);
	json_int_t after = 0, last = 0;
	size_t seen = 0;
	for (int page = 0; page < 100; page++) {
		char path[96];
		snprintf(path, sizeof path, "/api/v1/outbox?state=sent&limit=1&after=%lld",
			 (long long)after);
		api_call(&admin, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items");
		if (json_array_size(items) == 1) {
			json_int_t id = ival(json_array_get(items, 0), "id");
			CHECK(id > last);
			CHECK_STR(json_str(json_array_get(items, 0), "state"), "sent");
			last = id;
			seen++;
		}
		after = ival(r.json, "next_after");
		http_response_free(&r);
		if (!after)
			break;
	}
	CHECK(seen >= json_array_size(all)); /* more may have been sent meanwhile */
	json_decref(all);
	/* No body in the list; GET /outbox/{id} has it and the delivery log. */
	api_call(&admin, "GET", "/api/v1/outbox?limit=1", NULL, &r);
	json_t *first = json_array_get(http_json(&r, "items"), 0);
	CHECK(json_object_get(first, "body") == NULL);
	CHECK(json_str(first, "message_id") != NULL);
	http_response_free(&r);
	api_call(&admin, "GET", "/api/v1/outbox?state=lost", NULL, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "state") != NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/outbox?limit=0", NULL), 422);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/outbox/987654", NULL), 404);
	CHECK_INT(api_status(&admin, "POST", "/api/v1/outbox/987654/retry", NULL), 404);
	/* A sent message cannot be "retried". */
	CHECK_INT(api_status(&admin, "POST", "/api/v1/outbox/1/retry", NULL), 409);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/outbox", NULL), 403);
	CHECK_INT(api_status(&lucia, "GET", "/api/v1/outbox/1", NULL), 403);
}

static void test_refused_recipient_fails_at_once(void)
{
	/* The sink answers 550 to bounce@: permanent, no retry. */
	json_int_t lesson = book(&bounce, today() + 7, 16 * 60, 0, 201);
	CHECK(sink_wait(&sink, "rcpt", "to", "bounce@example.com", WAIT_MS) != NULL);
	json_t *row = outbox_row("lesson_booked", "lesson_id", lesson);
	json_t *msg = row ? outbox_wait(ival(row, "id"), "failed", 1, WAIT_MS) : NULL;
	CHECK_STR(json_str(msg, "state"), "failed");
	CHECK_INT(ival(msg, "attempts"), 1);
	CHECK(json_str(msg, "last_error") && strstr(json_str(msg, "last_error"), "550"));
	json_t *log = json_object_get(msg, "log");
	CHECK_STR(json_str(json_array_get(log, 0), "outcome"), "failed");
	CHECK_INT(ival(json_array_get(log, 0), "smtp_code"), 550);
	CHECK(json_is_null(json_object_get(msg, "next_attempt_at")));
	/* An admin may try again: one more attempt, refused again. */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/outbox/%lld/retry", (long long)ival(row, "id"));
	CHECK_INT(api_status(&admin, "POST", path, NULL), 200);
	json_decref(msg);
	int64_t deadline = now_ms() + WAIT_MS;
	msg = NULL;
	while (now_ms() < deadline) {
		json_decref(msg);
		msg = outbox_get(ival(row, "id"));
		if (json_array_size(json_object_get(msg, "log")) == 2 &&
		    !strcmp(json_str(msg, "state"), "failed"))
			break;
		pause_ms(50);
	}
	CHECK_INT(json_array_size(json_object_get(msg, "log")), 2);
	CHECK_STR(json_str(msg, "state"), "failed");
	CHECK_INT(sink_count(&sink, "message", "rcpt_to", "bounce@example.com"), 0);
	json_decref(msg);
	json_decref(row);
}

/* ---- a relay that is down, then up --------------------------------------------------- */

static void test_relay_down_then_up(void)
{
	/* A port where nothing listens: a sink's, stopped. */
	struct mail_sink gone;
	CHECK(sink_start(&gone, 0, NULL));
	uint16_t port = gone.port;
	sink_stop(&gone);
	sink_stop(&sink);
	CHECK_INT(ts_kill(&server), 9);
	snprintf(url_arg, sizeof url_arg, "smtp://127.0.0.1:%u", port);
	CHECK(ts_restart(&server, serve_args));
	api_client_at(&admin, server.port, "10.7.0.1");
	api_client_at(&lucia, server.port, "10.7.0.3");
	CHECK_INT(api_login(&admin, "admin@outbox.test", PW), 200);
	CHECK_INT(api_login(&lucia, "lucia@example.com", PW), 200);

	json_int_t lesson = book(&lucia, today() + 8, 10 * 60, 0, 201);
	json_t *row = outbox_row("lesson_booked", "lesson_id", lesson);
	CHECK(row != NULL);
	json_int_t id = ival(row, "id");
	json_decref(row);
	/* Three failed attempts, each wait twice the one before (base 1 s). */
	json_t *msg = outbox_wait(id, "queued", 3, 20000);
	json_t *log = json_object_get(msg, "log");
	CHECK(json_array_size(log) >= 3);
	for (size_t k = 0; k < 3 && k < json_array_size(log); k++) {
		json_t *a = json_array_get(log, k);
		CHECK_STR(json_str(a, "outcome"), "retry");
		CHECK(json_str(a, "error") != NULL);
		CHECK_INT(parse_at(json_str(a, "retry_at")) - parse_at(json_str(a, "finished_at")),
			  1 << k);
		CHECK_INT(ival(a, "attempt"), (json_int_t)k + 1);
		if (k > 0)
			CHECK(parse_at(json_str(a, "started_at")) >=
			      parse_at(json_str(json_array_get(log, k - 1), "retry_at")));
	}
	CHECK(json_str(msg, "last_error") != NULL);
	CHECK(json_str(msg, "next_attempt_at") != NULL);
	json_decref(msg);
	CHECK_INT(sink_count(&sink, "message", NULL, NULL), 0);

	/* The relay comes up on that port: the next attempt delivers, once. */
	CHECK(sink_start(&sink, port, NULL));
	json_t *mail = sink_wait(&sink, "message", "rcpt_to", "lucia@example.com", 20000);
	CHECK(mail != NULL);
	CHECK_STR(json_str(mail, "subject"), "Clase reservada: " SERVICE);
	msg = outbox_wait(id, "sent", 4, WAIT_MS);
	CHECK_STR(json_str(msg, "state"), "sent");
	log = json_object_get(msg, "log");
	CHECK_STR(json_str(json_array_get(log, json_array_size(log) - 1), "outcome"), "sent");
	json_decref(msg);
	sink_read(&sink, 300);
	CHECK_INT(sink_count(&sink, "message", "rcpt_to", "lucia@example.com"), 1);
}

/* ---- crashes and stops: never twice -------------------------------------------------- */

/* Restarts the server (stopped) with a relay at k. */
static bool restart_with(struct mail_sink *k)
{
	sink_url(k, url_arg, sizeof url_arg);
	if (!ts_restart(&server, serve_args))
		return false;
	api_client_at(&admin, server.port, "10.7.0.1");
	return api_login(&admin, "admin@outbox.test", PW) == 200;
}

/* SIGTERM, and the milliseconds until the server exited with *status. */
static int64_t term(int *status)
{
	int64_t start = now_ms();
	int ws = 0;
	kill(server.pid, SIGTERM);
	waitpid(server.pid, &ws, 0);
	server.pid = 0;
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return now_ms() - start;
}

static void test_crash_never_sends_twice(void)
{
	struct mail_sink hang, good;
	const char *at_rcpt[] = {"--hang-at", "rcpt", NULL};
	const char *at_end[] = {"--hang-at", "data-end", NULL};
	CHECK(sink_start(&good, 0, NULL));

	/* 1. Killed while the relay holds it before DATA: nothing went out, so it is
	 * sent after the restart, once. */
	CHECK_INT(ts_kill(&server), 9);
	CHECK(sink_start(&hang, 0, at_rcpt));
	CHECK(restart_with(&hang));
	json_int_t one = queue_ack("before.data@example.com", "One");
	CHECK(sink_wait(&hang, "rcpt", "to", "before.data@example.com", WAIT_MS) != NULL);
	CHECK_INT(ts_kill(&server), 9);
	sink_stop(&hang);
	CHECK(restart_with(&good));
	CHECK(sink_wait(&good, "message", "rcpt_to", "before.data@example.com", WAIT_MS) != NULL);
	json_t *msg = outbox_wait(one, "sent", 2, WAIT_MS);
	CHECK_STR(json_str(msg, "state"), "sent");
	json_t *log = json_object_get(msg, "log");
	CHECK_INT(json_array_size(log), 2);
	CHECK_STR(json_str(json_array_get(log, 0), "outcome"), "interrupted");
	CHECK_STR(json_str(json_array_get(log, 1), "outcome"), "sent");
	json_decref(msg);

	/* 2. Killed after the relay had the whole message but before it answered: it may
	 * have arrived, so it is not sent again; the next message goes, and this one is
	 * `unknown` until an admin decides. */
	CHECK_INT(ts_kill(&server), 9);
	CHECK(sink_start(&hang, 0, at_end));
	CHECK(restart_with(&hang));
	json_t *mine = NULL;
	json_int_t two = queue_ack("after.data@example.com", "Two");
	mine = sink_wait(&hang, "message", "rcpt_to", "after.data@example.com", WAIT_MS);
	CHECK(mine != NULL);
	CHECK_INT(ts_kill(&server), 9);
	sink_stop(&hang);
	CHECK(restart_with(&good));
	json_int_t three = queue_ack("marker@example.com", "Three");
	CHECK(sink_wait(&good, "message", "rcpt_to", "marker@example.com", WAIT_MS) != NULL);
	CHECK(three > two);
	msg = outbox_get(two);
	CHECK_STR(json_str(msg, "state"), "unknown");
	CHECK(json_str(msg, "last_error") && strstr(json_str(msg, "last_error"), "may have"));
	CHECK_STR(json_str(json_array_get(json_object_get(msg, "log"), 0), "outcome"), "unknown");
	json_decref(msg);
	CHECK_INT(sink_count(&good, "message", "rcpt_to", "after.data@example.com"), 0);
	/* GET /outbox?state=unknown is the admin's list of what to check. */
	json_t *unknown = outbox_all("state=unknown");
	CHECK_INT(json_array_size(unknown), 1);
	CHECK_INT(ival(json_array_get(unknown, 0), "id"), two);
	json_decref(unknown);
	/* The admin retries it: now it goes (the admin's call). */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/outbox/%lld/retry", (long long)two);
	CHECK_INT(api_status(&admin, "POST", path, NULL), 200);
	CHECK(sink_wait(&good, "message", "rcpt_to", "after.data@example.com", WAIT_MS) != NULL);
	msg = outbox_wait(two, "sent", 1, WAIT_MS);
	CHECK_STR(json_str(msg, "state"), "sent");
	json_decref(msg);

	/* 3. SIGTERM while the relay holds a message before DATA: the server stops at
	 * once (exit 0) and the message goes after the restart. */
	int status = -1;
	CHECK_INT(ts_kill(&server), 9);
	CHECK(sink_start(&hang, 0, at_rcpt));
	CHECK(restart_with(&hang));
	json_int_t four = queue_ack("stopping@example.com", "Four");
	CHECK(sink_wait(&hang, "rcpt", "to", "stopping@example.com", WAIT_MS) != NULL);
	int64_t took = term(&status);
	CHECK_INT(status, 0);
	CHECK(took < 5000);
	sink_stop(&hang);
	CHECK(restart_with(&good));
	CHECK(sink_wait(&good, "message", "rcpt_to", "stopping@example.com", WAIT_MS) != NULL);
	msg = outbox_wait(four, "sent", 2, WAIT_MS);
	CHECK_STR(json_str(json_array_get(json_object_get(msg, "log"), 0), "outcome"),
		  "interrupted");
	json_decref(msg);

	/* 4. SIGTERM while the relay has the data and does not answer: a few seconds'
	 * grace, then the server stops (exit 0) and the message is `unknown`. */
	CHECK_INT(ts_kill(&server), 9);
	CHECK(sink_start(&hang, 0, at_end));
	CHECK(restart_with(&hang));
	json_int_t five = queue_ack("grace@example.com", "Five");
	CHECK(sink_wait(&hang, "message", "rcpt_to", "grace@example.com", WAIT_MS) != NULL);
	took = term(&status);
	CHECK_INT(status, 0);
	CHECK(took < 12000); /* 5 s of grace; the relay's own timeouts are 60 s */
	sink_stop(&hang);
	CHECK(restart_with(&good));
	json_int_t six = queue_ack("marker2@example.com", "Six");
	CHECK(sink_wait(&good, "message", "rcpt_to", "marker2@example.com", WAIT_MS) != NULL);
	CHECK(six > five);
	msg = outbox_get(five);
	CHECK_STR(json_str(msg, "state"), "unknown");
	json_decref(msg);

	/* Over all of it, no address received a message twice from the good relay. */
	static const char *const each[] = {"before.data@", "after.data@", "marker@", "stopping@",
					   "marker2@"};
	sink_read(&good, 300);
	for (size_t k = 0; k < sizeof each / sizeof each[0]; k++)
		CHECK_INT(sink_count(&good, "message", "rcpt_to", each[k]), 1);
	CHECK_INT(sink_count(&good, "message", "rcpt_to", "grace@"), 0);
	sink_stop(&good);
}

/* ---- no relay at all ----------------------------------------------------------------- */

static void test_without_a_relay_the_outbox_fills(void)
{
	struct test_server plain;
	struct api_client a, s;
	struct http_response r;
	const char *args[] = {"--trusted-proxy", "127.0.0.1", NULL};
	CHECK(ts_start(&plain, args));
	CHECK(ts_add_user(&plain, "admin", "admin@plain.test", "Plain Admin", PW));
	api_client_at(&a, plain.port, "10.8.0.1");
	api_client_at(&s, plain.port, "10.8.0.2");
	CHECK_INT(api_login(&a, "admin@plain.test", PW), 200);
	CHECK_INT(api_status(&s, "POST", "/api/v1/inquiries",
			     "{\"channel\":\"web\",\"full_name\":\"No Relay\",\"email\":"
			     "\"norelay@example.com\",\"subject\":\"Hi\",\"message\":\"Hello\"}"),
		  201);
	CHECK_INT(
		api_status(&s, "POST", "/api/v1/inquiries",
			   "{\"channel\":\"web\",\"full_name\":\"No Relay\",\"email\":"
			   "\"norelay@example.com\",\"subject\":\"Again\",\"message\":\"Hello\"}"),
		201);
	api_call(&a, "GET", "/api/v1/outbox?state=queued&limit=1", NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *item = json_array_get(http_json(&r, "items"), 0);
	CHECK_STR(json_str(item, "to"), "norelay@example.com");
	CHECK_STR(json_str(item, "kind"), "inquiry_received");
	CHECK_STR(json_str(item, "state"), "queued");
	CHECK_INT(ival(item, "attempts"), 0);
	json_int_t next = ival(r.json, "next_after");
	CHECK(next == ival(item, "id"));
	http_response_free(&r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/outbox?state=queued&limit=1&after=%lld",
		 (long long)next);
	api_call(&a, "GET", path, NULL, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK(json_is_null(http_json(&r, "next_after")));
	CHECK_STR(json_str(json_array_get(http_json(&r, "items"), 0), "subject"),
		  "Zure mezua jaso dugu: Again");
	http_response_free(&r);
	api_call(&a, "GET", "/api/v1/outbox?state=sent", NULL, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
	CHECK_INT(ts_stop(&plain), 0);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	const char *reject[] = {"--reject", "bounce@", NULL};
	if (!sink_start(&sink, 0, reject))
		return 1;
	sink_url(&sink, url_arg, sizeof url_arg);
	if (!ts_start(&server, serve_args)) {
		sink_stop(&sink);
		return 1;
	}
	if (!setup_business()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		sink_stop(&sink);
		return 1;
	}
	RUN(test_confirmation_in_the_students_language);
	RUN(test_cancellation_arrives);
	RUN(test_inquiry_messages);
	RUN(test_failed_booking_queues_nothing);
	RUN(test_reminder_once_per_lesson);
	RUN(test_outbox_api);
	RUN(test_refused_recipient_fails_at_once);
	RUN(test_relay_down_then_up);
	RUN(test_crash_never_sends_twice);
	RUN(test_without_a_relay_the_outbox_fills);
	CHECK_INT(ts_stop(&server), 0);
	sink_stop(&sink);
	return CHECK_EXIT();
}
