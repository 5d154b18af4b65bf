// SPDX-License-Identifier: MIT
// When a lesson may be moved: cancelled and started lessons never, a student only
// while the notice remains (the boundary included), staff until it starts.
#include "check.h"
#include "harreman/lesson_rules.h"

#define DAY ((int64_t)24 * 3600)

int main(void)
{
	const char *why = NULL;
	int64_t now = 1800000000;
	CHECK_INT(hm_lesson_may_move(false, now + 2 * DAY, now, true, DAY, &why),
		  HM_LESSON_MAY_MOVE);
	CHECK_INT(hm_lesson_may_move(false, now + DAY, now, true, DAY, &why), HM_LESSON_MAY_MOVE);
	CHECK_INT(hm_lesson_may_move(false, now + DAY - 1, now, true, DAY, &why),
		  HM_LESSON_TOO_LATE);
	CHECK(why && strstr(why, "24 hours"));
	CHECK_INT(hm_lesson_may_move(false, now + DAY - 1, now, false, DAY, &why),
		  HM_LESSON_MAY_MOVE);
	CHECK_INT(hm_lesson_may_move(false, now + 1, now, false, DAY, &why), HM_LESSON_MAY_MOVE);
	CHECK_INT(hm_lesson_may_move(false, now, now, false, DAY, &why), HM_LESSON_HAS_STARTED);
	CHECK_INT(hm_lesson_may_move(false, now - 60, now, true, DAY, &why), HM_LESSON_HAS_STARTED);
	CHECK_INT(hm_lesson_may_move(true, now + 2 * DAY, now, false, DAY, &why),
		  HM_LESSON_IS_CANCELLED);
	CHECK_INT(hm_lesson_may_move(true, now - DAY, now, true, DAY, &why),
		  HM_LESSON_IS_CANCELLED);
	return CHECK_EXIT();
}
