// SPDX-License-Identifier: MIT
// Static files from web/ (include/harreman/static_files.h). A path is checked
// twice: its text (no dot segments or hidden names), then the real path of the file
// it names (symbolic links resolved) must still be inside the web root.
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harreman/conditional.h"
#include "harreman/static_files.h"
#include "harreman/banned.h"

bool hm_static_path_is_safe(const char *path)
{
	if (!path || path[0] != '/' || strlen(path) > 512)
		return false;
	const char *seg = path + 1;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		if (len == 0 && end) /* "//" */
			return false;
		if (len > 0 && seg[0] == '.') /* ".", "..", hidden files */
			return false;
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)seg[i];
			if (c < 0x20 || c == 0x7F || c == '\\')
				return false;
		}
		if (!end)
			return true;
		seg = end + 1;
	}
}

const char *hm_static_mime_type(const char *name)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".json", "application/json; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},
		{".webp", "image/webp"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
		{".webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* The file a URL path names, relative to the web root. */
static const char *page_for(const char *path)
{
	if (strcmp(path, "/") == 0)
		return "/index.html";
	if (strcmp(path, "/staff") == 0 || strcmp(path, "/staff/") == 0)
		return "/staff.html";
	if (strcmp(path, "/admin") == 0 || strcmp(path, "/admin/") == 0)
		return "/admin.html";
	return path;
}

void hm_static_serve(const char *web_root, const struct hm_request *req, struct hm_reply *reply)
{
	char wanted[PATH_MAX], real[PATH_MAX];
	int fd = -1;

	if (!(req->method & (HM_GET | HM_HEAD))) {
		hm_reply_header(reply, "Allow", "GET, HEAD");
		hm_reply_error(reply, HM_ERR_METHOD_NOT_ALLOWED, NULL);
		return;
	}
	const char *rel = page_for(req->path);
	if (!hm_static_path_is_safe(rel))
		goto not_found;
	int n = snprintf(wanted, sizeof wanted, "%s%s", web_root, rel);
	if (n < 0 || (size_t)n >= sizeof wanted || !realpath(wanted, real))
		goto not_found;
	size_t root_len = strlen(web_root);
	if (strncmp(real, web_root, root_len) != 0 || real[root_len] != '/')
		goto not_found;
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto not_found;

	char etag[64];
	snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size);
	hm_reply_header(reply, "ETag", etag);
	hm_reply_header(reply, "Cache-Control", "no-cache");
	reply->is_page = true;
	reply->content_type = hm_static_mime_type(real);
	if (req->if_none_match && hm_etag_list_matches(req->if_none_match, etag)) {
		close(fd);
		reply->status = 304;
		return;
	}
	reply->status = 200;
	reply->file_fd = fd;
	reply->file_size = st.st_size;
	return;
not_found:
	if (fd >= 0)
		close(fd);
	hm_reply_error(reply, HM_ERR_NOT_FOUND, "No such page.");
}
