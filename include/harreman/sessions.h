/* SPDX-License-Identifier: MIT */
/* Server-side sessions (cookie) and API tokens (bearer): created with a fresh random
 * token that is returned once and stored only as a hash, looked up per request into
 * an identity, revoked on logout or DELETE. Deactivated users authenticate nothing.
 * The writes the auth routes make (register, login, logout, a token made or
 * revoked) are one function each here that owns the whole transaction, audit row
 * included; hm_session_create, hm_session_revoke, hm_api_token_create and
 * hm_api_token_revoke are the steps they are made of. */
#ifndef HARREMAN_SESSIONS_H
#define HARREMAN_SESSIONS_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/accounts.h"
#include "harreman/db.h"
#include "harreman/identity.h"
#include "harreman/token.h"

#define HM_SESSION_COOKIE "hm_session"
#define HM_SESSION_TTL ((int64_t)7 * 24 * 3600) /* absolute lifetime, seconds */
#define HM_API_TOKEN_PREFIX "hmt_"
#define HM_API_TOKEN_TEXT_LEN (sizeof HM_API_TOKEN_PREFIX - 1 + HM_TOKEN_TEXT_LEN)

/* A session just started: what its answer needs. */
struct hm_session_new {
	char token[HM_TOKEN_TEXT_LEN]; /* the cookie value: the caller wipes it */
	json_t *body;                  /* {user, client, csrf_token}: the caller owns it */
};

/* A password login that passed verification. Pointers borrowed for the call. */
struct hm_login {
	int64_t user_id;
	const char *email;        /* its failed attempts (HM_BUCKET_LOGIN_EMAIL) are forgotten */
	const char *rehash;       /* a stronger hash of the password to store, or NULL */
	int64_t replaces_session; /* the cookie session this login ends, or 0 */
};

/* {user, client, csrf_token} for user_id into *out (caller owns); csrf NULL gives
 * csrf_token null. The client is a student's record: staff and admins get null even
 * when a record is left from an earlier role. HM_ERR_NOT_FOUND, HM_ERR_INTERNAL. */
enum hm_err hm_session_json(struct hm_db *db, int64_t user_id, const char *csrf, json_t **out);

/* Registration, in one transaction: creates the student u, ends the session it
 * replaces (replaces_session, 0 for none), writes the audit row "user.register" by
 * the new user and starts the new user's session. out->token and out->body are
 * filled as the steps run: the caller wipes out->token and owns out->body (NULL
 * unless the transaction got that far) whatever the result. HM_ERR_EMAIL_TAKEN or
 * HM_ERR_INTERNAL with nothing written. */
enum hm_err hm_session_register(struct hm_db *db, const struct hm_new_user *u,
				int64_t replaces_session, const struct hm_actor *who,
				struct hm_session_new *out);

/* A successful login, in one transaction: forgets the e-mail's failures, stores
 * the rehash, ends the replaced session, writes the audit row "session.login" by
 * the user and starts the session. out as for hm_session_register. HM_ERR_INTERNAL
 * with nothing written. */
enum hm_err hm_session_login(struct hm_db *db, const struct hm_login *login,
			     const struct hm_actor *who, struct hm_session_new *out);

/* Logout, in one transaction: ends session_id and writes the audit row
 * "session.logout" by who. HM_OK or HM_ERR_INTERNAL (nothing written). */
enum hm_err hm_session_logout(struct hm_db *db, int64_t session_id, const struct hm_actor *who);

/* Starts a session for user_id: token_out gets the cookie value, csrf_out the CSRF
 * token. Also removes expired sessions. Needs the caller's transaction. */
enum hm_err hm_session_create(struct hm_db *db, int64_t user_id, int64_t now,
			      char token_out[HM_TOKEN_TEXT_LEN], char csrf_out[HM_TOKEN_TEXT_LEN],
			      int64_t *session_id);

/* Fills who from a session token: HM_OK, or HM_ERR_UNAUTHENTICATED when unknown,
 * expired or the user is inactive. */
enum hm_err hm_session_lookup(struct hm_db *db, const char *token, int64_t now,
			      struct hm_identity *who);

/* Ends a session. */
enum hm_err hm_session_revoke(struct hm_db *db, int64_t session_id);

/* Creates an API token named name for user_id: token_out gets "hmt_..." (shown once),
 * *id the token's id. Needs the caller's transaction. */
enum hm_err hm_api_token_create(struct hm_db *db, int64_t user_id, const char *name, int64_t now,
				char token_out[HM_API_TOKEN_TEXT_LEN], int64_t *id);

/* Creates an API token named name (borrowed) for who->user_id with its audit row
 * "token.create", in one transaction. *out gets {id, name, token, created_at}, the
 * only time the token is shown (caller owns *out whatever the result: NULL unless
 * the transaction got that far). HM_ERR_INTERNAL with nothing written. */
enum hm_err hm_api_token_create_audited(struct hm_db *db, const char *name,
					const struct hm_actor *who, json_t **out);

/* Fills who from a bearer token: HM_OK or HM_ERR_UNAUTHENTICATED. */
enum hm_err hm_api_token_lookup(struct hm_db *db, const char *token, struct hm_identity *who);

/* Revokes token id. owner_id 0 revokes anyone's (admin); otherwise only owner_id's
 * token is found. HM_ERR_NOT_FOUND when there is no such live token. */
enum hm_err hm_api_token_revoke(struct hm_db *db, int64_t id, int64_t owner_id, int64_t now);

/* hm_api_token_revoke with the audit row "token.revoke" by who, in one
 * transaction. HM_ERR_NOT_FOUND or HM_ERR_INTERNAL with nothing written. */
enum hm_err hm_api_token_revoke_audited(struct hm_db *db, int64_t id, int64_t owner_id,
					const struct hm_actor *who);

/* The live tokens of user_id as [{id, name, created_at}] (caller owns). */
enum hm_err hm_api_token_list(struct hm_db *db, int64_t user_id, json_t **items);

#endif
