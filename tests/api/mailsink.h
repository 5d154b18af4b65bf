/* SPDX-License-Identifier: MIT */
/* A real SMTP server for the API tests: tests/smtp_sink.py (standard library
 * only) run as a child on 127.0.0.1, which reports every event as a JSON line on a
 * pipe; this side reads them as they come (poll, no sleeps) and keeps them. Also
 * the iCalendar checker, tests/ical_check.py, which parses a feed with
 * python3-icalendar. */
#ifndef HARREMAN_TESTS_MAILSINK_H
#define HARREMAN_TESTS_MAILSINK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mail_sink {
	pid_t pid;
	int fd; /* the sink's standard output */
	uint16_t port;
	char pending[1 << 16]; /* a partial line */
	size_t used;
	json_t *events; /* every event so far, in order (owned) */
};

/* Starts a sink on port (0: any free port). extra: more arguments, NULL-terminated
 * (may be NULL), e.g. {"--hang-at", "rcpt", NULL}. False when it did not say it
 * was listening within 30 s. */
bool sink_start(struct mail_sink *k, uint16_t port, const char *const *extra);

/* Kills the sink, waits for it and frees its events. Safe to call twice. */
void sink_stop(struct mail_sink *k);

/* Reads what the sink has said for up to timeout_ms (0: only what is there now). */
void sink_read(struct mail_sink *k, int timeout_ms);

/* The first event named event whose string member field contains text (field NULL:
 * any), waiting up to timeout_ms for it to arrive. Borrowed from k; NULL when it
 * did not come. */
json_t *sink_wait(struct mail_sink *k, const char *event, const char *field, const char *text,
		  int timeout_ms);

/* How many such events arrived so far (reads what is there first). */
size_t sink_count(struct mail_sink *k, const char *event, const char *field, const char *text);

/* "smtp://127.0.0.1:PORT" for k, in a static buffer per call site. */
const char *sink_url(const struct mail_sink *k, char *buf, size_t size);

/* Runs tests/ical_check.py on an iCalendar text; returns its JSON verdict (caller
 * owns; NULL when it could not run or said nothing parseable). */
json_t *ical_check(const char *text, size_t len);

#endif
