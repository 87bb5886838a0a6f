/* fuzz_facts - certificate facts and key records from raw DER, through the
 * same checks the scan puts before GnuTLS. */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf__facts_cache *c = cf__facts_cache_new();
	size_t off;

	if (c == NULL)
		return 0;
	if (cf__der_check(data, size, &off) == NULL && cf__der_cert_shape(data, size) == NULL)
		cf__facts_get(c, data, size);
	cf__key_get(c, "PRIVATE KEY", data, size);
	cf__key_get(c, "EC PRIVATE KEY", data, size);
	cf__key_get(c, "", data, size);
	cf__facts_cache_free(c);
	return 0;
}
