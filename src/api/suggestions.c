// SPDX-License-Identifier: MIT
// GET /me/suggestions: src/db/suggestions.c gathers a learner's data (the account's
// own record or a child's, hm_api_learner) into the
// input of the pure rules of src/domain/suggestions.c, the rules decide, and this
// handler answers what they decide as {kind, message_key, params} items for the
// pages to translate.
#include <stdlib.h>

#include "harreman/api.h"
#include "harreman/db_suggestions.h"
#include "harreman/suggestions.h"
#include "harreman/banned.h"

/* Copies params and adds key: value (a new reference), or NULL when out of memory. */
static json_t *params_with(json_t *params, const char *key, json_int_t value)
{
	json_t *copy = json_copy(params);
	if (copy && json_object_set_new(copy, key, json_integer(value)) != 0) {
		json_decref(copy);
		copy = NULL;
	}
	return copy;
}

/* The params of suggestion s (a new reference), or NULL when out of memory. */
static json_t *params_of(const struct hm_suggest_data *d, const struct hm_suggestion *s)
{
	switch (s->kind) {
	case HM_SUGGEST_NEXT_DISCOUNT:
		return json_pack("{s:i, s:i}", "ordinal", s->ordinal, "percent", s->percent);
	case HM_SUGGEST_SESSIONS_LEFT:
		return params_with(d->subscription_params[s->index], "sessions_left",
				   s->sessions_left);
	case HM_SUGGEST_TUTOR_FREE_SLOTS: return json_incref(d->tutor_params);
	case HM_SUGGEST_UPCOMING_EVENT: return json_incref(d->event_params[s->index]);
	case HM_SUGGEST_BOOK_NEXT_LESSON:
		return params_with(d->lesson_params, "days_since", s->days_since);
	case HM_SUGGEST_SHARE_LINK: return json_object();
	case HM_SUGGEST_KIND_COUNT: break;
	}
	return NULL;
}

/* {"items": [...]} from the suggestions the rules made of d (NULL: out of memory). */
static json_t *suggestions_json(const struct hm_suggest_data *d)
{
	struct hm_suggestion made[HM_SUGGEST_MAX];
	size_t n = hm_suggestions_make(&d->in, made, HM_SUGGEST_MAX);
	json_t *items = json_array();
	for (size_t i = 0; items && i < n; i++) {
		json_t *params = params_of(d, &made[i]);
		json_t *item = params ? json_pack("{s:s, s:s, s:o}", "kind",
						  hm_suggestion_kind_name(made[i].kind),
						  "message_key",
						  hm_suggestion_message_key(made[i].kind), "params",
						  params)
				      : NULL;
		if (!item || json_array_append_new(items, item) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	return items ? json_pack("{s:o}", "items", items) : NULL;
}

void hm_api_me_suggestions(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client = 0;
	if (!hm_api_learner_or_reply(req, reply, &client))
		return;
	struct hm_suggest_data *d = calloc(1, sizeof *d); /* kilobytes: not on the stack */
	json_t *out = NULL;
	enum hm_err err = d ? hm_db_suggestions_gather(req->db, client, req->now, d)
			    : HM_ERR_INTERNAL;
	if (err == HM_OK)
		out = suggestions_json(d);
	if (d)
		hm_db_suggestions_release(d);
	free(d);
	hm_api_reply_result(reply, err, 200, out);
}
