// SPDX-License-Identifier: MIT
// Content in three languages (API.md v2, "Rescheduling and content in three
// languages"): which language a read answers in (?locale=, else Accept-Language
// negotiated by src/domain/language.c, else Basque), and the translated fields put
// in place of the Basque base ones, field by field, in a resource's JSON.
#include <string.h>

#include "harreman/api.h"
#include "harreman/language.h"
#include "harreman/banned.h"

bool hm_api_locale_or_reply(struct hm_request *req, struct hm_reply *reply, int *locale)
{
	const char *asked = hm_query_get(req, "locale");
	enum hm_locale l = HM_LOCALE_EU;
	if (asked && !hm_lang_parse_locale(asked, &l)) {
		hm_reply_invalid(reply, json_pack("{s:s}", "locale", "must be one of: eu, es, en"));
		return false;
	}
	if (!asked)
		l = hm_lang_negotiate(req->accept_language);
	*locale = (int)l;
	return true;
}

void hm_api_localize(json_t *obj, int locale, const char *const *fields)
{
	if (locale == HM_LOCALE_EU || !json_is_object(obj))
		return;
	json_t *entry = json_object_get(json_object_get(obj, "translations"),
					hm_locale_name((enum hm_locale)locale));
	for (int f = 0; json_is_object(entry) && fields[f]; f++) {
		json_t *text = json_object_get(entry, fields[f]);
		if (json_is_string(text) && json_string_length(text) > 0)
			json_object_set(obj, fields[f], text);
	}
}

void hm_api_localize_items(json_t *items, int locale, const char *const *fields)
{
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item) hm_api_localize(item, locale, fields);
}
