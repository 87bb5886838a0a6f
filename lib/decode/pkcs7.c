/*
 * pkcs7.c - PKCS#7 / CMS SignedData bundles (.p7b, .p7c, a PEM "PKCS7"
 * block, or by content): their certificates and CRLs, each a member,
 * read in one walk of the SET OF (GnuTLS's index API copies the whole SET
 * for each certificate: quadratic on a large bundle). The framing may be
 * BER, as NSS and `openssl cms -stream` write it (indefinite lengths);
 * each certificate and CRL inside is handed to GnuTLS as it is, and must
 * be DER. A SET OF, in no chain order.
 */
#include <stdio.h>
#include <string.h>

#include "decode/decode.h"

static const unsigned char oid_signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07,
	0x02 };

int
cf__pkcs7_ber(const unsigned char *p, size_t n)
{
	struct cf__ber ci, oid;

	return cf__ber_elem(p, n, &ci) == 0 && ci.tag == 0x30 &&
	    cf__ber_elem(ci.c, ci.n, &oid) == 0 && oid.tag == 0x06 &&
	    oid.n == sizeof oid_signed_data &&
	    memcmp(oid.c, oid_signed_data, sizeof oid_signed_data) == 0;
}

/* The SignedData of the ContentInfo at P: *SD, 0; or -1 with *WHY. */
static int
signed_data(const unsigned char *p, size_t n, struct cf__ber *sd, const char **why)
{
	struct cf__ber ci, oid, wrap;

	*why = "not a PKCS#7 ContentInfo";
	if (cf__ber_elem(p, n, &ci) != 0 || ci.tag != 0x30 || cf__ber_elem(ci.c, ci.n, &oid) != 0 ||
	    oid.tag != 0x06)
		return -1;
	*why = "a PKCS#7 ContentInfo that is not SignedData";
	if (oid.n != sizeof oid_signed_data || memcmp(oid.c, oid_signed_data, oid.n) != 0)
		return -1;
	*why = "SignedData is missing or malformed";
	if (cf__ber_elem(oid.c + oid.n, ci.n - (size_t)(oid.c + oid.n - ci.c), &wrap) != 0 ||
	    wrap.tag != 0xa0 || cf__ber_elem(wrap.c, wrap.n, sd) != 0 || sd->tag != 0x30)
		return -1;
	return 0;
}

/* The members of one [0] (certificates) or [1] (CRLs) set S, from INDEX. */
static int
set_members(struct cf__facts_cache *c, struct cf__decoded *d, const struct cf__ber *s, int crl,
    int index, int line, int *k)
{
	struct cf__ber e;
	size_t q = 0;
	char msg[160];
	int rc = 0;

	while (rc == 0 && q < s->n) {
		if (cf__ber_elem(s->c + q, s->n - q, &e) != 0) {
			snprintf(msg, sizeof msg,
			    "the PKCS#7 bundle's %s are cut or malformed after %d of them",
			    crl ? "CRLs" : "certificates", *k);
			return cf__dec_invalid_at(d, index + *k, line, "", msg);
		}
		if (e.tag != 0x30) {
			/* other CertificateChoices (attribute or other certificates) are
			 * not X.509 certificates: not ours */
		} else if (e.indefinite) {
			snprintf(msg, sizeof msg,
			    "%s %d of the PKCS#7 bundle is written in BER (indefinite "
			    "length), which GnuTLS does not load",
			    crl ? "CRL" : "certificate", *k + 1);
			rc = cf__dec_invalid_at(d, index + *k, line, "", msg);
			(*k)++;
		} else {
			rc = crl ? cf__dec_crl(c, d, index + *k, line, s->c + q, e.total)
			         : cf__dec_cert(c, d, index + *k, line, s->c + q, e.total);
			(*k)++;
		}
		q += e.total;
	}
	return rc;
}

int
cf__dec_pkcs7(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len, int *added)
{
	struct cf__ber sd, e;
	const char *why;
	char msg[256];
	size_t q = 0;
	int rc = 0, k = 0;

	d->unordered = 1;
	*added = 1;
	if (signed_data(der, len, &sd, &why) != 0) {
		snprintf(msg, sizeof msg, "the PKCS#7 bundle does not decode: %s", why);
		return cf__dec_invalid_at(d, index, line, "", msg);
	}
	/* version, digestAlgorithms, encapContentInfo, then [0] certificates
	 * and [1] CRLs, each optional, then signerInfos */
	while (rc == 0 && q < sd.n) {
		if (cf__ber_elem(sd.c + q, sd.n - q, &e) != 0) {
			rc = cf__dec_invalid_at(
			    d, index + k, line, "", "the PKCS#7 SignedData is cut or malformed");
			k++;
			break;
		}
		if (e.tag == 0xa0 || e.tag == 0xa1)
			rc = set_members(c, d, &e, e.tag == 0xa1, index, line, &k);
		q += e.total;
	}
	if (rc == 0 && k == 0)
		rc = cf__dec_skip(d, "PKCS#7 with no certificate or CRL", line, "");
	*added = k ? k : 1;
	return rc;
}
