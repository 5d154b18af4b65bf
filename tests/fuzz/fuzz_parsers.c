// SPDX-License-Identifier: MIT
// libFuzzer harness: every small parser of ours on the same bytes, with property
// checks (abort() when one breaks):
//   - hm_time_parse accepts t => hm_time_format(t) parses back to t, and the
//     formatted text is a fixed point (format(parse(format(t))) == format(t));
//   - hm_date_parse / hm_hhmm_parse: accepted values are in range and
//     hm_hhmm_format round-trips;
//   - hm_email_normalize: the result is at most HM_MAX_EMAIL bytes, contains one
//     '@', and normalising it again gives the same text;
//   - hm_cookie_find: the value written is NUL-terminated within out_size;
//   - hm_static_path_is_safe: an accepted path starts with '/', never contains
//     "/../", "/./" or "//", never ends in "/.." and never has a segment starting
//     with '.' (so never starts with "/.");
//   - hm_casefold keeps the length (writes exactly len bytes, no more);
//   - hm_router_match on hm_routes: a FOUND index is in range, its methods include
//     the method (HEAD matches GET), NO_METHOD's allowed mask is not empty;
//   - hm_body_parse: exactly one of object / 400 / 422 with fields / out of memory,
//     and an object or the fields only where it says so;
//   - hm_word_next: words are NUL-terminated, at most HM_WORD_MAX bytes, inside the
//     text, in order, and the walk ends; hm_word_unaccent only shortens;
//   - hm_lang_detect answers one of the three languages;
//   - hm_http_date_parse accepts t => hm_http_date_format(t) parses back to t;
//     hm_etag_list_matches and hm_not_modified never read past the text.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/casefold.h"
#include "harreman/conditional.h"
#include "harreman/language.h"
#include "harreman/dispatch.h"
#include "harreman/hours.h"
#include "harreman/router.h"
#include "harreman/static_files.h"
#include "harreman/timefmt.h"
#include "harreman/token.h"
#include "harreman/validate.h"
#include "harreman/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...)                                                               \
	do {                                                                    \
		fprintf(stderr, "fuzz_parsers: property broken: " __VA_ARGS__); \
		fprintf(stderr, "\n");                                          \
		abort();                                                        \
	} while (0)

static void check_time(const char *s)
{
	int64_t t = 0, t2 = 0, t3 = 0;
	char f1[HM_RFC3339_LEN], f2[HM_RFC3339_LEN];
	if (!hm_time_parse(s, &t))
		return;
	hm_time_format(t, f1);
	if (strlen(f1) >= HM_RFC3339_LEN)
		FAIL("hm_time_format(%lld) overflows", (long long)t);
	if (!hm_time_parse(f1, &t2))
		FAIL("hm_time_parse(\"%s\") accepted %lld, formatted \"%s\" is refused", s,
		     (long long)t, f1);
	if (t2 != t)
		FAIL("\"%s\" -> %lld -> \"%s\" -> %lld", s, (long long)t, f1, (long long)t2);
	hm_time_format(t2, f2);
	if (strcmp(f1, f2) != 0 || !hm_time_parse(f2, &t3) || t3 != t)
		FAIL("format is not a fixed point: \"%s\" vs \"%s\"", f1, f2);
}

static void check_date_hhmm(const char *s)
{
	int64_t day = 0;
	if (hm_date_parse(s, &day)) {
		int64_t y = 0;
		unsigned m = 0, d = 0;
		hm_civil_from_days(day, &y, &m, &d);
		if (m < 1 || m > 12 || d < 1 || d > 31)
			FAIL("hm_date_parse(\"%s\") gave day %lld = %lld-%u-%u", s, (long long)day,
			     (long long)y, m, d);
		if (hm_days_from_civil(y, m, d) != day)
			FAIL("civil round trip of day %lld", (long long)day);
	}
	for (int allow_24 = 0; allow_24 <= 1; allow_24++) {
		int minutes = -1, again = -1;
		char out[6];
		if (!hm_hhmm_parse(s, allow_24 != 0, &minutes))
			continue;
		if (minutes < 0 || minutes > (allow_24 ? 24 * 60 : 24 * 60 - 1))
			FAIL("hm_hhmm_parse(\"%s\", %d) = %d", s, allow_24, minutes);
		hm_hhmm_format(minutes, out);
		if (!hm_hhmm_parse(out, allow_24 != 0, &again) || again != minutes)
			FAIL("hhmm round trip: \"%s\" -> %d -> \"%s\" -> %d", s, minutes, out,
			     again);
	}
}

static void check_email(const char *s)
{
	char out[HM_MAX_EMAIL + 1], again[HM_MAX_EMAIL + 1];
	memset(out, 'X', sizeof out);
	if (!hm_email_normalize(s, out))
		return;
	size_t n = strnlen(out, sizeof out);
	if (n > HM_MAX_EMAIL)
		FAIL("hm_email_normalize: result not terminated");
	const char *at = strchr(out, '@');
	if (!at || strchr(at + 1, '@'))
		FAIL("hm_email_normalize(\"%s\") = \"%s\": not one '@'", s, out);
	if (!hm_email_normalize(out, again) || strcmp(out, again) != 0)
		FAIL("hm_email_normalize not idempotent: \"%s\" -> \"%s\"", s, out);
}

static void check_cookie(const char *header, const char *name)
{
	char out[64];
	memset(out, 'X', sizeof out);
	if (hm_cookie_find(header, name, out, sizeof out)) {
		if (!memchr(out, '\0', sizeof out))
			FAIL("hm_cookie_find: value not NUL-terminated");
	}
	char big[HM_TOKEN_TEXT_LEN];
	(void)hm_cookie_find(header, "hm_session", big, sizeof big);
	char tiny[1];
	(void)hm_cookie_find(header, name, tiny, sizeof tiny);
}

static void check_static_path(const char *p)
{
	if (!hm_static_path_is_safe(p))
		return;
	size_t n = strlen(p);
	if (p[0] != '/')
		FAIL("safe path \"%s\" does not start with '/'", p);
	if (strstr(p, "/../") || strstr(p, "/./") || strstr(p, "//") || strncmp(p, "/.", 2) == 0)
		FAIL("unsafe path \"%s\" accepted", p);
	if (n >= 3 && strcmp(p + n - 3, "/..") == 0)
		FAIL("unsafe path \"%s\" accepted (ends in /..)", p);
	if (strstr(p, "/."))
		FAIL("path \"%s\" with a dot segment accepted", p);
	if (strchr(p, '\\'))
		FAIL("path \"%s\" with a backslash accepted", p);
	(void)hm_static_mime_type(p);
}

static void check_casefold(const uint8_t *data, size_t size)
{
	/* Exactly size bytes of output, so ASan catches a write past the end. */
	char *out = malloc(size ? size : 1);
	if (!out)
		return;
	hm_casefold((const char *)data, size, out);
	free(out);
}

static void check_router(const char *path)
{
	static const enum hm_method methods[] = {HM_GET,   HM_HEAD,   HM_POST, HM_PUT,
						 HM_PATCH, HM_DELETE, HM_OTHER};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t index = (size_t)-1;
		int64_t ids[HM_MAX_PATH_IDS] = {0};
		unsigned allowed = 0;
		enum hm_match m = hm_router_match(hm_routes, hm_route_count, methods[i], path,
						  &index, ids, &allowed);
		switch (m) {
		case HM_MATCH_FOUND: {
			if (index >= hm_route_count)
				FAIL("router: index %zu out of range for \"%s\"", index, path);
			unsigned want = methods[i] == HM_HEAD ? (HM_GET | HM_HEAD) : methods[i];
			if (!(hm_routes[index].methods & want))
				FAIL("router: \"%s\" matched a route without method %d", path,
				     (int)methods[i]);
			for (size_t k = 0; k < HM_MAX_PATH_IDS; k++)
				if (ids[k] < 0)
					FAIL("router: negative id %lld in \"%s\"",
					     (long long)ids[k], path);
			break;
		}
		case HM_MATCH_NO_METHOD: {
			char allow[128];
			if (allowed == 0)
				FAIL("router: 405 for \"%s\" with no allowed method", path);
			hm_router_allow_header(allowed, allow, sizeof allow);
			break;
		}
		case HM_MATCH_NO_PATH: break;
		default: FAIL("router: unknown result %d", (int)m);
		}
	}
}

static void check_body(const char *s, size_t len)
{
	json_t *out = NULL, *fields = NULL;
	switch (hm_body_parse(s, len, &out, &fields)) {
	case HM_BODY_OK:
		if (!json_is_object(out) || fields)
			FAIL("hm_body_parse OK without an object");
		break;
	case HM_BODY_INVALID:
		if (out || !json_is_object(fields) || json_object_size(fields) == 0)
			FAIL("hm_body_parse INVALID without fields");
		break;
	case HM_BODY_BAD_JSON:
	case HM_BODY_NO_MEMORY:
		if (out || fields)
			FAIL("hm_body_parse refused but handed something back");
		break;
	}
	json_decref(out);
	json_decref(fields);
}

static void check_words(const char *s, size_t len)
{
	size_t pos = 0, start = 0, end = 0, last_end = 0, n = 0;
	char word[HM_WORD_MAX + 1];
	while (hm_word_next(s, len, &pos, word, &start, &end)) {
		size_t wl = strnlen(word, sizeof word);
		if (wl > HM_WORD_MAX || wl == 0)
			FAIL("a word of %zu bytes", wl);
		if (start < last_end || end <= start || end > len || pos < end || pos > len)
			FAIL("word range %zu..%zu (pos %zu, text %zu)", start, end, pos, len);
		if (hm_word_unaccent(word) > wl)
			FAIL("unaccent made a word longer");
		last_end = end;
		if (++n > len)
			FAIL("more words than bytes");
	}
	enum hm_locale l = hm_lang_detect(s, len);
	if (l != HM_LOCALE_EU && l != HM_LOCALE_ES && l != HM_LOCALE_EN)
		FAIL("hm_lang_detect gave %d", (int)l);
}

static void check_conditional(const char *s)
{
	int64_t t = 0, t2 = 0;
	char date[HM_HTTP_DATE_LEN];
	if (hm_http_date_parse(s, &t)) {
		hm_http_date_format(t, date);
		if (!hm_http_date_parse(date, &t2) || t2 != t)
			FAIL("HTTP date \"%s\" -> %lld -> \"%s\" does not read back", s,
			     (long long)t, date);
	}
	(void)hm_etag_list_matches(s, "\"abc\"");
	(void)hm_not_modified(s, s, "\"abc\"", 1700000000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return -1;
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_time(s);
	check_date_hhmm(s);
	check_email(s);
	check_static_path(s);
	check_router(s);
	check_casefold(data, size);
	check_body((const char *)data, size);
	check_words((const char *)data, size);
	check_conditional(s);
	(void)hm_text_is_valid(s, 200);
	(void)hm_utf8_chars(s);

	/* Cookie: the whole text as the header, and its first "name=" as the name. */
	char name[32] = "hm_session";
	const char *eq = memchr(s, '=', strnlen(s, 31));
	if (eq) {
		size_t nl = (size_t)(eq - s);
		memcpy(name, s, nl);
		name[nl] = '\0';
	}
	check_cookie(s, name);
	(void)hm_method_from_name(s);

	free(s);
	return 0;
}
