// SPDX-License-Identifier: MIT
// Payment rules (src/domain/sepa.c): IBANs from ISO 13616 and the SEPA pack (good,
// one digit changed, wrong length, bad Spanish national digits), masking, the
// creditor identifier of the pack's worked example, Easter and the TARGET2 calendar
// over several years, the two-business-days rule, FRST/RCUR, allocation, text in
// the SEPA character set.
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "harreman/sepa.h"

static bool iban_ok(const char *s)
{
	return hm_iban_valid(s, strlen(s), NULL);
}

static void test_iban(void)
{
	char out[HM_IBAN_MAX + 1];
	CHECK(hm_iban_valid("es91 2100 0418 4502 0005 1332", 29, out));
	CHECK_STR(out, "ES9121000418450200051332");
	CHECK(iban_ok("ES7712341234161234567890")); /* python-stdnum's doctest */
	CHECK(iban_ok("GB82WEST12345698765432"));   /* ISO 13616 / ECBS example */
	CHECK(iban_ok("DE89370400440532013000"));
	CHECK(iban_ok("FR1420041010050500013M02606"));
	CHECK(iban_ok("BE68539007547034"));
	CHECK(!iban_ok("ES9121000418450200051333")); /* a changed digit */
	CHECK(!iban_ok("ES9221000418450200051332")); /* changed check digits */
	CHECK(!iban_ok("GB82WEST12345698765431"));
	CHECK(!iban_ok("ES912100041845020005133"));  /* too short for ES */
	CHECK(!iban_ok("XX9121000418450200051332")); /* unknown country */
	CHECK(!iban_ok("ES91-2100-0418-4502-0005-1332"));
	CHECK(!iban_ok(""));
	CHECK(!hm_iban_valid(NULL, 0, NULL));
	/* mod 97 right but the Spanish national digits wrong: ES + CCC with DD 00
	 * (computed: 2100 0418 00 0200051332 → check digits 68). */
	CHECK(!iban_ok("ES6821000418000200051332"));
}

static void test_mask(void)
{
	char m[HM_IBAN_MASKED_MAX + 1];
	hm_iban_mask("ES9121000418450200051332", m);
	CHECK_STR(m, "ES91 **** **** **** **** 1332");
	hm_iban_mask("BE68539007547034", m);
	CHECK_STR(m, "BE68 **** **** 7034");
	hm_iban_mask("FR1420041010050500013M02606", m);
	CHECK_STR(m, "FR14 **** **** **** **** ***2 606");
	CHECK(strstr(m, "0500013") == NULL);
}

static void test_creditor_id(void)
{
	char id[HM_CREDITOR_ID_MAX + 1];
	CHECK(hm_creditor_id_make("47690558N", "ZZZ", id));
	CHECK_STR(id, "ES23ZZZ47690558N");
	CHECK(hm_creditor_id_make("47690558-n", "000", id));
	CHECK_STR(id, "ES2300047690558N");
	CHECK(hm_creditor_id_valid("ES23ZZZ47690558N", 16, id));
	CHECK(hm_creditor_id_valid("es23 000 47690558n", 18, id));
	CHECK_STR(id, "ES2300047690558N");
	CHECK(!hm_creditor_id_valid("ES24ZZZ47690558N", 16, NULL));
	CHECK(!hm_creditor_id_valid("ES23ZZZ47690559N", 16, NULL));
	CHECK(!hm_creditor_id_valid("ES23ZZZ", 7, NULL));
	CHECK(!hm_creditor_id_make("4769$0558N", "000", id));
	CHECK(!hm_creditor_id_make("47690558N", "00", id));
}

static void test_easter(void)
{
	static const int known[][3] = {{2016, 3, 27}, {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20},
				       {2026, 4, 5},  {2027, 3, 28}, {2038, 4, 25}, {2000, 4, 23}};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		int m, d;
		hm_easter(known[i][0], &m, &d);
		CHECK_INT(m, known[i][1]);
		CHECK_INT(d, known[i][2]);
	}
}

static void test_target2(void)
{
	CHECK(!hm_target2_open(2026, 4, 3)); /* Good Friday 2026 */
	CHECK(!hm_target2_open(2026, 4, 6)); /* Easter Monday 2026 */
	CHECK(hm_target2_open(2026, 4, 7));
	CHECK(!hm_target2_open(2025, 4, 18)); /* Good Friday 2025 */
	CHECK(!hm_target2_open(2025, 4, 21));
	CHECK(!hm_target2_open(2027, 3, 26)); /* Good Friday 2027 */
	CHECK(!hm_target2_open(2027, 3, 29));
	CHECK(!hm_target2_open(2026, 1, 1));
	CHECK(!hm_target2_open(2026, 5, 1));
	CHECK(!hm_target2_open(2026, 12, 25));
	CHECK(!hm_target2_open(2026, 12, 26)); /* a Saturday anyway */
	CHECK(!hm_target2_open(2025, 12, 26)); /* a Friday */
	CHECK(!hm_target2_open(2026, 12, 12)); /* Saturday */
	CHECK(!hm_target2_open(2026, 12, 13)); /* Sunday */
	CHECK(hm_target2_open(2026, 12, 14));
	CHECK(hm_target2_open(2026, 1, 6)); /* Epiphany is not a TARGET2 holiday */
}

static void test_collection_date(void)
{
	/* Monday 7 Dec 2026: Wednesday 9 is two days ahead, Tuesday 8 one. */
	CHECK(hm_collection_date_ok("2026-12-07", "2026-12-09", 2));
	CHECK(!hm_collection_date_ok("2026-12-07", "2026-12-08", 2));
	CHECK(!hm_collection_date_ok("2026-12-07", "2026-12-07", 2));
	CHECK(!hm_collection_date_ok("2026-12-07", "2026-12-01", 2));
	/* Friday 11 Dec: Monday 14 is one, Tuesday 15 two. */
	CHECK(!hm_collection_date_ok("2026-12-11", "2026-12-14", 2));
	CHECK(hm_collection_date_ok("2026-12-11", "2026-12-15", 2));
	/* Thursday 24 Dec 2026: 25 holiday, weekend; Mon 28, Tue 29. */
	CHECK(!hm_collection_date_ok("2026-12-24", "2026-12-28", 2));
	CHECK(hm_collection_date_ok("2026-12-24", "2026-12-29", 2));
	/* Wednesday 1 April 2026: 2 Thu, 3 Good Friday, 6 Easter Monday, 7 Tue. */
	CHECK(hm_collection_date_ok("2026-04-01", "2026-04-07", 2));
	CHECK(!hm_collection_date_ok("2026-04-01", "2026-04-06", 2)); /* closed */
	CHECK(!hm_collection_date_ok("2026-12-07", "2026-12-12", 2)); /* Saturday */
	CHECK(!hm_collection_date_ok("2026-12-07", "2026-02-30", 2));
	CHECK(!hm_collection_date_ok("2026-12-07", "2026-12-9", 2));
	CHECK(hm_collection_date_ok("2028-02-25", "2028-02-29", 2)); /* leap day */
	CHECK(!hm_collection_date_ok("2027-02-24", "2027-02-29", 2));
}

static void test_sequence(void)
{
	CHECK(hm_sepa_reason_known("AM04"));
	CHECK(hm_sepa_reason_known("MS02"));
	CHECK(!hm_sepa_reason_known("am04"));
	CHECK(!hm_sepa_reason_known("XX99"));
	CHECK(!hm_sepa_reason_known(NULL));
	CHECK_STR(hm_sepa_sequence(false), "FRST");
	CHECK_STR(hm_sepa_sequence(true), "RCUR");
}

static void test_allocate(void)
{
	int64_t due[] = {3000, 5000, 2000}, got[3] = {-1, -1, -1};
	CHECK(hm_payment_allocate(due, 3, 6000, got));
	CHECK_INT(got[0], 3000);
	CHECK_INT(got[1], 3000);
	CHECK_INT(got[2], 0);
	CHECK(hm_payment_allocate(due, 3, 10000, got));
	CHECK_INT(got[2], 2000);
	CHECK(hm_payment_allocate(due, 3, 1, got));
	CHECK_INT(got[0], 1);
	CHECK_INT(got[1], 0);
	got[0] = -7;
	CHECK(!hm_payment_allocate(due, 3, 10001, got));
	CHECK_INT(got[0], -7);
	CHECK(!hm_payment_allocate(due, 3, 0, got));
	CHECK(!hm_payment_allocate(due, 3, -5, got));
	CHECK(!hm_payment_allocate(due, 0, 5, got));
}

static void test_text(void)
{
	char out[71];
	hm_sepa_text("Iñaki Muñoz Çelik & Ángela", out, sizeof out, 70);
	CHECK_STR(out, "Inaki Munoz Celik   Angela");
	hm_sepa_text("Aitor €5 <b>", out, sizeof out, 70);
	CHECK_STR(out, "Aitor  5  b ");
	hm_sepa_text("abcdef", out, sizeof out, 3);
	CHECK_STR(out, "abc");
}

int main(void)
{
	RUN(test_iban);
	RUN(test_mask);
	RUN(test_creditor_id);
	RUN(test_easter);
	RUN(test_target2);
	RUN(test_collection_date);
	RUN(test_sequence);
	RUN(test_allocate);
	RUN(test_text);
	return CHECK_EXIT();
}
