/* SPDX-License-Identifier: MIT */
/* Invoices in the database (sql/0009_invoices.sql): the business settings (GET|PUT
 * /business), the invoice issued inside the transaction that makes a contract and
 * the rectifying one inside the transaction that cancels it, and the reads of the
 * invoice routes. Invoice numbers, immutability and the write-once TicketBAI
 * columns are the database's triggers. All functions borrow the connection; JSON
 * and text results are owned by the caller. */
#ifndef HARREMAN_DB_INVOICES_H
#define HARREMAN_DB_INVOICES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* The settings PUT /business writes, checked by the caller (borrowed texts;
 * creditor_id and creditor_iban may be NULL). */
struct hm_business_input {
	const char *legal_name, *nif, *address, *postcode, *city, *territory;
	const char *invoice_series, *creditor_id, *creditor_iban;
	bool vat_exempt;
	int vat_percent;
};

/* *out: {legal_name, nif, address, postcode, city, territory, invoice_series,
 * vat_exempt, vat_percent, creditor_id, creditor_iban} (texts null until set). */
enum hm_err hm_db_business_get(struct hm_db *db, json_t **out);

/* Replaces every setting with in, audited ("business.put") in one transaction;
 * *out as hm_db_business_get. */
enum hm_err hm_db_business_put(struct hm_db *db, const struct hm_business_input *in,
			       const struct hm_actor *who, json_t **out);

/* A contract just made, as its invoice needs it. */
struct hm_invoice_contract {
	int64_t contract_id, client_id, service_id, gift_id; /* gift_id 0: none */
	int sessions;
	int64_t unit_cents, discount_cents, price_cents;
	int64_t now;
};

/* Issues the invoice of contract c inside the caller's transaction: full when the
 * client has a tax id and a billing address, else simplified; the next number of
 * the business's series; the business's local date; a line for the contract and a
 * zero line for its gift; VAT exempt or included in the price as /business says.
 * *invoice_id (may be NULL) gets its id. */
enum hm_err hm_db_invoices_issue_contract(struct hm_db *db, const struct hm_invoice_contract *c,
					  int64_t *invoice_id);

/* Inside the caller's transaction that cancels contract contract_id: issues the
 * rectifying invoice of its invoice (series "<series>R", the original's VAT) with
 * negative amounts for unused of its sessions (a one-off: all of it, whatever
 * unused says). Nothing when the contract has no invoice or nothing is refunded. */
enum hm_err hm_db_invoices_rectify_contract(struct hm_db *db, int64_t contract_id, int unused,
					    int64_t now);

/* Invoice id as API.md shows it; client_id 0: any, else only that client's
 * (another's: HM_ERR_NOT_FOUND). */
enum hm_err hm_db_invoices_get(struct hm_db *db, int64_t id, int64_t client_id, json_t **out);

/* One page of invoices, id > after, by id: of client_id (0: all), issued on local
 * days from..to ("YYYY-MM-DD", NULL: open). *items (caller owns), *next_after. */
enum hm_err hm_db_invoices_list(struct hm_db *db, int64_t client_id, const char *from,
				const char *to, int64_t after, int limit, json_t **items,
				int64_t *next_after);

/* hm_db_invoices_list over every client of client_id's family (GET /me/invoices). */
enum hm_err hm_db_invoices_list_family(struct hm_db *db, int64_t client_id, const char *from,
				       const char *to, int64_t after, int limit, json_t **items,
				       int64_t *next_after);

/* The stored TicketBAI XML of invoice id (client_id as hm_db_invoices_get): *xml
 * (caller frees). HM_ERR_CONFLICT while it is pending. */
enum hm_err hm_db_invoices_xml(struct hm_db *db, int64_t id, int64_t client_id, char **xml);

/* What the printed page of invoice id shows (client_id as hm_db_invoices_get):
 * *out {invoice (as hm_db_invoices_get), issued_on, customer: {name, tax_id,
 * address}, rectifies_number ("F-12" or null), locale (the client's), business:
 * {legal_name, nif, address, postcode, city} or null until /business is set}. */
enum hm_err hm_db_invoices_print(struct hm_db *db, int64_t id, int64_t client_id, json_t **out);

#endif
