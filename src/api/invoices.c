// SPDX-License-Identifier: MIT
// Invoices and the business settings (API.md, "Invoices and TicketBAI"): GET|PUT
// /business (admin), the invoice lists of staff and of a student, one invoice, its
// TicketBAI XML (409 while pending) and its printable page in the client's
// language (src/domain/invoice.c renders it). Invoices are issued by the contract
// and cancellation transactions themselves (src/db/invoices.c), never here.
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_clients.h"
#include "harreman/db_invoices.h"
#include "harreman/hours.h"
#include "harreman/invoice.h"
#include "harreman/limits.h"
#include "harreman/sepa.h"
#include "harreman/taxid.h"
#include "harreman/tbai.h"
#include "harreman/banned.h"

/* The most bytes a printed invoice may take. */
#define PRINT_MAX ((size_t)1 << 20)

static const char *const territories[] = {"araba", "bizkaia", "gipuzkoa", NULL};

/* ---- the business ------------------------------------------------------------ */

void hm_api_business_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_business_get(req->db, &out);
	/* The signing certificate (none: null), from the server's start. */
	const struct hm_app *app = req->app;
	json_t *cert = app->tbai_subject[0] ? json_pack("{s:s, s:b}", "subject", app->tbai_subject,
							"test", app->tbai_test_cert)
					    : json_null();
	if (err == HM_OK && (!cert || json_object_set_new(out, "certificate", cert) != 0))
		err = HM_ERR_INTERNAL;
	else if (err != HM_OK)
		json_decref(cert);
	hm_api_reply_result(reply, err, 200, out);
}

/* Reads the whole settings of PUT /business into in (texts borrow the body; nif
 * gets the canonical form in nif_buf). */
static bool read_business_or_reply(struct hm_request *req, struct hm_reply *reply,
				   struct hm_business_input *in, char nif_buf[HM_TAXID_LEN + 1],
				   struct hm_sepa_ids *ids)
{
	static const char *const fields[] = {"legal_name",     "nif",           "address",
					     "postcode",       "city",          "territory",
					     "invoice_series", "vat_exempt",    "vat_percent",
					     "creditor_id",    "creditor_iban", NULL};
	struct hm_validation v;
	json_t *body = req->json;
	int territory = -1;
	int64_t percent = 21;
	bool exempt = true;
	memset(in, 0, sizeof *in);
	in->invoice_series = "F";
	hm_validation_init(&v);
	hm_validate_known(&v, body, fields, NULL);
	hm_validate_text(&v, body, "legal_name", true, HM_MAX_NAME, &in->legal_name);
	hm_validate_text(&v, body, "nif", true, 20, &in->nif);
	if (in->nif && !hm_taxid_valid(in->nif, strlen(in->nif), nif_buf))
		hm_validation_fail(&v, "nif",
				   "must be a Spanish NIF, NIE or CIF with its check "
				   "character");
	else if (in->nif)
		in->nif = nif_buf;
	hm_validate_text(&v, body, "address", true, HM_MAX_NAME, &in->address);
	hm_validate_text(&v, body, "postcode", true, 5, &in->postcode);
	if (in->postcode && (strlen(in->postcode) != 5 || strspn(in->postcode, "0123456789") != 5))
		hm_validation_fail(&v, "postcode", "must be 5 digits");
	hm_validate_text(&v, body, "city", true, HM_MAX_NAME, &in->city);
	hm_validate_enum(&v, body, "territory", true, territories, &territory);
	hm_validate_text(&v, body, "invoice_series", false, HM_INVOICE_SERIES_MAX,
			 &in->invoice_series);
	if (in->invoice_series && !hm_invoice_series_valid(in->invoice_series))
		hm_validation_fail(&v, "invoice_series",
				   "must be 1 to 19 characters of 0-9, A-Z and -");
	hm_validate_bool(&v, body, "vat_exempt", false, &exempt, NULL);
	hm_validate_int(&v, body, "vat_percent", false, 0, 100, &percent, NULL);
	if (!exempt && percent == 0)
		hm_validation_fail(&v, "vat_percent", "must be 1 to 100 when VAT applies");
	if (!json_is_null(json_object_get(body, "creditor_id")))
		hm_validate_text(&v, body, "creditor_id", false, 40, &in->creditor_id);
	if (!json_is_null(json_object_get(body, "creditor_iban")))
		hm_validate_text(&v, body, "creditor_iban", false, 50, &in->creditor_iban);
	hm_sepa_ids_check(&v, in, ids);
	in->territory = territory >= 0 ? territories[territory] : NULL;
	in->vat_exempt = exempt;
	in->vat_percent = (int)percent;
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_business_put(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_business_input in;
	char nif[HM_TAXID_LEN + 1];
	struct hm_sepa_ids ids;
	json_t *out = NULL;
	if (!read_business_or_reply(req, reply, &in, nif, &ids))
		return;
	enum hm_err err = hm_db_business_put(req->db, &in, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- invoices ------------------------------------------------------------------ */

/* ?from= / ?to= (YYYY-MM-DD, each optional) into from and to; 422 otherwise. */
static bool read_days_or_reply(struct hm_request *req, struct hm_reply *reply, const char **from,
			       const char **to)
{
	json_t *fields = NULL;
	int64_t day_from = 0, day_to = 0;
	*from = hm_query_get(req, "from");
	*to = hm_query_get(req, "to");
	if (*from && !hm_date_parse(*from, &day_from))
		fields = json_pack("{s:s}", "from", "must be a date YYYY-MM-DD");
	if (*to && !hm_date_parse(*to, &day_to)) {
		if (!fields)
			fields = json_object();
		json_object_set_new(fields, "to", json_string("must be a date YYYY-MM-DD"));
	}
	if (!fields && *from && *to && day_to < day_from)
		fields = json_pack("{s:s}", "to", "must not be before from");
	if (fields) {
		hm_reply_invalid(reply, fields);
		return false;
	}
	return true;
}

/* A page of client_id's invoices (0: all), or of its whole family. */
static void reply_list(struct hm_request *req, struct hm_reply *reply, int64_t client_id,
		       bool family)
{
	int limit;
	int64_t after, next = 0;
	const char *from = NULL, *to = NULL;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after) ||
	    !read_days_or_reply(req, reply, &from, &to))
		return;
	enum hm_err err = family ? hm_db_invoices_list_family(req->db, client_id, from, to, after,
							      limit, &items, &next)
				 : hm_db_invoices_list(req->db, client_id, from, to, after, limit,
						       &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_invoices_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL;
	int64_t client_id = 0;
	if (!hm_api_query_id(req, "client_id", &client_id, &fields)) {
		hm_reply_invalid(reply, fields);
		return;
	}
	reply_list(req, reply, client_id, false);
}

/* The whole family's invoices (API.md v2), whichever member ?client_id= names. */
void hm_api_me_invoices(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	if (hm_api_learner_or_reply(req, reply, &client_id))
		reply_list(req, reply, client_id, true);
}

void hm_api_invoices_get(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	json_t *out = NULL;
	enum hm_err err = hm_api_caller_client(req, &client_id);
	if (err == HM_OK)
		err = hm_db_invoices_get(req->db, req->path_ids[0], client_id, &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_invoices_xml(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	char *xml = NULL;
	enum hm_err err = hm_api_caller_client(req, &client_id);
	if (err == HM_OK)
		err = hm_db_invoices_xml(req->db, req->path_ids[0], client_id, &xml);
	if (err == HM_ERR_CONFLICT) {
		hm_reply_error(reply, err,
			       "The invoice is not signed yet: its TicketBAI file does not exist.");
		return;
	}
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_raw_owned(reply, 200, "application/xml; charset=utf-8", xml, strlen(xml));
}

/* The text of key in obj, NULL when absent or not a string. */
static const char *text_of(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int64_t int_of(const json_t *obj, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(obj, key));
}

/* Renders the page of doc (hm_db_invoices_print's) into out. */
static bool render(const json_t *doc, bool test_certificate, struct hm_buf *out)
{
	const json_t *invoice = json_object_get(doc, "invoice");
	const json_t *business = json_object_get(doc, "business");
	const json_t *customer = json_object_get(doc, "customer");
	const json_t *tbai = json_object_get(invoice, "tbai");
	const json_t *lines = json_object_get(invoice, "lines");
	size_t n = json_array_size(lines);
	struct hm_invoice_line *items = calloc(n ? n : 1, sizeof *items);
	if (!items)
		return false;
	for (size_t i = 0; i < n; i++) {
		const json_t *line = json_array_get(lines, i);
		items[i] = (struct hm_invoice_line){
			.description = text_of(line, "description"),
			.quantity = int_of(line, "quantity"),
			.unit_price_cents = int_of(line, "unit_price_cents"),
			.discount_cents = int_of(line, "discount_cents"),
			.amount_cents = int_of(line, "amount_cents"),
		};
	}
	struct hm_invoice_doc d = {
		.legal_name = text_of(business, "legal_name"),
		.nif = text_of(business, "nif"),
		.address = text_of(business, "address"),
		.postcode = text_of(business, "postcode"),
		.city = text_of(business, "city"),
		.series = text_of(invoice, "series"),
		.kind = text_of(invoice, "kind"),
		.issued_on = text_of(doc, "issued_on"),
		.number = int_of(invoice, "number"),
		.rectifies = text_of(doc, "rectifies_number"),
		.customer_name = text_of(customer, "name"),
		.customer_tax_id = text_of(customer, "tax_id"),
		.customer_address = text_of(customer, "address"),
		.lines = items,
		.n_lines = n,
		.base_cents = int_of(invoice, "base_cents"),
		.vat_cents = int_of(invoice, "vat_cents"),
		.total_cents = int_of(invoice, "total_cents"),
		.vat_percent = (int)int_of(invoice, "vat_percent"),
		.tbai_status = text_of(tbai, "status"),
		.tbai_id = text_of(tbai, "id"),
		.test_certificate = test_certificate,
	};
	/* The QR code of the signed invoice's address; none while pending. */
	const char *qr_url = text_of(tbai, "qr_url");
	char *svg = qr_url ? hm_tbai_qr_svg(qr_url) : NULL;
	bool ok = (!qr_url || svg) &&
		  hm_invoice_print_html(&d, hm_locale_from_name(text_of(doc, "locale")), svg, out);
	free(svg);
	free(items);
	return ok;
}

void hm_api_invoices_print(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	json_t *doc = NULL;
	struct hm_buf page;
	enum hm_err err = hm_api_caller_client(req, &client_id);
	if (err == HM_OK)
		err = hm_db_invoices_print(req->db, req->path_ids[0], client_id, &doc);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_buf_init(&page, PRINT_MAX);
	bool ok = render(doc, req->app->tbai_test_cert, &page);
	json_decref(doc);
	size_t len = 0;
	char *html = ok ? hm_buf_detach(&page, &len) : NULL;
	hm_buf_release(&page);
	if (!html) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	/* A page: its stylesheet comes from web/ under the pages' policy; private. */
	reply->is_page = true;
	hm_reply_header(reply, "Cache-Control", "private, no-store");
	hm_reply_raw_owned(reply, 200, "text/html; charset=utf-8", html, len);
}
