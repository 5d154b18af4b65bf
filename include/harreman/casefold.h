/* SPDX-License-Identifier: MIT */
/* Case folding for searches: lower-cases the Latin letters (ASCII, Latin-1 and
 * Latin Extended-A: every letter of Basque, Spanish, English and most European
 * names), so that "IÑAKI" finds "Iñaki". Other characters are kept as they are.
 * Registered on every database connection as the SQL function hm_fold(text). */
#ifndef HARREMAN_CASEFOLD_H
#define HARREMAN_CASEFOLD_H

#include <stddef.h>

/* Folds the UTF-8 text in[0..len) into out (len bytes: folding never changes the
 * length of these letters). */
void hm_casefold(const char *in, size_t len, char *out);

#endif
