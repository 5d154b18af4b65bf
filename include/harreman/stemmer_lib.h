/* SPDX-License-Identifier: MIT */
/* Debian's libstemmer (the Snowball stemmers), loaded at run time on first use: the
 * library's 800 KiB of tables and relocations would otherwise be resident in
 * every server from its start (0.7 MiB of the idle RSS, docs/performance.md), while
 * only the answers' search needs it. The same approach as libcurl (curl_lib.h). */
#ifndef HARREMAN_STEMMER_LIB_H
#define HARREMAN_STEMMER_LIB_H

#include <libstemmer.h>
#include <stdbool.h>

/* The four functions of libstemmer.h that the search terms use. */
struct hm_stemmer_api {
	struct sb_stemmer *(*create)(const char *algorithm, const char *charenc);
	void (*destroy)(struct sb_stemmer *stemmer);
	const sb_symbol *(*stem)(struct sb_stemmer *stemmer, const sb_symbol *word, int size);
	int (*length)(struct sb_stemmer *stemmer);
};

/* Loads libstemmer.so.0d once per process (any thread; later calls only read);
 * NULL when it cannot be loaded (logged once). The library stays loaded. */
const struct hm_stemmer_api *hm_stemmer_api(void);

/* Unloads the library at the end of the process, once every database connection
 * (and with it every stemmer) is closed, so that nothing is left allocated (valgrind
 * counts it). Not thread-safe; nothing may use it after. */
void hm_stemmer_unload(void);

#endif
