/*
 * chain.c - will the chains verify: per node, the chain of every
 * certificate file's first certificate, built from the issuers the node
 * carries (the same file first, then the node's other files, then the
 * anchors), and judged by GnuTLS's trust list of the node's anchors
 * (tls-chain-incomplete, -untrusted, -bad-signature, -order,
 * -outlives-issuer); across the fleet, whether a node's trusted chain
 * verifies against the anchors the other nodes carry (tls-trust-split).
 *
 * A node's anchors are the self-signed CA certificates it carries (a
 * version 1 self-signed certificate counts as a CA, as it did before
 * basicConstraints) and those of --trust and --system-trust. A node
 * without one is not chain-checked; one skip entry names the nodes that
 * hold a certificate issued by another. Verdicts are
 * cached by (anchor set, chain) and links by (certificate, issuer): a
 * fleet verifies each distinct pair once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "check/check.h"

#define MAX_DEPTH 16      /* certificates in one chain */
#define MAX_CANDIDATES 8  /* issuers of one name tried */
#define MAX_SETS 32       /* anchor sets a trusted chain is compared with */
#define NONE UINT32_MAX
/* what says a signature does not verify (other bits are the trust list's) */
#define SIG_BITS (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)

/* Time is judged by the time rules, weak hashes by tls-sig-weak: the
 * chain verdict is about who signed what. */
#define VERIFY_FLAGS (GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS | \
	GNUTLS_VERIFY_ALLOW_BROKEN | GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1)

/* One distinct set of anchors, shared by the nodes that carry it. */
struct aset {
	const struct cf__facts **v;       /* by SHA-256 */
	size_t n;
	size_t nodes;                     /* how many nodes carry it */
	uint32_t first[3];                /* the first of them */
	int top;                          /* among the MAX_SETS most carried */
	/* the first chain of the largest set that this set's anchors reject:
	 * this set's nodes are told (tls-trust-split) after the pass */
	const struct cf__facts *split_leaf, *split_end;
	uint32_t split_path, split_by;    /* its path, the set that carries it */
};

/* A certificate of the node being checked. */
struct held {
	const struct cf__facts *f;
	uint32_t file;
};

/* Trust lists of one certificate each (the anchor, or the issuer of a
 * link), the last few used: made with GnuTLS for one thread. */
#define TL_CACHE 8
#define FAST_KEYS 8       /* issuers' keys loaded in OpenSSL, per thread */
#define FAST_CLASSES 16   /* kinds of link GnuTLS accepted, per thread */
struct tlcache {
	const struct cf__facts *f[TL_CACHE];
	gnutls_x509_trust_list_t tl[TL_CACHE];
	unsigned next;
	/* the fast path of a link (see fast_class) */
	const struct cf__facts *kf[FAST_KEYS];
	EVP_PKEY_CTX *kctx[FAST_KEYS];
	const EVP_MD *kmd[FAST_KEYS];
	unsigned knext;
	unsigned char cls[FAST_CLASSES][32];
	unsigned n_cls, cnext;
};

struct ctx {
	struct cf_scan *s;
	struct tlcache tc;                /* the scan thread's */
	struct cf__dmap *cache;           /* links (kind 1) and verdicts (kind 2) */
	struct cf__dmap *set_ids;         /* anchor set id -> index + 1 */
	struct aset *sets;
	size_t n_sets, cap_sets;
	size_t largest;                   /* the set most nodes carry, alone; or n_sets on a tie */
	uint32_t *node_set;               /* per node: its set, or NONE */
	unsigned char *split_said;        /* per node: a tls-trust-split was said */
	struct held *pool;                /* the node's certificates, by subject */
	size_t n_pool, cap_pool;
	size_t unchecked;                 /* nodes with chains and no anchor */
	uint32_t unchecked_first[3];
};

enum end { END_TRUSTED, END_SELF, END_INCOMPLETE, END_BADSIG, END_LOOP, END_DEEP };

struct chain {
	const struct cf__facts *c[MAX_DEPTH];
	size_t n;
	enum end end;
	const struct cf__facts *bad_issuer;   /* END_BADSIG: the issuer c[n-1] fails with */
	int capped;                           /* END_INCOMPLETE: MAX_CANDIDATES of the issuer's
	                                         name were tried, none signs: others not tried */
	unsigned status;                      /* END_TRUSTED: GnuTLS's verdict */
};


/* A self-signed CA: what a node trusts by carrying it. A version 1
 * self-signed certificate (no basicConstraints) is a root only while the
 * scan names no anchors of its own: given --trust, it is a self-signed
 * leaf, as openssl verify takes it (error 18). Under --trust-only a node's
 * roots are candidates, never anchors (node_anchors). */
static int
is_root(const struct cf_scan *s, const struct cf__facts *f)
{
	return cf__facts_usable(f) && cf__is_self_signed(f) && (f->is_ca || (f->version == 1 && s->n_trust == 0));
}

static int
cmp_sha(const void *a, const void *b)
{
	return memcmp((*(const struct cf__facts *const *)a)->sha256,
	    (*(const struct cf__facts *const *)b)->sha256, 32);
}

static int
cmp_name(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
	if (na != nb)
		return na < nb ? -1 : 1;
	return memcmp(a, b, na);
}

static int
cmp_held(const void *a, const void *b)
{
	const struct cf__facts *x = ((const struct held *)a)->f, *y = ((const struct held *)b)->f;
	int c = cmp_name(x->der + x->subject_off, x->subject_len, y->der + y->subject_off, y->subject_len);

	return c ? c : memcmp(x->sha256, y->sha256, 32);
}

static int
in_set(const struct aset *a, const struct cf__facts *f)
{
	const struct cf__facts *key = f;

	return a && bsearch(&key, a->v, a->n, sizeof *a->v, cmp_sha) != NULL;
}

static int
issued_by_name(const struct cf__facts *cert, const struct cf__facts *issuer)
{
	return cmp_name(cert->der + cert->issuer_off, cert->issuer_len, issuer->der + issuer->subject_off,
	    issuer->subject_len) == 0;
}

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
static int
link_ok(struct ctx *x, const struct cf__facts *cert, const struct cf__facts *issuer)
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
	if (c && i && !gnutls_sign_supports_pk_algorithm(gnutls_x509_crt_get_signature_algorithm(c),
	    (gnutls_pk_algorithm_t)gnutls_x509_crt_get_pk_algorithm(i, NULL)))
		status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNATURE_FAILURE;
	else if (c && i && gnutls_x509_crt_verify(c, &i, 1, VERIFY_FLAGS | GNUTLS_VERIFY_DISABLE_CA_SIGN |
	    GNUTLS_VERIFY_DO_NOT_ALLOW_SAME, &status) < 0)
		status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNATURE_FAILURE;
	if (i != c)
		gnutls_x509_crt_deinit(i);
	gnutls_x509_crt_deinit(c);
	if ((rec = malloc(sizeof *rec)) == NULL || (rec = cf__dmap_put(x->cache, id, 1, rec)) == NULL)
		return -1;
	*rec = status;
	return (status & SIG_BITS) == 0;
}

/* ---- the fast path of one link ------------------------------------------------
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
 * signature that does not verify) is GnuTLS's to judge, with its reason. */

static const struct {
	unsigned char der[15];
	size_t len;
	const EVP_MD *(*md)(void);            /* its hash */
} fast_algs[] = {
	/* ecdsa-with-SHA256/384/512 (RFC 5758: no parameters) */
	{ { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 }, 12, EVP_sha256 },
	{ { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 }, 12, EVP_sha384 },
	{ { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 }, 12, EVP_sha512 },
	/* sha256/384/512WithRSAEncryption, NULL parameters */
	{ { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 }, 15, EVP_sha256 },
	{ { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00 }, 15, EVP_sha384 },
	{ { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00 }, 15, EVP_sha512 },
};

/* nameConstraints (2.5.29.30) and the TLS feature extension
 * (1.3.6.1.5.5.7.1.24): what an issuer holds its leaves to. */
static const unsigned char oid_nc[] = { 0x55, 0x1d, 0x1e };
static const unsigned char oid_tlsfeature[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18 };
static const unsigned char oid_aki[] = { 0x55, 0x1d, 0x23 };

static int
has_ext(const struct cf__facts *f, const unsigned char *oid, size_t n)
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
	return has_ext(issuer, oid_nc, sizeof oid_nc) || has_ext(issuer, oid_tlsfeature, sizeof oid_tlsfeature);
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
	    cmp_name(cert->der + cert->issuer_off, cert->issuer_len, cert->der + cert->subject_off,
	    cert->subject_len) == 0 ||
	    cf__der_signed(cert->der, cert->der_len, sg) != 0 ||
	    cf__der_spki(cert->der, cert->der_len, &off, &n) != 0 ||
	    cf__der_spki_alg(cert->der + off, n, &alg, &alglen, &param, &paramlen) != 0)
		return 0;
	/* the class holds what GnuTLS reads as GnuTLS reads it: the
	 * authorityKeyIdentifier's bytes as written (certfleet's reading of
	 * a form libtasn1 also takes, such as a high-tag [0], may differ),
	 * and a certificate that is not plain DER is GnuTLS's alone */
	if ((has_aki = cf__der_extension(cert->der, cert->der_len, oid_aki, sizeof oid_aki, &aki,
	    &akilen)) < 0 || cf__der_lint(cert->der, cert->der_len, &why, &at) != 0)
		return 0;
	for (i = 0; i < sizeof fast_algs / sizeof *fast_algs; i++)
		if (sg->alg_len == fast_algs[i].len && memcmp(sg->alg, fast_algs[i].der, sg->alg_len) == 0)
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
#define PART(p, n) do { size_t n_ = (n); gnutls_hash(h, &n_, sizeof n_); gnutls_hash(h, (p), n_); } while (0)
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
fast_sig(struct tlcache *c, const struct cf__facts *issuer, const struct cf__der_signed *sg, const EVP_MD *md)
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
		EVP_PKEY_free(key);                /* the context holds it */
		if (pc == NULL || EVP_PKEY_verify_init(pc) != 1 || EVP_PKEY_CTX_set_signature_md(pc, md) != 1) {
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

static void
tl_clear(struct tlcache *c)
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
static int
atom_id(const struct cf__facts *const *c, size_t n, const struct cf__facts *t, unsigned char id[32])
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
	if (tl && k == n && gnutls_x509_trust_list_verify_crt2(tl, crts, (unsigned)k, NULL, 0, VERIFY_FLAGS,
	    &status, NULL) < 0)
		status = GNUTLS_CERT_INVALID;
	for (i = 0; i < k; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return status;
}

/* GnuTLS's verdict on C[0..N) with T trusted (see verify_with), a link of
 * a class GnuTLS accepted taking the fast path. */
static unsigned
verdict(struct tlcache *tc, const struct cf__facts *const *c, size_t n, const struct cf__facts *t)
{
	struct cf__der_signed sg;
	unsigned char cls[32];
	unsigned status;
	const EVP_MD *md = NULL;
	int fast = n == 1 && fast_class(c[0], t, &sg, cls, &md);

	if (fast && class_known(tc, cls) && fast_sig(tc, t, &sg, md))
		return 0;
	status = verify_with(tl_of(tc, t), c, n);
	/* the class is known once both agree on a link of it */
	if (fast && status == 0 && !holds_leaves(t) && fast_sig(tc, t, &sg, md))
		class_add(tc, cls);
	return status;
}

/* GnuTLS's verdict on C[0..N) with T as the one trusted certificate
 * (GnuTLS's trust list of T): cached by (C, T). */
static int
atom(struct ctx *x, const struct cf__facts *const *c, size_t n, const struct cf__facts *t, unsigned *out)
{
	unsigned char id[32];
	unsigned *rec;

	if (atom_id(c, n, t, id) != 0)
		return CF_E_NOMEM;
	if ((rec = cf__dmap_get(x->cache, id, 2)) != NULL) {
		*out = *rec;
		return 0;
	}
	if ((rec = malloc(sizeof *rec)) == NULL || (rec = cf__dmap_put(x->cache, id, 2, rec)) == NULL)
		return CF_E_NOMEM;
	*out = *rec = verdict(&x->tc, c, n, t);
	return 0;
}

/* Can the chain C[0..N) (the anchor last) be judged a link at a time? When
 * no issuer in it constrains the path (pathLenConstraint, name
 * constraints), each link verified with its issuer as the one trusted
 * certificate is what GnuTLS checks of it in the whole chain: then a link
 * shared by a fleet's chains (an intermediate under its root) is verified
 * once, not once per leaf. */
static int
by_links(const struct cf__facts *const *c, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (c[i]->pathlen >= 0 || has_ext(c[i], oid_nc, sizeof oid_nc))
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
static int
judge(struct ctx *x, const struct cf__facts *const *c, size_t n, unsigned *out)
{
	size_t i;
	int rc;

	if (n <= 2 || !by_links(c, n))
		return atom(x, c, n - 1, c[n - 1], out);
	for (i = 0; i + 1 < n; i++)
		if ((rc = atom(x, c + i, 1, c[i + 1], out)) != 0 || *out != 0)
			return rc;
	return 0;
}

/* ---- building a chain ---------------------------------------------------------- */

static int
in_chain(const struct chain *ch, const struct cf__facts *f)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (memcmp(ch->c[i]->sha256, f->sha256, 32) == 0)
			return 1;
	return 0;
}

static void
candidate(const struct cf__facts **v, size_t *n, const struct chain *ch, const struct cf__facts *cur,
    const struct cf__facts *f)
{
	size_t i;

	if (*n == MAX_CANDIDATES || !cf__facts_usable(f) || !issued_by_name(cur, f) || in_chain(ch, f))
		return;         /* (an issuer in the chain already: a loop, seen by build) */
	for (i = 0; i < *n; i++)
		if (memcmp(v[i]->sha256, f->sha256, 32) == 0)
			return;
	v[(*n)++] = f;
}

/* May FILE's chain take a certificate of the node's file OTHER (an index
 * into the scan's files)? An entry of a Kubernetes object (a logical path
 * FILE#NAMESPACE/NAME/KEY) is mounted alone: it chains only with the
 * entries of its own object (and the anchors), never with another
 * Secret's intermediate. Other files take any of the node's. */
static int
in_scope(const struct cf_scan *s, const struct cf__file *file, uint32_t other)
{
	const char *hash = strchr(file->path, '#'), *slash;
	size_t n;

	if (hash == NULL || (slash = strrchr(hash, '/')) == NULL)
		return 1;
	n = (size_t)(slash - file->path) + 1;  /* "FILE#NS/NAME/" */
	return strncmp(s->files[other].path, file->path, n) == 0;
}

/* The issuers of CUR by name: in FILE, then the node's pool (within
 * FILE's scope), then A. */
static size_t
candidates(struct ctx *x, const struct cf__file *file, const struct aset *a, const struct chain *ch,
    const struct cf__facts *cur, const struct cf__facts **v)
{
	const struct cf__member *m = cf__members(file);
	struct held key = { cur, 0 };
	size_t n = 0, lo = 0, hi = x->n_pool, i;
	uint32_t j;

	for (j = 0; j < file->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT)
			candidate(v, &n, ch, cur, m[j].facts);
	/* the first certificate of the pool with CUR's issuer as subject */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cf__facts *f = x->pool[mid].f;
		if (cmp_name(f->der + f->subject_off, f->subject_len, key.f->der + key.f->issuer_off,
		    key.f->issuer_len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < x->n_pool && issued_by_name(cur, x->pool[i].f); i++)
		if (in_scope(x->s, file, x->pool[i].file))
			candidate(v, &n, ch, cur, x->pool[i].f);
	for (i = 0; a && i < a->n; i++)
		candidate(v, &n, ch, cur, a->v[i]);
	return n;
}

/* A self-issued CUR: does another certificate of its name (FILE, the pool,
 * A) sign it, where its own key does not? 1 with it in *NEXT, 0, or
 * CF_E_NOMEM. A root's own signature is not asked for: only when another
 * certificate of the name is there at all. */
static int
other_signer(struct ctx *x, const struct cf__file *file, const struct aset *a, const struct chain *ch,
    const struct cf__facts *cur, const struct cf__facts **next)
{
	const struct cf__facts *v[MAX_CANDIDATES];
	size_t n = candidates(x, file, a, ch, cur, v), i;
	int ok;

	if (n == 0 || cur->is_ca)
		return 0;
	if ((ok = link_ok(x, cur, cur)) != 0)
		return ok < 0 ? ok : 0;           /* it signs itself */
	for (i = 0; i < n; i++) {
		if ((ok = link_ok(x, cur, v[i])) < 0)
			return ok;
		if (ok) {
			*next = v[i];
			return 1;
		}
	}
	return 0;
}

static int
build(struct ctx *x, const struct cf__file *file, struct aset *a, const struct cf__facts *leaf,
    struct chain *ch)
{
	const struct cf__facts *v[MAX_CANDIDATES], *cur = leaf, *next;
	size_t n, i;
	int ok, rc;

	memset(ch, 0, sizeof *ch);
	ch->c[ch->n++] = leaf;
	for (;;) {
		if (in_set(a, cur)) {
			ch->end = END_TRUSTED;
			return 0;
		}
		if (cf__is_self_signed(cur)) {
			/* self-issued (its issuer's name its own): signed by another
			 * certificate of that name (a leaf a root issued under the
			 * root's own name), the chain goes on; else it ends here */
			if ((rc = other_signer(x, file, a, ch, cur, &next)) < 0)
				return rc;
			if (rc == 0) {
				ch->end = END_SELF;
				return 0;
			}
			if (ch->n == MAX_DEPTH) {
				ch->end = END_DEEP;
				return 0;
			}
			cur = ch->c[ch->n++] = next;
			continue;
		}
		if ((n = candidates(x, file, a, ch, cur, v)) == 0) {
			ch->end = END_INCOMPLETE;
			for (i = 0; i < ch->n; i++)
				if (issued_by_name(cur, ch->c[i]))
					ch->end = END_LOOP;
			return 0;
		}
		/* one issuer of that name: the trust list judges its signature;
		 * several (a rotated CA of the same name): the one that signed */
		for (i = 0, ok = n == 1; !ok && i < n; i++)
			if ((ok = link_ok(x, cur, v[i])) < 0)
				return CF_E_NOMEM;
		if (!ok && n == MAX_CANDIDATES) {   /* more of that name than are tried */
			ch->end = END_INCOMPLETE;
			ch->capped = 1;
			return 0;
		}
		if (!ok) {
			ch->end = END_BADSIG;
			ch->bad_issuer = v[0];
			return 0;
		}
		if (ch->n == MAX_DEPTH) {
			ch->end = END_DEEP;
			return 0;
		}
		cur = ch->c[ch->n++] = v[n == 1 ? 0 : i - 1];
	}
}

/* ---- findings ------------------------------------------------------------------ */

/* Where in FILE certificate F lies (its member), or NULL. */
static const struct cf__member *
member_of(const struct cf__file *file, const struct cf__facts *f)
{
	const struct cf__member *m = cf__members(file);
	uint32_t j;

	for (j = 0; j < file->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT && m[j].facts == f)
			return &m[j];
	return NULL;
}

/* A finding of RULE on FILE at member M (NULL: its first certificate). */
static int
say(struct cf_scan *s, enum cf__rule_id rule, const struct cf__file *file, const struct cf__member *m,
    const char *text)
{
	if (m == NULL)
		m = cf__first_cert(file);
	return cf__finding_add(s, rule, file->node, file->path, (int)m->index, (int)m->line, m->facts,
	    "%s: %s", cf__rules[rule].headline, text);
}

/* A bundle's certificates in chain order: each one in the chain, each
 * after the one it issued. */
static int
check_order(struct cf_scan *s, const struct cf__file *file, const struct chain *ch)
{
	const struct cf__member *m = cf__members(file);
	size_t last = 0, pos;
	uint32_t j;
	char text[512];
	int first = 1;

	for (j = 0; j < file->dec->n_members && !file->dec->unordered; j++) {
		if (m[j].kind != CF__M_CERT)
			continue;
		for (pos = 0; pos < ch->n && memcmp(ch->c[pos]->sha256, m[j].facts->sha256, 32); pos++)
			;
		if (first) {
			first = 0;
			continue;
		}
		if (pos == ch->n || pos <= last) {
			snprintf(text, sizeof text, "member %u (%s) %s", m[j].index, m[j].facts->subject,
			    pos == ch->n ? "is not part of the chain of the first certificate: a bundle holds "
			    "one chain, leaf first" : "comes after a certificate it issued: a bundle goes leaf, "
			    "then each issuer");
			return say(s, CF__R_CHAIN_ORDER, file, &m[j], text);
		}
		last = pos;
	}
	return 0;
}

static int
check_outlives(struct cf_scan *s, const struct cf__file *file, const struct chain *ch)
{
	char a[32], b[32], text[512];
	size_t i;
	int rc;

	for (i = 0; i + 1 < ch->n; i++) {
		if (ch->c[i]->not_after <= ch->c[i + 1]->not_after)
			continue;
		cf_format_time(ch->c[i]->not_after, a, sizeof a);
		cf_format_time(ch->c[i + 1]->not_after, b, sizeof b);
		snprintf(text, sizeof text, "notAfter %s of %s is later than %s of its issuer %s: clients "
		    "refuse it once the issuer expires", a, ch->c[i]->subject, b, ch->c[i + 1]->subject);
		if ((rc = say(s, CF__R_CHAIN_OUTLIVES, file, member_of(file, ch->c[i]), text)) != 0)
			return rc;
	}
	return 0;
}

/* The link of CH that does not verify (the trust list's signature
 * failure, or a self-signed end that is not an anchor): its index, or -1. */
static int
bad_link(struct ctx *x, const struct chain *ch, size_t *at)
{
	size_t i;
	int ok;

	for (i = 0; i < ch->n; i++) {
		const struct cf__facts *issuer = i + 1 < ch->n ? ch->c[i + 1] : ch->c[i];
		if (i + 1 == ch->n && !cf__is_self_signed(ch->c[i]))
			break;
		if ((ok = link_ok(x, ch->c[i], issuer)) < 0)
			return CF_E_NOMEM;
		if (!ok) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

static int
say_bad_link(struct cf_scan *s, const struct cf__file *file, const struct cf__facts *cert,
    const struct cf__facts *issuer)
{
	char text[640];

	if (cert == issuer)
		snprintf(text, sizeof text, "the self-signature of %s does not verify with its own key", cert->subject);
	else if (cert->aki && issuer->ski && (cert->aki_len != issuer->ski_len ||
	    memcmp(cert->aki, issuer->ski, cert->aki_len) != 0))
		snprintf(text, sizeof text, "%s names by its authorityKeyIdentifier another key than that of %s "
		    "(sha256 %.16s), the one certificate of its issuer's name", cert->subject, issuer->subject,
		    issuer->sha256_hex);
	else if (cert->aki == NULL && has_ext(cert, oid_aki, sizeof oid_aki))
		snprintf(text, sizeof text, "%s carries an authorityKeyIdentifier in a form certfleet does "
		    "not read (GnuTLS does) that names no key of %s (sha256 %.16s), the one certificate of "
		    "its issuer's name: GnuTLS finds no issuer", cert->subject, issuer->subject,
		    issuer->sha256_hex);
	else
		snprintf(text, sizeof text, "the signature of %s does not verify with the key of %s "
		    "(sha256 %.16s): its issuer's name, another key", cert->subject, issuer->subject,
		    issuer->sha256_hex);
	return say(s, CF__R_CHAIN_BAD_SIGNATURE, file, member_of(file, cert), text);
}

/* Is FILE a trust store, not a chain: every certificate a root, or two
 * roots or more (a chain ends at one; a CA bundle holds roots and
 * perhaps an intermediate)? */
static int
all_roots(const struct cf_scan *s, const struct cf__file *file)
{
	const struct cf__member *m = cf__members(file);
	uint32_t j, roots = 0, certs = 0;

	for (j = 0; j < file->dec->n_members; j++)
		if (m[j].kind == CF__M_CERT) {
			certs++;
			roots += is_root(s, m[j].facts) != 0;
		}
	return roots == certs || roots >= 2;
}

/* The certificate FILE's chain starts at: its first, when readable and
 * the file is not a trust store (anchors only); else NULL. */
static const struct cf__facts *
chain_head(const struct cf_scan *s, const struct cf__file *file)
{
	const struct cf__member *m0 = cf__first_cert(file);

	return m0 && cf__facts_usable(m0->facts) && !all_roots(s, file) ? m0->facts : NULL;
}

/* The walk both the verdicts ahead and the checks make over NODE's files:
 * the next one from *I on whose first certificate heads a chain, with *F
 * and *HEAD (1; *I past it), or 0 when none is left. One walk, so that
 * what is verified ahead is what is checked. */
static int
next_head(const struct ctx *x, size_t node, size_t *i, const struct cf__file **f,
    const struct cf__facts **head)
{
	const struct cf_scan *s = x->s;

	while (*i < s->file_off[node + 1]) {
		*f = &s->files[s->file_order[(*i)++]];
		if ((*head = chain_head(s, *f)) != NULL)
			return 1;
	}
	return 0;
}

/* Are trusted chains compared with the other anchor sets? */
static int
splits(const struct ctx *x)
{
	return x->n_sets >= 2 && x->n_sets <= MAX_SETS * 4 &&
	    x->s->policy.severity[CF__R_TRUST_SPLIT] != CF_SEV_NEVER;
}

/* Names of the nodes of SETS[I] for which REJECT[I]: "n02, n03 and 4
 * more". */
static void
node_names(const struct ctx *x, const unsigned char *reject, char *out, size_t len)
{
	size_t i, k, shown = 0, total = 0, o = 0;

	for (i = 0; i < x->n_sets; i++)
		if (reject[i])
			total += x->sets[i].nodes;
	out[0] = '\0';
	for (i = 0; i < x->n_sets && shown < 3; i++)
		for (k = 0; reject[i] && k < 3 && k < x->sets[i].nodes && shown < 3; k++, shown++)
			o += (size_t)snprintf(out + o, o < len ? len - o : 0, "%s%s", shown ? ", " : "",
			    x->s->nodes[x->sets[i].first[k]]);
	if (total > shown && o < len)
		snprintf(out + o, len - o, " and %zu more", total - shown);
}

/* Would the nodes of SET accept the chain of LEAF (in FILE, the node's
 * pool around it): 1, 0, or CF_E_NOMEM. Where SET holds the anchor the
 * node's own chain ends at, the verdict is the node's (cached); else the
 * chain is built again, to SET's anchors. */
static int
accepts(struct ctx *x, const struct cf__file *file, size_t set, const struct cf__facts *leaf)
{
	struct chain ch;
	unsigned status;
	int rc;

	if ((rc = build(x, file, &x->sets[set], leaf, &ch)) != 0)
		return rc;
	if (ch.end != END_TRUSTED)
		return 0;
	if (ch.n == 1)
		return 1;
	if ((rc = judge(x, ch.c, ch.n, &status)) != 0)
		return rc;
	return status == 0;
}

/* tls-trust-split: the chain CH that verifies on its node (set OWN),
 * judged with the anchors of every other set among the most carried. The
 * nodes of the largest set (the majority, when one set is carried by more
 * nodes than any other) get no finding: the split is the minority's, and
 * each of its nodes is told how large the majority is. */
static int
check_split(struct ctx *x, const struct cf__file *file, size_t own, const struct chain *ch)
{
	unsigned char reject[MAX_SETS * 4] = {0};
	size_t i, any = 0, total = 0;
	char names[256], text[768];
	int rc;

	if (!splits(x))
		return 0;
	for (i = 0; i < x->n_sets; i++) {
		if (i == own || !x->sets[i].top || (own == x->largest && x->sets[i].split_leaf))
			continue;
		if ((rc = accepts(x, file, i, ch->c[0])) < 0)
			return rc;
		if (rc != 0)
			continue;
		/* set I's nodes are told after the pass that they reject the
		 * majority's chain (or, without a majority, any other set's) */
		if (x->sets[i].split_leaf == NULL && (own == x->largest || x->largest == x->n_sets)) {
			x->sets[i].split_leaf = ch->c[0];
			x->sets[i].split_end = ch->c[ch->n - 1];
			x->sets[i].split_path = file->path_ix;
			x->sets[i].split_by = (uint32_t)own;
		}
		if (own != x->largest)
			reject[i] = 1, any++;
	}
	if (!any || own == x->largest)
		return 0;
	x->split_said[file->node_ix] = 1;
	if (x->largest < x->n_sets && reject[x->largest]) {
		memset(reject, 0, sizeof reject);
		reject[x->largest] = 1;
		node_names(x, reject, names, sizeof names);
		for (i = 0; i < x->n_sets; i++)
			total += x->sets[i].nodes;
		snprintf(text, sizeof text, "the chain of %s (to %s) does not verify with the anchors the "
		    "largest group of nodes carries (%zu of %zu nodes: %s): internode TLS fails between "
		    "this node and them", ch->c[0]->subject, ch->c[ch->n - 1]->subject,
		    x->sets[x->largest].nodes, total, names);
		return say(x->s, CF__R_TRUST_SPLIT, file, NULL, text);
	}
	node_names(x, reject, names, sizeof names);
	snprintf(text, sizeof text, "the chain of %s (to %s) does not verify with the anchors that node%s "
	    "%s carr%s: internode TLS fails between them", ch->c[0]->subject, ch->c[ch->n - 1]->subject, strchr(names, ',') ||
	    strstr(names, " more") ? "s" : "", names, strchr(names, ',') || strstr(names, " more") ?
	    "y" : "ies");
	return say(x->s, CF__R_TRUST_SPLIT, file, NULL, text);
}

/* A chain ending at an anchor the scan was given (--trust), that no file
 * of the node carries (a carried one has its own expiry findings), and
 * that is not valid at the reference time: tls-chain-untrusted, as GnuTLS
 * and openssl verify refuse an expired or not yet valid anchor. 1 said, 0,
 * or CF_E_NOMEM. */
static int
check_anchor_time(struct ctx *x, const struct cf__file *file, const struct chain *ch)
{
	const struct cf__facts *t = ch->c[ch->n - 1];
	int64_t now = x->s->policy.now;
	size_t i;
	char when[40], text[640];
	int rc;

	if (t->not_before <= now && now <= t->not_after)
		return 0;
	for (i = 0; i < x->n_pool; i++)
		if (x->pool[i].f == t)
			return 0;
	for (i = 0; i < x->s->n_trust && x->s->trust[i] != t; i++)
		;
	if (i == x->s->n_trust)
		return 0;
	cf_format_time(now < t->not_before ? t->not_before : t->not_after, when, sizeof when);
	snprintf(text, sizeof text, "the chain of %s ends at the anchor %s (--trust), which is %s at the "
	    "reference time (%s %s)", ch->c[0]->subject, t->subject, now < t->not_before ?
	    "not yet valid" : "expired", now < t->not_before ? "notBefore" : "notAfter", when);
	rc = say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	return rc ? rc : 1;
}

static int
check_file(struct ctx *x, const struct cf__file *file, uint32_t set)
{
	const struct cf__facts *head = chain_head(x->s, file);
	struct aset *a = &x->sets[set];
	struct chain ch;
	char text[768], reason[256];
	size_t at;
	int rc;

	if (head == NULL)
		return 0;
	if ((rc = build(x, file, a, head, &ch)) != 0)
		return rc;
	switch (ch.end) {
	case END_INCOMPLETE: {
		const struct cf__facts *last = ch.c[ch.n - 1];
		if (ch.capped)
			snprintf(text, sizeof text, "the issuer of %s was not found among the first %d "
			    "certificates named %s that were tried (more bear that name; certfleet tries %d): "
			    "none of them signed it", last->subject, MAX_CANDIDATES, last->issuer,
			    MAX_CANDIDATES);
		else
			snprintf(text, sizeof text, "no certificate named %s, the issuer of %s, in this file, "
			    "in the node's other files or among its %zu anchor%s", last->issuer, last->subject,
			    a->n, a->n == 1 ? "" : "s");
		return say(x->s, CF__R_CHAIN_INCOMPLETE, file, NULL, text);
	}
	case END_BADSIG:
		return say_bad_link(x->s, file, ch.c[ch.n - 1], ch.bad_issuer);
	case END_LOOP: case END_DEEP:
		snprintf(text, sizeof text, "the chain of %s %s", ch.c[0]->subject, ch.end == END_LOOP ?
		    "loops back on itself" : "is longer than 16 certificates");
		return say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	case END_SELF:
		if ((rc = bad_link(x, &ch, &at)) < 0)
			return rc;
		if (rc == 1 && (rc = say_bad_link(x->s, file, ch.c[at], at + 1 < ch.n ? ch.c[at + 1] :
		    ch.c[at])) != 0)
			return rc;
		snprintf(text, sizeof text, "the chain of %s ends at %s, which is not one of the node's %zu "
		    "anchor%s (its self-signed CA certificates, --trust, --system-trust)", ch.c[0]->subject,
		    ch.c[ch.n - 1]->subject, a->n, a->n == 1 ? "" : "s");
		if ((rc = say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text)) != 0)
			return rc;
		if (ch.n > 1 && (rc = check_order(x->s, file, &ch)) != 0)
			return rc;
		return check_outlives(x->s, file, &ch);
	case END_TRUSTED:
		break;
	}
	if ((rc = check_anchor_time(x, file, &ch)) != 0)
		return rc < 0 ? rc : 0;
	if (ch.n > 1 && (rc = judge(x, ch.c, ch.n, &ch.status)) != 0)
		return rc;
	if (ch.status & (GNUTLS_CERT_SIGNATURE_FAILURE | GNUTLS_CERT_SIGNER_NOT_FOUND)) {
		if ((rc = bad_link(x, &ch, &at)) < 0)
			return rc;
		if (rc == 1)
			return say_bad_link(x->s, file, ch.c[at], ch.c[at + 1]);
	}
	if (ch.status) {
		gnutls_datum_t out = {0};
		if (gnutls_certificate_verification_status_print(ch.status, GNUTLS_CRT_X509, &out, 0) >= 0)
			snprintf(reason, sizeof reason, "%s", (char *)out.data);
		else
			snprintf(reason, sizeof reason, "status 0x%x", ch.status);
		gnutls_free(out.data);
		snprintf(text, sizeof text, "the chain of %s to the anchor %s does not verify: %s",
		    ch.c[0]->subject, ch.c[ch.n - 1]->subject, reason);
		return say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	}
	if ((rc = check_order(x->s, file, &ch)) != 0 || (rc = check_outlives(x->s, file, &ch)) != 0)
		return rc;
	return ch.n > 1 ? check_split(x, file, set, &ch) : 0;
}

/* ---- the pass ------------------------------------------------------------------ */

static int fill_pool(struct ctx *x, size_t node);
static size_t largest_set(const struct ctx *x);

/* The anchors of node N (the roots of its pool, and the scan's) into V,
 * sorted and without repeats: their number, or (size_t)-1 out of memory. */
static size_t
node_anchors(struct ctx *x, size_t node, const struct cf__facts ***v, size_t *cap)
{
	const struct cf_scan *s = x->s;
	size_t i, n = 0, k;

	if (fill_pool(x, node) != 0 ||
	    cf__grow((void **)v, cap, x->n_pool + s->n_trust + 1, sizeof **v, 16) != 0)
		return (size_t)-1;
	for (i = 0; i < x->n_pool; i++)
		if (!s->trust_only && is_root(s, x->pool[i].f))
			(*v)[n++] = x->pool[i].f;
	for (i = 0; i < s->n_trust; i++)
		(*v)[n++] = s->trust[i];
	if (n > 1)
		qsort(*v, n, sizeof **v, cmp_sha);
	for (i = k = 0; i < n; i++)
		if (k == 0 || memcmp((*v)[k - 1]->sha256, (*v)[i]->sha256, 32) != 0)
			(*v)[k++] = (*v)[i];
	return k;
}

/* Pass 1: every node's anchor set, the distinct ones once. */
static int
find_sets(struct ctx *x)
{
	struct cf_scan *s = x->s;
	const struct cf__facts **v = NULL;
	size_t cap = 0, node, n, i;
	unsigned char *buf = NULL, id[32];
	size_t *rec;
	int rc = 0;

	for (node = 0; node < s->n_nodes && rc == 0; node++) {
		x->node_set[node] = NONE;
		if ((n = node_anchors(x, node, &v, &cap)) == (size_t)-1) {
			rc = CF_E_NOMEM;
			break;
		}
		if (n == 0)
			continue;
		free(buf);
		if ((buf = malloc(32 * n)) == NULL) {
			rc = CF_E_NOMEM;
			break;
		}
		for (i = 0; i < n; i++)
			memcpy(buf + 32 * i, v[i]->sha256, 32);
		if (gnutls_hash_fast(GNUTLS_DIG_SHA256, buf, 32 * n, id) < 0) {
			rc = CF_E_NOMEM;
			break;
		}
		if ((rec = cf__dmap_get(x->set_ids, id, 0)) == NULL) {
			struct aset *a;
			if (cf__grow((void **)&x->sets, &x->cap_sets, x->n_sets + 1, sizeof *x->sets, 8) != 0) {
				rc = CF_E_NOMEM;
				break;
			}
			a = &x->sets[x->n_sets];
			memset(a, 0, sizeof *a);
			if ((a->v = malloc(n * sizeof *a->v)) == NULL || (rec = malloc(sizeof *rec)) == NULL) {
				free(a->v);
				rc = CF_E_NOMEM;
				break;
			}
			memcpy(a->v, v, n * sizeof *v);
			a->n = n;
			*rec = x->n_sets++;
			if ((rec = cf__dmap_put(x->set_ids, id, 0, rec)) == NULL) {
				rc = CF_E_NOMEM;
				break;
			}
		}
		x->node_set[node] = (uint32_t)*rec;
		if (x->sets[*rec].nodes < 3)
			x->sets[*rec].first[x->sets[*rec].nodes] = (uint32_t)node;
		x->sets[*rec].nodes++;
	}
	free(v);
	free(buf);
	/* the MAX_SETS sets most nodes carry are compared with */
	for (i = 0; i < x->n_sets; i++) {
		size_t more = 0, k;
		for (k = 0; k < x->n_sets; k++)
			more += x->sets[k].nodes > x->sets[i].nodes ||
			    (x->sets[k].nodes == x->sets[i].nodes && k < i);
		x->sets[i].top = more < MAX_SETS;
		if (x->n_sets > 4 * MAX_SETS)
			break;            /* too many to compare: no split verdicts */
	}
	x->largest = largest_set(x);
	return rc;
}

/* The anchor set more nodes carry than any other, or n_sets when two or
 * more sets tie for the most (then no group is the majority). */
static size_t
largest_set(const struct ctx *x)
{
	size_t i, best = x->n_sets, tie = 0;

	for (i = 0; i < x->n_sets; i++) {
		if (best == x->n_sets || x->sets[i].nodes > x->sets[best].nodes)
			best = i, tie = 0;
		else if (x->sets[i].nodes == x->sets[best].nodes)
			tie = 1;
	}
	return tie ? x->n_sets : best;
}

/* The node's certificates, by subject, into the pool. */
static int
fill_pool(struct ctx *x, size_t node)
{
	const struct cf_scan *s = x->s;
	size_t i;
	uint32_t j;

	x->n_pool = 0;
	for (i = s->file_off[node]; i < s->file_off[node + 1]; i++) {
		const struct cf__file *f = &s->files[s->file_order[i]];
		const struct cf__member *m = cf__members(f);
		for (j = 0; j < f->dec->n_members; j++) {
			if (m[j].kind != CF__M_CERT || !cf__facts_usable(m[j].facts))
				continue;
			if (cf__grow((void **)&x->pool, &x->cap_pool, x->n_pool + 1, sizeof *x->pool, 64) != 0)
				return CF_E_NOMEM;
			x->pool[x->n_pool++] = (struct held){ m[j].facts, s->file_order[i] };
		}
	}
	if (x->n_pool > 1)
		qsort(x->pool, x->n_pool, sizeof *x->pool, cmp_held);
	return 0;
}

/* ---- verdicts ahead, on every core ----------------------------------------------- */

/*
 * With --jobs over 1, the verdicts the pass will ask for are made first on
 * --jobs threads: the chains are built (no signature checked but where
 * several issuers share a name), every distinct (anchor set, chain) not yet
 * cached gets a record marked PENDING in the cache, and the threads fill
 * the records in, each with trust lists of its own (GnuTLS objects are not
 * shared between threads). The pass then finds every verdict cached: its
 * findings, and their order, are those of a scan on one thread.
 */
#define PENDING UINT32_MAX

struct vjob {
	uint32_t off, n;
	const struct cf__facts *t;            /* the one trusted certificate */
	unsigned *rec;
};

struct ahead {
	struct ctx *x;
	struct vjob *jobs;
	size_t n_jobs, cap_jobs;
	const struct cf__facts **certs;       /* the chains, one after another */
	size_t n_certs, cap_certs;
	size_t next;                          /* the next job to take; atomic */
};

/* Queue the verdict on C[0..N) with T trusted, unless known or queued. */
static int
queue(struct ahead *h, const struct cf__facts *const *c, size_t n, const struct cf__facts *t)
{
	unsigned char id[32];
	unsigned *rec;

	if (atom_id(c, n, t, id) != 0)
		return CF_E_NOMEM;
	if (cf__dmap_get(h->x->cache, id, 2) != NULL)
		return 0;
	if ((rec = malloc(sizeof *rec)) == NULL || (rec = cf__dmap_put(h->x->cache, id, 2, rec)) == NULL)
		return CF_E_NOMEM;
	*rec = PENDING;
	if (cf__grow((void **)&h->jobs, &h->cap_jobs, h->n_jobs + 1, sizeof *h->jobs, 2) != 0 ||
	    cf__grow((void **)&h->certs, &h->cap_certs, h->n_certs + n, sizeof *h->certs, 2) != 0)
		return CF_E_NOMEM;
	h->jobs[h->n_jobs++] = (struct vjob){ (uint32_t)h->n_certs, (uint32_t)n, t, rec };
	memcpy(h->certs + h->n_certs, c, n * sizeof *c);
	h->n_certs += n;
	return 0;
}

/* Queue what judge() will ask of the chain C[0..N) (the anchor last). */
static int
queue_chain(struct ahead *h, const struct cf__facts *const *c, size_t n)
{
	size_t i;
	int rc;

	if (n < 2)
		return 0;
	if (n == 2 || !by_links(c, n))
		return queue(h, c, n - 1, c[n - 1]);
	for (i = 0; i + 1 < n; i++)
		if ((rc = queue(h, c + i, 1, c[i + 1])) != 0)
			return rc;
	return 0;
}

static void *
ahead_worker(void *arg)
{
	struct ahead *h = arg;
	struct tlcache tc;
	size_t j;

	memset(&tc, 0, sizeof tc);
	while ((j = __atomic_fetch_add(&h->next, 1, __ATOMIC_RELAXED)) < h->n_jobs) {
		struct vjob *v = &h->jobs[j];
		*v->rec = verdict(&tc, h->certs + v->off, v->n, v->t);
	}
	tl_clear(&tc);
	return NULL;
}

/* Queue the verdicts node NODE's files will ask for: their chains', and
 * where a split is judged, the chains the other anchor sets would build. */
static int
ahead_node(struct ahead *h, size_t node)
{
	struct ctx *x = h->x;
	const struct cf_scan *s = x->s;
	uint32_t set = x->node_set[node];
	const struct cf__file *f;
	const struct cf__facts *head;
	struct chain ch, other;
	size_t i, k;
	int rc;

	if (set == NONE)
		return 0;
	if ((rc = fill_pool(x, node)) != 0)
		return rc;
	for (i = s->file_off[node]; next_head(x, node, &i, &f, &head); ) {
		if ((rc = build(x, f, &x->sets[set], head, &ch)) != 0)
			return rc;
		if (ch.end != END_TRUSTED)
			continue;
		if ((rc = queue_chain(h, ch.c, ch.n)) != 0)
			return rc;
		for (k = 0; k < x->n_sets && splits(x); k++) {
			if (k == set || !x->sets[k].top || in_set(&x->sets[k], ch.c[ch.n - 1]))
				continue;
			if ((rc = build(x, f, &x->sets[k], head, &other)) != 0 ||
			    (other.end == END_TRUSTED && (rc = queue_chain(h, other.c, other.n)) != 0))
				return rc;
		}
	}
	return 0;
}

static int
ahead(struct ctx *x)
{
	struct ahead h = { .x = x };
	pthread_t *threads = NULL;
	size_t node, started = 0, t, n = x->s->jobs > 1 ? (size_t)x->s->jobs : 1;
	int rc = 0;

	if (n < 2)
		return 0;
	for (node = 0; node < x->s->n_nodes && rc == 0; node++)
		rc = ahead_node(&h, node);
	if (rc == 0 && h.n_jobs > 1 && (threads = calloc(n, sizeof *threads)) != NULL) {
		for (t = 1; t < n && t < h.n_jobs; t++)
			if (pthread_create(&threads[t], NULL, ahead_worker, &h) == 0)
				started++;
		ahead_worker(&h);                 /* this thread is one of them */
		for (t = 1; t <= started; t++)
			pthread_join(threads[t], NULL);
	} else if (rc == 0) {
		ahead_worker(&h);
	}
	free(threads);
	free(h.jobs);
	free(h.certs);
	return rc;
}

/* A chain of a node without anchors (FILE's, from HEAD): when it ends at
 * a self-signed certificate of the node that cannot be an anchor (CA:FALSE,
 * or version 1 under --trust), that is a finding, not a chain left
 * unchecked. 1 said, 0 (unchecked), or CF_E_NOMEM. */
static int
check_no_anchor(struct ctx *x, const struct cf__file *file, const struct cf__facts *head)
{
	struct chain ch;
	const struct cf__facts *end;
	char text[640];
	int rc;

	if ((rc = build(x, file, NULL, head, &ch)) != 0)
		return rc;
	end = ch.c[ch.n - 1];
	if (ch.end != END_SELF || ch.n < 2 || is_root(x->s, end))
		return 0;
	snprintf(text, sizeof text, "the chain of %s ends at %s, which is self-signed but %s: it cannot be "
	    "an anchor, and the node carries no other", head->subject, end->subject, end->version == 1 ?
	    "a version 1 certificate while --trust names the anchors" : "no CA (basicConstraints "
	    "CA:FALSE or absent)");
	rc = say(x->s, CF__R_CHAIN_UNTRUSTED, file, NULL, text);
	return rc ? rc : 1;
}

static int
check_node(struct ctx *x, size_t node)
{
	struct cf_scan *s = x->s;
	uint32_t set = x->node_set[node];
	const struct cf__file *f;
	const struct cf__facts *head;
	size_t i, chains = 0;
	int rc;

	if ((rc = fill_pool(x, node)) != 0)
		return rc;
	for (i = s->file_off[node]; next_head(x, node, &i, &f, &head); ) {
		/* a self-signed leaf has no issuer to look for: without an
		 * anchor there is nothing to say of it */
		if (set == NONE && !cf__is_self_signed(head)) {
			if ((rc = check_no_anchor(x, f, head)) < 0)
				return rc;
			chains += rc == 0;
		}
		if (set != NONE && (rc = check_file(x, f, set)) != 0)
			return rc;
	}
	if (set == NONE && chains && x->unchecked++ < 3)
		x->unchecked_first[x->unchecked - 1] = (uint32_t)node;
	return 0;
}

/* The nodes of a set whose anchors reject a chain of the largest set (or,
 * when no set is the largest, of any other), and that were not told
 * already that their own chain is rejected: a tls-trust-split at the same
 * path (else at their first chain), naming the chain they reject. */
static int
say_minority_splits(struct ctx *x)
{
	const struct cf_scan *s = x->s;
	size_t node, i, total = 0;
	char text[768];
	int rc = 0;

	for (i = 0; i < x->n_sets; i++)
		total += x->sets[i].nodes;
	for (node = 0; node < s->n_nodes && rc == 0; node++) {
		const struct aset *a = x->node_set[node] == NONE ? NULL : &x->sets[x->node_set[node]];
		const struct cf__file *at = NULL;
		if (a == NULL || a->split_leaf == NULL || x->split_said[node])
			continue;
		for (i = s->file_off[node]; i < s->file_off[node + 1]; i++) {
			const struct cf__file *f = &s->files[s->file_order[i]];
			if (chain_head(s, f) && (at == NULL || f->path_ix == a->split_path))
				at = f;
		}
		if (at == NULL)
			continue;
		if (x->largest < x->n_sets)
			snprintf(text, sizeof text, "this node's anchors reject the chain of %s (to %s) that "
			    "the largest group of nodes carries (%zu of %zu nodes, at %s): internode TLS fails "
			    "between this node and them", a->split_leaf->subject, a->split_end->subject,
			    x->sets[x->largest].nodes, total, s->path_tab.v[a->split_path]);
		else
			snprintf(text, sizeof text, "this node's anchors reject the chain of %s (to %s) that "
			    "%zu of %zu nodes carry (at %s, no group of nodes is the largest): internode TLS "
			    "fails between this node and them", a->split_leaf->subject, a->split_end->subject,
			    x->sets[a->split_by].nodes, total, s->path_tab.v[a->split_path]);
		rc = say(x->s, CF__R_TRUST_SPLIT, at, NULL, text);
	}
	return rc;
}

/* One skip entry (at the first such node) for the nodes whose chains were
 * not checked: a fleet of 100,000 without a CA file is one line. */
static int
say_unchecked(struct ctx *x)
{
	char names[256];
	size_t i, o = 0;

	for (i = 0; i < x->unchecked && i < 3; i++)
		o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", i ? ", " : "",
		    x->s->nodes[x->unchecked_first[i]]);
	if (x->unchecked > 3)
		snprintf(names + o, sizeof names - o, " and %zu more", x->unchecked - 3);
	return cf__skip_add_at(x->s, (uint32_t)x->unchecked_first[0], "(chains)", "chains not checked on "
	    "%zu node%s (%s): %s no self-signed CA certificate, and neither --trust nor --system-trust "
	    "gave one", x->unchecked, x->unchecked == 1 ? "" : "s", names, x->unchecked == 1 ?
	    "it carries" : "they carry");
}

static void
free_rec(void *p)
{
	free(p);
}

int
cf__chains_run(struct cf_scan *s)
{
	struct ctx x = { .s = s };
	size_t node, i;
	int rc = 0, on = 0;

	for (i = 0; i < CF__R_COUNT; i++)         /* the rows this pass raises */
		on |= cf__rules[i].run == cf__chains_run && s->policy.severity[i] != CF_SEV_NEVER;
	if (!on)                          /* every chain rule turned off */
		return 0;
	/* libcrypto as it is built, whatever OPENSSL_CONF names: no
	 * configuration file read, no provider or engine module loaded */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1)
		return CF_E_NOMEM;

	x.cache = cf__dmap_new(free_rec);
	x.set_ids = cf__dmap_new(free_rec);
	x.node_set = malloc((s->n_nodes + 1) * sizeof *x.node_set);
	x.split_said = calloc(s->n_nodes + 1, 1);
	if (x.cache == NULL || x.set_ids == NULL || x.node_set == NULL || x.split_said == NULL)
		rc = CF_E_NOMEM;
	if (rc == 0)
		rc = find_sets(&x);
	if (rc == 0)
		rc = ahead(&x);
	for (node = 0; node < s->n_nodes && rc == 0; node++)
		rc = check_node(&x, node);
	if (rc == 0 && splits(&x))
		rc = say_minority_splits(&x);
	if (rc == 0 && x.unchecked)
		rc = say_unchecked(&x);
	for (i = 0; i < x.n_sets; i++)
		free(x.sets[i].v);
	tl_clear(&x.tc);
	free(x.sets);
	free(x.pool);
	free(x.node_set);
	free(x.split_said);
	if (x.cache)
		cf__dmap_free(x.cache);
	if (x.set_ids)
		cf__dmap_free(x.set_ids);
	return rc;
}
