// SPDX-License-Identifier: MIT
// Contracts and the loyalty discount: making and cancelling contracts, quotes, the
// discount tiers, branded gifts, a student's loyalty stage and the loyalty report
// (JSON and CSV). Ordinal, discount and gift are decided in hm_crm_contract_create,
// inside the request's write transaction.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/audit.h"
#include "harreman/buf.h"
#include "harreman/crm.h"
#include "harreman/loyalty.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const contract_kinds[] = {"one_off", "subscription", NULL};
static const char *const channels[] = {"web", "phone", "email", "in_person", NULL};

/* ---- data layer ---------------------------------------------------------- */

/* Contracts of client_id (0: all), id > after, by id. */
static enum hm_err contracts_json(struct hm_db *db, int64_t client_id, int64_t after, int limit,
				  json_t **items, int64_t *next_after)
{
	static const char sql[] = "SELECT id FROM contracts WHERE id > ?1 AND (?2 = 0 OR"
				  " client_id = ?2) ORDER BY id LIMIT ?3";
	enum hm_err err = HM_ERR_INTERNAL;
	int64_t ids[201];
	int count = 0, rc;
	json_t *list = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!list || !stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, client_id);
	sqlite3_bind_int(stmt, 3, limit + 1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count <= limit)
		ids[count++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	stmt = NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		hm_db_fail(db, "list contracts");
		goto out;
	}
	for (int i = 0; i < count && i < limit; i++) {
		json_t *contract = NULL;
		if (hm_crm_contract_json(db, ids[i], &contract) != HM_OK ||
		    json_array_append_new(list, contract) != 0)
			goto out;
	}
	*next_after = count > limit ? ids[limit - 1] : 0;
	*items = list;
	list = NULL;
	err = HM_OK;
out:
	hm_db_done(stmt);
	json_decref(list);
	return err;
}

/* The client of a contract, or HM_ERR_NOT_FOUND. */
static enum hm_err contract_client(struct hm_db *db, int64_t id, int64_t *client_id,
				   bool *cancelled)
{
	static const char sql[] = "SELECT client_id, status FROM contracts WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*client_id = sqlite3_column_int64(stmt, 0);
		*cancelled = strcmp((const char *)sqlite3_column_text(stmt, 1), "cancelled") == 0;
	}
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "contract client");
}

/* Cancels a contract and frees the slots of its lessons still to come. */
static enum hm_err contract_cancel(struct hm_db *db, int64_t id, int64_t now)
{
	static const char contract_sql[] =
		"UPDATE contracts SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1"
		" AND status = 'active'";
	static const char lessons_sql[] =
		"UPDATE lessons SET status = 'cancelled', cancelled_at = ?2 WHERE contract_id = ?1"
		" AND status = 'booked' AND starts_at > ?2";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *contract = hm_db_stmt(db, contract_sql);
	sqlite3_stmt *lessons = hm_db_stmt(db, lessons_sql);
	if (!contract || !lessons)
		goto out;
	sqlite3_bind_int64(contract, 1, id);
	sqlite3_bind_int64(contract, 2, now);
	sqlite3_bind_int64(lessons, 1, id);
	sqlite3_bind_int64(lessons, 2, now);
	if (sqlite3_step(contract) != SQLITE_DONE || sqlite3_step(lessons) != SQLITE_DONE) {
		err = hm_db_fail(db, "cancel contract");
		goto out;
	}
	err = HM_OK;
out:
	hm_db_done(contract);
	hm_db_done(lessons);
	return err;
}

/* The booked lessons of contract id that start after now: those a cancellation
 * takes with it (at most 200, a subscription's sessions). */
static enum hm_err future_lessons(struct hm_db *db, int64_t id, int64_t now, int64_t *ids,
				  size_t max, size_t *n)
{
	static const char sql[] = "SELECT id FROM lessons WHERE contract_id = ?1"
				  " AND status = 'booked' AND starts_at > ?2 ORDER BY starts_at, id";
	int rc;
	*n = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "future lessons");
}

/* ---- making contracts ---------------------------------------------------- */

/* Reads {service_id, kind, sessions} (and client_id, channel when staff). */
struct contract_body {
	int64_t client_id, service_id, sessions;
	int kind, channel;
	bool sessions_present;
	struct hm_service service;
};

static bool read_contract_body(struct hm_request *req, struct hm_reply *reply, bool staff,
			       struct contract_body *b)
{
	static const char *const staff_fields[] = {"client_id", "service_id", "kind", "sessions",
						   "channel", NULL};
	static const char *const student_fields[] = {"service_id", "kind", "sessions", NULL};
	static const char *const read_only[] = {"id", "ordinal", "price_cents", "discount_percent",
						"discount_cents", "list_price_cents", "gift",
						"status", "sessions_used", NULL};
	struct hm_validation v;
	bool ok = false;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, staff ? staff_fields : student_fields, read_only);
	if (staff)
		hm_validate_int(&v, req->json, "client_id", true, 1, INT64_MAX, &b->client_id, NULL);
	hm_validate_int(&v, req->json, "service_id", true, 1, INT64_MAX, &b->service_id, NULL);
	hm_validate_enum(&v, req->json, "kind", true, contract_kinds, &b->kind);
	hm_validate_int(&v, req->json, "sessions", false, 1, 200, &b->sessions, &b->sessions_present);
	if (staff)
		hm_validate_enum(&v, req->json, "channel", true, channels, &b->channel);
	if (b->kind == 0 && b->sessions_present && b->sessions != 1)
		hm_validation_fail(&v, "sessions", "a one-off contract has 1 session");
	if (b->kind == 1 && !b->sessions_present)
		hm_validation_fail(&v, "sessions", "is required for a subscription");
	if (!b->sessions_present)
		b->sessions = 1;
	if (hm_validation_ok(&v) && b->service_id) {
		enum hm_err err = hm_crm_service(req->db, b->service_id, &b->service);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !b->service.active))
			hm_validation_fail(&v, "service_id", "no such service");
		else if (err != HM_OK)
			v.oom = true;
	}
	if (hm_validation_ok(&v) && staff) {
		bool exists = false;
		if (hm_crm_client_exists(req->db, b->client_id, &exists) != HM_OK)
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

static void make_contract(struct hm_request *req, struct hm_reply *reply,
			  const struct contract_body *b, const char *channel)
{
	struct hm_new_contract c = {
		.client_id = b->client_id,
		.service = &b->service,
		.subscription = b->kind == 1,
		.sessions = (int)b->sessions,
		.sessions_used = 0,
		.channel = channel,
		.created_by = req->who.user_id,
		.now = req->now,
	};
	int64_t id = 0;
	json_t *body = NULL;
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_crm_contract_create(req->db, &c, req->request_id, &id);
	if (err == HM_OK)
		err = hm_crm_contract_json(req->db, id, &body);
	hm_api_finish(req, reply, err, 201, body);
}

void hm_api_contracts_create(struct hm_request *req, struct hm_reply *reply)
{
	struct contract_body b = {.kind = -1, .channel = -1};
	if (read_contract_body(req, reply, true, &b))
		make_contract(req, reply, &b, channels[b.channel]);
}

void hm_api_me_contracts_create(struct hm_request *req, struct hm_reply *reply)
{
	struct contract_body b = {.kind = -1, .channel = -1};
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &b.client_id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	if (read_contract_body(req, reply, false, &b))
		make_contract(req, reply, &b, "web");
}

/* ---- reading and cancelling ---------------------------------------------- */

static void reply_contracts(struct hm_request *req, struct hm_reply *reply, int64_t client_id)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = contracts_json(req->db, client_id, after, limit, &items, &next);
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
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	reply_contracts(req, reply, client_id);
}

void hm_api_contracts_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *body = NULL;
	enum hm_err err = hm_crm_contract_json(req->db, req->path_ids[0], &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, body);
}

void hm_api_contracts_cancel(struct hm_request *req, struct hm_reply *reply)
{
	int64_t id = req->path_ids[0], client_id = 0, lessons[200];
	size_t n_lessons = 0;
	bool cancelled = false;
	json_t *body = NULL;
	struct hm_outbox_env env;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = contract_client(req->db, id, &client_id, &cancelled);
	if (err == HM_OK && cancelled) {
		hm_db_rollback(req->db);
		hm_reply_error(reply, HM_ERR_CONFLICT, "The contract is already cancelled.");
		return;
	}
	if (err == HM_OK)
		err = future_lessons(req->db, id, req->now, lessons, 200, &n_lessons);
	if (err == HM_OK)
		err = contract_cancel(req->db, id, req->now);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "contract.cancel", "contract", id,
				      NULL, req->request_id, req->now);
	/* The lessons it took with it: one message for all of them. */
	if (err == HM_OK && n_lessons)
		err = hm_outbox_lessons_cancelled(req->db, &env, lessons, n_lessons, req->now);
	if (err == HM_OK)
		err = hm_crm_contract_json(req->db, id, &body);
	hm_api_finish(req, reply, err, 200, body);
	if (reply->status == 200 && n_lessons)
		hm_sender_wake(req->app->sender);
}

/* ---- quote ---------------------------------------------------------------- */

void hm_api_quote(struct hm_request *req, struct hm_reply *reply)
{
	json_t *fields = NULL;
	int64_t service_id = 0, client_id = 0, sessions = 1;
	const char *kind = hm_query_get(req, "kind");
	struct hm_service svc;
	struct hm_contract_terms terms;
	bool staff = req->who.role != HM_ROLE_STUDENT;
	enum hm_err err = HM_OK;

	hm_api_query_id(req, "service_id", &service_id, &fields);
	hm_api_query_id(req, "sessions", &sessions, &fields);
	if (staff)
		hm_api_query_id(req, "client_id", &client_id, &fields);
	else if (hm_query_get(req, "client_id") && !fields)
		fields = json_pack("{s:s}", "client_id", "unknown field");
	if (!fields && !service_id)
		fields = json_pack("{s:s}", "service_id", "is required");
	if (!fields && staff && !client_id)
		fields = json_pack("{s:s}", "client_id", "is required");
	if (!fields && (!kind || (strcmp(kind, "one_off") != 0 && strcmp(kind, "subscription") != 0)))
		fields = json_pack("{s:s}", "kind", "must be one of: one_off, subscription");
	if (!fields && strcmp(kind, "subscription") == 0 && !hm_query_get(req, "sessions"))
		fields = json_pack("{s:s}", "sessions", "is required for a subscription");
	if (!fields && (sessions > 200 || (strcmp(kind, "one_off") == 0 && sessions != 1)))
		fields = json_pack("{s:s}", "sessions", "must be 1 for one_off, at most 200");
	if (!fields) {
		err = hm_crm_service(req->db, service_id, &svc);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !svc.active)) {
			fields = json_pack("{s:s}", "service_id", "no such service");
			err = HM_OK;
		}
	}
	if (!fields && err == HM_OK) {
		if (staff) {
			bool exists = false;
			err = hm_crm_client_exists(req->db, client_id, &exists);
			if (err == HM_OK && !exists)
				fields = json_pack("{s:s}", "client_id", "no such client");
		} else {
			err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
		}
	}
	if (err == HM_OK && fields) {
		hm_reply_invalid(reply, fields);
		return;
	}
	if (err == HM_OK)
		err = hm_crm_contract_terms(req->db, client_id, &svc, (int)sessions, &terms);
	json_t *gift = err == HM_OK ? hm_crm_gift_json(req->db, terms.gift_id) : NULL;
	if (err != HM_OK || !gift) {
		json_decref(fields);
		hm_api_reply_err(reply, err == HM_OK ? HM_ERR_INTERNAL : err);
		return;
	}
	hm_reply_json(reply, 200,
		      json_pack("{s:i, s:I, s:i, s:I, s:I, s:o}", "ordinal", terms.ordinal,
				"list_price_cents", (json_int_t)terms.list_cents, "discount_percent",
				terms.percent, "discount_cents", (json_int_t)terms.discount_cents,
				"price_cents", (json_int_t)terms.price_cents, "gift", gift));
}

/* ---- discount tiers -------------------------------------------------------- */

static json_t *tiers_json(const struct hm_tier *tiers, size_t n)
{
	json_t *items = json_array();
	for (size_t i = 0; items && i < n; i++)
		json_array_append_new(items, json_pack("{s:i, s:i}", "from_ordinal",
						       tiers[i].from_ordinal, "percent",
						       tiers[i].percent));
	return items ? json_pack("{s:o}", "items", items) : NULL;
}

void hm_api_tiers_get(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0;
	enum hm_err err = hm_crm_tiers(req->db, tiers, &n);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, tiers_json(tiers, n));
	reply->cache_until = INT64_MAX;
}

void hm_api_tiers_put(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"items", NULL};
	static const char clear_sql[] = "DELETE FROM discount_tiers";
	static const char add_sql[] =
		"INSERT INTO discount_tiers (from_ordinal, percent) VALUES (?1, ?2)";
	struct hm_validation v;
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0, bad = 0, i;
	const char *why = NULL;
	json_t *items = json_object_get(req->json, "items"), *item;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	if (!json_is_array(items) || json_array_size(items) > HM_MAX_TIERS) {
		hm_validation_fail(&v, "items", "must be a list of at most 20 tiers");
	} else {
		json_array_foreach(items, i, item) {
			json_t *from = json_object_get(item, "from_ordinal");
			json_t *percent = json_object_get(item, "percent");
			char field[40];
			snprintf(field, sizeof field, "items[%zu]", i);
			if (!json_is_object(item) || json_object_size(item) != 2 ||
			    !json_is_integer(from) || !json_is_integer(percent) ||
			    json_integer_value(from) > 1000000 || json_integer_value(from) < -1000000 ||
			    json_integer_value(percent) > 1000 || json_integer_value(percent) < -1000) {
				hm_validation_fail(&v, field, "must be {from_ordinal, percent} with whole numbers");
				continue;
			}
			tiers[n].from_ordinal = (int)json_integer_value(from);
			tiers[n].percent = (int)json_integer_value(percent);
			n++;
		}
	}
	if (hm_validation_ok(&v) && !hm_loyalty_tiers_valid(tiers, n, &bad, &why)) {
		char field[40];
		snprintf(field, sizeof field, "items[%zu]", bad);
		hm_validation_fail(&v, field, why);
	}
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	sqlite3_stmt *clear = err == HM_OK ? hm_db_stmt(req->db, clear_sql) : NULL;
	sqlite3_stmt *add = err == HM_OK ? hm_db_stmt(req->db, add_sql) : NULL;
	if (err == HM_OK && (!clear || !add))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK && sqlite3_step(clear) != SQLITE_DONE)
		err = hm_db_fail(req->db, "clear tiers");
	hm_db_done(clear);
	for (i = 0; err == HM_OK && i < n; i++) {
		sqlite3_bind_int(add, 1, tiers[i].from_ordinal);
		sqlite3_bind_int(add, 2, tiers[i].percent);
		if (sqlite3_step(add) != SQLITE_DONE)
			err = hm_db_fail(req->db, "add tier");
		sqlite3_reset(add);
	}
	hm_db_done(add);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "tiers.put", "discount_tiers", 0,
				      req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	hm_reply_json(reply, 200, tiers_json(tiers, n));
out:
	hm_validation_release(&v);
}

/* ---- gifts ------------------------------------------------------------------ */

static enum hm_err gifts_json(struct hm_db *db, int64_t id, bool show_stock, json_t **items)
{
	static const char sql[] = "SELECT id, key, name, stock FROM gifts WHERE (?1 = 0 OR id = ?1)"
				  " ORDER BY id";
	enum hm_err err = HM_ERR_INTERNAL;
	json_t *list = json_array();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	if (!list || !stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t stock = sqlite3_column_int64(stmt, 3);
		json_t *gift = json_pack("{s:I, s:s, s:s}", "id",
					 (json_int_t)sqlite3_column_int64(stmt, 0), "key",
					 (const char *)sqlite3_column_text(stmt, 1), "name",
					 (const char *)sqlite3_column_text(stmt, 2));
		if (gift && show_stock)
			json_object_set_new(gift, "stock", json_integer(stock));
		else if (gift)
			json_object_set_new(gift, "in_stock", json_boolean(stock > 0));
		if (!gift || json_array_append_new(list, gift) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		hm_db_fail(db, "list gifts");
		goto out;
	}
	*items = list;
	list = NULL;
	err = HM_OK;
out:
	hm_db_done(stmt);
	json_decref(list);
	return err;
}

void hm_api_gifts_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *items = NULL;
	enum hm_err err = gifts_json(req->db, 0, req->who.role == HM_ROLE_ADMIN, &items);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
	reply->cache_until = INT64_MAX;
}

static void gift_write(struct hm_request *req, struct hm_reply *reply, bool create)
{
	static const char insert_sql[] = "INSERT INTO gifts (key, name, stock) VALUES (?1, ?2, ?3)";
	static const char update_sql[] = "UPDATE gifts SET name = coalesce(?2, name),"
					 " stock = coalesce(?3, stock) WHERE id = ?1";
	static const char *const create_fields[] = {"key", "name", "stock", NULL};
	static const char *const update_fields[] = {"name", "stock", NULL};
	static const char *const read_only[] = {"id", "key", "in_stock", NULL};
	static const char *const create_read_only[] = {"id", "in_stock", NULL};
	struct hm_validation v;
	const char *key = NULL, *name = NULL;
	int64_t stock = 0, id = create ? 0 : req->path_ids[0];
	bool stock_present = false;
	json_t *items = NULL;

	hm_validation_init(&v);
	if (!create) {
		json_t *existing = NULL;
		enum hm_err found = gifts_json(req->db, id, true, &existing);
		bool missing = found == HM_OK && json_array_size(existing) == 0;
		json_decref(existing);
		if (found != HM_OK || missing) {
			hm_api_reply_err(reply, found != HM_OK ? found : HM_ERR_NOT_FOUND);
			goto out;
		}
	}
	hm_validate_known(&v, req->json, create ? create_fields : update_fields,
			  create ? create_read_only : read_only);
	if (create) {
		hm_validate_text(&v, req->json, "key", true, 40, &key);
		if (key && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(key))
			hm_validation_fail(&v, "key", "must be lower-case letters, digits or _");
	}
	hm_validate_text(&v, req->json, "name", create, HM_MAX_NAME, &name);
	hm_validate_int(&v, req->json, "stock", false, 0, 1000000, &stock, &stock_present);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, create ? insert_sql : update_sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		if (create) {
			sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(stmt, 3, stock);
		} else {
			sqlite3_bind_int64(stmt, 1, id);
			hm_db_bind_text_or_null(stmt, 2, name);
			if (stock_present)
				sqlite3_bind_int64(stmt, 3, stock);
		}
		int rc = sqlite3_step(stmt);
		if (rc == SQLITE_CONSTRAINT_UNIQUE)
			err = HM_ERR_CONFLICT;
		else if (rc != SQLITE_DONE)
			err = hm_db_fail(req->db, "write gift");
		else if (create)
			id = sqlite3_last_insert_rowid(hm_db_handle(req->db));
		else if (sqlite3_changes(hm_db_handle(req->db)) == 0)
			err = HM_ERR_NOT_FOUND;
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, create ? "gift.create" : "gift.update",
				      "gift", id, req->json, req->request_id, req->now);
	if (err == HM_OK)
		err = gifts_json(req->db, id, true, &items);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		if (err == HM_ERR_CONFLICT)
			hm_reply_error(reply, err, "A gift with that key exists already.");
		else
			hm_api_reply_err(reply, err);
		goto out;
	}
	hm_reply_json(reply, create ? 201 : 200, json_incref(json_array_get(items, 0)));
out:
	json_decref(items);
	hm_validation_release(&v);
}

void hm_api_gifts_create(struct hm_request *req, struct hm_reply *reply)
{
	gift_write(req, reply, true);
}

void hm_api_gifts_update(struct hm_request *req, struct hm_reply *reply)
{
	gift_write(req, reply, false);
}

/* ---- loyalty -------------------------------------------------------------- */

void hm_api_me_loyalty(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"SELECT coalesce((SELECT active_contracts FROM clients WHERE id = ?1), 0)";
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n = 0;
	int64_t client_id = 0, contracts = 0;
	enum hm_err err = hm_crm_client_of_user(req->db, req->who.user_id, &client_id);
	if (err == HM_OK)
		err = hm_crm_tiers(req->db, tiers, &n);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, client_id);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			contracts = sqlite3_column_int64(stmt, 0);
		else
			err = hm_db_fail(req->db, "count contracts");
		hm_db_done(stmt);
	}
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	const struct hm_tier *next = hm_loyalty_next(tiers, n, (int)contracts);
	hm_reply_json(reply, 200,
		      json_pack("{s:I, s:i, s:o}", "contracts", (json_int_t)contracts,
				"current_percent", hm_loyalty_percent(tiers, n, (int)contracts),
				"next", next ? json_pack("{s:i, s:i}", "ordinal", next->from_ordinal,
							 "percent", next->percent)
					     : json_null()));
}

/* One CSV field per RFC 4180: quoted when it holds a comma, quote or line break;
 * text a spreadsheet would run as a formula gets a leading apostrophe. */
static bool csv_field(struct hm_buf *out, const char *text, bool last)
{
	bool quote = strpbrk(text, ",\"\r\n") != NULL || strchr("=+-@\t", text[0] ? text[0] : 'x');
	bool ok = !quote || hm_buf_append(out, "\"", 1);
	if (ok && quote && strchr("=+-@\t", text[0] ? text[0] : 'x'))
		ok = hm_buf_append(out, "'", 1);
	for (const char *p = text; ok && *p; p++)
		ok = *p == '"' ? hm_buf_append(out, "\"\"", 2) : hm_buf_append(out, p, 1);
	if (ok && quote)
		ok = hm_buf_append(out, "\"", 1);
	return ok && hm_buf_append(out, last ? "\r\n" : ",", last ? 2 : 1);
}

void hm_api_loyalty_report(struct hm_request *req, struct hm_reply *reply)
{
	static const char sql[] =
		"SELECT c.id, c.full_name, count(*), sum(k.discount_cents), max(k.created_at)"
		" FROM contracts k JOIN clients c ON c.id = k.client_id"
		" WHERE k.status <> 'cancelled' AND c.id > ?1 GROUP BY c.id ORDER BY c.id LIMIT ?2";
	static const char *const columns[] = {"client_id", "full_name", "contracts",
					      "current_percent", "next_percent",
					      "discount_total_cents", "last_contract_at"};
	const char *format = hm_query_get(req, "format");
	bool csv = format && strcmp(format, "csv") == 0;
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n_tiers = 0;
	int limit = 0, count = 0, rc = SQLITE_DONE;
	int64_t after = 0, last = 0;
	struct hm_buf text;
	json_t *items = json_array();
	sqlite3_stmt *stmt = NULL;
	enum hm_err err = HM_OK;

	hm_buf_init(&text, 32 << 20);
	if (format && !csv) {
		hm_reply_invalid(reply, json_pack("{s:s}", "format", "must be csv (or absent for JSON)"));
		goto out;
	}
	if (!csv && !hm_query_page(req, reply, &limit, &after))
		goto out;
	if (csv)
		limit = 1000000; /* the whole report */
	err = hm_crm_tiers(req->db, tiers, &n_tiers);
	stmt = err == HM_OK ? hm_db_stmt(req->db, sql) : NULL;
	if (err == HM_OK && (!stmt || !items))
		err = HM_ERR_INTERNAL;
	bool ok = err == HM_OK;
	if (ok && csv) {
		ok = hm_buf_append(&text, "\xEF\xBB\xBF", 3); /* UTF-8 byte-order mark */
		for (size_t i = 0; ok && i < 7; i++)
			ok = csv_field(&text, columns[i], i == 6);
	}
	if (ok) {
		sqlite3_bind_int64(stmt, 1, after);
		sqlite3_bind_int(stmt, 2, limit + 1);
	}
	while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (++count > limit)
			break;
		last = sqlite3_column_int64(stmt, 0);
		int contracts = sqlite3_column_int(stmt, 2);
		const struct hm_tier *next = hm_loyalty_next(tiers, n_tiers, contracts);
		char at[HM_RFC3339_LEN];
		hm_time_format(sqlite3_column_int64(stmt, 4), at);
		const char *name = (const char *)sqlite3_column_text(stmt, 1);
		int current = hm_loyalty_percent(tiers, n_tiers, contracts);
		int64_t discount = sqlite3_column_int64(stmt, 3);
		if (csv) {
			char num[7][24];
			snprintf(num[0], sizeof num[0], "%lld", (long long)last);
			snprintf(num[2], sizeof num[2], "%d", contracts);
			snprintf(num[3], sizeof num[3], "%d", current);
			snprintf(num[4], sizeof num[4], "%s", "");
			if (next)
				snprintf(num[4], sizeof num[4], "%d", next->percent);
			snprintf(num[5], sizeof num[5], "%lld", (long long)discount);
			ok = csv_field(&text, num[0], false) && csv_field(&text, name, false) &&
			     csv_field(&text, num[2], false) && csv_field(&text, num[3], false) &&
			     csv_field(&text, num[4], false) && csv_field(&text, num[5], false) &&
			     csv_field(&text, at, true);
		} else {
			json_t *row = json_pack("{s:I, s:s, s:i, s:i, s:o, s:I, s:s}", "client_id",
						(json_int_t)last, "full_name", name, "contracts",
						contracts, "current_percent", current, "next_percent",
						next ? json_integer(next->percent) : json_null(),
						"discount_total_cents", (json_int_t)discount,
						"last_contract_at", at);
			ok = row && json_array_append_new(items, row) == 0;
		}
	}
	if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ok = hm_db_fail(req->db, "loyalty report") == HM_OK;
	if (!ok) {
		hm_api_reply_err(reply, err != HM_OK ? err : HM_ERR_INTERNAL);
		goto out;
	}
	if (csv) {
		hm_reply_raw(reply, 200, "text/csv; charset=utf-8", text.data, text.len);
		hm_reply_header(reply, "Content-Disposition", "attachment; filename=\"loyalty.csv\"");
	} else {
		hm_api_reply_page(reply, items, count > limit ? last : 0);
		items = NULL;
	}
out:
	hm_db_done(stmt);
	hm_buf_release(&text);
	json_decref(items);
}
