// SPDX-License-Identifier: MIT
// Conditional GETs (include/harreman/conditional.h): HTTP-dates in IMF-fixdate form
// only, written through the RFC 3339 formatter and read back field by field, and
// the If-None-Match / If-Modified-Since verdict of RFC 9110 §13.2.2.
#include <stdio.h>
#include <string.h>

#include "harreman/conditional.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

static const char weekdays[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Reads exactly n decimal digits at p. */
static bool digits(const char *p, int n, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		*out = *out * 10 + (unsigned)(p[i] - '0');
	}
	return true;
}

void hm_http_date_format(int64_t t, char out[HM_HTTP_DATE_LEN])
{
	char rfc[HM_RFC3339_LEN]; /* "1994-11-06T08:49:37Z" */
	int64_t days = (t >= 0 ? t : t - 86399) / 86400;
	unsigned month = 0;
	hm_time_format(t, rfc);
	digits(rfc + 5, 2, &month);
	snprintf(out, HM_HTTP_DATE_LEN, "%s, %.2s %s %.4s %.8s GMT", weekdays[((days % 7) + 7) % 7],
		 rfc + 8, months[(month + 11) % 12], rfc, rfc + 11);
}

bool hm_http_date_parse(const char *text, int64_t *out)
{
	/* "Sun, 06 Nov 1994 08:49:37 GMT": fixed columns, 29 characters. */
	unsigned day, year, hour, minute, second, month = 12;
	if (!text || strlen(text) != HM_HTTP_DATE_LEN - 1 || text[3] != ',' || text[4] != ' ' ||
	    text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text[19] != ':' ||
	    text[22] != ':' || strcmp(text + 25, " GMT") != 0)
		return false;
	for (unsigned m = 0; m < 12; m++)
		if (memcmp(text + 8, months[m], 3) == 0)
			month = m;
	if (month == 12 || !digits(text + 5, 2, &day) || !digits(text + 12, 4, &year) ||
	    !digits(text + 17, 2, &hour) || !digits(text + 20, 2, &minute) ||
	    !digits(text + 23, 2, &second) || day < 1 || day > 31 || hour > 23 || minute > 59 ||
	    second > 60)
		return false;
	*out = hm_days_from_civil(year, month + 1, day) * 86400 + (int64_t)hour * 3600 +
	       (int64_t)minute * 60 + second;
	return true;
}

bool hm_etag_list_matches(const char *list, const char *etag)
{
	size_t len = strlen(etag);
	const char *p = list;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, len) == 0 &&
		    (p[len] == '\0' || p[len] == ',' || p[len] == ' ' || p[len] == '\t'))
			return true;
		/* Past this tag: to its closing quote, then to the next comma. */
		if (*p == '"')
			p = strchr(p + 1, '"');
		p = p ? strchr(p, ',') : NULL;
	}
	return false;
}

bool hm_not_modified(const char *if_none_match, const char *if_modified_since, const char *etag,
		     int64_t last_modified)
{
	int64_t since;
	if (if_none_match)
		return hm_etag_list_matches(if_none_match, etag);
	return if_modified_since && hm_http_date_parse(if_modified_since, &since) &&
	       last_modified <= since;
}
