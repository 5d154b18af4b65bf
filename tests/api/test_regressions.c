// SPDX-License-Identifier: MIT
// Regression tests, each named after the bug it pins (found in review of the
// foundation).
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

/* Registration took any password of 10+ characters, but login refused control
 * characters: a password with a tab could never log in. */
static void test_password_with_tab_can_log_in(void)
{
	struct api_client c;
	api_client_init(&c, server.port);
	CHECK_INT(api_register(&c, "tabby@example.com", "tab\there, and more", "Tabby"), 201);
	api_client_init(&c, server.port);
	CHECK_INT(api_login(&c, "tabby@example.com", "tab\there, and more"), 200);
	api_client_init(&c, server.port);
	CHECK_INT(api_register(&c, "spaces@example.com", "            ", "Spaces"), 201);
	api_client_init(&c, server.port);
	CHECK_INT(api_login(&c, "spaces@example.com", "            "), 200);
}

/* The decoded path went into the access log as it was: %0A forged a log line. */
static void test_newline_in_path_cannot_forge_a_log_line(void)
{
	struct http_response r;
	CHECK(http_request(server.port, "GET", "/nope%0A2026-01-01T00:00:00.000Z%20INFO%20forged",
			   NULL, NULL, 0, &r));
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	/* The access line is written when the request completes; a later request's
	 * answer means the earlier one's line is out. */
	CHECK(http_request(server.port, "GET", "/healthz", NULL, NULL, 0, &r));
	http_response_free(&r);
	FILE *log = fopen(server.log, "r");
	CHECK(log != NULL);
	char line[1024];
	bool forged = false, escaped = false;
	while (log && fgets(line, sizeof line, log)) {
		if (strncmp(line, "2026-01-01T00:00:00.000Z", 24) == 0)
			forged = true;
		if (strstr(line, "/nope\\x0a2026"))
			escaped = true;
	}
	if (log)
		fclose(log);
	CHECK(!forged);
	CHECK(escaped);
}

/* GET and POST of one path printed identical metric labels. */
static void test_metric_series_are_unique(void)
{
	struct api_client admin;
	struct http_response r;
	api_client_init(&admin, server.port);
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	CHECK(api_call(&admin, "GET", "/api/v1/users", NULL, &r));
	http_response_free(&r);
	CHECK(api_call(&admin, "POST", "/api/v1/users", "{}", &r));
	http_response_free(&r);
	CHECK(http_request(server.port, "GET", "/metrics", NULL, NULL, 0, &r));
	CHECK(r.body && strstr(r.body, "{method=\"GET\",route=\"/api/v1/users\",status=\"200\"}"));
	CHECK(r.body && strstr(r.body, "{method=\"POST\",route=\"/api/v1/users\",status=\"422\"}"));
	/* No two sample lines share their labels. */
	char *copy = strdup(r.body ? r.body : "");
	char *lines[512];
	int n = 0;
	for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l && n < 512;
	     l = strtok_r(NULL, "\n", &save)) {
		if (l[0] == '#')
			continue;
		char *space = strrchr(l, ' ');
		if (space)
			*space = '\0';
		for (int k = 0; k < n; k++)
			CHECK(strcmp(lines[k], l) != 0);
		lines[n++] = l;
	}
	CHECK(n > 10);
	free(copy);
	http_response_free(&r);
}

/* A student made staff kept its client record, and /me still showed it. */
static void test_staff_me_has_no_client_after_role_change(void)
{
	struct api_client admin, student;
	struct http_response r;
	api_client_init(&admin, server.port);
	api_client_init(&student, server.port);
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	CHECK_INT(api_register(&student, "promoted@example.com", "a fine password", "Promoted"),
		  201);
	CHECK(api_call(&student, "GET", "/api/v1/me", NULL, &r));
	int64_t id = json_integer_value(json_object_get(json_object_get(r.json, "user"), "id"));
	CHECK(json_is_object(json_object_get(r.json, "client")));
	http_response_free(&r);

	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
	CHECK(api_call(&admin, "PATCH", path, "{\"role\": \"staff\"}", &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	CHECK(api_call(&student, "GET", "/api/v1/me", NULL, &r));
	CHECK_STR(json_string_value(json_object_get(json_object_get(r.json, "user"), "role")),
		  "staff");
	CHECK(json_is_null(json_object_get(r.json, "client")));
	http_response_free(&r);
}

/* Logout with a cookie whose session had expired answered 401 and left the
 * cookie in the browser. */
static void test_logout_with_a_stale_cookie_clears_it(void)
{
	struct api_client c;
	struct http_response r;
	char cookie[256];
	api_client_init(&c, server.port);
	snprintf(c.cookie, sizeof c.cookie,
		 "hm_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	CHECK(api_call(&c, "POST", "/api/v1/auth/logout", NULL, &r));
	CHECK_INT(r.status, 204);
	CHECK(http_header(&r, "Set-Cookie", cookie, sizeof cookie) && strstr(cookie, "Max-Age=0"));
	http_response_free(&r);
}

/* `serve` created the database before noticing a wrong --web or --listen. */
static void test_serve_checks_before_creating_the_database(void)
{
	char db[96], *out = NULL;
	snprintf(db, sizeof db, "/tmp/harreman-never-%d.db", (int)getpid());
	const char *bad_web[] = {"serve", "--db", db, "--web", "/nonexistent/web", NULL};
	CHECK(run_cli(bad_web, NULL, NULL, &out) != 0);
	CHECK(out && strstr(out, "web directory"));
	free(out);
	const char *bad_listen[] = {"serve", "--db", db, "--listen", "localhost:8080", NULL};
	CHECK_INT(run_cli(bad_listen, NULL, NULL, &out), 2);
	free(out);
	CHECK(access(db, F_OK) != 0);
	const char *help[] = {"serve", "--help", NULL};
	CHECK_INT(run_cli(help, NULL, NULL, &out), 0);
	CHECK(out && strstr(out, "Usage"));
	free(out);
}

/* Messages with line breaks (a web form's inquiry, an answer, a call summary) were
 * refused as if they were names. */
static void test_multi_line_messages_are_accepted(void)
{
	struct http_response r;
	const char body[] = "{\"channel\":\"web\",\"full_name\":\"Miren\",\"email\":"
			    "\"miren@example.com\",\"subject\":\"Ordutegia\",\"message\":"
			    "\"Kaixo,\\n\\nasteartean libre?\\nEskerrik asko\"}";
	CHECK(http_request(server.port, "POST", "/api/v1/inquiries",
			   "Content-Type: application/json\r\n", body, sizeof body - 1, &r));
	CHECK_INT(r.status, 201);
	http_response_free(&r);
}

/* POST /gifts called "id" an unknown field; PATCH of a missing client or channel
 * answered 422 before 404. */
static void test_read_only_and_not_found_come_right(void)
{
	struct api_client admin;
	struct http_response r;
	api_client_init(&admin, server.port);
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	CHECK(api_call(&admin, "POST", "/api/v1/gifts",
		       "{\"id\":9,\"key\":\"mug\",\"name\":\"Katilua\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "id"), "is read-only");
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "PATCH", "/api/v1/clients/999999", "{\"pace\":\"quick\"}"),
		  404);
	CHECK_INT(api_status(&admin, "PATCH", "/api/v1/channels/999999", "{\"value\":\"\"}"), 404);
}

/* Replies are encoded into an 8 KiB buffer first; a bigger one must come whole. */
static void test_replies_over_8k_arrive_whole(void)
{
	int64_t today = 0, last = 0;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	hm_local_day(hm_time_now() + 30 * 86400, &last, &weekday);
	char path[160], from[HM_RFC3339_LEN], to[HM_RFC3339_LEN];
	hm_time_format(today * 86400, from);
	hm_time_format(last * 86400, to);
	from[10] = to[10] = '\0';
	snprintf(path, sizeof path, "/api/v1/slots?service_id=1&from=%s&to=%s", from, to);
	struct http_response r;
	CHECK(http_request(server.port, "GET", path, NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	CHECK(r.body_len > 8192);
	CHECK(json_array_size(http_json(&r, "items")) > 80);
	http_response_free(&r);
}

/* A booking 8,000 years ahead was accepted, and a series from 9999-12-28 ran past
 * what RFC 3339 can write. Bookings have a horizon now. */
static void test_bookings_have_a_horizon(void)
{
	struct api_client ane;
	struct http_response r;
	api_client_init(&ane, server.port);
	CHECK_INT(api_login(&ane, DEMO_STUDENT), 200);
	CHECK(api_call(&ane, "POST", "/api/v1/lessons",
		       "{\"service_id\":1,\"tutor_id\":2,\"starts_at\":\"9999-12-28T15:00:00Z\","
		       "\"repeat_weeks\":52}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "starts_at"), "is too far ahead: at most 400 days");
	http_response_free(&r);
	CHECK(api_call(&ane, "POST", "/api/v1/lessons",
		       "{\"service_id\":1,\"tutor_id\":2,\"starts_at\":\"0001-01-02T15:00:00Z\"}",
		       &r));
	CHECK_INT(r.status, 422);
	http_response_free(&r);
}

static double seconds_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* GETs target (any length) on a fresh connection; the time it took in *elapsed. */
static void get_timed(const char *target, struct http_response *r, double *elapsed)
{
	size_t cap = strlen(target) + 128;
	char *req = malloc(cap);
	int n = snprintf(req, cap, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			 target);
	double t0 = seconds_now();
	http_raw(server.port, req, (size_t)n, r);
	*elapsed = seconds_now() - t0;
	free(req);
}

/* A query of 1,000 parameters ran libmicrohttpd out of connection memory: it
 * queued a 431 that it never sent, and the client waited 30 s for the timeout.
 * Now the query is cut off before it is parsed and answered 414 in JSON at once;
 * so is any target over 8 KiB that libmicrohttpd can still hold. */
static void test_a_thousand_query_parameters_get_a_prompt_414(void)
{
	size_t cap = 40 * 1024;
	char *target = malloc(cap);
	struct http_response r;
	double t = 0;
	int n = snprintf(target, cap, "/api/v1/slots?service_id=1&from=2026-12-01&to=2026-12-02");
	for (int i = 0; i < 1000; i++)
		n += snprintf(target + n, cap - (size_t)n, "&a=1");
	get_timed(target, &r, &t);
	CHECK_INT(r.status, 414);
	CHECK_STR(http_error_code(&r), "uri_too_long");
	CHECK(t < 2.0);
	http_response_free(&r);
	/* 32 parameters are read; the 33rd is one too many. */
	n = snprintf(target, cap, "/api/v1/services?limit=5");
	for (int i = 1; i < 32; i++)
		n += snprintf(target + n, cap - (size_t)n, "&x%d=1", i);
	get_timed(target, &r, &t);
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	snprintf(target + n, cap - (size_t)n, "&x32=1");
	get_timed(target, &r, &t);
	CHECK_INT(r.status, 414);
	http_response_free(&r);
	/* Empty parameters count too: "?&&&..." */
	snprintf(target, cap, "/api/v1/slots?");
	memset(target + 14, '&', 2000);
	target[14 + 2000] = '\0';
	get_timed(target, &r, &t);
	CHECK_INT(r.status, 414);
	CHECK(t < 2.0);
	http_response_free(&r);
	/* A 16 KiB query and a 20 KiB path: our JSON 414, not libmicrohttpd's HTML. */
	n = snprintf(target, cap, "/api/v1/clients?q=");
	memset(target + n, 'q', 16 * 1024);
	target[n + 16 * 1024] = '\0';
	get_timed(target, &r, &t);
	CHECK_INT(r.status, 414);
	CHECK_STR(http_error_code(&r), "uri_too_long");
	char type[64];
	CHECK_STR(http_header(&r, "Content-Type", type, sizeof type),
		  "application/json; charset=utf-8");
	http_response_free(&r);
	target[0] = '/';
	memset(target + 1, 'p', 20 * 1024);
	target[1 + 20 * 1024] = '\0';
	get_timed(target, &r, &t);
	CHECK_INT(r.status, 414);
	CHECK_STR(http_error_code(&r), "uri_too_long");
	http_response_free(&r);
	/* Near the edge of libmicrohttpd's 32 KiB connection memory, with and without
	 * parameters: an answer or a closed connection, at once, never a wait. */
	double worst = 0;
	int answered = 0, tries = 0;
	for (int len = 31000; len <= 33500; len += 100) {
		for (int args = 0; args <= 40; args += 20) {
			n = snprintf(target, cap, "/api/v1/clients?q=");
			memset(target + n, 'q', (size_t)len);
			n += len;
			for (int i = 0; i < args; i++)
				n += snprintf(target + n, cap - (size_t)n, "&b=%d", i);
			target[n] = '\0';
			get_timed(target, &r, &t);
			tries++;
			answered += r.status >= 400 && r.status < 500;
			CHECK(r.status == 0 || (r.status >= 400 && r.status < 500));
			if (t > worst)
				worst = t;
			http_response_free(&r);
		}
	}
	CHECK(worst < 2.0);
	CHECK(answered > tries / 2);
	fprintf(stderr, "  edge of the connection memory: %d/%d answered, worst %.3f s\n", answered,
		tries, worst);
	free(target);
}

/* POST /auth/register had no rate limit: one address could create accounts (and
 * make the server hash passwords) without end. Now 20 well-formed registrations
 * per address per hour, whatever their outcome, then 429 with Retry-After. */
static void test_register_is_rate_limited_per_address(void)
{
	static const char *const args[] = {"--trusted-proxy", "127.0.0.1", NULL};
	struct test_server other;
	if (!ts_start(&other, args)) {
		CHECK(false);
		return;
	}
	struct api_client c;
	struct http_response r;
	char email[64], retry[32];
	int created = 0, taken = 0;
	for (int i = 0; i < 20; i++) {
		api_client_at(&c, other.port, "10.9.9.9");
		/* Every fourth one is an e-mail that is taken: it counts all the same. */
		snprintf(email, sizeof email, "many%d@example.com", i % 4 == 3 ? 0 : i);
		int status = api_register(&c, email, "a fine password", "Many Accounts");
		created += status == 201;
		taken += status == 409;
	}
	CHECK_INT(created, 15);
	CHECK_INT(taken, 5);
	/* Malformed bodies are refused without counting, but once the address is
	 * spent, everything is 429 (before validation, like inquiries). */
	api_client_at(&c, other.port, "10.9.9.9");
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"late@example.com\",\"password\":\"a fine password\","
		       "\"full_name\":\"Too Late\"}",
		       &r));
	CHECK_INT(r.status, 429);
	CHECK_STR(http_error_code(&r), "rate_limited");
	long wait = http_header(&r, "Retry-After", retry, sizeof retry) ? strtol(retry, NULL, 10)
									: 0;
	CHECK(wait >= 3500 && wait <= 3600);
	http_response_free(&r);
	CHECK_INT(api_status(&c, "POST", "/api/v1/auth/register", "{\"email\":\"x\"}"), 429);
	/* Another address is not affected, and the 429 created nothing. */
	api_client_at(&c, other.port, "10.9.9.10");
	CHECK_INT(api_register(&c, "late@example.com", "a fine password", "On Time"), 201);
	CHECK_INT(ts_stop(&other), 0);
}

int main(void)
{
	const char *extra[] = {"--demo", NULL};
	if (!ts_start(&server, extra))
		return 1;
	RUN(test_password_with_tab_can_log_in);
	RUN(test_newline_in_path_cannot_forge_a_log_line);
	RUN(test_metric_series_are_unique);
	RUN(test_staff_me_has_no_client_after_role_change);
	RUN(test_logout_with_a_stale_cookie_clears_it);
	RUN(test_serve_checks_before_creating_the_database);
	RUN(test_multi_line_messages_are_accepted);
	RUN(test_read_only_and_not_found_come_right);
	RUN(test_replies_over_8k_arrive_whole);
	RUN(test_bookings_have_a_horizon);
	RUN(test_a_thousand_query_parameters_get_a_prompt_414);
	RUN(test_register_is_rate_limited_per_address);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
