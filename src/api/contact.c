// SPDX-License-Identifier: MIT
// Contact channels (with their opening hours, open now and the next change) and
// inquiries: public ones with the promised answer time, the staff's queue (overdue
// first) and answers marked on time or late. The handlers read and check the
// request, call src/db/channels.c or src/db/inquiries.c once, ask
// src/domain/hours.c whether a channel is open, and answer.
#include <stdio.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_channels.h"
#include "harreman/db_inquiries.h"
#include "harreman/hours.h"
#include "harreman/ratelimit.h"
#include "harreman/sender.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define INQUIRIES_PER_HOUR 10 /* per client address, over HM_INQUIRY_RATE_WINDOW */

static const char *const inquiry_channels[] = {"email", "web", "phone", NULL};
static const char *const statuses[] = {"open", "overdue", "answered", NULL};
static const char *const locales[] = {"eu", "es", "en", NULL};

/* ---- rendering ------------------------------------------------------------ */

json_t *hm_api_channel_json(struct hm_channel *c, int64_t at, int64_t *earliest_change)
{
	json_t *item = c->json;
	bool open_now = false;
	int64_t next = 0;
	char next_text[HM_RFC3339_LEN];
	c->json = NULL;
	if (!hm_hours_state(c->hours, c->n_hours, at, &open_now, &next)) {
		json_decref(item);
		return NULL;
	}
	if (earliest_change && next && next < *earliest_change)
		*earliest_change = next;
	hm_time_format(next, next_text);
	if (!item || json_object_set_new(item, "open_now", json_boolean(open_now)) != 0 ||
	    json_object_set_new(item, "next_change_at",
				next ? json_string(next_text) : json_null()) != 0) {
		json_decref(item);
		return NULL;
	}
	return item;
}

/* ---- handlers: channels --------------------------------------------------- */

void hm_api_channels_list(struct hm_request *req, struct hm_reply *reply)
{
	const char *at_text = hm_query_get(req, "at");
	int64_t at = req->now, earliest_change = INT64_MAX;
	struct hm_channel *channels = NULL;
	size_t n = 0;
	json_t *items = NULL;
	if (at_text && !hm_time_parse(at_text, &at)) {
		hm_reply_invalid(reply, json_pack("{s:s}", "at", "must be an RFC 3339 instant"));
		return;
	}
	enum hm_err err = hm_db_channels_list(req->db, &channels, &n);
	if (err == HM_OK && !(items = json_array()))
		err = HM_ERR_INTERNAL;
	for (size_t i = 0; err == HM_OK && i < n; i++)
		if (json_array_append_new(
			    items, hm_api_channel_json(&channels[i], at, &earliest_change)) != 0)
			err = HM_ERR_INTERNAL;
	hm_db_channels_free(channels, n);
	if (err != HM_OK) {
		json_decref(items);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
	/* open_now and next_change_at hold until the first change; a fixed ?at= forever. */
	reply->cache_until = at_text ? INT64_MAX : earliest_change;
}

/* 404 for a channel that does not exist (before any 422). */
static bool channel_exists_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_channel c;
	enum hm_err err = hm_db_channels_get(req->db, req->path_ids[0], &c);
	hm_db_channel_release(&c);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

/* The weekly hours of a PATCH body into w (HM_CHANNEL_MAX_HOURS) and *n. */
static void validate_hours(struct hm_validation *v, json_t *hours, struct hm_weekly_window *w,
			   size_t *n)
{
	size_t i;
	json_t *h;
	if (!json_is_array(hours) || json_array_size(hours) > HM_CHANNEL_MAX_HOURS) {
		hm_validation_fail(v, "hours",
				   "must be a list of at most 28 {weekday, opens, closes}");
		return;
	}
	json_array_foreach(hours, i, h)
	{
		json_t *weekday = json_object_get(h, "weekday");
		struct hm_weekly_window win = {0};
		if (!json_is_object(h) || json_object_size(h) != 3 || !json_is_integer(weekday) ||
		    json_integer_value(weekday) < 1 || json_integer_value(weekday) > 7 ||
		    !hm_hhmm_parse(json_string_value(json_object_get(h, "opens")), false,
				   &win.start_min) ||
		    !hm_hhmm_parse(json_string_value(json_object_get(h, "closes")), true,
				   &win.end_min) ||
		    win.end_min <= win.start_min) {
			hm_validation_fail(v, "hours",
					   "each entry is {weekday 1-7, opens HH:MM, closes HH:MM}"
					   " with closes after opens");
			return;
		}
		win.weekday = (int)json_integer_value(weekday);
		w[(*n)++] = win;
	}
	if (hm_validation_ok(v) && !hm_windows_disjoint(w, *n))
		hm_validation_fail(v, "hours", "hours of one weekday must not overlap");
}

/* A PATCH /channels/{id} body into ch (its hours into w, HM_CHANNEL_MAX_HOURS). */
static bool read_channel_change_or_reply(struct hm_request *req, struct hm_reply *reply,
					 struct hm_channel_change *ch, struct hm_weekly_window *w)
{
	static const char *const allowed[] = {"label", "value", "response_hours", "hours", NULL};
	static const char *const read_only[] = {"id", "kind", "open_now", "next_change_at", NULL};
	json_t *hours = json_object_get(req->json, "hours");
	struct hm_validation v;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_text(&v, req->json, "label", false, HM_MAX_NAME, &ch->label);
	hm_validate_text(&v, req->json, "value", false, HM_MAX_NAME, &ch->value);
	if (json_is_null(json_object_get(req->json, "response_hours")))
		ch->set_response_hours = true;
	else
		hm_validate_int(&v, req->json, "response_hours", false, 1, (int64_t)24 * 30,
				&ch->response_hours, &ch->set_response_hours);
	ch->set_hours = hours != NULL;
	ch->hours = w;
	ch->n_hours = 0;
	if (hours)
		validate_hours(&v, hours, w, &ch->n_hours);
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

void hm_api_channels_update(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_weekly_window w[HM_CHANNEL_MAX_HOURS];
	struct hm_channel_change ch = {0};
	struct hm_channel c;

	if (!channel_exists_or_reply(req, reply) ||
	    !read_channel_change_or_reply(req, reply, &ch, w))
		return;
	enum hm_err err = hm_db_channels_update(req->db, req->path_ids[0], &ch, req->json,
						&HM_ACTOR(req), &c);
	json_t *out = err == HM_OK ? hm_api_channel_json(&c, req->now, NULL) : NULL;
	hm_db_channel_release(&c);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- handlers: inquiries -------------------------------------------------- */

/* 429 with Retry-After once the client's address sent INQUIRIES_PER_HOUR
 * inquiries within the window (whatever the body says). */
static bool inquiry_rate_ok_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	return hm_api_rate_ok_or_reply(req, reply, HM_INQUIRY_RATE_BUCKET, HM_INQUIRY_RATE_WINDOW,
				       INQUIRIES_PER_HOUR, "Too many inquiries; try again later.");
}

/* A POST /inquiries body into in (the e-mail address, lower-cased, into email). */
static bool read_inquiry_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_inquiry_input *in, char email[HM_MAX_EMAIL + 1])
{
	static const char *const allowed[] = {"channel", "full_name", "email",  "phone",
					      "subject", "message",   "locale", NULL};
	struct hm_validation v;
	int channel = -1, locale = -1;
	bool email_present = false, phone_present = false;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "channel", true, inquiry_channels, &channel);
	hm_validate_text(&v, req->json, "full_name", true, HM_MAX_NAME, &in->full_name);
	hm_validate_email(&v, req->json, "email", false, email, &email_present);
	hm_validate_text_or_empty(&v, req->json, "phone", HM_MAX_PHONE, &in->phone, &phone_present);
	hm_validate_text(&v, req->json, "subject", true, HM_MAX_NAME, &in->subject);
	hm_validate_long_text(&v, req->json, "message", true, HM_MAX_TEXT, &in->message);
	hm_validate_enum(&v, req->json, "locale", false, locales, &locale);
	if (in->phone && !*in->phone)
		in->phone = NULL;
	if (!email_present && !in->phone && !json_object_get(v.fields, "email"))
		hm_validation_fail(&v, "email", "an e-mail address or a phone number is required");
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	in->channel = ok ? inquiry_channels[channel] : NULL;
	in->email = email_present ? email : NULL;
	in->locale = locale >= 0 ? locales[locale] : NULL;
	return ok;
}

void hm_api_inquiries_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_inquiry_input in = {.remote_addr = req->remote_addr};
	struct hm_outbox_env env;
	char email[HM_MAX_EMAIL + 1] = "";
	json_t *out = NULL;

	if (!inquiry_rate_ok_or_reply(req, reply) || !read_inquiry_or_reply(req, reply, &in, email))
		return;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_inquiries_create(req->db, &in, &env, &HM_ACTOR(req), &out);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
	hm_api_reply_result(reply, err, 201, out);
}

void hm_api_inquiries_list(struct hm_request *req, struct hm_reply *reply)
{
	const char *status = hm_query_get(req, "status");
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	bool known = !status;
	for (int i = 0; status && statuses[i]; i++)
		known = known || strcmp(status, statuses[i]) == 0;
	if (!known) {
		hm_reply_invalid(reply, json_pack("{s:s}", "status",
						  "must be one of: open, overdue, answered"));
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_inquiries_list(req->db, status, req->now, limit, after, &items,
					       &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

/* 404 for an inquiry that does not exist (before any 422). */
static bool inquiry_exists_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	json_t *inquiry = NULL;
	enum hm_err err = hm_db_inquiries_get(req->db, req->path_ids[0], req->now, &inquiry);
	json_decref(inquiry);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

/* A POST /inquiries/{id}/answer body: *text borrows its reply. */
static bool read_answer_or_reply(struct hm_request *req, struct hm_reply *reply, const char **text)
{
	static const char *const allowed[] = {"reply", NULL};
	struct hm_validation v;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_long_text(&v, req->json, "reply", true, HM_MAX_TEXT, text);
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

void hm_api_inquiries_answer(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_outbox_env env;
	const char *text = NULL;
	json_t *out = NULL;

	if (!inquiry_exists_or_reply(req, reply) || !read_answer_or_reply(req, reply, &text))
		return;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_inquiries_answer(req->db, req->path_ids[0], text, &env,
						 &HM_ACTOR(req), &out);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
	if (err == HM_ERR_CONFLICT) {
		json_decref(out);
		hm_reply_error(reply, err, "The inquiry has been answered already.");
		return;
	}
	hm_api_reply_result(reply, err, 200, out);
}
