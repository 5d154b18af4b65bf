/* SPDX-License-Identifier: MIT */
/* The e-mail the business sends, as pure functions: for each kind of message and
 * each language of a client (Basque, Spanish, English; Basque by default) a
 * subject and a plain-text body, filled in from named parameters. Times come in
 * already converted to the business's local wall-clock time, so nothing here reads
 * a clock or a time zone. */
#ifndef HARREMAN_MESSAGES_H
#define HARREMAN_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/buf.h"

enum hm_msg_kind {
	HM_MSG_LESSON_BOOKED,
	HM_MSG_LESSON_CANCELLED,
	HM_MSG_LESSON_REMINDER,
	HM_MSG_INQUIRY_RECEIVED,
	HM_MSG_INQUIRY_ANSWERED,
	HM_MSG_WAITLIST_REGISTERED, /* a freed event place went to the first in line */
	HM_MSG_WAITLIST_OFFER,      /* a freed group seat is held for the first in line */
	HM_MSG_PAYMENT_RECEIPT,     /* a payment was recorded: what it settled */
	HM_MSG_DEBIT_NOTICE,        /* the pre-notification of a direct debit */
	HM_MSG_INVOICE_OVERDUE,     /* an invoice unpaid 30 days after issue */
	HM_MSG_KIND_COUNT
};

enum hm_locale { HM_LOCALE_EU, HM_LOCALE_ES, HM_LOCALE_EN, HM_LOCALE_COUNT };

/* "lesson_booked", ... (the outbox's `kind`). */
const char *hm_msg_kind_name(enum hm_msg_kind kind);

/* The locale of a name: "es" and "en"; anything else (NULL included) is Basque. */
enum hm_locale hm_locale_from_name(const char *name);
/* "eu", "es", "en". */
const char *hm_locale_name(enum hm_locale locale);

/* A local wall-clock instant. */
struct hm_local_time {
	int year, month, day; /* month 1..12 */
	int weekday;          /* ISO: 1 = Monday ... 7 = Sunday */
	int hour, minute;
};

/* A suggested answer an inquiry's acknowledgement carries (borrowed). */
struct hm_msg_answer {
	const char *question, *answer;
};

/* An invoice a payment message names (borrowed number): its amount settled,
 * collected or due. */
struct hm_msg_invoice {
	const char *number;
	long long amount_cents;
};

/* What a message speaks of; every pointer is borrowed and may be NULL when the
 * kind does not use it (it is then written as empty). */
struct hm_msg_params {
	const char *name;                  /* the recipient */
	const char *service, *tutor;       /* lessons */
	const struct hm_local_time *times; /* lessons: each start, local time */
	size_t n_times;
	const char *zone;       /* the business time zone, "Europe/Madrid" (written in words) */
	const char *public_url; /* lesson booked: the booking page, for the link to the
				 * student's lessons (NULL or "": no link) */
	/* Lesson booked: what it cost when a contract was made with it (priced), or that
	 * a subscription paid for it (from_subscription); the gift handed out (NULL:
	 * none). */
	bool priced, from_subscription;
	int64_t price_cents;
	int discount_percent;
	const char *gift;
	const char *subject;                 /* inquiries: the inquiry's subject */
	const char *message;                 /* inquiries: what the sender wrote (quoted) */
	const char *reply;                   /* inquiry answered: the answer */
	int response_hours;                  /* inquiry received: promised hours, 0 for none */
	const struct hm_msg_answer *answers; /* inquiry received: suggested answers */
	size_t n_answers;
	const char *title;                     /* waitlist registered: the event's title */
	const struct hm_local_time *deadline;  /* waitlist offer: held until, local time */
	long long amount_cents;                /* payments: paid, to collect or due */
	const struct hm_local_time *date;      /* payments: paid on, collected on, issued on */
	const struct hm_msg_invoice *invoices; /* receipt, notice: each invoice ({invoices}) */
	size_t n_invoices;
	const char *invoice;   /* overdue: the invoice's number */
	const char *reference; /* debit notice: the mandate reference */
	const char *creditor;  /* debit notice: the creditor identifier */
};

/* Appends the subject (one line) and the body ("\n" line ends) of kind in locale.
 * False when a buffer is full or kind or locale is out of range. */
bool hm_msg_render(enum hm_msg_kind kind, enum hm_locale locale, const struct hm_msg_params *p,
		   struct hm_buf *subject, struct hm_buf *body);

/* Appends a local time as the language writes it: "2026ko azaroaren 24a,
 * asteartea, 16:00", "martes, 24 de noviembre de 2026, 16:00", "Tuesday 24
 * November 2026, 16:00". */
bool hm_msg_format_time(enum hm_locale locale, const struct hm_local_time *t, struct hm_buf *out);

/* Appends the date of t alone: "2026ko azaroaren 24a", "24 de noviembre de 2026",
 * "24 November 2026". */
bool hm_msg_format_date(enum hm_locale locale, const struct hm_local_time *t, struct hm_buf *out);

/* Appends an amount of euros as the language writes it: "1.234,50 €" (Basque,
 * Spanish), "€1,234.50" (English); a minus sign before a negative one. */
bool hm_msg_format_amount(enum hm_locale locale, long long cents, struct hm_buf *out);

#endif
