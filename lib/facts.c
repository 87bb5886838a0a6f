/*
 * facts.c - what a certificate says, through GnuTLS, parsed once per
 * distinct DER: a fleet carries the same certificate on many nodes, so the
 * cache is keyed by the DER's SHA-256.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "private.h"

/* Open addressing on the DER's SHA-256 (and the record's kind: a DER read as
 * a certificate and as a key are two records). Parsing happens outside the
 * lock; when two threads parse the same DER at once, the first insert wins. */
struct cf__facts_cache {
	pthread_mutex_t mu;
	struct cf__facts **slots;
	size_t cap, n;
};

struct cf__facts_cache *
cf__facts_cache_new(void)
{
	struct cf__facts_cache *c = calloc(1, sizeof *c);

	if (c && (c->slots = calloc(c->cap = 64, sizeof *c->slots)) == NULL) {
		free(c);
		c = NULL;
	}
	if (c)
		pthread_mutex_init(&c->mu, NULL);
	return c;
}

static void
facts_free(struct cf__facts *f)
{
	if (f == NULL)
		return;
	free(f->error); free(f->subject); free(f->issuer); free(f->issuer_cn);
	free(f->serial); free(f->sans); free(f->key); free(f->signature); free(f->eku);
	free(f);
}

void
cf__facts_cache_free(struct cf__facts_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->cap; i++)
		facts_free(c->slots[i]);
	free(c->slots);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

size_t
cf__facts_cache_size(const struct cf__facts_cache *c)
{
	return c->n;
}

static size_t
slot_of(const unsigned char *h, size_t cap)
{
	size_t v;

	memcpy(&v, h, sizeof v);
	return v & (cap - 1);
}

static int
cache_grow(struct cf__facts_cache *c)
{
	struct cf__facts **ns = calloc(c->cap * 2, sizeof *ns);
	size_t i, j;

	if (ns == NULL)
		return CF_E_NOMEM;
	for (i = 0; i < c->cap; i++) {
		if (c->slots[i] == NULL)
			continue;
		for (j = slot_of(c->slots[i]->sha256, c->cap * 2); ns[j]; j = (j + 1) & (c->cap * 2 - 1))
			;
		ns[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = ns;
	c->cap *= 2;
	return 0;
}

static char *
hex(const unsigned char *p, size_t n, int colons)
{
	char *s = malloc(n * 3 + 1), *q = s;
	size_t i;

	if (s == NULL)
		return NULL;
	*q = '\0';
	for (i = 0; i < n; i++)
		q += sprintf(q, colons && i ? ":%02x" : "%02x", p[i]);
	return s;
}

/* A datum's text, sanitized. */
static char *
datum_text(gnutls_datum_t *d)
{
	char *s = cf__sanitize_text(d->data, d->size);
	gnutls_free(d->data);
	d->data = NULL;
	return s;
}

static char *
key_desc(gnutls_x509_crt_t crt)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	gnutls_ecc_curve_t curve;
	char buf[64];

	if (pk == GNUTLS_PK_ECDSA && gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL) >= 0) {
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
	return strdup(buf);
}

static char *
sans_of(gnutls_x509_crt_t crt)
{
	struct cf__buf b = {0};
	char name[1024];
	unsigned i;
	int type;
	char *s;

	cf__buf_add(&b, "", 0);
	for (i = 0;; i++) {
		size_t size = sizeof name;
		type = gnutls_x509_crt_get_subject_alt_name(crt, i, name, &size, NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type < 0)
			continue;
		if (b.len)
			cf__buf_add(&b, ", ", 2);
		if (type == GNUTLS_SAN_IPADDRESS) {
			char ip[64] = "?";
			if (size == 4)
				snprintf(ip, sizeof ip, "%u.%u.%u.%u", (unsigned char)name[0],
				    (unsigned char)name[1], (unsigned char)name[2], (unsigned char)name[3]);
			cf__buf_printf(&b, "IP:%s", ip);
		} else {
			const char *pfx = type == GNUTLS_SAN_DNSNAME ? "DNS:" :
			    type == GNUTLS_SAN_URI ? "URI:" :
			    type == GNUTLS_SAN_RFC822NAME ? "email:" : "other:";
			cf__buf_add(&b, pfx, strlen(pfx));
			cf__buf_add(&b, name, size);
		}
	}
	s = b.data ? cf__sanitize_text(b.data, b.len) : NULL;
	cf__buf_free(&b);
	return s;
}

static char *
eku_of(gnutls_x509_crt_t crt)
{
	struct cf__buf b = {0};
	char oid[256];
	unsigned i;
	char *s;

	cf__buf_add(&b, "", 0);
	for (i = 0;; i++) {
		size_t size = sizeof oid;
		if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &size, NULL) < 0)
			break;
		cf__buf_printf(&b, "%s%s", b.len ? ", " : "",
		    strcmp(oid, GNUTLS_KP_TLS_WWW_SERVER) == 0 ? "serverAuth" :
		    strcmp(oid, GNUTLS_KP_TLS_WWW_CLIENT) == 0 ? "clientAuth" : oid);
	}
	s = cf__sanitize_text(b.data, b.len);
	cf__buf_free(&b);
	return s;
}

/* Fill F from a DER certificate that GnuTLS accepted. */
static int
facts_fill(struct cf__facts *f, gnutls_x509_crt_t crt)
{
	gnutls_datum_t d = {0};
	unsigned char serial[64];
	size_t size = sizeof serial;
	char cn[512];
	unsigned crit = 0;
	int ca;

	if (gnutls_x509_crt_get_dn3(crt, &d, 0) >= 0)
		f->subject = datum_text(&d);
	if (gnutls_x509_crt_get_issuer_dn3(crt, &d, 0) >= 0)
		f->issuer = datum_text(&d);
	size = sizeof cn;
	if (gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &size) >= 0)
		f->issuer_cn = cf__sanitize_text(cn, size);
	size = sizeof serial;
	if (gnutls_x509_crt_get_serial(crt, serial, &size) >= 0)
		f->serial = hex(serial, size, 0);
	f->not_before = (int64_t)gnutls_x509_crt_get_activation_time(crt);
	f->not_after = (int64_t)gnutls_x509_crt_get_expiration_time(crt);
	f->version = gnutls_x509_crt_get_version(crt);
	ca = gnutls_x509_crt_get_basic_constraints(crt, &crit, NULL, NULL);
	f->is_ca = ca > 0;
	f->key = key_desc(crt);
	f->signature = strdup(gnutls_sign_get_name(
	    (gnutls_sign_algorithm_t)gnutls_x509_crt_get_signature_algorithm(crt)) ?: "unknown");
	f->sans = sans_of(crt);
	f->eku = eku_of(crt);
	f->key_id_len = sizeof f->key_id;
	if (gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, f->key_id, &f->key_id_len) < 0)
		f->key_id_len = 0;
	if (!f->subject || !f->issuer || !f->key || !f->signature || !f->sans || !f->eku)
		return CF_E_NOMEM;
	return 0;
}

static struct cf__facts *
facts_parse(const unsigned char *der, size_t len, const unsigned char *sha)
{
	struct cf__facts *f = calloc(1, sizeof *f);
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char msg[256];
	int rc, i;

	if (f == NULL)
		return NULL;
	memcpy(f->sha256, sha, 32);
	for (i = 0; i < 32; i++)
		sprintf(f->sha256_hex + 2 * i, "%02x", sha[i]);
	if (gnutls_x509_crt_init(&crt) < 0)
		goto fail;
	if ((rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
		snprintf(msg, sizeof msg, "GnuTLS cannot parse the certificate: %s", gnutls_strerror(rc));
		if ((f->error = strdup(msg)) == NULL)
			goto fail;
	} else if (facts_fill(f, crt) != 0) {
		goto fail;
	}
	gnutls_x509_crt_deinit(crt);
	return f;
fail:
	gnutls_x509_crt_deinit(crt);
	facts_free(f);
	return NULL;
}

/* The slot of (SHA, KIND): the record's, or the empty one to fill. Locked. */
static size_t
find_slot(const struct cf__facts_cache *c, const unsigned char *sha, int kind)
{
	size_t j;

	for (j = slot_of(sha, c->cap); c->slots[j]; j = (j + 1) & (c->cap - 1))
		if (c->slots[j]->kind == kind && memcmp(c->slots[j]->sha256, sha, 32) == 0)
			break;
	return j;
}

/* Find or parse the record of DER as KIND (PARSE makes it). */
static const struct cf__facts *
cache_get(struct cf__facts_cache *c, const unsigned char *der, size_t len, int kind,
    const char *label, struct cf__facts *(*parse)(const unsigned char *, size_t,
    const unsigned char *, const char *))
{
	unsigned char sha[32];
	struct cf__facts *f, *hit;
	size_t j;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, der, len, sha) < 0)
		return NULL;
	pthread_mutex_lock(&c->mu);
	hit = c->slots[find_slot(c, sha, kind)];
	pthread_mutex_unlock(&c->mu);
	if (hit)
		return hit;
	if ((f = parse(der, len, sha, label)) == NULL)
		return NULL;
	f->kind = (uint8_t)kind;
	pthread_mutex_lock(&c->mu);
	j = find_slot(c, sha, kind);
	if ((hit = c->slots[j]) == NULL) {
		c->slots[j] = hit = f;
		f = NULL;
		c->n++;
		if (c->n * 2 > c->cap && cache_grow(c) != 0)
			hit = NULL;
	}
	pthread_mutex_unlock(&c->mu);
	facts_free(f);
	return hit;
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
	struct cf__facts *f = calloc(1, sizeof *f);
	gnutls_x509_privkey_t key = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	char msg[256];
	int rc;

	if (f == NULL)
		return NULL;
	memcpy(f->sha256, sha, 32);
	f->key_id_len = sizeof f->key_id;
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
	if (rc >= 0)
		rc = gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, f->key_id,
		    &f->key_id_len);
	gnutls_x509_privkey_deinit(key);
	if (rc < 0) {
		f->key_id_len = 0;
		snprintf(msg, sizeof msg, "GnuTLS cannot read the private key: %s", gnutls_strerror(rc));
		if ((f->error = strdup(msg)) == NULL) {
			free(f);
			return NULL;
		}
	}
	return f;
}

const struct cf__facts *
cf__key_get(struct cf__facts_cache *c, const char *label, const unsigned char *der, size_t len)
{
	return cache_get(c, der, len, strcmp(label, "PRIVATE KEY") == 0 ? 1 : 2, label, parse_key);
}
