// SPDX-License-Identifier: MIT
// Conditional GETs (src/util/conditional.c): HTTP-dates written as IMF-fixdate and
// read back, other forms refused; If-None-Match lists matched by the weak
// comparison ("*", W/, spaces, several tags); If-None-Match deciding over
// If-Modified-Since; a date not before the last change answering 304.
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "harreman/conditional.h"

static void test_dates(void)
{
	char text[HM_HTTP_DATE_LEN];
	int64_t t = 0;
	hm_http_date_format(784111777, text); /* RFC 9110's own example */
	CHECK_STR(text, "Sun, 06 Nov 1994 08:49:37 GMT");
	CHECK(hm_http_date_parse(text, &t));
	CHECK_INT(t, 784111777);
	hm_http_date_format(0, text);
	CHECK_STR(text, "Thu, 01 Jan 1970 00:00:00 GMT");
	hm_http_date_format(1795442313, text);
	CHECK_STR(text, "Mon, 23 Nov 2026 13:58:33 GMT");
	for (int64_t at = 946684800; at < 2000000000; at += 7777777) {
		hm_http_date_format(at, text);
		CHECK(hm_http_date_parse(text, &t) && t == at);
	}
	static const char *const bad[] = {
		"Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994",
		"",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nox 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 25:49:37 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT ",
		"yesterday",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(!hm_http_date_parse(bad[i], &t));
	CHECK(!hm_http_date_parse(NULL, &t));
}

static void test_etag_lists(void)
{
	static const char tag[] = "\"abc\"";
	CHECK(hm_etag_list_matches("\"abc\"", tag));
	CHECK(hm_etag_list_matches("W/\"abc\"", tag));
	CHECK(hm_etag_list_matches("*", tag));
	CHECK(hm_etag_list_matches("\"x\", \"abc\"", tag));
	CHECK(hm_etag_list_matches("\"x\",W/\"abc\" , \"y\"", tag));
	CHECK(!hm_etag_list_matches("\"abcd\"", tag));
	CHECK(!hm_etag_list_matches("\"ab\"", tag));
	CHECK(!hm_etag_list_matches("abc", tag));
	CHECK(!hm_etag_list_matches("\"a,\"abc\"\"", tag)); /* a comma inside a tag */
	CHECK(!hm_etag_list_matches("", tag));
}

static void test_verdict(void)
{
	static const char tag[] = "\"abc\"";
	const char *date = "Sun, 06 Nov 1994 08:49:37 GMT";
	CHECK(!hm_not_modified(NULL, NULL, tag, 784111777));
	CHECK(hm_not_modified("\"abc\"", NULL, tag, 784111777));
	CHECK(hm_not_modified(NULL, date, tag, 784111777));
	CHECK(hm_not_modified(NULL, date, tag, 784111000));
	CHECK(!hm_not_modified(NULL, date, tag, 784111778));
	CHECK(!hm_not_modified(NULL, "junk", tag, 0));
	/* If-None-Match decides when present, whatever the date says. */
	CHECK(!hm_not_modified("\"x\"", date, tag, 784111777));
	CHECK(hm_not_modified("\"abc\"", "Thu, 01 Jan 1970 00:00:00 GMT", tag, 784111777));
}

int main(void)
{
	RUN(test_dates);
	RUN(test_etag_lists);
	RUN(test_verdict);
	return CHECK_EXIT();
}
