// SPDX-License-Identifier: MIT
// Families (API.md v2, "Families") through the real server: a parent adds two
// children, books and buys for each, and the family's third contract earns the
// third-contract discount; /me/loyalty, /quote, the client record and the loyalty
// report count the family. Every student route that takes client_id answers 404 for
// another family's client (and 422 for a malformed one). Staff merge two families
// that registered apart and take a member out again, and neither ever changes a
// contract already made. Two sessions of one parent buying for two children at
// the same moment get distinct ordinals.
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

static struct test_server server;
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "4", NULL};

#define PW "families-test-password"

struct student {
	struct api_client c;
	json_int_t client_id;
};

static struct api_client staff, admin;
static struct student parent, other, sib_a, sib_b;
static json_int_t child1, child2, tutor_id, svc, event_id;
static int64_t today;

/* ---- helpers ---------------------------------------------------------------- */

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static bool make_student(struct student *s, const char *email, const char *name, const char *ip)
{
	struct http_response r;
	api_client_at(&s->c, server.port, ip);
	if (api_register(&s->c, email, PW, name) != 201)
		return false;
	api_call(&s->c, "GET", "/api/v1/me", NULL, &r);
	s->client_id = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	return s->client_id > 0;
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

/* A one-off contract for client (0: no client_id) as c; its ordinal and percent. */
static int buy(struct api_client *c, json_int_t client, int *ordinal, int *percent)
{
	char body[160];
	struct http_response r;
	if (client)
		snprintf(body, sizeof body,
			 "{\"service_id\":%lld,\"kind\":\"one_off\",\"client_id\":%lld}",
			 (long long)svc, (long long)client);
	else
		snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\"}",
			 (long long)svc);
	api_call(c, "POST", "/api/v1/me/contracts", body, &r);
	int status = r.status;
	if (status == 201) {
		if (ordinal)
			*ordinal = (int)ival(r.json, "ordinal");
		if (percent)
			*percent = (int)ival(r.json, "discount_percent");
		if (client)
			CHECK_INT(ival(r.json, "client_id"), client);
	}
	http_response_free(&r);
	return status;
}

/* GET path as c: the status, and the body's key (borrowed copy in *out, caller frees). */
static int get_json(struct api_client *c, const char *path, json_t **out)
{
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	int status = r.status;
	if (out)
		*out = r.json ? json_incref(r.json) : NULL;
	http_response_free(&r);
	return status;
}

/* The staff's view of client's contracts, as one text (what "unchanged" compares). */
static char *contracts_text(json_int_t client)
{
	char path[96];
	json_t *body = NULL;
	snprintf(path, sizeof path, "/api/v1/contracts?client_id=%lld", (long long)client);
	CHECK_INT(get_json(&staff, path, &body), 200);
	char *text = body ? json_dumps(json_object_get(body, "items"), JSON_SORT_KEYS) : NULL;
	json_decref(body);
	return text;
}

static int family_of(json_int_t client)
{
	char path[64];
	json_t *body = NULL;
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)client);
	CHECK_INT(get_json(&staff, path, &body), 200);
	int family = (int)ival(body, "family_id");
	json_decref(body);
	return family;
}

static int loyalty_contracts(struct api_client *c, json_int_t client)
{
	char path[80];
	json_t *body = NULL;
	snprintf(path, sizeof path, "/api/v1/me/loyalty?client_id=%lld", (long long)client);
	int status = get_json(c, path, &body);
	int n = status == 200 ? (int)ival(body, "contracts") : -status;
	json_decref(body);
	return n;
}

static bool setup(void)
{
	struct http_response r;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	if (!ts_add_user(&server, "admin", "admin@families.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "mikel@families.test", "Mikel Tutor", PW))
		return false;
	api_client_at(&admin, server.port, "10.9.0.1");
	api_client_at(&staff, server.port, "10.9.0.2");
	if (api_login(&admin, "admin@families.test", PW) != 200 ||
	    api_login(&staff, "mikel@families.test", PW) != 200)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	if (!api_make_tutor(&staff, tutor_id, "maths", NULL, 0, "08:00", "20:00"))
		return false;
	svc = post_id(&staff, "/api/v1/services",
		      "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
		      "\"duration_min\":60,\"price_cents\":3000}",
		      201);
	char body[512], starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(today + 6, 18 * 60), starts);
	hm_time_format(hm_local_instant(today + 6, 20 * 60), ends);
	snprintf(body, sizeof body,
		 "{\"title\":\"Tailerra\",\"kind\":\"workshop\",\"starts_at\":\"%s\","
		 "\"ends_at\":\"%s\",\"capacity\":10,\"description\":\"d\"}",
		 starts, ends);
	event_id = post_id(&staff, "/api/v1/events", body, 201);
	return svc > 0 && event_id > 0 &&
	       make_student(&parent, "amaia@families.test", "Amaia Gurasoa", "10.9.1.1") &&
	       make_student(&other, "other@families.test", "Beste Bat", "10.9.1.2") &&
	       make_student(&sib_a, "jon@families.test", "Jon Anaia", "10.9.1.3") &&
	       make_student(&sib_b, "ane@families.test", "Ane Arreba", "10.9.1.4");
}

/* ---- a parent and two children ---------------------------------------------- */

static void test_parent_with_two_children(void)
{
	struct http_response r;
	json_t *body = NULL;

	/* Two children, without a login, the parent their guardian, in its family. */
	CHECK(api_call(&parent.c, "POST", "/api/v1/me/clients",
		       "{\"full_name\":\"Mikel Txikia\",\"level\":\"A2\"}", &r));
	CHECK_INT(r.status, 201);
	child1 = ival(r.json, "id");
	CHECK(json_is_null(http_json(&r, "user_id")));
	CHECK_STR(json_str(http_json(&r, "guardian"), "full_name"), "Amaia Gurasoa");
	CHECK_STR(json_str(http_json(&r, "guardian"), "email"), "amaia@families.test");
	CHECK_STR(json_str(r.json, "level"), "A2");
	CHECK_INT(ival(r.json, "family_id"), family_of(parent.client_id));
	http_response_free(&r);
	CHECK(api_call(&parent.c, "POST", "/api/v1/me/clients",
		       "{\"full_name\":\"Irati Txikia\",\"locale\":\"es\"}", &r));
	CHECK_INT(r.status, 201);
	child2 = ival(r.json, "id");
	CHECK_STR(json_str(r.json, "locale"), "es");
	http_response_free(&r);
	/* Bad children change nothing. */
	CHECK_INT(api_status(&parent.c, "POST", "/api/v1/me/clients", "{}"), 422);
	CHECK_INT(api_status(&parent.c, "POST", "/api/v1/me/clients",
			     "{\"full_name\":\"X\",\"locale\":\"fr\"}"),
		  422);
	CHECK_INT(api_status(&parent.c, "POST", "/api/v1/me/clients",
			     "{\"full_name\":\"X\",\"family_id\":1}"),
		  422);
	CHECK_INT(api_status(&parent.c, "POST", "/api/v1/me/clients",
			     "{\"full_name\":\"X\",\"email\":\"x@example.com\"}"),
		  422);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/me/clients", "{\"full_name\":\"X\"}"), 403);
	CHECK_INT(get_json(&parent.c, "/api/v1/me/clients", &body), 200);
	json_t *items = json_object_get(body, "items");
	CHECK_INT(json_array_size(items), 3);
	CHECK_INT(ival(json_array_get(items, 0), "id"), parent.client_id);
	CHECK_INT(ival(json_array_get(items, 1), "id"), child1);
	CHECK_INT(ival(json_array_get(items, 2), "id"), child2);
	json_decref(body);
	/* The other family sees only itself. */
	CHECK_INT(get_json(&other.c, "/api/v1/me/clients", &body), 200);
	CHECK_INT(json_array_size(json_object_get(body, "items")), 1);
	json_decref(body);

	/* One contract for each child, then a third for the first: 5 %. */
	int ordinal = 0, percent = -1;
	CHECK_INT(buy(&parent.c, child1, &ordinal, &percent), 201);
	CHECK_INT(ordinal, 1);
	CHECK_INT(percent, 0);
	CHECK_INT(buy(&parent.c, child2, &ordinal, &percent), 201);
	CHECK_INT(ordinal, 2);
	CHECK_INT(percent, 0);
	/* The quote for either child says what the family's third earns. */
	char path[160];
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off&client_id=%lld",
		 (long long)svc, (long long)child2);
	CHECK_INT(get_json(&parent.c, path, &body), 200);
	CHECK_INT(ival(body, "ordinal"), 3);
	CHECK_INT(ival(body, "discount_percent"), 5);
	json_decref(body);
	CHECK_INT(buy(&parent.c, child1, &ordinal, &percent), 201);
	CHECK_INT(ordinal, 3);
	CHECK_INT(percent, 5);
	/* Loyalty counts the family, whoever is asked about; the staff's quote too. */
	CHECK_INT(loyalty_contracts(&parent.c, child2), 3);
	CHECK_INT(loyalty_contracts(&parent.c, parent.client_id), 3);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off&client_id=%lld",
		 (long long)svc, (long long)parent.client_id);
	CHECK_INT(get_json(&staff, path, &body), 200);
	CHECK_INT(ival(body, "ordinal"), 4);
	CHECK_INT(ival(body, "discount_percent"), 10);
	json_decref(body);
	/* Each learner's own lists. */
	snprintf(path, sizeof path, "/api/v1/me/contracts?client_id=%lld", (long long)child1);
	CHECK_INT(get_json(&parent.c, path, &body), 200);
	CHECK_INT(json_array_size(json_object_get(body, "items")), 2);
	json_decref(body);
	CHECK_INT(get_json(&parent.c, "/api/v1/me/contracts", &body), 200);
	CHECK_INT(json_array_size(json_object_get(body, "items")), 0);
	json_decref(body);

	/* A lesson for the second child: its client, seen and cancelled by the parent. */
	char at[HM_RFC3339_LEN], book[320];
	hm_time_format(hm_local_instant(today + 3, 10 * 60), at);
	snprintf(book, sizeof book,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld}",
		 (long long)svc, (long long)tutor_id, at, (long long)child2);
	CHECK(api_call(&parent.c, "POST", "/api/v1/lessons", book, &r));
	CHECK_INT(r.status, 201);
	json_int_t lesson = ival(r.json, "id");
	CHECK_INT(ival(r.json, "client_id"), child2);
	CHECK_INT(ival(http_json(&r, "contract"), "ordinal"), 4);
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/me/lessons?client_id=%lld", (long long)child2);
	CHECK_INT(get_json(&parent.c, path, &body), 200);
	CHECK_INT(json_array_size(json_object_get(body, "items")), 1);
	json_decref(body);
	CHECK_INT(get_json(&parent.c, "/api/v1/me/lessons", &body), 200);
	CHECK_INT(json_array_size(json_object_get(body, "items")), 0);
	json_decref(body);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld", (long long)lesson);
	CHECK_INT(get_json(&parent.c, path, NULL), 200);
	CHECK_INT(get_json(&other.c, path, NULL), 404);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)lesson);
	CHECK_INT(api_status(&other.c, "POST", path, NULL), 404);
	CHECK_INT(api_status(&parent.c, "POST", path, NULL), 200);

	/* The event: the child registers, not the parent. */
	snprintf(path, sizeof path, "/api/v1/events/%lld/registration", (long long)event_id);
	snprintf(book, sizeof book, "{\"client_id\":%lld}", (long long)child1);
	CHECK_INT(api_status(&parent.c, "POST", path, book), 201);
	snprintf(book, sizeof book, "{\"client_id\":%lld,\"x\":1}", (long long)child2);
	CHECK_INT(api_status(&parent.c, "POST", path, book), 422);

	/* The client record and the loyalty report show the family and its count. */
	CHECK_INT(family_of(child1), family_of(parent.client_id));
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)child2);
	CHECK_INT(get_json(&staff, path, &body), 200);
	CHECK_INT(ival(json_object_get(body, "loyalty"), "contracts"), 3);
	json_decref(body);
	CHECK_INT(get_json(&staff, "/api/v1/reports/loyalty?limit=200", &body), 200);
	int rows = 0;
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(body, "items"), i, row)
	{
		if (ival(row, "client_id") != child1 && ival(row, "client_id") != child2)
			continue;
		rows++;
		CHECK_INT(ival(row, "family_id"), family_of(parent.client_id));
		CHECK_INT(ival(row, "contracts"), 3);
		CHECK_INT(ival(row, "current_percent"), 5);
	}
	CHECK_INT(rows, 2);
	json_decref(body);
}

/* ---- another family's client: 404 on every route that takes client_id ------------- */

static void test_other_family_is_not_found(void)
{
	char q[48], b[48], path[200];
	int family_contracts = loyalty_contracts(&parent.c, child1);
	CHECK_INT(family_contracts, 3); /* the cancelled lesson took its one-off contract */
	snprintf(q, sizeof q, "client_id=%lld", (long long)child1);
	snprintf(b, sizeof b, "{\"client_id\":%lld}", (long long)child1);
	const char *const get_routes[] = {
		"/api/v1/me/contracts",   "/api/v1/me/lessons",  "/api/v1/me/loyalty",
		"/api/v1/me/suggestions", "/api/v1/me/calendar", "/api/v1/me/calendar.ics",
		"/api/v1/me/waitlist",    "/api/v1/events",      "/api/v1/me/invoices",
	};
	for (size_t i = 0; i < sizeof get_routes / sizeof get_routes[0]; i++) {
		snprintf(path, sizeof path, "%s?%s", get_routes[i], q);
		int status = get_json(&other.c, path, NULL);
		CHECK_INT(status, 404);
		if (status != 404)
			fprintf(stderr, "  GET %s -> %d\n", path, status);
		/* The family's own member is found. */
		status = get_json(&parent.c, path, NULL);
		CHECK_INT(status, 200);
		if (status != 200)
			fprintf(stderr, "  GET %s as the parent -> %d\n", path, status);
		/* A malformed one is named. */
		snprintf(path, sizeof path, "%s?client_id=abc", get_routes[i]);
		CHECK_INT(get_json(&parent.c, path, NULL), 422);
	}
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off&%s", (long long)svc,
		 q);
	CHECK_INT(get_json(&other.c, path, NULL), 404);

	char body[320], at[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(today + 4, 11 * 60), at);
	struct {
		const char *method, *path, *body;
	} writes[] = {
		{"POST", "/api/v1/me/contracts", NULL},
		{"POST", "/api/v1/lessons", NULL},
		{"POST", "/api/v1/me/calendar/rotate", b},
		{"POST", "/api/v1/events/$/registration", b},
		{"DELETE", "/api/v1/events/$/registration?", NULL},
		{"POST", "/api/v1/events/$/waitlist", b},
		{"DELETE", "/api/v1/events/$/waitlist?", NULL},
		{"POST", "/api/v1/waitlist", NULL},
	};
	char contract_body[160], lesson_body[320], wait_body[320];
	snprintf(contract_body, sizeof contract_body,
		 "{\"service_id\":%lld,\"kind\":\"one_off\",\"client_id\":%lld}", (long long)svc,
		 (long long)child1);
	snprintf(lesson_body, sizeof lesson_body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld}",
		 (long long)svc, (long long)tutor_id, at, (long long)child1);
	snprintf(wait_body, sizeof wait_body, "%s", lesson_body);
	writes[0].body = contract_body;
	writes[1].body = lesson_body;
	writes[7].body = wait_body;
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		const char *dollar = strchr(writes[i].path, '$');
		if (dollar)
			snprintf(path, sizeof path, "%.*s%lld%s", (int)(dollar - writes[i].path),
				 writes[i].path, (long long)event_id, dollar + 1);
		else
			snprintf(path, sizeof path, "%s", writes[i].path);
		if (path[strlen(path) - 1] == '?')
			snprintf(path + strlen(path), sizeof path - strlen(path), "%s", q);
		int status = api_status(&other.c, writes[i].method, path, writes[i].body);
		CHECK_INT(status, 404);
		if (status != 404)
			fprintf(stderr, "  %s %s -> %d\n", writes[i].method, path, status);
	}
	(void)body;
	/* Nothing was made for the child by the other family. */
	CHECK_INT(loyalty_contracts(&parent.c, child1), family_contracts);
}

/* ---- staff merge and leave -------------------------------------------------------- */

/* The parent's invoices are the family's: both children's contracts, each invoice
 * readable by the family and by nobody else. */
static void test_family_invoices(void)
{
	json_t *body = NULL;
	bool seen1 = false, seen2 = false;
	json_int_t one = 0;
	CHECK_INT(get_json(&parent.c, "/api/v1/me/invoices?limit=200", &body), 200);
	json_t *items = json_object_get(body, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_int_t owner = ival(json_array_get(items, i), "client_id");
		seen1 = seen1 || owner == child1;
		seen2 = seen2 || owner == child2;
		CHECK(owner == child1 || owner == child2 || owner == parent.client_id);
		if (owner == child2)
			one = ival(json_array_get(items, i), "id");
	}
	CHECK(seen1 && seen2);
	size_t n = json_array_size(items);
	json_int_t invoiced = 0;
	for (size_t i = 0; i < n; i++)
		invoiced += ival(json_array_get(items, i), "total_cents");
	/* The balance is the family's too, whichever member is named. */
	json_t *balance = NULL;
	char bpath[96];
	snprintf(bpath, sizeof bpath, "/api/v1/me/balance?client_id=%lld", (long long)child1);
	CHECK_INT(get_json(&parent.c, bpath, &balance), 200);
	CHECK_INT(ival(balance, "invoiced_cents"), invoiced);
	json_decref(balance);
	CHECK_INT(get_json(&parent.c, "/api/v1/me/balance", &balance), 200);
	CHECK_INT(ival(balance, "invoiced_cents"), invoiced);
	json_decref(balance);
	CHECK_INT(get_json(&other.c, bpath, NULL), 404);
	json_decref(body);
	/* The same list whichever member names it. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/me/invoices?limit=200&client_id=%lld",
		 (long long)child2);
	CHECK_INT(get_json(&parent.c, path, &body), 200);
	CHECK(json_array_size(json_object_get(body, "items")) == n);
	json_decref(body);
	CHECK_INT(get_json(&other.c, "/api/v1/me/invoices?limit=200", &body), 200);
	items = json_object_get(body, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_int_t owner = ival(json_array_get(items, i), "client_id");
		CHECK(owner != child1 && owner != child2);
	}
	json_decref(body);
	snprintf(path, sizeof path, "/api/v1/invoices/%lld", (long long)one);
	CHECK_INT(get_json(&parent.c, path, NULL), 200);
	CHECK_INT(get_json(&other.c, path, NULL), 404);
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/print", (long long)one);
	CHECK_INT(api_status(&parent.c, "GET", path, NULL), 200);
	CHECK_INT(api_status(&other.c, "GET", path, NULL), 404);
}

static void test_merge_and_leave(void)
{
	struct http_response r;
	int ordinal = 0, percent = 0;
	CHECK_INT(buy(&sib_a.c, 0, NULL, NULL), 201);
	CHECK_INT(buy(&sib_a.c, 0, NULL, NULL), 201);
	CHECK_INT(buy(&sib_b.c, 0, NULL, NULL), 201);
	char *a_before = contracts_text(sib_a.client_id);
	char *b_before = contracts_text(sib_b.client_id);
	int family_a = family_of(sib_a.client_id), family_b = family_of(sib_b.client_id);
	CHECK(family_a != family_b);

	/* Bad merges change nothing. */
	char body[160];
	CHECK_INT(api_status(&staff, "POST", "/api/v1/families", "{}"), 422);
	snprintf(body, sizeof body, "{\"client_ids\":[%lld]}", (long long)sib_a.client_id);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/families", body), 422);
	snprintf(body, sizeof body, "{\"client_ids\":[%lld,987654]}", (long long)sib_a.client_id);
	CHECK(api_call(&staff, "POST", "/api/v1/families", body, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "client_ids") != NULL);
	http_response_free(&r);
	snprintf(body, sizeof body, "{\"client_ids\":[%lld,\"x\"]}", (long long)sib_a.client_id);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/families", body), 422);
	snprintf(body, sizeof body, "{\"client_ids\":[%lld,%lld]}", (long long)sib_a.client_id,
		 (long long)sib_b.client_id);
	CHECK_INT(api_status(&sib_a.c, "POST", "/api/v1/families", body), 403);
	CHECK_INT(family_of(sib_b.client_id), family_b);

	/* The merge: one family of both, counting their 3 contracts. */
	CHECK(api_call(&staff, "POST", "/api/v1/families", body, &r));
	CHECK_INT(r.status, 201);
	json_int_t family = ival(r.json, "id");
	CHECK_INT(family, family_a < family_b ? family_a : family_b);
	CHECK_INT(json_array_size(http_json(&r, "client_ids")), 2);
	CHECK_INT(ival(r.json, "contracts"), 3);
	http_response_free(&r);
	CHECK_INT(family_of(sib_a.client_id), family);
	CHECK_INT(family_of(sib_b.client_id), family);
	char *a_merged = contracts_text(sib_a.client_id);
	char *b_merged = contracts_text(sib_b.client_id);
	CHECK(a_before && a_merged && strcmp(a_before, a_merged) == 0);
	CHECK(b_before && b_merged && strcmp(b_before, b_merged) == 0);
	/* Each sibling's account manages the other, and the next contract is the 4th. */
	CHECK_INT(loyalty_contracts(&sib_b.c, sib_a.client_id), 3);
	CHECK_INT(buy(&sib_b.c, 0, &ordinal, &percent), 201);
	CHECK_INT(ordinal, 4);
	CHECK_INT(percent, 10);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/families/%lld", (long long)family);
	json_t *got = NULL;
	CHECK_INT(get_json(&staff, path, &got), 200);
	CHECK_INT(ival(got, "contracts"), 4);
	json_decref(got);
	CHECK_INT(get_json(&staff, "/api/v1/families/987654", NULL), 404);
	CHECK_INT(get_json(&sib_a.c, path, NULL), 403);
	b_before = (free(b_before), contracts_text(sib_b.client_id));

	/* Leave: B becomes a family of one, with its own two contracts counted. */
	snprintf(path, sizeof path, "/api/v1/families/%lld/members/%lld", (long long)family,
		 (long long)parent.client_id);
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 404);
	snprintf(path, sizeof path, "/api/v1/families/%lld/members/%lld", (long long)family,
		 (long long)sib_b.client_id);
	CHECK_INT(api_status(&sib_a.c, "DELETE", path, NULL), 403);
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 204);
	CHECK(family_of(sib_b.client_id) != family);
	CHECK_INT(family_of(sib_a.client_id), family);
	CHECK_INT(loyalty_contracts(&sib_b.c, sib_b.client_id), 2);
	CHECK_INT(loyalty_contracts(&sib_a.c, sib_a.client_id), 2);
	CHECK_INT(loyalty_contracts(&sib_b.c, sib_a.client_id), -404);
	/* Again: it is alone now, not a member of that family. */
	CHECK_INT(api_status(&staff, "DELETE", path, NULL), 404);
	char *a_after = contracts_text(sib_a.client_id);
	char *b_after = contracts_text(sib_b.client_id);
	CHECK(a_after && strcmp(a_before, a_after) == 0);
	CHECK(b_after && strcmp(b_before, b_after) == 0);
	free(a_before);
	free(b_before);
	free(a_merged);
	free(b_merged);
	free(a_after);
	free(b_after);
}

/* ---- concurrent contracts within one family ----------------------------------------- */

#define RACE_EACH 10
struct racer {
	struct api_client c;
	json_int_t client;
	int ordinals[RACE_EACH];
	int made;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	for (int i = 0; i < RACE_EACH; i++) {
		int ordinal = 0;
		if (buy(&r->c, r->client, &ordinal, NULL) == 201)
			r->ordinals[r->made++] = ordinal;
	}
	return NULL;
}

static void test_concurrent_ordinals_in_a_family(void)
{
	/* Two sessions of the parent, each buying for a child at the same time. */
	struct racer racers[2];
	int base = loyalty_contracts(&parent.c, child1);
	for (int i = 0; i < 2; i++) {
		memset(&racers[i], 0, sizeof racers[i]);
		api_client_at(&racers[i].c, server.port, i ? "10.9.2.2" : "10.9.2.1");
		CHECK_INT(api_login(&racers[i].c, "amaia@families.test", PW), 200);
		racers[i].client = i ? child2 : child1;
	}
	pthread_t threads[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&threads[i], NULL, race, &racers[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	bool seen[2 * RACE_EACH + 1] = {false};
	bool distinct = true;
	for (int i = 0; i < 2; i++) {
		CHECK_INT(racers[i].made, RACE_EACH);
		for (int j = 0; j < racers[i].made; j++) {
			int k = racers[i].ordinals[j] - base;
			if (k < 1 || k > 2 * RACE_EACH || seen[k])
				distinct = false;
			else
				seen[k] = true;
		}
	}
	CHECK(distinct);
	CHECK_INT(loyalty_contracts(&parent.c, child2), base + 2 * RACE_EACH);
}

/* A family holds at most 50 clients: a child beyond, or a merge beyond, is 409. */
static void test_family_limits(void)
{
	struct student big;
	CHECK(make_student(&big, "handia@families.test", "Familia Handia", "10.9.3.1"));
	int made = 0;
	for (int i = 0; i < 49; i++)
		made += api_status(&big.c, "POST", "/api/v1/me/clients",
				   "{\"full_name\":\"Haurra\"}") == 201;
	CHECK_INT(made, 49);
	CHECK_INT(api_status(&big.c, "POST", "/api/v1/me/clients", "{\"full_name\":\"Haurra\"}"),
		  409);
	char body[96];
	snprintf(body, sizeof body, "{\"client_ids\":[%lld,%lld]}", (long long)big.client_id,
		 (long long)other.client_id);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/families", body), 409);
	CHECK(family_of(other.client_id) != family_of(big.client_id));
}

/* Erasing the parent (privacy) takes it off its children's records as guardian. */
static void test_erasing_the_parent(void)
{
	char path[96];
	json_t *body = NULL;
	snprintf(path, sizeof path, "/api/v1/clients/%lld/erase", (long long)parent.client_id);
	CHECK_INT(api_status(&admin, "POST", path, NULL), 200);
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)child1);
	CHECK_INT(get_json(&staff, path, &body), 200);
	CHECK(json_is_null(json_object_get(body, "guardian")));
	CHECK_STR(json_str(body, "full_name"), "Mikel Txikia");
	json_decref(body);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, serve_args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_parent_with_two_children);
	RUN(test_other_family_is_not_found);
	RUN(test_family_invoices);
	RUN(test_merge_and_leave);
	RUN(test_concurrent_ordinals_in_a_family);
	RUN(test_family_limits);
	RUN(test_erasing_the_parent);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
