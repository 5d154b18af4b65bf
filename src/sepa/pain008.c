// SPDX-License-Identifier: MIT
// The pain.008.001.02 writer (include/harreman/pain008.h) with libxml2's tree API:
// GrpHdr (NbOfTxs, CtrlSum over every transaction, the creditor identifier as the
// presenter's id), then one PmtInf per sequence type with its own counts and sums,
// SEPA/CORE, the creditor's account and identifier, and each DrctDbtTxInf with its
// mandate, the debtor's IBAN and "NOTPROVIDED" for the agents (IBAN only). Checked
// against tests/sepa/pain.008.001.02.xsd by tests/unit/test_pain008.c.
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "harreman/hours.h"
#include "harreman/pain008.h"
#include "harreman/sepa.h"
#include "harreman/banned.h"

#define NS "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
#define AMOUNT_MAX 99999999999LL /* 999 999 999.99 euros */

static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void libxml_init(void)
{
	xmlInitParser();
}

static bool id_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n < 1 || n > 35 || s[0] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* A real date YYYY-MM-DD (the schema's ISODate refuses month 13 or 30 February). */
static bool date_ok(const char *s)
{
	int64_t day;
	return s && hm_date_parse(s, &day);
}

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool datetime_ok(const char *s)
{
	char date[11];
	if (!s || strlen(s) != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	int h = two_digits(s + 11), m = two_digits(s + 14), sec = two_digits(s + 17);
	return date_ok(date) && h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59;
}

static bool iban_ok(const char *s)
{
	char out[HM_IBAN_MAX + 1];
	return s && hm_iban_valid(s, strlen(s), out) && strcmp(out, s) == 0;
}

static bool name_ok(const char *s)
{
	char out[71];
	if (!s)
		return false;
	hm_sepa_text(s, out, sizeof out, 70);
	return strspn(out, " ") < strlen(out); /* something besides spaces */
}

static bool valid(const struct hm_pain008_doc *d)
{
	if (!id_ok(d->msg_id) || !datetime_ok(d->created_at) || !date_ok(d->collection_date) ||
	    !name_ok(d->creditor_name) || !iban_ok(d->creditor_iban) || !d->creditor_id ||
	    !hm_creditor_id_valid(d->creditor_id, strlen(d->creditor_id), NULL) ||
	    strlen(d->creditor_id) > 35 || d->n_txs == 0 || !d->txs || d->n_txs > 100000)
		return false;
	for (size_t i = 0; i < d->n_txs; i++) {
		const struct hm_pain008_tx *t = &d->txs[i];
		if (!id_ok(t->end_to_end_id) || !id_ok(t->mandate_id) || !date_ok(t->signed_on) ||
		    !name_ok(t->debtor_name) || !iban_ok(t->debtor_iban) || !t->sequence ||
		    (strcmp(t->sequence, "FRST") != 0 && strcmp(t->sequence, "RCUR") != 0) ||
		    t->amount_cents < 1 || t->amount_cents > AMOUNT_MAX)
			return false;
	}
	return true;
}

static void amount_text(int64_t cents, char out[32])
{
	snprintf(out, 32, "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
}

static xmlNodePtr add(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, (const xmlChar *)name,
			       text ? (const xmlChar *)text : NULL);
}

/* parent/name/.../Othr/Id = id, the path given as a NULL-ended list. */
static xmlNodePtr add_path(xmlNodePtr parent, const char *const *names, const char *text)
{
	xmlNodePtr node = parent;
	for (size_t i = 0; names[i]; i++)
		node = add(node, names[i], names[i + 1] ? NULL : text);
	return node;
}

static void add_sepa_text(xmlNodePtr parent, const char *name, const char *utf8, size_t max)
{
	char out[141];
	hm_sepa_text(utf8, out, sizeof out, max);
	add(parent, name, out);
}

static void add_tx(xmlNodePtr pmt, const struct hm_pain008_tx *t)
{
	char amount[32];
	xmlNodePtr tx = add(pmt, "DrctDbtTxInf", NULL);
	add(add(tx, "PmtId", NULL), "EndToEndId", t->end_to_end_id);
	amount_text(t->amount_cents, amount);
	xmlNewProp(add(tx, "InstdAmt", amount), (const xmlChar *)"Ccy", (const xmlChar *)"EUR");
	xmlNodePtr mandate = add(add(tx, "DrctDbtTx", NULL), "MndtRltdInf", NULL);
	add(mandate, "MndtId", t->mandate_id);
	add(mandate, "DtOfSgntr", t->signed_on);
	add_path(tx, (const char *const[]){"DbtrAgt", "FinInstnId", "Othr", "Id", NULL},
		 "NOTPROVIDED");
	add_sepa_text(add(tx, "Dbtr", NULL), "Nm", t->debtor_name, 70);
	add_path(tx, (const char *const[]){"DbtrAcct", "Id", "IBAN", NULL}, t->debtor_iban);
	if (t->remittance && t->remittance[0])
		add_sepa_text(add(tx, "RmtInf", NULL), "Ustrd", t->remittance, 140);
}

static void add_payment_info(xmlNodePtr root, const struct hm_pain008_doc *d, const char *seq)
{
	char count[24], amount[32], id[64];
	size_t n = 0;
	int64_t sum = 0;
	for (size_t i = 0; i < d->n_txs; i++)
		if (strcmp(d->txs[i].sequence, seq) == 0) {
			n++;
			sum += d->txs[i].amount_cents;
		}
	if (n == 0)
		return;
	xmlNodePtr pmt = add(root, "PmtInf", NULL);
	/* msg_id is at most 35: keep the PmtInfId within 35 with the 5-character suffix. */
	snprintf(id, sizeof id, "%.30s-%s", d->msg_id, seq);
	add(pmt, "PmtInfId", id);
	add(pmt, "PmtMtd", "DD");
	add(pmt, "BtchBookg", "true");
	snprintf(count, sizeof count, "%zu", n);
	add(pmt, "NbOfTxs", count);
	amount_text(sum, amount);
	add(pmt, "CtrlSum", amount);
	xmlNodePtr type = add(pmt, "PmtTpInf", NULL);
	add(add(type, "SvcLvl", NULL), "Cd", "SEPA");
	add(add(type, "LclInstrm", NULL), "Cd", "CORE");
	add(type, "SeqTp", seq);
	add(pmt, "ReqdColltnDt", d->collection_date);
	add_sepa_text(add(pmt, "Cdtr", NULL), "Nm", d->creditor_name, 70);
	add_path(pmt, (const char *const[]){"CdtrAcct", "Id", "IBAN", NULL}, d->creditor_iban);
	add_path(pmt, (const char *const[]){"CdtrAgt", "FinInstnId", "Othr", "Id", NULL},
		 "NOTPROVIDED");
	add(pmt, "ChrgBr", "SLEV");
	xmlNodePtr othr = add_path(
		pmt, (const char *const[]){"CdtrSchmeId", "Id", "PrvtId", "Othr", NULL}, NULL);
	add(othr, "Id", d->creditor_id);
	add(add(othr, "SchmeNm", NULL), "Prtry", "SEPA");
	for (size_t i = 0; i < d->n_txs; i++)
		if (strcmp(d->txs[i].sequence, seq) == 0)
			add_tx(pmt, &d->txs[i]);
}

bool hm_pain008_write(const struct hm_pain008_doc *d, char **xml, size_t *len)
{
	char count[24], amount[32];
	int64_t sum = 0;
	if (!d || !xml || !len || !valid(d))
		return false;
	pthread_once(&libxml_once, libxml_init);
	xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
	if (!doc)
		return false;
	xmlNodePtr document = xmlNewNode(NULL, (const xmlChar *)"Document");
	xmlDocSetRootElement(doc, document);
	xmlSetNs(document, xmlNewNs(document, (const xmlChar *)NS, NULL));
	xmlNodePtr root = add(document, "CstmrDrctDbtInitn", NULL);
	xmlNodePtr head = add(root, "GrpHdr", NULL);
	add(head, "MsgId", d->msg_id);
	add(head, "CreDtTm", d->created_at);
	snprintf(count, sizeof count, "%zu", d->n_txs);
	add(head, "NbOfTxs", count);
	for (size_t i = 0; i < d->n_txs; i++)
		sum += d->txs[i].amount_cents;
	amount_text(sum, amount);
	add(head, "CtrlSum", amount);
	xmlNodePtr party = add(head, "InitgPty", NULL);
	add_sepa_text(party, "Nm", d->creditor_name, 70);
	add_path(party, (const char *const[]){"Id", "OrgId", "Othr", "Id", NULL}, d->creditor_id);
	add_payment_info(root, d, "FRST");
	add_payment_info(root, d, "RCUR");
	xmlChar *mem = NULL;
	int size = 0;
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!mem || size <= 0) {
		xmlFree(mem);
		return false;
	}
	*xml = malloc((size_t)size + 1);
	if (*xml) {
		memcpy(*xml, mem, (size_t)size);
		(*xml)[size] = '\0';
		*len = (size_t)size;
	}
	xmlFree(mem);
	return *xml != NULL;
}
