// SPDX-License-Identifier: MIT
// Search terms of a text (include/harreman/terms.h): words, stopwords out, a
// Snowball stem and a prefix per word. The stemmer gets the word lower-cased with
// its accents (Snowball's Spanish knows "-ación"); the terms come out without them.
#include <string.h>

#include "harreman/language.h"
#include "harreman/stemmer_lib.h"
#include "harreman/terms.h"
#include "harreman/words.h"
#include "harreman/banned.h"

bool hm_terms_init(struct hm_terms *t, enum hm_locale locale)
{
	static const char *const algorithms[HM_LOCALE_COUNT] = {"basque", "spanish", "english"};
	const struct hm_stemmer_api *sb = hm_stemmer_api();
	t->locale = (unsigned)locale < HM_LOCALE_COUNT ? locale : HM_LOCALE_EU;
	t->stemmer = sb ? sb->create(algorithms[t->locale], "UTF_8") : NULL;
	return t->stemmer != NULL;
}

void hm_terms_release(struct hm_terms *t)
{
	if (t->stemmer)
		hm_stemmer_api()->destroy(t->stemmer); /* made by create: loaded */
	t->stemmer = NULL;
}

/* The byte length of the first n characters of the ASCII-or-UTF-8 word. */
static size_t prefix_bytes(const char *word, size_t n)
{
	size_t i = 0;
	while (word[i] && n > 0) {
		i++;
		while ((word[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return n == 0 && word[i] ? i : 0; /* 0: the word is not longer than n */
}

int hm_terms_each(struct hm_terms *t, const char *text, size_t len, hm_term_fn *fn, void *ctx)
{
	char word[HM_WORD_MAX + 1], plain[HM_WORD_MAX + 1], stem[HM_WORD_MAX + 1];
	size_t pos = 0, start, end;
	const struct hm_stemmer_api *sb = hm_stemmer_api(); /* loaded: t was made */
	while (hm_word_next(text, len, &pos, word, &start, &end)) {
		memcpy(plain, word, sizeof plain);
		hm_word_unaccent(plain);
		if (hm_lang_is_stopword(t->locale, plain))
			continue;
		const sb_symbol *s = sb->stem(t->stemmer, (const sb_symbol *)word,
					      (int)strlen(word));
		if (!s)
			return -1;
		size_t n = (size_t)sb->length(t->stemmer);
		if (n > HM_WORD_MAX)
			n = HM_WORD_MAX;
		memcpy(stem, s, n);
		stem[n] = '\0';
		n = hm_word_unaccent(stem);
		int rc = fn(ctx, stem, n, false, start, end);
		size_t p = prefix_bytes(plain, HM_TERMS_PREFIX);
		if (rc == 0 && p > 0 && (p != n || memcmp(plain, stem, p) != 0))
			rc = fn(ctx, plain, p, true, start, end);
		if (rc != 0)
			return rc;
	}
	return 0;
}
