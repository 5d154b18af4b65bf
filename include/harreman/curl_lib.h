/* SPDX-License-Identifier: MIT */
/* libcurl, loaded only when the server has a relay to talk to (--smtp-url): the
 * library and the TLS stack under it cost several MiB of resident memory just by
 * being mapped and initialised, which a server without e-mail should not pay
 * (docs/performance.md, idle RSS). The sender calls libcurl through hm_curl. */
#ifndef HARREMAN_CURL_LIB_H
#define HARREMAN_CURL_LIB_H

#include <curl/curl.h>
#include <stdbool.h>

struct hm_curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
	void (*slist_free_all)(struct curl_slist *list);
};

/* The loaded functions; valid after hm_curl_load() returned true. */
extern struct hm_curl_api hm_curl;

/* Loads libcurl (libcurl.so.4) and runs curl_global_init, once; false (with *why
 * set to a static sentence) when it cannot. Call from the main thread before any
 * other thread uses hm_curl. */
bool hm_curl_load(const char **why);

/* curl_global_cleanup and unloading, when hm_curl_load succeeded. */
void hm_curl_unload(void);

#endif
