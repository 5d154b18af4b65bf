// SPDX-License-Identifier: MIT
// The dispatcher without sockets: API.md's order of checks (route, body, 401, CSRF,
// role, JSON), role enforcement from the route table, and the security headers.
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/accounts.h"
#include "harreman/dispatch.h"
#include "harreman/sessions.h"

static struct hm_app app;
static char student_cookie[96], student_csrf[HM_TOKEN_TEXT_LEN];
static char admin_cookie[96], admin_csrf[HM_TOKEN_TEXT_LEN];
static const int64_t now = 1800000000;

static void login_as(enum hm_role role, const char *email, char *cookie, char *csrf)
{
	struct hm_db *db = hm_app_db(&app);
	int64_t user = 0, session = 0;
	char token[HM_TOKEN_TEXT_LEN];
	CHECK_INT(hm_accounts_create(db, email, "h", "Someone", role, NULL, now, &user), HM_OK);
	CHECK_INT(hm_session_create(db, user, now, token, csrf, &session), HM_OK);
	snprintf(cookie, 96, "hm_session=%s", token);
}

static void setup(void)
{
	struct hm_config cfg;
	const char *why = NULL;
	hm_config_defaults(&cfg);
	cfg.db_path = ":memory:"; /* one connection: this thread's */
	CHECK(hm_app_init(&app, &cfg, &why));
	CHECK_INT(hm_db_migrate(hm_app_db(&app), &why), HM_OK);
	login_as(HM_ROLE_STUDENT, "ane@example.com", student_cookie, student_csrf);
	login_as(HM_ROLE_ADMIN, "boss@example.com", admin_cookie, admin_csrf);
}

static struct hm_request request(const char *method, const char *path)
{
	struct hm_request req;
	memset(&req, 0, sizeof req);
	req.method = hm_method_from_name(method);
	req.method_name = method;
	req.path = path;
	req.remote_addr = "192.0.2.10";
	req.now = now;
	return req;
}

static int answer(struct hm_request *req, char *code, size_t code_size)
{
	struct hm_reply reply;
	hm_reply_init(&reply);
	hm_dispatch(&app, req, &reply);
	int status = reply.status;
	const char *c = json_string_value(
		json_object_get(json_object_get(reply.json, "error"), "code"));
	snprintf(code, code_size, "%s", c ? c : "");
	CHECK(hm_reply_get_header(&reply, "X-Content-Type-Options") != NULL);
	CHECK(hm_reply_get_header(&reply, "X-Request-Id") != NULL);
	hm_reply_release(&reply);
	return status;
}

static void test_check_order(void)
{
	char code[64];
	/* Route first: an unknown path is 404 even with a body over the cap. */
	struct hm_request req = request("POST", "/api/v1/nowhere");
	req.body_too_large = true;
	CHECK_INT(answer(&req, code, sizeof code), 404);

	/* Then size: 413 before authentication. */
	req = request("POST", "/api/v1/users");
	req.body_too_large = true;
	CHECK_INT(answer(&req, code, sizeof code), 413);

	/* Then type: 415 before authentication. */
	req = request("POST", "/api/v1/users");
	req.content_type = "text/plain";
	req.body = "x";
	req.body_len = 1;
	CHECK_INT(answer(&req, code, sizeof code), 415);

	/* Then authentication. */
	req = request("POST", "/api/v1/users");
	req.content_type = "application/json";
	req.body = "{";
	req.body_len = 1;
	CHECK_INT(answer(&req, code, sizeof code), 401);
	CHECK_STR(code, "unauthenticated");

	/* Then CSRF, before the role: a student without the header. */
	req.cookie = student_cookie;
	CHECK_INT(answer(&req, code, sizeof code), 403);
	CHECK_STR(code, "csrf_failed");

	/* Then the role. */
	req.csrf_header = student_csrf;
	CHECK_INT(answer(&req, code, sizeof code), 403);
	CHECK_STR(code, "forbidden");

	/* Then the body: an admin with broken JSON, then with an empty object. */
	req.cookie = admin_cookie;
	req.csrf_header = admin_csrf;
	CHECK_INT(answer(&req, code, sizeof code), 400);
	CHECK_STR(code, "bad_json");
	req.body = "{}";
	req.body_len = 2;
	CHECK_INT(answer(&req, code, sizeof code), 422);
}

static void test_csrf_is_only_for_cookie_sessions_and_unsafe_methods(void)
{
	char code[64];
	struct hm_request req = request("GET", "/api/v1/users");
	req.cookie = admin_cookie; /* a GET needs no token */
	CHECK_INT(answer(&req, code, sizeof code), 200);

	req = request("POST", "/api/v1/auth/logout");
	req.cookie = admin_cookie;
	req.csrf_header = "wrong";
	CHECK_INT(answer(&req, code, sizeof code), 403);
	CHECK_STR(code, "csrf_failed");
	req.csrf_header = student_csrf; /* another session's token */
	CHECK_INT(answer(&req, code, sizeof code), 403);
}

static void test_stale_cookie_is_anonymous_but_bad_bearer_is_401(void)
{
	char code[64];
	struct hm_request req = request("GET", "/healthz");
	req.cookie = "hm_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	CHECK_INT(answer(&req, code, sizeof code), 200);
	req = request("GET", "/api/v1/me");
	req.cookie = "hm_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	CHECK_INT(answer(&req, code, sizeof code), 401);
	req = request("GET", "/healthz");
	req.authorization = "Bearer hmt_nope";
	CHECK_INT(answer(&req, code, sizeof code), 401);
	req.authorization = "Basic YTpi";
	CHECK_INT(answer(&req, code, sizeof code), 401);
}

static void test_metrics_are_for_loopback_or_admins(void)
{
	char code[64];
	struct hm_request req = request("GET", "/metrics");
	CHECK_INT(answer(&req, code, sizeof code), 401);
	req.remote_is_loopback = true;
	CHECK_INT(answer(&req, code, sizeof code), 200);
	req = request("GET", "/metrics");
	req.cookie = student_cookie;
	CHECK_INT(answer(&req, code, sizeof code), 403);
	req.cookie = admin_cookie;
	CHECK_INT(answer(&req, code, sizeof code), 200);
}

static void test_students_cannot_reach_admin_routes(void)
{
	static const char *const admin_gets[] = {"/api/v1/users", "/api/v1/users/1",
						 "/api/v1/audit"};
	char code[64];
	for (size_t i = 0; i < sizeof admin_gets / sizeof admin_gets[0]; i++) {
		struct hm_request req = request("GET", admin_gets[i]);
		req.cookie = student_cookie;
		CHECK_INT(answer(&req, code, sizeof code), 403);
		req.cookie = NULL;
		CHECK_INT(answer(&req, code, sizeof code), 401);
	}
}

static void test_pages_and_api_get_different_policies(void)
{
	struct hm_reply reply;
	struct hm_request req = request("GET", "/healthz");
	hm_reply_init(&reply);
	hm_dispatch(&app, &req, &reply);
	CHECK_STR(hm_reply_get_header(&reply, "Cache-Control"), "no-store");
	CHECK(strstr(hm_reply_get_header(&reply, "Content-Security-Policy"), "default-src 'none'"));
	CHECK_STR(hm_reply_get_header(&reply, "X-Frame-Options"), "DENY");
	hm_reply_release(&reply);

	req = request("GET", "/");
	hm_reply_init(&reply);
	hm_dispatch(&app, &req, &reply);
	CHECK_INT(reply.status, 200);
	CHECK(reply.file_fd >= 0);
	CHECK(strstr(hm_reply_get_header(&reply, "Content-Security-Policy"), "default-src 'self'"));
	CHECK(strstr(hm_reply_get_header(&reply, "Content-Security-Policy"),
		     "frame-ancestors 'none'"));
	CHECK_STR(hm_reply_get_header(&reply, "X-Frame-Options"), "DENY");
	hm_reply_release(&reply);
}

/* Our own failures are 500 `internal` with the fixed message: no SQL, no paths. */
static void test_internal_errors_leak_nothing(void)
{
	struct hm_db *db = hm_app_db(&app);
	CHECK_INT(hm_db_exec(db, "ALTER TABLE audit_log RENAME TO audit_log_gone"), HM_OK);
	struct hm_request req = request("POST", "/api/v1/auth/logout");
	req.cookie = admin_cookie;
	req.csrf_header = admin_csrf;
	struct hm_reply reply;
	hm_reply_init(&reply);
	hm_dispatch(&app, &req, &reply);
	CHECK_INT(reply.status, 500);
	char *body = json_dumps(reply.json, JSON_COMPACT);
	CHECK_STR(body, "{\"error\":{\"code\":\"internal\","
			"\"message\":\"Something went wrong on our side.\"}}");
	CHECK(hm_reply_get_header(&reply, "X-Request-Id") != NULL);
	free(body);
	hm_reply_release(&reply);
	/* The failed write left nothing half-done: the session is still there. */
	req = request("GET", "/api/v1/me");
	req.cookie = admin_cookie;
	char code[64];
	CHECK_INT(answer(&req, code, sizeof code), 200);
	CHECK_INT(hm_db_exec(db, "ALTER TABLE audit_log_gone RENAME TO audit_log"), HM_OK);
}

/* A database that cannot be opened makes /healthz (and every API route) 503. */
static void test_unusable_database_is_503(void)
{
	struct hm_config cfg;
	struct hm_app broken;
	const char *why = NULL;
	hm_config_defaults(&cfg);
	cfg.db_path = "/nonexistent-directory/harreman.db";
	CHECK(hm_app_init(&broken, &cfg, &why));
	struct hm_request req = request("GET", "/healthz");
	struct hm_reply reply;
	hm_reply_init(&reply);
	hm_dispatch(&broken, &req, &reply);
	CHECK_INT(reply.status, 503);
	CHECK_STR(json_string_value(json_object_get(json_object_get(reply.json, "error"), "code")),
		  "unavailable");
	hm_reply_release(&reply);
	hm_app_release(&broken);
}

/* A target over 8 KiB or with more than 32 query arguments is refused 414 in JSON,
 * before routing, on pages as on the API. */
static void test_long_targets_and_many_arguments_are_414(void)
{
	char target[9000], code[64];
	int n = snprintf(target, sizeof target, "/api/v1/slots?a=1");
	for (int i = 1; i < 32; i++)
		n += snprintf(target + n, sizeof target - (size_t)n, "&a%d=1", i);
	CHECK(!hm_target_too_long(target)); /* 32 arguments */
	snprintf(target + n, sizeof target - (size_t)n, "&x");
	CHECK(hm_target_too_long(target)); /* 33 */
	CHECK(hm_target_too_long("/x?&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&"));
	CHECK(!hm_target_too_long("/x?&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&"));
	CHECK(!hm_target_too_long("/no/query/&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&"));
	memset(target, 'p', sizeof target - 1);
	target[0] = '/';
	target[HM_MAX_TARGET] = '\0';
	CHECK(!hm_target_too_long(target)); /* exactly 8 KiB */
	target[HM_MAX_TARGET] = 'p';
	target[HM_MAX_TARGET + 1] = '\0';
	CHECK(hm_target_too_long(target));
	struct hm_request req = request("GET", "/api/v1/services");
	req.target_too_long = true;
	CHECK_INT(answer(&req, code, sizeof code), 414);
	CHECK_STR(code, "uri_too_long");
	req = request("GET", "/index.html");
	req.target_too_long = true;
	CHECK_INT(answer(&req, code, sizeof code), 414);
}

int main(void)
{
	setup();
	RUN(test_check_order);
	RUN(test_csrf_is_only_for_cookie_sessions_and_unsafe_methods);
	RUN(test_stale_cookie_is_anonymous_but_bad_bearer_is_401);
	RUN(test_metrics_are_for_loopback_or_admins);
	RUN(test_students_cannot_reach_admin_routes);
	RUN(test_pages_and_api_get_different_policies);
	RUN(test_internal_errors_leak_nothing);
	RUN(test_unusable_database_is_503);
	RUN(test_long_targets_and_many_arguments_are_414);
	hm_app_release(&app);
	return CHECK_EXIT();
}
