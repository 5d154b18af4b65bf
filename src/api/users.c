// SPDX-License-Identifier: MIT
// Users (admin): list, read, create (a student gets its client record), update
// role, name and active flag. No answer ever carries password or token material.
#include "harreman/accounts.h"
#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const roles[] = {"student", "staff", "admin", NULL};
static const enum hm_role role_values[] = {HM_ROLE_STUDENT, HM_ROLE_STAFF, HM_ROLE_ADMIN};

void hm_api_users_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_accounts_list(req->db, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_users_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *user = NULL;
	enum hm_err err = hm_accounts_user_json(req->db, req->path_ids[0], &user);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, user);
}

void hm_api_users_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"email", "password", "full_name", "role", NULL};
	static const char *const read_only[] = {"id", "active", "created_at", NULL};
	struct hm_validation v;
	char email[HM_MAX_EMAIL + 1] = "";
	const char *password = NULL, *full_name = NULL;
	int role = 0;
	int64_t user_id = 0;
	char hash[HM_PASSWORD_HASH_LEN];
	json_t *user = NULL, *detail = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_email(&v, req->json, "email", true, email, NULL);
	hm_validate_password(&v, req->json, "password", &password);
	hm_validate_text(&v, req->json, "full_name", true, HM_MAX_NAME, &full_name);
	hm_validate_enum(&v, req->json, "role", true, roles, &role);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (!hm_password_hash(password, hash)) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		goto out;
	}
	detail = json_pack("{s:s, s:s}", "email", email, "role", roles[role]);
	enum hm_err err = detail ? hm_db_begin(req->db) : HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = hm_accounts_create(req->db, email, hash, full_name, role_values[role], NULL,
					 req->now, &user_id);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "user.create", "user", user_id,
				      detail, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_accounts_user_json(req->db, user_id, &user);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_reply_json(reply, 201, user);
	user = NULL;
out:
	json_decref(user);
	json_decref(detail);
	sodium_memzero(hash, sizeof hash);
	hm_validation_release(&v);
}

void hm_api_users_update(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"role", "full_name", "active", NULL};
	static const char *const read_only[] = {"id", "email", "created_at", NULL};
	struct hm_validation v;
	int role = -1;
	const char *full_name = NULL;
	bool active = true, active_present = false;
	int64_t id = req->path_ids[0];
	json_t *user = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_enum(&v, req->json, "role", false, roles, &role);
	hm_validate_text(&v, req->json, "full_name", false, HM_MAX_NAME, &full_name);
	hm_validate_bool(&v, req->json, "active", false, &active, &active_present);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_accounts_update(req->db, id, role >= 0 ? role_values[role] : HM_ROLE_NONE,
					 full_name, active_present ? &active : NULL, req->now);
	if (err == HM_OK && json_object_size(req->json) > 0)
		err = hm_audit_record(req->db, req->who.user_id, "user.update", "user", id,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_accounts_user_json(req->db, id, &user);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		if (err == HM_ERR_CONFLICT)
			hm_reply_error(reply, err, "That would leave no active admin.");
		else
			hm_api_reply_err(reply, err);
		goto out;
	}
	hm_reply_json(reply, 200, user);
	user = NULL;
out:
	json_decref(user);
	hm_validation_release(&v);
}
