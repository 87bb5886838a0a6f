/*
 * gen.h - what the files of certfleet-gen share. The generator is
 * deterministic: the same seed and --now give the same bytes on every run
 * and machine (provable RSA from the seed, Ed25519 from a seed, P-256 from
 * fixed key material with RFC 6979 signatures, fixed archive metadata).
 */
#ifndef CERTFLEET_GEN_H
#define CERTFLEET_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>

/* A growable byte string. */
struct gbuf {
	unsigned char *p;
	size_t n, cap;
};
int gbuf_add(struct gbuf *b, const void *p, size_t n);
int gbuf_str(struct gbuf *b, const char *s);
void gbuf_free(struct gbuf *b);

enum gkey_type { GK_ED25519, GK_P256, GK_RSA2048, GK_RSA1024 };

struct gkey {
	enum gkey_type type;
	gnutls_privkey_t priv;
	gnutls_pubkey_t pub;
};

struct gen {
	const char *seed;
	int64_t now;
};

/* A key derived from the seed and LABEL (P-256 is one fixed key). Returns
 * 0 or a GnuTLS error; free with gkey_free(). */
int gkey_make(const struct gen *g, enum gkey_type type, const char *label, struct gkey *k);
void gkey_free(struct gkey *k);
/* The key as PKCS#8 PEM (caller frees with gbuf_free). */
int gkey_pem(const struct gkey *k, struct gbuf *out);

struct gcert {
	const char *cn;           /* subject CN; O=certfleet-gen is added */
	const char *dns;          /* one SAN, or NULL */
	const char *serial_label; /* the serial is derived from the seed and this */
	int64_t not_before, not_after;
	int is_ca;
	const struct gkey *key;   /* subject key */
	gnutls_x509_crt_t issuer; /* NULL: self-signed */
	const struct gkey *issuer_key;
	gnutls_digest_algorithm_t digest; /* 0: SHA-256 (SHA-512 for Ed25519) */
	const char *eku;                  /* NULL: serverAuth on a leaf; "" none; else an OID */
	const char *critical_oid;         /* an unknown critical extension (NULL value), or NULL */
};
/* A signed certificate as DER (OUT) and, when CRT is not NULL, as a GnuTLS
 * handle for issuing others (caller deinits). */
int gcert_make(
    const struct gen *g, const struct gcert *spec, struct gbuf *out, gnutls_x509_crt_t *crt);
/* PEM of DER with LABEL, body lines of WIDTH columns, lines ended by EOL. */
int pem_wrap(const unsigned char *der, size_t len, const char *label, size_t width, const char *eol,
    struct gbuf *out);
/* Re-sign the TBS of an Ed25519-signed DER certificate after EDIT changed
 * it; the DER is rebuilt with the lengths it needs. */
int resign_ed25519(
    const struct gkey *key, struct gbuf *der, int (*edit)(struct gbuf *tbs, void *arg), void *arg);
/* DER of our own making (minimal lengths): the header length of the TLV
 * at P and its content length in *CONTENT; append TAG, length, P[0..N). */
size_t der_hdr(const unsigned char *p, size_t *content);
void der_put(struct gbuf *out, unsigned char tag, const unsigned char *p, size_t n);
/* Bytes derived from the seed and a label (SHA-256). */
void derive(const struct gen *g, const char *label, unsigned char out[32]);

/* Create the parent folders of PATH (up to its last '/'); 0 or -1. */
int mkdirs(const char *path);
/* Write a file (creating parent folders); 0 or -1 with errno. */
int write_file(const char *path, const void *p, size_t n);

/* A Java keystore (JKS v2, password "changeit") of COUNT trusted
 * certificate entries (ALIAS[i], the bytes of CERTS[i]) at time NOW. */
int jks_der(const char *const *alias, const struct gbuf *const *certs, size_t count, int64_t now,
    struct gbuf *out);
/* A PKCS#12 file without MAC or encryption: CERT's bytes in a CertBag and
 * KEY (NULL: none) in a KeyBag. 0 or a GnuTLS error. */
int pkcs12_der(const struct gbuf *cert, const struct gkey *key, struct gbuf *out);
int gen_fixtures(const struct gen *g, const char *outdir);

struct fleet_opts {
	int nodes, certs_per_node;
	const char *faults;
	const char *format;
	int intermediate; /* node.crt issued by an intermediate, bundled */
	int rsa_ca;       /* the CA's key RSA 2048, not P-256 */
};
/* Returns 0; 2 for a bad --format or --faults SPEC (found before anything
 * is written); another value when writing failed. */
int gen_fleet(const struct gen *g, const char *outdir, const struct fleet_opts *o);

#endif
