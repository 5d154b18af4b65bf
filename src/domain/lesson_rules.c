// SPDX-License-Identifier: MIT
// When a lesson may be moved (include/harreman/lesson_rules.h): the state and
// notice rules of API.md v2, "Rescheduling"; the new time's rules are the
// booking's (src/api/lessons.c and the triggers).
#include "harreman/lesson_rules.h"
#include "harreman/banned.h"

enum hm_lesson_verdict hm_lesson_may_move(bool cancelled, int64_t starts, int64_t now, bool student,
					  int64_t notice, const char **why)
{
	if (cancelled) {
		*why = "The lesson is cancelled.";
		return HM_LESSON_IS_CANCELLED;
	}
	if (starts <= now) {
		*why = "The lesson has started or is over.";
		return HM_LESSON_HAS_STARTED;
	}
	if (student && starts - now < notice) {
		*why = "Lessons can be moved until 24 hours before they start; call us.";
		return HM_LESSON_TOO_LATE;
	}
	return HM_LESSON_MAY_MOVE;
}
