/*
 * der_decoder.c - the DER decoder: a file of strict DER read by its
 * content (cf__der_sniff): a certificate, a CRL, a private key (PKCS#8,
 * PKCS#1, SEC1, DSA) or an encrypted PKCS#8 key, a PKCS#7 bundle; a
 * request, a public key or parameters are named and skipped. Certificates
 * written one after another are each a member. It bids for bytes that
 * hold no PEM BEGIN line and look binary, start with a SEQUENCE or are
 * named .der/.cer.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"

/* One DER object (a TLV that passed the strict check) as member INDEX;
 * *ADDED members made. */
static int
decode_one(struct cf__facts_cache *c, struct cf__decoded *d, int cls, int index,
    const unsigned char *p, size_t n, int *added)
{
	*added = 1;
	switch (cf__der_sniff(p, n)) {
	case CF__DER_CRL: return cf__dec_crl(c, d, index, 0, p, n);
	case CF__DER_PKCS8: return cf__dec_key(c, d, index, 0, "PRIVATE KEY", p, n);
	case CF__DER_RSA_KEY:
	case CF__DER_EC_KEY:
	case CF__DER_DSA_KEY: return cf__dec_key(c, d, index, 0, "", p, n);
	case CF__DER_PKCS8_ENCRYPTED: return cf__dec_key_encrypted(c, d, index, 0, p, n, 0);
	case CF__DER_PKCS7: return cf__dec_pkcs7(c, d, index, 0, p, n, added);
	case CF__DER_CSR: return cf__dec_skip(d, "a DER certificate request (PKCS#10)", 0, "");
	case CF__DER_PUBKEY: return cf__dec_skip(d, "a DER public key", 0, "");
	case CF__DER_PARAMS:
		return cf__dec_skip(
		    d, "DER parameters or an RSA public key (INTEGERs only)", 0, "");
	case CF__DER_PKCS12:
		/* a whole PKCS#12 file goes to its own decoder (it outbids this one) */
		return cf__dec_invalid(
		    d, index, 0, "a PKCS#12 file among other DER objects: not read");
	case CF__DER_UNKNOWN:
		if (cls == CF__NAME_KEY)
			return cf__dec_key(c, d, index, 0, "", p, n);
		/* FALLTHROUGH */
	case CF__DER_CERT:
	default: return cf__dec_cert(c, d, index, 0, p, n);
	}
}

static int
decode_der(struct cf__facts_cache *c, struct cf__decoded *d, int cls, const unsigned char *data,
    size_t len)
{
	size_t off, used, at = 0;
	const char *why = cf__der_check_first(data, len, &off, &used);
	char msg[256];
	int rc = 0, index = 0, added;

	d->is_der = 1;
	/* several DER objects one after another (a `cat` of .der files): each
	 * is a member, as long as every one of them is strict DER */
	while (why == NULL && at + used < len) {
		size_t next_off, next_used;
		if (cf__der_check_first(data + at + used, len - at - used, &next_off, &next_used) !=
		    NULL)
			break;
		if ((rc = decode_one(c, d, cls, index, data + at, used, &added)) != 0)
			return rc;
		index += added;
		at += used;
		used = next_used;
	}
	if (why == NULL && at + used != len) {
		/* bytes after the last object that are no DER object: OpenSSL
		 * and mbed TLS read the object and ignore them */
		if ((rc = decode_one(c, d, cls, index, data + at, used, &added)) != 0)
			return rc;
		if (d->n_members && d->members[d->n_members - 1].kind == CF__M_INVALID)
			return 0;
		return cf__dec_pending(d, CF__R_DER_NONCANONICAL, index, 0, NULL,
		    "%zu bytes after the DER object, from byte %zu (ignored by OpenSSL and mbed "
		    "TLS)",
		    len - at - used, at + used);
	}
	if (why && at == 0 && cf__pkcs7_ber(data, len)) {
		/* a PKCS#7 bundle in BER (NSS, `openssl cms -stream`): its
		 * certificates are read all the same */
		struct cf__ber e;
		(void)cf__ber_elem(data, len, &e);
		if ((rc = cf__dec_pkcs7(c, d, 0, 0, data, e.total, &added)) != 0 || e.total == len)
			return rc;
		return cf__dec_pending(d, CF__R_DER_NONCANONICAL, 0, 0, NULL,
		    "a PKCS#7 bundle in BER, then %zu bytes after it (ignored)", len - e.total);
	}
	if (why) {
		snprintf(msg, sizeof msg, "invalid DER: %s at byte %zu", why, at + off);
		return cf__dec_invalid(d, index, 0, msg);
	}
	return decode_one(c, d, cls, index, data + at, used, &added);
}

/* DER is sniffed: no PEM BEGIN in the text, and a leading SEQUENCE tag, a
 * .der/.cer name, or bytes no text holds. Outbids PEM (2 against 1). */
static int
der_bid(int cls, const unsigned char *p, size_t n)
{
	size_t i;

	if (n == 0 || memmem(p, n, "-----BEGIN", 10) != NULL)
		return 0;
	if (p[0] == 0x30 || cls == CF__NAME_DER)
		return 2;
	for (i = 0; i < n && i < 64; i++)
		if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20))
			return 2;
	return 0;
}

/* A certificate, a CRL or a request (a SEQUENCE whose first element is a
 * SEQUENCE, within it, that starts with a version or serial), or a PKCS#7
 * SignedData (a SEQUENCE starting with its OID): then the file of any name
 * is read. Only headers are looked at: the prefix may end anywhere. */
static int
der_sniff(const unsigned char *p, size_t n)
{
	static const unsigned char signed_data[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		1, 7, 2 };
	size_t h, len, h1, len1, h2, len2;
	int t;

	if (cf__der_head(p, n, &h, &len) != 0x30)
		return 0;
	if ((t = cf__der_head(p + h, n - h, &h1, &len1)) == 0x06)
		return n - h >= sizeof signed_data &&
		    memcmp(p + h, signed_data, sizeof signed_data) == 0;
	if (t != 0x30 || h1 + len1 > len)
		return 0;
	t = cf__der_head(p + h + h1, n - h - h1, &h2, &len2);
	return (t == 0xa0 || t == 0x02) && h2 + len2 <= len1;
}

static const struct cf__claim der_names[] = { { ".der", CF__NAME_DER }, { ".cer", CF__NAME_DER },
	{ ".crl", CF__NAME_OTHER }, { ".p7b", CF__NAME_OTHER }, { ".p7c", CF__NAME_OTHER },
	{ ".p7s", CF__NAME_OTHER }, { NULL, 0 } };

const struct cf__decoder cf__der_decoder = { "der", der_names, der_sniff, der_bid, decode_der };
