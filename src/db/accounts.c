// SPDX-License-Identifier: MIT
// Users and their client records (include/harreman/accounts.h).
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/audit.h"
#include "harreman/db_clients.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

static const char *const role_names[] = {
	[HM_ROLE_NONE] = NULL,
	[HM_ROLE_STUDENT] = "student",
	[HM_ROLE_STAFF] = "staff",
	[HM_ROLE_ADMIN] = "admin",
};

const char *hm_role_name(enum hm_role role)
{
	return (unsigned)role < sizeof role_names / sizeof role_names[0] ? role_names[role] : NULL;
}

enum hm_role hm_role_from_name(const char *name)
{
	for (int r = HM_ROLE_STUDENT; r <= HM_ROLE_ADMIN; r++)
		if (name && strcmp(name, role_names[r]) == 0)
			return (enum hm_role)r;
	return HM_ROLE_NONE;
}

enum hm_err hm_accounts_find_by_email(struct hm_db *db, const char *email, struct hm_user_auth *out)
{
	static const char sql[] =
		"SELECT id, role, active, password_hash FROM users WHERE email = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *hash = (const char *)sqlite3_column_text(stmt, 3);
		out->id = sqlite3_column_int64(stmt, 0);
		out->role = hm_role_from_name((const char *)sqlite3_column_text(stmt, 1));
		out->active = sqlite3_column_int(stmt, 2) != 0;
		out->password_hash[0] = '\0';
		if (hash && strlen(hash) < sizeof out->password_hash)
			memcpy(out->password_hash, hash, strlen(hash) + 1);
		err = HM_OK;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "find user");
	}
	hm_db_done(stmt);
	return err;
}

static enum hm_err create_client_for_user(struct hm_db *db, int64_t user_id, const char *locale,
					  int64_t now)
{
	static const char sql[] =
		"INSERT INTO clients (user_id, full_name, email, locale, created_at, updated_at)"
		" SELECT id, full_name, email, ?2, ?3, ?3 FROM users WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	sqlite3_bind_text(stmt, 2, locale ? locale : "eu", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "insert client");
}

enum hm_err hm_accounts_create(struct hm_db *db, const char *email, const char *password_hash,
			       const char *full_name, enum hm_role role, const char *locale,
			       int64_t now, int64_t *user_id)
{
	static const char sql[] =
		"INSERT INTO users (email, password_hash, full_name, role, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, email, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, password_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, full_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, hm_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return HM_ERR_EMAIL_TAKEN;
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert user");
	*user_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	if (role == HM_ROLE_STUDENT)
		return create_client_for_user(db, *user_id, locale, now);
	return HM_OK;
}

/* The audit row of a created user: detail {email, role[, via]}. */
static enum hm_err audit_created(struct hm_db *db, const struct hm_new_user *u, int64_t user_id,
				 const struct hm_actor *who, const char *via)
{
	json_t *detail = json_pack("{s:s, s:s}", "email", u->email, "role", hm_role_name(u->role));
	enum hm_err err = HM_ERR_INTERNAL;
	if (detail && (!via || json_object_set_new(detail, "via", json_string(via)) == 0))
		err = hm_audit_record(db, who->user_id, "user.create", "user", user_id, detail,
				      who->request_id, who->now);
	json_decref(detail);
	return err;
}

enum hm_err hm_accounts_create_audited(struct hm_db *db, const struct hm_new_user *u,
				       const struct hm_actor *who, const char *via,
				       int64_t *user_id, json_t **user_out)
{
	if (user_out)
		*user_out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_accounts_create(db, u->email, u->password_hash, u->full_name, u->role, u->locale,
				 who->now, user_id);
	if (err == HM_OK)
		err = audit_created(db, u, *user_id, who, via);
	if (err == HM_OK && user_out)
		err = hm_accounts_user_json(db, *user_id, user_out);
	return hm_db_end(db, err);
}

enum hm_err hm_accounts_set_password(struct hm_db *db, int64_t user_id, const char *hash)
{
	static const char sql[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	sqlite3_bind_text(stmt, 2, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "set password");
}

/* The user object from a row of (id, email, full_name, role, active, created_at). */
static json_t *user_from_row(sqlite3_stmt *stmt)
{
	char created[HM_RFC3339_LEN];
	hm_time_format(sqlite3_column_int64(stmt, 5), created);
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "email",
			 (const char *)sqlite3_column_text(stmt, 1), "full_name",
			 (const char *)sqlite3_column_text(stmt, 2), "role",
			 (const char *)sqlite3_column_text(stmt, 3), "active",
			 sqlite3_column_int(stmt, 4) != 0, "created_at", created);
}

enum hm_err hm_accounts_user_json(struct hm_db *db, int64_t user_id, json_t **out)
{
	static const char sql[] =
		"SELECT id, email, full_name, role, active, created_at FROM users WHERE id = ?1";
	return hm_db_row_by_id(db, sql, user_id, user_from_row, out, "read user");
}

enum hm_err hm_accounts_client_json_by_user(struct hm_db *db, int64_t user_id, json_t **out)
{
	int64_t client_id = 0;
	enum hm_err err = hm_db_clients_of_user(db, user_id, &client_id);
	if (err == HM_ERR_NOT_FOUND) {
		*out = json_null();
		return HM_OK;
	}
	return err == HM_OK ? hm_db_clients_json(db, client_id, hm_time_now(), out) : err;
}

enum hm_err hm_accounts_list(struct hm_db *db, int64_t after, int limit, json_t **items,
			     int64_t *next_after)
{
	static const char sql[] = "SELECT id, email, full_name, role, active, created_at FROM users"
				  " WHERE id > ?1 ORDER BY id LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int(stmt, 2, limit + 1);
	return hm_db_page(db, stmt, limit, user_from_row, items, next_after);
}

static enum hm_err count_active_admins(struct hm_db *db, int64_t *count)
{
	static const char sql[] = "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW ? HM_OK : hm_db_fail(db, "count admins");
}

/* Deactivation: sessions end and API tokens are revoked for good, so a later
 * reactivation does not bring old credentials back to life. */
static enum hm_err end_credentials(struct hm_db *db, int64_t user_id, int64_t now)
{
	static const char sessions_sql[] = "DELETE FROM sessions WHERE user_id = ?1";
	static const char tokens_sql[] =
		"UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *sessions = hm_db_stmt(db, sessions_sql);
	sqlite3_stmt *tokens = hm_db_stmt(db, tokens_sql);
	if (!sessions || !tokens)
		goto out;
	sqlite3_bind_int64(sessions, 1, user_id);
	sqlite3_bind_int64(tokens, 1, user_id);
	sqlite3_bind_int64(tokens, 2, now);
	if (sqlite3_step(sessions) != SQLITE_DONE || sqlite3_step(tokens) != SQLITE_DONE) {
		err = hm_db_fail(db, "end credentials");
		goto out;
	}
	err = HM_OK;
out:
	hm_db_done(sessions);
	hm_db_done(tokens);
	return err;
}

static enum hm_err has_client(struct hm_db *db, int64_t user_id, bool *found)
{
	static const char sql[] = "SELECT 1 FROM clients WHERE user_id = ?1";
	return hm_db_exists_by_id(db, sql, user_id, found, "find client");
}

enum hm_err hm_accounts_update(struct hm_db *db, int64_t user_id, enum hm_role role,
			       const char *full_name, const bool *active, int64_t now)
{
	static const char sql[] =
		"UPDATE users SET role = coalesce(?2, role), full_name = coalesce(?3, full_name),"
		" active = coalesce(?4, active), updated_at = ?5 WHERE id = ?1";
	enum hm_err err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	hm_db_bind_text_or_null(stmt, 2, role == HM_ROLE_NONE ? NULL : hm_role_name(role));
	hm_db_bind_text_or_null(stmt, 3, full_name);
	if (active)
		sqlite3_bind_int(stmt, 4, *active ? 1 : 0);
	sqlite3_bind_int64(stmt, 5, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "update user");
	if (sqlite3_changes(hm_db_handle(db)) == 0)
		return HM_ERR_NOT_FOUND;

	int64_t admins = 0;
	if ((err = count_active_admins(db, &admins)) != HM_OK)
		return err;
	if (admins == 0)
		return HM_ERR_CONFLICT; /* the caller rolls back */
	if (active && !*active && (err = end_credentials(db, user_id, now)) != HM_OK)
		return err;
	if (role == HM_ROLE_STUDENT) {
		bool found = false;
		if ((err = has_client(db, user_id, &found)) != HM_OK)
			return err;
		if (!found)
			return create_client_for_user(db, user_id, NULL, now);
	}
	return HM_OK;
}

enum hm_err hm_accounts_update_audited(struct hm_db *db, int64_t user_id,
				       const struct hm_user_change *change, json_t *detail,
				       const struct hm_actor *who, json_t **user_out)
{
	*user_out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_accounts_update(db, user_id, change->role, change->full_name, change->active,
				 who->now);
	if (err == HM_OK && json_object_size(detail) > 0)
		err = hm_audit_record(db, who->user_id, "user.update", "user", user_id, detail,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_accounts_user_json(db, user_id, user_out);
	return hm_db_end(db, err);
}

enum hm_err hm_accounts_count(struct hm_db *db, int64_t *count)
{
	static const char sql[] = "SELECT count(*) FROM users";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW ? HM_OK : hm_db_fail(db, "count users");
}
