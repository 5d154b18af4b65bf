// SPDX-License-Identifier: MIT
// Authentication routes: register, login (throttled), logout, /me, and API tokens.
// Password hashing runs before the write transaction opens, so a slow argon2id
// never holds the database's write lock.
#include <stdio.h>
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/api.h"
#include "harreman/audit.h"
#include "harreman/log.h"
#include "harreman/ratelimit.h"
#include "harreman/sessions.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const locales[] = {"eu", "es", "en", NULL};

/* {user, client, csrf_token} for user_id; csrf NULL gives csrf_token null. The
 * client record is a student's: staff and admins get null even when a record is
 * left from an earlier role. */
static enum hm_err session_body(struct hm_db *db, int64_t user_id, const char *csrf,
				json_t **out)
{
	json_t *user = NULL, *client = NULL;
	enum hm_err err = hm_accounts_user_json(db, user_id, &user);
	const char *role = json_string_value(json_object_get(user, "role"));
	if (err == HM_OK && role && strcmp(role, "student") == 0)
		err = hm_accounts_client_json_by_user(db, user_id, &client);
	else if (err == HM_OK)
		client = json_null();
	if (err != HM_OK) {
		json_decref(user);
		return err;
	}
	*out = json_pack("{s:o, s:o, s:o}", "user", user, "client", client, "csrf_token",
			 csrf ? json_string(csrf) : json_null());
	return *out ? HM_OK : HM_ERR_INTERNAL;
}

static void set_session_cookie(const struct hm_request *req, struct hm_reply *reply,
			       const char *token)
{
	char cookie[160];
	if (token)
		snprintf(cookie, sizeof cookie,
			 HM_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
			 token, (long long)HM_SESSION_TTL, req->tls ? "; Secure" : "");
	else
		snprintf(cookie, sizeof cookie,
			 HM_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
			 req->tls ? "; Secure" : "");
	hm_reply_header(reply, "Set-Cookie", cookie);
}

/* Starts a session for user_id inside the open transaction, commits, and answers
 * status with {user, client, csrf_token} and the cookie. */
static void finish_with_session(struct hm_request *req, struct hm_reply *reply,
				int64_t user_id, int status)
{
	char token[HM_TOKEN_TEXT_LEN], csrf[HM_TOKEN_TEXT_LEN];
	int64_t session_id = 0;
	json_t *body = NULL;
	enum hm_err err = hm_session_create(req->db, user_id, req->now, token, csrf, &session_id);
	if (err == HM_OK)
		err = session_body(req->db, user_id, csrf, &body);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		json_decref(body);
		hm_api_reply_err(reply, err);
		goto out;
	}
	set_session_cookie(req, reply, token);
	hm_reply_json(reply, status, body);
out:
	sodium_memzero(token, sizeof token);
}

/* 429 when the address has used up its registrations for the hour. */
static bool register_throttled(struct hm_request *req, struct hm_reply *reply)
{
	bool limited = false;
	int64_t wait = 0;
	enum hm_err err = hm_ratelimit_check(req->db, "register_addr", req->remote_addr, req->now,
					     HM_REGISTER_WINDOW, HM_REGISTER_MAX, &limited, &wait);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return true;
	}
	if (!limited)
		return false;
	char retry[24];
	snprintf(retry, sizeof retry, "%lld", (long long)wait);
	hm_reply_header(reply, "Retry-After", retry);
	hm_reply_error(reply, HM_ERR_RATE_LIMITED, "Too many registrations; try again later.");
	return true;
}

/* Counts a well-formed registration against its address, in its own transaction
 * and before the password is hashed: every such attempt costs an argon2id hash,
 * and a 409 email_taken tells whether an address is registered, so attempts count
 * whether they create an account or not. */
static bool register_counted(struct hm_request *req, struct hm_reply *reply)
{
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_ratelimit_hit(req->db, "register_addr", req->remote_addr, req->now,
				       HM_REGISTER_WINDOW);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		return false;
	}
	return true;
}

void hm_api_register(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"email", "password", "full_name", "locale", NULL};
	struct hm_validation v;
	char email[HM_MAX_EMAIL + 1] = "";
	const char *password = NULL, *full_name = NULL;
	int locale = 0;
	int64_t user_id = 0;
	char hash[HM_PASSWORD_HASH_LEN];

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_email(&v, req->json, "email", true, email, NULL);
	hm_validate_password(&v, req->json, "password", &password);
	hm_validate_text(&v, req->json, "full_name", true, HM_MAX_NAME, &full_name);
	hm_validate_enum(&v, req->json, "locale", false, locales, &locale);
	if (register_throttled(req, reply))
		goto out;
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (!register_counted(req, reply))
		goto out;
	if (!hm_password_hash(password, hash)) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		goto out;
	}
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_accounts_create(req->db, email, hash, full_name, HM_ROLE_STUDENT,
					 locales[locale], req->now, &user_id);
	if (err == HM_OK && req->who.via_cookie)
		err = hm_session_revoke(req->db, req->who.session_id);
	if (err == HM_OK)
		err = hm_audit_record(req->db, user_id, "user.register", "user", user_id, NULL,
				      req->request_id, req->now);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	finish_with_session(req, reply, user_id, 201);
out:
	sodium_memzero(hash, sizeof hash);
	hm_validation_release(&v);
}

/* 429 when the e-mail or the address has used up its failures. */
static bool login_throttled(struct hm_request *req, struct hm_reply *reply, const char *email)
{
	bool by_email = false, by_addr = false;
	int64_t wait_email = 0, wait_addr = 0;
	enum hm_err err = hm_ratelimit_check(req->db, "login_email", email, req->now,
					     HM_LOGIN_WINDOW, HM_LOGIN_MAX_FAILURES, &by_email,
					     &wait_email);
	if (err == HM_OK)
		err = hm_ratelimit_check(req->db, "login_addr", req->remote_addr, req->now,
					 HM_LOGIN_WINDOW, HM_LOGIN_MAX_FAILURES_PER_ADDR, &by_addr,
					 &wait_addr);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return true;
	}
	if (!by_email && !by_addr)
		return false;
	char retry[24];
	snprintf(retry, sizeof retry, "%lld",
		 (long long)(wait_email > wait_addr ? wait_email : wait_addr));
	hm_reply_header(reply, "Retry-After", retry);
	hm_reply_error(reply, HM_ERR_RATE_LIMITED, "Too many failed logins; try again later.");
	return true;
}

static void login_failed(struct hm_request *req, struct hm_reply *reply, const char *email)
{
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_ratelimit_hit(req->db, "login_email", email, req->now, HM_LOGIN_WINDOW);
	if (err == HM_OK)
		err = hm_ratelimit_hit(req->db, "login_addr", req->remote_addr, req->now,
				       HM_LOGIN_WINDOW);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_error(reply, HM_ERR_INVALID_CREDENTIALS, NULL);
}

void hm_api_login(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"email", "password", NULL};
	struct hm_validation v;
	struct hm_user_auth user;
	char email[HM_MAX_EMAIL + 1] = "";
	const char *password = NULL;
	char rehash[HM_PASSWORD_HASH_LEN] = "";

	memset(&user, 0, sizeof user);
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_email(&v, req->json, "email", true, email, NULL);
	hm_validate_password_attempt(&v, req->json, "password", &password);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (login_throttled(req, reply, email))
		goto out;

	enum hm_err err = hm_accounts_find_by_email(req->db, email, &user);
	if (err == HM_ERR_INTERNAL) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	/* Verify even for an unknown e-mail, against a dummy hash: same time, same answer. */
	bool ok = hm_password_verify(password, err == HM_OK ? user.password_hash : NULL);
	if (!ok || !user.active) {
		login_failed(req, reply, email);
		goto out;
	}
	if (hm_password_needs_rehash(user.password_hash) && !hm_password_hash(password, rehash))
		rehash[0] = '\0';

	err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_ratelimit_clear(req->db, "login_email", email);
	if (err == HM_OK && rehash[0])
		err = hm_accounts_set_password(req->db, user.id, rehash);
	/* A login on top of an older session replaces it. */
	if (err == HM_OK && req->who.via_cookie)
		err = hm_session_revoke(req->db, req->who.session_id);
	if (err == HM_OK)
		err = hm_audit_record(req->db, user.id, "session.login", "user", user.id, NULL,
				      req->request_id, req->now);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	finish_with_session(req, reply, user.id, 200);
out:
	sodium_memzero(&user, sizeof user);
	sodium_memzero(rehash, sizeof rehash);
	hm_validation_release(&v);
}

/* Idempotent: without a live session (a stale cookie, a bearer token) there is
 * nothing to revoke, and the answer is still 204 with the cookie cleared. */
void hm_api_logout(struct hm_request *req, struct hm_reply *reply)
{
	if (req->who.via_cookie) {
		enum hm_err err = hm_db_begin(req->db);
		if (err == HM_OK)
			err = hm_session_revoke(req->db, req->who.session_id);
		if (err == HM_OK)
			err = hm_audit_record(req->db, req->who.user_id, "session.logout", "user",
					      req->who.user_id, NULL, req->request_id, req->now);
		if (err == HM_OK)
			err = hm_db_commit(req->db);
		if (err != HM_OK) {
			hm_db_rollback(req->db);
			hm_api_reply_err(reply, err);
			return;
		}
	}
	set_session_cookie(req, reply, NULL);
	hm_reply_no_content(reply);
}

void hm_api_me(struct hm_request *req, struct hm_reply *reply)
{
	json_t *body = NULL;
	enum hm_err err = session_body(req->db, req->who.user_id,
				       req->who.via_cookie ? req->who.csrf_token : NULL, &body);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_json(reply, 200, body);
}

void hm_api_tokens_list(struct hm_request *req, struct hm_reply *reply)
{
	json_t *items = NULL;
	enum hm_err err = hm_api_token_list(req->db, req->who.user_id, &items);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
}

void hm_api_tokens_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"name", NULL};
	struct hm_validation v;
	const char *name = NULL;
	char token[HM_API_TOKEN_TEXT_LEN];
	int64_t id = 0;
	json_t *detail = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_text(&v, req->json, "name", true, HM_MAX_NAME, &name);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	detail = json_pack("{s:s}", "name", name);
	enum hm_err err = detail ? hm_db_begin(req->db) : HM_ERR_INTERNAL;
	if (err == HM_OK)
		err = hm_api_token_create(req->db, req->who.user_id, name, req->now, token, &id);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "token.create", "api_token", id,
				      detail, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		goto out;
	}
	char created[HM_RFC3339_LEN];
	hm_time_format(req->now, created);
	hm_reply_json(reply, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name",
					    name, "token", token, "created_at", created));
out:
	sodium_memzero(token, sizeof token);
	json_decref(detail);
	hm_validation_release(&v);
}

void hm_api_tokens_revoke(struct hm_request *req, struct hm_reply *reply)
{
	int64_t id = req->path_ids[0];
	/* Admins may revoke anyone's token; others only their own. */
	int64_t owner = req->who.role == HM_ROLE_ADMIN ? 0 : req->who.user_id;
	enum hm_err err = hm_db_begin(req->db);
	if (err == HM_OK)
		err = hm_api_token_revoke(req->db, id, owner, req->now);
	if (err == HM_OK)
		err = hm_audit_record(req->db, req->who.user_id, "token.revoke", "api_token", id,
				      NULL, req->request_id, req->now);
	if (err == HM_OK)
		err = hm_db_commit(req->db);
	if (err != HM_OK) {
		hm_db_rollback(req->db);
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_no_content(reply);
}
