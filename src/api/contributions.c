// SPDX-License-Identifier: MIT
// Co-creation: students submit blog posts, materials and methods; staff review
// them; approved ones are published to everyone under the name the student chose.
// A student sees its own in any status with the reviewer's comment, nobody else's
// unless approved; staff see everything and filter the review queue by status.
// Bodies are plain text: stored and answered as sent, never turned into HTML.
// Data layer first, then the handlers.
#include <string.h>

#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/crm.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const contribution_kinds[] = {"blog_post", "material", "method", NULL};
enum { APPROVED, REJECTED };
static const char *const decisions[] = {[APPROVED] = "approved", [REJECTED] = "rejected", NULL};
static const char *const statuses[] = {"submitted", "approved", "rejected", NULL};

/* ---- data layer ---------------------------------------------------------- */

/* The columns contribution_from_row reads. ?1 is the viewer's client id (0 when not
 * a student), ?2 is 1 for staff and admins. The last column says who is looking:
 * 2 staff, 1 the author, 0 anyone else. */
#define CONTRIBUTION_COLUMNS                                                              \
	"c.id, c.client_id, c.kind, c.title, c.body, c.credit_name, c.status,"            \
	" c.review_comment, c.submitted_at, c.reviewed_at,"                               \
	" CASE WHEN ?2 THEN 2 WHEN c.client_id = ?1 THEN 1 ELSE 0 END"

static json_t *contribution_from_row(sqlite3_stmt *stmt)
{
	char submitted[HM_RFC3339_LEN], reviewed[HM_RFC3339_LEN];
	int viewer = sqlite3_column_int(stmt, 10);
	bool is_reviewed = sqlite3_column_type(stmt, 9) != SQLITE_NULL;
	const unsigned char *comment = sqlite3_column_text(stmt, 7);
	hm_time_format(sqlite3_column_int64(stmt, 8), submitted);
	hm_time_format(sqlite3_column_int64(stmt, 9), reviewed);
	json_t *item = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b}",
		"id", (json_int_t)sqlite3_column_int64(stmt, 0),
		"kind", (const char *)sqlite3_column_text(stmt, 2),
		"title", (const char *)sqlite3_column_text(stmt, 3),
		"body", (const char *)sqlite3_column_text(stmt, 4),
		"credit_name", (const char *)sqlite3_column_text(stmt, 5),
		"status", (const char *)sqlite3_column_text(stmt, 6),
		"submitted_at", submitted,
		"reviewed_at", is_reviewed ? json_string(reviewed) : json_null(),
		"own", viewer == 1);
	/* The reviewer's comment is for the author and the staff; who wrote it (the
	 * client record) only for the staff. */
	if (item && viewer >= 1 &&
	    json_object_set_new(item, "review_comment",
				comment ? json_string((const char *)comment) : json_null()) != 0) {
		json_decref(item);
		return NULL;
	}
	if (item && viewer == 2 &&
	    json_object_set_new(item, "client_id",
				json_integer(sqlite3_column_int64(stmt, 1))) != 0) {
		json_decref(item);
		return NULL;
	}
	return item;
}

static enum hm_err contribution_json(struct hm_db *db, int64_t id, int64_t viewer_client,
				     bool staff, json_t **out)
{
	static const char sql[] =
		"SELECT " CONTRIBUTION_COLUMNS " FROM contributions c WHERE c.id = ?3";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	enum hm_err err = HM_ERR_NOT_FOUND;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, viewer_client);
	sqlite3_bind_int(stmt, 2, staff);
	sqlite3_bind_int64(stmt, 3, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = contribution_from_row(stmt);
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read contribution");
	}
	hm_db_done(stmt);
	return err;
}

static enum hm_err contribution_exists(struct hm_db *db, int64_t id, bool *exists)
{
	static const char sql[] = "SELECT 1 FROM contributions WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	*exists = rc == SQLITE_ROW;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "find contribution");
}

static bool is_staff(const struct hm_request *req)
{
	return req->who.role == HM_ROLE_STAFF || req->who.role == HM_ROLE_ADMIN;
}

/* ---- handlers ------------------------------------------------------------ */

void hm_api_contributions_list(struct hm_request *req, struct hm_reply *reply)
{
	/* Staff see all; anyone else the approved ones plus a student's own. */
	static const char sql[] =
		"SELECT " CONTRIBUTION_COLUMNS " FROM contributions c WHERE c.id > ?3"
		" AND (?2 OR c.status = 'approved' OR c.client_id = ?1)"
		" AND (?4 IS NULL OR c.status = ?4) AND (?5 = 0 OR c.client_id = ?1)"
		" ORDER BY c.id LIMIT ?6";
	const char *status = hm_query_get(req, "status");
	const char *mine = hm_query_get(req, "mine");
	json_t *fields = NULL, *items = NULL;
	int64_t client = 0, after, next = 0;
	int limit;
	bool known = !status;
	for (int i = 0; status && statuses[i]; i++)
		known = known || strcmp(status, statuses[i]) == 0;
	if (!known)
		fields = json_pack("{s:s}", "status", "must be one of: submitted, approved, rejected");
	if (mine && strcmp(mine, "true") != 0 && strcmp(mine, "false") != 0) {
		if (!fields)
			fields = json_object();
		json_object_set_new(fields, "mine", json_string("must be true or false"));
	}
	if (fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = HM_OK;
	if (req->who.role == HM_ROLE_STUDENT) {
		err = hm_crm_client_of_user(req->db, req->who.user_id, &client);
		if (err == HM_ERR_NOT_FOUND)
			err = HM_OK; /* no record: sees what the public sees */
	}
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, client);
		sqlite3_bind_int(stmt, 2, is_staff(req));
		sqlite3_bind_int64(stmt, 3, after);
		hm_db_bind_text_or_null(stmt, 4, status);
		sqlite3_bind_int(stmt, 5, mine && strcmp(mine, "true") == 0);
		sqlite3_bind_int(stmt, 6, limit + 1);
		err = hm_db_page(req->db, stmt, limit, contribution_from_row, &items, &next);
	}
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_contributions_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"kind", "title", "body", "credit_name", NULL};
	static const char *const read_only[] = {"id", "status", "submitted_at", "reviewed_at",
						"review_comment", "client_id", "own", NULL};
	/* The credit defaults to the student's name as the client record has it now. */
	static const char sql[] =
		"INSERT INTO contributions (client_id, kind, title, body, credit_name, submitted_at)"
		" VALUES (?1, ?2, ?3, ?4, coalesce(?5, (SELECT full_name FROM clients"
		"   WHERE id = ?1)), ?6)";
	struct hm_validation v;
	int kind = -1;
	const char *title = NULL, *text = NULL, *credit = NULL;
	int64_t client = 0, id = 0;
	json_t *body = NULL;

	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_enum(&v, req->json, "kind", true, contribution_kinds, &kind);
	hm_validate_text(&v, req->json, "title", true, HM_MAX_NAME, &title);
	hm_validate_long_text(&v, req->json, "body", true, HM_MAX_LONG_TEXT, &text);
	hm_validate_text(&v, req->json, "credit_name", false, HM_MAX_NAME, &credit);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	sqlite3_stmt *stmt = NULL;
	err = hm_db_begin_stmt(req->db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, client);
		sqlite3_bind_text(stmt, 2, contribution_kinds[kind], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, text, -1, SQLITE_TRANSIENT);
		hm_db_bind_text_or_null(stmt, 5, credit);
		sqlite3_bind_int64(stmt, 6, req->now);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							: hm_db_fail(req->db, "insert contribution");
		id = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		hm_db_done(stmt);
	}
	if (err == HM_OK) {
		/* The audit keeps what was done, not the text itself. */
		json_t *detail = json_pack("{s:s, s:I}", "kind", contribution_kinds[kind],
					   "client_id", (json_int_t)client);
		err = detail ? hm_audit_record(req->db, req->who.user_id, "contribution.create",
					       "contribution", id, detail, req->request_id, req->now)
			     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	if (err == HM_OK)
		err = contribution_json(req->db, id, client, false, &body);
	hm_api_finish(req, reply, err, 201, body);
out:
	hm_validation_release(&v);
}

void hm_api_contributions_review(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"decision", "comment", NULL};
	static const char sql[] =
		"UPDATE contributions SET status = ?2, review_comment = ?3, reviewed_by = ?4,"
		" reviewed_at = ?5 WHERE id = ?1";
	struct hm_validation v;
	int decision = -1;
	const char *comment = NULL;
	bool comment_present = false, exists = false;
	int64_t id = req->path_ids[0];
	json_t *body = NULL;

	hm_validation_init(&v);
	enum hm_err err = contribution_exists(req->db, id, &exists); /* 404 before 422 */
	if (err == HM_OK && !exists)
		err = HM_ERR_NOT_FOUND;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "decision", true, decisions, &decision);
	hm_validate_text_or_empty(&v, req->json, "comment", HM_MAX_TEXT, &comment,
				  &comment_present);
	if (!comment_present || (!comment && !json_object_get(v.fields, "comment")))
		hm_validation_fail(&v, "comment", "is required"); /* null counts as absent */
	else if (decision == REJECTED && comment && strspn(comment, " \t\r\n") == strlen(comment))
		hm_validation_fail(&v, "comment", "must say why the contribution is rejected");
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	sqlite3_stmt *stmt = NULL;
	err = hm_db_begin_stmt(req->db, sql, &stmt);
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, decisions[decision], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, comment, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 4, req->who.user_id);
		sqlite3_bind_int64(stmt, 5, req->now);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							: hm_db_fail(req->db, "review contribution");
		hm_db_done(stmt);
	}
	if (err == HM_OK) {
		json_t *detail = json_pack("{s:s}", "decision", decisions[decision]);
		err = detail ? hm_audit_record(req->db, req->who.user_id, "contribution.review",
					       "contribution", id, detail, req->request_id, req->now)
			     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	if (err == HM_OK)
		err = contribution_json(req->db, id, 0, true, &body);
	hm_api_finish(req, reply, err, 200, body);
out:
	hm_validation_release(&v);
}
