// SPDX-License-Identifier: MIT
// TicketBAI sending's routes (API.md, "Invoices and TicketBAI"): GET
// /tbai/submissions (admin) lists every submission and its answer; POST
// /invoices/{id}/tbai/retry (admin) puts a signed invoice back to be sent again
// (the sending thread, src/mail/tbai_send.c, picks it up).
#include "harreman/api.h"
#include "harreman/db_tbai.h"
#include "harreman/banned.h"

void hm_api_tbai_submissions(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_tbai_submissions(req->db, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_tbai_retry(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_tbai_retry(req->db, req->path_ids[0], &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 202, out);
}
