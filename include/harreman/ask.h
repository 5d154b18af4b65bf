/* SPDX-License-Identifier: MIT */
/* What a question to POST /ask is about, as pure functions, so the answer can add
 * what the server knows live: the contact hours (is the phone open now), the
 * prices, the next free slot of a subject it names. Words are compared without
 * case and accents (words.h), by their beginning, so that "prezioak", "precios"
 * and "prices" all ask about prices. */
#ifndef HARREMAN_ASK_H
#define HARREMAN_ASK_H

#include <stdbool.h>
#include <stddef.h>

struct hm_ask_topics {
	bool hours;          /* opening hours, the phone, open or closed */
	bool prices;         /* prices, costs, fees */
	const char *subject; /* a subject key it names ("maths", "physics", "english",
			      * "basque"; static storage), or NULL */
};

/* The topics of the UTF-8 question text[0..len). */
void hm_ask_topics(const char *text, size_t len, struct hm_ask_topics *out);

/* Whether the question text[0..len) names subject key (the word itself, "maths")
 * or a service called name (its first word of four letters or more: the same
 * word, or one sharing its first six letters, "Kimika" for "kimikako"). Either may
 * be NULL. */
bool hm_ask_names(const char *text, size_t len, const char *subject, const char *name);

/* The words of the question text[0..len) (words.h: lower-cased, accents kept), one
 * space between them, into out: all of a question that POST /ask's answer depends
 * on besides its language and the clock, so questions that differ only in case,
 * punctuation or spacing share one cached answer. False when it does not fit in
 * size bytes (such a question is answered without the cache). */
bool hm_ask_words(const char *text, size_t len, char *out, size_t size);

#endif
