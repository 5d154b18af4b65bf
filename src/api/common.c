// SPDX-License-Identifier: MIT
// Reply helpers every resource shares (include/harreman/api.h): results, pages,
// 429s, the response cache of a handler that keys its own answers; and the CSV
// field the reports write.
#include <stdio.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/csv.h"
#include "harreman/buf.h"
#include "harreman/db.h"
#include "harreman/db_clients.h"
#include "harreman/identity.h"
#include "harreman/rate_memory.h"
#include "harreman/ratelimit.h"
#include "harreman/response_cache.h"
#include "harreman/banned.h"

void hm_api_reply_page(struct hm_reply *reply, json_t *items, int64_t next_after)
{
	json_t *page = items ? json_pack("{s:o, s:o}", "items", items, "next_after",
					 next_after ? json_integer(next_after) : json_null())
			     : NULL;
	hm_reply_json(reply, 200, page);
}

void hm_api_reply_err(struct hm_reply *reply, enum hm_err err)
{
	hm_reply_error(reply, err, NULL);
}

void hm_api_reply_validation(struct hm_reply *reply, struct hm_validation *v)
{
	if (v->oom)
		hm_reply_error(reply, HM_ERR_INTERNAL, NULL);
	else
		hm_reply_invalid(reply, hm_validation_take(v));
}

void hm_api_reply_result(struct hm_reply *reply, enum hm_err err, int status, json_t *body)
{
	if (err != HM_OK) {
		json_decref(body);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, status, body);
}

bool hm_api_validation_ok_or_reply(struct hm_reply *reply, struct hm_validation *v)
{
	bool ok = hm_validation_ok(v);
	if (!ok)
		hm_api_reply_validation(reply, v);
	hm_validation_release(v);
	return ok;
}

bool hm_api_no_fields_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const none[] = {NULL};
	struct hm_validation v;
	hm_validation_init(&v);
	if (req->json)
		hm_validate_known(&v, req->json, none, NULL);
	return hm_api_validation_ok_or_reply(reply, &v);
}

/* 429 with Retry-After: retry seconds. */
static void reply_rate_limited(struct hm_reply *reply, int64_t retry, const char *message)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)retry);
	hm_reply_header(reply, "Retry-After", text);
	hm_reply_error(reply, HM_ERR_RATE_LIMITED, message);
}

bool hm_api_rate_ok_or_reply(struct hm_request *req, struct hm_reply *reply, const char *bucket,
			     int64_t window, int max, const char *message)
{
	bool limited = false;
	int64_t retry = 0;
	enum hm_err err = hm_ratelimit_check(req->db, bucket, req->remote_addr, req->now, window,
					     max, &limited, &retry);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return false;
	}
	if (limited)
		reply_rate_limited(reply, retry, message);
	return !limited;
}

bool hm_api_rate_memory_ok_or_reply(struct hm_request *req, struct hm_reply *reply,
				    const char *bucket, int64_t window, int max,
				    const char *message)
{
	int64_t retry = 0;
	bool ok = hm_rate_memory_hit(bucket, req->remote_addr, req->now, window, max, &retry);
	if (!ok)
		reply_rate_limited(reply, retry, message);
	return ok;
}

/* hm_api_cache_miss_or_reply and hm_api_cache_part_miss: part says which lookup. */
static bool cache_miss(struct hm_request *req, struct hm_reply *reply, const char *key, bool part,
		       uint64_t *generation)
{
	if (hm_db_changed_elsewhere(req->db))
		hm_cache_invalidate();
	if (part ? hm_cache_get_part(key, req->now, reply) : hm_cache_get(key, req->now, reply))
		return false;
	*generation = hm_cache_generation();
	return true;
}

bool hm_api_cache_miss_or_reply(struct hm_request *req, struct hm_reply *reply, const char *key,
				uint64_t *generation)
{
	return cache_miss(req, reply, key, false, generation);
}

bool hm_api_cache_part_miss(struct hm_request *req, const char *key, struct hm_reply *part,
			    uint64_t *generation)
{
	return cache_miss(req, part, key, true, generation);
}

void hm_api_cache_keep(struct hm_request *req, struct hm_reply *reply, const char *key,
		       uint64_t generation)
{
	if (reply->status == 200 && reply->cache_until > req->now && hm_reply_encode(reply))
		hm_cache_put(key, generation, reply->cache_until, reply);
}

enum hm_err hm_api_caller_client(struct hm_request *req, int64_t *client_id)
{
	*client_id = 0;
	if (req->who.role != HM_ROLE_STUDENT)
		return HM_OK;
	return hm_db_clients_of_user(req->db, req->who.user_id, client_id);
}

/* One CSV field per RFC 4180 (src/util/csv.c), then a comma or CRLF. */
bool hm_api_csv_field(struct hm_buf *out, const char *text, bool last)
{
	struct hm_csv csv;
	hm_csv_begin(&csv, out, HM_CSV_RFC4180);
	hm_csv_str(&csv, text);
	if (last)
		hm_csv_end_row(&csv);
	else if (csv.ok)
		csv.ok = hm_buf_append(out, ",", 1);
	return csv.ok;
}
