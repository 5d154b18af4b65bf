/* SPDX-License-Identifier: MIT */
/* Files from web/: `/` is index.html, `/staff` and `/admin` their pages, anything
 * else the file of that name. No path may leave the web root: dot segments (also
 * percent-encoded, which arrive decoded), hidden files, and symbolic links that
 * point outside are refused. */
#ifndef HARREMAN_STATIC_FILES_H
#define HARREMAN_STATIC_FILES_H

#include <stdbool.h>

#include "harreman/http.h"

/* True when a URL path may name a file under the web root: starts with '/', no
 * empty, "." or ".." segment, no segment starting with '.', no backslash or NUL or
 * control character. */
bool hm_static_path_is_safe(const char *path);

/* The MIME type for a file name, by extension (application/octet-stream otherwise). */
const char *hm_static_mime_type(const char *name);

/* Answers a GET or HEAD for a path outside the API from web_root. */
void hm_static_serve(const char *web_root, const struct hm_request *req, struct hm_reply *reply);

#endif
