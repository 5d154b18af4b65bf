// SPDX-License-Identifier: MIT
// Replies (include/harreman/http.h): JSON bodies, the error envelope, headers, and
// the query-string helpers handlers share.
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "harreman/http.h"
#include "harreman/limits.h"
#include "harreman/banned.h"

void hm_reply_init(struct hm_reply *reply)
{
	memset(reply, 0, sizeof *reply);
	reply->status = 500;
	reply->file_fd = -1;
}

static void reply_clear_body(struct hm_reply *reply)
{
	json_decref(reply->json);
	reply->json = NULL;
	free(reply->body);
	reply->body = NULL;
	reply->body_len = 0;
	reply->content_type = NULL;
	if (reply->file_fd >= 0)
		close(reply->file_fd);
	reply->file_fd = -1;
}

void hm_reply_release(struct hm_reply *reply)
{
	reply_clear_body(reply);
	for (size_t i = 0; i < reply->n_headers; i++)
		free(reply->headers[i].value);
	reply->n_headers = 0;
}

void hm_reply_json(struct hm_reply *reply, int status, json_t *body)
{
	reply_clear_body(reply);
	if (!body) {
		hm_reply_error(reply, HM_ERR_INTERNAL, NULL);
		return;
	}
	reply->status = status;
	reply->json = body;
}

void hm_reply_no_content(struct hm_reply *reply)
{
	reply_clear_body(reply);
	reply->status = 204;
}

void hm_reply_raw_owned(struct hm_reply *reply, int status, const char *content_type, char *data,
			size_t len)
{
	reply_clear_body(reply);
	reply->status = status;
	reply->body = data;
	reply->body_len = len;
	reply->content_type = content_type;
}

/* Compact, and a real (a search score) in 6 significant digits: 7.4294, not
 * 7.4294000000000002. Every other number of the API is an integer. */
#define REPLY_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(6))

bool hm_reply_encode(struct hm_reply *reply)
{
	if (!reply->json)
		return true;
	/* Encode once into a buffer that fits most replies; only a bigger one is
	 * encoded a second time, into a buffer of its exact size. */
	size_t cap = 8192, len = 0;
	char *text = malloc(cap);
	if (!text)
		return false;
	len = json_dumpb(reply->json, text, cap - 1, REPLY_JSON_FLAGS);
	if (len > cap - 1) {
		char *bigger = realloc(text, len + 1);
		if (!bigger || json_dumpb(reply->json, bigger, len, REPLY_JSON_FLAGS) != len) {
			free(bigger ? bigger : text);
			return false;
		}
		text = bigger;
	}
	if (len == 0) {
		free(text);
		return false;
	}
	text[len] = '\n';
	json_decref(reply->json);
	reply->json = NULL;
	free(reply->body);
	reply->body = text;
	reply->body_len = len + 1;
	reply->content_type = "application/json; charset=utf-8";
	return true;
}

void hm_reply_raw(struct hm_reply *reply, int status, const char *content_type, const char *data,
		  size_t len)
{
	reply_clear_body(reply);
	char *copy = malloc(len ? len : 1);
	if (!copy) {
		hm_reply_error(reply, HM_ERR_INTERNAL, NULL);
		return;
	}
	if (len)
		memcpy(copy, data, len);
	reply->status = status;
	reply->body = copy;
	reply->body_len = len;
	reply->content_type = content_type;
}

static void reply_envelope(struct hm_reply *reply, enum hm_err err, const char *message,
			   json_t *fields)
{
	const struct hm_err_info *info = hm_err_info(err);
	json_t *error = json_pack("{s:s, s:s}", "code", info->code, "message",
				  message ? message : info->message);
	if (error && fields)
		json_object_set_new(error, "fields", fields);
	else
		json_decref(fields);
	reply_clear_body(reply);
	reply->status = info->status;
	/* Out of memory: an empty body with the right status is the best left to do. */
	reply->json = error ? json_pack("{s:o}", "error", error) : NULL;
}

void hm_reply_error(struct hm_reply *reply, enum hm_err err, const char *message)
{
	reply_envelope(reply, err, message, NULL);
	/* RFC 9110 section 11.6.1: a 401 says how to authenticate. The cookie is not an
	 * HTTP authentication scheme; the bearer token is (RFC 6750). */
	if (reply->status == 401)
		(void)hm_reply_header(reply, "WWW-Authenticate", "Bearer realm=\"harreman\"");
}

void hm_reply_invalid(struct hm_reply *reply, json_t *fields)
{
	reply_envelope(reply, HM_ERR_VALIDATION_FAILED, NULL, fields);
}

bool hm_reply_header(struct hm_reply *reply, const char *name, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return false;
	for (size_t i = 0; i < reply->n_headers; i++) {
		if (strcasecmp(reply->headers[i].name, name) == 0) {
			free(reply->headers[i].value);
			reply->headers[i].value = copy;
			return true;
		}
	}
	if (reply->n_headers == HM_MAX_REPLY_HEADERS) {
		free(copy);
		return false;
	}
	reply->headers[reply->n_headers].name = name;
	reply->headers[reply->n_headers].value = copy;
	reply->n_headers++;
	return true;
}

const char *hm_reply_get_header(const struct hm_reply *reply, const char *name)
{
	for (size_t i = 0; i < reply->n_headers; i++)
		if (strcasecmp(reply->headers[i].name, name) == 0)
			return reply->headers[i].value;
	return NULL;
}

bool hm_target_too_long(const char *target)
{
	size_t args = 0;
	for (const char *p = strchr(target, '?'); p && *p; p++)
		args += *p == '?' || *p == '&';
	return strlen(target) > HM_MAX_TARGET || args > HM_MAX_QUERY_ARGS;
}

const char *hm_query_get(const struct hm_request *req, const char *key)
{
	for (size_t i = 0; i < req->n_query; i++)
		if (strcmp(req->query[i].key, key) == 0)
			return req->query[i].value;
	return NULL;
}

/* Parses a whole decimal integer in [min, max]; no sign, spaces or trailing bytes. */
static bool parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
	if (!text || *text < '0' || *text > '9')
		return false;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(text, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool hm_query_page(const struct hm_request *req, struct hm_reply *reply, int *limit, int64_t *after)
{
	json_t *fields = json_object();
	const char *text = hm_query_get(req, "limit");
	int64_t v = HM_PAGE_DEFAULT;
	if (text && !parse_int(text, 1, INT64_MAX, &v))
		json_object_set_new(fields, "limit", json_string("must be a positive integer"));
	*limit = v > HM_PAGE_MAX ? HM_PAGE_MAX : (int)v;

	v = 0;
	text = hm_query_get(req, "after");
	if (text && !parse_int(text, 0, INT64_MAX, &v))
		json_object_set_new(fields, "after", json_string("must be an id (a whole number)"));
	*after = v;

	if (fields && json_object_size(fields) == 0) {
		json_decref(fields);
		return true;
	}
	if (!fields)
		hm_reply_error(reply, HM_ERR_INTERNAL, NULL);
	else
		hm_reply_invalid(reply, fields);
	return false;
}
