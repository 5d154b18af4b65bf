// SPDX-License-Identifier: MIT
// The unsigned TicketBAI documents (include/harreman/tbai.h): T:TicketBai (invoice)
// and T:AnulaTicketBai (cancellation) of schema 1.2.2, written with libxml2's tree
// API. Every field is checked against the schema's rules first (lengths in
// characters, non-blank texts, NIF, date, time and amount patterns, counts), so a
// document comes out schema-valid or not at all (tests/unit/test_tbai_xml.c checks
// with xmllint, tests/fuzz/fuzz_tbai.c with arbitrary fields).
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "harreman/tbai.h"
#include "tbai_internal.h"
#include "harreman/banned.h"

#define NS_INVOICE "urn:ticketbai:emision"
#define NS_CANCEL "urn:ticketbai:anulacion"
/* Amounts: at most 12 integer digits (ImporteSgn12.2Type). */
#define AMOUNT_LIMIT 100000000000000LL /* 10^14 cents */
#define QUANTITY_LIMIT 1000000000000LL /* 10^12 units */

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void libxml_init(void)
{
	xmlInitParser();
}

void hm_tbai_xml_init(void)
{
	pthread_once(&libxml_once, libxml_init);
}

/* The next code point of strict UTF-8 at *p (advanced), or -1 when malformed
 * (overlong forms, surrogates and values past U+10FFFF included). */
static long next_code_point(const unsigned char **p)
{
	const unsigned char *s = *p;
	long cp;
	int extra;
	if (s[0] < 0x80) {
		cp = s[0];
		extra = 0;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		cp = s[0] & 0x1F;
		extra = 1;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		cp = s[0] & 0x0F;
		extra = 2;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		cp = s[0] & 0x07;
		extra = 3;
	} else {
		return -1;
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*p = s + extra + 1;
	return cp;
}

/* A text the schema accepts: well-formed UTF-8 of XML characters (tab and line feed
 * the only controls), at most max characters, and when required not empty and not
 * only blanks (the schema's "(\s*[^\s]\s*)+"). */
bool hm_tbai_text_ok(const char *s, size_t max, bool required)
{
	if (!s || !*s)
		return !required;
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;
	bool visible = false;
	while (*p) {
		long cp = next_code_point(&p);
		if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F ||
		    cp == 0xFFFE || cp == 0xFFFF)
			return false;
		if (cp != ' ' && cp != '\t' && cp != '\n')
			visible = true;
		if (++chars > max)
			return false;
	}
	return visible || !required;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* NIFType: letter + 7 digits + letter, 8 digits + letter, or letter + 8 digits. */
bool hm_tbai_nif_ok(const char *nif)
{
	if (!nif || strlen(nif) != 9)
		return false;
	if (letter(nif[0]))
		return all_digits(nif + 1, 7) && (letter(nif[8]) || isdigit((unsigned char)nif[8]));
	return all_digits(nif, 8) && letter(nif[8]);
}

/* DD-MM-YYYY with a real day of month 01..31 and month 01..12. */
bool hm_tbai_date_ok(const char *d)
{
	if (!d || strlen(d) != 10 || d[2] != '-' || d[5] != '-' || !all_digits(d, 2) ||
	    !all_digits(d + 3, 2) || !all_digits(d + 6, 4))
		return false;
	int day = (d[0] - '0') * 10 + (d[1] - '0');
	int month = (d[3] - '0') * 10 + (d[4] - '0');
	return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

static bool time_ok(const char *t)
{
	if (!t || strlen(t) != 8 || t[2] != ':' || t[5] != ':' || !all_digits(t, 2) ||
	    !all_digits(t + 3, 2) || !all_digits(t + 6, 2))
		return false;
	return (t[0] - '0') * 10 + (t[1] - '0') < 24 && t[3] < '6' && t[6] < '6';
}

/* "-123.45" from cents into out[24]; false when past 12 integer digits. */
static bool amount_text(int64_t cents, char out[24])
{
	if (cents <= -AMOUNT_LIMIT || cents >= AMOUNT_LIMIT)
		return false;
	int64_t a = cents < 0 ? -cents : cents;
	snprintf(out, 24, "%s%" PRId64 ".%02d", cents < 0 ? "-" : "", a / 100, (int)(a % 100));
	return true;
}

/* The builder: a failed allocation anywhere sets failed, checked once at the end. */
struct doc_builder {
	bool failed;
};

static xmlNodePtr add(struct doc_builder *b, xmlNodePtr parent, const char *name, const char *text)
{
	/* Not xmlNewTextChild: with no namespace it would inherit the parent's T:, and
	 * the schema wants unqualified children. */
	xmlNodePtr n = parent ? xmlNewDocNode(parent->doc, NULL, (const xmlChar *)name, NULL)
			      : NULL;
	if (!n) {
		b->failed = true;
		return NULL;
	}
	xmlAddChild(parent, n);
	if (text)
		xmlNodeAddContent(n, (const xmlChar *)text);
	return n;
}

static void add_amount(struct doc_builder *b, xmlNodePtr parent, const char *name, int64_t c)
{
	char text[24];
	if (!amount_text(c, text))
		b->failed = true;
	add(b, parent, name, text);
}

static bool has(const char *s)
{
	return s && *s;
}

static const char *check_party(const struct hm_tbai_party *p, bool issuer)
{
	if (!hm_tbai_nif_ok(p->nif))
		return issuer ? "the issuer's NIF is not a 9-character Spanish tax id"
			      : "the recipient's NIF is not a 9-character Spanish tax id";
	if (!hm_tbai_text_ok(p->name, 120, true))
		return issuer ? "the issuer's name must be 1 to 120 characters"
			      : "the recipient's name must be 1 to 120 characters";
	if (!issuer && !hm_tbai_text_ok(p->postcode, 20, false))
		return "the recipient's postcode is longer than 20 characters";
	if (!issuer && !hm_tbai_text_ok(p->address, 250, false))
		return "the recipient's address is longer than 250 characters";
	return NULL;
}

static const char *check_ref(const struct hm_tbai_invoice_ref *r, const char *what)
{
	if (!hm_tbai_text_ok(r->series, 20, false) || !hm_tbai_text_ok(r->number, 20, true) ||
	    !hm_tbai_date_ok(r->date))
		return what;
	return NULL;
}

static const char *check_software(const struct hm_tbai_software *s)
{
	if (!hm_tbai_text_ok(s->licence, 20, true) || !hm_tbai_nif_ok(s->developer_nif) ||
	    !hm_tbai_text_ok(s->name, 120, true) || !hm_tbai_text_ok(s->version, 20, true))
		return "the software licence, developer NIF, name or version is missing or too long";
	return NULL;
}

/* The previous signature value as the chain keeps it: whitespace skipped, base64
 * characters only, its first HM_TBAI_CHAIN_SIG_LEN kept; false when empty or not
 * base64. */
static bool chain_signature(const char *sig, char out[HM_TBAI_CHAIN_SIG_LEN + 1])
{
	size_t n = 0;
	for (const char *p = sig ? sig : ""; *p && n < HM_TBAI_CHAIN_SIG_LEN; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '/' && *p != '=')
			return false;
		out[n++] = *p;
	}
	out[n] = '\0';
	return n > 0;
}

static const char *check_invoice(const struct hm_tbai_invoice *inv)
{
	const char *why = check_party(&inv->issuer, true);
	if (why)
		return why;
	if (inv->recipient && (why = check_party(inv->recipient, false)) != NULL)
		return why;
	if (!hm_tbai_text_ok(inv->series, 20, false))
		return "the series is longer than 20 characters";
	if (!hm_tbai_text_ok(inv->number, 20, true))
		return "the number must be 1 to 20 characters";
	if (!hm_tbai_date_ok(inv->date))
		return "the issue date is not DD-MM-YYYY";
	if (!time_ok(inv->time))
		return "the issue time is not hh:mm:ss";
	if (inv->rectifying_code) {
		const char *c = inv->rectifying_code;
		if (strlen(c) != 2 || c[0] != 'R' || c[1] < '1' || c[1] > '5')
			return "the rectifying code is not R1 to R5";
		if (!inv->rectified || inv->n_rectified < 1 ||
		    inv->n_rectified > HM_TBAI_MAX_RECTIFIED)
			return "a rectifying invoice names 1 to 100 rectified invoices";
		for (size_t i = 0; i < inv->n_rectified; i++)
			if ((why = check_ref(&inv->rectified[i],
					     "a rectified invoice's series, number or date is "
					     "malformed")) != NULL)
				return why;
	}
	if (!hm_tbai_text_ok(inv->description, 250, true))
		return "the description must be 1 to 250 characters";
	if (!inv->lines || inv->n_lines < 1 || inv->n_lines > HM_TBAI_MAX_LINES)
		return "an invoice has 1 to 1000 lines";
	char text[24];
	int64_t sum = 0; /* cannot overflow: at most 1000 lines below 10^14 each */
	for (size_t i = 0; i < inv->n_lines; i++) {
		const struct hm_tbai_line *l = &inv->lines[i];
		if (!hm_tbai_text_ok(l->description, 250, true))
			return "a line's description must be 1 to 250 characters";
		if (l->quantity <= -QUANTITY_LIMIT || l->quantity >= QUANTITY_LIMIT ||
		    !amount_text(l->unit_price_cents, text) ||
		    !amount_text(l->discount_cents, text) || !amount_text(l->total_cents, text))
			return "a line's quantity or amount has more than 12 integer digits";
		sum += l->total_cents;
	}
	if (!amount_text(inv->total_cents, text))
		return "the total has more than 12 integer digits";
	if (sum != inv->total_cents)
		return "the total is not the sum of the lines";
	if (inv->vat_exempt) {
		const char *c = inv->exempt_cause;
		if (c && (strlen(c) != 2 || c[0] != 'E' || c[1] < '1' || c[1] > '6'))
			return "the exemption cause is not E1 to E6";
	} else {
		if (inv->vat_percent < 0 || inv->vat_percent > 100)
			return "the VAT rate is not 0 to 100";
		if (!amount_text(inv->base_cents, text) || !amount_text(inv->vat_cents, text))
			return "the base or VAT has more than 12 integer digits";
		if (inv->base_cents + inv->vat_cents != inv->total_cents)
			return "the base plus the VAT is not the total";
	}
	if (inv->previous) {
		if ((why = check_ref(inv->previous, "the previous invoice's series, number or "
						    "date is malformed")) != NULL)
			return why;
		char sig[HM_TBAI_CHAIN_SIG_LEN + 1];
		if (!chain_signature(inv->previous_signature, sig))
			return "the previous invoice's signature value is empty or not base64";
	}
	return check_software(&inv->software);
}

static void add_party(struct doc_builder *b, xmlNodePtr parent, const char *element,
		      const struct hm_tbai_party *p)
{
	xmlNodePtr n = add(b, parent, element, NULL);
	add(b, n, "NIF", p->nif);
	add(b, n, "ApellidosNombreRazonSocial", p->name);
	/* The schema's Emisor is NIF and name only; the postcode and address are the
	 * recipient's (IDDestinatario). */
	if (strcmp(element, "Emisor") == 0)
		return;
	if (has(p->postcode))
		add(b, n, "CodigoPostal", p->postcode);
	if (has(p->address))
		add(b, n, "Direccion", p->address);
}

static void add_software(struct doc_builder *b, xmlNodePtr huella, const struct hm_tbai_software *s)
{
	xmlNodePtr sw = add(b, huella, "Software", NULL);
	add(b, sw, "LicenciaTBAI", s->licence);
	add(b, add(b, sw, "EntidadDesarrolladora", NULL), "NIF", s->developer_nif);
	add(b, sw, "Nombre", s->name);
	add(b, sw, "Version", s->version);
}

static void add_header(struct doc_builder *b, xmlNodePtr root)
{
	add(b, add(b, root, "Cabecera", NULL), "IDVersionTBAI", "1.2");
}

static void add_factura(struct doc_builder *b, xmlNodePtr root, const struct hm_tbai_invoice *inv)
{
	xmlNodePtr factura = add(b, root, "Factura", NULL);
	xmlNodePtr cab = add(b, factura, "CabeceraFactura", NULL);
	if (has(inv->series))
		add(b, cab, "SerieFactura", inv->series);
	add(b, cab, "NumFactura", inv->number);
	add(b, cab, "FechaExpedicionFactura", inv->date);
	add(b, cab, "HoraExpedicionFactura", inv->time);
	add(b, cab, "FacturaSimplificada", inv->simplified ? "S" : "N");
	if (inv->rectifying_code) {
		xmlNodePtr r = add(b, cab, "FacturaRectificativa", NULL);
		add(b, r, "Codigo", inv->rectifying_code);
		add(b, r, "Tipo", "I");
		xmlNodePtr list = add(b, cab, "FacturasRectificadasSustituidas", NULL);
		for (size_t i = 0; i < inv->n_rectified; i++) {
			const struct hm_tbai_invoice_ref *ref = &inv->rectified[i];
			xmlNodePtr id = add(b, list, "IDFacturaRectificadaSustituida", NULL);
			if (has(ref->series))
				add(b, id, "SerieFactura", ref->series);
			add(b, id, "NumFactura", ref->number);
			add(b, id, "FechaExpedicionFactura", ref->date);
		}
	}

	xmlNodePtr datos = add(b, factura, "DatosFactura", NULL);
	add(b, datos, "DescripcionFactura", inv->description);
	xmlNodePtr detalles = add(b, datos, "DetallesFactura", NULL);
	for (size_t i = 0; i < inv->n_lines; i++) {
		const struct hm_tbai_line *l = &inv->lines[i];
		xmlNodePtr d = add(b, detalles, "IDDetalleFactura", NULL);
		char qty[24];
		snprintf(qty, sizeof qty, "%" PRId64, l->quantity);
		add(b, d, "DescripcionDetalle", l->description);
		add(b, d, "Cantidad", qty);
		add_amount(b, d, "ImporteUnitario", l->unit_price_cents);
		if (l->discount_cents != 0)
			add_amount(b, d, "Descuento", l->discount_cents);
		add_amount(b, d, "ImporteTotal", l->total_cents);
	}
	add_amount(b, datos, "ImporteTotalFactura", inv->total_cents);
	add(b, add(b, add(b, datos, "Claves", NULL), "IDClave", NULL),
	    "ClaveRegimenIvaOpTrascendencia", "01");

	xmlNodePtr sujeta = add(
		b, add(b, add(b, factura, "TipoDesglose", NULL), "DesgloseFactura", NULL), "Sujeta",
		NULL);
	if (inv->vat_exempt) {
		xmlNodePtr d = add(b, add(b, sujeta, "Exenta", NULL), "DetalleExenta", NULL);
		add(b, d, "CausaExencion", inv->exempt_cause ? inv->exempt_cause : "E1");
		add_amount(b, d, "BaseImponible", inv->total_cents);
	} else {
		xmlNodePtr d = add(b, add(b, sujeta, "NoExenta", NULL), "DetalleNoExenta", NULL);
		add(b, d, "TipoNoExenta", "S1");
		xmlNodePtr iva = add(b, add(b, d, "DesgloseIVA", NULL), "DetalleIVA", NULL);
		char rate[8];
		snprintf(rate, sizeof rate, "%d.00", inv->vat_percent);
		add_amount(b, iva, "BaseImponible", inv->base_cents);
		add(b, iva, "TipoImpositivo", rate);
		add_amount(b, iva, "CuotaImpuesto", inv->vat_cents);
	}
}

static void add_huella(struct doc_builder *b, xmlNodePtr root, const struct hm_tbai_invoice *inv)
{
	xmlNodePtr huella = add(b, root, "HuellaTBAI", NULL);
	if (inv->previous) {
		char sig[HM_TBAI_CHAIN_SIG_LEN + 1];
		chain_signature(inv->previous_signature, sig);
		xmlNodePtr e = add(b, huella, "EncadenamientoFacturaAnterior", NULL);
		if (has(inv->previous->series))
			add(b, e, "SerieFacturaAnterior", inv->previous->series);
		add(b, e, "NumFacturaAnterior", inv->previous->number);
		add(b, e, "FechaExpedicionFacturaAnterior", inv->previous->date);
		add(b, e, "SignatureValueFirmaFacturaAnterior", sig);
	}
	add_software(b, huella, &inv->software);
}

/* A new document whose root element is T:root_name in namespace ns. */
static xmlDocPtr new_doc(struct doc_builder *b, const char *root_name, const char *ns,
			 xmlNodePtr *root)
{
	hm_tbai_xml_init();
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	*root = doc ? xmlNewDocNode(doc, NULL, (const xmlChar *)root_name, NULL) : NULL;
	if (!*root) {
		b->failed = true;
		return doc;
	}
	xmlDocSetRootElement(doc, *root);
	xmlNsPtr t = xmlNewNs(*root, (const xmlChar *)ns, (const xmlChar *)"T");
	if (!t)
		b->failed = true;
	xmlSetNs(*root, t);
	return doc;
}

/* The document as malloc'd UTF-8 text in *xml; frees doc. False with *why when an
 * allocation failed on the way. */
static bool finish(struct doc_builder *b, xmlDocPtr doc, char **xml, const char **why)
{
	*xml = b->failed ? NULL : hm_tbai_doc_text(doc, true);
	xmlFreeDoc(doc);
	if (!*xml)
		*why = "out of memory";
	return *xml != NULL;
}

char *hm_tbai_doc_text(xmlDocPtr doc, bool indent)
{
	xmlChar *mem = NULL;
	int len = 0;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", indent ? 1 : 0);
	if (!mem)
		return NULL;
	char *text = malloc((size_t)len + 1);
	if (text) {
		memcpy(text, mem, (size_t)len);
		text[len] = '\0';
	}
	xmlFree(mem);
	return text;
}

bool hm_tbai_build(const struct hm_tbai_invoice *inv, char **xml, const char **why)
{
	*xml = NULL;
	*why = check_invoice(inv);
	if (*why)
		return false;
	struct doc_builder b = {false};
	xmlNodePtr root;
	xmlDocPtr doc = new_doc(&b, "TicketBai", NS_INVOICE, &root);
	if (!b.failed) {
		add_header(&b, root);
		xmlNodePtr sujetos = add(&b, root, "Sujetos", NULL);
		add_party(&b, sujetos, "Emisor", &inv->issuer);
		if (inv->recipient)
			add_party(&b, add(&b, sujetos, "Destinatarios", NULL), "IDDestinatario",
				  inv->recipient);
		add_factura(&b, root, inv);
		add_huella(&b, root, inv);
	}
	return finish(&b, doc, xml, why);
}

bool hm_tbai_build_cancel(const struct hm_tbai_party *issuer, const struct hm_tbai_invoice_ref *ref,
			  const struct hm_tbai_software *software, char **xml, const char **why)
{
	*xml = NULL;
	*why = check_party(issuer, true);
	if (!*why)
		*why = check_ref(ref, "the invoice's series, number or date is malformed");
	if (!*why)
		*why = check_software(software);
	if (*why)
		return false;
	struct doc_builder b = {false};
	xmlNodePtr root;
	xmlDocPtr doc = new_doc(&b, "AnulaTicketBai", NS_CANCEL, &root);
	if (!b.failed) {
		add_header(&b, root);
		xmlNodePtr id = add(&b, root, "IDFactura", NULL);
		struct hm_tbai_party emisor = {issuer->nif, issuer->name, NULL, NULL};
		add_party(&b, id, "Emisor", &emisor);
		xmlNodePtr cab = add(&b, id, "CabeceraFactura", NULL);
		if (has(ref->series))
			add(&b, cab, "SerieFactura", ref->series);
		add(&b, cab, "NumFactura", ref->number);
		add(&b, cab, "FechaExpedicionFactura", ref->date);
		add_software(&b, add(&b, root, "HuellaTBAI", NULL), software);
	}
	return finish(&b, doc, xml, why);
}
