/* SPDX-License-Identifier: MIT */
/* The route table's shape and the matcher: a path pattern of literal segments and
 * `{id}` placeholders (positive integers), a method mask, the handler, and the roles
 * allowed. Access control is a property of the route, checked in one place. */
#ifndef HARREMAN_ROUTER_H
#define HARREMAN_ROUTER_H

#include <stddef.h>

#include "harreman/http.h"

/* Who may call a route: any combination of these bits. */
enum hm_access {
	HM_ALLOW_ANON = 1 << 0,
	HM_ALLOW_STUDENT = 1 << 1,
	HM_ALLOW_STAFF = 1 << 2,
	HM_ALLOW_ADMIN = 1 << 3,
	/* An anonymous request from loopback is let in too (GET /metrics). */
	HM_ALLOW_LOOPBACK = 1 << 4,
};

#define HM_ACCESS_PUBLIC (HM_ALLOW_ANON | HM_ALLOW_STUDENT | HM_ALLOW_STAFF | HM_ALLOW_ADMIN)
#define HM_ACCESS_USERS (HM_ALLOW_STUDENT | HM_ALLOW_STAFF | HM_ALLOW_ADMIN)
#define HM_ACCESS_STAFF (HM_ALLOW_STAFF | HM_ALLOW_ADMIN)

enum hm_route_flags {
	HM_BODY_NONE = 0,          /* a body, if any, is ignored */
	HM_BODY_REQUIRED = 1 << 0, /* a JSON object must be sent (400 otherwise) */
	HM_BODY_OPTIONAL = 1 << 1, /* action POSTs: empty, or a JSON object */
	HM_NO_CSRF = 1 << 2,       /* starts a session (login, register): no CSRF check */
	HM_CACHEABLE = 1 << 3,     /* a GET whose answer depends only on the role class,
				    * the URL, the data and the clock (response_cache.h) */
	HM_ON_WORKER = 1 << 4,     /* a write that runs on the request's own thread, not in
				    * the group-commit writer (writer.h): it hashes a
				    * password first, a tenth of a second of one core that
				    * must not hold up everyone else's writes */
	HM_BY_LANGUAGE = 1 << 5,   /* a GET whose answer depends on ?locale= and
				    * Accept-Language (content in three languages): the
				    * response cache keeps one answer per header, and the
				    * reply says Vary: Accept-Language */
};

typedef void hm_handler_fn(struct hm_request *req, struct hm_reply *reply);

/* The checks of a write that need not run inside its transaction (the body, reads
 * such as "is this slot open"): run on the request's own thread before the write
 * is handed to the group-commit writer (writer.h), so the one writer thread does
 * less. Returns false when it has answered (an error). The handler then runs with
 * req->checked set and may skip what was checked -- only where the database
 * enforces it anyway (a trigger, a constraint), since the data may have moved on
 * in between -- and may use what the check read (req->checked_data: e.g. the
 * service, tutor and learner of a booking, as they were milliseconds before, the
 * same as if the request had come a moment earlier). Without a writer the handler
 * runs alone, with req->checked unset. */
typedef bool hm_check_fn(struct hm_request *req, struct hm_reply *reply);

struct hm_route {
	unsigned methods;    /* enum hm_method bits */
	const char *pattern; /* "/api/v1/users/{id}"; a segment may also be "{token}"
				 * plus a literal suffix ("/calendar/{token}.ics"):
				 * 1..64 base64url characters, read from req->path */
	hm_handler_fn *handler;
	unsigned access;       /* enum hm_access bits; 0 is refused by the tests */
	unsigned flags;        /* enum hm_route_flags bits */
	hm_check_fn *precheck; /* a write's check before it is queued, or NULL */
};

enum hm_match {
	HM_MATCH_FOUND,
	HM_MATCH_NO_PATH,   /* 404 */
	HM_MATCH_NO_METHOD, /* 405; *allowed holds the methods the path takes */
};

/* Finds the route for method and path in table[0..n). On HM_MATCH_FOUND, *index is
 * the route and ids[] holds its {id} values in order. HEAD matches GET routes. */
enum hm_match hm_router_match(const struct hm_route *table, size_t n, enum hm_method method,
			      const char *path, size_t *index, int64_t ids[HM_MAX_PATH_IDS],
			      unsigned *allowed);

/* Writes an Allow header value ("GET, HEAD, POST") for a method mask into out. */
void hm_router_allow_header(unsigned methods, char *out, size_t out_size);

/* The method bit for a method name; HM_OTHER for anything unknown. */
enum hm_method hm_method_from_name(const char *name);

#endif
