/* SPDX-License-Identifier: MIT */
/* Line-oriented logging to standard error: one line per event, UTC timestamps. */
#ifndef HARREMAN_LOG_H
#define HARREMAN_LOG_H

#include <stddef.h>

enum hm_log_level { HM_LOG_DEBUG, HM_LOG_INFO, HM_LOG_WARN, HM_LOG_ERROR };

/* Messages below this level are dropped (default HM_LOG_INFO). */
void hm_log_set_level(enum hm_log_level level);

void hm_log(enum hm_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
