// SPDX-License-Identifier: MIT
// Hostile input against the real server (issue 5, item 3): deeply nested JSON, wrong
// types, huge numbers, NUL bytes and invalid UTF-8, over-long strings, SQL
// metacharacters, huge URLs and headers, malformed request lines, lying
// Content-Length, bad chunking, many idle connections and slow clients. Every answer
// is a 4xx (a JSON envelope when our code answered), nothing hangs, /healthz keeps
// answering, and the rejected requests leave the database unchanged.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

static struct test_server server;
static struct api_client student, staff;
static int xff_counter;

enum who { ANON, STUDENT, STAFF };

static const char *const tables[] = {"users",   "clients",   "contracts",
				     "lessons", "inquiries", "audit_log"};
#define NTABLES (sizeof tables / sizeof tables[0])

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void db_counts(long long out[NTABLES])
{
	sqlite3 *h = NULL;
	for (size_t i = 0; i < NTABLES; i++)
		out[i] = -1;
	if (sqlite3_open_v2(server.db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return;
	}
	sqlite3_busy_timeout(h, 5000);
	for (size_t i = 0; i < NTABLES; i++) {
		char sql[96];
		sqlite3_stmt *st = NULL;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			out[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
}

static const char *integrity(char *buf, size_t size)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	snprintf(buf, size, "(failed)");
	if (sqlite3_open_v2(server.db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return buf;
}

/* The server answers /healthz (retrying briefly while it reaps closed sockets). */
static void healthz_ok(void)
{
	int status = 0;
	for (int i = 0; i < 40 && status != 200; i++) {
		struct http_response r;
		http_request(server.port, "GET", "/healthz", NULL, NULL, 0, &r);
		status = r.status;
		http_response_free(&r);
		if (status != 200)
			sleep_ms(50);
	}
	CHECK_INT(status, 200);
}

/* A 4xx; with a JSON error envelope when json_required. */
static void check_4xx(const struct http_response *r, bool json_required, const char *what)
{
	check_count++;
	bool ok = r->status >= 400 && r->status < 500 &&
		  (!json_required || http_error_code(r) != NULL);
	if (!ok) {
		check_failures++;
		fprintf(stderr, "  %s: status %d, body %.200s\n", what, r->status,
			r->body ? r->body : "(none)");
	}
}

/* Sends a JSON body (any bytes) as who, from a fresh forwarded address. */
static void send_json(const char *method, const char *path, enum who who, const char *body,
		      size_t len, struct http_response *r)
{
	char headers[512];
	int n = snprintf(headers, sizeof headers,
			 "Content-Type: application/json\r\nX-Forwarded-For: 10.77.%d.%d\r\n",
			 (xff_counter / 250) % 250, xff_counter % 250 + 1);
	xff_counter++;
	const struct api_client *c = who == STUDENT ? &student : who == STAFF ? &staff : NULL;
	if (c)
		snprintf(headers + n, sizeof headers - (size_t)n,
			 "Cookie: %s\r\nX-CSRF-Token: %s\r\n", c->cookie, c->csrf);
	http_request(server.port, method, path, headers, body, len, r);
}

/* Sends and expects a 4xx JSON error. Returns the status. */
static int hostile(const char *method, const char *path, enum who who, const char *body, size_t len)
{
	struct http_response r;
	send_json(method, path, who, body, len, &r);
	char what[160];
	snprintf(what, sizeof what, "%s %s body %.60s", method, path, body);
	check_4xx(&r, true, what);
	int status = r.status;
	http_response_free(&r);
	return status;
}

static int hostile_s(const char *method, const char *path, enum who who, const char *body)
{
	return hostile(method, path, who, body, strlen(body));
}

/* ---- raw sockets with bounded waits ---- */

static int connect_from(const char *src_ip)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (src_ip) {
		struct sockaddr_in src = {.sin_family = AF_INET};
		inet_pton(AF_INET, src_ip, &src.sin_addr);
		if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
			close(fd);
			return -1;
		}
	}
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(server.port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_all(int fd, const char *bytes, size_t len)
{
	size_t sent = 0;
	while (sent < len) {
		ssize_t n = send(fd, bytes + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
}

/* Reads until close or until timeout_ms passes with the answer incomplete; parses
 * what came. Returns true when the server closed (or answered) within the time. */
static bool read_answer(int fd, int timeout_ms, struct http_response *out)
{
	memset(out, 0, sizeof *out);
	size_t cap = 1 << 16, used = 0;
	char *data = malloc(cap);
	double deadline = now_s() + timeout_ms / 1000.0;
	bool closed = false;
	for (;;) {
		int left = (int)((deadline - now_s()) * 1000);
		if (left <= 0)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, left) <= 0)
			break;
		if (used + 4096 > cap) {
			cap *= 2;
			data = realloc(data, cap);
		}
		ssize_t n = recv(fd, data + used, cap - used - 1, 0);
		if (n <= 0) {
			closed = true;
			break;
		}
		used += (size_t)n;
	}
	data[used] = '\0';
	char *end = strstr(data, "\r\n\r\n");
	if (end && strncmp(data, "HTTP/1.", 7) == 0) {
		out->status = (int)strtol(data + 9, NULL, 10);
		out->head = strndup(data, (size_t)(end - data));
		size_t body_len = used - (size_t)(end - data) - 4;
		out->body = malloc(body_len + 1);
		memcpy(out->body, end + 4, body_len);
		out->body[body_len] = '\0';
		out->body_len = body_len;
		out->json = json_loadb(out->body, body_len, 0, NULL);
	}
	free(data);
	return closed || out->status != 0;
}

/* One raw exchange with a bounded wait; half-closes after sending. */
static bool raw_bounded(const char *bytes, size_t len, int timeout_ms, struct http_response *out)
{
	memset(out, 0, sizeof *out);
	int fd = connect_from(NULL);
	if (fd < 0)
		return false;
	send_all(fd, bytes, len);
	shutdown(fd, SHUT_WR);
	bool done = read_answer(fd, timeout_ms, out);
	close(fd);
	return done;
}

/* A protocol-level hostile request: a 4xx, or no answer, never a 5xx or a 2xx.
 * JSON is not required: libmicrohttpd answers these itself. The wait is bounded to
 * 1.2 s: libmicrohttpd keeps some broken requests open until its 30 s connection
 * timeout (reported); what matters is that everyone else is still served. */
static void protocol_hostile(const char *what, const char *bytes, size_t len)
{
	struct http_response r;
	bool done = raw_bounded(bytes, len, 1200, &r);
	check_count++;
	if (r.status >= 500 || (r.status != 0 && r.status < 400)) {
		check_failures++;
		fprintf(stderr, "  %s: status %d body %.200s\n", what, r.status,
			r.body ? r.body : "(none)");
	} else {
		char ct[128];
		const char *t = http_header(&r, "Content-Type", ct, sizeof ct);
		fprintf(stderr, "  %.40s -> %d%s (%s%s)\n", what, r.status,
			done ? "" : ", no answer within 1.2 s", t ? t : "no content-type",
			r.status && !r.json ? ", not JSON" : "");
	}
	http_response_free(&r);
	healthz_ok();
}

/* ---- JSON bodies ---- */

static void test_deep_nesting(void)
{
	size_t n = 100000;
	char *b = malloc(n + 64);
	memset(b, '[', n);
	/* 100,000 bytes: over the 64 KiB cap, refused before parsing. */
	CHECK(hostile("POST", "/api/v1/auth/register", ANON, b, n) == 413);
	/* 60,000 '[' fit under the cap: the parser must refuse, not recurse to death. */
	CHECK_INT(hostile("POST", "/api/v1/auth/register", ANON, b, 60000), 400);
	CHECK_INT(hostile("POST", "/api/v1/inquiries", ANON, b, 60000), 400);
	CHECK_INT(hostile("POST", "/api/v1/lessons", STUDENT, b, 60000), 400);
	CHECK_INT(hostile("PATCH", "/api/v1/clients/1", STAFF, b, 60000), 400);
	/* Nesting inside an object member, and with objects. */
	size_t k = (size_t)snprintf(b, 32, "{\"full_name\":");
	memset(b + k, '[', 30000);
	CHECK_INT(hostile("POST", "/api/v1/auth/register", ANON, b, k + 30000), 400);
	k = 0;
	for (int i = 0; i < 10000; i++)
		k += (size_t)snprintf(b + k, 16, "{\"a\":");
	CHECK_INT(hostile("POST", "/api/v1/inquiries", ANON, b, k), 400);
	/* Deep but complete nesting (balanced) in a field: 422 or 400, never 5xx. */
	k = (size_t)snprintf(b, 32, "{\"full_name\":");
	memset(b + k, '[', 20000);
	memset(b + k + 20000, ']', 20000);
	b[k + 40000] = '}';
	hostile("POST", "/api/v1/auth/register", ANON, b, k + 40001);
	free(b);
	healthz_ok();
}

static const char *const bad_values[] = {
	"{}",
	"{\"a\":[1,{\"b\":null}]}",
	"[]",
	"[1]",
	"[\"x\"]",
	"true",
	"false",
	"null",
	"0",
	"-1",
	"1.5",
	"-0",
	"1e400",
	"-1e400",
	"99999999999999999999",
	"9223372036854775808",
	"-9223372036854775809",
	"1e-400",
	"\"\"",
};

static void test_wrong_types(void)
{
	char body[512];
	/* register: every field a string; each replaced by each non-string value. */
	static const char *const reg_fields[] = {"email", "password", "full_name", "locale"};
	for (size_t f = 0; f < 4; f++)
		for (size_t v = 0; v < sizeof bad_values / sizeof bad_values[0]; v++) {
			if (strcmp(bad_values[v], "\"\"") == 0 && f == 3)
				continue; /* "" as locale: still invalid, but covered elsewhere */
			snprintf(
				body, sizeof body,
				"{\"email\":\"types%zu.%zu@example.com\",\"password\":\"long-enough-"
				"pass\",\"full_name\":\"Type Test\",\"locale\":\"eu\",\"%s\":%s}",
				f, v, reg_fields[f], bad_values[v]);
			/* The duplicate key makes this bad_json; also send it replaced. */
			hostile_s("POST", "/api/v1/auth/register", ANON, body);
			snprintf(body, sizeof body, "{\"%s\":%s,\"password\":\"short\"}",
				 reg_fields[f], bad_values[v]);
			hostile_s("POST", "/api/v1/auth/register", ANON, body);
		}
	/* inquiries: channel, names and text. */
	for (size_t f = 0; f < 6; f++)
		for (size_t v = 0; v < sizeof bad_values / sizeof bad_values[0]; v++) {
			const char *val = bad_values[v];
			if ((strcmp(val, "\"\"") == 0 || strcmp(val, "null") == 0) &&
			    (f == 2 || f == 3))
				continue; /* an empty e-mail or phone may be allowed when the other is set */
			const char *full = "Hostile Tester", *email = "h@example.com",
				   *chan = "web", *subj = "Subject", *msg = "Message",
				   *phone = "+34 600 000 009";
			snprintf(body, sizeof body,
				 "{\"channel\":%s%s%s,\"full_name\":%s%s%s,\"email\":%s%s%s,"
				 "\"phone\":%s%s%s,\"subject\":%s%s%s,\"message\":%s%s%s}",
				 f == 0 ? "" : "\"", f == 0 ? val : chan, f == 0 ? "" : "\"",
				 f == 1 ? "" : "\"", f == 1 ? val : full, f == 1 ? "" : "\"",
				 f == 2 ? "" : "\"", f == 2 ? val : email, f == 2 ? "" : "\"",
				 f == 3 ? "" : "\"", f == 3 ? val : phone, f == 3 ? "" : "\"",
				 f == 4 ? "" : "\"", f == 4 ? val : subj, f == 4 ? "" : "\"",
				 f == 5 ? "" : "\"", f == 5 ? val : msg, f == 5 ? "" : "\"");
			hostile_s("POST", "/api/v1/inquiries", ANON, body);
		}
	/* lessons as the student: ids and the instant. The other fields never name a
	 * bookable slot (tutor 999999, a past instant), so nothing can be booked. */
	static const char *const ids[] = {"\"1\"",
					  "[1]",
					  "{\"id\":1}",
					  "true",
					  "null",
					  "1.5",
					  "-0",
					  "0",
					  "-1",
					  "1e400",
					  "99999999999999999999",
					  "9223372036854775807",
					  "9223372036854775808",
					  "\"\"",
					  "-9223372036854775808"};
	for (size_t v = 0; v < sizeof ids / sizeof ids[0]; v++) {
		snprintf(
			body, sizeof body,
			"{\"service_id\":%s,\"tutor_id\":999999,\"starts_at\":\"2020-01-07T10:00:00Z\"}",
			ids[v]);
		hostile_s("POST", "/api/v1/lessons", STUDENT, body);
		snprintf(
			body, sizeof body,
			"{\"service_id\":1,\"tutor_id\":%s,\"starts_at\":\"2020-01-07T10:00:00Z\"}",
			ids[v]);
		hostile_s("POST", "/api/v1/lessons", STUDENT, body);
		snprintf(
			body, sizeof body,
			"{\"service_id\":1,\"tutor_id\":999999,\"starts_at\":\"2020-01-07T10:00:00Z\","
			"\"contract_id\":%s}",
			ids[v]);
		hostile_s("POST", "/api/v1/lessons", STUDENT, body);
		snprintf(body, sizeof body,
			 "{\"service_id\":1,\"tutor_id\":999999,\"starts_at\":%s}", ids[v]);
		hostile_s("POST", "/api/v1/lessons", STUDENT, body);
	}
	static const char *const instants[] = {"\"2026-02-30T10:00:00Z\"",
					       "\"9999999999-01-01T00:00:00Z\"",
					       "\"2026-01-01T25:61:61Z\"",
					       "\"2026-01-01T10:00:00+99:99\"",
					       "\"'; DROP TABLE lessons; --\"",
					       "\"-2026-01-01T10:00:00Z\"",
					       "\"2026-01-01T10:00:00.999999999999999999Z\""};
	for (size_t v = 0; v < sizeof instants / sizeof instants[0]; v++) {
		snprintf(body, sizeof body, "{\"service_id\":1,\"tutor_id\":1,\"starts_at\":%s}",
			 instants[v]);
		hostile_s("POST", "/api/v1/lessons", STUDENT, body);
	}
	/* PATCH /clients/1 as staff: strings, the guardian object, and ids in the path. */
	static const char *const cl_fields[] = {"full_name", "email", "phone",
						"locale",    "pace",  "guardian"};
	for (size_t f = 0; f < 6; f++)
		for (size_t v = 0; v < sizeof bad_values / sizeof bad_values[0]; v++) {
			const char *val = bad_values[v];
			if (f == 5 && (strcmp(val, "null") == 0 || val[0] == '{'))
				continue; /* null clears the guardian; objects are its type */
			if (strcmp(val, "null") == 0)
				continue; /* PATCH treats null as "leave unchanged" (reported) */
			if (strcmp(val, "\"\"") == 0)
				continue;
			snprintf(body, sizeof body, "{\"%s\":%s}", cl_fields[f], val);
			hostile_s("PATCH", "/api/v1/clients/1", STAFF, body);
		}
	hostile_s("PATCH", "/api/v1/clients/1", STAFF, "{\"guardian\":{\"full_name\":[1]}}");
	hostile_s("PATCH", "/api/v1/clients/1", STAFF, "{\"guardian\":{\"email\":{}}}");
	hostile_s("PATCH", "/api/v1/clients/1", STAFF, "{\"guardian\":{\"x\":1}}");
	hostile_s("PATCH", "/api/v1/clients/1", STAFF, "{\"id\":2}");
	static const char *const paths[] = {"/api/v1/clients/1.5",
					    "/api/v1/clients/-1",
					    "/api/v1/clients/99999999999999999999",
					    "/api/v1/clients/0x1",
					    "/api/v1/clients/1e3",
					    "/api/v1/clients/%2B1",
					    "/api/v1/clients/%201",
					    "/api/v1/clients/01%27"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		hostile_s("PATCH", paths[i], STAFF, "{\"full_name\":\"X Y\"}");
	healthz_ok();
}

static void test_nul_bytes_and_bad_utf8(void)
{
	static const char *const strings[] = {
		"a\\u0000b",      "\\u0000",          "a\xc3\x28z",       "\xc0\xaf",
		"\xe0\x80\xaf",   "\xf0\x80\x80\xaf", "\\ud800",          "\\udc00x",
		"\\ud800\\u0041", "\xed\xa0\x80",     "\xf4\x90\x80\x80", "\xff\xfe",
		"\x80",           "abc\xe2\x82",      "\x01\x02",         "\x7f\\u001f",
	};
	char body[512];
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		snprintf(body, sizeof body,
			 "{\"email\":\"u%zu@example.com\",\"password\":\"long-enough-pass\","
			 "\"full_name\":\"%s\"}",
			 i, strings[i]);
		hostile_s("POST", "/api/v1/auth/register", ANON, body);
		snprintf(body, sizeof body,
			 "{\"email\":\"u%zu%s@example.com\",\"password\":\"long-enough-pass\","
			 "\"full_name\":\"Name\"}",
			 i, strings[i]);
		hostile_s("POST", "/api/v1/auth/register", ANON, body);
		snprintf(body, sizeof body,
			 "{\"channel\":\"web\",\"full_name\":\"Inq\",\"email\":\"i@example.com\","
			 "\"subject\":\"S\",\"message\":\"%s\"}",
			 strings[i]);
		hostile_s("POST", "/api/v1/inquiries", ANON, body);
		snprintf(body, sizeof body, "{\"full_name\":\"%s\"}", strings[i]);
		hostile_s("PATCH", "/api/v1/clients/1", STAFF, body);
		snprintf(
			body, sizeof body,
			"{\"service_id\":1,\"tutor_id\":1,\"starts_at\":\"2026-01-01T10:00:00Z%s\"}",
			strings[i]);
		hostile_s("POST", "/api/v1/lessons", STUDENT, body);
		/* Invalid UTF-8 in a member name. */
		snprintf(body, sizeof body, "{\"%s\":1}", strings[i]);
		hostile_s("POST", "/api/v1/inquiries", ANON, body);
	}
	/* Raw NUL bytes: inside a string, between tokens, after the object, alone. */
	static const char raw1[] = "{\"full_name\":\"a\0b\",\"email\":\"n@example.com\"}";
	static const char raw2[] = "{\0\"full_name\":\"ab\"}";
	static const char raw3[] = "{\"message\":\"x\"}\0{\"message\":\"y\"}";
	static const char raw4[] = "\0\0\0\0";
	static const char raw5[] = "\xef\xbb\xbf{\"message\":\"bom\"}";
	struct {
		const char *b;
		size_t n;
	} raws[] = {{raw1, sizeof raw1 - 1},
		    {raw2, sizeof raw2 - 1},
		    {raw3, sizeof raw3 - 1},
		    {raw4, sizeof raw4 - 1},
		    {raw5, sizeof raw5 - 1}};
	for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
		CHECK_INT(hostile("POST", "/api/v1/auth/register", ANON, raws[i].b, raws[i].n),
			  400);
		CHECK_INT(hostile("POST", "/api/v1/inquiries", ANON, raws[i].b, raws[i].n), 400);
		CHECK_INT(hostile("POST", "/api/v1/lessons", STUDENT, raws[i].b, raws[i].n), 400);
		CHECK_INT(hostile("PATCH", "/api/v1/clients/1", STAFF, raws[i].b, raws[i].n), 400);
	}
	healthz_ok();
}

static char *repeat(const char *unit, size_t times)
{
	size_t ul = strlen(unit);
	char *s = malloc(ul * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * times] = '\0';
	return s;
}

/* Posts a register body whose password is too short (so it can never be created) and
 * returns whether field was named in the 422. */
static bool register_flags(const char *email, const char *name, const char *field)
{
	size_t cap = strlen(email) + strlen(name) + 128;
	char *body = malloc(cap);
	snprintf(body, cap, "{\"email\":\"%s\",\"password\":\"short\",\"full_name\":\"%s\"}", email,
		 name);
	struct http_response r;
	send_json("POST", "/api/v1/auth/register", ANON, body, strlen(body), &r);
	check_4xx(&r, true, "register (short password)");
	CHECK_INT(r.status, 422);
	bool flagged = http_error_field(&r, field) != NULL;
	http_response_free(&r);
	free(body);
	return flagged;
}

static void test_long_strings(void)
{
	char *n200 = repeat("a", 200), *n201 = repeat("a", 201), *e200 = repeat("\xc3\xa9", 200);
	CHECK(!register_flags("len@example.com", n200, "full_name"));
	CHECK(register_flags("len@example.com", n201, "full_name"));
	/* The limit counts characters, not bytes: 200 'é' are 400 bytes. */
	CHECK(!register_flags("len@example.com", e200, "full_name"));
	char *local = repeat("b", 254 - 12), email[300];
	snprintf(email, sizeof email, "%s@example.com", local); /* 254 characters */
	CHECK_INT(strlen(email), 254);
	CHECK(register_flags(email, "Name", "password"));
	snprintf(email, sizeof email, "%sc@example.com", local); /* 255 characters */
	CHECK(register_flags(email, "Name", "email"));
	char *big = repeat("z", 60 * 1024);
	CHECK(register_flags("big@example.com", big, "full_name"));

	/* inquiries: 10,001-character message, 201-character subject and name. */
	char *m = repeat("m", 10001);
	size_t cap = 10001 + 60 * 1024 + 512;
	char *body = malloc(cap);
	snprintf(body, cap,
		 "{\"channel\":\"web\",\"full_name\":\"Long\",\"email\":\"l@example.com\","
		 "\"subject\":\"S\",\"message\":\"%s\"}",
		 m);
	struct http_response r;
	send_json("POST", "/api/v1/inquiries", ANON, body, strlen(body), &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "message") != NULL);
	http_response_free(&r);
	snprintf(body, cap,
		 "{\"channel\":\"web\",\"full_name\":\"%s\",\"email\":\"l@example.com\","
		 "\"subject\":\"%s\",\"message\":\"M\"}",
		 n201, n201);
	send_json("POST", "/api/v1/inquiries", ANON, body, strlen(body), &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "full_name") != NULL);
	CHECK(http_error_field(&r, "subject") != NULL);
	http_response_free(&r);
	snprintf(body, cap,
		 "{\"channel\":\"web\",\"full_name\":\"L\",\"email\":\"l@example.com\","
		 "\"subject\":\"S\",\"message\":\"%s\"}",
		 big);
	CHECK_INT(hostile_s("POST", "/api/v1/inquiries", ANON, body), 422);
	/* PATCH /clients/1: over-long name, e-mail, phone. */
	char *p41 = repeat("1", 41);
	snprintf(body, cap, "{\"full_name\":\"%s\"}", n201);
	CHECK_INT(hostile_s("PATCH", "/api/v1/clients/1", STAFF, body), 422);
	snprintf(body, cap, "{\"email\":\"%sc@example.com\"}", local);
	CHECK_INT(hostile_s("PATCH", "/api/v1/clients/1", STAFF, body), 422);
	snprintf(body, cap, "{\"phone\":\"%s\"}", p41);
	CHECK_INT(hostile_s("PATCH", "/api/v1/clients/1", STAFF, body), 422);
	snprintf(body, cap, "{\"full_name\":\"%s\"}", big);
	CHECK_INT(hostile_s("PATCH", "/api/v1/clients/1", STAFF, body), 422);
	/* A 60 KiB member name and a 60 KiB instant. */
	snprintf(body, cap, "{\"%s\":1}", big);
	CHECK_INT(hostile_s("POST", "/api/v1/lessons", STUDENT, body), 422);
	snprintf(body, cap, "{\"service_id\":1,\"tutor_id\":1,\"starts_at\":\"%s\"}", big);
	CHECK_INT(hostile_s("POST", "/api/v1/lessons", STUDENT, body), 422);
	free(n200), free(n201), free(e200), free(local), free(big), free(m), free(body), free(p41);
	healthz_ok();
}

/* ---- queries, URLs, headers ---- */

static void staff_get(const char *path, struct http_response *r)
{
	/* Built here: the harness's http_request assumes paths of a few KiB. */
	size_t cap = strlen(path) + 512;
	char *req = malloc(cap);
	int n = snprintf(req, cap,
			 "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: %s\r\n\r\n",
			 path, staff.cookie);
	http_raw(server.port, req, (size_t)n, r);
	free(req);
}

static void test_hostile_queries(void)
{
	static const char *const slots[] = {
		"/api/v1/slots?service_id=1%27%20OR%201=1--&from=2026-12-01&to=2026-12-02",
		"/api/v1/slots?service_id=99999999999999999999&from=2026-12-01&to=2026-12-02",
		"/api/v1/slots?service_id=-1&from=2026-12-01&to=2026-12-02",
		"/api/v1/slots?service_id=1e400&from=2026-12-01&to=2026-12-02",
		"/api/v1/slots?service_id=1.5&from=2026-12-01&to=2026-12-02",
		"/api/v1/slots?service_id=%00&from=2026-12-01&to=2026-12-02",
		"/api/v1/slots?service_id=1&from=2026-13-45&to=2026-12-02",
		"/api/v1/slots?service_id=1&from=2026-12-01%00&to=2026-12-02",
		"/api/v1/slots?service_id=1&from=%C3%28&to=2026-12-02",
		"/api/v1/slots?service_id=1&from=0000-01-01&to=9999-12-31",
		"/api/v1/slots?service_id=1&from=2026-12-02&to=2026-12-01",
		"/api/v1/slots?service_id=1&from=-2026-12-02&to=2026-12-01",
		"/api/v1/slots?service_id=1&from=2026-12-01&to=2026-12-02&tutor_id=abc",
		"/api/v1/slots?service_id",
		"/api/v1/slots?&&&=&==",
		"/api/v1/slots?%",
		"/api/v1/slots?service_id=%zz",
	};
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		struct http_response r;
		staff_get(slots[i], &r);
		check_4xx(&r, true, slots[i]);
		http_response_free(&r);
	}
	static const char *const qs[] = {
		"/api/v1/clients?q=%27%3B%20DROP%20TABLE%20clients%3B%20--",
		"/api/v1/clients?q=%27%20OR%20%271%27%3D%271",
		"/api/v1/clients?q=%22%29%3B%20--",
		"/api/v1/clients?q=%00",
		"/api/v1/clients?q=%C3%28",
		"/api/v1/clients?q=%ED%A0%80",
		"/api/v1/clients?q=%5C",
		"/api/v1/clients?q=%5C%25",
		"/api/v1/clients?q=%2A",
		"/api/v1/clients?q=[a-z]",
		"/api/v1/clients?limit=-1",
		"/api/v1/clients?limit=99999999999999999999",
		"/api/v1/clients?after=%27",
		"/api/v1/clients?after=-9223372036854775808",
	};
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		struct http_response r;
		staff_get(qs[i], &r);
		check_count++;
		bool ok = (r.status == 200 && json_is_array(http_json(&r, "items"))) ||
			  (r.status >= 400 && r.status < 500 && http_error_code(&r));
		if (!ok) {
			check_failures++;
			fprintf(stderr, "  %s: %d %.200s\n", qs[i], r.status, r.body ? r.body : "");
		}
		/* A literal search term matches no demo client. */
		if (r.status == 200 && i < 3)
			CHECK_INT(json_array_size(http_json(&r, "items")), 0);
		http_response_free(&r);
	}
	healthz_ok();
}

static void test_long_urls_and_many_params(void)
{
	/* 8 KiB of ?q=: our code answers (200 or a 4xx JSON). */
	size_t cap = 120 * 1024;
	char *path = malloc(cap);
	int n = snprintf(path, cap, "/api/v1/clients?q=");
	memset(path + n, 'q', 8 * 1024);
	path[n + 8 * 1024] = '\0';
	struct http_response r;
	staff_get(path, &r);
	CHECK(r.status == 200 || (r.status >= 400 && r.status < 500 && http_error_code(&r)));
	http_response_free(&r);
	/* 1,000 &a=1 on /slots and /clients: cut off before libmicrohttpd parses them
	 * (it would run out of connection memory and hang), answered 414 in JSON. */
	n = snprintf(path, cap, "/api/v1/slots?service_id=1&from=2026-12-01&to=2026-12-02");
	for (int i = 0; i < 1000; i++)
		n += snprintf(path + n, cap - (size_t)n, "&a=1");
	staff_get(path, &r);
	CHECK_INT(r.status, 414);
	CHECK_STR(http_error_code(&r), "uri_too_long");
	http_response_free(&r);
	n = snprintf(path, cap, "/api/v1/clients?q=x");
	for (int i = 0; i < 1000; i++)
		n += snprintf(path + n, cap - (size_t)n, "&q=%d", i);
	staff_get(path, &r);
	CHECK_INT(r.status, 414);
	CHECK_STR(http_error_code(&r), "uri_too_long");
	http_response_free(&r);
	/* 200 parameters: over the 32 we read, our code answers 414. */
	n = snprintf(path, cap, "/api/v1/slots?service_id=1&from=2026-12-01&to=2026-12-02");
	for (int i = 0; i < 200; i++)
		n += snprintf(path + n, cap - (size_t)n, "&a=1");
	staff_get(path, &r);
	CHECK(r.status > 0 && r.status < 500);
	CHECK(r.status < 400 || http_error_code(&r));
	http_response_free(&r);
	/* 100 KiB URL: over libmicrohttpd's connection memory, it answers itself. */
	n = snprintf(path, cap, "GET /api/v1/clients?q=");
	memset(path + n, 'q', 100 * 1024);
	n += 100 * 1024;
	n += snprintf(path + n, cap - (size_t)n,
		      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	protocol_hostile("100 KiB URL", path, (size_t)n);
	n = snprintf(path, cap, "GET /");
	memset(path + n, 'p', 100 * 1024);
	n += 100 * 1024;
	n += snprintf(path + n, cap - (size_t)n,
		      " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	protocol_hostile("100 KiB path", path, (size_t)n);
	free(path);
}

static void test_headers(void)
{
	size_t cap = 200 * 1024;
	char *h = malloc(cap);
	struct http_response r;
	/* A 4 KiB header value and 200 headers: answered normally. */
	int n = snprintf(h, cap, "X-Long: ");
	memset(h + n, 'v', 4096);
	n += 4096;
	n += snprintf(h + n, cap - (size_t)n, "\r\n");
	CHECK(http_request(server.port, "GET", "/healthz", h, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	n = 0;
	for (int i = 0; i < 200; i++)
		n += snprintf(h + n, cap - (size_t)n, "X-H-%d: %d\r\n", i, i);
	CHECK(http_request(server.port, "GET", "/api/v1/me", h, NULL, 0, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	/* A 64 KiB header value and 5,000 headers: libmicrohttpd refuses. */
	n = snprintf(h, cap, "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ");
	memset(h + n, 'v', 64 * 1024);
	n += 64 * 1024;
	n += snprintf(h + n, cap - (size_t)n, "\r\n\r\n");
	protocol_hostile("64 KiB header value", h, (size_t)n);
	n = snprintf(h, cap, "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
	for (int i = 0; i < 5000; i++)
		n += snprintf(h + n, cap - (size_t)n, "X-%d: 1\r\n", i);
	n += snprintf(h + n, cap - (size_t)n, "\r\n");
	protocol_hostile("5,000 headers", h, (size_t)n);
	/* A Cookie header with 10,000 cookies, and one with 300 garbage sessions. */
	n = snprintf(h, cap, "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ");
	for (int i = 0; i < 10000; i++)
		n += snprintf(h + n, cap - (size_t)n, "c%d=v; ", i);
	n += snprintf(h + n, cap - (size_t)n, "\r\n\r\n");
	protocol_hostile("10,000 cookies", h, (size_t)n);
	n = snprintf(h, cap, "Cookie: ");
	for (int i = 0; i < 300; i++)
		n += snprintf(h + n, cap - (size_t)n, "hm_session=%s%d; ", i % 2 ? "'" : "\\", i);
	n += snprintf(h + n, cap - (size_t)n, "=; ;;; =x; hm_session\r\n");
	CHECK(http_request(server.port, "GET", "/api/v1/me", h, NULL, 0, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	/* Garbage Authorization headers. */
	static const char *const auths[] = {
		"Authorization: Bearer\r\n",
		"Authorization: Bearer \r\n",
		"Authorization: Bearer \x01\x02\x7f\xff\r\n",
		"Authorization: Basic YTpi\r\n",
		"Authorization: Bearer a b c\r\n",
		"Authorization: Bearer %00\r\n",
		"Authorization: bearer ' OR 1=1 --\r\n",
		"Authorization: Bearer hm_\r\n",
		"Authorization: Bearer x\r\nAuthorization: Bearer y\r\n",
		"Authorization: \xc3\x28\r\n",
	};
	for (size_t i = 0; i < sizeof auths / sizeof auths[0]; i++) {
		CHECK(http_request(server.port, "GET", "/api/v1/me", auths[i], NULL, 0, &r));
		CHECK_INT(r.status, 401);
		CHECK(http_error_code(&r) != NULL);
		http_response_free(&r);
	}
	n = snprintf(h, cap, "Authorization: Bearer ");
	memset(h + n, 'A', 16 * 1024);
	n += 16 * 1024;
	snprintf(h + n, cap - (size_t)n, "\r\n");
	CHECK(http_request(server.port, "GET", "/api/v1/me", h, NULL, 0, &r));
	CHECK(r.status >= 400 && r.status < 500);
	if (r.status == 401)
		CHECK(http_error_code(&r) != NULL);
	http_response_free(&r);
	free(h);
	healthz_ok();
}

static void test_malformed_request_lines(void)
{
	static const char l1[] = "GET /healthz\r\n\r\n";
	static const char l2[] = "GET  /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char l3[] = "GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char l4[] =
		"GET /healthz HTTP/1.1 extra\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char l5[] = "\x00\x01\x02\xff\xfe\r\n\r\n";
	static const char l6[] = "GET healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char l7[] = "GET /healthz HTTP/1.1\r\nHost x\r\nConnection: close\r\n\r\n";
	static const char l8[] = "GET /healthz HTTP/1.1\r\n Folded: x\r\nConnection: close\r\n\r\n";
	static const char l9[] = "G\x00T /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char l10[] =
		"GET /heal\x01thz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	static const char l11[] = "\r\n\r\n\r\n\r\n";
	static const char l12[] = "GET /healthz HTTP/1.1\nHost: x\nConnection: close\n\n";
	struct {
		const char *what, *b;
		size_t n;
	} lines[] = {
		{"no version", l1, sizeof l1 - 1},
		{"double space", l2, sizeof l2 - 1},
		{"HTTP/9.9", l3, sizeof l3 - 1},
		{"extra token", l4, sizeof l4 - 1},
		{"binary", l5, sizeof l5 - 1},
		{"relative target", l6, sizeof l6 - 1},
		{"header without colon", l7, sizeof l7 - 1},
		{"folded header", l8, sizeof l8 - 1},
		{"NUL in method", l9, sizeof l9 - 1},
		{"control in path", l10, sizeof l10 - 1},
		{"only CRLFs", l11, sizeof l11 - 1},
		{"bare LF", l12, sizeof l12 - 1},
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct http_response r;
		bool done = raw_bounded(lines[i].b, lines[i].n, 1200, &r);
		check_count++;
		/* Some of these are lenient enough to be answered 200 (bare LF, double
		 * space, folded header); none may be a 5xx from our code. libmicrohttpd
		 * answers HTTP/9.9 with its own 505, and keeps some incomplete lines open
		 * until its connection timeout (no answer within 1.2 s: reported). */
		bool ok = r.status == 0 || r.status < 500 || (r.status == 505 && !r.json);
		if (!ok) {
			check_failures++;
			fprintf(stderr, "  %s: done %d status %d\n", lines[i].what, done, r.status);
		} else {
			fprintf(stderr, "  %s -> %d%s%s\n", lines[i].what, r.status,
				r.status && !r.json ? " (not JSON: libmicrohttpd)" : "",
				done ? "" : ", no answer within 1.2 s");
		}
		http_response_free(&r);
		healthz_ok();
	}
	/* A method of 10,000 letters. */
	size_t cap = 11000;
	char *m = malloc(cap);
	memset(m, 'A', 10000);
	int n = 10000 + snprintf(m + 10000, cap - 10000,
				 " /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	protocol_hostile("10,000-letter method", m, (size_t)n);
	free(m);
}

/* ---- bodies that lie ---- */

static void test_lying_bodies(void)
{
	/* Shorter than declared: after half-closing, the server answers or closes at
	 * once; it never waits forever. */
	static const char short_body[] =
		"POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"email\":";
	int fd = connect_from(NULL);
	CHECK(fd >= 0);
	if (fd >= 0) {
		send_all(fd, short_body, sizeof short_body - 1);
		struct http_response r;
		double t0 = now_s();
		read_answer(fd, 1000, &r); /* still waiting for the body: no answer yet is fine */
		CHECK(r.status == 0 || (r.status >= 400 && r.status < 500));
		http_response_free(&r);
		shutdown(fd, SHUT_WR);
		CHECK(read_answer(fd, 5000, &r));
		CHECK(r.status == 0 || (r.status >= 400 && r.status < 500));
		CHECK(now_s() - t0 < 6.5);
		http_response_free(&r);
		close(fd);
	}
	healthz_ok();
	static const char *const heads[] = {
		"Content-Length: -1\r\n",
		"Content-Length: abc\r\n",
		"Content-Length: 99999999999999999999999\r\n",
		"Content-Length: 5\r\nContent-Length: 6\r\n",
		"Content-Length: 0x10\r\n",
		"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
		"Transfer-Encoding: chunked, identity\r\n",
		"Transfer-Encoding: gzip\r\n",
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		char req[512];
		int n = snprintf(
			req, sizeof req,
			"POST /api/v1/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			"Content-Type: application/json\r\n%s\r\n{\"a\":1}",
			heads[i]);
		protocol_hostile(heads[i], req, (size_t)n);
	}
	/* Longer than declared: the extra bytes are a (bad) next request, not body. */
	static const char longer[] =
		"POST /api/v1/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}GARBAGE\x01\x02";
	protocol_hostile("Content-Length shorter than the body", longer, sizeof longer - 1);
	/* Chunked with bad chunk sizes. */
	static const char *const chunks[] = {
		"zz\r\n{}\r\n0\r\n\r\n",
		"-1\r\n{}\r\n0\r\n\r\n",
		"ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
		"ffffffff\r\n{}",
		"2\r\n{}0\r\n\r\n",
		"2;ext=\x01\r\n{}\r\n0\r\n\r\n",
		"10\r\n{}\r\n",
		"\r\n\r\n",
		"2\r\n{}\r\n0\r\nTrailer: \xff\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		char req[512];
		int n = snprintf(
			req, sizeof req,
			"POST /api/v1/inquiries HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%s",
			chunks[i]);
		char what[64];
		snprintf(what, sizeof what, "chunked #%zu", i);
		protocol_hostile(what, req, (size_t)n);
	}
}

/* ---- connections ---- */

static bool timed_healthz(const char *src_ip, double *elapsed)
{
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	double t0 = now_s();
	int fd = connect_from(src_ip);
	if (fd < 0)
		return false;
	send_all(fd, req, sizeof req - 1);
	struct http_response r;
	read_answer(fd, 3000, &r);
	close(fd);
	*elapsed = now_s() - t0;
	bool ok = r.status == 200;
	http_response_free(&r);
	return ok;
}

static void test_many_idle_connections(void)
{
	enum { IDLE = 200 };
	int fds[IDLE];
	int opened = 0;
	for (int i = 0; i < IDLE; i++) {
		fds[i] = connect_from(NULL);
		if (fds[i] >= 0)
			opened++;
	}
	CHECK(opened >= 128);
	sleep_ms(200);
	/* Another address is still served at once (the per-address cap is 128). */
	double t = 0;
	CHECK(timed_healthz("127.0.0.2", &t));
	CHECK(t < 1.0);
	for (int i = 0; i < IDLE; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	healthz_ok();
}

static void test_slow_clients(void)
{
	enum { SLOW = 5 };
	static const char head[] =
		"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa";
	int fds[SLOW];
	for (int i = 0; i < SLOW; i++)
		fds[i] = connect_from("127.0.0.3");
	double worst = 0;
	int answered = 0;
	for (int step = 0; step < 20; step++) {
		double t0 = now_s();
		for (int i = 0; i < SLOW; i++)
			if (fds[i] >= 0)
				send(fds[i], head + step, 1, MSG_NOSIGNAL);
		double t = 0;
		if (timed_healthz(NULL, &t))
			answered++;
		if (t > worst)
			worst = t;
		double spent = now_s() - t0;
		if (spent < 0.1)
			sleep_ms((long)((0.1 - spent) * 1000));
	}
	CHECK_INT(answered, 20);
	CHECK(worst < 1.0);
	fprintf(stderr, "  slow clients: 20/%d answered, worst %.3f s\n", answered, worst);
	for (int i = 0; i < SLOW; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	healthz_ok();
}

/* ---- accepted requests with SQL metacharacters ---- */

static void test_sql_metacharacters_are_data(long long delta[NTABLES])
{
	static const char name[] = "'; DROP TABLE clients; -- 100%_\\\\ \\\"x\\\"";
	static const char stored[] = "'; DROP TABLE clients; -- 100%_\\ \"x\"";
	char body[512];
	struct http_response r;
	/* register: 201 with the name stored as given. */
	snprintf(body, sizeof body,
		 "{\"email\":\"sqlmeta@example.com\",\"password\":\"long-enough-pass\","
		 "\"full_name\":\"%s\"}",
		 name);
	send_json("POST", "/api/v1/auth/register", ANON, body, strlen(body), &r);
	CHECK_INT(r.status, 201);
	long long client_id = json_integer_value(json_object_get(http_json(&r, "client"), "id"));
	CHECK_STR(json_str(http_json(&r, "client"), "full_name"), stored);
	http_response_free(&r);
	delta[0]++, delta[1]++;
	/* An e-mail with a quote: accepted or refused, either way not an error. */
	snprintf(body, sizeof body,
		 "{\"email\":\"o'brien--@example.com\",\"password\":\"long-enough-pass\","
		 "\"full_name\":\"O'Brien\"}");
	send_json("POST", "/api/v1/auth/register", ANON, body, strlen(body), &r);
	CHECK(r.status == 201 || r.status == 422);
	if (r.status == 201)
		delta[0]++, delta[1]++;
	http_response_free(&r);
	/* inquiries: every text field. */
	snprintf(body, sizeof body,
		 "{\"channel\":\"web\",\"full_name\":\"%s\",\"email\":\"inq@example.com\","
		 "\"phone\":\"'; --\",\"subject\":\"' OR '1'='1\",\"message\":\"%s\"}",
		 name, name);
	send_json("POST", "/api/v1/inquiries", ANON, body, strlen(body), &r);
	CHECK(r.status == 201 || r.status == 422);
	if (r.status == 422) { /* the phone may be refused; without it it must pass */
		http_response_free(&r);
		snprintf(body, sizeof body,
			 "{\"channel\":\"web\",\"full_name\":\"%s\",\"email\":\"inq@example.com\","
			 "\"subject\":\"' OR '1'='1\",\"message\":\"%s\"}",
			 name, name);
		send_json("POST", "/api/v1/inquiries", ANON, body, strlen(body), &r);
	}
	CHECK_INT(r.status, 201);
	if (r.status == 201)
		delta[4]++;
	http_response_free(&r);
	/* Searches: the metacharacters are literal and find exactly that client. */
	static const char *const q[] = {
		"/api/v1/clients?q=%25", "/api/v1/clients?q=_", "/api/v1/clients?q=%5C",
		"/api/v1/clients?q=%27%3B%20DROP%20TABLE%20clients%3B%20--"};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		staff_get(q[i], &r);
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items");
		CHECK_INT(json_array_size(items), 1);
		CHECK_INT(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
			  client_id);
		http_response_free(&r);
	}
	/* PATCH as staff with metacharacters: 200, stored verbatim, then restored. */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/clients/%lld", client_id);
	snprintf(body, sizeof body,
		 "{\"full_name\":\"x' WHERE 1=1; UPDATE users SET role='admin'; --\"}");
	send_json("PATCH", path, STAFF, body, strlen(body), &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "full_name"), "x' WHERE 1=1; UPDATE users SET role='admin'; --");
	http_response_free(&r);
	/* The student is still a student. */
	char headers[256];
	snprintf(headers, sizeof headers, "Cookie: %s\r\n", student.cookie);
	http_request(server.port, "GET", "/api/v1/me", headers, NULL, 0, &r);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "student");
	http_response_free(&r);
}

int main(void)
{
	double t0 = now_s();
	static const char *const args[] = {"--demo", "--trusted-proxy", "127.0.0.1", NULL};
	if (!ts_start(&server, args))
		return 1;
	api_client_at(&student, server.port, "10.200.0.1");
	api_client_at(&staff, server.port, "10.200.0.2");
	CHECK_INT(api_login(&student, DEMO_STUDENT), 200);
	CHECK_INT(api_login(&staff, DEMO_STAFF), 200);

	long long before[NTABLES], after[NTABLES];
	db_counts(before);
	RUN(test_deep_nesting);
	RUN(test_wrong_types);
	RUN(test_nul_bytes_and_bad_utf8);
	RUN(test_long_strings);
	RUN(test_hostile_queries);
	RUN(test_long_urls_and_many_params);
	RUN(test_headers);
	RUN(test_malformed_request_lines);
	RUN(test_lying_bodies);
	RUN(test_many_idle_connections);
	RUN(test_slow_clients);
	db_counts(after);
	for (size_t i = 0; i < NTABLES; i++) {
		if (after[i] != before[i])
			fprintf(stderr, "  table %s: %lld rows before, %lld after\n", tables[i],
				before[i], after[i]);
		CHECK(before[i] >= 0);
		CHECK_INT(after[i], before[i]);
	}

	long long delta[NTABLES] = {0};
	fprintf(stderr, "-- test_sql_metacharacters_are_data\n");
	test_sql_metacharacters_are_data(delta);
	db_counts(after);
	for (size_t i = 0; i < NTABLES; i++) {
		if (i == 5) /* audit_log may record the accepted writes */
			CHECK(after[i] >= before[i]);
		else
			CHECK_INT(after[i], before[i] + delta[i]);
	}
	char buf[128];
	CHECK_STR(integrity(buf, sizeof buf), "ok");
	healthz_ok();
	CHECK_INT(ts_stop(&server), 0);
	fprintf(stderr, "test_hostile: %.1f s\n", now_s() - t0);
	return CHECK_EXIT();
}
