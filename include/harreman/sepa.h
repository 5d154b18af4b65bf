/* SPDX-License-Identifier: MIT */
/* Payment rules as pure functions (src/domain/sepa.c): IBAN (ISO 13616 mod 97, the
 * length of each SEPA country, the Spanish national check digits) and its masked
 * form; the SEPA creditor identifier (AT-02, ISO 7064 MOD 97-10 over the NIF); the
 * TARGET2 calendar and the "two business days ahead" rule of a collection date;
 * FRST or RCUR; a payment spread over the oldest unpaid invoices; text in the SEPA
 * character set. No I/O; every output buffer is the caller's. */
#ifndef HARREMAN_SEPA_H
#define HARREMAN_SEPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HM_IBAN_MAX 34
/* "ES91 **** **** **** **** 1332": at most 34 characters, a space every four. */
#define HM_IBAN_MASKED_MAX 43
#define HM_CREDITOR_ID_MAX 35

/* Whether text (len bytes) is an IBAN: spaces ignored, lower case read as upper;
 * a known SEPA country and its length, mod 97 = 1, and for ES the national check
 * digits. On success out (when not NULL) gets the compact IBAN, NUL-ended. */
bool hm_iban_valid(const char *text, size_t len, char out[HM_IBAN_MAX + 1]);

/* The masked form of a compact valid IBAN: country, check digits and the last four
 * characters, every other character a '*', in groups of four. */
void hm_iban_mask(const char *iban, char out[HM_IBAN_MASKED_MAX + 1]);

/* The creditor identifier of nif with the 3-character business code suffix
 * ("000", "ZZZ"): "ES" + check digits + suffix + nif (spaces and / - ? : ( ) . , ' +
 * dropped, upper case). False when the result would not fit or a character is not
 * 0-9 or A-Z. */
bool hm_creditor_id_make(const char *nif, const char *suffix, char out[HM_CREDITOR_ID_MAX + 1]);

/* Whether text (len bytes) is a creditor identifier: 2 letters, 2 digits, a
 * 3-character business code, a national part whose check digits agree (positions
 * 5-7 excluded); out (when not NULL) gets it compact and upper case. */
bool hm_creditor_id_valid(const char *text, size_t len, char out[HM_CREDITOR_ID_MAX + 1]);

/* Easter Sunday of year y (Gregorian): *month, *day. */
void hm_easter(int y, int *month, int *day);

/* Whether y-m-d is a TARGET2 business day (not a weekend, 1 January, Good Friday,
 * Easter Monday, 1 May, 25 or 26 December). */
bool hm_target2_open(int y, int m, int d);

/* Whether collection ("YYYY-MM-DD") is a TARGET2 business day with at least
 * min_days TARGET2 business days after today and up to it (today not counted). */
bool hm_collection_date_ok(const char *today, const char *collection, int min_days);

/* The sequence type of a mandate's next collection: "RCUR" once a collection under
 * it has been settled and not returned, else "FRST". */
const char *hm_sepa_sequence(bool collected_before);

/* A payment of amount cents spread over invoices with due[0..n) cents still due,
 * oldest first: applied[i] gets what settles invoice i (the oldest fully first).
 * False (applied untouched) when amount <= 0 or more than the sum due. */
bool hm_payment_allocate(const int64_t *due, size_t n, int64_t amount, int64_t *applied);

/* Whether code is an ISO 20022 return/reject reason code a bank sends back for a
 * SEPA direct debit (AC01, AM04, MD01, MS02, ...). */
bool hm_sepa_reason_known(const char *code);

/* UTF-8 text in the SEPA character set (a-z A-Z 0-9 / - ? : ( ) . , ' + space):
 * Ñ → N, Ç → C, accented Latin vowels → the vowel, anything else → a space; at most
 * max characters, written NUL-ended into out (cap bytes, cap > max). */
void hm_sepa_text(const char *utf8, char *out, size_t cap, size_t max);

#endif
