/* SPDX-License-Identifier: MIT */
/* A crash-simulating SQLite VFS for the tests (the idea of SQLite's src/test6.c):
 * it wraps the "unix" VFS, forwards every call, and models a disk underneath. For
 * each database, WAL and journal file it keeps the durable content (as of the
 * file's last xSync) and the operations since (writes, truncations, creation,
 * deletion). A power cut stops all forwarding at a chosen operation; applying the
 * loss model then keeps, drops or tears each pending operation at random and puts
 * what survived on the real files, for the next open to recover from. One process,
 * one thread: the state is global and unlocked. */
#ifndef HARREMAN_TESTS_CRASHVFS_H
#define HARREMAN_TESTS_CRASHVFS_H

#include <stdbool.h>
#include <stdint.h>

/* Registers the crash VFS ("crash") as the process's default VFS, so that every
 * sqlite3_open_v2 without a VFS name goes through it. SQLITE_OK or an error. */
int crashvfs_install(void);

/* Makes every tracked file's current content durable, as if the whole disk had
 * been synced (after a setup that is not under test). */
void crashvfs_settle(void);

/* Forgets every tracked file (after the files were closed and removed). */
void crashvfs_forget(void);

/* Counts mutating operations (writes, truncations, syncs, deletions) on tracked
 * files since install. */
uint64_t crashvfs_ops(void);

/* The power goes out at the n-th mutating operation from now (n >= 1; 0 disarms):
 * just before it, or, when after is true, just after it reached the kernel (a
 * sync: the disk) and before its caller heard, which then gets an I/O error. */
void crashvfs_arm(uint64_t n, bool after);

/* The power goes out now. */
void crashvfs_cut(void);

/* Whether the power is out: every mutating call fails with an I/O error and
 * reaches nothing. */
bool crashvfs_is_cut(void);

/* A sync that lies (a disk that acknowledges a flush it did not do): xSync returns
 * SQLITE_OK and makes nothing durable. For the control run that shows the test
 * can see a loss. */
void crashvfs_set_lying_sync(bool lying);

/* The next number of the generator whose state is *state (splitmix64): the
 * seeded choices of the loss model, and of the tests that drive it. */
uint64_t crashvfs_random(uint64_t *state);

/* What one application of the loss model did. */
struct crashvfs_loss {
	uint64_t pieces_kept, pieces_dropped; /* pending writes, in 512-byte pieces */
	uint64_t sectors_torn;                /* pieces replaced by garbage */
	uint64_t other_kept, other_dropped;   /* truncations, creations, deletions */
	uint64_t files_pending;               /* files with operations not yet synced */
};

/* After the power cut and once every connection is closed: for each tracked file,
 * each pending operation is kept or dropped (a file's keep rate is drawn per cut
 * from 0, 1/4, 1/2, 3/4 and 1; writes are decided per 512-byte sector), and with
 * probability 1/2 one pending sector is torn (random bytes, inside the range
 * written: the unix VFS promises powersafe overwrite). The result becomes the
 * durable content and is written to the real files; each database's -shm file is
 * deleted (SQLite rebuilds it). The power comes back on. seed drives every
 * choice. Adds to *loss. 0, or -1 (errno set) when a real file could not be
 * written. */
int crashvfs_power_cut(uint64_t seed, struct crashvfs_loss *loss);

#endif
