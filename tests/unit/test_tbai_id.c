// SPDX-License-Identifier: MIT
// TicketBAI identifiers and QR addresses against every worked example of the
// reference pack (../shared/ticketbai/README.md, "CRC-8"): the treasuries' official
// identifier (237) and QR address (007), invopop's (238, 174, 133 without a series)
// and the catalogue check value (244); then malformed input.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harreman/tbai.h"

static unsigned crc_of(const char *text)
{
	return hm_tbai_crc8(text, strlen(text));
}

static void test_crc8_worked_examples(void)
{
	CHECK_INT(crc_of("123456789"), 244);
	CHECK_INT(crc_of("TBAI-00000006Y-251019-btFpwP8dcLGAF-"), 237);
	CHECK_INT(crc_of("https://batuz.eus/QRTBAI/?id=TBAI-00000006Y-251019-btFpwP8dcLGAF-237&s=T"
			 "&nf=27174&i=4.70"),
		  7);
	CHECK_INT(crc_of("TBAI-S7836107H-020222-f5Rn+qgOvh9Kr-"), 238);
	CHECK_INT(crc_of("https://batuz.eus/QRTBAI/?id=TBAI-S7836107H-020222-f5Rn%2BqgOvh9Kr-238"
			 "&s=TEST&nf=001&i=1089.00"),
		  174);
	CHECK_INT(crc_of("https://batuz.eus/QRTBAI/?id=TBAI-S7836107H-020222-f5Rn%2BqgOvh9Kr-238"
			 "&nf=001&i=1089.00"),
		  133);
	CHECK_INT(hm_tbai_crc8("", 0), 0);
}

static void test_identifiers(void)
{
	char id[HM_TBAI_ID_LEN + 1];
	/* The official example: signature "btFpwP8dcLGAF..." issued 25-10-2019. */
	CHECK(hm_tbai_identifier("00000006Y", "25-10-2019", "btFpwP8dcLGAFxyzMoreBase64==", id));
	CHECK_STR(id, "TBAI-00000006Y-251019-btFpwP8dcLGAF-237");
	CHECK_INT(strlen(id), HM_TBAI_ID_LEN);
	/* invopop's, with the "+" kept; whitespace (xmlsec1 wraps base64) skipped. */
	CHECK(hm_tbai_identifier("S7836107H", "02-02-2022", " f5Rn+qg\nOvh9\r\nKr/ABC", id));
	CHECK_STR(id, "TBAI-S7836107H-020222-f5Rn+qgOvh9Kr-238");
}

static void test_bad_identifier_input(void)
{
	char id[HM_TBAI_ID_LEN + 1];
	const char *sig = "btFpwP8dcLGAFxyz";
	CHECK(!hm_tbai_identifier("0000006Y", "25-10-2019", sig, id)); /* 8 characters */
	CHECK_STR(id, "");
	CHECK(!hm_tbai_identifier("00000006YY", "25-10-2019", sig, id)); /* 10 */
	CHECK(!hm_tbai_identifier("0000-006Y", "25-10-2019", sig, id));  /* not alphanumeric */
	CHECK(!hm_tbai_identifier(NULL, "25-10-2019", sig, id));
	CHECK(!hm_tbai_identifier("00000006Y", "2019-10-25", sig, id)); /* ISO order */
	CHECK(!hm_tbai_identifier("00000006Y", "25/10/2019", sig, id));
	CHECK(!hm_tbai_identifier("00000006Y", "32-10-2019", sig, id));
	CHECK(!hm_tbai_identifier("00000006Y", "25-13-2019", sig, id));
	CHECK(!hm_tbai_identifier("00000006Y", "25-10-19", sig, id));
	CHECK(!hm_tbai_identifier("00000006Y", NULL, sig, id));
	CHECK(!hm_tbai_identifier("00000006Y", "25-10-2019", "btFpwP8dcLGA", id)); /* 12 */
	CHECK(!hm_tbai_identifier("00000006Y", "25-10-2019", "btFpw P8dc LGA ", id));
	CHECK(!hm_tbai_identifier("00000006Y", "25-10-2019", "btFpwP8dc&LGAF", id));
	CHECK(!hm_tbai_identifier("00000006Y", "25-10-2019", NULL, id));
	CHECK_STR(id, "");
}

static void test_qr_urls(void)
{
	char *url = hm_tbai_qr_url("https://batuz.eus/QRTBAI/",
				   "TBAI-00000006Y-251019-btFpwP8dcLGAF-237", "T", "27174", "4.70");
	CHECK_STR(url, "https://batuz.eus/QRTBAI/?id=TBAI-00000006Y-251019-btFpwP8dcLGAF-237&s=T"
		       "&nf=27174&i=4.70&cr=007");
	free(url);
	url = hm_tbai_qr_url("https://batuz.eus/QRTBAI/", "TBAI-S7836107H-020222-f5Rn+qgOvh9Kr-238",
			     "TEST", "001", "1089.00");
	CHECK_STR(url, "https://batuz.eus/QRTBAI/?id=TBAI-S7836107H-020222-f5Rn%2BqgOvh9Kr-238"
		       "&s=TEST&nf=001&i=1089.00&cr=174");
	free(url);
	url = hm_tbai_qr_url("https://batuz.eus/QRTBAI/", "TBAI-S7836107H-020222-f5Rn+qgOvh9Kr-238",
			     NULL, "001", "1089.00");
	CHECK_STR(url, "https://batuz.eus/QRTBAI/?id=TBAI-S7836107H-020222-f5Rn%2BqgOvh9Kr-238"
		       "&nf=001&i=1089.00&cr=133");
	free(url);
	/* An empty series is no series; "/", " " and non-ASCII bytes are encoded; the CRC
	 * covers the encoded text. */
	url = hm_tbai_qr_url("https://tbai.egoitza.gipuzkoa.eus/qr/",
			     "TBAI-B12345674-150926-a/b=", "", "K 2/ñ", "-12.00");
	const char *expect =
		"https://tbai.egoitza.gipuzkoa.eus/qr/?id=TBAI-B12345674-150926-a%2Fb%3D"
		"&nf=K%202%2F%C3%B1&i=-12.00";
	char want[256];
	snprintf(want, sizeof want, "%s&cr=%03u", expect, (unsigned)crc_of(expect));
	CHECK_STR(url, want);
	free(url);
}

static void test_bad_qr_input(void)
{
	const char *id = "TBAI-00000006Y-251019-btFpwP8dcLGAF-237";
	CHECK(hm_tbai_qr_url(NULL, id, "T", "1", "4.70") == NULL);
	CHECK(hm_tbai_qr_url("", id, "T", "1", "4.70") == NULL);
	CHECK(hm_tbai_qr_url("https://x/ y", id, "T", "1", "4.70") == NULL);
	CHECK(hm_tbai_qr_url("https://x/", NULL, "T", "1", "4.70") == NULL);
	CHECK(hm_tbai_qr_url("https://x/", "", "T", "1", "4.70") == NULL);
	CHECK(hm_tbai_qr_url("https://x/", id, "T", NULL, "4.70") == NULL);
	CHECK(hm_tbai_qr_url("https://x/", id, "T", "1", "") == NULL);
	char big[100];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(hm_tbai_qr_url("https://x/", id, big, "1", "4.70") == NULL);
	CHECK(hm_tbai_qr_url("https://x/", id, "T", big, "4.70") == NULL);
}

static void test_local_date_time(void)
{
	char date[11], time_[9];
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	/* 2026-09-15T08:30:05Z is 10:30:05 in Madrid (summer time). */
	CHECK(hm_tbai_local_date_time(1789461005, date, time_));
	CHECK_STR(date, "15-09-2026");
	CHECK_STR(time_, "10:30:05");
	/* 2026-12-31T23:30:00Z is already 1 January in Madrid. */
	CHECK(hm_tbai_local_date_time(1798759800, date, time_));
	CHECK_STR(date, "01-01-2027");
	CHECK_STR(time_, "00:30:00");
}

int main(void)
{
	RUN(test_crc8_worked_examples);
	RUN(test_identifiers);
	RUN(test_bad_identifier_input);
	RUN(test_qr_urls);
	RUN(test_bad_qr_input);
	RUN(test_local_date_time);
	return CHECK_EXIT();
}
