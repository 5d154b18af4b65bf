/* SPDX-License-Identifier: MIT */
/* The ISO 20022 pain.008.001.02 direct-debit file (src/sepa/pain008.c, libxml2):
 * a plain input struct in, the XML text out; one PmtInf per sequence type (FRST,
 * then RCUR), names and texts put into the SEPA character set. Every field is
 * checked first, so a file comes out valid against the schema or not at all. */
#ifndef HARREMAN_PAIN008_H
#define HARREMAN_PAIN008_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One collection (borrowed texts). sequence: "FRST" or "RCUR". */
struct hm_pain008_tx {
	const char *end_to_end_id; /* 1..35 characters */
	const char *mandate_id;    /* 1..35 */
	const char *signed_on;     /* YYYY-MM-DD */
	const char *debtor_name;   /* UTF-8; transliterated, cut to 70 */
	const char *debtor_iban;   /* compact, valid */
	const char *remittance;    /* UTF-8, may be NULL; cut to 140 */
	const char *sequence;
	int64_t amount_cents; /* 1 .. 99999999999 */
};

/* The file (borrowed texts). */
struct hm_pain008_doc {
	const char *msg_id;          /* 1..35 */
	const char *created_at;      /* YYYY-MM-DDThh:mm:ss */
	const char *collection_date; /* YYYY-MM-DD */
	const char *creditor_name;   /* UTF-8; transliterated, cut to 70 */
	const char *creditor_iban;   /* compact, valid */
	const char *creditor_id;     /* a valid creditor identifier */
	const struct hm_pain008_tx *txs;
	size_t n_txs; /* >= 1 */
};

/* Writes doc as pain.008.001.02: *xml (caller frees with free()) and *len. False
 * (nothing allocated) when a field breaks its rule or out of memory. */
bool hm_pain008_write(const struct hm_pain008_doc *doc, char **xml, size_t *len);

#endif
