// SPDX-License-Identifier: MIT
// Compressed answers (issue 13): a static file and a JSON answer asked for with
// Accept-Encoding: gzip (or deflate) come coded, with Content-Encoding, Vary and a
// weak ETag, and read back to exactly the bytes sent uncoded (the file on disk);
// without the header, or with only codings the server does not write, they come as
// they are; the weak ETag earns a 304; a small answer is not coded.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "check.h"
#include "harness.h"

#define PW "compression-test-password"

static struct test_server server;

/* body[0..len) decoded from gzip (gzip true) or zlib into a new buffer (*out_len). */
static char *inflate_all(const char *body, size_t len, bool gzip, size_t *out_len)
{
	size_t cap = 1 << 22;
	char *out = malloc(cap);
	z_stream z;
	memset(&z, 0, sizeof z);
	if (!out || inflateInit2(&z, gzip ? 31 : 15) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int rc = inflate(&z, Z_FINISH);
	*out_len = z.total_out;
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = malloc(1 << 22);
	*len = fread(data, 1, 1 << 22, f);
	fclose(f);
	return data;
}

/* GET path with headers; checks the coding and that the body decodes to want. */
static void expect_coded(const char *path, const char *headers, const char *coding,
			 const char *want, size_t want_len, char etag[128])
{
	struct http_response r;
	char buf[128];
	CHECK(http_request(server.port, "GET", path, headers, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	const char *got = http_header(&r, "Content-Encoding", buf, sizeof buf);
	if (!coding) {
		CHECK(got == NULL);
		CHECK_INT(r.body_len, want_len);
		CHECK(r.body_len == want_len && memcmp(r.body, want, want_len) == 0);
	} else {
		CHECK_STR(got, coding);
		CHECK(r.body_len < want_len);
		size_t len = 0;
		char *plain = inflate_all(r.body, r.body_len, strcmp(coding, "gzip") == 0, &len);
		CHECK(plain != NULL);
		CHECK_INT(len, want_len);
		CHECK(plain && len == want_len && memcmp(plain, want, want_len) == 0);
		free(plain);
	}
	if (etag && !http_header(&r, "ETag", etag, 128))
		etag[0] = '\0';
	http_response_free(&r);
}

static void test_static_file(void)
{
	char path[512], etag[128] = "", plain_etag[128] = "", headers[256], buf[128];
	size_t len = 0;
	snprintf(path, sizeof path, "%s/i18n/eu.json", ts_web_dir());
	char *file = read_file(path, &len);
	CHECK(file && len > 10000);
	expect_coded("/i18n/eu.json", NULL, NULL, file, len, plain_etag);
	expect_coded("/i18n/eu.json", "Accept-Encoding: gzip, deflate, br\r\n", "gzip", file, len,
		     etag);
	expect_coded("/i18n/eu.json", "Accept-Encoding: deflate\r\n", "deflate", file, len, NULL);
	expect_coded("/i18n/eu.json", "Accept-Encoding: br, gzip;q=0\r\n", NULL, file, len, NULL);
	/* The coded answer's ETag is the file's, weak. */
	CHECK(plain_etag[0] == '"');
	CHECK(strncmp(etag, "W/", 2) == 0 && strcmp(etag + 2, plain_etag) == 0);
	/* Either tag earns a 304. */
	struct http_response r;
	snprintf(headers, sizeof headers, "Accept-Encoding: gzip\r\nIf-None-Match: %s\r\n", etag);
	CHECK(http_request(server.port, "GET", "/i18n/eu.json", headers, NULL, 0, &r));
	CHECK_INT(r.status, 304);
	CHECK_INT(r.body_len, 0);
	http_response_free(&r);
	/* Vary on every compressible answer, coded or not. */
	CHECK(http_request(server.port, "GET", "/js/booking.js", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	CHECK_STR(http_header(&r, "Vary", buf, sizeof buf), "Accept-Encoding");
	http_response_free(&r);
	free(file);
}

static void test_json(void)
{
	struct api_client staff;
	struct http_response r;
	char body[256];
	CHECK(ts_add_user(&server, "staff", "office@compression.test", "Olatz Office", PW));
	api_client_at(&staff, server.port, "10.8.0.1");
	CHECK_INT(api_login(&staff, "office@compression.test", PW), 200);
	for (int i = 0; i < 20; i++) {
		snprintf(body, sizeof body,
			 "{\"name\":\"Matematika %d\",\"subject\":\"maths\",\"kind\":\"private\","
			 "\"duration_min\":60,\"price_cents\":3000,\"description\":\"Klasea\"}",
			 i);
		CHECK_INT(api_status(&staff, "POST", "/api/v1/services", body), 201);
	}
	CHECK(http_request(server.port, "GET", "/api/v1/services?limit=200", NULL, NULL, 0, &r));
	CHECK_INT(r.status, 200);
	CHECK(r.body_len > 2000);
	char *plain = malloc(r.body_len);
	size_t len = r.body_len;
	memcpy(plain, r.body, len);
	http_response_free(&r);
	expect_coded("/api/v1/services?limit=200", "Accept-Encoding: gzip\r\n", "gzip", plain, len,
		     NULL);
	expect_coded("/api/v1/services?limit=200", "Accept-Encoding: x-gzip;q=0.5, deflate\r\n",
		     "deflate", plain, len, NULL);
	free(plain);
	/* A small answer goes as it is. */
	char buf[64];
	CHECK(http_request(server.port, "GET", "/healthz", "Accept-Encoding: gzip\r\n", NULL, 0,
			   &r));
	CHECK_INT(r.status, 200);
	CHECK(http_header(&r, "Content-Encoding", buf, sizeof buf) == NULL);
	CHECK(r.json != NULL);
	http_response_free(&r);
}

int main(void)
{
	if (!ts_start(&server, NULL))
		return 1;
	RUN(test_static_file);
	RUN(test_json);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
