/*
 * facts.c - what a certificate says, through GnuTLS, parsed once per
 * distinct DER: a fleet carries the same certificate on many nodes, so the
 * cache is keyed by the DER's SHA-256.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>

#include "facts/facts.h"

/* The strings of a record being made, one after another in one buffer
 * (NUL-terminated, by offset), then packed with the record into a single
 * allocation: a scan keeps a record per distinct certificate, and nine
 * separate strings each cost a malloc, a free and heap fragmentation. */
enum { T_ERROR, T_SUBJECT, T_ISSUER, T_ISSUER_CN, T_SERIAL, T_SANS, T_KEY, T_SIGNATURE, T_EKU,
	T_N };

static const size_t field_at[T_N] = {
	offsetof(struct cf__facts, error), offsetof(struct cf__facts, subject),
	offsetof(struct cf__facts, issuer), offsetof(struct cf__facts, issuer_cn),
	offsetof(struct cf__facts, serial), offsetof(struct cf__facts, sans),
	offsetof(struct cf__facts, key), offsetof(struct cf__facts, signature),
	offsetof(struct cf__facts, eku),
};

struct text {
	struct cf__buf b;
	size_t at[T_N];
	unsigned set;             /* bit per string present */
	int nomem;
};

static void
text_begin(struct text *t, int which)
{
	t->at[which] = t->b.len;
	t->set |= 1u << which;
}

static void
text_add(struct text *t, const void *p, size_t n)
{
	t->nomem |= cf__buf_add(&t->b, p, n);
}

static void
text_add_clean(struct text *t, const void *p, size_t n)
{
	t->nomem |= cf__sanitize_add(&t->b, p, n, 0);
}

static void
text_end(struct text *t)
{
	t->nomem |= cf__buf_add(&t->b, "", 1);    /* the NUL, kept */
}

/* String WHICH: P[0..N), sanitized. */
static void
text_put(struct text *t, int which, const void *p, size_t n)
{
	text_begin(t, which);
	text_add_clean(t, p, n);
	text_end(t);
}

/* The record: F's values and T's strings in one block (T is freed). */
static struct cf__facts *
text_pack(const struct cf__facts *f, struct text *t)
{
	struct cf__facts *out = t->nomem ? NULL : malloc(sizeof *out + t->b.len);
	char *base;
	int i;

	if (out) {
		*out = *f;
		base = (char *)(out + 1);
		if (t->b.len)                     /* a key record may have no string */
			memcpy(base, t->b.data, t->b.len);
		for (i = 0; i < T_N; i++)
			*(char **)((char *)out + field_at[i]) = t->set & 1u << i ? base + t->at[i] : NULL;
	}
	cf__buf_free(&t->b);
	return out;
}

/* "RSA 2048", "EC P-256", "Ed25519": algorithm PK of BITS bits, CURVE for
 * EC keys (HAVE_CURVE 0 when it could not be read). */
static void
key_text(struct text *t, int pk, unsigned bits, int have_curve, gnutls_ecc_curve_t curve)
{
	char buf[64];

	if (pk == GNUTLS_PK_ECDSA && have_curve) {
		const char *name = curve == GNUTLS_ECC_CURVE_SECP256R1 ? "P-256" :
		    curve == GNUTLS_ECC_CURVE_SECP384R1 ? "P-384" :
		    curve == GNUTLS_ECC_CURVE_SECP521R1 ? "P-521" : gnutls_ecc_curve_get_name(curve);
		snprintf(buf, sizeof buf, "EC %s", name ? name : "?");
	} else if (pk == GNUTLS_PK_EDDSA_ED25519 || pk == GNUTLS_PK_EDDSA_ED448) {
		snprintf(buf, sizeof buf, "%s", pk == GNUTLS_PK_EDDSA_ED25519 ? "Ed25519" : "Ed448");
	} else if (pk < 0) {
		snprintf(buf, sizeof buf, "unknown");
	} else {
		const char *n = gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)pk);
		snprintf(buf, sizeof buf, "%s %u", n ? n : "?", bits);
	}
	text_put(t, T_KEY, buf, strlen(buf));
}

static void
key_desc(struct text *t, gnutls_x509_crt_t crt)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	int have = pk == GNUTLS_PK_ECDSA && gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL) >= 0;

	key_text(t, pk, bits, have, curve);
}

/* The SANs, as "DNS:a, IP:192.0.2.7, IP:2001:db8::1", read from the names
 * GnuTLS already decoded while importing the certificate (decoding the
 * extension again cost a fifth of the parse). */
static void
sans_of(struct text *t, gnutls_x509_crt_t crt, const char **bad)
{
	char small[512], *san = small, *big = NULL, ip[INET6_ADDRSTRLEN];
	size_t cap = sizeof small, size;
	unsigned i, type;
	int rc;

	text_begin(t, T_SANS);
	for (i = 0;; i++) {
		size = cap;
		rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, san, &size, &type, NULL);
		if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) {         /* a name over 512 bytes */
			free(big);
			if ((san = big = malloc(cap = size + 1)) == NULL) {
				t->nomem = 1;
				break;
			}
			size = cap;
			rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, san, &size, &type, NULL);
		}
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0) {
			*bad = "malformed subjectAltName extension";
			break;
		}
		if (i)
			text_add(t, ", ", 2);
		switch (type) {
		case GNUTLS_SAN_DNSNAME: text_add(t, "DNS:", 4); break;
		case GNUTLS_SAN_URI: text_add(t, "URI:", 4); break;
		case GNUTLS_SAN_IPADDRESS: text_add(t, "IP:", 3); break;
		case GNUTLS_SAN_RFC822NAME: text_add(t, "email:", 6); break;
		default: text_add(t, "other:", 6); break;
		}
		if (type != GNUTLS_SAN_IPADDRESS)
			text_add_clean(t, san, size);
		else if ((size == 4 || size == 16) &&
		    inet_ntop(size == 4 ? AF_INET : AF_INET6, san, ip, sizeof ip))
			text_add(t, ip, strlen(ip));
		else
			text_add(t, "?", 1);
	}
	free(big);
	text_end(t);
}

static void
eku_of(struct text *t, gnutls_x509_crt_t crt, const char **bad)
{
	gnutls_x509_key_purposes_t p = NULL;
	gnutls_datum_t ext = {0}, oid;
	unsigned i;

	text_begin(t, T_EKU);
	if (gnutls_x509_crt_get_extension_by_oid2(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, 0, &ext,
	    NULL) >= 0 && (gnutls_x509_key_purpose_init(&p) < 0 ||
	    gnutls_x509_ext_import_key_purposes(&ext, p, 0) < 0)) {
		*bad = "malformed extendedKeyUsage extension";
	} else if (p) {
		for (i = 0; gnutls_x509_key_purpose_get(p, i, &oid) >= 0; i++) {
			const char *name = strcmp((char *)oid.data, GNUTLS_KP_TLS_WWW_SERVER) == 0 ?
			    "serverAuth" : strcmp((char *)oid.data, GNUTLS_KP_TLS_WWW_CLIENT) == 0 ?
			    "clientAuth" : (char *)oid.data;
			if (i)
				text_add(t, ", ", 2);
			text_add_clean(t, name, strlen(name));
		}
	}
	if (p)
		gnutls_x509_key_purpose_deinit(p);
	gnutls_free(ext.data);
	text_end(t);
}

/* A datum's text as string WHICH, sanitized; the datum is freed. */
static void
datum_put(struct text *t, int which, gnutls_datum_t *d)
{
	text_put(t, which, d->data, d->size);
	gnutls_free(d->data);
	d->data = NULL;
}

/* Fill F and T from a DER certificate that GnuTLS accepted; *BAD names an
 * extension that does not decode. */
static void
facts_fill(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const char **bad)
{
	gnutls_datum_t d = {0};
	unsigned char serial[64];
	char cn[512], hex[sizeof serial * 2 + 1];
	const char *sig;
	size_t size;
	unsigned crit = 0;

	/* a parsed certificate has a subject and an issuer, empty if need be
	 * (reports tell a parsed record from a refused one by its subject) */
	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		datum_put(t, T_SUBJECT, &d);
	else
		text_put(t, T_SUBJECT, "", 0);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		datum_put(t, T_ISSUER, &d);
	else
		text_put(t, T_ISSUER, "", 0);
	size = sizeof cn;
	if (gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &size) >= 0)
		text_put(t, T_ISSUER_CN, cn, size);
	size = sizeof serial;
	if (gnutls_x509_crt_get_serial(crt, serial, &size) >= 0) {
		cf__hex(hex, serial, size);
		text_put(t, T_SERIAL, hex, size * 2);
	}
	f->version = gnutls_x509_crt_get_version(crt);
	f->is_ca = gnutls_x509_crt_get_basic_constraints(crt, &crit, NULL, NULL) > 0;
	key_desc(t, crt);
	sig = gnutls_sign_get_name((gnutls_sign_algorithm_t)gnutls_x509_crt_get_signature_algorithm(crt));
	text_put(t, T_SIGNATURE, sig ? sig : "unknown", strlen(sig ? sig : "unknown"));
	*bad = NULL;
	sans_of(t, crt, bad);
	eku_of(t, crt, bad);
}

static struct cf__facts *
facts_parse(const unsigned char *der, size_t len, const unsigned char *sha)
{
	struct cf__facts f = {0};
	struct text t = {0};
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char msg[256];
	const char *bad;
	size_t off, n;
	int rc;

	memcpy(f.sha256, sha, 32);
	cf__hex(f.sha256_hex, sha, 32);
	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	if ((rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
		snprintf(msg, sizeof msg, "GnuTLS cannot parse the certificate: %s", gnutls_strerror(rc));
		text_put(&t, T_ERROR, msg, strlen(msg));
	} else {
		struct cf__der_tbs tbs;

		/* the validity read from the DER, exact for years 0001-9999
		 * (GnuTLS's time_t API clamps what lies before 1970) */
		f.not_before = f.not_after = -1;
		if (cf__der_tbs(der, len, &tbs) == 0) {
			f.not_before = tbs.not_before;
			f.not_after = tbs.not_after;
		}
		facts_fill(&f, &t, crt, &bad);
		if (bad)          /* an extension GnuTLS decodes only when asked does not decode */
			text_put(&t, T_ERROR, bad, strlen(bad));
		else if (cf__der_spki(der, len, &off, &n) == 0 &&
		    gnutls_hash_fast(GNUTLS_DIG_SHA256, der + off, n, f.spki) >= 0)
			f.spki_len = 32;
	}
	gnutls_x509_crt_deinit(crt);
	return text_pack(&f, &t);
}

/* Find or parse the record of DER as KIND (PARSE makes it). Parsing
 * happens outside the map's lock; when two threads parse the same DER at
 * once, the first put wins. */
static const struct cf__facts *
cache_get(struct cf__facts_cache *c, const unsigned char *der, size_t len, int kind,
    const char *label, struct cf__facts *(*parse)(const unsigned char *, size_t,
    const unsigned char *, const char *))
{
	unsigned char sha[32];
	struct cf__facts *f, *in;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, der, len, sha) < 0)
		return NULL;
	if ((f = cf__dmap_get(c->map, sha, kind)) != NULL)
		return f;
	if ((f = parse(der, len, sha, label)) == NULL)
		return NULL;
	f->kind = (uint8_t)kind;
	if ((in = cf__dmap_put(c->map, sha, kind, f)) == f && kind == 0 && f->error == NULL)
		__atomic_fetch_add(&c->certs, 1, __ATOMIC_RELAXED);
	return in;
}

static struct cf__facts *
parse_cert(const unsigned char *der, size_t len, const unsigned char *sha, const char *label)
{
	(void)label;
	return facts_parse(der, len, sha);
}

const struct cf__facts *
cf__facts_get(struct cf__facts_cache *c, const unsigned char *der, size_t len)
{
	return cache_get(c, der, len, 0, NULL, parse_cert);
}

static struct cf__facts *
parse_key(const unsigned char *der, size_t len, const unsigned char *sha, const char *label)
{
	struct cf__facts k = {0}, *f = &k;
	struct text t = {0};
	gnutls_x509_privkey_t key = NULL;
	gnutls_privkey_t priv = NULL;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len }, spki = {0};
	char msg[256];
	int rc;

	memcpy(f->sha256, sha, 32);
	cf__hex(f->sha256_hex, sha, 32);
	if ((rc = gnutls_x509_privkey_init(&key)) >= 0) {
		if (strcmp(label, "PRIVATE KEY") == 0)
			rc = gnutls_x509_privkey_import_pkcs8(key, &d, GNUTLS_X509_FMT_DER, NULL,
			    GNUTLS_PKCS_PLAIN);
		else if (*label)
			rc = gnutls_x509_privkey_import(key, &d, GNUTLS_X509_FMT_DER);
		else
			rc = gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_DER, NULL,
			    GNUTLS_PKCS_PLAIN);
	}
	/* the public key as a SubjectPublicKeyInfo, hashed like a certificate's */
	if (rc >= 0 && (rc = gnutls_privkey_init(&priv)) >= 0 &&
	    (rc = gnutls_privkey_import_x509(priv, key, 0)) >= 0 && (rc = gnutls_pubkey_init(&pub)) >= 0 &&
	    (rc = gnutls_pubkey_import_privkey(pub, priv, 0, 0)) >= 0 &&
	    (rc = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki)) >= 0 &&
	    (rc = gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.size, f->spki)) >= 0) {
		unsigned bits = 0;
		int pk = gnutls_pubkey_get_pk_algorithm(pub, &bits);
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		int have = pk == GNUTLS_PK_ECDSA &&
		    gnutls_pubkey_export_ecc_raw(pub, &curve, NULL, NULL) >= 0;

		f->spki_len = 32;
		key_text(&t, pk, bits, have, curve);     /* as a certificate's key */
	}
	gnutls_free(spki.data);
	gnutls_pubkey_deinit(pub);
	gnutls_privkey_deinit(priv);          /* imported without AUTO_RELEASE: */
	gnutls_x509_privkey_deinit(key);      /* KEY is still ours */
	if (rc < 0) {
		f->spki_len = 0;
		snprintf(msg, sizeof msg, "GnuTLS cannot read the private key: %s", gnutls_strerror(rc));
		text_put(&t, T_ERROR, msg, strlen(msg));
	}
	return text_pack(f, &t);
}

const struct cf__facts *
cf__key_get(struct cf__facts_cache *c, const char *label, const unsigned char *der, size_t len)
{
	return cache_get(c, der, len, strcmp(label, "PRIVATE KEY") == 0 ? 1 : 2, label, parse_key);
}
