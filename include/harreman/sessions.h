/* SPDX-License-Identifier: MIT */
/* Server-side sessions (cookie) and API tokens (bearer): created with a fresh random
 * token that is returned once and stored only as a hash, looked up per request into
 * an identity, revoked on logout or DELETE. Deactivated users authenticate nothing. */
#ifndef HARREMAN_SESSIONS_H
#define HARREMAN_SESSIONS_H

#include <jansson.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/http.h"
#include "harreman/token.h"

#define HM_SESSION_COOKIE "hm_session"
#define HM_SESSION_TTL ((int64_t)7 * 24 * 3600) /* absolute lifetime, seconds */
#define HM_API_TOKEN_PREFIX "hmt_"
#define HM_API_TOKEN_TEXT_LEN (sizeof HM_API_TOKEN_PREFIX - 1 + HM_TOKEN_TEXT_LEN)

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

/* Fills who from a bearer token: HM_OK or HM_ERR_UNAUTHENTICATED. */
enum hm_err hm_api_token_lookup(struct hm_db *db, const char *token, struct hm_identity *who);

/* Revokes token id. owner_id 0 revokes anyone's (admin); otherwise only owner_id's
 * token is found. HM_ERR_NOT_FOUND when there is no such live token. */
enum hm_err hm_api_token_revoke(struct hm_db *db, int64_t id, int64_t owner_id, int64_t now);

/* The live tokens of user_id as [{id, name, created_at}] (caller owns). */
enum hm_err hm_api_token_list(struct hm_db *db, int64_t user_id, json_t **items);

#endif
