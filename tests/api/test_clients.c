// SPDX-License-Identifier: MIT
// Clients (API.md, "Clients"): staff create records for clients who never log in,
// search them by name, e-mail or phone (case-insensitive, % and _ literal), page
// through them, read and patch them (null clears, absent keeps); the derived
// relationship follows active subscriptions; a student reads its own record and
// changes only its profile fields; the contact history (interactions) is staff's;
// the client object carries its loyalty stage, the same as GET /me/loyalty.
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "harreman/timefmt.h"

static struct test_server server;
static const char *const trusted_args[] = {"--trusted-proxy", "127.0.0.1", NULL};

#define PW "client-test-password"

static struct api_client admin, staff, student, student2, anon;
static json_int_t staff_id, tutor_id, plain_staff_id, student_user_id, student_client_id;
static json_int_t miren; /* the full phone client */
static json_int_t ane, percent_client, underscore_client, xabier, inaki;
static json_int_t service_id;

/* ---- helpers ---------------------------------------------------------------- */

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

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

/* Is instant text within a couple of minutes of now? */
static bool is_recent(const char *text)
{
	int64_t t = 0;
	if (!text || !hm_time_parse(text, &t))
		return false;
	int64_t now = hm_time_now();
	return t <= now + 5 && t >= now - 300;
}

static json_int_t find_user(const char *email)
{
	struct http_response r;
	json_int_t id = 0;
	size_t i;
	json_t *u;
	api_call(&admin, "GET", "/api/v1/users?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i,
			   u) if (json_str(u, "email") && strcmp(json_str(u, "email"), email) == 0)
		id = ival(u, "id");
	http_response_free(&r);
	return id;
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

static void client_path(char *out, size_t size, json_int_t id, const char *tail)
{
	snprintf(out, size, "/api/v1/clients/%lld%s", (long long)id, tail);
}

/* Every client, walking the pages (limit 200). */
static long count_clients(void)
{
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/clients?limit=200", NULL, &r);
	long n = r.status == 200 ? (long)json_array_size(http_json(&r, "items")) : -1;
	http_response_free(&r);
	return n;
}

/* The ids a search answers, as a comma-separated list ("" for none). */
static void search(const char *query, char *out, size_t size)
{
	char path[256];
	struct http_response r;
	size_t i, used = 0;
	json_t *c;
	snprintf(path, sizeof path, "/api/v1/clients?limit=200&q=%s", query);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	out[0] = '\0';
	json_array_foreach(http_json(&r, "items"), i, c) used += (size_t)snprintf(
		out + used, size - used, "%s%lld", used ? "," : "", (long long)ival(c, "id"));
	http_response_free(&r);
}

static void ids_text(char *out, size_t size, json_int_t a, json_int_t b)
{
	if (b)
		snprintf(out, size, "%lld,%lld", (long long)a, (long long)b);
	else
		snprintf(out, size, "%lld", (long long)a);
}

/* ---- setup ------------------------------------------------------------------- */

static bool setup(void)
{
	struct http_response r;
	if (!ts_add_user(&server, "admin", "admin@clients.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "office@clients.test", "Olatz Office", PW) ||
	    !ts_add_user(&server, "staff", "tutor@clients.test", "Amaia Tutor", PW) ||
	    !ts_add_user(&server, "staff", "plain@clients.test", "Peio Plain", PW))
		return false;
	api_client_at(&admin, server.port, "10.2.0.1");
	api_client_at(&staff, server.port, "10.2.0.2");
	api_client_at(&student, server.port, "10.2.0.3");
	api_client_at(&student2, server.port, "10.2.0.4");
	api_client_at(&anon, server.port, "10.2.0.5");
	if (api_login(&admin, "admin@clients.test", PW) != 200 ||
	    api_login(&staff, "office@clients.test", PW) != 200 ||
	    api_register(&student, "gorka@clients.test", PW, "Gorka Ikaslea") != 201 ||
	    api_register(&student2, "leire@clients.test", PW, "Leire Bigarren") != 201)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	staff_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	api_call(&student, "GET", "/api/v1/me", NULL, &r);
	student_user_id = ival(http_json(&r, "user"), "id");
	student_client_id = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	tutor_id = find_user("tutor@clients.test");
	plain_staff_id = find_user("plain@clients.test");
	char path[64];
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)tutor_id);
	if (!staff_id || !student_client_id || !tutor_id || !plain_staff_id ||
	    api_status(&staff, "PUT", path, "{\"subjects\":[\"english\"]}") != 200)
		return false;
	service_id = post_id(
		&staff, "/api/v1/services",
		"{\"name\":\"English B2\",\"subject\":\"english\",\"kind\":\"private\","
		"\"duration_min\":60,\"price_cents\":2500}",
		201);
	return service_id > 0;
}

/* ---- create ------------------------------------------------------------------ */

static void test_staff_creates_a_phone_client(void)
{
	struct http_response r;
	char body[1024];
	snprintf(
		body, sizeof body,
		"{\"full_name\":\"Miren Goikoetxea\",\"phone\":\"+34 600 000 001\","
		"\"guardian\":{\"full_name\":\"Itziar Goikoetxea\",\"phone\":\"+34 600 000 002\"},"
		"\"assistance\":\"dedicated\",\"tutor_id\":%lld,\"level\":\"B1\",\"pace\":\"steady\","
		"\"preferred_channel\":\"phone\",\"locale\":\"es\",\"notes\":\"Prefers mornings.\"}",
		(long long)tutor_id);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", body, &r));
	CHECK_INT(r.status, 201);
	miren = ival(r.json, "id");
	CHECK(miren > 0);
	CHECK(json_object_get(r.json, "user_id") && json_is_null(http_json(&r, "user_id")));
	CHECK_STR(json_str(r.json, "full_name"), "Miren Goikoetxea");
	CHECK(json_object_get(r.json, "email") && json_is_null(http_json(&r, "email")));
	CHECK_STR(json_str(r.json, "phone"), "+34 600 000 001");
	json_t *g = http_json(&r, "guardian");
	CHECK(json_is_object(g));
	CHECK_STR(json_str(g, "full_name"), "Itziar Goikoetxea");
	CHECK(json_object_get(g, "email") && json_is_null(json_object_get(g, "email")));
	CHECK_STR(json_str(g, "phone"), "+34 600 000 002");
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	CHECK_STR(json_str(r.json, "assistance"), "dedicated");
	CHECK_INT(ival(r.json, "tutor_id"), tutor_id);
	CHECK_STR(json_str(r.json, "level"), "B1");
	CHECK_STR(json_str(r.json, "pace"), "steady");
	CHECK_STR(json_str(r.json, "preferred_channel"), "phone");
	CHECK_STR(json_str(r.json, "locale"), "es");
	CHECK_STR(json_str(r.json, "notes"), "Prefers mornings.");
	CHECK(is_utc_instant(json_str(r.json, "created_at")));
	CHECK(is_recent(json_str(r.json, "created_at")));
	CHECK(http_json(&r, "client") == NULL); /* the resource itself, not wrapped */
	http_response_free(&r);

	/* The same on a read. */
	char path[64];
	client_path(path, sizeof path, miren, "");
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "id"), miren);
	CHECK_STR(json_str(r.json, "full_name"), "Miren Goikoetxea");
	CHECK_STR(json_str(http_json(&r, "guardian"), "full_name"), "Itziar Goikoetxea");
	CHECK_INT(ival(r.json, "tutor_id"), tutor_id);
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	http_response_free(&r);

	/* A minimal one: the rest defaults, e-mail lower-cased. */
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Ane Lertxundi\",\"email\":\"Ane.L@Example.COM\"}", &r));
	CHECK_INT(r.status, 201);
	ane = ival(r.json, "id");
	CHECK_STR(json_str(r.json, "email"), "ane.l@example.com");
	CHECK(json_is_null(http_json(&r, "phone")));
	CHECK(json_is_null(http_json(&r, "guardian")));
	CHECK(json_is_null(http_json(&r, "tutor_id")));
	CHECK(json_is_null(http_json(&r, "pace")));
	CHECK(json_is_null(http_json(&r, "user_id")));
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	http_response_free(&r);

	percent_client = post_id(&staff, "/api/v1/clients", "{\"full_name\":\"100% Euskara\"}",
				 201);
	underscore_client = post_id(&staff, "/api/v1/clients",
				    "{\"full_name\":\"Jon_Ander Aranburu\"}", 201);
	xabier = post_id(&staff, "/api/v1/clients",
			 "{\"full_name\":\"Xabier Zubia\",\"phone\":\"+34 611 222 333\"}", 201);
	inaki = post_id(&staff, "/api/v1/clients",
			"{\"full_name\":\"I\xc3\xb1"
			"aki Ib\xc3\xa1\xc3\xb1"
			"ez\"}",
			201);
	CHECK(percent_client && underscore_client && xabier && inaki);
}

static void test_create_validation(void)
{
	struct http_response r;
	char body[512];
	long before = count_clients();

	CHECK(api_call(&staff, "POST", "/api/v1/clients", "{\"phone\":\"+34 600 000 009\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_code(&r), "validation_failed");
	CHECK(http_error_field(&r, "full_name") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", "{\"full_name\":\"   \"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "full_name") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Bad Mail\",\"email\":\"not-an-address\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "email") != NULL);
	http_response_free(&r);
	snprintf(body, sizeof body, "{\"full_name\":\"Not Tutored\",\"tutor_id\":%lld}",
		 (long long)plain_staff_id);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tutor_id") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Not Tutored\",\"tutor_id\":999999}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tutor_id") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Quick One\",\"pace\":\"quick\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "pace") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Loyal One\",\"relationship\":\"long_term\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "relationship"), "is read-only");
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Some One\",\"locale\":\"fr\",\"assistance\":\"vip\","
		       "\"preferred_channel\":\"fax\"}",
		       &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") != NULL);
	CHECK(http_error_field(&r, "assistance") != NULL);
	CHECK(http_error_field(&r, "preferred_channel") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Some One\",\"shoe_size\":42}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "shoe_size"), "unknown field");
	http_response_free(&r);
	char name[260];
	memset(name, 'a', 201);
	name[201] = '\0';
	snprintf(body, sizeof body, "{\"full_name\":\"%s\"}", name);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "full_name") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Bad Guardian\",\"guardian\":\"Mum\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "guardian") != NULL);
	http_response_free(&r);

	CHECK_INT(count_clients(), before);
}

/* ---- who may --------------------------------------------------------------------- */

static void test_access(void)
{
	struct http_response r;
	char path[64];
	client_path(path, sizeof path, miren, "");
	CHECK(api_call(&student, "GET", "/api/v1/clients", NULL, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&student, "POST", "/api/v1/clients", "{\"full_name\":\"Sneaky\"}"),
		  403);
	CHECK_INT(api_status(&student, "GET", path, NULL), 403);
	CHECK_INT(api_status(&student, "PATCH", path, "{\"notes\":\"hacked\"}"), 403);
	client_path(path, sizeof path, student_client_id, "");
	CHECK_INT(api_status(&student, "GET", path, NULL), 403); /* even its own, there */

	CHECK(api_call(&anon, "GET", "/api/v1/clients", NULL, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "POST", "/api/v1/clients", "{\"full_name\":\"Sneaky\"}"), 401);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/client", NULL), 401);

	/* Admins are staff too. */
	CHECK_INT(api_status(&admin, "GET", "/api/v1/clients", NULL), 200);
	/* Nothing made by the refused ones. */
	char found[256];
	search("Sneaky", found, sizeof found);
	CHECK_STR(found, "");
	client_path(path, sizeof path, miren, "");
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "notes"), "Prefers mornings.");
	http_response_free(&r);

	CHECK(api_call(&staff, "GET", "/api/v1/clients/999999", NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "PATCH", "/api/v1/clients/999999", "{\"level\":\"A1\"}"), 404);
}

/* ---- search and pages ------------------------------------------------------------- */

static void test_search(void)
{
	char found[512], expect[64];

	/* Case-insensitive, by name. */
	search("ANE", found, sizeof found);
	ids_text(expect, sizeof expect, ane, 0);
	CHECK_STR(found, expect);
	search("lertx", found, sizeof found);
	CHECK_STR(found, expect);
	/* By e-mail. */
	search("ANE.L%40EXAMPLE", found, sizeof found);
	CHECK_STR(found, expect);
	search("gorka%40clients", found, sizeof found);
	ids_text(expect, sizeof expect, student_client_id, 0);
	CHECK_STR(found, expect);
	/* By phone. */
	search("611%20222", found, sizeof found);
	ids_text(expect, sizeof expect, xabier, 0);
	CHECK_STR(found, expect);
	search("%2B34%20600%20000%20001", found, sizeof found);
	ids_text(expect, sizeof expect, miren, 0);
	CHECK_STR(found, expect);
	/* % and _ are literal, not wildcards. */
	search("%25", found, sizeof found);
	ids_text(expect, sizeof expect, percent_client, 0);
	CHECK_STR(found, expect);
	search("0%25%20E", found, sizeof found);
	CHECK_STR(found, expect);
	search("_", found, sizeof found);
	ids_text(expect, sizeof expect, underscore_client, 0);
	CHECK_STR(found, expect);
	search("n_a", found, sizeof found);
	CHECK_STR(found, expect);
	search("X_bier", found, sizeof found); /* "_" would match the "a" of Xabier */
	CHECK_STR(found, "");
	search("Zubi%25", found, sizeof found);
	CHECK_STR(found, "");
	/* Nothing matches. */
	search("zzzz", found, sizeof found);
	CHECK_STR(found, "");
	/* Case-insensitive beyond ASCII: "IÑAKI" finds "Iñaki". */
	search("I%C3%91AKI", found, sizeof found);
	ids_text(expect, sizeof expect, inaki, 0);
	CHECK_STR(found, expect);
	search("I%C3%B1aki", found, sizeof found);
	CHECK_STR(found, expect);
}

static void test_paging(void)
{
	struct http_response r;
	char path[128];
	long total = count_clients();
	CHECK(total >= 8);
	json_int_t after = 0, prev = 0;
	long seen = 0;
	bool ascending = true, sized = true;
	for (int page = 0; page < 20; page++) {
		if (after)
			snprintf(path, sizeof path, "/api/v1/clients?limit=3&after=%lld",
				 (long long)after);
		else
			snprintf(path, sizeof path, "/api/v1/clients?limit=3");
		CHECK(api_call(&staff, "GET", path, NULL, &r));
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items"), *next = http_json(&r, "next_after");
		size_t i;
		json_t *c;
		json_array_foreach(items, i, c)
		{
			ascending = ascending && ival(c, "id") > prev;
			prev = ival(c, "id");
			seen++;
		}
		CHECK(next != NULL);
		if (json_is_null(next)) {
			sized = sized && json_array_size(items) <= 3;
			http_response_free(&r);
			break;
		}
		sized = sized && json_array_size(items) == 3;
		CHECK_INT(json_integer_value(next), prev); /* the page's last id */
		after = json_integer_value(next);
		http_response_free(&r);
	}
	CHECK(ascending);
	CHECK(sized);
	CHECK_INT(seen, total);

	/* Paging a search. */
	CHECK(api_call(&staff, "GET", "/api/v1/clients?q=a&limit=1", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK(json_is_integer(http_json(&r, "next_after")));
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", "/api/v1/clients?limit=0", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "limit") != NULL);
	http_response_free(&r);
}

/* ---- update ----------------------------------------------------------------------- */

static void test_patch(void)
{
	struct http_response r;
	char path[64], body[256];
	client_path(path, sizeof path, miren, "");

	/* One field: the others stay. */
	CHECK(api_call(&staff, "PATCH", path, "{\"level\":\"B2\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "level"), "B2");
	CHECK_STR(json_str(r.json, "full_name"), "Miren Goikoetxea");
	CHECK_STR(json_str(r.json, "phone"), "+34 600 000 001");
	CHECK_STR(json_str(http_json(&r, "guardian"), "phone"), "+34 600 000 002");
	CHECK_INT(ival(r.json, "tutor_id"), tutor_id);
	CHECK_STR(json_str(r.json, "pace"), "steady");
	CHECK_STR(json_str(r.json, "notes"), "Prefers mornings.");
	CHECK_STR(json_str(r.json, "locale"), "es");
	http_response_free(&r);

	/* null clears phone, guardian and tutor. */
	CHECK(api_call(&staff, "PATCH", path,
		       "{\"phone\":null,\"guardian\":null,\"tutor_id\":null,"
		       "\"email\":\"Miren@Example.com\"}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK(json_object_get(r.json, "phone") && json_is_null(http_json(&r, "phone")));
	CHECK(json_object_get(r.json, "guardian") && json_is_null(http_json(&r, "guardian")));
	CHECK(json_object_get(r.json, "tutor_id") && json_is_null(http_json(&r, "tutor_id")));
	CHECK_STR(json_str(r.json, "email"), "miren@example.com");
	CHECK_STR(json_str(r.json, "level"), "B2");
	CHECK_STR(json_str(r.json, "full_name"), "Miren Goikoetxea");
	CHECK_STR(json_str(r.json, "assistance"), "dedicated");
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK(json_is_null(http_json(&r, "phone")));
	CHECK(json_is_null(http_json(&r, "guardian")));
	CHECK(json_is_null(http_json(&r, "tutor_id")));
	CHECK_STR(json_str(r.json, "pace"), "steady");
	http_response_free(&r);

	/* Set them again, with more. */
	snprintf(body, sizeof body,
		 "{\"tutor_id\":%lld,\"pace\":\"fast\",\"guardian\":{\"full_name\":\"Itziar\","
		 "\"email\":\"itziar@example.com\",\"phone\":null},\"notes\":\"\"}",
		 (long long)tutor_id);
	CHECK(api_call(&staff, "PATCH", path, body, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "tutor_id"), tutor_id);
	CHECK_STR(json_str(r.json, "pace"), "fast");
	CHECK_STR(json_str(http_json(&r, "guardian"), "full_name"), "Itziar");
	CHECK_STR(json_str(http_json(&r, "guardian"), "email"), "itziar@example.com");
	CHECK(json_is_null(json_object_get(http_json(&r, "guardian"), "phone")));
	CHECK_STR(json_str(r.json, "notes"), "");
	http_response_free(&r);

	/* Refused changes change nothing. */
	snprintf(body, sizeof body, "{\"tutor_id\":%lld}", (long long)plain_staff_id);
	CHECK(api_call(&staff, "PATCH", path, body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tutor_id") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"level\":\"C2\",\"pace\":\"quick\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "pace") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"relationship\":\"long_term\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "relationship"), "is read-only");
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"user_id\":1}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "user_id") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "PATCH", path, "{\"email\":\"nope\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "email") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "level"), "B2");
	CHECK_STR(json_str(r.json, "pace"), "fast");
	CHECK_INT(ival(r.json, "tutor_id"), tutor_id);
	CHECK_STR(json_str(r.json, "email"), "miren@example.com");
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	http_response_free(&r);
}

static void test_relationship_follows_subscriptions(void)
{
	struct http_response r;
	char path[64], body[256];
	client_path(path, sizeof path, miren, "");

	/* A one-off contract does not make a long-term client. */
	snprintf(
		body, sizeof body,
		"{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\",\"channel\":\"phone\"}",
		(long long)miren, (long long)service_id);
	CHECK(post_id(&staff, "/api/v1/contracts", body, 201) > 0);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	http_response_free(&r);

	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":4,"
		 "\"channel\":\"phone\"}",
		 (long long)miren, (long long)service_id);
	json_int_t sub = post_id(&staff, "/api/v1/contracts", body, 201);
	CHECK(sub > 0);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "relationship"), "long_term");
	http_response_free(&r);
	/* In searches too; others are unaffected. */
	CHECK(api_call(&staff, "GET", "/api/v1/clients?q=goikoetxea", NULL, &r));
	CHECK_STR(json_str(json_array_get(http_json(&r, "items"), 0), "relationship"), "long_term");
	http_response_free(&r);
	char other[64];
	client_path(other, sizeof other, ane, "");
	CHECK(api_call(&staff, "GET", other, NULL, &r));
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	http_response_free(&r);
	/* Still read-only while long-term. */
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"relationship\":\"one_off\"}"), 422);

	char cancel[96];
	snprintf(cancel, sizeof cancel, "/api/v1/contracts/%lld/cancel", (long long)sub);
	CHECK_INT(api_status(&staff, "POST", cancel, NULL), 200);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	http_response_free(&r);
}

/* ---- the student's own record ------------------------------------------------------ */

static void test_me_client(void)
{
	struct http_response r;
	CHECK(api_call(&student, "GET", "/api/v1/me/client", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "id"), student_client_id);
	CHECK_INT(ival(r.json, "user_id"), student_user_id);
	CHECK_STR(json_str(r.json, "full_name"), "Gorka Ikaslea");
	CHECK_STR(json_str(r.json, "email"), "gorka@clients.test");
	CHECK_STR(json_str(r.json, "relationship"), "one_off");
	CHECK(is_utc_instant(json_str(r.json, "created_at")));
	http_response_free(&r);
	/* Each student sees its own. */
	CHECK(api_call(&student2, "GET", "/api/v1/me/client", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "full_name"), "Leire Bigarren");
	CHECK(ival(r.json, "id") != student_client_id);
	http_response_free(&r);
	/* Staff have no client record of their own here. */
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/client", NULL), 403);

	CHECK(api_call(
		&student, "PATCH", "/api/v1/me/client",
		"{\"full_name\":\"Gorka Ikaslea Etxeberria\",\"phone\":\"+34 622 000 000\","
		"\"guardian\":{\"full_name\":\"Amaia Etxeberria\",\"phone\":\"+34 622 000 001\"},"
		"\"preferred_channel\":\"email\",\"locale\":\"en\"}",
		&r));
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "id"), student_client_id);
	CHECK_STR(json_str(r.json, "full_name"), "Gorka Ikaslea Etxeberria");
	CHECK_STR(json_str(r.json, "phone"), "+34 622 000 000");
	CHECK_STR(json_str(http_json(&r, "guardian"), "full_name"), "Amaia Etxeberria");
	CHECK_STR(json_str(http_json(&r, "guardian"), "phone"), "+34 622 000 001");
	CHECK_STR(json_str(r.json, "preferred_channel"), "email");
	CHECK_STR(json_str(r.json, "locale"), "en");
	CHECK_STR(json_str(r.json, "email"), "gorka@clients.test");
	http_response_free(&r);
	/* Staff see the change. */
	char path[64];
	client_path(path, sizeof path, student_client_id, "");
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "full_name"), "Gorka Ikaslea Etxeberria");
	CHECK_STR(json_str(r.json, "locale"), "en");
	http_response_free(&r);

	/* Not its own notes, level, tutor, e-mail, pace or assistance. */
	static const char *const refused[][2] = {
		{"{\"notes\":\"I am great\"}", "notes"},
		{"{\"level\":\"C2\"}", "level"},
		{"{\"tutor_id\":1}", "tutor_id"},
		{"{\"email\":\"other@clients.test\"}", "email"},
		{"{\"pace\":\"fast\"}", "pace"},
		{"{\"assistance\":\"dedicated\"}", "assistance"},
		{"{\"relationship\":\"long_term\"}", "relationship"},
		{"{\"full_name\":\"Half Applied\",\"notes\":\"x\"}", "notes"},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		CHECK(api_call(&student, "PATCH", "/api/v1/me/client", refused[i][0], &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		if (!http_error_field(&r, refused[i][1]))
			fprintf(stderr, "  (no field %s in %s)\n", refused[i][1],
				r.body ? r.body : "");
		CHECK(http_error_field(&r, refused[i][1]) != NULL);
		http_response_free(&r);
	}
	CHECK(api_call(&student, "PATCH", "/api/v1/me/client", "{\"locale\":\"fr\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") != NULL);
	http_response_free(&r);
	CHECK(api_call(&student, "GET", "/api/v1/me/client", NULL, &r));
	CHECK_STR(json_str(r.json, "full_name"), "Gorka Ikaslea Etxeberria");
	CHECK_STR(json_str(r.json, "notes"), "");
	CHECK(json_is_null(http_json(&r, "level")));
	CHECK(json_is_null(http_json(&r, "tutor_id")));
	CHECK(json_is_null(http_json(&r, "pace")));
	CHECK_STR(json_str(r.json, "email"), "gorka@clients.test");
	CHECK_STR(json_str(r.json, "locale"), "en");
	http_response_free(&r);

	/* Clearing its phone and guardian. */
	CHECK(api_call(&student, "PATCH", "/api/v1/me/client", "{\"phone\":null,\"guardian\":null}",
		       &r));
	CHECK_INT(r.status, 200);
	CHECK(json_is_null(http_json(&r, "phone")));
	CHECK(json_is_null(http_json(&r, "guardian")));
	CHECK_STR(json_str(r.json, "preferred_channel"), "email");
	http_response_free(&r);
}

/* ---- interactions ------------------------------------------------------------------ */

static void test_interactions(void)
{
	struct http_response r;
	char path[96];
	client_path(path, sizeof path, miren, "/interactions");

	CHECK(api_call(&staff, "POST", path,
		       "{\"channel\":\"phone\",\"direction\":\"in\","
		       "\"summary\":\"Asked about exam preparation.\"}",
		       &r));
	CHECK_INT(r.status, 201);
	json_int_t first = ival(r.json, "id");
	CHECK(first > 0);
	CHECK_INT(ival(r.json, "client_id"), miren);
	CHECK_STR(json_str(r.json, "channel"), "phone");
	CHECK_STR(json_str(r.json, "direction"), "in");
	CHECK_STR(json_str(r.json, "summary"), "Asked about exam preparation.");
	CHECK_INT(ival(r.json, "user_id"), staff_id);
	CHECK(is_utc_instant(json_str(r.json, "created_at")));
	CHECK(is_recent(json_str(r.json, "created_at")));
	http_response_free(&r);
	json_int_t second = post_id(&staff, path,
				    "{\"channel\":\"email\",\"direction\":\"out\","
				    "\"summary\":\"Sent the timetable.\"}",
				    201);
	json_int_t third = post_id(&staff, path,
				   "{\"channel\":\"in_person\",\"direction\":\"in\","
				   "\"summary\":\"Came by to pay.\"}",
				   201);
	CHECK(second > first && third > second);

	/* In order, whole and by pages. */
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 3);
	CHECK_INT(ival(json_array_get(items, 0), "id"), first);
	CHECK_INT(ival(json_array_get(items, 1), "id"), second);
	CHECK_INT(ival(json_array_get(items, 2), "id"), third);
	CHECK_STR(json_str(json_array_get(items, 1), "direction"), "out");
	CHECK_STR(json_str(json_array_get(items, 1), "summary"), "Sent the timetable.");
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);
	char page[128];
	snprintf(page, sizeof page, "%s?limit=2", path);
	CHECK(api_call(&staff, "GET", page, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	CHECK_INT(json_integer_value(http_json(&r, "next_after")), second);
	http_response_free(&r);
	snprintf(page, sizeof page, "%s?limit=2&after=%lld", path, (long long)second);
	CHECK(api_call(&staff, "GET", page, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK_INT(ival(json_array_get(http_json(&r, "items"), 0), "id"), third);
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);

	/* Another client's history is its own (empty). */
	char other[96];
	client_path(other, sizeof other, ane, "/interactions");
	CHECK(api_call(&staff, "GET", other, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);

	/* Bad bodies. */
	CHECK(api_call(&staff, "POST", path,
		       "{\"channel\":\"phone\",\"direction\":\"sideways\",\"summary\":\"x\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "direction") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", path,
		       "{\"channel\":\"fax\",\"direction\":\"in\",\"summary\":\"x\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "channel") != NULL);
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", path, "{\"channel\":\"phone\",\"direction\":\"in\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "summary") != NULL);
	http_response_free(&r);
	size_t big = 10001;
	char *body = malloc(big + 128);
	int n = snprintf(body, 128, "{\"channel\":\"phone\",\"direction\":\"in\",\"summary\":\"");
	memset(body + n, 'x', big);
	snprintf(body + n + big, 8, "\"}");
	CHECK(api_call(&staff, "POST", path, body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "summary") != NULL);
	http_response_free(&r);
	free(body);
	/* Unknown client. */
	CHECK(api_call(&staff, "POST", "/api/v1/clients/999999/interactions",
		       "{\"channel\":\"phone\",\"direction\":\"in\",\"summary\":\"x\"}", &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/clients/999999/interactions", NULL), 404);
	/* Students and anonymous users. */
	CHECK(api_call(&student, "GET", path, NULL, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&student, "POST", path,
			     "{\"channel\":\"phone\",\"direction\":\"in\",\"summary\":\"x\"}"),
		  403);
	char own[96];
	client_path(own, sizeof own, student_client_id, "/interactions");
	CHECK_INT(api_status(&student, "GET", own, NULL), 403);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
	CHECK_INT(api_status(&anon, "POST", path,
			     "{\"channel\":\"phone\",\"direction\":\"in\",\"summary\":\"x\"}"),
		  401);

	/* Still three. */
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 3);
	http_response_free(&r);
}

/* ---- the loyalty stage ----------------------------------------------------------- */

/* Checks the loyalty stage of a client object: next_ordinal 0 means next is null. */
static void check_stage(json_t *client, int contracts, int current, int next_ordinal,
			int next_percent)
{
	json_t *loyalty = json_object_get(client, "loyalty");
	CHECK(json_is_object(loyalty));
	CHECK_INT(ival(loyalty, "contracts"), contracts);
	CHECK_INT(ival(loyalty, "current_percent"), current);
	json_t *next = json_object_get(loyalty, "next");
	if (!next_ordinal) {
		CHECK(json_is_null(next));
		return;
	}
	CHECK_INT(ival(next, "ordinal"), next_ordinal);
	CHECK_INT(ival(next, "percent"), next_percent);
}

static void check_client_stage(json_int_t id, int contracts, int current, int next_ordinal,
			       int next_percent)
{
	struct http_response r;
	char path[64];
	client_path(path, sizeof path, id, "");
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	check_stage(r.json, contracts, current, next_ordinal, next_percent);
	http_response_free(&r);
}

static json_int_t one_off_for(json_int_t client)
{
	char body[256];
	snprintf(
		body, sizeof body,
		"{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\",\"channel\":\"phone\"}",
		(long long)client, (long long)service_id);
	return post_id(&staff, "/api/v1/contracts", body, 201);
}

static void test_loyalty_stage(void)
{
	struct http_response r;
	json_int_t id = post_id(&staff, "/api/v1/clients", "{\"full_name\":\"Loyalty Stage\"}",
				201);
	CHECK(id > 0);

	/* The business plan's tiers: 3rd contract 5 %, 4th 10 %, 5th and later 15 %. */
	check_client_stage(id, 0, 0, 3, 5);
	CHECK(one_off_for(id) > 0);
	json_int_t second = one_off_for(id);
	CHECK(second > 0);
	check_client_stage(id, 2, 0, 3, 5);

	/* A cancelled contract does not count. */
	json_int_t third = one_off_for(id);
	char cancel[96];
	snprintf(cancel, sizeof cancel, "/api/v1/contracts/%lld/cancel", (long long)third);
	CHECK_INT(api_status(&staff, "POST", cancel, NULL), 200);
	check_client_stage(id, 2, 0, 3, 5);

	for (int i = 0; i < 3; i++)
		CHECK(one_off_for(id) > 0);
	check_client_stage(id, 5, 15, 0, 0); /* at the cap: next is null */

	/* In searches too, and read-only. */
	CHECK(api_call(&staff, "GET", "/api/v1/clients?q=loyalty%20stage", NULL, &r));
	check_stage(json_array_get(http_json(&r, "items"), 0), 5, 15, 0, 0);
	http_response_free(&r);
	char path[64];
	client_path(path, sizeof path, id, "");
	CHECK(api_call(&staff, "PATCH", path, "{\"loyalty\":{\"contracts\":9}}", &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "loyalty"), "is read-only");
	http_response_free(&r);

	/* A student's own record says what GET /me/loyalty says. */
	struct http_response mine;
	CHECK(api_call(&student, "GET", "/api/v1/me/client", NULL, &r));
	CHECK(api_call(&student, "GET", "/api/v1/me/loyalty", NULL, &mine));
	CHECK_INT(r.status, 200);
	CHECK_INT(mine.status, 200);
	CHECK(json_equal(json_object_get(r.json, "loyalty"), mine.json));
	http_response_free(&r);
	http_response_free(&mine);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, trusted_args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_staff_creates_a_phone_client);
	RUN(test_create_validation);
	RUN(test_access);
	RUN(test_search);
	RUN(test_paging);
	RUN(test_patch);
	RUN(test_relationship_follows_subscriptions);
	RUN(test_me_client);
	RUN(test_interactions);
	RUN(test_loyalty_stage);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
