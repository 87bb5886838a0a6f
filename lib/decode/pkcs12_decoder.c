/*
 * pkcs12_decoder.c - PKCS#12 (.p12, .pfx, or by content) through GnuTLS's
 * PKCS#12 API: every certificate, key and CRL of every bag is a member
 * (the keys paired with the certificates of the same file). The password
 * is found by the MAC: none and empty first, then the scan's passwords in
 * order (--password-file, CERTFLEET_PASSWORD). No password opens it:
 * tls-input-unreadable naming the cause; the MAC fails for every password
 * but one decrypts the bags: tls-cert-invalid. A password never appears
 * in a message. GnuTLS reads at most 32 elements of one bag: a fuller
 * one is counted (a walk of its DER, libcrypto decrypting an encrypted
 * one), and what GnuTLS did not read
 * is said (tls-input-unreadable), never passed in silence.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <openssl/crypto.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "decode/decode.h"

/* The most elements of one bag GnuTLS reads (its MAX_BAG_ELEMENTS). */
#define GNUTLS_BAG_MAX 32

/* Element I (from 0) of the DER constructed element at P (AVAIL bytes
 * around it), whole in *E and *EN, or all of them counted (I < 0): the
 * count, 0 found, or -1 when the DER does not hold. */
static long
der_kid(const unsigned char *p, size_t avail, long i, const unsigned char **e, size_t *en)
{
	const unsigned char *c, *x;
	size_t cn, xn, used;
	long k;

	if (cf__der_contents(p, avail, &c, &cn) < 0)
		return -1;
	for (k = 0; cn > 0; k++) {
		if (cf__der_contents(c, cn, &x, &xn) < 0)
			return -1;
		used = (size_t)(x - c) + xn;
		if (k == i) {
			*e = c;
			*en = used;
			return 0;
		}
		c += used;
		cn -= used;
	}
	return i < 0 ? k : -1;
}

/* The contents of the element at P (N bytes) when its tag is TAG. */
static int
der_in(const unsigned char *p, size_t n, int tag, const unsigned char **c, size_t *cn)
{
	return cf__der_contents(p, n, c, cn) == tag ? 0 : -1;
}

static const unsigned char oid_data[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 1 };
static const unsigned char oid_encrypted[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7,
	6 };

/* The SafeBags of an EncryptedData (P, N: its DER) decrypted with PW by
 * libcrypto into plain bytes and counted, or -1. */
static long
encrypted_bags(const unsigned char *p, size_t n, const char *pw)
{
	const unsigned char *eci, *alg, *ct, *q;
	size_t ecin, algn, ctn;
	unsigned char *out = NULL;
	int outlen = 0;
	X509_ALGOR *a;
	long k = -1;

	if (der_kid(p, n, 1, &eci, &ecin) != 0 || der_kid(eci, ecin, 1, &alg, &algn) != 0 ||
	    der_kid(eci, ecin, 2, &ct, &ctn) != 0 || der_in(ct, ctn, 0x80, &ct, &ctn) != 0 ||
	    algn > LONG_MAX || ctn > INT_MAX)
		return -1;
	q = alg;
	if ((a = d2i_X509_ALGOR(NULL, &q, (long)algn)) == NULL)
		return -1;
	if (PKCS12_pbe_crypt_ex(a, pw, pw ? -1 : 0, ct, (int)ctn, &out, &outlen, 0, NULL, NULL) &&
	    out)
		k = der_kid(out, (size_t)outlen, -1, NULL, NULL);
	if (out)
		OPENSSL_clear_free(out, (size_t)outlen);
	X509_ALGOR_free(a);
	return k;
}

/* How many SafeBags the I-th content of the PFX at P holds (PW decrypts
 * an encrypted one), or -1 when it cannot be told. A walk of the DER
 * (libcrypto only decrypts): no object is made per bag. */
static long
safe_bags(const unsigned char *p, size_t n, int i, const char *pw)
{
	const unsigned char *auth, *c, *ci, *oid, *body;
	size_t authn, cn, cin, oidn, bodyn;

	if (der_kid(p, n, 1, &auth, &authn) != 0 || der_kid(auth, authn, 1, &c, &cn) != 0 ||
	    der_in(c, cn, 0xa0, &c, &cn) != 0 || der_in(c, cn, 0x04, &c, &cn) != 0 ||
	    der_kid(c, cn, i, &ci, &cin) != 0 || der_kid(ci, cin, 0, &oid, &oidn) != 0 ||
	    der_kid(ci, cin, 1, &body, &bodyn) != 0 ||
	    der_in(body, bodyn, 0xa0, &body, &bodyn) != 0)
		return -1;
	if (oidn == sizeof oid_data && memcmp(oid, oid_data, oidn) == 0)
		return der_in(body, bodyn, 0x04, &body, &bodyn) != 0
		    ? -1
		    : der_kid(body, bodyn, -1, NULL, NULL);
	if (oidn == sizeof oid_encrypted && memcmp(oid, oid_encrypted, oidn) == 0)
		return encrypted_bags(body, bodyn, pw);
	return -1;
}

/* Candidate I: NULL (no password), "", then the scan's; NULL past the end
 * (*DONE set). */
static const char *
candidate(const struct cf__decoded *d, size_t i, int *done)
{
	*done = 0;
	if (i == 0)
		return NULL;
	if (i == 1)
		return "";
	if (i - 2 < d->n_pw)
		return d->pw[i - 2];
	*done = 1;
	return NULL;
}

/* The elements of one (decrypted) bag as members from *INDEX on. */
static int
bag_members(struct cf__facts_cache *c, struct cf__decoded *d, gnutls_pkcs12_bag_t bag,
    const char *pw, int *index)
{
	int n = gnutls_pkcs12_bag_get_count(bag), j, rc = 0;
	unsigned iter;
	gnutls_datum_t data, plain;
	char msg[160];

	for (j = 0; rc == 0 && j < n; j++) {
		int type = gnutls_pkcs12_bag_get_type(bag, (unsigned)j);
		if (gnutls_pkcs12_bag_get_data(bag, (unsigned)j, &data) < 0)
			continue;
		switch (type) {
		case GNUTLS_BAG_CERTIFICATE:
			rc = cf__dec_cert(c, d, (*index)++, 0, data.data, data.size);
			break;
		case GNUTLS_BAG_CRL:
			rc = cf__dec_crl(c, d, (*index)++, 0, data.data, data.size);
			break;
		case GNUTLS_BAG_PKCS8_KEY:
			rc = cf__dec_key(c, d, (*index)++, 0, "PRIVATE KEY", data.data, data.size);
			break;
		case GNUTLS_BAG_PKCS8_ENCRYPTED_KEY:
			iter = cf__pkcs8_iterations(data.data, data.size);
			if ((rc = cf__kdf_refused(d, iter, *index, 0)) != 0) {
				if (rc > 0)
					rc = cf__member_new(d, CF__M_KEY_ENCRYPTED, (*index)++, 0)
					    ? 0
					    : CF_E_NOMEM;
				break;
			}
			if ((rc = cf__kdf_try(d, *index, 0, iter)) <= 0) {
				if (rc == 0 &&
				    cf__member_new(d, CF__M_KEY_ENCRYPTED, (*index)++, 0) == NULL)
					rc = CF_E_NOMEM;
				break;
			}
			rc = 0;
			if (cf__key_decrypt(data.data, data.size, 0, pw, &plain) < 0) {
				snprintf(msg, sizeof msg,
				    "the private key of bag element %d does not decrypt with "
				    "the password that opens the file",
				    j + 1);
				rc = cf__dec_invalid(d, (*index)++, 0, msg);
				break;
			}
			rc =
			    cf__dec_key(c, d, (*index)++, 0, "PRIVATE KEY", plain.data, plain.size);
			gnutls_memset(plain.data, 0, plain.size);
			gnutls_free(plain.data);
			break;
		default: /* secrets and unknown bags: not ours */ break;
		}
	}
	return rc;
}

/* The iterations of BAG's encryption, or 0 when it says none. */
static unsigned
bag_iterations(gnutls_pkcs12_bag_t bag)
{
	unsigned schema, cipher, iter = 0, salt_size = 256;
	unsigned char salt[256];
	char *oid = NULL; /* GnuTLS 3.7 leaks it when not asked for */
	int r = gnutls_pkcs12_bag_enc_info(bag, &schema, &cipher, salt, &salt_size, &iter, &oid);

	gnutls_free(oid);
	return r < 0 ? 0 : iter;
}

/* BAG, the I-th content of the PFX at P (its members end before member
 * INDEX), as full as GnuTLS reads one: how many elements it really holds
 * (one more key derivation when it is encrypted), and those GnuTLS did
 * not read said. 0 or CF_E_NOMEM. */
static int
bag_rest(struct cf__decoded *d, gnutls_pkcs12_bag_t bag, int i, const char *pw,
    const unsigned char *p, size_t n, int index)
{
	int encrypted = gnutls_pkcs12_bag_get_type(bag, 0) == GNUTLS_BAG_ENCRYPTED;
	long all;
	int rc;

	if (gnutls_pkcs12_bag_get_count(bag) < GNUTLS_BAG_MAX)
		return 0;
	if (encrypted && (rc = cf__kdf_try(d, index, 0, bag_iterations(bag))) <= 0)
		return rc; /* out of tries or budget: said */
	if ((all = safe_bags(p, n, i, pw)) <= GNUTLS_BAG_MAX)
		return 0;
	return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, 0, NULL,
	    "PKCS#12: a bag of %ld "
	    "elements; GnuTLS reads the first %d of one bag, so the other %ld (certificates, keys "
	    "or "
	    "CRLs) are not audited",
	    all, GNUTLS_BAG_MAX, all - GNUTLS_BAG_MAX);
}

/* Every bag of P12, decrypted with PW: members; GnuTLS's error when an
 * encrypted bag does not decrypt (then nothing is added). */
static int
all_bags(struct cf__facts_cache *c, struct cf__decoded *d, gnutls_pkcs12_t p12, const char *pw,
    int *grc, const unsigned char *p, size_t n)
{
	gnutls_pkcs12_bag_t bag;
	int i, rc = 0, index = 0;

	*grc = 0;
	for (i = 0; rc == 0; i++) {
		if ((*grc = gnutls_pkcs12_bag_init(&bag)) < 0)
			return CF_E_NOMEM;
		if ((*grc = gnutls_pkcs12_get_bag(p12, i, bag)) < 0) {
			gnutls_pkcs12_bag_deinit(bag);
			if (*grc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
				*grc = 0;
			break;
		}
		if (gnutls_pkcs12_bag_get_type(bag, 0) == GNUTLS_BAG_ENCRYPTED &&
		    bag_iterations(bag) > CF__MAX_KDF_ITER) {
			gnutls_pkcs12_bag_deinit(bag);
			rc = cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, 0, NULL,
			    "PKCS#12: an encrypted "
			    "bag whose key derivation asks for over %u iterations, the most "
			    "certfleet makes "
			    "for one; it and the rest of the file not read",
			    CF__MAX_KDF_ITER);
			break;
		}
		if (gnutls_pkcs12_bag_get_type(bag, 0) == GNUTLS_BAG_ENCRYPTED &&
		    ((rc = cf__kdf_try(d, index, 0, bag_iterations(bag))) <= 0 ||
		        (*grc = gnutls_pkcs12_bag_decrypt(bag, pw)) < 0)) {
			gnutls_pkcs12_bag_deinit(bag);
			rc = rc < 0 ? rc : 0; /* out of tries: the rest is not read (and said) */
			break;
		}
		if ((rc = bag_members(c, d, bag, pw, &index)) == 0)
			rc = bag_rest(d, bag, i, pw, p, n, index);
		gnutls_pkcs12_bag_deinit(bag);
	}
	return rc;
}

/* Does PW decrypt every encrypted bag of P12 (the MAC aside)? With ANY
 * NULL: a file without encrypted bags says yes. Each try counts in D's
 * budget (cf__kdf_try): out of it, no. */
static int
decrypts(struct cf__decoded *d, gnutls_pkcs12_t p12, const char *pw, int *encrypted)
{
	gnutls_pkcs12_bag_t bag;
	int i, rc = 0, any = 0;

	for (i = 0; rc >= 0; i++) {
		if (gnutls_pkcs12_bag_init(&bag) < 0)
			return 0;
		if ((rc = gnutls_pkcs12_get_bag(p12, i, bag)) >= 0 &&
		    gnutls_pkcs12_bag_get_type(bag, 0) == GNUTLS_BAG_ENCRYPTED) {
			unsigned iter = bag_iterations(bag);
			any = 1;
			rc = iter <= CF__MAX_KDF_ITER && cf__kdf_try(d, 0, 0, iter) > 0
			    ? gnutls_pkcs12_bag_decrypt(bag, pw)
			    : GNUTLS_E_DECRYPTION_FAILED;
		}
		gnutls_pkcs12_bag_deinit(bag);
	}
	if (encrypted)
		*encrypted = any;
	return rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
}

/* Does the PFX carry MacData (its optional third element)? Yes when it
 * cannot be told. */
static int
has_mac(const unsigned char *p, size_t n)
{
	const unsigned char *c;
	size_t cn;
	long k;

	if (cf__der_contents(p, n, &c, &cn) != 0x30)
		return 1;
	k = der_kid(p, n, -1, NULL, NULL);
	return k < 0 || k >= 3;
}

/* Does P12's MAC ask for more iterations than CF__MAX_KDF_ITER? Then 1,
 * with an invalid member and a tls-input-unreadable finding; 0 (*ITER:
 * its iterations, 0 unknown); or CF_E_NOMEM. */
static int
mac_refused(struct cf__decoded *d, gnutls_pkcs12_t p12, unsigned *iterp)
{
	unsigned mac, iter = 0, salt_size = 256;
	unsigned char salt[256];
	char *oid = NULL; /* GnuTLS 3.7 leaks it when not asked for */
	int r = gnutls_pkcs12_mac_info(p12, &mac, salt, &salt_size, &iter, &oid);

	gnutls_free(oid);
	*iterp = r < 0 ? 0 : iter;
	if (r < 0 || iter <= CF__MAX_KDF_ITER)
		return 0;
	if (cf__member_new(d, CF__M_INVALID, 0, 0) == NULL)
		return CF_E_NOMEM;
	return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, 0, 0, NULL,
	           "PKCS#12: its MAC asks for %u "
	           "iterations of key derivation, over the %u certfleet makes for one; the file is "
	           "not "
	           "opened and its certificates not audited",
	           iter, CF__MAX_KDF_ITER)
	    ? CF_E_NOMEM
	    : 1;
}

int
cf__dec_pkcs12(struct cf__facts_cache *c, struct cf__decoded *d, const unsigned char *p, size_t n)
{
	gnutls_pkcs12_t p12;
	gnutls_datum_t in = { (unsigned char *)p, (unsigned)n };
	const char *pw = NULL;
	char msg[256];
	size_t i;
	unsigned mac_iter = 0;
	int rc, grc, done = 0, opened = 0;

	d->pair_any = 1;
	if (gnutls_pkcs12_init(&p12) < 0)
		return CF_E_NOMEM;
	if ((grc = gnutls_pkcs12_import(p12, &in, GNUTLS_X509_FMT_DER, 0)) < 0) {
		gnutls_pkcs12_deinit(p12);
		snprintf(msg, sizeof msg, "GnuTLS cannot parse the PKCS#12 file: %s",
		    gnutls_strerror(grc));
		return cf__dec_invalid(d, 0, 0, msg);
	}
	/* the MAC's key derivation: refused before any work over the cap,
	 * and each password tried on it counts in the file's tries */
	if ((rc = mac_refused(d, p12, &mac_iter)) != 0) {
		gnutls_pkcs12_deinit(p12);
		return rc < 0 ? rc : 0;
	}
	for (i = 0; !opened; i++) {
		pw = candidate(d, i, &done);
		if (done || (rc = cf__kdf_try(d, 0, 0, mac_iter)) <= 0) {
			if (rc < 0) {
				gnutls_pkcs12_deinit(p12);
				return rc;
			}
			done = 1;
			break;
		}
		opened = gnutls_pkcs12_verify_mac(p12, pw) >= 0;
	}
	if (!opened && !has_mac(p, n)) {
		int enc = 0;
		/* no MacData (openssl -nomac): nothing to check, nothing to find
		 * the password by; the first that decrypts the bags is it */
		for (i = 0; !opened; i++) {
			pw = candidate(d, i, &done);
			if (done)
				break;
			opened = decrypts(d, p12, pw, &enc);
		}
		if (!opened && !enc) { /* nothing encrypted, and still unreadable: broken */
			gnutls_pkcs12_deinit(p12);
			return cf__dec_invalid(d, 0, 0, "PKCS#12: its bags do not decode");
		}
	}
	if (!opened) {
		int enc = 0;
		/* no MAC matches: a password that decrypts it means a damaged MAC */
		for (i = 0;; i++) {
			pw = candidate(d, i, &done);
			if (done || (decrypts(d, p12, pw, &enc) && enc))
				break;
		}
		gnutls_pkcs12_deinit(p12);
		if (!done)
			return cf__dec_invalid(d, 0, 0,
			    "PKCS#12 integrity check failed: the MAC does not "
			    "match, although a password decrypts the contents (the file is damaged "
			    "or was "
			    "altered)");
		if (cf__member_new(d, CF__M_INVALID, 0, 0) == NULL)
			return CF_E_NOMEM;
		return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, 0, 0, NULL,
		    "PKCS#12: no password opens "
		    "it (tried none, the empty password and %zu more from --password-file and "
		    "CERTFLEET_PASSWORD); its certificates were not audited",
		    d->n_pw);
	}
	rc = all_bags(c, d, p12, pw, &grc, p, n);
	gnutls_pkcs12_deinit(p12);
	if (rc == 0 && grc < 0) {
		snprintf(msg, sizeof msg,
		    "PKCS#12: a bag does not decrypt with the password whose MAC "
		    "matches: %s",
		    gnutls_strerror(grc));
		rc = cf__dec_invalid(d, 0, 0, msg);
	}
	if (rc == 0 && d->n_members == 0)
		rc = cf__dec_skip(d, "an empty PKCS#12 file", 0, "");
	return rc;
}

static int
pkcs12_bid(int cls, const unsigned char *p, size_t n)
{
	size_t off, used;

	(void)cls;
	if (n == 0 || p[0] != 0x30 || cf__der_check_first(p, n, &off, &used) != NULL)
		return 0;
	return cf__der_sniff(p, used) == CF__DER_PKCS12 ? 3 : 0;
}

static int
decode_pkcs12(
    struct cf__facts_cache *c, struct cf__decoded *d, int cls, const unsigned char *p, size_t n)
{
	(void)cls;
	d->is_der = 1;
	d->unordered = 1;
	return cf__dec_pkcs12(c, d, p, n);
}

/* A PFX: a SEQUENCE of version 3, then a ContentInfo of id-data. */
static int
pkcs12_sniff(const unsigned char *p, size_t n)
{
	static const unsigned char start[] = { 0x02, 0x01, 0x03 };
	static const unsigned char data[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7,
		1 };
	size_t h, len, h1, len1;

	if (cf__der_head(p, n, &h, &len) != 0x30 || n - h < sizeof start ||
	    memcmp(p + h, start, sizeof start) != 0)
		return 0;
	p += h + sizeof start;
	n -= h + sizeof start;
	return cf__der_head(p, n, &h1, &len1) == 0x30 && n - h1 >= sizeof data &&
	    memcmp(p + h1, data, sizeof data) == 0;
}

static const struct cf__claim pkcs12_names[] = { { ".p12", CF__NAME_OTHER },
	{ ".pfx", CF__NAME_OTHER }, { NULL, 0 } };

const struct cf__decoder cf__pkcs12_decoder = { "pkcs12", pkcs12_names, pkcs12_sniff, pkcs12_bid,
	decode_pkcs12 };
