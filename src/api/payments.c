// SPDX-License-Identifier: MIT
// Payments, balances and SEPA mandates (API.md, "Payments and SEPA direct
// debits"): POST|GET /payments (staff), GET /clients/{id}/balance (staff) and
// /me/balance, POST|GET /clients/{id}/mandates and POST /mandates/{id}/revoke
// (staff). An IBAN is checked here (src/domain/sepa.c) and never echoed: a bad
// one is answered without its text, and every mandate comes back masked.
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_clients.h"
#include "harreman/db_invoices.h"
#include "harreman/db_payments.h"
#include "harreman/hours.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/sepa.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* The largest payment taken at once (a million euros). */
#define PAYMENT_MAX_CENTS ((int64_t)100000000)

void hm_sepa_ids_check(struct hm_validation *v, struct hm_business_input *in,
		       struct hm_sepa_ids *ids)
{
	if (in->creditor_id &&
	    !hm_creditor_id_valid(in->creditor_id, strlen(in->creditor_id), ids->creditor_id))
		hm_validation_fail(v, "creditor_id",
				   "must be a SEPA creditor identifier with its check digits");
	else if (in->creditor_id)
		in->creditor_id = ids->creditor_id;
	if (in->creditor_iban &&
	    !hm_iban_valid(in->creditor_iban, strlen(in->creditor_iban), ids->creditor_iban))
		hm_validation_fail(v, "creditor_iban", "must be an IBAN of a SEPA country");
	else if (in->creditor_iban)
		in->creditor_iban = ids->creditor_iban;
}

static const char *const methods[] = {"cash", "card", "transfer", "direct_debit", NULL};

static bool read_payment_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_payment_input *in)
{
	static const char *const fields[] = {"client_id",    "invoice_id", "method",
					     "amount_cents", "paid_at",    NULL};
	struct hm_validation v;
	json_t *body = req->json;
	const char *paid_at = NULL;
	int method = -1;
	memset(in, 0, sizeof *in);
	hm_validation_init(&v);
	hm_validate_known(&v, body, fields, NULL);
	hm_validate_int(&v, body, "client_id", true, 1, INT64_MAX, &in->client_id, NULL);
	hm_validate_int(&v, body, "invoice_id", false, 1, INT64_MAX, &in->invoice_id, NULL);
	hm_validate_enum(&v, body, "method", true, methods, &method);
	hm_validate_int(&v, body, "amount_cents", true, 1, PAYMENT_MAX_CENTS, &in->amount_cents,
			NULL);
	hm_validate_text(&v, body, "paid_at", false, 40, &paid_at);
	if (paid_at && !hm_time_parse(paid_at, &in->paid_at))
		hm_validation_fail(&v, "paid_at", "must be a date and time (RFC 3339)");
	else if (paid_at && in->paid_at > req->now)
		hm_validation_fail(&v, "paid_at", "must not be in the future");
	in->method = method >= 0 ? methods[method] : NULL;
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_payments_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_payment_input in;
	json_t *out = NULL;
	if (!read_payment_or_reply(req, reply, &in))
		return;
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_payments_create(req->db, &in, &HM_ACTOR(req), &env, &out);
	if (err == HM_ERR_VALIDATION_FAILED) {
		hm_reply_invalid(
			reply, json_pack("{s:s}", "amount_cents", "must not be more than is due"));
		return;
	}
	hm_api_reply_result(reply, err, 201, out);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender); /* the receipt */
}

void hm_api_payments_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL, *items = NULL;
	int64_t client_id = 0, next = 0, after;
	int limit;
	if (!hm_api_query_id(req, "client_id", &client_id, &fields)) {
		hm_reply_invalid(reply, fields);
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_payments_list(req->db, client_id, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_clients_balance(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_payments_balance(req->db, req->path_ids[0], req->now, &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* The family's balance (API.md v2), whichever member ?client_id= names. */
void hm_api_me_balance(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	json_t *out = NULL;
	if (!hm_api_learner_or_reply(req, reply, &client_id))
		return;
	enum hm_err err = hm_db_payments_balance(req->db, client_id, req->now, &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* Reads a mandate; iban gets the compact IBAN. The IBAN's text is never put in an
 * answer or a log line. */
static bool read_mandate_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_mandate_input *in, char iban[HM_IBAN_MAX + 1])
{
	static const char *const fields[] = {"iban", "holder_name", "signed_on", NULL};
	struct hm_validation v;
	json_t *body = req->json;
	int64_t day = 0, today = 0;
	int weekday = 0;
	memset(in, 0, sizeof *in);
	hm_validation_init(&v);
	hm_validate_known(&v, body, fields, NULL);
	hm_validate_text(&v, body, "iban", true, 50, &in->iban);
	if (in->iban && !hm_iban_valid(in->iban, strlen(in->iban), iban))
		hm_validation_fail(&v, "iban", "must be an IBAN of a SEPA country (ISO 13616)");
	else if (in->iban)
		in->iban = iban;
	hm_validate_text(&v, body, "holder_name", true, 70, &in->holder_name);
	hm_validate_text(&v, body, "signed_on", true, 10, &in->signed_on);
	hm_local_day(req->now, &today, &weekday);
	if (in->signed_on && !hm_date_parse(in->signed_on, &day))
		hm_validation_fail(&v, "signed_on", "must be a date YYYY-MM-DD");
	else if (in->signed_on && day > today)
		hm_validation_fail(&v, "signed_on", "must not be in the future");
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_mandates_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_mandate_input in;
	char iban[HM_IBAN_MAX + 1];
	json_t *out = NULL;
	if (!read_mandate_or_reply(req, reply, &in, iban))
		return;
	enum hm_err err = hm_db_mandates_create(req->db, req->path_ids[0], &in, &HM_ACTOR(req),
						&out);
	if (err == HM_ERR_CONFLICT) {
		hm_reply_error(reply, err, "The client has an active mandate: revoke it first.");
		return;
	}
	hm_api_reply_result(reply, err, 201, out);
}

void hm_api_mandates_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *items = NULL;
	enum hm_err err = hm_db_mandates_list(req->db, req->path_ids[0], &items);
	hm_api_reply_result(reply, err, 200,
			    err == HM_OK ? json_pack("{s:o}", "items", items) : NULL);
}

void hm_api_mandates_revoke(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	if (!hm_api_no_fields_or_reply(req, reply))
		return;
	enum hm_err err = hm_db_mandates_revoke(req->db, req->path_ids[0], &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}
