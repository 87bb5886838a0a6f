/* fuzz_pkcs7 - the PKCS#7 reader (a BER framing walk of ContentInfo,
 * SignedData and its certificate and CRL sets; each member handed to
 * GnuTLS) on any bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf__facts_cache *c = cf__facts_cache_new();
	struct cf__decoded *d = calloc(1, sizeof *d);
	int added = 0;

	if (c && d)
		cf__dec_pkcs7(c, d, 0, 0, data, size, &added);
	cf__decoded_free(d);
	cf__facts_cache_free(c);
	return 0;
}
