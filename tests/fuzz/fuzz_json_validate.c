// SPDX-License-Identifier: MIT
// libFuzzer harness: bytes -> json_loadb -> every hm_validate_* reader on the fields
// API.md's request bodies use, then the collected field errors. Properties (abort()
// when broken): a reader that reports no error for a present field hands back a
// value that satisfies its contract (text valid and within its length, e-mail
// normalised, enum index in range, integer within [min, max]); a failed validation
// yields a non-empty JSON object of field -> string.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harreman/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                                     \
	do {                                                                          \
		fprintf(stderr, "fuzz_json_validate: property broken: " __VA_ARGS__); \
		fprintf(stderr, "\n");                                                \
		abort();                                                              \
	} while (0)

static bool field_ok(const struct hm_validation *v, const char *field)
{
	return !v->fields || !json_object_get(v->fields, field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return -1;
	json_error_t err;
	/* The dispatcher's flags for request bodies. */
	json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!obj)
		return 0;
	if (!json_is_object(obj)) {
		json_decref(obj);
		return 0;
	}

	static const char *const allowed[] = {
		"name",      "email",    "password",         "phone",     "notes",   "role",
		"active",    "capacity", "duration_minutes", "summary",   "message", "channel",
		"full_name", "tutor_id", "service_id",       "starts_at", NULL};
	static const char *const read_only[] = {"id", "created_at", NULL};
	static const char *const roles[] = {"student", "staff", "admin", NULL};
	static const char *const channels[] = {"email", "phone", "whatsapp", "web", NULL};

	struct hm_validation v;
	hm_validation_init(&v);
	hm_validate_known(&v, obj, allowed, read_only);

	const char *name = NULL;
	hm_validate_text(&v, obj, "name", true, HM_MAX_NAME, &name);
	if (name && field_ok(&v, "name") && !hm_text_is_valid(name, HM_MAX_NAME))
		FAIL("hm_validate_text accepted an invalid name");

	char email[HM_MAX_EMAIL + 1] = "";
	bool email_present = false;
	hm_validate_email(&v, obj, "email", false, email, &email_present);
	if (email_present && field_ok(&v, "email")) {
		char again[HM_MAX_EMAIL + 1];
		if (strnlen(email, sizeof email) > HM_MAX_EMAIL || !strchr(email, '@'))
			FAIL("hm_validate_email accepted \"%.40s\"", email);
		if (!hm_email_normalize(email, again) || strcmp(again, email) != 0)
			FAIL("hm_validate_email output not normalised: \"%.40s\"", email);
	}

	const char *password = NULL;
	hm_validate_password(&v, obj, "password", &password);
	if (password && field_ok(&v, "password") && strlen(password) > 1024)
		FAIL("hm_validate_password accepted %zu bytes", strlen(password));
	const char *attempt = NULL;
	struct hm_validation v2;
	hm_validation_init(&v2);
	hm_validate_password_attempt(&v2, obj, "password", &attempt);
	/* Whatever a new password accepts, a login attempt accepts too. */
	if (password && field_ok(&v, "password") && !hm_validation_ok(&v2))
		FAIL("password accepted by hm_validate_password refused at login");
	hm_validation_release(&v2);

	const char *phone = NULL;
	bool phone_present = false;
	hm_validate_text_or_empty(&v, obj, "phone", HM_MAX_PHONE, &phone, &phone_present);

	const char *notes = NULL, *summary = NULL, *message = NULL;
	hm_validate_long_text(&v, obj, "notes", false, HM_MAX_TEXT, &notes);
	hm_validate_long_text(&v, obj, "summary", false, HM_MAX_TEXT, &summary);
	hm_validate_long_text(&v, obj, "message", false, HM_MAX_LONG_TEXT, &message);
	if (message && field_ok(&v, "message") && hm_utf8_chars(message) > HM_MAX_LONG_TEXT)
		FAIL("hm_validate_long_text accepted an over-long message");

	int role = -1, channel = -1;
	hm_validate_enum(&v, obj, "role", false, roles, &role);
	if (role != -1 && field_ok(&v, "role") && (role < 0 || role > 2))
		FAIL("hm_validate_enum: role index %d", role);
	hm_validate_enum(&v, obj, "channel", false, channels, &channel);
	if (channel != -1 && field_ok(&v, "channel") && (channel < 0 || channel > 3))
		FAIL("hm_validate_enum: channel index %d", channel);

	bool active = false, active_present = false;
	hm_validate_bool(&v, obj, "active", false, &active, &active_present);

	int64_t capacity = 0, duration = 0;
	bool cap_present = false, dur_present = false;
	hm_validate_int(&v, obj, "capacity", false, 1, 50, &capacity, &cap_present);
	if (cap_present && field_ok(&v, "capacity") && (capacity < 1 || capacity > 50))
		FAIL("hm_validate_int: capacity %lld", (long long)capacity);
	hm_validate_int(&v, obj, "duration_minutes", false, INT64_MIN, INT64_MAX, &duration,
			&dur_present);

	if (!hm_validation_ok(&v)) {
		json_t *fields = hm_validation_take(&v);
		if (!v.oom) {
			if (!json_is_object(fields) || json_object_size(fields) == 0)
				FAIL("failed validation without fields");
			const char *key;
			json_t *value;
			json_object_foreach(fields, key, value) if (!json_is_string(value))
				FAIL("field %s: message is not a string", key);
		}
		char *dump = json_dumps(fields, JSON_COMPACT);
		free(dump);
		json_decref(fields);
	}
	hm_validation_release(&v);
	json_decref(obj);
	return 0;
}
