/*
 * der.c - strict DER: every TLV of a tree with minimal definite lengths and
 * no trailing bytes (GnuTLS accepts non-minimal lengths), the outline of a
 * Certificate (TBS, serial, inner and outer signature algorithms equal),
 * and where its SubjectPublicKeyInfo lies. Pure functions of bytes: a leaf
 * that the decoders and the facts both use.
 */
#include <stddef.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* One TLV at P[*pos..end): checks it and, when constructed, its contents. */
static const char *
der_tlv(const unsigned char *p, size_t *pos, size_t end, int depth, size_t *bad)
{
	size_t i = *pos, len = 0, nlen, k;
	unsigned char tag;
	const char *why;

	*bad = i;
	if (depth > 64)
		return "nesting too deep";
	if (i >= end)
		return "truncated (no tag)";
	tag = p[i++];
	if ((tag & 0x1f) == 0x1f) {
		while (i < end && (p[i] & 0x80))
			i++;
		if (i++ >= end)
			return "truncated tag";
	}
	if (i >= end)
		return "truncated (no length)";
	if (p[i] == 0x80)
		return "indefinite length (BER, not DER)";
	if (p[i] < 0x80) {
		len = p[i++];
	} else {
		nlen = p[i++] & 0x7f;
		if (nlen > 4)
			return "length too long";
		if (i + nlen > end)
			return "truncated length";
		if (p[i] == 0)
			return "non-minimal length encoding";
		for (k = 0; k < nlen; k++)
			len = len << 8 | p[i++];
		if (len < 0x80)
			return "non-minimal length encoding";
	}
	if (len > end - i)
		return "truncated: length runs past the end of the data";
	if (tag & 0x20) {
		size_t q = i;
		while (q < i + len)
			if ((why = der_tlv(p, &q, i + len, depth + 1, bad)) != NULL)
				return why;
	}
	*pos = i + len;
	return NULL;
}

/* The element at P, which has AVAIL bytes left in its container: its tag
 * in *TAG and its whole length (header and content) in *TOTAL. 0, or -1
 * when it does not fit or has a high tag number (never in a certificate's
 * outline). Bounds are checked here, whatever cf__der_check() said. */
static int
elem(const unsigned char *p, size_t avail, unsigned char *tag, size_t *total)
{
	size_t n, i, len, h;

	if (avail < 2 || (p[0] & 0x1f) == 0x1f)
		return -1;
	if (p[1] < 0x80) {
		h = 2;
		len = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n == 0 || n > 4 || avail < 2 + n)
			return -1;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		h = 2 + n;
	}
	if (len > avail - h)
		return -1;
	*tag = p[0];
	*total = h + len;
	return 0;
}

/* The header length of an element elem() accepted. */
static size_t
hdr_len(const unsigned char *p)
{
	return p[1] < 0x80 ? 2 : 2 + (size_t)(p[1] & 0x7f);
}

/* The TBSCertificate's elements: OFF[k] and LEN[k] for the first N
 * (after the optional [0] version), relative to P; the TBS's own start
 * and end; the outer signatureAlgorithm. Returns the number found. */
struct outline {
	int version;                      /* the [0] version's value, -1 when absent */
	size_t tbs, tbs_end, alg, alg_len;
	size_t off[7], len[7];
	unsigned char tag[7];
	int n;
};

static int
outline(const unsigned char *p, size_t len, struct outline *o)
{
	unsigned char tag;
	size_t total, q;

	memset(o, 0, sizeof *o);
	if (elem(p, len, &tag, &total) != 0 || tag != 0x30)
		return -1;
	o->tbs = hdr_len(p);
	if (elem(p + o->tbs, total - o->tbs, &tag, &total) != 0 || tag != 0x30)
		return -1;
	o->tbs_end = o->tbs + total;
	q = o->tbs + hdr_len(p + o->tbs);
	o->version = -1;
	if (q < o->tbs_end && elem(p + q, o->tbs_end - q, &tag, &total) == 0 && tag == 0xa0) {
		/* [0] { INTEGER v }: a one-octet value */
		if (total == 5 && p[q + 2] == 0x02 && p[q + 3] == 0x01)
			o->version = p[q + 4];
		else
			o->version = 99;
		q += total;
	}
	while (o->n < 7 && q < o->tbs_end && elem(p + q, o->tbs_end - q, &tag, &total) == 0) {
		o->off[o->n] = q;
		o->len[o->n] = total;
		o->tag[o->n++] = tag;
		q += total;
	}
	if (o->tbs_end < len && elem(p + o->tbs_end, len - o->tbs_end, &tag, &total) == 0 &&
	    tag == 0x30) {
		o->alg = o->tbs_end;
		o->alg_len = total;
	}
	return 0;
}

static int null_vs_absent(const unsigned char *a, size_t an, const unsigned char *b, size_t bn);

const char *
cf__der_cert_shape(const unsigned char *p, size_t len)
{
	struct outline o;

	if (outline(p, len, &o) != 0)
		return "the first element of the certificate is not a TBSCertificate SEQUENCE";
	if (o.n < 1 || o.tag[0] != 0x02)
		return "TBSCertificate has no serial number INTEGER";
	if (o.n < 2 || o.tag[1] != 0x30)
		return "TBSCertificate has no signature AlgorithmIdentifier";
	if (o.alg_len == 0)
		return "no signatureAlgorithm after the TBSCertificate";
	if ((o.len[1] != o.alg_len || memcmp(p + o.off[1], p + o.alg, o.alg_len) != 0) &&
	    !null_vs_absent(p + o.off[1], o.len[1], p + o.alg, o.alg_len))
		return "the signature algorithm inside TBSCertificate differs from the outer signatureAlgorithm";
	if (o.version == 0 && o.n >= 7 && o.tag[6] == 0xa3)    /* GnuTLS refuses this one */
		return "version v1 written out explicitly (DER omits a default value), with extensions";
	if ((o.version == -1 || o.version == 1) && o.n >= 7 && o.tag[6] == 0xa3)
		return "extensions in a certificate that is not version 3";
	return NULL;
}

int
cf__der_spki(const unsigned char *p, size_t len, size_t *off, size_t *n)
{
	struct outline o;

	/* serial, signature, issuer, validity, subject, then the SPKI */
	if (outline(p, len, &o) != 0 || o.n < 6 || o.tag[5] != 0x30)
		return -1;
	*off = o.off[5];
	*n = o.len[5];
	return 0;
}

int
cf__der_signed(const unsigned char *p, size_t len, struct cf__der_signed *s)
{
	struct outline o;
	const unsigned char *q, *e, *c;
	size_t qn, left, total, en, cn, at;
	unsigned char tag;
	int k;

	memset(s, 0, sizeof *s);
	if (outline(p, len, &o) != 0 || o.n < 6 || o.alg_len == 0)
		return -1;
	for (k = 6; k < o.n; k++)
		if (o.tag[k] != 0xa3 || k != o.n - 1)     /* unique identifiers, or more */
			return -1;
	at = o.alg + o.alg_len;
	if (elem(p + at, len - at, &tag, &total) != 0 || tag != 0x03 || at + total != len ||
	    cf__der_contents(p + at, len - at, &c, &cn) != 0x03 || cn < 2 || c[0] != 0)
		return -1;
	s->tbs = p + o.tbs;
	s->tbs_len = o.tbs_end - o.tbs;
	s->alg = p + o.alg;
	s->alg_len = o.alg_len;
	s->sig = c + 1;
	s->sig_len = cn - 1;
	if (o.n < 7)
		return 0;
	if (cf__der_contents(p + o.off[6], o.len[6], &q, &qn) != 0xa3 ||
	    cf__der_contents(q, qn, &e, &left) != 0x30)
		return -1;
	for (; left > 0; e += total, left -= total) {
		if (elem(e, left, &tag, &total) != 0 || cf__der_contents(e, left, &q, &qn) != 0x30 ||
		    elem(q, qn, &tag, &en) != 0 || tag != 0x06)
			return -1;
		/* critical: a BOOLEAN after the OID, and not FALSE */
		if (qn > en + 2 && q[en] == 0x01 && q[en + 1] == 0x01 && q[en + 2] != 0) {
			if (s->crit_len + en > sizeof s->crit)
				return -1;
			memcpy(s->crit + s->crit_len, q, en);
			s->crit_len += en;
		}
	}
	return 0;
}

/* N decimal digits at P: their value, or -1. */
static int
digits(const unsigned char *p, int n)
{
	int v = 0;

	while (n--) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return v;
}

int
cf__der_time(const unsigned char *p, size_t n, int64_t *out)
{
	const unsigned char *v;
	int y, mo, d, h, mi, se, yl;

	if (n < 2 || p[1] != n - 2)
		return -1;
	v = p + 2;
	if (p[0] == 0x17 && n - 2 == 13) {            /* UTCTime YYMMDDHHMMSSZ */
		yl = 2;
		y = digits(v, 2);
		y = y < 0 ? -1 : y >= 50 ? 1900 + y : 2000 + y;   /* RFC 5280 4.1.2.5.1 */
	} else if (p[0] == 0x18 && n - 2 == 15) {     /* GeneralizedTime YYYYMMDDHHMMSSZ */
		yl = 4;
		y = digits(v, 4);
	} else {
		return -1;
	}
	mo = digits(v + yl, 2);
	d = digits(v + yl + 2, 2);
	h = digits(v + yl + 4, 2);
	mi = digits(v + yl + 6, 2);
	se = digits(v + yl + 8, 2);
	/* year 0000 (proleptic Gregorian, a leap year) is a date openssl reads */
	if (!(y == 0 && yl == 4 ? cf__valid_date(2000, mo, d) : cf__valid_date(y, mo, d)) || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 || v[yl + 10] != 'Z')
		return -1;
	*out = cf__days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

int
cf__der_tbs(const unsigned char *p, size_t len, struct cf__der_tbs *t)
{
	struct outline o;
	unsigned char tag;
	size_t q, end, n1, n2;

	/* serial, signature, issuer, validity, subject */
	if (outline(p, len, &o) != 0 || o.n < 5 || o.tag[2] != 0x30 || o.tag[3] != 0x30 ||
	    o.tag[4] != 0x30)
		return -1;
	t->issuer = o.off[2];
	t->issuer_len = o.len[2];
	t->subject = o.off[4];
	t->subject_len = o.len[4];
	t->not_before = t->not_after = -1;
	q = o.off[3] + hdr_len(p + o.off[3]);
	end = o.off[3] + o.len[3];
	if (elem(p + q, end - q, &tag, &n1) == 0 && cf__der_time(p + q, n1, &t->not_before) == 0 &&
	    elem(p + q + n1, end - q - n1, &tag, &n2) == 0 &&
	    cf__der_time(p + q + n1, n2, &t->not_after) == 0 && q + n1 + n2 == end)
		return 0;
	t->not_before = t->not_after = -1;
	return 0;
}

int
cf__der_contents(const unsigned char *p, size_t avail, const unsigned char **c, size_t *n)
{
	unsigned char tag;
	size_t total;

	if (elem(p, avail, &tag, &total) != 0)
		return -1;
	*c = p + hdr_len(p);
	*n = total - hdr_len(p);
	return tag;
}

int
cf__der_extension(const unsigned char *p, size_t len, const unsigned char *oid, size_t oidlen,
    const unsigned char **val, size_t *n)
{
	struct outline o;
	const unsigned char *exts, *e, *q;
	size_t elen, left, total, qn, used;
	int k;
	unsigned char tag;

	if (outline(p, len, &o) != 0)
		return -1;
	for (k = 5; k < o.n && o.tag[k] != 0xa3; k++)
		;
	if (k >= o.n)
		return 0;
	/* [3] { Extensions ::= SEQUENCE OF Extension } */
	if (cf__der_contents(p + o.off[k], o.len[k], &q, &qn) != 0xa3 ||
	    cf__der_contents(q, qn, &exts, &left) != 0x30)
		return -1;
	for (e = exts; left > 0; e += total, left -= total) {
		/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT
		 * FALSE, extnValue OCTET STRING } */
		if (elem(e, left, &tag, &total) != 0 || tag != 0x30 || cf__der_contents(e, left, &q, &elen) != 0x30)
			return -1;
		if (cf__der_contents(q, elen, &q, &qn) != 0x06)
			return -1;
		used = (size_t)(q + qn - e) - hdr_len(e);
		if (qn != oidlen || memcmp(q, oid, oidlen) != 0)
			continue;
		q += qn;
		elen -= used;
		if (elen > 0 && q[0] == 0x01) {       /* critical */
			if (elem(q, elen, &tag, &total) != 0)
				return -1;
			q += total;
			elen -= total;
		}
		return cf__der_contents(q, elen, val, n) == 0x04 ? 1 : -1;
	}
	return 0;
}

const char *
cf__der_check_first(const unsigned char *p, size_t len, size_t *bad_offset, size_t *used)
{
	size_t pos = 0, bad = 0;
	const char *why;

	*bad_offset = 0;
	*used = 0;
	if (len == 0)
		return "no data";
	if (p[0] != 0x30)
		return "outer tag is not a SEQUENCE";
	if ((why = der_tlv(p, &pos, len, 0, &bad)) != NULL) {
		*bad_offset = bad;
		return why;
	}
	*used = pos;
	return NULL;
}

const char *
cf__der_check(const unsigned char *p, size_t len, size_t *bad_offset)
{
	size_t pos;
	const char *why = cf__der_check_first(p, len, bad_offset, &pos);

	if (why)
		return why;
	if (pos != len) {
		*bad_offset = pos;
		return "trailing bytes after the certificate";
	}
	return NULL;
}

/* The elements of the SEQUENCE at P[0..LEN): up to 8 of them as whole
 * TLVs (tag, start relative to P, total length). The count, or -1. */
struct kids {
	unsigned char tag[8];
	size_t at[8], len[8];
	int n, ints;              /* all the elements, and how many are INTEGERs */
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
		if (elem(c, cn, &t, &total) != 0)
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

	if (i >= k->n || i >= 8 || cf__der_contents(p + k->at[i], k->len[i], &c, &n) != 0x02 || n != 1)
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
	static const unsigned char signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
	static const unsigned char pkcs7[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07 };
	struct kids k, t, ci;
	int i, ints, v;

	if (children(p, len, &k) < 1)
		return CF__DER_UNKNOWN;
	ints = k.ints;
	if (k.tag[0] == 0x06)
		return oid_is(p, &k, 0, signed_data, sizeof signed_data) ? CF__DER_PKCS7 : CF__DER_UNKNOWN;
	if (k.tag[0] == 0x02) {
		v = small_int(p, &k, 0);
		if (k.n >= 3 && (v == 0 || v == 1) && k.tag[1] == 0x30 && k.tag[2] == 0x04)
			return CF__DER_PKCS8;
		/* PFX: version 3, authSafe ContentInfo { a PKCS#7 content type } */
		if (k.n >= 2 && v == 3 && k.tag[1] == 0x30 &&
		    children(p + k.at[1], k.len[1], &ci) >= 1 && oid_is(p + k.at[1], &ci, 0, pkcs7, sizeof pkcs7))
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
	if (k.n != 3 || k.tag[1] != 0x30 || k.tag[2] != 0x03 || children(p + k.at[0], k.len[0], &t) < 1)
		return CF__DER_UNKNOWN;
	/* a signed object: its first element tells a certificate (a [0]
	 * version or a serial, then validity SEQUENCE), a CRL (a Time after
	 * the issuer) and a request (version, subject, key, [0] attributes) apart */
	if (t.tag[0] == 0xa0)
		return CF__DER_CERT;
	for (i = 0; i < t.n && i < 5; i++)
		if (t.tag[i] == 0x17 || t.tag[i] == 0x18)
			return CF__DER_CRL;
	if (t.n == 4 && t.tag[0] == 0x02 && t.tag[1] == 0x30 && t.tag[2] == 0x30 && t.tag[3] == 0xa0)
		return CF__DER_CSR;
	return CF__DER_CERT;
}

static int take(const unsigned char **p, size_t *avail, unsigned char tag, const unsigned char **c,
    size_t *n);

/* The contents of the element at *P (AVAIL left) when its tag is TAG: *C,
 * *N, and *P moved past it. 0, or -1. */
static int
take(const unsigned char **p, size_t *avail, unsigned char tag, const unsigned char **c, size_t *n)
{
	unsigned char t;
	size_t total;

	if (*avail == 0 || elem(*p, *avail, &t, &total) != 0 || t != tag)
		return -1;
	*c = *p + hdr_len(*p);
	*n = total - hdr_len(*p);
	*p += total;
	*avail -= total;
	return 0;
}

/* ECPrivateKey (SEC 1): version 1, the scalar, [0] the curve, [1] the
 * public key; *OID is left as is when [0] is absent. */
static int
sec1(const unsigned char *p, size_t len, const unsigned char **oid, size_t *oidlen,
    const unsigned char **pub, size_t *publen, const unsigned char **d, size_t *dlen)
{
	const unsigned char *c, *x, *y;
	size_t n, xn, yn;

	if (take(&p, &len, 0x30, &c, &n) != 0 || take(&c, &n, 0x02, &x, &xn) != 0 || xn != 1 || x[0] != 1 ||
	    take(&c, &n, 0x04, d, dlen) != 0)
		return -1;
	if (take(&c, &n, 0xa0, &x, &xn) == 0 && take(&x, &xn, 0x06, &y, &yn) == 0) {
		*oid = y;
		*oidlen = yn;
	}
	if (take(&c, &n, 0xa1, &x, &xn) == 0 && take(&x, &xn, 0x03, &y, &yn) == 0 && yn > 1) {
		*pub = y;
		*publen = yn;
	}
	return 0;
}

int
cf__der_ec_private_key(const unsigned char *p, size_t len, const unsigned char **oid, size_t *oidlen,
    const unsigned char **pub, size_t *publen, const unsigned char **d, size_t *dlen)
{
	static const unsigned char ec_public_key[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
	const unsigned char *c, *x, *a, *o;
	size_t n, xn, an, on;

	*oid = *pub = NULL;
	*oidlen = *publen = 0;
	if (sec1(p, len, oid, oidlen, pub, publen, d, dlen) == 0)
		return *oid ? 0 : -1;
	/* PrivateKeyInfo { version, AlgorithmIdentifier { id-ecPublicKey, curve }, OCTET STRING { SEC 1 } } */
	if (take(&p, &len, 0x30, &c, &n) != 0 || take(&c, &n, 0x02, &x, &xn) != 0 ||
	    take(&c, &n, 0x30, &a, &an) != 0 || take(&a, &an, 0x06, &o, &on) != 0 ||
	    on != sizeof ec_public_key || memcmp(o, ec_public_key, on) != 0 ||
	    take(&a, &an, 0x06, oid, oidlen) != 0 || take(&c, &n, 0x04, &x, &xn) != 0)
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
	static const unsigned char ec_public_key[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
	struct cf__buf alg = {0};
	size_t alg_total;
	int rc;

	/* AlgorithmIdentifier { id-ecPublicKey, namedCurve } */
	rc = cf__buf_add(&alg, ec_public_key, sizeof ec_public_key) || cf__buf_add(&alg, "\x06", 1) ||
	    put_len(&alg, oidlen) || cf__buf_add(&alg, oid, oidlen);
	alg_total = 1 + (alg.len < 0x80 ? 1 : 2) + alg.len;
	/* SubjectPublicKeyInfo { algorithm, BIT STRING (its unused-bits byte in PUB) } */
	rc = rc || cf__buf_add(out, "\x30", 1) ||
	    put_len(out, alg_total + 1 + (publen < 0x80 ? 1 : publen < 0x100 ? 2 : 3) + publen) ||
	    cf__buf_add(out, "\x30", 1) || put_len(out, alg.len) || cf__buf_add(out, alg.data, alg.len) ||
	    cf__buf_add(out, "\x03", 1) || put_len(out, publen) || cf__buf_add(out, pub, publen);
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
	static const struct { const char *name; unsigned char oid[12]; size_t n; } curves[] = {
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

int
cf__der_spki_alg(const unsigned char *p, size_t len, const unsigned char **alg, size_t *alglen,
    const unsigned char **param, size_t *paramlen)
{
	const unsigned char *c, *a;
	size_t n, an;

	*param = NULL;
	*paramlen = 0;
	if (take(&p, &len, 0x30, &c, &n) != 0 || take(&c, &n, 0x30, &a, &an) != 0 ||
	    take(&a, &an, 0x06, alg, alglen) != 0)
		return -1;
	if (an > 0 && a[0] == 0x06)
		take(&a, &an, 0x06, param, paramlen);
	return 0;
}

/* The worst of a DER lint so far: the first reason of each kind. */
struct lint {
	const char *noncanon, *invalid;
	size_t noncanon_at, invalid_at;
};

static void
lint_note(struct lint *l, int invalid, const char *why, size_t at)
{
	if (invalid && l->invalid == NULL)
		l->invalid = why, l->invalid_at = at;
	else if (!invalid && l->noncanon == NULL)
		l->noncanon = why, l->noncanon_at = at;
}

/* Compare two DER encodings as SET OF orders them. */
static int
der_order(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : an < bn ? -1 : an > bn;
}

/* The TLVs of P[0..LEN) (BASE: their offset in the whole). */
static void
lint_tlvs(const unsigned char *p, size_t len, size_t base, struct lint *l, int depth)
{
	const unsigned char *c, *prev = NULL;
	size_t q = 0, total, n, h, off, prevn = 0, bad;
	unsigned char tag;

	if (depth > 64)
		return;
	while (q < len && elem(p + q, len - q, &tag, &total) == 0) {
		h = hdr_len(p + q);
		c = p + q + h;
		n = total - h;
		off = base + q;
		switch (tag) {
		case 0x01:
			if (n != 1)
				lint_note(l, 1, "a BOOLEAN that is not one byte long", off);
			else if (c[0] == 0x00)
				lint_note(l, 0, "a BOOLEAN FALSE written out (DER omits a DEFAULT FALSE value: an "
				    "explicit critical FALSE or cA FALSE)", off);
			else if (c[0] != 0xff)
				lint_note(l, 0, "a BOOLEAN TRUE encoded as a byte other than 0xff (BER, not DER)", off);
			break;
		case 0x02:
			if (n == 0)
				lint_note(l, 1, "an empty INTEGER", off);
			else if (n > 1 && ((c[0] == 0x00 && !(c[1] & 0x80)) || (c[0] == 0xff && (c[1] & 0x80))))
				lint_note(l, 1, "an INTEGER with a redundant leading byte (not minimal; OpenSSL "
				    "refuses it)", off);
			break;
		case 0x03:
			if (n == 0)
				lint_note(l, 1, "an empty BIT STRING (no unused-bits byte)", off);
			else if (c[0] > 7)
				lint_note(l, 1, "a BIT STRING claiming more than 7 unused bits (OpenSSL refuses it)", off);
			else if (n == 1 && c[0] != 0)
				lint_note(l, 1, "an empty BIT STRING claiming unused bits", off);
			else if (c[0] && (c[n - 1] & ((1u << c[0]) - 1)))
				lint_note(l, 0, "a BIT STRING whose unused bits are not zero", off);
			break;
		case 0x04: {      /* an extension's value: DER inside */
			const char *inner = n > 1 && c[0] == 0x30 ? cf__der_check(c, n, &bad) : "";
			if (inner == NULL)
				lint_tlvs(c, n, off + h, l, depth + 1);
			else if (strcmp(inner, "non-minimal length encoding") == 0)
				/* GnuTLS and OpenSSL read the extension all the same */
				lint_note(l, 0, "an extension value with a non-minimal length (BER, not DER)",
				    off + h + bad);
			break;
		}
		default:
			break;
		}
		if (tag & 0x20) {
			if (tag == 0x31) {        /* SET OF: elements in DER order */
				const unsigned char *e = c;
				size_t left = n, et;
				unsigned char t2;
				prev = NULL;
				while (left > 0 && elem(e, left, &t2, &et) == 0) {
					if (prev && der_order(prev, prevn, e, et) > 0)
						lint_note(l, 0, "a SET OF whose elements are not in DER order", off);
					prev = e;
					prevn = et;
					e += et;
					left -= et;
				}
			}
			lint_tlvs(c, n, off + h, l, depth + 1);
		}
		q += total;
	}
}

/* Are two AlgorithmIdentifiers the same but for NULL parameters in one
 * and none in the other? */
static int
null_vs_absent(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	const unsigned char *ac, *bc, *ao, *bo;
	size_t acn, bcn, aon, bon;

	if (take(&a, &an, 0x30, &ac, &acn) != 0 || take(&b, &bn, 0x30, &bc, &bcn) != 0 ||
	    take(&ac, &acn, 0x06, &ao, &aon) != 0 || take(&bc, &bcn, 0x06, &bo, &bon) != 0 ||
	    aon != bon || memcmp(ao, bo, aon) != 0)
		return 0;
	return (acn == 2 && ac[0] == 0x05 && ac[1] == 0 && bcn == 0) ||
	    (bcn == 2 && bc[0] == 0x05 && bc[1] == 0 && acn == 0);
}

int
cf__der_lint(const unsigned char *p, size_t len, const char **why, size_t *at)
{
	struct lint l = {0};
	struct outline o;

	lint_tlvs(p, len, 0, &l, 0);
	if (l.invalid == NULL && outline(p, len, &o) == 0 && o.n >= 2 && o.alg_len &&
	    null_vs_absent(p + o.off[1], o.len[1], p + o.alg, o.alg_len))
		lint_note(&l, 0, "NULL parameters in one signature algorithm and none in the other "
		    "(TBSCertificate and signatureAlgorithm must be the same bytes)", o.alg);
	/* GnuTLS and OpenSSL load it: not canonical, not invalid */
	if (l.invalid == NULL && outline(p, len, &o) == 0 && o.version == 0)
		lint_note(&l, 0, "version v1 written out explicitly (DER omits a default value)",
		    hdr_len(p) + hdr_len(p + hdr_len(p)));
	*why = l.invalid ? l.invalid : l.noncanon;
	*at = l.invalid ? l.invalid_at : l.noncanon_at;
	return l.invalid ? -1 : l.noncanon ? 1 : 0;
}


/* Extensions RFC 5280 and the CA/Browser Forum define that a TLS stack may
 * meet marked critical: an OID's contents bytes. Any other critical one is
 * unknown to the relying party, which must then refuse the certificate. */
static const struct { unsigned char n; unsigned char oid[10]; } known_exts[] = {
	{ 3, { 0x55, 0x1d, 0x0f } },  /* keyUsage */
	{ 3, { 0x55, 0x1d, 0x11 } },  /* subjectAltName */
	{ 3, { 0x55, 0x1d, 0x12 } },  /* issuerAltName */
	{ 3, { 0x55, 0x1d, 0x13 } },  /* basicConstraints */
	{ 3, { 0x55, 0x1d, 0x1e } },  /* nameConstraints */
	{ 3, { 0x55, 0x1d, 0x20 } },  /* certificatePolicies */
	{ 3, { 0x55, 0x1d, 0x21 } },  /* policyMappings */
	{ 3, { 0x55, 0x1d, 0x24 } },  /* policyConstraints */
	{ 3, { 0x55, 0x1d, 0x25 } },  /* extKeyUsage */
	{ 3, { 0x55, 0x1d, 0x36 } },  /* inhibitAnyPolicy */
	{ 3, { 0x55, 0x1d, 0x09 } },  /* subjectDirectoryAttributes */
	{ 8, { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18 } },  /* TLS feature (must-staple) */
};

static int
known_ext(const unsigned char *oid, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof known_exts / sizeof known_exts[0]; i++)
		if (known_exts[i].n == n && memcmp(known_exts[i].oid, oid, n) == 0)
			return 1;
	return 0;
}

int
cf__der_profile(const unsigned char *p, size_t len, char *why, size_t n)
{
	struct outline o;
	const unsigned char *c, *exts, *e, *q;
	unsigned char tag;
	size_t cn, left, total, en, qn, k;
	int has_san = 0, crit_unknown = 0;
	char oid[64] = "";

	if (outline(p, len, &o) != 0 || o.n < 6)
		return 0;
	/* serialNumber: a positive INTEGER of at most 20 octets */
	if (cf__der_contents(p + o.off[0], o.len[0], &c, &cn) == 0x02 && cn > 0) {
		if (cn == 1 && c[0] == 0) {
			snprintf(why, n, "serial number zero (RFC 5280 4.1.2.2: a positive integer)");
			return 1;
		}
		if (c[0] & 0x80) {
			snprintf(why, n, "negative serial number (RFC 5280 4.1.2.2: a positive integer)");
			return 1;
		}
		if (cn > 20) {
			snprintf(why, n, "serial number of %zu octets (RFC 5280 4.1.2.2: at most 20)", cn);
			return 1;
		}
	}
	if (o.version > 2) {
		snprintf(why, n, "version value %d: X.509 has versions 1 to 3 (values 0 to 2)", o.version);
		return 1;
	}
	/* validity: dates through 2049 as UTCTime (RFC 5280 4.1.2.5) */
	if (o.tag[3] == 0x30 && cf__der_contents(p + o.off[3], o.len[3], &c, &cn) == 0x30) {
		for (k = 0; k < 2 && cn > 0; k++) {
			if (elem(c, cn, &tag, &total) != 0)
				break;
			if (tag == 0x18 && total >= hdr_len(c) + 4 && isdigit(c[hdr_len(c)]) &&
			    isdigit(c[hdr_len(c) + 1]) && isdigit(c[hdr_len(c) + 2]) && isdigit(c[hdr_len(c) + 3])) {
				const unsigned char *y = c + hdr_len(c);
				int year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
				if (year < 2050) {
					snprintf(why, n, "%s %d written as GeneralizedTime (RFC 5280 4.1.2.5: UTCTime "
					    "through 2049)", k ? "notAfter" : "notBefore", year);
					return 1;
				}
			}
			c += total;
			cn -= total;
		}
	}
	/* extensions: an unknown critical one; is there a SAN? */
	for (k = 5; k < (size_t)o.n && o.tag[k] != 0xa3; k++)
		;
	if (k < (size_t)o.n && cf__der_contents(p + o.off[k], o.len[k], &q, &qn) == 0xa3 &&
	    cf__der_contents(q, qn, &exts, &left) == 0x30) {
		for (e = exts; left > 0; e += total, left -= total) {
			const unsigned char *x, *id;
			size_t xn, idn;
			if (elem(e, left, &tag, &total) != 0 || cf__der_contents(e, left, &x, &xn) != 0x30 ||
			    cf__der_contents(x, xn, &id, &idn) != 0x06)
				break;
			if (idn == 3 && memcmp(id, "\x55\x1d\x11", 3) == 0)
				has_san = 1;
			en = (size_t)(id + idn - x);
			if (en + 3 <= xn && x[en] == 0x01 && x[en + 1] == 0x01 && x[en + 2] != 0 &&
			    !known_ext(id, idn) && !crit_unknown) {
				crit_unknown = 1;
				cf__oid_text(id, idn, oid, sizeof oid);
			}
		}
	}
	if (crit_unknown) {
		snprintf(why, n, "an unknown extension %s marked critical (RFC 5280 4.2: a relying party "
		    "must refuse it)", oid);
		return 1;
	}
	/* subject: an empty Name needs a subjectAltName (RFC 5280 4.1.2.6) */
	if (o.tag[4] == 0x30 && cf__der_contents(p + o.off[4], o.len[4], &c, &cn) == 0x30 && cn == 0 &&
	    !has_san) {
		snprintf(why, n, "empty subject without subjectAltName (RFC 5280 4.1.2.6)");
		return 1;
	}
	return 0;
}
