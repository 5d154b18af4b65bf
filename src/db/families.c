// SPDX-License-Identifier: MIT
// Families (include/harreman/db_families.h): the learner a student account acts
// for, the family's members and children, and the staff's merge and leave. The
// counts a family's loyalty stage reads are kept by the triggers of
// sql/0010_families.sql; nothing here touches a contract.
#include <string.h>

#include "harreman/audit.h"
#include "harreman/db_clients.h"
#include "harreman/db_families.h"
#include "harreman/db_referrals.h"
#include "harreman/limits.h"
#include "harreman/banned.h"

enum hm_err hm_db_families_learner(struct hm_db *db, int64_t user_id, int64_t asked,
				   int64_t *client_id)
{
	/* One indexed row: the account's record (clients.user_id is UNIQUE), then the
	 * asked client by id, in the same family. */
	static const char sql[] =
		"SELECT c.id FROM clients me JOIN clients c ON c.id = coalesce(nullif(?2, 0), me.id)"
		" WHERE me.user_id = ?1 AND c.family_id = me.family_id";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, user_id);
	sqlite3_bind_int64(stmt, 2, asked);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*client_id = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	if (rc == SQLITE_ROW)
		return HM_OK;
	return rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "learner");
}

enum hm_err hm_db_families_same(struct hm_db *db, int64_t a, int64_t b, bool *same)
{
	static const char sql[] = "SELECT x.family_id = y.family_id FROM clients x, clients y"
				  " WHERE x.id = ?1 AND y.id = ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	int rc = sqlite3_step(stmt);
	*same = rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) != 0;
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "same family");
}

/* The ids of the clients of the family sql selects (?1 bound to key), oldest
 * first, at most max. */
static enum hm_err member_ids(struct hm_db *db, const char *sql, int64_t key, int64_t *ids,
			      size_t max, size_t *n)
{
	int rc;
	*n = 0;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, key);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(stmt, 0);
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "family members");
}

enum hm_err hm_db_families_members(struct hm_db *db, int64_t user_id, int64_t now, json_t **items)
{
	static const char sql[] =
		"SELECT c.id FROM clients me JOIN clients c ON c.family_id = me.family_id"
		" WHERE me.user_id = ?1 ORDER BY c.id";
	int64_t ids[HM_FAMILY_MAX];
	size_t n = 0;
	enum hm_err err = member_ids(db, sql, user_id, ids, HM_FAMILY_MAX, &n);
	if (err == HM_OK && n == 0)
		err = HM_ERR_NOT_FOUND;
	json_t *list = err == HM_OK ? json_array() : NULL;
	if (err == HM_OK && !list)
		err = HM_ERR_INTERNAL;
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		json_t *client = NULL;
		err = hm_db_clients_json(db, ids[i], now, &client);
		if (err == HM_OK && json_array_append_new(list, client) != 0)
			err = HM_ERR_INTERNAL;
	}
	if (err != HM_OK) {
		json_decref(list);
		return err;
	}
	*items = list;
	return HM_OK;
}

enum hm_err hm_db_families_add_child(struct hm_db *db, int64_t user_id, const struct hm_child *c,
				     const struct hm_actor *who, json_t **out)
{
	/* The guardian is the account holder as its own record has it. */
	static const char sql[] =
		"INSERT INTO clients (full_name, level, locale, guardian_name, guardian_email,"
		" guardian_phone, family_id, created_at, updated_at)"
		" SELECT ?2, ?3, coalesce(?4, me.locale), me.full_name, me.email, me.phone,"
		" me.family_id, ?5, ?5 FROM clients me WHERE me.user_id = ?1";
	static const char size_sql[] =
		"SELECT count(*) FROM clients me JOIN clients c ON c.family_id = me.family_id"
		" WHERE me.user_id = ?1";
	int64_t members = 0;
	int64_t id = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = hm_db_int_by_id(db, size_sql, user_id, &members, "family size");
	if (err == HM_OK && members >= HM_FAMILY_MAX)
		err = HM_ERR_CONFLICT;
	sqlite3_stmt *stmt = err == HM_OK ? hm_db_stmt(db, sql) : NULL;
	if (err == HM_OK && !stmt)
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		sqlite3_bind_int64(stmt, 1, user_id);
		hm_db_bind_text_or_null(stmt, 2, c->full_name);
		hm_db_bind_text_or_null(stmt, 3, c->level);
		hm_db_bind_text_or_null(stmt, 4, c->locale);
		sqlite3_bind_int64(stmt, 5, who->now);
		int rc = sqlite3_step(stmt);
		bool added = sqlite3_changes(hm_db_handle(db)) == 1;
		if (rc != SQLITE_DONE)
			err = hm_db_fail(db, "add child");
		else if (!added)
			err = HM_ERR_NOT_FOUND;
		else
			id = sqlite3_last_insert_rowid(hm_db_handle(db));
	}
	hm_db_done(stmt);
	if (err == HM_OK)
		err = hm_audit_record(db, who->user_id, "client.create", "client", id, NULL,
				      who->request_id, who->now);
	if (err == HM_OK)
		err = hm_db_clients_json(db, id, who->now, out);
	return hm_db_end(db, err);
}

/* The family of client id: HM_ERR_NOT_FOUND when there is no such client. */
static enum hm_err family_of(struct hm_db *db, int64_t client_id, int64_t *family_id)
{
	static const char sql[] = "SELECT family_id FROM clients WHERE id = ?1";
	return hm_db_int_by_id(db, sql, client_id, family_id, "family of client");
}

/* Moves every member of family from into family to, and deletes from (its
 * referrals and partner handed over first: hm_db_referrals_merge). */
static enum hm_err join_family(struct hm_db *db, int64_t from, int64_t to, int64_t now)
{
	static const char move_sql[] = "UPDATE clients SET family_id = ?2 WHERE family_id = ?1";
	static const char drop_sql[] = "DELETE FROM families WHERE id = ?1";
	enum hm_err err = HM_OK;
	sqlite3_stmt *move = hm_db_stmt(db, move_sql);
	sqlite3_stmt *drop = hm_db_stmt(db, drop_sql);
	if (!move || !drop) {
		hm_db_done(move);
		hm_db_done(drop);
		return HM_ERR_INTERNAL;
	}
	sqlite3_bind_int64(move, 1, from);
	sqlite3_bind_int64(move, 2, to);
	sqlite3_bind_int64(drop, 1, from);
	err = hm_db_referrals_merge(db, from, to, now);
	if (err == HM_OK &&
	    (sqlite3_step(move) != SQLITE_DONE || sqlite3_step(drop) != SQLITE_DONE))
		err = hm_db_fail(db, "join family");
	hm_db_done(move);
	hm_db_done(drop);
	return err;
}

enum hm_err hm_db_families_merge(struct hm_db *db, const int64_t *client_ids, size_t n,
				 const struct hm_actor *who, json_t **out, int64_t *missing)
{
	int64_t families[HM_FAMILY_MAX];
	int64_t target = 0;
	if (n == 0 || n > HM_FAMILY_MAX)
		return HM_ERR_VALIDATION_FAILED;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		err = family_of(db, client_ids[i], &families[i]);
		if (err == HM_ERR_NOT_FOUND) {
			*missing = client_ids[i];
			err = HM_ERR_VALIDATION_FAILED;
		}
		if (err == HM_OK && (!target || families[i] < target))
			target = families[i];
	}
	/* The families joined, each once: never more than HM_FAMILY_MAX clients. */
	int64_t members = 0;
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		static const char count_sql[] = "SELECT count(*) FROM clients WHERE family_id = ?1";
		int64_t count = 0;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = families[j] == families[i];
		if (!seen && (err = hm_db_int_by_id(db, count_sql, families[i], &count,
						    "count family")) == HM_OK)
			members += count;
	}
	if (err == HM_OK && members > HM_FAMILY_MAX)
		err = HM_ERR_CONFLICT;
	for (size_t i = 0; err == HM_OK && i < n; i++) {
		bool seen = families[i] == target;
		for (size_t j = 0; j < i && !seen; j++)
			seen = families[j] == families[i];
		if (!seen)
			err = join_family(db, families[i], target, who->now);
	}
	json_t *detail = NULL;
	if (err == HM_OK) {
		json_t *ids = json_array();
		for (size_t i = 0; ids && i < n; i++)
			json_array_append_new(ids, json_integer(client_ids[i]));
		detail = ids ? json_pack("{s:o}", "client_ids", ids) : NULL;
		err = detail ? hm_audit_record(db, who->user_id, "family.merge", "family", target,
					       detail, who->request_id, who->now)
			     : HM_ERR_INTERNAL;
	}
	json_decref(detail);
	if (err == HM_OK)
		err = hm_db_families_get(db, target, out);
	return hm_db_end(db, err);
}

enum hm_err hm_db_families_get(struct hm_db *db, int64_t id, json_t **out)
{
	static const char family_sql[] = "SELECT active_contracts FROM families WHERE id = ?1";
	static const char members_sql[] = "SELECT id FROM clients WHERE family_id = ?1 ORDER BY id";
	int64_t ids[HM_FAMILY_MAX], contracts = 0;
	size_t n = 0;
	enum hm_err err = hm_db_int_by_id(db, family_sql, id, &contracts, "read family");
	if (err == HM_OK)
		err = member_ids(db, members_sql, id, ids, HM_FAMILY_MAX, &n);
	if (err != HM_OK)
		return err;
	json_t *list = json_array();
	for (size_t i = 0; list && i < n; i++)
		json_array_append_new(list, json_integer(ids[i]));
	*out = list ? json_pack("{s:I, s:o, s:I}", "id", (json_int_t)id, "client_ids", list,
				"contracts", (json_int_t)contracts)
		    : NULL;
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

enum hm_err hm_db_families_leave(struct hm_db *db, int64_t id, int64_t client_id,
				 const struct hm_actor *who)
{
	static const char count_sql[] = "SELECT count(*) FROM clients WHERE family_id = ?1";
	static const char new_sql[] =
		"INSERT INTO families (active_contracts, created_at) VALUES (0, ?1)";
	static const char move_sql[] = "UPDATE clients SET family_id = ?2 WHERE id = ?1";
	int64_t family = 0, members = 0;
	enum hm_err err = hm_db_begin(db);
	if (err != HM_OK)
		return err;
	err = family_of(db, client_id, &family);
	if (err == HM_OK && family != id)
		err = HM_ERR_NOT_FOUND;
	if (err == HM_OK)
		err = hm_db_int_by_id(db, count_sql, id, &members, "count family");
	if (err == HM_OK && members > 1) {
		sqlite3_stmt *add = hm_db_stmt(db, new_sql);
		if (!add)
			err = HM_ERR_INTERNAL;
		else {
			sqlite3_bind_int64(add, 1, who->now);
			if (sqlite3_step(add) != SQLITE_DONE)
				err = hm_db_fail(db, "new family");
			hm_db_done(add);
		}
		int64_t fresh = sqlite3_last_insert_rowid(hm_db_handle(db));
		sqlite3_stmt *move = err == HM_OK ? hm_db_stmt(db, move_sql) : NULL;
		if (err == HM_OK && !move)
			err = HM_ERR_INTERNAL;
		if (err == HM_OK) {
			sqlite3_bind_int64(move, 1, client_id);
			sqlite3_bind_int64(move, 2, fresh);
			if (sqlite3_step(move) != SQLITE_DONE)
				err = hm_db_fail(db, "leave family");
			hm_db_done(move);
		}
		json_t *detail = json_pack("{s:I, s:I}", "client_id", (json_int_t)client_id,
					   "new_family_id", (json_int_t)fresh);
		if (err == HM_OK)
			err = detail ? hm_audit_record(db, who->user_id, "family.leave", "family",
						       id, detail, who->request_id, who->now)
				     : HM_ERR_INTERNAL;
		json_decref(detail);
	}
	return hm_db_end(db, err);
}
