// SPDX-License-Identifier: MIT
// A contract's discount from loyalty, partner and referral (include/harreman/
// discounts.h): pure, no I/O; src/db/referrals.c gathers the inputs.
#include "harreman/discounts.h"
#include "harreman/banned.h"

static int clamp(int value, int low, int high)
{
	return value < low ? low : value > high ? high : value;
}

struct hm_discount_parts hm_discount_combine(int loyalty, int partner, bool partner_active,
					     int referral, int cap)
{
	struct hm_discount_parts out = {0, 0, 0, 0};
	cap = clamp(cap, 0, 100);
	loyalty = clamp(loyalty, 0, 100);
	partner = partner_active ? clamp(partner, 0, 100) : 0;
	referral = clamp(referral, 0, 100);
	if (partner > loyalty)
		out.partner = clamp(partner, 0, cap);
	else
		out.loyalty = clamp(loyalty, 0, cap);
	out.referral = clamp(referral, 0, cap - out.partner - out.loyalty);
	out.total = out.loyalty + out.partner + out.referral;
	return out;
}
