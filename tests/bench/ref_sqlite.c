// SPDX-License-Identifier: MIT
// The benchmark's storage reference: SQLite's own rate of single-row durable
// transactions on this disk, with the server's settings (WAL, synchronous=FULL):
// BEGIN IMMEDIATE; INSERT one row; COMMIT, in a loop, one connection, for a few
// seconds. A durable booking can at best come near this rate, since each one is
// such a transaction (plus its reads and a few more rows).
// Usage: ref_sqlite DBPATH SECONDS
// Prints "<commits/s> <p50 ms> <p99 ms> <count> <cpu seconds> <peak RSS KiB>".
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "ref_sqlite: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: ref_sqlite DBPATH SECONDS\n", stderr);
		return 2;
	}
	double seconds = strtod(argv[2], NULL);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	size_t cap = 1u << 20, n = 0;
	double *lat = malloc(cap * sizeof *lat);
	if (!lat || sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	if (exec(db,
		 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		 "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)") != 0)
		return 1;
	if (sqlite3_prepare_v2(db, "INSERT INTO t (a, b) VALUES (?1, 'a small row')", -1, &ins,
			       NULL) != SQLITE_OK)
		return 1;
	double start = now_s(), end = start + seconds, t = start;
	while (t < end && n < cap) {
		double t0 = t;
		if (exec(db, "BEGIN IMMEDIATE") != 0)
			return 1;
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)n);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "ref_sqlite: insert: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(ins);
		if (exec(db, "COMMIT") != 0)
			return 1;
		t = now_s();
		lat[n++] = t - t0;
	}
	double elapsed = t - start;
	qsort(lat, n, sizeof *lat, cmp_double);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("%.1f %.3f %.3f %zu %.3f %ld\n", (double)n / elapsed, lat[n / 2] * 1e3,
	       lat[(size_t)((double)n * 0.99)] * 1e3, n, cpu, ru.ru_maxrss);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	free(lat);
	return 0;
}
