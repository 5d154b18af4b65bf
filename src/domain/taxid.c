// SPDX-License-Identifier: MIT
// Spanish NIF, NIE and CIF check characters (include/harreman/taxid.h): the DNI
// letter is the number modulo 23 in TRWAGMYFPDXBNJZSQVHLCKE (a NIE's X, Y, Z stand
// for 0, 1, 2); a CIF's control comes from its 7 digits (even places added, odd
// places doubled and their digits added) as a digit or as a letter of JABCDEFGHI.
#include <string.h>

#include "harreman/taxid.h"
#include "harreman/banned.h"

static const char dni_letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* The letter of a DNI-style number made of digits s[0..n). */
static char dni_letter(const char *s, size_t n)
{
	unsigned long v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	return dni_letters[v % 23];
}

static bool cif_valid(const char *s)
{
	/* Entities whose control is always a letter, or always a digit. */
	static const char letter_only[] = "NPQRSW";
	static const char digit_only[] = "ABEH";
	static const char kinds[] = "ABCDEFGHJNPQRSUVW";
	if (!strchr(kinds, s[0]) || !all_digits(s + 1, 7))
		return false;
	int sum = 0;
	for (int i = 1; i <= 7; i++) {
		int d = s[i] - '0';
		if (i % 2 == 0) {
			sum += d;
		} else {
			d *= 2;
			sum += d / 10 + d % 10;
		}
	}
	int control = (10 - sum % 10) % 10;
	char last = s[8];
	bool digit_ok = last == (char)('0' + control);
	bool letter_ok = last == "JABCDEFGHI"[control];
	if (strchr(letter_only, s[0]))
		return letter_ok;
	if (strchr(digit_only, s[0]))
		return digit_ok;
	return digit_ok || letter_ok;
}

bool hm_taxid_valid(const char *text, size_t len, char out[HM_TAXID_LEN + 1])
{
	char s[HM_TAXID_LEN + 1];
	size_t n = 0;
	if (!text)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == ' ' || c == '-' || c == '.')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_digit(c) && !(c >= 'A' && c <= 'Z'))
			return false;
		if (n == HM_TAXID_LEN)
			return false;
		s[n++] = c;
	}
	if (n != HM_TAXID_LEN)
		return false;
	s[n] = '\0';
	bool ok;
	if (is_digit(s[0])) { /* DNI */
		ok = all_digits(s, 8) && s[8] == dni_letter(s, 8);
	} else if (s[0] == 'X' || s[0] == 'Y' || s[0] == 'Z') { /* NIE */
		char num[8];
		num[0] = (char)('0' + (s[0] - 'X'));
		memcpy(num + 1, s + 1, 7);
		ok = all_digits(s + 1, 7) && s[8] == dni_letter(num, 8);
	} else if (s[0] == 'K' || s[0] == 'L' || s[0] == 'M') { /* NIF of a person without DNI */
		ok = all_digits(s + 1, 7) && s[8] == dni_letter(s + 1, 7);
	} else {
		ok = cif_valid(s);
	}
	if (ok && out)
		memcpy(out, s, HM_TAXID_LEN + 1);
	return ok;
}
