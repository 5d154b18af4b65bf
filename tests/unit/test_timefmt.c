// SPDX-License-Identifier: MIT
// RFC 3339: output always UTC with Z; input with Z or an offset; impossible dates
// refused.
#include "check.h"
#include "harreman/timefmt.h"

static void test_format_is_utc_with_z(void)
{
	char out[HM_RFC3339_LEN];
	hm_time_format(0, out);
	CHECK_STR(out, "1970-01-01T00:00:00Z");
	hm_time_format(1795532400, out); /* API.md's example */
	CHECK_STR(out, "2026-11-24T15:00:00Z");
	hm_time_format(951782400, out); /* leap day of a century leap year */
	CHECK_STR(out, "2000-02-29T00:00:00Z");
	hm_time_format(-1, out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
}

static void test_parse_accepts_z_and_offsets(void)
{
	int64_t t = 0;
	CHECK(hm_time_parse("2026-11-24T15:00:00Z", &t));
	CHECK_INT(t, 1795532400);
	CHECK(hm_time_parse("2026-11-24T16:00:00+01:00", &t));
	CHECK_INT(t, 1795532400);
	CHECK(hm_time_parse("2026-11-24T10:30:00-04:30", &t));
	CHECK_INT(t, 1795532400);
	CHECK(hm_time_parse("2026-11-24T15:00:00.999Z", &t));
	CHECK_INT(t, 1795532400);
	CHECK(hm_time_parse("2026-11-24t15:00:00z", &t));
	CHECK_INT(t, 1795532400);
}

static void test_parse_refuses_the_malformed_and_impossible(void)
{
	static const char *const bad[] = {
		"",
		"2026-11-24",
		"2026-11-24T15:00Z",
		"2026-11-24 15:00:00Z",
		"2026-11-24T15:00:00",
		"2026-11-24T15:00:00+0100",
		"2026-13-01T00:00:00Z",
		"2026-02-29T00:00:00Z",
		"1900-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-11-24T24:00:00Z",
		"2026-11-24T15:60:00Z",
		"2026-11-24T15:00:60Z",
		"2026-11-24T15:00:00.Z",
		"2026-11-24T15:00:00Zjunk",
		"+2026-11-24T15:00:00Z",
		"2026-11-24T15:00:00+25:00",
		"２026-11-24T15:00:00Z",
	};
	int64_t t = 42;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(!hm_time_parse(bad[i], &t));
		if (hm_time_parse(bad[i], &t))
			fprintf(stderr, "   accepted: \"%s\"\n", bad[i]);
	}
	CHECK_INT(t, 42);
	CHECK(hm_time_parse("2024-02-29T00:00:00Z", &t));
	CHECK(hm_time_parse("2000-02-29T00:00:00Z", &t));
	CHECK(!hm_time_parse(NULL, &t));
}

static void test_round_trip(void)
{
	for (int64_t t = -86400 * 400; t < 86400LL * 365 * 100; t += 86400 * 37 + 3607) {
		char text[HM_RFC3339_LEN];
		int64_t back = 0;
		hm_time_format(t, text);
		if (!hm_time_parse(text, &back) || back != t) {
			CHECK_INT(back, t);
			break;
		}
	}
	CHECK_INT(hm_days_from_civil(2026, 3, 29) - hm_days_from_civil(2026, 1, 1), 87);
}

int main(void)
{
	RUN(test_format_is_utc_with_z);
	RUN(test_parse_accepts_z_and_offsets);
	RUN(test_parse_refuses_the_malformed_and_impossible);
	RUN(test_round_trip);
	return CHECK_EXIT();
}
