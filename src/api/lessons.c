// SPDX-License-Identifier: MIT
// Lessons: booking (self-service by a student, for any client by staff, a weekly
// series all or nothing, walk-ins logged after the fact), listing, cancelling with
// the 24-hour rule, and the staff's attendance log. The slot rules decide what may
// be booked; the database's triggers make a double booking impossible even when
// two requests race.
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/audit.h"
#include "harreman/crm.h"
#include "harreman/db_lessons.h"
#include "harreman/hours.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define MAX_WEEKS 52
#define CANCEL_NOTICE ((int64_t)24 * 3600)
/* How far ahead a lesson can be booked, and how late a walk-in can be logged. */
#define BOOKING_HORIZON ((int64_t)400 * 86400)
#define WALK_IN_PAST ((int64_t)366 * 86400)

static const char *const channels[] = {"web", "phone", "email", "in_person", NULL};
static const char *const attendances[] = {"attended", "no_show", NULL};
static const char *const paces[] = {"slow", "steady", "fast", NULL};

/* ---- data layer ---------------------------------------------------------- */

struct lesson_row {
	int64_t id, client_id, contract_id, starts_at;
	bool made_contract, cancelled;
	char contract_kind[16];
};

static enum hm_err lesson_row(struct hm_db *db, int64_t id, struct lesson_row *out)
{
	static const char sql[] =
		"SELECT l.id, l.client_id, coalesce(l.contract_id, 0), l.starts_at, l.made_contract,"
		" l.status = 'cancelled', coalesce(k.kind, '') FROM lessons l"
		" LEFT JOIN contracts k ON k.id = l.contract_id WHERE l.id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->client_id = sqlite3_column_int64(stmt, 1);
		out->contract_id = sqlite3_column_int64(stmt, 2);
		out->starts_at = sqlite3_column_int64(stmt, 3);
		out->made_contract = sqlite3_column_int(stmt, 4) != 0;
		out->cancelled = sqlite3_column_int(stmt, 5) != 0;
		const char *kind = (const char *)sqlite3_column_text(stmt, 6);
		size_t len = kind ? strlen(kind) : 0;
		memcpy(out->contract_kind, kind ? kind : "", len < 15 ? len + 1 : 1);
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read lesson");
}

/* Uses n sessions of contract_id for client_id: HM_ERR_NO_SESSIONS_LEFT when it
 * has fewer left; HM_ERR_VALIDATION_FAILED when it is not this client's active
 * contract for this service. */
static enum hm_err use_sessions(struct hm_db *db, int64_t contract_id, int64_t client_id,
				int64_t service_id, int n)
{
	static const char check_sql[] =
		"SELECT sessions_total - sessions_used FROM contracts WHERE id = ?1"
		" AND client_id = ?2 AND service_id = ?3 AND status = 'active'";
	static const char use_sql[] =
		"UPDATE contracts SET sessions_used = sessions_used + ?2 WHERE id = ?1";
	sqlite3_stmt *check = hm_db_stmt(db, check_sql);
	sqlite3_stmt *use = hm_db_stmt(db, use_sql);
	if (!check || !use)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(check, 1, contract_id);
	sqlite3_bind_int64(check, 2, client_id);
	sqlite3_bind_int64(check, 3, service_id);
	int rc = sqlite3_step(check);
	int64_t left = rc == SQLITE_ROW ? sqlite3_column_int64(check, 0) : 0;
	hm_db_done(check);
	if (rc == SQLITE_DONE)
		return HM_ERR_VALIDATION_FAILED;
	if (rc != SQLITE_ROW)
		return hm_db_fail(db, "read contract sessions");
	if (left < n)
		return HM_ERR_NO_SESSIONS_LEFT;
	sqlite3_bind_int64(use, 1, contract_id);
	sqlite3_bind_int(use, 2, n);
	rc = sqlite3_step(use);
	hm_db_done(use);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "use sessions");
}

struct new_lesson {
	int64_t client_id, tutor_id, service_id, contract_id, starts, ends, created_by, now;
	bool made_contract;
	const char *channel;
	const char *attendance; /* walk-in: logged at once */
	const char *notes;
};

/* Inserts a lesson; the triggers answer slot_taken or full for a taken time. */
static enum hm_err insert_lesson(struct hm_db *db, const struct new_lesson *l, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO lessons (client_id, tutor_id, service_id, contract_id, made_contract,"
		" starts_at, ends_at, channel, attendance, notes, created_at, created_by, logged_at,"
		" logged_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce(?10, ''), ?11, ?12,"
		" CASE WHEN ?9 IS NULL THEN NULL ELSE ?11 END, CASE WHEN ?9 IS NULL THEN NULL"
		" ELSE ?12 END)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, l->client_id);
	sqlite3_bind_int64(stmt, 2, l->tutor_id);
	sqlite3_bind_int64(stmt, 3, l->service_id);
	sqlite3_bind_int64(stmt, 4, l->contract_id);
	sqlite3_bind_int(stmt, 5, l->made_contract);
	sqlite3_bind_int64(stmt, 6, l->starts);
	sqlite3_bind_int64(stmt, 7, l->ends);
	sqlite3_bind_text(stmt, 8, l->channel, -1, SQLITE_STATIC);
	hm_db_bind_text_or_null(stmt, 9, l->attendance);
	hm_db_bind_text_or_null(stmt, 10, l->notes);
	sqlite3_bind_int64(stmt, 11, l->now);
	if (l->created_by)
		sqlite3_bind_int64(stmt, 12, l->created_by);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	if (rc == SQLITE_CONSTRAINT_TRIGGER) {
		const char *why = sqlite3_errmsg(hm_db_handle(db));
		err = strcmp(why, "full") == 0          ? HM_ERR_FULL
		      : strcmp(why, "client_busy") == 0 ? HM_ERR_CLIENT_BUSY
							: HM_ERR_SLOT_TAKEN;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "insert lesson");
	} else {
		*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	}
	hm_db_done(stmt);
	return err;
}

static enum hm_err update_client_progress(struct hm_db *db, int64_t client_id, const char *level,
					  const char *pace, int64_t now)
{
	static const char sql[] = "UPDATE clients SET level = coalesce(?2, level),"
				  " pace = coalesce(?3, pace), updated_at = ?4 WHERE id = ?1";
	if (!level && !pace)
		return HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	hm_db_bind_text_or_null(stmt, 2, level);
	hm_db_bind_text_or_null(stmt, 3, pace);
	sqlite3_bind_int64(stmt, 4, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "update client progress");
}

/* ---- booking ------------------------------------------------------------- */

struct booking {
	int64_t client_id, service_id, tutor_id, contract_id, starts, repeat_weeks;
	int channel, attendance, pace;
	const char *notes, *level;
	bool staff;
	struct hm_service service;
	int64_t starts_list[MAX_WEEKS];
	int n;
};

/* Checks the body; answers 422 itself and returns false on a bad one. */
static bool read_booking(struct hm_request *req, struct hm_reply *reply, struct booking *b)
{
	static const char *const staff_fields[] = {
		"service_id", "tutor_id", "starts_at", "contract_id", "client_id", "channel",
		"repeat_weeks", "attendance", "notes", "level", "pace", NULL};
	static const char *const student_fields[] = {"service_id", "tutor_id", "starts_at",
						     "contract_id", "repeat_weeks", NULL};
	static const char *const read_only[] = {"id", "ends_at", "status", "contract", NULL};
	struct hm_validation v;
	const char *starts_text = NULL;
	bool weeks_present = false, ok = false;
	bool notes_present = false;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, b->staff ? staff_fields : student_fields, read_only);
	hm_validate_int(&v, req->json, "service_id", true, 1, INT64_MAX, &b->service_id, NULL);
	hm_validate_int(&v, req->json, "tutor_id", true, 1, INT64_MAX, &b->tutor_id, NULL);
	hm_validate_text(&v, req->json, "starts_at", true, 40, &starts_text);
	if (starts_text && !hm_time_parse(starts_text, &b->starts))
		hm_validation_fail(&v, "starts_at", "must be an RFC 3339 instant");
	else if (starts_text && b->starts > req->now + BOOKING_HORIZON)
		hm_validation_fail(&v, "starts_at", "is too far ahead: at most 400 days");
	else if (starts_text && b->starts < req->now - WALK_IN_PAST)
		hm_validation_fail(&v, "starts_at", "is too far in the past: at most 366 days");
	hm_validate_int(&v, req->json, "contract_id", false, 1, INT64_MAX, &b->contract_id, NULL);
	hm_validate_int(&v, req->json, "repeat_weeks", false, 2, MAX_WEEKS, &b->repeat_weeks,
			&weeks_present);
	if (b->staff) {
		hm_validate_int(&v, req->json, "client_id", true, 1, INT64_MAX, &b->client_id, NULL);
		hm_validate_enum(&v, req->json, "channel", false, channels, &b->channel);
		hm_validate_enum(&v, req->json, "attendance", false, attendances, &b->attendance);
		hm_validate_text_or_empty(&v, req->json, "notes", HM_MAX_TEXT, &b->notes,
					  &notes_present);
		hm_validate_text(&v, req->json, "level", false, 40, &b->level);
		hm_validate_enum(&v, req->json, "pace", false, paces, &b->pace);
		if (b->attendance < 0 && (notes_present || b->level || b->pace >= 0))
			hm_validation_fail(&v, "attendance",
					   "is required to log notes, level or pace with a booking");
		if (b->attendance >= 0 && weeks_present)
			hm_validation_fail(&v, "repeat_weeks", "a walk-in lesson is a single lesson");
		if (b->attendance >= 0 && starts_text && b->starts > req->now)
			hm_validation_fail(&v, "starts_at",
					   "a walk-in lesson is logged once it has started");
	}
	b->n = weeks_present ? (int)b->repeat_weeks : 1;
	if (hm_validation_ok(&v)) {
		enum hm_err err = hm_crm_service(req->db, b->service_id, &b->service);
		bool teaches = false;
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !b->service.active))
			hm_validation_fail(&v, "service_id", "no such service");
		else if (err != HM_OK || hm_crm_tutor_teaches(req->db, b->tutor_id,
							       b->service.subject, &teaches) != HM_OK)
			v.oom = true;
		else if (!teaches)
			hm_validation_fail(&v, "tutor_id", "this tutor does not teach this service");
	}
	if (hm_validation_ok(&v) && b->staff) {
		bool exists = false;
		if (hm_crm_client_exists(req->db, b->client_id, &exists) != HM_OK)
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
		for (int i = 0; i < b->n; i++)
			b->starts_list[i] = i == 0 ? b->starts
						   : hm_local_instant(day + (int64_t)7 * i, minute);
	}
	if (!hm_validation_ok(&v))
		hm_api_reply_validation(reply, &v);
	else
		ok = true;
	hm_validation_release(&v);
	return ok;
}

/* Checks every start against the slot rules: 422 when one is not a slot at all
 * (off the tutor's hours or in the past), 409 when taken (listing the taken
 * instants for a series). Returns false when it answered. */
static bool check_slots(struct hm_request *req, struct hm_reply *reply, const struct booking *b)
{
	struct hm_slot_query q;
	json_t *conflicts = json_array();
	bool full = false, ok = false, busy_client = false;
	int64_t day;
	int weekday;
	hm_local_day(b->starts_list[b->n - 1], &day, &weekday);
	int64_t last_day = day;
	hm_local_day(b->starts, &day, &weekday);
	enum hm_err err = conflicts ? hm_crm_slot_query(req->db, b->tutor_id, &b->service, day,
							last_day, req->now, &q)
				    : HM_ERR_INTERNAL;
	if (err != HM_OK) {
		json_decref(conflicts);
		hm_api_reply_err(reply, err);
		return false;
	}
	for (int i = 0; i < b->n; i++) {
		struct hm_slot slot;
		struct hm_slot_query free_q = q;
		free_q.n_booked = 0; /* on the grid at all? */
		if (!hm_slots_find(&free_q, b->starts_list[i], &slot)) {
			hm_reply_invalid(reply, json_pack("{s:s}", "starts_at",
							  "is not an open slot of this tutor and service"));
			goto out;
		}
		if (hm_slots_find(&q, b->starts_list[i], &slot))
			continue;
		for (size_t k = 0; k < q.n_booked; k++)
			if (q.shared && q.booked[k].service_id == q.service_id &&
			    q.booked[k].starts == b->starts_list[i] &&
			    q.booked[k].seats_taken >= q.capacity)
				full = true;
		char at[HM_RFC3339_LEN];
		hm_time_format(b->starts_list[i], at);
		json_array_append_new(conflicts, json_string(at));
	}
	if (json_array_size(conflicts) == 0) {
		/* Free for the tutor: is the client free then too? */
		bool busy[MAX_WEEKS] = {false};
		err = hm_db_lessons_client_busy(req->db, b->client_id, b->tutor_id, b->starts_list,
						b->n, b->service.duration_min, busy);
		if (err != HM_OK) {
			hm_api_reply_err(reply, err);
			goto out;
		}
		for (int i = 0; i < b->n; i++) {
			char at[HM_RFC3339_LEN];
			hm_time_format(b->starts_list[i], at);
			if (busy[i])
				json_array_append_new(conflicts, json_string(at));
		}
		if (json_array_size(conflicts) == 0) {
			ok = true;
			goto out;
		}
		busy_client = true;
	}
	if (busy_client && b->n == 1) {
		hm_reply_error(reply, HM_ERR_CLIENT_BUSY, NULL);
	} else if (busy_client) {
		hm_reply_error(reply, HM_ERR_CLIENT_BUSY,
			       "The client has another lesson in some weeks; nothing was booked.");
		json_object_set(json_object_get(reply->json, "error"), "conflicts", conflicts);
	} else if (b->n == 1) {
		hm_reply_error(reply, full ? HM_ERR_FULL : HM_ERR_SLOT_TAKEN, NULL);
	} else {
		hm_reply_error(reply, HM_ERR_SLOT_TAKEN, "Some weeks are taken; nothing was booked.");
		json_object_set(json_object_get(reply->json, "error"), "conflicts", conflicts);
	}
out:
	json_decref(conflicts);
	hm_crm_slot_query_release(&q);
	return ok;
}

/* The caller's booking from the body, with the slots checked unless skip_slots:
 * false when it has answered (an error). */
static bool checked_booking(struct hm_request *req, struct hm_reply *reply, struct booking *b,
			    bool skip_slots)
{
	memset(b, 0, sizeof *b);
	b->channel = b->attendance = b->pace = -1;
	b->staff = req->who.role != HM_ROLE_STUDENT;
	if (!b->staff) {
		enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &b->client_id);
		if (err != HM_OK) {
			hm_api_reply_err(reply, err);
			return false;
		}
	}
	if (!read_booking(req, reply, b))
		return false;
	bool walk_in = b->attendance >= 0;
	return walk_in || skip_slots || check_slots(req, reply, b);
}

/* Before the write (router.h): the body and the slots, on the request's thread.
 * The write reads the body again (cheap) but not the slots: the no-overlap
 * trigger refuses a slot that was taken in between (409 all the same). */
bool hm_api_lessons_check(struct hm_request *req, struct hm_reply *reply)
{
	struct booking b;
	return checked_booking(req, reply, &b, false);
}

void hm_api_lessons_create(struct hm_request *req, struct hm_reply *reply)
{
	struct booking b;
	json_t *items = NULL, *lesson = NULL;
	int64_t ids[MAX_WEEKS];

	if (!checked_booking(req, reply, &b, req->checked))
		return;
	bool walk_in = b.attendance >= 0;

	const char *channel = b.staff ? (b.channel >= 0 ? channels[b.channel] : "in_person") : "web";
	bool made_contract = !b.contract_id;
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK && made_contract) {
		struct hm_new_contract c = {
			.client_id = b.client_id,
			.service = &b.service,
			.subscription = b.n > 1,
			.sessions = b.n,
			.sessions_used = b.n,
			.channel = channel,
			.created_by = req->who.user_id,
			.now = req->now,
		};
		err = hm_crm_contract_create(req->db, &c, req->request_id, &b.contract_id);
	} else if (err == HM_OK) {
		err = use_sessions(req->db, b.contract_id, b.client_id, b.service_id, b.n);
	}
	for (int i = 0; err == HM_OK && i < b.n; i++) {
		struct new_lesson l = {
			.client_id = b.client_id,
			.tutor_id = b.tutor_id,
			.service_id = b.service_id,
			.contract_id = b.contract_id,
			.starts = b.starts_list[i],
			.ends = b.starts_list[i] + (int64_t)b.service.duration_min * 60,
			.created_by = req->who.user_id,
			.now = req->now,
			.made_contract = made_contract,
			.channel = channel,
			.attendance = walk_in ? attendances[b.attendance] : NULL,
			.notes = b.notes,
		};
		err = insert_lesson(req->db, &l, &ids[i]);
	}
	if (err == HM_OK && walk_in)
		err = update_client_progress(req->db, b.client_id, b.level,
					     b.pace >= 0 ? paces[b.pace] : NULL, req->now);
	if (err == HM_OK) {
		json_t *detail = json_pack("{s:I, s:I, s:i, s:b}", "client_id",
					   (json_int_t)b.client_id, "contract_id",
					   (json_int_t)b.contract_id, "lessons", b.n, "walk_in",
					   walk_in);
		err = detail ? hm_audit_record(req->db, req->who.user_id, "lesson.book", "lesson",
					       ids[0], detail, req->request_id, req->now)
			     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	/* The confirmation, in the same transaction: no booking without it, and no
	 * confirmation of a booking that rolled back. A walk-in has happened already. */
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	if (err == HM_OK && !walk_in)
		err = hm_outbox_lessons_booked(req->db, &env, ids, (size_t)b.n, req->now);
	items = json_array();
	for (int i = 0; err == HM_OK && i < b.n; i++) {
		err = hm_crm_lesson_json(req->db, ids[i], &lesson);
		if (err == HM_OK && (!items || json_array_append_new(items, lesson) != 0))
			err = HM_ERR_INTERNAL;
	}
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		json_decref(items);
		if (err == HM_ERR_VALIDATION_FAILED)
			hm_reply_invalid(reply, json_pack("{s:s}", "contract_id",
							  "no such active contract of this client for this service"));
		else
			hm_api_reply_err(reply, err);
		return;
	}
	hm_sender_wake(req->app->sender);
	if (b.n == 1) {
		hm_reply_json(reply, 201, json_incref(json_array_get(items, 0)));
		json_decref(items);
	} else {
		hm_reply_json(reply, 201, json_pack("{s:o}", "items", items));
	}
}

/* ---- reading ------------------------------------------------------------- */

/* Lessons in local days [first, last] (both 0: any time), of client_id and
 * tutor_id when non-zero, in time order after the lesson `after`. */
static void reply_lessons(struct hm_request *req, struct hm_reply *reply, int64_t client_id,
			  int64_t tutor_id, int64_t first, int64_t last, bool any_time)
{
	/* One statement per filter shape: "?1 = 0 OR client_id = ?1" would keep SQLite
	 * from using the client or tutor index. */
#define LESSONS_SQL(filter)                                                                  \
	"SELECT id FROM lessons WHERE " filter                                               \
	" AND (?3 = 1 OR (starts_at >= ?4 AND starts_at < ?5))"                              \
	" AND (?6 = 0 OR (starts_at, id) > (SELECT starts_at, id FROM lessons WHERE id = ?6))" \
	" ORDER BY starts_at, id LIMIT ?7"
	static const char by_client_sql[] =
		LESSONS_SQL("client_id = ?1 AND (?2 = 0 OR tutor_id = ?2)");
	static const char by_tutor_sql[] = LESSONS_SQL("?1 = 0 AND tutor_id = ?2");
	static const char all_sql[] = LESSONS_SQL("?1 = 0 AND ?2 = 0");
#undef LESSONS_SQL
	const char *sql = client_id ? by_client_sql : tutor_id ? by_tutor_sql : all_sql;
	int limit;
	int64_t after, ids[201];
	int count = 0, rc;
	json_t *items = NULL;
	enum hm_err err = HM_ERR_INTERNAL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	sqlite3_stmt *stmt = hm_db_stmt(req->db, sql);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, tutor_id);
	sqlite3_bind_int(stmt, 3, any_time);
	sqlite3_bind_int64(stmt, 4, hm_local_instant(first, 0));
	sqlite3_bind_int64(stmt, 5, hm_local_instant(last + 1, 0));
	sqlite3_bind_int64(stmt, 6, after);
	sqlite3_bind_int(stmt, 7, limit + 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count <= limit)
		ids[count++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = hm_db_fail(req->db, "list lessons");
		goto out;
	}
	items = json_array();
	if (!items)
		goto out;
	for (int i = 0; i < count && i < limit; i++) {
		json_t *lesson = NULL;
		if ((err = hm_crm_lesson_json(req->db, ids[i], &lesson)) != HM_OK)
			goto out;
		if (json_array_append_new(items, lesson) != 0) {
			err = HM_ERR_INTERNAL;
			goto out;
		}
	}
	hm_api_reply_page(reply, items, count > limit ? ids[limit - 1] : 0);
	items = NULL;
	err = HM_OK;
out:
	json_decref(items);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
}

void hm_api_lessons_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL;
	int64_t client_id = 0, tutor_id = 0, first = 0, last = 0;
	hm_crm_query_id(req, "client_id", &client_id, &fields);
	hm_crm_query_id(req, "tutor_id", &tutor_id, &fields);
	hm_crm_query_days(req, 7, 366, &first, &last, &fields);
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	reply_lessons(req, reply, client_id, tutor_id, first, last, false);
}

void hm_api_me_lessons(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL;
	int64_t client_id = 0, first = 0, last = 0;
	bool any_time = !hm_query_get(req, "from") && !hm_query_get(req, "to");
	hm_crm_query_days(req, 7, 366, &first, &last, &fields);
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	reply_lessons(req, reply, client_id, 0, first, last, any_time);
}

/* The lesson for this caller: a student's own only (404 for anyone else's). */
static enum hm_err visible_lesson(struct hm_request *req, struct lesson_row *row)
{
	enum hm_err err = lesson_row(req->db, req->path_ids[0], row);
	if (err != HM_OK || req->who.role != HM_ROLE_STUDENT)
		return err;
	int64_t own = 0;
	err = hm_crm_client_of_user(req->db, req->who.user_id, &own);
	if (err == HM_OK && own != row->client_id)
		err = HM_ERR_NOT_FOUND;
	return err;
}

void hm_api_lessons_get(struct hm_request *req, struct hm_reply *reply)
{
	struct lesson_row row;
	json_t *body = NULL;
	enum hm_err err = visible_lesson(req, &row);
	if (err == HM_OK)
		err = hm_crm_lesson_json(req->db, row.id, &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, body);
}

/* ---- cancelling and logging ---------------------------------------------- */

static enum hm_err cancel_lesson(struct hm_db *db, const struct lesson_row *row, int64_t now)
{
	static const char lesson_sql[] =
		"UPDATE lessons SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1";
	/* A one-off made with the lesson goes with it; otherwise the session comes back. */
	static const char drop_sql[] =
		"UPDATE contracts SET status = 'cancelled', cancelled_at = ?2, sessions_used = 0"
		" WHERE id = ?1";
	static const char give_back_sql[] =
		"UPDATE contracts SET sessions_used = sessions_used - 1 WHERE id = ?1"
		" AND sessions_used > 0";
	enum hm_err err = HM_ERR_INTERNAL;
	bool drop = row->made_contract && strcmp(row->contract_kind, "one_off") == 0;
	sqlite3_stmt *lesson = hm_db_stmt(db, lesson_sql);
	sqlite3_stmt *contract = hm_db_stmt(db, drop ? drop_sql : give_back_sql);
	if (!lesson || !contract)
		goto out;
	sqlite3_bind_int64(lesson, 1, row->id);
	sqlite3_bind_int64(lesson, 2, now);
	if (sqlite3_step(lesson) != SQLITE_DONE) {
		err = hm_db_fail(db, "cancel lesson");
		goto out;
	}
	if (row->contract_id) {
		sqlite3_bind_int64(contract, 1, row->contract_id);
		if (drop)
			sqlite3_bind_int64(contract, 2, now);
		if (sqlite3_step(contract) != SQLITE_DONE) {
			err = hm_db_fail(db, "release contract session");
			goto out;
		}
	}
	err = HM_OK;
out:
	hm_db_done(lesson);
	hm_db_done(contract);
	return err;
}

void hm_api_lessons_cancel(struct hm_request *req, struct hm_reply *reply)
{
	struct lesson_row row;
	json_t *body = NULL;
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = visible_lesson(req, &row);
	if (err == HM_OK && row.cancelled) {
		hm_db_rollback(req->db);
		hm_reply_error(reply, HM_ERR_CONFLICT, "The lesson is already cancelled.");
		return;
	}
	if (err == HM_OK && req->who.role == HM_ROLE_STUDENT &&
	    row.starts_at - req->now < CANCEL_NOTICE) {
		hm_db_rollback(req->db);
		hm_reply_error(reply, HM_ERR_TOO_LATE_TO_CANCEL,
			       "Lessons can be cancelled until 24 hours before they start; call us.");
		return;
	}
	if (err == HM_OK)
		err = cancel_lesson(req->db, &row, req->now);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "lesson.cancel", "lesson", row.id,
				      NULL, req->request_id, req->now);
	/* The client hears of it (not of a lesson that is over: staff tidying up). */
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	if (err == HM_OK && row.starts_at > req->now)
		err = hm_outbox_lessons_cancelled(req->db, &env, &row.id, 1, req->now);
	if (err == HM_OK)
		err = hm_crm_lesson_json(req->db, row.id, &body);
	hm_api_finish(req, reply, err, 200, body);
	if (reply->status == 200)
		hm_sender_wake(req->app->sender);
}

void hm_api_lessons_log(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"attendance", "notes", "level", "pace", NULL};
	static const char sql[] = "UPDATE lessons SET attendance = ?2, notes = coalesce(?3, notes),"
				  " logged_at = ?4, logged_by = ?5 WHERE id = ?1";
	struct hm_validation v;
	struct lesson_row row;
	int attendance = -1, pace = -1;
	const char *notes = NULL, *level = NULL;
	bool notes_present = false;
	json_t *body = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "attendance", true, attendances, &attendance);
	hm_validate_text_or_empty(&v, req->json, "notes", HM_MAX_TEXT, &notes, &notes_present);
	hm_validate_text(&v, req->json, "level", false, 40, &level);
	hm_validate_enum(&v, req->json, "pace", false, paces, &pace);
	enum hm_err err = lesson_row(req->db, req->path_ids[0], &row);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (row.cancelled || row.starts_at > req->now) {
		hm_reply_error(reply, HM_ERR_CONFLICT, row.cancelled
			       ? "The lesson was cancelled." : "The lesson has not started yet.");
		goto out;
	}
	sqlite3_stmt *stmt = NULL;
	err = hm_db_begin_stmt(req->db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, row.id);
		sqlite3_bind_text(stmt, 2, attendances[attendance], -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 3, notes_present ? (notes ? notes : "") : NULL);
		sqlite3_bind_int64(stmt, 4, req->now);
		sqlite3_bind_int64(stmt, 5, req->who.user_id);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "log lesson");
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = update_client_progress(req->db, row.client_id, level,
					     pace >= 0 ? paces[pace] : NULL, req->now);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "lesson.log", "lesson", row.id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_crm_lesson_json(req->db, row.id, &body);
	hm_api_finish(req, reply, err, 200, body);
out:
	hm_validation_release(&v);
}
