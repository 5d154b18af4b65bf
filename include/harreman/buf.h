/* SPDX-License-Identifier: MIT */
/* A growable byte buffer with a hard cap, always NUL-terminated (in the manner of
 * curl's dynbuf). The buffer owns its memory until hm_buf_detach hands it over. */
#ifndef HARREMAN_BUF_H
#define HARREMAN_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct hm_buf {
	char *data;   /* NUL-terminated when len > 0; NULL before the first append */
	size_t len;   /* bytes held, not counting the terminator */
	size_t alloc; /* bytes allocated */
	size_t cap;   /* the most bytes this buffer may ever hold */
};

/* Prepares an empty buffer that will refuse to grow beyond cap bytes. */
void hm_buf_init(struct hm_buf *buf, size_t cap);

/* Appends len bytes. Returns false (buffer unchanged) when the cap would be
 * exceeded or memory ran out. */
bool hm_buf_append(struct hm_buf *buf, const void *data, size_t len);

/* Appends a printf-style formatted string; false as hm_buf_append. */
bool hm_buf_printf(struct hm_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Gives the bytes to the caller (free() them); the buffer is left empty. Returns an
 * empty allocated string for an empty buffer, NULL only when out of memory. */
char *hm_buf_detach(struct hm_buf *buf, size_t *len);

/* Frees the bytes; the buffer is empty and reusable with the same cap. */
void hm_buf_release(struct hm_buf *buf);

#endif
