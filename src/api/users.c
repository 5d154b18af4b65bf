// SPDX-License-Identifier: MIT
// Users (admin): list, read, create (a student gets its client record), update
// role, name and active flag. Each write is one call into src/db/accounts.c. No
// answer ever carries password or token material.
#include "harreman/accounts.h"
#include "harreman/api.h"
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
	hm_api_reply_result(reply, err, 200, user);
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
	json_t *user = NULL;

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
	const struct hm_new_user new_user = {
		.email = email,
		.password_hash = hash,
		.full_name = full_name,
		.role = role_values[role],
	};
	enum hm_err err = hm_accounts_create_audited(req->db, &new_user, &HM_ACTOR(req), NULL,
						     &user_id, &user);
	hm_api_reply_result(reply, err, 201, user);
out:
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
	const struct hm_user_change change = {
		.role = role >= 0 ? role_values[role] : HM_ROLE_NONE,
		.full_name = full_name,
		.active = active_present ? &active : NULL,
	};
	enum hm_err err = hm_accounts_update_audited(req->db, req->path_ids[0], &change, req->json,
						     &HM_ACTOR(req), &user);
	if (err == HM_ERR_CONFLICT) {
		json_decref(user);
		hm_reply_error(reply, err, "That would leave no active admin.");
		goto out;
	}
	hm_api_reply_result(reply, err, 200, user);
out:
	hm_validation_release(&v);
}
