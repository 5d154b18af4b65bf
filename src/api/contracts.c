// SPDX-License-Identifier: MIT
// Contracts and the loyalty discount: making and cancelling contracts, quotes, the
// discount tiers, branded gifts, a student's loyalty stage and the loyalty report
// (JSON and CSV). Handlers parse, authorize and render; src/db/contracts.c and
// src/db/gifts.c own the statements and transactions (ordinal, discount and gift
// are decided in hm_db_contracts_insert, inside the write's transaction).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/buf.h"
#include "harreman/db_clients.h"
#include "harreman/db_services.h"
#include "harreman/db_contracts.h"
#include "harreman/db_gifts.h"
#include "harreman/limits.h"
#include "harreman/loyalty.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const contract_kinds[] = {"one_off", "subscription", NULL};
static const char *const channels[] = {"web", "phone", "email", "in_person", NULL};

/* The reply of a write: status with body, or the error with the db layer's reason
 * (static text, may be NULL). Takes body. */
static void reply_written(struct hm_reply *reply, enum hm_err err, int status, json_t *body,
			  const char *why)
{
	if (err != HM_OK && why) {
		json_decref(body);
		hm_reply_error(reply, err, why);
		return;
	}
	hm_api_reply_result(reply, err, status, body);
}

/* ---- making contracts ---------------------------------------------------- */

/* Reads {service_id, kind, sessions} (and client_id, channel when staff). */
struct contract_body {
	int64_t client_id, service_id, sessions;
	int kind, channel;
	bool sessions_present;
	struct hm_service service;
};

static bool read_contract_or_reply(struct hm_request *req, struct hm_reply *reply, bool staff,
				   struct contract_body *b)
{
	static const char *const staff_fields[] = {"client_id", "service_id", "kind",
						   "sessions",  "channel",    NULL};
	static const char *const student_fields[] = {"client_id", "service_id", "kind", "sessions",
						     NULL};
	static const char *const read_only[] = {"id",
						"ordinal",
						"price_cents",
						"discount_percent",
						"discount_cents",
						"list_price_cents",
						"gift",
						"status",
						"sessions_used",
						NULL};
	/* API.md v2: a student's contract is always made on the web. */
	static const char *const student_read_only[] = {"id",
							"ordinal",
							"price_cents",
							"discount_percent",
							"discount_cents",
							"list_price_cents",
							"gift",
							"status",
							"sessions_used",
							"channel",
							NULL};
	struct hm_validation v;
	bool ok = false;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, staff ? staff_fields : student_fields,
			  staff ? read_only : student_read_only);
	if (staff)
		hm_validate_int(&v, req->json, "client_id", true, 1, INT64_MAX, &b->client_id,
				NULL);
	hm_validate_int(&v, req->json, "service_id", true, 1, INT64_MAX, &b->service_id, NULL);
	hm_validate_enum(&v, req->json, "kind", true, contract_kinds, &b->kind);
	hm_validate_int(&v, req->json, "sessions", false, 1, HM_MAX_SESSIONS, &b->sessions,
			&b->sessions_present);
	if (staff)
		hm_validate_enum(&v, req->json, "channel", true, channels, &b->channel);
	if (b->kind == 0 && b->sessions_present && b->sessions != 1)
		hm_validation_fail(&v, "sessions", "a one-off contract has 1 session");
	if (b->kind == 1 && !b->sessions_present)
		hm_validation_fail(&v, "sessions", "is required for a subscription");
	if (!b->sessions_present)
		b->sessions = 1;
	if (hm_validation_ok(&v) && b->service_id) {
		enum hm_err err = hm_db_services_read(req->db, b->service_id, &b->service);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !b->service.active))
			hm_validation_fail(&v, "service_id", "no such service");
		else if (err != HM_OK)
			v.oom = true;
	}
	if (hm_validation_ok(&v) && staff) {
		bool exists = false;
		if (hm_db_clients_exists(req->db, b->client_id, &exists) != HM_OK)
			v.oom = true;
		else if (!exists)
			hm_validation_fail(&v, "client_id", "no such client");
	}
	if (!hm_validation_ok(&v))
		hm_api_reply_validation(reply, &v);
	else
		ok = true;
	hm_validation_release(&v);
	return ok;
}

/* The contract to make from a checked body. */
static struct hm_new_contract new_contract(const struct contract_body *b, const char *channel)
{
	return (struct hm_new_contract){
		.client_id = b->client_id,
		.service = &b->service,
		.subscription = b->kind == 1,
		.sessions = (int)b->sessions,
		.sessions_used = 0,
		.channel = channel,
	};
}

void hm_api_contracts_create(struct hm_request *req, struct hm_reply *reply)
{
	struct contract_body b = {.kind = -1, .channel = -1};
	json_t *out = NULL;

	if (!read_contract_or_reply(req, reply, true, &b))
		return;
	struct hm_new_contract c = new_contract(&b, channels[b.channel]);
	enum hm_err err = hm_db_contracts_create(req->db, &c, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}

void hm_api_me_contracts_create(struct hm_request *req, struct hm_reply *reply)
{
	struct contract_body b = {.kind = -1, .channel = -1};
	json_t *out = NULL;

	if (!hm_api_learner_or_reply(req, reply, &b.client_id) ||
	    !read_contract_or_reply(req, reply, false, &b))
		return;
	struct hm_new_contract c = new_contract(&b, "web");
	enum hm_err err = hm_db_contracts_create(req->db, &c, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}

/* ---- reading and cancelling ---------------------------------------------- */

static void reply_contracts(struct hm_request *req, struct hm_reply *reply, int64_t client_id)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_contracts_list(req->db, client_id, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_contracts_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL;
	int64_t client_id = 0;
	if (!hm_api_query_id(req, "client_id", &client_id, &fields)) {
		hm_reply_invalid(reply, fields);
		return;
	}
	reply_contracts(req, reply, client_id);
}

void hm_api_me_contracts_list(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client_id = 0;
	if (!hm_api_learner_or_reply(req, reply, &client_id))
		return;
	reply_contracts(req, reply, client_id);
	reply->cache_until = INT64_MAX; /* the user's own, kept until the next write */
}

void hm_api_contracts_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_contracts_json(req->db, req->path_ids[0], &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_contracts_cancel(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_outbox_env env;
	json_t *out = NULL;
	const char *why = NULL;

	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_contracts_cancel(req->db, req->path_ids[0], &HM_ACTOR(req), &env,
						 &out, &why);
	reply_written(reply, err, 200, out, why);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
}

/* ---- quote ---------------------------------------------------------------- */

struct quote_query {
	int64_t service_id, client_id, sessions;
	struct hm_service service;
};

/* A positive whole number ?key= into *out, a bad one into v. */
static void query_id(const struct hm_request *req, struct hm_validation *v, const char *key,
		     int64_t *out)
{
	json_t *fields = NULL;
	if (!hm_api_query_id(req, key, out, &fields))
		hm_validation_fail(v, key, json_string_value(json_object_get(fields, key)));
	json_decref(fields);
}

/* ?service_id=&kind=&sessions= (and client_id= from staff), every bad one named at
 * once: false when it answered. */
static bool read_quote_or_reply(struct hm_request *req, struct hm_reply *reply,
				struct quote_query *q)
{
	struct hm_validation v;
	const char *kind = hm_query_get(req, "kind");
	bool staff = req->who.role != HM_ROLE_STUDENT, one_off = false, ok = false;
	enum hm_err err = HM_OK;
	char sessions_rule[64];
	snprintf(sessions_rule, sizeof sessions_rule, "must be 1 for one_off, at most %d",
		 HM_MAX_SESSIONS);

	hm_validation_init(&v);
	q->sessions = 1;
	query_id(req, &v, "service_id", &q->service_id);
	query_id(req, &v, "sessions", &q->sessions);
	query_id(req, &v, "client_id", &q->client_id); /* a student's: its family's */
	if (!hm_query_get(req, "service_id"))
		hm_validation_fail(&v, "service_id", "is required");
	if (staff && !hm_query_get(req, "client_id"))
		hm_validation_fail(&v, "client_id", "is required");
	if (!kind || (strcmp(kind, "one_off") != 0 && strcmp(kind, "subscription") != 0))
		hm_validation_fail(&v, "kind", "must be one of: one_off, subscription");
	else if (!(one_off = strcmp(kind, "one_off") == 0) && !hm_query_get(req, "sessions"))
		hm_validation_fail(&v, "sessions", "is required for a subscription");
	if (q->sessions > HM_MAX_SESSIONS || (one_off && q->sessions != 1))
		hm_validation_fail(&v, "sessions", sessions_rule);
	if (hm_validation_ok(&v)) {
		err = hm_db_services_read(req->db, q->service_id, &q->service);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !q->service.active)) {
			hm_validation_fail(&v, "service_id", "no such service");
			err = HM_OK;
		}
	}
	if (hm_validation_ok(&v) && err == HM_OK && staff) {
		bool exists = false;
		err = hm_db_clients_exists(req->db, q->client_id, &exists);
		if (err == HM_OK && !exists)
			hm_validation_fail(&v, "client_id", "no such client");
	} else if (hm_validation_ok(&v) && err == HM_OK) {
		err = hm_api_learner(req, &q->client_id); /* ?client_id= checked above */
	}
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	else if (!hm_validation_ok(&v))
		hm_api_reply_validation(reply, &v);
	else
		ok = true;
	hm_validation_release(&v);
	return ok;
}

void hm_api_quote(struct hm_request *req, struct hm_reply *reply)
{
	struct quote_query q = {0};
	json_t *out = NULL;

	if (!read_quote_or_reply(req, reply, &q))
		return;
	enum hm_err err = hm_db_contracts_quote(req->db, q.client_id, &q.service, (int)q.sessions,
						&out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- discount tiers -------------------------------------------------------- */

static json_t *tiers_json(const struct hm_tier *tiers, size_t n)
{
	json_t *items = json_array();
	for (size_t i = 0; items && i < n; i++)
		json_array_append_new(items,
				      json_pack("{s:i, s:i}", "from_ordinal", tiers[i].from_ordinal,
						"percent", tiers[i].percent));
	return items ? json_pack("{s:o}", "items", items) : NULL;
}

void hm_api_tiers_get(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0;
	enum hm_err err = hm_db_contracts_tiers(req->db, tiers, &n);
	hm_api_reply_result(reply, err, 200, err == HM_OK ? tiers_json(tiers, n) : NULL);
	if (err == HM_OK)
		reply->cache_until = INT64_MAX;
}

/* {items: [{from_ordinal, percent}, ...]} into tiers[0..*n): false when it answered. */
static bool read_tiers_or_reply(struct hm_request *req, struct hm_reply *reply,
				struct hm_tier tiers[HM_MAX_TIERS], size_t *n)
{
	static const char *const allowed[] = {"items", NULL};
	struct hm_validation v;
	size_t bad = 0, i;
	const char *why = NULL;
	char field[40], too_many[64];
	json_t *items = json_object_get(req->json, "items"), *item;
	snprintf(too_many, sizeof too_many, "must be a list of at most %d tiers", HM_MAX_TIERS);

	*n = 0;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	if (!json_is_array(items) || json_array_size(items) > HM_MAX_TIERS) {
		hm_validation_fail(&v, "items", too_many);
	} else {
		json_array_foreach(items, i, item)
		{
			json_t *from = json_object_get(item, "from_ordinal");
			json_t *percent = json_object_get(item, "percent");
			snprintf(field, sizeof field, "items[%zu]", i);
			if (!json_is_object(item) || json_object_size(item) != 2 ||
			    !json_is_integer(from) || !json_is_integer(percent) ||
			    json_integer_value(from) > 1000000 ||
			    json_integer_value(from) < -1000000 ||
			    json_integer_value(percent) > 1000 ||
			    json_integer_value(percent) < -1000) {
				hm_validation_fail(
					&v, field,
					"must be {from_ordinal, percent} with whole numbers");
				continue;
			}
			tiers[*n].from_ordinal = (int)json_integer_value(from);
			tiers[*n].percent = (int)json_integer_value(percent);
			(*n)++;
		}
	}
	if (hm_validation_ok(&v) && !hm_loyalty_tiers_valid(tiers, *n, &bad, &why)) {
		snprintf(field, sizeof field, "items[%zu]", bad);
		hm_validation_fail(&v, field, why);
	}
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

void hm_api_tiers_put(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0;

	if (!read_tiers_or_reply(req, reply, tiers, &n))
		return;
	enum hm_err err = hm_db_contracts_tiers_put(req->db, tiers, n, req->json, &HM_ACTOR(req));
	hm_api_reply_result(reply, err, 200, err == HM_OK ? tiers_json(tiers, n) : NULL);
}

/* ---- gifts ------------------------------------------------------------------ */

void hm_api_gifts_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *items = NULL;
	enum hm_err err = hm_db_gifts_list(req->db, req->who.role == HM_ROLE_ADMIN, &items);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
	reply->cache_until = INT64_MAX;
}

/* A gift's body (key only when creating): false when it answered 422. */
static bool read_gift_or_reply(struct hm_request *req, struct hm_reply *reply, bool create,
			       struct hm_gift_input *in)
{
	static const char *const create_fields[] = {"key", "name", "stock", NULL};
	static const char *const update_fields[] = {"name", "stock", NULL};
	static const char *const read_only[] = {"id", "key", "in_stock", NULL};
	static const char *const create_read_only[] = {"id", "in_stock", NULL};
	struct hm_validation v;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, create ? create_fields : update_fields,
			  create ? create_read_only : read_only);
	if (create) {
		hm_validate_text(&v, req->json, "key", true, 40, &in->key);
		if (in->key &&
		    strspn(in->key, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(in->key))
			hm_validation_fail(&v, "key", "must be lower-case letters, digits or _");
	}
	hm_validate_text(&v, req->json, "name", create, HM_MAX_NAME, &in->name);
	hm_validate_int(&v, req->json, "stock", false, 0, 1000000, &in->stock, &in->stock_present);
	in->detail = req->json;
	bool ok = hm_validation_ok(&v);
	if (!ok)
		hm_api_reply_validation(reply, &v);
	hm_validation_release(&v);
	return ok;
}

void hm_api_gifts_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_gift_input in = {0};
	json_t *out = NULL;

	if (!read_gift_or_reply(req, reply, true, &in))
		return;
	enum hm_err err = hm_db_gifts_create(req->db, &in, &HM_ACTOR(req), &out);
	reply_written(reply, err, 201, out,
		      err == HM_ERR_CONFLICT ? "A gift with that key exists already." : NULL);
}

void hm_api_gifts_update(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_gift_input in = {0};
	json_t *out = NULL;

	/* A gift that does not exist is 404 whatever the body says. */
	enum hm_err err = hm_db_gifts_get(req->db, req->path_ids[0], NULL);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	if (!read_gift_or_reply(req, reply, false, &in))
		return;
	err = hm_db_gifts_update(req->db, req->path_ids[0], &in, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- loyalty -------------------------------------------------------------- */

void hm_api_me_loyalty(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0;
	int64_t client_id = 0, contracts = 0;
	json_t *out = NULL;
	enum hm_err err = hm_api_learner(req, &client_id);
	if (err == HM_OK)
		err = hm_db_contracts_tiers(req->db, tiers, &n);
	if (err == HM_OK)
		err = hm_db_contracts_count(req->db, client_id, &contracts);
	if (err == HM_OK)
		out = hm_db_contracts_loyalty_json(tiers, n, (int)contracts);
	hm_api_reply_result(reply, err, 200, out);
	reply->cache_until = INT64_MAX; /* the user's own, kept until the next write */
}

/* The whole report in one CSV download; at most this many clients. */
#define LOYALTY_CSV_ROWS 1000000
#define LOYALTY_CSV_CAP ((size_t)32 << 20)

static const char *const loyalty_columns[] = {"client_id",        "full_name",
					      "contracts",        "current_percent",
					      "next_percent",     "discount_total_cents",
					      "last_contract_at", "family_id"};
#define LOYALTY_COLUMNS (sizeof loyalty_columns / sizeof loyalty_columns[0])

/* The report's rows as JSON objects (the first limit of n). */
static json_t *loyalty_json(const struct hm_loyalty_row *rows, size_t n, size_t limit,
			    const struct hm_tier *tiers, size_t n_tiers)
{
	json_t *items = json_array();
	for (size_t i = 0; items && i < n && i < limit; i++) {
		const struct hm_loyalty_row *r = &rows[i];
		const struct hm_tier *next = hm_loyalty_next(tiers, n_tiers, r->contracts);
		char at[HM_RFC3339_LEN];
		hm_time_format(r->last_contract_at, at);
		json_t *row = json_pack(
			"{s:I, s:s, s:i, s:i, s:o, s:I, s:s, s:I}", "client_id",
			(json_int_t)r->client_id, "full_name", r->full_name, "contracts",
			r->contracts, "current_percent",
			hm_loyalty_percent(tiers, n_tiers, r->contracts), "next_percent",
			next ? json_integer(next->percent) : json_null(), "discount_total_cents",
			(json_int_t)r->discount_cents, "last_contract_at", at, "family_id",
			(json_int_t)r->family_id);
		if (!row || json_array_append_new(items, row) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	return items;
}

/* The report's rows as CSV text into out (a byte-order mark, the header row, one
 * line per client). False when out ran out of room or memory. */
static bool loyalty_csv(struct hm_buf *out, const struct hm_loyalty_row *rows, size_t n,
			const struct hm_tier *tiers, size_t n_tiers)
{
	bool ok = hm_buf_append(out, "\xEF\xBB\xBF", 3); /* UTF-8 byte-order mark */
	for (size_t i = 0; ok && i < LOYALTY_COLUMNS; i++)
		ok = hm_api_csv_field(out, loyalty_columns[i], i == LOYALTY_COLUMNS - 1);
	for (size_t i = 0; ok && i < n; i++) {
		const struct hm_loyalty_row *r = &rows[i];
		const struct hm_tier *next = hm_loyalty_next(tiers, n_tiers, r->contracts);
		char num[6][24], at[HM_RFC3339_LEN];
		hm_time_format(r->last_contract_at, at);
		snprintf(num[0], sizeof num[0], "%lld", (long long)r->client_id);
		snprintf(num[1], sizeof num[1], "%d", r->contracts);
		snprintf(num[2], sizeof num[2], "%d",
			 hm_loyalty_percent(tiers, n_tiers, r->contracts));
		num[3][0] = '\0';
		if (next)
			snprintf(num[3], sizeof num[3], "%d", next->percent);
		snprintf(num[4], sizeof num[4], "%lld", (long long)r->discount_cents);
		snprintf(num[5], sizeof num[5], "%lld", (long long)r->family_id);
		ok = hm_api_csv_field(out, num[0], false) &&
		     hm_api_csv_field(out, r->full_name, false) &&
		     hm_api_csv_field(out, num[1], false) && hm_api_csv_field(out, num[2], false) &&
		     hm_api_csv_field(out, num[3], false) && hm_api_csv_field(out, num[4], false) &&
		     hm_api_csv_field(out, at, false) && hm_api_csv_field(out, num[5], true);
	}
	return ok;
}

static void reply_loyalty_csv(struct hm_request *req, struct hm_reply *reply,
			      const struct hm_tier *tiers, size_t n_tiers)
{
	struct hm_loyalty_row *rows = NULL;
	size_t n = 0, len = 0;
	struct hm_buf text;
	char *data = NULL;
	hm_buf_init(&text, LOYALTY_CSV_CAP);
	enum hm_err err = hm_db_contracts_loyalty_rows(req->db, 0, LOYALTY_CSV_ROWS, &rows, &n);
	if (err == HM_OK &&
	    (!loyalty_csv(&text, rows, n, tiers, n_tiers) || !(data = hm_buf_detach(&text, &len))))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		hm_reply_raw_owned(reply, 200, "text/csv; charset=utf-8", data, len);
		hm_reply_header(reply, "Content-Disposition",
				"attachment; filename=\"loyalty.csv\"");
	} else {
		hm_api_reply_err(reply, err);
	}
	hm_db_contracts_loyalty_free(rows, n);
	hm_buf_release(&text);
}

static void reply_loyalty_json(struct hm_request *req, struct hm_reply *reply,
			       const struct hm_tier *tiers, size_t n_tiers)
{
	struct hm_loyalty_row *rows = NULL;
	size_t n = 0;
	int limit = 0;
	int64_t after = 0;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_contracts_loyalty_rows(req->db, after, limit, &rows, &n);
	json_t *items = err == HM_OK ? loyalty_json(rows, n, (size_t)limit, tiers, n_tiers) : NULL;
	if (err == HM_OK && !items)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK)
		hm_api_reply_page(reply, items, n > (size_t)limit ? rows[limit - 1].client_id : 0);
	else
		hm_api_reply_err(reply, err);
	hm_db_contracts_loyalty_free(rows, n);
}

void hm_api_loyalty_report(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n_tiers = 0;
	const char *format = hm_query_get(req, "format");
	bool csv = format && strcmp(format, "csv") == 0;

	if (format && !csv) {
		hm_reply_invalid(reply,
				 json_pack("{s:s}", "format", "must be csv (or absent for JSON)"));
		return;
	}
	enum hm_err err = hm_db_contracts_tiers(req->db, tiers, &n_tiers);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	else if (csv)
		reply_loyalty_csv(req, reply, tiers, n_tiers);
	else
		reply_loyalty_json(req, reply, tiers, n_tiers);
}
