/*
 * der_sniff.c - what a DER structure is, from its outline alone: a
 * certificate, a key of some form, a PKCS#7 or PKCS#12 container.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/der.h"

/* The elements of the SEQUENCE at P[0..LEN): up to 8 of them as whole
 * TLVs (tag, start relative to P, total length). The count, or -1. */
struct kids {
	unsigned char tag[8];
	size_t at[8], len[8];
	int n, ints; /* all the elements, and how many are INTEGERs */
};

static int
children(const unsigned char *p, size_t len, struct kids *k)
{
	const unsigned char *c;
	size_t cn, total;
	unsigned char t;

	k->n = k->ints = 0;
	if (cf__der_contents(p, len, &c, &cn) != 0x30)
		return -1;
	while (cn > 0) {
		if (cf__der_elem(c, cn, &t, &total) != 0)
			return -1;
		if (k->n < 8) {
			k->tag[k->n] = t;
			k->at[k->n] = (size_t)(c - p);
			k->len[k->n] = total;
		}
		k->n++;
		k->ints += t == 0x02;
		c += total;
		cn -= total;
	}
	return k->n;
}

/* Child I's contents' first byte and length; the value of a one-byte
 * INTEGER child (else -1). */
static int
small_int(const unsigned char *p, const struct kids *k, int i)
{
	const unsigned char *c;
	size_t n;

	if (i >= k->n || i >= 8 || cf__der_contents(p + k->at[i], k->len[i], &c, &n) != 0x02 ||
	    n != 1)
		return -1;
	return c[0];
}

/* Does child I hold an OBJECT IDENTIFIER starting with PREFIX (N bytes)? */
static int
oid_is(const unsigned char *p, const struct kids *k, int i, const unsigned char *prefix, size_t n)
{
	const unsigned char *c;
	size_t cn;

	return i < k->n && i < 8 && cf__der_contents(p + k->at[i], k->len[i], &c, &cn) == 0x06 &&
	    cn >= n && memcmp(c, prefix, n) == 0;
}

enum cf__der_type
cf__der_sniff(const unsigned char *p, size_t len)
{
	static const unsigned char signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07,
		0x02 };
	static const unsigned char pkcs7[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07 };
	struct kids k, t, ci;
	int i, ints, v;

	if (children(p, len, &k) < 1)
		return CF__DER_UNKNOWN;
	ints = k.ints;
	if (k.tag[0] == 0x06)
		return oid_is(p, &k, 0, signed_data, sizeof signed_data) ? CF__DER_PKCS7
		                                                         : CF__DER_UNKNOWN;
	if (k.tag[0] == 0x02) {
		v = small_int(p, &k, 0);
		if (k.n >= 3 && (v == 0 || v == 1) && k.tag[1] == 0x30 && k.tag[2] == 0x04)
			return CF__DER_PKCS8;
		/* PFX: version 3, authSafe ContentInfo { a PKCS#7 content type } */
		if (k.n >= 2 && v == 3 && k.tag[1] == 0x30 &&
		    children(p + k.at[1], k.len[1], &ci) >= 1 &&
		    oid_is(p + k.at[1], &ci, 0, pkcs7, sizeof pkcs7))
			return CF__DER_PKCS12;
		if (k.n >= 3 && v == 1 && k.tag[1] == 0x04)
			return CF__DER_EC_KEY;
		if (v == 0 && k.n == 9 && ints == 9)
			return CF__DER_RSA_KEY;
		if (v == 0 && k.n == 6 && ints == 6)
			return CF__DER_DSA_KEY;
		return ints == k.n && k.n <= 3 ? CF__DER_PARAMS : CF__DER_UNKNOWN;
	}
	if (k.tag[0] != 0x30)
		return CF__DER_UNKNOWN;
	if (k.n == 2 && k.tag[1] == 0x03)
		return CF__DER_PUBKEY;
	if (k.n == 2 && k.tag[1] == 0x04)
		return CF__DER_PKCS8_ENCRYPTED;
	if (k.n != 3 || k.tag[1] != 0x30 || k.tag[2] != 0x03 ||
	    children(p + k.at[0], k.len[0], &t) < 1)
		return CF__DER_UNKNOWN;
	/* a signed object: its first element tells a certificate (a [0]
	 * version or a serial, then validity SEQUENCE), a CRL (a Time after
	 * the issuer) and a request (version, subject, key, [0] attributes) apart */
	if (t.tag[0] == 0xa0)
		return CF__DER_CERT;
	for (i = 0; i < t.n && i < 5; i++)
		if (t.tag[i] == 0x17 || t.tag[i] == 0x18)
			return CF__DER_CRL;
	if (t.n == 4 && t.tag[0] == 0x02 && t.tag[1] == 0x30 && t.tag[2] == 0x30 &&
	    t.tag[3] == 0xa0)
		return CF__DER_CSR;
	return CF__DER_CERT;
}
