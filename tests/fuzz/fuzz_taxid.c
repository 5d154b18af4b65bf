// SPDX-License-Identifier: MIT
// libFuzzer harness for the Spanish tax id check (src/domain/taxid.c), with
// property checks (abort() when one breaks):
//   - an accepted id's canonical form is 9 characters of 0-9 and A-Z, NUL-ended;
//   - the canonical form is accepted again and is its own canonical form;
//   - changing its check character (the last) to any other makes it invalid.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/taxid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[HM_TAXID_LEN + 1];
	memset(out, 'q', sizeof out);
	if (!hm_taxid_valid((const char *)data, size, out))
		return 0;
	if (out[HM_TAXID_LEN] != '\0')
		abort();
	for (int i = 0; i < HM_TAXID_LEN; i++)
		if (!((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'A' && out[i] <= 'Z')))
			abort();
	char again[HM_TAXID_LEN + 1];
	if (!hm_taxid_valid(out, HM_TAXID_LEN, again) || strcmp(again, out) != 0)
		abort();
	/* Only one check character fits, except a CIF whose control may be a digit or
	 * its letter: at most two. */
	int accepted = 0;
	static const char chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	for (size_t i = 0; i < sizeof chars - 1; i++) {
		char other[HM_TAXID_LEN + 1];
		memcpy(other, out, sizeof other);
		other[HM_TAXID_LEN - 1] = chars[i];
		accepted += hm_taxid_valid(other, HM_TAXID_LEN, NULL);
	}
	if (accepted < 1 || accepted > 2)
		abort();
	return 0;
}
