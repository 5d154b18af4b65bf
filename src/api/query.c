// SPDX-License-Identifier: MIT
// Query strings the resources share (include/harreman/api.h): a positive id
// parameter (?client_id=), a true/false flag (?mine=, ?full=) and a range of local days (?from=&to=), each bad value
// recorded into a 422's fields. Parsing the request stays in the API layer.
#include <string.h>

#include "harreman/api.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

void hm_api_add_field(json_t **fields, const char *key, const char *message)
{
	if (!*fields)
		*fields = json_object();
	if (*fields && !json_object_get(*fields, key))
		json_object_set_new(*fields, key, json_string(message));
}

bool hm_api_query_id(const struct hm_request *req, const char *key, int64_t *out, json_t **fields)
{
	const char *text = hm_query_get(req, key);
	if (!text)
		return true;
	int64_t v = 0;
	size_t len = strlen(text);
	bool ok = len > 0 && len <= 18 && text[0] != '0';
	for (size_t i = 0; ok && i < len; i++) {
		ok = text[i] >= '0' && text[i] <= '9';
		v = v * 10 + (text[i] - '0');
	}
	if (!ok) {
		hm_api_add_field(fields, key, "must be a positive whole number");
		return false;
	}
	*out = v;
	return true;
}

bool hm_api_query_bool(const struct hm_request *req, const char *key, bool *out, json_t **fields)
{
	const char *text = hm_query_get(req, key);
	*out = false;
	if (!text)
		return true;
	if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
		hm_api_add_field(fields, key, "must be true or false");
		return false;
	}
	*out = text[0] == 't';
	return true;
}

bool hm_api_query_days(const struct hm_request *req, int default_span, int max_span, int64_t *from,
		       int64_t *to, json_t **fields)
{
	const char *from_text = hm_query_get(req, "from");
	const char *to_text = hm_query_get(req, "to");
	int weekday;
	bool ok = true;
	hm_local_day(req->now, from, &weekday);
	if (from_text && !hm_date_parse(from_text, from)) {
		hm_api_add_field(fields, "from", "must be a date, YYYY-MM-DD");
		ok = false;
	}
	*to = *from + default_span - 1;
	if (to_text && !hm_date_parse(to_text, to)) {
		hm_api_add_field(fields, "to", "must be a date, YYYY-MM-DD");
		ok = false;
	}
	if (ok && *to < *from) {
		hm_api_add_field(fields, "to", "must not be before from");
		ok = false;
	}
	if (ok && *to - *from + 1 > max_span) {
		hm_api_add_field(fields, "to",
				 max_span == 31 ? "the range is at most 31 days"
						: "the range is too long");
		ok = false;
	}
	return ok;
}
