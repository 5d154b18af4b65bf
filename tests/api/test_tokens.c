// SPDX-License-Identifier: MIT
// API tokens (API.md, "Authentication and roles"): staff and admins make them with
// POST /auth/tokens, the token is shown once and stored only as a hash, bearer
// requests need no CSRF token, and revoking or deactivating ends them.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static struct test_server server;

static const char *const trusted_args[] = {"--demo", "--trusted-proxy", "127.0.0.1", NULL};

/* ---- helpers ---------------------------------------------------------------- */

/* A client that authenticates with bearer only. */
static void bearer_client(struct api_client *c, const char *token)
{
	api_client_init(c, server.port);
	snprintf(c->bearer, sizeof c->bearer, "%s", token);
}

/* Creates a token as c; fills token and returns its id (0 on failure). */
static json_int_t make_token(struct api_client *c, const char *name, char *token, size_t size)
{
	char body[256];
	struct http_response r;
	snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
	api_call(c, "POST", "/api/v1/auth/tokens", body, &r);
	json_int_t id = r.status == 201 ? json_integer_value(http_json(&r, "id")) : 0;
	const char *text = json_string_value(http_json(&r, "token"));
	snprintf(token, size, "%s", id && text ? text : "");
	http_response_free(&r);
	return id;
}

/* Does the item list of a GET /auth/tokens answer hold id? */
static bool list_has(const struct http_response *r, json_int_t id)
{
	size_t i;
	json_t *item;
	json_array_foreach(http_json(r, "items"), i,
			   item) if (json_integer_value(json_object_get(item, "id")) ==
				     id) return true;
	return false;
}

/* Does the file at path contain needle? False when it cannot be read. */
static bool file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t cap = 1 << 16, used = 0, n;
	char *data = malloc(cap);
	while (data && (n = fread(data + used, 1, cap - used, f)) > 0) {
		used += n;
		if (used == cap) {
			char *bigger = realloc(data, cap * 2);
			if (!bigger)
				break;
			data = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	size_t len = strlen(needle);
	bool found = false;
	for (size_t i = 0; data && len && i + len <= used && !found; i++)
		found = memcmp(data + i, needle, len) == 0;
	free(data);
	return found;
}

/* ---- tests -------------------------------------------------------------------- */

static struct api_client staff; /* mikel, by cookie */
static char staff_token[128];
static json_int_t staff_token_id;

static void test_staff_creates_and_lists_a_token(void)
{
	struct http_response r;
	api_client_at(&staff, server.port, "10.0.1.1");
	CHECK_INT(api_login(&staff, DEMO_STAFF), 200);

	CHECK(api_call(&staff, "POST", "/api/v1/auth/tokens", "{\"name\":\"nightly export\"}", &r));
	CHECK_INT(r.status, 201);
	staff_token_id = json_integer_value(http_json(&r, "id"));
	CHECK(staff_token_id > 0);
	CHECK_STR(json_string_value(http_json(&r, "name")), "nightly export");
	const char *token = json_string_value(http_json(&r, "token"));
	CHECK(token && strncmp(token, "hmt_", 4) == 0 && strlen(token) >= 4 + 32);
	snprintf(staff_token, sizeof staff_token, "%s", token ? token : "");
	const char *created = json_string_value(http_json(&r, "created_at"));
	CHECK(created && strlen(created) == 20 && created[10] == 'T' && created[19] == 'Z');
	http_response_free(&r);

	/* The list shows it, but never the secret again. */
	CHECK(api_call(&staff, "GET", "/api/v1/auth/tokens", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(list_has(&r, staff_token_id));
	size_t i;
	json_t *item;
	bool any_secret = false, named = false;
	json_array_foreach(http_json(&r, "items"), i, item)
	{
		if (json_object_get(item, "token") || json_object_get(item, "token_hash"))
			any_secret = true;
		if (json_integer_value(json_object_get(item, "id")) == staff_token_id)
			named = json_str(item, "name") &&
				strcmp(json_str(item, "name"), "nightly export") == 0;
	}
	CHECK(!any_secret);
	CHECK(named);
	CHECK(r.body && staff_token[0] && !strstr(r.body, staff_token));
	CHECK(r.body && !strstr(r.body, staff_token + 4)); /* not even without its prefix */
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);

	/* Stored only as a hash: the text is nowhere in the database files. */
	char wal[256];
	snprintf(wal, sizeof wal, "%s-wal", server.db);
	/* (The files are read: the user's e-mail, stored in clear, is found in them.) */
	CHECK(file_contains(server.db, "mikel@demo.harreman.eus") ||
	      file_contains(wal, "mikel@demo.harreman.eus"));
	CHECK(!file_contains(server.db, staff_token + 4));
	CHECK(!file_contains(wal, staff_token + 4));
}

static void test_bearer_authenticates_without_csrf(void)
{
	struct api_client b;
	struct http_response r;
	bearer_client(&b, staff_token);
	CHECK(api_call(&b, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "email"), "mikel@demo.harreman.eus");
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "staff");
	CHECK(json_is_null(http_json(&r, "client")));
	CHECK(json_object_get(r.json, "csrf_token") && json_is_null(http_json(&r, "csrf_token")));
	http_response_free(&r);

	/* An unsafe request by bearer alone: no CSRF header, no cookie. */
	CHECK(api_call(&b, "POST", "/api/v1/auth/tokens", "{\"name\":\"made by bearer\"}", &r));
	CHECK_INT(r.status, 201);
	json_int_t second = json_integer_value(http_json(&r, "id"));
	CHECK(second > 0 && second != staff_token_id);
	http_response_free(&r);
	CHECK(api_call(&b, "GET", "/api/v1/auth/tokens", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(list_has(&r, staff_token_id) && list_has(&r, second));
	http_response_free(&r);

	/* The bearer carries the user's role: staff, not admin. */
	CHECK(api_call(&b, "GET", "/api/v1/users", NULL, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
}

static void test_student_and_anonymous_cannot_use_tokens(void)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, "10.0.1.2");
	CHECK_INT(api_login(&c, DEMO_STUDENT), 200);
	CHECK(api_call(&c, "POST", "/api/v1/auth/tokens", "{\"name\":\"sneaky\"}", &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	CHECK(r.body && !strstr(r.body, "hmt_"));
	http_response_free(&r);
	CHECK(api_call(&c, "GET", "/api/v1/auth/tokens", NULL, &r));
	CHECK_INT(r.status, 403);
	http_response_free(&r);
	CHECK(api_call(&c, "DELETE", "/api/v1/auth/tokens/1", NULL, &r));
	CHECK_INT(r.status, 403);
	http_response_free(&r);

	api_client_init(&c, server.port);
	CHECK(api_call(&c, "POST", "/api/v1/auth/tokens", "{\"name\":\"anon\"}", &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	CHECK(api_call(&c, "GET", "/api/v1/auth/tokens", NULL, &r));
	CHECK_INT(r.status, 401);
	http_response_free(&r);

	/* A cookie-authenticated token request without the CSRF header makes nothing. */
	char headers[512];
	snprintf(headers, sizeof headers, "Content-Type: application/json\r\nCookie: %s\r\n",
		 staff.cookie);
	CHECK(http_request(server.port, "POST", "/api/v1/auth/tokens", headers,
			   "{\"name\":\"csrf\"}", 15, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "csrf_failed");
	http_response_free(&r);

	/* A token with no name, or with a stray field, is refused. */
	CHECK(api_call(&staff, "POST", "/api/v1/auth/tokens", "{}", &r));
	CHECK_INT(r.status, 422);
	CHECK(json_object_get(json_object_get(json_object_get(r.json, "error"), "fields"),
			      "name") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/auth/tokens", "{\"name\":\"x\",\"user_id\":3}",
		       &r));
	CHECK_INT(r.status, 422);
	http_response_free(&r);
}

static void test_revoking_tokens(void)
{
	struct api_client admin, other, b;
	struct http_response r;
	char path[64];

	/* Another staff user, made by the admin. */
	api_client_at(&admin, server.port, "10.0.1.3");
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"jon@example.com\",\"password\":\"beste-irakaslea\","
		       "\"full_name\":\"Jon Other\",\"role\":\"staff\"}",
		       &r));
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	api_client_at(&other, server.port, "10.0.1.4");
	CHECK_INT(api_login(&other, "jon@example.com", "beste-irakaslea"), 200);

	/* He cannot see or revoke mikel's token: 404, and it keeps working. */
	snprintf(path, sizeof path, "/api/v1/auth/tokens/%lld", (long long)staff_token_id);
	CHECK(api_call(&other, "DELETE", path, NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK(api_call(&other, "GET", "/api/v1/auth/tokens", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(!list_has(&r, staff_token_id));
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);
	bearer_client(&b, staff_token);
	CHECK_INT(api_status(&b, "GET", "/api/v1/me", NULL), 200);

	/* The owner revokes it: 204, then the bearer is refused and the list drops it. */
	CHECK(api_call(&staff, "DELETE", path, NULL, &r));
	CHECK_INT(r.status, 204);
	CHECK_INT(r.body_len, 0);
	http_response_free(&r);
	CHECK(api_call(&b, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", "/api/v1/auth/tokens", NULL, &r));
	CHECK(!list_has(&r, staff_token_id));
	http_response_free(&r);
	/* Revoking it again: nothing left to revoke. */
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 404);
	/* An id that never existed. */
	CHECK_INT(api_status(&staff, "DELETE", "/api/v1/auth/tokens/999999", NULL), 404);

	/* An admin may revoke another user's token. */
	char token[128];
	json_int_t id = make_token(&staff, "for the admin to revoke", token, sizeof token);
	CHECK(id > 0);
	bearer_client(&b, token);
	CHECK_INT(api_status(&b, "GET", "/api/v1/me", NULL), 200);
	snprintf(path, sizeof path, "/api/v1/auth/tokens/%lld", (long long)id);
	CHECK_INT(api_status(&admin, "DELETE", path, NULL), 204);
	CHECK_INT(api_status(&b, "GET", "/api/v1/me", NULL), 401);
	/* Revoking one token leaves the owner's session alone. */
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me", NULL), 200);
}

static void test_bad_bearers_are_refused_everywhere(void)
{
	struct http_response r;
	static const char *const bad[] = {
		"Authorization: Bearer hmt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
		"Authorization: Bearer not-even-prefixed\r\n",
		"Authorization: Bearer \r\n",
		"Authorization: Basic bWlrZWxAZGVtby5oYXJyZW1hbi5ldXM6aXJha2FzbGVhLWRlbW8tMjAyNg==\r\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* A public route. */
		CHECK(http_request(server.port, "GET", "/healthz", bad[i], NULL, 0, &r));
		CHECK_INT(r.status, 401);
		CHECK_STR(http_error_code(&r), "unauthenticated");
		http_response_free(&r);
		/* A private one. */
		CHECK(http_request(server.port, "GET", "/api/v1/me", bad[i], NULL, 0, &r));
		CHECK_INT(r.status, 401);
		http_response_free(&r);
	}

	/* Even a login with good credentials is refused under a bad bearer. */
	static const char body[] =
		"{\"email\":\"mikel@demo.harreman.eus\",\"password\":\"irakaslea-demo-2026\"}";
	char headers[256];
	snprintf(headers, sizeof headers,
		 "Content-Type: application/json\r\nX-Forwarded-For: 10.0.1.5\r\n%s", bad[0]);
	CHECK(http_request(server.port, "POST", "/api/v1/auth/login", headers, body,
			   sizeof body - 1, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	char v[256];
	CHECK(http_header(&r, "Set-Cookie", v, sizeof v) == NULL);
	http_response_free(&r);

	/* The revoked token of the earlier test is one of them. */
	struct api_client b;
	bearer_client(&b, staff_token);
	CHECK_INT(api_status(&b, "GET", "/healthz", NULL), 401);
}

static void test_deactivated_users_tokens_stop_working(void)
{
	struct api_client admin, jon, b;
	struct http_response r;
	char token[128], path[64];

	api_client_at(&jon, server.port, "10.0.1.6");
	CHECK_INT(api_login(&jon, "jon@example.com", "beste-irakaslea"), 200);
	CHECK(make_token(&jon, "jon's script", token, sizeof token) > 0);
	bearer_client(&b, token);
	CHECK(api_call(&b, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	json_int_t jon_id = json_integer_value(json_object_get(http_json(&r, "user"), "id"));
	CHECK_STR(json_str(http_json(&r, "user"), "email"), "jon@example.com");
	http_response_free(&r);

	api_client_at(&admin, server.port, "10.0.1.7");
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)jon_id);
	CHECK(api_call(&admin, "PATCH", path, "{\"active\":false}", &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_false(http_json(&r, "active")));
	http_response_free(&r);

	CHECK(api_call(&b, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	CHECK_INT(api_status(&b, "POST", "/api/v1/auth/tokens", "{\"name\":\"still here?\"}"), 401);
	/* His cookie session ended too. */
	CHECK_INT(api_status(&jon, "GET", "/api/v1/me", NULL), 401);

	/* Reactivated, he can log in again, but the old token stays revoked. */
	CHECK(api_call(&admin, "PATCH", path, "{\"active\":true}", &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	CHECK_INT(api_login(&jon, "jon@example.com", "beste-irakaslea"), 200);
	CHECK_INT(api_status(&b, "GET", "/api/v1/me", NULL), 401);
}

int main(void)
{
	if (!ts_start(&server, trusted_args))
		return 1;
	RUN(test_staff_creates_and_lists_a_token);
	RUN(test_bearer_authenticates_without_csrf);
	RUN(test_student_and_anonymous_cannot_use_tokens);
	RUN(test_revoking_tokens);
	RUN(test_bad_bearers_are_refused_everywhere);
	RUN(test_deactivated_users_tokens_stop_working);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
