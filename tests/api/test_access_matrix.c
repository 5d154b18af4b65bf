// SPDX-License-Identifier: MIT
// The access control matrix (issue 5, item 4): every route of the route table
// (hm_routes), with real ids in its {id} (and student A's calendar feed token in
// /calendar/{token}.ics), called as anonymous, with a stale
// session cookie, as student A, as student B (who owns none of A's data), as staff
// and as admin, both by session cookie with its CSRF token and by bearer token.
// What each may do is written below from API.md's role table, independently of
// the route table: anonymous gets 401 where it is not let in, an authenticated
// role not allowed gets 403 forbidden, an allowed one anything but 401/403 (a 422
// for the empty "{}" body is fine) and never a 5xx. A route without an entry here,
// or with access 0, fails the test, naming the route. Every unsafe route answers
// a cookie without the right X-CSRF-Token with 403 csrf_failed (login and
// register excepted), and such a request writes nothing. Student B gets 404 for
// A's lesson and finds nothing of A's in its own /me answers.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "harreman/dispatch.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define PW "matrix-test-password"

static struct test_server server;
static const char *const serve_extra[] = {"--trusted-proxy", "127.0.0.1", NULL};

/* ---- the expectation, from API.md ("Authentication and roles" and each section) -- */

enum {
	ANON = 1 << 0,
	STUDENT = 1 << 1,
	STAFF = 1 << 2,
	ADMIN = 1 << 3,
};
#define ANYONE (ANON | STUDENT | STAFF | ADMIN)
#define USERS (STUDENT | STAFF | ADMIN)
#define OFFICE (STAFF | ADMIN)

/* What goes into a route's {id}. */
enum id_kind {
	ID_NONE,
	ID_TUTOR,
	ID_SERVICE,
	ID_CONTRACT_A,   /* a contract of student A */
	ID_LESSON_A,     /* a lesson of student A */
	ID_CLIENT_A,     /* student A's client record */
	ID_SPARE_CLIENT, /* a phone client, for what may destroy a client */
	ID_INQUIRY,
	ID_GIFT,
	ID_CHANNEL,
	ID_TOKEN,        /* a spare API token of staff (not one the test signs in with) */
	ID_USER_A,       /* student A's user */
	ID_EVENT,        /* an upcoming event with places left */
	ID_CONTRIBUTION, /* student A's contribution, submitted */
	ID_OUTBOX,       /* a message in the outbox (A's booking confirmation) */
	ID_ANSWER,       /* an automatic answer */
	ID_WAITLIST_A,   /* student A's place in the line of a full group session */
	ID_INVOICE_A,    /* the invoice of student A's lesson (pending: no signer) */
	ID_FAMILY,       /* the spare client's family (members/{id}: the same number) */
	ID_PARTNER,      /* a partner organisation */
	ID_KINDS
};

enum {
	NO_CSRF = 1 << 0,    /* starts a session: no CSRF token exists yet */
	LOOPBACK = 1 << 1,   /* anonymous requests from loopback are let in */
	OWNED_BY_A = 1 << 2, /* student B gets 404 for A's resource, never 403 */
	LOGOUT = 1 << 3,     /* called with a session of its own, which it ends */
};

struct expectation {
	const char *method;
	const char *pattern;
	unsigned roles;
	enum id_kind id;
	unsigned flags;
};

static const struct expectation expected[] = {
	/* Operations */
	{"GET", "/healthz", ANYONE, ID_NONE, 0},
	{"GET", "/metrics", ADMIN, ID_NONE, LOOPBACK},
	{"GET", "/api/v1/audit", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/outbox", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/outbox/{id}", ADMIN, ID_OUTBOX, 0},
	{"POST", "/api/v1/outbox/{id}/retry", ADMIN, ID_OUTBOX, 0},

	/* Authentication and roles */
	{"POST", "/api/v1/auth/register", ANYONE, ID_NONE, NO_CSRF},
	{"POST", "/api/v1/auth/login", ANYONE, ID_NONE, NO_CSRF},
	{"POST", "/api/v1/auth/logout", ANYONE, ID_NONE, LOGOUT},
	{"GET", "/api/v1/me", USERS, ID_NONE, 0},
	{"GET", "/api/v1/auth/session", ANYONE, ID_NONE, 0},
	{"GET", "/api/v1/auth/tokens", OFFICE, ID_NONE, 0},
	{"POST", "/api/v1/auth/tokens", OFFICE, ID_NONE, 0},
	{"DELETE", "/api/v1/auth/tokens/{id}", OFFICE, ID_TOKEN, 0},
	{"GET", "/api/v1/users", ADMIN, ID_NONE, 0},
	{"POST", "/api/v1/users", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/users/{id}", ADMIN, ID_USER_A, 0},
	{"PATCH", "/api/v1/users/{id}", ADMIN, ID_USER_A, 0},

	/* Catalogue: tutors, services, availability, slots */
	{"GET", "/api/v1/tutors", ANYONE, ID_NONE, 0},
	{"PUT", "/api/v1/tutors/{id}", OFFICE, ID_TUTOR, 0},
	{"GET", "/api/v1/tutors/{id}/availability", ANYONE, ID_TUTOR, 0},
	{"PUT", "/api/v1/tutors/{id}/availability", OFFICE, ID_TUTOR, 0},
	{"GET", "/api/v1/tutors/{id}/calendar.ics", OFFICE, ID_TUTOR, 0},
	{"GET", "/api/v1/services", ANYONE, ID_NONE, 0},
	{"POST", "/api/v1/services", OFFICE, ID_NONE, 0},
	{"PATCH", "/api/v1/services/{id}", OFFICE, ID_SERVICE, 0},
	{"GET", "/api/v1/slots", ANYONE, ID_NONE, 0},

	/* Contracts and the loyalty discount */
	{"POST", "/api/v1/contracts", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/contracts", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/contracts/{id}", OFFICE, ID_CONTRACT_A, 0},
	{"POST", "/api/v1/contracts/{id}/cancel", OFFICE, ID_CONTRACT_A, 0},
	{"POST", "/api/v1/me/contracts", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/me/contracts", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/me/loyalty", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/quote", USERS, ID_NONE, 0},
	{"GET", "/api/v1/limits", ANYONE, ID_NONE, 0},
	{"GET", "/api/v1/discount-tiers", ANYONE, ID_NONE, 0},
	{"PUT", "/api/v1/discount-tiers", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/gifts", ANYONE, ID_NONE, 0},
	{"POST", "/api/v1/gifts", ADMIN, ID_NONE, 0},
	{"PATCH", "/api/v1/gifts/{id}", ADMIN, ID_GIFT, 0},
	{"GET", "/api/v1/reports/loyalty", OFFICE, ID_NONE, 0},

	/* Lessons: booking and logging */
	{"POST", "/api/v1/lessons", USERS, ID_NONE, 0},
	{"POST", "/api/v1/lessons/check", USERS, ID_NONE, 0},
	{"GET", "/api/v1/lessons", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/lessons/{id}", USERS, ID_LESSON_A, OWNED_BY_A},
	{"POST", "/api/v1/lessons/{id}/cancel", USERS, ID_LESSON_A, OWNED_BY_A},
	{"POST", "/api/v1/lessons/{id}/move", USERS, ID_LESSON_A, OWNED_BY_A},
	{"POST", "/api/v1/lessons/{id}/log", OFFICE, ID_LESSON_A, 0},
	{"GET", "/api/v1/me/lessons", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/me/calendar", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/me/calendar.ics", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/me/lessons/{id}/calendar.ics", STUDENT, ID_LESSON_A, OWNED_BY_A},
	{"POST", "/api/v1/me/calendar/rotate", STUDENT, ID_NONE, 0},
	/* The private feed URL: no login ({token} is student A's, see setup). */
	{"GET", "/calendar/{token}.ics", ANYONE, ID_NONE, 0},

	/* Clients */
	{"GET", "/api/v1/clients", OFFICE, ID_NONE, 0},
	{"POST", "/api/v1/clients", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/clients/{id}", OFFICE, ID_CLIENT_A, 0},
	{"PATCH", "/api/v1/clients/{id}", OFFICE, ID_CLIENT_A, 0},
	{"GET", "/api/v1/clients/{id}/interactions", OFFICE, ID_CLIENT_A, 0},
	{"POST", "/api/v1/clients/{id}/interactions", OFFICE, ID_CLIENT_A, 0},
	{"GET", "/api/v1/clients/{id}/export", ADMIN, ID_CLIENT_A, 0},
	{"POST", "/api/v1/clients/{id}/erase", ADMIN, ID_SPARE_CLIENT, 0},
	{"GET", "/api/v1/me/client", STUDENT, ID_NONE, 0},
	{"PATCH", "/api/v1/me/client", STUDENT, ID_NONE, 0},

	/* Families */
	{"GET", "/api/v1/me/clients", STUDENT, ID_NONE, 0},
	{"POST", "/api/v1/me/clients", STUDENT, ID_NONE, 0},
	{"POST", "/api/v1/families", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/families/{id}", OFFICE, ID_FAMILY, 0},
	{"DELETE", "/api/v1/families/{id}/members/{client_id}", OFFICE, ID_FAMILY, 0},

	/* Third parties: referrals and partners */
	{"GET", "/api/v1/me/referral", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/referral-policy", ADMIN, ID_NONE, 0},
	{"PUT", "/api/v1/referral-policy", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/partners", OFFICE, ID_NONE, 0},
	{"POST", "/api/v1/partners", ADMIN, ID_NONE, 0},
	{"PATCH", "/api/v1/partners/{id}", ADMIN, ID_PARTNER, 0},
	{"GET", "/api/v1/reports/referrals", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/reports/partners", OFFICE, ID_NONE, 0},

	/* Contact channels and inquiries */
	{"GET", "/api/v1/channels", ANYONE, ID_NONE, 0},
	{"PATCH", "/api/v1/channels/{id}", ADMIN, ID_CHANNEL, 0},
	{"POST", "/api/v1/inquiries", ANYONE, ID_NONE, 0},
	{"GET", "/api/v1/inquiries", OFFICE, ID_NONE, 0},
	{"POST", "/api/v1/inquiries/{id}/answer", OFFICE, ID_INQUIRY, 0},

	/* Automatic answers */
	{"GET", "/api/v1/answers", ANYONE, ID_NONE, 0},
	{"POST", "/api/v1/answers", OFFICE, ID_NONE, 0},
	{"PATCH", "/api/v1/answers/{id}", OFFICE, ID_ANSWER, 0},
	{"DELETE", "/api/v1/answers/{id}", OFFICE, ID_ANSWER, 0},
	{"POST", "/api/v1/ask", ANYONE, ID_NONE, 0},

	/* Community, co-creation, tailored suggestions */
	{"GET", "/api/v1/events", ANYONE, ID_NONE, 0},
	{"POST", "/api/v1/events", OFFICE, ID_NONE, 0},
	{"PATCH", "/api/v1/events/{id}", OFFICE, ID_EVENT, 0},
	{"POST", "/api/v1/events/{id}/registration", STUDENT, ID_EVENT, 0},
	{"DELETE", "/api/v1/events/{id}/registration", STUDENT, ID_EVENT, 0},
	{"GET", "/api/v1/contributions", ANYONE, ID_NONE, 0},
	{"POST", "/api/v1/contributions", STUDENT, ID_NONE, 0},
	{"POST", "/api/v1/contributions/{id}/review", OFFICE, ID_CONTRIBUTION, 0},
	{"GET", "/api/v1/me/suggestions", STUDENT, ID_NONE, 0},

	/* Waitlists */
	{"POST", "/api/v1/events/{id}/waitlist", STUDENT, ID_EVENT, 0},
	{"DELETE", "/api/v1/events/{id}/waitlist", STUDENT, ID_EVENT, 0},
	{"POST", "/api/v1/waitlist", STUDENT, ID_NONE, 0},
	{"POST", "/api/v1/waitlist/{id}/accept", STUDENT, ID_WAITLIST_A, OWNED_BY_A},
	{"DELETE", "/api/v1/waitlist/{id}", STUDENT, ID_WAITLIST_A, OWNED_BY_A},
	{"GET", "/api/v1/me/waitlist", STUDENT, ID_NONE, 0},

	/* Invoices and TicketBAI */
	{"GET", "/api/v1/business", ADMIN, ID_NONE, 0},
	{"PUT", "/api/v1/business", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/invoices", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/me/invoices", STUDENT, ID_NONE, 0},
	{"GET", "/api/v1/invoices/{id}", USERS, ID_INVOICE_A, OWNED_BY_A},
	{"GET", "/api/v1/invoices/{id}/ticketbai.xml", USERS, ID_INVOICE_A, OWNED_BY_A},
	{"GET", "/api/v1/invoices/{id}/print", USERS, ID_INVOICE_A, OWNED_BY_A},
	{"POST", "/api/v1/payments", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/payments", OFFICE, ID_NONE, 0},
	{"GET", "/api/v1/clients/{id}/balance", OFFICE, ID_CLIENT_A, 0},
	{"GET", "/api/v1/me/balance", STUDENT, ID_NONE, 0},
	{"POST", "/api/v1/clients/{id}/mandates", OFFICE, ID_CLIENT_A, 0},
	{"GET", "/api/v1/clients/{id}/mandates", OFFICE, ID_CLIENT_A, 0},
	/* no mandate has A's client id: allowed callers get 404, others 401/403 */
	{"POST", "/api/v1/mandates/{id}/revoke", OFFICE, ID_CLIENT_A, 0},
	{"POST", "/api/v1/direct-debits", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/direct-debits", ADMIN, ID_NONE, 0},
	/* no run has A's client id: the admin gets 404, others 401/403 */
	{"GET", "/api/v1/direct-debits/{id}/pain.008.xml", ADMIN, ID_CLIENT_A, 0},
	{"POST", "/api/v1/direct-debits/{id}/settle", ADMIN, ID_CLIENT_A, 0},
	{"POST", "/api/v1/direct-debits/{id}/returns", ADMIN, ID_CLIENT_A, 0},
	{"GET", "/api/v1/reports/book.csv", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/reports/monthly", ADMIN, ID_NONE, 0},
	{"GET", "/api/v1/reports/loyalty/review", ADMIN, ID_NONE, 0},
	{"POST", "/api/v1/invoices/{id}/tbai/retry", ADMIN, ID_INVOICE_A, 0},
	{"GET", "/api/v1/tbai/submissions", ADMIN, ID_NONE, 0},
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

static const struct {
	unsigned bit;
	const char *name;
} methods[] = {
	{HM_GET, "GET"}, {HM_HEAD, "HEAD"},   {HM_POST, "POST"},
	{HM_PUT, "PUT"}, {HM_PATCH, "PATCH"}, {HM_DELETE, "DELETE"},
};
#define N_METHODS (sizeof methods / sizeof methods[0])

/* The entry for method and pattern (HEAD follows GET), or NULL. */
static const struct expectation *expectation_for(const char *method, const char *pattern)
{
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (size_t i = 0; i < N_EXPECTED; i++)
		if (strcmp(expected[i].method, method) == 0 &&
		    strcmp(expected[i].pattern, pattern) == 0)
			return &expected[i];
	return NULL;
}

static bool is_unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* ---- who calls ----------------------------------------------------------------- */

static struct api_client anon, stale, student_a, student_b, staff, admin, staff_bearer,
	admin_bearer;

struct role {
	const char *name;
	unsigned bit;
	struct api_client *c;
	const char *email; /* for a session of its own (logout); NULL: none */
	bool other_student;
};

#define EMAIL_A "student.a@matrix.test"
#define EMAIL_B "student.b@matrix.test"
#define NAME_A "Amaia Ownerstudent"
#define NAME_B "Beñat Otherstudent"

static const struct role roles[] = {
	{"anonymous", ANON, &anon, NULL, false},
	{"a stale session cookie", ANON, &stale, NULL, false},
	{"student B (cookie)", STUDENT, &student_b, EMAIL_B, true},
	{"student A (cookie)", STUDENT, &student_a, EMAIL_A, false},
	{"staff (cookie)", STAFF, &staff, "staff@matrix.test", false},
	{"admin (cookie)", ADMIN, &admin, "admin@matrix.test", false},
	{"staff (bearer)", STAFF, &staff_bearer, NULL, false},
	{"admin (bearer)", ADMIN, &admin_bearer, NULL, false},
};
#define N_ROLES (sizeof roles / sizeof roles[0])

/* The cookie roles, for the CSRF checks. */
static struct api_client *const cookie_clients[] = {&student_a, &student_b, &staff, &admin};
static const char *const cookie_names[] = {"student A", "student B", "staff", "admin"};

/* ---- the resources whose ids go into the paths ----------------------------------- */

static json_int_t ids[ID_KINDS];
static char calendar_token[64]; /* student A's feed token, for /calendar/{token}.ics */
static json_int_t client_b, lesson_b, contract_b, lesson_a_contract;

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static json_int_t post_id(struct api_client *c, const char *path, const char *body, int expect)
{
	struct http_response r;
	api_call(c, "POST", path, body, &r);
	json_int_t id = r.status == expect ? ival(r.json, "id") : 0;
	if (r.status != expect)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

/* The user and client ids of c's session. */
static void who_am_i(struct api_client *c, json_int_t *user, json_int_t *client)
{
	struct http_response r;
	api_call(c, "GET", "/api/v1/me", NULL, &r);
	*user = ival(http_json(&r, "user"), "id");
	if (client)
		*client = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
}

static bool make_token(struct api_client *from, const char *name, struct api_client *to,
		       const char *ip, json_int_t *id)
{
	struct http_response r;
	char body[96];
	snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
	api_call(from, "POST", "/api/v1/auth/tokens", body, &r);
	bool ok = r.status == 201 && json_str(r.json, "token");
	if (ok && to) {
		api_client_at(to, server.port, ip);
		snprintf(to->bearer, sizeof to->bearer, "%s", json_str(r.json, "token"));
	}
	if (ok && id)
		*id = ival(r.json, "id");
	http_response_free(&r);
	return ok;
}

/* POST /lessons as c for the tutor's private service at local day/minute. */
static json_int_t book(struct api_client *c, int64_t day, int minute, json_int_t *contract)
{
	char at[HM_RFC3339_LEN], body[256];
	struct http_response r;
	hm_time_format(hm_local_instant(day, minute), at);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)ids[ID_SERVICE], (long long)ids[ID_TUTOR], at);
	api_call(c, "POST", "/api/v1/lessons", body, &r);
	json_int_t id = r.status == 201 ? ival(r.json, "id") : 0;
	if (contract)
		*contract = r.status == 201 ? ival(r.json, "contract_id") : 0;
	if (r.status != 201)
		fprintf(stderr, "booking -> %d %s\n", r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

static bool setup(void)
{
	char body[1024];
	json_int_t user = 0;
	int64_t today;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);

	if (!ts_add_user(&server, "admin", "admin@matrix.test", "Ane Admin", PW) ||
	    !ts_add_user(&server, "staff", "staff@matrix.test", "Mikel Staff", PW))
		return false;
	api_client_at(&anon, server.port, "10.9.0.1");
	api_client_at(&stale, server.port, "10.9.0.2");
	api_client_at(&student_a, server.port, "10.9.0.3");
	api_client_at(&student_b, server.port, "10.9.0.4");
	api_client_at(&staff, server.port, "10.9.0.5");
	api_client_at(&admin, server.port, "10.9.0.6");
	if (api_login(&admin, "admin@matrix.test", PW) != 200 ||
	    api_login(&staff, "staff@matrix.test", PW) != 200 ||
	    api_register(&student_a, EMAIL_A, PW, NAME_A) != 201 ||
	    api_register(&student_b, EMAIL_B, PW, NAME_B) != 201)
		return false;
	/* A session cookie the server no longer knows: anonymous. */
	snprintf(stale.cookie, sizeof stale.cookie, "hm_session=%s",
		 "c3RhbGUtc2Vzc2lvbi10b2tlbi10aGF0LWlzLW5vdC1rbm93bg");
	snprintf(stale.csrf, sizeof stale.csrf, "%s", student_a.csrf);

	if (!make_token(&staff, "matrix staff", &staff_bearer, "10.9.0.7", NULL) ||
	    !make_token(&admin, "matrix admin", &admin_bearer, "10.9.0.8", NULL) ||
	    !make_token(&staff, "matrix spare", NULL, NULL, &ids[ID_TOKEN]))
		return false;

	/* The staff user is the tutor: maths, 08:00-22:00 every day. */
	who_am_i(&staff, &ids[ID_TUTOR], NULL);
	if (!api_make_tutor(&staff, ids[ID_TUTOR], "maths", NULL, 0, "08:00", "22:00"))
		return false;
	ids[ID_SERVICE] = post_id(&staff, "/api/v1/services",
				  "{\"name\":\"Maths, one to one\",\"subject\":\"maths\","
				  "\"kind\":\"private\",\"duration_min\":60,\"price_cents\":3000}",
				  201);
	ids[ID_SPARE_CLIENT] = post_id(&staff, "/api/v1/clients",
				       "{\"full_name\":\"Walk In\",\"phone\":\"+34 600 123 456\"}",
				       201);
	snprintf(body, sizeof body, "/api/v1/clients/%lld", (long long)ids[ID_SPARE_CLIENT]);
	struct http_response fam;
	CHECK(api_call(&staff, "GET", body, NULL, &fam));
	ids[ID_FAMILY] = json_integer_value(http_json(&fam, "family_id"));
	CHECK(ids[ID_FAMILY] > 0);
	http_response_free(&fam);
	ids[ID_PARTNER] = post_id(&admin, "/api/v1/partners",
				  "{\"name\":\"Matrix ikastola\",\"kind\":\"school\","
				  "\"code\":\"MATRIX-IK\",\"discount_percent\":10}",
				  201);
	ids[ID_GIFT] = post_id(&admin, "/api/v1/gifts",
			       "{\"key\":\"matrix_mug\",\"name\":\"Mug\",\"stock\":1}", 201);
	ids[ID_INQUIRY] = post_id(&anon, "/api/v1/inquiries",
				  "{\"channel\":\"web\",\"full_name\":\"Iker Galdera\","
				  "\"email\":\"iker@example.com\",\"subject\":\"Prices\","
				  "\"message\":\"How much is a class?\"}",
				  201);
	ids[ID_CHANNEL] = 1;
	ids[ID_ANSWER] = post_id(&staff, "/api/v1/answers",
				 "{\"locale\":\"en\",\"question\":\"Parking?\","
				 "\"answer\":\"Two places at the door.\"}",
				 201);
	/* An event five days ahead with room for everyone, and A's contribution. */
	char starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(today + 5, 18 * 60), starts);
	hm_time_format(hm_local_instant(today + 5, 20 * 60), ends);
	snprintf(body, sizeof body,
		 "{\"title\":\"Matrix workshop\",\"kind\":\"workshop\",\"subject\":\"maths\","
		 "\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"capacity\":20,"
		 "\"description\":\"Fractions.\"}",
		 starts, ends);
	ids[ID_EVENT] = post_id(&staff, "/api/v1/events", body, 201);

	/* Student A: a lesson (with its one-off contract) three days ahead and a
	 * contract of its own; student B: the same, so its lists are not empty. */
	who_am_i(&student_a, &ids[ID_USER_A], &ids[ID_CLIENT_A]);
	who_am_i(&student_b, &user, &client_b);
	ids[ID_LESSON_A] = book(&student_a, today + 3, 10 * 60, &lesson_a_contract);
	lesson_b = book(&student_b, today + 3, 12 * 60, NULL);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\"}",
		 (long long)ids[ID_SERVICE]);
	ids[ID_CONTRACT_A] = post_id(&student_a, "/api/v1/me/contracts", body, 201);
	contract_b = post_id(&student_b, "/api/v1/me/contracts", body, 201);
	ids[ID_CONTRIBUTION] = post_id(&student_a, "/api/v1/contributions",
				       "{\"kind\":\"method\",\"title\":\"How I learn\","
				       "\"body\":\"Every day a little.\"}",
				       201);
	/* A group session of one seat four days ahead, taken by the spare client
	 * (booked by staff); A waits in its line. */
	json_int_t group = post_id(&staff, "/api/v1/services",
				   "{\"name\":\"Maths group\",\"subject\":\"maths\","
				   "\"kind\":\"group\",\"duration_min\":60,\"price_cents\":1500,"
				   "\"capacity\":1}",
				   201);
	char at[HM_RFC3339_LEN];
	hm_time_format(hm_local_instant(today + 4, 18 * 60), at);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld}",
		 (long long)group, (long long)ids[ID_TUTOR], at, (long long)ids[ID_SPARE_CLIENT]);
	if (post_id(&staff, "/api/v1/lessons", body, 201) <= 0)
		return false;
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)group, (long long)ids[ID_TUTOR], at);
	ids[ID_WAITLIST_A] = post_id(&student_a, "/api/v1/waitlist", body, 201);
	/* The newest message of the outbox (there is no relay: it stays queued). */
	struct http_response r;
	/* A's first invoice: the one of its lesson's one-off contract. */
	api_call(&student_a, "GET", "/api/v1/me/invoices?limit=1", NULL, &r);
	ids[ID_INVOICE_A] = json_integer_value(
		json_object_get(json_array_get(http_json(&r, "items"), 0), "id"));
	http_response_free(&r);
	api_call(&admin, "GET", "/api/v1/outbox?limit=1", NULL, &r);
	ids[ID_OUTBOX] = json_integer_value(
		json_object_get(json_array_get(http_json(&r, "items"), 0), "id"));
	http_response_free(&r);
	/* Student A's private calendar feed: what goes into /calendar/{token}.ics. */
	api_call(&student_a, "GET", "/api/v1/me/calendar", NULL, &r);
	const char *url = json_str(r.json, "url");
	if (url && strncmp(url, "/calendar/", 10) == 0 && strlen(url) < 10 + sizeof calendar_token)
		snprintf(calendar_token, sizeof calendar_token, "%.*s", (int)(strlen(url) - 14),
			 url + 10);
	http_response_free(&r);
	if (!calendar_token[0]) {
		fprintf(stderr, "setup: no calendar feed for student A\n");
		return false;
	}
	for (int k = ID_NONE + 1; k < ID_KINDS; k++)
		if (ids[k] <= 0) {
			fprintf(stderr, "setup: no id of kind %d\n", k);
			return false;
		}
	return client_b > 0 && lesson_b > 0 && contract_b > 0 && lesson_a_contract > 0;
}

/* The path of a pattern with its {id}s filled in. */
static void fill_path(const char *pattern, json_int_t id, char *out, size_t size)
{
	size_t used = 0;
	while (*pattern && used + 24 < size) {
		if (strncmp(pattern, "{id}", 4) == 0 || strncmp(pattern, "{client_id}", 11) == 0) {
			used += (size_t)snprintf(out + used, size - used, "%lld", (long long)id);
			pattern += pattern[1] == 'i' ? 4 : 11;
		} else if (strncmp(pattern, "{token}", 7) == 0) {
			used += (size_t)snprintf(out + used, size - used, "%s", calendar_token);
			pattern += 7;
		} else {
			out[used++] = *pattern++;
		}
	}
	out[used] = '\0';
}

/* The body to send: "{}" where one is required, none otherwise. */
static const char *body_for(const struct hm_route *route)
{
	return route->flags & HM_BODY_REQUIRED ? "{}" : NULL;
}

/* ---- the table is complete ---------------------------------------------------------- */

static void test_every_route_declares_access(void)
{
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *r = &hm_routes[i];
		CHECK(r->access != 0);
		if (r->access == 0)
			fprintf(stderr, "route %s declares no access (0)\n", r->pattern);
		unsigned known = HM_ALLOW_ANON | HM_ALLOW_STUDENT | HM_ALLOW_STAFF |
				 HM_ALLOW_ADMIN | HM_ALLOW_LOOPBACK;
		CHECK((r->access & ~known) == 0);
		CHECK(r->handler != NULL);
		CHECK(r->methods != 0);
	}
}

static void test_every_route_has_an_expectation(void)
{
	size_t covered = 0;
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *r = &hm_routes[i];
		unsigned known = 0;
		for (size_t m = 0; m < N_METHODS; m++) {
			known |= methods[m].bit;
			if (!(r->methods & methods[m].bit))
				continue;
			const struct expectation *e = expectation_for(methods[m].name, r->pattern);
			CHECK(e != NULL);
			if (!e)
				fprintf(stderr,
					"route %s %s has no entry in this test's table of who may"
					" call it: add one from API.md's role table\n",
					methods[m].name, r->pattern);
			else
				covered++;
		}
		CHECK((r->methods & ~known) == 0);
		if (r->methods & ~known)
			fprintf(stderr, "route %s takes a method this test does not know\n",
				r->pattern);
	}
	CHECK(covered > 0);
	/* Routes of API.md not served yet: not this test's failure, but worth seeing. */
	for (size_t i = 0; i < N_EXPECTED; i++) {
		bool found = false;
		for (size_t k = 0; k < hm_route_count && !found; k++)
			found = strcmp(hm_routes[k].pattern, expected[i].pattern) == 0 &&
				(hm_routes[k].methods & hm_method_from_name(expected[i].method));
		if (!found)
			fprintf(stderr, "note: API.md's %s %s is not in the route table\n",
				expected[i].method, expected[i].pattern);
	}
}

/* The route table's own access bits say what API.md says. */
static void test_declared_access_matches_api_md(void)
{
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *r = &hm_routes[i];
		for (size_t m = 0; m < N_METHODS; m++) {
			if (!(r->methods & methods[m].bit))
				continue;
			const struct expectation *e = expectation_for(methods[m].name, r->pattern);
			if (!e)
				continue; /* reported above */
			unsigned declared = (r->access & HM_ALLOW_ANON ? ANON : 0) |
					    (r->access & HM_ALLOW_STUDENT ? STUDENT : 0) |
					    (r->access & HM_ALLOW_STAFF ? STAFF : 0) |
					    (r->access & HM_ALLOW_ADMIN ? ADMIN : 0);
			bool loopback = r->access & HM_ALLOW_LOOPBACK;
			CHECK_INT(declared, e->roles);
			CHECK_INT(loopback, (e->flags & LOOPBACK) != 0);
			CHECK_INT((r->flags & HM_NO_CSRF) != 0, (e->flags & NO_CSRF) != 0);
			if (declared != e->roles || loopback != ((e->flags & LOOPBACK) != 0) ||
			    ((r->flags & HM_NO_CSRF) != 0) != ((e->flags & NO_CSRF) != 0))
				fprintf(stderr, "  ... route %s %s\n", methods[m].name, r->pattern);
		}
	}
}

/* ---- the matrix ------------------------------------------------------------------------ */

static int matrix_failures;

static void report(const char *method, const char *path, const char *who, const char *want,
		   const struct http_response *r)
{
	matrix_failures++;
	const char *body = r->body ? r->body : "";
	fprintf(stderr, "%s %s as %s: %d, expected %s; body %.*s\n", method, path, who, r->status,
		want, (int)strcspn(body, "\n"), body);
}

/* Calls method path as role and checks the answer against the entry. */
static void check_call(const struct expectation *e, const struct hm_route *route,
		       const char *method, const struct role *role)
{
	char path[256];
	struct http_response r;
	fill_path(route->pattern, ids[e->id], path, sizeof path);
	struct api_client own, *c = role->c;
	if ((e->flags & LOGOUT) && role->email) {
		/* Logout ends the session it is called with: a session of its own. */
		api_client_at(&own, server.port, role->c->forwarded_for);
		CHECK_INT(api_login(&own, role->email, PW), 200);
		c = &own;
	}
	api_call(c, method, path, body_for(route), &r);
	const char *code = http_error_code(&r);
	bool allowed = (e->roles & role->bit) != 0;
	bool is_head = strcmp(method, "HEAD") == 0; /* no body, so no error code */
	check_count++;
	if (allowed && role->other_student && (e->flags & OWNED_BY_A)) {
		if (r.status != 404 || (!is_head && (!code || strcmp(code, "not_found") != 0)))
			report(method, path, role->name, "404 not_found (A's, never revealed)", &r);
	} else if (allowed) {
		if (r.status == 0 || r.status == 401 || r.status == 403 || r.status == 405 ||
		    r.status >= 500)
			report(method, path, role->name, "anything but 401, 403, 405 or 5xx", &r);
	} else if (role->bit == ANON) {
		if (r.status != 401 ||
		    (!is_head && (!code || strcmp(code, "unauthenticated") != 0)))
			report(method, path, role->name, "401 unauthenticated", &r);
	} else {
		if (r.status != 403 || (!is_head && (!code || strcmp(code, "forbidden") != 0)))
			report(method, path, role->name, "403 forbidden", &r);
	}
	http_response_free(&r);
}

static void test_matrix(void)
{
	matrix_failures = 0;
	int calls = 0;
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *route = &hm_routes[i];
		for (size_t m = 0; m < N_METHODS; m++) {
			bool declared = route->methods & methods[m].bit;
			/* HEAD is answered wherever GET is. */
			if (!declared && !(methods[m].bit == HM_HEAD && (route->methods & HM_GET)))
				continue;
			const struct expectation *e = expectation_for(methods[m].name,
								      route->pattern);
			if (!e)
				continue; /* reported by test_every_route_has_an_expectation */
			for (size_t k = 0; k < N_ROLES; k++) {
				check_call(e, route, methods[m].name, &roles[k]);
				calls++;
			}
		}
	}
	fprintf(stderr, "%d calls, %d not as API.md says\n", calls, matrix_failures);
	check_failures += matrix_failures;
	CHECK(calls > 0);
}

/* GET /metrics from loopback itself, anonymous: let in (the scraper's way). */
static void test_metrics_from_loopback(void)
{
	struct api_client local;
	api_client_init(&local, server.port);
	CHECK_INT(api_status(&local, "GET", "/metrics", NULL), 200);
	CHECK_INT(api_status(&anon, "GET", "/metrics", NULL), 401);
	CHECK_INT(api_status(&staff_bearer, "GET", "/metrics", NULL), 403);
	CHECK_INT(api_status(&admin_bearer, "GET", "/metrics", NULL), 200);
}

/* A bearer token that is not valid is refused on every route that needs a role. */
static void test_invalid_bearer(void)
{
	struct api_client bad;
	int failures = 0;
	api_client_at(&bad, server.port, "10.9.0.9");
	snprintf(bad.bearer, sizeof bad.bearer, "%s", "hm_not-a-token-the-server-ever-made");
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *route = &hm_routes[i];
		for (size_t m = 0; m < N_METHODS; m++) {
			if (!(route->methods & methods[m].bit))
				continue;
			const struct expectation *e = expectation_for(methods[m].name,
								      route->pattern);
			if (!e || (e->roles & ANON))
				continue;
			char path[256];
			struct http_response r;
			fill_path(route->pattern, ids[e->id], path, sizeof path);
			api_call(&bad, methods[m].name, path, body_for(route), &r);
			check_count++;
			if (r.status != 401) {
				failures++;
				fprintf(stderr, "%s %s with an invalid bearer token: %d\n",
					methods[m].name, path, r.status);
			}
			http_response_free(&r);
		}
	}
	check_failures += failures;
}

/* ---- CSRF -------------------------------------------------------------------------------- */

/* The number of audit rows: writes leave one each. */
static long audit_rows(void)
{
	long n = 0;
	json_int_t after = 0;
	for (int page = 0; page < 1000; page++) {
		char path[96];
		struct http_response r;
		snprintf(path, sizeof path, "/api/v1/audit?limit=200&after=%lld", (long long)after);
		api_call(&admin_bearer, "GET", path, NULL, &r);
		if (r.status != 200) {
			http_response_free(&r);
			return -1;
		}
		n += (long)json_array_size(http_json(&r, "items"));
		after = json_integer_value(http_json(&r, "next_after"));
		http_response_free(&r);
		if (!after)
			break;
	}
	return n;
}

static void csrf_call(struct api_client *c, const char *who, const struct expectation *e,
		      const struct hm_route *route, const char *method, int *failures)
{
	char path[256];
	struct http_response r;
	fill_path(route->pattern, ids[e->id], path, sizeof path);
	api_call(c, method, path, body_for(route), &r);
	const char *code = http_error_code(&r);
	bool csrf_failed = r.status == 403 && code && strcmp(code, "csrf_failed") == 0;
	check_count++;
	if ((e->flags & NO_CSRF) ? (csrf_failed || r.status == 0 || r.status >= 500)
				 : !csrf_failed) {
		(*failures)++;
		const char *body = r.body ? r.body : "";
		fprintf(stderr,
			"%s %s as %s without the right X-CSRF-Token: %d %.*s, expected %s\n",
			method, path, who, r.status, (int)strcspn(body, "\n"), body,
			(e->flags & NO_CSRF) ? "no CSRF check" : "403 csrf_failed");
	}
	http_response_free(&r);
}

static void test_csrf_on_every_unsafe_route(void)
{
	int failures = 0, calls = 0;
	long audit_before = audit_rows();
	CHECK(audit_before > 0);
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *route = &hm_routes[i];
		for (size_t m = 0; m < N_METHODS; m++) {
			if (!(route->methods & methods[m].bit) || !is_unsafe(methods[m].name))
				continue;
			const struct expectation *e = expectation_for(methods[m].name,
								      route->pattern);
			if (!e)
				continue;
			/* No X-CSRF-Token at all, for every cookie role. */
			for (size_t k = 0; k < sizeof cookie_clients / sizeof cookie_clients[0];
			     k++) {
				struct api_client c = *cookie_clients[k];
				c.csrf[0] = '\0';
				csrf_call(&c, cookie_names[k], e, route, methods[m].name,
					  &failures);
				calls++;
			}
			/* Another session's token. */
			struct api_client swapped = student_a;
			snprintf(swapped.csrf, sizeof swapped.csrf, "%s", student_b.csrf);
			csrf_call(&swapped, "student A with B's token", e, route, methods[m].name,
				  &failures);
			calls++;
		}
	}
	fprintf(stderr, "%d calls without the right CSRF token, %d not refused\n", calls, failures);
	check_failures += failures;
	CHECK(calls > 0);
	/* Nothing was written: no audit row, and every session is still there. */
	CHECK_INT(audit_rows(), audit_before);
	for (size_t k = 0; k < sizeof cookie_clients / sizeof cookie_clients[0]; k++)
		CHECK_INT(api_status(cookie_clients[k], "GET", "/api/v1/me", NULL), 200);
}

/* ---- student B and student A's data ------------------------------------------------------ */

static bool lesson_status_is(json_int_t id, const char *status)
{
	char path[96];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/lessons/%lld", (long long)id);
	api_call(&student_a, "GET", path, NULL, &r);
	bool same = r.status == 200 && json_str(r.json, "status") &&
		    strcmp(json_str(r.json, "status"), status) == 0;
	http_response_free(&r);
	return same;
}

/* Does any object in json (recursively) carry A's ids or A's name or e-mail? */
static bool mentions_a(json_t *json)
{
	const char *key;
	json_t *value;
	size_t i;
	if (json_is_object(json)) {
		json_int_t id = ival(json, "id");
		json_int_t client = ival(json, "client_id");
		if (client == ids[ID_CLIENT_A] ||
		    (json_object_get(json, "user_id") && ival(json, "user_id") == ids[ID_USER_A]))
			return true;
		if (json_object_get(json, "starts_at") && id == ids[ID_LESSON_A])
			return true;
		if (json_object_get(json, "ordinal") &&
		    (id == ids[ID_CONTRACT_A] || id == lesson_a_contract))
			return true;
		json_object_foreach(json, key, value) if (mentions_a(value)) return true;
	} else if (json_is_array(json)) {
		json_array_foreach(json, i, value) if (mentions_a(value)) return true;
	} else if (json_is_string(json)) {
		const char *text = json_string_value(json);
		return strstr(text, NAME_A) || strstr(text, EMAIL_A);
	}
	return false;
}

static void test_student_b_on_student_a_data(void)
{
	char path[128];
	struct http_response r;

	snprintf(path, sizeof path, "/api/v1/lessons/%lld", (long long)ids[ID_LESSON_A]);
	api_call(&student_b, "GET", path, NULL, &r);
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	CHECK(!r.body || !strstr(r.body, NAME_A));
	http_response_free(&r);

	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)ids[ID_LESSON_A]);
	api_call(&student_b, "POST", path, NULL, &r);
	CHECK_INT(r.status, 404);
	CHECK_STR(http_error_code(&r), "not_found");
	http_response_free(&r);
	api_call(&student_b, "POST", path, "{}", &r);
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	CHECK(lesson_status_is(ids[ID_LESSON_A], "booked"));

	/* A lesson that does not exist answers the same as A's. */
	api_call(&student_b, "GET", "/api/v1/lessons/987654321", NULL, &r);
	CHECK_INT(r.status, 404);
	http_response_free(&r);

	/* B cannot book on A's contract, nor for A, nor quote for A. */
	char at[HM_RFC3339_LEN], body[320];
	int64_t day;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	hm_time_format(hm_local_instant(day + 4, 15 * 60), at);
	snprintf(
		body, sizeof body,
		"{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"contract_id\":%lld}",
		(long long)ids[ID_SERVICE], (long long)ids[ID_TUTOR], at,
		(long long)ids[ID_CONTRACT_A]);
	api_call(&student_b, "POST", "/api/v1/lessons", body, &r);
	CHECK_INT(r.status, 422);
	http_response_free(&r);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\",\"client_id\":%lld}",
		 (long long)ids[ID_SERVICE], (long long)ids[ID_TUTOR], at,
		 (long long)ids[ID_CLIENT_A]);
	api_call(&student_b, "POST", "/api/v1/lessons", body, &r);
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\",\"client_id\":%lld}",
		 (long long)ids[ID_SERVICE], (long long)ids[ID_CLIENT_A]);
	api_call(&student_b, "POST", "/api/v1/me/contracts", body, &r);
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off&client_id=%lld",
		 (long long)ids[ID_SERVICE], (long long)ids[ID_CLIENT_A]);
	api_call(&student_b, "GET", path, NULL, &r);
	CHECK_INT(r.status, 404);
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)ids[ID_CONTRACT_A]);
	api_call(&staff, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(ival(r.json, "sessions_used"), 0);
	CHECK_INT(ival(r.json, "client_id"), ids[ID_CLIENT_A]);
	http_response_free(&r);

	/* Every GET /me... of the route table, as B: B's, and nothing of A's. */
	int me_routes = 0;
	for (size_t i = 0; i < hm_route_count; i++) {
		const struct hm_route *route = &hm_routes[i];
		if (!(route->methods & HM_GET) || strncmp(route->pattern, "/api/v1/me", 10) != 0 ||
		    strchr(route->pattern, '{'))
			continue;
		me_routes++;
		api_call(&student_b, "GET", route->pattern, NULL, &r);
		CHECK_INT(r.status, 200);
		CHECK(!mentions_a(r.json));
		CHECK(!r.body || (!strstr(r.body, NAME_A) && !strstr(r.body, EMAIL_A)));
		if (mentions_a(r.json))
			fprintf(stderr, "GET %s as student B shows A's data: %.300s\n",
				route->pattern, r.body);
		http_response_free(&r);
	}
	CHECK(me_routes >= 4);

	/* A's contribution waits for review: B sees neither it nor A's name. */
	api_call(&student_b, "GET", "/api/v1/contributions", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(json_array_size(http_json(&r, "items")), 0);
	CHECK(!r.body || !strstr(r.body, NAME_A));
	http_response_free(&r);
	api_call(&staff, "GET", "/api/v1/contributions?status=submitted", NULL, &r);
	CHECK_INT(ival(json_array_get(http_json(&r, "items"), 0), "id"), ids[ID_CONTRIBUTION]);
	http_response_free(&r);

	/* B's lists hold B's own things (so the check above looked at something). */
	api_call(&student_b, "GET", "/api/v1/me/lessons", NULL, &r);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 1);
	CHECK_INT(ival(json_array_get(items, 0), "id"), lesson_b);
	CHECK_INT(ival(json_array_get(items, 0), "client_id"), client_b);
	http_response_free(&r);
	api_call(&student_b, "GET", "/api/v1/me/contracts", NULL, &r);
	items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 2);
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) CHECK_INT(ival(item, "client_id"), client_b);
	http_response_free(&r);
	api_call(&student_b, "GET", "/api/v1/me/client", NULL, &r);
	CHECK_INT(ival(r.json, "id"), client_b);
	http_response_free(&r);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	RUN(test_every_route_declares_access);
	RUN(test_every_route_has_an_expectation);
	RUN(test_declared_access_matches_api_md);
	if (!ts_start(&server, serve_extra))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_student_b_on_student_a_data);
	RUN(test_csrf_on_every_unsafe_route);
	RUN(test_matrix);
	RUN(test_metrics_from_loopback);
	RUN(test_invalid_bearer);
	/* The matrix's calls left every session standing (logout used sessions of
	 * their own). */
	for (size_t k = 0; k < sizeof cookie_clients / sizeof cookie_clients[0]; k++)
		CHECK_INT(api_status(cookie_clients[k], "GET", "/api/v1/me", NULL), 200);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
