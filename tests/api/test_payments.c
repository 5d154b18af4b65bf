// SPDX-License-Identifier: MIT
// Payments, balances and mandates against the real server (API.md, "Payments and
// SEPA direct debits"): a payment settles one invoice or the oldest unpaid ones
// first, never more than is due (422, nothing written), the invoices' paid_cents
// and status follow; racing payments for one invoice pay it once; balances with
// an overdue invoice (written straight into the database 40 days old); mandates
// with a checked IBAN, masked in every answer, never in the audit rows nor in the
// server's log; who may do what (student 403, anonymous 401, unknown ids 404).
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/timefmt.h"

static struct test_server server;

#define PASSWORD "pasahitz-luze-bat-2026"
#define IBAN "ES9121000418450200051332"
#define N_RACERS 6

static struct api_client admin, staff, anon, ane, bea;
static json_int_t ane_client, bea_client, tutor, service;
static json_int_t ane_inv[3], ane_total[3], bea_inv, bea_total;

static json_int_t post_id(struct api_client *c, const char *path, const char *body, int status)
{
	struct http_response r;
	api_call(c, "POST", path, body, &r);
	CHECK_INT(r.status, status);
	if (r.status != status)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	json_int_t id = r.status == status ? json_int(r.json, "id") : 0;
	http_response_free(&r);
	return id;
}

static json_t *invoice(json_int_t id)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/invoices/%lld", (long long)id);
	struct http_response r;
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *out = json_incref(r.json);
	http_response_free(&r);
	return out;
}

static void check_invoice(json_int_t id, json_int_t paid, const char *status)
{
	json_t *inv = invoice(id);
	CHECK_INT(json_int(inv, "paid_cents"), paid);
	CHECK_STR(json_str(inv, "status"), status);
	json_decref(inv);
}

static json_t *balance(struct api_client *c, const char *path)
{
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *out = json_incref(r.json);
	http_response_free(&r);
	return out;
}

static int pay(struct api_client *c, json_int_t client, json_int_t inv, const char *method,
	       json_int_t amount, json_t **out)
{
	char body[256];
	if (inv)
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"invoice_id\":%lld,\"method\":\"%s\","
			 "\"amount_cents\":%lld}",
			 (long long)client, (long long)inv, method, (long long)amount);
	else
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"method\":\"%s\",\"amount_cents\":%lld}",
			 (long long)client, method, (long long)amount);
	struct http_response r;
	api_call(c, "POST", "/api/v1/payments", body, &r);
	int status = r.status;
	if (out)
		*out = r.json ? json_incref(r.json) : NULL;
	http_response_free(&r);
	return status;
}

static void test_setup(void)
{
	api_client_init(&admin, server.port);
	api_client_init(&staff, server.port);
	api_client_init(&anon, server.port);
	api_client_init(&ane, server.port);
	api_client_init(&bea, server.port);
	CHECK_INT(api_login(&admin, "nerea@pay.test", PASSWORD), 200);
	CHECK_INT(api_login(&staff, "mikel@pay.test", PASSWORD), 200);
	CHECK_INT(api_register(&ane, "ane@pay.test", PASSWORD, "Ane Etxeberria"), 201);
	CHECK_INT(api_register(&bea, "bea@pay.test", PASSWORD, "Bea Goñi"), 201);
	ane_client = api_me_client_id(&ane);
	bea_client = api_me_client_id(&bea);
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor = json_int(http_json(&r, "user"), "id");
	http_response_free(&r);
	CHECK(api_make_tutor(&staff, tutor, "maths", NULL, 0, "08:00", "22:00"));
	service = post_id(&staff, "/api/v1/services",
			  "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
			  "\"duration_min\":60,\"price_cents\":3000,\"capacity\":1}",
			  201);
	for (int i = 0; i < 3; i++)
		CHECK_INT(api_contract_one_off(&staff, ane_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, bea_client, service), 201);
	json_t *items = api_invoices_of(&staff, ane_client);
	CHECK_INT(json_array_size(items), 3);
	for (size_t i = 0; i < 3 && i < json_array_size(items); i++) {
		ane_inv[i] = json_int(json_array_get(items, i), "id");
		ane_total[i] = json_int(json_array_get(items, i), "total_cents");
		CHECK(ane_total[i] > 1000);
	}
	json_decref(items);
	items = api_invoices_of(&staff, bea_client);
	CHECK_INT(json_array_size(items), 1);
	bea_inv = json_int(json_array_get(items, 0), "id");
	bea_total = json_int(json_array_get(items, 0), "total_cents");
	json_decref(items);
}

static void test_payment_checks(void)
{
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/payments", "{\"paid_at\":\"tomorrow\",\"x\":1}", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "client_id") != NULL);
	CHECK(http_error_field(&r, "method") != NULL);
	CHECK(http_error_field(&r, "amount_cents") != NULL);
	CHECK(http_error_field(&r, "paid_at") != NULL);
	CHECK(http_error_field(&r, "x") != NULL);
	http_response_free(&r);
	CHECK_INT(pay(&staff, ane_client, 0, "bitcoin", 100, NULL), 422);
	CHECK_INT(pay(&staff, ane_client, 0, "cash", 0, NULL), 422);
	CHECK_INT(pay(&staff, ane_client, 0, "cash", -5, NULL), 422);
	api_call(&staff, "POST", "/api/v1/payments",
		 "{\"client_id\":1,\"method\":\"cash\",\"amount_cents\":1,"
		 "\"paid_at\":\"2999-01-01T00:00:00Z\"}",
		 &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "paid_at") != NULL);
	http_response_free(&r);
	/* Roles; unknown client; another client's invoice. */
	CHECK_INT(pay(&ane, ane_client, 0, "cash", 100, NULL), 403);
	CHECK_INT(pay(&anon, ane_client, 0, "cash", 100, NULL), 401);
	CHECK_INT(pay(&staff, 999999, 0, "cash", 100, NULL), 404);
	CHECK_INT(pay(&staff, ane_client, bea_inv, "cash", 100, NULL), 404);
	CHECK_INT(pay(&staff, ane_client, 999999, "cash", 100, NULL), 404);
	/* Nothing was written. */
	check_invoice(ane_inv[0], 0, "unpaid");
	check_invoice(bea_inv, 0, "unpaid");
}

static void test_oldest_first(void)
{
	json_t *p = NULL;
	json_int_t amount = ane_total[0] + 500;
	CHECK_INT(pay(&staff, ane_client, 0, "cash", amount, &p), 201);
	CHECK_INT(json_int(p, "amount_cents"), amount);
	CHECK_STR(json_str(p, "method"), "cash");
	json_t *alloc = json_object_get(p, "allocations");
	CHECK_INT(json_array_size(alloc), 2);
	CHECK_INT(json_int(json_array_get(alloc, 0), "invoice_id"), ane_inv[0]);
	CHECK_INT(json_int(json_array_get(alloc, 0), "amount_cents"), ane_total[0]);
	CHECK_INT(json_int(json_array_get(alloc, 1), "invoice_id"), ane_inv[1]);
	CHECK_INT(json_int(json_array_get(alloc, 1), "amount_cents"), 500);
	json_decref(p);
	check_invoice(ane_inv[0], ane_total[0], "paid");
	check_invoice(ane_inv[1], 500, "partly_paid");
	check_invoice(ane_inv[2], 0, "unpaid");

	/* More than is due, in all or on one invoice: 422, nothing changes. */
	json_int_t due = ane_total[1] - 500 + ane_total[2];
	struct http_response r;
	char body[160];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"method\":\"card\",\"amount_cents\":%lld}",
		 (long long)ane_client, (long long)(due + 1));
	api_call(&staff, "POST", "/api/v1/payments", body, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "amount_cents") != NULL);
	http_response_free(&r);
	CHECK_INT(pay(&staff, ane_client, ane_inv[2], "card", ane_total[2] + 1, NULL), 422);
	CHECK_INT(pay(&staff, ane_client, ane_inv[0], "card", 1, NULL), 422); /* paid already */
	check_invoice(ane_inv[1], 500, "partly_paid");
	check_invoice(ane_inv[2], 0, "unpaid");

	/* One invoice named: only it. */
	CHECK_INT(pay(&admin, ane_client, ane_inv[2], "transfer", ane_total[2], NULL), 201);
	check_invoice(ane_inv[1], 500, "partly_paid");
	check_invoice(ane_inv[2], ane_total[2], "paid");

	/* The balance, for staff and for the student. */
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/balance", (long long)ane_client);
	json_t *b = balance(&staff, path);
	json_int_t invoiced = ane_total[0] + ane_total[1] + ane_total[2];
	json_int_t paid = ane_total[0] + 500 + ane_total[2];
	CHECK_INT(json_int(b, "invoiced_cents"), invoiced);
	CHECK_INT(json_int(b, "paid_cents"), paid);
	CHECK_INT(json_int(b, "due_cents"), invoiced - paid);
	CHECK_INT(json_array_size(json_object_get(b, "overdue")), 0);
	json_t *mine = balance(&ane, "/api/v1/me/balance");
	CHECK(json_equal(b, mine));
	json_decref(b);
	json_decref(mine);
	CHECK_INT(api_status(&ane, "GET", path, NULL), 403);
	CHECK_INT(api_status(&anon, "GET", "/api/v1/me/balance", NULL), 401);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/clients/999999/balance", NULL), 404);

	/* The list. */
	snprintf(path, sizeof path, "/api/v1/payments?client_id=%lld", (long long)ane_client);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/payments?client_id=x", NULL), 422);
	CHECK_INT(api_status(&ane, "GET", path, NULL), 403);
}

struct racer {
	struct api_client c;
	int status;
};

static void *race_one(void *arg)
{
	struct racer *r = arg;
	r->status = pay(&r->c, bea_client, bea_inv, "cash", bea_total, NULL);
	return NULL;
}

static void test_race(void)
{
	struct racer racers[N_RACERS];
	pthread_t threads[N_RACERS];
	for (int i = 0; i < N_RACERS; i++) {
		api_client_init(&racers[i].c, server.port);
		CHECK_INT(api_login(&racers[i].c, "mikel@pay.test", PASSWORD), 200);
	}
	for (int i = 0; i < N_RACERS; i++)
		pthread_create(&threads[i], NULL, race_one, &racers[i]);
	int created = 0, refused = 0;
	for (int i = 0; i < N_RACERS; i++) {
		pthread_join(threads[i], NULL);
		created += racers[i].status == 201;
		refused += racers[i].status == 422;
	}
	CHECK_INT(created, 1);
	CHECK_INT(refused, N_RACERS - 1);
	check_invoice(bea_inv, bea_total, "paid");
}

/* An invoice of bea issued 40 days ago, written straight into the database. */
static json_int_t old_invoice(void)
{
	sqlite3 *h = NULL;
	json_int_t id = 0;
	char sql[512];
	int64_t at = hm_time_now() - 40 * 86400;
	snprintf(sql, sizeof sql,
		 "INSERT INTO invoices (series, number, issued_at, issued_on, kind, client_id,"
		 " customer_name, lines, base_cents, vat_percent, vat_cents, total_cents)"
		 " VALUES ('OLD', 1, %lld, '2026-01-01', 'simplified', %lld, 'Bea', '[]',"
		 " 2500, 0, 0, 2500)",
		 (long long)at, (long long)bea_client);
	CHECK(sqlite3_open(server.db, &h) == SQLITE_OK);
	sqlite3_busy_timeout(h, 10000);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	id = sqlite3_last_insert_rowid(h);
	/* The database itself refuses an overpaid or mislabelled invoice. */
	CHECK(sqlite3_exec(h,
			   "UPDATE invoices SET paid_cents = total_cents + 1, status = 'paid'"
			   " WHERE series = 'OLD'",
			   NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(h, "UPDATE invoices SET paid_cents = 10 WHERE series = 'OLD'", NULL,
			   NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(h,
			   "UPDATE invoices SET paid_cents = -1, status = 'partly_paid'"
			   " WHERE series = 'OLD'",
			   NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(h);
	return id;
}

static void test_overdue(void)
{
	json_int_t old = old_invoice();
	CHECK(old > 0);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/balance", (long long)bea_client);
	json_t *b = balance(&staff, path);
	CHECK_INT(json_array_size(json_object_get(b, "overdue")), 1);
	CHECK_INT(json_integer_value(json_array_get(json_object_get(b, "overdue"), 0)), old);
	CHECK_INT(json_int(b, "due_cents"), 2500);
	json_decref(b);
	/* Paid in part: still overdue; paid: not. */
	CHECK_INT(pay(&staff, bea_client, 0, "cash", 1000, NULL), 201);
	b = balance(&bea, "/api/v1/me/balance");
	CHECK_INT(json_array_size(json_object_get(b, "overdue")), 1);
	json_decref(b);
	CHECK_INT(pay(&staff, bea_client, 0, "cash", 1500, NULL), 201);
	b = balance(&bea, "/api/v1/me/balance");
	CHECK_INT(json_array_size(json_object_get(b, "overdue")), 0);
	CHECK_INT(json_int(b, "due_cents"), 0);
	json_decref(b);
}

static void test_mandates(void)
{
	char path[96], body[256];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)ane_client);
	/* A changed digit: 422, and the answer does not repeat it. */
	api_call(&staff, "POST", path,
		 "{\"iban\":\"ES9121000418450200051333\",\"holder_name\":\"Ane\","
		 "\"signed_on\":\"2026-01-15\"}",
		 &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "iban") != NULL);
	CHECK(r.body && strstr(r.body, "0418450200051333") == NULL);
	http_response_free(&r);
	api_call(&staff, "POST", path, "{\"iban\":\"ES91\",\"signed_on\":\"2999-01-01\"}", &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "holder_name") != NULL);
	CHECK(http_error_field(&r, "signed_on") != NULL);
	http_response_free(&r);

	snprintf(body, sizeof body,
		 "{\"iban\":\"es91 2100 0418 4502 0005 1332\",\"holder_name\":\"Ane Etxeberria\","
		 "\"signed_on\":\"2026-01-15\"}");
	CHECK_INT(api_status(&ane, "POST", path, body), 403);
	CHECK_INT(api_status(&anon, "POST", path, body), 401);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/clients/999999/mandates", body), 404);
	api_call(&staff, "POST", path, body, &r);
	CHECK_INT(r.status, 201);
	json_int_t mandate = json_int(r.json, "id");
	CHECK_STR(json_str(r.json, "iban_masked"), "ES91 **** **** **** **** 1332");
	CHECK_STR(json_str(r.json, "status"), "active");
	CHECK_STR(json_str(r.json, "signed_on"), "2026-01-15");
	CHECK_STR(json_str(r.json, "holder_name"), "Ane Etxeberria");
	const char *ref = json_str(r.json, "reference");
	CHECK(ref && strlen(ref) >= 1 && strlen(ref) <= 35);
	CHECK(r.body && strstr(r.body, "0418") == NULL);
	http_response_free(&r);
	/* One active mandate per client. */
	CHECK_INT(api_status(&staff, "POST", path, body), 409);
	/* Another client's mandate gets another reference. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)bea_client);
	api_call(&admin, "POST", path,
		 "{\"iban\":\"GB82WEST12345698765432\",\"holder_name\":\"Bea Goñi\","
		 "\"signed_on\":\"2026-02-01\"}",
		 &r);
	CHECK_INT(r.status, 201);
	CHECK_STR(json_str(r.json, "iban_masked"), "GB82 **** **** **** **54 32");
	http_response_free(&r);

	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)ane_client);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 1);
	CHECK(r.body && strstr(r.body, "0418") == NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&ane, "GET", path, NULL), 403);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/clients/999999/mandates", NULL), 404);

	snprintf(path, sizeof path, "/api/v1/mandates/%lld/revoke", (long long)mandate);
	CHECK_INT(api_status(&ane, "POST", path, NULL), 403);
	api_call(&staff, "POST", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "status"), "revoked");
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 409);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/mandates/999999/revoke", NULL), 404);
	/* Revoked: a new one may be signed. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)ane_client);
	CHECK_INT(api_status(&staff, "POST", path, body), 201);

	/* The admin's export holds the full IBAN; staff may not export. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld/export", (long long)ane_client);
	api_call(&admin, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body && strstr(r.body, IBAN) != NULL);
	CHECK_INT(json_array_size(http_json(&r, "mandates")), 2);
	CHECK_INT(json_array_size(http_json(&r, "payments")), 2);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", path, NULL), 403);

	/* The audit rows never hold the IBAN. */
	api_call(&admin, "GET", "/api/v1/audit?limit=200", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body && strstr(r.body, "mandate.create") != NULL);
	CHECK(r.body && strstr(r.body, "0418") == NULL && strstr(r.body, "WEST1234") == NULL);
	http_response_free(&r);
}

/* The server's log (its standard error: access log and errors) never holds an IBAN. */
static void test_log_clean(void)
{
	FILE *f = fopen(server.log, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	char line[4096];
	size_t lines = 0;
	while (fgets(line, sizeof line, f)) {
		lines++;
		CHECK(strstr(line, "21000418") == NULL);
		CHECK(strstr(line, "0418 4502") == NULL);
		CHECK(strstr(line, "WEST1234") == NULL);
	}
	fclose(f);
	CHECK(lines > 0);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, NULL))
		return 1;
	if (!ts_add_user(&server, "admin", "nerea@pay.test", "Nerea Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "mikel@pay.test", "Mikel Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(test_setup);
	RUN(test_payment_checks);
	RUN(test_oldest_first);
	RUN(test_race);
	RUN(test_overdue);
	RUN(test_mandates);
	RUN(test_log_clean);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
