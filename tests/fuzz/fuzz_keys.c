/* fuzz_keys - an encrypted private key decrypted with one password given
 * (cf__dec_key_encrypted: GnuTLS's PKCS#8 and OpenSSL legacy importers,
 * then the key's facts). The first byte chooses the form: 'L' the legacy
 * PEM text, anything else an EncryptedPrivateKeyInfo in DER. Under a key
 * derivation budget of 100,000 iterations, as fuzz_pkcs12. */
#include <stdint.h>
#include <stdlib.h>

#include "private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf__facts_cache *c;
	struct cf__decoded *d;
	const char *pws[] = { "Xyzzy-42-pw" };

	if (size < 1)
		return 0;
	c = cf__facts_cache_new();
	d = calloc(1, sizeof *d);
	if (c && d) {
		c->kdf_budget = 100000;
		d->kdf_cache = c;
		d->kdf_exact = 1;
		d->kdf_limit = 100000;
		d->pw = pws;
		d->n_pw = 1;
		cf__dec_key_encrypted(c, d, 0, 1, data + 1, size - 1, data[0] == 'L');
		d->pw = NULL;
		d->n_pw = 0;
	}
	cf__decoded_free(d);
	cf__facts_cache_free(c);
	return 0;
}
