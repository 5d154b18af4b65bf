/* SPDX-License-Identifier: MIT */
/* Payments, balances and SEPA mandates in the database (sql/0014_payments.sql):
 * a payment and how it settles invoices (the allocation trigger moves each
 * invoice's paid_cents and status; the invoices' triggers refuse overpaying), a
 * family's balance and overdue invoices, mandates with their IBAN masked in every
 * JSON made here. A family pays as one: a payment settles the oldest unpaid
 * invoices of every member, and the balance is the family's. All functions borrow
 * the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_PAYMENTS_H
#define HARREMAN_DB_PAYMENTS_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"

/* HM_OK when client_id is a client, HM_ERR_NOT_FOUND when not (or the read's
 * error): the first step of every payment and mandate function. */
enum hm_err hm_db_payments_client_found(struct hm_db *db, int64_t client_id);

/* POST /payments, checked by the caller (method borrowed). invoice_id 0: the
 * client's oldest unpaid invoices first. */
struct hm_payment_input {
	int64_t client_id, invoice_id, amount_cents, paid_at;
	int64_t direct_debit_id; /* 0: none (the run that collected it) */
	const char *method;
};

/* Records in and settles invoices, audited ("payment.create"), and queues its
 * receipt (src/db/outbox.c, env borrowed), in one transaction. Without an invoice
 * it spreads over the unpaid invoices no open direct-debit run holds.
 * HM_ERR_NOT_FOUND: no such client, or the invoice is not the client's;
 * HM_ERR_IN_DIRECT_DEBIT: an open run holds the invoice;
 * HM_ERR_VALIDATION_FAILED: more than is due. *out {id, client_id, method,
 * amount_cents, paid_at, allocations: [{invoice_id, amount_cents}]}. */
struct hm_outbox_env;
enum hm_err hm_db_payments_create(struct hm_db *db, const struct hm_payment_input *in,
				  const struct hm_actor *who, const struct hm_outbox_env *env,
				  json_t **out);

/* Inside the caller's transaction: writes the payment row of in (no allocation),
 * *id its id. */
enum hm_err hm_db_payments_insert(struct hm_db *db, const struct hm_payment_input *in,
				  const struct hm_actor *who, int64_t *id);

/* Inside the caller's transaction: amount_cents (negative: undone) of payment_id
 * settles invoice_id (the trigger moves the invoice; overpaying fails). */
enum hm_err hm_db_payments_allocate(struct hm_db *db, int64_t payment_id, int64_t invoice_id,
				    int64_t amount_cents);

/* One page of payments (id > after, by id) of client_id (0: all). */
enum hm_err hm_db_payments_list(struct hm_db *db, int64_t client_id, int64_t after, int limit,
				json_t **items, int64_t *next_after);

/* *out {invoiced_cents, paid_cents, due_cents, overdue: [invoice ids]} of client_id's
 * family (HM_ERR_NOT_FOUND when no such client); overdue: not paid HM_OVERDUE_DAYS after
 * issue, as of now. */
enum hm_err hm_db_payments_balance(struct hm_db *db, int64_t client_id, int64_t now, json_t **out);

/* A new mandate, checked by the caller (iban compact and valid). */
struct hm_mandate_input {
	const char *iban, *holder_name, *signed_on;
};

/* Creates an active mandate for client_id with the next reference, audited
 * ("mandate.create", without the IBAN). HM_ERR_NOT_FOUND: no such client;
 * HM_ERR_CONFLICT: the client has an active mandate. *out {id, client_id,
 * reference, iban_masked, holder_name, signed_on, status}. */
enum hm_err hm_db_mandates_create(struct hm_db *db, int64_t client_id,
				  const struct hm_mandate_input *in, const struct hm_actor *who,
				  json_t **out);

/* Revokes mandate id, audited. HM_ERR_NOT_FOUND, or HM_ERR_CONFLICT when already
 * revoked. *out as hm_db_mandates_create. */
enum hm_err hm_db_mandates_revoke(struct hm_db *db, int64_t id, const struct hm_actor *who,
				  json_t **out);

/* The mandates of client_id, oldest first (HM_ERR_NOT_FOUND: no such client). */
enum hm_err hm_db_mandates_list(struct hm_db *db, int64_t client_id, json_t **items);

#endif
