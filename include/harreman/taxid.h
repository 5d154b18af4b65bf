/* SPDX-License-Identifier: MIT */
/* Spanish tax identifiers as pure functions: a NIF of a person (DNI: 8 digits and a
 * letter; K, L or M and 7 digits and a letter), a NIE (X, Y or Z, 7 digits and a
 * letter) and a CIF of an entity (a letter, 7 digits and a control digit or
 * letter), each with its check character verified. */
#ifndef HARREMAN_TAXID_H
#define HARREMAN_TAXID_H

#include <stdbool.h>
#include <stddef.h>

#define HM_TAXID_LEN 9

/* Whether text (len bytes, not necessarily NUL-terminated) is a valid NIF, NIE or
 * CIF. Spaces, dots and hyphens are ignored and lower-case letters read as upper
 * case; on success out (when not NULL) gets the 9 canonical characters and a NUL. */
bool hm_taxid_valid(const char *text, size_t len, char out[HM_TAXID_LEN + 1]);

#endif
