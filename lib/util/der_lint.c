/*
 * der_lint.c - how far a certificate is from canonical DER (what GnuTLS
 * re-encodes, what it refuses), and the RFC 5280 profile faults a relying
 * party refuses (tls-cert-profile).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/der.h"

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
	while (q < len && cf__der_elem(p + q, len - q, &tag, &total) == 0) {
		h = cf__der_hdr_len(p + q);
		c = p + q + h;
		n = total - h;
		off = base + q;
		switch (tag) {
		case 0x01:
			if (n != 1)
				lint_note(l, 1, "a BOOLEAN that is not one byte long", off);
			else if (c[0] == 0x00)
				lint_note(l, 0,
				    "a BOOLEAN FALSE written out (DER omits a DEFAULT FALSE value: "
				    "an "
				    "explicit critical FALSE or cA FALSE)",
				    off);
			else if (c[0] != 0xff)
				lint_note(l, 0,
				    "a BOOLEAN TRUE encoded as a byte other than 0xff (BER, not "
				    "DER)",
				    off);
			break;
		case 0x02:
			if (n == 0)
				lint_note(l, 1, "an empty INTEGER", off);
			else if (n > 1 &&
			    ((c[0] == 0x00 && !(c[1] & 0x80)) || (c[0] == 0xff && (c[1] & 0x80))))
				lint_note(l, 1,
				    "an INTEGER with a redundant leading byte (not minimal; "
				    "OpenSSL "
				    "refuses it)",
				    off);
			break;
		case 0x03:
			if (n == 0)
				lint_note(l, 1, "an empty BIT STRING (no unused-bits byte)", off);
			else if (c[0] > 7)
				lint_note(l, 1,
				    "a BIT STRING claiming more than 7 unused bits (OpenSSL "
				    "refuses it)",
				    off);
			else if (n == 1 && c[0] != 0)
				lint_note(l, 1, "an empty BIT STRING claiming unused bits", off);
			else if (c[0] && (c[n - 1] & ((1u << c[0]) - 1)))
				lint_note(l, 0, "a BIT STRING whose unused bits are not zero", off);
			break;
		case 0x04: { /* an extension's value: DER inside */
			const char *inner = n > 1 && c[0] == 0x30 ? cf__der_check(c, n, &bad) : "";
			if (inner == NULL)
				lint_tlvs(c, n, off + h, l, depth + 1);
			else if (strcmp(inner, "non-minimal length encoding") == 0)
				/* GnuTLS and OpenSSL read the extension all the same */
				lint_note(l, 0,
				    "an extension value with a non-minimal length (BER, not DER)",
				    off + h + bad);
			break;
		}
		default: break;
		}
		if (tag & 0x20) {
			if (tag == 0x31) { /* SET OF: elements in DER order */
				const unsigned char *e = c;
				size_t left = n, et;
				unsigned char t2;
				prev = NULL;
				while (left > 0 && cf__der_elem(e, left, &t2, &et) == 0) {
					if (prev && der_order(prev, prevn, e, et) > 0)
						lint_note(l, 0,
						    "a SET OF whose elements are not in DER order",
						    off);
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

int
cf__der_lint(const unsigned char *p, size_t len, const char **why, size_t *at)
{
	struct lint l = { 0 };
	struct outline o;

	lint_tlvs(p, len, 0, &l, 0);
	if (l.invalid == NULL && cf__der_outline(p, len, &o) == 0 && o.n >= 2 && o.alg_len &&
	    cf__der_null_vs_absent(p + o.off[1], o.len[1], p + o.alg, o.alg_len))
		lint_note(&l, 0,
		    "NULL parameters in one signature algorithm and none in the other "
		    "(TBSCertificate and signatureAlgorithm must be the same bytes)",
		    o.alg);
	/* GnuTLS and OpenSSL load it: not canonical, not invalid */
	if (l.invalid == NULL && cf__der_outline(p, len, &o) == 0 && o.version == 0)
		lint_note(&l, 0, "version v1 written out explicitly (DER omits a default value)",
		    cf__der_hdr_len(p) + cf__der_hdr_len(p + cf__der_hdr_len(p)));
	*why = l.invalid ? l.invalid : l.noncanon;
	*at = l.invalid ? l.invalid_at : l.noncanon_at;
	return l.invalid ? -1 : l.noncanon ? 1 : 0;
}

/* Extensions RFC 5280 and the CA/Browser Forum define that a TLS stack may
 * meet marked critical: an OID's contents bytes. Any other critical one is
 * unknown to the relying party, which must then refuse the certificate. */
static const struct {
	unsigned char n;
	unsigned char oid[10];
} known_exts[] = {
	{ 3, { 0x55, 0x1d, 0x0f } },                               /* keyUsage */
	{ 3, { 0x55, 0x1d, 0x11 } },                               /* subjectAltName */
	{ 3, { 0x55, 0x1d, 0x12 } },                               /* issuerAltName */
	{ 3, { 0x55, 0x1d, 0x13 } },                               /* basicConstraints */
	{ 3, { 0x55, 0x1d, 0x1e } },                               /* nameConstraints */
	{ 3, { 0x55, 0x1d, 0x20 } },                               /* certificatePolicies */
	{ 3, { 0x55, 0x1d, 0x21 } },                               /* policyMappings */
	{ 3, { 0x55, 0x1d, 0x24 } },                               /* policyConstraints */
	{ 3, { 0x55, 0x1d, 0x25 } },                               /* extKeyUsage */
	{ 3, { 0x55, 0x1d, 0x36 } },                               /* inhibitAnyPolicy */
	{ 3, { 0x55, 0x1d, 0x09 } },                               /* subjectDirectoryAttributes */
	{ 8, { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x18 } }, /* TLS feature (must-staple) */
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

	if (cf__der_outline(p, len, &o) != 0 || o.n < 6)
		return 0;
	/* serialNumber: a positive INTEGER of at most 20 octets */
	if (cf__der_contents(p + o.off[0], o.len[0], &c, &cn) == 0x02 && cn > 0) {
		if (cn == 1 && c[0] == 0) {
			snprintf(
			    why, n, "serial number zero (RFC 5280 4.1.2.2: a positive integer)");
			return 1;
		}
		if (c[0] & 0x80) {
			snprintf(why, n,
			    "negative serial number (RFC 5280 4.1.2.2: a positive integer)");
			return 1;
		}
		if (cn > 20) {
			snprintf(why, n,
			    "serial number of %zu octets (RFC 5280 4.1.2.2: at most 20)", cn);
			return 1;
		}
	}
	if (o.version > 2) {
		snprintf(why, n, "version value %d: X.509 has versions 1 to 3 (values 0 to 2)",
		    o.version);
		return 1;
	}
	/* validity: dates through 2049 as UTCTime (RFC 5280 4.1.2.5) */
	if (o.tag[3] == 0x30 && cf__der_contents(p + o.off[3], o.len[3], &c, &cn) == 0x30) {
		for (k = 0; k < 2 && cn > 0; k++) {
			if (cf__der_elem(c, cn, &tag, &total) != 0)
				break;
			if (tag == 0x18 && total >= cf__der_hdr_len(c) + 4 &&
			    isdigit(c[cf__der_hdr_len(c)]) && isdigit(c[cf__der_hdr_len(c) + 1]) &&
			    isdigit(c[cf__der_hdr_len(c) + 2]) &&
			    isdigit(c[cf__der_hdr_len(c) + 3])) {
				const unsigned char *y = c + cf__der_hdr_len(c);
				int year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 +
				    (y[2] - '0') * 10 + (y[3] - '0');
				if (year < 2050) {
					snprintf(why, n,
					    "%s %d written as GeneralizedTime (RFC 5280 4.1.2.5: "
					    "UTCTime "
					    "through 2049)",
					    k ? "notAfter" : "notBefore", year);
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
			if (cf__der_elem(e, left, &tag, &total) != 0 ||
			    cf__der_contents(e, left, &x, &xn) != 0x30 ||
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
		snprintf(why, n,
		    "an unknown extension %s marked critical (RFC 5280 4.2: a relying party "
		    "must refuse it)",
		    oid);
		return 1;
	}
	/* subject: an empty Name needs a subjectAltName (RFC 5280 4.1.2.6) */
	if (o.tag[4] == 0x30 && cf__der_contents(p + o.off[4], o.len[4], &c, &cn) == 0x30 &&
	    cn == 0 && !has_san) {
		snprintf(why, n, "empty subject without subjectAltName (RFC 5280 4.1.2.6)");
		return 1;
	}
	return 0;
}
