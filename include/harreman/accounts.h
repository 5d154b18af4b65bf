/* SPDX-License-Identifier: MIT */
/* Users and their client records in the database: creation, lookup for login,
 * listing and updates, and their JSON representation (never with password or token
 * material). Functions that write expect the caller's open transaction. */
#ifndef HARREMAN_ACCOUNTS_H
#define HARREMAN_ACCOUNTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/http.h"
#include "harreman/password.h"

/* What login needs to know about a user. */
struct hm_user_auth {
	int64_t id;
	enum hm_role role;
	bool active;
	char password_hash[HM_PASSWORD_HASH_LEN];
};

/* "student", "staff", "admin"; NULL for HM_ROLE_NONE. */
const char *hm_role_name(enum hm_role role);
/* The role for a name; HM_ROLE_NONE when unknown. */
enum hm_role hm_role_from_name(const char *name);

/* Looks up a user by lower-cased e-mail: HM_OK, HM_ERR_NOT_FOUND or HM_ERR_INTERNAL. */
enum hm_err hm_accounts_find_by_email(struct hm_db *db, const char *email,
				      struct hm_user_auth *out);

/* Creates a user (and, for a student, its client record with locale, "eu" when
 * NULL). HM_ERR_EMAIL_TAKEN when the e-mail is in use. *user_id gets the new id. */
enum hm_err hm_accounts_create(struct hm_db *db, const char *email, const char *password_hash,
			       const char *full_name, enum hm_role role, const char *locale,
			       int64_t now, int64_t *user_id);

/* Replaces a user's password hash (rehash on login). */
enum hm_err hm_accounts_set_password(struct hm_db *db, int64_t user_id, const char *hash);

/* The user object {id, email, full_name, role, active, created_at} into *out
 * (caller owns). HM_ERR_NOT_FOUND when there is no such user. */
enum hm_err hm_accounts_user_json(struct hm_db *db, int64_t user_id, json_t **out);

/* The client object of a user's client record into *out (caller owns), or JSON null
 * when the user has none. */
enum hm_err hm_accounts_client_json_by_user(struct hm_db *db, int64_t user_id, json_t **out);

/* Users with id > after, by id, at most limit: *items (caller owns) and *next_after
 * (0 when this was the last page). */
enum hm_err hm_accounts_list(struct hm_db *db, int64_t after, int limit, json_t **items,
			     int64_t *next_after);

/* Changes the given fields of a user (NULL / HM_ROLE_NONE / NULL leave them).
 * Becoming a student creates a missing client record; deactivation ends the user's
 * sessions and revokes their API tokens for good. HM_ERR_NOT_FOUND, or HM_ERR_CONFLICT when it would leave no active
 * admin. */
enum hm_err hm_accounts_update(struct hm_db *db, int64_t user_id, enum hm_role role,
			       const char *full_name, const bool *active, int64_t now);

/* Number of users in the database (0 means a new database). */
enum hm_err hm_accounts_count(struct hm_db *db, int64_t *count);

#endif
