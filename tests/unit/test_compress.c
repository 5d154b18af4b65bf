// SPDX-License-Identifier: MIT
// Compressed answers: Accept-Encoding negotiation (q-values, "*", x-gzip, q=0,
// malformed ranges), gzip and deflate coding that zlib reads back to the same
// bytes, and a reply coded only when it is a 200 of text of some size: a static
// file read in, its ETag made weak, Vary said; small, binary, error or identity
// answers left as they are.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "check.h"
#include "harreman/compress.h"
#include "harreman/http.h"

static void test_negotiate(void)
{
	CHECK_INT(hm_encoding_negotiate(NULL), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate(""), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate("gzip"), HM_ENC_GZIP);
	CHECK_INT(hm_encoding_negotiate("gzip, deflate, br"), HM_ENC_GZIP);
	CHECK_INT(hm_encoding_negotiate("deflate"), HM_ENC_DEFLATE);
	CHECK_INT(hm_encoding_negotiate("br"), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate("x-gzip"), HM_ENC_GZIP);
	CHECK_INT(hm_encoding_negotiate("GZIP;Q=0.5"), HM_ENC_GZIP);
	CHECK_INT(hm_encoding_negotiate("gzip;q=0.5, deflate;q=0.8"), HM_ENC_DEFLATE);
	CHECK_INT(hm_encoding_negotiate("gzip;q=0, deflate"), HM_ENC_DEFLATE);
	CHECK_INT(hm_encoding_negotiate("gzip;q=0"), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate("*"), HM_ENC_GZIP);
	CHECK_INT(hm_encoding_negotiate("*;q=0.1, gzip;q=0"), HM_ENC_DEFLATE);
	CHECK_INT(hm_encoding_negotiate("identity"), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate("gzip;q=2"), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate("gzip;q=abc, deflate;q=0.3"), HM_ENC_DEFLATE);
	CHECK_INT(hm_encoding_negotiate("gzip;level=9"), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate(" gzip ; q=0.7 "), HM_ENC_GZIP);
	CHECK_INT(hm_encoding_negotiate(",,;;"), HM_ENC_IDENTITY);
	CHECK_INT(hm_encoding_negotiate("gzipx, deflatey"), HM_ENC_IDENTITY);
}

/* in[0..len) read back from its coding enc. */
static bool round_trip(enum hm_encoding enc, const unsigned char *coded, size_t coded_len,
		       const char *want, size_t want_len)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, enc == HM_ENC_GZIP ? 31 : 15) != Z_OK)
		return false;
	unsigned char *out = malloc(want_len + 16);
	z.next_in = (Bytef *)(uintptr_t)coded;
	z.avail_in = (uInt)coded_len;
	z.next_out = out;
	z.avail_out = (uInt)(want_len + 16);
	int rc = inflate(&z, Z_FINISH);
	bool same = rc == Z_STREAM_END && z.total_out == want_len &&
		    memcmp(out, want, want_len) == 0;
	inflateEnd(&z);
	free(out);
	return same;
}

static char *text_of(size_t len)
{
	char *t = malloc(len + 1);
	for (size_t i = 0; i < len; i++)
		t[i] = "{\"items\": [1, 2, 3], \"name\": \"Matematika\"}\n"[i % 43];
	t[len] = '\0';
	return t;
}

static const char *header(const struct hm_reply *r, const char *name)
{
	for (size_t i = 0; i < r->n_headers; i++)
		if (strcmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static void test_body(void)
{
	for (int e = 0; e < 2; e++) {
		enum hm_encoding enc = e ? HM_ENC_DEFLATE : HM_ENC_GZIP;
		struct hm_reply r;
		hm_reply_init(&r);
		char *text = text_of(5000);
		hm_reply_raw_owned(&r, 200, "application/json", strdup(text), 5000);
		CHECK(hm_reply_header(&r, "ETag", "\"abc\""));
		if (e) /* a Vary there already grows into a list */
			CHECK(hm_reply_header(&r, "Vary", "Accept-Language"));
		CHECK(hm_reply_compress(&r, e ? "deflate" : "gzip, deflate"));
		CHECK_STR(header(&r, "Content-Encoding"), e ? "deflate" : "gzip");
		CHECK_STR(header(&r, "Vary"),
			  e ? "Accept-Language, Accept-Encoding" : "Accept-Encoding");
		CHECK_STR(header(&r, "ETag"), "W/\"abc\"");
		CHECK(r.body_len < 1000);
		CHECK(round_trip(enc, (unsigned char *)r.body, r.body_len, text, 5000));
		hm_reply_release(&r);
		free(text);
	}
}

static void test_left_alone(void)
{
	struct hm_reply r;
	char *text = text_of(5000);
	/* Identity asked for: Vary, but the same bytes. */
	hm_reply_init(&r);
	hm_reply_raw_owned(&r, 200, "text/css", strdup(text), 5000);
	CHECK(hm_reply_compress(&r, NULL));
	CHECK(header(&r, "Content-Encoding") == NULL);
	CHECK_STR(header(&r, "Vary"), "Accept-Encoding");
	CHECK_INT(r.body_len, 5000);
	hm_reply_release(&r);
	/* Small. */
	hm_reply_init(&r);
	hm_reply_raw_owned(&r, 200, "application/json", strdup("{}"), 2);
	CHECK(hm_reply_compress(&r, "gzip"));
	CHECK(header(&r, "Content-Encoding") == NULL);
	CHECK_INT(r.body_len, 2);
	hm_reply_release(&r);
	/* Not text. */
	hm_reply_init(&r);
	hm_reply_raw_owned(&r, 200, "image/png", strdup(text), 5000);
	CHECK(hm_reply_compress(&r, "gzip"));
	CHECK(header(&r, "Content-Encoding") == NULL);
	CHECK(header(&r, "Vary") == NULL);
	hm_reply_release(&r);
	/* Not a 200. */
	hm_reply_init(&r);
	hm_reply_raw_owned(&r, 404, "application/json", strdup(text), 5000);
	CHECK(hm_reply_compress(&r, "gzip"));
	CHECK(header(&r, "Content-Encoding") == NULL);
	hm_reply_release(&r);
	free(text);
}

static void test_file(void)
{
	char path[] = "/tmp/hm-compress-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	char *text = text_of(20000);
	CHECK_INT(write(fd, text, 20000), 20000);
	struct hm_reply r;
	hm_reply_init(&r);
	r.status = 200;
	r.content_type = "text/javascript; charset=utf-8";
	r.file_fd = fd;
	r.file_size = 20000;
	CHECK(hm_reply_header(&r, "ETag", "\"5f-4e20\""));
	CHECK(hm_reply_compress(&r, "gzip"));
	CHECK_INT(r.file_fd, -1); /* read and closed */
	CHECK_STR(header(&r, "Content-Encoding"), "gzip");
	CHECK_STR(header(&r, "ETag"), "W/\"5f-4e20\"");
	CHECK(round_trip(HM_ENC_GZIP, (unsigned char *)r.body, r.body_len, text, 20000));
	hm_reply_release(&r);
	unlink(path);
	free(text);
}

int main(void)
{
	RUN(test_negotiate);
	RUN(test_body);
	RUN(test_left_alone);
	RUN(test_file);
	return CHECK_EXIT();
}
