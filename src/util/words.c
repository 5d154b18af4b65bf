// SPDX-License-Identifier: MIT
// Words of a text (include/harreman/words.h): splitting on everything but letters
// and digits, lower-casing with hm_casefold, taking accents off. Pure: no
// allocation, no locale.
#include <stdint.h>

#include "harreman/casefold.h"
#include "harreman/words.h"
#include "harreman/banned.h"

/* The byte length of the letter or digit at s[0..len), or 0 when it is neither
 * (a separator, or broken UTF-8). */
static size_t letter_len(const unsigned char *s, size_t len)
{
	unsigned char b = s[0];
	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9'))
		return 1;
	if ((b == 0xC3 || b == 0xC4 || b == 0xC5) && len >= 2 && (s[1] & 0xC0) == 0x80) {
		uint32_t c = ((uint32_t)(b & 0x1F) << 6) | (s[1] & 0x3F);
		if (c >= 0xC0 && c != 0xD7 && c != 0xF7)
			return 2; /* U+00C0..U+017F but the signs x and / */
	}
	return 0;
}

/* The byte length of the character at s[0..len) (1 for a broken one). */
static size_t char_len(const unsigned char *s, size_t len)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
	if (n > len)
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

bool hm_word_next(const char *text, size_t len, size_t *pos, char word[HM_WORD_MAX + 1],
		  size_t *start, size_t *end)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = *pos, n;
	while (i < len && letter_len(s + i, len - i) == 0)
		i += char_len(s + i, len - i);
	if (i >= len) {
		*pos = len;
		return false;
	}
	size_t first = i, kept = 0;
	while (i < len && (n = letter_len(s + i, len - i)) > 0) {
		if (i + n - first <= HM_WORD_MAX)
			kept = i + n - first;
		i += n;
	}
	hm_casefold(text + first, kept, word);
	word[kept] = '\0';
	*start = first;
	*end = i;
	*pos = i;
	return true;
}

/* The unaccented ASCII letter of U+00E0..U+00FF, or 0 to keep the letter. */
static char plain_of(uint32_t c)
{
	static const char plain[32] = "aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0y";
	if (c < 0xE0 || c > 0xFF)
		return 0;
	return plain[c - 0xE0];
}

size_t hm_word_unaccent(char *word)
{
	unsigned char *s = (unsigned char *)word;
	size_t in = 0, out = 0;
	while (s[in]) {
		if (s[in] == 0xC3 && (s[in + 1] & 0xC0) == 0x80) {
			char p = plain_of(0xC0u | (s[in + 1] & 0x3Fu));
			if (p) {
				s[out++] = (unsigned char)p;
				in += 2;
				continue;
			}
		}
		s[out++] = s[in++];
	}
	s[out] = '\0';
	return out;
}
