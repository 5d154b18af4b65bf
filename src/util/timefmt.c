// SPDX-License-Identifier: MIT
// RFC 3339 instants (include/harreman/timefmt.h). Civil-date arithmetic follows
// Howard Hinnant's days_from_civil algorithm, so no libc time zone state is touched.
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harreman/timefmt.h"
#include "harreman/banned.h"

int64_t hm_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void hm_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void hm_time_format(int64_t t, char out[HM_RFC3339_LEN])
{
	int64_t days = t / 86400;
	int64_t rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days -= 1;
	}
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, HM_RFC3339_LEN, "%s", "0000-00-00T00:00:00Z");
		return;
	}
	/* Digits by hand: this runs twice per slot of every /slots answer. */
	unsigned fields[6] = {
		(unsigned)y,         m, d, (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
		(unsigned)(rem % 60)};
	static const char seps[6] = {'-', '-', 'T', ':', ':', 'Z'};
	char *p = out;
	for (int i = 0; i < 6; i++) {
		unsigned v = fields[i];
		if (i == 0) {
			*p++ = (char)('0' + v / 1000);
			*p++ = (char)('0' + v / 100 % 10);
		}
		*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = seps[i];
	}
	*p = '\0';
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool hm_time_parse(const char *s, int64_t *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, se;
	if (!s || strlen(s) < 20)
		return false;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59)
		return false;
	int dim = mdays[mo - 1] + (mo == 2 && is_leap(y));
	if (d > dim)
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int offset = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		offset = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1); /* at most 86340 */
	} else {
		return false;
	}
	int64_t days = hm_days_from_civil(y, (unsigned)mo, (unsigned)d);
	*out = days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se - offset;
	return true;
}

int64_t hm_time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}
