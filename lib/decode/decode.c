/*
 * decode.c - one file's bytes into members (certificates and keys), with a
 * located tls-cert-invalid finding for every member that does not decode:
 * the decoder table's highest bidder reads the bytes (decoders.c), with
 * the member helpers every decoder shares.
 * Every member of a bundle is audited on its own. cf__decode() runs on any
 * thread: it touches only its job and the (locked) facts cache; its
 * findings wait in the job until cf__commit() moves them into the scan.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>

#include "decode/decode.h"

struct cf__member *
cf__member_new(struct cf__decoded *d, enum cf__member_kind kind, int index, int line)
{
	struct cf__member *m;

	if (cf__grow((void **)&d->members, &d->cap, (size_t)d->n_members + 1, sizeof *m, 2) != 0)
		return NULL;
	m = &d->members[d->n_members++];
	memset(m, 0, sizeof *m);
	m->kind = (uint8_t)kind;
	m->index = (uint32_t)(index < 0 ? 0 : index);
	m->line = (uint32_t)(line < 0 ? 0 : line);
	return m;
}

static int vadd_pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, va_list ap) CF__PRINTF(6, 0);

/* Has D listed CF__MAX_PER_CHECK findings of RULE already? Then the one at
 * INDEX, LINE is counted instead (CF_E_NOMEM when that fails), and 1. */
static int
over_cap(struct cf__decoded *d, enum cf__rule_id rule, int index, int line)
{
	size_t i, k = 0;

	for (i = 0; i < d->n_pending; i++)
		k += d->pending[i].rule->num == rule;
	if (k < CF__MAX_PER_CHECK)
		return 0;
	if (d->over == NULL && (d->over = calloc(CF__R_COUNT, sizeof *d->over)) == NULL)
		return CF_E_NOMEM;
	if (d->over[rule].n++ == 0) {
		d->over[rule].index = index;
		d->over[rule].line = line;
	}
	return 1;
}

/* One finding for each rule whose findings went over the cap in D. */
static int
over_said(struct cf__decoded *d)
{
	size_t r;
	int rc = 0;

	for (r = 0; d->over && r < CF__R_COUNT && rc == 0; r++) {
		struct cf__over o = d->over[r];
		if (o.n == 0)
			continue;
		d->over[r].n = 0;         /* this one is said whatever the count */
		rc = cf__dec_note(d, (enum cf__rule_id)r, o.index, o.line, NULL, "and %u more %s findings "
		    "in this file, from member %d on (at most %d findings of one check per file are "
		    "listed)", o.n, cf__rules[r].id, o.index, CF__MAX_PER_CHECK);
	}
	return rc;
}

int
cf__dec_pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if ((rc = over_cap(d, rule, index, line)) != 0)
		return rc < 0 ? rc : 0;
	va_start(ap, fmt);
	rc = vadd_pending(d, rule, index, line, facts, fmt, ap);
	va_end(ap);
	return rc;
}

int
cf__dec_note(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd_pending(d, rule, index, line, facts, fmt, ap);
	va_end(ap);
	return rc;
}

static int
vadd_pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, va_list ap)
{
	struct cf__pending *p;
	int n;

	if (cf__grow((void **)&d->pending, &d->cap_pending, d->n_pending + 1, sizeof *p, 2) != 0)
		return CF_E_NOMEM;
	p = &d->pending[d->n_pending];
	p->rule = &cf__rules[rule];
	p->index = index;
	p->line = line;
	p->facts = facts;
	n = vasprintf(&p->message, fmt, ap);
	if (n < 0)
		return CF_E_NOMEM;
	d->n_pending++;
	return 0;
}

int
cf__dec_dh(struct cf__decoded *d, int index, int line, const char *label, const unsigned char *der,
    size_t len)
{
	const unsigned char *seq, *prime;
	size_t n, pn, bad;
	unsigned bits;

	/* DHParameter (PKCS#3) and DomainParameters (X9.42) both start with
	 * the prime: SEQUENCE { INTEGER p, ... } */
	if (cf__der_check(der, len, &bad) != NULL || cf__der_contents(der, len, &seq, &n) != 0x30 ||
	    cf__der_contents(seq, n, &prime, &pn) != 0x02)
		return cf__dec_skip(d, label, line, "");
	while (pn > 0 && prime[0] == 0)
		prime++, pn--;
	if (pn == 0 || pn > 65536)
		return cf__dec_skip(d, label, line, "");
	for (bits = (unsigned)pn * 8; !(prime[0] & (0x80 >> ((pn * 8 - bits) & 7))); bits--)
		;
	if (bits >= 2048)
		return cf__dec_skip(d, label, line, "");
	return cf__dec_pending(d, CF__R_KEY_WEAK, index, line, NULL, "%s: DH parameters: a %u-bit prime, "
	    "under the 2048 bits of today's TLS stacks", cf__rules[CF__R_KEY_WEAK].headline, bits);
}

int
cf__dec_invalid(struct cf__decoded *d, int index, int line, const char *why)
{
	int rc;

	/* past the cap, neither the member nor its finding is kept: a file of
	 * a million empty certificates costs a count, not a million records */
	if ((rc = over_cap(d, CF__R_CERT_INVALID, index, line)) != 0)
		return rc < 0 ? rc : 0;
	if (cf__member_new(d, CF__M_INVALID, index, line) == NULL)
		return CF_E_NOMEM;
	return cf__dec_pending(d, CF__R_CERT_INVALID, index, line, NULL, "%s", why);
}

/* "line N: " before WHY when the line is known. */
int
cf__dec_invalid_at(struct cf__decoded *d, int index, int line, const char *what, const char *why)
{
	char msg[512];

	if (line > 0)
		snprintf(msg, sizeof msg, "line %d: %s%s", line, what, why);
	else
		snprintf(msg, sizeof msg, "%s%s", what, why);
	return cf__dec_invalid(d, index, line, msg);
}

/* A member of KIND for the facts record F of DER (F NULL: out of memory),
 * held to the one DER rule: refused by GnuTLS, or by OpenSSL (cf__der_lint
 * < 0), it is an invalid member saying why; loaded by both but not DER, it
 * is a member with a tls-der-noncanonical finding. LINT 0: keys, whose DER
 * the sign/verify check of the facts stage judges instead. */
static int
facts_member(struct cf__decoded *d, enum cf__member_kind kind, int index, int line,
    const struct cf__facts *f, const unsigned char *der, size_t len, int lint)
{
	struct cf__member *m;
	const char *why = NULL;
	char msg[256];
	size_t at = 0;

	if (f == NULL)
		return CF_E_NOMEM;
	if (f->error)
		return cf__dec_invalid_at(d, index, line, "", f->error);
	if (lint && (lint = cf__der_lint(der, len, &why, &at)) < 0) {
		snprintf(msg, sizeof msg, "invalid DER: %s at byte %zu", why, at);
		return cf__dec_invalid_at(d, index, line, "", msg);
	}
	if ((m = cf__member_new(d, kind, index, line)) == NULL)
		return CF_E_NOMEM;
	m->facts = f;
	d->n_certs += kind == CF__M_CERT;
	if (lint > 0)
		return cf__dec_pending(d, CF__R_DER_NONCANONICAL, index, line, f, "readable, but not "
		    "DER: %s at byte %zu", why, at);
	return 0;
}

/* A certificate member from DER bytes. */
int
cf__dec_cert(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len)
{
	const char *shape = cf__der_cert_shape(der, len);

	if (shape)
		return cf__dec_invalid_at(d, index, line, "invalid certificate: ", shape);
	return facts_member(d, CF__M_CERT, index, line, cf__facts_get(c, der, len), der, len, 1);
}

int
cf__dec_key(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line, const char *label,
    const unsigned char *der, size_t len)
{
	return facts_member(d, CF__M_KEY, index, line, cf__key_get(c, label, der, len), der, len, 0);
}

int
cf__key_decrypt(const unsigned char *p, size_t n, int legacy, const char *pw, gnutls_datum_t *out)
{
	gnutls_datum_t in = { (unsigned char *)p, (unsigned)n };
	gnutls_x509_privkey_t k;
	int rc;

	out->data = NULL;
	out->size = 0;
	if (n > UINT_MAX)
		return GNUTLS_E_INVALID_REQUEST;
	if ((rc = gnutls_x509_privkey_init(&k)) < 0)
		return rc;
	rc = legacy ? gnutls_x509_privkey_import_openssl(k, &in, pw) :
	    gnutls_x509_privkey_import_pkcs8(k, &in, GNUTLS_X509_FMT_DER, pw, 0);
	if (rc >= 0)
		rc = gnutls_x509_privkey_export2_pkcs8(k, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, out);
	gnutls_x509_privkey_deinit(k);
	return rc;
}

unsigned
cf__pkcs8_iterations(const unsigned char *p, size_t n)
{
	gnutls_datum_t in = { (unsigned char *)p, (unsigned)n };
	unsigned schema, cipher, iter = 0, salt_size = 256;
	unsigned char salt[256];
	char *oid = NULL;
	int r = n > UINT_MAX ? -1 : gnutls_pkcs8_info(&in, GNUTLS_X509_FMT_DER, &schema, &cipher, salt,
	    &salt_size, &iter, &oid);

	gnutls_free(oid);
	return r < 0 ? 0 : iter;
}

int
cf__kdf_refused(struct cf__decoded *d, unsigned iter, int index, int line)
{
	if (iter <= CF__MAX_KDF_ITER)
		return 0;
	return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, line, NULL, "an encrypted private key "
	    "whose key derivation asks for %u iterations, over the %u certfleet makes for one; not "
	    "tried", iter, CF__MAX_KDF_ITER) ? CF_E_NOMEM : 1;
}

int
cf__kdf_try(struct cf__decoded *d, int index, int line, unsigned iter)
{
	struct cf__facts_cache *c = d->kdf_cache;
	uint64_t cost = iter ? iter : 1;

	if (d->kdf_said || d->kdf_cut)
		return 0;
	if (d->key_tries >= CF__MAX_KEY_TRIES) {
		d->kdf_said = 1;
		return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, line, NULL, "%d password tries "
		    "were made on the encrypted keys or contents of this file (each may cost seconds of key "
		    "derivation), the most certfleet makes in one file: the rest was not tried and is not "
		    "audited", CF__MAX_KEY_TRIES) != 0 ? CF_E_NOMEM : 0;
	}
	/* past the shared budget, a worker waits for its turn and goes on
	 * with exactly what is left, when what it spent fits; else the file
	 * is decoded again at commit, in order */
	if (!d->kdf_exact && c && __atomic_add_fetch(&c->kdf_spent, cost, __ATOMIC_RELAXED) >
	    c->kdf_budget) {
		uint64_t left;
		if (c->kdf_turn == NULL || !c->kdf_turn(d->kdf_job, &left) || d->kdf_work > left) {
			d->kdf_cut = 1;
			return 0;
		}
		d->kdf_exact = 1;
		d->kdf_limit = left;
	}
	if (d->kdf_exact && d->kdf_work + cost > d->kdf_limit) {
		d->kdf_said = 1;
		return cf__dec_pending(d, CF__R_INPUT_UNREADABLE, index, line, NULL, "the scan's budget of "
		    "key derivation (--max-kdf-work, %llu iterations of PBKDF2 or PKCS#12 in all) is spent: "
		    "this file's encrypted keys or contents were not tried further and are not audited",
		    (unsigned long long)c->kdf_budget) != 0 ? CF_E_NOMEM : 0;
	}
	d->key_tries++;
	d->kdf_work += cost;
	return 1;
}

int
cf__dec_key_encrypted(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *p, size_t n, int legacy)
{
	gnutls_datum_t plain;
	size_t i;
	int rc;

	/* a legacy key's derivation is one MD5: counted as one iteration */
	unsigned iter = legacy || d->n_pw == 0 ? 1 : cf__pkcs8_iterations(p, n);

	if ((rc = cf__kdf_refused(d, iter, index, line)) != 0)
		return rc < 0 ? rc : cf__member_new(d, CF__M_KEY_ENCRYPTED, index, line) ? 0 : CF_E_NOMEM;
	for (i = 0; i < d->n_pw; i++) {
		if ((rc = cf__kdf_try(d, index, line, iter)) <= 0) {
			if (rc < 0)
				return rc;
			break;
		}
		if ((rc = cf__key_decrypt(p, n, legacy, d->pw[i], &plain)) == GNUTLS_E_MEMORY_ERROR)
			return CF_E_NOMEM;
		if (rc < 0)
			continue;
		rc = cf__dec_key(c, d, index, line, "PRIVATE KEY", plain.data, plain.size);
		gnutls_memset(plain.data, 0, plain.size);
		gnutls_free(plain.data);
		if (rc == 0 && d->n_members && d->members[d->n_members - 1].kind == CF__M_KEY)
			d->members[d->n_members - 1].decrypted = 1;
		return rc;
	}
	return cf__member_new(d, CF__M_KEY_ENCRYPTED, index, line) ? 0 : CF_E_NOMEM;
}

int
cf__member_name(struct cf__decoded *d, uint32_t i, const char *name)
{
	char **v;

	if (i >= d->n_members)
		return 0;
	if (d->n_names < d->n_members) {
		if ((v = realloc(d->names, d->n_members * sizeof *v)) == NULL)
			return CF_E_NOMEM;
		memset(v + d->n_names, 0, (d->n_members - d->n_names) * sizeof *v);
		d->names = v;
		d->n_names = d->n_members;
	}
	free(d->names[i]);
	return (d->names[i] = cf__sanitize(name, strlen(name))) ? 0 : CF_E_NOMEM;
}

int
cf__dec_crl(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len)
{
	return facts_member(d, CF__M_CRL, index, line, cf__crl_get(c, der, len), der, len, 1);
}

/* At most this many things named in a skip reason. */
#define SKIP_NAMED 4

int
cf__dec_skip(struct cf__decoded *d, const char *what, int line, const char *note)
{
	char *clean = cf__sanitize(what, strlen(what)), *old = d->skip, *s;
	size_t named = 0;
	const char *q;
	int n;

	if (clean == NULL)
		return CF_E_NOMEM;
	for (q = old; q && (q = strstr(q, "; ")) != NULL; q += 2)
		named++;
	if (old && named + 1 >= SKIP_NAMED) {
		free(clean);
		if (named + 1 == SKIP_NAMED && strstr(old, "; ...") == NULL) {
			if (asprintf(&s, "%s; ...", old) < 0)
				return CF_E_NOMEM;
			free(old);
			d->skip = s;
		}
		return 0;
	}
	if (line > 0)
		n = asprintf(&s, "%s%s%s (line %d)%s", old ? old : "holds no certificate, key or CRL: ",
		    old ? "; " : "", clean, line, note);
	else
		n = asprintf(&s, "%s%s%s%s", old ? old : "holds no certificate, key or CRL: ",
		    old ? "; " : "", clean, note);
	free(clean);
	if (n < 0)
		return CF_E_NOMEM;
	free(old);
	d->skip = s;
	return 0;
}

/* The identity for the fleet comparison: its certificates, in order. */
static void
set_identity(struct cf__decoded *d)
{
	gnutls_hash_hd_t h;
	uint32_t i;

	for (i = 0; d->n_certs == 1 && i < d->n_members; i++)
		if (d->members[i].kind == CF__M_CERT)
			memcpy(d->identity, d->members[i].facts->sha256, 32);
	if (d->n_certs < 2 || gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return;
	for (i = 0; i < d->n_members; i++)
		if (d->members[i].kind == CF__M_CERT)
			gnutls_hash(h, d->members[i].facts->sha256, 32);
	gnutls_hash_deinit(h, d->identity);
}

/* The decoder that bids highest for these bytes (ties: the earlier row). */
static const struct cf__decoder *
best_decoder(int cls, const unsigned char *data, size_t len)
{
	const struct cf__decoder *best = cf__decoders[0];
	int b, top = -1;
	size_t i;

	for (i = 0; cf__decoders[i]; i++)
		if ((b = cf__decoders[i]->bid(cls, data, len)) > top)
			top = b, best = cf__decoders[i];
	return best;
}

/* Decode bytes never seen under this name class. */
static struct cf__decoded *
decode_new(struct cf__facts_cache *c, int cls, const unsigned char *data, size_t len, int *rc,
    const struct cf__job *j)
{
	uint16_t pw_mask = j->pw_mask;
	struct cf__decoded *d = calloc(1, sizeof *d);
	const char **pw = malloc((c->n_passwords + 1) * sizeof *pw);
	size_t i;

	if (d == NULL || pw == NULL) {
		free(d);
		free(pw);
		*rc = CF_E_NOMEM;
		return NULL;
	}
	/* the passwords that apply to the file's path: the unscoped ones,
	 * and those whose glob its path matches */
	for (i = 0; i < c->n_passwords; i++)
		if (c->pw_scope == NULL || c->pw_scope[i] == 0 || (pw_mask & (1u << (c->pw_scope[i] - 1))))
			pw[d->n_pw++] = c->passwords[i];
	d->pw = pw;
	d->kdf_cache = c;
	d->kdf_job = (void *)j;
	d->kdf_exact = j->kdf_exact;
	d->kdf_limit = j->kdf_limit;
	*rc = best_decoder(cls, data, len)->decode(c, d, cls, data, len);
	d->pw = NULL;
	d->n_pw = 0;
	d->kdf_cache = NULL;
	d->kdf_job = NULL;
	free(pw);
	if (*rc == 0)
		*rc = over_said(d);
	if (*rc) {
		cf__decoded_free(d);
		return NULL;
	}
	if (d->n_members || d->n_pending) {   /* something audited: not a skip */
		free(d->skip);
		d->skip = NULL;
	}
	set_identity(d);
	return d;
}

int
cf__decode(struct cf__facts_cache *c, struct cf__dmap *content, struct cf__job *j)
{
	unsigned char sha[32];
	struct cf__decoded *d;
	int cls = cf__name_class(j->path);

	if (j->kdf_redo) {                /* again, with what the budget has left */
		if ((j->dec = decode_new(c, cls, j->data, j->len, &j->rc, j)) == NULL && j->rc == 0)
			j->rc = CF_E_NOMEM;
	} else if ((j->spath = cf__sanitize(j->path, strlen(j->path))) == NULL ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, j->data, j->len, sha) < 0)
		j->rc = CF_E_NOMEM;
	/* the same bytes read with other passwords are another record */
	else if ((j->dec = cf__dmap_get(content, sha, cls + 16 * j->pw_mask)) == NULL &&
	    (d = decode_new(c, cls, j->data, j->len, &j->rc, j)) != NULL &&
	    (j->dec = cf__dmap_put(content, sha, cls + 16 * j->pw_mask, d)) == NULL)
		j->rc = CF_E_NOMEM;
	/* bytes that cost key derivation may be decoded again at commit */
	if (j->kdf_redo || j->rc || j->dec == NULL || (j->dec->kdf_work == 0 && !j->dec->kdf_cut)) {
		free(j->data);
		j->data = NULL;
	}
	return j->rc;
}
