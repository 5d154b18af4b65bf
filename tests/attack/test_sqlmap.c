// SPDX-License-Identifier: MIT
// sqlmap against the real server on loopback (issue 5, item 5). A demo server is
// started; a student logs in (session cookie and CSRF header) and a staff member
// makes an API token; then Debian's sqlmap, scripted (--batch), tries every
// parameter of the main endpoints at --level=5 --risk=3 with SQLite's payloads:
// staff searches and lists by bearer token, the student's quote, booking and
// profile by cookie, the session cookie itself, and the public login, inquiry
// form and slots. Every run must end with nothing injectable (no injection point,
// no parameter that "appears to be" injectable, not even a heuristic "might be"),
// must have really exercised its endpoint while authenticated (counted in the
// server's access log), and the server must never have answered 5xx. Afterwards
// the database passes integrity_check and no one gained a role.
//
// So that "nothing found" means something, a positive control runs first: the
// same sqlmap options against tests/attack/vulnerable_server.py, a search that
// pastes its parameter into the SQL text, must be reported injectable.
//
// Every sqlmap run is bounded (SQLMAP_RUN_SECONDS); the whole test takes about a
// minute and a half on two cores.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define SQLMAP_RUN_SECONDS 150

static struct test_server server;
static struct api_client student, staff;
static char bearer_header[200], csrf_header[200];
static long total_requests;
static int total_dismissed;

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs argv with stdout and stderr into out_path, HOME in the test's directory (so
 * sqlmap keeps nothing in the real home), for at most `limit` seconds. Returns the
 * exit status, or -1 when it was killed for overstaying. */
static int run_bounded(const char **argv, const char *out_path, int limit)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		setenv("HOME", server.dir, 1);
		setenv("TERM", "dumb", 1);
		execvp(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	double started = now_s();
	int status = 0;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_s() - started > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "  %s overstayed %d s: killed\n", argv[0], limit);
			return -1;
		}
		poll(NULL, 0, 100);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, used = 0;
	char *text = malloc(cap);
	size_t got;
	while (text && (got = fread(text + used, 1, cap - used - 1, f)) > 0) {
		used += got;
		if (used + 1 >= cap) {
			char *bigger = realloc(text, cap * 2);
			if (!bigger)
				break;
			text = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (text)
		text[used] = '\0';
	return text;
}

/* The server's access lines for method and path from line `from` on: how many,
 * how many answered 401 or 403, how many 5xx. Returns the number of lines. */
static long access_lines(const char *method, const char *path, long from, long *denied,
			 long *server_errors)
{
	FILE *log = fopen(server.log, "r");
	char line[2048];
	long n = 0, i = 0;
	*denied = *server_errors = 0;
	while (log && fgets(line, sizeof line, log)) {
		if (i++ < from)
			continue;
		const char *rest = strstr(line, " INFO  ");
		char id[32], m[16], p[1024];
		int status;
		if (!rest || sscanf(rest + 7, "%31s %15s %1023s %d", id, m, p, &status) != 4)
			continue;
		if (strcmp(m, method) != 0 || strcmp(p, path) != 0)
			continue;
		n++;
		*denied += status == 401 || status == 403;
		*server_errors += status >= 500;
	}
	if (log)
		fclose(log);
	return n;
}

static long log_line_count(void)
{
	FILE *log = fopen(server.log, "r");
	char line[2048];
	long n = 0;
	while (log && fgets(line, sizeof line, log))
		n++;
	if (log)
		fclose(log);
	return n;
}

enum who { ANON, STUDENT, STAFF };

struct target {
	const char *method;
	const char *path;   /* as the access log writes it */
	char query[256];    /* "?a=1&b=2", or "" */
	char body[512];     /* JSON, or "" */
	const char *params; /* sqlmap -p */
	enum who who;
	bool xff;       /* a random X-Forwarded-For per payload (per-address limits) */
	bool denied_ok; /* 401s are the point (login) or expected (the cookie) */
};

/* The options every run shares (the positive control's too). */
#define SQLMAP_COMMON                                                                     \
	"--batch", "--disable-coloring", "--flush-session", "--dbms=SQLite", "--level=5", \
		"--risk=3", "--skip-waf", "--drop-set-cookie", "--timeout=10", "--retries=1"

/* sqlmap's verdict: true when it identified no injection point. On endpoints whose
 * answers change from one request to the next (a new id in every 201, a slot that
 * is free once and taken after), its first boolean test can think a parameter
 * "appears to be" injectable; it then checks that itself and dismisses it ("false
 * positive or unexploitable injection point detected"). Those are counted in
 * *dismissed. What may never appear: an injection point identified, or the
 * heuristic's "might be injectable" (a database error showing through). */
static bool sqlmap_found_nothing(const char *out, const char *what, int *dismissed)
{
	static const char *const findings[] = {"identified the following injection point",
					       "might be injectable", "is vulnerable"};
	bool clean = out != NULL;
	for (size_t i = 0; out && i < sizeof findings / sizeof findings[0]; i++)
		if (strstr(out, findings[i])) {
			fprintf(stderr, "  %s: sqlmap says \"%s\"\n", what, findings[i]);
			clean = false;
		}
	*dismissed = 0;
	for (const char *p = out; p && (p = strstr(p, "false positive or unexploitable")); p++)
		(*dismissed)++;
	return clean;
}

static void run_target(const struct target *t, int index)
{
	char url[512], out_path[256], out_dir[256], count_text[32];
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s%s", (unsigned)server.port, t->path,
		 t->query);
	snprintf(out_path, sizeof out_path, "%s/sqlmap-%d.out", server.dir, index);
	snprintf(out_dir, sizeof out_dir, "%s/sqlmap-%d", server.dir, index);
	const char *argv[40] = {"sqlmap",      "-u", url,       "--method",     t->method,
				SQLMAP_COMMON, "-p", t->params, "--output-dir", out_dir};
	int n = 0;
	while (argv[n])
		n++;
	if (t->body[0]) {
		argv[n++] = "--data";
		argv[n++] = t->body;
	}
	if (t->who == STAFF) {
		argv[n++] = "-H";
		argv[n++] = bearer_header;
	} else if (t->who == STUDENT) {
		argv[n++] = "--cookie";
		argv[n++] = student.cookie;
		argv[n++] = "-H";
		argv[n++] = csrf_header;
	}
	if (t->xff)
		argv[n++] = "--tamper=xforwardedfor";
	if (t->denied_ok)
		argv[n++] = "--ignore-code=401";
	argv[n] = NULL;

	long from = log_line_count();
	double t0 = now_s();
	int status = run_bounded(argv, out_path, SQLMAP_RUN_SECONDS);
	double took = now_s() - t0;
	char *out = slurp(out_path);
	long denied = 0, errors = 0;
	long requests = access_lines(t->method, t->path, from, &denied, &errors);
	total_requests += requests;
	snprintf(count_text, sizeof count_text, "%ld", requests);
	fprintf(stderr, "  %-6s %-30s -p %-34s %5s requests, %3ld denied, %4.1f s\n", t->method,
		t->path, t->params, count_text, denied, took);

	char what[128];
	int dismissed = 0;
	snprintf(what, sizeof what, "%s %s", t->method, t->path);
	CHECK_INT(status, 0);
	bool clean = sqlmap_found_nothing(out, what, &dismissed);
	CHECK(clean);
	total_dismissed += dismissed;
	/* It got to the end and said so. */
	CHECK(out && (strstr(out, "do not appear to be injectable") ||
		      strstr(out, "does not seem to be injectable")));
	/* It really tried: hundreds of requests per parameter, and (but for the cookie
	 * target) authenticated ones. */
	CHECK(requests >= 200);
	if (!t->denied_ok)
		CHECK(denied * 20 <= requests);
	CHECK_INT(errors, 0);
	if (!clean || status != 0)
		fprintf(stderr, "%s\n", out ? out : "(no output)");
	free(out);
}

/* The positive control: sqlmap with the same options finds the pasted-in SQL. */
static void test_sqlmap_finds_a_real_injection(void)
{
	char script[512], port_text[16] = "", url[128], out_path[256], out_dir[256];
	snprintf(script, sizeof script, "%s/vulnerable_server.py", HM_ATTACK_DIR);
	int out[2];
	CHECK(pipe(out) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		execlp("python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	/* The port, one line; the pipe stays open until the server is stopped. */
	size_t used = 0;
	double deadline = now_s() + 10;
	while (used < sizeof port_text - 1 && !strchr(port_text, '\n') && now_s() < deadline) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		if (poll(&p, 1, 500) <= 0)
			continue;
		ssize_t got = read(out[0], port_text + used, sizeof port_text - 1 - used);
		if (got <= 0)
			break;
		used += (size_t)got;
		port_text[used] = '\0';
	}
	long port = strtol(port_text, NULL, 10);
	CHECK(port > 0 && port < 65536);
	snprintf(url, sizeof url, "http://127.0.0.1:%ld/clients?q=ane", port);
	snprintf(out_path, sizeof out_path, "%s/control.out", server.dir);
	snprintf(out_dir, sizeof out_dir, "%s/control", server.dir);
	const char *argv[] = {"sqlmap", "-u",           url,     SQLMAP_COMMON, "-p",
			      "q",      "--output-dir", out_dir, NULL};
	double t0 = now_s();
	CHECK_INT(run_bounded(argv, out_path, SQLMAP_RUN_SECONDS), 0);
	char *text = slurp(out_path);
	CHECK(text && strstr(text, "sqlmap identified the following injection point"));
	fprintf(stderr, "  control: the pasted-in search %s in %.1f s\n",
		text && strstr(text, "injection point") ? "found injectable" : "NOT FOUND",
		now_s() - t0);
	free(text);
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	close(out[0]);
}

static long long db_value(const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_open_v2(server.db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_busy_timeout(h, 5000) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static bool integrity_ok(void)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (sqlite3_open_v2(server.db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_busy_timeout(h, 5000) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ok;
}

static bool log_in(void)
{
	struct http_response r;
	api_client_at(&student, server.port, "10.60.0.1");
	api_client_at(&staff, server.port, "10.60.0.2");
	if (api_login(&student, DEMO_STUDENT) != 200 || api_login(&staff, DEMO_STAFF) != 200)
		return false;
	api_call(&staff, "POST", "/api/v1/auth/tokens", "{\"name\":\"sqlmap\"}", &r);
	const char *token = r.status == 201 ? json_str(r.json, "token") : NULL;
	if (token)
		snprintf(bearer_header, sizeof bearer_header, "Authorization: Bearer %s", token);
	http_response_free(&r);
	snprintf(csrf_header, sizeof csrf_header, "X-CSRF-Token: %s", student.csrf);
	return token != NULL;
}

int main(void)
{
	static const char *const args[] = {"--demo", "--trusted-proxy", "127.0.0.1", NULL};
	double t0 = now_s();
	if (!ts_start(&server, args))
		return 1;
	if (!log_in()) {
		fprintf(stderr, "could not log in\n");
		ts_stop(&server);
		return 1;
	}
	fprintf(stderr, "-- test_sqlmap_finds_a_real_injection\n");
	test_sqlmap_finds_a_real_injection();

	/* Real values for the baselines: the student's client, a free slot. */
	struct http_response r;
	api_call(&student, "GET", "/api/v1/me", NULL, &r);
	long long client_id = json_integer_value(json_object_get(http_json(&r, "client"), "id"));
	http_response_free(&r);
	int64_t today = 0;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);
	char from[HM_RFC3339_LEN], to[HM_RFC3339_LEN], path[160];
	hm_time_format((today + 2) * 86400, from);
	hm_time_format((today + 9) * 86400, to);
	from[10] = to[10] = '\0';
	snprintf(path, sizeof path, "/api/v1/slots?service_id=1&from=%s&to=%s", from, to);
	api_call(&student, "GET", path, NULL, &r);
	json_t *slot = json_array_get(http_json(&r, "items"), 0);
	long long tutor_id = json_integer_value(json_object_get(slot, "tutor_id"));
	char starts_at[HM_RFC3339_LEN] = "";
	if (json_str(slot, "starts_at"))
		snprintf(starts_at, sizeof starts_at, "%s", json_str(slot, "starts_at"));
	http_response_free(&r);
	CHECK(client_id > 0 && tutor_id > 0 && starts_at[0]);

	struct target targets[13];
	memset(targets, 0, sizeof targets);
	int n = 0;
	/* Staff, by bearer token. */
	targets[n] = (struct target){.method = "GET",
				     .path = "/api/v1/clients",
				     .params = "q,limit,after",
				     .who = STAFF};
	snprintf(targets[n++].query, sizeof targets[0].query, "?q=ane&limit=10&after=0");
	targets[n] = (struct target){.method = "GET",
				     .path = "/api/v1/lessons",
				     .params = "from,to,client_id,tutor_id",
				     .who = STAFF};
	snprintf(targets[n++].query, sizeof targets[0].query,
		 "?from=%s&to=%s&client_id=%lld&tutor_id=%lld", from, to, client_id, tutor_id);
	targets[n] = (struct target){
		.method = "GET", .path = "/api/v1/contracts", .params = "client_id", .who = STAFF};
	snprintf(targets[n++].query, sizeof targets[0].query, "?client_id=%lld", client_id);
	targets[n] = (struct target){.method = "GET",
				     .path = "/api/v1/inquiries",
				     .query = "?status=open&limit=20",
				     .params = "status,limit",
				     .who = STAFF};
	n++;
	char interactions[64];
	snprintf(interactions, sizeof interactions, "/api/v1/clients/%lld/interactions", client_id);
	targets[n] = (struct target){.method = "POST",
				     .path = interactions,
				     .params = "channel,direction,summary",
				     .who = STAFF};
	snprintf(targets[n++].body, sizeof targets[0].body,
		 "{\"channel\":\"phone\",\"direction\":\"in\",\"summary\":\"Asked about exams\"}");
	/* The student, by cookie and CSRF header. */
	targets[n] = (struct target){.method = "GET",
				     .path = "/api/v1/quote",
				     .query = "?service_id=1&kind=subscription&sessions=4",
				     .params = "service_id,kind,sessions",
				     .who = STUDENT};
	n++;
	targets[n] = (struct target){.method = "POST",
				     .path = "/api/v1/lessons",
				     .params = "service_id,tutor_id,starts_at",
				     .who = STUDENT};
	snprintf(targets[n++].body, sizeof targets[0].body,
		 "{\"service_id\":1,\"tutor_id\":%lld,\"starts_at\":\"%s\"}", tutor_id, starts_at);
	targets[n] = (struct target){.method = "PATCH",
				     .path = "/api/v1/me/client",
				     .params = "full_name,phone,preferred_channel",
				     .who = STUDENT};
	snprintf(targets[n++].body, sizeof targets[0].body,
		 "{\"full_name\":\"Ane Etxeberria\",\"phone\":\"+34 600 000 000\","
		 "\"preferred_channel\":\"phone\"}");
	/* The session cookie itself (anything but the real token is anonymous: 401). */
	targets[n++] = (struct target){.method = "GET",
				       .path = "/api/v1/me/lessons",
				       .params = "hm_session",
				       .who = STUDENT,
				       .denied_ok = true};
	/* Public: slots, login, the inquiry form (per-address limits: random
	 * X-Forwarded-For, believed from the trusted proxy 127.0.0.1). */
	targets[n] = (struct target){.method = "GET",
				     .path = "/api/v1/slots",
				     .params = "service_id,from,to,tutor_id",
				     .who = ANON};
	snprintf(targets[n++].query, sizeof targets[0].query,
		 "?service_id=1&from=%s&to=%s&tutor_id=%lld", from, to, tutor_id);
	targets[n] = (struct target){.method = "POST",
				     .path = "/api/v1/auth/login",
				     .params = "email",
				     .who = ANON,
				     .xff = true,
				     .denied_ok = true};
	snprintf(targets[n++].body, sizeof targets[0].body,
		 "{\"email\":\"ane@demo.harreman.eus\",\"password\":\"not-the-password\"}");
	targets[n] = (struct target){.method = "POST",
				     .path = "/api/v1/inquiries",
				     .params = "full_name,email,subject,message",
				     .who = ANON,
				     .xff = true};
	snprintf(targets[n++].body, sizeof targets[0].body,
		 "{\"channel\":\"web\",\"full_name\":\"Miren\",\"email\":\"miren@example.com\","
		 "\"subject\":\"Ordutegia\",\"message\":\"Kaixo\"}");

	long long admins = db_value("SELECT count(*) FROM users WHERE role = 'admin'");
	long long staff_users = db_value("SELECT count(*) FROM users WHERE role = 'staff'");
	fprintf(stderr, "-- sqlmap against %d endpoints\n", n);
	for (int i = 0; i < n; i++)
		run_target(&targets[i], i);
	fprintf(stderr, "  %ld requests in all; %d first guesses dismissed by sqlmap itself\n",
		total_requests, total_dismissed);

	CHECK(integrity_ok());
	CHECK_INT(db_value("SELECT count(*) FROM users WHERE role = 'admin'"), admins);
	CHECK_INT(db_value("SELECT count(*) FROM users WHERE role = 'staff'"), staff_users);
	CHECK_INT(db_value("SELECT count(*) FROM users WHERE role <> 'student'"
			   " AND email = 'ane@demo.harreman.eus'"),
		  0);
	/* The server logged no error of its own. */
	char *log = slurp(server.log);
	CHECK(log && !strstr(log, " ERROR "));
	free(log);
	CHECK_INT(ts_stop(&server), 0);
	fprintf(stderr, "test_sqlmap: %.1f s\n", now_s() - t0);
	return CHECK_EXIT();
}
