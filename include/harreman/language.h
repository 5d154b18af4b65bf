/* SPDX-License-Identifier: MIT */
/* The three languages of the business in a text, as pure functions: the stopwords
 * of Basque, Spanish and English (the little words that say nothing about what is
 * asked, left out of the answers' search index), and a detector that tells which
 * of the three a question is written in from its stopwords and its letters, for
 * POST /ask when no locale is given. */
#ifndef HARREMAN_LANGUAGE_H
#define HARREMAN_LANGUAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "harreman/messages.h"

/* Whether word (lower-cased, accents off: words.h) is a stopword of locale. */
bool hm_lang_is_stopword(enum hm_locale locale, const char *word);

/* The language text[0..len) (UTF-8) is most likely written in. Basque when
 * nothing tells (an empty text, a lone name), then Spanish before English on a
 * tie. */
enum hm_locale hm_lang_detect(const char *text, size_t len);

#endif
