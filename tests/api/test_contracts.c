// SPDX-License-Identifier: MIT
// Contracts and the loyalty discount (API.md, "Contracts and the loyalty
// discount"): making contracts as a student and as staff, ordinals that skip
// cancelled contracts, discount tiers and half-up rounding, branded gifts and
// their stock (also under ten simultaneous requests), quotes, the tiers themselves,
// a student's loyalty stage, and the loyalty report in JSON and CSV. No --demo:
// every user, client and service is made here.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/timefmt.h"

static struct test_server server;

static const char *const trusted_args[] = {"--trusted-proxy", "127.0.0.1", NULL};

#define PASSWORD "pasahitz-luze-bat-2026"
#define N_STUDENTS 6
#define N_RACERS 10

static struct api_client admin, staff, anon;
static struct api_client st[N_STUDENTS];
static json_int_t client_of[N_STUDENTS];
static json_int_t svc_a;          /* private, 2990 cents: 5 % of it is 149.5 */
static json_int_t svc_b;          /* private, 3000 cents */
static json_int_t svc_off;        /* inactive */
static json_int_t s1_contract[7]; /* student 1's contracts by ordinal (1..6) */
static json_int_t gift_pen, gift_calendar, gift_freshener, gift_mug;

/* ---- helpers ---------------------------------------------------------------- */

static json_int_t int_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* "2026-11-24T15:00:00Z" */
static bool is_utc_instant(const char *s)
{
	int64_t t;
	return s && strlen(s) == 20 && s[19] == 'Z' && hm_time_parse(s, &t);
}

/* Copies tmpl into out, replacing "$1" by a and "$2" by b (no format strings). */
static void fill(char *out, size_t size, const char *tmpl, json_int_t a, json_int_t b)
{
	size_t used = 0;
	for (const char *p = tmpl; *p && used + 1 < size; p++) {
		if (p[0] == '$' && (p[1] == '1' || p[1] == '2')) {
			int n = snprintf(out + used, size - used, "%lld",
					 (long long)(p[1] == '1' ? a : b));
			used += n > 0 ? (size_t)n : 0;
			if (used >= size)
				used = size - 1;
			p++;
		} else {
			out[used++] = *p;
		}
	}
	out[used] = '\0';
}

static json_int_t create_service(const char *body)
{
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/services", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t id = r.status == 201 ? int_of(r.json, "id") : 0;
	http_response_free(&r);
	return id;
}

/* A student's POST /me/contracts; r keeps the answer. */
static int me_contract(struct api_client *c, json_int_t service, const char *kind, int sessions,
		       struct http_response *r)
{
	char body[160];
	if (sessions)
		snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"%s\",\"sessions\":%d}",
			 (long long)service, kind, sessions);
	else
		snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"%s\"}",
			 (long long)service, kind);
	api_call(c, "POST", "/api/v1/me/contracts", body, r);
	return r->status;
}

/* A one-off contract that only has to exist; returns its id. */
static json_int_t quick_contract(struct api_client *c)
{
	struct http_response r;
	CHECK_INT(me_contract(c, svc_a, "one_off", 0, &r), 201);
	json_int_t id = int_of(r.json, "id");
	http_response_free(&r);
	return id;
}

static json_int_t staff_contract(json_int_t client, json_int_t service, const char *kind,
				 int sessions, const char *channel, struct http_response *r)
{
	char body[256];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"%s\",\"sessions\":%d,"
		 "\"channel\":\"%s\"}",
		 (long long)client, (long long)service, kind, sessions, channel);
	api_call(&staff, "POST", "/api/v1/contracts", body, r);
	return r->status == 201 ? int_of(r->json, "id") : 0;
}

static int cancel(struct api_client *c, json_int_t id, struct http_response *r)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)id);
	api_call(c, "POST", path, NULL, r);
	return r->status;
}

static size_t my_contract_count(struct api_client *c)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me/contracts?limit=200", NULL, &r);
	size_t n = json_array_size(http_json(&r, "items"));
	http_response_free(&r);
	return n;
}

/* Checks one contract's money: list, tier percent, half-up discount, price. */
static void check_money(json_t *k, json_int_t list, int percent)
{
	json_int_t discount = (list * percent + 50) / 100;
	CHECK_INT(int_of(k, "list_price_cents"), list);
	CHECK_INT(int_of(k, "discount_percent"), percent);
	CHECK_INT(int_of(k, "discount_cents"), discount);
	CHECK_INT(int_of(k, "price_cents"), list - discount);
}

/* GET /gifts as c; the gift with id (borrowed from *r). */
static json_t *gift_in(struct api_client *c, json_int_t id, struct http_response *r)
{
	api_call(c, "GET", "/api/v1/gifts", NULL, r);
	size_t i;
	json_t *g;
	json_array_foreach(http_json(r, "items"), i, g) if (int_of(g, "id") == id) return g;
	return NULL;
}

static json_int_t gift_stock(json_int_t id)
{
	struct http_response r;
	json_t *g = gift_in(&admin, id, &r);
	json_int_t stock = g && json_is_integer(json_object_get(g, "stock")) ? int_of(g, "stock")
									     : -999;
	http_response_free(&r);
	return stock;
}

static void set_stock(json_int_t id, int stock)
{
	char path[64], body[64];
	snprintf(path, sizeof path, "/api/v1/gifts/%lld", (long long)id);
	snprintf(body, sizeof body, "{\"stock\":%d}", stock);
	struct http_response r;
	api_call(&admin, "PATCH", path, body, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(int_of(r.json, "stock"), stock);
	http_response_free(&r);
}

static void check_loyalty(struct api_client *c, int contracts, int current, int next_ordinal,
			  int next_percent)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me/loyalty", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(int_of(r.json, "contracts"), contracts);
	CHECK_INT(int_of(r.json, "current_percent"), current);
	json_t *next = http_json(&r, "next");
	if (next_ordinal) {
		CHECK(json_is_object(next));
		CHECK_INT(int_of(next, "ordinal"), next_ordinal);
		CHECK_INT(int_of(next, "percent"), next_percent);
	} else {
		CHECK(next && json_is_null(next));
	}
	http_response_free(&r);
}

/* ---- set-up ------------------------------------------------------------------ */

static void test_setup(void)
{
	struct http_response r;
	api_client_init(&anon, server.port);
	api_client_at(&admin, server.port, "10.2.0.1");
	CHECK_INT(api_login(&admin, "nerea@con.test", PASSWORD), 200);
	api_client_at(&staff, server.port, "10.2.0.2");
	CHECK_INT(api_login(&staff, "mikel@con.test", PASSWORD), 200);
	static const char *const names[N_STUDENTS] = {"Ane Bat",  "Bea Bi",   "Carlos Hiru",
						      "Dani Lau", "Eli Bost", "Fran Sei"};
	for (int i = 0; i < N_STUDENTS; i++) {
		char xff[32], email[64];
		snprintf(xff, sizeof xff, "10.2.1.%d", i + 1);
		snprintf(email, sizeof email, "student%d@con.test", i + 1);
		api_client_at(&st[i], server.port, xff);
		CHECK_INT(api_register(&st[i], email, PASSWORD, names[i]), 201);
		api_call(&st[i], "GET", "/api/v1/me", NULL, &r);
		client_of[i] = int_of(http_json(&r, "client"), "id");
		CHECK(client_of[i] > 0);
		http_response_free(&r);
	}
	svc_a = create_service(
		"{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
		"\"duration_min\":60,\"price_cents\":2990}");
	svc_b = create_service(
		"{\"name\":\"Ingelesa\",\"subject\":\"english\",\"kind\":\"private\","
		"\"duration_min\":60,\"price_cents\":3000}");
	svc_off = create_service("{\"name\":\"Zaharra\",\"subject\":\"maths\",\"kind\":\"private\","
				 "\"duration_min\":60,\"price_cents\":1000}");
	char path[64];
	snprintf(path, sizeof path, "/api/v1/services/%lld", (long long)svc_off);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"active\":false}"), 200);
}

/* ---- making contracts ------------------------------------------------------------ */

static void test_first_contract_has_every_field(void)
{
	struct http_response r;
	int64_t before = hm_time_now();
	CHECK_INT(me_contract(&st[0], svc_a, "one_off", 0, &r), 201);
	int64_t after = hm_time_now();
	json_t *k = r.json;
	s1_contract[1] = int_of(k, "id");
	CHECK(s1_contract[1] > 0);
	CHECK_INT(int_of(k, "client_id"), client_of[0]);
	CHECK_INT(int_of(k, "service_id"), svc_a);
	CHECK_STR(json_str(k, "kind"), "one_off");
	CHECK_INT(int_of(k, "sessions_total"), 1);
	CHECK(json_is_integer(json_object_get(k, "sessions_used")));
	CHECK_INT(int_of(k, "sessions_used"), 0);
	CHECK_INT(int_of(k, "ordinal"), 1);
	check_money(k, 2990, 0);
	CHECK(json_object_get(k, "gift") && json_is_null(json_object_get(k, "gift")));
	CHECK_STR(json_str(k, "channel"), "web");
	CHECK_STR(json_str(k, "status"), "active");
	char created[HM_RFC3339_LEN + 8] = "";
	snprintf(created, sizeof created, "%s",
		 json_str(k, "created_at") ? json_str(k, "created_at") : "");
	CHECK(is_utc_instant(created));
	int64_t t = 0;
	CHECK(hm_time_parse(created, &t) && t >= before - 1 && t <= after + 1);
	http_response_free(&r);

	/* GET /contracts/{id} (staff) answers the same contract. */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)s1_contract[1]);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(int_of(r.json, "id"), s1_contract[1]);
	CHECK_INT(int_of(r.json, "ordinal"), 1);
	CHECK_STR(json_str(r.json, "created_at"), created);
	http_response_free(&r);
}

static void test_ordinals_and_discounts(void)
{
	struct http_response r;
	/* 2nd: explicit sessions 1 is fine for a one-off; no discount yet. */
	CHECK_INT(me_contract(&st[0], svc_a, "one_off", 1, &r), 201);
	s1_contract[2] = int_of(r.json, "id");
	CHECK_INT(int_of(r.json, "ordinal"), 2);
	check_money(r.json, 2990, 0);
	http_response_free(&r);

	/* 3rd: 5 % of 2990 is 149.5, rounded half up to 150. */
	CHECK_INT(me_contract(&st[0], svc_a, "one_off", 0, &r), 201);
	s1_contract[3] = int_of(r.json, "id");
	CHECK_INT(int_of(r.json, "ordinal"), 3);
	CHECK_INT(int_of(r.json, "discount_percent"), 5);
	CHECK_INT(int_of(r.json, "discount_cents"), 150);
	CHECK_INT(int_of(r.json, "price_cents"), 2840);
	http_response_free(&r);

	/* 4th: API.md's example, a subscription of 8 sessions at 3000. */
	CHECK_INT(me_contract(&st[0], svc_b, "subscription", 8, &r), 201);
	s1_contract[4] = int_of(r.json, "id");
	CHECK_STR(json_str(r.json, "kind"), "subscription");
	CHECK_INT(int_of(r.json, "sessions_total"), 8);
	CHECK_INT(int_of(r.json, "sessions_used"), 0);
	CHECK_INT(int_of(r.json, "service_id"), svc_b);
	CHECK_INT(int_of(r.json, "ordinal"), 4);
	CHECK_INT(int_of(r.json, "list_price_cents"), 24000);
	CHECK_INT(int_of(r.json, "discount_percent"), 10);
	CHECK_INT(int_of(r.json, "discount_cents"), 2400);
	CHECK_INT(int_of(r.json, "price_cents"), 21600);
	http_response_free(&r);

	/* 5th and 6th: 15 %, the cap; 448.5 rounds to 449. */
	for (int ordinal = 5; ordinal <= 6; ordinal++) {
		CHECK_INT(me_contract(&st[0], svc_a, "one_off", 0, &r), 201);
		s1_contract[ordinal] = int_of(r.json, "id");
		CHECK_INT(int_of(r.json, "ordinal"), ordinal);
		CHECK_INT(int_of(r.json, "discount_percent"), 15);
		CHECK_INT(int_of(r.json, "discount_cents"), 449);
		CHECK_INT(int_of(r.json, "price_cents"), 2541);
		http_response_free(&r);
	}
	/* Another student starts at 1: ordinals are per client. */
	CHECK_INT(me_contract(&st[5], svc_b, "subscription", 8, &r), 201);
	CHECK_INT(int_of(r.json, "ordinal"), 1);
	check_money(r.json, 24000, 0);
	CHECK_INT(int_of(r.json, "client_id"), client_of[5]);
	http_response_free(&r);
}

static void test_contract_validation(void)
{
	struct http_response r;
	size_t before = my_contract_count(&st[0]);
	CHECK_INT(before, 6);
	char body[256];
	static const struct {
		const char *fmt, *field;
	} bad[] = {
		{"{\"service_id\":$1,\"kind\":\"one_off\",\"sessions\":2}", "sessions"},
		{"{\"service_id\":$1,\"kind\":\"subscription\"}", "sessions"},
		{"{\"service_id\":$1,\"kind\":\"subscription\",\"sessions\":201}", "sessions"},
		{"{\"service_id\":$1,\"kind\":\"subscription\",\"sessions\":0}", "sessions"},
		{"{\"service_id\":$1,\"kind\":\"subscription\",\"sessions\":\"8\"}", "sessions"},
		{"{\"service_id\":$1,\"kind\":\"monthly\"}", "kind"},
		{"{\"service_id\":$1}", "kind"},
		{"{\"service_id\":$1,\"kind\":\"one_off\",\"client_id\":\"1\"}", "client_id"},
		{"{\"service_id\":$1,\"kind\":\"one_off\",\"channel\":\"phone\"}", "channel"},
		{"{\"service_id\":$1,\"kind\":\"one_off\",\"ordinal\":1}", "ordinal"},
		{"{\"service_id\":$1,\"kind\":\"one_off\",\"discount_percent\":50}",
		 "discount_percent"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fill(body, sizeof body, bad[i].fmt, svc_a, 0);
		CHECK(api_call(&st[0], "POST", "/api/v1/me/contracts", body, &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		CHECK(http_error_field(&r, bad[i].field) != NULL);
		if (r.status != 422 || !http_error_field(&r, bad[i].field))
			fprintf(stderr, "  body %s -> %d %s\n", body, r.status, r.body);
		http_response_free(&r);
	}
	/* API.md v2: a student's contract is always made on the web, so channel is
	 * read-only for a student (whatever its value). */
	fill(body, sizeof body, "{\"service_id\":$1,\"kind\":\"one_off\",\"channel\":\"web\"}",
	     svc_a, 0);
	CHECK(api_call(&st[0], "POST", "/api/v1/me/contracts", body, &r));
	CHECK_INT(r.status, 422);
	CHECK_STR(http_error_field(&r, "channel"), "is read-only");
	http_response_free(&r);
	/* Unknown and inactive services. */
	CHECK_INT(me_contract(&st[0], 999999, "one_off", 0, &r), 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);
	CHECK_INT(me_contract(&st[0], svc_off, "one_off", 0, &r), 422);
	CHECK(http_error_field(&r, "service_id") != NULL);
	http_response_free(&r);
	/* Who may use /me/contracts: students only. */
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\"}", (long long)svc_a);
	CHECK(api_call(&staff, "POST", "/api/v1/me/contracts", body, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK(api_call(&anon, "POST", "/api/v1/me/contracts", body, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	/* Nothing was made. */
	CHECK_INT(my_contract_count(&st[0]), before);
}

static void test_staff_contracts(void)
{
	struct http_response r;
	json_int_t id = staff_contract(client_of[1], svc_a, "one_off", 1, "phone", &r);
	CHECK_INT(r.status, 201);
	CHECK(id > 0);
	CHECK_INT(int_of(r.json, "client_id"), client_of[1]);
	CHECK_INT(int_of(r.json, "service_id"), svc_a);
	CHECK_STR(json_str(r.json, "kind"), "one_off");
	CHECK_STR(json_str(r.json, "channel"), "phone");
	CHECK_STR(json_str(r.json, "status"), "active");
	CHECK_INT(int_of(r.json, "ordinal"), 1);
	check_money(r.json, 2990, 0);
	http_response_free(&r);

	/* An admin may as well (the "in_person" channel). */
	char body[256];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":4,"
		 "\"channel\":\"in_person\"}",
		 (long long)client_of[1], (long long)svc_b);
	CHECK(api_call(&admin, "POST", "/api/v1/contracts", body, &r));
	CHECK_INT(r.status, 201);
	CHECK_INT(int_of(r.json, "ordinal"), 2);
	CHECK_STR(json_str(r.json, "channel"), "in_person");
	check_money(r.json, 12000, 0);
	http_response_free(&r);

	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"client_id\":$1,\"service_id\":$2,\"kind\":\"one_off\",\"sessions\":1}",
		 "channel"},
		{"{\"client_id\":$1,\"service_id\":$2,\"kind\":\"one_off\",\"sessions\":1,"
		 "\"channel\":\"fax\"}",
		 "channel"},
		{"{\"client_id\":999999,\"service_id\":$2,\"kind\":\"one_off\",\"sessions\":1,"
		 "\"channel\":\"phone\"}",
		 "client_id"},
		{"{\"service_id\":$2,\"kind\":\"one_off\",\"sessions\":1,\"channel\":\"phone\"}",
		 "client_id"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fill(body, sizeof body, bad[i].body, client_of[1], svc_a);
		CHECK(api_call(&staff, "POST", "/api/v1/contracts", body, &r));
		CHECK_INT(r.status, 422);
		CHECK(http_error_field(&r, bad[i].field) != NULL);
		if (r.status != 422 || !http_error_field(&r, bad[i].field))
			fprintf(stderr, "  body %s -> %d %s\n", body, r.status, r.body);
		http_response_free(&r);
	}
	/* Who may not. */
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\",\"sessions\":1,"
		 "\"channel\":\"phone\"}",
		 (long long)client_of[1], (long long)svc_a);
	CHECK(api_call(&st[1], "POST", "/api/v1/contracts", body, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK(api_call(&anon, "POST", "/api/v1/contracts", body, &r));
	CHECK_INT(r.status, 401);
	CHECK_STR(http_error_code(&r), "unauthenticated");
	http_response_free(&r);
	/* Still two contracts for that client. */
	CHECK_INT(my_contract_count(&st[1]), 2);
}

static void test_cancel(void)
{
	struct http_response r;
	/* Student 2 has ordinals 1 and 2; cancel the first. */
	api_call(&st[1], "GET", "/api/v1/me/contracts", NULL, &r);
	json_int_t first = int_of(json_array_get(http_json(&r, "items"), 0), "id");
	json_int_t second = int_of(json_array_get(http_json(&r, "items"), 1), "id");
	http_response_free(&r);
	CHECK(first > 0 && second > first);

	CHECK_INT(cancel(&st[1], first, &r), 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(cancel(&anon, first, &r), 401);
	http_response_free(&r);
	CHECK_INT(cancel(&staff, 999999, &r), 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);

	CHECK_INT(cancel(&staff, first, &r), 200);
	CHECK_INT(int_of(r.json, "id"), first);
	CHECK_STR(json_str(r.json, "status"), "cancelled");
	CHECK_INT(int_of(r.json, "ordinal"), 1);
	http_response_free(&r);
	CHECK_INT(cancel(&staff, first, &r), 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);

	char path[64];
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)first);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "status"), "cancelled");
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)second);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_STR(json_str(r.json, "status"), "active");
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", "/api/v1/contracts/999999", NULL, &r));
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);

	/* The cancelled one does not count: the next ordinal is 1 + the 1 left. */
	json_int_t third = staff_contract(client_of[1], svc_a, "one_off", 1, "email", &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(int_of(r.json, "ordinal"), 2);
	CHECK_STR(json_str(r.json, "channel"), "email");
	check_money(r.json, 2990, 0);
	http_response_free(&r);
	CHECK(third > second);
	staff_contract(client_of[1], svc_a, "one_off", 1, "web", &r);
	CHECK_INT(r.status, 201);
	CHECK_INT(int_of(r.json, "ordinal"), 3);
	CHECK_INT(int_of(r.json, "discount_percent"), 5);
	http_response_free(&r);
}

static void test_contract_lists(void)
{
	struct http_response r;
	size_t i;
	json_t *k;

	/* A student sees only its own contracts, in id order. */
	CHECK(api_call(&st[0], "GET", "/api/v1/me/contracts", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 6);
	bool own = true;
	json_array_foreach(items, i, k)
	{
		own = own && int_of(k, "client_id") == client_of[0];
		if (i < 6)
			CHECK_INT(int_of(k, "id"), s1_contract[i + 1]);
	}
	CHECK(own);
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);

	CHECK(api_call(&st[1], "GET", "/api/v1/me/contracts", NULL, &r));
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 4); /* the cancelled one is still listed */
	own = true;
	json_array_foreach(items, i, k) own = own && int_of(k, "client_id") == client_of[1];
	CHECK(own);
	http_response_free(&r);

	CHECK(api_call(&st[2], "GET", "/api/v1/me/contracts", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	http_response_free(&r);

	/* Paging. */
	CHECK(api_call(&st[0], "GET", "/api/v1/me/contracts?limit=4", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 4);
	CHECK_INT(json_integer_value(http_json(&r, "next_after")), s1_contract[4]);
	http_response_free(&r);

	/* Staff filter by client. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/contracts?client_id=%lld", (long long)client_of[1]);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 4);
	own = true;
	json_array_foreach(items, i, k) own = own && int_of(k, "client_id") == client_of[1];
	CHECK(own);
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/contracts?client_id=%lld", (long long)client_of[0]);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 6);
	http_response_free(&r);
	CHECK(api_call(&staff, "GET", "/api/v1/contracts?client_id=abc", NULL, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "client_id") != NULL);
	http_response_free(&r);

	/* Students cannot read the staff lists or other contracts; staff have no "me". */
	CHECK_INT(api_status(&st[0], "GET", "/api/v1/contracts", NULL), 403);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)s1_contract[1]);
	CHECK_INT(api_status(&st[1], "GET", path, NULL), 403);
	CHECK_INT(api_status(&st[0], "GET", path, NULL), 403);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/contracts", NULL), 401);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/contracts", NULL), 401);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/contracts", NULL), 403);
}

/* ---- loyalty stage ------------------------------------------------------------ */

static void test_me_loyalty(void)
{
	struct http_response r;
	check_loyalty(&st[2], 0, 0, 3, 5);
	quick_contract(&st[2]);
	json_int_t second = quick_contract(&st[2]);
	check_loyalty(&st[2], 2, 0, 3, 5);
	quick_contract(&st[2]);
	check_loyalty(&st[2], 3, 5, 4, 10);
	quick_contract(&st[2]);
	check_loyalty(&st[2], 4, 10, 5, 15);
	quick_contract(&st[2]);
	check_loyalty(&st[2], 5, 15, 0, 0);
	/* Cancelled contracts do not count. */
	CHECK_INT(cancel(&staff, second, &r), 200);
	http_response_free(&r);
	check_loyalty(&st[2], 4, 10, 5, 15);

	CHECK(api_call(&staff, "GET", "/api/v1/me/loyalty", NULL, &r));
	CHECK_INT(r.status, 403);
	http_response_free(&r);
	CHECK(api_call(&anon, "GET", "/api/v1/me/loyalty", NULL, &r));
	CHECK_INT(r.status, 401);
	http_response_free(&r);
}

/* ---- gifts ------------------------------------------------------------------------ */

static void test_gifts_read_and_write(void)
{
	struct http_response r;
	size_t i;
	json_t *g;

	/* Seeded: pen, calendar and car_air_freshener, out of stock. The public sees
	 * in_stock, never stock. */
	struct api_client *public_readers[] = {&anon, &st[0], &staff};
	for (size_t who = 0; who < 3; who++) {
		CHECK(api_call(public_readers[who], "GET", "/api/v1/gifts", NULL, &r));
		CHECK_INT(r.status, 200);
		json_t *items = http_json(&r, "items");
		CHECK_INT(json_array_size(items), 3);
		bool shape = true;
		json_array_foreach(items, i, g)
		{
			shape = shape && json_is_false(json_object_get(g, "in_stock")) &&
				!json_object_get(g, "stock") && json_str(g, "name") &&
				int_of(g, "id") > 0;
			const char *key = json_str(g, "key");
			if (who == 0 && key && !strcmp(key, "pen"))
				gift_pen = int_of(g, "id");
			if (who == 0 && key && !strcmp(key, "calendar"))
				gift_calendar = int_of(g, "id");
			if (who == 0 && key && !strcmp(key, "car_air_freshener"))
				gift_freshener = int_of(g, "id");
		}
		CHECK(shape);
		http_response_free(&r);
	}
	CHECK(gift_pen > 0 && gift_calendar > 0 && gift_freshener > 0);
	CHECK(api_call(&admin, "GET", "/api/v1/gifts", NULL, &r));
	CHECK_INT(r.status, 200);
	bool admin_sees = json_array_size(http_json(&r, "items")) == 3;
	json_array_foreach(http_json(&r, "items"), i, g)
		admin_sees = admin_sees && json_is_integer(json_object_get(g, "stock")) &&
			     int_of(g, "stock") == 0;
	CHECK(admin_sees);
	http_response_free(&r);

	/* POST /gifts (admin). */
	CHECK(api_call(&admin, "POST", "/api/v1/gifts",
		       "{\"key\":\"mug\",\"name\":\"Katilua\",\"stock\":0}", &r));
	CHECK_INT(r.status, 201);
	gift_mug = int_of(r.json, "id");
	CHECK(gift_mug > 0);
	CHECK_STR(json_str(r.json, "key"), "mug");
	CHECK_STR(json_str(r.json, "name"), "Katilua");
	CHECK_INT(int_of(r.json, "stock"), 0);
	http_response_free(&r);
	CHECK(api_call(&admin, "POST", "/api/v1/gifts",
		       "{\"key\":\"mug\",\"name\":\"Beste katilua\",\"stock\":5}", &r));
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK(api_call(&admin, "POST", "/api/v1/gifts", "{\"key\":\"Mug!\",\"name\":\"X\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "key") != NULL);
	http_response_free(&r);
	CHECK(api_call(&admin, "POST", "/api/v1/gifts",
		       "{\"key\":\"cap\",\"name\":\"Txapela\",\"stock\":-1}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "stock") != NULL);
	http_response_free(&r);
	static const char cap[] = "{\"key\":\"cap\",\"name\":\"Txapela\",\"stock\":9}";
	CHECK(api_call(&st[0], "POST", "/api/v1/gifts", cap, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/gifts", cap), 403);
	CHECK_INT(api_status(&anon, "POST", "/api/v1/gifts", cap), 401);

	/* PATCH /gifts/{id} (admin). */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/gifts/%lld", (long long)gift_mug);
	CHECK(api_call(&admin, "PATCH", path, "{\"stock\":-1}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "stock") != NULL);
	http_response_free(&r);
	CHECK(api_call(&admin, "PATCH", path, "{\"key\":\"cup\"}", &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "key") != NULL);
	http_response_free(&r);
	CHECK(api_call(&admin, "PATCH", path, "{\"name\":\"Kikara\"}", &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "name"), "Kikara");
	CHECK_STR(json_str(r.json, "key"), "mug");
	CHECK_INT(int_of(r.json, "stock"), 0);
	http_response_free(&r);
	CHECK(api_call(&admin, "PATCH", "/api/v1/gifts/999999", "{\"stock\":1}", &r));
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"stock\":7}"), 403);
	CHECK_INT(api_status(&st[0], "PATCH", path, "{\"stock\":7}"), 403);
	CHECK_INT(api_status(&anon, "PATCH", path, "{\"stock\":7}"), 401);
	CHECK_INT(gift_stock(gift_mug), 0);
	/* API.md's order of checks: existence (404) before the body (422). */
	CHECK(api_call(&admin, "PATCH", "/api/v1/gifts/999999", "{\"stock\":-1}", &r));
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	/* No cap was made. */
	CHECK(api_call(&anon, "GET", "/api/v1/gifts", NULL, &r));
	CHECK_INT(json_array_size(http_json(&r, "items")), 4);
	http_response_free(&r);
}

static void test_gift_allocation(void)
{
	struct http_response r;
	json_int_t ids[4] = {gift_pen, gift_calendar, gift_freshener, gift_mug};
	int stock[4] = {2, 3, 1, 0};
	for (int i = 0; i < 4; i++)
		set_stock(ids[i], stock[i]);

	/* The public now sees which are in stock. */
	for (int i = 0; i < 4; i++) {
		json_t *g = gift_in(&anon, ids[i], &r);
		CHECK(g && json_is_boolean(json_object_get(g, "in_stock")) &&
		      json_is_true(json_object_get(g, "in_stock")) == (stock[i] > 0));
		CHECK(g && !json_object_get(g, "stock"));
		http_response_free(&r);
	}

	/* Every new contract takes the gift with the most stock, ties by lowest id,
	 * until all are out; then none. */
	for (int n = 0; n < 8; n++) {
		int pick = -1;
		for (int i = 0; i < 4; i++)
			if (stock[i] > 0 && (pick < 0 || stock[i] > stock[pick] ||
					     (stock[i] == stock[pick] && ids[i] < ids[pick])))
				pick = i;
		CHECK_INT(me_contract(&st[3], svc_a, "one_off", 0, &r), 201);
		json_t *gift = http_json(&r, "gift");
		if (pick < 0) {
			CHECK(gift && json_is_null(gift));
		} else {
			CHECK_INT(int_of(gift, "id"), ids[pick]);
			CHECK(json_str(gift, "key") && json_str(gift, "name"));
			stock[pick]--;
		}
		json_int_t contract = int_of(r.json, "id");
		http_response_free(&r);
		for (int i = 0; i < 4; i++)
			CHECK_INT(gift_stock(ids[i]), stock[i]);
		/* The contract keeps its gift when read back. */
		char path[64];
		snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)contract);
		api_call(&staff, "GET", path, NULL, &r);
		if (pick < 0)
			CHECK(json_is_null(http_json(&r, "gift")));
		else
			CHECK_INT(int_of(http_json(&r, "gift"), "id"), ids[pick]);
		http_response_free(&r);
	}
	for (int i = 0; i < 4; i++)
		CHECK_INT(gift_stock(ids[i]), 0);
}

/* ---- quotes ------------------------------------------------------------------------ */

static void compare_quote(json_t *quote, json_t *made)
{
	CHECK_INT(int_of(made, "ordinal"), int_of(quote, "ordinal"));
	CHECK_INT(int_of(made, "list_price_cents"), int_of(quote, "list_price_cents"));
	CHECK_INT(int_of(made, "discount_percent"), int_of(quote, "discount_percent"));
	CHECK_INT(int_of(made, "discount_cents"), int_of(quote, "discount_cents"));
	CHECK_INT(int_of(made, "price_cents"), int_of(quote, "price_cents"));
	json_t *qg = json_object_get(quote, "gift"), *mg = json_object_get(made, "gift");
	CHECK(qg && mg && json_is_null(qg) == json_is_null(mg));
	CHECK_INT(int_of(mg, "id"), int_of(qg, "id"));
}

static void test_quote(void)
{
	struct http_response q, made;
	char path[160];
	set_stock(gift_calendar, 1);

	/* Student 3 has 4 contracts that count: the next is the 5th, 15 %, with the
	 * calendar. */
	size_t before = my_contract_count(&st[2]);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off", (long long)svc_a);
	CHECK(api_call(&st[2], "GET", path, NULL, &q));
	CHECK_INT(q.status, 200);
	CHECK_INT(int_of(q.json, "ordinal"), 5);
	check_money(q.json, 2990, 15);
	CHECK_INT(int_of(http_json(&q, "gift"), "id"), gift_calendar);
	CHECK_STR(json_str(http_json(&q, "gift"), "key"), "calendar");
	/* It makes nothing: no contract, no gift taken. */
	CHECK_INT(my_contract_count(&st[2]), before);
	CHECK_INT(gift_stock(gift_calendar), 1);
	CHECK_INT(me_contract(&st[2], svc_a, "one_off", 0, &made), 201);
	compare_quote(q.json, made.json);
	http_response_free(&q);
	http_response_free(&made);

	/* A subscription: 8 x 3000, 6th contract, no gift left. */
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=subscription&sessions=8",
		 (long long)svc_b);
	CHECK(api_call(&st[2], "GET", path, NULL, &q));
	CHECK_INT(q.status, 200);
	CHECK_INT(int_of(q.json, "ordinal"), 6);
	check_money(q.json, 24000, 15);
	CHECK(json_is_null(http_json(&q, "gift")));
	CHECK_INT(me_contract(&st[2], svc_b, "subscription", 8, &made), 201);
	compare_quote(q.json, made.json);
	http_response_free(&q);
	http_response_free(&made);

	/* Bad quotes. */
	static const struct {
		const char *fmt, *field;
	} bad[] = {
		{"/api/v1/quote?service_id=$1", "kind"},
		{"/api/v1/quote?service_id=$1&kind=monthly", "kind"},
		{"/api/v1/quote?service_id=$1&kind=one_off&sessions=2", "sessions"},
		{"/api/v1/quote?service_id=$1&kind=subscription&sessions=201", "sessions"},
		/* POST refuses a subscription without sessions; the quote must too. */
		{"/api/v1/quote?service_id=$1&kind=subscription", "sessions"},
		{"/api/v1/quote?service_id=$1999999&kind=one_off", "service_id"},
		{"/api/v1/quote?service_id=$1&kind=one_off&client_id=x", "client_id"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fill(path, sizeof path, bad[i].fmt, svc_a, 0);
		CHECK(api_call(&st[2], "GET", path, NULL, &q));
		CHECK_INT(q.status, 422);
		CHECK(http_error_field(&q, bad[i].field) != NULL);
		if (q.status != 422 || !http_error_field(&q, bad[i].field))
			fprintf(stderr, "  %s -> %d %s\n", path, q.status, q.body);
		http_response_free(&q);
	}
	snprintf(path, sizeof path, "/api/v1/quote?kind=one_off");
	CHECK(api_call(&st[2], "GET", path, NULL, &q));
	CHECK_INT(q.status, 422);
	CHECK(http_error_field(&q, "service_id") != NULL);
	http_response_free(&q);
	/* Every bad field is named at once. */
	CHECK(api_call(&st[2], "GET", "/api/v1/quote?kind=monthly&sessions=0&client_id=0", NULL,
		       &q));
	CHECK_INT(q.status, 422);
	CHECK(http_error_field(&q, "service_id") != NULL);
	CHECK(http_error_field(&q, "kind") != NULL);
	CHECK(http_error_field(&q, "sessions") != NULL);
	CHECK(http_error_field(&q, "client_id") != NULL);
	http_response_free(&q);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off",
		 (long long)svc_off);
	CHECK(api_call(&st[2], "GET", path, NULL, &q));
	CHECK_INT(q.status, 422);
	CHECK(http_error_field(&q, "service_id") != NULL);
	http_response_free(&q);

	/* Staff quote for a client, which they must name. */
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off", (long long)svc_a);
	CHECK(api_call(&staff, "GET", path, NULL, &q));
	CHECK_INT(q.status, 422);
	CHECK(http_error_field(&q, "client_id") != NULL);
	http_response_free(&q);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off&client_id=999999",
		 (long long)svc_a);
	CHECK(api_call(&staff, "GET", path, NULL, &q));
	CHECK_INT(q.status, 422);
	CHECK(http_error_field(&q, "client_id") != NULL);
	http_response_free(&q);
	set_stock(gift_freshener, 2);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off&client_id=%lld",
		 (long long)svc_a, (long long)client_of[1]);
	CHECK(api_call(&staff, "GET", path, NULL, &q));
	CHECK_INT(q.status, 200);
	CHECK_INT(int_of(q.json, "ordinal"), 4); /* 3 that count + 1 */
	check_money(q.json, 2990, 10);
	CHECK_INT(int_of(http_json(&q, "gift"), "id"), gift_freshener);
	CHECK_INT(gift_stock(gift_freshener), 2);
	staff_contract(client_of[1], svc_a, "one_off", 1, "phone", &made);
	CHECK_INT(made.status, 201);
	compare_quote(q.json, made.json);
	http_response_free(&q);
	http_response_free(&made);
	CHECK_INT(gift_stock(gift_freshener), 1);
	set_stock(gift_freshener, 0);

	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off", (long long)svc_a);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
}

/* ---- concurrency ------------------------------------------------------------------ */

struct racer {
	pthread_t thread;
	int fd;
	int status;
	json_int_t ordinal, contract;
	bool gift;
};

static pthread_barrier_t race_start;
static char race_request[2048];
static size_t race_len;

static void *race(void *arg)
{
	struct racer *me = arg;
	pthread_barrier_wait(&race_start);
	size_t sent = 0;
	while (sent < race_len) {
		ssize_t n = send(me->fd, race_request + sent, race_len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	char buf[16384];
	size_t used = 0;
	for (;;) {
		ssize_t n = recv(me->fd, buf + used, sizeof buf - 1 - used, 0);
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof buf - 1)
			break;
	}
	buf[used] = '\0';
	close(me->fd);
	if (strncmp(buf, "HTTP/1.", 7) == 0)
		me->status = atoi(buf + 9);
	char *body = strstr(buf, "\r\n\r\n");
	json_t *json = body ? json_loads(body + 4, 0, NULL) : NULL;
	me->ordinal = int_of(json, "ordinal");
	me->contract = int_of(json, "id");
	me->gift = json_is_object(json_object_get(json, "gift"));
	json_decref(json);
	return NULL;
}

static int connect_server(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(server.port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 30};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One round: ten POST /contracts for one new client, released together. */
static void race_round(int round)
{
	struct http_response r;
	char client_body[96];
	snprintf(client_body, sizeof client_body, "{\"full_name\":\"Txomin Lasterka %d\"}", round);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", client_body, &r));
	CHECK_INT(r.status, 201);
	json_int_t client = int_of(r.json, "id");
	http_response_free(&r);
	CHECK(client > 0);
	set_stock(gift_pen, 0);
	set_stock(gift_calendar, 4);
	set_stock(gift_freshener, 0);
	set_stock(gift_mug, 0);

	char body[256];
	int body_len = snprintf(body, sizeof body,
				"{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\","
				"\"sessions\":1,\"channel\":\"phone\"}",
				(long long)client, (long long)svc_a);
	race_len = (size_t)snprintf(
		race_request, sizeof race_request,
		"POST /api/v1/contracts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Connection: close\r\nContent-Type: application/json\r\n"
		"Cookie: %s\r\nX-CSRF-Token: %s\r\nX-Forwarded-For: 10.2.0.2\r\n"
		"Content-Length: %d\r\n\r\n%s",
		staff.cookie, staff.csrf, body_len, body);

	struct racer racers[N_RACERS];
	memset(racers, 0, sizeof racers);
	pthread_barrier_init(&race_start, NULL, N_RACERS);
	int started = 0;
	for (int i = 0; i < N_RACERS; i++) {
		racers[i].fd = connect_server();
		CHECK(racers[i].fd >= 0);
	}
	for (int i = 0; i < N_RACERS; i++)
		if (racers[i].fd >= 0 &&
		    pthread_create(&racers[i].thread, NULL, race, &racers[i]) == 0)
			started++;
	CHECK_INT(started, N_RACERS);
	if (started != N_RACERS) {
		/* The barrier would never open: give up on this test. */
		pthread_barrier_destroy(&race_start);
		return;
	}
	for (int i = 0; i < N_RACERS; i++)
		pthread_join(racers[i].thread, NULL);
	pthread_barrier_destroy(&race_start);

	int created = 0, gifts = 0;
	bool seen[N_RACERS + 1] = {false};
	bool distinct = true;
	for (int i = 0; i < N_RACERS; i++) {
		if (racers[i].status != 201)
			fprintf(stderr, "  racer %d answered %d\n", i, racers[i].status);
		created += racers[i].status == 201;
		gifts += racers[i].gift;
		json_int_t o = racers[i].ordinal;
		if (o >= 1 && o <= N_RACERS && !seen[o])
			seen[o] = true;
		else
			distinct = false;
	}
	CHECK_INT(created, N_RACERS);
	CHECK(distinct); /* ten distinct ordinals within 1..10: exactly 1..10 */
	CHECK_INT(gifts, 4);
	CHECK_INT(gift_stock(gift_calendar), 0);

	/* What was stored agrees. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/contracts?client_id=%lld", (long long)client);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), N_RACERS);
	size_t i;
	json_t *k;
	int stored_gifts = 0;
	json_array_foreach(items, i, k) stored_gifts += json_is_object(json_object_get(k, "gift"));
	CHECK_INT(stored_gifts, 4);
	http_response_free(&r);
}

/* A counter of GET /metrics (anonymous from loopback), or -1. */
static long long metric(const char *name)
{
	struct http_response r;
	long long value = -1;
	size_t len = strlen(name);
	if (http_request(server.port, "GET", "/metrics", NULL, NULL, 0, &r) && r.body) {
		for (const char *line = r.body; line && *line; line = strchr(line, '\n')) {
			if (*line == '\n')
				line++;
			if (strncmp(line, name, len) == 0 && line[len] == ' ') {
				value = strtoll(line + len + 1, NULL, 10);
				break;
			}
		}
	}
	http_response_free(&r);
	return value;
}

static void test_concurrent_contracts(void)
{
	long long batches = metric("harreman_write_batches_total");
	long long jobs = metric("harreman_write_batch_jobs_total");
	/* A few rounds: a race that is lost only sometimes still shows. */
	for (int round = 1; round <= 5; round++)
		race_round(round);
	/* The racers' writes went through the group-commit writer, and writes that
	 * arrived together shared a COMMIT: fewer transactions than writes. */
	batches = metric("harreman_write_batches_total") - batches;
	jobs = metric("harreman_write_batch_jobs_total") - jobs;
	CHECK(jobs >= 5 * N_RACERS);
	CHECK(batches > 0 && batches < jobs);
}

/* ---- discount tiers ----------------------------------------------------------------- */

static const char default_tiers[] =
	"{\"items\":[{\"from_ordinal\":3,\"percent\":5},{\"from_ordinal\":4,\"percent\":10},"
	"{\"from_ordinal\":5,\"percent\":15}]}";

static void check_tiers(struct api_client *c, const int *pairs, size_t n)
{
	struct http_response r;
	CHECK(api_call(c, "GET", "/api/v1/discount-tiers", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), n);
	for (size_t i = 0; i < n && i < json_array_size(items); i++) {
		CHECK_INT(int_of(json_array_get(items, i), "from_ordinal"), pairs[2 * i]);
		CHECK_INT(int_of(json_array_get(items, i), "percent"), pairs[2 * i + 1]);
	}
	http_response_free(&r);
}

static void test_discount_tiers(void)
{
	struct http_response r;
	static const int defaults[] = {3, 5, 4, 10, 5, 15};
	check_tiers(&anon, defaults, 3);
	check_tiers(&st[0], defaults, 3);

	static const char new_tiers[] =
		"{\"items\":[{\"from_ordinal\":2,\"percent\":3},{\"from_ordinal\":7,\"percent\":20}]}";
	CHECK(api_call(&staff, "PUT", "/api/v1/discount-tiers", new_tiers, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&st[0], "PUT", "/api/v1/discount-tiers", new_tiers), 403);
	CHECK_INT(api_status(&anon, "PUT", "/api/v1/discount-tiers", new_tiers), 401);

	/* Invalid lists: 422 naming the item. */
	char many[2048];
	int n = snprintf(many, sizeof many, "{\"items\":[");
	for (int i = 0; i < 21; i++)
		n += snprintf(many + n, sizeof many - (size_t)n,
			      "%s{\"from_ordinal\":%d,\"percent\":%d}", i ? "," : "", i + 2, i + 1);
	snprintf(many + n, sizeof many - (size_t)n, "]}");
	static const struct {
		const char *body, *field;
	} bad[] = {
		{"{\"items\":[{\"from_ordinal\":1,\"percent\":5}]}", "items[0]"},
		{"{\"items\":[{\"from_ordinal\":0,\"percent\":5}]}", "items[0]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":5},{\"from_ordinal\":3,\"percent\":10}]}",
		 "items[1]"},
		{"{\"items\":[{\"from_ordinal\":4,\"percent\":5},{\"from_ordinal\":3,\"percent\":10}]}",
		 "items[1]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":10},{\"from_ordinal\":4,\"percent\":10}]}",
		 "items[1]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":10},{\"from_ordinal\":4,\"percent\":5}]}",
		 "items[1]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":0}]}", "items[0]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":5},{\"from_ordinal\":4,\"percent\":101}]}",
		 "items[1]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":5,\"label\":\"x\"}]}", "items[0]"},
		{"{\"items\":[{\"from_ordinal\":3}]}", "items[0]"},
		{"{\"items\":[{\"from_ordinal\":\"3\",\"percent\":5}]}", "items[0]"},
		{"{\"items\":[{\"from_ordinal\":3,\"percent\":5.5}]}", "items[0]"},
		{"{\"items\":[3]}", "items[0]"},
		{"{\"items\":{\"from_ordinal\":3,\"percent\":5}}", "items"},
		{"{}", "items"},
		{"{\"items\":[],\"note\":\"x\"}", "note"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(api_call(&admin, "PUT", "/api/v1/discount-tiers", bad[i].body, &r));
		CHECK_INT(r.status, 422);
		CHECK_STR(http_error_code(&r), "validation_failed");
		CHECK(http_error_field(&r, bad[i].field) != NULL);
		if (r.status != 422 || !http_error_field(&r, bad[i].field))
			fprintf(stderr, "  body %s -> %d %s\n", bad[i].body, r.status, r.body);
		http_response_free(&r);
	}
	/* 21 tiers: too many (on the list or on the 21st item). */
	CHECK(api_call(&admin, "PUT", "/api/v1/discount-tiers", many, &r));
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "items") != NULL || http_error_field(&r, "items[20]") != NULL);
	http_response_free(&r);
	check_tiers(&anon, defaults, 3); /* nothing changed */

	/* GET /limits says the same bounds the server holds: the largest percent passes,
	 * one more is refused; the smallest ordinal passes, one less is refused. */
	CHECK(api_call(&anon, "GET", "/api/v1/limits", NULL, &r));
	CHECK_INT(r.status, 200);
	json_int_t pmax = json_integer_value(http_json(&r, "tier_percent_max"));
	json_int_t omin = json_integer_value(http_json(&r, "tier_ordinal_min"));
	json_int_t pmin = json_integer_value(http_json(&r, "tier_percent_min"));
	http_response_free(&r);
	CHECK(pmax > pmin && pmin > 0 && omin > 1);
	char edge[160];
	snprintf(edge, sizeof edge, "{\"items\":[{\"from_ordinal\":%lld,\"percent\":%lld}]}",
		 (long long)omin, (long long)pmax + 1);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/discount-tiers", edge), 422);
	snprintf(edge, sizeof edge, "{\"items\":[{\"from_ordinal\":%lld,\"percent\":%lld}]}",
		 (long long)omin - 1, (long long)pmax);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/discount-tiers", edge), 422);
	snprintf(edge, sizeof edge, "{\"items\":[{\"from_ordinal\":%lld,\"percent\":%lld}]}",
		 (long long)omin, (long long)pmin - 1);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/discount-tiers", edge), 422);
	snprintf(edge, sizeof edge, "{\"items\":[{\"from_ordinal\":%lld,\"percent\":%lld}]}",
		 (long long)omin, (long long)pmax);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/discount-tiers", edge), 200);

	/* Replace the tiers. */
	CHECK(api_call(&admin, "PUT", "/api/v1/discount-tiers", new_tiers, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	http_response_free(&r);
	static const int replaced[] = {2, 3, 7, 20};
	check_tiers(&anon, replaced, 2);

	/* Existing contracts keep their discount. */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)s1_contract[3]);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(int_of(r.json, "discount_percent"), 5);
	CHECK_INT(int_of(r.json, "discount_cents"), 150);
	CHECK_INT(int_of(r.json, "price_cents"), 2840);
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)s1_contract[6]);
	CHECK(api_call(&staff, "GET", path, NULL, &r));
	CHECK_INT(int_of(r.json, "discount_percent"), 15);
	http_response_free(&r);

	/* New ones use the new tiers: student 1's 7th gets 20 %, student 6's 2nd 3 %
	 * (2990 x 3 % = 89.7 -> 90). */
	struct http_response k;
	CHECK_INT(me_contract(&st[0], svc_a, "one_off", 0, &k), 201);
	CHECK_INT(int_of(k.json, "ordinal"), 7);
	check_money(k.json, 2990, 20);
	CHECK_INT(int_of(k.json, "discount_cents"), 598);
	http_response_free(&k);
	CHECK_INT(me_contract(&st[5], svc_a, "one_off", 0, &k), 201);
	CHECK_INT(int_of(k.json, "ordinal"), 2);
	CHECK_INT(int_of(k.json, "discount_percent"), 3);
	CHECK_INT(int_of(k.json, "discount_cents"), 90);
	CHECK_INT(int_of(k.json, "price_cents"), 2900);
	http_response_free(&k);
	check_loyalty(&st[5], 2, 3, 7, 20);
	check_loyalty(&st[0], 7, 20, 0, 0);

	/* An empty list: no discounts at all. */
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/discount-tiers", "{\"items\":[]}"), 200);
	check_tiers(&anon, NULL, 0);
	check_loyalty(&st[0], 7, 0, 0, 0);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off", (long long)svc_a);
	CHECK(api_call(&st[0], "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(int_of(r.json, "ordinal"), 8);
	check_money(r.json, 2990, 0);
	http_response_free(&r);

	/* Back to the business plan. */
	CHECK(api_call(&admin, "PUT", "/api/v1/discount-tiers", default_tiers, &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
	check_tiers(&anon, defaults, 3);
}

/* ---- the loyalty report ----------------------------------------------------------- */

static int tier_percent(int contracts)
{
	return contracts >= 5 ? 15 : contracts == 4 ? 10 : contracts == 3 ? 5 : 0;
}

static int tier_next(int contracts)
{
	return contracts >= 5 ? -1 : contracts == 4 ? 15 : contracts == 3 ? 10 : 5;
}

struct expected_row {
	json_int_t client_id;
	char full_name[128];
	int contracts;
	json_int_t discount_total;
	char last[HM_RFC3339_LEN];
};

/* The rows the report should have, from every client's contracts. */
static size_t expected_rows(struct expected_row *rows, size_t max)
{
	struct http_response clients, contracts;
	size_t n = 0, i, j;
	json_t *c, *k;
	api_call(&staff, "GET", "/api/v1/clients?limit=200", NULL, &clients);
	CHECK_INT(clients.status, 200);
	json_array_foreach(http_json(&clients, "items"), i, c)
	{
		char path[96];
		snprintf(path, sizeof path, "/api/v1/contracts?client_id=%lld&limit=200",
			 (long long)int_of(c, "id"));
		api_call(&staff, "GET", path, NULL, &contracts);
		struct expected_row row = {.client_id = int_of(c, "id")};
		snprintf(row.full_name, sizeof row.full_name, "%s",
			 json_str(c, "full_name") ? json_str(c, "full_name") : "");
		json_array_foreach(http_json(&contracts, "items"), j, k)
		{
			if (!json_str(k, "status") || strcmp(json_str(k, "status"), "active") != 0)
				continue;
			row.contracts++;
			row.discount_total += int_of(k, "discount_cents");
			const char *at = json_str(k, "created_at");
			if (at && strcmp(at, row.last) > 0)
				snprintf(row.last, sizeof row.last, "%s", at);
		}
		http_response_free(&contracts);
		if (row.contracts && n < max)
			rows[n++] = row;
	}
	http_response_free(&clients);
	return n;
}

static void test_loyalty_report(void)
{
	struct http_response r;
	/* Two clients with awkward names, one contract each; one client whose only
	 * contract is cancelled. */
	json_int_t quoted = 0, formula = 0, gone = 0;
	CHECK(api_call(&staff, "POST", "/api/v1/clients",
		       "{\"full_name\":\"Ane \\\"Txiki\\\", Etxeberria\"}", &r));
	CHECK_INT(r.status, 201);
	quoted = int_of(r.json, "id");
	CHECK_STR(json_str(r.json, "full_name"), "Ane \"Txiki\", Etxeberria");
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", "{\"full_name\":\"=HYPERLINK(1)\"}", &r));
	CHECK_INT(r.status, 201);
	formula = int_of(r.json, "id");
	http_response_free(&r);
	CHECK(api_call(&staff, "POST", "/api/v1/clients", "{\"full_name\":\"Ezeztatua\"}", &r));
	CHECK_INT(r.status, 201);
	gone = int_of(r.json, "id");
	http_response_free(&r);
	staff_contract(quoted, svc_a, "one_off", 1, "phone", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	staff_contract(formula, svc_b, "subscription", 2, "in_person", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	json_int_t gone_contract = staff_contract(gone, svc_a, "one_off", 1, "email", &r);
	CHECK_INT(r.status, 201);
	http_response_free(&r);
	CHECK_INT(cancel(&staff, gone_contract, &r), 200);
	http_response_free(&r);

	struct expected_row rows[64];
	size_t n_rows = expected_rows(rows, 64);
	CHECK(n_rows >= 8);

	/* JSON, for staff and admin. */
	CHECK(api_call(&staff, "GET", "/api/v1/reports/loyalty", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), n_rows);
	bool saw_cap = false, saw_quoted = false, saw_gone = false, saw_student3 = false;
	for (size_t i = 0; i < n_rows; i++) {
		json_t *row = NULL, *it;
		size_t j;
		json_array_foreach(items, j, it) if (int_of(it, "client_id") == rows[i].client_id)
			row = it;
		CHECK(row != NULL);
		if (!row) {
			fprintf(stderr, "  no report row for client %lld\n",
				(long long)rows[i].client_id);
			continue;
		}
		CHECK_STR(json_str(row, "full_name"), rows[i].full_name);
		CHECK_INT(int_of(row, "contracts"), rows[i].contracts);
		CHECK_INT(int_of(row, "current_percent"), tier_percent(rows[i].contracts));
		json_t *next = json_object_get(row, "next_percent");
		if (tier_next(rows[i].contracts) < 0) {
			CHECK(next && json_is_null(next));
			saw_cap = true;
		} else {
			CHECK_INT(json_integer_value(next), tier_next(rows[i].contracts));
		}
		CHECK_INT(int_of(row, "discount_total_cents"), rows[i].discount_total);
		CHECK(is_utc_instant(json_str(row, "last_contract_at")));
		CHECK_STR(json_str(row, "last_contract_at"), rows[i].last);
		saw_quoted = saw_quoted || rows[i].client_id == quoted;
		saw_student3 = saw_student3 || rows[i].client_id == client_of[2];
	}
	json_t *it;
	size_t j;
	json_array_foreach(items, j, it) saw_gone = saw_gone || int_of(it, "client_id") == gone;
	CHECK(saw_cap && saw_quoted && saw_student3);
	CHECK(!saw_gone); /* only a cancelled contract: no row */
	/* Student 3: 7 contracts, 1 cancelled; its discounts are the sum of the six. */
	json_array_foreach(items, j, it)
	{
		if (int_of(it, "client_id") != client_of[2])
			continue;
		CHECK_INT(int_of(it, "contracts"), 6);
		/* 0 + 5 % + 10 % + 15 % of 2990, then 15 % of 2990 and of 24000. */
		CHECK_INT(int_of(it, "discount_total_cents"), 0 + 150 + 299 + 449 + 449 + 3600);
	}
	http_response_free(&r);

	CHECK(api_call(&admin, "GET", "/api/v1/reports/loyalty", NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), n_rows);
	http_response_free(&r);
	CHECK(api_call(&st[0], "GET", "/api/v1/reports/loyalty", NULL, &r));
	CHECK_INT(r.status, 403);
	CHECK_STR(http_error_code(&r), "forbidden");
	http_response_free(&r);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/reports/loyalty", NULL), 401);
	CHECK_INT(api_status(&st[0], "GET", "/api/v1/reports/loyalty?format=csv", NULL), 403);
	CHECK(api_call(&staff, "GET", "/api/v1/reports/loyalty?format=xml", NULL, &r));
	CHECK_INT(r.status, 422);
	http_response_free(&r);

	/* CSV: RFC 4180 with a byte-order mark. */
	CHECK(api_call(&staff, "GET", "/api/v1/reports/loyalty?format=csv", NULL, &r));
	CHECK_INT(r.status, 200);
	char ctype[128];
	const char *type = http_header(&r, "Content-Type", ctype, sizeof ctype);
	CHECK(type && strncmp(type, "text/csv", 8) == 0);
	const char *body = r.body ? r.body : "";
	CHECK(r.body_len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0);
	static const char header[] = "client_id,full_name,contracts,current_percent,next_percent,"
				     "discount_total_cents,last_contract_at,family_id\r\n";
	CHECK(r.body_len >= 3 + sizeof header - 1 &&
	      memcmp(body + 3, header, sizeof header - 1) == 0);
	/* Every line ends CRLF (no bare LF), one line per client plus the header. */
	size_t crlf = 0;
	bool bare_lf = false;
	for (size_t i = 0; i < r.body_len; i++) {
		if (body[i] == '\n') {
			if (i > 0 && body[i - 1] == '\r')
				crlf++;
			else
				bare_lf = true;
		}
	}
	CHECK(!bare_lf);
	CHECK_INT(crlf, n_rows + 1);
	CHECK(r.body_len >= 2 && body[r.body_len - 2] == '\r' && body[r.body_len - 1] == '\n');
	/* The awkward names, quoted and neutralised. */
	char line[512];
	snprintf(line, sizeof line, "\r\n%lld,\"Ane \"\"Txiki\"\", Etxeberria\",1,0,5,0,",
		 (long long)quoted);
	CHECK(strstr(body, line) != NULL);
	snprintf(line, sizeof line, "\r\n%lld,\"'=HYPERLINK(1)\",1,0,5,0,", (long long)formula);
	CHECK(strstr(body, line) != NULL);
	CHECK(strstr(body, ",=HYPERLINK") == NULL);
	/* A full row at the cap: next_percent empty. */
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].client_id != client_of[0])
			continue;
		/* The family as the client record shows it. */
		struct http_response c;
		char cpath[64];
		snprintf(cpath, sizeof cpath, "/api/v1/clients/%lld", (long long)rows[i].client_id);
		CHECK(api_call(&staff, "GET", cpath, NULL, &c));
		long long family = (long long)int_of(c.json, "family_id");
		CHECK(family > 0);
		http_response_free(&c);
		snprintf(line, sizeof line, "\r\n%lld,Ane Bat,%d,15,,%lld,%s,%lld\r\n",
			 (long long)rows[i].client_id, rows[i].contracts,
			 (long long)rows[i].discount_total, rows[i].last, family);
		CHECK(strstr(body, line) != NULL);
		if (!strstr(body, line))
			fprintf(stderr, "  expected line %s in\n%s\n", line + 2, body);
	}
	snprintf(line, sizeof line, "\r\n%lld,", (long long)gone);
	CHECK(strstr(body, line) == NULL);
	http_response_free(&r);
	CHECK(api_call(&admin, "GET", "/api/v1/reports/loyalty?format=csv", NULL, &r));
	CHECK_INT(r.status, 200);
	http_response_free(&r);
}

/* The admin's loyalty review (issue 13): its figures agree with the loyalty report
 * (clients per tier, the discount given) and the gifts' own rows (stock); admin
 * only; a bad year 422. */
static void test_loyalty_review(void)
{
	struct http_response r;
	time_t now = time(NULL);
	struct tm local;
	localtime_r(&now, &local);
	int year = local.tm_year + 1900, month = local.tm_mon + 1;
	char path[96];
	snprintf(path, sizeof path, "/api/v1/reports/loyalty/review?year=%d", year);

	/* What the loyalty report says: clients per percent, the discount given. */
	long long per_percent[101] = {0}, discount = 0;
	CHECK(api_call(&admin, "GET", "/api/v1/reports/loyalty?limit=200", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *it;
	size_t i;
	json_array_foreach(http_json(&r, "items"), i, it)
	{
		json_int_t p = int_of(it, "current_percent");
		if (p >= 0 && p <= 100)
			per_percent[p]++;
		discount += int_of(it, "discount_total_cents");
	}
	CHECK(json_is_null(http_json(&r, "next_after")));
	http_response_free(&r);

	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(int_of(r.json, "year"), year);
	json_t *tiers = http_json(&r, "tiers");
	CHECK(json_array_size(tiers) >= 2);
	CHECK(json_is_null(json_object_get(json_array_get(tiers, 0), "from_ordinal")));
	long long seen = 0;
	json_array_foreach(tiers, i, it)
	{
		json_int_t p = int_of(it, "percent");
		CHECK_INT(int_of(it, "clients"), p >= 0 && p <= 100 ? per_percent[p] : -1);
		seen += int_of(it, "clients");
	}
	CHECK(seen > 0);
	json_t *months = http_json(&r, "months");
	CHECK_INT(json_array_size(months), 12);
	long long sum = 0;
	json_array_foreach(months, i, it) sum += int_of(it, "discount_cents");
	CHECK_INT(sum, discount); /* every contract of this run was made this year */
	CHECK_INT(int_of(r.json, "discount_cents"), discount);
	json_t *this_month = json_array_get(months, (size_t)month - 1);
	char key[32];
	snprintf(key, sizeof key, "%04d-%02d", year, month);
	CHECK_STR(json_str(this_month, "month"), key);
	CHECK_INT(int_of(this_month, "discount_cents"), discount);
	CHECK(int_of(this_month, "contracts") >= int_of(this_month, "discounted"));
	CHECK(int_of(this_month, "discounted") > 0);
	json_t *gifts = http_json(&r, "gifts");
	long long handed = 0;
	struct http_response g;
	CHECK(api_call(&admin, "GET", "/api/v1/gifts", NULL, &g));
	CHECK_INT(json_array_size(gifts), json_array_size(http_json(&g, "items")));
	json_array_foreach(gifts, i, it)
	{
		json_t *same = json_array_get(http_json(&g, "items"), i);
		CHECK_INT(int_of(it, "id"), int_of(same, "id"));
		CHECK_INT(int_of(it, "stock"), int_of(same, "stock"));
		CHECK_INT(int_of(it, "handed_out_year"), int_of(it, "handed_out"));
		handed += int_of(it, "handed_out");
	}
	CHECK(handed > 0); /* test_gift_allocation handed some out */
	http_response_free(&g);
	http_response_free(&r);

	/* Another year: nothing given; bad years; admin only. */
	snprintf(path, sizeof path, "/api/v1/reports/loyalty/review?year=%d", year - 5);
	CHECK(api_call(&admin, "GET", path, NULL, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(int_of(r.json, "discount_cents"), 0);
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/reports/loyalty/review", NULL), 422);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/reports/loyalty/review?year=99", NULL), 422);
	snprintf(path, sizeof path, "/api/v1/reports/loyalty/review?year=%d", year);
	CHECK_INT(api_status(&staff, "GET", path, NULL), 403);
	CHECK_INT(api_status(&st[0], "GET", path, NULL), 403);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, trusted_args))
		return 1;
	if (!ts_add_user(&server, "admin", "nerea@con.test", "Nerea Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "mikel@con.test", "Mikel Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(test_setup);
	RUN(test_first_contract_has_every_field);
	RUN(test_ordinals_and_discounts);
	RUN(test_contract_validation);
	RUN(test_staff_contracts);
	RUN(test_cancel);
	RUN(test_contract_lists);
	RUN(test_me_loyalty);
	RUN(test_gifts_read_and_write);
	RUN(test_gift_allocation);
	RUN(test_quote);
	RUN(test_concurrent_contracts);
	RUN(test_discount_tiers);
	RUN(test_loyalty_report);
	RUN(test_loyalty_review);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
