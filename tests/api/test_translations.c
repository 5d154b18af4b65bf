// SPDX-License-Identifier: MIT
// Content in three languages (API.md v2): services and events carry translations
// {es, en} written with the resource by staff; reads answer name/title/description
// in ?locale= (eu, es, en; anything else 422), else in the language
// Accept-Language prefers (q-values honoured), else Basque, falling back to Basque
// field by field; translations is in every answer; writing it replaces the whole
// object and takes es and en only. The cached GET /services keeps one answer per
// language and says Vary: Accept-Language.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/timefmt.h"

#define PW "translations-test-password"

static struct test_server server;
static struct api_client staff, anon;
static json_int_t svc;

/* The service svc as GET /services answers it to c with query and extra headers
 * (NULL: none); *vary gets the Vary header. Caller owns the object. */
static json_t *service_as(const char *query, const char *headers, char vary[64], int *status)
{
	struct http_response r;
	char path[160];
	size_t i;
	json_t *item, *found = NULL;
	snprintf(path, sizeof path, "/api/v1/services?limit=200%s", query ? query : "");
	CHECK(http_request(server.port, "GET", path, headers, NULL, 0, &r));
	*status = r.status;
	if (vary && !http_header(&r, "Vary", vary, 64))
		vary[0] = '\0';
	json_array_foreach(http_json(&r, "items"), i, item)
	{
		if (json_integer_value(json_object_get(item, "id")) == svc)
			found = json_incref(item);
	}
	http_response_free(&r);
	return found;
}

/* Checks the service's name and description as answered with query and headers. */
static void expect_service(const char *query, const char *headers, const char *name,
			   const char *description)
{
	int status = 0;
	char vary[64] = "";
	json_t *s = service_as(query, headers, vary, &status);
	CHECK_INT(status, 200);
	CHECK(s != NULL);
	CHECK_STR(json_str(s, "name"), name);
	CHECK_STR(json_str(s, "description"), description);
	CHECK(json_is_object(json_object_get(s, "translations")));
	CHECK_STR(vary, "Accept-Language, Accept-Encoding");
	json_decref(s);
}

static bool setup(void)
{
	struct http_response r;
	if (!ts_add_user(&server, "staff", "office@translations.test", "Olatz Office", PW))
		return false;
	api_client_at(&staff, server.port, "10.7.0.1");
	api_client_at(&anon, server.port, "10.7.0.2");
	if (api_login(&staff, "office@translations.test", PW) != 200)
		return false;
	api_call(&staff, "POST", "/api/v1/services",
		 "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
		 "\"duration_min\":60,\"price_cents\":3000,\"description\":\"Banakako klasea\","
		 "\"translations\":{\"es\":{\"name\":\"Matemáticas\",\"description\":"
		 "\"Clase individual\"},\"en\":{\"name\":\"Maths\"}}}",
		 &r);
	CHECK_INT(r.status, 201);
	svc = json_integer_value(json_object_get(r.json, "id"));
	/* A write answers the Basque base fields, with the translations to edit. */
	CHECK_STR(json_str(r.json, "name"), "Matematika");
	CHECK_STR(json_str(json_object_get(json_object_get(r.json, "translations"), "es"), "name"),
		  "Matemáticas");
	http_response_free(&r);
	return svc > 0;
}

static void test_locale_query(void)
{
	expect_service(NULL, NULL, "Matematika", "Banakako klasea");
	expect_service("&locale=eu", NULL, "Matematika", "Banakako klasea");
	expect_service("&locale=es", NULL, "Matemáticas", "Clase individual");
	/* English lacks a description: the Basque one stands in. */
	expect_service("&locale=en", NULL, "Maths", "Banakako klasea");
	/* ?locale= wins over the header. */
	expect_service("&locale=es", "Accept-Language: en\r\n", "Matemáticas", "Clase individual");
	int status = 0;
	json_t *s = service_as("&locale=fr", NULL, NULL, &status);
	CHECK_INT(status, 422);
	json_decref(s);
	struct http_response r;
	CHECK(http_request(server.port, "GET", "/api/v1/services?locale=ES", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") != NULL);
	http_response_free(&r);
}

/* The header decides, q-values and all; each answer comes back right from the
 * cache too (asked twice, in turns). */
static void test_accept_language(void)
{
	for (int round = 0; round < 2; round++) {
		expect_service(NULL, "Accept-Language: es-ES,es;q=0.9\r\n", "Matemáticas",
			       "Clase individual");
		expect_service(NULL, "Accept-Language: es;q=0.2, en;q=0.9\r\n", "Maths",
			       "Banakako klasea");
		expect_service(NULL, "Accept-Language: fr-FR, fr;q=0.9\r\n", "Matematika",
			       "Banakako klasea");
		expect_service(NULL, "Accept-Language: eu;q=0, *\r\n", "Matemáticas",
			       "Clase individual");
		expect_service(NULL, "Accept-Language: en;q=nonsense\r\n", "Matematika",
			       "Banakako klasea");
		expect_service(NULL, NULL, "Matematika", "Banakako klasea");
	}
}

static void test_writing(void)
{
	struct http_response r;
	char path[64];
	snprintf(path, sizeof path, "/api/v1/services/%lld", (long long)svc);
	/* Replaces the whole object: Spanish is gone, Basque stands in. */
	api_call(&staff, "PATCH", path, "{\"translations\":{\"en\":{\"name\":\"Mathematics\"}}}",
		 &r);
	CHECK_INT(r.status, 200);
	CHECK(json_object_get(json_object_get(r.json, "translations"), "es") == NULL);
	http_response_free(&r);
	expect_service("&locale=es", NULL, "Matematika", "Banakako klasea");
	expect_service("&locale=en", NULL, "Mathematics", "Banakako klasea");
	/* An empty translation falls back too. */
	api_call(&staff, "PATCH", path,
		 "{\"translations\":{\"es\":{\"name\":\"\",\"description\":\"Una clase\"}}}", &r);
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	expect_service("&locale=es", NULL, "Matematika", "Una clase");
	expect_service("&locale=en", NULL, "Matematika", "Banakako klasea");

	/* Refused, each naming its field, and nothing changed. */
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"translations\":{\"fr\":{\"name\":\"Maths\"}}}", "translations.fr"},
		{"{\"translations\":{\"eu\":{\"name\":\"Mate\"}}}", "translations.eu"},
		{"{\"translations\":{\"es\":{\"name\":5}}}", "translations.es.name"},
		{"{\"translations\":{\"es\":{\"name\":null}}}", "translations.es.name"},
		{"{\"translations\":{\"es\":{\"title\":\"x\"}}}", "translations.es.title"},
		{"{\"translations\":{\"en\":\"Maths\"}}", "translations.en"},
		{"{\"translations\":[]}", "translations"},
		{"{\"translations\":{\"es\":{\"name\":\"a\\u0001b\"}}}", "translations.es.name"},
		{"{\"description\":5}", "description"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		api_call(&staff, "PATCH", path, bad[i].body, &r);
		CHECK_INT(r.status, 422);
		if (!http_error_field(&r, bad[i].field))
			fprintf(stderr, "%s: %s\n", bad[i].body, r.body ? r.body : "");
		CHECK(http_error_field(&r, bad[i].field) != NULL);
		http_response_free(&r);
	}
	/* Too long: 201 characters of a name. */
	char body[512], name[202];
	memset(name, 'a', 201);
	name[201] = '\0';
	snprintf(body, sizeof body, "{\"translations\":{\"en\":{\"name\":\"%s\"}}}", name);
	api_call(&staff, "PATCH", path, body, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "translations.en.name") != NULL);
	http_response_free(&r);
	expect_service("&locale=es", NULL, "Matematika", "Una clase");
	/* Students may not write. */
	CHECK_INT(api_status(&anon, "PATCH", path, "{\"translations\":{}}"), 401);
	/* The Basque description is writable and clears. */
	api_call(&staff, "PATCH", path, "{\"description\":\"\",\"translations\":{}}", &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "description"), "");
	CHECK_INT(json_object_size(json_object_get(r.json, "translations")), 0);
	http_response_free(&r);
	expect_service("&locale=es", NULL, "Matematika", "");
}

static void test_events(void)
{
	struct http_response r;
	char body[1024], starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	int64_t now = hm_time_now();
	hm_time_format(now + 5 * 86400, starts);
	hm_time_format(now + 5 * 86400 + 3600, ends);
	snprintf(body, sizeof body,
		 "{\"title\":\"Zientzia azoka\",\"kind\":\"workshop\",\"starts_at\":\"%s\","
		 "\"ends_at\":\"%s\",\"capacity\":10,\"description\":\"Denontzat\","
		 "\"translations\":{\"es\":{\"title\":\"Feria de ciencia\"},"
		 "\"en\":{\"title\":\"Science fair\",\"description\":\"For everyone\"}}}",
		 starts, ends);
	api_call(&staff, "POST", "/api/v1/events", body, &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	static const struct {
		const char *query, *headers, *title, *description;
	} cases[] = {
		{"", NULL, "Zientzia azoka", "Denontzat"},
		{"?locale=es", NULL, "Feria de ciencia", "Denontzat"},
		{"?locale=en", NULL, "Science fair", "For everyone"},
		{"", "Accept-Language: en-GB,en;q=0.9\r\n", "Science fair", "For everyone"},
		{"", "Accept-Language: es-ES\r\n", "Feria de ciencia", "Denontzat"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char path[64], vary[64] = "";
		snprintf(path, sizeof path, "/api/v1/events%s", cases[i].query);
		CHECK(http_request(server.port, "GET", path, cases[i].headers, NULL, 0, &r));
		CHECK_INT(r.status, 200);
		json_t *e = json_array_get(http_json(&r, "items"), 0);
		CHECK_STR(json_str(e, "title"), cases[i].title);
		CHECK_STR(json_str(e, "description"), cases[i].description);
		CHECK(json_is_object(json_object_get(e, "translations")));
		CHECK_STR(http_header(&r, "Vary", vary, sizeof vary),
			  "Accept-Language, Accept-Encoding");
		http_response_free(&r);
	}
	CHECK(http_request(server.port, "GET", "/api/v1/events?locale=de", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 422);
	http_response_free(&r);
	/* An event takes title and description, not name. */
	snprintf(body, sizeof body,
		 "{\"title\":\"Azoka\",\"kind\":\"talk\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
		 "\"capacity\":5,\"description\":\"x\",\"translations\":{\"es\":{\"name\":\"x\"}}}",
		 starts, ends);
	api_call(&staff, "POST", "/api/v1/events", body, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "translations.es.name") != NULL);
	http_response_free(&r);
}

int main(void)
{
	if (!ts_start(&server, (const char *const[]){"--trusted-proxy", "127.0.0.1", NULL}))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_locale_query);
	RUN(test_accept_language);
	RUN(test_writing);
	RUN(test_events);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
