// SPDX-License-Identifier: MIT
// The watch on the server's database file (issue 19, item 4), below the HTTP
// layer: a write SQLite refuses as read-only (here: PRAGMA query_only, which even
// root cannot get past) makes the file read-only for a second and writes are
// refused; then they are tried again. A file deleted under the connection is gone
// (writes refused, and no new connection creates an empty file at the path); a
// file put in its place is replaced. Nothing is watched before hm_db_watch.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harreman/db.h"

static char dir[] = "/tmp/harreman-test-watch-XXXXXX";
static char path[128];

/* A write through db: HM_OK when it was saved. */
static enum hm_err write_one(struct hm_db *db)
{
	static const char sql[] = "INSERT INTO t (v) VALUES (1)";
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		err = HM_ERR_INTERNAL;
	else if (sqlite3_step(stmt) != SQLITE_DONE)
		err = hm_db_fail(db, "insert");
	hm_db_done(stmt);
	return hm_db_end(db, err);
}

static void test_a_write_refused_as_read_only(struct hm_db *db)
{
	CHECK_INT(hm_db_file_check(true), HM_DB_FILE_OK);
	CHECK_INT(hm_db_exec(db, "PRAGMA query_only = 1"), HM_OK);
	CHECK_INT(write_one(db), HM_ERR_INTERNAL);
	CHECK_INT(hm_db_file_check(false), HM_DB_FILE_READ_ONLY);
	CHECK_INT(write_one(db), HM_ERR_UNAVAILABLE); /* refused before SQLite is asked */
	CHECK(strstr(hm_db_file_message(HM_DB_FILE_READ_ONLY), "cannot be written") != NULL);
	/* A second later, writes are tried again. */
	CHECK_INT(hm_db_exec(db, "PRAGMA query_only = 0"), HM_OK);
	usleep(1100 * 1000);
	CHECK_INT(hm_db_file_check(false), HM_DB_FILE_OK);
	CHECK_INT(write_one(db), HM_OK);
}

static void test_gone_then_replaced(struct hm_db *db)
{
	struct stat st;
	char other[160];
	CHECK_INT(unlink(path), 0);
	CHECK_INT(hm_db_file_check(true), HM_DB_FILE_GONE);
	CHECK_INT(write_one(db), HM_ERR_UNAVAILABLE);
	/* A new connection does not make an empty database at the path. */
	CHECK(hm_db_open(path) == NULL);
	CHECK(stat(path, &st) != 0);

	/* Another file at the path. */
	snprintf(other, sizeof other, "%s/other.db", dir);
	FILE *f = fopen(other, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_INT(rename(other, path), 0);
	CHECK_INT(hm_db_file_check(true), HM_DB_FILE_REPLACED);
	CHECK_INT(write_one(db), HM_ERR_UNAVAILABLE);
	CHECK(hm_db_open(path) == NULL); /* not the watched file */
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/watch.db", dir);
	struct hm_db *db = hm_db_open(path);
	const char *why = NULL;
	CHECK(db != NULL);
	if (!db)
		return CHECK_EXIT();
	CHECK_INT(hm_db_exec(db, "CREATE TABLE t (v INTEGER)"), HM_OK);
	CHECK_INT(hm_db_file_check(true), HM_DB_FILE_OK); /* nothing watched yet */
	CHECK_INT(hm_db_watch(db, &why), HM_OK);

	fprintf(stderr, "-- test_a_write_refused_as_read_only\n");
	test_a_write_refused_as_read_only(db);
	fprintf(stderr, "-- test_gone_then_replaced\n");
	test_gone_then_replaced(db);

	hm_db_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return CHECK_EXIT();
}
