// SPDX-License-Identifier: MIT
// The public-answer cache: an answer is served only while its data generation is
// current and its clock bound has not passed; keys keep different roles, paths and
// query strings apart (also ones that would look alike once joined); the cache
// stays within its entry and byte bounds; an answer computed before a commit is
// never stored as current; lookups are counted.
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/http.h"
#include "harreman/response_cache.h"

static void reply_with(struct hm_reply *r, const char *text)
{
	hm_reply_init(r);
	hm_reply_raw(r, 200, "application/json; charset=utf-8", text, strlen(text));
}

static bool get_text(const char *key, int64_t now, char *out, size_t size)
{
	struct hm_reply r;
	hm_reply_init(&r);
	bool hit = hm_cache_get(key, now, &r);
	if (hit) {
		CHECK_INT(r.status, 200);
		snprintf(out, size, "%.*s", (int)r.body_len, r.body);
	}
	hm_reply_release(&r);
	return hit;
}

static void test_hit_then_invalidated_by_a_commit(void)
{
	char text[64];
	struct hm_reply r;
	reply_with(&r, "{\"items\":[1]}");
	uint64_t g = hm_cache_generation();
	hm_cache_put("k1", g, INT64_MAX, &r);
	hm_reply_release(&r);
	CHECK(get_text("k1", 1000, text, sizeof text));
	CHECK_STR(text, "{\"items\":[1]}");
	CHECK(!get_text("other", 1000, text, sizeof text));
	hm_cache_invalidate();
	CHECK(!get_text("k1", 1000, text, sizeof text));
}

static void test_clock_bound(void)
{
	char text[64];
	struct hm_reply r;
	reply_with(&r, "{\"open_now\":true}");
	hm_cache_put("channels", hm_cache_generation(), 5000, &r);
	hm_reply_release(&r);
	CHECK(get_text("channels", 4999, text, sizeof text));
	CHECK(!get_text("channels", 5000, text, sizeof text)); /* the change has come */
	CHECK(!get_text("channels", 4999, text, sizeof text)); /* and it was dropped */
}

static void test_answer_from_before_a_commit_is_not_stored(void)
{
	char text[64];
	struct hm_reply r;
	uint64_t before = hm_cache_generation();
	hm_cache_invalidate(); /* a write commits while the answer is being computed */
	reply_with(&r, "{\"stale\":true}");
	hm_cache_put("k2", before, INT64_MAX, &r);
	hm_reply_release(&r);
	CHECK(!get_text("k2", 1, text, sizeof text));
}

static void test_only_plain_200_answers_are_stored(void)
{
	char text[64];
	struct hm_reply r;
	reply_with(&r, "{}");
	r.status = 404;
	hm_cache_put("k404", hm_cache_generation(), INT64_MAX, &r);
	hm_reply_release(&r);
	CHECK(!get_text("k404", 1, text, sizeof text));

	reply_with(&r, "{}");
	hm_reply_header(&r, "Retry-After", "5");
	hm_cache_put("kheader", hm_cache_generation(), INT64_MAX, &r);
	hm_reply_release(&r);
	CHECK(!get_text("kheader", 1, text, sizeof text));
}

static void test_keys(void)
{
	struct hm_request a, b;
	char ka[HM_CACHE_MAX_KEY], kb[HM_CACHE_MAX_KEY];
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.path = b.path = "/api/v1/slots";
	a.query[0] = (struct hm_query_arg){"service_id", "1&to=2"};
	a.n_query = 1;
	b.query[0] = (struct hm_query_arg){"service_id", "1"};
	b.query[1] = (struct hm_query_arg){"to", "2"};
	b.n_query = 2;
	CHECK(hm_cache_key(&a, false, ka, sizeof ka));
	CHECK(hm_cache_key(&b, false, kb, sizeof kb));
	CHECK(strcmp(ka, kb) != 0);

	b.n_query = 1;
	b.query[0] = (struct hm_query_arg){"service_id", NULL}; /* "?service_id" */
	CHECK(hm_cache_key(&b, false, kb, sizeof kb));
	a.query[0] = (struct hm_query_arg){"service_id", ""}; /* "?service_id=" */
	CHECK(hm_cache_key(&a, false, ka, sizeof ka));
	CHECK(strcmp(ka, kb) != 0);

	a.who.role = HM_ROLE_STAFF; /* staff see inactive services: another answer */
	b.query[0] = a.query[0];
	CHECK(hm_cache_key(&a, false, ka, sizeof ka));
	CHECK(hm_cache_key(&b, false, kb, sizeof kb));
	CHECK(strcmp(ka, kb) != 0);

	char big[HM_CACHE_MAX_KEY + 8];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	a.query[0] = (struct hm_query_arg){"q", big};
	CHECK(!hm_cache_key(&a, false, ka, sizeof ka)); /* too long: not cached at all */

	/* A private read is keyed by its user: two students never share an answer. */
	a.query[0] = b.query[0];
	a.who.role = b.who.role = HM_ROLE_STUDENT;
	a.who.user_id = 7;
	b.who.user_id = 8;
	CHECK(hm_cache_key(&a, true, ka, sizeof ka));
	CHECK(hm_cache_key(&b, true, kb, sizeof kb));
	CHECK(strcmp(ka, kb) != 0);
	CHECK(hm_cache_key(&a, false, ka, sizeof ka));
	CHECK(hm_cache_key(&b, false, kb, sizeof kb));
	CHECK(strcmp(ka, kb) == 0); /* a public answer is the same for both */
}

static void test_bounds(void)
{
	char key[32], text[64];
	struct hm_reply r;
	hm_cache_clear();
	/* More entries than the table holds: the least recently used go first. */
	for (int i = 0; i < HM_CACHE_MAX_ENTRIES + 10; i++) {
		snprintf(key, sizeof key, "n%d", i);
		reply_with(&r, key);
		hm_cache_put(key, hm_cache_generation(), INT64_MAX, &r);
		hm_reply_release(&r);
		if (i == 0)
			CHECK(get_text("n0", 1, text, sizeof text));
	}
	CHECK(!get_text("n0", 1, text, sizeof text));
	snprintf(key, sizeof key, "n%d", HM_CACHE_MAX_ENTRIES + 9);
	CHECK(get_text(key, 1, text, sizeof text));
	CHECK_STR(text, key);

	/* Big bodies: the byte bound evicts; a body over a quarter of it is refused. */
	size_t quarter = HM_CACHE_MAX_BYTES / 4;
	char *body = malloc(quarter + 1);
	CHECK(body != NULL);
	if (!body)
		return;
	memset(body, 'b', quarter + 1);
	hm_reply_init(&r);
	hm_reply_raw(&r, 200, "application/json", body, quarter + 1);
	hm_cache_put("huge", hm_cache_generation(), INT64_MAX, &r);
	hm_reply_release(&r);
	CHECK(!get_text("huge", 1, text, sizeof text));
	int stored = 0;
	for (int i = 0; i < 6; i++) {
		snprintf(key, sizeof key, "big%d", i);
		hm_reply_init(&r);
		hm_reply_raw(&r, 200, "application/json", body, quarter);
		hm_cache_put(key, hm_cache_generation(), INT64_MAX, &r);
		hm_reply_release(&r);
	}
	for (int i = 0; i < 6; i++) {
		struct hm_reply got;
		hm_reply_init(&got);
		snprintf(key, sizeof key, "big%d", i);
		if (hm_cache_get(key, 1, &got)) {
			stored++;
			CHECK_INT(got.body_len, quarter);
		}
		hm_reply_release(&got);
	}
	CHECK_INT(stored, 4); /* 4 x a quarter fills the bound exactly; the oldest two went */
	CHECK(get_text("big5", 1, text, sizeof text));
	free(body);
	hm_cache_clear();
}

/* Every lookup counts as a hit or a miss (GET /metrics). */
static void test_counts(void)
{
	uint64_t h0, m0, h1, m1;
	char text[16];
	struct hm_reply r;
	hm_cache_counts(&h0, &m0);
	reply_with(&r, "{}");
	hm_cache_put("counted", hm_cache_generation(), INT64_MAX, &r);
	hm_reply_release(&r);
	CHECK(get_text("counted", 1, text, sizeof text));
	CHECK(get_text("counted", 2, text, sizeof text));
	CHECK(!get_text("not there", 1, text, sizeof text));
	hm_cache_counts(&h1, &m1);
	CHECK(h1 == h0 + 2);
	CHECK(m1 == m0 + 1);
	/* A part of an answer is found the same way, and not counted. */
	hm_reply_init(&r);
	CHECK(hm_cache_get_part("counted", 3, &r));
	CHECK_INT(r.status, 200);
	hm_reply_release(&r);
	hm_reply_init(&r);
	CHECK(!hm_cache_get_part("not there", 3, &r));
	hm_reply_release(&r);
	hm_cache_counts(&h0, &m0);
	CHECK(h0 == h1 && m0 == m1);
}

int main(void)
{
	RUN(test_hit_then_invalidated_by_a_commit);
	RUN(test_clock_bound);
	RUN(test_answer_from_before_a_commit_is_not_stored);
	RUN(test_only_plain_200_answers_are_stored);
	RUN(test_keys);
	RUN(test_counts);
	RUN(test_bounds);
	return CHECK_EXIT();
}
