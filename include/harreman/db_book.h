/* SPDX-License-Identifier: MIT */
/* The accountant's book and the admin's monthly figures (reads only): the invoices
 * issued and the payments taken in a span of the business's local days, and what
 * was invoiced and collected in each month of a year. All functions borrow the
 * connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_BOOK_H
#define HARREMAN_DB_BOOK_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"

/* The most rows one book holds (an academy issues a few thousand a quarter). */
#define HM_BOOK_ROWS_MAX 100000

/* Invoices issued on local days [from_day, to_day) (day numbers, see timefmt.h),
 * by series and number: *items [{number, issued_on, kind, customer_name,
 * customer_tax_id, rectifies, base_cents, vat_percent, vat_cents, total_cents,
 * paid_cents, status}] (number "SERIES-N"; rectifies the rectified invoice's
 * number or null). */
enum hm_err hm_db_book_invoices(struct hm_db *db, int64_t from_day, int64_t to_day, json_t **items);

/* Payments taken on local days [from_day, to_day), by time: *items [{id, paid_at
 * (RFC 3339), paid_on (local date), method, client_id, client_name, amount_cents,
 * settled_cents (what its allocations settle, net of returns), invoices (the
 * numbers it settled, space-separated)}]. */
enum hm_err hm_db_book_payments(struct hm_db *db, int64_t from_day, int64_t to_day, json_t **items);

/* What was invoiced (by issue date; rectifying invoices count negative) and
 * collected (payments by their local date, net of direct debits returned) in each
 * month of year: *out {year, months: [{month: "YYYY-MM", invoiced_cents,
 * collected_cents}] (twelve), invoiced_cents, collected_cents}. */
enum hm_err hm_db_book_monthly(struct hm_db *db, int year, json_t **out);

#endif
