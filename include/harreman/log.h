/* SPDX-License-Identifier: MIT */
/* Line-oriented logging to standard error: one line per event, UTC timestamps.
 * A line identical to one logged less than a second ago (same level, same text)
 * is counted instead of written; the count comes out with the message once the
 * second is over ("... (repeated 6,604 times in the last second)"), so a failure
 * that every request meets cannot flood the log. */
#ifndef HARREMAN_LOG_H
#define HARREMAN_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum hm_log_level { HM_LOG_DEBUG, HM_LOG_INFO, HM_LOG_WARN, HM_LOG_ERROR };

/* Messages below this level are dropped (default HM_LOG_INFO). */
void hm_log_set_level(enum hm_log_level level);

/* Writes one line, or, for a warning or an error, counts it when the same level
 * and text was written less than a second ago; the next one after that second
 * carries the count. Any thread. */
void hm_log(enum hm_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes the counts of lines whose second is over (all: every count, at a stop)
 * and that have not come again ("... (repeated N times in the last second)"). The
 * server's housekeeping calls it twice a second, and its stop with all: nothing
 * is counted and never told. Any thread. */
void hm_log_flush_repeats(bool all);

/* The clock the repeat counting reads, in milliseconds (monotonic); NULL
 * restores the real one. For tests. */
void hm_log_set_clock(long long (*now_ms)(void));

/* Copies untrusted text (a request path) into out for a log line: control bytes,
 * quotes and backslashes become \xNN, so nobody can forge or split a line. */
void hm_log_escape(const char *in, char *out, size_t size);

/* Hides the secrets some paths carry (the token of /calendar/<token>.ics) in a
 * path already copied for a log line: it becomes "/calendar/[redacted]". */
void hm_log_redact_path(char *path, size_t size);

#define hm_log_info(...) hm_log(HM_LOG_INFO, __VA_ARGS__)
#define hm_log_warn(...) hm_log(HM_LOG_WARN, __VA_ARGS__)
#define hm_log_error(...) hm_log(HM_LOG_ERROR, __VA_ARGS__)

#endif
