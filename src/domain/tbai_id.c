// SPDX-License-Identifier: MIT
// TicketBAI's pure parts (include/harreman/tbai.h): the CRC-8, the 39-character
// identifier, the QR address with its CRC and the local issue date and time.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harreman/tbai.h"
#include "harreman/banned.h"

/* Longest value accepted in a QR parameter (identifier 39, series and number 20,
 * total 16 at most in the schema): anything longer is not a TicketBAI value. */
#define QR_VALUE_MAX 64
/* Longest checking-page address accepted. */
#define QR_BASE_MAX 256

uint8_t hm_tbai_crc8(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint8_t crc = 0;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int bit = 0; bit < 8; bit++)
			crc = (uint8_t)((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
	}
	return crc;
}

static bool nif_ok(const char *nif)
{
	if (!nif || strlen(nif) != 9)
		return false;
	for (int i = 0; i < 9; i++)
		if (!isalnum((unsigned char)nif[i]))
			return false;
	return true;
}

/* "DD-MM-YYYY" with a day 01..31 and a month 01..12. */
static bool date_ok(const char *d)
{
	if (!d || strlen(d) != 10 || d[2] != '-' || d[5] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 2 && i != 5 && !isdigit((unsigned char)d[i]))
			return false;
	int day = (d[0] - '0') * 10 + (d[1] - '0');
	int month = (d[3] - '0') * 10 + (d[4] - '0');
	return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

static bool base64_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '/' || c == '=';
}

bool hm_tbai_identifier(const char *nif, const char *date, const char *signature_value,
			char out[HM_TBAI_ID_LEN + 1])
{
	out[0] = '\0';
	if (!nif_ok(nif) || !date_ok(date) || !signature_value)
		return false;
	char sig[14];
	size_t n = 0;
	for (const char *p = signature_value; *p && n < 13; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!base64_char(*p))
			return false;
		sig[n++] = *p;
	}
	if (n < 13)
		return false;
	sig[13] = '\0';
	char head[HM_TBAI_ID_LEN + 1];
	int len = snprintf(head, sizeof head, "TBAI-%s-%.2s%.2s%.2s-%s-", nif, date, date + 3,
			   date + 8, sig);
	if (len != HM_TBAI_ID_LEN - 3)
		return false;
	unsigned crc = hm_tbai_crc8(head, (size_t)len);
	memcpy(out, head, (size_t)len);
	out[len] = (char)('0' + crc / 100);
	out[len + 1] = (char)('0' + crc / 10 % 10);
	out[len + 2] = (char)('0' + crc % 10);
	out[len + 3] = '\0';
	return true;
}

/* Appends "&name=" (or "?name=" first) and value percent-encoded to out at *at. */
static void put_param(char *out, size_t *at, char sep, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	*at += (size_t)snprintf(out + *at, 8, "%c%s=", sep, name);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			out[(*at)++] = (char)*p;
		} else {
			out[(*at)++] = '%';
			out[(*at)++] = hex[*p >> 4];
			out[(*at)++] = hex[*p & 15];
		}
	}
	out[*at] = '\0';
}

static bool value_ok(const char *v)
{
	return v && *v && strlen(v) <= QR_VALUE_MAX;
}

char *hm_tbai_qr_url(const char *base_url, const char *identifier, const char *series,
		     const char *number, const char *total)
{
	if (!base_url || !*base_url || strlen(base_url) > QR_BASE_MAX || !value_ok(identifier) ||
	    !value_ok(number) || !value_ok(total) || (series && strlen(series) > QR_VALUE_MAX))
		return NULL;
	for (const char *p = base_url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return NULL;
	/* Base, four parameters at three bytes a value byte, "&cr=NNN" and the NUL. */
	size_t cap = strlen(base_url) + (size_t)4 * (4 + 3 * QR_VALUE_MAX) + 8 + 1;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t at = (size_t)snprintf(out, cap, "%s", base_url);
	put_param(out, &at, '?', "id", identifier);
	if (series && *series)
		put_param(out, &at, '&', "s", series);
	put_param(out, &at, '&', "nf", number);
	put_param(out, &at, '&', "i", total);
	snprintf(out + at, cap - at, "&cr=%03u", (unsigned)hm_tbai_crc8(out, at));
	return out;
}

bool hm_tbai_local_date_time(int64_t t, char date[11], char time_[9])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if ((int64_t)tt != t || !localtime_r(&tt, &tm) || tm.tm_year + 1900 < 1000 ||
	    tm.tm_year + 1900 > 9999)
		return false;
	return strftime(date, 11, "%d-%m-%Y", &tm) == 10 &&
	       strftime(time_, 9, "%H:%M:%S", &tm) == 8;
}
