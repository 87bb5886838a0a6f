/* fuzz_pkcs12 - the PKCS#12 decoder (GnuTLS's PKCS#12 API, the password search) on any
 * bytes, with one password given (so the integrity checks run too), under a
 * key derivation budget of 100,000 iterations (what --max-kdf-work leaves a
 * file, as the commit's second decode has it: refusals past it exercised,
 * and no input costs more than a few milliseconds of PBKDF2). */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf__facts_cache *c = cf__facts_cache_new();
	struct cf__decoded *d = calloc(1, sizeof *d);
	const char *pws[] = { "Xyzzy-42-pw" };

	if (c && d) {
		c->kdf_budget = 100000;
		d->kdf_cache = c;
		d->kdf_exact = 1;
		d->kdf_limit = 100000;
		d->pw = pws;
		d->n_pw = 1;
		cf__dec_pkcs12(c, d, data, size);
		d->pw = NULL;
		d->n_pw = 0;
	}
	cf__decoded_free(d);
	cf__facts_cache_free(c);
	return 0;
}
