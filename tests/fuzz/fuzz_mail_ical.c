// SPDX-License-Identifier: MIT
// libFuzzer harness: the writers of e-mail and calendars on any bytes, with
// property checks (abort() when one breaks):
//   - hm_mail_header: the result is 7-bit ASCII, every line ends in CRLF, a
//     continuation line starts with a space (so no header can be injected), and
//     when the value needed encoding every line is at most 76 characters;
//   - hm_mail_qp: printable ASCII, tabs and CRLF only, no white space at a line's
//     end, lines at most 76, every "="
//     starts an escape or a soft break, no line starts with ".", and decoding gives
//     the text back (line breaks as "\n", one at the end);
//   - hm_ical_text: lines of at most 75 octets ending in CRLF, continuations start
//     with a space, and for UTF-8 input no line splits a character.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/ical.h"
#include "harreman/mailfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                                 \
	do {                                                                      \
		fprintf(stderr, "fuzz_mail_ical: property broken: " __VA_ARGS__); \
		fprintf(stderr, "\n");                                            \
		abort();                                                          \
	} while (0)

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool valid_utf8(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t need = s[i] < 0x80             ? 1
			      : (s[i] & 0xE0) == 0xC0 ? 2
			      : (s[i] & 0xF0) == 0xE0 ? 3
			      : (s[i] & 0xF8) == 0xF0 ? 4
						      : 0;
		if (!need || i + need > len)
			return false;
		for (size_t k = 1; k < need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
		i += need;
	}
	return true;
}

/* Checks CRLF line structure; returns the longest line. */
static size_t lines_of(const char *text, size_t len, bool continuations_indented)
{
	size_t longest = 0, start = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
			FAIL("bare LF at %zu", i);
		if (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))
			FAIL("bare CR at %zu", i);
		if (text[i] == '\n') {
			size_t line = i - 1 - start;
			if (line > longest)
				longest = line;
			if (continuations_indented && i + 1 < len && text[i + 1] != ' ')
				FAIL("a line after a fold does not start with a space");
			start = i + 1;
		}
	}
	if (start != len)
		FAIL("the text does not end with CRLF");
	return longest;
}

static void check_header(const char *value)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 20);
	if (!hm_mail_header(&b, "Subject", value))
		FAIL("hm_mail_header failed");
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] >= 0x80 ||
		    (b.data[i] < 0x20 && b.data[i] != '\r' && b.data[i] != '\n'))
			FAIL("byte 0x%02x in a header", (unsigned char)b.data[i]);
	size_t longest = lines_of(b.data, b.len, true);
	if (strstr(b.data, "=?UTF-8?B?") && longest > 76)
		FAIL("an encoded header line of %zu characters", longest);
	hm_buf_release(&b);
}

static void check_qp(const uint8_t *data, size_t size)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 22);
	if (!hm_mail_qp(&b, (const char *)data, size))
		FAIL("hm_mail_qp failed");
	if (lines_of(b.data, b.len, false) > 76)
		FAIL("a quoted-printable line over 76");
	char *back = malloc(b.len + 1), *want = malloc(size + 2);
	size_t n = 0, w = 0;
	for (size_t i = 0; i < b.len; i++) {
		char c = b.data[i];
		if ((unsigned char)c >= 0x7f || (c < 0x20 && c != '\r' && c != '\n' && c != '\t'))
			FAIL("byte 0x%02x in quoted-printable", (unsigned char)c);
		if ((c == ' ' || c == '\t') && i + 1 < b.len && b.data[i + 1] == '\r')
			FAIL("white space at the end of a line");
		if (c == '.' && (i == 0 || b.data[i - 1] == '\n'))
			FAIL("a line starts with a dot");
		if (c == '=' && i + 2 < b.len && b.data[i + 1] == '\r' && b.data[i + 2] == '\n') {
			i += 2;
		} else if (c == '=') {
			if (i + 2 >= b.len || hexval(b.data[i + 1]) < 0 ||
			    hexval(b.data[i + 2]) < 0)
				FAIL("a bad escape");
			back[n++] = (char)(hexval(b.data[i + 1]) * 16 + hexval(b.data[i + 2]));
			i += 2;
		} else if (c == '\r') {
			back[n++] = '\n';
			i++;
		} else {
			back[n++] = c;
		}
	}
	/* The text with "\r\n" as "\n", ending in one "\n". */
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
			continue;
		want[w++] = (char)data[i];
	}
	if (w == 0 || want[w - 1] != '\n')
		want[w++] = '\n';
	if (n != w || memcmp(back, want, n) != 0)
		FAIL("quoted-printable does not decode to the text");
	free(back);
	free(want);
	hm_buf_release(&b);
}

static void check_ical(const char *value, size_t len)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 22);
	if (!hm_ical_text(&b, "DESCRIPTION", value))
		FAIL("hm_ical_text failed");
	if (lines_of(b.data, b.len, true) > 75)
		FAIL("an iCalendar line over 75 octets");
	if (valid_utf8((const unsigned char *)value, len)) {
		size_t start = 0;
		for (size_t i = 0; i + 1 < b.len; i++)
			if (b.data[i] == '\r' && b.data[i + 1] == '\n') {
				if (!valid_utf8((const unsigned char *)b.data + start, i - start))
					FAIL("a fold split a UTF-8 character");
				start = i + 2;
			}
	}
	hm_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	check_header(text);
	check_qp(data, size);
	check_ical(text, strlen(text));
	free(text);
	return 0;
}
