// SPDX-License-Identifier: MIT
// Students' contributions (include/harreman/db_contributions.h): the SQL of
// /contributions. Who may see a row is decided in the WHERE clause of the list;
// which fields of it is decided per row from the last column, so one row
// function serves the author, the staff and everyone else. Bodies are plain text,
// stored and answered as sent.
#include "harreman/audit.h"
#include "harreman/db_contributions.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* The columns contribution_from_row reads. ?1 is the viewer's client id (0 when not
 * a student), ?2 is 1 for staff and admins. The last column says who is looking:
 * 2 staff, 1 the author, 0 anyone else. */
#define CONTRIBUTION_COLUMNS                                                   \
	"c.id, c.client_id, c.kind, c.title, c.body, c.credit_name, c.status," \
	" c.review_comment, c.submitted_at, c.reviewed_at,"                    \
	" CASE WHEN ?2 THEN 2 WHEN c.client_id = ?1 THEN 1 ELSE 0 END"

static json_t *contribution_from_row(sqlite3_stmt *stmt)
{
	char submitted[HM_RFC3339_LEN], reviewed[HM_RFC3339_LEN];
	int viewer = sqlite3_column_int(stmt, 10);
	bool is_reviewed = sqlite3_column_type(stmt, 9) != SQLITE_NULL;
	const unsigned char *comment = sqlite3_column_text(stmt, 7);
	hm_time_format(sqlite3_column_int64(stmt, 8), submitted);
	hm_time_format(sqlite3_column_int64(stmt, 9), reviewed);
	json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "id",
				 (json_int_t)sqlite3_column_int64(stmt, 0), "kind",
				 (const char *)sqlite3_column_text(stmt, 2), "title",
				 (const char *)sqlite3_column_text(stmt, 3), "body",
				 (const char *)sqlite3_column_text(stmt, 4), "credit_name",
				 (const char *)sqlite3_column_text(stmt, 5), "status",
				 (const char *)sqlite3_column_text(stmt, 6), "submitted_at",
				 submitted, "reviewed_at",
				 is_reviewed ? json_string(reviewed) : json_null(), "own",
				 viewer == 1);
	/* The reviewer's comment is for the author and the staff; who wrote it (the
	 * client record) only for the staff. */
	if (item && viewer >= 1 &&
	    json_object_set_new(item, "review_comment",
				comment ? json_string((const char *)comment) : json_null()) != 0) {
		json_decref(item);
		return NULL;
	}
	if (item && viewer == 2 &&
	    json_object_set_new(item, "client_id", json_integer(sqlite3_column_int64(stmt, 1))) !=
		    0) {
		json_decref(item);
		return NULL;
	}
	return item;
}

enum hm_err hm_db_contributions_get(struct hm_db *db, int64_t id,
				    const struct hm_contribution_viewer *viewer, json_t **out)
{
	static const char sql[] = "SELECT " CONTRIBUTION_COLUMNS
				  " FROM contributions c WHERE c.id = ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt) {
		sqlite3_bind_int64(stmt, 1, viewer->client_id);
		sqlite3_bind_int(stmt, 2, viewer->staff);
		sqlite3_bind_int64(stmt, 3, id);
	}
	return hm_db_row(db, stmt, contribution_from_row, out, "read contribution");
}

enum hm_err hm_db_contributions_list(struct hm_db *db, const struct hm_contribution_viewer *viewer,
				     const char *status, bool mine, int limit, int64_t after,
				     json_t **items, int64_t *next_after)
{
	/* Staff see all; anyone else the approved ones plus a student's own. */
	static const char sql[] =
		"SELECT " CONTRIBUTION_COLUMNS " FROM contributions c WHERE c.id > ?3"
		" AND (?2 OR c.status = 'approved' OR c.client_id = ?1)"
		" AND (?4 IS NULL OR c.status = ?4) AND (?5 = 0 OR c.client_id = ?1)"
		" ORDER BY c.id LIMIT ?6";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	*items = NULL;
	*next_after = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, viewer->client_id);
	sqlite3_bind_int(stmt, 2, viewer->staff);
	sqlite3_bind_int64(stmt, 3, after);
	hm_db_bind_text_or_null(stmt, 4, status);
	sqlite3_bind_int(stmt, 5, mine);
	sqlite3_bind_int(stmt, 6, limit + 1);
	return hm_db_page(db, stmt, limit, contribution_from_row, items, next_after);
}

/* ---- writes, each inside its transaction ------------------------------------ */

static enum hm_err insert_contribution(struct hm_db *db, int64_t client_id,
				       const struct hm_contribution_input *in, int64_t now,
				       int64_t *id)
{
	/* The credit defaults to the student's name as the client record has it now. */
	static const char sql[] =
		"INSERT INTO contributions (client_id, kind, title, body, credit_name, submitted_at)"
		" VALUES (?1, ?2, ?3, ?4, coalesce(?5, (SELECT full_name FROM clients"
		"   WHERE id = ?1)), ?6)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_text(stmt, 2, in->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, in->title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, in->body, -1, SQLITE_TRANSIENT);
	hm_db_bind_text_or_null(stmt, 5, in->credit_name);
	sqlite3_bind_int64(stmt, 6, now);
	enum hm_err err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							    : hm_db_fail(db, "insert contribution");
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	hm_db_done(stmt);
	return err;
}

/* Audits action on contribution id with detail (taken; NULL: out of memory). */
static enum hm_err audit_contribution(struct hm_db *db, const char *action, int64_t id,
				      json_t *detail, const struct hm_actor *who)
{
	enum hm_err err = detail ? hm_audit_record(db, who->user_id, action, "contribution", id,
						   detail, who->request_id, who->now)
				 : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

enum hm_err hm_db_contributions_create(struct hm_db *db, int64_t client_id,
				       const struct hm_contribution_input *in,
				       const struct hm_actor *who, json_t **out)
{
	const struct hm_contribution_viewer author = {client_id, false};
	int64_t id = 0;
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = insert_contribution(db, client_id, in, who->now, &id);
	/* The audit keeps what was done, not the text itself. */
	if (err == HM_OK)
		err = audit_contribution(db, "contribution.create", id,
					 json_pack("{s:s, s:I}", "kind", in->kind, "client_id",
						   (json_int_t)client_id),
					 who);
	if (err == HM_OK)
		err = hm_db_contributions_get(db, id, &author, out);
	return hm_db_end(db, err);
}

static enum hm_err record_review(struct hm_db *db, int64_t id, const char *decision,
				 const char *comment, const struct hm_actor *who)
{
	static const char sql[] =
		"UPDATE contributions SET status = ?2, review_comment = ?3, reviewed_by = ?4,"
		" reviewed_at = ?5 WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, decision, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, comment, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, who->user_id);
	sqlite3_bind_int64(stmt, 5, who->now);
	enum hm_err err = HM_OK;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		err = hm_db_fail(db, "review contribution");
	else if (sqlite3_changes(hm_db_handle(db)) == 0)
		err = HM_ERR_NOT_FOUND;
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_contributions_review(struct hm_db *db, int64_t id, const char *decision,
				       const char *comment, const struct hm_actor *who,
				       json_t **out)
{
	const struct hm_contribution_viewer staff = {0, true};
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = record_review(db, id, decision, comment, who);
	if (err == HM_OK)
		err = audit_contribution(db, "contribution.review", id,
					 json_pack("{s:s}", "decision", decision), who);
	if (err == HM_OK)
		err = hm_db_contributions_get(db, id, &staff, out);
	return hm_db_end(db, err);
}
