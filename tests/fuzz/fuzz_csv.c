// SPDX-License-Identifier: MIT
// libFuzzer harness for the CSV writer (src/util/csv.c), with property checks
// (abort() when one breaks): the input is cut into fields at 0xFF and records at
// 0xFE; every field is written in both dialects and the document read back by a
// small RFC 4180 reader written here, which must find the same records and fields
// (a field a spreadsheet would run as a formula comes back with its apostrophe),
// every record ended by CRLF and the semicolon dialect's byte order mark first.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/csv.h"

#define MAX_FIELDS 256

struct field {
	const char *p;
	size_t len;
	size_t record;
};

/* Reads the next field of doc at *pos into out (cap bytes): its length, or -1 when
 * the text is not well-formed; *end_of_record set when CRLF follows it. */
static long read_field(const char *doc, size_t len, size_t *pos, char sep, char *out, size_t cap,
		       int *end_of_record)
{
	size_t i = *pos, n = 0;
	*end_of_record = 0;
	if (i < len && doc[i] == '"') {
		i++;
		for (;;) {
			if (i >= len)
				return -1;
			if (doc[i] == '"') {
				if (i + 1 < len && doc[i + 1] == '"') {
					if (n < cap)
						out[n++] = '"';
					i += 2;
					continue;
				}
				i++;
				break;
			}
			if (n < cap)
				out[n++] = doc[i];
			i++;
		}
	} else {
		while (i < len && doc[i] != sep && doc[i] != '\r') {
			if (doc[i] == '"' || doc[i] == '\n')
				return -1; /* must have been quoted */
			if (n < cap)
				out[n++] = doc[i];
			i++;
		}
	}
	if (i < len && doc[i] == sep) {
		i++;
	} else if (i + 1 < len && doc[i] == '\r' && doc[i + 1] == '\n') {
		i += 2;
		*end_of_record = 1;
	} else {
		return -1;
	}
	*pos = i;
	return (long)n;
}

static void check(enum hm_csv_dialect dialect, const struct field *fields, size_t n)
{
	struct hm_buf out;
	struct hm_csv csv;
	hm_buf_init(&out, (size_t)1 << 20);
	hm_csv_begin(&csv, &out, dialect);
	for (size_t i = 0; i < n; i++) {
		hm_csv_text(&csv, fields[i].p, fields[i].len);
		if (i + 1 == n || fields[i + 1].record != fields[i].record)
			hm_csv_end_row(&csv);
	}
	if (!csv.ok)
		abort();
	size_t len = out.len, pos = 0;
	const char *doc = out.data ? out.data : "";
	char sep = dialect == HM_CSV_SEMICOLON ? ';' : ',';
	if (dialect == HM_CSV_SEMICOLON) {
		if (len < 3 || memcmp(doc, "\xEF\xBB\xBF", 3) != 0)
			abort();
		pos = 3;
	}
	char *buf = malloc(len + 2);
	if (!buf)
		abort();
	for (size_t i = 0; i < n; i++) {
		int eor = 0;
		long got = read_field(doc, len, &pos, sep, buf, len + 1, &eor);
		if (got < 0)
			abort();
		const char *want = fields[i].p;
		size_t want_len = fields[i].len;
		size_t skip = 0;
		if (want_len && strchr("=+-@\t\r", want[0]) && want[0] != '\0') {
			if (got < 1 || buf[0] != '\'')
				abort();
			skip = 1;
		}
		if ((size_t)got != want_len + skip || memcmp(buf + skip, want, want_len) != 0)
			abort();
		int last = i + 1 == n || fields[i + 1].record != fields[i].record;
		if (eor != last)
			abort();
	}
	if (pos != len)
		abort();
	free(buf);
	hm_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field fields[MAX_FIELDS];
	size_t n = 0, start = 0, record = 0;
	const char *text = (const char *)data;
	for (size_t i = 0; i <= size && n < MAX_FIELDS; i++) {
		if (i < size && data[i] != 0xFF && data[i] != 0xFE)
			continue;
		fields[n].p = text + start;
		fields[n].len = i - start;
		fields[n].record = record;
		n++;
		if (i < size && data[i] == 0xFE)
			record++;
		start = i + 1;
	}
	/* A record of one empty field is written as an empty line: leave such out. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		int alone = (i == 0 || fields[i - 1].record != fields[i].record) &&
			    (i + 1 == n || fields[i + 1].record != fields[i].record);
		if (!(alone && fields[i].len == 0))
			fields[kept++] = fields[i];
	}
	check(HM_CSV_RFC4180, fields, kept);
	check(HM_CSV_SEMICOLON, fields, kept);
	return 0;
}
