/* SPDX-License-Identifier: MIT */
/* TicketBAI, the Basque treasuries' signed invoice file, without any database: the
 * identifier and its CRC-8, the QR address and its SVG, the per-territory settings,
 * the invoice (and cancellation) XML, its XAdES-EPES signature and a test
 * certificate. The calling order is build -> sign -> identifier -> QR URL -> SVG.
 * The facts and their sources: ../shared/ticketbai/README.md (copied into
 * tests/tbai/schemas/README.md for the schemas). No libxml2, xmlsec1, OpenSSL or
 * libqrencode type appears here: everything goes in and out as C text. */
#ifndef HARREMAN_TBAI_H
#define HARREMAN_TBAI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- Identifier, CRC-8 and QR address (pure: src/domain/tbai_id.c) ---- */

/* "TBAI-" NIF(9) "-" DDMMYY "-" 13 signature characters "-" CRC(3): 39 characters. */
#define HM_TBAI_ID_LEN 39
/* Characters of the previous invoice's SignatureValue kept in the chain. */
#define HM_TBAI_CHAIN_SIG_LEN 100

/* CRC-8 of the treasuries: polynomial 0x07, initial value 0, no reflection, no final
 * xor (the catalogue's CRC-8/SMBUS; "123456789" gives 244). */
uint8_t hm_tbai_crc8(const void *data, size_t len);

/* The TicketBAI identifier of an invoice into out[HM_TBAI_ID_LEN + 1]: nif is the
 * issuer's 9-character NIF (letters and digits), date its FechaExpedicionFactura
 * "DD-MM-YYYY" (the business's local date), signature_value the invoice's
 * ds:SignatureValue as written (whitespace is skipped; 13 base64 characters must
 * remain). False (out = "") on any malformed input. */
bool hm_tbai_identifier(const char *nif, const char *date, const char *signature_value,
			char out[HM_TBAI_ID_LEN + 1]);

/* The QR address: base_url (the territory's checking page, used as given) + "?id=" +
 * identifier + "&s=" series + "&nf=" number + "&i=" total + "&cr=" CRC, each value
 * percent-encoded (RFC 3986 unreserved characters kept) and the CRC-8 taken over the
 * encoded text before "&cr=". total must be the ImporteTotalFactura text exactly
 * ("4.70", "-12.00"). A NULL or empty series leaves "s" out (the treasuries' own
 * worked example without a series). Returns a malloc'd string the caller frees, or
 * NULL on a missing or over-long argument (each value at most 64 bytes). */
char *hm_tbai_qr_url(const char *base_url, const char *identifier, const char *series,
		     const char *number, const char *total);

/* ---- Per-territory settings (src/tbai/territory.c) ---- */

/* Everything that differs between Araba, Bizkaia and Gipuzkoa. The defaults are
 * static; a caller that takes options copies the struct and replaces fields (the
 * pointers are borrowed: they must outlive every use). docs/decisions.md lists the
 * defaults, their sources and why each may need overriding. */
struct hm_tbai_territory {
	const char *name;          /* "araba", "bizkaia", "gipuzkoa" */
	const char *policy_id;     /* xades:SigPolicyId/Identifier (URL) */
	const char *policy_digest; /* SHA-256 of the policy document, base64 */
	const char *qr_url;        /* production checking page (QR base) */
	const char *qr_test_url;   /* the test environment's */
	const char *invoice_url;   /* submission of invoices, production */
	const char *invoice_test_url;
	const char *cancel_url; /* submission of cancellations, production */
	const char *cancel_test_url;
};

/* The documented defaults of a territory (name as above, case-sensitive), or NULL. */
const struct hm_tbai_territory *hm_tbai_territory_defaults(const char *name);

/* ---- The invoice file (src/tbai/xml.c) ---- */

/* Every string below is UTF-8 and borrowed for the duration of the call; NULL or ""
 * means absent where a field is optional. Amounts are integer cents, written with
 * two decimals ("-12.50"); rectifying invoices carry negative amounts. */
struct hm_tbai_party {
	const char *nif;      /* 9 characters, the Spanish tax id */
	const char *name;     /* ApellidosNombreRazonSocial, max 120 characters */
	const char *postcode; /* optional, max 20 */
	const char *address;  /* optional, max 250 */
};

struct hm_tbai_invoice_ref { /* an earlier invoice: series, number, issue date */
	const char *series;  /* optional, max 20 */
	const char *number;  /* max 20, not blank */
	const char *date;    /* DD-MM-YYYY */
};

struct hm_tbai_line {
	const char *description;  /* max 250, not blank */
	int64_t quantity;         /* units */
	int64_t unit_price_cents; /* ImporteUnitario: without VAT (the specification) */
	int64_t discount_cents;   /* Descuento, without VAT; written when not 0 */
	int64_t total_cents;      /* ImporteTotal: the line's amount, VAT included */
};

struct hm_tbai_software {          /* the TicketBAI register's licence of this program */
	const char *licence;       /* LicenciaTBAI, max 20 */
	const char *developer_nif; /* EntidadDesarrolladora/NIF */
	const char *name;          /* max 120 */
	const char *version;       /* max 20 */
};

#define HM_TBAI_MAX_LINES 1000
#define HM_TBAI_MAX_RECTIFIED 100

struct hm_tbai_invoice {
	struct hm_tbai_party issuer;           /* nif and name required */
	const struct hm_tbai_party *recipient; /* NULL: none (simplified invoices) */
	const char *series;                    /* optional, max 20 */
	const char *number;                    /* max 20, not blank */
	const char *date;                      /* DD-MM-YYYY, local (hm_tbai_local_date_time) */
	const char *time;                      /* hh:mm:ss, local */
	bool simplified;                       /* FacturaSimplificada S */
	/* Rectifying: code "R1".."R5" (R5 for a simplified one), type I (differences). */
	const char *rectifying_code; /* NULL: not rectifying */
	const struct hm_tbai_invoice_ref *rectified;
	size_t n_rectified;      /* 1..HM_TBAI_MAX_RECTIFIED when rectifying */
	const char *description; /* DescripcionFactura, max 250, not blank */
	const struct hm_tbai_line *lines;
	size_t n_lines;      /* 1..HM_TBAI_MAX_LINES */
	int64_t total_cents; /* the sum of the lines' total_cents, or refused */
	/* VAT: exempt (CausaExencion, "E1" when NULL; base = total) or taxed (S1 with
	 * vat_percent, base_cents and vat_cents; base + VAT = total, or refused).
	 * Clave 01, general regime. */
	bool vat_exempt;
	const char *exempt_cause;
	int vat_percent; /* 0..100 */
	int64_t base_cents;
	int64_t vat_cents;
	/* The invoice signed before this one, NULL for the first of the chain;
	 * signature_value: its ds:SignatureValue (whitespace skipped, first 100 kept). */
	const struct hm_tbai_invoice_ref *previous;
	const char *previous_signature;
	struct hm_tbai_software software;
};

/* The local issue date "DD-MM-YYYY" and time "hh:mm:ss" of the instant t in the
 * process's time zone (the business's: src/app.c sets TZ at start), into date[11]
 * and time_[9]. False when libc cannot represent t. (src/domain/tbai_id.c) */
bool hm_tbai_local_date_time(int64_t t, char date[11], char time_[9]);

/* The unsigned TicketBAI invoice (T:TicketBai, schema 1.2.2) of inv, as UTF-8 XML
 * text in *xml (malloc'd, the caller frees). False with *why (a static English
 * sentence naming the field) when a field breaks the schema; nothing is allocated
 * then. */
bool hm_tbai_build(const struct hm_tbai_invoice *inv, char **xml, const char **why);

/* The unsigned cancellation (T:AnulaTicketBai) of the invoice ref of issuer. */
bool hm_tbai_build_cancel(const struct hm_tbai_party *issuer, const struct hm_tbai_invoice_ref *ref,
			  const struct hm_tbai_software *software, char **xml, const char **why);

/* ---- The signature (src/tbai/sign.c) ---- */

/* A certificate and its private key, loaded once. A signer is used by one thread at a
 * time (the signing thread owns it); different signers may sign concurrently. */
struct hm_tbai_signer;

/* Loads the PKCS#12 file at path with password (never logged, never kept). NULL with
 * *why on failure (missing file, wrong password, no private key or certificate). */
struct hm_tbai_signer *hm_tbai_signer_open(const char *path, const char *password,
					   const char **why);
void hm_tbai_signer_close(struct hm_tbai_signer *signer);

/* Gives back what xmlsec1 and libxml2 keep for the whole process; call once at
 * exit, after every signer is closed and no thread uses TicketBAI any more. */
void hm_tbai_shutdown(void);

/* The certificate's subject (RFC 2253), for logs and pages; borrowed from signer. */
const char *hm_tbai_signer_subject(const struct hm_tbai_signer *signer);

/* Signs the document xml (from hm_tbai_build or hm_tbai_build_cancel) with an
 * enveloped XAdES-EPES signature: rsa-sha256, SHA-512 digests, inclusive C14N 1.0,
 * SigningTime = signing_time (UTC), the signer's certificate, and territory's
 * policy identifier and digest. On success *signed_xml (the whole document) and
 * *signature_value (base64, whitespace stripped) are malloc'd for the caller. */
bool hm_tbai_sign(struct hm_tbai_signer *signer, const struct hm_tbai_territory *territory,
		  const char *xml, time_t signing_time, char **signed_xml, char **signature_value,
		  const char **why);

/* ---- A test certificate (src/tbai/testcert.c) ---- */

/* Writes a fresh RSA-2048 self-signed certificate, valid for days days, whose
 * subject says it is a TEST certificate not valid for TicketBAI, as a PKCS#12 file
 * at p12_path protected by password (files created mode 0600), and when pem_path is
 * not NULL the certificate alone as PEM there. False with *why on failure. */
bool hm_tbai_testcert_write(const char *p12_path, const char *password, const char *pem_path,
			    int days, const char **why);

/* The common name every test certificate carries. */
#define HM_TBAI_TEST_CERT_CN "Harreman TEST certificate - not valid for TicketBAI"

/* ---- Sending (src/tbai/p12.c, src/tbai/response.c) ---- */

/* The certificate and private key of the PKCS#12 file at path as PEM texts for a
 * TLS client (*cert_pem, *key_pem: malloc'd; free the key with hm_tbai_pem_free,
 * which wipes it). False with *why (nothing allocated). */
bool hm_tbai_p12_pem(const char *path, const char *password, char **cert_pem, char **key_pem,
		     const char **why);
void hm_tbai_pem_free(char *pem);

/* A treasury's answer body: estado[3] = TicketBaiResponse/Salida/Estado ("00"
 * accepted, "01" rejected) and *detail (malloc'd, or NULL when there is none) the
 * ResultadosValidacion as "Codigo: Descripcion; ...". False when no Estado is found. */
bool hm_tbai_parse_response(const char *body, size_t len, char estado[3], char **detail);

/* ---- The QR code (src/tbai/qr.c) ---- */

/* The QR code of text (error correction M, 8-bit bytes = UTF-8, 4-module quiet zone)
 * as a standalone SVG document, one path of unit squares, scaled by the page:
 * malloc'd, the caller frees; NULL when text is empty or too long for a QR code. */
char *hm_tbai_qr_svg(const char *text);

#endif
