// SPDX-License-Identifier: MIT
// libFuzzer harness for TicketBAI (src/tbai/xml.c, src/domain/tbai_id.c). The input
// is up to 35 fields separated by 0x1F (unit separator: fields may hold line feeds):
// flags, then every text and amount of a struct hm_tbai_invoice (see field names
// below), then a QR base address. Properties (abort() when one breaks):
//   - hm_tbai_build either refuses (false, a reason, *xml NULL) or writes a document
//     that libxml2 parses and that is valid against the official schema 1.2.2
//     (tests/tbai/schemas), with the invoice's number, date and total in it;
//   - hm_tbai_build_cancel likewise against the cancellation schema;
//   - hm_tbai_identifier accepts => 39 characters, "TBAI-" NIF "-" DDMMYY "-" the
//     first 13 non-blank signature characters "-" and the CRC-8 of the first 36;
//   - hm_tbai_qr_url answers => it starts with the base, its parameters hold only
//     unreserved characters and %XX escapes, decoding "id" gives the identifier
//     back, and it ends in "&cr=" + the CRC-8 of everything before.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "harreman/tbai.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FAIL(...)                                                            \
	do {                                                                 \
		fprintf(stderr, "fuzz_tbai: property broken: " __VA_ARGS__); \
		fprintf(stderr, "\n");                                       \
		abort();                                                     \
	} while (0)

enum field {
	F_FLAGS,
	F_ISSUER_NIF,
	F_ISSUER_NAME,
	F_RECIPIENT_NIF,
	F_RECIPIENT_NAME,
	F_RECIPIENT_POSTCODE,
	F_RECIPIENT_ADDRESS,
	F_SERIES,
	F_NUMBER,
	F_DATE,
	F_TIME,
	F_RECT_CODE,
	F_RECT_SERIES,
	F_RECT_NUMBER,
	F_RECT_DATE,
	F_DESCRIPTION,
	F_LINE_DESCRIPTION,
	F_QUANTITY,
	F_UNIT_PRICE,
	F_DISCOUNT,
	F_LINE_TOTAL,
	F_TOTAL,
	F_EXEMPT_CAUSE,
	F_VAT_PERCENT,
	F_BASE,
	F_VAT,
	F_PREV_SERIES,
	F_PREV_NUMBER,
	F_PREV_DATE,
	F_PREV_SIGNATURE,
	F_SW_LICENCE,
	F_SW_NIF,
	F_SW_NAME,
	F_SW_VERSION,
	F_QR_BASE,
	F_COUNT
};

static xmlSchemaValidCtxtPtr invoice_schema, cancel_schema;

static xmlSchemaValidCtxtPtr load_schema(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", HM_TBAI_SCHEMAS, name);
	xmlSchemaParserCtxtPtr p = xmlSchemaNewParserCtxt(path);
	xmlSchemaPtr schema = p ? xmlSchemaParse(p) : NULL;
	xmlSchemaFreeParserCtxt(p);
	xmlSchemaValidCtxtPtr v = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	if (!v) {
		fprintf(stderr, "fuzz_tbai: cannot load %s\n", path);
		exit(2);
	}
	return v; /* kept for the whole run, with its schema */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	invoice_schema = load_schema("ticketbaiv1-2-2.xsd");
	cancel_schema = load_schema("anula_ticketbaiv1-2-2.xsd");
	return 0;
}

/* The schema requires the ds:Signature that hm_tbai_sign adds (too slow to run per
 * input): a structural stand-in, as in the pack's hand-made samples, goes before the
 * root's end tag. */
static const char placeholder_signature[] =
	"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
	"<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
	"<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
	"<ds:Reference URI=\"\"><ds:DigestMethod "
	"Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha512\"/><ds:DigestValue>AAAA</ds:DigestValue>"
	"</ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>";

static void check_doc(const char *unsigned_xml, xmlSchemaValidCtxtPtr schema, const char *what,
		      const char *must_hold)
{
	const char *end = strrchr(unsigned_xml, '<');
	if (!end || strncmp(end, "</T:", 4) != 0)
		FAIL("%s: does not end with the root's end tag:\n%s", what, unsigned_xml);
	size_t head = (size_t)(end - unsigned_xml);
	size_t len = strlen(unsigned_xml) + sizeof placeholder_signature;
	char *xml = malloc(len);
	if (!xml)
		return;
	snprintf(xml, len, "%.*s%s%s", (int)head, unsigned_xml, placeholder_signature, end);
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8",
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		FAIL("%s: not well-formed:\n%s", what, xml);
	if (xmlSchemaValidateDoc(schema, doc) != 0)
		FAIL("%s: not schema-valid:\n%s", what, xml);
	xmlFreeDoc(doc);
	if (must_hold && !strstr(xml, must_hold))
		FAIL("%s: \"%s\" missing", what, must_hold);
	free(xml);
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void check_url(const char *url, const char *base, const char *id)
{
	size_t n = strlen(url), b = strlen(base);
	if (strncmp(url, base, b) != 0 || n < b + 7 || strncmp(url + b, "?id=", 4) != 0)
		FAIL("QR URL does not start with base + ?id=: %s", url);
	const char *cr = url + n - 7;
	if (strncmp(cr, "&cr=", 4) != 0)
		FAIL("QR URL does not end in &cr=NNN: %s", url);
	char want[8];
	snprintf(want, sizeof want, "&cr=%03u", (unsigned)hm_tbai_crc8(url, (size_t)(cr - url)));
	if (strcmp(cr, want) != 0)
		FAIL("QR CRC wrong: %s", url);
	for (const char *p = url + b; p < cr; p++) {
		char c = *p;
		if (c == '%') {
			if (hex(p[1]) < 0 || hex(p[2]) < 0)
				FAIL("bad escape in %s", url);
			p += 2;
		} else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9') || strchr("-._~&=?", c))) {
			FAIL("unencoded byte 0x%02x in %s", (unsigned char)c, url);
		}
	}
	/* "id" decodes back to the identifier. */
	char decoded[256];
	size_t k = 0;
	for (const char *p = url + b + 4; *p != '&' && k < sizeof decoded - 1; p++) {
		if (*p == '%') {
			decoded[k++] = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 2;
		} else {
			decoded[k++] = *p;
		}
	}
	decoded[k] = '\0';
	if (strcmp(decoded, id) != 0)
		FAIL("id decodes to \"%s\", not \"%s\"", decoded, id);
}

static void check_identifier(const char *nif, const char *date, const char *sig, const char *base,
			     const char *series, const char *number, const char *total)
{
	char id[HM_TBAI_ID_LEN + 1];
	if (hm_tbai_identifier(nif, date, sig, id)) {
		char sig13[14];
		size_t n = 0;
		for (const char *p = sig; *p && n < 13; p++)
			if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\v' &&
			    *p != '\f')
				sig13[n++] = *p;
		sig13[n] = '\0';
		char head[64];
		snprintf(head, sizeof head, "TBAI-%s-%.2s%.2s%.2s-%s-", nif, date, date + 3,
			 date + 8, sig13);
		char crc[4];
		snprintf(crc, sizeof crc, "%03u", (unsigned)hm_tbai_crc8(head, 36));
		if (strlen(id) != HM_TBAI_ID_LEN || strlen(head) != 36 ||
		    strncmp(id, head, 36) != 0 || strcmp(id + 36, crc) != 0)
			FAIL("identifier %s from %s %s %s", id, nif, date, sig);
	} else if (id[0] != '\0') {
		FAIL("a refused identifier left text behind");
	}
	const char *use = id[0] ? id : number;
	char *url = hm_tbai_qr_url(base, use, series, number, total);
	if (url)
		check_url(url, base, use);
	free(url);
}

static int64_t num(const char *s)
{
	return strtoll(s, NULL, 10);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *f[F_COUNT];
	size_t nf = 0;
	char *start = copy;
	for (size_t i = 0; i <= size && nf < F_COUNT; i++) {
		if (i == size || copy[i] == '\x1f') {
			copy[i] = '\0';
			f[nf++] = start;
			start = copy + i + 1;
		}
	}
	while (nf < F_COUNT)
		f[nf++] = "";
	unsigned flags = (unsigned char)f[F_FLAGS][0];

	struct hm_tbai_party recipient = {f[F_RECIPIENT_NIF], f[F_RECIPIENT_NAME],
					  f[F_RECIPIENT_POSTCODE], f[F_RECIPIENT_ADDRESS]};
	struct hm_tbai_invoice_ref rect = {f[F_RECT_SERIES], f[F_RECT_NUMBER], f[F_RECT_DATE]};
	struct hm_tbai_invoice_ref prev = {f[F_PREV_SERIES], f[F_PREV_NUMBER], f[F_PREV_DATE]};
	struct hm_tbai_line lines[2] = {
		{f[F_LINE_DESCRIPTION], num(f[F_QUANTITY]), num(f[F_UNIT_PRICE]),
		 num(f[F_DISCOUNT]), num(f[F_LINE_TOTAL])},
		{f[F_DESCRIPTION], 1, 0, 0, 0},
	};
	/* With two lines, the second makes up the total (when that cannot overflow). */
	int64_t total = num(f[F_TOTAL]), first = lines[0].total_cents;
	if (total > -(1LL << 60) && total < (1LL << 60) && first > -(1LL << 60) &&
	    first < (1LL << 60))
		lines[1].unit_price_cents = lines[1].total_cents = total - first;
	struct hm_tbai_invoice inv = {
		.issuer = {f[F_ISSUER_NIF], f[F_ISSUER_NAME], NULL, NULL},
		.recipient = (flags & 1) ? &recipient : NULL,
		.series = (flags & 64) ? NULL : f[F_SERIES],
		.number = f[F_NUMBER],
		.date = f[F_DATE],
		.time = f[F_TIME],
		.simplified = (flags & 2) != 0,
		.rectifying_code = (flags & 4) ? f[F_RECT_CODE] : NULL,
		.rectified = &rect,
		.n_rectified = (flags & 128) ? 0 : 1,
		.description = f[F_DESCRIPTION],
		.lines = lines,
		.n_lines = (flags & 32) ? 2 : 1,
		.total_cents = num(f[F_TOTAL]),
		.vat_exempt = (flags & 16) != 0,
		.exempt_cause = *f[F_EXEMPT_CAUSE] ? f[F_EXEMPT_CAUSE] : NULL,
		.vat_percent = (int)num(f[F_VAT_PERCENT]),
		.base_cents = num(f[F_BASE]),
		.vat_cents = num(f[F_VAT]),
		.previous = (flags & 8) ? &prev : NULL,
		.previous_signature = f[F_PREV_SIGNATURE],
		.software = {f[F_SW_LICENCE], f[F_SW_NIF], f[F_SW_NAME], f[F_SW_VERSION]},
	};

	char *xml = NULL;
	const char *why = NULL;
	if (hm_tbai_build(&inv, &xml, &why)) {
		if (!xml || why)
			FAIL("build succeeded without a document or with a reason");
		check_doc(xml, invoice_schema, "invoice", f[F_DATE]);
	} else if (xml || !why) {
		FAIL("build refused without a reason or left a document");
	}
	free(xml);

	xml = NULL;
	why = NULL;
	if (hm_tbai_build_cancel(&inv.issuer, &prev, &inv.software, &xml, &why)) {
		if (!xml)
			FAIL("cancel succeeded without a document");
		check_doc(xml, cancel_schema, "cancellation", f[F_PREV_DATE]);
	} else if (xml || !why) {
		FAIL("cancel refused without a reason or left a document");
	}
	free(xml);

	check_identifier(f[F_ISSUER_NIF], f[F_DATE], f[F_PREV_SIGNATURE], f[F_QR_BASE],
			 (flags & 64) ? NULL : f[F_SERIES], f[F_NUMBER], f[F_TOTAL]);
	free(copy);
	return 0;
}
