// SPDX-License-Identifier: MIT
// Tutors (include/harreman/db_tutors.h): the tutors, tutor_subjects and
// availability tables. Owns the tutor object's JSON (read straight from its row),
// the availability object's, the profile and availability writes with their audit
// rows, and the read of which tutors teach a subject that GET /slots starts from.
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_tutors.h"
#include "harreman/db_services.h"
#include "harreman/hours.h"
#include "harreman/slots.h"
#include "harreman/banned.h"

/* ---- profiles ------------------------------------------------------------ */

static json_t *tutor_from_row(sqlite3_stmt *stmt)
{
	json_t *subjects = json_loads((const char *)sqlite3_column_text(stmt, 3), 0, NULL);
	return json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0),
			 "full_name", (const char *)sqlite3_column_text(stmt, 1), "subjects",
			 subjects ? subjects : json_array(), "bio",
			 (const char *)sqlite3_column_text(stmt, 2));
}

/* Tutors with id > after (all when tutor_id is 0, else just that one). */
static enum hm_err tutors_page(struct hm_db *db, int64_t tutor_id, int64_t after, int limit,
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

enum hm_err hm_db_tutors_list(struct hm_db *db, int64_t after, int limit, json_t **items,
			      int64_t *next_after)
{
	return tutors_page(db, 0, after, limit, items, next_after);
}

enum hm_err hm_db_tutors_user_is_staff(struct hm_db *db, int64_t id, bool *staff)
{
	static const char sql[] = "SELECT role IN ('staff', 'admin') FROM users"
				  " WHERE id = ?1 AND active = 1";
	int64_t value = 0;
	enum hm_err err = hm_db_int_by_id(db, sql, id, &value, "user role");
	*staff = value != 0;
	return err;
}

enum hm_err hm_db_tutors_check(struct hm_db *db, int64_t id)
{
	static const char sql[] = "SELECT 1 FROM tutors t JOIN users u ON u.id = t.user_id"
				  " WHERE t.user_id = ?1 AND u.active = 1";
	int64_t value = 0;
	return hm_db_int_by_id(db, sql, id, &value, "is tutor");
}

/* Steps a write statement once and hands it back: HM_OK or the logged failure. */
static enum hm_err step_done(struct hm_db *db, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, what);
}

static enum hm_err profile_write(struct hm_db *db, int64_t id, const struct hm_tutor_profile *p,
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
	hm_db_bind_text_or_null(upsert, 2, p->bio);
	sqlite3_bind_int64(upsert, 3, now);
	err = step_done(db, upsert, "upsert tutor");
	if (err != HM_OK || !p->subjects)
		goto out;
	sqlite3_bind_int64(clear, 1, id);
	err = step_done(db, clear, "clear subjects");
	size_t i;
	json_t *subject;
	json_array_foreach(p->subjects, i, subject)
	{
		if (err != HM_OK)
			break;
		sqlite3_bind_int64(add, 1, id);
		sqlite3_bind_text(add, 2, json_string_value(subject), -1, SQLITE_TRANSIENT);
		err = step_done(db, add, "add subject");
	}
out:
	hm_db_done(upsert);
	hm_db_done(clear);
	hm_db_done(add);
	return err;
}

/* The tutor object of id into *out (caller owns). */
static enum hm_err tutor_get(struct hm_db *db, int64_t id, json_t **out)
{
	json_t *items = NULL;
	int64_t next = 0;
	enum hm_err err = tutors_page(db, id, 0, 1, &items, &next);
	if (err == HM_OK && json_array_size(items) == 0)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK)
		*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return err;
}

enum hm_err hm_db_tutors_put(struct hm_db *db, int64_t id, const struct hm_tutor_profile *p,
			     json_t *detail, const struct hm_actor *who, json_t **out)
{
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = profile_write(db, id, p, who->now);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "tutor.put", "tutor", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = tutor_get(db, id, out);
	return hm_db_end(db, err);
}

/* ---- availability -------------------------------------------------------- */

static json_t *window_from_row(sqlite3_stmt *stmt)
{
	return json_pack("{s:i, s:s, s:s}", "weekday", sqlite3_column_int(stmt, 0), "starts",
			 (const char *)sqlite3_column_text(stmt, 1), "ends",
			 (const char *)sqlite3_column_text(stmt, 2));
}

static enum hm_err availability_read(struct hm_db *db, int64_t tutor_id, json_t **out)
{
	static const char sql[] = "SELECT weekday, starts, ends FROM availability"
				  " WHERE tutor_id = ?1 ORDER BY weekday, starts";
	json_t *windows = NULL;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, tutor_id);
	enum hm_err err = hm_db_rows(db, stmt, window_from_row, &windows, "read availability");
	if (err != HM_OK)
		return err;
	*out = json_pack("{s:I, s:o}", "tutor_id", (json_int_t)tutor_id, "windows", windows);
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_tutors_availability_get(struct hm_db *db, int64_t id, json_t **out)
{
	enum hm_err err = hm_db_tutors_check(db, id);
	return err == HM_OK ? availability_read(db, id, out) : err;
}

static enum hm_err availability_write(struct hm_db *db, int64_t tutor_id,
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
	err = step_done(db, clear, "clear availability");
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		char starts[6], ends[6];
		hm_hhmm_format(w[i].start_min, starts);
		hm_hhmm_format(w[i].end_min, ends); /* 1440 is "24:00" */
		sqlite3_bind_int64(add, 1, tutor_id);
		sqlite3_bind_int(add, 2, w[i].weekday);
		sqlite3_bind_text(add, 3, starts, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(add, 4, ends, -1, SQLITE_TRANSIENT);
		err = step_done(db, add, "add availability");
	}
out:
	hm_db_done(clear);
	hm_db_done(add);
	return err;
}

enum hm_err hm_db_tutors_availability_put(struct hm_db *db, int64_t id,
					  const struct hm_weekly_window *w, size_t n,
					  json_t *detail, const struct hm_actor *who, json_t **out)
{
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_tutors_check(db, id);
	if (err == HM_OK)
		err = availability_write(db, id, w, n);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "availability.put", "tutor", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = availability_read(db, id, out);
	return hm_db_end(db, err);
}

/* ---- who teaches a subject ----------------------------------------------- */

enum hm_err hm_db_tutors_teaching(struct hm_db *db, const char *subject, int64_t tutor_id,
				  int64_t out[HM_DB_TUTORS_PER_SUBJECT], size_t *n)
{
	static const char sql[] =
		"SELECT ts.tutor_id FROM tutor_subjects ts JOIN users u ON u.id = ts.tutor_id"
		" WHERE ts.subject = ?1 AND u.active = 1 AND u.role IN ('staff', 'admin')"
		" AND (?2 = 0 OR ts.tutor_id = ?2) ORDER BY ts.tutor_id LIMIT ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	*n = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, subject, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, tutor_id);
	sqlite3_bind_int(stmt, 3, HM_DB_TUTORS_PER_SUBJECT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < HM_DB_TUTORS_PER_SUBJECT)
		out[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "tutors for service");
}

/* ---- shared with the other resources (once src/db/crm.c) ---- */

enum hm_err hm_db_tutors_teaches(struct hm_db *db, int64_t tutor_id, const char *subject,
				 bool *teaches)
{
	static const char sql[] =
		"SELECT 1 FROM tutor_subjects ts JOIN users u ON u.id = ts.tutor_id"
		" WHERE ts.tutor_id = ?1 AND ts.subject = ?2 AND u.active = 1"
		" AND u.role IN ('staff', 'admin')";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, tutor_id);
	sqlite3_bind_text(stmt, 2, subject, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	*teaches = rc == SQLITE_ROW;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "tutor teaches");
}

enum hm_err hm_db_tutors_slot_query(struct hm_db *db, int64_t tutor_id,
				    const struct hm_service *svc, int64_t first_day,
				    int64_t last_day, int64_t now, struct hm_slot_query *q)
{
	return hm_db_tutors_slot_query_except(db, tutor_id, svc, first_day, last_day, now, 0, q);
}

enum hm_err hm_db_tutors_slot_query_except(struct hm_db *db, int64_t tutor_id,
					   const struct hm_service *svc, int64_t first_day,
					   int64_t last_day, int64_t now, int64_t except_id,
					   struct hm_slot_query *q)
{
	static const char windows_sql[] =
		"SELECT weekday, starts, ends FROM availability WHERE tutor_id = ?1";
	/* Lessons of one group session are counted together, with the seats held for
	 * a waitlist offer (sql/0008): a held seat is a taken one. */
	static const char booked_sql[] =
		"SELECT starts_at, max(ends_at), service_id, count(*) FROM ("
		" SELECT starts_at, ends_at, service_id FROM lessons"
		" WHERE tutor_id = ?1 AND status = 'booked' AND starts_at < ?3 AND ends_at > ?2"
		/* a lesson lasts at most 600 minutes: a lower bound the index can use */
		" AND starts_at > ?2 - 36000 AND id <> ?4"
		" UNION ALL SELECT w.starts_at, w.starts_at + 60 * s.duration_min, w.service_id"
		" FROM slot_waitlist w JOIN services s ON s.id = w.service_id"
		" WHERE w.tutor_id = ?1 AND w.state = 'offered' AND w.starts_at < ?3"
		" AND w.starts_at > ?2 - 36000)"
		" GROUP BY service_id, starts_at ORDER BY starts_at";
	enum hm_err err = HM_ERR_INTERNAL;
	struct hm_weekly_window *windows = NULL;
	struct hm_booked *booked = NULL;
	size_t n_windows = 0, n_booked = 0, cap_windows = 16, cap_booked = 32;
	sqlite3_stmt *ws = hm_db_stmt(db, windows_sql);
	sqlite3_stmt *bs = hm_db_stmt(db, booked_sql);
	int rc;

	memset(q, 0, sizeof *q);
	windows = malloc(cap_windows * sizeof *windows);
	booked = malloc(cap_booked * sizeof *booked);
	if (!ws || !bs || !windows || !booked)
		goto out;
	sqlite3_bind_int64(ws, 1, tutor_id);
	while ((rc = sqlite3_step(ws)) == SQLITE_ROW) {
		struct hm_weekly_window w = {.weekday = sqlite3_column_int(ws, 0)};
		if (!hm_hhmm_parse((const char *)sqlite3_column_text(ws, 1), false, &w.start_min) ||
		    !hm_hhmm_parse((const char *)sqlite3_column_text(ws, 2), true, &w.end_min))
			continue;
		if (n_windows == cap_windows) {
			void *bigger = realloc(windows, (cap_windows *= 2) * sizeof *windows);
			if (!bigger)
				goto out;
			windows = bigger;
		}
		windows[n_windows++] = w;
	}
	if (rc != SQLITE_DONE) {
		hm_db_fail(db, "read availability");
		goto out;
	}
	/* A day either side: lessons near midnight and daylight-saving shifts. */
	sqlite3_bind_int64(bs, 1, tutor_id);
	sqlite3_bind_int64(bs, 2, hm_local_instant(first_day - 1, 0));
	sqlite3_bind_int64(bs, 3, hm_local_instant(last_day + 2, 0));
	sqlite3_bind_int64(bs, 4, except_id);
	while ((rc = sqlite3_step(bs)) == SQLITE_ROW) {
		if (n_booked == cap_booked) {
			void *bigger = realloc(booked, (cap_booked *= 2) * sizeof *booked);
			if (!bigger)
				goto out;
			booked = bigger;
		}
		booked[n_booked++] = (struct hm_booked){
			.starts = sqlite3_column_int64(bs, 0),
			.ends = sqlite3_column_int64(bs, 1),
			.service_id = sqlite3_column_int64(bs, 2),
			.seats_taken = sqlite3_column_int(bs, 3),
		};
	}
	if (rc != SQLITE_DONE) {
		hm_db_fail(db, "read booked lessons");
		goto out;
	}
	q->windows = windows;
	q->n_windows = n_windows;
	q->booked = booked;
	q->n_booked = n_booked;
	q->service_id = svc->id;
	q->duration_min = svc->duration_min;
	q->capacity = svc->capacity;
	q->shared = strcmp(svc->kind, "private") != 0;
	q->first_day = first_day;
	q->last_day = last_day;
	q->now = now;
	windows = NULL;
	booked = NULL;
	err = HM_OK;
out:
	hm_db_done(ws);
	hm_db_done(bs);
	free(windows);
	free(booked);
	return err;
}

void hm_db_tutors_slot_query_release(struct hm_slot_query *q)
{
	free((void *)(uintptr_t)q->windows);
	free((void *)(uintptr_t)q->booked);
	memset(q, 0, sizeof *q);
}
