/*
 * jks_decoder.c - Java keystores: JKS (magic FEEDFEED) and JCEKS
 * (CECECECE), by content. No Debian C library reads them, so this is a
 * small strict reader of the format (big-endian):
 *
 *   magic u32, version u32 (1 or 2), count u32, then COUNT entries:
 *     tag u32 (1 private key, 2 trusted certificate, 3 JCEKS secret key),
 *     alias UTF (u16 length, bytes), timestamp u64,
 *     1: key u32 length + bytes (encrypted, not decrypted here),
 *        chain u32 count, each [v2: type UTF] u32 length + DER
 *     2: [v2: type UTF] u32 length + DER
 *     3: a serialized Java object (no length: nothing after it is read)
 *   then SHA-1(password as UTF-16BE || "Mighty Aphrodite" || all the above).
 *
 * Every certificate (stored in the clear) is a member named after its
 * entry's alias; a key entry is an encrypted key member. The digest is
 * checked when the scan was given passwords (one of them must match).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "decode/decode.h"

struct rd {
	const unsigned char *p;
	size_t n, at;
	const char *err; /* the first fault, static */
	size_t err_at;
};

static int
fault(struct rd *r, const char *why)
{
	if (r->err == NULL) {
		r->err = why;
		r->err_at = r->at;
	}
	return -1;
}

static int
u32(struct rd *r, uint32_t *v)
{
	if (r->err || r->n - r->at < 4)
		return fault(r, "truncated");
	*v = (uint32_t)r->p[r->at] << 24 | (uint32_t)r->p[r->at + 1] << 16 |
	    (uint32_t)r->p[r->at + 2] << 8 | r->p[r->at + 3];
	r->at += 4;
	return 0;
}

/* Skip N bytes, keeping where they start in *AT. */
static int
bytes(struct rd *r, size_t len, size_t *at)
{
	if (r->err || r->n - r->at < len)
		return fault(r, "truncated: a length runs past the end of the file");
	*at = r->at;
	r->at += len;
	return 0;
}

/* A Java UTF string: u16 length and its bytes (*AT, *LEN). */
static int
utf(struct rd *r, size_t *at, size_t *len)
{
	if (r->err || r->n - r->at < 2)
		return fault(r, "truncated");
	*len = (size_t)r->p[r->at] << 8 | r->p[r->at + 1];
	r->at += 2;
	return bytes(r, *len, at);
}

/* A certificate: [v2: its type] then a u32 length and the DER; a member
 * named NAME when its type is X.509. */
static int
cert(struct rd *r, int version, struct cf__facts_cache *c, struct cf__decoded *d, int *index,
    const char *name)
{
	size_t at, tat = 0, tlen = 5;
	uint32_t n;
	int rc;

	if (version == 2 && utf(r, &tat, &tlen) != 0)
		return 0;
	if (u32(r, &n) != 0 || bytes(r, n, &at) != 0)
		return 0;
	if (version == 2 && (tlen != 5 || memcmp(r->p + tat, "X.509", 5) != 0))
		return cf__dec_skip(d, "a keystore certificate that is not X.509", 0, "");
	if ((rc = cf__dec_cert(c, d, *index, 0, r->p + at, n)) == 0)
		rc = cf__member_name(d, d->n_members - 1, name);
	(*index)++;
	return rc;
}

/* The keystore digest of P[0..N) with password PW (ASCII/UTF-8 taken
 * as UTF-16BE code units of its bytes, as keytool does for ASCII). */
static int
digest_ok(const unsigned char *p, size_t n, const char *pw)
{
	gnutls_hash_hd_t h;
	unsigned char out[20], be[2];
	size_t i;

	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA1) < 0)
		return 0;
	for (i = 0; pw[i]; i++) {
		be[0] = 0;
		be[1] = (unsigned char)pw[i];
		gnutls_hash(h, be, 2);
	}
	gnutls_hash(h, "Mighty Aphrodite", 16);
	gnutls_hash(h, p, n);
	gnutls_hash_deinit(h, out);
	return memcmp(out, p + n, 20) == 0;
}

static int
decode_jks(
    struct cf__facts_cache *c, struct cf__decoded *d, int cls, const unsigned char *p, size_t n)
{
	struct rd r = { p, n, 0, NULL, 0 };
	uint32_t magic, version, count, tag, k, chain, klen, i;
	size_t at, len, x;
	char name[160], msg[512];
	int rc = 0, index = 0, stopped = 0;

	(void)cls;
	d->is_der = 1;
	d->unordered = 1;
	u32(&r, &magic);
	u32(&r, &version);
	u32(&r, &count);
	if (r.err == NULL && version != 1 && version != 2)
		fault(&r, "unknown keystore version");
	for (k = 0; rc == 0 && r.err == NULL && k < count && !stopped; k++) {
		char *clean;
		if (u32(&r, &tag) != 0 || utf(&r, &at, &len) != 0 || bytes(&r, 8, &x) != 0)
			break;
		if ((clean = cf__sanitize(r.p + at, len)) == NULL)
			return CF_E_NOMEM;
		snprintf(name, sizeof name, "%s", clean);
		free(clean);
		switch (tag) {
		case 1: /* a private key (encrypted) and its chain */
			if (u32(&r, &klen) != 0 || bytes(&r, klen, &x) != 0 || u32(&r, &chain) != 0)
				break;
			if (chain > (r.n - r.at) / 4) {
				fault(&r, "a certificate chain longer than the file");
				break;
			}
			if (cf__member_new(d, CF__M_KEY_ENCRYPTED, index++, 0) == NULL ||
			    cf__member_name(d, d->n_members - 1, name) != 0)
				return CF_E_NOMEM;
			for (i = 0; rc == 0 && r.err == NULL && i < chain; i++)
				rc = cert(&r, (int)version, c, d, &index, name);
			break;
		case 2: rc = cert(&r, (int)version, c, d, &index, name); break;
		case 3: /* JCEKS: a serialized SealedObject, no length */
			snprintf(msg, sizeof msg,
			    "keystore entry %u ('%s') is a JCEKS secret key (a serialized "
			    "Java object of no stated length): the %u entries after it and the "
			    "digest were "
			    "not read",
			    k + 1, name, count - k - 1);
			if (cf__member_new(d, CF__M_INVALID, index, 0) == NULL)
				return CF_E_NOMEM;
			rc = cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, 0, NULL, "%s", msg);
			stopped = 1;
			break;
		default: fault(&r, "unknown entry tag");
		}
	}
	if (rc)
		return rc;
	if (r.err == NULL && !stopped && r.n - r.at != 20)
		fault(&r,
		    r.n - r.at < 20 ? "truncated: no 20-byte digest after the entries"
		                    : "bytes after the keystore's digest");
	if (r.err) {
		snprintf(msg, sizeof msg, "invalid Java keystore: %s at byte %zu", r.err, r.err_at);
		return cf__dec_invalid(d, index, 0, msg);
	}
	if (!stopped && d->n_pw) {
		for (i = 0; i < d->n_pw && !digest_ok(p, r.at, d->pw[i]); i++)
			;
		if (i == d->n_pw) {
			snprintf(msg, sizeof msg,
			    "Java keystore integrity check failed: its digest matches "
			    "none of the %zu passwords given (a wrong password, or the file was "
			    "altered)",
			    d->n_pw);
			return cf__dec_invalid(d, 0, 0, msg);
		}
	}
	if (d->n_members == 0)
		rc = cf__dec_skip(d, "an empty Java keystore", 0, "");
	return rc;
}

static int
jks_bid(int cls, const unsigned char *p, size_t n)
{
	(void)cls;
	return n >= 4 &&
	        (memcmp(p, "\xfe\xed\xfe\xed", 4) == 0 || memcmp(p, "\xce\xce\xce\xce", 4) == 0)
	    ? 3
	    : 0;
}

static int
jks_sniff(const unsigned char *p, size_t n)
{
	return jks_bid(0, p, n) > 0;
}

static const struct cf__claim jks_names[] = { { ".jks", CF__NAME_OTHER },
	{ ".jceks", CF__NAME_OTHER }, { ".keystore", CF__NAME_OTHER },
	{ "cacerts", CF__NAME_OTHER }, { NULL, 0 } };

const struct cf__decoder cf__jks_decoder = { "jks", jks_names, jks_sniff, jks_bid, decode_jks };
