/* SPDX-License-Identifier: MIT */
/* The API test harness: starts the real `harreman` binary on a temporary database
 * and a free loopback port (port 0; the server prints the port it got, which is
 * also the readiness signal), and speaks HTTP/1.1 to it over plain sockets so tests
 * can send anything, well-formed or not. Every API suite uses it. */
#ifndef HARREMAN_TESTS_HARNESS_H
#define HARREMAN_TESTS_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct test_server {
	pid_t pid;
	uint16_t port;
	char dir[128]; /* temporary directory, removed by ts_stop */
	char db[192];  /* the database file in it */
	char log[192]; /* the server's standard error */
};

/* Starts a server. extra is a NULL-terminated list of further arguments (may be
 * NULL), e.g. {"--demo", NULL}. --listen, --db and --web are supplied unless extra
 * has them. Returns false (and prints why) when it did not come up in 60 s (180 s
 * under a wrapper). When the environment variable HARREMAN_SERVER_WRAPPER is set,
 * its words (split at spaces) come first: the server runs under that command,
 * e.g. valgrind; ts_stop then returns the wrapper's exit status. */
bool ts_start(struct test_server *s, const char *const *extra);

/* Sends SIGTERM, waits, removes the directory. Returns the exit status (0 after a
 * clean stop; LeakSanitizer findings make it non-zero). */
int ts_stop(struct test_server *s);

/* Kills the server with SIGKILL and waits for it, keeping its directory and
 * database (for a restart). Returns the wait status, or -1. */
int ts_kill(struct test_server *s);

/* Starts the server again on the same directory and database (after ts_kill),
 * with extra as for ts_start; the log is appended to. False when it did not come
 * up. */
bool ts_restart(struct test_server *s, const char *const *extra);

/* The path of the binary under test and of the source tree's web/. */
const char *ts_binary(void);
const char *ts_web_dir(void);

struct http_response {
	int status; /* 0 when no answer came */
	char *head; /* the raw header block (owned) */
	char *body; /* NUL-terminated (owned) */
	size_t body_len;
	json_t *json; /* the body parsed, when it is JSON (owned) */
};

/* Sends raw bytes and reads the answer until the server closes. */
bool http_raw(uint16_t port, const char *bytes, size_t len, struct http_response *out);

/* Sends one request with Connection: close. headers: extra header lines, each
 * ending in "\r\n" (may be NULL). body may be NULL. */
bool http_request(uint16_t port, const char *method, const char *path, const char *headers,
		  const char *body, size_t body_len, struct http_response *out);

/* The value of header name in a response (first one), copied into a static buffer
 * per call site; NULL when absent. */
const char *http_header(const struct http_response *r, const char *name, char *buf, size_t size);

void http_response_free(struct http_response *r);

/* The error code of an error envelope, or NULL. */
const char *http_error_code(const struct http_response *r);

/* A logged-in (or anonymous) API user: cookie and CSRF token, or a bearer token. */
struct api_client {
	uint16_t port;
	char cookie[128]; /* "hm_session=..." */
	char csrf[96];
	char bearer[128];
	char forwarded_for[64]; /* sent as X-Forwarded-For when set */
};

void api_client_init(struct api_client *c, uint16_t port);

/* Sends method path with a JSON body (NULL for none), adding the cookie, the CSRF
 * header on unsafe methods, the bearer token and X-Forwarded-For as set. */
bool api_call(struct api_client *c, const char *method, const char *path, const char *json,
	      struct http_response *out);

/* Initialises c for port; requests will carry X-Forwarded-For: forwarded_for (for a
 * server started with --trusted-proxy 127.0.0.1, that is the client's address). */
void api_client_at(struct api_client *c, uint16_t port, const char *forwarded_for);

/* api_call that only keeps the status. */
int api_status(struct api_client *c, const char *method, const char *path, const char *json);

/* Makes user tutor_id teach subject and be bookable from starts to ends ("08:00",
 * "22:00") on weekdays[0..n) (1 = Monday ... 7 = Sunday; NULL: every day), as c
 * (staff): PUT /tutors/{id} and PUT /tutors/{id}/availability. True when both
 * answer 200. */
bool api_make_tutor(struct api_client *c, json_int_t tutor_id, const char *subject,
		    const int *weekdays, int n, const char *starts, const char *ends);

/* Member key of the response's JSON body (borrowed), or NULL. */
json_t *http_json(const struct http_response *r, const char *key);

/* The string member key of obj, or NULL. */
const char *json_str(json_t *obj, const char *key);

/* The integer under key in obj (0 when missing or not an integer). */
json_int_t json_int(json_t *obj, const char *key);

/* Unix day number as "YYYY-MM-DD". */
void api_day_text(int64_t day, char out[16]);

/* The client id of the logged-in student c (GET /me), 0 when none. */
json_int_t api_me_client_id(struct api_client *c);

/* Steps the money suites share; each returns the HTTP status for the caller to
 * check. A one-off phone contract of one session made by staff: */
int api_contract_one_off(struct api_client *staff, json_int_t client, json_int_t service);
/* Makes staff (logged in) a maths tutor, 08:00-22:00 every day, and a one-hour
 * private maths service at 30.00: its id, 0 when either step failed. */
json_int_t api_maths_service(struct api_client *staff);
/* A SEPA mandate signed 2026-01-10 for client: */
int api_mandate(struct api_client *staff, json_int_t client, const char *iban, const char *holder);
/* The invoices of client, oldest first (new reference, caller decrefs), NULL
 * unless 200. */
json_t *api_invoices_of(struct api_client *staff, json_int_t client);

/* The message for field in a 422's error.fields, or NULL. */
const char *http_error_field(const struct http_response *r, const char *field);

/* Logs in; keeps the cookie and CSRF token. Returns the status. */
int api_login(struct api_client *c, const char *email, const char *password);

/* Registers a student and keeps its session. Returns the status. */
int api_register(struct api_client *c, const char *email, const char *password,
		 const char *full_name);

/* Runs the binary with args (NULL-terminated), stdin from input (may be NULL) and
 * the environment variable HARREMAN_PASSWORD set to password (unset when NULL).
 * Captures standard output and error into out (owned, free()). Returns the exit
 * status, or -1. */
int run_cli(const char *const *args, const char *input, const char *password, char **out);

/* Runs argv[0] (a path) with argv, input[0..input_len) on standard input; captures
 * standard output into out (owned, free()); standard error is inherited. Returns
 * the exit status, or -1. */
int run_program(const char *const *argv, const char *input, size_t input_len, char **out);

/* Adds a user to s's database through `harreman user add` (the server may run).
 * Returns true when the command succeeded. */
bool ts_add_user(const struct test_server *s, const char *role, const char *email, const char *name,
		 const char *password);

/* The demo logins of `serve --demo`. */
#define DEMO_STUDENT "ane@demo.harreman.eus", "ikaslea-demo-2026"
#define DEMO_STAFF "mikel@demo.harreman.eus", "irakaslea-demo-2026"
#define DEMO_ADMIN "admin@demo.harreman.eus", "kudeatzailea-demo-2026"

#endif
