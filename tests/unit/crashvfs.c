// SPDX-License-Identifier: MIT
// The crash-simulating VFS of the tests (crashvfs.h): a shim over SQLite's "unix"
// VFS that forwards every call and keeps, per database, WAL and journal file, the
// content that would be on the platter (as of the file's last xSync) and the list of
// operations the kernel has been told of since (writes, truncations, creation,
// deletion). A power cut makes every later mutating call fail without reaching the
// files; crashvfs_power_cut then decides, with a seeded generator, what of each list
// reached the disk (kept, dropped, or one sector torn) and writes that to the real
// files. The real files are never fsynced: their durability is what this file models.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crashvfs.h"

#define SECTOR 512

enum op_kind { OP_WRITE, OP_TRUNC, OP_CREATE, OP_DELETE };

struct op {
	enum op_kind kind;
	int64_t off; /* OP_WRITE: where; OP_TRUNC: the new size */
	size_t len;
	unsigned char *data; /* OP_WRITE: a copy of what was written */
};

/* A file's bytes on the simulated disk. */
struct image {
	bool exists;
	unsigned char *data;
	size_t size, cap;
};

/* One tracked file, by full path, for the whole run (closing it forgets nothing). */
struct crec {
	char *path;
	bool main_db;
	struct image durable;
	struct op *ops; /* pending since the last sync */
	size_t n_ops, cap_ops;
	bool exists_now;
};

struct cfile {
	sqlite3_file base;
	struct crec *rec;   /* NULL: not tracked (temporary files) */
	sqlite3_file *real; /* the unix VFS's file, right after this struct */
};

static sqlite3_vfs *unix_vfs;
static sqlite3_vfs crash_vfs;
static struct crec **recs;
static size_t n_recs, cap_recs;
static uint64_t ops_done, cut_at;
static bool cut_after, power_out, lying_sync;

/* ---- the simulated disk --------------------------------------------------- */

static bool image_reserve(struct image *img, size_t size)
{
	if (size <= img->cap)
		return true;
	size_t cap = img->cap ? img->cap : 4096;
	while (cap < size)
		cap *= 2;
	unsigned char *data = realloc(img->data, cap);
	if (!data)
		return false;
	img->data = data;
	img->cap = cap;
	return true;
}

static void image_write(struct image *img, int64_t off, const unsigned char *data, size_t len)
{
	if (!img->exists)
		return; /* the inode's name never reached the disk: its data is gone too */
	size_t end = (size_t)off + len;
	if (!image_reserve(img, end))
		abort();
	if ((size_t)off > img->size)
		memset(img->data + img->size, 0, (size_t)off - img->size);
	memcpy(img->data + off, data, len);
	if (end > img->size)
		img->size = end;
}

static void image_truncate(struct image *img, size_t size)
{
	if (!img->exists)
		return;
	if (size > img->size) {
		if (!image_reserve(img, size))
			abort();
		memset(img->data + img->size, 0, size - img->size);
	}
	img->size = size;
}

static void image_apply(struct image *img, const struct op *op)
{
	switch (op->kind) {
	case OP_WRITE: image_write(img, op->off, op->data, op->len); break;
	case OP_TRUNC: image_truncate(img, (size_t)op->off); break;
	case OP_CREATE:
		img->exists = true;
		img->size = 0;
		break;
	case OP_DELETE:
		img->exists = false;
		img->size = 0;
		break;
	}
}

static void ops_clear(struct crec *rec)
{
	for (size_t i = 0; i < rec->n_ops; i++)
		free(rec->ops[i].data);
	rec->n_ops = 0;
}

static void ops_push(struct crec *rec, enum op_kind kind, int64_t off, const void *data, size_t len)
{
	if (rec->n_ops == rec->cap_ops) {
		size_t cap = rec->cap_ops ? rec->cap_ops * 2 : 64;
		struct op *more = realloc(rec->ops, cap * sizeof *more);
		if (!more)
			abort();
		rec->ops = more;
		rec->cap_ops = cap;
	}
	struct op *op = &rec->ops[rec->n_ops++];
	op->kind = kind;
	op->off = off;
	op->len = len;
	op->data = NULL;
	if (data) {
		op->data = malloc(len ? len : 1);
		if (!op->data)
			abort();
		memcpy(op->data, data, len);
	}
}

/* Everything the kernel was told of this file is on the disk now. */
static void rec_sync(struct crec *rec)
{
	for (size_t i = 0; i < rec->n_ops; i++)
		image_apply(&rec->durable, &rec->ops[i]);
	ops_clear(rec);
}

static bool read_whole_file(const char *path, struct image *img)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && image_reserve(img, (size_t)st.st_size + 1);
	size_t got = 0;
	while (ok && got < (size_t)st.st_size) {
		ssize_t n = read(fd, img->data + got, (size_t)st.st_size - got);
		if (n <= 0)
			ok = false;
		else
			got += (size_t)n;
	}
	close(fd);
	img->exists = ok;
	img->size = ok ? got : 0;
	return ok;
}

static struct crec *rec_find(const char *path, bool create)
{
	for (size_t i = 0; i < n_recs; i++)
		if (strcmp(recs[i]->path, path) == 0)
			return recs[i];
	if (!create)
		return NULL;
	if (n_recs == cap_recs) {
		size_t cap = cap_recs ? cap_recs * 2 : 8;
		struct crec **more = realloc(recs, cap * sizeof *more);
		if (!more)
			return NULL;
		recs = more;
		cap_recs = cap;
	}
	struct crec *rec = calloc(1, sizeof *rec);
	if (!rec || !(rec->path = strdup(path))) {
		free(rec);
		return NULL;
	}
	/* A file that was there before the VFS saw it is taken as durable. */
	rec->exists_now = read_whole_file(path, &rec->durable);
	recs[n_recs++] = rec;
	return rec;
}

enum verdict {
	STOP,      /* the power is out: the call reaches nothing */
	GO,        /* forward it */
	GO_AND_DIE /* forward it, then the power goes out before the caller hears */
};

/* Counts one mutating operation. */
static enum verdict op_allowed(void)
{
	if (power_out)
		return STOP;
	ops_done++;
	if (cut_at && ops_done >= cut_at) {
		power_out = true;
		return cut_after ? GO_AND_DIE : STOP;
	}
	return GO;
}

/* ---- the file methods: forward, and record what mutates ---------------------- */

static int c_close(sqlite3_file *f)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xClose(cf->real);
}

static int c_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xRead(cf->real, buf, amt, off);
}

static int c_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	struct cfile *cf = (struct cfile *)f;
	enum verdict v = cf->rec ? op_allowed() : GO;
	if (v == STOP)
		return SQLITE_IOERR_WRITE;
	int rc = cf->real->pMethods->xWrite(cf->real, buf, amt, off);
	if (rc == SQLITE_OK && cf->rec)
		ops_push(cf->rec, OP_WRITE, off, buf, (size_t)amt);
	return v == GO_AND_DIE ? SQLITE_IOERR_WRITE : rc;
}

static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct cfile *cf = (struct cfile *)f;
	enum verdict v = cf->rec ? op_allowed() : GO;
	if (v == STOP)
		return SQLITE_IOERR_TRUNCATE;
	int rc = cf->real->pMethods->xTruncate(cf->real, size);
	if (rc == SQLITE_OK && cf->rec)
		ops_push(cf->rec, OP_TRUNC, size, NULL, 0);
	return v == GO_AND_DIE ? SQLITE_IOERR_TRUNCATE : rc;
}

/* The real file is not synced: what is durable is this model's to say. The unix
 * VFS syncs the directory at the first sync of a journal or WAL it created, so a
 * file's creation becomes durable here too. */
static int c_sync(sqlite3_file *f, int flags)
{
	struct cfile *cf = (struct cfile *)f;
	(void)flags;
	if (!cf->rec)
		return cf->real->pMethods->xSync(cf->real, flags);
	enum verdict v = op_allowed();
	if (v == STOP)
		return SQLITE_IOERR_FSYNC;
	if (!lying_sync)
		rec_sync(cf->rec);
	return v == GO_AND_DIE ? SQLITE_IOERR_FSYNC : SQLITE_OK;
}

static int c_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xFileSize(cf->real, size);
}

static int c_lock(sqlite3_file *f, int level)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xLock(cf->real, level);
}

static int c_unlock(sqlite3_file *f, int level)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xUnlock(cf->real, level);
}

static int c_check_reserved(sqlite3_file *f, int *out)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xCheckReservedLock(cf->real, out);
}

static int c_file_control(sqlite3_file *f, int op, void *arg)
{
	struct cfile *cf = (struct cfile *)f;
	if (op == SQLITE_FCNTL_VFSNAME) {
		*(char **)arg = sqlite3_mprintf("crash");
		return SQLITE_OK;
	}
	return cf->real->pMethods->xFileControl(cf->real, op, arg);
}

static int c_sector_size(sqlite3_file *f)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xSectorSize(cf->real);
}

static int c_device_characteristics(sqlite3_file *f)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xDeviceCharacteristics(cf->real);
}

/* The -shm file is memory shared between connections, never synced: forwarded
 * untouched, and deleted at a power cut. */
static int c_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **pp)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xShmMap(cf->real, region, size, extend, pp);
}

static int c_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xShmLock(cf->real, offset, n, flags);
}

static void c_shm_barrier(sqlite3_file *f)
{
	struct cfile *cf = (struct cfile *)f;
	cf->real->pMethods->xShmBarrier(cf->real);
}

static int c_shm_unmap(sqlite3_file *f, int delete_flag)
{
	struct cfile *cf = (struct cfile *)f;
	return cf->real->pMethods->xShmUnmap(cf->real, delete_flag);
}

/* No memory-mapped reads: every read goes through c_read. */
static int c_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	(void)f;
	(void)off;
	(void)amt;
	*pp = NULL;
	return SQLITE_OK;
}

static int c_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f;
	(void)off;
	(void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods crash_io = {
	.iVersion = 3,
	.xClose = c_close,
	.xRead = c_read,
	.xWrite = c_write,
	.xTruncate = c_truncate,
	.xSync = c_sync,
	.xFileSize = c_file_size,
	.xLock = c_lock,
	.xUnlock = c_unlock,
	.xCheckReservedLock = c_check_reserved,
	.xFileControl = c_file_control,
	.xSectorSize = c_sector_size,
	.xDeviceCharacteristics = c_device_characteristics,
	.xShmMap = c_shm_map,
	.xShmLock = c_shm_lock,
	.xShmBarrier = c_shm_barrier,
	.xShmUnmap = c_shm_unmap,
	.xFetch = c_fetch,
	.xUnfetch = c_unfetch,
};

/* ---- the VFS methods ------------------------------------------------------ */

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct cfile *cf = (struct cfile *)f;
	(void)vfs;
	cf->base.pMethods = NULL;
	cf->real = (sqlite3_file *)(cf + 1);
	cf->rec = NULL;
	bool tracked = name && !(flags & SQLITE_OPEN_DELETEONCLOSE) &&
		       (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL |
				 SQLITE_OPEN_SUPER_JOURNAL));
	bool existed = !name || access(name, F_OK) == 0;
	if (tracked && !existed && power_out)
		return SQLITE_CANTOPEN; /* nothing is created in the dark */
	int rc = unix_vfs->xOpen(unix_vfs, name, cf->real, flags, out_flags);
	if (rc != SQLITE_OK)
		return rc;
	cf->base.pMethods = &crash_io;
	if (tracked) {
		cf->rec = rec_find(name, true);
		if (!cf->rec) {
			cf->real->pMethods->xClose(cf->real);
			cf->base.pMethods = NULL;
			return SQLITE_NOMEM;
		}
		cf->rec->main_db = cf->rec->main_db || (flags & SQLITE_OPEN_MAIN_DB);
		if (!existed || !cf->rec->exists_now) {
			ops_push(cf->rec, OP_CREATE, 0, NULL, 0);
			cf->rec->exists_now = true;
		}
	}
	return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	struct crec *rec = rec_find(name, false);
	enum verdict v = rec ? op_allowed() : GO;
	if (v == STOP)
		return SQLITE_IOERR_DELETE;
	int rc = unix_vfs->xDelete(unix_vfs, name, sync_dir);
	if (rec && (rc == SQLITE_OK || rc == SQLITE_IOERR_DELETE_NOENT)) {
		ops_push(rec, OP_DELETE, 0, NULL, 0);
		rec->exists_now = false;
		if (sync_dir)
			rec_sync(rec); /* the directory is synced: the name is gone for good */
	}
	return v == GO_AND_DIE ? SQLITE_IOERR_DELETE : rc;
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return unix_vfs->xAccess(unix_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return unix_vfs->xFullPathname(unix_vfs, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return unix_vfs->xDlOpen(unix_vfs, name);
}

static void v_dl_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	unix_vfs->xDlError(unix_vfs, n, out);
}

static void (*v_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return unix_vfs->xDlSym(unix_vfs, h, sym);
}

static void v_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	unix_vfs->xDlClose(unix_vfs, h);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return unix_vfs->xRandomness(unix_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return unix_vfs->xSleep(unix_vfs, us);
}

static int v_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return unix_vfs->xCurrentTime(unix_vfs, out);
}

static int v_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return unix_vfs->xGetLastError(unix_vfs, n, out);
}

static int v_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return unix_vfs->xCurrentTimeInt64(unix_vfs, out);
}

int crashvfs_install(void)
{
	unix_vfs = sqlite3_vfs_find("unix");
	if (!unix_vfs)
		return SQLITE_ERROR;
	crash_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct cfile) + unix_vfs->szOsFile,
		.mxPathname = unix_vfs->mxPathname,
		.zName = "crash",
		.xOpen = v_open,
		.xDelete = v_delete,
		.xAccess = v_access,
		.xFullPathname = v_full_pathname,
		.xDlOpen = v_dl_open,
		.xDlError = v_dl_error,
		.xDlSym = v_dl_sym,
		.xDlClose = v_dl_close,
		.xRandomness = v_randomness,
		.xSleep = v_sleep,
		.xCurrentTime = v_current_time,
		.xGetLastError = v_get_last_error,
		.xCurrentTimeInt64 = v_current_time_int64,
	};
	return sqlite3_vfs_register(&crash_vfs, 1);
}

/* ---- the switch ----------------------------------------------------------- */

void crashvfs_settle(void)
{
	for (size_t i = 0; i < n_recs; i++)
		rec_sync(recs[i]);
}

void crashvfs_forget(void)
{
	for (size_t i = 0; i < n_recs; i++) {
		ops_clear(recs[i]);
		free(recs[i]->ops);
		free(recs[i]->durable.data);
		free(recs[i]->path);
		free(recs[i]);
	}
	free(recs);
	recs = NULL;
	n_recs = cap_recs = 0;
}

uint64_t crashvfs_ops(void)
{
	return ops_done;
}

void crashvfs_arm(uint64_t n, bool after)
{
	cut_at = n ? ops_done + n : 0;
	cut_after = after;
}

void crashvfs_cut(void)
{
	power_out = true;
}

bool crashvfs_is_cut(void)
{
	return power_out;
}

void crashvfs_set_lying_sync(bool lying)
{
	lying_sync = lying;
}

uint64_t crashvfs_random(uint64_t *state)
{
	/* splitmix64 */
	uint64_t z = (*state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* The number of sector pieces of a pending write. */
static size_t pieces_of(const struct op *op)
{
	if (op->kind != OP_WRITE || op->len == 0)
		return 0;
	uint64_t first = (uint64_t)op->off / SECTOR;
	uint64_t last = ((uint64_t)op->off + op->len - 1) / SECTOR;
	return (size_t)(last - first + 1);
}

static bool write_range(int fd, const struct image *img, size_t from, size_t to)
{
	if (to > img->size)
		to = img->size;
	while (from < to) {
		ssize_t n = pwrite(fd, img->data + from, to - from, (off_t)from);
		if (n <= 0)
			return false;
		from += (size_t)n;
	}
	return true;
}

/* Puts img on the real file. The real file holds the durable content with every
 * pending operation applied, so only the ranges those operations touched differ
 * (unless one created or deleted the file: then all of it is written). */
static bool write_image(const struct crec *rec, const struct image *img)
{
	bool whole = false;
	for (size_t i = 0; i < rec->n_ops; i++)
		whole = whole || rec->ops[i].kind == OP_CREATE || rec->ops[i].kind == OP_DELETE;
	if (!img->exists)
		return unlink(rec->path) == 0 || errno == ENOENT;
	if (!rec->n_ops)
		return true;
	int fd = open(rec->path, O_WRONLY | O_CREAT | O_CLOEXEC | (whole ? O_TRUNC : 0), 0600);
	if (fd < 0)
		return false;
	bool ok = true;
	if (whole) {
		ok = write_range(fd, img, 0, img->size);
	} else {
		for (size_t i = 0; ok && i < rec->n_ops; i++) {
			const struct op *op = &rec->ops[i];
			if (op->kind == OP_WRITE)
				ok = write_range(fd, img, (size_t)op->off,
						 (size_t)op->off + op->len);
			else if (op->kind == OP_TRUNC) /* bytes past it came back, or were zeros */
				ok = write_range(fd, img, (size_t)op->off, img->size);
		}
	}
	ok = ftruncate(fd, (off_t)img->size) == 0 && ok;
	return close(fd) == 0 && ok;
}

int crashvfs_power_cut(uint64_t seed, struct crashvfs_loss *loss)
{
	uint64_t rng = seed;
	size_t total_pieces = 0, torn = SIZE_MAX, piece = 0;
	for (size_t i = 0; i < n_recs; i++)
		for (size_t j = 0; j < recs[i]->n_ops; j++)
			total_pieces += pieces_of(&recs[i]->ops[j]);
	if (total_pieces && crashvfs_random(&rng) % 2)
		torn = (size_t)(crashvfs_random(&rng) % total_pieces);
	int status = 0;
	for (size_t i = 0; i < n_recs; i++) {
		struct crec *rec = recs[i];
		unsigned keep = (unsigned)(crashvfs_random(&rng) % 5); /* of 4 */
		if (rec->n_ops)
			loss->files_pending++;
		for (size_t j = 0; j < rec->n_ops; j++) {
			const struct op *op = &rec->ops[j];
			if (op->kind != OP_WRITE) {
				bool kept = crashvfs_random(&rng) % 4 < keep;
				if (kept) {
					image_apply(&rec->durable, op);
					loss->other_kept++;
				} else {
					loss->other_dropped++;
				}
				continue;
			}
			/* Piece by piece: [at, end) within one sector of the file. */
			int64_t at = op->off, stop = op->off + (int64_t)op->len;
			while (at < stop) {
				int64_t end = (at / SECTOR + 1) * SECTOR;
				if (end > stop)
					end = stop;
				const unsigned char *src = op->data + (at - op->off);
				size_t len = (size_t)(end - at);
				if (piece == torn) {
					unsigned char garbage[SECTOR];
					for (size_t k = 0; k < len; k++)
						garbage[k] = (unsigned char)crashvfs_random(&rng);
					image_write(&rec->durable, at, garbage, len);
					loss->sectors_torn++;
				} else if (crashvfs_random(&rng) % 4 < keep) {
					image_write(&rec->durable, at, src, len);
					loss->pieces_kept++;
				} else {
					loss->pieces_dropped++;
				}
				piece++;
				at = end;
			}
		}
		if (!write_image(rec, &rec->durable))
			status = -1;
		ops_clear(rec);
		rec->exists_now = rec->durable.exists;
		if (rec->main_db) {
			size_t n = strlen(rec->path) + 5;
			char *shm = malloc(n);
			if (shm) {
				memcpy(shm, rec->path, n - 5);
				memcpy(shm + n - 5, "-shm", 5);
				if (unlink(shm) != 0 && errno != ENOENT)
					status = -1;
				free(shm);
			}
		}
	}
	power_out = false;
	cut_at = 0;
	return status;
}
