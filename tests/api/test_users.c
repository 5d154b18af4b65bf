// SPDX-License-Identifier: MIT
// Users (admin) and the audit log (API.md, "Authentication and roles" and
// "Operations"): list with keyset paging, create, read, update role, name and
// active flag, the last-admin guard, and who may do any of it.
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static struct test_server server;

/* No --demo: exactly three users (the demo logins, made through the command line),
 * so the counts below do not depend on how rich the demo business is. */
static const char *const trusted_args[] = {"--trusted-proxy", "127.0.0.1", NULL};

static struct api_client admin; /* the demo admin, by cookie */
static json_int_t admin_id;
static json_int_t created_student_id, created_staff_id;

/* ---- helpers ---------------------------------------------------------------- */

static void user_path(char *out, size_t size, json_int_t id)
{
	snprintf(out, size, "/api/v1/users/%lld", (long long)id);
}

/* "2026-11-24T15:00:00Z": RFC 3339 in UTC, as API.md writes every instant. */
static bool is_utc_instant(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	if (!s || strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	}
	return true;
}

/* A user object as API.md promises it, with no secret material. */
static bool is_user_object(json_t *u)
{
	const char *role = json_str(u, "role");
	return json_is_integer(json_object_get(u, "id")) &&
	       json_integer_value(json_object_get(u, "id")) > 0 && json_str(u, "email") &&
	       strchr(json_str(u, "email"), '@') && json_str(u, "full_name") && role &&
	       (!strcmp(role, "student") || !strcmp(role, "staff") || !strcmp(role, "admin")) &&
	       json_is_boolean(json_object_get(u, "active")) &&
	       is_utc_instant(json_str(u, "created_at")) && !json_object_get(u, "password_hash") &&
	       !json_object_get(u, "password");
}

/* ---- listing ------------------------------------------------------------------ */

static void test_admin_lists_users_without_secrets(void)
{
	struct http_response r;
	api_client_at(&admin, server.port, "10.0.2.1");
	CHECK_INT(api_login(&admin, DEMO_ADMIN), 200);
	CHECK(api_call(&admin, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "admin");
	CHECK(json_is_null(http_json(&r, "client")));
	admin_id = json_integer_value(json_object_get(http_json(&r, "user"), "id"));
	http_response_free(&r);

	CHECK(api_call(&admin, "GET", "/api/v1/users", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 3); /* the three demo users */
	size_t i;
	json_t *u;
	bool all_users = true, saw_admin = false, saw_student = false;
	json_array_foreach(items, i, u)
	{
		all_users = all_users && is_user_object(u);
		if (json_integer_value(json_object_get(u, "id")) == admin_id)
			saw_admin = json_str(u, "email") &&
				    !strcmp(json_str(u, "email"), "admin@demo.harreman.eus");
		if (json_str(u, "email") && !strcmp(json_str(u, "email"), "ane@demo.harreman.eus"))
			saw_student = json_str(u, "role") &&
				      !strcmp(json_str(u, "role"), "student");
	}
	CHECK(all_users);
	CHECK(saw_admin);
	CHECK(saw_student);
	CHECK(r.body && !strstr(r.body, "argon2"));
	CHECK(r.body && !strstr(r.body, "password"));
	CHECK(r.body && !strstr(r.body, "ikaslea-demo-2026"));
	CHECK(json_object_get(r.json, "next_after") && json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);
}

static void test_users_paging(void)
{
	struct http_response r;
	char path[96];
	json_int_t seen[16];
	size_t n_seen = 0;
	json_int_t after = 0;
	bool ascending = true;
	int pages = 0;

	/* Walk the whole list one by one. */
	for (;;) {
		if (after)
			snprintf(path, sizeof path, "/api/v1/users?limit=1&after=%lld",
				 (long long)after);
		else
			snprintf(path, sizeof path, "/api/v1/users?limit=1");
		CHECK(api_call(&admin, "GET", path, NULL, &r));
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items"), *next = http_json(&r, "next_after");
		pages++;
		if (json_array_size(items) != 1 || pages > 10) {
			CHECK_INT(json_array_size(items), 1);
			http_response_free(&r);
			break;
		}
		json_int_t id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
		if (n_seen && id <= seen[n_seen - 1])
			ascending = false;
		if (n_seen < sizeof seen / sizeof seen[0])
			seen[n_seen++] = id;
		if (json_is_null(next)) {
			http_response_free(&r);
			break;
		}
		/* next_after is the id of the page's last item. */
		CHECK_INT(json_integer_value(next), id);
		after = json_integer_value(next);
		http_response_free(&r);
	}
	CHECK_INT(pages, 3);
	CHECK_INT(n_seen, 3);
	CHECK(ascending);

	/* Two at a time: a full first page, then the rest with next_after null. */
	CHECK(api_call(&admin, "GET", "/api/v1/users?limit=2", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	CHECK_INT(json_integer_value(http_json(&r, "next_after")), seen[1]);
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/users?limit=2&after=%lld", (long long)seen[1]);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK_INT(json_integer_value(
			  json_object_get(json_array_get(http_json(&r, "items"), 0), "id")),
		  seen[2]);
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);

	/* Bad limits and afters. */
	static const char *const bad_limits[] = {"/api/v1/users?limit=0", "/api/v1/users?limit=abc",
						 "/api/v1/users?limit=-1", "/api/v1/users?limit="};
	for (size_t i = 0; i < sizeof bad_limits / sizeof bad_limits[0]; i++) {
		CHECK(api_call(&admin, "GET", bad_limits[i], NULL, &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		CHECK(http_error_field(&r, "limit") != NULL);
		http_response_free(&r);
	}
	CHECK(api_call(&admin, "GET", "/api/v1/users?after=abc", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "after") != NULL);
	http_response_free(&r);

	/* Over 200 is treated as 200, not refused. */
	CHECK(api_call(&admin, "GET", "/api/v1/users?limit=500", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 3);
	http_response_free(&r);
}

static void test_only_admins_manage_users(void)
{
	struct api_client c;
	struct http_response r;
	char path[64];
	user_path(path, sizeof path, admin_id);
	static const char body[] =
		"{\"email\":\"intruder@example.com\",\"password\":\"sartu-nahi-dut\","
		"\"full_name\":\"Intruder\",\"role\":\"admin\"}";

	for (int who = 0; who < 2; who++) {
		api_client_at(&c, server.port, who ? "10.0.2.3" : "10.0.2.2");
		if (who)
			CHECK_INT(api_login(&c, DEMO_STAFF), 200);
		else
			CHECK_INT(api_login(&c, DEMO_STUDENT), 200);
		CHECK(api_call(&c, "GET", "/api/v1/users", NULL, &r));
		CHECK_INT(r.status, 403);
		CHECK_STR(http_error_code(&r), "forbidden");
		http_response_free(&r);
		CHECK_INT(api_status(&c, "POST", "/api/v1/users", body), 403);
		CHECK_INT(api_status(&c, "GET", path, NULL), 403);
		CHECK_INT(api_status(&c, "PATCH", path, "{\"active\":false}"), 403);
		CHECK(api_call(&c, "GET", "/api/v1/audit", NULL, &r));
		CHECK_INT(r.status, 403);
		CHECK_STR(http_error_code(&r), "forbidden");
		http_response_free(&r);
	}

	api_client_init(&c, server.port);
	CHECK(api_call(&c, "GET", "/api/v1/users", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	CHECK_INT(api_status(&c, "POST", "/api/v1/users", body), 401);
	CHECK_INT(api_status(&c, "GET", path, NULL), 401);
	CHECK_INT(api_status(&c, "GET", "/api/v1/audit", NULL), 401);

	/* None of that made the intruder, nor touched the admin. */
	CHECK(api_call(&admin, "GET", "/api/v1/users", NULL, &r));
	CHECK(r.body && !strstr(r.body, "intruder@example.com"));
	http_response_free(&r);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK(json_is_true(http_json(&r, "active")));
	http_response_free(&r);
}

/* ---- the last admin ----------------------------------------------------------- */

static void test_only_admin_cannot_demote_or_deactivate_itself(void)
{
	struct http_response r;
	char path[64];
	user_path(path, sizeof path, admin_id);

	CHECK(api_call(&admin, "PATCH", path, "{\"role\":\"staff\"}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK(api_call(&admin, "PATCH", path, "{\"active\":false}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK(api_call(&admin, "PATCH", path, "{\"role\":\"student\",\"full_name\":\"Renamed\"}",
		       &r));
	CHECK_INT(r.status, 409);
	http_response_free(&r);

	/* Nothing changed: still an active admin with the old name, session intact. */
	CHECK(api_call(&admin, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "admin");
	CHECK_STR(json_str(http_json(&r, "user"), "full_name"), "Nerea Zubiri");
	CHECK(json_is_null(http_json(&r, "client"))); /* no client record was made */
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/users", NULL), 200);
}

/* ---- create --------------------------------------------------------------- */

static void test_admin_creates_users(void)
{
	struct http_response r;
	struct api_client c;

	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"Irati@Example.com\",\"password\":\"ikasle-berria\","
		       "\"full_name\":\"Irati Lasa\",\"role\":\"student\"}",
		       &r));
	CHECK_INT(r.status, 201);
	CHECK(is_user_object(r.json));
	CHECK_STR(json_str(r.json, "email"), "irati@example.com");
	CHECK_STR(json_str(r.json, "full_name"), "Irati Lasa");
	CHECK_STR(json_str(r.json, "role"), "student");
	CHECK(json_is_true(http_json(&r, "active")));
	CHECK(http_json(&r, "user") == NULL); /* the resource itself, not wrapped */
	CHECK(r.body && !strstr(r.body, "ikasle-berria") && !strstr(r.body, "argon2"));
	created_student_id = json_integer_value(http_json(&r, "id"));
	http_response_free(&r);

	/* The student logs in and has a client record. */
	api_client_at(&c, server.port, "10.0.2.4");
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"irati@example.com\",\"password\":\"ikasle-berria\"}", &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	CHECK_INT(api_login(&c, "irati@example.com", "ikasle-berria"), 200);
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_integer_value(json_object_get(http_json(&r, "user"), "id")),
		  created_student_id);
	json_t *client = http_json(&r, "client");
	CHECK(json_is_object(client));
	CHECK_INT(json_integer_value(json_object_get(client, "user_id")), created_student_id);
	CHECK_STR(json_str(client, "full_name"), "Irati Lasa");
	CHECK_STR(json_str(client, "email"), "irati@example.com");
	http_response_free(&r);

	/* A staff user has none. */
	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"koldo@example.com\",\"password\":\"irakasle-berria\","
		       "\"full_name\":\"Koldo Etxebe\",\"role\":\"staff\"}",
		       &r));
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(r.json, "role"), "staff");
	created_staff_id = json_integer_value(http_json(&r, "id"));
	CHECK(created_staff_id > created_student_id);
	http_response_free(&r);
	api_client_at(&c, server.port, "10.0.2.5");
	CHECK_INT(api_login(&c, "koldo@example.com", "irakasle-berria"), 200);
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "staff");
	CHECK(json_object_get(r.json, "client") && json_is_null(http_json(&r, "client")));
	http_response_free(&r);
	/* And can do staff things. */
	CHECK_INT(api_status(&c, "GET", "/api/v1/auth/tokens", NULL), 200);

	/* Both show up in the list. */
	CHECK(api_call(&admin, "GET", "/api/v1/users", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 5);
	http_response_free(&r);
}

static void test_create_user_validation(void)
{
	struct http_response r;

	/* The same e-mail, in other case. */
	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"IRATI@example.com\",\"password\":\"beste-bat-bai\","
		       "\"full_name\":\"Irati Bis\",\"role\":\"staff\"}",
		       &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "email_taken");
	http_response_free(&r);
	/* Also against a user who registered themselves (the demo student). */
	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"ane@demo.harreman.eus\",\"password\":\"beste-bat-bai\","
		       "\"full_name\":\"Ane Bis\",\"role\":\"student\"}",
		       &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "email_taken");
	http_response_free(&r);

	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"norole@example.com\",\"password\":\"rolik-gabe-1\","
		       "\"full_name\":\"No Role\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(http_error_field(&r, "role") != NULL);
	http_response_free(&r);

	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"norole@example.com\",\"password\":\"rolik-gabe-1\","
		       "\"full_name\":\"No Role\",\"role\":\"superuser\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "role") != NULL);
	http_response_free(&r);

	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"norole@example.com\",\"password\":\"rolik-gabe-1\","
		       "\"full_name\":\"No Role\",\"role\":\"staff\",\"id\":1}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "id"), "is read-only");
	http_response_free(&r);

	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"norole@example.com\",\"password\":\"short\","
		       "\"full_name\":\"No Role\",\"role\":\"staff\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "password") != NULL);
	http_response_free(&r);

	/* None of those made the user. */
	CHECK(api_call(&admin, "GET", "/api/v1/users", NULL, &r));
	CHECK(r.body && !strstr(r.body, "norole@example.com"));
	CHECK_INT(json_array_size(http_json(&r, "items")), 5);
	http_response_free(&r);
}

/* ---- read ------------------------------------------------------------------ */

static void test_get_user(void)
{
	struct http_response r;
	char path[64];
	user_path(path, sizeof path, created_student_id);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK(is_user_object(r.json));
	CHECK_INT(json_integer_value(http_json(&r, "id")), created_student_id);
	CHECK_STR(json_str(r.json, "email"), "irati@example.com");
	CHECK_STR(json_str(r.json, "role"), "student");
	http_response_free(&r);

	static const char *const missing[] = {"/api/v1/users/999999", "/api/v1/users/abc",
					      "/api/v1/users/0", "/api/v1/users/-1"};
	for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
		CHECK(api_call(&admin, "GET", missing[i], NULL, &r));
		CHECK_INT(r.status, 404);
		CHECK_STR(http_error_code(&r), "not_found");
		http_response_free(&r);
	}
	CHECK(api_call(&admin, "PATCH", "/api/v1/users/999999", "{\"full_name\":\"Ghost\"}", &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
}

/* ---- update ---------------------------------------------------------------- */

static void test_update_name_and_role(void)
{
	struct http_response r;
	struct api_client c;
	char path[64];
	user_path(path, sizeof path, created_student_id);

	CHECK(api_call(&admin, "PATCH", path, "{\"full_name\":\"Irati Lasa Etxeberria\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "full_name"), "Irati Lasa Etxeberria");
	CHECK_STR(json_str(r.json, "role"), "student"); /* untouched */
	CHECK(json_is_true(http_json(&r, "active")));
	http_response_free(&r);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "full_name"), "Irati Lasa Etxeberria");
	http_response_free(&r);

	/* Her session sees the new role at once, with what it allows. */
	api_client_at(&c, server.port, "10.0.2.6");
	CHECK_INT(api_login(&c, "irati@example.com", "ikasle-berria"), 200);
	CHECK_INT(api_status(&c, "GET", "/api/v1/auth/tokens", NULL), 403);
	CHECK(api_call(&admin, "PATCH", path, "{\"role\":\"staff\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "role"), "staff");
	http_response_free(&r);
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "staff");
	/* Staff have client null in /me, even with a record left from being a student. */
	CHECK(json_object_get(r.json, "client") && json_is_null(http_json(&r, "client")));
	http_response_free(&r);
	CHECK_INT(api_status(&c, "GET", "/api/v1/auth/tokens", NULL), 200);

	/* A staff user made a student gets a client record. */
	user_path(path, sizeof path, created_staff_id);
	CHECK(api_call(&admin, "PATCH", path, "{\"role\":\"student\"}", &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	api_client_at(&c, server.port, "10.0.2.7");
	CHECK_INT(api_login(&c, "koldo@example.com", "irakasle-berria"), 200);
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "student");
	CHECK(json_is_object(http_json(&r, "client")));
	CHECK_STR(json_str(http_json(&r, "client"), "full_name"), "Koldo Etxebe");
	http_response_free(&r);
}

static void test_deactivate_and_reactivate(void)
{
	struct http_response r;
	struct api_client c;
	char path[64];
	user_path(path, sizeof path, created_staff_id);

	api_client_at(&c, server.port, "10.0.2.8");
	CHECK_INT(api_login(&c, "koldo@example.com", "irakasle-berria"), 200);
	CHECK_INT(api_status(&c, "GET", "/api/v1/me", NULL), 200);

	CHECK(api_call(&admin, "PATCH", path, "{\"active\":false}", &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_false(http_json(&r, "active")));
	http_response_free(&r);

	/* The open session ends... */
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	/* ...and the right password no longer logs in, with the usual answer. */
	api_client_at(&c, server.port, "10.0.2.9");
	CHECK(api_call(&c, "POST", "/api/v1/auth/login",
		       "{\"email\":\"koldo@example.com\",\"password\":\"irakasle-berria\"}", &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "invalid_credentials");
	http_response_free(&r);
	/* The list shows the flag. */
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK(json_is_false(http_json(&r, "active")));
	http_response_free(&r);

	/* Active again: logs in again. */
	CHECK(api_call(&admin, "PATCH", path, "{\"active\":true}", &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_true(http_json(&r, "active")));
	http_response_free(&r);
	api_client_at(&c, server.port, "10.0.2.10");
	CHECK_INT(api_login(&c, "koldo@example.com", "irakasle-berria"), 200);
}

static void test_update_validation(void)
{
	struct http_response r;
	char path[64];
	user_path(path, sizeof path, created_student_id);

	CHECK(api_call(&admin, "PATCH", path, "{\"email\":\"x@y.z\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK_STR(http_error_field(&r, "email"), "is read-only");
	http_response_free(&r);

	CHECK(api_call(&admin, "PATCH", path, "{\"active\":\"no\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "active") != NULL);
	http_response_free(&r);

	CHECK(api_call(&admin, "PATCH", path, "{\"role\":\"boss\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "role") != NULL);
	http_response_free(&r);

	CHECK(api_call(&admin, "PATCH", path, "{\"full_name\":\"\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "full_name") != NULL);
	http_response_free(&r);

	/* A password is not something this endpoint sets. */
	CHECK(api_call(&admin, "PATCH", path, "{\"password\":\"hartu-hau-orain\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "password"), "unknown field");
	http_response_free(&r);

	/* A valid field beside a bad one changes nothing. */
	CHECK(api_call(&admin, "PATCH", path, "{\"full_name\":\"Half Applied\",\"id\":77}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "id"), "is read-only");
	http_response_free(&r);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "email"), "irati@example.com");
	CHECK_STR(json_str(r.json, "full_name"), "Irati Lasa Etxeberria");
	CHECK(json_is_true(http_json(&r, "active")));
	http_response_free(&r);
}

static void test_guard_counts_active_admins(void)
{
	struct http_response r;
	struct api_client second;
	char path[64], self[64];
	user_path(self, sizeof self, admin_id);

	CHECK(api_call(&admin, "POST", "/api/v1/users",
		       "{\"email\":\"second.admin@example.com\",\"password\":\"bigarren-kudea\","
		       "\"full_name\":\"Second Admin\",\"role\":\"admin\"}",
		       &r));
	CHECK_INT(r.status, 201);
	json_int_t second_id = json_integer_value(http_json(&r, "id"));
	http_response_free(&r);
	user_path(path, sizeof path, second_id);
	api_client_at(&second, server.port, "10.0.2.11");
	CHECK_INT(api_login(&second, "second.admin@example.com", "bigarren-kudea"), 200);
	CHECK_INT(api_status(&second, "GET", "/api/v1/users", NULL), 200);

	/* With another admin active, demoting one is fine. */
	CHECK(api_call(&admin, "PATCH", path, "{\"role\":\"staff\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "role"), "staff");
	http_response_free(&r);
	CHECK_INT(api_status(&second, "GET", "/api/v1/users", NULL), 403);

	/* An inactive admin does not count: promote back, deactivate, then the demo
	 * admin is the only active one again. */
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"role\":\"admin\"}"), 200);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"active\":false}"), 200);
	CHECK(api_call(&admin, "PATCH", self, "{\"active\":false}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK(api_call(&admin, "GET", "/api/v1/me", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(http_json(&r, "user"), "role"), "admin");
	CHECK(json_is_true(json_object_get(http_json(&r, "user"), "active")));
	http_response_free(&r);
}

/* ---- audit ---------------------------------------------------------------- */

static json_t *all_audit(void)
{
	json_t *all = json_array();
	json_int_t after = 0;
	for (int page = 0; page < 20; page++) {
		char path[96];
		struct http_response r;
		snprintf(path, sizeof path, "/api/v1/audit?limit=200&after=%lld", (long long)after);
		api_call(&admin, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		json_array_extend(all, http_json(&r, "items"));
		json_t *next = http_json(&r, "next_after");
		after = json_is_integer(next) ? json_integer_value(next) : 0;
		http_response_free(&r);
		if (!after)
			break;
	}
	return all;
}

static json_t *find_entry(json_t *all, const char *action, json_int_t entity_id)
{
	size_t i;
	json_t *e;
	json_array_foreach(all, i, e)
	{
		if (json_str(e, "action") && !strcmp(json_str(e, "action"), action) &&
		    (!entity_id ||
		     json_integer_value(json_object_get(e, "entity_id")) == entity_id))
			return e;
	}
	return NULL;
}

static void test_audit_log(void)
{
	json_t *all = all_audit();
	CHECK(json_array_size(all) > 0);

	json_t *create = find_entry(all, "user.create", created_student_id);
	CHECK(create != NULL);
	CHECK_INT(json_integer_value(json_object_get(create, "actor_id")), admin_id);
	CHECK(is_utc_instant(json_str(create, "at")));

	json_t *update = find_entry(all, "user.update", created_student_id);
	CHECK(update != NULL);
	CHECK_INT(json_integer_value(json_object_get(update, "actor_id")), admin_id);
	CHECK(is_utc_instant(json_str(update, "at")));

	json_t *login = find_entry(all, "session.login", admin_id);
	CHECK(login != NULL);
	CHECK_INT(json_integer_value(json_object_get(login, "actor_id")), admin_id);
	CHECK(is_utc_instant(json_str(login, "at")));
	/* The student's own login is recorded under her id. */
	json_t *student_login = find_entry(all, "session.login", created_student_id);
	CHECK(student_login != NULL);
	CHECK_INT(json_integer_value(json_object_get(student_login, "actor_id")),
		  created_student_id);

	/* The refused (409) changes to the admin itself left no trace. */
	CHECK(find_entry(all, "user.update", admin_id) == NULL);

	/* Every entry's time is an RFC 3339 UTC instant; no secrets anywhere. */
	size_t i;
	json_t *e;
	bool all_utc = true;
	json_array_foreach(all, i, e) all_utc = all_utc && is_utc_instant(json_str(e, "at"));
	CHECK(all_utc);
	char *text = json_dumps(all, 0);
	CHECK(text && !strstr(text, "argon2"));
	CHECK(text && !strstr(text, "ikasle-berria"));
	CHECK(text && !strstr(text, "irakasle-berria"));
	CHECK(text && !strstr(text, "kudeatzailea-demo-2026"));
	free(text);
	json_decref(all);
}

/* ?order=newest: the same entries newest first, paged, with names to read. */
static void test_audit_newest_first(void)
{
	json_t *oldest = all_audit();
	json_t *newest = json_array();
	json_int_t after = 0;
	struct http_response r;
	for (int page = 0; page < 200; page++) {
		char path[96];
		snprintf(path, sizeof path, "/api/v1/audit?order=newest&limit=7&after=%lld",
			 (long long)after);
		api_call(&admin, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		json_array_extend(newest, http_json(&r, "items"));
		json_t *next = http_json(&r, "next_after");
		after = json_is_integer(next) ? json_integer_value(next) : 0;
		http_response_free(&r);
		if (!after)
			break;
	}
	size_t n = json_array_size(oldest);
	CHECK(n > 7);
	CHECK_INT((long long)json_array_size(newest), (long long)n);
	bool reversed = json_array_size(newest) == n;
	for (size_t i = 0; reversed && i < n; i++)
		reversed = json_integer_value(json_object_get(json_array_get(newest, i), "id")) ==
			   json_integer_value(
				   json_object_get(json_array_get(oldest, n - 1 - i), "id"));
	CHECK(reversed);

	/* Who did it and what it was about, by name. */
	json_t *login = find_entry(newest, "session.login", admin_id);
	CHECK(login != NULL);
	CHECK_STR(json_str(login, "actor_name"), "Nerea Zubiri");
	CHECK_STR(json_str(login, "entity_name"), "Nerea Zubiri");
	char path[64];
	user_path(path, sizeof path, created_student_id);
	api_call(&admin, "GET", path, NULL, &r);
	const char *name = json_str(r.json, "full_name");
	json_t *create = find_entry(newest, "user.create", created_student_id);
	CHECK(create != NULL && name != NULL);
	if (create && name)
		CHECK_STR(json_str(create, "entity_name"), name);
	http_response_free(&r);

	api_call(&admin, "GET", "/api/v1/audit?order=sideways", NULL, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "order") != NULL);
	http_response_free(&r);
	json_decref(oldest);
	json_decref(newest);
}

int main(void)
{
	if (!ts_start(&server, trusted_args) ||
	    !ts_add_user(&server, "student", "ane@demo.harreman.eus", "Ane Etxeberria",
			 "ikaslea-demo-2026") ||
	    !ts_add_user(&server, "staff", "mikel@demo.harreman.eus", "Mikel Agirre",
			 "irakaslea-demo-2026") ||
	    !ts_add_user(&server, "admin", "admin@demo.harreman.eus", "Nerea Zubiri",
			 "kudeatzailea-demo-2026"))
		return 1;
	RUN(test_admin_lists_users_without_secrets);
	RUN(test_users_paging);
	RUN(test_only_admins_manage_users);
	RUN(test_only_admin_cannot_demote_or_deactivate_itself);
	RUN(test_admin_creates_users);
	RUN(test_create_user_validation);
	RUN(test_get_user);
	RUN(test_update_name_and_role);
	RUN(test_deactivate_and_reactivate);
	RUN(test_update_validation);
	RUN(test_guard_counts_active_admins);
	RUN(test_audit_log);
	RUN(test_audit_newest_first);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
