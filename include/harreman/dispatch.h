/* SPDX-License-Identifier: MIT */
/* The path of a request once it is read: route, body size and type, authentication,
 * CSRF, role, JSON body, handler, in API.md's order, then the security headers and
 * the access log line. Knows nothing of sockets, so tests and fuzzers call it
 * directly. */
#ifndef HARREMAN_DISPATCH_H
#define HARREMAN_DISPATCH_H

#include <stddef.h>

#include "harreman/app.h"
#include "harreman/http.h"
#include "harreman/router.h"

/* The route table (src/api/routes.c). */
extern const struct hm_route hm_routes[];
extern const size_t hm_route_count;

/* Answers req into reply (initialised by the caller, released by the caller). */
void hm_dispatch(struct hm_app *app, struct hm_request *req, struct hm_reply *reply);

/* Fills req->request_id with a fresh id. */
void hm_request_new_id(struct hm_request *req);

#endif
