// SPDX-License-Identifier: MIT
// Loading libcurl at run time (include/harreman/curl_lib.h): dlopen and dlsym of
// the ten functions the sender uses, then curl_global_init.
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "harreman/curl_lib.h"
#include "harreman/banned.h"

struct hm_curl_api hm_curl;
static void *library;

/* dlsym's object pointer as a function pointer (POSIX guarantees the conversion). */
static bool find(const char *name, void *slot, size_t size)
{
	void *symbol = dlsym(library, name);
	if (!symbol || size != sizeof symbol)
		return false;
	memcpy(slot, &symbol, size);
	return true;
}

bool hm_curl_load(const char **why)
{
	if (library)
		return true;
	library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!library) {
		*why = "cannot load libcurl.so.4 (install the libcurl4 package)";
		return false;
	}
	bool ok = find("curl_global_init", &hm_curl.global_init, sizeof hm_curl.global_init) &&
		  find("curl_global_cleanup", &hm_curl.global_cleanup,
		       sizeof hm_curl.global_cleanup) &&
		  find("curl_easy_init", &hm_curl.easy_init, sizeof hm_curl.easy_init) &&
		  find("curl_easy_setopt", &hm_curl.easy_setopt, sizeof hm_curl.easy_setopt) &&
		  find("curl_easy_perform", &hm_curl.easy_perform, sizeof hm_curl.easy_perform) &&
		  find("curl_easy_getinfo", &hm_curl.easy_getinfo, sizeof hm_curl.easy_getinfo) &&
		  find("curl_easy_cleanup", &hm_curl.easy_cleanup, sizeof hm_curl.easy_cleanup) &&
		  find("curl_easy_strerror", &hm_curl.easy_strerror,
		       sizeof hm_curl.easy_strerror) &&
		  find("curl_slist_append", &hm_curl.slist_append, sizeof hm_curl.slist_append) &&
		  find("curl_slist_free_all", &hm_curl.slist_free_all,
		       sizeof hm_curl.slist_free_all);
	if (!ok || hm_curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*why = ok ? "libcurl failed to start" : "libcurl.so.4 lacks a function we use";
		dlclose(library);
		library = NULL;
		memset(&hm_curl, 0, sizeof hm_curl);
		return false;
	}
	return true;
}

void hm_curl_unload(void)
{
	if (!library)
		return;
	hm_curl.global_cleanup();
	dlclose(library);
	library = NULL;
	memset(&hm_curl, 0, sizeof hm_curl);
}
