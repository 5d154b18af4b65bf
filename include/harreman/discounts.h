/* SPDX-License-Identifier: MIT */
/* A contract's discount from its sources (API.md v2, "Third parties: referrals and
 * partners"), as a pure function: the larger of the loyalty tier and the partner's
 * percent (never both; a tie is loyalty's), plus an unused referral reward, the
 * whole capped at the highest tier's percent. No I/O. */
#ifndef HARREMAN_DISCOUNTS_H
#define HARREMAN_DISCOUNTS_H

#include <stdbool.h>

/* What each source gives once the cap has taken its share: loyalty + partner +
 * referral = total, and loyalty or partner is 0. */
struct hm_discount_parts {
	int loyalty, partner, referral, total;
};

/* The parts of a discount from the loyalty tier's percent, the partner's (0 when
 * there is none; an inactive partner gives nothing), a referral reward's (0 when
 * none is due) and the cap (the highest tier's percent; 0 without tiers, which
 * leaves no discount at all). Negative inputs count as 0. The partner or loyalty
 * percent is cut first to the cap, the referral takes what room is left. */
struct hm_discount_parts hm_discount_combine(int loyalty, int partner, bool partner_active,
					     int referral, int cap);

#endif
