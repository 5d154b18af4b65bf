// SPDX-License-Identifier: MIT
// Privacy (admin): GET /clients/{id}/export, everything held on a client as one
// JSON document (the right of access), and POST /clients/{id}/erase (the right to
// be forgotten). What each covers, table by table, and the one transaction of each
// are in src/db/privacy.c; here the requests are checked and answered.
#include "harreman/api.h"
#include "harreman/db_clients.h"
#include "harreman/db_privacy.h"
#include "harreman/banned.h"

/* The client of the path exists; else answers 404 (before any 422, as before). */
static bool client_exists_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	bool exists = false;
	enum hm_err err = hm_db_clients_exists(req->db, req->path_ids[0], &exists);
	if (err == HM_OK && !exists)
		err = HM_ERR_NOT_FOUND;
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

void hm_api_clients_export(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_privacy_export(req->db, req->path_ids[0], &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_clients_erase(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	if (!client_exists_or_reply(req, reply) || !hm_api_no_fields_or_reply(req, reply))
		return;
	enum hm_err err = hm_db_privacy_erase(req->db, req->path_ids[0], &HM_ACTOR(req), &out);
	if (err == HM_ERR_CONFLICT) {
		json_decref(out);
		hm_reply_error(reply, err, "That would leave no active admin.");
		return;
	}
	hm_api_reply_result(reply, err, 200, out);
}
