// SPDX-License-Identifier: MIT
// TicketBAI files end to end, checked by outside tools: four invoices (exempt
// simplified first of its chain, taxed full with a recipient, rectifying with
// negative amounts, a chained one from another territory) and a cancellation are
// built, signed with a fresh test certificate, and then
//   - validated by xmllint against the official schema 1.2.2 and against the
//     TicketBAI + XAdES 1.3.2 wrapper (the xades: part too);
//   - verified by xmlsec1 --verify with the test certificate as the only trust;
//   - read back: chain elements, policy identifier and digest, the certificate's
//     SHA-512 digest as openssl(1) computes it, the identifier and its CRC.
// A tampered file must fail xmlsec1 and a broken one xmllint (the checkers can fail).
// The schemas are the repository's copies (tests/tbai/schemas, HM_TBAI_SCHEMAS).
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "check.h"
#include "harreman/tbai.h"

static char dir[64];
static char p12[128], pem[128];

/* Runs a shell command line; its exit status (-1 when it could not run). */
static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc))
		return -1;
	return WEXITSTATUS(rc);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static int schema_check(const char *xsd, const char *file)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "xmllint --nonet --noout --schema '%s/%s' '%s' 2>>'%s/xmllint.log'",
		 HM_TBAI_SCHEMAS, xsd, file, dir);
	return run(cmd);
}

/* The second verifier, npm's xadesjs (tests/tbai/verify_xades.mjs), when the test
 * runs as tbai/xadesjs (HM_TBAI_XADESJS = "NODE SCRIPT"); 0 when it is not asked. */
static int xadesjs_check(const char *file, const struct hm_tbai_territory *t)
{
	const char *node_script = getenv("HM_TBAI_XADESJS");
	if (!node_script || !*node_script)
		return 0;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s '%s' '%s' '%s' '%s' >>'%s/xadesjs.log' 2>&1", node_script,
		 file, pem, t->policy_id, t->policy_digest, dir);
	return run(cmd);
}

static int signature_check(const char *file)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "xmlsec1 --verify --trusted-pem '%s' "
		 "--id-attr:Id 'http://uri.etsi.org/01903/v1.3.2#:SignedProperties' '%s' "
		 ">>'%s/xmlsec1.log' 2>&1",
		 pem, file, dir);
	return run(cmd);
}

/* The text of the first node XPath expr selects in xml (ds:, xades: bound), or NULL
 * (also for no xml); malloc'd. */
static char *xpath_text(const char *xml, const char *expr)
{
	if (!xml)
		return NULL;
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), NULL, "UTF-8", XML_PARSE_NONET);
	if (!doc)
		return NULL;
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"ds",
			   (const xmlChar *)"http://www.w3.org/2000/09/xmldsig#");
	xmlXPathRegisterNs(ctx, (const xmlChar *)"xades",
			   (const xmlChar *)"http://uri.etsi.org/01903/v1.3.2#");
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	char *out = NULL;
	if (r && r->nodesetval && r->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
		out = c ? strdup((const char *)c) : NULL;
		xmlFree(c);
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

/* The first node expr selects in xml has the text want. */
#define CHECK_XPATH(xml, expr, want)                    \
	do {                                            \
		char *check_x_ = xpath_text(xml, expr); \
		CHECK_STR(check_x_, want);              \
		free(check_x_);                         \
	} while (0)

/* One line of a command's output, malloc'd without its newline. */
static char *command_line(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char line[512] = "";
	if (!p)
		return NULL;
	if (!fgets(line, sizeof line, p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

/* Draws the SVG of hm_tbai_qr_svg (its "Mx yhNv1h-Nz" runs) as a PBM image, each
 * module 4x4 pixels, at path; false when the SVG is not in that shape. */
static bool svg_to_pbm(const char *svg, const char *path)
{
	int size = 0;
	const char *vb = strstr(svg, "viewBox=\"0 0 ");
	const char *d = strstr(svg, " d=\"");
	if (!vb || !d || sscanf(vb, "viewBox=\"0 0 %d", &size) != 1 || size < 21 || size > 200)
		return false;
	unsigned char *dark = calloc((size_t)size * (size_t)size, 1);
	if (!dark)
		return false;
	const char *p = d + 4;
	int x, y, run, back, used;
	while (sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &used) == 4) {
		if (run != back || x < 0 || y < 0 || y >= size || x + run > size) {
			free(dark);
			return false;
		}
		memset(dark + y * size + x, 1, (size_t)run);
		p += used;
	}
	FILE *f = fopen(path, "w");
	bool ok = f && *p == '"';
	if (ok) {
		fprintf(f, "P1\n%d %d\n", size * 4, size * 4);
		for (int py = 0; py < size * 4; py++) {
			for (int px = 0; px < size * 4; px++)
				fputc(dark[(py / 4) * size + px / 4] ? '1' : '0', f);
			fputc('\n', f);
		}
	}
	if (f && fclose(f) != 0)
		ok = false;
	free(dark);
	return ok;
}

static const struct hm_tbai_software software = {"TBAIGI00000000PRUEBA", "A99800005",
						 "SOFTWARE GARANTE TICKETBAI PRUEBA", "1.0"};

struct signed_invoice {
	char *xml, *sig;
	char file[160];
};

/* Builds, signs, writes and checks inv; the result is kept for chaining. */
static void sign_and_check(struct hm_tbai_signer *signer, const char *territory,
			   const struct hm_tbai_invoice *inv, const char *name,
			   struct signed_invoice *out)
{
	char *xml = NULL;
	const char *why = NULL;
	memset(out, 0, sizeof *out);
	bool built = hm_tbai_build(inv, &xml, &why);
	CHECK(built);
	if (!built) {
		fprintf(stderr, "%s: %s\n", name, why);
		return;
	}
	const struct hm_tbai_territory *t = hm_tbai_territory_defaults(territory);
	bool sig_ok = hm_tbai_sign(signer, t, xml, time(NULL), &out->xml, &out->sig, &why);
	free(xml);
	CHECK(sig_ok);
	if (!sig_ok) {
		fprintf(stderr, "%s: %s\n", name, why);
		return;
	}
	snprintf(out->file, sizeof out->file, "%s/%s.xml", dir, name);
	write_file(out->file, out->xml);
	CHECK_INT(schema_check("ticketbaiv1-2-2.xsd", out->file), 0);
	CHECK_INT(schema_check("validate-with-xades.xsd", out->file), 0);
	CHECK_INT(signature_check(out->file), 0);
	CHECK_INT(xadesjs_check(out->file, t), 0);

	/* The signature value read back equals the one returned (whitespace aside). */
	char *sv = xpath_text(out->xml, "//ds:SignatureValue");
	size_t k = 0;
	for (size_t i = 0; sv && sv[i]; i++)
		if (sv[i] != '\n' && sv[i] != '\r' && sv[i] != ' ')
			sv[k++] = sv[i];
	if (sv)
		sv[k] = '\0';
	CHECK_STR(sv, out->sig);
	CHECK_INT(strlen(out->sig), 344); /* RSA-2048: 256 bytes in base64 */
	free(sv);

	/* The territory's policy, and the certificate the signature names. */
	CHECK_XPATH(out->xml, "//xades:SigPolicyId/xades:Identifier", t->policy_id);
	CHECK_XPATH(out->xml, "//xades:SigPolicyHash/ds:DigestValue", t->policy_digest);
	char cmd[300];
	snprintf(cmd, sizeof cmd,
		 "openssl x509 -in '%s' -outform DER | openssl dgst -sha512 -binary | base64 -w0",
		 pem);
	char *want = command_line(cmd);
	char *cert_digest = xpath_text(out->xml, "//xades:CertDigest/ds:DigestValue");
	CHECK_STR(cert_digest, want);
	free(want);
	free(cert_digest);
	snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -noout -serial", pem);
	char *serial_hex = command_line(cmd); /* serial=HEX */
	char *serial = xpath_text(out->xml, "//xades:IssuerSerial/ds:X509SerialNumber");
	CHECK(serial_hex && serial && strncmp(serial_hex, "serial=", 7) == 0 &&
	      strtoull(serial_hex + 7, NULL, 16) == strtoull(serial, NULL, 10));
	free(serial_hex);
	free(serial);

	/* The identifier: NIF, DDMMYY, 13 signature characters, CRC of the first 36. */
	char id[HM_TBAI_ID_LEN + 1];
	CHECK(hm_tbai_identifier(inv->issuer.nif, inv->date, out->sig, id));
	char head[40];
	snprintf(head, sizeof head, "TBAI-%s-%.2s%.2s%.2s-%.13s-", inv->issuer.nif, inv->date,
		 inv->date + 3, inv->date + 8, out->sig);
	CHECK(strncmp(id, head, 36) == 0);
	char crc[4];
	snprintf(crc, sizeof crc, "%03u", (unsigned)hm_tbai_crc8(head, 36));
	CHECK_STR(id + 36, crc);
}

static struct hm_tbai_party issuer = {"B12345674", "ACADEMIA ADIBIDEA SL", NULL, NULL};

static void check_chain(const struct signed_invoice *later, const char *series, const char *number,
			const char *date, const char *previous_sig)
{
	CHECK_XPATH(later->xml, "//EncadenamientoFacturaAnterior/SerieFacturaAnterior", series);
	CHECK_XPATH(later->xml, "//EncadenamientoFacturaAnterior/NumFacturaAnterior", number);
	CHECK_XPATH(later->xml, "//EncadenamientoFacturaAnterior/FechaExpedicionFacturaAnterior",
		    date);
	char *s = xpath_text(later->xml,
			     "//EncadenamientoFacturaAnterior/SignatureValueFirmaFacturaAnterior");
	CHECK(s && strlen(s) == HM_TBAI_CHAIN_SIG_LEN && previous_sig &&
	      strncmp(s, previous_sig, HM_TBAI_CHAIN_SIG_LEN) == 0);
	free(s);
}

static void test_invoices(struct hm_tbai_signer *signer)
{
	/* 1. Exempt (E1), simplified, the first of its chain. */
	struct hm_tbai_line l1[] = {
		{"Matematika, 4 saio - Matemáticas, 4 sesiones", 4, 2500, 0, 10000},
		{"Opari-saioa - Sesión regalo", 1, 0, 0, 0},
	};
	struct hm_tbai_invoice inv1 = {
		.issuer = issuer,
		.series = "K2026",
		.number = "1",
		.date = "14-09-2026",
		.time = "10:30:00",
		.simplified = true,
		.description = "Klase partikularrak - Clases particulares",
		.lines = l1,
		.n_lines = 2,
		.total_cents = 10000,
		.vat_exempt = true,
		.software = software,
	};
	struct signed_invoice s1;
	sign_and_check(signer, "gipuzkoa", &inv1, "exempt-simplified", &s1);
	char *chain = s1.xml ? xpath_text(s1.xml, "//EncadenamientoFacturaAnterior") : NULL;
	CHECK(s1.xml && chain == NULL); /* the first has no chain */
	free(chain);
	CHECK_XPATH(s1.xml, "//FacturaSimplificada", "S");

	/* 2. Taxed (S1, 21 %), full, with a recipient, a discount; chained to 1. */
	struct hm_tbai_party client = {"12345678Z", "IKASLE ADIBIDEA", "20001",
				       "Kalea 1, Donostia"};
	/* Unit price and discount without VAT (30.00 and 15.00 with it), total with it. */
	struct hm_tbai_line l2[] = {
		{"Ingelesa, 10 saio - Inglés, 10 sesiones", 10, 2479, 1240, 28500}};
	struct hm_tbai_invoice_ref prev1 = {"K2026", "1", "14-09-2026"};
	struct hm_tbai_invoice inv2 = {
		.issuer = issuer,
		.recipient = &client,
		.series = "K2026",
		.number = "2",
		.date = "15-09-2026",
		.time = "09:05:59",
		.description = "Klase partikularrak - Clases particulares",
		.lines = l2,
		.n_lines = 1,
		.total_cents = 28500,
		.vat_exempt = false,
		.vat_percent = 21,
		.base_cents = 23554,
		.vat_cents = 4946,
		.previous = &prev1,
		.previous_signature = s1.sig,
		.software = software,
	};
	struct signed_invoice s2;
	sign_and_check(signer, "gipuzkoa", &inv2, "taxed-full", &s2);
	if (s2.xml) {
		check_chain(&s2, "K2026", "1", "14-09-2026", s1.sig);
		CHECK_XPATH(s2.xml, "//DetalleIVA/TipoImpositivo", "21.00");
		CHECK_XPATH(s2.xml, "//IDDestinatario/NIF", "12345678Z");
		CHECK_XPATH(s2.xml, "//IDDetalleFactura/Descuento", "12.40");
		CHECK_XPATH(s2.xml, "//IDDetalleFactura/ImporteUnitario", "24.79");
		CHECK_XPATH(s2.xml, "//DetalleIVA/CuotaImpuesto", "49.46");
	}

	/* 3. Rectifying (R5, simplified) with negative amounts: part of invoice 1 back. */
	struct hm_tbai_line l3[] = {{"Itzulitako saioak - Sesiones devueltas", -2, 2500, 0, -5000}};
	struct hm_tbai_invoice_ref prev2 = {"K2026", "2", "15-09-2026"};
	struct hm_tbai_invoice inv3 = {
		.issuer = issuer,
		.series = "K2026R",
		.number = "1",
		.date = "20-09-2026",
		.time = "18:00:00",
		.simplified = true,
		.rectifying_code = "R5",
		.rectified = &prev1,
		.n_rectified = 1,
		.description = "Ezeztapena - Cancelación",
		.lines = l3,
		.n_lines = 1,
		.total_cents = -5000,
		.vat_exempt = true,
		.previous = &prev2,
		.previous_signature = s2.sig,
		.software = software,
	};
	struct signed_invoice s3;
	sign_and_check(signer, "araba", &inv3, "rectifying", &s3);
	if (s3.xml) {
		check_chain(&s3, "K2026", "2", "15-09-2026", s2.sig);
		CHECK_XPATH(s3.xml, "//ImporteTotalFactura", "-50.00");
		CHECK_XPATH(s3.xml, "//FacturaRectificativa/Codigo", "R5");
		CHECK_XPATH(s3.xml, "//IDFacturaRectificadaSustituida/NumFactura", "1");
	}

	/* 4. A chained invoice in Bizkaia, no series, a signature value with line breaks
	 * as xmlsec1 writes them (kept: the first 100 characters without them). */
	char wrapped[400];
	snprintf(wrapped, sizeof wrapped, "%.64s\n%s", s3.sig ? s3.sig : "",
		 s3.sig ? s3.sig + 64 : "");
	struct hm_tbai_invoice_ref prev3 = {"K2026R", "1", "20-09-2026"};
	struct hm_tbai_invoice inv4 = inv1;
	inv4.series = NULL;
	inv4.number = "2026-0004";
	inv4.date = "21-09-2026";
	inv4.previous = &prev3;
	inv4.previous_signature = wrapped;
	struct signed_invoice s4;
	sign_and_check(signer, "bizkaia", &inv4, "chained-bizkaia", &s4);
	if (s4.xml)
		check_chain(&s4, "K2026R", "1", "20-09-2026", s3.sig);

	/* The checkers can fail: one changed amount breaks the signature, a broken NIF
	 * the schema. */
	if (s2.xml) {
		char *tampered = strdup(s2.xml);
		char *at = strstr(tampered, "<ImporteTotalFactura>285.00<");
		CHECK(at != NULL);
		if (at) {
			at[strlen("<ImporteTotalFactura>28")] = '6';
			char path[160];
			snprintf(path, sizeof path, "%s/tampered.xml", dir);
			write_file(path, tampered);
			CHECK(signature_check(path) != 0);
			if (getenv("HM_TBAI_XADESJS"))
				CHECK(xadesjs_check(path, hm_tbai_territory_defaults("gipuzkoa")) !=
				      0);
			CHECK_INT(schema_check("ticketbaiv1-2-2.xsd", path), 0);
		}
		char *nif = strstr(tampered, "<NIF>B12345674<");
		if (nif) {
			memcpy(nif + 5, "B1234567-", 9);
			char path[160];
			snprintf(path, sizeof path, "%s/invalid.xml", dir);
			write_file(path, tampered);
			CHECK(schema_check("ticketbaiv1-2-2.xsd", path) != 0);
		}
		free(tampered);
	}

	/* The QR code of invoice 2's address, as SVG: well-formed, 4-module margin. */
	char id[HM_TBAI_ID_LEN + 1];
	if (s2.sig && hm_tbai_identifier("B12345674", "15-09-2026", s2.sig, id)) {
		char *url = hm_tbai_qr_url(hm_tbai_territory_defaults("gipuzkoa")->qr_url, id,
					   "K2026", "2", "285.00");
		char *svg = url ? hm_tbai_qr_svg(url) : NULL;
		CHECK(svg && strstr(svg, "<svg") == svg);
		xmlDocPtr d = svg ? xmlReadMemory(svg, (int)strlen(svg), NULL, NULL, 0) : NULL;
		CHECK(d != NULL);
		xmlFreeDoc(d);
		int size = 0;
		CHECK(svg && sscanf(strstr(svg, "viewBox=\"0 0 "), "viewBox=\"0 0 %d", &size) == 1);
		/* A ~150-byte address at level M: version 7 to 10 (45 to 57 modules) + 8. */
		CHECK(size >= 53 && size <= 65 && (size - 8 - 17) % 4 == 0);
		CHECK(svg && strstr(svg, "M4 4h7v1h-7z") != NULL); /* the finder's top row */
		/* zbarimg (zbar-tools) reads the drawn code back: the same address. */
		char pbm[160];
		snprintf(pbm, sizeof pbm, "%s/qr.pbm", dir);
		CHECK(svg && svg_to_pbm(svg, pbm));
		char zcmd[256];
		snprintf(zcmd, sizeof zcmd, "zbarimg -q --raw '%s'", pbm);
		char *decoded = command_line(zcmd);
		CHECK_STR(decoded, url);
		free(decoded);
		free(svg);
		free(url);
	}
	CHECK(hm_tbai_qr_svg("") == NULL);
	CHECK(hm_tbai_qr_svg(NULL) == NULL);

	struct signed_invoice *all[] = {&s1, &s2, &s3, &s4};
	for (size_t i = 0; i < 4; i++) {
		free(all[i]->xml);
		free(all[i]->sig);
	}
}

static void test_cancellation(struct hm_tbai_signer *signer)
{
	struct hm_tbai_invoice_ref ref = {"K2026", "2", "15-09-2026"};
	char *xml = NULL, *signed_xml = NULL, *sig = NULL;
	const char *why = NULL;
	CHECK(hm_tbai_build_cancel(&issuer, &ref, &software, &xml, &why));
	CHECK(xml && hm_tbai_sign(signer, hm_tbai_territory_defaults("araba"), xml, time(NULL),
				  &signed_xml, &sig, &why));
	if (signed_xml) {
		char path[160];
		snprintf(path, sizeof path, "%s/cancel.xml", dir);
		write_file(path, signed_xml);
		CHECK_INT(schema_check("anula_ticketbaiv1-2-2.xsd", path), 0);
		CHECK_INT(signature_check(path), 0);
		CHECK_INT(xadesjs_check(path, hm_tbai_territory_defaults("araba")), 0);
	}
	free(xml);
	free(signed_xml);
	free(sig);
	struct hm_tbai_invoice_ref bad = {"K2026", "", "15-09-2026"};
	CHECK(!hm_tbai_build_cancel(&issuer, &bad, &software, &xml, &why) && xml == NULL);
}

static void test_bad_invoices(void)
{
	struct hm_tbai_line line = {"Saioa", 1, 1000, 0, 1000};
	struct hm_tbai_invoice good = {
		.issuer = issuer,
		.number = "7",
		.date = "01-02-2027",
		.time = "23:59:59",
		.description = "Saioa",
		.lines = &line,
		.n_lines = 1,
		.total_cents = 1000,
		.vat_exempt = true,
		.software = software,
	};
	char *xml = NULL;
	const char *why = NULL;
	CHECK(hm_tbai_build(&good, &xml, &why));
	free(xml);

	struct hm_tbai_invoice b;
	char long_text[300];
	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	struct hm_tbai_line blank_line = {" \t ", 1, 1, 0, 1};
	struct hm_tbai_line huge_line = {"x", 1, 100000000000000LL, 0, 1};
	struct hm_tbai_party bad_client = {"12345678", "X", NULL, NULL};
	struct hm_tbai_invoice_ref bad_ref = {NULL, "1", "2026-09-14"};
	struct hm_tbai_invoice_ref good_ref = {"A", "1", "01-01-2027"};
#define EXPECT_BAD(change)                                                   \
	do {                                                                 \
		b = good;                                                    \
		change;                                                      \
		xml = (char *)"unchanged";                                   \
		why = NULL;                                                  \
		CHECK(!hm_tbai_build(&b, &xml, &why) && xml == NULL && why); \
	} while (0)
	EXPECT_BAD(b.issuer.nif = "B1234567");
	EXPECT_BAD(b.issuer.nif = "B1234567A4");
	EXPECT_BAD(b.issuer.nif = "BB2345674");
	EXPECT_BAD(b.issuer.name = "   ");
	EXPECT_BAD(b.issuer.name = long_text);
	EXPECT_BAD(b.recipient = &bad_client);
	EXPECT_BAD(b.number = "");
	EXPECT_BAD(b.number = "123456789012345678901");
	EXPECT_BAD(b.series = "123456789012345678901");
	EXPECT_BAD(b.date = "1-02-2027");
	EXPECT_BAD(b.date = "00-02-2027");
	EXPECT_BAD(b.time = "24:00:00");
	EXPECT_BAD(b.time = "10:60:00");
	EXPECT_BAD(b.description = "Saio\x01");     /* a control character */
	EXPECT_BAD(b.description = "Sai\xc3(");     /* broken UTF-8 */
	EXPECT_BAD(b.description = "\xc0\xaf");     /* overlong */
	EXPECT_BAD(b.description = "\xed\xa0\x80"); /* a surrogate */
	EXPECT_BAD(b.n_lines = 0);
	EXPECT_BAD(b.n_lines = HM_TBAI_MAX_LINES + 1);
	EXPECT_BAD(b.lines = &blank_line);
	EXPECT_BAD(b.lines = &huge_line);
	EXPECT_BAD(b.total_cents = 1001); /* not the sum of the lines */
	EXPECT_BAD(b.vat_exempt = false; b.vat_percent = 21; b.base_cents = 826; b.vat_cents = 173);
	EXPECT_BAD(b.total_cents = -100000000000000LL);
	EXPECT_BAD(b.total_cents = INT64_MIN);
	EXPECT_BAD(b.exempt_cause = "E7");
	EXPECT_BAD(b.vat_exempt = false; b.vat_percent = 101);
	EXPECT_BAD(b.rectifying_code = "R6"; b.rectified = &bad_ref; b.n_rectified = 1);
	EXPECT_BAD(b.rectifying_code = "R1"; b.n_rectified = 0);
	EXPECT_BAD(b.rectifying_code = "R1"; b.rectified = &bad_ref; b.n_rectified = 1);
	EXPECT_BAD(b.previous = &bad_ref; b.previous_signature = "abc");
	EXPECT_BAD(b.previous = &good_ref; b.previous_signature = " \n ");
	EXPECT_BAD(b.previous = &good_ref; b.previous_signature = NULL);
	EXPECT_BAD(b.software.licence = "");
	EXPECT_BAD(b.software.developer_nif = "nope");
#undef EXPECT_BAD
	b = good;
	b.vat_exempt = false;
	b.vat_percent = 21;
	b.base_cents = 826;
	b.vat_cents = 174;
	CHECK(hm_tbai_build(&b, &xml, &why));
	free(xml);
	/* 120 two-byte characters are 120 characters, not 240: accepted. */
	char name[241];
	for (int i = 0; i < 240; i += 2)
		memcpy(name + i, "\xc3\xb1", 2);
	name[240] = '\0';
	b = good;
	b.issuer.name = name;
	CHECK(hm_tbai_build(&b, &xml, &why));
	free(xml);
}

/* A figure, not a check: build + sign of a one-line invoice, per second. */
static void report_signing_rate(struct hm_tbai_signer *signer)
{
	struct hm_tbai_line line = {"Saioa", 1, 1000, 0, 1000};
	struct hm_tbai_invoice inv = {.issuer = issuer,
				      .number = "1",
				      .date = "01-02-2027",
				      .time = "10:00:00",
				      .description = "Saioa",
				      .lines = &line,
				      .n_lines = 1,
				      .total_cents = 1000,
				      .vat_exempt = true,
				      .software = software};
	const struct hm_tbai_territory *t = hm_tbai_territory_defaults("gipuzkoa");
	struct timespec a, b;
	int n = 50, done = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++) {
		char *xml = NULL, *signed_xml = NULL, *sig = NULL;
		const char *why;
		if (hm_tbai_build(&inv, &xml, &why) &&
		    hm_tbai_sign(signer, t, xml, time(NULL), &signed_xml, &sig, &why))
			done++;
		free(xml);
		free(signed_xml);
		free(sig);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	CHECK_INT(done, n);
	fprintf(stderr, "build + sign: %d invoices in %.3f s, %.0f signatures per second\n", done,
		secs, secs > 0 ? done / secs : 0.0);
}

static void test_signer_errors(void)
{
	const char *why = NULL;
	CHECK(hm_tbai_signer_open("/nonexistent/cert.p12", "x", &why) == NULL && why);
	why = NULL;
	CHECK(hm_tbai_signer_open(p12, "wrong password", &why) == NULL && why);
	/* A PEM certificate is not a PKCS#12 file. */
	why = NULL;
	CHECK(hm_tbai_signer_open(pem, "test-pass", &why) == NULL && why);
	CHECK(hm_tbai_territory_defaults("navarra") == NULL);
	CHECK(hm_tbai_territory_defaults(NULL) == NULL);
	CHECK_STR(hm_tbai_territory_defaults("araba")->qr_url,
		  "https://ticketbai.araba.eus/tbai/qrtbai/");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/tbai-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 2;
	snprintf(p12, sizeof p12, "%s/test.p12", dir);
	snprintf(pem, sizeof pem, "%s/test.pem", dir);
	const char *why = NULL;
	if (!hm_tbai_testcert_write(p12, "test-pass", pem, 30, &why)) {
		fprintf(stderr, "test certificate: %s\n", why);
		return 2;
	}
	char *subject_line = NULL;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -noout -subject", pem);
	subject_line = command_line(cmd);
	CHECK(subject_line && strstr(subject_line, HM_TBAI_TEST_CERT_CN));
	free(subject_line);

	struct hm_tbai_signer *signer = hm_tbai_signer_open(p12, "test-pass", &why);
	CHECK(signer != NULL);
	if (!signer) {
		fprintf(stderr, "signer: %s\n", why);
		return CHECK_EXIT();
	}
	CHECK(strstr(hm_tbai_signer_subject(signer), "TEST") != NULL);
	RUN(test_signer_errors);
	RUN(test_bad_invoices);
	test_invoices(signer);
	test_cancellation(signer);
	report_signing_rate(signer);
	hm_tbai_signer_close(signer);

	int failed = check_failures;
	if (!failed) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		run(cmd);
	} else {
		fprintf(stderr, "files kept in %s\n", dir);
	}
	return CHECK_EXIT();
}
