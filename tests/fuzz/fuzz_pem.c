/* fuzz_pem - the strict PEM reader and the DER checks on what it decodes. */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf__pem pem;
	size_t i, off, n;

	if (cf__pem_parse(data, size, &pem) != 0)
		return 0;
	for (i = 0; i < pem.n; i++) {
		const struct cf__pem_block *b = &pem.blocks[i];
		if (b->der && cf__der_check(b->der, b->der_len, &off) == NULL &&
		    cf__der_cert_shape(b->der, b->der_len) == NULL)
			cf__der_spki(b->der, b->der_len, &off, &n);
	}
	cf__pem_free(&pem);
	return 0;
}
