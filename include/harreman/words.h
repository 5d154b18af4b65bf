/* SPDX-License-Identifier: MIT */
/* Words of a text for searching and language detection, pure and without
 * allocation: a word is a run of letters and digits (ASCII, and the Latin letters
 * of Basque, Spanish and English in UTF-8: U+00C0..U+017F); everything else
 * separates words. Words come out lower-cased (casefold.h), with or without their
 * accents ("Cancelación" -> "cancelación" -> "cancelacion"). The search
 * tokenizer (src/db/search.c) and the language detector (language.h) read texts
 * through these. */
#ifndef HARREMAN_WORDS_H
#define HARREMAN_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of one word kept (a longer word is cut at a character boundary). */
#define HM_WORD_MAX 64

/* Reads the next word of text[*pos..len) into word (NUL-terminated, lower-cased,
 * accents kept), its byte range in text into *start and *end, and moves *pos past
 * it. False when no word is left. Broken UTF-8 separates words. */
bool hm_word_next(const char *text, size_t len, size_t *pos, char word[HM_WORD_MAX + 1],
		  size_t *start, size_t *end);

/* Takes the accents off a lower-cased word in place (á -> a, ñ -> n, ç -> c, ü -> u,
 * ...); the word can only get shorter. Returns its new length. */
size_t hm_word_unaccent(char *word);

#endif
