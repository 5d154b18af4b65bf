// SPDX-License-Identifier: MIT
// The loyalty discount rules (include/harreman/loyalty.h). Pure: no I/O, no state.
#include "harreman/loyalty.h"
#include "harreman/banned.h"

int hm_loyalty_percent(const struct hm_tier *tiers, size_t n, int ordinal)
{
	int percent = 0;
	for (size_t i = 0; i < n && tiers[i].from_ordinal <= ordinal; i++)
		percent = tiers[i].percent;
	return percent;
}

const struct hm_tier *hm_loyalty_next(const struct hm_tier *tiers, size_t n, int ordinal)
{
	for (size_t i = 0; i < n; i++)
		if (tiers[i].from_ordinal > ordinal)
			return &tiers[i];
	return NULL;
}

bool hm_loyalty_tiers_valid(const struct hm_tier *tiers, size_t n, size_t *bad, const char **why)
{
	if (n > HM_MAX_TIERS) {
		*bad = HM_MAX_TIERS;
		*why = "at most 20 tiers";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		*bad = i;
		if (tiers[i].from_ordinal < HM_TIER_ORDINAL_MIN) {
			*why = "from_ordinal must be 2 or more";
			return false;
		}
		if (tiers[i].percent < HM_TIER_PERCENT_MIN ||
		    tiers[i].percent > HM_TIER_PERCENT_MAX) {
			*why = "percent must be from 1 to 100";
			return false;
		}
		if (i > 0 && tiers[i].from_ordinal <= tiers[i - 1].from_ordinal) {
			*why = "from_ordinal must rise strictly from one tier to the next";
			return false;
		}
		if (i > 0 && tiers[i].percent <= tiers[i - 1].percent) {
			*why = "percent must rise strictly from one tier to the next";
			return false;
		}
	}
	return true;
}

int64_t hm_loyalty_discount(int64_t cents, int percent)
{
	/* Half up on a non-negative amount: add half the divisor before dividing. */
	return (cents * percent + 50) / 100;
}

bool hm_loyalty_price(int64_t unit_cents, int sessions, int percent, struct hm_price *out)
{
	if (unit_cents < 0 || sessions < 1 || percent < 0 || percent > 100 ||
	    unit_cents > HM_MAX_PRICE_CENTS / sessions)
		return false;
	out->list_cents = unit_cents * sessions;
	out->percent = percent;
	out->discount_cents = hm_loyalty_discount(out->list_cents, percent);
	out->price_cents = out->list_cents - out->discount_cents;
	return true;
}
