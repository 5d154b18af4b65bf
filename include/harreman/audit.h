/* SPDX-License-Identifier: MIT */
/* The audit log: who changed what and when, one row per write, written in the same
 * transaction as the write itself. */
#ifndef HARREMAN_AUDIT_H
#define HARREMAN_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* Records action (e.g. "user.create") on entity/entity_id by actor_id (0: the
 * command line or an anonymous visitor). detail is borrowed and may be NULL;
 * request_id may be NULL. */
enum hm_err hm_audit_record(struct hm_db *db, int64_t actor_id, const char *action,
			    const char *entity, int64_t entity_id, json_t *detail,
			    const char *request_id, int64_t now);

/* At most limit entries (caller owns *items), each with its actor's and its record's
 * name: oldest first from id > after, or with newest_first newest first from
 * id < after (after 0: from the newest). */
enum hm_err hm_audit_list(struct hm_db *db, int64_t after, int limit, bool newest_first,
			  json_t **items, int64_t *next_after);

#endif
