/* SPDX-License-Identifier: MIT */
/* Privacy (src/db/privacy.c): everything held on a client as one JSON document
 * (the right of access), and its erasure (the right to be forgotten). Every table
 * that holds data on a client has a line in both lists of that file: a new table
 * adds its lines there. */
#ifndef HARREMAN_DB_PRIVACY_H
#define HARREMAN_DB_PRIVACY_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"

/* The export of client_id into *out, read in one transaction that also audits
 * `client.export` by who: {exported_at, client, user (or null), then one list per
 * table: contracts, lessons, interactions, inquiries, outbox, calendar_feeds,
 * event_registrations, contributions, audit (each entry with actor_email)}, the
 * shape docs/openapi.yaml calls ClientExport. *out is the caller's whenever it is
 * not NULL, also with an error (a failed commit). HM_ERR_NOT_FOUND when there is
 * no such client, or HM_ERR_INTERNAL. */
enum hm_err hm_db_privacy_export(struct hm_db *db, int64_t client_id, const struct hm_actor *who,
				 json_t **out);

/* Erases client_id in one transaction: the client record anonymised, its user
 * deactivated (sessions ended, tokens revoked) with its login e-mail and name
 * replaced, the personal text of every table about it replaced (contracts and
 * their amounts stay), audited `client.erase` by who. Repeating it is harmless.
 * *out gets the anonymised client object (as for hm_db_privacy_export, the
 * caller's whenever not NULL). HM_ERR_NOT_FOUND, HM_ERR_CONFLICT when the client's
 * user is the last active admin (nothing is then written), or HM_ERR_INTERNAL. */
enum hm_err hm_db_privacy_erase(struct hm_db *db, int64_t client_id, const struct hm_actor *who,
				json_t **out);

#endif
