// SPDX-License-Identifier: MIT
// Privacy (issue 7, item 6): an admin exports everything held on a client as one
// JSON document (record, user without secrets, contracts, lessons, interactions,
// inquiries from its e-mail, messages sent to it, its calendar feed, the audit
// entries about it) and nothing of anyone else; erasure anonymises the client
// (name "erased", contact fields and guardian null, notes empty), deactivates its
// user and ends its sessions, replaces the personal text of interactions,
// inquiries, lesson notes, messages and audit details, removes its calendar feed,
// keeps contracts and their amounts; it is audited, repeatable, and all or
// nothing (refused with 409 when it would leave no active admin, changing
// nothing). The export's sections and its audit entries carry exactly the keys
// docs/openapi.yaml declares for ClientExport and AuditEntry.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define PW "privacy-test-password"
#define ANE_EMAIL "ane.private@example.com"
#define ANE_NAME "Ane Pribatua"
#define ANE_PHONE "+34 611 222 333"
#define GUARDIAN "Miren Gurasoa"
#define NOTE "Allergic to peanuts; prefers mornings"
#define SUMMARY "Called about her exam marks"
#define MESSAGE "My daughter Ane needs help with maths"
#define OTHER_EMAIL "other.student@example.com"
#define CREDIT "Ane E. from Bilbo"
#define CONTRIBUTION "Flash cards every morning, said my grandmother Karmele"

static struct test_server server;
static const char *const args[] = {"--trusted-proxy", "127.0.0.1", NULL};
static struct api_client admin, staff, ane, other, anon;
static json_int_t tutor_id, service_id, ane_client, ane_user, other_client, contract_id;
static json_int_t event_id, contribution_id;
static char feed_url[128];

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static int64_t today(void)
{
	int64_t day;
	int weekday;
	hm_local_day(hm_time_now(), &day, &weekday);
	return day;
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

static json_int_t book(struct api_client *c, int64_t day, int minute)
{
	char at[HM_RFC3339_LEN], body[256];
	hm_time_format(hm_local_instant(day, minute), at);
	snprintf(body, sizeof body, "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"}",
		 (long long)service_id, (long long)tutor_id, at);
	return post_id(c, "/api/v1/lessons", body, 201);
}

/* Does any string anywhere in json contain text? */
static bool contains(json_t *json, const char *text)
{
	const char *key;
	json_t *value;
	size_t i;
	if (json_is_string(json))
		return strstr(json_string_value(json), text) != NULL;
	if (json_is_object(json)) {
		json_object_foreach(json, key, value) if (strstr(key, text) ||
							  contains(value, text)) return true;
	} else if (json_is_array(json)) {
		json_array_foreach(json, i, value) if (contains(value, text)) return true;
	}
	return false;
}

/* Does any object anywhere in json have a key named key? */
static bool has_key(json_t *json, const char *name)
{
	const char *key;
	json_t *value;
	size_t i;
	if (json_is_object(json)) {
		json_object_foreach(json, key, value) if (!strcmp(key, name) ||
							  has_key(value, name)) return true;
	} else if (json_is_array(json)) {
		json_array_foreach(json, i, value) if (has_key(value, name)) return true;
	}
	return false;
}

static json_t *get_json(struct api_client *c, const char *path, int expect)
{
	struct http_response r;
	api_call(c, "GET", path, NULL, &r);
	CHECK_INT(r.status, expect);
	json_t *out = json_incref(r.json);
	http_response_free(&r);
	return out;
}

/* Every audit entry, all pages. */
static json_t *audit_all(void)
{
	json_t *all = json_array();
	json_int_t after = 0;
	for (int page = 0; page < 100; page++) {
		char path[96];
		snprintf(path, sizeof path, "/api/v1/audit?limit=200&after=%lld", (long long)after);
		json_t *p = get_json(&admin, path, 200);
		json_array_extend(all, json_object_get(p, "items"));
		after = ival(p, "next_after");
		json_decref(p);
		if (!after)
			break;
	}
	return all;
}

static bool setup(void)
{
	char body[1024], path[128];
	struct http_response r;
	if (!ts_add_user(&server, "admin", "admin@privacy.test", "Priv Admin", PW) ||
	    !ts_add_user(&server, "staff", "jon@privacy.test", "Jon Irakaslea", PW))
		return false;
	api_client_at(&admin, server.port, "10.5.0.1");
	api_client_at(&staff, server.port, "10.5.0.2");
	api_client_at(&ane, server.port, "10.5.0.3");
	api_client_at(&other, server.port, "10.5.0.4");
	api_client_at(&anon, server.port, "10.5.0.5");
	if (api_login(&admin, "admin@privacy.test", PW) != 200 ||
	    api_login(&staff, "jon@privacy.test", PW) != 200 ||
	    api_register(&ane, ANE_EMAIL, PW, ANE_NAME) != 201 ||
	    api_register(&other, OTHER_EMAIL, PW, "Other Student") != 201)
		return false;
	api_call(&staff, "GET", "/api/v1/me", NULL, &r);
	tutor_id = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	api_call(&ane, "GET", "/api/v1/me", NULL, &r);
	ane_user = ival(http_json(&r, "user"), "id");
	ane_client = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	api_call(&other, "GET", "/api/v1/me", NULL, &r);
	other_client = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	if (!api_make_tutor(&staff, tutor_id, "maths", NULL, 0, "08:00", "22:00"))
		return false;
	service_id = post_id(&staff, "/api/v1/services",
			     "{\"name\":\"Maths\",\"subject\":\"maths\",\"kind\":\"private\","
			     "\"duration_min\":60,\"price_cents\":3000}",
			     201);
	/* Everything an office keeps on a client. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)ane_client);
	if (api_status(&staff, "PATCH", path,
		       "{\"phone\":\"" ANE_PHONE "\",\"notes\":\"" NOTE "\",\"guardian\":"
		       "{\"full_name\":\"" GUARDIAN "\",\"email\":\"miren@example.com\","
		       "\"phone\":\"+34 600 999 888\"},\"preferred_channel\":\"phone\"}") != 200)
		return false;
	snprintf(path, sizeof path, "/api/v1/clients/%lld/interactions", (long long)ane_client);
	if (!post_id(&staff, path,
		     "{\"channel\":\"phone\",\"direction\":\"in\",\"summary\":\"" SUMMARY "\"}",
		     201))
		return false;
	json_int_t lesson = book(&ane, today() + 2, 10 * 60);
	json_int_t second = book(&ane, today() + 3, 10 * 60);
	book(&other, today() + 2, 12 * 60);
	snprintf(path, sizeof path, "/api/v1/lessons/%lld/cancel", (long long)second);
	if (!lesson || !second || api_status(&ane, "POST", path, NULL) != 200)
		return false;
	api_call(&ane, "GET", "/api/v1/me/contracts", NULL, &r);
	contract_id = ival(json_array_get(http_json(&r, "items"), 0), "id");
	http_response_free(&r);
	json_int_t inquiry = post_id(&anon, "/api/v1/inquiries",
				     "{\"channel\":\"email\",\"full_name\":\"" ANE_NAME "\","
				     "\"email\":\"" ANE_EMAIL "\",\"phone\":\"" ANE_PHONE "\","
				     "\"subject\":\"Exam help\",\"message\":\"" MESSAGE "\"}",
				     201);
	snprintf(path, sizeof path, "/api/v1/inquiries/%lld/answer", (long long)inquiry);
	if (!inquiry || api_status(&staff, "POST", path, "{\"reply\":\"Of course, Ane.\"}") != 200)
		return false;
	/* The community: an event she registered for, a contribution published. */
	char starts[HM_RFC3339_LEN], ends[HM_RFC3339_LEN];
	hm_time_format(hm_time_now() + 5 * 86400, starts);
	hm_time_format(hm_time_now() + 5 * 86400 + 7200, ends);
	snprintf(
		body, sizeof body,
		"{\"title\":\"Fractions workshop\",\"kind\":\"workshop\",\"subject\":\"maths\","
		"\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"capacity\":5,\"description\":\"Bring a pencil.\"}",
		starts, ends);
	event_id = post_id(&staff, "/api/v1/events", body, 201);
	snprintf(path, sizeof path, "/api/v1/events/%lld/registration", (long long)event_id);
	if (!event_id || api_status(&ane, "POST", path, NULL) != 201)
		return false;
	contribution_id = post_id(
		&ane, "/api/v1/contributions",
		"{\"kind\":\"method\",\"title\":\"My method\",\"body\":\"" CONTRIBUTION
		"\",\"credit_name\":\"" CREDIT "\"}",
		201);
	snprintf(path, sizeof path, "/api/v1/contributions/%lld/review",
		 (long long)contribution_id);
	if (!contribution_id ||
	    api_status(&staff, "POST", path, "{\"decision\":\"approved\",\"comment\":\"\"}") != 200)
		return false;
	api_call(&ane, "GET", "/api/v1/me/calendar", NULL, &r);
	snprintf(feed_url, sizeof feed_url, "%s",
		 json_str(r.json, "url") ? json_str(r.json, "url") : "");
	http_response_free(&r);
	return contract_id > 0 && feed_url[0] && api_status(&anon, "GET", feed_url, NULL) == 200;
}

static void test_export(void)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/export", (long long)ane_client);
	json_t *doc = get_json(&admin, path, 200);
	json_t *client = json_object_get(doc, "client");
	CHECK_INT(ival(client, "id"), ane_client);
	CHECK_STR(json_str(client, "full_name"), ANE_NAME);
	CHECK_STR(json_str(client, "phone"), ANE_PHONE);
	CHECK_STR(json_str(client, "notes"), NOTE);
	CHECK_STR(json_str(json_object_get(client, "guardian"), "full_name"), GUARDIAN);
	CHECK_STR(json_str(json_object_get(doc, "user"), "email"), ANE_EMAIL);
	CHECK(json_str(doc, "exported_at") != NULL);
	/* No secret of any kind. */
	CHECK(!has_key(doc, "password_hash") && !has_key(doc, "password"));
	CHECK(!has_key(doc, "token_hash") && !has_key(doc, "token") && !has_key(doc, "nonce"));
	CHECK(!contains(doc, feed_url + 10));
	/* Every section, with its rows. */
	json_t *contracts = json_object_get(doc, "contracts");
	CHECK_INT(json_array_size(contracts), 2); /* one kept, one cancelled with its lesson */
	CHECK_INT(ival(json_array_get(contracts, 0), "price_cents"), 3000);
	CHECK_INT(json_array_size(json_object_get(doc, "lessons")), 2);
	json_t *interactions = json_object_get(doc, "interactions");
	CHECK_INT(json_array_size(interactions), 1);
	CHECK_STR(json_str(json_array_get(interactions, 0), "summary"), SUMMARY);
	json_t *inquiries = json_object_get(doc, "inquiries");
	CHECK_INT(json_array_size(inquiries), 1);
	CHECK_STR(json_str(json_array_get(inquiries, 0), "message"), MESSAGE);
	CHECK_STR(json_str(json_array_get(inquiries, 0), "reply"), "Of course, Ane.");
	/* Messages to her: two bookings, a cancellation, the inquiry's acknowledgement
	 * and answer; with their bodies. */
	json_t *outbox = json_object_get(doc, "outbox");
	CHECK_INT(json_array_size(outbox), 5);
	CHECK(contains(outbox, "Of course, Ane."));
	CHECK(json_str(json_array_get(outbox, 0), "body") != NULL);
	CHECK_INT(json_array_size(json_object_get(doc, "calendar_feeds")), 1);
	json_t *registrations = json_object_get(doc, "event_registrations");
	CHECK_INT(json_array_size(registrations), 1);
	CHECK_INT(ival(json_array_get(registrations, 0), "event_id"), event_id);
	json_t *contributions = json_object_get(doc, "contributions");
	CHECK_INT(json_array_size(contributions), 1);
	CHECK_STR(json_str(json_array_get(contributions, 0), "body"), CONTRIBUTION);
	CHECK_STR(json_str(json_array_get(contributions, 0), "credit_name"), CREDIT);
	json_t *audit = json_object_get(doc, "audit");
	CHECK(json_array_size(audit) >= 4);
	CHECK(contains(audit, "client.update") && contains(audit, "interaction.create"));
	CHECK(contains(audit, "user.register") && contains(audit, "lesson.book"));
	/* Nothing of anyone else. */
	CHECK(!contains(doc, OTHER_EMAIL));
	CHECK(!contains(doc, "Other Student"));
	json_decref(doc);
	/* Audited. */
	json_t *all = audit_all();
	CHECK(contains(all, "client.export"));
	json_decref(all);
	CHECK_INT(api_status(&admin, "GET", "/api/v1/clients/987654/export", NULL), 404);
	snprintf(path, sizeof path, "/api/v1/clients/%lld/export", (long long)ane_client);
	CHECK_INT(api_status(&staff, "GET", path, NULL), 403);
}

static void test_erase(void)
{
	char path[96];
	struct http_response r;
	snprintf(path, sizeof path, "/api/v1/clients/%lld/erase", (long long)ane_client);
	CHECK_INT(api_status(&admin, "POST", path, "{\"why\":1}"), 422);
	CHECK_INT(api_status(&admin, "POST", "/api/v1/clients/987654/erase", NULL), 404);
	CHECK_INT(api_status(&ane, "GET", "/api/v1/me", NULL), 200);

	api_call(&admin, "POST", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK_STR(json_str(r.json, "full_name"), "erased");
	CHECK(json_is_null(json_object_get(r.json, "email")));
	CHECK(json_is_null(json_object_get(r.json, "phone")));
	CHECK(json_is_null(json_object_get(r.json, "guardian")));
	CHECK(json_is_null(json_object_get(r.json, "preferred_channel")));
	CHECK_STR(json_str(r.json, "notes"), "");
	CHECK_INT(ival(r.json, "id"), ane_client);
	char *first = json_dumps(r.json, JSON_SORT_KEYS);
	http_response_free(&r);

	/* Her session is over and she cannot log in again, with either address. */
	CHECK_INT(api_status(&ane, "GET", "/api/v1/me", NULL), 401);
	struct api_client again;
	api_client_at(&again, server.port, "10.5.0.9");
	CHECK_INT(api_login(&again, ANE_EMAIL, PW), 401);
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)ane_user);
	json_t *user = get_json(&admin, path, 200);
	CHECK(json_is_false(json_object_get(user, "active")));
	CHECK_STR(json_str(user, "full_name"), "erased");
	CHECK(!contains(user, ANE_EMAIL));
	json_decref(user);
	/* Her feed is gone. */
	CHECK_INT(api_status(&anon, "GET", feed_url, NULL), 404);
	/* The contract and its amounts stay for the books. */
	snprintf(path, sizeof path, "/api/v1/contracts/%lld", (long long)contract_id);
	json_t *contract = get_json(&staff, path, 200);
	CHECK_INT(ival(contract, "price_cents"), 3000);
	CHECK_INT(ival(contract, "client_id"), ane_client);
	json_decref(contract);

	/* The export now holds nothing that names her. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld/export", (long long)ane_client);
	json_t *doc = get_json(&admin, path, 200);
	static const char *const gone[] = {ANE_NAME,          ANE_EMAIL, ANE_PHONE, GUARDIAN,
					   "miren@",          NOTE,      SUMMARY,   MESSAGE,
					   "Of course, Ane.", "Pribatua"};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
		CHECK(!contains(doc, gone[i]));
		if (contains(doc, gone[i]))
			fprintf(stderr, "  the export after erasure still holds \"%s\"\n", gone[i]);
	}
	CHECK_INT(json_array_size(json_object_get(doc, "contracts")), 2);
	CHECK_INT(json_array_size(json_object_get(doc, "lessons")), 2);
	CHECK_INT(json_array_size(json_object_get(doc, "calendar_feeds")), 0);
	json_t *interactions = json_object_get(doc, "interactions");
	CHECK_STR(json_str(json_array_get(interactions, 0), "summary"), "erased");
	json_t *contribution = json_array_get(json_object_get(doc, "contributions"), 0);
	CHECK_STR(json_str(contribution, "credit_name"), "erased");
	CHECK_STR(json_str(contribution, "status"), "rejected");
	CHECK_INT(json_array_size(json_object_get(doc, "event_registrations")), 0);
	json_decref(doc);
	/* Her contribution is taken down and emptied; her place at the event is free. */
	json_t *published = get_json(&anon, "/api/v1/contributions", 200);
	CHECK(!contains(published, CREDIT) && !contains(published, CONTRIBUTION));
	json_decref(published);
	json_t *events = get_json(&anon, "/api/v1/events", 200);
	json_t *ev;
	size_t k;
	json_array_foreach(json_object_get(events, "items"), k, ev) if (ival(ev, "id") == event_id)
		CHECK_INT(ival(ev, "places_left"), 5);
	json_decref(events);
	/* The inquiry (found by her old address before it went) and the messages. */
	json_t *inquiries = get_json(&staff, "/api/v1/inquiries", 200);
	json_t *item;
	size_t i;
	json_array_foreach(json_object_get(inquiries, "items"), i, item)
	{
		CHECK(!contains(item, ANE_NAME) && !contains(item, MESSAGE));
	}
	CHECK(contains(inquiries, "erased"));
	json_decref(inquiries);
	json_t *outbox = get_json(&admin, "/api/v1/outbox?limit=200", 200);
	CHECK(!contains(outbox, ANE_EMAIL) && !contains(outbox, ANE_NAME));
	size_t erased = 0;
	json_array_foreach(json_object_get(outbox, "items"), i,
			   item) if (json_is_null(json_object_get(item, "to")))
	{
		erased++;
		/* Without a relay they were all still queued: now nothing is to go. */
		CHECK_STR(json_str(item, "state"), "cancelled");
	}
	CHECK_INT(erased, 5);
	json_decref(outbox);
	/* Nor does the audit log; who did what stays, and the erasure is recorded. */
	json_t *all = audit_all();
	CHECK(!contains(all, ANE_PHONE) && !contains(all, NOTE) && !contains(all, SUMMARY));
	CHECK(!contains(all, GUARDIAN));
	CHECK(contains(all, "client.erase"));
	json_decref(all);
	/* Another client is untouched. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)other_client);
	json_t *untouched = get_json(&staff, path, 200);
	CHECK_STR(json_str(untouched, "email"), OTHER_EMAIL);
	json_decref(untouched);
	CHECK_INT(api_status(&other, "GET", "/api/v1/me", NULL), 200);

	/* Erasing again is harmless: the same answer. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld/erase", (long long)ane_client);
	api_call(&admin, "POST", path, "{}", &r);
	CHECK_INT(r.status, 200);
	char *second = json_dumps(r.json, JSON_SORT_KEYS);
	CHECK_STR(second, first);
	http_response_free(&r);
	free(first);
	free(second);
	/* A phone client without a user can be erased too. */
	json_int_t walk_in = 0;
	api_call(&staff, "POST", "/api/v1/clients",
		 "{\"full_name\":\"Walk In\",\"phone\":\"+34 600 000 111\"}", &r);
	walk_in = ival(r.json, "id");
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/clients/%lld/erase", (long long)walk_in);
	api_call(&admin, "POST", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(json_is_null(json_object_get(r.json, "phone")));
	http_response_free(&r);
}

/* All or nothing: erasing the client of the last active admin is refused with
 * 409 and leaves every table as it was. */
static void test_erase_is_one_transaction(void)
{
	struct api_client boss;
	struct http_response r;
	char path[96];
	api_client_at(&boss, server.port, "10.5.0.7");
	CHECK_INT(api_register(&boss, "boss@example.com", PW, "Boss Student"), 201);
	api_call(&boss, "GET", "/api/v1/me", NULL, &r);
	json_int_t boss_user = ival(http_json(&r, "user"), "id");
	json_int_t boss_client = ival(http_json(&r, "client"), "id");
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/clients/%lld/interactions", (long long)boss_client);
	CHECK(post_id(&staff, path,
		      "{\"channel\":\"email\",\"direction\":\"out\",\"summary\":"
		      "\"Boss summary\"}",
		      201) > 0);
	/* Boss becomes the only active admin. */
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)boss_user);
	CHECK_INT(api_status(&admin, "PATCH", path, "{\"role\":\"admin\"}"), 200);
	struct api_client boss_admin;
	api_client_at(&boss_admin, server.port, "10.5.0.8");
	CHECK_INT(api_login(&boss_admin, "boss@example.com", PW), 200);
	api_call(&admin, "GET", "/api/v1/me", NULL, &r);
	json_int_t admin_user = ival(http_json(&r, "user"), "id");
	http_response_free(&r);
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)admin_user);
	CHECK_INT(api_status(&boss_admin, "PATCH", path, "{\"active\":false}"), 200);

	snprintf(path, sizeof path, "/api/v1/clients/%lld/erase", (long long)boss_client);
	api_call(&boss_admin, "POST", path, NULL, &r);
	CHECK_INT(r.status, 409);
	CHECK_STR(http_error_code(&r), "conflict");
	http_response_free(&r);
	/* Nothing changed: not the record, not the interaction, not the user. */
	snprintf(path, sizeof path, "/api/v1/clients/%lld", (long long)boss_client);
	json_t *client = get_json(&staff, path, 200);
	CHECK_STR(json_str(client, "full_name"), "Boss Student");
	CHECK_STR(json_str(client, "email"), "boss@example.com");
	json_decref(client);
	snprintf(path, sizeof path, "/api/v1/clients/%lld/interactions", (long long)boss_client);
	json_t *list = get_json(&staff, path, 200);
	CHECK(contains(list, "Boss summary"));
	json_decref(list);
	CHECK_INT(api_status(&boss_admin, "GET", "/api/v1/me", NULL), 200);
}

/* ---- the export against docs/openapi.yaml ------------------------------------- */

/* docs/openapi.yaml, read whole (caller frees), or NULL. */
static char *read_openapi(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/../docs/openapi.yaml", ts_web_dir());
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = calloc(1, 1 << 20);
	size_t len = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (text)
		text[len] = '\0';
	return text;
}

/* The block of components/schemas/name: from its line to the next line indented
 * four spaces or less (borrowed from yaml, cut with a NUL into a copy). */
static char *schema_block(const char *yaml, const char *name)
{
	char head[96];
	snprintf(head, sizeof head, "\n    %s:\n", name);
	const char *start = yaml ? strstr(yaml, head) : NULL;
	if (!start)
		return NULL;
	start += strlen(head);
	const char *end = start;
	while ((end = strchr(end, '\n')) && (strncmp(end + 1, "     ", 5) == 0 || end[1] == '\n'))
		end++;
	size_t len = end ? (size_t)(end - start) : strlen(start);
	char *block = malloc(len + 1);
	if (block) {
		memcpy(block, start, len);
		block[len] = '\0';
	}
	return block;
}

/* The schema's own property names (indented eight spaces under "properties:"). */
static json_t *schema_properties(const char *block)
{
	json_t *names = json_array();
	const char *p = block ? strstr(block, "      properties:\n") : NULL;
	for (p = p ? strchr(p, '\n') : NULL; p && strncmp(p + 1, "        ", 8) == 0;
	     p = strchr(p + 1, '\n')) {
		const char *name = p + 9;
		if (*name == ' ')
			continue; /* deeper: a property's own fields */
		const char *colon = strchr(name, ':');
		if (colon)
			json_array_append_new(names, json_stringn(name, (size_t)(colon - name)));
	}
	return names;
}

/* The schema's required list ("      required: [a, b,\n   c]"). */
static json_t *schema_required(const char *block)
{
	json_t *names = json_array();
	const char *p = block ? strstr(block, "\n      required: [") : NULL;
	if (!p)
		p = block && strncmp(block, "      required: [", 16) == 0 ? block - 1 : NULL;
	const char *end = p ? strchr(p, ']') : NULL;
	for (p = p ? strchr(p, '[') + 1 : NULL; p && p < end;) {
		while (p < end && (*p == ' ' || *p == ',' || *p == '\n'))
			p++;
		const char *word = p;
		while (p < end && *p != ',' && *p != ' ' && *p != '\n')
			p++;
		if (p > word)
			json_array_append_new(names, json_stringn(word, (size_t)(p - word)));
	}
	return names;
}

static bool listed(json_t *names, const char *name)
{
	size_t i;
	json_t *n;
	json_array_foreach(names, i, n) if (strcmp(json_string_value(n), name) == 0) return true;
	return false;
}

/* obj has every required key and no key the schema does not declare. */
static void check_against(json_t *obj, const char *yaml, const char *schema)
{
	char *block = schema_block(yaml, schema);
	json_t *props = schema_properties(block), *required = schema_required(block);
	const char *key;
	json_t *value, *n;
	size_t i;
	CHECK(json_array_size(props) > 0 && json_array_size(required) > 0);
	json_object_foreach(obj, key, value) if (!listed(props, key))
	{
		CHECK(listed(props, key));
		fprintf(stderr, "  %s: \"%s\" is not in docs/openapi.yaml\n", schema, key);
	}
	json_array_foreach(required, i, n) if (!json_object_get(obj, json_string_value(n)))
	{
		CHECK(json_object_get(obj, json_string_value(n)) != NULL);
		fprintf(stderr, "  %s: required \"%s\" is missing\n", schema, json_string_value(n));
	}
	json_decref(props);
	json_decref(required);
	free(block);
}

static void test_export_matches_its_schema(void)
{
	char path[96];
	char *yaml = read_openapi();
	CHECK(yaml != NULL);
	snprintf(path, sizeof path, "/api/v1/clients/%lld/export", (long long)ane_client);
	json_t *doc = get_json(&admin, path, 200);
	check_against(doc, yaml, "ClientExport");
	json_t *audit = json_object_get(doc, "audit"), *entry;
	size_t i;
	CHECK(json_array_size(audit) > 0);
	json_array_foreach(audit, i, entry) check_against(entry, yaml, "AuditEntry");
	/* A change without a user (the command line's) has a null actor_email; the
	 * student's own changes name her. */
	bool by_her = false;
	json_array_foreach(audit, i, entry)
	{
		CHECK(json_is_null(json_object_get(entry, "actor_id")) ==
		      json_is_null(json_object_get(entry, "actor_email")));
		if (json_str(entry, "actor_email") &&
		    !strcmp(json_str(entry, "actor_email"), ANE_EMAIL))
			by_her = true;
	}
	CHECK(by_her);
	json_decref(doc);
	free(yaml);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	if (!ts_start(&server, args))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}
	RUN(test_export);
	RUN(test_export_matches_its_schema);
	RUN(test_erase);
	RUN(test_erase_is_one_transaction);
	CHECK_INT(ts_stop(&server), 0);
	return CHECK_EXIT();
}
