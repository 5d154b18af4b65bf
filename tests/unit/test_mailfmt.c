// SPDX-License-Identifier: MIT
// Internet messages (src/util/mailfmt.c): RFC 5322 dates, headers folded under 78
// characters, RFC 2047 encoded-words for anything but plain ASCII (at most 75
// characters, never splitting a UTF-8 character, decoding back to the text),
// quoted-printable bodies (lines under 77, CRLF, round trip), and the whole
// message with the MIME headers. Header injection through a subject is impossible.
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/mailfmt.h"
#include "harreman/timefmt.h"

/* ---- helpers: decoders written from the RFCs, independent of the encoder ------ */

/* The longest line of text (CRLF-separated), in octets. */
static size_t longest_line(const char *text)
{
	size_t longest = 0;
	for (const char *p = text; *p;) {
		const char *end = strstr(p, "\r\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > longest)
			longest = len;
		p += len + (end ? 2 : 0);
	}
	return longest;
}

/* A bare LF or CR anywhere? */
static bool has_bare_line_break(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			return true;
		if (*p == '\r' && p[1] != '\n')
			return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes quoted-printable (soft breaks removed, CRLF back to LF). */
static char *qp_decode(const char *in)
{
	char *out = malloc(strlen(in) + 1);
	size_t n = 0;
	for (const char *p = in; *p;) {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
			p += 3;
		} else if (p[0] == '=' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			out[n++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 3;
		} else if (p[0] == '\r' && p[1] == '\n') {
			out[n++] = '\n';
			p += 2;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

/* Decodes the value of a header line block ("Subject: ...\r\n ...\r\n") made of
 * encoded-words; checks each word's shape and that each holds whole characters. */
static char *words_decode(const char *header, bool *words_ok)
{
	char *out = calloc(1, 4096);
	size_t n = 0;
	*words_ok = true;
	const char *p = strchr(header, ':') + 1;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		const char *start = p;
		p += 10;
		const char *end = strstr(p, "?=");
		if (!end)
			break;
		if ((size_t)(end + 2 - start) > 75)
			*words_ok = false;
		unsigned char bin[128];
		size_t len = 0;
		if (sodium_base642bin(bin, sizeof bin, p, (size_t)(end - p), NULL, &len, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			*words_ok = false;
		/* Whole characters: the chunk must not begin with a continuation byte nor
		 * end inside a sequence. */
		if (len && (bin[0] & 0xC0) == 0x80)
			*words_ok = false;
		for (size_t k = len; k > 0 && k > len - 4; k--) {
			unsigned char c = bin[k - 1];
			if ((c & 0xC0) == 0xC0) {
				size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
				if (len - (k - 1) < need)
					*words_ok = false;
				break;
			}
			if (!(c & 0x80))
				break;
		}
		memcpy(out + n, bin, len);
		n += len;
		p = end + 2;
	}
	out[n] = '\0';
	return out;
}

static char *header(const char *name, const char *value)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_mail_header(&b, name, value));
	return hm_buf_detach(&b, NULL);
}

/* ---- tests ------------------------------------------------------------------------- */

static void test_dates(void)
{
	char d[HM_MAIL_DATE_LEN];
	hm_mail_date(0, d);
	CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	int64_t t = 0;
	CHECK(hm_time_parse("2026-11-24T15:00:09Z", &t));
	hm_mail_date(t, d);
	CHECK_STR(d, "Tue, 24 Nov 2026 15:00:09 +0000");
	CHECK(hm_time_parse("2028-02-29T23:59:59+01:00", &t));
	hm_mail_date(t, d);
	CHECK_STR(d, "Tue, 29 Feb 2028 22:59:59 +0000");
	CHECK(hm_time_parse("1969-12-31T23:00:00Z", &t));
	hm_mail_date(t, d);
	CHECK_STR(d, "Wed, 31 Dec 1969 23:00:00 +0000");
}

static void test_addresses(void)
{
	CHECK(hm_mail_address_ok("ane@example.com"));
	CHECK(hm_mail_address_ok("noreply@localhost"));
	CHECK(hm_mail_address_ok("a.b+tag@sub.example.eus"));
	CHECK(!hm_mail_address_ok(NULL));
	CHECK(!hm_mail_address_ok(""));
	CHECK(!hm_mail_address_ok("ane"));
	CHECK(!hm_mail_address_ok("@example.com"));
	CHECK(!hm_mail_address_ok("ane@"));
	CHECK(!hm_mail_address_ok("a@b@c"));
	CHECK(!hm_mail_address_ok("ane@example.com\r\nBcc: x@y.z"));
	CHECK(!hm_mail_address_ok("ane <ane@example.com>"));
	CHECK(!hm_mail_address_ok("ane@exa mple.com"));
	CHECK(!hm_mail_address_ok("\"a\"@example.com"));
	CHECK(!hm_mail_address_ok("iñaki@example.com"));
	CHECK_STR(hm_mail_domain("ane@example.com"), "example.com");
	CHECK(hm_mail_domain("ane") == NULL);
}

static void test_plain_headers_fold_under_78(void)
{
	char *h = header("Subject", "Lesson booked: Maths");
	CHECK_STR(h, "Subject: Lesson booked: Maths\r\n");
	free(h);
	const char *long_text =
		"Re: a question about the prices of the group lessons for next term and whether "
		"siblings get a discount when both of them come on the same afternoon";
	h = header("Subject", long_text);
	CHECK(longest_line(h) <= 78);
	CHECK(strstr(h, "\r\n ") != NULL); /* folded */
	CHECK(!has_bare_line_break(h));
	/* Unfolding (removing CRLF before the space) gives the text back. */
	char unfolded[512];
	size_t n = 0;
	for (const char *p = h + strlen("Subject: "); *p; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			p++;
			continue;
		}
		unfolded[n++] = *p;
	}
	unfolded[n] = '\0';
	CHECK_STR(unfolded, long_text);
	free(h);
}

static void test_non_ascii_headers_are_encoded_words(void)
{
	bool ok = false;
	const char *text =
		"Clase reservada: Matemáticas — ¡Hasta pronto, Iñaki! €€€ 日本語のテキスト "
		"y un texto bastante largo para que haga falta más de una palabra codificada";
	char *h = header("Subject", text);
	CHECK(strncmp(h, "Subject: =?UTF-8?B?", 19) == 0);
	CHECK(longest_line(h) <= 76);
	CHECK(!has_bare_line_break(h));
	for (const unsigned char *p = (const unsigned char *)h; *p; p++)
		CHECK(*p < 0x80);
	char *back = words_decode(h, &ok);
	CHECK(ok);
	CHECK_STR(back, text);
	free(back);
	free(h);

	/* Plain ASCII that looks like an encoded-word is encoded too. */
	h = header("Subject", "=?UTF-8?B?aGk=?=");
	back = words_decode(h, &ok);
	CHECK_STR(back, "=?UTF-8?B?aGk=?=");
	free(back);
	free(h);

	/* Every length around the word boundary, with 2-, 3- and 4-byte characters. */
	static const char *const chars[] = {"é", "€", "😀"};
	for (size_t c = 0; c < 3; c++) {
		for (int len = 1; len < 60; len++) {
			char in[400] = "";
			for (int k = 0; k < len; k++)
				snprintf(in + strlen(in), sizeof in - strlen(in), "%s", chars[c]);
			h = header("Subject", in);
			back = words_decode(h, &ok);
			CHECK(ok);
			CHECK(longest_line(h) <= 76);
			CHECK_STR(back, in);
			free(back);
			free(h);
		}
	}
}

static void test_no_header_injection(void)
{
	char *h = header("Subject", "Hello\r\nBcc: victim@example.com\r\n\r\nbody");
	/* One header: the only CRLFs are folds (followed by a space) and the last one. */
	const char *p = h;
	int breaks = 0;
	while ((p = strstr(p, "\r\n")) != NULL) {
		if (p[2] != ' ' && p[2] != '\0')
			CHECK(false);
		breaks += p[2] == '\0';
		p += 2;
	}
	CHECK_INT(breaks, 1);
	free(h);
	h = header("Subject", "Kaixo\nBcc: x@y.z ñ");
	CHECK(strchr(h, '\n') == strrchr(h, '\n'));
	free(h);
}

static void test_quoted_printable(void)
{
	const char *text =
		"Kaixo, Iñaki:\n"
		"a=b and 100% sure\n"
		"trailing space \n"
		"trailing tab\t\n"
		".a line starting with a dot\n"
		"From the start of a line\n"
		"\n"
		"A long line that goes on and on and on, well past the seventy-six characters a "
		"quoted-printable line may hold, with ñ, € and 😀 in it, and on again so that it "
		"needs more than one soft line break to fit: the end.\n"
		"last line without a break";
	struct hm_buf b;
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_mail_qp(&b, text, strlen(text)));
	CHECK(longest_line(b.data) <= 76);
	CHECK(!has_bare_line_break(b.data));
	for (const unsigned char *p = (const unsigned char *)b.data; *p; p++)
		CHECK(*p < 0x80 && (*p >= 0x20 || *p == '\r' || *p == '\n'));
	CHECK(strstr(b.data, "trailing space=20\r\n") != NULL);
	CHECK(strstr(b.data, "trailing tab=09\r\n") != NULL);
	CHECK(strstr(b.data, "\r\n=2Ea line") != NULL);
	CHECK(strstr(b.data, "\r\n=46rom the start") != NULL);
	CHECK(strstr(b.data, "a=3Db") != NULL);
	/* No line of the encoding starts with a dot. */
	CHECK(strstr(b.data, "\r\n.") == NULL);
	/* It ends with one line break, after the last line. */
	CHECK(b.len >= 2 && strcmp(b.data + b.len - 2, "\r\n") == 0);
	char *back = qp_decode(b.data);
	char expect[1024];
	snprintf(expect, sizeof expect, "%s\n", text);
	CHECK_STR(back, expect);
	free(back);
	hm_buf_release(&b);

	/* Text ending in a line break gets no extra empty line; CRLF input is fine. */
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_mail_qp(&b, "one\r\ntwo\n", 9));
	CHECK_STR(b.data, "one\r\ntwo\r\n");
	hm_buf_release(&b);
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_mail_qp(&b, "", 0));
	CHECK_STR(b.data, "\r\n");
	hm_buf_release(&b);
	/* Regression (found by fuzz_mail_ical): a lone CR at the very end of the text
	 * was dropped as if it began a CRLF; it is text, and is escaped. */
	hm_buf_init(&b, 1 << 16);
	CHECK(hm_mail_qp(&b, "ab\r", 3));
	CHECK_STR(b.data, "ab=0D\r\n");
	hm_buf_release(&b);
	/* A soft break never splits an escape: every "=" is followed by two hex digits
	 * or by the line break. */
	hm_buf_init(&b, 1 << 16);
	char ones[400] = "";
	for (int k = 0; k < 100; k++)
		snprintf(ones + strlen(ones), sizeof ones - strlen(ones), "ñ");
	CHECK(hm_mail_qp(&b, ones, strlen(ones)));
	for (const char *p = b.data; (p = strchr(p, '=')) != NULL; p++)
		CHECK((p[1] == '\r' && p[2] == '\n') || (hexval(p[1]) >= 0 && hexval(p[2]) >= 0));
	hm_buf_release(&b);
}

static void test_whole_message(void)
{
	struct hm_buf b;
	hm_buf_init(&b, 1 << 16);
	struct hm_mail m = {
		.from = "noreply@harreman.eus",
		.to = "ane@example.com",
		.subject = "Clase reservada: Matemáticas",
		.body = "Hola, Ane:\n\nTu clase está reservada.\n",
		.message_id = "<1795442313.773b44299c9789f9@harreman.eus>",
		.date = 1795442313,
	};
	CHECK(hm_mail_format(&b, &m));
	const char *text = b.data;
	CHECK(strncmp(text, "Date: ", 6) == 0);
	CHECK(strstr(text, "\r\nFrom: noreply@harreman.eus\r\n") != NULL);
	CHECK(strstr(text, "\r\nTo: ane@example.com\r\n") != NULL);
	CHECK(strstr(text, "\r\nSubject: =?UTF-8?B?") != NULL);
	CHECK(strstr(text, "\r\nMessage-ID: <1795442313.773b44299c9789f9@harreman.eus>\r\n") !=
	      NULL);
	CHECK(strstr(text, "\r\nMIME-Version: 1.0\r\n") != NULL);
	CHECK(strstr(text, "\r\nContent-Type: text/plain; charset=UTF-8\r\n") != NULL);
	CHECK(strstr(text, "\r\nContent-Transfer-Encoding: quoted-printable\r\n") != NULL);
	CHECK(strstr(text, "\r\nAuto-Submitted: auto-generated\r\n") != NULL);
	const char *blank = strstr(text, "\r\n\r\n");
	CHECK(blank != NULL);
	CHECK(blank && strstr(blank + 4, "est=C3=A1 reservada") != NULL);
	CHECK(!has_bare_line_break(text));
	CHECK(longest_line(text) <= 78);
	hm_buf_release(&b);

	/* Unsafe addresses or ids are refused, not written. */
	struct hm_mail bad = m;
	bad.to = "ane@example.com\r\nBcc: x@y.z";
	hm_buf_init(&b, 1 << 16);
	CHECK(!hm_mail_format(&b, &bad));
	bad = m;
	bad.message_id = "no-brackets@x";
	CHECK(!hm_mail_format(&b, &bad));
	bad.message_id = "<a b@x>";
	CHECK(!hm_mail_format(&b, &bad));
	hm_buf_release(&b);
}

int main(void)
{
	RUN(test_dates);
	RUN(test_addresses);
	RUN(test_plain_headers_fold_under_78);
	RUN(test_non_ascii_headers_are_encoded_words);
	RUN(test_no_header_injection);
	RUN(test_quoted_printable);
	RUN(test_whole_message);
	return CHECK_EXIT();
}
