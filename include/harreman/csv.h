/* SPDX-License-Identifier: MIT */
/* A CSV writer for the accountant's book (pure; appends to an hm_buf the caller
 * owns). Two dialects: RFC 4180 (comma, decimal point) and the one a Spanish or
 * Basque spreadsheet opens as columns (semicolon, decimal comma, a UTF-8 byte
 * order mark first). Both end every record with CRLF and quote a field when it
 * holds the separator, a double quote, CR or LF (a quote doubled inside). A text
 * field that a spreadsheet would take for a formula (first character = + - @,
 * tab or CR) gets an apostrophe in front, quoted, so a customer's name is never
 * run. */
#ifndef HARREMAN_CSV_H
#define HARREMAN_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/buf.h"

enum hm_csv_dialect { HM_CSV_RFC4180, HM_CSV_SEMICOLON };

struct hm_csv {
	struct hm_buf *out; /* borrowed */
	enum hm_csv_dialect dialect;
	bool row_started; /* a field was written in the current record */
	bool ok;          /* false once an append failed (the buffer is full) */
};

/* Starts a document in out (the byte order mark for HM_CSV_SEMICOLON). */
void hm_csv_begin(struct hm_csv *csv, struct hm_buf *out, enum hm_csv_dialect dialect);

/* One text field (len bytes of text; NULL: an empty field). */
void hm_csv_text(struct hm_csv *csv, const char *text, size_t len);
/* One text field from a NUL-terminated string (NULL: empty). */
void hm_csv_str(struct hm_csv *csv, const char *text);
/* An integer field. */
void hm_csv_int(struct hm_csv *csv, int64_t value);
/* An amount of cents as units with two decimals, in the dialect's decimal mark
 * ("-1234.50", "-1234,50"): no thousands separator, no currency sign. */
void hm_csv_cents(struct hm_csv *csv, int64_t cents);
/* Ends the record (CRLF). */
void hm_csv_end_row(struct hm_csv *csv);

/* The dialect named "rfc4180" or "semicolon"; false for anything else. */
bool hm_csv_dialect_parse(const char *name, enum hm_csv_dialect *out);

#endif
