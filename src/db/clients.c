// SPDX-License-Identifier: MIT
// Clients (include/harreman/db_clients.h): the clients and interactions tables.
// Owns the client search, the client create and update writes (each one
// transaction with its audit row, the tutor_id check included) and the contact
// history's JSON, read and write. The client object is hm_db_clients_json's.
#include <stdlib.h>
#include <string.h>

#include "harreman/audit.h"
#include "harreman/casefold.h"
#include "harreman/db_clients.h"
#include "harreman/limits.h"
#include "harreman/timefmt.h"
#include "harreman/db_contracts.h"
#include "harreman/db_json.h"
#include "harreman/loyalty.h"
#include "harreman/banned.h"

/* ---- the client object ---------------------------------------------------- */

/* long_term while a subscription is active: not cancelled, and with sessions left or
 * a booked lesson still to come (?9: now). active_contracts counts the family's
 * contracts not cancelled (kept by triggers, sql/0005 and sql/0010): the family's
 * loyalty stage. Read by client_from_row, in its order. */
#define CLIENT_COLUMNS                                                                    \
	"c.id, c.user_id, c.full_name, c.email, c.phone, c.guardian_name,"                \
	" c.guardian_email, c.guardian_phone, c.assistance, c.tutor_id, c.level, c.pace," \
	" c.preferred_channel, c.locale, c.notes, c.created_at,"                          \
	" EXISTS (SELECT 1 FROM contracts k WHERE k.client_id = c.id"                     \
	"   AND k.kind = 'subscription' AND k.status = 'active'"                          \
	"   AND (k.sessions_used < k.sessions_total OR EXISTS (SELECT 1 FROM lessons l"   \
	"     WHERE l.contract_id = k.id AND l.status = 'booked' AND l.ends_at > ?9))),"  \
	" f.active_contracts, c.family_id, f.referred_by, f.partner_id, c.tax_id,"        \
	" c.billing_address"
#define CLIENT_FROM " FROM clients c JOIN families f ON f.id = c.family_id"

/* The client object of the row stmt stands on (CLIENT_COLUMNS), with its loyalty
 * stage under tiers; NULL when out of memory. */
static json_t *client_from_row(sqlite3_stmt *stmt, const struct hm_tier *tiers, size_t n_tiers)
{
	json_t *guardian = json_null();
	if (sqlite3_column_type(stmt, 5) != SQLITE_NULL ||
	    sqlite3_column_type(stmt, 6) != SQLITE_NULL ||
	    sqlite3_column_type(stmt, 7) != SQLITE_NULL)
		guardian = json_pack("{s:o, s:o, s:o}", "full_name", hm_db_json_text(stmt, 5),
				     "email", hm_db_json_text(stmt, 6), "phone",
				     hm_db_json_text(stmt, 7));
	json_t *out = json_pack(
		"{s:I, s:o, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:I,"
		" s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)sqlite3_column_int64(stmt, 0), "user_id", hm_db_json_int(stmt, 1),
		"full_name", (const char *)sqlite3_column_text(stmt, 2), "email",
		hm_db_json_text(stmt, 3), "phone", hm_db_json_text(stmt, 4), "guardian", guardian,
		"relationship", sqlite3_column_int(stmt, 16) ? "long_term" : "one_off",
		"assistance", (const char *)sqlite3_column_text(stmt, 8), "tutor_id",
		hm_db_json_int(stmt, 9), "level", hm_db_json_text(stmt, 10), "pace",
		hm_db_json_text(stmt, 11), "preferred_channel", hm_db_json_text(stmt, 12), "locale",
		(const char *)sqlite3_column_text(stmt, 13), "notes",
		(const char *)sqlite3_column_text(stmt, 14), "created_at",
		hm_db_json_time(stmt, 15), "family_id", (json_int_t)sqlite3_column_int64(stmt, 18),
		"referred_by", hm_db_json_int(stmt, 19), "partner_id", hm_db_json_int(stmt, 20),
		"tax_id", hm_db_json_text(stmt, 21), "billing_address", hm_db_json_text(stmt, 22),
		"loyalty",
		hm_db_contracts_loyalty_json(tiers, n_tiers, sqlite3_column_int(stmt, 17)));
	return out;
}

/* ---- search -------------------------------------------------------------- */

enum hm_err hm_db_clients_search(struct hm_db *db, const char *q, int64_t after, int limit,
				 int64_t now, json_t **items, int64_t *next_after)
{
	/* q folded once here, each text by hm_contains (db.c), so the match ignores
	 * case for every Latin letter, not only ASCII. The page's clients come whole
	 * from this one statement (the tiers read once), not one read per client. */
	static const char sql[] = "SELECT " CLIENT_COLUMNS CLIENT_FROM
				  " WHERE c.id > ?1 AND (?2 IS NULL OR hm_contains(c.full_name, ?2)"
				  " OR hm_contains(c.email, ?2) OR hm_contains(c.phone, ?2)"
				  " OR hm_contains(c.guardian_name, ?2))"
				  " ORDER BY c.id LIMIT ?3";
	char *folded = NULL;
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n_tiers = 0;
	int count = 0, rc;
	int64_t last_id = 0;
	if (limit > HM_PAGE_MAX)
		return HM_ERR_INTERNAL;
	enum hm_err err = hm_db_contracts_tiers(db, tiers, &n_tiers);
	if (err != HM_OK)
		return err;
	if (q && (folded = malloc(strlen(q) + 1)) != NULL) {
		hm_casefold(q, strlen(q), folded);
		folded[strlen(q)] = '\0';
	}
	json_t *list = q && !folded ? NULL : json_array();
	sqlite3_stmt *stmt = list ? hm_db_stmt(db, sql) : NULL;
	if (!stmt) {
		json_decref(list);
		free(folded);
		return HM_ERR_INTERNAL;
	}
	sqlite3_bind_int64(stmt, 1, after);
	hm_db_bind_text_or_null(stmt, 2, folded);
	sqlite3_bind_int(stmt, 3, limit + 1);
	sqlite3_bind_int64(stmt, 9, now);
	bool built = true;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && count++ < limit) {
		last_id = sqlite3_column_int64(stmt, 0);
		built = built &&
			json_array_append_new(list, client_from_row(stmt, tiers, n_tiers)) == 0;
	}
	hm_db_done(stmt);
	free(folded);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = hm_db_fail(db, "search clients");
	else if (!built)
		err = HM_ERR_INTERNAL;
	if (err != HM_OK) {
		json_decref(list);
		return err;
	}
	*next_after = count > limit ? last_id : 0;
	*items = list;
	return HM_OK;
}

/* ---- writes -------------------------------------------------------------- */

/* HM_OK when in names no tutor or a tutor profile, else HM_ERR_VALIDATION_FAILED. */
static enum hm_err check_tutor(struct hm_db *db, const struct hm_client_input *in)
{
	static const char sql[] = "SELECT 1 FROM tutors WHERE user_id = ?1";
	if (!in->tutor_present || !in->tutor_id)
		return HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, in->tutor_id);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_VALIDATION_FAILED : hm_db_fail(db, "check tutor");
}

static void bind_client(sqlite3_stmt *stmt, const struct hm_client_input *in, int64_t now)
{
	/* ?2.. are the values; ?20.. say whether a field was sent at all, so PATCH can
	 * tell "clear it" (null) from "leave it" (absent). */
	hm_db_bind_text_or_null(stmt, 2, in->full_name);
	hm_db_bind_text_or_null(stmt, 3, in->email);
	hm_db_bind_text_or_null(stmt, 4, in->phone);
	hm_db_bind_text_or_null(stmt, 5, in->guardian_name);
	hm_db_bind_text_or_null(stmt, 6, in->guardian_email);
	hm_db_bind_text_or_null(stmt, 7, in->guardian_phone);
	hm_db_bind_text_or_null(stmt, 8, in->assistance);
	if (in->tutor_id)
		sqlite3_bind_int64(stmt, 9, in->tutor_id);
	hm_db_bind_text_or_null(stmt, 10, in->level);
	hm_db_bind_text_or_null(stmt, 11, in->pace);
	hm_db_bind_text_or_null(stmt, 12, in->channel);
	hm_db_bind_text_or_null(stmt, 13, in->locale);
	hm_db_bind_text_or_null(stmt, 14, in->notes);
	sqlite3_bind_int64(stmt, 15, now);
	hm_db_bind_text_or_null(stmt, 16, in->tax_id);
	hm_db_bind_text_or_null(stmt, 17, in->billing_address);
	sqlite3_bind_int(stmt, 20, in->email_present);
	sqlite3_bind_int(stmt, 21, in->phone_present);
	sqlite3_bind_int(stmt, 22, in->guardian_present);
	sqlite3_bind_int(stmt, 23, in->tutor_present);
	sqlite3_bind_int(stmt, 24, in->level_present);
	sqlite3_bind_int(stmt, 25, in->pace_present);
	sqlite3_bind_int(stmt, 26, in->channel_present);
	sqlite3_bind_int(stmt, 27, in->notes_present);
	sqlite3_bind_int(stmt, 28, in->tax_id_present);
	sqlite3_bind_int(stmt, 29, in->billing_present);
}

/* Runs sql (bound by bind_client, ?1 = id) once: HM_OK, or HM_ERR_NOT_FOUND when it
 * changed no row. */
static enum hm_err client_write(struct hm_db *db, const char *sql, int64_t id,
				const struct hm_client_input *in, int64_t now, const char *what)
{
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	if (id)
		sqlite3_bind_int64(stmt, 1, id);
	bind_client(stmt, in, now);
	int rc = sqlite3_step(stmt);
	bool changed = sqlite3_changes(hm_db_handle(db)) > 0;
	hm_db_done(stmt);
	if (rc != SQLITE_DONE)
		return hm_db_fail(db, what);
	return changed ? HM_OK : HM_ERR_NOT_FOUND;
}

/* The partner of client id's family, when in carries partner_id (sql/0011). */
static enum hm_err set_partner(struct hm_db *db, int64_t id, const struct hm_client_input *in)
{
	static const char sql[] = "UPDATE families SET partner_id = nullif(?2, 0)"
				  " WHERE id = (SELECT family_id FROM clients WHERE id = ?1)";
	if (!in->partner_present)
		return HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, in->partner_id);
	int rc = sqlite3_step(stmt);
	hm_db_done(stmt);
	return rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "client partner");
}

enum hm_err hm_db_clients_create(struct hm_db *db, const struct hm_client_input *in,
				 const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"INSERT INTO clients (full_name, email, phone, guardian_name, guardian_email,"
		" guardian_phone, assistance, tutor_id, level, pace, preferred_channel, locale, notes,"
		" created_at, updated_at, tax_id, billing_address) VALUES (?2, ?3, ?4, ?5, ?6, ?7,"
		" coalesce(?8, 'personal'), ?9, ?10, ?11, ?12, coalesce(?13, 'eu'), coalesce(?14, ''),"
		" ?15, ?15, ?16, ?17)";
	int64_t id = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = check_tutor(db, in);
	if (err == HM_OK)
		err = client_write(db, sql, 0, in, who->now, "insert client");
	if (err == HM_OK) {
		id = sqlite3_last_insert_rowid(hm_db_handle(db));
		err = set_partner(db, id, in);
	}
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "client.create", "client", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_clients_json(db, id, who->now, out);
	return hm_db_end(db, err);
}

/* Whether in carries any field at all (an empty PATCH changes nothing). */
static bool carries_anything(const struct hm_client_input *in)
{
	return in->full_name || in->assistance || in->locale || in->email_present ||
	       in->phone_present || in->guardian_present || in->tutor_present ||
	       in->level_present || in->pace_present || in->channel_present || in->notes_present ||
	       in->tax_id_present || in->billing_present || in->partner_present;
}

enum hm_err hm_db_clients_update(struct hm_db *db, int64_t id, const struct hm_client_input *in,
				 const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"UPDATE clients SET full_name = coalesce(?2, full_name),"
		" email = CASE WHEN ?20 THEN ?3 ELSE email END,"
		" phone = CASE WHEN ?21 THEN ?4 ELSE phone END,"
		" guardian_name = CASE WHEN ?22 THEN ?5 ELSE guardian_name END,"
		" guardian_email = CASE WHEN ?22 THEN ?6 ELSE guardian_email END,"
		" guardian_phone = CASE WHEN ?22 THEN ?7 ELSE guardian_phone END,"
		" assistance = coalesce(?8, assistance),"
		" tutor_id = CASE WHEN ?23 THEN ?9 ELSE tutor_id END,"
		" level = CASE WHEN ?24 THEN ?10 ELSE level END,"
		" pace = CASE WHEN ?25 THEN ?11 ELSE pace END,"
		" preferred_channel = CASE WHEN ?26 THEN ?12 ELSE preferred_channel END,"
		" locale = coalesce(?13, locale),"
		" notes = CASE WHEN ?27 THEN coalesce(?14, '') ELSE notes END,"
		" tax_id = CASE WHEN ?28 THEN ?16 ELSE tax_id END,"
		" billing_address = CASE WHEN ?29 THEN ?17 ELSE billing_address END,"
		" updated_at = ?15 WHERE id = ?1";
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = check_tutor(db, in);
	if (err == HM_OK)
		err = client_write(db, sql, id, in, who->now, "update client");
	if (err == HM_OK)
		err = set_partner(db, id, in);
	if (err == HM_OK && carries_anything(in))
		err = hm_audit_record(db, who->user_id, "client.update", "client", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_clients_json(db, id, who->now, out);
	return hm_db_end(db, err);
}

/* ---- interactions -------------------------------------------------------- */

#define INTERACTION_COLUMNS \
	"SELECT id, client_id, channel, direction, summary, user_id, created_at FROM interactions"

static json_t *interaction_from_row(sqlite3_stmt *stmt)
{
	char at[HM_RFC3339_LEN];
	hm_time_format(sqlite3_column_int64(stmt, 6), at);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s}", "id",
			 (json_int_t)sqlite3_column_int64(stmt, 0), "client_id",
			 (json_int_t)sqlite3_column_int64(stmt, 1), "channel",
			 (const char *)sqlite3_column_text(stmt, 2), "direction",
			 (const char *)sqlite3_column_text(stmt, 3), "summary",
			 (const char *)sqlite3_column_text(stmt, 4), "user_id",
			 sqlite3_column_type(stmt, 5) == SQLITE_NULL
				 ? json_null()
				 : json_integer(sqlite3_column_int64(stmt, 5)),
			 "created_at", at);
}

/* HM_OK when client id exists, else HM_ERR_NOT_FOUND. */
static enum hm_err client_check(struct hm_db *db, int64_t id)
{
	bool exists = false;
	enum hm_err err = hm_db_clients_exists(db, id, &exists);
	return err == HM_OK && !exists ? HM_ERR_NOT_FOUND : err;
}

enum hm_err hm_db_clients_interactions_list(struct hm_db *db, int64_t id, int64_t after, int limit,
					    json_t **items, int64_t *next_after)
{
	static const char sql[] = INTERACTION_COLUMNS
		" WHERE client_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3";
	enum hm_err err = client_check(db, id);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, after);
	sqlite3_bind_int(stmt, 3, limit + 1);
	return hm_db_page(db, stmt, limit, interaction_from_row, items, next_after);
}

static enum hm_err interaction_get(struct hm_db *db, int64_t id, json_t **out)
{
	static const char sql[] = INTERACTION_COLUMNS " WHERE id = ?1";
	return hm_db_row_by_id(db, sql, id, interaction_from_row, out, "read interaction");
}

enum hm_err hm_db_clients_interaction_add(struct hm_db *db, int64_t id, const char *channel,
					  const char *direction, const char *summary,
					  const struct hm_actor *who, json_t **out)
{
	static const char sql[] =
		"INSERT INTO interactions (client_id, channel, direction, summary, user_id, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	int64_t row = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = client_check(db, id);
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, channel, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 3, direction, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, summary, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 5, who->user_id);
		sqlite3_bind_int64(stmt, 6, who->now);
		err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK
							: hm_db_fail(db, "insert interaction");
		row = sqlite3_last_insert_rowid(hm_db_handle(db));
		hm_db_done(stmt);
	}
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "interaction.create", "client", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = interaction_get(db, row, out);
	return hm_db_end(db, err);
}

/* ---- shared with the other resources (once src/db/crm.c) ---- */

enum hm_err hm_db_clients_of_user(struct hm_db *db, int64_t user_id, int64_t *client_id)
{
	static const char sql[] = "SELECT id FROM clients WHERE user_id = ?1";
	return hm_db_int_by_id(db, sql, user_id, client_id, "client of user");
}

enum hm_err hm_db_clients_exists(struct hm_db *db, int64_t client_id, bool *exists)
{
	static const char sql[] = "SELECT 1 FROM clients WHERE id = ?1";
	return hm_db_exists_by_id(db, sql, client_id, exists, "client exists");
}

enum hm_err hm_db_clients_json(struct hm_db *db, int64_t client_id, int64_t now, json_t **out)
{
	static const char sql[] = "SELECT " CLIENT_COLUMNS CLIENT_FROM " WHERE c.id = ?1";
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n_tiers = 0;
	/* The tiers first: another statement, read before this one steps. */
	enum hm_err err = hm_db_contracts_tiers(db, tiers, &n_tiers);
	if (err != HM_OK)
		return err;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 9, now);
	int rc = sqlite3_step(stmt);
	err = HM_ERR_NOT_FOUND;
	if (rc == SQLITE_ROW)
		err = (*out = client_from_row(stmt, tiers, n_tiers)) ? HM_OK : HM_ERR_INTERNAL;
	else if (rc != SQLITE_DONE)
		err = hm_db_fail(db, "read client");
	hm_db_done(stmt);
	return err;
}
