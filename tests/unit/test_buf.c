// SPDX-License-Identifier: MIT
// The capped buffer: it grows, never past its cap, and hands its bytes over.
#include <stdlib.h>

#include "check.h"
#include "harreman/buf.h"

static void test_appends_up_to_the_cap_inclusive(void)
{
	struct hm_buf b;
	char block[1000];
	memset(block, 'x', sizeof block);
	hm_buf_init(&b, 2500);
	CHECK(hm_buf_append(&b, block, 1000));
	CHECK(hm_buf_append(&b, block, 1000));
	CHECK(!hm_buf_append(&b, block, 501)); /* would be 2501 */
	CHECK_INT(b.len, 2000);
	CHECK(hm_buf_append(&b, block, 500)); /* exactly 2500 */
	CHECK_INT(b.len, 2500);
	CHECK(!hm_buf_append(&b, "y", 1));
	CHECK_INT(b.data[b.len], '\0');
	hm_buf_release(&b);
	CHECK(b.data == NULL && b.len == 0);
}

static void test_printf_and_detach(void)
{
	struct hm_buf b;
	size_t len = 0;
	hm_buf_init(&b, 64);
	CHECK(hm_buf_printf(&b, "%s=%d", "seats", 12));
	CHECK(hm_buf_printf(&b, ";%s", "ok"));
	CHECK(!hm_buf_printf(&b, "%0100d", 1));
	char *text = hm_buf_detach(&b, &len);
	CHECK_STR(text, "seats=12;ok");
	CHECK_INT(len, 11);
	CHECK(b.data == NULL);
	free(text);
	text = hm_buf_detach(&b, &len); /* empty: still a string */
	CHECK_STR(text, "");
	CHECK_INT(len, 0);
	free(text);
}

static void test_huge_lengths_do_not_overflow(void)
{
	struct hm_buf b;
	hm_buf_init(&b, 100);
	CHECK(hm_buf_append(&b, "abc", 3));
	CHECK(!hm_buf_append(&b, "abc", (size_t)-2));
	CHECK_INT(b.len, 3);
	hm_buf_release(&b);
}

int main(void)
{
	RUN(test_appends_up_to_the_cap_inclusive);
	RUN(test_printf_and_detach);
	RUN(test_huge_lengths_do_not_overflow);
	return CHECK_EXIT();
}
