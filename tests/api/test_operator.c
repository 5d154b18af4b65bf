// SPDX-License-Identifier: MIT
// The operator is told (issue 19, item 4): with the database file deleted,
// replaced by another file, or made read-only under a running server, /healthz
// answers 503 `unavailable` and writes are refused with a clear 503 (none is
// answered 201 into a file nobody will read again), the log says so once, and the
// identical error lines of a flood of refused requests are counted, not repeated.
// Gone or replaced: reads are refused too; read-only: reads go on, and writes come
// back once the file can be written. A read-only database or directory stops
// `serve` at start with a message and a non-zero exit. Tests run as root in CI,
// where chmod does not stop root: the read-only cases then run the server as
// nobody (setpriv), on a directory that nobody owns.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

#define PW "operator-test-password"
#define NOBODY 65534
#define SETPRIV "/usr/bin/setpriv"
#define AS_NOBODY SETPRIV " --reuid=65534 --regid=65534 --clear-groups"

static const char *const trusted[] = {"--trusted-proxy", "127.0.0.1", NULL};
static int registered;

/* ---- helpers ---------------------------------------------------------------- */

/* Registers a new student (a write: 201 when it is saved); returns the status. */
static int register_one(uint16_t port)
{
	struct api_client c;
	char email[64], ip[32];
	int n = ++registered;
	snprintf(email, sizeof email, "student%d@operator.test", n);
	snprintf(ip, sizeof ip, "10.19.%d.%d", n / 200, n % 200 + 1);
	api_client_at(&c, port, ip);
	return api_register(&c, email, PW, "Operator Test");
}

/* GET path anonymously: status and error code (code: "" when none). */
static int get_status(uint16_t port, const char *path, char code[32])
{
	struct http_response r;
	struct api_client c;
	api_client_init(&c, port);
	api_call(&c, "GET", path, NULL, &r);
	int status = r.status;
	if (code)
		snprintf(code, 32, "%s", http_error_code(&r) ? http_error_code(&r) : "");
	http_response_free(&r);
	return status;
}

/* The whole of a file (owned, free()); "" when it cannot be read. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;
	if (!f)
		return strdup("");
	FILE *mem = open_memstream(&text, &size);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, got, mem);
	fclose(mem);
	fclose(f);
	return text;
}

static int occurrences(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Waits (bounded) until the log holds needle: the housekeeper logs a change
 * within a second, and the log is written as it happens. */
static bool log_shows(const struct test_server *s, const char *needle)
{
	for (int i = 0; i < 50; i++) {
		char *log = slurp(s->log);
		bool found = strstr(log, needle) != NULL;
		free(log);
		if (found)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static void remove_tree(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* The read-only cases need a user chmod stops: as root, the server runs as nobody. */
static bool as_root(void)
{
	return geteuid() == 0;
}

/* Every write refused 503 `unavailable` with a message, none saved. */
static void check_writes_refused(uint16_t port, int n)
{
	int refused = 0;
	for (int i = 0; i < n; i++) {
		struct api_client c;
		struct http_response r;
		char email[64], body[256], ip[32];
		int k = ++registered;
		snprintf(email, sizeof email, "refused%d@operator.test", k);
		snprintf(ip, sizeof ip, "10.20.%d.%d", k / 200, k % 200 + 1);
		snprintf(body, sizeof body,
			 "{\"email\":\"%s\",\"password\":\"%s\",\"full_name\":\"Nobody Saved\"}",
			 email, PW);
		api_client_at(&c, port, ip);
		api_call(&c, "POST", "/api/v1/auth/register", body, &r);
		const char *code = http_error_code(&r);
		json_t *error = http_json(&r, "error");
		if (r.status == 503 && code && strcmp(code, "unavailable") == 0 &&
		    json_str(error, "message") && strlen(json_str(error, "message")) > 20)
			refused++;
		else
			fprintf(stderr, "  write %d answered %d %s\n", i, r.status,
				code ? code : "");
		http_response_free(&r);
	}
	CHECK_INT(refused, n);
}

/* /healthz: its status and error code. */
static int healthz(uint16_t port, char code[32])
{
	return get_status(port, "/healthz", code);
}

/* ---- the file deleted -------------------------------------------------------- */

static void test_database_deleted(void)
{
	struct test_server s;
	char code[32], path[256];
	if (!ts_start(&s, trusted)) {
		CHECK(false);
		return;
	}
	CHECK_INT(healthz(s.port, code), 200);
	for (int i = 0; i < 5; i++)
		CHECK_INT(register_one(s.port), 201);

	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", s.db, suffixes[i]);
		unlink(path);
	}
	CHECK_INT(healthz(s.port, code), 503);
	CHECK_STR(code, "unavailable");
	check_writes_refused(s.port, 200);
	/* Nothing is read from a file that will not be there after a restart. */
	CHECK_INT(get_status(s.port, "/api/v1/services", code), 503);
	CHECK_STR(code, "unavailable");
	/* No connection made a new, empty database at the path. */
	struct stat st;
	CHECK(stat(s.db, &st) != 0 && errno == ENOENT);
	sleep(1); /* past the once-a-second check: still refused */
	check_writes_refused(s.port, 20);
	CHECK_INT(healthz(s.port, code), 503);

	char *log = slurp(s.log);
	CHECK_INT(occurrences(log, "is gone (deleted or moved away)"), 1);
	/* 220 refused writes: their ERROR lines counted, about one a second. */
	int lines = occurrences(log, "ERROR POST /api/v1/auth/register answered 503");
	CHECK(lines >= 1 && lines <= 6);
	if (lines > 6)
		fprintf(stderr, "  %d lines for 220 refused writes\n", lines);
	free(log);
	CHECK_INT(ts_stop(&s), 0);
}

/* ---- the file replaced ------------------------------------------------------- */

static void test_database_replaced(void)
{
	struct test_server s;
	char code[32], copy[256], *out = NULL;
	if (!ts_start(&s, trusted)) {
		CHECK(false);
		return;
	}
	CHECK_INT(register_one(s.port), 201);
	/* An operator "restores" a copy over the live file (a new inode at the path). */
	snprintf(copy, sizeof copy, "%s/restored.db", s.dir);
	const char *const backup[] = {"backup", copy, "--db", s.db, NULL};
	CHECK_INT(run_cli(backup, NULL, NULL, &out), 0);
	free(out);
	CHECK_INT(rename(copy, s.db), 0);

	CHECK_INT(healthz(s.port, code), 503);
	CHECK_STR(code, "unavailable");
	check_writes_refused(s.port, 50);
	CHECK_INT(get_status(s.port, "/api/v1/services", code), 503);
	CHECK(log_shows(&s, "was replaced by another file"));
	char *log = slurp(s.log);
	CHECK_INT(occurrences(log, "was replaced by another file"), 1);
	free(log);

	/* A restart serves the new file: healthy, and it takes writes again. */
	kill(s.pid, SIGTERM);
	int status = 0;
	CHECK_INT(waitpid(s.pid, &status, 0), s.pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	s.pid = 0;
	CHECK(ts_restart(&s, trusted));
	CHECK_INT(healthz(s.port, code), 200);
	CHECK_INT(register_one(s.port), 201);
	CHECK_INT(ts_stop(&s), 0);
}

/* ---- the file made read-only ------------------------------------------------- */

/* A directory for a server that runs as nobody (as root) or as us. */
static bool make_dir(char dir[64], uid_t owner)
{
	snprintf(dir, 64, "/tmp/harreman-operator-XXXXXX");
	if (!mkdtemp(dir))
		return false;
	return chmod(dir, 0755) == 0 && (!as_root() || chown(dir, owner, owner) == 0);
}

static void test_database_read_only(void)
{
	struct test_server s;
	char dir[64], db[128], code[32];
	if (as_root() && access(SETPRIV, X_OK) != 0) {
		fprintf(stderr, "  running as root needs " SETPRIV " (util-linux)\n");
		CHECK(false);
		return;
	}
	CHECK(make_dir(dir, NOBODY));
	snprintf(db, sizeof db, "%s/test.db", dir);
	const char *const args[] = {"--db", db, "--trusted-proxy", "127.0.0.1", NULL};
	if (as_root())
		setenv("HARREMAN_SERVER_WRAPPER", AS_NOBODY, 1);
	bool up = ts_start(&s, args);
	unsetenv("HARREMAN_SERVER_WRAPPER");
	if (!up) {
		CHECK(false);
		remove_tree(dir);
		return;
	}
	CHECK_INT(healthz(s.port, code), 200);
	CHECK_INT(register_one(s.port), 201);

	CHECK_INT(chmod(db, 0444), 0);
	CHECK_INT(healthz(s.port, code), 503);
	CHECK_STR(code, "unavailable");
	check_writes_refused(s.port, 50);
	/* Reads go on from the file, which is still the one. */
	CHECK_INT(get_status(s.port, "/api/v1/services", code), 200);
	CHECK(log_shows(&s, "cannot be written (read-only for this user"));

	/* Writable again: healthy, and writes are taken (within the second). */
	CHECK_INT(chmod(db, 0644), 0);
	CHECK_INT(healthz(s.port, code), 200);
	CHECK_INT(register_one(s.port), 201);
	CHECK(log_shows(&s, "is writable again"));
	char *log = slurp(s.log);
	CHECK_INT(occurrences(log, "cannot be written (read-only for this user"), 1);
	free(log);
	CHECK_INT(ts_stop(&s), 0);
	remove_tree(dir);
}

/* ---- a read-only database at start ------------------------------------------- */

/* Runs `serve --db db` (as nobody when we are root) and waits up to 20 s for it to
 * exit; its output (stdout and stderr) into out (owned). Returns the exit status,
 * or -1 when it started listening instead (then stopped) or hung (then killed). */
static int serve_exit(const char *db, char **out)
{
	char log_path[160];
	snprintf(log_path, sizeof log_path, "%s.serve-output", db);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		const char *argv[16];
		int n = 0;
		if (as_root()) {
			argv[n++] = SETPRIV;
			argv[n++] = "--reuid=65534";
			argv[n++] = "--regid=65534";
			argv[n++] = "--clear-groups";
		}
		argv[n++] = ts_binary();
		argv[n++] = "serve";
		argv[n++] = "--db";
		argv[n++] = db;
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:0";
		argv[n++] = "--web";
		argv[n++] = ts_web_dir();
		argv[n] = NULL;
		execv(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	int status = -1, waited = 0;
	bool listening = false;
	for (; waited < 200 && !listening; waited++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		char *so_far = slurp(log_path);
		listening = strstr(so_far, "listening on") != NULL;
		free(so_far);
		usleep(100 * 1000);
	}
	if (listening) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		status = -1;
	} else if (waited == 200) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		status = -1;
	} else {
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	*out = slurp(log_path);
	unlink(log_path);
	return status;
}

static void test_read_only_at_start_is_refused(void)
{
	char dir[64], db[128], *out = NULL;
	if (as_root() && access(SETPRIV, X_OK) != 0) {
		CHECK(false);
		return;
	}
	/* A database file the server's user cannot write. */
	CHECK(make_dir(dir, NOBODY));
	snprintf(db, sizeof db, "%s/test.db", dir);
	const char *const migrate[] = {"migrate", "--db", db, NULL};
	CHECK_INT(run_cli(migrate, NULL, NULL, &out), 0);
	free(out);
	CHECK(!as_root() || chown(db, NOBODY, NOBODY) == 0);
	CHECK_INT(chmod(db, 0444), 0);
	int status = serve_exit(db, &out);
	CHECK(status > 0);
	CHECK(strstr(out, "cannot be written by this user") != NULL);
	CHECK(strstr(out, "does not start read-only") != NULL);
	CHECK(strstr(out, "listening on") == NULL);
	if (status <= 0)
		fprintf(stderr, "  serve said: %s\n", out);
	free(out);

	/* Writable, it starts (the same user, the same file). */
	CHECK_INT(chmod(db, 0644), 0);
	CHECK_INT(serve_exit(db, &out), -1); /* it listened */
	CHECK(strstr(out, "listening on") != NULL);
	free(out);

	/* A directory it cannot write (SQLite's -wal and -shm go there). */
	CHECK_INT(chmod(dir, 0555), 0);
	snprintf(db, sizeof db, "%s/new.db", dir);
	status = serve_exit(db, &out);
	CHECK(status > 0);
	CHECK(strstr(out, "directory") != NULL && strstr(out, "cannot be written") != NULL);
	free(out);
	CHECK_INT(chmod(dir, 0755), 0);
	remove_tree(dir);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	RUN(test_database_deleted);
	RUN(test_database_replaced);
	RUN(test_database_read_only);
	RUN(test_read_only_at_start_is_refused);
	return CHECK_EXIT();
}
