// SPDX-License-Identifier: MIT
// The server as a whole: the pages from web/ with their headers, path traversal in
// the forms a browser or an attacker sends, conditional requests, and a graceful
// stop that lets a request in flight finish.
#include <arpa/inet.h>
#include <netinet/in.h>
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
		CHECK(csp && strstr(csp, "default-src 'self'") && strstr(csp, "frame-ancestors 'none'"));
		CHECK_STR(http_header(&r, "X-Content-Type-Options", v, sizeof v), "nosniff");
		if (i < 3)
			CHECK(r.body && strstr(r.body, "<html lang=\"eu\">"));
		http_response_free(&r);
	}
}

static void test_traversal_never_escapes(void)
{
	static const char *const attempts[] = {
		"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/..%2f..%2fetc%2fpasswd", "/%252e%252e/etc/passwd", "/.%2e/.%2e/etc/passwd",
		"/..\\..\\etc\\passwd", "/static/../../etc/passwd", "//etc/passwd", "/%2Fetc%2Fpasswd",
		"/.git/HEAD", "/index.html%00.css", "/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt",
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

int main(void)
{
	if (!ts_start(&server, NULL))
		return 1;
	RUN(test_pages);
	RUN(test_traversal_never_escapes);
	RUN(test_head_and_etag);
	CHECK_INT(ts_stop(&server), 0);
	RUN(test_graceful_stop_finishes_requests_in_flight);
	return CHECK_EXIT();
}
