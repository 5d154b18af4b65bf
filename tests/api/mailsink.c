// SPDX-License-Identifier: MIT
// The SMTP sink and iCalendar checker children (mailsink.h).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mailsink.h"

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Takes the complete lines of k->pending as events. */
static void take_lines(struct mail_sink *k)
{
	char *start = k->pending, *nl;
	while ((nl = memchr(start, '\n', k->used - (size_t)(start - k->pending))) != NULL) {
		json_t *event = json_loadb(start, (size_t)(nl - start), 0, NULL);
		if (event)
			json_array_append_new(k->events, event);
		else
			fprintf(stderr, "sink: not JSON: %.*s\n", (int)(nl - start), start);
		start = nl + 1;
	}
	size_t left = k->used - (size_t)(start - k->pending);
	memmove(k->pending, start, left);
	k->used = left;
}

void sink_read(struct mail_sink *k, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - now_ms();
		struct pollfd p = {.fd = k->fd, .events = POLLIN};
		if (k->fd < 0 || poll(&p, 1, left > 0 ? (int)left : 0) <= 0)
			return;
		if (k->used + 1 >= sizeof k->pending) {
			fprintf(stderr, "sink: a line longer than %zu bytes\n", sizeof k->pending);
			k->used = 0;
		}
		ssize_t n = read(k->fd, k->pending + k->used, sizeof k->pending - k->used - 1);
		if (n <= 0) {
			close(k->fd);
			k->fd = -1;
			return;
		}
		k->used += (size_t)n;
		take_lines(k);
		timeout_ms = 0; /* got something: only drain what else is there */
		deadline = now_ms();
	}
}

static bool matches(json_t *ev, const char *event, const char *field, const char *text)
{
	const char *name = json_string_value(json_object_get(ev, "event"));
	if (!name || strcmp(name, event) != 0)
		return false;
	if (!field)
		return true;
	json_t *value = json_object_get(ev, field);
	if (json_is_array(value)) {
		size_t i;
		json_t *item;
		json_array_foreach(value, i,
				   item) if (json_is_string(item) &&
					     strstr(json_string_value(item), text)) return true;
		return false;
	}
	return json_is_string(value) && strstr(json_string_value(value), text);
}

json_t *sink_wait(struct mail_sink *k, const char *event, const char *field, const char *text,
		  int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	size_t seen = 0;
	for (;;) {
		for (; seen < json_array_size(k->events); seen++)
			if (matches(json_array_get(k->events, seen), event, field, text))
				return json_array_get(k->events, seen);
		int64_t left = deadline - now_ms();
		if (left <= 0 || k->fd < 0)
			return NULL;
		struct pollfd p = {.fd = k->fd, .events = POLLIN};
		if (poll(&p, 1, (int)left) > 0)
			sink_read(k, 0);
	}
}

size_t sink_count(struct mail_sink *k, const char *event, const char *field, const char *text)
{
	size_t n = 0, i;
	json_t *ev;
	sink_read(k, 0);
	json_array_foreach(k->events, i, ev) if (matches(ev, event, field, text)) n++;
	return n;
}

bool sink_start(struct mail_sink *k, uint16_t port, const char *const *extra)
{
	char port_text[16];
	const char *argv[16];
	int n = 0, out[2];
	memset(k, 0, sizeof *k);
	k->fd = -1;
	k->events = json_array();
	snprintf(port_text, sizeof port_text, "%u", port);
	argv[n++] = HM_TEST_PYTHON;
	argv[n++] = HM_TEST_TOOLS_DIR "/smtp_sink.py";
	argv[n++] = "--port";
	argv[n++] = port_text;
	for (; extra && *extra && n < 15; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (pipe(out) != 0)
		return false;
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execv(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	close(out[1]);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	k->pid = pid;
	k->fd = out[0];
	json_t *ready = sink_wait(k, "listening", NULL, NULL, 30000);
	if (!ready) {
		fprintf(stderr, "sink: it did not start (%s)\n", HM_TEST_PYTHON);
		sink_stop(k);
		return false;
	}
	k->port = (uint16_t)json_integer_value(json_object_get(ready, "port"));
	return k->port != 0;
}

void sink_stop(struct mail_sink *k)
{
	if (k->pid > 0) {
		kill(k->pid, SIGKILL);
		waitpid(k->pid, NULL, 0);
		k->pid = 0;
	}
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	json_decref(k->events);
	k->events = NULL;
}

const char *sink_url(const struct mail_sink *k, char *buf, size_t size)
{
	snprintf(buf, size, "smtp://127.0.0.1:%u", k->port);
	return buf;
}

json_t *ical_check(const char *text, size_t len)
{
	const char *argv[] = {HM_TEST_PYTHON, HM_TEST_TOOLS_DIR "/ical_check.py", NULL};
	char *out = NULL;
	int status = run_program(argv, text, len, &out);
	json_t *verdict = out ? json_loads(out, 0, NULL) : NULL;
	if (!verdict)
		fprintf(stderr, "ical_check exited %d: %s\n", status, out ? out : "");
	free(out);
	return verdict;
}
