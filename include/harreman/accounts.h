/* SPDX-License-Identifier: MIT */
/* Users and their client records in the database: creation, lookup for login,
 * listing and updates, and their JSON representation (never with password or token
 * material). The *_audited functions own their whole transaction, audit row
 * included; the other functions that write are steps that expect the caller's open
 * transaction (src/auth/sessions.c, src/db/demo.c, erasure). */
#ifndef HARREMAN_ACCOUNTS_H
#define HARREMAN_ACCOUNTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/identity.h"
#include "harreman/password.h"

/* What login needs to know about a user. */
struct hm_user_auth {
	int64_t id;
	enum hm_role role;
	bool active;
	char password_hash[HM_PASSWORD_HASH_LEN];
};

/* A user to create. Every pointer is borrowed for the call. */
struct hm_new_user {
	const char *email;         /* normalized (hm_email_normalize) */
	const char *password_hash; /* hm_password_hash's; the caller wipes it */
	const char *full_name;
	enum hm_role role;
	const char *locale; /* a student's client record; NULL gives "eu" */
	const char *ref;    /* a registration's referral or partner code, or NULL */
};

/* What a user update changes: NULL and HM_ROLE_NONE leave a field as it is. */
struct hm_user_change {
	enum hm_role role;
	const char *full_name; /* borrowed */
	const bool *active;    /* borrowed */
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

/* Creates the user u (hm_accounts_create) and its audit row "user.create" by
 * who, with detail {email, role} and, when via is not NULL, "via": via (e.g.
 * "command line"), in one transaction. *user_id gets the new id; when user_out is
 * not NULL, *user_out gets the user object. The caller owns *user_out whatever the
 * result (NULL unless the transaction got that far; hand it to
 * hm_api_reply_result, which takes it). HM_ERR_EMAIL_TAKEN or HM_ERR_INTERNAL with
 * nothing written. */
enum hm_err hm_accounts_create_audited(struct hm_db *db, const struct hm_new_user *u,
				       const struct hm_actor *who, const char *via,
				       int64_t *user_id, json_t **user_out);

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

/* Applies change to user_id (hm_accounts_update) and, when detail (borrowed: the
 * fields as asked) is a non-empty object, writes the audit row "user.update" by
 * who with it, in one transaction; *user_out gets the user object after the change
 * (caller owns, whatever the result, as for hm_accounts_create_audited).
 * HM_ERR_NOT_FOUND, HM_ERR_CONFLICT (no active admin would be left) or
 * HM_ERR_INTERNAL with nothing written. */
enum hm_err hm_accounts_update_audited(struct hm_db *db, int64_t user_id,
				       const struct hm_user_change *change, json_t *detail,
				       const struct hm_actor *who, json_t **user_out);

/* Number of users in the database (0 means a new database). */
enum hm_err hm_accounts_count(struct hm_db *db, int64_t *count);

#endif
