// SPDX-License-Identifier: MIT
// The discount of a contract from its sources (src/domain/discounts.c): the larger of
// loyalty and partner, never both, a tie to loyalty; a referral reward on top; the
// whole capped at the highest tier, the cap cutting the base first and the reward
// with what is left; an inactive partner gives nothing.
#include "check.h"
#include "harreman/discounts.h"

#define PARTS(p, l, pa, r)                              \
	do {                                            \
		CHECK_INT((p).loyalty, l);              \
		CHECK_INT((p).partner, pa);             \
		CHECK_INT((p).referral, r);             \
		CHECK_INT((p).total, (l) + (pa) + (r)); \
	} while (0)

static void test_the_larger_of_loyalty_and_partner(void)
{
	PARTS(hm_discount_combine(5, 10, true, 0, 15), 0, 10, 0);
	PARTS(hm_discount_combine(10, 5, true, 0, 15), 10, 0, 0);
	PARTS(hm_discount_combine(0, 0, true, 0, 15), 0, 0, 0);
	PARTS(hm_discount_combine(0, 7, true, 0, 15), 0, 7, 0);
}

static void test_a_tie_is_loyalty(void)
{
	PARTS(hm_discount_combine(10, 10, true, 0, 15), 10, 0, 0);
	PARTS(hm_discount_combine(5, 5, true, 5, 15), 5, 0, 5);
}

static void test_an_inactive_partner_gives_nothing(void)
{
	PARTS(hm_discount_combine(0, 12, false, 0, 15), 0, 0, 0);
	PARTS(hm_discount_combine(5, 12, false, 5, 15), 5, 0, 5);
}

static void test_referral_on_top_within_the_cap(void)
{
	PARTS(hm_discount_combine(0, 0, false, 5, 15), 0, 0, 5);
	PARTS(hm_discount_combine(5, 0, false, 5, 15), 5, 0, 5);
	PARTS(hm_discount_combine(10, 0, false, 5, 15), 10, 0, 5);
	/* The cap absorbs what does not fit: the reward is cut, the base kept. */
	PARTS(hm_discount_combine(15, 0, false, 5, 15), 15, 0, 0);
	PARTS(hm_discount_combine(12, 0, false, 5, 15), 12, 0, 3);
	PARTS(hm_discount_combine(0, 12, true, 15, 15), 0, 12, 3);
}

static void test_the_cap_cuts_a_partner_above_it(void)
{
	PARTS(hm_discount_combine(5, 40, true, 5, 15), 0, 15, 0);
	PARTS(hm_discount_combine(5, 100, true, 0, 20), 0, 20, 0);
	/* Another tier list: another cap. */
	PARTS(hm_discount_combine(8, 0, false, 5, 10), 8, 0, 2);
	/* Without tiers there is no discount at all. */
	PARTS(hm_discount_combine(0, 20, true, 5, 0), 0, 0, 0);
}

static void test_out_of_range_inputs(void)
{
	PARTS(hm_discount_combine(-3, -1, true, -5, 15), 0, 0, 0);
	PARTS(hm_discount_combine(5, 0, true, 0, 150), 5, 0, 0);
	PARTS(hm_discount_combine(300, 0, true, 300, 100), 100, 0, 0);
}

int main(void)
{
	RUN(test_the_larger_of_loyalty_and_partner);
	RUN(test_a_tie_is_loyalty);
	RUN(test_an_inactive_partner_gives_nothing);
	RUN(test_referral_on_top_within_the_cap);
	RUN(test_the_cap_cuts_a_partner_above_it);
	RUN(test_out_of_range_inputs);
	return CHECK_EXIT();
}
