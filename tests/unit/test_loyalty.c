// SPDX-License-Identifier: MIT
// The loyalty discount: the business plan's tiers (3rd contract 5 %, 4th 10 %, 5th and
// later 15 %, the cap), the next tier a client is working towards, the rules an admin's
// tier list must follow, and contract prices in integer cents with the discount
// rounded half up.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harreman/loyalty.h"

static const struct hm_tier plan[] = {{3, 5}, {4, 10}, {5, 15}};
static const size_t n_plan = sizeof plan / sizeof plan[0];

/* round_half_up(cents × percent / 100), worked out independently of the code under
 * test: the quotient, plus one when the remainder is half the divisor or more. */
static int64_t expected_discount(int64_t cents, int percent)
{
	int64_t num = cents * percent;
	return num / 100 + (num % 100 >= 50 ? 1 : 0);
}

static void test_plan_tiers_give_the_right_percent(void)
{
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 1), 0);
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 2), 0);
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 3), 5);
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 4), 10);
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 5), 15);
	/* 15 % is the cap: later contracts never earn more. */
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 6), 15);
	CHECK_INT(hm_loyalty_percent(plan, n_plan, 100), 15);
	int above_cap = 0;
	for (int ordinal = 5; ordinal <= 1000; ordinal++)
		if (hm_loyalty_percent(plan, n_plan, ordinal) != 15)
			above_cap++;
	CHECK_INT(above_cap, 0);
}

static void test_next_tier_is_the_first_above(void)
{
	const struct hm_tier *next = hm_loyalty_next(plan, n_plan, 2);
	CHECK(next != NULL);
	if (next) {
		CHECK_INT(next->from_ordinal, 3);
		CHECK_INT(next->percent, 5);
	}
	next = hm_loyalty_next(plan, n_plan, 0);
	CHECK(next != NULL);
	if (next)
		CHECK_INT(next->from_ordinal, 3);
	next = hm_loyalty_next(plan, n_plan, 3);
	CHECK(next != NULL);
	if (next) {
		CHECK_INT(next->from_ordinal, 4);
		CHECK_INT(next->percent, 10);
	}
	next = hm_loyalty_next(plan, n_plan, 4);
	CHECK(next != NULL);
	if (next) {
		CHECK_INT(next->from_ordinal, 5);
		CHECK_INT(next->percent, 15);
	}
	/* At the cap there is nothing further to earn. */
	CHECK(hm_loyalty_next(plan, n_plan, 5) == NULL);
	CHECK(hm_loyalty_next(plan, n_plan, 6) == NULL);
	CHECK(hm_loyalty_next(plan, n_plan, 100) == NULL);
}

static void test_no_tiers_means_no_discount(void)
{
	CHECK_INT(hm_loyalty_percent(plan, 0, 1), 0);
	CHECK_INT(hm_loyalty_percent(plan, 0, 5), 0);
	CHECK_INT(hm_loyalty_percent(plan, 0, 100), 0);
	CHECK(hm_loyalty_next(plan, 0, 1) == NULL);
	CHECK(hm_loyalty_next(plan, 0, 100) == NULL);
}

static void test_plan_tiers_are_valid(void)
{
	size_t bad = 99;
	const char *why = NULL;
	CHECK(hm_loyalty_tiers_valid(plan, n_plan, &bad, &why));
	/* The boundaries an admin may use: ordinal 2, percents 1 and 100. */
	static const struct hm_tier edges[] = {{2, 1}, {10, 100}};
	CHECK(hm_loyalty_tiers_valid(edges, 2, &bad, &why));
	/* An empty list is valid: no discount at all. */
	CHECK(hm_loyalty_tiers_valid(plan, 0, &bad, &why));
}

/* Expects tiers to be refused at index want_bad, with a message saying why. */
static void expect_refused(const struct hm_tier *tiers, size_t n, size_t want_bad)
{
	size_t bad = 999;
	const char *why = NULL;
	CHECK(!hm_loyalty_tiers_valid(tiers, n, &bad, &why));
	CHECK_INT(bad, want_bad);
	CHECK(why != NULL && why[0] != '\0');
}

static void test_bad_tier_lists_are_refused(void)
{
	/* The first contract cannot earn a loyalty discount. */
	static const struct hm_tier first[] = {{1, 5}, {4, 10}};
	expect_refused(first, 2, 0);
	static const struct hm_tier zero[] = {{0, 5}};
	expect_refused(zero, 1, 0);
	/* Ordinals must rise strictly: equal, then decreasing. */
	static const struct hm_tier equal_ord[] = {{3, 5}, {3, 10}};
	expect_refused(equal_ord, 2, 1);
	static const struct hm_tier down_ord[] = {{3, 5}, {5, 10}, {4, 15}};
	expect_refused(down_ord, 3, 2);
	/* Percents must rise strictly too. */
	static const struct hm_tier equal_pct[] = {{3, 5}, {4, 5}};
	expect_refused(equal_pct, 2, 1);
	static const struct hm_tier down_pct[] = {{3, 5}, {4, 10}, {5, 8}};
	expect_refused(down_pct, 3, 2);
	/* Percents are 1..100. */
	static const struct hm_tier pct0[] = {{3, 0}};
	expect_refused(pct0, 1, 0);
	static const struct hm_tier pct101[] = {{3, 5}, {4, 101}};
	expect_refused(pct101, 2, 1);
	static const struct hm_tier negative[] = {{3, -5}};
	expect_refused(negative, 1, 0);
}

static void test_at_most_twenty_tiers(void)
{
	struct hm_tier many[HM_MAX_TIERS + 1];
	for (int i = 0; i < HM_MAX_TIERS + 1; i++)
		many[i] = (struct hm_tier){i + 2, i + 1};
	size_t bad = 999;
	const char *why = NULL;
	CHECK(hm_loyalty_tiers_valid(many, HM_MAX_TIERS, &bad, &why));
	CHECK(!hm_loyalty_tiers_valid(many, HM_MAX_TIERS + 1, &bad, &why));
	CHECK(why != NULL && why[0] != '\0');
	CHECK_INT(bad, HM_MAX_TIERS); /* the 21st tier is the one too many */
}

static void test_discount_rounds_half_up(void)
{
	CHECK_INT(hm_loyalty_discount(24000, 10), 2400);
	CHECK_INT(hm_loyalty_discount(999, 5), 50); /* 49.95 */
	CHECK_INT(hm_loyalty_discount(990, 5), 50); /* 49.5 */
	CHECK_INT(hm_loyalty_discount(989, 5), 49); /* 49.45 */
	CHECK_INT(hm_loyalty_discount(1, 15), 0);   /* 0.15 */
	CHECK_INT(hm_loyalty_discount(10, 15), 2);  /* 1.5 */
	CHECK_INT(hm_loyalty_discount(0, 15), 0);
	CHECK_INT(hm_loyalty_discount(12345, 0), 0);
	CHECK_INT(hm_loyalty_discount(12345, 100), 12345);
}

static void test_price_of_the_api_example(void)
{
	struct hm_price p;
	memset(&p, 0, sizeof p);
	CHECK(hm_loyalty_price(3000, 8, 10, &p));
	CHECK_INT(p.list_cents, 24000);
	CHECK_INT(p.percent, 10);
	CHECK_INT(p.discount_cents, 2400);
	CHECK_INT(p.price_cents, 21600);
	/* A one-off first class: no discount. */
	CHECK(hm_loyalty_price(3000, 1, 0, &p));
	CHECK_INT(p.list_cents, 3000);
	CHECK_INT(p.discount_cents, 0);
	CHECK_INT(p.price_cents, 3000);
}

static void test_price_adds_up_for_every_input(void)
{
	static const int64_t units[] = {0,   1,   9,    10,   33,   99,   101,  333,   989,
					990, 999, 1234, 2999, 3000, 4567, 9999, 12345, 99999};
	static const int sessions[] = {1, 2, 3, 7, 8, 10, 12, 52};
	int identity_failures = 0, rounding_failures = 0;
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
		for (size_t s = 0; s < sizeof sessions / sizeof sessions[0]; s++)
			for (int percent = 0; percent <= 100; percent++) {
				struct hm_price p;
				if (!hm_loyalty_price(units[u], sessions[s], percent, &p)) {
					identity_failures++;
					continue;
				}
				int64_t list = units[u] * sessions[s];
				if (p.list_cents != list || p.percent != percent ||
				    p.discount_cents + p.price_cents != p.list_cents ||
				    p.price_cents < 0)
					identity_failures++;
				if (p.discount_cents != expected_discount(list, percent))
					rounding_failures++;
			}
	CHECK_INT(identity_failures, 0);
	CHECK_INT(rounding_failures, 0);
}

static void test_price_refuses_out_of_range_inputs(void)
{
	struct hm_price p;
	CHECK(!hm_loyalty_price(-1, 1, 0, &p));
	CHECK(!hm_loyalty_price(3000, 0, 10, &p));
	CHECK(!hm_loyalty_price(3000, -8, 10, &p));
	CHECK(!hm_loyalty_price(3000, 8, 101, &p));
	CHECK(!hm_loyalty_price(3000, 8, -1, &p));
	/* The total, not the unit price, is what is capped. */
	CHECK(hm_loyalty_price(HM_MAX_PRICE_CENTS / 200, 200, 0, &p));
	CHECK_INT(p.list_cents, HM_MAX_PRICE_CENTS);
	CHECK(!hm_loyalty_price(HM_MAX_PRICE_CENTS / 200 + 1, 200, 0, &p));
	CHECK(!hm_loyalty_price(HM_MAX_PRICE_CENTS + 1, 1, 0, &p));
	CHECK(!hm_loyalty_price(HM_MAX_PRICE_CENTS, 2, 0, &p));
	/* Values that would overflow a naive multiplication are refused, not wrapped. */
	CHECK(!hm_loyalty_price(INT64_MAX, 1, 15, &p));
	CHECK(!hm_loyalty_price(INT64_MAX / 2 + 1, 2, 15, &p));
	CHECK(!hm_loyalty_price((int64_t)1 << 40, 1 << 30, 15, &p));
}

static void test_big_values_do_not_overflow(void)
{
	struct hm_price p;
	CHECK(hm_loyalty_price(HM_MAX_PRICE_CENTS, 1, 15, &p));
	CHECK_INT(p.list_cents, HM_MAX_PRICE_CENTS);
	CHECK_INT(p.discount_cents, HM_MAX_PRICE_CENTS / 100 * 15);
	CHECK_INT(p.price_cents, HM_MAX_PRICE_CENTS / 100 * 85);
	CHECK(hm_loyalty_price(HM_MAX_PRICE_CENTS - 1, 1, 15, &p));
	CHECK_INT(p.discount_cents, expected_discount(HM_MAX_PRICE_CENTS - 1, 15));
	CHECK_INT(p.discount_cents + p.price_cents, HM_MAX_PRICE_CENTS - 1);
	CHECK(hm_loyalty_price(1, 2147483647, 100, &p));
	CHECK_INT(p.list_cents, 2147483647);
	CHECK_INT(p.discount_cents, 2147483647);
	CHECK_INT(p.price_cents, 0);
	CHECK_INT(hm_loyalty_discount(HM_MAX_PRICE_CENTS, 100), HM_MAX_PRICE_CENTS);
	CHECK_INT(hm_loyalty_discount(HM_MAX_PRICE_CENTS - 1, 50),
		  expected_discount(HM_MAX_PRICE_CENTS - 1, 50));
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	RUN(test_plan_tiers_give_the_right_percent);
	RUN(test_next_tier_is_the_first_above);
	RUN(test_no_tiers_means_no_discount);
	RUN(test_plan_tiers_are_valid);
	RUN(test_bad_tier_lists_are_refused);
	RUN(test_at_most_twenty_tiers);
	RUN(test_discount_rounds_half_up);
	RUN(test_price_of_the_api_example);
	RUN(test_price_adds_up_for_every_input);
	RUN(test_price_refuses_out_of_range_inputs);
	RUN(test_big_values_do_not_overflow);
	return CHECK_EXIT();
}
