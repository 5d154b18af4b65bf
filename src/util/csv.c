// SPDX-License-Identifier: MIT
// The CSV writer (include/harreman/csv.h): records for the accountant's book in
// RFC 4180 or the semicolon dialect of Spanish and Basque spreadsheets.
#include <inttypes.h>
#include <string.h>

#include "harreman/csv.h"
#include "harreman/banned.h"

void hm_csv_begin(struct hm_csv *csv, struct hm_buf *out, enum hm_csv_dialect dialect)
{
	csv->out = out;
	csv->dialect = dialect;
	csv->row_started = false;
	csv->ok = true;
	/* Without it, spreadsheets read the file as Windows-1252 and garble "Goñi". */
	if (dialect == HM_CSV_SEMICOLON)
		csv->ok = hm_buf_append(out, "\xEF\xBB\xBF", 3);
}

static char separator(const struct hm_csv *csv)
{
	return csv->dialect == HM_CSV_SEMICOLON ? ';' : ',';
}

static void put(struct hm_csv *csv, const char *data, size_t len)
{
	if (csv->ok && len)
		csv->ok = hm_buf_append(csv->out, data, len);
}

/* The separator before every field but a record's first. */
static void next_field(struct hm_csv *csv)
{
	char sep = separator(csv);
	if (csv->row_started)
		put(csv, &sep, 1);
	csv->row_started = true;
}

void hm_csv_text(struct hm_csv *csv, const char *text, size_t len)
{
	next_field(csv);
	if (!text || !len)
		return;
	char sep = separator(csv);
	bool quote = false;
	for (size_t i = 0; i < len && !quote; i++)
		quote = text[i] == sep || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
	bool formula = text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
		       text[0] == '\t' || text[0] == '\r';
	quote = quote || formula; /* quoted too, as the other exports always did */
	if (quote)
		put(csv, "\"", 1);
	if (formula)
		put(csv, "'", 1);
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '"')
			continue;
		put(csv, text + from, i + 1 - from); /* up to and including the quote */
		put(csv, "\"", 1);                   /* doubled */
		from = i + 1;
	}
	put(csv, text + from, len - from);
	if (quote)
		put(csv, "\"", 1);
}

void hm_csv_str(struct hm_csv *csv, const char *text)
{
	hm_csv_text(csv, text, text ? strlen(text) : 0);
}

void hm_csv_int(struct hm_csv *csv, int64_t value)
{
	next_field(csv);
	if (csv->ok)
		csv->ok = hm_buf_printf(csv->out, "%" PRId64, value);
}

void hm_csv_cents(struct hm_csv *csv, int64_t cents)
{
	uint64_t abs = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	next_field(csv);
	if (csv->ok)
		csv->ok = hm_buf_printf(csv->out, "%s%" PRIu64 "%c%02" PRIu64, cents < 0 ? "-" : "",
					abs / 100, csv->dialect == HM_CSV_SEMICOLON ? ',' : '.',
					abs % 100);
}

void hm_csv_end_row(struct hm_csv *csv)
{
	put(csv, "\r\n", 2);
	csv->row_started = false;
}

bool hm_csv_dialect_parse(const char *name, enum hm_csv_dialect *out)
{
	if (name && strcmp(name, "rfc4180") == 0)
		*out = HM_CSV_RFC4180;
	else if (name && strcmp(name, "semicolon") == 0)
		*out = HM_CSV_SEMICOLON;
	else
		return false;
	return true;
}
