// SPDX-License-Identifier: MIT
// The path of a request (include/harreman/dispatch.h): a target cut off by the
// server layer (414), then in API.md's order: route
// (404, 405), body size and type (413, 415), authentication (401), CSRF (403), role
// (403), body (400), then the handler (422, 409, ...). Every answer gets the
// security headers here, so no handler can forget them.
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "harreman/api.h"
#include "harreman/dispatch.h"
#include "harreman/log.h"
#include "harreman/response_cache.h"
#include "harreman/sessions.h"
#include "harreman/static_files.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define PAGE_CSP                                                                          \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "       \
	"form-action 'self'; frame-ancestors 'none'"
#define API_CSP "default-src 'none'; frame-ancestors 'none'"

void hm_request_new_id(struct hm_request *req)
{
	static atomic_uint_fast32_t prefix;
	static atomic_uint_fast64_t counter;
	uint32_t p = (uint32_t)atomic_load(&prefix);
	if (!p) {
		uint32_t fresh = randombytes_random() | 1u;
		uint_fast32_t expected = 0;
		atomic_compare_exchange_strong(&prefix, &expected, fresh);
		p = (uint32_t)atomic_load(&prefix);
	}
	uint64_t n = atomic_fetch_add(&counter, 1) + 1;
	snprintf(req->request_id, sizeof req->request_id, "%08x%08x", p, (uint32_t)n);
}

/* Paths the API answers; everything else is a file from web/. */
static bool is_api_path(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
	       strncmp(path, "/calendar/", 10) == 0 || strcmp(path, "/healthz") == 0 ||
	       strcmp(path, "/metrics") == 0;
}

static bool is_json_type(const char *type)
{
	static const char json[] = "application/json";
	if (!type)
		return false;
	while (*type == ' ')
		type++;
	if (strncasecmp(type, json, sizeof json - 1) != 0)
		return false;
	type += sizeof json - 1;
	while (*type == ' ')
		type++;
	return *type == '\0' || *type == ';';
}

static unsigned role_bit(enum hm_role role)
{
	switch (role) {
	case HM_ROLE_STUDENT: return HM_ALLOW_STUDENT;
	case HM_ROLE_STAFF: return HM_ALLOW_STAFF;
	case HM_ROLE_ADMIN: return HM_ALLOW_ADMIN;
	case HM_ROLE_NONE: break;
	}
	return HM_ALLOW_ANON;
}

/* Resolves who is asking. A bearer token that does not work is an error; a stale
 * session cookie just means anonymous (browsers keep cookies after logout). */
static enum hm_err authenticate(struct hm_request *req)
{
	static const char bearer[] = "Bearer ";
	memset(&req->who, 0, sizeof req->who);
	if (req->authorization) {
		if (strncasecmp(req->authorization, bearer, sizeof bearer - 1) != 0)
			return HM_ERR_UNAUTHENTICATED;
		const char *token = req->authorization + sizeof bearer - 1;
		while (*token == ' ')
			token++;
		return hm_api_token_lookup(req->db, token, &req->who);
	}
	char token[HM_TOKEN_TEXT_LEN];
	if (req->cookie && hm_cookie_find(req->cookie, HM_SESSION_COOKIE, token, sizeof token)) {
		enum hm_err err = hm_session_lookup(req->db, token, req->now, &req->who);
		sodium_memzero(token, sizeof token);
		if (err == HM_ERR_INTERNAL)
			return err;
		if (err != HM_OK)
			memset(&req->who, 0, sizeof req->who);
	}
	return HM_OK;
}

static bool is_unsafe(enum hm_method method)
{
	return !(method & (HM_GET | HM_HEAD));
}

/* Parses the body into req->json per the route's needs; answers 400 itself. */
static bool parse_body(struct hm_request *req, const struct hm_route *route, struct hm_reply *reply)
{
	if (req->body_len == 0) {
		if (route->flags & HM_BODY_REQUIRED) {
			hm_reply_error(reply, HM_ERR_BAD_JSON, "A JSON object body is required.");
			return false;
		}
		return true;
	}
	json_t *json = NULL, *fields = NULL;
	switch (hm_body_parse(req->body, req->body_len, &json, &fields)) {
	case HM_BODY_OK: req->json = json; return true;
	case HM_BODY_INVALID: hm_reply_invalid(reply, fields); return false;
	case HM_BODY_NO_MEMORY: hm_reply_error(reply, HM_ERR_INTERNAL, NULL); return false;
	case HM_BODY_BAD_JSON: break;
	}
	hm_reply_error(reply, HM_ERR_BAD_JSON, "The body must be a JSON object.");
	return false;
}

/* A cacheable read: answered from the cache when a stored answer is still current,
 * else computed and stored (a route not open to everyone keys its answers by user). The generation is read before the handler reads the
 * database, so an answer computed from data older than a commit is never stored
 * as current (hm_cache_put refuses an outdated generation). */
static void answer_cacheable(struct hm_request *req, const struct hm_route *route,
			     struct hm_reply *reply)
{
	char key[HM_CACHE_MAX_KEY];
	bool keyed = hm_cache_key(req, route->access != HM_ACCESS_PUBLIC, key, sizeof key);
	if (keyed && (route->flags & HM_BY_LANGUAGE)) { /* one answer per header */
		size_t used = strlen(key);
		const char *lang = req->accept_language ? req->accept_language : "";
		int n = snprintf(key + used, sizeof key - used, "|al:%s", lang);
		keyed = n >= 0 && (size_t)n < sizeof key - used;
	}
	if (!keyed) {
		route->handler(req, reply);
		return;
	}
	uint64_t generation = 0;
	if (!hm_api_cache_miss_or_reply(req, reply, key, &generation))
		return;
	route->handler(req, reply);
	hm_api_cache_keep(req, reply, key, generation);
}

/* True when the route's handler runs in the group-commit writer. */
static bool runs_in_writer(const struct hm_app *app, const struct hm_request *req,
			   const struct hm_route *route)
{
	return app->writer && is_unsafe(req->method) && !(route->flags & HM_ON_WORKER);
}

/* Answers, or stops before a handler that runs in the writer (returns false). */
static bool dispatch_api(struct hm_app *app, struct hm_request *req, struct hm_reply *reply,
			 bool may_defer)
{
	size_t index = 0;
	unsigned allowed = 0;
	enum hm_match match = hm_router_match(hm_routes, hm_route_count, req->method, req->path,
					      &index, req->path_ids, &allowed);
	if (match == HM_MATCH_NO_PATH) {
		hm_reply_error(reply, HM_ERR_NOT_FOUND, "No such path.");
		return true;
	}
	if (match == HM_MATCH_NO_METHOD) {
		char allow[64];
		hm_router_allow_header(allowed, allow, sizeof allow);
		hm_reply_header(reply, "Allow", allow);
		hm_reply_error(reply, HM_ERR_METHOD_NOT_ALLOWED, NULL);
		return true;
	}
	const struct hm_route *route = &hm_routes[index];
	req->route_index = (int)index;

	bool takes_body = route->flags & (HM_BODY_REQUIRED | HM_BODY_OPTIONAL);
	if (req->body_too_large) {
		hm_reply_error(reply, HM_ERR_PAYLOAD_TOO_LARGE, NULL);
		return true;
	}
	if (takes_body && req->body_len > 0 && !is_json_type(req->content_type)) {
		hm_reply_error(reply, HM_ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
		return true;
	}

	/* The operator's database file gone or replaced: nothing is read from, nor
	 * written into, a file that will not be there after a restart; read-only: only
	 * the writes are refused (docs/decisions.md, issue 19). */
	enum hm_db_file file = hm_db_file_check(false);
	if (file == HM_DB_FILE_GONE || file == HM_DB_FILE_REPLACED ||
	    (file == HM_DB_FILE_READ_ONLY && is_unsafe(req->method))) {
		hm_reply_error(reply, HM_ERR_UNAVAILABLE, hm_db_file_message(file));
		return true;
	}
	req->db = hm_app_db(app);
	if (!req->db) {
		hm_reply_error(reply, HM_ERR_UNAVAILABLE, NULL);
		return true;
	}
	enum hm_err err = authenticate(req);
	if (err != HM_OK) {
		hm_reply_error(reply, err,
			       err == HM_ERR_UNAUTHENTICATED ? "The bearer token is not valid."
							     : NULL);
		return true;
	}
	bool anonymous = req->who.role == HM_ROLE_NONE;
	bool let_in = route->access & role_bit(req->who.role);
	if (!let_in && anonymous && (route->access & HM_ALLOW_LOOPBACK) && req->remote_is_loopback)
		let_in = true;
	if (!let_in && anonymous) {
		hm_reply_error(reply, HM_ERR_UNAUTHENTICATED, NULL);
		return true;
	}
	if (req->who.via_cookie && is_unsafe(req->method) && !(route->flags & HM_NO_CSRF) &&
	    !(req->csrf_header && hm_token_equal(req->csrf_header, req->who.csrf_token))) {
		hm_reply_error(reply, HM_ERR_CSRF_FAILED, NULL);
		return true;
	}
	if (!let_in) {
		hm_reply_error(reply, HM_ERR_FORBIDDEN, NULL);
		return true;
	}
	if (takes_body && !parse_body(req, route, reply))
		return true;
	if (may_defer && runs_in_writer(app, req, route)) {
		hm_check_fn *check = route->precheck;
		if (check && !check(req, reply))
			return true;
		req->checked = check != NULL;
		return false;
	}
	if ((route->flags & HM_CACHEABLE) && req->method == HM_GET)
		answer_cacheable(req, route, reply);
	else
		route->handler(req, reply);
	if (route->flags & HM_BY_LANGUAGE)
		hm_reply_header(reply, "Vary", "Accept-Language");
	return true;
}

static void add_security_headers(const struct hm_request *req, struct hm_reply *reply)
{
	hm_reply_header(reply, "X-Content-Type-Options", "nosniff");
	hm_reply_header(reply, "X-Frame-Options", "DENY");
	hm_reply_header(reply, "Referrer-Policy", "no-referrer");
	hm_reply_header(reply, "Content-Security-Policy", reply->is_page ? PAGE_CSP : API_CSP);
	if (!reply->is_page)
		hm_reply_header(reply, "Cache-Control", "no-store");
	hm_reply_header(reply, "X-Request-Id", req->request_id);
}

static bool dispatch(struct hm_app *app, struct hm_request *req, struct hm_reply *reply,
		     bool may_defer)
{
	req->app = app;
	req->route_index = -1;
	req->json = NULL;
	if (!req->request_id[0])
		hm_request_new_id(req);

	if (req->target_too_long)
		hm_reply_error(reply, HM_ERR_URI_TOO_LONG, NULL);
	else if (is_api_path(req->path))
		return dispatch_api(app, req, reply, may_defer);
	else
		hm_static_serve(app->web_root, req, reply);
	return true;
}

bool hm_dispatch_start(struct hm_app *app, struct hm_request *req, struct hm_reply *reply)
{
	return dispatch(app, req, reply, true);
}

void hm_dispatch_write(struct hm_request *req, struct hm_reply *reply, struct hm_db *db)
{
	struct hm_db *own = req->db;
	req->db = db;
	hm_routes[req->route_index].handler(req, reply);
	hm_db_rollback(db); /* a handler that bailed out mid-transaction: its savepoint */
	req->db = own;
}

void hm_dispatch_write_lost(struct hm_reply *reply)
{
	hm_reply_release(reply);
	hm_reply_init(reply);
	hm_reply_error(reply, HM_ERR_INTERNAL, NULL);
}

void hm_dispatch_end(struct hm_request *req, struct hm_reply *reply)
{
	if (req->db)
		hm_db_rollback(req->db); /* a handler that bailed out mid-transaction */
	void (*after_write)(struct hm_request *, struct hm_reply *) = reply->after_write;
	reply->after_write = NULL;
	if (after_write && req->db)
		after_write(req, reply);
	if (reply->status >= 500) {
		char path[160];
		hm_log_escape(req->path, path, sizeof path);
		hm_log_redact_path(path, sizeof path);
		/* No request id in the text: identical lines are counted, not repeated
		 * (log.h); the access log line ties the id to its 500. */
		hm_log_error("%s %s answered %d", req->method_name, path, reply->status);
	}
	add_security_headers(req, reply);
	json_decref(req->json);
	req->json = NULL;
	if (req->checked_data && req->checked_free)
		req->checked_free(req->checked_data);
	req->checked_data = NULL;
}

void hm_dispatch(struct hm_app *app, struct hm_request *req, struct hm_reply *reply)
{
	(void)dispatch(app, req, reply, false);
	hm_dispatch_end(req, reply);
}
