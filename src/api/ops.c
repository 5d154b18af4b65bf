// SPDX-License-Identifier: MIT
// Operations routes: health, Prometheus metrics and the audit log.
#include <stdlib.h>

#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/db.h"
#include "harreman/metrics.h"
#include "harreman/banned.h"

void hm_api_healthz(struct hm_request *req, struct hm_reply *reply)
{
	/* A real read of the schema: fails when the file is gone, corrupt or locked out. */
	static const char sql[] = "SELECT count(*) FROM sqlite_schema";
	sqlite3_stmt *stmt = hm_db_stmt(req->db, sql);
	int rc = stmt ? sqlite3_step(stmt) : SQLITE_ERROR;
	hm_db_done(stmt);
	if (rc != SQLITE_ROW) {
		hm_reply_error(reply, HM_ERR_UNAVAILABLE, "The database is unavailable.");
		return;
	}
	hm_reply_json(reply, 200, json_pack("{s:s}", "status", "ok"));
}

void hm_api_metrics(struct hm_request *req, struct hm_reply *reply)
{
	(void)req;
	size_t len = 0;
	char *text = hm_metrics_render(&len);
	if (!text) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	reply->status = 200;
	reply->body = text;
	reply->body_len = len;
	reply->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void hm_api_audit_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_audit_list(req->db, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}
