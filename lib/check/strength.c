/*
 * strength.c - the CERT-scope rules about what a certificate is made of,
 * not when it is valid: a weak public key (tls-key-weak), a weak
 * signature hash (tls-sig-weak), a leaf without subjectAltName
 * (tls-cert-no-san), an RFC 5280 profile fault (tls-cert-noncompliant),
 * and a certificate unfit for the role its path serves (tls-cert-purpose).
 * Pure functions of the policy, the facts and the logical path.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

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
cf__check_key_weak(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	const char *alg = f->key ? f->key : "the key";
	unsigned min;

	(void)p;
	(void)path;
	switch (f->pk) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
	case GNUTLS_PK_DSA: min = 2048; break;
	case GNUTLS_PK_ECDSA: min = 256; break;
	default: /* Ed25519, Ed448, GOST, unknown: no weak sizes */ return 0;
	}
	if (f->bits == 0 || f->bits >= min)
		return 0;
	snprintf(d, n, "%s: %u bits, under the %u bits of today's TLS stacks and CA rules", alg,
	    f->bits, min);
	return 1;
}

int
cf__check_sig_weak(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	(void)p;
	(void)path;
	if (f->sign_hash != GNUTLS_DIG_MD5 && f->sign_hash != GNUTLS_DIG_SHA1 &&
	    f->sign_hash != GNUTLS_DIG_MD2)
		return 0;
	/* a self-signed anchor's (a root CA's) own signature is never checked
	 * by a client; a self-signed leaf is no anchor */
	if (cf__is_self_signed(f) && !cf__is_leaf(f))
		return 0;
	snprintf(d, n, "signed with %s (%s): collisions are practical, TLS stacks refuse it",
	    f->signature ? f->signature : "?",
	    gnutls_digest_get_name((gnutls_digest_algorithm_t)f->sign_hash));
	return 1;
}

int
cf__check_no_san(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	(void)p;
	(void)path;
	/* a client certificate (an extendedKeyUsage without serverAuth) names
	 * no host a client connects to: its SAN is nobody's concern */
	if (!cf__is_leaf(f) || f->n_sans > 0 || (f->n_ekus > 0 && !cf__has_eku(f, CF__EKU_SERVER)))
		return 0;
	snprintf(d, n,
	    "leaf %s has no subjectAltName: clients match names against it only, and "
	    "ignore the CN",
	    f->subject ? f->subject : "");
	return 1;
}

int
cf__check_noncompliant(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	(void)p;
	(void)path;
	if (f->profile_fault == NULL)
		return 0;
	snprintf(d, n, "%s", f->profile_fault);
	return 1;
}

/* ---- tls-cert-purpose: what a certificate may be used for --------------------- */

enum role { R_SERVER = 1, R_CLIENT = 2, R_CA = 4 };

/* Does a file name's first or last token TOK say CA (ca.crt, etcd/ca.crt,
 * front-proxy-ca.crt, ca-bundle.pem, root.pem, cacert.pem)? */
static int
is_ca_token(const char *tok)
{
	return tok &&
	    (strcasecmp(tok, "ca") == 0 || strcasecmp(tok, "root") == 0 ||
	        strcasecmp(tok, "cacert") == 0 || strcasecmp(tok, "cacerts") == 0);
}

/* The role the file at PATH serves, by its name (the last component
 * without extension, split at '-', '_' and '.'): a "peer" token both
 * (etcd's peer.crt), "client" first or last the client, else the server. */
static int
path_role(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char stem[256], *tok, *save, *first = NULL, *last = NULL;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	int peer = 0, ca = 0;

	if (n >= sizeof stem)
		n = sizeof stem - 1;
	memcpy(stem, base, n);
	stem[n] = '\0';
	for (tok = strtok_r(stem, "-_.", &save); tok; tok = strtok_r(NULL, "-_.", &save)) {
		if (strcasecmp(tok, "peer") == 0)
			peer = 1;
		if (first == NULL)
			first = tok;
		last = tok;
	}
	ca = is_ca_token(first) || is_ca_token(last) ? R_CA : 0;
	if (peer)
		return R_SERVER | R_CLIENT | ca;
	if ((first && strcasecmp(first, "client") == 0) ||
	    (last && strcasecmp(last, "client") == 0))
		return R_CLIENT | ca;
	return R_SERVER | ca;
}

int
cf__has_eku(const struct cf__facts *f, const char *oid)
{
	const char *e = f->eku_list;
	size_t i;

	for (i = 0; i < f->n_ekus; i++, e += strlen(e) + 1)
		if (strcmp(e, oid) == 0 || strcmp(e, "2.5.29.37.0") == 0)
			return 1;
	return 0;
}

/* Does F name a host (a DNS or IP subjectAltName)? */
static int
names_host(const struct cf__facts *f)
{
	struct cf__san san;
	size_t pos = 0;

	while (cf__san_next(f, &pos, &san))
		if (san.type == CF__SAN_DNS || san.type == CF__SAN_IP)
			return 1;
	return 0;
}

int
cf__check_purpose(
    const struct cf_policy *p, const struct cf__facts *f, const char *path, char *d, size_t n)
{
	int role, cert_sign = f->key_usage >= 0 && (f->key_usage & GNUTLS_KEY_KEY_CERT_SIGN);

	(void)p;
	/* a self-signed CA that names a host in a file named as a CA (kubeadm's
	 * pki/ca.crt carries DNS:kubernetes) is an anchor, not a leaf */
	if ((f->is_ca || cert_sign) && names_host(f) &&
	    !(f->is_ca && cf__is_self_signed(f) && (path_role(path) & R_CA))) {
		/* a CA names no host: this is a leaf that can sign certificates */
		snprintf(d, n,
		    "a leaf (it names a host in its subjectAltName) with %s: whoever holds its "
		    "key can issue certificates its relying parties accept",
		    f->is_ca ? "basicConstraints CA:TRUE" : "keyUsage keyCertSign");
		return 1;
	}
	if (!f->is_ca && cert_sign) {
		snprintf(d, n,
		    "keyUsage keyCertSign without basicConstraints CA:TRUE (RFC 5280 4.2.1.3)");
		return 1;
	}
	if (!cf__is_leaf(f) || f->n_ekus == 0)
		return 0;
	role = path_role(path);
	if ((role & R_SERVER) && !cf__has_eku(f, CF__EKU_SERVER)) {
		snprintf(d, n,
		    "its extendedKeyUsage (%s) excludes serverAuth, which its path serves%s",
		    f->eku ? f->eku : "", role & R_CLIENT ? " (a peer certificate: both)" : "");
		return 1;
	}
	if ((role & R_CLIENT) && !cf__has_eku(f, CF__EKU_CLIENT)) {
		snprintf(d, n,
		    "its extendedKeyUsage (%s) excludes clientAuth, which its path serves%s",
		    f->eku ? f->eku : "", role & R_SERVER ? " (a peer certificate: both)" : "");
		return 1;
	}
	return 0;
}
