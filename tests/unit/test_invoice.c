// SPDX-License-Identifier: MIT
// The pure invoice rules (src/domain/invoice.c, src/domain/taxid.c): VAT inside a
// price rounded half up, refunds of unused sessions, series names, Spanish NIF /
// NIE / CIF check characters on real examples, and the printable page in three
// languages (escaped text, pending notice without QR, identifier and QR once
// signed).
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/invoice.h"
#include "harreman/taxid.h"

static void test_vat_split(void)
{
	int64_t base = 0, vat = 0;
	hm_invoice_vat_split(12100, 21, &base, &vat);
	CHECK_INT(base, 10000);
	CHECK_INT(vat, 2100);
	/* 10.00 at 21 %: 8.2644... -> 8.26, VAT 1.74. */
	hm_invoice_vat_split(1000, 21, &base, &vat);
	CHECK_INT(base, 826);
	CHECK_INT(vat, 174);
	/* 1.05 at 5 %: 1.00 and 0.05; 0.63 at 26 %: 0.50 and 0.13. Exactly half a
	 * cent rounds up: 0.03 at 100 % is 1.5 cents of base -> 2. */
	hm_invoice_vat_split(105, 5, &base, &vat);
	CHECK_INT(base, 100);
	CHECK_INT(vat, 5);
	hm_invoice_vat_split(63, 26, &base, &vat);
	CHECK_INT(base, 50);
	CHECK_INT(vat, 13);
	hm_invoice_vat_split(3, 100, &base, &vat);
	CHECK_INT(base, 2);
	CHECK_INT(vat, 1);
	hm_invoice_vat_split(-3, 100, &base, &vat);
	CHECK_INT(base, -2);
	hm_invoice_vat_split(21600, 0, &base, &vat);
	CHECK_INT(base, 21600);
	CHECK_INT(vat, 0);
	/* A refund is the opposite of its positive split. */
	hm_invoice_vat_split(-1000, 21, &base, &vat);
	CHECK_INT(base, -826);
	CHECK_INT(vat, -174);
	for (int64_t total = -5000; total <= 5000; total += 7) {
		hm_invoice_vat_split(total, 21, &base, &vat);
		CHECK_INT(base + vat, total);
	}
}

static void test_refund(void)
{
	struct hm_refund r;
	/* 8 sessions at 30.00, 10 % off; 3 unused: 90.00 list, 9.00 off, 81.00. */
	CHECK(hm_invoice_refund(24000, 2400, 8, 3, &r));
	CHECK_INT(r.list_cents, 9000);
	CHECK_INT(r.discount_cents, 900);
	CHECK_INT(r.amount_cents, 8100);
	/* 3 sessions of 10.00 with 5 % off (1.50); 1 unused: 0.50 off. */
	CHECK(hm_invoice_refund(3000, 150, 3, 1, &r));
	CHECK_INT(r.discount_cents, 50);
	CHECK_INT(r.amount_cents, 950);
	/* 3 sessions, 1.00 off: one third is 0.333 -> 0.33. */
	CHECK(hm_invoice_refund(3000, 100, 3, 1, &r));
	CHECK_INT(r.discount_cents, 33);
	CHECK(hm_invoice_refund(3000, 100, 3, 3, &r));
	CHECK_INT(r.amount_cents, 2900);
	CHECK(hm_invoice_refund(3000, 100, 3, 0, &r));
	CHECK_INT(r.amount_cents, 0);
	CHECK(!hm_invoice_refund(3000, 100, 3, 4, &r));
	CHECK(!hm_invoice_refund(3000, 100, 0, 0, &r));
	CHECK(!hm_invoice_refund(-1, 0, 1, 1, &r));
	CHECK(!hm_invoice_refund(100, 200, 1, 1, &r));
}

static void test_series(void)
{
	CHECK(hm_invoice_series_valid("F"));
	CHECK(hm_invoice_series_valid("TB-2024-S"));
	CHECK(hm_invoice_series_valid("1234567890123456789"));
	CHECK(!hm_invoice_series_valid("12345678901234567890"));
	CHECK(!hm_invoice_series_valid(""));
	CHECK(!hm_invoice_series_valid(NULL));
	CHECK(!hm_invoice_series_valid("f"));
	CHECK(!hm_invoice_series_valid("A/B"));
	CHECK(!hm_invoice_series_valid("A B"));
	CHECK(!hm_invoice_series_valid("Ñ"));
}

static bool valid(const char *text)
{
	return hm_taxid_valid(text, strlen(text), NULL);
}

static void test_taxid(void)
{
	char out[HM_TAXID_LEN + 1];
	/* DNI: the number modulo 23. */
	CHECK(valid("12345678Z"));
	CHECK(valid("00000000T"));
	CHECK(valid("99999999R"));
	CHECK(!valid("12345678A"));
	CHECK(!valid("1234567Z"));
	CHECK(!valid("123456789Z"));
	/* NIE: X, Y, Z as 0, 1, 2. */
	CHECK(valid("X1234567L"));
	CHECK(valid("Y1234567X"));
	CHECK(!valid("X1234567X"));
	CHECK(!valid("Y1234567L"));
	/* K, L, M: 7 digits, same letters. */
	CHECK(valid("K1234567L"));
	CHECK(!valid("K1234567Z"));
	/* CIF: the Agencia Tributaria (Q, a letter), a company (A, a digit), and an
	 * S.L. (B, a digit only). */
	CHECK(valid("Q2826000H"));
	CHECK(!valid("Q28260008"));
	CHECK(valid("A58818501"));
	CHECK(!valid("A5881850A"));
	CHECK(!valid("A58818502"));
	CHECK(valid("B12345674"));
	CHECK(!valid("B1234567D"));
	CHECK(!valid("I12345674"));
	/* Written loosely: lower case, spaces, dots and hyphens; canonical out. */
	CHECK(hm_taxid_valid("12.345.678-z", 12, out));
	CHECK_STR(out, "12345678Z");
	CHECK(hm_taxid_valid(" x-1234567-l ", 13, out));
	CHECK_STR(out, "X1234567L");
	CHECK(!valid("12345678Z!"));
	CHECK(!valid(""));
	CHECK(!hm_taxid_valid(NULL, 0, NULL));
	/* Not NUL-terminated: only len bytes are read. */
	CHECK(hm_taxid_valid("12345678ZZZZ", 9, NULL));
}

static const struct hm_invoice_line lines[] = {
	{"Matematika <banakakoa>", 8, 3000, 2400, 21600},
	{"Egutegia", 1, 0, 0, 0},
};

static struct hm_invoice_doc doc(void)
{
	return (struct hm_invoice_doc){
		.legal_name = "PROBA Akademia & Co",
		.nif = "B12345674",
		.address = "Kale Nagusia 1",
		.postcode = "20001",
		.city = "Donostia",
		.series = "F",
		.kind = "simplified",
		.issued_on = "2026-12-07",
		.number = 42,
		.customer_name = "Ane <script>alert(1)</script>",
		.lines = lines,
		.n_lines = 2,
		.base_cents = 21600,
		.vat_cents = 0,
		.total_cents = 21600,
		.vat_percent = 0,
		.tbai_status = "pending",
	};
}

static char *render(const struct hm_invoice_doc *d, enum hm_locale locale, const char *qr)
{
	struct hm_buf buf;
	size_t len = 0;
	hm_buf_init(&buf, 1 << 20);
	CHECK(hm_invoice_print_html(d, locale, qr, &buf));
	char *html = hm_buf_detach(&buf, &len);
	hm_buf_release(&buf);
	CHECK(html != NULL);
	return html;
}

static void test_print(void)
{
	struct hm_invoice_doc d = doc();
	char *eu = render(&d, HM_LOCALE_EU, "<svg id=\"qr\"></svg>");
	char *es = render(&d, HM_LOCALE_ES, NULL);
	char *en = render(&d, HM_LOCALE_EN, NULL);
	CHECK(strstr(eu, "<html lang=\"eu\">") && strstr(eu, "Faktura erraztua"));
	CHECK(strstr(es, "<html lang=\"es\">") && strstr(es, "Factura simplificada"));
	CHECK(strstr(en, "<html lang=\"en\">") && strstr(en, "Simplified invoice"));
	/* Escaped text; never the raw markup. */
	CHECK(strstr(eu, "Ane &lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(eu, "<script>") == NULL);
	CHECK(strstr(eu, "PROBA Akademia &amp; Co") != NULL);
	CHECK(strstr(eu, "Matematika &lt;banakakoa&gt;") != NULL);
	/* Number, money in each locale, the gift, the discount, the exemption. */
	CHECK(strstr(eu, "F-42") != NULL);
	CHECK(strstr(eu, "216,00\xc2\xa0\xe2\x82\xac") != NULL);
	CHECK(strstr(es, "24,00\xc2\xa0\xe2\x82\xac") != NULL);
	CHECK(strstr(en, "\xe2\x82\xac"
			 "216.00") != NULL);
	CHECK(strstr(en, "Egutegia (gift)") != NULL);
	CHECK(strstr(es, "Egutegia (regalo)") != NULL);
	CHECK(strstr(en, "VAT exempt") != NULL && strstr(en, "E1") != NULL);
	CHECK(strstr(es, "Exenta de IVA") != NULL);
	/* Pending: said so, and no QR even when one is handed in. */
	CHECK(strstr(eu, "sinatzeko zain") != NULL);
	CHECK(strstr(eu, "<svg") == NULL);
	CHECK(strstr(en, "waiting to be signed") != NULL);
	free(eu);
	free(es);
	free(en);

	/* Signed and taxed: identifier, QR, base and VAT; a rectifying one says which. */
	d.tbai_status = "signed";
	d.tbai_id = "TBAI-B12345674-071226-btFpwP8dcLGAF-237";
	d.vat_percent = 21;
	d.base_cents = 17851;
	d.vat_cents = 3749;
	d.kind = "rectifying";
	d.rectifies = "F-41";
	d.legal_name = NULL;
	char *signed_en = render(&d, HM_LOCALE_EN, "<svg id=\"qr\"></svg>");
	CHECK(strstr(signed_en, "TBAI-B12345674-071226-btFpwP8dcLGAF-237") != NULL);
	CHECK(strstr(signed_en, "<svg id=\"qr\"></svg>") != NULL);
	CHECK(strstr(signed_en, "waiting to be signed") == NULL);
	CHECK(strstr(signed_en, "VAT 21 %") != NULL);
	CHECK(strstr(signed_en, "\xe2\x82\xac"
				"178.51") != NULL);
	CHECK(strstr(signed_en, "Rectifying invoice") != NULL);
	CHECK(strstr(signed_en, "F-41") != NULL);
	CHECK(strstr(signed_en, "not set yet") != NULL);
	free(signed_en);
	/* A refund prints negative. */
	struct hm_invoice_line minus = {"Matematika", -3, 3000, -900, -8100};
	d.lines = &minus;
	d.n_lines = 1;
	char *refund = render(&d, HM_LOCALE_ES, NULL);
	CHECK(strstr(refund, "-81,00") != NULL);
	CHECK(strstr(refund, "<td class=\"n\">-3</td>") != NULL);
	free(refund);
}

int main(void)
{
	RUN(test_vat_split);
	RUN(test_refund);
	RUN(test_series);
	RUN(test_taxid);
	RUN(test_print);
	return CHECK_EXIT();
}
