/*
 * facts.c - what a certificate and a CRL say, through GnuTLS, parsed once
 * per distinct DER: a fleet carries the same certificate on many nodes, so
 * the cache is keyed by the DER's SHA-256.
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

#include "facts/record.h"

/* The key identifiers and key usage, read from the DER that passed the
 * strict checks (GnuTLS decodes the whole extension list again through
 * libtasn1 for each of them: 6% of a scan of distinct certificates), and
 * the basic constraints through GnuTLS. */
static void
ext_facts(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const unsigned char *der,
    size_t len)
{
	static const unsigned char ski_oid[] = { 0x55, 0x1d, 0x0e },
	                           ku_oid[] = { 0x55, 0x1d, 0x0f },
	                           aki_oid[] = { 0x55, 0x1d, 0x23 };
	const unsigned char *v, *c;
	size_t n, cn;
	unsigned crit = 0, ca = 0;
	int pathlen = -1, rc;

	rc = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca, &pathlen);
	f->is_ca = rc > 0;
	f->basic_constraints = rc < 0 ? -1 : rc > 0;
	f->pathlen = rc < 0 ? -1 : pathlen;
	/* keyUsage ::= BIT STRING, as GnuTLS's GNUTLS_KEY_* bits: the first
	 * octet as it stands, decipherOnly (bit 8) as 0x8000 */
	f->key_usage = -1;
	if (cf__der_extension(der, len, ku_oid, sizeof ku_oid, &v, &n) == 1 &&
	    cf__der_contents(v, n, &c, &cn) == 0x03 && cn >= 1 && cn <= 3)
		f->key_usage = (cn > 1 ? c[1] : 0) | (cn > 2 && (c[2] & 0x80) ? 0x8000 : 0);
	/* SubjectKeyIdentifier ::= OCTET STRING */
	if (cf__der_extension(der, len, ski_oid, sizeof ski_oid, &v, &n) == 1 &&
	    cf__der_contents(v, n, &c, &cn) == 0x04) {
		cf__bytes_put(t, T_SKI, c, cn);
		f->ski_len = cn;
	}
	/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT
	 * OCTET STRING OPTIONAL, ... } */
	if (cf__der_extension(der, len, aki_oid, sizeof aki_oid, &v, &n) == 1 &&
	    cf__der_contents(v, n, &v, &n) == 0x30 && n > 0 &&
	    cf__der_contents(v, n, &c, &cn) == 0x80) {
		cf__bytes_put(t, T_AKI, c, cn);
		f->aki_len = cn;
	}
}

/* Fill F and T from a DER certificate that GnuTLS accepted; *BAD names an
 * extension that does not decode. */
static void
facts_fill(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const unsigned char *der,
    size_t len, const char **bad)
{
	gnutls_datum_t d = { 0 };
	unsigned char serial[64];
	char cn[512], hex[sizeof serial * 2 + 1];
	struct cf__buf list = { 0 };
	const char *sig;
	size_t size;

	/* a parsed certificate has a subject and an issuer, empty if need be
	 * (reports tell a parsed record from a refused one by its subject) */
	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		cf__datum_put(t, T_SUBJECT, &d);
	else
		cf__text_put(t, T_SUBJECT, "", 0);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		cf__datum_put(t, T_ISSUER, &d);
	else
		cf__text_put(t, T_ISSUER, "", 0);
	size = sizeof cn;
	if (gnutls_x509_crt_get_issuer_dn_by_oid(
	        crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &size) >= 0)
		cf__text_put(t, T_ISSUER_CN, cn, size);
	size = sizeof serial;
	if (gnutls_x509_crt_get_serial(crt, serial, &size) >= 0) {
		cf__hex(hex, serial, size);
		cf__text_put(t, T_SERIAL, hex, size * 2);
	}
	f->version = gnutls_x509_crt_get_version(crt);
	ext_facts(f, t, crt, der, len);
	cf__key_desc(f, t, crt, der, len);
	f->sign = gnutls_x509_crt_get_signature_algorithm(crt);
	f->sign = f->sign < 0 ? 0 : f->sign;
	f->sign_hash = (int)gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)f->sign);
	sig = gnutls_sign_get_name((gnutls_sign_algorithm_t)f->sign);
	cf__text_put(t, T_SIGNATURE, sig ? sig : "unknown", strlen(sig ? sig : "unknown"));
	*bad = NULL;
	cf__sans_of(f, &list, crt, bad, &t->nomem);
	f->san_list = list.data;                   /* for cf__san_text(), until packed */
	f->san_list_len = t->nomem ? 0 : list.len; /* a list cut short is not read */
	cf__san_text(t, f);
	if (list.len)
		cf__bytes_put(t, T_SAN_LIST, list.data, list.len);
	list.len = 0;
	cf__eku_of(f, &list, crt, bad, &t->nomem);
	cf__eku_text(t, (const char *)list.data, f->n_ekus);
	if (list.len)
		cf__bytes_put(t, T_EKU_LIST, list.data, list.len);
	cf__buf_free(&list);
}

static struct cf__facts *
facts_parse(const unsigned char *der, size_t len, const unsigned char *sha)
{
	struct cf__facts f = { 0 };
	struct text t = { 0 };
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
		snprintf(msg, sizeof msg, "GnuTLS cannot parse the certificate: %s",
		    gnutls_strerror(rc));
		cf__text_put(&t, T_ERROR, msg, strlen(msg));
	} else {
		struct cf__der_tbs tbs;

		/* the validity read from the DER, exact for years 0001-9999
		 * (GnuTLS's time_t API clamps what lies before 1970) */
		f.not_before = f.not_after = -1;
		if (cf__der_tbs(der, len, &tbs) == 0) {
			f.not_before = tbs.not_before;
			f.not_after = tbs.not_after;
			f.issuer_off = tbs.issuer;
			f.issuer_len = tbs.issuer_len;
			f.subject_off = tbs.subject;
			f.subject_len = tbs.subject_len;
		}
		facts_fill(&f, &t, crt, der, len, &bad);
		cf__bytes_put(&t, T_DER, der, len); /* the DER store keeps the bytes */
		f.der_len = len;
		if (cf__der_profile(der, len, msg, sizeof msg))
			cf__text_put(&t, T_PROFILE, msg, strlen(msg));
		if (bad) /* an extension GnuTLS decodes only when asked does not decode */
			cf__text_put(&t, T_ERROR, bad, strlen(bad));
		else if (cf__der_spki(der, len, &off, &n) == 0 &&
		    gnutls_hash_fast(GNUTLS_DIG_SHA256, der + off, n, f.spki) >= 0)
			f.spki_len = 32;
	}
	gnutls_x509_crt_deinit(crt);
	return cf__text_pack(&f, &t);
}

/* Find or parse the record of DER as KIND (PARSE makes it). Parsing
 * happens outside the map's lock; when two threads parse the same DER at
 * once, the first put wins. */
const struct cf__facts *
cf__facts_cache_get(struct cf__facts_cache *c, const unsigned char *der, size_t len, int kind,
    const char *label,
    struct cf__facts *(*parse)(const unsigned char *, size_t, const unsigned char *, const char *))
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
	return cf__facts_cache_get(c, der, len, 0, NULL, parse_cert);
}

/* A CRL: its issuer, thisUpdate (NOT_BEFORE) and nextUpdate (NOT_AFTER,
 * -1 when absent), or why GnuTLS refuses it. */
static struct cf__facts *
parse_crl(const unsigned char *der, size_t len, const unsigned char *sha, const char *label)
{
	struct cf__facts f = { 0 };
	struct text t = { 0 };
	gnutls_x509_crl_t crl = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len }, dn = { 0 };
	char msg[256];
	time_t next;
	int rc;

	(void)label;
	memcpy(f.sha256, sha, 32);
	cf__hex(f.sha256_hex, sha, 32);
	f.pk = -1;
	f.not_before = f.not_after = -1;
	if ((rc = gnutls_x509_crl_init(&crl)) >= 0 &&
	    (rc = gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER)) >= 0) {
		f.not_before = (int64_t)gnutls_x509_crl_get_this_update(crl);
		next = gnutls_x509_crl_get_next_update(crl);
		f.not_after = next == (time_t)-1 ? -1 : (int64_t)next;
		if (gnutls_x509_crl_get_issuer_dn3(crl, &dn, 0) >= 0)
			cf__text_put(&t, T_ISSUER, dn.data, dn.size);
		gnutls_free(dn.data);
		cf__bytes_put(&t, T_DER, der, len);
		f.der_len = len;
	} else {
		snprintf(msg, sizeof msg, "GnuTLS cannot parse the CRL: %s", gnutls_strerror(rc));
		cf__text_put(&t, T_ERROR, msg, strlen(msg));
	}
	gnutls_x509_crl_deinit(crl);
	return cf__text_pack(&f, &t);
}

const struct cf__facts *
cf__crl_get(struct cf__facts_cache *c, const unsigned char *der, size_t len)
{
	return cf__facts_cache_get(c, der, len, CF__FACTS_CRL, NULL, parse_crl);
}
