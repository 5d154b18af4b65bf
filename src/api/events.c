// SPDX-License-Identifier: MIT
// Community events (workshops, talks, forums): the public list (upcoming by
// default, or local days ?from=&to=), staff creating and changing them, and
// students registering and withdrawing. The handlers read and check the request,
// call src/db/events.c once and answer; the database's triggers keep registrations
// within capacity and closed once an event starts, even when students race for
// the last places.
#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_clients.h"
#include "harreman/db_events.h"
#include "harreman/hours.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define EVENT_MAX_LENGTH ((int64_t)7 * 86400) /* an event lasts at most a week */
#define EVENT_HORIZON ((int64_t)400 * 86400)  /* and is planned at most 400 days ahead */
#define EVENT_MAX_CAPACITY 1000

static const char *const event_kinds[] = {"workshop", "talk", "forum", NULL};

/* ---- validation ------------------------------------------------------------ */

/* An instant field: RFC 3339. */
static void validate_instant(struct hm_validation *v, json_t *body, const char *field,
			     bool required, int64_t *out, bool *present)
{
	const char *text = NULL;
	hm_validate_text(v, body, field, required, 40, &text);
	if (!text)
		return;
	if (!hm_time_parse(text, out))
		hm_validation_fail(v, field, "must be an RFC 3339 instant");
	else
		*present = true;
}

/* The fields of an event written in three languages (the base ones Basque). */
static const char *const event_texts[] = {"title", "description", NULL};

/* Checks an event body into in; for a create (cur NULL) every field but subject
 * is required. For an update, cur holds the event as it is (its times complete
 * what is not sent). */
static bool read_event_or_reply(struct hm_request *req, struct hm_reply *reply,
				const struct hm_event_state *cur, struct hm_event_input *in)
{
	static const char *const allowed[] = {"title",       "kind",         "subject",
					      "starts_at",   "ends_at",      "capacity",
					      "description", "translations", NULL};
	static const char *const read_only[] = {
		"id",         "registered_count", "places_left",    "is_registered",
		"created_at", "updated_at",       "waitlist_count", "waitlist_position",
		NULL};
	json_t *body = req->json;
	bool create = cur == NULL;
	int kind = -1;
	struct hm_validation v;

	hm_validation_init(&v);
	hm_validate_known(&v, body, allowed, read_only);
	hm_validate_text(&v, body, "title", create, HM_MAX_NAME, &in->title);
	hm_validate_enum(&v, body, "kind", create, event_kinds, &kind);
	in->kind = kind >= 0 ? event_kinds[kind] : NULL;
	in->clear_subject = !create && json_is_null(json_object_get(body, "subject"));
	hm_validate_subject(&v, body, "subject", false, &in->subject);
	validate_instant(&v, body, "starts_at", create, &in->starts_at, &in->has_starts);
	validate_instant(&v, body, "ends_at", create, &in->ends_at, &in->has_ends);
	hm_validate_int(&v, body, "capacity", create, 1, EVENT_MAX_CAPACITY, &in->capacity,
			&in->has_capacity);
	hm_validate_long_text(&v, body, "description", create, HM_MAX_TEXT, &in->description);
	hm_validate_translations(&v, body, event_texts, &in->translations);

	if (in->has_starts && in->starts_at <= req->now)
		hm_validation_fail(&v, "starts_at", "must be in the future");
	else if (in->has_starts && in->starts_at > req->now + EVENT_HORIZON)
		hm_validation_fail(&v, "starts_at", "is too far ahead: at most 400 days");
	/* The times as they will be; complain about the field that was sent. */
	if (create ? in->has_starts && in->has_ends : in->has_starts || in->has_ends) {
		int64_t starts = in->has_starts ? in->starts_at : cur->starts_at;
		int64_t ends = in->has_ends ? in->ends_at : cur->ends_at;
		const char *field = in->has_ends ? "ends_at" : "starts_at";
		if (ends <= starts)
			hm_validation_fail(&v, field, "must be after starts_at");
		else if (ends - starts > EVENT_MAX_LENGTH)
			hm_validation_fail(&v, field, "an event lasts at most 7 days");
	}
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

/* ---- handlers: reading ----------------------------------------------------- */

void hm_api_events_list(struct hm_request *req, struct hm_reply *reply)
{
	/* Upcoming is starts_at in [now - 7 days, ∞) with ends_at > now; a range of
	 * local days is starts_at in [from, to + 1 day) with any end. */
	struct hm_event_range range = {req->now - EVENT_MAX_LENGTH, INT64_MAX, req->now};
	json_t *fields = NULL, *items = NULL;
	int64_t first = 0, last = 0, client = 0, after, next = 0;
	int limit;
	if (hm_query_get(req, "from") || hm_query_get(req, "to")) {
		hm_api_query_days(req, 31, 366, &first, &last, &fields);
		range = (struct hm_event_range){hm_local_instant(first, 0),
						hm_local_instant(last + 1, 0), INT64_MIN};
	}
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	int locale;
	if (!hm_query_page(req, reply, &limit, &after) ||
	    !hm_api_locale_or_reply(req, reply, &locale))
		return;
	enum hm_err err = hm_api_learner(req, &client);
	if (err == HM_ERR_NOT_FOUND && !hm_query_get(req, "client_id"))
		err = HM_OK; /* a student without a record still sees the public list */
	if (err == HM_OK)
		err = hm_db_events_list(req->db, &range, client, limit, after, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_localize_items(items, locale, event_texts);
	hm_api_reply_page(reply, items, next);
}

/* ---- handlers: staff ------------------------------------------------------- */

void hm_api_events_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_event_input in = {0};
	json_t *out = NULL;

	if (!read_event_or_reply(req, reply, NULL, &in))
		return;
	enum hm_err err = hm_db_events_create(req->db, &in, req->json, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}

/* 409 for a capacity below the registrations taken, saying how many there are. */
static void reply_capacity_conflict(struct hm_reply *reply, int registered)
{
	hm_reply_error(reply, HM_ERR_CONFLICT,
		       "More students are registered than that capacity; it cannot go"
		       " below registered_count.");
	json_object_set_new(json_object_get(reply->json, "error"), "registered_count",
			    json_integer(registered));
}

/* Event id's state into *cur; 404 when there is none (before any 422). */
static bool event_state_or_reply(struct hm_request *req, struct hm_reply *reply, int64_t client_id,
				 struct hm_event_state *cur)
{
	enum hm_err err = hm_db_events_state(req->db, req->path_ids[0], client_id, cur);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

void hm_api_events_update(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_event_input in = {0};
	struct hm_event_state cur;
	json_t *out = NULL;
	int registered = 0;

	if (!event_state_or_reply(req, reply, 0, &cur) ||
	    !read_event_or_reply(req, reply, &cur, &in))
		return;
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_events_update(req->db, req->path_ids[0], &in, req->json,
					      &HM_ACTOR(req), &env, &out, &registered);
	if (err == HM_ERR_CONFLICT) {
		json_decref(out);
		reply_capacity_conflict(reply, registered);
		return;
	}
	hm_api_reply_result(reply, err, 200, out);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender); /* the line's e-mails, if any */
}

/* ---- handlers: registration ------------------------------------------------ */

void hm_api_events_register(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_event_state ev;
	int64_t client = 0;
	bool created = false;
	json_t *out = NULL;

	if (!hm_api_learner_or_reply(req, reply, &client) ||
	    !event_state_or_reply(req, reply, client, &ev) ||
	    !hm_api_learner_body_or_reply(req, reply))
		return;
	enum hm_err err = hm_db_events_register(req->db, req->path_ids[0], client, &HM_ACTOR(req),
						&out, &created);
	if (err == HM_ERR_FULL || err == HM_ERR_CONFLICT) {
		json_decref(out);
		hm_reply_error(reply, err,
			       err == HM_ERR_FULL
				       ? "The event is full."
				       : "The event has started; registration is closed.");
		return;
	}
	hm_api_reply_result(reply, err, created ? 201 : 200, out);
}

void hm_api_events_withdraw(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client = 0;

	if (!hm_api_learner_or_reply(req, reply, &client))
		return;
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_events_withdraw(req->db, req->path_ids[0], client, &HM_ACTOR(req),
						&env);
	if (err == HM_OK) {
		hm_reply_no_content(reply);
		hm_sender_wake(req->app->sender); /* the first in line's e-mail */
	} else if (err == HM_ERR_CONFLICT)
		hm_reply_error(reply, err,
			       "The event has started; registrations no longer change.");
	else
		hm_api_reply_err(reply, err);
}
