// SPDX-License-Identifier: MIT
// One SQLite connection (include/harreman/db.h): pragmas, a busy handler that
// counts its waits, a prepared-statement cache, transactions and migrations, the
// small readers the table modules share, online backup and restore; and the watch
// on the server's database file (gone, replaced, read-only), which the write path
// and /healthz consult.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harreman/casefold.h"
#include "harreman/db.h"
#include "harreman/db_search.h"
#include "harreman/log.h"
#include "harreman/migrations.h"
#include "harreman/banned.h"

#define BUSY_TIMEOUT_MS 5000

struct stmt_slot {
	const char *sql; /* the key: the SQL text's address */
	sqlite3_stmt *stmt;
};

struct hm_db {
	sqlite3 *handle;
	struct stmt_slot *slots;
	size_t n_slots; /* a power of two */
	size_t used;
	int busy_waited_ms;    /* within the current wait */
	bool writing;          /* holds the write lock (between begin and commit/rollback) */
	bool swapped;          /* while writing: handle and slots are the shared writer's */
	bool batch;            /* a group commit's transaction is open (hm_db_batch_begin):
			       * begin, commit and rollback work on a savepoint */
	bool in_savepoint;     /* batch: a handler's savepoint is open */
	int64_t data_version;  /* PRAGMA data_version last seen (other connections' commits) */
	int64_t total_changes; /* sqlite3_total_changes64 last seen (this connection's writes) */
};

static atomic_uint_fast64_t busy_retries;

/* Writers of this process queue here instead of polling SQLite's lock through the
 * busy handler's sleeps: a writer waiting for the lock wakes the moment it is free,
 * and writers are served in the order they came (a ticket lock: the group-commit
 * writer takes the lock again and again under load, and a plain mutex would let it
 * starve a login or the sender). Other processes, such as the command line, still
 * meet the busy handler. */
static pthread_mutex_t write_queue = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t write_turn = PTHREAD_COND_INITIALIZER;
static uint64_t write_next_ticket, write_serving;

static void write_lock_take(void)
{
	pthread_mutex_lock(&write_queue);
	uint64_t ticket = write_next_ticket++;
	while (ticket != write_serving)
		pthread_cond_wait(&write_turn, &write_queue);
	pthread_mutex_unlock(&write_queue);
}

static bool write_lock_try(void)
{
	pthread_mutex_lock(&write_queue);
	bool free = write_next_ticket == write_serving;
	if (free)
		write_next_ticket++;
	pthread_mutex_unlock(&write_queue);
	return free;
}

static void write_lock_give(void)
{
	pthread_mutex_lock(&write_queue);
	write_serving++;
	pthread_cond_broadcast(&write_turn);
	pthread_mutex_unlock(&write_queue);
}

/* The connection every write transaction of the server runs on (hm_db_share_writer),
 * or NULL. Whoever holds the write lock has it swapped into their own struct hm_db, so
 * handlers keep using their request's db. One writing connection keeps its page
 * cache warm: SQLite empties a connection's cache whenever *another* connection
 * has written, which with a writer per worker happened on nearly every booking. */
static struct hm_db *shared_writer;
#define WRITER_LOOKASIDE_SIZE 512  /* bytes a slot (SQLite's own split: 128-byte ones too) */
#define WRITER_LOOKASIDE_SLOTS 256 /* 128 KiB */
/* The writer's automatic checkpoint: every 4,000 WAL pages (16 MiB) instead of
 * SQLite's 1,000. It runs in the writer thread after a COMMIT; a checkpoint copies
 * each page once however often it was written since the last one, and a booking
 * rewrites the same few pages (the right edges of lessons, contracts, invoices,
 * outbox, audit and their indexes), so fewer checkpoints copy less in all. */
#define WRITER_AUTOCHECKPOINT_PAGES 4000

/* The layer above's commit hook (hm_db_set_commit_hook); set once at start. */
static _Atomic(hm_db_commit_hook_fn *) commit_hook;

void hm_db_set_commit_hook(hm_db_commit_hook_fn *hook)
{
	atomic_store(&commit_hook, hook);
}

static void notify_commit(void)
{
	hm_db_commit_hook_fn *hook = atomic_load(&commit_hook);
	if (hook)
		hook();
}

uint64_t hm_db_busy_retries(void)
{
	return atomic_load(&busy_retries);
}

/* SQLite's own back-off schedule, counted, bounded by BUSY_TIMEOUT_MS in total. */
static int on_busy(void *ctx, int count)
{
	static const int delays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
	struct hm_db *db = ctx;
	if (count == 0)
		db->busy_waited_ms = 0;
	int n = (int)(sizeof delays / sizeof delays[0]);
	int delay = count < n ? delays[count] : delays[n - 1];
	if (db->busy_waited_ms + delay > BUSY_TIMEOUT_MS)
		return 0;
	atomic_fetch_add(&busy_retries, 1);
	sqlite3_sleep(delay);
	db->busy_waited_ms += delay;
	return 1;
}

/* ---- the watched file (hm_db_watch) --------------------------------------- */

/* The directory of path into out ("." for a bare name). */
static void dir_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, size, ".");
	else if (slash == path)
		snprintf(out, size, "/");
	else
		snprintf(out, size, "%.*s", (int)(slash - path), path);
}

enum hm_err hm_db_check_writable(const char *path, const char **why)
{
	static _Thread_local char message[PATH_MAX + 256];
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char dir[PATH_MAX], file[PATH_MAX];
	struct stat st;
	const char *what = "directory";
	*why = NULL;
	dir_of(path, dir, sizeof dir);
	snprintf(file, sizeof file, "%s", dir);
	/* SQLite creates the -wal and -shm files beside the database (and the
	 * database itself the first time). */
	bool ok = faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
	for (size_t i = 0; ok && i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
		what = "file";
		ok = stat(file, &st) != 0 ||
		     faccessat(AT_FDCWD, file, R_OK | W_OK, AT_EACCESS) == 0;
	}
	if (ok)
		return HM_OK;
	snprintf(message, sizeof message,
		 "the database's %s %s cannot be written by this user (uid %ld): %s; harreman"
		 " does not start read-only: make it writable for this user (chmod, chown), or"
		 " run harreman as its owner",
		 what, file, (long)geteuid(), strerror(errno));
	*why = message;
	return HM_ERR_UNAVAILABLE;
}

#define FILE_CHECK_INTERVAL_MS 1000

/* The server's database file: its path and identity at start (written once,
 * before armed), the state last found and when (monotonic milliseconds), and when
 * SQLite last refused a write as read-only (0: never). lock: one check, and one
 * logged change, at a time. */
static struct {
	pthread_mutex_t lock;
	atomic_bool armed;
	char path[PATH_MAX];
	dev_t dev;
	ino_t ino;
	atomic_int state;
	_Atomic long long checked_ms;
	_Atomic long long refused_ms;
} watched = {.lock = PTHREAD_MUTEX_INITIALIZER};

static long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1; /* never 0 */
}

static enum hm_db_file file_state(long long now)
{
	struct stat st;
	if (stat(watched.path, &st) != 0)
		return HM_DB_FILE_GONE;
	if (st.st_dev != watched.dev || st.st_ino != watched.ino)
		return HM_DB_FILE_REPLACED;
	if (faccessat(AT_FDCWD, watched.path, R_OK | W_OK, AT_EACCESS) != 0)
		return HM_DB_FILE_READ_ONLY;
	long long refused = atomic_load(&watched.refused_ms);
	if (refused && now - refused < FILE_CHECK_INTERVAL_MS)
		return HM_DB_FILE_READ_ONLY;
	return HM_DB_FILE_OK;
}

/* Records state (watched.lock held), telling the log of a change once. */
static void note_state(enum hm_db_file state)
{
	enum hm_db_file before = (enum hm_db_file)atomic_exchange(&watched.state, (int)state);
	if (before == state)
		return;
	switch (state) {
	case HM_DB_FILE_OK:
		hm_log_info("database: %s is writable again: requests are served again",
			    watched.path);
		break;
	case HM_DB_FILE_READ_ONLY:
		hm_log_error("database: %s cannot be written (read-only for this user, or a"
			     " read-only file system): writes are refused (503) and /healthz"
			     " answers 503 until it can",
			     watched.path);
		break;
	case HM_DB_FILE_GONE:
		hm_log_error("database: %s is gone (deleted or moved away) under the running"
			     " server: what were written now would be lost, so every API request"
			     " is refused (503) and /healthz answers 503; put the file back and"
			     " restart harreman",
			     watched.path);
		break;
	case HM_DB_FILE_REPLACED:
		hm_log_error("database: %s was replaced by another file under the running"
			     " server: every API request is refused (503) and /healthz answers"
			     " 503; restart harreman to serve the new file",
			     watched.path);
		break;
	}
}

enum hm_err hm_db_watch(struct hm_db *db, const char **why)
{
	const char *path = sqlite3_db_filename(db->handle, "main");
	struct stat st;
	*why = NULL;
	if (sqlite3_db_readonly(db->handle, "main") == 1) {
		*why = "SQLite could open the database only read-only: this user cannot write it";
		return HM_ERR_UNAVAILABLE;
	}
	if (!path || !*path || strlen(path) >= sizeof watched.path || stat(path, &st) != 0) {
		*why = "cannot find the database file on disk";
		return HM_ERR_UNAVAILABLE;
	}
	memcpy(watched.path, path, strlen(path) + 1);
	watched.dev = st.st_dev;
	watched.ino = st.st_ino;
	atomic_store(&watched.state, HM_DB_FILE_OK);
	atomic_store(&watched.checked_ms, monotonic_ms());
	atomic_store(&watched.armed, true);
	return HM_OK;
}

enum hm_db_file hm_db_file_check(bool fresh)
{
	if (!atomic_load(&watched.armed))
		return HM_DB_FILE_OK;
	long long now = monotonic_ms();
	long long last = atomic_load(&watched.checked_ms);
	/* At most once a second: the thread that moves checked_ms on checks. */
	if (!fresh && (now - last < FILE_CHECK_INTERVAL_MS ||
		       !atomic_compare_exchange_strong(&watched.checked_ms, &last, now)))
		return (enum hm_db_file)atomic_load(&watched.state);
	atomic_store(&watched.checked_ms, now);
	pthread_mutex_lock(&watched.lock);
	enum hm_db_file state = file_state(now);
	note_state(state);
	pthread_mutex_unlock(&watched.lock);
	return state;
}

const char *hm_db_file_message(enum hm_db_file state)
{
	switch (state) {
	case HM_DB_FILE_OK: break;
	case HM_DB_FILE_READ_ONLY:
		return "The database cannot be written right now; nothing can be saved. Try again later.";
	case HM_DB_FILE_GONE:
		return "The database file is gone; nothing can be read or saved until the server is"
		       " restarted on it.";
	case HM_DB_FILE_REPLACED:
		return "The database file was replaced; the server must be restarted to serve it.";
	}
	return "The database is available.";
}

/* SQLite refused a write of a watched server as read-only: writes are refused
 * for a second, then tried again (hm_db_file_check). */
static void note_write_refused(void)
{
	if (!atomic_load(&watched.armed))
		return;
	atomic_store(&watched.refused_ms, monotonic_ms());
	pthread_mutex_lock(&watched.lock);
	if (atomic_load(&watched.state) == HM_DB_FILE_OK)
		note_state(HM_DB_FILE_READ_ONLY);
	pthread_mutex_unlock(&watched.lock);
}

/* False (writes refused) while the watched file is not fine. */
static bool file_writable(void)
{
	return hm_db_file_check(false) == HM_DB_FILE_OK;
}

enum hm_err hm_db_fail(struct hm_db *db, const char *context)
{
	hm_log_error("database: %s: %s", context,
		     db ? sqlite3_errmsg(db->handle) : "no connection");
	if (db && (sqlite3_errcode(db->handle) & 0xff) == SQLITE_READONLY)
		note_write_refused();
	return HM_ERR_INTERNAL;
}

enum hm_err hm_db_exec(struct hm_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->handle, sql, NULL, NULL, &msg) != SQLITE_OK) {
		hm_log_error("database: %s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return HM_ERR_INTERNAL;
	}
	return HM_OK;
}

/* hm_fold(text): the case-folded text, for searches (see casefold.h). */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	if (!text) {
		sqlite3_result_null(ctx);
		return;
	}
	char *out = sqlite3_malloc(len + 1);
	if (!out) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	hm_casefold(text, (size_t)len, out);
	out[len] = '\0';
	sqlite3_result_text(ctx, out, len, sqlite3_free);
}

/* Whether needle[0..n) occurs in hay[0..len). */
static bool contains(const char *hay, size_t len, const char *needle, size_t n)
{
	if (n == 0)
		return true;
	for (const char *p = hay, *end = hay + len; (size_t)(end - p) >= n; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p)
			return false;
		if (memcmp(p, needle, n) == 0)
			return true;
	}
	return false;
}

/* hm_contains(text, needle): whether hm_fold(text) holds needle (already folded by
 * the caller) as it is, anywhere; NULL for a NULL text. The client search's test:
 * what hm_fold(text) LIKE hm_fold('%q%') ESCAPE '\' said, without a copy of every
 * text on the heap and LIKE's pattern machinery (twice as quick over 10,000 clients). */
static void sql_contains(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	const char *needle = (const char *)sqlite3_value_text(argv[1]);
	int n = sqlite3_value_bytes(argv[1]);
	if (!text || !needle) {
		sqlite3_result_null(ctx);
		return;
	}
	char small[512];
	char *folded = (size_t)len <= sizeof small ? small : sqlite3_malloc(len);
	if (!folded) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	hm_casefold(text, (size_t)len, folded);
	sqlite3_result_int(ctx, contains(folded, (size_t)len, needle, (size_t)n));
	if (folded != small)
		sqlite3_free(folded);
}

struct hm_db *hm_db_open(const char *path)
{
	struct hm_db *db = calloc(1, sizeof *db);
	if (!db)
		return NULL;
	db->n_slots = 64;
	db->slots = calloc(db->n_slots, sizeof *db->slots);
	if (!db->slots)
		goto fail;
	/* A watched server's file is never created afresh (it was deleted: a new,
	 * empty database would take its place), nor another file taken for it. */
	bool watching = atomic_load(&watched.armed);
	int flags = SQLITE_OPEN_READWRITE | (watching ? 0 : SQLITE_OPEN_CREATE) |
		    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	struct stat st;
	if (sqlite3_open_v2(path, &db->handle, flags, NULL) != SQLITE_OK) {
		hm_log_error("database: cannot open %s: %s", path,
			     db->handle ? sqlite3_errmsg(db->handle) : "out of memory");
		if (watching)
			(void)hm_db_file_check(true); /* gone? every thread hears of it now */
		goto fail;
	}
	if (watching &&
	    (stat(path, &st) != 0 || st.st_dev != watched.dev || st.st_ino != watched.ino)) {
		(void)hm_db_file_check(true); /* every thread hears of it now */
		goto fail;
	}
	sqlite3_busy_handler(db->handle, on_busy, db);
	sqlite3_create_function_v2(db->handle, "hm_fold", 1,
				   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				   sql_fold, NULL, NULL, NULL);
	sqlite3_create_function_v2(db->handle, "hm_contains", 2,
				   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				   sql_contains, NULL, NULL, NULL);
	if (!hm_db_search_register(db->handle))
		goto fail;
	/* A small lookaside (SQLite's per-connection pool for small objects): 64 slots
	 * of 128 bytes instead of 1,200 of 100. The default's 120 KiB per connection
	 * stays resident once touched, and glibc's malloc is about as quick. */
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_LOOKASIDE, NULL, 128, 64);
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	/* WAL: readers never block the writer; FULL: a commit survives power loss.
	 * temp_store=MEMORY: the sub-journal that lets a group commit's savepoint roll
	 * one handler back stays in memory instead of spilling to a temporary file
	 * after 64 KiB (an open, writes and an unlink per batch; performance.md). */
	if (hm_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			   "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
			   "PRAGMA temp_store=MEMORY;") != HM_OK)
		goto fail;
	return db;
fail:
	hm_db_close(db);
	return NULL;
}

void hm_db_close(struct hm_db *db)
{
	if (!db)
		return;
	if (db->handle)
		hm_db_rollback(db); /* also gives back the write lock */
	for (size_t i = 0; db->slots && i < db->n_slots; i++)
		sqlite3_finalize(db->slots[i].stmt);
	free(db->slots);
	if (db->handle && sqlite3_close(db->handle) != SQLITE_OK)
		hm_log_error("database: close: %s", sqlite3_errmsg(db->handle));
	free(db);
}

sqlite3 *hm_db_handle(struct hm_db *db)
{
	return db->handle;
}

static size_t slot_of(const struct hm_db *db, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 7) & (db->n_slots - 1);
}

static bool cache_grow(struct hm_db *db)
{
	struct hm_db bigger = *db;
	bigger.n_slots = db->n_slots * 2;
	bigger.slots = calloc(bigger.n_slots, sizeof *bigger.slots);
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < db->n_slots; i++) {
		if (!db->slots[i].sql)
			continue;
		size_t j = slot_of(&bigger, db->slots[i].sql);
		while (bigger.slots[j].sql)
			j = (j + 1) & (bigger.n_slots - 1);
		bigger.slots[j] = db->slots[i];
	}
	free(db->slots);
	db->slots = bigger.slots;
	db->n_slots = bigger.n_slots;
	return true;
}

sqlite3_stmt *hm_db_stmt(struct hm_db *db, const char *sql)
{
	size_t i = slot_of(db, sql);
	while (db->slots[i].sql) {
		if (db->slots[i].sql == sql)
			return db->slots[i].stmt;
		i = (i + 1) & (db->n_slots - 1);
	}
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK) {
		hm_log_error("database: prepare: %s", sqlite3_errmsg(db->handle));
		return NULL;
	}
	if ((db->used + 1) * 4 > db->n_slots * 3) {
		if (!cache_grow(db)) {
			sqlite3_finalize(stmt);
			return NULL;
		}
		i = slot_of(db, sql);
		while (db->slots[i].sql)
			i = (i + 1) & (db->n_slots - 1);
	}
	db->slots[i].sql = sql;
	db->slots[i].stmt = stmt;
	db->used++;
	return stmt;
}

void hm_db_done(sqlite3_stmt *stmt)
{
	if (!stmt)
		return;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static enum hm_err run_cached(struct hm_db *db, const char *sql, const char *what)
{
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, what);
}

/* Exchanges the connection (handle and statement cache) of a and b. */
static void swap_connection(struct hm_db *a, struct hm_db *b)
{
	sqlite3 *handle = a->handle;
	struct stmt_slot *slots = a->slots;
	size_t n_slots = a->n_slots, used = a->used;
	a->handle = b->handle;
	a->slots = b->slots;
	a->n_slots = b->n_slots;
	a->used = b->used;
	b->handle = handle;
	b->slots = slots;
	b->n_slots = n_slots;
	b->used = used;
}

static void take_write_lock(struct hm_db *db)
{
	write_lock_take();
	db->writing = true;
	db->swapped = shared_writer && shared_writer != db;
	if (db->swapped)
		swap_connection(db, shared_writer);
}

static void release_write_lock(struct hm_db *db)
{
	if (db->writing) {
		if (db->swapped)
			swap_connection(db, shared_writer);
		db->swapped = false;
		db->writing = false;
		write_lock_give();
	}
}

/* Finalizes every cached statement and shrinks the cache back to its first size. */
static void forget_statements(struct hm_db *db)
{
	for (size_t i = 0; i < db->n_slots; i++)
		sqlite3_finalize(db->slots[i].stmt);
	struct stmt_slot *fresh = calloc(64, sizeof *fresh);
	if (fresh) {
		free(db->slots);
		db->slots = fresh;
		db->n_slots = 64;
	} else {
		memset(db->slots, 0, db->n_slots * sizeof *db->slots);
	}
	db->used = 0;
}

void hm_db_release_memory(struct hm_db *db)
{
	if (!db || !db->handle || db->writing)
		return;
	forget_statements(db);
	sqlite3_db_release_memory(db->handle);
}

void hm_db_release_writer_memory(void)
{
	if (!write_lock_try())
		return; /* someone is writing: not idle after all */
	if (shared_writer && shared_writer->handle) {
		forget_statements(shared_writer);
		sqlite3_db_release_memory(shared_writer->handle);
	}
	write_lock_give();
}

void hm_db_share_writer(struct hm_db *db)
{
	write_lock_take();
	/* The writer's own lookaside is larger: a group commit runs hundreds of
	 * statements per transaction, and with the small pool of hm_db_open nearly
	 * every one of SQLite's small allocations went to malloc (about a tenth of
	 * the writer thread's time during bookings). One connection: 128 KiB. Only
	 * possible while nothing of the pool is in use (SQLITE_BUSY otherwise: the
	 * small pool stays). */
	if (db && db->handle) {
		forget_statements(db); /* the start's (migrations): they hold pool slots */
		(void)sqlite3_db_config(db->handle, SQLITE_DBCONFIG_LOOKASIDE, NULL,
					WRITER_LOOKASIDE_SIZE, WRITER_LOOKASIDE_SLOTS);
		(void)sqlite3_wal_autocheckpoint(db->handle, WRITER_AUTOCHECKPOINT_PAGES);
	}
	shared_writer = db;
	write_lock_give();
}

/* A batch's transaction is still open: SQLite rolls a whole transaction back by
 * itself after some errors (I/O, out of memory, a RAISE(ROLLBACK)). */
bool hm_db_batch_alive(struct hm_db *db)
{
	return db->batch && !sqlite3_get_autocommit(db->handle);
}

enum hm_err hm_db_batch_begin(struct hm_db *db)
{
	if (!file_writable())
		return HM_ERR_UNAVAILABLE;
	if (!db->writing)
		take_write_lock(db);
	enum hm_err err = run_cached(db, "BEGIN IMMEDIATE", "begin a batch");
	if (err != HM_OK)
		release_write_lock(db);
	db->batch = err == HM_OK;
	db->in_savepoint = false;
	return err;
}

enum hm_err hm_db_batch_commit(struct hm_db *db)
{
	enum hm_err err = HM_ERR_INTERNAL;
	db->batch = db->in_savepoint = false;
	if (!sqlite3_get_autocommit(db->handle)) {
		err = run_cached(db, "COMMIT", "commit a batch");
		if (err != HM_OK && !sqlite3_get_autocommit(db->handle))
			(void)run_cached(db, "ROLLBACK", "roll a batch back");
	}
	notify_commit(); /* committed or not, before anyone hears of it */
	release_write_lock(db);
	return err;
}

enum hm_err hm_db_begin(struct hm_db *db)
{
	if (db->batch) {
		enum hm_err err = run_cached(db, "SAVEPOINT handler", "begin a savepoint");
		db->in_savepoint = err == HM_OK;
		return err;
	}
	if (!file_writable())
		return HM_ERR_UNAVAILABLE;
	if (!db->writing)
		take_write_lock(db);
	enum hm_err err = run_cached(db, "BEGIN IMMEDIATE", "begin");
	if (err != HM_OK)
		release_write_lock(db);
	return err;
}

enum hm_err hm_db_begin_stmt(struct hm_db *db, const char *sql, sqlite3_stmt **stmt)
{
	*stmt = NULL;
	enum hm_err err = hm_db_begin(db);
	if (err == HM_OK && !(*stmt = hm_db_stmt(db, sql)))
		err = HM_ERR_INTERNAL;
	return err;
}

enum hm_err hm_db_commit(struct hm_db *db)
{
	if (db->batch) {
		/* Durable with the batch's COMMIT; the answer waits for it (writer.h). */
		enum hm_err err = db->in_savepoint
					  ? run_cached(db, "RELEASE handler", "release a savepoint")
					  : HM_ERR_INTERNAL;
		if (err != HM_OK)
			hm_db_rollback(db);
		db->in_savepoint = false;
		return err;
	}
	enum hm_err err = run_cached(db, "COMMIT", "commit");
	if (err != HM_OK)
		hm_db_rollback(db);
	else
		notify_commit(); /* before anyone hears of the write */
	release_write_lock(db);
	return err;
}

enum hm_err hm_db_end(struct hm_db *db, enum hm_err err)
{
	if (err == HM_OK)
		return hm_db_commit(db);
	hm_db_rollback(db);
	return err;
}

bool hm_db_changed_elsewhere(struct hm_db *db)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int64_t version = -1;
	if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	/* data_version misses this connection's own writes; total_changes counts them
	 * (including autocommit ones that never pass through hm_db_commit). */
	int64_t total = sqlite3_total_changes64(db->handle);
	bool changed = version < 0 || version != db->data_version || total != db->total_changes;
	db->data_version = version;
	db->total_changes = total;
	return changed;
}

void hm_db_rollback(struct hm_db *db)
{
	if (db->batch) {
		if (db->in_savepoint && !sqlite3_get_autocommit(db->handle)) {
			(void)run_cached(db, "ROLLBACK TO handler", "roll a savepoint back");
			(void)run_cached(db, "RELEASE handler", "release a savepoint");
		}
		db->in_savepoint = false;
		return;
	}
	if (!sqlite3_get_autocommit(db->handle))
		(void)run_cached(db, "ROLLBACK", "rollback");
	release_write_lock(db);
}

/* hm_db_page, with what in the log; limit INT_MAX: every row. */
static enum hm_err rows_page(struct hm_db *db, sqlite3_stmt *stmt, int limit, hm_db_row_fn *row,
			     json_t **items, int64_t *next_after, const char *what)
{
	enum hm_err err = HM_ERR_INTERNAL;
	json_t *list = json_array();
	int64_t last = 0;
	int count = 0, rc = SQLITE_DONE;
	if (!list || !stmt)
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (++count > limit)
			break;
		last = sqlite3_column_int64(stmt, 0);
		json_t *item = row(stmt);
		if (!item || json_array_append_new(list, item) != 0)
			goto out;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = hm_db_fail(db, what);
		goto out;
	}
	*next_after = count > limit ? last : 0;
	*items = list;
	list = NULL;
	err = HM_OK;
out:
	hm_db_done(stmt);
	json_decref(list);
	return err;
}

enum hm_err hm_db_page(struct hm_db *db, sqlite3_stmt *stmt, int limit, hm_db_row_fn *row,
		       json_t **items, int64_t *next_after)
{
	return rows_page(db, stmt, limit, row, items, next_after, "list page");
}

enum hm_err hm_db_rows(struct hm_db *db, sqlite3_stmt *stmt, hm_db_row_fn *row, json_t **items,
		       const char *what)
{
	int64_t next_after = 0;
	return rows_page(db, stmt, INT_MAX, row, items, &next_after, what);
}

enum hm_err hm_db_row(struct hm_db *db, sqlite3_stmt *stmt, hm_db_row_fn *row, json_t **out,
		      const char *what)
{
	enum hm_err err = HM_ERR_NOT_FOUND;
	*out = NULL;
	if (!stmt)
		return HM_ERR_INTERNAL;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = row(stmt);
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, what);
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_db_row_by_id(struct hm_db *db, const char *sql, int64_t id, hm_db_row_fn *row,
			    json_t **out, const char *what)
{
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (stmt)
		sqlite3_bind_int64(stmt, 1, id);
	return hm_db_row(db, stmt, row, out, what);
}

enum hm_err hm_db_int_by_id(struct hm_db *db, const char *sql, int64_t id, int64_t *value,
			    const char *what)
{
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, what);
}

enum hm_err hm_db_exists_by_id(struct hm_db *db, const char *sql, int64_t id, bool *exists,
			       const char *what)
{
	int64_t value = 0;
	enum hm_err err = hm_db_int_by_id(db, sql, id, &value, what);
	*exists = err == HM_OK;
	return err == HM_ERR_NOT_FOUND ? HM_OK : err;
}

char *hm_db_column_strdup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? strdup((const char *)text) : NULL;
}

int hm_db_bind_text_or_null(sqlite3_stmt *stmt, int col, const char *text)
{
	return text ? sqlite3_bind_text(stmt, col, text, -1, SQLITE_TRANSIENT)
		    : sqlite3_bind_null(stmt, col);
}

int hm_db_schema_version(struct hm_db *db)
{
	sqlite3_stmt *stmt = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(db->handle, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
out:
	sqlite3_finalize(stmt);
	return version;
}

enum hm_err hm_db_migrate(struct hm_db *db, const char **why)
{
	static _Thread_local char message[160];
	*why = NULL;
	int current = hm_db_schema_version(db);
	if (current < 0) {
		*why = "cannot read the database's schema version";
		return HM_ERR_INTERNAL;
	}
	if (current > hm_migration_count) {
		snprintf(message, sizeof message,
			 "the database has schema version %d but this harreman knows only up to %d;"
			 " use a newer harreman",
			 current, hm_migration_count);
		*why = message;
		return HM_ERR_CONFLICT;
	}
	for (int i = current; i < hm_migration_count; i++) {
		const struct hm_migration *m = &hm_migrations[i];
		char set_version[64];
		snprintf(set_version, sizeof set_version, "PRAGMA user_version = %d", m->version);
		if (hm_db_exec(db, "BEGIN IMMEDIATE") != HM_OK)
			goto fail;
		if (hm_db_exec(db, m->sql) != HM_OK || hm_db_exec(db, set_version) != HM_OK ||
		    hm_db_exec(db, "COMMIT") != HM_OK) {
			hm_db_exec(db, "ROLLBACK");
			goto fail;
		}
		hm_log_info("database: applied migration %04d_%s", m->version, m->name);
		continue;
	fail:
		snprintf(message, sizeof message, "migration %04d_%s failed", m->version, m->name);
		*why = message;
		return HM_ERR_INTERNAL;
	}
	return HM_OK;
}

/* fsync of path (a file, or a directory so that a new name in it is durable). */
static bool sync_path(const char *path, bool directory)
{
	int fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0;
	return close(fd) == 0 && ok;
}

/* Reads every page of the copy back: integrity_check says "ok". */
static bool copy_verifies(sqlite3 *dst)
{
	sqlite3_stmt *stmt = NULL;
	bool ok = hm_db_search_register(dst) &&
		  sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
		  sqlite3_step(stmt) == SQLITE_ROW &&
		  strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0 &&
		  sqlite3_step(stmt) == SQLITE_DONE;
	sqlite3_finalize(stmt);
	return ok;
}

/* The copy is written under a temporary name beside out_path, read back
 * (integrity_check), synced, and only then given its name with link(2), which
 * refuses an existing name atomically; then the directory is synced. A backup
 * killed at any moment leaves at most "OUT.partial-PID", never a corrupt file
 * under the final name. */
/* hm_db_backup and hm_db_restore: src opened with src_flags (a URI for a restore). */
static enum hm_err copy_database(const char *src_path, int src_flags, const char *out_path,
				 const char **why)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *backup = NULL;
	enum hm_err err = HM_ERR_INTERNAL;
	bool created = false;
	char tmp_path[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	*why = NULL;
	if ((size_t)snprintf(tmp_path, sizeof tmp_path, "%s.partial-%ld", out_path,
			     (long)getpid()) >= sizeof tmp_path) {
		*why = "the output path is too long";
		return HM_ERR_INTERNAL;
	}
	/* Never overwrite an earlier backup by mistake (link() checks again at the end). */
	if (lstat(out_path, &st) == 0) {
		*why = "the output file exists already or cannot be created";
		return HM_ERR_INTERNAL;
	}
	if (sqlite3_open_v2(src_path, &src, src_flags, NULL) != SQLITE_OK) {
		*why = "cannot open the database";
		goto out;
	}
	sqlite3_busy_timeout(src, BUSY_TIMEOUT_MS);
	int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		*why = "the output file exists already or cannot be created";
		goto out;
	}
	close(fd);
	created = true;
	if (sqlite3_open_v2(tmp_path, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*why = "cannot open the output file";
		goto out;
	}
	backup = sqlite3_backup_init(dst, "main", src, "main");
	if (!backup) {
		*why = "cannot start the copy"; /* not errmsg(dst): dst is closed below */
		goto out;
	}
	/* One step copies every page under one read transaction: a consistent snapshot
	 * that, in WAL mode, does not hold up the server's writers. */
	int rc;
	int tries = 0;
	while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > 250) {
			*why = "the database stayed locked";
			goto out;
		}
		sqlite3_sleep(20);
	}
	sqlite3_backup_finish(backup);
	backup = NULL;
	if (rc != SQLITE_DONE) {
		*why = "the copy failed";
		goto out;
	}
	if (!copy_verifies(dst)) {
		*why = "the copy did not read back intact (integrity_check)";
		goto out;
	}
	rc = sqlite3_close(dst);
	dst = NULL;
	if (rc != SQLITE_OK || !sync_path(tmp_path, false)) {
		*why = "cannot finish writing the output file";
		goto out;
	}
	if (link(tmp_path, out_path) != 0) {
		*why = "the output file exists already or cannot be created";
		goto out;
	}
	dir_of(out_path, dir, sizeof dir);
	if (!sync_path(dir, true)) {
		unlink(out_path);
		*why = "cannot make the output file's name durable";
		goto out;
	}
	err = HM_OK;
out:
	if (backup)
		sqlite3_backup_finish(backup);
	if (dst)
		sqlite3_close(dst);
	sqlite3_close(src);
	if (created)
		unlink(tmp_path); /* the copy lives on under out_path, or not at all */
	return err;
}

enum hm_err hm_db_backup(const char *src_path, const char *out_path, const char **why)
{
	return copy_database(src_path, SQLITE_OPEN_READONLY, out_path, why);
}

/* The backup's schema version, read without writing anything beside it; -1 when it
 * cannot be read (not a database). uri is "file:...?immutable=1". */
static int backup_schema_version(const char *uri)
{
	sqlite3 *conn = NULL;
	sqlite3_stmt *stmt = NULL;
	int version = -1;
	if (sqlite3_open_v2(uri, &conn, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) ==
		    SQLITE_OK &&
	    sqlite3_prepare_v2(conn, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(conn);
	return version;
}

enum hm_err hm_db_restore(const char *backup_path, const char *db_path, const char **why)
{
	static const char *const companions[] = {"", "-wal", "-shm", "-journal"};
	static _Thread_local char message[PATH_MAX + 128];
	char name[PATH_MAX], uri[PATH_MAX * 3 + 32];
	struct stat st;

	*why = NULL;
	for (size_t i = 0; i < sizeof companions / sizeof *companions; i++) {
		if ((size_t)snprintf(name, sizeof name, "%s%s", db_path, companions[i]) >=
		    sizeof name) {
			*why = "the database path is too long";
			return HM_ERR_INTERNAL;
		}
		if (lstat(name, &st) == 0 || errno != ENOENT) {
			snprintf(message, sizeof message,
				 "%s exists: stop the server and move the "
				 "database and its -wal and -shm files aside first",
				 name);
			*why = message;
			return HM_ERR_CONFLICT;
		}
	}
	if (access(backup_path, R_OK) != 0) {
		*why = "cannot read the backup";
		return HM_ERR_INTERNAL;
	}
	/* The backup is a file nobody writes: opened immutable, SQLite leaves no -wal or
	 * -shm beside it. Every byte outside [A-Za-z0-9/._-] is percent-encoded. */
	size_t n = (size_t)snprintf(uri, sizeof uri, "file:");
	for (const unsigned char *p = (const unsigned char *)backup_path; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || strchr("/._-", *p);
		n += (size_t)snprintf(uri + n, sizeof uri - n, plain ? "%c" : "%%%02X", *p);
	}
	snprintf(uri + n, sizeof uri - n, "?immutable=1");
	int version = backup_schema_version(uri);
	if (version < 1 || version > hm_migration_count) {
		if (version < 1)
			*why = "the backup is not a Harreman database";
		else {
			snprintf(message, sizeof message,
				 "the backup has schema version %d but this "
				 "harreman knows only up to %d; use a newer harreman",
				 version, hm_migration_count);
			*why = message;
		}
		return HM_ERR_CONFLICT;
	}
	return copy_database(uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, db_path, why);
}

int64_t hm_db_memory_used(void)
{
	sqlite3_int64 now = 0, peak = 0;
	sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &now, &peak, 0);
	return now;
}

enum hm_err hm_db_check_readable(struct hm_db *db)
{
	static const char sql[] = "SELECT count(*) FROM sqlite_schema";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;
	hm_db_done(stmt);
	return rc == SQLITE_ROW ? HM_OK : HM_ERR_UNAVAILABLE;
}
