// SPDX-License-Identifier: MIT
// Families (API.md v2, "Families"): the one helper every student route about a
// learner uses to find whom it acts for (hm_api_learner), a student's family and
// the children it adds (/me/clients), and the staff's merge, read and leave
// (/families). src/db/families.c owns the statements and transactions.
#include <string.h>

#include "harreman/api.h"
#include "harreman/db_families.h"
#include "harreman/limits.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const locales[] = {"eu", "es", "en", NULL};

/* ---- the learner a student route acts for ---------------------------------- */

enum hm_err hm_api_learner(struct hm_request *req, int64_t *client_id)
{
	int64_t asked = 0;
	json_t *fields = NULL;
	json_t *in_body = req->json ? json_object_get(req->json, "client_id") : NULL;
	*client_id = 0;
	if (req->who.role != HM_ROLE_STUDENT)
		return HM_OK;
	if (!hm_api_query_id(req, "client_id", &asked, &fields)) {
		json_decref(fields);
		return HM_ERR_VALIDATION_FAILED;
	}
	if (in_body && !hm_query_get(req, "client_id")) {
		if (!json_is_integer(in_body) || json_integer_value(in_body) < 1)
			return HM_ERR_VALIDATION_FAILED;
		asked = json_integer_value(in_body);
	}
	return hm_db_families_learner(req->db, req->who.user_id, asked, client_id);
}

bool hm_api_learner_or_reply(struct hm_request *req, struct hm_reply *reply, int64_t *client_id)
{
	enum hm_err err = hm_api_learner(req, client_id);
	if (err == HM_ERR_VALIDATION_FAILED)
		hm_reply_invalid(
			reply, json_pack("{s:s}", "client_id", "must be a positive whole number"));
	else if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

bool hm_api_learner_body_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const learner_only[] = {"client_id", NULL};
	struct hm_validation v;
	hm_validation_init(&v);
	if (req->json)
		hm_validate_known(&v, req->json, learner_only, NULL);
	return hm_api_validation_ok_or_reply(reply, &v);
}

/* ---- a student's family ----------------------------------------------------- */

void hm_api_me_clients_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *items = NULL;
	enum hm_err err = hm_db_families_members(req->db, req->who.user_id, req->now, &items);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
}

void hm_api_me_clients_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"full_name", "level", "locale", NULL};
	static const char *const read_only[] = {
		"id", "user_id", "guardian", "family_id", "created_at", "relationship", NULL};
	struct hm_validation v;
	struct hm_child c = {0};
	int locale = -1;
	json_t *out = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_text(&v, req->json, "full_name", true, HM_MAX_NAME, &c.full_name);
	hm_validate_text(&v, req->json, "level", false, HM_MAX_LEVEL, &c.level);
	hm_validate_enum(&v, req->json, "locale", false, locales, &locale);
	if (!hm_api_validation_ok_or_reply(reply, &v))
		return;
	c.locale = locale >= 0 ? locales[locale] : NULL;
	enum hm_err err = hm_db_families_add_child(req->db, req->who.user_id, &c, &HM_ACTOR(req),
						   &out);
	if (err == HM_ERR_CONFLICT)
		hm_reply_error(reply, err, "The family has as many members as it may have.");
	else
		hm_api_reply_result(reply, err, 201, out);
}

/* ---- staff: merge, read, leave ---------------------------------------------- */

void hm_api_families_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"client_ids", NULL};
	static const char *const read_only[] = {"id", "contracts", NULL};
	int64_t ids[HM_FAMILY_MAX];
	size_t n = 0;
	int64_t missing = 0;
	json_t *out = NULL;
	struct hm_validation v;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	json_t *list = json_object_get(req->json, "client_ids");
	size_t i;
	json_t *item;
	if (!json_is_array(list) || json_array_size(list) < 2 ||
	    json_array_size(list) > HM_FAMILY_MAX) {
		char rule[80];
		snprintf(rule, sizeof rule, "must be a list of 2 to %d client ids", HM_FAMILY_MAX);
		hm_validation_fail(&v, "client_ids", rule);
	} else {
		json_array_foreach(list, i, item)
		{
			if (!json_is_integer(item) || json_integer_value(item) < 1) {
				hm_validation_fail(&v, "client_ids",
						   "every item must be a client id");
				break;
			}
			ids[n++] = json_integer_value(item);
		}
	}
	if (!hm_api_validation_ok_or_reply(reply, &v))
		return;
	enum hm_err err = hm_db_families_merge(req->db, ids, n, &HM_ACTOR(req), &out, &missing);
	if (err == HM_ERR_VALIDATION_FAILED) {
		char why[64];
		snprintf(why, sizeof why, "no such client: %lld", (long long)missing);
		hm_reply_invalid(reply, json_pack("{s:s}", "client_ids", why));
		return;
	}
	if (err == HM_ERR_CONFLICT) {
		json_decref(out);
		hm_reply_error(reply, err, "The family would have more members than it may have.");
		return;
	}
	hm_api_reply_result(reply, err, 201, out);
}

void hm_api_families_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_families_get(req->db, req->path_ids[0], &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_families_leave(struct hm_request *req, struct hm_reply *reply)
{
	enum hm_err err = hm_db_families_leave(req->db, req->path_ids[0], req->path_ids[1],
					       &HM_ACTOR(req));
	if (err == HM_OK)
		hm_reply_no_content(reply);
	else
		hm_api_reply_err(reply, err);
}
