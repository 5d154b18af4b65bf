// SPDX-License-Identifier: MIT
// Automatic answers (API.md v2, "Automatic answers"): the public list and search
// of question-answer pairs, staff's writes, and POST /ask, which gives a question
// its three best answers in its language (detected when not given,
// src/domain/language.c) and the live facts it asks about (src/domain/ask.c): the
// contact channels open now, the prices, a named subject's next free slot. The
// SQL is src/db/answers.c's. /ask counts its calls per address in memory and
// keeps its answers in the response cache by language and question words.
#include <stdio.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/ask.h"
#include "harreman/db_answers.h"
#include "harreman/language.h"
#include "harreman/limits.h"
#include "harreman/response_cache.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

/* POST /ask's count per client address (in memory: rate_memory.h). */
#define ASK_BUCKET "ask_addr"

static const char *const locales[] = {"eu", "es", "en", NULL};

/* ?locale= into *locale (NULL when absent): false after answering 422. */
static bool query_locale_or_reply(struct hm_request *req, struct hm_reply *reply,
				  const char **locale)
{
	*locale = hm_query_get(req, "locale");
	for (int i = 0; *locale && locales[i]; i++)
		if (strcmp(*locale, locales[i]) == 0)
			return true;
	if (*locale)
		hm_reply_invalid(reply, json_pack("{s:s}", "locale", "must be one of: eu, es, en"));
	return !*locale;
}

void hm_api_answers_list(struct hm_request *req, struct hm_reply *reply)
{
	const char *q = hm_query_get(req, "q"), *locale = NULL;
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!query_locale_or_reply(req, reply, &locale) ||
	    !hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = q && *q ? hm_db_answers_search(req->db, q, locale, limit, &items)
				  : hm_db_answers_list(req->db, locale, after, limit, &items,
						       &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
	/* Answers change only through writes (the cache's generation): the booking
	 * page's box asks the same questions as people type them. */
	reply->cache_until = INT64_MAX;
}

/* A POST or PATCH /answers body into in (every field required when creating). */
static bool read_answer_or_reply(struct hm_request *req, struct hm_reply *reply, bool create,
				 struct hm_answer_input *in)
{
	static const char *const allowed[] = {"locale", "question", "answer", NULL};
	static const char *const read_only[] = {"id", "score", NULL};
	struct hm_validation v;
	int locale = -1;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_enum(&v, req->json, "locale", create, locales, &locale);
	hm_validate_text(&v, req->json, "question", create, HM_MAX_NAME, &in->question);
	hm_validate_long_text(&v, req->json, "answer", create, HM_MAX_TEXT, &in->answer);
	in->locale = locale >= 0 ? locales[locale] : NULL;
	in->detail = req->json;
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_answers_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_answer_input in = {0};
	json_t *out = NULL;
	if (!read_answer_or_reply(req, reply, true, &in))
		return;
	enum hm_err err = hm_db_answers_create(req->db, &in, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}

/* 404 for an answer that does not exist (before any 422). */
static bool answer_exists_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	json_t *answer = NULL;
	enum hm_err err = hm_db_answers_get(req->db, req->path_ids[0], &answer);
	json_decref(answer);
	if (err != HM_OK)
		hm_api_reply_err(reply, err);
	return err == HM_OK;
}

void hm_api_answers_update(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_answer_input in = {0};
	json_t *out = NULL;
	if (!answer_exists_or_reply(req, reply) || !read_answer_or_reply(req, reply, false, &in))
		return;
	enum hm_err err = hm_db_answers_update(req->db, req->path_ids[0], &in, &HM_ACTOR(req),
					       &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_answers_delete(struct hm_request *req, struct hm_reply *reply)
{
	enum hm_err err = hm_db_answers_delete(req->db, req->path_ids[0], &HM_ACTOR(req));
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_reply_no_content(reply);
}

/* ---- POST /ask -------------------------------------------------------------- */

/* 429 with Retry-After once the client's address asked HM_ASK_PER_WINDOW times
 * within its window; otherwise counts this call, whatever its body. */
static bool ask_counted_or_reply(struct hm_request *req, struct hm_reply *reply)
{
	return hm_api_rate_memory_ok_or_reply(req, reply, ASK_BUCKET, HM_ASK_WINDOW_SECONDS,
					      HM_ASK_PER_WINDOW,
					      "Too many questions; try again later.");
}

/* A POST /ask body: *question borrows it, *locale is the one given or detected. */
static bool read_ask_or_reply(struct hm_request *req, struct hm_reply *reply, const char **question,
			      enum hm_locale *locale)
{
	static const char *const allowed[] = {"question", "locale", NULL};
	struct hm_validation v;
	int given = -1;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_long_text(&v, req->json, "question", true, HM_MAX_TEXT, question);
	hm_validate_enum(&v, req->json, "locale", false, locales, &given);
	bool ok = hm_api_validation_ok_or_reply(reply, &v);
	if (ok)
		*locale = given >= 0 ? (enum hm_locale)given
				     : hm_lang_detect(*question, strlen(*question));
	return ok;
}

/* {locale, answers, facts} from what the db gathered (taking its JSON); *until
 * lowered to the channels' next opening or closing. */
static json_t *render_asked(struct hm_db_asked *a, enum hm_locale locale, int64_t now,
			    int64_t *until)
{
	json_t *facts = json_object(), *channels = a->channels ? json_array() : NULL;
	bool ok = facts != NULL && (!a->channels || channels);
	for (size_t i = 0; ok && i < a->n_channels; i++)
		ok = json_array_append_new(channels,
					   hm_api_channel_json(&a->channels[i], now, until)) == 0;
	if (ok && channels)
		ok = json_object_set_new(facts, "channels", channels) == 0;
	else
		json_decref(channels);
	if (ok && a->services)
		ok = json_object_set(facts, "services", a->services) == 0;
	if (ok && a->next_free_slot)
		ok = json_object_set(facts, "next_free_slot", a->next_free_slot) == 0;
	json_t *out = ok ? json_pack("{s:s, s:O, s:o}", "locale", hm_locale_name(locale), "answers",
				     a->answers, "facts", facts)
			 : NULL;
	if (!out && !ok)
		json_decref(facts);
	return out;
}

/* The next free slot of a->service_id into a->next_free_slot, a->facts_until
 * lowered to when it stops holding. It is the same for every question that names
 * the subject, so it is kept in the response cache too, as {slot, until} under
 * "ask-slot|<service id>", for as long as it holds (a write, the slot's start, the
 * next local midnight). */
static enum hm_err next_slot(struct hm_request *req, struct hm_db_asked *a)
{
	char key[48];
	struct hm_reply memo;
	uint64_t generation = 0;
	json_t *kept = NULL, *slot = NULL;
	int64_t until = INT64_MAX;
	enum hm_err err = HM_OK;
	snprintf(key, sizeof key, "ask-slot|%lld", (long long)a->service_id);
	hm_reply_init(&memo);
	if (!hm_api_cache_part_miss(req, key, &memo, &generation)) {
		kept = json_loadb(memo.body, memo.body_len, 0, NULL);
	} else {
		err = hm_db_answers_next_slot(req->db, a->service_id, req->now, &slot, &until);
		kept = err == HM_OK
			       ? json_pack("{s:o?, s:I}", "slot", slot, "until", (json_int_t)until)
			       : NULL;
		if (kept) {
			hm_reply_json(&memo, 200, json_incref(kept));
			memo.cache_until = until;
			hm_api_cache_keep(req, &memo, key, generation);
		}
	}
	hm_reply_release(&memo);
	if (err == HM_OK && !kept)
		err = HM_ERR_INTERNAL;
	slot = json_object_get(kept, "slot");
	until = json_integer_value(json_object_get(kept, "until"));
	if (json_is_object(slot))
		a->next_free_slot = json_incref(slot);
	if (kept && until < a->facts_until)
		a->facts_until = until;
	json_decref(kept);
	return err;
}

/* The response cache's key of a question: its language and its words (never
 * anything of the caller); false when the question is too long to be kept. */
static bool ask_key(const char *question, enum hm_locale locale, char key[HM_CACHE_MAX_KEY])
{
	int n = snprintf(key, HM_CACHE_MAX_KEY, "ask|%s|", hm_locale_name(locale));
	return n > 0 && n < HM_CACHE_MAX_KEY &&
	       hm_ask_words(question, strlen(question), key + n, HM_CACHE_MAX_KEY - (size_t)n);
}

void hm_api_ask(struct hm_request *req, struct hm_reply *reply)
{
	const char *question = NULL;
	enum hm_locale locale = HM_LOCALE_EU;
	struct hm_ask_topics topics;
	struct hm_db_asked asked;
	char key[HM_CACHE_MAX_KEY];
	uint64_t generation = 0;

	if (!ask_counted_or_reply(req, reply) || !read_ask_or_reply(req, reply, &question, &locale))
		return;
	/* The same question in the same language gets the same answer until a write,
	 * the next opening or closing, or the free slot's start. */
	bool keyed = ask_key(question, locale, key);
	if (keyed && !hm_api_cache_miss_or_reply(req, reply, key, &generation))
		return;
	hm_ask_topics(question, strlen(question), &topics);
	enum hm_err err = hm_db_answers_ask(req->db, question, locale, &topics, &asked);
	if (err == HM_OK && asked.service_id)
		err = next_slot(req, &asked);
	int64_t until = asked.facts_until;
	json_t *out = err == HM_OK ? render_asked(&asked, locale, req->now, &until) : NULL;
	hm_db_answers_asked_release(&asked); /* what render_asked did not take */
	hm_api_reply_result(reply, err, 200, out);
	reply->cache_until = until;
	if (keyed)
		hm_api_cache_keep(req, reply, key, generation);
}
