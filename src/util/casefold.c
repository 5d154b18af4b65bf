// SPDX-License-Identifier: MIT
// Case folding of Latin letters (include/harreman/casefold.h). Every letter folded
// here keeps its UTF-8 length: ASCII stays one byte, U+00C0..U+017F two.
#include <stdint.h>

#include "harreman/casefold.h"
#include "harreman/banned.h"

/* The lower-case code point of a two-byte code point, or itself. */
static uint32_t fold_latin(uint32_t c)
{
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20; /* À..Þ, not × */
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c % 2 == 0 ? c + 1 : c; /* pairs: even upper, odd lower */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c % 2 == 1 ? c + 1 : c; /* pairs: odd upper, even lower */
	if (c == 0x178)
		return 0xFF; /* Ÿ */
	return c;
}

void hm_casefold(const char *in, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	unsigned char *d = (unsigned char *)out;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = s[i];
		if (b >= 'A' && b <= 'Z') {
			d[i] = (unsigned char)(b + 32);
		} else if ((b == 0xC3 || b == 0xC4 || b == 0xC5) && i + 1 < len &&
			   (s[i + 1] & 0xC0) == 0x80) {
			uint32_t c = fold_latin(((uint32_t)(b & 0x1F) << 6) | (s[i + 1] & 0x3F));
			d[i] = (unsigned char)(0xC0 | (c >> 6));
			d[i + 1] = (unsigned char)(0x80 | (c & 0x3F));
			i++;
		} else {
			d[i] = b;
		}
	}
}
