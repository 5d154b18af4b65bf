/* SPDX-License-Identifier: MIT */
/* The progressive loyalty discount, as pure functions: which percent a contract's
 * ordinal earns from a tier list, whether a tier list is valid, and the price of a
 * contract in integer cents with the discount rounded half up. No I/O. */
#ifndef HARREMAN_LOYALTY_H
#define HARREMAN_LOYALTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/limits.h"

struct hm_tier {
	int from_ordinal; /* the tier applies to this contract ordinal and later ones */
	int percent;
};

/* The percent earned by a contract with this ordinal: the percent of the last tier
 * whose from_ordinal <= ordinal, 0 when none. tiers are sorted by from_ordinal. */
int hm_loyalty_percent(const struct hm_tier *tiers, size_t n, int ordinal);

/* The first tier above ordinal (from_ordinal > ordinal), or NULL at the cap. */
const struct hm_tier *hm_loyalty_next(const struct hm_tier *tiers, size_t n, int ordinal);

/* Checks a tier list as PUT /discount-tiers requires: at most HM_MAX_TIERS,
 * from_ordinal >= 2 and strictly rising, percent 1..100 and strictly rising.
 * On failure *bad is the index of the first bad tier and *why says what. */
bool hm_loyalty_tiers_valid(const struct hm_tier *tiers, size_t n, size_t *bad, const char **why);

/* round_half_up(cents * percent / 100) for cents >= 0, percent 0..100. */
int64_t hm_loyalty_discount(int64_t cents, int percent);

struct hm_price {
	int64_t list_cents; /* unit price × sessions */
	int percent;
	int64_t discount_cents;
	int64_t price_cents; /* list - discount */
};

/* Prices sessions at unit_cents each with percent off. False when the inputs are
 * out of range (negative, or a total beyond HM_MAX_PRICE_CENTS). */
#define HM_MAX_PRICE_CENTS ((int64_t)100000000 * 200)
bool hm_loyalty_price(int64_t unit_cents, int sessions, int percent, struct hm_price *out);

#endif
