// SPDX-License-Identifier: MIT
// The e-mails and the last rules of payments against the real server (API.md,
// "Payments and SEPA direct debits"; issue 15, items 4-5): a receipt for each
// payment (desk and direct debit), the pre-notification of a direct-debit run to
// each mandate holder (amount, collection date, mandate reference, creditor
// identifier), the one reminder of an overdue invoice (found by the sender's
// sweep after a restart, never twice: the database refuses a second), each in the
// client's language, read back from the outbox rows; a desk payment on an invoice
// an open run holds is 409 in_direct_debit (the database refuses it too); the
// erasure of a client replaces its mandate's IBAN, which the database allows only
// then. The accountant's book of a quarter (invoices, payments) in both CSV
// dialects, read back by Python's csv module (tests/api/check_book.py) with its
// sums checked against the API; the monthly figures of the admin's chart.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/sepa.h"
#include "harreman/timefmt.h"

static struct test_server server;

#define PASSWORD "pasahitz-luze-bat-2026"
#define IBAN_BEA "ES9121000418450200051332"

static struct api_client admin, staff, ane, bea, cid;
static json_int_t ane_client, bea_client, cid_client, service;
static char good_date[16];

/* Runs one statement on the server's database; true when it succeeded. */
static bool db_exec(const char *sql)
{
	sqlite3 *h = NULL;
	bool ok = sqlite3_open(server.db, &h) == SQLITE_OK;
	if (ok) {
		sqlite3_busy_timeout(h, 10000);
		sqlite3_exec(h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
		ok = sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_close(h);
	return ok;
}

static long long db_count(const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *stmt = NULL;
	long long n = -1;
	if (sqlite3_open(server.db, &h) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(h);
	return n;
}

/* The outbox rows of kind whose key is id and, unless 0, whose client is client
 * (caller frees; an array). */
static json_t *client_rows(const char *kind, const char *key, json_int_t id, json_int_t client)
{
	json_t *found = json_array();
	json_int_t after = 0;
	for (;;) {
		char path[128];
		snprintf(path, sizeof path, "/api/v1/outbox?limit=200&after=%lld",
			 (long long)after);
		struct http_response r;
		api_call(&admin, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		size_t i;
		json_t *item;
		json_array_foreach(http_json(&r, "items"), i, item)
		{
			if (strcmp(json_str(item, "kind"), kind) == 0 &&
			    json_int(item, key) == id &&
			    (!client || json_int(item, "client_id") == client))
				json_array_append(found, item);
		}
		after = json_int(r.json, "next_after");
		http_response_free(&r);
		if (!after)
			break;
	}
	return found;
}

static json_t *outbox_rows(const char *kind, const char *key, json_int_t id)
{
	return client_rows(kind, key, id, 0);
}

/* The one message of kind for id (and client, unless 0), with its body (caller
 * frees), or NULL. */
static json_t *client_message(const char *kind, const char *key, json_int_t id, json_int_t client)
{
	json_t *rows = client_rows(kind, key, id, client);
	CHECK_INT(json_array_size(rows), 1);
	json_t *out = NULL;
	if (json_array_size(rows) == 1) {
		char path[80];
		snprintf(path, sizeof path, "/api/v1/outbox/%lld",
			 (long long)json_int(json_array_get(rows, 0), "id"));
		struct http_response r;
		api_call(&admin, "GET", path, NULL, &r);
		CHECK_INT(r.status, 200);
		out = json_incref(r.json);
		http_response_free(&r);
	}
	json_decref(rows);
	return out;
}

static json_t *message(const char *kind, const char *key, json_int_t id)
{
	return client_message(kind, key, id, 0);
}

static int pay(json_int_t client, json_int_t inv, json_int_t amount, json_t **out)
{
	char body[256];
	if (inv)
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"invoice_id\":%lld,\"method\":\"cash\","
			 "\"amount_cents\":%lld}",
			 (long long)client, (long long)inv, (long long)amount);
	else
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"method\":\"card\",\"amount_cents\":%lld}",
			 (long long)client, (long long)amount);
	struct http_response r;
	api_call(&staff, "POST", "/api/v1/payments", body, &r);
	int status = r.status;
	if (out)
		*out = r.json ? json_incref(r.json) : NULL;
	else if (status != 201)
		fprintf(stderr, "POST /payments -> %d %s\n", status, r.body ? r.body : "");
	http_response_free(&r);
	return status;
}

static void login_all(void)
{
	struct api_client *all[] = {&admin, &staff, &ane, &bea, &cid};
	for (size_t i = 0; i < 5; i++)
		api_client_init(all[i], server.port);
	CHECK_INT(api_login(&admin, "nerea@mail.test", PASSWORD), 200);
	CHECK_INT(api_login(&staff, "mikel@mail.test", PASSWORD), 200);
	if (ane_client) { /* after a restart */
		CHECK_INT(api_login(&ane, "ane@mail.test", PASSWORD), 200);
		CHECK_INT(api_login(&bea, "bea@mail.test", PASSWORD), 200);
		CHECK_INT(api_login(&cid, "cid@mail.test", PASSWORD), 200);
	}
}

static void test_setup(void)
{
	login_all();
	CHECK_INT(api_register(&ane, "ane@mail.test", PASSWORD, "Ane Etxeberria"), 201);
	CHECK_INT(api_register(&bea, "bea@mail.test", PASSWORD, "Bea Goñi"), 201);
	CHECK_INT(api_register(&cid, "cid@mail.test", PASSWORD, "Cid Smith"), 201);
	ane_client = api_me_client_id(&ane);
	bea_client = api_me_client_id(&bea);
	cid_client = api_me_client_id(&cid);
	/* Ane reads Basque (the default), Bea Spanish, Cid English. */
	CHECK_INT(api_status(&bea, "PATCH", "/api/v1/me/client", "{\"locale\":\"es\"}"), 200);
	CHECK_INT(api_status(&cid, "PATCH", "/api/v1/me/client", "{\"locale\":\"en\"}"), 200);
	service = api_maths_service(&staff);
	CHECK(service > 0);
	CHECK_INT(api_contract_one_off(&staff, ane_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, ane_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, bea_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, bea_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, cid_client, service), 201);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/business",
			     "{\"legal_name\":\"PROBA Akademia S.L.\",\"nif\":\"B12345674\","
			     "\"address\":\"Kale Nagusia 1\",\"postcode\":\"20001\","
			     "\"city\":\"Donostia\",\"territory\":\"gipuzkoa\","
			     "\"creditor_iban\":\"GB82WEST12345698765432\"}"),
		  200);
	int64_t day;
	int weekday;
	char today[16];
	hm_local_day(hm_time_now(), &day, &weekday);
	api_day_text(day, today);
	for (int64_t d = day + 1; d < day + 15; d++) {
		api_day_text(d, good_date);
		if (hm_collection_date_ok(today, good_date, 2))
			break;
	}
}

/* A desk payment over two invoices: one receipt, in Basque, naming both. */
static void test_receipt(void)
{
	json_t *inv = api_invoices_of(&staff, ane_client), *p = NULL;
	json_int_t total0 = json_int(json_array_get(inv, 0), "total_cents");
	CHECK_INT(pay(ane_client, 0, total0 + 100, &p), 201);
	json_int_t payment = json_int(p, "id");
	json_t *m = message("payment_receipt", "payment_id", payment);
	CHECK_STR(json_str(m, "locale"), "eu");
	CHECK_STR(json_str(m, "to"), "ane@mail.test");
	CHECK_INT(json_int(m, "client_id"), ane_client);
	char amount[64];
	snprintf(amount, sizeof amount, "Ordainagiria: %lld,%02lld €",
		 (long long)(total0 + 100) / 100, (long long)(total0 + 100) % 100);
	CHECK_STR(json_str(m, "subject"), amount);
	const char *body = json_str(m, "body");
	for (size_t i = 0; i < 2; i++) {
		char line[96];
		snprintf(line, sizeof line,
			 "  - %s-%lld: ", json_str(json_array_get(inv, i), "series"),
			 (long long)json_int(json_array_get(inv, i), "number"));
		CHECK(strstr(body, line) != NULL);
	}
	CHECK(strstr(body, "1,00 €\n") != NULL); /* the second invoice: 100 cents */
	CHECK(strstr(body, "Eskerrik asko") != NULL);
	json_decref(m);
	json_decref(p);
	json_decref(inv);
}

/* A run: Bea's notice in Spanish with everything the scheme asks; a desk payment
 * on an invoice the run holds is 409; settling sends a receipt per collection. */
static void test_notice_and_held_invoice(void)
{
	char path[96], body[256];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)bea_client);
	snprintf(body, sizeof body,
		 "{\"iban\":\"%s\",\"holder_name\":\"Bea Goñi\",\"signed_on\":\"2026-01-15\"}",
		 IBAN_BEA);
	struct http_response r;
	api_call(&staff, "POST", path, body, &r);
	CHECK_INT(r.status, 201);
	char reference[64];
	snprintf(reference, sizeof reference, "%s", json_str(r.json, "reference"));
	http_response_free(&r);
	/* Cid signs one too: the run has two holders, each told of their own. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)cid_client);
	CHECK_INT(api_status(&staff, "POST", path,
			     "{\"iban\":\"ES7712341234161234567890\",\"holder_name\":\"Cid Smith\","
			     "\"signed_on\":\"2026-02-01\"}"),
		  201);
	snprintf(body, sizeof body, "{\"collection_date\":\"%s\"}", good_date);
	api_call(&admin, "POST", "/api/v1/direct-debits", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t run = json_int(r.json, "id"), total = 0, cid_total = 0;
	CHECK_INT(json_int(r.json, "count"), 3);
	size_t k;
	json_t *item;
	json_array_foreach(json_object_get(r.json, "items"), k, item)
	{
		if (json_int(item, "client_id") == bea_client)
			total += json_int(item, "amount_cents");
		else
			cid_total += json_int(item, "amount_cents");
	}
	http_response_free(&r);
	json_t *notices = outbox_rows("debit_notice", "direct_debit_id", run);
	CHECK_INT(json_array_size(notices), 2);
	json_decref(notices);
	json_t *cm = client_message("debit_notice", "direct_debit_id", run, cid_client);
	char cid_amount[64];
	snprintf(cid_amount, sizeof cid_amount, "we will collect €%lld.%02lld from",
		 (long long)cid_total / 100, (long long)cid_total % 100);
	CHECK_STR(json_str(cm, "locale"), "en");
	CHECK(strstr(json_str(cm, "body"), cid_amount) != NULL);
	json_decref(cm);

	json_t *m = client_message("debit_notice", "direct_debit_id", run, bea_client);
	CHECK_STR(json_str(m, "locale"), "es");
	CHECK_STR(json_str(m, "to"), "bea@mail.test");
	CHECK_INT(json_int(m, "client_id"), bea_client);
	const char *text = json_str(m, "body");
	char amount[64], creditor[40] = "";
	snprintf(amount, sizeof amount, "cargaremos %lld,%02lld €", (long long)total / 100,
		 (long long)total % 100);
	CHECK(strstr(text, amount) != NULL);
	CHECK(strstr(text, reference) != NULL);
	CHECK(hm_creditor_id_make("B12345674", "000", creditor));
	CHECK(strstr(text, creditor) != NULL);
	int y, mo, d;
	CHECK(sscanf(good_date, "%d-%d-%d", &y, &mo, &d) == 3);
	char day[16];
	snprintf(day, sizeof day, "El %d de ", d);
	CHECK(strstr(text, day) != NULL);
	json_decref(m);

	/* The run holds Bea's invoices: the desk cannot take them (409), spreading
	 * leaves them out (nothing else is due: 422), nothing written. */
	json_t *inv = api_invoices_of(&staff, bea_client), *p = NULL;
	json_int_t held = json_int(json_array_get(inv, 0), "id");
	json_decref(inv);
	CHECK_INT(pay(bea_client, held, 100, &p), 409);
	CHECK_STR(json_str(json_object_get(p, "error"), "code"), "in_direct_debit");
	json_decref(p);
	CHECK_INT(pay(bea_client, 0, 100, &p), 422);
	json_decref(p);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT paid_cents FROM invoices WHERE id = %lld",
		 (long long)held);
	CHECK_INT(db_count(sql), 0);
	/* The database says so too, whoever writes. */
	snprintf(
		sql, sizeof sql,
		"BEGIN; INSERT INTO payments (client_id, method, amount_cents, paid_at, created_at)"
		" VALUES (%lld, 'cash', 100, 1, 1);"
		"INSERT INTO payment_allocations (payment_id, invoice_id, amount_cents)"
		" VALUES (last_insert_rowid(), %lld, 100); COMMIT",
		(long long)bea_client, (long long)held);
	CHECK(!db_exec(sql));
	CHECK_INT(db_count("SELECT count(*) FROM payment_allocations a JOIN payments p"
			   " ON p.id = a.payment_id WHERE p.direct_debit_id IS NULL"
			   " AND a.invoice_id IN (SELECT invoice_id FROM direct_debit_items)"),
		  0);

	/* Settled: one receipt per collected invoice, in Spanish. */
	snprintf(path, sizeof path, "/api/v1/direct-debits/%lld/settle", (long long)run);
	CHECK_INT(api_status(&admin, "POST", path, "{}"), 200);
	snprintf(path, sizeof path, "/api/v1/payments?client_id=%lld", (long long)bea_client);
	api_call(&staff, "GET", path, NULL, &r);
	int receipts = 0;
	json_array_foreach(http_json(&r, "items"), k, item)
	{
		if (strcmp(json_str(item, "method"), "direct_debit") != 0)
			continue;
		json_t *rm = message("payment_receipt", "payment_id", json_int(item, "id"));
		CHECK_STR(json_str(rm, "locale"), "es");
		CHECK(strstr(json_str(rm, "subject"), "Recibo de pago") != NULL);
		json_decref(rm);
		receipts++;
	}
	http_response_free(&r);
	CHECK_INT(receipts, 2);
	/* Settled: the desk may take money again (nothing is due, so 422, not 409). */
	CHECK_INT(pay(bea_client, held, 100, &p), 422);
	json_decref(p);
}

/* An invoice of cid issued 40 days ago: the sweep (on start, then each minute)
 * queues its reminder once, in English; a restart does not queue another, and
 * the database refuses a second outright. */
static void test_overdue_reminder(void)
{
	sqlite3 *h = NULL;
	char sql[512];
	json_int_t old = 0, total = 2500;
	snprintf(sql, sizeof sql,
		 "INSERT INTO invoices (series, number, issued_at, issued_on, kind, client_id,"
		 " customer_name, lines, base_cents, vat_percent, vat_cents, total_cents)"
		 " VALUES ('OLD', 1, %lld, '2026-01-01', 'simplified', %lld, 'Cid', '[]',"
		 " %lld, 0, 0, %lld)",
		 (long long)(hm_time_now() - 40 * 86400), (long long)cid_client, (long long)total,
		 (long long)total);
	CHECK(sqlite3_open(server.db, &h) == SQLITE_OK);
	sqlite3_busy_timeout(h, 10000);
	CHECK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK);
	old = sqlite3_last_insert_rowid(h);
	sqlite3_close(h);
	char due[64];
	snprintf(due, sizeof due, "(1 January 2026) is still unpaid: €%lld.%02lld.",
		 (long long)total / 100, (long long)total % 100);
	CHECK_INT(ts_kill(&server), 9);
	CHECK(ts_restart(&server, NULL));
	login_all();
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE kind = 'invoice_overdue' AND invoice_id = %lld",
		 (long long)old);
	for (int i = 0; i < 30 && db_count(sql) < 1; i++)
		sleep(1);
	json_t *m = message("invoice_overdue", "invoice_id", old);
	CHECK_STR(json_str(m, "locale"), "en");
	CHECK_STR(json_str(m, "to"), "cid@mail.test");
	CHECK_STR(json_str(m, "subject"), "Unpaid invoice: OLD-1");
	CHECK(strstr(json_str(m, "body"), due) != NULL);
	json_decref(m);
	/* No other invoice is 30 days old: only this one was reminded. */
	CHECK_INT(db_count("SELECT count(*) FROM outbox WHERE kind = 'invoice_overdue'"), 1);
	CHECK_INT(ts_kill(&server), 9);
	CHECK(ts_restart(&server, NULL));
	login_all();
	sleep(2);
	CHECK_INT(db_count(sql), 1);
	snprintf(sql, sizeof sql,
		 "INSERT INTO outbox (kind, client_id, invoice_id, locale, to_addr, subject, body,"
		 " message_id, next_attempt_at, created_at, updated_at) VALUES ('invoice_overdue',"
		 " %lld, %lld, 'en', 'cid@mail.test', 's', 'b', '<x@y>', 1, 1, 1)",
		 (long long)cid_client, (long long)old);
	CHECK(!db_exec(sql));
}

/* Erasing Bea: her mandate stays, revoked, its IBAN and holder gone; no other
 * change of an IBAN is allowed. */
static void test_erasure_clears_iban(void)
{
	CHECK(!db_exec("UPDATE mandates SET iban = 'XX00ERASED00000', holder_name = 'erased',"
		       " status = 'revoked', revoked_at = 1"));
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/erase", (long long)bea_client);
	CHECK_INT(api_status(&admin, "POST", path, "{}"), 200);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM mandates WHERE client_id = %lld AND iban = 'XX00ERASED00000'"
		 " AND holder_name = 'erased' AND status = 'revoked'",
		 (long long)bea_client);
	CHECK_INT(db_count(sql), 1);
	CHECK_INT(db_count("SELECT count(*) FROM mandates WHERE iban LIKE '%0051332'"), 0);
	/* Nor back, nor anything else. */
	CHECK(!db_exec("UPDATE mandates SET iban = 'ES9121000418450200051332'"));
	/* The books keep it: the run's items still name the mandate. */
	CHECK(db_count("SELECT count(*) FROM direct_debit_items d JOIN mandates m"
		       " ON m.id = d.mandate_id WHERE m.iban = 'XX00ERASED00000'") == 2);
}

/* GET path into a file; the status. */
static int fetch(struct api_client *c, const char *path, const char *file, char **head)
{
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	int status = r.status;
	if (status == 200) {
		FILE *f = fopen(file, "wb");
		CHECK(f != NULL);
		if (f) {
			CHECK(fwrite(r.body, 1, r.body_len, f) == r.body_len);
			fclose(f);
		}
	}
	if (head)
		*head = r.head ? strdup(r.head) : NULL;
	http_response_free(&r);
	return status;
}

/* check_book.py's verdict on file (caller frees), or NULL when it refused it. */
static json_t *python_reads(const char *file, const char *dialect)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s '%s' %s", HM_TEST_PYTHON, HM_BOOK_CHECK, file, dialect);
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL);
	if (!p)
		return NULL;
	json_error_t e;
	json_t *out = json_loadf(p, 0, &e);
	CHECK(pclose(p) == 0);
	return out;
}

static json_int_t sum_of(json_t *verdict, const char *column)
{
	return json_integer_value(json_object_get(json_object_get(verdict, "sums"), column));
}

/* This quarter's number and year, as the business's calendar says. */
static void this_quarter(int *year, int *quarter)
{
	int64_t day, y;
	unsigned m, d;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	hm_civil_from_days(day, &y, &m, &d);
	*year = (int)y;
	*quarter = (int)(m - 1) / 3 + 1;
}

static void test_book(void)
{
	int year, quarter;
	this_quarter(&year, &quarter);
	/* An invoice of Ane today whose name holds the separators, a quote and a
	 * formula, to be read back as is (but for the apostrophe that defuses it). */
	int64_t day;
	int weekday;
	char today[16], sql[512];
	hm_local_day(hm_time_now(), &day, &weekday);
	api_day_text(day, today);
	snprintf(sql, sizeof sql,
		 "INSERT INTO invoices (series, number, issued_at, issued_on, kind, client_id,"
		 " customer_name, lines, base_cents, vat_percent, vat_cents, total_cents)"
		 " VALUES ('A', 1, %lld, '%s', 'simplified', %lld, '=Ane; \"Etxe\", Goñi', '[]',"
		 " 1000, 21, 210, 1210)",
		 (long long)hm_time_now(), today, (long long)ane_client);
	CHECK(db_exec(sql));
	/* What the API says: the quarter's invoices and payments. */
	json_int_t invoiced = 0, n_invoices = 0, paid = 0, n_payments = 0;
	json_int_t clients[] = {ane_client, bea_client, cid_client};
	for (size_t c = 0; c < 3; c++) {
		json_t *inv = api_invoices_of(&staff, clients[c]);
		size_t i;
		json_t *it;
		json_array_foreach(inv, i, it)
		{
			if (strcmp(json_str(it, "series"), "OLD") == 0)
				continue; /* issued on 2026-01-01, another quarter */
			invoiced += json_int(it, "total_cents");
			n_invoices++;
		}
		json_decref(inv);
		char path[96];
		snprintf(path, sizeof path, "/api/v1/payments?client_id=%lld&limit=200",
			 (long long)clients[c]);
		struct http_response r;
		api_call(&staff, "GET", path, NULL, &r);
		json_array_foreach(http_json(&r, "items"), i, it)
		{
			paid += json_int(it, "amount_cents");
			n_payments++;
		}
		http_response_free(&r);
	}
	CHECK(n_invoices >= 5 && n_payments >= 3);
	static const char *const dialects[] = {"rfc4180", "semicolon"};
	for (size_t k = 0; k < 2; k++) {
		char path[160], file[256];
		char *head = NULL;
		snprintf(file, sizeof file, "%s/book.csv", server.dir);
		snprintf(path, sizeof path,
			 "/api/v1/reports/book.csv?year=%d&quarter=%d&book=invoices&dialect=%s",
			 year, quarter, dialects[k]);
		CHECK_INT(fetch(&admin, path, file, &head), 200);
		CHECK(head && strstr(head, "text/csv") && strstr(head, "attachment"));
		free(head);
		json_t *v = python_reads(file, dialects[k]);
		CHECK_INT(json_integer_value(json_object_get(v, "rows")), n_invoices);
		CHECK_INT(sum_of(v, "total"), invoiced);
		CHECK_INT(sum_of(v, "base") + sum_of(v, "vat"), invoiced);
		CHECK_STR(json_string_value(json_array_get(json_object_get(v, "names"), 0)),
			  "'=Ane; \"Etxe\", Goñi");
		json_decref(v);
		snprintf(path, sizeof path,
			 "/api/v1/reports/book.csv?year=%d&quarter=%d&book=payments&dialect=%s",
			 year, quarter, dialects[k]);
		CHECK_INT(fetch(&admin, path, file, NULL), 200);
		v = python_reads(file, dialects[k]);
		CHECK_INT(json_integer_value(json_object_get(v, "rows")), n_payments);
		CHECK_INT(sum_of(v, "amount"), paid);
		json_decref(v);
	}
	/* Another quarter holds none of them; bad parameters are 422 together; admin
	 * only. */
	char path[160], file[256];
	snprintf(file, sizeof file, "%s/empty.csv", server.dir);
	snprintf(path, sizeof path, "/api/v1/reports/book.csv?year=%d&quarter=%d", year - 1,
		 quarter);
	CHECK_INT(fetch(&admin, path, file, NULL), 200);
	json_t *v = python_reads(file, "rfc4180");
	CHECK_INT(json_integer_value(json_object_get(v, "rows")), 0);
	json_decref(v);
	struct http_response r;
	api_call(&admin, "GET", "/api/v1/reports/book.csv?year=99&quarter=5&book=x&dialect=tsv",
		 NULL, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "year") && http_error_field(&r, "quarter"));
	CHECK(http_error_field(&r, "book") && http_error_field(&r, "dialect"));
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", path, NULL), 403);
	CHECK_INT(api_status(&ane, "GET", path, NULL), 403);
	struct api_client anon;
	api_client_init(&anon, server.port);
	CHECK_INT(api_status(&anon, "GET", path, NULL), 401);
}

static void test_monthly(void)
{
	int year, quarter;
	this_quarter(&year, &quarter);
	char path[96];
	snprintf(path, sizeof path, "/api/v1/reports/monthly?year=%d", year);
	struct http_response r;
	api_call(&admin, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *months = http_json(&r, "months");
	CHECK_INT(json_array_size(months), 12);
	json_int_t inv = 0, col = 0;
	size_t i;
	json_t *m;
	json_array_foreach(months, i, m)
	{
		inv += json_int(m, "invoiced_cents");
		col += json_int(m, "collected_cents");
	}
	CHECK_INT(inv, json_int(r.json, "invoiced_cents"));
	CHECK_INT(col, json_int(r.json, "collected_cents"));
	/* The OLD invoice was issued in January 2026. */
	if (year == 2026)
		CHECK(json_int(json_array_get(months, 0), "invoiced_cents") >= 2500);
	CHECK(col > 0 && inv > col);
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/reports/monthly?year=20x6", NULL), 422);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/reports/monthly", NULL), 422);
	CHECK_INT(api_status(&staff, "GET", path, NULL), 403);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, NULL))
		return 1;
	if (!ts_add_user(&server, "admin", "nerea@mail.test", "Nerea Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "mikel@mail.test", "Mikel Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(test_setup);
	RUN(test_receipt);
	RUN(test_notice_and_held_invoice);
	RUN(test_overdue_reminder);
	RUN(test_book);
	RUN(test_monthly);
	RUN(test_erasure_clears_iban);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
