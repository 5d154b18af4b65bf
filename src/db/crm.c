// SPDX-License-Identifier: MIT
// The data layer the CRM resources share (include/harreman/crm.h): services,
// clients, a tutor's calendar for the slot rules, contract terms and creation,
// and the JSON of gifts, contracts, lessons and clients.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/crm.h"
#include "harreman/hours.h"
#include "harreman/loyalty.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* ---- small readers ------------------------------------------------------- */

static void copy_text(sqlite3_stmt *stmt, int col, char *out, size_t size)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	size_t len = text ? strlen((const char *)text) : 0;
	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(out, text, len);
	out[len] = '\0';
}

static json_t *text_or_null(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? json_string((const char *)text) : json_null();
}

static json_t *int_or_null(sqlite3_stmt *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL
		       ? json_null() : json_integer(sqlite3_column_int64(stmt, col));
}

static json_t *time_or_null(sqlite3_stmt *stmt, int col)
{
	char at[HM_RFC3339_LEN];
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return json_null();
	hm_time_format(sqlite3_column_int64(stmt, col), at);
	return json_string(at);
}

/* ---- services, tutors, clients ------------------------------------------- */

enum hm_err hm_crm_service(struct hm_db *db, int64_t id, struct hm_service *out)
{
	static const char sql[] =
		"SELECT id, kind, subject, duration_min, price_cents, capacity, active"
		" FROM services WHERE id = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		copy_text(stmt, 1, out->kind, sizeof out->kind);
		copy_text(stmt, 2, out->subject, sizeof out->subject);
		out->duration_min = sqlite3_column_int(stmt, 3);
		out->price_cents = sqlite3_column_int64(stmt, 4);
		out->capacity = sqlite3_column_int(stmt, 5);
		out->active = sqlite3_column_int(stmt, 6) != 0;
		err = HM_OK;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read service");
	}
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_crm_tutor_teaches(struct hm_db *db, int64_t tutor_id, const char *subject,
				 bool *teaches)
{
	static const char sql[] =
		"SELECT 1 FROM tutor_subjects ts JOIN users u ON u.id = ts.tutor_id"
		" WHERE ts.tutor_id = ?1 AND ts.subject = ?2 AND u.active = 1"
		" AND u.role IN ('staff', 'admin')";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, tutor_id);
	sqlite3_bind_text(stmt, 2, subject, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	*teaches = rc == SQLITE_ROW;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "tutor teaches");
}

enum hm_err hm_crm_client_of_user(struct hm_db *db, int64_t user_id, int64_t *client_id)
{
	static const char sql[] = "SELECT id FROM clients WHERE user_id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*client_id = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "client of user");
}

enum hm_err hm_crm_client_exists(struct hm_db *db, int64_t client_id, bool *exists)
{
	static const char sql[] = "SELECT 1 FROM clients WHERE id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	int rc = sqlite3_step(stmt);
	*exists = rc == SQLITE_ROW;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "client exists");
}

/* ---- a tutor's calendar -------------------------------------------------- */

enum hm_err hm_crm_slot_query(struct hm_db *db, int64_t tutor_id, const struct hm_service *svc,
			      int64_t first_day, int64_t last_day, int64_t now,
			      struct hm_slot_query *q)
{
	static const char windows_sql[] =
		"SELECT weekday, starts, ends FROM availability WHERE tutor_id = ?1";
	/* Lessons of one group session are counted together. */
	static const char booked_sql[] =
		"SELECT starts_at, max(ends_at), service_id, count(*) FROM lessons"
		" WHERE tutor_id = ?1 AND status = 'booked' AND starts_at < ?3 AND ends_at > ?2"
		/* a lesson lasts at most 600 minutes: a lower bound the index can use */
		" AND starts_at > ?2 - 36000"
		" GROUP BY service_id, starts_at ORDER BY starts_at";
	enum hm_err err = HM_ERR_INTERNAL;
	struct hm_weekly_window *windows = NULL;
	struct hm_booked *booked = NULL;
	size_t n_windows = 0, n_booked = 0, cap_windows = 16, cap_booked = 32;
	sqlite3_stmt *ws = hm_db_stmt(db, windows_sql);
	sqlite3_stmt *bs = hm_db_stmt(db, booked_sql);
	int rc;

	memset(q, 0, sizeof *q);
	windows = malloc(cap_windows * sizeof *windows);
	booked = malloc(cap_booked * sizeof *booked);
	if (!ws || !bs || !windows || !booked)
		goto out;
	sqlite3_bind_int64(ws, 1, tutor_id);
	while ((rc = sqlite3_step(ws)) == SQLITE_ROW) {
		struct hm_weekly_window w = {.weekday = sqlite3_column_int(ws, 0)};
		if (!hm_hhmm_parse((const char *)sqlite3_column_text(ws, 1), false, &w.start_min) ||
		    !hm_hhmm_parse((const char *)sqlite3_column_text(ws, 2), true, &w.end_min))
			continue;
		if (n_windows == cap_windows) {
			void *bigger = realloc(windows, (cap_windows *= 2) * sizeof *windows);
			if (!bigger)
				goto out;
			windows = bigger;
		}
		windows[n_windows++] = w;
	}
	if (rc != SQLITE_DONE) {
		hm_db_fail(db, "read availability");
		goto out;
	}
	/* A day either side: lessons near midnight and daylight-saving shifts. */
	sqlite3_bind_int64(bs, 1, tutor_id);
	sqlite3_bind_int64(bs, 2, hm_local_instant(first_day - 1, 0));
	sqlite3_bind_int64(bs, 3, hm_local_instant(last_day + 2, 0));
	while ((rc = sqlite3_step(bs)) == SQLITE_ROW) {
		if (n_booked == cap_booked) {
			void *bigger = realloc(booked, (cap_booked *= 2) * sizeof *booked);
			if (!bigger)
				goto out;
			booked = bigger;
		}
		booked[n_booked++] = (struct hm_booked){
			.starts = sqlite3_column_int64(bs, 0),
			.ends = sqlite3_column_int64(bs, 1),
			.service_id = sqlite3_column_int64(bs, 2),
			.seats_taken = sqlite3_column_int(bs, 3),
		};
	}
	if (rc != SQLITE_DONE) {
		hm_db_fail(db, "read booked lessons");
		goto out;
	}
	q->windows = windows;
	q->n_windows = n_windows;
	q->booked = booked;
	q->n_booked = n_booked;
	q->service_id = svc->id;
	q->duration_min = svc->duration_min;
	q->capacity = svc->capacity;
	q->shared = strcmp(svc->kind, "private") != 0;
	q->first_day = first_day;
	q->last_day = last_day;
	q->now = now;
	windows = NULL;
	booked = NULL;
	err = HM_OK;
out:
	hm_db_done(ws);
	hm_db_done(bs);
	free(windows);
	free(booked);
	return err;
}

void hm_crm_slot_query_release(struct hm_slot_query *q)
{
	free((void *)(uintptr_t)q->windows);
	free((void *)(uintptr_t)q->booked);
	memset(q, 0, sizeof *q);
}

/* ---- contracts ----------------------------------------------------------- */

enum hm_err hm_crm_tiers(struct hm_db *db, struct hm_tier *tiers, size_t *n)
{
	static const char sql[] =
		"SELECT from_ordinal, percent FROM discount_tiers ORDER BY from_ordinal";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	int rc;
	*n = 0;
	if (!stmt)
		return HM_ERR_INTERNAL;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < HM_MAX_TIERS) {
		tiers[*n].from_ordinal = sqlite3_column_int(stmt, 0);
		tiers[*n].percent = sqlite3_column_int(stmt, 1);
		(*n)++;
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "read tiers");
}

enum hm_err hm_crm_contract_terms(struct hm_db *db, int64_t client_id,
				  const struct hm_service *svc, int sessions,
				  struct hm_contract_terms *out)
{
	/* The contracts that are not cancelled, kept by triggers (sql/0005). */
	static const char count_sql[] =
		"SELECT coalesce((SELECT active_contracts FROM clients WHERE id = ?1), 0)";
	/* The gift with the most stock, ties by lowest id; none when all are out. (Not
	 * "ORDER BY stock DESC, id LIMIT 1": that sorts in a temporary b-tree, built
	 * anew for every contract.) */
	static const char gift_sql[] =
		"SELECT id FROM gifts WHERE stock > 0 AND stock = (SELECT max(stock) FROM gifts)"
		" ORDER BY id LIMIT 1";
	struct hm_tier tiers[HM_MAX_TIERS];
	struct hm_price price;
	size_t n_tiers = 0;
	enum hm_err err;
	sqlite3_stmt *count = hm_db_stmt(db, count_sql);
	sqlite3_stmt *gift = hm_db_stmt(db, gift_sql);
	if (!count || !gift)
		return HM_ERR_INTERNAL;
	if ((err = hm_crm_tiers(db, tiers, &n_tiers)) != HM_OK)
		return err;
	sqlite3_bind_int64(count, 1, client_id);
	int rc = sqlite3_step(count);
	int64_t existing = rc == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
	hm_db_done(count);
	if (rc != SQLITE_ROW)
		return hm_db_fail(db, "count contracts");
	rc = sqlite3_step(gift);
	out->gift_id = rc == SQLITE_ROW ? sqlite3_column_int64(gift, 0) : 0;
	hm_db_done(gift);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hm_db_fail(db, "pick gift");

	out->ordinal = (int)existing + 1;
	out->percent = hm_loyalty_percent(tiers, n_tiers, out->ordinal);
	if (!hm_loyalty_price(svc->price_cents, sessions, out->percent, &price))
		return HM_ERR_INTERNAL;
	out->list_cents = price.list_cents;
	out->discount_cents = price.discount_cents;
	out->price_cents = price.price_cents;
	return HM_OK;
}

enum hm_err hm_crm_contract_create(struct hm_db *db, const struct hm_new_contract *c,
				   const char *request_id, int64_t *contract_id)
{
	static const char insert_sql[] =
		"INSERT INTO contracts (client_id, service_id, kind, sessions_total, sessions_used,"
		" ordinal, list_price_cents, discount_percent, discount_cents, price_cents, gift_id,"
		" channel, created_at, created_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	/* stock > 0 in the WHERE: the CHECK (stock >= 0) is the backstop, not the rule. */
	static const char stock_sql[] = "UPDATE gifts SET stock = stock - 1 WHERE id = ?1 AND stock > 0";
	struct hm_contract_terms terms;
	enum hm_err err = hm_crm_contract_terms(db, c->client_id, c->service, c->sessions, &terms);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stock = hm_db_stmt(db, stock_sql);
	sqlite3_stmt *insert = hm_db_stmt(db, insert_sql);
	if (!stock || !insert)
		return HM_ERR_INTERNAL;
	if (terms.gift_id) {
		sqlite3_bind_int64(stock, 1, terms.gift_id);
		int rc = sqlite3_step(stock);
		bool taken = rc == SQLITE_DONE && sqlite3_changes(hm_db_handle(db)) == 1;
		hm_db_done(stock);
		if (rc != SQLITE_DONE)
			return hm_db_fail(db, "take gift");
		if (!taken)
			terms.gift_id = 0;
	}
	sqlite3_bind_int64(insert, 1, c->client_id);
	sqlite3_bind_int64(insert, 2, c->service->id);
	sqlite3_bind_text(insert, 3, c->subscription ? "subscription" : "one_off", -1, SQLITE_STATIC);
	sqlite3_bind_int(insert, 4, c->sessions);
	sqlite3_bind_int(insert, 5, c->sessions_used);
	sqlite3_bind_int(insert, 6, terms.ordinal);
	sqlite3_bind_int64(insert, 7, terms.list_cents);
	sqlite3_bind_int(insert, 8, terms.percent);
	sqlite3_bind_int64(insert, 9, terms.discount_cents);
	sqlite3_bind_int64(insert, 10, terms.price_cents);
	if (terms.gift_id)
		sqlite3_bind_int64(insert, 11, terms.gift_id);
	sqlite3_bind_text(insert, 12, c->channel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(insert, 13, c->now);
	if (c->created_by)
		sqlite3_bind_int64(insert, 14, c->created_by);
	int rc = sqlite3_step(insert);
	hm_db_done(insert);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, "insert contract");
	*contract_id = sqlite3_last_insert_rowid(hm_db_handle(db));
	json_t *detail = json_pack("{s:I, s:i, s:i, s:I}", "client_id", (json_int_t)c->client_id,
				   "ordinal", terms.ordinal, "discount_percent", terms.percent,
				   "price_cents", (json_int_t)terms.price_cents);
	err = detail ? hm_audit_record(db, c->created_by, "contract.create", "contract",
				       *contract_id, detail, request_id, c->now)
		     : HM_ERR_INTERNAL;
	json_decref(detail);
	return err;
}

/* ---- JSON ---------------------------------------------------------------- */

json_t *hm_crm_gift_json(struct hm_db *db, int64_t gift_id)
{
	static const char sql[] = "SELECT id, key, name FROM gifts WHERE id = ?1";
	json_t *gift = NULL;
	if (gift_id <= 0)
		return json_null();
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return NULL;
	sqlite3_bind_int64(stmt, 1, gift_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		gift = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(stmt, 0),
				 "key", (const char *)sqlite3_column_text(stmt, 1), "name",
				 (const char *)sqlite3_column_text(stmt, 2));
	else if (rc == SQLITE_DONE)
		gift = json_null(); /* deleted since: the contract keeps no gift to show */
	else
		(void)hm_db_fail(db, "read gift"); /* an error is not "no gift": NULL */
	hm_db_done(stmt);
	return gift;
}

enum hm_err hm_crm_contract_json(struct hm_db *db, int64_t contract_id, json_t **out)
{
	static const char sql[] =
		"SELECT id, client_id, service_id, kind, sessions_total, sessions_used, ordinal,"
		" list_price_cents, discount_percent, discount_cents, price_cents, gift_id, channel,"
		" status, created_at, cancelled_at FROM contracts WHERE id = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, contract_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		int64_t gift_id = sqlite3_column_int64(stmt, 11);
		*out = json_pack(
			"{s:I, s:I, s:I, s:s, s:i, s:i, s:i, s:I, s:i, s:I, s:I, s:n, s:s, s:s,"
			" s:o, s:o}",
			"id", (json_int_t)sqlite3_column_int64(stmt, 0),
			"client_id", (json_int_t)sqlite3_column_int64(stmt, 1),
			"service_id", (json_int_t)sqlite3_column_int64(stmt, 2),
			"kind", (const char *)sqlite3_column_text(stmt, 3),
			"sessions_total", sqlite3_column_int(stmt, 4),
			"sessions_used", sqlite3_column_int(stmt, 5),
			"ordinal", sqlite3_column_int(stmt, 6),
			"list_price_cents", (json_int_t)sqlite3_column_int64(stmt, 7),
			"discount_percent", sqlite3_column_int(stmt, 8),
			"discount_cents", (json_int_t)sqlite3_column_int64(stmt, 9),
			"price_cents", (json_int_t)sqlite3_column_int64(stmt, 10),
			"gift",
			"channel", (const char *)sqlite3_column_text(stmt, 12),
			"status", (const char *)sqlite3_column_text(stmt, 13),
			"created_at", time_or_null(stmt, 14),
			"cancelled_at", time_or_null(stmt, 15));
		hm_db_done(stmt);
		if (!*out)
			return HM_ERR_INTERNAL;
		/* The gift is read after the statement is handed back (it is another one). */
		json_t *gift = hm_crm_gift_json(db, gift_id);
		if (!gift || json_object_set_new(*out, "gift", gift) != 0) {
			json_decref(*out);
			*out = NULL;
			return HM_ERR_INTERNAL;
		}
		return HM_OK;
	}
	if (rc != SQLITE_DONE)
		err = hm_db_fail(db, "read contract");
	hm_db_done(stmt);
	return err;
}

enum hm_err hm_crm_lesson_json(struct hm_db *db, int64_t lesson_id, json_t **out)
{
	static const char sql[] =
		"SELECT id, client_id, tutor_id, service_id, contract_id, starts_at, ends_at, status,"
		" attendance, notes, channel, created_at, cancelled_at, logged_at FROM lessons"
		" WHERE id = ?1";
	enum hm_err err = HM_ERR_NOT_FOUND;
	int64_t contract_id = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, lesson_id);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		contract_id = sqlite3_column_int64(stmt, 4);
		*out = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:s, s:o, s:s, s:s, s:o, s:o,"
				 " s:o}",
				 "id", (json_int_t)sqlite3_column_int64(stmt, 0),
				 "client_id", (json_int_t)sqlite3_column_int64(stmt, 1),
				 "tutor_id", (json_int_t)sqlite3_column_int64(stmt, 2),
				 "service_id", (json_int_t)sqlite3_column_int64(stmt, 3),
				 "contract_id", int_or_null(stmt, 4),
				 "starts_at", time_or_null(stmt, 5),
				 "ends_at", time_or_null(stmt, 6),
				 "status", (const char *)sqlite3_column_text(stmt, 7),
				 "attendance", text_or_null(stmt, 8),
				 "notes", (const char *)sqlite3_column_text(stmt, 9),
				 "channel", (const char *)sqlite3_column_text(stmt, 10),
				 "created_at", time_or_null(stmt, 11),
				 "cancelled_at", time_or_null(stmt, 12),
				 "logged_at", time_or_null(stmt, 13));
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read lesson");
	}
	hm_db_done(stmt);
	if (err != HM_OK || !contract_id)
		return err;
	json_t *contract = NULL;
	err = hm_crm_contract_json(db, contract_id, &contract);
	if (err == HM_OK && json_object_set_new(*out, "contract", contract) != 0)
		err = HM_ERR_INTERNAL;
	if (err != HM_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

/* The loyalty stage of a client with this many contracts not cancelled, as GET
 * /me/loyalty answers it: {contracts, current_percent, next: {ordinal, percent} or
 * null at the cap}. NULL when out of memory. */
static json_t *loyalty_json(const struct hm_tier *tiers, size_t n, int contracts)
{
	const struct hm_tier *next = hm_loyalty_next(tiers, n, contracts);
	return json_pack("{s:i, s:i, s:o}", "contracts", contracts, "current_percent",
			 hm_loyalty_percent(tiers, n, contracts), "next",
			 next ? json_pack("{s:i, s:i}", "ordinal", next->from_ordinal, "percent",
					  next->percent)
			      : json_null());
}

enum hm_err hm_crm_client_json(struct hm_db *db, int64_t client_id, int64_t now, json_t **out)
{
	/* long_term while a subscription is active: not cancelled, and with sessions
	 * left or a booked lesson still to come. active_contracts counts the contracts
	 * not cancelled (kept by triggers, sql/0005): the loyalty stage. */
	static const char sql[] =
		"SELECT c.id, c.user_id, c.full_name, c.email, c.phone, c.guardian_name,"
		" c.guardian_email, c.guardian_phone, c.assistance, c.tutor_id, c.level, c.pace,"
		" c.preferred_channel, c.locale, c.notes, c.created_at,"
		" EXISTS (SELECT 1 FROM contracts k WHERE k.client_id = c.id"
		"   AND k.kind = 'subscription' AND k.status = 'active'"
		"   AND (k.sessions_used < k.sessions_total OR EXISTS (SELECT 1 FROM lessons l"
		"     WHERE l.contract_id = k.id AND l.status = 'booked' AND l.ends_at > ?2))),"
		" c.active_contracts"
		" FROM clients c WHERE c.id = ?1";
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n_tiers = 0;
	int contracts = 0;
	enum hm_err err = HM_ERR_NOT_FOUND;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, now);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		json_t *guardian = json_null();
		if (sqlite3_column_type(stmt, 5) != SQLITE_NULL ||
		    sqlite3_column_type(stmt, 6) != SQLITE_NULL ||
		    sqlite3_column_type(stmt, 7) != SQLITE_NULL)
			guardian = json_pack("{s:o, s:o, s:o}", "full_name", text_or_null(stmt, 5),
					     "email", text_or_null(stmt, 6), "phone",
					     text_or_null(stmt, 7));
		contracts = sqlite3_column_int(stmt, 17);
		*out = json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o,"
				 " s:s, s:s, s:o}",
				 "id", (json_int_t)sqlite3_column_int64(stmt, 0),
				 "user_id", int_or_null(stmt, 1),
				 "full_name", (const char *)sqlite3_column_text(stmt, 2),
				 "email", text_or_null(stmt, 3),
				 "phone", text_or_null(stmt, 4),
				 "guardian", guardian,
				 "relationship", sqlite3_column_int(stmt, 16) ? "long_term" : "one_off",
				 "assistance", (const char *)sqlite3_column_text(stmt, 8),
				 "tutor_id", int_or_null(stmt, 9),
				 "level", text_or_null(stmt, 10),
				 "pace", text_or_null(stmt, 11),
				 "preferred_channel", text_or_null(stmt, 12),
				 "locale", (const char *)sqlite3_column_text(stmt, 13),
				 "notes", (const char *)sqlite3_column_text(stmt, 14),
				 "created_at", time_or_null(stmt, 15));
		err = *out ? HM_OK : HM_ERR_INTERNAL;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "read client");
	}
	hm_db_done(stmt);
	/* The tiers are read after the statement is handed back (they are another one). */
	if (err == HM_OK)
		err = hm_crm_tiers(db, tiers, &n_tiers);
	if (err == HM_OK &&
	    json_object_set_new(*out, "loyalty", loyalty_json(tiers, n_tiers, contracts)) != 0)
		err = HM_ERR_INTERNAL;
	if (err != HM_OK && rc == SQLITE_ROW) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}
