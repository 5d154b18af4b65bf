// SPDX-License-Identifier: MIT
// Stopwords and language detection (include/harreman/language.h). The detector
// counts, per language, the stopwords of a text (two points each) and the letters
// and endings only one of the three languages writes (one point each: Spanish
// accents and "¿", Basque "tx", "tz" and case endings, English "th", "w" and
// "-ing"; c, v, q, y and w for both languages that are not Basque), and picks the
// highest score.
#include <string.h>

#include "harreman/language.h"
#include "harreman/words.h"
#include "harreman/banned.h"

/* Lower case, no accents. Question words are here too: "how much" says nothing
 * about what is asked, "prices" does. */
static const char *const stop_eu[] = {
	"al",    "ala",      "arte",    "asko",   "ba",       "bada",     "badago", "badu",
	"bai",   "baina",    "baino",   "bat",    "batzuk",   "behar",    "beste",  "bezala",
	"da",    "dago",     "daude",   "daukat", "dela",     "den",      "dira",   "ditu",
	"ditut", "dituzu",   "du",      "dugu",   "duen",     "dut",      "dute",   "duzu",
	"ea",    "edo",      "egin",    "ere",    "eskerrik", "eta",      "ez",     "gara",
	"gu",    "guk",      "gure",    "han",    "hau",      "hemen",    "hori",   "hura",
	"izan",  "kaixo",    "mesedez", "naiz",   "nahi",     "ni",       "nik",    "nire",
	"noiz",  "nola",     "non",     "nora",   "nork",     "oso",      "ote",    "zara",
	"zein",  "zeintzuk", "zen",     "zenbat", "zer",      "zergatik", "zu",     "zuek",
	"zuen",  "zuk",      "zure",    NULL};
static const char *const stop_es[] = {
	"a",      "al",      "algo",   "ante",    "como", "con",   "cual",   "cuales",   "cuando",
	"cuanta", "cuantas", "cuanto", "cuantos", "de",   "del",   "desde",  "donde",    "e",
	"el",     "ella",    "en",     "entre",   "eres", "es",    "esa",    "ese",      "eso",
	"esta",   "estan",   "estar",  "este",    "esto", "estoy", "favor",  "gracias",  "hay",
	"hola",   "la",      "las",    "le",      "les",  "lo",    "los",    "me",       "mi",
	"mis",    "muy",     "nos",    "o",       "os",   "para",  "pero",   "poder",    "por",
	"porque", "puede",   "pueden", "puedo",   "que",  "quien", "quiero", "quisiera", "se",
	"ser",    "si",      "sobre",  "somos",   "son",  "soy",   "su",     "sus",      "te",
	"tengo",  "ti",      "tu",     "tus",     "u",    "un",    "una",    "uno",      "unos",
	"vale",   "y",       "ya",     "yo",      NULL};
static const char *const stop_en[] = {
	"a",     "about", "am",     "an",     "and",   "any",   "are",   "as",     "at",   "be",
	"been",  "but",   "by",     "can",    "could", "did",   "do",    "does",   "for",  "from",
	"get",   "had",   "has",    "have",   "hello", "hi",    "how",   "i",      "if",   "in",
	"is",    "it",    "its",    "just",   "many",  "me",    "much",  "my",     "of",   "on",
	"or",    "our",   "please", "should", "so",    "some",  "than",  "thanks", "that", "the",
	"their", "then",  "there",  "these",  "they",  "this",  "those", "to",     "us",   "was",
	"we",    "were",  "what",   "when",   "where", "which", "who",   "why",    "will", "with",
	"would", "you",   "your",   NULL};
static const char *const *const stopwords[HM_LOCALE_COUNT] = {stop_eu, stop_es, stop_en};

bool hm_lang_is_stopword(enum hm_locale locale, const char *word)
{
	if ((unsigned)locale >= HM_LOCALE_COUNT)
		return false;
	for (const char *const *w = stopwords[locale]; *w; w++)
		if (strcmp(*w, word) == 0)
			return true;
	return false;
}

static bool ends_with(const char *word, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n + 2 && memcmp(word + len - n, suffix, n) == 0;
}

/* Points for the letters and endings of one word (lower-cased, accents kept). */
static void score_letters(const char *word, int score[HM_LOCALE_COUNT])
{
	static const char *const eu_endings[] = {"ak",   "ek",   "ko",  "ren",   "tzen",   "tzeko",
						 "etan", "ean",  "rik", "rekin", "entzat", "tan",
						 "ari",  "aren", "ri",  "tu",    "tzea",   NULL};
	static const char *const es_endings[] = {"cion", "ción", "mente", "idad", "ado",
						 "ada",  "ido",  "os",    "as",   "ar",
						 "er",   "ir",   NULL};
	static const char *const en_endings[] = {"ing",  "tion", "ions", "ed",  "ly",
						 "ness", "nt",   "st",   "ss",  "ge",
						 "ce",   "ty",   "ry",   "ght", NULL};
	static const char *const *const endings[HM_LOCALE_COUNT] = {eu_endings, es_endings,
								    en_endings};
	size_t len = strlen(word);
	if (strstr(word, "tx") || strstr(word, "tz") || strstr(word, "rr") == word)
		score[HM_LOCALE_EU]++;
	if (strstr(word, "th") || strchr(word, 'w') || strstr(word, "ck"))
		score[HM_LOCALE_EN]++;
	if (strpbrk(word, "cvqyw")) { /* letters Basque does not write */
		score[HM_LOCALE_ES]++;
		score[HM_LOCALE_EN]++;
	}
	/* á é í ó ú and ñ (Basque writes ñ in a few names only) */
	for (const char *a = word; (a = strchr(a, '\xc3')) != NULL; a++)
		if (strchr("\xa1\xa9\xad\xb3\xba\xb1", a[1]) && a[1]) {
			score[HM_LOCALE_ES] += 2;
			break;
		}
	for (int l = 0; l < HM_LOCALE_COUNT; l++)
		for (const char *const *e = endings[l]; *e; e++)
			if (ends_with(word, len, *e)) {
				score[l]++;
				break;
			}
}

enum hm_locale hm_lang_detect(const char *text, size_t len)
{
	int score[HM_LOCALE_COUNT] = {0};
	char word[HM_WORD_MAX + 1];
	size_t pos = 0, start, end;
	for (size_t i = 0; i + 1 < len; i++)
		if (text[i] == '\xc2' && (text[i + 1] == '\xbf' || text[i + 1] == '\xa1')) {
			score[HM_LOCALE_ES] += 3; /* ¿ ¡ */
			break;
		}
	while (hm_word_next(text, len, &pos, word, &start, &end)) {
		score_letters(word, score);
		hm_word_unaccent(word);
		for (int l = 0; l < HM_LOCALE_COUNT; l++)
			if (hm_lang_is_stopword((enum hm_locale)l, word))
				score[l] += 2;
	}
	enum hm_locale best = HM_LOCALE_EU;
	for (int l = 1; l < HM_LOCALE_COUNT; l++)
		if (score[l] > score[best])
			best = (enum hm_locale)l;
	return best;
}
