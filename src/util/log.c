// SPDX-License-Identifier: MIT
// Logging to standard error (include/harreman/log.h). Each line is written with
// one call, so lines from worker threads never interleave.
#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "harreman/log.h"
#include "harreman/banned.h"

static atomic_int min_level = HM_LOG_INFO;

void hm_log_set_level(enum hm_log_level level)
{
	atomic_store(&min_level, (int)level);
}

void hm_log_escape(const char *in, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t used = 0;
	if (size == 0)
		return;
	for (; in && *in; in++) {
		unsigned char c = (unsigned char)*in;
		bool plain = c >= 0x20 && c != 0x7F && c != '"' && c != '\\';
		size_t need = plain ? 1 : 4;
		if (used + need >= size)
			break;
		if (plain) {
			out[used++] = (char)c;
		} else {
			out[used++] = '\\';
			out[used++] = 'x';
			out[used++] = hex[c >> 4];
			out[used++] = hex[c & 15];
		}
	}
	out[used] = '\0';
}

void hm_log(enum hm_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
	if ((int)level < atomic_load(&min_level))
		return;

	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	time_t secs = tv.tv_sec;
	gmtime_r(&secs, &tm);

	char line[2048];
	int head = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s ",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec, (long)(tv.tv_usec / 1000), names[level]);
	if (head < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	int body = vsnprintf(line + head, sizeof line - (size_t)head - 1, fmt, ap);
	va_end(ap);
	if (body < 0)
		return;
	size_t len = (size_t)head + (size_t)body;
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
}

void hm_log_redact_path(char *path, size_t size)
{
	static const char prefix[] = "/calendar/";
	if (strncmp(path, prefix, sizeof prefix - 1) == 0 && path[sizeof prefix - 1])
		snprintf(path, size, "%s[redacted]", prefix);
}
