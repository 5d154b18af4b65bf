// SPDX-License-Identifier: MIT
// Payment rules (include/harreman/sepa.h): IBAN and creditor identifier checks
// (ISO 13616 / ISO 7064 mod 97 over the digits, letters as 10..35), the IBAN's
// masked form, the TARGET2 calendar (Easter by the anonymous Gregorian
// algorithm), FRST/RCUR, a payment's allocation, text in the SEPA character set.
#include <string.h>

#include "harreman/hours.h"
#include "harreman/sepa.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static char upper(char c)
{
	if (c >= 'a' && c <= 'z')
		return (char)(c - ('a' - 'A'));
	return c;
}

/* Feeds one character (0-9, A-Z) into a running mod 97 remainder. */
static unsigned mod97_feed(unsigned r, char c)
{
	if (is_digit(c))
		return (r * 10 + (unsigned)(c - '0')) % 97;
	unsigned v = (unsigned)(c - 'A') + 10; /* two digits */
	return (r * 100 + v) % 97;
}

static unsigned mod97(const char *s, size_t n, unsigned r)
{
	for (size_t i = 0; i < n; i++)
		r = mod97_feed(r, s[i]);
	return r;
}

/* Lengths of the IBANs of the SEPA countries (EPC list). */
static const struct {
	char cc[3];
	unsigned char len;
} iban_lengths[] = {
	{"AD", 24}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28}, {"CZ", 24},
	{"DE", 22}, {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FR", 27}, {"GB", 22},
	{"GI", 23}, {"GR", 27}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27},
	{"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MT", 31}, {"NL", 18},
	{"NO", 15}, {"PL", 28}, {"PT", 25}, {"RO", 24}, {"SE", 24}, {"SI", 19}, {"SK", 24},
	{"SM", 27}, {"VA", 22},
};

static size_t iban_length(const char *cc)
{
	for (size_t i = 0; i < sizeof iban_lengths / sizeof iban_lengths[0]; i++)
		if (iban_lengths[i].cc[0] == cc[0] && iban_lengths[i].cc[1] == cc[1])
			return iban_lengths[i].len;
	return 0;
}

/* The Spanish CCC check digit of 10 digits (weights 1,2,4,8,5,10,9,7,3,6). */
static char ccc_digit(const char *s)
{
	static const int w[10] = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += (s[i] - '0') * w[i];
	int d = 11 - sum % 11;
	if (d == 10)
		d = 1;
	else if (d == 11)
		d = 0;
	return (char)('0' + d);
}

static bool es_national_ok(const char *iban)
{
	const char *ccc = iban + 4; /* bank 4, branch 4, DD, account 10 */
	for (int i = 0; i < 20; i++)
		if (!is_digit(ccc[i]))
			return false;
	char first[10] = {'0', '0'};
	memcpy(first + 2, ccc, 8);
	return ccc_digit(first) == ccc[8] && ccc_digit(ccc + 10) == ccc[9];
}

/* text (len bytes) without spaces, upper case, into s (at most max characters and
 * a NUL): its length, or 0 when it holds another character, is too long, or does
 * not start with 2 letters and 2 digits (country and check digits). */
static size_t compact_code(const char *text, size_t len, char *s, size_t max)
{
	size_t n = 0;
	if (!text)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = upper(text[i]);
		if (c == ' ')
			continue;
		if (n == max || !(is_digit(c) || is_upper(c)))
			return 0;
		s[n++] = c;
	}
	s[n] = '\0';
	if (n < 4 || !is_upper(s[0]) || !is_upper(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
		return 0;
	return n;
}

bool hm_iban_valid(const char *text, size_t len, char out[HM_IBAN_MAX + 1])
{
	char s[HM_IBAN_MAX + 1];
	size_t n = compact_code(text, len, s, HM_IBAN_MAX);
	if (n < 5 || iban_length(s) != n)
		return false;
	if (mod97(s, 4, mod97(s + 4, n - 4, 0)) != 1)
		return false;
	if (s[0] == 'E' && s[1] == 'S' && !es_national_ok(s))
		return false;
	if (out)
		memcpy(out, s, n + 1);
	return true;
}

void hm_iban_mask(const char *iban, char out[HM_IBAN_MASKED_MAX + 1])
{
	size_t n = strnlen(iban, HM_IBAN_MAX), o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		char c = '*';
		if (i < 4 || i >= n - 4)
			c = iban[i];
		out[o++] = c;
	}
	out[o] = '\0';
}

/* Check digits of an AT-02 national part (drops the ignorable punctuation into
 * clean, at most cap - 1 characters); -1 when a character is not allowed. */
static int creditor_digits(const char *nat, size_t len, char *clean, size_t cap)
{
	static const char ignored[] = " /-?:().,'+";
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = upper(nat[i]);
		if (c != '\0' && strchr(ignored, c))
			continue;
		if (!(is_digit(c) || is_upper(c)) || n + 1 >= cap)
			return -1;
		clean[n++] = c;
	}
	clean[n] = '\0';
	if (n == 0)
		return -1;
	return (int)(98 - mod97("ES00", 4, mod97(clean, n, 0)));
}

bool hm_creditor_id_make(const char *nif, const char *suffix, char out[HM_CREDITOR_ID_MAX + 1])
{
	char clean[HM_CREDITOR_ID_MAX + 1];
	if (!nif || !suffix || strlen(suffix) != 3)
		return false;
	for (int i = 0; i < 3; i++)
		if (!(is_digit(upper(suffix[i])) || is_upper(upper(suffix[i]))))
			return false;
	int d = creditor_digits(nif, strlen(nif), clean, HM_CREDITOR_ID_MAX + 1 - 7);
	if (d < 0)
		return false;
	out[0] = 'E';
	out[1] = 'S';
	out[2] = (char)('0' + d / 10);
	out[3] = (char)('0' + d % 10);
	for (int i = 0; i < 3; i++)
		out[4 + i] = upper(suffix[i]);
	memcpy(out + 7, clean, strlen(clean) + 1);
	return true;
}

bool hm_creditor_id_valid(const char *text, size_t len, char out[HM_CREDITOR_ID_MAX + 1])
{
	char s[HM_CREDITOR_ID_MAX + 1];
	size_t n = compact_code(text, len, s, HM_CREDITOR_ID_MAX);
	if (n < 8)
		return false;
	/* national part + country + check digits, mod 97 = 1 */
	unsigned r = mod97(s + 7, n - 7, 0);
	r = mod97(s, 4, r);
	if (r != 1)
		return false;
	if (out)
		memcpy(out, s, n + 1);
	return true;
}

void hm_easter(int y, int *month, int *day)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	*month = (h + l - 7 * m + 114) / 31;
	*day = (h + l - 7 * m + 114) % 31 + 1;
}

static bool open_day(int64_t z)
{
	int64_t wd = (z + 4) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
	if (wd < 0)
		wd += 7;
	if (wd == 0 || wd == 6)
		return false;
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(z, &y, &m, &d);
	if ((m == 1 && d == 1) || (m == 5 && d == 1) || (m == 12 && (d == 25 || d == 26)))
		return false;
	int em, ed;
	hm_easter((int)y, &em, &ed);
	int64_t easter = hm_days_from_civil(y, (unsigned)em, (unsigned)ed);
	return z != easter - 2 && z != easter + 1;
}

bool hm_target2_open(int y, int m, int d)
{
	return open_day(hm_days_from_civil(y, (unsigned)m, (unsigned)d));
}

bool hm_collection_date_ok(const char *today, const char *collection, int min_days)
{
	int64_t t, c;
	if (!today || !collection || !hm_date_parse(today, &t) || !hm_date_parse(collection, &c))
		return false;
	if (c <= t || !open_day(c))
		return false;
	int count = 0;
	for (int64_t z = t + 1; z <= c && count < min_days; z++)
		count += open_day(z);
	return count >= min_days;
}

const char *hm_sepa_sequence(bool collected_before)
{
	return collected_before ? "RCUR" : "FRST";
}

bool hm_payment_allocate(const int64_t *due, size_t n, int64_t amount, int64_t *applied)
{
	int64_t total = 0;
	if (amount <= 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (due[i] < 0)
			return false;
		total += due[i];
		if (total >= amount)
			break;
	}
	if (total < amount)
		return false;
	int64_t left = amount;
	for (size_t i = 0; i < n; i++) {
		applied[i] = left < due[i] ? left : due[i];
		left -= applied[i];
	}
	return true;
}

bool hm_sepa_reason_known(const char *code)
{
	/* EPC SDD Core rulebook, R-transaction reason codes (ISO 20022 ExternalReason). */
	static const char *const codes[] = {"AC01", "AC04", "AC06", "AC13", "AG01", "AG02",
					    "AM04", "AM05", "BE05", "CNOR", "DNOR", "FF01",
					    "MD01", "MD02", "MD06", "MD07", "MS02", "MS03",
					    "RC01", "RR01", "RR02", "RR03", "RR04", "SL01"};
	for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* The SEPA letter for the Latin-1 supplement character 0xC3 follower b, or 0. */
static char latin1_letter(unsigned char b)
{
	static const char map[65] = "AAAAAAACEEEEIIII"
				    "DNOOOOO OUUUUY  "
				    "aaaaaaaceeeeiiii"
				    "dnooooo ouuuuy y";
	if (b < 0x80 || b > 0xBF)
		return 0;
	char c = map[b - 0x80];
	if (c == ' ')
		return 0;
	return c;
}

void hm_sepa_text(const char *utf8, char *out, size_t cap, size_t max)
{
	static const char allowed[] = "/-?:().,'+ ";
	const unsigned char *s = (const unsigned char *)utf8;
	size_t o = 0;
	if (cap == 0)
		return;
	if (max >= cap)
		max = cap - 1;
	while (s && *s && o < max) {
		char c = 0;
		if (*s < 0x80) {
			char a = (char)*s++;
			c = ' ';
			if (is_digit(a) || is_upper(a) || (a >= 'a' && a <= 'z') ||
			    strchr(allowed, a))
				c = a;
		} else {
			unsigned char lead = *s++;
			if (lead == 0xC3 && *s)
				c = latin1_letter(*s);
			while (*s >= 0x80 && *s < 0xC0) /* the rest of the sequence */
				s++;
			if (!c)
				c = ' ';
		}
		out[o++] = c;
	}
	out[o] = '\0';
}
