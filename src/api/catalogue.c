// SPDX-License-Identifier: MIT
// The catalogue's handlers: tutors and their subjects, services, weekly
// availability, and the public slots. Each parses and checks its input, calls
// src/db/tutors.c or src/db/services.c (and the slot rules of src/domain/slots.c
// for /slots), and renders the answer.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/buf.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/hours.h"
#include "harreman/limits.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define MAX_SUBJECTS 20
#define MAX_WINDOWS 50

static const char *const service_kinds[] = {"private", "group", "workshop", NULL};

/* ---- tutors -------------------------------------------------------------- */

void hm_api_tutors_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_tutors_list(req->db, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
	reply->cache_until = INT64_MAX;
}

/* Reads {subjects, bio} into p (borrowing from the body). */
static bool read_profile_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_tutor_profile *p)
{
	static const char *const allowed[] = {"subjects", "bio", NULL};
	static const char *const read_only[] = {"id", "full_name", NULL};
	struct hm_validation v;
	const char *bio = NULL;
	bool bio_present = false;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	p->subjects = json_object_get(req->json, "subjects");
	if (!json_is_array(p->subjects) || json_array_size(p->subjects) > MAX_SUBJECTS) {
		hm_validation_fail(&v, "subjects", "must be a list of at most 20 subject keys");
	} else {
		size_t i;
		json_t *s;
		json_array_foreach(p->subjects, i,
				   s) if (!json_is_string(s) ||
					  !hm_subject_is_valid(json_string_value(s)))
			hm_validation_fail(
				&v, "subjects",
				"each subject must be a key: lower-case letters, digits, - or _");
	}
	hm_validate_text_or_empty(&v, req->json, "bio", HM_MAX_TEXT, &bio, &bio_present);
	p->bio = bio_present && bio ? bio : ""; /* a profile without bio has an empty one */
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_tutors_put(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_tutor_profile profile;
	int64_t id = req->path_ids[0];
	bool staff = false;
	json_t *out = NULL;

	enum hm_err err = hm_db_tutors_user_is_staff(req->db, id, &staff);
	if (err != HM_OK) { /* 404 comes before 422 */
		hm_api_reply_err(reply, err);
		return;
	}
	if (!read_profile_or_reply(req, reply, &profile))
		return;
	if (!staff) {
		hm_reply_error(reply, HM_ERR_CONFLICT, "Only staff users can be tutors.");
		return;
	}
	err = hm_db_tutors_put(req->db, id, &profile, req->json, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_availability_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_tutors_availability_get(req->db, req->path_ids[0], &out);
	reply->cache_until = INT64_MAX; /* only a 200 is kept */
	hm_api_reply_result(reply, err, 200, out);
}

/* Reads {"windows": [...]} into w; reports bad entries by "windows[i]". */
static size_t read_windows(struct hm_validation *v, json_t *body,
			   struct hm_weekly_window w[MAX_WINDOWS])
{
	static const char *const allowed[] = {"weekday", "starts", "ends", NULL};
	json_t *list = json_object_get(body, "windows");
	size_t n = 0, i;
	json_t *item;
	if (!json_is_array(list) || json_array_size(list) > MAX_WINDOWS) {
		hm_validation_fail(v, "windows", "must be a list of at most 50 windows");
		return 0;
	}
	json_array_foreach(list, i, item)
	{
		char field[32];
		snprintf(field, sizeof field, "windows[%zu]", i);
		json_t *weekday = json_object_get(item, "weekday");
		const char *starts = json_string_value(json_object_get(item, "starts"));
		const char *ends = json_string_value(json_object_get(item, "ends"));
		struct hm_weekly_window win = {0};
		bool known = true;
		const char *key;
		json_t *value;
		json_object_foreach(item, key, value)
			known = known &&
				(strcmp(key, allowed[0]) == 0 || strcmp(key, allowed[1]) == 0 ||
				 strcmp(key, allowed[2]) == 0);
		if (!json_is_object(item) || !known) {
			hm_validation_fail(v, field, "must be {weekday, starts, ends}");
		} else if (!json_is_integer(weekday) || json_integer_value(weekday) < 1 ||
			   json_integer_value(weekday) > 7) {
			hm_validation_fail(v, field, "weekday must be 1 (Monday) to 7 (Sunday)");
		} else if (!hm_hhmm_parse(starts, false, &win.start_min) ||
			   !hm_hhmm_parse(ends, true, &win.end_min)) {
			hm_validation_fail(v, field, "starts and ends must be times, HH:MM");
		} else if (win.end_min <= win.start_min) {
			hm_validation_fail(v, field, "ends must be after starts");
		} else {
			win.weekday = (int)json_integer_value(weekday);
			w[n++] = win;
		}
	}
	if (hm_validation_ok(v) && !hm_windows_disjoint(w, n))
		hm_validation_fail(v, "windows", "windows of one weekday must not overlap");
	return n;
}

/* Reads the windows of the body into w and *n. */
static bool read_windows_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_weekly_window w[MAX_WINDOWS], size_t *n)
{
	static const char *const allowed[] = {"windows", NULL};
	static const char *const read_only[] = {"tutor_id", NULL};
	struct hm_validation v;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	*n = read_windows(&v, req->json, w);
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_availability_put(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_weekly_window windows[MAX_WINDOWS];
	size_t n = 0;
	int64_t id = req->path_ids[0];
	json_t *out = NULL;

	enum hm_err err = hm_db_tutors_check(req->db, id);
	if (err != HM_OK) { /* 404 comes before 422 */
		hm_api_reply_err(reply, err);
		return;
	}
	if (!read_windows_or_reply(req, reply, windows, &n))
		return;
	err = hm_db_tutors_availability_put(req->db, id, windows, n, req->json, &HM_ACTOR(req),
					    &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- services ------------------------------------------------------------ */

/* The fields of a service written in three languages (the base ones Basque). */
static const char *const service_texts[] = {"name", "description", NULL};

void hm_api_services_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	int locale;
	if (!hm_query_page(req, reply, &limit, &after) ||
	    !hm_api_locale_or_reply(req, reply, &locale))
		return;
	/* Inactive services are the staff's business. */
	bool only_active = req->who.role != HM_ROLE_STAFF && req->who.role != HM_ROLE_ADMIN;
	enum hm_err err = hm_db_services_list(req->db, only_active, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_localize_items(items, locale, service_texts);
	hm_api_reply_page(reply, items, next);
	reply->cache_until = INT64_MAX;
}

/* Reads a service body into in (borrowing from the body): for a create (current
 * NULL) every field but level, capacity and active is required; for an update,
 * current is the service as it is. A private service has capacity 1. */
static bool read_service_or_reply(struct hm_request *req, struct hm_reply *reply,
				  const struct hm_service *current, struct hm_service_input *in)
{
	static const char *const allowed[] = {"name",         "subject",      "level",    "kind",
					      "duration_min", "price_cents",  "capacity", "active",
					      "description",  "translations", NULL};
	static const char *const read_only[] = {"id", NULL};
	struct hm_validation v;
	json_t *body = req->json;
	bool create = current == NULL;
	int kind = -1;

	memset(in, 0, sizeof *in);
	hm_validation_init(&v);
	hm_validate_known(&v, body, allowed, read_only);
	hm_validate_text(&v, body, "name", create, HM_MAX_NAME, &in->name);
	hm_validate_subject(&v, body, "subject", create, &in->subject);
	hm_validate_text(&v, body, "level", false, HM_MAX_LEVEL, &in->level);
	hm_validate_enum(&v, body, "kind", create, service_kinds, &kind);
	hm_validate_int(&v, body, "duration_min", create, 5, 600, &in->duration_min,
			&in->duration_present);
	hm_validate_int(&v, body, "price_cents", create, 0, 100000000, &in->price_cents,
			&in->price_present);
	hm_validate_int(&v, body, "capacity", false, 1, 500, &in->capacity, &in->capacity_present);
	hm_validate_bool(&v, body, "active", false, &in->active, &in->active_present);
	hm_validate_long_text(&v, body, "description", false, HM_MAX_TEXT, &in->description);
	hm_validate_translations(&v, body, service_texts, &in->translations);
	in->kind = kind >= 0 ? service_kinds[kind] : NULL;
	if (create) {
		if (kind == 0 && in->capacity_present && in->capacity != 1)
			hm_validation_fail(&v, "capacity", "a private service has capacity 1");
		if (kind > 0 && !in->capacity_present)
			hm_validation_fail(&v, "capacity",
					   "is required for group services and workshops");
	} else {
		bool becomes_private = kind == 0 ||
				       (kind < 0 && strcmp(current->kind, "private") == 0);
		int64_t capacity = in->capacity_present ? in->capacity : current->capacity;
		if (becomes_private && capacity != 1)
			hm_validation_fail(&v, "capacity", "a private service has capacity 1");
	}
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_services_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_service_input in;
	json_t *out = NULL;
	if (!read_service_or_reply(req, reply, NULL, &in))
		return;
	enum hm_err err = hm_db_services_create(req->db, &in, req->json, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}

void hm_api_services_update(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_service current;
	struct hm_service_input in;
	int64_t id = req->path_ids[0];
	json_t *out = NULL;

	enum hm_err err = hm_db_services_read(req->db, id, &current);
	if (err != HM_OK) { /* 404 comes before 422 */
		hm_api_reply_err(reply, err);
		return;
	}
	if (!read_service_or_reply(req, reply, &current, &in))
		return;
	err = hm_db_services_update(req->db, id, &in, req->json, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- slots --------------------------------------------------------------- */

/* One listed slot: the tutor's, in the answer's order (time, then tutor). */
struct listed_slot {
	int64_t tutor_id;
	struct hm_slot slot;
};

static int compare_listed(const void *a, const void *b)
{
	const struct listed_slot *x = a, *y = b;
	if (x->slot.starts != y->slot.starts)
		return (x->slot.starts > y->slot.starts) - (x->slot.starts < y->slot.starts);
	return (x->tutor_id > y->tutor_id) - (x->tutor_id < y->tutor_id);
}

/* {"items":[{"tutor_id":..,"starts_at":..,"ends_at":..,"seats_left":..},...]}, written
 * directly: the hottest list of the booking page, where building a json_t per slot
 * cost more than computing the slots (docs/performance.md). */
static bool slots_text(const struct listed_slot *list, size_t n, struct hm_buf *out)
{
	bool ok = hm_buf_append(out, "{\"items\":[", 10);
	for (size_t i = 0; ok && i < n; i++) {
		char starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
		hm_time_format(list[i].slot.starts, starts);
		hm_time_format(list[i].slot.ends, ends);
		ok = hm_buf_printf(out,
				   "%s{\"tutor_id\":%lld,\"starts_at\":\"%s\",\"ends_at\":\"%s\","
				   "\"seats_left\":%d}",
				   i ? "," : "", (long long)list[i].tutor_id, starts, ends,
				   list[i].slot.seats_left);
	}
	return ok && hm_buf_append(out, "]}\n", 3);
}

/* What GET /slots asks: the service (active), a tutor (0: any), local days, and
 * whether full group sessions are listed too (?full=true, for their waiting lists). */
struct slots_query {
	struct hm_service svc;
	int64_t tutor_id, first, last;
	bool full;
};

static bool read_slots_query_or_reply(struct hm_request *req, struct hm_reply *reply,
				      struct slots_query *sq)
{
	json_t *fields = NULL;
	int64_t service_id = 0;
	enum hm_err err = HM_OK;

	sq->tutor_id = 0;
	hm_api_query_id(req, "service_id", &service_id, &fields);
	hm_api_query_id(req, "tutor_id", &sq->tutor_id, &fields);
	hm_api_query_bool(req, "full", &sq->full, &fields);
	hm_api_query_days(req, HM_SLOTS_DEFAULT_DAYS, HM_SLOTS_MAX_DAYS, &sq->first, &sq->last,
			  &fields);
	if (!hm_query_get(req, "service_id") && !fields)
		fields = json_pack("{s:s}", "service_id", "is required");
	if (!fields && service_id) {
		err = hm_db_services_read(req->db, service_id, &sq->svc);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !sq->svc.active)) {
			fields = json_pack("{s:s}", "service_id", "no such service");
			err = HM_OK;
		}
	}
	if (err != HM_OK) {
		json_decref(fields);
		hm_api_reply_err(reply, err);
		return false;
	}
	if (fields) {
		hm_reply_invalid(reply, fields);
		return false;
	}
	return true;
}

/* The free slots of every tutor of sq, in the answer's order, into *list (caller
 * frees) and *n; *earliest_start is the first slot's start (INT64_MAX: none). */
static enum hm_err listed_slots(struct hm_db *db, const struct slots_query *sq, int64_t now,
				struct listed_slot **list, size_t *n, int64_t *earliest_start)
{
	int64_t tutors[HM_DB_TUTORS_PER_SUBJECT];
	size_t n_tutors = 0, listed_alloc = 0;
	struct hm_slot *slots = malloc(HM_SLOTS_GENERATE_MAX * sizeof *slots);
	enum hm_err err = slots ? HM_OK : HM_ERR_INTERNAL;

	*list = NULL;
	*n = 0;
	*earliest_start = INT64_MAX; /* the answer holds until a listed slot starts */
	if (err == HM_OK)
		err = hm_db_tutors_teaching(db, sq->svc.subject, sq->tutor_id, tutors, &n_tutors);
	for (size_t t = 0; err == HM_OK && t < n_tutors; t++) {
		struct hm_slot_query q;
		err = hm_db_tutors_slot_query(db, tutors[t], &sq->svc, sq->first, sq->last, now,
					      &q);
		if (err != HM_OK)
			break;
		q.include_full = sq->full;
		size_t found = hm_slots_generate(&q, slots, HM_SLOTS_GENERATE_MAX);
		hm_db_tutors_slot_query_release(&q);
		if (found > HM_SLOTS_GENERATE_MAX)
			found = HM_SLOTS_GENERATE_MAX;
		if (*n + found > listed_alloc) {
			size_t want = (*n + found) * 2;
			struct listed_slot *bigger = realloc(*list, want * sizeof **list);
			if (!bigger) {
				err = HM_ERR_INTERNAL;
				break;
			}
			*list = bigger;
			listed_alloc = want;
		}
		for (size_t i = 0; i < found; i++) {
			if (slots[i].starts < *earliest_start)
				*earliest_start = slots[i].starts;
			(*list)[(*n)++] = (struct listed_slot){tutors[t], slots[i]};
		}
	}
	free(slots);
	if (err == HM_OK && *n > 1)
		qsort(*list, *n, sizeof **list, compare_listed);
	return err;
}

void hm_api_slots(struct hm_request *req, struct hm_reply *reply)
{
	struct slots_query sq;
	struct listed_slot *list = NULL;
	size_t n = 0, body_len = 0;
	int64_t earliest_start = INT64_MAX;
	struct hm_buf text;
	char *body = NULL;

	if (!read_slots_query_or_reply(req, reply, &sq))
		return;
	hm_buf_init(&text, (size_t)64 << 20); /* far above 64 tutors x 31 days */
	enum hm_err err = listed_slots(req->db, &sq, req->now, &list, &n, &earliest_start);
	if (err == HM_OK &&
	    (!slots_text(list, n, &text) || !(body = hm_buf_detach(&text, &body_len))))
		err = HM_ERR_INTERNAL;
	free(list);
	hm_buf_release(&text);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_raw_owned(reply, 200, "application/json; charset=utf-8", body, body_len);
	/* Without explicit days the range follows today's date: not cached. */
	if (hm_query_get(req, "from") && hm_query_get(req, "to"))
		reply->cache_until = earliest_start;
}
