/* SPDX-License-Identifier: MIT */
/* A minimal test vocabulary: CHECK macros that report the file, line and values of a
 * failed expectation and carry on; main returns CHECK_EXIT(). */
#ifndef HARREMAN_TESTS_CHECK_H
#define HARREMAN_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		check_count++;                                                                   \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures++;                                                        \
		}                                                                                \
	} while (0)

#define CHECK_INT(actual, expected)                                                               \
	do {                                                                                      \
		long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);       \
		check_count++;                                                                    \
		if (check_a_ != check_e_) {                                                       \
			fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, \
				#actual, check_a_, check_e_);                                     \
			check_failures++;                                                         \
		}                                                                                 \
	} while (0)

#define CHECK_STR(actual, expected)                                                         \
	do {                                                                                \
		const char *check_a_ = (actual), *check_e_ = (expected);                    \
		check_count++;                                                              \
		if (!check_a_ || !check_e_ || strcmp(check_a_, check_e_) != 0) {            \
			fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, \
				__LINE__, #actual, check_a_ ? check_a_ : "(null)",          \
				check_e_ ? check_e_ : "(null)");                            \
			check_failures++;                                                   \
		}                                                                           \
	} while (0)

#define RUN(test)                                  \
	do {                                       \
		fprintf(stderr, "-- %s\n", #test); \
		test();                            \
	} while (0)

#define CHECK_EXIT()                                                             \
	(fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures), \
	 check_failures ? 1 : 0)

#endif
