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

#include "private.h"

int
cf__has_pem_begin(const void *p, size_t n)
{
	return n > 0 && memmem(p, n, "-----BEGIN ", 11) != NULL;
}

int
cf__name_kind(const char *path)
{
	static const char *const certs[] = { ".pem", ".crt", ".cer", ".der", NULL };
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	size_t i;

	if (dot == NULL || (slash && dot < slash))
		return 0;
	for (i = 0; certs[i]; i++)
		if (strcasecmp(dot, certs[i]) == 0)
			return 1;
	return strcasecmp(dot, ".key") == 0 ? 2 : 0;
}

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
pending(struct cf__decoded *d, const char *rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...) CF__PRINTF(6, 7);

static int
pending(struct cf__decoded *d, const char *rule, int index, int line,
    const struct cf__facts *facts, const char *fmt, ...)
{
	struct cf__pending *p;
	va_list ap;
	int n;

	if (cf__grow((void **)&d->pending, &d->cap_pending, d->n_pending + 1, sizeof *p, 2) != 0)
		return CF_E_NOMEM;
	p = &d->pending[d->n_pending];
	p->rule = cf__rule_find(rule);
	p->index = index;
	p->line = line;
	p->facts = facts;
	va_start(ap, fmt);
	n = vasprintf(&p->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CF_E_NOMEM;
	d->n_pending++;
	return p->rule ? 0 : CF_E_INTERNAL;
}

static int
invalid(struct cf__decoded *d, int index, int line, const char *why)
{
	if (member_new(d, CF__M_INVALID, index, line) == NULL)
		return CF_E_NOMEM;
	return pending(d, "tls-cert-invalid", index, line, NULL, "%s", why);
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
	return pending(d, "tls-pem-lax", 0, pem->lax & CF__LAX_TRAILING ? pem->trailing_line : 0,
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

void
cf__decoded_free(void *p)
{
	struct cf__decoded *d = p;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_pending; i++)
		free(d->pending[i].message);
	free(d->pending);
	free(d->members);
	free(d);
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

/* Neither a certificate by name nor PEM by content: skipped silently. */
static int
no_certificate(const char *path, const unsigned char *data, size_t len)
{
	return cf__name_kind(path) == 0 && !cf__has_pem_begin(data, len);
}

/* Read the job's file: 1 read, 0 not to be decoded (quiet, or a read
 * error kept in the job). */
static int
read_job(struct cf__job *j)
{
	char why[512];
	int r = cf__read_file(j->full, cf__name_kind(j->path) == 0 ? cf__has_pem_begin : NULL, j->cap,
	    "--max-file-size", &j->data, &j->len, why, sizeof why);

	if (r > 0 && no_certificate(j->path, j->data, j->len))
		r = 0;
	if (r == 0)
		j->quiet = 1;
	else if (r < 0 && (j->read_error = cf__sanitize_text(why, strlen(why))) == NULL)
		j->rc = CF_E_NOMEM;
	return r > 0;
}

int
cf__decode(struct cf__facts_cache *c, struct cf__dmap *content, struct cf__job *j)
{
	unsigned char sha[32];
	struct cf__decoded *d;
	int cls = name_class(j->path);

	j->rc = 0;
	if (j->full && !read_job(j))
		return j->rc;
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

/* ---- commit ------------------------------------------------------------------ */

/* A job whose file was not read: a finding (a certificate by name), a skip
 * with the reason, or nothing (no certificate by content). */
static int
commit_unread(struct cf_scan *s, struct cf__job *j)
{
	const char *node = s->nodes[j->node_ix];
	int rc = j->rc;

	if (rc == 0 && j->read_error && cf__name_kind(j->path))
		rc = cf__input_finding(s, node, j->path, "%s", j->read_error);
	else if (rc == 0 && j->read_error)
		rc = cf__skip_add(s, node, j->path, "%s", j->read_error);
	cf__job_clear(j);
	return rc;
}

int
cf__commit(struct cf_scan *s, struct cf__job *j)
{
	const struct cf__decoded *d = j->dec;
	struct cf__file *f;
	long pix = -1;
	size_t i;
	int rc = j->rc;

	if (j->quiet || j->read_error)
		return commit_unread(s, j);
	if (rc == 0 && s->n_files == s->cap_files) {
		size_t nc = s->cap_files ? s->cap_files * 2 : 256;
		if ((f = realloc(s->files, nc * sizeof *f)) == NULL)
			rc = CF_E_NOMEM;
		else
			s->files = f, s->cap_files = nc;
	}
	if (rc == 0 && (pix = cf__strtab_intern(&s->path_tab, j->spath)) < 0)
		rc = CF_E_NOMEM;
	if (rc == 0) {
		f = &s->files[s->n_files++];
		memset(f, 0, sizeof *f);
		f->node_ix = j->node_ix;
		f->path_ix = (uint32_t)pix;
		f->node = s->nodes[j->node_ix];
		f->path = s->path_tab.v[pix];
		f->dec = d;
	}
	for (i = 0; rc == 0 && i < d->n_pending; i++)
		rc = cf__finding_add(s, d->pending[i].rule->id, s->nodes[j->node_ix], f->path,
		    d->pending[i].index, d->pending[i].line, d->pending[i].facts, "%s",
		    d->pending[i].message);
	cf__job_clear(j);
	if (rc == 0 && s->progress && s->n_files % 256 == 0)
		s->progress(s->n_files, s->n_nodes, s->progress_arg);
	return rc;
}

void
cf__job_clear(struct cf__job *j)
{
	free(j->full);
	free(j->read_error);
	free(j->path);
	free(j->spath);
	free(j->data);
	memset(j, 0, sizeof *j);
}
/* A new job for a file of NODE at PATH (raw names); NULL out of memory. */
static struct cf__job *
job_new(struct cf_scan *s, const char *node, const char *path)
{
	struct cf__job *j;

	if (s->last_node == NULL || strcmp(s->last_node, node) != 0) {
		long ix = cf__scan_node(s, node);
		char *copy = ix < 0 ? NULL : strdup(node);
		if (copy == NULL)
			return NULL;
		free(s->last_node);
		s->last_node = copy;
		s->last_node_ix = ix;
	}
	if ((j = calloc(1, sizeof *j)) == NULL || (j->path = strdup(path)) == NULL) {
		free(j);
		return NULL;
	}
	j->node_ix = (uint32_t)s->last_node_ix;
	return j;
}

int
cf__scan_add_file(struct cf_scan *s, const char *node, const char *path,
    unsigned char *data, size_t len)
{
	struct cf__job *j;

	if (no_certificate(path, data, len)) {
		free(data);
		return 0;
	}
	if ((j = job_new(s, node, path)) == NULL) {
		free(data);
		return CF_E_NOMEM;
	}
	j->data = data;
	j->len = len;
	return cf__pipeline_submit(s, j);
}

int
cf__scan_add_path(struct cf_scan *s, const char *node, const char *path, const char *full)
{
	struct cf__job *j = job_new(s, node, path);

	if (j == NULL || (j->full = strdup(full)) == NULL) {
		if (j)
			cf__job_clear(j);
		free(j);
		return CF_E_NOMEM;
	}
	j->cap = s->limits.max_file_size;
	return cf__pipeline_submit(s, j);
}
