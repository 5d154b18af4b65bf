// SPDX-License-Identifier: MIT
// Request body validation that collects one message per field
// (include/harreman/validate.h). Jansson has already refused invalid UTF-8 and
// NUL bytes inside strings, so the checks here are about meaning, not encoding.
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "harreman/validate.h"
#include "harreman/banned.h"

void hm_validation_init(struct hm_validation *v)
{
	v->fields = NULL;
	v->oom = false;
}

void hm_validation_release(struct hm_validation *v)
{
	json_decref(v->fields);
	v->fields = NULL;
}

void hm_validation_fail(struct hm_validation *v, const char *field, const char *message)
{
	if (!v->fields)
		v->fields = json_object();
	if (!v->fields) {
		v->oom = true;
		return;
	}
	if (json_object_get(v->fields, field))
		return;
	if (json_object_set_new(v->fields, field, json_string(message)) != 0)
		v->oom = true;
}

bool hm_validation_ok(const struct hm_validation *v)
{
	return !v->fields && !v->oom;
}

json_t *hm_validation_take(struct hm_validation *v)
{
	json_t *fields = v->fields;
	v->fields = NULL;
	return fields;
}

static bool in_list(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(key, *list) == 0)
			return true;
	return false;
}

void hm_validate_known(struct hm_validation *v, json_t *obj, const char *const *allowed,
		       const char *const *read_only)
{
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value)
	{
		if (in_list(key, allowed))
			continue;
		hm_validation_fail(v, key,
				   in_list(key, read_only) ? "is read-only" : "unknown field");
	}
}

size_t hm_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool hm_text_is_valid(const char *s, size_t max_chars)
{
	size_t len = strlen(s);
	size_t start = 0;
	while (start < len && s[start] == ' ')
		start++;
	if (start == len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return false;
	}
	return hm_utf8_chars(s) <= max_chars;
}

/* Multi-line text: tabs and newlines allowed, other control characters not. */
static bool long_text_is_valid(const char *s, size_t max_chars)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F)
			return false;
	}
	return hm_utf8_chars(s) <= max_chars;
}

static json_t *get_field(json_t *obj, const char *field)
{
	return obj ? json_object_get(obj, field) : NULL;
}

void hm_validate_text(struct hm_validation *v, json_t *obj, const char *field, bool required,
		      size_t max_chars, const char **out)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_string(value)) {
		hm_validation_fail(v, field, "must be a string");
		return;
	}
	const char *s = json_string_value(value);
	if (hm_utf8_chars(s) > max_chars) {
		hm_validation_fail(v, field,
				   max_chars == HM_MAX_NAME ? "must be at most 200 characters"
							    : "is too long");
		return;
	}
	if (!hm_text_is_valid(s, max_chars)) {
		hm_validation_fail(v, field, "must not be empty or contain control characters");
		return;
	}
	*out = s;
}

void hm_validate_long_text(struct hm_validation *v, json_t *obj, const char *field, bool required,
			   size_t max_chars, const char **out)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_string(value)) {
		hm_validation_fail(v, field, "must be a string");
		return;
	}
	const char *s = json_string_value(value);
	if (hm_utf8_chars(s) > max_chars) {
		hm_validation_fail(v, field, "is too long");
		return;
	}
	if (!long_text_is_valid(s, max_chars)) {
		hm_validation_fail(v, field, "must not contain control characters");
		return;
	}
	if (required && strspn(s, " \t\r\n") == strlen(s)) {
		hm_validation_fail(v, field, "must not be empty");
		return;
	}
	*out = s;
}

void hm_validate_text_or_empty(struct hm_validation *v, json_t *obj, const char *field,
			       size_t max_chars, const char **out, bool *present)
{
	json_t *value = get_field(obj, field);
	if (!value)
		return;
	*present = true;
	if (json_is_null(value)) {
		*out = NULL;
		return;
	}
	if (!json_is_string(value)) {
		hm_validation_fail(v, field, "must be a string or null");
		return;
	}
	const char *s = json_string_value(value);
	if (hm_utf8_chars(s) > max_chars) {
		hm_validation_fail(v, field, "is too long");
		return;
	}
	if (!long_text_is_valid(s, max_chars)) {
		hm_validation_fail(v, field, "must not contain control characters");
		return;
	}
	*out = s;
}

bool hm_email_normalize(const char *in, char out[HM_MAX_EMAIL + 1])
{
	size_t len = strlen(in);
	if (len < 3 || len > HM_MAX_EMAIL)
		return false;
	const char *at = strchr(in, '@');
	if (!at || strchr(at + 1, '@'))
		return false;
	size_t local = (size_t)(at - in);
	const char *domain = at + 1;
	size_t dlen = strlen(domain);
	if (local == 0 || local > 64 || dlen < 3 || !strchr(domain, '.'))
		return false;
	if (in[0] == '.' || at[-1] == '.' || domain[0] == '.' || domain[0] == '-' ||
	    domain[dlen - 1] == '.' || domain[dlen - 1] == '-' || strstr(in, ".."))
		return false;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)in[i];
		if (!isalnum(c) && !strchr("!#$%&'*+-/=?^_`{|}~.", c))
			return false;
	}
	for (size_t i = 0; i < dlen; i++) {
		unsigned char c = (unsigned char)domain[i];
		if (!isalnum(c) && c != '-' && c != '.')
			return false;
	}
	for (size_t i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	return true;
}

void hm_validate_email(struct hm_validation *v, json_t *obj, const char *field, bool required,
		       char out_buf[HM_MAX_EMAIL + 1], bool *present)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_string(value) || !hm_email_normalize(json_string_value(value), out_buf)) {
		hm_validation_fail(v, field, "must be a valid e-mail address");
		return;
	}
	if (present)
		*present = true;
}

void hm_validate_password(struct hm_validation *v, json_t *obj, const char *field, const char **out)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_string(value)) {
		hm_validation_fail(v, field, "must be a string");
		return;
	}
	size_t len = json_string_length(value);
	if (hm_utf8_chars(json_string_value(value)) < 10) {
		hm_validation_fail(v, field, "must be at least 10 characters");
		return;
	}
	if (len > 1024) {
		hm_validation_fail(v, field, "must be at most 1024 bytes");
		return;
	}
	*out = json_string_value(value);
}

void hm_validate_password_attempt(struct hm_validation *v, json_t *obj, const char *field,
				  const char **out)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value) ||
	    (json_is_string(value) && json_string_length(value) == 0)) {
		hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_string(value)) {
		hm_validation_fail(v, field, "must be a string");
		return;
	}
	if (json_string_length(value) > 1024) {
		hm_validation_fail(v, field, "must be at most 1024 bytes");
		return;
	}
	*out = json_string_value(value);
}

void hm_validate_enum(struct hm_validation *v, json_t *obj, const char *field, bool required,
		      const char *const *choices, int *index)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (json_is_string(value)) {
		for (int i = 0; choices[i]; i++) {
			if (strcmp(json_string_value(value), choices[i]) == 0) {
				*index = i;
				return;
			}
		}
	}
	char message[256] = "must be one of:";
	size_t used = strlen(message);
	for (int i = 0; choices[i] && used < sizeof message - 1; i++) {
		size_t n = strlen(choices[i]);
		if (used + n + 3 >= sizeof message)
			break;
		memcpy(message + used, i ? ", " : " ", i ? 2 : 1);
		used += i ? 2 : 1;
		memcpy(message + used, choices[i], n + 1);
		used += n;
	}
	hm_validation_fail(v, field, message);
}

void hm_validate_bool(struct hm_validation *v, json_t *obj, const char *field, bool required,
		      bool *out, bool *present)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_boolean(value)) {
		hm_validation_fail(v, field, "must be true or false");
		return;
	}
	*out = json_is_true(value);
	if (present)
		*present = true;
}

void hm_validate_int(struct hm_validation *v, json_t *obj, const char *field, bool required,
		     int64_t min, int64_t max, int64_t *out, bool *present)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_integer(value)) {
		hm_validation_fail(v, field, "must be a whole number");
		return;
	}
	json_int_t n = json_integer_value(value);
	if (n < min || n > max) {
		hm_validation_fail(v, field, "is out of range");
		return;
	}
	*out = n;
	if (present)
		*present = true;
}

bool hm_subject_is_valid(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > HM_SUBJECT_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

void hm_validate_subject(struct hm_validation *v, json_t *obj, const char *field, bool required,
			 const char **out)
{
	json_t *value = get_field(obj, field);
	if (!value || json_is_null(value)) {
		if (required)
			hm_validation_fail(v, field, "is required");
		return;
	}
	if (!json_is_string(value) || !hm_subject_is_valid(json_string_value(value))) {
		hm_validation_fail(v, field,
				   "must be a subject key: lower-case letters, digits, - or _");
		return;
	}
	*out = json_string_value(value);
}

/* Names each value under path that this API cannot hold: a string with a NUL, a
 * number past 64-bit integers (read as a real by the second parse). */
static bool find_unholdable(json_t *value, const char *path, json_t *fields)
{
	char sub[128];
	if (json_is_string(value) && strlen(json_string_value(value)) != json_string_length(value))
		return json_object_set_new(fields, path,
					   json_string("must not contain a NUL character")) == 0;
	if (json_is_real(value)) {
		double d = json_real_value(value);
		if (d >= 9223372036854775807.0 || d <= -9223372036854775808.0)
			return json_object_set_new(fields, path, json_string("is out of range")) ==
			       0;
		return true;
	}
	if (json_is_object(value)) {
		const char *key;
		json_t *item;
		json_object_foreach(value, key, item)
		{
			snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
			if (!find_unholdable(item, sub, fields))
				return false;
		}
	} else if (json_is_array(value)) {
		size_t i;
		json_t *item;
		json_array_foreach(value, i, item)
		{
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			if (!find_unholdable(item, sub, fields))
				return false;
		}
	}
	return true;
}

enum hm_body_parse hm_body_parse(const char *text, size_t len, json_t **out, json_t **fields)
{
	json_error_t error;
	*out = *fields = NULL;
	json_t *json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
	if (json && json_is_object(json)) {
		*out = json;
		return HM_BODY_OK;
	}
	if (json) {
		json_decref(json);
		return HM_BODY_BAD_JSON;
	}
	enum json_error_code code = json_error_code(&error);
	if (code == json_error_out_of_memory)
		return HM_BODY_NO_MEMORY;
	if (code != json_error_null_character && code != json_error_numeric_overflow &&
	    code != json_error_null_byte_in_key)
		return HM_BODY_BAD_JSON;
	/* Valid JSON all the same: find the values, or say what the body holds. */
	json = json_loadb(text, len,
			  JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL,
			  &error);
	if (json && !json_is_object(json)) {
		json_decref(json);
		return HM_BODY_BAD_JSON;
	}
	json_t *found = json_object();
	if (!found) {
		json_decref(json);
		return HM_BODY_NO_MEMORY;
	}
	bool ok = json ? find_unholdable(json, "", found) : true;
	json_decref(json);
	if (ok && json_object_size(found) == 0) /* a NUL in a key, a number past a double */
		ok = json_object_set_new(
			     found, "body",
			     json_string(code == json_error_numeric_overflow
						 ? "holds a number out of range"
						 : "holds a NUL character in a field name")) == 0;
	if (!ok) {
		json_decref(found);
		return HM_BODY_NO_MEMORY;
	}
	*fields = found;
	return HM_BODY_INVALID;
}

/* Reports every message of sub under prefix + its field ("translations.es.");
 * true when there was one. */
static bool fail_nested(struct hm_validation *v, const char *prefix, struct hm_validation *sub)
{
	const char *key;
	json_t *message;
	json_object_foreach(sub->fields, key, message)
	{
		char field[96];
		snprintf(field, sizeof field, "%s%s", prefix, key);
		hm_validation_fail(v, field, json_string_value(message));
	}
	if (sub->oom)
		v->oom = true;
	return sub->fields != NULL || sub->oom;
}

/* One entry of translations (locale's), checked into v; true when it is good. */
static bool check_translation(struct hm_validation *v, const char *locale, json_t *entry,
			      const char *const *fields)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "translations.%s", locale);
	if (!json_is_object(entry)) {
		hm_validation_fail(v, prefix, "must be an object");
		return false;
	}
	struct hm_validation sub;
	hm_validation_init(&sub);
	hm_validate_known(&sub, entry, fields, NULL);
	for (int f = 0; fields[f]; f++) {
		json_t *text = json_object_get(entry, fields[f]);
		const char *ignored = NULL;
		bool present = false;
		if (text && !json_is_string(text))
			hm_validation_fail(&sub, fields[f], "must be a string");
		else if (strcmp(fields[f], "description") == 0)
			hm_validate_long_text(&sub, entry, fields[f], false, HM_MAX_TEXT, &ignored);
		else
			hm_validate_text_or_empty(&sub, entry, fields[f], HM_MAX_NAME, &ignored,
						  &present);
	}
	snprintf(prefix, sizeof prefix, "translations.%s.", locale);
	bool bad = fail_nested(v, prefix, &sub);
	hm_validation_release(&sub);
	return !bad;
}

void hm_validate_translations(struct hm_validation *v, json_t *obj, const char *const *fields,
			      json_t **out)
{
	static const char *const locales[] = {"es", "en", NULL};
	json_t *value = get_field(obj, "translations");
	if (!value)
		return;
	if (!json_is_object(value)) {
		hm_validation_fail(v, "translations", "must be an object with es and en");
		return;
	}
	struct hm_validation outer;
	hm_validation_init(&outer);
	hm_validate_known(&outer, value, locales, NULL);
	bool good = !fail_nested(v, "translations.", &outer);
	hm_validation_release(&outer);
	for (int l = 0; locales[l]; l++) {
		json_t *entry = json_object_get(value, locales[l]);
		if (entry && !check_translation(v, locales[l], entry, fields))
			good = false;
	}
	if (good)
		*out = value;
}
