// SPDX-License-Identifier: MIT
// TicketBAI sending against a local HTTPS stand-in of a treasury
// (tests/tbai/treasury_standin.py on 127.0.0.1, a random port, its own
// self-signed server certificate given by --tbai-ca, the client certificate
// required): the server started with --tbai-cert and --tbai-url signs invoices and
// POSTs them in order. The stand-in answers 503 first (retried with backoff), then
// accepts odd invoice numbers and rejects even ones (Codigo 005). Checked: each
// invoice's tbai.status and error; GET /tbai/submissions (admin only) lists every
// attempt with its HTTP status, Estado and codes; POST /invoices/{id}/tbai/retry
// sends one again (a new attempt); every request reached the stand-in over TLS
// from 127.0.0.1 with the TEST client certificate and Content-Type
// application/xml;charset=UTF-8, and there were exactly as many as submissions.
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/tbai.h"

#define PASSWORD "pasahitz-luze-bat-2026"
#define CERT_PASSWORD "ziurtagiri-proba-2026"

static struct test_server server;
static struct api_client admin, staff;
static char dir[64];
static pid_t standin = -1;

static json_int_t int_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
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

/* Starts the stand-in; its port, or 0. */
static int start_standin(const char *client_pem)
{
	char port_file[128], cert[128], key[128], log[128], cmd[512];
	snprintf(port_file, sizeof port_file, "%s/port", dir);
	snprintf(cert, sizeof cert, "%s/server.pem", dir);
	snprintf(key, sizeof key, "%s/server.key", dir);
	snprintf(log, sizeof log, "%s/standin.log", dir);
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
		 " -addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' 2>/dev/null",
		 key, cert);
	if (system(cmd) != 0)
		return 0;
	standin = fork();
	if (standin == 0) {
		execl(HM_TEST_PYTHON, HM_TEST_PYTHON,
		      HM_TEST_SOURCE_DIR "/tbai/treasury_standin.py", port_file, cert, key,
		      client_pem, log, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		FILE *f = fopen(port_file, "r");
		int port = 0;
		if (f && fscanf(f, "%d", &port) == 1 && port > 0) {
			fclose(f);
			return port;
		}
		if (f)
			fclose(f);
		usleep(100 * 1000);
	}
	return 0;
}

/* Every invoice's tbai status, by id (caller frees). */
static json_t *invoices(void)
{
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/invoices?limit=200", NULL, &r);
	json_t *items = json_incref(http_json(&r, "items"));
	http_response_free(&r);
	return items;
}

static const char *status_of(json_t *inv)
{
	return json_str(json_object_get(inv, "tbai"), "status");
}

/* Waits up to seconds until no invoice is pending or signed; the invoices. */
static json_t *wait_answered(int seconds)
{
	json_t *items = NULL;
	for (int i = 0; i < seconds * 5; i++) {
		json_decref(items);
		items = invoices();
		size_t k;
		json_t *inv;
		bool done = json_array_size(items) > 0;
		json_array_foreach(items, k, inv)
		{
			const char *s = status_of(inv);
			done = done && s && strcmp(s, "pending") != 0 && strcmp(s, "signed") != 0;
		}
		if (done)
			break;
		usleep(200 * 1000);
	}
	return items;
}

static json_t *submissions(void)
{
	struct http_response r;
	api_call(&admin, "GET", "/api/v1/tbai/submissions?limit=200", NULL, &r);
	CHECK_INT(r.status, 200);
	json_t *items = json_incref(http_json(&r, "items"));
	http_response_free(&r);
	return items;
}

/* The stand-in's log lines as a JSON array. */
static json_t *standin_log(void)
{
	char path[128], line[2048];
	snprintf(path, sizeof path, "%s/standin.log", dir);
	json_t *all = json_array();
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		json_array_append_new(all, json_loads(line, 0, NULL));
	if (f)
		fclose(f);
	return all;
}

static void test_sending(void)
{
	api_client_init(&admin, server.port);
	api_client_init(&staff, server.port);
	CHECK_INT(api_login(&admin, "nerea@send.test", PASSWORD), 200);
	CHECK_INT(api_login(&staff, "mikel@send.test", PASSWORD), 200);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/tbai/submissions", NULL), 403);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/invoices/1/tbai/retry", NULL), 403);
	CHECK_INT(api_status(&admin, "POST", "/api/v1/invoices/999/tbai/retry", NULL), 404);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/business",
			     "{\"legal_name\":\"PROBA Akademia S.L.\",\"nif\":\"B12345674\","
			     "\"address\":\"Kale Nagusia 1\",\"postcode\":\"20001\",\"city\":"
			     "\"Donostia\",\"territory\":\"gipuzkoa\",\"invoice_series\":\"S\","
			     "\"vat_exempt\":true,\"vat_percent\":21}"),
		  200);
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	json_int_t tutor = int_of(http_json(&r, "user"), "id");
	http_response_free(&r);
	CHECK(api_make_tutor(&staff, tutor, "maths", NULL, 0, "08:00", "22:00"));
	json_int_t service = post_id(&staff, "/api/v1/services",
				     "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":"
				     "\"private\",\"duration_min\":60,\"price_cents\":3000,"
				     "\"capacity\":1}");
	json_int_t client = post_id(&staff, "/api/v1/clients",
				    "{\"full_name\":\"Ane Etxeberria\"}");
	for (int i = 0; i < 3; i++) {
		char body[200];
		snprintf(body, sizeof body,
			 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\","
			 "\"sessions\":1,\"channel\":\"phone\"}",
			 (long long)client, (long long)service);
		CHECK(post_id(&staff, "/api/v1/contracts", body) > 0);
	}

	json_t *items = wait_answered(60);
	size_t k;
	json_t *inv;
	json_int_t even_id = 0;
	CHECK_INT(json_array_size(items), 3);
	json_array_foreach(items, k, inv)
	{
		bool odd = int_of(inv, "number") % 2 == 1;
		CHECK_STR(status_of(inv), odd ? "accepted" : "rejected");
		const char *error = json_str(json_object_get(inv, "tbai"), "error");
		if (!odd) {
			even_id = int_of(inv, "id");
			CHECK(error && strstr(error, "005") && strstr(error, "rechazado"));
		} else {
			CHECK(error == NULL);
		}
	}
	json_decref(items);

	/* Four submissions: the 503 (retried), then one for each invoice, in order. */
	json_t *subs = submissions();
	CHECK_INT(json_array_size(subs), 4);
	json_t *first = json_array_get(subs, 0);
	CHECK_INT(int_of(first, "http_status"), 503);
	CHECK(json_is_null(json_object_get(first, "estado")));
	CHECK_INT(int_of(json_array_get(subs, 1), "invoice_id"), int_of(first, "invoice_id"));
	CHECK_INT(int_of(json_array_get(subs, 1), "attempt"), 2);
	CHECK_STR(json_str(json_array_get(subs, 1), "estado"), "00");
	json_int_t last_invoice = 0;
	json_array_foreach(subs, k, inv)
	{
		CHECK(int_of(inv, "invoice_id") >= last_invoice); /* in order */
		last_invoice = int_of(inv, "invoice_id");
	}
	json_decref(subs);

	/* Retry the rejected one: a new attempt, rejected again. */
	char path[80];
	snprintf(path, sizeof path, "/api/v1/invoices/%lld/tbai/retry", (long long)even_id);
	CHECK_INT(api_status(&admin, "POST", path, NULL), 202);
	json_decref(wait_answered(30));
	subs = submissions();
	CHECK_INT(json_array_size(subs), 5);
	json_t *again = json_array_get(subs, 4);
	CHECK_INT(int_of(again, "invoice_id"), even_id);
	CHECK_INT(int_of(again, "attempt"), 2);
	CHECK_STR(json_str(again, "estado"), "01");

	/* What the stand-in saw: exactly these requests, each as it should be. */
	json_t *log = standin_log();
	CHECK_INT(json_array_size(log), json_array_size(subs));
	json_array_foreach(log, k, inv)
	{
		CHECK_STR(json_str(inv, "peer"), "127.0.0.1");
		CHECK_STR(json_str(inv, "path"), "/sarrerak/alta");
		CHECK_STR(json_str(inv, "content_type"), "application/xml;charset=UTF-8");
		const char *subject = json_str(inv, "subject");
		CHECK(subject && strstr(subject, "TEST") != NULL);
	}
	json_decref(log);
	json_decref(subs);
}

int main(void)
{
	snprintf(dir, sizeof dir, "%s", "/tmp/hm-tbai-send-XXXXXX");
	const char *why = NULL;
	char p12[128], pem[128], url[128], ca[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(p12, sizeof p12, "%s/cert.p12", dir);
	snprintf(pem, sizeof pem, "%s/cert.pem", dir);
	snprintf(ca, sizeof ca, "%s/server.pem", dir);
	if (!hm_tbai_testcert_write(p12, CERT_PASSWORD, pem, 30, &why)) {
		fprintf(stderr, "test certificate: %s\n", why);
		return 1;
	}
	int port = start_standin(pem);
	if (!port) {
		fprintf(stderr, "the treasury stand-in did not start\n");
		return 1;
	}
	snprintf(url, sizeof url, "https://127.0.0.1:%d/sarrerak/alta", port);
	setenv("HARREMAN_TBAI_CERT_PASSWORD", CERT_PASSWORD, 1);
	const char *const extra[] = {"--tbai-cert", p12, "--tbai-url", url, "--tbai-ca", ca, NULL};
	bool up = ts_start(&server, extra);
	if (up && ts_add_user(&server, "admin", "nerea@send.test", "Nerea", PASSWORD) &&
	    ts_add_user(&server, "staff", "mikel@send.test", "Mikel", PASSWORD)) {
		RUN(test_sending);
	} else {
		CHECK(!"the server came up");
	}
	if (up)
		CHECK_INT(ts_stop(&server), 0);
	kill(standin, SIGTERM);
	waitpid(standin, NULL, 0);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK_INT(system(cmd), 0);
	return CHECK_EXIT();
}
