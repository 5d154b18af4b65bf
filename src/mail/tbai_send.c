// SPDX-License-Identifier: MIT
// The TicketBAI sending thread (include/harreman/tbai_send.h). Each pass takes the
// lowest signed invoice not sent yet, POSTs its file with libcurl (client
// certificate from memory: CURLOPT_SSLCERT_BLOB / SSLKEY_BLOB), reads the answer
// (hm_tbai_parse_response) and records it in one transaction. A submission cut by
// a crash is sent again at the next start: the treasuries answer a repeated file
// by its identifier, and every answer is kept.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "harreman/curl_lib.h"
#include "harreman/db_tbai.h"
#include "harreman/log.h"
#include "harreman/tbai.h"
#include "harreman/tbai_send.h"
#include "harreman/timefmt.h"
#include "harreman/waker.h"
#include "harreman/banned.h"

#define CONNECT_TIMEOUT 10L
#define TRANSFER_TIMEOUT 30L
#define ANSWER_CAP ((size_t)256 * 1024)
#define EXCERPT 2000

struct hm_tbai_send {
	struct hm_waker waker;
	struct hm_app *app;
	char *cert_pem, *key_pem; /* owned; the key is wiped when freed */
};

struct answer {
	char *data;
	size_t len;
};

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb;
	if (a->len + n > ANSWER_CAP)
		return 0; /* too big: the transfer fails */
	char *grown = realloc(a->data, a->len + n + 1);
	if (!grown)
		return 0;
	memcpy(grown + a->len, ptr, n);
	a->len += n;
	grown[a->len] = '\0';
	a->data = grown;
	return n;
}

static void keep_first(CURLcode *rc, CURLcode next)
{
	if (*rc == CURLE_OK)
		*rc = next;
}

/* POSTs xml; *http_status (0: no answer), the answer into *a, *error (curl's, in
 * errbuf) when the transfer failed. */
static void post(struct hm_tbai_send *s, const char *xml, int *http_status, struct answer *a,
		 char *errbuf)
{
	struct curl_blob cert = {s->cert_pem, strlen(s->cert_pem), CURL_BLOB_NOCOPY};
	struct curl_blob key = {s->key_pem, strlen(s->key_pem), CURL_BLOB_NOCOPY};
	struct curl_slist *headers = hm_curl.slist_append(
		NULL, "Content-Type: application/xml;charset=UTF-8");
	CURL *curl = hm_curl.easy_init();
	CURLcode rc = curl && headers ? CURLE_OK : CURLE_OUT_OF_MEMORY;
	const struct hm_config *cfg = &s->app->cfg;
	*http_status = 0;
	if (curl) {
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_URL, cfg->tbai_url));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https"));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_POSTFIELDS, xml));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
						    (curl_off_t)strlen(xml)));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_HTTPHEADER, headers));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM"));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM"));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key));
		if (cfg->tbai_ca)
			keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_CAINFO, cfg->tbai_ca));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_WRITEDATA, a));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_TIMEOUT, TRANSFER_TIMEOUT));
		keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf));
	}
	if (rc == CURLE_OK)
		rc = hm_curl.easy_perform(curl);
	long code = 0;
	if (rc == CURLE_OK && hm_curl.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK)
		*http_status = (int)code;
	if (rc != CURLE_OK && !errbuf[0])
		snprintf(errbuf, CURL_ERROR_SIZE, "%s", hm_curl.easy_strerror(rc));
	if (curl)
		hm_curl.easy_cleanup(curl);
	hm_curl.slist_free_all(headers);
}

/* Sends the next invoice; the milliseconds to wait before the next pass. */
static int64_t send_next(struct hm_tbai_send *s, struct hm_db *db)
{
	int64_t id = 0;
	char *xml = NULL;
	int attempts = 0;
	enum hm_err err = hm_db_tbai_next_to_send(db, &id, &xml, &attempts);
	if (err != HM_OK)
		return err == HM_ERR_NOT_FOUND ? HM_TBAI_SEND_POLL_MS : 5000;
	char errbuf[CURL_ERROR_SIZE] = "", estado[3] = "";
	struct answer a = {NULL, 0};
	int http_status = 0;
	int64_t sent_at = hm_time_now();
	post(s, xml, &http_status, &a, errbuf);
	char *codes = NULL;
	bool parsed = a.data && hm_tbai_parse_response(a.data, a.len, estado, &codes);
	const struct hm_db_tbai_answer answer = {
		.invoice_id = id,
		.sent_at = sent_at,
		.http_status = http_status,
		.estado = parsed ? estado : NULL,
		.codes = codes,
		.body = a.data,
		.error = errbuf[0] ? errbuf : NULL,
	};
	err = hm_db_tbai_record(db, &answer);
	hm_log_info("ticketbai: invoice %lld sent (attempt %d): HTTP %d%s%s%s", (long long)id,
		    attempts + 1, http_status, parsed ? ", estado " : "", parsed ? estado : "",
		    errbuf[0] ? errbuf : "");
	free(codes);
	free(a.data);
	free(xml);
	if (err != HM_OK)
		return 5000;
	if (http_status == 0 || http_status >= 500) {
		int64_t wait = HM_TBAI_SEND_BACKOFF;
		for (int i = 0; i < attempts && wait < HM_TBAI_SEND_BACKOFF_MAX; i++)
			wait *= 2;
		return (wait > HM_TBAI_SEND_BACKOFF_MAX ? HM_TBAI_SEND_BACKOFF_MAX : wait) * 1000;
	}
	return 0;
}

static void *run(void *arg)
{
	struct hm_tbai_send *s = arg;
	struct hm_db *db = NULL;
	prctl(PR_SET_NAME, "hm-tbai-send", 0, 0, 0);
	while (!hm_waker_stopping(&s->waker)) {
		hm_waker_begin_pass(&s->waker);
		int64_t wait = 5000;
		if (db || (db = hm_db_open(s->app->cfg.db_path)))
			wait = send_next(s, db);
		if (wait > 0)
			hm_waker_sleep_ms(&s->waker, wait);
	}
	hm_db_close(db);
	return NULL;
}

static void free_pems(char *cert_pem, char *key_pem)
{
	free(cert_pem);
	hm_tbai_pem_free(key_pem);
}

struct hm_tbai_send *hm_tbai_send_start(struct hm_app *app, char *cert_pem, char *key_pem,
					const char **why)
{
	struct hm_tbai_send *s = calloc(1, sizeof *s);
	*why = "cannot start the TicketBAI sending thread";
	if (s) {
		s->app = app;
		s->cert_pem = cert_pem;
		s->key_pem = key_pem;
	}
	if (!s || !hm_waker_start(&s->waker, run, s)) {
		free(s);
		free_pems(cert_pem, key_pem);
		return NULL;
	}
	hm_log_info("ticketbai: sending signed invoices to %s", app->cfg.tbai_url);
	*why = NULL;
	return s;
}

void hm_tbai_send_wake(struct hm_tbai_send *s)
{
	if (s)
		hm_waker_wake(&s->waker);
}

void hm_tbai_send_stop(struct hm_tbai_send *s)
{
	if (!s)
		return;
	hm_waker_stop(&s->waker);
	free_pems(s->cert_pem, s->key_pem);
	free(s);
}
