// SPDX-License-Identifier: MIT
// libFuzzer harness: one whole request through hm_dispatch (router, size and type
// checks, authentication, CSRF, roles, JSON parsing, validation, handlers) on an
// in-memory database, with no sockets.
//
// Input format (text, "\n"-separated):
//   line 1: method                      ("GET", "POST", ...)
//   line 2: target                      ("/api/v1/slots?tutor=1&from=2026-11-24")
//   then headers "Name: value" until an empty line; recognised names:
//     Content-Type, Cookie, Authorization, X-CSRF-Token, If-None-Match,
//     X-Remote (the client address; default 192.0.2.10: rate limits are per address),
//     X-Auth (value "student", "staff" or "admin": use that seeded session's
//     cookie and CSRF token; "bearer-staff": the staff API token)
//   then the body (every remaining byte, NUL bytes included).
// Properties (abort() when broken): the status is one the API answers, and every
// status >= 400 carries a JSON body with an "error" object.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/app.h"
#include "harreman/db.h"
#include "harreman/dispatch.h"
#include "harreman/log.h"
#include "harreman/sessions.h"
#include "harreman/token.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hm_app app;
/* HM_FUZZ_VERBOSE=1: print each answer; HM_FUZZ_ABORT_ON_5XX=1: a 5xx is a crash. */
static bool verbose, abort_on_5xx;
static const int64_t fuzz_now = 1800000000; /* 2027-01-15, fixed: reproducible */

struct login {
	char cookie[96];
	char csrf[HM_TOKEN_TEXT_LEN];
};
static struct login student, staff, admin;
static char staff_bearer[128];

static int setup_call(const char *method, const char *path, const char *body);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_request: setup failed: %s\n", what);
	abort();
}

static void login_as(enum hm_role role, const char *email, struct login *out)
{
	struct hm_db *db = hm_app_db(&app);
	int64_t user = 0, session = 0;
	char token[HM_TOKEN_TEXT_LEN];
	if (hm_accounts_create(db, email, "$argon2id$v=19$m=8,t=1,p=1$x$y", "Fuzz User", role, NULL,
			       fuzz_now, &user) != HM_OK)
		die("hm_accounts_create");
	if (hm_session_create(db, user, fuzz_now, token, out->csrf, &session) != HM_OK)
		die("hm_session_create");
	snprintf(out->cookie, sizeof out->cookie, "hm_session=%s", token);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct hm_config cfg;
	const char *why = NULL;
	hm_log_set_level(
		(enum hm_log_level)(HM_LOG_ERROR + 1)); /* keep the fuzzer's output readable */
	verbose = getenv("HM_FUZZ_VERBOSE") != NULL;
	abort_on_5xx = getenv("HM_FUZZ_ABORT_ON_5XX") != NULL;
	hm_config_defaults(&cfg);
	cfg.db_path = ":memory:"; /* this (the only fuzzing) thread's own database */
	if (!hm_app_init(&app, &cfg, &why))
		die(why ? why : "hm_app_init");
	if (!hm_app_db(&app))
		die("hm_app_db");
	if (hm_db_migrate(hm_app_db(&app), &why) != HM_OK)
		die(why ? why : "hm_db_migrate");
	login_as(HM_ROLE_STUDENT, "student@example.com", &student);
	login_as(HM_ROLE_STAFF, "staff@example.com", &staff);
	login_as(HM_ROLE_ADMIN, "admin@example.com", &admin);

	int64_t staff_id = 0;
	struct hm_identity who;
	memset(&who, 0, sizeof who);
	if (hm_session_lookup(hm_app_db(&app), staff.cookie + strlen("hm_session="), fuzz_now,
			      &who) == HM_OK)
		staff_id = who.user_id;
	char tok[HM_API_TOKEN_TEXT_LEN + 1];
	int64_t tok_id = 0;
	if (staff_id &&
	    hm_api_token_create(hm_app_db(&app), staff_id, "fuzz", fuzz_now, tok, &tok_id) == HM_OK)
		snprintf(staff_bearer, sizeof staff_bearer, "Bearer %s", tok);

	/* A small catalogue so the handlers get past "no such ...": the staff user is
	 * tutor 2, with office hours on weekdays, one private service (id 1), one gift,
	 * and a contract for the student's client (id 1). Failures only weaken the
	 * fuzzing, so they are reported, not fatal. */
	setup_call("PUT", "/api/v1/tutors/2",
		   "{\"subjects\":[\"maths\",\"physics\"],"
		   "\"bio\":\"Fuzz tutor\"}");
	setup_call("PUT", "/api/v1/tutors/2/availability",
		   "{\"windows\":[{\"weekday\":1,\"starts\":\"09:00\",\"ends\":\"20:00\"},"
		   "{\"weekday\":3,\"starts\":\"09:00\",\"ends\":\"20:00\"},"
		   "{\"weekday\":5,\"starts\":\"16:00\",\"ends\":\"24:00\"}]}");
	setup_call("POST", "/api/v1/services",
		   "{\"name\":\"Maths 1:1\",\"subject\":\"maths\","
		   "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3500}");
	setup_call("POST", "/api/v1/gifts",
		   "{\"key\":\"notebook\",\"name\":\"Notebook\","
		   "\"stock\":5}");
	setup_call("POST", "/api/v1/contracts",
		   "{\"client_id\":1,\"service_id\":1,"
		   "\"kind\":\"subscription\",\"sessions\":10,\"channel\":\"web\"}");
	return 0;
}

/* Answers one request as the admin during set-up (to seed the catalogue). */
static int setup_call(const char *method, const char *path, const char *body)
{
	struct hm_request req;
	struct hm_reply reply;
	memset(&req, 0, sizeof req);
	req.method_name = method;
	req.method = hm_method_from_name(method);
	req.path = path;
	req.remote_addr = "192.0.2.1";
	req.now = fuzz_now;
	req.cookie = admin.cookie;
	req.csrf_header = admin.csrf;
	req.content_type = "application/json";
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	hm_reply_init(&reply);
	hm_dispatch(&app, &req, &reply);
	int status = reply.status;
	if (verbose || status >= 300) {
		char *dump = reply.json ? json_dumps(reply.json, JSON_COMPACT) : NULL;
		fprintf(stderr, "fuzz_request: setup %s %s -> %d %.300s\n", method, path, status,
			dump ? dump : "");
		free(dump);
	}
	hm_reply_release(&reply);
	return status;
}

/* Cuts the next "\n"-terminated line out of buf[*pos..len) (NUL-terminating it in
 * place, dropping a trailing "\r"); NULL at the end of the input. */
static char *next_line(char *buf, size_t len, size_t *pos)
{
	if (*pos >= len)
		return NULL;
	char *start = buf + *pos;
	char *nl = memchr(start, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - start) : len - *pos;
	start[n] = '\0';
	if (n && start[n - 1] == '\r')
		start[n - 1] = '\0';
	*pos += n + (nl ? 1 : 0);
	return start;
}

static bool known_status(int s)
{
	static const int ok[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
				 409, 413, 414, 415, 422, 429, 500, 503};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == s)
			return true;
	return false;
}

/* Splits "a=1&b&c=" into req->query (in place). */
static void split_query(char *q, struct hm_request *req)
{
	while (q && *q && req->n_query < HM_MAX_QUERY_ARGS) {
		char *amp = strchr(q, '&');
		if (amp)
			*amp = '\0';
		char *eq = strchr(q, '=');
		if (eq)
			*eq = '\0';
		req->query[req->n_query].key = q;
		req->query[req->n_query].value = eq ? eq + 1 : NULL;
		req->n_query++;
		q = amp ? amp + 1 : NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HM_MAX_BODY + 4096)
		return -1;
	/* One extra byte so the last line can always be NUL-terminated. */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';

	struct hm_request req;
	memset(&req, 0, sizeof req);
	size_t pos = 0;
	char *method = next_line(buf, size, &pos);
	char *target = next_line(buf, size, &pos);
	if (!method || !target) {
		free(buf);
		return 0;
	}
	req.method_name = method;
	req.method = hm_method_from_name(method);
	/* As the server layer does before libmicrohttpd parses the query (on_uri). */
	req.target_too_long = hm_target_too_long(target);
	char *qm = strchr(target, '?');
	if (qm && req.target_too_long)
		qm[1] = '\0';
	if (qm) {
		*qm = '\0';
		split_query(qm + 1, &req);
	}
	req.path = target;
	req.remote_addr = "192.0.2.10";
	req.now = fuzz_now;
	snprintf(req.request_id, sizeof req.request_id, "fuzz000000000000");

	char *line;
	while ((line = next_line(buf, size, &pos)) != NULL && line[0] != '\0') {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *value = colon + 1;
		while (*value == ' ')
			value++;
		if (!strcasecmp(line, "Content-Type"))
			req.content_type = value;
		else if (!strcasecmp(line, "Cookie"))
			req.cookie = value;
		else if (!strcasecmp(line, "Authorization"))
			req.authorization = value;
		else if (!strcasecmp(line, "X-CSRF-Token"))
			req.csrf_header = value;
		else if (!strcasecmp(line, "If-None-Match"))
			req.if_none_match = value;
		else if (!strcasecmp(line, "X-Remote")) /* the client address */
			req.remote_addr = value;
		else if (!strcasecmp(line, "X-Auth")) {
			const struct login *who = !strcmp(value, "student") ? &student
						  : !strcmp(value, "staff") ? &staff
						  : !strcmp(value, "admin") ? &admin
									    : NULL;
			if (who) {
				req.cookie = who->cookie;
				req.csrf_header = who->csrf;
			} else if (!strcmp(value, "bearer-staff") && staff_bearer[0]) {
				req.authorization = staff_bearer;
			}
		}
	}
	if (pos < size) {
		req.body = buf + pos;
		req.body_len = size - pos;
	}

	struct hm_reply reply;
	hm_reply_init(&reply);
	hm_dispatch(&app, &req, &reply);

	if (!known_status(reply.status)) {
		fprintf(stderr, "fuzz_request: unexpected status %d\n", reply.status);
		abort();
	}
	if (reply.status >= 400) {
		if (!json_is_object(reply.json) ||
		    !json_is_object(json_object_get(reply.json, "error"))) {
			fprintf(stderr, "fuzz_request: status %d without a JSON error body\n",
				reply.status);
			abort();
		}
	}
	if (verbose) {
		char *dump = reply.json ? json_dumps(reply.json, JSON_COMPACT) : NULL;
		fprintf(stderr, "fuzz_request: %s %s -> %d %.300s\n", req.method_name, req.path,
			reply.status, dump ? dump : "");
		free(dump);
	}
	if (abort_on_5xx && reply.status >= 500) {
		fprintf(stderr, "fuzz_request: status %d\n", reply.status);
		abort();
	}
	hm_reply_release(&reply);
	free(buf);
	return 0;
}
