// SPDX-License-Identifier: MIT
// API.md's "Conventions" against the real server: the error envelope, 404 and 405
// with Allow, the 64 KiB body cap (declared and streamed), 415, 400, the security
// headers, /healthz and /metrics.
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static struct test_server server;

static void test_unknown_path_is_404_envelope(void)
{
	struct http_response r;
	CHECK(http_request(server.port, "GET", "/api/v1/no-such-thing", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	CHECK(json_is_string(json_object_get(json_object_get(r.json, "error"), "message")));
	http_response_free(&r);
}

static void test_wrong_method_is_405_with_allow(void)
{
	struct http_response r;
	char allow[128];
	CHECK(http_request(server.port, "DELETE", "/api/v1/me", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 405);
	CHECK_STR(http_error_code(&r), "method_not_allowed");
	CHECK_STR(http_header(&r, "Allow", allow, sizeof allow), "GET, HEAD");
	http_response_free(&r);

	CHECK(http_request(server.port, "PUT", "/api/v1/users", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 405);
	CHECK_STR(http_header(&r, "Allow", allow, sizeof allow), "GET, HEAD, POST");
	http_response_free(&r);
}

static void test_route_is_checked_before_body_size(void)
{
	const char raw[] = "POST /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			   "Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n";
	struct http_response r;
	CHECK(http_raw(server.port, raw, sizeof raw - 1, &r));
	CHECK_INT(r.status, 404);
	http_response_free(&r);
}

static void test_declared_body_over_64k_is_413(void)
{
	/* Only the headers are sent: the answer must come without reading a body. */
	const char raw[] = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			   "Content-Type: application/json\r\nContent-Length: 65537\r\n\r\n";
	struct http_response r;
	CHECK(http_raw(server.port, raw, sizeof raw - 1, &r));
	CHECK_INT(r.status, 413);
	CHECK_STR(http_error_code(&r), "payload_too_large");
	http_response_free(&r);
}

static void test_streamed_body_over_64k_is_413(void)
{
	size_t chunk = 16 * 1024, chunks = 5;
	size_t cap = 512 + chunks * (chunk + 16);
	char *raw = malloc(cap);
	int n = snprintf(raw, cap,
			 "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
			 "Connection: close\r\nContent-Type: application/json\r\n"
			 "Transfer-Encoding: chunked\r\n\r\n");
	for (size_t i = 0; i < chunks; i++) {
		n += snprintf(raw + n, cap - (size_t)n, "%zx\r\n", chunk);
		memset(raw + n, ' ', chunk);
		n += (int)chunk;
		n += snprintf(raw + n, cap - (size_t)n, "\r\n");
	}
	n += snprintf(raw + n, cap - (size_t)n, "0\r\n\r\n");
	struct http_response r;
	CHECK(http_raw(server.port, raw, (size_t)n, &r));
	CHECK_INT(r.status, 413);
	http_response_free(&r);
	free(raw);
}

static void test_body_of_64k_exactly_is_read(void)
{
	/* 65536 bytes of valid JSON: a long password field. The cap is inclusive. */
	size_t len = 64 * 1024;
	char *body = malloc(len + 1);
	const char head[] = "{\"email\":\"x@example.com\",\"password\":\"";
	memcpy(body, head, sizeof head - 1);
	memset(body + sizeof head - 1, 'a', len - (sizeof head - 1) - 2);
	memcpy(body + len - 2, "\"}", 2);
	body[len] = '\0';
	struct http_response r;
	CHECK(http_request(server.port, "POST", "/api/v1/auth/login",
			   "Content-Type: application/json\r\n", body, len, &r));
	CHECK_INT(r.status, 422); /* read and validated: the password is too long */
	http_response_free(&r);
	free(body);
}

static void test_non_json_body_is_415(void)
{
	struct http_response r;
	CHECK(http_request(server.port, "POST", "/api/v1/auth/login",
			   "Content-Type: text/plain\r\n", "email=a", 7, &r));
	CHECK_INT(r.status, 415);
	CHECK_STR(http_error_code(&r), "unsupported_media_type");
	http_response_free(&r);

	/* Parameters after the type are fine. */
	CHECK(http_request(server.port, "POST", "/api/v1/auth/login",
			   "Content-Type: application/json; charset=utf-8\r\n", "{}", 2, &r));
	CHECK_INT(r.status, 422);
	http_response_free(&r);
}

/* JSON that parses but holds what the API cannot (an escaped NUL, an integer past
 * 64 bits) is a value error: 422 with the field named, and nothing changes. */
static void test_unholdable_values_are_422_with_the_field(void)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{"{\"email\": \"a\\u0000@example.com\", \"password\": \"x\"}", "email"},
		{"{\"email\": \"a@example.com\", \"password\": 123456789012345678901234}",
		 "password"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct http_response r;
		CHECK(http_request(server.port, "POST", "/api/v1/auth/login",
				   "Content-Type: application/json\r\n", cases[i].body,
				   strlen(cases[i].body), &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		json_t *body = json_loadb(r.body, r.body_len, 0, NULL);
		json_t *fields = json_object_get(json_object_get(body, "error"), "fields");
		CHECK(json_object_get(fields, cases[i].field) != NULL);
		json_decref(body);
		http_response_free(&r);
	}
}

static void test_bad_json_is_400(void)
{
	static const char *const bodies[] = {"{", "[1,2]", "\"text\"", "{\"a\":1,\"a\":2}",
					     "nul\x01l"};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct http_response r;
		CHECK(http_request(server.port, "POST", "/api/v1/auth/login",
				   "Content-Type: application/json\r\n", bodies[i],
				   strlen(bodies[i]), &r));
		CHECK_INT(r.status, 400);
		CHECK_STR(http_error_code(&r), "bad_json");
		http_response_free(&r);
	}
	/* A required body that is missing. */
	struct http_response r;
	CHECK(http_request(server.port, "POST", "/api/v1/auth/login", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 400);
	http_response_free(&r);
}

static void test_validation_names_every_bad_field(void)
{
	struct http_response r;
	const char body[] =
		"{\"email\":\"not-an-email\",\"password\":\"short\",\"role\":\"admin\"}";
	CHECK(http_request(server.port, "POST", "/api/v1/auth/register",
			   "Content-Type: application/json\r\n", body, sizeof body - 1, &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	json_t *fields = json_object_get(json_object_get(r.json, "error"), "fields");
	CHECK(json_object_get(fields, "email") != NULL);
	CHECK(json_object_get(fields, "password") != NULL);
	CHECK(json_object_get(fields, "full_name") != NULL);
	CHECK_STR(json_string_value(json_object_get(fields, "role")), "unknown field");
	http_response_free(&r);
}

static void test_api_security_headers(void)
{
	struct http_response r;
	char v[256];
	CHECK(http_request(server.port, "GET", "/healthz", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_string_value(json_object_get(r.json, "status")), "ok");
	CHECK_STR(http_header(&r, "Cache-Control", v, sizeof v), "no-store");
	CHECK_STR(http_header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	CHECK_STR(http_header(&r, "X-Frame-Options", v, sizeof v), "DENY");
	CHECK(http_header(&r, "Referrer-Policy", v, sizeof v) != NULL);
	CHECK(http_header(&r, "Content-Security-Policy", v, sizeof v) != NULL);
	CHECK(http_header(&r, "X-Request-Id", v, sizeof v) && strlen(v) == 16);
	CHECK(strncmp(http_header(&r, "Content-Type", v, sizeof v) ? v : "", "application/json",
		      16) == 0);
	http_response_free(&r);
}

static void test_errors_also_carry_security_headers(void)
{
	struct http_response r;
	char v[256];
	CHECK(http_request(server.port, "GET", "/api/v1/me", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	CHECK_STR(http_header(&r, "Cache-Control", v, sizeof v), "no-store");
	CHECK_STR(http_header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
	/* A 401 says how to authenticate (RFC 9110 11.6.1). */
	CHECK_STR(http_header(&r, "WWW-Authenticate", v, sizeof v), "Bearer realm=\"harreman\"");
	http_response_free(&r);
	/* So does a refused login. */
	CHECK(http_request(
		server.port, "POST", "/api/v1/auth/login", "Content-Type: application/json\r\n",
		"{\"email\":\"nobody@example.com\",\"password\":\"nopenopenope\"}", 56, &r));
	CHECK_INT(r.status, 401);
	CHECK(http_header(&r, "WWW-Authenticate", v, sizeof v) != NULL);
	http_response_free(&r);
}

static void test_metrics_from_loopback(void)
{
	struct http_response r;
	char v[128];
	CHECK(http_request(server.port, "GET", "/metrics", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	CHECK(strncmp(http_header(&r, "Content-Type", v, sizeof v) ? v : "", "text/plain", 10) ==
	      0);
	/* The healthz request made earlier was counted under its route. */
	CHECK(r.body && strstr(r.body, "harreman_http_requests_total{method=\"GET\","
				       "route=\"/healthz\",status=\"200\"}"));
	CHECK(r.body &&
	      strstr(r.body, "harreman_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
	CHECK(r.body && strstr(r.body, "harreman_db_busy_retries_total"));
	http_response_free(&r);
}

static void test_percent_encoded_nul_does_not_cut_the_path(void)
{
	struct http_response r;
	CHECK(http_request(server.port, "GET", "/healthz%00.css", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 404);
	http_response_free(&r);
}

int main(void)
{
	if (!ts_start(&server, NULL))
		return 1;
	RUN(test_unknown_path_is_404_envelope);
	RUN(test_wrong_method_is_405_with_allow);
	RUN(test_route_is_checked_before_body_size);
	RUN(test_declared_body_over_64k_is_413);
	RUN(test_streamed_body_over_64k_is_413);
	RUN(test_body_of_64k_exactly_is_read);
	RUN(test_non_json_body_is_415);
	RUN(test_bad_json_is_400);
	RUN(test_unholdable_values_are_422_with_the_field);
	RUN(test_validation_names_every_bad_field);
	RUN(test_api_security_headers);
	RUN(test_errors_also_carry_security_headers);
	RUN(test_metrics_from_loopback);
	RUN(test_percent_encoded_nul_does_not_cut_the_path);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
