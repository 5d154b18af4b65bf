// SPDX-License-Identifier: MIT
// TicketBAI signing against the real server (issue 14; API.md, "Invoices and
// TicketBAI"), with a test certificate made here (hm_tbai_testcert_write) and given
// by --tbai-cert, its password in HARREMAN_TBAI_CERT_PASSWORD.
//  1. Before /business is set nothing is signed (invoices stay pending); once it
//     is, every invoice is signed in id order: simplified, full, rectifying (taxed
//     and exempt). Each one's GET /invoices/{id}/ticketbai.xml is valid against the
//     official schema (xmllint), its signature verifies with xmlsec1 (the test
//     certificate as the only trust) and, when HM_TBAI_XADESJS is set, with npm's
//     xadesjs; its identifier and QR address are recomputed from the file; the
//     print page shows the identifier and a QR code. GET /business names the
//     certificate as a TEST one.
//  2. The chain under crashes: staff threads make contracts in bursts while the
//     server is killed with SIGKILL several times and started again; once it has
//     signed everything, the whole chain is walked in the database: every invoice
//     signed, ids in order, each file's EncadenamientoFacturaAnterior names the
//     invoice before it (series, number, date, the first 100 characters of its
//     SignatureValue), the first of the chain names none, no identifier twice.
// HM_TBAI_CRASH_ROUNDS sets the rounds of part 2 (default 5).
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/tbai.h"

#define PASSWORD "pasahitz-luze-bat-2026"
#define CERT_PASSWORD "ziurtagiri-proba-2026"
#define N_THREADS 4

static struct test_server server;
static struct api_client admin, staff;
static json_int_t service, clients[3];
static char dir[64], p12[128], pem[128];

static json_int_t int_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "failed (%d): %s\n", rc, cmd);
	return rc;
}

static json_int_t post_id(struct api_client *c, const char *path, const char *body)
{
	struct http_response r;
	api_call(c, "POST", path, body, &r);
	json_int_t id = r.status == 201 ? int_of(r.json, "id") : 0;
	if (r.status != 201)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

/* A contract of client for service as c (staff); its id, or 0. */
static json_int_t contract(struct api_client *c, json_int_t client, const char *kind, int sessions)
{
	char body[256];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"%s\",\"sessions\":%d,"
		 "\"channel\":\"phone\"}",
		 (long long)client, (long long)service, kind, sessions);
	return post_id(c, "/api/v1/contracts", body);
}

static void put_business(bool exempt)
{
	char body[512];
	snprintf(body, sizeof body,
		 "{\"legal_name\":\"PROBA Akademia S.L.\",\"nif\":\"B12345674\","
		 "\"address\":\"Kale Nagusia 1\",\"postcode\":\"20001\",\"city\":\"Donostia\","
		 "\"territory\":\"gipuzkoa\",\"invoice_series\":\"T\",\"vat_exempt\":%s,"
		 "\"vat_percent\":21}",
		 exempt ? "true" : "false");
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/business", body), 200);
}

/* ---- the database, read directly ---------------------------------------------- */

/* The number of invoices in status (NULL: all), or -1. */
static long count_invoices(const char *status)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;
	if (sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db,
				       "SELECT count(*) FROM invoices WHERE ?1 IS NULL OR"
				       " tbai_status = ?1",
				       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int(st, 0);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Waits up to seconds for no invoice to be pending. */
static bool all_signed(int seconds)
{
	for (int i = 0; i < seconds * 10; i++) {
		if (count_invoices("pending") == 0)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

/* The text of the first node expr selects in xml (T:, ds: bound), or NULL; malloc'd. */
static char *xpath_text(const char *xml, const char *expr)
{
	xmlDocPtr doc = xml ? xmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8", XML_PARSE_NONET)
			    : NULL;
	if (!doc)
		return NULL;
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"ds",
			   (const xmlChar *)"http://www.w3.org/2000/09/xmldsig#");
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	char *out = NULL;
	if (r && r->nodesetval && r->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
		out = c ? strdup((const char *)c) : NULL;
		xmlFree(c);
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

/* text without whitespace, in place. */
static char *squeeze(char *text)
{
	char *w = text;
	for (const char *p = text; p && *p; p++)
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
			*w++ = *p;
	if (w)
		*w = '\0';
	return text;
}

/* Walks the whole chain in the database; returns the number of invoices. */
static long walk_chain(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long n = 0;
	char prev_series[32] = "", prev_number[32] = "", prev_date[16] = "", prev_sig[128] = "";
	CHECK(sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db,
				 "SELECT id, series, number, issued_on, tbai_status, tbai_xml,"
				 " tbai_signature, tbai_id, (SELECT count(*) FROM invoices j"
				 "  WHERE j.tbai_id = i.tbai_id) FROM invoices i ORDER BY id",
				 -1, &st, NULL) == SQLITE_OK);
	long long last_id = 0;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *series = (const char *)sqlite3_column_text(st, 1);
		long long number = sqlite3_column_int64(st, 2);
		const char *iso = (const char *)sqlite3_column_text(st, 3);
		const char *status = (const char *)sqlite3_column_text(st, 4);
		const char *xml = (const char *)sqlite3_column_text(st, 5);
		const char *sig = (const char *)sqlite3_column_text(st, 6);
		CHECK(id > last_id);
		last_id = id;
		CHECK_STR(status, "signed");
		CHECK_INT(sqlite3_column_int(st, 8), 1); /* no identifier twice */
		char *c_series = xpath_text(xml,
					    "//EncadenamientoFacturaAnterior/SerieFacturaAnterior");
		char *c_number = xpath_text(xml,
					    "//EncadenamientoFacturaAnterior/NumFacturaAnterior");
		char *c_date = xpath_text(
			xml, "//EncadenamientoFacturaAnterior/FechaExpedicionFacturaAnterior");
		char *c_sig = xpath_text(
			xml, "//EncadenamientoFacturaAnterior/SignatureValueFirmaFacturaAnterior");
		char *own_sig = squeeze(xpath_text(xml, "//ds:Signature/ds:SignatureValue"));
		if (n == 0) {
			CHECK(c_number == NULL && c_sig == NULL); /* the first names none */
		} else {
			CHECK_STR(c_series, prev_series);
			CHECK_STR(c_number, prev_number);
			CHECK_STR(c_date, prev_date);
			CHECK_STR(c_sig, prev_sig);
		}
		/* The stored signature is the file's. */
		CHECK_STR(own_sig, sig);
		snprintf(prev_series, sizeof prev_series, "%s", series ? series : "");
		snprintf(prev_number, sizeof prev_number, "%lld", number);
		if (iso && strlen(iso) == 10)
			snprintf(prev_date, sizeof prev_date, "%.2s-%.2s-%.4s", iso + 8, iso + 5,
				 iso);
		snprintf(prev_sig, sizeof prev_sig, "%.100s", sig ? sig : "");
		free(c_series);
		free(c_number);
		free(c_date);
		free(c_sig);
		free(own_sig);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* ---- part 1: signing, files, pages -------------------------------------------- */

static void setup(void)
{
	api_client_init(&admin, server.port);
	api_client_init(&staff, server.port);
	CHECK_INT(api_login(&admin, "nerea@tbai.test", PASSWORD), 200);
	CHECK_INT(api_login(&staff, "mikel@tbai.test", PASSWORD), 200);
	json_int_t tutor = 0;
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor = int_of(http_json(&r, "user"), "id");
	http_response_free(&r);
	CHECK(api_make_tutor(&staff, tutor, "maths", NULL, 0, "08:00", "22:00"));
	service = post_id(&staff, "/api/v1/services",
			  "{\"name\":\"Matematika <banakakoa>\",\"subject\":\"maths\","
			  "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3000,"
			  "\"capacity\":1}");
	const char *names[] = {"Ane Etxeberria", "Bea Goñi", "Jon \"Txiki\" & Co"};
	for (int i = 0; i < 3; i++) {
		char body[160];
		snprintf(body, sizeof body, "{\"full_name\":\"%s\",\"email\":\"c%d@tbai.test\"}",
			 i == 2 ? "Jon \\\"Txiki\\\" & Co" : names[i], i);
		clients[i] = post_id(&staff, "/api/v1/clients", body);
		CHECK(clients[i] > 0);
	}
	/* The third is invoiced in full (tax id and billing address). */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)clients[2]);
	CHECK_INT(api_status(&staff, "PATCH", path,
			     "{\"tax_id\":\"12345678Z\",\"billing_address\":\"Kale Txiki 2, 20002"
			     " Donostia\"}"),
		  200);
}

/* One invoice's file through the API: schema, both verifiers, identifier, QR. */
static void check_file(json_t *inv)
{
	char path[96], file[192], cmd[1024];
	json_int_t id = int_of(inv, "id");
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/ticketbai.xml", (long long)id);
	struct http_response r;
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	snprintf(file, sizeof file, "%s/invoice-%lld.xml", dir, (long long)id);
	FILE *f = fopen(file, "w");
	CHECK(f && r.body && fwrite(r.body, 1, r.body_len, f) == r.body_len);
	if (f)
		fclose(f);
	snprintf(cmd, sizeof cmd, "xmllint --nonet --noout --schema '%s/tbai/schemas/%s' '%s'",
		 HM_TEST_SOURCE_DIR, "ticketbaiv1-2-2.xsd", file);
	CHECK_INT(run(cmd), 0);
	snprintf(cmd, sizeof cmd,
		 "xmlsec1 --verify --trusted-pem '%s' "
		 "--id-attr:Id 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties' '%s'"
		 " >/dev/null 2>&1",
		 pem, file);
	CHECK_INT(run(cmd), 0);
	const char *node = getenv("HM_TBAI_XADESJS");
	if (node && *node) {
		const struct hm_tbai_territory *t = hm_tbai_territory_defaults("gipuzkoa");
		snprintf(cmd, sizeof cmd, "%s '%s' '%s' '%s' '%s' >/dev/null", node, file, pem,
			 t->policy_id, t->policy_digest);
		CHECK_INT(run(cmd), 0);
	}
	/* The identifier and the QR address, recomputed from the file. */
	char *sig = squeeze(xpath_text(r.body, "//ds:Signature/ds:SignatureValue"));
	char *date = xpath_text(r.body, "//CabeceraFactura/FechaExpedicionFactura");
	char *total = xpath_text(r.body, "//DatosFactura/ImporteTotalFactura");
	char want[HM_TBAI_ID_LEN + 1], number[32];
	CHECK(hm_tbai_identifier("B12345674", date, sig, want));
	json_t *tbai = json_object_get(inv, "tbai");
	CHECK_STR(json_str(tbai, "id"), want);
	snprintf(number, sizeof number, "%lld", (long long)int_of(inv, "number"));
	char *qr = hm_tbai_qr_url(hm_tbai_territory_defaults("gipuzkoa")->qr_url, want,
				  json_str(inv, "series"), number, total);
	CHECK_STR(json_str(tbai, "qr_url"), qr);
	free(qr);
	free(sig);
	free(date);
	free(total);
	http_response_free(&r);

	/* The print page: the identifier and a QR code. */
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/print", (long long)id);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body && strstr(r.body, want) != NULL);
	CHECK(r.body && strstr(r.body, "<svg") != NULL);
	CHECK(r.body && strstr(r.body, "TEST certificate") != NULL);
	http_response_free(&r);
}

static json_t *invoices(void)
{
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/invoices?limit=200", NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *items = json_incref(http_json(&r, "items"));
	http_response_free(&r);
	return items;
}

static void test_signing(void)
{
	/* Before /business: numbered, pending, and they stay so. */
	CHECK(contract(&staff, clients[0], "one_off", 1) > 0);
	CHECK(contract(&staff, clients[2], "subscription", 4) > 0);
	usleep(2500 * 1000); /* more than the signer's HM_TBAI_POLL_MS */
	CHECK_INT(count_invoices("pending"), 2);
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/invoices/1/ticketbai.xml", NULL, &r);
	CHECK_INT(r.status, 409);
	http_response_free(&r);

	put_business(true);
	CHECK(all_signed(30));
	/* More: exempt, then taxed; a cancellation (rectifying, its own series). */
	json_int_t k = contract(&staff, clients[1], "subscription", 4);
	char path[80];
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)k);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	put_business(false);
	CHECK(contract(&staff, clients[2], "one_off", 1) > 0);
	CHECK(contract(&staff, clients[0], "one_off", 1) > 0);
	CHECK(all_signed(30));
	CHECK_INT(count_invoices(NULL), 6);

	json_t *items = invoices();
	size_t i;
	json_t *inv;
	bool saw_rect = false, saw_full = false, saw_taxed = false;
	json_array_foreach(items, i, inv)
	{
		CHECK_STR(json_str(json_object_get(inv, "tbai"), "status"), "signed");
		saw_rect |= strcmp(json_str(inv, "kind"), "rectifying") == 0;
		saw_full |= strcmp(json_str(inv, "kind"), "full") == 0;
		saw_taxed |= int_of(inv, "vat_percent") > 0;
		check_file(inv);
	}
	CHECK(saw_rect && saw_full && saw_taxed);
	json_decref(items);
	CHECK_INT(walk_chain(), 6);

	/* The certificate, as GET /business shows it. */
	api_call(&admin, "GET", "/api/v1/business", NULL, &r);
	json_t *cert = http_json(&r, "certificate");
	CHECK(cert && strstr(json_str(cert, "subject") ? json_str(cert, "subject") : "",
			     HM_TBAI_TEST_CERT_CN) != NULL);
	CHECK(json_is_true(json_object_get(cert, "test")));
	http_response_free(&r);
}

/* ---- part 2: the chain under SIGKILL -------------------------------------------- */

static atomic_int stop_load;

struct worker {
	pthread_t thread;
	struct api_client c;
	unsigned seed;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	while (!atomic_load(&stop_load)) {
		json_int_t client = clients[rand_r(&w->seed) % 3];
		int sessions = (int)(rand_r(&w->seed) % 4) + 1;
		char body[256];
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"subscription\","
			 "\"sessions\":%d,\"channel\":\"phone\"}",
			 (long long)client, (long long)service, sessions);
		struct http_response r;
		if (!api_call(&w->c, "POST", "/api/v1/contracts", body, &r) || r.status == 0)
			usleep(5000); /* the server is down: wait for the restart */
		http_response_free(&r);
	}
	return NULL;
}

static void test_crashes(void)
{
	const char *env = getenv("HM_TBAI_CRASH_ROUNDS");
	int rounds = env ? atoi(env) : 5;
	unsigned seed = (unsigned)time(NULL);
	const char *const extra[] = {"--tbai-cert", p12, NULL};
	long before = count_invoices(NULL);
	for (int round = 0; round < rounds; round++) {
		struct worker workers[N_THREADS];
		atomic_store(&stop_load, 0);
		for (int i = 0; i < N_THREADS; i++) {
			workers[i].c = staff;
			workers[i].c.port = server.port;
			workers[i].seed = seed + (unsigned)i * 7919u + (unsigned)round;
			CHECK(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) ==
			      0);
		}
		usleep((useconds_t)(200 + rand_r(&seed) % 600) * 1000);
		int status = ts_kill(&server);
		CHECK(status != -1);
		atomic_store(&stop_load, 1);
		for (int i = 0; i < N_THREADS; i++)
			pthread_join(workers[i].thread, NULL);
		/* The password is read from the environment at every start. */
		setenv("HARREMAN_TBAI_CERT_PASSWORD", CERT_PASSWORD, 1);
		if (!ts_restart(&server, extra)) {
			CHECK(!"the server came back");
			return;
		}
		staff.port = admin.port = server.port;
	}
	CHECK(all_signed(120));
	long n = count_invoices(NULL);
	fprintf(stderr, "crash test: %d kills, %ld invoices made under load, %ld in the chain\n",
		rounds, n - before, n);
	CHECK(n > before);
	CHECK_INT(walk_chain(), n);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	snprintf(dir, sizeof dir, "%s", "/tmp/hm-tbai-test-XXXXXX");
	const char *why = NULL;
	if (!mkdtemp(dir))
		return 1;
	snprintf(p12, sizeof p12, "%s/cert.p12", dir);
	snprintf(pem, sizeof pem, "%s/cert.pem", dir);
	if (!hm_tbai_testcert_write(p12, CERT_PASSWORD, pem, 30, &why)) {
		fprintf(stderr, "test certificate: %s\n", why);
		return 1;
	}
	setenv("HARREMAN_TBAI_CERT_PASSWORD", CERT_PASSWORD, 1);
	const char *const extra[] = {"--tbai-cert", p12, NULL};
	if (!ts_start(&server, extra))
		return 1;
	if (!ts_add_user(&server, "admin", "nerea@tbai.test", "Nerea Kudeatzailea", PASSWORD) ||
	    !ts_add_user(&server, "staff", "mikel@tbai.test", "Mikel Bulegoa", PASSWORD)) {
		ts_stop(&server);
		return 1;
	}
	RUN(setup);
	RUN(test_signing);
	RUN(test_crashes);
	CHECK_INT(ts_stop(&server), 0);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	run(cmd);
	return CHECK_EXIT();
}
