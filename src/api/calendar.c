// SPDX-License-Identifier: MIT
// Calendars (RFC 5545): a student's lessons as a feed, read with its session
// (/me/calendar.ics) or through a private URL that needs no login
// (/calendar/<token>.ics, for calendar apps that cannot log in); a tutor's
// lessons for staff. The feed's URL and rows come from src/db/calendar.c; this file
// writes them as iCalendar text and answers conditional GETs: the ETag is a hash of
// the feed's bytes and Last-Modified the newest change the data records, so a
// calendar app's poll costs a 304 while nothing changed (docs/decisions.md).
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/conditional.h"
#include "harreman/db_clients.h"
#include "harreman/db_calendar.h"
#include "harreman/ical.h"
#include "harreman/token.h"
#include "harreman/banned.h"

#define FEED_CAP ((size_t)8 * 1024 * 1024)
#define PRODID "-//Harreman//Harreman " HM_VERSION "//EU"
#define ICS_TYPE "text/calendar; charset=utf-8"
#define ETAG_BYTES 16
#define ETAG_LEN (2 * ETAG_BYTES + 3) /* quoted hex and the NUL */

/* A feed being written: the text, and what the lessons' rows need. */
struct feed {
	struct hm_buf text;
	char install[17]; /* this installation's part of the UIDs */
	bool by_client;   /* a student's feed: its events name the tutor */
	size_t events;
	int64_t last_modified;
	char etag[ETAG_LEN];
};

/* An identifier of this installation for UIDs, from the secret key (so UIDs stay
 * the same across restarts and settings, and differ between installations). */
static void installation_id(const struct hm_app *app, char out[17])
{
	static const char label[] = "harreman uid v1";
	unsigned char raw[8];
	crypto_generichash(raw, sizeof raw, (const unsigned char *)label, sizeof label - 1,
			   app->secret, sizeof app->secret);
	sodium_bin2hex(out, 17, raw, sizeof raw);
}

static bool feed_begin(void *ctx, const char *name)
{
	struct feed *f = ctx;
	char title[600];
	snprintf(title, sizeof title, "Harreman: %s", name ? name : "");
	return hm_ical_begin(&f->text, PRODID, title);
}

static bool feed_lesson(void *ctx, const struct hm_calendar_lesson *l)
{
	struct feed *f = ctx;
	char uid[96], summary[1024];
	snprintf(uid, sizeof uid, "lesson-%lld-%s@harreman", (long long)l->id, f->install);
	/* The student sees whom it learns with; the tutor whom it teaches. */
	const char *whom = f->by_client ? l->tutor : l->client;
	snprintf(summary, sizeof summary, "%s, %s", l->service ? l->service : "", whom ? whom : "");
	struct hm_ical_event e = {
		.uid = uid,
		.created = l->created,
		.dtstamp = l->changed,
		.starts = l->starts,
		.ends = l->ends,
		.summary = summary,
		.cancelled = l->cancelled,
		.sequence = l->moves + (l->cancelled ? 1 : 0), /* each change a revision */
	};
	f->events++;
	return hm_ical_event(&f->text, &e);
}

/* Reads and writes the feed of client_id or tutor_id into f (f->text released by
 * the caller in every case), with its ETag. */
static enum hm_err write_feed(struct hm_request *req, int64_t client_id, int64_t tutor_id,
			      int64_t lesson_id, struct feed *f)
{
	const struct hm_calendar_reader reader = {feed_begin, feed_lesson, f};
	unsigned char hash[ETAG_BYTES];
	installation_id(req->app, f->install);
	f->by_client = client_id != 0;
	enum hm_err err = lesson_id ? hm_db_calendar_lesson(req->db, client_id, lesson_id, &reader,
							    &f->last_modified)
				    : hm_db_calendar_feed(req->db, client_id, tutor_id, req->now,
							  &reader, &f->last_modified);
	if (err == HM_OK && f->events == 0 && !hm_ical_placeholder(&f->text))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK && !hm_ical_end(&f->text))
		err = HM_ERR_INTERNAL;
	if (err != HM_OK)
		return err;
	crypto_generichash(hash, sizeof hash, (const unsigned char *)f->text.data, f->text.len,
			   NULL, 0);
	f->etag[0] = '"';
	sodium_bin2hex(f->etag + 1, sizeof f->etag - 2, hash, sizeof hash);
	memcpy(f->etag + ETAG_LEN - 2, "\"", 2);
	return HM_OK;
}

/* The one reply of a feed: the error, 304 with the validators when the request's
 * conditions say the caller has this feed already, else 200 with the feed. */
static void reply_feed(const struct hm_request *req, struct hm_reply *reply, enum hm_err err,
		       struct feed *f)
{
	char modified[HM_HTTP_DATE_LEN];
	size_t len = 0;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	/* A date is a whole second: while the data changed within this one, a later
	 * change in the same second would not move it, so it is neither sent nor
	 * trusted until the second is over (the ETag serves meanwhile). */
	bool settled = f->last_modified < req->now;
	hm_http_date_format(f->last_modified, modified);
	if (!hm_reply_header(reply, "ETag", f->etag) ||
	    (settled && !hm_reply_header(reply, "Last-Modified", modified))) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	if (hm_not_modified(req->if_none_match, settled ? req->if_modified_since : NULL, f->etag,
			    f->last_modified)) {
		reply->status = 304;
		return;
	}
	char *body = hm_buf_detach(&f->text, &len);
	if (!body) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	hm_reply_raw_owned(reply, 200, ICS_TYPE, body, len);
	hm_reply_header(reply, "Content-Disposition", "inline; filename=\"harreman.ics\"");
}

/* Answers the feed of client_id or tutor_id, or client_id's lesson lesson_id alone
 * when lesson_id is not 0. */
static void answer_feed(struct hm_request *req, struct hm_reply *reply, int64_t client_id,
			int64_t tutor_id, int64_t lesson_id)
{
	struct feed f = {.events = 0};
	hm_buf_init(&f.text, FEED_CAP);
	enum hm_err err = write_feed(req, client_id, tutor_id, lesson_id, &f);
	reply_feed(req, reply, err, &f);
	hm_buf_release(&f.text);
}

/* The server's key is loaded; else answers 503 (feeds need it). */
static bool has_secret_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	if (!req->app->has_secret)
		hm_api_reply_err(reply, HM_ERR_UNAVAILABLE);
	return req->app->has_secret;
}

/* ---- handlers --------------------------------------------------------------------- */

void hm_api_me_calendar(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	json_t *out = NULL;
	if (!has_secret_or_reply(req, reply) || !hm_api_learner_or_reply(req, reply, &client_id))
		return;
	enum hm_err err = hm_db_calendar_url(req->db, req->app->secret, client_id, &HM_ACTOR(req),
					     &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_me_calendar_rotate(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	json_t *out = NULL;
	if (!has_secret_or_reply(req, reply) || !hm_api_learner_or_reply(req, reply, &client_id) ||
	    !hm_api_learner_body_or_reply(req, reply))
		return;
	enum hm_err err = hm_db_calendar_rotate(req->db, req->app->secret, client_id,
						&HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_me_calendar_ics(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	if (!hm_api_learner_or_reply(req, reply, &client_id))
		return;
	answer_feed(req, reply, client_id, 0, 0);
}

/* GET /me/lessons/{id}/calendar.ics: one lesson of the learner, for "add to my
 * calendar" after booking. */
void hm_api_me_lesson_ics(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	if (!hm_api_learner_or_reply(req, reply, &client_id))
		return;
	answer_feed(req, reply, client_id, 0, req->path_ids[0]);
}

void hm_api_calendar_feed(struct hm_request *req, struct hm_reply *reply)
{
	/* The router matched "/calendar/{token}.ics": the token is what lies between. */
	size_t len = strlen(req->path);
	size_t prefix = sizeof HM_CALENDAR_URL_PREFIX - 1,
	       suffix = sizeof HM_CALENDAR_URL_SUFFIX - 1;
	int64_t client_id = 0;
	enum hm_err err = HM_ERR_NOT_FOUND;
	if (req->app->has_secret && len == prefix + HM_TOKEN_TEXT_LEN - 1 + suffix)
		err = hm_db_calendar_find(req->db, req->path + prefix, HM_TOKEN_TEXT_LEN - 1,
					  &client_id);
	if (err == HM_ERR_NOT_FOUND)
		hm_reply_error(reply, err, "No such calendar.");
	else if (err != HM_OK)
		hm_api_reply_err(reply, err);
	else
		answer_feed(req, reply, client_id, 0, 0);
}

void hm_api_tutor_calendar(struct hm_request *req, struct hm_reply *reply)
{
	answer_feed(req, reply, 0, req->path_ids[0], 0);
}
