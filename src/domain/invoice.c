// SPDX-License-Identifier: MIT
// Invoice rules (include/harreman/invoice.h): VAT split of a price that includes
// it, the refunded share of a cancelled contract, series names, and the printable
// page in Basque, Spanish or English. Pure: the caller hands in every text.
#include <stdio.h>
#include <string.h>

#include "harreman/invoice.h"
#include "harreman/banned.h"

/* round_half_up(a / b) for a >= 0, b > 0. */
static int64_t div_half_up(int64_t a, int64_t b)
{
	return (2 * a + b) / (2 * b);
}

void hm_invoice_vat_split(int64_t total_cents, int percent, int64_t *base_cents, int64_t *vat_cents)
{
	int64_t magnitude = total_cents < 0 ? -total_cents : total_cents;
	int64_t base = magnitude;
	if (percent > 0)
		base = div_half_up(magnitude * 100, 100 + (int64_t)percent);
	int64_t vat = magnitude - base;
	*base_cents = total_cents < 0 ? -base : base;
	*vat_cents = total_cents < 0 ? -vat : vat;
}

bool hm_invoice_refund(int64_t list_cents, int64_t discount_cents, int sessions, int unused,
		       struct hm_refund *out)
{
	if (sessions < 1 || unused < 0 || unused > sessions || list_cents < 0 ||
	    discount_cents < 0 || discount_cents > list_cents)
		return false;
	out->list_cents = div_half_up(list_cents * unused, sessions);
	out->discount_cents = div_half_up(discount_cents * unused, sessions);
	if (out->discount_cents > out->list_cents)
		out->discount_cents = out->list_cents;
	out->amount_cents = out->list_cents - out->discount_cents;
	return true;
}

bool hm_invoice_series_valid(const char *series)
{
	size_t n = series ? strlen(series) : 0;
	if (n < 1 || n > HM_INVOICE_SERIES_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = series[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-'))
			return false;
	}
	return true;
}

/* ---- the printable page ---------------------------------------------------- */

enum label {
	L_TITLE_SIMPLIFIED,
	L_TITLE_FULL,
	L_TITLE_RECTIFYING,
	L_NUMBER,
	L_DATE,
	L_RECTIFIES,
	L_ISSUER,
	L_CUSTOMER,
	L_NO_BUSINESS,
	L_DESCRIPTION,
	L_QUANTITY,
	L_UNIT,
	L_DISCOUNT,
	L_AMOUNT,
	L_GIFT,
	L_BASE,
	L_VAT,
	L_TOTAL,
	L_EXEMPT,
	L_PRICES_INCLUDE_VAT,
	L_PENDING,
	L_TBAI_ID,
	L_COUNT
};

static const char exempt_eu[] =
	"BEZetik salbuetsia: irakaskuntza pribatua (Foru Arauaren 20. artikulua, E1 kausa).";

static const char *const labels[HM_LOCALE_COUNT][L_COUNT] = {
	[HM_LOCALE_EU] =
		{
			"Faktura erraztua",
			"Faktura",
			"Faktura zuzentzailea",
			"Zenbakia",
			"Data",
			"Zuzentzen du",
			"Igorlea",
			"Bezeroa",
			"Negozioaren datuak oraindik ez daude ezarrita.",
			"Azalpena",
			"Kopurua",
			"Prezio unitarioa",
			"Deskontua",
			"Zenbatekoa",
			"opari",
			"Zerga-oinarria",
			"BEZa",
			"Guztira",
			exempt_eu,
			"Prezioek BEZa barne hartzen dute.",
			"TicketBAI: sinatzeko zain. QR kodea sinatu ondoren agertuko da.",
			"TicketBAI identifikatzailea",
		},
	[HM_LOCALE_ES] =
		{
			"Factura simplificada",
			"Factura",
			"Factura rectificativa",
			"Número",
			"Fecha",
			"Rectifica",
			"Emisor",
			"Cliente",
			"Los datos del negocio aún no están configurados.",
			"Descripción",
			"Cantidad",
			"Precio unitario",
			"Descuento",
			"Importe",
			"regalo",
			"Base imponible",
			"IVA",
			"Total",
			"Exenta de IVA: enseñanza privada (artículo 20 de la Norma Foral, causa E1).",
			"Los precios incluyen el IVA.",
			"TicketBAI: pendiente de firma. El código QR aparecerá una vez firmada.",
			"Identificador TicketBAI",
		},
	[HM_LOCALE_EN] =
		{
			"Simplified invoice",
			"Invoice",
			"Rectifying invoice",
			"Number",
			"Date",
			"Rectifies",
			"Issuer",
			"Customer",
			"The business details are not set yet.",
			"Description",
			"Quantity",
			"Unit price",
			"Discount",
			"Amount",
			"gift",
			"Taxable base",
			"VAT",
			"Total",
			"VAT exempt: private tuition (article 20 of the Foral Norm, cause E1).",
			"Prices include VAT.",
			"TicketBAI: waiting to be signed. The QR code appears once it is signed.",
			"TicketBAI identifier",
		},
};

static bool escaped(struct hm_buf *out, const char *text)
{
	bool ok = true;
	for (const char *p = text ? text : ""; ok && *p; p++) {
		switch (*p) {
		case '&': ok = hm_buf_append(out, "&amp;", 5); break;
		case '<': ok = hm_buf_append(out, "&lt;", 4); break;
		case '>': ok = hm_buf_append(out, "&gt;", 4); break;
		case '"': ok = hm_buf_append(out, "&quot;", 6); break;
		case '\'': ok = hm_buf_append(out, "&#39;", 5); break;
		default: ok = hm_buf_append(out, p, 1);
		}
	}
	return ok;
}

/* Euros from cents: "1.234,50 €" in Basque and Spanish, "€1,234.50" in English. */
static bool money(struct hm_buf *out, int64_t cents, enum hm_locale locale)
{
	bool negative = cents < 0;
	uint64_t v = negative ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	uint64_t euros = v / 100, rest = v % 100;
	char groups[32];
	size_t n = 0;
	char sep = locale == HM_LOCALE_EN ? ',' : '.';
	char dec = locale == HM_LOCALE_EN ? '.' : ',';
	/* Digits of euros with a separator every three, written backwards. */
	int digits = 0;
	do {
		if (digits && digits % 3 == 0)
			groups[n++] = sep;
		groups[n++] = (char)('0' + euros % 10);
		euros /= 10;
		digits++;
	} while (euros && n < sizeof groups - 2);
	static const char euro[] = "\xe2\x82\xac";               /* € */
	static const char space_euro[] = "\xc2\xa0\xe2\x82\xac"; /* no-break space, € */
	char digits_text[sizeof groups + 1];
	size_t t = 0;
	while (n)
		digits_text[t++] = groups[--n];
	digits_text[t] = '\0';
	char cents_text[4] = {dec, (char)('0' + rest / 10), (char)('0' + rest % 10), '\0'};
	return (!negative || hm_buf_append(out, "-", 1)) &&
	       (locale != HM_LOCALE_EN || hm_buf_append(out, euro, sizeof euro - 1)) &&
	       hm_buf_append(out, digits_text, t) && hm_buf_append(out, cents_text, 3) &&
	       (locale == HM_LOCALE_EN || hm_buf_append(out, space_euro, sizeof space_euro - 1));
}

static bool cell(struct hm_buf *out, const char *tag, const char *text)
{
	return hm_buf_printf(out, "<%s>", tag) && escaped(out, text) &&
	       hm_buf_printf(out, "</%s>", tag);
}

static bool money_cell(struct hm_buf *out, int64_t cents, enum hm_locale locale)
{
	return hm_buf_append(out, "<td class=\"n\">", 14) && money(out, cents, locale) &&
	       hm_buf_append(out, "</td>", 5);
}

static bool party(struct hm_buf *out, const char *heading, const char *name, const char *id,
		  const char *line1, const char *line2, const char *line3)
{
	const char *const rest[] = {id, line1, line2, line3};
	bool ok = hm_buf_printf(out, "<section class=\"party\"><h2>") && escaped(out, heading) &&
		  hm_buf_printf(out, "</h2><p><strong>") && escaped(out, name) &&
		  hm_buf_printf(out, "</strong>");
	for (size_t i = 0; ok && i < sizeof rest / sizeof rest[0]; i++)
		if (rest[i] && *rest[i])
			ok = hm_buf_printf(out, "<br>") && escaped(out, rest[i]);
	return ok && hm_buf_printf(out, "</p></section>");
}

static bool lines_table(struct hm_buf *out, const struct hm_invoice_doc *d, enum hm_locale locale,
			const char *const *l)
{
	bool ok = hm_buf_printf(out, "<table class=\"lines\"><thead><tr>") &&
		  cell(out, "th", l[L_DESCRIPTION]) && cell(out, "th", l[L_QUANTITY]) &&
		  cell(out, "th", l[L_UNIT]) && cell(out, "th", l[L_DISCOUNT]) &&
		  cell(out, "th", l[L_AMOUNT]) && hm_buf_printf(out, "</tr></thead><tbody>");
	for (size_t i = 0; ok && i < d->n_lines; i++) {
		const struct hm_invoice_line *line = &d->lines[i];
		bool gift = line->unit_price_cents == 0 && line->amount_cents == 0;
		ok = hm_buf_printf(out, "<tr%s><td>", gift ? " class=\"gift\"" : "") &&
		     escaped(out, line->description);
		if (ok && gift)
			ok = hm_buf_printf(out, " (") && escaped(out, l[L_GIFT]) &&
			     hm_buf_printf(out, ")");
		ok = ok &&
		     hm_buf_printf(out, "</td><td class=\"n\">%lld</td>",
				   (long long)line->quantity) &&
		     money_cell(out, line->unit_price_cents, locale) &&
		     money_cell(out, line->discount_cents, locale) &&
		     money_cell(out, line->amount_cents, locale) && hm_buf_printf(out, "</tr>");
	}
	return ok && hm_buf_printf(out, "</tbody></table>");
}

static bool totals(struct hm_buf *out, const struct hm_invoice_doc *d, enum hm_locale locale,
		   const char *const *l)
{
	bool ok = hm_buf_printf(out, "<table class=\"totals\">");
	if (d->vat_percent > 0)
		ok = ok && hm_buf_printf(out, "<tr>") && cell(out, "th", l[L_BASE]) &&
		     money_cell(out, d->base_cents, locale) &&
		     hm_buf_printf(out, "</tr><tr><th>") && escaped(out, l[L_VAT]) &&
		     hm_buf_printf(out, " %d %%</th>", d->vat_percent) &&
		     money_cell(out, d->vat_cents, locale) && hm_buf_printf(out, "</tr>");
	ok = ok && hm_buf_printf(out, "<tr class=\"total\">") && cell(out, "th", l[L_TOTAL]) &&
	     money_cell(out, d->total_cents, locale) && hm_buf_printf(out, "</tr></table><p>") &&
	     escaped(out, d->vat_percent > 0 ? l[L_PRICES_INCLUDE_VAT] : l[L_EXEMPT]) &&
	     hm_buf_printf(out, "</p>");
	return ok;
}

static bool ticketbai(struct hm_buf *out, const struct hm_invoice_doc *d, const char *qr_svg,
		      const char *const *l)
{
	bool pending = !d->tbai_status || strcmp(d->tbai_status, "pending") == 0;
	if (pending)
		return hm_buf_printf(out, "<section class=\"tbai pending\"><p>") &&
		       escaped(out, l[L_PENDING]) && hm_buf_printf(out, "</p></section>");
	bool ok = hm_buf_printf(out, "<section class=\"tbai\"><p>") && escaped(out, l[L_TBAI_ID]) &&
		  hm_buf_printf(out, ": <code>") && escaped(out, d->tbai_id) &&
		  hm_buf_printf(out, "</code></p>");
	if (ok && d->test_certificate)
		ok = hm_buf_printf(out, "<p class=\"test-cert\"><strong>%s</strong></p>",
				   "TEST certificate \xe2\x80\x94 not valid");
	if (ok && qr_svg)
		ok = hm_buf_printf(out, "<div class=\"qr\">%s</div>", qr_svg);
	return ok && hm_buf_printf(out, "</section>");
}

bool hm_invoice_print_html(const struct hm_invoice_doc *d, enum hm_locale locale,
			   const char *qr_svg, struct hm_buf *out)
{
	if ((unsigned)locale >= HM_LOCALE_COUNT)
		locale = HM_LOCALE_EU;
	const char *const *l = labels[locale];
	const char *title = strcmp(d->kind ? d->kind : "", "rectifying") == 0
				    ? l[L_TITLE_RECTIFYING]
			    : strcmp(d->kind ? d->kind : "", "full") == 0 ? l[L_TITLE_FULL]
									  : l[L_TITLE_SIMPLIFIED];
	char number[64]; /* "SERIES-N", escaped where it is written */
	size_t series_len = d->series ? strnlen(d->series, 21) : 0;
	if (series_len > 20)
		series_len = 20;
	memcpy(number, d->series ? d->series : "", series_len);
	int tail = snprintf(number + series_len, sizeof number - series_len, "-%lld",
			    (long long)d->number);
	if (tail < 0)
		return false;
	bool ok = hm_buf_printf(out,
				"<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">",
				hm_locale_name(locale)) &&
		  hm_buf_printf(out, "<title>") && escaped(out, title) && hm_buf_printf(out, " ") &&
		  escaped(out, number) && hm_buf_printf(out, "</title>") &&
		  hm_buf_printf(out, "<link rel=\"stylesheet\" href=\"/invoice-print.css\">"
				     "</head><body>") &&
		  hm_buf_printf(out, "<h1>") && escaped(out, title) &&
		  hm_buf_printf(out, "</h1><p>") && escaped(out, l[L_NUMBER]) &&
		  hm_buf_printf(out, ": <strong class=\"number\">") && escaped(out, number) &&
		  hm_buf_printf(out, "</strong> &middot; ") && escaped(out, l[L_DATE]) &&
		  hm_buf_printf(out, ": <time>") && escaped(out, d->issued_on) &&
		  hm_buf_printf(out, "</time>");
	if (ok && d->rectifies)
		ok = hm_buf_printf(out, " &middot; ") && escaped(out, l[L_RECTIFIES]) &&
		     hm_buf_printf(out, ": ") && escaped(out, d->rectifies);
	ok = ok && hm_buf_printf(out, "</p><div class=\"parties\">");
	if (ok && d->legal_name)
		ok = party(out, l[L_ISSUER], d->legal_name, d->nif, d->address, d->postcode,
			   d->city);
	else if (ok)
		ok = hm_buf_printf(out, "<section class=\"party\"><h2>") &&
		     escaped(out, l[L_ISSUER]) && hm_buf_printf(out, "</h2><p>") &&
		     escaped(out, l[L_NO_BUSINESS]) && hm_buf_printf(out, "</p></section>");
	ok = ok &&
	     party(out, l[L_CUSTOMER], d->customer_name, d->customer_tax_id, d->customer_address,
		   NULL, NULL) &&
	     hm_buf_printf(out, "</div>") && lines_table(out, d, locale, l) &&
	     totals(out, d, locale, l) && ticketbai(out, d, qr_svg, l) &&
	     hm_buf_printf(out, "</body></html>\n");
	return ok;
}
