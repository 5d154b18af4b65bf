/* SPDX-License-Identifier: MIT */
/* Validation of a JSON request body that collects one message per bad field, so a
 * client learns everything wrong at once (422 with `fields`). Every reader takes the
 * collector, the object and a field name; a missing optional field leaves *out as
 * it was and reports nothing. Strings read out are borrowed from the object. */
#ifndef HARREMAN_VALIDATE_H
#define HARREMAN_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/limits.h"

struct hm_validation {
	json_t *fields; /* field → message; NULL while no field is bad (owned) */
	bool oom;       /* an allocation failed: answer 500 */
};

void hm_validation_init(struct hm_validation *v);
void hm_validation_release(struct hm_validation *v);

/* Records message for field (the first message for a field wins). */
void hm_validation_fail(struct hm_validation *v, const char *field, const char *message);

/* True when no field was reported. */
bool hm_validation_ok(const struct hm_validation *v);

/* Hands the collected fields over (caller owns them); v is left empty. */
json_t *hm_validation_take(struct hm_validation *v);

/* Reports every key of obj that is neither in allowed nor in read_only (both
 * NULL-terminated; read_only may be NULL): "unknown field" / "is read-only". */
void hm_validate_known(struct hm_validation *v, json_t *obj, const char *const *allowed,
		       const char *const *read_only);

/* A string of 1..max_chars characters after trimming spaces, without control
 * characters. *out borrows the untrimmed text and stays as it was when absent. */
void hm_validate_text(struct hm_validation *v, json_t *obj, const char *field, bool required,
		      size_t max_chars, const char **out);

/* A multi-line text (messages, summaries): line breaks and tabs allowed, other
 * control characters not; when required, not empty or only white space. */
void hm_validate_long_text(struct hm_validation *v, json_t *obj, const char *field, bool required,
			   size_t max_chars, const char **out);

/* Like hm_validate_text but an empty string and null are allowed (to clear it). */
void hm_validate_text_or_empty(struct hm_validation *v, json_t *obj, const char *field,
			       size_t max_chars, const char **out, bool *present);

/* An e-mail address; *out gets a lower-cased copy in out_buf (HM_MAX_EMAIL + 1). */
void hm_validate_email(struct hm_validation *v, json_t *obj, const char *field, bool required,
		       char out_buf[HM_MAX_EMAIL + 1], bool *present);

/* A new password: a string of 10 characters up to 1024 bytes, any content. */
void hm_validate_password(struct hm_validation *v, json_t *obj, const char *field,
			  const char **out);

/* A password being checked (login): any non-empty string up to 1024 bytes, so
 * whatever hm_validate_password accepted can always be typed in again. */
void hm_validate_password_attempt(struct hm_validation *v, json_t *obj, const char *field,
				  const char **out);

/* Content in three languages (API.md v2): an object whose keys are "es" and "en"
 * only, each an object of strings whose keys are among fields (NULL-terminated;
 * "description" a long text of HM_MAX_TEXT characters, any other a one-line text
 * of HM_MAX_NAME), empty strings allowed (the Basque base field stands in). Bad
 * entries are reported as "translations.es.name" and so on. *out borrows the
 * object and stays as it was when the field is absent. */
void hm_validate_translations(struct hm_validation *v, json_t *obj, const char *const *fields,
			      json_t **out);

/* One of choices (NULL-terminated); *index gets its position. */
void hm_validate_enum(struct hm_validation *v, json_t *obj, const char *field, bool required,
		      const char *const *choices, int *index);

/* A boolean. */
void hm_validate_bool(struct hm_validation *v, json_t *obj, const char *field, bool required,
		      bool *out, bool *present);

/* An integer in [min, max] (JSON integers only: 1.0 and "1" are refused). */
void hm_validate_int(struct hm_validation *v, json_t *obj, const char *field, bool required,
		     int64_t min, int64_t max, int64_t *out, bool *present);

/* A subject key (services, tutors, events): 1..40 lower-case ASCII letters, digits,
 * '-' or '_'. *out borrows it. */
void hm_validate_subject(struct hm_validation *v, json_t *obj, const char *field, bool required,
			 const char **out);

/* Pure checks, also used by the command line. */
bool hm_text_is_valid(const char *s, size_t max_chars); /* trimmed 1..max, no controls */
bool hm_email_normalize(const char *in, char out[HM_MAX_EMAIL + 1]);
size_t hm_utf8_chars(const char *s);     /* code points in a valid UTF-8 string */
bool hm_subject_is_valid(const char *s); /* see hm_validate_subject */

/* Parsing a request body. RFC 8259 allows what this API cannot take: a string
 * holding an escaped NUL ("\u0000") and integers beyond 64 bits. Those parse, and
 * are refused as values (422, the field named), not as syntax (400). */
enum hm_body_parse {
	HM_BODY_OK,        /* *out is the object (caller owns) */
	HM_BODY_BAD_JSON,  /* not JSON, or not an object: 400 */
	HM_BODY_INVALID,   /* JSON, but a value this API cannot hold: 422, *fields owned
			    * by the caller names each ("items[1].percent") */
	HM_BODY_NO_MEMORY, /* 500 */
};
enum hm_body_parse hm_body_parse(const char *text, size_t len, json_t **out, json_t **fields);

#endif
