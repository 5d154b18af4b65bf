// SPDX-License-Identifier: MIT
// Loading libstemmer at run time (include/harreman/stemmer_lib.h): dlopen and dlsym
// of the four functions the search terms use, once, under pthread_once.
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "harreman/log.h"
#include "harreman/stemmer_lib.h"
#include "harreman/banned.h"

static struct hm_stemmer_api api;
static void *library;
static bool loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym's object pointer as a function pointer (POSIX guarantees the conversion). */
static bool find(const char *name, void *slot, size_t size)
{
	void *symbol = dlsym(library, name);
	if (!symbol || size != sizeof symbol)
		return false;
	memcpy(slot, &symbol, size);
	return true;
}

static void load(void)
{
	library = dlopen("libstemmer.so.0d", RTLD_NOW | RTLD_LOCAL);
	if (!library) {
		hm_log_error("cannot load libstemmer.so.0d (install the libstemmer0d package):"
			     " the answers' search is unavailable");
		return;
	}
	loaded = find("sb_stemmer_new", &api.create, sizeof api.create) &&
		 find("sb_stemmer_delete", &api.destroy, sizeof api.destroy) &&
		 find("sb_stemmer_stem", &api.stem, sizeof api.stem) &&
		 find("sb_stemmer_length", &api.length, sizeof api.length);
	if (!loaded) {
		hm_log_error("libstemmer.so.0d lacks a function we use");
		dlclose(library);
		library = NULL;
		memset(&api, 0, sizeof api);
	}
}

const struct hm_stemmer_api *hm_stemmer_api(void)
{
	if (pthread_once(&once, load) != 0)
		return NULL;
	return loaded ? &api : NULL;
}

void hm_stemmer_unload(void)
{
	if (!library)
		return;
	dlclose(library);
	library = NULL;
	loaded = false;
	memset(&api, 0, sizeof api);
}
