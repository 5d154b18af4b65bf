// SPDX-License-Identifier: MIT
// Internet messages (include/harreman/mailfmt.h): dates, RFC 2047 header
// encoding, quoted-printable bodies and the whole message. Pure: the sender thread
// and the unit tests call it alike.
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "harreman/mailfmt.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* RFC 5322's recommended limit, and RFC 2047's for lines holding encoded-words. */
#define LINE_SOFT 78
#define EW_LINE 76
#define EW_MAX 75
#define EW_OVERHEAD 12 /* "=?UTF-8?B?" and "?=" */

void hm_mail_date(int64_t t, char out[HM_MAIL_DATE_LEN])
{
	static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t day = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		day--;
	}
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		y = 1970;
		m = d = 1;
		day = rem = 0;
	}
	int64_t weekday = ((day % 7) + 7) % 7; /* 1970-01-01 was a Thursday */
	char text[64];
	snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d +0000", days[weekday], d,
		 months[m - 1], (int)y, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	memcpy(out, text, HM_MAIL_DATE_LEN - 1);
	out[HM_MAIL_DATE_LEN - 1] = '\0';
}

static bool is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

bool hm_mail_address_ok(const char *addr)
{
	const char *at = addr ? strchr(addr, '@') : NULL;
	if (!at || at == addr || strchr(at + 1, '@') || strlen(addr) > 254 || !at[1])
		return false;
	for (const char *p = addr; p < at; p++)
		if (!is_atext((unsigned char)*p))
			return false;
	for (const char *p = at + 1; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return false;
	}
	return true;
}

const char *hm_mail_domain(const char *addr)
{
	const char *at = addr ? strchr(addr, '@') : NULL;
	return at && at[1] ? at + 1 : NULL;
}

/* Printable ASCII and no "=?" (which a reader could take for an encoded-word). */
static bool is_plain(const char *value)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p > 0x7e || (p[0] == '=' && p[1] == '?'))
			return false;
	return true;
}

static bool header_plain(struct hm_buf *out, size_t line, const char *value)
{
	const char *p = value;
	bool first = true;
	while (*p) {
		/* A token: the spaces before it (the folding point) and its word. */
		const char *start = p;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		size_t len = (size_t)(p - start);
		if (!first && start[0] == ' ' && line + len > LINE_SOFT - 2) {
			if (!hm_buf_append(out, "\r\n", 2))
				return false;
			line = 0;
		}
		if (!hm_buf_append(out, start, len))
			return false;
		line += len;
		first = false;
	}
	return true;
}

/* The length of the longest run of whole UTF-8 characters of text[0..len) that
 * fits in max bytes. */
static size_t whole_chars(const unsigned char *text, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && (text[n] & 0xC0) == 0x80)
		n--;
	return n ? n : max; /* a broken sequence: cut anywhere rather than loop */
}

static bool header_encoded(struct hm_buf *out, size_t line, const char *value)
{
	/* Control characters are dropped first; the rest is encoded as it is. */
	unsigned char clean[1024];
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)value; *p && len < sizeof clean; p++)
		if (*p >= 0x20 && *p != 0x7f)
			clean[len++] = *p;
	size_t done = 0;
	while (done < len) {
		size_t room = EW_LINE - line;
		if (room > EW_MAX)
			room = EW_MAX;
		size_t bytes = room > EW_OVERHEAD ? (room - EW_OVERHEAD) / 4 * 3 : 0;
		if (bytes < 6) { /* too little room left on this line: fold first */
			if (!hm_buf_append(out, "\r\n ", 3))
				return false;
			line = 1;
			continue;
		}
		size_t take = whole_chars(clean + done, len - done, bytes);
		char b64[128];
		sodium_bin2base64(b64, sizeof b64, clean + done, take,
				  sodium_base64_VARIANT_ORIGINAL);
		if (!hm_buf_printf(out, "=?UTF-8?B?%s?=", b64))
			return false;
		line += EW_OVERHEAD + strlen(b64);
		done += take;
		if (done < len) {
			if (!hm_buf_append(out, "\r\n ", 3))
				return false;
			line = 1;
		}
	}
	return true;
}

bool hm_mail_header(struct hm_buf *out, const char *name, const char *value)
{
	size_t line = strlen(name) + 2;
	if (!hm_buf_printf(out, "%s: ", name))
		return false;
	bool ok = is_plain(value) ? header_plain(out, line, value)
				  : header_encoded(out, line, value);
	return ok && hm_buf_append(out, "\r\n", 2);
}

bool hm_mail_qp(struct hm_buf *out, const char *text, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0;
	while (i < len || i == 0) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		size_t stop = end;
		if (stop > i && end < len && text[stop - 1] == '\r')
			stop--; /* a CRLF; a lone CR at the very end is text, escaped */
		size_t col = 0;
		for (size_t k = i; k < stop; k++) {
			unsigned char c = (unsigned char)text[k];
			bool last = k + 1 == stop;
			bool plain = (c >= 33 && c <= 126 && c != '=') ||
				     ((c == ' ' || c == '\t') && !last);
			if (c == '.' && col == 0)
				plain = false; /* SMTP's end-of-data marker */
			if (c == 'F' && col == 0 && stop - k >= 5 &&
			    memcmp(text + k, "From ", 5) == 0)
				plain = false; /* mbox readers would mangle it */
			size_t width = plain ? 1 : 3;
			if (col + width > 75) {
				if (!hm_buf_append(out, "=\r\n", 3))
					return false;
				col = 0;
				if (c == '.') {
					plain = false;
					width = 3;
				}
			}
			char unit[3] = {(char)c, 0, 0};
			if (!plain) {
				unit[0] = '=';
				unit[1] = hex[c >> 4];
				unit[2] = hex[c & 15];
			}
			if (!hm_buf_append(out, unit, width))
				return false;
			col += width;
		}
		if (!hm_buf_append(out, "\r\n", 2))
			return false;
		if (end >= len)
			break;
		i = end + 1;
		if (i == len)
			break; /* the text ended with a line break: no empty line after it */
	}
	return true;
}

static bool message_id_ok(const char *id)
{
	size_t len = id ? strlen(id) : 0;
	if (len < 5 || len > 250 || id[0] != '<' || id[len - 1] != '>' || !strchr(id, '@'))
		return false;
	for (size_t i = 1; i + 1 < len; i++)
		if (!is_atext((unsigned char)id[i]) && id[i] != '@')
			return false;
	return true;
}

bool hm_mail_format(struct hm_buf *out, const struct hm_mail *mail)
{
	char date[HM_MAIL_DATE_LEN];
	if (!hm_mail_address_ok(mail->from) || !hm_mail_address_ok(mail->to) ||
	    !message_id_ok(mail->message_id))
		return false;
	hm_mail_date(mail->date, date);
	return hm_buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\n", date, mail->from,
			     mail->to) &&
	       hm_mail_header(out, "Subject", mail->subject) &&
	       hm_buf_printf(out,
			     "Message-ID: %s\r\n"
			     "MIME-Version: 1.0\r\n"
			     "Content-Type: text/plain; charset=UTF-8\r\n"
			     "Content-Transfer-Encoding: quoted-printable\r\n"
			     "Auto-Submitted: auto-generated\r\n"
			     "\r\n",
			     mail->message_id) &&
	       hm_mail_qp(out, mail->body, strlen(mail->body));
}
