/*
 * fixtures.c - `certfleet-gen fixtures OUTDIR`: the catalogue of
 * the fixture catalogue (classes public X.509 test suites cover) that one file can carry, each with
 * the findings a correct scan reports (scanned as one node, --soon 30d, --max-validity 397, at the
 * generator's --now), written to manifest.json.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include <jansson.h>

#include "gen.h"

#include <gnutls/crypto.h>
#include <gnutls/pkcs7.h>
#include <gnutls/pkcs12.h>

#define DAY 86400LL

/* What every fixture can be made from. */
struct kit {
	const struct gen *g;
	struct gkey ed, p256, rsa, other, rsa1024;
	struct gkey chain_leaf, rsa_leaf, rsa_null; /* keys of one certificate each */
	struct gbuf leaf, leaf_p256, leaf_rsa, ca;  /* DER */
	gnutls_x509_crt_t ca_crt;
};

struct fixture;
typedef int (*make_fn)(struct kit *k, const struct fixture *f, struct gbuf *out);

struct fixture {
	const char *file, *class, *desc;
	make_fn make;
	const char *expect; /* "check@index ..." on this file, or "" */
	long long a, b;     /* builder parameters */
	const char *s;      /* builder text parameter */
	const char *reason; /* invalid ones: what the scan's message must say */
};

/* ---- text helpers ------------------------------------------------------------- */

static int
pem_of(const struct gbuf *der, struct gbuf *out)
{
	return pem_wrap(der->p, der->n, "CERTIFICATE", 64, "\n", out);
}

/* Replace the first occurrence of FROM in B with TO. */
static int
replace(struct gbuf *b, const char *from, const char *to)
{
	char *at = memmem(b->p, b->n, from, strlen(from));
	struct gbuf o = { 0 };

	if (at == NULL)
		return -1;
	gbuf_add(&o, b->p, (size_t)((unsigned char *)at - b->p));
	gbuf_str(&o, to);
	gbuf_str(&o, at + strlen(from));
	gbuf_free(b);
	*b = o;
	return 0;
}

/* Offset of the start of body line N (1-based) of a canonical PEM. */
static size_t
body_line(const struct gbuf *b, int n)
{
	size_t i = 0;

	for (; n > 0; n--)
		i = (size_t)((unsigned char *)memchr(b->p + i, '\n', b->n - i) - b->p) + 1;
	return i;
}

static int
insert_at(struct gbuf *b, size_t at, const void *p, size_t n)
{
	struct gbuf o = { 0 };

	gbuf_add(&o, b->p, at);
	gbuf_add(&o, p, n);
	gbuf_add(&o, b->p + at, b->n - at);
	gbuf_free(b);
	*b = o;
	return 0;
}

/* ---- builders ------------------------------------------------------------------ */

static const struct gbuf *
base(struct kit *k, const char *which)
{
	return which == NULL || strcmp(which, "ed") == 0 ? &k->leaf
	    : strcmp(which, "p256") == 0                 ? &k->leaf_p256
	                                                 : &k->leaf_rsa;
}

static int
mk_pem(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	const struct gbuf *d = base(k, f->s);
	return pem_wrap(d->p, d->n, "CERTIFICATE", f->a ? (size_t)f->a : 64,
	    f->b == 1       ? "\r\n"
	        : f->b == 2 ? "\r"
	                    : "\n",
	    out);
}

static int
mk_der(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	return gbuf_add(out, base(k, f->s)->p, base(k, f->s)->n);
}

static int
mk_label(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	return pem_wrap(k->leaf.p, k->leaf.n, f->s, 64, "\n", out);
}

/* Canonical PEM with S replaced by the text after '>' in S ("from>to"). */
static int
mk_edit(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	char *from = strdup(f->s), *to = strchr(from, '>');
	int rc;

	*to++ = '\0';
	pem_of(&k->leaf, out);
	rc = replace(out, from, to);
	free(from);
	return rc;
}

/* Canonical PEM with text S inserted at body line A (0: before BEGIN, -1: at the end). */
static int
mk_insert(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	size_t len = f->b ? (size_t)f->b : strlen(f->s);

	pem_of(&k->leaf, out);
	return insert_at(out, f->a < 0 ? out->n : body_line(out, (int)f->a), f->s, len);
}

/* Canonical PEM, body line A: character at column B becomes S[0]. */
static int
mk_char(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	pem_of(&k->leaf, out);
	out->p[body_line(out, (int)f->a) + (size_t)f->b] = (unsigned char)f->s[0];
	return 0;
}

/* Body lines from each line's leading/trailing blanks S. */
static int
mk_blanks(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gbuf pem = { 0 };
	char *line, *save = NULL, *text;
	int first = 1;

	pem_of(&k->leaf, &pem);
	text = (char *)pem.p;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int boundary = line[0] == '-';
		if (!boundary && !first)
			gbuf_str(out, f->s);
		gbuf_str(out, line);
		if (!boundary)
			gbuf_str(out, f->s);
		gbuf_str(out, "\n");
		first = 0;
	}
	gbuf_free(&pem);
	return 0;
}

static int
mk_empty(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	(void)k;
	return gbuf_str(out, f->s);
}

/* The base64 body (no line breaks) edited: A = 1 drop padding, 2 add "====",
 * 3 misalign the bits under the padding, 4 '=' inside the body. Uses the
 * first base certificate whose base64 ends in padding. */
static int
mk_padding(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	const struct gbuf *d = k->leaf.n % 3 ? &k->leaf
	    : k->leaf_p256.n % 3             ? &k->leaf_p256
	                                     : &k->leaf_rsa;
	gnutls_datum_t in = { d->p, (unsigned)d->n }, b64 = { 0 };
	struct gbuf body = { 0 };
	size_t pad;

	gnutls_base64_encode2(&in, &b64);
	gbuf_add(&body, b64.data, b64.size);
	gnutls_free(b64.data);
	pad = body.p[body.n - 2] == '=' ? 2 : 1;
	if (f->a == 1)
		body.n -= pad;
	else if (f->a == 2)
		gbuf_str(&body, "====");
	else if (f->a == 3)
		body.p[body.n - pad - 1] = 'B';
	else
		body.p[40] = '=', body.p[41] = '=';
	gbuf_str(out, "-----BEGIN CERTIFICATE-----\n");
	gbuf_add(out, body.p, body.n);
	gbuf_str(out, "\n-----END CERTIFICATE-----\n");
	gbuf_free(&body);
	return 0;
}

/* Canonical PEM without its last A body lines (END kept). */
static int
mk_truncated(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gbuf pem = { 0 };
	size_t lines = 0, i, end, cut;

	pem_of(&k->leaf, &pem);
	for (i = 0; i < pem.n; i++)
		lines += pem.p[i] == '\n';
	end = body_line(&pem, (int)(lines - 1)); /* the END line */
	cut = body_line(&pem, (int)(lines - 1 - f->a));
	gbuf_add(out, pem.p, cut);
	gbuf_add(out, pem.p + end, pem.n - end);
	gbuf_free(&pem);
	return 0;
}

/* DER surgery on the outer TLV: A = 1 length+1, 2 length-1, 3 wrong tag,
 * 4 trailing bytes, 5 indefinite length, 6 non-minimal length, 7 truncated. */
static int
mk_der_edit(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	const struct gbuf *d = &k->leaf; /* 0x30 0x82 HH LL ... for our Ed25519 leaf */
	size_t len = (size_t)d->p[2] << 8 | d->p[3];
	unsigned char h[5];

	if (d->p[1] != 0x82 && f->a != 7 && f->a != 3 && f->a != 4)
		return -1;
	switch (f->a) {
	case 1:
	case 2:
		len = f->a == 1 ? len + 1 : len - 1;
		h[0] = 0x30;
		h[1] = 0x82;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		gbuf_add(out, h, 4);
		return gbuf_add(out, d->p + 4, d->n - 4);
	case 3:
		gbuf_add(out, d->p, d->n);
		out->p[0] = 0x31;
		return 0;
	case 4: gbuf_add(out, d->p, d->n); return gbuf_add(out, "\0\0", 2);
	case 5:
		h[0] = 0x30;
		h[1] = 0x80;
		gbuf_add(out, h, 2);
		gbuf_add(out, d->p + 4, d->n - 4);
		return gbuf_add(out, "\0\0", 2);
	case 6:
		h[0] = 0x30;
		h[1] = 0x83;
		h[2] = 0;
		h[3] = d->p[2];
		h[4] = d->p[3];
		gbuf_add(out, h, 5);
		return gbuf_add(out, d->p + 4, d->n - 4);
	default: return gbuf_add(out, d->p, d->n / 2);
	}
}

/* A leaf of validity [now+A, now+B] (CA when S is "ca"). */
static int
mk_validity(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gcert c = { .cn = f->s && strcmp(f->s, "hostile") == 0
		    ? "x | y `z` <script>alert(1)</script> ]]> & \"q\" *em* [l](u)"
		    : f->file,
		.dns = "fixture.example",
		.serial_label = f->file,
		.not_before = k->g->now + f->a,
		.not_after = k->g->now + f->b,
		.is_ca = f->s && strcmp(f->s, "ca") == 0 };
	struct gbuf der = { 0 };
	struct gkey own;
	int rc;

	/* a key of its own: no two fixtures of different subjects share one
	 * (that is tls-key-reuse) */
	if ((rc = gkey_make(k->g, GK_ED25519, f->file, &own)) != 0)
		return rc;
	c.key = &own;
	if (c.is_ca)
		c.dns = NULL;       /* a CA names no host */
	if (f->b == 0 && f->a == 0) /* far future: 9999-12-31T23:59:59Z */
		c.not_before = k->g->now - 10 * DAY, c.not_after = 253402300799LL;
	if ((rc = gcert_make(k->g, &c, &der, NULL)) == 0)
		rc = pem_of(&der, out);
	gbuf_free(&der);
	gkey_free(&own);
	return rc;
}

/* Bundles: leaf + CA (A = 0); leaf, a corrupt member, CA (A = 1). */
static int
mk_bundle(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gbuf bad = { 0 };

	pem_of(&k->leaf, out);
	if (f->a == 1) {
		pem_of(&k->leaf_p256, &bad);
		bad.p[body_line(&bad, 3) + 5] = '*';
		gbuf_add(out, bad.p, bad.n);
		gbuf_free(&bad);
	}
	return pem_of(&k->ca, out);
}

/* Chains CA -> intermediate -> leaf as bundles (A): 2 in order, 3 the
 * intermediate missing, 4 root, intermediate, leaf (out of order), 5 the
 * intermediate expired, 6 a root with the issuer's name but another key
 * (mixed CA). */
static int
mk_chain(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gbuf mid = { 0 }, leaf = { 0 }, root = { 0 };
	gnutls_x509_crt_t mid_crt = NULL, root_crt = NULL;
	struct gkey mid_key;
	char cn[64], label[64];
	struct gcert m = { .cn = cn,
		.serial_label = label,
		.not_before = k->g->now - 30 * DAY,
		.not_after = k->g->now + 1800 * DAY,
		.is_ca = 1,
		.key = &mid_key,
		.issuer = k->ca_crt,
		.issuer_key = &k->rsa };
	struct gcert l = { .cn = "chain-leaf.example",
		.dns = "chain-leaf.example",
		.serial_label = "chain-leaf2",
		.not_before = k->g->now - 30 * DAY,
		.not_after = k->g->now + 300 * DAY,
		.key = &k->chain_leaf,
		.issuer_key = &mid_key };
	struct gcert r = { .cn = cn,
		.serial_label = "chain-mixed-root",
		.not_before = k->g->now - 30 * DAY,
		.not_after = k->g->now + 1800 * DAY,
		.is_ca = 1,
		.key = &k->other };
	int rc;

	/* each chain its own intermediate (name and key): the node's other
	 * files hold no issuer of another chain's leaf */
	snprintf(cn, sizeof cn, "certfleet-gen intermediate %lld", f->a);
	snprintf(label, sizeof label, "fixture-intermediate-%lld", f->a);
	if ((rc = gkey_make(k->g, GK_ED25519, label, &mid_key)) != 0)
		return rc;
	if (f->a == 5)
		m.not_before = k->g->now - 400 * DAY, m.not_after = k->g->now - DAY;
	if ((rc = gcert_make(k->g, &m, &mid, &mid_crt)) != 0)
		goto out;
	l.issuer = mid_crt;
	if ((rc = gcert_make(k->g, &l, &leaf, NULL)) != 0 ||
	    (f->a == 6 && (rc = gcert_make(k->g, &r, &root, &root_crt)) != 0))
		goto out;
	if (f->a == 4) {
		pem_of(&k->ca, out);
		pem_of(&mid, out);
		pem_of(&leaf, out);
	} else {
		pem_of(&leaf, out);
		if (f->a == 2 || f->a == 5)
			pem_of(&mid, out);
		pem_of(f->a == 6 ? &root : &k->ca, out);
	}
out:
	gkey_free(&mid_key);
	gnutls_x509_crt_deinit(mid_crt);
	gnutls_x509_crt_deinit(root_crt);
	gbuf_free(&mid);
	gbuf_free(&leaf);
	gbuf_free(&root);
	return rc;
}

/* A key file (A = 0: the leaf's key, 1: another key) or a certificate with
 * its key in the same file (S = "combined"). */
static int
mk_key(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	if (f->s && strcmp(f->s, "combined") == 0)
		pem_of(&k->leaf, out);
	return gkey_pem(f->a ? &k->other : &k->ed, out);
}

/* TBS edits, re-signed: A = 1 month 13 in notBefore, 2 notAfter without
 * 'Z', 3 inner signature algorithm differs from the outer one. */
static int
tbs_edit(struct gbuf *tbs, void *arg)
{
	long long what = *(long long *)arg;
	unsigned char *p;

	if (what == 3) {
		/* the first AlgorithmIdentifier in TBS is Ed25519 (1.3.101.112);
		 * make it Ed448 (1.3.101.113) */
		p = memmem(tbs->p, tbs->n, "\x06\x03\x2b\x65\x70", 5);
		if (p == NULL)
			return -1;
		p[4] = 0x71;
		return 0;
	}
	p = memmem(tbs->p, tbs->n, "\x17\x0d", 2); /* first UTCTime: notBefore */
	if (p && what == 2)
		p = memmem(p + 15, tbs->n - (size_t)(p + 15 - tbs->p), "\x17\x0d", 2);
	if (p == NULL)
		return -1;
	if (what == 1)
		p[4] = '1', p[5] = '3';
	else
		p[14] = '0';
	return 0;
}

/* The elements of a constructed TLV's content: offsets and whole lengths. */
struct elems {
	size_t off[16], len[16];
	int n;
};

static void
split(const unsigned char *p, size_t n, struct elems *e)
{
	size_t q = 0, c, h;

	for (e->n = 0; q < n && e->n < 16; e->n++) {
		h = der_hdr(p + q, &c);
		e->off[e->n] = q;
		e->len[e->n] = h + c;
		q += h + c;
	}
}

/* Rebuild the TLV in B (tag TAG) with element K replaced by REP (REP NULL:
 * removed; DUP: a copy of element K added after it). */
static void
rebuild(struct gbuf *b, unsigned char tag, int k, const unsigned char *rep, size_t replen, int dup)
{
	size_t c, h = der_hdr(b->p, &c);
	struct gbuf body = { 0 }, out = { 0 };
	struct elems e;
	int i;

	split(b->p + h, c, &e);
	for (i = 0; i < e.n; i++) {
		if (i != k || dup)
			gbuf_add(&body, b->p + h + e.off[i], e.len[i]);
		if (i == k && rep)
			gbuf_add(&body, rep, replen);
	}
	der_put(&out, tag, body.p, body.n);
	gbuf_free(b);
	gbuf_free(&body);
	*b = out;
}

/* Element K of the TLV in B, as a new buffer. */
static struct gbuf
element(const struct gbuf *b, int k)
{
	size_t c, h = der_hdr(b->p, &c);
	struct gbuf x = { 0 };
	struct elems e;

	split(b->p + h, c, &e);
	if (k < e.n)
		gbuf_add(&x, b->p + h + e.off[k], e.len[k]);
	return x;
}

/* TBS rewrites, by element (0 [0] version, 1 serial, 4 validity, 7 [3]
 * extensions in the leaves GnuTLS writes here): 4-7 serials, 8/9 explicit
 * v1/v4, 10 GeneralizedTime notBefore before 2050, 11 v1 with extensions,
 * 12 a duplicate extension, 13 a malformed subjectAltName. */
static int
tbs_rewrite(struct gbuf *tbs, long long what)
{
	static const unsigned char serial0[] = { 0x02, 0x01, 0x00 },
	                           serialneg[] = { 0x02, 0x01, 0xff };
	unsigned char big[24] = { 0x02 }, *p;
	struct gbuf v, t, ext, seq;
	size_t c;

	if (what >= 4 && what <= 7) {
		size_t n = what == 6 ? 21 : 22;
		big[1] = (unsigned char)n;
		memset(big + 2, 0x11, n);
		rebuild(tbs, 0x30, 1,
		    what == 4       ? serial0
		        : what == 5 ? serialneg
		                    : big,
		    what == 4       ? 3
		        : what == 5 ? 3
		                    : n + 2,
		    0);
	} else if (what == 8 || what == 9) {
		v = element(tbs, 0); /* a0 03 02 01 02 */
		v.p[4] = what == 8 ? 0 : 3;
		rebuild(tbs, 0x30, 0, v.p, v.n, 0);
		gbuf_free(&v);
	} else if (what == 10) {
		v = element(tbs, 4); /* SEQ { UTCTime, UTCTime } */
		t = element(&v, 0);
		seq = (struct gbuf){ 0 };
		gbuf_str(&seq, "20");
		gbuf_add(&seq, t.p + 2, 13);
		gbuf_free(&t);
		der_put(&t, 0x18, seq.p, seq.n);
		rebuild(&v, 0x30, 0, t.p, t.n, 0);
		rebuild(tbs, 0x30, 4, v.p, v.n, 0);
		gbuf_free(&v);
		gbuf_free(&t);
		gbuf_free(&seq);
	} else if (what == 11) {
		rebuild(tbs, 0x30, 0, NULL, 0, 0);
	} else if (what == 12) {
		ext = element(tbs, 7); /* [3] { SEQ { ext... } } */
		seq = element(&ext, 0);
		t = element(&seq, 0);
		rebuild(&seq, 0x30, 0, t.p, t.n, 1);
		gbuf_free(&ext);
		der_put(&ext, 0xa3, seq.p, seq.n);
		rebuild(tbs, 0x30, 7, ext.p, ext.n, 0);
		gbuf_free(&ext);
		gbuf_free(&seq);
		gbuf_free(&t);
	} else if (what >= 14 && what <= 16) {
		/* notBefore: a letter for a digit, "+0000" for "Z", ".5Z" for "Z" */
		v = element(tbs, 4);
		t = element(&v, 0); /* 17 0d YYMMDDhhmmssZ */
		seq = (struct gbuf){ 0 };
		gbuf_add(&seq, t.p + 2, 12);
		if (what == 14)
			seq.p[2] = 'A';
		gbuf_str(&seq, what == 14 ? "Z" : what == 15 ? "+0000" : ".5Z");
		gbuf_free(&t);
		der_put(&t, 0x17, seq.p, seq.n);
		rebuild(&v, 0x30, 0, t.p, t.n, 0);
		rebuild(tbs, 0x30, 4, v.p, v.n, 0);
		gbuf_free(&v);
		gbuf_free(&t);
		gbuf_free(&seq);
	} else if (what == 17) {
		/* the first extension without a critical flag gets an explicit FALSE */
		struct elems e;
		size_t h;
		int i;
		ext = element(tbs, 7);
		seq = element(&ext, 0);
		h = der_hdr(seq.p, &c);
		split(seq.p + h, c, &e);
		for (i = 0; i < e.n; i++) {
			struct elems x;
			size_t xh, xc;
			t = element(&seq, i);
			xh = der_hdr(t.p, &xc);
			split(t.p + xh, xc, &x);
			if (x.n == 2) {
				v = element(&t, 0);
				gbuf_add(&v, "\x01\x01\x00", 3); /* the OID, then critical FALSE */
				rebuild(&t, 0x30, 0, v.p, v.n, 0);
				rebuild(&seq, 0x30, i, t.p, t.n, 0);
				gbuf_free(&v);
				gbuf_free(&t);
				break;
			}
			gbuf_free(&t);
		}
		gbuf_free(&ext);
		der_put(&ext, 0xa3, seq.p, seq.n);
		rebuild(tbs, 0x30, 7, ext.p, ext.n, 0);
		gbuf_free(&ext);
		gbuf_free(&seq);
		if (i == e.n)
			return -1;
	} else if (what == 18) {
		/* a critical TRUE (or cA TRUE) written 0x01 (BER), not 0xff */
		if ((p = memmem(tbs->p, tbs->n, "\x01\x01\xff", 3)) == NULL)
			return -1;
		p[2] = 0x01;
	} else if (what == 19) {
		/* the issuer's RDN gets a second value (O=Example) after its CN:
		 * SET OF elements out of DER order (the shorter one sorts first).
		 * The issuer, not the subject: a subject of its own with the
		 * leaf's key would be key reuse */
		static const unsigned char org[] = { 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c,
			0x07, 'E', 'x', 'a', 'm', 'p', 'l', 'e' };
		v = element(tbs, 3); /* issuer Name */
		t = element(&v, 0);  /* its first RDN (SET) */
		rebuild(&t, 0x31, 0, org, sizeof org, 1);
		rebuild(&v, 0x30, 0, t.p, t.n, 0);
		rebuild(tbs, 0x30, 3, v.p, v.n, 0);
		gbuf_free(&v);
		gbuf_free(&t);
	} else if (what == 25) {
		static const unsigned char padded[] = { 0x02, 0x02, 0x00, 0x01 };
		rebuild(tbs, 0x30, 1, padded, sizeof padded, 0); /* serial 00 01: not minimal */
	} else if (what == 13) {
		/* OID 2.5.29.17, then the OCTET STRING whose content is a SEQUENCE */
		if ((p = memmem(tbs->p, tbs->n, "\x06\x03\x55\x1d\x11\x04", 6)) == NULL)
			return -1;
		p += 5;
		p += der_hdr(p, &c);
		p[0] = 0x31; /* SEQUENCE becomes SET */
	}
	return 0;
}

static int
tbs_edit_any(struct gbuf *tbs, void *arg)
{
	long long what = *(long long *)arg;

	return what <= 3 ? tbs_edit(tbs, arg) : tbs_rewrite(tbs, what);
}

/* The signature BIT STRING of DER: 20 seven unused bits, 21 empty, 22 one
 * byte short, 24 claiming 120 unused bits. The TBS and its algorithm stay
 * as they are. */
static void
sig_rewrite(struct gbuf *der, long long what)
{
	struct gbuf bits = element(der, 2);
	size_t c, h = der_hdr(bits.p, &c);
	struct gbuf nb = { 0 };

	if (what == 20 || what == 24) {
		bits.p[h] = what == 20 ? 7 : 120;
		gbuf_add(&nb, bits.p, bits.n);
	} else {
		der_put(&nb, 0x03, bits.p + h, what == 21 ? 0 : c - 1);
	}
	rebuild(der, 0x30, 2, nb.p, nb.n, 0);
	gbuf_free(&bits);
	gbuf_free(&nb);
}

/* A PKCS#8 EncryptedPrivateKeyInfo (PBES2, PBKDF2, AES-256-CBC) whose salt,
 * IV and ciphertext come from the seed: GnuTLS salts real ones at random,
 * and certfleet reads no more than the envelope of an encrypted key. */
static int
mk_encrypted_key(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	static const unsigned char pbes2[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
		0x05, 0x0d };
	static const unsigned char pbkdf2[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x05, 0x0c };
	static const unsigned char aes[] = { 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
		0x01, 0x2a };
	static const unsigned char iter[] = { 0x02, 0x02, 0x08, 0x00 };
	unsigned char r[32], ct[64];
	struct gbuf kdfp = { 0 }, kdf = { 0 }, enc = { 0 }, params = { 0 }, alg = { 0 },
	            body = { 0 }, der = { 0 };
	int rc;

	(void)f;
	derive(k->g, "encrypted-key-salt", r);
	der_put(&kdfp, 0x04, r, 8);
	gbuf_add(&kdfp, iter, sizeof iter);
	gbuf_add(&kdf, pbkdf2, sizeof pbkdf2);
	der_put(&kdf, 0x30, kdfp.p, kdfp.n);
	gbuf_add(&enc, aes, sizeof aes);
	der_put(&enc, 0x04, r + 8, 16);
	der_put(&params, 0x30, kdf.p, kdf.n);
	der_put(&params, 0x30, enc.p, enc.n);
	gbuf_add(&alg, pbes2, sizeof pbes2);
	der_put(&alg, 0x30, params.p, params.n);
	derive(k->g, "encrypted-key-data-1", ct);
	derive(k->g, "encrypted-key-data-2", ct + 32);
	der_put(&body, 0x30, alg.p, alg.n);
	der_put(&body, 0x04, ct, 48);
	der_put(&der, 0x30, body.p, body.n);
	rc = pem_wrap(der.p, der.n, "ENCRYPTED PRIVATE KEY", 64, "\n", out);
	gbuf_free(&kdfp);
	gbuf_free(&kdf);
	gbuf_free(&enc);
	gbuf_free(&params);
	gbuf_free(&alg);
	gbuf_free(&body);
	gbuf_free(&der);
	return rc;
}

/* An RSA leaf whose outer signatureAlgorithm drops the NULL parameters the
 * TBSCertificate's keeps (the signature covers the TBS only: still valid). */
static int
mk_null_params(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gcert c = { .cn = f->file,
		.dns = "fixture.example",
		.serial_label = f->file,
		.not_before = k->g->now - 30 * DAY,
		.not_after = k->g->now + 300 * DAY,
		.key = &k->rsa_null };
	struct gbuf der = { 0 }, alg, oid;
	int rc;

	if ((rc = gcert_make(k->g, &c, &der, NULL)) == 0) {
		alg = element(&der, 1); /* SEQ { OID, NULL } */
		oid = element(&alg, 0);
		gbuf_free(&alg);
		der_put(&alg, 0x30, oid.p, oid.n);
		rebuild(&der, 0x30, 1, alg.p, alg.n, 0);
		gbuf_free(&alg);
		gbuf_free(&oid);
		rc = pem_of(&der, out);
	}
	gbuf_free(&der);
	return rc;
}

/* ---- what real machines hold besides certificates ------------------------------- */

/* A CRL of the fixture CA (RSA: a deterministic signature), nextUpdate A
 * seconds from now, as DER. */
static int
crl_der(struct kit *k, long long next, struct gbuf *out)
{
	gnutls_x509_crl_t crl;
	gnutls_datum_t d = { 0 };
	int rc;

	if ((rc = gnutls_x509_crl_init(&crl)) < 0)
		return rc;
	if ((rc = gnutls_x509_crl_set_version(crl, 2)) >= 0 &&
	    (rc = gnutls_x509_crl_set_this_update(crl, (time_t)(k->g->now - 10 * DAY))) >= 0 &&
	    (rc = gnutls_x509_crl_set_next_update(crl, (time_t)(k->g->now + next))) >= 0 &&
	    (rc = gnutls_x509_crl_privkey_sign(
	         crl, k->ca_crt, k->rsa.priv, GNUTLS_DIG_SHA256, 0)) >= 0 &&
	    (rc = gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_DER, &d)) >= 0)
		rc = gbuf_add(out, d.data, d.size);
	gnutls_free(d.data);
	gnutls_x509_crl_deinit(crl);
	return rc;
}

/* A CRL: PEM (S "pem") or DER, nextUpdate A seconds from now. */
static int
mk_crl(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gbuf der = { 0 };
	int rc = crl_der(k, f->a, &der);

	if (rc == 0)
		rc = strcmp(f->s, "pem") == 0 ? pem_wrap(der.p, der.n, "X509 CRL", 64, "\n", out)
		                              : gbuf_add(out, der.p, der.n);
	gbuf_free(&der);
	return rc;
}

/* PKCS#7 (DER) of the leaf and the CA, and a CRL past its nextUpdate. */
static int
mk_pkcs7(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	gnutls_pkcs7_t p7;
	gnutls_datum_t leaf = { k->leaf.p, (unsigned)k->leaf.n },
	               ca = { k->ca.p, (unsigned)k->ca.n }, crl, d = { 0 };
	struct gbuf c = { 0 };
	int rc;

	(void)f;
	if ((rc = crl_der(k, -DAY, &c)) != 0 || (rc = gnutls_pkcs7_init(&p7)) < 0) {
		gbuf_free(&c);
		return rc;
	}
	crl = (gnutls_datum_t){ c.p, (unsigned)c.n };
	if ((rc = gnutls_pkcs7_set_crt_raw(p7, &leaf)) >= 0 &&
	    (rc = gnutls_pkcs7_set_crt_raw(p7, &ca)) >= 0 &&
	    (rc = gnutls_pkcs7_set_crl_raw(p7, &crl)) >= 0 &&
	    (rc = gnutls_pkcs7_export2(p7, GNUTLS_X509_FMT_DER, &d)) >= 0)
		rc = gbuf_add(out, d.data, d.size);
	gnutls_free(d.data);
	gnutls_pkcs7_deinit(p7);
	gbuf_free(&c);
	return rc;
}

/* A certificate request of the Ed25519 key (a deterministic signature). */
static int
mk_csr(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	gnutls_x509_crq_t crq;
	gnutls_datum_t d = { 0 };
	int rc;

	(void)f;
	if ((rc = gnutls_x509_crq_init(&crq)) < 0)
		return rc;
	if ((rc = gnutls_x509_crq_set_dn(crq, "CN=request.example", NULL)) >= 0 &&
	    (rc = gnutls_x509_crq_set_pubkey(crq, k->ed.pub)) >= 0 &&
	    (rc = gnutls_x509_crq_privkey_sign(crq, k->ed.priv, GNUTLS_DIG_SHA512, 0)) >= 0 &&
	    (rc = gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_DER, &d)) >= 0)
		rc = pem_wrap(d.data, d.size, "CERTIFICATE REQUEST", 64, "\n", out);
	gnutls_free(d.data);
	gnutls_x509_crq_deinit(crq);
	return rc;
}

/* Blocks that are no certificate: S names which. */
static int
mk_other(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	static const unsigned char p256_oid[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03,
		0x01, 0x07 };
	unsigned char r[32], body[96];
	gnutls_datum_t d = { 0 };
	struct gbuf der = { 0 };
	int rc = 0;

	derive(k->g, f->s, r);
	if (strcmp(f->s, "ec-params-key") == 0) { /* openssl ecparam -genkey */
		gnutls_x509_privkey_t x;
		rc = pem_wrap(p256_oid, sizeof p256_oid, "EC PARAMETERS", 64, "\n", out);
		if (rc == 0 && (rc = gnutls_privkey_export_x509(k->p256.priv, &x)) >= 0) {
			rc = gnutls_x509_privkey_export2(
			    x, GNUTLS_X509_FMT_PEM, &d); /* EC PRIVATE KEY */
			gnutls_x509_privkey_deinit(x);
		}
		if (rc >= 0)
			rc = gbuf_add(out, d.data, d.size);
	} else if (strcmp(f->s, "dh-params") == 0) { /* SEQUENCE { INTEGER p, INTEGER g } */
		unsigned char p[65] = { 0x00 };
		memcpy(p + 1, r, 32);
		memcpy(p + 33, r, 32);
		p[1] |= 0x80;
		der_put(&der, 0x02, p, sizeof p);
		der_put(&der, 0x02, (const unsigned char *)"\x02", 1);
		{
			struct gbuf seq = { 0 };
			der_put(&seq, 0x30, der.p, der.n);
			rc = pem_wrap(seq.p, seq.n, "DH PARAMETERS", 64, "\n", out);
			gbuf_free(&seq);
		}
	} else if (strcmp(f->s, "public-key") == 0) {
		if ((rc = gnutls_pubkey_export2(k->ed.pub, GNUTLS_X509_FMT_DER, &d)) >= 0)
			rc = pem_wrap(d.data, d.size, "PUBLIC KEY", 64, "\n", out);
	} else if (strcmp(f->s, "legacy-encrypted") ==
	    0) { /* openssl genrsa -aes256 -traditional */
		memcpy(body, r, 32);
		derive(k->g, "legacy-encrypted-2", body + 32);
		derive(k->g, "legacy-encrypted-3", body + 64);
		gbuf_str(out,
		    "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
		    "DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n");
		rc = pem_wrap(body, sizeof body, "X", 64, "\n", &der);
		if (rc == 0) {
			/* the body lines of that PEM, between its BEGIN and END */
			const char *b = memchr(der.p, '\n', der.n),
			           *e = (const char *)der.p + der.n - 1;
			while (e > b && e[-1] != '\n')
				e--;
			e--;
			while (e > b && e[-1] != '\n')
				e--;
			gbuf_add(out, b + 1, (size_t)(e - b - 1));
			gbuf_str(out, "-----END RSA PRIVATE KEY-----\n");
		}
	} else if (strcmp(f->s, "openssh") == 0) {
		rc = pem_wrap(r, sizeof r, "OPENSSH PRIVATE KEY", 70, "\n", out);
	}
	gnutls_free(d.data);
	gbuf_free(&der);
	return rc < 0 ? rc : 0;
}

/* The leaf's DER then the CA's: two certificates one after another. */
static int
mk_concatenated(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	(void)f;
	return gbuf_add(out, k->leaf.p, k->leaf.n) || gbuf_add(out, k->ca.p, k->ca.n);
}

/* A JKS keystore (password changeit) with the leaf and the CA as trusted
 * certificate entries (jks_der). */
static int
mk_jks(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	const struct gbuf *certs[2] = { &k->leaf, &k->ca };
	static const char *const alias[2] = { "fixture-leaf", "fixture-ca" };

	(void)f;
	return jks_der(alias, certs, 2, k->g->now, out);
}

/* A PKCS#12 file without MacData or encryption: the leaf and its key. */
static int
mk_pkcs12(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	(void)f;
	return pkcs12_der(&k->leaf, &k->ed, out);
}

static int
mk_resigned(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gbuf der = { 0 };
	long long what = f->a;
	int rc;

	gbuf_add(&der, k->leaf.p, k->leaf.n);
	if ((rc = resign_ed25519(&k->ed, &der, tbs_edit_any, &what)) == 0) {
		if (what >= 20 && what < 25) /* 25 on: TBS edits again */
			sig_rewrite(&der, what);
		rc = pem_of(&der, out);
	}
	gbuf_free(&der);
	return rc;
}

/* Classes certfleet has no rule for (key strength, signature algorithm and
 * validity, extensions policy): a valid leaf made the way S names; the
 * scan reports nothing, and the manifest says so. */
static int
mk_variant(struct kit *k, const struct fixture *f, struct gbuf *out)
{
	struct gcert c = { .cn = f->file,
		.dns = "fixture.example",
		.serial_label = f->file,
		.not_before = k->g->now - 30 * DAY,
		.not_after = k->g->now + 300 * DAY };
	struct gbuf der = { 0 };
	struct gkey own;
	int rsa = strcmp(f->s, "sha1") == 0 || strcmp(f->s, "md5") == 0;
	int rc;

	/* a key of its own (the two key-reuse fixtures share theirs) */
	if ((rc = gkey_make(k->g, rsa ? GK_RSA2048 : GK_ED25519,
	         strcmp(f->s, "reuse") == 0 ? "fixture-key-reuse" : f->file, &own)) != 0)
		return rc;
	c.key = &own;
	if (strcmp(f->s, "rsa1024") == 0)
		c.key = &k->rsa1024;
	else if (rsa)
		c.digest = f->s[0] == 's' ? GNUTLS_DIG_SHA1 : GNUTLS_DIG_MD5;
	else if (strcmp(f->s, "nosan") == 0)
		c.dns = NULL;
	else if (strcmp(f->s, "leafca") == 0)
		c.is_ca = 1;
	else if (strcmp(f->s, "clientauth") == 0)
		c.eku = GNUTLS_KP_TLS_WWW_CLIENT;
	else if (strcmp(f->s, "critical") == 0)
		c.critical_oid = "1.3.6.1.4.1.55555.1";
	if ((rc = gcert_make(k->g, &c, &der, NULL)) == 0) {
		if (strcmp(f->s, "badsig") == 0)
			der.p[der.n - 1] ^= 0x01; /* the last signature byte */
		rc = pem_of(&der, out);
	}
	gbuf_free(&der);
	gkey_free(&own);
	return rc;
}

#define V "tls-cert-invalid@0"
#define LAX "tls-pem-lax@0"
#define W "tls-der-noncanonical@0"
/* a self-signed leaf in a node that carries CA certificates: its chain
 * ends at no anchor */
#define U1 "tls-chain-untrusted@0"
#define U " " U1
#define PREAMBLE "Certificate:\n    Data:\n        Version: 3 (0x2)\n        Subject: CN=fixture\n"

static const struct fixture catalogue[] = {
	/* valid, and readable despite non-canonical PEM */
	{ "valid-ed25519.pem", "valid", "self-signed Ed25519 leaf, canonical PEM", mk_pem, U1, 0, 0,
	    "ed", NULL },
	{ "valid-p256.pem", "valid", "self-signed ECDSA P-256 leaf (RFC 6979 signature)", mk_pem,
	    U1, 0, 0, "p256", NULL },
	{ "valid-rsa2048.pem", "valid", "self-signed RSA 2048 leaf (provable key from the seed)",
	    mk_pem, U1, 0, 0, "rsa", NULL },
	{ "valid.der", "valid", "the Ed25519 leaf as DER", mk_der, U1, 0, 0, "ed", NULL },
	{ "valid-der-named.pem", "pem-envelope", "DER bytes in a file named .pem: sniffed", mk_der,
	    U1, 0, 0, "ed", NULL },
	{ "pem-crlf.pem", "pem-envelope", "CRLF line endings", mk_pem, U1, 64, 1, "ed", NULL },
	{ "pem-cr-only.pem", "pem-envelope", "CR-only line endings: readable, lax", mk_pem, LAX U,
	    64, 2, "ed", NULL },
	{ "pem-width-1.pem", "pem-envelope", "body lines of 1 column", mk_pem, U1, 1, 0, "ed",
	    NULL },
	{ "pem-width-76.pem", "pem-envelope", "body lines of 76 columns", mk_pem, U1, 76, 0, "ed",
	    NULL },
	{ "pem-width-1024.pem", "pem-envelope", "body lines of 1024 columns (RSA leaf)", mk_pem, U1,
	    1024, 0, "rsa", NULL },
	{ "pem-one-line.pem", "pem-envelope", "the whole body on one line", mk_pem, U1, 100000, 0,
	    "ed", NULL },
	{ "pem-spaces.pem", "pem-envelope", "leading and trailing spaces on body lines", mk_blanks,
	    U1, 0, 0, "  ", NULL },
	{ "pem-tabs.pem", "pem-envelope", "leading and trailing tabs on body lines", mk_blanks, U1,
	    0, 0, "\t", NULL },
	{ "pem-text-preamble.pem", "pem-envelope", "openssl x509 -text output before BEGIN",
	    mk_insert, U1, 0, 0, PREAMBLE, NULL },
	{ "pem-utf8-bom.pem", "pem-envelope", "UTF-8 byte order mark before BEGIN", mk_insert, U1,
	    0, 0, "\xef\xbb\xbf", NULL },
	{ "pem-trailing-garbage.pem", "pem-envelope", "text after END: readable, noted", mk_insert,
	    LAX U, -1, 0, "garbage after the end\n", NULL },
	{ "pem-legacy-label.pem", "pem-envelope", "legacy label X509 CERTIFICATE: readable, lax",
	    mk_label, LAX U, 0, 0, "X509 CERTIFICATE", NULL },
	{ "pem-missing-end.pem", "pem-envelope", "no END line", mk_edit, V, 0, 0,
	    "-----END CERTIFICATE-----\n>", "missing END line" },
	{ "pem-end-label-mismatch.pem", "pem-envelope", "END label differs from BEGIN", mk_edit, V,
	    0, 0, "END CERTIFICATE>END X509 CRL", "END label does not match" },
	{ "pem-end-few-dashes.pem", "pem-envelope", "END line with four leading dashes", mk_edit, V,
	    0, 0, "-----END>----END", "malformed END line" },
	{ "pem-begin-few-dashes.pem", "pem-envelope", "BEGIN line with four leading dashes",
	    mk_edit, V, 0, 0, "-----BEGIN>----BEGIN", "malformed BEGIN line" },
	{ "pem-junk-after-dashes.pem", "pem-envelope", "junk after the END dashes", mk_edit, V, 0,
	    0, "END CERTIFICATE-----\n>END CERTIFICATE-----junk\n", "malformed END line" },
	{ "pem-label-private-key.crt", "pem-envelope",
	    "a certificate body under the label PRIVATE KEY", mk_label, V, 0, 0, "PRIVATE KEY",
	    "cannot read the private key" },
	{ "pem-label-lowercase.pem", "pem-envelope", "lowercase label", mk_label, V, 0, 0,
	    "certificate", "unexpected PEM label 'certificate'" },
	{ "pem-label-trusted.pem", "pem-envelope",
	    "OpenSSL TRUSTED CERTIFICATE label: the certificate audited, trust settings ignored",
	    mk_label, U1, 0, 0, "TRUSTED CERTIFICATE", NULL },
	{ "pem-bad-base64-char.pem", "pem-envelope", "a '*' inside the base64 body", mk_char, V, 2,
	    10, "*", "invalid base64 character 0x2a" },
	{ "pem-nul-byte.pem", "pem-envelope", "a NUL byte inside the base64 body", mk_char, V, 2,
	    10, "", "invalid base64 character 0x00" },
	{ "pem-padding-missing.pem", "pem-envelope", "base64 padding removed", mk_padding, V, 1, 0,
	    NULL, "not a multiple of 4" },
	{ "pem-padding-extra.pem", "pem-envelope", "extra '====' after the padding", mk_padding, V,
	    2, 0, NULL, "too much base64 padding" },
	{ "pem-padding-misaligned.pem", "pem-envelope", "non-zero bits under the padding",
	    mk_padding, V, 3, 0, NULL, "misaligned base64 padding" },
	{ "pem-padding-early.pem", "pem-envelope", "'==' in the middle of the body", mk_padding, V,
	    4, 0, NULL, "padding '=' before the end" },
	{ "pem-blank-line.pem", "pem-envelope", "blank line inside the body", mk_insert, V, 3, 0,
	    "\n", "blank line inside" },
	{ "pem-comment-line.pem", "pem-envelope", "comment line inside the body", mk_insert, V, 3,
	    0, "# a comment\n", "invalid base64 character 0x23" },
	{ "pem-rfc1421-headers.pem", "pem-envelope", "Proc-Type/DEK-Info headers on a certificate",
	    mk_insert, V, 1, 0,
	    "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\n",
	    "RFC 1421 header" },
	{ "pem-empty-file.pem", "pem-envelope", "empty file", mk_empty, V, 0, 0, "", "empty file" },
	{ "pem-empty-body.pem", "pem-envelope", "BEGIN and END with nothing between", mk_empty, V,
	    0, 0, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "empty body" },
	{ "pem-text-only.crt", "pem-envelope", "a .crt holding text, no PEM block", mk_empty, V, 0,
	    0, "this is not a certificate\n", "no PEM BEGIN line" },
	{ "pem-truncated-body.pem", "pem-envelope", "body cut by two lines, END present",
	    mk_truncated, V, 2, 0, NULL, "invalid DER: truncated" },
	{ "bundle-two.pem", "bundle", "leaf and CA: both audited", mk_bundle, U1, 0, 0, NULL,
	    NULL },
	{ "bundle-one-corrupt.pem", "bundle",
	    "member 1 of 3 corrupt: it is invalid, 0 and 2 audited", mk_bundle,
	    "tls-cert-invalid@1" U, 1, 0, NULL, "invalid base64 character" },
	{ "chain-leaf-intermediate-root.pem", "bundle",
	    "CA -> intermediate -> leaf, in order: trusted", mk_chain, "", 2, 0, NULL, NULL },
	{ "chain-missing-intermediate.pem", "chain",
	    "leaf and root, the intermediate in no file: incomplete", mk_chain,
	    "tls-chain-incomplete@0", 3, 0, NULL, NULL },
	{ "chain-out-of-order.pem", "chain",
	    "root, intermediate, leaf: out of order (member 1 is no issuer of the root)", mk_chain,
	    "tls-chain-order@1", 4, 0, NULL, NULL },
	{ "chain-expired-intermediate.pem", "chain",
	    "leaf, expired intermediate, root: member 1 expired, the leaf outlives it", mk_chain,
	    "tls-cert-expired@1 tls-chain-outlives-issuer@0", 5, 0, NULL, NULL },
	{ "chain-mixed-ca.pem", "chain",
	    "leaf and a root with its issuer's name but another key: bad signature", mk_chain,
	    "tls-chain-bad-signature@0", 6, 0, NULL, NULL },
	{ "key-reuse-a.pem", "reuse", "another leaf with the key of key-reuse-b.pem", mk_variant,
	    "tls-key-reuse@0" U, 0, 0, "reuse", NULL },
	{ "key-reuse-b.pem", "reuse", "another leaf with the key of key-reuse-a.pem", mk_variant,
	    "tls-key-reuse@0" U, 0, 0, "reuse", NULL },
	{ "der-length-plus-one.der", "der", "outer length one more than the data", mk_der_edit, V,
	    1, 0, NULL, "invalid DER: truncated" },
	{ "der-length-minus-one.der", "der", "outer length one less than the data", mk_der_edit, V,
	    2, 0, NULL, "invalid DER: truncated" },
	{ "der-wrong-outer-tag.der", "der", "outer tag SET instead of SEQUENCE", mk_der_edit, V, 3,
	    0, NULL, "outer tag is not a SEQUENCE" },
	{ "der-trailing-bytes.der", "der",
	    "two bytes after the Certificate: OpenSSL and mbed TLS read it, DER forbids it",
	    mk_der_edit, W U, 4, 0, NULL, "bytes after the DER object" },
	{ "der-indefinite-length.der", "der", "BER indefinite outer length", mk_der_edit, V, 5, 0,
	    NULL, "indefinite length" },
	{ "der-nonminimal-length.der", "der", "outer length in 3 octets with a leading zero",
	    mk_der_edit, V, 6, 0, NULL, "non-minimal length" },
	{ "der-truncated.der", "der", "DER cut in half", mk_der_edit, V, 7, 0, NULL,
	    "invalid DER: truncated" },
	{ "der-time-month-13.pem", "der", "notBefore with month 13, re-signed", mk_resigned, V, 1,
	    0, NULL, "time fields" },
	{ "der-time-no-z.pem", "der", "notAfter without its Z, re-signed", mk_resigned, V, 2, 0,
	    NULL, "time encoding" },
	{ "der-time-non-digit.pem", "der", "notBefore with a letter for a digit, re-signed",
	    mk_resigned, V, 14, 0, NULL, "time" },
	{ "der-time-offset.pem", "der", "notBefore ending +0000 instead of Z, re-signed",
	    mk_resigned, V, 15, 0, NULL, "time" },
	{ "der-time-fraction.pem", "der", "notBefore with fractional seconds, re-signed",
	    mk_resigned, V, 16, 0, NULL, "time" },
	{ "der-sigalg-mismatch.pem", "der", "inner signature algorithm differs from the outer",
	    mk_resigned, V, 3, 0, NULL, "differs from the outer signatureAlgorithm" },
	{ "der-serial-zero.pem", "profile", "serial number 0: non-compliant", mk_resigned,
	    "tls-cert-noncompliant@0" U, 4, 0, NULL, NULL },
	{ "der-serial-negative.pem", "profile", "negative serial number (-1): non-compliant",
	    mk_resigned, "tls-cert-noncompliant@0" U, 5, 0, NULL, NULL },
	{ "der-serial-21-octets.pem", "profile", "21-octet serial number: non-compliant",
	    mk_resigned, "tls-cert-noncompliant@0" U, 6, 0, NULL, NULL },
	{ "der-serial-22-octets.pem", "profile", "22-octet serial number: non-compliant",
	    mk_resigned, "tls-cert-noncompliant@0" U, 7, 0, NULL, NULL },
	{ "der-version-v1-explicit.pem", "der",
	    "version v1 written out: DER omits a default value, GnuTLS refuses it: invalid",
	    mk_resigned, V, 8, 0, NULL, "version v1 written out explicitly" },
	{ "der-version-v4.pem", "profile", "version value 3 (v4): non-compliant", mk_resigned,
	    "tls-cert-noncompliant@0" U, 9, 0, NULL, NULL },
	{ "der-generalizedtime-2026.pem", "profile",
	    "notBefore as GeneralizedTime before 2050: non-compliant", mk_resigned,
	    "tls-cert-noncompliant@0" U, 10, 0, NULL, NULL },
	{ "der-v1-with-extensions.pem", "der",
	    "no version (v1) but extensions: GnuTLS refuses it: invalid", mk_resigned, V, 11, 0,
	    NULL, "extensions in a certificate that is not version 3" },
	{ "der-duplicate-extension.pem", "der",
	    "the first extension twice: GnuTLS refuses it: invalid", mk_resigned, V, 12, 0, NULL,
	    "Duplicate extension" },
	{ "der-malformed-san.pem", "der",
	    "subjectAltName whose SEQUENCE is a SET: GnuTLS refuses it: invalid", mk_resigned, V,
	    13, 0, NULL, "ASN1 parser: Error in TAG" },
	{ "sig-bitstring-unused-bits.pem", "der",
	    "signature BIT STRING with 7 unused bits that are not zero: both load it, DER forbids "
	    "it",
	    mk_resigned, W U, 20, 0, NULL, "unused bits are not zero" },
	{ "sig-bitstring-empty.pem", "der",
	    "empty signature BIT STRING (no unused-bits byte): OpenSSL refuses it: invalid",
	    mk_resigned, V, 21, 0, NULL, "an empty BIT STRING" },
	{ "sig-bitstring-unused-120.pem", "der",
	    "signature BIT STRING claiming 120 unused bits: OpenSSL refuses it: invalid",
	    mk_resigned, V, 24, 0, NULL, "more than 7 unused bits" },
	{ "der-critical-false.pem", "der",
	    "an extension with critical FALSE written out: both load it, DER forbids a DEFAULT "
	    "value",
	    mk_resigned, W U, 17, 0, NULL, "BOOLEAN FALSE written out" },
	{ "der-ber-boolean.pem", "der",
	    "critical TRUE written 0x01 (BER): both load it, DER says 0xff", mk_resigned, W U, 18,
	    0, NULL, "BOOLEAN TRUE encoded" },
	{ "der-set-unsorted.pem", "der",
	    "a multi-valued RDN whose SET OF is out of order: both load it, DER sorts it",
	    mk_resigned, W " tls-chain-incomplete@0", 19, 0, NULL, "not in DER order" },
	{ "der-serial-padded.pem", "der",
	    "serial INTEGER 00 01 (a redundant leading byte): OpenSSL refuses it: invalid",
	    mk_resigned, V, 25, 0, NULL, "redundant leading byte" },
	{ "der-null-vs-absent.pem", "der",
	    "RSA leaf: NULL parameters in the TBS algorithm, none in the outer one: both load it, "
	    "the two must be equal",
	    mk_null_params, W U, 0, 0, NULL, "NULL parameters in one signature algorithm" },
	{ "sig-bitstring-short.pem", "chain",
	    "signature one byte short: its self-signature does not verify", mk_resigned,
	    "tls-chain-bad-signature@0" U, 22, 0, NULL, NULL },
	{ "encrypted.key", "pair",
	    "encrypted PKCS#8 private key: readable only with a passphrase, not checked",
	    mk_encrypted_key, "", 0, 0, NULL, NULL },
	{ "sem-expired.pem", "semantic", "expired 10 days ago", mk_validity, "tls-cert-expired@0" U,
	    -100 * DAY, -10 * DAY, NULL, NULL },
	{ "sem-expired-1s.pem", "semantic", "expired by one second", mk_validity,
	    "tls-cert-expired@0" U, -100 * DAY, -1, NULL, NULL },
	{ "sem-not-yet-valid.pem", "semantic", "valid from in 10 days", mk_validity,
	    "tls-cert-not-yet-valid@0" U, 10 * DAY, 100 * DAY, NULL, NULL },
	{ "sem-not-yet-valid-1s.pem", "semantic", "valid from in one second", mk_validity,
	    "tls-cert-not-yet-valid@0" U, 1, 100 * DAY, NULL, NULL },
	{ "sem-now-is-not-before.pem", "semantic", "now == notBefore: valid (inclusive)",
	    mk_validity, U1, 0, 100 * DAY, NULL, NULL },
	{ "sem-now-is-not-after.pem", "semantic", "now == notAfter: not expired, soon", mk_validity,
	    "tls-cert-will-soon-expire@0" U, -100 * DAY, 0, NULL, NULL },
	{ "sem-soon-minus-1s.pem", "semantic", "notAfter = now + 30d - 1s: soon", mk_validity,
	    "tls-cert-will-soon-expire@0" U, -100 * DAY, 30 * DAY - 1, NULL, NULL },
	{ "sem-soon-exact.pem", "semantic", "notAfter = now + 30d: ok", mk_validity, U1, -100 * DAY,
	    30 * DAY, NULL, NULL },
	{ "sem-soon-plus-1s.pem", "semantic", "notAfter = now + 30d + 1s: ok", mk_validity, U1,
	    -100 * DAY, 30 * DAY + 1, NULL, NULL },
	{ "sem-validity-397d.pem", "semantic", "validity exactly 397 days (inclusive)", mk_validity,
	    U1, -10 * DAY, 387 * DAY - 1, NULL, NULL },
	{ "sem-validity-397d-plus-1s.pem", "semantic", "validity 397 days and 1 second",
	    mk_validity, "tls-cert-validity-too-long@0" U, -10 * DAY, 387 * DAY, NULL, NULL },
	{ "sem-inverted-validity.pem", "semantic", "notAfter before notBefore", mk_validity, V U,
	    10 * DAY, -10 * DAY, NULL, "notAfter is before notBefore" },
	{ "sem-far-future.pem", "semantic", "notAfter 99991231235959Z", mk_validity,
	    "tls-cert-validity-too-long@0" U, 0, 0, NULL, NULL },
	{ "weak-rsa1024.pem", "strength", "RSA 1024 key: weak", mk_variant, "tls-key-weak@0" U, 0,
	    0, "rsa1024", NULL },
	{ "weak-sha1-signature.pem", "strength",
	    "RSA-SHA1 signature on a self-signed leaf (no anchor): weak", mk_variant,
	    "tls-sig-weak@0" U, 0, 0, "sha1", NULL },
	{ "weak-md5-signature.pem", "strength",
	    "RSA-MD5 signature on a self-signed leaf (no anchor): weak", mk_variant,
	    "tls-sig-weak@0" U, 0, 0, "md5", NULL },
	{ "sig-wrong-signature.pem", "chain",
	    "last signature byte flipped: its self-signature does not verify", mk_variant,
	    "tls-chain-bad-signature@0" U, 0, 0, "badsig", NULL },
	{ "policy-no-san.pem", "strength", "leaf without subjectAltName", mk_variant,
	    "tls-cert-no-san@0" U, 0, 0, "nosan", NULL },
	{ "policy-leaf-ca-true.pem", "purpose",
	    "leaf (a DNS SAN) with CA:TRUE: treated as a CA (exempt from --max-validity), unfit",
	    mk_variant, "tls-cert-purpose@0", 0, 0, "leafca", NULL },
	{ "policy-eku-client-only.pem", "purpose",
	    "EKU clientAuth only, no serverAuth, at a server path", mk_variant,
	    "tls-cert-purpose@0" U, 0, 0, "clientauth", NULL },
	{ "policy-unknown-critical-ext.pem", "profile",
	    "an unknown critical extension: non-compliant", mk_variant, "tls-cert-noncompliant@0" U,
	    0, 0, "critical", NULL },
	{ "sem-ca-ten-years.pem", "semantic", "CA valid for ten years: exempt from the limit",
	    mk_validity, "", -10 * DAY, 3650 * DAY, "ca", NULL },
	{ "hostile-subject.pem", "semantic",
	    "a valid leaf whose CN holds | ` < > & ]]> and a script tag", mk_validity, U1,
	    -10 * DAY, 300 * DAY, "hostile", NULL },
	{ "pair-match.crt", "pair", "certificate of the key pair-match.key", mk_pem, U1, 0, 0, "ed",
	    NULL },
	{ "pair-match.key", "pair", "the key of pair-match.crt", mk_key, "", 0, 0, NULL, NULL },
	{ "pair-mismatch.crt", "pair", "certificate whose key file holds another key", mk_pem, U1,
	    0, 0, "ed", NULL },
	{ "pair-mismatch.key", "pair", "a key that is not the one of pair-mismatch.crt", mk_key,
	    "tls-key-mismatch@0", 1, 0, NULL, NULL },
	{ "combined-match.pem", "pair", "certificate and its key in one file", mk_key, U1, 0, 0,
	    "combined", NULL },
	{ "combined-mismatch.pem", "pair", "certificate and another key in one file", mk_key,
	    "tls-key-mismatch@1" U, 1, 0, "combined", NULL },
	{ "notes.txt", "skip", "a text file: not a certificate, skipped silently", mk_empty, "", 0,
	    0, "deployment notes\n", NULL },
	{ "crl-expired.pem", "inputs", "a CRL of the CA past its nextUpdate (a day ago): audited",
	    mk_crl, "tls-crl-expired@0", -DAY, 0, "pem", NULL },
	{ "crl-fresh.crl", "inputs", "a DER CRL whose nextUpdate is 30 days away", mk_crl, "",
	    30 * DAY, 0, "der", NULL },
	{ "bundle.p7b", "inputs",
	    "PKCS#7 (DER) of the leaf, the CA and the expired CRL: each a member", mk_pkcs7,
	    "tls-crl-expired@2" U, 0, 0, NULL, NULL },
	{ "request.csr.pem", "inputs",
	    "a certificate request: recognised, skipped with what it holds", mk_csr, "", 0, 0, NULL,
	    NULL },
	{ "ec-params-key.pem", "inputs",
	    "EC PARAMETERS then EC PRIVATE KEY (openssl ecparam -genkey): a key", mk_other, "", 0,
	    0, "ec-params-key", NULL },
	{ "dhparam.pem", "inputs", "DH PARAMETERS of a 512-bit prime: a weak key", mk_other,
	    "tls-key-weak@0", 0, 0, "dh-params", NULL },
	{ "public-key.pem", "inputs", "a PUBLIC KEY: recognised, skipped", mk_other, "", 0, 0,
	    "public-key", NULL },
	{ "legacy-encrypted.key", "inputs",
	    "an OpenSSL legacy encrypted key (Proc-Type: 4,ENCRYPTED): an encrypted key", mk_other,
	    "", 0, 0, "legacy-encrypted", NULL },
	{ "id_ed25519.pem", "inputs",
	    "a well-formed block of a label not read (OPENSSH PRIVATE KEY): skipped, named",
	    mk_other, "", 0, 0, "openssh", NULL },
	{ "concatenated.der", "inputs", "two DER certificates one after another: each a member",
	    mk_concatenated, U1, 0, 0, NULL, NULL },
	{ "keystore.jks", "inputs",
	    "a JKS keystore (password changeit) with the leaf and the CA as trusted entries",
	    mk_jks, U1, 0, 0, NULL, NULL },
	{ "unencrypted.p12", "inputs",
	    "PKCS#12 without MAC or encryption: the leaf and its key, paired", mk_pkcs12, U1, 0, 0,
	    NULL, NULL },
};

static int
kit_open(struct kit *k, const struct gen *g)
{
	struct gcert leaf = { .cn = "fixture.example",
		.dns = "fixture.example",
		.serial_label = "leaf",
		.not_before = g->now - 30 * DAY,
		.not_after = g->now + 300 * DAY };
	struct gcert ca = { .cn = "certfleet-gen root CA",
		.serial_label = "ca",
		.is_ca = 1,
		.not_before = g->now - 365 * DAY,
		.not_after = g->now + 3650 * DAY };
	int rc;

	memset(k, 0, sizeof *k);
	k->g = g;
	if ((rc = gkey_make(g, GK_ED25519, "fixture-leaf", &k->ed)) ||
	    (rc = gkey_make(g, GK_P256, "", &k->p256)) ||
	    (rc = gkey_make(g, GK_RSA2048, "fixture-rsa", &k->rsa)) ||
	    (rc = gkey_make(g, GK_ED25519, "fixture-other", &k->other)) ||
	    (rc = gkey_make(g, GK_RSA1024, "fixture-rsa1024", &k->rsa1024)) ||
	    (rc = gkey_make(g, GK_ED25519, "fixture-chain-leaf", &k->chain_leaf)) ||
	    (rc = gkey_make(g, GK_RSA2048, "fixture-rsa-leaf", &k->rsa_leaf)) ||
	    (rc = gkey_make(g, GK_RSA2048, "fixture-rsa-null-params", &k->rsa_null)))
		return rc;
	leaf.key = &k->ed;
	if ((rc = gcert_make(g, &leaf, &k->leaf, NULL)))
		return rc;
	leaf.key = &k->p256, leaf.serial_label = "leaf-p256";
	if ((rc = gcert_make(g, &leaf, &k->leaf_p256, NULL)))
		return rc;
	leaf.key = &k->rsa_leaf, leaf.serial_label = "leaf-rsa";
	if ((rc = gcert_make(g, &leaf, &k->leaf_rsa, NULL)))
		return rc;
	ca.key = &k->rsa;
	return gcert_make(g, &ca, &k->ca, &k->ca_crt);
}

static void
kit_close(struct kit *k)
{
	gkey_free(&k->ed);
	gkey_free(&k->p256);
	gkey_free(&k->rsa);
	gkey_free(&k->other);
	gkey_free(&k->rsa1024);
	gkey_free(&k->chain_leaf);
	gkey_free(&k->rsa_leaf);
	gkey_free(&k->rsa_null);
	gbuf_free(&k->leaf);
	gbuf_free(&k->leaf_p256);
	gbuf_free(&k->leaf_rsa);
	gbuf_free(&k->ca);
	gnutls_x509_crt_deinit(k->ca_crt);
}

static json_t *
expect_json(const char *expect)
{
	json_t *a = json_array();
	char *copy = strdup(expect), *tok, *save = NULL, *at;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		at = strchr(tok, '@');
		*at = '\0';
		json_array_append_new(
		    a, json_pack("{s:s, s:i}", "check", tok, "index", atoi(at + 1)));
	}
	free(copy);
	return a;
}

int
gen_fixtures(const struct gen *g, const char *outdir)
{
	struct kit k;
	json_t *files = json_array(), *root;
	char now[32], *path;
	size_t i;
	int rc;

	if ((rc = kit_open(&k, g)) != 0) {
		fprintf(stderr, "certfleet-gen: keys: %s\n", gnutls_strerror(rc));
		kit_close(&k);
		return -1;
	}
	for (i = 0; i < sizeof catalogue / sizeof catalogue[0] && rc == 0; i++) {
		const struct fixture *f = &catalogue[i];
		struct gbuf out = { 0 };
		if (f->make(&k, f, &out) != 0 || asprintf(&path, "%s/%s", outdir, f->file) < 0) {
			fprintf(stderr, "certfleet-gen: cannot make %s\n", f->file);
			rc = -1;
		} else {
			if (write_file(path, out.p, out.n) != 0) {
				perror(path);
				rc = -1;
			}
			free(path);
		}
		json_array_append_new(files,
		    json_pack("{s:s, s:s, s:s, s:o, s:s*}", "file", f->file, "class", f->class,
		        "description", f->desc, "findings", expect_json(f->expect), "reason",
		        f->reason));
		gbuf_free(&out);
	}
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&(time_t){ (time_t)g->now }));
	root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "generated",
	    "certfleet-gen fixtures; regenerate with: cmake --build build --target testdata",
	    "seed", g->seed, "now", now, "soon", "30d", "scan_as_node", "fixtures",
	    "max_validity_days", 397, "files", files);
	if (rc == 0 &&
	    (asprintf(&path, "%s/manifest.json", outdir) < 0 ||
	        json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0))
		rc = -1;
	else if (rc == 0)
		free(path);
	json_decref(root);
	kit_close(&k);
	return rc;
}
