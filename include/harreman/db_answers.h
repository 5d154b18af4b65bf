/* SPDX-License-Identifier: MIT */
/* Automatic answers in the database (table answers and its per-language full-text
 * indexes answers_eu, answers_es, answers_en, sql/0007): the list, the search best
 * first, staff's writes (each one transaction with its audit row), and what
 * POST /ask gathers: the three best answers and the live facts a question asks
 * about. Every function borrows the connection; JSON results are owned by the
 * caller. An answer is {id, locale, question, answer, score} (score: null in a
 * plain list, higher is better in a search). */
#ifndef HARREMAN_DB_ANSWERS_H
#define HARREMAN_DB_ANSWERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/ask.h"
#include "harreman/db.h"
#include "harreman/db_channels.h"
#include "harreman/messages.h"

/* Answers POST /ask returns, and an inquiry is given, at most. */
#define HM_ANSWERS_SUGGESTED 3

/* One page of answers by id, after `after`, at most limit; only those of locale
 * ("eu", "es", "en"; NULL: every language, borrowed). *items and *next_after as
 * hm_db_page. */
enum hm_err hm_db_answers_list(struct hm_db *db, const char *locale, int64_t after, int limit,
			       json_t **items, int64_t *next_after);

/* The answers matching the words of q (borrowed), best first, at most limit; only
 * those of locale (NULL: every language). A word matches another form of itself
 * (case, accents, endings: terms.h); any word of q may match. *items (caller
 * owns), empty when no word of q is found. */
enum hm_err hm_db_answers_search(struct hm_db *db, const char *q, const char *locale, int limit,
				 json_t **items);

/* Answer id into *out (caller owns). HM_ERR_NOT_FOUND. */
enum hm_err hm_db_answers_get(struct hm_db *db, int64_t id, json_t **out);

/* What a write sets (borrowed): every field for a create; NULL leaves the
 * answer's own on an update. detail is the audit row's (may be NULL). */
struct hm_answer_input {
	const char *locale, *question, *answer;
	json_t *detail;
};

/* Creates an answer by who, audited "answer.create"; *out the answer. */
enum hm_err hm_db_answers_create(struct hm_db *db, const struct hm_answer_input *in,
				 const struct hm_actor *who, json_t **out);

/* Inserts an answer and indexes it inside the caller's transaction, not audited
 * (the demo data; hm_db_answers_optimize after the last one): *id the new
 * answer's. */
enum hm_err hm_db_answers_insert(struct hm_db *db, const struct hm_answer_input *in,
				 const struct hm_actor *who, int64_t *id);

/* Merges each language's index into one segment (FTS5's 'optimize'), a step of
 * the caller's transaction: every write of an answer adds segments, and a search
 * over many reads each of them (three times slower over 200 answers). Staff's
 * writes call it; a batch of hm_db_answers_insert calls it once at its end. A few
 * milliseconds for a few hundred answers. */
enum hm_err hm_db_answers_optimize(struct hm_db *db);

/* Changes answer id, audited "answer.update"; *out the answer after it.
 * HM_ERR_NOT_FOUND. */
enum hm_err hm_db_answers_update(struct hm_db *db, int64_t id, const struct hm_answer_input *in,
				 const struct hm_actor *who, json_t **out);

/* Deletes answer id (and its index entries), audited "answer.delete".
 * HM_ERR_NOT_FOUND. */
enum hm_err hm_db_answers_delete(struct hm_db *db, int64_t id, const struct hm_actor *who);

/* The ids of the HM_ANSWERS_SUGGESTED best answers of locale for text (borrowed)
 * into ids, their count into *n. Runs in the caller's transaction when there is
 * one (an inquiry's). */
enum hm_err hm_db_answers_suggest(struct hm_db *db, const char *text, enum hm_locale locale,
				  int64_t ids[HM_ANSWERS_SUGGESTED], size_t *n);

/* What POST /ask gathers for a question (owned; hm_db_answers_asked_release). */
struct hm_db_asked {
	json_t *answers;             /* up to HM_ANSWERS_SUGGESTED answers of the locale */
	struct hm_channel *channels; /* topics.hours: every channel (else NULL) */
	size_t n_channels;
	json_t *services;       /* topics.prices: the active services (else NULL) */
	int64_t service_id;     /* the active service of the subject the question names
			     * (else 0): its next free slot is hm_db_answers_next_slot */
	json_t *next_free_slot; /* left NULL here: the caller's to fill */
	int64_t facts_until;    /* likewise: INT64_MAX here */
};

/* Gathers the answers to question (borrowed) in locale and the facts topics asks
 * for. Never reads anything about a client. */
enum hm_err hm_db_answers_ask(struct hm_db *db, const char *question, enum hm_locale locale,
			      const struct hm_ask_topics *topics, struct hm_db_asked *out);
void hm_db_answers_asked_release(struct hm_db_asked *a);

/* The first free slot of service_id within two weeks of local days from now, of
 * any tutor who teaches its subject (the earliest; the lower tutor id on a tie):
 * *slot {service_id, tutor_id, starts_at} (caller owns), or NULL when there is
 * none; *until the instant this stops holding without a write (the slot's start,
 * or the next local midnight, when another day comes into the two weeks). The
 * same for every question naming the subject. */
enum hm_err hm_db_answers_next_slot(struct hm_db *db, int64_t service_id, int64_t now,
				    json_t **slot, int64_t *until);

#endif
