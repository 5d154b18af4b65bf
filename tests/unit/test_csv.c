// SPDX-License-Identifier: MIT
// The CSV writer (src/util/csv.c): quoting and doubled quotes, CRLF, the formula
// guard, amounts in both dialects, the byte order mark of the semicolon dialect,
// a full buffer reported, dialect names.
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/csv.h"

static char *doc(enum hm_csv_dialect d, void (*fill)(struct hm_csv *))
{
	struct hm_buf out;
	struct hm_csv csv;
	hm_buf_init(&out, 4096);
	hm_csv_begin(&csv, &out, d);
	fill(&csv);
	CHECK(csv.ok);
	size_t len;
	char *text = hm_buf_detach(&out, &len);
	hm_buf_release(&out);
	return text;
}

static void fill_row(struct hm_csv *csv)
{
	hm_csv_str(csv, "plain");
	hm_csv_str(csv, "a,b;c");
	hm_csv_str(csv, "say \"hi\"");
	hm_csv_str(csv, "two\nlines");
	hm_csv_str(csv, NULL);
	hm_csv_str(csv, "=SUM(A1)");
	hm_csv_cents(csv, -123456);
	hm_csv_cents(csv, 5);
	hm_csv_int(csv, -7);
	hm_csv_end_row(csv);
	hm_csv_str(csv, "Goñi");
	hm_csv_end_row(csv);
}

static void test_dialects(void)
{
	char *rfc = doc(HM_CSV_RFC4180, fill_row);
	CHECK_STR(rfc, "plain,\"a,b;c\",\"say \"\"hi\"\"\",\"two\nlines\",,\"'=SUM(A1)\","
		       "-1234.56,0.05,-7\r\nGoñi\r\n");
	free(rfc);
	char *semi = doc(HM_CSV_SEMICOLON, fill_row);
	CHECK_STR(semi, "\xEF\xBB\xBFplain;\"a,b;c\";\"say \"\"hi\"\"\";\"two\nlines\";;"
			"\"'=SUM(A1)\";-1234,56;0,05;-7\r\nGoñi\r\n");
	free(semi);
}

static void test_full_buffer(void)
{
	struct hm_buf out;
	struct hm_csv csv;
	hm_buf_init(&out, 8);
	hm_csv_begin(&csv, &out, HM_CSV_RFC4180);
	hm_csv_str(&csv, "more than eight bytes");
	hm_csv_end_row(&csv);
	CHECK(!csv.ok);
	hm_buf_release(&out);
}

static void test_names(void)
{
	enum hm_csv_dialect d = HM_CSV_SEMICOLON;
	CHECK(hm_csv_dialect_parse("rfc4180", &d) && d == HM_CSV_RFC4180);
	CHECK(hm_csv_dialect_parse("semicolon", &d) && d == HM_CSV_SEMICOLON);
	CHECK(!hm_csv_dialect_parse("tsv", &d));
	CHECK(!hm_csv_dialect_parse(NULL, &d));
}

int main(void)
{
	RUN(test_dialects);
	RUN(test_full_buffer);
	RUN(test_names);
	return CHECK_EXIT();
}
