// SPDX-License-Identifier: MIT
// The calendar_feeds table and the lessons a feed shows (include/harreman/db_calendar.h).
// A feed's token is derived from a per-client nonce with the server's key
// (hm_app.secret, a file beside the database): the table keeps only the token's
// BLAKE2b hash, as for API tokens, yet GET /me/calendar can show the same URL
// again; rotating draws a new nonce and the old URL answers 404. The feed's rows go
// to a reader the caller gives, which renders them.
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "harreman/audit.h"
#include "harreman/db_calendar.h"
#include "harreman/token.h"
#include "harreman/banned.h"

#define NONCE_BYTES 16

/* A feed row as read: whether there is one, its nonce, and whether its stored hash
 * is the hash of the token the current key derives (false after the key changed). */
struct feed {
	bool found, current;
	unsigned char nonce[NONCE_BYTES];
};

/* The feed token of client_id for nonce: base64url(BLAKE2b-256 keyed with the
 * server's key over a label, the client id and the nonce). */
static void feed_token(const unsigned char key[HM_SECRET_BYTES], int64_t client_id,
		       const unsigned char nonce[NONCE_BYTES], char token[HM_TOKEN_TEXT_LEN])
{
	static const char label[] = "harreman calendar feed v1";
	unsigned char msg[sizeof label + 8 + NONCE_BYTES], out[32];
	memcpy(msg, label, sizeof label);
	for (int i = 0; i < 8; i++)
		msg[sizeof label + i] = (unsigned char)((uint64_t)client_id >> (56 - 8 * i));
	memcpy(msg + sizeof label + 8, nonce, NONCE_BYTES);
	crypto_generichash(out, sizeof out, msg, sizeof msg, key, HM_SECRET_BYTES);
	sodium_bin2base64(token, HM_TOKEN_TEXT_LEN, out, sizeof out,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(out, sizeof out);
}

/* The hash under which the token of client_id and nonce is stored. */
static void feed_hash(const unsigned char key[HM_SECRET_BYTES], int64_t client_id,
		      const unsigned char nonce[NONCE_BYTES], unsigned char hash[HM_TOKEN_HASH_LEN])
{
	char token[HM_TOKEN_TEXT_LEN];
	feed_token(key, client_id, nonce, token);
	hm_token_hash(token, strlen(token), hash);
	sodium_memzero(token, sizeof token);
}

static enum hm_err feed_read(struct hm_db *db, const unsigned char key[HM_SECRET_BYTES],
			     int64_t client_id, struct feed *f)
{
	static const char sql[] =
		"SELECT nonce, token_hash FROM calendar_feeds WHERE client_id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	f->found = f->current = false;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == NONCE_BYTES &&
	    sqlite3_column_bytes(stmt, 1) == HM_TOKEN_HASH_LEN) {
		unsigned char hash[HM_TOKEN_HASH_LEN];
		memcpy(f->nonce, sqlite3_column_blob(stmt, 0), NONCE_BYTES);
		feed_hash(key, client_id, f->nonce, hash);
		f->found = true;
		f->current = sodium_memcmp(hash, sqlite3_column_blob(stmt, 1), sizeof hash) == 0;
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read feed");
}

/* Stores f's nonce (and the hash of its token) as client_id's feed, and audits
 * action. Inside the caller's transaction. */
static enum hm_err feed_store(struct hm_db *db, const unsigned char key[HM_SECRET_BYTES],
			      int64_t client_id, const struct feed *f, const char *action,
			      const struct hm_actor *who)
{
	static const char sql[] =
		"INSERT INTO calendar_feeds (client_id, nonce, token_hash, created_at)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (client_id) DO UPDATE SET"
		" nonce = excluded.nonce, token_hash = excluded.token_hash,"
		" created_at = excluded.created_at";
	unsigned char hash[HM_TOKEN_HASH_LEN];
	feed_hash(key, client_id, f->nonce, hash);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_blob(stmt, 2, f->nonce, NONCE_BYTES, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 3, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, who->now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "store feed");
	return hm_audit_record(db, who->user_id, action, "client", client_id, NULL, who->request_id,
			       who->now);
}

/* {"url": "/calendar/<token>.ics"} for client_id and f's nonce. */
static enum hm_err feed_url(const unsigned char key[HM_SECRET_BYTES], int64_t client_id,
			    const struct feed *f, json_t **out)
{
	char token[HM_TOKEN_TEXT_LEN], url[96];
	feed_token(key, client_id, f->nonce, token);
	snprintf(url, sizeof url, HM_CALENDAR_URL_PREFIX "%s" HM_CALENDAR_URL_SUFFIX, token);
	sodium_memzero(token, sizeof token);
	*out = json_pack("{s:s}", "url", url);
	sodium_memzero(url, sizeof url);
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_calendar_url(struct hm_db *db, const unsigned char key[HM_SECRET_BYTES],
			       int64_t client_id, const struct hm_actor *who, json_t **out)
{
	struct feed f;
	*out = NULL;
	enum hm_err err = feed_read(db, key, client_id, &f);
	if (err != HM_OK || (f.found && f.current))
		return err == HM_OK ? feed_url(key, client_id, &f, out) : err;
	err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = feed_read(db, key, client_id, &f); /* as of the write lock */
	if (err == HM_OK && !f.found)
		randombytes_buf(f.nonce, sizeof f.nonce);
	if (err == HM_OK && !(f.found && f.current))
		err = feed_store(db, key, client_id, &f,
				 f.found ? "calendar.reissue" : "calendar.create", who);
	if (err == HM_OK)
		err = feed_url(key, client_id, &f, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_calendar_rotate(struct hm_db *db, const unsigned char key[HM_SECRET_BYTES],
				  int64_t client_id, const struct hm_actor *who, json_t **out)
{
	struct feed f = {.found = true};
	*out = NULL;
	randombytes_buf(f.nonce, sizeof f.nonce);
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = feed_store(db, key, client_id, &f, "calendar.rotate", who);
	if (err == HM_OK)
		err = feed_url(key, client_id, &f, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_calendar_find(struct hm_db *db, const char *token, size_t len, int64_t *client_id)
{
	static const char sql[] =
		"SELECT f.client_id FROM calendar_feeds f JOIN clients c ON c.id = f.client_id"
		" LEFT JOIN users u ON u.id = c.user_id"
		" WHERE f.token_hash = ?1 AND (u.id IS NULL OR u.active = 1)";
	unsigned char hash[HM_TOKEN_HASH_LEN];
	hm_token_hash(token, len, hash);
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_blob(stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*client_id = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "find feed");
}

/* ---- the feed itself ------------------------------------------------------------- */

/* The owner's name, when its row last changed, and when its latest lesson before
 * ?2 started (0: none), for the client ?1 or the tutor ?1. */
static enum hm_err feed_owner(struct hm_db *db, int64_t client_id, int64_t tutor_id, int64_t since,
			      const struct hm_calendar_reader *reader, int64_t *last_modified)
{
	static const char client_sql[] =
		"SELECT c.full_name, c.updated_at, (SELECT max(l.starts_at) FROM lessons l"
		" WHERE l.client_id = c.id AND l.starts_at < ?2) FROM clients c WHERE c.id = ?1";
	static const char tutor_sql[] =
		"SELECT u.full_name, u.updated_at, (SELECT max(l.starts_at) FROM lessons l"
		" WHERE l.tutor_id = t.user_id AND l.starts_at < ?2)"
		" FROM tutors t JOIN users u ON u.id = t.user_id WHERE t.user_id = ?1";
	enum hm_err err = HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(db, client_id ? client_sql : tutor_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id ? client_id : tutor_id);
	sqlite3_bind_int64(stmt, 2, since);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		int64_t left = sqlite3_column_type(stmt, 2) == SQLITE_NULL
				       ? 0
				       : sqlite3_column_int64(stmt, 2) + HM_CALENDAR_PAST;
		int64_t changed = sqlite3_column_int64(stmt, 1);
		*last_modified = changed > left ? changed : left;
		if (!reader->begin(reader->ctx, (const char *)sqlite3_column_text(stmt, 0)))
			err = HM_ERR_INTERNAL;
	} else {
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "calendar owner");
	}
	hm_db_done(stmt);
	return err;
}

/* The lessons' columns: id, starts, ends, status, created, changed (the lesson),
 * shown (anything the event shows), service, tutor, client, moves. */
#define LESSON_COLUMNS                                                                 \
	"SELECT l.id, l.starts_at, l.ends_at, l.status, l.created_at,"                 \
	" max(l.created_at, coalesce(l.cancelled_at, 0), coalesce(l.logged_at, 0),"    \
	" coalesce(l.moved_at, 0)),"                                                   \
	" max(l.created_at, coalesce(l.cancelled_at, 0), coalesce(l.logged_at, 0),"    \
	" coalesce(l.moved_at, 0), coalesce(t.updated_at, 0), c.updated_at,"           \
	" s.created_at),"                                                              \
	" s.name, coalesce(t.full_name, ''), c.full_name, l.moves FROM lessons l"      \
	" JOIN services s ON s.id = l.service_id JOIN clients c ON c.id = l.client_id" \
	" LEFT JOIN users t ON t.id = l.tutor_id"
static const char by_client_sql[] = LESSON_COLUMNS
	" WHERE l.client_id = ?1 AND l.starts_at >= ?2 ORDER BY l.starts_at, l.id LIMIT ?3";
static const char by_tutor_sql[] = LESSON_COLUMNS
	" WHERE l.tutor_id = ?1 AND l.starts_at >= ?2 ORDER BY l.starts_at, l.id LIMIT ?3";
static const char one_sql[] = LESSON_COLUMNS " WHERE l.client_id = ?1 AND l.id = ?2";
#undef LESSON_COLUMNS

/* Hands every row of stmt (LESSON_COLUMNS) to reader, raising *last_modified;
 * *rows (may be NULL) counts them. Finishes stmt. */
static enum hm_err read_lessons(struct hm_db *db, sqlite3_stmt *stmt,
				const struct hm_calendar_reader *reader, int64_t *last_modified,
				size_t *rows)
{
	enum hm_err err = HM_OK;
	int rc = SQLITE_DONE;
	while (err == HM_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(stmt, 3);
		struct hm_calendar_lesson l = {
			.id = sqlite3_column_int64(stmt, 0),
			.starts = sqlite3_column_int64(stmt, 1),
			.ends = sqlite3_column_int64(stmt, 2),
			.created = sqlite3_column_int64(stmt, 4),
			.changed = sqlite3_column_int64(stmt, 5),
			.cancelled = status && strcmp(status, "cancelled") == 0,
			.service = (const char *)sqlite3_column_text(stmt, 7),
			.tutor = (const char *)sqlite3_column_text(stmt, 8),
			.client = (const char *)sqlite3_column_text(stmt, 9),
			.moves = sqlite3_column_int(stmt, 10),
		};
		int64_t shown = sqlite3_column_int64(stmt, 6);
		if (shown > *last_modified)
			*last_modified = shown;
		if (rows)
			(*rows)++;
		if (!reader->lesson(reader->ctx, &l))
			err = HM_ERR_INTERNAL;
	}
	hm_db_done(stmt);
	if (err == HM_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = hm_db_fail(db, "feed lessons");
	return err;
}

enum hm_err hm_db_calendar_feed(struct hm_db *db, int64_t client_id, int64_t tutor_id, int64_t now,
				const struct hm_calendar_reader *reader, int64_t *last_modified)
{
	int64_t since = now - HM_CALENDAR_PAST;
	enum hm_err err = feed_owner(db, client_id, tutor_id, since, reader, last_modified);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, client_id ? by_client_sql : by_tutor_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id ? client_id : tutor_id);
	sqlite3_bind_int64(stmt, 2, since);
	sqlite3_bind_int(stmt, 3, HM_CALENDAR_MAX_EVENTS);
	return read_lessons(db, stmt, reader, last_modified, NULL);
}

enum hm_err hm_db_calendar_lesson(struct hm_db *db, int64_t client_id, int64_t lesson_id,
				  const struct hm_calendar_reader *reader, int64_t *last_modified)
{
	size_t rows = 0;
	enum hm_err err = feed_owner(db, client_id, 0, 0, reader, last_modified);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, one_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, lesson_id);
	err = read_lessons(db, stmt, reader, last_modified, &rows);
	return err == HM_OK && rows == 0 ? HM_ERR_NOT_FOUND : err;
}
