// SPDX-License-Identifier: MIT
// Route matching (include/harreman/router.h): segment by segment, literal, {id} or
// {token}.
#include <stdio.h>
#include <string.h>

#include "harreman/router.h"
#include "harreman/banned.h"

enum hm_method hm_method_from_name(const char *name)
{
	static const struct {
		const char *name;
		enum hm_method method;
	} names[] = {
		{"GET", HM_GET}, {"HEAD", HM_HEAD},   {"POST", HM_POST},
		{"PUT", HM_PUT}, {"PATCH", HM_PATCH}, {"DELETE", HM_DELETE},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].method;
	return HM_OTHER;
}

/* Reads an {id} segment: 1..18 digits, no leading zero, positive. */
static bool match_id(const char *seg, size_t len, int64_t *out)
{
	if (len == 0 || len > 18 || seg[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (seg[i] < '0' || seg[i] > '9')
			return false;
		v = v * 10 + (seg[i] - '0');
	}
	*out = v;
	return true;
}

/* A {token} segment: 1..64 characters of base64url, then the pattern's literal
 * rest of the segment (".ics" in "{token}.ics"). The handler reads the token
 * from the path itself. */
static bool match_token(const char *pseg, size_t plen, const char *seg, size_t len)
{
	size_t suffix = plen - 7; /* what follows "{token}" */
	if (len <= suffix || len - suffix > 64 || memcmp(seg + len - suffix, pseg + 7, suffix) != 0)
		return false;
	for (size_t i = 0; i < len - suffix; i++) {
		char c = seg[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* An id segment of a pattern: {id}, or a named one ending in _id ({client_id}) where
 * a path has two ids and the documentation must tell them apart. */
static bool is_id_segment(const char *p, size_t plen)
{
	return (plen == 4 && memcmp(p, "{id}", 4) == 0) ||
	       (plen > 5 && p[0] == '{' && memcmp(p + plen - 4, "_id}", 4) == 0);
}

/* Does path fit pattern? Fills ids[] with the {id} values. */
static bool match_pattern(const char *pattern, const char *path, int64_t ids[HM_MAX_PATH_IDS])
{
	size_t n_ids = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		const char *pend = strchr(p, '/');
		const char *send = strchr(s, '/');
		size_t plen = pend ? (size_t)(pend - p) : strlen(p);
		size_t slen = send ? (size_t)(send - s) : strlen(s);
		if (is_id_segment(p, plen)) {
			if (n_ids == HM_MAX_PATH_IDS || !match_id(s, slen, &ids[n_ids]))
				return false;
			n_ids++;
		} else if (plen >= 7 && memcmp(p, "{token}", 7) == 0) {
			if (!match_token(p, plen, s, slen))
				return false;
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			return false;
		}
		p += plen;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

enum hm_match hm_router_match(const struct hm_route *table, size_t n, enum hm_method method,
			      const char *path, size_t *index, int64_t ids[HM_MAX_PATH_IDS],
			      unsigned *allowed)
{
	unsigned want = method == HM_HEAD ? (HM_HEAD | HM_GET) : (unsigned)method;
	*allowed = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t found[HM_MAX_PATH_IDS] = {0};
		if (!match_pattern(table[i].pattern, path, found))
			continue;
		unsigned methods = table[i].methods;
		if (methods & HM_GET)
			methods |= HM_HEAD;
		*allowed |= methods;
		if (table[i].methods & want) {
			*index = i;
			memcpy(ids, found, sizeof found);
			return HM_MATCH_FOUND;
		}
	}
	return *allowed ? HM_MATCH_NO_METHOD : HM_MATCH_NO_PATH;
}

void hm_router_allow_header(unsigned methods, char *out, size_t out_size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} order[] = {
		{HM_GET, "GET"}, {HM_HEAD, "HEAD"},   {HM_POST, "POST"},
		{HM_PUT, "PUT"}, {HM_PATCH, "PATCH"}, {HM_DELETE, "DELETE"},
	};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (!(methods & order[i].bit))
			continue;
		int n = snprintf(out + used, out_size - used, "%s%s", used ? ", " : "",
				 order[i].name);
		if (n < 0 || (size_t)n >= out_size - used)
			return;
		used += (size_t)n;
	}
}
