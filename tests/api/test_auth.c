// SPDX-License-Identifier: MIT
// API.md's "Authentication and roles" against the real server: register, login,
// logout, /me, the session cookie and its attributes, CSRF, the login rate limits
// (per e-mail and per address) and the trusted proxy's X-Forwarded-* headers.
//
// Login failures are counted per e-mail and per client address, so every scenario
// sends its own X-Forwarded-For (the server trusts 127.0.0.1 as a proxy) and the
// scenarios cannot throttle each other.
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harreman/api.h"

#include "check.h"
#include "harness.h"

static struct test_server server;

static const char *const trusted_args[] = {"--demo", "--trusted-proxy", "127.0.0.1", NULL};

/* ---- helpers ---------------------------------------------------------------- */

/* Does the Set-Cookie value carry attribute attr (e.g. "HttpOnly", "Path=/")?
 * Attribute names compare case-insensitively, values exactly. */
static bool cookie_has(const char *set_cookie, const char *attr)
{
	if (!set_cookie)
		return false;
	const char *p = strchr(set_cookie, ';');
	size_t attr_len = strlen(attr);
	const char *eq = strchr(attr, '=');
	size_t name_len = eq ? (size_t)(eq - attr) : attr_len;
	while (p) {
		p++;
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len == attr_len && strncasecmp(p, attr, name_len) == 0 &&
		    strncmp(p + name_len, attr + name_len, attr_len - name_len) == 0)
			return true;
		p = end;
	}
	return false;
}

/* "hm_session=VALUE" (up to the first ';') of a Set-Cookie value, or "". */
static void cookie_pair(const char *set_cookie, char *out, size_t size)
{
	out[0] = '\0';
	if (!set_cookie)
		return;
	size_t len = strcspn(set_cookie, ";");
	if (len < size) {
		memcpy(out, set_cookie, len);
		out[len] = '\0';
	}
}

/* Keeps the session of a {user, client, csrf_token} answer in c. */
static void adopt_session(struct api_client *c, const struct http_response *r)
{
	char set_cookie[256];
	cookie_pair(http_header(r, "Set-Cookie", set_cookie, sizeof set_cookie), c->cookie,
		    sizeof c->cookie);
	const char *csrf = json_string_value(http_json(r, "csrf_token"));
	snprintf(c->csrf, sizeof c->csrf, "%s", csrf ? csrf : "");
}

/* The Retry-After value as a number of seconds, or -1 when absent or not one. */
static long retry_after(const struct http_response *r)
{
	char v[64];
	if (!http_header(r, "Retry-After", v, sizeof v) || v[0] < '0' || v[0] > '9')
		return -1;
	char *end = NULL;
	long n = strtol(v, &end, 10);
	return *end == '\0' ? n : -1;
}

static int login_status(const char *addr, const char *email, const char *password)
{
	struct api_client c;
	api_client_at(&c, server.port, addr);
	return api_login(&c, email, password);
}

static int me_status(const struct api_client *c)
{
	struct api_client copy = *c;
	struct http_response r;
	api_call(&copy, "GET", "/api/v1/me", NULL, &r);
	int status = r.status;
	http_response_free(&r);
	return status;
}

/* ---- register --------------------------------------------------------------- */

static void test_register_answers_user_client_csrf_and_cookie(void)
{
	struct api_client c;
	api_client_at(&c, server.port, "10.0.0.1");
	struct http_response r;
	char set_cookie[256];
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"ane.berri@example.com\",\"password\":\"correct-horse-1\","
		       "\"full_name\":\"Ane Berri\"}",
		       &r));
	CHECK_INT(r.status, 201);
	json_t *user = http_json(&r, "user"), *client = http_json(&r, "client");
	CHECK(json_integer_value(json_object_get(user, "id")) > 0);
	CHECK_STR(json_str(user, "email"), "ane.berri@example.com");
	CHECK_STR(json_str(user, "full_name"), "Ane Berri");
	CHECK_STR(json_str(user, "role"), "student");
	CHECK(json_is_true(json_object_get(user, "active")));
	CHECK(json_object_get(user, "password_hash") == NULL);
	CHECK(json_object_get(user, "password") == NULL);
	CHECK(r.body && !strstr(r.body, "argon2") && !strstr(r.body, "correct-horse-1"));
	/* The student's client record comes with it, in the default locale. */
	CHECK(json_is_object(client));
	CHECK_STR(json_str(client, "locale"), "eu");
	CHECK_STR(json_str(client, "full_name"), "Ane Berri");
	CHECK_STR(json_str(client, "email"), "ane.berri@example.com");
	CHECK_INT(json_integer_value(json_object_get(client, "user_id")),
		  json_integer_value(json_object_get(user, "id")));
	const char *csrf = json_string_value(http_json(&r, "csrf_token"));
	CHECK(csrf && strlen(csrf) >= 20);

	const char *sc = http_header(&r, "Set-Cookie", set_cookie, sizeof set_cookie);
	CHECK(sc && strncmp(sc, "hm_session=", 11) == 0 && sc[11] != ';' && sc[11] != '\0');
	CHECK(cookie_has(sc, "HttpOnly"));
	CHECK(cookie_has(sc, "SameSite=Strict"));
	CHECK(cookie_has(sc, "Path=/"));
	CHECK(!cookie_has(sc, "Secure")); /* plain HTTP, no proxy saying otherwise */
	/* The CSRF token is not the session secret. */
	CHECK(sc && csrf && !strstr(sc, csrf));
	http_response_free(&r);

	/* A given locale is kept. */
	api_client_at(&c, server.port, "10.0.0.1");
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"john@example.com\",\"password\":\"correct-horse-2\","
		       "\"full_name\":\"John Smith\",\"locale\":\"en\"}",
		       &r));
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(http_json(&r, "client"), "locale"), "en");
	http_response_free(&r);
}

static void test_email_is_lower_cased_and_case_insensitive(void)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.0.0.2");
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"Miren@Example.COM\",\"password\":\"mendiko-bidea\","
		       "\"full_name\":\"Miren Arana\"}",
		       &r));
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(http_json(&r, "user"), "email"), "miren@example.com");
	json_int_t id = json_integer_value(json_object_get(http_json(&r, "user"), "id"));
	http_response_free(&r);

	/* The same address in other case is taken. */
	api_client_at(&c, server.port, "10.0.0.2");
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"miren@example.com\",\"password\":\"beste-pasahitza\","
		       "\"full_name\":\"Another Miren\"}",
		       &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "email_taken");
	http_response_free(&r);

	/* Login with yet another case finds the same user. */
	api_client_at(&c, server.port, "10.0.0.2");
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"MIREN@example.Com\",\"password\":\"mendiko-bidea\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_integer_value(json_object_get(http_json(&r, "user"), "id")), id);
	CHECK_STR(json_str(http_json(&r, "user"), "email"), "miren@example.com");
	CHECK(json_is_object(http_json(&r, "client")));
	http_response_free(&r);
}

static void test_register_validation(void)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.0.0.3");

	/* 9 characters: too short. */
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"short@example.com\",\"password\":\"123456789\","
		       "\"full_name\":\"Short Password\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(http_error_field(&r, "password") != NULL);
	http_response_free(&r);

	/* An unknown field is named. */
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"short@example.com\",\"password\":\"1234567890\","
		       "\"full_name\":\"Short Password\",\"is_admin\":true}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "is_admin"), "unknown field");
	http_response_free(&r);

	/* A locale outside eu, es, en. */
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"short@example.com\",\"password\":\"1234567890\","
		       "\"full_name\":\"Short Password\",\"locale\":\"fr\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") != NULL);
	http_response_free(&r);

	/* None of those created the user: exactly 10 characters now registers it. */
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"short@example.com\",\"password\":\"1234567890\","
		       "\"full_name\":\"Short Password\",\"locale\":\"es\"}",
		       &r));
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(http_json(&r, "client"), "locale"), "es");
	http_response_free(&r);
}

/* ---- /me ---------------------------------------------------------------------- */

static void test_me_with_cookie_and_anonymous(void)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.0.0.4");
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"me.user@example.com\",\"password\":\"neure-pasahitza\","
		       "\"full_name\":\"Me User\"}",
		       &r));
	CHECK_INT(r.status, 201);
	adopt_session(&c, &r);
	json_int_t id = json_integer_value(json_object_get(http_json(&r, "user"), "id"));
	char csrf[96];
	snprintf(csrf, sizeof csrf, "%s", c.csrf);
	http_response_free(&r);

	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_integer_value(json_object_get(http_json(&r, "user"), "id")), id);
	CHECK_STR(json_str(http_json(&r, "user"), "email"), "me.user@example.com");
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "student");
	CHECK(json_is_object(http_json(&r, "client")));
	CHECK_STR(json_string_value(http_json(&r, "csrf_token")), csrf);
	http_response_free(&r);

	/* GET /auth/session: the same for the logged-in user... */
	CHECK(api_call(&c, "GET", "/api/v1/auth/session", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_integer_value(json_object_get(http_json(&r, "user"), "id")), id);
	CHECK(json_is_object(http_json(&r, "client")));
	CHECK_STR(json_string_value(http_json(&r, "csrf_token")), csrf);
	http_response_free(&r);

	api_client_init(&c, server.port);
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);

	/* ...and 200 with nulls for a visitor, where GET /me says 401. */
	CHECK(api_call(&c, "GET", "/api/v1/auth/session", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_null(http_json(&r, "user")));
	CHECK(json_is_null(http_json(&r, "client")));
	CHECK(json_is_null(http_json(&r, "csrf_token")));
	http_response_free(&r);

	/* Staff have no client record. */
	api_client_at(&c, server.port, "10.0.0.4");
	CHECK(api_call(
		&c, "POST", "/api/v1/auth/login",
		"{\"email\":\"mikel@demo.harreman.eus\",\"password\":\"irakaslea-demo-2026\"}",
		&r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "staff");
	CHECK(json_is_null(http_json(&r, "client")));
	CHECK(json_is_string(http_json(&r, "csrf_token")));
	http_response_free(&r);
}

/* ---- logout and CSRF ---------------------------------------------------------- */

static void test_logout_needs_csrf_then_revokes(void)
{
	struct api_client c, other;
	struct http_response r;
	char headers[512], v[256];
	api_client_at(&c, server.port, "10.0.0.5");
	CHECK_INT(api_register(&c, "logout.user@example.com", "irteera-ona-1", "Logout User"), 201);
	api_client_at(&other, server.port, "10.0.0.5");
	CHECK_INT(api_register(&other, "other.user@example.com", "beste-bat-bai", "Other User"),
		  201);
	CHECK(c.cookie[0] && c.csrf[0] && other.csrf[0]);

	/* Without X-CSRF-Token. */
	snprintf(headers, sizeof headers, "Cookie: %s\r\n", c.cookie);
	CHECK(http_request(server.port, "POST", "/api/v1/auth/logout", headers, NULL, 0, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "csrf_failed");
	http_response_free(&r);
	CHECK_INT(me_status(&c), 200);

	/* With a wrong one. */
	snprintf(headers, sizeof headers, "Cookie: %s\r\nX-CSRF-Token: %s\r\n", c.cookie,
		 "not-the-token-at-all-0000000000000000000000");
	CHECK(http_request(server.port, "POST", "/api/v1/auth/logout", headers, NULL, 0, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "csrf_failed");
	http_response_free(&r);
	CHECK_INT(me_status(&c), 200);

	/* Another session's (valid) token does not fit this session. */
	snprintf(headers, sizeof headers, "Cookie: %s\r\nX-CSRF-Token: %s\r\n", c.cookie,
		 other.csrf);
	CHECK(http_request(server.port, "POST", "/api/v1/auth/logout", headers, NULL, 0, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "csrf_failed");
	http_response_free(&r);
	CHECK_INT(me_status(&c), 200);
	CHECK_INT(me_status(&other), 200);

	/* With the right one: 204, and the cookie is cleared. */
	CHECK(api_call(&c, "POST", "/api/v1/auth/logout", NULL, &r));
	CHECK_INT(r.status, 204);
	CHECK_INT(r.body_len, 0);
	const char *sc = http_header(&r, "Set-Cookie", v, sizeof v);
	CHECK(sc && strncmp(sc, "hm_session=;", 12) == 0);
	CHECK(cookie_has(sc, "Max-Age=0"));
	CHECK(cookie_has(sc, "Path=/"));
	CHECK(cookie_has(sc, "HttpOnly"));
	http_response_free(&r);

	/* The old cookie is revoked server-side, not just forgotten by the browser. */
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	/* Logging out again with the stale cookie is harmless: still 204, still out. */
	CHECK(api_call(&c, "POST", "/api/v1/auth/logout", NULL, &r));
	CHECK_INT(r.status, 204);
	http_response_free(&r);
	CHECK_INT(me_status(&c), 401);
	/* The other user's session is untouched. */
	CHECK_INT(me_status(&other), 200);
}

/* ---- login failures and rate limits ---------------------------------------- */

static void test_wrong_password_and_unknown_email_look_the_same(void)
{
	struct api_client c;
	struct http_response wrong, unknown;
	api_client_at(&c, server.port, "10.0.0.6");
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"ane@demo.harreman.eus\",\"password\":\"not-her-password\"}",
		       &wrong));
	api_client_at(&c, server.port, "10.0.0.7");
	CHECK(api_call(
		&c, "POST", "/api/v1/auth/login",
		"{\"email\":\"nobody-here@demo.harreman.eus\",\"password\":\"not-her-password\"}",
		&unknown));
	CHECK_INT(wrong.status, 401);
	CHECK_INT(unknown.status, 401);
	CHECK_STR(http_error_code(&wrong), "invalid_credentials");
	CHECK_STR(http_error_code(&unknown), "invalid_credentials");
	CHECK_INT(wrong.body_len, unknown.body_len);
	CHECK(wrong.body && unknown.body && strcmp(wrong.body, unknown.body) == 0);
	/* No session is handed out on failure. */
	char v[256];
	CHECK(http_header(&wrong, "Set-Cookie", v, sizeof v) == NULL);
	http_response_free(&wrong);
	http_response_free(&unknown);
}

static void test_five_failures_for_one_email_lock_it(void)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.1.0.100");
	CHECK_INT(api_register(&c, "locked.out@example.com", "zuzena-da-hau", "Locked Out"), 201);
	CHECK_INT(api_register(&c, "bystander@example.com", "zuzena-da-hau", "Bystander"), 201);

	for (int i = 1; i <= 5; i++) {
		char addr[32];
		snprintf(addr, sizeof addr, "10.1.0.%d", i);
		CHECK_INT(login_status(addr, "locked.out@example.com", "oker-dago-hau"), 401);
	}
	/* The 6th, from a fresh address and with the right password. */
	api_client_at(&c, server.port, "10.1.0.6");
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"locked.out@example.com\",\"password\":\"zuzena-da-hau\"}",
		       &r));
	CHECK_INT(r.status, 429);
	CHECK_STR(http_error_code(&r), "rate_limited");
	long wait = retry_after(&r);
	CHECK(wait >= 1 && wait <= 900);
	char v[256];
	CHECK(http_header(&r, "Set-Cookie", v, sizeof v) == NULL);
	http_response_free(&r);
	/* The same e-mail in other case is the same e-mail. */
	CHECK_INT(login_status("10.1.0.7", "Locked.Out@Example.com", "zuzena-da-hau"), 429);
	/* Only that e-mail: another account logs in fine from the same address. */
	CHECK_INT(login_status("10.1.0.6", "bystander@example.com", "zuzena-da-hau"), 200);
}

static void test_fifty_failures_from_one_address_lock_it(void)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.2.0.100");
	CHECK_INT(api_register(&c, "from.elsewhere@example.com", "etxetik-sartu", "Elsewhere"),
		  201);

	/* A class behind one school connection: 50 failures, each e-mail well under
	 * its own 5, are still let through... */
	for (int i = 1; i <= HM_LOGIN_MAX_FAILURES_PER_ADDR; i++) {
		char email[64];
		snprintf(email, sizeof email, "guess%d@example.com", i);
		CHECK_INT(login_status("10.2.0.1", email, "asmatutako-hitza"), 401);
	}
	/* ...and the 51st from that address, even a real one with its password, is not. */
	api_client_at(&c, server.port, "10.2.0.1");
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"from.elsewhere@example.com\",\"password\":\"etxetik-sartu\"}",
		       &r));
	CHECK_INT(r.status, 429);
	CHECK_STR(http_error_code(&r), "rate_limited");
	long wait = retry_after(&r);
	CHECK(wait >= 1 && wait <= 900);
	http_response_free(&r);
	/* Another address still gets in. */
	CHECK_INT(login_status("10.2.0.2", "from.elsewhere@example.com", "etxetik-sartu"), 200);
}

/* ---- the trusted proxy and the Secure flag -------------------------------- */

static int proxied_login(uint16_t port, const char *proto, const char *addr, char *set_cookie,
			 size_t size)
{
	static const char body[] =
		"{\"email\":\"ane@demo.harreman.eus\",\"password\":\"ikaslea-demo-2026\"}";
	char headers[256];
	struct http_response r;
	snprintf(headers, sizeof headers,
		 "Content-Type: application/json\r\nX-Forwarded-For: %s\r\n"
		 "X-Forwarded-Proto: %s\r\n",
		 addr, proto);
	http_request(port, "POST", "/api/v1/auth/login", headers, body, sizeof body - 1, &r);
	set_cookie[0] = '\0';
	char v[256];
	if (http_header(&r, "Set-Cookie", v, sizeof v))
		snprintf(set_cookie, size, "%s", v);
	int status = r.status;
	http_response_free(&r);
	return status;
}

static void test_secure_cookie_behind_trusted_proxy(void)
{
	char sc[256];
	CHECK_INT(proxied_login(server.port, "https", "10.3.0.1", sc, sizeof sc), 200);
	CHECK(strncmp(sc, "hm_session=", 11) == 0);
	CHECK(cookie_has(sc, "Secure"));
	CHECK(cookie_has(sc, "HttpOnly"));
	CHECK(cookie_has(sc, "SameSite=Strict"));

	/* The logout's clearing cookie, over the same TLS proxy, is Secure too. */
	char pair[128], headers[512];
	cookie_pair(sc, pair, sizeof pair);
	struct api_client c;
	api_client_at(&c, server.port, "10.3.0.1");
	snprintf(c.cookie, sizeof c.cookie, "%s", pair);
	struct http_response r;
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	const char *csrf = json_string_value(http_json(&r, "csrf_token"));
	snprintf(headers, sizeof headers,
		 "Cookie: %s\r\nX-CSRF-Token: %s\r\nX-Forwarded-For: 10.3.0.1\r\n"
		 "X-Forwarded-Proto: https\r\n",
		 pair, csrf ? csrf : "");
	http_response_free(&r);
	CHECK(http_request(server.port, "POST", "/api/v1/auth/logout", headers, NULL, 0, &r));
	CHECK_INT(r.status, 204);
	char v[256];
	const char *clear = http_header(&r, "Set-Cookie", v, sizeof v);
	CHECK(cookie_has(clear, "Max-Age=0"));
	CHECK(cookie_has(clear, "Secure"));
	http_response_free(&r);

	/* The proxy saying plain http: no Secure. */
	CHECK_INT(proxied_login(server.port, "http", "10.3.0.2", sc, sizeof sc), 200);
	CHECK(strncmp(sc, "hm_session=", 11) == 0);
	CHECK(!cookie_has(sc, "Secure"));
}

static void test_forwarded_headers_ignored_without_trusted_proxy(void)
{
	struct test_server plain;
	static const char *const args[] = {"--demo", NULL};
	CHECK(ts_start(&plain, args));
	if (!plain.port)
		return;
	char sc[256];
	/* X-Forwarded-Proto from an untrusted peer does not make the cookie Secure. */
	CHECK_INT(proxied_login(plain.port, "https", "10.9.0.1", sc, sizeof sc), 200);
	CHECK(strncmp(sc, "hm_session=", 11) == 0);
	CHECK(!cookie_has(sc, "Secure"));

	/* Nor does X-Forwarded-For dodge the per-address limit: failures with forged
	 * addresses all count against the real peer, 127.0.0.1. */
	for (int i = 1; i <= HM_LOGIN_MAX_FAILURES_PER_ADDR; i++) {
		char addr[32], email[64];
		struct api_client c;
		api_client_init(&c, plain.port);
		snprintf(addr, sizeof addr, "10.9.%d.%d", i / 200, 10 + i % 200);
		snprintf(c.forwarded_for, sizeof c.forwarded_for, "%s", addr);
		snprintf(email, sizeof email, "spoof%d@example.com", i);
		CHECK_INT(api_login(&c, email, "asmatutako-hitza"), 401);
	}
	struct api_client c;
	api_client_init(&c, plain.port);
	snprintf(c.forwarded_for, sizeof c.forwarded_for, "%s", "10.9.0.99");
	CHECK_INT(api_login(&c, DEMO_STAFF), 429);
	CHECK_INT(ts_stop(&plain), 0);
}

/* ---- forged cookies ----------------------------------------------------------- */

static void test_forged_cookie_is_anonymous(void)
{
	static const char forged[] = "hm_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.4.0.1");
	snprintf(c.cookie, sizeof c.cookie, "%s", forged);
	snprintf(c.csrf, sizeof c.csrf, "%s", "whatever-csrf-token");

	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);

	/* Public routes treat it as no cookie at all. */
	CHECK(api_call(&c, "GET", "/healthz", NULL, &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);

	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"ane@demo.harreman.eus\",\"password\":\"ikaslea-demo-2026\"}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "email"), "ane@demo.harreman.eus");
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "student");
	CHECK(json_is_object(http_json(&r, "client")));
	adopt_session(&c, &r);
	http_response_free(&r);
	/* The new session replaces the forged value and works. */
	CHECK(strcmp(c.cookie, forged) != 0);
	CHECK_INT(me_status(&c), 200);
}

/* ---- a password that registers must log in ----------------------------------- */

static void test_any_registered_password_can_log_in(void)
{
	/* Registration accepts any password of 10+ characters; login must accept the
	 * same password back, whatever characters it holds. */
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.5.0.1");
	CHECK(api_call(&c, "POST", "/api/v1/auth/register",
		       "{\"email\":\"tabby@example.com\",\"password\":\"tab\\tin-the-middle\","
		       "\"full_name\":\"Tabby\"}",
		       &r));
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"tabby@example.com\",\"password\":\"tab\\tin-the-middle\"}",
		       &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
}

int main(void)
{
	if (!ts_start(&server, trusted_args))
		return 1;
	RUN(test_register_answers_user_client_csrf_and_cookie);
	RUN(test_email_is_lower_cased_and_case_insensitive);
	RUN(test_register_validation);
	RUN(test_me_with_cookie_and_anonymous);
	RUN(test_logout_needs_csrf_then_revokes);
	RUN(test_wrong_password_and_unknown_email_look_the_same);
	RUN(test_five_failures_for_one_email_lock_it);
	RUN(test_fifty_failures_from_one_address_lock_it);
	RUN(test_secure_cookie_behind_trusted_proxy);
	RUN(test_forwarded_headers_ignored_without_trusted_proxy);
	RUN(test_forged_cookie_is_anonymous);
	RUN(test_any_registered_password_can_log_in);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
