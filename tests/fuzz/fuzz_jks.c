/* fuzz_jks - the Java keystore reader (JKS and JCEKS) on any
 * bytes, with one password given (so the integrity checks run too). */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

/* the JKS decoder's row (decode/jks_decoder.c) */
extern const struct cf__decoder cf__jks_decoder;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf__facts_cache *c = cf__facts_cache_new();
	struct cf__decoded *d = calloc(1, sizeof *d);
	const char *pws[] = { "changeit" };

	if (c && d) {
		d->pw = pws;
		d->n_pw = 1;
		cf__jks_decoder.decode(c, d, 0, data, size);
		d->pw = NULL;
		d->n_pw = 0;
	}
	cf__decoded_free(d);
	cf__facts_cache_free(c);
	return 0;
}
