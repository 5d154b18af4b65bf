// SPDX-License-Identifier: MIT
// Direct-debit runs (API.md, "Payments and SEPA direct debits"), admin only:
// POST /direct-debits (the collection date at least HM_COLLECTION_LEAD_DAYS TARGET2
// business days ahead, src/domain/sepa.c), GET /direct-debits, GET
// /direct-debits/{id}/pain.008.xml (src/sepa/pain008.c writes it from the run's
// data: the only answer that carries full IBANs), POST /direct-debits/{id}/settle
// and POST /direct-debits/{id}/returns.
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_direct_debits.h"
#include "harreman/hours.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/pain008.h"
#include "harreman/sepa.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* Returns recorded at once, at most. */
#define RETURNS_MAX 500
/* Runs listed, at most (newest first). */
#define RUNS_LISTED 100

/* The business's local date of t as YYYY-MM-DD, and its local time as hh:mm:ss
 * (buffers of DT_BUF bytes). */
#define DT_BUF 32
static void local_date_time(int64_t t, char date[DT_BUF], char time_[DT_BUF])
{
	int64_t day, y;
	unsigned m, d;
	int weekday;
	hm_local_day(t, &day, &weekday);
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(date, DT_BUF, "%04" PRId64 "-%02u-%02u", y, m, d);
	if (time_) {
		unsigned minute = (unsigned)hm_local_minute(t) % 1440;
		snprintf(time_, DT_BUF, "%02u:%02u:%02u", minute / 60, minute % 60,
			 (unsigned)(t % 60));
	}
}

void hm_api_direct_debits_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const fields[] = {"collection_date", NULL};
	struct hm_validation v;
	const char *date = NULL;
	char today[DT_BUF];
	json_t *out = NULL;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, fields, NULL);
	hm_validate_text(&v, req->json, "collection_date", true, 10, &date);
	local_date_time(req->now, today, NULL);
	if (date && !hm_collection_date_ok(today, date, HM_COLLECTION_LEAD_DAYS))
		hm_validation_fail(&v, "collection_date",
				   "must be a TARGET2 business day at least two business days "
				   "ahead");
	if (!hm_api_validation_ok_or_reply(reply, &v))
		return;
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_direct_debits_create(req->db, date, &HM_ACTOR(req), &env, &out);
	if (err == HM_ERR_CONFLICT) {
		hm_reply_error(reply, err,
			       "Nothing to collect: no unpaid invoice of a client with "
			       "an active mandate outside an open run.");
		return;
	}
	hm_api_reply_result(reply, err, 201, out);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender); /* the pre-notifications */
}

void hm_api_direct_debits_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *items = NULL;
	enum hm_err err = hm_db_direct_debits_list(req->db, RUNS_LISTED, &items);
	hm_api_reply_result(reply, err, 200,
			    err == HM_OK ? json_pack("{s:o}", "items", items) : NULL);
}

static const char *text_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* The file of run data (hm_db_direct_debits_file's): *xml, or false when the
 * business's creditor data are missing. */
static bool write_file(const json_t *data, char **xml, size_t *len)
{
	const json_t *business = json_object_get(data, "business");
	const json_t *items = json_object_get(data, "items");
	size_t n = json_array_size(items);
	char creditor_id[HM_CREDITOR_ID_MAX + 1], msg_id[36], date[DT_BUF], time_[DT_BUF],
		created[2 * DT_BUF];
	const char *cid = text_of(business, "creditor_id");
	if (cid)
		snprintf(creditor_id, sizeof creditor_id, "%s", cid);
	else if (!text_of(business, "nif") ||
		 !hm_creditor_id_make(text_of(business, "nif"), "000", creditor_id))
		return false;
	if (n == 0)
		return false;
	struct hm_pain008_tx *txs = calloc(n, sizeof *txs);
	char(*e2e)[36] = calloc(n, sizeof *e2e);
	char(*remit)[64] = calloc(n, sizeof *remit);
	bool ok = txs && e2e && remit;
	int64_t id = (int64_t)json_integer_value(json_object_get(data, "id"));
	for (size_t i = 0; ok && i < n; i++) {
		const json_t *it = json_array_get(items, i);
		snprintf(e2e[i], sizeof e2e[i], "HRM-%" PRId64 "-%" PRId64, id,
			 (int64_t)json_integer_value(json_object_get(it, "invoice_id")));
		snprintf(remit[i], sizeof remit[i], "%s", text_of(it, "invoice_number"));
		txs[i] = (struct hm_pain008_tx){
			.end_to_end_id = e2e[i],
			.mandate_id = text_of(it, "reference"),
			.signed_on = text_of(it, "signed_on"),
			.debtor_name = text_of(it, "holder_name"),
			.debtor_iban = text_of(it, "iban"),
			.remittance = remit[i],
			.sequence = text_of(it, "sequence"),
			.amount_cents = (int64_t)json_integer_value(
				json_object_get(it, "amount_cents")),
		};
	}
	int64_t created_at = (int64_t)json_integer_value(json_object_get(data, "created_at_unix"));
	local_date_time(created_at, date, time_);
	snprintf(created, sizeof created, "%sT%s", date, time_);
	snprintf(msg_id, sizeof msg_id, "HRM-DD-%" PRId64 "-%" PRId64, id, created_at);
	struct hm_pain008_doc doc = {
		.msg_id = msg_id,
		.created_at = created,
		.collection_date = text_of(data, "collection_date"),
		.creditor_name = text_of(business, "legal_name"),
		.creditor_iban = text_of(business, "creditor_iban"),
		.creditor_id = creditor_id,
		.txs = txs,
		.n_txs = n,
	};
	ok = ok && hm_pain008_write(&doc, xml, len);
	free(txs);
	free(e2e);
	free(remit);
	return ok;
}

void hm_api_direct_debits_file(struct hm_request *req, struct hm_reply *reply)
{
	json_t *data = NULL;
	char *xml = NULL;
	size_t len = 0;
	enum hm_err err = hm_db_direct_debits_file(req->db, req->path_ids[0], &data);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	bool ok = write_file(data, &xml, &len);
	json_decref(data);
	if (!ok) {
		hm_reply_error(reply, HM_ERR_CONFLICT,
			       "No file: the business's legal name, NIF or creditor identifier and "
			       "creditor IBAN are not set (PUT /business), or nothing is left to "
			       "collect in this run.");
		return;
	}
	hm_reply_header(reply, "Cache-Control", "private, no-store");
	hm_reply_raw_owned(reply, 200, "application/xml; charset=utf-8", xml, len);
}

void hm_api_direct_debits_settle(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	if (!hm_api_no_fields_or_reply(req, reply))
		return;
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_direct_debits_settle(req->db, req->path_ids[0], &HM_ACTOR(req),
						     &env, &out);
	hm_api_reply_result(reply, err, 200, out);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender); /* the receipts */
}

/* {items: [{invoice_id, reason}]} into r[0..*n). */
static bool read_returns_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_direct_debit_return *r, size_t *n)
{
	static const char *const fields[] = {"items", NULL};
	struct hm_validation v;
	json_t *items = json_object_get(req->json, "items");
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, fields, NULL);
	*n = json_array_size(items);
	if (!json_is_array(items) || *n == 0 || *n > RETURNS_MAX)
		hm_validation_fail(&v, "items", "must be a list of 1 to 500 returns");
	for (size_t i = 0; json_is_array(items) && i < *n && i < RETURNS_MAX; i++) {
		json_t *it = json_array_get(items, i);
		json_t *id = json_object_get(it, "invoice_id");
		r[i].invoice_id = json_is_integer(id) ? json_integer_value(id) : 0;
		r[i].reason = text_of(it, "reason");
		if (r[i].invoice_id <= 0 || !hm_sepa_reason_known(r[i].reason) ||
		    json_object_size(it) != 2) {
			hm_validation_fail(&v, "items",
					   "each must be {invoice_id, reason} with an ISO 20022 "
					   "reason code such as AM04 or MS02");
			break;
		}
	}
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_direct_debits_returns(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_direct_debit_return *r = calloc(RETURNS_MAX, sizeof *r);
	size_t n = 0;
	json_t *out = NULL;
	if (!r) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	if (!read_returns_or_reply(req, reply, r, &n)) {
		free(r);
		return;
	}
	enum hm_err err = hm_db_direct_debits_return(req->db, req->path_ids[0], r, n,
						     &HM_ACTOR(req), &out);
	free(r);
	if (err == HM_ERR_VALIDATION_FAILED) {
		hm_reply_invalid(reply,
				 json_pack("{s:s}", "items", "an invoice is not in this run"));
		return;
	}
	if (err == HM_ERR_CONFLICT) {
		hm_reply_error(reply, err, "A collection was returned already.");
		return;
	}
	hm_api_reply_result(reply, err, 200, out);
}
