// SPDX-License-Identifier: MIT
// Authentication routes: register, login (throttled), logout, /me, and API tokens.
// Each write is one call into src/auth/sessions.c, which owns its transaction.
// Password hashing runs before that transaction opens, so a slow argon2id never
// holds the database's write lock.
#include <stdio.h>
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/api.h"
#include "harreman/db_referrals.h"
#include "harreman/limits.h"
#include "harreman/log.h"
#include "harreman/ratelimit.h"
#include "harreman/sessions.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const locales[] = {"eu", "es", "en", NULL};

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

/* The one reply of register and login: status with {user, client, csrf_token} and
 * the session cookie when err is HM_OK, else the error. Takes s->body and wipes
 * s->token in every case. */
static void reply_with_session(const struct hm_request *req, struct hm_reply *reply,
			       enum hm_err err, int status, struct hm_session_new *s)
{
	if (err == HM_OK && s->body)
		set_session_cookie(req, reply, s->token);
	hm_api_reply_result(reply, err, status, s->body);
	s->body = NULL;
	sodium_memzero(s->token, sizeof s->token);
}

/* 429 with Retry-After wait, saying why. */
static void reply_throttled(struct hm_reply *reply, int64_t wait, const char *message)
{
	char retry[24];
	snprintf(retry, sizeof retry, "%lld", (long long)wait);
	hm_reply_header(reply, "Retry-After", retry);
	hm_reply_error(reply, HM_ERR_RATE_LIMITED, message);
}

/* False (answered: 429, or the error) when the address has used up its
 * registrations for the hour. */
static bool register_allowed_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	bool limited = false;
	int64_t wait = 0;
	enum hm_err err = hm_ratelimit_check(req->db, HM_BUCKET_REGISTER_ADDR, req->remote_addr,
					     req->now, HM_REGISTER_WINDOW, HM_REGISTER_MAX,
					     &limited, &wait);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return false;
	}
	if (limited) {
		reply_throttled(reply, wait, "Too many registrations; try again later.");
		return false;
	}
	return true;
}

/* Counts a well-formed registration against its address, in its own transaction
 * and before the password is hashed: every such attempt costs an argon2id hash,
 * and a 409 email_taken tells whether an address is registered, so attempts count
 * whether they create an account or not. False when it answered (the error). */
static bool count_registration_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	const struct hm_ratelimit_key key = {HM_BUCKET_REGISTER_ADDR, req->remote_addr};
	enum hm_err err = hm_ratelimit_record(req->db, &key, 1, req->now, HM_REGISTER_WINDOW);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return false;
	}
	return true;
}

void hm_api_register(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"email",  "password", "full_name",
					      "locale", "ref",      NULL};
	struct hm_validation v;
	char email[HM_MAX_EMAIL + 1] = "";
	const char *password = NULL, *full_name = NULL, *ref = NULL;
	int locale = 0;
	char hash[HM_PASSWORD_HASH_LEN];
	struct hm_session_new session = {.body = NULL};

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_email(&v, req->json, "email", true, email, NULL);
	hm_validate_password(&v, req->json, "password", &password);
	hm_validate_text(&v, req->json, "full_name", true, HM_MAX_NAME, &full_name);
	hm_validate_enum(&v, req->json, "locale", false, locales, &locale);
	hm_validate_text(&v, req->json, "ref", false, HM_MAX_REF_CODE, &ref);
	if (ref && hm_validation_ok(&v)) {
		/* A family's or an active partner's code (API.md v2, "Third parties"). */
		bool known = false;
		if (hm_db_referrals_code_known(req->db, ref, &known) != HM_OK)
			v.oom = true;
		else if (!known)
			hm_validation_fail(&v, "ref", "unknown or inactive code");
	}
	if (!register_allowed_or_reply(req, reply))
		goto out;
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (!count_registration_or_reply(req, reply))
		goto out;
	if (!hm_password_hash(password, hash)) {
		hm_api_reply_err(reply, HM_ERR_INTERNAL);
		goto out;
	}
	const struct hm_new_user user = {
		.email = email,
		.password_hash = hash,
		.full_name = full_name,
		.role = HM_ROLE_STUDENT,
		.locale = locales[locale],
		.ref = ref,
	};
	enum hm_err err = hm_session_register(req->db, &user,
					      req->who.via_cookie ? req->who.session_id : 0,
					      &HM_ACTOR(req), &session);
	reply_with_session(req, reply, err, 201, &session);
out:
	sodium_memzero(hash, sizeof hash);
	hm_validation_release(&v);
}

/* False (answered: 429, or the error) when the e-mail or the address has used up
 * its failures. */
static bool login_allowed_or_reply(struct hm_request *req, struct hm_reply *reply,
				   const char *email)
{
	bool by_email = false, by_addr = false;
	int64_t wait_email = 0, wait_addr = 0;
	enum hm_err err = hm_ratelimit_check(req->db, HM_BUCKET_LOGIN_EMAIL, email, req->now,
					     HM_LOGIN_WINDOW, HM_LOGIN_MAX_FAILURES, &by_email,
					     &wait_email);
	if (err == HM_OK)
		err = hm_ratelimit_check(req->db, HM_BUCKET_LOGIN_ADDR, req->remote_addr, req->now,
					 HM_LOGIN_WINDOW, HM_LOGIN_MAX_FAILURES_PER_ADDR, &by_addr,
					 &wait_addr);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return false;
	}
	if (by_email || by_addr) {
		reply_throttled(reply, wait_email > wait_addr ? wait_email : wait_addr,
				"Too many failed logins; try again later.");
		return false;
	}
	return true;
}

void hm_api_login(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"email", "password", NULL};
	struct hm_validation v;
	struct hm_user_auth user;
	char email[HM_MAX_EMAIL + 1] = "";
	const char *password = NULL;
	char rehash[HM_PASSWORD_HASH_LEN] = "";
	struct hm_session_new session = {.body = NULL};

	memset(&user, 0, sizeof user);
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_email(&v, req->json, "email", true, email, NULL);
	hm_validate_password_attempt(&v, req->json, "password", &password);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	if (!login_allowed_or_reply(req, reply, email))
		goto out;

	enum hm_err err = hm_accounts_find_by_email(req->db, email, &user);
	if (err == HM_ERR_INTERNAL) {
		hm_api_reply_err(reply, err);
		goto out;
	}
	/* Verify even for an unknown e-mail, against a dummy hash: same time, same answer. */
	bool ok = hm_password_verify(password, err == HM_OK ? user.password_hash : NULL);
	if (!ok || !user.active) {
		const struct hm_ratelimit_key failed[] = {
			{HM_BUCKET_LOGIN_EMAIL, email},
			{HM_BUCKET_LOGIN_ADDR, req->remote_addr},
		};
		err = hm_ratelimit_record(req->db, failed, 2, req->now, HM_LOGIN_WINDOW);
		hm_api_reply_err(reply, err == HM_OK ? HM_ERR_INVALID_CREDENTIALS : err);
		goto out;
	}
	if (hm_password_needs_rehash(user.password_hash) && !hm_password_hash(password, rehash))
		rehash[0] = '\0';
	const struct hm_login login = {
		.user_id = user.id,
		.email = email,
		.rehash = rehash[0] ? rehash : NULL,
		/* A login on top of an older session replaces it. */
		.replaces_session = req->who.via_cookie ? req->who.session_id : 0,
	};
	err = hm_session_login(req->db, &login, &HM_ACTOR(req), &session);
	reply_with_session(req, reply, err, 200, &session);
out:
	sodium_memzero(&user, sizeof user);
	sodium_memzero(rehash, sizeof rehash);
	hm_validation_release(&v);
}

/* Idempotent: without a live session (a stale cookie, a bearer token) there is
 * nothing to revoke, and the answer is still 204 with the cookie cleared. */
void hm_api_logout(struct hm_request *req, struct hm_reply *reply)
{
	enum hm_err err = HM_OK;
	if (req->who.via_cookie)
		err = hm_session_logout(req->db, req->who.session_id, &HM_ACTOR(req));
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	set_session_cookie(req, reply, NULL);
	hm_reply_no_content(reply);
}

void hm_api_me(struct hm_request *req, struct hm_reply *reply)
{
	json_t *body = NULL;
	enum hm_err err = hm_session_json(req->db, req->who.user_id,
					  req->who.via_cookie ? req->who.csrf_token : NULL, &body);
	hm_api_reply_result(reply, err, 200, body);
}

/* GET /auth/session: GET /me for anyone; a visitor gets 200 with every field null
 * (the pages ask this, so a visitor's page logs no 401). */
void hm_api_auth_session(struct hm_request *req, struct hm_reply *reply)
{
	if (req->who.user_id == 0) {
		hm_api_reply_result(reply, HM_OK, 200,
				    json_pack("{s:n, s:n, s:n}", "user", "client", "csrf_token"));
		return;
	}
	hm_api_me(req, reply);
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
	json_t *out = NULL;

	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_text(&v, req->json, "name", true, HM_MAX_NAME, &name);
	if (!hm_validation_ok(&v)) {
		hm_api_reply_validation(reply, &v);
		goto out;
	}
	enum hm_err err = hm_api_token_create_audited(req->db, name, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
out:
	hm_validation_release(&v);
}

void hm_api_tokens_revoke(struct hm_request *req, struct hm_reply *reply)
{
	/* Admins may revoke anyone's token; others only their own. */
	int64_t owner = req->who.role == HM_ROLE_ADMIN ? 0 : req->who.user_id;
	enum hm_err err = hm_api_token_revoke_audited(req->db, req->path_ids[0], owner,
						      &HM_ACTOR(req));
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_no_content(reply);
}
