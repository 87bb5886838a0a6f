/*
 * chain_fast.c - the fast path of one link.
 *
 * Most links of a fleet are alike: thousands of leaves, one issuer, the
 * same signature algorithm and extensions. GnuTLS's verdict on a link
 * depends on the leaf only through its signature and a few fields (the
 * issuer name and key identifier it names, its signature algorithm, its
 * key's type and size, its critical extensions) when the issuer has no
 * name constraints or TLS features to hold the leaf to and the leaf is
 * not self-issued. Those fields make the link's class. Once GnuTLS has
 * accepted a link of a class, a link of the same class is accepted when
 * its signature verifies with OpenSSL's libcrypto, whose P-256 takes less
 * than half of nettle's time; anything else (an unknown class, a
 * signature that does not verify) is GnuTLS's to judge, with its reason.
 */
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "check/chain.h"

static const struct {
	unsigned char der[15];
	size_t len;
	const EVP_MD *(*md)(void); /* its hash */
} fast_algs[] = {
	/* ecdsa-with-SHA256/384/512 (RFC 5758: no parameters) */
	{ { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 }, 12,
	    EVP_sha256 },
	{ { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 }, 12,
	    EVP_sha384 },
	{ { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 }, 12,
	    EVP_sha512 },
	/* sha256/384/512WithRSAEncryption, NULL parameters */
	{ { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05,
	      0x00 },
	    15, EVP_sha256 },
	{ { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05,
	      0x00 },
	    15, EVP_sha384 },
	{ { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05,
	      0x00 },
	    15, EVP_sha512 },
};

/* nameConstraints (2.5.29.30) and the TLS feature extension
 * (1.3.6.1.5.5.7.1.24): what an issuer holds its leaves to. */
const unsigned char cf__oid_nc[] = { 0x55, 0x1d, 0x1e };
const unsigned char cf__oid_tlsfeature[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18 };
const unsigned char cf__oid_aki[] = { 0x55, 0x1d, 0x23 };

/* Does F carry the extension OID (whatever its form)? */
int
cf__chain_has_ext(const struct cf__facts *f, const unsigned char *oid, size_t n)
{
	const unsigned char *v;
	size_t vn;

	return cf__der_extension(f->der, f->der_len, oid, n, &v, &vn) != 0;
}

/* Does ISSUER hold its leaves to their names or TLS features? GnuTLS then
 * reads more of a leaf than its class: its links never take the fast
 * path (checked when a class is learnt; the class names the issuer). */
static int
holds_leaves(const struct cf__facts *issuer)
{
	return cf__chain_has_ext(issuer, cf__oid_nc, sizeof cf__oid_nc) ||
	    cf__chain_has_ext(issuer, cf__oid_tlsfeature, sizeof cf__oid_tlsfeature);
}

/* May the link CERT -> ISSUER take the fast path, as far as CERT says?
 * Its class in CLS, its signed parts in SG, the hash in *MD: 1, or 0. */
static int
fast_class(const struct cf__facts *cert, const struct cf__facts *issuer, struct cf__der_signed *sg,
    unsigned char cls[32], const EVP_MD **md)
{
	const unsigned char *alg, *param, *aki = NULL;
	size_t alglen, paramlen, i, off, n, akilen = 0, at;
	gnutls_hash_hd_t h;
	const char *why;
	int head[4], has_aki;

	if (cert == issuer || !cf__facts_usable(cert) || !cf__facts_usable(issuer) ||
	    cf__chain_cmp_name(cert->der + cert->issuer_off, cert->issuer_len,
	        cert->der + cert->subject_off, cert->subject_len) == 0 ||
	    cf__der_signed(cert->der, cert->der_len, sg) != 0 ||
	    cf__der_spki(cert->der, cert->der_len, &off, &n) != 0 ||
	    cf__der_spki_alg(cert->der + off, n, &alg, &alglen, &param, &paramlen) != 0)
		return 0;
	/* the class holds what GnuTLS reads as GnuTLS reads it: the
	 * authorityKeyIdentifier's bytes as written (certfleet's reading of
	 * a form libtasn1 also takes, such as a high-tag [0], may differ),
	 * and a certificate that is not plain DER is GnuTLS's alone */
	if ((has_aki = cf__der_extension(
	         cert->der, cert->der_len, cf__oid_aki, sizeof cf__oid_aki, &aki, &akilen)) < 0 ||
	    cf__der_lint(cert->der, cert->der_len, &why, &at) != 0)
		return 0;
	for (i = 0; i < sizeof fast_algs / sizeof *fast_algs; i++)
		if (sg->alg_len == fast_algs[i].len &&
		    memcmp(sg->alg, fast_algs[i].der, sg->alg_len) == 0)
			break;
	if (i == sizeof fast_algs / sizeof *fast_algs)
		return 0;
	*md = fast_algs[i].md();
	head[0] = cert->version;
	head[1] = cert->pk;
	head[2] = (int)cert->bits;
	head[3] = cert->curve;
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return 0;
		/* each part after its length: no two classes hash alike */
#define PART(p, n) \
	do { \
		size_t n_ = (n); \
		gnutls_hash(h, &n_, sizeof n_); \
		gnutls_hash(h, (p), n_); \
	} while (0)
	PART(issuer->sha256, 32);
	PART(head, sizeof head);
	PART(sg->alg, sg->alg_len);
	PART(cert->der + cert->issuer_off, cert->issuer_len);
	PART(aki, has_aki ? akilen : 0);
	PART(alg, alglen);
	PART(param, param ? paramlen : 0);
	PART(sg->crit, sg->crit_len);
#undef PART
	gnutls_hash_deinit(h, cls);
	return 1;
}

static int
class_known(const struct tlcache *c, const unsigned char cls[32])
{
	unsigned i;

	for (i = 0; i < c->n_cls; i++)
		if (memcmp(c->cls[i], cls, 32) == 0)
			return 1;
	return 0;
}

static void
class_add(struct tlcache *c, const unsigned char cls[32])
{
	memcpy(c->cls[c->cnext++ % FAST_CLASSES], cls, 32);
	if (c->n_cls < FAST_CLASSES)
		c->n_cls++;
}

/* Does SG's signature verify with ISSUER's key (OpenSSL)? 1, or 0. */
static int
fast_sig(struct tlcache *c, const struct cf__facts *issuer, const struct cf__der_signed *sg,
    const EVP_MD *md)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned dlen, i;
	EVP_PKEY_CTX *pc = NULL;

	for (i = 0; i < FAST_KEYS; i++)
		if (c->kf[i] == issuer && c->kmd[i] == md) {
			pc = c->kctx[i];
			break;
		}
	if (pc == NULL) {
		const unsigned char *p;
		EVP_PKEY *key;
		size_t off, n;

		if (cf__der_spki(issuer->der, issuer->der_len, &off, &n) != 0)
			return 0;
		p = issuer->der + off;
		if ((key = d2i_PUBKEY(NULL, &p, (long)n)) == NULL)
			return 0;
		pc = EVP_PKEY_CTX_new(key, NULL);
		EVP_PKEY_free(key); /* the context holds it */
		if (pc == NULL || EVP_PKEY_verify_init(pc) != 1 ||
		    EVP_PKEY_CTX_set_signature_md(pc, md) != 1) {
			EVP_PKEY_CTX_free(pc);
			return 0;
		}
		i = c->knext++ % FAST_KEYS;
		EVP_PKEY_CTX_free(c->kctx[i]);
		c->kf[i] = issuer;
		c->kmd[i] = md;
		c->kctx[i] = pc;
	}
	return EVP_Digest(sg->tbs, sg->tbs_len, digest, &dlen, md, NULL) == 1 &&
	    EVP_PKEY_verify(pc, sg->sig, sg->sig_len, digest, dlen) == 1;
}

/* Does the link CERT -> ISSUER take the fast path: a link of its class
 * accepted before, and its signature verifies with libcrypto? 1, or 0
 * (GnuTLS is to judge it); L keeps what cf__fast_learn needs. */
int
cf__fast_accepts(struct tlcache *c, const struct cf__facts *cert, const struct cf__facts *issuer,
    struct fast_link *l)
{
	l->md = NULL;
	l->fast = fast_class(cert, issuer, &l->sg, l->cls, &l->md);
	return l->fast && class_known(c, l->cls) && fast_sig(c, issuer, &l->sg, l->md);
}

/* GnuTLS accepted the link of L: its class is known once libcrypto agrees
 * on its signature. */
void
cf__fast_learn(struct tlcache *c, const struct cf__facts *issuer, const struct fast_link *l)
{
	if (l->fast && !holds_leaves(issuer) && fast_sig(c, issuer, &l->sg, l->md))
		class_add(c, l->cls);
}
