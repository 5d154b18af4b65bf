// SPDX-License-Identifier: MIT
// Co-creation: students submit blog posts, materials and methods; staff review
// them; approved ones are published to everyone under the name the student chose.
// A student sees its own in any status with the reviewer's comment, nobody else's
// unless approved; staff see everything and filter the review queue by status.
// Bodies are plain text: stored and answered as sent, never turned into HTML.
// The handlers read and check the request, call src/db/contributions.c once and
// answer.
#include <string.h>

#include "harreman/api.h"
#include "harreman/db_clients.h"
#include "harreman/db_contributions.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const contribution_kinds[] = {"blog_post", "material", "method", NULL};
enum { APPROVED, REJECTED };
static const char *const decisions[] = {[APPROVED] = "approved", [REJECTED] = "rejected", NULL};
static const char *const statuses[] = {"submitted", "approved", "rejected", NULL};

/* ?status= and ?mine= of the list; 422 naming each bad one. */
static bool read_list_query_or_reply(struct hm_request *req, struct hm_reply *reply,
				     const char **status, bool *mine)
{
	json_t *fields = NULL;
	bool known = false;
	*status = hm_query_get(req, "status");
	for (int i = 0; *status && statuses[i]; i++)
		known = known || strcmp(*status, statuses[i]) == 0;
	if (*status && !known)
		fields = json_pack("{s:s}", "status",
				   "must be one of: submitted, approved, rejected");
	hm_api_query_bool(req, "mine", mine, &fields);
	if (fields)
		hm_reply_invalid(reply, fields);
	return fields == NULL;
}

void hm_api_contributions_list(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_contribution_viewer viewer = {.staff = req->who.role == HM_ROLE_STAFF ||
							 req->who.role == HM_ROLE_ADMIN};
	const char *status = NULL;
	bool mine = false;
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit;

	if (!read_list_query_or_reply(req, reply, &status, &mine) ||
	    !hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = HM_OK;
	if (req->who.role == HM_ROLE_STUDENT) {
		err = hm_db_clients_of_user(req->db, req->who.user_id, &viewer.client_id);
		if (err == HM_ERR_NOT_FOUND)
			err = HM_OK; /* no record: sees what the public sees */
	}
	if (err == HM_OK)
		err = hm_db_contributions_list(req->db, &viewer, status, mine, limit, after, &items,
					       &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

/* A POST /contributions body into in. */
static bool read_contribution_or_reply(struct hm_request *req, struct hm_reply *reply,
				       struct hm_contribution_input *in)
{
	static const char *const allowed[] = {"kind", "title", "body", "credit_name", NULL};
	static const char *const read_only[] = {
		"id",  "status", "submitted_at", "reviewed_at", "review_comment", "client_id",
		"own", NULL};
	struct hm_validation v;
	int kind = -1;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_enum(&v, req->json, "kind", true, contribution_kinds, &kind);
	hm_validate_text(&v, req->json, "title", true, HM_MAX_NAME, &in->title);
	hm_validate_long_text(&v, req->json, "body", true, HM_MAX_LONG_TEXT, &in->body);
	hm_validate_text(&v, req->json, "credit_name", false, HM_MAX_NAME, &in->credit_name);
	in->kind = kind >= 0 ? contribution_kinds[kind] : NULL;
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

void hm_api_contributions_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_contribution_input in = {0};
	int64_t client = 0;
	json_t *out = NULL;

	enum hm_err err = hm_db_clients_of_user(req->db, req->who.user_id, &client);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err); /* no client record: 404 before any 422 */
		return;
	}
	if (!read_contribution_or_reply(req, reply, &in))
		return;
	err = hm_db_contributions_create(req->db, client, &in, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}

/* 404 for a contribution that does not exist (before any 422). */
static bool contribution_exists_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	static const struct hm_contribution_viewer staff = {0, true};
	json_t *found = NULL;
	enum hm_err err = hm_db_contributions_get(req->db, req->path_ids[0], &staff, &found);
	json_decref(found);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

/* A review body: the decision, and a comment (required; not blank for a rejection). */
static bool read_review_or_reply(struct hm_request *req, struct hm_reply *reply,
				 const char **decision, const char **comment)
{
	static const char *const allowed[] = {"decision", "comment", NULL};
	struct hm_validation v;
	int index = -1;
	bool comment_present = false;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "decision", true, decisions, &index);
	hm_validate_text_or_empty(&v, req->json, "comment", HM_MAX_TEXT, comment, &comment_present);
	if (!comment_present || (!*comment && !json_object_get(v.fields, "comment")))
		hm_validation_fail(&v, "comment", "is required"); /* null counts as absent */
	else if (index == REJECTED && *comment && strspn(*comment, " \t\r\n") == strlen(*comment))
		hm_validation_fail(&v, "comment", "must say why the contribution is rejected");
	*decision = index >= 0 ? decisions[index] : NULL;
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

void hm_api_contributions_review(struct hm_request *req, struct hm_reply *reply)
{
	const char *decision = NULL, *comment = NULL;
	json_t *out = NULL;

	if (!contribution_exists_or_reply(req, reply) ||
	    !read_review_or_reply(req, reply, &decision, &comment))
		return;
	enum hm_err err = hm_db_contributions_review(req->db, req->path_ids[0], decision, comment,
						     &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}
