// SPDX-License-Identifier: MIT
// The TicketBAI signer thread (include/harreman/tbai_worker.h). Each pass signs
// the lowest pending invoice, then the next, until none is left: read it with its
// business, rectified invoice and predecessor (src/db/tbai.c), build its file
// (hm_tbai_build), sign it, make its identifier and QR address, and store all of
// it in one transaction that also checks the chain (the predecessor is still the
// one it was chained to, nothing lower is pending). A kill -9 between two
// invoices loses nothing; one during a signature loses only that signature, and
// the next run signs the same invoice again from the same predecessor.
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "harreman/db_tbai.h"
#include "harreman/invoice.h"
#include "harreman/log.h"
#include "harreman/tbai_worker.h"
#include "harreman/timefmt.h"
#include "harreman/waker.h"
#include "harreman/banned.h"

#define ERROR_PAUSE_MS 5000 /* after a database or signing error */

/* The program's TicketBAI software registration (LicenciaTBAI): the treasuries'
 * test values until Harreman is registered (docs/decisions.md). */
static const struct hm_tbai_software software = {"TBAIGI00000000PRUEBA", "A99800005", "HARREMAN",
						 HM_VERSION};

struct hm_tbai_worker {
	struct hm_waker waker;
	struct hm_app *app;
	struct hm_tbai_signer *signer; /* owned */
};

/* "YYYY-MM-DD" into "DD-MM-YYYY"; false when iso is not that shape. */
static bool tbai_date(const char *iso, char out[11])
{
	if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		return false;
	snprintf(out, 11, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
	return true;
}

/* cents as ImporteTotalFactura writes them: "4.70", "-12.00". */
static void amount_text(int64_t cents, char out[32])
{
	unsigned long long a = cents < 0 ? (unsigned long long)-cents : (unsigned long long)cents;
	snprintf(out, 32, "%s%llu.%02llu", cents < 0 ? "-" : "", a / 100, a % 100);
}

/* The territory of p with the configured overrides. */
static bool territory_of(const struct hm_tbai_worker *w, const char *name,
			 struct hm_tbai_territory *t)
{
	const struct hm_tbai_territory *d = hm_tbai_territory_defaults(name);
	if (!d)
		return false;
	*t = *d;
	const struct hm_config *cfg = &w->app->cfg;
	if (cfg->tbai_policy_id)
		t->policy_id = cfg->tbai_policy_id;
	if (cfg->tbai_policy_digest)
		t->policy_digest = cfg->tbai_policy_digest;
	if (cfg->tbai_qr_url)
		t->qr_url = cfg->tbai_qr_url;
	return true;
}

/* A line's amount without VAT at percent (ImporteUnitario, Descuento). */
static int64_t without_vat(int64_t cents, int percent)
{
	int64_t base = 0, vat = 0;
	hm_invoice_vat_split(cents, percent, &base, &vat);
	return base;
}

/* The unsigned file of p into *xml; false with *why. */
static bool build(const struct hm_db_tbai_pending *p, const char *date, const char *time_,
		  char **xml, const char **why)
{
	json_t *lines = json_loads(p->lines, 0, NULL);
	size_t n = json_array_size(lines);
	struct hm_tbai_line *items = calloc(n ? n : 1, sizeof *items);
	bool ok = false;
	*why = "the invoice's lines cannot be read";
	if (!lines || !items || n == 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const json_t *l = json_array_get(lines, i);
		items[i] = (struct hm_tbai_line){
			.description = json_string_value(json_object_get(l, "description")),
			.quantity = json_integer_value(json_object_get(l, "quantity")),
			.unit_price_cents = without_vat(
				json_integer_value(json_object_get(l, "unit_price_cents")),
				p->vat_percent),
			.discount_cents = without_vat(
				json_integer_value(json_object_get(l, "discount_cents")),
				p->vat_percent),
			.total_cents = json_integer_value(json_object_get(l, "amount_cents")),
		};
	}
	char prev_date[11] = "", rect_date[11] = "", prev_number[24], rect_number[24];
	snprintf(prev_number, sizeof prev_number, "%lld", (long long)p->prev_number);
	snprintf(rect_number, sizeof rect_number, "%lld", (long long)p->rectified_number);
	const struct hm_tbai_invoice_ref prev = {p->prev_series, prev_number, prev_date};
	const struct hm_tbai_invoice_ref rect = {p->rectified_series, rect_number, rect_date};
	*why = "a stored date is malformed";
	if ((p->prev_id && !tbai_date(p->prev_issued_on, prev_date)) ||
	    (p->rectified_series && !tbai_date(p->rectified_issued_on, rect_date)))
		goto out;
	const struct hm_tbai_party recipient = {p->customer_tax_id, p->customer_name, NULL,
						p->customer_address};
	bool simplified = !p->customer_tax_id || !p->customer_address;
	char number[24];
	snprintf(number, sizeof number, "%lld", (long long)p->number);
	const struct hm_tbai_invoice inv = {
		.issuer = {p->nif, p->legal_name, p->postcode, p->address},
		.recipient = simplified ? NULL : &recipient,
		.series = p->series,
		.number = number,
		.date = date,
		.time = time_,
		.simplified = simplified,
		.rectifying_code = !p->rectified_series ? NULL
				   : simplified         ? "R5"
							: "R1",
		.rectified = p->rectified_series ? &rect : NULL,
		.n_rectified = p->rectified_series ? 1 : 0,
		.description = items[0].description,
		.lines = items,
		.n_lines = n,
		.total_cents = p->total_cents,
		.vat_exempt = p->vat_percent == 0,
		.vat_percent = p->vat_percent,
		.base_cents = p->base_cents,
		.vat_cents = p->vat_cents,
		.previous = p->prev_id ? &prev : NULL,
		.previous_signature = p->prev_id ? p->prev_signature : NULL,
		.software = software,
	};
	ok = hm_tbai_build(&inv, xml, why);
out:
	free(items);
	json_decref(lines);
	return ok;
}

/* Signs and stores p: HM_OK, HM_ERR_CONFLICT (the chain moved: read again), or
 * another error (logged). */
static enum hm_err sign_one(struct hm_tbai_worker *w, struct hm_db *db,
			    const struct hm_db_tbai_pending *p)
{
	char date[11], time_[9], ignored[11], tbai_id[HM_TBAI_ID_LEN + 1], number[24], total[32];
	char *xml = NULL, *signed_xml = NULL, *sig = NULL, *qr = NULL;
	const char *why = "a stored date is malformed";
	struct hm_tbai_territory t;
	enum hm_err err = HM_ERR_INTERNAL;
	if (!tbai_date(p->issued_on, date) ||
	    !hm_tbai_local_date_time(p->issued_at, ignored, time_))
		goto out;
	why = "unknown territory";
	if (!territory_of(w, p->territory, &t))
		goto out;
	if (!build(p, date, time_, &xml, &why))
		goto out;
	int64_t now = hm_time_now();
	if (!hm_tbai_sign(w->signer, &t, xml, (time_t)now, &signed_xml, &sig, &why))
		goto out;
	why = "cannot make the TicketBAI identifier";
	if (!hm_tbai_identifier(p->nif, date, sig, tbai_id))
		goto out;
	snprintf(number, sizeof number, "%lld", (long long)p->number);
	amount_text(p->total_cents, total);
	why = "cannot make the QR address";
	if (!(qr = hm_tbai_qr_url(t.qr_url, tbai_id, p->series, number, total)))
		goto out;
	const struct hm_db_tbai_signed s = {
		.id = p->id,
		.prev_id = p->prev_id,
		.xml = signed_xml,
		.signature = sig,
		.tbai_id = tbai_id,
		.qr_url = qr,
		.signed_at = now,
	};
	why = NULL;
	err = hm_db_tbai_store_signed(db, &s);
out:
	if (why)
		hm_log_error("ticketbai: invoice %lld cannot be signed: %s", (long long)p->id, why);
	free(xml);
	free(signed_xml);
	free(sig);
	free(qr);
	return err;
}

/* Signs every pending invoice in order; false after an error (pause). */
static bool pass(struct hm_tbai_worker *w, struct hm_db *db)
{
	while (!hm_waker_stopping(&w->waker)) {
		struct hm_db_tbai_pending p;
		enum hm_err err = hm_db_tbai_next_pending(db, &p);
		if (err == HM_ERR_NOT_FOUND)
			return true;
		if (err != HM_OK)
			return false;
		err = sign_one(w, db, &p);
		hm_db_tbai_pending_free(&p);
		if (err != HM_OK && err != HM_ERR_CONFLICT)
			return false;
	}
	return true;
}

static void *run(void *arg)
{
	struct hm_tbai_worker *w = arg;
	struct hm_db *db = NULL;
	prctl(PR_SET_NAME, "hm-tbai", 0, 0, 0);
	while (!hm_waker_stopping(&w->waker)) {
		hm_waker_begin_pass(&w->waker);
		bool ok = false;
		if (!db && !(db = hm_db_open(w->app->cfg.db_path)))
			hm_log_error("ticketbai: cannot open the database");
		else
			ok = pass(w, db);
		hm_waker_sleep_ms(&w->waker, ok ? HM_TBAI_POLL_MS : ERROR_PAUSE_MS);
	}
	hm_db_close(db);
	return NULL;
}

struct hm_tbai_worker *hm_tbai_worker_start(struct hm_app *app, struct hm_tbai_signer *signer,
					    const char **why)
{
	struct hm_tbai_worker *w = calloc(1, sizeof *w);
	*why = "cannot start the TicketBAI signer thread";
	if (w) {
		w->app = app;
		w->signer = signer;
	}
	if (!w || !hm_waker_start(&w->waker, run, w)) {
		free(w);
		hm_tbai_signer_close(signer);
		return NULL;
	}
	hm_log_info("ticketbai: signing invoices with %s", hm_tbai_signer_subject(signer));
	*why = NULL;
	return w;
}

void hm_tbai_worker_wake(struct hm_tbai_worker *w)
{
	if (w)
		hm_waker_wake(&w->waker);
}

void hm_tbai_worker_stop(struct hm_tbai_worker *w)
{
	if (!w)
		return;
	hm_waker_stop(&w->waker);
	hm_tbai_signer_close(w->signer);
	free(w);
}
