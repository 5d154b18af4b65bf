// SPDX-License-Identifier: MIT
// The outbox seen by admins: the messages queued and sent with their delivery
// state (filtered by state, keyset pages by id), one message with its body and
// delivery log, and sending a failed or unknown message again. The table and the
// sender live in src/db/outbox.c (the retry's transaction too) and
// src/mail/sender.c.
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/banned.h"

void hm_api_outbox_list(struct hm_request *req, struct hm_reply *reply)
{
	const char *state = hm_query_get(req, "state");
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	bool known = !state;
	for (int i = 0; state && hm_outbox_states[i]; i++)
		known = known || strcmp(state, hm_outbox_states[i]) == 0;
	if (!known) {
		hm_reply_invalid(reply, json_pack("{s:s}", "state",
						  "must be one of: queued, sending, sent, failed,"
						  " unknown, cancelled"));
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_outbox_list(req->db, state, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_outbox_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *msg = NULL;
	enum hm_err err = hm_outbox_get(req->db, req->path_ids[0], &msg);
	hm_api_reply_result(reply, err, 200, msg);
}

/* A failed or unknown message goes back in the queue; the sender is woken once
 * that is committed. */
void hm_api_outbox_retry(struct hm_request *req, struct hm_reply *reply)
{
	int64_t id = req->path_ids[0];
	json_t *msg = NULL;
	enum hm_err err = hm_outbox_get(req->db, id, &msg); /* 404 before 422 */
	json_decref(msg);
	msg = NULL;
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	if (!hm_api_no_fields_or_reply(req, reply))
		return;
	err = hm_outbox_retry_audited(req->db, id, &HM_ACTOR(req), &msg);
	if (err == HM_ERR_CONFLICT) {
		json_decref(msg);
		hm_reply_error(reply, err, "Only a failed or unknown message can be sent again.");
		return;
	}
	hm_api_reply_result(reply, err, 200, msg);
	if (reply->status == 200)
		hm_sender_wake(req->app->sender);
}
