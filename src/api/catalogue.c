// SPDX-License-Identifier: MIT
// The catalogue: tutors and their subjects, services, weekly availability, and the
// public slots. Data layer first, then the handlers.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/buf.h"
#include "harreman/crm.h"
#include "harreman/hours.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define MAX_SUBJECTS 20
#define MAX_WINDOWS 50
#define MAX_SLOTS 4096

static const char *const service_kinds[] = {"private", "group", "workshop", NULL};

/* ---- data layer ---------------------------------------------------------- */

static json_t *tutor_from_row(sqlite3_stmt *stmt)
{
	json_t *subjects = json_loads((const char *)sqlite3_column_text(stmt, 3), 0, NULL);
	return json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0),
			 "full_name", (const char *)sqlite3_column_text(stmt, 1), "subjects",
			 subjects ? subjects : json_array(), "bio",
			 (const char *)sqlite3_column_text(stmt, 2));
}

/* Tutors with id > after (all when tutor_id is 0, else just that one). */
static enum hm_err tutors_json(struct hm_db *db, int64_t tutor_id, int64_t after, int limit,
			       json_t **items, int64_t *next_after)
{
	static const char sql[] =
		"SELECT t.user_id, u.full_name, t.bio,"
		" (SELECT json_group_array(subject) FROM (SELECT subject FROM tutor_subjects"
		"   WHERE tutor_id = t.user_id ORDER BY subject))"
		" FROM tutors t JOIN users u ON u.id = t.user_id"
		" WHERE u.active = 1 AND u.role IN ('staff', 'admin') AND t.user_id > ?1"
		" AND (?2 = 0 OR t.user_id = ?2) ORDER BY t.user_id LIMIT ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, tutor_id);
	sqlite3_bind_int(stmt, 3, limit + 1);
	return hm_db_page(db, stmt, limit, tutor_from_row, items, next_after);
}

static enum hm_err tutor_put(struct hm_db *db, int64_t id, json_t *subjects, const char *bio,
			     int64_t now)
{
	static const char upsert_sql[] =
		"INSERT INTO tutors (user_id, bio, updated_at) VALUES (?1, coalesce(?2, ''), ?3)"
		" ON CONFLICT (user_id) DO UPDATE SET bio = coalesce(?2, bio), updated_at = ?3";
	static const char clear_sql[] = "DELETE FROM tutor_subjects WHERE tutor_id = ?1";
	static const char add_sql[] =
		"INSERT OR IGNORE INTO tutor_subjects (tutor_id, subject) VALUES (?1, ?2)";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *upsert = hm_db_stmt(db, upsert_sql);
	sqlite3_stmt *clear = hm_db_stmt(db, clear_sql);
	sqlite3_stmt *add = hm_db_stmt(db, add_sql);
	if (!upsert || !clear || !add)
		goto out;
	sqlite3_bind_int64(upsert, 1, id);
	hm_db_bind_text_or_null(upsert, 2, bio);
	sqlite3_bind_int64(upsert, 3, now);
	if (sqlite3_step(upsert) != SQLITE_DONE) {
		hm_db_fail(db, "upsert tutor");
		goto out;
	}
	if (subjects) {
		sqlite3_bind_int64(clear, 1, id);
		if (sqlite3_step(clear) != SQLITE_DONE) {
			hm_db_fail(db, "clear subjects");
			goto out;
		}
		size_t i;
		json_t *subject;
		json_array_foreach(subjects, i, subject) {
			sqlite3_bind_int64(add, 1, id);
			sqlite3_bind_text(add, 2, json_string_value(subject), -1, SQLITE_TRANSIENT);
			int rc = sqlite3_step(add);
			sqlite3_reset(add);
			if (rc != SQLITE_DONE) {
				hm_db_fail(db, "add subject");
				goto out;
			}
		}
	}
	err = HM_OK;
out:
	hm_db_done(upsert);
	hm_db_done(clear);
	hm_db_done(add);
	return err;
}

/* The role of user id when active: HM_ERR_NOT_FOUND when there is no such user. */
static enum hm_err user_role(struct hm_db *db, int64_t id, char role[16])
{
	static const char sql[] = "SELECT role FROM users WHERE id = ?1 AND active = 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(stmt, 0);
		size_t len = r ? strlen(r) : 0;
		memcpy(role, r ? r : "", len < 15 ? len + 1 : 1);
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "user role");
}

static enum hm_err is_tutor(struct hm_db *db, int64_t id, bool *found)
{
	static const char sql[] = "SELECT 1 FROM tutors t JOIN users u ON u.id = t.user_id"
				  " WHERE t.user_id = ?1 AND u.active = 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	*found = rc == SQLITE_ROW;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "is tutor");
}

static enum hm_err availability_json(struct hm_db *db, int64_t tutor_id, json_t **out)
{
	static const char sql[] = "SELECT weekday, starts, ends FROM availability"
				  " WHERE tutor_id = ?1 ORDER BY weekday, starts";
	enum hm_err err = HM_ERR_INTERNAL;
	json_t *windows = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	if (!windows || !stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, tutor_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *w = json_pack("{s:i, s:s, s:s}", "weekday", sqlite3_column_int(stmt, 0),
				      "starts", (const char *)sqlite3_column_text(stmt, 1), "ends",
				      (const char *)sqlite3_column_text(stmt, 2));
		if (!w || json_array_append_new(windows, w) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		hm_db_fail(db, "read availability");
		goto out;
	}
	*out = json_pack("{s:I, s:o}", "tutor_id", (json_int_t)tutor_id, "windows", windows);
	windows = NULL;
	err = *out ? HM_OK : HM_ERR_INTERNAL;
out:
	hm_db_done(stmt);
	json_decref(windows);
	return err;
}

static enum hm_err availability_put(struct hm_db *db, int64_t tutor_id,
				    const struct hm_weekly_window *w, size_t n)
{
	static const char clear_sql[] = "DELETE FROM availability WHERE tutor_id = ?1";
	static const char add_sql[] =
		"INSERT INTO availability (tutor_id, weekday, starts, ends) VALUES (?1, ?2, ?3, ?4)";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *clear = hm_db_stmt(db, clear_sql);
	sqlite3_stmt *add = hm_db_stmt(db, add_sql);
	if (!clear || !add)
		goto out;
	sqlite3_bind_int64(clear, 1, tutor_id);
	if (sqlite3_step(clear) != SQLITE_DONE) {
		hm_db_fail(db, "clear availability");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char starts[6], ends[6];
		hm_hhmm_format(w[i].start_min, starts);
		hm_hhmm_format(w[i].end_min, ends); /* 1440 is "24:00" */
		sqlite3_bind_int64(add, 1, tutor_id);
		sqlite3_bind_int(add, 2, w[i].weekday);
		sqlite3_bind_text(add, 3, starts, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(add, 4, ends, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(add);
		sqlite3_reset(add);
		if (rc != SQLITE_DONE) {
			hm_db_fail(db, "add availability");
			goto out;
		}
	}
	err = HM_OK;
out:
	hm_db_done(clear);
	hm_db_done(add);
	return err;
}

static json_t *service_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:I, s:i, s:b}",
			 "id", (json_int_t)sqlite3_column_int64(stmt, 0),
			 "name", (const char *)sqlite3_column_text(stmt, 1),
			 "subject", (const char *)sqlite3_column_text(stmt, 2),
			 "level", (const char *)sqlite3_column_text(stmt, 3),
			 "kind", (const char *)sqlite3_column_text(stmt, 4),
			 "duration_min", sqlite3_column_int(stmt, 5),
			 "price_cents", (json_int_t)sqlite3_column_int64(stmt, 6),
			 "capacity", sqlite3_column_int(stmt, 7),
			 "active", sqlite3_column_int(stmt, 8) != 0);
}

static enum hm_err services_json(struct hm_db *db, int64_t id, bool only_active, int64_t after,
				 int limit, json_t **items, int64_t *next_after)
{
	static const char sql[] =
		"SELECT id, name, subject, level, kind, duration_min, price_cents, capacity, active"
		" FROM services WHERE id > ?1 AND (?2 = 0 OR id = ?2) AND (?3 = 0 OR active = 1)"
		" ORDER BY id LIMIT ?4";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, id);
	sqlite3_bind_int(stmt, 3, only_active);
	sqlite3_bind_int(stmt, 4, limit + 1);
	return hm_db_page(db, stmt, limit, service_from_row, items, next_after);
}

/* ---- handlers: tutors ---------------------------------------------------- */

void hm_api_tutors_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = tutors_json(req->db, 0, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
	reply->cache_until = INT64_MAX;
}

void hm_api_tutors_put(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"subjects", "bio", NULL};
	static const char *const read_only[] = {"id", "full_name", NULL};
	struct hm_validation v;
	int64_t id = req->path_ids[0];
	json_t *subjects = json_object_get(req->json, "subjects");
	const char *bio = NULL;
	bool bio_present = false;
	char role[16] = "";
	json_t *items = NULL;
	int64_t next = 0;

	hm_validation_init(&v);
	enum hm_err err = user_role(req->db, id, role); /* 404 comes before 422 */
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_validate_known(&v, req->json, allowed, read_only);
	if (!json_is_array(subjects) || json_array_size(subjects) > MAX_SUBJECTS) {
		hm_validation_fail(&v, "subjects", "must be a list of at most 20 subject keys");
	} else {
		size_t i;
		json_t *s;
		json_array_foreach(subjects, i, s)
			if (!json_is_string(s) || !hm_subject_is_valid(json_string_value(s)))
				hm_validation_fail(&v, "subjects",
						   "each subject must be a key: lower-case letters, digits, - or _");
	}
	hm_validate_text_or_empty(&v, req->json, "bio", HM_MAX_TEXT, &bio, &bio_present);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (strcmp(role, "student") == 0) {
		hm_reply_error(reply, HM_ERR_CONFLICT, "Only staff users can be tutors.");
		goto out;
	}
	err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = tutor_put(req->db, id, subjects, bio_present && bio ? bio : "", req->now);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "tutor.put", "tutor", id, req->json,
				      req->request_id, req->now);
	if (err == HM_OK)
		err = tutors_json(req->db, id, 0, 1, &items, &next);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_reply_json(reply, 200, json_incref(json_array_get(items, 0)));
out:
	json_decref(items);
	hm_validation_release(&v);
}

void hm_api_availability_get(struct hm_request *req, struct hm_reply *reply)
{
	bool found = false;
	json_t *body = NULL;
	enum hm_err err = is_tutor(req->db, req->path_ids[0], &found);
	if (err == HM_OK && !found)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK)
		err = availability_json(req->db, req->path_ids[0], &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, body);
	reply->cache_until = INT64_MAX;
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
	json_array_foreach(list, i, item) {
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
			known = known && (strcmp(key, allowed[0]) == 0 || strcmp(key, allowed[1]) == 0 ||
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

void hm_api_availability_put(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"windows", NULL};
	static const char *const read_only[] = {"tutor_id", NULL};
	struct hm_validation v;
	struct hm_weekly_window windows[MAX_WINDOWS];
	int64_t id = req->path_ids[0];
	bool found = false;
	json_t *body = NULL;

	enum hm_err err = is_tutor(req->db, id, &found);
	if (err == HM_OK && !found)
		err = HM_ERR_NOT_FOUND;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	size_t n = read_windows(&v, req->json, windows);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = availability_put(req->db, id, windows, n);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "availability.put", "tutor", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = availability_json(req->db, id, &body);
	hm_api_finish(req, reply, err, 200, body);
out:
	hm_validation_release(&v);
}

/* ---- handlers: services -------------------------------------------------- */

void hm_api_services_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	/* Inactive services are the staff's business. */
	bool only_active = req->who.role != HM_ROLE_STAFF && req->who.role != HM_ROLE_ADMIN;
	enum hm_err err = services_json(req->db, 0, only_active, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
	reply->cache_until = INT64_MAX;
}

/* Validates a service body; for a create every field but level, capacity and
 * active is required. Fills the SQL parameters. */
struct service_fields {
	const char *name, *subject, *level;
	int kind;
	int64_t duration, price, capacity;
	bool active, active_present, duration_present, price_present, capacity_present;
};

static void validate_service(struct hm_validation *v, json_t *body, bool create,
			     struct service_fields *f)
{
	static const char *const allowed[] = {"name", "subject", "level", "kind", "duration_min",
					      "price_cents", "capacity", "active", NULL};
	static const char *const read_only[] = {"id", NULL};
	hm_validate_known(v, body, allowed, read_only);
	hm_validate_text(v, body, "name", create, HM_MAX_NAME, &f->name);
	hm_validate_subject(v, body, "subject", create, &f->subject);
	hm_validate_text(v, body, "level", false, 40, &f->level);
	hm_validate_enum(v, body, "kind", create, service_kinds, &f->kind);
	hm_validate_int(v, body, "duration_min", create, 5, 600, &f->duration, &f->duration_present);
	hm_validate_int(v, body, "price_cents", create, 0, 100000000, &f->price,
			&f->price_present);
	hm_validate_int(v, body, "capacity", false, 1, 500, &f->capacity, &f->capacity_present);
	hm_validate_bool(v, body, "active", false, &f->active, &f->active_present);
}

static enum hm_err service_reply_json(struct hm_db *db, int64_t id, json_t **out)
{
	json_t *items = NULL;
	int64_t next = 0;
	enum hm_err err = services_json(db, id, false, 0, 1, &items, &next);
	if (err == HM_OK && json_array_size(items) == 0)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return err;
}

void hm_api_services_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"INSERT INTO services (name, subject, level, kind, duration_min, price_cents,"
		" capacity, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct hm_validation v;
	struct service_fields f = {.kind = -1, .active = true};
	json_t *body = NULL;

	hm_validation_init(&v);
	validate_service(&v, req->json, true, &f);
	if (f.kind == 0 && f.capacity_present && f.capacity != 1)
		hm_validation_fail(&v, "capacity", "a private service has capacity 1");
	if (f.kind > 0 && !f.capacity_present)
		hm_validation_fail(&v, "capacity", "is required for group services and workshops");
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	int64_t id = 0;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_text(stmt, 1, f.name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, f.subject, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 3, f.level ? f.level : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, service_kinds[f.kind], -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 5, f.duration);
		sqlite3_bind_int64(stmt, 6, f.price);
		sqlite3_bind_int64(stmt, 7, f.kind == 0 ? 1 : f.capacity);
		sqlite3_bind_int(stmt, 8, f.active);
		sqlite3_bind_int64(stmt, 9, req->now);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "insert service");
		id = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "service.create", "service", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = service_reply_json(req->db, id, &body);
	hm_api_finish(req, reply, err, 201, body);
out:
	hm_validation_release(&v);
}

void hm_api_services_update(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"UPDATE services SET name = coalesce(?2, name), subject = coalesce(?3, subject),"
		" level = coalesce(?4, level), kind = coalesce(?5, kind),"
		" duration_min = coalesce(?6, duration_min), price_cents = coalesce(?7, price_cents),"
		" capacity = coalesce(?8, capacity), active = coalesce(?9, active) WHERE id = ?1";
	struct hm_validation v;
	struct service_fields f = {.kind = -1};
	struct hm_service current;
	int64_t id = req->path_ids[0];
	json_t *body = NULL;

	enum hm_err err = hm_crm_service(req->db, id, &current);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_validation_init(&v);
	validate_service(&v, req->json, false, &f);
	bool becomes_private = f.kind == 0 || (f.kind < 0 && strcmp(current.kind, "private") == 0);
	int64_t capacity = f.capacity_present ? f.capacity : current.capacity;
	if (becomes_private && capacity != 1)
		hm_validation_fail(&v, "capacity", "a private service has capacity 1");
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	sqlite3_stmt *stmt = NULL;
	err = hm_db_begin_stmt(req->db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		hm_db_bind_text_or_null(stmt, 2, f.name);
		hm_db_bind_text_or_null(stmt, 3, f.subject);
		hm_db_bind_text_or_null(stmt, 4, f.level);
		hm_db_bind_text_or_null(stmt, 5, f.kind >= 0 ? service_kinds[f.kind] : NULL);
		if (f.duration_present)
			sqlite3_bind_int64(stmt, 6, f.duration);
		if (f.price_present)
			sqlite3_bind_int64(stmt, 7, f.price);
		if (f.capacity_present)
			sqlite3_bind_int64(stmt, 8, f.capacity);
		if (f.active_present)
			sqlite3_bind_int(stmt, 9, f.active);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "update service");
		hm_db_done(stmt);
	}
	if (err == HM_OK && json_object_size(req->json) > 0)
		err = hm_audit_record(req->db, req->who.user_id, "service.update", "service", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = service_reply_json(req->db, id, &body);
	hm_api_finish(req, reply, err, 200, body);
out:
	hm_validation_release(&v);
}

/* ---- handlers: slots ----------------------------------------------------- */

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
		ok = hm_buf_printf(out, "%s{\"tutor_id\":%lld,\"starts_at\":\"%s\",\"ends_at\":\"%s\","
				   "\"seats_left\":%d}", i ? "," : "", (long long)list[i].tutor_id,
				   starts, ends, list[i].slot.seats_left);
	}
	return ok && hm_buf_append(out, "]}\n", 3);
}

/* Tutors who teach svc (or just tutor_id), active staff with a profile. */
static enum hm_err tutors_for(struct hm_db *db, const struct hm_service *svc, int64_t tutor_id,
			      int64_t out[64], size_t *n)
{
	static const char sql[] =
		"SELECT ts.tutor_id FROM tutor_subjects ts JOIN users u ON u.id = ts.tutor_id"
		" WHERE ts.subject = ?1 AND u.active = 1 AND u.role IN ('staff', 'admin')"
		" AND (?2 = 0 OR ts.tutor_id = ?2) ORDER BY ts.tutor_id LIMIT 64";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	*n = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, svc->subject, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, tutor_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < 64)
		out[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "tutors for service");
}

void hm_api_slots(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL;
	int64_t service_id = 0, tutor_id = 0, first = 0, last = 0, tutors[64];
	size_t n_tutors = 0, n_listed = 0, listed_alloc = 0, body_len = 0;
	struct hm_service svc;
	struct hm_slot *slots = NULL;
	struct listed_slot *list = NULL;
	struct hm_buf text;
	char *body = NULL;
	enum hm_err err = HM_OK;

	hm_api_query_id(req, "service_id", &service_id, &fields);
	hm_api_query_id(req, "tutor_id", &tutor_id, &fields);
	hm_api_query_days(req, 7, 31, &first, &last, &fields);
	if (!hm_query_get(req, "service_id") && !fields)
		fields = json_pack("{s:s}", "service_id", "is required");
	if (!fields && service_id) {
		err = hm_crm_service(req->db, service_id, &svc);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !svc.active)) {
			fields = json_pack("{s:s}", "service_id", "no such service");
			err = HM_OK;
		}
	}
	if (err == HM_OK && fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	hm_buf_init(&text, (size_t)64 << 20); /* far above 64 tutors x 31 days */
	slots = malloc(MAX_SLOTS * sizeof *slots);
	if (err == HM_OK && !slots)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = tutors_for(req->db, &svc, tutor_id, tutors, &n_tutors);
	int64_t earliest_start = INT64_MAX; /* the answer holds until a listed slot starts */
	for (size_t t = 0; err == HM_OK && t < n_tutors; t++) {
		struct hm_slot_query q;
		err = hm_crm_slot_query(req->db, tutors[t], &svc, first, last, req->now, &q);
		if (err != HM_OK)
			break;
		size_t n = hm_slots_generate(&q, slots, MAX_SLOTS);
		hm_crm_slot_query_release(&q);
		if (n > MAX_SLOTS)
			n = MAX_SLOTS;
		if (n_listed + n > listed_alloc) {
			size_t want = (n_listed + n) * 2;
			struct listed_slot *bigger = realloc(list, want * sizeof *list);
			if (!bigger) {
				err = HM_ERR_INTERNAL;
				break;
			}
			list = bigger;
			listed_alloc = want;
		}
		for (size_t i = 0; i < n; i++) {
			if (slots[i].starts < earliest_start)
				earliest_start = slots[i].starts;
			list[n_listed++] = (struct listed_slot){tutors[t], slots[i]};
		}
	}
	if (err == HM_OK) {
		if (n_listed > 1)
			qsort(list, n_listed, sizeof *list, compare_listed);
		if (!slots_text(list, n_listed, &text) || !(body = hm_buf_detach(&text, &body_len)))
			err = HM_ERR_INTERNAL;
	}
	free(slots);
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
