// SPDX-License-Identifier: MIT
// The topics of a question to POST /ask (include/harreman/ask.h): each word,
// lower-cased and without accents, is compared with the beginnings of the words
// that speak of hours, prices and the subjects taught, in Basque, Spanish and
// English; and the words of a question as the key of its cached answer.
#include <stdint.h>
#include <string.h>

#include "harreman/ask.h"
#include "harreman/words.h"
#include "harreman/banned.h"

/* Word beginnings, without accents; "=word" must be the whole word. */
static const char *const hours_words[] = {
	"ordutegi", "=ordu",   "orduak",  "irekita", "irekitzen", "itxita", "ixten",   "telefono",
	"deitu",    "deitze",  "horario", "=hora",   "=horas",    "abiert", "=abre",   "=abren",
	"cerrad",   "cierra",  "llamar",  "llamo",   "telefon",   "=hours", "opening", "=open",
	"closed",   "closing", "phone",   "=call",   "=ring",     NULL};
static const char *const price_words[] = {
	"prezio", "balio",   "kostat", "kostu",  "=euro",     "euroak", "tarifa",
	"merke",  "garesti", "precio", "cuesta", "cuestan",   "costar", "=coste",
	"=caro",  "=cara",   "barat",  "=cost",  "=costs",    "price",  "=fee",
	"=fees",  "=rate",   "=rates", "cheap",  "expensive", NULL};

struct subject_words {
	const char *key;
	const char *words[4];
};
static const struct subject_words subjects[] = {
	{"maths", {"matemat", "=mates", "=math", "=maths"}},
	{"physics", {"fisik", "fisic", "physic", NULL}},
	{"english", {"ingeles", "ingles", "english", NULL}},
	{"basque", {"euskar", "euskera", "basque", NULL}},
};

/* Whether word matches pattern (a beginning, or a whole word after "="). */
static bool matches(const char *word, const char *pattern)
{
	if (pattern[0] == '=')
		return strcmp(word, pattern + 1) == 0;
	return strncmp(word, pattern, strlen(pattern)) == 0;
}

static bool any_matches(const char *word, const char *const *patterns, size_t n)
{
	for (size_t i = 0; i < n && patterns[i]; i++)
		if (matches(word, patterns[i]))
			return true;
	return false;
}

void hm_ask_topics(const char *text, size_t len, struct hm_ask_topics *out)
{
	char word[HM_WORD_MAX + 1];
	size_t pos = 0, start, end;
	*out = (struct hm_ask_topics){0};
	while (hm_word_next(text, len, &pos, word, &start, &end)) {
		hm_word_unaccent(word);
		out->hours = out->hours || any_matches(word, hours_words, SIZE_MAX);
		out->prices = out->prices || any_matches(word, price_words, SIZE_MAX);
		for (size_t i = 0; !out->subject && i < sizeof subjects / sizeof subjects[0]; i++)
			if (any_matches(word, subjects[i].words, 4))
				out->subject = subjects[i].key;
	}
}

/* The first word of name with four letters or more, unaccented, into word; false
 * when there is none. */
static bool first_long_word(const char *name, char word[HM_WORD_MAX + 1])
{
	size_t pos = 0, start, end, len = strlen(name);
	while (hm_word_next(name, len, &pos, word, &start, &end))
		if (hm_word_unaccent(word) >= 4)
			return true;
	return false;
}

bool hm_ask_names(const char *text, size_t len, const char *subject, const char *name)
{
	char word[HM_WORD_MAX + 1], name_word[HM_WORD_MAX + 1];
	size_t pos = 0, start, end;
	bool has_name = name && first_long_word(name, name_word);
	size_t name_len = has_name ? strlen(name_word) : 0;
	while (hm_word_next(text, len, &pos, word, &start, &end)) {
		hm_word_unaccent(word);
		if (subject && strcmp(word, subject) == 0)
			return true;
		if (has_name && (strcmp(word, name_word) == 0 ||
				 (name_len >= 6 && strncmp(word, name_word, 6) == 0)))
			return true;
	}
	return false;
}

bool hm_ask_words(const char *text, size_t len, char *out, size_t size)
{
	char word[HM_WORD_MAX + 1];
	size_t pos = 0, start, end, used = 0;
	if (size == 0)
		return false;
	while (hm_word_next(text, len, &pos, word, &start, &end)) {
		size_t n = strlen(word);
		if (used + (used > 0) + n >= size)
			return false;
		if (used > 0)
			out[used++] = ' ';
		memcpy(out + used, word, n);
		used += n;
	}
	out[used] = '\0';
	return true;
}
