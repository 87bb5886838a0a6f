/*
 * der_cert.c - the outline of a Certificate (TBS, serial, inner and outer
 * signature algorithms equal), where its SubjectPublicKeyInfo, signed
 * parts, times and extensions lie.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/der.h"

/* The outline of the Certificate at P[0..LEN) into O (see struct outline):
 * the number of TBS elements found. */
int
cf__der_outline(const unsigned char *p, size_t len, struct outline *o)
{
	unsigned char tag;
	size_t total, q;

	memset(o, 0, sizeof *o);
	if (cf__der_elem(p, len, &tag, &total) != 0 || tag != 0x30)
		return -1;
	o->tbs = cf__der_hdr_len(p);
	if (cf__der_elem(p + o->tbs, total - o->tbs, &tag, &total) != 0 || tag != 0x30)
		return -1;
	o->tbs_end = o->tbs + total;
	q = o->tbs + cf__der_hdr_len(p + o->tbs);
	o->version = -1;
	if (q < o->tbs_end && cf__der_elem(p + q, o->tbs_end - q, &tag, &total) == 0 &&
	    tag == 0xa0) {
		/* [0] { INTEGER v }: a one-octet value */
		if (total == 5 && p[q + 2] == 0x02 && p[q + 3] == 0x01)
			o->version = p[q + 4];
		else
			o->version = 99;
		q += total;
	}
	while (
	    o->n < 7 && q < o->tbs_end && cf__der_elem(p + q, o->tbs_end - q, &tag, &total) == 0) {
		o->off[o->n] = q;
		o->len[o->n] = total;
		o->tag[o->n++] = tag;
		q += total;
	}
	if (o->tbs_end < len && cf__der_elem(p + o->tbs_end, len - o->tbs_end, &tag, &total) == 0 &&
	    tag == 0x30) {
		o->alg = o->tbs_end;
		o->alg_len = total;
	}
	return 0;
}

/* Are two AlgorithmIdentifiers the same but for NULL parameters in one
 * and none in the other? */
int
cf__der_null_vs_absent(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	const unsigned char *ac, *bc, *ao, *bo;
	size_t acn, bcn, aon, bon;

	if (cf__der_take(&a, &an, 0x30, &ac, &acn) != 0 ||
	    cf__der_take(&b, &bn, 0x30, &bc, &bcn) != 0 ||
	    cf__der_take(&ac, &acn, 0x06, &ao, &aon) != 0 ||
	    cf__der_take(&bc, &bcn, 0x06, &bo, &bon) != 0 || aon != bon || memcmp(ao, bo, aon) != 0)
		return 0;
	return (acn == 2 && ac[0] == 0x05 && ac[1] == 0 && bcn == 0) ||
	    (bcn == 2 && bc[0] == 0x05 && bc[1] == 0 && acn == 0);
}

const char *
cf__der_cert_shape(const unsigned char *p, size_t len)
{
	struct outline o;

	if (cf__der_outline(p, len, &o) != 0)
		return "the first element of the certificate is not a TBSCertificate SEQUENCE";
	if (o.n < 1 || o.tag[0] != 0x02)
		return "TBSCertificate has no serial number INTEGER";
	if (o.n < 2 || o.tag[1] != 0x30)
		return "TBSCertificate has no signature AlgorithmIdentifier";
	if (o.alg_len == 0)
		return "no signatureAlgorithm after the TBSCertificate";
	if ((o.len[1] != o.alg_len || memcmp(p + o.off[1], p + o.alg, o.alg_len) != 0) &&
	    !cf__der_null_vs_absent(p + o.off[1], o.len[1], p + o.alg, o.alg_len))
		return "the signature algorithm inside TBSCertificate differs from the outer "
		       "signatureAlgorithm";
	if (o.version == 0 && o.n >= 7 && o.tag[6] == 0xa3) /* GnuTLS refuses this one */
		return "version v1 written out explicitly (DER omits a default value), with "
		       "extensions";
	if ((o.version == -1 || o.version == 1) && o.n >= 7 && o.tag[6] == 0xa3)
		return "extensions in a certificate that is not version 3";
	return NULL;
}

int
cf__der_spki(const unsigned char *p, size_t len, size_t *off, size_t *n)
{
	struct outline o;

	/* serial, signature, issuer, validity, subject, then the SPKI */
	if (cf__der_outline(p, len, &o) != 0 || o.n < 6 || o.tag[5] != 0x30)
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
	if (cf__der_outline(p, len, &o) != 0 || o.n < 6 || o.alg_len == 0)
		return -1;
	for (k = 6; k < o.n; k++)
		if (o.tag[k] != 0xa3 || k != o.n - 1) /* unique identifiers, or more */
			return -1;
	at = o.alg + o.alg_len;
	if (cf__der_elem(p + at, len - at, &tag, &total) != 0 || tag != 0x03 || at + total != len ||
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
		if (cf__der_elem(e, left, &tag, &total) != 0 ||
		    cf__der_contents(e, left, &q, &qn) != 0x30 ||
		    cf__der_elem(q, qn, &tag, &en) != 0 || tag != 0x06)
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
	if (p[0] == 0x17 && n - 2 == 13) { /* UTCTime YYMMDDHHMMSSZ */
		yl = 2;
		y = digits(v, 2);
		y = y < 0 ? -1 : y >= 50 ? 1900 + y : 2000 + y; /* RFC 5280 4.1.2.5.1 */
	} else if (p[0] == 0x18 && n - 2 == 15) { /* GeneralizedTime YYYYMMDDHHMMSSZ */
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
	if (!(y == 0 && yl == 4 ? cf__valid_date(2000, mo, d) : cf__valid_date(y, mo, d)) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 || v[yl + 10] != 'Z')
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
	if (cf__der_outline(p, len, &o) != 0 || o.n < 5 || o.tag[2] != 0x30 || o.tag[3] != 0x30 ||
	    o.tag[4] != 0x30)
		return -1;
	t->issuer = o.off[2];
	t->issuer_len = o.len[2];
	t->subject = o.off[4];
	t->subject_len = o.len[4];
	t->not_before = t->not_after = -1;
	q = o.off[3] + cf__der_hdr_len(p + o.off[3]);
	end = o.off[3] + o.len[3];
	if (cf__der_elem(p + q, end - q, &tag, &n1) == 0 &&
	    cf__der_time(p + q, n1, &t->not_before) == 0 &&
	    cf__der_elem(p + q + n1, end - q - n1, &tag, &n2) == 0 &&
	    cf__der_time(p + q + n1, n2, &t->not_after) == 0 && q + n1 + n2 == end)
		return 0;
	t->not_before = t->not_after = -1;
	return 0;
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

	if (cf__der_outline(p, len, &o) != 0)
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
		if (cf__der_elem(e, left, &tag, &total) != 0 || tag != 0x30 ||
		    cf__der_contents(e, left, &q, &elen) != 0x30)
			return -1;
		if (cf__der_contents(q, elen, &q, &qn) != 0x06)
			return -1;
		used = (size_t)(q + qn - e) - cf__der_hdr_len(e);
		if (qn != oidlen || memcmp(q, oid, oidlen) != 0)
			continue;
		q += qn;
		elen -= used;
		if (elen > 0 && q[0] == 0x01) { /* critical */
			if (cf__der_elem(q, elen, &tag, &total) != 0)
				return -1;
			q += total;
			elen -= total;
		}
		return cf__der_contents(q, elen, val, n) == 0x04 ? 1 : -1;
	}
	return 0;
}

int
cf__der_spki_alg(const unsigned char *p, size_t len, const unsigned char **alg, size_t *alglen,
    const unsigned char **param, size_t *paramlen)
{
	const unsigned char *c, *a;
	size_t n, an;

	*param = NULL;
	*paramlen = 0;
	if (cf__der_take(&p, &len, 0x30, &c, &n) != 0 || cf__der_take(&c, &n, 0x30, &a, &an) != 0 ||
	    cf__der_take(&a, &an, 0x06, alg, alglen) != 0)
		return -1;
	if (an > 0 && a[0] == 0x06)
		cf__der_take(&a, &an, 0x06, param, paramlen);
	return 0;
}
