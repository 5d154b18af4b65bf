/* SPDX-License-Identifier: MIT */
/* What GET /me/suggestions reads: a student's own data (loyalty, subscriptions,
 * its dedicated tutor's free slots this week, upcoming events in its subjects, its
 * lessons) gathered into the input of the pure rules (suggestions.h), with the
 * params of each candidate suggestion ready for the answer. */
#ifndef HARREMAN_DB_SUGGESTIONS_H
#define HARREMAN_DB_SUGGESTIONS_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/loyalty.h"
#include "harreman/suggestions.h"

/* The rules' input, plus the params object of each candidate. in.tiers points into
 * tiers. Every json_t is owned by the struct (hm_db_suggestions_release). */
struct hm_suggest_data {
	struct hm_suggest_input in;
	struct hm_tier tiers[HM_MAX_TIERS];
	json_t *subscription_params[HM_SUGGEST_MAX_SUBSCRIPTIONS]; /* per in.subscriptions[i] */
	json_t *event_params[HM_SUGGEST_MAX_EVENTS];               /* per in.events[i] */
	json_t *tutor_params;                                      /* NULL: no tutor slots read */
	json_t *lesson_params;                                     /* NULL: no past lesson */
};

/* Fills *d (overwritten: its old contents are not released) with the data of
 * client client_id at now (its discount stage is its family's). HM_ERR_NOT_FOUND
 * when there is no such client. Release *d with hm_db_suggestions_release in every
 * case. */
enum hm_err hm_db_suggestions_gather(struct hm_db *db, int64_t client_id, int64_t now,
				     struct hm_suggest_data *d);

/* Drops the params *d holds. */
void hm_db_suggestions_release(struct hm_suggest_data *d);

#endif
