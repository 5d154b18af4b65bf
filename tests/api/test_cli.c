// SPDX-License-Identifier: MIT
// The `harreman` command line: help, version, usage errors (exit 2), migrate, a
// newer database refused, user add (password from the environment or standard
// input, never an argument), backup while the server runs.
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harreman/migrations.h"
#include "harness.h"
#include "harreman/tbai.h"

static char dir[64];

static void path_in_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void test_help_and_version(void)
{
	char *out = NULL;
	const char *help[] = {"--help", NULL};
	CHECK_INT(run_cli(help, NULL, NULL, &out), 0);
	CHECK(out && strstr(out, "harreman serve") && strstr(out, "harreman backup"));
	CHECK(out && strstr(out, "--tbai-cert") && strstr(out, "HARREMAN_TBAI_CERT_PASSWORD"));
	free(out);
	const char *version[] = {"--version", NULL};
	CHECK_INT(run_cli(version, NULL, NULL, &out), 0);
	CHECK(out && strncmp(out, "harreman 0.", 11) == 0);
	free(out);
}

static void test_usage_errors_exit_2(void)
{
	static const char *const cases[][7] = {
		{"serve", "--no-such-flag", NULL},
		{"serve", "--listen", "nonsense", NULL},
		{"serve", "--listen", "127.0.0.1:99999", NULL},
		{"serve", "--timezone", "Mars/Olympus", NULL},
		{"serve", "--tbai-url", "http://127.0.0.1/", "--tbai-cert", "x.p12", NULL},
		{"serve", "--tbai-url", "https://127.0.0.1/", NULL}, /* no --tbai-cert */
		{"serve", "--tbai-policy-digest", "not-a-digest", NULL},
		{"serve", "--tbai-qr-url", "ftp://x/", NULL},
		{"serve", "--public-url", "ftp://harreman.example", NULL},
		{"serve", "--public-url", "https://", NULL},
		{"serve", "--public-url", "https://harreman.example/a b", NULL},
		{"migrate", NULL},
		{"user", "add", "--role", "king", "--email", NULL},
		{"frobnicate", NULL},
		{NULL},
	};
	for (int i = 0; cases[i][0]; i++) {
		char *out = NULL;
		CHECK_INT(run_cli(cases[i], NULL, NULL, &out), 2);
		CHECK(out && (strstr(out, "Usage") || strstr(out, "unknown time zone")));
		free(out);
	}
	char *out = NULL;
	const char *none[] = {NULL};
	CHECK_INT(run_cli(none, NULL, NULL, &out), 2);
	free(out);
}

/* --tbai-cert with a wrong password: exit 1, and the password is never printed. */
static void test_tbai_cert_wrong_password(void)
{
	char tdir[] = "/tmp/hm-cli-tbai-XXXXXX", p12[64], db[64];
	const char *why = NULL;
	CHECK(mkdtemp(tdir) != NULL);
	snprintf(p12, sizeof p12, "%s/cert.p12", tdir);
	snprintf(db, sizeof db, "%s/h.db", tdir);
	CHECK(hm_tbai_testcert_write(p12, "the-right-password", NULL, 2, &why));
	setenv("HARREMAN_TBAI_CERT_PASSWORD", "wrong-password-xyz", 1);
	const char *args[] = {"serve", "--tbai-cert", p12,           "--db",
			      db,      "--listen",    "127.0.0.1:0", NULL};
	char *out = NULL;
	CHECK_INT(run_cli(args, NULL, NULL, &out), 1);
	CHECK(out && strstr(out, "--tbai-cert") != NULL);
	CHECK(out && strstr(out, "wrong-password-xyz") == NULL);
	free(out);
	unsetenv("HARREMAN_TBAI_CERT_PASSWORD");
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tdir);
	CHECK_INT(system(cmd), 0);
}

static void test_migrate_and_newer_database(void)
{
	char db[128], *out = NULL;
	path_in_dir(db, sizeof db, "migrate.db");
	const char *args[] = {"migrate", "--db", db, NULL};
	char expected[64];
	snprintf(expected, sizeof expected, "schema version %d\n", hm_migration_count);
	CHECK_INT(run_cli(args, NULL, NULL, &out), 0);
	CHECK(out && strstr(out, expected));
	free(out);

	sqlite3 *handle = NULL;
	CHECK_INT(sqlite3_open(db, &handle), SQLITE_OK);
	CHECK_INT(sqlite3_exec(handle, "PRAGMA user_version = 77", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(handle);
	CHECK_INT(run_cli(args, NULL, NULL, &out), 1);
	CHECK(out && strstr(out, "schema version 77") && strstr(out, "newer harreman"));
	free(out);
}

static void test_user_add_and_login(void)
{
	char db[128], *out = NULL;
	path_in_dir(db, sizeof db, "users.db");
	const char *add_admin[] = {
		"user",   "add",          "--role", "admin", "--email", "Boss@Example.com",
		"--name", "Nerea Zubiri", "--db",   db,      NULL};
	CHECK_INT(run_cli(add_admin, NULL, "a long admin password", &out), 0);
	CHECK(out && strstr(out, "created admin user 1 <boss@example.com>"));
	free(out);

	/* From standard input when the variable is unset. */
	const char *add_staff[] = {
		"user",   "add",   "--role", "staff", "--email", "tutor@example.com",
		"--name", "Mikel", "--db",   db,      NULL};
	CHECK_INT(run_cli(add_staff, "staff password 123\n", NULL, &out), 0);
	free(out);

	/* Too short, and a duplicate. */
	const char *add_short[] = {"user",   "add", "--role", "student", "--email", "s@example.com",
				   "--name", "S",   "--db",   db,        NULL};
	CHECK_INT(run_cli(add_short, NULL, "short", &out), 1);
	CHECK(out && strstr(out, "10 to 1024"));
	free(out);
	CHECK_INT(run_cli(add_admin, NULL, "another long password", &out), 1);
	CHECK(out && strstr(out, "already registered"));
	free(out);

	/* The server on that database accepts both logins. */
	struct test_server s;
	const char *extra[] = {"--db", db, NULL};
	CHECK(ts_start(&s, extra));
	struct api_client c;
	api_client_init(&c, s.port);
	CHECK_INT(api_login(&c, "boss@example.com", "a long admin password"), 200);
	api_client_init(&c, s.port);
	CHECK_INT(api_login(&c, "tutor@example.com", "staff password 123"), 200);
	struct http_response r;
	CHECK(api_call(&c, "GET", "/api/v1/me", NULL, &r));
	CHECK_STR(json_string_value(json_object_get(json_object_get(r.json, "user"), "role")),
		  "staff");
	CHECK(json_is_null(json_object_get(r.json, "client")));
	http_response_free(&r);

	/* The command line's writes are audited too. */
	api_client_init(&c, s.port);
	CHECK_INT(api_login(&c, "boss@example.com", "a long admin password"), 200);
	CHECK(api_call(&c, "GET", "/api/v1/audit", NULL, &r));
	CHECK_INT(r.status, 200);
	json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
	CHECK_STR(json_string_value(json_object_get(first, "action")), "user.create");
	CHECK(json_is_null(json_object_get(first, "actor_id")));
	http_response_free(&r);
	CHECK_INT(ts_stop(&s), 0);
}

static void test_backup_while_serving(void)
{
	struct test_server s;
	const char *extra[] = {"--demo", NULL};
	CHECK(ts_start(&s, extra));
	struct api_client c;
	api_client_init(&c, s.port);
	CHECK_INT(api_register(&c, "backup-me@example.com", "a fine password", "Backup Me"), 201);

	char out_path[128], *out = NULL;
	path_in_dir(out_path, sizeof out_path, "copy.db");
	const char *args[] = {"backup", out_path, "--db", s.db, NULL};
	CHECK_INT(run_cli(args, NULL, NULL, &out), 0);
	free(out);

	/* The copy holds the committed registration. */
	sqlite3 *handle = NULL;
	sqlite3_stmt *stmt = NULL;
	CHECK_INT(sqlite3_open_v2(out_path, &handle, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(handle,
				     "SELECT count(*) FROM users WHERE email ="
				     " 'backup-me@example.com'",
				     -1, &stmt, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(stmt, 0), 1);
	sqlite3_finalize(stmt);
	CHECK_INT(sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(stmt, 0), "ok");
	sqlite3_finalize(stmt);
	sqlite3_close(handle);

	/* An existing output file is never overwritten. */
	CHECK_INT(run_cli(args, NULL, NULL, &out), 1);
	CHECK(out && strstr(out, "exists"));
	free(out);
	CHECK_INT(ts_stop(&s), 0);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/harreman-cli-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(test_help_and_version);
	RUN(test_usage_errors_exit_2);
	RUN(test_tbai_cert_wrong_password);
	RUN(test_migrate_and_newer_database);
	RUN(test_user_add_and_login);
	RUN(test_backup_while_serving);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return CHECK_EXIT();
}
