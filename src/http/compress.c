// SPDX-License-Identifier: MIT
// Compressed answers (include/harreman/compress.h): Accept-Encoding read range by
// range with its q-values, and zlib's gzip or zlib (deflate) coding of a reply's
// body, a static file read into memory first. Only the body changes: status and
// headers stay, a strong ETag becomes weak (RFC 9110 8.8.1: the same content in
// other bytes), and Vary: Accept-Encoding says the answer depends on the header.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <zlib.h>

#include "harreman/compress.h"
#include "harreman/banned.h"

static const char *skip_ows(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A q-value in [p, end) as thousandths; -1 when malformed. */
static int qvalue(const char *p, const char *end)
{
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end || (*p != '0' && *p != '1'))
		return -1;
	int whole = *p++ - '0', frac = 0, digits = 0;
	if (p < end && *p == '.')
		for (p++; p < end && digits < 3 && *p >= '0' && *p <= '9'; p++, digits++)
			frac = frac * 10 + (*p - '0');
	for (; digits < 3; digits++)
		frac *= 10;
	if (p != end || (whole == 1 && frac != 0))
		return -1;
	return whole * 1000 + frac;
}

enum hm_encoding hm_encoding_negotiate(const char *header)
{
	int gzip = -1, deflate = -1, any = -1;
	for (const char *p = header; p && *p;) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *name = skip_ows(p, end), *name_end = name;
		while (name_end < end && *name_end != ';' && *name_end != ' ' && *name_end != '\t')
			name_end++;
		size_t n = (size_t)(name_end - name);
		const char *rest = skip_ows(name_end, end);
		int q = 1000;
		if (rest < end) {
			rest = *rest == ';' ? skip_ows(rest + 1, end) : end;
			q = end - rest > 2 && (rest[0] | 0x20) == 'q' && rest[1] == '='
				    ? qvalue(rest + 2, end)
				    : -1;
		}
		if (q >= 0) {
			if ((n == 4 && strncasecmp(name, "gzip", 4) == 0) ||
			    (n == 6 && strncasecmp(name, "x-gzip", 6) == 0))
				gzip = q > gzip ? q : gzip;
			else if (n == 7 && strncasecmp(name, "deflate", 7) == 0)
				deflate = q > deflate ? q : deflate;
			else if (n == 1 && *name == '*')
				any = q > any ? q : any;
		}
		p = *end ? end + 1 : end;
	}
	if (gzip < 0)
		gzip = any;
	if (deflate < 0)
		deflate = any;
	if (gzip > 0 && gzip >= deflate)
		return HM_ENC_GZIP;
	return deflate > 0 ? HM_ENC_DEFLATE : HM_ENC_IDENTITY;
}

bool hm_compressible_type(const char *type)
{
	static const char *const kinds[] = {"text/",
					    "application/json",
					    "application/javascript",
					    "application/xml",
					    "application/manifest+json",
					    "image/svg+xml",
					    NULL};
	for (int i = 0; type && kinds[i]; i++)
		if (strncasecmp(type, kinds[i], strlen(kinds[i])) == 0)
			return true;
	return false;
}

bool hm_compress(enum hm_encoding enc, const void *in, size_t len, unsigned char **out,
		 size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	/* windowBits 15 + 16: a gzip wrapper; 15 alone: zlib's, which HTTP calls deflate. */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, enc == HM_ENC_GZIP ? 31 : 15, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	size_t cap = deflateBound(&z, (uLong)len);
	unsigned char *buf = malloc(cap);
	bool ok = buf != NULL;
	if (ok) {
		z.next_in = (Bytef *)(uintptr_t)in;
		z.avail_in = (uInt)len;
		z.next_out = buf;
		z.avail_out = (uInt)cap;
		ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
	}
	if (ok) {
		*out = buf;
		*out_len = cap - z.avail_out;
	} else {
		free(buf);
	}
	deflateEnd(&z);
	return ok;
}

/* The file of reply read into a new buffer (the fd closed): false when it cannot
 * be read whole. */
static bool read_file(struct hm_reply *reply, unsigned char **data)
{
	size_t size = (size_t)reply->file_size, got = 0;
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		return false;
	while (got < size) {
		ssize_t n = pread(reply->file_fd, buf + got, size - got, (off_t)got);
		if (n <= 0) {
			free(buf);
			return false;
		}
		got += (size_t)n;
	}
	*data = buf;
	return true;
}

/* "\"abc\"" -> "W/\"abc\"" in place of the reply's ETag (a weak one stays). */
static bool weaken_etag(struct hm_reply *reply)
{
	for (size_t i = 0; i < reply->n_headers; i++) {
		struct hm_header *hd = &reply->headers[i];
		if (strcasecmp(hd->name, "ETag") != 0 || hd->value[0] != '"')
			continue;
		size_t len = strlen(hd->value);
		char *weak = malloc(len + 3);
		if (!weak)
			return false;
		snprintf(weak, len + 3, "W/%s", hd->value);
		free(hd->value);
		hd->value = weak;
	}
	return true;
}

/* Adds Accept-Encoding to the reply's Vary header (one header, a list). */
static bool vary_on_encoding(struct hm_reply *reply)
{
	for (size_t i = 0; i < reply->n_headers; i++) {
		struct hm_header *hd = &reply->headers[i];
		if (strcasecmp(hd->name, "Vary") != 0)
			continue;
		size_t len = strlen(hd->value) + sizeof ", Accept-Encoding";
		char *both = malloc(len);
		if (!both)
			return false;
		snprintf(both, len, "%s, Accept-Encoding", hd->value);
		free(hd->value);
		hd->value = both;
		return true;
	}
	return hm_reply_header(reply, "Vary", "Accept-Encoding");
}

bool hm_reply_compress(struct hm_reply *reply, const char *accept_encoding)
{
	if (reply->status != 200 || !hm_compressible_type(reply->content_type) || reply->json)
		return true;
	if (!vary_on_encoding(reply))
		return false;
	enum hm_encoding enc = hm_encoding_negotiate(accept_encoding);
	bool file = reply->file_fd >= 0;
	size_t size = file ? (size_t)reply->file_size : reply->body_len;
	if (enc == HM_ENC_IDENTITY || size < HM_COMPRESS_MIN_BYTES ||
	    size > HM_COMPRESS_MAX_BYTES || (!file && !reply->body))
		return true;
	unsigned char *plain = NULL, *coded = NULL;
	size_t coded_len = 0;
	if (file && !read_file(reply, &plain))
		return true; /* sent from the file as it is */
	bool ok = hm_compress(enc, file ? plain : (const unsigned char *)reply->body, size, &coded,
			      &coded_len);
	free(plain);
	if (!ok)
		return false;
	if (!hm_reply_header(reply, "Content-Encoding", enc == HM_ENC_GZIP ? "gzip" : "deflate") ||
	    !weaken_etag(reply)) {
		free(coded);
		return false;
	}
	if (file) {
		close(reply->file_fd);
		reply->file_fd = -1;
	}
	free(reply->body);
	reply->body = (char *)coded;
	reply->body_len = coded_len;
	return true;
}
