// SPDX-License-Identifier: MIT
// Lessons in the database (include/harreman/db_lessons.h): every SQL statement of
// the lessons resource. Each write owns its whole transaction (booking: contract
// or sessions, lessons, a walk-in's client progress, audit, confirmation, the
// JSON; cancelling; logging); the triggers of sql/0002 and sql/0006 have the last
// word on double bookings and on a client in two lessons at once, whatever was
// checked before the write lock was taken.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_invoices.h"
#include "harreman/db_families.h"
#include "harreman/db_lessons.h"
#include "harreman/lesson_rules.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/db_contracts.h"
#include "harreman/db_json.h"
#include "harreman/db_waitlists.h"
#include "harreman/banned.h"

/* ---- reading ------------------------------------------------------------- */

enum hm_err hm_db_lessons_client_busy(struct hm_db *db, int64_t client_id, int64_t tutor_id,
				      int64_t except_id, const int64_t *starts, int n,
				      int duration_min, bool *busy)
{
	/* The same test as the lessons_client_busy triggers (sql/0006). */
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM lessons WHERE client_id = ?1 AND tutor_id <> ?2"
		" AND status = 'booked' AND starts_at < ?4 AND ends_at > ?3"
		" AND starts_at > ?3 - 36000 AND id <> ?5)";
	enum hm_err err = HM_OK;
	for (int i = 0; err == HM_OK && i < n; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, client_id);
		sqlite3_bind_int64(stmt, 2, tutor_id);
		sqlite3_bind_int64(stmt, 3, starts[i]);
		sqlite3_bind_int64(stmt, 4, starts[i] + (int64_t)duration_min * 60);
		sqlite3_bind_int64(stmt, 5, except_id);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			busy[i] = sqlite3_column_int(stmt, 0) != 0;
		else
			err = hm_db_fail(db, "client busy");
		hm_db_done(stmt);
	}
	return err;
}

/* What a cancellation or a log needs to know of a lesson. */
struct lesson_row {
	int64_t id, client_id, contract_id, starts_at, tutor_id, service_id;
	bool made_contract, cancelled, one_off;
};

static enum hm_err lesson_row(struct hm_db *db, int64_t id, struct lesson_row *out)
{
	static const char sql[] =
		"SELECT l.id, l.client_id, coalesce(l.contract_id, 0), l.starts_at, l.made_contract,"
		" l.status = 'cancelled', coalesce(k.kind = 'one_off', 0), l.tutor_id, l.service_id"
		" FROM lessons l"
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
		out->one_off = sqlite3_column_int(stmt, 6) != 0;
		out->tutor_id = sqlite3_column_int64(stmt, 7);
		out->service_id = sqlite3_column_int64(stmt, 8);
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "read lesson");
}

/* The lesson of id as client_id sees it (0: anyone): a lesson of another family's
 * client is not found (a parent sees its children's). */
static enum hm_err visible_row(struct hm_db *db, int64_t id, int64_t client_id,
			       struct lesson_row *row)
{
	bool same = true;
	enum hm_err err = lesson_row(db, id, row);
	if (err == HM_OK && client_id && row->client_id != client_id)
		err = hm_db_families_same(db, client_id, row->client_id, &same);
	return err == HM_OK && !same ? HM_ERR_NOT_FOUND : err;
}

enum hm_err hm_db_lessons_get(struct hm_db *db, int64_t id, int64_t client_id, json_t **out)
{
	struct lesson_row row = {0};
	enum hm_err err = visible_row(db, id, client_id, &row);
	if (err == HM_OK && out)
		err = hm_db_lessons_json(db, row.id, out);
	return err;
}

/* The columns lesson_from_row reads, in its order. */
#define LESSON_COLUMNS                                                                  \
	"id, client_id, tutor_id, service_id, contract_id, starts_at, ends_at, status," \
	" attendance, notes, channel, created_at, cancelled_at, logged_at"
static json_t *lesson_from_row(sqlite3_stmt *stmt);

/* The contracts already read for one list: the lessons of a subscription share one
 * contract object (its JSON is reference-counted), read once per page. */
struct contract_memo {
	int64_t id[HM_PAGE_BUF];
	json_t *json[HM_PAGE_BUF]; /* owned: one reference each */
	int n;
};

/* Sets lesson's "contract" from its contract_id (none for a lesson without one),
 * reading each contract once per memo. */
static enum hm_err attach_contract(struct hm_db *db, json_t *lesson, struct contract_memo *memo)
{
	int64_t contract_id = json_integer_value(json_object_get(lesson, "contract_id"));
	if (!contract_id)
		return HM_OK;
	for (int i = 0; i < memo->n; i++)
		if (memo->id[i] == contract_id)
			return json_object_set(lesson, "contract", memo->json[i]) == 0
				       ? HM_OK
				       : HM_ERR_INTERNAL;
	json_t *contract = NULL;
	enum hm_err err = hm_db_contracts_json(db, contract_id, &contract);
	if (err != HM_OK)
		return err;
	if (json_object_set(lesson, "contract", contract) != 0) {
		json_decref(contract);
		return HM_ERR_INTERNAL;
	}
	if (memo->n < HM_PAGE_BUF) {
		memo->id[memo->n] = contract_id;
		memo->json[memo->n++] = contract;
	} else {
		json_decref(contract);
	}
	return HM_OK;
}

enum hm_err hm_db_lessons_list(struct hm_db *db, const struct hm_lesson_filter *f, int limit,
			       int64_t after, json_t **items, int64_t *next_after)
{
	/* One statement per filter shape: "?1 = 0 OR client_id = ?1" would keep SQLite
	 * from using the client or tutor index, and "?3 = 1 OR starts_at >= ?4" the
	 * time index (the desk's day walked every lesson ever given). */
#define LESSONS_SQL(filter, range)                                                             \
	"SELECT " LESSON_COLUMNS " FROM lessons WHERE " filter range                           \
	" AND (?6 = 0 OR (starts_at, id) > (SELECT starts_at, id FROM lessons WHERE id = ?6))" \
	" ORDER BY starts_at, id LIMIT ?7"
#define IN_RANGE " AND starts_at >= ?4 AND starts_at < ?5"
	static const char *const statements[3][2] = {
		{LESSONS_SQL("client_id = ?1 AND (?2 = 0 OR tutor_id = ?2)", IN_RANGE),
		 LESSONS_SQL("client_id = ?1 AND (?2 = 0 OR tutor_id = ?2)", "")},
		{LESSONS_SQL("?1 = 0 AND tutor_id = ?2", IN_RANGE),
		 LESSONS_SQL("?1 = 0 AND tutor_id = ?2", "")},
		{LESSONS_SQL("?1 = 0 AND ?2 = 0", IN_RANGE), LESSONS_SQL("?1 = 0 AND ?2 = 0", "")}};
#undef IN_RANGE
#undef LESSONS_SQL
	const char *sql = statements[f->client_id ? 0 : f->tutor_id ? 1 : 2][f->any_time ? 1 : 0];
	struct contract_memo memo = {.n = 0};
	int count = 0, rc;
	int64_t last_id = 0;
	enum hm_err err = HM_ERR_INTERNAL;
	if (limit > HM_PAGE_MAX)
		limit = HM_PAGE_MAX;
	json_t *list = json_array();
	sqlite3_stmt *stmt = list ? hm_db_stmt(db, sql) : NULL;
	if (!stmt) {
		json_decref(list);
		return HM_ERR_INTERNAL;
	}
	sqlite3_bind_int64(stmt, 1, f->client_id);
	sqlite3_bind_int64(stmt, 2, f->tutor_id);
	sqlite3_bind_int64(stmt, 4, f->from);
	sqlite3_bind_int64(stmt, 5, f->to);
	sqlite3_bind_int64(stmt, 6, after);
	sqlite3_bind_int(stmt, 7, limit + 1);
	/* The page's rows first (one statement), their contracts after it is done. */
	bool built = true;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count++ < limit) {
		last_id = sqlite3_column_int64(stmt, 0);
		built = built && json_array_append_new(list, lesson_from_row(stmt)) == 0;
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		json_decref(list);
		return hm_db_fail(db, "list lessons");
	}
	err = built ? HM_OK : HM_ERR_INTERNAL;
	for (size_t i = 0; err == HM_OK && i < json_array_size(list); i++)
		err = attach_contract(db, json_array_get(list, i), &memo);
	for (int i = 0; i < memo.n; i++)
		json_decref(memo.json[i]);
	if (err != HM_OK) {
		json_decref(list);
		return err;
	}
	*next_after = count > limit ? last_id : 0;
	*items = list;
	return HM_OK;
}

/* ---- booking ------------------------------------------------------------- */

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

/* Which of the triggers of sql/0002, 0006, 0008 and 0012 refused a lesson's time. */
static enum hm_err refused_time(struct hm_db *db)
{
	const char *why = sqlite3_errmsg(hm_db_handle(db));
	return strcmp(why, "full") == 0          ? HM_ERR_FULL
	       : strcmp(why, "client_busy") == 0 ? HM_ERR_CLIENT_BUSY
						 : HM_ERR_SLOT_TAKEN;
}

/* Inserts lesson i of b with contract_id; the triggers answer slot_taken, full or
 * client_busy for a time that is taken. */
static enum hm_err insert_lesson(struct hm_db *db, const struct hm_booking *b, int i,
				 int64_t contract_id, bool made_contract,
				 const struct hm_actor *who, int64_t *id)
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
	sqlite3_bind_int64(stmt, 1, b->client_id);
	sqlite3_bind_int64(stmt, 2, b->tutor_id);
	sqlite3_bind_int64(stmt, 3, b->service->id);
	sqlite3_bind_int64(stmt, 4, contract_id);
	sqlite3_bind_int(stmt, 5, made_contract);
	sqlite3_bind_int64(stmt, 6, b->starts[i]);
	sqlite3_bind_int64(stmt, 7, b->starts[i] + (int64_t)b->service->duration_min * 60);
	sqlite3_bind_text(stmt, 8, b->channel, -1, SQLITE_STATIC);
	hm_db_bind_text_or_null(stmt, 9, b->attendance);
	hm_db_bind_text_or_null(stmt, 10, b->notes);
	sqlite3_bind_int64(stmt, 11, who->now);
	if (who->user_id)
		sqlite3_bind_int64(stmt, 12, who->user_id);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	if (rc == SQLITE_CONSTRAINT_TRIGGER) {
		err = refused_time(db);
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

static enum hm_err audit_booking(struct hm_db *db, const struct hm_booking *b, int64_t contract_id,
				 int64_t first_id, const struct hm_actor *who)
{
	json_t *detail = json_pack("{s:I, s:I, s:i, s:b}", "client_id", (json_int_t)b->client_id,
				   "contract_id", (json_int_t)contract_id, "lessons", b->n,
				   "walk_in", b->attendance != NULL);
	enum hm_err err = detail ? hm_audit_record(db, who->user_id, "lesson.book", "lesson",
						   first_id, detail, who->request_id, who->now)
				 : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

enum hm_err hm_db_lessons_json_list(struct hm_db *db, const int64_t *ids, int n, json_t **items)
{
	json_t *list = json_array();
	enum hm_err err = list ? HM_OK : HM_ERR_INTERNAL;
	for (int i = 0; err == HM_OK && i < n; i++) {
		json_t *lesson = NULL;
		err = hm_db_lessons_json(db, ids[i], &lesson);
		if (err == HM_OK && json_array_append_new(list, lesson) != 0)
			err = HM_ERR_INTERNAL;
	}
	if (err == HM_OK)
		*items = list;
	else
		json_decref(list);
	return err;
}

/* Every write of a booking (hm_db_lessons_book), the new lessons' ids into ids. */
static enum hm_err book(struct hm_db *db, const struct hm_booking *b, const struct hm_actor *who,
			const struct hm_outbox_env *env, int64_t *ids)
{
	int64_t contract_id = b->contract_id;
	enum hm_err err = HM_OK;
	bool made_contract = contract_id == 0;
	if (b->n < 1 || b->n > HM_REPEAT_WEEKS_MAX)
		return HM_ERR_INTERNAL;
	if (made_contract) {
		struct hm_new_contract c = {
			.client_id = b->client_id,
			.service = b->service,
			.subscription = b->n > 1,
			.sessions = b->n,
			.sessions_used = b->n,
			.channel = b->channel,
			.created_by = who->user_id,
			.now = who->now,
		};
		err = hm_db_contracts_insert(db, &c, who->request_id, &contract_id);
	} else {
		err = use_sessions(db, contract_id, b->client_id, b->service->id, b->n);
	}
	for (int i = 0; err == HM_OK && i < b->n; i++)
		err = insert_lesson(db, b, i, contract_id, made_contract, who, &ids[i]);
	if (err == HM_OK && b->attendance)
		err = update_client_progress(db, b->client_id, b->level, b->pace, who->now);
	if (err == HM_OK)
		err = audit_booking(db, b, contract_id, ids[0], who);
	/* The confirmation, in the same transaction: no booking without it, and no
	 * confirmation of a booking that rolled back. A walk-in has happened already. */
	if (err == HM_OK && !b->attendance && b->mail)
		err = hm_outbox_lessons_booked_as(db, env, b->mail, b->client_id, ids, b->starts,
						  (size_t)b->n, who->now);
	else if (err == HM_OK && !b->attendance)
		err = hm_outbox_lessons_booked(db, env, ids, (size_t)b->n, who->now);
	return err;
}

enum hm_err hm_db_lessons_book_within(struct hm_db *db, const struct hm_booking *b,
				      const struct hm_actor *who, const struct hm_outbox_env *env,
				      json_t **items)
{
	int64_t ids[HM_REPEAT_WEEKS_MAX];
	*items = NULL;
	enum hm_err err = book(db, b, who, env, ids);
	return err == HM_OK ? hm_db_lessons_json_list(db, ids, b->n, items) : err;
}

enum hm_err hm_db_lessons_book(struct hm_db *db, const struct hm_booking *b,
			       const struct hm_actor *who, const struct hm_outbox_env *env,
			       int64_t *ids)
{
	if (b->n < 1 || b->n > HM_REPEAT_WEEKS_MAX)
		return HM_ERR_INTERNAL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = book(db, b, who, env, ids);
	return hm_db_end(db, err);
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
	bool drop = row->made_contract && row->one_off;
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

enum hm_err hm_db_lessons_cancel(struct hm_db *db, int64_t id, int64_t client_id, int64_t notice,
				 const struct hm_actor *who, const struct hm_outbox_env *env,
				 json_t **out, const char **why)
{
	struct lesson_row row = {0};
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = visible_row(db, id, client_id, &row);
	if (err == HM_OK && row.cancelled) {
		*why = "The lesson is already cancelled.";
		err = HM_ERR_CONFLICT;
	} else if (err == HM_OK && client_id && row.starts_at - who->now < notice) {
		*why = "Lessons can be cancelled until 24 hours before they start; call us.";
		err = HM_ERR_TOO_LATE_TO_CANCEL;
	}
	if (err == HM_OK)
		err = cancel_lesson(db, &row, who->now);
	/* A one-off made with the lesson went with it: its rectifying invoice. */
	if (err == HM_OK && row.made_contract && row.one_off && row.contract_id)
		err = hm_db_invoices_rectify_contract(db, row.contract_id, 1, who->now);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "lesson.cancel", "lesson", row.id, NULL,
				      who->request_id, who->now);
	/* The client hears of it (not of a lesson that is over: staff tidying up). */
	if (err == HM_OK && row.starts_at > who->now)
		err = hm_outbox_lessons_cancelled(db, env, &row.id, 1, who->now);
	/* A group seat freed: offered to the first in its line, in this transaction. */
	if (err == HM_OK)
		err = hm_db_waitlists_seats_freed(db, env, &row.id, 1, who);
	if (err == HM_OK)
		err = hm_db_lessons_json(db, row.id, out);
	return hm_db_end(db, err);
}

/* ---- moving -------------------------------------------------------------- */

/* Puts lesson row at m's tutor and start; the triggers answer slot_taken, full or
 * client_busy for a time that is taken. */
static enum hm_err retime_lesson(struct hm_db *db, const struct lesson_row *row,
				 const struct hm_lesson_move *m, int64_t now)
{
	static const char sql[] =
		"UPDATE lessons SET tutor_id = ?2, starts_at = ?3, ends_at = ?4, moved_at = ?5,"
		" moves = moves + 1 WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, row->id);
	sqlite3_bind_int64(stmt, 2, m->tutor_id);
	sqlite3_bind_int64(stmt, 3, m->starts_at);
	sqlite3_bind_int64(stmt, 4, m->starts_at + (int64_t)m->duration_min * 60);
	sqlite3_bind_int64(stmt, 5, now);
	int rc = sqlite3_step(stmt);
	enum hm_err err = rc == SQLITE_DONE                 ? HM_OK
			  : rc == SQLITE_CONSTRAINT_TRIGGER ? refused_time(db)
							    : hm_db_fail(db, "move lesson");
	hm_db_done(stmt);
	return err;
}

static enum hm_err audit_move(struct hm_db *db, const struct lesson_row *row,
			      const struct hm_lesson_move *m, const struct hm_actor *who)
{
	json_t *detail = json_pack("{s:I, s:I, s:I, s:I, s:I}", "client_id",
				   (json_int_t)row->client_id, "from", (json_int_t)row->starts_at,
				   "to", (json_int_t)m->starts_at, "tutor_from",
				   (json_int_t)row->tutor_id, "tutor_to", (json_int_t)m->tutor_id);
	enum hm_err err = detail ? hm_audit_record(db, who->user_id, "lesson.move", "lesson",
						   row->id, detail, who->request_id, who->now)
				 : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

enum hm_err hm_db_lessons_move(struct hm_db *db, const struct hm_lesson_move *m,
			       const struct hm_actor *who, const struct hm_outbox_env *env,
			       json_t **out, const char **why)
{
	struct lesson_row row = {0};
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = visible_row(db, m->id, m->client_id, &row);
	if (err == HM_OK) {
		switch (hm_lesson_may_move(row.cancelled, row.starts_at, who->now,
					   m->client_id != 0, m->notice, why)) {
		case HM_LESSON_MAY_MOVE: break;
		case HM_LESSON_TOO_LATE: err = HM_ERR_TOO_LATE_TO_CANCEL; break;
		default: err = HM_ERR_CONFLICT;
		}
	}
	if (err == HM_OK)
		err = retime_lesson(db, &row, m, who->now);
	if (err == HM_OK)
		err = audit_move(db, &row, m, who);
	/* The client hears of the new time: a confirmation like a booking's. */
	if (err == HM_OK)
		err = hm_outbox_lessons_booked(db, env, &row.id, 1, who->now);
	/* The seat left behind in a group session goes to its line at once. */
	if (err == HM_OK) {
		struct hm_session_key old = {row.tutor_id, row.service_id, row.starts_at};
		err = hm_db_waitlists_session_freed(db, env, &old, who);
	}
	if (err == HM_OK)
		err = hm_db_lessons_json(db, row.id, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_lessons_log(struct hm_db *db, int64_t id, const struct hm_lesson_log *log,
			      const struct hm_actor *who, json_t **out, const char **why)
{
	static const char sql[] = "UPDATE lessons SET attendance = ?2, notes = coalesce(?3, notes),"
				  " logged_at = ?4, logged_by = ?5 WHERE id = ?1";
	struct lesson_row row = {0};
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = lesson_row(db, id, &row);
	if (err == HM_OK && (row.cancelled || row.starts_at > who->now)) {
		*why = row.cancelled ? "The lesson was cancelled."
				     : "The lesson has not started yet.";
		err = HM_ERR_CONFLICT;
	}
	if (err == HM_OK && !(stmt = hm_db_stmt(db, sql)))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, row.id);
		sqlite3_bind_text(stmt, 2, log->attendance, -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 3, log->notes);
		sqlite3_bind_int64(stmt, 4, who->now);
		sqlite3_bind_int64(stmt, 5, who->user_id);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(db, "log lesson");
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = update_client_progress(db, row.client_id, log->level, log->pace, who->now);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "lesson.log", "lesson", row.id, log->detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_lessons_json(db, row.id, out);
	return hm_db_end(db, err);
}

/* ---- shared with the other resources (once src/db/crm.c) ---- */

static json_t *lesson_from_row(sqlite3_stmt *stmt)
{
	return json_pack(
		"{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:s, s:o, s:s, s:s, s:o, s:o, s:o}", "id",
		(json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
		(json_int_t)sqlite3_column_int64(stmt, 1), "tutor_id",
		(json_int_t)sqlite3_column_int64(stmt, 2), "service_id",
		(json_int_t)sqlite3_column_int64(stmt, 3), "contract_id", hm_db_json_int(stmt, 4),
		"starts_at", hm_db_json_time(stmt, 5), "ends_at", hm_db_json_time(stmt, 6),
		"status", (const char *)sqlite3_column_text(stmt, 7), "attendance",
		hm_db_json_text(stmt, 8), "notes", (const char *)sqlite3_column_text(stmt, 9),
		"channel", (const char *)sqlite3_column_text(stmt, 10), "created_at",
		hm_db_json_time(stmt, 11), "cancelled_at", hm_db_json_time(stmt, 12), "logged_at",
		hm_db_json_time(stmt, 13));
}

enum hm_err hm_db_lessons_json(struct hm_db *db, int64_t lesson_id, json_t **out)
{
	static const char sql[] = "SELECT " LESSON_COLUMNS " FROM lessons WHERE id = ?1";
	struct contract_memo memo = {.n = 0};
	enum hm_err err = hm_db_row_by_id(db, sql, lesson_id, lesson_from_row, out, "read lesson");
	if (err == HM_OK)
		err = attach_contract(db, *out, &memo);
	if (memo.n)
		json_decref(memo.json[0]);
	if (err != HM_OK && err != HM_ERR_NOT_FOUND) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}
