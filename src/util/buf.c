// SPDX-License-Identifier: MIT
// The capped growable buffer (include/harreman/buf.h).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/buf.h"
#include "harreman/banned.h"

void hm_buf_init(struct hm_buf *buf, size_t cap)
{
	buf->data = NULL;
	buf->len = 0;
	buf->alloc = 0;
	buf->cap = cap;
}

static bool buf_reserve(struct hm_buf *buf, size_t extra)
{
	if (extra > buf->cap || buf->len > buf->cap - extra)
		return false;
	size_t need = buf->len + extra + 1;
	if (need <= buf->alloc)
		return true;
	size_t grow = buf->alloc ? buf->alloc : 256;
	while (grow < need)
		grow *= 2;
	if (grow > buf->cap + 1)
		grow = buf->cap + 1;
	char *p = realloc(buf->data, grow);
	if (!p)
		return false;
	buf->data = p;
	buf->alloc = grow;
	return true;
}

bool hm_buf_append(struct hm_buf *buf, const void *data, size_t len)
{
	if (!buf_reserve(buf, len))
		return false;
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
	return true;
}

bool hm_buf_printf(struct hm_buf *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(buf, (size_t)n))
		return false;
	va_start(ap, fmt);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t)n;
	return true;
}

char *hm_buf_detach(struct hm_buf *buf, size_t *len)
{
	char *out = buf->data;
	if (!out)
		out = calloc(1, 1);
	if (len)
		*len = out ? buf->len : 0;
	buf->data = NULL;
	buf->len = 0;
	buf->alloc = 0;
	return out;
}

void hm_buf_release(struct hm_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = 0;
	buf->alloc = 0;
}
