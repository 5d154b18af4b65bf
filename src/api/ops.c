// SPDX-License-Identifier: MIT
// Operations routes: health, Prometheus metrics and the audit log.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/db.h"
#include "harreman/dispatch.h"
#include "harreman/metrics.h"
#include "harreman/response_cache.h"
#include "harreman/banned.h"

/* 503 when the database file is gone, replaced or cannot be written (checked now,
 * not from the last second's finding), or cannot be read. */
void hm_api_healthz(struct hm_request *req, struct hm_reply *reply)
{
	enum hm_db_file file = hm_db_file_check(true);
	if (file != HM_DB_FILE_OK) {
		hm_reply_error(reply, HM_ERR_UNAVAILABLE, hm_db_file_message(file));
		return;
	}
	if (hm_db_check_readable(req->db) != HM_OK) {
		hm_reply_error(reply, HM_ERR_UNAVAILABLE, "The database is unavailable.");
		return;
	}
	hm_reply_json(reply, 200, json_pack("{s:s}", "status", "ok"));
}

/* The route labels for /metrics, in the table's order (metrics.h knows nothing of
 * routes): made once, read-only after. */
static struct hm_metrics_route labels[HM_METRICS_MAX_ROUTES];
static char label_methods[HM_METRICS_MAX_ROUTES][48];

static void label_routes(void)
{
	for (size_t i = 0; i < hm_route_count && i < HM_METRICS_MAX_ROUTES; i++) {
		hm_router_allow_header(hm_routes[i].methods, label_methods[i],
				       sizeof label_methods[i]);
		labels[i] = (struct hm_metrics_route){label_methods[i], hm_routes[i].pattern};
	}
}

void hm_api_metrics(struct hm_request *req, struct hm_reply *reply)
{
	(void)req;
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (pthread_once(&once, label_routes) != 0) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		return;
	}
	struct hm_metrics_gauges gauges = {
		.db_busy_retries = hm_db_busy_retries(),
		.sqlite_memory_bytes = hm_db_memory_used(),
	};
	hm_cache_counts(&gauges.cache_hits, &gauges.cache_misses);
	size_t len = 0;
	size_t n = hm_route_count < HM_METRICS_MAX_ROUTES ? hm_route_count : HM_METRICS_MAX_ROUTES;
	char *text = hm_metrics_render(labels, n, &gauges, &len);
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
	/* ?order=newest: newest first (the admin page), else oldest first. */
	const char *order = hm_query_get(req, "order");
	if (order && strcmp(order, "newest") != 0 && strcmp(order, "oldest") != 0) {
		hm_reply_invalid(reply,
				 json_pack("{s:s}", "order", "must be one of: newest, oldest"));
		return;
	}
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_audit_list(req->db, after, limit,
					order && strcmp(order, "newest") == 0, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}
