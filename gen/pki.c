/*
 * pki.c - deterministic keys and certificates for certfleet-gen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/crypto.h>

#include "gen.h"

int
gbuf_add(struct gbuf *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *q;
		while (cap < b->n + n + 1)
			cap *= 2;
		if ((q = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = 0;
	return 0;
}

int
gbuf_str(struct gbuf *b, const char *s)
{
	return gbuf_add(b, s, strlen(s));
}

void
gbuf_free(struct gbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void
derive(const struct gen *g, const char *label, unsigned char out[32])
{
	struct gbuf b = { 0 };

	gbuf_str(&b, g->seed);
	gbuf_add(&b, "", 1);
	gbuf_str(&b, label);
	gnutls_hash_fast(GNUTLS_DIG_SHA256, b.p, b.n, out);
	gbuf_free(&b);
}

/* RFC 6979 A.2.5: a published P-256 test key, so no key material of ours is
 * secret and the generator needs no EC arithmetic. */
static const unsigned char p256_d[32] = { 0xC9, 0xAF, 0xA9, 0xD8, 0x45, 0xBA, 0x75, 0x16, 0x6B,
	0x5C, 0x21, 0x57, 0x67, 0xB1, 0xD6, 0x93, 0x4E, 0x50, 0xC3, 0xDB, 0x36, 0xE8, 0x9B, 0x12,
	0x7B, 0x8A, 0x62, 0x2B, 0x12, 0x0F, 0x67, 0x21 };
static const unsigned char p256_x[32] = { 0x60, 0xFE, 0xD4, 0xBA, 0x25, 0x5A, 0x9D, 0x31, 0xC9,
	0x61, 0xEB, 0x74, 0xC6, 0x35, 0x6D, 0x68, 0xC0, 0x49, 0xB8, 0x92, 0x3B, 0x61, 0xFA, 0x6C,
	0xE6, 0x69, 0x62, 0x2E, 0x60, 0xF2, 0x9F, 0xB6 };
static const unsigned char p256_y[32] = { 0x79, 0x03, 0xFE, 0x10, 0x08, 0xB8, 0xBC, 0x99, 0xA4,
	0x1A, 0xE9, 0xE9, 0x56, 0x28, 0xBC, 0x64, 0xF2, 0xF1, 0xB2, 0x0C, 0x2D, 0x7E, 0x9F, 0x51,
	0x77, 0xA3, 0xC2, 0x94, 0xD4, 0x46, 0x22, 0x99 };

static int
import_ed25519(const struct gen *g, const char *label, gnutls_privkey_t priv)
{
	/* RFC 8410 PKCS#8 OneAsymmetricKey around a 32-byte seed */
	unsigned char p8[48] = { 0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
		0x70, 0x04, 0x22, 0x04, 0x20 };
	gnutls_datum_t d = { p8, sizeof p8 };
	gnutls_x509_privkey_t x = NULL;
	int rc;

	derive(g, label, p8 + 16);
	if ((rc = gnutls_x509_privkey_init(&x)) < 0)
		return rc;
	rc = gnutls_x509_privkey_import_pkcs8(x, &d, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);
	if (rc >= 0)
		rc = gnutls_privkey_import_x509(priv, x, GNUTLS_PRIVKEY_IMPORT_COPY);
	gnutls_x509_privkey_deinit(x);
	return rc;
}

int
gkey_make(const struct gen *g, enum gkey_type type, const char *label, struct gkey *k)
{
	gnutls_datum_t dx = { (unsigned char *)p256_x, 32 }, dy = { (unsigned char *)p256_y, 32 };
	gnutls_datum_t dd = { (unsigned char *)p256_d, 32 };
	unsigned char seed[32];
	gnutls_keygen_data_st kd = { GNUTLS_KEYGEN_SEED, seed, 28 };
	int rc;

	memset(k, 0, sizeof *k);
	k->type = type;
	if ((rc = gnutls_privkey_init(&k->priv)) < 0 || (rc = gnutls_pubkey_init(&k->pub)) < 0)
		return rc;
	switch (type) {
	case GK_ED25519: rc = import_ed25519(g, label, k->priv); break;
	case GK_P256:
		rc = gnutls_privkey_import_ecc_raw(
		    k->priv, GNUTLS_ECC_CURVE_SECP256R1, &dx, &dy, &dd);
		break;
	case GK_RSA2048:
	case GK_RSA1024:
		/* FIPS 186-4 provable primes: the seed decides the key (28 bytes);
		 * without PROVABLE the seed would be ignored. */
		derive(g, label, seed);
		rc = gnutls_privkey_generate2(k->priv, GNUTLS_PK_RSA,
		    type == GK_RSA1024 ? 1024 : 2048, GNUTLS_PRIVKEY_FLAG_PROVABLE, &kd, 1);
		break;
	}
	if (rc >= 0)
		rc = gnutls_pubkey_import_privkey(k->pub, k->priv, 0, 0);
	return rc < 0 ? rc : 0;
}

void
gkey_free(struct gkey *k)
{
	gnutls_privkey_deinit(k->priv);
	gnutls_pubkey_deinit(k->pub);
	memset(k, 0, sizeof *k);
}

int
gkey_pem(const struct gkey *k, struct gbuf *out)
{
	gnutls_x509_privkey_t x = NULL;
	gnutls_datum_t d = { 0 };
	int rc;

	if ((rc = gnutls_privkey_export_x509(k->priv, &x)) < 0)
		return rc;
	rc = gnutls_x509_privkey_export2_pkcs8(x, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &d);
	if (rc >= 0 && gbuf_add(out, d.data, d.size) != 0)
		rc = GNUTLS_E_MEMORY_ERROR;
	gnutls_free(d.data);
	gnutls_x509_privkey_deinit(x);
	return rc < 0 ? rc : 0;
}

static int
sign_alg(const struct gkey *k, gnutls_digest_algorithm_t *dig, unsigned *flags)
{
	*flags = 0;
	*dig = GNUTLS_DIG_SHA256;
	if (k->type == GK_P256)
		*flags = GNUTLS_PRIVKEY_FLAG_REPRODUCIBLE; /* RFC 6979 */
	else if (k->type == GK_ED25519)
		*dig = GNUTLS_DIG_SHA512;
	return 0;
}

int
gcert_make(const struct gen *g, const struct gcert *sp, struct gbuf *out, gnutls_x509_crt_t *ret)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { 0 };
	gnutls_digest_algorithm_t dig;
	unsigned char serial[32];
	unsigned flags;
	int rc;

	derive(g, sp->serial_label, serial);
	serial[0] &= 0x7f; /* positive */
	serial[0] |= 0x40; /* minimal and never zero */
	if ((rc = gnutls_x509_crt_init(&crt)) < 0)
		return rc;
	if ((rc = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (rc = gnutls_x509_crt_set_serial(crt, serial, 16)) < 0 ||
	    (rc = gnutls_x509_crt_set_dn_by_oid(
	         crt, GNUTLS_OID_X520_COMMON_NAME, 0, sp->cn, (unsigned)strlen(sp->cn))) < 0 ||
	    (rc = gnutls_x509_crt_set_dn_by_oid(
	         crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "certfleet-gen", 13)) < 0 ||
	    (rc = gnutls_x509_crt_set_activation_time(crt, (time_t)sp->not_before)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(crt, (time_t)sp->not_after)) < 0 ||
	    (rc = gnutls_x509_crt_set_pubkey(crt, sp->key->pub)) < 0 ||
	    (rc = gnutls_x509_crt_set_basic_constraints(crt, sp->is_ca, -1)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_usage(crt,
	         sp->is_ca ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
	                   : GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0)
		goto out;
	if (sp->dns &&
	    (rc = gnutls_x509_crt_set_subject_alt_name(
	         crt, GNUTLS_SAN_DNSNAME, sp->dns, (unsigned)strlen(sp->dns), GNUTLS_FSAN_SET)) < 0)
		goto out;
	if (!sp->is_ca && !(sp->eku && !*sp->eku) &&
	    (rc = gnutls_x509_crt_set_key_purpose_oid(
	         crt, sp->eku ? sp->eku : GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0)
		goto out;
	if (sp->critical_oid &&
	    (rc = gnutls_x509_crt_set_extension_by_oid(crt, sp->critical_oid, "\x05\x00", 2, 1)) <
	        0)
		goto out;
	sign_alg(sp->issuer ? sp->issuer_key : sp->key, &dig, &flags);
	if (sp->digest)
		dig = sp->digest;
	if ((rc = gnutls_x509_crt_privkey_sign(crt, sp->issuer ? sp->issuer : crt,
	         sp->issuer ? sp->issuer_key->priv : sp->key->priv, dig, flags)) < 0)
		goto out;
	if ((rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d)) < 0)
		goto out;
	if (gbuf_add(out, d.data, d.size) != 0)
		rc = GNUTLS_E_MEMORY_ERROR;
out:
	gnutls_free(d.data);
	if (rc >= 0 && ret)
		*ret = crt;
	else
		gnutls_x509_crt_deinit(crt);
	return rc < 0 ? rc : 0;
}

int
pem_wrap(const unsigned char *der, size_t len, const char *label, size_t width, const char *eol,
    struct gbuf *out)
{
	gnutls_datum_t in = { (unsigned char *)der, (unsigned)len }, b64 = { 0 };
	size_t i;
	int rc;

	if ((rc = gnutls_base64_encode2(&in, &b64)) < 0)
		return rc;
	gbuf_str(out, "-----BEGIN ");
	gbuf_str(out, label);
	gbuf_str(out, "-----");
	gbuf_str(out, eol);
	for (i = 0; i < b64.size; i += width) {
		gbuf_add(out, b64.data + i, b64.size - i < width ? b64.size - i : width);
		gbuf_str(out, eol);
	}
	gbuf_str(out, "-----END ");
	gbuf_str(out, label);
	gbuf_str(out, "-----");
	rc = gbuf_str(out, eol);
	gnutls_free(b64.data);
	return rc;
}

/* ---- DER surgery ------------------------------------------------------------- */

/* Header length and content length of the TLV at P (minimal DER assumed). */
size_t
der_hdr(const unsigned char *p, size_t *content)
{
	size_t n, i;

	if (p[1] < 0x80) {
		*content = p[1];
		return 2;
	}
	n = p[1] & 0x7f;
	*content = 0;
	for (i = 0; i < n; i++)
		*content = *content << 8 | p[2 + i];
	return 2 + n;
}

void
der_put(struct gbuf *out, unsigned char tag, const unsigned char *p, size_t n)
{
	unsigned char h[6] = { tag };
	size_t hl;

	if (n < 0x80) {
		h[1] = (unsigned char)n;
		hl = 2;
	} else if (n < 0x100) {
		h[1] = 0x81;
		h[2] = (unsigned char)n;
		hl = 3;
	} else {
		h[1] = 0x82;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		hl = 4;
	}
	gbuf_add(out, h, hl);
	gbuf_add(out, p, n);
}

int
resign_ed25519(
    const struct gkey *key, struct gbuf *der, int (*edit)(struct gbuf *tbs, void *arg), void *arg)
{
	static const unsigned char alg[] = { 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70 };
	struct gbuf tbs = { 0 }, body = { 0 }, out = { 0 };
	gnutls_datum_t td, sig = { 0 };
	size_t clen, h = der_hdr(der->p, &clen), tl, th = der_hdr(der->p + h, &tl);
	unsigned char zero = 0;
	int rc = -1;

	gbuf_add(&tbs, der->p + h, th + tl);
	if (edit(&tbs, arg) != 0)
		goto out;
	td.data = tbs.p;
	td.size = (unsigned)tbs.n;
	if (gnutls_privkey_sign_data2(key->priv, GNUTLS_SIGN_EDDSA_ED25519, 0, &td, &sig) < 0)
		goto out;
	gbuf_add(&body, tbs.p, tbs.n);
	gbuf_add(&body, alg, sizeof alg);
	{
		struct gbuf bits = { 0 };
		gbuf_add(&bits, &zero, 1);
		gbuf_add(&bits, sig.data, sig.size);
		der_put(&body, 0x03, bits.p, bits.n);
		gbuf_free(&bits);
	}
	der_put(&out, 0x30, body.p, body.n);
	gbuf_free(der);
	*der = out;
	out.p = NULL;
	rc = 0;
out:
	gnutls_free(sig.data);
	gbuf_free(&tbs);
	gbuf_free(&body);
	gbuf_free(&out);
	return rc;
}

int
mkdirs(const char *path)
{
	char *p = strdup(path), *q;
	int rc = 0;

	if (p == NULL)
		return -1;
	for (q = p + 1; *q && rc == 0; q++)
		if (*q == '/') {
			*q = 0;
			if (mkdir(p, 0755) != 0 && errno != EEXIST)
				rc = -1;
			*q = '/';
		}
	free(p);
	return rc;
}

int
write_file(const char *path, const void *p, size_t n)
{
	FILE *f;
	int rc = 0;

	if (mkdirs(path) != 0 || (f = fopen(path, "wb")) == NULL)
		return -1;
	if (n && fwrite(p, 1, n, f) != n)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* ---- containers: PKCS#12 and Java keystores ------------------------------------- */

/* A Java keystore (JKS, version 2) of trusted certificate entries, its
 * digest made with the password "changeit" (as keytool does: SHA-1 over
 * the password in UTF-16BE, "Mighty Aphrodite" and the entries). */
int
jks_der(const char *const *alias, const struct gbuf *const *certs, size_t count, int64_t now,
    struct gbuf *out)
{
	unsigned char be[4], digest[20];
	gnutls_hash_hd_t h;
	const char *pw = "changeit";
	size_t i, n;

#define U32(v) \
	(be[0] = (unsigned char)((v) >> 24), be[1] = (unsigned char)((v) >> 16), \
	    be[2] = (unsigned char)((v) >> 8), be[3] = (unsigned char)(v), gbuf_add(out, be, 4))
	gbuf_add(out, "\xfe\xed\xfe\xed", 4);
	U32(2);
	U32((uint32_t)count);
	for (i = 0; i < count; i++) {
		U32(2); /* a trusted certificate */
		n = strlen(alias[i]);
		be[0] = (unsigned char)(n >> 8), be[1] = (unsigned char)n;
		gbuf_add(out, be, 2);
		gbuf_add(out, alias[i], n);
		/* the timestamp: 64-bit milliseconds, --now's */
		U32((uint32_t)(((unsigned long long)now * 1000) >> 32));
		U32((uint32_t)((unsigned long long)now * 1000));
		gbuf_add(out, "\x00\x05X.509", 7);
		U32((uint32_t)certs[i]->n);
		gbuf_add(out, certs[i]->p, certs[i]->n);
	}
#undef U32
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA1) < 0)
		return -1;
	for (i = 0; pw[i]; i++) {
		be[0] = 0;
		be[1] = (unsigned char)pw[i];
		gnutls_hash(h, be, 2);
	}
	gnutls_hash(h, "Mighty Aphrodite", 16);
	gnutls_hash(h, out->p, out->n);
	gnutls_hash_deinit(h, digest);
	return gbuf_add(out, digest, sizeof digest);
}

/* A PKCS#12 file without MacData and without encryption (openssl -nomac
 * -keypbe NONE -certpbe NONE): CERT (its bytes as they are) and KEY (or
 * none), written here in DER (GnuTLS salts what it writes at random). */
int
pkcs12_der(const struct gbuf *cert, const struct gkey *key, struct gbuf *out)
{
	static const unsigned char data_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x07, 0x01 };
	static const unsigned char key_bag[] = { 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x0c, 0x0a, 0x01, 0x01 };
	static const unsigned char cert_bag[] = { 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x0c, 0x0a, 0x01, 0x03 };
	static const unsigned char x509_oid[] = { 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x09, 0x16, 0x01 };
	struct gbuf t1 = { 0 }, t2 = { 0 }, bags = { 0 }, x = { 0 };
	gnutls_x509_privkey_t xk;
	gnutls_datum_t kd = { 0 };
	int rc;

	if (key && (rc = gnutls_privkey_export_x509(key->priv, &xk)) < 0)
		return rc;
	if (key) {
		rc = gnutls_x509_privkey_export2_pkcs8(
		    xk, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, &kd);
		gnutls_x509_privkey_deinit(xk);
		if (rc < 0)
			return rc;
	}
	/* CertBag { x509Certificate, [0] OCTET STRING leaf } in a SafeBag */
	der_put(&t1, 0x04, cert->p, cert->n);
	gbuf_add(&t2, x509_oid, sizeof x509_oid);
	der_put(&t2, 0xa0, t1.p, t1.n);
	gbuf_free(&t1);
	der_put(&t1, 0x30, t2.p, t2.n);
	gbuf_free(&t2);
	gbuf_add(&t2, cert_bag, sizeof cert_bag);
	der_put(&t2, 0xa0, t1.p, t1.n);
	der_put(&bags, 0x30, t2.p, t2.n);
	gbuf_free(&t1);
	gbuf_free(&t2);
	/* KeyBag { PrivateKeyInfo } */
	if (key) {
		gbuf_add(&t2, key_bag, sizeof key_bag);
		der_put(&t2, 0xa0, kd.data, kd.size);
		der_put(&bags, 0x30, t2.p, t2.n);
		gbuf_free(&t2);
		gnutls_memset(kd.data, 0, kd.size);
		gnutls_free(kd.data);
	}
	/* SafeContents in a ContentInfo (data), in the AuthenticatedSafe */
	der_put(&t1, 0x30, bags.p, bags.n); /* SafeContents */
	der_put(&t2, 0x04, t1.p, t1.n);
	gbuf_free(&t1);
	gbuf_add(&t1, data_oid, sizeof data_oid);
	der_put(&t1, 0xa0, t2.p, t2.n);
	gbuf_free(&t2);
	der_put(&t2, 0x30, t1.p, t1.n); /* ContentInfo */
	gbuf_free(&t1);
	der_put(&t1, 0x30, t2.p, t2.n); /* AuthenticatedSafe */
	gbuf_free(&t2);
	der_put(&t2, 0x04, t1.p, t1.n);
	gbuf_free(&t1);
	gbuf_add(&t1, data_oid, sizeof data_oid);
	der_put(&t1, 0xa0, t2.p, t2.n);
	gbuf_free(&t2);
	gbuf_add(&x, "\x02\x01\x03", 3); /* version 3 */
	der_put(&x, 0x30, t1.p, t1.n);   /* authSafe */
	der_put(out, 0x30, x.p, x.n);
	gbuf_free(&t1);
	gbuf_free(&x);
	gbuf_free(&bags);
	return 0;
}
