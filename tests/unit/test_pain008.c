// SPDX-License-Identifier: MIT
// The pain.008.001.02 writer (src/sepa/pain008.c): a file with FRST and RCUR
// collections is valid against the official schema (xmllint --nonet) and read back
// by an independent parser (tests/sepa/check_pain008.py, python3's xml.etree) with
// its counts, sums, IBANs and amounts; names come out in the SEPA character set;
// a broken field (bad IBAN, bad creditor id, no transactions, long id, zero amount)
// gives no file; a tampered file fails the schema (the checker can fail).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harreman/pain008.h"

static char dir[64];

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

static int schema_check(const char *file)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "xmllint --nonet --noout --schema '%s/pain.008.001.02.xsd' '%s'",
		 HM_SEPA_DIR, file);
	return run(cmd);
}

/* What check_pain008.py prints for file (caller frees), NULL when it fails. */
static char *read_back(const char *file)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "python3 '%s/check_pain008.py' '%s'", HM_SEPA_DIR, file);
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	char *out = calloc(1, 8192);
	size_t n = out ? fread(out, 1, 8191, p) : 0;
	int rc = pclose(p);
	if (!out || rc != 0) {
		if (out)
			fprintf(stderr, "check_pain008.py: %.*s\n", (int)n, out);
		free(out);
		return NULL;
	}
	return out;
}

static const struct hm_pain008_tx txs[] = {
	{"HRM-7-101", "HRM-3-1", "2026-01-15", "Iñaki Muñoz & Çelik", "ES9121000418450200051332",
	 "Faktura F-101 <urria>", "FRST", 3000},
	{"HRM-7-102", "HRM-3-1", "2026-01-15", "Iñaki Muñoz & Çelik", "ES9121000418450200051332",
	 NULL, "FRST", 12345},
	{"HRM-7-103", "HRM-4-2", "2025-09-01", "Bea Goñi", "ES7712341234161234567890",
	 "Faktura F-103", "RCUR", 5},
};

static struct hm_pain008_doc good_doc(void)
{
	return (struct hm_pain008_doc){
		.msg_id = "HRM-DD-7-20261207223000",
		.created_at = "2026-12-07T22:30:00",
		.collection_date = "2026-12-10",
		.creditor_name = "Akademia Ñabarra S.L.",
		.creditor_iban = "GB82WEST12345698765432",
		.creditor_id = "ES23ZZZ47690558N",
		.txs = txs,
		.n_txs = 3,
	};
}

static void test_valid_file(void)
{
	struct hm_pain008_doc d = good_doc();
	char *xml = NULL, path[128];
	size_t len = 0;
	CHECK(hm_pain008_write(&d, &xml, &len));
	if (!xml)
		return;
	CHECK_INT(strlen(xml), len);
	snprintf(path, sizeof path, "%s/good.xml", dir);
	write_file(path, xml);
	CHECK_INT(schema_check(path), 0);
	/* SEPA characters only in names; the XML escaping of & is not needed then. */
	CHECK(strstr(xml, "Inaki Munoz   Celik") != NULL);
	CHECK(strstr(xml, "Akademia Nabarra S.L.") != NULL);
	CHECK(strstr(xml, "<NbOfTxs>3</NbOfTxs>") != NULL);
	CHECK(strstr(xml, "<CtrlSum>153.50</CtrlSum>") != NULL);
	CHECK(strstr(xml, "<CtrlSum>0.05</CtrlSum>") != NULL);
	CHECK(strstr(xml, "<SeqTp>FRST</SeqTp>") < strstr(xml, "<SeqTp>RCUR</SeqTp>"));
	char *lines = read_back(path);
	CHECK(lines != NULL);
	if (lines) {
		CHECK_STR(lines, "FRST ES9121000418450200051332 30.00 HRM-3-1\n"
				 "FRST ES9121000418450200051332 123.45 HRM-3-1\n"
				 "RCUR ES7712341234161234567890 0.05 HRM-4-2\n");
		free(lines);
	}
	/* Tampered: a sequence type the schema does not know. */
	char *bad = strstr(xml, "<SeqTp>RCUR");
	if (bad)
		memcpy(bad + 7, "XXXX", 4);
	snprintf(path, sizeof path, "%s/tampered.xml", dir);
	write_file(path, xml);
	CHECK(schema_check(path) != 0);
	free(xml);

	/* Only RCUR: one PmtInf. */
	d.txs = txs + 2;
	d.n_txs = 1;
	CHECK(hm_pain008_write(&d, &xml, &len));
	if (xml) {
		snprintf(path, sizeof path, "%s/rcur.xml", dir);
		write_file(path, xml);
		CHECK_INT(schema_check(path), 0);
		CHECK(strstr(xml, "FRST") == NULL);
		free(xml);
	}
}

static void test_refused(void)
{
	char *xml = NULL;
	size_t len = 0;
	struct hm_pain008_tx t[1] = {txs[0]};
	struct hm_pain008_doc d = good_doc();
	d.txs = t;
	d.n_txs = 1;
	CHECK(hm_pain008_write(&d, &xml, &len));
	free(xml);
	xml = NULL;
	t[0].debtor_iban = "ES9121000418450200051333";
	CHECK(!hm_pain008_write(&d, &xml, &len));
	t[0] = txs[0];
	t[0].amount_cents = 0;
	CHECK(!hm_pain008_write(&d, &xml, &len));
	t[0] = txs[0];
	t[0].sequence = "OOFF";
	CHECK(!hm_pain008_write(&d, &xml, &len));
	t[0] = txs[0];
	t[0].end_to_end_id = "123456789012345678901234567890123456";
	CHECK(!hm_pain008_write(&d, &xml, &len));
	t[0] = txs[0];
	t[0].debtor_name = "€€";
	CHECK(!hm_pain008_write(&d, &xml, &len));
	t[0] = txs[0];
	d.creditor_id = "ES24ZZZ47690558N";
	CHECK(!hm_pain008_write(&d, &xml, &len));
	d = good_doc();
	d.n_txs = 0;
	CHECK(!hm_pain008_write(&d, &xml, &len));
	d = good_doc();
	d.collection_date = "2026-12-1";
	CHECK(!hm_pain008_write(&d, &xml, &len));
	CHECK(xml == NULL);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/hm_pain008_XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	RUN(test_valid_file);
	RUN(test_refused);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	run(cmd);
	return CHECK_EXIT();
}
