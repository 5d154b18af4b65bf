/* SPDX-License-Identifier: MIT */
/* TicketBAI signing in the database (sql/0013_tbai.sql): the signer thread reads
 * the lowest pending invoice with everything its file needs (the business, the
 * invoice it rectifies, the previous invoice of the chain) and stores the signed
 * file in one transaction. The chain order is the database's trigger too. All
 * functions borrow the connection. */
#ifndef HARREMAN_DB_TBAI_H
#define HARREMAN_DB_TBAI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
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

/* *out: the lowest pending invoice above id after (0: the lowest of all; the
 * signer passes the last one it signed and has not stored yet, whose signature the
 * result's prev_signature then lacks). HM_ERR_NOT_FOUND when none is pending or
 * the business is not set (nothing can be signed then). */
enum hm_err hm_db_tbai_next_pending(struct hm_db *db, int64_t after,
				    struct hm_db_tbai_pending *out);

/* The signed file of a pending invoice. */
struct hm_db_tbai_signed {
	int64_t id;      /* the invoice */
	int64_t prev_id; /* the invoice it was chained to (0: none): must still be its
			  * predecessor */
	const char *xml, *signature, *tbai_id, *qr_url;
	int64_t signed_at;
};

/* Stores s[0..n) in that order and marks each invoice signed, all in one
 * transaction (one commit for a batch of signatures; no audit row: the signer is
 * the server itself, and signed_at with the file is the record). HM_ERR_CONFLICT
 * (nothing changed) when one of them is no longer pending, a lower one is still
 * pending, or its prev_id is not its predecessor. */
enum hm_err hm_db_tbai_store_signed(struct hm_db *db, const struct hm_db_tbai_signed *s, size_t n);

/* ---- sending (--tbai-url) ---- */

/* *id and *xml (caller frees) of the lowest invoice signed and not sent yet (status
 * 'signed'), with *attempts: its submissions so far. HM_ERR_NOT_FOUND when none. */
enum hm_err hm_db_tbai_next_to_send(struct hm_db *db, int64_t *id, char **xml, int *attempts);

/* One answer to a submission (texts borrowed, may be NULL). */
struct hm_db_tbai_answer {
	int64_t invoice_id, sent_at;
	int http_status;    /* 0: no answer */
	const char *estado; /* "00", "01", or NULL */
	const char *codes, *body, *error;
};

/* Records a as the invoice's next submission and, when the treasury answered with
 * an Estado, its status (accepted / rejected, codes into tbai_error) or, for a 2xx
 * without one, 'sent'; after a network error or 5xx the invoice stays 'signed' (to
 * be retried). One transaction; the submission row is the record (no audit row). */
enum hm_err hm_db_tbai_record(struct hm_db *db, const struct hm_db_tbai_answer *a);

/* POST /invoices/{id}/tbai/retry: puts a sent, accepted or rejected invoice back to
 * 'signed' so that it is sent again, audited; *out the invoice (as
 * hm_db_invoices_get). HM_ERR_CONFLICT while it is pending (nothing to send),
 * HM_ERR_NOT_FOUND without it. */
enum hm_err hm_db_tbai_retry(struct hm_db *db, int64_t id, const struct hm_actor *who,
			     json_t **out);

/* One page of submissions, id > after, by id: *items [{id, invoice_id, attempt,
 * sent_at, http_status, estado, codes, body, error}] (caller owns), *next_after. */
enum hm_err hm_db_tbai_submissions(struct hm_db *db, int64_t after, int limit, json_t **items,
				   int64_t *next_after);

#endif
