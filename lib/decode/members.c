/*
 * members.c - what every decoder makes: members (certificates, keys,
 * CRLs, invalid ones) and their findings, pending in the decoded file
 * until committed, at most CF__MAX_PER_CHECK of one rule per file; and the
 * skip reason of a file no decoder reads.
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

static int vadd_pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, va_list ap) CF__PRINTF(6, 0);

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
int
cf__dec_over_said(struct cf__decoded *d)
{
	size_t r;
	int rc = 0;

	for (r = 0; d->over && r < CF__R_COUNT && rc == 0; r++) {
		struct cf__over o = d->over[r];
		if (o.n == 0)
			continue;
		d->over[r].n = 0; /* this one is said whatever the count */
		rc = cf__dec_note(d, (enum cf__rule_id)r, o.index, o.line, NULL,
		    "and %u more %s findings "
		    "in this file, from member %d on (at most %d findings of one check per file "
		    "are "
		    "listed)",
		    o.n, cf__rules[r].id, o.index, CF__MAX_PER_CHECK);
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
	return cf__dec_pending(d, CF__R_KEY_WEAK, index, line, NULL,
	    "DH parameters: a %u-bit prime, "
	    "under the 2048 bits of today's TLS stacks",
	    bits);
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
		return cf__dec_pending(
		    d, CF__R_DER_NONCANONICAL, index, line, f, "%s at byte %zu", why, at);
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
cf__dec_key(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const char *label, const unsigned char *der, size_t len)
{
	return facts_member(
	    d, CF__M_KEY, index, line, cf__key_get(c, label, der, len), der, len, 0);
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
		n = asprintf(&s, "%s%s%s (line %d)%s",
		    old ? old : "holds no certificate, key or CRL: ", old ? "; " : "", clean, line,
		    note);
	else
		n = asprintf(&s, "%s%s%s%s",
		    old ? old : "holds no certificate, key or CRL: ", old ? "; " : "", clean, note);
	free(clean);
	if (n < 0)
		return CF_E_NOMEM;
	free(old);
	d->skip = s;
	return 0;
}
