// SPDX-License-Identifier: MIT
// GET /api/v1/limits: the limits of include/harreman/limits.h that the pages need
// (how many weeks a series may have, how far ahead a lesson may be booked, ...),
// so that no page keeps a copy of a number the server decides.
#include "harreman/api.h"
#include "harreman/limits.h"
#include "harreman/banned.h"

void hm_api_limits(struct hm_request *req, struct hm_reply *reply)
{
	(void)req;
	json_t *body = json_pack(
		"{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i,"
		" s:i}",
		"page_max", HM_PAGE_MAX, "page_default", HM_PAGE_DEFAULT, "subject_max",
		HM_SUBJECT_MAX, "tiers_max", HM_MAX_TIERS, "tier_ordinal_min", HM_TIER_ORDINAL_MIN,
		"tier_percent_min", HM_TIER_PERCENT_MIN, "tier_percent_max", HM_TIER_PERCENT_MAX,
		"repeat_weeks_min", HM_REPEAT_WEEKS_MIN, "repeat_weeks_max", HM_REPEAT_WEEKS_MAX,
		"booking_horizon_days", HM_BOOKING_HORIZON_DAYS, "cancel_notice_hours",
		HM_CANCEL_NOTICE_HOURS, "slots_max_days", HM_SLOTS_MAX_DAYS, "sessions_max",
		HM_MAX_SESSIONS, "name_max", HM_MAX_NAME, "phone_max", HM_MAX_PHONE, "text_max",
		HM_MAX_TEXT, "long_text_max", HM_MAX_LONG_TEXT);
	reply->cache_until = INT64_MAX; /* changes only with the binary */
	hm_reply_json(reply, 200, body);
}
