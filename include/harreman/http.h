/* SPDX-License-Identifier: MIT */
/* The request and reply that handlers see: plain C types, no libmicrohttpd. The
 * server layer fills a request from the connection, the dispatcher and the handlers
 * fill a reply, and the server layer turns it into bytes. */
#ifndef HARREMAN_HTTP_H
#define HARREMAN_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harreman/errors.h"
#include "harreman/identity.h"

#define HM_MAX_BODY ((size_t)64 * 1024)
#define HM_MAX_QUERY_ARGS 32
#define HM_MAX_TARGET ((size_t)8 * 1024) /* path and query; longer → 414 */
#define HM_MAX_PATH_IDS 4
#define HM_MAX_REPLY_HEADERS 14

enum hm_method {
	HM_GET = 1 << 0,
	HM_HEAD = 1 << 1,
	HM_POST = 1 << 2,
	HM_PUT = 1 << 3,
	HM_PATCH = 1 << 4,
	HM_DELETE = 1 << 5,
	HM_OTHER = 1 << 6,
};

struct hm_query_arg {
	const char *key;   /* borrowed for the request's life */
	const char *value; /* borrowed; NULL for "?flag" without "=" */
};

struct hm_app;
struct hm_db;

/* One request. Every pointer is borrowed and lives until the reply is sent. */
struct hm_request {
	enum hm_method method;
	const char *method_name;
	const char *path; /* percent-decoded, without the query string */
	struct hm_query_arg query[HM_MAX_QUERY_ARGS];
	size_t n_query;

	/* Headers the dispatcher needs (NULL when absent). */
	const char *content_type;
	const char *cookie;
	const char *authorization;
	const char *csrf_header;       /* X-CSRF-Token */
	const char *if_none_match;     /* for static files and calendar feeds */
	const char *if_modified_since; /* for calendar feeds */
	const char *accept_language;   /* for content in three languages */
	const char *accept_encoding;   /* for compressed answers (compress.h) */

	const char *remote_addr; /* the client: the peer, or X-Forwarded-For via a trusted proxy */
	bool remote_is_loopback;
	bool tls; /* came over TLS (X-Forwarded-Proto: https via a trusted proxy) */

	const char *body; /* raw body bytes (not NUL-terminated by contract) */
	size_t body_len;
	bool body_too_large;  /* declared or streamed over HM_MAX_BODY */
	bool target_too_long; /* over HM_MAX_TARGET or HM_MAX_QUERY_ARGS (query dropped) */

	int64_t now; /* the request's clock, seconds since the epoch */
	char request_id[17];

	/* Filled by the dispatcher. */
	int64_t path_ids[HM_MAX_PATH_IDS]; /* the {id} segments of the matched route */
	json_t *json;                      /* the parsed body object, owned by the dispatcher */
	struct hm_identity who;
	bool checked;       /* the route's check passed on the request's thread
				    * (router.h, hm_check_fn) */
	void *checked_data; /* what that check read, for the handler (NULL: none),
			     * owned: hm_dispatch_end frees it with checked_free */
	void (*checked_free)(void *checked_data);
	int route_index; /* index in the route table, -1 when none matched */
	struct hm_app *app;
	struct hm_db *db; /* this thread's database connection */
};

struct hm_header {
	const char *name; /* static string */
	char *value;      /* owned by the reply */
};

/* One reply; owns everything it points to and is released with hm_reply_release. */
struct hm_reply {
	int status;
	json_t *json; /* a JSON body (owned), or */
	char *body;   /* a raw body (owned, malloc'd), with */
	size_t body_len;
	const char *content_type; /* static; for raw bodies and files */
	int file_fd;              /* a file to send (owned; -1 for none) */
	off_t file_size;
	bool is_page;        /* static content: page CSP instead of the API's */
	int64_t cache_until; /* HM_CACHEABLE routes: the answer holds until this
				    * instant while the data does not change (INT64_MAX:
				    * no time limit); 0 = do not cache */
	struct hm_header headers[HM_MAX_REPLY_HEADERS];
	size_t n_headers;
	/* A write's last step, set by its handler: called once by hm_dispatch_end on
	 * the request's own thread and connection (req->db), after the COMMIT made
	 * the write durable, never after a write that was lost. For what need not
	 * hold the write lock, e.g. reading back, as the answer, what the write made
	 * (whose ids the handler left in json): the group-commit writer does less. */
	void (*after_write)(struct hm_request *req, struct hm_reply *reply);
};

void hm_reply_init(struct hm_reply *reply);
void hm_reply_release(struct hm_reply *reply);

/* Answers status with body as JSON; takes ownership of body (even on failure). */
void hm_reply_json(struct hm_reply *reply, int status, json_t *body);

/* Answers 204 No Content. */
void hm_reply_no_content(struct hm_reply *reply);

/* Answers status with a raw body copied from data, of the given static type. */
void hm_reply_raw(struct hm_reply *reply, int status, const char *content_type, const char *data,
		  size_t len);

/* Answers status with data as the body, taking ownership of data (malloc'd; freed
 * even on failure). */
void hm_reply_raw_owned(struct hm_reply *reply, int status, const char *content_type, char *data,
			size_t len);

/* Turns a JSON body into its compact encoding plus a newline in reply->body, once;
 * false when memory runs out (the reply is then left as it was). */
bool hm_reply_encode(struct hm_reply *reply);

/* Answers API.md's error envelope for err; message NULL means the default one. */
void hm_reply_error(struct hm_reply *reply, enum hm_err err, const char *message);

/* Answers 422 validation_failed with fields (an object: field → message); takes
 * ownership of fields. */
void hm_reply_invalid(struct hm_reply *reply, json_t *fields);

/* Adds a header; name must be a static string, value is copied. Replaces an
 * earlier header of the same name. Returns false when full or out of memory. */
bool hm_reply_header(struct hm_reply *reply, const char *name, const char *value);

/* The value of a header added earlier, or NULL. */
const char *hm_reply_get_header(const struct hm_reply *reply, const char *name);

/* Whether a raw request target (path and query, as received) is refused 414: over
 * HM_MAX_TARGET bytes, or with more than HM_MAX_QUERY_ARGS query arguments (each
 * '&'-separated piece counts, empty ones too). */
bool hm_target_too_long(const char *target);

/* The value of query argument key, or NULL (borrowed from the request). */
const char *hm_query_get(const struct hm_request *req, const char *key);

/* Reads ?limit= (default 50, capped at 200) and ?after= (default 0). On a bad value
 * answers 422 naming the field and returns false. */
bool hm_query_page(const struct hm_request *req, struct hm_reply *reply, int *limit,
		   int64_t *after);

#endif
