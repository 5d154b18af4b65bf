// SPDX-License-Identifier: MIT
// The API test harness (harness.h): a child process running the real server, and a
// small blocking HTTP/1.1 client over sockets.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "harreman/timefmt.h"

const char *ts_binary(void)
{
	const char *env = getenv("HARREMAN_BIN");
	return env && *env ? env : HM_TEST_BINARY;
}

const char *ts_web_dir(void)
{
	return HM_TEST_WEB_DIR;
}

static bool has_arg(const char *const *extra, const char *name)
{
	for (; extra && *extra; extra++)
		if (strcmp(*extra, name) == 0)
			return true;
	return false;
}

/* Starts the binary on s's directory; fresh: a new log, else appended to. */
static bool spawn(struct test_server *s, const char *const *extra, bool fresh)
{
	const char *argv[64];
	int n = 0;
	/* HARREMAN_SERVER_WRAPPER: a command (words split at spaces) that runs the
	 * server, e.g. "valgrind --error-exitcode=99 --leak-check=full". */
	char wrapper[512] = "";
	const char *wrap_env = getenv("HARREMAN_SERVER_WRAPPER");
	if (wrap_env)
		snprintf(wrapper, sizeof wrapper, "%s", wrap_env);
	for (char *save = NULL, *w = strtok_r(wrapper, " ", &save); w && n < 20;
	     w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n++] = ts_binary();
	argv[n++] = "serve";
	if (!has_arg(extra, "--listen")) {
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:0";
	}
	if (!has_arg(extra, "--db")) {
		argv[n++] = "--db";
		argv[n++] = s->db;
	}
	if (!has_arg(extra, "--web")) {
		argv[n++] = "--web";
		argv[n++] = ts_web_dir();
	}
	for (; extra && *extra && n < 62; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;

	int out[2];
	if (pipe(out) != 0)
		return false;
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int log = open(s->log, O_WRONLY | O_CREAT | (fresh ? O_TRUNC : O_APPEND), 0600);
		dup2(out[1], STDOUT_FILENO);
		if (log >= 0)
			dup2(log, STDERR_FILENO);
		close(out[0]);
		execvp(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	close(out[1]);
	s->pid = pid;

	/* Readiness: the "listening on http://127.0.0.1:PORT/" line. */
	char seen[8192] = "";
	size_t used = 0;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		const char *line = strstr(seen, "listening on http://");
		if (line) {
			const char *colon = strchr(line + strlen("listening on http://"), ']');
			colon = strchr(colon ? colon : line + strlen("listening on http://"), ':');
			if (colon && strchr(colon, '/')) {
				s->port = (uint16_t)strtoul(colon + 1, NULL, 10);
				break;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		int left = (wrapper[0] ? 180000 : 60000) -
			   (int)((now.tv_sec - start.tv_sec) * 1000 +
				 (now.tv_nsec - start.tv_nsec) / 1000000);
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		if (left <= 0 || poll(&p, 1, left) <= 0)
			goto fail;
		ssize_t got = read(out[0], seen + used, sizeof seen - used - 1);
		if (got <= 0)
			goto fail;
		used += (size_t)got;
		seen[used] = '\0';
	}
	close(out[0]);
	return true;
fail:
	fprintf(stderr, "harness: the server did not start; its output:\n%s\n", seen);
	close(out[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	s->pid = 0;
	return false;
}

bool ts_start(struct test_server *s, const char *const *extra)
{
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/harreman-test-XXXXXX");
	if (!mkdtemp(s->dir)) {
		perror("mkdtemp");
		return false;
	}
	snprintf(s->db, sizeof s->db, "%s/test.db", s->dir);
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	return spawn(s, extra, true);
}

bool ts_restart(struct test_server *s, const char *const *extra)
{
	if (s->pid > 0 || !s->dir[0])
		return false;
	s->port = 0;
	return spawn(s, extra, false);
}

int ts_kill(struct test_server *s)
{
	int status = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		if (waitpid(s->pid, &status, 0) != s->pid)
			status = -1;
		s->pid = 0;
	}
	return status;
}

int ts_stop(struct test_server *s)
{
	int status = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		if (waitpid(s->pid, &status, 0) == s->pid)
			status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		s->pid = 0;
	}
	if (status != 0) {
		fprintf(stderr, "harness: server exited with %d; its log:\n", status);
		char cmd[256];
		snprintf(cmd, sizeof cmd, "tail -n 60 '%s' >&2", s->log);
		if (system(cmd) != 0)
			fprintf(stderr, "(no log)\n");
	}
	if (s->dir[0]) {
		char cmd[256];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "harness: could not remove %s\n", s->dir);
	}
	return status;
}

static int connect_loopback(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {.tv_sec = 30};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void parse_response(char *data, size_t len, struct http_response *out)
{
	char *end = NULL;
	for (size_t i = 0; i + 3 < len; i++) {
		if (memcmp(data + i, "\r\n\r\n", 4) == 0) {
			end = data + i;
			break;
		}
	}
	if (!end || strncmp(data, "HTTP/1.", 7) != 0)
		return;
	out->status = (int)strtol(data + 9, NULL, 10);
	size_t head_len = (size_t)(end - data);
	out->head = strndup(data, head_len);
	size_t body_len = len - head_len - 4;
	out->body = malloc(body_len + 1);
	if (out->body) {
		memcpy(out->body, end + 4, body_len);
		out->body[body_len] = '\0';
		out->body_len = body_len;
		out->json = json_loadb(out->body, body_len, 0, NULL);
	}
}

bool http_raw(uint16_t port, const char *bytes, size_t len, struct http_response *out)
{
	memset(out, 0, sizeof *out);
	int fd = connect_loopback(port);
	if (fd < 0)
		return false;
	size_t sent = 0;
	while (sent < len) {
		ssize_t n = send(fd, bytes + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* the server may answer (413) and close before all is sent */
		sent += (size_t)n;
	}
	size_t cap = 1 << 16, used = 0;
	char *data = malloc(cap);
	for (;;) {
		if (used + 4096 > cap) {
			cap *= 2;
			data = realloc(data, cap);
		}
		ssize_t n = recv(fd, data + used, cap - used - 1, 0);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	data[used] = '\0';
	parse_response(data, used, out);
	free(data);
	return out->status != 0;
}

bool http_request(uint16_t port, const char *method, const char *path, const char *headers,
		  const char *body, size_t body_len, struct http_response *out)
{
	size_t cap = 4096 + (headers ? strlen(headers) : 0) + body_len;
	char *req = malloc(cap);
	int n = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s",
			 method, path, headers ? headers : "");
	if (body)
		n += snprintf(req + n, cap - (size_t)n, "Content-Length: %zu\r\n", body_len);
	n += snprintf(req + n, cap - (size_t)n, "\r\n");
	if (body) {
		memcpy(req + n, body, body_len);
		n += (int)body_len;
	}
	bool ok = http_raw(port, req, (size_t)n, out);
	free(req);
	return ok;
}

const char *http_header(const struct http_response *r, const char *name, char *buf, size_t size)
{
	if (!r->head)
		return NULL;
	size_t name_len = strlen(name);
	for (const char *line = strstr(r->head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
		const char *p = line + 2;
		if (strncasecmp(p, name, name_len) == 0 && p[name_len] == ':') {
			p += name_len + 1;
			while (*p == ' ')
				p++;
			size_t len = strcspn(p, "\r\n");
			if (len >= size)
				len = size - 1;
			memcpy(buf, p, len);
			buf[len] = '\0';
			return buf;
		}
	}
	return NULL;
}

void http_response_free(struct http_response *r)
{
	free(r->head);
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

const char *http_error_code(const struct http_response *r)
{
	json_t *code = json_object_get(json_object_get(r->json, "error"), "code");
	return json_string_value(code);
}

void api_client_init(struct api_client *c, uint16_t port)
{
	memset(c, 0, sizeof *c);
	c->port = port;
}

bool api_call(struct api_client *c, const char *method, const char *path, const char *json,
	      struct http_response *out)
{
	char headers[1024] = "";
	size_t used = 0;
	bool unsafe = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
	if (json)
		used += (size_t)snprintf(headers + used, sizeof headers - used,
					 "Content-Type: application/json\r\n");
	if (c->cookie[0])
		used += (size_t)snprintf(headers + used, sizeof headers - used, "Cookie: %s\r\n",
					 c->cookie);
	if (c->cookie[0] && unsafe && c->csrf[0])
		used += (size_t)snprintf(headers + used, sizeof headers - used,
					 "X-CSRF-Token: %s\r\n", c->csrf);
	if (c->bearer[0])
		used += (size_t)snprintf(headers + used, sizeof headers - used,
					 "Authorization: Bearer %s\r\n", c->bearer);
	if (c->forwarded_for[0])
		snprintf(headers + used, sizeof headers - used, "X-Forwarded-For: %s\r\n",
			 c->forwarded_for);
	return http_request(c->port, method, path, headers, json, json ? strlen(json) : 0, out);
}

void api_client_at(struct api_client *c, uint16_t port, const char *forwarded_for)
{
	api_client_init(c, port);
	snprintf(c->forwarded_for, sizeof c->forwarded_for, "%s", forwarded_for);
}

int api_status(struct api_client *c, const char *method, const char *path, const char *json)
{
	struct http_response r;
	api_call(c, method, path, json, &r);
	int status = r.status;
	http_response_free(&r);
	return status;
}

bool api_make_tutor(struct api_client *c, json_int_t tutor_id, const char *subject,
		    const int *weekdays, int n, const char *starts, const char *ends)
{
	char body[1024], path[128];
	snprintf(body, sizeof body, "{\"subjects\":[\"%s\"],\"bio\":\"\"}", subject);
	snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)tutor_id);
	if (api_status(c, "PUT", path, body) != 200)
		return false;
	int days = weekdays ? n : 7;
	size_t used = (size_t)snprintf(body, sizeof body, "{\"windows\":[");
	for (int i = 0; i < days && used < sizeof body; i++)
		used += (size_t)snprintf(body + used, sizeof body - used,
					 "%s{\"weekday\":%d,\"starts\":\"%s\",\"ends\":\"%s\"}",
					 i ? "," : "", weekdays ? weekdays[i] : i + 1, starts,
					 ends);
	if (used >= sizeof body - 2)
		return false;
	snprintf(body + used, sizeof body - used, "]}");
	snprintf(path, sizeof path, "/api/v1/tutors/%lld/availability", (long long)tutor_id);
	return api_status(c, "PUT", path, body) == 200;
}

json_t *http_json(const struct http_response *r, const char *key)
{
	return json_object_get(r->json, key);
}

const char *json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

json_int_t json_int(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

void api_day_text(int64_t day, char out[16])
{
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

json_int_t api_me_client_id(struct api_client *c)
{
	struct http_response r;
	if (!api_call(c, "GET", "/api/v1/me", NULL, &r))
		return 0;
	json_int_t id = json_int(http_json(&r, "client"), "id");
	http_response_free(&r);
	return id;
}

int api_contract_one_off(struct api_client *staff, json_int_t client, json_int_t service)
{
	char body[256];
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"one_off\",\"sessions\":1,"
		 "\"channel\":\"phone\"}",
		 (long long)client, (long long)service);
	return api_status(staff, "POST", "/api/v1/contracts", body);
}

json_int_t api_maths_service(struct api_client *staff)
{
	struct http_response r;
	if (!api_call(staff, "GET", "/api/v1/me", NULL, &r))
		return 0;
	json_int_t tutor = json_int(http_json(&r, "user"), "id");
	http_response_free(&r);
	if (!api_make_tutor(staff, tutor, "maths", NULL, 0, "08:00", "22:00"))
		return 0;
	if (!api_call(staff, "POST", "/api/v1/services",
		      "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
		      "\"duration_min\":60,\"price_cents\":3000,\"capacity\":1}",
		      &r))
		return 0;
	json_int_t id = r.status == 201 ? json_int(r.json, "id") : 0;
	http_response_free(&r);
	return id;
}

int api_mandate(struct api_client *staff, json_int_t client, const char *iban, const char *holder)
{
	char path[96], body[256];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/mandates", (long long)client);
	snprintf(body, sizeof body,
		 "{\"iban\":\"%s\",\"holder_name\":\"%s\",\"signed_on\":\"2026-01-10\"}", iban,
		 holder);
	return api_status(staff, "POST", path, body);
}

json_t *api_invoices_of(struct api_client *staff, json_int_t client)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/invoices?client_id=%lld", (long long)client);
	struct http_response r;
	if (!api_call(staff, "GET", path, NULL, &r))
		return NULL;
	json_t *items = r.status == 200 ? json_incref(http_json(&r, "items")) : NULL;
	http_response_free(&r);
	return items;
}

const char *http_error_field(const struct http_response *r, const char *field)
{
	json_t *fields = json_object_get(json_object_get(r->json, "error"), "fields");
	return json_string_value(json_object_get(fields, field));
}

/* Keeps the session cookie and CSRF token of a {user, client, csrf_token} answer. */
static void keep_session(struct api_client *c, const struct http_response *r)
{
	char cookie[256];
	if (http_header(r, "Set-Cookie", cookie, sizeof cookie)) {
		size_t len = strcspn(cookie, ";");
		if (len < sizeof c->cookie) {
			memcpy(c->cookie, cookie, len);
			c->cookie[len] = '\0';
		}
	}
	const char *csrf = json_string_value(json_object_get(r->json, "csrf_token"));
	if (csrf)
		snprintf(c->csrf, sizeof c->csrf, "%s", csrf);
}

/* POSTs body (a JSON object, stolen) to path; keeps the session on `expect`. */
static int post_for_session(struct api_client *c, const char *path, json_t *body, int expect)
{
	char *text = json_dumps(body, 0);
	struct http_response r;
	api_call(c, "POST", path, text, &r);
	if (r.status == expect)
		keep_session(c, &r);
	int status = r.status;
	http_response_free(&r);
	free(text);
	json_decref(body);
	return status;
}

int api_login(struct api_client *c, const char *email, const char *password)
{
	return post_for_session(c, "/api/v1/auth/login",
				json_pack("{s:s, s:s}", "email", email, "password", password), 200);
}

int api_register(struct api_client *c, const char *email, const char *password,
		 const char *full_name)
{
	return post_for_session(c, "/api/v1/auth/register",
				json_pack("{s:s, s:s, s:s}", "email", email, "password", password,
					  "full_name", full_name),
				201);
}

bool ts_add_user(const struct test_server *s, const char *role, const char *email, const char *name,
		 const char *password)
{
	const char *args[] = {"user",   "add", "--role", role,  "--email", email,
			      "--name", name,  "--db",   s->db, NULL};
	char *out = NULL;
	int status = run_cli(args, NULL, password, &out);
	if (status != 0)
		fprintf(stderr, "harness: user add failed: %s\n", out ? out : "");
	free(out);
	return status == 0;
}

int run_program(const char *const *argv, const char *input, size_t input_len, char **out)
{
	int in_pipe[2], out_pipe[2];
	*out = NULL;
	if (pipe(in_pipe) != 0)
		return -1;
	if (pipe(out_pipe) != 0) {
		close(in_pipe[0]);
		close(in_pipe[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in_pipe[0], STDIN_FILENO);
		dup2(out_pipe[1], STDOUT_FILENO);
		close(in_pipe[1]);
		close(out_pipe[0]);
		const char *copy[32];
		int n = 0;
		for (; argv[n] && n < 31; n++)
			copy[n] = argv[n];
		copy[n] = NULL;
		execv(copy[0], (char *const *)(void *)copy);
		_exit(127);
	}
	close(in_pipe[0]);
	close(out_pipe[1]);
	/* Write and read in turns, so a large input and output cannot deadlock. */
	size_t sent = 0, cap = 4096, used = 0;
	char *text = malloc(cap);
	bool writing = input_len > 0;
	if (!writing)
		close(in_pipe[1]);
	for (;;) {
		struct pollfd p[2] = {{.fd = out_pipe[0], .events = POLLIN},
				      {.fd = writing ? in_pipe[1] : -1, .events = POLLOUT}};
		if (poll(p, 2, 60000) <= 0)
			break;
		if (writing && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = write(in_pipe[1], input + sent, input_len - sent);
			if (n > 0)
				sent += (size_t)n;
			if (n <= 0 || sent == input_len) {
				close(in_pipe[1]);
				writing = false;
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (used + 4097 > cap)
				text = realloc(text, cap *= 2);
			ssize_t n = read(out_pipe[0], text + used, cap - used - 1);
			if (n <= 0)
				break;
			used += (size_t)n;
		}
	}
	if (writing)
		close(in_pipe[1]);
	close(out_pipe[0]);
	text[used] = '\0';
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		free(text);
		return -1;
	}
	*out = text;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_cli(const char *const *args, const char *input, const char *password, char **out)
{
	int in_pipe[2], out_pipe[2];
	*out = NULL;
	if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in_pipe[0], STDIN_FILENO);
		dup2(out_pipe[1], STDOUT_FILENO);
		dup2(out_pipe[1], STDERR_FILENO);
		close(in_pipe[1]);
		close(out_pipe[0]);
		if (password)
			setenv("HARREMAN_PASSWORD", password, 1);
		else
			unsetenv("HARREMAN_PASSWORD");
		const char *argv[32];
		int n = 0;
		argv[n++] = ts_binary();
		for (; *args && n < 31; args++)
			argv[n++] = *args;
		argv[n] = NULL;
		execv(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	close(in_pipe[0]);
	close(out_pipe[1]);
	if (input && write(in_pipe[1], input, strlen(input)) < 0)
		perror("write");
	close(in_pipe[1]);
	size_t cap = 4096, used = 0;
	char *text = malloc(cap);
	ssize_t n;
	while ((n = read(out_pipe[0], text + used, cap - used - 1)) > 0) {
		used += (size_t)n;
		if (used + 1 >= cap)
			text = realloc(text, cap *= 2);
	}
	text[used] = '\0';
	close(out_pipe[0]);
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	*out = text;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
