/* SPDX-License-Identifier: MIT */
/* Invoices as pure rules (issue 14): the VAT inside a price that includes it, the
 * share of a contract a cancellation refunds, the series names TicketBAI accepts,
 * and the printable HTML page of an invoice in the client's language. No I/O: the
 * page gets everything it shows, the QR code included, already made. */
#ifndef HARREMAN_INVOICE_H
#define HARREMAN_INVOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/buf.h"
#include "harreman/messages.h"

/* Splits total_cents, a price that includes VAT at percent (0..100), into base and
 * VAT: base = round_half_up(total / (1 + percent / 100)), vat = total - base. A
 * negative total (a refund) splits as the opposite of its positive one. percent 0:
 * base = total, vat = 0. */
void hm_invoice_vat_split(int64_t total_cents, int percent, int64_t *base_cents,
			  int64_t *vat_cents);

/* The part of a contract a cancellation refunds: unused of sessions sessions (the
 * list price and its discount in proportion, the discount rounded half up), all
 * three >= 0 and amount = list - discount. False when the inputs are out of range
 * (sessions < 1, unused outside 0..sessions, negative cents). */
struct hm_refund {
	int64_t list_cents, discount_cents, amount_cents;
};
bool hm_invoice_refund(int64_t list_cents, int64_t discount_cents, int sessions, int unused,
		       struct hm_refund *out);

/* An invoice series of /business: 1 to HM_INVOICE_SERIES_MAX characters of 0-9,
 * A-Z and '-' (the rectifying series appends 'R', TicketBAI allows 20). */
#define HM_INVOICE_SERIES_MAX 19
bool hm_invoice_series_valid(const char *series);

/* One line of an invoice as it is printed. */
struct hm_invoice_line {
	const char *description;
	int64_t quantity, unit_price_cents, discount_cents, amount_cents;
};

/* Everything the printed page shows (every pointer borrowed; NULL text is left
 * out). */
struct hm_invoice_doc {
	/* the business (legal_name NULL: settings not made yet) */
	const char *legal_name, *nif, *address, *postcode, *city;
	/* the invoice */
	const char *series, *kind, *issued_on; /* kind: simplified, full, rectifying */
	int64_t number;
	const char *rectifies; /* "F-12" of the invoice it rectifies, or NULL */
	const char *customer_name, *customer_tax_id, *customer_address;
	const struct hm_invoice_line *lines;
	size_t n_lines;
	int64_t base_cents, vat_cents, total_cents;
	int vat_percent;
	/* TicketBAI: tbai_status "pending" prints a notice, else tbai_id and the QR */
	const char *tbai_status, *tbai_id;
	bool test_certificate; /* signed with a TEST certificate (--demo): says so */
};

/* Appends the HTML page of d in locale to out: the business, the client, the
 * lines (a line of zero price and amount is the gift), discount, totals, VAT or the
 * E1 exemption note, and TicketBAI (pending: says so, no QR; else the identifier
 * and qr_svg, an SVG document made by the caller, inserted as it is; NULL: none).
 * Every text of d is HTML-escaped. False when out of memory. */
bool hm_invoice_print_html(const struct hm_invoice_doc *d, enum hm_locale locale,
			   const char *qr_svg, struct hm_buf *out);

#endif
