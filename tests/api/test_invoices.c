// SPDX-License-Identifier: MIT
// Invoices against the real server (API.md, "Invoices and TicketBAI"): the
// business settings and their checks; an invoice for every contract, numbered in
// its series with no gap and no repeat also when many contracts are made at once
// from several threads; simplified or full by the client's tax id and billing
// address; VAT exempt or included in the price; rectifying invoices with negative
// amounts in their own series when a contract or a lesson is cancelled; who may
// read what (another student: 404); the TicketBAI file of a pending invoice (409);
// the printable page in Basque, Spanish and English. No --demo.
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

static struct test_server server;

#define PASSWORD "pasahitz-luze-bat-2026"
#define N_THREADS 6
#define PER_THREAD 8

static struct api_client admin, staff, anon, ane, bea;
static json_int_t ane_client, bea_client, tutor, service;

static json_int_t int_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static json_int_t post_id(struct api_client *c, const char *path, const char *body, int status)
{
	struct http_response r;
	api_call(c, "POST", path, body, &r);
	CHECK_INT(r.status, status);
	if (r.status != status)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	json_int_t id = r.status == status ? int_of(r.json, "id") : 0;
	http_response_free(&r);
	return id;
}

static void who_am_i(struct api_client *c, json_int_t *user, json_int_t *client)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me", NULL, &r);
	if (user)
		*user = int_of(http_json(&r, "user"), "id");
	if (client)
		*client = int_of(http_json(&r, "client"), "id");
	http_response_free(&r);
}

static json_int_t staff_contract(json_int_t client, const char *kind, int sessions)
{
	char body[256];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"%s\",\"sessions\":%d,"
		 "\"channel\":\"phone\"}",
		 (long long)client, (long long)service, kind, sessions);
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/contracts", body, &r);
	json_int_t id = r.status == 201 ? int_of(r.json, "id") : 0;
	if (r.status != 201)
		fprintf(stderr, "contract -> %d %s\n", r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

/* The invoices GET path gives, all pages (caller frees). */
static json_t *all_invoices(struct api_client *c, const char *path)
{
	json_t *all = json_array();
	json_int_t after = 0;
	for (int page = 0; page < 1000; page++) {
		char url[256];
		snprintf(url, sizeof url, "%s%slimit=200&after=%lld", path,
			 strchr(path, '?') ? "&" : "?", (long long)after);
		struct http_response r;
		api_call(c, "GET", url, NULL, &r);
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

/* The invoice of contract k among items (borrowed), kind not rectifying. */
static json_t *invoice_of_contract(json_t *items, json_int_t k, bool rectifying)
{
	size_t i;
	json_t *inv;
	json_array_foreach(items, i, inv)
	{
		bool is_rect = strcmp(json_str(inv, "kind"), "rectifying") == 0;
		if (int_of(inv, "contract_id") == k && is_rect == rectifying)
			return inv;
	}
	return NULL;
}

/* The invoice with id, as c sees it (caller frees; NULL unless 200). */
static json_t *get_invoice(struct api_client *c, json_int_t id, int *status)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/invoices/%lld", (long long)id);
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	*status = r.status;
	json_t *out = r.status == 200 ? json_incref(r.json) : NULL;
	http_response_free(&r);
	return out;
}

static void put_business(const char *series, bool exempt, int percent)
{
	char body[512];
	snprintf(body, sizeof body,
		 "{\"legal_name\":\"PROBA Akademia S.L.\",\"nif\":\"b-12345674\","
		 "\"address\":\"Kale Nagusia 1\",\"postcode\":\"20001\",\"city\":\"Donostia\","
		 "\"territory\":\"gipuzkoa\",\"invoice_series\":\"%s\",\"vat_exempt\":%s,"
		 "\"vat_percent\":%d}",
		 series, exempt ? "true" : "false", percent);
	struct http_response r;
	api_call(&admin, "PUT", "/api/v1/business", body, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "nif"), "B12345674");
	CHECK_STR(json_str(r.json, "invoice_series"), series);
	http_response_free(&r);
}

/* ---- tests ------------------------------------------------------------------- */

static void test_setup(void)
{
	api_client_init(&admin, server.port);
	api_client_init(&staff, server.port);
	api_client_init(&anon, server.port);
	api_client_init(&ane, server.port);
	api_client_init(&bea, server.port);
	CHECK_INT(api_login(&admin, "nerea@inv.test", PASSWORD), 200);
	CHECK_INT(api_login(&staff, "mikel@inv.test", PASSWORD), 200);
	CHECK_INT(api_register(&ane, "ane@inv.test", PASSWORD, "Ane <b>Etxeberria</b>"), 201);
	CHECK_INT(api_register(&bea, "bea@inv.test", PASSWORD, "Bea Goñi"), 201);
	who_am_i(&ane, NULL, &ane_client);
	who_am_i(&bea, NULL, &bea_client);
	who_am_i(&staff, &tutor, NULL);
	CHECK(api_make_tutor(&staff, tutor, "maths", NULL, 0, "08:00", "22:00"));
	service = post_id(&staff, "/api/v1/services",
			  "{\"name\":\"Matematika <banakakoa>\",\"subject\":\"maths\","
			  "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3000,"
			  "\"capacity\":1}",
			  201);
	/* A gift in stock: a zero line on the invoices. */
	struct http_response r;
	api_call(&admin, "GET", "/api/v1/gifts", NULL, &r);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/gifts/%lld",
		 (long long)int_of(json_array_get(http_json(&r, "items"), 0), "id"));
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"stock\":1000}"), 200);
}

static void test_business(void)
{
	struct http_response r;
	api_call(&admin, "GET", "/api/v1/business", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(json_is_null(http_json(&r, "legal_name")));
	CHECK(json_is_null(http_json(&r, "territory")));
	CHECK_STR(json_str(r.json, "invoice_series"), "F");
	CHECK(json_is_true(http_json(&r, "vat_exempt")));
	CHECK_INT(int_of(r.json, "vat_percent"), 21);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/business", NULL), 403);
	CHECK_INT(api_status(&ane, "GET", "/api/v1/business", NULL), 403);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/business", NULL), 401);
	CHECK_INT(api_status(&staff, "PUT", "/api/v1/business", "{}"), 403);

	/* Every bad field named at once; nothing changes. */
	api_call(&admin, "PUT", "/api/v1/business",
		 "{\"legal_name\":\"X\",\"nif\":\"12345678A\",\"address\":\"a\","
		 "\"postcode\":\"2001\",\"city\":\"c\",\"territory\":\"navarra\","
		 "\"invoice_series\":\"a/b\",\"vat_percent\":101,\"colour\":1}",
		 &r);
	CHECK_INT(r.status, 422);
	static const char *const fields[] = {
		"nif", "postcode", "territory", "invoice_series", "vat_percent", "colour"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		CHECK(http_error_field(&r, fields[i]) != NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/business", "{\"legal_name\":\"X\"}"), 422);
	api_call(&admin, "PUT", "/api/v1/business",
		 "{\"legal_name\":\"X\",\"nif\":\"12345678Z\",\"address\":\"a\","
		 "\"postcode\":\"20001\",\"city\":\"c\",\"territory\":\"araba\","
		 "\"vat_exempt\":false,\"vat_percent\":0}",
		 &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "vat_percent") != NULL);
	CHECK(http_error_field(&r, "nif") == NULL);
	http_response_free(&r);
	api_call(&admin, "GET", "/api/v1/business", NULL, &r);
	CHECK(json_is_null(http_json(&r, "legal_name")));
	http_response_free(&r);
}

/* Before /business is set: series F, pending, exempt, simplified. */
static void test_first_invoice(void)
{
	char body[128];
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\"}",
		 (long long)service);
	json_int_t k = post_id(&ane, "/api/v1/me/contracts", body, 201);
	json_t *mine = all_invoices(&ane, "/api/v1/me/invoices");
	CHECK_INT(json_array_size(mine), 1);
	json_t *inv = invoice_of_contract(mine, k, false);
	CHECK(inv != NULL);
	if (inv) {
		CHECK_STR(json_str(inv, "series"), "F");
		CHECK_INT(int_of(inv, "number"), 1);
		CHECK_STR(json_str(inv, "kind"), "simplified");
		CHECK_INT(int_of(inv, "client_id"), ane_client);
		CHECK(json_is_null(json_object_get(inv, "rectifies")));
		CHECK_INT(int_of(inv, "total_cents"), 3000);
		CHECK_INT(int_of(inv, "base_cents"), 3000);
		CHECK_INT(int_of(inv, "vat_cents"), 0);
		CHECK_INT(int_of(inv, "vat_percent"), 0);
		CHECK_INT(int_of(inv, "paid_cents"), 0);
		CHECK_STR(json_str(inv, "status"), "unpaid");
		json_t *tbai = json_object_get(inv, "tbai");
		CHECK_STR(json_str(tbai, "status"), "pending");
		CHECK(json_is_null(json_object_get(tbai, "id")));
		CHECK(json_is_null(json_object_get(tbai, "qr_url")));
		CHECK(json_is_null(json_object_get(tbai, "error")));
		json_t *lines = json_object_get(inv, "lines");
		CHECK_INT(json_array_size(lines), 2);
		json_t *line = json_array_get(lines, 0);
		CHECK_STR(json_str(line, "description"), "Matematika <banakakoa>");
		CHECK_INT(int_of(line, "quantity"), 1);
		CHECK_INT(int_of(line, "unit_price_cents"), 3000);
		CHECK_INT(int_of(line, "discount_cents"), 0);
		CHECK_INT(int_of(line, "amount_cents"), 3000);
		json_t *gift = json_array_get(lines, 1);
		CHECK_INT(int_of(gift, "amount_cents"), 0);
		CHECK_INT(int_of(gift, "unit_price_cents"), 0);
		char at[HM_RFC3339_LEN];
		int64_t t = 0;
		CHECK(hm_time_parse(json_str(inv, "issued_at"), &t));
		hm_time_format(t, at);
		CHECK_STR(json_str(inv, "issued_at"), at);
	}
	json_decref(mine);
}

/* A tax id and a billing address make it full; VAT included in the price. */
static void test_full_and_taxed(void)
{
	char path[64];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)bea_client);
	api_call(&staff, "PATCH", path, "{\"tax_id\":\"12345678A\",\"billing_address\":\"a\\nb\"}",
		 &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "tax_id") != NULL);
	CHECK(http_error_field(&r, "billing_address") != NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&bea, "PATCH", "/api/v1/me/client", "{\"tax_id\":\"12345678Z\"}"),
		  422);
	api_call(
		&staff, "PATCH", path,
		"{\"tax_id\":\"x-1234567-l\",\"billing_address\":\"Kale Txiki 2, 20002 Donostia\"}",
		&r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "tax_id"), "X1234567L");
	CHECK_STR(json_str(r.json, "billing_address"), "Kale Txiki 2, 20002 Donostia");
	http_response_free(&r);

	put_business("A", false, 21);
	json_int_t k = staff_contract(bea_client, "subscription", 8);
	json_t *all = all_invoices(&staff, "/api/v1/invoices");
	json_t *inv = invoice_of_contract(all, k, false);
	CHECK(inv != NULL);
	if (inv) {
		CHECK_STR(json_str(inv, "series"), "A");
		CHECK_INT(int_of(inv, "number"), 1);
		CHECK_STR(json_str(inv, "kind"), "full");
		CHECK_INT(int_of(inv, "total_cents"), 24000);
		CHECK_INT(int_of(inv, "vat_percent"), 21);
		/* 240.00 / 1.21 = 198.347... -> 198.35; VAT 41.65. */
		CHECK_INT(int_of(inv, "base_cents"), 19835);
		CHECK_INT(int_of(inv, "vat_cents"), 4165);
		CHECK_INT(int_of(json_array_get(json_object_get(inv, "lines"), 0), "quantity"), 8);
	}
	json_decref(all);
	/* Cleared again: simplified. */
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"tax_id\":null}"), 200);
	k = staff_contract(bea_client, "one_off", 1);
	all = all_invoices(&staff, "/api/v1/invoices");
	inv = invoice_of_contract(all, k, false);
	CHECK(inv && strcmp(json_str(inv, "kind"), "simplified") == 0);
	CHECK(inv && int_of(inv, "number") == 2);
	json_decref(all);
	put_business("A", true, 21);
}

static void test_rectifying(void)
{
	struct http_response r;
	char path[80];
	/* A subscription of 4, none used, cancelled: all 4 refunded. */
	json_int_t k = staff_contract(ane_client, "subscription", 4);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)k);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	json_t *all = all_invoices(&staff, "/api/v1/invoices");
	json_t *orig = invoice_of_contract(all, k, false);
	json_t *rect = invoice_of_contract(all, k, true);
	CHECK(orig && rect);
	if (orig && rect) {
		CHECK_STR(json_str(rect, "series"), "AR");
		CHECK_INT(int_of(rect, "number"), 1);
		CHECK_INT(int_of(rect, "rectifies"), int_of(orig, "id"));
		CHECK_INT(int_of(rect, "total_cents"), -int_of(orig, "total_cents"));
		CHECK_INT(int_of(rect, "total_cents"), -12000);
		CHECK_INT(int_of(rect, "base_cents"), -12000);
		json_t *line = json_array_get(json_object_get(rect, "lines"), 0);
		CHECK_INT(int_of(line, "quantity"), -4);
		CHECK_INT(int_of(line, "amount_cents"), -12000);
		CHECK_INT(int_of(rect, "client_id"), ane_client);
	}
	json_decref(all);
	/* Cancelled twice: 409, and no second rectifying invoice. */
	CHECK_INT(api_status(&staff, "POST", path, NULL), 409);

	/* A lesson booked without a contract makes a one-off; cancelling the lesson
	 * cancels it and rectifies its invoice in the same series. */
	int64_t today;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	char at[HM_RFC3339_LEN], body[256];
	hm_time_format(hm_local_instant(today + 3, 10 * 60), at);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service, (long long)tutor, at);
	api_call(&ane, "POST", "/api/v1/lessons", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t lesson = int_of(r.json, "id"), lk = int_of(r.json, "contract_id");
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)lesson);
	CHECK_INT(api_status(&ane, "POST", path, NULL), 200);
	all = all_invoices(&ane, "/api/v1/me/invoices");
	orig = invoice_of_contract(all, lk, false);
	rect = invoice_of_contract(all, lk, true);
	CHECK(orig && rect);
	if (orig && rect) {
		CHECK_STR(json_str(orig, "series"), "A");
		CHECK_STR(json_str(rect, "series"), "AR");
		CHECK_INT(int_of(rect, "number"), 2);
		CHECK_INT(int_of(rect, "total_cents"), -int_of(orig, "total_cents"));
		CHECK(int_of(rect, "total_cents") < 0);
	}
	json_decref(all);
	/* A student's list holds only its own invoices. */
	all = all_invoices(&bea, "/api/v1/me/invoices");
	size_t i;
	json_t *inv;
	json_array_foreach(all, i, inv) CHECK_INT(int_of(inv, "client_id"), bea_client);
	CHECK(json_array_size(all) >= 2);
	json_decref(all);
}

/* ---- numbering under concurrent contracts ---------------------------------- */

static void *racer(void *arg)
{
	(void)arg;
	struct api_client c;
	api_client_init(&c, server.port);
	if (api_login(&c, "mikel@inv.test", PASSWORD) != 200)
		return NULL;
	char body[256];
	for (int i = 0; i < PER_THREAD; i++) {
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\","
			 "\"sessions\":1,\"channel\":\"email\"}",
			 (long long)(i % 2 ? ane_client : bea_client), (long long)service);
		api_status(&c, "POST", "/api/v1/contracts", body);
	}
	return NULL;
}

/* Every series numbered 1..n without gap or repeat. */
static void check_series(json_t *all)
{
	const char *names[8] = {0};
	size_t counts[8] = {0};
	json_int_t sums[8] = {0}, maxes[8] = {0};
	size_t i, n = 0;
	json_t *inv;
	json_array_foreach(all, i, inv)
	{
		const char *s = json_str(inv, "series");
		size_t k = 0;
		while (k < n && strcmp(names[k], s) != 0)
			k++;
		if (k == n && n < 8)
			names[n++] = s;
		if (k >= 8)
			continue;
		json_int_t number = int_of(inv, "number");
		counts[k]++;
		sums[k] += number;
		if (number > maxes[k])
			maxes[k] = number;
	}
	for (size_t k = 0; k < n; k++) {
		/* n distinct positive numbers (the database's UNIQUE) summing to 1 + ... +
		 * n, with max n: exactly 1..n. */
		CHECK_INT(maxes[k], (json_int_t)counts[k]);
		CHECK_INT(sums[k], (json_int_t)(counts[k] * (counts[k] + 1) / 2));
	}
}

static void test_concurrent_numbering(void)
{
	json_t *before = all_invoices(&staff, "/api/v1/invoices");
	pthread_t threads[N_THREADS];
	for (int t = 0; t < N_THREADS; t++)
		CHECK_INT(pthread_create(&threads[t], NULL, racer, NULL), 0);
	for (int t = 0; t < N_THREADS; t++)
		pthread_join(threads[t], NULL);
	json_t *after = all_invoices(&staff, "/api/v1/invoices");
	CHECK_INT(json_array_size(after) - json_array_size(before), N_THREADS * PER_THREAD);
	check_series(after);
	/* Every contract has exactly one invoice of its own. */
	struct http_response r;
	json_t *contracts = json_array();
	json_int_t after_id = 0;
	do {
		char url[96];
		snprintf(url, sizeof url, "/api/v1/contracts?limit=200&after=%lld",
			 (long long)after_id);
		api_call(&staff, "GET", url, NULL, &r);
		json_array_extend(contracts, http_json(&r, "items"));
		json_t *next = http_json(&r, "next_after");
		after_id = json_is_integer(next) ? json_integer_value(next) : 0;
		http_response_free(&r);
	} while (after_id);
	size_t i;
	json_t *k;
	json_array_foreach(contracts, i, k)
		CHECK(invoice_of_contract(after, int_of(k, "id"), false));
	json_decref(contracts);
	json_decref(before);
	json_decref(after);
}

/* ---- access, files, pages ------------------------------------------------------ */

static void test_access_and_xml(void)
{
	json_t *mine = all_invoices(&ane, "/api/v1/me/invoices");
	json_int_t id = int_of(json_array_get(mine, 0), "id");
	json_decref(mine);
	int status = 0;
	json_t *inv = get_invoice(&ane, id, &status);
	CHECK_INT(status, 200);
	json_decref(inv);
	inv = get_invoice(&staff, id, &status);
	CHECK_INT(status, 200);
	json_decref(inv);
	inv = get_invoice(&admin, id, &status);
	CHECK_INT(status, 200);
	json_decref(inv);
	CHECK(get_invoice(&bea, id, &status) == NULL);
	CHECK_INT(status, 404);
	CHECK(get_invoice(&anon, id, &status) == NULL);
	CHECK_INT(status, 401);
	CHECK(get_invoice(&ane, 999999, &status) == NULL);
	CHECK_INT(status, 404);

	char path[96];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/ticketbai.xml", (long long)id);
	api_call(&ane, "GET", path, NULL, &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	CHECK_INT(api_status(&bea, "GET", path, NULL), 404);
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/print", (long long)id);
	CHECK_INT(api_status(&bea, "GET", path, NULL), 404);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);

	/* Lists: staff only, filters checked. */
	CHECK_INT(api_status(&ane, "GET", "/api/v1/invoices", NULL), 403);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/invoices", NULL), 403);
	api_call(&staff, "GET", "/api/v1/invoices?from=2026-13-01&to=x&client_id=0", NULL, &r);
	CHECK_INT(r.status, 422);
	http_response_free(&r);
	char url[160];
	snprintf(url, sizeof url, "/api/v1/invoices?client_id=%lld", (long long)bea_client);
	json_t *beas = all_invoices(&staff, url);
	size_t i;
	json_array_foreach(beas, i, inv) CHECK_INT(int_of(inv, "client_id"), bea_client);
	CHECK(json_array_size(beas) > 0);
	json_decref(beas);
	json_t *none = all_invoices(&staff, "/api/v1/invoices?from=2000-01-01&to=2000-12-31");
	CHECK_INT(json_array_size(none), 0);
	json_decref(none);
	json_t *all = all_invoices(&staff, "/api/v1/invoices?from=2000-01-01&to=2100-12-31");
	CHECK(json_array_size(all) > 0);
	json_decref(all);
}

static void test_print(void)
{
	json_t *mine = all_invoices(&ane, "/api/v1/me/invoices");
	json_int_t id = int_of(json_array_get(mine, 0), "id");
	json_decref(mine);
	static const struct {
		const char *locale, *lang, *title, *pending;
	} pages[] = {
		{"eu", "lang=\"eu\"", "Faktura erraztua", "sinatzeko zain"},
		{"es", "lang=\"es\"", "Factura simplificada", "pendiente de firma"},
		{"en", "lang=\"en\"", "Simplified invoice", "waiting to be signed"},
	};
	char path[96], body[64], buf[256];
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/print", (long long)id);
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		snprintf(body, sizeof body, "{\"locale\":\"%s\"}", pages[i].locale);
		CHECK_INT(api_status(&ane, "PATCH", "/api/v1/me/client", body), 200);
		struct http_response r;
		api_call(i % 2 ? &staff : &ane, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		const char *type = http_header(&r, "Content-Type", buf, sizeof buf);
		CHECK(type && strncmp(type, "text/html", 9) == 0);
		const char *body_text = r.body ? r.body : "";
		CHECK(strstr(body_text, pages[i].lang) != NULL);
		CHECK(strstr(body_text, pages[i].title) != NULL);
		CHECK(strstr(body_text, pages[i].pending) != NULL);
		CHECK(strstr(body_text, "F-1") != NULL);
		CHECK(strstr(body_text, "<svg") == NULL);
		/* The client's name and the service's, escaped. */
		CHECK(strstr(body_text, "Ane &lt;b&gt;Etxeberria&lt;/b&gt;") != NULL);
		CHECK(strstr(body_text, "Matematika &lt;banakakoa&gt;") != NULL);
		CHECK(strstr(body_text, "<b>") == NULL);
		CHECK(strstr(body_text, "PROBA Akademia S.L.") != NULL);
		CHECK(strstr(body_text, "B12345674") != NULL);
		CHECK(strstr(body_text, "E1") != NULL);
		const char *cache = http_header(&r, "Cache-Control", buf, sizeof buf);
		CHECK(cache && strstr(cache, "no-store") != NULL);
		http_response_free(&r);
	}
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, NULL))
		return 1;
	if (!ts_add_user(&server, "admin", "nerea@inv.test", "Nerea Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "mikel@inv.test", "Mikel Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(test_setup);
	RUN(test_business);
	RUN(test_first_invoice);
	RUN(test_full_and_taxed);
	RUN(test_rectifying);
	RUN(test_concurrent_numbering);
	RUN(test_access_and_xml);
	RUN(test_print);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
