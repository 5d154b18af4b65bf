// SPDX-License-Identifier: MIT
// The router's {token} segments (the private calendar feed, /calendar/{token}.ics):
// base64url characters with a literal suffix in the same segment; anything else,
// or a token of the wrong shape, is no match (404), and {id} routes are unchanged.
#include <string.h>

#include "check.h"
#include "harreman/router.h"

static void handler(struct hm_request *req, struct hm_reply *reply)
{
	(void)req;
	(void)reply;
}

static const struct hm_route table[] = {
	{.methods = HM_GET,
	 .pattern = "/calendar/{token}.ics",
	 .handler = handler,
	 .access = HM_ALLOW_ANON},
	{.methods = HM_GET,
	 .pattern = "/api/v1/me/calendar.ics",
	 .handler = handler,
	 .access = HM_ALLOW_STUDENT},
	{.methods = HM_GET,
	 .pattern = "/api/v1/tutors/{id}/calendar.ics",
	 .handler = handler,
	 .access = HM_ALLOW_STAFF},
	{.methods = HM_GET,
	 .pattern = "/files/{token}",
	 .handler = handler,
	 .access = HM_ALLOW_ANON},
};

static enum hm_match match(enum hm_method m, const char *path, size_t *index)
{
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed;
	return hm_router_match(table, sizeof table / sizeof table[0], m, path, index, ids,
			       &allowed);
}

static void test_tokens_with_a_suffix_match(void)
{
	size_t i = 99;
	CHECK_INT(match(HM_GET, "/calendar/comM9MiMz55--N2AJ-d-ifGC3QhqtslDHjZljVs1O-s.ics", &i),
		  HM_MATCH_FOUND);
	CHECK_INT(i, 0);
	CHECK_INT(match(HM_HEAD, "/calendar/a.ics", &i), HM_MATCH_FOUND);
	CHECK_INT(match(HM_GET, "/files/abc_DEF-123", &i), HM_MATCH_FOUND);
	CHECK_INT(i, 3);
	/* The literal routes next to it are not taken for tokens, nor the other way. */
	CHECK_INT(match(HM_GET, "/api/v1/me/calendar.ics", &i), HM_MATCH_FOUND);
	CHECK_INT(i, 1);
	CHECK_INT(match(HM_GET, "/api/v1/tutors/7/calendar.ics", &i), HM_MATCH_FOUND);
	CHECK_INT(i, 2);
	CHECK_INT(match(HM_POST, "/calendar/abc.ics", &i), HM_MATCH_NO_METHOD);
}

static void test_bad_tokens_are_not_found(void)
{
	size_t i;
	char long_token[128];
	static const char *const bad[] = {
		"/calendar/.ics",     /* empty token */
		"/calendar/abc",      /* no suffix */
		"/calendar/abc.ics/", /* trailing segment */
		"/calendar/abc.icsx",
		"/calendar/abc.ICS",
		"/calendar/ab=c.ics", /* not base64url */
		"/calendar/ab+c.ics",
		"/calendar/ab%20c.ics",
		"/calendar/ab c.ics",
		"/calendar/a.b.ics",
		"/calendar/",
		"/calendar",
		"/calendar/{token}.ics", /* the pattern itself is no token */
		"/files/",
		"/files/a/b",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		enum hm_match m = match(HM_GET, bad[k], &i);
		CHECK_INT(m, HM_MATCH_NO_PATH);
		if (m != HM_MATCH_NO_PATH)
			fprintf(stderr, "  ... %s\n", bad[k]);
	}
	/* At most 64 characters. */
	memset(long_token, 'a', sizeof long_token);
	memcpy(long_token, "/calendar/", 10);
	memcpy(long_token + 10 + 64, ".ics", 5);
	CHECK_INT(match(HM_GET, long_token, &i), HM_MATCH_FOUND);
	memset(long_token + 10, 'a', 65);
	memcpy(long_token + 10 + 65, ".ics", 5);
	CHECK_INT(match(HM_GET, long_token, &i), HM_MATCH_NO_PATH);
}

int main(void)
{
	RUN(test_tokens_with_a_suffix_match);
	RUN(test_bad_tokens_are_not_found);
	return CHECK_EXIT();
}
