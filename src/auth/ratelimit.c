// SPDX-License-Identifier: MIT
// Sliding-window attempt counters in the database (include/harreman/ratelimit.h).
#include "harreman/ratelimit.h"
#include "harreman/banned.h"

enum hm_err hm_ratelimit_check(struct hm_db *db, const char *bucket, const char *key, int64_t now,
			       int64_t window, int max, bool *limited, int64_t *retry_after)
{
	/* The max-th most recent event in the window: once it ages out, one more fits. */
	static const char sql[] =
		"SELECT at FROM rate_events WHERE bucket = ?1 AND key = ?2 AND at > ?3"
		" ORDER BY at DESC LIMIT 1 OFFSET ?4";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, bucket, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 3, now - window);
	sqlite3_bind_int(stmt, 4, max - 1);
	int rc = sqlite3_step(stmt);
	enum hm_err err = HM_OK;
	*limited = false;
	*retry_after = 0;
	if (rc == SQLITE_ROW) {
		int64_t wait = sqlite3_column_int64(stmt, 0) + window - now;
		*limited = true;
		*retry_after = wait < 1 ? 1 : wait;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "rate limit check");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_ratelimit_hit(struct hm_db *db, const char *bucket, const char *key, int64_t now,
			     int64_t window)
{
	static const char forget_sql[] =
		"DELETE FROM rate_events WHERE bucket = ?1 AND key = ?2 AND at <= ?3";
	static const char insert_sql[] =
		"INSERT INTO rate_events (bucket, key, at) VALUES (?1, ?2, ?3)";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *forget = hm_db_stmt(db, forget_sql);
	sqlite3_stmt *insert = hm_db_stmt(db, insert_sql);
	if (!forget || !insert)
		goto out;
	sqlite3_bind_text(forget, 1, bucket, -1, SQLITE_STATIC);
	sqlite3_bind_text(forget, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(forget, 3, now - window);
	if (sqlite3_step(forget) != SQLITE_DONE) {
		err = hm_db_fail(db, "rate limit forget");
		goto out;
	}
	sqlite3_bind_text(insert, 1, bucket, -1, SQLITE_STATIC);
	sqlite3_bind_text(insert, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(insert, 3, now);
	if (sqlite3_step(insert) != SQLITE_DONE) {
		err = hm_db_fail(db, "rate limit hit");
		goto out;
	}
	err = HM_OK;
out:
	hm_db_done(forget);
	hm_db_done(insert);
	return err;
}

enum hm_err hm_ratelimit_record(struct hm_db *db, const struct hm_ratelimit_key *keys, size_t n,
				int64_t now, int64_t window)
{
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	for (size_t i = 0; err == HM_OK && i < n; i++)
		err = hm_ratelimit_hit(db, keys[i].bucket, keys[i].key, now, window);
	return hm_db_end(db, err);
}

enum hm_err hm_ratelimit_clear(struct hm_db *db, const char *bucket, const char *key)
{
	static const char sql[] = "DELETE FROM rate_events WHERE bucket = ?1 AND key = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_text(stmt, 1, bucket, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "rate limit clear");
}
