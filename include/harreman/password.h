/* SPDX-License-Identifier: MIT */
/* Passwords with libsodium's argon2id (crypto_pwhash_str). At most two hashes run
 * at once, so a burst of logins cannot exhaust memory on a small box. */
#ifndef HARREMAN_PASSWORD_H
#define HARREMAN_PASSWORD_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define HM_PASSWORD_HASH_LEN crypto_pwhash_STRBYTES
#define HM_PASSWORD_MIN 10
#define HM_PASSWORD_MAX 1024

/* Hashes password into out (NUL-terminated). False when out of memory. */
bool hm_password_hash(const char *password, char out[HM_PASSWORD_HASH_LEN]);

/* True when password matches hash. A NULL hash runs a verification of the same
 * cost against a dummy hash and returns false, so unknown accounts take as long. */
bool hm_password_verify(const char *password, const char *hash);

/* True when hash was made with weaker parameters than today's. */
bool hm_password_needs_rehash(const char *hash);

#endif
