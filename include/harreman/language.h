/* SPDX-License-Identifier: MIT */
/* The three languages of the business in a text, as pure functions: the stopwords
 * of Basque, Spanish and English (the little words that say nothing about what is
 * asked, left out of the answers' search index), and a detector that tells which
 * of the three a question is written in from its stopwords and its letters, for
 * POST /ask when no locale is given; and the negotiation of the language of an
 * answer from ?locale= and Accept-Language (content in three languages). */
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

/* The locale named exactly "eu", "es" or "en" into *out; false for anything else
 * (NULL included). */
bool hm_lang_parse_locale(const char *name, enum hm_locale *out);

/* The best of the three languages for an Accept-Language header (RFC 9110,
 * 12.5.4): comma-separated ranges with optional q-values (0 to 1, three decimals
 * at most; q=0 means "not this one"); a range matches by its primary subtag, case
 * folded ("es-ES", "ES" and "es" all name Spanish); "*" stands for every language
 * the header does not name. The highest q wins; on a tie a named language beats
 * "*", then the earlier range, then Basque, Spanish, English in that order.
 * Malformed ranges are skipped; Basque when header is NULL, empty, or accepts none
 * of the three. */
enum hm_locale hm_lang_negotiate(const char *header);

#endif
