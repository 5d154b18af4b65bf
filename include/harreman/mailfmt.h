/* SPDX-License-Identifier: MIT */
/* Internet messages (RFC 5322 with MIME, RFC 2045-2047) as pure functions: the
 * Date header, header fields encoded per RFC 2047 when they are not plain ASCII
 * and folded under 78 characters, a plain-text UTF-8 body in quoted-printable, and
 * the whole message with CRLF line ends. No I/O, no clock, no locale: everything
 * comes in through the arguments. */
#ifndef HARREMAN_MAILFMT_H
#define HARREMAN_MAILFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/buf.h"

#define HM_MAIL_DATE_LEN 32 /* "Tue, 24 Nov 2026 15:00:00 +0000" and the NUL */

/* One message. Every string is borrowed, UTF-8, NUL-terminated. */
struct hm_mail {
	const char *from;       /* an address, "noreply@example.eus" */
	const char *to;         /* an address */
	const char *subject;    /* one line of text, any script */
	const char *body;       /* text with "\n" line ends */
	const char *message_id; /* "<...@...>" */
	int64_t date;           /* Unix seconds, written in UTC (+0000) */
};

/* Writes t as an RFC 5322 date-time in UTC into out. */
void hm_mail_date(int64_t t, char out[HM_MAIL_DATE_LEN]);

/* True when addr can go into an address header and SMTP unchanged: one
 * local@domain of printable ASCII without spaces, quotes, brackets, commas or
 * control characters, at most 254 bytes. (Guards against header injection.) */
bool hm_mail_address_ok(const char *addr);

/* The domain of an address ("example.eus" for "a@example.eus"), or NULL. Borrowed
 * from addr. */
const char *hm_mail_domain(const char *addr);

/* Appends "Name: value\r\n" to out. A value of printable ASCII (without "=?") is
 * written as is, folded at spaces to keep lines under 78 characters; any other
 * value becomes RFC 2047 encoded-words ("=?UTF-8?B?...?="), each at most 75
 * characters and never splitting a UTF-8 character, on folded lines. Control
 * characters are dropped. False when out is full. */
bool hm_mail_header(struct hm_buf *out, const char *name, const char *value);

/* Appends text as a quoted-printable body (RFC 2045 section 6.7): "\n" (and
 * "\r\n") become CRLF line breaks, lines are soft-broken before 76 characters
 * without splitting an escape, "=", bytes >= 0x80 and control characters are
 * escaped, and so are a space or tab at the end of a line and a "." or "From "
 * at the start of one. False when out is full. */
bool hm_mail_qp(struct hm_buf *out, const char *text, size_t len);

/* Appends the whole message: Date, From, To, Subject, Message-ID, MIME-Version,
 * Content-Type: text/plain; charset=UTF-8, Content-Transfer-Encoding:
 * quoted-printable, Auto-Submitted: auto-generated, a blank line and the body,
 * every line ending in CRLF. False when out is full or an address or the
 * message id is not safe to write. */
bool hm_mail_format(struct hm_buf *out, const struct hm_mail *mail);

#endif
