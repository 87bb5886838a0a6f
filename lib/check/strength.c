/*
 * strength.c - the CERT-scope rules about what a certificate is made of,
 * not when it is valid: a weak public key (tls-key-weak), a weak
 * signature hash (tls-sig-weak) and a leaf without subjectAltName
 * (tls-cert-no-san). Pure functions of the policy and the facts.
 */
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "check/check.h"

int
cf__is_self_signed(const struct cf__facts *f)
{
	return f->der && f->issuer_len && f->issuer_len == f->subject_len &&
	    memcmp(f->der + f->issuer_off, f->der + f->subject_off, f->issuer_len) == 0;
}

int
cf__is_leaf(const struct cf__facts *f)
{
	/* a version 1 self-signed certificate has no basicConstraints to say
	 * it is a CA: it is the old way to write a root, not a leaf */
	return !f->is_ca && !(f->version == 1 && cf__is_self_signed(f));
}

int
cf__check_key_weak(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	const char *alg = f->key ? f->key : "the key";
	unsigned min;

	(void)p;
	switch (f->pk) {
	case GNUTLS_PK_RSA: case GNUTLS_PK_RSA_PSS: case GNUTLS_PK_DSA:
		min = 2048;
		break;
	case GNUTLS_PK_ECDSA:
		min = 256;
		break;
	default:                  /* Ed25519, Ed448, GOST, unknown: no weak sizes */
		return 0;
	}
	if (f->bits == 0 || f->bits >= min)
		return 0;
	snprintf(d, n, "%s: %u bits, under the %u bits of today's TLS stacks and CA rules", alg, f->bits,
	    min);
	return 1;
}

int
cf__check_sig_weak(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	(void)p;
	if (f->sign_hash != GNUTLS_DIG_MD5 && f->sign_hash != GNUTLS_DIG_SHA1 &&
	    f->sign_hash != GNUTLS_DIG_MD2)
		return 0;
	/* a self-signed anchor's (a root CA's) own signature is never checked
	 * by a client; a self-signed leaf is no anchor */
	if (cf__is_self_signed(f) && !cf__is_leaf(f))
		return 0;
	snprintf(d, n, "signed with %s (%s): collisions are practical, TLS stacks refuse it",
	    f->signature ? f->signature : "?", gnutls_digest_get_name((gnutls_digest_algorithm_t)f->sign_hash));
	return 1;
}

int
cf__check_no_san(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	(void)p;
	if (!cf__is_leaf(f) || f->n_sans > 0)
		return 0;
	snprintf(d, n, "leaf %s has no subjectAltName: clients match names against it only, and "
	    "ignore the CN", f->subject ? f->subject : "");
	return 1;
}

int
cf__check_noncompliant(const struct cf_policy *p, const struct cf__facts *f, char *d, size_t n)
{
	(void)p;
	if (f->profile_fault == NULL)
		return 0;
	snprintf(d, n, "%s", f->profile_fault);
	return 1;
}
