// SPDX-License-Identifier: MIT
// Inquiry answer times: due = received + the channel's response hours (48 for e-mail
// and the web form in the business plan); an open inquiry past due is overdue; an
// answer by due is on time; a channel that promises nothing has no due.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "harreman/sla.h"
#include "harreman/timefmt.h"

/* The instant of RFC 3339 text written in this file; a typo there stops the test. */
static int64_t at(const char *text)
{
	int64_t t = -1;
	if (!hm_time_parse(text, &t)) {
		fprintf(stderr, "bad instant in the test itself: \"%s\"\n", text);
		exit(2);
	}
	return t;
}

static void test_due_is_received_plus_response_hours(void)
{
	int64_t received = at("2026-11-24T15:00:00Z");
	CHECK_INT(hm_sla_due(received, 48), at("2026-11-26T15:00:00Z"));
	CHECK_INT(hm_sla_due(received, 48) - received, 48 * 3600);
	CHECK_INT(hm_sla_due(received, 1), at("2026-11-24T16:00:00Z"));
	/* Elapsed hours, not local wall-clock: over the autumn change 48 h is still 48 h. */
	int64_t before_change = at("2026-10-24T12:00:00+02:00");
	CHECK_INT(hm_sla_due(before_change, 48), at("2026-10-26T11:00:00+01:00"));
	/* A long promise does not overflow. */
	CHECK_INT(hm_sla_due(received, 2147483647), received + (int64_t)2147483647 * 3600);
}

static void test_no_promise_means_no_due(void)
{
	int64_t received = at("2026-11-24T15:00:00Z");
	CHECK_INT(hm_sla_due(received, 0), 0);
	CHECK_INT(hm_sla_due(received, -1), 0);
	CHECK_INT(hm_sla_due(received, -48), 0);
}

static void test_overdue(void)
{
	int64_t due = hm_sla_due(at("2026-11-24T15:00:00Z"), 48);
	CHECK_INT(due, at("2026-11-26T15:00:00Z"));
	/* Open: overdue only strictly after due. */
	CHECK(!hm_sla_overdue(due, false, due - 3600));
	CHECK(!hm_sla_overdue(due, false, due - 1));
	CHECK(!hm_sla_overdue(due, false, due));
	CHECK(hm_sla_overdue(due, false, due + 1));
	CHECK(hm_sla_overdue(due, false, due + 30 * 86400));
	/* Answered: never overdue, however late. */
	CHECK(!hm_sla_overdue(due, true, due + 1));
	CHECK(!hm_sla_overdue(due, true, due + 30 * 86400));
	/* No due: never overdue. */
	CHECK(!hm_sla_overdue(0, false, due + 30 * 86400));
	CHECK(!hm_sla_overdue(hm_sla_due(due, 0), false, due + 1));
}

static void test_on_time(void)
{
	int64_t due = at("2026-11-26T15:00:00Z");
	CHECK(hm_sla_on_time(due, due - 86400));
	CHECK(hm_sla_on_time(due, due - 1));
	CHECK(hm_sla_on_time(due, due));
	CHECK(!hm_sla_on_time(due, due + 1));
	CHECK(!hm_sla_on_time(due, due + 86400));
	/* Without a due every answer is on time. */
	CHECK(hm_sla_on_time(0, due));
	CHECK(hm_sla_on_time(0, due + 365 * 86400));
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	RUN(test_due_is_received_plus_response_hours);
	RUN(test_no_promise_means_no_due);
	RUN(test_overdue);
	RUN(test_on_time);
	return CHECK_EXIT();
}
