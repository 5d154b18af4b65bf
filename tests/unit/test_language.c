// SPDX-License-Identifier: MIT
// The pure text rules of the answers: words (split on everything but letters and
// digits, UTF-8 aware, case and accents folded), the search terms (Snowball stems
// per language plus a prefix: Basque "klaseak", "klaseen", "klaseetan" meet
// "klase"), the language detector (held at 90 % on the questions of
// tests/answer_questions.h) and the topics of a question to POST /ask.
#include <string.h>

#include "answer_questions.h"
#include "check.h"
#include "harreman/ask.h"
#include "harreman/language.h"
#include "harreman/terms.h"
#include "harreman/words.h"

/* The words of text, space-separated, accents off when plain. */
static const char *words(const char *text, bool plain)
{
	static char out[512];
	char w[HM_WORD_MAX + 1];
	size_t pos = 0, start, end, o = 0;
	out[0] = '\0';
	while (hm_word_next(text, strlen(text), &pos, w, &start, &end)) {
		if (plain)
			hm_word_unaccent(w);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? " " : "", w);
	}
	return out;
}

static void test_words(void)
{
	CHECK_STR(words("¿Cuánto cuesta la CANCELACIÓN?", false), "cuánto cuesta la cancelación");
	CHECK_STR(words("¿Cuánto cuesta la CANCELACIÓN?", true), "cuanto cuesta la cancelacion");
	CHECK_STR(words("Iñaki's e-mail: B2/C1, 24h!", true), "inaki s e mail b2 c1 24h");
	CHECK_STR(words("Zer × ÷ ΑΒΓ 東京", false), "zer"); /* signs and other scripts */
	CHECK_STR(words("", false), "");
	char broken[] = {'a', (char)0xC3, 'b', 0};
	CHECK_STR(words(broken, false), "a b");
	char w[HM_WORD_MAX + 1];
	char longword[200];
	memset(longword, 'x', sizeof longword - 1);
	longword[sizeof longword - 1] = '\0';
	size_t pos = 0, start, end;
	CHECK(hm_word_next(longword, strlen(longword), &pos, w, &start, &end));
	CHECK_INT(strlen(w), HM_WORD_MAX); /* cut, but the whole word is skipped */
	CHECK_INT(end, sizeof longword - 1);
}

struct collected {
	char text[512];
	size_t len;
};

static int collect(void *ctx, const char *term, size_t len, bool colocated, size_t start,
		   size_t end)
{
	struct collected *c = ctx;
	(void)start;
	(void)end;
	int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s%.*s",
			 c->len ? (colocated ? "+" : " ") : "", (int)len, term);
	c->len += n > 0 ? (size_t)n : 0;
	return c->len < sizeof c->text ? 0 : 1;
}

/* The terms of text in locale, space-separated; "+" joins a colocated one. */
static const char *terms(enum hm_locale locale, const char *text)
{
	static struct collected c;
	struct hm_terms t;
	c.len = 0;
	c.text[0] = '\0';
	CHECK(hm_terms_init(&t, locale));
	CHECK_INT(hm_terms_each(&t, text, strlen(text), collect, &c), 0);
	hm_terms_release(&t);
	return c.text;
}

/* Whether some term of a is also a term of b. */
static bool meet(enum hm_locale locale, const char *a, const char *b)
{
	char ta[520], tb[520];
	snprintf(ta, sizeof ta, " %s ", terms(locale, a));
	snprintf(tb, sizeof tb, "%s", terms(locale, b));
	for (char *p = ta; *p; p++)
		if (*p == '+')
			*p = ' ';
	for (char *p = tb; *p;) {
		size_t n = strcspn(p, " +");
		char needle[HM_WORD_MAX + 3];
		snprintf(needle, sizeof needle, " %.*s ", (int)n, p);
		if (strstr(ta, needle))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

static void test_basque_inflections(void)
{
	static const char *const forms[] = {"klaseak", "klaseen",  "klaseetan",
					    "klasea",  "Klaseari", "KLASEKO"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		CHECK(meet(HM_LOCALE_EU, "klase", forms[i]));
	CHECK_STR(terms(HM_LOCALE_EU, "klaseak"), "klase+klas");
	CHECK(meet(HM_LOCALE_EU, "prezioak", "prezioekin"));
	CHECK(meet(HM_LOCALE_EU, "azterketa", "azterketetarako"));
	CHECK(!meet(HM_LOCALE_EU, "klase", "prezio"));
	CHECK_STR(terms(HM_LOCALE_EU, "zer da hau eta nola"), ""); /* stopwords */
}

static void test_spanish_and_english_terms(void)
{
	CHECK(meet(HM_LOCALE_ES, "cancelación", "cancelar"));
	CHECK(meet(HM_LOCALE_ES, "CANCELACION", "cancelaciones")); /* no accent, other case */
	CHECK(meet(HM_LOCALE_ES, "exámenes", "examen"));
	CHECK(meet(HM_LOCALE_EN, "cancelling", "cancellation"));
	CHECK(meet(HM_LOCALE_EN, "prices", "price"));
	CHECK_STR(terms(HM_LOCALE_EN, "the price of it"), "price+pric");
	CHECK_STR(terms(HM_LOCALE_ES, "de la que"), "");
}

static void test_detector(void)
{
	CHECK_INT(hm_lang_detect("Zenbat balio du eskola batek?", 29), HM_LOCALE_EU);
	CHECK_INT(hm_lang_detect("¿Dónde estáis?", strlen("¿Dónde estáis?")), HM_LOCALE_ES);
	CHECK_INT(hm_lang_detect("When is the phone open?", 23), HM_LOCALE_EN);
	CHECK_INT(hm_lang_detect("", 0), HM_LOCALE_EU); /* nothing tells: Basque */
	CHECK_INT(hm_lang_detect("Bilbao", 6), HM_LOCALE_EU);
	int asked[HM_LOCALE_COUNT] = {0}, right[HM_LOCALE_COUNT] = {0};
	for (size_t i = 0; i < sizeof answer_questions / sizeof answer_questions[0]; i++) {
		const struct answer_question *q = &answer_questions[i];
		enum hm_locale want = hm_locale_from_name(q->locale);
		enum hm_locale got = hm_lang_detect(q->question, strlen(q->question));
		asked[want]++;
		right[want] += got == want;
		if (got != want)
			fprintf(stderr, "   detected %s: %s\n", hm_locale_name(got), q->question);
	}
	for (int l = 0; l < HM_LOCALE_COUNT; l++) {
		fprintf(stderr, "detector %s: %d/%d\n", hm_locale_name((enum hm_locale)l), right[l],
			asked[l]);
		CHECK(right[l] * 10 >= asked[l] * 9);
	}
}

static void test_topics(void)
{
	struct hm_ask_topics t;
	const char *q = "Zenbat balio du MATEMATIKAKO eskola batek?";
	hm_ask_topics(q, strlen(q), &t);
	CHECK(t.prices && !t.hours);
	CHECK_STR(t.subject, "maths");
	q = "¿A qué hora abrís el teléfono?";
	hm_ask_topics(q, strlen(q), &t);
	CHECK(t.hours && !t.prices && !t.subject);
	q = "Price of English lessons";
	hm_ask_topics(q, strlen(q), &t);
	CHECK(t.prices && !t.hours);
	CHECK_STR(t.subject, "english");
	q = "Kaixo!";
	hm_ask_topics(q, strlen(q), &t);
	CHECK(!t.prices && !t.hours && !t.subject);
	q = "Kimikako eskolak ematen dituzue?";
	CHECK(hm_ask_names(q, strlen(q), NULL, "Kimika — eskola partikularra"));
	CHECK(hm_ask_names(q, strlen(q), "chemistry", NULL) == false);
	q = "chemistry tutoring";
	CHECK(hm_ask_names(q, strlen(q), "chemistry", NULL));
	CHECK(!hm_ask_names(q, strlen(q), NULL, "Fisika — eskola partikularra"));
}

/* The key of a cached /ask answer: the words, whatever the case, punctuation and
 * spacing; a different word, another key; too long, no key. */
static void test_ask_words(void)
{
	char a[128], b[128], small[8];
	const char *q = "  Zenbat BALIO du matematika eskola batek?? ";
	CHECK(hm_ask_words(q, strlen(q), a, sizeof a));
	CHECK_STR(a, "zenbat balio du matematika eskola batek");
	q = "zenbat balio du, matematika-eskola batek";
	CHECK(hm_ask_words(q, strlen(q), b, sizeof b));
	CHECK_STR(a, b);
	q = "¿Cuánto cuesta la clase de FÍSICA?";
	CHECK(hm_ask_words(q, strlen(q), b, sizeof b));
	CHECK_STR(b, "cuánto cuesta la clase de física"); /* accents kept: the stemmer's */
	q = "zenbat balio du fisika eskola batek";
	CHECK(hm_ask_words(q, strlen(q), b, sizeof b));
	CHECK(strcmp(a, b) != 0);
	CHECK(hm_ask_words("?!", 2, b, sizeof b));
	CHECK_STR(b, "");
	q = "zenbat balio";
	CHECK(!hm_ask_words(q, strlen(q), small, sizeof small));
	CHECK(hm_ask_words("zenbat", 6, small, sizeof small));
	CHECK(!hm_ask_words("x", 1, small, 0));
}

/* Accept-Language: q-values, wildcards, region tags, malformed headers. */
static void test_negotiate(void)
{
	CHECK_INT(hm_lang_negotiate(NULL), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate(""), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate("es"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en"), HM_LOCALE_EN);
	CHECK_INT(hm_lang_negotiate("EN-gb"), HM_LOCALE_EN);
	CHECK_INT(hm_lang_negotiate("es-ES,es;q=0.9,en;q=0.8"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("eu-ES, es;q=0.5"), HM_LOCALE_EU);
	/* q-values decide, not the order. */
	CHECK_INT(hm_lang_negotiate("es;q=0.5, en;q=0.8"), HM_LOCALE_EN);
	CHECK_INT(hm_lang_negotiate("fr-FR, fr;q=0.9, en;q=0.7, es;q=0.71"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en;q=0.1,es;q=0.05"), HM_LOCALE_EN);
	CHECK_INT(hm_lang_negotiate("es;q=1.000 , en"), HM_LOCALE_ES); /* a tie: the earlier */
	CHECK_INT(hm_lang_negotiate("en, es"), HM_LOCALE_EN);
	CHECK_INT(hm_lang_negotiate(" en ; q=0.5 ,\tes ; q=0.4"), HM_LOCALE_EN);
	/* q=0: not acceptable. */
	CHECK_INT(hm_lang_negotiate("eu;q=0, es;q=0.1"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en;q=0"), HM_LOCALE_EU);
	/* Wildcards: every language not named; named ones beat it on a tie. */
	CHECK_INT(hm_lang_negotiate("*"), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate("fr, *;q=0.5"), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate("eu;q=0, *"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("*, en"), HM_LOCALE_EN);
	CHECK_INT(hm_lang_negotiate("*;q=0.9, en;q=0.5"), HM_LOCALE_EU);
	/* Only languages the business does not write: Basque. */
	CHECK_INT(hm_lang_negotiate("fr-CH, fr;q=0.9, de;q=0.8"), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate("esp, eng"), HM_LOCALE_EU); /* not "es", "en" */
	/* Malformed ranges are skipped, the good ones kept. */
	CHECK_INT(hm_lang_negotiate("en;q=2"), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate("en;q=1.5, es;q=0.2"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en;q=0.5x, es;q=0.2"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en;q=0.0001, es;q=0.2"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en;level=1, es;q=0.2"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("e!n, es;q=0.3"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("en-, es;q=0.3"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate(",,, ;;; ="), HM_LOCALE_EU);
	CHECK_INT(hm_lang_negotiate("en-verylongsubtag, es;q=0.3"), HM_LOCALE_ES);
	CHECK_INT(hm_lang_negotiate("es-419"), HM_LOCALE_ES);
	/* ?locale= values: exactly the three names. */
	enum hm_locale l = HM_LOCALE_EN;
	CHECK(hm_lang_parse_locale("es", &l) && l == HM_LOCALE_ES);
	CHECK(hm_lang_parse_locale("eu", &l) && l == HM_LOCALE_EU);
	CHECK(!hm_lang_parse_locale("ES", &l));
	CHECK(!hm_lang_parse_locale("fr", &l));
	CHECK(!hm_lang_parse_locale("", &l));
	CHECK(!hm_lang_parse_locale(NULL, &l));
}

int main(void)
{
	RUN(test_negotiate);
	RUN(test_words);
	RUN(test_basque_inflections);
	RUN(test_spanish_and_english_terms);
	RUN(test_detector);
	RUN(test_topics);
	RUN(test_ask_words);
	return CHECK_EXIT();
}
