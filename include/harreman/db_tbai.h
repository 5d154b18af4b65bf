/* SPDX-License-Identifier: MIT */
/* TicketBAI signing in the database (sql/0013_tbai.sql): the signer thread reads
 * the lowest pending invoice with everything its file needs (the business, the
 * invoice it rectifies, the previous invoice of the chain) and stores the signed
 * file in one transaction. The chain order is the database's trigger too. All
 * functions borrow the connection. */
#ifndef HARREMAN_DB_TBAI_H
#define HARREMAN_DB_TBAI_H

#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* The lowest pending invoice and its context; every text is owned (malloc'd) and
 * given back by hm_db_tbai_pending_free. NULL texts are absent values. */
struct hm_db_tbai_pending {
	int64_t id, number, issued_at, base_cents, vat_cents, total_cents;
	int vat_percent;
	char *series, *issued_on, *kind, *customer_name, *customer_tax_id, *customer_address;
	char *lines; /* the invoice's JSON array text */
	/* the invoice it rectifies (rectified_series NULL: not rectifying) */
	char *rectified_series, *rectified_issued_on;
	int64_t rectified_number;
	/* the business */
	char *legal_name, *nif, *address, *postcode, *territory;
	/* the previous invoice of the chain (prev_id 0: this is the first) */
	int64_t prev_id, prev_number;
	char *prev_series, *prev_issued_on, *prev_signature;
};

void hm_db_tbai_pending_free(struct hm_db_tbai_pending *p);

/* *out: the lowest pending invoice. HM_ERR_NOT_FOUND when none is pending or the
 * business is not set (nothing can be signed then). */
enum hm_err hm_db_tbai_next_pending(struct hm_db *db, struct hm_db_tbai_pending *out);

/* The signed file of a pending invoice. */
struct hm_db_tbai_signed {
	int64_t id;      /* the invoice */
	int64_t prev_id; /* the invoice it was chained to (0: none): must still be its
			  * predecessor */
	const char *xml, *signature, *tbai_id, *qr_url;
	int64_t signed_at;
};

/* Stores s and marks the invoice signed, audited ("invoice.signed"), in one
 * transaction. HM_ERR_CONFLICT (nothing changed) when the invoice is no longer
 * pending, a lower one is still pending, or prev_id is not its predecessor. */
enum hm_err hm_db_tbai_store_signed(struct hm_db *db, const struct hm_db_tbai_signed *s);

#endif
