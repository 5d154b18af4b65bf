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

/* Answers req into reply (initialised by the caller, released by the caller), every
 * handler on the calling thread. */
void hm_dispatch(struct hm_app *app, struct hm_request *req, struct hm_reply *reply);

/* The same in three steps, for a server that can park a request while the
 * group-commit writer (writer.h) runs its handler:
 * - hm_dispatch_start does everything up to the handler. When the route writes (a
 *   POST, PUT, PATCH or DELETE without HM_ON_WORKER) and app->writer is set, it
 *   stops there and returns false: the caller has the writer call
 *   hm_dispatch_write, then, back on the request's thread, hm_dispatch_end --
 *   after hm_dispatch_write_lost when the writer says the batch was not durable.
 *   Otherwise it answers and returns true, and only hm_dispatch_end is left.
 * - hm_dispatch_write runs the handler on db, the writer's connection.
 * - hm_dispatch_end adds the security headers and logs a 5xx. */
bool hm_dispatch_start(struct hm_app *app, struct hm_request *req, struct hm_reply *reply);
void hm_dispatch_write(struct hm_request *req, struct hm_reply *reply, struct hm_db *db);
void hm_dispatch_write_lost(struct hm_reply *reply);
void hm_dispatch_end(struct hm_request *req, struct hm_reply *reply);

/* Fills req->request_id with a fresh id. */
void hm_request_new_id(struct hm_request *req);

#endif
