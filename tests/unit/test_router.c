// SPDX-License-Identifier: MIT
// The router: literal and {id} segments, HEAD as GET, 404 versus 405 with the
// methods a path takes, and the route table's own sanity.
#include <string.h>

#include "check.h"
#include "harreman/dispatch.h"
#include "harreman/router.h"

static void handler_a(struct hm_request *req, struct hm_reply *reply)
{
	(void)req;
	(void)reply;
}
static void handler_b(struct hm_request *req, struct hm_reply *reply)
{
	(void)req;
	(void)reply;
}

static const struct hm_route table[] = {
	{.methods = HM_GET,
	 .pattern = "/api/v1/users",
	 .handler = handler_a,
	 .access = HM_ALLOW_ADMIN},
	{.methods = HM_POST,
	 .pattern = "/api/v1/users",
	 .handler = handler_b,
	 .access = HM_ALLOW_ADMIN},
	{.methods = HM_GET | HM_PATCH,
	 .pattern = "/api/v1/users/{id}",
	 .handler = handler_a,
	 .access = HM_ALLOW_ADMIN},
	{.methods = HM_POST,
	 .pattern = "/api/v1/lessons/{id}/cancel",
	 .handler = handler_b,
	 .access = HM_ALLOW_STAFF},
	{.methods = HM_GET,
	 .pattern = "/api/v1/clients/{id}/contracts/{id}",
	 .handler = handler_a,
	 .access = HM_ALLOW_STAFF},
	{.methods = HM_DELETE,
	 .pattern = "/api/v1/families/{id}/members/{client_id}",
	 .handler = handler_b,
	 .access = HM_ALLOW_STAFF},
};
static const size_t n_table = sizeof table / sizeof table[0];

static enum hm_match match(enum hm_method m, const char *path, size_t *index, int64_t ids[],
			   unsigned *allowed)
{
	return hm_router_match(table, n_table, m, path, index, ids, allowed);
}

static void test_literal_paths_match_by_method(void)
{
	size_t i = 99;
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed;
	CHECK_INT(match(HM_GET, "/api/v1/users", &i, ids, &allowed), HM_MATCH_FOUND);
	CHECK_INT(i, 0);
	CHECK_INT(match(HM_POST, "/api/v1/users", &i, ids, &allowed), HM_MATCH_FOUND);
	CHECK_INT(i, 1);
}

static void test_id_segments_are_captured(void)
{
	size_t i;
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed;
	CHECK_INT(match(HM_PATCH, "/api/v1/users/42", &i, ids, &allowed), HM_MATCH_FOUND);
	CHECK_INT(i, 2);
	CHECK_INT(ids[0], 42);
	CHECK_INT(match(HM_GET, "/api/v1/clients/7/contracts/900", &i, ids, &allowed),
		  HM_MATCH_FOUND);
	CHECK_INT(ids[0], 7);
	CHECK_INT(ids[1], 900);
	CHECK_INT(match(HM_POST, "/api/v1/lessons/3/cancel", &i, ids, &allowed), HM_MATCH_FOUND);
	CHECK_INT(ids[0], 3);
	/* A named id ({client_id}) is an id like {id}. */
	CHECK_INT(match(HM_DELETE, "/api/v1/families/5/members/12", &i, ids, &allowed),
		  HM_MATCH_FOUND);
	CHECK_INT(i, 5);
	CHECK_INT(ids[0], 5);
	CHECK_INT(ids[1], 12);
	CHECK_INT(match(HM_DELETE, "/api/v1/families/5/members/x", &i, ids, &allowed),
		  HM_MATCH_NO_PATH);
}

static void test_bad_ids_are_not_found(void)
{
	size_t i;
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed;
	static const char *const bad[] = {
		"/api/v1/users/0",  "/api/v1/users/007", "/api/v1/users/-1",
		"/api/v1/users/1a", "/api/v1/users/",    "/api/v1/users/9999999999999999999",
		"/api/v1/users/1/", "/api/v1/users//1",  "/api/v1/users/ 1",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		CHECK_INT(match(HM_GET, bad[k], &i, ids, &allowed), HM_MATCH_NO_PATH);
}

static void test_near_misses_are_not_found(void)
{
	size_t i;
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed;
	CHECK_INT(match(HM_GET, "/api/v1/user", &i, ids, &allowed), HM_MATCH_NO_PATH);
	CHECK_INT(match(HM_GET, "/api/v1/users/", &i, ids, &allowed), HM_MATCH_NO_PATH);
	CHECK_INT(match(HM_GET, "/api/v1/usersx", &i, ids, &allowed), HM_MATCH_NO_PATH);
	CHECK_INT(match(HM_GET, "/API/v1/users", &i, ids, &allowed), HM_MATCH_NO_PATH);
	CHECK_INT(match(HM_GET, "", &i, ids, &allowed), HM_MATCH_NO_PATH);
	CHECK_INT(match(HM_POST, "/api/v1/lessons/3/cancel/x", &i, ids, &allowed),
		  HM_MATCH_NO_PATH);
}

static void test_wrong_method_reports_the_allowed_ones(void)
{
	size_t i;
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed = 0;
	char allow[64];
	CHECK_INT(match(HM_DELETE, "/api/v1/users", &i, ids, &allowed), HM_MATCH_NO_METHOD);
	hm_router_allow_header(allowed, allow, sizeof allow);
	CHECK_STR(allow, "GET, HEAD, POST");
	CHECK_INT(match(HM_PUT, "/api/v1/users/5", &i, ids, &allowed), HM_MATCH_NO_METHOD);
	hm_router_allow_header(allowed, allow, sizeof allow);
	CHECK_STR(allow, "GET, HEAD, PATCH");
	CHECK_INT(match(HM_GET, "/api/v1/lessons/3/cancel", &i, ids, &allowed), HM_MATCH_NO_METHOD);
	hm_router_allow_header(allowed, allow, sizeof allow);
	CHECK_STR(allow, "POST");
}

static void test_head_is_answered_by_get_routes(void)
{
	size_t i = 99;
	int64_t ids[HM_MAX_PATH_IDS];
	unsigned allowed;
	CHECK_INT(match(HM_HEAD, "/api/v1/users", &i, ids, &allowed), HM_MATCH_FOUND);
	CHECK_INT(i, 0);
	CHECK_INT(match(HM_HEAD, "/api/v1/lessons/3/cancel", &i, ids, &allowed),
		  HM_MATCH_NO_METHOD);
}

static void test_method_names(void)
{
	CHECK_INT(hm_method_from_name("GET"), HM_GET);
	CHECK_INT(hm_method_from_name("PATCH"), HM_PATCH);
	CHECK_INT(hm_method_from_name("get"), HM_OTHER);
	CHECK_INT(hm_method_from_name("OPTIONS"), HM_OTHER);
	CHECK_INT(hm_method_from_name(""), HM_OTHER);
}

/* The real table: every route declares who may call it, has a handler, a pattern
 * under the API, and no (method, pattern) pair appears twice. */
static void test_route_table_is_complete(void)
{
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *r = &hm_routes[i];
		CHECK(r->access != 0);
		CHECK(r->handler != NULL);
		CHECK(r->methods != 0 && !(r->methods & (HM_HEAD | HM_OTHER)));
		CHECK(strncmp(r->pattern, "/api/v1/", 8) == 0 ||
		      strcmp(r->pattern, "/healthz") == 0 || strcmp(r->pattern, "/metrics") == 0 ||
		      strncmp(r->pattern, "/calendar/", 10) == 0);
		for (size_t j = 0; j < i; j++)
			CHECK(!(strcmp(hm_routes[j].pattern, r->pattern) == 0 &&
				(hm_routes[j].methods & r->methods)));
		/* A route that is not a GET either takes a body or says it takes none. */
		if (r->methods & HM_GET)
			CHECK(!(r->flags & HM_BODY_REQUIRED));
	}
}

int main(void)
{
	RUN(test_literal_paths_match_by_method);
	RUN(test_id_segments_are_captured);
	RUN(test_bad_ids_are_not_found);
	RUN(test_near_misses_are_not_found);
	RUN(test_wrong_method_reports_the_allowed_ones);
	RUN(test_head_is_answered_by_get_routes);
	RUN(test_method_names);
	RUN(test_route_table_is_complete);
	return CHECK_EXIT();
}
