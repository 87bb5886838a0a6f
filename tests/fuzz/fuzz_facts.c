/* fuzz_facts - certificate facts and key records from raw DER, through the
 * same checks the scan puts before GnuTLS; the signed parts a chain link
 * is verified on (cf__der_signed). */
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
	if (cf__der_check(data, size, &off) == NULL && cf__der_cert_shape(data, size) == NULL) {
		struct cf__der_signed sg;

		cf__facts_get(c, data, size);
		/* what the chain pass reads of a link's certificate: within it */
		if (cf__der_signed(data, size, &sg) == 0 &&
		    (sg.tbs < data || sg.tbs + sg.tbs_len > data + size ||
		        sg.alg + sg.alg_len > data + size || sg.sig + sg.sig_len != data + size ||
		        sg.crit_len > sizeof sg.crit))
			abort();
	}
	cf__key_get(c, "PRIVATE KEY", data, size);
	cf__key_get(c, "EC PRIVATE KEY", data, size);
	cf__key_get(c, "", data, size);
	cf__facts_cache_free(c);
	return 0;
}
