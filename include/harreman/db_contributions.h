/* SPDX-License-Identifier: MIT */
/* Students' contributions (table contributions): blog posts, materials and methods,
 * who sees which (staff everything, a student its own in any status, everyone
 * the approved ones), submitting one and the staff's review, each write one
 * transaction with its audit row. A row is read straight into its JSON object,
 * with the fields the viewer may see. All functions borrow the connection; JSON
 * results are owned by the caller. */
#ifndef HARREMAN_DB_CONTRIBUTIONS_H
#define HARREMAN_DB_CONTRIBUTIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

/* Who is looking: the student's client id (0: not a student, or none), or staff
 * (staff and admins: every contribution, with its client_id). */
struct hm_contribution_viewer {
	int64_t client_id;
	bool staff;
};

/* Contribution id as viewer sees it (review_comment for the author and staff,
 * client_id for staff). HM_ERR_NOT_FOUND, HM_ERR_INTERNAL. Visibility is the
 * caller's to check. */
enum hm_err hm_db_contributions_get(struct hm_db *db, int64_t id,
				    const struct hm_contribution_viewer *viewer, json_t **out);

/* The contributions viewer may see with id > after, by id, at most limit: of
 * status only (NULL: any; borrowed), only the viewer's own when mine. *items
 * (caller owns) and *next_after (0 on the last page). */
enum hm_err hm_db_contributions_list(struct hm_db *db, const struct hm_contribution_viewer *viewer,
				     const char *status, bool mine, int limit, int64_t after,
				     json_t **items, int64_t *next_after);

/* A new contribution; strings borrowed and already valid. */
struct hm_contribution_input {
	const char *kind; /* "blog_post", "material", "method" */
	const char *title, *body;
	const char *credit_name; /* NULL: the client's full name as it is now */
};

/* Submits in for client_id, audits "contribution.create" (kind and client, not the
 * text), in one transaction; *out gets it as its author sees it. HM_ERR_INTERNAL;
 * on any error nothing was written. */
enum hm_err hm_db_contributions_create(struct hm_db *db, int64_t client_id,
				       const struct hm_contribution_input *in,
				       const struct hm_actor *who, json_t **out);

/* Records who's decision ("approved" or "rejected", borrowed) on contribution id
 * with comment (borrowed), audits "contribution.review", in one transaction; *out
 * gets it as staff see it. HM_ERR_NOT_FOUND, HM_ERR_INTERNAL; on any error nothing
 * was written. */
enum hm_err hm_db_contributions_review(struct hm_db *db, int64_t id, const char *decision,
				       const char *comment, const struct hm_actor *who,
				       json_t **out);

#endif
