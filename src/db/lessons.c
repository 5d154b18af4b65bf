// SPDX-License-Identifier: MIT
// Lessons in the database (include/harreman/db_lessons.h): every SQL statement of
// the lessons resource. Writes own their whole transaction (booking: contract or
// sessions, lessons, a walk-in's client progress, audit, confirmation, the JSON;
// cancelling; logging); the triggers of sql/0002 and sql/0006 have the last word
// on double bookings and a client in two lessons at once.
#include <stdlib.h>
#include <string.h>

#include "harreman/db_lessons.h"
#include "harreman/banned.h"

enum hm_err hm_db_lessons_client_busy(struct hm_db *db, int64_t client_id, int64_t tutor_id,
				      const int64_t *starts, int n, int duration_min,
				      bool *busy)
{
	/* The same test as the lessons_client_busy triggers (sql/0006). */
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM lessons WHERE client_id = ?1 AND tutor_id <> ?2"
		" AND status = 'booked' AND starts_at < ?4 AND ends_at > ?3"
		" AND starts_at > ?3 - 36000)";
	enum hm_err err = HM_OK;
	for (int i = 0; err == HM_OK && i < n; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, client_id);
		sqlite3_bind_int64(stmt, 2, tutor_id);
		sqlite3_bind_int64(stmt, 3, starts[i]);
		sqlite3_bind_int64(stmt, 4, starts[i] + (int64_t)duration_min * 60);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			busy[i] = sqlite3_column_int(stmt, 0) != 0;
		else
			err = hm_db_fail(db, "client busy");
		hm_db_done(stmt);
	}
	return err;
}
