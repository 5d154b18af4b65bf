// SPDX-License-Identifier: MIT
// Calendars (RFC 5545): a student's lessons as a feed, read with its session
// (/me/calendar.ics) or through a private URL that needs no login
// (/calendar/<token>.ics, for calendar apps that cannot log in); a tutor's
// lessons for staff. The private token is derived from a per-client nonce with
// the server's secret key (hm_app.secret, a file beside the database): the
// database keeps only the token's BLAKE2b hash, as for API tokens, yet
// GET /me/calendar can show the same URL again; rotating draws a new nonce and the
// old URL answers 404. Data layer first, then the handlers.
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/audit.h"
#include "harreman/crm.h"
#include "harreman/ical.h"
#include "harreman/token.h"
#include "harreman/banned.h"

#define NONCE_BYTES 16
#define FEED_CAP ((size_t)8 * 1024 * 1024)
#define FEED_PAST ((int64_t)180 * 86400) /* lessons this far back stay in a feed */
#define FEED_MAX_EVENTS 5000
#define PRODID "-//Harreman//Harreman " HM_VERSION "//EU"
#define CALENDAR_PREFIX "/calendar/"
#define CALENDAR_SUFFIX ".ics"
#define ICS_TYPE "text/calendar; charset=utf-8"

/* ---- data layer: feed tokens --------------------------------------------------- */

/* The feed token of client_id for nonce: base64url(BLAKE2b-256 keyed with the
 * server's secret over a label, the client id and the nonce). */
static void feed_token(const struct hm_app *app, int64_t client_id,
		       const unsigned char nonce[NONCE_BYTES], char token[HM_TOKEN_TEXT_LEN])
{
	static const char label[] = "harreman calendar feed v1";
	unsigned char msg[sizeof label + 8 + NONCE_BYTES], out[32];
	memcpy(msg, label, sizeof label);
	for (int i = 0; i < 8; i++)
		msg[sizeof label + i] = (unsigned char)((uint64_t)client_id >> (56 - 8 * i));
	memcpy(msg + sizeof label + 8, nonce, NONCE_BYTES);
	crypto_generichash(out, sizeof out, msg, sizeof msg, app->secret, sizeof app->secret);
	sodium_bin2base64(token, HM_TOKEN_TEXT_LEN, out, sizeof out,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(out, sizeof out);
}

/* The feed row of client_id: *found, its nonce and whether its stored hash is the
 * hash of the token the current key derives (false after the key file changed). */
static enum hm_err feed_row(struct hm_request *req, int64_t client_id, bool *found,
			    unsigned char nonce[NONCE_BYTES], bool *current)
{
	static const char sql[] = "SELECT nonce, token_hash FROM calendar_feeds WHERE client_id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(req->db, sql);
	*found = *current = false;
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == NONCE_BYTES &&
	    sqlite3_column_bytes(stmt, 1) == HM_TOKEN_HASH_LEN) {
		char token[HM_TOKEN_TEXT_LEN];
		unsigned char hash[HM_TOKEN_HASH_LEN];
		memcpy(nonce, sqlite3_column_blob(stmt, 0), NONCE_BYTES);
		feed_token(req->app, client_id, nonce, token);
		hm_token_hash(token, strlen(token), hash);
		*found = true;
		*current = sodium_memcmp(hash, sqlite3_column_blob(stmt, 1), sizeof hash) == 0;
		sodium_memzero(token, sizeof token);
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "read feed");
}

/* Stores nonce (and the hash of its token) as client_id's feed. */
static enum hm_err feed_store(struct hm_request *req, int64_t client_id,
			      const unsigned char nonce[NONCE_BYTES])
{
	static const char sql[] =
		"INSERT INTO calendar_feeds (client_id, nonce, token_hash, created_at)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (client_id) DO UPDATE SET"
		" nonce = excluded.nonce, token_hash = excluded.token_hash,"
		" created_at = excluded.created_at";
	char token[HM_TOKEN_TEXT_LEN];
	unsigned char hash[HM_TOKEN_HASH_LEN];
	feed_token(req->app, client_id, nonce, token);
	hm_token_hash(token, strlen(token), hash);
	sodium_memzero(token, sizeof token);
	sqlite3_stmt *stmt = hm_db_stmt(req->db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_blob(stmt, 2, nonce, NONCE_BYTES, SQLITE_TRANSIENT);
	sqlite3_bind_blob(stmt, 3, hash, sizeof hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 4, req->now);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(req->db, "store feed");
}

/* {"url": "/calendar/<token>.ics"} for client_id and nonce. */
static json_t *feed_url_json(struct hm_request *req, int64_t client_id,
			     const unsigned char nonce[NONCE_BYTES])
{
	char token[HM_TOKEN_TEXT_LEN], url[96];
	feed_token(req->app, client_id, nonce, token);
	snprintf(url, sizeof url, CALENDAR_PREFIX "%s" CALENDAR_SUFFIX, token);
	sodium_memzero(token, sizeof token);
	json_t *body = json_pack("{s:s}", "url", url);
	sodium_memzero(url, sizeof url);
	return body;
}

/* The client whose feed token is token, if its user (when it has one) is active. */
static enum hm_err feed_client(struct hm_db *db, const char *token, size_t len,
			       int64_t *client_id)
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

/* ---- data layer: the feed itself ------------------------------------------------- */

/* An identifier of this installation for UIDs, from the secret key (so UIDs stay
 * the same across restarts and settings, and differ between installations). */
static void installation_id(const struct hm_app *app, char out[17])
{
	static const char label[] = "harreman uid v1";
	unsigned char raw[8];
	crypto_generichash(raw, sizeof raw, (const unsigned char *)label, sizeof label - 1,
			   app->secret, sizeof app->secret);
	sodium_bin2hex(out, 17, raw, sizeof raw);
}

/* Writes the events of the lessons of client_id or tutor_id (one of them) from
 * now - FEED_PAST on into out. */
static enum hm_err feed_events(struct hm_request *req, int64_t client_id, int64_t tutor_id,
			       struct hm_buf *out)
{
	static const char by_client_sql[] =
		"SELECT l.id, l.starts_at, l.ends_at, l.status, l.created_at,"
		" max(l.created_at, coalesce(l.cancelled_at, 0), coalesce(l.logged_at, 0)),"
		" s.name, coalesce(t.full_name, ''), c.full_name FROM lessons l"
		" JOIN services s ON s.id = l.service_id JOIN clients c ON c.id = l.client_id"
		" LEFT JOIN users t ON t.id = l.tutor_id"
		" WHERE l.client_id = ?1 AND l.starts_at >= ?2 ORDER BY l.starts_at, l.id LIMIT ?3";
	static const char by_tutor_sql[] =
		"SELECT l.id, l.starts_at, l.ends_at, l.status, l.created_at,"
		" max(l.created_at, coalesce(l.cancelled_at, 0), coalesce(l.logged_at, 0)),"
		" s.name, coalesce(t.full_name, ''), c.full_name FROM lessons l"
		" JOIN services s ON s.id = l.service_id JOIN clients c ON c.id = l.client_id"
		" LEFT JOIN users t ON t.id = l.tutor_id"
		" WHERE l.tutor_id = ?1 AND l.starts_at >= ?2 ORDER BY l.starts_at, l.id LIMIT ?3";
	char install[17];
	int rc;
	enum hm_err err = HM_OK;
	installation_id(req->app, install);
	sqlite3_stmt *stmt = hm_db_stmt(req->db, client_id ? by_client_sql : by_tutor_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id ? client_id : tutor_id);
	sqlite3_bind_int64(stmt, 2, req->now - FEED_PAST);
	sqlite3_bind_int(stmt, 3, FEED_MAX_EVENTS);
	while (err == HM_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		char uid[96], summary[1024];
		const char *service = (const char *)sqlite3_column_text(stmt, 6);
		const char *tutor = (const char *)sqlite3_column_text(stmt, 7);
		const char *client = (const char *)sqlite3_column_text(stmt, 8);
		const char *status = (const char *)sqlite3_column_text(stmt, 3);
		bool cancelled = status && strcmp(status, "cancelled") == 0;
		snprintf(uid, sizeof uid, "lesson-%lld-%s@harreman",
			 (long long)sqlite3_column_int64(stmt, 0), install);
		/* The student sees whom it learns with; the tutor whom it teaches. */
		snprintf(summary, sizeof summary, "%s, %s", service ? service : "",
			 client_id ? (tutor ? tutor : "") : (client ? client : ""));
		struct hm_ical_event e = {
			.uid = uid,
			.created = sqlite3_column_int64(stmt, 4),
			.dtstamp = sqlite3_column_int64(stmt, 5),
			.starts = sqlite3_column_int64(stmt, 1),
			.ends = sqlite3_column_int64(stmt, 2),
			.summary = summary,
			.cancelled = cancelled,
			.sequence = cancelled ? 1 : 0,
		};
		if (!hm_ical_event(out, &e))
			err = HM_ERR_INTERNAL;
	}
	hm_db_done(stmt);
	if (err == HM_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		err = hm_db_fail(req->db, "feed lessons");
	return err;
}

/* The name of a client or a tutor (user), for the calendar's name. */
static enum hm_err name_of(struct hm_db *db, int64_t client_id, int64_t tutor_id, char *out,
			   size_t size)
{
	static const char client_sql[] = "SELECT full_name FROM clients WHERE id = ?1";
	static const char tutor_sql[] =
		"SELECT u.full_name FROM tutors t JOIN users u ON u.id = t.user_id"
		" WHERE t.user_id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, client_id ? client_sql : tutor_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id ? client_id : tutor_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "calendar name");
}

/* Answers the feed of client_id or tutor_id. */
static void reply_feed(struct hm_request *req, struct hm_reply *reply, int64_t client_id,
		       int64_t tutor_id)
{
	char name[512], title[600];
	struct hm_buf out;
	hm_buf_init(&out, FEED_CAP);
	enum hm_err err = name_of(req->db, client_id, tutor_id, name, sizeof name);
	snprintf(title, sizeof title, "Harreman: %s", name);
	if (err == HM_OK && !hm_ical_begin(&out, PRODID, title))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = feed_events(req, client_id, tutor_id, &out);
	if (err == HM_OK && !hm_ical_end(&out))
		err = HM_ERR_INTERNAL;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
	} else {
		size_t len = 0;
		char *body = hm_buf_detach(&out, &len);
		if (!body) {
			hm_api_reply_err(reply, HM_ERR_INTERNAL);
		} else {
			reply->status = 200;
			reply->body = body;
			reply->body_len = len;
			reply->content_type = ICS_TYPE;
			hm_reply_header(reply, "Content-Disposition",
					"inline; filename=\"harreman.ics\"");
		}
	}
	hm_buf_release(&out);
}

/* ---- handlers --------------------------------------------------------------------- */

void hm_api_me_calendar(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	unsigned char nonce[NONCE_BYTES];
	bool found = false, current = false;
	if (!req->app->has_secret) {
		hm_api_reply_err(reply, HM_ERR_UNAVAILABLE);
		return;
	}
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
	if (err == HM_OK)
		err = feed_row(req, client_id, &found, nonce, &current);
	if (err == HM_OK && found && current) {
		hm_reply_json(reply, 200, feed_url_json(req, client_id, nonce));
		return;
	}
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	/* The first look makes the feed; a feed whose hash no longer matches (the key
	 * file was replaced) gets the current key's token for the same nonce. */
	err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = feed_row(req, client_id, &found, nonce, &current);
	if (err == HM_OK && !found)
		randombytes_buf(nonce, sizeof nonce);
	if (err == HM_OK && !(found && current)) {
		err = feed_store(req, client_id, nonce);
		if (err == HM_OK)
			err = hm_audit_record(req->db, req->who.user_id,
					      found ? "calendar.reissue" : "calendar.create",
					      "client", client_id, NULL, req->request_id, req->now);
	}
	hm_api_finish(req, reply, err, 200,
		      err == HM_OK ? feed_url_json(req, client_id, nonce) : NULL);
}

void hm_api_me_calendar_rotate(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {NULL};
	int64_t client_id = 0;
	unsigned char nonce[NONCE_BYTES];
	struct hm_validation v;
	if (!req->app->has_secret) {
		hm_api_reply_err(reply, HM_ERR_UNAVAILABLE);
		return;
	}
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_validation_init(&v);
	if (req->json)
		hm_validate_known(&v, req->json, allowed, NULL);
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	if (!ok)
		return;
	randombytes_buf(nonce, sizeof nonce);
	err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = feed_store(req, client_id, nonce);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "calendar.rotate", "client",
				      client_id, NULL, req->request_id, req->now);
	hm_api_finish(req, reply, err, 200,
		      err == HM_OK ? feed_url_json(req, client_id, nonce) : NULL);
}

void hm_api_me_calendar_ics(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	reply_feed(req, reply, client_id, 0);
}

void hm_api_calendar_feed(struct hm_request *req, struct hm_reply *reply)
{
	/* The router matched "/calendar/{token}.ics": the token is what lies between. */
	size_t len = strlen(req->path);
	size_t prefix = sizeof CALENDAR_PREFIX - 1, suffix = sizeof CALENDAR_SUFFIX - 1;
	int64_t client_id = 0;
	if (!req->app->has_secret || len != prefix + HM_TOKEN_TEXT_LEN - 1 + suffix) {
		hm_reply_error(reply, HM_ERR_NOT_FOUND, "No such calendar.");
		return;
	}
	enum hm_err err = feed_client(req->db, req->path + prefix, HM_TOKEN_TEXT_LEN - 1,
				      &client_id);
	if (err == HM_ERR_NOT_FOUND) {
		hm_reply_error(reply, err, "No such calendar.");
		return;
	}
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	reply_feed(req, reply, client_id, 0);
}

void hm_api_tutor_calendar(struct hm_request *req, struct hm_reply *reply)
{
	reply_feed(req, reply, 0, req->path_ids[0]);
}
