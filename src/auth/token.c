// SPDX-License-Identifier: MIT
// Random tokens, their stored hash, and the Cookie header parser
// (include/harreman/token.h).
#include <sodium.h>
#include <string.h>

#include "harreman/token.h"
#include "harreman/banned.h"

void hm_token_new(char out[HM_TOKEN_TEXT_LEN])
{
	unsigned char raw[HM_TOKEN_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, HM_TOKEN_TEXT_LEN, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void hm_token_hash(const char *token, size_t len, unsigned char out[HM_TOKEN_HASH_LEN])
{
	crypto_generichash(out, HM_TOKEN_HASH_LEN, (const unsigned char *)token, len, NULL, 0);
}

bool hm_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	return la == lb && la > 0 && sodium_memcmp(a, b, la) == 0;
}

bool hm_cookie_find(const char *header, const char *name, char *out, size_t out_size)
{
	size_t name_len = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > name_len && p[name_len] == '=' && memcmp(p, name, name_len) == 0) {
			const char *value = p + name_len + 1;
			size_t vlen = len - name_len - 1;
			while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= out_size)
				return false;
			memcpy(out, value, vlen);
			out[vlen] = '\0';
			return true;
		}
		p = end;
	}
	return false;
}
