// SPDX-License-Identifier: MIT
// Families in the database (sql/0010_families.sql) on :memory:: the upgrade makes
// every existing client a family of one with its contracts counted and leaves the
// contracts as they were; a new client founds a family; a client never loses its
// family; the family's count follows its members' contracts and moves with a
// client that changes family.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/db.h"
#include "harreman/migrations.h"

static int64_t scalar(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

#define SEED_SQL                                                                               \
	"INSERT INTO clients (id, full_name, created_at, updated_at) VALUES (1, 'Ane', 0, 0)," \
	" (2, 'Unai', 0, 0), (3, 'Irati', 0, 0);"                                              \
	"INSERT INTO services (id, name, subject, kind, duration_min, price_cents, capacity,"  \
	" created_at) VALUES (1, 'Mate', 'maths', 'private', 60, 100, 1, 0)"
/* A contract for client (status as given). */
#define CONTRACT_SQL(client, status)                                                          \
	"INSERT INTO contracts (client_id, service_id, kind, sessions_total, ordinal,"        \
	" list_price_cents, discount_percent, discount_cents, price_cents, channel, status,"  \
	" created_at) VALUES (" client ", 1, 'one_off', 1, 3, 100, 5, 5, 95, 'web', '" status \
	"', 0)"
#define FAMILY_COUNT(client)                                                                   \
	"SELECT f.active_contracts FROM clients c JOIN families f ON f.id = c.family_id WHERE" \
	" c.id = " client
/* Every column of every contract, as one text: what "unchanged" compares. */
#define CONTRACTS_TEXT                                                           \
	"SELECT group_concat(id || ':' || client_id || ':' || ordinal || ':' ||" \
	" discount_percent || ':' || price_cents || ':' || status, ',') FROM contracts"

static char *text(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	char *v = NULL;
	if (sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		v = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return v;
}

static void test_upgrade_makes_families_of_one(void)
{
	/* A database from before families (schema version 9) with contracts. */
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	for (int i = 0; i < 9; i++)
		CHECK_INT(hm_db_exec(db, hm_migrations[i].sql), HM_OK);
	CHECK_INT(hm_db_exec(db, "PRAGMA user_version = 9"), HM_OK);
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("1", "active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("1", "active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("1", "cancelled")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("2", "active")), HM_OK);
	char *before = text(db, CONTRACTS_TEXT);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	char *after = text(db, CONTRACTS_TEXT);
	CHECK(before && after && strcmp(before, after) == 0);
	free(before);
	free(after);
	CHECK_INT(scalar(db, "SELECT count(*) FROM families"), 3);
	CHECK_INT(scalar(db, "SELECT count(*) FROM clients WHERE family_id IS NULL"), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM clients c WHERE (SELECT count(*) FROM clients"
			     " o WHERE o.family_id = c.family_id) <> 1"),
		  0);
	CHECK_INT(scalar(db, FAMILY_COUNT("1")), 2);
	CHECK_INT(scalar(db, FAMILY_COUNT("2")), 1);
	CHECK_INT(scalar(db, FAMILY_COUNT("3")), 0);
	hm_db_close(db);
}

static void test_families_are_kept_by_the_database(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db != NULL);
	CHECK_INT(hm_db_migrate(db, &why), HM_OK);
	CHECK_INT(hm_db_exec(db, SEED_SQL), HM_OK);
	/* Every new client founds a family of its own. */
	CHECK_INT(scalar(db, "SELECT count(DISTINCT family_id) FROM clients"), 3);
	CHECK_INT(scalar(db, "SELECT count(*) FROM clients WHERE family_id IS NULL"), 0);
	/* Never without one, never one that does not exist. */
	CHECK_INT(hm_db_exec(db, "UPDATE clients SET family_id = NULL WHERE id = 1"),
		  HM_ERR_INTERNAL);
	CHECK_INT(hm_db_exec(db, "UPDATE clients SET family_id = 999 WHERE id = 1"),
		  HM_ERR_INTERNAL);
	/* Counts follow contracts. */
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("1", "active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("1", "active")), HM_OK);
	CHECK_INT(hm_db_exec(db, CONTRACT_SQL("2", "active")), HM_OK);
	CHECK_INT(scalar(db, FAMILY_COUNT("1")), 2);
	/* Client 2 joins client 1's family: the family counts 3, and back. */
	CHECK_INT(hm_db_exec(db, "UPDATE clients SET family_id = (SELECT family_id FROM clients"
				 " WHERE id = 1) WHERE id = 2"),
		  HM_OK);
	CHECK_INT(scalar(db, FAMILY_COUNT("1")), 3);
	CHECK_INT(scalar(db, FAMILY_COUNT("2")), 3);
	CHECK_INT(hm_db_exec(db, "UPDATE contracts SET status = 'cancelled' WHERE id = 1"), HM_OK);
	CHECK_INT(scalar(db, FAMILY_COUNT("2")), 2);
	CHECK_INT(hm_db_exec(db, "UPDATE clients SET family_id = (SELECT family_id FROM clients"
				 " WHERE id = 3) WHERE id = 2"),
		  HM_OK);
	CHECK_INT(scalar(db, FAMILY_COUNT("1")), 1);
	CHECK_INT(scalar(db, FAMILY_COUNT("3")), 1);
	/* A family with members cannot go. */
	CHECK_INT(hm_db_exec(db, "DELETE FROM families WHERE id = (SELECT family_id FROM clients"
				 " WHERE id = 1)"),
		  HM_ERR_INTERNAL);
	hm_db_close(db);
}

int main(void)
{
	RUN(test_upgrade_makes_families_of_one);
	RUN(test_families_are_kept_by_the_database);
	return CHECK_EXIT();
}
