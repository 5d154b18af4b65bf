// SPDX-License-Identifier: MIT
// Sessions and API tokens in the database (include/harreman/sessions.h), and the
// transactions of the auth routes that start or end them (register, login,
// logout, tokens), audit rows included. Only BLAKE2b hashes of the secrets are
// stored; lookups go through the hash index.
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/audit.h"
#include "harreman/db_referrals.h"
#include "harreman/ratelimit.h"
#include "harreman/sessions.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

enum hm_err hm_session_create(struct hm_db *db, int64_t user_id, int64_t now,
			      char token_out[HM_TOKEN_TEXT_LEN], char csrf_out[HM_TOKEN_TEXT_LEN],
			      int64_t *session_id)
{
	static const char purge_sql[] = "DELETE FROM sessions WHERE expires_at <= ?1";
	static const char insert_sql[] =
		"INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, expires_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	enum hm_err err = HM_ERR_INTERNAL;
	unsigned char hash[HM_TOKEN_HASH_LEN];
	sqlite3_stmt *purge = NULL, *insert = NULL;

	purge = hm_db_stmt(db, purge_sql);
	if (!purge)
		goto out;
	sqlite3_bind_int64(purge, 1, now);
	if (sqlite3_step(purge) != SQLITE_DONE) {
		err = hm_db_fail(db, "purge sessions");
		goto out;
	}

	hm_token_new(token_out);
	hm_token_new(csrf_out);
	hm_token_hash(token_out, strlen(token_out), hash);
	insert = hm_db_stmt(db, insert_sql);
	if (!insert)
		goto out;
	sqlite3_bind_int64(insert, 1, user_id);
	sqlite3_bind_blob(insert, 2, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_text(insert, 3, csrf_out, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(insert, 4, now);
	sqlite3_bind_int64(insert, 5, now + HM_SESSION_TTL);
	if (sqlite3_step(insert) != SQLITE_DONE) {
		err = hm_db_fail(db, "insert session");
		goto out;
	}
	*session_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	err = HM_OK;
out:
	hm_db_done(purge);
	hm_db_done(insert);
	return err;
}

enum hm_err hm_session_json(struct hm_db *db, int64_t user_id, const char *csrf, json_t **out)
{
	json_t *user = NULL, *client = NULL;
	enum hm_err err = hm_accounts_user_json(db, user_id, &user);
	const char *role = json_string_value(json_object_get(user, "role"));
	if (err == HM_OK && role && strcmp(role, "student") == 0)
		err = hm_accounts_client_json_by_user(db, user_id, &client);
	else if (err == HM_OK)
		client = json_null();
	if (err != HM_OK) {
		json_decref(user);
		return err;
	}
	*out = json_pack("{s:o, s:o, s:o}", "user", user, "client", client, "csrf_token",
			 csrf ? json_string(csrf) : json_null());
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

/* The last steps of register and login: the session of user_id and its answer. */
static enum hm_err start_session(struct hm_db *db, int64_t user_id, int64_t now,
				 struct hm_session_new *out)
{
	char csrf[HM_TOKEN_TEXT_LEN];
	int64_t session_id = 0;
	enum hm_err err = hm_session_create(db, user_id, now, out->token, csrf, &session_id);
	if (err == HM_OK)
		err = hm_session_json(db, user_id, csrf, &out->body);
	return err;
}

enum hm_err hm_session_register(struct hm_db *db, const struct hm_new_user *u,
				int64_t replaces_session, const struct hm_actor *who,
				struct hm_session_new *out)
{
	int64_t user_id = 0;
	out->body = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_accounts_create(db, u->email, u->password_hash, u->full_name, u->role, u->locale,
				 who->now, &user_id);
	/* Registered with a family's or a partner's code (sql/0011). */
	if (err == HM_OK && u->ref)
		err = hm_db_referrals_link(db, user_id, u->ref);
	if (err == HM_OK && replaces_session)
		err = hm_session_revoke(db, replaces_session);
	if (err == HM_OK)
		err = hm_audit_record(db, user_id, "user.register", "user", user_id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = start_session(db, user_id, who->now, out);
	return hm_db_end(db, err);
}

enum hm_err hm_session_login(struct hm_db *db, const struct hm_login *login,
			     const struct hm_actor *who, struct hm_session_new *out)
{
	out->body = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_ratelimit_clear(db, HM_BUCKET_LOGIN_EMAIL, login->email);
	if (err == HM_OK && login->rehash)
		err = hm_accounts_set_password(db, login->user_id, login->rehash);
	if (err == HM_OK && login->replaces_session)
		err = hm_session_revoke(db, login->replaces_session);
	if (err == HM_OK)
		err = hm_audit_record(db, login->user_id, "session.login", "user", login->user_id,
				      NULL, who->request_id, who->now);
	if (err == HM_OK)
		err = start_session(db, login->user_id, who->now, out);
	return hm_db_end(db, err);
}

enum hm_err hm_session_logout(struct hm_db *db, int64_t session_id, const struct hm_actor *who)
{
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_session_revoke(db, session_id);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "session.logout", "user", who->user_id,
				      NULL, who->request_id, who->now);
	return hm_db_end(db, err);
}

enum hm_err hm_session_lookup(struct hm_db *db, const char *token, int64_t now,
			      struct hm_identity *who)
{
	static const char sql[] = "SELECT s.id, s.user_id, u.role, s.csrf_token FROM sessions s"
				  " JOIN users u ON u.id = s.user_id"
				  " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active = 1";
	unsigned char hash[HM_TOKEN_HASH_LEN];
	enum hm_err err = HM_ERR_UNAUTHENTICATED;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	hm_token_hash(token, strlen(token), hash);
	sqlite3_bind_blob(stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, now);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *csrf = (const char *)sqlite3_column_text(stmt, 3);
		who->session_id = sqlite3_column_int64(stmt, 0);
		who->user_id = sqlite3_column_int64(stmt, 1);
		who->role = hm_role_from_name((const char *)sqlite3_column_text(stmt, 2));
		who->via_cookie = true;
		who->via_bearer = false;
		if (csrf && strlen(csrf) < sizeof who->csrf_token)
			memcpy(who->csrf_token, csrf, strlen(csrf) + 1);
		err = HM_OK;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "session lookup");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_session_revoke(struct hm_db *db, int64_t session_id)
{
	static const char sql[] = "DELETE FROM sessions WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, session_id);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "revoke session");
}

enum hm_err hm_api_token_create(struct hm_db *db, int64_t user_id, const char *name, int64_t now,
				char token_out[HM_API_TOKEN_TEXT_LEN], int64_t *id)
{
	static const char sql[] = "INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
				  " VALUES (?1, ?2, ?3, ?4)";
	char secret[HM_TOKEN_TEXT_LEN];
	unsigned char hash[HM_TOKEN_HASH_LEN];
	size_t prefix = sizeof HM_API_TOKEN_PREFIX - 1;

	hm_token_new(secret);
	memcpy(token_out, HM_API_TOKEN_PREFIX, prefix);
	memcpy(token_out + prefix, secret, sizeof secret);
	sodium_memzero(secret, sizeof secret);
	hm_token_hash(token_out, strlen(token_out), hash);

	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 3, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert api token");
	*id = sqlite3_last_insert_rowid(hm_db_handle(db));
	return HM_OK;
}

/* The token's row and its audit row; *out gets the token object. */
static enum hm_err create_token(struct hm_db *db, const char *name, const struct hm_actor *who,
				json_t **out)
{
	char token[HM_API_TOKEN_TEXT_LEN], created[HM_RFC3339_LEN];
	int64_t id = 0;
	json_t *detail = json_pack("{s:s}", "name", name);
	enum hm_err err = detail ? HM_OK : HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = hm_api_token_create(db, who->user_id, name, who->now, token, &id);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "token.create", "api_token", id, detail,
				      who->request_id, who->now);
	if (err == HM_OK) {
		hm_time_format(who->now, created);
		*out = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name", name,
				 "token", token, "created_at", created);
		if (!*out)
			err = HM_ERR_INTERNAL; /* a token nobody was shown must not stay */
	}
	sodium_memzero(token, sizeof token);
	json_decref(detail);
	return err;
}

enum hm_err hm_api_token_create_audited(struct hm_db *db, const char *name,
					const struct hm_actor *who, json_t **out)
{
	*out = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = create_token(db, name, who, out);
	return hm_db_end(db, err);
}

enum hm_err hm_api_token_lookup(struct hm_db *db, const char *token, struct hm_identity *who)
{
	static const char sql[] =
		"SELECT t.user_id, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.active = 1";
	unsigned char hash[HM_TOKEN_HASH_LEN];
	enum hm_err err = HM_ERR_UNAUTHENTICATED;
	if (strncmp(token, HM_API_TOKEN_PREFIX, sizeof HM_API_TOKEN_PREFIX - 1) != 0)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	hm_token_hash(token, strlen(token), hash);
	sqlite3_bind_blob(stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		who->user_id = sqlite3_column_int64(stmt, 0);
		who->role = hm_role_from_name((const char *)sqlite3_column_text(stmt, 1));
		who->via_bearer = true;
		who->via_cookie = false;
		err = HM_OK;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "api token lookup");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_api_token_revoke(struct hm_db *db, int64_t id, int64_t owner_id, int64_t now)
{
	static const char sql[] =
		"UPDATE api_tokens SET revoked_at = ?3"
		" WHERE id = ?1 AND revoked_at IS NULL AND (?2 = 0 OR user_id = ?2)";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, owner_id);
	sqlite3_bind_int64(stmt, 3, now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "revoke api token");
	return sqlite3_changes(hm_db_handle(db)) ? HM_OK : HM_ERR_NOT_FOUND;
}

enum hm_err hm_api_token_revoke_audited(struct hm_db *db, int64_t id, int64_t owner_id,
					const struct hm_actor *who)
{
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_api_token_revoke(db, id, owner_id, who->now);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "token.revoke", "api_token", id, NULL,
				      who->request_id, who->now);
	return hm_db_end(db, err);
}

static json_t *token_from_row(sqlite3_stmt *stmt)
{
	char at[HM_RFC3339_LEN];
	hm_time_format(sqlite3_column_int64(stmt, 2), at);
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0), "name",
			 (const char *)sqlite3_column_text(stmt, 1), "created_at", at);
}

enum hm_err hm_api_token_list(struct hm_db *db, int64_t user_id, json_t **items)
{
	static const char sql[] = "SELECT id, name, created_at FROM api_tokens"
				  " WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY id";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, user_id);
	return hm_db_rows(db, stmt, token_from_row, items, "list api tokens");
}
