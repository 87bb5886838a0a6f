/*
 * chain_verify.c - GnuTLS's verdict on a chain, and its cache: a link's
 * signature (cached by the pair), a chain with one trusted certificate
 * (cached by the chain and the anchor), and a chain judged a link at a
 * time where nothing in it constrains the path. Trust lists of one
 * certificate are kept per thread (struct tlcache).
 */
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <openssl/evp.h>

#include "check/chain.h"

static gnutls_x509_crt_t
crt_of(const struct cf__facts *f)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = { (unsigned char *)f->der, (unsigned)f->der_len };

	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(crt);
		return NULL;
	}
	return crt;
}

/* Does CERT's signature verify with ISSUER's key? Cached by the pair. */
int
cf__chain_link_ok(struct ctx *x, const struct cf__facts *cert, const struct cf__facts *issuer)
{
	unsigned char key[64], id[32];
	/* a certificate GnuTLS cannot load or verify at all is no signer */
	unsigned *rec, status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNATURE_FAILURE;
	gnutls_x509_crt_t c, i;

	memcpy(key, cert->sha256, 32);
	memcpy(key + 32, issuer->sha256, 32);
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, key, sizeof key, id) < 0)
		return -1;
	if ((rec = cf__dmap_get(x->cache, id, 1)) != NULL)
		return (*rec & SIG_BITS) == 0;
	c = crt_of(cert);
	i = cert == issuer ? c : crt_of(issuer);
	/* the signature alone: whether the issuer may sign is the trust
	 * list's verdict; a self-signed certificate is not taken on its
	 * word (DO_NOT_ALLOW_SAME) */
	/* GnuTLS says a key of another type than the signature's (an RSA key
	 * for an Ed25519 signature) with SIGNER_CONSTRAINTS_FAILURE alone: no
	 * signer either */
	if (c && i &&
	    !gnutls_sign_supports_pk_algorithm(gnutls_x509_crt_get_signature_algorithm(c),
	        (gnutls_pk_algorithm_t)gnutls_x509_crt_get_pk_algorithm(i, NULL)))
		status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNATURE_FAILURE;
	else if (c && i &&
	    gnutls_x509_crt_verify(c, &i, 1,
	        VERIFY_FLAGS | GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_DO_NOT_ALLOW_SAME,
	        &status) < 0)
		status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNATURE_FAILURE;
	if (i != c)
		gnutls_x509_crt_deinit(i);
	gnutls_x509_crt_deinit(c);
	if ((rec = malloc(sizeof *rec)) == NULL ||
	    (rec = cf__dmap_put(x->cache, id, 1, rec)) == NULL)
		return -1;
	*rec = status;
	return (status & SIG_BITS) == 0;
}

/* The trust list of T alone, from C (made, and the oldest dropped, when
 * not there), or NULL. */
static gnutls_x509_trust_list_t
tl_of(struct tlcache *c, const struct cf__facts *t)
{
	gnutls_x509_trust_list_t tl;
	gnutls_x509_crt_t crt;
	unsigned i;

	for (i = 0; i < TL_CACHE; i++)
		if (c->f[i] == t)
			return c->tl[i];
	if ((crt = crt_of(t)) == NULL || gnutls_x509_trust_list_init(&tl, 0) < 0) {
		gnutls_x509_crt_deinit(crt);
		return NULL;
	}
	if (gnutls_x509_trust_list_add_cas(tl, &crt, 1, 0) < 0) {
		gnutls_x509_crt_deinit(crt);
		gnutls_x509_trust_list_deinit(tl, 0);
		return NULL;
	}
	i = c->next++ % TL_CACHE;
	if (c->tl[i])
		gnutls_x509_trust_list_deinit(c->tl[i], 1);
	c->f[i] = t;
	c->tl[i] = tl;
	return tl;
}

void
cf__chain_tl_clear(struct tlcache *c)
{
	unsigned i;

	for (i = 0; i < TL_CACHE; i++)
		if (c->tl[i])
			gnutls_x509_trust_list_deinit(c->tl[i], 1);
	for (i = 0; i < FAST_KEYS; i++)
		EVP_PKEY_CTX_free(c->kctx[i]);
	memset(c, 0, sizeof *c);
}

/* The cache key of the verdict on C[0..N) with T trusted. */
int
cf__chain_atom_id(
    const struct cf__facts *const *c, size_t n, const struct cf__facts *t, unsigned char id[32])
{
	unsigned char key[(MAX_DEPTH + 1) * 32];
	size_t i;

	for (i = 0; i < n; i++)
		memcpy(key + 32 * i, c[i]->sha256, 32);
	memcpy(key + 32 * n, t->sha256, 32);
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, key, 32 * (n + 1), id) < 0 ? CF_E_NOMEM : 0;
}

/* GnuTLS's verdict on C[0..N) with trust list TL: 0, or its status bits. */
static unsigned
verify_with(gnutls_x509_trust_list_t tl, const struct cf__facts *const *c, size_t n)
{
	gnutls_x509_crt_t crts[MAX_DEPTH];
	unsigned status = GNUTLS_CERT_INVALID;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if ((crts[k] = crt_of(c[i])) != NULL)
			k++;
	if (tl && k == n &&
	    gnutls_x509_trust_list_verify_crt2(
	        tl, crts, (unsigned)k, NULL, 0, VERIFY_FLAGS, &status, NULL) < 0)
		status = GNUTLS_CERT_INVALID;
	for (i = 0; i < k; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return status;
}

/* GnuTLS's verdict on C[0..N) with T trusted (see verify_with), a link of
 * a class GnuTLS accepted taking the fast path. */
unsigned
cf__chain_verdict(
    struct tlcache *tc, const struct cf__facts *const *c, size_t n, const struct cf__facts *t)
{
	struct fast_link l;
	unsigned status;

	if (n == 1 && cf__fast_accepts(tc, c[0], t, &l))
		return 0;
	status = verify_with(tl_of(tc, t), c, n);
	if (n == 1 && status == 0)
		cf__fast_learn(tc, t, &l);
	return status;
}

/* GnuTLS's verdict on C[0..N) with T as the one trusted certificate
 * (GnuTLS's trust list of T): cached by (C, T). */
static int
atom(struct ctx *x, const struct cf__facts *const *c, size_t n, const struct cf__facts *t,
    unsigned *out)
{
	unsigned char id[32];
	unsigned *rec;

	if (cf__chain_atom_id(c, n, t, id) != 0)
		return CF_E_NOMEM;
	if ((rec = cf__dmap_get(x->cache, id, 2)) != NULL) {
		*out = *rec;
		return 0;
	}
	if ((rec = malloc(sizeof *rec)) == NULL ||
	    (rec = cf__dmap_put(x->cache, id, 2, rec)) == NULL)
		return CF_E_NOMEM;
	*out = *rec = cf__chain_verdict(&x->tc, c, n, t);
	return 0;
}

/* Can the chain C[0..N) (the anchor last) be judged a link at a time? When
 * no issuer in it constrains the path (pathLenConstraint, name
 * constraints), each link verified with its issuer as the one trusted
 * certificate is what GnuTLS checks of it in the whole chain: then a link
 * shared by a fleet's chains (an intermediate under its root) is verified
 * once, not once per leaf. */
int
cf__chain_by_links(const struct cf__facts *const *c, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (c[i]->pathlen >= 0 || cf__chain_has_ext(c[i], cf__oid_nc, sizeof cf__oid_nc))
			return 0;
	/* a link verified with its issuer as the one trusted certificate
	 * does not ask whether that issuer may issue: an intermediate that is
	 * no version 3 CA (a version 1 one, CA:FALSE) is the whole chain's
	 * to judge, where GnuTLS says its issuer is not a CA */
	for (i = 1; i + 1 < n; i++)
		if (!c[i]->is_ca || c[i]->version != 3)
			return 0;
	return 1;
}

/* GnuTLS's verdict on the chain C[0..N) that ends at the anchor C[N-1]:
 * *OUT 0, or the status bits of its first link that fails. Returns 0, or
 * an error code (CF_E_NOMEM). */
int
cf__chain_judge(struct ctx *x, const struct cf__facts *const *c, size_t n, unsigned *out)
{
	size_t i;
	int rc;

	if (n <= 2 || !cf__chain_by_links(c, n))
		return atom(x, c, n - 1, c[n - 1], out);
	for (i = 0; i + 1 < n; i++)
		if ((rc = atom(x, c + i, 1, c[i + 1], out)) != 0 || *out != 0)
			return rc;
	return 0;
}
