/* SPDX-License-Identifier: MIT */
/* Whether a booked lesson may still be changed, as a pure function: the rule a
 * move (POST /lessons/{id}/move) follows, judged before the write and again inside
 * it. */
#ifndef HARREMAN_LESSON_RULES_H
#define HARREMAN_LESSON_RULES_H

#include <stdbool.h>
#include <stdint.h>

enum hm_lesson_verdict {
	HM_LESSON_MAY_MOVE,
	HM_LESSON_IS_CANCELLED, /* 409 conflict */
	HM_LESSON_HAS_STARTED,  /* 409 conflict: started or over */
	HM_LESSON_TOO_LATE,     /* 409 too_late_to_cancel: a student, under notice seconds */
};

/* May a lesson (cancelled or not, starting at starts) be moved at now? Staff
 * always, while it is still to come; a student while at least notice seconds
 * remain before its current start. *why (static English text) explains a refusal. */
enum hm_lesson_verdict hm_lesson_may_move(bool cancelled, int64_t starts, int64_t now, bool student,
					  int64_t notice, const char **why);

#endif
