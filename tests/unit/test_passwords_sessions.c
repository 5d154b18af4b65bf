// SPDX-License-Identifier: MIT
// Passwords (argon2id), secret tokens and their hashes, the Cookie parser, and
// sessions and API tokens in the database (never stored in the clear).
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/accounts.h"
#include "harreman/password.h"
#include "harreman/sessions.h"
#include "harreman/token.h"

static void test_password_hash_and_verify(void)
{
	char hash[HM_PASSWORD_HASH_LEN];
	CHECK(hm_password_hash("correct horse battery", hash));
	CHECK(strncmp(hash, "$argon2id$", 10) == 0);
	CHECK(hm_password_verify("correct horse battery", hash));
	CHECK(!hm_password_verify("correct horse batterY", hash));
	CHECK(!hm_password_verify("", hash));
	CHECK(!hm_password_verify("correct horse battery", NULL)); /* unknown account */
	CHECK(!hm_password_needs_rehash(hash));
	char again[HM_PASSWORD_HASH_LEN];
	CHECK(hm_password_hash("correct horse battery", again));
	CHECK(strcmp(hash, again) != 0); /* salted */
}

static void test_tokens(void)
{
	char a[HM_TOKEN_TEXT_LEN], b[HM_TOKEN_TEXT_LEN];
	hm_token_new(a);
	hm_token_new(b);
	CHECK_INT(strlen(a), 43);
	CHECK(strcmp(a, b) != 0);
	CHECK_INT(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
		  43);
	unsigned char h1[HM_TOKEN_HASH_LEN], h2[HM_TOKEN_HASH_LEN], h3[HM_TOKEN_HASH_LEN];
	hm_token_hash(a, strlen(a), h1);
	hm_token_hash(a, strlen(a), h2);
	hm_token_hash(b, strlen(b), h3);
	CHECK(memcmp(h1, h2, sizeof h1) == 0);
	CHECK(memcmp(h1, h3, sizeof h1) != 0);
	CHECK(hm_token_equal(a, a));
	CHECK(!hm_token_equal(a, b));
	CHECK(!hm_token_equal("", ""));
	CHECK(!hm_token_equal("abc", "abcd"));
}

static void test_cookie_parser(void)
{
	char v[64];
	CHECK(hm_cookie_find("hm_session=abc", "hm_session", v, sizeof v));
	CHECK_STR(v, "abc");
	CHECK(hm_cookie_find("lang=eu; hm_session=xyz; theme=dark", "hm_session", v, sizeof v));
	CHECK_STR(v, "xyz");
	CHECK(hm_cookie_find("lang=eu;hm_session=q ", "hm_session", v, sizeof v));
	CHECK_STR(v, "q");
	CHECK(!hm_cookie_find("xhm_session=abc", "hm_session", v, sizeof v));
	CHECK(!hm_cookie_find("hm_sessionx=abc", "hm_session", v, sizeof v));
	CHECK(!hm_cookie_find("hm_session", "hm_session", v, sizeof v));
	CHECK(!hm_cookie_find("", "hm_session", v, sizeof v));
	char tiny[4];
	CHECK(!hm_cookie_find("hm_session=toolong", "hm_session", tiny, sizeof tiny));
}

static struct hm_db *fresh_db(void)
{
	const char *why = NULL;
	struct hm_db *db = hm_db_open(":memory:");
	CHECK(db && hm_db_migrate(db, &why) == HM_OK);
	return db;
}

static bool bytes_contain(const void *hay, size_t n, const char *needle)
{
	size_t len = strlen(needle);
	for (size_t i = 0; len <= n && i <= n - len; i++)
		if (memcmp((const char *)hay + i, needle, len) == 0)
			return true;
	return false;
}

static bool table_contains(struct hm_db *db, const char *sql, const char *needle)
{
	sqlite3_stmt *stmt = NULL;
	bool found = false;
	sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL);
	while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(stmt); c++) {
			const void *bytes = sqlite3_column_blob(stmt, c);
			int n = sqlite3_column_bytes(stmt, c);
			if (bytes && bytes_contain(bytes, (size_t)n, needle))
				found = true;
		}
	}
	sqlite3_finalize(stmt);
	return found;
}

static void test_sessions(void)
{
	struct hm_db *db = fresh_db();
	int64_t user = 0, session = 0;
	char token[HM_TOKEN_TEXT_LEN], csrf[HM_TOKEN_TEXT_LEN];
	struct hm_identity who;
	const int64_t now = 1800000000;

	CHECK_INT(hm_accounts_create(db, "ane@example.com", "h", "Ane", HM_ROLE_STUDENT, NULL, now,
				     &user),
		  HM_OK);
	CHECK_INT(hm_session_create(db, user, now, token, csrf, &session), HM_OK);
	CHECK(!table_contains(db, "SELECT * FROM sessions", token));

	memset(&who, 0, sizeof who);
	CHECK_INT(hm_session_lookup(db, token, now + 60, &who), HM_OK);
	CHECK_INT(who.user_id, user);
	CHECK_INT(who.role, HM_ROLE_STUDENT);
	CHECK(who.via_cookie && !who.via_bearer);
	CHECK_STR(who.csrf_token, csrf);

	CHECK_INT(hm_session_lookup(db, "not-a-token", now, &who), HM_ERR_UNAUTHENTICATED);
	CHECK_INT(hm_session_lookup(db, token, now + HM_SESSION_TTL, &who), HM_ERR_UNAUTHENTICATED);

	/* A deactivated user's session stops working at once. */
	CHECK_INT(hm_db_exec(db, "UPDATE users SET active = 0"), HM_OK);
	CHECK_INT(hm_session_lookup(db, token, now, &who), HM_ERR_UNAUTHENTICATED);
	CHECK_INT(hm_db_exec(db, "UPDATE users SET active = 1"), HM_OK);
	CHECK_INT(hm_session_lookup(db, token, now, &who), HM_OK);

	CHECK_INT(hm_session_revoke(db, session), HM_OK);
	CHECK_INT(hm_session_lookup(db, token, now, &who), HM_ERR_UNAUTHENTICATED);

	/* Creating a session sweeps out the expired ones. */
	char t2[HM_TOKEN_TEXT_LEN], c2[HM_TOKEN_TEXT_LEN];
	int64_t s2 = 0;
	CHECK_INT(hm_session_create(db, user, now, t2, c2, &s2), HM_OK);
	CHECK_INT(hm_session_create(db, user, now + HM_SESSION_TTL + 1, token, csrf, &session),
		  HM_OK);
	CHECK_INT(hm_session_lookup(db, t2, now + 10, &who), HM_ERR_UNAUTHENTICATED);
	hm_db_close(db);
}

static void test_api_tokens(void)
{
	struct hm_db *db = fresh_db();
	int64_t staff = 0, other = 0, id = 0;
	char token[HM_API_TOKEN_TEXT_LEN];
	struct hm_identity who;
	CHECK_INT(hm_accounts_create(db, "tutor@example.com", "h", "Tutor", HM_ROLE_STAFF, NULL, 1,
				     &staff),
		  HM_OK);
	CHECK_INT(hm_accounts_create(db, "other@example.com", "h", "Other", HM_ROLE_STAFF, NULL, 1,
				     &other),
		  HM_OK);
	CHECK_INT(hm_api_token_create(db, staff, "laptop", 1, token, &id), HM_OK);
	CHECK(strncmp(token, "hmt_", 4) == 0);
	CHECK_INT(strlen(token), 47);
	CHECK(!table_contains(db, "SELECT * FROM api_tokens", token + 4));

	memset(&who, 0, sizeof who);
	CHECK_INT(hm_api_token_lookup(db, token, &who), HM_OK);
	CHECK_INT(who.user_id, staff);
	CHECK_INT(who.role, HM_ROLE_STAFF);
	CHECK(who.via_bearer && !who.via_cookie);
	CHECK_INT(hm_api_token_lookup(db, token + 4, &who), HM_ERR_UNAUTHENTICATED);

	json_t *items = NULL;
	CHECK_INT(hm_api_token_list(db, staff, &items), HM_OK);
	CHECK_INT(json_array_size(items), 1);
	CHECK(json_object_get(json_array_get(items, 0), "token") == NULL);
	json_decref(items);

	CHECK_INT(hm_api_token_revoke(db, id, other, 2), HM_ERR_NOT_FOUND); /* not theirs */
	CHECK_INT(hm_api_token_lookup(db, token, &who), HM_OK);
	CHECK_INT(hm_api_token_revoke(db, id, staff, 2), HM_OK);
	CHECK_INT(hm_api_token_lookup(db, token, &who), HM_ERR_UNAUTHENTICATED);
	CHECK_INT(hm_api_token_revoke(db, id, 0, 3), HM_ERR_NOT_FOUND); /* already revoked */
	hm_db_close(db);
}

int main(void)
{
	RUN(test_password_hash_and_verify);
	RUN(test_tokens);
	RUN(test_cookie_parser);
	RUN(test_sessions);
	RUN(test_api_tokens);
	return CHECK_EXIT();
}
