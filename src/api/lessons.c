// SPDX-License-Identifier: MIT
// Lessons: booking (self-service by a student, for any client by staff, a weekly
// series all or nothing, walk-ins logged after the fact), listing, cancelling with
// the 24-hour rule, and the staff's attendance log. Handlers parse, authorize, ask
// the slot rules (src/domain/slots.c) and call src/db/lessons.c, which owns every
// statement and transaction; the database's triggers make a double booking, or a
// client in two lessons at once, impossible even when two requests race.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_clients.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/db_lessons.h"
#include "harreman/hours.h"
#include "harreman/lesson_rules.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const channels[] = {"web", "phone", "email", "in_person", NULL};
static const char *const attendances[] = {"attended", "no_show", NULL};
static const char *const paces[] = {"slow", "steady", "fast", NULL};

/* ---- booking ------------------------------------------------------------- */

struct booking {
	int64_t client_id, service_id, tutor_id, contract_id, starts, repeat_weeks;
	int channel, attendance, pace;
	const char *notes, *level;
	bool staff;
	int64_t moving; /* a move: the lesson whose time this is; 0: a booking */
	struct hm_service service;
	int64_t starts_list[HM_REPEAT_WEEKS_MAX];
	int n;
	bool series;                 /* repeat_weeks given: the answer is {items} */
	struct hm_booking_mail mail; /* only in what the route's check keeps (owned) */
	bool has_mail;
};

/* starts_at of the body into *starts (*text: as written, NULL when absent):
 * required, RFC 3339, within the booking horizon and the walk-ins' past. */
static void validate_start(struct hm_validation *v, struct hm_request *req, int64_t *starts,
			   const char **text)
{
	char too_far[64], too_old[64];
	snprintf(too_far, sizeof too_far, "is too far ahead: at most %d days",
		 HM_BOOKING_HORIZON_DAYS);
	snprintf(too_old, sizeof too_old, "is too far in the past: at most %d days",
		 HM_WALK_IN_PAST_DAYS);
	hm_validate_text(v, req->json, "starts_at", true, 40, text);
	if (*text && !hm_time_parse(*text, starts))
		hm_validation_fail(v, "starts_at", "must be an RFC 3339 instant");
	else if (*text && *starts > req->now + (int64_t)HM_BOOKING_HORIZON_DAYS * 86400)
		hm_validation_fail(v, "starts_at", too_far);
	else if (*text && *starts < req->now - (int64_t)HM_WALK_IN_PAST_DAYS * 86400)
		hm_validation_fail(v, "starts_at", too_old);
}

/* Reads b->service_id into b->service (a booking needs an active one; a lesson
 * being moved keeps its own) and checks that b->tutor_id teaches it. */
static void validate_service_tutor(struct hm_validation *v, struct hm_request *req,
				   struct booking *b)
{
	enum hm_err err = hm_db_services_read(req->db, b->service_id, &b->service);
	bool teaches = false;
	if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !b->service.active && !b->moving))
		hm_validation_fail(v, "service_id", "no such service");
	else if (err != HM_OK ||
		 hm_db_tutors_teaches(req->db, b->tutor_id, b->service.subject, &teaches) != HM_OK)
		v->oom = true;
	else if (!teaches)
		hm_validation_fail(v, "tutor_id", "this tutor does not teach this service");
}

/* skip_weeks of the body (a series' weeks left out, 0 the first) into skip[0..n):
 * only with repeat_weeks, each in 0..n-1 once, at least one week kept. */
static void validate_skip(struct hm_validation *v, json_t *body, int n, bool series, bool *skip)
{
	json_t *list = json_object_get(body, "skip_weeks");
	size_t i;
	json_t *week;
	int skipped = 0;
	if (!list)
		return;
	if (!json_is_array(list)) {
		hm_validation_fail(v, "skip_weeks", "must be an array of week numbers");
		return;
	}
	if (!series && json_array_size(list) > 0) {
		hm_validation_fail(v, "skip_weeks", "needs repeat_weeks");
		return;
	}
	json_array_foreach(list, i, week)
	{
		json_int_t w = json_is_integer(week) ? json_integer_value(week) : -1;
		if (w < 0 || w >= n || w >= HM_REPEAT_WEEKS_MAX || skip[w]) {
			hm_validation_fail(v, "skip_weeks",
					   "must list distinct weeks of the series, 0 the first");
			return;
		}
		skip[w] = true;
		skipped++;
	}
	if (skipped >= n)
		hm_validation_fail(v, "skip_weeks", "leaves no week to book");
}

/* Checks the body; answers 422 itself and returns false on a bad one. */
static bool read_booking_or_reply(struct hm_request *req, struct hm_reply *reply, struct booking *b)
{
	static const char *const staff_fields[] = {
		"service_id", "tutor_id",     "starts_at",  "contract_id", "client_id",
		"channel",    "repeat_weeks", "skip_weeks", "attendance",  "notes",
		"level",      "pace",         NULL};
	static const char *const student_fields[] = {"service_id",  "tutor_id",  "starts_at",
						     "contract_id", "client_id", "repeat_weeks",
						     "skip_weeks",  NULL};
	static const char *const read_only[] = {"id", "ends_at", "status", "contract", NULL};
	struct hm_validation v;
	const char *starts_text = NULL;
	bool weeks_present = false, ok = false;
	bool notes_present = false;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, b->staff ? staff_fields : student_fields, read_only);
	hm_validate_int(&v, req->json, "service_id", true, 1, INT64_MAX, &b->service_id, NULL);
	hm_validate_int(&v, req->json, "tutor_id", true, 1, INT64_MAX, &b->tutor_id, NULL);
	validate_start(&v, req, &b->starts, &starts_text);
	hm_validate_int(&v, req->json, "contract_id", false, 1, INT64_MAX, &b->contract_id, NULL);
	hm_validate_int(&v, req->json, "repeat_weeks", false, HM_REPEAT_WEEKS_MIN,
			HM_REPEAT_WEEKS_MAX, &b->repeat_weeks, &weeks_present);
	if (b->staff) {
		hm_validate_int(&v, req->json, "client_id", true, 1, INT64_MAX, &b->client_id,
				NULL);
		hm_validate_enum(&v, req->json, "channel", false, channels, &b->channel);
		hm_validate_enum(&v, req->json, "attendance", false, attendances, &b->attendance);
		hm_validate_text_or_empty(&v, req->json, "notes", HM_MAX_TEXT, &b->notes,
					  &notes_present);
		hm_validate_text(&v, req->json, "level", false, 40, &b->level);
		hm_validate_enum(&v, req->json, "pace", false, paces, &b->pace);
		if (b->attendance < 0 && (notes_present || b->level || b->pace >= 0))
			hm_validation_fail(
				&v, "attendance",
				"is required to log notes, level or pace with a booking");
		if (b->attendance >= 0 && weeks_present)
			hm_validation_fail(&v, "repeat_weeks",
					   "a walk-in lesson is a single lesson");
		if (b->attendance >= 0 && starts_text && b->starts > req->now)
			hm_validation_fail(&v, "starts_at",
					   "a walk-in lesson is logged once it has started");
	}
	b->n = weeks_present ? (int)b->repeat_weeks : 1;
	b->series = weeks_present;
	bool skip[HM_REPEAT_WEEKS_MAX] = {false};
	validate_skip(&v, req->json, b->n, weeks_present, skip);
	if (hm_validation_ok(&v))
		validate_service_tutor(&v, req, b);
	if (hm_validation_ok(&v) && b->staff) {
		bool exists = false;
		if (hm_db_clients_exists(req->db, b->client_id, &exists) != HM_OK)
			v.oom = true;
		else if (!exists)
			hm_validation_fail(&v, "client_id", "no such client");
	}
	if (hm_validation_ok(&v)) {
		/* The same local wall-clock time, week after week. */
		int64_t day;
		int weekday;
		hm_local_day(b->starts, &day, &weekday);
		int minute = hm_local_minute(b->starts); /* wall clock, not time since midnight */
		int kept = 0;
		for (int i = 0; i < b->n; i++)
			if (!skip[i])
				b->starts_list[kept++] = i == 0 ? b->starts
								: hm_local_instant(
									  day + (int64_t)7 * i,
									  minute);
		b->n = kept;
		b->starts = b->starts_list[0];
	}
	if (!hm_validation_ok(&v))
		hm_api_reply_validation(reply, &v);
	else
		ok = true;
	hm_validation_release(&v);
	return ok;
}

/* What the tutor can give at each start of a booking. */
enum week_state { WEEK_FREE, WEEK_TAKEN, WEEK_FULL, WEEK_CLOSED };

/* The tutor's answer for each of b's starts into state[0..b->n): free, taken,
 * a full group, or no slot of the tutor at all (off the grid or in the past). */
static enum hm_err tutor_states(struct hm_request *req, const struct booking *b,
				enum week_state *state)
{
	struct hm_slot_query q;
	int64_t first, last;
	int weekday;
	hm_local_day(b->starts_list[b->n - 1], &last, &weekday);
	hm_local_day(b->starts, &first, &weekday);
	enum hm_err err = hm_db_tutors_slot_query_except(req->db, b->tutor_id, &b->service, first,
							 last, req->now, b->moving, &q);
	if (err != HM_OK)
		return err;
	for (int i = 0; i < b->n; i++) {
		struct hm_slot slot;
		struct hm_slot_query free_q = q;
		free_q.n_booked = 0; /* on the grid at all? */
		state[i] = WEEK_FREE;
		if (!hm_slots_find(&free_q, b->starts_list[i], &slot)) {
			state[i] = WEEK_CLOSED;
			continue;
		}
		if (hm_slots_find(&q, b->starts_list[i], &slot))
			continue;
		state[i] = WEEK_TAKEN;
		for (size_t k = 0; k < q.n_booked; k++)
			if (q.shared && q.booked[k].service_id == q.service_id &&
			    q.booked[k].starts == b->starts_list[i] &&
			    q.booked[k].seats_taken >= q.capacity)
				state[i] = WEEK_FULL;
	}
	hm_db_tutors_slot_query_release(&q);
	return HM_OK;
}

/* The starts of b the tutor cannot give (taken, or a full group: *full) into
 * conflicts; HM_ERR_VALIDATION_FAILED when one is not a slot of the tutor at all
 * (off the grid or in the past). */
static enum hm_err taken_starts(struct hm_request *req, const struct booking *b, json_t *conflicts,
				bool *full)
{
	enum week_state state[HM_REPEAT_WEEKS_MAX];
	enum hm_err err = tutor_states(req, b, state);
	for (int i = 0; err == HM_OK && i < b->n; i++)
		if (state[i] == WEEK_CLOSED)
			err = HM_ERR_VALIDATION_FAILED;
	for (int i = 0; err == HM_OK && i < b->n; i++) {
		if (state[i] == WEEK_FREE)
			continue;
		*full = *full || state[i] == WEEK_FULL;
		char at[HM_RFC3339_LEN];
		hm_time_format(b->starts_list[i], at);
		if (json_array_append_new(conflicts, json_string(at)) != 0)
			err = HM_ERR_INTERNAL;
	}
	return err;
}

/* The starts of b at which its client has a lesson with another tutor. */
static enum hm_err busy_starts(struct hm_request *req, const struct booking *b, json_t *conflicts)
{
	bool busy[HM_REPEAT_WEEKS_MAX] = {false};
	enum hm_err err = hm_db_lessons_client_busy(req->db, b->client_id, b->tutor_id, b->moving,
						    b->starts_list, b->n, b->service.duration_min,
						    busy);
	for (int i = 0; err == HM_OK && i < b->n; i++) {
		char at[HM_RFC3339_LEN];
		hm_time_format(b->starts_list[i], at);
		if (busy[i] && json_array_append_new(conflicts, json_string(at)) != 0)
			err = HM_ERR_INTERNAL;
	}
	return err;
}

/* Checks every start against the slot rules, then against the client's other
 * lessons: 422 when one is not a slot at all (off the tutor's hours or in the
 * past); 409 slot_taken (or full) when the tutor is taken, else 409 client_busy when
 * the client is, a series listing the weeks in `conflicts`. Returns false when it
 * answered. */
static bool check_slots_or_reply(struct hm_request *req, struct hm_reply *reply,
				 const struct booking *b)
{
	json_t *conflicts = json_array();
	bool full = false;
	enum hm_err code = HM_ERR_SLOT_TAKEN;
	const char *series = "Some weeks are taken; nothing was booked.";
	enum hm_err err = conflicts ? taken_starts(req, b, conflicts, &full) : HM_ERR_INTERNAL;
	if (err == HM_OK && json_array_size(conflicts) == 0) {
		code = HM_ERR_CLIENT_BUSY;
		series = "The client has another lesson in some weeks; nothing was booked.";
		err = busy_starts(req, b, conflicts);
	}
	if (err == HM_ERR_VALIDATION_FAILED)
		hm_reply_invalid(reply, json_pack("{s:s}", "starts_at",
						  "is not an open slot of this tutor and service"));
	else if (err != HM_OK)
		hm_api_reply_err(reply, err);
	else if (json_array_size(conflicts) == 0)
		code = HM_OK;
	else
		hm_reply_error(reply, !b->series && full ? HM_ERR_FULL : code,
			       b->series ? series : NULL);
	if (err == HM_OK && code != HM_OK && b->series)
		json_object_set(json_object_get(reply->json, "error"), "conflicts", conflicts);
	json_decref(conflicts);
	return err == HM_OK && code == HM_OK;
}

/* The caller's booking from the body, with the slots checked unless skip_slots:
 * false when it has answered (an error). */
static bool checked_booking_or_reply(struct hm_request *req, struct hm_reply *reply,
				     struct booking *b, bool skip_slots)
{
	memset(b, 0, sizeof *b);
	b->channel = b->attendance = b->pace = -1;
	b->staff = req->who.role != HM_ROLE_STUDENT;
	if (!b->staff && !hm_api_learner_or_reply(req, reply, &b->client_id))
		return false;
	if (!read_booking_or_reply(req, reply, b))
		return false;
	bool walk_in = b->attendance >= 0;
	return walk_in || skip_slots || check_slots_or_reply(req, reply, b);
}

/* Frees a booking the route's check kept (req->checked_free). */
static void booking_free(void *data)
{
	struct booking *b = data;
	if (b->has_mail)
		hm_outbox_booking_mail_release(&b->mail);
	free(b);
}

/* Before the write (router.h): the body and the slots, on the request's thread.
 * The write uses what this read (not the slots again: the triggers refuse a slot
 * that was taken in between, 409 all the same). */

bool hm_api_lessons_check(struct hm_request *req, struct hm_reply *reply)
{
	struct booking b;
	if (!checked_booking_or_reply(req, reply, &b, false))
		return false;
	/* Left for the write (the handler), so that the writer thread neither parses
	 * the body nor reads the learner, service, tutor and client again, nor the
	 * names its confirmation gives. What it points into (req->json) lives as long
	 * as the request. Without memory the handler does it all again. */
	struct booking *kept = malloc(sizeof *kept);
	if (!kept)
		return true;
	*kept = b;
	kept->has_mail = b.attendance < 0 &&
			 hm_outbox_booking_mail_read(req->db, b.client_id, b.service_id, b.tutor_id,
						     &kept->mail) == HM_OK;
	req->checked_data = kept;
	req->checked_free = booking_free;
	return true;
}

/* The booking the route's check left (hm_api_lessons_check), or the caller's from
 * the body: false when it has answered (an error). */
static bool booking_or_reply(struct hm_request *req, struct hm_reply *reply, struct booking *b)
{
	if (!req->checked || !req->checked_data)
		return checked_booking_or_reply(req, reply, b, req->checked);
	*b = *(const struct booking *)req->checked_data;
	return true;
}

/* The body of a booking's 201: the lesson, or {items} for a series (takes items). */
static json_t *booked_body(json_t *items, bool series)
{
	json_t *body = NULL;
	if (items && !series)
		body = json_incref(json_array_get(items, 0));
	else if (items)
		body = json_pack("{s:O}", "items", items);
	json_decref(items);
	return body;
}

/* A booking's reply->after_write: the lessons whose ids the write left in
 * reply->json ({ids, series}), read back on the request's thread once committed. */
static void answer_booked(struct hm_request *req, struct hm_reply *reply)
{
	int64_t ids[HM_REPEAT_WEEKS_MAX];
	int n = 0;
	json_t *id;
	size_t i;
	bool series = json_is_true(json_object_get(reply->json, "series"));
	json_array_foreach(json_object_get(reply->json, "ids"), i, id)
	{
		if (n < HM_REPEAT_WEEKS_MAX)
			ids[n++] = json_integer_value(id);
	}
	json_t *items = NULL;
	enum hm_err err = hm_db_lessons_json_list(req->db, ids, n, &items);
	hm_api_reply_result(reply, err, 201, err == HM_OK ? booked_body(items, series) : NULL);
}

/* The ids of a booking's n lessons and whether it is a series, as answer_booked
 * reads them (NULL: no memory). */
static json_t *booked_ids(const int64_t *ids, int n, bool series)
{
	json_t *list = json_array();
	for (int i = 0; list && i < n; i++)
		if (json_array_append_new(list, json_integer(ids[i])) != 0) {
			json_decref(list);
			list = NULL;
		}
	return list ? json_pack("{s:o, s:b}", "ids", list, "series", series) : NULL;
}

/* The reply of a write: status with body, or the error, with the db layer's
 * reason (why, static text) or the field a 422 names. Takes body. */
static void reply_written(struct hm_reply *reply, enum hm_err err, int status, json_t *body,
			  const char *why)
{
	if (err == HM_ERR_VALIDATION_FAILED) {
		json_decref(body);
		hm_reply_invalid(
			reply,
			json_pack("{s:s}", "contract_id",
				  "no such active contract of this client for this service"));
	} else if (err != HM_OK && why) {
		json_decref(body);
		hm_reply_error(reply, err, why);
	} else {
		hm_api_reply_result(reply, err, status, body);
	}
}

void hm_api_lessons_create(struct hm_request *req, struct hm_reply *reply)
{
	struct booking b;
	struct hm_outbox_env env;

	if (!booking_or_reply(req, reply, &b))
		return;
	hm_outbox_env_of(&req->app->cfg, &env);
	bool walk_in = b.attendance >= 0;
	struct hm_booking w = {
		.client_id = b.client_id,
		.tutor_id = b.tutor_id,
		.contract_id = b.contract_id,
		.service = &b.service,
		.starts = b.starts_list,
		.n = b.n,
		.channel = b.staff ? (b.channel >= 0 ? channels[b.channel] : "in_person") : "web",
		.attendance = walk_in ? attendances[b.attendance] : NULL,
		.notes = b.notes,
		.level = b.level,
		.pace = walk_in && b.pace >= 0 ? paces[b.pace] : NULL,
		.mail = b.has_mail ? &b.mail : NULL, /* borrowed from req->checked_data */
	};
	int64_t ids[HM_REPEAT_WEEKS_MAX];
	enum hm_err err = hm_db_lessons_book(req->db, &w, &HM_ACTOR(req), &env, ids);
	reply_written(reply, err, 201, err == HM_OK ? booked_ids(ids, b.n, b.series) : NULL, NULL);
	if (err == HM_OK && reply->status == 201)
		reply->after_write = answer_booked;
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
}

/* POST /lessons/check: the booking's body as POST /lessons takes it, answered
 * week by week without booking anything (a series' conflicts before confirming):
 * free, client_busy (the learner has a lesson then, with any tutor), slot_taken,
 * full, or closed (no slot of the tutor that week). */
void hm_api_lessons_weeks(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const names[] = {
		[WEEK_FREE] = "free",
		[WEEK_TAKEN] = "slot_taken",
		[WEEK_FULL] = "full",
		[WEEK_CLOSED] = "closed",
	};
	struct booking b;
	enum week_state state[HM_REPEAT_WEEKS_MAX];
	bool busy[HM_REPEAT_WEEKS_MAX] = {false};
	if (!checked_booking_or_reply(req, reply, &b, true))
		return;
	enum hm_err err = tutor_states(req, &b, state);
	if (err == HM_OK)
		err = hm_db_lessons_client_busy(req->db, b.client_id, 0, 0, b.starts_list, b.n,
						b.service.duration_min, busy);
	json_t *items = err == HM_OK ? json_array() : NULL;
	int free_weeks = 0;
	for (int i = 0; items && i < b.n; i++) {
		char at[HM_RFC3339_LEN];
		hm_time_format(b.starts_list[i], at);
		const char *status = busy[i] ? "client_busy" : names[state[i]];
		free_weeks += strcmp(status, "free") == 0;
		if (json_array_append_new(items, json_pack("{s:s,s:s}", "starts_at", at, "status",
							   status)) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	hm_api_reply_result(reply, items ? HM_OK : (err != HM_OK ? err : HM_ERR_INTERNAL), 200,
			    items ? json_pack("{s:o,s:i}", "items", items, "free", free_weeks)
				  : NULL);
}

/* ---- reading ------------------------------------------------------------- */

/* Answers a page of the lessons f selects. */
static void reply_lessons(struct hm_request *req, struct hm_reply *reply,
			  const struct hm_lesson_filter *f)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_lessons_list(req->db, f, limit, after, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
	/* Kept until the next write, unless the days follow today's date. */
	if (f->any_time || (hm_query_get(req, "from") && hm_query_get(req, "to")))
		reply->cache_until = INT64_MAX;
}

/* ?from=&to= into f (local days to instants; a week by default, a year and a day
 * at most): false when it answered 422. */
#define LESSONS_DEFAULT_DAYS 7
#define LESSONS_MAX_DAYS 366
static bool read_days_or_reply(struct hm_request *req, struct hm_reply *reply,
			       struct hm_lesson_filter *f, json_t *fields)
{
	int64_t first = 0, last = 0;
	hm_api_query_days(req, LESSONS_DEFAULT_DAYS, LESSONS_MAX_DAYS, &first, &last, &fields);
	if (fields) {
		hm_reply_invalid(reply, fields);
		return false;
	}
	f->from = hm_local_instant(first, 0);
	f->to = hm_local_instant(last + 1, 0);
	return true;
}

void hm_api_lessons_list(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_lesson_filter f = {0};
	json_t *fields = NULL;
	hm_api_query_id(req, "client_id", &f.client_id, &fields);
	hm_api_query_id(req, "tutor_id", &f.tutor_id, &fields);
	if (read_days_or_reply(req, reply, &f, fields))
		reply_lessons(req, reply, &f);
}

void hm_api_me_lessons(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_lesson_filter f = {0};
	f.any_time = !hm_query_get(req, "from") && !hm_query_get(req, "to");
	if (!read_days_or_reply(req, reply, &f, NULL))
		return;
	if (hm_api_learner_or_reply(req, reply, &f.client_id))
		reply_lessons(req, reply, &f);
}

void hm_api_lessons_get(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	json_t *out = NULL;
	enum hm_err err = hm_api_caller_client(req, &client_id);
	if (err == HM_OK)
		err = hm_db_lessons_get(req->db, req->path_ids[0], client_id, &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- cancelling and logging ---------------------------------------------- */

void hm_api_lessons_cancel(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	struct hm_outbox_env env;
	json_t *out = NULL;
	const char *why = NULL;

	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_api_caller_client(req, &client_id);
	if (err == HM_OK)
		err = hm_db_lessons_cancel(req->db, req->path_ids[0], client_id,
					   (int64_t)HM_CANCEL_NOTICE_HOURS * 3600, &HM_ACTOR(req),
					   &env, &out, &why);
	reply_written(reply, err, 200, out, why);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
}

/* ---- moving ----------------------------------------------------------------- */

/* The body of a move ({starts_at, tutor_id?}) into b, whose lesson fields are set:
 * answers 422 itself and returns false on a bad one. */
static bool read_move_or_reply(struct hm_request *req, struct hm_reply *reply, struct booking *b)
{
	static const char *const fields[] = {"starts_at", "tutor_id", NULL};
	static const char *const read_only[] = {"id",      "client_id", "service_id", "contract_id",
						"ends_at", "status",    "contract",   NULL};
	struct hm_validation v;
	const char *starts_text = NULL;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, fields, read_only);
	hm_validate_int(&v, req->json, "tutor_id", false, 1, INT64_MAX, &b->tutor_id, NULL);
	validate_start(&v, req, &b->starts, &starts_text);
	if (hm_validation_ok(&v))
		validate_service_tutor(&v, req, b);
	b->n = 1;
	b->starts_list[0] = b->starts;
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

/* The move of lesson path_ids[0] as the booking of its new start (b->moving: the
 * lesson; its client, service and, unless the body names another, tutor): the
 * lesson (another client's: 404), the body, the lesson's state and, unless
 * skip_slots, the new time under the booking's slot rules. False when it has
 * answered (an error). */
static bool checked_move_or_reply(struct hm_request *req, struct hm_reply *reply, struct booking *b,
				  bool skip_slots)
{
	int64_t caller = 0, current = 0;
	json_t *lesson = NULL;
	const char *why = NULL;
	memset(b, 0, sizeof *b);
	b->staff = req->who.role != HM_ROLE_STUDENT;
	b->moving = req->path_ids[0];
	enum hm_err err = hm_api_caller_client(req, &caller);
	if (err == HM_OK)
		err = hm_db_lessons_get(req->db, b->moving, caller, &lesson);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return false;
	}
	b->client_id = json_integer_value(json_object_get(lesson, "client_id"));
	b->service_id = json_integer_value(json_object_get(lesson, "service_id"));
	b->tutor_id = json_integer_value(json_object_get(lesson, "tutor_id"));
	const char *status = json_string_value(json_object_get(lesson, "status"));
	bool cancelled = status && strcmp(status, "cancelled") == 0;
	const char *starts = json_string_value(json_object_get(lesson, "starts_at"));
	bool dated = starts && hm_time_parse(starts, &current);
	json_decref(lesson);
	if (!dated) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return false;
	}
	if (!read_move_or_reply(req, reply, b))
		return false;
	enum hm_lesson_verdict verdict = hm_lesson_may_move(cancelled, current, req->now, !b->staff,
							    (int64_t)HM_CANCEL_NOTICE_HOURS * 3600,
							    &why);
	if (verdict != HM_LESSON_MAY_MOVE) {
		hm_reply_error(reply,
			       verdict == HM_LESSON_TOO_LATE ? HM_ERR_TOO_LATE_TO_CANCEL
							     : HM_ERR_CONFLICT,
			       why);
		return false;
	}
	return skip_slots || check_slots_or_reply(req, reply, b);
}

/* Before the write (router.h): the lesson, the body and the new slot. */
bool hm_api_lessons_move_check(struct hm_request *req, struct hm_reply *reply)
{
	struct booking b;
	return checked_move_or_reply(req, reply, &b, false);
}

void hm_api_lessons_move(struct hm_request *req, struct hm_reply *reply)
{
	struct booking b;
	struct hm_outbox_env env;
	json_t *out = NULL;
	const char *why = NULL;

	if (!checked_move_or_reply(req, reply, &b, req->checked))
		return;
	hm_outbox_env_of(&req->app->cfg, &env);
	struct hm_lesson_move m = {
		.id = b.moving,
		.client_id = b.staff ? 0 : b.client_id,
		.notice = (int64_t)HM_CANCEL_NOTICE_HOURS * 3600,
		.tutor_id = b.tutor_id,
		.starts_at = b.starts,
		.duration_min = b.service.duration_min,
	};
	enum hm_err err = hm_db_lessons_move(req->db, &m, &HM_ACTOR(req), &env, &out, &why);
	reply_written(reply, err, 200, out, why);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
}

/* The log body: 422 answered (false) on a bad one. */
static bool read_log_or_reply(struct hm_request *req, struct hm_reply *reply,
			      struct hm_lesson_log *log)
{
	static const char *const allowed[] = {"attendance", "notes", "level", "pace", NULL};
	struct hm_validation v;
	int attendance = -1, pace = -1;
	bool notes_present = false;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "attendance", true, attendances, &attendance);
	hm_validate_text_or_empty(&v, req->json, "notes", HM_MAX_TEXT, &log->notes, &notes_present);
	hm_validate_text(&v, req->json, "level", false, 40, &log->level);
	hm_validate_enum(&v, req->json, "pace", false, paces, &pace);
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	if (ok) {
		log->attendance = attendances[attendance];
		log->notes = notes_present ? (log->notes ? log->notes : "") : NULL;
		log->pace = pace >= 0 ? paces[pace] : NULL;
		log->detail = req->json;
	}
	return ok;
}

void hm_api_lessons_log(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_lesson_log log = {0};
	json_t *out = NULL;
	const char *why = NULL;

	/* A lesson that does not exist is 404 whatever the body says. */
	enum hm_err err = hm_db_lessons_get(req->db, req->path_ids[0], 0, NULL);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	if (!read_log_or_reply(req, reply, &log))
		return;
	err = hm_db_lessons_log(req->db, req->path_ids[0], &log, &HM_ACTOR(req), &out, &why);
	reply_written(reply, err, 200, out, why);
}
