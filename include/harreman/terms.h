/* SPDX-License-Identifier: MIT */
/* The search terms of a text in one language, for the answers' full-text index
 * (src/db/search.c) and its queries: the words of the text (words.h), stopwords
 * left out (language.h), each stemmed with the Snowball stemmer of the language
 * (libstemmer: "klaseak", "klaseen", "klaseetan" -> "klase"), accents off. A
 * second term at the same position, the word's first HM_TERMS_PREFIX letters,
 * meets the forms a stemmer leaves apart ("klasea", "cancelacion" without its
 * accent, "azterketan"). Pure but for the stemmer's own memory, which
 * hm_terms_init takes and hm_terms_release gives back; one struct hm_terms is used
 * by one thread at a time. */
#ifndef HARREMAN_TERMS_H
#define HARREMAN_TERMS_H

#include <stdbool.h>
#include <stddef.h>

#include "harreman/messages.h"

/* Letters of the prefix term (a shorter word gets none). */
#define HM_TERMS_PREFIX 4

struct sb_stemmer;

struct hm_terms {
	enum hm_locale locale;
	struct sb_stemmer *stemmer;
};

/* Prepares the terms of locale. False when memory runs out. */
bool hm_terms_init(struct hm_terms *t, enum hm_locale locale);
void hm_terms_release(struct hm_terms *t);

/* Called for each term: its text (not NUL-terminated), whether it shares the
 * previous term's position (the prefix term), and the byte range in the text of
 * the word it comes from. A non-zero return stops the walk and is returned. */
typedef int hm_term_fn(void *ctx, const char *term, size_t len, bool colocated, size_t start,
		       size_t end);

/* Walks the terms of text[0..len). Returns 0, or the first non-zero value of fn;
 * -1 when the stemmer runs out of memory. */
int hm_terms_each(struct hm_terms *t, const char *text, size_t len, hm_term_fn *fn, void *ctx);

#endif
