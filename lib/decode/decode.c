/*
 * decode.c - one file's bytes into members (certificates and keys), with a
 * located tls-cert-invalid finding for every member that does not decode.
 * Every member of a bundle is audited on its own. cf__decode() runs on any
 * thread: it touches only its job and the (locked) facts cache; its
 * findings wait in the job until cf__commit() moves them into the scan.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "decode/decode.h"

static int
label_is_key(const char *label)
{
	return strcmp(label, "PRIVATE KEY") == 0 || strcmp(label, "RSA PRIVATE KEY") == 0 ||
	    strcmp(label, "EC PRIVATE KEY") == 0;
}

static struct cf__member *
member_new(struct cf__decoded *d, enum cf__member_kind kind, int index, int line)
{
	struct cf__member *m;

	if (cf__grow((void **)&d->members, &d->cap, (size_t)d->n_members + 1, sizeof *m, 2) != 0)
		return NULL;
	m = &d->members[d->n_members++];
	memset(m, 0, sizeof *m);
	m->kind = (uint8_t)kind;
	m->index = (uint16_t)(index > 65535 ? 65535 : index);
	m->line = (uint32_t)(line < 0 ? 0 : line);
	return m;
}

static int
pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...) CF__PRINTF(6, 7);

static int
pending(struct cf__decoded *d, enum cf__rule_id rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...)
{
	struct cf__pending *p;
	va_list ap;
	int n;

	if (cf__grow((void **)&d->pending, &d->cap_pending, d->n_pending + 1, sizeof *p, 2) != 0)
		return CF_E_NOMEM;
	p = &d->pending[d->n_pending];
	p->rule = &cf__rules[rule];
	p->index = index;
	p->line = line;
	p->facts = facts;
	va_start(ap, fmt);
	n = vasprintf(&p->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CF_E_NOMEM;
	d->n_pending++;
	return 0;
}

static int
invalid(struct cf__decoded *d, int index, int line, const char *why)
{
	if (member_new(d, CF__M_INVALID, index, line) == NULL)
		return CF_E_NOMEM;
	return pending(d, CF__R_CERT_INVALID, index, line, NULL, "%s", why);
}

/* "line N: " before WHY when the line is known. */
static int
invalid_at(struct cf__decoded *d, int index, int line, const char *what, const char *why)
{
	char msg[512];

	if (line > 0)
		snprintf(msg, sizeof msg, "line %d: %s%s", line, what, why);
	else
		snprintf(msg, sizeof msg, "%s%s", what, why);
	return invalid(d, index, line, msg);
}

/* A certificate member from DER bytes. */
static int
add_cert(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line,
    const unsigned char *der, size_t len)
{
	const char *shape = cf__der_cert_shape(der, len);
	const struct cf__facts *facts;
	struct cf__member *m;

	if (shape)
		return invalid_at(d, index, line, "invalid certificate: ", shape);
	if ((facts = cf__facts_get(c, der, len)) == NULL)
		return CF_E_NOMEM;
	if (facts->error)
		return invalid_at(d, index, line, "", facts->error);
	if ((m = member_new(d, CF__M_CERT, index, line)) == NULL)
		return CF_E_NOMEM;
	m->facts = facts;
	d->n_certs++;
	return 0;
}

static int
add_key(struct cf__facts_cache *c, struct cf__decoded *d, int index, int line, const char *label,
    const unsigned char *der, size_t len)
{
	const struct cf__facts *key = cf__key_get(c, label, der, len);
	struct cf__member *m;

	if (key == NULL)
		return CF_E_NOMEM;
	if (key->error)
		return invalid_at(d, index, line, "", key->error);
	if ((m = member_new(d, CF__M_KEY, index, line)) == NULL)
		return CF_E_NOMEM;
	m->facts = key;
	return 0;
}

static int
add_block(struct cf__facts_cache *c, struct cf__decoded *d, int index, const struct cf__pem_block *b)
{
	char why[512];
	char *label;
	int rc;

	if (b->error)
		return invalid(d, index, b->line, b->error);
	if (strcmp(b->label, "CERTIFICATE") == 0 || strcmp(b->label, "X509 CERTIFICATE") == 0)
		return add_cert(c, d, index, b->line, b->der, b->der_len);
	if (label_is_key(b->label))
		return add_key(c, d, index, b->line, b->label, b->der, b->der_len);
	if (strcmp(b->label, "ENCRYPTED PRIVATE KEY") == 0)
		return member_new(d, CF__M_KEY_ENCRYPTED, index, b->line) ? 0 : CF_E_NOMEM;
	if ((label = cf__sanitize(b->label, strlen(b->label))) == NULL)
		return CF_E_NOMEM;
	snprintf(why, sizeof why, "line %d: unexpected PEM label '%s': not a certificate or key",
	    b->line, label);
	rc = invalid(d, index, b->line, why);
	free(label);
	return rc;
}

static int
lax_finding(struct cf__decoded *d, const struct cf__pem *pem)
{
	char why[256] = "";

	if (pem->lax & CF__LAX_LEGACY_LABEL)
		strcat(why, "legacy label 'X509 CERTIFICATE'; ");
	if (pem->lax & CF__LAX_CR_ONLY)
		strcat(why, "CR-only line endings; ");
	if (pem->lax & CF__LAX_TRAILING)
		snprintf(why + strlen(why), sizeof why - strlen(why),
		    "text after the last END line (line %d); ", pem->trailing_line);
	why[strlen(why) - 2] = '\0';
	return pending(d, CF__R_PEM_LAX, 0, pem->lax & CF__LAX_TRAILING ? pem->trailing_line : 0,
	    NULL, "readable, but not canonical PEM: %s", why);
}

static int
decode_pem(struct cf__facts_cache *c, struct cf__decoded *d, const unsigned char *data, size_t len)
{
	struct cf__pem pem;
	size_t i;
	int rc;

	if ((rc = cf__pem_parse(data, len, &pem)) != 0)
		goto out;
	if (pem.error) {
		rc = invalid(d, 0, pem.error_line, pem.error);
		goto out;
	}
	for (i = 0; i < pem.n && rc == 0; i++)
		rc = add_block(c, d, (int)i, &pem.blocks[i]);
	if (rc == 0 && pem.lax && d->n_certs)
		rc = lax_finding(d, &pem);
out:
	cf__pem_free(&pem);
	return rc;
}

/* Name classes: what a file's name says about its bytes. */
enum { NAME_OTHER = 0, NAME_DER = 1, NAME_KEY = 2 };

static int
name_class(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (cf__name_kind(path) == 2)
		return NAME_KEY;
	return dot && (strcasecmp(dot, ".der") == 0 || strcasecmp(dot, ".cer") == 0) ? NAME_DER :
	    NAME_OTHER;
}

static int
decode_der(struct cf__facts_cache *c, struct cf__decoded *d, int cls,
    const unsigned char *data, size_t len)
{
	size_t off;
	const char *why = cf__der_check(data, len, &off);
	char msg[256];

	d->is_der = 1;
	if (why) {
		snprintf(msg, sizeof msg, "invalid DER: %s at byte %zu", why, off);
		return invalid(d, 0, 0, msg);
	}
	if (cls == NAME_KEY)
		return add_key(c, d, 0, 0, "", data, len);
	return add_cert(c, d, 0, 0, data, len);
}

/* DER is sniffed: no PEM BEGIN in the text, and a leading SEQUENCE tag, a
 * .der/.cer name, or bytes no text holds. */
static int
looks_der(int cls, const unsigned char *p, size_t n)
{
	size_t i;

	if (n == 0 || memmem(p, n, "-----BEGIN", 10) != NULL)
		return 0;
	if (p[0] == 0x30 || cls == NAME_DER)
		return 1;
	for (i = 0; i < n && i < 64; i++)
		if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20))
			return 1;
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

/* Decode bytes never seen under this name class. */
static struct cf__decoded *
decode_new(struct cf__facts_cache *c, int cls, const unsigned char *data, size_t len, int *rc)
{
	struct cf__decoded *d = calloc(1, sizeof *d);

	if (d == NULL) {
		*rc = CF_E_NOMEM;
		return NULL;
	}
	*rc = looks_der(cls, data, len) ? decode_der(c, d, cls, data, len) :
	    decode_pem(c, d, data, len);
	if (*rc) {
		cf__decoded_free(d);
		return NULL;
	}
	set_identity(d);
	return d;
}

int
cf__decode(struct cf__facts_cache *c, struct cf__dmap *content, struct cf__job *j)
{
	unsigned char sha[32];
	struct cf__decoded *d;
	int cls = name_class(j->path);

	if ((j->spath = cf__sanitize(j->path, strlen(j->path))) == NULL ||
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, j->data, j->len, sha) < 0)
		j->rc = CF_E_NOMEM;
	else if ((j->dec = cf__dmap_get(content, sha, cls)) == NULL &&
	    (d = decode_new(c, cls, j->data, j->len, &j->rc)) != NULL &&
	    (j->dec = cf__dmap_put(content, sha, cls, d)) == NULL)
		j->rc = CF_E_NOMEM;
	free(j->data);
	j->data = NULL;
	return j->rc;
}
