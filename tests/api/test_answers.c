// SPDX-License-Identifier: MIT
// Automatic answers (API.md v2, "Automatic answers") against the real binary with
// --demo: the top-3 hit rate of the search on the questions of
// tests/answer_questions.h, per language, reported and held at 90 % or more; the
// list and its pages; staff's writes (201, 200, 204, 404, 422 naming every bad
// field, 403 for students, 401 for anonymous callers) and their audit rows;
// POST /ask (the language detected, three answers at most, the live facts: the
// channels open now, prices, a subject's next free slot; 422; 429 with
// Retry-After after 30 calls of one address, cached answers counted too; the same
// words answered from the response cache until a staff write); an inquiry's suggested answers, in
// its answer, in the staff's queue and in its acknowledgement e-mail.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_questions.h"
#include "check.h"
#include "harness.h"

static struct test_server server;
static const char *const args[] = {"--demo", "--trusted-proxy", "127.0.0.1", NULL};

static struct api_client admin, staff, student, anon;

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* Percent-encodes s for a query string into out. */
static void url_encode(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_') {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
}

/* The ids of the answers of locale, in the demo's order (at most 20 kept). */
static size_t answer_ids(const char *locale, json_int_t ids[20])
{
	char path[96];
	struct http_response r;
	json_t *item;
	size_t i, n = 0;
	snprintf(path, sizeof path, "/api/v1/answers?locale=%s&limit=200", locale);
	api_call(&anon, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_array_foreach(http_json(&r, "items"), i, item)
	{
		CHECK_STR(json_str(item, "locale"), locale);
		if (n < 20)
			ids[n++] = ival(item, "id");
	}
	http_response_free(&r);
	return n;
}

/* The answers of GET /answers?q=question&locale=locale&limit=limit (a copy). */
static json_t *search(const char *question, const char *locale, int limit)
{
	char q[1024], path[1200];
	struct http_response r;
	url_encode(question, q, sizeof q);
	snprintf(path, sizeof path, "/api/v1/answers?q=%s%s%s&limit=%d", q,
		 locale ? "&locale=" : "", locale ? locale : "", limit);
	api_call(&anon, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *items = json_deep_copy(http_json(&r, "items"));
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);
	return items;
}

static void test_top3_hit_rate(void)
{
	static const char *const locales[] = {"eu", "es", "en"};
	for (size_t l = 0; l < 3; l++) {
		json_int_t ids[20];
		int asked = 0, found = 0;
		CHECK_INT(answer_ids(locales[l], ids), 20);
		for (size_t i = 0; i < sizeof answer_questions / sizeof answer_questions[0]; i++) {
			const struct answer_question *q = &answer_questions[i];
			if (strcmp(q->locale, locales[l]) != 0)
				continue;
			json_t *items = search(q->question, q->locale, 3), *item;
			size_t j;
			bool hit = false;
			CHECK(json_array_size(items) <= 3);
			json_array_foreach(items, j, item)
				hit = hit || ival(item, "id") == ids[q->topic];
			if (!hit)
				fprintf(stderr, "   miss (%s): %s\n", q->locale, q->question);
			asked++;
			found += hit;
			json_decref(items);
		}
		fprintf(stderr, "top-3 hit rate %s: %d/%d = %d %%\n", locales[l], found, asked,
			asked ? 100 * found / asked : 0);
		CHECK(asked >= 30);
		CHECK(found * 10 >= asked * 9);
	}
}

static void test_search_shape(void)
{
	json_t *items = search("eskolak", "eu", 50), *item;
	size_t i;
	double last = 1e9;
	CHECK(json_array_size(items) >= 1);
	json_array_foreach(items, i, item)
	{
		CHECK_STR(json_str(item, "locale"), "eu");
		CHECK(json_str(item, "question") && json_str(item, "answer"));
		CHECK(json_is_real(json_object_get(item, "score")));
		double score = json_real_value(json_object_get(item, "score"));
		CHECK(score <= last); /* best first */
		last = score;
	}
	json_decref(items);
	items = search("zzzzqqq", NULL, 50); /* nothing matches: an empty list */
	CHECK_INT(json_array_size(items), 0);
	json_decref(items);
	items = search("cancel", NULL, 50); /* no locale: every language */
	bool es = false, en = false;
	json_array_foreach(items, i, item)
	{
		es = es || strcmp(json_str(item, "locale"), "es") == 0;
		en = en || strcmp(json_str(item, "locale"), "en") == 0;
	}
	CHECK(es && en);
	json_decref(items);
}

static void test_list_pages(void)
{
	struct http_response r;
	api_call(&anon, "GET", "/api/v1/answers", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 50); /* the default page */
	json_int_t next = json_integer_value(http_json(&r, "next_after"));
	CHECK(next > 0);
	CHECK(json_is_null(json_object_get(json_array_get(http_json(&r, "items"), 0), "score")));
	http_response_free(&r);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/answers?after=%lld", (long long)next);
	api_call(&anon, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 10);
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);
	api_call(&anon, "GET", "/api/v1/answers?locale=fr", NULL, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") != NULL);
	http_response_free(&r);
	api_call(&anon, "GET", "/api/v1/answers?limit=0", NULL, &r);
	CHECK_INT(r.status, 422);
	http_response_free(&r);
}

/* The audit actions on answer id, space-separated, as the admin reads them. */
static bool audited(const char *action, json_int_t id)
{
	struct http_response r;
	json_t *item;
	size_t i;
	bool found = false;
	api_call(&admin, "GET", "/api/v1/audit?limit=200&after=0", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item)
		found = found || (json_str(item, "action") &&
				  strcmp(json_str(item, "action"), action) == 0 &&
				  ival(item, "entity_id") == id);
	json_int_t next = json_integer_value(http_json(&r, "next_after"));
	http_response_free(&r);
	while (!found && next) {
		char path[96];
		snprintf(path, sizeof path, "/api/v1/audit?limit=200&after=%lld", (long long)next);
		api_call(&admin, "GET", path, NULL, &r);
		json_array_foreach(http_json(&r, "items"), i, item)
			found = found || (json_str(item, "action") &&
					  strcmp(json_str(item, "action"), action) == 0 &&
					  ival(item, "entity_id") == id);
		next = json_integer_value(http_json(&r, "next_after"));
		http_response_free(&r);
	}
	return found;
}

static void test_staff_writes(void)
{
	struct http_response r;
	static const char body[] = "{\"locale\":\"eu\",\"question\":\"Aparkalekurik baduzue?\","
				   "\"answer\":\"Bai, atarian bertan bi plaza ditugu.\"}";
	CHECK_INT(api_status(&anon, "POST", "/api/v1/answers", body), 401);
	CHECK_INT(api_status(&student, "POST", "/api/v1/answers", body), 403);
	api_call(&staff, "POST", "/api/v1/answers", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t id = json_integer_value(http_json(&r, "id"));
	CHECK(id > 0);
	CHECK_STR(json_str(r.json, "question"), "Aparkalekurik baduzue?");
	http_response_free(&r);
	json_t *items = search("aparkalekua", "eu", 3);
	CHECK_INT(ival(json_array_get(items, 0), "id"), id);
	json_decref(items);
	CHECK(audited("answer.create", id));

	/* every bad field at once */
	api_call(&staff, "POST", "/api/v1/answers",
		 "{\"locale\":\"fr\",\"question\":\"\",\"answer\":5,\"extra\":1}", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") && http_error_field(&r, "question") &&
	      http_error_field(&r, "answer") && http_error_field(&r, "extra"));
	http_response_free(&r);
	api_call(&staff, "POST", "/api/v1/answers", "{}", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "locale") && http_error_field(&r, "question") &&
	      http_error_field(&r, "answer"));
	http_response_free(&r);

	char path[64];
	snprintf(path, sizeof path, "/api/v1/answers/%lld", (long long)id);
	CHECK_INT(api_status(&student, "PATCH", path, "{\"answer\":\"Ez.\"}"), 403);
	CHECK_INT(api_status(&anon, "PATCH", path, "{\"answer\":\"Ez.\"}"), 401);
	api_call(&staff, "PATCH", path,
		 "{\"locale\":\"es\",\"question\":\"¿Tenéis aparcamiento?\"}", &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "locale"), "es");
	CHECK_STR(json_str(r.json, "answer"), "Bai, atarian bertan bi plaza ditugu.");
	http_response_free(&r);
	items = search("aparcamientos", "es", 3);
	CHECK_INT(ival(json_array_get(items, 0), "id"), id);
	json_decref(items);
	items = search("aparkalekua", "eu", 3);
	CHECK(json_array_size(items) == 0 || ival(json_array_get(items, 0), "id") != id);
	json_decref(items);
	CHECK(audited("answer.update", id));
	api_call(&staff, "PATCH", path, "{\"question\":\"\",\"id\":3}", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "question") && http_error_field(&r, "id"));
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "PATCH", "/api/v1/answers/999999", "{\"answer\":\"x\"}"), 404);
	CHECK_INT(api_status(&staff, "PATCH", "/api/v1/answers/999999", "{\"answer\":5}"), 404);

	CHECK_INT(api_status(&student, "DELETE", path, NULL), 403);
	CHECK_INT(api_status(&anon, "DELETE", path, NULL), 401);
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 204);
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 404);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"answer\":\"x\"}"), 404);
	CHECK(audited("answer.delete", id));
	items = search("aparcamiento", "es", 3);
	CHECK(json_array_size(items) == 0 || ival(json_array_get(items, 0), "id") != id);
	json_decref(items);
}

/* POST /ask from address addr: the status, and the body kept in *out (may be NULL). */
static int ask(const char *addr, const char *body, json_t **out)
{
	struct api_client c;
	struct http_response r;
	api_client_at(&c, server.port, addr);
	api_call(&c, "POST", "/api/v1/ask", body, &r);
	if (out)
		*out = json_incref(r.json);
	int status = r.status;
	http_response_free(&r);
	return status;
}

static void test_ask(void)
{
	json_t *out = NULL;
	CHECK_INT(ask("10.7.0.1", "{\"question\":\"Zenbat balio du matematikako eskola batek?\"}",
		      &out),
		  200);
	CHECK_STR(json_str(out, "locale"), "eu");
	json_t *answers = json_object_get(out, "answers"), *facts = json_object_get(out, "facts");
	CHECK(json_array_size(answers) >= 1 && json_array_size(answers) <= 3);
	CHECK_STR(json_str(json_array_get(answers, 0), "locale"), "eu");
	CHECK(json_array_size(json_object_get(facts, "services")) >= 1); /* prices */
	json_t *slot = json_object_get(facts, "next_free_slot");
	CHECK(ival(slot, "service_id") > 0 && ival(slot, "tutor_id") > 0 &&
	      json_str(slot, "starts_at"));
	CHECK(!json_object_get(facts, "channels"));
	json_decref(out);

	CHECK_INT(ask("10.7.0.1", "{\"question\":\"When is your phone line open?\"}", &out), 200);
	CHECK_STR(json_str(out, "locale"), "en");
	json_t *channels = json_object_get(json_object_get(out, "facts"), "channels");
	CHECK(json_array_size(channels) >= 1);
	CHECK(json_is_boolean(json_object_get(json_array_get(channels, 0), "open_now")));
	CHECK(json_object_get(json_array_get(channels, 0), "next_change_at") != NULL);
	CHECK_STR(json_str(json_array_get(json_object_get(out, "answers"), 0), "locale"), "en");
	json_decref(out);

	CHECK_INT(ask("10.7.0.1", "{\"question\":\"¿Dónde estáis?\"}", &out), 200);
	CHECK_STR(json_str(out, "locale"), "es");
	CHECK_INT(json_object_size(json_object_get(out, "facts")), 0); /* nothing live */
	json_decref(out);

	/* locale given wins over the detector; a question of stopwords only */
	CHECK_INT(ask("10.7.0.1", "{\"question\":\"what is it\",\"locale\":\"eu\"}", &out), 200);
	CHECK_STR(json_str(out, "locale"), "eu");
	CHECK_INT(json_array_size(json_object_get(out, "answers")), 0);
	json_decref(out);
	/* a subject by its service's name, in English */
	CHECK_INT(ask("10.7.0.1", "{\"question\":\"Physics tutoring next week?\"}", &out), 200);
	CHECK(ival(json_object_get(json_object_get(out, "facts"), "next_free_slot"), "service_id") >
	      0);
	json_decref(out);

	CHECK_INT(ask("10.7.0.1", "{}", &out), 422);
	json_decref(out);
	CHECK_INT(ask("10.7.0.1", "{\"question\":\"x\",\"locale\":\"fr\",\"who\":1}", &out), 422);
	CHECK(json_object_get(json_object_get(json_object_get(out, "error"), "fields"), "locale"));
	CHECK(json_object_get(json_object_get(json_object_get(out, "error"), "fields"), "who"));
	json_decref(out);
	CHECK_INT(ask("10.7.0.1", "{\"question\":\"   \"}", NULL), 422);
}

/* The response cache's hits so far (GET /metrics, as the admin). */
static long long cache_hits(void)
{
	struct http_response r;
	long long n = -1;
	api_call(&admin, "GET", "/metrics", NULL, &r);
	CHECK_INT(r.status, 200);
	const char *at = r.body ? strstr(r.body,
					 "harreman_response_cache_lookups_total{result=\"hit\"} ")
				: NULL;
	if (at)
		n = atoll(strchr(at, ' ') + 1);
	http_response_free(&r);
	return n;
}

/* The same words asked again, by anyone, in any case and punctuation: answered
 * from the response cache, the same answer; a staff write: computed afresh. (A
 * worker that sees another connection's commit for the first time empties the
 * cache once, so of four asks at least two are hits.) */
static void test_ask_cached(void)
{
	static const char *const variants[] = {
		"{\"question\":\"  zenbat BALIO dute, eskolek\",\"locale\":\"eu\"}",
		"{\"question\":\"Zenbat balio dute eskolek???\"}",
	};
	json_t *first = NULL, *again = NULL;
	CHECK_INT(ask("10.7.1.1", "{\"question\":\"Zenbat balio dute eskolek?\"}", &first), 200);
	long long hits = cache_hits();
	CHECK(hits >= 0);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(ask(i % 2 ? "10.7.1.2" : "10.7.1.3", variants[i % 2], &again), 200);
		CHECK(json_equal(first, again));
		json_decref(again);
	}
	CHECK(cache_hits() >= hits + 2);
	/* Another language is another answer. */
	CHECK_INT(ask("10.7.1.2", "{\"question\":\"Zenbat balio dute eskolek?\",\"locale\":\"en\"}",
		      &again),
		  200);
	CHECK_STR(json_str(again, "locale"), "en");
	CHECK(!json_equal(first, again));
	json_decref(again);

	/* Staff change the first answer: the next ask sees the change. */
	json_t *top = json_array_get(json_object_get(first, "answers"), 0);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/answers/%lld", (long long)ival(top, "id"));
	CHECK_INT(
		api_status(&staff, "PATCH", path, "{\"answer\":\"Eskolak 31 € balio du orain.\"}"),
		200);
	CHECK_INT(ask("10.7.1.4", "{\"question\":\"Zenbat balio dute eskolek?\"}", &again), 200);
	json_t *changed = NULL, *item;
	size_t i;
	json_array_foreach(json_object_get(again, "answers"), i, item)
	{
		if (ival(item, "id") == ival(top, "id"))
			changed = item;
	}
	CHECK(changed != NULL);
	CHECK_STR(json_str(changed, "answer"), "Eskolak 31 € balio du orain.");
	json_decref(again);
	json_decref(first);
}

static void test_ask_rate_limit(void)
{
	struct api_client c;
	struct http_response r;
	char retry[32];
	for (int i = 0; i < 30; i++) /* bad bodies count too */
		CHECK_INT(ask("10.7.0.2", i % 2 ? "{\"question\":\"prezioak\"}" : "{}", NULL),
			  i % 2 ? 200 : 422);
	api_client_at(&c, server.port, "10.7.0.2");
	api_call(&c, "POST", "/api/v1/ask", "{\"question\":\"prezioak\"}", &r);
	CHECK_INT(r.status, 429);
	const char *after = http_header(&r, "Retry-After", retry, sizeof retry);
	CHECK(after && atoi(after) >= 1 && atoi(after) <= 3600);
	http_response_free(&r);
	CHECK_INT(ask("10.7.0.3", "{\"question\":\"prezioak\"}", NULL), 200);
}

static void test_inquiry_suggestions(void)
{
	struct http_response r;
	struct api_client c;
	api_client_at(&c, server.port, "10.7.0.4");
	api_call(&c, "POST", "/api/v1/inquiries",
		 "{\"channel\":\"email\",\"full_name\":\"Miren\",\"email\":\"miren@example.com\","
		 "\"subject\":\"Ordainketa\",\"message\":\"Bizumez ordain dezaket?\"}",
		 &r);
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(r.json, "status"), "open");
	json_t *suggested = http_json(&r, "suggested_answers");
	CHECK(json_array_size(suggested) >= 1 && json_array_size(suggested) <= 3);
	json_int_t inquiry = json_integer_value(http_json(&r, "id"));
	json_int_t first = json_integer_value(json_array_get(suggested, 0));
	http_response_free(&r);

	/* the staff's queue shows them; the inquiry stays open */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/answers?locale=eu&limit=200");
	json_t *match = NULL, *item;
	size_t i;
	api_call(&staff, "GET", "/api/v1/inquiries?status=open&limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "id") == inquiry)
		match = json_deep_copy(item);
	http_response_free(&r);
	CHECK(match != NULL);
	CHECK_INT(
		json_integer_value(json_array_get(json_object_get(match, "suggested_answers"), 0)),
		first);
	json_decref(match);

	/* the acknowledgement carries the first suggestion's question */
	json_t *answer = NULL;
	api_call(&anon, "GET", path, NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "id") == first)
		answer = json_deep_copy(item);
	http_response_free(&r);
	CHECK(answer != NULL);
	json_int_t message = 0;
	api_call(&admin, "GET", "/api/v1/outbox?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i, item) if (ival(item, "inquiry_id") == inquiry)
		message = ival(item, "id");
	http_response_free(&r);
	CHECK(message > 0);
	snprintf(path, sizeof path, "/api/v1/outbox/%lld", (long long)message);
	api_call(&admin, "GET", path, NULL, &r);
	const char *text = json_str(r.json, "body");
	CHECK(text && answer && strstr(text, json_str(answer, "question")));
	CHECK(text && strstr(text, "Bitartean"));
	http_response_free(&r);
	json_decref(answer);
}

int main(void)
{
	if (!ts_start(&server, args))
		return 1;
	api_client_at(&admin, server.port, "10.7.1.1");
	api_client_at(&staff, server.port, "10.7.1.2");
	api_client_at(&student, server.port, "10.7.1.3");
	api_client_at(&anon, server.port, "10.7.1.4");
	if (api_login(&admin, DEMO_ADMIN) != 200 || api_login(&staff, DEMO_STAFF) != 200 ||
	    api_login(&student, DEMO_STUDENT) != 200) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_top3_hit_rate);
	RUN(test_search_shape);
	RUN(test_list_pages);
	RUN(test_staff_writes);
	RUN(test_ask);
	RUN(test_ask_cached);
	RUN(test_ask_rate_limit);
	RUN(test_inquiry_suggestions);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
