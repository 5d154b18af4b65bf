// SPDX-License-Identifier: MIT
// Static files: which URL paths may name a file, MIME types, the page aliases, and
// that nothing outside the web root is ever served (dot segments, hidden files,
// symbolic links out of the root, directories).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harreman/static_files.h"

static char root[64], outside[96];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void setup(void)
{
	char path[256];
	snprintf(root, sizeof root, "/tmp/harreman-web-XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	snprintf(outside, sizeof outside, "%s-secret.txt", root);
	write_file(outside, "secret");
	snprintf(path, sizeof path, "%s/index.html", root);
	write_file(path, "<!doctype html><title>home</title>");
	snprintf(path, sizeof path, "%s/staff.html", root);
	write_file(path, "<!doctype html><title>staff</title>");
	snprintf(path, sizeof path, "%s/app.js", root);
	write_file(path, "export {};");
	snprintf(path, sizeof path, "%s/.env", root);
	write_file(path, "SECRET=1");
	snprintf(path, sizeof path, "%s/sub", root);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/leak.txt", root);
	CHECK(symlink(outside, path) == 0);
	snprintf(path, sizeof path, "%s/home.html", root);
	CHECK(symlink("index.html", path) == 0);
}

static void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, outside);
	CHECK(system(cmd) == 0);
}

static int serve(const char *method, const char *path, const char **type)
{
	struct hm_request req;
	struct hm_reply reply;
	memset(&req, 0, sizeof req);
	req.method = strcmp(method, "GET") == 0    ? HM_GET
		     : strcmp(method, "HEAD") == 0 ? HM_HEAD
						   : HM_POST;
	req.path = path;
	hm_reply_init(&reply);
	hm_static_serve(root, &req, &reply);
	int status = reply.status;
	if (type)
		*type = reply.content_type;
	if (status == 200)
		CHECK(reply.file_fd >= 0 && reply.file_size > 0);
	hm_reply_release(&reply);
	return status;
}

static void test_path_safety(void)
{
	static const char *const good[] = {"/", "/index.html", "/i18n/eu.json", "/a-b_c.d.js"};
	static const char *const bad[] = {
		"",           "index.html",    "/..",          "/../etc/passwd",
		"/a/../../b", "/./index.html", "/.git/config", "/.env",
		"/a//b",      "/a\\..\\b",     "/a\x01",       "/sub/.hidden",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		CHECK(hm_static_path_is_safe(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(!hm_static_path_is_safe(bad[i]));
		if (hm_static_path_is_safe(bad[i]))
			fprintf(stderr, "   accepted: \"%s\"\n", bad[i]);
	}
}

static void test_mime_types(void)
{
	CHECK_STR(hm_static_mime_type("/x/index.html"), "text/html; charset=utf-8");
	CHECK_STR(hm_static_mime_type("app.JS"), "text/javascript; charset=utf-8");
	CHECK_STR(hm_static_mime_type("style.css"), "text/css; charset=utf-8");
	CHECK_STR(hm_static_mime_type("eu.json"), "application/json; charset=utf-8");
	CHECK_STR(hm_static_mime_type("logo.svg"), "image/svg+xml");
	CHECK_STR(hm_static_mime_type("archive.tar.gz"), "application/octet-stream");
	CHECK_STR(hm_static_mime_type("dir.d/README"), "application/octet-stream");
}

static void test_pages_and_files_are_served(void)
{
	const char *type = NULL;
	CHECK_INT(serve("GET", "/", &type), 200);
	CHECK_STR(type, "text/html; charset=utf-8");
	CHECK_INT(serve("GET", "/staff", &type), 200);
	CHECK_INT(serve("HEAD", "/app.js", &type), 200);
	CHECK_STR(type, "text/javascript; charset=utf-8");
	CHECK_INT(serve("GET", "/home.html", NULL), 200); /* a link that stays inside */
	CHECK_INT(serve("GET", "/admin", NULL), 404);     /* no admin.html in this root */
}

static void test_nothing_outside_the_root(void)
{
	CHECK_INT(serve("GET", "/leak.txt", NULL), 404); /* symbolic link to outside */
	CHECK_INT(serve("GET", "/.env", NULL), 404);
	CHECK_INT(serve("GET", "/../harreman-secret.txt", NULL), 404);
	CHECK_INT(serve("GET", "/sub", NULL), 404); /* a directory */
	CHECK_INT(serve("GET", "/sub/", NULL), 404);
	CHECK_INT(serve("GET", "/missing.html", NULL), 404);
	char path[160];
	snprintf(path, sizeof path, "/..%s", outside); /* absolute path smuggled after .. */
	CHECK_INT(serve("GET", path, NULL), 404);
}

static void test_only_get_and_head(void)
{
	struct hm_request req;
	struct hm_reply reply;
	memset(&req, 0, sizeof req);
	req.method = HM_POST;
	req.path = "/";
	hm_reply_init(&reply);
	hm_static_serve(root, &req, &reply);
	CHECK_INT(reply.status, 405);
	CHECK_STR(hm_reply_get_header(&reply, "Allow"), "GET, HEAD");
	hm_reply_release(&reply);
}

int main(void)
{
	setup();
	RUN(test_path_safety);
	RUN(test_mime_types);
	RUN(test_pages_and_files_are_served);
	RUN(test_nothing_outside_the_root);
	RUN(test_only_get_and_head);
	teardown();
	return CHECK_EXIT();
}
