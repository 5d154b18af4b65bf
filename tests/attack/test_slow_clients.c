// SPDX-License-Identifier: MIT
// Slow clients (issue 5, item 3) with Debian's slowhttptest against the real server
// on 127.0.0.1: a slowloris attack (request headers sent a few bytes at a time,
// never finished) and a slow-body attack (a POST whose declared body trickles in),
// each with a few hundred connections for a bounded time. Meanwhile an ordinary
// client on another address (127.0.0.2: the attacker holds 127.0.0.1) keeps
// asking for the service list and for its own account, and every one of its
// requests must be answered 200 promptly. The attack must really have happened:
// slowhttptest's own statistics show it held connections, never more than the
// per-address cap. Afterwards the attacker's address is served again, and the
// server stops cleanly.
//
// HM_SLOW_SECONDS sets each attack's length (default 15).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

#define PROBE_ADDR "127.0.0.2"
#define PER_IP_CAP 128 /* hm_config_defaults: connections per address */
#define PROBE_EVERY_MS 200
#define PROBE_DEADLINE_MS 3000 /* a probe that takes longer counts as not answered */
#define PROMPT_SECONDS 1.0     /* every probe answered within this */

static struct test_server server;
static char session_cookie[160];

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* One request from src_ip with a bounded wait; the status (0: none in time). */
static int probe(const char *src_ip, const char *path, const char *headers, double *elapsed)
{
	double t0 = now_s();
	int status = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in src = {.sin_family = AF_INET};
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(server.port)};
	inet_pton(AF_INET, src_ip, &src.sin_addr);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
	    connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0)
		goto out;
	char req[512], answer[2048];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n", path,
			 headers ? headers : "");
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		goto out;
	size_t used = 0;
	while (used < sizeof answer - 1) {
		int left = PROBE_DEADLINE_MS - (int)((now_s() - t0) * 1000);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		ssize_t got = recv(fd, answer + used, sizeof answer - 1 - used, 0);
		if (got <= 0)
			break;
		used += (size_t)got;
		answer[used] = '\0';
		if (strstr(answer, "\r\n\r\n"))
			break; /* the status line is all a probe needs */
	}
	answer[used] = '\0';
	if (strncmp(answer, "HTTP/1.", 7) == 0)
		status = (int)strtol(answer + 9, NULL, 10);
out:
	if (fd >= 0)
		close(fd);
	*elapsed = now_s() - t0;
	return status;
}

struct attack {
	const char *name;
	const char *mode; /* -H or -B */
	const char *verb;
	const char *path;
	const char *content_type;
};

/* slowhttptest's CSV: "Seconds,Closed,Pending,Connected,Service Available". The
 * most connections it held at once. */
static int max_connected(const char *csv_path)
{
	FILE *f = fopen(csv_path, "r");
	char line[256];
	int best = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		int sec, closed, pending, connected;
		if (sscanf(line, "%d,%d,%d,%d", &sec, &closed, &pending, &connected) == 4 &&
		    connected > best)
			best = connected;
	}
	fclose(f);
	return best;
}

static void run_attack(const struct attack *a, int seconds)
{
	char url[128], prefix[256], csv[300], out_path[300], len_text[16];
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", (unsigned)server.port, a->path);
	snprintf(prefix, sizeof prefix, "%s/%s", server.dir, a->name);
	snprintf(csv, sizeof csv, "%s.csv", prefix);
	snprintf(out_path, sizeof out_path, "%s.out", prefix);
	snprintf(len_text, sizeof len_text, "%d", seconds);
	const char *argv[] = {
		"slowhttptest", a->mode,  "-c", "300",   "-r",   "150",   "-i", "2",
		"-l",           len_text, "-s", "16384", "-t",   a->verb, "-f", a->content_type,
		"-p",           "2",      "-g", "-o",    prefix, "-u",    url,  NULL};

	double started = now_s();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	CHECK(pid > 0);
	if (pid <= 0)
		return;

	/* Probe until slowhttptest ends (it stops itself after `seconds`; it is
	 * killed if it overstays by 20 s). The first 2 s are the ramp-up. */
	int probes = 0, ok = 0, status = -1;
	double worst = 0, sum = 0;
	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);
		if (done == pid)
			break;
		if (now_s() - started > seconds + 20) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "  slowhttptest overstayed; killed\n");
			break;
		}
		double t0 = now_s(), t1 = 0, t2 = 0;
		if (t0 - started > 2.0 && t0 - started < seconds) {
			int s1 = probe(PROBE_ADDR, "/api/v1/services", NULL, &t1);
			int s2 = probe(PROBE_ADDR, "/api/v1/me", session_cookie, &t2);
			probes += 2;
			ok += (s1 == 200) + (s2 == 200);
			if (s1 != 200 || s2 != 200)
				fprintf(stderr,
					"  probe at %.1f s: services %d (%.3f s), me %d (%.3f s)\n",
					t0 - started, s1, t1, s2, t2);
			worst = t1 > worst ? t1 : worst;
			worst = t2 > worst ? t2 : worst;
			sum += t1 + t2;
		}
		double spent = now_s() - t0;
		if (spent < PROBE_EVERY_MS / 1000.0)
			sleep_ms(PROBE_EVERY_MS - (long)(spent * 1000));
	}
	int held = max_connected(csv);
	fprintf(stderr,
		"  %s: slowhttptest exit %d, held up to %d connections from 127.0.0.1; "
		"%d/%d probes from %s answered 200, mean %.1f ms, worst %.1f ms\n",
		a->name, WIFEXITED(status) ? WEXITSTATUS(status) : -1, held, ok, probes, PROBE_ADDR,
		probes ? sum / probes * 1e3 : 0.0, worst * 1e3);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The attack happened: the server let it fill its per-address share ... */
	CHECK(held >= PER_IP_CAP / 2);
	/* ... and no more (slowhttptest counts a connection the server has just closed
	 * until it notices: a little slack). */
	CHECK(held <= PER_IP_CAP + 4);
	/* Everyone else was served, promptly, all along. */
	CHECK(probes >= (seconds - 3) * 3);
	CHECK_INT(ok, probes);
	CHECK(worst < PROMPT_SECONDS);

	/* Once the attack ends, its address is served again. */
	int status_after = 0;
	for (int i = 0; i < 50 && status_after != 200; i++) {
		double t = 0;
		status_after = probe("127.0.0.1", "/healthz", NULL, &t);
		if (status_after != 200)
			sleep_ms(100);
	}
	CHECK_INT(status_after, 200);
}

/* Logs in a student from the probe's address and keeps the cookie header. */
static bool login_probe_user(void)
{
	if (!ts_add_user(&server, "student", "probe@slow.test", "Probe Student",
			 "probe-password-1"))
		return false;
	struct api_client c;
	api_client_init(&c, server.port);
	if (api_login(&c, "probe@slow.test", "probe-password-1") != 200)
		return false;
	snprintf(session_cookie, sizeof session_cookie, "Cookie: %s\r\n", c.cookie);
	return true;
}

int main(void)
{
	const char *env = getenv("HM_SLOW_SECONDS");
	int seconds = env && atoi(env) >= 5 ? atoi(env) : 15; /* NOLINT(cert-err34-c) */
	static const struct attack attacks[] = {
		{"slowloris", "-H", "GET", "/api/v1/services", "application/json"},
		{"slow-body", "-B", "POST", "/api/v1/inquiries", "application/json"},
	};
	if (!ts_start(&server, NULL))
		return 1;
	CHECK(login_probe_user());
	for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
		fprintf(stderr, "-- %s, %d s\n", attacks[i].name, seconds);
		run_attack(&attacks[i], seconds);
	}
	/* No answer of ours was a server error. */
	FILE *log = fopen(server.log, "r");
	char line[1024];
	int errors = 0;
	while (log && fgets(line, sizeof line, log))
		errors += strstr(line, " ERROR ") != NULL;
	if (log)
		fclose(log);
	CHECK_INT(errors, 0);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
