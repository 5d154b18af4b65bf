/* SPDX-License-Identifier: MIT */
/* Direct-debit runs in the database (sql/0014_payments.sql): a run takes the unpaid
 * amount of every invoice of a client with an active mandate that no open run
 * holds, FRST or RCUR per mandate (src/domain/sepa.c); its file's data; settling
 * records a direct_debit payment per collection; returns undo them. A family's
 * books are its client's until the families migration lands. All functions borrow
 * the connection; JSON results are owned by the caller. */
#ifndef HARREMAN_DB_DIRECT_DEBITS_H
#define HARREMAN_DB_DIRECT_DEBITS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"

struct hm_outbox_env;

/* A run for collection_date (checked by the caller), audited, with its
 * pre-notifications queued (one per mandate holder; env borrowed). HM_ERR_CONFLICT when
 * there is nothing to collect. *out {id, collection_date, status, count,
 * total_cents, items: [{invoice_id, client_id, mandate_reference, amount_cents,
 * sequence, returned_reason}]} (count and total_cents: the items not returned). */
enum hm_err hm_db_direct_debits_create(struct hm_db *db, const char *collection_date,
				       const struct hm_actor *who, const struct hm_outbox_env *env,
				       json_t **out);

/* Every run, newest first, at most limit (caller owns *items), as create's. */
enum hm_err hm_db_direct_debits_list(struct hm_db *db, int limit, json_t **items);

/* What run id's pain.008 file says: *out {msg_id, created_at (the run's local
 * YYYY-MM-DDThh:mm:ss is the caller's to make from created_at_unix),
 * created_at_unix, collection_date, business: {legal_name, nif, creditor_id,
 * creditor_iban}, items: [{invoice_id, invoice_number, amount_cents, sequence,
 * reference, signed_on, iban, holder_name}]} with the full IBANs (never logged,
 * never answered but in the file). Items returned are left out. */
enum hm_err hm_db_direct_debits_file(struct hm_db *db, int64_t id, json_t **out);

/* Settles open run id: a direct_debit payment per item not returned, settling its
 * invoice (at most what is still due), each with its receipt queued, audited. HM_ERR_NOT_FOUND; HM_ERR_CONFLICT
 * when settled already. *out as create's. */
enum hm_err hm_db_direct_debits_settle(struct hm_db *db, int64_t id, const struct hm_actor *who,
				       const struct hm_outbox_env *env, json_t **out);

/* A returned collection: invoice_id of the run, with its ISO reason code. */
struct hm_direct_debit_return {
	int64_t invoice_id;
	const char *reason;
};

/* Records returns of run id, audited: each item gets its reason and no longer
 * holds its invoice; on a settled run its payment's allocation is undone (the
 * invoice is unpaid again). HM_ERR_NOT_FOUND: no run; HM_ERR_VALIDATION_FAILED: an
 * invoice not in the run; HM_ERR_CONFLICT: returned already. *out as create's. */
enum hm_err hm_db_direct_debits_return(struct hm_db *db, int64_t id,
				       const struct hm_direct_debit_return *returns, size_t n,
				       const struct hm_actor *who, json_t **out);

#endif
