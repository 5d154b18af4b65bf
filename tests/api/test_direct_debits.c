// SPDX-License-Identifier: MIT
// Direct-debit runs against the real server (API.md, "Payments and SEPA direct
// debits"): the collection-date rule (two TARGET2 business days, src/domain/sepa.c
// computes the first good date), what a run takes (unpaid amounts of clients with
// an active mandate, none an open run holds), FRST then RCUR, nothing to collect
// (409), two admins racing never put one invoice in two runs, the pain.008 file
// (valid against the official schema by xmllint, read back by python3's
// xml.etree with its counts, sums, IBANs and amounts), settling records the
// payments, returns with ISO reason codes make the invoice unpaid again for a later
// run; the business's SEPA identifiers checked; admin only.
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/sepa.h"
#include "harreman/timefmt.h"

static struct test_server server;

#define PASSWORD "pasahitz-luze-bat-2026"
#define IBAN_ANE "ES9121000418450200051332"
#define IBAN_CID "ES7712341234161234567890"
#define IBAN_BUSINESS "GB82WEST12345698765432"

static struct api_client admin, admin2, staff, ane, bea, cid;
static json_int_t ane_client, bea_client, cid_client, service;
static char good_date[16], today[16];

/* A run for date: status, *out the body (caller frees). */
static int make_run(struct api_client *c, const char *date, json_t **out)
{
	char body[64];
	snprintf(body, sizeof body, "{\"collection_date\":\"%s\"}", date);
	struct http_response r;
	api_call(c, "POST", "/api/v1/direct-debits", body, &r);
	int status = r.status;
	if (out)
		*out = r.json ? json_incref(r.json) : NULL;
	http_response_free(&r);
	return status;
}

static json_t *item_of(json_t *run, json_int_t invoice)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(run, "items"), i, it)
	{
		if (json_int(it, "invoice_id") == invoice)
			return it;
	}
	return NULL;
}

static void test_setup(void)
{
	struct api_client *all[] = {&admin, &admin2, &staff, &ane, &bea, &cid};
	for (size_t i = 0; i < 6; i++)
		api_client_init(all[i], server.port);
	CHECK_INT(api_login(&admin, "nerea@dd.test", PASSWORD), 200);
	CHECK_INT(api_login(&admin2, "nerea@dd.test", PASSWORD), 200);
	CHECK_INT(api_login(&staff, "mikel@dd.test", PASSWORD), 200);
	CHECK_INT(api_register(&ane, "ane@dd.test", PASSWORD, "Ane Etxeberria"), 201);
	CHECK_INT(api_register(&bea, "bea@dd.test", PASSWORD, "Bea Goñi"), 201);
	CHECK_INT(api_register(&cid, "cid@dd.test", PASSWORD, "Cid Muñoz"), 201);
	ane_client = api_me_client_id(&ane);
	bea_client = api_me_client_id(&bea);
	cid_client = api_me_client_id(&cid);
	service = api_maths_service(&staff);
	CHECK(service > 0);
	CHECK_INT(api_contract_one_off(&staff, ane_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, ane_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, bea_client, service), 201);
	CHECK_INT(api_contract_one_off(&staff, cid_client, service), 201);
	CHECK_INT(api_mandate(&staff, ane_client, IBAN_ANE, "Ane Etxeberria"), 201);
	CHECK_INT(api_mandate(&staff, cid_client, IBAN_CID, "Cid Muñoz & Cía"), 201);
	/* Cid paid part at the desk: the run takes the rest. */
	json_t *inv = api_invoices_of(&staff, cid_client);
	char body[160];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"method\":\"cash\",\"amount_cents\":1000}",
		 (long long)cid_client);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/payments", body), 201);
	json_decref(inv);

	/* Today and the first good collection date, as the business's calendar says. */
	int64_t day;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	api_day_text(day, today);
	for (int64_t d = day + 1; d < day + 15; d++) {
		api_day_text(d, good_date);
		if (hm_collection_date_ok(today, good_date, 2))
			break;
	}
}

static void test_business_ids(void)
{
	static const char base[] =
		"{\"legal_name\":\"PROBA Akademia S.L.\",\"nif\":\"B12345674\","
		"\"address\":\"Kale Nagusia 1\",\"postcode\":\"20001\",\"city\":\"Donostia\","
		"\"territory\":\"gipuzkoa\"";
	char body[512];
	struct http_response r;
	snprintf(body, sizeof body, "%s,\"creditor_id\":\"ES24ZZZ47690558N\"}", base);
	api_call(&admin, "PUT", "/api/v1/business", body, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "creditor_id") != NULL);
	http_response_free(&r);
	snprintf(body, sizeof body, "%s,\"creditor_iban\":\"GB82WEST12345698765431\"}", base);
	api_call(&admin, "PUT", "/api/v1/business", body, &r);
	CHECK_INT(r.status, 422);
	CHECK(http_error_field(&r, "creditor_iban") != NULL);
	http_response_free(&r);
	/* No creditor id: the file computes it from the NIF. */
	snprintf(body, sizeof body, "%s,\"creditor_iban\":\"gb82 west 1234 5698 7654 32\"}", base);
	api_call(&admin, "PUT", "/api/v1/business", body, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "creditor_iban"), IBAN_BUSINESS);
	CHECK(json_is_null(http_json(&r, "creditor_id")));
	http_response_free(&r);
}

static void test_dates_and_roles(void)
{
	char tomorrow[16];
	int64_t day;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	api_day_text(day + 1, tomorrow);
	CHECK_INT(make_run(&staff, good_date, NULL), 403);
	CHECK_INT(make_run(&ane, good_date, NULL), 403);
	CHECK_INT(make_run(&admin, tomorrow, NULL), 422);
	CHECK_INT(make_run(&admin, today, NULL), 422);
	CHECK_INT(make_run(&admin, "2026-13-01", NULL), 422);
	CHECK_INT(make_run(&admin, "soon", NULL), 422);
	/* The next Saturday after the good date. */
	int64_t d = day + 3;
	while (hm_day_weekday(d) != 6)
		d++;
	char saturday[16];
	api_day_text(d, saturday);
	CHECK_INT(make_run(&admin, saturday, NULL), 422);
	CHECK_INT(api_status(&admin, "POST", "/api/v1/direct-debits", "{\"x\":1}"), 422);
}

static json_int_t run1;

/* The run's pain.008: schema check and read-back lines (caller frees; NULL on
 * failure). */
static char *file_lines(json_int_t run, char **xml_out)
{
	char path[96], file[256], cmd[768];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/direct-debits/%lld/pain.008.xml", (long long)run);
	api_call(&admin, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	if (r.status != 200 || !r.body) {
		http_response_free(&r);
		return NULL;
	}
	snprintf(file, sizeof file, "%s/pain-%lld.xml", server.dir, (long long)run);
	FILE *f = fopen(file, "w");
	if (f) {
		fputs(r.body, f);
		fclose(f);
	}
	if (xml_out)
		*xml_out = strdup(r.body);
	http_response_free(&r);
	snprintf(cmd, sizeof cmd,
		 "xmllint --nonet --noout --schema '%s/pain.008.001.02.xsd' '%s' 2>/dev/null",
		 HM_SEPA_DIR, file);
	CHECK_INT(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "python3 '%s/check_pain008.py' '%s'", HM_SEPA_DIR, file);
	FILE *p = popen(cmd, "r");
	char *out = calloc(1, 8192);
	if (p && out)
		CHECK(fread(out, 1, 8191, p) > 0);
	CHECK_INT(p ? pclose(p) : -1, 0);
	return out;
}

/* What check_pain008.py must print for run (its items by invoice, FRST first). */
static void expected_lines(json_t *run, char *out, size_t cap)
{
	static const char *const seqs[] = {"FRST", "RCUR"};
	size_t used = 0;
	out[0] = '\0';
	for (int s = 0; s < 2; s++) {
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(run, "items"), i, it)
		{
			if (strcmp(json_str(it, "sequence"), seqs[s]) != 0 ||
			    !json_is_null(json_object_get(it, "returned_reason")))
				continue;
			json_int_t a = json_int(it, "amount_cents");
			used += (size_t)snprintf(
				out + used, cap - used, "%s %s %lld.%02lld %s\n", seqs[s],
				json_int(it, "client_id") == ane_client ? IBAN_ANE : IBAN_CID,
				(long long)(a / 100), (long long)(a % 100),
				json_str(it, "mandate_reference"));
		}
	}
}

static void check_file(json_t *run)
{
	char expect[2048];
	char *xml = NULL;
	char *lines = file_lines(json_int(run, "id"), &xml);
	expected_lines(run, expect, sizeof expect);
	CHECK(lines != NULL);
	if (lines)
		CHECK_STR(lines, expect);
	char sum[64];
	json_int_t total = json_int(run, "total_cents");
	snprintf(sum, sizeof sum, "<CtrlSum>%lld.%02lld</CtrlSum>", (long long)(total / 100),
		 (long long)(total % 100));
	CHECK(xml && strstr(xml, sum) != NULL);
	/* The creditor identifier computed from the NIF B12345674, suffix 000. */
	char cid_text[HM_CREDITOR_ID_MAX + 1];
	CHECK(hm_creditor_id_make("B12345674", "000", cid_text));
	CHECK(xml && strstr(xml, cid_text) != NULL);
	CHECK(xml && strstr(xml, IBAN_BUSINESS) != NULL);
	CHECK(xml && strstr(xml, "Cia") != NULL && strstr(xml, "Cía") == NULL);
	free(lines);
	free(xml);
}

static void test_run(void)
{
	json_t *ane_inv = api_invoices_of(&staff, ane_client),
	       *cid_inv = api_invoices_of(&staff, cid_client);
	json_t *run = NULL;
	CHECK_INT(make_run(&admin, good_date, &run), 201);
	if (!run)
		return;
	run1 = json_int(run, "id");
	CHECK_STR(json_str(run, "collection_date"), good_date);
	CHECK_INT(json_int(run, "count"), 3);
	json_int_t a0 = json_int(json_array_get(ane_inv, 0), "total_cents");
	json_int_t a1 = json_int(json_array_get(ane_inv, 1), "total_cents");
	json_int_t c0 = json_int(json_array_get(cid_inv, 0), "total_cents") - 1000;
	CHECK_INT(json_int(run, "total_cents"), a0 + a1 + c0);
	json_t *it = item_of(run, json_int(json_array_get(cid_inv, 0), "id"));
	CHECK(it != NULL);
	CHECK_INT(json_int(it, "amount_cents"), c0);
	CHECK_STR(json_str(it, "sequence"), "FRST");
	CHECK_INT(json_int(it, "client_id"), cid_client);
	char *text = json_dumps(run, 0);
	CHECK(text && strstr(text, "0418") == NULL); /* no IBAN in the answer */
	free(text);
	/* Everything is held: nothing to collect. */
	CHECK_INT(make_run(&admin, good_date, NULL), 409);
	check_file(run);
	json_decref(run);
	json_decref(ane_inv);
	json_decref(cid_inv);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/direct-debits/999999/pain.008.xml", NULL),
		  404);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/direct-debits", NULL), 403);
}

struct racer {
	struct api_client *c;
	int status;
	json_t *run;
};

static void *race_one(void *arg)
{
	struct racer *r = arg;
	r->status = make_run(r->c, good_date, &r->run);
	return NULL;
}

/* Two admins make runs at once for ane's new invoice: one gets it, one 409. */
static void test_race(void)
{
	CHECK_INT(api_contract_one_off(&staff, ane_client, service), 201);
	struct racer r[2] = {{&admin, 0, NULL}, {&admin2, 0, NULL}};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, race_one, &r[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_INT((r[0].status == 201) + (r[1].status == 201), 1);
	CHECK_INT((r[0].status == 409) + (r[1].status == 409), 1);
	for (int i = 0; i < 2; i++) {
		if (r[i].status == 201)
			CHECK_INT(json_int(r[i].run, "count"), 1);
		json_decref(r[i].run);
	}
}

static json_t *invoice(json_int_t id)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/invoices/%lld", (long long)id);
	struct http_response r;
	api_call(&staff, "GET", path, NULL, &r);
	json_t *out = json_incref(r.json);
	http_response_free(&r);
	return out;
}

static int post_returns(json_int_t run, json_int_t invoice_id, const char *reason)
{
	char path[96], body[160];
	snprintf(path, sizeof path, "/api/v1/direct-debits/%lld/returns", (long long)run);
	snprintf(body, sizeof body, "{\"items\":[{\"invoice_id\":%lld,\"reason\":\"%s\"}]}",
		 (long long)invoice_id, reason);
	return api_status(&admin, "POST", path, body);
}

static void test_settle_and_returns(void)
{
	json_t *ane_inv = api_invoices_of(&staff, ane_client),
	       *cid_inv = api_invoices_of(&staff, cid_client);
	json_int_t a0 = json_int(json_array_get(ane_inv, 0), "id");
	json_int_t a1 = json_int(json_array_get(ane_inv, 1), "id");
	json_int_t c0 = json_int(json_array_get(cid_inv, 0), "id");
	char path[96];
	/* Cid's collection comes back before the run is settled. */
	CHECK_INT(post_returns(run1, c0, "MS02"), 200);
	CHECK_INT(post_returns(run1, c0, "MS02"), 409);
	CHECK_INT(post_returns(run1, a0, "XX99"), 422);
	CHECK_INT(post_returns(run1, bea_client * 1000 + 7, "AM04"), 422);
	CHECK_INT(post_returns(999999, a0, "AM04"), 404);
	CHECK_INT(api_status(&admin, "POST", "/api/v1/direct-debits/1/returns", "{\"items\":[]}"),
		  422);
	snprintf(path, sizeof path, "/api/v1/direct-debits/%lld/settle", (long long)run1);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 403);
	struct http_response r;
	api_call(&admin, "POST", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "status"), "settled");
	CHECK_INT(json_int(r.json, "count"), 2);
	http_response_free(&r);
	CHECK_INT(api_status(&admin, "POST", path, NULL), 409);
	json_t *inv = invoice(a0);
	CHECK_STR(json_str(inv, "status"), "paid");
	json_decref(inv);
	inv = invoice(c0);
	CHECK_STR(json_str(inv, "status"), "partly_paid");
	CHECK_INT(json_int(inv, "paid_cents"), 1000);
	json_decref(inv);
	/* The payments of the run, as direct debits. */
	snprintf(path, sizeof path, "/api/v1/payments?client_id=%lld", (long long)ane_client);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 2);
	CHECK_STR(json_str(json_array_get(http_json(&r, "items"), 0), "method"), "direct_debit");
	http_response_free(&r);

	/* Ane's first comes back after settling: unpaid again. */
	CHECK_INT(post_returns(run1, a0, "AM04"), 200);
	inv = invoice(a0);
	CHECK_STR(json_str(inv, "status"), "unpaid");
	CHECK_INT(json_int(inv, "paid_cents"), 0);
	json_decref(inv);
	inv = invoice(a1);
	CHECK_STR(json_str(inv, "status"), "paid");
	json_decref(inv);

	/* A later run collects both again: ane RCUR (a1 was collected), cid FRST. */
	char later[16];
	int64_t day;
	hm_date_parse(good_date, &day);
	api_day_text(day + 7, later);
	while (!hm_collection_date_ok(today, later, 2)) {
		day++;
		api_day_text(day + 7, later);
	}
	json_t *run = NULL;
	CHECK_INT(make_run(&admin, later, &run), 201);
	if (run) {
		json_t *it = item_of(run, a0);
		CHECK(it != NULL);
		if (it)
			CHECK_STR(json_str(it, "sequence"), "RCUR");
		it = item_of(run, c0);
		CHECK(it != NULL);
		if (it)
			CHECK_STR(json_str(it, "sequence"), "FRST");
		check_file(run);
		json_decref(run);
	}
	api_call(&admin, "GET", "/api/v1/direct-debits", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(json_array_size(http_json(&r, "items")) >= 3);
	http_response_free(&r);
	json_decref(ane_inv);
	json_decref(cid_inv);
}

static void test_log_clean(void)
{
	FILE *f = fopen(server.log, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		CHECK(strstr(line, "21000418") == NULL);
		CHECK(strstr(line, "12341234") == NULL);
	}
	fclose(f);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, NULL))
		return 1;
	if (!ts_add_user(&server, "admin", "nerea@dd.test", "Nerea Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "mikel@dd.test", "Mikel Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(test_setup);
	RUN(test_business_ids);
	RUN(test_dates_and_roles);
	RUN(test_run);
	RUN(test_race);
	RUN(test_settle_and_returns);
	RUN(test_log_clean);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
