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
#include <nettle/ecc.h>
#include <nettle/ecc-curve.h>

#include "facts/facts.h"

/* The strings of a record being made, one after another in one buffer
 * (NUL-terminated, by offset), then packed with the record into a single
 * allocation: a scan keeps a record per distinct certificate, and nine
 * separate strings each cost a malloc, a free and heap fragmentation. */
enum { T_ERROR, T_SUBJECT, T_ISSUER, T_ISSUER_CN, T_SERIAL, T_SANS, T_KEY, T_SIGNATURE, T_EKU,
	T_SAN_LIST, T_EKU_LIST, T_SKI, T_AKI, T_DER, T_PROFILE, T_N };

/* Where each string or byte block's pointer lies in the record (every
 * one a pointer to char or unsigned char). */
static const size_t field_at[T_N] = {
	offsetof(struct cf__facts, error), offsetof(struct cf__facts, subject),
	offsetof(struct cf__facts, issuer), offsetof(struct cf__facts, issuer_cn),
	offsetof(struct cf__facts, serial), offsetof(struct cf__facts, sans),
	offsetof(struct cf__facts, key), offsetof(struct cf__facts, signature),
	offsetof(struct cf__facts, eku), offsetof(struct cf__facts, san_list),
	offsetof(struct cf__facts, eku_list), offsetof(struct cf__facts, ski),
	offsetof(struct cf__facts, aki), offsetof(struct cf__facts, der),
	offsetof(struct cf__facts, profile_fault),
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
		for (i = 0; i < T_N; i++) {
			char *v = t->set & 1u << i ? base + t->at[i] : NULL;
			memcpy((char *)out + field_at[i], &v, sizeof v);
		}
	}
	cf__buf_free(&t->b);
	return out;
}

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
		name = curve == GNUTLS_ECC_CURVE_SECP192R1 ? "P-192" : curve == GNUTLS_ECC_CURVE_SECP224R1 ?
		    "P-224" : curve == GNUTLS_ECC_CURVE_SECP256R1 ? "P-256" :
		    curve == GNUTLS_ECC_CURVE_SECP384R1 ? "P-384" :
		    curve == GNUTLS_ECC_CURVE_SECP521R1 ? "P-521" : gnutls_ecc_curve_get_name(curve);
		snprintf(buf, sizeof buf, "EC %s", name ? name : "?");
	} else if (pk == GNUTLS_PK_ECDSA || (alg && alglen == sizeof ec_public_key &&
	    memcmp(alg, ec_public_key, alglen) == 0)) {     /* a curve GnuTLS lacks: from the DER */
		name = param ? cf__curve_name(param, paramlen) : NULL;
		snprintf(buf, sizeof buf, "EC %s", name ? name : param ?
		    cf__oid_text(param, paramlen, dotted, sizeof dotted) : "(unknown curve)");
	} else if (pk == GNUTLS_PK_EDDSA_ED25519 || pk == GNUTLS_PK_EDDSA_ED448) {
		snprintf(buf, sizeof buf, "%s", pk == GNUTLS_PK_EDDSA_ED25519 ? "Ed25519" : "Ed448");
	} else if (pk <= 0 || gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)pk) == NULL) {
		snprintf(buf, sizeof buf, "OID %s", alg ? cf__oid_text(alg, alglen, dotted, sizeof dotted) :
		    "unknown");
	} else {
		snprintf(buf, sizeof buf, "%s %u", gnutls_pk_algorithm_get_name((gnutls_pk_algorithm_t)pk), bits);
	}
	text_put(t, T_KEY, buf, strlen(buf));
}

static void
key_desc(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const unsigned char *der,
    size_t len)
{
	unsigned bits = 0;
	int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	int have = pk == GNUTLS_PK_ECDSA && gnutls_x509_crt_get_pk_ecc_raw(crt, &curve, NULL, NULL) >= 0;
	size_t off, n;

	f->pk = pk < 0 ? -1 : pk;
	f->bits = bits;
	f->curve = have ? (int)curve : 0;
	if (cf__der_spki(der, len, &off, &n) == 0)
		key_text(t, pk, bits, have, curve, der + off, n);
	else
		key_text(t, pk, bits, have, curve, NULL, 0);
}

int
cf__san_next(const struct cf__facts *f, size_t *pos, struct cf__san *san)
{
	const unsigned char *p;
	size_t n;

	if (f->san_list == NULL || *pos + 5 > f->san_list_len)
		return 0;
	p = f->san_list + *pos;
	n = (size_t)p[1] << 24 | (size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4];
	san->type = (enum cf__san_type)p[0];
	san->value = p + 5;
	san->len = n;
	*pos += 5 + n + 1;
	return 1;
}

int
cf__san_format(const struct cf__san *san, struct cf__buf *b)
{
	/* an OTHER name's value is its whole display text ("DirName:CN=x") */
	static const char *const prefix[] = { "", "DNS:", "IP:", "URI:", "email:", "" };
	char ip[INET6_ADDRSTRLEN];
	const char *v = "?";

	if (cf__buf_add(b, prefix[san->type], strlen(prefix[san->type])) != 0)
		return CF_E_NOMEM;
	if (san->type != CF__SAN_IP)
		return cf__sanitize_add(b, san->value, san->len, 0) != 0 ? CF_E_NOMEM : 0;
	if ((san->len == 4 || san->len == 16) &&
	    inet_ntop(san->len == 4 ? AF_INET : AF_INET6, san->value, ip, sizeof ip))
		v = ip;
	return cf__buf_add(b, v, strlen(v)) != 0 ? CF_E_NOMEM : 0;
}

/* The SANs as display text, "DNS:a, IP:192.0.2.7, IP:2001:db8::1", from
 * the typed list F->san_list. */
static void
san_text(struct text *t, const struct cf__facts *f)
{
	struct cf__buf one = {0};
	struct cf__san san;
	size_t pos = 0, i = 0;

	text_begin(t, T_SANS);
	while (cf__san_next(f, &pos, &san)) {
		if (i++)
			text_add(t, ", ", 2);
		one.len = 0;
		if (cf__san_format(&san, &one) != 0)
			t->nomem = 1;
		else
			text_add(t, one.data, one.len);
	}
	cf__buf_free(&one);
	text_end(t);
}

/* Bytes as text when they are printable ASCII, else as hex. */
static void
text_or_hex(struct cf__buf *b, const unsigned char *p, size_t n, int *nomem)
{
	char hx[3];
	size_t i;

	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7f; i++)
		;
	if (i == n && n) {
		*nomem |= cf__buf_add(b, p, n);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(hx, sizeof hx, "%02x", p[i]);
		*nomem |= cf__buf_add(b, hx, 2);
	}
}

/* The display text of SAN I of CRT, of a GnuTLS TYPE that is no DNS name,
 * IP, URI or email (RAW, SIZE as GnuTLS gave it), into B, as people write
 * them: DirName:CN=foo, RID:1.2.3, othername:OID:value. */
static void
other_san(struct cf__buf *b, gnutls_x509_crt_t crt, unsigned i, unsigned type, const unsigned char *raw,
    size_t size, int *nomem)
{
	gnutls_datum_t in = { (unsigned char *)raw, (unsigned)size }, dn = {0};
	char oid[128];
	size_t oidlen = sizeof oid;
	const unsigned char *c;
	size_t cn;

	switch (type) {
	case GNUTLS_SAN_DN:
		*nomem |= cf__buf_add(b, "DirName:", 8);
		if (gnutls_x509_rdn_get2(&in, &dn, 0) >= 0)
			*nomem |= cf__sanitize_add(b, dn.data, dn.size, 0);
		else
			text_or_hex(b, raw, size, nomem);
		gnutls_free(dn.data);
		return;
	case GNUTLS_SAN_REGISTERED_ID:
		*nomem |= cf__buf_add(b, "RID:", 4);
		text_or_hex(b, raw, size, nomem);
		return;
	case GNUTLS_SAN_OTHERNAME:
	case GNUTLS_SAN_OTHERNAME_XMPP:
	case GNUTLS_SAN_OTHERNAME_KRB5PRINCIPAL:
	case GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL:
		*nomem |= cf__buf_add(b, "othername:", 10);
		if (gnutls_x509_crt_get_subject_alt_othername_oid(crt, i, oid, &oidlen) >= 0) {
			*nomem |= cf__sanitize_add(b, oid, strnlen(oid, oidlen), 0) | cf__buf_add(b, ":", 1);
		}
		/* a string value (UTF8String, IA5String...) as its text */
		if (size > 2 && cf__der_contents(raw, size, &c, &cn) >= 0 && (raw[0] == 0x0c ||
		    raw[0] == 0x16 || raw[0] == 0x13))
			text_or_hex(b, c, cn, nomem);
		else
			text_or_hex(b, raw, size, nomem);
		return;
	default:
		*nomem |= cf__buf_add(b, "other:", 6);
		text_or_hex(b, raw, size, nomem);
	}
}

/* The SANs into the typed list LIST (type, 4-byte length, value, NUL per
 * name), read from the names GnuTLS already decoded while importing the
 * certificate (decoding the extension again cost a fifth of the parse). */
static void
sans_of(struct cf__facts *f, struct cf__buf *list, gnutls_x509_crt_t crt, const char **bad,
    int *nomem)
{
	char small[512], *san = small, *big = NULL;
	size_t cap = sizeof small, size;
	unsigned i, type;
	unsigned char hdr[5];
	struct cf__buf other = {0};
	int rc;

	for (i = 0;; i++) {
		size = cap;
		rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, san, &size, &type, NULL);
		if (rc == GNUTLS_E_SHORT_MEMORY_BUFFER) {         /* a name over 512 bytes */
			free(big);
			if ((san = big = malloc(cap = size + 1)) == NULL) {
				*nomem = 1;
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
		hdr[0] = type == GNUTLS_SAN_DNSNAME ? CF__SAN_DNS : type == GNUTLS_SAN_URI ? CF__SAN_URI :
		    type == GNUTLS_SAN_IPADDRESS ? CF__SAN_IP : type == GNUTLS_SAN_RFC822NAME ?
		    CF__SAN_EMAIL : CF__SAN_OTHER;
		if (hdr[0] == CF__SAN_OTHER) {            /* kept as its display text */
			other.len = 0;
			other_san(&other, crt, i, type, (const unsigned char *)san, size, nomem);
			if (other.data == NULL)
				break;
			san = (char *)other.data;
			size = other.len;
		}
		hdr[1] = (unsigned char)(size >> 24);
		hdr[2] = (unsigned char)(size >> 16);
		hdr[3] = (unsigned char)(size >> 8);
		hdr[4] = (unsigned char)size;
		*nomem |= cf__buf_add(list, hdr, 5) | cf__buf_add(list, san, size) | cf__buf_add(list, "", 1);
		f->n_sans++;
		san = big ? big : small;
	}
	free(big);
	cf__buf_free(&other);
}

/* The EKU OIDs into LIST (each NUL-terminated). */
static void
eku_of(struct cf__facts *f, struct cf__buf *list, gnutls_x509_crt_t crt, const char **bad,
    int *nomem)
{
	gnutls_x509_key_purposes_t p = NULL;
	gnutls_datum_t ext = {0}, oid;
	unsigned i;

	if (gnutls_x509_crt_get_extension_by_oid2(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, 0, &ext,
	    NULL) >= 0 && (gnutls_x509_key_purpose_init(&p) < 0 ||
	    gnutls_x509_ext_import_key_purposes(&ext, p, 0) < 0)) {
		*bad = "malformed extendedKeyUsage extension";
	} else if (p) {
		for (i = 0; gnutls_x509_key_purpose_get(p, i, &oid) >= 0; i++) {
			*nomem |= cf__buf_add(list, oid.data, strlen((char *)oid.data) + 1);
			f->n_ekus++;
		}
	}
	if (p)
		gnutls_x509_key_purpose_deinit(p);
	gnutls_free(ext.data);
}

const char *
cf__eku_name(const char *oid)
{
	return strcmp(oid, GNUTLS_KP_TLS_WWW_SERVER) == 0 ? "serverAuth" :
	    strcmp(oid, GNUTLS_KP_TLS_WWW_CLIENT) == 0 ? "clientAuth" : oid;
}

/* The EKUs as display text, "serverAuth, clientAuth, 1.2.3", from the list. */
static void
eku_text(struct text *t, const char *list, size_t n)
{
	size_t i;

	text_begin(t, T_EKU);
	for (i = 0; i < n; i++, list += strlen(list) + 1) {
		const char *name = cf__eku_name(list);
		if (i)
			text_add(t, ", ", 2);
		text_add_clean(t, name, strlen(name));
	}
	text_end(t);
}

/* Bytes as block WHICH of the record. */
static void
bytes_put(struct text *t, int which, const void *p, size_t n)
{
	text_begin(t, which);
	text_add(t, p, n);
	text_end(t);
}

/* The key identifiers and key usage, read from the DER that passed the
 * strict checks (GnuTLS decodes the whole extension list again through
 * libtasn1 for each of them: 6% of a scan of distinct certificates), and
 * the basic constraints through GnuTLS. */
static void
ext_facts(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const unsigned char *der,
    size_t len)
{
	static const unsigned char ski_oid[] = { 0x55, 0x1d, 0x0e }, ku_oid[] = { 0x55, 0x1d, 0x0f },
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
		bytes_put(t, T_SKI, c, cn);
		f->ski_len = cn;
	}
	/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT
	 * OCTET STRING OPTIONAL, ... } */
	if (cf__der_extension(der, len, aki_oid, sizeof aki_oid, &v, &n) == 1 &&
	    cf__der_contents(v, n, &v, &n) == 0x30 && n > 0 && cf__der_contents(v, n, &c, &cn) == 0x80) {
		bytes_put(t, T_AKI, c, cn);
		f->aki_len = cn;
	}
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
facts_fill(struct cf__facts *f, struct text *t, gnutls_x509_crt_t crt, const unsigned char *der,
    size_t len, const char **bad)
{
	gnutls_datum_t d = {0};
	unsigned char serial[64];
	char cn[512], hex[sizeof serial * 2 + 1];
	struct cf__buf list = {0};
	const char *sig;
	size_t size;

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
	ext_facts(f, t, crt, der, len);
	key_desc(f, t, crt, der, len);
	f->sign = gnutls_x509_crt_get_signature_algorithm(crt);
	f->sign = f->sign < 0 ? 0 : f->sign;
	f->sign_hash = (int)gnutls_sign_get_hash_algorithm((gnutls_sign_algorithm_t)f->sign);
	sig = gnutls_sign_get_name((gnutls_sign_algorithm_t)f->sign);
	text_put(t, T_SIGNATURE, sig ? sig : "unknown", strlen(sig ? sig : "unknown"));
	*bad = NULL;
	sans_of(f, &list, crt, bad, &t->nomem);
	f->san_list = list.data;           /* for san_text(), until packed */
	f->san_list_len = t->nomem ? 0 : list.len;   /* a list cut short is not read */
	san_text(t, f);
	if (list.len)
		bytes_put(t, T_SAN_LIST, list.data, list.len);
	list.len = 0;
	eku_of(f, &list, crt, bad, &t->nomem);
	eku_text(t, (const char *)list.data, f->n_ekus);
	if (list.len)
		bytes_put(t, T_EKU_LIST, list.data, list.len);
	cf__buf_free(&list);
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
			f.issuer_off = tbs.issuer;
			f.issuer_len = tbs.issuer_len;
			f.subject_off = tbs.subject;
			f.subject_len = tbs.subject_len;
		}
		facts_fill(&f, &t, crt, der, len, &bad);
		bytes_put(&t, T_DER, der, len);   /* the DER store keeps the bytes */
		f.der_len = len;
		if (cf__der_profile(der, len, msg, sizeof msg))
			text_put(&t, T_PROFILE, msg, strlen(msg));
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

/* Is the private key consistent: does a signature made with its private
 * part verify with the public key it carries (RSA n = p*q with the CRT
 * values, an EC point that is d*G)? GnuTLS's own parameter check misses an
 * RSA key whose p was altered, so the test is a real signature. */
static int
key_consistent(gnutls_privkey_t priv, gnutls_pubkey_t pub, int pk)
{
	static const unsigned char text[] = "certfleet: is this key whole?";
	gnutls_datum_t msg = { (unsigned char *)text, sizeof text - 1 }, sig = {0};
	gnutls_sign_algorithm_t algo = gnutls_pk_to_sign((gnutls_pk_algorithm_t)pk, GNUTLS_DIG_SHA256);
	int ok;

	if (algo == GNUTLS_SIGN_UNKNOWN)
		return 1;             /* no way to tell: not called inconsistent */
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
	const struct ecc_curve *curve = name == NULL ? NULL : strcmp(name, "P-192") == 0 ? nettle_get_secp_192r1() :
	    strcmp(name, "P-224") == 0 ? nettle_get_secp_224r1() : strcmp(name, "P-256") == 0 ?
	    nettle_get_secp_256r1() : strcmp(name, "P-384") == 0 ? nettle_get_secp_384r1() :
	    strcmp(name, "P-521") == 0 ? nettle_get_secp_521r1() : NULL;
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
	mpz_clear(z);                 /* the scalar: gone with the key's bytes */
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
	struct cf__buf spki = {0}, derived = {0};
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
	snprintf(name, sizeof name, "EC %s", cf__curve_name(oid, oidlen) ? cf__curve_name(oid, oidlen) :
	    cf__oid_text(oid, oidlen, dotted, sizeof dotted));
	f->pk = GNUTLS_PK_ECDSA;
	if (pub && cf__der_ec_spki(oid, oidlen, pub, publen, &spki) == 0 &&
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, spki.data, spki.len, f->spki) >= 0) {
		f->spki_len = 32;
		snprintf(name + strlen(name), sizeof name - strlen(name), made ? " (no public key in the "
		    "file: derived from the private key and paired; GnuTLS cannot load it)" : " (GnuTLS "
		    "cannot load it: paired by its public key, not checked)");
	} else {
		snprintf(name + strlen(name), sizeof name - strlen(name), pub ? " (GnuTLS cannot load it: "
		    "not checked)" : " (no public key in the file and GnuTLS cannot load it: not paired)");
	}
	cf__buf_free(&spki);
	if (derived.data)
		explicit_bzero(derived.data, derived.len);
	cf__buf_free(&derived);
	text_put(t, T_KEY, name, strlen(name));
	return 1;
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
		f->pk = pk < 0 ? -1 : pk;
		f->bits = bits;
		f->curve = have ? (int)curve : 0;
		f->key_bad = !key_consistent(priv, pub, pk);
		key_text(&t, pk, bits, have, curve, spki.data, spki.size);     /* as a certificate's key */
	}
	gnutls_free(spki.data);
	gnutls_pubkey_deinit(pub);
	gnutls_privkey_deinit(priv);          /* imported without AUTO_RELEASE: */
	gnutls_x509_privkey_deinit(key);      /* KEY is still ours */
	if (rc < 0 && !ec_key_by_hand(f, &t, der, len)) {
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

/* A CRL: its issuer, thisUpdate (NOT_BEFORE) and nextUpdate (NOT_AFTER,
 * -1 when absent), or why GnuTLS refuses it. */
static struct cf__facts *
parse_crl(const unsigned char *der, size_t len, const unsigned char *sha, const char *label)
{
	struct cf__facts f = {0};
	struct text t = {0};
	gnutls_x509_crl_t crl = NULL;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len }, dn = {0};
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
			text_put(&t, T_ISSUER, dn.data, dn.size);
		gnutls_free(dn.data);
		bytes_put(&t, T_DER, der, len);
		f.der_len = len;
	} else {
		snprintf(msg, sizeof msg, "GnuTLS cannot parse the CRL: %s", gnutls_strerror(rc));
		text_put(&t, T_ERROR, msg, strlen(msg));
	}
	gnutls_x509_crl_deinit(crl);
	return text_pack(&f, &t);
}

const struct cf__facts *
cf__crl_get(struct cf__facts_cache *c, const unsigned char *der, size_t len)
{
	return cache_get(c, der, len, CF__FACTS_CRL, NULL, parse_crl);
}
