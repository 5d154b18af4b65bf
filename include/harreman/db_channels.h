/* SPDX-License-Identifier: MIT */
/* Contact channels and their weekly opening hours (tables channels and
 * channel_hours): reading them, each channel's JSON next to its hours as the
 * domain's windows (hours.h decides open now and the next change), and changing a
 * channel with its audit row in one transaction. All functions borrow the
 * connection. */
#ifndef HARREMAN_DB_CHANNELS_H
#define HARREMAN_DB_CHANNELS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/hours.h"

/* Weekly windows one channel holds at most (PATCH refuses more; reading keeps the
 * first ones). */
#define HM_CHANNEL_MAX_HOURS 28

/* One channel as read: json is {id, kind, label, value, response_hours, hours}
 * (owned; release with hm_db_channel_release), hours its windows in the order of
 * the JSON list (weekday, then opening time). */
struct hm_channel {
	json_t *json;
	struct hm_weekly_window hours[HM_CHANNEL_MAX_HOURS];
	size_t n_hours;
};

/* Drops c's JSON; c may be zeroed or already released. */
void hm_db_channel_release(struct hm_channel *c);

/* Frees an array from hm_db_channels_list (its n entries and the array). */
void hm_db_channels_free(struct hm_channel *channels, size_t n);

/* Every channel, by id: *channels (caller frees with hm_db_channels_free, NULL
 * when n is 0) and *n. HM_ERR_INTERNAL on failure (nothing to free then). */
enum hm_err hm_db_channels_list(struct hm_db *db, struct hm_channel **channels, size_t *n);

/* Channel id into *out (caller releases it): HM_OK, HM_ERR_NOT_FOUND or
 * HM_ERR_INTERNAL (*out is left zeroed on errors). */
enum hm_err hm_db_channels_get(struct hm_db *db, int64_t id, struct hm_channel *out);

/* What a PATCH changes; NULL text and false flags leave that part as it is. */
struct hm_channel_change {
	const char *label, *value;            /* borrowed */
	bool set_response_hours;              /* response_hours given: */
	int64_t response_hours;               /* its hours, 0 for none (JSON null) */
	bool set_hours;                       /* replace the weekly hours with: */
	const struct hm_weekly_window *hours; /* borrowed, n_hours <= HM_CHANNEL_MAX_HOURS */
	size_t n_hours;
};

/* Changes channel id as ch says and audits "channel.update" with detail (borrowed,
 * may be NULL), in one transaction; *out gets the channel as it is after it (the
 * caller releases *out in every case). HM_ERR_NOT_FOUND, HM_ERR_INTERNAL; on any
 * error nothing was written. */
enum hm_err hm_db_channels_update(struct hm_db *db, int64_t id, const struct hm_channel_change *ch,
				  json_t *detail, const struct hm_actor *who,
				  struct hm_channel *out);

/* The response hours promised on the first channel of kind (0: none promised).
 * Borrows kind. Runs in the caller's transaction when there is one. */
enum hm_err hm_db_channels_response_hours(struct hm_db *db, const char *kind, int *hours);

#endif
