/*
 * der_ec.c - elliptic-curve keys (SEC 1 ECPrivateKey, the SPKI made from
 * one) and the names of OIDs and curves.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/der.h"

/* ECPrivateKey (SEC 1): version 1, the scalar, [0] the curve, [1] the
 * public key; *OID is left as is when [0] is absent. */
static int
sec1(const unsigned char *p, size_t len, const unsigned char **oid, size_t *oidlen,
    const unsigned char **pub, size_t *publen, const unsigned char **d, size_t *dlen)
{
	const unsigned char *c, *x, *y;
	size_t n, xn, yn;

	if (cf__der_take(&p, &len, 0x30, &c, &n) != 0 || cf__der_take(&c, &n, 0x02, &x, &xn) != 0 ||
	    xn != 1 || x[0] != 1 || cf__der_take(&c, &n, 0x04, d, dlen) != 0)
		return -1;
	if (cf__der_take(&c, &n, 0xa0, &x, &xn) == 0 && cf__der_take(&x, &xn, 0x06, &y, &yn) == 0) {
		*oid = y;
		*oidlen = yn;
	}
	if (cf__der_take(&c, &n, 0xa1, &x, &xn) == 0 && cf__der_take(&x, &xn, 0x03, &y, &yn) == 0 &&
	    yn > 1) {
		*pub = y;
		*publen = yn;
	}
	return 0;
}

int
cf__der_ec_private_key(const unsigned char *p, size_t len, const unsigned char **oid,
    size_t *oidlen, const unsigned char **pub, size_t *publen, const unsigned char **d,
    size_t *dlen)
{
	static const unsigned char ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
	const unsigned char *c, *x, *a, *o;
	size_t n, xn, an, on;

	*oid = *pub = NULL;
	*oidlen = *publen = 0;
	if (sec1(p, len, oid, oidlen, pub, publen, d, dlen) == 0)
		return *oid ? 0 : -1;
	/* PrivateKeyInfo { version, AlgorithmIdentifier { id-ecPublicKey, curve }, OCTET STRING {
	 * SEC 1 } } */
	if (cf__der_take(&p, &len, 0x30, &c, &n) != 0 || cf__der_take(&c, &n, 0x02, &x, &xn) != 0 ||
	    cf__der_take(&c, &n, 0x30, &a, &an) != 0 || cf__der_take(&a, &an, 0x06, &o, &on) != 0 ||
	    on != sizeof ec_public_key || memcmp(o, ec_public_key, on) != 0 ||
	    cf__der_take(&a, &an, 0x06, oid, oidlen) != 0 ||
	    cf__der_take(&c, &n, 0x04, &x, &xn) != 0)
		return -1;
	return sec1(x, xn, &o, &on, pub, publen, d, dlen) == 0 ? 0 : -1;
}

/* Append a DER length. */
static int
put_len(struct cf__buf *b, size_t n)
{
	unsigned char h[5];
	size_t k = 0, v;

	if (n < 0x80) {
		h[k++] = (unsigned char)n;
	} else {
		for (v = n; v; v >>= 8)
			k++;
		h[0] = (unsigned char)(0x80 | k);
		for (v = 0; v < k; v++)
			h[1 + v] = (unsigned char)(n >> (8 * (k - 1 - v)));
		k++;
	}
	return cf__buf_add(b, h, k);
}

int
cf__der_ec_spki(const unsigned char *oid, size_t oidlen, const unsigned char *pub, size_t publen,
    struct cf__buf *out)
{
	static const unsigned char ec_public_key[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
		0x02, 0x01 };
	struct cf__buf alg = { 0 };
	size_t alg_total;
	int rc;

	/* AlgorithmIdentifier { id-ecPublicKey, namedCurve } */
	rc = cf__buf_add(&alg, ec_public_key, sizeof ec_public_key) ||
	    cf__buf_add(&alg, "\x06", 1) || put_len(&alg, oidlen) || cf__buf_add(&alg, oid, oidlen);
	alg_total = 1 + (alg.len < 0x80 ? 1 : 2) + alg.len;
	/* SubjectPublicKeyInfo { algorithm, BIT STRING (its unused-bits byte in PUB) } */
	rc = rc || cf__buf_add(out, "\x30", 1) ||
	    put_len(out,
	        alg_total + 1 +
	            (publen < 0x80           ? 1
	                    : publen < 0x100 ? 2
	                                     : 3) +
	            publen) ||
	    cf__buf_add(out, "\x30", 1) || put_len(out, alg.len) ||
	    cf__buf_add(out, alg.data, alg.len) || cf__buf_add(out, "\x03", 1) ||
	    put_len(out, publen) || cf__buf_add(out, pub, publen);
	cf__buf_free(&alg);
	return rc ? CF_E_NOMEM : 0;
}

const char *
cf__oid_text(const unsigned char *p, size_t n, char *buf, size_t len)
{
	unsigned long v = 0;
	size_t i, at = 0;
	int first = 1;

	buf[0] = '\0';
	for (i = 0; i < n && at + 24 < len; i++) {
		if (v > (~0UL >> 7))
			break;
		v = v << 7 | (p[i] & 0x7f);
		if (p[i] & 0x80)
			continue;
		if (first)
			at += (size_t)snprintf(buf + at, len - at, "%lu.%lu", v < 80 ? v / 40 : 2,
			    v < 80 ? v % 40 : v - 80);
		else
			at += (size_t)snprintf(buf + at, len - at, ".%lu", v);
		first = 0;
		v = 0;
	}
	return buf;
}

const char *
cf__curve_name(const unsigned char *oid, size_t n)
{
	static const struct {
		const char *name;
		unsigned char oid[12];
		size_t n;
	} curves[] = {
		{ "P-192", { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01 }, 8 },
		{ "P-224", { 0x2b, 0x81, 0x04, 0x00, 0x21 }, 5 },
		{ "P-256", { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 }, 8 },
		{ "P-384", { 0x2b, 0x81, 0x04, 0x00, 0x22 }, 5 },
		{ "P-521", { 0x2b, 0x81, 0x04, 0x00, 0x23 }, 5 },
		{ "secp256k1", { 0x2b, 0x81, 0x04, 0x00, 0x0a }, 5 },
		{ "brainpoolP256r1", { 0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07 }, 9 },
		{ "brainpoolP320r1", { 0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x09 }, 9 },
		{ "brainpoolP384r1", { 0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0b }, 9 },
		{ "brainpoolP512r1", { 0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0d }, 9 },
	};
	size_t i;

	for (i = 0; i < sizeof curves / sizeof curves[0]; i++)
		if (n == curves[i].n && memcmp(oid, curves[i].oid, n) == 0)
			return curves[i].name;
	return NULL;
}
