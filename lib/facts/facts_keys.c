/*
 * facts_keys.c - what a private key says: its algorithm and size, its
 * public half (for pairing with a certificate), parsed once per distinct
 * DER; EC keys GnuTLS cannot import are read by hand with nettle.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>

#include "facts/record.h"

/* "RSA 2048", "EC P-256", "EC secp256k1", "RSA-PSS 2048", "Ed25519", or
 * "EC 1.2.3..." / "OID 1.2.3..." where no name is known: algorithm PK of
 * BITS bits, CURVE for EC keys (HAVE_CURVE 0 when GnuTLS could not read
 * it); SPKI (the DER SubjectPublicKeyInfo, or NULL) names what GnuTLS
 * does not know. */
static void
key_text(struct text *t, int pk, unsigned bits, int have_curve, gnutls_ecc_curve_t curve,
    const unsigned char *spki, size_t spki_len)
{
	static const unsigned char ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
	const unsigned char *alg = NULL, *param = NULL;
	size_t alglen = 0, paramlen = 0;
	char buf[96], dotted[64];
	const char *name;

	if (spki && cf__der_spki_alg(spki, spki_len, &alg, &alglen, &param, &paramlen) != 0)
		alg = param = NULL;
	if (pk == GNUTLS_PK_ECDSA && have_curve) {
		name = curve == GNUTLS_ECC_CURVE_SECP192R1 ? "P-192"
		    : curve == GNUTLS_ECC_CURVE_SECP224R1  ? "P-224"
		    : curve == GNUTLS_ECC_CURVE_SECP256R1  ? "P-256"
		    : curve == GNUTLS_ECC_CURVE_SECP384R1  ? "P-384"
		    : curve == GNUTLS_ECC_CURVE_SECP521R1  ? "P-521"
		                                           : gnutls_ecc_curve_get_name(curve);
		snprintf(buf, sizeof buf, "EC %s", name ? name : "?");
	} else if (pk == GNUTLS_PK_ECDSA ||
	    (alg && alglen == sizeof ec_public_key &&
	        memcmp(alg, ec_public_key, alglen) == 0)) { /* a curve GnuTLS lacks: from the DER */
		name = param ? cf__curve_name(param, paramlen) : NULL;
		snprintf(buf, sizeof buf, "EC %s",
		    name        ? name
		        : param ? cf__oid_text(param, paramlen, dotted, sizeof dotted)
		                : "(unknown curve)");
	} else if (pk == GNUTLS_PK_EDDSA_ED25519 || pk == GNUTLS_PK_EDDSA_ED448) {
		snprintf(
		    buf, sizeof buf, "%s", pk == GNUTLS_PK_EDDSA_ED25519 ? "Ed25519" : "Ed448");
	} else if (pk <= 0 || gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)pk) == NULL) {
		snprintf(buf, sizeof buf, "OID %s",
		    alg ? cf__oid_text(alg, alglen, dotted, sizeof dotted) : "unknown");
	} else {
		snprintf(buf, sizeof buf, "%s %u",
		    gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)pk), bits);
	}
	cf__text_put(t, T_KEY, buf, strlen(buf));
}

void
cf__key_desc(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const unsigned char *der,
    size_t len)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	int have =
	    pk == GNUTLS_PK_ECDSA && gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL) >= 0;
	size_t off, n;

	f->pk = pk < 0 ? -1 : pk;
	f->bits = bits;
	f->curve = have ? (int)curve : 0;
	if (cf__der_spki(der, len, &off, &n) == 0)
		key_text(t, pk, bits, have, curve, der + off, n);
	else
		key_text(t, pk, bits, have, curve, NULL, 0);
}

/* Is the private key consistent: does a signature made with its private
 * part verify with the public key it carries (RSA n = p*q with the CRT
 * values, an EC point that is d*G)? GnuTLS's own parameter check misses an
 * RSA key whose p was altered, so the test is a real signature. */
static int
key_consistent(gnutls_privkey_t priv, gnutls_pubkey_t pub, int pk)
{
	static const unsigned char text[] = "certfleet: is this key whole?";
	gnutls_datum_t msg = { (unsigned char *)text, sizeof text - 1 }, sig = { 0 };
	gnutls_sign_algorithm_t algo =
	    gnutls_pk_to_sign((gnutls_pk_algorithm_t)pk, GNUTLS_DIG_SHA256);
	int ok;

	if (algo == GNUTLS_SIGN_UNKNOWN)
		return 1; /* no way to tell: not called inconsistent */
	ok = gnutls_privkey_sign_data2(priv, algo, 0, &msg, &sig) >= 0 &&
	    gnutls_pubkey_verify_data2(pub, algo, 0, &msg, &sig) >= 0;
	gnutls_free(sig.data);
	return ok;
}

/* The public key (0x00 unused-bits byte, 0x04, X, Y: a BIT STRING's
 * contents) of scalar D on the NIST curve named NAME, computed with nettle
 * (the library GnuTLS uses): 0, or -1 for another curve or a scalar out of
 * range. */
static int
ec_public_of(const char *name, const unsigned char *d, size_t dlen, struct cf__buf *out)
{
	const struct ecc_curve *curve = name == NULL ? NULL
	    : strcmp(name, "P-192") == 0             ? nettle_get_secp_192r1()
	    : strcmp(name, "P-224") == 0             ? nettle_get_secp_224r1()
	    : strcmp(name, "P-256") == 0             ? nettle_get_secp_256r1()
	    : strcmp(name, "P-384") == 0             ? nettle_get_secp_384r1()
	    : strcmp(name, "P-521") == 0             ? nettle_get_secp_521r1()
	                                             : NULL;
	struct ecc_scalar s;
	struct ecc_point pt;
	mpz_t z, x, y;
	size_t size, nx, ny;
	unsigned char *b;
	int rc = -1;

	if (curve == NULL)
		return -1;
	size = (ecc_bit_size(curve) + 7) / 8;
	mpz_inits(z, x, y, NULL);
	mpz_import(z, dlen, 1, 1, 1, 0, d);
	ecc_scalar_init(&s, curve);
	ecc_point_init(&pt, curve);
	if (ecc_scalar_set(&s, z) && (b = calloc(1, 2 + 2 * size)) != NULL) {
		ecc_point_mul_g(&pt, &s);
		ecc_point_get(&pt, x, y);
		b[1] = 0x04;
		nx = (mpz_sizeinbase(x, 2) + 7) / 8;
		ny = (mpz_sizeinbase(y, 2) + 7) / 8;
		if (nx <= size && ny <= size) {
			mpz_export(b + 2 + size - nx, NULL, 1, 1, 1, 0, x);
			mpz_export(b + 2 + 2 * size - ny, NULL, 1, 1, 1, 0, y);
			rc = cf__buf_add(out, b, 2 + 2 * size) ? -1 : 0;
		}
		explicit_bzero(b, 2 + 2 * size);
		free(b);
	}
	ecc_point_clear(&pt);
	ecc_scalar_clear(&s);
	mpz_clear(z); /* the scalar: gone with the key's bytes */
	mpz_clears(x, y, NULL);
	return rc;
}

/* An EC key GnuTLS cannot load (a curve it lacks: brainpool, secp256k1;
 * no public key in it): named from its DER, paired by the public key it
 * carries. Returns 1 when KEY's DER is such an EC key (F filled), else 0. */
static int
ec_key_by_hand(struct cf__facts *f, struct text *t, const unsigned char *der, size_t len)
{
	const unsigned char *oid, *pub, *d;
	size_t oidlen, publen, dlen;
	char name[160], dotted[64];
	struct cf__buf spki = { 0 }, derived = { 0 };
	int made = 0;

	if (cf__der_ec_private_key(der, len, &oid, &oidlen, &pub, &publen, &d, &dlen) != 0)
		return 0;
	/* no public key in it (PKCS#8 and SEC 1 make it optional): derived
	 * from the scalar where the curve is one nettle has */
	if (pub == NULL && ec_public_of(cf__curve_name(oid, oidlen), d, dlen, &derived) == 0) {
		pub = derived.data;
		publen = derived.len;
		made = 1;
	}
	snprintf(name, sizeof name, "EC %s",
	    cf__curve_name(oid, oidlen) ? cf__curve_name(oid, oidlen)
	                                : cf__oid_text(oid, oidlen, dotted, sizeof dotted));
	f->pk = GNUTLS_PK_ECDSA;
	if (pub && cf__der_ec_spki(oid, oidlen, pub, publen, &spki) == 0 &&
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.len, f->spki) >= 0) {
		f->spki_len = 32;
		snprintf(name + strlen(name), sizeof name - strlen(name),
		    made ? " (no public key in the "
		           "file: derived from the private key and paired; GnuTLS cannot load it)"
		         : " (GnuTLS "
		           "cannot load it: paired by its public key, not checked)");
	} else {
		snprintf(name + strlen(name), sizeof name - strlen(name),
		    pub ? " (GnuTLS cannot load it: "
		          "not checked)"
		        : " (no public key in the file and GnuTLS cannot load it: not paired)");
	}
	cf__buf_free(&spki);
	if (derived.data)
		explicit_bzero(derived.data, derived.len);
	cf__buf_free(&derived);
	cf__text_put(t, T_KEY, name, strlen(name));
	return 1;
}

static struct cf__facts *
parse_key(const unsigned char *der, size_t len, const unsigned char *sha, const char *label)
{
	struct cf__facts k = { 0 }, *f = &k;
	struct text t = { 0 };
	gnutls_x509_privkey_t key = NULL;
	gnutls_privkey_t priv = NULL;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len }, spki = { 0 };
	char msg[256];
	int rc;

	memcpy(f->sha256, sha, 32);
	cf__hex(f->sha256_hex, sha, 32);
	if ((rc = gnutls_x509_privkey_init(&key)) >= 0) {
		if (strcmp(label, "PRIVATE KEY") == 0)
			rc = gnutls_x509_privkey_import_pkcs8(
			    key, &d, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);
		else if (*label)
			rc = gnutls_x509_privkey_import(key, &d, GNUTLS_X509_FMT_DER);
		else
			rc = gnutls_x509_privkey_import2(
			    key, &d, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN);
	}
	/* the public key as a SubjectPublicKeyInfo, hashed like a certificate's */
	if (rc >= 0 && (rc = gnutls_privkey_init(&priv)) >= 0 &&
	    (rc = gnutls_privkey_import_x509(priv, key, 0)) >= 0 &&
	    (rc = gnutls_pubkey_init(&pub)) >= 0 &&
	    (rc = gnutls_pubkey_import_privkey(pub, priv, 0, 0)) >= 0 &&
	    (rc = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki)) >= 0 &&
	    (rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.size, f->spki)) >= 0) {
		unsigned bits = 0;
		int pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		int have = pk == GNUTLS_PK_ECDSA &&
		    gnutls_pubkey_export_ecc_raw(pub, &curve, NULL, NULL) >= 0;

		f->spki_len = 32;
		f->pk = pk < 0 ? -1 : pk;
		f->bits = bits;
		f->curve = have ? (int)curve : 0;
		f->key_bad = !key_consistent(priv, pub, pk);
		key_text(
		    &t, pk, bits, have, curve, spki.data, spki.size); /* as a certificate's key */
	}
	gnutls_free(spki.data);
	gnutls_pubkey_deinit(pub);
	gnutls_privkey_deinit(priv);     /* imported without AUTO_RELEASE: */
	gnutls_x509_privkey_deinit(key); /* KEY is still ours */
	if (rc < 0 && !ec_key_by_hand(f, &t, der, len)) {
		f->spki_len = 0;
		snprintf(
		    msg, sizeof msg, "GnuTLS cannot read the private key: %s", gnutls_strerror(rc));
		cf__text_put(&t, T_ERROR, msg, strlen(msg));
	}
	return cf__text_pack(f, &t);
}

const struct cf__facts *
cf__key_get(struct cf__facts_cache *c, const char *label, const unsigned char *der, size_t len)
{
	return cf__facts_cache_get(
	    c, der, len, strcmp(label, "PRIVATE KEY") == 0 ? 1 : 2, label, parse_key);
}
