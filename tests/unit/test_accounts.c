// SPDX-License-Identifier: MIT
// The write transactions of accounts, sessions and tokens (src/db/accounts.c,
// src/auth/sessions.c, src/auth/ratelimit.c): each writes its rows and its audit
// row together, or nothing at all; and `serve`'s options (hm_config_parse_args),
// with the messages the command line prints.
#include <string.h>

#include "check.h"
#include "harreman/accounts.h"
#include "harreman/app.h"
#include "harreman/ratelimit.h"
#include "harreman/sessions.h"

static const int64_t now = 1800000000;

static struct hm_db *fresh_db(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db && hm_db_migrate(db, &why) == HM_OK);
	return db;
}

/* The one integer a query answers, or -1. */
static int64_t scalar(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int64_t n = -1;
	sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL);
	if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static int64_t make_user(struct hm_db *db, const char *email, enum hm_role role)
{
	const struct hm_new_user u = {email, "$argon2id$fake", "Someone", role, NULL, NULL};
	const struct hm_actor cli = {0, NULL, now};
	int64_t id = 0;
	CHECK_INT(hm_accounts_create_audited(db, &u, &cli, NULL, &id, NULL), HM_OK);
	return id;
}

static int64_t make_session(struct hm_db *db, int64_t user_id)
{
	char token[HM_TOKEN_TEXT_LEN], csrf[HM_TOKEN_TEXT_LEN];
	int64_t id = 0;
	CHECK_INT(hm_db_begin(db), HM_OK);
	CHECK_INT(hm_db_end(db, hm_session_create(db, user_id, now, token, csrf, &id)), HM_OK);
	return id;
}

static void test_create_audited(void)
{
	struct hm_db *db = fresh_db();
	const struct hm_new_user u = {
		"boss@example.com", "$argon2id$fake", "Boss", HM_ROLE_ADMIN, NULL, NULL};
	const struct hm_actor cli = {0, NULL, now};
	int64_t id = 0;
	json_t *user = NULL;

	CHECK_INT(hm_accounts_create_audited(db, &u, &cli, "command line", &id, NULL), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'user.create'"
			     " AND actor_id IS NULL AND detail = '{\"email\":\"boss@example.com\","
			     "\"role\":\"admin\",\"via\":\"command line\"}'"),
		  1);

	/* Taken: neither a user nor an audit row, and no user object (*out is set to
	 * NULL, whatever the caller's variable held). */
	json_t *placeholder = json_object();
	user = placeholder;
	CHECK_INT(hm_accounts_create_audited(db, &u, &cli, NULL, &id, &user), HM_ERR_EMAIL_TAKEN);
	CHECK(user == NULL);
	json_decref(placeholder);
	CHECK_INT(scalar(db, "SELECT count(*) FROM users"), 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log"), 1);

	const struct hm_new_user s = {"ane@example.com", "h", "Ane", HM_ROLE_STUDENT, "es", NULL};
	const struct hm_actor admin = {id, "req-1", now};
	CHECK_INT(hm_accounts_create_audited(db, &s, &admin, NULL, &id, &user), HM_OK);
	CHECK_STR(json_string_value(json_object_get(user, "email")), "ane@example.com");
	CHECK_INT(scalar(db, "SELECT count(*) FROM clients WHERE locale = 'es'"), 1);
	CHECK_INT(scalar(db,
			 "SELECT count(*) FROM audit_log WHERE request_id = 'req-1'"
			 " AND detail = '{\"email\":\"ane@example.com\",\"role\":\"student\"}'"),
		  1);
	json_decref(user);
	hm_db_close(db);
}

static void test_update_audited(void)
{
	struct hm_db *db = fresh_db();
	int64_t admin = make_user(db, "boss@example.com", HM_ROLE_ADMIN);
	const struct hm_actor who = {admin, "req-2", now + 10};
	json_t *user = NULL, *detail = json_pack("{s:s}", "role", "staff");

	/* The last admin cannot be demoted: nothing changes, nothing is audited. */
	const struct hm_user_change demote = {HM_ROLE_STAFF, NULL, NULL};
	CHECK_INT(hm_accounts_update_audited(db, admin, &demote, detail, &who, &user),
		  HM_ERR_CONFLICT);
	CHECK(user == NULL);
	CHECK_INT(scalar(db, "SELECT count(*) FROM users WHERE role = 'admin'"), 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'user.update'"), 0);

	/* An empty body changes nothing worth an audit row. */
	const struct hm_user_change none = {HM_ROLE_NONE, NULL, NULL};
	json_t *empty = json_object();
	CHECK_INT(hm_accounts_update_audited(db, admin, &none, empty, &who, &user), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'user.update'"), 0);
	json_decref(user);
	json_decref(empty);

	const struct hm_user_change rename = {HM_ROLE_NONE, "Big Boss", NULL};
	CHECK_INT(hm_accounts_update_audited(db, admin, &rename, detail, &who, &user), HM_OK);
	CHECK_STR(json_string_value(json_object_get(user, "full_name")), "Big Boss");
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'user.update'"
			     " AND request_id = 'req-2'"),
		  1);
	json_decref(user);

	CHECK_INT(hm_accounts_update_audited(db, 999, &rename, detail, &who, &user),
		  HM_ERR_NOT_FOUND);
	CHECK(user == NULL);
	json_decref(detail);
	hm_db_close(db);
}

static void test_register(void)
{
	struct hm_db *db = fresh_db();
	int64_t other = make_user(db, "other@example.com", HM_ROLE_STUDENT);
	int64_t old = make_session(db, other);
	const struct hm_actor anon = {0, "req-3", now};
	struct hm_session_new s = {.body = NULL};
	struct hm_identity who;

	/* A taken e-mail leaves the replaced session alive and starts none. */
	const struct hm_new_user taken = {"other@example.com", "h",  "X",
					  HM_ROLE_STUDENT,     NULL, NULL};
	CHECK_INT(hm_session_register(db, &taken, old, &anon, &s), HM_ERR_EMAIL_TAKEN);
	CHECK(s.body == NULL);
	CHECK_INT(scalar(db, "SELECT count(*) FROM sessions"), 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'user.register'"), 0);

	const struct hm_new_user u = {"ane@example.com", "h", "Ane", HM_ROLE_STUDENT, "en", NULL};
	CHECK_INT(hm_session_register(db, &u, old, &anon, &s), HM_OK);
	memset(&who, 0, sizeof who);
	CHECK_INT(hm_session_lookup(db, s.token, now, &who), HM_OK);
	CHECK_STR(json_string_value(json_object_get(s.body, "csrf_token")), who.csrf_token);
	CHECK_STR(json_string_value(json_object_get(json_object_get(s.body, "client"), "locale")),
		  "en");
	CHECK_INT(scalar(db, "SELECT count(*) FROM sessions WHERE user_id = 1"), 0); /* replaced */
	CHECK_INT(other, 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'user.register'"
			     " AND actor_id = entity_id AND request_id = 'req-3'"),
		  1);
	json_decref(s.body);
	hm_db_close(db);
}

static void test_login_logout(void)
{
	struct hm_db *db = fresh_db();
	int64_t user = make_user(db, "boss@example.com", HM_ROLE_ADMIN);
	int64_t old = make_session(db, user);
	const struct hm_actor anon = {0, "req-4", now};
	struct hm_session_new s = {.body = NULL};
	struct hm_identity who;

	const struct hm_ratelimit_key failed[] = {
		{HM_BUCKET_LOGIN_EMAIL, "boss@example.com"},
		{HM_BUCKET_LOGIN_ADDR, "192.0.2.1"},
	};
	CHECK_INT(hm_ratelimit_record(db, failed, 2, now - 5, 900), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM rate_events"), 2);

	const struct hm_login login = {user, "boss@example.com", "$argon2id$stronger", old};
	CHECK_INT(hm_session_login(db, &login, &anon, &s), HM_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM rate_events WHERE bucket = 'login_email'"), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM rate_events WHERE bucket = 'login_addr'"), 1);
	CHECK_INT(
		scalar(db, "SELECT count(*) FROM users WHERE password_hash = '$argon2id$stronger'"),
		1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM sessions"), 1); /* the old one replaced */
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'session.login'"
			     " AND actor_id = entity_id"),
		  1);
	CHECK(json_is_null(json_object_get(s.body, "client"))); /* an admin */
	memset(&who, 0, sizeof who);
	CHECK_INT(hm_session_lookup(db, s.token, now, &who), HM_OK);
	json_decref(s.body);

	const struct hm_actor me = {user, "req-5", now + 1};
	CHECK_INT(hm_session_logout(db, who.session_id, &me), HM_OK);
	CHECK_INT(hm_session_lookup(db, s.token, now, &who), HM_ERR_UNAUTHENTICATED);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'session.logout'"
			     " AND request_id = 'req-5'"),
		  1);
	hm_db_close(db);
}

static void test_tokens_audited(void)
{
	struct hm_db *db = fresh_db();
	int64_t staff = make_user(db, "tutor@example.com", HM_ROLE_STAFF);
	int64_t other = make_user(db, "other@example.com", HM_ROLE_STAFF);
	const struct hm_actor me = {staff, "req-6", now};
	const struct hm_actor them = {other, "req-7", now};
	struct hm_identity who;
	json_t *out = NULL;

	CHECK_INT(hm_api_token_create_audited(db, "laptop", &me, &out), HM_OK);
	const char *token = json_string_value(json_object_get(out, "token"));
	CHECK(token && strncmp(token, HM_API_TOKEN_PREFIX, 4) == 0);
	CHECK_STR(json_string_value(json_object_get(out, "name")), "laptop");
	CHECK_INT(hm_api_token_lookup(db, token, &who), HM_OK);
	CHECK_INT(who.user_id, staff);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'token.create'"
			     " AND detail = '{\"name\":\"laptop\"}'"),
		  1);

	CHECK_INT(hm_api_token_revoke_audited(db, id, other, &them), HM_ERR_NOT_FOUND);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'token.revoke'"), 0);
	CHECK_INT(hm_api_token_revoke_audited(db, id, staff, &me), HM_OK);
	CHECK_INT(hm_api_token_lookup(db, token, &who), HM_ERR_UNAUTHENTICATED);
	CHECK_INT(scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'token.revoke'"), 1);
	json_decref(out);
	hm_db_close(db);
}

/* hm_config_parse_args on a command line written as one string. */
static enum hm_config_args parse(struct hm_config *cfg, const char *line, const char **why)
{
	static char buf[512];
	char *argv[32];
	int argc = 0;
	snprintf(buf, sizeof buf, "serve %s", line);
	for (char *p = buf; *p && argc < 31;) {
		argv[argc++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	hm_config_defaults(cfg);
	return hm_config_parse_args(cfg, argc, argv, why);
}

static void test_parse_args(void)
{
	static const struct {
		const char *line, *why;
	} refused[] = {
		{"--threads 0", "--threads takes a number from 1 to 256"},
		{"--threads 257", "--threads takes a number from 1 to 256"},
		{"--threads 4x", "--threads takes a number from 1 to 256"},
		{"--smtp-backoff 0", "--smtp-backoff takes seconds from 1 to 86400"},
		{"--listen localhost:80",
		 "--listen takes a numeric ADDR:PORT, e.g. 127.0.0.1:8080"},
		{"--smtp-url http://relay",
		 "--smtp-url takes smtp://HOST[:PORT] or smtps://HOST[:PORT]"},
		{"--smtp-from nobody", "--smtp-from takes an e-mail address"},
		{"--smtp-url smtp://relay:25",
		 "--smtp-url needs --smtp-from ADDR, the sender's address"},
		{"--demo extra", "serve takes no positional arguments"},
	};
	struct hm_config cfg;
	const char *why = "unset";

	CHECK_INT(parse(&cfg,
			"--listen [::1]:0 --db x.db --web w --timezone UTC --trusted-proxy"
			" 10.0.0.1 --threads 3 --demo --smtp-url smtp://relay:25 --smtp-from"
			" a@b.example --smtp-backoff 5",
			&why),
		  HM_CONFIG_ARGS_OK);
	CHECK_STR(cfg.listen_host, "::1");
	CHECK_INT(cfg.listen_port, 0);
	CHECK_STR(cfg.db_path, "x.db");
	CHECK_STR(cfg.web_dir, "w");
	CHECK_STR(cfg.timezone, "UTC");
	CHECK_STR(cfg.trusted_proxy, "10.0.0.1");
	CHECK_INT(cfg.threads, 3);
	CHECK(cfg.demo);
	CHECK_STR(cfg.smtp_url, "smtp://relay:25");
	CHECK_STR(cfg.smtp_from, "a@b.example");
	CHECK_INT(cfg.smtp_backoff, 5);

	CHECK_INT(parse(&cfg, "", &why), HM_CONFIG_ARGS_OK);
	CHECK_STR(cfg.db_path, "harreman.db");
	CHECK_INT(parse(&cfg, "--help", &why), HM_CONFIG_ARGS_HELP);
	CHECK_INT(parse(&cfg, "--no-such-option", &why), HM_CONFIG_ARGS_USAGE_ERROR);
	CHECK(why == NULL); /* getopt_long has said it */
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		why = NULL;
		CHECK_INT(parse(&cfg, refused[i].line, &why), HM_CONFIG_ARGS_USAGE_ERROR);
		CHECK_STR(why, refused[i].why);
	}
}

int main(void)
{
	RUN(test_create_audited);
	RUN(test_update_audited);
	RUN(test_register);
	RUN(test_login_logout);
	RUN(test_tokens_audited);
	RUN(test_parse_args);
	return CHECK_EXIT();
}
