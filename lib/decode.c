/*
 * decode.c - one file's bytes into members (certificates and keys), with a
 * located tls-cert-invalid finding for every member that does not decode.
 * Every member of a bundle is audited on its own.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "private.h"

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

struct file_ctx {
	struct cf_scan *s;
	struct cf__file *f;
	size_t cap;
};

static struct cf__member *
member_new(struct file_ctx *c, enum cf__member_kind kind, int index, int line)
{
	struct cf__member *m;

	if (c->f->n_members == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 4;
		m = realloc(c->f->members, nc * sizeof *m);
		if (m == NULL)
			return NULL;
		c->f->members = m;
		c->cap = nc;
	}
	m = &c->f->members[c->f->n_members++];
	memset(m, 0, sizeof *m);
	m->kind = kind;
	m->index = index;
	m->line = line;
	return m;
}

static int
invalid(struct file_ctx *c, int index, int line, const char *why)
{
	if (member_new(c, CF__M_INVALID, index, line) == NULL)
		return CF_E_NOMEM;
	return cf__finding_add(c->s, "tls-cert-invalid", c->f->node, c->f->path, index, line,
	    NULL, "%s", why);
}

/* A certificate member from DER bytes. */
static int
add_cert(struct file_ctx *c, int index, int line, const unsigned char *der, size_t len)
{
	const char *shape = cf__der_cert_shape(der, len);
	const struct cf__facts *facts;
	struct cf__member *m;
	char why[512];

	if (shape) {
		if (line > 0)
			snprintf(why, sizeof why, "line %d: invalid certificate: %s", line, shape);
		else
			snprintf(why, sizeof why, "invalid certificate: %s", shape);
		return invalid(c, index, line, why);
	}
	if ((facts = cf__facts_get(c->s->cache, der, len)) == NULL)
		return CF_E_NOMEM;
	if (facts->error) {
		if (line > 0)
			snprintf(why, sizeof why, "line %d: %s", line, facts->error);
		else
			snprintf(why, sizeof why, "%s", facts->error);
		return invalid(c, index, line, why);
	}
	if ((m = member_new(c, CF__M_CERT, index, line)) == NULL)
		return CF_E_NOMEM;
	m->facts = facts;
	c->f->n_certs++;
	return 0;
}

static int
add_key(struct file_ctx *c, int index, int line, const char *label,
    const unsigned char *der, size_t len)
{
	struct cf__member *m;
	unsigned char id[64];
	size_t id_len = sizeof id;
	char err[256], why[320];

	if (cf__key_id(label, der, len, id, &id_len, err, sizeof err) != 0) {
		snprintf(why, sizeof why, "line %d: %s", line, err);
		return invalid(c, index, line, why);
	}
	if ((m = member_new(c, CF__M_KEY, index, line)) == NULL)
		return CF_E_NOMEM;
	memcpy(m->key_id, id, id_len);
	m->key_id_len = id_len;
	return 0;
}

static int
add_block(struct file_ctx *c, int index, const struct cf__pem_block *b)
{
	char why[512];
	char *label;
	int rc;

	if (b->error)
		return invalid(c, index, b->line, b->error);
	if (strcmp(b->label, "CERTIFICATE") == 0 || strcmp(b->label, "X509 CERTIFICATE") == 0)
		return add_cert(c, index, b->line, b->der, b->der_len);
	if (label_is_key(b->label))
		return add_key(c, index, b->line, b->label, b->der, b->der_len);
	if (strcmp(b->label, "ENCRYPTED PRIVATE KEY") == 0)
		return member_new(c, CF__M_KEY_ENCRYPTED, index, b->line) ? 0 : CF_E_NOMEM;
	if ((label = cf__sanitize(b->label, strlen(b->label))) == NULL)
		return CF_E_NOMEM;
	snprintf(why, sizeof why, "line %d: unexpected PEM label '%s': not a certificate or key",
	    b->line, label);
	rc = invalid(c, index, b->line, why);
	free(label);
	return rc;
}

static int
lax_finding(struct file_ctx *c, const struct cf__pem *pem)
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
	return cf__finding_add(c->s, "tls-pem-lax", c->f->node, c->f->path, 0,
	    pem->lax & CF__LAX_TRAILING ? pem->trailing_line : 0, NULL,
	    "readable, but not canonical PEM: %s", why);
}

static int
decode_pem(struct file_ctx *c, const unsigned char *data, size_t len)
{
	struct cf__pem pem;
	char why[512];
	size_t i;
	int rc;

	if ((rc = cf__pem_parse(data, len, &pem)) != 0)
		goto out;
	if (pem.error) {
		snprintf(why, sizeof why, "%s", pem.error);
		rc = invalid(c, 0, pem.error_line, why);
		goto out;
	}
	for (i = 0; i < pem.n && rc == 0; i++)
		rc = add_block(c, (int)i, &pem.blocks[i]);
	if (rc == 0 && pem.lax && c->f->n_certs)
		rc = lax_finding(c, &pem);
out:
	cf__pem_free(&pem);
	return rc;
}

static int
decode_der(struct file_ctx *c, const unsigned char *data, size_t len)
{
	size_t off;
	const char *why = cf__der_check(data, len, &off);
	char msg[256];

	c->f->is_der = 1;
	if (why) {
		snprintf(msg, sizeof msg, "invalid DER: %s at byte %zu", why, off);
		return invalid(c, 0, 0, msg);
	}
	if (cf__name_kind(c->f->path) == 2)
		return add_key(c, 0, 0, "", data, len);
	return add_cert(c, 0, 0, data, len);
}

/* File identity for the fleet comparison: its certificates' SHA-256, in order. */
static int
set_identity(struct cf__file *f)
{
	struct cf__buf b = {0};
	size_t i;

	for (i = 0; i < f->n_members; i++)
		if (f->members[i].kind == CF__M_CERT &&
		    cf__buf_printf(&b, "%s%s", b.len ? "," : "", f->members[i].facts->sha256_hex) != 0)
			return CF_E_NOMEM;
	f->identity = (char *)b.data;
	return 0;
}

/* DER is sniffed: no PEM BEGIN in the text, and a leading SEQUENCE tag, a
 * .der/.cer name, or bytes no text holds. */
static int
looks_der(const char *path, const unsigned char *d, size_t n)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (n == 0 || memmem(d, n, "-----BEGIN", 10) != NULL)
		return 0;
	if (d[0] == 0x30 || (dot && (strcasecmp(dot, ".der") == 0 || strcasecmp(dot, ".cer") == 0)))
		return 1;
	for (i = 0; i < n && i < 64; i++)
		if (d[i] < 0x09 || (d[i] > 0x0d && d[i] < 0x20))
			return 1;
	return 0;
}

int
cf__scan_add_file(struct cf_scan *s, const char *node, const char *path,
    const unsigned char *data, size_t len)
{
	struct file_ctx c = { .s = s };
	struct cf__file *f;
	int kind = cf__name_kind(path), rc;
	long ix;

	if (kind == 0 && (len == 0 || memmem(data, len, "-----BEGIN ", 11) == NULL))
		return 0;            /* not a certificate or key: skipped silently */
	if (s->n_files == s->cap_files) {
		size_t nc = s->cap_files ? s->cap_files * 2 : 64;
		if ((f = realloc(s->files, nc * sizeof *f)) == NULL)
			return CF_E_NOMEM;
		s->files = f;
		s->cap_files = nc;
	}
	f = &s->files[s->n_files];
	memset(f, 0, sizeof *f);
	if ((ix = cf__scan_node(s, node)) < 0)
		return CF_E_NOMEM;
	f->node_ix = (size_t)ix;
	f->node = strdup(s->nodes[ix]);
	f->path = cf__sanitize(path, strlen(path));
	if (!f->node || !f->path) {
		free(f->node); free(f->path);
		return CF_E_NOMEM;
	}
	s->n_files++;
	c.f = f;
	rc = looks_der(path, data, len) ? decode_der(&c, data, len) : decode_pem(&c, data, len);
	return rc ? rc : set_identity(f);
}
