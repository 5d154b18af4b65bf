/* SPDX-License-Identifier: MIT */
/* One SQLite connection and what every table module needs from it: the pragmas
 * (WAL, foreign keys, synchronous=FULL, a counting busy handler), a cache of
 * prepared statements keyed by their SQL text, BEGIN IMMEDIATE transactions,
 * migrations and the online backup. A connection belongs to one thread. */
#ifndef HARREMAN_DB_H
#define HARREMAN_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/errors.h"

struct hm_db;

/* Opens (creating when missing) the database at path and sets the pragmas.
 * Returns NULL and logs why on failure. Free with hm_db_close. Once a file is
 * watched (hm_db_watch), a connection is only opened on that very file: never
 * created, and refused when another file has taken its path. */
struct hm_db *hm_db_open(const char *path);

/* Finalizes the cached statements and closes the connection. NULL is fine. */
void hm_db_close(struct hm_db *db);

/* The raw handle, for the table modules (borrowed). */
sqlite3 *hm_db_handle(struct hm_db *db);

/* Applies every embedded migration newer than the database, each in its own
 * transaction. Refuses (HM_ERR_CONFLICT, message in *why) a database newer than this
 * binary. *why points to a static or thread-local string. */
enum hm_err hm_db_migrate(struct hm_db *db, const char **why);

/* PRAGMA user_version, or -1 on error. */
int hm_db_schema_version(struct hm_db *db);

/* A prepared statement for sql, from this connection's cache. sql must be a string
 * with static storage: its address is the cache key. The statement is borrowed: hand
 * it back with hm_db_done (which resets it) before the next use of the same SQL.
 * NULL on error (logged). */
sqlite3_stmt *hm_db_stmt(struct hm_db *db, const char *sql);

/* Resets a statement from hm_db_stmt and clears its bindings. NULL is fine. */
void hm_db_done(sqlite3_stmt *stmt);

/* Transactions: BEGIN IMMEDIATE (the write lock up front, so no deadlocks between
 * readers that upgrade), COMMIT, ROLLBACK. begin/commit return HM_ERR_INTERNAL on
 * failure (logged); rollback is safe to call when no transaction is open. */
enum hm_err hm_db_begin(struct hm_db *db);
/* hm_db_begin, then *stmt = the cached statement of sql on the connection the
 * transaction runs on (the shared writer's, see hm_db_share_writer: a statement
 * taken before hm_db_begin would belong to the wrong connection). *stmt is NULL
 * unless HM_OK; on an error after BEGIN the transaction stays open for the
 * caller's rollback. */
enum hm_err hm_db_begin_stmt(struct hm_db *db, const char *sql, sqlite3_stmt **stmt);

enum hm_err hm_db_commit(struct hm_db *db);
void hm_db_rollback(struct hm_db *db);

/* Ends the transaction hm_db_begin opened: commits when err is HM_OK, else rolls
 * back. Returns err, or the commit's own error. Every write function's last line. */
enum hm_err hm_db_end(struct hm_db *db, enum hm_err err);

/* Who makes a change, for audit rows and created_by columns: the user (0 for
 * none: an anonymous inquiry, the command line), the request id (borrowed, may be
 * NULL) and the request's clock. */
struct hm_actor {
	int64_t user_id;
	const char *request_id;
	int64_t now;
};

/* A function the layer above registers to hear of every commit (and every batch's
 * end, committed or not) before anyone is answered: the server empties its
 * response cache there. One hook per process; NULL removes it. Set it before the
 * first connection opens. */
typedef void hm_db_commit_hook_fn(void);
void hm_db_set_commit_hook(hm_db_commit_hook_fn *hook);

/* Group commit (the writer thread, writer.h): hm_db_batch_begin takes the write
 * lock and opens one transaction on db (the shared writer); until
 * hm_db_batch_commit, hm_db_begin, hm_db_commit and hm_db_rollback on db open,
 * release and roll back a savepoint inside it, so each handler's work stands or
 * falls alone while all of them become durable with one COMMIT (one fsync).
 * hm_db_batch_commit commits (rolls back if that fails), then calls the commit
 * hook (hm_db_set_commit_hook) whether or not the COMMIT succeeded -- a batch that
 * rolled back ends here too -- and gives the lock back; HM_OK only when the batch
 * is durable. hm_db_batch_alive is false once SQLite has rolled the batch back by
 * itself (after an I/O error, say): what ran in it is lost. */
enum hm_err hm_db_batch_begin(struct hm_db *db);
enum hm_err hm_db_batch_commit(struct hm_db *db);
bool hm_db_batch_alive(struct hm_db *db);

/* Makes db (opened by the caller, which keeps owning it and must not use it while
 * shared) the connection every write transaction runs on: hm_db_begin on any
 * connection of this process then works on db until commit or rollback. NULL ends
 * the sharing (call it before closing db). */
void hm_db_share_writer(struct hm_db *db);

/* Gives back the memory SQLite holds for db: its page cache and its prepared
 * statements (prepared again on next use). Only while no other thread uses db;
 * nothing while db is in a write transaction. NULL is fine. */
void hm_db_release_memory(struct hm_db *db);

/* The same for the shared writer's connection, when nobody is writing. */
void hm_db_release_writer_memory(void);

/* True when the database may have changed since this connection last asked: through
 * another connection (another worker, or another process such as `harreman user
 * add`) or through this one; also true on the first call and on any doubt. */
bool hm_db_changed_elsewhere(struct hm_db *db);

/* Runs SQL text without results (schema, pragmas). HM_ERR_INTERNAL on failure. */
enum hm_err hm_db_exec(struct hm_db *db, const char *sql);

/* Logs the connection's last error with context and returns HM_ERR_INTERNAL. */
enum hm_err hm_db_fail(struct hm_db *db, const char *context);

/* Turns the current row of a statement into a JSON object (NULL: out of memory). */
typedef json_t *hm_db_row_fn(sqlite3_stmt *stmt);

/* One page of a keyset-paginated list: stmt is bound, its first column is the
 * row's id, and its LIMIT is limit + 1 (the extra row says a next page exists).
 * *items gets the rows made by row (caller owns), *next_after the last id on the
 * page, or 0 on the last page. Hands stmt back (hm_db_done) in every case. */
enum hm_err hm_db_page(struct hm_db *db, sqlite3_stmt *stmt, int limit, hm_db_row_fn *row,
		       json_t **items, int64_t *next_after);

/* Every row of stmt (from hm_db_stmt, bound by the caller; NULL is
 * HM_ERR_INTERNAL) made by row into a new array: HM_OK and *items (caller owns),
 * HM_ERR_INTERNAL when row gives NULL or, logged as what (hm_db_fail), on an
 * error; *items is written only on HM_OK. Hands stmt back (hm_db_done). */
enum hm_err hm_db_rows(struct hm_db *db, sqlite3_stmt *stmt, hm_db_row_fn *row, json_t **items,
		       const char *what);

/* Steps stmt (from hm_db_stmt, bound by the caller; NULL is HM_ERR_INTERNAL) once
 * and hands it back (hm_db_done): HM_OK with *out the row made by row (caller
 * owns), HM_ERR_NOT_FOUND without a row, HM_ERR_INTERNAL when row gives NULL or,
 * logged as what (hm_db_fail), on an error. *out is NULL unless HM_OK. */
enum hm_err hm_db_row(struct hm_db *db, sqlite3_stmt *stmt, hm_db_row_fn *row, json_t **out,
		      const char *what);

/* hm_db_row on the statement of sql with ?1 bound to id. sql has static storage
 * (the statement cache keys on its address, see hm_db_stmt). */
enum hm_err hm_db_row_by_id(struct hm_db *db, const char *sql, int64_t id, hm_db_row_fn *row,
			    json_t **out, const char *what);

/* Runs sql (static storage; ?1 = id; one row at most): HM_OK with *value its first
 * column, HM_ERR_NOT_FOUND without a row, or hm_db_fail(db, what) on an error.
 * *value is written only on HM_OK. */
enum hm_err hm_db_int_by_id(struct hm_db *db, const char *sql, int64_t id, int64_t *value,
			    const char *what);

/* Runs sql (static storage; ?1 = id): HM_OK with *exists whether it gave a row, or
 * hm_db_fail(db, what) on an error (*exists false). */
enum hm_err hm_db_exists_by_id(struct hm_db *db, const char *sql, int64_t id, bool *exists,
			       const char *what);

/* Copies a text column (caller frees; NULL for SQL NULL or out of memory). */
char *hm_db_column_strdup(sqlite3_stmt *stmt, int col);

/* Binds text, or NULL when text is NULL. */
int hm_db_bind_text_or_null(sqlite3_stmt *stmt, int col, const char *text);

/* Copies the database at src_path into a new file out_path with SQLite's online
 * backup API, safe while a server writes to it. Refuses an existing out_path. The
 * copy is written under a temporary name, read back (integrity_check), synced and
 * only then linked to out_path: killed at any moment, it leaves no partial file
 * under out_path. */
enum hm_err hm_db_backup(const char *src_path, const char *out_path, const char **why);

/* Restores the backup at backup_path as a new database db_path, the same way
 * hm_db_backup writes (temporary name, integrity_check, sync, link). Refuses
 * (HM_ERR_CONFLICT) when db_path or its -wal, -shm or -journal file exists (a
 * server may hold it; a stale -wal would be replayed into the restored file), or
 * when the backup is not a Harreman database of a schema this build knows. Writes
 * nothing beside the backup. */
enum hm_err hm_db_restore(const char *backup_path, const char *db_path, const char **why);

/* How many times a busy connection waited for a lock, process-wide. */
uint64_t hm_db_busy_retries(void);

/* Heap memory SQLite holds now, process-wide (page caches, schemas, statements). */
int64_t hm_db_memory_used(void);

/* HM_OK when the database file can still be read through db (a real read of the
 * schema: fails when the file is gone, corrupt or locked out), else
 * HM_ERR_UNAVAILABLE. */
enum hm_err hm_db_check_readable(struct hm_db *db);

/* ---- the database file, watched for the operator --------------------------- */

/* What has become of the server's database file since it started (hm_db_watch). */
enum hm_db_file {
	HM_DB_FILE_OK,        /* the file opened at start, writable (or nothing watched) */
	HM_DB_FILE_READ_ONLY, /* still that file, but this process may not write it (or
			       * SQLite refused a write as read-only in the last second) */
	HM_DB_FILE_GONE,      /* no file at the path: whatever is written is lost */
	HM_DB_FILE_REPLACED,  /* another file (device, inode) at the path */
};

/* The startup check of `serve`: the database at path, its -wal and -shm files
 * (those that exist) and its directory can be written with this process's
 * effective ids. A server that could only read would answer every write with an
 * error, so it does not start: HM_ERR_UNAVAILABLE, with *why (a thread-local
 * sentence naming the file, the user and the fix). */
enum hm_err hm_db_check_writable(const char *path, const char **why);

/* Starts watching the file of db (the server's first connection, at start, before
 * other threads use the database): remembers its path, device and inode. Refuses
 * (HM_ERR_UNAVAILABLE, *why a static sentence) a connection SQLite could only
 * open read-only. Once per process. */
enum hm_err hm_db_watch(struct hm_db *db, const char **why);

/* The watched file's state: a stat of the path (gone? another inode?) and
 * access(W_OK) with the effective ids. fresh: checked now; else checked at most
 * once a second process-wide, the last finding answering in between. Each change
 * of state is logged once (ERROR when it goes wrong, INFO when it is right
 * again). HM_DB_FILE_OK when nothing is watched (the command line). Any thread.
 * hm_db_begin and hm_db_batch_begin refuse to write (HM_ERR_UNAVAILABLE, nothing
 * logged) unless it is HM_DB_FILE_OK. */
enum hm_db_file hm_db_file_check(bool fresh);

/* A sentence for a 503's message on state (static). */
const char *hm_db_file_message(enum hm_db_file state);

#endif
