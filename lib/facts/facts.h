/*
 * facts.h - the facts stage: what a certificate or a key says, parsed once
 * per distinct DER into the DER store.
 */
#ifndef CERTFLEET_FACTS_H
#define CERTFLEET_FACTS_H

#include "core/core.h"

/* SAN types of the typed list (cf__san_next). */
enum cf__san_type {
	CF__SAN_DNS = CF_SAN_DNS,
	CF__SAN_IP = CF_SAN_IP,
	CF__SAN_URI = CF_SAN_URI,
	CF__SAN_EMAIL = CF_SAN_EMAIL,
	CF__SAN_OTHER = CF_SAN_OTHER
};
struct cf__san {
	enum cf__san_type type;
	const unsigned char *value; /* raw (an IP: 4 or 16 bytes), NUL after it */
	size_t len;
};

/*
 * The facts of one distinct DER: one allocation, strings and lists
 * included. The typed values are what checks read. The display strings
 * (subject ... eku) are made from them once per distinct certificate by
 * this stage, so that every report and accessor shows the same text and a
 * fleet's copies share it; only reports read them.
 */
struct cf__facts {
	unsigned char sha256[32];
	char sha256_hex[65];
	char *error; /* GnuTLS refused it: why (then the rest is empty) */
	/* display text, sanitized */
	char *subject, *issuer, *issuer_cn, *serial, *sans, *key, *signature, *eku;
	/* the public key: gnutls_pk_algorithm_t (-1 unknown), its bits, and an
	 * EC key's gnutls_ecc_curve_t (0 otherwise) */
	int pk;
	unsigned bits;
	int curve;
	/* the signature: gnutls_sign_algorithm_t (0 unknown) and its hash, a
	 * gnutls_digest_algorithm_t as GnuTLS names it (Ed25519: SHA-512; 0
	 * unknown) */
	int sign, sign_hash;
	/* subjectAltName: N_SANS entries, read with cf__san_next() */
	const unsigned char *san_list;
	size_t san_list_len, n_sans;
	/* extendedKeyUsage: N_EKUS OIDs ("1.3.6.1.5.5.7.3.1"), each
	 * NUL-terminated, one after another */
	const char *eku_list;
	size_t n_ekus;
	/* basicConstraints: -1 absent, else cA; PATHLEN -1 when absent */
	int basic_constraints, pathlen;
	/* keyUsage: GNUTLS_KEY_* bits, -1 when absent */
	int key_usage;
	/* subjectKeyIdentifier, authorityKeyIdentifier's keyIdentifier */
	const unsigned char *ski, *aki;
	size_t ski_len, aki_len;
	/* the DER store: the certificate's own DER, and where its issuer and
	 * subject Names lie in it (for chain building) */
	const unsigned char *der;
	size_t der_len, issuer_off, issuer_len, subject_off, subject_len;
	int64_t not_before, not_after;
	int version, is_ca;
	unsigned char spki[32]; /* SHA-256 of the SubjectPublicKeyInfo: of the
	                             certificate's bytes, or as GnuTLS exports a key's */
	size_t spki_len;        /* 32, or 0 when unknown */
	/* the first RFC 5280 profile fault TLS stacks still accept
	 * (cf__der_profile; tls-cert-noncompliant), or NULL */
	const char *profile_fault;
	uint8_t key_bad; /* a private key whose private part does not make
	                             its public key (tls-key-mismatch) */
	uint8_t kind;    /* 0 certificate, 1 PKCS#8 key, 2 other key,
	                             CF__FACTS_CRL a CRL */
};

/* The SAN at *POS (start at 0) of F's list into *SAN, *POS moved past it:
 * 1, or 0 at the end. */
int cf__san_next(const struct cf__facts *f, size_t *pos, struct cf__san *san);
/* SAN as display text appended to B ("DNS:a.example", "IP:2001:db8::1";
 * the value sanitized, as the display strings are): 0 or CF_E_NOMEM. */
int cf__san_format(const struct cf__san *san, struct cf__buf *b) CF__CHECK;
/* An EKU OID's name: "serverAuth", "clientAuth", else the OID itself. */
const char *cf__eku_name(const char *oid);

/* Facts of a DER certificate, parsed once per distinct DER; the cache owns
 * the result. NULL only when out of memory. Thread-safe: the cache locks. */
const struct cf__facts *cf__facts_get(
    struct cf__facts_cache *c, const unsigned char *der, size_t len);
/* The SPKI hash of a DER private key's public key, in a facts record
 * (spki, or error), parsed once per distinct DER. LABEL is
 * its PEM label ("" for DER). NULL only when out of memory. Thread-safe. */
const struct cf__facts *cf__key_get(
    struct cf__facts_cache *c, const char *label, const unsigned char *der, size_t len);

/* The facts of a DER CRL (kind CF__FACTS_CRL): issuer, thisUpdate in
 * not_before, nextUpdate in not_after (-1 absent), or error. NULL only
 * when out of memory. Thread-safe. */
#define CF__FACTS_CRL 3
const struct cf__facts *cf__crl_get(
    struct cf__facts_cache *c, const unsigned char *der, size_t len);
/* A certificate record a chain may use: read by GnuTLS, its DER kept. */
static inline int
cf__facts_usable(const struct cf__facts *f)
{
	return f && f->error == NULL && f->der && f->kind == 0;
}

#endif
