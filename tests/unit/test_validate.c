// SPDX-License-Identifier: MIT
// Request validation: each bad field gets its own message, types are strict,
// lengths count characters (not bytes), e-mails are normalised.
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/validate.h"

static json_t *parse(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	CHECK(j != NULL);
	return j;
}

static const char *message(struct hm_validation *v, const char *field)
{
	return json_string_value(json_object_get(v->fields, field));
}

static void test_email_normalisation(void)
{
	char out[HM_MAX_EMAIL + 1];
	CHECK(hm_email_normalize("Ane.Etxeberria@Example.EUS", out));
	CHECK_STR(out, "ane.etxeberria@example.eus");
	CHECK(hm_email_normalize("a+tag@sub.example.com", out));
	static const char *const bad[] = {
		"",          "plain",    "@example.com", "a@",        "a@b",        "a@@b.com",
		"a b@c.com", "a@b .com", ".a@b.com",     "a.@b.com",  "a..b@c.com", "a@.b.com",
		"a@b.com.",  "a@-b.com", "ä@b.com",      "a@b_c.com", "a\n@b.com",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(!hm_email_normalize(bad[i], out));
		if (hm_email_normalize(bad[i], out))
			fprintf(stderr, "   accepted: \"%s\"\n", bad[i]);
	}
	/* 254 characters is the limit; 255 is over. */
	char longest[300];
	memset(longest, 'a', 64);
	longest[64] = '@';
	memset(longest + 65, 'b', 185);
	memcpy(longest + 250, ".com", 5);
	CHECK_INT(strlen(longest), 254);
	CHECK(hm_email_normalize(longest, out));
	memset(longest + 65, 'b', 186);
	memcpy(longest + 251, ".com", 5);
	CHECK(!hm_email_normalize(longest, out));
	char local_too_long[128];
	memset(local_too_long, 'a', 65);
	memcpy(local_too_long + 65, "@b.com", 7);
	CHECK(!hm_email_normalize(local_too_long, out));
}

static void test_text_counts_characters_not_bytes(void)
{
	char name[2 * 201 + 1];
	/* 200 "ñ" are 400 bytes but 200 characters: allowed. */
	for (int i = 0; i < 200; i++)
		memcpy(name + 2 * i, "\xc3\xb1", 2);
	name[400] = '\0';
	CHECK_INT(hm_utf8_chars(name), 200);
	CHECK(hm_text_is_valid(name, HM_MAX_NAME));
	memcpy(name + 400, "\xc3\xb1", 2);
	name[402] = '\0';
	CHECK(!hm_text_is_valid(name, HM_MAX_NAME));
	CHECK(!hm_text_is_valid("", HM_MAX_NAME));
	CHECK(!hm_text_is_valid("   ", HM_MAX_NAME));
	CHECK(!hm_text_is_valid("tab\there", HM_MAX_NAME));
	CHECK(!hm_text_is_valid("bell\x07", HM_MAX_NAME));
	CHECK(hm_text_is_valid(" Miren ", HM_MAX_NAME));
}

static void test_every_bad_field_is_reported(void)
{
	static const char *const allowed[] = {"email",  "password", "full_name", "age",
					      "active", "role",     NULL};
	static const char *const read_only[] = {"id", NULL};
	static const char *const roles[] = {"student", "staff", NULL};
	json_t *body = parse("{\"email\": 5, \"password\": \"short\", \"full_name\": \"\","
			     " \"id\": 3, \"extra\": true, \"age\": 1.0, \"active\": \"yes\","
			     " \"role\": \"king\"}");
	struct hm_validation v;
	char email[HM_MAX_EMAIL + 1];
	const char *pw = NULL, *name = NULL;
	int64_t age = 0;
	bool active = false, present = false;
	int role = -1;
	hm_validation_init(&v);
	hm_validate_known(&v, body, allowed, read_only);
	hm_validate_email(&v, body, "email", true, email, NULL);
	hm_validate_password(&v, body, "password", &pw);
	hm_validate_text(&v, body, "full_name", true, HM_MAX_NAME, &name);
	hm_validate_int(&v, body, "age", true, 0, 150, &age, NULL);
	hm_validate_bool(&v, body, "active", false, &active, &present);
	hm_validate_enum(&v, body, "role", true, roles, &role);
	CHECK(!hm_validation_ok(&v));
	CHECK_STR(message(&v, "email"), "must be a valid e-mail address");
	CHECK_STR(message(&v, "password"), "must be at least 10 characters");
	CHECK(message(&v, "full_name") != NULL);
	CHECK_STR(message(&v, "id"), "is read-only");
	CHECK_STR(message(&v, "extra"), "unknown field");
	CHECK_STR(message(&v, "age"), "must be a whole number");
	CHECK_STR(message(&v, "active"), "must be true or false");
	CHECK_STR(message(&v, "role"), "must be one of: student, staff");
	CHECK(pw == NULL && name == NULL && role == -1 && !present);
	hm_validation_release(&v);
	json_decref(body);
}

static void test_good_fields_are_read(void)
{
	json_t *body = parse(
		"{\"email\": \"Ane@Example.com\", \"password\": \"0123456789\","
		" \"full_name\": \"Ane\", \"n\": 7, \"flag\": false, \"kind\": \"b\"}");
	static const char *const kinds[] = {"a", "b", NULL};
	struct hm_validation v;
	char email[HM_MAX_EMAIL + 1];
	const char *pw = NULL, *name = NULL;
	int64_t n = 0;
	bool flag = true, present = false, email_present = false;
	int kind = -1;
	hm_validation_init(&v);
	hm_validate_email(&v, body, "email", true, email, &email_present);
	hm_validate_password(&v, body, "password", &pw);
	hm_validate_text(&v, body, "full_name", true, HM_MAX_NAME, &name);
	hm_validate_int(&v, body, "n", true, 1, 10, &n, NULL);
	hm_validate_bool(&v, body, "flag", true, &flag, &present);
	hm_validate_enum(&v, body, "kind", true, kinds, &kind);
	CHECK(hm_validation_ok(&v));
	CHECK_STR(email, "ane@example.com");
	CHECK(email_present);
	CHECK_STR(pw, "0123456789");
	CHECK_STR(name, "Ane");
	CHECK_INT(n, 7);
	CHECK(!flag && present);
	CHECK_INT(kind, 1);
	hm_validation_release(&v);
	json_decref(body);
}

static void test_missing_optional_fields_are_fine(void)
{
	json_t *body = parse("{}");
	struct hm_validation v;
	const char *name = "unchanged";
	int64_t n = 3;
	hm_validation_init(&v);
	hm_validate_text(&v, body, "full_name", false, HM_MAX_NAME, &name);
	hm_validate_int(&v, body, "n", false, 1, 10, &n, NULL);
	CHECK(hm_validation_ok(&v));
	CHECK_STR(name, "unchanged");
	CHECK_INT(n, 3);
	hm_validate_text(&v, body, "full_name", true, HM_MAX_NAME, &name);
	CHECK_STR(message(&v, "full_name"), "is required");
	hm_validation_release(&v);
	json_decref(body);
}

static void test_integers_are_strict(void)
{
	json_t *body = parse("{\"a\": \"5\", \"b\": 11, \"c\": true, \"d\": -1}");
	struct hm_validation v;
	int64_t x = 0;
	hm_validation_init(&v);
	hm_validate_int(&v, body, "a", true, 0, 10, &x, NULL);
	hm_validate_int(&v, body, "b", true, 0, 10, &x, NULL);
	hm_validate_int(&v, body, "c", true, 0, 10, &x, NULL);
	hm_validate_int(&v, body, "d", true, 0, 10, &x, NULL);
	CHECK_STR(message(&v, "a"), "must be a whole number");
	CHECK_STR(message(&v, "b"), "is out of range");
	CHECK_STR(message(&v, "c"), "must be a whole number");
	CHECK_STR(message(&v, "d"), "is out of range");
	CHECK_INT(x, 0);
	hm_validation_release(&v);
	json_decref(body);
}

static void test_password_bounds(void)
{
	char *long_pw = malloc(1100);
	memset(long_pw, 'x', 1025);
	long_pw[1025] = '\0';
	json_t *body = json_pack("{s:s, s:s, s:s}", "ok", "ñññññññññň", "long", long_pw, "nine",
				 "123456789");
	struct hm_validation v;
	const char *pw = NULL;
	hm_validation_init(&v);
	hm_validate_password(&v, body, "ok", &pw);
	CHECK(hm_validation_ok(&v)); /* ten characters, more bytes */
	hm_validate_password(&v, body, "long", &pw);
	hm_validate_password(&v, body, "nine", &pw);
	CHECK_STR(message(&v, "long"), "must be at most 1024 bytes");
	CHECK_STR(message(&v, "nine"), "must be at least 10 characters");
	hm_validation_release(&v);
	json_decref(body);
	free(long_pw);
}

/* Valid JSON that this API cannot hold is a 422 naming the field, not a 400. */
static void test_body_parse_names_unholdable_values(void)
{
	json_t *out = NULL, *fields = NULL;
	static const char nul[] = "{\"full_name\":\"Ane\\u0000x\",\"phone\":\"1\"}";
	CHECK_INT(hm_body_parse(nul, strlen(nul), &out, &fields), HM_BODY_INVALID);
	CHECK(out == NULL);
	CHECK_STR(json_string_value(json_object_get(fields, "full_name")),
		  "must not contain a NUL character");
	CHECK_INT(json_object_size(fields), 1);
	json_decref(fields);

	static const char big[] =
		"{\"items\":[{\"percent\":5},{\"percent\":99999999999999999999}]}";
	CHECK_INT(hm_body_parse(big, strlen(big), &out, &fields), HM_BODY_INVALID);
	CHECK_STR(json_string_value(json_object_get(fields, "items[1].percent")),
		  "is out of range");
	CHECK_INT(json_object_size(fields), 1);
	json_decref(fields);

	static const char huge[] = "{\"n\":1e999}";
	CHECK_INT(hm_body_parse(huge, strlen(huge), &out, &fields), HM_BODY_INVALID);
	CHECK_STR(json_string_value(json_object_get(fields, "body")),
		  "holds a number out of range");
	json_decref(fields);

	static const char fine[] = "{\"n\":9223372036854775807,\"s\":\"a\\u00e9\"}";
	CHECK_INT(hm_body_parse(fine, strlen(fine), &out, &fields), HM_BODY_OK);
	CHECK(fields == NULL);
	CHECK(json_integer_value(json_object_get(out, "n")) == INT64_MAX);
	json_decref(out);

	static const char *const bad[] = {"{", "[1]", "\"x\"", "{\"a\":1,\"a\":2}", "{\"a\":1]"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(hm_body_parse(bad[i], strlen(bad[i]), &out, &fields), HM_BODY_BAD_JSON);
		CHECK(out == NULL && fields == NULL);
	}
}

int main(void)
{
	RUN(test_email_normalisation);
	RUN(test_text_counts_characters_not_bytes);
	RUN(test_every_bad_field_is_reported);
	RUN(test_good_fields_are_read);
	RUN(test_missing_optional_fields_are_fine);
	RUN(test_integers_are_strict);
	RUN(test_password_bounds);
	RUN(test_body_parse_names_unholdable_values);
	return CHECK_EXIT();
}
