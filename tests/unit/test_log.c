// SPDX-License-Identifier: MIT
// The log's repeat counting (issue 19, item 4): a line identical to one written
// less than a second ago (same level, same text) is counted, not written, and the
// count comes out once the second is over, on the next such line or from the
// housekeeping's flush; a different level or text is another line; the table of
// recent lines does not lose a count when it is full. Standard error goes to a
// temporary file the test reads back; the clock is the test's.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harreman/log.h"

static long long fake_ms = 1000000;

static long long fake_clock(void)
{
	return fake_ms;
}

static FILE *captured;
static long read_from;
static int capture_fd, real_stderr;

/* Standard error into the capture file from here (the checks' own messages go to
 * the real one: take_output ends the capture). */
static void capture(void)
{
	fflush(stderr);
	dup2(capture_fd, STDERR_FILENO);
}

/* What was written to standard error since capture() (owned, free()); standard
 * error is the real one again. */
static char *take_output(void)
{
	fflush(stderr);
	dup2(real_stderr, STDERR_FILENO);
	fseek(captured, 0, SEEK_END);
	long end = ftell(captured);
	char *text = calloc(1, (size_t)(end - read_from) + 1);
	fseek(captured, read_from, SEEK_SET);
	size_t got = fread(text, 1, (size_t)(end - read_from), captured);
	text[got] = '\0';
	read_from = end;
	return text;
}

static int count_of(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_a_flood_is_one_line_a_second(void)
{
	capture();
	for (int i = 0; i < 6605; i++)
		hm_log_error("database: commit: database or disk is full");
	char *out = take_output();
	CHECK_INT(count_of(out, "\n"), 1);
	CHECK(strstr(out, " ERROR database: commit: database or disk is full\n") != NULL);
	free(out);

	/* The second is over: the next one carries the count of the last. */
	fake_ms += 1000;
	capture();
	hm_log_error("database: commit: database or disk is full");
	out = take_output();
	CHECK_INT(count_of(out, "\n"), 1);
	CHECK(strstr(out, "database or disk is full (repeated 6,604 times in the last second)\n") !=
	      NULL);
	free(out);

	/* Quiet afterwards: nothing held back, nothing to flush. */
	fake_ms += 5000;
	capture();
	hm_log_flush_repeats(false);
	out = take_output();
	CHECK_STR(out, "");
	free(out);
}

static void test_the_flush_tells_a_count_that_would_wait(void)
{
	capture();
	hm_log_warn("smtp: relay refused");
	hm_log_warn("smtp: relay refused");
	hm_log_warn("smtp: relay refused");
	fake_ms += 999;
	hm_log_flush_repeats(false); /* not a second yet */
	char *out = take_output();
	CHECK_INT(count_of(out, "\n"), 1);
	free(out);
	fake_ms += 1;
	capture();
	hm_log_flush_repeats(false);
	out = take_output();
	CHECK_INT(count_of(out, "\n"), 1);
	CHECK(strstr(out, " WARN  smtp: relay refused (repeated 2 times in the last second)\n") !=
	      NULL);
	free(out);
	/* The count is told once. */
	fake_ms += 2000;
	capture();
	hm_log_flush_repeats(false);
	out = take_output();
	CHECK_STR(out, "");
	free(out);
}

static void test_a_stop_tells_every_count(void)
{
	fake_ms += 10000;
	capture();
	hm_log_error("writer: batch lost");
	hm_log_error("writer: batch lost");
	fake_ms += 10;
	hm_log_flush_repeats(true);
	char *out = take_output();
	CHECK_INT(count_of(out, "ERROR writer: batch lost (repeated 1 time in the last second)\n"),
		  1);
	CHECK_INT(count_of(out, "\n"), 2);
	free(out);
}

static void test_other_text_or_level_is_another_line(void)
{
	fake_ms += 10000;
	capture();
	hm_log_error("request failed: a");
	hm_log_error("request failed: b");
	hm_log_warn("request failed: a");
	hm_log_error("request failed: a");
	char *out = take_output();
	CHECK_INT(count_of(out, "\n"), 3);
	CHECK_INT(count_of(out, "ERROR request failed: a\n"), 1);
	CHECK_INT(count_of(out, "ERROR request failed: b\n"), 1);
	CHECK_INT(count_of(out, "WARN  request failed: a\n"), 1);
	free(out);
	fake_ms += 1000;
	capture();
	hm_log_flush_repeats(false);
	out = take_output();
	CHECK_INT(count_of(out, "ERROR request failed: a (repeated 1 time in the last second)\n"),
		  1);
	CHECK_INT(count_of(out, "\n"), 1);
	free(out);
}

static void test_a_full_table_keeps_the_counts(void)
{
	fake_ms += 10000;
	capture();
	hm_log_error("disk full");
	hm_log_error("disk full"); /* held back */
	/* Two hundred unique warnings push it out of the table; access lines (INFO)
	 * never enter it. */
	for (int i = 0; i < 200; i++) {
		hm_log_warn("slow client %d", i);
		hm_log_info("GET /page/%d 200", i);
	}
	char *out = take_output();
	CHECK_INT(count_of(out, "ERROR disk full\n"), 1);
	CHECK_INT(count_of(out, "ERROR disk full (repeated 1 time in the last second)\n"), 1);
	CHECK_INT(count_of(out, " 200\n"), 200);
	CHECK_INT(count_of(out, "WARN  slow client"), 200);
	free(out);

	/* A line seen all along stays in the table among unique ones. */
	fake_ms += 10000;
	capture();
	for (int i = 0; i < 200; i++) {
		hm_log_error("disk still full");
		hm_log_warn("slow again %d", i);
	}
	out = take_output();
	CHECK_INT(count_of(out, "ERROR disk still full\n"), 1);
	CHECK_INT(count_of(out, "disk still full (repeated"), 0);
	free(out);
	fake_ms += 1000;
	capture();
	hm_log_flush_repeats(false);
	out = take_output();
	CHECK_INT(count_of(out, "disk still full (repeated 199 times in the last second)\n"), 1);
	free(out);
}

static void test_long_lines_are_always_written(void)
{
	char text[1500];
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	capture();
	hm_log_error("%s", text);
	hm_log_error("%s", text);
	char *out = take_output();
	CHECK_INT(count_of(out, "\n"), 2);
	free(out);
}

int main(void)
{
	char path[] = "/tmp/harreman-test-log-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	unlink(path);
	capture_fd = fd;
	real_stderr = dup(STDERR_FILENO);
	captured = fdopen(dup(fd), "r");
	hm_log_set_clock(fake_clock);

	RUN(test_a_flood_is_one_line_a_second);
	RUN(test_the_flush_tells_a_count_that_would_wait);
	RUN(test_a_stop_tells_every_count);
	RUN(test_other_text_or_level_is_another_line);
	RUN(test_a_full_table_keeps_the_counts);
	RUN(test_long_lines_are_always_written);

	hm_log_set_clock(NULL);
	return CHECK_EXIT();
}
