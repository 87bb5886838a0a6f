/*
 * encrypted_key.c - an encrypted private key: decrypted with the scan's
 * passwords, each try a key derivation counted against the file's tries
 * and the scan's --max-kdf-work budget.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>

#include "decode/decode.h"

int
cf__key_decrypt(const unsigned char *p, size_t n, int legacy, const char *pw, gnutls_datum_t *out)
{
	gnutls_datum_t in = { (unsigned char *)p, (unsigned)n };
	gnutls_x509_privkey_t k;
	int rc;

	out->data = NULL;
	out->size = 0;
	if (n > UINT_MAX)
		return GNUTLS_E_INVALID_REQUEST;
	if ((rc = gnutls_x509_privkey_init(&k)) < 0)
		return rc;
	rc = legacy ? gnutls_x509_privkey_import_openssl(k, &in, pw)
	            : gnutls_x509_privkey_import_pkcs8(k, &in, GNUTLS_X509_FMT_DER, pw, 0);
	if (rc >= 0)
		rc = gnutls_x509_privkey_export2_pkcs8(
		    k, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, out);
	gnutls_x509_privkey_deinit(k);
	return rc;
}

unsigned
cf__pkcs8_iterations(const unsigned char *p, size_t n)
{
	gnutls_datum_t in = { (unsigned char *)p, (unsigned)n };
	unsigned schema, cipher, iter = 0, salt_size = 256;
	unsigned char salt[256];
	char *oid = NULL;
	int r = n > UINT_MAX ? -1
	                     : gnutls_pkcs8_info(&in, GNUTLS_X509_FMT_DER, &schema, &cipher, salt,
	                           &salt_size, &iter, &oid);

	gnutls_free(oid);
	return r < 0 ? 0 : iter;
}

int
cf__kdf_refused(struct cf__decoded *d, unsigned iter, int index, int line)
{
	if (iter <= CF__MAX_KDF_ITER)
		return 0;
	return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, line, NULL,
	           "an encrypted private key "
	           "whose key derivation asks for %u iterations, over the %u certfleet makes for "
	           "one; not "
	           "tried",
	           iter, CF__MAX_KDF_ITER)
	    ? CF_E_NOMEM
	    : 1;
}

int
cf__kdf_try(struct cf__decoded *d, int index, int line, unsigned iter)
{
	struct cf__facts_cache *c = d->kdf_cache;
	uint64_t cost = iter ? iter : 1;

	if (d->kdf_said || d->kdf_cut)
		return 0;
	if (d->key_tries >= CF__MAX_KEY_TRIES) {
		d->kdf_said = 1;
		return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, line, NULL,
		           "%d password tries "
		           "were made on the encrypted keys or contents of this file (each may "
		           "cost seconds of key "
		           "derivation), the most certfleet makes in one file: the rest was not "
		           "tried and is not "
		           "audited",
		           CF__MAX_KEY_TRIES) != 0
		    ? CF_E_NOMEM
		    : 0;
	}
	/* past the shared budget, a worker waits for its turn and goes on
	 * with exactly what is left, when what it spent fits; else the file
	 * is decoded again at commit, in order */
	if (!d->kdf_exact && c &&
	    __atomic_add_fetch(&c->kdf_spent, cost, __ATOMIC_RELAXED) > c->kdf_budget) {
		uint64_t left;
		if (c->kdf_turn == NULL || !c->kdf_turn(d->kdf_job, &left) || d->kdf_work > left) {
			d->kdf_cut = 1;
			return 0;
		}
		d->kdf_exact = 1;
		d->kdf_limit = left;
	}
	if (d->kdf_exact && d->kdf_work + cost > d->kdf_limit) {
		d->kdf_said = 1;
		return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, line, NULL,
		           "the scan's budget of "
		           "key derivation (--max-kdf-work, %llu iterations of PBKDF2 or PKCS#12 "
		           "in all) is spent: "
		           "this file's encrypted keys or contents were not tried further and are "
		           "not audited",
		           (unsigned long long)c->kdf_budget) != 0
		    ? CF_E_NOMEM
		    : 0;
	}
	d->key_tries++;
	d->kdf_work += cost;
	return 1;
}

int
cf__dec_key_encrypted(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *p, size_t n, int legacy)
{
	gnutls_datum_t plain;
	size_t i;
	int rc;

	/* a legacy key's derivation is one MD5: counted as one iteration */
	unsigned iter = legacy || d->n_pw == 0 ? 1 : cf__pkcs8_iterations(p, n);

	if ((rc = cf__kdf_refused(d, iter, index, line)) != 0)
		return rc < 0                                             ? rc
		    : cf__member_new(d, CF__M_KEY_ENCRYPTED, index, line) ? 0
		                                                          : CF_E_NOMEM;
	for (i = 0; i < d->n_pw; i++) {
		if ((rc = cf__kdf_try(d, index, line, iter)) <= 0) {
			if (rc < 0)
				return rc;
			break;
		}
		if ((rc = cf__key_decrypt(p, n, legacy, d->pw[i], &plain)) == GNUTLS_E_MEMORY_ERROR)
			return CF_E_NOMEM;
		if (rc < 0)
			continue;
		rc = cf__dec_key(c, d, index, line, "PRIVATE KEY", plain.data, plain.size);
		gnutls_memset(plain.data, 0, plain.size);
		gnutls_free(plain.data);
		if (rc == 0 && d->n_members && d->members[d->n_members - 1].kind == CF__M_KEY)
			d->members[d->n_members - 1].decrypted = 1;
		return rc;
	}
	return cf__member_new(d, CF__M_KEY_ENCRYPTED, index, line) ? 0 : CF_E_NOMEM;
}
