// SPDX-License-Identifier: MIT
// Third parties (API.md v2, "Third parties: referrals and partners") through the
// real server: the referral policy (admin), a family's code and counts, a
// registration with a code; the referrer's reward on its next contract once the
// referred family's first contract is made (with a second gift), used one per
// contract oldest first, withdrawn when its trigger contract is cancelled unused,
// and never from a family it becomes part of; a reward used once under concurrent
// contracts. Partners: records (admin), codes at registration and by staff, the
// larger of partner and loyalty (never both), a referral reward on top, the cap,
// an inactive partner's code refused and its discount gone.
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static struct test_server server;
static const char *const serve_args[] = {"--trusted-proxy", "127.0.0.1", "--threads", "4", NULL};

#define PW "referrals-test-password"

struct student {
	struct api_client c;
	json_int_t client_id;
	char code[48];
};

static struct api_client staff, admin;
static struct student referrer;   /* test_referral_reward's A, for the report */
static json_int_t school_partner; /* test_partners' school, for the report */
static json_int_t svc;
static int n_students;

/* ---- helpers ---------------------------------------------------------------- */

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* Registers a student (with ref, when not NULL): the status. */
static int make_student(struct student *s, const char *ref)
{
	char email[64], ip[32], body[256];
	struct http_response r;
	n_students++;
	snprintf(email, sizeof email, "student%d@referrals.test", n_students);
	snprintf(ip, sizeof ip, "10.10.%d.%d", n_students / 200 + 1, n_students % 200 + 1);
	api_client_at(&s->c, server.port, ip);
	if (ref)
		snprintf(body, sizeof body,
			 "{\"email\":\"%s\",\"password\":\"%s\",\"full_name\":\"Ikasle\","
			 "\"ref\":\"%s\"}",
			 email, PW, ref);
	else
		snprintf(body, sizeof body,
			 "{\"email\":\"%s\",\"password\":\"%s\",\"full_name\":\"Ikasle\"}", email,
			 PW);
	api_call(&s->c, "POST", "/api/v1/auth/register", body, &r);
	int status = r.status;
	http_response_free(&r);
	if (status != 201)
		return status;
	if (api_login(&s->c, email, PW) != 200)
		return -1;
	api_call(&s->c, "GET", "/api/v1/me", NULL, &r);
	s->client_id = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	api_call(&s->c, "GET", "/api/v1/me/referral", NULL, &r);
	snprintf(s->code, sizeof s->code, "%s",
		 json_str(r.json, "code") ? json_str(r.json, "code") : "");
	http_response_free(&r);
	return status;
}

/* A one-off contract as the student: its JSON (caller frees) or NULL. */
static json_t *buy(struct student *s)
{
	char body[96];
	struct http_response r;
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"kind\":\"one_off\"}", (long long)svc);
	api_call(&s->c, "POST", "/api/v1/me/contracts", body, &r);
	json_t *out = r.status == 201 ? json_incref(r.json) : NULL;
	if (r.status != 201)
		fprintf(stderr, "buy -> %d %s\n", r.status, r.body ? r.body : "");
	http_response_free(&r);
	return out;
}

/* The percent of source in a contract's discounts (0 when absent). */
static int part(json_t *contract, const char *source)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(contract, "discounts"), i,
			   d) if (strcmp(json_str(d, "source"), source) ==
				  0) return (int)ival(d, "percent");
	return 0;
}

/* Buys and checks the discount's make-up; answers the contract's id. */
static json_int_t buy_expect(struct student *s, int loyalty, int partner, int referral)
{
	json_t *k = buy(s);
	CHECK(k != NULL);
	if (!k)
		return 0;
	CHECK_INT(part(k, "loyalty"), loyalty);
	CHECK_INT(part(k, "partner"), partner);
	CHECK_INT(part(k, "referral"), referral);
	CHECK_INT(ival(k, "discount_percent"), loyalty + partner + referral);
	CHECK_INT(json_array_size(json_object_get(k, "discounts")),
		  (loyalty > 0) + (partner > 0) + (referral > 0));
	json_int_t id = ival(k, "id");
	json_decref(k);
	return id;
}

static json_t *get_json(struct api_client *c, const char *path, int *status)
{
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	*status = r.status;
	json_t *out = r.json ? json_incref(r.json) : NULL;
	http_response_free(&r);
	return out;
}

static int referral_count(struct student *s, const char *key)
{
	int status = 0;
	json_t *me = get_json(&s->c, "/api/v1/me/referral", &status);
	int n = status == 200 ? (int)ival(me, key) : -1;
	json_decref(me);
	return n;
}

static bool setup(void)
{
	struct http_response r;
	if (!ts_add_user(&server, "admin", "admin@referrals.test", "Nerea Admin", PW) ||
	    !ts_add_user(&server, "staff", "mikel@referrals.test", "Mikel Tutor", PW))
		return false;
	api_client_at(&admin, server.port, "10.9.0.1");
	api_client_at(&staff, server.port, "10.9.0.2");
	if (api_login(&admin, "admin@referrals.test", PW) != 200 ||
	    api_login(&staff, "mikel@referrals.test", PW) != 200)
		return false;
	api_call(&staff, "POST", "/api/v1/services",
		 "{\"name\":\"Matematika\",\"subject\":\"maths\",\"kind\":\"private\","
		 "\"duration_min\":60,\"price_cents\":3000}",
		 &r);
	svc = ival(r.json, "id");
	http_response_free(&r);
	/* Gifts in stock: the pen, with plenty. */
	api_call(&admin, "GET", "/api/v1/gifts", NULL, &r);
	json_int_t pen = 0;
	size_t i;
	json_t *g;
	json_array_foreach(http_json(&r, "items"), i, g) if (strcmp(json_str(g, "key"), "pen") == 0)
		pen = ival(g, "id");
	http_response_free(&r);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/gifts/%lld", (long long)pen);
	return svc > 0 && pen > 0 && api_status(&admin, "PATCH", path, "{\"stock\":1000}") == 200;
}

/* ---- the policy -------------------------------------------------------------------- */

static void test_policy(void)
{
	int status = 0;
	json_t *p = get_json(&admin, "/api/v1/referral-policy", &status);
	CHECK_INT(status, 200);
	CHECK_INT(ival(p, "reward_percent"), 5);
	CHECK(json_is_true(json_object_get(p, "gift")));
	json_decref(p);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/referral-policy", NULL), 403);
	CHECK_INT(api_status(&staff, "PUT", "/api/v1/referral-policy",
			     "{\"reward_percent\":5,\"gift\":true}"),
		  403);
	const char *const bad[] = {
		"{\"reward_percent\":16,\"gift\":true}",
		"{\"reward_percent\":-1,\"gift\":true}",
		"{\"reward_percent\":5}",
		"{\"reward_percent\":5,\"gift\":1}",
		"{\"reward_percent\":5,\"gift\":true,\"x\":1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(api_status(&admin, "PUT", "/api/v1/referral-policy", bad[i]), 422);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/referral-policy",
			     "{\"reward_percent\":7,\"gift\":false}"),
		  200);
	p = get_json(&admin, "/api/v1/referral-policy", &status);
	CHECK_INT(ival(p, "reward_percent"), 7);
	CHECK(json_is_false(json_object_get(p, "gift")));
	json_decref(p);
	CHECK_INT(api_status(&admin, "PUT", "/api/v1/referral-policy",
			     "{\"reward_percent\":5,\"gift\":true}"),
		  200);
}

/* ---- referrals -------------------------------------------------------------------- */

static void test_referral_reward(void)
{
	struct student a, b, c, d, e;
	CHECK_INT(make_student(&a, NULL), 201);
	CHECK_INT((int)strlen(a.code), 10);
	int status = 0;
	json_t *mine = get_json(&a.c, "/api/v1/me/referral", &status);
	char url[64];
	snprintf(url, sizeof url, "/?ref=%s", a.code);
	CHECK_STR(json_str(mine, "url"), url);
	CHECK_INT(ival(mine, "referred"), 0);
	CHECK_INT(ival(mine, "rewarded"), 0);
	json_decref(mine);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/me/referral", NULL), 403);

	/* Unknown codes are refused and register nobody. */
	struct student x;
	CHECK_INT(make_student(&x, "nosuchcode"), 422);
	CHECK_INT(make_student(&x, ""), 422);

	/* B registers with A's code (any case): referred by A's family. */
	char upper[48];
	snprintf(upper, sizeof upper, "%s", a.code);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	CHECK_INT(make_student(&b, upper), 201);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)b.client_id);
	json_t *client = get_json(&staff, path, &status);
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)a.client_id);
	json_t *a_client = get_json(&staff, path, &status);
	CHECK_INT(ival(client, "referred_by"), ival(a_client, "family_id"));
	json_decref(client);
	json_decref(a_client);
	CHECK_INT(referral_count(&a, "referred"), 1);
	CHECK_INT(referral_count(&a, "rewarded"), 0);

	/* No reward before B's first contract. */
	buy_expect(&a, 0, 0, 0);
	/* B's first contract earns A a reward; B's second earns nothing more. */
	buy_expect(&b, 0, 0, 0);
	buy_expect(&b, 0, 0, 0);
	CHECK_INT(referral_count(&a, "rewarded"), 1);
	json_t *k = buy(&a);
	CHECK_INT(part(k, "referral"), 5);
	CHECK_INT(ival(k, "ordinal"), 2);
	CHECK(json_is_object(json_object_get(k, "reward_gift")));
	CHECK(json_is_object(json_object_get(k, "gift")));
	json_decref(k);
	/* Used: the next one has none, and it is A's 3rd: 5 % loyalty. */
	buy_expect(&a, 5, 0, 0);

	/* Two families brought: their rewards are used one per contract, oldest first. */
	CHECK_INT(make_student(&c, a.code), 201);
	CHECK_INT(make_student(&d, a.code), 201);
	buy_expect(&c, 0, 0, 0);
	buy_expect(&d, 0, 0, 0);
	buy_expect(&a, 10, 0, 5); /* 4th: 10 % + 5 % (the cap, 15) */
	buy_expect(&a, 15, 0, 0); /* 5th: 15 %, the second reward absorbed by the cap */
	buy_expect(&a, 15, 0, 0); /* nothing left */

	referrer = a;
	/* A reward whose trigger contract is cancelled before use is withdrawn. */
	CHECK_INT(make_student(&e, a.code), 201);
	json_t *first = buy(&e);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)ival(first, "id"));
	json_decref(first);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	CHECK_INT(referral_count(&a, "rewarded"), 3);
	struct student f;
	CHECK_INT(make_student(&f, NULL), 201);
	/* (A is at the cap: a fresh referrer shows the reward is gone.) */
	struct student g;
	CHECK_INT(make_student(&g, f.code), 201);
	first = buy(&g);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)ival(first, "id"));
	json_decref(first);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	buy_expect(&f, 0, 0, 0);
	/* And after it is used, cancelling the trigger contract takes nothing back. */
	struct student h, i;
	CHECK_INT(make_student(&h, NULL), 201);
	CHECK_INT(make_student(&i, h.code), 201);
	first = buy(&i);
	buy_expect(&h, 0, 0, 5);
	snprintf(path, sizeof path, "/api/v1/contracts/%lld/cancel", (long long)ival(first, "id"));
	json_decref(first);
	CHECK_INT(api_status(&staff, "POST", path, NULL), 200);
	CHECK_INT(referral_count(&h, "rewarded"), 1);
}

static void test_never_from_ones_own_family(void)
{
	/* J brings K; they are merged before J uses the reward: it is withdrawn. */
	struct student j, k;
	CHECK_INT(make_student(&j, NULL), 201);
	CHECK_INT(make_student(&k, j.code), 201);
	buy_expect(&k, 0, 0, 0);
	char body[96];
	snprintf(body, sizeof body, "{\"client_ids\":[%lld,%lld]}", (long long)j.client_id,
		 (long long)k.client_id);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/families", body), 201);
	buy_expect(&j, 0, 0, 0); /* the family's 2nd: no reward */
	CHECK_INT(referral_count(&j, "rewarded"), 0);
	/* A family's own code brings nobody in it a reward either (a sibling's code,
	 * then merged before anything is bought). */
	struct student l, m;
	CHECK_INT(make_student(&l, NULL), 201);
	CHECK_INT(make_student(&m, l.code), 201);
	snprintf(body, sizeof body, "{\"client_ids\":[%lld,%lld]}", (long long)l.client_id,
		 (long long)m.client_id);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/families", body), 201);
	buy_expect(&m, 0, 0, 0);
	buy_expect(&l, 0, 0, 0);
	CHECK_INT(referral_count(&l, "rewarded"), 0);
}

struct racer {
	struct student *s;
	int referral;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	json_t *k = buy(r->s);
	r->referral = k ? part(k, "referral") : -1;
	json_decref(k);
	return NULL;
}

static void test_a_reward_is_used_once(void)
{
	/* One reward, two of the referrer's sessions buying at the same moment. */
	struct student n, o, n2;
	CHECK_INT(make_student(&n, NULL), 201);
	CHECK_INT(make_student(&o, n.code), 201);
	buy_expect(&o, 0, 0, 0);
	n2 = n;
	api_client_at(&n2.c, server.port, "10.11.0.1");
	char email[64];
	snprintf(email, sizeof email, "student%d@referrals.test", n_students - 1);
	CHECK_INT(api_login(&n2.c, email, PW), 200);
	struct racer racers[2] = {{&n, 0}, {&n2, 0}};
	pthread_t threads[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&threads[i], NULL, race, &racers[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	CHECK_INT(racers[0].referral + racers[1].referral, 5);
}

/* ---- partners ----------------------------------------------------------------------- */

static json_int_t make_partner(const char *code, int percent)
{
	char body[256];
	struct http_response r;
	snprintf(body, sizeof body,
		 "{\"name\":\"Ikastola %s\",\"kind\":\"school\",\"code\":\"%s\","
		 "\"discount_percent\":%d,\"contact_email\":\"Idazkaritza@Example.com\"}",
		 code, code, percent);
	api_call(&admin, "POST", "/api/v1/partners", body, &r);
	CHECK_INT(r.status, 201);
	json_int_t id = ival(r.json, "id");
	if (r.status == 201) {
		CHECK_STR(json_str(r.json, "code"), code);
		CHECK_STR(json_str(r.json, "contact_email"), "idazkaritza@example.com");
		CHECK(json_is_true(json_object_get(r.json, "active")));
		CHECK_INT(ival(r.json, "families"), 0);
	}
	http_response_free(&r);
	return id;
}

static void test_partners(void)
{
	json_int_t school = make_partner("IKAS-1", 10);
	school_partner = school;
	json_int_t big = make_partner("GENEROUS", 40);
	/* Errors: a taken code (a partner's, or a family's), bad fields, roles. */
	CHECK_INT(api_status(&admin, "POST", "/api/v1/partners",
			     "{\"name\":\"X\",\"kind\":\"school\",\"code\":\"ikas-1\","
			     "\"discount_percent\":5}"),
		  409);
	struct student famous;
	CHECK_INT(make_student(&famous, NULL), 201);
	char body[256];
	snprintf(body, sizeof body,
		 "{\"name\":\"X\",\"kind\":\"school\",\"code\":\"%s\",\"discount_percent\":5}",
		 famous.code);
	CHECK_INT(api_status(&admin, "POST", "/api/v1/partners", body), 409);
	const char *const bad[] = {
		"{\"kind\":\"school\",\"code\":\"OK-1\",\"discount_percent\":5}",
		"{\"name\":\"X\",\"kind\":\"club\",\"code\":\"OK-1\",\"discount_percent\":5}",
		"{\"name\":\"X\",\"kind\":\"school\",\"code\":\"a b\",\"discount_percent\":5}",
		"{\"name\":\"X\",\"kind\":\"school\",\"code\":\"ab\",\"discount_percent\":5}",
		"{\"name\":\"X\",\"kind\":\"school\",\"code\":\"OK-1\",\"discount_percent\":101}",
		("{\"name\":\"X\",\"kind\":\"school\",\"code\":\"OK-1\",\"discount_percent\":5,"
		 "\"families\":3}"),
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(api_status(&admin, "POST", "/api/v1/partners", bad[i]), 422);
	CHECK_INT(api_status(&staff, "POST", "/api/v1/partners",
			     "{\"name\":\"X\",\"kind\":\"school\",\"code\":\"OK-2\","
			     "\"discount_percent\":5}"),
		  403);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/partners", NULL), 200);
	CHECK_INT(api_status(&admin, "PATCH", "/api/v1/partners/987654", "{\"active\":false}"),
		  404);

	/* A family registered with the school's code: 10 %, the larger, never both. */
	struct student p;
	CHECK_INT(make_student(&p, "ikas-1"), 201);
	buy_expect(&p, 0, 10, 0);
	buy_expect(&p, 0, 10, 0);
	buy_expect(&p, 0, 10, 0); /* 3rd: 5 % loyalty < 10 % partner */
	buy_expect(&p, 10, 0, 0); /* 4th: 10 % each, a tie: loyalty's */
	int status = 0;
	json_t *list = get_json(&staff, "/api/v1/partners", &status);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(list, "items"), i, it) if (ival(it, "id") == school)
		CHECK_INT(ival(it, "families"), 1);
	json_decref(list);

	/* Staff link a client to the generous partner: capped at 15 %. */
	struct student r;
	CHECK_INT(make_student(&r, NULL), 201);
	char path[64];
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)r.client_id);
	snprintf(body, sizeof body, "{\"partner_id\":%lld}", (long long)big);
	CHECK_INT(api_status(&staff, "PATCH", path, body), 200);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"partner_id\":987654}"), 422);
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"partner_id\":\"x\"}"), 422);
	buy_expect(&r, 0, 15, 0);
	/* A reward on top of a capped partner is used and absorbed. */
	struct student s;
	CHECK_INT(make_student(&s, r.code), 201);
	buy_expect(&s, 0, 0, 0);
	buy_expect(&r, 0, 15, 0);
	CHECK_INT(referral_count(&r, "rewarded"), 1);
	/* A partner below the cap leaves room for the reward. */
	struct student t, u;
	CHECK_INT(make_student(&t, "IKAS-1"), 201);
	CHECK_INT(make_student(&u, t.code), 201);
	buy_expect(&u, 0, 0, 0);
	buy_expect(&t, 0, 10, 5);
	/* Staff take the partner away (null): loyalty only. */
	CHECK_INT(api_status(&staff, "PATCH", path, "{\"partner_id\":null}"), 200);
	buy_expect(&r, 5, 0, 0); /* r's 3rd */

	/* Inactive: its code is refused, its discount no longer applies. */
	snprintf(path, sizeof path, "/api/v1/partners/%lld", (long long)school);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"active\":false}"), 200);
	struct student v;
	CHECK_INT(make_student(&v, "IKAS-1"), 422);
	buy_expect(&p, 15, 0, 0); /* p's 5th: loyalty only */
	buy_expect(&t, 0, 0, 0);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"code\":\"GENEROUS\"}"), 409);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"discount_percent\":12,\"active\":true}"),
		  200);
	buy_expect(&t, 0, 12, 0);
}

/* The row of a report whose key is id (borrowed from body), or NULL. */
static json_t *report_row(json_t *body, const char *key, json_int_t id)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(body, "items"), i,
			   row) if (ival(row, key) == id) return row;
	return NULL;
}

static void test_reports(void)
{
	int status = 0;
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)referrer.client_id);
	json_t *client = get_json(&staff, path, &status);
	json_int_t family = ival(client, "family_id");
	json_decref(client);

	/* A brought B (2 contracts), C and D (1 each), E (1, cancelled): 4 families, 4
	 * contracts at 30 € without discount; A used 3 rewards, two worth 5 % of 30 €
	 * and one absorbed by the cap. */
	json_t *body = get_json(&staff, "/api/v1/reports/referrals", &status);
	CHECK_INT(status, 200);
	json_t *row = report_row(body, "family_id", family);
	CHECK(row != NULL);
	CHECK_STR(json_str(row, "code"), referrer.code);
	CHECK_INT(ival(row, "families"), 4);
	CHECK_INT(ival(row, "contracts"), 4);
	CHECK_INT(ival(row, "revenue_cents"), 4 * 3000);
	CHECK_INT(ival(row, "discount_cents"), 2 * 150);
	CHECK_INT(ival(row, "rewards_used"), 3);
	json_decref(body);

	/* The school: P (5 contracts) and T (3); what they paid and were given adds
	 * up to their list prices. */
	body = get_json(&admin, "/api/v1/reports/partners?limit=1", &status);
	CHECK_INT(status, 200);
	CHECK_INT(json_array_size(json_object_get(body, "items")), 1);
	CHECK(json_is_integer(json_object_get(body, "next_after")));
	json_decref(body);
	body = get_json(&staff, "/api/v1/reports/partners", &status);
	row = report_row(body, "partner_id", school_partner);
	CHECK(row != NULL);
	CHECK_INT(ival(row, "families"), 2);
	CHECK_INT(ival(row, "contracts"), 8);
	CHECK_INT(ival(row, "revenue_cents") + ival(row, "discount_cents"), 8 * 3000);
	CHECK(ival(row, "discount_cents") > 0);
	json_decref(body);

	/* CSV: the byte-order mark, the header, a line per row. */
	struct http_response r;
	api_call(&staff, "GET", "/api/v1/reports/referrals?format=csv", NULL, &r);
	CHECK_INT(r.status, 200);
	static const char header[] = "\xEF\xBB\xBF"
				     "family_id,code,full_name,families,contracts,"
				     "revenue_cents,discount_cents,rewards_used\r\n";
	CHECK(r.body && strncmp(r.body, header, sizeof header - 1) == 0);
	char line[160];
	snprintf(line, sizeof line, "\r\n%lld,%s,Ikasle,4,4,12000,300,3\r\n", (long long)family,
		 referrer.code);
	CHECK(r.body && strstr(r.body, line) != NULL);
	http_response_free(&r);
	api_call(&admin, "GET", "/api/v1/reports/partners?format=csv", NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body && strstr(r.body, ",IKAS-1,true,2,8,") != NULL);
	http_response_free(&r);
	CHECK_INT(api_status(&staff, "GET", "/api/v1/reports/partners?format=xml", NULL), 422);
	CHECK_INT(api_status(&referrer.c, "GET", "/api/v1/reports/referrals", NULL), 403);
}

/* serve --demo: a family with two children, a referral that earned its reward, two
 * partners (an ikastola and a company) with members. */
static void test_demo_has_families_and_third_parties(void)
{
	static const char *const demo[] = {"--demo", NULL};
	struct test_server d;
	struct api_client c;
	struct http_response r;
	CHECK(ts_start(&d, demo));
	api_client_init(&c, d.port);
	CHECK_INT(api_login(&c, DEMO_STUDENT), 200);
	api_call(&c, "GET", "/api/v1/me/clients", NULL, &r);
	CHECK_INT(json_array_size(http_json(&r, "items")), 3);
	http_response_free(&r);
	api_call(&c, "GET", "/api/v1/me/referral", NULL, &r);
	CHECK_INT(ival(r.json, "referred"), 1);
	CHECK_INT(ival(r.json, "rewarded"), 1);
	http_response_free(&r);
	/* The reward is there to use: Ane's next contract gets the referral share. */
	api_call(&c, "GET", "/api/v1/services", NULL, &r);
	json_int_t service = ival(json_array_get(http_json(&r, "items"), 0), "id");
	http_response_free(&r);
	char path[128];
	snprintf(path, sizeof path, "/api/v1/quote?service_id=%lld&kind=one_off",
		 (long long)service);
	api_call(&c, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(part(r.json, "referral") > 0);
	http_response_free(&r);
	api_client_init(&c, d.port);
	CHECK_INT(api_login(&c, DEMO_STAFF), 200);
	api_call(&c, "GET", "/api/v1/reports/partners", NULL, &r);
	json_t *items = http_json(&r, "items");
	CHECK_INT(json_array_size(items), 2);
	CHECK_STR(json_str(json_array_get(items, 0), "kind"), "school");
	CHECK_STR(json_str(json_array_get(items, 1), "kind"), "company");
	CHECK_INT(ival(json_array_get(items, 0), "families"), 2);
	CHECK_INT(ival(json_array_get(items, 1), "families"), 2);
	http_response_free(&r);
	CHECK_INT(ts_stop(&d), 0);
}

int main(void)
{
	if (!ts_start(&server, serve_args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_policy);
	RUN(test_referral_reward);
	RUN(test_never_from_ones_own_family);
	RUN(test_a_reward_is_used_once);
	RUN(test_partners);
	RUN(test_reports);
	CHECK_INT(ts_stop(&server), 0);
	RUN(test_demo_has_families_and_third_parties);
	return CHECK_EXIT();
}
