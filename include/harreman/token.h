/* SPDX-License-Identifier: MIT */
/* Secret tokens (sessions, API tokens, CSRF): 32 random bytes as URL-safe base64,
 * and the BLAKE2b hash under which a token is stored, so the database never holds
 * a usable secret. */
#ifndef HARREMAN_TOKEN_H
#define HARREMAN_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define HM_TOKEN_BYTES 32
#define HM_TOKEN_TEXT_LEN 44 /* 43 base64url characters and the NUL */
#define HM_TOKEN_HASH_LEN 32

/* Fills out with a fresh random token. */
void hm_token_new(char out[HM_TOKEN_TEXT_LEN]);

/* Hashes a token's text. */
void hm_token_hash(const char *token, size_t len, unsigned char out[HM_TOKEN_HASH_LEN]);

/* True when a and b are equal, in time independent of where they differ. */
bool hm_token_equal(const char *a, const char *b);

/* Finds cookie name in a Cookie header; copies its value into out (NUL-terminated)
 * and returns true when found and it fits. */
bool hm_cookie_find(const char *header, const char *name, char *out, size_t out_size);

#endif
