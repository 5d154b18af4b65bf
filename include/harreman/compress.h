/* SPDX-License-Identifier: MIT */
/* Compressed answers (issue 13): which content coding a client accepts
 * (Accept-Encoding, RFC 9110 12.5.3, as a pure function), and a reply's body --
 * JSON, a static file, a calendar -- sent gzip- or deflate-coded when it is text
 * worth compressing. The server applies it to every reply just before sending. */
#ifndef HARREMAN_COMPRESS_H
#define HARREMAN_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "harreman/http.h"

/* Bodies smaller than this go as they are (the coding's overhead eats the gain). */
#define HM_COMPRESS_MIN_BYTES 1024
/* Bodies (files) larger than this go as they are (read into memory otherwise). */
#define HM_COMPRESS_MAX_BYTES ((size_t)8 * 1024 * 1024)

enum hm_encoding { HM_ENC_IDENTITY, HM_ENC_GZIP, HM_ENC_DEFLATE };

/* The coding to answer with for an Accept-Encoding header: gzip (or x-gzip) or
 * deflate when accepted with q > 0 (named, or by "*"), the higher q first, gzip on
 * a tie; identity otherwise (NULL, empty or malformed header included). */
enum hm_encoding hm_encoding_negotiate(const char *accept_encoding);

/* Whether a Content-Type is text worth compressing (text/..., JSON, JavaScript,
 * SVG, XML). */
bool hm_compressible_type(const char *content_type);

/* Codes reply's body (hm_reply_encode'd already; a file is read in) as
 * accept_encoding allows, when it is a 200 of a compressible type of at least
 * HM_COMPRESS_MIN_BYTES: Content-Encoding set, a strong ETag made weak (the bytes
 * differ, the content does not). Every compressible 200 says Vary:
 * Accept-Encoding. False only when out of memory (the reply is then as it was). */
bool hm_reply_compress(struct hm_reply *reply, const char *accept_encoding);

/* Codes in[0..len) as enc (gzip or deflate) into a new buffer *out (malloc'd,
 * caller frees) of *out_len bytes. False when out of memory. */
bool hm_compress(enum hm_encoding enc, const void *in, size_t len, unsigned char **out,
		 size_t *out_len);

#endif
