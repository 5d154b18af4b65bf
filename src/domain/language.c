// SPDX-License-Identifier: MIT
// Stopwords and language detection (include/harreman/language.h). The detector
// counts, per language, the stopwords of a text (two points each) and the letters
// and endings only one of the three languages writes (one point each: Spanish
// accents and "¿", Basque "tx", "tz" and case endings, English "th", "w" and
// "-ing"; c, v, q, y and w for both languages that are not Basque), and picks the
// highest score. The negotiation of Accept-Language reads the header once, range
// by range, keeping for each language its best q-value and where it was named.
#include <stdint.h>
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

bool hm_lang_parse_locale(const char *name, enum hm_locale *out)
{
	static const char *const names[HM_LOCALE_COUNT] = {"eu", "es", "en"};
	for (int i = 0; name && i < HM_LOCALE_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum hm_locale)i;
			return true;
		}
	return false;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_ows(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A q-value "0", "0.5", "1", "1.000" in [p, end) into *q (thousandths). */
static bool parse_qvalue(const char *p, const char *end, int *q)
{
	if (p == end || (*p != '0' && *p != '1'))
		return false;
	int whole = *p++ - '0', frac = 0, digits = 0;
	if (p < end && *p == '.') {
		for (p++; p < end && digits < 3 && is_digit(*p); p++, digits++)
			frac = frac * 10 + (*p - '0');
		for (int d = digits; d < 3; d++)
			frac *= 10;
	}
	if (p != end || (whole == 1 && frac != 0))
		return false;
	*q = whole * 1000 + frac;
	return true;
}

/* One range of the header, [p, end): its language (-1: "*", -2: another one) and
 * q-value; false when it is malformed. */
static bool parse_range(const char *p, const char *end, int *lang, int *q)
{
	static const char *const primary[HM_LOCALE_COUNT] = {"eu", "es", "en"};
	p = skip_ows(p, end);
	const char *tag = p;
	if (p < end && *p == '*') {
		p++;
		*lang = -1;
	} else {
		size_t n = 0;
		while (p < end && is_alpha(*p) && n < 8)
			p++, n++;
		if (n == 0)
			return false;
		*lang = -2;
		for (int l = 0; n == 2 && l < HM_LOCALE_COUNT; l++)
			if ((tag[0] | 0x20) == primary[l][0] && (tag[1] | 0x20) == primary[l][1])
				*lang = l;
		while (p < end && *p == '-') { /* subtags: 1-8 letters or digits */
			size_t m = 0;
			for (p++; p < end && (is_alpha(*p) || is_digit(*p)) && m < 8; p++)
				m++;
			if (m == 0)
				return false;
		}
	}
	p = skip_ows(p, end);
	*q = 1000;
	if (p == end)
		return true;
	if (*p != ';')
		return false;
	p = skip_ows(p + 1, end);
	if (end - p < 2 || (p[0] | 0x20) != 'q' || p[1] != '=')
		return false;
	const char *value = p + 2, *value_end = end;
	while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
		value_end--;
	return parse_qvalue(value, value_end, q);
}

enum hm_locale hm_lang_negotiate(const char *header)
{
	int q[HM_LOCALE_COUNT], at[HM_LOCALE_COUNT];
	int any_q = -1, index = 0;
	for (int l = 0; l < HM_LOCALE_COUNT; l++)
		q[l] = -1, at[l] = INT32_MAX;
	for (const char *p = header; p && *p; index++) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		int lang, value;
		if (parse_range(p, end, &lang, &value)) {
			if (lang == -1 && value > any_q)
				any_q = value;
			else if (lang >= 0 && value > q[lang]) {
				q[lang] = value;
				at[lang] = index;
			}
		}
		p = *end ? end + 1 : end;
	}
	enum hm_locale best = HM_LOCALE_EU;
	int best_q = 0, best_at = INT32_MAX;
	bool best_named = false, found = false;
	for (int l = 0; l < HM_LOCALE_COUNT; l++) {
		bool named = q[l] >= 0;
		int ql = named ? q[l] : any_q;
		if (ql <= 0)
			continue;
		bool better = !found || ql > best_q || (ql == best_q && named && !best_named) ||
			      (ql == best_q && named == best_named && at[l] < best_at);
		if (better) {
			best = (enum hm_locale)l;
			best_q = ql;
			best_at = at[l];
			best_named = named;
			found = true;
		}
	}
	return best;
}
