// SPDX-License-Identifier: MIT
// Logging to standard error (include/harreman/log.h). Each line is written with
// one call, so lines from worker threads never interleave. Repeats are counted in
// a small table of the lines seen last (least recently seen one out), under one
// mutex; a line longer than a table entry holds is always written.
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "harreman/log.h"
#include "harreman/banned.h"

static atomic_int min_level = HM_LOG_INFO;

#define REPEAT_WINDOW_MS 1000
#define REPEAT_SLOTS 64
#define REPEAT_TEXT 512

/* A line written lately: its level and text, when its second began, how often it
 * came again since (not written), and when it was last seen (for eviction). */
struct repeat {
	int level;
	bool used;
	uint64_t hash;
	long long window_start;
	unsigned long long suppressed;
	unsigned long long seen;
	char text[REPEAT_TEXT];
};

static pthread_mutex_t repeats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct repeat repeats[REPEAT_SLOTS];
static unsigned long long repeats_seen;

static long long real_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static _Atomic(long long (*)(void)) clock_ms = real_now_ms;

void hm_log_set_clock(long long (*now_ms)(void))
{
	atomic_store(&clock_ms, now_ms ? now_ms : real_now_ms);
}

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

/* FNV-1a of text. */
static uint64_t text_hash(const char *text)
{
	uint64_t h = 1469598103934665603u;
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 1099511628211u;
	return h;
}

/* "6604" as "6,604". */
static void with_commas(unsigned long long n, char out[32])
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", n), used = 0;
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[used++] = ',';
		out[used++] = digits[i];
	}
	out[used] = '\0';
}

/* Writes "<time> <LEVEL> <text>[ (repeated N times in the last second)]\n". */
static void write_line(int level, const char *text, unsigned long long repeated)
{
	static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	time_t secs = tv.tv_sec;
	gmtime_r(&secs, &tm);

	char line[2200], count[32] = "";
	if (repeated)
		with_commas(repeated, count);
	int len = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s %s%s%s%s",
			   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			   tm.tm_sec, (long)(tv.tv_usec / 1000), names[level], text,
			   repeated ? " (repeated " : "", count,
			   repeated ? (repeated == 1 ? " time in the last second)"
						     : " times in the last second)")
				    : "");
	if (len < 0)
		return;
	if ((size_t)len > sizeof line - 2)
		len = (int)sizeof line - 2;
	line[len++] = '\n';
	fwrite(line, 1, (size_t)len, stderr);
}

/* Writes the count of a line whose second is over (repeats_lock held). */
static void flush_one(struct repeat *r, long long now)
{
	if (r->suppressed) {
		write_line(r->level, r->text, r->suppressed);
		r->suppressed = 0;
		r->window_start = now;
	}
}

void hm_log_flush_repeats(bool all)
{
	long long now = atomic_load(&clock_ms)();
	pthread_mutex_lock(&repeats_lock);
	for (size_t i = 0; i < REPEAT_SLOTS; i++)
		if (repeats[i].used && (all || now - repeats[i].window_start >= REPEAT_WINDOW_MS))
			flush_one(&repeats[i], now);
	pthread_mutex_unlock(&repeats_lock);
}

/* Writes text at level, or counts it (see log.h). */
static void log_text(int level, const char *text)
{
	size_t len = strlen(text);
	/* Only warnings and errors repeat (a full disk, a lost relay); an INFO line is
	 * an access line with its own request id, and must not queue every request
	 * thread behind one lock. */
	if (level < HM_LOG_WARN || len >= REPEAT_TEXT) {
		write_line(level, text, 0);
		return;
	}
	uint64_t hash = text_hash(text);
	long long now = atomic_load(&clock_ms)();
	pthread_mutex_lock(&repeats_lock);
	struct repeat *slot = NULL, *oldest = &repeats[0];
	for (size_t i = 0; i < REPEAT_SLOTS; i++) {
		struct repeat *r = &repeats[i];
		if (r->used && r->hash == hash && r->level == level && strcmp(r->text, text) == 0) {
			slot = r;
			break;
		}
		if (!r->used || (oldest->used && r->seen < oldest->seen))
			oldest = r;
	}
	if (slot) {
		slot->seen = ++repeats_seen;
		if (now - slot->window_start < REPEAT_WINDOW_MS) {
			slot->suppressed++;
		} else {
			/* A new second: the line, with what the last one held back. */
			write_line(level, text, slot->suppressed);
			slot->suppressed = 0;
			slot->window_start = now;
		}
		pthread_mutex_unlock(&repeats_lock);
		return;
	}
	if (oldest->used)
		flush_one(oldest, now); /* its count is not lost with it */
	*oldest = (struct repeat){.level = level,
				  .used = true,
				  .hash = hash,
				  .window_start = now,
				  .seen = ++repeats_seen};
	memcpy(oldest->text, text, len + 1);
	write_line(level, text, 0);
	pthread_mutex_unlock(&repeats_lock);
}

void hm_log(enum hm_log_level level, const char *fmt, ...)
{
	if ((int)level < atomic_load(&min_level))
		return;
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	log_text((int)level, text);
}

void hm_log_redact_path(char *path, size_t size)
{
	static const char prefix[] = "/calendar/";
	if (strncmp(path, prefix, sizeof prefix - 1) == 0 && path[sizeof prefix - 1])
		snprintf(path, size, "%s[redacted]", prefix);
}
