// SPDX-License-Identifier: MIT
// The server as a whole: the pages from web/ with their headers, path traversal in
// the forms a browser or an attacker sends, conditional requests, and a graceful
// stop that lets a request in flight finish.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

static struct test_server server;

static void test_pages(void)
{
	static const char *const pages[] = {"/", "/staff", "/admin", "/style.css"};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		struct http_response r;
		char v[512];
		CHECK(http_request(server.port, "GET", pages[i], NULL, NULL, 0, &r));
		CHECK_INT(r.status, 200);
		const char *type = http_header(&r, "Content-Type", v, sizeof v);
		CHECK(type && strncmp(type, i < 3 ? "text/html" : "text/css", 8) == 0);
		const char *csp = http_header(&r, "Content-Security-Policy", v, sizeof v);
		CHECK(csp && strstr(csp, "default-src 'self'") &&
		      strstr(csp, "frame-ancestors 'none'"));
		CHECK_STR(http_header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
		if (i < 3)
			CHECK(r.body && strstr(r.body, "<html lang=\"eu\">"));
		http_response_free(&r);
	}
}

static void test_traversal_never_escapes(void)
{
	static const char *const attempts[] = {
		"/../../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/..%2f..%2fetc%2fpasswd",
		"/%252e%252e/etc/passwd",
		"/.%2e/.%2e/etc/passwd",
		"/..\\..\\etc\\passwd",
		"/static/../../etc/passwd",
		"//etc/passwd",
		"/%2Fetc%2Fpasswd",
		"/.git/HEAD",
		"/index.html%00.css",
		"/../CMakeLists.txt",
		"/%2e%2e/CMakeLists.txt",
	};
	for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
		struct http_response r;
		CHECK(http_request(server.port, "GET", attempts[i], NULL, NULL, 0, &r));
		CHECK(r.status == 404 || r.status == 400);
		CHECK(!r.body || (!strstr(r.body, "root:") && !strstr(r.body, "cmake_minimum")));
		if (r.status != 404 && r.status != 400)
			fprintf(stderr, "   %s answered %d\n", attempts[i], r.status);
		http_response_free(&r);
	}
}

static void test_head_and_etag(void)
{
	struct http_response r;
	char etag[128], header[200];
	CHECK(http_request(server.port, "GET", "/", NULL, NULL, 0, &r));
	CHECK(http_header(&r, "ETag", etag, sizeof etag) != NULL);
	size_t full = r.body_len;
	http_response_free(&r);

	snprintf(header, sizeof header, "If-None-Match: %s\r\n", etag);
	CHECK(http_request(server.port, "GET", "/", header, NULL, 0, &r));
	CHECK_INT(r.status, 304);
	CHECK_INT(r.body_len, 0);
	http_response_free(&r);

	CHECK(http_request(server.port, "HEAD", "/", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body_len, 0);
	CHECK(full > 0);
	http_response_free(&r);

	CHECK(http_request(server.port, "POST", "/", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 405);
	http_response_free(&r);
}

/* A request whose body is still arriving when SIGTERM comes is answered, and the
 * server then exits cleanly; new connections are refused meanwhile. */
static void test_graceful_stop_finishes_requests_in_flight(void)
{
	struct test_server s;
	CHECK(ts_start(&s, NULL));
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(s.port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
	const char head[] = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
			    "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{";
	CHECK(send(fd, head, sizeof head - 1, 0) == (ssize_t)(sizeof head - 1));
	/* Make sure the server has the request before the signal: /metrics (from
	 * loopback) counts it in flight, next to the /metrics request itself. */
	struct http_response r;
	bool seen = false;
	for (int i = 0; i < 400 && !seen; i++) {
		CHECK(http_request(s.port, "GET", "/metrics", NULL, NULL, 0, &r));
		seen = r.body && strstr(r.body, "harreman_http_requests_in_flight 2\n") != NULL;
		http_response_free(&r);
		if (!seen)
			usleep(5000);
	}
	CHECK(seen);

	kill(s.pid, SIGTERM);
	/* The listener closes: a new connection gets refused (or is never answered). */
	int refused = 0;
	for (int i = 0; i < 200 && !refused; i++) {
		int probe = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(probe, (struct sockaddr *)&addr, sizeof addr) != 0)
			refused = 1;
		close(probe);
		if (!refused)
			usleep(5000);
	}
	CHECK(refused);

	CHECK(send(fd, "}", 1, 0) == 1);
	char buf[1024] = "";
	ssize_t got = 0, n;
	while ((n = recv(fd, buf + got, sizeof buf - 1 - (size_t)got, 0)) > 0)
		got += n;
	buf[got > 0 ? got : 0] = '\0';
	CHECK(strncmp(buf, "HTTP/1.1 422", 12) == 0); /* {} is valid JSON: fields missing */
	close(fd);
	CHECK_INT(ts_stop(&s), 0);
}

/* ---- a stop under keep-alive write load (issue 19, item 1) ------------------ */

struct writer_loop {
	uint16_t port;
	char cookie[128], csrf[96];
	int created, unavailable, other; /* answers seen */
};

/* Reads one response from fd: its status, and whether it closes the connection.
 * False when the connection ended first. */
static bool read_one(int fd, int *status, bool *closes)
{
	static _Thread_local char buf[16384];
	size_t got = 0;
	char *end = NULL;
	while (!(end = strstr(buf, "\r\n\r\n"))) {
		if (got >= sizeof buf - 1)
			return false;
		ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n <= 0)
			return false;
		got += (size_t)n;
		buf[got] = '\0';
	}
	const char *cl = strstr(buf, "\r\nContent-Length:");
	size_t body = cl ? strtoul(cl + 17, NULL, 10) : 0;
	size_t have = got - (size_t)(end + 4 - buf);
	*status = (int)strtol(buf + 9, NULL, 10);
	*closes = strstr(buf, "\r\nConnection: close") != NULL;
	while (have < body) {
		char sink[4096];
		size_t want = body - have < sizeof sink ? body - have : sizeof sink;
		ssize_t n = recv(fd, sink, want, 0);
		if (n <= 0)
			return false;
		have += (size_t)n;
	}
	buf[0] = '\0';
	return true;
}

/* POST /me/contracts again and again on one keep-alive connection until the
 * server closes it. */
static void *write_loop(void *arg)
{
	struct writer_loop *w = arg;
	static const char body[] = "{\"service_id\":1,\"kind\":\"one_off\"}";
	char req[768];
	int len = snprintf(req, sizeof req,
			   "POST /api/v1/me/contracts HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
			   "X-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
			   "Content-Length: %zu\r\n\r\n%s",
			   w->cookie, w->csrf, sizeof body - 1, body);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(w->port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (int i = 0; i < 3000; i++) {
		int status = 0;
		bool closes = false;
		if (send(fd, req, (size_t)len, MSG_NOSIGNAL) != len ||
		    !read_one(fd, &status, &closes))
			break;
		if (status == 201)
			w->created++;
		else if (status == 503)
			w->unavailable++;
		else
			w->other++;
		if (closes)
			break;
	}
	close(fd);
	return NULL;
}

/* SIGTERM while eight clients send writes on keep-alive connections: the server
 * stops cleanly (exit 0, not libmicrohttpd's abort on a suspended connection),
 * every round. Answers are 201, or 503 once it is stopping. */
static void test_stop_under_keep_alive_write_load(void)
{
	enum { CLIENTS = 8 };
	/* Under valgrind each round takes seconds: fewer rounds there. */
	const int rounds = getenv("HARREMAN_SERVER_WRAPPER") ? 3 : 12;
	int clean = 0, created = 0;
	for (int round = 0; round < rounds; round++) {
		static const char *const demo[] = {"--demo", NULL};
		struct test_server s;
		struct api_client c;
		struct writer_loop loops[CLIENTS];
		pthread_t threads[CLIENTS];
		if (!ts_start(&s, demo)) {
			CHECK(!"server started");
			return;
		}
		api_client_init(&c, s.port);
		CHECK_INT(api_login(&c, DEMO_STUDENT), 200);
		for (int i = 0; i < CLIENTS; i++) {
			memset(&loops[i], 0, sizeof loops[i]);
			loops[i].port = s.port;
			snprintf(loops[i].cookie, sizeof loops[i].cookie, "%s", c.cookie);
			snprintf(loops[i].csrf, sizeof loops[i].csrf, "%s", c.csrf);
			pthread_create(&threads[i], NULL, write_loop, &loops[i]);
		}
		usleep(100000 + 40000 * (useconds_t)(round % 6));
		int status = ts_stop(&s);
		for (int i = 0; i < CLIENTS; i++) {
			pthread_join(threads[i], NULL);
			created += loops[i].created;
			CHECK_INT(loops[i].other, 0);
		}
		CHECK_INT(status, 0);
		clean += status == 0;
	}
	fprintf(stderr, "  %d of %d stops clean under write load; %d contracts answered 201\n",
		clean, rounds, created);
	CHECK(created > 0);
}

int main(void)
{
	if (!ts_start(&server, NULL))
		return 1;
	RUN(test_pages);
	RUN(test_traversal_never_escapes);
	RUN(test_head_and_etag);
	CHECK_INT(ts_stop(&server), 0);
	RUN(test_graceful_stop_finishes_requests_in_flight);
	RUN(test_stop_under_keep_alive_write_load);
	return CHECK_EXIT();
}
