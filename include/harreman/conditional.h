/* SPDX-License-Identifier: MIT */
/* Conditional GETs (RFC 9110 §13), as pure functions: HTTP-dates written and read
 * (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"), If-None-Match lists compared with
 * an entity tag, and the verdict of both headers: whether a GET may be answered
 * 304 Not Modified. */
#ifndef HARREMAN_CONDITIONAL_H
#define HARREMAN_CONDITIONAL_H

#include <stdbool.h>
#include <stdint.h>

#define HM_HTTP_DATE_LEN 30 /* "Sun, 06 Nov 1994 08:49:37 GMT" and the NUL */

/* Writes t as an IMF-fixdate. */
void hm_http_date_format(int64_t t, char out[HM_HTTP_DATE_LEN]);

/* Reads an IMF-fixdate into *out. False for anything else (the obsolete RFC 850
 * and asctime forms too: RFC 9110 lets a server ignore a date it cannot read). */
bool hm_http_date_parse(const char *text, int64_t *out);

/* Whether an If-None-Match value (a comma-separated list of entity tags, or "*")
 * names etag (a quoted strong tag such as "\"abc\""), by the weak comparison
 * RFC 9110 asks for If-None-Match: a W/ prefix is ignored. */
bool hm_etag_list_matches(const char *list, const char *etag);

/* The verdict of a GET's conditions against the representation's etag and
 * last_modified: true when the answer may be 304. If-None-Match decides when
 * present (and If-Modified-Since is then ignored, RFC 9110 §13.2.2); otherwise
 * If-Modified-Since holds when last_modified is not after its date. NULL headers
 * are absent. */
bool hm_not_modified(const char *if_none_match, const char *if_modified_since, const char *etag,
		     int64_t last_modified);

#endif
