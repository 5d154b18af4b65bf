// SPDX-License-Identifier: MIT
// libFuzzer harness for the IBAN and creditor identifier checks and the SEPA text
// filter (src/domain/sepa.c), with property checks (abort() when one breaks):
//   - an accepted IBAN is compact, upper case, accepted again as itself, and its
//     masked form keeps only country, check digits and the last four;
//   - an accepted creditor identifier is accepted again as itself;
//   - the SEPA text holds only the allowed characters and respects its bounds.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/sepa.h"

static bool allowed(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("/-?:().,'+ ", c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char iban[HM_IBAN_MAX + 1], again[HM_IBAN_MAX + 1];
	if (hm_iban_valid(text, size, iban)) {
		size_t n = strlen(iban);
		if (!hm_iban_valid(iban, n, again) || strcmp(iban, again) != 0)
			abort();
		char masked[HM_IBAN_MASKED_MAX + 1];
		hm_iban_mask(iban, masked);
		/* Without its spaces, the mask is the IBAN with positions 4..n-4 starred. */
		char bare[HM_IBAN_MAX + 1];
		size_t m = 0;
		for (const char *p = masked; *p && m < HM_IBAN_MAX; p++)
			if (*p != ' ')
				bare[m++] = *p;
		if (m != n)
			abort();
		for (size_t i = 0; i < n; i++)
			if (bare[i] != ((i < 4 || i >= n - 4) ? iban[i] : '*'))
				abort();
	}
	char cid[HM_CREDITOR_ID_MAX + 1], cid2[HM_CREDITOR_ID_MAX + 1];
	if (hm_creditor_id_valid(text, size, cid)) {
		if (!hm_creditor_id_valid(cid, strlen(cid), cid2) || strcmp(cid, cid2) != 0)
			abort();
	}
	char *nul = malloc(size + 1);
	if (!nul)
		return 0;
	memcpy(nul, data, size);
	nul[size] = '\0';
	if (hm_creditor_id_make(nul, "000", cid) && !hm_creditor_id_valid(cid, strlen(cid), NULL))
		abort();
	char out[71];
	hm_sepa_text(nul, out, sizeof out, 70);
	if (strlen(out) > 70)
		abort();
	for (const char *p = out; *p; p++)
		if (!allowed(*p))
			abort();
	free(nul);
	return 0;
}
