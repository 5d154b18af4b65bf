// SPDX-License-Identifier: MIT
// Invoices on :memory: with sql/ applied (issue 14): a contract made is invoiced
// in its own transaction (simplified, then full once the client has a tax id and a
// billing address; exempt, then taxed once /business says so), numbered 1, 2, 3
// in its series; its cancellation issues a rectifying invoice in "<series>R"; and
// the triggers refuse what the code never does: a gap or a repeat in the numbers,
// any change to what an issued invoice says, its deletion, a second TicketBAI
// file. A client's erasure leaves its invoices whole.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/db.h"
#include "harreman/db_contracts.h"
#include "harreman/db_invoices.h"
#include "harreman/db_privacy.h"
#include "harreman/outbox.h"

#define NOW 1796630400 /* 2026-12-07T08:00:00Z */

static const struct hm_outbox_env env = {"Europe/Madrid", "test.example", NULL};

static int run(struct hm_db *db, const char *sql, char *message, size_t size)
{
	sqlite3 *h = hm_db_handle(db);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (message)
		snprintf(message, size, "%s", rc == SQLITE_OK ? "" : sqlite3_errmsg(h));
	return rc;
}

static long long scalar(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static struct hm_db *fresh_db(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	CHECK_INT(run(db,
		      "INSERT INTO services (id, name, subject, kind, duration_min, price_cents,"
		      " capacity, created_at) VALUES (1, 'Matematika', 'maths', 'private', 60,"
		      " 3000, 1, 0);"
		      "INSERT INTO clients (id, full_name, email, locale, created_at, updated_at)"
		      " VALUES (1, 'Ane', 'ane@example.com', 'eu', 0, 0),"
		      " (2, 'Irati', 'irati@example.com', 'es', 0, 0);"
		      "UPDATE gifts SET stock = 5 WHERE key = 'pen';",
		      NULL, 0),
		  SQLITE_OK);
	return db;
}

/* Makes a contract of service 1 for client as the API does; its id. */
static int64_t make_contract(struct hm_db *db, int64_t client, bool subscription, int sessions)
{
	struct hm_service svc;
	json_t *out = NULL;
	CHECK_INT(hm_db_services_read(db, 1, &svc), HM_OK);
	struct hm_new_contract c = {.client_id = client,
				    .service = &svc,
				    .subscription = subscription,
				    .sessions = sessions,
				    .channel = "phone"};
	struct hm_actor who = {0, "t", NOW};
	CHECK_INT(hm_db_contracts_create(db, &c, &who, &out), HM_OK);
	int64_t id = (int64_t)json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static json_t *invoice_of(struct hm_db *db, int64_t id)
{
	json_t *out = NULL;
	CHECK_INT(hm_db_invoices_get(db, id, 0, &out), HM_OK);
	return out;
}

static long long num(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

static void test_issue_and_rectify(void)
{
	struct hm_db *db = fresh_db();
	int64_t k1 = make_contract(db, 1, false, 1);
	json_t *inv = invoice_of(db, 1);
	CHECK_STR(json_string_value(json_object_get(inv, "series")), "F");
	CHECK_INT(num(inv, "number"), 1);
	CHECK_INT(num(inv, "contract_id"), k1);
	CHECK_STR(json_string_value(json_object_get(inv, "kind")), "simplified");
	CHECK_INT(num(inv, "total_cents"), 3000);
	CHECK_INT(num(inv, "vat_percent"), 0);
	CHECK_INT(num(inv, "base_cents"), 3000);
	json_t *lines = json_object_get(inv, "lines");
	CHECK_INT(json_array_size(lines), 2); /* the contract and its gift */
	CHECK_STR(json_string_value(json_object_get(json_array_get(lines, 0), "description")),
		  "Matematika");
	CHECK_INT(num(json_array_get(lines, 1), "amount_cents"), 0);
	CHECK_STR(json_string_value(json_object_get(json_object_get(inv, "tbai"), "status")),
		  "pending");
	json_decref(inv);
	CHECK_INT(scalar(db, "SELECT count(*) FROM invoices WHERE issued_on = '2026-12-07'"), 1);

	/* A tax id and a billing address: full; VAT at 21 % included in the price. */
	CHECK_INT(run(db,
		      "UPDATE clients SET tax_id = '12345678Z', billing_address = 'Kalea 1' WHERE"
		      " id = 2; UPDATE business SET vat_exempt = 0, vat_percent = 21",
		      NULL, 0),
		  SQLITE_OK);
	int64_t k2 = make_contract(db, 2, true, 8);
	inv = invoice_of(db, 2);
	CHECK_INT(num(inv, "number"), 2);
	CHECK_STR(json_string_value(json_object_get(inv, "kind")), "full");
	CHECK_INT(num(inv, "total_cents"), 24000);
	CHECK_INT(num(inv, "vat_percent"), 21);
	CHECK_INT(num(inv, "base_cents"), 19835); /* 240 / 1.21 = 198.347 */
	CHECK_INT(num(inv, "vat_cents"), 4165);
	json_decref(inv);

	/* Cancelling the subscription (no session used): all 8 sessions back, in FR. */
	json_t *out = NULL;
	const char *why = NULL;
	struct hm_actor who = {0, "t", NOW + 60};
	CHECK_INT(hm_db_contracts_cancel(db, k2, &who, &env, &out, &why), HM_OK);
	json_decref(out);
	inv = invoice_of(db, 3);
	CHECK_STR(json_string_value(json_object_get(inv, "series")), "FR");
	CHECK_INT(num(inv, "number"), 1);
	CHECK_STR(json_string_value(json_object_get(inv, "kind")), "rectifying");
	CHECK_INT(num(inv, "rectifies"), 2);
	CHECK_INT(num(inv, "total_cents"), -24000);
	CHECK_INT(num(inv, "base_cents"), -19835);
	CHECK_INT(num(json_array_get(json_object_get(inv, "lines"), 0), "quantity"), -8);
	json_decref(inv);
	CHECK_INT(scalar(db, "SELECT customer_tax_id = '12345678Z' FROM invoices WHERE id = 3"), 1);

	/* A subscription with 3 of 4 sessions used refunds one. */
	CHECK_INT(run(db, "UPDATE business SET vat_exempt = 1", NULL, 0), SQLITE_OK);
	int64_t k3 = make_contract(db, 1, true, 4);
	CHECK_INT(run(db, "UPDATE contracts SET sessions_used = 3 WHERE id = 3", NULL, 0),
		  SQLITE_OK);
	CHECK_INT(k3, 3);
	CHECK_INT(hm_db_contracts_cancel(db, k3, &who, &env, &out, &why), HM_OK);
	json_decref(out);
	CHECK_INT(scalar(db, "SELECT total_cents FROM invoices WHERE series = 'FR' AND number = 2"),
		  -3000);
	CHECK_INT(scalar(db, "SELECT number FROM invoices WHERE contract_id = 3 AND"
			     " kind <> 'rectifying'"),
		  3);
	(void)k1;
	hm_db_close(db);
}

static void test_triggers(void)
{
	char message[256];
	struct hm_db *db = fresh_db();
	make_contract(db, 1, false, 1);
	make_contract(db, 1, false, 1);
	/* What an invoice says never changes; it is never deleted. */
	static const char *const changes[] = {
		"UPDATE invoices SET total_cents = 1, base_cents = 1 WHERE id = 1",
		"UPDATE invoices SET number = 9 WHERE id = 2",
		"UPDATE invoices SET series = 'G' WHERE id = 1",
		"UPDATE invoices SET issued_on = '2026-01-01' WHERE id = 1",
		"UPDATE invoices SET issued_at = 0 WHERE id = 1",
		"UPDATE invoices SET client_id = 2 WHERE id = 1",
		"UPDATE invoices SET lines = '[]' WHERE id = 1",
		"UPDATE invoices SET kind = 'full' WHERE id = 1",
		"UPDATE invoices SET customer_name = 'x' WHERE id = 1",
		"DELETE FROM invoices WHERE id = 2",
	};
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		CHECK(run(db, changes[i], message, sizeof message) != SQLITE_OK);
		CHECK(strstr(message, "invoice_immutable") != NULL);
	}
	CHECK_INT(scalar(db, "SELECT count(*) FROM invoices"), 2);
	CHECK_INT(scalar(db, "SELECT total_cents FROM invoices WHERE id = 1"), 3000);
	/* Payments and the TicketBAI state may move; the file is written once. */
	CHECK_INT(run(db, "UPDATE invoices SET paid_cents = 3000, status = 'paid' WHERE id = 1",
		      NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db,
		      "UPDATE invoices SET tbai_xml = '<x/>', tbai_signature = 'sig',"
		      " tbai_id = 'TBAI-1', tbai_qr_url = 'https://q', signed_at = 5,"
		      " tbai_status = 'signed' WHERE id = 1",
		      NULL, 0),
		  SQLITE_OK);
	CHECK_INT(run(db, "UPDATE invoices SET tbai_status = 'accepted' WHERE id = 1", NULL, 0),
		  SQLITE_OK);
	static const char *const resign[] = {
		"UPDATE invoices SET tbai_xml = '<y/>' WHERE id = 1",
		"UPDATE invoices SET tbai_signature = 'other' WHERE id = 1",
		"UPDATE invoices SET tbai_id = 'TBAI-2' WHERE id = 1",
		"UPDATE invoices SET tbai_qr_url = NULL WHERE id = 1",
		"UPDATE invoices SET signed_at = 6 WHERE id = 1",
	};
	for (size_t i = 0; i < sizeof resign / sizeof resign[0]; i++)
		CHECK(run(db, resign[i], message, sizeof message) != SQLITE_OK);
	/* Signed without its file: refused. */
	CHECK(run(db, "UPDATE invoices SET tbai_status = 'signed' WHERE id = 2", NULL, 0) !=
	      SQLITE_OK);
	/* No gap, no repeat; a new series starts at 1. */
	static const char insert[] =
		"INSERT INTO invoices (series, number, issued_at, issued_on, kind, client_id,"
		" customer_name, lines, base_cents, vat_percent, vat_cents, total_cents)"
		" VALUES ('%s', %d, 0, '2026-12-07', 'simplified', 1, 'Ane', '[]', 0, 0, 0, 0)";
	char sql[512];
	snprintf(sql, sizeof sql, insert, "F", 4);
	CHECK(run(db, sql, message, sizeof message) != SQLITE_OK);
	CHECK(strstr(message, "invoice_number_gap") != NULL);
	snprintf(sql, sizeof sql, insert, "F", 2);
	CHECK(run(db, sql, message, sizeof message) != SQLITE_OK);
	snprintf(sql, sizeof sql, insert, "F", 0);
	CHECK(run(db, sql, message, sizeof message) != SQLITE_OK);
	snprintf(sql, sizeof sql, insert, "G", 2);
	CHECK(run(db, sql, message, sizeof message) != SQLITE_OK);
	snprintf(sql, sizeof sql, insert, "G", 1);
	CHECK_INT(run(db, sql, message, sizeof message), SQLITE_OK);
	snprintf(sql, sizeof sql, insert, "F", 3);
	CHECK_INT(run(db, sql, message, sizeof message), SQLITE_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM invoices"), 4);
	/* The business row stays. */
	CHECK(run(db, "DELETE FROM business", NULL, 0) != SQLITE_OK);
	hm_db_close(db);
}

static void test_erasure_keeps_invoices(void)
{
	struct hm_db *db = fresh_db();
	CHECK_INT(run(db,
		      "UPDATE clients SET tax_id = '12345678Z', billing_address = 'Kalea 1' WHERE"
		      " id = 1",
		      NULL, 0),
		  SQLITE_OK);
	make_contract(db, 1, false, 1);
	json_t *out = NULL;
	struct hm_actor who = {0, "t", NOW + 100};
	CHECK_INT(hm_db_privacy_erase(db, 1, &who, &out), HM_OK);
	json_decref(out);
	CHECK_INT(scalar(db, "SELECT tax_id IS NULL AND billing_address IS NULL FROM clients"
			     " WHERE id = 1"),
		  1);
	CHECK_INT(scalar(db, "SELECT customer_name = 'Ane' AND customer_tax_id = '12345678Z'"
			     " FROM invoices WHERE id = 1"),
		  1);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_issue_and_rectify);
	RUN(test_triggers);
	RUN(test_erasure_keeps_invoices);
	return CHECK_EXIT();
}
