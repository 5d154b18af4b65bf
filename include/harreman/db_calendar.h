/* SPDX-License-Identifier: MIT */
/* The calendar feeds' data (src/db/calendar.c): a client's private feed URL, whose
 * token is derived from a per-client nonce with the server's key (the table keeps
 * only the token's hash), and the lessons a feed shows, handed row by row to the
 * caller that renders them (src/api/calendar.c writes the iCalendar text). */
#ifndef HARREMAN_DB_CALENDAR_H
#define HARREMAN_DB_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/app.h"
#include "harreman/db.h"

/* A feed URL is HM_CALENDAR_URL_PREFIX, the token, HM_CALENDAR_URL_SUFFIX. */
#define HM_CALENDAR_URL_PREFIX "/calendar/"
#define HM_CALENDAR_URL_SUFFIX ".ics"

/* {"url": "/calendar/<token>.ics"} of client_id's feed into *out (the caller's
 * whenever it is not NULL, also with an error: a failed commit). The first look makes the feed (audited `calendar.create`); a feed
 * whose stored hash is not the current key's (the key file was replaced) gets the
 * current key's token for the same nonce (`calendar.reissue`); otherwise nothing is
 * written. key is the server's key (borrowed). HM_ERR_INTERNAL, or the error of the
 * write, which then left nothing behind. */
enum hm_err hm_db_calendar_url(struct hm_db *db, const unsigned char key[HM_SECRET_BYTES],
			       int64_t client_id, const struct hm_actor *who, json_t **out);

/* Gives client_id's feed a fresh nonce, so the old URL stops working at once, and
 * audits `calendar.rotate` (without the token), in one transaction. *out as for
 * hm_db_calendar_url. */
enum hm_err hm_db_calendar_rotate(struct hm_db *db, const unsigned char key[HM_SECRET_BYTES],
				  int64_t client_id, const struct hm_actor *who, json_t **out);

/* The client whose feed token is token[0..len), when it has no user or an active
 * one: HM_OK and *client_id, HM_ERR_NOT_FOUND, or HM_ERR_INTERNAL. */
enum hm_err hm_db_calendar_find(struct hm_db *db, const char *token, size_t len,
				int64_t *client_id);

/* One lesson of a feed. The strings are borrowed until the callback returns. */
struct hm_calendar_lesson {
	int64_t id;
	int64_t starts, ends;
	int64_t created;
	int64_t changed; /* when the lesson last changed (booked, cancelled, logged, moved) */
	int moves;       /* times it was moved to another time */
	bool cancelled;
	const char *service; /* the service's name */
	const char *tutor;   /* the tutor's name ("" when none) */
	const char *client;  /* the client's name */
};

/* What a feed's reader does with it: begin once with the calendar owner's name,
 * then lesson for each lesson in start order. Either returns false to stop (out of
 * memory): hm_db_calendar_feed then answers HM_ERR_INTERNAL. */
struct hm_calendar_reader {
	bool (*begin)(void *ctx, const char *name);
	bool (*lesson)(void *ctx, const struct hm_calendar_lesson *lesson);
	void *ctx;
};

/* Reads the feed of client_id, or of tutor_id when client_id is 0: its lessons
 * from HM_CALENDAR_PAST seconds before now on, at most HM_CALENDAR_MAX_EVENTS.
 * *last_modified gets the newest instant at which anything the feed shows is
 * recorded to have changed: a lesson's booking, cancellation, logging or move, the
 * names' rows (clients, users), the services' creation, and the moment the latest
 * lesson left the window. HM_ERR_NOT_FOUND when there is no such client or tutor. */
enum hm_err hm_db_calendar_feed(struct hm_db *db, int64_t client_id, int64_t tutor_id, int64_t now,
				const struct hm_calendar_reader *reader, int64_t *last_modified);

/* One lesson of client_id as a feed of one event (the lesson's own calendar file,
 * cancelled or not, whatever its date): begin and lesson once each, *last_modified
 * as for hm_db_calendar_feed. HM_ERR_NOT_FOUND when client_id has no lesson
 * lesson_id. */
enum hm_err hm_db_calendar_lesson(struct hm_db *db, int64_t client_id, int64_t lesson_id,
				  const struct hm_calendar_reader *reader, int64_t *last_modified);

/* The window and size of a feed (docs/openapi.yaml says them too). */
#define HM_CALENDAR_PAST ((int64_t)180 * 86400)
#define HM_CALENDAR_MAX_EVENTS 5000

#endif
